/* deck-sessions.c: the clients and tunnels vmdeck processes hold open, for LIST
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-sessions.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-fields.h"
#include "deck-record.h"
#include "deck-scanner.h"

static char *
sessions_dir (void)
{
  const char *runtime = g_getenv ("XDG_RUNTIME_DIR");

  return g_build_filename (runtime && *runtime ? runtime : g_get_user_runtime_dir (), "vmdeck", "sessions", NULL);
}

char *
deck_sessions_register (const char * const *fields,
                        GError            **error)
{
  static guint counter;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *line = NULL;
  char *path;

  if (g_strv_length ((char **) fields) != DECK_LIST_N_FIELDS)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE, "a session record has %u fields",
                   DECK_LIST_N_FIELDS);
      return NULL;
    }
  for (guint i = 0; fields[i]; i++)
    if (!deck_record_check_value (fields[i], error))
      return NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s", dir, g_strerror (errno));
      return NULL;
    }
  line = g_strjoinv (";", (char **) fields);
  path = g_strdup_printf ("%s/%d-%u.session", dir, (int) getpid (), g_atomic_int_add (&counter, 1));
  if (!g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      g_free (path);
      return NULL;
    }
  return path;
}

void
deck_sessions_unregister (const char *token)
{
  if (token)
    g_unlink (token);
}

/* A process that exists and is not a zombie (a console window whose parent, ctys, has
 * gone is reaped by whatever init this machine has, which may take its time or never). */
static gboolean
process_alive (const char *pid_text)
{
  g_autofree char *stat_path = NULL;
  g_autofree char *stat = NULL;
  const char *state;
  guint64 pid;

  if (!g_ascii_string_to_unsigned (pid_text, 10, 1, G_MAXINT, &pid, NULL))
    return FALSE;
  if (kill ((pid_t) pid, 0) != 0 && errno != EPERM)
    return FALSE;
  stat_path = g_strdup_printf ("/proc/%" G_GUINT64_FORMAT "/stat", pid);
  if (!g_file_get_contents (stat_path, &stat, NULL, NULL) || (state = strrchr (stat, ')')) == NULL)
    return TRUE;   /* no /proc: kill() said it exists */
  return state[1] != ' ' || state[2] != 'Z';
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

GPtrArray *
deck_sessions_list (void)
{
  g_autofree char *dir = sessions_dir ();
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".session"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) fields = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      fields = g_strsplit (g_strchomp (text), ";", -1);
      if (g_strv_length (fields) != DECK_LIST_N_FIELDS || !process_alive (fields[DECK_LIST_PID - 1]))
        {
          g_unlink (path);   /* its process is gone (or it is not ours to read) */
          continue;
        }
      g_ptr_array_add (rows, g_steal_pointer (&fields));
    }
  return rows;
}

GPtrArray *
deck_sessions_clients (const char *label)
{
  GPtrArray *rows = deck_sessions_list ();

  for (guint i = rows->len; i > 0; i--)
    {
      char **f = rows->pdata[i - 1];

      if (!g_str_equal (f[DECK_LIST_CSTYPE - 1], "CLIENT") || !g_str_equal (f[DECK_LIST_LABEL - 1], label))
        g_ptr_array_remove_index (rows, i - 1);
    }
  return rows;
}

gboolean
deck_sessions_end (char   **fields,
                   GError **error)
{
  guint64 pid;

  if (!g_ascii_string_to_unsigned (fields[DECK_LIST_PID - 1], 10, 2, G_MAXINT, &pid, error))
    return FALSE;
  if (kill ((pid_t) pid, SIGTERM) != 0)
    {
      int saved = errno;

      g_set_error (error, DECK_ERROR, saved == EPERM ? DECK_ERROR_PERMISSION : DECK_ERROR_FAILED,
                   "cannot end pid %" G_GUINT64_FORMAT ": %s", pid, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static char **
own_fields (const char *label,
            const char *type,
            const char *cs_type)
{
  char **f = g_new0 (char *, DECK_LIST_N_FIELDS + 1);
  struct passwd *pw = getpwuid (getuid ());
  struct group *gr = getgrgid (getgid ());

  for (guint i = 0; i < DECK_LIST_N_FIELDS; i++)
    f[i] = g_strdup ("");
  g_free (f[DECK_LIST_PM - 1]);
  f[DECK_LIST_PM - 1] = deck_scanner_default_nodename ();
  g_free (f[DECK_LIST_TYPE - 1]);
  f[DECK_LIST_TYPE - 1] = g_strdup (type);
  g_free (f[DECK_LIST_LABEL - 1]);
  f[DECK_LIST_LABEL - 1] = g_strdup (label);
  g_free (f[DECK_LIST_PID - 1]);
  f[DECK_LIST_PID - 1] = g_strdup_printf ("%d", (int) getpid ());
  g_free (f[DECK_LIST_UID - 1]);
  f[DECK_LIST_UID - 1] = pw ? g_strdup (pw->pw_name) : g_strdup_printf ("%u", (guint) getuid ());
  g_free (f[DECK_LIST_GID - 1]);
  f[DECK_LIST_GID - 1] = gr ? g_strdup (gr->gr_name) : g_strdup_printf ("%u", (guint) getgid ());
  g_free (f[DECK_LIST_CSTYPE - 1]);
  f[DECK_LIST_CSTYPE - 1] = g_strdup (cs_type);
  return f;
}

char **
deck_sessions_tunnel_fields (const char *label,
                             const char *type,
                             guint       local_port,
                             guint       remote_port)
{
  g_autofree char *stype = g_strdup_printf ("SSH(%s)", type);
  char **f = own_fields (label, stype, "TUNNEL");

  g_free (f[DECK_LIST_ID - 1]);
  f[DECK_LIST_ID - 1] = g_strdup_printf ("%u-%u", local_port, remote_port);
  g_free (f[DECK_LIST_CPORT - 1]);
  f[DECK_LIST_CPORT - 1] = g_strdup_printf ("%u", local_port);
  g_free (f[DECK_LIST_SPORT - 1]);
  f[DECK_LIST_SPORT - 1] = g_strdup_printf ("%u", remote_port);
  return f;
}

char **
deck_sessions_client_fields (const char *label,
                             const char *type,
                             guint       port)
{
  char **f = own_fields (label, type, "CLIENT");

  if (port)
    {
      g_free (f[DECK_LIST_CPORT - 1]);
      f[DECK_LIST_CPORT - 1] = g_strdup_printf ("%u", port);
    }
  return f;
}
