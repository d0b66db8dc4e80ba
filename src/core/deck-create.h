/* deck-create.h: CREATE on one host (spec §4.2, §5.1)
 *
 * The address is resolved to a config on the host (deck-resolver.h, with the -c mode),
 * then, by the config's kind:
 *   a libvirt domain XML (session type QEMU, ...): defined on the host's libvirt daemon
 *     when it is not defined yet, then started;
 *   an xl config (XEN): "xl create <cfg> [callopts]" through the xl backend, with the
 *     host's privilege prefix.
 * Connection modes (§5.1.2): none (error when it runs already: use REUSE), CONNECT (error
 * when it does not run), REUSE, RECONNECT (REUSE after ending the console windows this
 * machine holds open on it, from the session registry), RESUME[:<file>] (restore the
 * state file, else unpause a paused domain, else start, from libvirt's managed save image
 * when there is one).
 * Consoles: NONE (the default here: ctys's default XTERM needs the X11 plugin) starts
 * headless; CLI runs the domain's serial console in the caller's terminal (virsh console /
 * xl console through the host's master) until it is left; VNC opens vmdeck's own console
 * window on it ("vmdeck --console", remote hosts through a forward on the host's master;
 * it waits for the VNC port itself), detached from the caller; XTERM, GTERM and EMACS*
 * run the CLI console command in a terminal window of its own (deck-terminal.h), also
 * detached; SDL is refused with a clear error (vmdeck has no SDL viewer).
 *
 * A dry run resolves the address and reports every step, touching no hypervisor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-call.h"
#include "deck-cancel.h"
#include "deck-host.h"
#include "deck-resolver.h"

G_BEGIN_DECLS

typedef struct {
  gboolean            dry_run;
  DeckResolveOptions  resolve;      /* -c, -p, -t */
  char               *terminal_geometry;   /* -g as "WxH[+X+Y]" for terminal consoles, or NULL */
  gboolean            no_pty;       /* -z NOPTY with CONSOLE:CLI: an xl console through ssh gets
                                     * no remote terminal (no -t -t) */
  DeckCancelReport    report;       /* each step as it starts */
  gpointer            report_data;
} DeckCreateContext;

void      deck_create_async  (DeckHost                *host,
                              const DeckCreateRequest *request,
                              const DeckCreateContext *context,
                              GCancellable            *cancellable,
                              GAsyncReadyCallback      callback,
                              gpointer                 user_data);
/* finish: @console_argv gets the argv that attaches the requested console, or NULL; with
 * @detach FALSE run it in the caller's terminal until it ends (CLI), with TRUE start it
 * and let it run on its own (VNC window, terminal window). */
gboolean  deck_create_finish (DeckHost                *host,
                              GAsyncResult            *result,
                              char                  ***console_argv,
                              gboolean                *detach,
                              GError                 **error);

/* The label of the machine @result started (valid while @result lives), or NULL when the
 * address was not resolved. */
const char *deck_create_get_label (GAsyncResult *result);

G_END_DECLS
