/* test-xen-host.c: vmdeck's Xen paths against a real Xen 4.17 host (suite xen)
 *
 * The host is tests/lab/xenhost (see xen-testutil.h). The program skips, with the reason,
 * when the host cannot be built or booted here (not root, no QEMU, Debian's archive
 * unreachable for the image build).
 *
 * Every case runs the built ctys / ctys-vdbgen and checks the real result on the Dom0:
 * "xl list" state letters, "virsh -c xen:///system domstate", the guest console logs
 * that xenconsoled writes (/var/log/xen/console/guest-<name>.log; the DomUs print
 * "VMDECK-XEN <name> READY" on hvc0 each time they boot). Timings of each step are
 * printed with g_test_message ("timing: ...") so that regressions show in the test log.
 *
 * The cases share the host and run in the order they are added (all directly under /xen/:
 * GLib runs a suite's own cases before its sub-suites); each one stops what it started. The
 * last one stops xenstored, which cannot be restarted cleanly: nothing may come after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "xen-testutil.h"

static char *db;            /* inventory of the Xen host */
static const char *host;    /* "labxen" */

#define ctys xen_ctys
#define dom0 xen_dom0

static char *
conf_of (const char *name)
{
  return g_strdup_printf ("%s/%s/%s/%s.conf", g_getenv ("LAB_XEN_BASE"), g_getenv ("LAB_XEN_GROUP"), name, name);
}

/* --- cases ------------------------------------------------------------------------------- */

/* ENUMERATE / ctys-vdbgen: the xl configs land in the inventory with their tags. */
static void
test_enumerate (void)
{
  g_autofree char *base = g_strconcat ("enumerate=b:", g_getenv ("LAB_XEN_BASE"), ",machine", NULL);
  g_autofree char *fdb = g_build_filename (db, "enum.fdb", NULL);
  g_autofree char *text = NULL;
  g_autofree char *d1 = conf_of ("xen-d1"), *d2 = conf_of ("xen-d2");
  g_autofree char *rec1 = g_strdup_printf ("\nlabxen;XEN;xen-d1;%s;", d1);
  g_autofree char *rec2 = g_strdup_printf ("labxen;XEN;xen-d2;%s;", d2);
  g_autoptr(XenRun) en = ctys ("-a", base, host);

  g_assert_cmpint (en->status, ==, 0);
  test_assert_contains (en->out, d1);
  test_assert_contains (en->out, d2);
  test_assert_contains (en->out, ";00:16:3e:de:c0:51;");
  test_assert_contains (en->out, ";00:16:3e:de:c0:52;");

  /* the inventory was made by main(); check what it holds */
  g_assert_true (g_file_get_contents (fdb, &text, NULL, NULL));
  test_assert_contains (text, rec2);
  text = g_strconcat ("\n", g_steal_pointer (&text), NULL);
  test_assert_contains (text, rec1);
  test_assert_contains (text, ";00:16:3e:de:c0:51;");
  test_assert_contains (text, ";busybox;");
}

/* INFO: the Xen hypervisor and both backends. */
static void
test_info (void)
{
  g_autoptr(XenRun) info = ctys ("-a", "info", host);

  g_assert_cmpint (info->status, ==, 0);
  test_assert_contains (info->out, "hypervisor         xen");
  test_assert_contains (info->out, "backend-xl         present");
  test_assert_contains (info->out, "backend-libvirt    running");
  test_assert_contains (info->out, "tool-xl            /usr/sbin/xl");
}

/* CREATE through xl over ssh, LIST, and every CANCEL method, on xen-d1. */
static void
test_xl_lifecycle (void)
{
  g_autofree char *state_file = g_strdup_printf ("%s/xen-d1.stat", g_getenv ("LAB_XEN_SAVE_DIR"));
  g_autofree char *suspend = g_strdup_printf ("cancel=l:xen-d1,SUSPEND:%s", state_file);
  g_autofree char *resume = g_strdup_printf ("create=l:xen-d1,RESUME:%s,CONSOLE:none", state_file);
  g_autofree char *d1 = conf_of ("xen-d1");
  g_autofree char *machine_line = g_strdup_printf ("\nlabxen;XEN;xen-d1;%s;", d1);
  g_autoptr(XenRun) create = NULL, list = NULL, machine = NULL, dup = NULL, pause = NULL, unpause = NULL,
                 reboot = NULL, susp = NULL, res = NULL, size = NULL, off = NULL, create2 = NULL, force = NULL;
  guint n;
  double t;

  xen_xl_off ("xen-d1");
  g_free (dom0 ("rm", "-f", state_file));
  n = xen_banners ("xen-d1");

  create = ctys ("-a", "create=l:xen-d1,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (create->status, ==, 0);
  test_assert_contains (create->out, "xen-d1 runs");
  xen_assert_xl ("xen-d1", "running");
  t = xen_wait_banners ("xen-d1", n + 1);
  g_test_message ("timing: xl create %.1f s, then banner after %.1f s more", create->seconds, t);

  /* LIST: Domain-0 and the DomU, with the back-link to its config */
  list = ctys ("-t", "xen", "-a", "list", "-p", db, host);
  g_assert_cmpint (list->status, ==, 0);
  test_assert_contains (list->out, "|Domain-0 ");
  test_assert_contains (list->out, "|xen-d1 ");
  test_assert_contains (list->out, "|XEN ");
  machine = ctys ("-t", "xen", "-a", "list=machine,titleidx", "-p", db, host);
  g_assert_cmpint (machine->status, ==, 0);
  g_assert_true (g_str_has_prefix (machine->out, "ContainingMachine(1);SessionType(2);Label(3);ID(4);"));
  test_assert_contains (machine->out, "\nlabxen;XEN;Domain-0;");
  test_assert_contains (machine->out, machine_line);
  test_assert_contains (machine->out, ";00:16:3e:de:c0:51;");
  test_assert_contains (machine->out, ";xen-4.17");

  /* CREATE again: it runs already */
  dup = ctys ("-a", "create=l:xen-d1,REUSE,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (dup->status, ==, 0);
  test_assert_contains (dup->out, "runs already");

  /* S3 pauses (ctys's PAUSE is refused, as in ctys); RESUME without a file unpauses */
  pause = ctys ("-a", "cancel=l:xen-d1,S3", "-p", db, host);
  g_assert_cmpint (pause->status, ==, 0);
  xen_assert_xl ("xen-d1", "paused");
  g_test_message ("timing: pause %.1f s", pause->seconds);
  unpause = ctys ("-a", "create=l:xen-d1,RESUME,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (unpause->status, ==, 0);
  xen_assert_xl ("xen-d1", "running");

  /* REBOOT: the guest boots again (a new banner in the console log) */
  reboot = ctys ("-a", "cancel=l:xen-d1,REBOOT", "-p", db, host);
  g_assert_cmpint (reboot->status, ==, 0);
  t = xen_wait_banners ("xen-d1", n + 2);
  xen_wait_running ("xen-d1");
  g_test_message ("timing: reboot %.1f s, banner after %.1f s more", reboot->seconds, t);

  /* SUSPEND:<file> is "xl save"; RESUME:<file> is "xl restore" */
  susp = ctys ("-a", suspend, "-p", db, host);
  g_assert_cmpint (susp->status, ==, 0);
  xen_assert_xl ("xen-d1", "absent");
  size = dom0 ("stat", "-c", "%s", state_file);
  g_assert_cmpint (size->status, ==, 0);
  g_assert_cmpint (g_ascii_strtoull (size->out, NULL, 10), >, 64 * 1024 * 1024);   /* 128 MiB of RAM */
  res = ctys ("-a", resume, "-p", db, host);
  g_assert_cmpint (res->status, ==, 0);
  test_assert_contains (res->out, "restored from");
  xen_assert_xl ("xen-d1", "running");
  g_assert_cmpuint (xen_banners ("xen-d1"), ==, n + 2);   /* restored, not booted */
  g_test_message ("timing: save %.1f s, restore %.1f s", susp->seconds, res->seconds);

  /* POWEROFF: xl shutdown; the guest's /sbin/poweroff is immediate */
  off = ctys ("-a", "cancel=l:xen-d1,POWEROFF:120", "-p", db, host);
  g_assert_cmpint (off->status, ==, 0);
  test_assert_contains (off->out, "xen-d1 is shut off");
  xen_assert_xl ("xen-d1", "absent");
  g_test_message ("timing: poweroff %.1f s", off->seconds);

  /* FORCE: xl destroy */
  create2 = ctys ("-a", "create=l:xen-d1,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (create2->status, ==, 0);
  xen_assert_xl ("xen-d1", "running");
  force = ctys ("-a", "cancel=l:xen-d1,FORCE", "-p", db, host);
  g_assert_cmpint (force->status, ==, 0);
  xen_assert_xl ("xen-d1", "absent");
  g_test_message ("timing: create %.1f s, destroy %.1f s", create2->seconds, force->seconds);
  g_free (dom0 ("rm", "-f", state_file));
}

/* CANCEL ALL: every DomU of the host goes, Domain-0 stays. */
static void
test_cancel_all (void)
{
  g_autoptr(XenRun) c1 = NULL, c2 = NULL, all = NULL, machine = NULL;
  g_autofree char *line = NULL;
  const char *at;

  xen_xl_off ("xen-d1");
  xen_xl_off ("xen-d2");
  c1 = ctys ("-a", "create=l:xen-d1,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (c1->status, ==, 0);
  c2 = ctys ("-a", "create=l:xen-d2,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (c2->status, ==, 0);
  xen_assert_xl ("xen-d1", "running");
  xen_assert_xl ("xen-d2", "running");
  g_test_message ("timing: create xen-d1 %.1f s, xen-d2 (with vfb) %.1f s", c1->seconds, c2->seconds);

  /* xen-d2's PV framebuffer: display 0, port 5900 (xl left the port to the device model:
   * LIST reads it from xenstore) */
  machine = ctys ("-t", "xen", "-a", "list=machine", "-p", db, host);
  g_assert_cmpint (machine->status, ==, 0);
  at = strstr (machine->out, "labxen;XEN;xen-d2;");
  g_assert_nonnull (at);
  line = g_strndup (at, strcspn (at, "\n"));
  test_assert_contains (line, ";00:16:3e:de:c0:52;;0;5900;");

  all = ctys ("-a", "cancel=ALL,FORCE", "-p", db, host);
  g_assert_cmpint (all->status, ==, 0);
  xen_assert_xl ("xen-d1", "absent");
  xen_assert_xl ("xen-d2", "absent");
  xen_assert_xl ("Domain-0", "running");
  g_test_message ("timing: cancel ALL %.1f s", all->seconds);
}

/* -Z SUDO: a non-root login whose sudoers rule allows xl (and virsh) only. */
static void
test_sudo (void)
{
  g_autofree char *login = g_strdup_printf ("%s@%s", g_getenv ("LAB_XEN_USER"), host);
  g_autoptr(XenRun) id = NULL, plain = NULL, create = NULL, list = NULL, off = NULL;

  xen_xl_off ("xen-d1");
  id = dom0 ("runuser", "-u", g_getenv ("LAB_XEN_USER"), "--", "id", "-u");
  g_assert_cmpint (id->status, ==, 0);
  g_assert_cmpstr (g_strstrip (id->out), !=, "0");

  plain = ctys ("--backend=xl", "-a", "list", "-p", db, login);
  g_assert_cmpint (plain->status, !=, 0);
  test_assert_contains (plain->err, "-Z SUDO");

  create = ctys ("-Z", "SUDO", "-a", "create=l:xen-d1,CONSOLE:none", "-p", db, login);
  g_assert_cmpint (create->status, ==, 0);
  xen_assert_xl ("xen-d1", "running");
  list = ctys ("-Z", "SUDO", "--backend=xl", "-a", "list", "-p", db, login);
  g_assert_cmpint (list->status, ==, 0);
  test_assert_contains (list->out, "|xen-d1 ");
  off = ctys ("-Z", "SUDO", "-a", "cancel=l:xen-d1,FORCE", "-p", db, login);
  g_assert_cmpint (off->status, ==, 0);
  xen_assert_xl ("xen-d1", "absent");
}

/* --backend=libvirt: the same through libvirt's libxl driver over xen+ssh://. */
static char *
virsh_state (const char *name)
{
  g_autoptr(XenRun) r = dom0 ("virsh", "-c", "xen:///system", "domstate", name);

  return r->status == 0 ? g_strdup (g_strstrip (r->out)) : g_strdup ("(none)");
}

static void
test_libvirt (void)
{
  g_autofree char *state_file = g_strdup_printf ("%s/xen-d2.lvsave", g_getenv ("LAB_XEN_SAVE_DIR"));
  g_autofree char *suspend = g_strdup_printf ("cancel=l:xen-d2,SUSPEND:%s", state_file);
  g_autofree char *resume = g_strdup_printf ("create=l:xen-d2,RESUME:%s,CONSOLE:none", state_file);
  g_autoptr(XenRun) create = NULL, list = NULL, pause = NULL, unpause = NULL, reboot = NULL, susp = NULL,
                 size = NULL, res = NULL, off = NULL, create2 = NULL, force = NULL;
  g_autofree char *state = NULL;
  guint n;
  double t;

  xen_xl_off ("xen-d2");
  g_free (dom0 ("rm", "-f", state_file));
  n = xen_banners ("xen-d2");
  create = ctys ("--backend=libvirt", "-a", "create=l:xen-d2,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (create->status, ==, 0);
  g_assert_null (strstr (create->out, "xl create"));
  state = virsh_state ("xen-d2");
  g_assert_cmpstr (state, ==, "running");
  xen_assert_xl ("xen-d2", "running");
  t = xen_wait_banners ("xen-d2", n + 1);
  g_test_message ("timing: libvirt create %.1f s, then banner after %.1f s more", create->seconds, t);

  list = ctys ("--backend=libvirt", "-t", "xen", "-a", "list", "-p", db, host);
  g_assert_cmpint (list->status, ==, 0);
  test_assert_contains (list->out, "|Domain-0 ");
  test_assert_contains (list->out, "|xen-d2 ");

  pause = ctys ("--backend=libvirt", "-a", "cancel=l:xen-d2,S3", "-p", db, host);
  g_assert_cmpint (pause->status, ==, 0);
  g_free (state);
  state = virsh_state ("xen-d2");
  g_assert_cmpstr (state, ==, "paused");
  xen_assert_xl ("xen-d2", "paused");
  unpause = ctys ("--backend=libvirt", "-a", "create=l:xen-d2,RESUME,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (unpause->status, ==, 0);
  g_free (state);
  state = virsh_state ("xen-d2");
  g_assert_cmpstr (state, ==, "running");

  reboot = ctys ("--backend=libvirt", "-a", "cancel=l:xen-d2,REBOOT", "-p", db, host);
  g_assert_cmpint (reboot->status, ==, 0);
  t = xen_wait_banners ("xen-d2", n + 2);
  xen_wait_running ("xen-d2");
  g_test_message ("timing: libvirt reboot %.1f s, banner after %.1f s more", reboot->seconds, t);

  /* SUSPEND:<file> / RESUME:<file> (libvirt's libxl driver cannot read the file's XML:
   * vmdeck restores without checking the name there) */
  susp = ctys ("--backend=libvirt", "-a", suspend, "-p", db, host);
  g_assert_cmpint (susp->status, ==, 0);
  g_free (state);
  state = virsh_state ("xen-d2");
  g_assert_cmpstr (state, ==, "shut off");
  xen_assert_xl ("xen-d2", "absent");
  size = dom0 ("stat", "-c", "%s", state_file);
  g_assert_cmpint (size->status, ==, 0);
  g_assert_cmpint (g_ascii_strtoull (size->out, NULL, 10), >, 64 * 1024 * 1024);
  res = ctys ("--backend=libvirt", "-a", resume, "-p", db, host);
  g_assert_cmpint (res->status, ==, 0);
  g_free (state);
  state = virsh_state ("xen-d2");
  g_assert_cmpstr (state, ==, "running");
  g_assert_cmpuint (xen_banners ("xen-d2"), ==, n + 2);   /* restored, not booted */
  g_test_message ("timing: libvirt save %.1f s, restore %.1f s", susp->seconds, res->seconds);

  off = ctys ("--backend=libvirt", "-a", "cancel=l:xen-d2,POWEROFF:120", "-p", db, host);
  g_assert_cmpint (off->status, ==, 0);
  test_assert_contains (off->out, "xen-d2 is shut off");
  xen_assert_xl ("xen-d2", "absent");

  create2 = ctys ("--backend=libvirt", "-a", "create=l:xen-d2,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (create2->status, ==, 0);
  xen_assert_xl ("xen-d2", "running");
  force = ctys ("--backend=libvirt", "-a", "cancel=l:xen-d2,FORCE", "-p", db, host);
  g_assert_cmpint (force->status, ==, 0);
  xen_assert_xl ("xen-d2", "absent");
  g_free (state);
  state = virsh_state ("xen-d2");
  g_assert_cmpstr (state, ==, "shut off");
  g_test_message ("timing: libvirt poweroff %.1f s, create %.1f s, destroy %.1f s", off->seconds,
                  create2->seconds, force->seconds);
  g_free (dom0 ("rm", "-f", state_file));
}

/* A stopped libvirtd: INFO says so, libvirt actions fail clearly, xl still works. */
static void
test_libvirtd_stopped (void)
{
  g_autoptr(XenRun) info = NULL, lv = NULL, xl = NULL;

  xen_lab_command ("stop", "libvirtd");
  info = ctys ("-a", "info", host);
  lv = ctys ("--backend=libvirt", "-t", "xen", "-a", "list", "-p", db, host);
  xl = ctys ("-t", "xen", "-a", "list", "-p", db, host);
  xen_lab_command ("start", "libvirtd");
  g_assert_cmpint (info->status, ==, 0);
  test_assert_contains (info->out, "backend-libvirt    absent");
  test_assert_contains (info->out, "backend-xl         present");
  g_assert_cmpint (lv->status, !=, 0);
  test_assert_contains (lv->err, "labxen");
  g_assert_cmpint (xl->status, ==, 0);
  test_assert_contains (xl->out, "|Domain-0 ");
}

/* A stopped xenstored: INFO reports the xl backend unavailable, and xl actions fail with
 * a message instead of hanging. Last: xenstored cannot be restarted cleanly. */
static void
test_xenstored_stopped (void)
{
  g_autoptr(XenRun) info = NULL, create = NULL;

  xen_lab_command ("stop", "xenstored");
  info = ctys ("-a", "info", host);
  g_assert_cmpint (info->status, ==, 0);
  test_assert_contains (info->out, "hypervisor         xen");
  g_assert_null (strstr (info->out, "backend-xl         present"));
  test_assert_contains (info->out, "backend-xl         unavailable");
  create = ctys ("--backend=xl", "-a", "create=l:xen-d1,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (create->status, !=, 0);
  test_assert_contains (create->err, "labxen: 'xl list -l' did not answer");
  test_assert_contains (create->err, "is xenstored running there?");
  g_test_message ("timing: xl create without xenstored failed after %.1f s", create->seconds);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *skip = NULL, *dbopt = NULL, *base = NULL;
  g_autoptr(XenRun) gen = NULL;

  g_test_init (&argc, &argv, NULL);
  if ((skip = xen_test_setup (FALSE)) != NULL)
    {
      printf ("1..0 # SKIP %s\n", skip);
      return 0;
    }
  host = g_getenv ("LAB_XEN_HOST");

  /* one inventory for all cases */
  db = g_build_filename (g_getenv ("LAB_XEN_DIR"), "db", NULL);
  dbopt = g_strconcat ("--cacheDB=", db, NULL);
  base = g_strconcat ("--base=", g_getenv ("LAB_XEN_BASE"), NULL);
  gen = xen_prog ("ctys-vdbgen", (const char *[]) { "--replace", dbopt, base, "--", host, NULL });
  g_assert_cmpint (gen->status, ==, 0);

  g_test_add_func ("/xen/enumerate", test_enumerate);
  g_test_add_func ("/xen/info", test_info);
  g_test_add_func ("/xen/xl-lifecycle", test_xl_lifecycle);
  g_test_add_func ("/xen/xl-cancel-all", test_cancel_all);
  g_test_add_func ("/xen/xl-sudo", test_sudo);
  g_test_add_func ("/xen/libvirt-lifecycle", test_libvirt);
  g_test_add_func ("/xen/libvirtd-stopped", test_libvirtd_stopped);
  g_test_add_func ("/xen/xenstored-stopped", test_xenstored_stopped);
  return g_test_run ();
}
