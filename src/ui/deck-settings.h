/* deck-settings.h: typed access to the org.vmdeck.Vmdeck GSettings schema
 *
 * One object per application, handed to windows as a construct property. Keys that other
 * objects follow (ssh-program, ssh-extra-args, inventory-dirs, rescan-interval) are
 * properties of the same name that notify when the key changes, whoever changed it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DECK_SETTINGS_SCHEMA_ID "org.vmdeck.Vmdeck"

#define DECK_TYPE_SETTINGS (deck_settings_get_type ())
G_DECLARE_FINAL_TYPE (DeckSettings, deck_settings, DECK, SETTINGS, GObject)

/* FALSE with G_IO_ERROR_NOT_FOUND when the schema is not installed (g_settings_new()
 * would abort the process). */
gboolean      deck_settings_check_schema        (GError            **error);

DeckSettings *deck_settings_new                 (void);

void          deck_settings_get_window_state    (DeckSettings       *self,
                                                 int                *width,
                                                 int                *height,
                                                 gboolean           *maximized);
/* Writes the three keys at once; values outside the schema's range are not stored. */
void          deck_settings_set_window_state    (DeckSettings       *self,
                                                 int                 width,
                                                 int                 height,
                                                 gboolean            maximized);

int           deck_settings_get_sidebar_width   (DeckSettings       *self);
void          deck_settings_set_sidebar_width   (DeckSettings       *self,
                                                 int                 width);

char         *deck_settings_dup_ssh_program     (DeckSettings       *self);
void          deck_settings_set_ssh_program     (DeckSettings       *self,
                                                 const char         *program);

char        **deck_settings_dup_ssh_extra_args  (DeckSettings       *self);
void          deck_settings_set_ssh_extra_args  (DeckSettings       *self,
                                                 const char * const *args);

/* Empty: the ctys default database ($HOME/.ctys/db/default). */
char        **deck_settings_dup_inventory_dirs  (DeckSettings       *self);
void          deck_settings_set_inventory_dirs  (DeckSettings       *self,
                                                 const char * const *dirs);

/* Seconds; 0 means never rescan automatically. */
guint         deck_settings_get_rescan_interval (DeckSettings       *self);
void          deck_settings_set_rescan_interval (DeckSettings       *self,
                                                 guint               seconds);

G_END_DECLS
