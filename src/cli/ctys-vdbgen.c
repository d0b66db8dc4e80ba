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
           "                   [-l <user>] [--ssh=<command>] [--] ['(<options>)'] [<target>...]\n"
           "\n"
           "Scans the targets for VM configurations and writes <cacheDB>/enum.fdb\n"
           "(default $HOME/.ctys/db/default). Without --append or --replace an existing\n"
           "enum.fdb is an error. No target means localhost. Remote targets are scanned over\n"
           "ssh (batch mode, one master connection per host, nothing installed there), in\n"
           "parallel (at most --threads at a time). A host that fails is reported and the\n"
           "others are written; with --replace the failed host keeps its old records.\n");
}

typedef struct {
  gboolean append, replace, all_states, progress;
  char *base;
  char *cache_db;
  char *type;
  guint threads;
  GPtrArray *host_options;   /* -l, -Z for every target */
  GPtrArray *targets;        /* target words */
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
      g_autofree char *threads = NULL;

      if (targets_only || a[0] != '-' || strcmp (a, "--") == 0)
        {
          targets_only = TRUE;
          g_ptr_array_add (o->targets, g_strdup (a));
          continue;
        }
      if (g_str_has_prefix (a, "--ssh="))
        {
          if (!cli_take_ssh_option (a, error))
            return FALSE;
        }
      else if (strcmp (a, "--append") == 0)
        o->append = TRUE;
      else if (strcmp (a, "--replace") == 0)
        o->replace = TRUE;
      else if (strcmp (a, "--scan-all-states") == 0)
        o->all_states = TRUE;
      else if (strcmp (a, "--progress") == 0)
        o->progress = TRUE;
      else if (take_value (a, "--base", &o->base) || take_value (a, "--cacheDB", &o->cache_db))
        ;
      else if (take_value (a, "--threads", &threads))
        {
          guint64 n;

          if (!g_ascii_string_to_unsigned (threads, 10, 1, 1000, &n, error))
            {
              g_prefix_error (error, "--threads: ");
              return FALSE;
            }
          o->threads = n;
        }
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
      else if ((a[1] == 'l' || a[1] == 'Z') && a[2] == '\0' && i + 1 < argc)
        {
          g_ptr_array_add (o->host_options, g_strdup (a));
          g_ptr_array_add (o->host_options, g_strdup (argv[++i]));
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
  g_ptr_array_add (o->targets, NULL);
  g_ptr_array_add (o->host_options, NULL);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  Options o = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *fdb = NULL;
  g_auto(GStrv) bases = NULL;
  const char * const all_states[] = { "ALL", NULL };
  guint failed, n_files = 0;
  int rc = CLI_EXIT_OK;

  setlocale (LC_ALL, "");
  o.targets = g_ptr_array_new_with_free_func (g_free);
  o.host_options = g_ptr_array_new_with_free_func (g_free);

  if (!parse_args (argc, argv, &o, &error))
    {
      rc = CLI_EXIT_USAGE;
      goto out;
    }
  jobs = cli_scan_jobs_new ((const char * const *) o.targets->pdata,
                            (const char * const *) o.host_options->pdata, FALSE, &error);
  if (jobs == NULL)
    {
      rc = CLI_EXIT_USAGE;
      goto out;
    }
  if (o.base != NULL)
    bases = g_strsplit (o.base, "%", -1);
  for (guint j = 0; j < jobs->len; j++)
    {
      DeckScanJob *job = g_ptr_array_index (jobs, j);

      if (bases)
        deck_scanner_set_bases (job->scanner, (const char * const *) bases);
      if (o.all_states)
        deck_scanner_set_vstates (job->scanner, all_states, NULL);
      if (!deck_scan_job_apply_options (job, o.type, &error))
        {
          rc = CLI_EXIT_USAGE;
          goto out;
        }
      if (o.progress)
        g_printerr ("%s: scanning %s%s%s\n", PROG, job->target->host,
                    o.base ? ": " : "", o.base ? o.base : "");
    }

  failed = cli_scan_run (PROG, jobs, o.threads);
  records = deck_scan_jobs_records (jobs);
  g_ptr_array_set_free_func (records, g_object_unref);
  for (guint i = 0; i < records->len; i++)
    g_object_ref (records->pdata[i]);
  for (guint j = 0; j < jobs->len; j++)
    {
      DeckScanJob *job = g_ptr_array_index (jobs, j);

      n_files += deck_scanner_get_n_files (job->scanner);
      if (o.progress && job->error == NULL)
        g_printerr ("%s: %s scanned in %.2f s\n", PROG, job->target->host, job->seconds);
    }
  if (failed == jobs->len)
    {
      g_set_error (&error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                   "no host could be scanned; %s left as it was",
                   o.cache_db ? o.cache_db : "the database");
      rc = CLI_EXIT_USAGE;
      goto out;
    }

  dir = o.cache_db ? g_strdup (o.cache_db) : deck_inventory_default_dir ();
  if (failed && o.replace)
    {
      guint kept = deck_scan_keep_failed_hosts (dir, jobs, records);

      /* With --replace, a host that could not be scanned keeps the records it had. */
      if (kept)
        g_printerr ("%s: kept %u earlier record%s of the hosts that failed\n", PROG, kept,
                    kept == 1 ? "" : "s");
    }
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
          records->len == 1 ? "" : "s", n_files, n_files == 1 ? "" : "s", fdb);
  if (failed)
    {
      g_set_error (&error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                   "%u of %u hosts could not be scanned (see above); the others were written",
                   failed, jobs->len);
      rc = CLI_EXIT_USAGE;
    }

out:
  if (error != NULL)
    cli_print_error (PROG, error);
  g_ptr_array_unref (o.targets);
  g_ptr_array_unref (o.host_options);
  g_free (o.base);
  g_free (o.cache_db);
  g_free (o.type);
  return rc;
}
