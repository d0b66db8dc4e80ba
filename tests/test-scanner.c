/* test-scanner.c: local ENUMERATE scans over the fixture trees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <grp.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-record.h"
#include "deck-scanner.h"

/* A scanner over tests/data/<parts...> as node ws2.soho, without the global side file. */
static DeckScanner *
scanner_for (const char *first,
             ...)
{
  DeckScanner *s = deck_scanner_new ();
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *joined = NULL;
  g_autofree char *base = NULL;
  va_list ap;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  g_ptr_array_add (parts, (gpointer) "data");
  va_start (ap, first);
  for (const char *p = first; p; p = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (ap);
  g_ptr_array_add (parts, NULL);
  base = g_build_filenamev ((char **) parts->pdata);
  deck_scanner_set_bases (s, (const char * const []) { base, NULL });
  deck_scanner_set_nodename (s, "ws2.soho");
  deck_scanner_set_etc_dir (s, NULL);
  return s;
}

static GPtrArray *
labels_of (DeckScanner *s)
{
  GPtrArray *labels = g_ptr_array_new ();
  GPtrArray *records = deck_scanner_get_records (s);

  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (labels, (gpointer) deck_record_get (records->pdata[i], DECK_FIELD_ID));
  return labels;
}

static gboolean
has_id_suffix (GPtrArray  *ids,
               const char *suffix)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_str_has_suffix (ids->pdata[i], suffix))
      return TRUE;
  return FALSE;
}

/* AC-78 / AC-85 on one host: V1..V3, B1 excluded by the default state filter, T1 ignored. */
static void
test_seed_tree_default_states (void)
{
  g_autoptr(DeckScanner) s = scanner_for ("xen", "home", "acue", "xen", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  GPtrArray *records;

  g_assert_true (deck_scanner_run (s, NULL, &error));
  g_assert_no_error (error);
  records = deck_scanner_get_records (s);
  ids = labels_of (s);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_true (has_id_suffix (ids, "tst-ctys/tst100/tst100.conf"));
  g_assert_true (has_id_suffix (ids, "tst-ctys/tst101/tst101.conf"));
  g_assert_true (has_id_suffix (ids, "tst-ctys/tst104/tst104.conf"));
  g_assert_false (has_id_suffix (ids, "backup/tst100/tst100.conf"));
  g_assert_false (has_id_suffix (ids, "tpl.conf"));
  for (guint i = 0; i < records->len; i++)
    {
      DeckRecord *r = records->pdata[i];

      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_PM), ==, "ws2.soho");
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_UID), ==, g_get_user_name ());
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_VMSTATE), ==, "ACTIVE");
      if (i > 0)
        g_assert_cmpint (deck_record_compare (records->pdata[i - 1], r), <, 0);
    }
  g_assert_null (deck_scanner_get_warnings (s)[0]);
}

static void
test_seed_tree_vstates (void)
{
  g_autoptr(DeckScanner) s = scanner_for ("xen", "home", "acue", "xen", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  const char * const all[] = { "all", NULL };
  const char * const backup[] = { "BACKUP", NULL };
  const char * const bad[] = { "SLEEPY", NULL };
  const char * const custom[] = { "CUSTOM", "SLEEPY", NULL };

  g_assert_true (deck_scanner_set_vstates (s, all, &error));
  g_assert_true (deck_scanner_run (s, NULL, &error));
  ids = labels_of (s);
  g_assert_cmpuint (ids->len, ==, 4);
  g_assert_true (has_id_suffix (ids, "backup/tst100/tst100.conf"));
  g_assert_false (has_id_suffix (ids, "tpl.conf")); /* MAGICID-IGNORE whatever the states */
  g_clear_pointer (&ids, g_ptr_array_unref);

  g_assert_true (deck_scanner_set_vstates (s, backup, &error));
  g_assert_true (deck_scanner_run (s, NULL, &error));
  ids = labels_of (s);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_true (has_id_suffix (ids, "backup/tst100/tst100.conf"));

  g_assert_false (deck_scanner_set_vstates (s, bad, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_true (deck_scanner_set_vstates (s, custom, &error));
  g_assert_true (deck_scanner_run (s, NULL, &error));
  g_assert_cmpuint (deck_scanner_get_records (s)->len, ==, 0);
}

/* Broken and hostile files are warnings naming the file (and line); the scan goes on. */
static void
test_parser_tree_warnings (void)
{
  g_autoptr(DeckScanner) s = scanner_for ("parser", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  const char * const *w;
  g_autofree char *all = NULL;
  GPtrArray *records;
  gboolean saw_qemu = FALSE;

  g_assert_true (deck_scanner_run (s, NULL, &error));
  g_assert_no_error (error);
  w = deck_scanner_get_warnings (s);
  all = g_strjoinv ("\n", (char **) w);
  g_test_message ("warnings:\n%s", all);
  g_assert_nonnull (strstr (all, "broken.conf:5: config parsing error"));
  g_assert_nonnull (strstr (all, "hostile-semicolon.conf:1: name: value contains ';'"));
  g_assert_nonnull (strstr (all, "hostile-binary.conf: contains NUL bytes"));
  g_assert_nonnull (strstr (all, "domain-broken.xml: not a valid libvirt domain"));
  g_assert_null (strstr (all, "not-a-domain.xml"));

  ids = labels_of (s);
  g_assert_true (has_id_suffix (ids, "/full.conf"));
  g_assert_true (has_id_suffix (ids, "/xl.cfg"));
  g_assert_true (has_id_suffix (ids, "/hostile-shell.conf"));
  g_assert_true (has_id_suffix (ids, "/sideset/grp/vm1/vm1.conf"));
  g_assert_true (has_id_suffix (ids, "/domain-qemu.xml"));
  g_assert_true (has_id_suffix (ids, "/domain-xen.xml"));
  g_assert_false (has_id_suffix (ids, "/three-keys.conf"));
  g_assert_false (has_id_suffix (ids, "/ignored.conf"));
  g_assert_false (has_id_suffix (ids, "/noenum.conf"));
  g_assert_false (has_id_suffix (ids, "not-a-domain.xml"));

  records = deck_scanner_get_records (s);
  for (guint i = 0; i < records->len; i++)
    {
      DeckRecord *r = records->pdata[i];

      if (!g_str_has_suffix (deck_record_get (r, DECK_FIELD_ID), "/domain-qemu.xml"))
        continue;
      saw_qemu = TRUE;
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_TYPE), ==, "QEMU");
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_LABEL), ==, "tinyq");
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_UUID), ==, "7d0c6a5e-97b3-4b8f-8a3e-2d0b8c0f1a01");
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_VRAM), ==, "128");
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_ACCELERATOR), ==, "QEMU");
      if (strcmp (deck_record_get (r, DECK_FIELD_MAC), "52:54:00:aa:bb:01") == 0)
        g_assert_cmpstr (deck_record_get (r, DECK_FIELD_TCP), ==, "10.50.0.2");
      else
        g_assert_cmpstr (deck_record_get (r, DECK_FIELD_MAC), ==, "52:54:00:aa:bb:02");
    }
  g_assert_true (saw_qemu);
}

static void
test_missing_base (void)
{
  g_autoptr(DeckScanner) s = deck_scanner_new ();
  g_autoptr(GError) error = NULL;
  const char * const bases[] = { "/nonexistent/vmdeck/base", NULL };

  deck_scanner_set_bases (s, bases);
  g_assert_false (deck_scanner_run (s, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/vmdeck/base"));
}

static void
test_hostile_nodename (void)
{
  g_autoptr(DeckScanner) s = scanner_for ("xen", NULL);
  g_autoptr(GError) error = NULL;

  deck_scanner_set_nodename (s, "evil;host");
  g_assert_false (deck_scanner_run (s, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
}

/* AC-83: an unreadable config gives the host+type record and a warning. The scan runs in a
 * child process that drops root privileges (as root nothing is unreadable); the parent makes
 * the tree and removes it again. */
static void
test_unreadable (void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *conf = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(DeckScanner) s = deck_scanner_new ();
      g_autoptr(GError) error = NULL;
      const char *dir = g_getenv ("DECK_TEST_UNREADABLE_DIR");
      GPtrArray *records;

      g_assert_nonnull (dir);
      if (getuid () == 0)
        {
          g_assert_cmpint (setgroups (0, NULL), ==, 0);
          g_assert_cmpint (setresgid (65534, 65534, 65534), ==, 0);
          g_assert_cmpint (setresuid (65534, 65534, 65534), ==, 0);
        }
      deck_scanner_set_bases (s, (const char * const []) { dir, NULL });
      deck_scanner_set_nodename (s, "ws2.soho");
      g_assert_true (deck_scanner_run (s, NULL, &error));
      records = deck_scanner_get_records (s);
      g_assert_cmpuint (records->len, ==, 1);
      g_assert_cmpstr (deck_record_get (records->pdata[0], DECK_FIELD_PM), ==, "ws2.soho");
      g_assert_cmpstr (deck_record_get (records->pdata[0], DECK_FIELD_TYPE), ==, "XEN");
      g_assert_cmpstr (deck_record_get (records->pdata[0], DECK_FIELD_LABEL), ==, "");
      g_assert_nonnull (strstr (deck_scanner_get_warnings (s)[0], "secret.conf: partial access error"));
      return;
    }

  tmp = g_strdup ("/tmp/deck-unreadable-XXXXXX");
  g_assert_nonnull (g_mkdtemp_full (tmp, 0755));
  conf = g_build_filename (tmp, "secret.conf", NULL);
  g_assert_true (g_file_set_contents (conf, "name = \"s\"\n", -1, NULL));
  g_assert_cmpint (g_chmod (conf, 0), ==, 0);
  g_setenv ("DECK_TEST_UNREADABLE_DIR", tmp, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("DECK_TEST_UNREADABLE_DIR");
  g_assert_cmpint (g_remove (conf), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
  g_test_trap_assert_passed ();
}

static void
on_scanned (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (deck_scanner_run_finish (DECK_SCANNER (source), result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (deck_scanner_get_records (DECK_SCANNER (source))->len, ==, 3);
  g_main_loop_quit (loop);
}

static void
test_async (void)
{
  g_autoptr(DeckScanner) s = scanner_for ("xen", "home", "acue", "xen", NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  deck_scanner_run_async (s, NULL, on_scanned, loop);
  g_main_loop_run (loop);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/deck/scanner/seed-tree-default-states", test_seed_tree_default_states);
  g_test_add_func ("/deck/scanner/seed-tree-vstates", test_seed_tree_vstates);
  g_test_add_func ("/deck/scanner/parser-tree-warnings", test_parser_tree_warnings);
  g_test_add_func ("/deck/scanner/missing-base", test_missing_base);
  g_test_add_func ("/deck/scanner/hostile-nodename", test_hostile_nodename);
  g_test_add_func ("/deck/scanner/unreadable", test_unreadable);
  g_test_add_func ("/deck/scanner/async", test_async);
  return g_test_run ();
}
