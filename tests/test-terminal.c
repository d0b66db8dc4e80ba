/* test-terminal.c: the terminal windows of CONSOLE:XTERM, GTERM and EMACS* (spec §5.1.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-terminal.h"

/* A hostile label: every word must stay one argv word, never code */
#define TITLE "t\"st) (shell-command \"touch /tmp/x\")"

static const char * const command[] = { "virsh", "-c", "qemu:///system", "console", TITLE, NULL };

static void
assert_argv (char              **got,
             const char * const *want)
{
  g_autofree char *g = g_strjoinv ("|", got);
  g_autofree char *w = g_strjoinv ("|", (char **) want);

  g_assert_cmpstr (g, ==, w);
}

static void
test_xterm (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) plain = deck_terminal_argv (DECK_CONSOLE_XTERM, TITLE, NULL, command, &error);
  g_auto(GStrv) sized = NULL;

  g_assert_no_error (error);
  assert_argv (plain, (const char *[]) { "xterm", "-T", TITLE, "-n", TITLE, "-e", "virsh", "-c",
                                         "qemu:///system", "console", TITLE, NULL });
  sized = deck_terminal_argv (DECK_CONSOLE_XTERM, "tst100", "80x25-0+10", command, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sized[5], ==, "-geometry");
  g_assert_cmpstr (sized[6], ==, "80x25-0+10");
  g_assert_cmpstr (sized[7], ==, "-e");
}

/* GTERM is gnome-terminal where it is installed, else xterm (ctys maps it to XTERM) */
static void
test_gterm (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vmdeck-term-XXXXXX", NULL);
  g_autofree char *fake = g_build_filename (dir, "gnome-terminal", NULL);
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) without = NULL, with = NULL;

  g_setenv ("PATH", dir, TRUE);
  without = deck_terminal_argv (DECK_CONSOLE_GTERM, "tst100", NULL, command, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (without[0], ==, "xterm");

  /* only looked up, never run */
  g_assert_true (g_file_set_contents (fake, "", 0, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  with = deck_terminal_argv (DECK_CONSOLE_GTERM, TITLE, "100x30", command, &error);
  g_setenv ("PATH", old_path, TRUE);
  g_assert_no_error (error);
  assert_argv (with, (const char *[]) { "gnome-terminal", "--title=" TITLE, "--wait", "--geometry=100x30",
                                        "--", "virsh", "-c", "qemu:///system", "console", TITLE, NULL });
  g_remove (fake);
  g_rmdir (dir);
}

static gboolean
balanced (const char *lisp)
{
  int depth = 0;

  for (const char *p = lisp; *p; p++)
    {
      depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
      if (depth < 0)
        return FALSE;
    }
  return depth == 0;
}

/* The Lisp is a constant; the title and the command follow it as plain words */
static void
test_emacs (void)
{
  const DeckConsole kinds[] = { DECK_CONSOLE_EMACS, DECK_CONSOLE_EMACSM, DECK_CONSOLE_EMACSA, DECK_CONSOLE_EMACSAM };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = deck_terminal_argv (kinds[i], TITLE, "90x40", command, &error);
      gboolean maximized = kinds[i] == DECK_CONSOLE_EMACSM || kinds[i] == DECK_CONSOLE_EMACSAM;
      gboolean ansi = kinds[i] == DECK_CONSOLE_EMACSA || kinds[i] == DECK_CONSOLE_EMACSAM;
      guint n = g_strv_length (argv);
      const char *lisp;

      g_assert_no_error (error);
      g_assert_cmpstr (argv[0], ==, "emacs");
      g_assert_cmpstr (argv[1], ==, "-T");
      g_assert_cmpstr (argv[2], ==, TITLE);
      g_assert_cmpstr (argv[3], ==, maximized ? "-mm" : "--geometry=90x40");
      g_assert_cmpstr (argv[4], ==, "--eval");
      lisp = argv[5];
      g_assert_true (balanced (lisp));
      g_assert_null (strstr (lisp, "tst"));
      g_assert_nonnull (strstr (lisp, ansi ? "make-term" : "make-comint"));
      g_assert_nonnull (strstr (lisp, "command-line-args-left"));
      g_assert_cmpstr (argv[6], ==, TITLE);
      g_assert_cmpuint (n, ==, 7 + g_strv_length ((char **) command));
      g_assert_cmpstr (argv[n - 1], ==, TITLE);
    }
}

static void
test_refused (void)
{
  const DeckConsole not_terminals[] = { DECK_CONSOLE_DEFAULT, DECK_CONSOLE_CLI, DECK_CONSOLE_VNC,
                                        DECK_CONSOLE_NONE, DECK_CONSOLE_SDL };
  const char * const empty[] = { NULL };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (not_terminals); i++)
    {
      g_assert_null (deck_terminal_argv (not_terminals[i], "tst100", NULL, command, &error));
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      g_assert_nonnull (strstr (error->message, "does not run in a terminal window"));
      g_clear_error (&error);
    }
  g_assert_null (deck_terminal_argv (DECK_CONSOLE_XTERM, "tst100", NULL, empty, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
}

static void
test_geometry (void)
{
  DeckCallGeometry g = { (char *) "100x30+5-7:1", 100, 30, (char *) "+5-7", (char *) "1", NULL, NULL };
  DeckCallGeometry no_offset = { (char *) "80x24", 80, 24, NULL, NULL, NULL, NULL };
  g_autofree char *a = deck_terminal_geometry (&g);
  g_autofree char *b = deck_terminal_geometry (&no_offset);

  g_assert_cmpstr (a, ==, "100x30+5-7");
  g_assert_cmpstr (b, ==, "80x24");
  g_assert_null (deck_terminal_geometry (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/terminal/xterm", test_xterm);
  g_test_add_func ("/terminal/gterm", test_gterm);
  g_test_add_func ("/terminal/emacs", test_emacs);
  g_test_add_func ("/terminal/refused", test_refused);
  g_test_add_func ("/terminal/geometry", test_geometry);
  return g_test_run ();
}
