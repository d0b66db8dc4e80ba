/* test-cli-vhost.c: the ctys-vhost command against hand-written databases
 * (spec §6.4, §12.0 fixture, AC-86, AC-88, AC-90)
 *
 * tests/data/vhost/lab/enum.fdb holds V1-V3 of §12.0 as seen by lab00.soho and ws2.soho
 * (6 records, sorted as ctys-vdbgen writes them); tests/data/vhost/corrupt/enum.fdb holds
 * the same records plus a truncated line (line 2) and a line with a control character
 * (line 5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "testutil.h"

#define V1_LAB00 "lab00.soho;XEN;tst100;/home/acue/xen/tst-ctys/tst100/tst100.conf;" \
  "6842caf91e3e43249ed596b8b9f2c5c2;00:50:56:13:11:40;172.20.6.100"

static char *
db_dir (const char *name)
{
  return g_build_filename (test_data_dir (), "vhost", name, NULL);
}

/* Runs ctys-vhost with a fresh empty $HOME, so that neither a real ~/.ctys database nor
 * ~/.ctys/macros can leak in. */
static TestRun *
run_vhost (const char * const *argv)
{
  g_autofree char *home = g_strdup_printf ("HOME=%s", test_tmpdir ());
  g_autofree char *macros = g_build_filename (g_getenv ("VMDECK_SRCDIR") ? g_getenv ("VMDECK_SRCDIR")
                                              : g_test_get_filename (G_TEST_DIST, "..", NULL),
                                              "data", "macros", NULL);
  g_autofree char *macro_path = g_strdup_printf ("CTYS_MACRO_PATH=%s", macros);
  const char *env[] = { home, macro_path, "LC_ALL=C.UTF-8", NULL };

  return test_run ("ctys-vhost", argv, env, NULL);
}

static void
assert_clean_success (TestRun *run)
{
  g_assert_false (run->signaled);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
}

/* AC-86: the seed diagnostic for ambiguity lists the full record */
static void
test_ac86_machine (void)
{
  g_autofree char *db = db_dir ("lab");
  g_autoptr(TestRun) run = NULL;

  run = run_vhost ((const char *[]) { "-o", "machine", "-s", "-M", "all", "-p", db,
                                      "lab00", "XEN", "tst100", NULL });
  assert_clean_success (run);
  test_assert_golden (run->out, "vhost/ac86.out", NULL);
  /* exactly one record, of 47 fields, with the index in field 32 */
  g_assert_true (g_str_has_prefix (run->out, V1_LAB00 ";"));
  g_assert_nonnull (strchr (run->out, '\n'));
  g_assert_cmpstr (strchr (run->out, '\n'), ==, "\n");
  {
    g_auto(GStrv) fields = g_strsplit (run->out, ";", -1);

    g_assert_cmpuint (g_strv_length (fields), ==, 47);
    g_assert_cmpstr (fields[31], ==, "1");
  }
}

/* AC-88: label and path of the record with index 3 only */
static void
test_ac88_range (void)
{
  g_autofree char *db = db_dir ("lab");
  g_autoptr(TestRun) run = NULL;
  g_autoptr(TestRun) range = NULL;

  run = run_vhost ((const char *[]) { "-o", "l,p", "-p", db, "R:3", NULL });
  assert_clean_success (run);
  g_assert_cmpstr (run->out, ==, "tst104;/home/acue/xen/tst-ctys/tst104/tst104.conf\n");

  range = run_vhost ((const char *[]) { "-o", "PM,l,INDEX", "-M", "all", "-p", db,
                                        "R:2:4", NULL });
  assert_clean_success (range);
  g_assert_cmpstr (range->out, ==,
                   "lab00.soho;tst101;2\n"
                   "lab00.soho;tst104;3\n"
                   "ws2.soho;tst100;4\n");
}

/* AC-90: x AND a OR b OR c is x AND (a OR b OR c) */
static void
test_ac90_precedence (void)
{
  g_autofree char *db = db_dir ("lab");
  g_autoptr(TestRun) run = NULL;
  g_autoptr(TestRun) not = NULL;

  /* read left to right it would be (ws2 AND tst100) OR tst104, adding lab00's tst104 */
  run = run_vhost ((const char *[]) { "-o", "PM,l", "-M", "all", "-p", db,
                                      "ws2", "AND", "tst100", "OR", "tst104", NULL });
  assert_clean_success (run);
  g_assert_cmpstr (run->out, ==, "ws2.soho;tst100\nws2.soho;tst104\n");

  /* NOT negates the next term only */
  not = run_vhost ((const char *[]) { "-o", "PM,l", "-M", "all", "-p", db,
                                      "not", "ws2", "NOT", "tst100", "or", "tst101", NULL });
  assert_clean_success (not);
  g_assert_cmpstr (not->out, ==, "lab00.soho;tst101\nlab00.soho;tst104\n");
}

/* without -o: the macro table TAB_CTYS_VHOST_DEFAULT */
static void
test_default_table (void)
{
  g_autofree char *db = db_dir ("lab");
  g_autoptr(TestRun) all = NULL;
  g_autoptr(TestRun) first = NULL;
  g_autoptr(TestRun) macro = NULL;

  all = run_vhost ((const char *[]) { "-M", "all", "-p", db, NULL });
  assert_clean_success (all);
  test_assert_golden (all->out, "vhost/default-table.out", NULL);

  /* default mode FIRST: header, rule and one row */
  first = run_vhost ((const char *[]) { "-p", db, "tst104", NULL });
  assert_clean_success (first);
  test_assert_golden (first->out, "vhost/default-first.out", NULL);

  /* the same table named explicitly */
  macro = run_vhost ((const char *[]) { "-o", "macro:TAB_CTYS_VHOST_DEFAULT", "-M", "all",
                                        "-p", db, NULL });
  assert_clean_success (macro);
  g_assert_cmpstr (macro->out, ==, all->out);
}

static void
test_output_options (void)
{
  g_autofree char *db = db_dir ("lab");
  g_autoptr(TestRun) tab = NULL;
  g_autoptr(TestRun) sorted = NULL;

  tab = run_vhost ((const char *[]) { "-o", "TAB_GEN:3_label_8%%1_host_12", "-M", "all",
                                      "-p", db, "tst101", NULL });
  assert_clean_success (tab);
  test_assert_golden (tab->out, "vhost/tab-gen.out", NULL);

  sorted = run_vhost ((const char *[]) { "-o", "l,PM", "-M", "usort", "-p", db,
                                         "tst10[04]", NULL });
  assert_clean_success (sorted);
  g_assert_cmpstr (sorted->out, ==,
                   "lab00.soho;tst100\nlab00.soho;tst104\nws2.soho;tst100\nws2.soho;tst104\n");
}

/* address terms are strict (spec §4.3 REC), bare terms are regexes */
static void
test_address_terms (void)
{
  g_autofree char *db = db_dir ("lab");
  g_autoptr(TestRun) label = NULL;
  g_autoptr(TestRun) prefix = NULL;
  g_autoptr(TestRun) regex = NULL;

  label = run_vhost ((const char *[]) { "-o", "PM,l", "-M", "all", "-p", db,
                                        "l:tst100", NULL });
  assert_clean_success (label);
  g_assert_cmpstr (label->out, ==, "lab00.soho;tst100\nws2.soho;tst100\n");

  prefix = run_vhost ((const char *[]) { "-o", "PM,l", "-M", "all", "-p", db,
                                         "l:tst10", NULL });
  assert_clean_success (prefix);
  g_assert_cmpstr (prefix->out, ==, "");

  regex = run_vhost ((const char *[]) { "-o", "l", "-M", "all", "-p", db, "F:7:172.20.6.10",
                                        "lab00", NULL });
  assert_clean_success (regex);
  g_assert_cmpstr (regex->out, ==, "tst100\ntst101\ntst104\n");
}

/* -M UNIQUE: exactly one match, else empty output and exit 11 */
static void
test_unique (void)
{
  g_autofree char *db = db_dir ("lab");
  g_autoptr(TestRun) one = NULL;
  g_autoptr(TestRun) two = NULL;
  g_autoptr(TestRun) none = NULL;

  one = run_vhost ((const char *[]) { "-o", "IDS", "-M", "UNIQUE", "-p", db,
                                      "F:1:lab00", "F:2:XEN", "l:tst100", NULL });
  assert_clean_success (one);
  g_assert_cmpstr (one->out, ==, "/home/acue/xen/tst-ctys/tst100/tst100.conf\n");

  two = run_vhost ((const char *[]) { "-o", "IDS", "-M", "unique", "-p", db, "tst100", NULL });
  g_assert_cmpint (two->status, ==, 11);
  g_assert_cmpstr (two->out, ==, "");
  test_assert_contains (two->err, "2 records match");
  test_assert_contains (two->err, "lab00.soho tst100");
  test_assert_contains (two->err, "ws2.soho tst100");

  none = run_vhost ((const char *[]) { "-o", "IDS", "-M", "unique", "-p", db, "tst999", NULL });
  g_assert_cmpint (none->status, ==, 11);
  g_assert_cmpstr (none->out, ==, "");
  test_assert_contains (none->err, "no record matches");
}

static void
test_missing_db (void)
{
  const char *dir = test_tmpdir ();
  g_autofree char *file = g_build_filename (dir, "enum.fdb", NULL);
  g_autoptr(TestRun) run = NULL;

  /* the directory exists, enum.fdb does not */
  run = run_vhost ((const char *[]) { "-p", dir, "tst100", NULL });
  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpstr (run->out, ==, "");
  test_assert_contains (run->err, file);
  test_assert_contains (run->err, "ctys-vdbgen");
}

static void
test_missing_dir (void)
{
  g_autofree char *dir = g_build_filename (test_tmpdir (), "no-such-db", NULL);
  g_autoptr(TestRun) run = NULL;
  g_autoptr(TestRun) second = NULL;
  g_autoptr(TestRun) fallback = NULL;
  g_autofree char *lab = db_dir ("lab");
  g_autofree char *both = NULL;

  run = run_vhost ((const char *[]) { "-p", dir, "tst100", NULL });
  g_assert_cmpint (run->status, ==, 7);
  g_assert_cmpstr (run->out, ==, "");
  test_assert_contains (run->err, dir);

  /* one missing directory in a list is enough */
  both = g_strdup_printf ("%s:%s", lab, dir);
  second = run_vhost ((const char *[]) { "-p", both, "tst100", NULL });
  g_assert_cmpint (second->status, ==, 7);
  g_assert_cmpstr (second->out, ==, "");

  /* without -p: $HOME/.ctys/db/default, which the fresh $HOME lacks */
  fallback = run_vhost ((const char *[]) { "tst100", NULL });
  g_assert_cmpint (fallback->status, ==, 7);
  test_assert_contains (fallback->err, ".ctys/db/default");
}

static void
test_default_db_dir (void)
{
  const char *home = test_tmpdir ();
  g_autofree char *db = g_build_filename (home, ".ctys", "db", "default", "enum.fdb", NULL);
  g_autofree char *lab = g_build_filename (test_data_dir (), "vhost", "lab", "enum.fdb", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *home_env = g_strdup_printf ("HOME=%s", home);
  g_autoptr(TestRun) run = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (lab, &contents, NULL, &error);
  g_assert_no_error (error);
  test_write_file (db, contents);

  run = test_run ("ctys-vhost", (const char *[]) { "-o", "l", "R:2", NULL },
                  (const char *[]) { home_env, NULL }, NULL);
  assert_clean_success (run);
  g_assert_cmpstr (run->out, ==, "tst101\n");
}

/* corrupt lines are reported as warnings with file:line; the other records still answer */
static void
test_corrupt_line (void)
{
  g_autofree char *db = db_dir ("corrupt");
  g_autofree char *line2 = g_strdup_printf ("%s/enum.fdb:2:", db);
  g_autofree char *line5 = g_strdup_printf ("%s/enum.fdb:5:", db);
  g_autoptr(TestRun) run = NULL;

  run = run_vhost ((const char *[]) { "-o", "PM,l,INDEX", "-M", "all", "-p", db,
                                      "tst10", NULL });
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==,
                   "lab00.soho;tst100;1\n"
                   "lab00.soho;tst101;2\n"
                   "lab00.soho;tst104;3\n"
                   "ws2.soho;tst100;4\n"
                   "ws2.soho;tst101;5\n"
                   "ws2.soho;tst104;6\n");
  test_assert_contains (run->err, line2);
  test_assert_contains (run->err, line5);
  test_assert_contains (run->err, "warning");
  g_assert_null (strstr (run->err, "enum.fdb:1:"));
  /* the whole message, with the absolute fixture path as @DATA@ */
  test_assert_golden (run->err, "vhost/corrupt.err", NULL);
}

/* several directories form one database; indexes continue across them */
static void
test_several_dirs (void)
{
  g_autofree char *lab = db_dir ("lab");
  g_autofree char *corrupt = db_dir ("corrupt");
  g_autofree char *both = g_strdup_printf ("%s,%s", lab, corrupt);
  g_autoptr(TestRun) run = NULL;

  run = run_vhost ((const char *[]) { "-o", "PM,l,INDEX", "-M", "all", "-p", both,
                                      "R:6:8", NULL });
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==,
                   "ws2.soho;tst104;6\n"
                   "lab00.soho;tst100;7\n"
                   "lab00.soho;tst101;8\n");
}

static void
test_bad_parameters (void)
{
  static const struct {
    const char *argv[6];
    const char *message;
  } cases[] = {
    { { "-x", "tst100" }, "unknown option '-x'" },
    { { "--bogus" }, "unknown option '--bogus'" },
    { { "-sx" }, "-s takes no value" },
    { { "tst100", "-o" }, "option -o needs a value" },
    { { "-M", "sometimes", "tst100" }, "expected FIRST, LAST, ALL, COMPLEMENT, SORT, USORT or UNIQUE" },
    { { "-o", "l,bogus", "tst100" }, "bogus" },
    { { "-o", "macro:NO_SUCH_MACRO", "tst100" }, "NO_SUCH_MACRO" },
    { { "tst(" }, "'tst(' is not a valid regular expression" },
    { { "F:99:x" }, "fields are numbered 1 to 47" },
    { { "R:5:2" }, "R:5:2" },
    { { "tst100", "OR" }, "ends with OR" },
    { { "t:" }, "'t:'" },
  };
  g_autofree char *db = db_dir ("lab");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GPtrArray *argv = g_ptr_array_new ();
      g_autoptr(TestRun) run = NULL;

      g_ptr_array_add (argv, "-p");
      g_ptr_array_add (argv, db);
      for (guint j = 0; cases[i].argv[j] != NULL; j++)
        g_ptr_array_add (argv, (gpointer) cases[i].argv[j]);
      g_ptr_array_add (argv, NULL);
      run = run_vhost ((const char * const *) argv->pdata);
      g_ptr_array_unref (argv);

      g_assert_cmpint (run->status, ==, 1);
      g_assert_cmpstr (run->out, ==, "");
      test_assert_contains (run->err, "ctys-vhost: error: ");
      test_assert_contains (run->err, cases[i].message);
    }
}

static void
test_parameter_error_first (void)
{
  g_autofree char *dir = g_build_filename (test_tmpdir (), "no-such-db", NULL);
  g_autoptr(TestRun) run = NULL;

  /* a bad query is reported as such even when the database is missing too */
  run = run_vhost ((const char *[]) { "-p", dir, "tst(", NULL });
  g_assert_cmpint (run->status, ==, 1);
  test_assert_contains (run->err, "regular expression");
}

static void
test_help_version (void)
{
  g_autoptr(TestRun) help = run_vhost ((const char *[]) { "-h", NULL });
  g_autoptr(TestRun) long_help = run_vhost ((const char *[]) { "--help", NULL });
  g_autoptr(TestRun) version = run_vhost ((const char *[]) { "-V", NULL });

  assert_clean_success (help);
  test_assert_contains (help->out, "Usage: ctys-vhost");
  test_assert_contains (help->out, "-M <mode>");
  g_assert_cmpstr (long_help->out, ==, help->out);
  assert_clean_success (version);
  g_assert_true (g_str_has_prefix (version->out, "ctys-vhost (vmdeck) "));
}

/* -C, -c, -r and -R need ctys' runtime caches: accepted, ignored, noted */
static void
test_ignored_options (void)
{
  g_autofree char *db = db_dir ("lab");
  g_autoptr(TestRun) run = NULL;

  run = run_vhost ((const char *[]) { "-C", "MACMAP", "-c", "CNT", "-r", "-R", "PING",
                                      "-o", "l", "-s", "-p", db, "R:2", NULL });
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, "tst101\n");
  test_assert_contains (run->err, "note: -C MACMAP ignored");
  test_assert_contains (run->err, "note: -c CNT ignored");
  test_assert_contains (run->err, "note: -r ignored");
  test_assert_contains (run->err, "note: -R PING ignored");
}

/* "--" ends the options; options may also follow terms; attached values work */
static void
test_option_forms (void)
{
  g_autofree char *db = db_dir ("lab");
  g_autofree char *attached = g_strdup_printf ("-p%s", db);
  g_autoptr(TestRun) dash = NULL;
  g_autoptr(TestRun) late = NULL;

  dash = run_vhost ((const char *[]) { "-o", "l", "-M", "all", "-p", db, "--", "-o", NULL });
  assert_clean_success (dash);
  g_assert_cmpstr (dash->out, ==, "");

  late = run_vhost ((const char *[]) { "R:2", "-ol", attached, NULL });
  assert_clean_success (late);
  g_assert_cmpstr (late->out, ==, "tst101\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/vhost/ac86-machine", test_ac86_machine);
  g_test_add_func ("/cli/vhost/ac88-range", test_ac88_range);
  g_test_add_func ("/cli/vhost/ac90-precedence", test_ac90_precedence);
  g_test_add_func ("/cli/vhost/default-table", test_default_table);
  g_test_add_func ("/cli/vhost/output-options", test_output_options);
  g_test_add_func ("/cli/vhost/address-terms", test_address_terms);
  g_test_add_func ("/cli/vhost/unique", test_unique);
  g_test_add_func ("/cli/vhost/missing-db", test_missing_db);
  g_test_add_func ("/cli/vhost/missing-dir", test_missing_dir);
  g_test_add_func ("/cli/vhost/default-db-dir", test_default_db_dir);
  g_test_add_func ("/cli/vhost/corrupt-line", test_corrupt_line);
  g_test_add_func ("/cli/vhost/several-dirs", test_several_dirs);
  g_test_add_func ("/cli/vhost/bad-parameters", test_bad_parameters);
  g_test_add_func ("/cli/vhost/parameter-error-first", test_parameter_error_first);
  g_test_add_func ("/cli/vhost/help-version", test_help_version);
  g_test_add_func ("/cli/vhost/ignored-options", test_ignored_options);
  g_test_add_func ("/cli/vhost/option-forms", test_option_forms);

  return g_test_run ();
}
