/* deck-window-actions.c: the actions on the selected machines (win.start, ...)
 *
 * Every action is the core's: Start, Resume and Restore are CREATE (deck-create.h),
 * Shut down, Force off, Reboot, Reset, Pause and Suspend are CANCEL (deck-cancel.h),
 * each on the host that registered the machine, asynchronously. While one runs, its row
 * shows a spinner, the header bar a spinner and the step the core reports; a failure
 * shows in the info bar with the core's message and what the user can do. Shut down,
 * Force off and Reset ask first. Each action applies to every selected machine it fits
 * (bulk start and stop); the actions that fit none are disabled.
 *
 * Machines are addressed by label and UUID (CANCEL: among the host's running domains)
 * and, for CREATE, also by config path (i:), resolved in the window's inventory only
 * (-c LOCAL,ONLY): the row came from there. The address is built part by part, never
 * from text, so a label with ',' or ':' cannot change it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "deck-cancel.h"
#include "deck-create.h"
#include "deck-error.h"
#include "deck-paths.h"
#include "deck-serial-tab.h"
#include "deck-vnc-tab.h"
#include "deck-window-private.h"

typedef enum {
  OP_START,
  OP_SHUTDOWN,
  OP_FORCE_OFF,
  OP_REBOOT,
  OP_RESET,
  OP_PAUSE,
  OP_RESUME,
  OP_SUSPEND,
  OP_RESTORE,
  N_OPS
} Op;

#define S(state) (1u << DECK_DOMAIN_STATE_##state)
#define RUNNING_STATES (S (RUNNING) | S (BLOCKED))

static const struct {
  const char *action;
  gboolean    create;       /* CREATE, else CANCEL */
  const char *suboptions;   /* the method (after a placeholder address) */
  guint       states;       /* states it fits */
  gboolean    confirm;
  const char *progress;     /* "Starting %s…" */
  const char *failure;      /* "Cannot start %s" */
} ops[N_OPS] = {
  [OP_START]     = { "start", TRUE, "", S (SHUTOFF) | S (UNKNOWN) | S (CRASHED), FALSE,
                     N_("Starting %s…"), N_("Cannot start %s") },
  [OP_SHUTDOWN]  = { "shutdown", FALSE, "POWEROFF", RUNNING_STATES | S (PAUSED), TRUE,
                     N_("Shutting down %s…"), N_("Cannot shut down %s") },
  [OP_FORCE_OFF] = { "force-off", FALSE, "POWEROFF:0,FORCE", RUNNING_STATES | S (PAUSED) | S (SHUTDOWN) | S (CRASHED),
                     TRUE, N_("Switching off %s…"), N_("Cannot force off %s") },
  [OP_REBOOT]    = { "reboot", FALSE, "REBOOT", RUNNING_STATES, FALSE,
                     N_("Rebooting %s…"), N_("Cannot reboot %s") },
  [OP_RESET]     = { "reset", FALSE, "RESET", RUNNING_STATES | S (PAUSED), TRUE,
                     N_("Resetting %s…"), N_("Cannot reset %s") },
  /* S3: a real pause (spec REC; ctys refuses the word PAUSE) */
  [OP_PAUSE]     = { "pause", FALSE, "S3", RUNNING_STATES, FALSE,
                     N_("Pausing %s…"), N_("Cannot pause %s") },
  [OP_RESUME]    = { "resume", TRUE, "RESUME", S (PAUSED), FALSE,
                     N_("Resuming %s…"), N_("Cannot resume %s") },
  [OP_SUSPEND]   = { "suspend", FALSE, "SUSPEND", RUNNING_STATES | S (PAUSED), FALSE,
                     N_("Suspending %s to disk…"), N_("Cannot suspend %s") },
  [OP_RESTORE]   = { "restore", TRUE, "RESUME", S (SHUTOFF) | S (UNKNOWN) | S (SUSPENDED), FALSE,
                     N_("Restoring %s…"), N_("Cannot restore %s") },
};


/* @fmt: one of the (translated) constant messages above, each with exactly one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static char *
format_name (const char *fmt,
             const char *name)
{
  return g_strdup_printf (fmt, name);
}
#pragma GCC diagnostic pop

#define CONSOLE_STATES (RUNNING_STATES | S (PAUSED))

static gboolean
fits (DeckMachineItem *item,
      guint            states)
{
  return !deck_machine_item_get_busy (item) && (states & (1u << deck_machine_item_get_state (item))) != 0;
}

/* --- errors -------------------------------------------------------------------------------- */

/* What the user can do about @error. */
static const char *
hint_for (const GError *error)
{
  if (error->domain == DECK_ERROR)
    switch (error->code)
      {
      case DECK_ERROR_HOST_UNREACHABLE:
        return _("Check that the host is up and answers over SSH (and its libvirt daemon runs), then try again.");
      case DECK_ERROR_HOST_KEY:
        return _("The host's SSH key is not the one known: check the host, then update ~/.ssh/known_hosts.");
      case DECK_ERROR_PERMISSION:
        return _("Check your SSH key and your rights on the host (libvirt access, -Z KSU/SUDO in the host list).");
      case DECK_ERROR_NOT_FOUND:
        return _("The inventory may be out of date: rescan the host with ctys-vdbgen and reload (F5).");
      case DECK_ERROR_AMBIGUOUS:
        return _("The inventory holds several machines of that name on the host: rescan it or remove the duplicate.");
      case DECK_ERROR_UNSUPPORTED:
        return _("This host or backend cannot do that yet.");
      default:
        break;
      }
  return _("The machine may be in another state than shown: the row updates by itself; try again once it has.");
}

/* Shows @text in the info bar as a message of @type. */
static void
reveal_info_bar (DeckWindow     *self,
                 GtkMessageType  type,
                 const char     *text)
{
  gtk_label_set_text (self->info_label, text);
  gtk_info_bar_set_message_type (self->info_bar, type);
  gtk_info_bar_set_revealed (self->info_bar, TRUE);
}

void
deck_window_show_error (DeckWindow   *self,
                        const char   *what,
                        const GError *error)
{
  g_autofree char *text = NULL;

  g_return_if_fail (DECK_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  text = g_strdup_printf ("%s: %s\n%s", what, error->message, hint_for (error));
  g_message ("%s: %s", what, error->message);
  reveal_info_bar (self, GTK_MESSAGE_ERROR, text);
}

void
deck_window_show_info (DeckWindow     *self,
                       GtkMessageType  type,
                       const char     *text)
{
  g_return_if_fail (DECK_IS_WINDOW (self));

  g_message ("%s", text);
  reveal_info_bar (self, type, text);
}

void
deck_window_on_info_bar_response (DeckWindow *self,
                                  int         response,
                                  GtkInfoBar *info_bar)
{
  gtk_info_bar_set_revealed (info_bar, FALSE);
}

/* --- progress ------------------------------------------------------------------------------ */

static gboolean
on_pulse (gpointer data)
{
  DeckWindow *self = data;

  self->pulse++;
  for (guint i = 0; i < self->busy_items->len; i++)
    deck_window_row_changed (self, self->busy_items->pdata[i]);
  return G_SOURCE_CONTINUE;
}

void
deck_window_set_busy (DeckWindow      *self,
          DeckMachineItem *item,
          gboolean         busy)
{
  deck_machine_item_set_busy (item, busy);
  if (busy)
    {
      self->busy++;
      g_ptr_array_add (self->busy_items, g_object_ref (item));
    }
  else
    {
      self->busy--;
      g_ptr_array_remove (self->busy_items, item);
    }
  deck_window_row_changed (self, item);
  if (self->busy > 0)
    {
      gtk_spinner_start (self->header_spinner);
      if (self->pulse_source == 0)
        self->pulse_source = g_timeout_add (100, on_pulse, self);
    }
  else
    {
      gtk_spinner_stop (self->header_spinner);
      g_clear_handle_id (&self->pulse_source, g_source_remove);
      gtk_header_bar_set_subtitle (self->header_bar, NULL);
    }
}

/* --- running an action --------------------------------------------------------------------- */

/* The window is not referenced: it cancels in dispose, and the callback checks the
 * cancellable (owned here) before it touches the window. */
typedef struct {
  DeckWindow      *self;
  GCancellable    *cancellable;
  DeckMachineItem *item;
  DeckHost        *host;
  Op               op;
  DeckMachineItem *then;   /* started once the op succeeded (stop here, start there) */
} ActionCall;

static void
action_call_free (ActionCall *c)
{
  g_object_unref (c->cancellable);
  g_object_unref (c->item);
  g_object_unref (c->host);
  g_clear_object (&c->then);
  g_free (c);
}

static void
report (const char *line,
        gpointer    data)
{
  ActionCall *c = data;

  if (!g_cancellable_is_cancelled (c->cancellable))
    gtk_header_bar_set_subtitle (c->self->header_bar, line);
}

static void
add_part (DeckAddress *address,
          const char  *key,
          const char  *value)
{
  char *items[] = { (char *) value, NULL };
  DeckSuboption opt = { (char *) key, (char *) key, (char *) value, items };
  g_autoptr(GError) error = NULL;

  if (*value != '\0' && !deck_address_take_suboption (address, &opt, &error))
    g_warning ("address part %s:%s: %s", key, value, error ? error->message : "not an address key");
}

static DeckAddress *
address_of (DeckMachineItem *item,
            gboolean         with_path)
{
  DeckRecord *rec = deck_machine_item_get_record (item);
  DeckAddress *address = deck_address_new ();
  const char *id = deck_record_get (rec, DECK_FIELD_ID);

  add_part (address, "L", deck_record_get (rec, DECK_FIELD_LABEL));
  add_part (address, "U", deck_record_get (rec, DECK_FIELD_UUID));
  if (with_path && g_path_is_absolute (id))
    add_part (address, "I", id);
  return address;
}

/* CANCEL SUSPEND's default state file: <config dir>/<label>.stat (deck-cancel.h). */
static char *
state_file_of (DeckMachineItem *item)
{
  DeckRecord *rec = deck_machine_item_get_record (item);

  /* the default of CANCEL SUSPEND: <config dir>/<label>.stat */
  return deck_state_file_path (NULL, deck_record_get (rec, DECK_FIELD_ID), deck_record_get (rec, DECK_FIELD_LABEL));
}

static void run_op (DeckWindow *self, DeckMachineItem *item, Op op);
static void run_op_then (DeckWindow *self, DeckMachineItem *item, Op op, DeckMachineItem *then);

static void
action_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  ActionCall *c = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (ops[c->op].create)
    {
      g_auto(GStrv) console = NULL;
      gboolean detach = FALSE;

      ok = deck_create_finish (DECK_HOST (source), result, &console, &detach, &error);
    }
  else
    ok = deck_cancel_finish (DECK_HOST (source), result, &error);

  if (!g_cancellable_is_cancelled (c->cancellable))
    {
      DeckWindow *self = c->self;

      deck_window_set_busy (self, c->item, FALSE);
      if (!ok)
        {
          g_autofree char *what = format_name (_(ops[c->op].failure), deck_machine_item_get_label (c->item));

          deck_window_show_error (self, what, error);
        }
      /* the lifecycle event normally did it already */
      deck_window_live_refresh (self, c->item);
      if (ok && c->then != NULL)
        {
          /* CANCEL returned once the machine was off: the state here may lag the event */
          deck_machine_item_set_state (c->item, DECK_DOMAIN_STATE_SHUTOFF);
          run_op (self, c->then, OP_START);
        }
      deck_window_actions_update (self);
    }
  action_call_free (c);
}

static void
run_op (DeckWindow      *self,
        DeckMachineItem *item,
        Op               op)
{
  run_op_then (self, item, op, NULL);
}

static void
run_op_then (DeckWindow      *self,
             DeckMachineItem *item,
             Op               op,
             DeckMachineItem *then)
{
  g_autofree char *text = g_strconcat ("l:x", *ops[op].suboptions ? "," : "", ops[op].suboptions, NULL);
  g_autofree char *progress = format_name (_(ops[op].progress), deck_machine_item_get_label (item));
  g_autofree char *what = format_name (_(ops[op].failure), deck_machine_item_get_label (item));
  g_autoptr(DeckCreateRequest) create = NULL;
  g_autoptr(DeckCancelRequest) cancel = NULL;
  g_autoptr(GError) error = NULL;
  DeckHost *host = deck_window_host_for (self, deck_machine_item_get_host_name (item));
  ActionCall *c;

  /* the request: the method from constant text, the address part by part */
  if (ops[op].create)
    create = deck_create_request_parse (text, &error);
  else
    cancel = deck_cancel_request_parse (text, &error);
  if (error == NULL && host == NULL)
    g_set_error (&error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE, _("“%s” is not a host vmdeck can reach"),
                 deck_machine_item_get_host_name (item));
  if (error != NULL)
    {
      deck_window_show_error (self, what, error);
      return;
    }

  c = g_new0 (ActionCall, 1);
  c->self = self;
  c->cancellable = g_object_ref (self->cancellable);
  c->item = g_object_ref (item);
  c->host = g_object_ref (host);
  c->op = op;
  c->then = then ? g_object_ref (then) : NULL;
  deck_window_set_busy (self, item, TRUE);
  gtk_header_bar_set_subtitle (self->header_bar, progress);

  if (create != NULL)
    {
      g_auto(GStrv) dirs = deck_window_dup_inventory_dirs (self);
      DeckCreateContext ctx = { 0 };

      g_object_unref (create->address);
      create->address = address_of (item, TRUE);
      if (op == OP_RESTORE)
        create->statefile = state_file_of (item);
      ctx.resolve.mode = DECK_CACHE_LOCAL;
      ctx.resolve.cache_only = TRUE;
      ctx.resolve.db_dirs = dirs;
      ctx.report = report;
      ctx.report_data = c;
      deck_create_async (host, create, &ctx, self->cancellable, action_done, c);
    }
  else
    {
      DeckCancelContext ctx = { 0 };

      g_object_unref (cancel->address);
      cancel->address = address_of (item, FALSE);
      ctx.inventory = self->records;
      ctx.report = report;
      ctx.report_data = c;
      deck_cancel_async (host, cancel, &ctx, self->cancellable, action_done, c);
    }
}

void
deck_window_start_item (DeckWindow      *self,
                        DeckMachineItem *item)
{
  g_return_if_fail (DECK_IS_WINDOW (self));

  if (fits (item, ops[OP_START].states))
    run_op (self, item, OP_START);
}

void
deck_window_stop_then_start (DeckWindow      *self,
                             DeckMachineItem *item,
                             DeckMachineItem *then)
{
  g_return_if_fail (DECK_IS_WINDOW (self));

  if (fits (item, ops[OP_SHUTDOWN].states))
    run_op_then (self, item, OP_SHUTDOWN, then);
}

/* --- confirmation -------------------------------------------------------------------------- */

static void
on_confirm_response (GtkDialog *dialog,
                     int        response,
                     gpointer   data)
{
  DeckWindow *self = data;
  GPtrArray *items = g_object_get_data (G_OBJECT (dialog), "deck-items");
  Op op = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "deck-op"));

  if (response == GTK_RESPONSE_ACCEPT)
    for (guint i = 0; i < items->len; i++)
      if (fits (items->pdata[i], ops[op].states))
        run_op (self, items->pdata[i], op);
  self->pending_dialog = NULL;
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
confirm (DeckWindow *self,
         GPtrArray  *items,
         Op          op)
{
  g_autofree char *names = NULL;
  const char *title, *detail, *button;
  GtkWidget *dialog, *accept;
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", deck_machine_item_get_label (items->pdata[i]));
  names = g_string_free (s, FALSE);
  switch (op)
    {
    case OP_SHUTDOWN:
      title = g_dngettext (NULL, "Shut down %s?", "Shut down %s?", items->len);
      detail = _("The guest's operating system is asked to power off (and what runs inside it first). "
                 "If it is still running after 20 seconds, it is switched off.");
      button = _("_Shut Down");
      break;
    case OP_FORCE_OFF:
      title = g_dngettext (NULL, "Force off %s?", "Force off %s?", items->len);
      detail = _("The machine is switched off at once, like pulling the plug: "
                 "whatever it has not written to disk is lost.");
      button = _("_Force Off");
      break;
    case OP_RESET:
    default:
      title = g_dngettext (NULL, "Reset %s?", "Reset %s?", items->len);
      detail = _("The machine restarts at once, like pressing its reset button: "
                 "whatever it has not written to disk is lost.");
      button = _("_Reset");
      break;
    }
  {
    g_autofree char *primary = format_name (title, names);

    dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                     GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", primary);
  }
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", detail);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  accept = gtk_dialog_add_button (GTK_DIALOG (dialog), button, GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (accept), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  atk_object_set_name (gtk_widget_get_accessible (dialog), _("Confirm machine action"));
  g_object_set_data_full (G_OBJECT (dialog), "deck-items", g_ptr_array_ref (items), (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data (G_OBJECT (dialog), "deck-op", GINT_TO_POINTER (op));
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), self);
  if (self->pending_dialog != NULL)
    gtk_widget_destroy (self->pending_dialog);
  self->pending_dialog = dialog;
  gtk_widget_show (dialog);
}

/* --- the actions --------------------------------------------------------------------------- */

static GPtrArray *
fitting (DeckWindow *self,
         guint       states)
{
  g_autoptr(GPtrArray) selected = deck_window_selected_items (self);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < selected->len; i++)
    if (fits (selected->pdata[i], states))
      g_ptr_array_add (items, g_object_ref (selected->pdata[i]));
  return items;
}

static void
activate_op (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  DeckWindow *self = data;
  const char *name = g_action_get_name (G_ACTION (action));
  g_autoptr(GPtrArray) items = NULL;
  Op op = 0;

  while (op < N_OPS && !g_str_equal (ops[op].action, name))
    op++;
  g_assert (op < N_OPS);
  items = fitting (self, ops[op].states);
  if (items->len == 0)
    return;
  if (ops[op].confirm)
    confirm (self, items, op);
  else
    for (guint i = 0; i < items->len; i++)
      run_op (self, items->pdata[i], op);
}

static void
open_console (DeckWindow *self,
              gboolean    serial)
{
  g_autoptr(GPtrArray) items = fitting (self, CONSOLE_STATES);

  for (guint i = 0; i < items->len; i++)
    {
      DeckMachineItem *item = items->pdata[i];
      const char *host_name = deck_machine_item_get_host_name (item);
      DeckLibvirt *lv = deck_window_live_connection (self, host_name);
      DeckHost *host = deck_window_host_for (self, host_name);
      const char *label = deck_machine_item_get_label (item);
      GtkWidget *tab;
      DeckXl *xl;

      if (host == NULL)
        {
          g_autoptr(GError) error = g_error_new (DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                                                 _("“%s” is not a host vmdeck can reach"), host_name);
          g_autofree char *what = g_strdup_printf (_("Cannot open a console on %s"), label);

          deck_window_show_error (self, what, error);
          continue;
        }
      if (lv != NULL)
        {
          /* the host's libvirt daemon (also libvirt's libxl driver on a Xen host) */
          if (deck_host_is_local (host))
            host = NULL;
          tab = serial ? GTK_WIDGET (deck_serial_tab_new (lv, label, host))
                       : GTK_WIDGET (deck_vnc_tab_new (lv, label, host));
        }
      else
        {
          /* a host of the xl backend (no libvirt connection: see deck-window-live.c) */
          xl = deck_window_live_xl (self, host_name);
          tab = serial ? GTK_WIDGET (deck_serial_tab_new_xl (xl, label))
                       : GTK_WIDGET (deck_vnc_tab_new_xl (xl, label));
        }
      deck_window_add_console (self, tab);
    }
}

static void
activate_open_vnc (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  open_console (DECK_WINDOW (data), FALSE);
}

static void
activate_open_serial (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       data)
{
  open_console (DECK_WINDOW (data), TRUE);
}

static void
activate_filter (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       data)
{
  DeckWindow *self = data;

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

static void
activate_reload (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       data)
{
  deck_window_reload (DECK_WINDOW (data));
}

static const GActionEntry win_actions[] = {
  { "start", activate_op },
  { "shutdown", activate_op },
  { "force-off", activate_op },
  { "reboot", activate_op },
  { "reset", activate_op },
  { "pause", activate_op },
  { "resume", activate_op },
  { "suspend", activate_op },
  { "restore", activate_op },
  { "open-vnc", activate_open_vnc },
  { "open-serial", activate_open_serial },
  { "filter", activate_filter },
  { "reload", activate_reload },
};

void
deck_window_actions_update (DeckWindow *self)
{
  g_autoptr(GPtrArray) selected = NULL;

  g_return_if_fail (DECK_IS_WINDOW (self));

  if (self->inventory_view == NULL)
    return;   /* disposed */
  selected = deck_window_selected_items (self);
  for (Op op = 0; op < N_OPS; op++)
    {
      gboolean any = FALSE;

      for (guint i = 0; i < selected->len && !any; i++)
        any = fits (selected->pdata[i], ops[op].states);
      deck_window_set_action_enabled (self, ops[op].action, any);
    }
  {
    gboolean any = FALSE;

    for (guint i = 0; i < selected->len && !any; i++)
      any = fits (selected->pdata[i], CONSOLE_STATES);
    deck_window_set_action_enabled (self, "open-vnc", any);
    deck_window_set_action_enabled (self, "open-serial", any);
  }
}

void
deck_window_actions_init (DeckWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  deck_window_actions_update (self);
}

void
deck_window_popup_menu (DeckWindow     *self,
                        const GdkEvent *event)
{
  g_autoptr(GPtrArray) selected = deck_window_selected_items (self);

  if (selected->len == 0)
    {
      if (deck_window_selected_host (self) != NULL)
        deck_window_popup_host_menu (self, event);
      return;
    }
  if (self->context_menu == NULL)
    {
      self->context_menu = gtk_menu_new_from_model (self->machine_menu);
      gtk_menu_attach_to_widget (GTK_MENU (self->context_menu), GTK_WIDGET (self->inventory_view), NULL);
    }
  if (event != NULL && gdk_event_get_event_type (event) == GDK_BUTTON_PRESS)
    gtk_menu_popup_at_pointer (GTK_MENU (self->context_menu), event);
  else
    /* from the keyboard (Menu, Shift+F10): GTK's current event is the key press */
    gtk_menu_popup_at_widget (GTK_MENU (self->context_menu), GTK_WIDGET (self->inventory_view),
                              GDK_GRAVITY_CENTER, GDK_GRAVITY_NORTH_WEST, event);
}
