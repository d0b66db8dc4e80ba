/* ui-bench-window.c: the main window with a large inventory (driven by bench/ui-bench)
 *
 * Usage: ui-bench-window DB-DIR LIBVIRT-URI TEXT...
 *
 * Opens the window on the enum.fdb in DB-DIR with the local host's libvirt at
 * LIBVIRT-URI (a test:// node file), and prints, in milliseconds from the window's
 * creation: when the inventory was in the tree, the first frame painted after that, and
 * when every machine had its state from libvirt. Then, for each TEXT, types it into the
 * filter one character at a time and erases it again, printing per keystroke the time of
 * the filter itself (DeckMachineTree + GtkTreeModelFilter) and until the next frame was
 * painted, with the rows shown. Figures only: nothing is asserted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <gtk/gtk.h>

#include "deck-host-list.h"
#include "deck-settings.h"
#include "deck-window-private.h"

static gint64 painted_at;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  painted_at = g_get_monotonic_time ();
}

static double
ms (gint64 from,
    gint64 to)
{
  return (to - from) / 1000.0;
}

static void
iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* Iterates until a frame is painted after @after; returns when (or 0 after 5 s). */
static gint64
next_paint (gint64 after)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (painted_at <= after && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return painted_at > after ? painted_at : 0;
}

static guint
known_states (DeckMachineTree *tree)
{
  GPtrArray *hosts = deck_machine_tree_get_hosts (tree);
  guint n = 0;

  for (guint i = 0; i < hosts->len; i++)
    {
      GPtrArray *machines = deck_machine_item_get_children (hosts->pdata[i]);

      for (guint j = 0; j < machines->len; j++)
        n += deck_machine_item_get_state (machines->pdata[j]) != DECK_DOMAIN_STATE_UNKNOWN;
    }
  return n;
}

static void
keystroke (DeckWindow *window,
           const char *text)
{
  gint64 t0, t1, t2;

  gtk_entry_set_text (GTK_ENTRY (deck_window_get_filter_entry (window)), text);
  iterate ();   /* whatever set_text queued, not timed */
  t0 = g_get_monotonic_time ();
  deck_window_apply_filter (window);
  t1 = g_get_monotonic_time ();
  t2 = next_paint (t1);
  printf ("  %-14s filter %7.2f ms   to next frame %7.2f ms   %5u rows shown\n",
          *text ? text : "(empty)", ms (t0, t1), t2 ? ms (t0, t2) : -1.0,
          deck_machine_tree_count_visible (deck_window_get_tree (window)));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(DeckSettings) settings = NULL;
  g_autoptr(DeckHostList) hosts = NULL;
  g_autoptr(DeckHost) local = NULL;
  DeckWindow *window;
  DeckMachineTree *tree;
  const char *dirs[2] = { NULL, NULL };
  gint64 t0, t_loaded, t_frame, t_states;
  guint n;

  if (argc < 3)
    {
      fprintf (stderr, "usage: ui-bench-window DB-DIR LIBVIRT-URI TEXT...\n");
      return 2;
    }
  gtk_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  dirs[0] = argv[1];

  settings = deck_settings_new ();
  hosts = deck_host_list_new ("/nonexistent/vmdeck-bench-group");
  local = g_list_model_get_item (G_LIST_MODEL (hosts), 0);
  deck_host_set_libvirt_uri (local, "qemu", argv[2]);

  t0 = g_get_monotonic_time ();
  window = deck_window_new_for_test (settings, hosts, dirs);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 800);
  gtk_widget_show (GTK_WIDGET (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint", G_CALLBACK (on_after_paint), NULL);

  while (deck_window_is_loading (window))
    g_main_context_iteration (NULL, TRUE);
  t_loaded = g_get_monotonic_time ();
  t_frame = next_paint (t_loaded);
  tree = deck_window_get_tree (window);
  n = deck_machine_tree_get_n_machines (tree);
  printf ("machines          %u on %u host(s)\n", n, deck_machine_tree_get_hosts (tree)->len);
  printf ("inventory loaded  %8.1f ms after the window was created (read in a thread, tree and store filled)\n",
          ms (t0, t_loaded));
  printf ("first frame       %8.1f ms after the window was created (the tree on screen)\n",
          t_frame ? ms (t0, t_frame) : -1.0);

  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (known_states (tree) < n && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    t_states = g_get_monotonic_time ();
    printf ("states known      %8.1f ms after the window was created (%u of %u from libvirt)\n",
            ms (t0, t_states), known_states (tree), n);
  }

  for (int a = 3; a < argc; a++)
    {
      size_t len = strlen (argv[a]);

      printf ("typing \"%s\" into the filter, then erasing it:\n", argv[a]);
      for (size_t i = 1; i <= len; i++)
        {
          g_autofree char *prefix = g_strndup (argv[a], i);

          keystroke (window, prefix);
        }
      for (size_t i = len; i-- > 0;)
        {
          g_autofree char *prefix = g_strndup (argv[a], i);

          keystroke (window, prefix);
        }
    }
  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
  return 0;
}
