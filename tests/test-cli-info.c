/* test-cli-info.c: ctys -a show / -a info on the local host (the lab suite asks remote hosts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deck-fields.h"
#include "deck-sessions.h"
#include "testutil.h"

static void
test_show (void)
{
  g_autoptr(TestRun) r = test_run ("ctys", (const char *[]) { "-a", "show", "localhost", NULL }, NULL, NULL);
  struct utsname u;

  g_assert_cmpint (uname (&u), ==, 0);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_true (g_str_has_prefix (r->out, "localhost\n"));
  test_assert_contains (r->out, " node ");
  test_assert_contains (r->out, u.nodename);
  test_assert_contains (r->out, "mem-total-kib");
  test_assert_contains (r->out, "load");
}

static void
test_info_terse (void)
{
  g_autoptr(TestRun) r = test_run ("ctys", (const char *[]) { "-a", "info=terse", NULL }, NULL, NULL);
  struct utsname u;
  g_autofree char *kernel = NULL;

  g_assert_cmpint (uname (&u), ==, 0);
  kernel = g_strdup_printf (";kernel=%s;", u.release);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_true (g_str_has_prefix (r->out, "localhost;node="));
  test_assert_contains (r->out, kernel);
  test_assert_contains (r->out, ";cpus=");
  test_assert_contains (r->out, ";tool-tar=tar (GNU tar)");
  test_assert_contains (r->out, ";vmdeck=");
  g_assert_cmpint (strchr (r->out, '\n') - r->out + 1, ==, strlen (r->out));   /* one line */
}

static void
test_errors (void)
{
  g_autoptr(TestRun) bad = test_run ("ctys", (const char *[]) { "-a", "info=wobble", NULL }, NULL, NULL);
  g_autoptr(TestRun) down = test_run ("ctys", (const char *[]) { "--ssh=false", "-a", "show", "localhost", "lab00", NULL },
                                      NULL, NULL);

  g_assert_cmpint (bad->status, ==, 1);
  test_assert_contains (bad->err, "unknown INFO suboption 'wobble'");
  /* the host that answers is shown, the other named */
  g_assert_cmpint (down->status, ==, 1);
  g_assert_true (g_str_has_prefix (down->out, "localhost\n"));
  test_assert_contains (down->err, "lab00: cannot reach host");
  test_assert_contains (down->err, "1 of 2 hosts did not answer");
}

/* AC-19: two jobs on one host with different actions in one call, each with its own
 * suboptions: SHOW's block first, then INFO's terse line (the call's order). A job with
 * -n is described instead of asked. */
static void
test_two_actions_one_host (void)
{
  g_autoptr(TestRun) r = test_run ("ctys", (const char *[]) { "localhost(-a show)", "localhost(-a info=terse)",
                                                              "lab00(-a info -n)", NULL }, NULL, NULL);
  const char *info;

  g_assert_cmpint (r->status, ==, 0);
  g_assert_true (g_str_has_prefix (r->out, "localhost\n"));
  test_assert_contains (r->out, "mem-total-kib");
  info = strstr (r->out, "\nlocalhost;node=");
  g_assert_nonnull (info);
  g_assert_null (strstr (info, "mem-available-kib "));   /* SHOW's block came before */
  test_assert_contains (info, ";vmdeck=");
  test_assert_contains (info, "\nlab00: -a INFO -b sync,par -L DISPLAYFORWARDING -z 0 -c BOTH -A 0 -s USER -n\n");
  g_assert_cmpstr (r->err, ==, "");
}

/* LIST of this machine: the domains of its libvirt (here libvirt's own test driver, which
 * needs no daemon and runs a domain "test"), and the clients and tunnels vmdeck processes
 * registered (this test process registers one of each). */
static void
test_list_sessions (void)
{
  const char *runtime = test_tmpdir ();
  g_autofree char *xdg = g_strconcat ("XDG_RUNTIME_DIR=", runtime, NULL);
  const char *env[] = { xdg, NULL };
  g_auto(GStrv) tunnel = NULL, client = NULL;
  g_autofree char *t1 = NULL, *t2 = NULL;
  g_autoptr(TestRun) all = NULL, tunnels = NULL, xen = NULL, table = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = g_strdup_printf (";%d;", (int) getpid ());

  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  tunnel = deck_sessions_tunnel_fields ("tst100", "XEN", 5950, 5900);
  client = deck_sessions_client_fields ("tst100", "VNC", 5950);
  t1 = deck_sessions_register ((const char * const *) tunnel, &error);
  t2 = deck_sessions_register ((const char * const *) client, &error);
  g_assert_no_error (error);

  all = test_run ("ctys", (const char *[]) { "-a", "list=machine", "--uri=test:///default", "localhost", NULL }, env, NULL);
  g_assert_cmpint (all->status, ==, 0);
  test_assert_contains (all->out, ";test;");              /* the test driver's running domain */
  test_assert_contains (all->out, ";SERVER;");
  test_assert_contains (all->out, ";SSH(XEN);tst100;5950-5900;");
  test_assert_contains (all->out, ";TUNNEL;");
  test_assert_contains (all->out, ";VNC;tst100;");
  test_assert_contains (all->out, ";CLIENT;");
  test_assert_contains (all->out, pid);

  tunnels = test_run ("ctys", (const char *[]) { "-a", "list=machine,tunnel", "--uri=test:///default", "localhost", NULL }, env, NULL);
  g_assert_cmpint (tunnels->status, ==, 0);
  test_assert_contains (tunnels->out, ";TUNNEL;");
  g_assert_null (strstr (tunnels->out, ";CLIENT;"));
  g_assert_null (strstr (tunnels->out, ";SERVER;"));

  xen = test_run ("ctys", (const char *[]) { "-t", "xen", "-a", "list=machine", "--uri=test:///default", "localhost", NULL }, env, NULL);
  g_assert_cmpint (xen->status, ==, 0);
  test_assert_contains (xen->out, ";SSH(XEN);");
  g_assert_null (strstr (xen->out, ";VNC;"));

  /* the default table: c column T and C (AC-74) */
  table = test_run ("ctys", (const char *[]) { "-a", "list", "--uri=test:///default", "localhost", NULL }, env, NULL);
  g_assert_cmpint (table->status, ==, 0);
  test_assert_contains (table->out, "|SSH(XEN) |T|");
  test_assert_contains (table->out, "|VNC      |C|");
  test_assert_contains (table->out, "|S|");

  deck_sessions_unregister (t1);
  deck_sessions_unregister (t2);
}

/* CANCEL=...,CLIENT ends the console windows of a session and leaves it running (the
 * "window" is a child process registered as the VNC client of libvirt's test domain). */
static void
test_cancel_client (void)
{
  const char *runtime = test_tmpdir ();
  g_autofree char *xdg = g_strconcat ("XDG_RUNTIME_DIR=", runtime, NULL);
  const char *env[] = { xdg, NULL };
  g_auto(GStrv) client = NULL;
  g_autofree char *token = NULL;
  g_autoptr(TestRun) r = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  pid_t child = fork ();

  if (child == 0)
    {
      pause ();
      _exit (0);
    }
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  client = deck_sessions_client_fields ("test", "VNC", 0);
  g_free (client[DECK_LIST_PID - 1]);
  client[DECK_LIST_PID - 1] = g_strdup_printf ("%d", (int) child);
  token = deck_sessions_register ((const char * const *) client, &error);
  g_assert_no_error (error);

  r = test_run ("ctys", (const char *[]) { "-a", "cancel=l:test,CLIENT", "--uri=test:///default", "localhost", NULL },
                env, NULL);
  g_assert_cmpint (r->status, ==, 0);
  test_assert_contains (r->out, "end the VNC client of test");
  g_assert_null (strstr (r->out, "shutdown"));
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGTERM);
  deck_sessions_unregister (token);
}

/* ISACTIVE and GETCLIENTPORT (spec §5.5) against libvirt's test driver, whose running
 * domain "test" has no graphics. */
static void
test_isactive_getclientport (void)
{
  g_autoptr(TestRun) yes = test_run ("ctys", (const char *[]) { "-a", "isactive=test", "--uri=test:///default", "localhost", NULL }, NULL, NULL);
  g_autoptr(TestRun) no = test_run ("ctys", (const char *[]) { "-a", "isactive=nothere", "--uri=test:///default", "localhost", NULL }, NULL, NULL);
  g_autoptr(TestRun) port = test_run ("ctys", (const char *[]) { "-a", "getclientport=test", "--uri=test:///default", "localhost", NULL }, NULL, NULL);

  g_assert_cmpint (yes->status, ==, 0);
  g_assert_cmpstr (yes->out, ==, "ISACTIVE(TEST,test)=0\n");
  g_assert_cmpint (no->status, ==, 0);
  g_assert_cmpstr (no->out, ==, "ISACTIVE(ALL,nothere)=1\n");
  g_assert_cmpint (port->status, ==, 1);
  test_assert_contains (port->err, "the session has no VNC port");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/show", test_show);
  g_test_add_func ("/cli/list-sessions", test_list_sessions);
  g_test_add_func ("/cli/cancel-client", test_cancel_client);
  g_test_add_func ("/cli/isactive-getclientport", test_isactive_getclientport);
  g_test_add_func ("/cli/info-terse", test_info_terse);
  g_test_add_func ("/cli/show-info-errors", test_errors);
  g_test_add_func ("/cli/call/ac19-show-and-info", test_two_actions_one_host);
  return g_test_run ();
}
