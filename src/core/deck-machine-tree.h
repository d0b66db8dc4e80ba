/* deck-machine-tree.h: the inventory as a tree of hosts and machines, with a filter
 *
 * Built from inventory records (enum.fdb, deck-inventory.h) and the host names the
 * window knows (the host list): one HOST item per host, the host list's first and in its
 * order, then the hosts that only the inventory names (field 1), in order of first
 * appearance. Under a host, one MACHINE item per machine it registered (records of one
 * config with several interfaces make one item), sorted by label. A multipath machine
 * (one config registered by several hosts) has an item under each of them. A host that
 * is itself a machine of the inventory (a VM stack, deck-stack.h) is shown under that
 * machine (under every item of it), its machines as the machine's children, at most
 * DECK_STACK_MAX_DEPTH levels deep and never in a cycle; it is also shown at the top
 * when it is one of the given host names.
 *
 * The filter works on this in-memory tree only (no I/O): a machine address
 * ("l:tst100", "u:...", "m:...", "t:...", "f:...", "b:...", "i:...", combined with ','
 * as on the command line) matched strictly with deck_address_matches() against each
 * record of a machine; anything else is plain text: every whitespace-separated word
 * must occur (case-insensitively) in the machine's label, UUID, MACs, addresses, type,
 * config path or host. A row is visible when it matches or one of its descendants does;
 * a host whose name matches plain text shows all its machines.
 *
 * GTK-free.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "deck-machine-item.h"
#include "deck-record.h"

G_BEGIN_DECLS

#define DECK_TYPE_MACHINE_TREE (deck_machine_tree_get_type ())
G_DECLARE_FINAL_TYPE (DeckMachineTree, deck_machine_tree, DECK, MACHINE_TREE, GObject)

DeckMachineTree *deck_machine_tree_new             (void);

/* Replaces the tree. @host_names may be NULL; @records: DeckRecord (borrowed, reffed by
 * the items). The current filter is applied to the new tree. */
void             deck_machine_tree_build           (DeckMachineTree    *self,
                                                    const char * const *host_names,
                                                    GPtrArray          *records);

/* The top-level HOST items (borrowed). */
GPtrArray       *deck_machine_tree_get_hosts       (DeckMachineTree    *self);
/* MACHINE items in the whole tree (multipath and nested copies counted). */
guint            deck_machine_tree_get_n_machines  (DeckMachineTree    *self);

/* The top-level HOST item for @name (short and full names match), or NULL. */
DeckMachineItem *deck_machine_tree_find_host       (DeckMachineTree    *self,
                                                    const char         *name);
/* Every MACHINE item of domain @name (label or UUID) registered by host @host (the name
 * of its HOST item; short and full names match), nested copies included. A new array
 * (empty when none). */
GPtrArray       *deck_machine_tree_find_machines   (DeckMachineTree    *self,
                                                    const char         *host,
                                                    const char         *name);

/* Sets the filter (NULL or blank: everything visible) and updates each item's
 * visibility. A machine address with a bad value ("l:" without a label, an i: path that
 * is not absolute) is DECK_ERROR_USAGE: the visibility is left as it was. */
gboolean         deck_machine_tree_set_filter      (DeckMachineTree    *self,
                                                    const char         *text,
                                                    GError            **error);
/* The same; @changed, if not NULL, gets the items whose visibility changed (a new array;
 * in tree order, a parent before its children), for views that update only those. */
gboolean         deck_machine_tree_set_filter_full (DeckMachineTree    *self,
                                                    const char         *text,
                                                    GPtrArray         **changed,
                                                    GError            **error);
const char      *deck_machine_tree_get_filter      (DeckMachineTree    *self);
/* Visible MACHINE items. */
guint            deck_machine_tree_count_visible   (DeckMachineTree    *self);

G_END_DECLS
