/* deck-terminal.h: the terminal programs behind CREATE's CONSOLE:XTERM, GTERM and EMACS*
 *
 * Spec §5.1.3: these consoles run the machine's console command (the one CONSOLE:CLI runs
 * in the caller's terminal) in a terminal window of its own:
 *   XTERM    xterm -T <title> -n <title> [-geometry <g>] -e <command...>
 *   GTERM    gnome-terminal --wait --title=<title> [--geometry=<g>] -- <command...>;
 *            xterm when gnome-terminal is not installed (ctys maps GTERM to XTERM)
 *   EMACS    emacs [-T <title>] [--geometry=<g>] with a comint (shell-mode) buffer
 *            "*<title>*" running the command; EMACSA the same in an ansi-term buffer;
 *            the M variants open the frame maximized (-mm)
 * The command and the title reach Emacs as plain arguments that a constant Lisp
 * expression takes from command-line-args-left: nothing from the data is ever read as
 * Lisp, and no shell is involved anywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "deck-call.h"

G_BEGIN_DECLS

/* @geometry: X geometry "<W>x<H>[(+|-)<X>(+|-)<Y>]" in characters (-g), or NULL. Returns
 * the argv, or NULL with DECK_ERROR_USAGE for a console that is no terminal or
 * an empty command. */
char **deck_terminal_argv (DeckConsole          console,
                           const char          *title,
                           const char          *geometry,
                           const char * const  *command,
                           GError             **error);

/* "WxH[+X+Y]" of a -g value (its screen/layout parts are no terminal's business), or NULL */
char  *deck_terminal_geometry (const DeckCallGeometry *geometry);

G_END_DECLS
