/* deck-fields.h: the canonical field spaces of ctys records
 *
 * ENUMERATE records (the inventory, enum.fdb, ctys-vhost) have 47 fields; LIST records have 22.
 * Indexes are 1-based as in ctys (TITLEIDX, TAB_GEN specs, ctys-vhost F:n:).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DECK_FIELDS_ENUMERATE,
  DECK_FIELDS_LIST,
} DeckFieldSpace;

/* Field indexes of the 47-field MACHINE record (spec §6.2). */
typedef enum {
  DECK_FIELD_PM = 1,
  DECK_FIELD_TYPE,
  DECK_FIELD_LABEL,
  DECK_FIELD_ID,
  DECK_FIELD_UUID,
  DECK_FIELD_MAC,
  DECK_FIELD_TCP,
  DECK_FIELD_DISPLAY,
  DECK_FIELD_CPORT,
  DECK_FIELD_SPORT,
  DECK_FIELD_VNCBASE,
  DECK_FIELD_DIST,
  DECK_FIELD_DISTREL,
  DECK_FIELD_OS,
  DECK_FIELD_OSREL,
  DECK_FIELD_VERSION,
  DECK_FIELD_SERNO,
  DECK_FIELD_CATEGORY,
  DECK_FIELD_VMSTATE,
  DECK_FIELD_HYPERREL,
  DECK_FIELD_STACKCAP,
  DECK_FIELD_STACKREQ,
  DECK_FIELD_HWCAP,
  DECK_FIELD_HWREQ,
  DECK_FIELD_EXECLOCATION,
  DECK_FIELD_RELOCCAP,
  DECK_FIELD_SSHPORT,
  DECK_FIELD_NETNAME,
  DECK_FIELD_HYPERRELRUN,
  DECK_FIELD_ACCELERATOR,
  DECK_FIELD_EXEPATH,
  DECK_FIELD_INDEX,
  DECK_FIELD_IFNAME,
  DECK_FIELD_CTYSRELEASE,
  DECK_FIELD_NETMASK,
  DECK_FIELD_GATEWAY,
  DECK_FIELD_RELAY,
  DECK_FIELD_ARCH,
  DECK_FIELD_PLATFORM,
  DECK_FIELD_VRAM,
  DECK_FIELD_VCPU,
  DECK_FIELD_CONTEXTSTRG,
  DECK_FIELD_USERSTRG,
  DECK_FIELD_UID,
  DECK_FIELD_GID,
  DECK_FIELD_DEFHOSTS,
  DECK_FIELD_DEFCONSOLE,
} DeckField;

/* Field indexes of the 22-field LIST record (spec §5.3.2). */
typedef enum {
  DECK_LIST_PM = 1,
  DECK_LIST_TYPE,
  DECK_LIST_LABEL,
  DECK_LIST_ID,
  DECK_LIST_UUID,
  DECK_LIST_MAC,
  DECK_LIST_TCP,
  DECK_LIST_DISPLAY,
  DECK_LIST_CPORT,
  DECK_LIST_SPORT,
  DECK_LIST_PID,
  DECK_LIST_UID,
  DECK_LIST_GID,
  DECK_LIST_CSTYPE,
  DECK_LIST_JOBID,
  DECK_LIST_IFNAME,
  DECK_LIST_RESERVED1,
  DECK_LIST_CONTEXTSTRG,
  DECK_LIST_EXECPATH,
  DECK_LIST_HYPERRELRUN,
  DECK_LIST_ACCELERATOR,
  DECK_LIST_ARCH,
} DeckListField;

#define DECK_RECORD_N_FIELDS 47
#define DECK_LIST_N_FIELDS 22

/* Number of fields of a space (47 or 22). */
guint        deck_fields_count      (DeckFieldSpace space);

/* Column name as printed by TITLE, e.g. "ContainingMachine"; NULL if out of range. */
const char  *deck_fields_title      (DeckFieldSpace space,
                                     guint          index);

/* TITLEIDX / TITLEIDXASC suffix, e.g. "(3)" or "(C-3)"; newly allocated. */
char        *deck_fields_title_index (guint         index,
                                      gboolean      ascii_column);

/* Field index for a key or alias ("LABEL", "l", "IDS", "CPORT", ...), case-insensitive;
 * also accepts a plain decimal index in range. 0 when unknown. */
guint        deck_fields_lookup     (DeckFieldSpace space,
                                     const char    *key);

G_END_DECLS
