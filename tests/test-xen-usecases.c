/* test-xen-usecases.c: the use cases of ctys-uc-XEN, as written, on the real Xen host (suite xen)
 *
 * The seed's command lines run with `-t xen` against the Xen lab host (tests/lab/xenhost)
 * with only the host names changed: lab00 and lab01 are both labxen (the lab has one Xen
 * host), and $HOME / /homen/<user> is /root (the seed's home directory on the target; the
 * targets log in as root, so -Z KSU finds root first and needs no prefix, spec §3.5).
 * Everything else is kept: the paths (xen/tst-ctys/tst100/tst100.conf), the addresses (f:,
 * p:, i:, l:, u:, m: with the seed's own UUID and MAC), the suboptions, -Z KSU in the target
 * options, -z 2 -b 0,2, -c off / -C off, the default cacheDB in $HOME/.ctys/db/default made
 * by ctys-vdbgen --base=xen (no -p anywhere).
 *
 * tst100 and tst101 are made here as xl configs in /root/xen/tst-ctys/<label>/ on the Dom0:
 * copies of the lab's DomUs (xen-d2, with a PV framebuffer on a free VNC display as the
 * seed recommends, "vncunused=1"; and xen-d1) with the seed's label, UUID and MAC. Each
 * case checks the real result: "xl list" on the Dom0, the console banner that xenconsoled
 * logs, the console text.
 *
 * Besides the seed: the shared directory of the lab ("NFS" at /srv/vmdeck/shared), which
 * the Xen host mounts too, gives multipath registration of its xl config on labxen, labh1
 * and labh2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "testutil.h"
#include "xen-testutil.h"

#define TST100_UUID "6842caf9-1e3e-4324-9ed5-96b8b9f2c5c2"
#define TST100_MAC  "00:50:56:13:11:40"
#define TST101_UUID "6842caf9-1e3e-4324-9ed5-96b8b9f2c5c3"
#define TST101_MAC  "00:50:56:13:11:41"
#define TST100_CONF "/root/xen/tst-ctys/tst100/tst100.conf"
#define TST101_CONF "/root/xen/tst-ctys/tst101/tst101.conf"

#define ctys xen_ctys

static const char *host;   /* labxen */

static void
assert_ok (XenRun *r)
{
  if (r->status != 0)
    g_error ("ctys failed (%d): %s%s", r->status, r->out, r->err);
}

/* Starts @label headless (a setup step, not a seed line) and waits for its banner */
static void
start (const char *label)
{
  g_autofree char *a = g_strdup_printf ("create=l:%s,CONSOLE:none", label);
  g_autoptr(XenRun) r = NULL;
  guint n;

  xen_xl_off (label);
  n = xen_banners (label);
  r = ctys ("-t", "xen", "-a", a, host);
  assert_ok (r);
  xen_assert_xl (label, "running");
  xen_wait_banners (label, n + 1);
}

/* A seed line with CONSOLE:cli runs in a terminal: a pty here. Waits for @wait_for (may be
 * NULL), then, with @echo_token, types a command whose output the guest computes (the pty's
 * own echo cannot contain it); Ctrl+] leaves xl console. Returns the seconds until the
 * console showed @wait_for or the answer. */
static double
cli_console (const char * const *argv,
             const char         *wait_for,
             const char         *echo_token)
{
  g_autofree char *line = g_strjoinv (" ", (char **) argv);
  g_autoptr(GString) seen = g_string_new (NULL);
  gint64 t0 = g_get_monotonic_time ();
  double seconds = 0;
  int master;
  GPid pid;

  g_test_message ("ctys %s (in a pty)", line);
  master = test_pty_spawn ("ctys", argv, NULL, &pid);
  if (wait_for && !test_read_until (master, seen, wait_for, XEN_BANNER_TIMEOUT))
    g_error ("%s: the console did not show '%s'; it showed: %s", line, wait_for, seen->str);
  if (echo_token)
    {
      g_autofree char *typed = g_strdup_printf ("\recho %s-$((6*7))\r", echo_token);
      g_autofree char *want = g_strdup_printf ("%s-42", echo_token);
      gboolean answered = FALSE;

      /* xl console attaches after ssh has logged in: type until the guest answers */
      for (guint attempt = 0; attempt < 12 && !answered; attempt++)
        {
          g_assert_cmpint (write (master, typed, strlen (typed)), ==, (gssize) strlen (typed));
          answered = test_read_until (master, seen, want, 10);
        }
      if (!answered)
        g_error ("%s: the typed command did not run; the console showed: %s", line, seen->str);
    }
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_assert_cmpint (write (master, "\x1d", 1), ==, 1);   /* Ctrl+] */
  g_assert_cmpint (test_wait_exit (pid), ==, 0);
  close (master);
  return seconds;
}

/* --- CREATE ------------------------------------------------------------------------------ */

/* "ctys -t xen -a create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli -z 2 -b 0,2
 * lab00'(-Z KSU)'" and the calls that connect to the running instance by path, path
 * fragments, ID, label, UUID and MAC. */
static void
test_create_cli_and_connect (void)
{
  static const char *connects[] = {
    "create=p:" TST100_CONF ",CONSOLE:cli,connect",
    "create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli,connect",
    "create=f:tst-ctys/tst100/tst100.conf,CONSOLE:cli,connect",
    "create=f:tst100/tst100.conf,CONSOLE:cli,connect",
    "create=i:" TST100_CONF ",CONSOLE:cli,connect",
    "create=l:tst100,CONSOLE:cli,connect",
    "create=u:6842caf91e3e43249ed596b8b9f2c5c2,CONSOLE:cli,connect",
    "create=m:" TST100_MAC ",CONSOLE:cli,connect",
  };
  g_autoptr(XenRun) no_ip = NULL, off = NULL;
  double t;

  xen_xl_off ("tst100");
  t = cli_console ((const char *[]) { "-t", "xen", "-a", "create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli",
                                      "-z", "2", "-b", "0,2", "labxen(-Z KSU)", NULL },
                   "VMDECK-XEN tst100 READY", NULL);
  g_test_message ("timing: CONSOLE:cli create to banner in the caller's terminal %.1f s", t);
  xen_assert_xl ("tst100", "running");

  for (guint i = 0; i < G_N_ELEMENTS (connects); i++)
    {
      g_autofree char *token = g_strdup_printf ("uc-connect-%u", i);

      t = cli_console ((const char *[]) { "-t", "xen", "-a", connects[i], "labxen(-Z KSU)", NULL }, NULL, token);
      g_test_message ("timing: %s: console attach and answer %.1f s", connects[i], t);
      xen_assert_xl ("tst100", "running");
    }

  /* The seed's IP line has no IP ("t:,"): an empty address part is refused clearly */
  no_ip = ctys ("-t", "xen", "-a", "create=t:,CONSOLE:cli,connect", "labxen(-Z KSU)");
  g_assert_cmpint (no_ip->status, ==, 1);
  test_assert_contains (no_ip->err, "empty value in address part “t:”");

  /* "ctys -t xen -a cancel=poweroff:0,p:/homen/acue/xen/tst-ctys/tst100/tst100.conf lab00'(-Z KSU)'" */
  off = ctys ("-t", "xen", "-a", "cancel=poweroff:0,p:" TST100_CONF, "labxen(-Z KSU)");
  assert_ok (off);
  xen_assert_xl ("tst100", "absent");
}

/* CONSOLE:xterm and CONSOLE:gterm (gnome-terminal, else xterm): the terminal shows the
 * console of the new DomU (xterm's own log); CANCEL ...,CLIENT closes it. */
static void
test_create_terminals (void)
{
  static const char *consoles[] = { "xterm", "gterm" };
  const char *dir = test_tmpdir ();
  g_autofree char *res = g_build_filename (dir, "xresources", NULL);

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("no display: terminal consoles open windows (tools/test runs under Xvfb)");
      return;
    }
  g_setenv ("XENVIRONMENT", res, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (consoles); i++)
    {
      g_autofree char *log = g_strdup_printf ("%s/%s.log", dir, consoles[i]);
      g_autofree char *res_text = g_strdup_printf ("XTerm*logging: true\nXTerm*logFile: %s\n", log);
      g_autofree char *a = g_strdup_printf ("create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:%s", consoles[i]);
      g_autofree char *gnome = g_find_program_in_path ("gnome-terminal");
      g_autoptr(XenRun) create = NULL, close_it = NULL;
      gint64 t0;

      if (i == 1 && gnome)
        {
          g_test_message ("CONSOLE:gterm not run: gnome-terminal is installed, whose window cannot be "
                          "read like xterm's log");
          continue;
        }
      test_write_file (res, res_text);
      xen_xl_off ("tst100");
      create = ctys ("-t", "xen", "-a", a, "labxen(-Z KSU)");
      assert_ok (create);
      test_assert_contains (create->out, "console: xterm");
      xen_assert_xl ("tst100", "running");
      t0 = g_get_monotonic_time ();
      if (!test_wait_file_contains (log, "VMDECK-XEN tst100 READY", XEN_BANNER_TIMEOUT))
        g_error ("CONSOLE:%s: the banner did not reach the terminal within %d s", consoles[i], XEN_BANNER_TIMEOUT);
      g_test_message ("timing: CONSOLE:%s create %.1f s, banner in the terminal %.1f s later", consoles[i],
                      create->seconds, (g_get_monotonic_time () - t0) / 1e6);
      close_it = ctys ("-a", "cancel=l:tst100,CLIENT", "labxen");
      assert_ok (close_it);
      xen_assert_xl ("tst100", "running");
      xen_xl_off ("tst100");
    }
  g_unsetenv ("XENVIRONMENT");
}

/* CONSOLE:vnc with the default -L DF and with -L CF: vmdeck's console window on tst100's
 * PV framebuffer (a free VNC display: the port comes from xenstore). "ctys -a list" on the
 * client machine shows the VNC client (C) and the SSH(XEN) tunnel (T); "ctys -a list
 * localhost lab00" also the server (S). */
static void
test_create_vnc_and_list (void)
{
  static const char *variants[][2] = { { NULL, NULL }, { "-L", "CF" } };

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("no display: CONSOLE:vnc opens a window (tools/test runs under Xvfb)");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(XenRun) create = NULL, list = NULL, both = NULL, close_it = NULL;
      const char *argv[] = { "-t", "xen", "-a", "create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:vnc",
                             variants[i][0] ? variants[i][0] : "labxen(-Z KSU)", variants[i][1],
                             variants[i][0] ? "labxen(-Z KSU)" : NULL, NULL };
      gint64 t0, deadline;

      xen_xl_off ("tst100");
      create = xen_prog ("ctys", argv);
      assert_ok (create);
      test_assert_contains (create->out, "console: a vmdeck VNC window on tst100");
      xen_assert_xl ("tst100", "running");

      t0 = g_get_monotonic_time ();
      deadline = t0 + 120 * G_USEC_PER_SEC;
      do
        {
          g_clear_pointer (&list, xen_run_free);
          list = ctys ("-a", "list");
          if (test_table_has_row (list->out, "tst100", "SSH(XEN)", "T") && test_table_has_row (list->out, "tst100", "VNC", "C"))
            break;
          g_usleep (500000);
        }
      while (g_get_monotonic_time () < deadline);
      test_assert_row (list->out, "tst100", "VNC", "C");
      test_assert_row (list->out, "tst100", "SSH(XEN)", "T");
      g_test_message ("timing: CONSOLE:vnc create %.1f s, window connected %.1f s later", create->seconds,
                      test_seconds_since (t0));

      both = ctys ("-a", "list", "localhost", "labxen");
      assert_ok (both);
      test_assert_row (both->out, "tst100", "VNC", "C");
      test_assert_row (both->out, "tst100", "SSH(XEN)", "T");
      test_assert_row (both->out, "tst100", "XEN", "S");

      close_it = ctys ("-a", "cancel=l:tst100,CLIENT", "labxen");
      assert_ok (close_it);
      xen_assert_xl ("tst100", "running");
      xen_xl_off ("tst100");
    }
}

/* Headless mode on lab00; SUSPEND into and RESUME from mystate.stat on lab01 (relative:
 * beside the config) */
static void
test_headless_and_resume (void)
{
  g_autoptr(XenRun) headless = NULL, save = NULL, stat = NULL, resume = NULL;
  guint n;

  xen_xl_off ("tst100");
  g_free (xen_dom0 ("rm", "-f", "/root/xen/tst-ctys/tst100/mystate.stat"));
  n = xen_banners ("tst100");
  /* "ctys -t xen -a create=l:tst100,CONSOLE:none lab00'(-Z KSU)'" */
  headless = ctys ("-t", "xen", "-a", "create=l:tst100,CONSOLE:none", "labxen(-Z KSU)");
  assert_ok (headless);
  xen_assert_xl ("tst100", "running");
  xen_wait_banners ("tst100", n + 1);

  save = ctys ("-t", "xen", "-a", "cancel=l:tst100,SUSPEND:mystate.stat", "labxen");
  assert_ok (save);
  xen_assert_xl ("tst100", "absent");
  stat = xen_dom0 ("stat", "-c", "%s", "/root/xen/tst-ctys/tst100/mystate.stat");
  g_assert_cmpint (stat->status, ==, 0);
  g_assert_cmpint (g_ascii_strtoull (stat->out, NULL, 10), >, 64 * 1024 * 1024);

  resume = ctys ("-t", "xen", "-a", "create=l:tst100,RESUME:mystate.stat", "labxen");
  assert_ok (resume);
  xen_assert_xl ("tst100", "running");
  g_assert_cmpuint (xen_banners ("tst100"), ==, n + 1);   /* restored, not booted */
  g_test_message ("timing: save %.1f s, restore %.1f s", save->seconds, resume->seconds);
  xen_xl_off ("tst100");
  g_free (xen_dom0 ("rm", "-f", "/root/xen/tst-ctys/tst100/mystate.stat"));
}

/* "CREATE multiple sessions": two DomUs in one call, per-target options superposed on the
 * default group's '(-Z KSU)'. In the seed, the third and fourth variants lack the line
 * continuation after their first target; they run as the one call they describe. The
 * fourth names lab00 and lab01: both are labxen here. */
static void
test_multiple_sessions (void)
{
  static const struct {
    const char *dflt, *t1, *t2;
  } calls[] = {
    { "(-Z KSU)", "labxen( -a create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:none )",
      "labxen( -a create=f:xen/tst-ctys/tst101/tst101.conf,CONSOLE:none )" },
    { "(-Z KSU)", "labxen(-a create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:none )",
      "labxen(-a create=f:xen/tst-ctys/tst101/tst101.conf,CONSOLE:none -Z SUDO)" },
    { NULL, "labxen(-a create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:none -Z KSU )",
      "labxen( -a create=f:xen/tst-ctys/tst101/tst101.conf,CONSOLE:none -Z SUDO )" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(XenRun) r = NULL;

      xen_xl_off ("tst100");
      xen_xl_off ("tst101");
      if (calls[i].dflt)
        r = ctys ("-t", "xen", "--", calls[i].dflt, calls[i].t1, calls[i].t2);
      else
        r = ctys ("-t", "xen", "--", calls[i].t1, calls[i].t2);
      assert_ok (r);
      xen_assert_xl ("tst100", "running");
      xen_assert_xl ("tst101", "running");
      g_test_message ("timing: two DomUs in one call %.1f s", r->seconds);
    }
  xen_xl_off ("tst100");
  xen_xl_off ("tst101");
}

/* "CANCEL a session": every method of the seed on lab01, INIT on lab00 */
static void
test_cancel_methods (void)
{
  static const struct {
    const char *argv[10];
    const char *after;       /* "running", "paused" or "absent" afterwards */
    gboolean    boots;       /* the guest boots again (a new banner) */
  } lines[] = {
    { { "-t", "xen", "-a", "cancel=l:tst100,POWEROFF:0", "labxen" }, "absent", FALSE },
    { { "-t", "xen", "-a", "cancel=l:tst100,POWEROFF:0", "-C", "off", "labxen" }, "absent", FALSE },
    { { "-t", "xen", "-a", "cancel=l:tst100,POWEROFF:0", "-c", "off", "-C", "off", "labxen" }, "absent", FALSE },
    { { "-t", "xen", "-a", "cancel=l:tst100,RESET", "-c", "off", "-C", "off", "labxen" }, "running", TRUE },
    { { "-t", "xen", "-a", "cancel=l:tst100,FORCE,RESET", "-c", "off", "-C", "off", "labxen" }, "running", TRUE },
    { { "-t", "xen", "-a", "cancel=l:tst100,REBOOT", "-c", "off", "-C", "off", "labxen" }, "running", TRUE },
    { { "-t", "xen", "-a", "cancel=l:tst100,FORCE,REBOOT", "-c", "off", "-C", "off", "labxen" }, "running", TRUE },
    { { "-t", "xen", "-a", "cancel=FORCE,REBOOT,p:" TST100_CONF, "-c", "off", "-C", "off", "labxen" }, "running", TRUE },
    { { "-t", "xen", "-a", "cancel=l:tst100,PAUSE", "labxen" }, "paused", FALSE },
    { { "-t", "xen", "-a", "cancel=l:tst100,FORCE,PAUSE", "labxen" }, "paused", FALSE },
    { { "-t", "xen", "-a", "cancel=l:tst100,SUSPEND", "labxen" }, "absent", FALSE },
    { { "-t", "xen", "-a", "cancel=l:tst100,FORCE,SUSPEND", "labxen" }, "absent", FALSE },
  };
  const char *stat = "/root/xen/tst-ctys/tst100/tst100.stat";
  g_autoptr(XenRun) init0 = NULL, init6 = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(XenRun) r = NULL;
      guint n;

      if (!xen_xl_running ("tst100"))
        start ("tst100");
      g_free (xen_dom0 ("rm", "-f", stat));
      n = xen_banners ("tst100");
      r = xen_prog ("ctys", lines[i].argv);
      assert_ok (r);
      if (lines[i].boots)
        {
          /* xl makes the domain anew: briefly paused ("--p---") while it builds it */
          double t = xen_wait_banners ("tst100", n + 1);

          xen_wait_running ("tst100");
          g_test_message ("timing: %s %.1f s, banner %.1f s later", lines[i].argv[3], r->seconds, t);
        }
      else
        g_test_message ("timing: %s %.1f s", lines[i].argv[3], r->seconds);
      xen_assert_xl ("tst100", lines[i].after);
      if (strstr (lines[i].argv[3], "SUSPEND"))
        {
          /* the default state file, beside the config */
          g_autoptr(XenRun) size = xen_dom0 ("stat", "-c", "%s", stat);

          g_assert_cmpint (size->status, ==, 0);
        }
      if (g_strcmp0 (lines[i].after, "paused") == 0)
        {
          g_autoptr(XenRun) resume = ctys ("-t", "xen", "-a", "create=l:tst100,RESUME", "labxen");

          assert_ok (resume);
          xen_assert_xl ("tst100", "running");
        }
    }
  g_free (xen_dom0 ("rm", "-f", stat));

  /* INIT is a function of the guest OS: tst100 is no host vmdeck knows (no IP, no sshd), so
   * nothing is done and it says so; the machine keeps running. */
  start ("tst100");
  init0 = ctys ("-t", "xen", "-a", "cancel=l:tst100,INIT:0", "labxen");
  assert_ok (init0);
  test_assert_contains (init0->out, "INIT:0 needs a guest host known to the inventory; nothing done for tst100");
  init6 = ctys ("-t", "xen", "-a", "cancel=l:tst100,FORCE,INIT:6", "labxen");
  assert_ok (init6);
  test_assert_contains (init6->out, "FORCE skips the guest; nothing done for tst100");
  xen_assert_xl ("tst100", "running");
  xen_xl_off ("tst100");
}

/* LIST, ENUMERATE, SHOW and INFO lines of the seed */
static void
test_list_enumerate_show_info (void)
{
  g_autoptr(XenRun) machine = NULL, all = NULL, typed = NULL, local_too = NULL, cport = NULL,
                    enumerate = NULL, enum_macro = NULL, show_t = NULL, show = NULL, info_t = NULL,
                    info = NULL;

  start ("tst100");
  start ("tst101");

  machine = ctys ("-t", "xen", "-a", "list=machine,titleidx", "labxen");
  assert_ok (machine);
  g_assert_true (g_str_has_prefix (machine->out, "ContainingMachine(1);SessionType(2);Label(3);ID(4);"));
  test_assert_contains (machine->out, "\nlabxen;XEN;Domain-0;");
  test_assert_contains (machine->out, "\nlabxen;XEN;tst100;" TST100_CONF ";" TST100_UUID);
  test_assert_contains (machine->out, ";" TST100_MAC ";");
  test_assert_contains (machine->out, "\nlabxen;XEN;tst101;" TST101_CONF ";" TST101_UUID);

  all = ctys ("-a", "list", "labxen");
  assert_ok (all);
  test_assert_contains (all->out, "TCP-container");
  test_assert_row (all->out, "tst101", "XEN", "S");
  test_assert_row (all->out, "Domain-0", "XEN", "S");
  typed = ctys ("-t", "xen", "-a", "list", "labxen");
  assert_ok (typed);
  test_assert_row (typed->out, "tst101", "XEN", "S");
  local_too = ctys ("-t", "xen", "-a", "list", "localhost", "labxen");
  assert_ok (local_too);
  test_assert_row (local_too->out, "tst101", "XEN", "S");
  cport = ctys ("-a", "list=macro:TAB_CPORT", "localhost", "labxen");
  assert_ok (cport);
  test_assert_contains (cport->out, "tst100");
  test_assert_contains (cport->out, "|cport|");

  enumerate = ctys ("-t", "xen", "-a", "enumerate=machine,title,b:xen", "localhost", "labxen");
  assert_ok (enumerate);
  test_assert_contains (enumerate->out, "labxen;XEN;tst100;" TST100_CONF ";" TST100_UUID ";" TST100_MAC ";");
  test_assert_contains (enumerate->out, "labxen;XEN;tst101;" TST101_CONF ";" TST101_UUID ";" TST101_MAC ";");
  g_assert_null (strstr (enumerate->out, "xen-d1"));   /* b:xen: only the seed's tree */
  /* The seed's hosts have ctys installed, with /etc/ctys.d; a base that does not exist is an
   * error on each target (spec §4.3 b:), reported per host. Without it, the same line with
   * the bases that exist. */
  enum_macro = ctys ("-a", "enumerate=macro:TAB_CPORT,b:xen%/etc/ctys.d", "localhost", "labxen");
  if (!g_file_test ("/etc/ctys.d", G_FILE_TEST_IS_DIR))
    {
      g_autoptr(XenRun) existing = NULL;

      g_assert_cmpint (enum_macro->status, ==, 1);
      test_assert_contains (enum_macro->err, "base directory /etc/ctys.d does not exist");
      test_assert_contains (enum_macro->err, "labxen");
      existing = ctys ("-a", "enumerate=macro:TAB_CPORT,b:xen", "localhost", "labxen");
      g_clear_pointer (&enum_macro, xen_run_free);
      enum_macro = g_steal_pointer (&existing);
    }
  assert_ok (enum_macro);
  test_assert_contains (enum_macro->out, "tst100");
  test_assert_contains (enum_macro->out, "tst101");

  show_t = ctys ("-t", "xen", "-a", "show", "labxen");
  assert_ok (show_t);
  test_assert_contains (show_t->out, "node               labxen");
  test_assert_contains (show_t->out, "load");
  show = ctys ("-a", "show", "labxen");
  assert_ok (show);
  test_assert_contains (show->out, "uptime-s");
  info_t = ctys ("-t", "xen", "-a", "info", "labxen");
  assert_ok (info_t);
  test_assert_contains (info_t->out, "hypervisor         xen");
  test_assert_contains (info_t->out, "backend-xl         present");
  info = ctys ("-a", "info", "labxen");
  assert_ok (info);
  test_assert_contains (info->out, "tool-xl");

  xen_xl_off ("tst100");
  xen_xl_off ("tst101");
}

/* Multipath registration: the lab's shared directory is mounted on labxen, labh1 and labh2;
 * its xl config is registered once per host. */
static void
test_multipath_shared (void)
{
  g_autofree char *fdb = g_build_filename (g_getenv ("HOME"), "mp", "enum.fdb", NULL);
  g_autofree char *dbopt = NULL, *text = NULL;
  g_autoptr(XenRun) gen = NULL, query = NULL;
  const char *conf = "/srv/vmdeck/shared/xen-shared/xen-shared.conf";
  const char *hosts[] = { "labxen", "labh1", "labh2" };

  if (g_getenv ("LAB_XEN_SHARED") == NULL)
    {
      g_test_skip ("the running Xen host was brought up without the lab's shared directory "
                   "(VMDECK_XEN_SHARED); take it down to let this program bring it up with it");
      return;
    }
  dbopt = g_strconcat ("--cacheDB=", g_getenv ("HOME"), "/mp", NULL);
  gen = xen_prog ("ctys-vdbgen", (const char *[]) { "--replace", dbopt, "--base=/srv/vmdeck/shared", "--",
                                                    "labxen", "labh1", "labh2", NULL });
  assert_ok (gen);
  g_assert_true (g_file_get_contents (fdb, &text, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *rec = g_strdup_printf ("%s;XEN;xen-shared;%s;", hosts[i], conf);

      test_assert_contains (text, rec);
    }
  g_assert_cmpuint (test_count_in (text, ";XEN;xen-shared;"), ==, 3);

  /* the same in one ENUMERATE call across the three hosts */
  query = ctys ("-t", "xen", "-a", "enumerate=machine,b:/srv/vmdeck/shared", "labxen", "labh1", "labh2");
  assert_ok (query);
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *rec = g_strdup_printf ("%s;XEN;xen-shared;%s;", hosts[i], conf);

      test_assert_contains (query->out, rec);
    }
}

/* tst100 (from xen-d2, PV framebuffer on a free VNC display) and tst101 (from xen-d1) in
 * /root/xen/tst-ctys/<label>/ on the Dom0, with the seed's label, UUID and MAC */
static void
make_seed_machines (void)
{
  static const struct {
    const char *label, *from, *uuid, *mac, *from_mac;
  } m[] = {
    { "tst100", "xen-d2", TST100_UUID, TST100_MAC, "00:16:3e:de:c0:52" },
    { "tst101", "xen-d1", TST101_UUID, TST101_MAC, "00:16:3e:de:c0:51" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (m); i++)
    {
      g_autofree char *dir = g_strdup_printf ("/root/xen/tst-ctys/%s", m[i].label);
      g_autofree char *from = g_strdup_printf ("%s/%s/%s/%s.conf", g_getenv ("LAB_XEN_BASE"),
                                               g_getenv ("LAB_XEN_GROUP"), m[i].from, m[i].from);
      g_autofree char *conf = g_strdup_printf ("%s/%s.conf", dir, m[i].label);
      g_autofree char *img = g_strdup_printf ("%s/%s.img", dir, m[i].label);
      /* words for the remote shell: constants of this file, quoted where they have blanks */
      g_autofree char *e_dir = g_strdup_printf ("'s|%s/%s/%s/|%s/|'", g_getenv ("LAB_XEN_BASE"),
                                                g_getenv ("LAB_XEN_GROUP"), m[i].from, dir);
      g_autofree char *e_name = g_strdup_printf ("s/%s/%s/g", m[i].from, m[i].label);
      g_autofree char *e_uuid = g_strdup_printf ("'s/^uuid = .*/uuid = \"%s\"/'", m[i].uuid);
      g_autofree char *e_mac = g_strdup_printf ("s/%s/%s/", m[i].from_mac, m[i].mac);
      const char *e_vnc = "s/vncdisplay=0/vncunused=1/";
      g_autoptr(XenRun) mk = NULL, sed = NULL, check = NULL;

      xen_xl_off (m[i].label);
      mk = xen_dom0 ("mkdir", "-p", dir, "&&", "truncate", "-s", "8M", img);
      g_assert_cmpint (mk->status, ==, 0);
      sed = xen_dom0 ("sed", "-e", e_dir, "-e", e_name, "-e", e_uuid, "-e", e_mac, "-e", e_vnc, from, ">", conf);
      g_assert_cmpint (sed->status, ==, 0);
      check = xen_dom0 ("cat", conf);
      g_assert_cmpint (check->status, ==, 0);
      test_assert_contains (check->out, m[i].uuid);
      test_assert_contains (check->out, m[i].mac);
      test_assert_contains (check->out, img);
      g_assert_null (strstr (check->out, m[i].from));
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *skip = NULL, *home = NULL, *xen = NULL;
  g_autoptr(XenRun) gen = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if ((skip = xen_test_setup (TRUE)) != NULL)
    {
      printf ("1..0 # SKIP %s\n", skip);
      return 0;
    }
  host = g_getenv ("LAB_XEN_HOST");
  /* the caller's $HOME, with the default cacheDB and an empty xen base of its own */
  home = g_build_filename (g_getenv ("LAB_XEN_DIR"), "uc-home", NULL);
  xen = g_build_filename (home, "xen", NULL);
  g_assert_cmpint (g_mkdir_with_parents (xen, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  make_seed_machines ();
  /* the seed's inventory: ctys-vdbgen into the default cacheDB of the caller's $HOME */
  gen = xen_prog ("ctys-vdbgen", (const char *[]) { "--replace", "--base=xen", "--", "labxen", NULL });
  assert_ok (gen);
  test_assert_contains (gen->out, "2 records");

  g_test_add_func ("/xen/usecases/create-cli-and-connect", test_create_cli_and_connect);
  g_test_add_func ("/xen/usecases/create-terminals", test_create_terminals);
  g_test_add_func ("/xen/usecases/create-vnc-and-list", test_create_vnc_and_list);
  g_test_add_func ("/xen/usecases/headless-and-resume", test_headless_and_resume);
  g_test_add_func ("/xen/usecases/multiple-sessions", test_multiple_sessions);
  g_test_add_func ("/xen/usecases/cancel-methods", test_cancel_methods);
  g_test_add_func ("/xen/usecases/list-enumerate-show-info", test_list_enumerate_show_info);
  g_test_add_func ("/xen/usecases/multipath-shared", test_multipath_shared);
  status = g_test_run ();
  xen_xl_off ("tst100");
  xen_xl_off ("tst101");
  return status;
}
