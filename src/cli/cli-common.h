/* cli-common.h: what ctys, ctys-vhost and ctys-vdbgen share
 *
 * Option words of the ctys syntax (ctys's command line, option groups of targets) are
 * parsed by deck-call.h only; hosts and scan jobs are deck-scan-job.h's (shared with the
 * window's rescan); this file makes jobs from a call's words and runs jobs on a main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "deck-call.h"
#include "deck-host.h"
#include "deck-macros.h"
#include "deck-scan-job.h"
#include "deck-scanner.h"
#include "deck-suboptions.h"
#include "deck-targets.h"

G_BEGIN_DECLS

/* Exit codes shared by the commands (ctys-vhost's own codes are in spec §6.4). */
enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_USAGE = 1,
  CLI_EXIT_MISSING_DB = 2,
  CLI_EXIT_MISSING_DB_DIR = 7,
  CLI_EXIT_AMBIGUOUS = 11,
};

/* Prints "<prog>: <message>" to stderr. */
void cli_print_error   (const char *prog,
                        const GError *error);
void cli_print_warning (const char *prog,
                        const char *message);

/* The default macro set (deck_macros_new (NULL)), made on first use and kept for the
 * process; for deck_call_parse() and cli_expand_macros(). */
DeckMacros *cli_default_macros (void);

/* Expands macros (macro:NAME) in @text with the default macro set; prints the error and
 * returns NULL on failure. */
char *cli_expand_macros (const char *prog,
                         const char *text);

/* Seconds a remote scan may take. */
#define CLI_SCAN_TIMEOUT DECK_SCAN_TIMEOUT

/* ctys-vdbgen: parses the target words of a call (deck_targets_parse; none = localhost) and
 * makes one job per target (deck_scan_jobs_new). @prepend are option words that apply to every target before
 * its own group (the global -l and -Z); the words are parsed with deck_call_options_apply(),
 * errors are prefixed with the target's host. */
GPtrArray  *cli_scan_jobs_new  (const char * const *words,
                                const char * const *prepend,
                                gboolean            allow_duplicates,
                                GError            **error);

/* Runs the jobs, at most @max_parallel at a time (0 = all), local ones in a worker
 * thread and remote ones over SSH; a job whose options say -b sequential runs alone
 * (cli_run_jobs). Warnings are printed as they come ("<prog>: warning: <host>: ..."), a
 * failed host as "<prog>: error: ...". Returns the number of hosts that failed. */
guint       cli_scan_run       (const char *prog,
                                GPtrArray  *jobs,
                                guint       max_parallel);

/* The ssh program from a --ssh=<command> argument (see deck_ssh_set_default_program). */
gboolean    cli_take_ssh_option (const char *arg,
                                 GError    **error);

/* --- running jobs on a main loop ------------------------------------------------ */

typedef struct _CliRunner CliRunner;

/* Starts job @index; the job calls cli_runner_job_done() when it has finished. */
typedef void (*CliRunnerStart) (CliRunner *runner,
                                guint      index,
                                gpointer   user_data);

/* Runs @n jobs in their order on a main loop of the thread-default context and returns when
 * all are done: at most @max_parallel at a time (0 = no limit); a job with @sequential[i]
 * (-b sequential; @sequential may be NULL) waits for the jobs started before it and runs
 * alone, as ctys runs a job in sequential mode. */
void        cli_run_jobs        (guint           n,
                                 const gboolean *sequential,
                                 guint           max_parallel,
                                 CliRunnerStart  start,
                                 gpointer        user_data);
void        cli_runner_job_done (CliRunner      *runner);

G_END_DECLS
