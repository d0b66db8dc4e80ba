/* test-xl.c: the xl backend against RECORDED xl outputs
 *
 * No Xen hypervisor can run on the test machines. The parsers are tested against the
 * recorded outputs in tests/data/xl/ (formats and sources in its README.md), the argv
 * builders against tables of expected argv vectors, hostile names and paths included.
 *
 * The "/xl/recorded-fake/..." cases run the async half on the LOCAL DeckHost with a FAKE
 * xl (tests/data/xl/fake/xl, a shell script copied to a temporary directory put first on
 * PATH) that prints the recorded outputs and logs its argv, so that those cases assert
 * the exact argv that reaches the program. They prove the plumbing (probe, argv, error
 * mapping), not xl itself: the end-to-end test against a real Xen host comes with the Xen
 * host issue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-fields.h"
#include "deck-cancel.h"
#include "deck-list.h"
#include "deck-process.h"
#include "deck-xl.h"

#define HOSTILE_NAME "it's \"$(reboot)\"; rm -rf ~ `id`"

static const char * const SUDO[] = { "sudo", "-n", NULL };
static const char * const KSU[] = { "ksu", "-q", "-e", NULL };
static const char * const NONE[] = { NULL };

static char *
load (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "xl", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
assert_argv (char              **got,
             const char * const *expected)
{
  g_autofree char *g = NULL, *e = NULL;

  g_assert_nonnull (got);
  g = g_strjoinv ("|", got);
  e = g_strjoinv ("|", (char **) expected);
  g_assert_cmpstr (g, ==, e);
  g_assert_cmpuint (g_strv_length (got), ==, g_strv_length ((char **) expected));
}

static DeckDomainInfo *
find_dom (GPtrArray  *list,
          const char *name)
{
  for (guint i = 0; i < list->len; i++)
    {
      DeckDomainInfo *info = list->pdata[i];

      if (g_strcmp0 (info->name, name) == 0)
        return info;
    }
  g_assert_not_reached ();
}

static void
assert_macs (DeckDomainInfo     *info,
             const char * const *macs)
{
  assert_argv (info->macs, macs);
}

/* --- argv builders ---------------------------------------------------------------------- */

static void
test_argv_queries (void)
{
  g_auto(GStrv) a = deck_xl_list_argv (NULL, TRUE);
  g_auto(GStrv) b = deck_xl_list_argv (SUDO, FALSE);
  g_auto(GStrv) c = deck_xl_info_argv (KSU);
  g_auto(GStrv) d = deck_xl_info_argv (NONE);
  g_auto(GStrv) e = NULL, f = NULL, g = NULL, h = NULL;
  g_autoptr(GError) error = NULL;

  assert_argv (a, (const char *[]) { "xl", "list", "-l", NULL });
  assert_argv (b, (const char *[]) { "sudo", "-n", "xl", "list", NULL });
  assert_argv (c, (const char *[]) { "ksu", "-q", "-e", "xl", "info", NULL });
  assert_argv (d, (const char *[]) { "xl", "info", NULL });

  e = deck_xl_domid_argv (SUDO, HOSTILE_NAME, &error);
  g_assert_no_error (error);
  assert_argv (e, (const char *[]) { "sudo", "-n", "xl", "domid", HOSTILE_NAME, NULL });
  f = deck_xl_domid_argv (NULL, "-f", &error);
  g_assert_no_error (error);
  assert_argv (f, (const char *[]) { "xl", "domid", "--", "-f", NULL });

  g = deck_xl_vnc_port_argv (KSU, 7);
  assert_argv (g, (const char *[]) { "ksu", "-q", "-e", "xenstore-read", "/local/domain/7/console/vnc-port", NULL });

  h = deck_xl_console_argv (NULL, "tst100", TRUE, &error);
  g_assert_no_error (error);
  assert_argv (h, (const char *[]) { "xl", "console", "-t", "serial", "tst100", NULL });
  g_clear_pointer (&h, g_strfreev);
  h = deck_xl_console_argv (SUDO, "name with spaces", FALSE, &error);
  g_assert_no_error (error);
  assert_argv (h, (const char *[]) { "sudo", "-n", "xl", "console", "name with spaces", NULL });
  g_clear_pointer (&h, g_strfreev);

  /* xl reads a word of digits as a domain id: such a name would hit another domain */
  g_assert_null (deck_xl_console_argv (NULL, "0", FALSE, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_null (deck_xl_domid_argv (NULL, "", &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
}

static void
test_argv_create (void)
{
  static const struct {
    const char *prefix_name;
    const char *config;
    const char *callopts;      /* ctys C: value */
    gboolean console;
    const char *expected[12];
  } cases[] = {
    /* AC-38 / AC-39 / AC-50 */
    { "ksu", "/home/acue/xen/tst-ctys/tst100/tst100.conf", NULL, FALSE,
      { "ksu", "-q", "-e", "xl", "create", "/home/acue/xen/tst-ctys/tst100/tst100.conf", NULL } },
    { "ksu", "/home/acue/xen/tst-ctys/tst100/tst100.conf", NULL, TRUE,
      { "ksu", "-q", "-e", "xl", "create", "-c", "/home/acue/xen/tst-ctys/tst100/tst100.conf", NULL } },
    { NULL, "/home/acue/xen/tst-ctys/tst100/tst100.conf", "memory=512", FALSE,
      { "xl", "create", "/home/acue/xen/tst-ctys/tst100/tst100.conf", "memory=512", NULL } },
    /* spec §5.1.3: c:vcpus=2%memory=512 → two words */
    { "sudo", "/x/tst100.conf", "vcpus=2%memory=512", TRUE,
      { "sudo", "-n", "xl", "create", "-c", "/x/tst100.conf", "vcpus=2", "memory=512", NULL } },
    /* hostile path and value: one word each */
    { NULL, "/srv/a b;$(id)/'q' \"r\"/x.conf", "name=\"it's; $(reboot)\"", FALSE,
      { "xl", "create", "/srv/a b;$(id)/'q' \"r\"/x.conf", "name=\"it's; $(reboot)\"", NULL } },
    /* a path xl would read as an option or an assignment goes after -f */
    { NULL, "-rf.conf", NULL, FALSE, { "xl", "create", "-f", "-rf.conf", NULL } },
    { NULL, "/srv/a=b/x.conf", "memory=512", TRUE, { "xl", "create", "-c", "-f", "/srv/a=b/x.conf", "memory=512", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char * const *prefix = cases[i].prefix_name == NULL ? NULL
                                   : g_str_equal (cases[i].prefix_name, "ksu") ? KSU : SUDO;
      g_auto(GStrv) opts = cases[i].callopts ? deck_xl_split_callopts (cases[i].callopts) : NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = deck_xl_create_argv (prefix, cases[i].config, (const char * const *) opts,
                                                cases[i].console, &error);

      g_test_message ("case %u", i);
      g_assert_no_error (error);
      assert_argv (argv, cases[i].expected);
    }

  {
    static const char * const bad[][2] = { { "memory", NULL }, { "-p", NULL }, { "-x=1", NULL } };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_null (deck_xl_create_argv (NULL, "/x.conf", bad[i], FALSE, &error));
        g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
        g_assert_nonnull (strstr (error->message, bad[i][0]));
      }
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (deck_xl_create_argv (NULL, "", NULL, FALSE, &error));
    g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  }
}

static void
test_argv_split_callopts (void)
{
  g_auto(GStrv) a = deck_xl_split_callopts ("vcpus=2%memory=512");
  g_auto(GStrv) b = deck_xl_split_callopts ("%a=1%%b=2 c%");
  g_auto(GStrv) c = deck_xl_split_callopts ("");

  assert_argv (a, (const char *[]) { "vcpus=2", "memory=512", NULL });
  assert_argv (b, (const char *[]) { "a=1", "b=2 c", NULL });
  g_assert_cmpuint (g_strv_length (c), ==, 0);
}

static void
test_argv_control (void)
{
  static const struct {
    DeckDomainOp op;
    const char *dom;
    const char *state;
    DeckXlControlFlags flags;
    const char *expected[10];
  } cases[] = {
    { DECK_DOMAIN_OP_SHUTDOWN, "tst100", NULL, 0, { "sudo", "-n", "xl", "shutdown", "-F", "tst100", NULL } },
    { DECK_DOMAIN_OP_SHUTDOWN, "tst100", NULL, DECK_XL_CONTROL_WAIT,
      { "sudo", "-n", "xl", "shutdown", "-w", "-F", "tst100", NULL } },
    { DECK_DOMAIN_OP_REBOOT, "tst100", NULL, 0, { "sudo", "-n", "xl", "reboot", "-F", "tst100", NULL } },
    { DECK_DOMAIN_OP_REBOOT, "tst100", NULL, DECK_XL_CONTROL_WAIT,
      { "sudo", "-n", "xl", "reboot", "-w", "-F", "tst100", NULL } },
    { DECK_DOMAIN_OP_DESTROY, "tst100", NULL, 0, { "sudo", "-n", "xl", "destroy", "tst100", NULL } },
    { DECK_DOMAIN_OP_RESET, "tst100", NULL, 0, { "sudo", "-n", "xl", "reboot", "-F", "tst100", NULL } },
    { DECK_DOMAIN_OP_PAUSE, "tst100", NULL, 0, { "sudo", "-n", "xl", "pause", "tst100", NULL } },
    { DECK_DOMAIN_OP_UNPAUSE, "tst100", NULL, 0, { "sudo", "-n", "xl", "unpause", "tst100", NULL } },
    { DECK_DOMAIN_OP_SAVE, "tst100", "/home/acue/xen/tst-ctys/tst100/tst100.stat", 0,
      { "sudo", "-n", "xl", "save", "tst100", "/home/acue/xen/tst-ctys/tst100/tst100.stat", NULL } },
    { DECK_DOMAIN_OP_RESTORE, NULL, "mystate.stat", 0, { "sudo", "-n", "xl", "restore", "mystate.stat", NULL } },
    /* hostile names and paths stay single words */
    { DECK_DOMAIN_OP_SHUTDOWN, HOSTILE_NAME, NULL, 0, { "sudo", "-n", "xl", "shutdown", "-F", HOSTILE_NAME, NULL } },
    { DECK_DOMAIN_OP_SAVE, HOSTILE_NAME, "/srv/a b;$(id)/x'y'.stat", 0,
      { "sudo", "-n", "xl", "save", HOSTILE_NAME, "/srv/a b;$(id)/x'y'.stat", NULL } },
    { DECK_DOMAIN_OP_RESET, "a;b c", NULL, 0, { "sudo", "-n", "xl", "reboot", "-F", "a;b c", NULL } },
    /* operands xl's option parser would take for options come after "--" */
    { DECK_DOMAIN_OP_DESTROY, "-f", NULL, 0, { "sudo", "-n", "xl", "destroy", "--", "-f", NULL } },
    { DECK_DOMAIN_OP_SHUTDOWN, "-a", NULL, 0, { "sudo", "-n", "xl", "shutdown", "-F", "--", "-a", NULL } },
    { DECK_DOMAIN_OP_SAVE, "tst100", "-c", 0, { "sudo", "-n", "xl", "save", "--", "tst100", "-c", NULL } },
    { DECK_DOMAIN_OP_RESET, "-x", NULL, 0, { "sudo", "-n", "xl", "reboot", "-F", "--", "-x", NULL } },
    { DECK_DOMAIN_OP_RESTORE, NULL, "-p", 0, { "sudo", "-n", "xl", "restore", "--", "-p", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = deck_xl_control_argv (SUDO, cases[i].op, cases[i].dom, cases[i].state,
                                                 cases[i].flags, &error);

      g_test_message ("case %u", i);
      g_assert_no_error (error);
      assert_argv (argv, cases[i].expected);
    }

  {
    static const struct {
      DeckDomainOp op;
      const char *dom;
      const char *state;
      DeckXlControlFlags flags;
      int code;
    } bad[] = {
      { DECK_DOMAIN_OP_START, "tst100", NULL, 0, DECK_ERROR_UNSUPPORTED },
      { DECK_DOMAIN_OP_SAVE, "tst100", NULL, 0, DECK_ERROR_USAGE },
      { DECK_DOMAIN_OP_RESTORE, NULL, "", 0, DECK_ERROR_USAGE },
      { DECK_DOMAIN_OP_PAUSE, "tst100", NULL, DECK_XL_CONTROL_WAIT, DECK_ERROR_USAGE },
      { DECK_DOMAIN_OP_DESTROY, "0", NULL, 0, DECK_ERROR_INVALID_VALUE },
      { DECK_DOMAIN_OP_SHUTDOWN, "42", NULL, 0, DECK_ERROR_INVALID_VALUE },
      { DECK_DOMAIN_OP_PAUSE, NULL, NULL, 0, DECK_ERROR_INVALID_VALUE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;

        g_test_message ("bad case %u", i);
        g_assert_null (deck_xl_control_argv (NULL, bad[i].op, bad[i].dom, bad[i].state, bad[i].flags, &error));
        g_assert_error (error, DECK_ERROR, bad[i].code);
      }
  }
}

/* The dry-run line reads back, through a POSIX shell's word splitting, as the argv. */
static void
test_argv_describe (void)
{
  const char * const argvs[][8] = {
    { "sudo", "-n", "xl", "create", "-c", "/home/acue/xen/tst-ctys/tst100/tst100.conf", "vcpus=2", NULL },
    { "xl", "shutdown", "-F", HOSTILE_NAME, NULL },
    { "xl", "save", "a b", "/srv/a b;$(id)/x'y'.stat", "", "~", "x\\y", NULL },
  };
  g_autofree char *plain = deck_process_describe_argv (argvs[0]);

  g_assert_cmpstr (plain, ==, "sudo -n xl create -c /home/acue/xen/tst-ctys/tst100/tst100.conf vcpus=2");
  for (guint i = 0; i < G_N_ELEMENTS (argvs); i++)
    {
      g_autofree char *line = deck_process_describe_argv (argvs[i]);
      g_auto(GStrv) back = NULL;
      g_autoptr(GError) error = NULL;

      g_shell_parse_argv (line, NULL, &back, &error);
      g_assert_no_error (error);
      assert_argv (back, argvs[i]);
    }
}

/* --- parsers on recorded outputs -------------------------------------------------------- */

static void
test_config_path (void)
{
  static const char * const cases[][2] = {
    { "/home/acue/xen/tst-ctys/tst100/tst100.img", "/home/acue/xen/tst-ctys/tst100/tst100.conf" },
    { "/home/acue/xen/tst-ctys/tst100/disk/../root.img", "/home/acue/xen/tst-ctys/tst100/disk/../...conf" },
    { "/srv/vm1/other-name.qcow2", "/srv/vm1/vm1.conf" },
    { "/srv/a b;$(id)/'q'/disk.img", "/srv/a b;$(id)/'q'/'q'.conf" },
    { "/dev/vg0/tst102", NULL },
    { "/disk.img", NULL },
    { "relative/dir/x.img", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = deck_xl_config_path_for_image (cases[i][0]);

      g_assert_cmpstr (path, ==, cases[i][1]);
    }
  g_assert_null (deck_xl_config_path_for_image (NULL));
}

static void
test_recorded_list_json (void)
{
  g_autofree char *json = load ("list-long.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = deck_xl_parse_list_json (json, -1, &error);
  DeckDomainInfo *d;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 5);

  d = list->pdata[0];
  g_assert_cmpstr (d->name, ==, "Domain-0");
  g_assert_cmpint (d->id, ==, 0);
  g_assert_null (d->uuid);
  g_assert_cmpuint (g_strv_length (d->macs), ==, 0);
  g_assert_null (d->config_path);
  g_assert_cmpuint (d->vnc_port, ==, 0);
  g_assert_cmpstr (d->type, ==, "XEN");
  g_assert_cmpstr (d->accel, ==, "PARA");

  d = list->pdata[1];
  g_assert_cmpstr (d->name, ==, "tst100");
  g_assert_cmpint (d->id, ==, 3);
  g_assert_cmpstr (d->uuid, ==, "6842caf9-1e3e-4324-9ed5-96b8b9f2c5c2");
  assert_macs (d, (const char *[]) { "00:50:56:13:11:40", NULL });
  g_assert_cmpstr (d->config_path, ==, "/home/acue/xen/tst-ctys/tst100/tst100.conf");
  g_assert_cmpuint (d->vnc_port, ==, 5900);     /* PV framebuffer, display 0 (left out), findunused False */
  g_assert_cmpstr (d->accel, ==, "PARA");
  g_assert_cmpint (d->state, ==, DECK_DOMAIN_STATE_UNKNOWN);

  d = list->pdata[2];
  g_assert_cmpstr (d->name, ==, "tst101");
  g_assert_cmpint (d->id, ==, 5);
  g_assert_cmpstr (d->uuid, ==, "2147d599-9cc6-c0dc-92ab-4064b5446e9b");
  assert_macs (d, (const char *[]) { "00:50:56:13:11:41", "00:16:3e:5a:01:02", NULL });
  g_assert_cmpstr (d->config_path, ==, "/home/acue/xen/tst-ctys/tst101/tst101.conf");   /* CD-ROM skipped */
  g_assert_cmpuint (d->vnc_port, ==, 5902);     /* HVM device model, display 2 */
  g_assert_cmpstr (d->accel, ==, "HVM");

  d = list->pdata[3];
  g_assert_cmpstr (d->name, ==, "tst102");
  g_assert_cmpstr (d->accel, ==, "PVH");
  g_assert_null (d->config_path);               /* phy: device, no back-link (spec §5.3.3) */
  g_assert_cmpuint (d->vnc_port, ==, 0);
  assert_macs (d, (const char *[]) { "00:16:3e:3e:86:60", NULL });

  d = list->pdata[4];
  g_assert_cmpstr (d->name, ==, "tst103");
  g_assert_cmpint (d->id, ==, 7);
  g_assert_cmpstr (d->config_path, ==, "/home/acue/xen/tst-ctys/tst103/tst103.conf");
  g_assert_cmpuint (d->vnc_port, ==, 0);        /* findunused True: only xenstore knows */
  g_assert_cmpuint (g_strv_length (d->macs), ==, 0);
}

static void
test_recorded_list_json_hostile (void)
{
  g_autofree char *json = load ("list-long-hostile.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = deck_xl_parse_list_json (json, -1, &error);
  DeckDomainInfo *d;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  d = find_dom (list, HOSTILE_NAME);
  g_assert_cmpint (d->id, ==, 9);
  g_assert_cmpstr (d->config_path, ==, "/srv/xen/a b;$(id)/'q' \"r\"/'q' \"r\".conf");
  d = find_dom (list, "-f");
  g_assert_cmpint (d->id, ==, 10);
}

static void
test_recorded_list_plain (void)
{
  g_autofree char *text = load ("list.txt");
  g_autofree char *hostile = load ("list-hostile.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = deck_xl_parse_list (text, &error);
  g_autoptr(GPtrArray) hl = NULL;
  static const struct { const char *name; int id; DeckDomainState state; } expected[] = {
    { "Domain-0", 0, DECK_DOMAIN_STATE_RUNNING },
    { "tst100", 3, DECK_DOMAIN_STATE_BLOCKED },
    { "tst101", 5, DECK_DOMAIN_STATE_BLOCKED },
    { "tst102", 6, DECK_DOMAIN_STATE_BLOCKED },
    { "tst103", 7, DECK_DOMAIN_STATE_PAUSED },
    { "tst104", 8, DECK_DOMAIN_STATE_BLOCKED },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < list->len; i++)
    {
      DeckDomainInfo *d = list->pdata[i];

      g_assert_cmpstr (d->name, ==, expected[i].name);
      g_assert_cmpint (d->id, ==, expected[i].id);
      g_assert_cmpint (d->state, ==, expected[i].state);
      g_assert_cmpstr (d->type, ==, "XEN");
      g_assert_null (d->config_path);
    }

  /* names with spaces, quotes, $(...), a leading '-' */
  hl = deck_xl_parse_list (hostile, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hl->len, ==, 3);
  g_assert_cmpint (find_dom (hl, HOSTILE_NAME)->id, ==, 9);
  g_assert_cmpint (find_dom (hl, "-f")->id, ==, 10);
}

/* The state letters of xl_info.c list_domains(): r b p s <shutdown reason -rscwS> d. */
static void
test_list_states (void)
{
  static const struct { const char *letters; DeckDomainState state; } cases[] = {
    { "r-----", DECK_DOMAIN_STATE_RUNNING },
    { "------", DECK_DOMAIN_STATE_RUNNING },
    { "-b----", DECK_DOMAIN_STATE_BLOCKED },
    { "--p---", DECK_DOMAIN_STATE_PAUSED },
    { "-bp---", DECK_DOMAIN_STATE_PAUSED },
    { "---s--", DECK_DOMAIN_STATE_SHUTDOWN },     /* poweroff */
    { "---sr-", DECK_DOMAIN_STATE_SHUTDOWN },     /* reboot */
    { "---ss-", DECK_DOMAIN_STATE_SUSPENDED },
    { "---sc-", DECK_DOMAIN_STATE_CRASHED },
    { "-----d", DECK_DOMAIN_STATE_SHUTDOWN },     /* dying */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
                                               "%-40s %5d %5lu %5d     %s  %8.1f\n",
                                               "vm one", 4, 512ul, 1, cases[i].letters, 2.5);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = deck_xl_parse_list (text, &error);

      g_test_message ("%s", cases[i].letters);
      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, 2);      /* Domain-0 added */
      g_assert_cmpint (((DeckDomainInfo *) list->pdata[0])->id, ==, 0);
      g_assert_cmpstr (find_dom (list, "vm one")->name, ==, "vm one");
      g_assert_cmpint (find_dom (list, "vm one")->state, ==, cases[i].state);
    }
}

static void
test_recorded_list_merged (void)
{
  g_autofree char *json = load ("list-long.json");
  g_autofree char *text = load ("list.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = deck_xl_parse_list_outputs (json, -1, text, "xen-4.17.3", &error);
  g_auto(GStrv) f = NULL;
  DeckDomainInfo *d;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 6);
  g_assert_cmpstr (((DeckDomainInfo *) list->pdata[0])->name, ==, "Domain-0");
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (((DeckDomainInfo *) list->pdata[i])->hyperrel, ==, "xen-4.17.3");
  g_assert_cmpint (find_dom (list, "Domain-0")->state, ==, DECK_DOMAIN_STATE_RUNNING);
  g_assert_cmpint (find_dom (list, "tst103")->state, ==, DECK_DOMAIN_STATE_PAUSED);
  d = find_dom (list, "tst104");                /* only in the plain list */
  g_assert_cmpint (d->id, ==, 8);
  g_assert_cmpint (d->state, ==, DECK_DOMAIN_STATE_BLOCKED);
  g_assert_null (d->uuid);

  /* AC-71: the LIST record of tst100 */
  d = find_dom (list, "tst100");
  g_assert_cmpint (d->state, ==, DECK_DOMAIN_STATE_BLOCKED);
  f = deck_domain_info_to_list_fields (d, "lab00.soho");
  g_assert_cmpstr (f[DECK_LIST_PM - 1], ==, "lab00.soho");
  g_assert_cmpstr (f[DECK_LIST_TYPE - 1], ==, "XEN");
  g_assert_cmpstr (f[DECK_LIST_LABEL - 1], ==, "tst100");
  g_assert_cmpstr (f[DECK_LIST_ID - 1], ==, "/home/acue/xen/tst-ctys/tst100/tst100.conf");
  g_assert_cmpstr (f[DECK_LIST_UUID - 1], ==, "6842caf9-1e3e-4324-9ed5-96b8b9f2c5c2");
  g_assert_cmpstr (f[DECK_LIST_MAC - 1], ==, "00:50:56:13:11:40");
  g_assert_cmpstr (f[DECK_LIST_DISPLAY - 1], ==, "0");
  g_assert_cmpstr (f[DECK_LIST_CPORT - 1], ==, "5900");
  g_assert_cmpstr (f[DECK_LIST_PID - 1], ==, "3");
  g_assert_cmpstr (f[DECK_LIST_CSTYPE - 1], ==, "SERVER");
  g_assert_cmpstr (f[DECK_LIST_HYPERRELRUN - 1], ==, "xen-4.17.3");
  g_assert_cmpstr (f[DECK_LIST_ACCELERATOR - 1], ==, "PARA");
  g_clear_pointer (&f, g_strfreev);
  /* AC-73: tst101's cport */
  f = deck_domain_info_to_list_fields (find_dom (list, "tst101"), "lab00.soho");
  g_assert_cmpstr (f[DECK_LIST_CPORT - 1], ==, "5902");
  g_assert_cmpstr (f[DECK_LIST_MAC - 1], ==, "00:50:56:13:11:41");
}

/* With output_format="sxp" in xl.conf, "xl list -l" is no JSON: the plain list serves. */
static void
test_recorded_list_sxp_fallback (void)
{
  g_autofree char *sxp = load ("list-long-sxp.txt");
  g_autofree char *text = load ("list.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = deck_xl_parse_list_json (sxp, -1, &error);
  g_autoptr(GPtrArray) list = NULL;

  g_assert_null (none);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_clear_error (&error);

  list = deck_xl_parse_list_outputs (sxp, -1, text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 6);
  g_assert_cmpint (find_dom (list, "tst100")->id, ==, 3);
  g_assert_null (find_dom (list, "tst100")->config_path);
  g_assert_null (find_dom (list, "tst100")->hyperrel);
}

static void
test_list_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL;

  a = deck_xl_parse_list ("libxl: error: whatever\n", &error);
  g_assert_null (a);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_clear_error (&error);

  b = deck_xl_parse_list ("Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
                          "broken line\n", &error);
  g_assert_null (b);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);

  c = deck_xl_parse_list_json ("{\"domid\": 0}", -1, &error);
  g_assert_null (c);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_clear_error (&error);

  d = deck_xl_parse_list_outputs ("[", -1, "garbage", NULL, &error);
  g_assert_null (d);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_clear_error (&error);

  /* no Domain-0 in the output: added first */
  e = deck_xl_parse_list_json ("[{\"domid\": 4, \"config\": {\"c_info\": {\"type\": \"hvm\", \"name\": \"x\"}}}]",
                               -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (e->len, ==, 2);
  g_assert_cmpstr (((DeckDomainInfo *) e->pdata[0])->name, ==, "Domain-0");
  g_assert_cmpint (((DeckDomainInfo *) e->pdata[0])->id, ==, 0);
  g_assert_cmpstr (((DeckDomainInfo *) e->pdata[1])->accel, ==, "HVM");
}

static void
test_recorded_info (void)
{
  g_autofree char *text = load ("info.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) info = deck_xl_parse_info (text, &error);
  g_autoptr(GHashTable) partial = NULL;
  g_autoptr(GHashTable) none = NULL;
  g_autofree char *rel = NULL, *rel2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (info, "host"), ==, "lab00");
  g_assert_cmpstr (g_hash_table_lookup (info, "machine"), ==, "x86_64");
  g_assert_cmpstr (g_hash_table_lookup (info, "xen_version"), ==, "4.17.3");
  g_assert_cmpstr (g_hash_table_lookup (info, "virt_caps"), ==, "pv hvm hap shadow gnttab-v1 gnttab-v2");
  g_assert_cmpstr (g_hash_table_lookup (info, "xen_commandline"), ==,
                   "dom0_mem=2048M,max:2048M dom0_max_vcpus=2 console=com1 com1=115200,8n1");
  g_assert_cmpstr (g_hash_table_lookup (info, "hw_caps"), ==,
                   "178bfbff:80802001:2fd3fbff:000000f3:00000000:00000000:00000000:00000000");
  g_assert_cmpstr (g_hash_table_lookup (info, "xen_changeset"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (info, "xend_config_format"), ==, "4");
  g_assert_cmpuint (g_hash_table_size (info), ==, 34);
  rel = deck_xl_info_get_hyperrel (info);
  g_assert_cmpstr (rel, ==, "xen-4.17.3");

  partial = deck_xl_parse_info ("xen_major              : 4\nxen_minor              : 17\n"
                                "xen_extra              : .4-pre\n", &error);
  g_assert_no_error (error);
  rel2 = deck_xl_info_get_hyperrel (partial);
  g_assert_cmpstr (rel2, ==, "xen-4.17.4-pre");

  none = deck_xl_parse_info ("cannot init xl context\n", &error);
  g_assert_null (none);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_assert_null (deck_xl_info_get_hyperrel (NULL));
}

static void
test_parse_number (void)
{
  g_autoptr(GError) error = NULL;
  int n = -1;

  g_assert_true (deck_xl_parse_number ("3\n", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  g_assert_true (deck_xl_parse_number ("5901\n", &n, &error));
  g_assert_cmpint (n, ==, 5901);
  g_assert_false (deck_xl_parse_number ("", &n, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (deck_xl_parse_number ("-1\n", &n, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
}

/* --- the async half on the local host with a FAKE xl ------------------------------------ */

/* The fake's directory (scripts, argv log, switch files), made once in main() before any
 * thread exists, so that the environment is set only there. */
static char *fake_dir;

typedef struct {
  DeckHost *host;
  DeckXl *xl;
} Fake;

static char *
fake_file (const char *name)
{
  return g_build_filename (fake_dir, name, NULL);
}

static void
fake_switch (const char *name,
             const char *content)
{
  g_autofree char *path = fake_file (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
}

static void
fake_clear (void)
{
  static const char * const names[] = { "argv.log", "deny", "noxen", "list-long" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = fake_file (names[i]);

      g_remove (path);
    }
}

static void
fake_install (void)
{
  g_autofree char *datadir = g_test_build_filename (G_TEST_DIST, "data", "xl", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const tools[] = { "xl", "xenstore-read" };

  fake_dir = g_dir_make_tmp ("vmdeck-test-xl-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *src = g_build_filename (datadir, "fake", tools[i], NULL);
      g_autofree char *dst = fake_file (tools[i]);
      g_autofree char *script = NULL;
      gsize len;

      g_file_get_contents (src, &script, &len, &error);
      g_assert_no_error (error);
      g_file_set_contents (dst, script, len, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_chmod (dst, 0755), ==, 0);
    }
  path = g_strconcat (fake_dir, ":", g_getenv ("PATH") ? g_getenv ("PATH") : "/usr/bin:/bin", NULL);
  g_setenv ("PATH", path, TRUE);
  g_setenv ("XL_FAKE_DIR", fake_dir, TRUE);
  g_setenv ("XL_FAKE_DATA", datadir, TRUE);
}

static void
fake_uninstall (void)
{
  static const char * const tools[] = { "xl", "xenstore-read" };

  fake_clear ();
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = fake_file (tools[i]);

      g_remove (path);
    }
  g_rmdir (fake_dir);
  g_clear_pointer (&fake_dir, g_free);
}

static void
fake_setup (Fake          *f,
            gconstpointer  data)
{
  fake_clear ();
  f->host = deck_host_new_local ();
  f->xl = deck_xl_new (f->host);
}

static void
fake_teardown (Fake          *f,
               gconstpointer  data)
{
  g_assert_finalize_object (f->xl);
  g_assert_finalize_object (f->host);
  fake_clear ();
}

/* The argv lines the fake logged since the last call. */
static char *
fake_take_log (Fake *f)
{
  g_autofree char *path = fake_file ("argv.log");
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  g_remove (path);
  return text;
}

static void
got_result (GObject      *source,
            GAsyncResult *res,
            gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (res);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* Probes the prefix (root, or the fake xl works: none) and forgets the probe's call. */
static void
fake_probe (Fake *f)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  g_assert_null (deck_xl_get_prefix (f->xl));
  deck_xl_probe_async (f->xl, NULL, got_result, &res);
  g_assert_true (deck_xl_probe_finish (f->xl, wait_for (&res), &error));
  g_assert_no_error (error);
  g_assert_nonnull (deck_xl_get_prefix (f->xl));
  g_assert_cmpuint (g_strv_length ((char **) deck_xl_get_prefix (f->xl)), ==, 0);
  log = fake_take_log (f);
  /* as root the probe does not run xl at all; otherwise it runs "xl info" natively */
  g_assert_cmpstr (log, ==, getuid () == 0 ? "" : "[info]\n");
}

static void
test_fake_list (Fake          *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL, res2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL, again = NULL;
  g_autofree char *log = NULL, *log2 = NULL;

  fake_probe (f);
  deck_xl_list_async (f->xl, NULL, got_result, &res);
  list = deck_xl_list_finish (f->xl, wait_for (&res), &error);
  g_assert_no_error (error);
  log = fake_take_log (f);
  /* tst103's VNC port (findunused True) only xenstore knows: asked after the lists */
  g_assert_cmpstr (log, ==, "[list][-l]\n[list]\n[info]\n[/local/domain/7/console/vnc-port]\n");
  g_assert_cmpuint (list->len, ==, 6);
  g_assert_cmpstr (find_dom (list, "tst100")->config_path, ==, "/home/acue/xen/tst-ctys/tst100/tst100.conf");
  g_assert_cmpstr (find_dom (list, "tst100")->hyperrel, ==, "xen-4.17.3");
  g_assert_cmpuint (find_dom (list, "tst100")->vnc_port, ==, 5900);
  g_assert_cmpint (find_dom (list, "tst103")->state, ==, DECK_DOMAIN_STATE_PAUSED);
  g_assert_cmpuint (find_dom (list, "tst103")->vnc_port, ==, 5901);

  /* xl info is asked once per object; SXP output falls back to the plain list */
  fake_switch ("list-long", "list-long-sxp.txt\n");
  deck_xl_list_async (f->xl, NULL, got_result, &res2);
  again = deck_xl_list_finish (f->xl, wait_for (&res2), &error);
  g_assert_no_error (error);
  log2 = fake_take_log (f);
  g_assert_cmpstr (log2, ==, "[list][-l]\n[list]\n");
  g_assert_cmpuint (again->len, ==, 6);
  g_assert_null (find_dom (again, "tst100")->config_path);
  g_assert_cmpstr (find_dom (again, "tst100")->hyperrel, ==, "xen-4.17.3");
}

static void
test_fake_control (Fake          *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  fake_probe (f);
  deck_xl_control_async (f->xl, "tst100", DECK_DOMAIN_OP_SHUTDOWN, NULL, 0, NULL, got_result, &r1);
  g_assert_true (deck_xl_control_finish (f->xl, wait_for (&r1), &error));
  g_assert_no_error (error);
  deck_xl_control_async (f->xl, HOSTILE_NAME, DECK_DOMAIN_OP_SAVE, "/tmp/a b;$(id)/x'y'.stat", 0,
                         NULL, got_result, &r2);
  g_assert_true (deck_xl_control_finish (f->xl, wait_for (&r2), &error));
  g_assert_no_error (error);
  log = fake_take_log (f);
  g_assert_cmpstr (log, ==, "[shutdown][-F][tst100]\n"
                            "[save][" HOSTILE_NAME "][/tmp/a b;$(id)/x'y'.stat]\n");
  g_clear_pointer (&log, g_free);

  /* xl's "invalid domain identifier" → DECK_ERROR_NOT_FOUND with xl's words */
  deck_xl_control_async (f->xl, "tst999", DECK_DOMAIN_OP_DESTROY, NULL, 0, NULL, got_result, &r3);
  g_assert_false (deck_xl_control_finish (f->xl, wait_for (&r3), &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "tst999 is an invalid domain identifier"));
  g_clear_error (&error);
  log = fake_take_log (f);
  g_assert_cmpstr (log, ==, "[destroy][tst999]\n");
  g_clear_pointer (&log, g_free);

  /* refused before anything runs */
  deck_xl_control_async (f->xl, "0", DECK_DOMAIN_OP_DESTROY, NULL, 0, NULL, got_result, &r4);
  g_assert_false (deck_xl_control_finish (f->xl, wait_for (&r4), &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
  log = fake_take_log (f);
  g_assert_cmpstr (log, ==, "");
}

static void
test_fake_create_info_domid (Fake          *f,
                             gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) info = NULL;
  g_auto(GStrv) opts = deck_xl_split_callopts ("vcpus=2%memory=512");
  g_autofree char *log = NULL;

  fake_probe (f);
  deck_xl_create_async (f->xl, "/home/acue/xen/tst-ctys/tst100/tst100.conf", (const char * const *) opts,
                        FALSE, NULL, got_result, &r1);
  g_assert_true (deck_xl_create_finish (f->xl, wait_for (&r1), &error));
  g_assert_no_error (error);

  deck_xl_info_async (f->xl, NULL, got_result, &r2);
  info = deck_xl_info_finish (f->xl, wait_for (&r2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (info, "xen_version"), ==, "4.17.3");

  deck_xl_domid_async (f->xl, HOSTILE_NAME, NULL, got_result, &r3);
  g_assert_cmpint (deck_xl_domid_finish (f->xl, wait_for (&r3), &error), ==, 9);
  g_assert_no_error (error);
  deck_xl_domid_async (f->xl, "nosuch", NULL, got_result, &r4);
  g_assert_cmpint (deck_xl_domid_finish (f->xl, wait_for (&r4), &error), ==, -1);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  deck_xl_vnc_port_async (f->xl, 7, NULL, got_result, &r5);
  g_assert_cmpuint (deck_xl_vnc_port_finish (f->xl, wait_for (&r5), &error), ==, 5901);
  g_assert_no_error (error);
  deck_xl_vnc_port_async (f->xl, 6, NULL, got_result, &r6);
  g_assert_cmpuint (deck_xl_vnc_port_finish (f->xl, wait_for (&r6), &error), ==, 0);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);

  log = fake_take_log (f);
  g_assert_cmpstr (log, ==, "[create][/home/acue/xen/tst-ctys/tst100/tst100.conf][vcpus=2][memory=512]\n"
                            "[info]\n"
                            "[domid][" HOSTILE_NAME "]\n"
                            "[domid][nosuch]\n"
                            "[/local/domain/7/console/vnc-port]\n"
                            "[/local/domain/6/console/vnc-port]\n");
}

/* xl run without the rights it needs: DECK_ERROR_PERMISSION naming -Z KSU / -Z SUDO, from
 * the probe (not root: "xl info" fails for the login) or from xl itself (root); as root
 * also xl on a machine without Xen. */
static void
test_fake_permission (Fake          *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL, res2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  fake_switch ("deny", "");
  deck_xl_control_async (f->xl, "tst100", DECK_DOMAIN_OP_PAUSE, NULL, 0, NULL, got_result, &res);
  g_assert_false (deck_xl_control_finish (f->xl, wait_for (&res), &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "-Z KSU"));
  g_assert_nonnull (strstr (error->message, "-Z SUDO"));
  log = fake_take_log (f);
  g_assert_cmpstr (log, ==, getuid () == 0 ? "[pause][tst100]\n" : "[info]\n");
  if (getuid () != 0)
    return;    /* the probe already failed: xl itself never ran */
  g_assert_nonnull (strstr (error->message, "cannot init xl context"));

  /* no hypervisor at all: DECK_ERROR_UNSUPPORTED, not "not found" */
  g_clear_error (&error);
  fake_clear ();
  fake_switch ("noxen", "");
  deck_xl_info_async (f->xl, NULL, got_result, &res2);
  g_assert_null (deck_xl_info_finish (f->xl, wait_for (&res2), &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED);
  g_clear_pointer (&log, g_free);
  log = fake_take_log (f);
  g_assert_cmpstr (log, ==, "[info]\n");
}

/* LIST and CANCEL of a host pinned to xl (--backend=xl): the domains come from xl, and a
 * POWEROFF:0 is "xl shutdown" then "xl destroy" (the fake's list never changes, so the
 * domain "still runs" and is destroyed). FAKE xl, as above. */
static void
test_fake_list_cancel (Fake          *f,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(DeckCancelRequest) req = deck_cancel_request_parse ("l:tst100,POWEROFF:0", &error);
  DeckCancelContext ctx = { 0 };
  g_autofree char *log = NULL;
  gboolean dom0 = FALSE, tst100 = FALSE;

  g_assert_no_error (error);
  deck_host_set_backend (f->host, DECK_BACKEND_XL);
  deck_list_host_async (f->host, NULL, NULL, got_result, &r1);
  entries = deck_list_host_finish (f->host, wait_for (&r1), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      DeckListEntry *e = g_ptr_array_index (entries, i);

      g_assert_cmpstr (e->driver, ==, "xl");
      g_assert_null (e->uri);
      dom0 |= g_str_equal (e->info->name, "Domain-0");
      tst100 |= g_str_equal (e->info->name, "tst100") && e->info->id == 3;
    }
  g_assert_true (dom0);
  g_assert_true (tst100);
  g_clear_pointer (&log, g_free);
  log = fake_take_log (f);

  deck_cancel_async (f->host, req, &ctx, NULL, got_result, &r2);
  g_assert_true (deck_cancel_finish (f->host, wait_for (&r2), &error));
  g_assert_no_error (error);
  g_clear_pointer (&log, g_free);
  log = fake_take_log (f);
  g_assert_nonnull (strstr (log, "[shutdown][-F][tst100]\n[destroy][tst100]\n"));
  g_assert_null (strstr (log, "Domain-0"));
}

/* --- real Xen 4.17 (recorded from tests/lab/xenhost, see data/xl/README.md) ------------------ */

/* xl list -l with xen-d1 started by xl (paused) and xen-d2 started by libvirt's libxl driver
 * (its PV framebuffer with findunused "False", display 0 left out). */
static void
test_real_list_json (void)
{
  g_autofree char *json = load ("real-4.17/list-long.json");
  g_autofree char *text = load ("real-4.17/list.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = deck_xl_parse_list_outputs (json, -1, text, "xen-4.17.5", &error);
  g_auto(GStrv) f = NULL;
  DeckDomainInfo *d;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  d = list->pdata[0];
  g_assert_cmpstr (d->name, ==, "Domain-0");
  g_assert_cmpint (d->id, ==, 0);
  g_assert_cmpstr (d->accel, ==, "PARA");
  g_assert_cmpint (d->state, ==, DECK_DOMAIN_STATE_RUNNING);
  g_assert_null (d->config_path);

  d = find_dom (list, "xen-d1");
  g_assert_cmpint (d->id, ==, 16);
  g_assert_cmpint (d->state, ==, DECK_DOMAIN_STATE_PAUSED);
  g_assert_cmpstr (d->uuid, ==, "993c1135-65b2-4bfe-8697-602ff935c52e");
  assert_macs (d, (const char *[]) { "00:16:3e:de:c0:51", NULL });
  /* the ctys convention: the image beside its config */
  g_assert_cmpstr (d->config_path, ==, "/srv/vmdeck/xen/lab/xen-d1/xen-d1.conf");
  g_assert_cmpstr (d->accel, ==, "PARA");
  g_assert_cmpuint (d->vnc_port, ==, 0);

  d = find_dom (list, "xen-d2");
  g_assert_cmpint (d->id, ==, 17);
  g_assert_cmpint (d->state, ==, DECK_DOMAIN_STATE_BLOCKED);
  g_assert_cmpstr (d->config_path, ==, "/srv/vmdeck/xen/lab/xen-d2/xen-d2.conf");
  g_assert_cmpuint (d->vnc_port, ==, 5900);   /* xenstore said 5900 too */
  f = deck_domain_info_to_list_fields (d, "labxen");
  g_assert_cmpstr (f[DECK_LIST_LABEL - 1], ==, "xen-d2");
  g_assert_cmpstr (f[DECK_LIST_MAC - 1], ==, "00:16:3e:de:c0:52");
  g_assert_cmpstr (f[DECK_LIST_CPORT - 1], ==, "5900");
  g_assert_cmpstr (f[DECK_LIST_HYPERRELRUN - 1], ==, "xen-4.17.5");
}

/* The same DomU with a PV framebuffer started by "xl create": xl leaves findunused at its
 * default (True), so the JSON cannot tell the port although it is 5900 (xenstore knows). */
static void
test_real_list_json_xl_vfb (void)
{
  g_autofree char *json = load ("real-4.17/list-long-xl-vfb.json");
  g_autofree char *text = load ("real-4.17/list-xl-vfb.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = deck_xl_parse_list_outputs (json, -1, text, NULL, &error);
  DeckDomainInfo *d;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  d = find_dom (list, "xen-d2");
  g_assert_cmpint (d->id, ==, 2);
  g_assert_cmpint (d->state, ==, DECK_DOMAIN_STATE_RUNNING);
  g_assert_cmpstr (d->config_path, ==, "/srv/vmdeck/xen/lab/xen-d2/xen-d2.conf");
  g_assert_cmpuint (d->vnc_port, ==, 0);
  g_assert_cmpint (find_dom (list, "xen-d1")->state, ==, DECK_DOMAIN_STATE_BLOCKED);
}

static void
test_real_info (void)
{
  g_autofree char *text = load ("real-4.17/info.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) info = deck_xl_parse_info (text, &error);
  g_autofree char *rel = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (info, "host"), ==, "labxen");
  g_assert_cmpstr (g_hash_table_lookup (info, "xen_major"), ==, "4");
  g_assert_cmpstr (g_hash_table_lookup (info, "xen_minor"), ==, "17");
  g_assert_cmpstr (g_hash_table_lookup (info, "virt_caps"), ==, "pv hvm hap shadow gnttab-v1 gnttab-v2");
  g_assert_cmpstr (g_hash_table_lookup (info, "xen_commandline"), ==,
                   "dom0_mem=2048M,max:2048M dom0_max_vcpus=2 console=com1 com1=115200,8n1");
  g_assert_cmpuint (g_hash_table_size (info), ==, 34);
  rel = deck_xl_info_get_hyperrel (info);
  g_assert_cmpstr (rel, ==, "xen-4.17.5");
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xl/argv/queries", test_argv_queries);
  g_test_add_func ("/xl/argv/create", test_argv_create);
  g_test_add_func ("/xl/argv/split-callopts", test_argv_split_callopts);
  g_test_add_func ("/xl/argv/control", test_argv_control);
  g_test_add_func ("/xl/argv/describe", test_argv_describe);
  g_test_add_func ("/xl/config-path", test_config_path);
  g_test_add_func ("/xl/recorded/list-json", test_recorded_list_json);
  g_test_add_func ("/xl/recorded/list-json-hostile", test_recorded_list_json_hostile);
  g_test_add_func ("/xl/recorded/list-plain", test_recorded_list_plain);
  g_test_add_func ("/xl/list-states", test_list_states);
  g_test_add_func ("/xl/recorded/list-merged", test_recorded_list_merged);
  g_test_add_func ("/xl/recorded/list-sxp-fallback", test_recorded_list_sxp_fallback);
  g_test_add_func ("/xl/list-errors", test_list_errors);
  g_test_add_func ("/xl/recorded/info", test_recorded_info);
  g_test_add_func ("/xl/parse-number", test_parse_number);
  g_test_add_func ("/xl/real-4.17/list", test_real_list_json);
  g_test_add_func ("/xl/real-4.17/list-xl-vfb", test_real_list_json_xl_vfb);
  g_test_add_func ("/xl/real-4.17/info", test_real_info);
  /* FAKE xl on PATH (see the top of this file) */
  g_test_add ("/xl/recorded-fake/list", Fake, NULL, fake_setup, test_fake_list, fake_teardown);
  g_test_add ("/xl/recorded-fake/control", Fake, NULL, fake_setup, test_fake_control, fake_teardown);
  g_test_add ("/xl/recorded-fake/create-info-domid", Fake, NULL, fake_setup, test_fake_create_info_domid,
              fake_teardown);
  g_test_add ("/xl/recorded-fake/permission", Fake, NULL, fake_setup, test_fake_permission, fake_teardown);
  g_test_add ("/xl/recorded-fake/list-cancel", Fake, NULL, fake_setup, test_fake_list_cancel, fake_teardown);

  fake_install ();
  ret = g_test_run ();
  fake_uninstall ();
  return ret;
}
