/* ctys-vhost: queries the inventory (enum.fdb) with the ctys-vhost query language
 * (spec §6.4)
 *
 *   ctys-vhost [-o <out>] [-M <mode>] [-p <db-dirs>] [-s] [-C <v>] [-c <v>] [-r] [-R <v>]
 *              <term> { [AND|OR|NOT] <term> }
 *
 * Options may appear before or between the terms; "--" ends the options (for a term that
 * starts with '-'). Exit codes: 0 ok, 1 parameter error, 2 missing enum.fdb, 7 missing
 * database directory, 11 not exactly one match with -M UNIQUE.
 *
 * -C, -c, -r and -R are accepted for compatibility with ctys scripts and ignored with a
 * note on stderr: they steer ctys-vhost's own caches (static/group/runtime caches,
 * macmap.fdb joins: -C) and runtime probes of the hosts (load counting -c, reachability
 * -r/-R), none of which vmdeck has; it reads enum.fdb directly on every call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "cli-common.h"
#include "deck-config.h"
#include "deck-error.h"
#include "deck-fields.h"
#include "deck-inventory.h"
#include "deck-output.h"
#include "deck-record.h"
#include "deck-vhost-query.h"

#define PROG "ctys-vhost"
#define DEFAULT_OUTPUT "macro:TAB_CTYS_VHOST_DEFAULT"

static const char usage_text[] =
  "Usage: " PROG " [OPTION...] <term> { [AND|OR|NOT] <term> }\n"
  "\n"
  "Queries the ctys inventory (enum.fdb) and prints the matching records.\n"
  "\n"
  "Terms:\n"
  "  <regex>           extended regular expression matched anywhere in the record\n"
  "  F:<n>:<regex>     field <n> (1-47) matches <regex>\n"
  "  E:<n>:<m>         field <n> matches field <m> (used as a regex)\n"
  "  R:<n>[:<m>]       record index <n>, or the range <n>..<m> (field 32)\n"
  "  l: u: m: t: i: p: f: b: dr:\n"
  "                    machine address parts, matched strictly field by field\n"
  "  A blank means AND; a run of OR-ed terms forms one group\n"
  "  (x AND a OR b OR c = x AND (a OR b OR c)); NOT negates the next term only.\n"
  "\n"
  "Options:\n"
  "  -o <out>          output: field keys (l,p,...), MACHINE, TAB_GEN:<spec> or\n"
  "                    macro:<name>, optionally with ,TITLE ,TITLEIDX ,SORT[:...]\n"
  "                    (default: " DEFAULT_OUTPUT ")\n"
  "  -M <mode>         FIRST (default), LAST, ALL, COMPLEMENT, SORT, USORT, UNIQUE\n"
  "  -p <db-dirs>      database directories separated by ':' or ','\n"
  "                    (default: $HOME/.ctys/db/default)\n"
  "  -s                internal sub-call (accepted; no effect)\n"
  "  -C <v>, -c <v>, -r, -R <v>\n"
  "                    accepted and ignored: cache control and runtime host probes\n"
  "  -h, --help        show this help\n"
  "  -V, --version     show the version\n"
  "\n"
  "Exit status: 0 ok, 1 parameter error, 2 missing enum.fdb, 7 missing database\n"
  "directory, 11 not exactly one match with -M UNIQUE.\n";

typedef struct {
  const char *output;
  const char *mode;
  const char *db_dirs;
  gboolean    sub_call;
  GPtrArray  *terms; /* borrowed argv strings, NULL-terminated */
} Options;

static void
print_note (const char *message)
{
  g_printerr ("%s: note: %s\n", PROG, message);
}

static int
usage_error (const char *message)
{
  g_printerr ("%s: error: %s\n", PROG, message);
  g_printerr ("Try '%s --help' for the syntax.\n", PROG);
  return CLI_EXIT_USAGE;
}

/* What each value option expects, for messages. */
static const char *
value_hint (char opt)
{
  switch (opt)
    {
    case 'o': return "field keys, MACHINE, TAB_GEN:<spec> or macro:<name>";
    case 'M': return "FIRST, LAST, ALL, COMPLEMENT, SORT, USORT or UNIQUE";
    case 'p': return "a list of database directories";
    case 'C': return "a cache mode such as OFF";
    case 'c': return "MINCNT, MAXCNT or CNT";
    case 'R': return "a runtime check";
    default: return "a value";
    }
}

static void
note_ignored (char        opt,
              const char *value)
{
  g_autofree char *msg = NULL;

  switch (opt)
    {
    case 'C':
      msg = g_strdup_printf ("-C %s ignored: vmdeck keeps no static, group or runtime caches "
                             "and no macmap join; it reads enum.fdb directly", value);
      break;
    case 'c':
      msg = g_strdup_printf ("-c %s ignored: load-based selection needs runtime data of "
                             "the hosts, which ctys-vhost does not collect", value);
      break;
    case 'r':
      msg = g_strdup ("-r ignored: ctys-vhost does not probe hosts at runtime");
      break;
    case 'R':
      msg = g_strdup_printf ("-R %s ignored: ctys-vhost does not probe hosts at runtime",
                             value);
      break;
    default:
      g_assert_not_reached ();
    }
  print_note (msg);
}

/* Returns -1 to go on, else the exit code. */
static int
parse_args (int      argc,
            char   **argv,
            Options *opts)
{
  gboolean options_done = FALSE;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *value = NULL;
      char opt;

      if (options_done || arg[0] != '-' || arg[1] == '\0')
        {
          g_ptr_array_add (opts->terms, (gpointer) arg);
          continue;
        }
      if (strcmp (arg, "--") == 0)
        {
          options_done = TRUE;
          continue;
        }
      if (strcmp (arg, "--help") == 0)
        {
          fputs (usage_text, stdout);
          return CLI_EXIT_OK;
        }
      if (strcmp (arg, "--version") == 0)
        {
          printf ("%s (vmdeck) %s\n", PROG, DECK_VERSION);
          return CLI_EXIT_OK;
        }

      opt = arg[1];
      switch (opt)
        {
        case 'h':
        case 'V':
        case 's':
        case 'r':
          if (arg[2] != '\0')
            {
              g_autofree char *msg = NULL;

              msg = g_strdup_printf ("unknown option '%s'; -%c takes no value", arg, opt);
              return usage_error (msg);
            }
          if (opt == 'h')
            {
              fputs (usage_text, stdout);
              return CLI_EXIT_OK;
            }
          if (opt == 'V')
            {
              printf ("%s (vmdeck) %s\n", PROG, DECK_VERSION);
              return CLI_EXIT_OK;
            }
          if (opt == 's')
            opts->sub_call = TRUE;
          else
            note_ignored (opt, NULL);
          break;

        case 'o':
        case 'M':
        case 'p':
        case 'C':
        case 'c':
        case 'R':
          if (arg[2] != '\0')
            value = arg + 2;
          else if (i + 1 < argc)
            value = argv[++i];
          if (value == NULL || *value == '\0')
            {
              g_autofree char *msg = NULL;

              msg = g_strdup_printf ("option -%c needs a value: %s", opt, value_hint (opt));
              return usage_error (msg);
            }
          if (opt == 'o')
            opts->output = value;
          else if (opt == 'M')
            opts->mode = value;
          else if (opt == 'p')
            opts->db_dirs = value;
          else
            note_ignored (opt, value);
          break;

        default:
          {
            g_autofree char *msg = NULL;

            msg = g_strdup_printf ("unknown option '%s'; expected -o, -M, -p, -s, -C, -c, -r, "
                                   "-R, -h or -V (use -- before a term that starts with '-')",
                                   arg);
            return usage_error (msg);
          }
        }
    }

  g_ptr_array_add (opts->terms, NULL);
  return -1;
}

/* Checks the directories before loading so that the exit code tells which part is
 * missing. Returns -1 when all are there, else the exit code. */
static int
check_db_dirs (const char * const *dirs)
{
  for (const char * const *d = dirs; *d != NULL; d++)
    {
      g_autofree char *file = g_build_filename (*d, DECK_INVENTORY_FILE, NULL);

      if (!g_file_test (*d, G_FILE_TEST_IS_DIR))
        {
          g_printerr ("%s: error: the database directory %s does not exist; build it with "
                      "ctys-vdbgen --cacheDB=%s or name another one with -p\n",
                      PROG, *d, *d);
          return CLI_EXIT_MISSING_DB_DIR;
        }
      if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
        {
          g_printerr ("%s: error: %s is missing; build the database with "
                      "ctys-vdbgen --cacheDB=%s\n",
                      PROG, file, *d);
          return CLI_EXIT_MISSING_DB;
        }
      if (g_access (file, R_OK) != 0)
        {
          int saved = errno;

          g_printerr ("%s: error: cannot read %s: %s\n", PROG, file, g_strerror (saved));
          return CLI_EXIT_MISSING_DB;
        }
    }
  return -1;
}

static int
run (Options *opts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckVhostQuery) query = NULL;
  g_autoptr(DeckOutputSpec) spec = NULL;
  g_autoptr(DeckInventory) inventory = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(GStrv) dirs = NULL;
  g_autofree char *expanded = NULL;
  g_autofree char *text = NULL;
  DeckVhostMode mode = DECK_VHOST_FIRST;
  const char * const *problems;
  int code;

  if (opts->mode != NULL && !deck_vhost_mode_parse (opts->mode, &mode, &error))
    {
      g_autofree char *msg = g_strdup_printf ("-M: %s", error->message);
      return usage_error (msg);
    }

  expanded = cli_expand_macros (PROG, opts->output ? opts->output : DEFAULT_OUTPUT);
  if (expanded == NULL)
    return CLI_EXIT_USAGE;
  spec = deck_output_spec_parse (DECK_FIELDS_ENUMERATE, expanded, &error);
  if (spec == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("-o %s: %s",
                                              opts->output ? opts->output : DEFAULT_OUTPUT,
                                              error->message);
      return usage_error (msg);
    }

  query = deck_vhost_query_parse ((const char * const *) opts->terms->pdata, &error);
  if (query == NULL)
    return usage_error (error->message);

  dirs = deck_inventory_split_dirs (opts->db_dirs);
  code = check_db_dirs ((const char * const *) dirs);
  if (code >= 0)
    return code;

  inventory = deck_inventory_new ();
  if (!deck_inventory_load (inventory, (const char * const *) dirs, &error))
    {
      cli_print_error (PROG, error);
      if (g_error_matches (error, DECK_ERROR, DECK_ERROR_NOT_FOUND))
        return CLI_EXIT_MISSING_DB_DIR;
      return CLI_EXIT_MISSING_DB;
    }
  problems = deck_inventory_get_problems (inventory);
  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    cli_print_warning (PROG, problems[i]);

  result = deck_vhost_query_run (query, deck_inventory_get_records (inventory), mode, &error);
  if (result == NULL)
    {
      cli_print_error (PROG, error);
      if (g_error_matches (error, DECK_ERROR, DECK_ERROR_AMBIGUOUS) ||
          g_error_matches (error, DECK_ERROR, DECK_ERROR_NOT_FOUND))
        return CLI_EXIT_AMBIGUOUS;
      return CLI_EXIT_USAGE;
    }

  rows = g_ptr_array_sized_new (result->len);
  for (guint i = 0; i < result->len; i++)
    g_ptr_array_add (rows, (gpointer) deck_record_get_fields (g_ptr_array_index (result, i)));
  text = deck_output_render (spec, rows);
  fputs (text, stdout);
  if (fflush (stdout) != 0)
    {
      g_printerr ("%s: error: cannot write the result: %s\n", PROG, g_strerror (errno));
      return EXIT_FAILURE;
    }
  return CLI_EXIT_OK;
}

int
main (int    argc,
      char **argv)
{
  Options opts = { 0 };
  int code;

  setlocale (LC_ALL, "");
  g_set_prgname (PROG);

  opts.terms = g_ptr_array_new ();
  code = parse_args (argc, argv, &opts);
  if (code < 0)
    code = run (&opts);
  g_ptr_array_unref (opts.terms);
  return code;
}
