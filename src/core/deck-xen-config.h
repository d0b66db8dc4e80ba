/* deck-xen-config.h: Xen xl/xm configuration files with ctys '#@#' tags (spec §5.4.2,
 * §5.4.3, §8)
 *
 * The xl keys are read with libxlutil, the parser xl itself uses; the ctys tags
 * ('#@#KEY = "value"', comments to Xen) with a line scan. Parsing works on file contents
 * in memory, so remote files streamed over SSH go through the same code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  DECK_XEN_DETECT_NO,     /* not a Xen config */
  DECK_XEN_DETECT_YES,    /* >= 5 of name/vif/disk/memory/bootloader/uuid/vcpus, or #@#MAGICID-XEN */
  DECK_XEN_DETECT_IGNORE, /* #@#MAGICID-IGNORE: never inventoried */
  DECK_XEN_DETECT_NOENUM, /* #@#MAGICID-NOENUM: excluded from enumeration */
} DeckXenDetect;

/* Minimum number of distinct detection keys for a file without #@#MAGICID-XEN. */
#define DECK_XEN_DETECT_MIN_KEYS 5

#define DECK_TYPE_XEN_CONFIG (deck_xen_config_get_type ())
G_DECLARE_FINAL_TYPE (DeckXenConfig, deck_xen_config, DECK, XEN_CONFIG, GObject)

/* Loads a file of the config set: NULL without error when it does not exist. */
typedef GBytes *(*DeckFileLoader) (const char  *path,
                                   gpointer     user_data,
                                   GError     **error);

DeckXenDetect  deck_xen_config_detect          (const char     *data,
                                                gsize           len);

/* Parses one file. A syntax error is DECK_ERROR_PARSE "<path>:<line>: <message>". */
DeckXenConfig *deck_xen_config_new_from_data   (const char     *path,
                                                const char     *data,
                                                gsize           len,
                                                GError        **error);

const char    *deck_xen_config_get_path        (DeckXenConfig  *self);
/* String value of an xl key ("name", "memory", ...); NULL when absent or a list. */
const char    *deck_xen_config_get_string      (DeckXenConfig  *self,
                                                const char     *key);
/* Items of a list-valued xl key ("vif", "disk"); NULL when absent or not a list. */
const char * const *deck_xen_config_get_list   (DeckXenConfig  *self,
                                                const char     *key);
/* First value of tag #@#<name> (name upper case, e.g. "IP0", "VMSTATE"), quotes
 * removed; NULL when absent. */
const char    *deck_xen_config_get_tag         (DeckXenConfig  *self,
                                                const char     *name);
/* All values of a tag in file order (repeated lines), NULL-terminated. */
const char * const *deck_xen_config_get_tag_all (DeckXenConfig *self,
                                                 const char    *name);
/* Line (1-based) where an xl key or a tag ("#@#IP0") is set, 0 if unknown. */
guint          deck_xen_config_get_line        (DeckXenConfig  *self,
                                                const char     *key);

/* The config set of @path in lookup order (spec §5.4.3): X.ctys, X as .vmx, X itself,
 * X as .conf, X as .ctys, <dir of X>.ctys, <etc_dir>/vm.conf (when @etc_dir is set). */
char         **deck_xen_config_set_paths       (const char     *path,
                                                const char     *etc_dir);

/* Builds the inventory records (DeckRecord) of the config at @path, one per interface
 * address (spec §5.4.3 multi-homing). Fields the scanning host supplies (1 PM, 29
 * HYPERRELRUN, 44 UID, 45 GID, 28 NETNAME) are left empty. @set is the parsed config set
 * in lookup order, @set[0] being the file itself is not required: lookups walk the array
 * and the first file with a value wins. A value that cannot be stored (';', newline, ...)
 * is DECK_ERROR_INVALID_VALUE "<path>:<line>: ..." and no record is built. */
GPtrArray     *deck_xen_config_build_records   (const char     *path,
                                                GPtrArray      *set,
                                                GError        **error);

/* Facts about a VM that come from another source than xl keys (a libvirt domain XML):
 * when given to deck_xen_config_build_records_full() they replace the xl keys; the ctys
 * tags of the set still apply (and remain the fallbacks). */
typedef struct {
  const char         *type;        /* session type, "XEN" when NULL */
  const char         *label;
  const char         *uuid;
  const char         *memory;      /* MiB */
  const char         *vcpus;
  const char         *accelerator;
  const char * const *macs;        /* interface MACs in order, NULL-terminated */
} DeckVmFacts;

GPtrArray     *deck_xen_config_build_records_full (const char        *path,
                                                   GPtrArray         *set,
                                                   const DeckVmFacts *facts,
                                                   GError           **error);

/* Reads only the ctys tags of a file that is not xl syntax (side files, XML comments). */
DeckXenConfig *deck_xen_config_new_tags_only    (const char     *path,
                                                 const char     *data,
                                                 gsize           len);

/* Detects, parses @data and its config set (side files through @loader) and builds the
 * records. Returns NULL without error when the file is not an inventoried Xen config. */
GPtrArray     *deck_xen_config_scan_file       (const char     *path,
                                                const char     *data,
                                                gsize           len,
                                                const char     *etc_dir,
                                                DeckFileLoader  loader,
                                                gpointer        loader_data,
                                                GError        **error);

G_END_DECLS
