/* deck-cancel.h: CANCEL on one host, VM-stack safe (spec §4.5, §5.2, §10)
 *
 * The sessions to cancel are the host's running domains (deck-list.h) that the address
 * selects, matched strictly (deck_address_matches on a record made of the live data and
 * the inventory's): one machine, or every domain but Domain-0 with ALL; several matches
 * without ALL are ambiguous, none is "no matching running session".
 *
 * Top-down: before a domain is stopped, what runs inside it is stopped first when the
 * inventory names the guest as a host (field 28 NETNAME, else field 7 TCP) and that host
 * answers over SSH: CANCEL=ALL with the same method runs there (recursively, at most 8
 * levels, each host once). FORCE skips this; an unreachable guest falls back to the
 * hypervisor alone (reported). Then the hypervisor step:
 *   POWEROFF[:s]  soft shutdown, wait up to s seconds (TIMEOUT:, else 20) for it to stop,
 *                 then destroy what still runs (POWEROFF:0: destroy at once)
 *   REBOOT        soft reboot              RESET    hard reset
 *   PAUSE (S3)    a real pause (spec REC)   SUSPEND  save to the state file
 *                 (SUSPEND:<file>, else <config dir>/<label>.stat), restorable with
 *                 CREATE=...,RESUME:<file>
 *   INIT:n        "init n" inside the guest over SSH; nothing without a reachable guest
 * SELF then powers the host itself off after its domains. CLIENT ends the client
 * processes of the sessions (vmdeck console windows on this machine, deck-sessions.h) and
 * leaves the sessions running; BOTH does that and the above.
 *
 * A dry run (-n) touches no hypervisor: the sessions are taken from the inventory, and
 * each step is reported as the line it would run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-call.h"
#include "deck-host.h"

G_BEGIN_DECLS

/* Called with each step as it starts (or, in a dry run, instead of it). */
typedef void (*DeckCancelReport) (const char *line,
                                  gpointer    user_data);

typedef struct {
  gboolean          dry_run;
  guint             default_delay;   /* DEFAULT_KILL_DELAY_POWEROFF; 0 = 20 */
  GPtrArray        *inventory;       /* DeckRecord: the caller's cacheDB, may be NULL */
  DeckCancelReport  report;
  gpointer          report_data;
} DeckCancelContext;

#define DECK_CANCEL_DEFAULT_DELAY 20

void      deck_cancel_async  (DeckHost                *host,
                              const DeckCancelRequest *request,
                              const DeckCancelContext *context,
                              GCancellable            *cancellable,
                              GAsyncReadyCallback      callback,
                              gpointer                 user_data);
gboolean  deck_cancel_finish (DeckHost                *host,
                              GAsyncResult            *result,
                              GError                 **error);

/* A step as @report_fn gets it: "<host>: [dry run] <text>" (nothing when @report_fn is
 * NULL). CREATE reports its steps the same way. */
void  deck_cancel_report_valist (DeckCancelReport  report_fn,
                                 gpointer          report_data,
                                 const char       *host,
                                 gboolean          dry_run,
                                 const char       *fmt,
                                 va_list           ap) G_GNUC_PRINTF (5, 0);

/* CLIENT (spec §5.2.3), and CREATE's RECONNECT: ends the console windows this machine holds
 * open on the machine @label (the session registry), each reported through @report_fn as
 * "end the <type> client of <label> (pid N)"; a dry run ends nothing. Returns what could
 * not be ended ("; "-separated), or NULL. */
char *deck_cancel_end_clients   (const char       *label,
                                 gboolean          dry_run,
                                 DeckCancelReport  report_fn,
                                 gpointer          report_data,
                                 const char       *host);

G_END_DECLS
