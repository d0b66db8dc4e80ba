/* deck-scan-stream.h: what a remote ENUMERATE brings back in one ssh round trip
 *
 * Nothing is installed on the remote host. deck_scan_stream_remote_argv() gives the remote
 * command: POSIX sh with GNU find and tar (every word quoted by DeckSshCommand). It
 * writes to stdout, in this order:
 *
 *   "vmdeck-scan-1" NUL nodename NUL user NUL group NUL hyperrelrun NUL
 *   ("D" <existing base> NUL | "M" <missing base> NUL)... NUL
 *   a tar archive of the readable candidate files (*.conf, *.ctys, *.cfg, *.xml up to
 *     4 MiB, never through symbolic links) below the bases, plus /etc/hosts and the
 *     global side file <etc_dir>/vm.conf when readable
 *   "vmdeck-trailer" NUL ("U" <unreadable candidate> NUL | "B" <candidate over 4 MiB> NUL)...
 *   "vmdeck-end" NUL
 *
 * The files are parsed locally with the same parsers as local files. A stream without its
 * end marker (the link dropped mid-scan), or with a bad tar header checksum, is refused as
 * a whole: no partial host ever reaches the inventory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char       *nodename;
  char       *user;
  char       *group;
  char       *hyperrelrun;   /* "" when the host does not run on Xen */
  GPtrArray  *bases;         /* char *, absolute, as the host resolved them */
  GPtrArray  *missing;       /* char *, bases that do not exist there */
  GHashTable *files;         /* path -> GBytes */
  GPtrArray  *paths;         /* char *, the file paths in stream order, unique */
  GPtrArray  *unreadable;    /* char * */
  GPtrArray  *too_big;       /* char * */
} DeckScanStream;

/* The remote argv: "sh" "-c" <script> "vmdeck-scan" <etc_dir or ""> <bases...>. Bases may
 * be relative to the remote home or begin with "~". */
char          **deck_scan_stream_remote_argv (const char         *etc_dir,
                                              const char * const *bases);

/* Parses a stream; DECK_ERROR_HOST_UNREACHABLE "<host>: ..." when it is cut short,
 * DECK_ERROR_CORRUPT for anything malformed. */
DeckScanStream *deck_scan_stream_parse       (const char         *host,
                                              const guint8       *data,
                                              gsize               len,
                                              GError            **error);
void            deck_scan_stream_free        (DeckScanStream     *stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckScanStream, deck_scan_stream_free)

G_END_DECLS
