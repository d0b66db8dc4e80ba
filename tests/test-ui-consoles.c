/* test-ui-consoles.c: the console tabs on the real lab, under Xvfb (suite ui)
 *
 * A DeckConsoleWindow with a DeckVncTab and a DeckSerialTab on lab guests (real QEMU
 * guests, real libvirt, real ssh; see tests/lab/README.md): deck-l1 on the lab's local
 * session daemon, deck-h1 on labh1 with VNC through a forward on the host's ssh master.
 * Assertions read the guest's screen (vnc_display_get_pixbuf: the guest paints tty1 white
 * on blue), its serial log (what was typed over VNC comes back there through the guest's
 * vmdeck-echo) and the VTE text.
 *
 * Each case runs in a subprocess; the parent then destroys whatever guest the case may
 * have left running (a failed assertion aborts the child), closes its ssh masters, and
 * only then reports the child's result. At most one guest runs at a time.
 *
 * Screenshots (the guest's framebuffer and the whole window) go to $VMDECK_TEST_ARTIFACTS,
 * else $VMDECK_BUILDDIR/tests/artifacts/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include <libvirt/libvirt.h>

#include "deck-console-window.h"
#include "deck-fields.h"
#include "deck-host.h"
#include "deck-libvirt.h"
#include "deck-serial-tab.h"
#include "deck-sessions.h"
#include "deck-ssh-command.h"
#include "deck-vnc-tab.h"
#include "ui-testutil.h"

#define L1 "deck-l1"
#define H1 "deck-h1"

/* Blue-ish pixels (the linux console's blue is 0,0,170) must cover at least this share
 * of the guest's screen. */
#define MIN_BLUE_SHARE 0.5

/* TAP comments from the subprocess (g_test_message is quiet there; stdout is inherited). */
#define note(...) G_STMT_START { g_autofree char *note_ = g_strdup_printf (__VA_ARGS__); \
                                 g_print ("# %s\n", note_); } G_STMT_END

/* --- the lab ---------------------------------------------------------------------------- */

static char *runtime_dir;   /* $XDG_RUNTIME_DIR of the current case (set by the parent) */

/* --- libvirt ---------------------------------------------------------------------------- */

static guint
lv_vnc_port (DeckLibvirt *lv,
             const char  *name)
{
  g_autoptr(DeckDomainInfo) info = test_lv_lookup (lv, name);

  return info->vnc_port;
}

/* --- the session registry (LIST's clients and tunnels) ------------------------------------ */

static guint
count_own_sessions (void)
{
  g_autoptr(GPtrArray) rows = deck_sessions_list ();
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    n += g_str_equal (((char **) rows->pdata[i])[DECK_LIST_PID - 1], pid);
  return n;
}

/* --- console tabs ----------------------------------------------------------------------- */

/* Connects @tab; returns when the connection started (for timings). */
static gint64
connect_tab (DeckConsoleTab *tab)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  deck_console_tab_connect_async (tab, NULL, test_async_done, &res);
  g_assert_true (deck_console_tab_connect_finish (tab, test_wait_result (&res, 60), &error));
  g_assert_no_error (error);
  g_assert_cmpint (deck_console_tab_get_state (tab), ==, DECK_CONSOLE_STATE_CONNECTED);
  g_assert_null (deck_console_tab_get_status (tab));
  note ("%s: connected in %.2f s", deck_console_tab_get_title (tab), test_seconds_since (t0));
  return t0;
}

static gboolean
vnc_has_frame (gpointer data)
{
  return deck_vnc_tab_get_has_frame (DECK_VNC_TAB (data));
}

typedef struct {
  DeckVncTab *tab;
  double      share;
} BlueWait;

static gboolean
screen_is_blue (gpointer data)
{
  BlueWait *w = data;
  VncDisplay *display = deck_vnc_tab_get_display (w->tab);
  g_autoptr(GdkPixbuf) pixbuf = display ? vnc_display_get_pixbuf (display) : NULL;

  w->share = pixbuf ? test_blue_share (pixbuf) : 0.0;
  return w->share >= MIN_BLUE_SHARE;
}

/* Waits for the first framebuffer update, then for the guest's blue screen; @t0: when
 * the connection started. */
static void
assert_guest_screen (DeckVncTab *tab,
                     gint64      t0)
{
  BlueWait w = { tab, 0.0 };
  VncDisplay *display;

  g_assert_true (test_wait_until (vnc_has_frame, tab, 20));
  note ("%s: first framebuffer update by %.2f s after the connection started",
        deck_console_tab_get_title (DECK_CONSOLE_TAB (tab)), test_seconds_since (t0));
  display = deck_vnc_tab_get_display (tab);
  g_assert_nonnull (display);
  if (!test_wait_until (screen_is_blue, &w, 20))
    g_error ("the guest's screen is not blue: %.1f %% blue-ish pixels (want >= %.0f %%)",
             100 * w.share, 100 * MIN_BLUE_SHARE);
  note ("%s: %dx%d screen, %.1f %% blue-ish pixels (by %.2f s after the connection started)",
        deck_console_tab_get_title (DECK_CONSOLE_TAB (tab)), vnc_display_get_width (display),
        vnc_display_get_height (display), 100 * w.share, test_seconds_since (t0));
}

/* Types @text + Return on the VNC display, one key at a time (with Shift for '_'). */
static void
send_text (VncDisplay *display,
           const char *text)
{
  for (const char *p = text; *p; p++)
    {
      guint keys[2] = { GDK_KEY_Shift_L, 0 };

      if (*p == '_')
        {
          keys[1] = GDK_KEY_underscore;
          vnc_display_send_keys (display, keys, 2);
          continue;
        }
      keys[1] = *p == ' ' ? GDK_KEY_space : gdk_unicode_to_keyval ((guchar) *p);
      vnc_display_send_keys (display, &keys[1], 1);
    }
  {
    guint ret = GDK_KEY_Return;

    vnc_display_send_keys (display, &ret, 1);
  }
}

static void
save_framebuffer (DeckVncTab *tab,
                  const char *name)
{
  g_autofree char *dir = test_artifacts_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPixbuf) saved = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (deck_vnc_tab_save_screenshot (tab, path, &error));
  g_assert_no_error (error);
  saved = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (saved), ==, vnc_display_get_width (deck_vnc_tab_get_display (tab)));
  g_assert_cmpfloat (test_blue_share (saved), >=, MIN_BLUE_SHARE);
  note ("screenshot %s", path);
}

typedef struct {
  DeckSerialTab *tab;
  const char    *needle;
  guint          n;
} TextWait;

static gboolean
vte_has (gpointer data)
{
  TextWait *w = data;
  g_autofree char *text = deck_serial_tab_dup_text (w->tab);

  return test_count_in (text, w->needle) >= w->n;
}

static gboolean
wait_vte (DeckSerialTab *tab,
          const char    *needle,
          guint          n,
          guint          timeout_s)
{
  TextWait w = { tab, needle, n };

  return test_wait_until (vte_has, &w, timeout_s);
}

static guint
vte_count (DeckSerialTab *tab,
           const char    *needle)
{
  g_autofree char *text = deck_serial_tab_dup_text (tab);

  return test_count_in (text, needle);
}

/* Whether deck-l1's console can be opened without VIR_DOMAIN_CONSOLE_FORCE, i.e. nobody
 * holds it (libvirt refuses a second session: "Active console session exists"). A
 * blocking libvirt call, fine in a test. */
static gboolean
console_is_free (gpointer data)
{
  DeckLibvirt *lv = data;
  virConnectPtr conn = NULL;
  virDomainPtr dom;
  virStreamPtr stream;
  gboolean opened;

  g_object_get (deck_libvirt_get_connection (lv), "handle", &conn, NULL);
  g_assert_nonnull (conn);
  dom = virDomainLookupByName (conn, L1);
  g_assert_nonnull (dom);
  stream = virStreamNew (conn, VIR_STREAM_NONBLOCK);
  g_assert_nonnull (stream);
  opened = virDomainOpenConsole (dom, NULL, stream, 0) == 0;
  if (opened)
    virStreamAbort (stream);
  virStreamFree (stream);
  virDomainFree (dom);
  virConnectClose (conn);
  return opened;
}

/* Delivers a key press to @widget as GTK would (its "key-press-event"); TRUE when a
 * handler took it. */
static gboolean
send_key (GtkWidget       *widget,
          guint            keyval,
          GdkModifierType  state)
{
  GdkEvent *event = test_key_event_new (widget, keyval, state);
  gboolean handled = gtk_widget_event (widget, event);

  gdk_event_free (event);
  return handled;
}

static DeckConsoleWindow *
new_window (void)
{
  DeckConsoleWindow *window = deck_console_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1060, 880);
  gtk_widget_show (GTK_WIDGET (window));
  return window;
}

/* --- cases ------------------------------------------------------------------------------ */

/* deck-l1 on the local session daemon: VNC tab (screen, typing, screenshot), serial tab
 * (banner, a command and its output), the guest destroyed under both tabs (they clear and
 * wait) and started again (they reconnect by themselves), then both tabs closed. */
static void
case_local (void)
{
  const char *log = g_getenv ("LAB_SERIAL_LOG_deck_l1");
  const char *banner = "VMDECK-GUEST " L1 " READY";
  g_autoptr(DeckLibvirt) lv = NULL;
  DeckConsoleWindow *window;
  DeckVncTab *vnc;
  DeckSerialTab *serial;
  VncDisplay *display;
  gpointer window_ptr, vnc_ptr, serial_ptr;
  guint banners, echoes;
  gint64 t0;

  lv = test_lv_connect (g_getenv ("LAB_LOCAL_URI"), NULL);
  test_lv_ensure_off (lv, L1);

  /* the serial log starts afresh with each start (append='off') */
  t0 = g_get_monotonic_time ();
  test_lv_control (lv, L1, DECK_DOMAIN_OP_START);
  g_assert_true (test_wait_log (log, banner, 1, 90));
  note ("%s: start to banner in the serial log %.2f s", L1, test_seconds_since (t0));

  window = new_window ();
  window_ptr = window;
  g_object_add_weak_pointer (G_OBJECT (window), &window_ptr);

  /* VNC: the guest's screen */
  vnc = deck_vnc_tab_new (lv, L1, NULL);
  vnc_ptr = vnc;
  g_object_add_weak_pointer (G_OBJECT (vnc), &vnc_ptr);
  deck_console_window_add_tab (window, DECK_CONSOLE_TAB (vnc));
  g_assert_cmpstr (deck_console_tab_get_title (DECK_CONSOLE_TAB (vnc)), ==, L1 " (VNC)");
  g_assert_cmpint (deck_console_tab_get_state (DECK_CONSOLE_TAB (vnc)), ==, DECK_CONSOLE_STATE_IDLE);
  t0 = connect_tab (DECK_CONSOLE_TAB (vnc));
  assert_guest_screen (vnc, t0);
  save_framebuffer (vnc, "vnc-deck-l1-framebuffer");
  /* a CLIENT record for LIST (and CANCEL CLIENT), with the VNC port it uses */
  {
    g_autofree char *port = g_strdup_printf ("%u", lv_vnc_port (lv, L1));

    g_assert_cmpuint (test_count_sessions (L1, "VNC", "CLIENT", port), ==, 1);
  }
  test_save_window (GTK_WIDGET (window), "console-window-vnc-deck-l1");

  /* VNC: keys typed reach the guest (its vmdeck-echo writes them to the serial log) */
  display = deck_vnc_tab_get_display (vnc);
  echoes = test_log_count (log, "hello42");
  t0 = g_get_monotonic_time ();
  send_text (display, "vmdeck-echo hello42");
  g_assert_true (test_wait_log (log, "hello42", echoes + 1, 20));
  note ("%s: typed over VNC, in the serial log after %.2f s", L1, test_seconds_since (t0));
  /* the tab's own typing: Shift for capitals and '_' */
  echoes = test_log_count (log, "Typed_By-Tab7");
  g_assert_true (deck_vnc_tab_type_text (vnc, "vmdeck-echo Typed_By-Tab7\n"));
  g_assert_true (test_wait_log (log, "Typed_By-Tab7", echoes + 1, 20));
  g_assert_false (deck_vnc_tab_type_text (vnc, "\x01"));
  /* key combinations by name (what the guest makes of them is not checked: the lab's
   * guest switches no virtual terminal, not even for virsh send-key) */
  g_assert_false (deck_vnc_tab_send_keys (vnc, "ctrl-alt-f13"));
  g_assert_false (deck_vnc_tab_send_keys (vnc, "no-such-keys"));
  g_assert_true (deck_vnc_tab_send_keys (vnc, "ctrl-alt-f1"));
  /* scaling 1:1 and back */
  deck_vnc_tab_set_scale_to_fit (vnc, FALSE);
  g_assert_false (vnc_display_get_scaling (display));
  deck_vnc_tab_set_scale_to_fit (vnc, TRUE);
  g_assert_true (vnc_display_get_scaling (display));

  /* serial: the banner (the pty may have kept it; else a reset prints it again) */
  serial = deck_serial_tab_new (lv, L1, NULL);
  serial_ptr = serial;
  g_object_add_weak_pointer (G_OBJECT (serial), &serial_ptr);
  deck_console_window_add_tab (window, DECK_CONSOLE_TAB (serial));
  g_assert_cmpuint (deck_console_window_get_n_tabs (window), ==, 2);
  g_assert_true (deck_console_window_get_current_tab (window) == DECK_CONSOLE_TAB (serial));
  connect_tab (DECK_CONSOLE_TAB (serial));
  g_assert_cmpuint (test_count_sessions (L1, "CLI", "CLIENT", ""), ==, 1);
  if (wait_vte (serial, banner, 1, 3))
    note ("%s: the banner was kept by the pty", L1);
  else
    {
      note ("%s: the pty did not keep the banner; resetting the guest", L1);
      t0 = g_get_monotonic_time ();
      test_lv_control (lv, L1, DECK_DOMAIN_OP_RESET);
      g_assert_true (wait_vte (serial, banner, 1, 90));
      note ("%s: reset to banner in the serial tab %.2f s", L1, test_seconds_since (t0));
    }
  /* the VNC tab rode through it */
  g_assert_cmpint (deck_console_tab_get_state (DECK_CONSOLE_TAB (vnc)), ==, DECK_CONSOLE_STATE_CONNECTED);

  /* serial: a command typed in the terminal, and its output (not the echoed input) */
  t0 = g_get_monotonic_time ();
  vte_terminal_feed_child (deck_serial_tab_get_terminal (serial), "echo serial-ok-$((3+4))\r", -1);
  if (!wait_vte (serial, "serial-ok-7", 1, 20))
    {
      g_autofree char *text = deck_serial_tab_dup_text (serial);

      g_error ("no serial-ok-7 in the terminal; it holds: %s", text);
    }
  note ("%s: command typed in the serial tab, output there after %.2f s", L1, test_seconds_since (t0));
  g_assert_true (test_wait_log (log, "serial-ok-7", 1, 5));
  test_save_window (GTK_WIDGET (window), "console-window-serial-deck-l1");

  /* the serial tab's keys: Ctrl+Shift+C copies the selection, Ctrl+Shift+V pastes into
   * the console, Ctrl+plus / Ctrl+minus / Ctrl+0 set the font size */
  {
    VteTerminal *terminal = deck_serial_tab_get_terminal (serial);
    GtkClipboard *clipboard = gtk_clipboard_get (GDK_SELECTION_CLIPBOARD);
    g_autofree char *copied = NULL;

    vte_terminal_select_all (terminal);
    g_assert_true (send_key (GTK_WIDGET (terminal), GDK_KEY_C, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
    copied = gtk_clipboard_wait_for_text (clipboard);
    test_assert_contains (copied, "serial-ok-7");
    vte_terminal_unselect_all (terminal);
    gtk_clipboard_set_text (clipboard, "echo pasted-$((5+5))\n", -1);
    g_assert_true (send_key (GTK_WIDGET (terminal), GDK_KEY_V, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
    g_assert_true (wait_vte (serial, "pasted-10", 1, 20));
    g_assert_true (send_key (GTK_WIDGET (terminal), GDK_KEY_plus, GDK_CONTROL_MASK));
    g_assert_cmpfloat (deck_serial_tab_get_font_scale (serial), >, 1.05);
    g_assert_true (send_key (GTK_WIDGET (terminal), GDK_KEY_minus, GDK_CONTROL_MASK));
    g_assert_true (send_key (GTK_WIDGET (terminal), GDK_KEY_minus, GDK_CONTROL_MASK));
    g_assert_cmpfloat (deck_serial_tab_get_font_scale (serial), <, 0.95);
    g_assert_true (send_key (GTK_WIDGET (terminal), GDK_KEY_0, GDK_CONTROL_MASK));
    g_assert_cmpfloat (deck_serial_tab_get_font_scale (serial), ==, 1.0);
    note ("%s: copy, paste and zoom keys of the serial tab work", L1);
  }

  /* another client takes the serial console over: the tab says so and leaves it alone
   * (no tug of war) until Reconnect takes it back */
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GIOStream) other = NULL;
    const char *line = "vmdeck-echo other-client\r";

    deck_libvirt_open_console_async (lv, L1, NULL, test_async_done, &res);
    other = deck_libvirt_open_console_finish (lv, test_wait_result (&res, 30), &error);
    g_assert_no_error (error);
    g_assert_true (test_tab_wait_state (DECK_CONSOLE_TAB (serial), DECK_CONSOLE_STATE_FAILED, 10));
    note ("%s: console taken over: \"%s\"", L1, deck_console_tab_get_status (DECK_CONSOLE_TAB (serial)));
    test_assert_contains (deck_console_tab_get_status (DECK_CONSOLE_TAB (serial)), "took over");
    test_spin (2500);
    g_assert_cmpint (deck_console_tab_get_state (DECK_CONSOLE_TAB (serial)), ==, DECK_CONSOLE_STATE_FAILED);
    g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (other), line, strlen (line),
                                              NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (test_wait_log (log, "other-client", 1, 10));

    g_action_group_activate_action (G_ACTION_GROUP (deck_console_tab_get_actions (DECK_CONSOLE_TAB (serial))),
                                    "reconnect", NULL);
    g_assert_true (test_tab_wait_state (DECK_CONSOLE_TAB (serial), DECK_CONSOLE_STATE_CONNECTED, 20));
    g_io_stream_close (other, NULL, NULL);
    vte_terminal_feed_child (deck_serial_tab_get_terminal (serial), "echo back-$((40+2))\r", -1);
    g_assert_true (wait_vte (serial, "back-42", 1, 20));
    note ("%s: Reconnect took the console back", L1);
  }

  /* the machine stops: both tabs drop their console and wait */
  t0 = g_get_monotonic_time ();
  test_lv_control (lv, L1, DECK_DOMAIN_OP_DESTROY);
  g_assert_true (test_tab_wait_state (DECK_CONSOLE_TAB (vnc), DECK_CONSOLE_STATE_STOPPED, 20));
  g_assert_true (test_tab_wait_state (DECK_CONSOLE_TAB (serial), DECK_CONSOLE_STATE_STOPPED, 20));
  note ("%s: destroyed; both tabs stopped after %.2f s: \"%s\"", L1, test_seconds_since (t0),
        deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)));
  g_assert_null (deck_vnc_tab_get_display (vnc));
  g_assert_false (deck_vnc_tab_get_has_frame (vnc));
  g_assert_cmpuint (count_own_sessions (), ==, 0);
  test_assert_contains (deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)), L1 " is shut off");
  test_save_window (GTK_WIDGET (window), "console-window-serial-deck-l1-stopped");

  /* ... and come back by themselves when it starts again */
  t0 = g_get_monotonic_time ();
  banners = vte_count (serial, banner);
  test_lv_control (lv, L1, DECK_DOMAIN_OP_START);
  g_assert_true (test_tab_wait_state (DECK_CONSOLE_TAB (vnc), DECK_CONSOLE_STATE_CONNECTED, 30));
  g_assert_true (test_tab_wait_state (DECK_CONSOLE_TAB (serial), DECK_CONSOLE_STATE_CONNECTED, 30));
  note ("%s: started again; both tabs reconnected after %.2f s", L1, test_seconds_since (t0));
  g_assert_true (wait_vte (serial, banner, banners + 1, 90));
  note ("%s: the new boot's banner in the serial tab after %.2f s", L1, test_seconds_since (t0));
  assert_guest_screen (vnc, t0);

  /* while the serial tab is open, nobody gets the console without taking it over */
  g_assert_false (console_is_free (lv));

  /* closing the tabs frees them (and their stream / display); the last one closes the window */
  deck_console_window_close_tab (window, DECK_CONSOLE_TAB (vnc));
  g_assert_true (test_wait_until (test_is_null, &vnc_ptr, 10));
  g_assert_cmpuint (deck_console_window_get_n_tabs (window), ==, 1);
  deck_console_window_close_tab (window, DECK_CONSOLE_TAB (serial));
  g_assert_true (test_wait_until (test_is_null, &serial_ptr, 10));
  g_assert_true (test_wait_until (test_is_null, &window_ptr, 10));
  g_assert_cmpuint (count_own_sessions (), ==, 0);

  /* the closed serial tab let go of its console: one can be opened without taking it over */
  g_assert_true (test_wait_until (console_is_free, (gpointer) lv, 10));
  t0 = g_get_monotonic_time ();
  test_lv_control (lv, L1, DECK_DOMAIN_OP_DESTROY);
  g_assert_cmpint (test_lv_state (lv, L1), ==, DECK_DOMAIN_STATE_SHUTOFF);
  note ("%s: destroyed in %.2f s", L1, test_seconds_since (t0));
}

/* deck-h1 on labh1: VNC through a unix socket forwarded on the host's one ssh master;
 * keys typed there reach the guest; closing the tab removes the forward. */
static void
case_remote (void)
{
  const char *log = g_getenv ("LAB_SERIAL_LOG_deck_h1");
  const char *banner = "VMDECK-GUEST " H1 " READY";
  g_autoptr(DeckHost) host = NULL;
  g_autoptr(DeckLibvirt) lv = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sockets = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(GSocketConnection) refused = NULL;
  g_autofree char *uri = NULL, *socket_path = NULL;
  DeckConsoleWindow *window;
  DeckVncTab *vnc;
  gpointer window_ptr, vnc_ptr;
  guint echoes;
  gint64 t0;

  host = deck_host_new ("labh1", NULL, &error);
  g_assert_no_error (error);
  deck_ssh_command_set_batch_mode (deck_host_get_ssh (host), TRUE);
  t0 = g_get_monotonic_time ();
  deck_host_connect_async (host, NULL, test_async_done, &res);
  g_assert_true (deck_host_connect_finish (host, test_wait_result (&res, 60), &error));
  g_assert_no_error (error);
  note ("labh1: ssh master up in %.2f s", test_seconds_since (t0));
  uri = deck_host_get_libvirt_uri (host, "qemu");
  lv = test_lv_connect (uri, "labh1");
  test_lv_ensure_off (lv, H1);

  t0 = g_get_monotonic_time ();
  test_lv_control (lv, H1, DECK_DOMAIN_OP_START);
  g_assert_true (test_wait_log (log, banner, 1, 90));
  note ("%s: start to banner in the serial log %.2f s", H1, test_seconds_since (t0));

  window = new_window ();
  window_ptr = window;
  g_object_add_weak_pointer (G_OBJECT (window), &window_ptr);
  vnc = deck_vnc_tab_new (lv, H1, host);
  vnc_ptr = vnc;
  g_object_add_weak_pointer (G_OBJECT (vnc), &vnc_ptr);
  deck_console_window_add_tab (window, DECK_CONSOLE_TAB (vnc));
  g_assert_cmpstr (deck_console_tab_get_title (DECK_CONSOLE_TAB (vnc)), ==, H1 " on labh1 (VNC)");
  t0 = connect_tab (DECK_CONSOLE_TAB (vnc));
  assert_guest_screen (vnc, t0);
  save_framebuffer (vnc, "vnc-deck-h1-framebuffer");
  test_save_window (GTK_WIDGET (window), "console-window-vnc-deck-h1");

  /* the display goes through one forwarded socket, private to us, on the one master */
  sockets = test_forward_sockets ();
  g_assert_cmpuint (sockets->len, ==, 1);
  socket_path = g_strdup (sockets->pdata[0]);
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (socket_path, &st), ==, 0);
    g_assert_true (S_ISSOCK (st.st_mode));
    g_assert_cmpint (st.st_mode & 0077, ==, 0);
  }
  g_assert_cmpuint (test_count_masters ("labh1", runtime_dir), ==, 1);
  note ("labh1: VNC through %s; %u ssh master", socket_path, test_count_masters ("labh1", runtime_dir));
  /* LIST records: the client (no local port: a unix socket) and the tunnel */
  g_assert_cmpuint (test_count_sessions (H1, "VNC", "CLIENT", ""), ==, 1);
  g_assert_cmpuint (test_count_sessions (H1, "SSH(QEMU)", "TUNNEL", "0"), ==, 1);

  /* typing over the forwarded display reaches the guest */
  echoes = test_log_count (log, "remote42");
  t0 = g_get_monotonic_time ();
  send_text (deck_vnc_tab_get_display (vnc), "vmdeck-echo remote42");
  g_assert_true (test_wait_log (log, "remote42", echoes + 1, 20));
  note ("%s: typed over VNC, in the serial log after %.2f s", H1, test_seconds_since (t0));

  /* labh1's sshd dies under the open display: the tab waits and retries; once sshd is
   * back it reconnects by itself, through a new master (still one) */
  t0 = g_get_monotonic_time ();
  test_lab_command ("host-down", "labh1");
  g_assert_true (test_wait_until (test_tab_not_connected, vnc, 30));
  g_assert_null (deck_vnc_tab_get_display (vnc));
  note ("labh1: sshd killed; the tab noticed after %.2f s: %s \"%s\"", test_seconds_since (t0),
        g_enum_to_string (DECK_TYPE_CONSOLE_STATE, deck_console_tab_get_state (DECK_CONSOLE_TAB (vnc))),
        deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)));
  test_spin (1000);
  g_assert_cmpint (deck_console_tab_get_state (DECK_CONSOLE_TAB (vnc)), !=, DECK_CONSOLE_STATE_CONNECTED);
  t0 = g_get_monotonic_time ();
  test_lab_command ("host-up", "labh1");
  g_assert_true (test_tab_wait_state (DECK_CONSOLE_TAB (vnc), DECK_CONSOLE_STATE_CONNECTED, 90));
  note ("labh1: sshd back; the tab reconnected after %.2f s", test_seconds_since (t0));
  assert_guest_screen (vnc, t0);
  g_assert_cmpuint (test_count_masters ("labh1", runtime_dir), ==, 1);

  /* closing the tab (the last: the window goes too) cancels the forward */
  t0 = g_get_monotonic_time ();
  deck_console_window_close_tab (window, DECK_CONSOLE_TAB (vnc));
  g_assert_true (test_wait_until (test_is_null, &vnc_ptr, 10));
  g_assert_true (test_wait_until (test_is_null, &window_ptr, 10));
  g_assert_true (test_wait_until (test_no_forward_sockets, NULL, 20));
  g_assert_cmpuint (count_own_sessions (), ==, 0);
  note ("labh1: forward removed %.2f s after closing the tab", test_seconds_since (t0));
  addr = g_unix_socket_address_new (socket_path);
  refused = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (addr), NULL, &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (test_count_masters ("labh1", runtime_dir), ==, 1);

  t0 = g_get_monotonic_time ();
  test_lv_control (lv, H1, DECK_DOMAIN_OP_DESTROY);
  g_assert_cmpint (test_lv_state (lv, H1), ==, DECK_DOMAIN_STATE_SHUTOFF);
  note ("%s: destroyed in %.2f s", H1, test_seconds_since (t0));
}

/* --- the parent: run a case in a subprocess, then clean up ------------------------------ */

static void
run_case (gconstpointer data)
{
  test_lab_run_case (data, "ui", 300, &runtime_dir);
}

int
main (int    argc,
      char **argv)
{
  static const TestLabCase cases[] = {
    { "/ui/consoles/local", case_local, L1, NULL },
    { "/ui/consoles/remote", case_remote, H1, "labh1" },
  };
  g_autofree char *skip = NULL;

  g_test_init (&argc, &argv, NULL);
  if ((skip = test_ui_setup (&argc, &argv)) != NULL)
    {
      printf ("1..0 # SKIP %s\n", skip);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], run_case);
  return g_test_run ();
}
