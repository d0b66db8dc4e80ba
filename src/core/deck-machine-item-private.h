/* deck-machine-item-private.h: what DeckMachineTree sets on its items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "deck-machine-item.h"

G_BEGIN_DECLS

/* No notification: the tree filters thousands of items per keystroke and tells its
 * user once ("filter-changed"). */
/* TRUE when the visibility changed. */
gboolean deck_machine_item_set_visible (DeckMachineItem *self,
                                        gboolean         visible);

G_END_DECLS
