/* deck-scanner.h: ENUMERATE of a local filesystem (spec §5.4.2)
 *
 * Walks base directories for candidate files (*.conf, *.ctys, *.cfg as Xen configs,
 * *.xml as libvirt domains), keeps those the detection rule accepts, builds their records,
 * fills what the scanning host supplies (field 1 host, 28 netname from the hosts file,
 * 29 running Xen release, 44/45 user and group) and applies the VMSTATE filter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-ssh-master.h"

G_BEGIN_DECLS

#define DECK_TYPE_SCANNER (deck_scanner_get_type ())
G_DECLARE_FINAL_TYPE (DeckScanner, deck_scanner, DECK, SCANNER, GObject)

DeckScanner *deck_scanner_new            (void);

/* Base directories; relative ones are taken against the current directory, "~" is
 * expanded. Default (none set): $HOME, /etc/ctys.d, /mntn/vmpool (those that exist). */
void         deck_scanner_set_bases      (DeckScanner        *self,
                                          const char * const *bases);
/* Field 1 of every record. Default: $VMDECK_NODENAME, else the node name (uname -n). */
void         deck_scanner_set_nodename   (DeckScanner        *self,
                                          const char         *nodename);
/* MATCHVSTAT items (upper or lower case): ACTIVE, DISABLED, BACKUP, TEMPLATE, TESTDUMMY,
 * IGNORE, EMPTY, PRESENT (any), ALL (any), ENABLED (= ACTIVE; the hypervisor state is not
 * checked by a scan), CUSTOM (the following items are custom states). NULL = the default
 * ACTIVE, DISABLED, EMPTY. Unknown items without CUSTOM give DECK_ERROR_USAGE. */
gboolean     deck_scanner_set_vstates    (DeckScanner        *self,
                                          const char * const *vstates,
                                          GError            **error);
/* Directory of the global side file vm.conf; default /etc/ctys.d; NULL disables it. */
void         deck_scanner_set_etc_dir    (DeckScanner        *self,
                                          const char         *etc_dir);

/* Scans in the calling thread. Problems with single files or directories are warnings,
 * not errors; the error is only for a base directory that does not exist or a
 * cancellation. */
gboolean     deck_scanner_run            (DeckScanner        *self,
                                          GCancellable       *cancellable,
                                          GError            **error);
/* The same in a worker thread. */
void         deck_scanner_run_async      (DeckScanner        *self,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
gboolean     deck_scanner_run_finish     (DeckScanner        *self,
                                          GAsyncResult       *result,
                                          GError            **error);

/* ENUMERATE of a remote host over @master, without installing anything there: the
 * candidate files come back in one round trip (deck-scan-stream.h) and are parsed here
 * with the same parsers; field 1 is the host's own node name. Bases are taken on the
 * host (relative ones against the login's home); the default bases that do not exist
 * there are skipped, a given base that does not exist is DECK_ERROR_NOT_FOUND. Errors of
 * the connection as in deck-ssh-master.h; a cut-short stream leaves no records. */
void         deck_scanner_run_remote_async  (DeckScanner        *self,
                                             DeckSshMaster      *master,
                                             guint               timeout_s,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean     deck_scanner_run_remote_finish (DeckScanner        *self,
                                             GAsyncResult       *result,
                                             GError            **error);
/* The second half of it: a received stream (and the remote stderr, whose lines become
 * warnings) turned into records. */
gboolean     deck_scanner_run_stream        (DeckScanner        *self,
                                             const char         *host,
                                             GBytes             *stream,
                                             const char         *stderr_text,
                                             GError            **error);

/* After a run: the records (DeckRecord), sorted (C locale) and unique, and the warnings
 * ("<file>:<line>: <message>" or "<path>: <message>"), NULL-terminated. */
GPtrArray   *deck_scanner_get_records    (DeckScanner        *self);
const char * const *deck_scanner_get_warnings (DeckScanner   *self);
/* Number of candidate files read and directories walked in the last run. */
guint        deck_scanner_get_n_files    (DeckScanner        *self);

/* The node name used for field 1 by default. */
char        *deck_scanner_default_nodename (void);

G_END_DECLS
