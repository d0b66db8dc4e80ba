/* test-cli-enumerate.c: `ctys -a enumerate` on the local host against golden files
 *
 * The fixture is spec §12.0: tests/data/xen/home/acue/xen with V1-V3 (ACTIVE), B1 (BACKUP)
 * and T1 (#@#MAGICID-IGNORE). ctys runs with HOME and the working directory set to the
 * fixture's home and with the node name ws2.soho.
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

/* Runs ctys with @args in the fixture home. */
static TestRun *
ctys (const char * const *args)
{
  g_autofree char *home = fixture_home ();
  g_autofree char *home_env = g_strconcat ("HOME=", home, NULL);
  const char *env[] = { home_env, "VMDECK_NODENAME=ws2.soho", NULL };

  return test_run ("ctys", args, env, home);
}

typedef struct {
  const char *name;        /* test path and golden file name */
  const char *args[8];
} GoldenCase;

static const GoldenCase golden_cases[] = {
  /* AC-78: one title line, then V1-V3 with all 47 fields */
  { "machine-title", { "-t", "xen", "-a", "enumerate=machine,title,b:xen", "localhost", NULL } },
  { "default", { "-t", "xen", "-a", "enumerate=b:xen", NULL } },
  { "fields-titleidx", { "-a", "enumerate=titleidx,label,uuid,mac,tcp,vram,vcpu,b:xen", NULL } },
  { "fields-titleidxasc", { "-a", "enumerate=titleidxasc,l,st,defc,b:xen", NULL } },
  { "terse-fields", { "-a", "enumerate=terse,pm,label,vstat,b:xen", NULL } },
  { "tab-gen", { "-a", "enumerate=tab_gen:3_label_8%%4_ID_20_L%%7_TCP_9_B,b:xen", NULL } },
  { "tab-gen-titleidx", { "-a", "enumerate=tab_gen:3_%%5_UUID_12,titleidx,b:xen", NULL } },
  /* AC-79 (XEN rows): MAC and TCP from #@#IP0, cport empty */
  { "macro-tab-cport", { "-a", "enumerate=macro:TAB_CPORT,b:xen", NULL } },
  /* SORT: by rendered column 2; UNIQUE drops the repeated tst100 line (V1 and B1) */
  { "sort-column2", { "-a", "enumerate=label,vstat,sort:2,matchvstat:all,b:xen", NULL } },
  { "sort-unique", { "-a", "enumerate=label,sort:unique,matchvstat:all,b:xen", NULL } },
  { "matchvstat-all", { "-a", "enumerate=l,p,vstat,matchvstat:all,b:xen", NULL } },
  { "matchvstat-backup", { "-a", "enumerate=l,p,vstat,matchvstat:backup,b:xen", NULL } },
  { "two-bases", { "-a", "enumerate=l,p,b:xen/tst-ctys/tst100%xen/tst-ctys/tst104", NULL } },
};

static void
test_golden (gconstpointer data)
{
  const GoldenCase *c = data;
  g_autoptr(TestRun) run = ctys (c->args);
  g_autofree char *golden = g_strdup_printf ("enumerate/%s.out", c->name);
  g_autofree char *home = fixture_home ();

  g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  test_assert_golden (run->out, golden, "@HOME@", home, NULL);
}

typedef struct {
  const char *name;
  const char *args[8];
  const char *stderr_has;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "no-action", { "localhost", NULL }, "no action given" },
  { "unknown-action", { "-a", "frobnicate", NULL }, "unknown action 'FROBNICATE'" },
  { "not-yet-action", { "-a", "isactive=x", NULL }, "action ISACTIVE is not available in this build yet" },
  /* LIST needs a libvirt daemon: none behind this socket */
  { "list-no-daemon", { "-a", "list", "--uri=qemu+unix:///system?socket=/nonexistent/sock", NULL },
    "cannot connect to qemu+unix:///system?socket=/nonexistent/sock" },
  { "cancel-no-session", { "-a", "cancel=l:nothere", "--uri=qemu+unix:///system?socket=/nonexistent/sock", NULL },
    "cannot connect" },
  { "create-unknown", { "-a", "create=l:nothere,CONSOLE:none", "-c", "local,only", NULL }, "cannot evaluate ID/PNAME for 'l:nothere'" },
  { "unknown-suboption", { "-a", "enumerate=wobble:1", NULL }, "unknown ENUMERATE suboption 'wobble'" },
  { "missing-base", { "-a", "enumerate=b:/nonexistent/base", NULL }, "base directory /nonexistent/base does not exist" },
  { "bad-vstate", { "-a", "enumerate=matchvstat:sleepy,b:xen", NULL }, "unknown MATCHVSTAT state 'sleepy'" },
  { "macro-undefined", { "-a", "enumerate=macro:NOPE,b:xen", NULL }, "NOPE" },
  /* "false" as ssh: a host that cannot be reached, without any network traffic */
  { "remote-unreachable", { "--ssh=false", "-a", "enumerate", "lab00", NULL }, "lab00: cannot reach host" },
  { "hostile-target", { "-a", "enumerate", "--", "-oProxyCommand=touch /tmp/x", NULL }, "-oProxyCommand=touch /tmp/x" },
  { "bad-ssh-option", { "--ssh=ssh 'unclosed", "-a", "enumerate", "lab00", NULL }, "ssh command" },
  { "option-without-value", { "-a", NULL }, "option -a needs a value" },
  { "unknown-option", { "-Q", "x", "-a", "enumerate", NULL }, "unknown option '-Q'" },
  { "bad-table", { "-a", "enumerate=tab_gen:99_x_5,b:xen", NULL }, "99" },
};

static void
test_error (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr(TestRun) run = ctys (c->args);

  g_assert_cmpint (run->status, !=, 0);
  g_assert_cmpstr (run->out, ==, "");
  test_assert_contains (run->err, c->stderr_has);
}

/* AC-91: macro:NOPE%optional expands to nothing; a user macro equals its expansion. */
static void
test_user_macros (void)
{
  const char *dir = test_tmpdir ();
  g_autofree char *file = g_build_filename (dir, "default", NULL);
  g_autofree char *home = fixture_home ();
  g_autofree char *home_env = g_strconcat ("HOME=", home, NULL);
  g_autofree char *path_env = g_strconcat ("CTYS_MACRO_PATH=", dir, NULL);
  const char *env[] = { home_env, path_env, "VMDECK_NODENAME=ws2.soho", NULL };
  g_autoptr(TestRun) a = NULL, b = NULL, c = NULL, d = NULL;

  test_write_file (file, "# test macros\nMYTAB = tab_gen:3_label_10%%2_stype_8\n"
                         "LOOP = macro:LOOP\n");
  a = test_run ("ctys", (const char *[]) { "-a", "enumerate=macro:MYTAB,b:xen", NULL }, env, home);
  b = test_run ("ctys", (const char *[]) { "-a", "enumerate=tab_gen:3_label_10%%2_stype_8,b:xen", NULL }, env, home);
  g_assert_cmpint (a->status, ==, 0);
  g_assert_cmpint (b->status, ==, 0);
  g_assert_cmpstr (a->out, ==, b->out);
  test_assert_contains (a->out, "tst101");

  c = test_run ("ctys", (const char *[]) { "-a", "enumerate=l,b:xen,macro:NOPE%optional", NULL }, env, home);
  g_assert_cmpint (c->status, ==, 0);
  test_assert_contains (c->out, "tst104");

  d = test_run ("ctys", (const char *[]) { "-a", "enumerate=macro:LOOP", NULL }, env, home);
  g_assert_cmpint (d->status, !=, 0);
  test_assert_contains (d->err, "LOOP");

  test_write_file (file, "MYTAB = tab_gen:3_label_10\nMYTAB = tab_gen:3_label_12\n");
  {
    g_autoptr(TestRun) e = test_run ("ctys", (const char *[]) { "-a", "enumerate=macro:MYTAB", NULL }, env, home);

    g_assert_cmpint (e->status, !=, 0);
    test_assert_contains (e->err, "MYTAB");
  }
}

/* Broken and hostile files in a base: warnings on stderr naming the file, the other
 * configs still listed, and no output line with a wrong field count. */
static void
test_hostile_tree (void)
{
  g_autofree char *parser = g_build_filename (test_data_dir (), "parser", NULL);
  g_autofree char *arg = g_strconcat ("enumerate=machine,b:", parser, NULL);
  g_autoptr(TestRun) run = ctys ((const char *[]) { "-a", arg, NULL });
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run->status, ==, 0);
  test_assert_contains (run->err, "broken.conf:5:");
  test_assert_contains (run->err, "hostile-semicolon.conf:1: name:");
  test_assert_contains (run->out, ";quote$(touch /tmp/pwned)`id`;");
  lines = g_strsplit (run->out, "\n", -1);
  for (guint i = 0; lines[i] && *lines[i]; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ";", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 47);
    }
  g_assert_false (g_file_test ("/tmp/pwned", G_FILE_TEST_EXISTS));
}

/* The type filter: -t qemu shows the libvirt QEMU domain only. */
static void
test_type_filter (void)
{
  g_autofree char *parser = g_build_filename (test_data_dir (), "parser", NULL);
  g_autofree char *arg = g_strconcat ("enumerate=l,st,b:", parser, NULL);
  g_autoptr(TestRun) run = ctys ((const char *[]) { "-t", "qemu", "-a", arg, NULL });

  g_assert_cmpint (run->status, ==, 0);
  /* one line per interface record (two MACs), in canonical field order */
  g_assert_cmpstr (run->out, ==, "QEMU;tinyq\nQEMU;tinyq\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (golden_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/enumerate/golden/%s", golden_cases[i].name);

      g_test_add_data_func (path, &golden_cases[i], test_golden);
    }
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/enumerate/error/%s", error_cases[i].name);

      g_test_add_data_func (path, &error_cases[i], test_error);
    }
  g_test_add_func ("/cli/enumerate/user-macros", test_user_macros);
  g_test_add_func ("/cli/enumerate/hostile-tree", test_hostile_tree);
  g_test_add_func ("/cli/enumerate/type-filter", test_type_filter);
  return g_test_run ();
}
