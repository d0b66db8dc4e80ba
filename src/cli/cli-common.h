/* cli-common.h: what ctys, ctys-vhost and ctys-vdbgen share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "deck-scanner.h"

G_BEGIN_DECLS

/* Exit codes shared by the commands (ctys-vhost's own codes are in spec §6.4). */
enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_USAGE = 1,
  CLI_EXIT_MISSING_DB = 2,
  CLI_EXIT_MISSING_DB_DIR = 7,
  CLI_EXIT_AMBIGUOUS = 11,
};

/* Prints "<prog>: <message>" to stderr. */
void cli_print_error   (const char *prog,
                        const GError *error);
void cli_print_warning (const char *prog,
                        const char *message);

/* Expands macros (macro:NAME) in @text with the default macro set; prints the error and
 * returns NULL on failure. */
char *cli_expand_macros (const char *prog,
                         const char *text);

/* TRUE when a "[user@]host" target names this machine: localhost, the node name or its
 * short form. */
gboolean cli_target_is_local (const char *target);

/* Runs @scanner on this host, prints its warnings as "<prog>: warning: ..." and returns
 * the records (borrowed from the scanner) whose session type is @type (case-insensitive;
 * NULL or "ALL" keeps all). NULL with @error set when the scan itself fails. */
GPtrArray *cli_scan_local (const char   *prog,
                           DeckScanner  *scanner,
                           const char   *type,
                           GError      **error);

G_END_DECLS
