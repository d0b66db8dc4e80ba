/* deck-list.h: LIST of one host (spec §5.3): its running domains as 22-field records
 *
 * The domains come from the host's libvirt daemons (deck-libvirt.h; one per driver the
 * host has a URI for, "qemu" by default) and from xl (deck-xl.h), as the host's backend
 * choice says: AUTO asks both and lists what answered (xl missing or no Xen is no error),
 * LIBVIRT or XL only that one. Each running domain gives a SERVER record; its
 * config back-link (field 4, spec §5.3.3) and guest name come from the inventory when a
 * record of that host has the domain's UUID (else its label). Domains that are defined
 * but not running are not listed, as in ctys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-domain.h"
#include "deck-host.h"
#include "deck-record.h"

G_BEGIN_DECLS

/* One running domain of a host with what the inventory knows of it. */
typedef struct {
  char           *host;       /* field 1 of the record (the host's name) */
  char           *driver;     /* libvirt driver it came from ("qemu", "xen"), or "xl" */
  char           *uri;        /* libvirt URI it came from; NULL for xl */
  DeckDomainInfo *info;       /* config_path filled from the inventory when known */
  DeckRecord     *record;     /* the inventory record, or NULL */
} DeckListEntry;

void        deck_list_entry_free  (DeckListEntry *entry);

/* The libvirt drivers LIST asks on @host: those it has a URI set for, else "qemu". */
char      **deck_list_drivers     (DeckHost      *host);

/* @inventory: DeckRecord of the caller's inventory (may be NULL). finish: GPtrArray of
 * DeckListEntry, running (and paused) domains only, in name order; errors of the host
 * (unreachable, refused) as in deck-libvirt.h. */
void        deck_list_host_async  (DeckHost      *host,
                                   GPtrArray     *inventory,
                                   GCancellable  *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer       user_data);
GPtrArray  *deck_list_host_finish (DeckHost      *host,
                                   GAsyncResult  *result,
                                   GError       **error);

/* The 22 LIST fields of an entry (spec §5.3.2). */
char      **deck_list_entry_fields (DeckListEntry *entry);

/* The default LIST table TAB_TCP (spec §5.3.4): the record with field 7 set to the guest
 * name known to the inventory (NETNAME, else TCP), field 14 as S/C/T/? and empty user and
 * group as "-", for the 7 columns TCP-container|TCP-guest|label|sesstype|c|user|group. */
char      **deck_list_tab_tcp_row  (const char * const *fields,
                                    DeckRecord         *record);
#define DECK_LIST_TAB_TCP \
  "1_TCP-container_18%%7_TCP-guest_17%%3_label_17%%2_sesstype_9%%14_c_1%%12_user_10%%13_group_10"

G_END_DECLS
