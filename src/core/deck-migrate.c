/* deck-migrate.c: live migration of a running domain between two libvirt hosts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-migrate.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gobject/libvirt-gobject.h>
#include <string.h>

#include "deck-error.h"

/* The connection's virConnectPtr (a new reference), or NULL when not connected. */
static virConnectPtr
conn_of (DeckLibvirt *lv)
{
  GVirConnection *gconn = deck_libvirt_is_connected (lv) ? deck_libvirt_get_connection (lv) : NULL;
  virConnectPtr conn = NULL;

  if (gconn != NULL)
    g_object_get (gconn, "handle", &conn, NULL);
  return conn;
}

static char *
driver_of (const char *uri)
{
  gsize n = strcspn (uri, "+:");

  return g_strndup (uri, n);
}

/* The host UUID of a capabilities document (<host><uuid>...</uuid>), or NULL. */
static char *
host_uuid (const char *caps)
{
  const char *host = caps ? strstr (caps, "<host>") : NULL;
  const char *start = host ? strstr (host, "<uuid>") : NULL;
  const char *end = start ? strstr (start, "</uuid>") : NULL;

  if (end == NULL)
    return NULL;
  start += strlen ("<uuid>");
  return g_strndup (start, end - start);
}

/* Whether the capabilities announce live migration (<migration_features><live/>). */
static gboolean
can_migrate_live (const char *caps)
{
  const char *start = caps ? strstr (caps, "<migration_features>") : NULL;
  const char *end = start ? strstr (start, "</migration_features>") : NULL;
  const char *live = start ? strstr (start, "<live/>") : NULL;

  return live != NULL && end != NULL && live < end;
}

gboolean
deck_migrate_check (DeckLibvirt *from,
                    DeckLibvirt *to,
                    GError     **error)
{
  g_autofree char *d1 = driver_of (deck_libvirt_get_uri (from));
  g_autofree char *d2 = driver_of (deck_libvirt_get_uri (to));
  virConnectPtr c1, c2;
  char *cap1 = NULL, *cap2 = NULL;
  g_autofree char *u1 = NULL, *u2 = NULL;
  gboolean live1, live2;

  if (!g_str_equal (d1, d2))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED, "%s uses %s and %s uses %s: no migration between them",
                   deck_libvirt_get_host_label (from), d1, deck_libvirt_get_host_label (to), d2);
      return FALSE;
    }
  if (g_str_equal (d1, "test"))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED, "the libvirt test driver cannot migrate");
      return FALSE;
    }
  c1 = conn_of (from);
  c2 = conn_of (to);
  if (c1 == NULL || c2 == NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE, "%s has no libvirt connection",
                   deck_libvirt_get_host_label (c1 == NULL ? from : to));
      if (c1) virConnectClose (c1);
      if (c2) virConnectClose (c2);
      return FALSE;
    }
  /* the capabilities hold the host UUID: the same daemon twice is no migration */
  cap1 = virConnectGetCapabilities (c1);
  cap2 = virConnectGetCapabilities (c2);
  u1 = host_uuid (cap1);
  u2 = host_uuid (cap2);
  live1 = can_migrate_live (cap1);
  live2 = can_migrate_live (cap2);
  free (cap1);
  free (cap2);
  virConnectClose (c1);
  virConnectClose (c2);
  if (!live1 || !live2)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED, "the hypervisor on %s does not offer live migration",
                   deck_libvirt_get_host_label (live1 ? to : from));
      return FALSE;
    }
  if (u1 != NULL && g_strcmp0 (u1, u2) == 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED, "%s and %s are the same libvirt host",
                   deck_libvirt_get_host_label (from), deck_libvirt_get_host_label (to));
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  virConnectPtr from;
  virConnectPtr to;
  char         *name;
  char         *from_label;
  char         *to_label;
} MigrateData;

static void
migrate_data_free (MigrateData *d)
{
  if (d->from)
    virConnectClose (d->from);
  if (d->to)
    virConnectClose (d->to);
  g_free (d->name);
  g_free (d->from_label);
  g_free (d->to_label);
  g_free (d);
}

static void
migrate_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  MigrateData *d = data;
  virDomainPtr dom, moved;
  unsigned int flags = VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE;
  virErrorPtr err;

  if ((dom = virDomainLookupByName (d->from, d->name)) == NULL)
    {
      g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_NOT_FOUND, "%s: no domain %s", d->from_label, d->name);
      return;
    }
  moved = virDomainMigrate3 (dom, d->to, NULL, 0, flags);
  err = moved == NULL ? virGetLastError () : NULL;
  virDomainFree (dom);
  if (moved != NULL)
    {
      virDomainFree (moved);
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_return_new_error (task, DECK_ERROR,
                           err && (err->code == VIR_ERR_NO_SUPPORT || err->code == VIR_ERR_ARGUMENT_UNSUPPORTED
                                   || err->code == VIR_ERR_OPERATION_UNSUPPORTED)
                           ? DECK_ERROR_UNSUPPORTED : DECK_ERROR_FAILED,
                           "migrating %s from %s to %s: %s", d->name, d->from_label, d->to_label,
                           err && err->message ? err->message : "libvirt gave no reason");
}

void
deck_migrate_async (DeckLibvirt        *from,
                    DeckLibvirt        *to,
                    const char         *name,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (from, cancellable, callback, user_data);
  GError *error = NULL;
  MigrateData *d;

  g_task_set_source_tag (task, deck_migrate_async);
  if (!deck_migrate_check (from, to, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  d = g_new0 (MigrateData, 1);
  d->from = conn_of (from);
  d->to = conn_of (to);
  d->name = g_strdup (name);
  d->from_label = g_strdup (deck_libvirt_get_host_label (from));
  d->to_label = g_strdup (deck_libvirt_get_host_label (to));
  g_task_set_task_data (task, d, (GDestroyNotify) migrate_data_free);
  /* a migration is not cut short halfway: cancelling only drops the result */
  g_task_run_in_thread (task, migrate_thread);
}

gboolean
deck_migrate_finish (DeckLibvirt  *from,
                     GAsyncResult *result,
                     GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, from), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
