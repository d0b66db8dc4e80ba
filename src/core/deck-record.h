/* deck-record.h: one inventory record (a line of enum.fdb, 47 fields)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "deck-fields.h"

G_BEGIN_DECLS

#define DECK_TYPE_RECORD (deck_record_get_type ())
G_DECLARE_FINAL_TYPE (DeckRecord, deck_record, DECK, RECORD, GObject)

/* Longest value one field may hold, and the longest database line accepted. */
#define DECK_RECORD_MAX_VALUE 4096
#define DECK_RECORD_MAX_LINE  (64 * 1024)
/* Oldest ctys record layout had 18 fields; shorter lines are not records. */
#define DECK_RECORD_MIN_FIELDS 18

DeckRecord  *deck_record_new            (void);
DeckRecord  *deck_record_copy           (DeckRecord  *self);

/* Parses one enum.fdb line (without the newline). Lines with 18..47 fields are accepted
 * (older ctys layouts; missing fields are empty); anything else, control characters,
 * invalid UTF-8 or an over-long line gives DECK_ERROR_CORRUPT. */
DeckRecord  *deck_record_new_from_line  (const char  *line,
                                         gssize       len,
                                         GError     **error);

/* Field @field (1..47); never NULL, "" when empty. */
const char  *deck_record_get            (DeckRecord  *self,
                                         guint        field);
/* Sets a field; @value must pass deck_record_check_value(). NULL means empty. */
void         deck_record_set            (DeckRecord  *self,
                                         guint        field,
                                         const char  *value);
/* All 47 fields, index 0 = field 1. */
const char * const *deck_record_get_fields (DeckRecord *self);

/* The record as one enum.fdb line, 47 fields joined by ';', no newline. */
const char  *deck_record_to_line        (DeckRecord  *self);

/* Byte-wise (C locale) order of the lines, as `sort` in ctys. */
int          deck_record_compare        (DeckRecord  *a,
                                         DeckRecord  *b);

/* Checks that @value can be stored in a record: valid UTF-8, no ';', no control
 * characters, at most DECK_RECORD_MAX_VALUE bytes. DECK_ERROR_INVALID_VALUE otherwise,
 * with a message that says which character is the problem. */
gboolean     deck_record_check_value    (const char  *value,
                                         GError     **error);

G_END_DECLS
