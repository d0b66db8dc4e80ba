/* deck-resolver.c: which config a machine address names on a host
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-resolver.h"

#include <string.h>

#include "deck-error.h"
#include "deck-inventory.h"
#include "deck-scanner.h"

typedef struct {
  DeckAddress *address;
  DeckCacheMode mode;
  gboolean cache_only;
  GStrv db_dirs;
  char *type;
  char *host_name;       /* field 1 to match: the target's name as given */
  GString *searched;     /* for the NOT_FOUND message */
  DeckScanner *scanner;
  DeckRecord *record;
  DeckResolvedBy by;
  guint step;
} Resolve;

static void
resolve_free (Resolve *r)
{
  g_object_unref (r->address);
  g_strfreev (r->db_dirs);
  g_free (r->type);
  g_free (r->host_name);
  g_string_free (r->searched, TRUE);
  g_clear_object (&r->scanner);
  g_clear_object (&r->record);
  g_free (r);
}

/* Records of the wanted type only. */
static GPtrArray *
of_type (GPtrArray  *records,
         const char *type)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < records->len; i++)
    if (type == NULL || g_ascii_strcasecmp (type, "ALL") == 0
        || g_ascii_strcasecmp (deck_record_get (records->pdata[i], DECK_FIELD_TYPE), type) == 0)
      g_ptr_array_add (out, g_object_ref (records->pdata[i]));
  return out;
}

/* Tries one set of records. TRUE when the task is finished (found, or ambiguous, which
 * is an error at once); FALSE when nothing matched and the next source may be asked. */
static gboolean
try_records (GTask          *task,
             GPtrArray      *records,
             DeckResolvedBy  by,
             const char     *where)
{
  Resolve *r = g_task_get_task_data (task);
  g_autoptr(GPtrArray) typed = of_type (records, r->type);
  g_autoptr(GError) error = NULL;
  DeckRecord *rec = deck_address_resolve (r->address, typed, r->host_name, &error);

  g_string_append_printf (r->searched, "%s%s", r->searched->len ? ", " : "", where);
  if (rec)
    {
      r->record = rec;
      r->by = by;
      g_task_return_boolean (task, TRUE);
      return TRUE;
    }
  if (g_error_matches (error, DECK_ERROR, DECK_ERROR_AMBIGUOUS))
    {
      g_prefix_error (&error, "%s (%s): ", r->host_name, where);
      g_task_return_error (task, g_steal_pointer (&error));
      return TRUE;
    }
  return FALSE;
}

static void
not_found (GTask *task)
{
  Resolve *r = g_task_get_task_data (task);
  g_autofree char *parts = deck_address_to_string (r->address);

  g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_NOT_FOUND,
                           "%s: cannot evaluate ID/PNAME for '%s'; searched %s", r->host_name,
                           parts, r->searched->len ? r->searched->str : "nothing (-c ...,ONLY)");
}

static void advance (GTask *task);

static void
scanned (GObject      *source,
         GAsyncResult *res,
         gpointer      data)
{
  GTask *task = data;
  Resolve *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (deck_host_is_local (g_task_get_source_object (task)))
    ok = deck_scanner_run_finish (r->scanner, res, &error);
  else
    ok = deck_scanner_run_remote_finish (r->scanner, res, &error);
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!try_records (task, deck_scanner_get_records (r->scanner), DECK_RESOLVED_BY_SCAN,
                         "a filesystem scan"))
    not_found (task);
  g_object_unref (task);
}

static void
remote_db_read (GObject      *source,
                GAsyncResult *res,
                gpointer      data)
{
  GTask *task = data;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);

  if (deck_host_run_finish (DECK_HOST (source), res, &out, NULL, NULL, &error))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

      for (guint i = 0; lines[i]; i++)
        {
          DeckRecord *rec = *lines[i] ? deck_record_new_from_line (lines[i], -1, NULL) : NULL;

          if (rec)   /* a corrupt line never matches; it is the host's to repair */
            g_ptr_array_add (records, rec);
        }
    }
  else if (!g_error_matches (error, DECK_ERROR, DECK_ERROR_REMOTE_FAILED))
    {
      /* the host is not reachable: no scan can help either */
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* (no database on the host is no error: the scan comes next) */
  if (try_records (task, records, DECK_RESOLVED_BY_REMOTE_DB, "the target's cacheDB"))
    g_object_unref (task);
  else
    advance (task);
}

enum { STEP_LOCAL_DB, STEP_REMOTE_DB, STEP_SCAN, STEP_DONE };

/* The next source of §3.6 for the -c mode; takes over the reference on @task. */
static void
advance (GTask *task)
{
  Resolve *r = g_task_get_task_data (task);
  DeckHost *host = g_task_get_source_object (task);

  while (r->step < STEP_DONE)
    switch (r->step++)
      {
      case STEP_LOCAL_DB:
        if (r->mode == DECK_CACHE_BOTH || r->mode == DECK_CACHE_LOCAL)
          {
            g_autoptr(DeckInventory) inv = deck_inventory_new ();
            g_auto(GStrv) dflt = NULL;
            const char * const *dirs = (const char * const *) r->db_dirs;

            if (dirs == NULL)
              dirs = (const char * const *) (dflt = g_strdupv ((char *[]) { deck_inventory_default_dir (), NULL }));
            if (deck_inventory_load (inv, dirs, NULL)
                && try_records (task, deck_inventory_get_records (inv), DECK_RESOLVED_BY_LOCAL_DB,
                                "the local cacheDB"))
              {
                g_object_unref (task);
                return;
              }
          }
        break;
      case STEP_REMOTE_DB:
        if ((r->mode == DECK_CACHE_BOTH || r->mode == DECK_CACHE_REMOTE) && !deck_host_is_local (host))
          {
            deck_host_run_async (host, (const char *[]) { "cat", ".ctys/db/default/enum.fdb", NULL },
                                 NULL, 60, g_task_get_cancellable (task), remote_db_read, task);
            return;
          }
        break;
      case STEP_SCAN:
        if (!r->cache_only)
          {
            const char * const *bases = deck_address_get_values (r->address, DECK_ADDRESS_PART_BASE);

            r->scanner = deck_scanner_new ();
            /* spec §4.2: the b: list, else $HOME */
            deck_scanner_set_bases (r->scanner, bases[0] ? bases : (const char * const []) { "~", NULL });
            if (deck_host_is_local (host))
              {
                /* the records must carry the name the target was given by */
                deck_scanner_set_nodename (r->scanner, r->host_name);
                deck_scanner_run_async (r->scanner, g_task_get_cancellable (task), scanned, task);
              }
            else
              deck_scanner_run_remote_async (r->scanner, deck_host_get_master (host), 300,
                                             g_task_get_cancellable (task), scanned, task);
            return;
          }
        break;
      default:
        break;
      }
  not_found (task);
  g_object_unref (task);
}

void
deck_resolve_create_async (DeckHost                 *host,
                           DeckAddress              *address,
                           const DeckResolveOptions *options,
                           GCancellable             *cancellable,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  GTask *task = g_task_new (host, cancellable, callback, user_data);
  Resolve *r = g_new0 (Resolve, 1);

  g_task_set_source_tag (task, deck_resolve_create_async);
  r->address = g_object_ref (address);
  r->mode = options ? options->mode : DECK_CACHE_BOTH;
  r->cache_only = options && options->cache_only;
  r->db_dirs = options ? g_strdupv (options->db_dirs) : NULL;
  r->type = options ? g_strdup (options->type) : NULL;
  r->host_name = deck_host_is_local (host) ? g_strdup (deck_host_get_name (host))
                                           : g_strdup (deck_ssh_command_get_host (deck_host_get_ssh (host)));
  r->searched = g_string_new (NULL);
  g_task_set_task_data (task, r, (GDestroyNotify) resolve_free);
  advance (task);
}

DeckRecord *
deck_resolve_create_finish (DeckHost       *host,
                            GAsyncResult   *result,
                            DeckResolvedBy *resolved_by,
                            GError        **error)
{
  Resolve *r = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  if (resolved_by)
    *resolved_by = r->by;
  return g_object_ref (r->record);
}

const char *
deck_resolved_by_to_string (DeckResolvedBy by)
{
  switch (by)
    {
    case DECK_RESOLVED_BY_LOCAL_DB:
      return "local cacheDB";
    case DECK_RESOLVED_BY_REMOTE_DB:
      return "the target's cacheDB";
    case DECK_RESOLVED_BY_SCAN:
    default:
      return "filesystem scan";
    }
}
