/* deck-window-live.c: the machines' live state, from the hosts' hypervisors
 *
 * One DeckLibvirt per top-level host of the tree, for the first libvirt driver LIST
 * would ask there (deck_list_drivers: "qemu" unless the host names others with --uri),
 * connected in the background. Once connected, the host row shows the hypervisor and
 * every domain's state; libvirt's lifecycle events ("domain-changed") then update the
 * rows concerned in place (row-changed only, the view is never rebuilt). A host that
 * cannot be reached, or whose connection drops, is greyed with the reason in its
 * tooltip and retried every RETRY_SECONDS. Hosts whose backend is xl (no events) are
 * polled with LIST (deck-list.h) every rescan-interval seconds instead.
 *
 * Machines nested in a VM stack are not followed (that needs ssh into the guest).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "deck-error.h"
#include "deck-list.h"
#include "deck-window-private.h"

#define RETRY_SECONDS 30

/* Callback data: the window is not referenced (it cancels in dispose), so each callback
 * checks the cancellable, which it owns a reference to, before it touches the window. */
typedef struct {
  DeckWindow   *self;
  GCancellable *cancellable;
  char         *host;
  char         *name;       /* lookup: the domain */
} LiveCall;

static LiveCall *
live_call_new (DeckWindow *self,
               const char *host)
{
  LiveCall *c = g_new0 (LiveCall, 1);

  c->self = self;
  c->cancellable = g_object_ref (self->cancellable);
  c->host = g_strdup (host);
  return c;
}

static void
live_call_free (LiveCall *c)
{
  g_object_unref (c->cancellable);
  g_free (c->host);
  g_free (c->name);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiveCall, live_call_free)

static void
set_reach (DeckWindow       *self,
           const char       *host,
           DeckMachineReach  reach,
           const char       *message)
{
  DeckMachineItem *item = deck_machine_tree_find_host (self->tree, host);

  if (item == NULL)
    return;
  deck_machine_item_set_reach (item, reach, message);
  /* the machines of a host that went down are greyed too */
  deck_window_row_changed (self, item);
  for (guint i = 0; i < deck_machine_item_get_children (item)->len; i++)
    deck_window_row_changed (self, deck_machine_item_get_children (item)->pdata[i]);
}

static void
set_state (DeckWindow      *self,
           const char      *host,
           const char      *name,
           DeckDomainState  state)
{
  g_autoptr(GPtrArray) items = deck_machine_tree_find_machines (self->tree, host, name);

  for (guint i = 0; i < items->len; i++)
    {
      deck_machine_item_set_state (items->pdata[i], state);
      deck_window_row_changed (self, items->pdata[i]);
    }
  if (items->len > 0)
    deck_window_actions_update (self);
}

/* --- libvirt ------------------------------------------------------------------------------- */

static void
looked_up (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(LiveCall) c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckDomainInfo) info = deck_libvirt_lookup_finish (DECK_LIBVIRT (source), result, &error);

  if (g_cancellable_is_cancelled (c->cancellable))
    return;
  if (info != NULL)
    set_state (c->self, c->host, info->name, info->state);
  else if (g_error_matches (error, DECK_ERROR, DECK_ERROR_NOT_FOUND))
    set_state (c->self, c->host, c->name, DECK_DOMAIN_STATE_UNKNOWN);   /* undefined */
}

static void
lookup (DeckWindow  *self,
        DeckLibvirt *lv,
        const char  *host,
        const char  *name)
{
  LiveCall *c = live_call_new (self, host);

  c->name = g_strdup (name);
  deck_libvirt_lookup_async (lv, name, self->cancellable, looked_up, c);
}

/* Seconds after a "stopped" event at which the domain is looked up again. */
static const guint recheck_seconds[] = { 10, 30, 60 };

typedef struct {
  DeckWindow   *self;
  GCancellable *cancellable;
  DeckLibvirt  *lv;
  char         *name;
} Recheck;

static void
recheck_free (gpointer data)
{
  Recheck *r = data;

  g_object_unref (r->cancellable);
  g_object_unref (r->lv);
  g_free (r->name);
  g_free (r);
}

static gboolean
on_recheck (gpointer data)
{
  Recheck *r = data;

  if (!g_cancellable_is_cancelled (r->cancellable) && deck_libvirt_is_connected (r->lv))
    lookup (r->self, r->lv, deck_libvirt_get_host_label (r->lv), r->name);
  return G_SOURCE_REMOVE;
}

static void
on_domain_changed (DeckLibvirt *lv,
                   const char  *name,
                   int          state,
                   DeckWindow  *self)
{
  const char *host = deck_libvirt_get_host_label (lv);

  g_debug ("%s: %s is %s", host, name, deck_domain_state_to_string (state));
  if (state == DECK_DOMAIN_STATE_UNKNOWN)
    lookup (self, lv, host, name);   /* defined or undefined: ask */
  else
    set_state (self, host, name, state);
  /* libvirt's libxl driver restarts a domain that rebooted (on_reboot=restart) with a
   * "stopped" event and no "started": look again a little later */
  if (state == DECK_DOMAIN_STATE_SHUTOFF || state == DECK_DOMAIN_STATE_CRASHED)
    for (guint i = 0; i < G_N_ELEMENTS (recheck_seconds); i++)
      {
        Recheck *r = g_new0 (Recheck, 1);

        r->self = self;
        r->cancellable = g_object_ref (self->cancellable);
        r->lv = g_object_ref (lv);
        r->name = g_strdup (name);
        g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, recheck_seconds[i], on_recheck, r, recheck_free);
      }
}

static void connect_host (DeckWindow *self, DeckLibvirt *lv);

static void
on_disconnected (DeckLibvirt *lv,
                 const char  *reason,
                 DeckWindow  *self)
{
  g_autofree char *text = g_strdup_printf (_("connection lost: %s"), reason);

  set_reach (self, deck_libvirt_get_host_label (lv), DECK_MACHINE_REACH_UNREACHABLE, text);
}

/* The states of a host's domains, applied in slices so that 10,000 of them never hold
 * the main loop for long (about 0.08 ms per domain, bench/ui-bench). */
#define STATES_PER_SLICE 500

typedef struct {
  LiveCall  *call;
  GPtrArray *domains;   /* DeckDomainInfo */
  guint      next;
} StateSlices;

static void
state_slices_free (StateSlices *s)
{
  live_call_free (s->call);
  g_ptr_array_unref (s->domains);
  g_free (s);
}

static gboolean
apply_state_slice (gpointer data)
{
  StateSlices *s = data;
  guint end;

  if (g_cancellable_is_cancelled (s->call->cancellable))
    return G_SOURCE_REMOVE;
  end = MIN (s->next + STATES_PER_SLICE, s->domains->len);
  for (; s->next < end; s->next++)
    {
      DeckDomainInfo *info = s->domains->pdata[s->next];
      g_autoptr(GPtrArray) items = deck_machine_tree_find_machines (s->call->self->tree, s->call->host, info->name);

      for (guint i = 0; i < items->len; i++)
        {
          deck_machine_item_set_state (items->pdata[i], info->state);
          deck_window_row_changed (s->call->self, items->pdata[i]);
        }
    }
  if (s->next < s->domains->len)
    return G_SOURCE_CONTINUE;
  deck_window_actions_update (s->call->self);
  return G_SOURCE_REMOVE;
}

static void
listed (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  LiveCall *c = data;
  g_autoptr(GError) error = NULL;
  GPtrArray *domains = deck_libvirt_list_finish (DECK_LIBVIRT (source), result, &error);
  StateSlices *s;

  if (g_cancellable_is_cancelled (c->cancellable) || domains == NULL)
    {
      if (domains == NULL && !g_cancellable_is_cancelled (c->cancellable))
        set_reach (c->self, c->host, DECK_MACHINE_REACH_UNREACHABLE, error->message);
      g_clear_pointer (&domains, g_ptr_array_unref);
      live_call_free (c);
      return;
    }
  s = g_new0 (StateSlices, 1);
  s->call = c;
  s->domains = domains;
  if (apply_state_slice (s) == G_SOURCE_CONTINUE)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, apply_state_slice, s, (GDestroyNotify) state_slices_free);
  else
    state_slices_free (s);
}

static void
got_info (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(LiveCall) c = data;
  g_autoptr(GHashTable) info = deck_libvirt_info_finish (DECK_LIBVIRT (source), result, NULL);
  DeckMachineItem *item;

  if (g_cancellable_is_cancelled (c->cancellable) || info == NULL)
    return;
  if ((item = deck_machine_tree_find_host (c->self->tree, c->host)) != NULL)
    {
      const char *hv = g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HYPERREL);

      deck_machine_item_set_hypervisor (item, hv ? hv : g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HYPERVISOR));
      deck_window_row_changed (c->self, item);
    }
}

/* Everything about a host that just connected (or whose tree was rebuilt). */
static void
query_host (DeckWindow  *self,
            DeckLibvirt *lv)
{
  const char *host = deck_libvirt_get_host_label (lv);

  set_reach (self, host, DECK_MACHINE_REACH_REACHABLE, NULL);
  deck_libvirt_info_async (lv, self->cancellable, got_info, live_call_new (self, host));
  deck_libvirt_list_async (lv, self->cancellable, listed, live_call_new (self, host));
}

static void
connected (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(LiveCall) c = data;
  g_autoptr(GError) error = NULL;
  DeckLibvirt *lv = DECK_LIBVIRT (source);

  if (!deck_libvirt_connect_finish (lv, result, &error))
    {
      if (!g_cancellable_is_cancelled (c->cancellable))
        set_reach (c->self, c->host, DECK_MACHINE_REACH_UNREACHABLE, error->message);
      return;
    }
  if (!g_cancellable_is_cancelled (c->cancellable))
    query_host (c->self, lv);
}

static void
connect_host (DeckWindow  *self,
              DeckLibvirt *lv)
{
  const char *host = deck_libvirt_get_host_label (lv);

  set_reach (self, host, DECK_MACHINE_REACH_CONNECTING, NULL);
  deck_libvirt_connect_async (lv, 0, self->cancellable, connected, live_call_new (self, host));
}

/* --- hosts without events: LIST ------------------------------------------------------------- */

static void
polled (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  g_autoptr(LiveCall) c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = deck_list_host_finish (DECK_HOST (source), result, &error);
  DeckMachineItem *host;
  GPtrArray *machines;

  if (g_cancellable_is_cancelled (c->cancellable))
    return;
  if (entries == NULL)
    {
      set_reach (c->self, c->host, DECK_MACHINE_REACH_UNREACHABLE, error->message);
      return;
    }
  set_reach (c->self, c->host, DECK_MACHINE_REACH_REACHABLE, NULL);
  /* LIST names running domains only: the others are shut off */
  if ((host = deck_machine_tree_find_host (c->self->tree, c->host)) == NULL)
    return;
  machines = deck_machine_item_get_children (host);
  for (guint i = 0; i < machines->len; i++)
    {
      DeckMachineItem *item = machines->pdata[i];
      DeckDomainState state = DECK_DOMAIN_STATE_SHUTOFF;

      for (guint j = 0; j < entries->len; j++)
        {
          DeckListEntry *e = entries->pdata[j];

          if (g_strcmp0 (e->info->name, deck_machine_item_get_label (item)) == 0)
            state = e->info->state;
        }
      deck_machine_item_set_state (item, state);
      deck_window_row_changed (c->self, item);
    }
  deck_window_actions_update (c->self);
}

static void
poll_host (DeckWindow *self,
           const char *name)
{
  DeckHost *host = deck_window_host_for (self, name);

  if (host != NULL)
    deck_list_host_async (host, self->records, self->cancellable, polled, live_call_new (self, name));
}

/* --- starting, retrying, stopping ------------------------------------------------------------ */

static gboolean
on_retry (gpointer data)
{
  DeckWindow *self = data;
  GHashTableIter iter;
  gpointer key, value;
  GPtrArray *hosts = deck_machine_tree_get_hosts (self->tree);
  guint interval = deck_settings_get_rescan_interval (self->settings);
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DeckMachineItem *host = deck_machine_tree_find_host (self->tree, key);

      if (host != NULL && !deck_libvirt_is_connected (value)
          && deck_machine_item_get_reach (host) != DECK_MACHINE_REACH_CONNECTING)
        connect_host (self, value);
    }
  /* polled hosts: every rescan-interval seconds (0: never by itself) */
  if (interval > 0 && now - self->last_poll >= (gint64) interval)
    {
      self->last_poll = now;
      for (guint i = 0; i < hosts->len; i++)
        {
          const char *name = deck_machine_item_get_host_name (hosts->pdata[i]);

          if (!g_hash_table_contains (self->connections, name))
            poll_host (self, name);
        }
    }
  return G_SOURCE_CONTINUE;
}

void
deck_window_live_start (DeckWindow *self)
{
  GPtrArray *hosts;

  g_return_if_fail (DECK_IS_WINDOW (self));

  hosts = deck_machine_tree_get_hosts (self->tree);
  for (guint i = 0; i < hosts->len; i++)
    {
      const char *name = deck_machine_item_get_host_name (hosts->pdata[i]);
      DeckLibvirt *lv = g_hash_table_lookup (self->connections, name);
      DeckHost *host;

      if (lv != NULL)
        {
          /* a rebuilt tree: the new rows learn the states again */
          if (deck_libvirt_is_connected (lv))
            query_host (self, lv);
          else
            connect_host (self, lv);
          continue;
        }
      if ((host = deck_window_host_for (self, name)) == NULL)
        {
          set_reach (self, name, DECK_MACHINE_REACH_UNREACHABLE, _("not a host name vmdeck can reach"));
          continue;
        }
      if (deck_host_get_backend (host) == DECK_BACKEND_XL)
        {
          self->last_poll = g_get_monotonic_time () / G_USEC_PER_SEC;
          poll_host (self, name);
          continue;
        }
      {
        g_auto(GStrv) drivers = deck_list_drivers (host);
        g_autofree char *uri = deck_host_get_libvirt_uri (host, drivers[0]);

        lv = deck_libvirt_new (uri, name);
        g_signal_connect_object (lv, "domain-changed", G_CALLBACK (on_domain_changed), self, 0);
        g_signal_connect_object (lv, "disconnected", G_CALLBACK (on_disconnected), self, 0);
        g_hash_table_insert (self->connections, g_strdup (name), lv);
        connect_host (self, lv);
      }
    }
  if (self->retry_source == 0)
    self->retry_source = g_timeout_add_seconds (RETRY_SECONDS, on_retry, self);
}

void
deck_window_live_stop (DeckWindow *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DECK_IS_WINDOW (self));

  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_pointer (&self->xl_backends, g_hash_table_unref);
  if (self->connections == NULL)
    return;
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_signal_handlers_disconnect_by_data (value, self);
      deck_libvirt_close (value);
    }
  g_clear_pointer (&self->connections, g_hash_table_unref);
}

DeckLibvirt *
deck_window_live_connection (DeckWindow *self,
                             const char *name)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (DECK_IS_WINDOW (self), NULL);

  if (self->connections == NULL)
    return NULL;   /* disposed */
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (deck_address_host_matches (key, name))
      return value;
  return NULL;
}

DeckXl *
deck_window_live_xl (DeckWindow *self,
                     const char *name)
{
  DeckHost *host;
  DeckXl *xl;

  g_return_val_if_fail (DECK_IS_WINDOW (self), NULL);

  if (self->connections == NULL || (host = deck_window_host_for (self, name)) == NULL)
    return NULL;   /* disposed, or not a host */
  if (self->xl_backends == NULL)
    self->xl_backends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  xl = g_hash_table_lookup (self->xl_backends, name);
  /* an edited host is a new DeckHost: its backend starts afresh */
  if (xl == NULL || deck_xl_get_host (xl) != host)
    {
      xl = deck_xl_new (host);
      g_hash_table_insert (self->xl_backends, g_strdup (name), xl);
    }
  return xl;
}

void
deck_window_live_refresh (DeckWindow      *self,
                          DeckMachineItem *item)
{
  const char *host;
  DeckLibvirt *lv;

  g_return_if_fail (DECK_IS_WINDOW (self));

  host = deck_machine_item_get_host_name (item);
  if ((lv = deck_window_live_connection (self, host)) != NULL && deck_libvirt_is_connected (lv))
    lookup (self, lv, host, deck_machine_item_get_label (item));
  else if (lv == NULL)
    poll_host (self, host);
}

void
deck_window_live_forget (DeckWindow *self,
                         const char *name)
{
  DeckLibvirt *lv;

  g_return_if_fail (DECK_IS_WINDOW (self));

  if (self->connections == NULL || (lv = g_hash_table_lookup (self->connections, name)) == NULL)
    return;
  g_signal_handlers_disconnect_by_data (lv, self);
  deck_libvirt_close (lv);
  g_hash_table_remove (self->connections, name);
}
