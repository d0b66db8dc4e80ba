/* ctys.c: the ctys command (spec §2, §3); this build implements ENUMERATE on the local
 * host. Remote targets and the other actions arrive with the SSH and actions layers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli-common.h"
#include "deck-config.h"
#include "deck-error.h"
#include "deck-output.h"
#include "deck-record.h"
#include "deck-scanner.h"
#include "deck-suboptions.h"

#define PROG "ctys"

typedef struct {
  char *action;        /* upper case: ENUMERATE, LIST, ... */
  char *action_args;   /* text after '=' (macros expanded), NULL when none */
  char *type;          /* -t, upper case, NULL = all types */
  GPtrArray *targets;  /* char *: "[user@]host" */
} CtysCall;

static void
ctys_call_clear (CtysCall *call)
{
  g_free (call->action);
  g_free (call->action_args);
  g_free (call->type);
  g_clear_pointer (&call->targets, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtysCall, ctys_call_clear)

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: ctys [OPTION...] [-- ['(<options>)']] [<target>['(<options>)']...]\n"
           "\n"
           "  -a <action>[=<suboptions>]   ENUMERATE (this build); CREATE, CANCEL, LIST, SHOW and\n"
           "                               INFO are not available yet\n"
           "  -t <type>                    restrict to one session type (XEN, QEMU, ...)\n"
           "  -T <type>[,<type>...]|all    preload types (accepted)\n"
           "  -p <dir>[:<dir>...]          inventory directories (accepted; ENUMERATE scans)\n"
           "  -c, -C, -b, -d, -z, -Z, -L, -g, -l, -X, -n   accepted, see ctys(1)\n"
           "  -h, --help                   this text;  -V  version\n"
           "\n"
           "ENUMERATE suboptions: field flags (LABEL, ID, UUID, MAC, TCP, ...), MACHINE, TERSE,\n"
           "TITLE, TITLEIDX, TITLEIDXASC, TAB_GEN:<spec>, macro:<NAME>, SORT[:...],\n"
           "B:<dir>[%%<dir>...], MATCHVSTAT:<state>[%%<state>...]\n"
           "Targets: localhost or this host's name (remote hosts come with the SSH layer).\n");
}

static gboolean
usage_error (GError **error,
             const char *fmt,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
usage_error (GError    **error,
             const char *fmt,
             ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "%s (see ctys -h)", msg);
  return FALSE;
}

/* Options that take a value; the values of those not used here are checked for presence
 * only. */
static const char value_options[] = "atTpcCbdzZLglrsADWxP";

static gboolean
parse_group (const char *group,
             GError    **error)
{
  /* "(<options>)" after a target or after "--": accepted and applied per target once
   * remote execution exists; here only its syntax is checked. */
  if (!g_str_has_suffix (group, ")"))
    return usage_error (error, "option group '%s' is not closed with ')'", group);
  return TRUE;
}

static gboolean
parse_args (int        argc,
            char     **argv,
            CtysCall  *call,
            gboolean  *help,
            GError   **error)
{
  gboolean after_dashdash = FALSE;

  call->targets = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (after_dashdash || arg[0] != '-' || arg[1] == '\0')
        {
          const char *paren;

          if (arg[0] == '(')
            {
              if (!parse_group (arg, error))
                return FALSE;
              continue;
            }
          if (*arg == '\0')
            return usage_error (error, "empty target name");
          paren = strchr (arg, '(');
          if (paren && !parse_group (paren, error))
            return FALSE;
          g_ptr_array_add (call->targets, g_strndup (arg, paren ? (gsize) (paren - arg) : strlen (arg)));
          continue;
        }
      if (strcmp (arg, "--") == 0)
        {
          after_dashdash = TRUE;
          continue;
        }
      if (strcmp (arg, "-h") == 0 || strcmp (arg, "--help") == 0 || strcmp (arg, "-H") == 0)
        {
          *help = TRUE;
          return TRUE;
        }
      if (strcmp (arg, "-V") == 0)
        {
          printf ("ctys (vmdeck) %s\n", DECK_VERSION);
          exit (0);
        }
      if (arg[2] != '\0' || strchr ("XYvnfy", arg[1]) != NULL)
        {
          if (arg[2] == '\0')
            continue; /* flags without a value */
          return usage_error (error, "unknown option '%s'", arg);
        }
      if (strchr (value_options, arg[1]) == NULL)
        return usage_error (error, "unknown option '%s'", arg);
      if (i + 1 >= argc)
        return usage_error (error, "option %s needs a value", arg);

      switch (arg[1])
        {
        case 'a':
          {
            g_autofree char *expanded = NULL;

            if (strstr (argv[i + 1], "macro:") != NULL)
              {
                expanded = cli_expand_macros (PROG, argv[i + 1]);
                if (expanded == NULL)
                  return usage_error (error, "cannot expand the macros of '-a %s'", argv[i + 1]);
              }
            g_free (call->action);
            g_free (call->action_args);
            deck_suboptions_split_action (expanded ? expanded : argv[i + 1], &call->action, &call->action_args);
          }
          break;
        case 't':
          g_free (call->type);
          call->type = g_ascii_strup (argv[i + 1], -1);
          break;
        default:
          break;
        }
      i++;
    }
  return TRUE;
}

static int
run_enumerate (CtysCall  *call,
               GError   **error)
{
  g_autoptr(GPtrArray) subopts = NULL;
  g_autoptr(DeckOutputSpec) out = deck_output_spec_new (DECK_FIELDS_ENUMERATE);
  g_autoptr(DeckScanner) scanner = deck_scanner_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *text = NULL;
  static const guint default_fields[] = { DECK_FIELD_LABEL, DECK_FIELD_TYPE, DECK_FIELD_ID };
  g_autoptr(GPtrArray) records = NULL;

  subopts = deck_suboptions_parse (call->action_args ? call->action_args : "", error);
  if (subopts == NULL)
    return CLI_EXIT_USAGE;

  for (guint i = 0; i < subopts->len; i++)
    {
      DeckSuboption *opt = g_ptr_array_index (subopts, i);
      g_autoptr(GError) local_error = NULL;

      if (deck_output_spec_take_suboption (out, opt, &local_error))
        continue;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return CLI_EXIT_USAGE;
        }
      if (strcmp (opt->key, "B") == 0 || strcmp (opt->key, "BASE") == 0 || strcmp (opt->key, "BASEPATH") == 0)
        {
          if (opt->items == NULL || opt->items[0] == NULL || *opt->items[0] == '\0')
            return usage_error (error, "%s needs a directory (B:<dir>[%%<dir>...])", opt->raw_key), CLI_EXIT_USAGE;
          deck_scanner_set_bases (scanner, (const char * const *) opt->items);
          continue;
        }
      if (strcmp (opt->key, "MATCHVSTAT") == 0)
        {
          if (opt->items == NULL)
            return usage_error (error, "MATCHVSTAT needs a state list"), CLI_EXIT_USAGE;
          if (!deck_scanner_set_vstates (scanner, (const char * const *) opt->items, error))
            return CLI_EXIT_USAGE;
          continue;
        }
      return usage_error (error, "unknown ENUMERATE suboption '%s'", opt->raw_key), CLI_EXIT_USAGE;
    }
  deck_output_spec_set_default_fields (out, default_fields, G_N_ELEMENTS (default_fields));

  for (guint h = 0; h < call->targets->len; h++)
    if (!cli_target_is_local (call->targets->pdata[h]))
      {
        g_set_error (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED,
                     "target '%s': remote hosts are not supported by this build yet; "
                     "use localhost or this host's name", (char *) call->targets->pdata[h]);
        return CLI_EXIT_USAGE;
      }

  /* All targets are this host (or none was given): one scan answers for all of them, as
   * ctys's sorted, de-duplicated results would. */
  records = cli_scan_local (PROG, scanner, call->type, error);
  if (records == NULL)
    return CLI_EXIT_USAGE;
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (rows, (gpointer) deck_record_get_fields (g_ptr_array_index (records, i)));

  text = deck_output_render (out, rows);
  fputs (text, stdout);
  return CLI_EXIT_OK;
}

int
main (int    argc,
      char **argv)
{
  g_auto(CtysCall) call = { 0, };
  g_autoptr(GError) error = NULL;
  gboolean help = FALSE;
  int rc;

  setlocale (LC_ALL, "");

  if (!parse_args (argc, argv, &call, &help, &error))
    {
      cli_print_error (PROG, error);
      return CLI_EXIT_USAGE;
    }
  if (help)
    {
      usage (stdout);
      return CLI_EXIT_OK;
    }
  if (call.action == NULL)
    {
      g_printerr ("%s: error: no action given; use -a <action>[=<suboptions>] (see ctys -h)\n", PROG);
      return CLI_EXIT_USAGE;
    }

  if (strcmp (call.action, "ENUMERATE") == 0)
    rc = run_enumerate (&call, &error);
  else if (strcmp (call.action, "CREATE") == 0 || strcmp (call.action, "CANCEL") == 0
           || strcmp (call.action, "LIST") == 0 || strcmp (call.action, "SHOW") == 0
           || strcmp (call.action, "INFO") == 0 || strcmp (call.action, "GETCLIENTPORT") == 0
           || strcmp (call.action, "ISACTIVE") == 0)
    {
      g_set_error (&error, DECK_ERROR, DECK_ERROR_UNSUPPORTED,
                   "action %s is not available in this build yet; ENUMERATE is", call.action);
      rc = CLI_EXIT_USAGE;
    }
  else
    {
      g_set_error (&error, DECK_ERROR, DECK_ERROR_USAGE,
                   "unknown action '%s'; expected CREATE, CANCEL, LIST, ENUMERATE, SHOW or INFO", call.action);
      rc = CLI_EXIT_USAGE;
    }

  if (error != NULL)
    cli_print_error (PROG, error);
  return rc;
}
