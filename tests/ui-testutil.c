/* ui-testutil.c: see ui-testutil.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui-testutil.h"

#include "deck-host-list.h"
#include "deck-machine-tree.h"
#include "deck-settings.h"
#include "deck-ssh-command.h"

char *
test_ui_setup (int    *argc,
               char ***argv)
{
  char *skip;

  if ((skip = test_lab_setup ()) != NULL)
    return skip;
  if (!gtk_init_check (argc, argv))
    return g_strdup ("no display (run under xvfb-run)");
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return NULL;
}

/* ---- screenshots ------------------------------------------------------------------- */

char *
test_artifacts_dir (void)
{
  const char *env = g_getenv ("VMDECK_TEST_ARTIFACTS");
  const char *build = g_getenv ("VMDECK_BUILDDIR");
  char *dir = env && *env ? g_strdup (env) : g_build_filename (build ? build : ".", "tests", "artifacts", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return dir;
}

void
test_save_window (GtkWidget  *window,
                  const char *name)
{
  g_autofree char *dir = test_artifacts_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  GdkWindow *gdk_window = gtk_widget_get_window (window);

  test_spin (300);   /* let it paint */
  pixbuf = gdk_pixbuf_get_from_window (gdk_window, 0, 0, gdk_window_get_width (gdk_window),
                                       gdk_window_get_height (gdk_window));
  g_assert_nonnull (pixbuf);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  g_print ("# screenshot %s\n", path);
}

double
test_blue_share (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  guint64 blue = 0;

  g_assert_cmpint (gdk_pixbuf_get_bits_per_sample (pixbuf), ==, 8);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + y * stride + x * channels;

        blue += p[2] >= 120 && p[0] <= 80 && p[1] <= 80;
      }
  return width && height ? blue / ((double) width * height) : 0.0;
}

/* ---- input --------------------------------------------------------------------------- */

GdkEvent *
test_key_event_new (GtkWidget       *widget,
                    guint            keyval,
                    GdkModifierType  state)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);
  g_autofree GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  event->key.window = g_object_ref (gtk_widget_get_window (widget));
  event->key.send_event = TRUE;
  event->key.time = GDK_CURRENT_TIME;
  event->key.state = state;
  event->key.keyval = keyval;
  if (gdk_keymap_get_entries_for_keyval (gdk_keymap_get_for_display (display), keyval, &keys, &n_keys))
    {
      event->key.hardware_keycode = keys[0].keycode;
      event->key.group = keys[0].group;
    }
  gdk_event_set_device (event, gdk_seat_get_keyboard (gdk_display_get_default_seat (display)));
  return event;
}

/* ---- the main window ---------------------------------------------------------------- */

DeckWindow *
test_window_new (const char *group_file,
                 const char *db_dir,
                 int         width,
                 int         height)
{
  g_autoptr(DeckHostList) hosts = deck_host_list_new (group_file);
  g_autoptr(DeckSettings) settings = deck_settings_new ();
  g_autoptr(GError) error = NULL;
  const char *dirs[] = { db_dir, NULL };
  DeckWindow *window;

  g_assert_true (deck_host_list_load (hosts, &error));
  g_assert_no_error (error);
  window = deck_window_new_for_test (settings, hosts, dirs);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_widget_show (GTK_WIDGET (window));
  return window;
}

static gboolean
host_in_reach (gpointer          data,
               DeckMachineReach  reach)
{
  TestHostWait *w = data;
  DeckMachineItem *host = deck_machine_tree_find_host (deck_window_get_tree (w->window), w->host);

  return host != NULL && deck_machine_item_get_reach (host) == reach;
}

gboolean
test_host_reachable (gpointer data)
{
  return host_in_reach (data, DECK_MACHINE_REACH_REACHABLE);
}

gboolean
test_host_unreachable (gpointer data)
{
  return host_in_reach (data, DECK_MACHINE_REACH_UNREACHABLE);
}

gboolean
test_window_not_busy (gpointer data)
{
  return deck_window_get_busy (data) == 0;
}

gboolean
test_window_has_dialog (gpointer data)
{
  return deck_window_get_pending_dialog (data) != NULL;
}

void
test_close_window (DeckWindow *window)
{
  gpointer ptr = window;

  g_object_add_weak_pointer (G_OBJECT (window), &ptr);
  gtk_widget_destroy (GTK_WIDGET (window));
  test_spin (200);
  g_assert_null (ptr);
}

/* ---- console tabs ------------------------------------------------------------------ */

typedef struct {
  DeckConsoleTab   *tab;
  DeckConsoleState  state;
} StateWait;

static gboolean
tab_in_state (gpointer data)
{
  StateWait *w = data;

  return deck_console_tab_get_state (w->tab) == w->state;
}

gboolean
test_tab_wait_state (gpointer          tab,
                     DeckConsoleState  state,
                     guint             timeout_s)
{
  StateWait w = { DECK_CONSOLE_TAB (tab), state };

  return test_wait_until (tab_in_state, &w, timeout_s);
}

gboolean
test_tab_not_connected (gpointer data)
{
  return deck_console_tab_get_state (DECK_CONSOLE_TAB (data)) != DECK_CONSOLE_STATE_CONNECTED;
}

GPtrArray *
test_forward_sockets (void)
{
  g_autofree char *dir = deck_ssh_get_control_dir ();
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "vnc-") && g_str_has_suffix (name, ".sock"))
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  return names;
}

gboolean
test_no_forward_sockets (gpointer data)
{
  g_autoptr(GPtrArray) names = test_forward_sockets ();

  return names->len == 0;
}
