/* test-xen-window.c: the window against the real Xen 4.17 host (suite xen)
 *
 * The host is tests/lab/xenhost (see test-xen-host.c): a running one ($LAB_XEN_DIR), else
 * brought up here and taken down at the end. GTK needs a display (tools/test runs the suites
 * under xvfb-run); without one, or when the Xen host cannot run here, the program skips and
 * says why.
 *
 * The window gets a host list naming the Xen host ("labxen", once with --backend=xl, once
 * with --backend=libvirt and the host's xen+ssh:// URI) and the inventory ctys-vdbgen made
 * of its base. Each case starts xen-d2 (a PV DomU with a PV framebuffer: white text on blue
 * on tty1 and a shell there, a shell on hvc0) through the window's action and checks it on
 * the Dom0 ("xl list"), opens its serial console (the banner or the prompt, then a computed
 * answer) and its VNC console (blue pixels on the screen, typing changes them), sends
 * Ctrl+Alt+Del through the VNC tab (the guest reboots: a new banner on hvc0, a new domain
 * id, both tabs come back by themselves), and shuts it down with the confirmation (xl no
 * longer lists it; the tabs wait in STOPPED). The last case is CREATE CONSOLE:VNC of the
 * command line: the vmdeck console window it spawns (its process in the session registry,
 * its pixels on the screen). Timings are printed as "timing: ..." messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <vte/vte.h>
#include <vncdisplay.h>

#include "deck-fields.h"
#include "deck-host-list.h"
#include "deck-machine-tree.h"
#include "deck-serial-tab.h"
#include "deck-sessions.h"
#include "deck-vnc-tab.h"
#include "ui-testutil.h"
#include "xen-testutil.h"

#define DOMU            "xen-d2"
#define MIN_BLUE_SHARE  0.4     /* of the display widget: tty1 is blue, maybe letterboxed */

static char *db;                /* inventory of the Xen host's base */
static const char *host;        /* "labxen" */

/* --- the Dom0 --------------------------------------------------------------------------- */

/* A command on the Dom0 as root; its stdout (NULL when it failed). */
static char *
dom0_argv (const char * const *words)
{
  g_autoptr(XenRun) r = xen_dom0_argv (words);

  return r->status == 0 ? g_steal_pointer (&r->out) : NULL;
}

#define dom0(...) dom0_argv ((const char *[]) { __VA_ARGS__, NULL })

/* "<id> <state letters>" of @name in "xl list", NULL when not listed. */
static char *
xl_entry (const char *name)
{
  g_autofree char *id = NULL, *state = NULL;

  return xen_xl_lookup (name, &id, &state) ? g_strdup_printf ("%s %s", id, state) : NULL;
}

/* Until xl lists @name (@listed) or not (a dying domain lingers a moment); fails after
 * @timeout_s. Returns the entry (NULL when waiting for it to go). */
static char *
wait_xl (const char *name,
         gboolean    listed,
         guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  char *entry;

  while ((entry = xl_entry (name)) == NULL ? listed : !listed || strchr (entry, 'd') || strstr (entry, "s-"))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s: xl list still says '%s' after %u s", name, entry ? entry : "(not listed)", timeout_s);
      g_free (entry);
      test_spin (1000);
    }
  return entry;
}

static void
xl_off (const char *name)
{
  g_free (dom0 ("xl", "destroy", name));   /* fails when it is not running: fine */
  g_free (wait_xl (name, FALSE, 60));
}

static double
wait_banners (const char *name,
              guint       count)
{
  gint64 t0 = g_get_monotonic_time ();

  while (xen_banners (name) < count)
    {
      if (test_seconds_since (t0) > XEN_BANNER_TIMEOUT)
        g_error ("%s: no console banner #%u within %d s", name, count, XEN_BANNER_TIMEOUT);
      test_spin (1000);
    }
  return test_seconds_since (t0);
}

/* A new $XDG_RUNTIME_DIR under the Xen host's directory (its own ssh masters, sessions). */
static void
fresh_runtime_dir (const char *name)
{
  g_autofree char *dir = g_strdup_printf ("%s/rt-window-%s", g_getenv ("LAB_XEN_DIR"), name);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_setenv ("XDG_RUNTIME_DIR", dir, TRUE);
}

/* --- the window --------------------------------------------------------------------------- */

typedef struct {
  DeckWindow      *window;
  DeckDomainState  state;
  DeckDomainState  also;       /* another state that will do */
} RowWait;

static DeckMachineItem *
domu_item (DeckWindow *window)
{
  g_autoptr(GPtrArray) items = deck_machine_tree_find_machines (deck_window_get_tree (window), host, DOMU);

  return items->len > 0 ? items->pdata[0] : NULL;
}

static gboolean
row_in_state (gpointer data)
{
  RowWait *w = data;
  DeckMachineItem *item = domu_item (w->window);

  return item != NULL && (deck_machine_item_get_state (item) == w->state || deck_machine_item_get_state (item) == w->also);
}

static gboolean
window_loaded (gpointer data)
{
  return !deck_window_is_loading (data);
}

static DeckConsoleTab *
last_tab (DeckWindow *window)
{
  GList *pages = gtk_container_get_children (GTK_CONTAINER (window->console_notebook));
  DeckConsoleTab *tab = pages ? DECK_CONSOLE_TAB (g_list_last (pages)->data) : NULL;

  g_list_free (pages);
  return tab;
}

typedef struct {
  DeckSerialTab *tab;
  const char    *needle;
  guint          count;
} TextWait;

static gboolean
serial_has (gpointer data)
{
  TextWait *w = data;
  g_autofree char *text = deck_serial_tab_dup_text (w->tab);

  return test_count_in (text, w->needle) >= w->count;
}

static gboolean
serial_has_banner_or_prompt (gpointer data)
{
  g_autofree char *text = deck_serial_tab_dup_text (data);

  return strstr (text, "VMDECK-XEN " DOMU " READY") != NULL || strstr (text, DOMU "# ") != NULL;
}

static gboolean
vnc_connected_with_frame (gpointer data)
{
  return deck_console_tab_get_state (data) == DECK_CONSOLE_STATE_CONNECTED
         && deck_vnc_tab_get_has_frame (data);
}

/* What the X server shows of the VNC tab's display. */
static GdkPixbuf *
display_shot (DeckVncTab *tab)
{
  GdkWindow *w = gtk_widget_get_window (GTK_WIDGET (deck_vnc_tab_get_display (tab)));

  test_spin (300);
  return gdk_pixbuf_get_from_window (w, 0, 0, gdk_window_get_width (w), gdk_window_get_height (w));
}

static guint
pixels_changed (GdkPixbuf *a,
                GdkPixbuf *b)
{
  int width = MIN (gdk_pixbuf_get_width (a), gdk_pixbuf_get_width (b));
  int height = MIN (gdk_pixbuf_get_height (a), gdk_pixbuf_get_height (b));
  guint n = 0;

  for (int y = 0; y < height; y++)
    {
      const guint8 *pa = gdk_pixbuf_read_pixels (a) + y * gdk_pixbuf_get_rowstride (a);
      const guint8 *pb = gdk_pixbuf_read_pixels (b) + y * gdk_pixbuf_get_rowstride (b);

      for (int x = 0; x < width; x++)
        n += memcmp (pa + x * gdk_pixbuf_get_n_channels (a), pb + x * gdk_pixbuf_get_n_channels (b), 3) != 0;
    }
  return n;
}

typedef struct {
  DeckVncTab *tab;
  GdkPixbuf  *before;
} ShotWait;

static gboolean
screen_changed (gpointer data)
{
  ShotWait *w = data;
  g_autoptr(GdkPixbuf) now = display_shot (w->tab);

  return pixels_changed (w->before, now) > 200;
}

/* The whole flow on one window whose host list is @group_line. */
static void
window_case (const char *group_line,
             const char *name)
{
  g_autofree char *group = g_build_filename (test_tmpdir (), "vmdeck", NULL);
  g_autofree char *lines = g_strconcat (group_line, "\n", NULL);
  g_autofree char *entry = NULL, *entry2 = NULL, *shot = NULL;
  g_autoptr(GdkPixbuf) blue = NULL, typed = NULL;
  DeckWindow *window;
  GActionGroup *actions;
  DeckSerialTab *serial;
  DeckVncTab *vnc;
  DeckMachineItem *item;
  TestHostWait hw;
  RowWait rw;
  TextWait tw;
  ShotWait sw;
  guint n;
  gint64 t0;
  double t;

  fresh_runtime_dir (name);
  xl_off (DOMU);
  n = xen_banners (DOMU);

  test_write_file (group, lines);
  window = test_window_new (group, db, 1280, 900);
  actions = G_ACTION_GROUP (window);
  g_assert_true (test_wait_until (window_loaded, window, 30));

  /* the tree: labxen with both DomUs, reachable, live state */
  hw = (TestHostWait) { window, host };
  t0 = g_get_monotonic_time ();
  if (!test_wait_until (test_host_reachable, &hw, 90))
    {
      DeckMachineItem *h = deck_machine_tree_find_host (deck_window_get_tree (window), host);

      g_error ("%s not reachable: %s", host, h ? deck_machine_item_get_reach_message (h) : "no such row");
    }
  {
    g_autoptr(GPtrArray) d1 = deck_machine_tree_find_machines (deck_window_get_tree (window), host, "xen-d1");

    g_assert_cmpuint (d1->len, ==, 1);
  }
  g_assert_nonnull (domu_item (window));
  /* xl: not listed = shut off; libvirt: an xl config it has not defined yet is unknown */
  rw = (RowWait) { window, DECK_DOMAIN_STATE_SHUTOFF, DECK_DOMAIN_STATE_UNKNOWN };
  g_assert_true (test_wait_until (row_in_state, &rw, 60));
  g_test_message ("timing: %s: host reachable with live state after %.1f s", name, test_seconds_since (t0));

  /* Start through the window's action: xl lists it running */
  g_assert_true (deck_window_select (window, host, DOMU, FALSE));
  g_assert_true (g_action_group_get_action_enabled (actions, "start"));
  t0 = g_get_monotonic_time ();
  g_action_group_activate_action (actions, "start", NULL);
  g_assert_true (test_wait_until (test_window_not_busy, window, 300));
  g_assert_null (deck_window_get_error_text (window));
  entry = wait_xl (DOMU, TRUE, 30);
  /* running, blocked or runnable ("------"): not paused, shut down, crashed or dying */
  g_assert_null (strpbrk (strchr (entry, ' '), "pscd"));
  g_test_message ("timing: %s: create %.1f s (xl list: %s)", name, test_seconds_since (t0), entry);
  rw = (RowWait) { window, DECK_DOMAIN_STATE_RUNNING, DECK_DOMAIN_STATE_BLOCKED };
  g_assert_true (test_wait_until (row_in_state, &rw, 30));
  item = domu_item (window);
  g_assert_true (g_action_group_get_action_enabled (actions, "shutdown"));

  /* the serial console: banner or prompt, then a command and its computed answer */
  g_assert_true (deck_window_select (window, host, DOMU, FALSE));
  t0 = g_get_monotonic_time ();
  g_action_group_activate_action (actions, "open-serial", NULL);
  serial = DECK_SERIAL_TAB (last_tab (window));
  g_assert_nonnull (serial);
  g_assert_cmpstr (deck_console_tab_get_title (DECK_CONSOLE_TAB (serial)), ==, DOMU " on labxen (serial)");
  if (!test_tab_wait_state (serial, DECK_CONSOLE_STATE_CONNECTED, 60))
    g_error ("serial tab: %s", deck_console_tab_get_status (DECK_CONSOLE_TAB (serial)));
  g_test_message ("timing: %s: serial console attached after %.1f s", name, test_seconds_since (t0));
  t = wait_banners (DOMU, n + 1);
  g_test_message ("timing: %s: banner on the Dom0's console log %.1f s after the serial attach", name, t);
  /* the guest may have printed its banner before the console was attached: a newline
   * brings the prompt */
  vte_terminal_feed_child (deck_serial_tab_get_terminal (serial), "\r", -1);
  g_assert_true (test_wait_until (serial_has_banner_or_prompt, serial, 60));
  g_test_message ("timing: %s: banner or prompt in the serial tab after %.1f s", name, test_seconds_since (t0));
  vte_terminal_feed_child (deck_serial_tab_get_terminal (serial), "echo xen-$((6*7))\r", -1);
  tw = (TextWait) { serial, "xen-42", 1 };
  if (!test_wait_until (serial_has, &tw, 30))
    {
      g_autofree char *text = deck_serial_tab_dup_text (serial);

      g_error ("no computed answer in the serial tab:\n%s", text);
    }

  /* the VNC console: the framebuffer's blue on the screen; typing changes it */
  g_assert_true (deck_window_select (window, host, DOMU, FALSE));
  t0 = g_get_monotonic_time ();
  g_action_group_activate_action (actions, "open-vnc", NULL);
  vnc = DECK_VNC_TAB (last_tab (window));
  g_assert_true (DECK_IS_VNC_TAB (vnc));
  g_assert_cmpstr (deck_console_tab_get_title (DECK_CONSOLE_TAB (vnc)), ==, DOMU " on labxen (VNC)");
  if (!test_wait_until (vnc_connected_with_frame, vnc, 60))
    g_error ("VNC tab: %s", deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)));
  g_test_message ("timing: %s: VNC console attached after %.1f s", name, test_seconds_since (t0));
  shot = g_strconcat ("xen-window-", name, "-vnc", NULL);
  test_save_window (GTK_WIDGET (window), shot);
  blue = display_shot (vnc);
  g_test_message ("%s: blue share of the VNC display %.2f", name, test_blue_share (blue));
  g_assert_cmpfloat (test_blue_share (blue), >=, MIN_BLUE_SHARE);
  g_assert_true (deck_vnc_tab_type_text (vnc, "echo typed-$((6*7))\n"));
  sw = (ShotWait) { vnc, blue };
  g_assert_true (test_wait_until (screen_changed, &sw, 30));
  typed = display_shot (vnc);
  g_test_message ("%s: %u pixels changed by typing", name, pixels_changed (blue, typed));

  /* Ctrl+Alt+Del through the VNC tab's send-keys (gtk-vnc: libxl has no send-key): the
   * kernel reboots at once, xl restarts the domain; both tabs come back by themselves */
  tw = (TextWait) { serial, "VMDECK-XEN " DOMU " READY", 1 };
  {
    g_autofree char *text = deck_serial_tab_dup_text (serial);

    tw.count = test_count_in (text, tw.needle) + 1;
  }
  t0 = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (deck_console_tab_get_actions (DECK_CONSOLE_TAB (vnc))),
                                  "send-keys", g_variant_new_string (DECK_VNC_TAB_KEYS_CTRL_ALT_DEL));
  t = wait_banners (DOMU, n + 2);
  entry2 = wait_xl (DOMU, TRUE, 60);
  g_test_message ("timing: %s: Ctrl+Alt+Del → banner of the new boot after %.1f s (xl list: %s, before: %s)",
                  name, t, entry2, entry);
  g_assert_cmpstr (entry2, !=, entry);   /* a new domain id */
  if (!test_wait_until (serial_has, &tw, 90))
    {
      g_autofree char *text = deck_serial_tab_dup_text (serial);

      g_error ("the serial tab did not come back after the reboot (%s):\n%s",
               deck_console_tab_get_status (DECK_CONSOLE_TAB (serial)) ?: "connected", text);
    }
  if (!test_wait_until (vnc_connected_with_frame, vnc, 120))
    g_error ("the VNC tab did not come back after the reboot: %s",
             deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)) ?: "connected, no frame");
  g_test_message ("timing: %s: both tabs back %.1f s after Ctrl+Alt+Del", name, test_seconds_since (t0));
  test_spin (3000);   /* tty1 repainted */
  {
    g_autoptr(GdkPixbuf) again = display_shot (vnc);

    g_assert_cmpfloat (test_blue_share (again), >=, MIN_BLUE_SHARE);
  }

  /* the row follows the reboot (libvirt's libxl driver sends "stopped" and no "started":
   * the window looks the domain up again) */
  rw = (RowWait) { window, DECK_DOMAIN_STATE_RUNNING, DECK_DOMAIN_STATE_BLOCKED };
  if (!test_wait_until (row_in_state, &rw, 90))
    g_error ("%s: the row did not show the rebooted domain running", name);

  /* Shut down, confirmed: xl no longer lists it; the tabs wait for it */
  g_assert_true (deck_window_select (window, host, DOMU, FALSE));
  t0 = g_get_monotonic_time ();
  g_action_group_activate_action (actions, "shutdown", NULL);
  g_assert_true (test_wait_until (test_window_has_dialog, window, 5));
  gtk_dialog_response (GTK_DIALOG (deck_window_get_pending_dialog (window)), GTK_RESPONSE_ACCEPT);
  g_assert_true (test_wait_until (test_window_not_busy, window, 300));
  g_assert_null (deck_window_get_error_text (window));
  g_free (wait_xl (DOMU, FALSE, 120));
  g_test_message ("timing: %s: shutdown %.1f s", name, test_seconds_since (t0));
  rw = (RowWait) { window, DECK_DOMAIN_STATE_SHUTOFF, DECK_DOMAIN_STATE_UNKNOWN };
  g_assert_true (test_wait_until (row_in_state, &rw, 30));
  g_assert_true (item == domu_item (window));
  if (!test_tab_wait_state (serial, DECK_CONSOLE_STATE_STOPPED, 60))
    g_error ("serial tab not STOPPED: %s", deck_console_tab_get_status (DECK_CONSOLE_TAB (serial)));
  if (!test_tab_wait_state (vnc, DECK_CONSOLE_STATE_STOPPED, 60))
    g_error ("VNC tab not STOPPED: %s", deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)));

  test_close_window (window);
  xl_off (DOMU);
}

/* The xl backend: xl over ssh; consoles through xl console / the framebuffer's port. */
static void
test_window_xl (void)
{
  window_case ("labxen(--backend=xl)", "xl");
}

/* libvirt's libxl driver over xen+ssh://: its console stream and its graphics port. */
static void
test_window_libvirt (void)
{
  g_autofree char *line = g_strdup_printf ("labxen(--backend=libvirt --uri=%s)", g_getenv ("LAB_XEN_URI"));

  window_case (line, "libvirt");
  /* the start defined it in libvirt: leave the host as the other cases expect it */
  g_free (dom0 ("virsh", "-c", "xen:///system", "undefine", DOMU));
}

/* ctys CREATE CONSOLE:VNC of an xl config: vmdeck's console window on the xl backend. */

typedef struct {
  char  *pid;
  guint  waited;
} ClientWait;

static gboolean
has_vnc_client (gpointer data)
{
  ClientWait *w = data;
  g_autoptr(GPtrArray) clients = deck_sessions_clients (DOMU);

  for (guint i = 0; i < clients->len; i++)
    {
      char **f = clients->pdata[i];

      if (g_str_equal (f[DECK_LIST_TYPE - 1], "VNC"))
        {
          g_free (w->pid);
          w->pid = g_strdup (f[DECK_LIST_PID - 1]);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
root_is_blue (gpointer data)
{
  GdkWindow *root = gdk_get_default_root_window ();
  g_autoptr(GdkPixbuf) shot = gdk_pixbuf_get_from_window (root, 0, 0, gdk_window_get_width (root),
                                                          gdk_window_get_height (root));
  double *share = data;

  *share = shot ? test_blue_share (shot) : 0.0;
  return *share >= 0.15;
}

static void
test_ctys_console_vnc (void)
{
  g_autofree char *vmdeck = g_build_filename (g_getenv ("VMDECK_BUILDDIR"), "src", "vmdeck", NULL);
  g_autofree char *program = g_strconcat ("VMDECK_PROGRAM=", vmdeck, NULL);
  g_autofree char *cmdline = NULL, *proc = NULL;
  const char *env[] = { program, NULL };
  g_autoptr(TestRun) r = NULL;
  ClientWait cw = { NULL, 0 };
  double share = 0.0;
  gint64 t0;
  gsize len;

  fresh_runtime_dir ("ctys");
  xl_off (DOMU);
  t0 = g_get_monotonic_time ();
  r = test_run ("ctys", (const char *[]) { "-t", "xen", "-a", "create=l:" DOMU ",CONSOLE:vnc", "-p", db, host, NULL },
                env, NULL);
  g_test_message ("ctys: exit %d\nstdout: %s\nstderr: %s", r->status, r->out, r->err);
  g_assert_cmpint (r->status, ==, 0);
  test_assert_contains (r->out, "console: a vmdeck VNC window on " DOMU);
  g_free (wait_xl (DOMU, TRUE, 30));
  g_test_message ("timing: ctys create CONSOLE:VNC %.1f s", test_seconds_since (t0));

  /* the window: a VNC client of xen-d2 in the session registry, run as vmdeck --console xl */
  g_assert_true (test_wait_until (has_vnc_client, &cw, 90));
  g_test_message ("timing: ctys console window connected %.1f s after the create", test_seconds_since (t0));
  proc = g_strdup_printf ("/proc/%s/cmdline", cw.pid);
  g_assert_true (g_file_get_contents (proc, &cmdline, &len, NULL));
  for (gsize i = 0; i + 1 < len; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  test_assert_contains (cmdline, "--console xl " DOMU " --vnc --host labxen");
  /* and its pixels: the guest's blue tty1 on the screen */
  if (!test_wait_until (root_is_blue, &share, 60))
    g_error ("the console window shows no blue screen (%.2f blue)", share);
  g_test_message ("ctys console window: %.2f of the screen blue", share);
  {
    GdkWindow *root = gdk_get_default_root_window ();
    g_autoptr(GdkPixbuf) shot = gdk_pixbuf_get_from_window (root, 0, 0, gdk_window_get_width (root),
                                                            gdk_window_get_height (root));
    g_autofree char *dir = test_artifacts_dir ();
    g_autofree char *path = g_build_filename (dir, "xen-ctys-console-vnc.png", NULL);

    g_assert_true (gdk_pixbuf_save (shot, path, "png", NULL, NULL));
    g_print ("# screenshot %s\n", path);
  }

  /* CANCEL CLIENT ends it */
  {
    g_autoptr(TestRun) c = test_run ("ctys", (const char *[]) { "-a", "cancel=l:" DOMU ",CLIENT", "-p", db, host, NULL },
                                     env, NULL);
    g_autofree char *alive = g_strdup_printf ("/proc/%s", cw.pid);
    gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

    g_test_message ("ctys cancel CLIENT: exit %d\nstdout: %s\nstderr: %s", c->status, c->out, c->err);
    while (g_file_test (alive, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
      test_spin (200);
    if (g_file_test (alive, G_FILE_TEST_EXISTS))
      {
        kill (atoi (cw.pid), SIGTERM);
        g_error ("the console window (pid %s) outlived CANCEL CLIENT", cw.pid);
      }
  }
  g_free (cw.pid);
  xl_off (DOMU);
}

/* --- set-up ----------------------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  g_autofree char *skip = NULL, *dbopt = NULL, *base = NULL;
  g_autoptr(TestRun) gen = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check (&argc, &argv))
    {
      printf ("1..0 # SKIP no display (run under xvfb-run, as tools/test does)\n");
      return 0;
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if ((skip = xen_test_setup (FALSE)) != NULL)
    {
      printf ("1..0 # SKIP %s\n", skip);
      return 0;
    }
  host = g_getenv ("LAB_XEN_HOST");

  /* the inventory: ctys-vdbgen of the host's base */
  fresh_runtime_dir ("gen");
  db = g_build_filename (g_getenv ("LAB_XEN_DIR"), "db-window", NULL);
  dbopt = g_strconcat ("--cacheDB=", db, NULL);
  base = g_strconcat ("--base=", g_getenv ("LAB_XEN_BASE"), NULL);
  gen = test_run ("ctys-vdbgen", (const char *[]) { "--replace", dbopt, base, "--", host, NULL }, NULL, NULL);
  if (gen->status != 0)
    {
      printf ("Bail out! ctys-vdbgen of %s failed (%d): %s\n", host, gen->status, gen->err);
      return 1;
    }

  g_test_add_func ("/xen-window/xl", test_window_xl);
  g_test_add_func ("/xen-window/libvirt", test_window_libvirt);
  g_test_add_func ("/xen-window/ctys-console-vnc", test_ctys_console_vnc);
  return g_test_run ();
}
