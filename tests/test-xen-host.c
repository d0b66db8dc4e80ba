/* test-xen-host.c: vmdeck's Xen paths against a real Xen 4.17 host (suite xen)
 *
 * The host is tests/lab/xenhost: Xen 4.17 with a Debian 12 Dom0 under QEMU (TCG), reached
 * over ssh on a loopback port ("labxen" in the ssh config it exports). The program uses a
 * running one ($LAB_XEN_DIR, "xenhost env") or brings one up and takes it down at the end.
 * It skips, with the reason, when the host cannot be built or booted here (not root, no
 * QEMU, Debian's archive unreachable for the image build).
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
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "testutil.h"

/* Generous: TCG twice over (xl create ~20-40 s, save ~15 s, restore ~30-45 s). */
#define CTYS_TIMEOUT 300
#define BANNER_TIMEOUT 240

static char *xenhost_script;
static char *db;            /* inventory of the Xen host */
static char *runtime_dir;
static const char *host;    /* "labxen" */

/* --- running things ------------------------------------------------------------------------ */

typedef struct {
  int status;
  char *out;
  char *err;
  double seconds;
} Run;

static void
run_free (Run *r)
{
  if (r == NULL)
    return;
  g_free (r->out);
  g_free (r->err);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Runs argv (no shell) under "timeout": a hung command fails the test instead of hanging it. */
static Run *
run_argv (const char * const *argv,
          guint               timeout)
{
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *t = g_strdup_printf ("%u", timeout);
  Run *r = g_new0 (Run, 1);
  gint64 t0 = g_get_monotonic_time ();
  int status;

  g_ptr_array_add (a, g_strdup ("timeout"));
  g_ptr_array_add (a, g_strdup ("-k"));
  g_ptr_array_add (a, g_strdup ("10"));
  g_ptr_array_add (a, g_strdup (t));
  for (guint i = 0; argv[i]; i++)
    g_ptr_array_add (a, g_strdup (argv[i]));
  g_ptr_array_add (a, NULL);
  if (!g_spawn_sync (NULL, (char **) a->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &r->out, &r->err,
                     &status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  r->seconds = (g_get_monotonic_time () - t0) / 1e6;
  r->status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  if (r->status == 124 || r->status == 137)
    g_error ("%s did not finish within %u s", argv[0], timeout);
  return r;
}

/* ctys (or another built program) with XDG_RUNTIME_DIR private to the test. */
static Run *
prog (const char         *name,
      const char * const *args)
{
  g_autofree char *path = test_program_path (name);
  g_autoptr(GPtrArray) a = g_ptr_array_new ();
  Run *r;

  g_ptr_array_add (a, path);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (a, (gpointer) args[i]);
  g_ptr_array_add (a, NULL);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  r = run_argv ((const char * const *) a->pdata, CTYS_TIMEOUT);
  g_test_message ("%s %s: exit %d after %.1f s\nstdout: %s\nstderr: %s", name,
                  args[0] ? args[1] ? args[1] : args[0] : "", r->status, r->seconds, r->out, r->err);
  return r;
}

#define ctys(...) prog ("ctys", (const char *[]) { __VA_ARGS__, NULL })

/* A command on the Dom0 as root. The words are constants of this file (names of the lab's
 * DomUs and paths without blanks): ssh joins them with spaces for the remote shell. */
static Run *
dom0_argv (const char * const *words)
{
  g_auto(GStrv) ssh = g_strsplit (g_getenv ("VMDECK_SSH"), " ", -1);
  g_autoptr(GPtrArray) a = g_ptr_array_new ();

  for (guint i = 0; ssh[i]; i++)
    if (*ssh[i])
      g_ptr_array_add (a, ssh[i]);
  g_ptr_array_add (a, (gpointer) host);
  for (guint i = 0; words[i]; i++)
    g_ptr_array_add (a, (gpointer) words[i]);
  g_ptr_array_add (a, NULL);
  return run_argv ((const char * const *) a->pdata, 120);
}

#define dom0(...) dom0_argv ((const char *[]) { __VA_ARGS__, NULL })

static void
xenhost (const char *command,
         const char *arg)
{
  char *argv[] = { xenhost_script, (char *) command, (char *) arg, NULL };
  g_autoptr(Run) r = run_argv ((const char * const *) argv, 600);

  if (r->status != 0)
    g_error ("xenhost %s %s failed (%d): %s", command, arg ? arg : "", r->status, r->err);
}

/* --- the Dom0's view ------------------------------------------------------------------------- */

/* The state letters of @name in "xl list" ("r-----", "--p---", ...), NULL when not listed. */
static char *
xl_state (const char *name)
{
  g_autoptr(Run) r = dom0 ("xl", "list");
  g_auto(GStrv) lines = NULL;

  if (r->status != 0)
    g_error ("xl list on the Dom0 failed: %s", r->err);
  lines = g_strsplit (r->out, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto(GStrv) w = g_strsplit_set (lines[i], " \t", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();

      for (guint j = 0; w[j]; j++)
        if (*w[j])
          g_ptr_array_add (words, w[j]);
      if (words->len >= 6 && strcmp (words->pdata[0], name) == 0)
        return g_strdup (words->pdata[4]);
    }
  return NULL;
}

static gboolean
xl_running (const char *name)
{
  g_autofree char *s = xl_state (name);

  /* r: running, b: blocked (idle); paused, shut down, crashed or dying is not running */
  return s != NULL && strlen (s) == 6 && (s[0] == 'r' || s[1] == 'b') && s[2] == '-' && s[3] == '-'
         && s[4] == '-' && s[5] == '-';
}

static void
assert_xl (const char *name,
           const char *what)
{
  g_autofree char *s = xl_state (name);

  if (g_str_equal (what, "absent"))
    {
      /* a destroyed domain may linger a few seconds as shut down / dying ("--ps--") */
      gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

      while (s != NULL && g_get_monotonic_time () < deadline && (s[3] == 's' || s[5] == 'd'))
        {
          g_usleep (G_USEC_PER_SEC);
          g_free (s);
          s = xl_state (name);
        }
      if (s != NULL)
        g_error ("%s is still listed by xl (%s)", name, s);
    }
  else if (g_str_equal (what, "paused"))
    {
      if (s == NULL || s[2] != 'p')
        g_error ("%s is not paused: xl list says '%s'", name, s ? s : "(not listed)");
    }
  else if (!xl_running (name))
    {
      g_autofree char *again = xl_state (name);

      g_error ("%s is not running: xl list says '%s'", name, again ? again : "(not listed)");
    }
}

static void
xl_off (const char *name)
{
  g_autoptr(Run) r = dom0 ("xl", "destroy", name);   /* fails when it is not running: fine */
}

static guint
banners (const char *name)
{
  g_autofree char *log = g_strdup_printf ("%s/guest-%s.log", g_getenv ("LAB_XEN_CONSOLE_DIR"), name);
  g_autofree char *needle = g_strdup_printf ("VMDECK-XEN %s READY", name);
  g_autoptr(Run) r = dom0 ("cat", log);
  guint n = 0;

  for (const char *p = r->out; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* Waits for banner number @count of @name; returns the seconds it took. */
static double
wait_banners (const char *name,
              guint       count)
{
  gint64 t0 = g_get_monotonic_time ();
  gint64 deadline = t0 + BANNER_TIMEOUT * G_USEC_PER_SEC;

  while (banners (name) < count)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s: no console banner #%u within %d s", name, count, BANNER_TIMEOUT);
      g_usleep (2 * G_USEC_PER_SEC);
    }
  return (g_get_monotonic_time () - t0) / 1e6;
}

/* Until xl lists @name as running (a domain that reboots is re-created by xl's monitor). */
static void
wait_running (const char *name)
{
  gint64 deadline = g_get_monotonic_time () + BANNER_TIMEOUT * G_USEC_PER_SEC;

  while (!xl_running (name))
    {
      if (g_get_monotonic_time () > deadline)
        assert_xl (name, "running");
      g_usleep (2 * G_USEC_PER_SEC);
    }
}

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
  g_autoptr(Run) en = ctys ("-a", base, host);

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
  g_autoptr(Run) info = ctys ("-a", "info", host);

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
  g_autoptr(Run) create = NULL, list = NULL, machine = NULL, dup = NULL, pause = NULL, unpause = NULL,
                 reboot = NULL, susp = NULL, res = NULL, size = NULL, off = NULL, create2 = NULL, force = NULL;
  guint n;
  double t;

  xl_off ("xen-d1");
  g_free (dom0 ("rm", "-f", state_file));
  n = banners ("xen-d1");

  create = ctys ("-a", "create=l:xen-d1,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (create->status, ==, 0);
  test_assert_contains (create->out, "xen-d1 runs");
  assert_xl ("xen-d1", "running");
  t = wait_banners ("xen-d1", n + 1);
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
  assert_xl ("xen-d1", "paused");
  g_test_message ("timing: pause %.1f s", pause->seconds);
  unpause = ctys ("-a", "create=l:xen-d1,RESUME,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (unpause->status, ==, 0);
  assert_xl ("xen-d1", "running");

  /* REBOOT: the guest boots again (a new banner in the console log) */
  reboot = ctys ("-a", "cancel=l:xen-d1,REBOOT", "-p", db, host);
  g_assert_cmpint (reboot->status, ==, 0);
  t = wait_banners ("xen-d1", n + 2);
  wait_running ("xen-d1");
  g_test_message ("timing: reboot %.1f s, banner after %.1f s more", reboot->seconds, t);

  /* SUSPEND:<file> is "xl save"; RESUME:<file> is "xl restore" */
  susp = ctys ("-a", suspend, "-p", db, host);
  g_assert_cmpint (susp->status, ==, 0);
  assert_xl ("xen-d1", "absent");
  size = dom0 ("stat", "-c", "%s", state_file);
  g_assert_cmpint (size->status, ==, 0);
  g_assert_cmpint (g_ascii_strtoull (size->out, NULL, 10), >, 64 * 1024 * 1024);   /* 128 MiB of RAM */
  res = ctys ("-a", resume, "-p", db, host);
  g_assert_cmpint (res->status, ==, 0);
  test_assert_contains (res->out, "restored from");
  assert_xl ("xen-d1", "running");
  g_assert_cmpuint (banners ("xen-d1"), ==, n + 2);   /* restored, not booted */
  g_test_message ("timing: save %.1f s, restore %.1f s", susp->seconds, res->seconds);

  /* POWEROFF: xl shutdown; the guest's /sbin/poweroff is immediate */
  off = ctys ("-a", "cancel=l:xen-d1,POWEROFF:120", "-p", db, host);
  g_assert_cmpint (off->status, ==, 0);
  test_assert_contains (off->out, "xen-d1 is shut off");
  assert_xl ("xen-d1", "absent");
  g_test_message ("timing: poweroff %.1f s", off->seconds);

  /* FORCE: xl destroy */
  create2 = ctys ("-a", "create=l:xen-d1,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (create2->status, ==, 0);
  assert_xl ("xen-d1", "running");
  force = ctys ("-a", "cancel=l:xen-d1,FORCE", "-p", db, host);
  g_assert_cmpint (force->status, ==, 0);
  assert_xl ("xen-d1", "absent");
  g_test_message ("timing: create %.1f s, destroy %.1f s", create2->seconds, force->seconds);
  g_free (dom0 ("rm", "-f", state_file));
}

/* CANCEL ALL: every DomU of the host goes, Domain-0 stays. */
static void
test_cancel_all (void)
{
  g_autoptr(Run) c1 = NULL, c2 = NULL, all = NULL, machine = NULL;
  g_autofree char *line = NULL;
  const char *at;

  xl_off ("xen-d1");
  xl_off ("xen-d2");
  c1 = ctys ("-a", "create=l:xen-d1,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (c1->status, ==, 0);
  c2 = ctys ("-a", "create=l:xen-d2,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (c2->status, ==, 0);
  assert_xl ("xen-d1", "running");
  assert_xl ("xen-d2", "running");
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
  assert_xl ("xen-d1", "absent");
  assert_xl ("xen-d2", "absent");
  assert_xl ("Domain-0", "running");
  g_test_message ("timing: cancel ALL %.1f s", all->seconds);
}

/* -Z SUDO: a non-root login whose sudoers rule allows xl (and virsh) only. */
static void
test_sudo (void)
{
  g_autofree char *login = g_strdup_printf ("%s@%s", g_getenv ("LAB_XEN_USER"), host);
  g_autoptr(Run) id = NULL, plain = NULL, create = NULL, list = NULL, off = NULL;

  xl_off ("xen-d1");
  id = dom0 ("runuser", "-u", g_getenv ("LAB_XEN_USER"), "--", "id", "-u");
  g_assert_cmpint (id->status, ==, 0);
  g_assert_cmpstr (g_strstrip (id->out), !=, "0");

  plain = ctys ("--backend=xl", "-a", "list", "-p", db, login);
  g_assert_cmpint (plain->status, !=, 0);
  test_assert_contains (plain->err, "-Z SUDO");

  create = ctys ("-Z", "SUDO", "-a", "create=l:xen-d1,CONSOLE:none", "-p", db, login);
  g_assert_cmpint (create->status, ==, 0);
  assert_xl ("xen-d1", "running");
  list = ctys ("-Z", "SUDO", "--backend=xl", "-a", "list", "-p", db, login);
  g_assert_cmpint (list->status, ==, 0);
  test_assert_contains (list->out, "|xen-d1 ");
  off = ctys ("-Z", "SUDO", "-a", "cancel=l:xen-d1,FORCE", "-p", db, login);
  g_assert_cmpint (off->status, ==, 0);
  assert_xl ("xen-d1", "absent");
}

/* --backend=libvirt: the same through libvirt's libxl driver over xen+ssh://. */
static char *
virsh_state (const char *name)
{
  g_autoptr(Run) r = dom0 ("virsh", "-c", "xen:///system", "domstate", name);

  return r->status == 0 ? g_strdup (g_strstrip (r->out)) : g_strdup ("(none)");
}

static void
test_libvirt (void)
{
  g_autofree char *state_file = g_strdup_printf ("%s/xen-d2.lvsave", g_getenv ("LAB_XEN_SAVE_DIR"));
  g_autofree char *suspend = g_strdup_printf ("cancel=l:xen-d2,SUSPEND:%s", state_file);
  g_autofree char *resume = g_strdup_printf ("create=l:xen-d2,RESUME:%s,CONSOLE:none", state_file);
  g_autoptr(Run) create = NULL, list = NULL, pause = NULL, unpause = NULL, reboot = NULL, susp = NULL,
                 size = NULL, res = NULL, off = NULL, create2 = NULL, force = NULL;
  g_autofree char *state = NULL;
  guint n;
  double t;

  xl_off ("xen-d2");
  g_free (dom0 ("rm", "-f", state_file));
  n = banners ("xen-d2");
  create = ctys ("--backend=libvirt", "-a", "create=l:xen-d2,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (create->status, ==, 0);
  g_assert_null (strstr (create->out, "xl create"));
  state = virsh_state ("xen-d2");
  g_assert_cmpstr (state, ==, "running");
  assert_xl ("xen-d2", "running");
  t = wait_banners ("xen-d2", n + 1);
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
  assert_xl ("xen-d2", "paused");
  unpause = ctys ("--backend=libvirt", "-a", "create=l:xen-d2,RESUME,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (unpause->status, ==, 0);
  g_free (state);
  state = virsh_state ("xen-d2");
  g_assert_cmpstr (state, ==, "running");

  reboot = ctys ("--backend=libvirt", "-a", "cancel=l:xen-d2,REBOOT", "-p", db, host);
  g_assert_cmpint (reboot->status, ==, 0);
  t = wait_banners ("xen-d2", n + 2);
  wait_running ("xen-d2");
  g_test_message ("timing: libvirt reboot %.1f s, banner after %.1f s more", reboot->seconds, t);

  /* SUSPEND:<file> / RESUME:<file> (libvirt's libxl driver cannot read the file's XML:
   * vmdeck restores without checking the name there) */
  susp = ctys ("--backend=libvirt", "-a", suspend, "-p", db, host);
  g_assert_cmpint (susp->status, ==, 0);
  g_free (state);
  state = virsh_state ("xen-d2");
  g_assert_cmpstr (state, ==, "shut off");
  assert_xl ("xen-d2", "absent");
  size = dom0 ("stat", "-c", "%s", state_file);
  g_assert_cmpint (size->status, ==, 0);
  g_assert_cmpint (g_ascii_strtoull (size->out, NULL, 10), >, 64 * 1024 * 1024);
  res = ctys ("--backend=libvirt", "-a", resume, "-p", db, host);
  g_assert_cmpint (res->status, ==, 0);
  g_free (state);
  state = virsh_state ("xen-d2");
  g_assert_cmpstr (state, ==, "running");
  g_assert_cmpuint (banners ("xen-d2"), ==, n + 2);   /* restored, not booted */
  g_test_message ("timing: libvirt save %.1f s, restore %.1f s", susp->seconds, res->seconds);

  off = ctys ("--backend=libvirt", "-a", "cancel=l:xen-d2,POWEROFF:120", "-p", db, host);
  g_assert_cmpint (off->status, ==, 0);
  test_assert_contains (off->out, "xen-d2 is shut off");
  assert_xl ("xen-d2", "absent");

  create2 = ctys ("--backend=libvirt", "-a", "create=l:xen-d2,CONSOLE:none", "-p", db, host);
  g_assert_cmpint (create2->status, ==, 0);
  assert_xl ("xen-d2", "running");
  force = ctys ("--backend=libvirt", "-a", "cancel=l:xen-d2,FORCE", "-p", db, host);
  g_assert_cmpint (force->status, ==, 0);
  assert_xl ("xen-d2", "absent");
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
  g_autoptr(Run) info = NULL, lv = NULL, xl = NULL;

  xenhost ("stop", "libvirtd");
  info = ctys ("-a", "info", host);
  lv = ctys ("--backend=libvirt", "-t", "xen", "-a", "list", "-p", db, host);
  xl = ctys ("-t", "xen", "-a", "list", "-p", db, host);
  xenhost ("start", "libvirtd");
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
  g_autoptr(Run) info = NULL, create = NULL;

  xenhost ("stop", "xenstored");
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

/* --- set-up ---------------------------------------------------------------------------- */

/* "xenhost <command>" evaluated: its LAB_XEN_* and VMDECK_SSH into this environment.
 * Returns its exit status; @err gets its stderr. */
static int
xenhost_eval (const char *command,
              char      **err)
{
  const char *script =
    "out=$(\"$1\" \"$2\") || exit $?; eval \"$out\" || exit 1; "
    "for v in $(compgen -v LAB_XEN_) VMDECK_SSH; do printf '%s=%s\\n' \"$v\" \"${!v}\"; done";
  char *argv[] = { (char *) "bash", (char *) "-c", (char *) script, (char *) "xenhost-eval",
                   xenhost_script, (char *) command, NULL };
  g_autofree char *vars = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &vars, err, &status, &error))
    g_error ("cannot run %s: %s", xenhost_script, error->message);
  if (!WIFEXITED (status))
    return 128;
  if (WEXITSTATUS (status) != 0)
    return WEXITSTATUS (status);
  lines = g_strsplit (vars, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq)
        {
          *eq = '\0';
          g_setenv (lines[i], eq + 1, TRUE);
        }
    }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  const char *src = g_getenv ("VMDECK_SRCDIR");
  g_autofree char *err = NULL, *dbopt = NULL, *base = NULL;
  g_autoptr(Run) gen = NULL;
  gint64 t0;
  int status = 1;

  g_test_init (&argc, &argv, NULL);
  xenhost_script = g_build_filename (src ? src : ".", "tests", "lab", "xenhost", NULL);
  if (g_getenv ("LAB_XEN_DIR"))
    {
      g_setenv ("VMDECK_XEN_DIR", g_getenv ("LAB_XEN_DIR"), TRUE);
      status = xenhost_eval ("env", &err);
    }
  if (status != 0)
    {
      g_clear_pointer (&err, g_free);
      printf ("# bringing the Xen host up (tests/lab/xenhost up; builds the image when it is not cached)\n");
      fflush (stdout);
      t0 = g_get_monotonic_time ();
      status = xenhost_eval ("up", &err);
      if (status == 77)
        {
          g_autofree char *why = g_strdup (g_strstrip (err));

          printf ("1..0 # SKIP the Xen host cannot run here: %s\n", why);
          return 0;
        }
      if (status != 0)
        {
          printf ("Bail out! tests/lab/xenhost up failed (status %d): %s\n", status, err);
          return 1;
        }
      test_take_down_after_tests (xenhost_script);
      printf ("# timing: xenhost up %.0f s (image build %s s, boot to ssh %s s)\n",
              (g_get_monotonic_time () - t0) / 1e6, g_getenv ("LAB_XEN_BUILD_SECONDS"),
              g_getenv ("LAB_XEN_BOOT_SECONDS"));
    }
  g_setenv ("VMDECK_XEN_DIR", g_getenv ("LAB_XEN_DIR"), TRUE);
  host = g_getenv ("LAB_XEN_HOST");
  runtime_dir = g_build_filename (g_getenv ("LAB_XEN_DIR"), "rt", NULL);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
  g_unsetenv ("VMDECK_NODENAME");

  /* one inventory for all cases */
  db = g_build_filename (g_getenv ("LAB_XEN_DIR"), "db", NULL);
  dbopt = g_strconcat ("--cacheDB=", db, NULL);
  base = g_strconcat ("--base=", g_getenv ("LAB_XEN_BASE"), NULL);
  gen = prog ("ctys-vdbgen", (const char *[]) { "--replace", dbopt, base, "--", host, NULL });
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
