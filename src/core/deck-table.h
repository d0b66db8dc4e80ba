/* deck-table.h: TAB_GEN column specs and fixed-width table rendering (spec §7.2)
 *
 *   <col>{%<col>}     col = <idx>_<title>_<width>[_L|_B]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "deck-fields.h"

G_BEGIN_DECLS

typedef enum {
  DECK_TABLE_CUT_RIGHT, /* default: keep the leftmost <width> characters */
  DECK_TABLE_KEEP_RIGHT, /* _L: keep the rightmost ones (paths) */
  DECK_TABLE_BREAK,      /* _B: overflow continues on following lines in the same column */
} DeckTableCut;

typedef struct {
  guint         index;  /* canonical field index, 1-based */
  char         *title;  /* heading; the index as text when the spec gave none */
  guint         width;  /* characters (not bytes); 0/empty in the spec -> 10 */
  DeckTableCut  cut;
} DeckTableColumn;

typedef struct _DeckTableSpec DeckTableSpec;

/* Parses a column list whose columns are separated by single '%' (the suboption layer has
 * already turned "%%" into '%'). Indexes outside @space, bad widths, unknown cut flags
 * and an empty list give DECK_ERROR_USAGE naming the column. */
DeckTableSpec         *deck_table_spec_parse       (const char     *spec,
                                                    DeckFieldSpace  space,
                                                    GError        **error);
void                   deck_table_spec_free        (DeckTableSpec  *spec);
guint                  deck_table_spec_get_n_columns (DeckTableSpec *spec);
const DeckTableColumn *deck_table_spec_get_column  (DeckTableSpec  *spec,
                                                    guint           i);

/* Appends the header line, with @title_index a second line "<pos>(<idx>)" per column,
 * the rule line ('-' per column, '+' between columns), then one line per row (cells
 * "%-<w>s" joined by '|', no trailing '|', trailing blanks of the last cell kept as
 * ctys does). Each row is a field vector: row[i] is field i+1 (NULL entries = empty). */
void                   deck_table_render_header    (DeckTableSpec  *spec,
                                                    gboolean        title_index,
                                                    GString        *out);
void                   deck_table_render_row       (DeckTableSpec  *spec,
                                                    const char * const *row,
                                                    GString        *out);

/* The text column @col (0-based) shows on the first line of @row's rendering: cut (or,
 * for _B, the first slice) but not padded. Sort keys use it rather than splitting
 * rendered lines at '|', which values may contain. */
char                  *deck_table_cell_text        (DeckTableSpec  *spec,
                                                    guint           col,
                                                    const char * const *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckTableSpec, deck_table_spec_free)

G_END_DECLS
