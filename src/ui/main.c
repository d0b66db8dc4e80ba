/* main.c: vmdeck entry point
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <locale.h>

#include "deck-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DeckApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, DECK_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = deck_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
