/* deck-host-info.c: SHOW (dynamic) and INFO (static) data of a host (spec §5.5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-host-info.h"

#include <string.h>

#include "deck-config.h"
#include "deck-error.h"

/* One line, ';' only, no '!': the login shell that sshd hands it to may be csh-like. */
#define COMMON \
  "LC_ALL=C; export LC_ALL; p() { printf '%s\\t%s\\n' \"$1\" \"$2\"; }; " \
  "p node \"$(uname -n)\"; p os \"$(uname -s)\"; p kernel \"$(uname -r)\"; p machine \"$(uname -m)\"; " \
  "while read k v u; do case $k in MemTotal:) p mem-total-kib \"$v\";; MemAvailable:) p mem-available-kib \"$v\";; " \
  "SwapTotal:) p swap-total-kib \"$v\";; SwapFree:) p swap-free-kib \"$v\";; esac; done </proc/meminfo; "

static const char show_script[] =
  COMMON
  "p uptime-s \"$(cut -d' ' -f1 /proc/uptime)\"; p load \"$(cut -d' ' -f1-3 /proc/loadavg)\"; "
  "ps -eo pcpu=,pmem=,pid=,comm= --sort=-pcpu 2>/dev/null | head -n 5 | "
  "while read c m i n; do p top \"$c% cpu, $m% mem, pid $i $n\"; done";

/* backend-xl: "present" needs xenstored (or oxenstored) running in this domain: without it
 * every xl command fails or hangs (a xenstore stub domain would read as unavailable). */
static const char info_script[] =
  COMMON
  "p cpus \"$(grep -c '^processor' /proc/cpuinfo)\"; "
  "p cpu-model \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)\"; "
  "f=\" $(grep -m1 '^flags' /proc/cpuinfo) \"; v=; for x in vmx svm pae lm; do "
  "case $f in *\" $x \"*) v=\"$v $x\";; esac; done; p cpu-virt-flags \"${v# }\"; "
  "h=$(cat /sys/hypervisor/type 2>/dev/null); p hypervisor \"${h:-none}\"; "
  "if [ -e /dev/kvm ]; then p kvm present; else p kvm absent; fi; "
  "for t in virsh libvirtd qemu-system-x86_64 xl find tar ssh; do "
  "w=$(PATH=$PATH:/usr/sbin:/sbin command -v $t 2>/dev/null); if [ -n \"$w\" ]; then "
  "case $t in xl) p tool-$t \"$w\";; ssh) p tool-$t \"$($w -V 2>&1 | head -n 1)\";; "
  "*) p tool-$t \"$($w --version 2>/dev/null | head -n 1)\";; esac; fi; done; "
  "s=absent; for k in /run/libvirt/libvirt-sock /run/libvirt/virtqemud-sock /run/libvirt/virtxend-sock; do "
  "if [ -S $k ]; then s=\"running ($k)\"; fi; done; p backend-libvirt \"$s\"; "
  "if [ -e /proc/xen/capabilities ] && PATH=$PATH:/usr/sbin:/sbin command -v xl >/dev/null 2>&1; then "
  "if ps -e -o comm= 2>/dev/null | grep -Eqx 'o?xenstored'; then p backend-xl present; "
  "else p backend-xl 'unavailable (xenstored is not running)'; fi; "
  "else p backend-xl absent; fi";

void
deck_host_info_item_free (DeckHostInfoItem *item)
{
  g_free (item->key);
  g_free (item->value);
  g_free (item);
}

char **
deck_host_info_argv (DeckHostInfoKind kind)
{
  /* constant scripts that take no data at all: nothing of a host or label is in them */
  return g_strdupv ((char *[]) { (char *) "sh", (char *) "-c",
                                 (char *) (kind == DECK_HOST_INFO_SHOW ? show_script : info_script),
                                 NULL });
}

GPtrArray *
deck_host_info_parse (const char *text)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_host_info_item_free);
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      char *tab = strchr (lines[i], '\t');
      DeckHostInfoItem *item;

      if (tab == NULL || tab == lines[i] || !g_utf8_validate (lines[i], -1, NULL))
        continue;
      item = g_new0 (DeckHostInfoItem, 1);
      item->key = g_strndup (lines[i], tab - lines[i]);
      item->value = g_strdup (g_strstrip (tab + 1));
      g_ptr_array_add (items, item);
    }
  return items;
}

const char *
deck_host_info_lookup (GPtrArray  *items,
                       const char *key)
{
  for (guint i = 0; i < items->len; i++)
    {
      DeckHostInfoItem *item = g_ptr_array_index (items, i);

      if (g_str_equal (item->key, key))
        return item->value;
    }
  return NULL;
}

static void
info_done (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!deck_host_run_finish (DECK_HOST (source), res, &out, NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_task_return_pointer (task, deck_host_info_parse (text), (GDestroyNotify) g_ptr_array_unref);
}

void
deck_host_info_async (DeckHost           *host,
                      DeckHostInfoKind    kind,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  GTask *task = g_task_new (host, cancellable, callback, user_data);
  g_auto(GStrv) argv = deck_host_info_argv (kind);

  g_task_set_source_tag (task, deck_host_info_async);
  deck_host_run_async (host, (const char * const *) argv, NULL, 60, cancellable, info_done, task);
}

GPtrArray *
deck_host_info_finish (DeckHost     *host,
                       GAsyncResult *result,
                       GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
deck_host_info_render (const char *host,
                       GPtrArray  *items,
                       gboolean    terse)
{
  GString *s = g_string_new (NULL);
  guint width = 0;

  if (terse)
    {
      g_string_append (s, host);
      for (guint i = 0; i < items->len; i++)
        {
          DeckHostInfoItem *item = g_ptr_array_index (items, i);

          g_string_append_printf (s, ";%s=%s", item->key, item->value);
        }
      g_string_append_c (s, '\n');
      return g_string_free (s, FALSE);
    }
  for (guint i = 0; i < items->len; i++)
    width = MAX (width, strlen (((DeckHostInfoItem *) g_ptr_array_index (items, i))->key));
  g_string_append_printf (s, "%s\n", host);
  for (guint i = 0; i < items->len; i++)
    {
      DeckHostInfoItem *item = g_ptr_array_index (items, i);

      g_string_append_printf (s, "  %-*s  %s\n", (int) width, item->key, item->value);
    }
  return g_string_free (s, FALSE);
}
