/* deck-scan-job.c: one host of an inventory scan; running many
 *
 * (Moved from the command line's cli-common.c, so that the window's rescan runs the
 * same code as ctys-vdbgen.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-scan-job.h"

#include <string.h>

#include "deck-error.h"
#include "deck-inventory.h"
#include "deck-record.h"

DeckHost *
deck_scan_host_new (const DeckTarget      *target,
                    const char            *user,
                    const DeckCallOptions *options,
                    GError               **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) words = NULL;
  g_autoptr(DeckTarget) t = NULL;
  DeckHost *host;

  /* deck_host_new_from_target() knows "localhost" and this machine's names and takes the
   * URIs and the SSH port; -l and -Z come from the parsed options (global and group merged). */
  for (guint i = 0; options->uris != NULL && options->uris[i] != NULL; i++)
    {
      g_autofree char *word = g_strconcat ("--uri=", options->uris[i], NULL);

      g_strv_builder_add (b, word);
    }
  if (options->ssh_port != 0)
    {
      g_autofree char *word = g_strdup_printf ("--ssh-port=%u", options->ssh_port);

      g_strv_builder_add (b, word);
    }
  words = g_strv_builder_end (b);
  t = deck_target_new (user, target->host, (const char * const *) words);
  if ((host = deck_host_new_from_target (t, error)) == NULL)
    return NULL;
  deck_host_set_privilege (host, options->privilege_set ? options->privilege : 0);
  if (options->backend != DECK_CALL_UNSET)
    deck_host_set_backend (host, options->backend);
  if (!deck_host_is_local (host))
    deck_ssh_command_set_batch_mode (deck_host_get_ssh (host), TRUE);
  return host;
}

DeckScanJob *
deck_scan_job_new (const DeckTarget      *target,
                   const DeckCallOptions *options,
                   DeckHost              *host)
{
  DeckScanJob *job = g_new0 (DeckScanJob, 1);

  job->target = deck_target_copy (target);
  job->options = deck_call_options_copy (options);
  job->host = g_object_ref (host);
  job->scanner = deck_scanner_new ();
  job->type = g_strdup (options->type);
  return job;
}

void
deck_scan_job_free (DeckScanJob *job)
{
  g_clear_pointer (&job->target, deck_target_free);
  g_clear_pointer (&job->options, deck_call_options_free);
  g_clear_object (&job->host);
  g_clear_object (&job->scanner);
  g_free (job->type);
  g_clear_error (&job->error);
  g_free (job);
}

GPtrArray *
deck_scan_jobs_new (GPtrArray          *targets,
                    const char * const *prepend,
                    DeckMacros         *macros,
                    GError            **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_scan_job_free);

  for (guint i = 0; i < targets->len; i++)
    {
      DeckTarget *t = g_ptr_array_index (targets, i);
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_autoptr(DeckTarget) merged = NULL;
      g_autoptr(DeckCallOptions) options = deck_call_options_new ();
      g_autoptr(DeckHost) host = NULL;
      g_auto(GStrv) all = NULL;

      /* the call's global options come before the target's own */
      if (prepend)
        g_strv_builder_addv (b, (const char **) prepend);
      g_strv_builder_addv (b, (const char **) t->options);
      all = g_strv_builder_end (b);
      merged = deck_target_new (t->user, t->host, (const char * const *) all);
      merged->group = g_strdup (t->group);
      if (!deck_call_options_apply (options, (const char * const *) all, macros, error))
        {
          g_prefix_error (error, "%s: ", t->host);
          return NULL;
        }
      host = deck_scan_host_new (t, t->user != NULL ? t->user : options->user, options, error);
      if (host == NULL)
        return NULL;
      g_ptr_array_add (jobs, deck_scan_job_new (merged, options, host));
    }
  return g_steal_pointer (&jobs);
}

gboolean
deck_scan_take_suboption (DeckScanner         *scanner,
                          const DeckSuboption *opt,
                          GError             **error)
{
  if (strcmp (opt->key, "B") == 0 || strcmp (opt->key, "BASE") == 0 || strcmp (opt->key, "BASEPATH") == 0)
    {
      if (opt->items == NULL || opt->items[0] == NULL || *opt->items[0] == '\0')
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "%s needs a directory (B:<dir>[%%<dir>...])", opt->raw_key);
          return FALSE;
        }
      deck_scanner_set_bases (scanner, (const char * const *) opt->items);
      return TRUE;
    }
  if (strcmp (opt->key, "MATCHVSTAT") == 0)
    {
      if (opt->items == NULL)
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "MATCHVSTAT needs a state list");
          return FALSE;
        }
      return deck_scanner_set_vstates (scanner, (const char * const *) opt->items, error);
    }
  g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "unknown ENUMERATE suboption '%s'", opt->raw_key);
  return FALSE;
}

gboolean
deck_scan_job_apply_options (DeckScanJob *job,
                             const char  *global_type,
                             GError     **error)
{
  DeckCallOptions *o = job->options;
  g_autoptr(GPtrArray) subopts = NULL;

  g_free (job->type);
  job->type = g_strdup (o->type != NULL ? o->type : global_type);
  if (o->action == DECK_CALL_ACTION_NONE)
    return TRUE;
  if (o->action != DECK_CALL_ACTION_ENUMERATE)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "%s: action %s in an option group of an "
                   "ENUMERATE call", job->target->host, deck_call_action_to_string (o->action));
      return FALSE;
    }
  if ((subopts = deck_suboptions_parse (o->action_args ? o->action_args : "", error)) == NULL)
    {
      g_prefix_error (error, "%s: ", job->target->host);
      return FALSE;
    }
  for (guint k = 0; k < subopts->len; k++)
    if (!deck_scan_take_suboption (job->scanner, g_ptr_array_index (subopts, k), error))
      {
        g_prefix_error (error, "%s: (only B and MATCHVSTAT can differ per host) ",
                        job->target->host);
        return FALSE;
      }
  return TRUE;
}

/* --- one job ---------------------------------------------------------------------------- */

static void
job_ran (GObject      *source,
         GAsyncResult *res,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  DeckScanJob *job = g_task_get_task_data (task);
  gint64 t0 = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "deck-t0"));
  gboolean ok;

  g_clear_error (&job->error);
  if (deck_host_is_local (job->host))
    ok = deck_scanner_run_finish (job->scanner, res, &job->error);
  else
    ok = deck_scanner_run_remote_finish (job->scanner, res, &job->error);
  job->seconds = (g_get_monotonic_time () / 1000 - t0) / 1e3;
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    {
      if (!g_str_has_prefix (job->error->message, job->target->host))
        g_prefix_error (&job->error, "%s: ", job->target->host);
      g_task_return_error (task, g_error_copy (job->error));
    }
}

void
deck_scan_job_run_async (DeckScanJob        *job,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, deck_scan_job_run_async);
  g_task_set_task_data (task, job, NULL);
  /* milliseconds fit a pointer on every platform we build for */
  g_object_set_data (G_OBJECT (task), "deck-t0", GSIZE_TO_POINTER ((gsize) (g_get_monotonic_time () / 1000)));
  if (deck_host_is_local (job->host))
    deck_scanner_run_async (job->scanner, cancellable, job_ran, task);
  else
    deck_scanner_run_remote_async (job->scanner, deck_host_get_master (job->host),
                                   DECK_SCAN_TIMEOUT, cancellable, job_ran, task);
}

gboolean
deck_scan_job_run_finish (DeckScanJob  *job,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- many jobs -------------------------------------------------------------------------- */

typedef struct {
  GPtrArray        *jobs;
  guint             max_parallel;
  DeckScanProgress  progress;
  gpointer          progress_data;
  guint             next;
  guint             running;
  guint             done;
  guint             failed;
} ScanRun;

static void
scan_run_free (ScanRun *run)
{
  g_ptr_array_unref (run->jobs);
  g_free (run);
}

static void run_fill (GTask *task);

typedef struct {
  GTask       *task;   /* the run's */
  DeckScanJob *job;
} OneCall;

static void
one_done (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  OneCall *c = data;
  g_autoptr(GTask) task = c->task;
  ScanRun *run = g_task_get_task_data (task);
  DeckScanJob *job = c->job;

  g_free (c);
  run->running--;
  run->done++;
  if (!deck_scan_job_run_finish (job, res, NULL))
    run->failed++;
  if (run->progress != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    run->progress (job, run->done, run->jobs->len, run->progress_data);
  run_fill (task);
}

static void
run_fill (GTask *task)
{
  ScanRun *run = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_cancellable_is_cancelled (cancellable))
    {
      /* nothing new; the running ones end soon (they have the same cancellable) */
      if (run->running == 0)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the scan was cancelled");
      return;
    }
  while (run->next < run->jobs->len && (run->max_parallel == 0 || run->running < run->max_parallel))
    {
      OneCall *c = g_new0 (OneCall, 1);

      c->task = g_object_ref (task);
      c->job = run->jobs->pdata[run->next++];
      run->running++;
      deck_scan_job_run_async (c->job, cancellable, one_done, c);
    }
  if (run->running == 0 && run->next >= run->jobs->len)
    g_task_return_int (task, run->failed);
}

void
deck_scan_run_async (GPtrArray          *jobs,
                     guint               max_parallel,
                     DeckScanProgress    progress,
                     gpointer            progress_data,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ScanRun *run = g_new0 (ScanRun, 1);

  g_task_set_source_tag (task, deck_scan_run_async);
  /* the cancellation is reported only once the running jobs have ended */
  g_task_set_check_cancellable (task, FALSE);
  run->jobs = g_ptr_array_ref (jobs);
  run->max_parallel = max_parallel;
  run->progress = progress;
  run->progress_data = progress_data;
  g_task_set_task_data (task, run, (GDestroyNotify) scan_run_free);
  run_fill (task);
}

gboolean
deck_scan_run_finish (GAsyncResult *result,
                      guint        *failed,
                      GError      **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if ((n = g_task_propagate_int (G_TASK (result), error)) < 0)
    return FALSE;
  if (failed != NULL)
    *failed = (guint) n;
  return TRUE;
}

/* --- results ---------------------------------------------------------------------------- */

static int
compare_records (gconstpointer a,
                 gconstpointer b)
{
  return deck_record_compare (*(DeckRecord **) a, *(DeckRecord **) b);
}

GPtrArray *
deck_scan_jobs_records (GPtrArray *jobs)
{
  GPtrArray *records = g_ptr_array_new ();
  guint n = 0;

  for (guint j = 0; j < jobs->len; j++)
    {
      DeckScanJob *job = g_ptr_array_index (jobs, j);
      GPtrArray *found;

      if (job->error)
        continue;
      found = deck_scanner_get_records (job->scanner);
      for (guint i = 0; i < found->len; i++)
        {
          DeckRecord *rec = g_ptr_array_index (found, i);

          if (job->type == NULL || g_ascii_strcasecmp (job->type, "ALL") == 0
              || g_ascii_strcasecmp (deck_record_get (rec, DECK_FIELD_TYPE), job->type) == 0)
            g_ptr_array_add (records, rec);
        }
    }
  /* sort -u across hosts: a host named twice (localhost and its name) counts once */
  g_ptr_array_sort (records, compare_records);
  for (guint i = 0; i < records->len; i++)
    if (n == 0 || deck_record_compare (records->pdata[n - 1], records->pdata[i]) != 0)
      records->pdata[n++] = records->pdata[i];
  g_ptr_array_set_size (records, n);
  return records;
}

gboolean
deck_scan_same_host (const char *pm,
                     const char *target)
{
  gsize p = strcspn (pm, "."), t = strcspn (target, ".");

  return strcmp (pm, target) == 0
         || (target[t] == '\0' && p == t && strncmp (pm, target, t) == 0)
         || (pm[p] == '\0' && p == t && strncmp (pm, target, p) == 0);
}

guint
deck_scan_keep_failed_hosts (const char *dir,
                             GPtrArray  *jobs,
                             GPtrArray  *records)
{
  g_autoptr(DeckInventory) old = deck_inventory_new ();
  const char * const dirs[] = { dir, NULL };
  GPtrArray *old_records;
  guint kept = 0;

  if (!deck_inventory_load (old, dirs, NULL))
    return 0;
  old_records = deck_inventory_get_records (old);
  for (guint i = 0; i < old_records->len; i++)
    {
      DeckRecord *rec = g_ptr_array_index (old_records, i);

      for (guint j = 0; j < jobs->len; j++)
        {
          DeckScanJob *job = g_ptr_array_index (jobs, j);

          if (job->error && deck_scan_same_host (deck_record_get (rec, DECK_FIELD_PM), job->target->host))
            {
              g_ptr_array_add (records, g_object_ref (rec));
              kept++;
              break;
            }
        }
    }
  return kept;
}
