/* deck-host-list.h: the hosts vmdeck works with, kept in a ctys group file
 *
 * The list is the ctys group "vmdeck" ($HOME/.ctys/groups/vmdeck): one target per line
 * with optional "(options)", "#include <group>", comments (spec §2.4). The window edits
 * it; on the command line the same hosts are the target "vmdeck" (ctys -a enumerate
 * vmdeck). Saving writes the expanded targets back (an #include is flattened into its
 * members). The local host is always the first item and is not saved.
 *
 * A GListModel of DeckHost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-host.h"
#include "deck-targets.h"

G_BEGIN_DECLS

#define DECK_HOST_LIST_GROUP "vmdeck"

#define DECK_TYPE_HOST_LIST (deck_host_list_get_type ())
G_DECLARE_FINAL_TYPE (DeckHostList, deck_host_list, DECK, HOST_LIST, GObject)

/* A list with the local host only, bound to @path (NULL = $HOME/.ctys/groups/vmdeck). */
DeckHostList *deck_host_list_new      (const char       *path);
const char   *deck_host_list_get_path (DeckHostList     *self);

/* Replaces the remote hosts with those of the file; a missing file is an empty list.
 * Errors as deck_targets_load_group (file:line for a bad line); the list is then
 * unchanged. */
gboolean      deck_host_list_load     (DeckHostList     *self,
                                       GError          **error);
/* Writes the remote hosts to the file, atomically. */
gboolean      deck_host_list_save     (DeckHostList     *self,
                                       GError          **error);

/* Adds a host for @target; DECK_ERROR_EXISTS when the same user@host is listed. */
DeckHost     *deck_host_list_add      (DeckHostList     *self,
                                       const DeckTarget *target,
                                       GError          **error);
/* Replaces remote @host by a host for @target, at the same position (the list's
 * DeckHost for it is a new object: a changed target may change user, URIs, ...).
 * DECK_ERROR_EXISTS when another entry has the same user@host, DECK_ERROR_NOT_FOUND when
 * @host is not a remote host of the list; the list is then unchanged. */
DeckHost     *deck_host_list_replace  (DeckHostList     *self,
                                       DeckHost         *host,
                                       const DeckTarget *target,
                                       GError          **error);
/* Removes @host (not the local host); FALSE when it is not in the list. */
gboolean      deck_host_list_remove   (DeckHostList     *self,
                                       DeckHost         *host);
/* The host named @name ("host" or "user@host"), or NULL. */
DeckHost     *deck_host_list_find     (DeckHostList     *self,
                                       const char       *name);
/* The target a remote host was made from (NULL for the local host). */
const DeckTarget *deck_host_list_get_target (DeckHostList *self,
                                       DeckHost         *host);

G_END_DECLS
