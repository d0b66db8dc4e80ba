/* deck-ssh-command.c: argv builder for every ssh call vmdeck makes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-ssh-command.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "deck-config.h"
#include "deck-error.h"
#include "deck-targets.h"

struct _DeckSshCommand
{
  GObject parent_instance;

  char *host;
  GStrv program;        /* NULL = default */
  char *user;
  guint port;
  char *identity;
  char *jump_host;
  GPtrArray *options;   /* char *, "Key=Value" */
  gboolean batch;
  guint tty;
  DeckSshControl control;
  guint persist;
  guint connect_timeout;

  GStrv remote_argv;
  char *control_op;
  GPtrArray *forwards;  /* char * */
};

G_DEFINE_FINAL_TYPE (DeckSshCommand, deck_ssh_command, G_TYPE_OBJECT)

static GMutex default_lock;
static GStrv default_program;   /* set by deck_ssh_set_default_program() */

static void
deck_ssh_command_finalize (GObject *object)
{
  DeckSshCommand *self = DECK_SSH_COMMAND (object);

  g_free (self->host);
  g_strfreev (self->program);
  g_free (self->user);
  g_free (self->identity);
  g_free (self->jump_host);
  g_ptr_array_unref (self->options);
  g_strfreev (self->remote_argv);
  g_free (self->control_op);
  g_ptr_array_unref (self->forwards);
  G_OBJECT_CLASS (deck_ssh_command_parent_class)->finalize (object);
}

static void
deck_ssh_command_class_init (DeckSshCommandClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = deck_ssh_command_finalize;
}

static void
deck_ssh_command_init (DeckSshCommand *self)
{
  self->options = g_ptr_array_new_with_free_func (g_free);
  self->forwards = g_ptr_array_new_with_free_func (g_free);
  self->persist = 600;
  self->connect_timeout = 10;
  self->control = DECK_SSH_CONTROL_CLIENT;
}

DeckSshCommand *
deck_ssh_command_new (const char *host)
{
  DeckSshCommand *self = g_object_new (DECK_TYPE_SSH_COMMAND, NULL);

  self->host = g_strdup (host);
  return self;
}

DeckSshCommand *
deck_ssh_command_copy_target (DeckSshCommand *self)
{
  DeckSshCommand *copy = deck_ssh_command_new (self->host);

  copy->program = g_strdupv (self->program);
  copy->user = g_strdup (self->user);
  copy->port = self->port;
  copy->identity = g_strdup (self->identity);
  copy->jump_host = g_strdup (self->jump_host);
  for (guint i = 0; i < self->options->len; i++)
    g_ptr_array_add (copy->options, g_strdup (g_ptr_array_index (self->options, i)));
  copy->batch = self->batch;
  copy->tty = self->tty;
  copy->control = self->control;
  copy->persist = self->persist;
  copy->connect_timeout = self->connect_timeout;
  return copy;
}

const char *
deck_ssh_command_get_host (DeckSshCommand *self)
{
  return self->host;
}

const char *
deck_ssh_command_get_user (DeckSshCommand *self)
{
  return self->user;
}

guint
deck_ssh_command_get_port (DeckSshCommand *self)
{
  return self->port;
}

void
deck_ssh_command_set_program (DeckSshCommand     *self,
                              const char * const *argv)
{
  g_strfreev (self->program);
  self->program = (argv && argv[0]) ? g_strdupv ((char **) argv) : NULL;
}

void
deck_ssh_command_set_user (DeckSshCommand *self,
                           const char     *user)
{
  g_free (self->user);
  self->user = g_strdup (user);
}

void
deck_ssh_command_set_port (DeckSshCommand *self,
                           guint           port)
{
  self->port = port;
}

void
deck_ssh_command_set_identity (DeckSshCommand *self,
                               const char     *path)
{
  g_free (self->identity);
  self->identity = g_strdup (path);
}

void
deck_ssh_command_set_jump_host (DeckSshCommand *self,
                                const char     *jump)
{
  g_free (self->jump_host);
  self->jump_host = g_strdup (jump);
}

void
deck_ssh_command_add_option (DeckSshCommand *self,
                             const char     *option)
{
  g_ptr_array_add (self->options, g_strdup (option));
}

void
deck_ssh_command_set_batch_mode (DeckSshCommand *self,
                                 gboolean        batch)
{
  self->batch = batch;
}

void
deck_ssh_command_set_tty (DeckSshCommand *self,
                          guint           level)
{
  self->tty = MIN (level, 2);
}

void
deck_ssh_command_set_control (DeckSshCommand *self,
                              DeckSshControl  control)
{
  self->control = control;
}

void
deck_ssh_command_set_persist (DeckSshCommand *self,
                              guint           seconds)
{
  self->persist = seconds;
}

void
deck_ssh_command_set_connect_timeout (DeckSshCommand *self,
                                      guint           seconds)
{
  self->connect_timeout = seconds;
}

void
deck_ssh_command_set_remote_argv (DeckSshCommand     *self,
                                  const char * const *argv)
{
  g_strfreev (self->remote_argv);
  self->remote_argv = argv ? g_strdupv ((char **) argv) : NULL;
}

void
deck_ssh_command_set_control_op (DeckSshCommand *self,
                                 const char     *op)
{
  g_free (self->control_op);
  self->control_op = g_strdup (op);
}

void
deck_ssh_command_add_local_forward (DeckSshCommand *self,
                                    const char     *spec)
{
  g_ptr_array_add (self->forwards, g_strdup (spec));
}

char *
deck_ssh_quote_remote (const char * const *argv)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; argv && argv[i]; i++)
    {
      g_autofree char *q = g_shell_quote (argv[i]);

      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, q);
    }
  return g_string_free (s, FALSE);
}

/* "[user@]host[:port]" of a jump host, each part checked like a target. */
static gboolean
check_jump_host (const char *jump,
                 GError    **error)
{
  g_auto(GStrv) hops = g_strsplit (jump, ",", -1);

  for (guint i = 0; hops[i]; i++)
    {
      g_autofree char *hop = g_strdup (hops[i]);
      char *host = strchr (hop, '@');
      char *colon;

      if (host)
        {
          *host++ = '\0';
          if (!deck_target_check_user (hop, error))
            return FALSE;
        }
      else
        host = hop;
      colon = strrchr (host, ':');
      if (colon && strchr (host, ':') == colon)   /* one colon: a port, not IPv6 */
        {
          guint64 port;

          if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
            {
              g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE,
                           "jump host '%s': bad port", jump);
              return FALSE;
            }
          *colon = '\0';
        }
      if (!deck_target_check_host (host, error))
        return FALSE;
    }
  return TRUE;
}

char **
deck_ssh_command_build (DeckSshCommand *self,
                        GError        **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) program = self->program ? g_strdupv (self->program) : deck_ssh_get_default_program ();
  g_autofree char *control_path = NULL;

  if (!deck_target_check_host (self->host, error))
    return NULL;
  if (self->user && !deck_target_check_user (self->user, error))
    return NULL;
  if (self->jump_host && !check_jump_host (self->jump_host, error))
    return NULL;

  g_strv_builder_addv (b, (const char **) program);
  if (self->user)
    {
      g_strv_builder_add (b, "-l");
      g_strv_builder_add (b, self->user);
    }
  if (self->port)
    {
      g_autofree char *port = g_strdup_printf ("%u", self->port);

      g_strv_builder_add (b, "-p");
      g_strv_builder_add (b, port);
    }
  if (self->identity)
    {
      g_strv_builder_add (b, "-i");
      g_strv_builder_add (b, self->identity);
    }
  if (self->jump_host)
    {
      g_strv_builder_add (b, "-J");
      g_strv_builder_add (b, self->jump_host);
    }
  if (self->batch)
    g_strv_builder_add (b, "-oBatchMode=yes");
  if (self->connect_timeout)
    {
      g_autofree char *o = g_strdup_printf ("-oConnectTimeout=%u", self->connect_timeout);

      g_strv_builder_add (b, o);
    }
  for (guint i = 0; i < self->options->len; i++)
    {
      g_strv_builder_add (b, "-o");
      g_strv_builder_add (b, g_ptr_array_index (self->options, i));
    }

  if (self->control != DECK_SSH_CONTROL_NONE || self->control_op)
    {
      g_autofree char *path = deck_ssh_get_control_path ();

      control_path = g_strconcat ("-oControlPath=", path, NULL);
      g_strv_builder_add (b, control_path);
    }
  if (self->control_op)
    {
      g_strv_builder_add (b, "-O");
      g_strv_builder_add (b, self->control_op);
    }
  else if (self->control == DECK_SSH_CONTROL_MASTER)
    {
      g_autofree char *persist = g_strdup_printf ("-oControlPersist=%u", self->persist);

      g_strv_builder_add (b, "-oControlMaster=yes");
      g_strv_builder_add (b, persist);
      /* a master runs no command; it goes to the background once it is authenticated */
      g_strv_builder_add (b, "-N");
      g_strv_builder_add (b, "-f");
    }
  else if (self->control == DECK_SSH_CONTROL_CLIENT)
    g_strv_builder_add (b, "-oControlMaster=no");

  for (guint i = 0; i < self->forwards->len; i++)
    {
      g_strv_builder_add (b, "-L");
      g_strv_builder_add (b, g_ptr_array_index (self->forwards, i));
    }

  if (!self->control_op && self->control != DECK_SSH_CONTROL_MASTER)
    {
      if (self->tty == 0)
        g_strv_builder_add (b, "-T");
      for (guint i = 0; i < self->tty; i++)
        g_strv_builder_add (b, "-t");
    }

  /* the host was checked not to begin with '-'; "--" also ends ssh's options for good */
  g_strv_builder_add (b, "--");
  g_strv_builder_add (b, self->host);
  if (self->remote_argv && self->remote_argv[0] && !self->control_op
      && self->control != DECK_SSH_CONTROL_MASTER)
    {
      g_autofree char *remote = deck_ssh_quote_remote ((const char * const *) self->remote_argv);

      g_strv_builder_add (b, remote);
    }
  return g_strv_builder_end (b);
}

char **
deck_ssh_get_default_program (void)
{
  const char *env;
  char **argv = NULL;

  g_mutex_lock (&default_lock);
  if (default_program)
    argv = g_strdupv (default_program);
  g_mutex_unlock (&default_lock);
  if (argv)
    return argv;

  env = g_getenv ("VMDECK_SSH");
  if (env && *env && g_shell_parse_argv (env, NULL, &argv, NULL))
    return argv;
  return g_strdupv ((char *[]) { (char *) "ssh", NULL });
}

gboolean
deck_ssh_set_default_program (const char *cmdline,
                              GError    **error)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) local = NULL;

  if (cmdline && !g_shell_parse_argv (cmdline, NULL, &argv, &local))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "ssh command '%s': %s", cmdline, local->message);
      return FALSE;
    }
  g_mutex_lock (&default_lock);
  g_strfreev (default_program);
  default_program = g_steal_pointer (&argv);
  g_mutex_unlock (&default_lock);
  if (cmdline)
    g_setenv ("VMDECK_SSH", cmdline, TRUE);
  return TRUE;
}

char *
deck_ssh_get_control_dir (void)
{
  /* read each time (g_get_user_runtime_dir caches): tests switch it per case */
  const char *runtime = g_getenv ("XDG_RUNTIME_DIR");
  char *dir = g_build_filename (runtime && *runtime ? runtime : g_get_user_runtime_dir (),
                                "vmdeck-ssh", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_debug ("cannot create %s: %s", dir, g_strerror (errno));
  return dir;
}

char *
deck_ssh_get_control_path (void)
{
  g_autofree char *dir = deck_ssh_get_control_dir ();

  return g_build_filename (dir, "%C", NULL);
}

/* The vmdeck-ssh binary: $VMDECK_SSH_HELPER, else installed, else in the build tree. */
static char *
helper_binary (void)
{
  const char *env = g_getenv ("VMDECK_SSH_HELPER");
  char *installed;

  if (env && *env)
    return g_strdup (env);
  installed = g_build_filename (DECK_LIBEXECDIR, "vmdeck-ssh", NULL);
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return installed;
  g_free (installed);
  return g_strdup (DECK_BUILD_SSH_HELPER);
}

/* libvirt runs command= with a cleared environment (only PATH, HOME, XDG_RUNTIME_DIR, ...
 * survive), so the ssh program cannot travel in $VMDECK_SSH. Instead the control
 * directory gets, per program choice, "ssh-<hash>.argv" (the words, NUL-terminated) and a
 * link "ssh-<hash>" to vmdeck-ssh, which reads "<its name>.argv". Content-addressed, so
 * processes with different choices never disturb each other. */
char *
deck_ssh_get_helper_path (void)
{
  g_auto(GStrv) program = deck_ssh_get_default_program ();
  g_autofree char *dir = deck_ssh_get_control_dir ();
  g_autofree char *binary = helper_binary ();
  g_autoptr(GString) words = g_string_new (NULL);
  g_autofree char *hash = NULL, *link = NULL, *argv_file = NULL, *target = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; program[i]; i++)
    g_string_append_len (words, program[i], strlen (program[i]) + 1);
  hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) words->str, words->len);
  hash[16] = '\0';
  link = g_strdup_printf ("%s/ssh-%s", dir, hash);
  argv_file = g_strconcat (link, ".argv", NULL);

  if (!g_file_test (argv_file, G_FILE_TEST_IS_REGULAR)
      && !g_file_set_contents_full (argv_file, words->str, words->len,
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("cannot write %s: %s", argv_file, error->message);
  target = g_file_read_link (link, NULL);
  if (g_strcmp0 (target, binary) != 0)
    {
      /* a new link beside, renamed over: never a moment without one */
      g_autofree char *tmp = g_strdup_printf ("%s.%d", link, (int) getpid ());

      g_unlink (tmp);
      if (symlink (binary, tmp) != 0 || g_rename (tmp, link) != 0)
        g_warning ("cannot link %s to %s: %s", link, binary, g_strerror (errno));
    }
  return g_steal_pointer (&link);
}

char *
deck_ssh_command_libvirt_uri (DeckSshCommand *self,
                              const char     *driver,
                              const char     *path)
{
  GString *uri = g_string_new (driver);
  g_autofree char *helper = deck_ssh_get_helper_path ();
  g_autofree char *helper_q = g_uri_escape_string (helper, "/", FALSE);

  g_string_append (uri, "+ssh://");
  if (self->user)
    {
      g_autofree char *u = g_uri_escape_string (self->user, NULL, FALSE);

      g_string_append_printf (uri, "%s@", u);
    }
  if (strchr (self->host, ':'))
    g_string_append_printf (uri, "[%s]", self->host);
  else
    g_string_append (uri, self->host);
  if (self->port)
    g_string_append_printf (uri, ":%u", self->port);
  g_string_append (uri, path ? path : "/system");
  g_string_append_printf (uri, "?command=%s", helper_q);
  if (self->identity)
    {
      g_autofree char *k = g_uri_escape_string (self->identity, "/", FALSE);

      g_string_append_printf (uri, "&keyfile=%s", k);
    }
  return g_string_free (uri, FALSE);
}
