/* deck-terminal.c: the terminal programs behind CONSOLE:XTERM, GTERM and EMACS*
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-terminal.h"

#include "deck-error.h"

/* Constant Lisp: the title and the command are the arguments after --eval. They are taken
 * out of command-line-args-left (so Emacs does not visit them as files) and handed to
 * make-comint / make-term as strings. */
#define EMACS_COMINT \
  "(let ((a command-line-args-left)) (setq command-line-args-left nil)" \
  " (switch-to-buffer (apply #'make-comint (car a) (cadr a) nil (cddr a))))"
#define EMACS_ANSI_TERM \
  "(let ((a command-line-args-left)) (setq command-line-args-left nil) (require 'term)" \
  " (switch-to-buffer (apply #'make-term (car a) (cadr a) nil (cddr a)))" \
  " (term-mode) (term-char-mode))"

char *
deck_terminal_geometry (const DeckCallGeometry *geometry)
{
  if (geometry == NULL || geometry->width == 0 || geometry->height == 0)
    return NULL;
  return g_strdup_printf ("%ux%u%s", geometry->width, geometry->height,
                          geometry->offset ? geometry->offset : "");
}

static void
add_option (GStrvBuilder *b,
            const char   *option,
            const char   *value)
{
  g_autofree char *word = g_strconcat (option, value, NULL);

  g_strv_builder_add (b, word);
}

static void
add_xterm (GStrvBuilder *b,
           const char   *title,
           const char   *geometry)
{
  g_strv_builder_add_many (b, "xterm", "-T", title, "-n", title, NULL);
  if (geometry)
    g_strv_builder_add_many (b, "-geometry", geometry, NULL);
  g_strv_builder_add (b, "-e");
}

char **
deck_terminal_argv (DeckConsole          console,
                    const char          *title,
                    const char          *geometry,
                    const char * const  *command,
                    GError             **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *gnome_terminal = NULL;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (command == NULL || command[0] == NULL || *command[0] == '\0')
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "no console command to run in a terminal");
      return NULL;
    }

  switch (console)
    {
    case DECK_CONSOLE_XTERM:
      add_xterm (b, title, geometry);
      break;

    case DECK_CONSOLE_GTERM:
      gnome_terminal = g_find_program_in_path ("gnome-terminal");
      if (gnome_terminal == NULL)
        {
          add_xterm (b, title, geometry);
          break;
        }
      g_strv_builder_add (b, "gnome-terminal");
      /* --wait: the process lives as long as the window, so LIST and CANCEL CLIENT see it */
      add_option (b, "--title=", title);
      g_strv_builder_add (b, "--wait");
      if (geometry)
        add_option (b, "--geometry=", geometry);
      g_strv_builder_add (b, "--");
      break;

    case DECK_CONSOLE_EMACS:
    case DECK_CONSOLE_EMACSM:
    case DECK_CONSOLE_EMACSA:
    case DECK_CONSOLE_EMACSAM:
      g_strv_builder_add_many (b, "emacs", "-T", title, NULL);
      if (console == DECK_CONSOLE_EMACSM || console == DECK_CONSOLE_EMACSAM)
        g_strv_builder_add (b, "-mm");
      else if (geometry)
        add_option (b, "--geometry=", geometry);
      g_strv_builder_add_many (b, "--eval",
                               console == DECK_CONSOLE_EMACS || console == DECK_CONSOLE_EMACSM
                                 ? EMACS_COMINT : EMACS_ANSI_TERM,
                               title, NULL);
      break;

    case DECK_CONSOLE_DEFAULT:
    case DECK_CONSOLE_CLI:
    case DECK_CONSOLE_VNC:
    case DECK_CONSOLE_NONE:
    case DECK_CONSOLE_SDL:
    default:
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "CONSOLE:%s does not run in a terminal window",
                   deck_console_to_string (console) ? deck_console_to_string (console) : "DEFAULT");
      return NULL;
    }

  g_strv_builder_addv (b, (const char **) command);
  return g_strv_builder_end (b);
}
