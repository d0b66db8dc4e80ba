/* test-paths.c: search paths and state file paths
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-paths.h"

/* SUSPEND/RESUME state files: absolute as given, relative beside the config */
static void
test_state_file (void)
{
  static const struct {
    const char *statefile, *config, *label, *want;
  } cases[] = {
    { NULL, "/root/xen/tst-ctys/tst100/tst100.conf", "tst100", "/root/xen/tst-ctys/tst100/tst100.stat" },
    { "mystate.stat", "/root/xen/tst-ctys/tst100/tst100.conf", "tst100", "/root/xen/tst-ctys/tst100/mystate.stat" },
    { "sub/my.stat", "/srv/v/a.xml", "a", "/srv/v/sub/my.stat" },
    { "/var/lib/x.stat", "/root/xen/tst100.conf", "tst100", "/var/lib/x.stat" },
    { "/var/lib/x.stat", NULL, "tst100", "/var/lib/x.stat" },
    { "mystate.stat", NULL, "tst100", NULL },
    { NULL, "relative/tst100.conf", "tst100", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = deck_state_file_path (cases[i].statefile, cases[i].config, cases[i].label);

      g_assert_cmpstr (got, ==, cases[i].want);
    }
}

static void
test_search_path (void)
{
  g_auto(GStrv) env = NULL, dflt = NULL;

  g_setenv ("DECK_TEST_PATH", "/a::/b", TRUE);
  env = deck_ctys_search_path ("DECK_TEST_PATH", "macros", FALSE);
  g_assert_cmpuint (g_strv_length (env), ==, 2);
  g_assert_cmpstr (env[0], ==, "/a");
  g_assert_cmpstr (env[1], ==, "/b");
  g_unsetenv ("DECK_TEST_PATH");
  g_setenv ("HOME", "/home/u", TRUE);
  dflt = deck_ctys_search_path ("DECK_TEST_PATH", "groups", FALSE);
  g_assert_cmpstr (dflt[0], ==, "/home/u/.ctys/groups");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/paths/state-file", test_state_file);
  g_test_add_func ("/paths/search-path", test_search_path);
  return g_test_run ();
}
