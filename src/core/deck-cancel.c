/* deck-cancel.c: CANCEL on one host, VM-stack safe (spec §4.5, §5.2, §10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-cancel.h"

#include <string.h>

#include "deck-error.h"
#include "deck-libvirt.h"
#include "deck-list.h"
#include "deck-paths.h"
#include "deck-process.h"
#include "deck-sessions.h"
#include "deck-stack.h"
#include "deck-xl.h"

#define MAX_STACK_DEPTH 8
#define GUEST_CONNECT_TIMEOUT 15

typedef struct {
  char *name;
  char *uri;            /* libvirt URI of its hypervisor; NULL: xl */
  char *config_path;
  char *guest;          /* host name of the guest itself, or NULL */
} Target;

static void
target_free (Target *t)
{
  g_free (t->name);
  g_free (t->uri);
  g_free (t->config_path);
  g_free (t->guest);
  g_free (t);
}

typedef struct {
  DeckCancelRequest *req;
  DeckCancelContext ctx;
  GHashTable *visited;   /* host names already being cancelled (shared down the stack) */
  guint depth;
  char *host_name;
  GPtrArray *targets;    /* Target */
  guint index;
  GHashTable *conns;     /* uri -> DeckLibvirt */
  DeckXl *xl;            /* for the domains xl listed */
  guint polls;           /* xl POWEROFF: seconds waited so far */
  DeckHost *guest_host;  /* of the current target, while propagating */
  GString *problems;     /* what went wrong below, reported at the end */
} Cancel;

static void
cancel_free (Cancel *c)
{
  deck_cancel_request_free (c->req);
  g_clear_pointer (&c->ctx.inventory, g_ptr_array_unref);
  g_hash_table_unref (c->visited);
  g_free (c->host_name);
  g_clear_pointer (&c->targets, g_ptr_array_unref);
  g_hash_table_unref (c->conns);
  g_clear_object (&c->xl);
  g_clear_object (&c->guest_host);
  g_string_free (c->problems, TRUE);
  g_free (c);
}

static void cancel_internal (DeckHost *host, const DeckCancelRequest *request,
                             const DeckCancelContext *context, GHashTable *visited, guint depth,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data);

static void
report (Cancel     *c,
        const char *fmt,
        ...) G_GNUC_PRINTF (2, 3);

static void
report (Cancel     *c,
        const char *fmt,
        ...)
{
  va_list ap;

  va_start (ap, fmt);
  deck_cancel_report_valist (c->ctx.report, c->ctx.report_data, c->host_name, c->ctx.dry_run, fmt, ap);
  va_end (ap);
}

void
deck_cancel_report_valist (DeckCancelReport  report_fn,
                           gpointer          report_data,
                           const char       *host,
                           gboolean          dry_run,
                           const char       *fmt,
                           va_list           ap)
{
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  if (report_fn == NULL)
    return;
  text = g_strdup_vprintf (fmt, ap);
  line = g_strdup_printf ("%s: %s%s", host, dry_run ? "[dry run] " : "", text);
  report_fn (line, report_data);
}

static const char *
driver_of_type (const char *type)
{
  return g_ascii_strcasecmp (type, "XEN") == 0 ? "xen" : "qemu";
}

static const char *
method_name (const DeckCancelRequest *req)
{
  switch (req->method)
    {
    case DECK_CANCEL_RESET: return "RESET";
    case DECK_CANCEL_REBOOT: return "REBOOT";
    case DECK_CANCEL_INIT: return "INIT";
    case DECK_CANCEL_PAUSE: return "PAUSE";
    case DECK_CANCEL_SUSPEND: return "SUSPEND";
    case DECK_CANCEL_POWEROFF:
    default: return "POWEROFF";
    }
}

static guint
delay_of (Cancel *c)
{
  if (c->req->delay != DECK_CALL_UNSET)
    return c->req->delay;
  if (c->req->timeout != DECK_CALL_UNSET)
    return c->req->timeout;
  return c->ctx.default_delay ? c->ctx.default_delay : DECK_CANCEL_DEFAULT_DELAY;
}

static void finish (GTask *task);
static void next_target (GTask *task);

/* --- selecting the sessions -------------------------------------------------------------- */

static gboolean
entry_matches (DeckAddress   *address,
               DeckListEntry *e)
{
  guint n_macs = g_strv_length (e->info->macs);

  for (guint m = 0; m < MAX (n_macs, 1); m++)
    {
      g_autoptr(DeckRecord) rec = e->record ? deck_record_copy (e->record) : deck_record_new ();

      deck_record_set (rec, DECK_FIELD_PM, e->host);
      deck_record_set (rec, DECK_FIELD_TYPE, e->info->type);
      deck_record_set (rec, DECK_FIELD_LABEL, e->info->name);
      deck_record_set (rec, DECK_FIELD_UUID, e->info->uuid);
      if (e->info->config_path)
        deck_record_set (rec, DECK_FIELD_ID, e->info->config_path);
      if (n_macs)
        deck_record_set (rec, DECK_FIELD_MAC, e->info->macs[m]);
      if (deck_address_matches (address, rec))
        return TRUE;
    }
  return FALSE;
}

/* Uniqueness unless ALL (spec §4.5 REC). */
static gboolean
check_selection (Cancel  *c,
                 GError **error)
{
  g_autofree char *addr = deck_address_to_string (c->req->address);

  if (c->targets->len == 0 && !deck_address_get_all (c->req->address))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND, "%s: no matching running session for '%s'",
                   c->host_name, addr);
      return FALSE;
    }
  if (c->targets->len > 1 && !deck_address_get_all (c->req->address))
    {
      GString *names = g_string_new (NULL);

      for (guint i = 0; i < c->targets->len; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", ((Target *) c->targets->pdata[i])->name);
      g_set_error (error, DECK_ERROR, DECK_ERROR_AMBIGUOUS,
                   "%s: '%s' matches %u running sessions (%s); add address parts or use ALL",
                   c->host_name, addr, c->targets->len, names->str);
      g_string_free (names, TRUE);
      return FALSE;
    }
  return TRUE;
}

static void
listed (GObject      *source,
        GAsyncResult *res,
        gpointer      data)
{
  GTask *task = data;
  Cancel *c = g_task_get_task_data (task);
  DeckHost *host = DECK_HOST (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = deck_list_host_finish (host, res, &error);

  if (entries == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      DeckListEntry *e = g_ptr_array_index (entries, i);
      Target *t;

      if (g_strcmp0 (e->info->name, "Domain-0") == 0 || e->info->id == 0)
        continue;   /* never Domain-0 (ALL) and never by address either */
      if (!deck_address_get_all (c->req->address) && !entry_matches (c->req->address, e))
        continue;
      t = g_new0 (Target, 1);
      t->name = g_strdup (e->info->name);
      t->uri = g_strdup (e->uri);   /* NULL for a domain of xl */
      t->config_path = g_strdup (e->info->config_path);
      t->guest = deck_stack_guest_of (e->record);
      g_ptr_array_add (c->targets, t);
    }
  if (!check_selection (c, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  next_target (task);
}

/* A dry run takes the sessions from the inventory: no hypervisor is asked. */
static gboolean
select_from_inventory (GTask   *task,
                       GError **error)
{
  Cancel *c = g_task_get_task_data (task);
  DeckHost *host = g_task_get_source_object (task);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  GPtrArray *inventory = c->ctx.inventory ? c->ctx.inventory : empty;
  g_autoptr(GPtrArray) hits = NULL;

  if (deck_address_get_all (c->req->address))
    {
      /* every machine of the host: an empty address restricted to the host */
      g_autoptr(DeckAddress) any = deck_address_new ();

      hits = deck_address_select (any, inventory, c->host_name);
    }
  else
    hits = deck_address_select (c->req->address, inventory, c->host_name);

  for (guint i = 0; i < hits->len; i++)
    {
      DeckRecord *rec = g_ptr_array_index (hits, i);
      Target *t = g_new0 (Target, 1);
      g_autofree char *uri = deck_host_get_libvirt_uri (host, driver_of_type (deck_record_get (rec, DECK_FIELD_TYPE)));

      t->name = g_strdup (deck_record_get (rec, DECK_FIELD_LABEL));
      if (deck_host_get_backend (host) == DECK_BACKEND_XL
          || (deck_host_get_backend (host) == DECK_BACKEND_AUTO
              && g_ascii_strcasecmp (deck_record_get (rec, DECK_FIELD_TYPE), "XEN") == 0
              && !deck_host_has_libvirt_uri (host, "xen")))
        g_clear_pointer (&uri, g_free);   /* xl: the Xen toolstack itself */
      t->uri = g_steal_pointer (&uri);
      t->config_path = g_strdup (deck_record_get (rec, DECK_FIELD_ID));
      t->guest = deck_stack_guest_of (rec);
      g_ptr_array_add (c->targets, t);
    }
  return check_selection (c, error);
}

/* --- the hypervisor step ---------------------------------------------------------------------- */

typedef struct {
  GTask *task;
  DeckLibvirt *lv;
  Target *t;
  guint stage;     /* POWEROFF: 0 shutdown sent, 1 waited */
} Step;

static void hypervisor_step (GTask *task, Target *t, DeckLibvirt *lv);

static void
control_done (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  Step *st = data;
  GTask *task = st->task;
  Cancel *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_free (st);
  if (!deck_libvirt_control_finish (DECK_LIBVIRT (source), res, &error))
    g_string_append_printf (c->problems, "%s%s", c->problems->len ? "; " : "", error->message);
  next_target (task);
}

static void
destroy_done (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  GTask *task = data;
  Cancel *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* "not running" here means it stopped on its own meanwhile: fine */
  if (!deck_libvirt_control_finish (DECK_LIBVIRT (source), res, &error)
      && !strstr (error->message, "not running"))
    g_string_append_printf (c->problems, "%s%s", c->problems->len ? "; " : "", error->message);
  next_target (task);
}

static void
waited (GObject      *source,
        GAsyncResult *res,
        gpointer      data)
{
  Step *st = data;
  GTask *task = st->task;
  Cancel *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (deck_libvirt_wait_state_finish (DECK_LIBVIRT (source), res, &error))
    {
      report (c, "%s is shut off", st->t->name);
      g_free (st);
      next_target (task);
      return;
    }
  report (c, "%s did not stop within %u s: destroy %s", st->t->name, delay_of (c), st->t->name);
  deck_libvirt_control_async (DECK_LIBVIRT (source), st->t->name, DECK_DOMAIN_OP_DESTROY, NULL,
                              g_task_get_cancellable (task), destroy_done, task);
  g_free (st);
}

static void
shutdown_sent (GObject      *source,
               GAsyncResult *res,
               gpointer      data)
{
  Step *st = data;
  Cancel *c = g_task_get_task_data (st->task);
  g_autoptr(GError) error = NULL;
  guint delay = delay_of (c);

  if (!deck_libvirt_control_finish (DECK_LIBVIRT (source), res, &error))
    report (c, "shutdown of %s refused (%s): destroy %s", st->t->name, error->message, st->t->name);
  if (error != NULL || delay == 0)
    {
      GTask *task = st->task;
      const char *name = st->t->name;

      g_free (st);
      deck_libvirt_control_async (DECK_LIBVIRT (source), name, DECK_DOMAIN_OP_DESTROY, NULL,
                                  g_task_get_cancellable (task), destroy_done, task);
      return;
    }
  deck_libvirt_wait_state_async (DECK_LIBVIRT (source), st->t->name, DECK_DOMAIN_STATE_SHUTOFF, delay,
                                 g_task_get_cancellable (st->task), waited, st);
}

static char *
state_file_for (Cancel *c,
                Target *t)
{
  return deck_state_file_path (c->req->statefile, t->config_path, t->name);
}

static void
hypervisor_step (GTask       *task,
                 Target      *t,
                 DeckLibvirt *lv)
{
  Cancel *c = g_task_get_task_data (task);
  Step *st = g_new0 (Step, 1);
  g_autofree char *state_file = NULL;
  DeckDomainOp op;

  st->task = task;
  st->t = t;
  switch (c->req->method)
    {
    case DECK_CANCEL_POWEROFF:
      if (c->ctx.dry_run)
        {
          report (c, "shutdown %s (%s); wait up to %u s for it to stop; destroy %s if it still runs",
                  t->name, t->uri, delay_of (c), t->name);
          g_free (st);
          next_target (task);
          return;
        }
      report (c, "shutdown %s", t->name);
      deck_libvirt_control_async (lv, t->name, DECK_DOMAIN_OP_SHUTDOWN, NULL,
                                  g_task_get_cancellable (task), shutdown_sent, st);
      return;
    case DECK_CANCEL_INIT:
      /* purely a guest function (spec §5.2.3); done while propagating, if at all */
      g_free (st);
      next_target (task);
      return;
    case DECK_CANCEL_SUSPEND:
      state_file = state_file_for (c, t);
      if (state_file == NULL)
        {
          g_string_append_printf (c->problems, "%s%s: no config path to put the state file beside; "
                                  "give SUSPEND:<file>", c->problems->len ? "; " : "", t->name);
          g_free (st);
          next_target (task);
          return;
        }
      op = DECK_DOMAIN_OP_SAVE;
      break;
    case DECK_CANCEL_PAUSE:
      op = DECK_DOMAIN_OP_PAUSE;
      break;
    case DECK_CANCEL_RESET:
      op = DECK_DOMAIN_OP_RESET;
      break;
    case DECK_CANCEL_REBOOT:
    default:
      op = DECK_DOMAIN_OP_REBOOT;
      break;
    }
  report (c, "%s %s%s%s (%s)", deck_domain_op_to_string (op), t->name, state_file ? " to " : "",
          state_file ? state_file : "", t->uri);
  if (c->ctx.dry_run)
    {
      g_free (st);
      next_target (task);
      return;
    }
  deck_libvirt_control_async (lv, t->name, op, state_file, g_task_get_cancellable (task), control_done, st);
}

/* --- the same through xl --------------------------------------------------------------------- */

static DeckDomainOp
op_of_method (Cancel *c)
{
  switch (c->req->method)
    {
    case DECK_CANCEL_SUSPEND: return DECK_DOMAIN_OP_SAVE;
    case DECK_CANCEL_PAUSE: return DECK_DOMAIN_OP_PAUSE;
    case DECK_CANCEL_RESET: return DECK_DOMAIN_OP_RESET;
    case DECK_CANCEL_REBOOT: return DECK_DOMAIN_OP_REBOOT;
    case DECK_CANCEL_POWEROFF:
    case DECK_CANCEL_INIT:
    default: return DECK_DOMAIN_OP_SHUTDOWN;
    }
}

static void
xl_done (GObject      *source,
         GAsyncResult *res,
         gpointer      data)
{
  GTask *task = data;
  Cancel *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!deck_xl_control_finish (DECK_XL (source), res, &error)
      && !g_error_matches (error, DECK_ERROR, DECK_ERROR_NOT_FOUND))   /* gone meanwhile */
    g_string_append_printf (c->problems, "%s%s", c->problems->len ? "; " : "", error->message);
  next_target (task);
}

static void xl_poll (GTask *task);

static void
xl_destroy (GTask *task)
{
  Cancel *c = g_task_get_task_data (task);
  Target *t = c->targets->pdata[c->index - 1];

  report (c, "%s did not stop within %u s: xl destroy %s", t->name, delay_of (c), t->name);
  deck_xl_control_async (c->xl, t->name, DECK_DOMAIN_OP_DESTROY, NULL, DECK_XL_CONTROL_NONE,
                         g_task_get_cancellable (task), xl_done, task);
}

static gboolean
xl_poll_later (gpointer task)
{
  xl_poll (task);
  return G_SOURCE_REMOVE;
}

static void
xl_polled (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  GTask *task = data;
  Cancel *c = g_task_get_task_data (task);
  Target *t = c->targets->pdata[c->index - 1];
  g_autoptr(GPtrArray) domains = deck_xl_list_finish (DECK_XL (source), res, NULL);
  gboolean present = FALSE;

  for (guint i = 0; domains && i < domains->len; i++)
    present |= g_strcmp0 (((DeckDomainInfo *) domains->pdata[i])->name, t->name) == 0;
  if (!present)
    {
      report (c, "%s is shut off", t->name);
      next_target (task);
    }
  else if (++c->polls >= delay_of (c))
    xl_destroy (task);
  else
    g_timeout_add_seconds (1, xl_poll_later, task);
}

static void
xl_poll (GTask *task)
{
  Cancel *c = g_task_get_task_data (task);

  deck_xl_list_async (c->xl, g_task_get_cancellable (task), xl_polled, task);
}

static void
xl_shutdown_sent (GObject      *source,
                  GAsyncResult *res,
                  gpointer      data)
{
  GTask *task = data;
  Cancel *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!deck_xl_control_finish (DECK_XL (source), res, &error))
    report (c, "shutdown refused (%s)", error->message);
  c->polls = 0;
  if (error || delay_of (c) == 0)
    xl_destroy (task);
  else
    xl_poll (task);
}

static void
xl_step (GTask  *task,
         Target *t)
{
  Cancel *c = g_task_get_task_data (task);
  DeckHost *host = g_task_get_source_object (task);
  DeckDomainOp op = op_of_method (c);
  g_autofree char *state_file = op == DECK_DOMAIN_OP_SAVE ? state_file_for (c, t) : NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = deck_xl_control_argv (c->xl ? deck_xl_get_prefix (c->xl) : NULL, op, t->name,
                                             state_file, DECK_XL_CONTROL_NONE, &error);
  g_autofree char *line = argv ? deck_process_describe_argv ((const char * const *) argv) : NULL;

  if (argv == NULL)
    {
      g_string_append_printf (c->problems, "%s%s", c->problems->len ? "; " : "", error->message);
      next_target (task);
      return;
    }
  report (c, "%s%s", line, c->req->method == DECK_CANCEL_POWEROFF && c->ctx.dry_run
                           ? "; wait for it to stop; xl destroy if it still runs" : "");
  if (c->ctx.dry_run)
    {
      next_target (task);
      return;
    }
  if (c->xl == NULL)
    c->xl = deck_xl_new (host);
  deck_xl_control_async (c->xl, t->name, op, state_file, DECK_XL_CONTROL_NONE, g_task_get_cancellable (task),
                         op == DECK_DOMAIN_OP_SHUTDOWN ? xl_shutdown_sent : xl_done, task);
}

/* --- connecting the hypervisor, propagating to the guest --------------------------------------- */

static void
lv_connected (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  GTask *task = data;
  Cancel *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!deck_libvirt_connect_finish (DECK_LIBVIRT (source), res, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  hypervisor_step (task, c->targets->pdata[c->index - 1], DECK_LIBVIRT (source));
}

static void
run_hypervisor_step (GTask *task)
{
  Cancel *c = g_task_get_task_data (task);
  Target *t = c->targets->pdata[c->index - 1];
  DeckLibvirt *lv;

  if (t->uri == NULL)
    {
      if (c->req->method == DECK_CANCEL_INIT)
        next_target (task);   /* a guest function only */
      else
        xl_step (task, t);
      return;
    }
  if (c->ctx.dry_run)
    {
      hypervisor_step (task, t, NULL);
      return;
    }
  if ((lv = g_hash_table_lookup (c->conns, t->uri)) != NULL)
    {
      hypervisor_step (task, t, lv);
      return;
    }
  lv = deck_libvirt_new (t->uri, c->host_name);
  g_hash_table_insert (c->conns, g_strdup (t->uri), lv);
  deck_libvirt_connect_async (lv, 0, g_task_get_cancellable (task), lv_connected, task);
}

static void
guest_cancelled (GObject      *source,
                 GAsyncResult *res,
                 gpointer      data)
{
  GTask *task = data;
  Cancel *c = g_task_get_task_data (task);
  Target *t = c->targets->pdata[c->index - 1];
  g_autoptr(GError) error = NULL;

  if (!deck_cancel_finish (DECK_HOST (source), res, &error)
      && !g_error_matches (error, DECK_ERROR, DECK_ERROR_NOT_FOUND))
    report (c, "inside %s (%s): %s; going on with the hypervisor", t->name, t->guest, error->message);
  g_clear_object (&c->guest_host);
  run_hypervisor_step (task);
}

static void
guest_init_done (GObject      *source,
                 GAsyncResult *res,
                 gpointer      data)
{
  GTask *task = data;
  Cancel *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!deck_host_run_finish (DECK_HOST (source), res, NULL, NULL, NULL, &error))
    g_string_append_printf (c->problems, "%s%s", c->problems->len ? "; " : "", error->message);
  g_clear_object (&c->guest_host);
  next_target (task);
}

static void
guest_connected (GObject      *source,
                 GAsyncResult *res,
                 gpointer      data)
{
  GTask *task = data;
  Cancel *c = g_task_get_task_data (task);
  Target *t = c->targets->pdata[c->index - 1];
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckCancelRequest) all = NULL;

  if (!deck_host_connect_finish (DECK_HOST (source), res, &error))
    {
      report (c, "guest %s of %s does not answer (%s): hypervisor fallback", t->guest, t->name,
              error->message);
      g_clear_object (&c->guest_host);
      if (c->req->method == DECK_CANCEL_INIT)
        {
          report (c, "INIT:%s needs the guest; nothing done for %s", c->req->init_level, t->name);
          next_target (task);
        }
      else
        run_hypervisor_step (task);
      return;
    }
  if (c->req->method == DECK_CANCEL_INIT)
    {
      report (c, "init %s inside %s (host %s)", c->req->init_level, t->name, t->guest);
      deck_host_run_async (c->guest_host, (const char *[]) { "init", c->req->init_level, NULL }, NULL, 30,
                           g_task_get_cancellable (task), guest_init_done, task);
      return;
    }
  all = deck_cancel_request_copy (c->req);
  g_clear_object (&all->address);
  all->address = deck_address_parse ("ALL", NULL);
  all->self = FALSE;
  report (c, "first CANCEL=ALL,%s inside %s (host %s)", method_name (c->req), t->name, t->guest);
  cancel_internal (c->guest_host, all, &c->ctx, c->visited, c->depth + 1, g_task_get_cancellable (task),
                   guest_cancelled, task);
}

/* Propagation applies to the methods that stop or restart the guest's OS. */
static gboolean
propagates (Cancel *c)
{
  return !c->req->force && (c->req->method == DECK_CANCEL_POWEROFF || c->req->method == DECK_CANCEL_REBOOT
                            || c->req->method == DECK_CANCEL_RESET || c->req->method == DECK_CANCEL_INIT);
}

static void report_line (DeckCancelReport report_fn, gpointer data, const char *host, gboolean dry_run,
                         const char *fmt, ...) G_GNUC_PRINTF (5, 6);

static void
report_line (DeckCancelReport  report_fn,
             gpointer          data,
             const char       *host,
             gboolean          dry_run,
             const char       *fmt,
             ...)
{
  va_list ap;

  va_start (ap, fmt);
  deck_cancel_report_valist (report_fn, data, host, dry_run, fmt, ap);
  va_end (ap);
}

char *
deck_cancel_end_clients (const char       *label,
                         gboolean          dry_run,
                         DeckCancelReport  report_fn,
                         gpointer          report_data,
                         const char       *host)
{
  g_autoptr(GPtrArray) clients = deck_sessions_clients (label);
  g_autoptr(GString) failed = g_string_new (NULL);

  for (guint i = 0; i < clients->len; i++)
    {
      char **f = clients->pdata[i];
      g_autoptr(GError) error = NULL;

      report_line (report_fn, report_data, host, dry_run, "end the %s client of %s (pid %s)",
                   f[DECK_LIST_TYPE - 1], label, f[DECK_LIST_PID - 1]);
      if (!dry_run && !deck_sessions_end (f, &error))
        g_string_append_printf (failed, "%s%s", failed->len ? "; " : "", error->message);
    }
  return failed->len ? g_string_free (g_steal_pointer (&failed), FALSE) : NULL;
}

/* CLIENT / BOTH (spec §5.2.3): the client processes of the session are ended. */
static void
kill_clients (Cancel *c,
              Target *t)
{
  g_autofree char *failed = deck_cancel_end_clients (t->name, c->ctx.dry_run, c->ctx.report,
                                                     c->ctx.report_data, c->host_name);

  if (failed)
    g_string_append_printf (c->problems, "%s%s", c->problems->len ? "; " : "", failed);
}

static void
next_target (GTask *task)
{
  Cancel *c = g_task_get_task_data (task);
  Target *t;
  g_autoptr(GError) error = NULL;

  if (c->index >= c->targets->len)
    {
      finish (task);
      return;
    }
  t = c->targets->pdata[c->index++];
  if (c->req->parts == DECK_CANCEL_CLIENT || c->req->parts == DECK_CANCEL_BOTH)
    kill_clients (c, t);
  if (c->req->parts == DECK_CANCEL_CLIENT)
    {
      next_target (task);   /* the session itself keeps running */
      return;
    }
  if (propagates (c) && t->guest && c->depth < MAX_STACK_DEPTH
      && !g_hash_table_contains (c->visited, t->guest))
    {
      if (c->ctx.dry_run)
        {
          report (c, "first CANCEL=ALL,%s on %s (the host inside %s), if it answers",
                  method_name (c->req), t->guest, t->name);
          run_hypervisor_step (task);
          return;
        }
      c->guest_host = deck_host_new (t->guest, NULL, &error);
      if (c->guest_host == NULL)
        {
          report (c, "guest name '%s' of %s is no host name (%s): hypervisor fallback", t->guest, t->name,
                  error->message);
          run_hypervisor_step (task);
          return;
        }
      deck_ssh_command_set_batch_mode (deck_host_get_ssh (c->guest_host), TRUE);
      deck_ssh_master_set_connect_timeout (deck_host_get_master (c->guest_host), GUEST_CONNECT_TIMEOUT);
      deck_host_connect_async (c->guest_host, g_task_get_cancellable (task), guest_connected, task);
      return;
    }
  if (c->req->method == DECK_CANCEL_INIT)
    {
      report (c, "INIT:%s %s; nothing done for %s",
              c->req->init_level, c->req->force ? "is a guest function and FORCE skips the guest"
                                                : "needs a guest host known to the inventory", t->name);
      next_target (task);
      return;
    }
  run_hypervisor_step (task);
}

static void
self_done (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  GTask *task = data;

  /* the host going away under us is the expected end */
  deck_host_run_finish (DECK_HOST (source), res, NULL, NULL, NULL, NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
finish (GTask *task)
{
  Cancel *c = g_task_get_task_data (task);
  DeckHost *host = g_task_get_source_object (task);

  if (c->problems->len)
    {
      g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_FAILED, "%s", c->problems->str);
      g_object_unref (task);
      return;
    }
  if (c->req->self)
    {
      const char *argv[] = { c->req->method == DECK_CANCEL_REBOOT || c->req->method == DECK_CANCEL_RESET
                             ? "reboot" : "poweroff", NULL };

      report (c, "%s (SELF)", argv[0]);
      if (!c->ctx.dry_run)
        {
          deck_host_run_async (host, argv, NULL, 30, g_task_get_cancellable (task), self_done, task);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
cancel_internal (DeckHost                *host,
                 const DeckCancelRequest *request,
                 const DeckCancelContext *context,
                 GHashTable              *visited,
                 guint                    depth,
                 GCancellable            *cancellable,
                 GAsyncReadyCallback      callback,
                 gpointer                 user_data)
{
  GTask *task = g_task_new (host, cancellable, callback, user_data);
  Cancel *c = g_new0 (Cancel, 1);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, deck_cancel_async);
  c->req = deck_cancel_request_copy (request);
  c->ctx = *context;
  if (c->ctx.inventory)
    g_ptr_array_ref (c->ctx.inventory);
  c->visited = g_hash_table_ref (visited);
  c->depth = depth;
  c->host_name = g_strdup (deck_host_is_local (host) ? deck_host_get_name (host)
                                                     : deck_ssh_command_get_host (deck_host_get_ssh (host)));
  c->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  c->conns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  c->problems = g_string_new (NULL);
  g_task_set_task_data (task, c, (GDestroyNotify) cancel_free);
  g_hash_table_add (c->visited, g_strdup (c->host_name));

  if (c->ctx.dry_run)
    {
      if (!select_from_inventory (task, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      next_target (task);
      return;
    }
  deck_list_host_async (host, c->ctx.inventory, cancellable, listed, task);
}

void
deck_cancel_async (DeckHost                *host,
                   const DeckCancelRequest *request,
                   const DeckCancelContext *context,
                   GCancellable            *cancellable,
                   GAsyncReadyCallback      callback,
                   gpointer                 user_data)
{
  g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  cancel_internal (host, request, context, visited, 0, cancellable, callback, user_data);
}

gboolean
deck_cancel_finish (DeckHost     *host,
                    GAsyncResult *result,
                    GError      **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
