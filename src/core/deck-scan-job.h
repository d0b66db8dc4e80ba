/* deck-scan-job.h: one host of an inventory scan, and what ctys-vdbgen, ctys ENUMERATE
 * and the window's rescan share about scanning many hosts
 *
 * A job is a target (host and options of a ctys call or group file), the host made from
 * it, and a scanner configured by the target's options (-t, -a ENUMERATE=B:...,
 * MATCHVSTAT). It runs locally in a worker thread or remotely over the host's SSH master
 * (deck-scanner.h). deck_scan_run_async runs many at a time on the caller's main context
 * and reports each host as it finishes; deck_scan_jobs_records merges what they found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-call.h"
#include "deck-host.h"
#include "deck-macros.h"
#include "deck-scanner.h"
#include "deck-suboptions.h"
#include "deck-targets.h"

G_BEGIN_DECLS

/* Seconds a remote scan may take. */
#define DECK_SCAN_TIMEOUT 300

/* The host a job works on: @target's host reached as @user (NULL = ssh's default), with the
 * privilege raising (-Z), libvirt URIs (--uri=), backend (--backend=) and SSH port
 * (--ssh-port=) of @options; a
 * remote host runs ssh in batch mode. "localhost" and this machine's name without a user
 * are the local host. */
DeckHost    *deck_scan_host_new        (const DeckTarget      *target,
                                        const char            *user,
                                        const DeckCallOptions *options,
                                        GError               **error);

typedef struct {
  DeckTarget      *target;
  DeckCallOptions *options;  /* the job's options (the call's and the group's) */
  DeckHost        *host;
  DeckScanner     *scanner;
  char            *type;     /* session type kept (-t), NULL = all */
  GError          *error;    /* after a run: why this host failed */
  double           seconds;  /* after a run: how long it took */
} DeckScanJob;

/* A job with a new scanner; @options are copied, @host is referenced; type = options->type. */
DeckScanJob *deck_scan_job_new         (const DeckTarget      *target,
                                        const DeckCallOptions *options,
                                        DeckHost              *host);
void         deck_scan_job_free        (DeckScanJob           *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckScanJob, deck_scan_job_free)

/* One job per target of @targets (DeckTarget). @prepend are option words that apply to
 * every target before its own (a call's global -l and -Z); the words are parsed with
 * deck_call_options_apply() and @macros, errors are prefixed with the target's host. */
GPtrArray   *deck_scan_jobs_new        (GPtrArray             *targets,
                                        const char * const    *prepend,
                                        DeckMacros            *macros,
                                        GError               **error);

/* Applies the -a ENUMERATE suboptions that configure a scan (B/BASE/BASEPATH, MATCHVSTAT)
 * to @scanner; anything else is DECK_ERROR_USAGE. */
gboolean     deck_scan_take_suboption  (DeckScanner           *scanner,
                                        const DeckSuboption   *opt,
                                        GError               **error);

/* Applies what the job's options say for ENUMERATE: -t (else @global_type) and
 * -a ENUMERATE=<B and MATCHVSTAT suboptions>; another action is an error. -l, -Z and --uri=
 * were taken by the host, the other options are accepted. */
gboolean     deck_scan_job_apply_options (DeckScanJob         *job,
                                        const char            *global_type,
                                        GError               **error);

/* Runs one job: locally in a worker thread, remotely over the host's master (at most
 * DECK_SCAN_TIMEOUT seconds). finish sets job->error (prefixed with the host) and
 * job->seconds, and returns FALSE with a copy of the error. */
void         deck_scan_job_run_async   (DeckScanJob           *job,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);
gboolean     deck_scan_job_run_finish  (DeckScanJob           *job,
                                        GAsyncResult          *result,
                                        GError               **error);

/* Called as each job ends (job->error says how), with the number done so far. */
typedef void (*DeckScanProgress) (DeckScanJob *job,
                                  guint        done,
                                  guint        total,
                                  gpointer     user_data);

/* Runs @jobs (DeckScanJob), at most @max_parallel at a time (0 = all), on the
 * thread-default main context. finish: the number of hosts that failed; FALSE with
 * G_IO_ERROR_CANCELLED when @cancellable was cancelled (the jobs still running are
 * cancelled and waited for). */
void         deck_scan_run_async       (GPtrArray             *jobs,
                                        guint                  max_parallel,
                                        DeckScanProgress       progress,
                                        gpointer               progress_data,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);
gboolean     deck_scan_run_finish      (GAsyncResult          *result,
                                        guint                 *failed,
                                        GError               **error);

/* The records of the jobs that succeeded, of their session type, sorted and unique
 * (borrowed from the scanners). */
GPtrArray   *deck_scan_jobs_records    (GPtrArray             *jobs);

/* Does record host @pm (field 1) name the target host @target (equal, or one is the
 * other's short form)? */
gboolean     deck_scan_same_host       (const char            *pm,
                                        const char            *target);

/* Adds to @records the records of the database in @dir whose host is one of the jobs
 * that failed (a replace keeps what a host that could not be scanned had). Returns how
 * many were kept. */
guint        deck_scan_keep_failed_hosts (const char          *dir,
                                        GPtrArray             *jobs,
                                        GPtrArray             *records);

G_END_DECLS
