/* deck-process.c: one child process run asynchronously, with a timeout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-process.h"

#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "deck-error.h"

typedef struct {
  GSubprocess *proc;
  GCancellable *op_cancel;     /* cancelled on timeout or by the caller */
  GCancellable *caller_cancel;
  gulong caller_id;
  guint timeout_id;
  guint timeout_s;
  gboolean timed_out;
  char *stderr_path;           /* DECK_PROCESS_DETACHING: stderr goes to this file */
  char *what;
  GBytes *in;
  /* results */
  int status;
  GBytes *out;
  char *err;
} Spawn;

static void
spawn_free (Spawn *sp)
{
  if (sp->timeout_id)
    g_source_remove (sp->timeout_id);
  if (sp->caller_id)
    g_cancellable_disconnect (sp->caller_cancel, sp->caller_id);
  g_clear_object (&sp->caller_cancel);
  g_clear_object (&sp->op_cancel);
  if (sp->proc)
    g_subprocess_force_exit (sp->proc);   /* nothing happens once it was reaped */
  g_clear_object (&sp->proc);
  if (sp->stderr_path)
    g_unlink (sp->stderr_path);
  g_free (sp->stderr_path);
  g_free (sp->what);
  g_clear_pointer (&sp->in, g_bytes_unref);
  g_clear_pointer (&sp->out, g_bytes_unref);
  g_free (sp->err);
  g_free (sp);
}

static gboolean
spawn_timed_out (gpointer data)
{
  Spawn *sp = data;

  sp->timeout_id = 0;
  sp->timed_out = TRUE;
  g_cancellable_cancel (sp->op_cancel);
  return G_SOURCE_REMOVE;
}

static void
spawn_caller_cancelled (GCancellable *cancellable,
                        gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static void
spawn_communicated (GObject      *source,
                    GAsyncResult *res,
                    gpointer      data)
{
  g_autoptr(GTask) task = data;
  Spawn *sp = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err = NULL;

  if (!g_subprocess_communicate_finish (sp->proc, res, &sp->out, &err, &error))
    {
      g_subprocess_force_exit (sp->proc);
      if (sp->timed_out)
        g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                                 "%s: no answer within %u s", sp->what, sp->timeout_s);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sp->status = g_subprocess_get_if_exited (sp->proc) ? g_subprocess_get_exit_status (sp->proc) : -1;
  if (err)
    sp->err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  else if (sp->stderr_path)
    g_file_get_contents (sp->stderr_path, &sp->err, NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

void
deck_process_run_async (gpointer            source_object,
                        const char * const *argv,
                        GBytes             *stdin_data,
                        guint               timeout_s,
                        DeckProcessFlags    flags,
                        const char         *what,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  Spawn *sp = g_new0 (Spawn, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  GSubprocessFlags sflags = G_SUBPROCESS_FLAGS_STDIN_PIPE;
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, deck_process_run_async);
  g_task_set_task_data (task, sp, (GDestroyNotify) spawn_free);
  sp->what = g_strdup (what ? what : argv[0]);
  sp->timeout_s = timeout_s;
  sp->status = -1;
  sp->op_cancel = g_cancellable_new ();
  if (cancellable)
    {
      sp->caller_cancel = g_object_ref (cancellable);
      sp->caller_id = g_cancellable_connect (cancellable, G_CALLBACK (spawn_caller_cancelled),
                                             sp->op_cancel, NULL);
    }

  if (flags & DECK_PROCESS_DETACHING)
    {
      int fd;

      sp->stderr_path = g_build_filename (g_get_tmp_dir (), "vmdeck-stderr-XXXXXX", NULL);
      fd = g_mkstemp (sp->stderr_path);
      if (fd >= 0)
        close (fd);
      sflags |= G_SUBPROCESS_FLAGS_STDOUT_SILENCE;
    }
  else
    sflags |= G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;

  launcher = g_subprocess_launcher_new (sflags);
  if (sp->stderr_path)
    g_subprocess_launcher_set_stderr_file_path (launcher, sp->stderr_path);
  sp->proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (sp->proc == NULL)
    {
      g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_FAILED,
                               "cannot run %s: %s", argv[0], error->message);
      return;
    }
  if (timeout_s)
    sp->timeout_id = g_timeout_add_seconds (timeout_s, spawn_timed_out, sp);
  /* with a stdin pipe, GLib wants data to write: empty data closes it at once */
  sp->in = stdin_data ? g_bytes_ref (stdin_data) : g_bytes_new_static ("", 0);
  g_subprocess_communicate_async (sp->proc, sp->in, sp->op_cancel, spawn_communicated,
                                  g_steal_pointer (&task));
}

gboolean
deck_process_run_finish (GAsyncResult *result,
                         GBytes      **stdout_out,
                         char        **stderr_out,
                         int          *exit_status,
                         GError      **error)
{
  Spawn *sp = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (stdout_out)
    *stdout_out = sp->out ? g_bytes_ref (sp->out) : g_bytes_new (NULL, 0);
  if (stderr_out)
    *stderr_out = g_strdup (sp->err ? sp->err : "");
  if (exit_status)
    *exit_status = sp->status;
  return TRUE;
}

char *
deck_process_describe_argv (const char * const *argv)
{
  GString *line = g_string_new (NULL);

  for (guint i = 0; argv && argv[i]; i++)
    {
      const char *w = argv[i];
      gboolean plain = *w != '\0';

      for (const char *p = w; *p && plain; p++)
        plain = g_ascii_isalnum (*p) || strchr ("_@%+=:,./-", *p) != NULL;
      if (i > 0)
        g_string_append_c (line, ' ');
      if (plain)
        g_string_append (line, w);
      else
        {
          g_autofree char *q = g_shell_quote (w);
          g_string_append (line, q);
        }
    }
  return g_string_free (line, FALSE);
}
