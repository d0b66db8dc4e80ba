/* test-inventory.c: enum.fdb loading and atomic, locked writing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-inventory.h"

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("deck-inventory-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static DeckRecord *
rec (const char *host,
     const char *label)
{
  DeckRecord *r = deck_record_new ();
  g_autofree char *id = g_strdup_printf ("/xen/%s/%s.conf", label, label);

  deck_record_set (r, DECK_FIELD_PM, host);
  deck_record_set (r, DECK_FIELD_TYPE, "XEN");
  deck_record_set (r, DECK_FIELD_LABEL, label);
  deck_record_set (r, DECK_FIELD_ID, id);
  return r;
}

static char *
read_fdb (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, DECK_INVENTORY_FILE, NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static void
test_write_modes (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *dir = g_build_filename (tmp, "db", "default", NULL);
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *c1 = NULL, *c2 = NULL, *c3 = NULL, *c4 = NULL;

  g_ptr_array_add (a, rec ("ws2", "tst101"));
  g_ptr_array_add (a, rec ("lab00", "tst100"));
  g_ptr_array_add (a, rec ("lab00", "tst100")); /* duplicate */
  g_ptr_array_add (b, rec ("lab00", "tst104"));
  g_ptr_array_add (b, rec ("lab00", "tst100"));

  g_assert_true (deck_inventory_write (dir, a, DECK_INVENTORY_CREATE, &error));
  g_assert_no_error (error);
  c1 = read_fdb (dir);
  g_assert_cmpuint (count_lines (c1), ==, 2);
  g_assert_true (g_str_has_prefix (c1, "lab00;XEN;tst100;")); /* sorted */

  /* AC-85: a second run without --append/--replace is an error and changes nothing */
  g_assert_false (deck_inventory_write (dir, b, DECK_INVENTORY_CREATE, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "--append"));
  g_clear_error (&error);
  c2 = read_fdb (dir);
  g_assert_cmpstr (c1, ==, c2);

  g_assert_true (deck_inventory_write (dir, b, DECK_INVENTORY_APPEND, &error));
  c3 = read_fdb (dir);
  g_assert_cmpuint (count_lines (c3), ==, 3);

  g_assert_true (deck_inventory_write (dir, b, DECK_INVENTORY_REPLACE, &error));
  c4 = read_fdb (dir);
  g_assert_cmpuint (count_lines (c4), ==, 2);
  g_assert_null (strstr (c4, "tst101"));

  rm_rf (tmp);
}

static void
test_load (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *d1 = g_build_filename (tmp, "one", NULL);
  g_autofree char *d2 = g_build_filename (tmp, "two", NULL);
  g_autofree char *d3 = g_build_filename (tmp, "three", NULL);
  g_autofree char *f1 = g_build_filename (d1, DECK_INVENTORY_FILE, NULL);
  g_autofree char *f2 = g_build_filename (d2, DECK_INVENTORY_FILE, NULL);
  g_autofree char *good = g_strjoinv (";", (char *[]) { "lab00", "XEN", "a", "/a.conf", NULL });
  g_autofree char *pad = g_strnfill (43, ';');
  g_autofree char *c1 = g_strdup_printf ("%s%s\n\n%s%s;too;many;fields;here\n", good, pad, good, pad);
  g_autofree char *c2 = g_strdup_printf ("ws2;XEN;b;/b.conf%s\r\nbroken line\n", pad);
  g_autoptr(DeckInventory) inv = deck_inventory_new ();
  g_autoptr(GError) error = NULL;
  const char * const dirs[] = { d1, d2, d3, NULL };
  const char * const *problems;
  GPtrArray *records;

  g_mkdir (d1, 0755);
  g_mkdir (d2, 0755);
  g_mkdir (d3, 0755);
  g_assert_true (g_file_set_contents (f1, c1, -1, NULL));
  g_assert_true (g_file_set_contents (f2, c2, -1, NULL));

  g_assert_true (deck_inventory_load (inv, dirs, &error));
  g_assert_no_error (error);
  records = deck_inventory_get_records (inv);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inv)), ==, 2);
  g_assert_cmpstr (deck_record_get (records->pdata[0], DECK_FIELD_LABEL), ==, "a");
  g_assert_cmpstr (deck_record_get (records->pdata[0], DECK_FIELD_INDEX), ==, "1");
  g_assert_cmpstr (deck_record_get (records->pdata[1], DECK_FIELD_LABEL), ==, "b");
  g_assert_cmpstr (deck_record_get (records->pdata[1], DECK_FIELD_INDEX), ==, "2");

  /* corrupt lines: reported with file and line, never silently dropped */
  problems = deck_inventory_get_problems (inv);
  g_assert_cmpuint (g_strv_length ((char **) problems), ==, 3);
  g_assert_true (g_str_has_prefix (problems[0], f1));
  g_assert_nonnull (strstr (problems[0], ":3: corrupt record"));
  g_assert_nonnull (strstr (problems[1], ":2: corrupt record"));
  g_assert_nonnull (strstr (problems[2], "no inventory file"));

  /* a missing directory is an error of its own */
  {
    g_autofree char *missing = g_build_filename (tmp, "missing", NULL);
    const char * const bad[] = { missing, NULL };

    g_assert_false (deck_inventory_load (inv, bad, &error));
    g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  }
  rm_rf (tmp);
}

static void
test_append_refuses_corrupt (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *fdb = g_build_filename (tmp, DECK_INVENTORY_FILE, NULL);
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  const char *before = "garbage without fields\n";

  g_assert_true (g_file_set_contents (fdb, before, -1, NULL));
  g_ptr_array_add (a, rec ("h", "x"));
  g_assert_false (deck_inventory_write (tmp, a, DECK_INVENTORY_APPEND, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, ":1: corrupt record"));
  g_assert_nonnull (strstr (error->message, "nothing was written"));
  g_assert_true (g_file_get_contents (fdb, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
  rm_rf (tmp);
}

static void
test_nested_refused (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *inner = g_build_filename (tmp, "inner", NULL);
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (a, rec ("h", "x"));
  g_assert_true (deck_inventory_write (tmp, a, DECK_INVENTORY_CREATE, &error));
  g_assert_false (deck_inventory_write (inner, a, DECK_INVENTORY_CREATE, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  g_assert_false (g_file_test (inner, G_FILE_TEST_EXISTS));
  rm_rf (tmp);
}

typedef struct {
  const char *dir;
  guint id;
} Writer;

static gpointer
append_many (gpointer data)
{
  Writer *w = data;

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *label = g_strdup_printf ("w%u-%02u", w->id, i);
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (a, rec ("h", label));
      g_assert_true (deck_inventory_write (w->dir, a, DECK_INVENTORY_APPEND, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

/* Concurrent writers serialise on the lock: no append is lost, no temporary file stays. */
static void
test_concurrent_writers (void)
{
  g_autofree char *tmp = make_tmpdir ();
  Writer w[3] = { { tmp, 0 }, { tmp, 1 }, { tmp, 2 } };
  GThread *threads[3];
  g_autofree char *contents = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;

  for (guint i = 0; i < 3; i++)
    threads[i] = g_thread_new ("writer", append_many, &w[i]);
  for (guint i = 0; i < 3; i++)
    g_thread_join (threads[i]);
  contents = read_fdb (tmp);
  g_assert_cmpuint (count_lines (contents), ==, 75);

  d = g_dir_open (tmp, 0, NULL);
  while ((name = g_dir_read_name (d)))
    g_assert_false (g_str_has_prefix (name, ".enum.fdb."));
  rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/deck/inventory/write-modes", test_write_modes);
  g_test_add_func ("/deck/inventory/load-and-problems", test_load);
  g_test_add_func ("/deck/inventory/append-refuses-corrupt", test_append_refuses_corrupt);
  g_test_add_func ("/deck/inventory/nested-refused", test_nested_refused);
  g_test_add_func ("/deck/inventory/concurrent-writers", test_concurrent_writers);
  return g_test_run ();
}
