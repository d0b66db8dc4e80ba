/* deck-console-window.h: a window of console tabs
 *
 * A GtkApplicationWindow with a notebook of DeckConsoleTab (VNC and serial alike; the
 * window talks to the base class only). The header bar names the current tab and its
 * state. A tab's close button (or win.close-tab for the current one) closes it: the tab
 * disconnects at once, which frees its stream or ssh forward, and is destroyed. With
 * "close-when-empty" (the default) the window closes after its last tab.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "deck-console-tab.h"

G_BEGIN_DECLS

#define DECK_TYPE_CONSOLE_WINDOW (deck_console_window_get_type ())
G_DECLARE_FINAL_TYPE (DeckConsoleWindow, deck_console_window, DECK, CONSOLE_WINDOW, GtkApplicationWindow)

/* @application may be NULL (tests). */
DeckConsoleWindow *deck_console_window_new               (GtkApplication    *application);

/* Appends @tab (the window takes it; a floating reference is sunk), shows and selects
 * it. Connecting it is the caller's business (deck_console_tab_connect_async). */
void               deck_console_window_add_tab           (DeckConsoleWindow *self,
                                                          DeckConsoleTab    *tab);
/* Disconnects @tab and removes it (it is destroyed unless someone holds a reference). */
void               deck_console_window_close_tab         (DeckConsoleWindow *self,
                                                          DeckConsoleTab    *tab);

/* Moves @tab out of whatever notebook holds it (the main window's, another console
 * window's) into a new console window of the same application, keeping its connection
 * (a VNC tab keeps its display and ssh forward, a serial tab its stream). The old
 * container's "close-requested" handlers are disconnected: the new window closes it. A
 * tab that is already alone in a console window stays there. Returns the window (owned
 * by GTK). */
DeckConsoleWindow *deck_console_window_detach_tab        (DeckConsoleTab    *tab);

guint              deck_console_window_get_n_tabs        (DeckConsoleWindow *self);
DeckConsoleTab    *deck_console_window_get_tab           (DeckConsoleWindow *self,
                                                          guint              index);
/* NULL when there is no tab. */
DeckConsoleTab    *deck_console_window_get_current_tab   (DeckConsoleWindow *self);

gboolean           deck_console_window_get_close_when_empty (DeckConsoleWindow *self);
void               deck_console_window_set_close_when_empty (DeckConsoleWindow *self,
                                                          gboolean           close_when_empty);

G_END_DECLS
