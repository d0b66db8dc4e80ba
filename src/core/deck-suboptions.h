/* deck-suboptions.h: the ctys suboption syntax (spec §2.1, §2.2)
 *
 *   key[:value]{,key[:value]}     value = item{%item}
 *
 * Escapes: ",," or "\," is a literal comma, "::" or "\:" a literal colon, "%%" a literal
 * percent. The value is the text between the first and the second ':'; anything after a
 * further ':' is dropped, except for MAC addresses (six ':'-separated hex pairs) which are
 * kept whole. Keys are upper-cased; values keep their case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char  *key;     /* upper case, never NULL */
  char  *raw_key; /* as written (for messages) */
  char  *value;   /* NULL for a flag (no ':'); "" for "key:"; single '%' -> ' ', "%%" -> '%' */
  char **items;   /* value split at single '%' with "%%" -> '%'; NULL for a flag */
} DeckSuboption;

void       deck_suboption_free   (DeckSuboption *opt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckSuboption, deck_suboption_free)

/* Parses @text (the part after "action=") into a GPtrArray of DeckSuboption (owned,
 * free func set). An empty @text gives an empty array. Empty keys (",,," aside),
 * a dangling backslash and similar give DECK_ERROR_USAGE naming the position. */
GPtrArray *deck_suboptions_parse (const char *text,
                                  GError    **error);

/* Splits "action=subopts" into the upper-cased action and the rest (NULL when no '='). */
void       deck_suboptions_split_action (const char *spec,
                                         char      **action,
                                         char      **rest);

/* TRUE if @s is six ':'-separated pairs of hex digits. */
gboolean   deck_suboptions_is_mac (const char *s);

G_END_DECLS
