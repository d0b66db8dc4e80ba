/* deck-output.h: output selection and rendering shared by ENUMERATE, LIST and ctys-vhost
 * (spec §5.3.1, §5.4.1, §6.4, §7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "deck-fields.h"
#include "deck-suboptions.h"

G_BEGIN_DECLS

typedef struct _DeckOutputSpec DeckOutputSpec;

DeckOutputSpec *deck_output_spec_new          (DeckFieldSpace   space);
void            deck_output_spec_free         (DeckOutputSpec  *spec);

/* Offers one suboption of ENUMERATE/LIST. Consumes (returns TRUE) field flags of the space
 * (deck_fields_lookup()), ALL, NONE, TITLE, TITLEIDX, TITLEIDXASC, MACHINE, MAXKEY, TERSE,
 * TAB_GEN|TAB, REC_GEN|REC, SPEC_GEN|SPEC, XML_GEN|XML, IP, DNS, SORT[:...]. Returns FALSE
 * without error for other keys (b:, matchvstat:, ...), FALSE with DECK_ERROR_USAGE for a bad
 * value (unknown sort key, bad table spec, two table specs, ...). */
gboolean        deck_output_spec_take_suboption (DeckOutputSpec      *spec,
                                                 const DeckSuboption *opt,
                                                 GError             **error);

/* ctys-vhost -o: a comma list of field keys, MACHINE, TAB_GEN:<spec>, TITLE..., SORT... */
DeckOutputSpec *deck_output_spec_parse        (DeckFieldSpace   space,
                                               const char      *text,
                                               GError         **error);

/* Fields printed when the user selected neither fields nor a table (ENUMERATE: label, type,
 * ID). Canonical order is applied. */
void            deck_output_spec_set_default_fields (DeckOutputSpec *spec,
                                                     const guint    *fields,
                                                     guint           n_fields);

/* A table used when nothing was selected (overrides the default fields). */
gboolean        deck_output_spec_set_default_table  (DeckOutputSpec *spec,
                                                     const char     *tab_gen_spec,
                                                     GError        **error);

gboolean        deck_output_spec_is_machine   (DeckOutputSpec  *spec);
/* TRUE when rendering will use the default table (nothing else was selected). */
gboolean        deck_output_spec_uses_default_table (DeckOutputSpec *spec);

/* Renders the rows (each a field vector of the spec's space: row[i] is field i+1, NULL
 * entries are empty) as text ending in '\n' (or "" for no rows and no titles):
 *  - MACHINE: all fields joined by ';' (implies TERSE);
 *  - a table spec: deck_table_render_*();
 *  - else the selected fields in canonical order joined by ';';
 *  - TITLE/TITLEIDX/TITLEIDXASC add a first line of names (';'-joined, or the table header
 *    with the index line for tables);
 *  - SORT[:ALL|EACH][%UNIQUE][%<col>] sorts the rendered record lines (C locale) by the
 *    whole line or by rendered column <col> (1-based; '|' columns of a table, ';' fields
 *    otherwise); EACH sorts within runs of equal field 1; UNIQUE drops repeated lines.
 * The title lines stay on top.
 * Details (see deck-output.c): TERSE drops a table's header unless a TITLE flag is given;
 * REC_GEN prints "<idx>=<value>;" per column on one line (values escaped with '\'),
 * SPEC_GEN "<title>: <value>" lines with a blank line between records, XML_GEN
 * <records><record><field idx=".." name="..">value</field>..</record>..</records> with one
 * record per line; in field output ';' and control characters in values show as '?'. */
char           *deck_output_render            (DeckOutputSpec  *spec,
                                               GPtrArray       *rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckOutputSpec, deck_output_spec_free)

G_END_DECLS
