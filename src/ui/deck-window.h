/* deck-window.h: the main window (inventory on the left, console tabs on the right)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "deck-application.h"
#include "deck-settings.h"

G_BEGIN_DECLS

#define DECK_TYPE_WINDOW (deck_window_get_type ())
G_DECLARE_FINAL_TYPE (DeckWindow, deck_window, DECK, WINDOW, GtkApplicationWindow)

DeckWindow   *deck_window_new          (DeckApplication *application,
                                        DeckSettings    *settings);

DeckSettings *deck_window_get_settings (DeckWindow      *self);

G_END_DECLS
