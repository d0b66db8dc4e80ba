/* deck-stack.c: VM stacks: which inventory machine is itself a host (spec §10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-stack.h"

#include "deck-address.h"

char *
deck_stack_guest_of (DeckRecord *record)
{
  const char *g;

  if (record == NULL)
    return NULL;
  g_return_val_if_fail (DECK_IS_RECORD (record), NULL);

  g = deck_record_get (record, DECK_FIELD_NETNAME);
  if (*g == '\0')
    g = deck_record_get (record, DECK_FIELD_TCP);
  return *g ? g_strdup (g) : NULL;
}

gboolean
deck_stack_is_nested_in (DeckRecord *inner,
                         DeckRecord *outer)
{
  g_autofree char *guest = NULL;

  g_return_val_if_fail (DECK_IS_RECORD (inner), FALSE);
  g_return_val_if_fail (DECK_IS_RECORD (outer), FALSE);

  guest = deck_stack_guest_of (outer);
  return guest != NULL && deck_address_host_matches (deck_record_get (inner, DECK_FIELD_PM), guest);
}
