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

GPtrArray *
cli_scan_jobs_new (const char * const *words,
                   const char * const *prepend,
                   gboolean            allow_duplicates,
                   GError            **error)
{
  g_autoptr(GPtrArray) targets = NULL;

  if (words == NULL || words[0] == NULL)
    {
      targets = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_target_free);
      g_ptr_array_add (targets, deck_target_new (NULL, "localhost", NULL));
    }
  else if ((targets = deck_targets_parse (words, NULL, allow_duplicates, error)) == NULL)
    return NULL;

  return deck_scan_jobs_new (targets, prepend, cli_default_macros (), error);
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
  ScanRun     *run;
  CliRunner   *runner;
  DeckScanJob *job;
} JobCall;

static void
job_done (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  JobCall *call = data;
  DeckScanJob *job = call->job;
  ScanRun *run = call->run;
  CliRunner *runner = call->runner;

  g_free (call);
  if (deck_scan_job_run_finish (job, res, NULL))
    {
      const char * const *warnings = deck_scanner_get_warnings (job->scanner);

      for (guint i = 0; warnings[i]; i++)
        cli_print_warning (run->prog, warnings[i]);
    }
  else
    {
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
  deck_scan_job_run_async (call->job, NULL, job_done, call);
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
      DeckScanJob *job = g_ptr_array_index (jobs, j);

      sequential[j] = job->options->order == DECK_CALL_ORDER_SEQUENTIAL;
    }
  cli_run_jobs (jobs->len, sequential, max_parallel, start_scan, &run);
  return run.failed;
}

gboolean
cli_take_ssh_option (const char *arg,
                     GError    **error)
{
  return deck_ssh_set_default_program (arg + strlen ("--ssh="), error);
}
