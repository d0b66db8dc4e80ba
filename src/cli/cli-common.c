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

char *
cli_expand_macros (const char *prog,
                   const char *text)
{
  static DeckMacros *macros;
  g_autoptr(GError) error = NULL;
  char *expanded;

  if (macros == NULL)
    macros = deck_macros_new (NULL);
  expanded = deck_macros_expand (macros, text, &error);
  if (expanded == NULL)
    cli_print_error (prog, error);
  return expanded;
}

void
cli_scan_job_free (CliScanJob *job)
{
  g_clear_pointer (&job->target, deck_target_free);
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
      g_autoptr(CliScanJob) job = g_new0 (CliScanJob, 1);
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

      /* the call's global options come before the target's own */
      if (prepend)
        g_strv_builder_addv (b, (const char **) prepend);
      g_strv_builder_addv (b, (const char **) t->options);
      job->target = deck_target_copy (t);
      g_strfreev (job->target->options);
      job->target->options = g_strv_builder_end (b);
      if ((job->host = deck_host_new_from_target (job->target, error)) == NULL)
        return NULL;
      if (!deck_host_is_local (job->host))
        deck_ssh_command_set_batch_mode (deck_host_get_ssh (job->host), TRUE);
      job->scanner = deck_scanner_new ();
      g_ptr_array_add (jobs, g_steal_pointer (&job));
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

static gboolean
set_usage (GError    **error,
           const char *fmt,
           ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_usage (GError    **error,
           const char *fmt,
           ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, DECK_ERROR, DECK_ERROR_USAGE, msg);
  return FALSE;
}

/* The options of one target's group that matter for ENUMERATE: -a enumerate=<scan
 * suboptions> and -t. -l and -Z were taken by the host; the others are accepted. */
gboolean
cli_scan_job_apply_options (CliScanJob *job,
                            const char *global_type,
                            GError    **error)
{
  char **opts = job->target->options;

  job->type = g_strdup (global_type);
  for (guint i = 0; opts[i]; i++)
    {
      const char *opt = opts[i];

      if (g_str_has_prefix (opt, "--uri="))
        continue;   /* taken by the host */
      if (opt[0] != '-' || opt[1] == '\0' || opt[2] != '\0')
        return set_usage (error, "%s: unexpected '%s' in the option group", job->target->host, opt);
      if (strchr (CLI_VALUE_OPTIONS, opt[1]) == NULL)
        continue;   /* a flag */
      if (opts[i + 1] == NULL)
        return set_usage (error, "%s: option %s needs a value", job->target->host, opt);
      if (opt[1] == 't')
        {
          g_free (job->type);
          job->type = g_ascii_strup (opts[i + 1], -1);
        }
      else if (opt[1] == 'a')
        {
          g_autofree char *action = NULL, *args = NULL;
          g_autoptr(GPtrArray) subopts = NULL;

          deck_suboptions_split_action (opts[i + 1], &action, &args);
          if (strcmp (action, "ENUMERATE") != 0)
            return set_usage (error, "%s: action %s in an option group of an ENUMERATE call",
                                job->target->host, action);
          if ((subopts = deck_suboptions_parse (args ? args : "", error)) == NULL)
            return FALSE;
          for (guint k = 0; k < subopts->len; k++)
            if (!cli_scan_take_suboption (job->scanner, g_ptr_array_index (subopts, k), error))
              {
                g_prefix_error (error, "%s: (only B and MATCHVSTAT can differ per host) ",
                                job->target->host);
                return FALSE;
              }
        }
      i++;
    }
  return TRUE;
}

typedef struct {
  const char *prog;
  GPtrArray *jobs;
  guint next;        /* index of the next job to start */
  guint running;
  guint max_parallel;
  guint failed;
  GMainLoop *loop;
} ScanRun;

static void start_jobs (ScanRun *run);

typedef struct {
  ScanRun *run;
  CliScanJob *job;
  gint64 t0;
} JobCall;

static void
job_done (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  JobCall *call = data;
  CliScanJob *job = call->job;
  ScanRun *run = call->run;
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
  run->running--;
  start_jobs (run);
}

static void
start_jobs (ScanRun *run)
{
  while (run->next < run->jobs->len && (run->max_parallel == 0 || run->running < run->max_parallel))
    {
      JobCall *call = g_new0 (JobCall, 1);

      call->run = run;
      call->job = g_ptr_array_index (run->jobs, run->next++);
      call->t0 = g_get_monotonic_time ();
      run->running++;
      if (deck_host_is_local (call->job->host))
        deck_scanner_run_async (call->job->scanner, NULL, job_done, call);
      else
        deck_scanner_run_remote_async (call->job->scanner, deck_host_get_master (call->job->host),
                                       CLI_SCAN_TIMEOUT, NULL, job_done, call);
    }
  if (run->running == 0)
    g_main_loop_quit (run->loop);
}

guint
cli_scan_run (const char *prog,
              GPtrArray  *jobs,
              guint       max_parallel)
{
  ScanRun run = { prog, jobs, 0, 0, max_parallel, 0, g_main_loop_new (NULL, FALSE) };

  start_jobs (&run);
  if (run.running > 0)
    g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
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
