/* deck-machine-item.h: one row of the machine tree: a host, or a machine on a host
 *
 * A HOST item stands for a host (the local one, one of the host list, or one the
 * inventory names in field 1): its name, reachability and hypervisor, as the window
 * learns them. A MACHINE item is one machine as one host registered it (a multipath
 * machine has an item under every host that registered its config): its inventory
 * records (one per network interface; the first is the primary), its live state and
 * whether an action runs on it. A machine that is itself a host (a VM stack,
 * deck-stack.h) has the machines of that host as children.
 *
 * Plain GTK-free data; properties notify only on change (the window updates the row).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "deck-domain.h"
#include "deck-record.h"

G_BEGIN_DECLS

#define DECK_TYPE_MACHINE_ITEM (deck_machine_item_get_type ())
G_DECLARE_FINAL_TYPE (DeckMachineItem, deck_machine_item, DECK, MACHINE_ITEM, GObject)

typedef enum {
  DECK_MACHINE_ITEM_HOST,
  DECK_MACHINE_ITEM_MACHINE,
} DeckMachineItemKind;

/* Reachability of a HOST item (mirrors DeckHostState without the host object). */
typedef enum {
  DECK_MACHINE_REACH_UNKNOWN,
  DECK_MACHINE_REACH_CONNECTING,
  DECK_MACHINE_REACH_REACHABLE,
  DECK_MACHINE_REACH_UNREACHABLE,
} DeckMachineReach;

DeckMachineItem    *deck_machine_item_new_host        (const char       *host_name);
/* @host_name: the host that registered @record (the name its group shows). */
DeckMachineItem    *deck_machine_item_new_machine     (const char       *host_name,
                                                       DeckRecord       *record);

DeckMachineItemKind deck_machine_item_get_kind        (DeckMachineItem  *self);
const char         *deck_machine_item_get_host_name   (DeckMachineItem  *self);
/* MACHINE: the label (field 3); HOST: the host name. */
const char         *deck_machine_item_get_label       (DeckMachineItem  *self);

/* MACHINE: the primary record (NULL for a HOST); all records of the machine. */
DeckRecord         *deck_machine_item_get_record      (DeckMachineItem  *self);
GPtrArray          *deck_machine_item_get_records     (DeckMachineItem  *self);
void                deck_machine_item_add_record      (DeckMachineItem  *self,
                                                       DeckRecord       *record);

/* "52:54:00:de:c0:11, 10.0.0.5 · 4a3b…": MACs, addresses and the UUID's start. */
char               *deck_machine_item_dup_address_summary (DeckMachineItem *self);

/* Tree structure: children are owned; the parent is a weak back-pointer. */
DeckMachineItem    *deck_machine_item_get_parent      (DeckMachineItem  *self);
GPtrArray          *deck_machine_item_get_children    (DeckMachineItem  *self);
void                deck_machine_item_append_child    (DeckMachineItem  *self,
                                                       DeckMachineItem  *child);
/* Nesting depth: 0 for a host, 1 for its machines, ... */
guint               deck_machine_item_get_depth       (DeckMachineItem  *self);

/* Live state (MACHINE): property "state"; UNKNOWN until a backend told. */
DeckDomainState     deck_machine_item_get_state       (DeckMachineItem  *self);
void                deck_machine_item_set_state       (DeckMachineItem  *self,
                                                       DeckDomainState   state);
/* An action in progress (property "busy"; the row shows a spinner). */
gboolean            deck_machine_item_get_busy        (DeckMachineItem  *self);
void                deck_machine_item_set_busy        (DeckMachineItem  *self,
                                                       gboolean          busy);

/* HOST: reachability with its message ("reach", "reach-message") and hypervisor
 * ("QEMU-7.2.0"; "hypervisor"). */
DeckMachineReach    deck_machine_item_get_reach       (DeckMachineItem  *self);
const char         *deck_machine_item_get_reach_message (DeckMachineItem *self);
void                deck_machine_item_set_reach       (DeckMachineItem  *self,
                                                       DeckMachineReach  reach,
                                                       const char       *message);
const char         *deck_machine_item_get_hypervisor  (DeckMachineItem  *self);
void                deck_machine_item_set_hypervisor  (DeckMachineItem  *self,
                                                       const char       *hypervisor);

/* Filter result, set by DeckMachineTree: whether the row is shown. */
gboolean            deck_machine_item_get_visible     (DeckMachineItem  *self);

/* Lower-cased text that plain-text filtering searches (label, UUID, MACs, addresses,
 * type, config path, host), computed once. */
const char         *deck_machine_item_get_search_text (DeckMachineItem  *self);

G_END_DECLS
