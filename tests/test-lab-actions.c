/* test-lab-actions.c: CREATE, CANCEL and LIST with ctys on the real lab (suite lab)
 *
 * Every case runs the built ctys against the lab's guests and checks the real result
 * with virsh (domain state) and the guests' serial logs (the "VMDECK-GUEST <name> READY"
 * banner). deck-l1 runs on the lab's local session daemon (given to ctys with --uri),
 * deck-h1 / deck-h2 on labh1 / labh2 over ssh. At most two guests run at a time; every
 * case destroys what it started.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "deck-fields.h"
#include "testutil.h"

static char *runtime_dir;
static char *db;           /* inventory of the local tree and both hosts */
static char *local_uri_opt;

static void
fresh_runtime_dir (void)
{
  static guint n;

  g_free (runtime_dir);
  runtime_dir = g_strdup_printf ("%s/a%u", g_getenv ("LAB_DIR"), ++n);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
}

static TestRun *
ctys (const char * const *argv)
{
  g_autofree char *xdg = g_strconcat ("XDG_RUNTIME_DIR=", runtime_dir, NULL);

  return test_run ("ctys", argv, (const char *[]) { xdg, "VMDECK_NODENAME", NULL }, NULL);
}

static void
ensure_off (const char *uri,
            const char *name)
{
  g_free (test_virsh (uri, "destroy", name));
}

static guint
banners (const char *log_var,
         const char *name)
{
  return test_lab_banners (g_getenv (log_var), name);
}

static void
wait_banners (const char *log_var,
              const char *name,
              guint       count)
{
  test_lab_wait_banners (g_getenv (log_var), name, count);
}

static void
start_local (void)
{
  g_autoptr(TestRun) r = ctys ((const char *[]) { "-a", "create=l:deck-l1,CONSOLE:none", "-p", db,
                                                  local_uri_opt, "localhost", NULL });

  g_assert_cmpint (r->status, ==, 0);
  test_assert_contains (r->out, "deck-l1 runs");
}

typedef struct {
  const char *name;        /* the guest */
  const char *uri;         /* its libvirt URI, for virsh */
  const char *log_var;     /* environment variable naming its serial log */
  const char *uri_opt;     /* --uri=... for ctys, or NULL */
  const char *target;      /* ctys target */
  const char *state_file;  /* SUSPEND:<file>, or NULL for the default beside the config */
  const char *default_state_file;   /* where the default one lands, seen from here */
} Guest;

/* ctys with "-a <action>" for the guest: "-p db [--uri=...] <target>". */
static TestRun *
act (const Guest *g,
     const char  *action)
{
  const char *argv[] = { "-a", action, "-p", db, g->uri_opt ? g->uri_opt : g->target,
                         g->uri_opt ? g->target : NULL, NULL };

  return ctys (argv);
}

/* CREATE's connection modes and every CANCEL method on one guest, checked on the guest:
 * its libvirt state and the banners in its serial log. */
static void
check_lifecycle (const Guest *g)
{
  g_autofree char *connect_a = g_strdup_printf ("create=l:%s,CONNECT,CONSOLE:none", g->name);
  g_autofree char *create_a = g_strdup_printf ("create=l:%s,CONSOLE:none", g->name);
  g_autofree char *reuse_a = g_strdup_printf ("create=l:%s,REUSE,CONSOLE:none", g->name);
  g_autofree char *pause_a = g_strdup_printf ("cancel=l:%s,S3", g->name);
  g_autofree char *resume_a = g_strdup_printf ("create=l:%s,RESUME,CONSOLE:none", g->name);
  g_autofree char *reboot_a = g_strdup_printf ("cancel=l:%s,REBOOT", g->name);
  g_autofree char *reset_a = g_strdup_printf ("cancel=l:%s,RESET", g->name);
  g_autofree char *suspend_a = g->state_file ? g_strdup_printf ("cancel=l:%s,SUSPEND:%s", g->name, g->state_file)
                                             : g_strdup_printf ("cancel=l:%s,SUSPEND", g->name);
  g_autofree char *restore_a = g_strdup_printf ("create=l:%s,RESUME:%s", g->name,
                                                g->state_file ? g->state_file : g->default_state_file);
  g_autofree char *off_a = g_strdup_printf ("cancel=l:%s,POWEROFF:30", g->name);
  g_autofree char *exists = g_strdup_printf ("session %s already exists; use REUSE", g->name);
  g_autofree char *not_running = g_strdup_printf ("cannot CONNECT, server %s not running", g->name);
  g_autofree char *shut = g_strdup_printf ("%s is shut off", g->name);
  g_autoptr(TestRun) connect = NULL, create = NULL, dup = NULL, reuse = NULL, pause = NULL, unpause = NULL,
                     reboot = NULL, reset = NULL, susp = NULL, res = NULL, off = NULL;
  guint n;

  ensure_off (g->uri, g->name);
  connect = act (g, connect_a);
  g_assert_cmpint (connect->status, ==, 1);
  test_assert_contains (connect->err, not_running);
  test_assert_domstate (g->uri, g->name, "shut off");

  create = act (g, create_a);
  g_assert_cmpint (create->status, ==, 0);
  test_assert_domstate (g->uri, g->name, "running");
  wait_banners (g->log_var, g->name, 1);
  dup = act (g, create_a);
  g_assert_cmpint (dup->status, ==, 1);
  test_assert_contains (dup->err, exists);
  reuse = act (g, reuse_a);
  g_assert_cmpint (reuse->status, ==, 0);
  test_assert_contains (reuse->out, "runs already");

  /* S3 is a real pause; RESUME without a file unpauses */
  pause = act (g, pause_a);
  g_assert_cmpint (pause->status, ==, 0);
  test_assert_domstate (g->uri, g->name, "paused");
  unpause = act (g, resume_a);
  g_assert_cmpint (unpause->status, ==, 0);
  test_assert_domstate (g->uri, g->name, "running");

  /* REBOOT and RESET: the guest boots again (the serial log keeps growing) */
  n = banners (g->log_var, g->name);
  reboot = act (g, reboot_a);
  g_assert_cmpint (reboot->status, ==, 0);
  wait_banners (g->log_var, g->name, n + 1);
  reset = act (g, reset_a);
  g_assert_cmpint (reset->status, ==, 0);
  wait_banners (g->log_var, g->name, n + 2);

  /* SUSPEND to a state file (the default one lies beside the config), RESUME:<file> */
  susp = act (g, suspend_a);
  g_assert_cmpint (susp->status, ==, 0);
  test_assert_domstate (g->uri, g->name, "shut off");
  res = act (g, restore_a);
  g_assert_cmpint (res->status, ==, 0);
  test_assert_domstate (g->uri, g->name, "running");

  /* POWEROFF: ACPI shutdown; the guest powers itself off well within the delay */
  off = act (g, off_a);
  g_assert_cmpint (off->status, ==, 0);
  test_assert_contains (off->out, shut);
  g_assert_null (strstr (off->out, "destroy"));
  test_assert_domstate (g->uri, g->name, "shut off");
  ensure_off (g->uri, g->name);
}

static void
test_local_create_cancel (void)
{
  g_autofree char *save_dir = g_build_filename (g_getenv ("LAB_DIR"), "saves", NULL);
  g_autofree char *state_file = g_build_filename (save_dir, "deck-l1.stat", NULL);
  Guest g = { "deck-l1", g_getenv ("LAB_LOCAL_URI"), "LAB_SERIAL_LOG_deck_l1", local_uri_opt, "localhost",
              state_file, NULL };

  fresh_runtime_dir ();
  g_assert_cmpint (g_mkdir_with_parents (save_dir, 0777), ==, 0);
  g_assert_cmpint (chmod (save_dir, 0777), ==, 0);   /* the session daemon's uid writes it */
  g_unlink (state_file);
  check_lifecycle (&g);
  g_assert_true (g_file_test (state_file, G_FILE_TEST_IS_REGULAR));
}

/* The same on labh1 over ssh, with the default state file beside the config. */
static void
test_remote_create_cancel (void)
{
  g_autofree char *uri = test_lab_uri ("labh1");
  g_autofree char *seen = g_build_filename (g_getenv ("LAB_HOST_ROOT_labh1"), "deck-h1", "deck-h1.stat", NULL);
  Guest g = { "deck-h1", uri, "LAB_SERIAL_LOG_deck_h1", NULL, "labh1", NULL,
              "/srv/vmdeck/vms/deck-h1/deck-h1.stat" };

  fresh_runtime_dir ();
  g_unlink (seen);
  check_lifecycle (&g);
  /* the host's /srv/vmdeck/vms is this directory: the default state file landed there */
  g_assert_true (g_file_test (seen, G_FILE_TEST_IS_REGULAR));
  g_unlink (seen);
}

/* The same on a remote host over ssh, and LIST over all hosts with one of them down. */
static void
test_remote_and_list (void)
{
  const char *luri = g_getenv ("LAB_LOCAL_URI");
  g_autofree char *h1uri = test_lab_uri ("labh1");
  g_autofree char *local_target = g_strdup_printf ("localhost(%s)", local_uri_opt);
  g_autoptr(TestRun) create = NULL, list = NULL, machine = NULL, down = NULL, off = NULL;

  fresh_runtime_dir ();
  ensure_off (h1uri, "deck-h1");
  ensure_off (luri, "deck-l1");
  create = ctys ((const char *[]) { "-a", "create=l:deck-h1,CONSOLE:none", "-p", db, "labh1", NULL });
  g_assert_cmpint (create->status, ==, 0);
  test_assert_domstate (h1uri, "deck-h1", "running");
  wait_banners ("LAB_SERIAL_LOG_deck_h1", "deck-h1", 1);
  start_local ();

  list = ctys ((const char *[]) { "-a", "list", "-p", db, "--", local_target, "labh1", "labh2", NULL });
  g_assert_cmpint (list->status, ==, 0);
  test_assert_contains (list->out, "TCP-container");
  test_assert_contains (list->out, "|deck-l1 ");
  test_assert_contains (list->out, "labh1 ");
  test_assert_contains (list->out, "|deck-h1 ");
  test_assert_contains (list->out, "|QEMU     |S|");
  g_assert_null (strstr (list->out, "deck-h2"));   /* defined, not running: not listed */

  /* AC-71: machine records with the inventory back-link */
  machine = ctys ((const char *[]) { "-a", "list=machine,titleidx", "-p", db, "labh1", NULL });
  g_assert_cmpint (machine->status, ==, 0);
  g_assert_true (g_str_has_prefix (machine->out, "ContainingMachine(1);SessionType(2);Label(3);ID(4);"));
  test_assert_contains (machine->out, "\nlabh1;QEMU;deck-h1;/srv/vmdeck/vms/deck-h1/deck-h1.xml;");
  test_assert_contains (machine->out, ";52:54:00:de:c0:21;");
  test_assert_contains (machine->out, ";SERVER;");

  test_lab_command ("host-down", "labh2");
  down = ctys ((const char *[]) { "-a", "list", "-p", db, "--", local_target, "labh1", "labh2", NULL });
  test_lab_command ("host-up", "labh2");
  g_assert_cmpint (down->status, ==, 1);
  test_assert_contains (down->out, "|deck-h1 ");
  test_assert_contains (down->out, "|deck-l1 ");
  test_assert_contains (down->err, "labh2");

  off = ctys ((const char *[]) { "-a", "cancel=l:deck-h1,POWEROFF:30", "-p", db, "labh1", NULL });
  g_assert_cmpint (off->status, ==, 0);
  test_assert_domstate (h1uri, "deck-h1", "shut off");
  ensure_off (luri, "deck-l1");
}

/* VM-stack safe CANCEL, shown with a namespaced host registered as running inside a guest:
 * the inventory says labh2 is deck-l1's guest OS. Cancelling deck-l1 first cancels what
 * runs on labh2 (deck-h2), then deck-l1; FORCE skips labh2. */
static void
test_stack_safe_cancel_namespaced_host_inside_guest (void)
{
  const char *luri = g_getenv ("LAB_LOCAL_URI");
  g_autofree char *h2uri = test_lab_uri ("labh2");
  g_autofree char *stack_db = g_build_filename (test_tmpdir (), "stackdb", NULL);
  g_autofree char *fdb = g_build_filename (db, "enum.fdb", NULL);
  g_autofree char *stack_fdb = g_build_filename (stack_db, "enum.fdb", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) edited = g_string_new (NULL);
  g_autoptr(TestRun) dry = NULL, h2 = NULL, h2_again = NULL, cancel = NULL, force = NULL;
  const char *p_l1, *p_h2;

  fresh_runtime_dir ();
  ensure_off (h2uri, "deck-h2");
  ensure_off (luri, "deck-l1");

  /* the lab's inventory with field 28 (NETNAME) of deck-l1 set to labh2 */
  g_assert_true (g_file_get_contents (fdb, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ";", -1);

      if (g_strv_length (f) >= 28 && g_str_equal (f[DECK_FIELD_LABEL - 1], "deck-l1"))
        {
          g_free (f[28 - 1]);
          f[28 - 1] = g_strdup ("labh2");
          g_free (lines[i]);
          lines[i] = g_strjoinv (";", f);
        }
      if (*lines[i])
        g_string_append_printf (edited, "%s\n", lines[i]);
    }
  test_write_file (stack_fdb, edited->str);

  h2 = ctys ((const char *[]) { "-a", "create=l:deck-h2,CONSOLE:none", "-p", stack_db, "labh2", NULL });
  g_assert_cmpint (h2->status, ==, 0);
  start_local ();
  wait_banners ("LAB_SERIAL_LOG_deck_h2", "deck-h2", 1);
  wait_banners ("LAB_SERIAL_LOG_deck_l1", "deck-l1", 1);

  /* a dry run says so and touches nothing */
  dry = ctys ((const char *[]) { "-n", "-a", "cancel=l:deck-l1,POWEROFF:20", "-p", stack_db, local_uri_opt, "localhost", NULL });
  g_assert_cmpint (dry->status, ==, 0);
  test_assert_contains (dry->out, "[dry run] first CANCEL=ALL,POWEROFF on labh2");
  test_assert_domstate (h2uri, "deck-h2", "running");
  test_assert_domstate (luri, "deck-l1", "running");

  cancel = ctys ((const char *[]) { "-a", "cancel=l:deck-l1,POWEROFF:20", "-p", stack_db, local_uri_opt, "localhost", NULL });
  g_assert_cmpint (cancel->status, ==, 0);
  test_assert_domstate (h2uri, "deck-h2", "shut off");
  test_assert_domstate (luri, "deck-l1", "shut off");
  /* top-down: labh2's guest was shut down before deck-l1 */
  p_h2 = strstr (cancel->out, "labh2: shutdown deck-h2");
  p_l1 = strstr (cancel->out, ": shutdown deck-l1");
  g_assert_nonnull (p_h2);
  g_assert_nonnull (p_l1);
  g_assert_true (p_h2 < p_l1);

  /* FORCE: only the hypervisor; labh2 is not asked */
  h2_again = ctys ((const char *[]) { "-a", "create=l:deck-h2,CONSOLE:none", "-p", stack_db, "labh2", NULL });
  g_assert_cmpint (h2_again->status, ==, 0);
  start_local ();
  force = ctys ((const char *[]) { "-a", "cancel=l:deck-l1,POWEROFF:0,FORCE", "-p", stack_db, local_uri_opt, "localhost", NULL });
  g_assert_cmpint (force->status, ==, 0);
  test_assert_domstate (luri, "deck-l1", "shut off");
  test_assert_domstate (h2uri, "deck-h2", "running");
  g_assert_null (strstr (force->out, "labh2"));
  ensure_off (h2uri, "deck-h2");
}

/* Reads from @fd into @buf until @needle shows up or @seconds pass. */
/* AC-39 on the lab: CONSOLE:CLI starts the guest and attaches its serial console in the
 * caller's terminal (a pty here): the boot banner shows, a command typed there runs in
 * the guest, and leaving the console (Ctrl+]) ends ctys. */
static void
test_cli_console (void)
{
  const char *uri = g_getenv ("LAB_LOCAL_URI");
  g_autofree char *xdg = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  const char *typed = "vmdeck-echo cli-console-ok-$((6*7))\r";
  int master;
  GPid pid;

  fresh_runtime_dir ();
  xdg = g_strconcat ("XDG_RUNTIME_DIR=", runtime_dir, NULL);
  ensure_off (uri, "deck-l1");
  master = test_pty_spawn ("ctys", (const char *[]) { "-a", "create=l:deck-l1,CONSOLE:CLI", "-p", db,
                                                      local_uri_opt, "localhost", NULL },
                           (const char *[]) { xdg, "VMDECK_NODENAME", NULL }, &pid);
  if (!test_read_until (master, seen, "VMDECK-GUEST deck-l1 READY", 90))
    g_error ("no banner in the CLI console; it showed: %s", seen->str);
  g_assert_cmpint (write (master, typed, strlen (typed)), ==, (gssize) strlen (typed));
  if (!test_read_until (master, seen, "cli-console-ok-42", 30))
    g_error ("the typed command did not run; the console showed: %s", seen->str);
  test_assert_domstate (uri, "deck-l1", "running");
  g_assert_cmpint (write (master, "\x1d", 1), ==, 1);   /* Ctrl+]: leave the console */
  g_assert_cmpint (test_wait_exit (pid), ==, 0);
  close (master);
  test_assert_domstate (uri, "deck-l1", "running");   /* leaving the console leaves the guest running */
  ensure_off (uri, "deck-l1");
}

static gboolean
process_gone (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  end = strrchr (stat, ')');
  return end != NULL && end[1] == ' ' && end[2] == 'Z';
}

/* The PID of the single VNC client of @label in machine-format LIST output, or 0 */
static pid_t
client_pid (const char *machine_list,
            const char *label)
{
  g_auto(GStrv) lines = g_strsplit (machine_list, "\n", -1);
  pid_t pid = 0;

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ";", -1);

      if (g_strv_length (f) >= DECK_LIST_N_FIELDS && g_str_equal (f[DECK_LIST_TYPE - 1], "VNC")
          && g_str_equal (f[DECK_LIST_LABEL - 1], label) && g_str_equal (f[DECK_LIST_CSTYPE - 1], "CLIENT"))
        {
          g_assert_cmpint (pid, ==, 0);
          pid = (pid_t) g_ascii_strtoll (f[DECK_LIST_PID - 1], NULL, 10);
        }
    }
  return pid;
}

/* CONSOLE:VNC opens vmdeck's own console window on the guest (through the host's master
 * for a remote guest): its VNC client shows up in LIST as a CLIENT with C in the table;
 * CREATE RECONNECT replaces it by a new window, and CANCEL=...,CLIENT closes it while the
 * guest keeps running. Needs a display (tools/test
 * runs the suites under Xvfb). */
static void
test_vnc_console_window (void)
{
  g_autofree char *h1uri = test_lab_uri ("labh1");
  g_autoptr(TestRun) create = NULL, list = NULL, reconnect = NULL, close_it = NULL, after = NULL;
  pid_t first_pid, second_pid = 0;
  gint64 deadline;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("no display: CONSOLE:VNC opens a window (tools/test runs under Xvfb)");
      return;
    }
  fresh_runtime_dir ();
  ensure_off (h1uri, "deck-h1");
  create = ctys ((const char *[]) { "-a", "create=l:deck-h1,CONSOLE:VNC", "-p", db, "labh1", NULL });
  g_assert_cmpint (create->status, ==, 0);
  test_assert_contains (create->out, "a vmdeck VNC window on deck-h1");
  test_assert_domstate (h1uri, "deck-h1", "running");

  /* the window registers its client once its VNC connection is up */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  do
    {
      g_clear_pointer (&list, test_run_free);
      list = ctys ((const char *[]) { "-a", "list=machine,client", "localhost", NULL });
      if (strstr (list->out, ";VNC;deck-h1;") != NULL)
        break;
      g_usleep (300000);
    }
  while (g_get_monotonic_time () < deadline);
  test_assert_contains (list->out, ";VNC;deck-h1;");
  test_assert_contains (list->out, ";CLIENT;");
  first_pid = client_pid (list->out, "deck-h1");

  /* RECONNECT ends the window that is open and opens a new one */
  reconnect = ctys ((const char *[]) { "-a", "create=l:deck-h1,RECONNECT,CONSOLE:VNC", "-p", db, "labh1", NULL });
  g_assert_cmpint (reconnect->status, ==, 0);
  test_assert_contains (reconnect->out, "end the VNC client of deck-h1");
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  do
    {
      g_clear_pointer (&list, test_run_free);
      list = ctys ((const char *[]) { "-a", "list=machine,client", "localhost", NULL });
      second_pid = client_pid (list->out, "deck-h1");
      if (second_pid != 0 && second_pid != first_pid)
        break;
      g_usleep (300000);
    }
  while (g_get_monotonic_time () < deadline);
  g_assert_cmpint (second_pid, !=, 0);
  g_assert_cmpint (second_pid, !=, first_pid);
  /* the first window is gone (or a zombie nobody reaped: its parent ctys has exited) */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!process_gone (first_pid) && g_get_monotonic_time () < deadline)
    g_usleep (200000);
  g_assert_true (process_gone (first_pid));

  close_it = ctys ((const char *[]) { "-a", "cancel=l:deck-h1,CLIENT", "-p", db, "labh1", NULL });
  g_assert_cmpint (close_it->status, ==, 0);
  test_assert_contains (close_it->out, "end the VNC client of deck-h1");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  do
    {
      g_clear_pointer (&after, test_run_free);
      after = ctys ((const char *[]) { "-a", "list=machine,client", "localhost", NULL });
      if (strstr (after->out, ";VNC;deck-h1;") == NULL)
        break;
      g_usleep (300000);
    }
  while (g_get_monotonic_time () < deadline);
  g_assert_null (strstr (after->out, ";VNC;deck-h1;"));
  test_assert_domstate (h1uri, "deck-h1", "running");
  ensure_off (h1uri, "deck-h1");
}

/* Spec §5.1.3 CONSOLE:XTERM on a remote guest: ctys starts an xterm running the guest's
 * serial console (virsh console through the host's master) and goes; the xterm is a CLIENT
 * in LIST. What the xterm shows is read from xterm's own log (X resources given through
 * XENVIRONMENT): the console connects, and after a reset the guest's banner arrives there.
 * CANCEL ...,CLIENT closes the xterm, the guest keeps running. Needs a display and xterm. */
static void
test_xterm_console (void)
{
  g_autofree char *h1uri = test_lab_uri ("labh1");
  g_autofree char *xterm = g_find_program_in_path ("xterm");
  const char *dir = test_tmpdir ();
  g_autofree char *log = g_build_filename (dir, "xterm.log", NULL);
  g_autofree char *res = g_build_filename (dir, "xresources", NULL);
  g_autofree char *res_env = g_strconcat ("XENVIRONMENT=", res, NULL);
  g_autofree char *res_text = g_strdup_printf ("XTerm*logging: true\nXTerm*logFile: %s\n", log);
  g_autofree char *xdg = NULL;
  g_autoptr(TestRun) create = NULL, list = NULL, close_it = NULL, after = NULL;
  gint64 deadline;

  if (g_getenv ("DISPLAY") == NULL || xterm == NULL)
    {
      g_test_skip (xterm ? "no display: CONSOLE:XTERM opens a window (tools/test runs under Xvfb)"
                         : "xterm is not installed (tools/setup installs it)");
      return;
    }
  fresh_runtime_dir ();
  xdg = g_strconcat ("XDG_RUNTIME_DIR=", runtime_dir, NULL);
  test_write_file (res, res_text);
  ensure_off (h1uri, "deck-h1");
  create = test_run ("ctys", (const char *[]) { "-g", "100x30+10+10", "-a", "create=l:deck-h1,CONSOLE:XTERM",
                                                "-p", db, "labh1", NULL },
                     (const char *[]) { xdg, res_env, "VMDECK_NODENAME", NULL }, NULL);
  g_assert_cmpint (create->status, ==, 0);
  test_assert_contains (create->out, "console: xterm");
  test_assert_domstate (h1uri, "deck-h1", "running");

  /* the console really is attached: virsh says so in the xterm, and a reset's banner
   * arrives there */
  if (!test_wait_file_contains (log, "Connected to domain", 60))
    g_error ("the xterm did not show a connected console within 60 s");
  g_free (test_virsh (h1uri, "reset", "deck-h1"));
  if (!test_wait_file_contains (log, "VMDECK-GUEST deck-h1 READY", 90))
    g_error ("the guest's banner did not reach the xterm within 90 s");

  list = ctys ((const char *[]) { "-a", "list=machine,client", "localhost", NULL });
  test_assert_contains (list->out, ";XTERM;deck-h1;");
  test_assert_contains (list->out, ";CLIENT;");

  close_it = ctys ((const char *[]) { "-a", "cancel=l:deck-h1,CLIENT", "-p", db, "labh1", NULL });
  g_assert_cmpint (close_it->status, ==, 0);
  test_assert_contains (close_it->out, "end the XTERM client of deck-h1");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  do
    {
      g_clear_pointer (&after, test_run_free);
      after = ctys ((const char *[]) { "-a", "list=machine,client", "localhost", NULL });
      if (strstr (after->out, ";XTERM;deck-h1;") == NULL)
        break;
      g_usleep (300000);
    }
  while (g_get_monotonic_time () < deadline);
  g_assert_null (strstr (after->out, ";XTERM;deck-h1;"));
  test_assert_domstate (h1uri, "deck-h1", "running");
  ensure_off (h1uri, "deck-h1");
}

/* -b async (spec §3.2, as ctys's ssh -f): ctys returns at once, naming the background
 * process that carries the job on; that process starts the guest and reports to the same
 * output. */
static void
test_background_create (void)
{
  const char *uri = g_getenv ("LAB_LOCAL_URI");
  const char *dir = test_tmpdir ();
  g_autofree char *out_path = g_build_filename (dir, "out", NULL);
  g_autofree char *err_path = g_build_filename (dir, "err", NULL);
  g_autofree char *ctys_path = test_program_path ("ctys");
  g_autofree char *xdg = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) envp = NULL;
  const char *argv[] = { ctys_path, "-b", "async", "-a", "create=l:deck-l1,CONSOLE:none", "-p", db,
                         local_uri_opt, "localhost", NULL };
  const char *pid_text;
  int out_fd, err_fd, status;
  GPid parent;
  pid_t child;
  gint64 deadline;

  fresh_runtime_dir ();
  ensure_off (uri, "deck-l1");
  xdg = g_strdup (runtime_dir);
  envp = g_environ_setenv (g_get_environ (), "XDG_RUNTIME_DIR", xdg, TRUE);
  envp = g_environ_unsetenv (envp, "VMDECK_NODENAME");
  out_fd = open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  err_fd = open (err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_true (g_spawn_async_with_fds (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                         &parent, -1, out_fd, err_fd, NULL));
  close (out_fd);
  close (err_fd);
  g_assert_cmpint (waitpid (parent, &status, 0), ==, parent);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  g_assert_true (g_file_get_contents (err_path, &err, NULL, NULL));
  pid_text = strstr (err, "the jobs run on in the background as pid ");
  g_assert_nonnull (pid_text);
  child = (pid_t) g_ascii_strtoll (pid_text + strlen ("the jobs run on in the background as pid "), NULL, 10);
  g_assert_cmpint (child, >, 0);
  g_assert_cmpint (child, !=, parent);

  /* the background process does the work and reports into the same output */
  if (!test_wait_file_contains (out_path, "deck-l1 runs", 90))
    g_error ("the background job did not start deck-l1");
  test_assert_domstate (uri, "deck-l1", "running");
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!process_gone (child) && g_get_monotonic_time () < deadline)
    g_usleep (200000);
  g_assert_true (process_gone (child));
  ensure_off (uri, "deck-l1");
}

/* -n on a host whose hypervisor is absent: every step printed, nothing fails. */
static void
test_dry_run_without_hypervisor (void)
{
  g_autoptr(TestRun) cancel = NULL, create = NULL, cli = NULL, nopty = NULL;

  fresh_runtime_dir ();
  cancel = ctys ((const char *[]) { "-n", "-a", "cancel=l:deck-h1,REBOOT", "-p", db,
                                    "--uri=qemu+unix:///system?socket=/nonexistent/sock", "labh1", NULL });
  g_assert_cmpint (cancel->status, ==, 0);
  test_assert_contains (cancel->out, "labh1: [dry run] reboot deck-h1 (qemu+unix:///system?socket=/nonexistent/sock)");
  create = ctys ((const char *[]) { "-n", "-a", "create=l:xen-labh1,CONSOLE:none,c:memory=256", "-p", db, "labh1", NULL });
  g_assert_cmpint (create->status, ==, 0);
  test_assert_contains (create->out, "[dry run] xl create /srv/vmdeck/vms/xen-labh1/xen-labh1.conf memory=256");

  /* the console command, exactly: xl console through ssh with a remote terminal (-t -t),
   * without one under -z NOPTY (spec §3.4) */
  cli = ctys ((const char *[]) { "-n", "-a", "create=l:xen-labh1,CONSOLE:CLI", "-p", db, "labh1", NULL });
  g_assert_cmpint (cli->status, ==, 0);
  test_assert_contains (cli->out, "-oControlMaster=no -t -t -- labh1 ");
  test_assert_contains (cli->out, "console");
  test_assert_contains (cli->out, "xen-labh1'");
  nopty = ctys ((const char *[]) { "-n", "-z", "NOPTY", "-a", "create=l:xen-labh1,CONSOLE:CLI", "-p", db, "labh1", NULL });
  g_assert_cmpint (nopty->status, ==, 0);
  test_assert_contains (nopty->out, "-oControlMaster=no -T -- labh1 ");
  g_assert_null (strstr (nopty->out, "-t -t"));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *skip = NULL;
  g_autoptr(TestRun) gen = NULL;
  g_autofree char *dbopt = NULL, *base = NULL;

  g_test_init (&argc, &argv, NULL);
  if ((skip = test_lab_setup ()) != NULL)
    {
      printf ("1..0 # SKIP %s\n", skip);
      return 0;
    }
  /* one inventory for all cases: the local tree and both hosts */
  fresh_runtime_dir ();
  db = g_build_filename (g_getenv ("LAB_DIR"), "actions-db", NULL);
  dbopt = g_strconcat ("--cacheDB=", db, NULL);
  local_uri_opt = g_strconcat ("--uri=", g_getenv ("LAB_LOCAL_URI"), NULL);
  base = g_strdup_printf ("localhost(-a enumerate=b:%s)", g_getenv ("LAB_LOCAL_BASE"));
  gen = test_run ("ctys-vdbgen", (const char *[]) { "--replace", dbopt, "--base=/srv/vmdeck/vms%/srv/vmdeck/shared",
                                                    "--", base, "labh1", "labh2", NULL },
                  (const char *[]) { "VMDECK_NODENAME", NULL }, NULL);
  g_assert_cmpint (gen->status, ==, 0);

  g_test_add_func ("/lab/actions/dry-run-without-hypervisor", test_dry_run_without_hypervisor);
  g_test_add_func ("/lab/actions/local-create-cancel", test_local_create_cancel);
  g_test_add_func ("/lab/actions/remote-create-cancel", test_remote_create_cancel);
  g_test_add_func ("/lab/actions/cli-console", test_cli_console);
  g_test_add_func ("/lab/actions/background-create", test_background_create);
  g_test_add_func ("/lab/actions/vnc-console-window", test_vnc_console_window);
  g_test_add_func ("/lab/actions/xterm-console", test_xterm_console);
  g_test_add_func ("/lab/actions/remote-and-list", test_remote_and_list);
  g_test_add_func ("/lab/actions/stack-safe-cancel-namespaced-host-inside-guest",
                   test_stack_safe_cancel_namespaced_host_inside_guest);
  return g_test_run ();
}
