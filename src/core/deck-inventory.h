/* deck-inventory.h: the local inventory, stored as ctys-compatible enum.fdb files
 *
 * A GListModel of DeckRecord. Several database directories form one virtual
 * concatenation (ctys -p a:b / ctys-vhost -p). Records get field 32 (INDEX) = their
 * 1-based position in that concatenation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-record.h"

G_BEGIN_DECLS

#define DECK_TYPE_INVENTORY (deck_inventory_get_type ())
G_DECLARE_FINAL_TYPE (DeckInventory, deck_inventory, DECK, INVENTORY, GObject)

typedef enum {
  DECK_INVENTORY_CREATE,  /* write only if there is no enum.fdb yet (DECK_ERROR_EXISTS) */
  DECK_INVENTORY_REPLACE, /* replace the records */
  DECK_INVENTORY_APPEND,  /* merge with the existing records */
} DeckInventoryWriteMode;

#define DECK_INVENTORY_FILE "enum.fdb"

DeckInventory *deck_inventory_new           (void);

/* $HOME/.ctys/db/default */
char          *deck_inventory_default_dir   (void);

/* Splits a -p value (':' or ',' separated directory list); NULL/empty -> the default. */
char         **deck_inventory_split_dirs    (const char     *dirs);

/* Loads enum.fdb from each directory (replacing what was loaded). A missing directory is
 * DECK_ERROR_NOT_FOUND (ctys-vhost exit 7); a directory without enum.fdb contributes no
 * records and a problem note. Corrupt lines are not loaded; each is reported in
 * deck_inventory_get_problems() as "<file>:<line>: <reason>" and the file is never
 * rewritten by this object. */
gboolean       deck_inventory_load          (DeckInventory  *self,
                                             const char * const *dirs,
                                             GError        **error);

/* Records in database order (borrowed). */
GPtrArray     *deck_inventory_get_records   (DeckInventory  *self);
/* "<file>:<line>: <reason>" strings (borrowed, NULL-terminated). */
const char * const *deck_inventory_get_problems (DeckInventory *self);

/* Writes @records (DeckRecord) to <dir>/enum.fdb: field 32 cleared, sorted (C locale),
 * duplicates removed; atomically (temporary file, fsync, rename, fsync of the directory)
 * under an advisory lock (<dir>/enum.fdb.lock) so concurrent writers serialise. APPEND
 * merges with the records on disk and refuses (DECK_ERROR_CORRUPT, nothing written) when
 * the file on disk has a corrupt line. Creates @dir when missing, but refuses a directory
 * whose parent already holds an enum.fdb (no nested databases). */
gboolean       deck_inventory_write         (const char     *dir,
                                             GPtrArray      *records,
                                             DeckInventoryWriteMode mode,
                                             GError        **error);

G_END_DECLS
