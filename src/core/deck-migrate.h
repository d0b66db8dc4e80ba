/* deck-migrate.h: live migration of a running domain between two libvirt hosts
 *
 * libvirt's managed migration (virDomainMigrate3 with the destination's connection, not
 * peer-to-peer): the client drives both daemons over the connections it already has (ssh
 * for remote hosts: no second authentication), the hypervisors copy the memory between
 * themselves directly (QEMU: the destination daemon picks a TCP port and its host name
 * as the address the source must reach). Flags: live, persistent on the destination,
 * undefined on the source (so the machine is defined where it runs, as a start there
 * would leave it). Disks must be on storage both hosts see at the same path (a shared
 * config directory); nothing is copied.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-libvirt.h"

G_BEGIN_DECLS

/* Whether @from can migrate to @to: both connected, the same driver (URI scheme before
 * '+'), both hypervisors announce live migration (<migration_features><live/> in their
 * capabilities), two different daemons (host UUIDs differ). DECK_ERROR_UNSUPPORTED saying
 * why (DECK_ERROR_HOST_UNREACHABLE for a missing connection). */
gboolean deck_migrate_check  (DeckLibvirt        *from,
                              DeckLibvirt        *to,
                              GError            **error);

/* Migrates domain @name (running or paused) from @from to @to, in a worker thread.
 * Errors: DECK_ERROR_NOT_FOUND (no such domain on @from), DECK_ERROR_UNSUPPORTED (the
 * check above, or the hypervisor refuses), DECK_ERROR_FAILED with libvirt's message. */
void     deck_migrate_async  (DeckLibvirt        *from,
                              DeckLibvirt        *to,
                              const char         *name,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data);
gboolean deck_migrate_finish (DeckLibvirt        *from,
                              GAsyncResult       *result,
                              GError            **error);

G_END_DECLS
