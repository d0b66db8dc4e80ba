/* ctys-vdbgen.c: builds the inventory (enum.fdb) from ENUMERATE of the targets (spec §6.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli-common.h"
#include "deck-config.h"
#include "deck-error.h"
#include "deck-inventory.h"
#include "deck-scanner.h"

#define PROG "ctys-vdbgen"

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: ctys-vdbgen [--append|--replace] [--base=<dir>[%%<dir>...]] [--cacheDB=<dir>]\n"
           "                   [--scan-all-states] [--threads=<n>] [--progress] [-t <types>]\n"
           "                   [--] [<target>...]\n"
           "\n"
           "Scans the targets for VM configurations and writes <cacheDB>/enum.fdb\n"
           "(default $HOME/.ctys/db/default). Without --append or --replace an existing\n"
           "enum.fdb is an error. No target means localhost. This build scans the local host;\n"
           "remote targets come with the SSH layer.\n");
}

typedef struct {
  gboolean append, replace, all_states, progress;
  char *base;
  char *cache_db;
  char *type;
  GPtrArray *targets;
} Options;

static gboolean
take_value (const char  *arg,
            const char  *name,
            char       **out)
{
  gsize n = strlen (name);

  if (strncmp (arg, name, n) != 0 || arg[n] != '=')
    return FALSE;
  g_free (*out);
  *out = g_strdup (arg + n + 1);
  return TRUE;
}

static gboolean
parse_args (int       argc,
            char    **argv,
            Options  *o,
            GError  **error)
{
  gboolean targets_only = FALSE;

  for (int i = 1; i < argc; i++)
    {
      const char *a = argv[i];
      g_autofree char *ignored = NULL;

      if (targets_only || a[0] != '-')
        {
          const char *paren = strchr (a, '(');

          if (*a == '(' )
            continue; /* default group '(...)' after "--": options for remote calls */
          g_ptr_array_add (o->targets, g_strndup (a, paren ? (gsize) (paren - a) : strlen (a)));
          continue;
        }
      if (strcmp (a, "--") == 0)
        targets_only = TRUE;
      else if (strcmp (a, "--append") == 0)
        o->append = TRUE;
      else if (strcmp (a, "--replace") == 0)
        o->replace = TRUE;
      else if (strcmp (a, "--scan-all-states") == 0)
        o->all_states = TRUE;
      else if (strcmp (a, "--progress") == 0)
        o->progress = TRUE;
      else if (take_value (a, "--base", &o->base) || take_value (a, "--cacheDB", &o->cache_db)
               || take_value (a, "--threads", &ignored))
        ;
      else if (strcmp (a, "--stdio") == 0 || strcmp (a, "--filecontext") == 0
               || strcmp (a, "--splitted") == 0 || strcmp (a, "--no-splitted") == 0)
        ;
      else if ((strcmp (a, "-t") == 0 || strcmp (a, "-T") == 0) && i + 1 < argc)
        {
          if (a[1] == 't')
            {
              g_free (o->type);
              o->type = g_ascii_strup (argv[i + 1], -1);
            }
          i++;
        }
      else if (strchr ("bcCdpz", a[1]) && a[2] == '\0' && i + 1 < argc)
        i++; /* generic ctys options for the ENUMERATE calls; nothing to do locally */
      else if (strcmp (a, "-h") == 0 || strcmp (a, "--help") == 0)
        {
          usage (stdout);
          exit (CLI_EXIT_OK);
        }
      else if (strcmp (a, "-V") == 0 || strcmp (a, "--version") == 0)
        {
          printf ("ctys-vdbgen (vmdeck) %s\n", DECK_VERSION);
          exit (CLI_EXIT_OK);
        }
      else
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "unknown option '%s' (see ctys-vdbgen --help)", a);
          return FALSE;
        }
    }
  if (o->append && o->replace)
    {
      g_set_error_literal (error, DECK_ERROR, DECK_ERROR_USAGE,
                           "--append and --replace exclude each other");
      return FALSE;
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  Options o = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckScanner) scanner = deck_scanner_new ();
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *fdb = NULL;
  const char * const all_states[] = { "ALL", NULL };
  int rc = CLI_EXIT_OK;

  setlocale (LC_ALL, "");
  o.targets = g_ptr_array_new_with_free_func (g_free);

  if (!parse_args (argc, argv, &o, &error))
    {
      rc = CLI_EXIT_USAGE;
      goto out;
    }
  for (guint i = 0; i < o.targets->len; i++)
    if (!cli_target_is_local (o.targets->pdata[i]))
      {
        g_set_error (&error, DECK_ERROR, DECK_ERROR_UNSUPPORTED,
                     "target '%s': remote hosts are not supported by this build yet; "
                     "use localhost or this host's name", (char *) o.targets->pdata[i]);
        rc = CLI_EXIT_USAGE;
        goto out;
      }

  if (o.base != NULL)
    {
      g_auto(GStrv) bases = g_strsplit (o.base, "%", -1);

      deck_scanner_set_bases (scanner, (const char * const *) bases);
    }
  if (o.all_states)
    deck_scanner_set_vstates (scanner, all_states, NULL);

  if (o.progress)
    g_printerr ("%s: scanning %s\n", PROG, o.base ? o.base : "the default bases");
  records = cli_scan_local (PROG, scanner, o.type, &error);
  if (records == NULL)
    {
      rc = CLI_EXIT_USAGE;
      goto out;
    }

  dir = o.cache_db ? g_strdup (o.cache_db) : deck_inventory_default_dir ();
  if (!deck_inventory_write (dir, records,
                             o.replace ? DECK_INVENTORY_REPLACE
                                       : o.append ? DECK_INVENTORY_APPEND : DECK_INVENTORY_CREATE,
                             &error))
    {
      rc = g_error_matches (error, DECK_ERROR, DECK_ERROR_EXISTS) ? CLI_EXIT_MISSING_DB : CLI_EXIT_USAGE;
      goto out;
    }
  fdb = g_build_filename (dir, DECK_INVENTORY_FILE, NULL);
  printf ("%s: %u record%s from %u file%s written to %s\n", PROG, records->len,
          records->len == 1 ? "" : "s", deck_scanner_get_n_files (scanner),
          deck_scanner_get_n_files (scanner) == 1 ? "" : "s", fdb);

out:
  if (error != NULL)
    cli_print_error (PROG, error);
  g_ptr_array_unref (o.targets);
  g_free (o.base);
  g_free (o.cache_db);
  g_free (o.type);
  return rc;
}
