/* test-cli-vdbgen.c: building enum.fdb with ctys-vdbgen (spec §6.3, AC-85)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "testutil.h"

static char *
fixture_home (void)
{
  return g_build_filename (test_data_dir (), "xen", "home", "acue", NULL);
}

static TestRun *
run_as (const char         *prog,
        const char         *node,
        const char * const *args)
{
  g_autofree char *home = fixture_home ();
  g_autofree char *home_env = g_strconcat ("HOME=", home, NULL);
  g_autofree char *node_env = g_strconcat ("VMDECK_NODENAME=", node, NULL);
  const char *env[] = { home_env, node_env, NULL };

  return test_run (prog, args, env, home);
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static guint
n_lines (const char *text)
{
  guint n = 0;

  for (; *text; text++)
    n += *text == '\n';
  return n;
}

/* AC-85 with multipath registration: the same share scanned as lab00.soho and as ws2.soho
 * gives 6 records; the two V1 records differ only in field 1. */
static void
test_ac85 (void)
{
  g_autofree char *db = g_build_filename (test_tmpdir (), "db", NULL);
  g_autofree char *db_arg = g_strconcat ("--cacheDB=", db, NULL);
  g_autofree char *fdb = g_build_filename (db, "enum.fdb", NULL);
  g_autofree char *first = NULL, *after_error = NULL, *both = NULL;
  g_autoptr(TestRun) a = NULL, b = NULL, c = NULL, d = NULL;
  g_auto(GStrv) lines = NULL;
  const char *v1_lab = NULL, *v1_ws2 = NULL;

  a = run_as ("ctys-vdbgen", "lab00.soho", (const char *[]) { "--base=xen", db_arg, NULL });
  g_assert_cmpint (a->status, ==, 0);
  test_assert_contains (a->out, "3 records");
  first = read_text (fdb);
  g_assert_cmpuint (n_lines (first), ==, 3);

  /* again without --append/--replace: an error, the file unchanged */
  b = run_as ("ctys-vdbgen", "ws2.soho", (const char *[]) { "--base=xen", db_arg, NULL });
  g_assert_cmpint (b->status, !=, 0);
  test_assert_contains (b->err, "already exists");
  test_assert_contains (b->err, "--append");
  after_error = read_text (fdb);
  g_assert_cmpstr (after_error, ==, first);

  c = run_as ("ctys-vdbgen", "ws2.soho", (const char *[]) { "--append", "--base=xen", db_arg, NULL });
  g_assert_cmpint (c->status, ==, 0);
  both = read_text (fdb);
  g_assert_cmpuint (n_lines (both), ==, 6);

  lines = g_strsplit (both, "\n", -1);
  for (guint i = 0; lines[i] && *lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ";", -1);

      g_assert_cmpuint (g_strv_length (f), ==, 47);
      if (strcmp (f[2], "tst100") == 0 && strcmp (f[0], "lab00.soho") == 0)
        v1_lab = lines[i];
      if (strcmp (f[2], "tst100") == 0 && strcmp (f[0], "ws2.soho") == 0)
        v1_ws2 = lines[i];
    }
  g_assert_nonnull (v1_lab);
  g_assert_nonnull (v1_ws2);
  g_assert_cmpstr (v1_lab + strlen ("lab00.soho"), ==, v1_ws2 + strlen ("ws2.soho"));

  /* --replace rebuilds from this scan only */
  d = run_as ("ctys-vdbgen", "ws2.soho", (const char *[]) { "--replace", "--base=xen", db_arg, NULL });
  g_assert_cmpint (d->status, ==, 0);
  {
    g_autofree char *replaced = read_text (fdb);

    g_assert_cmpuint (n_lines (replaced), ==, 3);
    g_assert_null (strstr (replaced, "lab00.soho"));
  }
}

/* Multipath in queries: l:tst100 is ambiguous over the whole DB, unique per host. */
static void
test_multipath_queries (void)
{
  g_autofree char *db = g_build_filename (test_tmpdir (), "db", NULL);
  g_autofree char *db_arg = g_strconcat ("--cacheDB=", db, NULL);
  g_autoptr(TestRun) a = NULL, b = NULL, q1 = NULL, q2 = NULL;

  a = run_as ("ctys-vdbgen", "lab00.soho", (const char *[]) { "--base=xen", db_arg, NULL });
  b = run_as ("ctys-vdbgen", "ws2.soho", (const char *[]) { "--append", "--base=xen", db_arg, NULL });
  g_assert_cmpint (a->status, ==, 0);
  g_assert_cmpint (b->status, ==, 0);

  q1 = run_as ("ctys-vhost", "ws2.soho", (const char *[]) { "-p", db, "-M", "unique", "-o", "pm", "l:tst100", NULL });
  g_assert_cmpint (q1->status, ==, 11);
  g_assert_cmpstr (q1->out, ==, "");

  q2 = run_as ("ctys-vhost", "ws2.soho",
               (const char *[]) { "-p", db, "-M", "unique", "-o", "pm,l", "F:1:^lab00", "l:tst100", NULL });
  g_assert_cmpint (q2->status, ==, 0);
  g_assert_cmpstr (q2->out, ==, "lab00.soho;tst100\n");
}

/* --scan-all-states adds the BACKUP copy; the templates stay out. */
static void
test_all_states (void)
{
  g_autofree char *db = g_build_filename (test_tmpdir (), "db", NULL);
  g_autofree char *db_arg = g_strconcat ("--cacheDB=", db, NULL);
  g_autofree char *fdb = g_build_filename (db, "enum.fdb", NULL);
  g_autofree char *text = NULL;
  g_autoptr(TestRun) a = run_as ("ctys-vdbgen", "ws2.soho",
                                 (const char *[]) { "--scan-all-states", "--base=xen", db_arg, NULL });

  g_assert_cmpint (a->status, ==, 0);
  text = read_text (fdb);
  g_assert_cmpuint (n_lines (text), ==, 4);
  test_assert_contains (text, "/backup/tst100/tst100.conf;");
  g_assert_null (strstr (text, "tpl.conf"));
}

/* Default location $HOME/.ctys/db/default, hostile files only warn, the DB stays sane,
 * and the records round-trip through ctys-vhost -o machine unchanged. */
static void
test_default_dir_and_round_trip (void)
{
  const char *home = test_tmpdir ();
  g_autofree char *home_env = g_strconcat ("HOME=", home, NULL);
  g_autofree char *parser = g_build_filename (test_data_dir (), "parser", NULL);
  g_autofree char *base_arg = g_strconcat ("--base=", parser, NULL);
  g_autofree char *fdb = g_build_filename (home, ".ctys", "db", "default", "enum.fdb", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) expected = g_string_new ("");
  const char *env[] = { home_env, "VMDECK_NODENAME=ws2.soho", NULL };
  g_autoptr(TestRun) gen = test_run ("ctys-vdbgen", (const char *[]) { base_arg, NULL }, env, home);
  g_autoptr(TestRun) q = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (gen->status, ==, 0);
  test_assert_contains (gen->err, "broken.conf:5:");
  text = read_text (fdb);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] && *lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ";", -1);

      g_assert_cmpuint (g_strv_length (f), ==, 47);
      /* ctys-vhost numbers the records (field 32) as it loads them */
      g_free (f[31]);
      f[31] = g_strdup_printf ("%u", i + 1);
      {
        g_autofree char *joined = g_strjoinv (";", f);

        g_string_append_printf (expected, "%s\n", joined);
      }
    }
  g_assert_cmpuint (g_strv_length (lines), >, 8);

  q = test_run ("ctys-vhost", (const char *[]) { "-o", "machine", "-M", "all", NULL }, env, home);
  g_assert_cmpint (q->status, ==, 0);
  g_assert_cmpstr (q->out, ==, expected->str);
}

static void
test_usage_errors (void)
{
  g_autoptr(TestRun) a = run_as ("ctys-vdbgen", "ws2", (const char *[]) { "--append", "--replace", NULL });
  g_autoptr(TestRun) b = run_as ("ctys-vdbgen", "ws2", (const char *[]) { "--bogus", NULL });
  g_autoptr(TestRun) c = run_as ("ctys-vdbgen", "ws2", (const char *[]) { "--base=/nonexistent/x", "--cacheDB=/tmp/never", NULL });
  g_autoptr(TestRun) d = run_as ("ctys-vdbgen", "ws2", (const char *[]) { "--ssh=false", "--cacheDB=/tmp/never", "--", "lab00", NULL });

  g_assert_cmpint (a->status, ==, 1);
  test_assert_contains (a->err, "exclude each other");
  g_assert_cmpint (b->status, ==, 1);
  test_assert_contains (b->err, "unknown option '--bogus'");
  g_assert_cmpint (c->status, !=, 0);
  test_assert_contains (c->err, "/nonexistent/x does not exist");
  g_assert_false (g_file_test ("/tmp/never", G_FILE_TEST_EXISTS));
  g_assert_cmpint (d->status, !=, 0);
  test_assert_contains (d->err, "lab00: cannot reach host");
  test_assert_contains (d->err, "no host could be scanned");
  g_assert_false (g_file_test ("/tmp/never", G_FILE_TEST_EXISTS));
}

/* Target option groups are read by the ctys call parser (deck-call.h): B and MATCHVSTAT
 * of -a ENUMERATE and -t per host; anything else named. */
static void
test_group_options (void)
{
  g_autofree char *db = g_build_filename (test_tmpdir (), "db", NULL);
  g_autofree char *db_arg = g_strconcat ("--cacheDB=", db, NULL);
  g_autofree char *fdb = g_build_filename (db, "enum.fdb", NULL);
  g_autofree char *text = NULL;
  g_autoptr(TestRun) ok = NULL, unknown = NULL, action = NULL, output = NULL, uri = NULL;

  ok = run_as ("ctys-vdbgen", "ws2.soho", (const char *[]) {
    "--base=xen", db_arg, "--", "localhost(-a enumerate=b:xen/tst-ctys/tst100%xen/tst-ctys/tst104 -t xen)", NULL });
  g_assert_cmpint (ok->status, ==, 0);
  test_assert_contains (ok->out, "2 records from 2 files written to");
  text = read_text (fdb);
  g_assert_cmpuint (n_lines (text), ==, 2);
  test_assert_contains (text, ";tst100;");
  test_assert_contains (text, ";tst104;");

  unknown = run_as ("ctys-vdbgen", "ws2", (const char *[]) { "--cacheDB=/tmp/never", "--", "localhost(-Q)", NULL });
  g_assert_cmpint (unknown->status, ==, 1);
  test_assert_contains (unknown->err, "localhost: unknown option ");
  test_assert_contains (unknown->err, "-Q");
  action = run_as ("ctys-vdbgen", "ws2", (const char *[]) { "--cacheDB=/tmp/never", "--", "localhost(-a list)", NULL });
  g_assert_cmpint (action->status, ==, 1);
  test_assert_contains (action->err, "localhost: action LIST in an option group of an ENUMERATE call");
  output = run_as ("ctys-vdbgen", "ws2", (const char *[]) { "--cacheDB=/tmp/never", "--", "localhost(-a enumerate=l)", NULL });
  g_assert_cmpint (output->status, ==, 1);
  test_assert_contains (output->err, "(only B and MATCHVSTAT can differ per host)");
  uri = run_as ("ctys-vdbgen", "ws2", (const char *[]) { "--cacheDB=/tmp/never", "--", "localhost(--uri=nonsense)", NULL });
  g_assert_cmpint (uri->status, ==, 1);
  test_assert_contains (uri->err, "expected --uri=<libvirt URI>");
  g_assert_false (g_file_test ("/tmp/never", G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/vdbgen/ac85-multipath", test_ac85);
  g_test_add_func ("/cli/vdbgen/multipath-queries", test_multipath_queries);
  g_test_add_func ("/cli/vdbgen/scan-all-states", test_all_states);
  g_test_add_func ("/cli/vdbgen/default-dir-and-round-trip", test_default_dir_and_round_trip);
  g_test_add_func ("/cli/vdbgen/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/vdbgen/group-options", test_group_options);
  return g_test_run ();
}
