/* cli-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli-common.h"

#include <string.h>

#include "deck-macros.h"
#include "deck-record.h"
#include "deck-scanner.h"

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

gboolean
cli_target_is_local (const char *target)
{
  g_autofree char *node = deck_scanner_default_nodename ();
  const char *at = strchr (target, '@');
  const char *host = at ? at + 1 : target;
  gsize node_short = strcspn (node, ".");

  return strcmp (host, "localhost") == 0 || strcmp (host, node) == 0
         || (strlen (host) == node_short && strncmp (host, node, node_short) == 0);
}

GPtrArray *
cli_scan_local (const char   *prog,
                DeckScanner  *scanner,
                const char   *type,
                GError      **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  const char * const *warnings;
  GPtrArray *found;

  if (!deck_scanner_run (scanner, NULL, error))
    return NULL;
  warnings = deck_scanner_get_warnings (scanner);
  for (guint i = 0; warnings[i]; i++)
    cli_print_warning (prog, warnings[i]);

  found = deck_scanner_get_records (scanner);
  for (guint i = 0; i < found->len; i++)
    {
      DeckRecord *rec = g_ptr_array_index (found, i);

      if (type == NULL || g_ascii_strcasecmp (type, "ALL") == 0
          || g_ascii_strcasecmp (deck_record_get (rec, DECK_FIELD_TYPE), type) == 0)
        g_ptr_array_add (records, rec);
    }
  return g_steal_pointer (&records);
}
