/* test-cli-info.c: ctys -a show / -a info on the local host (the lab suite asks remote hosts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/utsname.h>

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/show", test_show);
  g_test_add_func ("/cli/info-terse", test_info_terse);
  g_test_add_func ("/cli/show-info-errors", test_errors);
  g_test_add_func ("/cli/call/ac19-show-and-info", test_two_actions_one_host);
  return g_test_run ();
}
