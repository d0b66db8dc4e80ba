/* deck-paths.h: the ctys search paths (macros, groups), state file paths
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $<env_var> (':'-separated, empty entries skipped) when set, else $HOME/.ctys/<subdir>
 * and <pkgdatadir>/<subdir>, and with @with_source also the source tree's data/<subdir>
 * (for runs from the build tree). */
char **deck_ctys_search_path (const char *env_var,
                              const char *subdir,
                              gboolean    with_source);

/* The state file of SUSPEND / RESUME (spec §5.2): @statefile when it is absolute; a relative
 * one lies in the directory of the machine's config (on the machine's host, like the
 * default <config dir>/<label>.stat used when @statefile is NULL). NULL when the config
 * path is not absolute and the file cannot be placed. */
char  *deck_state_file_path  (const char *statefile,
                              const char *config_path,
                              const char *label);

G_END_DECLS
