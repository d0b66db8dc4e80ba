/* deck-vhost-query.h: the ctys-vhost query language (spec §6.4)
 *
 *   <term> { [AND|OR|NOT] <term> }
 *   term ::= <regex>        ERE-like regex anywhere in the ';'-joined record
 *          | F:<n>:<regex>  field n matches (substring semantics, case-sensitive)
 *          | E:<n>:<m>      field n matches field m (field m used as regex)
 *          | R:<n>[:<m>]    record index n (field 32), or range n..m
 *          | <address part> l:, u:, m:, t:, i:/p:, f:, b:, dr: (strict matching, §4.3)
 *
 * A blank means AND; a run of OR-ed terms is one group (x AND a OR b OR c = x AND (a OR b
 * OR c)); NOT negates the next term only; operators are case-insensitive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DECK_VHOST_FIRST,
  DECK_VHOST_LAST,
  DECK_VHOST_ALL,
  DECK_VHOST_COMPLEMENT,
  DECK_VHOST_SORT,
  DECK_VHOST_USORT,
  DECK_VHOST_UNIQUE,
} DeckVhostMode;

typedef struct _DeckVhostQuery DeckVhostQuery;

/* Parses the terms (argv words). A dangling operator, a bad regex or a bad F:/E:/R: form
 * gives DECK_ERROR_USAGE naming the term. No terms selects every record. */
DeckVhostQuery *deck_vhost_query_parse  (const char * const *terms,
                                         GError            **error);
void            deck_vhost_query_free   (DeckVhostQuery     *query);

/* Parses a -M value (case-insensitive). */
gboolean        deck_vhost_mode_parse   (const char         *text,
                                         DeckVhostMode      *mode,
                                         GError            **error);

/* Applies the query to @records (DeckRecord, in database order, field 32 = index) and the
 * mode. Returns a new array (reffed records). UNIQUE with other than exactly one match gives
 * DECK_ERROR_AMBIGUOUS (several) or DECK_ERROR_NOT_FOUND (none) and NULL. */
GPtrArray      *deck_vhost_query_run    (DeckVhostQuery     *query,
                                         GPtrArray          *records,
                                         DeckVhostMode       mode,
                                         GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckVhostQuery, deck_vhost_query_free)

G_END_DECLS
