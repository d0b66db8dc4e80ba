/* test-cli-enumerate.c: `ctys -a enumerate` on the local host against golden files
 *
 * The fixture is spec §12.0: tests/data/xen/home/acue/xen with V1-V3 (ACTIVE), B1 (BACKUP)
 * and T1 (#@#MAGICID-IGNORE). ctys runs with HOME and the working directory set to the
 * fixture's home and with the node name ws2.soho.
 *
 * /cli/call/... are the call syntax as ctys runs it (deck-call.h): per-job options, several
 * actions in one call, dry runs, refusals before anything runs. No network: unreachable
 * hosts get --ssh=false, absent daemons a --uri= to a socket that does not exist.
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
  const char *stderr_has2;   /* NULL or a second part (messages quote with “ ”, which a C
                              * locale prints as '?') */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "no-action", { "localhost", NULL }, "no action given" },
  { "unknown-action", { "-a", "frobnicate", NULL }, "unknown action ", "FROBNICATE" },
  { "isactive-without-session", { "-a", "isactive", NULL }, "ISACTIVE needs a session" },
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
  { "bad-ssh-option", { "--ssh=ssh 'unclosed", "-a", "enumerate", "lab00", NULL }, "expected --ssh=<program>" },
  { "option-without-value", { "-a", NULL }, "option -a needs a value" },
  { "unknown-option", { "-Q", "x", "-a", "enumerate", NULL }, "unknown option ", "-Q" },
  { "bad-table", { "-a", "enumerate=tab_gen:99_x_5,b:xen", NULL }, "99" },
  /* the call syntax is deck-call's (spec §2, §3): its errors name the option */
  { "unknown-long-option", { "--frob", "-a", "enumerate", NULL }, "unknown option ", "--frob" },
  { "unknown-option-in-group", { "-a", "enumerate", "localhost(-Q)", NULL }, "localhost: unknown option ", "-Q" },
  { "b-three-values", { "-b", "0,2,3", "-a", "list", NULL }, "more than two values" },          /* AC-16 */
  { "L-unknown", { "-a", "list", "-L", "XX", NULL }, "unknown execution location", "XX" },    /* AC-17 */
  { "L-unknown-in-group", { "-a", "list", "lab00(-L XX)", NULL }, "lab00: -L ", "unknown execution location" },
  { "bad-uri", { "--uri=bogus", "-a", "list", NULL }, "expected --uri=<libvirt URI>" },
  { "ssh-in-group", { "-a", "list", "lab00(--ssh=false)", NULL }, "is an option of the command line" },
  /* --uri= in a target's group reaches that job's host */
  { "group-uri-no-daemon", { "-a", "list", "localhost(--uri=qemu+unix:///system?socket=/nonexistent/sock)", NULL },
    "cannot connect to qemu+unix:///system?socket=/nonexistent/sock" },
  /* a target without an action while another has one */
  { "job-without-action", { "localhost(-a enumerate=b:xen)", "lab00", NULL }, "lab00: no action given" },
  /* ENUMERATE prints one table: a host group cannot ask for another layout */
  { "output-differs", { "-a", "enumerate=machine,b:xen", "localhost", "ws2(-a enumerate=terse,l,b:xen)", NULL },
    "ws2: output suboptions", "differ from" },
  { "group-suboption-unknown", { "-a", "enumerate=b:xen", "localhost(-a enumerate=wobble)", NULL },
    "localhost: unknown ENUMERATE suboption 'wobble'" },
  { "query-in-group-without-session", { "-a", "enumerate=b:xen", "localhost(-a getclientport)", NULL },
    "GETCLIENTPORT needs a session" },
};

static void
test_error (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr(TestRun) run = ctys (c->args);

  g_assert_cmpint (run->status, !=, 0);
  g_assert_cmpstr (run->out, ==, "");
  test_assert_contains (run->err, c->stderr_has);
  if (c->stderr_has2 != NULL)
    test_assert_contains (run->err, c->stderr_has2);
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

/* AC-21: every job runs with its own effective options; -n describes each job and, for
 * LIST and ENUMERATE, asks no host (unreachable ones included). */
static void
test_per_job_options (void)
{
  g_autoptr(TestRun) run = ctys ((const char *[]) {
    "--ssh=false", "-n", "-a", "list", "-d", "6", "--", "(-d 3)", "host01",
    "host02(-d 1 -t xen -c LOCAL,ONLY -p /x -L SO -z 2 -b seq -Z SUDO -l root)", NULL });
  g_autoptr(TestRun) enumerate = ctys ((const char *[]) {
    "--ssh=false", "-a", "enumerate=machine", "-n", "lab00", "lab01(-a enumerate=b:xen)", NULL });

  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==,
                   "host01: -a LIST -b sync,par -L DISPLAYFORWARDING -z 0 -c BOTH -A 0 -s ALL -d 3 -n "
                   "--ssh=false\n"
                   "root@host02: -a LIST -t XEN -b sync,seq -L SERVERONLY -z 2 -Z SUDO -c LOCAL,ONLY "
                   "-l root -p /x -A 0 -s ALL -d 1 -n --ssh=false\n");

  g_assert_cmpstr (enumerate->err, ==, "");
  g_assert_cmpint (enumerate->status, ==, 0);
  g_assert_cmpstr (enumerate->out, ==,
                   "lab00: -a ENUMERATE=machine -b sync,par -L DISPLAYFORWARDING -z 0 -c BOTH -A 0 -s USER -n "
                   "--ssh=false\n"
                   "lab01: -a ENUMERATE=b:xen -b sync,par -L DISPLAYFORWARDING -z 0 -c BOTH -A 0 -s USER -n "
                   "--ssh=false\n");
}

/* --uri= globally and in a group: one URI per driver per job, the group's wins; the same
 * for --backend=. */
static void
test_uri_per_job (void)
{
  g_autoptr(TestRun) run = ctys ((const char *[]) {
    "-n", "--uri=qemu:///session", "-a", "list", "h1(--uri=qemu+unix:///system?socket=/s --uri=xen:///system)",
    "h2(--backend=xl)", NULL });

  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==,
                   "h1: -a LIST -b sync,par -L DISPLAYFORWARDING -z 0 -c BOTH -A 0 -s ALL -n "
                   "'--uri=qemu+unix:///system?socket=/s' --uri=xen:///system\n"
                   "h2: -a LIST -b sync,par -L DISPLAYFORWARDING -z 0 -c BOTH -A 0 -s ALL -n "
                   "--uri=qemu:///session --backend=xl\n");
}

/* A host group's -t replaces the call's for that job. */
static void
test_type_per_job (void)
{
  g_autofree char *parser = g_build_filename (test_data_dir (), "parser", NULL);
  g_autofree char *arg = g_strconcat ("enumerate=l,st,b:", parser, NULL);
  g_autoptr(TestRun) run = ctys ((const char *[]) { "-t", "xen", "-a", arg, "localhost(-t qemu)", NULL });

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, "QEMU;tinyq\nQEMU;tinyq\n");
}

/* AC-19: two jobs on one host with different actions, each with its own effective options;
 * in a dry run each job is described and followed by the steps it would take, CREATE's
 * job before CANCEL's (the order of the call). The local cacheDB resolves the addresses,
 * nothing is started or stopped. */
static void
test_two_actions_one_host (void)
{
  g_autofree char *db = g_build_filename (test_data_dir (), "vhost", "lab", NULL);
  g_autoptr(TestRun) run = ctys ((const char *[]) {
    "-n", "-t", "xen", "-c", "local,only", "-p", db, "--",
    "localhost(-a create=l:tst100,CONSOLE:none)", "localhost(-a cancel=l:tst101,REBOOT -c off)", NULL });
  const char *create, *create_step, *cancel, *cancel_step;

  g_test_message ("stdout: %s\nstderr: %s", run->out, run->err);
  g_assert_cmpint (run->status, ==, 0);
  create = strstr (run->out, "localhost: -a CREATE=l:tst100,CONSOLE:none -t XEN -b async,par -L SERVERONLY "
                             "-z 0 -c LOCAL,ONLY -p ");
  create_step = strstr (run->out, "ws2.soho: [dry run] xl create /home/acue/xen/tst-ctys/tst100/tst100.conf");
  cancel = strstr (run->out, "localhost: -a CANCEL=l:tst101,REBOOT -t XEN -b async,par -L DISPLAYFORWARDING "
                             "-z 0 -c OFF -p ");
  cancel_step = cancel != NULL ? strstr (cancel, "\nws2.soho: [dry run] ") : NULL;
  g_assert_nonnull (create);
  g_assert_nonnull (create_step);
  g_assert_nonnull (cancel);
  g_assert_nonnull (cancel_step);
  g_assert_true (create < create_step && create_step < cancel && cancel < cancel_step);
  test_assert_contains (cancel_step, "reboot");   /* through libvirt or xl, as the backend says */
  test_assert_contains (cancel_step, "tst101");
  test_assert_contains (run->out, "\n  create: l:tst100,CONSOLE:NONE\n  note: CONSOLE:NONE implies -L SERVERONLY\n");
  test_assert_contains (run->out, "\n  cancel: l:tst101,REBOOT,STACK,SERVER\n");
}

/* AC-40: CONSOLE:CLI with -L CF is refused before anything runs, globally and when the
 * target's group sets -L CF; the host is never asked (ssh is "false" anyway). */
static void
test_create_location_refused (void)
{
  g_autoptr(TestRun) global = ctys ((const char *[]) {
    "--ssh=false", "-t", "xen", "-a", "create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli", "-L", "CF", "lab00", NULL });
  g_autoptr(TestRun) group = ctys ((const char *[]) {
    "--ssh=false", "-t", "xen", "-a", "create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli", "lab01",
    "lab00(-L CF)", NULL });

  g_assert_cmpint (global->status, ==, 1);
  g_assert_cmpstr (global->out, ==, "");
  test_assert_contains (global->err, "CREATE: CONNECTIONFORWARDING (-L CF) is not supported for CONSOLE:CLI");
  g_assert_null (strstr (global->err, "cannot reach"));
  /* lab01 alone would be fine: nothing is started for it either */
  g_assert_cmpint (group->status, ==, 1);
  g_assert_cmpstr (group->out, ==, "");
  test_assert_contains (group->err, "lab00: CREATE: CONNECTIONFORWARDING");
  g_assert_null (strstr (group->err, "lab01"));
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
  g_test_add_func ("/cli/enumerate/type-per-job", test_type_per_job);
  g_test_add_func ("/cli/call/ac21-per-job-options", test_per_job_options);
  g_test_add_func ("/cli/call/uri-per-job", test_uri_per_job);
  g_test_add_func ("/cli/call/ac19-two-actions-one-host", test_two_actions_one_host);
  g_test_add_func ("/cli/call/ac40-create-location-refused", test_create_location_refused);
  return g_test_run ();
}
