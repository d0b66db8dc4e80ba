/* ui-testutil.h: GTK helpers shared by the ui tests (test-ui-*.c), on top of testutil.h
 *
 * Screenshots go to $VMDECK_TEST_ARTIFACTS, else $VMDECK_BUILDDIR/tests/artifacts/.
 * Conditions (TestCondition) are for test_wait_until().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "deck-console-tab.h"
#include "deck-window-private.h"
#include "testutil.h"

G_BEGIN_DECLS

/* The lab (test_lab_setup()), then GTK (after the lab: it may fork to take the lab down
 * at the end) with animations off. Call after g_test_init(). NULL, or why the test
 * skips (no lab, no display). */
char       *test_ui_setup        (int         *argc,
                                  char      ***argv);

/* ---- screenshots ------------------------------------------------------------------- */

/* The artifacts directory (created); free it. */
char       *test_artifacts_dir   (void);
/* Lets @window paint (300 ms), saves it as <artifacts>/<name>.png and says so in a TAP
 * comment; fails the test when it cannot. */
void        test_save_window     (GtkWidget  *window,
                                  const char *name);
/* Share (0..1) of blue-ish pixels (the linux console's blue) in @pixbuf (8 bits a sample). */
double      test_blue_share      (GdkPixbuf  *pixbuf);

/* ---- input --------------------------------------------------------------------------- */

/* A key press on @widget's window as the keyboard would send it (keycode and group from
 * the keymap, the seat's keyboard as device); deliver it, then gdk_event_free() it. */
GdkEvent   *test_key_event_new   (GtkWidget       *widget,
                                  guint            keyval,
                                  GdkModifierType  state);

/* ---- the main window (DeckWindow) ---------------------------------------------------- */

/* A host of a window's tree, for test_host_reachable() and test_host_unreachable(). */
typedef struct {
  DeckWindow *window;
  const char *host;
} TestHostWait;

/* A DeckWindow (deck_window_new_for_test, new settings) on the host list in the group
 * file @group_file (loaded; fails the test on an error) and the inventory in @db_dir,
 * @width x @height, shown. */
DeckWindow *test_window_new        (const char *group_file,
                                    const char *db_dir,
                                    int         width,
                                    int         height);
/* Conditions on a TestHostWait: the host is in the tree and (un)reachable. */
gboolean    test_host_reachable   (gpointer data);
gboolean    test_host_unreachable (gpointer data);
/* Conditions on a DeckWindow: no action running; a dialog is waiting for an answer. */
gboolean    test_window_not_busy   (gpointer data);
gboolean    test_window_has_dialog (gpointer data);
/* Destroys @window and fails unless it is finalized within 200 ms. */
void        test_close_window      (DeckWindow *window);

/* ---- console tabs ------------------------------------------------------------------ */

/* Iterates the main context until the DeckConsoleTab @tab is in @state: TRUE, or FALSE
 * after @timeout_s. */
gboolean    test_tab_wait_state    (gpointer          tab,
                                    DeckConsoleState  state,
                                    guint             timeout_s);
/* Condition on a DeckConsoleTab: it is not connected. */
gboolean    test_tab_not_connected (gpointer data);
/* The VNC forward sockets ("vnc-*.sock") in this runtime dir's ssh control directory
 * (full paths); free it. */
GPtrArray  *test_forward_sockets    (void);
/* Condition (data unused): there is no VNC forward socket. */
gboolean    test_no_forward_sockets (gpointer data);

G_END_DECLS
