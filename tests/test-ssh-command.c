/* test-ssh-command.c: the ssh argv builder, remote quoting and ssh error mapping
 *
 * Remote quoting is checked against a real POSIX shell: the quoted words go through
 * "sh -c" exactly as sshd would hand them to the login shell, and must come out as the
 * argv that went in, whatever hostile text they hold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-host.h"
#include "deck-ssh-command.h"
#include "deck-ssh-master.h"

static char *
joined (char **argv)
{
  return g_strjoinv (" ", argv);
}

static void
test_full_argv (void)
{
  g_autoptr(DeckSshCommand) cmd = deck_ssh_command_new ("lab00.soho");
  const char *remote[] = { "xl", "list", "-l", NULL };
  const char *program[] = { "ssh", "-F", "/tmp/cfg", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = deck_ssh_get_control_path ();
  g_autofree char *expected = NULL;

  deck_ssh_command_set_program (cmd, program);
  deck_ssh_command_set_user (cmd, "acue");
  deck_ssh_command_set_port (cmd, 2222);
  deck_ssh_command_set_identity (cmd, "/home/acue/.ssh/id_lab");
  deck_ssh_command_set_jump_host (cmd, "gw@bastion:2200");
  deck_ssh_command_add_option (cmd, "ServerAliveInterval=5");
  deck_ssh_command_set_batch_mode (cmd, TRUE);
  deck_ssh_command_set_remote_argv (cmd, remote);
  argv = deck_ssh_command_build (cmd, &error);
  g_assert_no_error (error);
  text = joined (argv);
  expected = g_strdup_printf ("ssh -F /tmp/cfg -l acue -p 2222 -i /home/acue/.ssh/id_lab -J gw@bastion:2200 "
                              "-oBatchMode=yes -oConnectTimeout=10 -o ServerAliveInterval=5 "
                              "-oControlPath=%s -oControlMaster=no -T -- lab00.soho 'xl' 'list' '-l'", path);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_master_and_control_ops (void)
{
  g_autoptr(DeckSshCommand) cmd = deck_ssh_command_new ("h1");
  g_auto(GStrv) master = NULL, check = NULL, fwd = NULL, tty = NULL;
  g_autofree char *m = NULL, *c = NULL, *f = NULL, *t = NULL;

  deck_ssh_command_set_program (cmd, (const char *[]) { "ssh", NULL });
  deck_ssh_command_set_connect_timeout (cmd, 0);
  deck_ssh_command_set_control (cmd, DECK_SSH_CONTROL_MASTER);
  deck_ssh_command_set_persist (cmd, 90);
  master = deck_ssh_command_build (cmd, NULL);
  m = joined (master);
  g_assert_true (g_str_has_suffix (m, "-oControlMaster=yes -oControlPersist=90 -N -f -- h1"));

  deck_ssh_command_set_control (cmd, DECK_SSH_CONTROL_CLIENT);
  deck_ssh_command_set_control_op (cmd, "check");
  check = deck_ssh_command_build (cmd, NULL);
  c = joined (check);
  g_assert_true (g_str_has_suffix (c, "-O check -- h1"));

  deck_ssh_command_set_control_op (cmd, "forward");
  deck_ssh_command_add_local_forward (cmd, "127.0.0.1:5999:127.0.0.1:5900");
  fwd = deck_ssh_command_build (cmd, NULL);
  f = joined (fwd);
  g_assert_true (g_str_has_suffix (f, "-O forward -L 127.0.0.1:5999:127.0.0.1:5900 -- h1"));

  g_clear_object (&cmd);
  cmd = deck_ssh_command_new ("h1");
  deck_ssh_command_set_program (cmd, (const char *[]) { "ssh", NULL });
  deck_ssh_command_set_control (cmd, DECK_SSH_CONTROL_NONE);
  deck_ssh_command_set_connect_timeout (cmd, 0);
  deck_ssh_command_set_tty (cmd, 2);
  deck_ssh_command_set_remote_argv (cmd, (const char *[]) { "xl", "console", "tst100", NULL });
  tty = deck_ssh_command_build (cmd, NULL);
  t = joined (tty);
  g_assert_cmpstr (t, ==, "ssh -t -t -- h1 'xl' 'console' 'tst100'");
}

/* Host, user and jump host names that could be taken for ssh options or shell syntax. */
static void
test_hostile_names (void)
{
  const char *hosts[] = { "-oProxyCommand=touch /tmp/x", "a;b", "$(touch /tmp/x)", "a b", "", "a\nb", NULL };
  const char *users[] = { "-lroot", "a;b", "$(id)", "a b", NULL };

  for (guint i = 0; hosts[i]; i++)
    {
      g_autoptr(DeckSshCommand) cmd = deck_ssh_command_new (hosts[i]);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = deck_ssh_command_build (cmd, &error);

      g_assert_null (argv);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
    }
  for (guint i = 0; users[i]; i++)
    {
      g_autoptr(DeckSshCommand) cmd = deck_ssh_command_new ("h1");
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = NULL;

      deck_ssh_command_set_user (cmd, users[i]);
      argv = deck_ssh_command_build (cmd, &error);
      g_assert_null (argv);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
    }
  {
    g_autoptr(DeckSshCommand) cmd = deck_ssh_command_new ("h1");
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) argv = NULL;

    deck_ssh_command_set_jump_host (cmd, "gw,-oProxyCommand=x");
    argv = deck_ssh_command_build (cmd, &error);
    g_assert_null (argv);
    g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
  }
}

/* The quoted remote command, run by a real sh as sshd would, gives back the argv. */
static void
test_remote_quoting (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vmdeck-quote-XXXXXX", NULL);
  g_autofree char *victim = g_build_filename (dir, "x", NULL);
  g_autofree char *subst = g_strdup_printf ("$(touch %s)", victim);
  g_autofree char *backtick = g_strdup_printf ("`touch %s`", victim);
  const char *words[] = { "printf", "%s\\n--\\n", subst, backtick, "a;b", "it's", "\"dq\"",
                          "two words", "new\nline", "$HOME", "*", "~", "", "\\", "!", NULL };
  g_autofree char *quoted = deck_ssh_quote_remote (words);
  g_autofree char *out = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (dir, (char *[]) { (char *) "sh", (char *) "-c", quoted, NULL }, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  for (guint i = 2; words[i]; i++)
    g_string_append_printf (expected, "%s\n--\n", words[i]);
  g_assert_cmpstr (out, ==, expected->str);
  g_assert_false (g_file_test (victim, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

static void
test_default_program (void)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("VMDECK_SSH", "ssh -F '/tmp/my lab/config'", TRUE);
  argv = deck_ssh_get_default_program ();
  g_assert_cmpuint (g_strv_length (argv), ==, 3);
  g_assert_cmpstr (argv[2], ==, "/tmp/my lab/config");
  g_clear_pointer (&argv, g_strfreev);

  g_assert_true (deck_ssh_set_default_program ("/usr/bin/ssh -4", &error));
  argv = deck_ssh_get_default_program ();
  g_assert_cmpstr (argv[0], ==, "/usr/bin/ssh");
  g_assert_cmpstr (argv[1], ==, "-4");
  g_assert_cmpstr (g_getenv ("VMDECK_SSH"), ==, "/usr/bin/ssh -4");   /* for vmdeck-ssh */
  g_assert_false (deck_ssh_set_default_program ("ssh 'unclosed", &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  g_assert_true (deck_ssh_set_default_program (NULL, NULL));
  g_unsetenv ("VMDECK_SSH");
  g_clear_pointer (&argv, g_strfreev);
  argv = deck_ssh_get_default_program ();
  g_assert_cmpstr (argv[0], ==, "ssh");
}

static void
test_libvirt_uri (void)
{
  g_autoptr(DeckSshCommand) cmd = deck_ssh_command_new ("lab00");
  g_autofree char *uri = NULL, *helper = deck_ssh_get_helper_path ();
  g_autofree char *expected = NULL;

  deck_ssh_command_set_user (cmd, "acue");
  deck_ssh_command_set_port (cmd, 2222);
  deck_ssh_command_set_identity (cmd, "/keys/id lab");
  uri = deck_ssh_command_libvirt_uri (cmd, "xen", "/system");
  expected = g_strdup_printf ("xen+ssh://acue@lab00:2222/system?command=%s&keyfile=/keys/id%%20lab", helper);
  g_assert_cmpstr (uri, ==, expected);
  g_assert_true (g_file_test (helper, G_FILE_TEST_IS_EXECUTABLE));
}

/* ssh's own messages (as OpenSSH 9.2 prints them) mapped to the error codes. */
static void
test_error_mapping (void)
{
  const struct {
    const char *stderr_text;
    int code;
  } cases[] = {
    { "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
      "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
      "Host key verification failed.\n", DECK_ERROR_HOST_KEY },
    { "No ED25519 host key is known for labh1 and you have requested strict checking.\n"
      "Host key verification failed.\n", DECK_ERROR_HOST_KEY },
    { "root@labh1: Permission denied (publickey).\n", DECK_ERROR_PERMISSION },
    { "ssh: connect to host 10.99.0.2 port 22: Connection refused\n", DECK_ERROR_HOST_UNREACHABLE },
    { "Connection to labh1 closed by remote host.\n", DECK_ERROR_HOST_UNREACHABLE },
    { "ssh: Could not resolve hostname nowhere: Name or service not known\n", DECK_ERROR_HOST_UNREACHABLE },
    { "", DECK_ERROR_HOST_UNREACHABLE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = deck_ssh_error_from_stderr ("labh1", cases[i].stderr_text);

      g_assert_error (error, DECK_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, "labh1: "));
      g_assert_null (strstr (error->message, "@@@@"));
    }
}

static void
test_privilege_parse (void)
{
  DeckPrivilege p = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (deck_privilege_parse ("ksu", &p, NULL));
  g_assert_cmpint (p, ==, DECK_PRIVILEGE_KSU);
  g_assert_true (deck_privilege_parse ("SUDO,noksu", &p, NULL));
  g_assert_cmpint (p, ==, DECK_PRIVILEGE_SUDO);
  g_assert_true (deck_privilege_parse ("ALL", &p, NULL));
  g_assert_cmpint (p, ==, DECK_PRIVILEGE_KSU | DECK_PRIVILEGE_SUDO);
  g_assert_false (deck_privilege_parse ("doas", &p, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
}

/* Options of a target group: -l gives the user, a later -Z replaces an earlier one. */
static void
test_host_from_target (void)
{
  const char *opts[] = { "-Z", "KSU", "-l", "acue", "-Z", "SUDO", "--uri=qemu+unix:///session?socket=/s", NULL };
  g_autoptr(DeckTarget) t = deck_target_new (NULL, "lab00", opts);
  g_autoptr(DeckTarget) local = deck_target_new (NULL, "localhost", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckHost) host = deck_host_new_from_target (t, &error);
  g_autoptr(DeckHost) lh = deck_host_new_from_target (local, &error);
  g_autofree char *uri = NULL;

  g_assert_no_error (error);
  g_assert_false (deck_host_is_local (host));
  g_assert_cmpstr (deck_ssh_command_get_user (deck_host_get_ssh (host)), ==, "acue");
  g_assert_cmpint (deck_host_get_privilege (host), ==, DECK_PRIVILEGE_SUDO);
  uri = deck_host_get_libvirt_uri (host, "qemu");
  g_assert_cmpstr (uri, ==, "qemu+unix:///session?socket=/s");
  g_free (uri);
  uri = deck_host_get_libvirt_uri (host, "xen");
  g_assert_true (g_str_has_prefix (uri, "xen+ssh://acue@lab00/system?command="));
  g_assert_true (deck_host_is_local (lh));
  g_assert_null (deck_host_get_master (lh));
  g_assert_false (deck_host_take_uri_option (lh, "nonsense", &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
}

static void
run_done (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (res);
}

/* The local host runs argv without a shell; a timeout kills the command. */
static void
test_local_run (void)
{
  g_autoptr(DeckHost) host = deck_host_new_local ();
  g_autoptr(GAsyncResult) res = NULL, slow = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t0;

  deck_host_run_async (host, (const char *[]) { "echo", "$(id)", ";", NULL }, NULL, 10, NULL, run_done, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (deck_host_run_finish (host, res, &out, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), "$(id) ;\n", 8);

  t0 = g_get_monotonic_time ();
  deck_host_run_async (host, (const char *[]) { "sleep", "30", NULL }, NULL, 1, NULL, run_done, &slow);
  while (slow == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (deck_host_run_finish (host, slow, NULL, NULL, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 20 * G_USEC_PER_SEC);   /* killed, not waited for */
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("XDG_RUNTIME_DIR", g_get_tmp_dir (), TRUE);

  g_test_add_func ("/ssh-command/full-argv", test_full_argv);
  g_test_add_func ("/ssh-command/master-and-control-ops", test_master_and_control_ops);
  g_test_add_func ("/ssh-command/hostile-names", test_hostile_names);
  g_test_add_func ("/ssh-command/remote-quoting", test_remote_quoting);
  g_test_add_func ("/ssh-command/default-program", test_default_program);
  g_test_add_func ("/ssh-command/libvirt-uri", test_libvirt_uri);
  g_test_add_func ("/ssh-master/error-mapping", test_error_mapping);
  g_test_add_func ("/host/privilege-parse", test_privilege_parse);
  g_test_add_func ("/host/from-target", test_host_from_target);
  g_test_add_func ("/host/local-run", test_local_run);
  return g_test_run ();
}
