/* test-host-list.c: the host list (a ctys group file) of the window and the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-host-list.h"

static guint changes;

static void
items_changed (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               gpointer    data)
{
  changes++;
}

static void
test_load_edit_save (void)
{
  g_autofree char *home = g_dir_make_tmp ("vmdeck-hosts-XXXXXX", NULL);
  g_autofree char *groups = g_build_filename (home, ".ctys", "groups", NULL);
  g_autofree char *file = g_build_filename (groups, "vmdeck", NULL);
  g_autofree char *more = g_build_filename (groups, "more", NULL);
  g_autoptr(DeckHostList) list = NULL, again = NULL;
  g_autoptr(DeckTarget) dup = deck_target_new (NULL, "labh1", NULL);
  g_autoptr(DeckTarget) fresh = deck_target_new ("acue", "lab00.soho", (const char *[]) { "-Z", "KSU", NULL });
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  DeckHost *h2, *added;

  g_setenv ("CTYS_GROUPS_PATH", groups, TRUE);
  g_assert_cmpint (g_mkdir_with_parents (groups, 0755), ==, 0);
  g_assert_true (g_file_set_contents (file, "# my hosts\nlabh1\nroot@labh2 (-Z SUDO)\n#include more\n", -1, NULL));
  g_assert_true (g_file_set_contents (more, "lab3\n", -1, NULL));

  list = deck_host_list_new (file);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);   /* the local host */
  g_assert_true (deck_host_list_load (list, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_cmpuint (changes, ==, 1);

  h2 = deck_host_list_find (list, "labh2");
  g_assert_nonnull (h2);
  g_assert_cmpstr (deck_ssh_command_get_user (deck_host_get_ssh (h2)), ==, "root");
  g_assert_cmpint (deck_host_get_privilege (h2), ==, DECK_PRIVILEGE_SUDO);
  g_assert_true (deck_host_list_find (list, "root@labh2") == h2);
  g_assert_true (deck_host_is_local (deck_host_list_find (list, "localhost")));
  g_assert_nonnull (deck_host_list_find (list, "lab3"));

  g_assert_null (deck_host_list_add (list, dup, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_EXISTS);
  g_clear_error (&error);
  added = deck_host_list_add (list, fresh, &error);
  g_assert_no_error (error);
  g_assert_cmpint (deck_host_get_privilege (added), ==, DECK_PRIVILEGE_KSU);
  g_assert_true (deck_host_list_remove (list, deck_host_list_find (list, "labh1")));
  g_assert_false (deck_host_list_remove (list, deck_host_list_find (list, "localhost")));
  g_assert_cmpuint (changes, ==, 3);

  /* replace: same position, a new host object; a user@host listed elsewhere is refused */
  {
    g_autoptr(DeckTarget) edited = deck_target_new ("root", "labh2", (const char *[]) { "-Z", "KSU", "--backend=xl", NULL });
    g_autoptr(DeckTarget) clash = deck_target_new ("acue", "lab00.soho", NULL);
    DeckHost *h2b;

    g_assert_null (deck_host_list_replace (list, h2, clash, &error));
    g_assert_error (error, DECK_ERROR, DECK_ERROR_EXISTS);
    g_clear_error (&error);
    h2b = deck_host_list_replace (list, h2, edited, &error);
    g_assert_no_error (error);
    g_assert_true (deck_host_list_find (list, "labh2") == h2b);
    g_assert_cmpint (deck_host_get_privilege (h2b), ==, DECK_PRIVILEGE_KSU);
    g_assert_cmpint (deck_host_get_backend (h2b), ==, DECK_BACKEND_XL);
    g_assert_cmpuint (changes, ==, 4);
    /* vmdeck's --ssh-port= sets the port ssh and libvirt's ssh transport use */
    {
      g_autoptr(DeckTarget) ported = deck_target_new (NULL, "lab3", (const char *[]) { "--ssh-port=2222", NULL });
      g_autoptr(DeckTarget) bad = deck_target_new (NULL, "lab3", (const char *[]) { "--ssh-port=0", NULL });
      DeckHost *h3 = deck_host_list_replace (list, deck_host_list_find (list, "lab3"), ported, &error);
      g_autofree char *uri = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (deck_ssh_command_get_port (deck_host_get_ssh (h3)), ==, 2222);
      uri = deck_host_get_libvirt_uri (h3, "qemu");
      g_assert_nonnull (strstr (uri, "lab3:2222/"));
      g_assert_null (deck_host_list_replace (list, h3, bad, &error));
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      g_clear_error (&error);
      changes--;   /* not counted below */
    }
    g_assert_null (deck_host_list_replace (list, deck_host_list_find (list, "localhost"), edited, &error));
    g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  g_assert_true (deck_host_list_save (list, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (file, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "root@labh2(-Z KSU --backend=xl)\n"));
  g_assert_nonnull (strstr (saved, "acue@lab00.soho(-Z KSU)\n"));
  g_assert_null (strstr (saved, "labh1"));

  again = deck_host_list_new (file);
  g_assert_true (deck_host_list_load (again, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 4);
  g_assert_true (deck_target_equal (deck_host_list_get_target (again, deck_host_list_find (again, "lab00.soho")), fresh));

  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", home, NULL }, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
}

/* A bad line leaves the list as it was and names file and line. */
static void
test_bad_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vmdeck-hosts-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "vmdeck", NULL);
  g_autoptr(DeckHostList) list = deck_host_list_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_true (deck_host_list_load (list, &error));   /* missing file: empty list */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_true (g_file_set_contents (file, "good\n$(touch x)\n", -1, NULL));
  g_assert_false (deck_host_list_load (list, &error));
  g_assert_nonnull (strstr (error->message, ":2:"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_unlink (file);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/host-list/load-edit-save", test_load_edit_save);
  g_test_add_func ("/host-list/bad-file", test_bad_file);
  return g_test_run ();
}
