/* deck-address.h: <machine-address> parsing and strict field-wise matching (spec §4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "deck-record.h"
#include "deck-suboptions.h"

G_BEGIN_DECLS

#define DECK_TYPE_ADDRESS (deck_address_get_type ())
G_DECLARE_FINAL_TYPE (DeckAddress, deck_address, DECK, ADDRESS, GObject)

typedef enum {
  DECK_ADDRESS_PART_ID,       /* i: id: p: pname: pathname:  absolute config path */
  DECK_ADDRESS_PART_FRAGMENT, /* f: fname: filename:          path fragment */
  DECK_ADDRESS_PART_BASE,     /* b: base: basepath:           base directories */
  DECK_ADDRESS_PART_LABEL,    /* l: label: */
  DECK_ADDRESS_PART_UUID,     /* u: uuid: */
  DECK_ADDRESS_PART_MAC,      /* m: mac: */
  DECK_ADDRESS_PART_TCP,      /* t: tcp: */
  DECK_ADDRESS_PART_DBREC,    /* dr: dbrec: dbrecord: */
  DECK_ADDRESS_N_PARTS
} DeckAddressPart;

DeckAddress *deck_address_new               (void);

/* Parses a pure address such as "l:tst100,b:xen%/etc/ctys.d". Unknown keys are an error. */
DeckAddress *deck_address_parse             (const char     *text,
                                             GError        **error);

/* Offers one suboption of an action (CREATE=..., CANCEL=...). Returns TRUE and stores it
 * when it is an address part (or ALL); returns FALSE without error when the key is not an
 * address key; returns FALSE with DECK_ERROR_USAGE when it is an address key with a bad
 * value (empty value, relative i:/p: path with a hint to use f:, ...). */
gboolean     deck_address_take_suboption    (DeckAddress          *self,
                                             const DeckSuboption  *opt,
                                             GError              **error);

/* Values of one part, NULL-terminated, empty array when absent; '%' multi-values are
 * separate entries. */
const char * const *deck_address_get_values (DeckAddress     *self,
                                             DeckAddressPart  part);
gboolean     deck_address_get_all           (DeckAddress     *self);

/* TRUE when the address names a machine (l, u, m, t, f, i/p, dr or ALL); b: alone does not. */
gboolean     deck_address_has_target        (DeckAddress     *self);
/* TRUE when no part at all was given. */
gboolean     deck_address_is_empty          (DeckAddress     *self);

/* Canonical text form ("l:tst100,u:..."), usable in messages and round-trips. */
char        *deck_address_to_string         (DeckAddress     *self);

/* Makes relative b: entries absolute against @home (also expands "~"). */
void         deck_address_set_home          (DeckAddress     *self,
                                             const char      *home);

/* Strict matching of spec §4.3 REC. All given parts must match (AND); the values of one
 * part are alternatives (OR). f: matches any substring of the ID; resolution prefers
 * suffix matches (see deck_address_resolve). */
gboolean     deck_address_matches           (DeckAddress     *self,
                                             DeckRecord      *record);

/* All records of @records (DeckRecord) that match, restricted to @host (field 1; a short
 * name also matches its FQDN) when @host is not NULL. Records of one VM with several
 * interfaces count once: the result holds one record per (host, ID). When f: is given and
 * some matches are suffix matches (with a '/' boundary), inner matches are dropped.
 * Returns a new array of borrowed-then-reffed records (free func set). */
GPtrArray   *deck_address_select            (DeckAddress     *self,
                                             GPtrArray       *records,
                                             const char      *host);

/* deck_address_select() that requires exactly one machine: DECK_ERROR_NOT_FOUND when
 * none matched (the message names the given parts), DECK_ERROR_AMBIGUOUS when several did
 * (the message lists each candidate as host, label and path). */
DeckRecord  *deck_address_resolve           (DeckAddress     *self,
                                             GPtrArray       *records,
                                             const char      *host,
                                             GError         **error);

/* Whether host names @a and @b name the same host, as field 1 is matched: equal
 * (case-insensitive), or one is the short form of the other ("ws2" and "ws2.soho"). */
gboolean     deck_address_host_matches      (const char      *a,
                                             const char      *b);

/* UUID normal form used for comparison: dashes removed, lower case. */
char        *deck_address_normalize_uuid    (const char      *uuid);

G_END_DECLS
