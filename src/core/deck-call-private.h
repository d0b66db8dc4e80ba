/* deck-call-private.h: what deck-call.c and deck-call-request.c share, nothing public
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

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

G_END_DECLS
