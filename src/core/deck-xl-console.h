/* deck-xl-console.h: the command that attaches a terminal to an xl domain's console
 *
 * "xl console <dom>" (with the host's privilege prefix, spec §3.5), run directly on the
 * machine vmdeck runs on, else through "ssh -t -t" to the host (xl console needs a
 * terminal on the far side, spec §3.4) riding the host's master (the DeckSshCommand of
 * the host: ControlPath, ControlMaster=no). The result is an argv for a pty (a VTE, a
 * terminal emulator); nothing is joined into a local shell string.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "deck-host.h"

G_BEGIN_DECLS

typedef enum {
  DECK_XL_CONSOLE_NONE      = 0,
  /* "-t serial": the emulated serial line instead of the primary console (PV console of
   * a PV guest, serial line of an HVM one) */
  DECK_XL_CONSOLE_SERIAL    = 1 << 0,
  /* for a terminal widget of vmdeck's own: ssh's escape character off ("~." and friends
   * reach the guest), and its chatter ("Shared connection to ... closed.") not printed in
   * the guest's text (errors still are) */
  DECK_XL_CONSOLE_EMBEDDED = 1 << 1,
  /* no terminal on the far side ("ssh -T", ctys -z NOPTY) */
  DECK_XL_CONSOLE_NO_PTY   = 1 << 2,
} DeckXlConsoleFlags;

/* The argv. @prefix: the privilege prefix (DeckXl's probed one; NULL = none). Errors:
 * those of deck_xl_console_argv (a bad domain name) and deck_ssh_command_build. */
char **deck_xl_console_command (DeckHost           *host,
                                const char * const *prefix,
                                const char         *dom,
                                DeckXlConsoleFlags  flags,
                                GError            **error);

G_END_DECLS
