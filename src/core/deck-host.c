/* deck-host.c: a host vmdeck works on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-host.h"

#include <string.h>

#include "deck-error.h"
#include "deck-process.h"
#include "deck-scanner.h"

struct _DeckHost
{
  GObject parent_instance;

  char *name;
  DeckSshCommand *ssh;        /* NULL: the local host */
  DeckSshMaster *master;
  GHashTable *uris;           /* driver -> uri */
  DeckPrivilege privilege;
  DeckBackendChoice backend;
  int is_xen;                 /* -1 not asked yet */
  GHashTable *prefixes;       /* probe argv joined -> GStrv prefix */

  DeckHostState state;
  char *state_message;
};

G_DEFINE_FINAL_TYPE (DeckHost, deck_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
deck_host_finalize (GObject *object)
{
  DeckHost *self = DECK_HOST (object);

  g_free (self->name);
  g_clear_object (&self->ssh);
  g_clear_object (&self->master);
  g_hash_table_unref (self->uris);
  g_hash_table_unref (self->prefixes);
  g_free (self->state_message);
  G_OBJECT_CLASS (deck_host_parent_class)->finalize (object);
}

static void
deck_host_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DeckHost *self = DECK_HOST (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_host_class_init (DeckHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = deck_host_finalize;
  object_class->get_property = deck_host_get_property;

  /* a DeckHostState; notified whenever a command shows the host up or down */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, DECK_HOST_STATE_UNKNOWN, DECK_HOST_STATE_UNREACHABLE,
                      DECK_HOST_STATE_UNKNOWN, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
deck_host_init (DeckHost *self)
{
  self->uris = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->prefixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  self->is_xen = -1;
}

DeckHost *
deck_host_new_local (void)
{
  DeckHost *self = g_object_new (DECK_TYPE_HOST, NULL);

  self->name = deck_scanner_default_nodename ();
  self->state = DECK_HOST_STATE_REACHABLE;
  return self;
}

DeckHost *
deck_host_new (const char *name,
               const char *user,
               GError    **error)
{
  DeckHost *self;

  if (!deck_target_check_host (name, error))
    return NULL;
  if (user && !deck_target_check_user (user, error))
    return NULL;
  self = g_object_new (DECK_TYPE_HOST, NULL);
  self->name = g_strdup (name);
  self->ssh = deck_ssh_command_new (name);
  deck_ssh_command_set_user (self->ssh, user);
  return self;
}

/* "localhost", this machine's node name, or its short form. */
static gboolean
names_this_machine (const char *host)
{
  g_autofree char *node = deck_scanner_default_nodename ();
  gsize n = strcspn (node, ".");

  return g_str_equal (host, "localhost") || g_str_equal (host, node)
         || (strchr (host, '.') == NULL && strlen (host) == n && strncmp (host, node, n) == 0);
}

DeckHost *
deck_host_new_from_target (const DeckTarget *target,
                           GError          **error)
{
  const char *user = target->user;
  DeckPrivilege privilege = 0;
  DeckHost *self;

  for (guint i = 0; target->options[i]; i++)
    {
      const char *opt = target->options[i];

      if (g_str_has_prefix (opt, "--uri=") || g_str_has_prefix (opt, "--backend=")
          || g_str_has_prefix (opt, "--ssh-port="))
        continue;   /* applied below, once the host exists */

      if ((g_str_equal (opt, "-l") || g_str_equal (opt, "-Z")) && target->options[i + 1] == NULL)
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "%s: option %s needs a value",
                       target->host, opt);
          return NULL;
        }
      if (g_str_equal (opt, "-l") && target->user == NULL)
        user = target->options[++i];
      else if (g_str_equal (opt, "-Z"))
        {
          /* a -Z in a more specific group replaces the inherited set (spec §2.3, REC) */
          privilege = 0;
          if (!deck_privilege_parse (target->options[++i], &privilege, error))
            {
              g_prefix_error (error, "%s: ", target->host);
              return NULL;
            }
        }
    }

  if (user == NULL && names_this_machine (target->host))
    self = deck_host_new_local ();
  else if ((self = deck_host_new (target->host, user, error)) == NULL)
    return NULL;
  self->privilege = privilege;
  for (guint i = 0; target->options[i]; i++)
    if (g_str_has_prefix (target->options[i], "--ssh-port="))
      {
        guint64 port;

        if (!g_ascii_string_to_unsigned (target->options[i] + strlen ("--ssh-port="), 10, 1, 65535, &port, NULL))
          {
            g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "%s: “%s”: expected --ssh-port=<1..65535>",
                         target->host, target->options[i]);
            g_object_unref (self);
            return NULL;
          }
        if (self->ssh != NULL)   /* the local host has no SSH */
          deck_ssh_command_set_port (self->ssh, (guint) port);
      }
    else if ((g_str_has_prefix (target->options[i], "--uri=")
         && !deck_host_take_uri_option (self, target->options[i] + strlen ("--uri="), error))
        || (g_str_has_prefix (target->options[i], "--backend=")
            && !deck_backend_choice_parse (target->options[i] + strlen ("--backend="), &self->backend, error)))
      {
        g_object_unref (self);
        return NULL;
      }
  return self;
}

DeckBackendChoice
deck_host_get_backend (DeckHost *self)
{
  return self->backend;
}

void
deck_host_set_backend (DeckHost          *self,
                       DeckBackendChoice  backend)
{
  self->backend = backend;
}

gboolean
deck_backend_choice_parse (const char        *value,
                           DeckBackendChoice *backend,
                           GError           **error)
{
  if (g_ascii_strcasecmp (value, "auto") == 0)
    *backend = DECK_BACKEND_AUTO;
  else if (g_ascii_strcasecmp (value, "libvirt") == 0)
    *backend = DECK_BACKEND_LIBVIRT;
  else if (g_ascii_strcasecmp (value, "xl") == 0)
    *backend = DECK_BACKEND_XL;
  else
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "--backend=%s: expected auto, libvirt or xl", value);
      return FALSE;
    }
  return TRUE;
}

gboolean
deck_host_take_uri_option (DeckHost   *self,
                           const char *uri,
                           GError    **error)
{
  gsize n = strcspn (uri, "+:");
  g_autofree char *driver = g_strndup (uri, n);

  if (n == 0 || uri[n] == '\0' || strstr (uri, "://") == NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "--uri=%s: expected a libvirt URI such as qemu+ssh://host/system", uri);
      return FALSE;
    }
  deck_host_set_libvirt_uri (self, driver, uri);
  return TRUE;
}

const char *
deck_host_get_name (DeckHost *self)
{
  return self->name;
}

gboolean
deck_host_is_local (DeckHost *self)
{
  return self->ssh == NULL;
}

DeckSshCommand *
deck_host_get_ssh (DeckHost *self)
{
  return self->ssh;
}

DeckSshMaster *
deck_host_get_master (DeckHost *self)
{
  if (self->ssh && self->master == NULL)
    self->master = deck_ssh_master_new (self->ssh);
  return self->master;
}

DeckHostState
deck_host_get_state (DeckHost *self)
{
  return self->state;
}

const char *
deck_host_get_state_message (DeckHost *self)
{
  return self->state_message;
}

static void
set_state (DeckHost      *self,
           DeckHostState  state,
           const char    *message)
{
  if (self->state == state && g_strcmp0 (self->state_message, message) == 0)
    return;
  self->state = state;
  g_free (self->state_message);
  self->state_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* The state an operation's outcome shows. */
static void
note_outcome (DeckHost     *self,
              const GError *error)
{
  if (error == NULL || g_error_matches (error, DECK_ERROR, DECK_ERROR_REMOTE_FAILED))
    set_state (self, DECK_HOST_STATE_REACHABLE, NULL);
  else if (g_error_matches (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE)
           || g_error_matches (error, DECK_ERROR, DECK_ERROR_PERMISSION)
           || g_error_matches (error, DECK_ERROR, DECK_ERROR_HOST_KEY))
    set_state (self, DECK_HOST_STATE_UNREACHABLE, error->message);
}

char *
deck_host_get_libvirt_uri (DeckHost   *self,
                           const char *driver)
{
  const char *set = g_hash_table_lookup (self->uris, driver);

  if (set)
    return g_strdup (set);
  if (self->ssh == NULL)
    return g_strdup_printf ("%s:///system", driver);
  return deck_ssh_command_libvirt_uri (self->ssh, driver, "/system");
}

gboolean
deck_host_has_libvirt_uri (DeckHost   *self,
                           const char *driver)
{
  return g_hash_table_contains (self->uris, driver);
}

void
deck_host_set_libvirt_uri (DeckHost   *self,
                           const char *driver,
                           const char *uri)
{
  if (uri)
    g_hash_table_replace (self->uris, g_strdup (driver), g_strdup (uri));
  else
    g_hash_table_remove (self->uris, driver);
}

DeckPrivilege
deck_host_get_privilege (DeckHost *self)
{
  return self->privilege;
}

void
deck_host_set_privilege (DeckHost      *self,
                         DeckPrivilege  privilege)
{
  self->privilege = privilege;
  g_hash_table_remove_all (self->prefixes);
}

gboolean
deck_privilege_parse (const char    *value,
                      DeckPrivilege *privilege,
                      GError       **error)
{
  g_auto(GStrv) items = g_strsplit (value, ",", -1);

  for (guint i = 0; items[i]; i++)
    {
      g_autofree char *item = g_ascii_strup (g_strstrip (items[i]), -1);

      if (g_str_equal (item, "KSU"))
        *privilege |= DECK_PRIVILEGE_KSU;
      else if (g_str_equal (item, "SUDO"))
        *privilege |= DECK_PRIVILEGE_SUDO;
      else if (g_str_equal (item, "NOKSU"))
        *privilege &= ~DECK_PRIVILEGE_KSU;
      else if (g_str_equal (item, "NOSUDO"))
        *privilege &= ~DECK_PRIVILEGE_SUDO;
      else if (g_str_equal (item, "ALL"))
        *privilege |= DECK_PRIVILEGE_KSU | DECK_PRIVILEGE_SUDO;
      else
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "-Z %s: expected KSU, SUDO, NOKSU, NOSUDO or ALL", value);
          return FALSE;
        }
    }
  return TRUE;
}

/* --- running ------------------------------------------------------------------------------- */

typedef struct {
  GBytes *out;
  char *err;
  int status;
} RunResult;

static void
run_result_free (RunResult *rr)
{
  g_clear_pointer (&rr->out, g_bytes_unref);
  g_free (rr->err);
  g_free (rr);
}

static void
run_done (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  g_autoptr(GTask) task = data;
  DeckHost *self = g_task_get_source_object (task);
  RunResult *rr = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->ssh)
    ok = deck_ssh_master_run_finish (DECK_SSH_MASTER (source), res, &rr->out, &rr->err, &rr->status, &error);
  else if ((ok = deck_process_run_finish (res, &rr->out, &rr->err, &rr->status, &error)) && rr->status != 0)
    {
      ok = FALSE;
      g_set_error (&error, DECK_ERROR, DECK_ERROR_REMOTE_FAILED, "%s: command exited with status %d: %s",
                   self->name, rr->status, g_strstrip (rr->err));
    }
  note_outcome (self, error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
deck_host_run_async (DeckHost           *self,
                     const char * const *argv,
                     GBytes             *stdin_data,
                     guint               timeout_s,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RunResult *rr = g_new0 (RunResult, 1);

  g_task_set_source_tag (task, deck_host_run_async);
  rr->status = -1;
  g_task_set_task_data (task, rr, (GDestroyNotify) run_result_free);
  if (self->ssh)
    {
      if (self->state != DECK_HOST_STATE_REACHABLE)
        set_state (self, DECK_HOST_STATE_CONNECTING, NULL);
      deck_ssh_master_run_async (deck_host_get_master (self), argv, stdin_data, timeout_s,
                                 cancellable, run_done, task);
    }
  else
    deck_process_run_async (NULL, argv, stdin_data, timeout_s, DECK_PROCESS_NONE, self->name,
                            cancellable, run_done, task);
}

gboolean
deck_host_run_finish (DeckHost     *self,
                      GAsyncResult *result,
                      GBytes      **stdout_out,
                      char        **stderr_out,
                      int          *exit_status,
                      GError      **error)
{
  RunResult *rr = g_task_get_task_data (G_TASK (result));

  if (stdout_out)
    *stdout_out = rr->out ? g_bytes_ref (rr->out) : NULL;
  if (stderr_out)
    *stderr_out = g_strdup (rr->err);
  if (exit_status)
    *exit_status = rr->status;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
connect_done (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  DeckHost *self = g_task_get_source_object (task);
  GError *error = NULL;

  deck_ssh_master_connect_finish (DECK_SSH_MASTER (source), res, &error);
  note_outcome (self, error);
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
deck_host_connect_async (DeckHost           *self,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, deck_host_connect_async);
  if (self->ssh == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (self->state != DECK_HOST_STATE_REACHABLE)
    set_state (self, DECK_HOST_STATE_CONNECTING, NULL);
  deck_ssh_master_connect_async (deck_host_get_master (self), cancellable, connect_done, task);
}

gboolean
deck_host_connect_finish (DeckHost     *self,
                          GAsyncResult *result,
                          GError      **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Xen ---------------------------------------------------------------------------------- */

static void
xen_probed (GObject      *source,
            GAsyncResult *res,
            gpointer      data)
{
  g_autoptr(GTask) task = data;
  DeckHost *self = DECK_HOST (source);
  g_autoptr(GError) error = NULL;

  if (deck_host_run_finish (self, res, NULL, NULL, NULL, &error))
    self->is_xen = TRUE;
  else if (g_error_matches (error, DECK_ERROR, DECK_ERROR_REMOTE_FAILED))
    self->is_xen = FALSE;   /* the test said no */
  else
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
deck_host_probe_xen_async (DeckHost           *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  /* a plain argv; whether xl itself is there, xl's own answer says (exit 127) */
  const char *argv[] = { "test", "-e", "/proc/xen/capabilities", NULL };

  g_task_set_source_tag (task, deck_host_probe_xen_async);
  if (self->is_xen >= 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  deck_host_run_async (self, argv, NULL, 30, cancellable, xen_probed, task);
}

gboolean
deck_host_probe_xen_finish (DeckHost     *self,
                            GAsyncResult *result,
                            gboolean     *is_xen,
                            GError      **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *is_xen = self->is_xen == TRUE;
  return TRUE;
}

/* --- privilege (spec §3.5) ------------------------------------------------------------------ */

/* The candidates of spec §3.5 in their order; each is tried as a plain argv (no shell),
 * one round trip each, until one works: the login is root ("id -u" says 0), the probe
 * works as it is, with "ksu -q -e", with "sudo -n". */
typedef struct {
  char *key;            /* the probe argv joined, for the cache and messages */
  GStrv probe;
  guint step;
} Probe;

enum { PROBE_ROOT, PROBE_NATIVE, PROBE_KSU, PROBE_SUDO, PROBE_DONE };

static void
probe_free (Probe *p)
{
  g_free (p->key);
  g_strfreev (p->probe);
  g_free (p);
}

/* The prefix a step stands for. */
static char **
probe_prefix (guint step)
{
  switch (step)
    {
    case PROBE_KSU: return g_strdupv ((char *[]) { (char *) "ksu", (char *) "-q", (char *) "-e", NULL });
    case PROBE_SUDO: return g_strdupv ((char *[]) { (char *) "sudo", (char *) "-n", NULL });
    default: return g_new0 (char *, 1);
    }
}

static void probe_next (GTask *task);

static void
probe_step_done (GObject      *source,
                 GAsyncResult *res,
                 gpointer      data)
{
  GTask *task = data;
  DeckHost *self = DECK_HOST (source);
  Probe *p = g_task_get_task_data (task);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = deck_host_run_finish (self, res, &out, NULL, NULL, &error);
  char **prefix;

  if (!ok && !g_error_matches (error, DECK_ERROR, DECK_ERROR_REMOTE_FAILED))
    {
      g_task_return_error (task, g_steal_pointer (&error));   /* the host, not the tool */
      g_object_unref (task);
      return;
    }
  if (ok && p->step == PROBE_ROOT)
    ok = g_bytes_get_size (out) >= 1 && ((const char *) g_bytes_get_data (out, NULL))[0] == '0'
         && (g_bytes_get_size (out) == 1 || ((const char *) g_bytes_get_data (out, NULL))[1] == '\n');
  if (!ok)
    {
      p->step++;
      probe_next (task);
      return;
    }
  prefix = probe_prefix (p->step);
  g_hash_table_replace (self->prefixes, g_strdup (p->key), g_strdupv (prefix));
  g_task_return_pointer (task, prefix, (GDestroyNotify) g_strfreev);
  g_object_unref (task);
}

static void
probe_next (GTask *task)
{
  DeckHost *self = g_task_get_source_object (task);
  Probe *p = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  /* ksu and sudo only when -Z enabled them */
  while ((p->step == PROBE_KSU && !(self->privilege & DECK_PRIVILEGE_KSU))
         || (p->step == PROBE_SUDO && !(self->privilege & DECK_PRIVILEGE_SUDO)))
    p->step++;
  if (p->step == PROBE_DONE)
    {
      g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_PERMISSION,
                               "%s: '%s' is not permitted for this login%s", self->name, p->key,
                               self->privilege == 0 ? "; try -Z KSU or -Z SUDO"
                               : " (and the enabled -Z mechanisms did not help)");
      g_object_unref (task);
      return;
    }
  if (p->step == PROBE_ROOT)
    g_strv_builder_add_many (b, "id", "-u", NULL);
  else
    {
      g_auto(GStrv) prefix = probe_prefix (p->step);

      g_strv_builder_addv (b, (const char **) prefix);
      g_strv_builder_addv (b, (const char **) p->probe);
    }
  argv = g_strv_builder_end (b);
  deck_host_run_async (self, (const char * const *) argv, NULL, 30, g_task_get_cancellable (task),
                       probe_step_done, task);
}

void
deck_host_probe_privilege_async (DeckHost           *self,
                                 const char * const *probe_argv,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Probe *p = g_new0 (Probe, 1);
  char **known;

  g_task_set_source_tag (task, deck_host_probe_privilege_async);
  p->key = g_strjoinv (" ", (char **) probe_argv);
  p->probe = g_strdupv ((char **) probe_argv);
  g_task_set_task_data (task, p, (GDestroyNotify) probe_free);
  if ((known = g_hash_table_lookup (self->prefixes, p->key)) != NULL)
    {
      g_task_return_pointer (task, g_strdupv (known), (GDestroyNotify) g_strfreev);
      g_object_unref (task);
      return;
    }
  probe_next (task);
}

char **
deck_host_probe_privilege_finish (DeckHost     *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
