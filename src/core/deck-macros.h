/* deck-macros.h: ctys macro files and macro expansion (spec §7.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DECK_TYPE_MACROS (deck_macros_get_type ())
G_DECLARE_FINAL_TYPE (DeckMacros, deck_macros, DECK, MACROS, GObject)

#define DECK_MACROS_MAX_DEPTH 15

/* An empty macro set that searches macro files in @search_path (directories, first match
 * wins). NULL means the default path: $CTYS_MACRO_PATH (':'-separated) if set, else
 * $HOME/.ctys/macros, then the installed <datadir>/vmdeck/macros, then the source tree's
 * data/macros (so an uninstalled build finds the shipped defaults). */
DeckMacros  *deck_macros_new          (const char * const *search_path);

/* The search path in use (NULL-terminated). */
const char * const *deck_macros_get_search_path (DeckMacros *self);

/* Loads the macro file @name ("default" unless another is asked for) found first-match on
 * the search path, once. DECK_ERROR_NOT_FOUND if no directory has it. */
gboolean     deck_macros_load         (DeckMacros   *self,
                                       const char   *name,
                                       GError      **error);

/* Loads one file by path: "NAME = text" lines, '#' comments and blank lines ignored, a
 * trailing '\' continues the line. A second definition of a name (in any loaded file) is
 * DECK_ERROR_PARSE with both file:line positions. */
gboolean     deck_macros_load_file    (DeckMacros   *self,
                                       const char   *path,
                                       GError      **error);

/* Text of a macro or NULL. Names are case-sensitive. */
const char  *deck_macros_lookup       (DeckMacros   *self,
                                       const char   *name);

/* Replaces every "macro:NAME" and "{macro:NAME}" in @text, recursively (at most
 * DECK_MACROS_MAX_DEPTH levels, then DECK_ERROR_USAGE naming the chain). Suffixes:
 * "%optional" (undefined -> empty text instead of an error) and, inside braces,
 * "%<macrofile>" (look the name up in that file of the search path). An undefined macro
 * is DECK_ERROR_NOT_FOUND. Loads "default" on first use if nothing is loaded yet. */
char        *deck_macros_expand       (DeckMacros   *self,
                                       const char   *text,
                                       GError      **error);

G_END_DECLS
