/* test-lab-usecases.c: the use cases of ctys-uc-XEN, run as written, on the lab (suite lab)
 *
 * The seed's command lines are run with only what this machine forces changed:
 *   -t xen               -> -t qemu   (no Xen hypervisor runs here; issue 6 adds one)
 *   lab00, lab01         -> labh1, labh2
 *   xen/tst-ctys/tst100/tst100.conf -> ...tst100.xml (the lab's machines are libvirt XML)
 *   $HOME, /homen/<user> -> /root (the seed's home directory on the target)
 * Everything else is kept: the addresses (f:, p:, i:, l:, u:, m: with the seed's own UUID
 * and MAC), the suboptions, -Z KSU / -Z SUDO in the target options, -c off / -C off, the
 * default cacheDB in $HOME/.ctys/db/default (no -p anywhere). Each case checks the real
 * result: the domain's state through virsh, the guest's serial banner, the console text.
 *
 * The machines tst100 and tst101 are made here: copies of the lab guest with the seed's
 * label, UUID and MAC, in $HOME/xen/tst-ctys/<label>/ on both lab hosts, as the seed has
 * them on its hosts' shared home. The targets log in as root, so -Z KSU and -Z SUDO find
 * root first and need no prefix (spec §3.5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "testutil.h"

#define TST100_UUID "6842caf9-1e3e-4324-9ed5-96b8b9f2c5c2"
#define TST100_MAC  "00:50:56:13:11:40"
#define TST100_CONF "/root/xen/tst-ctys/tst100/tst100.xml"

static char *home;          /* the caller's $HOME, with the default cacheDB */
static char *runtime_dir;   /* $XDG_RUNTIME_DIR of the current case */

static void
fresh_runtime_dir (void)
{
  static guint n;

  g_free (runtime_dir);
  runtime_dir = g_strdup_printf ("%s/uc%u", g_getenv ("LAB_DIR"), ++n);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
}

/* HOME, XDG_RUNTIME_DIR and @extra (may be NULL) for test_run(); g_free() the array */
static const char **
env_with (const char *extra)
{
  static char *vars[2];
  const char **env = g_new0 (const char *, 5);

  g_free (vars[0]);
  g_free (vars[1]);
  vars[0] = g_strconcat ("HOME=", home, NULL);
  vars[1] = g_strconcat ("XDG_RUNTIME_DIR=", runtime_dir, NULL);
  env[0] = vars[0];
  env[1] = vars[1];
  env[2] = "VMDECK_NODENAME";
  env[3] = extra;
  return env;
}

/* Runs one seed line (its words after "ctys") and logs it. */
static TestRun *
uc_env (const char         *extra_env,
        const char * const *argv)
{
  g_autofree char *line = g_strjoinv (" ", (char **) argv);
  g_autofree const char **env = env_with (extra_env);
  TestRun *r;

  r = test_run ("ctys", argv, env, NULL);
  g_test_message ("ctys %s -> %d", line, r->status);
  return r;
}

static TestRun *
uc (const char * const *argv)
{
  return uc_env (NULL, argv);
}

static char *
virsh (const char *host,
       const char *verb,
       const char *name)
{
  g_autofree char *uri = test_lab_uri (host);

  return test_virsh (uri, verb, name);
}

static void
assert_state (const char *host,
              const char *name,
              const char *state)
{
  g_autofree char *uri = test_lab_uri (host);

  test_assert_domstate (uri, name, state);
}

static void
ensure_off (const char *host,
            const char *name)
{
  g_free (virsh (host, "destroy", name));
}

/* Where the host's libvirt writes the guest's serial log, seen from here */
static char *
serial_log (const char *host,
            const char *name)
{
  return g_strdup_printf ("%s/hosts/%s/log/%s.serial.log", g_getenv ("LAB_DIR"), host, name);
}

static guint
banners (const char *host,
         const char *name)
{
  g_autofree char *log = serial_log (host, name);

  return test_lab_banners (log, name);
}

static void
wait_banners (const char *host,
              const char *name,
              guint       count)
{
  g_autofree char *log = serial_log (host, name);

  test_lab_wait_banners (log, name, count);
}

static void
assert_ok (TestRun *r)
{
  if (r->status != 0)
    g_error ("ctys failed (%d): %s%s", r->status, r->out, r->err);
}

/* Starts @label headless on @host (a setup step, not a seed line) and waits for its banner */
static void
start (const char *host,
       const char *label)
{
  g_autofree char *a = g_strdup_printf ("create=l:%s,CONSOLE:none", label);
  g_autofree char *log = serial_log (host, label);
  g_autoptr(TestRun) r = NULL;

  ensure_off (host, label);
  g_remove (log);   /* a new QEMU starts the log afresh (append='off') */
  r = uc ((const char *[]) { "-t", "qemu", "-a", a, host, NULL });
  assert_ok (r);
  assert_state (host, label, "running");
  wait_banners (host, label, 1);
}

/* A seed line with CONSOLE:cli runs in a terminal: a pty here. @check_echo types a
 * command into the guest's console and waits for its output; Ctrl+] leaves it. */
static void
cli_console (const char * const *argv,
             const char         *wait_for,
             const char         *echo_token)
{
  g_autofree char *line = g_strjoinv (" ", (char **) argv);
  g_autofree const char **env = env_with (NULL);
  g_autoptr(GString) seen = g_string_new (NULL);
  int master;
  GPid pid;

  g_test_message ("ctys %s (in a pty)", line);
  master = test_pty_spawn ("ctys", argv, env, &pid);
  if (wait_for && !test_read_until (master, seen, wait_for, 90))
    g_error ("%s: the console did not show '%s'; it showed: %s", line, wait_for, seen->str);
  if (echo_token)
    {
      /* the guest computes the number: the echo cannot come from the pty's own echo */
      g_autofree char *typed = g_strdup_printf ("\rvmdeck-echo %s-$((6*7))\r", echo_token);
      g_autofree char *want = g_strdup_printf ("%s-42", echo_token);

      gboolean answered = FALSE;

      if (!test_read_until (master, seen, "Escape character", 60))
        g_error ("%s: the console did not attach; it showed: %s", line, seen->str);
      /* virsh switches the terminal to raw mode (discarding pending input) just after its
       * greeting, so a line typed at once may be lost: type it again until it answers */
      for (guint attempt = 0; attempt < 6 && !answered; attempt++)
        {
          g_assert_cmpint (write (master, typed, strlen (typed)), ==, (gssize) strlen (typed));
          answered = test_read_until (master, seen, want, 10);
        }
      if (!answered)
        g_error ("%s: the typed command did not run; the console showed: %s", line, seen->str);
    }
  g_assert_cmpint (write (master, "\x1d", 1), ==, 1);   /* Ctrl+] */
  g_assert_cmpint (test_wait_exit (pid), ==, 0);
  close (master);
}

/* --- CREATE ------------------------------------------------------------------------------ */

/* "ctys -t xen -a create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli lab00'(-Z KSU)'"
 * and the calls that connect to the running instance by path, path fragments, ID, label,
 * UUID and MAC. */
static void
test_create_cli_and_connect (void)
{
  static const char *connects[] = {
    "create=p:" TST100_CONF ",CONSOLE:cli,connect",
    "create=f:xen/tst-ctys/tst100/tst100.xml,CONSOLE:cli,connect",
    "create=f:tst-ctys/tst100/tst100.xml,CONSOLE:cli,connect",
    "create=f:tst100/tst100.xml,CONSOLE:cli,connect",
    "create=i:" TST100_CONF ",CONSOLE:cli,connect",
    "create=l:tst100,CONSOLE:cli,connect",
    "create=u:6842caf91e3e43249ed596b8b9f2c5c2,CONSOLE:cli,connect",
    "create=m:" TST100_MAC ",CONSOLE:cli,connect",
  };
  g_autoptr(TestRun) no_ip = NULL, off = NULL;

  fresh_runtime_dir ();
  ensure_off ("labh1", "tst100");
  cli_console ((const char *[]) { "-t", "qemu", "-a", "create=f:xen/tst-ctys/tst100/tst100.xml,CONSOLE:cli",
                                  "labh1(-Z KSU)", NULL },
               "VMDECK-GUEST tst100 READY", NULL);
  assert_state ("labh1", "tst100", "running");

  for (guint i = 0; i < G_N_ELEMENTS (connects); i++)
    {
      g_autofree char *token = g_strdup_printf ("uc-connect-%u", i);

      cli_console ((const char *[]) { "-t", "qemu", "-a", connects[i], "labh1(-Z KSU)", NULL }, NULL, token);
      assert_state ("labh1", "tst100", "running");
    }

  /* The seed's IP line has no IP ("t:,"): an empty address part is refused clearly */
  no_ip = uc ((const char *[]) { "-t", "qemu", "-a", "create=t:,CONSOLE:cli,connect", "labh1(-Z KSU)", NULL });
  g_assert_cmpint (no_ip->status, ==, 1);
  test_assert_contains (no_ip->err, "empty value in address part “t:”");

  /* "ctys -t xen -a cancel=poweroff:0,p:/homen/acue/xen/tst-ctys/tst100/tst100.conf lab00'(-Z KSU)'" */
  off = uc ((const char *[]) { "-t", "qemu", "-a", "cancel=poweroff:0,p:" TST100_CONF, "labh1(-Z KSU)", NULL });
  assert_ok (off);
  assert_state ("labh1", "tst100", "shut off");
}

/* The console windows: XTERM, GTERM (gnome-terminal, else xterm) and EMACS, each on a
 * stopped tst100; the terminal shows the connected console (xterm's own log); CANCEL
 * ...,CLIENT closes it. */
static void
test_create_terminals (void)
{
  static const char *consoles[] = { "xterm", "gterm", "emacs" };
  const char *dir = test_tmpdir ();
  g_autofree char *res = g_build_filename (dir, "xresources", NULL);
  g_autofree char *res_env = g_strconcat ("XENVIRONMENT=", res, NULL);

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("no display: terminal consoles open windows (tools/test runs under Xvfb)");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (consoles); i++)
    {
      g_autofree char *log = g_strdup_printf ("%s/%s.log", dir, consoles[i]);
      g_autofree char *res_text = g_strdup_printf ("XTerm*logging: true\nXTerm*logFile: %s\n", log);
      g_autofree char *a = g_strdup_printf ("create=f:xen/tst-ctys/tst100/tst100.xml,CONSOLE:%s", consoles[i]);
      g_autofree char *program = g_find_program_in_path (i == 2 ? "emacs" : i == 1 ? "gnome-terminal" : "xterm");
      g_autoptr(TestRun) create = NULL, close_it = NULL;

      if (i == 2 && program == NULL)
        {
          g_test_message ("CONSOLE:emacs not run: emacs is not installed here (its argv is unit-tested "
                          "in test-terminal)");
          continue;
        }
      if (i == 1 && program)
        {
          g_test_message ("CONSOLE:gterm not run: gnome-terminal is installed, whose window cannot be "
                          "read like xterm's log");
          continue;
        }
      fresh_runtime_dir ();
      test_write_file (res, res_text);
      ensure_off ("labh1", "tst100");
      create = uc_env (res_env, (const char *[]) { "-t", "qemu", "-a", a, "labh1(-Z KSU)", NULL });
      assert_ok (create);
      test_assert_contains (create->out, "console: xterm");
      assert_state ("labh1", "tst100", "running");
      if (!test_wait_file_contains (log, "VMDECK-GUEST tst100 READY", 60))
        g_error ("CONSOLE:%s: the banner did not reach the terminal within 60 s", consoles[i]);
      close_it = uc ((const char *[]) { "-a", "cancel=l:tst100,CLIENT", "labh1", NULL });
      assert_ok (close_it);
      assert_state ("labh1", "tst100", "running");
      ensure_off ("labh1", "tst100");
    }
}

/* CONSOLE:vnc with the default -L DF and with -L CF; "ctys -a list" on the client machine
 * shows the VNC client (C) and the SSH(QEMU) tunnel (T); "ctys -a list localhost lab00"
 * also the server on lab00 (S). */
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
      g_autoptr(TestRun) create = NULL, list = NULL, both = NULL, close_it = NULL;
      const char *argv[] = { "-t", "qemu", "-a", "create=f:xen/tst-ctys/tst100/tst100.xml,CONSOLE:vnc",
                             variants[i][0] ? variants[i][0] : "labh1(-Z KSU)", variants[i][1],
                             variants[i][0] ? "labh1(-Z KSU)" : NULL, NULL };
      gint64 deadline;

      fresh_runtime_dir ();
      ensure_off ("labh1", "tst100");
      create = uc (argv);
      assert_ok (create);
      assert_state ("labh1", "tst100", "running");

      deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
      do
        {
          g_clear_pointer (&list, test_run_free);
          list = uc ((const char *[]) { "-a", "list", NULL });
          if (test_table_has_row (list->out, "tst100", "SSH(QEMU)", "T") && test_table_has_row (list->out, "tst100", "VNC", "C"))
            break;
          g_usleep (300000);
        }
      while (g_get_monotonic_time () < deadline);
      test_assert_row (list->out, "tst100", "VNC", "C");
      test_assert_row (list->out, "tst100", "SSH(QEMU)", "T");

      both = uc ((const char *[]) { "-a", "list", "localhost", "labh1", NULL });
      assert_ok (both);
      test_assert_row (both->out, "tst100", "VNC", "C");
      test_assert_row (both->out, "tst100", "SSH(QEMU)", "T");
      test_assert_contains (both->out, "labh1 ");
      test_assert_row (both->out, "tst100", "QEMU", "S");

      close_it = uc ((const char *[]) { "-a", "cancel=l:tst100,CLIENT", "labh1", NULL });
      assert_ok (close_it);
      ensure_off ("labh1", "tst100");
    }
}

/* Headless mode; RESUME from a state file on lab01 */
static void
test_headless_and_resume (void)
{
  g_autofree char *stat = g_strdup_printf ("%s/xen/tst-ctys/tst100/mystate.stat", g_getenv ("LAB_HOST_HOME_labh2"));
  g_autoptr(TestRun) headless = NULL, save = NULL, resume = NULL;

  fresh_runtime_dir ();
  ensure_off ("labh1", "tst100");
  headless = uc ((const char *[]) { "-t", "qemu", "-a", "create=f:xen/tst-ctys/tst100/tst100.xml,CONSOLE:none",
                                    "labh1(-Z KSU)", NULL });
  assert_ok (headless);
  assert_state ("labh1", "tst100", "running");
  ensure_off ("labh1", "tst100");

  /* setup: tst100 runs on lab01 and is suspended into mystate.stat (relative: beside its config) */
  start ("labh2", "tst100");
  g_remove (stat);
  save = uc ((const char *[]) { "-t", "qemu", "-a", "cancel=l:tst100,SUSPEND:mystate.stat", "labh2", NULL });
  assert_ok (save);
  assert_state ("labh2", "tst100", "shut off");
  g_assert_true (g_file_test (stat, G_FILE_TEST_IS_REGULAR));

  resume = uc ((const char *[]) { "-t", "qemu", "-a", "create=l:tst100,RESUME:mystate.stat", "labh2", NULL });
  assert_ok (resume);
  assert_state ("labh2", "tst100", "running");
  ensure_off ("labh2", "tst100");
  g_remove (stat);
}

/* "CREATE multiple sessions": two machines in one call, per-target options superposed on
 * the default group's '(-Z KSU)'; the last variant on two hosts. (In the seed, the third and
 * fourth variants lack the line continuation after their first target; they run here as
 * the one call they describe.) */
static void
test_multiple_sessions (void)
{
  static const struct {
    const char *dflt, *t1, *t2, *host2;
  } calls[] = {
    { "(-Z KSU)", "labh1( -a create=f:xen/tst-ctys/tst100/tst100.xml,CONSOLE:none )",
      "labh1( -a create=f:xen/tst-ctys/tst101/tst101.xml,CONSOLE:none )", "labh1" },
    { "(-Z KSU)", "labh1(-a create=f:xen/tst-ctys/tst100/tst100.xml,CONSOLE:none )",
      "labh1(-a create=f:xen/tst-ctys/tst101/tst101.xml,CONSOLE:none -Z SUDO)", "labh1" },
    { NULL, "labh1(-a create=f:xen/tst-ctys/tst100/tst100.xml,CONSOLE:none -Z KSU )",
      "labh1( -a create=f:xen/tst-ctys/tst101/tst101.xml,CONSOLE:none -Z SUDO )", "labh1" },
    { NULL, "labh1( -a create=f:xen/tst-ctys/tst100/tst100.xml,CONSOLE:none -Z KSU )",
      "labh2( -a create=f:xen/tst-ctys/tst101/tst101.xml,CONSOLE:none -Z SUDO )", "labh2" },
  };

  fresh_runtime_dir ();
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(TestRun) r = NULL;

      ensure_off ("labh1", "tst100");
      ensure_off (calls[i].host2, "tst101");
      if (calls[i].dflt)
        r = uc ((const char *[]) { "-t", "qemu", "--", calls[i].dflt, calls[i].t1, calls[i].t2, NULL });
      else
        r = uc ((const char *[]) { "-t", "qemu", "--", calls[i].t1, calls[i].t2, NULL });
      assert_ok (r);
      assert_state ("labh1", "tst100", "running");
      assert_state (calls[i].host2, "tst101", "running");
      ensure_off ("labh1", "tst100");
      ensure_off (calls[i].host2, "tst101");
    }
}

/* "CANCEL a session": every method of the seed on lab01 (labh2), INIT on lab00 */
static void
test_cancel_methods (void)
{
  static const struct {
    const char *argv[10];
    const char *after;       /* the state afterwards */
    gboolean    boots;       /* the guest boots again (a new banner) */
  } lines[] = {
    { { "-t", "qemu", "-a", "cancel=l:tst100,POWEROFF:0", "labh2" }, "shut off", FALSE },
    { { "-t", "qemu", "-a", "cancel=l:tst100,POWEROFF:0", "-C", "off", "labh2" }, "shut off", FALSE },
    { { "-t", "qemu", "-a", "cancel=l:tst100,POWEROFF:0", "-c", "off", "-C", "off", "labh2" }, "shut off", FALSE },
    { { "-t", "qemu", "-a", "cancel=l:tst100,RESET", "-c", "off", "-C", "off", "labh2" }, "running", TRUE },
    { { "-t", "qemu", "-a", "cancel=l:tst100,FORCE,RESET", "-c", "off", "-C", "off", "labh2" }, "running", TRUE },
    { { "-t", "qemu", "-a", "cancel=l:tst100,REBOOT", "-c", "off", "-C", "off", "labh2" }, "running", TRUE },
    { { "-t", "qemu", "-a", "cancel=l:tst100,FORCE,REBOOT", "-c", "off", "-C", "off", "labh2" }, "running", TRUE },
    { { "-t", "qemu", "-a", "cancel=FORCE,REBOOT,p:" TST100_CONF, "-c", "off", "-C", "off", "labh2" }, "running", TRUE },
    { { "-t", "qemu", "-a", "cancel=l:tst100,PAUSE", "labh2" }, "paused", FALSE },
    { { "-t", "qemu", "-a", "cancel=l:tst100,FORCE,PAUSE", "labh2" }, "paused", FALSE },
    { { "-t", "qemu", "-a", "cancel=l:tst100,SUSPEND", "labh2" }, "shut off", FALSE },
    { { "-t", "qemu", "-a", "cancel=l:tst100,FORCE,SUSPEND", "labh2" }, "shut off", FALSE },
  };
  g_autofree char *stat = g_strdup_printf ("%s/xen/tst-ctys/tst100/tst100.stat", g_getenv ("LAB_HOST_HOME_labh2"));
  g_autoptr(TestRun) init0 = NULL, init6 = NULL;

  fresh_runtime_dir ();
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(TestRun) r = NULL;
      guint n;

      if (g_strcmp0 (virsh ("labh2", "domstate", "tst100"), "running") != 0)
        start ("labh2", "tst100");
      g_remove (stat);
      n = banners ("labh2", "tst100");
      r = uc (lines[i].argv);
      assert_ok (r);
      assert_state ("labh2", "tst100", lines[i].after);
      if (lines[i].boots)
        wait_banners ("labh2", "tst100", n + 1);
      if (strstr (lines[i].argv[3], "SUSPEND"))
        g_assert_true (g_file_test (stat, G_FILE_TEST_IS_REGULAR));   /* the default state file */
      if (g_strcmp0 (lines[i].after, "paused") == 0)
        {
          g_autoptr(TestRun) resume = uc ((const char *[]) { "-t", "qemu", "-a", "create=l:tst100,RESUME", "labh2", NULL });

          assert_ok (resume);
          assert_state ("labh2", "tst100", "running");
        }
    }
  ensure_off ("labh2", "tst100");
  g_remove (stat);

  /* INIT is a function of the guest OS: tst100 is no host vmdeck knows (no IP, no sshd), so
   * nothing is done and it says so; the machine keeps running. */
  start ("labh1", "tst100");
  init0 = uc ((const char *[]) { "-t", "qemu", "-a", "cancel=l:tst100,INIT:0", "labh1", NULL });
  assert_ok (init0);
  test_assert_contains (init0->out, "INIT:0 needs a guest host known to the inventory; nothing done for tst100");
  init6 = uc ((const char *[]) { "-t", "qemu", "-a", "cancel=l:tst100,FORCE,INIT:6", "labh1", NULL });
  assert_ok (init6);
  test_assert_contains (init6->out, "FORCE skips the guest; nothing done for tst100");
  assert_state ("labh1", "tst100", "running");
  ensure_off ("labh1", "tst100");
}

/* LIST, ENUMERATE, SHOW and INFO lines of the seed */
static void
test_list_enumerate_show_info (void)
{
  g_autoptr(TestRun) machine = NULL, all = NULL, typed = NULL, local_too = NULL, cport = NULL,
                     enumerate = NULL, enum_macro = NULL, show_t = NULL, show = NULL, info_t = NULL,
                     info = NULL;

  fresh_runtime_dir ();
  start ("labh1", "tst100");
  start ("labh2", "tst101");

  machine = uc ((const char *[]) { "-t", "qemu", "-a", "list=machine,titleidx", "labh1", NULL });
  assert_ok (machine);
  g_assert_true (g_str_has_prefix (machine->out, "ContainingMachine(1);SessionType(2);Label(3);ID(4);"));
  test_assert_contains (machine->out, "\nlabh1;QEMU;tst100;" TST100_CONF ";" TST100_UUID);
  test_assert_contains (machine->out, ";" TST100_MAC ";");

  all = uc ((const char *[]) { "-a", "list", "labh2", NULL });
  assert_ok (all);
  test_assert_contains (all->out, "TCP-container");
  test_assert_row (all->out, "tst101", "QEMU", "S");
  typed = uc ((const char *[]) { "-t", "qemu", "-a", "list", "labh2", NULL });
  assert_ok (typed);
  test_assert_row (typed->out, "tst101", "QEMU", "S");
  local_too = uc ((const char *[]) { "-t", "qemu", "-a", "list", "localhost", "labh2", NULL });
  assert_ok (local_too);
  test_assert_row (local_too->out, "tst101", "QEMU", "S");
  cport = uc ((const char *[]) { "-a", "list=macro:TAB_CPORT", "localhost", "labh1", NULL });
  assert_ok (cport);
  test_assert_contains (cport->out, "tst100");
  test_assert_contains (cport->out, "|cport|");

  enumerate = uc ((const char *[]) { "-t", "qemu", "-a", "enumerate=machine,title,b:xen", "localhost", "labh1", NULL });
  assert_ok (enumerate);
  test_assert_contains (enumerate->out, "labh1;QEMU;tst100;" TST100_CONF ";" TST100_UUID ";" TST100_MAC ";");
  test_assert_contains (enumerate->out, "labh1;QEMU;tst101;/root/xen/tst-ctys/tst101/tst101.xml;");
  g_assert_null (strstr (enumerate->out, "deck-h1"));   /* b:xen: only the seed's tree */
  /* The seed's hosts have ctys installed, with /etc/ctys.d; a base that does not exist is an
   * error on each target (spec §4.3 b:), reported per host. Without it, the same line with
   * the bases that exist. */
  enum_macro = uc ((const char *[]) { "-a", "enumerate=macro:TAB_CPORT,b:xen%/etc/ctys.d", "localhost", "labh1", NULL });
  if (!g_file_test ("/etc/ctys.d", G_FILE_TEST_IS_DIR))
    {
      g_autoptr(TestRun) existing = NULL;

      g_assert_cmpint (enum_macro->status, ==, 1);
      test_assert_contains (enum_macro->err, "localhost: base directory /etc/ctys.d does not exist");
      test_assert_contains (enum_macro->err, "labh1");
      existing = uc ((const char *[]) { "-a", "enumerate=macro:TAB_CPORT,b:xen", "localhost", "labh1", NULL });
      g_clear_pointer (&enum_macro, test_run_free);
      enum_macro = g_steal_pointer (&existing);
    }
  assert_ok (enum_macro);
  test_assert_contains (enum_macro->out, "tst100");
  test_assert_contains (enum_macro->out, "tst101");

  show_t = uc ((const char *[]) { "-t", "qemu", "-a", "show", "labh1", NULL });
  assert_ok (show_t);
  test_assert_contains (show_t->out, "node               labh1");
  test_assert_contains (show_t->out, "load");
  show = uc ((const char *[]) { "-a", "show", "labh1", NULL });
  assert_ok (show);
  test_assert_contains (show->out, "uptime-s");
  info_t = uc ((const char *[]) { "-t", "qemu", "-a", "info", "labh2", NULL });
  assert_ok (info_t);
  test_assert_contains (info_t->out, "backend-libvirt");
  test_assert_contains (info_t->out, "running");
  info = uc ((const char *[]) { "-a", "info", "labh2", NULL });
  assert_ok (info);
  test_assert_contains (info->out, "tool-virsh");

  ensure_off ("labh1", "tst100");
  ensure_off ("labh2", "tst101");
}

/* tst100 and tst101 in $HOME/xen/tst-ctys on both hosts: the lab guest deck-h1 with the
 * seed's label, UUID and MAC */
static void
make_seed_machines (void)
{
  g_autofree char *template_path = g_strdup_printf ("%s/deck-h1/deck-h1.xml", g_getenv ("LAB_HOST_ROOT_labh1"));
  g_autofree char *template = NULL;
  const char *hosts[] = { "labh1", "labh2" };

  g_assert_true (g_file_get_contents (template_path, &template, NULL, NULL));
  for (guint h = 0; h < G_N_ELEMENTS (hosts); h++)
    for (guint m = 0; m < 2; m++)
      {
        const char *label = m == 0 ? "tst100" : "tst101";
        g_autofree char *var = g_strconcat ("LAB_HOST_HOME_", hosts[h], NULL);
        g_autofree char *path = g_strdup_printf ("%s/xen/tst-ctys/%s/%s.xml", g_getenv (var), label, label);
        g_autoptr(GString) xml = g_string_new (template);

        g_string_replace (xml, "deck-h1", label, 0);
        g_string_replace (xml, "3b937981-672e-418a-8f63-7e1988d38346",
                          m == 0 ? TST100_UUID : "6842caf9-1e3e-4324-9ed5-96b8b9f2c5c3", 0);
        g_string_replace (xml, "52:54:00:de:c0:21", m == 0 ? TST100_MAC : "00:50:56:13:11:41", 0);
        g_assert_nonnull (strstr (xml->str, label));
        test_write_file (path, xml->str);
        ensure_off (hosts[h], label);
        g_free (virsh (hosts[h], "undefine", label));
      }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *skip = NULL;
  g_autoptr(TestRun) gen = NULL;
  g_autofree const char **env = NULL;
  g_autofree char *xen = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if ((skip = test_lab_setup ()) != NULL)
    {
      printf ("1..0 # SKIP %s\n", skip);
      return 0;
    }
  home = g_strdup_printf ("%s/uc-home", g_getenv ("LAB_DIR"));
  xen = g_build_filename (home, "xen", NULL);   /* the caller's own base, empty here */
  g_assert_cmpint (g_mkdir_with_parents (xen, 0700), ==, 0);
  fresh_runtime_dir ();
  make_seed_machines ();
  /* the seed's inventory: ctys-vdbgen into the default cacheDB of the caller's $HOME */
  env = env_with (NULL);
  gen = test_run ("ctys-vdbgen", (const char *[]) { "--replace", "--base=xen", "--", "labh1", "labh2", NULL },
                  env, NULL);
  g_assert_cmpint (gen->status, ==, 0);
  test_assert_contains (gen->out, "4 records");

  g_test_add_func ("/lab/usecases/create-cli-and-connect", test_create_cli_and_connect);
  g_test_add_func ("/lab/usecases/create-terminals", test_create_terminals);
  g_test_add_func ("/lab/usecases/create-vnc-and-list", test_create_vnc_and_list);
  g_test_add_func ("/lab/usecases/headless-and-resume", test_headless_and_resume);
  g_test_add_func ("/lab/usecases/multiple-sessions", test_multiple_sessions);
  g_test_add_func ("/lab/usecases/cancel-methods", test_cancel_methods);
  g_test_add_func ("/lab/usecases/list-enumerate-show-info", test_list_enumerate_show_info);
  status = g_test_run ();
  for (guint h = 1; h <= 2; h++)
    {
      g_autofree char *host = g_strdup_printf ("labh%u", h);

      ensure_off (host, "tst100");
      ensure_off (host, "tst101");
      g_free (virsh (host, "undefine", "tst100"));
      g_free (virsh (host, "undefine", "tst101"));
    }
  return status;
}
