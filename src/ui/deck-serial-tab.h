/* deck-serial-tab.h: a console tab showing a domain's serial console (VTE)
 *
 * The console is libvirt's (deck_libvirt_open_console_async: a GIOStream; over qemu+ssh
 * it rides the host's master like every libvirt call), or with the xl backend "xl console"
 * run by the terminal on a pty of its own, through "ssh -t -t" on the host's master
 * (deck_xl_console_command); that command ending is a lost connection. What the guest writes is fed to a
 * VteTerminal; what the user types there (VTE's "commit": keys, pastes, the terminal's
 * own answers to queries) is written to the stream, in order, one write at a time. The
 * guest stopping is end-of-file: the base class then waits for the domain to start and
 * opens the console again. The terminal keeps its text (and scrollback) across
 * reconnections.
 *
 * While connected the tab is a CLIENT of type "CLI" in the session registry
 * (deck-sessions.h).
 *
 * Keys (handled by the tab, so they work in any window): Ctrl+Shift+C copy, Ctrl+Shift+V
 * paste, Ctrl+plus / Ctrl+minus / Ctrl+0 font size. Actions in the "tab" group, beside
 * the base class's: tab.copy, tab.paste, tab.zoom-in, tab.zoom-out, tab.zoom-reset.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <vte/vte.h>

#include "deck-console-tab.h"

G_BEGIN_DECLS

/* Lines of scrollback the terminal keeps. */
#define DECK_SERIAL_TAB_SCROLLBACK_LINES 10000

#define DECK_TYPE_SERIAL_TAB (deck_serial_tab_get_type ())
G_DECLARE_FINAL_TYPE (DeckSerialTab, deck_serial_tab, DECK, SERIAL_TAB, DeckConsoleTab)

/* @host: the host @libvirt's daemon runs on (NULL: this machine); for the title only,
 * the console itself comes through @libvirt. */
DeckSerialTab *deck_serial_tab_new          (DeckLibvirt   *libvirt,
                                             const char    *domain,
                                             DeckHost      *host);
/* The same on a domain of the xl backend (the host is @xl's). */
DeckSerialTab *deck_serial_tab_new_xl       (DeckXl        *xl,
                                             const char    *domain);

VteTerminal   *deck_serial_tab_get_terminal (DeckSerialTab *self);

/* Everything the terminal holds, scrollback included, as plain text. */
char          *deck_serial_tab_dup_text     (DeckSerialTab *self);

/* The font scale (1.0 = the system's monospace font); clamped to 0.25..4.0. */
double         deck_serial_tab_get_font_scale (DeckSerialTab *self);
void           deck_serial_tab_set_font_scale (DeckSerialTab *self,
                                               double         scale);

G_END_DECLS
