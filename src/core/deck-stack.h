/* deck-stack.h: VM stacks: which inventory machine is itself a host (spec §10)
 *
 * A machine whose guest OS is a host of its own (a Xen dom0 inside a QEMU guest, a
 * libvirt host in a VM) is named in the inventory by its guest host name: field 28
 * (NETNAME), else field 7 (TCP). Records whose field 1 (PM) is that name are the machines
 * of the stack's next level. CANCEL uses this to stop what runs inside a guest first;
 * the window uses it to show nested machines under the machine that hosts them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "deck-record.h"

G_BEGIN_DECLS

/* Deepest stack CANCEL and the machine tree follow. */
#define DECK_STACK_MAX_DEPTH 8

/* The guest's own host name as the inventory knows it (NETNAME, else TCP), or NULL.
 * @record may be NULL. */
char      *deck_stack_guest_of        (DeckRecord *record);

/* Whether @inner (a record of the host that @outer's guest is) runs inside @outer:
 * @inner's field 1 names @outer's guest host (short and full names match). */
gboolean   deck_stack_is_nested_in    (DeckRecord *inner,
                                       DeckRecord *outer);

G_END_DECLS
