/* deck-paths.c: the ctys search paths (macros, groups)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-paths.h"

#include "deck-config.h"

char **
deck_ctys_search_path (const char *env_var,
                       const char *subdir,
                       gboolean    with_source)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *env = g_getenv (env_var);
  g_autofree char *user_dir = NULL;
  g_autofree char *installed = NULL;
  const char *home;

  if (env != NULL && *env != '\0')
    {
      g_auto(GStrv) dirs = g_strsplit (env, ":", -1);

      for (guint i = 0; dirs[i] != NULL; i++)
        if (*dirs[i] != '\0')
          g_strv_builder_add (builder, dirs[i]);
      return g_strv_builder_end (builder);
    }

  home = g_getenv ("HOME");
  if (home == NULL || *home == '\0')
    home = g_get_home_dir ();
  user_dir = g_build_filename (home, ".ctys", subdir, NULL);
  installed = g_build_filename (DECK_PKGDATADIR, subdir, NULL);
  g_strv_builder_add (builder, user_dir);
  g_strv_builder_add (builder, installed);
  if (with_source)
    {
      g_autofree char *source = g_build_filename (DECK_SOURCE_DATADIR, subdir, NULL);

      g_strv_builder_add (builder, source);
    }
  return g_strv_builder_end (builder);
}

char *
deck_state_file_path (const char *statefile,
                      const char *config_path,
                      const char *label)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;

  if (statefile && g_path_is_absolute (statefile))
    return g_strdup (statefile);
  if (config_path == NULL || !g_path_is_absolute (config_path))
    return NULL;
  dir = g_path_get_dirname (config_path);
  name = statefile ? g_strdup (statefile) : g_strconcat (label, ".stat", NULL);
  return g_build_filename (dir, name, NULL);
}
