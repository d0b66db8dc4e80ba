/* deck-paths.h: the ctys search paths (macros, groups)
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

G_END_DECLS
