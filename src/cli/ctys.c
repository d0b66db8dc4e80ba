/* ctys.c: the ctys command (spec §2, §3, §5)
 *
 * The command line is parsed by deck_call_parse() (deck-call.h) into one job per target,
 * each with its effective options: the global ones, the default group's, the group-file
 * line's and the target's own, later wins. A job runs with its own action, -t, -c, -p, -n,
 * -L, -z, -b, -l, -Z, --uri= and --backend=, so one call may hold several actions (AC-19).
 *
 * Jobs are run per action, the actions in the order their first job has in the call:
 * ENUMERATE, LIST, SHOW, INFO and CANCEL ask their hosts in parallel (a job with -b
 * sequential runs alone) and print in target order (ENUMERATE and LIST as one table);
 * CREATE runs target by target (a CLI console holds the terminal until it is left).
 * Every job of every action is prepared (hosts, suboptions) before the first one runs, so
 * a usage error starts nothing.
 *
 * -n (dry run): the job is described (deck_call_job_describe) and CREATE and CANCEL
 * report each step they would take without touching a hypervisor; ENUMERATE, LIST, SHOW
 * and INFO only describe the job and ask no host.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli-common.h"
#include "deck-call.h"
#include "deck-cancel.h"
#include "deck-config.h"
#include "deck-create.h"
#include "deck-error.h"
#include "deck-host-info.h"
#include "deck-inventory.h"
#include "deck-list.h"
#include "deck-sessions.h"
#include "deck-output.h"
#include "deck-record.h"
#include "deck-resolver.h"
#include "deck-scanner.h"
#include "deck-ssh-command.h"
#include "deck-suboptions.h"
#include "deck-terminal.h"

#define PROG "ctys"

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: ctys [OPTION...] [-- ['(<options>)']] [<target>['(<options>)']...]\n"
           "\n"
           "  -a <action>[=<suboptions>]   ENUMERATE, LIST, SHOW, INFO, CREATE, CANCEL\n"
           "  -t <type>                    session type (XEN, QEMU, ...): restricts ENUMERATE and\n"
           "                               LIST, selects what CREATE resolves\n"
           "  -T <type>[,<type>...]|all    preload types (accepted)\n"
           "  -p <dir>[:<dir>...]          inventory (cacheDB) directories; -P the default one\n"
           "  -c ON|BOTH|LOCAL|REMOTE|OFF[,ONLY]   where CREATE looks an address up\n"
           "  -b (sync|async)[,(seq|par)]|stack    seq: the job runs alone\n"
           "  -L DF|CF|SO|LO|CO            execution location (checked with the CREATE console)\n"
           "  -z NOPTY|PTY|PTY,PTY         pseudo terminal\n"
           "  -l <user>                    default remote user\n"
           "  -Z KSU|SUDO|NOKSU|NOSUDO|ALL privilege raising on the targets\n"
           "  -A 0|1                       1 keeps duplicate targets\n"
           "  -n                           dry run: describe the jobs, CREATE and CANCEL print\n"
           "                               their steps; nothing is changed, no host is asked\n"
           "                               for ENUMERATE, LIST, SHOW and INFO\n"
           "  --ssh=<command>              ssh program and arguments (default $VMDECK_SSH, ssh)\n"
           "  --uri=<libvirt URI>          the libvirt URI of its driver on the targets\n"
           "  --backend=auto|libvirt|xl    the hypervisor backend on the targets (both also in\n"
           "                               a target's option group)\n"
           "  -C, -d, -g, -r, -s, -D, -W, -x, -X, -Y, -y, -f, -v   accepted, see ctys(1)\n"
           "  -h, --help, -H <topic>       this text;  -V  version\n"
           "\n"
           "Each target may carry its own options, -a included: host'(-a list -Z SUDO)'.\n"
           "ENUMERATE suboptions: field flags (LABEL, ID, UUID, MAC, TCP, ...), MACHINE, TERSE,\n"
           "TITLE, TITLEIDX, TITLEIDXASC, TAB_GEN:<spec>, macro:<NAME>, SORT[:...],\n"
           "B:<dir>[%%<dir>...], MATCHVSTAT:<state>[%%<state>...]\n"
           "Targets: [<user>@]<host>|<group>['(<options>)'], after an optional\n"
           "-- '(<options for every target>)'. Remote hosts are reached with ssh in batch mode\n"
           "through one shared master connection per host; nothing is installed on them.\n");
}

static gboolean usage_error (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

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
  g_set_error_literal (error, DECK_ERROR, DECK_ERROR_USAGE, msg);
  return FALSE;
}

typedef struct _Batch Batch;

/* One job of the call with what running it needs. */
typedef struct {
  Batch             *batch;
  const DeckCallJob *call;     /* borrowed from the DeckCall */
  DeckScanJob        *job;      /* target, options, host, scanner, type, error */
  char              *name;     /* "[user@]host" */
  gboolean           terse;    /* SHOW, INFO: TERSE or MACHINE */
  gboolean           servers;  /* LIST: the SERVER records are wanted */
  gboolean           clients;  /* LIST: the CLIENT records (consoles of vmdeck processes) */
  gboolean           tunnels;  /* LIST: the TUNNEL records (their SSH forwards) */
  GPtrArray         *result;   /* LIST: DeckListEntry; SHOW, INFO: DeckHostInfoItem */
  GString           *report;   /* CANCEL dry run: description and steps, printed in order */
} Job;

/* The jobs of one action. */
struct _Batch {
  struct _Ctys   *ctys;
  DeckCallAction  action;
  GPtrArray      *jobs;        /* Job, in target order */
  DeckOutputSpec *out;         /* ENUMERATE, LIST: one table for all hosts */
  CliRunner      *runner;      /* while the jobs run */
};

typedef struct _Ctys {
  DeckCall   *call;
  GHashTable *hosts;           /* host key -> DeckHost: jobs that reach a host alike share it */
  GHashTable *inventories;     /* -p text ("" = default) -> GPtrArray of DeckRecord */
  GPtrArray  *batches;         /* Batch, in the order of their first job */
} Ctys;

static void
job_free (Job *j)
{
  g_clear_pointer (&j->job, deck_scan_job_free);
  g_free (j->name);
  g_clear_pointer (&j->result, g_ptr_array_unref);
  if (j->report != NULL)
    g_string_free (j->report, TRUE);
  g_free (j);
}

static void
batch_free (Batch *b)
{
  g_ptr_array_unref (b->jobs);
  g_clear_pointer (&b->out, deck_output_spec_free);
  g_free (b);
}

static void
ctys_clear (Ctys *c)
{
  g_clear_pointer (&c->batches, g_ptr_array_unref);
  g_clear_pointer (&c->hosts, g_hash_table_unref);
  g_clear_pointer (&c->inventories, g_hash_table_unref);
  g_clear_pointer (&c->call, deck_call_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ctys, ctys_clear)

static gboolean
is_dry (const Job *j)
{
  return j->call->options->dry_run;
}

static void
print_describe (const Job *j)
{
  g_autofree char *d = deck_call_job_describe (j->call);

  fputs (d, stdout);
}

/* Errors of a job's own suboptions name the job when its -a is not the call's. */
static void
prefix_job_error (Ctys    *c,
                  Job     *j,
                  GError **error)
{
  const DeckCallOptions *g = c->call->options, *o = j->call->options;

  if (g->action != o->action || g_strcmp0 (g->action_args, o->action_args) != 0)
    g_prefix_error (error, "%s: ", j->name);
}

/* The caller's inventory of the job's -p (else the default database); empty when there is
 * none. Loaded once per -p value. */
static GPtrArray *
job_inventory (Ctys *c,
               Job  *j)
{
  const DeckCallOptions *o = j->call->options;
  const char *key = o->db_path != NULL ? o->db_path : "";
  GPtrArray *records = g_hash_table_lookup (c->inventories, key);

  if (records == NULL)
    {
      g_autoptr(DeckInventory) inv = deck_inventory_new ();
      g_autofree char *default_dir = o->db_dirs != NULL ? NULL : deck_inventory_default_dir ();
      const char * const default_dirs[] = { default_dir, NULL };
      const char * const *dirs = o->db_dirs != NULL ? (const char * const *) o->db_dirs : default_dirs;

      if (deck_inventory_load (inv, dirs, NULL))
        records = g_ptr_array_ref (deck_inventory_get_records (inv));
      else
        records = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (c->inventories, g_strdup (key), records);
    }
  return records;
}

/* The host of a job; jobs with the same host, user, -Z, --uri= and --backend= share one
 * (and so one ssh master). */
static DeckHost *
job_host (Ctys              *c,
          const DeckCallJob *cj,
          GError           **error)
{
  const DeckCallOptions *o = cj->options;
  g_autofree char *uris = o->uris != NULL ? g_strjoinv ("\n", o->uris) : g_strdup ("");
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%d\n%d\n%s", cj->user ? cj->user : "",
                                          cj->target->host, o->privilege_set ? (int) o->privilege : 0,
                                          o->backend, uris);
  DeckHost *host = g_hash_table_lookup (c->hosts, key);

  if (host == NULL)
    {
      if ((host = deck_scan_host_new (cj->target, cj->user, o, error)) == NULL)
        return NULL;
      g_hash_table_insert (c->hosts, g_steal_pointer (&key), host);
    }
  return host;
}

/* --- ENUMERATE and LIST: one table ------------------------------------------------ */

/* "KEY[:value]" of each output suboption of @text (in order, ',' between), taken into @out
 * when it is not NULL; the other suboptions are added to @rest (owned). */
static gboolean
split_output (DeckFieldSpace  space,
              const char     *text,
              DeckOutputSpec *out,
              GString        *keys,
              GPtrArray      *rest,
              GError        **error)
{
  g_autoptr(DeckOutputSpec) scratch = out == NULL ? deck_output_spec_new (space) : NULL;
  g_autoptr(GPtrArray) subopts = deck_suboptions_parse (text != NULL ? text : "", error);

  if (subopts == NULL)
    return FALSE;
  for (guint i = 0; i < subopts->len; i++)
    {
      DeckSuboption *opt = subopts->pdata[i];
      g_autoptr(GError) local_error = NULL;

      if (deck_output_spec_take_suboption (out != NULL ? out : scratch, opt, &local_error))
        {
          g_string_append_printf (keys, "%s%s%s%s", keys->len > 0 ? "," : "", opt->key,
                                  opt->value != NULL ? ":" : "", opt->value != NULL ? opt->value : "");
          continue;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (rest != NULL)
        g_ptr_array_add (rest, g_steal_pointer (&subopts->pdata[i]));
    }
  return TRUE;
}

/* ENUMERATE and LIST print one table for all their hosts: its output suboptions (fields,
 * MACHINE, TERSE, TITLE..., TAB_GEN, SORT, ...) are those of the call's -a when it names this
 * action, else those of the first job's. A job's own -a may repeat them or leave them out;
 * different ones are an error. The other suboptions are each job's own (@rest: one
 * GPtrArray of DeckSuboption per job). */
static gboolean
prepare_output (Ctys            *c,
                Batch           *b,
                DeckFieldSpace   space,
                GPtrArray      **rest,
                GError         **error)
{
  const DeckCallOptions *g = c->call->options;
  const char *text = g->action == b->action ? g->action_args
                     : ((Job *) b->jobs->pdata[0])->call->options->action_args;
  g_autoptr(GString) keys = g_string_new (NULL);

  b->out = deck_output_spec_new (space);
  if (!split_output (space, text, b->out, keys, NULL, error))
    {
      if (g->action != b->action)
        g_prefix_error (error, "%s: ", ((Job *) b->jobs->pdata[0])->name);
      return FALSE;
    }
  for (guint i = 0; i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];
      g_autoptr(GString) own = g_string_new (NULL);

      rest[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_suboption_free);
      if (!split_output (space, j->call->options->action_args, NULL, own, rest[i], error))
        {
          prefix_job_error (c, j, error);
          return FALSE;
        }
      if (own->len > 0 && strcmp (own->str, keys->str) != 0)
        return usage_error (error, "%s: output suboptions “%s” differ from “%s”: %s prints one "
                            "table for all hosts; give them once, with the global -a", j->name,
                            own->str, keys->str, deck_call_action_to_string (b->action));
    }
  return TRUE;
}

static gboolean
prepare_enumerate (Ctys    *c,
                   Batch   *b,
                   GError **error)
{
  static const guint default_fields[] = { DECK_FIELD_LABEL, DECK_FIELD_TYPE, DECK_FIELD_ID };
  g_autofree GPtrArray **rest = g_new0 (GPtrArray *, b->jobs->len);
  gboolean ok = prepare_output (c, b, DECK_FIELDS_ENUMERATE, rest, error);

  for (guint i = 0; ok && i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];

      for (guint k = 0; ok && k < rest[i]->len; k++)
        if (!deck_scan_take_suboption (j->job->scanner, rest[i]->pdata[k], error))
          {
            prefix_job_error (c, j, error);
            ok = FALSE;
          }
    }
  for (guint i = 0; i < b->jobs->len; i++)
    g_clear_pointer (&rest[i], g_ptr_array_unref);
  if (ok)
    deck_output_spec_set_default_fields (b->out, default_fields, G_N_ELEMENTS (default_fields));
  return ok;
}

/* ctys scans its targets in parallel and sorts the results together (spec §3.2). */
static gboolean
run_enumerate (Ctys    *c,
               Batch   *b,
               GError **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *text = NULL;
  guint failed;

  for (guint i = 0; i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];

      if (is_dry (j))
        print_describe (j);
      else
        g_ptr_array_add (jobs, j->job);
    }
  if (jobs->len == 0)
    return TRUE;

  failed = cli_scan_run (PROG, jobs, 0);
  records = deck_scan_jobs_records (jobs);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (rows, (gpointer) deck_record_get_fields (g_ptr_array_index (records, i)));
  if (failed < jobs->len)
    {
      text = deck_output_render (b->out, rows);
      fputs (text, stdout);
    }
  if (failed > 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                   "%u of %u hosts could not be scanned; the output lacks them", failed, jobs->len);
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare_list (Ctys    *c,
              Batch   *b,
              GError **error)
{
  g_autofree GPtrArray **rest = g_new0 (GPtrArray *, b->jobs->len);
  gboolean ok = prepare_output (c, b, DECK_FIELDS_LIST, rest, error);

  for (guint i = 0; ok && i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];

      j->servers = j->clients = j->tunnels = TRUE;
      for (guint k = 0; ok && k < rest[i]->len; k++)
        {
          DeckSuboption *opt = rest[i]->pdata[k];

          if (strcmp (opt->key, "SERVER") == 0 || strcmp (opt->key, "CLIENT") == 0
              || strcmp (opt->key, "TUNNEL") == 0)
            {
              j->servers = strcmp (opt->key, "SERVER") == 0;
              j->clients = strcmp (opt->key, "CLIENT") == 0;
              j->tunnels = strcmp (opt->key, "TUNNEL") == 0;
            }
          else if (strcmp (opt->key, "BOTH") == 0)
            j->servers = j->clients = j->tunnels = TRUE;
          else
            {
              usage_error (error, "unknown LIST suboption '%s'", opt->raw_key);
              prefix_job_error (c, j, error);
              ok = FALSE;
            }
        }
    }
  for (guint i = 0; i < b->jobs->len; i++)
    g_clear_pointer (&rest[i], g_ptr_array_unref);
  return ok && deck_output_spec_set_default_table (b->out, DECK_LIST_TAB_TCP, error);
}

/* --- running the jobs of a batch ---------------------------------------------------- */

/* -b sequential per job, for cli_run_jobs(); NULL-free array of b->jobs->len. */
static gboolean *
batch_sequential (Batch *b)
{
  gboolean *seq = g_new0 (gboolean, b->jobs->len + 1);

  for (guint i = 0; i < b->jobs->len; i++)
    seq[i] = ((Job *) b->jobs->pdata[i])->call->options->order == DECK_CALL_ORDER_SEQUENTIAL;
  return seq;
}

static void job_report (const char *line, gpointer data);

/* The end of any job's action: its result is kept in the job, the runner starts the next. */
static void
job_done (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  Job *j = data;
  DeckHost *host = DECK_HOST (source);

  switch (j->batch->action)
    {
    case DECK_CALL_ACTION_SHOW:
    case DECK_CALL_ACTION_INFO:
      j->result = deck_host_info_finish (host, res, &j->job->error);
      break;
    case DECK_CALL_ACTION_CANCEL:
      deck_cancel_finish (host, res, &j->job->error);
      break;
    default:   /* LIST, GETCLIENTPORT, ISACTIVE */
      j->result = deck_list_host_finish (host, res, &j->job->error);
      break;
    }
  cli_runner_job_done (j->batch->runner);
}

/* Starts the action of job @index (for cli_run_jobs()). A dry run asks no host, but
 * CANCEL's dry run reports the steps it would take. */
static void
start_job (CliRunner *runner,
           guint      index,
           gpointer   data)
{
  Batch *b = data;
  Job *j = b->jobs->pdata[index];

  b->runner = runner;
  if (b->action == DECK_CALL_ACTION_CANCEL)
    {
      DeckCancelContext ctx = { 0 };

      if (is_dry (j))
        {
          g_autofree char *d = deck_call_job_describe (j->call);

          j->report = g_string_new (d);
        }
      ctx.dry_run = is_dry (j);
      ctx.inventory = job_inventory (b->ctys, j);
      ctx.report = job_report;
      ctx.report_data = j;
      deck_cancel_async (j->job->host, j->call->cancel, &ctx, NULL, job_done, j);
    }
  else if (is_dry (j))
    cli_runner_job_done (runner);
  else if (b->action == DECK_CALL_ACTION_SHOW || b->action == DECK_CALL_ACTION_INFO)
    deck_host_info_async (j->job->host, b->action == DECK_CALL_ACTION_INFO ? DECK_HOST_INFO_INFO
                                                                           : DECK_HOST_INFO_SHOW,
                          NULL, job_done, j);
  else
    deck_list_host_async (j->job->host, job_inventory (b->ctys, j), NULL, job_done, j);
}

/* One LIST record, if it is of the job's -t type ("SSH(<type>)" tunnels count as <type>). */
static void
add_list_row (Batch      *b,
              Job        *j,
              GPtrArray  *rows,
              char      **fields,
              DeckRecord *record)
{
  const char *type = fields[DECK_LIST_TYPE - 1];

  if (j->job->type && g_ascii_strcasecmp (j->job->type, "ALL") != 0
      && g_ascii_strcasecmp (j->job->type, type) != 0)
    {
      g_autofree char *tunnel_type = g_strdup_printf ("SSH(%s)", j->job->type);

      if (g_ascii_strcasecmp (tunnel_type, type) != 0)
        return;
    }
  if (deck_output_spec_uses_default_table (b->out))
    g_ptr_array_add (rows, deck_list_tab_tcp_row ((const char * const *) fields, record));
  else
    g_ptr_array_add (rows, g_strdupv (fields));
}

/* LIST (spec §5.3): the running domains of every target, asked in parallel, and on this
 * machine the clients and tunnels of vmdeck processes. */
static gboolean
run_list (Ctys    *c,
          Batch   *b,
          GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree gboolean *seq = batch_sequential (b);
  g_autofree char *text = NULL;
  guint failed = 0, asked = 0;

  for (guint i = 0; i < b->jobs->len; i++)
    if (is_dry (b->jobs->pdata[i]))
      print_describe (b->jobs->pdata[i]);
    else
      asked++;
  if (asked == 0)
    return TRUE;

  cli_run_jobs (b->jobs->len, seq, 0, start_job, b);

  for (guint i = 0; i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];

      if (is_dry (j))
        continue;
      if (deck_host_is_local (j->job->host) && (j->clients || j->tunnels))
        {
          /* the consoles and forwards vmdeck processes on this machine hold open */
          g_autoptr(GPtrArray) sessions = deck_sessions_list ();

          for (guint k = 0; k < sessions->len; k++)
            {
              char **fields = sessions->pdata[k];
              gboolean tunnel = g_str_equal (fields[DECK_LIST_CSTYPE - 1], "TUNNEL");

              if (tunnel ? j->tunnels : j->clients)
                add_list_row (b, j, rows, fields, NULL);
            }
        }
      if (j->result == NULL)
        {
          cli_print_error (PROG, j->job->error);
          failed++;
          continue;
        }
      for (guint k = 0; j->servers && k < j->result->len; k++)
        {
          DeckListEntry *e = g_ptr_array_index (j->result, k);
          g_auto(GStrv) fields = deck_list_entry_fields (e);

          add_list_row (b, j, rows, fields, e->record);
        }
    }
  if (failed < asked || rows->len > 0)
    {
      text = deck_output_render (b->out, rows);
      fputs (text, stdout);
    }
  if (failed)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                   "%u of %u hosts could not be listed; the output lacks them", failed, asked);
      return FALSE;
    }
  return TRUE;
}

/* --- SHOW and INFO ------------------------------------------------------------------ */

static gboolean
prepare_show_info (Ctys    *c,
                   Batch   *b,
                   GError **error)
{
  for (guint i = 0; i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];
      g_autoptr(GPtrArray) subopts = deck_suboptions_parse (j->call->options->action_args
                                                            ? j->call->options->action_args : "",
                                                            error);

      if (subopts == NULL)
        {
          prefix_job_error (c, j, error);
          return FALSE;
        }
      for (guint k = 0; k < subopts->len; k++)
        {
          DeckSuboption *opt = g_ptr_array_index (subopts, k);

          if (strcmp (opt->key, "TERSE") == 0 || strcmp (opt->key, "MACHINE") == 0)
            j->terse = TRUE;
          else
            {
              usage_error (error, "unknown %s suboption '%s' (TERSE or MACHINE)",
                           deck_call_action_to_string (b->action), opt->raw_key);
              prefix_job_error (c, j, error);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* SHOW and INFO (spec §5.5): every host asked in parallel, printed in target order. */
static gboolean
run_show_info (Ctys    *c,
               Batch   *b,
               GError **error)
{
  g_autofree gboolean *seq = batch_sequential (b);
  guint failed = 0, asked = 0;

  cli_run_jobs (b->jobs->len, seq, 0, start_job, b);

  for (guint i = 0; i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];
      g_autofree char *text = NULL;

      if (is_dry (j))
        {
          print_describe (j);
          continue;
        }
      asked++;
      if (j->result == NULL)
        {
          cli_print_error (PROG, j->job->error);
          failed++;
          continue;
        }
      if (b->action == DECK_CALL_ACTION_INFO)
        {
          DeckHostInfoItem *item = g_new0 (DeckHostInfoItem, 1);

          item->key = g_strdup ("vmdeck");   /* the calling side's version, as ctys prints its own */
          item->value = g_strdup (DECK_VERSION);
          g_ptr_array_add (j->result, item);
        }
      text = deck_host_info_render (j->job->target->host, j->result, j->terse);
      fputs (text, stdout);
    }
  if (failed)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                   "%u of %u hosts did not answer", failed, asked);
      return FALSE;
    }
  return TRUE;
}

/* --- CANCEL ------------------------------------------------------------------------- */

static void
print_report (const char *line,
              gpointer    data)
{
  printf ("%s\n", line);
  fflush (stdout);
}

/* A dry run's steps are kept with the job's description and printed in target order. */
static void
job_report (const char *line,
            gpointer    data)
{
  Job *j = data;

  if (j->report != NULL)
    g_string_append_printf (j->report, "%s\n", line);
  else
    print_report (line, NULL);
}

/* CANCEL (spec §5.2): every target in parallel, VM-stack safe. */
static gboolean
run_cancel (Ctys    *c,
            Batch   *b,
            GError **error)
{
  g_autofree gboolean *seq = batch_sequential (b);
  guint failed = 0;

  cli_run_jobs (b->jobs->len, seq, 0, start_job, b);
  for (guint i = 0; i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];

      if (j->report != NULL)
        fputs (j->report->str, stdout);
    }
  fflush (stdout);
  for (guint i = 0; i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];

      if (j->job->error)
        {
          cli_print_error (PROG, j->job->error);
          failed++;
        }
    }
  if (failed)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED, "CANCEL failed on %u of %u hosts", failed,
                   b->jobs->len);
      return FALSE;
    }
  return TRUE;
}

/* --- CREATE ------------------------------------------------------------------------- */

typedef struct {
  GMainLoop *loop;
  GError **error;
  char ***console_argv;
  gboolean *detach;
  char *label;
} CreateWait;

static void
create_done (GObject      *source,
             GAsyncResult *res,
             gpointer      data)
{
  CreateWait *w = data;

  deck_create_finish (DECK_HOST (source), res, w->console_argv, w->detach, w->error);
  w->label = g_strdup (deck_create_get_label (res));
  g_main_loop_quit (w->loop);
}

static DeckCacheMode
cache_mode (DeckCallNsCache c)
{
  switch (c)
    {
    case DECK_CALL_NS_CACHE_OFF: return DECK_CACHE_OFF;
    case DECK_CALL_NS_CACHE_LOCAL: return DECK_CACHE_LOCAL;
    case DECK_CALL_NS_CACHE_REMOTE: return DECK_CACHE_REMOTE;
    case DECK_CALL_NS_CACHE_UNSET:
    case DECK_CALL_NS_CACHE_BOTH:
    default: return DECK_CACHE_BOTH;
    }
}

/* Starts a console window that lives on after ctys. vmdeck's own window registers itself
 * as a LIST client; a terminal window is registered here, under its process ID, so LIST
 * shows it and CANCEL CLIENT closes it. */
static void
spawn_console_window (DeckConsole   console,
                      const char   *label,
                      char        **argv,
                      GError      **error)
{
  g_auto(GStrv) fields = NULL;
  g_autofree char *token = NULL;
  GPid pid;

  if (!g_spawn_async (NULL, argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, error))   /* it reports in its own window */
    return;
  if (console == DECK_CONSOLE_VNC || label == NULL)
    return;
  fields = deck_sessions_client_fields (label, deck_console_to_string (console), 0);
  g_free (fields[DECK_LIST_PID - 1]);
  fields[DECK_LIST_PID - 1] = g_strdup_printf ("%d", (int) pid);
  token = deck_sessions_register ((const char * const *) fields, error);
}

/* CREATE (spec §5.1): target by target; a CLI console runs in this terminal before the
 * next target is started (CONSOLE:CLI is synchronous and sequential, spec §3.2). The
 * location matrix and the values a console forces were applied by deck_call_parse(). */
static gboolean
run_create (Ctys    *c,
            Batch   *b,
            GError **error)
{
  guint failed = 0;

  for (guint i = 0; i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];
      const DeckCallOptions *o = j->call->options;
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      g_auto(GStrv) console = NULL;
      gboolean detach = FALSE;
      CreateWait w = { loop, &j->job->error, &console, &detach, NULL };
      g_autofree char *geometry = deck_terminal_geometry (o->geometry);
      g_autofree char *label = NULL;
      DeckCreateContext ctx = { 0 };

      if (is_dry (j))
        print_describe (j);
      ctx.dry_run = is_dry (j);
      ctx.resolve.mode = cache_mode (o->ns_cache);
      ctx.resolve.cache_only = o->ns_cache_only;
      ctx.resolve.db_dirs = o->db_dirs;
      ctx.resolve.type = o->type;
      ctx.report = print_report;
      ctx.terminal_geometry = geometry;
      ctx.no_pty = j->call->create->console == DECK_CONSOLE_CLI && o->pty == 0;   /* -z NOPTY kept */

      deck_create_async (j->job->host, j->call->create, &ctx, NULL, create_done, &w);
      g_main_loop_run (loop);
      label = w.label;
      if (j->job->error)
        {
          cli_print_error (PROG, j->job->error);
          failed++;
          continue;
        }
      if (console && !is_dry (j))
        {
          g_autoptr(GError) spawn_error = NULL;
          int status;

          if (detach)   /* a console window of its own: it lives on after ctys */
            spawn_console_window (j->call->create->console, label, console, &spawn_error);
          /* the console in this terminal, until it is left */
          else
            g_spawn_sync (NULL, console, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN,
                          NULL, NULL, NULL, NULL, &status, &spawn_error);
          if (spawn_error)
            {
              cli_print_error (PROG, spawn_error);
              failed++;
            }
        }
    }
  if (failed)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED, "CREATE failed on %u of %u hosts", failed,
                   b->jobs->len);
      return FALSE;
    }
  return TRUE;
}

/* --- GETCLIENTPORT and ISACTIVE (spec §5.5) ------------------------------------------ */

/* The running session named by @what (its label or its config path), or NULL. */
static DeckListEntry *
find_session (GPtrArray  *entries,
              const char *what)
{
  for (guint i = 0; entries && i < entries->len; i++)
    {
      DeckListEntry *e = g_ptr_array_index (entries, i);

      if (g_strcmp0 (e->info->name, what) == 0 || g_strcmp0 (e->info->config_path, what) == 0)
        return e;
    }
  return NULL;
}

/* GETCLIENTPORT=<label>|<id> prints "CLIENTPORT(<type>,<host>,<label>)=<vnc port>";
 * ISACTIVE=<id> prints "ISACTIVE(<type>,<id>)=0" when it runs, else "=1". Per host, from
 * its running sessions (as LIST finds them). */
static gboolean
run_query (Ctys    *c,
           Batch   *b,
           GError **error)
{
  g_autofree gboolean *seq = batch_sequential (b);
  guint failed = 0;

  cli_run_jobs (b->jobs->len, seq, 0, start_job, b);
  for (guint i = 0; i < b->jobs->len; i++)
    {
      Job *j = b->jobs->pdata[i];
      const char *what = j->call->options->action_args;
      const char *type = j->job->type;
      DeckListEntry *e;

      if (is_dry (j))
        continue;
      if (j->result == NULL)
        {
          cli_print_error (PROG, j->job->error);
          failed++;
          continue;
        }
      e = find_session (j->result, what);
      if (type == NULL || g_ascii_strcasecmp (type, "ALL") == 0)
        type = e ? e->info->type : "ALL";
      if (b->action == DECK_CALL_ACTION_ISACTIVE)
        printf ("ISACTIVE(%s,%s)=%d\n", type, what, e != NULL ? 0 : 1);
      else if (e == NULL || e->info->vnc_port == 0)
        {
          g_printerr ("%s: error: %s: %s\n", PROG, j->name,
                      e ? "the session has no VNC port" : "no running session of that name");
          failed++;
        }
      else
        printf ("CLIENTPORT(%s,%s,%s)=%u\n", type, e->host, e->info->name, e->info->vnc_port);
    }
  if (failed)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED, "%s failed on %u of %u hosts",
                   deck_call_action_to_string (b->action), failed, b->jobs->len);
      return FALSE;
    }
  return TRUE;
}

/* --- the call ----------------------------------------------------------------------- */

/* Groups the jobs by action, makes their hosts and checks their suboptions. */
static gboolean
prepare (Ctys    *c,
         GError **error)
{
  GPtrArray *jobs = c->call->jobs;
  guint without_action = 0;

  for (guint i = 0; i < jobs->len; i++)
    if (((DeckCallJob *) jobs->pdata[i])->options->action == DECK_CALL_ACTION_NONE)
      without_action++;
  if (without_action == jobs->len)
    return usage_error (error, "no action given; use -a <action>[=<suboptions>]");

  for (guint i = 0; i < jobs->len; i++)
    {
      const DeckCallJob *cj = jobs->pdata[i];
      DeckCallAction action = cj->options->action;
      Batch *b = NULL;
      Job *j;
      DeckHost *host;

      if (action == DECK_CALL_ACTION_NONE)
        {
          g_autofree char *name = cj->user ? g_strdup_printf ("%s@%s", cj->user, cj->target->host)
                                           : g_strdup (cj->target->host);

          return usage_error (error, "%s: no action given; use -a <action>[=<suboptions>] "
                              "(globally or in the target's option group)", name);
        }
      if ((action == DECK_CALL_ACTION_GETCLIENTPORT || action == DECK_CALL_ACTION_ISACTIVE)
          && (cj->options->action_args == NULL || *cj->options->action_args == '\0'))
        return usage_error (error, "%s needs a session: -a %s=<label>|<id>",
                            deck_call_action_to_string (action), deck_call_action_to_string (action));
      if ((host = job_host (c, cj, error)) == NULL)
        return FALSE;

      for (guint k = 0; k < c->batches->len && b == NULL; k++)
        if (((Batch *) c->batches->pdata[k])->action == action)
          b = c->batches->pdata[k];
      if (b == NULL)
        {
          b = g_new0 (Batch, 1);
          b->ctys = c;
          b->action = action;
          b->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
          g_ptr_array_add (c->batches, b);
        }
      j = g_new0 (Job, 1);
      j->batch = b;
      j->call = cj;
      j->job = deck_scan_job_new (cj->target, cj->options, host);
      j->name = cj->user ? g_strdup_printf ("%s@%s", cj->user, cj->target->host)
                         : g_strdup (cj->target->host);
      g_ptr_array_add (b->jobs, j);
    }

  for (guint k = 0; k < c->batches->len; k++)
    {
      Batch *b = c->batches->pdata[k];
      gboolean ok = TRUE;

      switch (b->action)
        {
        case DECK_CALL_ACTION_ENUMERATE: ok = prepare_enumerate (c, b, error); break;
        case DECK_CALL_ACTION_LIST: ok = prepare_list (c, b, error); break;
        case DECK_CALL_ACTION_SHOW:
        case DECK_CALL_ACTION_INFO: ok = prepare_show_info (c, b, error); break;
        default: break;   /* CREATE and CANCEL were checked by deck_call_parse() */
        }
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* -b async given on the command line for CREATE/CANCEL (spec §3.2): as ctys's "ssh -f",
 * the call returns once its jobs are checked and they run on in the background, reporting
 * to this terminal. Not for dry runs, and not when a job was forced synchronous (a CLI
 * console). */
static gboolean
wants_detach (const DeckCall *call)
{
  if (call->options->sync != DECK_CALL_SYNC_ASYNC || call->options->dry_run)
    return FALSE;
  for (guint i = 0; i < call->jobs->len; i++)
    {
      const DeckCallJob *j = call->jobs->pdata[i];

      if (j->options->sync != DECK_CALL_SYNC_ASYNC || j->options->dry_run
          || (j->options->action != DECK_CALL_ACTION_CREATE && j->options->action != DECK_CALL_ACTION_CANCEL))
        return FALSE;
    }
  return TRUE;
}

/* Forks; the parent says where the jobs went and returns TRUE (it exits), the child leaves
 * the terminal's session and returns FALSE. Called before any thread exists. */
static gboolean
detach (void)
{
  pid_t pid;

  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid < 0)
    {
      g_printerr ("%s: cannot run in the background (%s); running in the foreground\n", PROG,
                  g_strerror (errno));
      return FALSE;
    }
  if (pid > 0)
    {
      g_printerr ("%s: -b async: the jobs run on in the background as pid %d\n", PROG, (int) pid);
      return TRUE;
    }
  setsid ();
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  g_auto(Ctys) c = { 0, };
  g_autoptr(GError) error = NULL;
  int rc = CLI_EXIT_OK;

  setlocale (LC_ALL, "");

  c.call = deck_call_parse_argv (argc, argv, NULL, cli_default_macros (), &error);
  if (c.call == NULL)
    {
      if (g_error_matches (error, DECK_ERROR, DECK_ERROR_USAGE))
        g_printerr ("%s: error: %s (see ctys -h)\n", PROG, error->message);
      else
        cli_print_error (PROG, error);
      return CLI_EXIT_USAGE;
    }
  if (c.call->options->help || c.call->options->help_topic != NULL)
    {
      usage (stdout);
      return CLI_EXIT_OK;
    }
  if (c.call->options->version)
    {
      printf ("ctys (vmdeck) %s\n", DECK_VERSION);
      return CLI_EXIT_OK;
    }
  if (c.call->options->ssh_command != NULL
      && !deck_ssh_set_default_program (c.call->options->ssh_command, &error))
    {
      cli_print_error (PROG, error);
      return CLI_EXIT_USAGE;
    }

  c.hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  c.inventories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  c.batches = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_free);
  if (!prepare (&c, &error))
    {
      if (g_error_matches (error, DECK_ERROR, DECK_ERROR_USAGE))
        g_printerr ("%s: error: %s (see ctys -h)\n", PROG, error->message);
      else
        cli_print_error (PROG, error);
      return CLI_EXIT_USAGE;
    }
  if (wants_detach (c.call) && detach ())
    return CLI_EXIT_OK;

  for (guint k = 0; k < c.batches->len; k++)
    {
      Batch *b = c.batches->pdata[k];
      gboolean ok = TRUE;

      switch (b->action)
        {
        case DECK_CALL_ACTION_ENUMERATE: ok = run_enumerate (&c, b, &error); break;
        case DECK_CALL_ACTION_LIST: ok = run_list (&c, b, &error); break;
        case DECK_CALL_ACTION_SHOW:
        case DECK_CALL_ACTION_INFO: ok = run_show_info (&c, b, &error); break;
        case DECK_CALL_ACTION_CANCEL: ok = run_cancel (&c, b, &error); break;
        case DECK_CALL_ACTION_CREATE: ok = run_create (&c, b, &error); break;
        case DECK_CALL_ACTION_GETCLIENTPORT:
        case DECK_CALL_ACTION_ISACTIVE: ok = run_query (&c, b, &error); break;
        default: g_assert_not_reached ();
        }
      fflush (stdout);
      if (!ok)
        {
          cli_print_error (PROG, error);
          g_clear_error (&error);
          rc = CLI_EXIT_USAGE;
        }
    }
  return rc;
}
