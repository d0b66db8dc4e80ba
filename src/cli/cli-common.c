/* cli-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli-common.h"

#include <string.h>

#include "deck-macros.h"
#include "deck-record.h"
#include "deck-error.h"
#include "deck-scanner.h"

void
cli_print_error (const char   *prog,
                 const GError *error)
{
  g_printerr ("%s: error: %s\n", prog, error->message);
}

void
cli_print_warning (const char *prog,
                   const char *message)
{
  g_printerr ("%s: warning: %s\n", prog, message);
}

DeckMacros *
cli_default_macros (void)
{
  static DeckMacros *macros;

  if (macros == NULL)
    macros = deck_macros_new (NULL);
  return macros;
}

char *
cli_expand_macros (const char *prog,
                   const char *text)
{
  g_autoptr(GError) error = NULL;
  char *expanded;

  expanded = deck_macros_expand (cli_default_macros (), text, &error);
  if (expanded == NULL)
    cli_print_error (prog, error);
  return expanded;
}

DeckHost *
cli_host_new (const DeckTarget      *target,
              const char            *user,
              const DeckCallOptions *options,
              GError               **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) words = NULL;
  g_autoptr(DeckTarget) t = NULL;
  DeckHost *host;

  /* deck_host_new_from_target() knows "localhost" and this machine's names and takes the
   * URIs; -l and -Z come from the parsed options (global and group merged). */
  for (guint i = 0; options->uris != NULL && options->uris[i] != NULL; i++)
    {
      g_autofree char *word = g_strconcat ("--uri=", options->uris[i], NULL);

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

CliScanJob *
cli_scan_job_new (const DeckTarget      *target,
                  const DeckCallOptions *options,
                  DeckHost              *host)
{
  CliScanJob *job = g_new0 (CliScanJob, 1);

  job->target = deck_target_copy (target);
  job->options = deck_call_options_copy (options);
  job->host = g_object_ref (host);
  job->scanner = deck_scanner_new ();
  job->type = g_strdup (options->type);
  return job;
}

void
cli_scan_job_free (CliScanJob *job)
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
cli_scan_jobs_new (const char * const *words,
                   const char * const *prepend,
                   gboolean            allow_duplicates,
                   GError            **error)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cli_scan_job_free);

  if (words == NULL || words[0] == NULL)
    {
      targets = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_target_free);
      g_ptr_array_add (targets, deck_target_new (NULL, "localhost", NULL));
    }
  else if ((targets = deck_targets_parse (words, NULL, allow_duplicates, error)) == NULL)
    return NULL;

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
      if (!deck_call_options_apply (options, (const char * const *) all, cli_default_macros (), error))
        {
          g_prefix_error (error, "%s: ", t->host);
          return NULL;
        }
      host = cli_host_new (t, t->user != NULL ? t->user : options->user, options, error);
      if (host == NULL)
        return NULL;
      g_ptr_array_add (jobs, cli_scan_job_new (merged, options, host));
    }
  return g_steal_pointer (&jobs);
}

gboolean
cli_scan_take_suboption (DeckScanner         *scanner,
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
cli_scan_job_apply_options (CliScanJob *job,
                            const char *global_type,
                            GError    **error)
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
    if (!cli_scan_take_suboption (job->scanner, g_ptr_array_index (subopts, k), error))
      {
        g_prefix_error (error, "%s: (only B and MATCHVSTAT can differ per host) ",
                        job->target->host);
        return FALSE;
      }
  return TRUE;
}

/* --- running jobs --------------------------------------------------------------- */

struct _CliRunner {
  guint           n;
  const gboolean *sequential;
  guint           max_parallel;
  CliRunnerStart  start;
  gpointer        user_data;
  guint           next;       /* index of the next job to start */
  guint           running;
  gboolean        alone;      /* a sequential job runs: start nothing else */
  gboolean        filling;
  GMainLoop      *loop;
};

static void
runner_fill (CliRunner *r)
{
  if (r->filling)
    return;   /* a job that finished inside start(): the loop below goes on */
  r->filling = TRUE;
  while (r->next < r->n)
    {
      gboolean seq = r->sequential != NULL && r->sequential[r->next];
      guint i;

      if (r->running > 0 && (r->alone || seq || (r->max_parallel > 0 && r->running >= r->max_parallel)))
        break;
      i = r->next++;
      r->running++;
      r->alone = seq;
      r->start (r, i, r->user_data);
    }
  r->filling = FALSE;
  if (r->running == 0 && r->next >= r->n && g_main_loop_is_running (r->loop))
    g_main_loop_quit (r->loop);
}

void
cli_runner_job_done (CliRunner *runner)
{
  g_assert (runner->running > 0);
  if (--runner->running == 0)
    runner->alone = FALSE;
  runner_fill (runner);
}

void
cli_run_jobs (guint           n,
              const gboolean *sequential,
              guint           max_parallel,
              CliRunnerStart  start,
              gpointer        user_data)
{
  CliRunner r = { n, sequential, max_parallel, start, user_data, 0, 0, FALSE, FALSE, NULL };

  r.loop = g_main_loop_new (NULL, FALSE);
  runner_fill (&r);
  while (r.running > 0 || r.next < r.n)
    {
      g_main_loop_run (r.loop);
      runner_fill (&r);
    }
  g_main_loop_unref (r.loop);
}

/* --- scans ---------------------------------------------------------------------- */

typedef struct {
  const char *prog;
  GPtrArray  *jobs;
  guint       failed;
} ScanRun;

typedef struct {
  ScanRun    *run;
  CliRunner  *runner;
  CliScanJob *job;
  gint64      t0;
} JobCall;

static void
job_done (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  JobCall *call = data;
  CliScanJob *job = call->job;
  ScanRun *run = call->run;
  CliRunner *runner = call->runner;
  gboolean ok;

  if (deck_host_is_local (job->host))
    ok = deck_scanner_run_finish (job->scanner, res, &job->error);
  else
    ok = deck_scanner_run_remote_finish (job->scanner, res, &job->error);
  job->seconds = (g_get_monotonic_time () - call->t0) / 1e6;
  g_free (call);

  if (ok)
    {
      const char * const *warnings = deck_scanner_get_warnings (job->scanner);

      for (guint i = 0; warnings[i]; i++)
        cli_print_warning (run->prog, warnings[i]);
    }
  else
    {
      if (!g_str_has_prefix (job->error->message, job->target->host))
        g_prefix_error (&job->error, "%s: ", job->target->host);
      cli_print_error (run->prog, job->error);
      run->failed++;
    }
  cli_runner_job_done (runner);
}

static void
start_scan (CliRunner *runner,
            guint      index,
            gpointer   data)
{
  ScanRun *run = data;
  JobCall *call = g_new0 (JobCall, 1);

  call->run = run;
  call->runner = runner;
  call->job = g_ptr_array_index (run->jobs, index);
  call->t0 = g_get_monotonic_time ();
  if (deck_host_is_local (call->job->host))
    deck_scanner_run_async (call->job->scanner, NULL, job_done, call);
  else
    deck_scanner_run_remote_async (call->job->scanner, deck_host_get_master (call->job->host),
                                   CLI_SCAN_TIMEOUT, NULL, job_done, call);
}

guint
cli_scan_run (const char *prog,
              GPtrArray  *jobs,
              guint       max_parallel)
{
  ScanRun run = { prog, jobs, 0 };
  g_autofree gboolean *sequential = g_new0 (gboolean, jobs->len + 1);

  for (guint j = 0; j < jobs->len; j++)
    {
      CliScanJob *job = g_ptr_array_index (jobs, j);

      sequential[j] = job->options->order == DECK_CALL_ORDER_SEQUENTIAL;
    }
  cli_run_jobs (jobs->len, sequential, max_parallel, start_scan, &run);
  return run.failed;
}

static int
compare_records (gconstpointer a,
                 gconstpointer b)
{
  return deck_record_compare (*(DeckRecord **) a, *(DeckRecord **) b);
}

GPtrArray *
cli_scan_records (GPtrArray *jobs)
{
  GPtrArray *records = g_ptr_array_new ();
  guint n = 0;

  for (guint j = 0; j < jobs->len; j++)
    {
      CliScanJob *job = g_ptr_array_index (jobs, j);
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
cli_take_ssh_option (const char *arg,
                     GError    **error)
{
  return deck_ssh_set_default_program (arg + strlen ("--ssh="), error);
}
