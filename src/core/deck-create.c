/* deck-create.c: CREATE on one host (spec §4.2, §5.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-create.h"

#include <string.h>

#include "deck-config.h"
#include "deck-error.h"
#include "deck-fields.h"
#include "deck-libvirt.h"
#include "deck-paths.h"
#include "deck-process.h"
#include "deck-terminal.h"
#include "deck-xl.h"
#include "deck-xl-console.h"

typedef struct {
  DeckCreateRequest *req;
  DeckCreateContext ctx;
  char *host_name;
  DeckRecord *record;
  char *name;            /* the domain's label */
  char *path;            /* the config on the host */
  gboolean xl_config;    /* an xl config: the xl backend (c->xl once it runs; not in dry runs) */
  char *state_file;      /* RESUME:<file> as a path on the host */
  char *uri;
  DeckLibvirt *lv;
  DeckXl *xl;
  DeckDomainInfo *found; /* the domain as the hypervisor has it, NULL when undefined */
  char **console_argv;
  gboolean detach;
  gboolean native_xl;    /* an xl config started through libvirt's libxl driver */
} Create;

static void
create_free (Create *c)
{
  deck_create_request_free (c->req);
  g_strfreev (c->ctx.resolve.db_dirs);
  g_free (c->ctx.resolve.type);
  g_free (c->ctx.terminal_geometry);
  g_free (c->host_name);
  g_clear_object (&c->record);
  g_free (c->name);
  g_free (c->path);
  g_free (c->state_file);
  g_free (c->uri);
  g_clear_object (&c->lv);
  g_clear_object (&c->xl);
  deck_domain_info_free (c->found);
  g_strfreev (c->console_argv);
  g_free (c);
}

static void
report (Create     *c,
        const char *fmt,
        ...) G_GNUC_PRINTF (2, 3);

static void
report (Create     *c,
        const char *fmt,
        ...)
{
  va_list ap;

  va_start (ap, fmt);
  deck_cancel_report_valist (c->ctx.report, c->ctx.report_data, c->host_name, c->ctx.dry_run, fmt, ap);
  va_end (ap);
}

static void
fail (GTask  *task,
      GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
done (GTask *task)
{
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
is_running (DeckDomainInfo *info)
{
  return info && (info->state == DECK_DOMAIN_STATE_RUNNING || info->state == DECK_DOMAIN_STATE_BLOCKED
                  || info->state == DECK_DOMAIN_STATE_PAUSED || info->state == DECK_DOMAIN_STATE_SHUTDOWN);
}

/* The connection-mode rules of §5.1.2; FALSE with the error when the mode forbids going on. */
static gboolean
mode_allows (Create  *c,
             gboolean running,
             GError **error)
{
  if (c->req->mode == DECK_CREATE_MODE_NONE && running)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_EXISTS,
                   "%s: session %s already exists; use REUSE (or CONNECT) to attach to it",
                   c->host_name, c->name);
      return FALSE;
    }
  if (c->req->mode == DECK_CREATE_MODE_CONNECT && !running)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND,
                   "%s: cannot CONNECT, server %s not running", c->host_name, c->name);
      return FALSE;
    }
  return TRUE;
}

/* RECONNECT (spec §5.1.2): the clients this machine holds open on the session (console
 * windows in the session registry) are ended before the new console attaches. */
static void
end_clients (Create *c)
{
  g_autofree char *failed = NULL;

  if (c->req->mode != DECK_CREATE_MODE_RECONNECT)
    return;
  failed = deck_cancel_end_clients (c->name, c->ctx.dry_run, c->ctx.report, c->ctx.report_data, c->host_name);
  if (failed)
    report (c, "%s", failed);
}

/* --- the console ------------------------------------------------------------------------ */

/* The vmdeck window program: $VMDECK_PROGRAM, else installed, else as built. */
static char *
vmdeck_program (void)
{
  const char *env = g_getenv ("VMDECK_PROGRAM");
  g_autofree char *installed = g_build_filename (DECK_BINDIR, "vmdeck", NULL);

  if (env && *env)
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);
  return g_strdup (DECK_BUILD_VMDECK);
}

/* The command that attaches the domain's serial console in a terminal: virsh console, or
 * xl console (through ssh -t -t on a remote host: it needs a terminal on the far side,
 * spec §3.4; -z NOPTY drops it at the price of a degraded console). */
static char **
cli_console_argv (GTask   *task,
                  GError **error)
{
  Create *c = g_task_get_task_data (task);
  DeckHost *host = g_task_get_source_object (task);

  if (!c->xl_config)
    return g_strdupv ((char *[]) { (char *) "virsh", (char *) "-c", c->uri,
                                   (char *) "console", c->name, NULL });
  return deck_xl_console_command (host, c->xl ? deck_xl_get_prefix (c->xl) : NULL, c->name,
                                  DECK_XL_CONSOLE_SERIAL | (c->ctx.no_pty ? DECK_XL_CONSOLE_NO_PTY : 0),
                                  error);
}

static void
attach_console (GTask *task)
{
  Create *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) cli_argv = NULL;
  g_autofree char *shown = NULL;

  if (c->req->console == DECK_CONSOLE_VNC)
    {
      DeckHost *host = g_task_get_source_object (task);
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_autofree char *program = vmdeck_program ();

      /* an xl domain: the window's xl backend ("xl" instead of a URI) on the same host,
       * with the same -Z */
      g_strv_builder_add_many (b, program, "--console", c->xl_config ? "xl" : c->uri, c->name, "--vnc", NULL);
      if (c->xl_config && deck_host_get_privilege (host) != 0)
        {
          DeckPrivilege z = deck_host_get_privilege (host);

          g_strv_builder_add_many (b, "--privilege",
                                   z == (DECK_PRIVILEGE_KSU | DECK_PRIVILEGE_SUDO) ? "KSU,SUDO"
                                   : z == DECK_PRIVILEGE_KSU ? "KSU" : "SUDO", NULL);
        }
      if (!deck_host_is_local (host))
        {
          g_autoptr(DeckSshCommand) ssh = deck_ssh_command_copy_target (deck_host_get_ssh (host));
          const char *user = deck_ssh_command_get_user (ssh);
          g_autofree char *target = user ? g_strdup_printf ("%s@%s", user, deck_ssh_command_get_host (ssh))
                                         : g_strdup (deck_ssh_command_get_host (ssh));

          g_strv_builder_add_many (b, "--host", target, NULL);
        }
      c->console_argv = g_strv_builder_end (b);
      c->detach = TRUE;
      report (c, "console: a vmdeck VNC window on %s", c->name);
      done (task);
      return;
    }
  switch (c->req->console)
    {
    case DECK_CONSOLE_CLI:
      if ((c->console_argv = cli_console_argv (task, &error)) == NULL)
        {
          fail (task, g_steal_pointer (&error));
          return;
        }
      break;
    case DECK_CONSOLE_XTERM:
    case DECK_CONSOLE_GTERM:
    case DECK_CONSOLE_EMACS:
    case DECK_CONSOLE_EMACSM:
    case DECK_CONSOLE_EMACSA:
    case DECK_CONSOLE_EMACSAM:
      /* the CLI console command in a terminal window of its own (spec §5.1.3) */
      cli_argv = cli_console_argv (task, &error);
      if (cli_argv == NULL
          || (c->console_argv = deck_terminal_argv (c->req->console, c->name, c->ctx.terminal_geometry,
                                                    (const char * const *) cli_argv, &error)) == NULL)
        {
          fail (task, g_steal_pointer (&error));
          return;
        }
      c->detach = TRUE;
      break;
    case DECK_CONSOLE_DEFAULT:
    case DECK_CONSOLE_NONE:
    case DECK_CONSOLE_VNC:
    case DECK_CONSOLE_SDL:
    default:
      done (task);
      return;
    }
  shown = deck_process_describe_argv ((const char * const *) c->console_argv);
  report (c, "console: %s", shown);
  done (task);
}

/* --- libvirt ---------------------------------------------------------------------------- */

static void
lv_started (GObject      *source,
            GAsyncResult *res,
            gpointer      data)
{
  GTask *task = data;
  Create *c = g_task_get_task_data (task);
  GError *error = NULL;

  if (!deck_libvirt_control_finish (DECK_LIBVIRT (source), res, &error))
    {
      fail (task, error);
      return;
    }
  report (c, "%s runs", c->name);
  attach_console (task);
}

static void
lv_start (GTask *task)
{
  Create *c = g_task_get_task_data (task);
  DeckDomainOp op = DECK_DOMAIN_OP_START;
  g_autofree char *state_file = NULL;

  if (c->req->mode == DECK_CREATE_MODE_RESUME)
    {
      if (c->req->statefile)
        {
          op = DECK_DOMAIN_OP_RESTORE;
          state_file = deck_state_file_path (c->req->statefile, c->path, c->name);
          if (state_file == NULL)
            {
              fail (task, g_error_new (DECK_ERROR, DECK_ERROR_USAGE,
                                       "%s: RESUME:%s is relative, but the config path of %s is not known; "
                                       "give the state file as an absolute path", c->host_name,
                                       c->req->statefile, c->name));
              return;
            }
        }
      else if (c->found && c->found->state == DECK_DOMAIN_STATE_PAUSED)
        op = DECK_DOMAIN_OP_UNPAUSE;
    }
  else if (is_running (c->found))
    {
      report (c, "%s runs already", c->name);   /* REUSE, RECONNECT, CONNECT */
      end_clients (c);
      attach_console (task);
      return;
    }
  report (c, "%s %s%s%s (%s)", deck_domain_op_to_string (op), c->name, state_file ? " from " : "",
          state_file ? state_file : "", c->uri);
  if (c->ctx.dry_run)
    {
      attach_console (task);
      return;
    }
  deck_libvirt_control_async (c->lv, c->name, op, state_file, g_task_get_cancellable (task), lv_started, task);
}

static void
lv_defined (GObject      *source,
            GAsyncResult *res,
            gpointer      data)
{
  GTask *task = data;
  Create *c = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *name = deck_libvirt_define_finish (DECK_LIBVIRT (source), res, &error);

  if (name == NULL)
    {
      fail (task, error);
      return;
    }
  if (g_strcmp0 (name, c->name) != 0)
    {
      g_free (c->name);
      c->name = g_steal_pointer (&name);
    }
  lv_start (task);
}

/* An xl config as domain XML: libvirt's "xen-xl" native format, converted by the host's
 * libxl driver */
static void
native_converted (GObject      *source,
                  GAsyncResult *res,
                  gpointer      data)
{
  GTask *task = data;
  Create *c = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *xml = deck_libvirt_from_native_finish (DECK_LIBVIRT (source), res, &error);

  if (xml == NULL)
    {
      fail (task, error);
      return;
    }
  deck_libvirt_define_async (c->lv, xml, g_task_get_cancellable (task), lv_defined, task);
}

static void
xml_read (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  GTask *task = data;
  Create *c = g_task_get_task_data (task);
  g_autoptr(GBytes) out = NULL;
  g_autofree char *xml = NULL;
  GError *error = NULL;

  if (!deck_host_run_finish (DECK_HOST (source), res, &out, NULL, NULL, &error))
    {
      fail (task, error);
      return;
    }
  xml = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  if (c->native_xl)
    {
      deck_libvirt_from_native_async (c->lv, "xen-xl", xml, g_task_get_cancellable (task), native_converted, task);
      return;
    }
  deck_libvirt_define_async (c->lv, xml, g_task_get_cancellable (task), lv_defined, task);
}

static void
lv_looked_up (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  GTask *task = data;
  Create *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  DeckHost *host = g_task_get_source_object (task);

  c->found = deck_libvirt_lookup_finish (DECK_LIBVIRT (source), res, &error);
  if (c->found == NULL && !g_error_matches (error, DECK_ERROR, DECK_ERROR_NOT_FOUND))
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  if (!mode_allows (c, is_running (c->found), &error))
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  if (c->found == NULL && c->req->mode != DECK_CREATE_MODE_RESUME)
    {
      /* not defined on this daemon yet: define it from the inventory's XML file (an xl
       * config converted by libvirt) */
      report (c, "define %s from %s%s", c->name, c->path, c->native_xl ? " (xen-xl)" : "");
      deck_host_run_async (host, (const char *[]) { "cat", "--", c->path, NULL }, NULL, 60,
                           g_task_get_cancellable (task), xml_read, task);
      return;
    }
  lv_start (task);
}

static void
lv_connected (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  GTask *task = data;
  Create *c = g_task_get_task_data (task);
  GError *error = NULL;

  if (!deck_libvirt_connect_finish (DECK_LIBVIRT (source), res, &error))
    {
      fail (task, error);
      return;
    }
  deck_libvirt_lookup_async (c->lv, c->name, g_task_get_cancellable (task), lv_looked_up, task);
}

/* --- xl -------------------------------------------------------------------------------- */

static void
xl_created (GObject      *source,
            GAsyncResult *res,
            gpointer      data)
{
  GTask *task = data;
  Create *c = g_task_get_task_data (task);
  GError *error = NULL;

  if (!deck_xl_create_finish (DECK_XL (source), res, &error))
    {
      fail (task, error);
      return;
    }
  report (c, "%s runs", c->name);
  attach_console (task);
}

/* xl restore (RESUME:<file>) or unpause (RESUME of a paused domain) done */
static void
xl_resumed (GObject      *source,
            GAsyncResult *res,
            gpointer      data)
{
  GTask *task = data;
  Create *c = g_task_get_task_data (task);
  GError *error = NULL;

  if (!deck_xl_control_finish (DECK_XL (source), res, &error))
    {
      fail (task, error);
      return;
    }
  if (c->state_file)
    report (c, "%s restored from %s", c->name, c->state_file);
  else
    report (c, "%s runs", c->name);
  attach_console (task);
}

static void
xl_listed (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  GTask *task = data;
  Create *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = deck_xl_list_finish (DECK_XL (source), res, &error);
  gboolean running = FALSE, paused = FALSE;

  if (domains == NULL)
    {
      /* without the list it is unknown whether it runs; and an xl that cannot list (no
       * xenstored) would hang in create too */
      fail (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; domains && i < domains->len; i++)
    if (g_strcmp0 (((DeckDomainInfo *) domains->pdata[i])->name, c->name) == 0)
      {
        running = TRUE;
        paused = ((DeckDomainInfo *) domains->pdata[i])->state == DECK_DOMAIN_STATE_PAUSED;
      }
  if (!mode_allows (c, running, &error))
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  if (running && paused && c->req->mode == DECK_CREATE_MODE_RESUME && !c->req->statefile)
    {
      /* RESUME without a file continues a paused domain (CANCEL S3), as with libvirt */
      report (c, "%s %s", deck_domain_op_to_string (DECK_DOMAIN_OP_UNPAUSE), c->name);
      deck_xl_control_async (c->xl, c->name, DECK_DOMAIN_OP_UNPAUSE, NULL, DECK_XL_CONTROL_NONE,
                             g_task_get_cancellable (task), xl_resumed, task);
      return;
    }
  if (running)
    {
      report (c, "%s runs already", c->name);
      end_clients (c);
      attach_console (task);
      return;
    }
  if (c->req->mode == DECK_CREATE_MODE_RESUME && c->req->statefile)
    {
      c->state_file = deck_state_file_path (c->req->statefile, c->path, c->name);
      deck_xl_control_async (c->xl, c->name, DECK_DOMAIN_OP_RESTORE, c->state_file, DECK_XL_CONTROL_NONE,
                             g_task_get_cancellable (task), xl_resumed, task);
      return;
    }
  deck_xl_create_async (c->xl, c->path, (const char * const *) c->req->callopts, FALSE,
                        g_task_get_cancellable (task), xl_created, task);
}

/* --- resolving ---------------------------------------------------------------------------- */

static void
resolved (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  GTask *task = data;
  Create *c = g_task_get_task_data (task);
  DeckHost *host = DECK_HOST (source);
  GError *error = NULL;
  DeckResolvedBy by;
  const char *type;

  c->record = deck_resolve_create_finish (host, res, &by, &error);
  if (c->record == NULL)
    {
      fail (task, error);
      return;
    }
  c->name = g_strdup (deck_record_get (c->record, DECK_FIELD_LABEL));
  c->path = g_strdup (deck_record_get (c->record, DECK_FIELD_ID));
  type = deck_record_get (c->record, DECK_FIELD_TYPE);
  report (c, "%s is %s (%s, found by the %s)", c->name, c->path, type, deck_resolved_by_to_string (by));
  if (*c->name == '\0' || *c->path == '\0')
    {
      fail (task, g_error_new (DECK_ERROR, DECK_ERROR_FAILED, "%s: the config %s has no LABEL (name=)",
                               c->host_name, c->path));
      return;
    }

  /* an xl config goes through libvirt's libxl driver with --backend=libvirt, or when a
   * xen URI was given (as CANCEL decides); else through xl itself */
  c->native_xl = g_ascii_strcasecmp (type, "XEN") == 0
                 && (deck_host_get_backend (host) == DECK_BACKEND_LIBVIRT
                     || (deck_host_get_backend (host) == DECK_BACKEND_AUTO && deck_host_has_libvirt_uri (host, "xen")));
  if (g_ascii_strcasecmp (type, "XEN") == 0 && !c->native_xl)
    {
      g_auto(GStrv) argv = deck_xl_create_argv (NULL, c->path, (const char * const *) c->req->callopts,
                                                FALSE, &error);
      g_autofree char *line = argv ? deck_process_describe_argv ((const char * const *) argv) : NULL;

      if (argv == NULL)
        {
          fail (task, error);
          return;
        }
      report (c, "%s (after the privilege prefix the host needs)", line);
      c->xl_config = TRUE;
      if (c->ctx.dry_run)
        {
          attach_console (task);
          return;
        }
      c->xl = deck_xl_new (host);
      deck_xl_list_async (c->xl, g_task_get_cancellable (task), xl_listed, task);
      return;
    }

  if (c->req->callopts && c->req->callopts[0])
    {
      fail (task, g_error_new (DECK_ERROR, DECK_ERROR_USAGE,
                               "%s: CALLOPTS apply to xl configs; %s is a libvirt domain", c->host_name, c->path));
      return;
    }
  c->uri = deck_host_get_libvirt_uri (host, c->native_xl ? "xen" : "qemu");
  if (c->ctx.dry_run)
    {
      report (c, "define %s from %s unless it is defined (%s)", c->name, c->path, c->uri);
      lv_start (task);
      return;
    }
  c->lv = deck_libvirt_new (c->uri, c->host_name);
  deck_libvirt_connect_async (c->lv, 0, g_task_get_cancellable (task), lv_connected, task);
}

void
deck_create_async (DeckHost                *host,
                   const DeckCreateRequest *request,
                   const DeckCreateContext *context,
                   GCancellable            *cancellable,
                   GAsyncReadyCallback      callback,
                   gpointer                 user_data)
{
  GTask *task = g_task_new (host, cancellable, callback, user_data);
  Create *c = g_new0 (Create, 1);

  g_task_set_source_tag (task, deck_create_async);
  c->req = deck_create_request_copy (request);
  c->ctx = *context;
  c->ctx.resolve.db_dirs = g_strdupv (context->resolve.db_dirs);
  c->ctx.resolve.type = g_strdup (context->resolve.type);
  c->ctx.terminal_geometry = g_strdup (context->terminal_geometry);
  c->host_name = g_strdup (deck_host_is_local (host) ? deck_host_get_name (host)
                                                     : deck_ssh_command_get_host (deck_host_get_ssh (host)));
  g_task_set_task_data (task, c, (GDestroyNotify) create_free);

  if (c->req->console == DECK_CONSOLE_SDL)
    {
      fail (task, g_error_new (DECK_ERROR, DECK_ERROR_UNSUPPORTED,
                               "CONSOLE:SDL is not available: vmdeck has no SDL viewer; use CONSOLE:VNC "
                               "(vmdeck's own console window), CONSOLE:CLI or a terminal console"));
      return;
    }
  deck_resolve_create_async (host, c->req->address, &c->ctx.resolve, cancellable, resolved, task);
}

gboolean
deck_create_finish (DeckHost      *host,
                    GAsyncResult  *result,
                    char        ***console_argv,
                    gboolean      *detach,
                    GError       **error)
{
  Create *c = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (console_argv)
    *console_argv = g_strdupv (c->console_argv);
  if (detach)
    *detach = c->detach;
  return TRUE;
}

const char *
deck_create_get_label (GAsyncResult *result)
{
  Create *c;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  c = g_task_get_task_data (G_TASK (result));
  return c->name;
}
