/* test-ui-console-features.c: what the console tabs offer beyond showing a console, on
 * the real lab under Xvfb (suite ui)
 *
 * Tabs live in the main window (DeckWindow's console notebook, as a user opens them) and
 * are detached from there into windows of their own:
 *
 *   /ui/console-features/local      deck-l1 on the lab's session daemon: "type text" and
 *                                   its popover, send keys (Ctrl+Alt+F2 / F1 switch the
 *                                   guest's virtual terminal: the screen goes black and
 *                                   blue again), the keyboard grab indicator, 1:1 and
 *                                   fit scaling, fullscreen (the tab goes into a window
 *                                   of its own), the guest destroyed under
 *                                   open VNC and serial tabs (the window keeps serving
 *                                   events, the tabs say the machine is shut off, both
 *                                   reconnect once it runs again), a serial tab detached
 *                                   into its own window keeps its console and frees it
 *                                   when closed.
 *   /ui/console-features/remote     deck-h1 on labh1 (VNC through a forward on the one ssh
 *                                   master): the host's sshd killed under the open tab
 *                                   and back; the tab detached, still showing the guest
 *                                   through the same forward; closed there: the forward
 *                                   socket and the LIST tunnel are gone, the master stays.
 *   /ui/console-features/credential a transient guest whose VNC server has a password
 *                                   (libvirt graphics passwd=): the tab asks for it; a
 *                                   wrong one fails with the server's reason, the right
 *                                   one (after Reconnect) shows the guest's screen.
 *
 * Screenshots of the main window and of every console tab and window go to
 * $VMDECK_TEST_ARTIFACTS, else $VMDECK_BUILDDIR/tests/artifacts. Each case runs in a
 * subprocess; the parent then destroys what the case may have left running.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <gdk/gdkx.h>

#include "deck-console-window.h"
#include "deck-fields.h"
#include "deck-host.h"
#include "deck-host-list.h"
#include "deck-libvirt.h"
#include "deck-serial-tab.h"
#include "deck-sessions.h"
#include "deck-settings.h"
#include "deck-ssh-command.h"
#include "deck-vnc-tab.h"
#include "deck-window-private.h"
#include "ui-testutil.h"

#define L1 "deck-l1"
#define H1 "deck-h1"
#define PW "deck-pw"
#define PASSWORD "vmdeckpw"   /* VNC passwords have at most 8 characters */

#define MIN_BLUE_SHARE 0.5

#define note(...) G_STMT_START { g_autofree char *note_ = g_strdup_printf (__VA_ARGS__); \
                                 g_print ("# %s\n", note_); } G_STMT_END

/* --- the lab ---------------------------------------------------------------------------- */

static char *runtime_dir;

/* virsh ARGS on @uri; TRUE when it succeeded. */
static gboolean
virsh (const char *uri,
       const char *a1,
       const char *a2)
{
  const char *argv[] = { "virsh", "-q", "-c", uri, a1, a2, NULL };
  int status = 0;

  return g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL)
         && g_spawn_check_wait_status (status, NULL);
}

/* --- tabs --------------------------------------------------------------------------------- */

typedef struct {
  DeckVncTab *tab;
  double      share;
  gboolean    want_blue;
} BlueWait;

static gboolean
screen_blue_is (gpointer data)
{
  BlueWait *w = data;
  VncDisplay *display = deck_vnc_tab_get_display (w->tab);
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (display == NULL || !deck_vnc_tab_get_has_frame (w->tab))
    return FALSE;
  pixbuf = vnc_display_get_pixbuf (display);
  w->share = pixbuf ? test_blue_share (pixbuf) : 0.0;
  return w->want_blue ? w->share >= MIN_BLUE_SHARE : w->share < 0.05;
}

/* Waits until the guest's screen is blue (@blue) or not blue at all. */
static void
assert_screen (DeckVncTab *tab,
               gboolean    blue)
{
  BlueWait w = { tab, 0.0, blue };

  if (!test_wait_until (screen_blue_is, &w, 30))
    g_error ("the guest's screen is %s: %.1f %% blue-ish pixels", blue ? "not blue" : "still blue",
             100 * w.share);
  note ("%s: screen %.1f %% blue-ish", deck_console_tab_get_title (DECK_CONSOLE_TAB (tab)), 100 * w.share);
}

/* Finds the widget under @root whose accessible name is @name (a user's way of finding
 * it, and a screen reader's). */
static GtkWidget *
find_by_name (GtkWidget  *root,
              const char *name)
{
  g_autoptr(GList) children = NULL;

  if (g_strcmp0 (atk_object_get_name (gtk_widget_get_accessible (root)), name) == 0)
    return root;
  if (GTK_IS_MENU_BUTTON (root) && gtk_menu_button_get_popover (GTK_MENU_BUTTON (root)) != NULL)
    {
      GtkWidget *found = find_by_name (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (root))), name);

      if (found != NULL)
        return found;
    }
  if (!GTK_IS_CONTAINER (root))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (root));
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *found = find_by_name (l->data, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
auth_asked (gpointer data)
{
  GtkWidget *entry = find_by_name (GTK_WIDGET (data), "VNC password");
  GtkWidget *revealer = entry ? gtk_widget_get_ancestor (entry, GTK_TYPE_REVEALER) : NULL;

  return revealer != NULL && gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

/* The main window on an empty inventory: the tabs go into its console notebook. */
static DeckWindow *
new_main_window (void)
{
  g_autofree char *group = g_build_filename (test_tmpdir (), "vmdeck", NULL);
  g_autofree char *db = g_build_filename (test_tmpdir (), "db", NULL);
  g_autofree char *lines = g_strdup_printf ("localhost(--uri=%s)\n", g_getenv ("LAB_LOCAL_URI"));
  g_autofree char *fdb = g_build_filename (db, "enum.fdb", NULL);

  /* an empty inventory: the case's tabs are the only thing on the right */
  test_write_file (fdb, "");
  test_write_file (group, lines);
  return test_window_new (group, db, 1100, 820);
}

static guint
n_console_pages (DeckWindow *window)
{
  return (guint) gtk_notebook_get_n_pages (window->console_notebook);
}

static void
activate (gpointer    tab,
          const char *action,
          GVariant   *parameter)
{
  GActionGroup *group = G_ACTION_GROUP (deck_console_tab_get_actions (DECK_CONSOLE_TAB (tab)));

  g_assert_true (g_action_group_get_action_enabled (group, action));
  g_action_group_activate_action (group, action, parameter);
}

static gboolean
is_fullscreen (gpointer data)
{
  GdkWindow *window = gtk_widget_get_window (GTK_WIDGET (data));

  return window != NULL && (gdk_window_get_state (window) & GDK_WINDOW_STATE_FULLSCREEN) != 0;
}

/* Without a window manager, fullscreen is a request nobody grants. */
static gboolean
wm_does_fullscreen (void)
{
  GdkScreen *screen = gdk_screen_get_default ();

  return GDK_IS_X11_SCREEN (screen)
         && gdk_x11_screen_supports_net_wm_hint (screen, gdk_atom_intern_static_string ("_NET_WM_STATE_FULLSCREEN"));
}

static gboolean
is_not_fullscreen (gpointer data)
{
  return !is_fullscreen (data);
}

static gboolean
idle_ran (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_REMOVE;
}

/* The window still serves events: an idle and a redraw of the window get through. */
static void
assert_responsive (DeckWindow *window)
{
  guint ran = 0;

  g_idle_add (idle_ran, &ran);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  gtk_entry_set_text (GTK_ENTRY (deck_window_get_filter_entry (window)), "x");
  deck_window_apply_filter (window);
  test_spin (100);
  g_assert_cmpuint (ran, ==, 1);
  gtk_entry_set_text (GTK_ENTRY (deck_window_get_filter_entry (window)), "");
  deck_window_apply_filter (window);
}

/* --- cases ------------------------------------------------------------------------------ */

static void
case_local (void)
{
  const char *log = g_getenv ("LAB_SERIAL_LOG_deck_l1");
  const char *banner = "VMDECK-GUEST " L1 " READY";
  g_autoptr(DeckLibvirt) lv = NULL;
  DeckWindow *window;
  DeckConsoleWindow *detached;
  DeckVncTab *vnc;
  DeckSerialTab *serial;
  gpointer serial_ptr, vnc_ptr, detached_ptr;
  gint64 t0;

  lv = test_lv_connect (g_getenv ("LAB_LOCAL_URI"), NULL);
  test_lv_ensure_off (lv, L1);
  test_lv_control (lv, L1, DECK_DOMAIN_OP_START);
  g_assert_true (test_wait_log (log, banner, 1, 90));

  window = new_main_window ();
  vnc = deck_vnc_tab_new (lv, L1, NULL);
  vnc_ptr = vnc;
  g_object_add_weak_pointer (G_OBJECT (vnc), &vnc_ptr);
  deck_window_add_console (window, GTK_WIDGET (vnc));
  g_assert_true (test_tab_wait_state (vnc, DECK_CONSOLE_STATE_CONNECTED, 60));
  assert_screen (vnc, TRUE);
  test_save_window (GTK_WIDGET (window), "features-main-window-vnc-deck-l1");

  /* type text: the action, and the toolbar's popover as a user fills it in */
  activate (vnc, "type-text", g_variant_new_string ("vmdeck-echo typed-$((6*7))\n"));
  g_assert_true (test_wait_log (log, "typed-42", 1, 30));
  note ("%s: tab.type-text reached the guest (its serial log)", L1);
  {
    GtkWidget *entry = find_by_name (GTK_WIDGET (vnc), "Text to type");
    GtkWidget *button = find_by_name (GTK_WIDGET (vnc), "Type text");

    g_assert_nonnull (entry);
    g_assert_nonnull (button);
    g_assert_true (gtk_widget_get_sensitive (button));
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
    test_spin (100);
    gtk_entry_set_text (GTK_ENTRY (entry), "vmdeck-echo popover-ok_1");
    g_signal_emit_by_name (entry, "activate");
    g_assert_true (test_wait_log (log, "popover-ok_1", 1, 30));
    g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (entry)), ==, "");
    note ("%s: the Type Text popover reached the guest", L1);
  }

  /* send keys: Ctrl+Alt+F2 shows the guest's (empty, black) second virtual terminal,
   * Ctrl+Alt+F1 the first (blue) again */
  activate (vnc, "send-keys", g_variant_new_string ("ctrl-alt-f2"));
  assert_screen (vnc, FALSE);
  activate (vnc, "send-keys", g_variant_new_string ("ctrl-alt-f1"));
  assert_screen (vnc, TRUE);
  note ("%s: Ctrl+Alt+F2 / Ctrl+Alt+F1 switched the guest's virtual terminal", L1);

  /* the keyboard grab indicator follows gtk-vnc's grab (vnc_display_force_grab: what a
   * click into a screen with a relative mouse does; a synthesized click does not reach
   * gtk-vnc's grab here) */
  {
    GtkWidget *indicator = find_by_name (GTK_WIDGET (vnc), "Keyboard grabbed");
    VncDisplay *display = deck_vnc_tab_get_display (vnc);

    g_assert_nonnull (indicator);
    g_assert_false (gtk_widget_get_visible (indicator));
    vnc_display_force_grab (display, TRUE);
    g_assert_true (gtk_widget_get_visible (indicator));
    test_save_window (GTK_WIDGET (window), "features-vnc-deck-l1-grabbed");
    vnc_display_force_grab (display, FALSE);
    g_assert_false (gtk_widget_get_visible (indicator));
    note ("%s: the keyboard grab indicator follows the display's grab", L1);
  }

  /* 1:1 and fit */
  g_action_group_change_action_state (G_ACTION_GROUP (deck_console_tab_get_actions (DECK_CONSOLE_TAB (vnc))),
                                      "scale-to-fit", g_variant_new_boolean (FALSE));
  g_assert_false (deck_vnc_tab_get_scale_to_fit (vnc));
  g_assert_false (vnc_display_get_scaling (deck_vnc_tab_get_display (vnc)));
  test_save_window (GTK_WIDGET (window), "features-vnc-deck-l1-1to1");
  g_action_group_change_action_state (G_ACTION_GROUP (deck_console_tab_get_actions (DECK_CONSOLE_TAB (vnc))),
                                      "scale-to-fit", g_variant_new_boolean (TRUE));
  g_assert_true (vnc_display_get_scaling (deck_vnc_tab_get_display (vnc)));

  /* the serial tab beside it */
  serial = deck_serial_tab_new (lv, L1, NULL);
  serial_ptr = serial;
  g_object_add_weak_pointer (G_OBJECT (serial), &serial_ptr);
  deck_window_add_console (window, GTK_WIDGET (serial));
  g_assert_true (test_tab_wait_state (serial, DECK_CONSOLE_STATE_CONNECTED, 60));
  vte_terminal_feed_child (deck_serial_tab_get_terminal (serial), "echo tab-$((2+3))\r", -1);
  g_assert_true (test_wait_log (log, "tab-5", 1, 30));
  test_save_window (GTK_WIDGET (window), "features-main-window-serial-deck-l1");

  /* the guest is killed under both open tabs: the window keeps serving, both tabs say so
   * and drop their console; the VNC placeholder shows the state */
  t0 = g_get_monotonic_time ();
  g_assert_true (virsh (g_getenv ("LAB_LOCAL_URI"), "destroy", L1));
  g_assert_true (test_tab_wait_state (vnc, DECK_CONSOLE_STATE_STOPPED, 30));
  g_assert_true (test_tab_wait_state (serial, DECK_CONSOLE_STATE_STOPPED, 30));
  note ("%s: killed; both tabs stopped after %.2f s", L1, test_seconds_since (t0));
  assert_responsive (window);
  test_assert_contains (deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)), L1 " is shut off");
  g_assert_null (deck_vnc_tab_get_display (vnc));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (deck_console_tab_get_actions (DECK_CONSOLE_TAB (vnc))),
                                                     "type-text"));
  g_assert_nonnull (find_by_name (GTK_WIDGET (vnc), "Console state"));
  test_assert_contains (gtk_label_get_text (GTK_LABEL (find_by_name (GTK_WIDGET (vnc), "Console state"))),
                        "shut off");
  gtk_notebook_set_current_page (window->console_notebook, 0);
  test_save_window (GTK_WIDGET (window), "features-main-window-vnc-stopped");

  /* back: both reconnect by themselves */
  t0 = g_get_monotonic_time ();
  test_lv_control (lv, L1, DECK_DOMAIN_OP_START);
  g_assert_true (test_tab_wait_state (vnc, DECK_CONSOLE_STATE_CONNECTED, 60));
  g_assert_true (test_tab_wait_state (serial, DECK_CONSOLE_STATE_CONNECTED, 60));
  note ("%s: started again; both tabs reconnected after %.2f s", L1, test_seconds_since (t0));
  assert_screen (vnc, TRUE);

  /* the serial tab detached into a window of its own: same console, same stream */
  activate (serial, "detach", NULL);
  g_assert_cmpuint (n_console_pages (window), ==, 1);
  detached = DECK_CONSOLE_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (serial)));
  g_assert_true (DECK_IS_CONSOLE_WINDOW (detached));
  detached_ptr = detached;
  g_object_add_weak_pointer (G_OBJECT (detached), &detached_ptr);
  g_assert_cmpuint (deck_console_window_get_n_tabs (detached), ==, 1);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (deck_console_tab_get_actions (DECK_CONSOLE_TAB (serial))),
                                                     "detach"));
  g_assert_cmpint (deck_console_tab_get_state (DECK_CONSOLE_TAB (serial)), ==, DECK_CONSOLE_STATE_CONNECTED);
  vte_terminal_feed_child (deck_serial_tab_get_terminal (serial), "echo detached-$((8+1))\r", -1);
  g_assert_true (test_wait_log (log, "detached-9", 1, 30));
  test_save_window (GTK_WIDGET (detached), "features-detached-serial-deck-l1");
  g_assert_cmpuint (test_count_sessions (L1, "CLI", "CLIENT", NULL), ==, 1);
  /* closed there (its close button): the tab and its window go, the console is free */
  g_signal_emit_by_name (serial, "close-requested");
  g_assert_true (test_wait_until (test_is_null, &serial_ptr, 10));
  g_assert_true (test_wait_until (test_is_null, &detached_ptr, 10));
  g_assert_cmpuint (test_count_sessions (L1, "CLI", "CLIENT", NULL), ==, 0);
  /* the main window and its VNC tab are untouched */
  g_assert_cmpint (deck_console_tab_get_state (DECK_CONSOLE_TAB (vnc)), ==, DECK_CONSOLE_STATE_CONNECTED);

  /* fullscreen from the main window: the screen alone, in a window of its own */
  activate (vnc, "fullscreen", NULL);
  g_assert_cmpuint (n_console_pages (window), ==, 0);
  detached = DECK_CONSOLE_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (vnc)));
  g_assert_true (DECK_IS_CONSOLE_WINDOW (detached));
  detached_ptr = detached;
  g_object_add_weak_pointer (G_OBJECT (detached), &detached_ptr);
  if (wm_does_fullscreen ())
    g_assert_true (test_wait_until (is_fullscreen, detached, 10));
  else
    note ("no window manager that does fullscreen (plain Xvfb): the window's state is not checked");
  g_assert_cmpint (deck_console_tab_get_state (DECK_CONSOLE_TAB (vnc)), ==, DECK_CONSOLE_STATE_CONNECTED);
  assert_screen (vnc, TRUE);
  test_save_window (GTK_WIDGET (detached), "features-vnc-deck-l1-fullscreen");
  activate (vnc, "fullscreen", NULL);
  if (wm_does_fullscreen ())
    g_assert_true (test_wait_until (is_not_fullscreen, detached, 10));
  note ("%s: fullscreen detached the tab into a window of its own", L1);

  /* the VNC tab's close button in its window: tab and window go */
  g_signal_emit_by_name (vnc, "close-requested");
  g_assert_true (test_wait_until (test_is_null, &vnc_ptr, 10));
  g_assert_true (test_wait_until (test_is_null, &detached_ptr, 10));
  g_assert_cmpuint (test_count_sessions (L1, "VNC", "CLIENT", NULL), ==, 0);
  gtk_widget_destroy (GTK_WIDGET (window));
  test_lv_control (lv, L1, DECK_DOMAIN_OP_DESTROY);
}

static void
case_remote (void)
{
  const char *log = g_getenv ("LAB_SERIAL_LOG_deck_h1");
  g_autoptr(DeckHost) host = NULL;
  g_autoptr(DeckLibvirt) lv = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sockets = NULL;
  g_autofree char *uri = NULL, *socket_path = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(GSocketConnection) refused = NULL;
  DeckWindow *window;
  DeckConsoleWindow *detached;
  DeckVncTab *vnc;
  gpointer vnc_ptr, detached_ptr;
  gint64 t0;

  host = deck_host_new ("labh1", NULL, &error);
  g_assert_no_error (error);
  deck_ssh_command_set_batch_mode (deck_host_get_ssh (host), TRUE);
  deck_host_connect_async (host, NULL, test_async_done, &res);
  g_assert_true (deck_host_connect_finish (host, test_wait_result (&res, 60), &error));
  g_assert_no_error (error);
  uri = deck_host_get_libvirt_uri (host, "qemu");
  lv = test_lv_connect (uri, "labh1");
  test_lv_ensure_off (lv, H1);
  test_lv_control (lv, H1, DECK_DOMAIN_OP_START);
  g_assert_true (test_wait_log (log, "VMDECK-GUEST " H1 " READY", 1, 90));

  window = new_main_window ();
  vnc = deck_vnc_tab_new (lv, H1, host);
  vnc_ptr = vnc;
  g_object_add_weak_pointer (G_OBJECT (vnc), &vnc_ptr);
  deck_window_add_console (window, GTK_WIDGET (vnc));
  g_assert_true (test_tab_wait_state (vnc, DECK_CONSOLE_STATE_CONNECTED, 60));
  assert_screen (vnc, TRUE);
  test_save_window (GTK_WIDGET (window), "features-main-window-vnc-deck-h1");
  g_assert_cmpuint (test_count_masters ("labh1", runtime_dir), ==, 1);
  g_assert_cmpuint (test_count_sessions (H1, "SSH(QEMU)", "TUNNEL", NULL), ==, 1);

  /* labh1 dies under the open tab: the window keeps serving, the tab says so; it comes
   * back by itself once sshd is back */
  t0 = g_get_monotonic_time ();
  test_lab_command ("host-down", "labh1");
  g_assert_true (test_wait_until (test_tab_not_connected, vnc, 60));
  note ("labh1 down; tab %s after %.2f s: \"%s\"",
        g_enum_to_string (DECK_TYPE_CONSOLE_STATE, deck_console_tab_get_state (DECK_CONSOLE_TAB (vnc))),
        test_seconds_since (t0), deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)));
  assert_responsive (window);
  g_assert_nonnull (deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)));
  g_assert_null (deck_vnc_tab_get_display (vnc));
  test_save_window (GTK_WIDGET (window), "features-main-window-vnc-host-down");
  test_lab_command ("host-up", "labh1");
  g_assert_true (test_tab_wait_state (vnc, DECK_CONSOLE_STATE_CONNECTED, 120));
  note ("labh1 up; the tab reconnected %.2f s after the host went down", test_seconds_since (t0));
  assert_screen (vnc, TRUE);
  g_assert_cmpuint (test_count_masters ("labh1", runtime_dir), ==, 1);

  sockets = test_forward_sockets ();
  g_assert_cmpuint (sockets->len, ==, 1);
  socket_path = g_strdup (sockets->pdata[0]);

  /* detached: its own window, still connected through the same forward */
  activate (vnc, "detach", NULL);
  g_assert_cmpuint (n_console_pages (window), ==, 0);
  detached = DECK_CONSOLE_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (vnc)));
  g_assert_true (DECK_IS_CONSOLE_WINDOW (detached));
  detached_ptr = detached;
  g_object_add_weak_pointer (G_OBJECT (detached), &detached_ptr);
  g_assert_cmpint (deck_console_tab_get_state (DECK_CONSOLE_TAB (vnc)), ==, DECK_CONSOLE_STATE_CONNECTED);
  g_clear_pointer (&sockets, g_ptr_array_unref);
  sockets = test_forward_sockets ();
  g_assert_cmpuint (sockets->len, ==, 1);
  g_assert_cmpstr (sockets->pdata[0], ==, socket_path);
  {
    guint echoes = test_log_count (log, "detached-h1");

    activate (vnc, "type-text", g_variant_new_string ("vmdeck-echo detached-h1\n"));
    g_assert_true (test_wait_log (log, "detached-h1", echoes + 1, 30));
  }
  assert_screen (vnc, TRUE);
  test_save_window (GTK_WIDGET (detached), "features-detached-vnc-deck-h1");

  /* closed in its window: the forward goes from the master, LIST has no tunnel, the one
   * master stays */
  t0 = g_get_monotonic_time ();
  g_signal_emit_by_name (vnc, "close-requested");
  g_assert_true (test_wait_until (test_is_null, &vnc_ptr, 10));
  g_assert_true (test_wait_until (test_is_null, &detached_ptr, 10));
  g_assert_true (test_wait_until (test_no_forward_sockets, NULL, 20));
  g_assert_cmpuint (test_count_sessions (H1, "SSH(QEMU)", "TUNNEL", NULL), ==, 0);
  g_assert_cmpuint (test_count_sessions (H1, "VNC", "CLIENT", NULL), ==, 0);
  addr = g_unix_socket_address_new (socket_path);
  refused = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (addr), NULL, &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (test_count_masters ("labh1", runtime_dir), ==, 1);
  note ("labh1: forward gone %.2f s after closing the detached tab", test_seconds_since (t0));
  gtk_widget_destroy (GTK_WIDGET (window));
  test_lv_control (lv, H1, DECK_DOMAIN_OP_DESTROY);
}

/* A transient copy of deck-l2 whose VNC server wants a password. */
static void
create_password_guest (void)
{
  g_autofree char *src = g_build_filename (g_getenv ("LAB_LOCAL_BASE"), "deck-l2", "deck-l2.xml", NULL);
  g_autofree char *xml = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("LAB_DIR"), "local", "deck-pw.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) uuid = g_regex_new ("<uuid>[^<]*</uuid>", 0, 0, NULL);
  g_autoptr(GRegex) mac = g_regex_new ("<mac address='[^']*'/>", 0, 0, NULL);
  g_auto(GStrv) parts = NULL;
  char *tmp;

  g_assert_true (g_file_get_contents (src, &xml, NULL, &error));
  g_assert_no_error (error);
  parts = g_strsplit (xml, "deck-l2", -1);
  tmp = g_strjoinv (PW, parts);
  g_free (xml);
  xml = g_regex_replace_literal (uuid, tmp, -1, 0, "", 0, NULL);
  g_free (tmp);
  tmp = g_regex_replace_literal (mac, xml, -1, 0, "", 0, NULL);
  g_free (xml);
  xml = tmp;
  g_strfreev (parts);
  parts = g_strsplit (xml, "<graphics type='vnc' ", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  g_free (xml);
  xml = g_strconcat (parts[0], "<graphics type='vnc' passwd='" PASSWORD "' ", parts[1], NULL);
  test_write_file (path, xml);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_true (virsh (g_getenv ("LAB_LOCAL_URI"), "create", path));
}

static void
case_credential (void)
{
  g_autoptr(DeckLibvirt) lv = NULL;
  g_autofree char *log = g_build_filename (g_getenv ("LAB_DIR"), "local", "logs", PW ".serial.log", NULL);
  DeckConsoleWindow *window;
  DeckVncTab *vnc;
  GtkWidget *entry;

  lv = test_lv_connect (g_getenv ("LAB_LOCAL_URI"), NULL);
  create_password_guest ();
  g_assert_true (test_wait_log (log, "VMDECK-GUEST " PW " READY", 1, 90));

  window = deck_console_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1060, 880);
  gtk_widget_show (GTK_WIDGET (window));
  vnc = deck_vnc_tab_new (lv, PW, NULL);
  deck_console_window_add_tab (window, DECK_CONSOLE_TAB (vnc));
  deck_console_tab_connect_async (DECK_CONSOLE_TAB (vnc), NULL, NULL, NULL);

  /* alone in its window: nothing to detach it from */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (deck_console_tab_get_actions (DECK_CONSOLE_TAB (vnc))),
                                                     "detach"));

  /* the server asks: the tab asks the user */
  g_assert_true (test_wait_until (auth_asked, vnc, 60));
  g_assert_cmpint (deck_console_tab_get_state (DECK_CONSOLE_TAB (vnc)), ==, DECK_CONSOLE_STATE_CONNECTING);
  entry = find_by_name (GTK_WIDGET (vnc), "VNC password");
  g_assert_true (gtk_widget_has_focus (entry));
  test_save_window (GTK_WIDGET (window), "features-vnc-credential-prompt");

  /* a wrong password: the server's refusal, no retry loop */
  gtk_entry_set_text (GTK_ENTRY (entry), "wrong");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (test_tab_wait_state (vnc, DECK_CONSOLE_STATE_FAILED, 60));
  note ("wrong password: \"%s\"", deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)));
  test_assert_contains (deck_console_tab_get_status (DECK_CONSOLE_TAB (vnc)), "authentication failed");
  test_spin (2500);
  g_assert_cmpint (deck_console_tab_get_state (DECK_CONSOLE_TAB (vnc)), ==, DECK_CONSOLE_STATE_FAILED);
  g_assert_false (auth_asked (vnc));

  /* Reconnect asks again; the right one shows the guest */
  activate (vnc, "reconnect", NULL);
  g_assert_true (test_wait_until (auth_asked, vnc, 60));
  gtk_entry_set_text (GTK_ENTRY (entry), PASSWORD);
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (test_tab_wait_state (vnc, DECK_CONSOLE_STATE_CONNECTED, 60));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (entry)), ==, "");
  assert_screen (vnc, TRUE);
  test_save_window (GTK_WIDGET (window), "features-vnc-credential-connected");
  gtk_widget_destroy (GTK_WIDGET (window));
  g_assert_true (virsh (g_getenv ("LAB_LOCAL_URI"), "destroy", PW));
}

/* --- the parent ------------------------------------------------------------------------- */

static void
run_case (gconstpointer data)
{
  test_lab_run_case (data, "cf", 400, &runtime_dir);
}

int
main (int    argc,
      char **argv)
{
  static const TestLabCase cases[] = {
    { "/ui/console-features/local", case_local, L1, NULL },
    { "/ui/console-features/remote", case_remote, H1, "labh1" },
    { "/ui/console-features/credential", case_credential, PW, NULL },
  };
  g_autofree char *skip = NULL;

  g_test_init (&argc, &argv, NULL);
  if ((skip = test_ui_setup (&argc, &argv)) != NULL)
    {
      printf ("1..0 # SKIP %s\n", skip);
      return 0;
    }
  g_unsetenv ("VMDECK_NODENAME");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], run_case);
  return g_test_run ();
}
