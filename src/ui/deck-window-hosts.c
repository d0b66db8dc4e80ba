/* deck-window-hosts.c: the window's hosts (add, edit, remove) and the inventory rescan
 *
 * Hosts are the shared host list (deck-host-list.h: the ctys group "vmdeck"), edited
 * through DeckHostDialog and saved at once; the tree is rebuilt and the new or changed
 * host connected. A host that is down stays greyed with its reason and is retried in
 * the background (deck-window-live.c).
 *
 * Rescan is ctys-vdbgen --replace of the host list into the window's inventory
 * directory: one DeckScanJob (deck-scan-job.h, the code ctys-vdbgen runs) per host, the
 * local host first, at most RESCAN_PARALLEL at once; per host the options of its line (-a enumerate=b:...
 * names the directories, as for ctys-vdbgen). The progress bar counts the hosts done;
 * Cancel stops the scans and writes nothing. The database is written atomically
 * (deck_inventory_write); a host that failed keeps its earlier records and is named in
 * the info bar; then the inventory is reloaded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "deck-error.h"
#include "deck-host-dialog.h"
#include "deck-inventory.h"
#include "deck-scan-job.h"
#include "deck-window-private.h"

/* Hosts scanned at once (each is one ssh command; the local scan is a thread). */
#define RESCAN_PARALLEL 8

/* --- the selected host --------------------------------------------------------------------- */

DeckMachineItem *
deck_window_selected_host (DeckWindow *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->inventory_view);
  GtkTreeModel *model;
  GList *rows = gtk_tree_selection_get_selected_rows (selection, &model);
  DeckMachineItem *found = NULL;

  for (GList *l = rows; l != NULL && found == NULL; l = l->next)
    {
      DeckMachineItem *item = deck_window_item_at_path (self, l->data);

      if (item != NULL && deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_HOST)
        found = item;
    }
  g_list_free_full (rows, (GDestroyNotify) gtk_tree_path_free);
  return found;
}

/* The list's entry for a host row: a remote host, or the "localhost(...)" line that gives
 * the local host its options; NULL for the plain local host (nothing to edit). */
static DeckHost *
listed_host (DeckWindow      *self,
             DeckMachineItem *item)
{
  DeckHost *host;

  if (item == NULL)
    return NULL;
  host = deck_window_host_for (self, deck_machine_item_get_host_name (item));
  if (host == NULL || deck_host_list_get_target (self->host_list, host) == NULL)
    return NULL;
  return host;
}

void
deck_window_hosts_update (DeckWindow *self)
{
  gboolean editable;

  if (self->inventory_view == NULL)
    return;   /* disposed */
  editable = listed_host (self, deck_window_selected_host (self)) != NULL;
  deck_window_set_action_enabled (self, "edit-host", editable && self->host_dialog == NULL);
  deck_window_set_action_enabled (self, "remove-host", editable);
  deck_window_set_action_enabled (self, "add-host", self->host_dialog == NULL);
  deck_window_set_action_enabled (self, "rescan", self->rescan_cancellable == NULL);
  deck_window_set_action_enabled (self, "cancel-rescan", self->rescan_cancellable != NULL);
}

/* --- after a change of the list ------------------------------------------------------------ */

static gboolean
save_list (DeckWindow *self,
           GError    **error)
{
  if (!deck_host_list_save (self->host_list, error))
    {
      /* the file is what counts: show what it holds */
      g_autoptr(GError) reload_error = NULL;

      if (!deck_host_list_load (self->host_list, &reload_error))
        g_warning ("%s", reload_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
list_changed (DeckWindow *self,
              const char *name)
{
  if (name != NULL)
    deck_window_live_forget (self, name);
  deck_window_reload (self);
}

/* --- the dialog ------------------------------------------------------------------------------ */

static void
on_host_dialog_response (DeckHostDialog *dialog,
                         int             response,
                         DeckWindow     *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckTarget) target = NULL;
  g_autofree char *old_name = NULL;
  DeckHost *host;

  if (response != GTK_RESPONSE_OK)
    goto close;
  if ((target = deck_host_dialog_dup_target (dialog, &error)) == NULL)
    {
      deck_host_dialog_set_error (dialog, error->message);
      return;
    }
  if (self->editing_host != NULL)
    {
      DeckHost *replacement;

      /* the connection is keyed by the tree's name: the local host's is the node name */
      old_name = g_strdup (deck_host_get_name (self->editing_host));
      if ((replacement = deck_host_list_replace (self->host_list, self->editing_host, target, &error)) != NULL)
        g_set_object (&self->editing_host, replacement);
    }
  else
    deck_host_list_add (self->host_list, target, &error);
  if (error == NULL && !save_list (self, &error))
    {
      /* the list is the file's again: what the dialog edits is the host of that name */
      if (self->editing_host != NULL)
        g_set_object (&self->editing_host, deck_host_list_find (self->host_list, old_name));
    }
  if (error != NULL)
    {
      deck_host_dialog_set_error (dialog, error->message);
      return;
    }
  host = deck_host_list_find (self->host_list, target->host);
  if (old_name != NULL)
    deck_window_live_forget (self, old_name);
  list_changed (self, host ? deck_host_get_name (host) : NULL);

close:
  self->host_dialog = NULL;
  g_clear_object (&self->editing_host);
  gtk_widget_destroy (GTK_WIDGET (dialog));
  deck_window_hosts_update (self);
}

static void
open_host_dialog (DeckWindow       *self,
                  const DeckTarget *target,
                  DeckHost         *host)
{
  DeckHostDialog *dialog;

  if (self->host_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->host_dialog));
      return;
    }
  dialog = deck_host_dialog_new (GTK_WINDOW (self), target);
  self->host_dialog = GTK_WIDGET (dialog);
  self->editing_host = host ? g_object_ref (host) : NULL;
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_host_dialog_response), self, 0);
  deck_window_hosts_update (self);
  gtk_widget_show (GTK_WIDGET (dialog));
}

static void
activate_add_host (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  open_host_dialog (DECK_WINDOW (data), NULL, NULL);
}

static void
activate_edit_host (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       data)
{
  DeckWindow *self = data;
  DeckHost *host = listed_host (self, deck_window_selected_host (self));

  if (host != NULL)
    open_host_dialog (self, deck_host_list_get_target (self->host_list, host), host);
}

static void
on_remove_response (GtkDialog  *dialog,
                    int         response,
                    DeckWindow *self)
{
  DeckHost *host = g_object_get_data (G_OBJECT (dialog), "deck-host");
  g_autofree char *name = g_strdup (deck_host_get_name (host));

  if (response == GTK_RESPONSE_ACCEPT && deck_host_list_remove (self->host_list, host))
    {
      g_autoptr(GError) error = NULL;

      if (!save_list (self, &error))
        deck_window_show_error (self, _("Cannot save the host list"), error);
      list_changed (self, name);
    }
  self->pending_dialog = NULL;
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
activate_remove_host (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       data)
{
  DeckWindow *self = data;
  DeckHost *host = listed_host (self, deck_window_selected_host (self));
  GtkWidget *dialog, *accept;

  if (host == NULL)
    return;
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Remove %s from the host list?"), deck_host_get_name (host));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("Its machines are not touched. They stay in the inventory until the next "
                                              "rescan, and the host can be added again at any time."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  accept = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Remove"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (accept), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  atk_object_set_name (gtk_widget_get_accessible (dialog), _("Confirm removing a host"));
  g_object_set_data_full (G_OBJECT (dialog), "deck-host", g_object_ref (host), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  if (self->pending_dialog != NULL)
    gtk_widget_destroy (self->pending_dialog);
  self->pending_dialog = dialog;
  gtk_widget_show (dialog);
}

/* --- rescan ------------------------------------------------------------------------------------- */

/* The targets a rescan scans: this machine (with the options of a "localhost(...)" line,
 * the last one winning as for the window's local host), then every other listed host. */
static GPtrArray *
rescan_targets (DeckWindow *self)
{
  GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_target_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->host_list));
  const DeckTarget *local = NULL;

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(DeckHost) host = g_list_model_get_item (G_LIST_MODEL (self->host_list), i);
      const DeckTarget *t = deck_host_list_get_target (self->host_list, host);

      if (deck_host_is_local (host))
        local = t;
      else
        g_ptr_array_add (targets, deck_target_copy (t));
    }
  g_ptr_array_insert (targets, 0, local ? deck_target_copy (local) : deck_target_new (NULL, "localhost", NULL));
  return targets;
}

static void
rescan_finished (DeckWindow *self)
{
  g_clear_object (&self->rescan_cancellable);
  g_clear_pointer (&self->rescan_jobs, g_ptr_array_unref);
  gtk_revealer_set_reveal_child (self->rescan_revealer, FALSE);
  deck_window_hosts_update (self);
}

static void
on_rescan_progress (DeckScanJob *job,
                    guint        done,
                    guint        total,
                    gpointer     data)
{
  DeckWindow *self = data;
  g_autofree char *text = NULL;

  /* Translators: "labh1 scanned (2 of 3 hosts)" */
  text = job->error ? g_strdup_printf (_("%s failed (%u of %u hosts)"), job->target->host, done, total)
                    : g_strdup_printf (_("%s scanned (%u of %u hosts)"), job->target->host, done, total);
  gtk_progress_bar_set_fraction (self->rescan_progress, (double) done / total);
  gtk_progress_bar_set_text (self->rescan_progress, text);
}

static void
rescanned (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GCancellable) cancellable = data;   /* the scan's */
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GString) failures = NULL;
  g_auto(GStrv) dirs = NULL;
  DeckWindow *self;
  GPtrArray *jobs;
  guint failed = 0;
  gboolean ok = deck_scan_run_finish (result, &failed, &error);

  /* NULL once the window is disposed (a user's Cancel keeps it) */
  if ((self = g_object_get_data (G_OBJECT (cancellable), "deck-window")) == NULL)
    return;
  jobs = self->rescan_jobs;
  if (!ok)
    {
      /* cancelled: nothing was written */
      gtk_label_set_text (self->status_label, _("Rescan cancelled; the inventory is as it was"));
      rescan_finished (self);
      return;
    }
  failures = g_string_new (NULL);
  for (guint i = 0; i < jobs->len; i++)
    {
      DeckScanJob *job = jobs->pdata[i];

      if (job->error != NULL)
        g_string_append_printf (failures, "%s%s", failures->len ? "\n" : "", job->error->message);
    }
  if (failed == jobs->len)
    {
      g_set_error (&error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                   _("no host could be scanned; the inventory is as it was\n%s"), failures->str);
      deck_window_show_error (self, _("Cannot rescan"), error);
      rescan_finished (self);
      return;
    }

  records = deck_scan_jobs_records (jobs);
  g_ptr_array_set_free_func (records, g_object_unref);
  for (guint i = 0; i < records->len; i++)
    g_object_ref (records->pdata[i]);
  dirs = deck_window_dup_inventory_dirs (self);
  if (failed > 0)
    deck_scan_keep_failed_hosts (dirs[0], jobs, records);
  if (!deck_inventory_write (dirs[0], records, DECK_INVENTORY_REPLACE, &error))
    deck_window_show_error (self, _("Cannot write the inventory"), error);
  else if (failed > 0)
    {
      g_set_error (&error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
                   _("%u of %u hosts could not be scanned; they keep their earlier machines\n%s"),
                   failed, jobs->len, failures->str);
      deck_window_show_error (self, _("Rescan incomplete"), error);
    }
  rescan_finished (self);
  deck_window_reload (self);
}

static void
start_rescan (DeckWindow *self)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  if (self->rescan_cancellable != NULL)
    return;
  targets = rescan_targets (self);
  if ((jobs = deck_scan_jobs_new (targets, NULL, NULL, &error)) == NULL)
    {
      deck_window_show_error (self, _("Cannot rescan"), error);
      return;
    }
  for (guint i = 0; i < jobs->len; i++)
    if (!deck_scan_job_apply_options (jobs->pdata[i], NULL, &error))
      {
        deck_window_show_error (self, _("Cannot rescan"), error);
        return;
      }

  self->rescan_cancellable = g_cancellable_new ();
  self->rescan_jobs = g_ptr_array_ref (jobs);
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "Scanning %u host…", "Scanning %u hosts…", jobs->len),
                                             jobs->len);

    gtk_progress_bar_set_fraction (self->rescan_progress, 0);
    gtk_progress_bar_set_text (self->rescan_progress, text);
  }
  gtk_revealer_set_reveal_child (self->rescan_revealer, TRUE);
  deck_window_hosts_update (self);
  /* the callback gets the window through the scan's cancellable, which dispose cancels */
  g_object_set_data (G_OBJECT (self->rescan_cancellable), "deck-window", self);
  deck_scan_run_async (jobs, RESCAN_PARALLEL, on_rescan_progress, self, self->rescan_cancellable,
                       rescanned, g_object_ref (self->rescan_cancellable));
}

static void
activate_rescan (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       data)
{
  start_rescan (DECK_WINDOW (data));
}

static void
activate_cancel_rescan (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       data)
{
  DeckWindow *self = data;

  if (self->rescan_cancellable != NULL)
    {
      gtk_progress_bar_set_text (self->rescan_progress, _("Cancelling…"));
      g_cancellable_cancel (self->rescan_cancellable);
    }
}

/* --- setup ---------------------------------------------------------------------------------- */

static const GActionEntry host_actions[] = {
  { "add-host", activate_add_host },
  { "edit-host", activate_edit_host },
  { "remove-host", activate_remove_host },
  { "rescan", activate_rescan },
  { "cancel-rescan", activate_cancel_rescan },
};

void
deck_window_hosts_init (DeckWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), host_actions, G_N_ELEMENTS (host_actions), self);
  deck_window_hosts_update (self);
}

void
deck_window_hosts_dispose (DeckWindow *self)
{
  if (self->rescan_cancellable != NULL)
    {
      /* the callback must not reach the window any more */
      g_object_set_data (G_OBJECT (self->rescan_cancellable), "deck-window", NULL);
      g_cancellable_cancel (self->rescan_cancellable);
      g_clear_object (&self->rescan_cancellable);
    }
  g_clear_pointer (&self->rescan_jobs, g_ptr_array_unref);
  if (self->host_dialog != NULL)
    gtk_widget_destroy (self->host_dialog);
  self->host_dialog = NULL;
  g_clear_object (&self->editing_host);
  g_clear_pointer (&self->host_context_menu, gtk_widget_destroy);
}

void
deck_window_popup_host_menu (DeckWindow     *self,
                             const GdkEvent *event)
{
  if (self->host_context_menu == NULL)
    {
      self->host_context_menu = gtk_menu_new_from_model (self->host_menu);
      gtk_menu_attach_to_widget (GTK_MENU (self->host_context_menu), GTK_WIDGET (self->inventory_view), NULL);
    }
  if (event != NULL && gdk_event_get_event_type (event) == GDK_BUTTON_PRESS)
    gtk_menu_popup_at_pointer (GTK_MENU (self->host_context_menu), event);
  else
    gtk_menu_popup_at_widget (GTK_MENU (self->host_context_menu), GTK_WIDGET (self->inventory_view),
                              GDK_GRAVITY_CENTER, GDK_GRAVITY_NORTH_WEST, event);
}
