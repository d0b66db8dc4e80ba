/* ctys.c: the ctys command (spec §2, §3); this build implements ENUMERATE on the local
 * host and on remote hosts over SSH. The other actions arrive with the actions layer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli-common.h"
#include "deck-config.h"
#include "deck-error.h"
#include "deck-host-info.h"
#include "deck-inventory.h"
#include "deck-list.h"
#include "deck-cancel.h"
#include "deck-create.h"
#include "deck-output.h"
#include "deck-record.h"
#include "deck-scanner.h"
#include "deck-suboptions.h"

#define PROG "ctys"

typedef struct {
  char *action;        /* upper case: ENUMERATE, LIST, ... */
  char *action_args;   /* text after '=' (macros expanded), NULL when none */
  char *type;          /* -t, upper case, NULL = all types */
  GPtrArray *host_options;  /* char *: the global -l and -Z, applied to every target */
  gboolean allow_duplicates; /* -A 1 */
  char *db_dirs;       /* -p */
  DeckCacheMode ns_cache; /* -c */
  gboolean ns_cache_only;
  gboolean dry_run;    /* -n */
  GPtrArray *targets;  /* char *: the target words (spec §2.3), "--" and groups included */
} CtysCall;

static void
ctys_call_clear (CtysCall *call)
{
  g_free (call->action);
  g_free (call->action_args);
  g_free (call->type);
  g_free (call->db_dirs);
  g_clear_pointer (&call->host_options, g_ptr_array_unref);
  g_clear_pointer (&call->targets, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtysCall, ctys_call_clear)

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: ctys [OPTION...] [-- ['(<options>)']] [<target>['(<options>)']...]\n"
           "\n"
           "  -a <action>[=<suboptions>]   ENUMERATE, LIST, SHOW, INFO (this build); CREATE and\n"
           "                               CANCEL are not available yet\n"
           "  -t <type>                    restrict to one session type (XEN, QEMU, ...)\n"
           "  -T <type>[,<type>...]|all    preload types (accepted)\n"
           "  -p <dir>[:<dir>...]          inventory directories (accepted; ENUMERATE scans)\n"
           "  -l <user>                    default remote user\n"
           "  -Z KSU|SUDO|NOKSU|NOSUDO|ALL privilege raising on the targets\n"
           "  -A 0|1                       1 keeps duplicate targets\n"
           "  --ssh=<command>              ssh program and arguments (default $VMDECK_SSH, ssh)\n"
           "  --uri=<libvirt URI>          the libvirt URI of its driver on the targets (also in\n"
           "                               a target's option group)\n"
           "  -c, -C, -b, -d, -z, -L, -g, -X, -n   accepted, see ctys(1)\n"
           "  -h, --help                   this text;  -V  version\n"
           "\n"
           "ENUMERATE suboptions: field flags (LABEL, ID, UUID, MAC, TCP, ...), MACHINE, TERSE,\n"
           "TITLE, TITLEIDX, TITLEIDXASC, TAB_GEN:<spec>, macro:<NAME>, SORT[:...],\n"
           "B:<dir>[%%<dir>...], MATCHVSTAT:<state>[%%<state>...]\n"
           "Targets: [<user>@]<host>|<group>['(<options>)'], after an optional\n"
           "-- '(<options for every target>)'. Remote hosts are reached with ssh in batch mode\n"
           "through one shared master connection per host; nothing is installed on them.\n");
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

#define value_options CLI_VALUE_OPTIONS

/* -c (spec §3.6): ON|BOTH, LOCAL, REMOTE, OFF, each optionally with ONLY. */
static gboolean
parse_ns_cache (const char *value,
                CtysCall   *call,
                GError    **error)
{
  g_auto(GStrv) items = g_strsplit (value, ",", -1);

  call->ns_cache = DECK_CACHE_BOTH;
  call->ns_cache_only = FALSE;
  for (guint i = 0; items[i]; i++)
    {
      if (g_ascii_strcasecmp (items[i], "ON") == 0 || g_ascii_strcasecmp (items[i], "BOTH") == 0)
        call->ns_cache = DECK_CACHE_BOTH;
      else if (g_ascii_strcasecmp (items[i], "LOCAL") == 0)
        call->ns_cache = DECK_CACHE_LOCAL;
      else if (g_ascii_strcasecmp (items[i], "REMOTE") == 0)
        call->ns_cache = DECK_CACHE_REMOTE;
      else if (g_ascii_strcasecmp (items[i], "OFF") == 0)
        call->ns_cache = DECK_CACHE_OFF;
      else if (g_ascii_strcasecmp (items[i], "ONLY") == 0)
        call->ns_cache_only = TRUE;
      else
        return usage_error (error, "-c %s: expected ON, BOTH, LOCAL, REMOTE, OFF or ONLY", value);
    }
  return TRUE;
}

static gboolean
parse_args (int        argc,
            char     **argv,
            CtysCall  *call,
            gboolean  *help,
            GError   **error)
{
  call->targets = g_ptr_array_new_with_free_func (g_free);
  call->host_options = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (strcmp (arg, "--") == 0 || arg[0] != '-' || arg[1] == '\0')
        {
          /* the target list: everything from here on (spec §2.1) */
          for (; i < argc; i++)
            g_ptr_array_add (call->targets, g_strdup (argv[i]));
          break;
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
      if (g_str_has_prefix (arg, "--ssh="))
        {
          if (!cli_take_ssh_option (arg, error))
            return FALSE;
          continue;
        }
      if (g_str_has_prefix (arg, "--uri="))
        {
          g_ptr_array_add (call->host_options, g_strdup (arg));   /* for every target */
          continue;
        }
      if (arg[2] != '\0' || strchr ("XYvnfy", arg[1]) != NULL)
        {
          if (arg[2] == '\0')
            {
              call->dry_run |= arg[1] == 'n';
              continue; /* flags without a value */
            }
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
        case 'l':
        case 'Z':
          g_ptr_array_add (call->host_options, g_strdup (arg));
          g_ptr_array_add (call->host_options, g_strdup (argv[i + 1]));
          break;
        case 'A':
          call->allow_duplicates = strcmp (argv[i + 1], "1") == 0;
          break;
        case 'p':
          g_free (call->db_dirs);
          call->db_dirs = g_strdup (argv[i + 1]);
          break;
        case 'c':
          if (!parse_ns_cache (argv[i + 1], call, error))
            return FALSE;
          break;
        default:
          break;
        }
      i++;
    }
  g_ptr_array_add (call->targets, NULL);
  g_ptr_array_add (call->host_options, NULL);
  return TRUE;
}

static int
run_enumerate (CtysCall  *call,
               GError   **error)
{
  g_autoptr(GPtrArray) subopts = NULL;
  g_autoptr(GPtrArray) scan_subopts = g_ptr_array_new ();
  g_autoptr(DeckOutputSpec) out = deck_output_spec_new (DECK_FIELDS_ENUMERATE);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *text = NULL;
  static const guint default_fields[] = { DECK_FIELD_LABEL, DECK_FIELD_TYPE, DECK_FIELD_ID };
  guint failed;

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
      g_ptr_array_add (scan_subopts, opt);
    }
  deck_output_spec_set_default_fields (out, default_fields, G_N_ELEMENTS (default_fields));

  jobs = cli_scan_jobs_new ((const char * const *) call->targets->pdata,
                            (const char * const *) call->host_options->pdata,
                            call->allow_duplicates, error);
  if (jobs == NULL)
    return CLI_EXIT_USAGE;
  for (guint j = 0; j < jobs->len; j++)
    {
      CliScanJob *job = g_ptr_array_index (jobs, j);

      /* the call's suboptions first, then the target's own group */
      for (guint i = 0; i < scan_subopts->len; i++)
        if (!cli_scan_take_suboption (job->scanner, g_ptr_array_index (scan_subopts, i), error))
          return CLI_EXIT_USAGE;
      if (!cli_scan_job_apply_options (job, call->type, error))
        return CLI_EXIT_USAGE;
    }

  /* ctys scans its targets in parallel and sorts the results together (spec §3.2) */
  failed = cli_scan_run (PROG, jobs, 0);
  records = cli_scan_records (jobs);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (rows, (gpointer) deck_record_get_fields (g_ptr_array_index (records, i)));
  if (failed < jobs->len)
    {
      text = deck_output_render (out, rows);
      fputs (text, stdout);
    }
  if (failed > 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                   "%u of %u hosts could not be scanned; the output lacks them", failed, jobs->len);
      return CLI_EXIT_USAGE;
    }
  return CLI_EXIT_OK;
}

/* The caller's inventory (-p, else the default database); empty when there is none. */
static GPtrArray *
load_inventory (CtysCall *call)
{
  g_autoptr(DeckInventory) inv = deck_inventory_new ();
  g_auto(GStrv) dirs = call->db_dirs ? deck_inventory_split_dirs (call->db_dirs)
                                     : g_strdupv ((char *[]) { deck_inventory_default_dir (), NULL });

  if (!deck_inventory_load (inv, (const char * const *) dirs, NULL))
    return g_ptr_array_new_with_free_func (g_object_unref);
  return g_ptr_array_ref (deck_inventory_get_records (inv));
}

typedef struct {
  GPtrArray *jobs;
  GPtrArray **entries;   /* per job, NULL when it failed */
  guint pending;
  GMainLoop *loop;
} ListRun;

typedef struct {
  ListRun *run;
  guint index;
} ListCall;

static void
list_done (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  ListCall *lc = data;
  CliScanJob *job = g_ptr_array_index (lc->run->jobs, lc->index);

  lc->run->entries[lc->index] = deck_list_host_finish (DECK_HOST (source), res, &job->error);
  if (--lc->run->pending == 0)
    g_main_loop_quit (lc->run->loop);
  g_free (lc);
}

/* LIST (spec §5.3): the running domains of every target, asked in parallel. */
static int
run_list (CtysCall  *call,
          GError   **error)
{
  g_autoptr(GPtrArray) subopts = NULL;
  g_autoptr(DeckOutputSpec) out = deck_output_spec_new (DECK_FIELDS_LIST);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) inventory = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree char *text = NULL;
  gboolean servers = TRUE;
  ListRun run = { 0 };
  guint failed = 0;

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
      if (strcmp (opt->key, "CLIENT") == 0 || strcmp (opt->key, "TUNNEL") == 0)
        servers = FALSE;   /* the command line holds no consoles or tunnels of its own */
      else if (strcmp (opt->key, "SERVER") != 0 && strcmp (opt->key, "BOTH") != 0)
        return usage_error (error, "unknown LIST suboption '%s'", opt->raw_key), CLI_EXIT_USAGE;
    }
  if (!deck_output_spec_set_default_table (out, DECK_LIST_TAB_TCP, error))
    return CLI_EXIT_USAGE;

  jobs = cli_scan_jobs_new ((const char * const *) call->targets->pdata,
                            (const char * const *) call->host_options->pdata,
                            call->allow_duplicates, error);
  if (jobs == NULL)
    return CLI_EXIT_USAGE;
  for (guint j = 0; j < jobs->len; j++)
    if (!cli_scan_job_apply_options (g_ptr_array_index (jobs, j), call->type, error))
      return CLI_EXIT_USAGE;
  inventory = load_inventory (call);

  run.jobs = jobs;
  run.entries = g_new0 (GPtrArray *, jobs->len);
  run.pending = jobs->len;
  run.loop = g_main_loop_new (NULL, FALSE);
  for (guint j = 0; j < jobs->len; j++)
    {
      ListCall *lc = g_new0 (ListCall, 1);

      lc->run = &run;
      lc->index = j;
      deck_list_host_async (((CliScanJob *) jobs->pdata[j])->host, inventory, NULL, list_done, lc);
    }
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  for (guint j = 0; j < jobs->len; j++)
    {
      CliScanJob *job = g_ptr_array_index (jobs, j);

      if (run.entries[j] == NULL)
        {
          cli_print_error (PROG, job->error);
          failed++;
          continue;
        }
      for (guint i = 0; servers && i < run.entries[j]->len; i++)
        {
          DeckListEntry *e = g_ptr_array_index (run.entries[j], i);
          g_auto(GStrv) fields = deck_list_entry_fields (e);

          if (job->type && g_ascii_strcasecmp (job->type, "ALL") != 0
              && g_ascii_strcasecmp (job->type, fields[DECK_LIST_TYPE - 1]) != 0)
            continue;
          if (deck_output_spec_uses_default_table (out))
            g_ptr_array_add (rows, deck_list_tab_tcp_row ((const char * const *) fields, e->record));
          else
            g_ptr_array_add (rows, g_steal_pointer (&fields));
        }
      g_ptr_array_unref (run.entries[j]);
    }
  g_free (run.entries);
  if (failed < jobs->len)
    {
      text = deck_output_render (out, rows);
      fputs (text, stdout);
    }
  if (failed)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                   "%u of %u hosts could not be listed; the output lacks them", failed, jobs->len);
      return CLI_EXIT_USAGE;
    }
  return CLI_EXIT_OK;
}

static void
print_report (const char *line,
              gpointer    data)
{
  printf ("%s\n", line);
  fflush (stdout);
}

typedef struct {
  GPtrArray *jobs;
  guint pending;
  GMainLoop *loop;
} CancelRun;

static void
cancel_done (GObject      *source,
             GAsyncResult *res,
             gpointer      data)
{
  CliScanJob *job = data;
  CancelRun *run = g_object_get_data (G_OBJECT (source), "vmdeck-cancel-run");

  deck_cancel_finish (DECK_HOST (source), res, &job->error);
  if (--run->pending == 0)
    g_main_loop_quit (run->loop);
}

/* CANCEL (spec §5.2): every target in parallel, VM-stack safe. */
static int
run_cancel (CtysCall  *call,
            GError   **error)
{
  g_autoptr(DeckCancelRequest) request = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) inventory = NULL;
  DeckCancelContext ctx = { 0 };
  CancelRun run = { 0 };
  guint failed = 0;

  request = deck_cancel_request_parse (call->action_args ? call->action_args : "", error);
  if (request == NULL)
    return CLI_EXIT_USAGE;
  jobs = cli_scan_jobs_new ((const char * const *) call->targets->pdata,
                            (const char * const *) call->host_options->pdata,
                            call->allow_duplicates, error);
  if (jobs == NULL)
    return CLI_EXIT_USAGE;
  inventory = load_inventory (call);
  ctx.dry_run = call->dry_run;
  ctx.inventory = inventory;
  ctx.report = print_report;

  run.jobs = jobs;
  run.pending = jobs->len;
  run.loop = g_main_loop_new (NULL, FALSE);
  for (guint j = 0; j < jobs->len; j++)
    {
      CliScanJob *job = g_ptr_array_index (jobs, j);

      g_object_set_data (G_OBJECT (job->host), "vmdeck-cancel-run", &run);
      deck_cancel_async (job->host, request, &ctx, NULL, cancel_done, job);
    }
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  for (guint j = 0; j < jobs->len; j++)
    {
      CliScanJob *job = g_ptr_array_index (jobs, j);

      if (job->error)
        {
          cli_print_error (PROG, job->error);
          failed++;
        }
    }
  if (failed)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED, "CANCEL failed on %u of %u hosts", failed, jobs->len);
      return CLI_EXIT_USAGE;
    }
  return CLI_EXIT_OK;
}

typedef struct {
  GMainLoop *loop;
  GError **error;
  char ***console_argv;
} CreateWait;

static void
create_done (GObject      *source,
             GAsyncResult *res,
             gpointer      data)
{
  CreateWait *w = data;

  deck_create_finish (DECK_HOST (source), res, w->console_argv, w->error);
  g_main_loop_quit (w->loop);
}

/* CREATE (spec §5.1): target by target; a CLI console runs in this terminal before the
 * next target is started (CONSOLE:CLI is synchronous and sequential, spec §3.2). */
static int
run_create (CtysCall  *call,
            GError   **error)
{
  g_autoptr(DeckCreateRequest) request = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  DeckCreateContext ctx = { 0 };
  g_auto(GStrv) db_dirs = call->db_dirs ? deck_inventory_split_dirs (call->db_dirs) : NULL;
  guint failed = 0;

  request = deck_create_request_parse (call->action_args ? call->action_args : "", error);
  if (request == NULL)
    return CLI_EXIT_USAGE;
  jobs = cli_scan_jobs_new ((const char * const *) call->targets->pdata,
                            (const char * const *) call->host_options->pdata,
                            call->allow_duplicates, error);
  if (jobs == NULL)
    return CLI_EXIT_USAGE;
  ctx.dry_run = call->dry_run;
  ctx.resolve.mode = call->ns_cache;
  ctx.resolve.cache_only = call->ns_cache_only;
  ctx.resolve.db_dirs = db_dirs;
  ctx.resolve.type = call->type;
  ctx.report = print_report;

  for (guint j = 0; j < jobs->len; j++)
    {
      CliScanJob *job = g_ptr_array_index (jobs, j);
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      g_auto(GStrv) console = NULL;
      CreateWait w = { loop, &job->error, &console };

      deck_create_async (job->host, request, &ctx, NULL, create_done, &w);
      g_main_loop_run (loop);
      if (job->error)
        {
          cli_print_error (PROG, job->error);
          failed++;
          continue;
        }
      if (console && !call->dry_run)
        {
          g_autoptr(GError) spawn_error = NULL;
          int status;

          /* the console in this terminal, until it is left */
          if (!g_spawn_sync (NULL, console, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN,
                             NULL, NULL, NULL, NULL, &status, &spawn_error))
            cli_print_error (PROG, spawn_error);
        }
    }
  if (failed)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED, "CREATE failed on %u of %u hosts", failed, jobs->len);
      return CLI_EXIT_USAGE;
    }
  return CLI_EXIT_OK;
}

typedef struct {
  GPtrArray *jobs;
  GPtrArray **items;   /* per job, NULL when it failed */
  guint pending;
  GMainLoop *loop;
} InfoRun;

typedef struct {
  InfoRun *run;
  guint index;
} InfoCall;

static void
info_done (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  InfoCall *ic = data;
  CliScanJob *job = g_ptr_array_index (ic->run->jobs, ic->index);

  ic->run->items[ic->index] = deck_host_info_finish (DECK_HOST (source), res, &job->error);
  if (--ic->run->pending == 0)
    g_main_loop_quit (ic->run->loop);
  g_free (ic);
}

/* SHOW and INFO (spec §5.5): every host asked in parallel, printed in target order. */
static int
run_show_info (CtysCall        *call,
               DeckHostInfoKind kind,
               GError         **error)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) subopts = NULL;
  gboolean terse = FALSE;
  InfoRun run = { 0 };
  guint failed = 0;

  subopts = deck_suboptions_parse (call->action_args ? call->action_args : "", error);
  if (subopts == NULL)
    return CLI_EXIT_USAGE;
  for (guint i = 0; i < subopts->len; i++)
    {
      DeckSuboption *opt = g_ptr_array_index (subopts, i);

      if (strcmp (opt->key, "TERSE") == 0 || strcmp (opt->key, "MACHINE") == 0)
        terse = TRUE;
      else
        return usage_error (error, "unknown %s suboption '%s' (TERSE or MACHINE)", call->action,
                            opt->raw_key), CLI_EXIT_USAGE;
    }
  jobs = cli_scan_jobs_new ((const char * const *) call->targets->pdata,
                            (const char * const *) call->host_options->pdata,
                            call->allow_duplicates, error);
  if (jobs == NULL)
    return CLI_EXIT_USAGE;

  run.jobs = jobs;
  run.items = g_new0 (GPtrArray *, jobs->len);
  run.pending = jobs->len;
  run.loop = g_main_loop_new (NULL, FALSE);
  for (guint j = 0; j < jobs->len; j++)
    {
      InfoCall *ic = g_new0 (InfoCall, 1);

      ic->run = &run;
      ic->index = j;
      deck_host_info_async (((CliScanJob *) jobs->pdata[j])->host, kind, NULL, info_done, ic);
    }
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  for (guint j = 0; j < jobs->len; j++)
    {
      CliScanJob *job = g_ptr_array_index (jobs, j);
      g_autofree char *text = NULL;

      if (run.items[j] == NULL)
        {
          cli_print_error (PROG, job->error);
          failed++;
          continue;
        }
      if (kind == DECK_HOST_INFO_INFO)
        {
          DeckHostInfoItem *item = g_new0 (DeckHostInfoItem, 1);

          item->key = g_strdup ("vmdeck");   /* the calling side's version, as ctys prints its own */
          item->value = g_strdup (DECK_VERSION);
          g_ptr_array_add (run.items[j], item);
        }
      text = deck_host_info_render (job->target->host, run.items[j], terse);
      fputs (text, stdout);
      g_ptr_array_unref (run.items[j]);
    }
  g_free (run.items);
  if (failed)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                   "%u of %u hosts did not answer", failed, jobs->len);
      return CLI_EXIT_USAGE;
    }
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
  else if (strcmp (call.action, "SHOW") == 0)
    rc = run_show_info (&call, DECK_HOST_INFO_SHOW, &error);
  else if (strcmp (call.action, "INFO") == 0)
    rc = run_show_info (&call, DECK_HOST_INFO_INFO, &error);
  else if (strcmp (call.action, "LIST") == 0)
    rc = run_list (&call, &error);
  else if (strcmp (call.action, "CANCEL") == 0)
    rc = run_cancel (&call, &error);
  else if (strcmp (call.action, "CREATE") == 0)
    rc = run_create (&call, &error);
  else if (strcmp (call.action, "GETCLIENTPORT") == 0
           || strcmp (call.action, "ISACTIVE") == 0)
    {
      g_set_error (&error, DECK_ERROR, DECK_ERROR_UNSUPPORTED,
                   "action %s is not available in this build yet; ENUMERATE, LIST, SHOW and INFO are", call.action);
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
