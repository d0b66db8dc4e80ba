/* deck-resolver.h: which config a machine address names on a host (spec §4.2, §3.6)
 *
 * CREATE resolves its <machine-address> for one target host through, in order:
 *   the caller's cacheDB (enum.fdb of the -p directories),
 *   the target's cacheDB ($HOME/.ctys/db/default/enum.fdb on the host, read over ssh),
 *   a filesystem scan of the target (the remote ENUMERATE of deck-scanner.h),
 * as ctys's -c option selects (BOTH: all three; LOCAL: caller's DB then scan; REMOTE: the
 * target's DB then scan; OFF: scan only; ONLY: no scan). Every step matches strictly and
 * field-wise (deck_address_select) restricted to the target host, so a config seen from
 * several hosts is unique per host; ambiguity is an error, never guessed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-address.h"
#include "deck-host.h"
#include "deck-record.h"

G_BEGIN_DECLS

typedef enum {
  DECK_CACHE_BOTH,
  DECK_CACHE_LOCAL,
  DECK_CACHE_REMOTE,
  DECK_CACHE_OFF,
} DeckCacheMode;

typedef enum {
  DECK_RESOLVED_BY_LOCAL_DB,
  DECK_RESOLVED_BY_REMOTE_DB,
  DECK_RESOLVED_BY_SCAN,
} DeckResolvedBy;

typedef struct {
  DeckCacheMode  mode;
  gboolean       cache_only;   /* -c ...,ONLY: never scan */
  char         **db_dirs;      /* -p; NULL = the default database */
  char          *type;         /* -t: only records of this session type; NULL = any */
} DeckResolveOptions;

/* Resolves @address on @host. finish: the record (its field 4 is the config path) and how
 * it was found; DECK_ERROR_NOT_FOUND naming the address parts and the places searched,
 * DECK_ERROR_AMBIGUOUS listing the candidates, connection errors of the host. */
void        deck_resolve_create_async  (DeckHost                 *host,
                                        DeckAddress              *address,
                                        const DeckResolveOptions *options,
                                        GCancellable             *cancellable,
                                        GAsyncReadyCallback       callback,
                                        gpointer                  user_data);
DeckRecord *deck_resolve_create_finish (DeckHost                 *host,
                                        GAsyncResult             *result,
                                        DeckResolvedBy           *resolved_by,
                                        GError                  **error);

const char *deck_resolved_by_to_string (DeckResolvedBy            by);

G_END_DECLS
