/* test-ui-hosts.c: the window's hosts (add, edit, remove through DeckHostDialog), the
 * inventory rescan with progress and Cancel, and drag-to-host placement, on the real lab
 * under Xvfb (suite ui)
 *
 * The window gets a host list of its own (a group file in the test's tmpdir) and an
 * inventory directory under $LAB_DIR made by the built ctys-vdbgen. Dialogs are driven
 * through their widgets (text typed into the entries, combo entries chosen, the button
 * clicked); results are read from the group file, the database file, the rows the view
 * shows and libvirt itself (a DeckLibvirt of the test's own per host).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#ifdef HAVE_XTST
#include <gdk/gdkx.h>
#include <X11/extensions/XTest.h>
#endif

#include "deck-error.h"
#include "deck-host-dialog.h"
#include "deck-host-list.h"
#include "deck-inventory.h"
#include "deck-libvirt.h"
#include "deck-migrate.h"
#include "deck-settings.h"
#include "deck-window-private.h"
#include "ui-testutil.h"

#define REMOTE_BASES "/srv/vmdeck/vms%/srv/vmdeck/shared"

static char *db_dir;
static char *group_file;
static char *local_name;

/* TAP comments, one "# " per line */
#define note(...) G_STMT_START { g_autofree char *note_ = g_strdup_printf (__VA_ARGS__); \
                                 g_auto(GStrv) lines_ = g_strsplit (note_, "\n", -1); \
                                 for (guint l_ = 0; lines_[l_] != NULL; l_++) \
                                   g_print ("# %s\n", lines_[l_]); } G_STMT_END

/* --- libvirt, the test's own view ------------------------------------------------------------ */

static DeckLibvirt *
lv_connect (const char *host)
{
  g_autofree char *uri = test_lab_uri (host);

  return test_lv_connect (uri, host);
}

/* Leaves @name undefined and off on the host (the lab's state for deck-shared). */
static void
lv_remove (DeckLibvirt *lv,
           const char  *name)
{
  DeckDomainState state = test_lv_defined_state (lv, name);

  if (state == DECK_DOMAIN_STATE_UNKNOWN)
    return;
  if (state != DECK_DOMAIN_STATE_SHUTOFF)
    test_lv_control (lv, name, DECK_DOMAIN_OP_DESTROY);
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GError) error = NULL;

    deck_libvirt_undefine_async (lv, name, NULL, test_async_done, &res);
    g_assert_true (test_wait_until (test_have_result, &res, 60));
    g_assert_true (deck_libvirt_undefine_finish (lv, res, &error));
    g_assert_no_error (error);
  }
}

static void
console_expect (TestConsole *c,
                const char  *text)
{
  if (!test_console_wait_text (c, text, 60))
    g_error ("console: no “%s” in:\n%s", text, c->text->str);
}

/* --- the window and its files ------------------------------------------------------------------ */

/* The inventory of this machine and @hosts (NULL-terminated), made by ctys-vdbgen. */
static void
make_db (const char * const *hosts)
{
  g_autofree char *dbopt = g_strconcat ("--cacheDB=", db_dir, NULL);
  g_autofree char *local = g_strdup_printf ("localhost(-a enumerate=b:%s)", g_getenv ("LAB_LOCAL_BASE"));
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(TestRun) gen = NULL;

  g_ptr_array_add (args, (char *) "--replace");
  g_ptr_array_add (args, dbopt);
  g_ptr_array_add (args, (char *) "--base=" REMOTE_BASES);
  g_ptr_array_add (args, (char *) "--");
  g_ptr_array_add (args, local);
  for (guint i = 0; hosts[i] != NULL; i++)
    g_ptr_array_add (args, (char *) hosts[i]);
  g_ptr_array_add (args, NULL);
  gen = test_run ("ctys-vdbgen", (const char **) args->pdata, NULL, NULL);
  if (gen->status != 0)
    g_printerr ("%s", gen->err);
  g_assert_cmpint (gen->status, ==, 0);
}

/* The group file: this machine with the lab's session daemon and its base, then @hosts
 * with the remote bases. */
static void
write_group (const char * const *hosts)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_string_append_printf (s, "localhost(--uri=%s -a enumerate=b:%s)\n", g_getenv ("LAB_LOCAL_URI"),
                          g_getenv ("LAB_LOCAL_BASE"));
  for (guint i = 0; hosts[i] != NULL; i++)
    g_string_append_printf (s, "%s(-a enumerate=b:%s)\n", hosts[i], REMOTE_BASES);
  test_write_file (group_file, s->str);
}

static char *
read_file (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static DeckWindow *
new_window (void)
{
  return test_window_new (group_file, db_dir, 1000, 700);
}

static gboolean
window_idle (gpointer data)
{
  return !deck_window_is_loading (data) && !deck_window_is_rescanning (data);
}

static void
wait_reachable (DeckWindow *window,
                const char *name)
{
  TestHostWait w = { window, name };

  if (!test_wait_until (test_host_reachable, &w, 60))
    {
      DeckMachineItem *host = deck_machine_tree_find_host (deck_window_get_tree (window), name);

      g_error ("host %s not reachable: %s", name, host ? deck_machine_item_get_reach_message (host) : "no such row");
    }
}

static gboolean
has_host_row (DeckWindow *window,
              const char *name)
{
  DeckMachineItem *host = deck_machine_tree_find_host (deck_window_get_tree (window), name);
  g_autoptr(GtkTreePath) path = host ? deck_window_path_of (window, host) : NULL;

  return path != NULL;
}

static DeckMachineItem *
machine (DeckWindow *window,
         const char *host,
         const char *label)
{
  g_autoptr(GPtrArray) items = deck_machine_tree_find_machines (deck_window_get_tree (window), host, label);

  return items->len == 1 ? items->pdata[0] : NULL;   /* the tree keeps it */
}

/* A screenshot of @widget's window to $VMDECK_TEST_ARTIFACTS (else
 * $VMDECK_BUILDDIR/tests/artifacts/<name>.png). */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *env = g_getenv ("VMDECK_TEST_ARTIFACTS");
  const char *build = g_getenv ("VMDECK_BUILDDIR");
  g_autofree char *dir = env && *env ? g_strdup (env) : g_build_filename (build ? build : ".", "tests", "artifacts", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  GdkWindow *gdk_window;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  test_spin (300);
  gdk_window = gtk_widget_get_window (widget);
  pixbuf = gdk_pixbuf_get_from_window (gdk_window, 0, 0, gdk_window_get_width (gdk_window),
                                       gdk_window_get_height (gdk_window));
  g_assert_nonnull (pixbuf);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  note ("screenshot %s", path);
}

static gboolean
no_host_dialog (gpointer data)
{
  return deck_window_get_host_dialog (data) == NULL;
}

/* Types @text into @entry as a user would replace its content. */
static void
type_into (GtkEntry   *entry,
           const char *text)
{
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  gtk_editable_delete_text (GTK_EDITABLE (entry), 0, -1);
  {
    int pos = 0;

    gtk_editable_insert_text (GTK_EDITABLE (entry), text, -1, &pos);
  }
}

static DeckHostDialog *
open_dialog (DeckWindow *window,
             const char *action)
{
  GtkWidget *dialog;

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
  dialog = deck_window_get_host_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (dialog));
  test_spin (50);
  return DECK_HOST_DIALOG (dialog);
}

static void
press_ok (DeckHostDialog *dialog)
{
  gtk_button_clicked (deck_host_dialog_get_ok_button (dialog));
  test_spin (50);
}

/* --- cases: hosts ---------------------------------------------------------------------------- */

/* Add labh2 through the dialog (ssh target, privilege, options), edit it, remove it: the
 * group file and the tree follow each step. */
static void
test_add_edit_remove (void)
{
  DeckWindow *window;
  DeckHostDialog *dialog;
  g_autofree char *text = NULL;

  g_free (test_fresh_runtime_dir ("uh"));
  make_db ((const char *[]) { "labh1", NULL });
  write_group ((const char *[]) { "labh1", NULL });
  window = new_window ();
  g_assert_true (test_wait_until (window_idle, window, 30));
  wait_reachable (window, "labh1");
  g_assert_false (has_host_row (window, "labh2"));

  /* add */
  dialog = open_dialog (window, "add-host");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "add-host"));
  type_into (deck_host_dialog_get_target_entry (dialog), "root@labh2");
  type_into (deck_host_dialog_get_port_entry (dialog), "22");
  g_assert_true (gtk_combo_box_set_active_id (deck_host_dialog_get_privilege_combo (dialog), "SUDO"));
  g_assert_true (gtk_combo_box_set_active_id (deck_host_dialog_get_backend_combo (dialog), "libvirt"));
  type_into (deck_host_dialog_get_options_entry (dialog), "-a enumerate=b:" REMOTE_BASES);
  save_screenshot (GTK_WIDGET (dialog), "host-dialog");
  press_ok (dialog);
  g_assert_true (test_wait_until (no_host_dialog, window, 10));
  text = read_file (group_file);
  note ("group file after add:\n%s", text);
  g_assert_nonnull (strstr (text, "\nroot@labh2(--ssh-port=22 -Z SUDO --backend=libvirt -a enumerate=b:" REMOTE_BASES ")\n"));
  g_assert_nonnull (strstr (text, "\nlabh1(-a enumerate=b:" REMOTE_BASES ")\n"));
  g_assert_true (test_wait_until (window_idle, window, 30));
  g_assert_true (has_host_row (window, "labh2"));
  wait_reachable (window, "labh2");
  g_clear_pointer (&text, g_free);

  /* edit: the fields show the line; the privilege goes, the URI is set */
  g_assert_true (deck_window_select_host (window, "labh2"));
  dialog = open_dialog (window, "edit-host");
  g_assert_cmpstr (gtk_entry_get_text (deck_host_dialog_get_target_entry (dialog)), ==, "root@labh2");
  g_assert_cmpstr (gtk_entry_get_text (deck_host_dialog_get_port_entry (dialog)), ==, "22");
  g_assert_cmpstr (gtk_combo_box_get_active_id (deck_host_dialog_get_privilege_combo (dialog)), ==, "SUDO");
  g_assert_cmpstr (gtk_combo_box_get_active_id (deck_host_dialog_get_backend_combo (dialog)), ==, "libvirt");
  g_assert_cmpstr (gtk_entry_get_text (deck_host_dialog_get_options_entry (dialog)), ==, "-a enumerate=b:" REMOTE_BASES);
  g_assert_true (gtk_combo_box_set_active_id (deck_host_dialog_get_privilege_combo (dialog), ""));
  {
    g_autofree char *uri = test_lab_uri ("labh2");

    type_into (deck_host_dialog_get_uri_entry (dialog), uri);
    press_ok (dialog);
    g_assert_true (test_wait_until (no_host_dialog, window, 10));
    text = read_file (group_file);
    note ("group file after edit:\n%s", text);
    g_assert_null (strstr (text, "-Z"));
    g_assert_nonnull (strstr (text, "\nroot@labh2(--ssh-port=22 --backend=libvirt '--uri="));
    g_assert_nonnull (strstr (text, uri));
  }
  g_assert_true (test_wait_until (window_idle, window, 30));
  wait_reachable (window, "labh2");
  g_clear_pointer (&text, g_free);

  /* remove (asks first) */
  g_assert_true (deck_window_select_host (window, "labh2"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "remove-host"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "remove-host", NULL);
  g_assert_true (test_wait_until (test_window_has_dialog, window, 10));
  gtk_dialog_response (GTK_DIALOG (deck_window_get_pending_dialog (window)), GTK_RESPONSE_ACCEPT);
  g_assert_true (test_wait_until (window_idle, window, 30));
  text = read_file (group_file);
  g_assert_null (strstr (text, "labh2"));
  g_assert_nonnull (strstr (text, "labh1"));
  g_assert_false (has_host_row (window, "labh2"));
  /* this machine's "localhost(...)" line is edited like the others */
  g_assert_true (deck_window_select_host (window, local_name));
  dialog = open_dialog (window, "edit-host");
  g_assert_cmpstr (gtk_entry_get_text (deck_host_dialog_get_target_entry (dialog)), ==, "localhost");
  g_assert_cmpstr (gtk_entry_get_text (deck_host_dialog_get_uri_entry (dialog)), ==, g_getenv ("LAB_LOCAL_URI"));
  type_into (deck_host_dialog_get_options_entry (dialog), "-a enumerate=b:/nonexistent");
  press_ok (dialog);
  g_assert_true (test_wait_until (no_host_dialog, window, 10));
  g_clear_pointer (&text, g_free);
  text = read_file (group_file);
  g_assert_nonnull (strstr (text, "-a enumerate=b:/nonexistent)\n"));
  g_assert_true (test_wait_until (window_idle, window, 30));
  wait_reachable (window, local_name);
  test_close_window (window);
}

/* Names the core refuses are refused in the dialog with the core's message; nothing is
 * saved and the dialog stays open. */
static void
test_hostile_names (void)
{
  const struct { const char *target; const char *options; const char *message; } cases[] = {
    { "-oProxyCommand=touch /tmp/pwned", "", "invalid host name" },
    { "lab;rm -rf ~", "", "invalid host name" },
    { "-x@labh1", "", "invalid user name" },
    { "labh1 labh2", "", "invalid host name" },
    { "", "", "Enter the host" },
    { "labh1", "", "already in the host list" },
    { "labh3", "-Z BOGUS", "BOGUS" },
    { "labh3", "'unbalanced", "Options" },
    { "labh3", "--ssh='touch /tmp/pwned'", "command line" },
  };
  g_autofree char *before = NULL, *after = NULL;
  DeckWindow *window;
  DeckHostDialog *dialog;

  g_free (test_fresh_runtime_dir ("uh"));
  make_db ((const char *[]) { "labh1", NULL });
  write_group ((const char *[]) { "labh1", NULL });
  before = read_file (group_file);
  window = new_window ();
  g_assert_true (test_wait_until (window_idle, window, 30));
  dialog = open_dialog (window, "add-host");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *message;

      type_into (deck_host_dialog_get_target_entry (dialog), cases[i].target);
      type_into (deck_host_dialog_get_options_entry (dialog), cases[i].options);
      g_assert_null (deck_host_dialog_get_error (dialog));
      press_ok (dialog);
      g_assert_true (deck_window_get_host_dialog (window) == GTK_WIDGET (dialog));
      message = deck_host_dialog_get_error (dialog);
      note ("“%s” (%s): %s", cases[i].target, cases[i].options, message);
      g_assert_nonnull (message);
      g_assert_nonnull (strstr (message, cases[i].message));
      if (i == 0)
        save_screenshot (GTK_WIDGET (dialog), "host-dialog-refused");
    }
  /* a port that is no port */
  type_into (deck_host_dialog_get_target_entry (dialog), "labh3");
  type_into (deck_host_dialog_get_options_entry (dialog), "");
  type_into (deck_host_dialog_get_port_entry (dialog), "22x");
  press_ok (dialog);
  note ("port “22x”: %s", deck_host_dialog_get_error (dialog));
  g_assert_nonnull (strstr (deck_host_dialog_get_error (dialog), "SSH port"));
  after = read_file (group_file);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (g_file_test ("/tmp/pwned", G_FILE_TEST_EXISTS));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_assert_true (test_wait_until (no_host_dialog, window, 10));
  test_close_window (window);
}

/* A host that goes down while the window is open is greyed with its error; once it is
 * back, the background retry (every 30 s) connects it again without a reload. */
static void
test_down_and_retried (void)
{
  DeckWindow *window;
  DeckMachineItem *labh2;
  TestHostWait w;

  g_free (test_fresh_runtime_dir ("uh"));
  make_db ((const char *[]) { "labh1", "labh2", NULL });
  write_group ((const char *[]) { "labh1", "labh2", NULL });
  window = new_window ();
  g_assert_true (test_wait_until (window_idle, window, 30));
  wait_reachable (window, "labh2");

  test_lab_command ("host-down", "labh2");
  w = (TestHostWait) { window, "labh2" };
  g_assert_true (test_wait_until (test_host_unreachable, &w, 90));
  labh2 = deck_machine_tree_find_host (deck_window_get_tree (window), "labh2");
  note ("labh2 down: %s", deck_machine_item_get_reach_message (labh2));
  g_assert_nonnull (deck_machine_item_get_reach_message (labh2));
  /* its rows are drawn insensitive (greyed) */
  {
    g_autoptr(GtkTreePath) path = deck_window_path_of (window, labh2);
    GtkTreeModel *model = gtk_tree_view_get_model (deck_window_get_view (window));
    GtkTreeIter iter;
    GtkCellRenderer *cell = NULL;
    GList *cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (gtk_tree_view_get_column (deck_window_get_view (window), 0)));
    gboolean sensitive = TRUE;

    g_assert_true (gtk_tree_model_get_iter (model, &iter, path));
    gtk_tree_view_column_cell_set_cell_data (gtk_tree_view_get_column (deck_window_get_view (window), 0), model, &iter, FALSE, FALSE);
    cell = g_list_last (cells)->data;
    g_object_get (cell, "sensitive", &sensitive, NULL);
    g_assert_false (sensitive);
    g_list_free (cells);
  }

  test_lab_command ("host-up", "labh2");
  /* no reload: the retry finds it */
  wait_reachable (window, "labh2");
  g_assert_null (deck_machine_item_get_reach_message (deck_machine_tree_find_host (deck_window_get_tree (window), "labh2")));
  test_close_window (window);
}

/* --- cases: rescan ------------------------------------------------------------------------------ */

/* A copy of deck-h2's config on labh2 under another name, UUID and MAC. */
static char *
add_config (const char *label,
            const char *uuid_tail,
            const char *mac_tail)
{
  const char *root = g_getenv ("LAB_HOST_ROOT_labh2");
  g_autofree char *src = g_build_filename (root, "deck-h2", "deck-h2.xml", NULL);
  g_autofree char *dir = g_build_filename (root, label, NULL);
  g_autofree char *file = g_strconcat (label, ".xml", NULL);
  g_autofree char *xml = read_file (src);
  g_autoptr(GRegex) name = g_regex_new ("<name>deck-h2</name>", 0, 0, NULL);
  g_autoptr(GRegex) uuid = g_regex_new ("<uuid>([^<]*)....</uuid>", 0, 0, NULL);
  g_autoptr(GRegex) mac = g_regex_new ("de:c0:22", 0, 0, NULL);
  g_autofree char *n1 = NULL, *n2 = NULL, *n3 = NULL;
  g_autofree char *name_repl = g_strdup_printf ("<name>%s</name>", label);
  g_autofree char *uuid_repl = g_strdup_printf ("<uuid>\\1%s</uuid>", uuid_tail);
  g_autofree char *mac_repl = g_strdup_printf ("de:c0:%s", mac_tail);
  char *path;

  n1 = g_regex_replace_literal (name, xml, -1, 0, name_repl, 0, NULL);
  n2 = g_regex_replace (uuid, n1, -1, 0, uuid_repl, 0, NULL);
  n3 = g_regex_replace_literal (mac, n2, -1, 0, mac_repl, 0, NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file, NULL);
  test_write_file (path, n3);
  return path;
}

static void
remove_config (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

/* Removes what an earlier, aborted run may have left on labh2. */
static void
remove_stale_configs (void)
{
  const char *labels[] = { "deck-new", "deck-later" };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree char *file = g_strconcat (labels[i], ".xml", NULL);
      g_autofree char *path = g_build_filename (g_getenv ("LAB_HOST_ROOT_labh2"), labels[i], file, NULL);

      remove_config (path);
    }
}

/* The rescan cases' start: a fresh runtime dir, labh2 without stale configs, a database
 * and a host list of labh1 and labh2, the window shown and idle. */
static DeckWindow *
rescan_window (void)
{
  DeckWindow *window;

  g_free (test_fresh_runtime_dir ("uh"));
  remove_stale_configs ();
  make_db ((const char *[]) { "labh1", "labh2", NULL });
  write_group ((const char *[]) { "labh1", "labh2", NULL });
  window = new_window ();
  g_assert_true (test_wait_until (window_idle, window, 30));
  return window;
}

/* Rescan finds a config added to labh2 meanwhile: written to the database, shown in the
 * tree. A cancelled rescan leaves the database byte for byte as it was. */
static void
test_rescan (void)
{
  g_autofree char *added = NULL, *later = NULL;
  g_autofree char *fdb = g_build_filename (db_dir, DECK_INVENTORY_FILE, NULL);
  g_autofree char *before = NULL, *after = NULL, *status = NULL;
  gint64 t0;
  DeckWindow *window;

  window = rescan_window ();
  g_assert_nonnull (machine (window, "labh2", "deck-h2"));
  g_assert_null (machine (window, "labh2", "deck-new"));

  /* the selection survives the rescan's reload */
  g_assert_true (deck_window_select (window, "labh2", "deck-h2", FALSE));
  added = add_config ("deck-new", "0a01", "a1");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "rescan"));
  t0 = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "rescan", NULL);
  /* progress is shown and Cancel offered while it runs */
  g_assert_true (deck_window_is_rescanning (window));
  g_assert_true (gtk_revealer_get_reveal_child (window->rescan_revealer));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "cancel-rescan"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "rescan"));
  g_assert_true (test_wait_until (window_idle, window, 120));
  note ("rescan of 3 hosts and reload took %.1f s (a figure, not asserted)", (g_get_monotonic_time () - t0) / 1e6);
  g_assert_null (deck_window_get_error_text (window));
  g_assert_nonnull (machine (window, "labh2", "deck-new"));
  save_screenshot (GTK_WIDGET (window), "main-window-after-rescan");
  g_assert_nonnull (machine (window, "labh1", "deck-h1"));
  g_assert_nonnull (machine (window, local_name, "deck-l1"));
  /* multipath: the shared machine under both hosts */
  g_assert_nonnull (machine (window, "labh1", "deck-shared"));
  g_assert_nonnull (machine (window, "labh2", "deck-shared"));
  before = read_file (fdb);
  g_assert_nonnull (strstr (before, ";deck-new;"));
  {
    g_autoptr(GPtrArray) selected = deck_window_selected_items (window);

    g_assert_cmpuint (selected->len, ==, 1);
    g_assert_cmpstr (deck_machine_item_get_label (selected->pdata[0]), ==, "deck-h2");
    g_assert_cmpstr (deck_machine_item_get_host_name (selected->pdata[0]), ==, "labh2");
  }

  /* cancelled: nothing written, the tree as it was */
  later = add_config ("deck-later", "0a02", "a2");
  g_action_group_activate_action (G_ACTION_GROUP (window), "rescan", NULL);
  g_assert_true (deck_window_is_rescanning (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "cancel-rescan", NULL);
  g_assert_true (test_wait_until (window_idle, window, 120));
  after = read_file (fdb);
  g_assert_cmpstr (after, ==, before);
  g_assert_null (strstr (after, "deck-later"));
  g_assert_null (machine (window, "labh2", "deck-later"));
  g_assert_nonnull (machine (window, "labh2", "deck-new"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "rescan"));

  test_close_window (window);
  remove_config (added);
  remove_config (later);
}

/* A host that cannot be scanned: the others are written, it keeps its earlier machines,
 * and the info bar names it. */
static void
test_rescan_host_down (void)
{
  g_autofree char *fdb = g_build_filename (db_dir, DECK_INVENTORY_FILE, NULL);
  g_autofree char *added = NULL, *text = NULL;
  const char *info;
  DeckWindow *window;

  window = rescan_window ();
  added = add_config ("deck-new", "0a01", "a1");
  test_lab_command ("host-down", "labh2");
  g_action_group_activate_action (G_ACTION_GROUP (window), "rescan", NULL);
  g_assert_true (test_wait_until (window_idle, window, 120));
  test_lab_command ("host-up", "labh2");
  info = deck_window_get_error_text (window);
  g_assert_nonnull (info);
  note ("info bar: %s", info);
  g_assert_nonnull (strstr (info, "Rescan incomplete: 1 of 3 hosts could not be scanned"));
  g_assert_nonnull (strstr (info, "labh2"));
  text = read_file (fdb);
  /* labh2 keeps what it had (not the config added meanwhile); the others are there */
  g_assert_nonnull (strstr (text, ";deck-h2;"));
  g_assert_null (strstr (text, "deck-new"));
  g_assert_nonnull (strstr (text, ";deck-h1;"));
  g_assert_nonnull (machine (window, "labh2", "deck-h2"));
  g_assert_nonnull (machine (window, local_name, "deck-l1"));
  test_close_window (window);
  remove_config (added);
}

/* --- cases: drag-to-host ------------------------------------------------------------------------ */

static gboolean
row_running (gpointer data)
{
  return deck_machine_item_get_state (data) == DECK_DOMAIN_STATE_RUNNING;
}

static DeckWindow *
placement_window (void)
{
  DeckWindow *window;

  g_free (test_fresh_runtime_dir ("uh"));
  make_db ((const char *[]) { "labh1", "labh2", NULL });
  write_group ((const char *[]) { "labh1", "labh2", NULL });
  window = new_window ();
  g_assert_true (test_wait_until (window_idle, window, 30));
  wait_reachable (window, "labh1");
  wait_reachable (window, "labh2");
  wait_reachable (window, local_name);
  return window;
}

#ifdef HAVE_XTST
/* The root coordinates of the middle of @item's row. */
static void
row_point (DeckWindow      *window,
           DeckMachineItem *item,
           int             *x,
           int             *y)
{
  GtkTreeView *view = deck_window_get_view (window);
  g_autoptr(GtkTreePath) path = deck_window_path_of (window, item);
  GdkRectangle rect;
  int ox, oy;

  g_assert_nonnull (path);
  gtk_tree_view_scroll_to_cell (view, path, NULL, FALSE, 0, 0);
  test_spin (100);
  gtk_tree_view_get_cell_area (view, path, gtk_tree_view_get_column (view, 0), &rect);
  gdk_window_get_origin (gtk_tree_view_get_bin_window (view), &ox, &oy);
  *x = ox + rect.x + 40;
  *y = oy + rect.y + rect.height / 2;
}

static void
motion_to (Display *dpy,
           int      x,
           int      y)
{
  XTestFakeMotionEvent (dpy, -1, x, y, CurrentTime);
  XFlush (dpy);
  test_spin (60);
}

/* A real drag through the X server (XTest): press on @item's row, move over @host's row,
 * read the hint the window shows there, release. Returns the hint (new). */
static char *
xtest_drag (DeckWindow      *window,
            DeckMachineItem *item,
            DeckMachineItem *host)
{
  GdkDisplay *gdisplay = gtk_widget_get_display (GTK_WIDGET (window));
  Display *dpy;
  int x0, y0, x1, y1;
  char *hint;

  if (!GDK_IS_X11_DISPLAY (gdisplay))
    return NULL;
  dpy = GDK_DISPLAY_XDISPLAY (gdisplay);
  gtk_window_present (GTK_WINDOW (window));
  test_spin (200);
  row_point (window, item, &x0, &y0);
  row_point (window, host, &x1, &y1);
  motion_to (dpy, x0, y0);
  XTestFakeButtonEvent (dpy, 1, True, CurrentTime);
  XFlush (dpy);
  test_spin (100);
  /* past the drag threshold, then in steps onto the host row */
  for (int i = 1; i <= 10; i++)
    motion_to (dpy, x0 + (x1 - x0) * i / 10, y0 + (y1 - y0) * i / 10 + (i < 10 ? 2 : 0));
  motion_to (dpy, x1, y1);
  test_spin (200);
  hint = g_strdup (gtk_label_get_text (window->status_label));
  XTestFakeButtonEvent (dpy, 1, False, CurrentTime);
  XFlush (dpy);
  test_spin (300);
  return hint;
}
#endif

/* The stopped shared machine (its XML in the shared directory both hosts scan) dragged
 * from labh1 onto labh2: the confirmation says it starts there; it runs on labh2 after. */
static void
test_drag_start_shared (void)
{
  g_autoptr(DeckLibvirt) lv1 = lv_connect ("labh1");
  g_autoptr(DeckLibvirt) lv2 = lv_connect ("labh2");
  DeckWindow *window;
  DeckMachineItem *src, *dst, *labh2, *there = NULL;
  g_autofree char *reason = NULL, *text = NULL;
  GtkWidget *dialog;
  gboolean dragged = FALSE;

  lv_remove (lv1, "deck-shared");
  lv_remove (lv2, "deck-shared");
  window = placement_window ();
  src = machine (window, "labh1", "deck-shared");
  dst = machine (window, "labh2", "deck-shared");
  labh2 = deck_machine_tree_find_host (deck_window_get_tree (window), "labh2");
  g_assert_nonnull (src);
  g_assert_nonnull (dst);
  g_assert_cmpint (deck_window_placement (window, src, labh2, &there, &reason), ==, DECK_PLACE_START);
  g_assert_true (there == dst);

#ifdef HAVE_XTST
  {
    g_autofree char *hint = xtest_drag (window, src, labh2);

    note ("hint over labh2 while dragging: %s", hint ? hint : "(no X11 display)");
    if (hint != NULL)
      {
        /* the drag went through GTK's DnD: hint while over the host, the drop asks */
        g_assert_nonnull (strstr (hint, "Drop to start deck-shared on labh2"));
        g_assert_nonnull (deck_window_get_pending_dialog (window));
        dragged = TRUE;
      }
  }
#else
  note ("built without XTest: the drop goes through the handler's function only");
#endif
  if (!dragged)
    deck_window_drop_on_host (window, src, labh2);

  g_assert_true (test_wait_until (test_window_has_dialog, window, 10));
  dialog = deck_window_get_pending_dialog (window);
  g_object_get (dialog, "text", &text, NULL);
  note ("confirmation: %s", text);
  g_assert_cmpstr (text, ==, "Start deck-shared on labh2?");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (test_wait_until (test_window_not_busy, window, 120));
  g_assert_null (deck_window_get_error_text (window));
  g_assert_true (test_lv_wait_state (lv2, "deck-shared", DECK_DOMAIN_STATE_RUNNING, 60));
  g_assert_true (test_wait_until (row_running, dst, 60));
  /* and not on labh1 */
  g_assert_cmpint (test_lv_defined_state (lv1, "deck-shared"), ==, DECK_DOMAIN_STATE_UNKNOWN);
  g_assert_cmpint (deck_machine_item_get_state (src), !=, DECK_DOMAIN_STATE_RUNNING);
  test_close_window (window);
  lv_remove (lv2, "deck-shared");
}

/* A machine whose config labh2 cannot see (deck-l1, local only): refused while dragging
 * (no action, the reason in the status line) and on a drop (the info bar). */
static void
test_drag_refused (void)
{
  DeckWindow *window = placement_window ();
  DeckMachineItem *l1 = machine (window, local_name, "deck-l1");
  DeckMachineItem *labh2 = deck_machine_tree_find_host (deck_window_get_tree (window), "labh2");
  DeckMachineItem *there = NULL;
  g_autofree char *reason = NULL;
  const char *info;

  g_assert_nonnull (l1);
  g_assert_cmpint (deck_window_placement (window, l1, labh2, &there, &reason), ==, DECK_PLACE_REFUSED);
  g_assert_null (there);
  note ("placement: %s", reason);
  g_assert_nonnull (strstr (reason, "labh2 cannot see the configuration of deck-l1"));
#ifdef HAVE_XTST
  {
    g_autofree char *hint = xtest_drag (window, l1, labh2);

    note ("hint over labh2 while dragging deck-l1: %s", hint ? hint : "(no X11 display)");
    /* no drop action there: nothing to confirm, the reason shown while over the host */
    g_assert_null (deck_window_get_pending_dialog (window));
    if (hint != NULL)
      g_assert_nonnull (strstr (hint, "labh2 cannot see the configuration of deck-l1"));
  }
#endif
  deck_window_drop_on_host (window, l1, labh2);
  g_assert_null (deck_window_get_pending_dialog (window));
  info = deck_window_get_error_text (window);
  g_assert_nonnull (info);
  note ("info bar: %s", info);
  g_assert_nonnull (strstr (info, "Cannot move deck-l1 to labh2: labh2 cannot see the configuration of deck-l1"));

  /* the keyboard's way: "Move to Host" of the context menu lists the hosts; the same refusal */
  gtk_info_bar_set_revealed (window->info_bar, FALSE);
  g_assert_null (deck_window_get_error_text (window));
  g_assert_true (deck_window_select (window, local_name, "deck-l1", FALSE));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "place-on"));
  {
    GMenuModel *menu = G_MENU_MODEL (window->place_menu);
    gboolean found = FALSE;

    for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
      {
        g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET,
                                                                             G_VARIANT_TYPE_STRING);

        found |= target != NULL && g_str_equal (g_variant_get_string (target, NULL), "labh2");
      }
    g_assert_true (found);
  }
  g_action_group_activate_action (G_ACTION_GROUP (window), "place-on", g_variant_new_string ("labh2"));
  g_assert_null (deck_window_get_pending_dialog (window));
  info = deck_window_get_error_text (window);
  g_assert_nonnull (info);
  g_assert_nonnull (strstr (info, "Cannot move deck-l1 to labh2: labh2 cannot see the configuration of deck-l1"));
  /* onto its own host */
  g_action_group_activate_action (G_ACTION_GROUP (window), "place-on", g_variant_new_string (local_name));
  info = deck_window_get_error_text (window);
  note ("onto its own host: %s", info);
  g_assert_nonnull (strstr (info, "is already on"));
  test_close_window (window);
}

/* Leaves the lab's shared machine (deck-shared) undefined on both hosts, then defines
 * it from the shared directory on @lv1's host and starts it there. */
static void
start_shared (DeckLibvirt *lv1,
              DeckLibvirt *lv2)
{
  g_autofree char *xml_path = g_build_filename (g_getenv ("LAB_SHARED_DIR"), "deck-shared", "deck-shared.xml", NULL);
  g_autofree char *xml = read_file (xml_path);

  lv_remove (lv1, "deck-shared");
  lv_remove (lv2, "deck-shared");
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *name = NULL;

    deck_libvirt_define_async (lv1, xml, NULL, test_async_done, &res);
    g_assert_true (test_wait_until (test_have_result, &res, 60));
    name = deck_libvirt_define_finish (lv1, res, &error);
    g_assert_no_error (error);
  }
  test_lv_control (lv1, "deck-shared", DECK_DOMAIN_OP_START);
}

/* The shared machine running on labh1, dragged onto labh2: live migration through
 * libvirt (both lab hosts run QEMU under libvirtd on one bridge). */
static void
test_drag_migrate (void)
{
  g_autoptr(DeckLibvirt) lv1 = lv_connect ("labh1");
  g_autoptr(DeckLibvirt) lv2 = lv_connect ("labh2");
  g_autofree char *text = NULL, *reason = NULL, *mark = NULL;
  gint64 t0;
  DeckWindow *window;
  DeckMachineItem *src, *dst, *labh2, *there = NULL;
  GtkWidget *dialog;

  start_shared (lv1, lv2);
  /* the core's check: the two lab daemons can; a daemon cannot migrate to itself */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DeckLibvirt) again = lv_connect ("labh1");

    g_assert_true (deck_migrate_check (lv1, lv2, &error));
    g_assert_no_error (error);
    g_assert_false (deck_migrate_check (lv1, again, &error));
    g_assert_error (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED);
    note ("labh1 to labh1: %s", error->message);
  }
  /* a mark in the guest's memory (its root is a tmpfs): found after the move only if the
   * guest went on running rather than starting afresh */
  mark = g_strdup_printf ("mark-%d-%d", (int) getpid (), g_random_int_range (1000, 9999));
  {
    TestConsole *c = test_console_open (lv1, "deck-shared");
    g_autofree char *cmd = g_strdup_printf ("echo %s-$((6*7)) > /tmp/mark\n", mark);

    console_expect (c, "VMDECK-GUEST deck-shared READY");
    test_console_write (c, "\n");
    console_expect (c, "deck-shared# ");
    test_console_write (c, cmd);
    test_console_write (c, "echo written\n");
    console_expect (c, "\nwritten");
    test_console_close (c);
  }
  window = placement_window ();
  src = machine (window, "labh1", "deck-shared");
  dst = machine (window, "labh2", "deck-shared");
  labh2 = deck_machine_tree_find_host (deck_window_get_tree (window), "labh2");
  g_assert_true (test_wait_until (row_running, src, 60));
  g_assert_cmpint (deck_window_placement (window, src, labh2, &there, &reason), ==, DECK_PLACE_MIGRATE);

#ifdef HAVE_XTST
  {
    g_autofree char *hint = xtest_drag (window, src, labh2);

    note ("hint over labh2 while dragging the running deck-shared: %s", hint ? hint : "(no X11 display)");
    if (hint != NULL)
      g_assert_nonnull (strstr (hint, "Drop to migrate deck-shared to labh2"));
  }
#endif
  if (deck_window_get_pending_dialog (window) == NULL)
    deck_window_drop_on_host (window, src, labh2);
  g_assert_true (test_wait_until (test_window_has_dialog, window, 10));
  dialog = deck_window_get_pending_dialog (window);
  g_object_get (dialog, "text", &text, NULL);
  note ("confirmation: %s", text);
  g_assert_cmpstr (text, ==, "Migrate deck-shared to labh2 while it runs?");
  t0 = g_get_monotonic_time ();
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (test_wait_until (test_window_not_busy, window, 180));
  note ("migration took %.1f s (a figure, not asserted)", (g_get_monotonic_time () - t0) / 1e6);
  if (deck_window_get_error_text (window) != NULL)
    g_error ("migration failed: %s", deck_window_get_error_text (window));
  g_assert_true (test_lv_wait_state (lv2, "deck-shared", DECK_DOMAIN_STATE_RUNNING, 60));
  /* undefined on the source */
  g_assert_cmpint (test_lv_defined_state (lv1, "deck-shared"), ==, DECK_DOMAIN_STATE_UNKNOWN);
  g_assert_true (test_wait_until (row_running, dst, 60));
  test_close_window (window);
  {
    TestConsole *c = test_console_open (lv2, "deck-shared");
    g_autofree char *want = g_strdup_printf ("%s-42", mark);

    test_console_write (c, "\ncat /tmp/mark\n");
    console_expect (c, want);
    note ("the guest's mark after the migration: %s", want);
    test_console_close (c);
  }
  lv_remove (lv2, "deck-shared");
}

/* Running, no live migration to the target (here: the window has no libvirt connection
 * to labh2, as for an xl host), config shared: shut down on labh1, then started on labh2. */
static void
test_drag_stop_start (void)
{
  g_autoptr(DeckLibvirt) lv1 = lv_connect ("labh1");
  g_autoptr(DeckLibvirt) lv2 = lv_connect ("labh2");
  g_autofree char *text = NULL, *reason = NULL;
  DeckWindow *window;
  DeckMachineItem *src, *labh2, *there = NULL;
  GtkWidget *dialog;

  start_shared (lv1, lv2);
  window = placement_window ();
  src = machine (window, "labh1", "deck-shared");
  labh2 = deck_machine_tree_find_host (deck_window_get_tree (window), "labh2");
  g_assert_true (test_wait_until (row_running, src, 60));
  deck_window_live_forget (window, "labh2");
  g_assert_cmpint (deck_window_placement (window, src, labh2, &there, &reason), ==, DECK_PLACE_STOP_START);
  g_assert_true (there == machine (window, "labh2", "deck-shared"));

  deck_window_drop_on_host (window, src, labh2);
  g_assert_true (test_wait_until (test_window_has_dialog, window, 10));
  dialog = deck_window_get_pending_dialog (window);
  g_object_get (dialog, "text", &text, NULL);
  note ("confirmation: %s", text);
  g_assert_cmpstr (text, ==, "Shut down deck-shared on labh1 and start it on labh2?");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (test_lv_wait_state (lv2, "deck-shared", DECK_DOMAIN_STATE_RUNNING, 120));
  g_assert_true (test_wait_until (test_window_not_busy, window, 120));
  g_assert_null (deck_window_get_error_text (window));
  g_assert_cmpint (test_lv_defined_state (lv1, "deck-shared"), ==, DECK_DOMAIN_STATE_SHUTOFF);
  test_close_window (window);
  lv_remove (lv1, "deck-shared");
  lv_remove (lv2, "deck-shared");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *skip = NULL;

  g_test_init (&argc, &argv, NULL);
  if ((skip = test_ui_setup (&argc, &argv)) != NULL)
    {
      printf ("1..0 # SKIP %s\n", skip);
      return 0;
    }
  g_unsetenv ("VMDECK_NODENAME");
  {
    g_autoptr(DeckHost) local = deck_host_new_local ();

    local_name = g_strdup (deck_host_get_name (local));
  }
  db_dir = g_build_filename (g_getenv ("LAB_DIR"), "ui-hosts-db", NULL);
  group_file = g_build_filename (test_tmpdir (), "vmdeck", NULL);

  g_test_add_func ("/ui/hosts/add-edit-remove", test_add_edit_remove);
  g_test_add_func ("/ui/hosts/hostile-names", test_hostile_names);
  g_test_add_func ("/ui/hosts/down-and-retried", test_down_and_retried);
  g_test_add_func ("/ui/hosts/rescan", test_rescan);
  g_test_add_func ("/ui/hosts/rescan-host-down", test_rescan_host_down);
  g_test_add_func ("/ui/hosts/drag-start-shared", test_drag_start_shared);
  g_test_add_func ("/ui/hosts/drag-refused", test_drag_refused);
  g_test_add_func ("/ui/hosts/drag-migrate", test_drag_migrate);
  g_test_add_func ("/ui/hosts/drag-stop-start", test_drag_stop_start);
  return g_test_run ();
}
