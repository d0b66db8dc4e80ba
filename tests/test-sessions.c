/* test-sessions.c: the registry of clients and tunnels that LIST shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-fields.h"
#include "deck-sessions.h"

static void
test_register_list_unregister (void)
{
  g_autofree char *runtime = g_dir_make_tmp ("vmdeck-sessions-XXXXXX", NULL);
  g_auto(GStrv) tunnel = NULL, client = NULL, dead = NULL;
  g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL;
  g_autoptr(GPtrArray) rows = NULL, after = NULL;
  g_autoptr(GError) error = NULL;
  pid_t child;
  int status;

  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  tunnel = deck_sessions_tunnel_fields ("tst100", "XEN", 5950, 5900);
  client = deck_sessions_client_fields ("tst100", "VNC", 5950);
  t1 = deck_sessions_register ((const char * const *) tunnel, &error);
  g_assert_no_error (error);
  t2 = deck_sessions_register ((const char * const *) client, &error);
  g_assert_no_error (error);

  /* a session of a process that has ended */
  child = fork ();
  if (child == 0)
    _exit (0);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  dead = deck_sessions_client_fields ("gone", "VNC", 0);
  g_free (dead[DECK_LIST_PID - 1]);
  dead[DECK_LIST_PID - 1] = g_strdup_printf ("%d", (int) child);
  t3 = deck_sessions_register ((const char * const *) dead, &error);
  g_assert_no_error (error);

  rows = deck_sessions_list ();
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((char **) rows->pdata[0])[DECK_LIST_TYPE - 1], ==, "SSH(XEN)");
  g_assert_cmpstr (((char **) rows->pdata[0])[DECK_LIST_ID - 1], ==, "5950-5900");
  g_assert_cmpstr (((char **) rows->pdata[0])[DECK_LIST_CSTYPE - 1], ==, "TUNNEL");
  g_assert_cmpstr (((char **) rows->pdata[0])[DECK_LIST_SPORT - 1], ==, "5900");
  g_assert_cmpstr (((char **) rows->pdata[1])[DECK_LIST_CSTYPE - 1], ==, "CLIENT");
  g_assert_false (g_file_test (t3, G_FILE_TEST_EXISTS));   /* the dead one was swept */

  deck_sessions_unregister (t1);
  deck_sessions_unregister (t2);
  after = deck_sessions_list ();
  g_assert_cmpuint (after->len, ==, 0);

  /* hostile labels are refused, not written */
  g_free (client[DECK_LIST_LABEL - 1]);
  client[DECK_LIST_LABEL - 1] = g_strdup ("a;b");
  g_assert_null (deck_sessions_register ((const char * const *) client, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);

  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", runtime, NULL }, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sessions/register-list-unregister", test_register_list_unregister);
  return g_test_run ();
}
