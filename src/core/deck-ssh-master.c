/* deck-ssh-master.c: one OpenSSH master connection per host, and commands over it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-ssh-master.h"

#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-process.h"

typedef enum {
  MASTER_IDLE,
  MASTER_CONNECTING,
  MASTER_UP,
} MasterState;

struct _DeckSshMaster
{
  GObject parent_instance;

  DeckSshCommand *target;
  guint connect_timeout;
  MasterState state;
  GPtrArray *waiters;     /* GTask *, waiting for the connection attempt */
};

G_DEFINE_FINAL_TYPE (DeckSshMaster, deck_ssh_master, G_TYPE_OBJECT)

static void
deck_ssh_master_finalize (GObject *object)
{
  DeckSshMaster *self = DECK_SSH_MASTER (object);

  g_object_unref (self->target);
  g_ptr_array_unref (self->waiters);
  G_OBJECT_CLASS (deck_ssh_master_parent_class)->finalize (object);
}

static void
deck_ssh_master_class_init (DeckSshMasterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = deck_ssh_master_finalize;
}

static void
deck_ssh_master_init (DeckSshMaster *self)
{
  self->connect_timeout = 15;
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

DeckSshMaster *
deck_ssh_master_new (DeckSshCommand *target)
{
  DeckSshMaster *self = g_object_new (DECK_TYPE_SSH_MASTER, NULL);

  self->target = deck_ssh_command_copy_target (target);
  return self;
}

DeckSshCommand *
deck_ssh_master_get_target (DeckSshMaster *self)
{
  return self->target;
}

const char *
deck_ssh_master_get_host (DeckSshMaster *self)
{
  return deck_ssh_command_get_host (self->target);
}

void
deck_ssh_master_set_connect_timeout (DeckSshMaster *self,
                                     guint          seconds)
{
  self->connect_timeout = seconds;
}

/* --- error mapping ---------------------------------------------------------------------- */

/* ssh's stderr without the lines that say nothing about the failure. */
static char *
meaningful_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);
  GString *s = g_string_new (NULL);

  for (guint i = 0; lines[i]; i++)
    {
      char *l = g_strstrip (lines[i]);

      if (*l == '\0' || g_str_has_prefix (l, "Warning: Permanently added")
          || strspn (l, "@") == strlen (l))
        continue;
      if (s->len)
        g_string_append (s, "; ");
      g_string_append (s, l);
    }
  if (s->len > 600)
    {
      g_string_truncate (s, 600);
      g_string_append (s, "...");
    }
  return g_string_free (s, FALSE);
}

GError *
deck_ssh_error_from_stderr (const char *host,
                            const char *stderr_text)
{
  g_autofree char *said = meaningful_lines (stderr_text);
  const char *t = stderr_text ? stderr_text : "";

  if (strstr (t, "Host key verification failed") || strstr (t, "HOST IDENTIFICATION HAS CHANGED")
      || strstr (t, "No ED25519 host key is known") || strstr (t, "host key is known for"))
    return g_error_new (DECK_ERROR, DECK_ERROR_HOST_KEY,
                        "%s: the host's SSH key does not match the known one (or is unknown); "
                        "nothing was run. Check the host, then update known_hosts "
                        "(ssh-keygen -R %s). ssh said: %s", host, host, said);
  if (strstr (t, "Permission denied") || strstr (t, "Too many authentication failures"))
    return g_error_new (DECK_ERROR, DECK_ERROR_PERMISSION,
                        "%s: login refused: %s", host, said);
  return g_error_new (DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                      "%s: cannot reach host: %s", host, *said ? said : "ssh failed without a message");
}

/* An argv for @self's target with the given control mode / operation and remote argv. */
static char **
build_argv (DeckSshMaster      *self,
            DeckSshControl      control,
            const char         *control_op,
            const char         *forward,
            const char * const *remote_argv,
            GError            **error)
{
  g_autoptr(DeckSshCommand) cmd = deck_ssh_command_copy_target (self->target);

  deck_ssh_command_set_control (cmd, control);
  deck_ssh_command_set_control_op (cmd, control_op);
  if (forward)
    deck_ssh_command_add_local_forward (cmd, forward);
  deck_ssh_command_set_remote_argv (cmd, remote_argv);
  return deck_ssh_command_build (cmd, error);
}

/* --- connecting ------------------------------------------------------------------------------ */

static void
connect_done (DeckSshMaster *self,
              const GError  *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->state = error ? MASTER_IDLE : MASTER_UP;
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
master_started (GObject      *source,
                GAsyncResult *res,
                gpointer      data)
{
  DeckSshMaster *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  if (deck_process_run_finish (res, NULL, &err, &status, &error) && status != 0)
    error = deck_ssh_error_from_stderr (deck_ssh_master_get_host (self), err);
  connect_done (self, error);
  g_object_unref (self);
}

static void
master_checked (GObject      *source,
                GAsyncResult *res,
                gpointer      data)
{
  DeckSshMaster *self = data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  int status = -1;

  if (deck_process_run_finish (res, NULL, NULL, &status, NULL) && status == 0)
    {
      connect_done (self, NULL);   /* a master from an earlier call is still up */
      g_object_unref (self);
      return;
    }
  argv = build_argv (self, DECK_SSH_CONTROL_MASTER, NULL, NULL, NULL, &error);
  if (argv == NULL)
    {
      connect_done (self, error);
      g_object_unref (self);
      return;
    }
  /* no caller's cancellable: the attempt is shared by every waiter */
  deck_process_run_async (NULL, (const char * const *) argv, NULL, self->connect_timeout,
                          DECK_PROCESS_DETACHING, deck_ssh_master_get_host (self), NULL,
                          master_started, self);
}

void
deck_ssh_master_connect_async (DeckSshMaster      *self,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  g_task_set_source_tag (task, deck_ssh_master_connect_async);
  if (self->state == MASTER_UP)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
  if (self->state == MASTER_CONNECTING)
    return;

  self->state = MASTER_CONNECTING;
  argv = build_argv (self, DECK_SSH_CONTROL_CLIENT, "check", NULL, NULL, &error);
  if (argv == NULL)
    {
      connect_done (self, error);
      return;
    }
  /* the reference travels through master_checked to master_started */
  deck_process_run_async (NULL, (const char * const *) argv, NULL, 5, DECK_PROCESS_NONE,
                          deck_ssh_master_get_host (self), NULL, master_checked, g_object_ref (self));
}

gboolean
deck_ssh_master_connect_finish (DeckSshMaster *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- running commands ------------------------------------------------------------------------ */

typedef struct {
  GStrv argv;          /* the full ssh argv */
  GBytes *stdin_data;
  guint timeout_s;
  GBytes *out;
  char *err;
  int status;
} RunData;

static void
run_data_free (RunData *rd)
{
  g_strfreev (rd->argv);
  g_clear_pointer (&rd->stdin_data, g_bytes_unref);
  g_clear_pointer (&rd->out, g_bytes_unref);
  g_free (rd->err);
  g_free (rd);
}

static void
run_spawned (GObject      *source,
             GAsyncResult *res,
             gpointer      data)
{
  g_autoptr(GTask) task = data;
  DeckSshMaster *self = g_task_get_source_object (task);
  RunData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  int status;

  if (!deck_process_run_finish (res, &rd->out, &rd->err, &status, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (status == 255 || status == -1)
    {
      /* ssh itself failed (or the remote command chose 255): the master may be gone */
      self->state = MASTER_IDLE;
      g_task_return_error (task, deck_ssh_error_from_stderr (deck_ssh_master_get_host (self), rd->err));
      return;
    }
  rd->status = status;
  if (status != 0)
    {
      g_autofree char *said = meaningful_lines (rd->err);

      g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_REMOTE_FAILED,
                               "%s: %s exited with status %d%s%s", deck_ssh_master_get_host (self),
                               "the remote command", status, *said ? ": " : "", said);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
run_connected (GObject      *source,
               GAsyncResult *res,
               gpointer      data)
{
  DeckSshMaster *self = DECK_SSH_MASTER (source);
  g_autoptr(GTask) task = data;
  RunData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!deck_ssh_master_connect_finish (self, res, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  deck_process_run_async (NULL, (const char * const *) rd->argv, rd->stdin_data, rd->timeout_s,
                          DECK_PROCESS_NONE, deck_ssh_master_get_host (self),
                          g_task_get_cancellable (task), run_spawned, g_object_ref (task));
}

/* Common start of every operation that needs the master: builds the argv, connects, then
 * spawns. */
static void
start_op (DeckSshMaster      *self,
          gpointer            source_tag,
          const char         *control_op,
          const char         *forward,
          const char * const *remote_argv,
          GBytes             *stdin_data,
          guint               timeout_s,
          GCancellable       *cancellable,
          GAsyncReadyCallback callback,
          gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RunData *rd = g_new0 (RunData, 1);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, rd, (GDestroyNotify) run_data_free);
  rd->status = -1;
  rd->timeout_s = timeout_s;
  rd->stdin_data = stdin_data ? g_bytes_ref (stdin_data) : NULL;
  rd->argv = build_argv (self, DECK_SSH_CONTROL_CLIENT, control_op, forward, remote_argv, &error);
  if (rd->argv == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  deck_ssh_master_connect_async (self, cancellable, run_connected, g_steal_pointer (&task));
}

void
deck_ssh_master_run_async (DeckSshMaster      *self,
                           const char * const *remote_argv,
                           GBytes             *stdin_data,
                           guint               timeout_s,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (remote_argv && remote_argv[0]);
  start_op (self, deck_ssh_master_run_async, NULL, NULL, remote_argv, stdin_data, timeout_s,
            cancellable, callback, user_data);
}

gboolean
deck_ssh_master_run_finish (DeckSshMaster *self,
                            GAsyncResult  *result,
                            GBytes       **stdout_out,
                            char         **stderr_out,
                            int           *exit_status,
                            GError       **error)
{
  RunData *rd = g_task_get_task_data (G_TASK (result));

  if (stdout_out)
    *stdout_out = rd->out ? g_bytes_ref (rd->out) : NULL;
  if (stderr_out)
    *stderr_out = g_strdup (rd->err);
  if (exit_status)
    *exit_status = rd->status;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
forward_spec (const char *listen,
              const char *to_host,
              guint       to_port)
{
  /* an IPv6 target needs brackets inside the spec */
  if (strchr (to_host, ':'))
    return g_strdup_printf ("%s:[%s]:%u", listen, to_host, to_port);
  return g_strdup_printf ("%s:%s:%u", listen, to_host, to_port);
}

void
deck_ssh_master_forward_async (DeckSshMaster      *self,
                               const char         *listen,
                               const char         *to_host,
                               guint               to_port,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autofree char *spec = forward_spec (listen, to_host, to_port);

  start_op (self, deck_ssh_master_forward_async, "forward", spec, NULL, NULL, 15,
            cancellable, callback, user_data);
}

gboolean
deck_ssh_master_forward_finish (DeckSshMaster *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
deck_ssh_master_cancel_forward_async (DeckSshMaster      *self,
                                      const char         *listen,
                                      const char         *to_host,
                                      guint               to_port,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  g_autofree char *spec = forward_spec (listen, to_host, to_port);

  start_op (self, deck_ssh_master_cancel_forward_async, "cancel", spec, NULL, NULL, 15,
            cancellable, callback, user_data);
}

gboolean
deck_ssh_master_cancel_forward_finish (DeckSshMaster *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
exit_spawned (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;

  /* "no master running" (status 255) is what exit is for: not an error */
  if (!deck_process_run_finish (res, NULL, NULL, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
deck_ssh_master_exit_async (DeckSshMaster      *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = build_argv (self, DECK_SSH_CONTROL_CLIENT, "exit", NULL, NULL, &error);

  g_task_set_source_tag (task, deck_ssh_master_exit_async);
  self->state = MASTER_IDLE;
  if (argv == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  deck_process_run_async (NULL, (const char * const *) argv, NULL, 10, DECK_PROCESS_NONE,
                          deck_ssh_master_get_host (self), cancellable, exit_spawned,
                          g_steal_pointer (&task));
}

gboolean
deck_ssh_master_exit_finish (DeckSshMaster *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
