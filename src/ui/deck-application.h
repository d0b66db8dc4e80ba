/* deck-application.h: the vmdeck GtkApplication (app. actions, accelerators, CSS)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "deck-settings.h"

G_BEGIN_DECLS

#define DECK_APPLICATION_ID "org.vmdeck.Vmdeck"

#define DECK_TYPE_APPLICATION (deck_application_get_type ())
G_DECLARE_FINAL_TYPE (DeckApplication, deck_application, DECK, APPLICATION, GtkApplication)

DeckApplication *deck_application_new          (void);

/* Valid after startup. */
DeckSettings    *deck_application_get_settings (DeckApplication *self);

G_END_DECLS
