/* cli-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli-common.h"

#include "deck-macros.h"

void
cli_print_error (const char   *prog,
                 const GError *error)
{
  g_printerr ("%s: error: %s\n", prog, error->message);
}

void
cli_print_warning (const char *prog,
                   const char *message)
{
  g_printerr ("%s: warning: %s\n", prog, message);
}

char *
cli_expand_macros (const char *prog,
                   const char *text)
{
  static DeckMacros *macros;
  g_autoptr(GError) error = NULL;
  char *expanded;

  if (macros == NULL)
    macros = deck_macros_new (NULL);
  expanded = deck_macros_expand (macros, text, &error);
  if (expanded == NULL)
    cli_print_error (prog, error);
  return expanded;
}
