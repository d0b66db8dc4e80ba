/* deck-list.c: LIST of one host (spec §5.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-list.h"

#include <string.h>

#include "deck-address.h"
#include "deck-error.h"
#include "deck-fields.h"
#include "deck-libvirt.h"
#include "deck-xl.h"

void
deck_list_entry_free (DeckListEntry *entry)
{
  g_free (entry->host);
  g_free (entry->driver);
  g_free (entry->uri);
  deck_domain_info_free (entry->info);
  g_clear_object (&entry->record);
  g_free (entry);
}

char **
deck_list_drivers (DeckHost *host)
{
  static const char * const known[] = { "qemu", "xen", "test", "lxc", NULL };
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  char **drivers;

  for (guint i = 0; known[i]; i++)
    if (deck_host_has_libvirt_uri (host, known[i]))
      g_strv_builder_add (b, known[i]);
  drivers = g_strv_builder_end (b);
  if (drivers[0] == NULL)
    {
      g_strfreev (drivers);
      drivers = g_strdupv ((char *[]) { (char *) "qemu", NULL });
    }
  return drivers;
}

/* Does inventory host @pm name the listed host @host (equal, or one the short form of the
 * other)? */
static gboolean
same_host (const char *pm,
           const char *host)
{
  gsize p = strcspn (pm, "."), h = strcspn (host, ".");

  return strcmp (pm, host) == 0 || (p == h && strncmp (pm, host, p) == 0 && (pm[p] == '\0' || host[h] == '\0'));
}

/* The inventory record of a running domain: same host and UUID, else same host and label. */
static DeckRecord *
find_record (GPtrArray            *inventory,
             const char           *host,
             const DeckDomainInfo *info)
{
  g_autofree char *uuid = info->uuid ? deck_address_normalize_uuid (info->uuid) : NULL;
  DeckRecord *by_label = NULL;

  for (guint i = 0; inventory && i < inventory->len; i++)
    {
      DeckRecord *rec = g_ptr_array_index (inventory, i);
      g_autofree char *ruuid = NULL;

      if (!same_host (deck_record_get (rec, DECK_FIELD_PM), host))
        continue;
      ruuid = deck_address_normalize_uuid (deck_record_get (rec, DECK_FIELD_UUID));
      if (uuid && *ruuid && g_str_equal (uuid, ruuid))
        return rec;
      if (by_label == NULL && info->name && g_str_equal (deck_record_get (rec, DECK_FIELD_LABEL), info->name))
        by_label = rec;
    }
  return by_label;
}

typedef struct {
  char *host;
  GPtrArray *inventory;
  GStrv drivers;
  guint next;
  DeckLibvirt *lv;
  DeckXl *xl;
  gboolean xl_done;
  guint answered;        /* backends that answered */
  GError *first_error;   /* of a backend that did not */
  GPtrArray *entries;
} ListRun;

static void
list_run_free (ListRun *lr)
{
  g_free (lr->host);
  g_clear_pointer (&lr->inventory, g_ptr_array_unref);
  g_strfreev (lr->drivers);
  g_clear_object (&lr->lv);
  g_clear_object (&lr->xl);
  g_clear_error (&lr->first_error);
  g_ptr_array_unref (lr->entries);
  g_free (lr);
}

static void next_driver (GTask *task);
static void backend_failed (ListRun *lr, GError *error);
static void add_entries (ListRun *lr, GPtrArray *domains, const char *driver, const char *uri);

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const DeckListEntry *x = *(DeckListEntry **) a, *y = *(DeckListEntry **) b;

  return g_strcmp0 (x->info->name, y->info->name);
}

static void
listed (GObject      *source,
        GAsyncResult *res,
        gpointer      data)
{
  GTask *task = data;
  ListRun *lr = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = deck_libvirt_list_finish (DECK_LIBVIRT (source), res, &error);

  if (domains == NULL)
    backend_failed (lr, g_steal_pointer (&error));
  else
    add_entries (lr, domains, lr->drivers[lr->next - 1], deck_libvirt_get_uri (DECK_LIBVIRT (source)));
  next_driver (task);
}

/* A backend that did not answer: kept for the end, when no backend answered at all. */
static void
backend_failed (ListRun *lr,
                GError  *error)
{
  if (lr->first_error == NULL)
    lr->first_error = error;
  else
    g_error_free (error);
}

static void
add_entries (ListRun    *lr,
             GPtrArray  *domains,
             const char *driver,
             const char *uri)
{
  lr->answered++;
  for (guint i = 0; i < domains->len; i++)
    {
      DeckDomainInfo *info = g_ptr_array_index (domains, i);
      DeckListEntry *e;
      DeckRecord *rec;
      gboolean known = FALSE;

      if (info->state != DECK_DOMAIN_STATE_RUNNING && info->state != DECK_DOMAIN_STATE_BLOCKED
          && info->state != DECK_DOMAIN_STATE_PAUSED && info->state != DECK_DOMAIN_STATE_SHUTDOWN)
        continue;
      /* libvirt's xen driver and xl see the same domains: list each once */
      for (guint k = 0; k < lr->entries->len && !known; k++)
        known = g_strcmp0 (((DeckListEntry *) lr->entries->pdata[k])->info->name, info->name) == 0;
      if (known)
        continue;
      e = g_new0 (DeckListEntry, 1);
      e->host = g_strdup (lr->host);
      e->driver = g_strdup (driver);
      e->uri = g_strdup (uri);
      e->info = deck_domain_info_copy (info);
      if ((rec = find_record (lr->inventory, lr->host, info)) != NULL)
        {
          e->record = g_object_ref (rec);
          if (e->info->config_path == NULL && *deck_record_get (rec, DECK_FIELD_ID))
            e->info->config_path = g_strdup (deck_record_get (rec, DECK_FIELD_ID));
        }
      g_ptr_array_add (lr->entries, e);
    }
}

static void
connected (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  GTask *task = data;
  g_autoptr(GError) error = NULL;

  if (!deck_libvirt_connect_finish (DECK_LIBVIRT (source), res, &error))
    {
      backend_failed (g_task_get_task_data (task), g_steal_pointer (&error));
      next_driver (task);
      return;
    }
  deck_libvirt_list_async (DECK_LIBVIRT (source), g_task_get_cancellable (task), listed, task);
}

static void
xl_listed (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  GTask *task = data;
  ListRun *lr = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = deck_xl_list_finish (DECK_XL (source), res, &error);

  if (domains)
    add_entries (lr, domains, "xl", NULL);
  else if (deck_host_get_backend (g_task_get_source_object (task)) == DECK_BACKEND_XL
           || !g_error_matches (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED))
    backend_failed (lr, g_steal_pointer (&error));
  /* (AUTO on a host without xl or without Xen: nothing to say) */
  next_driver (task);
}

static void
start_xl (GTask *task)
{
  ListRun *lr = g_task_get_task_data (task);

  lr->xl = deck_xl_new (g_task_get_source_object (task));
  deck_xl_list_async (lr->xl, g_task_get_cancellable (task), xl_listed, task);
}

static void
xen_probed (GObject      *source,
            GAsyncResult *res,
            gpointer      data)
{
  GTask *task = data;
  g_autoptr(GError) error = NULL;
  gboolean is_xen = FALSE;

  if (!deck_host_probe_xen_finish (DECK_HOST (source), res, &is_xen, &error))
    backend_failed (g_task_get_task_data (task), g_steal_pointer (&error));
  if (is_xen)
    start_xl (task);
  else
    next_driver (task);
}

/* The implicit qemu:///system of this machine when no libvirt daemon socket exists at all:
 * a machine without libvirt (a client workstation) lists no servers rather than failing.
 * A daemon that was killed leaves its socket behind and is still reported. */
static gboolean
no_local_daemon (DeckHost   *host,
                 const char *uri)
{
  static const char * const sockets[] = { "/run/libvirt/libvirt-sock", "/run/libvirt/virtqemud-sock", NULL };

  if (!deck_host_is_local (host) || deck_host_has_libvirt_uri (host, "qemu")
      || g_strcmp0 (uri, "qemu:///system") != 0)
    return FALSE;
  for (guint i = 0; sockets[i]; i++)
    if (g_file_test (sockets[i], G_FILE_TEST_EXISTS))
      return FALSE;
  return TRUE;
}

/* --backend=libvirt on a Xen host: libvirt's xen driver too (its libxl driver knows the
 * domains that libvirt started) */
static void
xen_probed_libvirt (GObject      *source,
                    GAsyncResult *res,
                    gpointer      data)
{
  GTask *task = data;
  ListRun *lr = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean is_xen = FALSE;

  if (!deck_host_probe_xen_finish (DECK_HOST (source), res, &is_xen, &error))
    backend_failed (lr, g_steal_pointer (&error));
  if (is_xen)
    {
      guint n = g_strv_length (lr->drivers);

      lr->drivers = g_renew (char *, lr->drivers, n + 2);
      lr->drivers[n] = g_strdup ("xen");
      lr->drivers[n + 1] = NULL;
    }
  next_driver (task);
}

static void
next_driver (GTask *task)
{
  ListRun *lr = g_task_get_task_data (task);
  DeckHost *host = g_task_get_source_object (task);
  g_autofree char *uri = NULL;

  if (lr->drivers[lr->next] == NULL && !lr->xl_done && deck_host_get_backend (host) == DECK_BACKEND_LIBVIRT
      && !g_strv_contains ((const char * const *) lr->drivers, "xen"))
    {
      lr->xl_done = TRUE;
      deck_host_probe_xen_async (host, g_task_get_cancellable (task), xen_probed_libvirt, task);
      return;
    }
  if (lr->drivers[lr->next] == NULL && !lr->xl_done && deck_host_get_backend (host) != DECK_BACKEND_LIBVIRT)
    {
      lr->xl_done = TRUE;
      if (deck_host_get_backend (host) == DECK_BACKEND_XL)
        start_xl (task);
      else   /* AUTO: xl only where Xen runs (one cheap question, remembered) */
        deck_host_probe_xen_async (host, g_task_get_cancellable (task), xen_probed, task);
      return;
    }
  if (lr->drivers[lr->next] == NULL)
    {
      if (lr->answered == 0 && lr->first_error)
        g_task_return_error (task, g_steal_pointer (&lr->first_error));
      else
        {
          g_ptr_array_sort (lr->entries, compare_entries);
          g_task_return_pointer (task, g_ptr_array_ref (lr->entries), (GDestroyNotify) g_ptr_array_unref);
        }
      g_object_unref (task);
      return;
    }
  uri = deck_host_get_libvirt_uri (host, lr->drivers[lr->next++]);
  if (no_local_daemon (host, uri))
    {
      lr->answered++;   /* no libvirt on this machine: nothing runs there, no error */
      next_driver (task);
      return;
    }
  g_clear_object (&lr->lv);
  lr->lv = deck_libvirt_new (uri, lr->host);
  deck_libvirt_connect_async (lr->lv, 0, g_task_get_cancellable (task), connected, task);
}

static void
host_connected (GObject      *source,
                GAsyncResult *res,
                gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!deck_host_connect_finish (DECK_HOST (source), res, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  next_driver (task);
}

void
deck_list_host_async (DeckHost           *host,
                      GPtrArray          *inventory,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  GTask *task = g_task_new (host, cancellable, callback, user_data);
  ListRun *lr = g_new0 (ListRun, 1);

  g_task_set_source_tag (task, deck_list_host_async);
  lr->host = g_strdup (deck_host_is_local (host) ? deck_host_get_name (host)
                                                 : deck_ssh_command_get_host (deck_host_get_ssh (host)));
  lr->inventory = inventory ? g_ptr_array_ref (inventory) : NULL;
  lr->drivers = deck_host_get_backend (host) == DECK_BACKEND_XL ? g_new0 (char *, 1) : deck_list_drivers (host);
  lr->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_list_entry_free);
  g_task_set_task_data (task, lr, (GDestroyNotify) list_run_free);
  if (deck_host_is_local (host))
    next_driver (task);
  else   /* the master first: libvirt's ssh transport and xl then ride it */
    deck_host_connect_async (host, cancellable, host_connected, task);
}

GPtrArray *
deck_list_host_finish (DeckHost     *host,
                       GAsyncResult *result,
                       GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

char **
deck_list_entry_fields (DeckListEntry *entry)
{
  return deck_domain_info_to_list_fields (entry->info, entry->host);
}

char **
deck_list_tab_tcp_row (const char * const *fields,
                       DeckRecord         *record)
{
  char **row = g_strdupv ((char **) fields);
  const char *cs = row[DECK_LIST_CSTYPE - 1];
  const char *guest = NULL;

  if (record)
    guest = *deck_record_get (record, DECK_FIELD_NETNAME) ? deck_record_get (record, DECK_FIELD_NETNAME)
                                                          : deck_record_get (record, DECK_FIELD_TCP);
  if (*row[DECK_LIST_TCP - 1] == '\0' && guest && *guest)
    {
      g_free (row[DECK_LIST_TCP - 1]);
      row[DECK_LIST_TCP - 1] = g_strdup (guest);
    }
  cs = g_str_equal (cs, "SERVER") ? "S" : g_str_equal (cs, "CLIENT") ? "C" : g_str_equal (cs, "TUNNEL") ? "T" : "?";
  g_free (row[DECK_LIST_CSTYPE - 1]);
  row[DECK_LIST_CSTYPE - 1] = g_strdup (cs);
  for (guint i = 0; row[i]; i++)
    if (*row[i] == '\0')
      {
        g_free (row[i]);
        row[i] = g_strdup ("-");
      }
  return row;
}
