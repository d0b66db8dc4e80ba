/* deck-call-private.h: what deck-call.c and deck-call-request.c share, nothing public
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "deck-call.h"
#include "deck-macros.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;
  int         value;
} NameValue;

/* @text printable in a message: control characters escaped. */
char        *deck_call_shown        (const char      *text);
gboolean     deck_call_parse_count  (const char      *s,
                                     int             *out);
gboolean     deck_call_str_equal_ci (const char      *a,
                                     const char      *b);
/* The value of @name in @table (case-insensitive); FALSE when it is none. */
gboolean     deck_call_lookup_ci    (const NameValue *table,
                                     gsize            n,
                                     const char      *name,
                                     int             *value);
const char  *deck_call_lookup_name  (const NameValue *table,
                                     gsize            n,
                                     int              value);
/* Replaces *@field with a copy of @value (which may be *@field itself). */
void         deck_call_set_str      (char           **field,
                                     const char      *value);

/* A DECK_ERROR_USAGE error; returns FALSE. */
gboolean     deck_call_usage        (GError         **error,
                                     const char      *format,
                                     ...) G_GNUC_PRINTF (2, 3);
/* Applies the option words from *@pos on to @o; with @command_line it stops at the first
 * target word (leaving *@pos there), else every word must be an option. */
gboolean     deck_call_parse_words  (DeckCallOptions    *o,
                                     const char * const *words,
                                     guint              *pos,
                                     gboolean            command_line,
                                     DeckMacros         *macros,
                                     GError            **error);

G_END_DECLS
