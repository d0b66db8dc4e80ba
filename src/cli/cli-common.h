/* cli-common.h: what ctys, ctys-vhost and ctys-vdbgen share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "deck-host.h"
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

/* Expands macros (macro:NAME) in @text with the default macro set; prints the error and
 * returns NULL on failure. */
char *cli_expand_macros (const char *prog,
                         const char *text);

/* ctys options that take a value (spec §2.1). */
#define CLI_VALUE_OPTIONS "atTpcCbdzZLglrsADWxP"

/* Seconds a remote scan may take. */
#define CLI_SCAN_TIMEOUT 300

/* One host of an ENUMERATE or ctys-vdbgen call: where to scan and how. */
typedef struct {
  DeckTarget  *target;
  DeckHost    *host;
  DeckScanner *scanner;
  char        *type;     /* session type kept (-t), NULL = all */
  GError      *error;    /* after cli_scan_run: why this host failed */
  double       seconds;  /* after cli_scan_run: how long it took */
} CliScanJob;

void        cli_scan_job_free (CliScanJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliScanJob, cli_scan_job_free)

/* Parses the target words of a call (deck_targets_parse; none = localhost) and makes one
 * job per target with a new scanner. @prepend are options that apply to every target
 * before its own (the global -l and -Z). Each host runs ssh in batch mode. */
GPtrArray  *cli_scan_jobs_new  (const char * const *words,
                                const char * const *prepend,
                                gboolean            allow_duplicates,
                                GError            **error);

/* Applies the -a ENUMERATE suboptions that configure a scan (B/BASE/BASEPATH, MATCHVSTAT)
 * to @scanner; anything else is DECK_ERROR_USAGE. */
gboolean    cli_scan_take_suboption (DeckScanner         *scanner,
                                     const DeckSuboption *opt,
                                     GError             **error);

/* Applies the options of the job's target that matter for ENUMERATE: -t (else
 * @global_type) and -a ENUMERATE=<B and MATCHVSTAT suboptions>; -l and -Z were taken by the
 * host, the other ctys options are accepted. */
gboolean    cli_scan_job_apply_options (CliScanJob *job,
                                        const char *global_type,
                                        GError    **error);

/* Runs the jobs, at most @max_parallel at a time (0 = all), local ones in a worker
 * thread and remote ones over SSH. Warnings are printed as they come
 * ("<prog>: warning: <host>: ..."), a failed host as "<prog>: error: ...". Returns the
 * number of hosts that failed. */
guint       cli_scan_run       (const char *prog,
                                GPtrArray  *jobs,
                                guint       max_parallel);

/* The records of the jobs that succeeded, of their session type, sorted and unique
 * (borrowed from the scanners). */
GPtrArray  *cli_scan_records   (GPtrArray  *jobs);

/* The ssh program from a --ssh=<command> argument (see deck_ssh_set_default_program). */
gboolean    cli_take_ssh_option (const char *arg,
                                 GError    **error);

G_END_DECLS
