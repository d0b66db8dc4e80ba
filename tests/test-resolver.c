/* test-resolver.c: CREATE's address resolution on the local host (spec §4.2, §3.6)
 *
 * Uses the fixture tree of spec §12.0 (tests/data/xen/home/acue/xen) as the host's files;
 * the lab suite does the same against remote hosts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-inventory.h"
#include "deck-resolver.h"
#include "deck-scanner.h"

static char *base;

static void
done (GObject      *source,
      GAsyncResult *res,
      gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (res);
}

static DeckRecord *
resolve (DeckHost                 *host,
         const char               *text,
         const DeckResolveOptions *opts,
         DeckResolvedBy           *by,
         GError                  **error)
{
  g_autoptr(DeckAddress) address = deck_address_parse (text, NULL);
  g_autoptr(GAsyncResult) res = NULL;

  g_assert_nonnull (address);
  deck_address_set_home (address, g_getenv ("HOME"));
  deck_resolve_create_async (host, address, opts, NULL, done, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  return deck_resolve_create_finish (host, res, by, error);
}

/* A database made from the fixture tree, as ctys-vdbgen would write it. */
static char *
make_db (void)
{
  g_autoptr(DeckScanner) s = deck_scanner_new ();
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("vmdeck-resolve-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "db", NULL);

  deck_scanner_set_bases (s, (const char * const []) { base, NULL });
  deck_scanner_set_etc_dir (s, NULL);
  g_assert_true (deck_scanner_run (s, NULL, &error));
  g_assert_true (deck_inventory_write (db, deck_scanner_get_records (s), DECK_INVENTORY_CREATE, &error));
  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", (char *) path, NULL },
                               NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
}

static void
test_local_db (void)
{
  g_autoptr(DeckHost) host = deck_host_new_local ();
  g_autofree char *dir = make_db ();
  g_autofree char *db = g_build_filename (dir, "db", NULL);
  DeckResolveOptions opts = { DECK_CACHE_LOCAL, TRUE, (char *[]) { db, NULL }, (char *) "XEN" };
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckRecord) rec = NULL, frag = NULL;
  DeckResolvedBy by = DECK_RESOLVED_BY_SCAN;

  rec = resolve (host, "l:tst100", &opts, &by, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (deck_record_get (rec, DECK_FIELD_ID), "/xen/tst-ctys/tst100/tst100.conf"));
  g_assert_cmpint (by, ==, DECK_RESOLVED_BY_LOCAL_DB);
  frag = resolve (host, "f:tst-ctys/tst100/tst100.conf", &opts, &by, &error);   /* AC-26 */
  g_assert_no_error (error);
  g_assert_cmpstr (deck_record_get (frag, DECK_FIELD_ID), ==, deck_record_get (rec, DECK_FIELD_ID));
  remove_tree (dir);
}

/* -c ...,ONLY never scans; -c OFF scans only; ambiguity is an error listing candidates. */
static void
test_modes_and_errors (void)
{
  g_autoptr(DeckHost) host = deck_host_new_local ();
  g_autofree char *empty = g_dir_make_tmp ("vmdeck-resolve-XXXXXX", NULL);
  g_autofree char *b = g_strdup_printf ("b:%s", base);
  g_autofree char *scan_addr = g_strdup_printf ("l:tst101,%s", b);
  DeckResolveOptions only = { DECK_CACHE_LOCAL, TRUE, (char *[]) { empty, NULL }, NULL };
  DeckResolveOptions off = { DECK_CACHE_OFF, FALSE, NULL, NULL };
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
  g_autoptr(DeckRecord) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autofree char *none = g_strdup_printf ("l:tst999,%s", b);
  DeckResolvedBy by;

  r1 = resolve (host, "l:tst100", &only, &by, &e1);
  g_assert_null (r1);
  g_assert_error (e1, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (e1->message, "l:tst100"));
  g_assert_nonnull (strstr (e1->message, "the local cacheDB"));

  r2 = resolve (host, scan_addr, &off, &by, &e2);
  g_assert_no_error (e2);
  g_assert_cmpint (by, ==, DECK_RESOLVED_BY_SCAN);
  g_assert_cmpstr (deck_record_get (r2, DECK_FIELD_LABEL), ==, "tst101");

  r3 = resolve (host, none, &off, &by, &e3);   /* AC-34 */
  g_assert_error (e3, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (e3->message, "cannot evaluate ID/PNAME"));
  g_assert_nonnull (strstr (e3->message, "a filesystem scan"));

  /* f:.conf matches every config of the tree: ambiguous, and the candidates are listed */
  {
    g_autofree char *amb = g_strdup_printf ("f:.conf,%s", b);

    r4 = resolve (host, amb, &off, &by, &e4);
    g_assert_error (e4, DECK_ERROR, DECK_ERROR_AMBIGUOUS);
    g_assert_nonnull (strstr (e4->message, "tst100"));
  }
  g_rmdir (empty);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;

  g_test_init (&argc, &argv, NULL);
  home = g_test_build_filename (G_TEST_DIST, "data", "xen", "home", "acue", NULL);
  base = g_build_filename (home, "xen", NULL);
  g_setenv ("HOME", home, TRUE);
  g_test_add_func ("/resolver/local-db", test_local_db);
  g_test_add_func ("/resolver/modes-and-errors", test_modes_and_errors);
  return g_test_run ();
}
