/* test-scan-stream.c: the remote ENUMERATE stream, produced by its real remote script
 *
 * The remote command is run here with the local sh, find and tar (exactly what sshd would
 * run on a host, minus ssh), and what it prints is parsed like a remote host's answer.
 * The records must equal those of a local scan of the same tree; broken streams must be
 * refused as a whole. The lab suite runs the same over real ssh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-record.h"
#include "deck-scan-stream.h"
#include "deck-ssh-command.h"
#include "deck-scanner.h"

#define VALID_CONFIG \
  "#@#VMSTATE = \"ACTIVE\"\n" \
  "name = \"%s\"\n" \
  "uuid = \"6ba7b810-9dad-11d1-80b4-00c04fd430c8\"\n" \
  "memory = 256\n" \
  "vcpus = 1\n" \
  "vif = [ 'mac=00:16:3e:00:00:01' ]\n" \
  "disk = [ 'file:/srv/x.img,xvda,w' ]\n"

/* Runs the remote script as sshd would (HOME = @home, started in /) and returns stdout;
 * stderr into @err. */
static GBytes *
run_remote_script (const char         *home,
                   const char * const *bases,
                   char              **err)
{
  g_auto(GStrv) argv = deck_scan_stream_remote_argv (NULL, bases);
  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) errb = NULL;
  GBytes *out = NULL;

  g_subprocess_launcher_setenv (l, "HOME", home, TRUE);
  g_subprocess_launcher_set_cwd (l, "/");
  p = g_subprocess_launcher_spawnv (l, (const char * const *) argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (p, NULL, NULL, &out, &errb, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (p));
  *err = g_strndup (g_bytes_get_data (errb, NULL), g_bytes_get_size (errb));
  return out;
}

static char *
lines_of (DeckScanner *s)
{
  GPtrArray *records = deck_scanner_get_records (s);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < records->len; i++)
    {
      g_string_append_printf (text, "%s\n", deck_record_to_line (records->pdata[i]));
    }
  return g_string_free (text, FALSE);
}

/* The fixture tree of spec §12.0: the stream gives the local scan's records, line for
 * line, with the base given relative to the remote home. */
static void
test_same_as_local (void)
{
  g_autofree char *home = g_test_build_filename (G_TEST_DIST, "data", "xen", "home", "acue", NULL);
  g_autofree char *base = g_build_filename (home, "xen", NULL);
  g_autoptr(DeckScanner) local = deck_scanner_new ();
  g_autoptr(DeckScanner) remote = deck_scanner_new ();
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL, *a = NULL, *b = NULL;
  g_autoptr(GError) error = NULL;

  deck_scanner_set_bases (local, (const char * const []) { base, NULL });
  deck_scanner_set_etc_dir (local, NULL);
  g_assert_true (deck_scanner_run (local, NULL, &error));
  g_assert_no_error (error);

  out = run_remote_script (home, (const char * const []) { "xen", NULL }, &err);
  deck_scanner_set_bases (remote, (const char * const []) { "xen", NULL });
  deck_scanner_set_etc_dir (remote, NULL);
  g_assert_true (deck_scanner_run_stream (remote, "h", out, err, &error));
  g_assert_no_error (error);

  a = lines_of (local);
  b = lines_of (remote);
  g_assert_cmpuint (deck_scanner_get_records (local)->len, >, 2);
  g_assert_cmpstr (b, ==, a);
  g_assert_cmpuint (deck_scanner_get_n_files (remote), ==, deck_scanner_get_n_files (local));
}

/* File and directory names that are shell syntax: parsed, never executed; a path that
 * cannot be stored (';', newline) refused with the same warning as locally; a path longer than
 * tar's 100-byte name field comes through whole. */
static void
test_hostile_names (void)
{
  g_autofree char *home = g_dir_make_tmp ("vmdeck-stream-XXXXXX", NULL);
  g_autofree char *victim = g_build_filename (home, "executed", NULL);
  g_autofree char *subst = g_strdup_printf ("$(touch %s)", victim);
  const char *dirs[] = { subst, "a;b", "it's \"q\"", "two words", "new\nline",
                         "a-very-long-directory-name-that-is-much-longer-than-the-old-tar-name-field/"
                         "and-then-some-more-of-it-to-be-sure", NULL };
  g_autoptr(DeckScanner) local = deck_scanner_new ();
  g_autoptr(DeckScanner) remote = deck_scanner_new ();
  g_autofree char *base = g_build_filename (home, "vms", NULL);
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL, *a = NULL, *b = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *warnings;
  gboolean newline_warned = FALSE;

  for (guint i = 0; dirs[i]; i++)
    {
      g_autofree char *dir = g_build_filename (base, dirs[i], NULL);
      g_autofree char *file = g_build_filename (dir, "vm.conf", NULL);
      g_autofree char *label = g_strdup_printf ("vm%u", i);
      g_autofree char *text = g_strdup_printf (VALID_CONFIG, label);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (g_file_set_contents (file, text, -1, NULL));
    }

  deck_scanner_set_bases (local, (const char * const []) { base, NULL });
  deck_scanner_set_etc_dir (local, NULL);
  g_assert_true (deck_scanner_run (local, NULL, &error));
  out = run_remote_script (home, (const char * const []) { "vms", NULL }, &err);
  deck_scanner_set_bases (remote, (const char * const []) { "vms", NULL });
  deck_scanner_set_etc_dir (remote, NULL);
  g_assert_true (deck_scanner_run_stream (remote, "h", out, err, &error));
  g_assert_no_error (error);

  a = lines_of (local);
  b = lines_of (remote);
  g_assert_cmpstr (b, ==, a);
  /* all but the paths with ';' and a newline, which no inventory field can hold */
  g_assert_cmpuint (deck_scanner_get_records (remote)->len, ==, G_N_ELEMENTS (dirs) - 3);
  g_assert_nonnull (strstr (b, "/$(touch "));
  g_assert_nonnull (strstr (b, "and-then-some-more-of-it-to-be-sure/vm.conf"));
  warnings = deck_scanner_get_warnings (remote);
  for (guint i = 0; warnings[i]; i++)
    newline_warned |= strstr (warnings[i], "new\\nline/vm.conf") != NULL;
  g_assert_true (newline_warned);
  g_assert_false (g_file_test (victim, G_FILE_TEST_EXISTS));

  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", home, NULL }, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
}

/* Every cut of a good stream is refused as a whole (HOST_UNREACHABLE), a damaged tar header
 * as CORRUPT, and text before the stream (a chatty login shell) too. */
static void
test_broken_streams (void)
{
  g_autofree char *home = g_test_build_filename (G_TEST_DIST, "data", "xen", "home", "acue", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GBytes) out = run_remote_script (home, (const char * const []) { "xen", NULL }, &err);
  gsize len;
  const guint8 *data = g_bytes_get_data (out, &len);
  const guint8 *tar;
  g_autofree guint8 *damaged = g_memdup2 (data, len);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckScanStream) whole = deck_scan_stream_parse ("h", data, len, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (whole->paths->len, >, 2);
  for (gsize cut = 0; cut < len; cut += (cut < 200 ? 1 : 97))
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(DeckScanStream) s = deck_scan_stream_parse ("h", data, cut, &e);

      g_assert_null (s);
      g_assert_true (g_error_matches (e, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE)
                     || g_error_matches (e, DECK_ERROR, DECK_ERROR_CORRUPT));
      g_assert_true (g_str_has_prefix (e->message, "h: "));
    }
  {
    g_autoptr(GError) e = NULL;
    g_autoptr(DeckScanStream) s = deck_scan_stream_parse ("h", data, len - 1, &e);

    g_assert_error (e, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE);
  }

  /* the first tar header follows the header fields; flip a byte of its name */
  tar = memmem (data, len, "ustar", 5);
  g_assert_nonnull (tar);
  damaged[(tar - data) - 257 + 3] ^= 0x20;
  {
    g_autoptr(GError) e = NULL;
    g_autoptr(DeckScanStream) s = deck_scan_stream_parse ("h", damaged, len, &e);

    g_assert_error (e, DECK_ERROR, DECK_ERROR_CORRUPT);
  }
  {
    g_autoptr(GError) e = NULL;
    g_autoptr(DeckScanStream) s = deck_scan_stream_parse ("h", (const guint8 *) "Welcome!\n", 9, &e);

    g_assert_error (e, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE);
  }
}

/* The remote command exactly as ssh hands it to the login shell: DeckSshCommand quotes every
 * word of the remote argv, sshd runs "<login shell> -c <that line>", and the constant script
 * then gets the bases as positional parameters. Hostile bases (command substitution,
 * backquotes, ';', '|', quotes, blanks, globs, newline, a leading '-' that find would read as
 * an expression) must arrive verbatim, run nothing and find their files, through each POSIX
 * shell there is here. */
static void
test_hostile_bases_through_login_shell (void)
{
  g_autofree char *home = g_dir_make_tmp ("vmdeck-bases-XXXXXX", NULL);
  g_autofree char *victim = g_build_filename (home, "executed", NULL);
  g_autofree char *subst = g_strdup_printf ("$(touch %s)", victim);
  g_autofree char *backq = g_strdup_printf ("`touch %s`", victim);
  g_autofree char *semi = g_strdup_printf ("x; touch %s", victim);
  g_autofree char *abs_hostile = g_build_filename (home, "abs 'quoted' $HOME", NULL);
  g_autofree char *missing = g_strdup_printf ("$(touch %s)-missing", victim);
  const char *existing[] = { subst, backq, semi, "a|b", "it's \"q\"", "two  words", "*", "new\nline",
                             "-delete", abs_hostile, NULL };
  const char *shells[] = { "/bin/sh", "/bin/dash", "/bin/bash" };
  g_autoptr(GPtrArray) bases = g_ptr_array_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *line = NULL;
  guint ran = 0;

  for (guint i = 0; existing[i]; i++)
    {
      g_autofree char *dir = g_path_is_absolute (existing[i]) ? g_strdup (existing[i])
                                                               : g_build_filename (home, existing[i], NULL);
      g_autofree char *file = g_build_filename (dir, "vm.conf", NULL);
      g_autofree char *text = g_strdup_printf (VALID_CONFIG, "vm");

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (g_file_set_contents (file, text, -1, NULL));
      g_ptr_array_add (bases, (gpointer) existing[i]);
    }
  g_ptr_array_add (bases, missing);
  g_ptr_array_add (bases, NULL);
  argv = deck_scan_stream_remote_argv (NULL, (const char * const *) bases->pdata);
  line = deck_ssh_quote_remote ((const char * const *) argv);

  for (guint k = 0; k < G_N_ELEMENTS (shells); k++)
    {
      const char *login[] = { shells[k], "-c", line, NULL };
      g_autoptr(GSubprocessLauncher) l = NULL;
      g_autoptr(GSubprocess) p = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckScanStream) stream = NULL;

      if (!g_file_test (shells[k], G_FILE_TEST_IS_EXECUTABLE))
        {
          g_test_message ("%s is not installed: not tried", shells[k]);
          continue;
        }
      l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_subprocess_launcher_setenv (l, "HOME", home, TRUE);
      g_subprocess_launcher_set_cwd (l, "/");
      p = g_subprocess_launcher_spawnv (l, login, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate (p, NULL, NULL, &out, NULL, &error));
      g_assert_no_error (error);
      stream = deck_scan_stream_parse ("h", g_bytes_get_data (out, NULL), g_bytes_get_size (out), &error);
      g_assert_no_error (error);

      for (guint i = 0; existing[i]; i++)
        {
          g_autofree char *dir = g_path_is_absolute (existing[i]) ? g_strdup (existing[i])
                                                                   : g_build_filename (home, existing[i], NULL);
          g_autofree char *file = g_build_filename (dir, "vm.conf", NULL);

          g_assert_true (g_ptr_array_find_with_equal_func (stream->bases, dir, g_str_equal, NULL));
          g_assert_true (g_hash_table_contains (stream->files, file));
          g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));   /* "-delete" deleted nothing */
        }
      {
        g_autofree char *missing_abs = g_build_filename (home, missing, NULL);

        g_assert_cmpuint (stream->missing->len, ==, 1);
        g_assert_cmpstr (stream->missing->pdata[0], ==, missing_abs);
      }
      g_assert_cmpuint (stream->bases->len, ==, g_strv_length ((char **) existing));
      g_assert_false (g_file_test (victim, G_FILE_TEST_EXISTS));
      ran++;
    }
  g_assert_cmpuint (ran, >, 0);
  g_assert_cmpint (g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", home, NULL }, NULL,
                                 G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL), ==, TRUE);
}

/* A given base that does not exist on the host is an error; the default bases are not. */
static void
test_missing_base (void)
{
  g_autofree char *home = g_test_build_filename (G_TEST_DIST, "data", "xen", "home", "acue", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GBytes) out = run_remote_script (home, (const char * const []) { "xen", "/nonexistent/vms", NULL }, &err);
  g_autoptr(DeckScanner) s = deck_scanner_new ();
  g_autoptr(GError) error = NULL;

  deck_scanner_set_bases (s, (const char * const []) { "xen", "/nonexistent/vms", NULL });
  g_assert_false (deck_scanner_run_stream (s, "h", out, err, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/vms"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("VMDECK_NODENAME");   /* both sides must take the node name from uname */

  g_test_add_func ("/scan-stream/same-as-local", test_same_as_local);
  g_test_add_func ("/scan-stream/hostile-names", test_hostile_names);
  g_test_add_func ("/scan-stream/broken-streams", test_broken_streams);
  g_test_add_func ("/scan-stream/missing-base", test_missing_base);
  g_test_add_func ("/scan-stream/hostile-bases-through-login-shell", test_hostile_bases_through_login_shell);
  return g_test_run ();
}
