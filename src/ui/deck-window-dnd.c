/* deck-window-dnd.c: drag a machine onto a host (placement)
 *
 * A machine row dragged onto a host row of the same tree:
 *  - stopped, and the target host registered the same config (multipath: a row of the
 *    same label and config path under that host, e.g. a shared directory both hosts
 *    scan) → start it there: CREATE on that host, as win.start does for that row;
 *  - running, both hosts have libvirt connections to different daemons of the same
 *    driver → live migration (deck-migrate.h);
 *  - running without that, config shared → shut it down here, then start it there;
 *  - anything else is refused, with the reason.
 * A confirmation says what will happen. While dragging, a host the machine cannot go to
 * gets no drop action (the pointer says so) and the status line below the tree says why;
 * a drop there (a synthesized one, or a race) is refused in the info bar.
 *
 * Without a pointer, the machine's context menu has "Move to Host" with the same hosts
 * (win.place-on, the host's name): the same confirmation, the same refusals.
 *
 * The drag is GTK 3 DnD on the tree view with a private target that only this widget
 * accepts (GTK_TARGET_SAME_WIDGET); the dragged machine is the row under the cursor when
 * the drag starts. Nothing is transferred: the data is the window's own item.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <string.h>

#include "deck-error.h"
#include "deck-migrate.h"
#include "deck-window-private.h"

#define TARGET_MACHINE "application/x-vmdeck-machine"

static const GtkTargetEntry drag_targets[] = {
  { (char *) TARGET_MACHINE, GTK_TARGET_SAME_WIDGET, 0 },
};

/* --- what a drop would do --------------------------------------------------------------- */

static DeckMachineItem *
top_host (DeckMachineItem *item)
{
  while (deck_machine_item_get_parent (item) != NULL)
    item = deck_machine_item_get_parent (item);
  return item;
}

static gboolean
is_stopped (DeckMachineItem *item)
{
  switch (deck_machine_item_get_state (item))
    {
    case DECK_DOMAIN_STATE_SHUTOFF:
    case DECK_DOMAIN_STATE_UNKNOWN:
    case DECK_DOMAIN_STATE_CRASHED:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_running (DeckMachineItem *item)
{
  DeckDomainState s = deck_machine_item_get_state (item);

  return s == DECK_DOMAIN_STATE_RUNNING || s == DECK_DOMAIN_STATE_BLOCKED || s == DECK_DOMAIN_STATE_PAUSED;
}

/* The row of the same machine (label and config path) directly under @host. */
static DeckMachineItem *
same_machine_under (DeckMachineItem *item,
                    DeckMachineItem *host)
{
  DeckRecord *rec = deck_machine_item_get_record (item);
  const char *id = deck_record_get (rec, DECK_FIELD_ID);
  GPtrArray *children = deck_machine_item_get_children (host);

  for (guint i = 0; i < children->len; i++)
    {
      DeckMachineItem *other = children->pdata[i];
      DeckRecord *orec = deck_machine_item_get_record (other);

      if (deck_machine_item_get_kind (other) == DECK_MACHINE_ITEM_MACHINE
          && g_strcmp0 (deck_machine_item_get_label (other), deck_machine_item_get_label (item)) == 0
          && g_strcmp0 (deck_record_get (orec, DECK_FIELD_ID), id) == 0)
        return other;
    }
  return NULL;
}

DeckPlacement
deck_window_placement (DeckWindow       *self,
                       DeckMachineItem  *item,
                       DeckMachineItem  *host,
                       DeckMachineItem **counterpart,
                       char            **reason)
{
  const char *label, *to, *from;
  DeckMachineItem *there;
  DeckLibvirt *lv_from, *lv_to;

  g_return_val_if_fail (DECK_IS_WINDOW (self), DECK_PLACE_REFUSED);

  *counterpart = NULL;
  *reason = NULL;
  if (item == NULL || deck_machine_item_get_kind (item) != DECK_MACHINE_ITEM_MACHINE)
    {
      *reason = g_strdup (_("Only a machine can be placed on a host."));
      return DECK_PLACE_REFUSED;
    }
  label = deck_machine_item_get_label (item);
  if (host == NULL || deck_machine_item_get_kind (host) != DECK_MACHINE_ITEM_HOST)
    {
      *reason = g_strdup_printf (_("Drop %s on a host row."), label);
      return DECK_PLACE_REFUSED;
    }
  to = deck_machine_item_get_host_name (host);
  from = deck_machine_item_get_host_name (top_host (item));
  if (deck_machine_item_get_parent (item) != top_host (item))
    {
      *reason = g_strdup_printf (_("%s runs inside another machine (a VM stack): it cannot be moved to a host."), label);
      return DECK_PLACE_REFUSED;
    }
  if (top_host (item) == host)
    {
      *reason = g_strdup_printf (_("%s is already on %s."), label, to);
      return DECK_PLACE_REFUSED;
    }
  if (deck_machine_item_get_busy (item))
    {
      *reason = g_strdup_printf (_("An action on %s is still running."), label);
      return DECK_PLACE_REFUSED;
    }
  if (deck_machine_item_get_reach (host) == DECK_MACHINE_REACH_UNREACHABLE)
    {
      const char *msg = deck_machine_item_get_reach_message (host);

      *reason = g_strdup_printf (_("%s is down%s%s."), to, msg ? ": " : "", msg ? msg : "");
      return DECK_PLACE_REFUSED;
    }
  there = same_machine_under (item, host);
  if (there != NULL && is_running (there))
    {
      *reason = g_strdup_printf (_("%s already runs on %s."), label, to);
      return DECK_PLACE_REFUSED;
    }
  if (there != NULL && deck_machine_item_get_busy (there))
    {
      *reason = g_strdup_printf (_("An action on %s is still running on %s."), label, to);
      return DECK_PLACE_REFUSED;
    }

  if (is_stopped (item))
    {
      if (there == NULL)
        {
          *reason = g_strdup_printf (_("%s cannot see the configuration of %s (%s): it is not registered there. "
                                       "Put it where both hosts see it (a shared directory) and rescan."),
                                     to, label, deck_record_get (deck_machine_item_get_record (item), DECK_FIELD_ID));
          return DECK_PLACE_REFUSED;
        }
      *counterpart = there;
      return DECK_PLACE_START;
    }
  if (!is_running (item))
    {
      *reason = g_strdup_printf (_("%s is neither shut off nor running; wait until it is."), label);
      return DECK_PLACE_REFUSED;
    }

  lv_from = deck_window_live_connection (self, from);
  lv_to = deck_window_live_connection (self, to);
  if (lv_from != NULL && lv_to != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (deck_migrate_check (lv_from, lv_to, &error))
        {
          *counterpart = there;
          return DECK_PLACE_MIGRATE;
        }
      if (there == NULL)
        {
          *reason = g_strdup_printf (_("%s cannot take %s while it runs (%s), and does not see its configuration."),
                                     to, label, error->message);
          return DECK_PLACE_REFUSED;
        }
    }
  if (there == NULL)
    {
      *reason = g_strdup_printf (_("%s cannot see the configuration of %s, and there is no live migration between "
                                   "%s and %s (both need libvirt)."), to, label, from, to);
      return DECK_PLACE_REFUSED;
    }
  *counterpart = there;
  return DECK_PLACE_STOP_START;
}

/* --- the drop ---------------------------------------------------------------------------- */

typedef struct {
  DeckWindow      *self;
  GCancellable    *cancellable;
  DeckMachineItem *item;
  DeckMachineItem *there;   /* may be NULL */
  char            *to;
} MigrateCall;

static void
migrate_call_free (MigrateCall *c)
{
  g_object_unref (c->cancellable);
  g_object_unref (c->item);
  g_clear_object (&c->there);
  g_free (c->to);
  g_free (c);
}

static void
migrated (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  MigrateCall *c = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = deck_migrate_finish (DECK_LIBVIRT (source), result, &error);

  if (!g_cancellable_is_cancelled (c->cancellable))
    {
      DeckWindow *self = c->self;

      deck_window_set_busy (self, c->item, FALSE);
      gtk_header_bar_set_subtitle (self->header_bar, NULL);
      if (!ok)
        {
          g_autofree char *what = g_strdup_printf (_("Cannot move %s to %s"), deck_machine_item_get_label (c->item), c->to);

          deck_window_show_error (self, what, error);
        }
      deck_window_live_refresh (self, c->item);
      if (c->there != NULL)
        deck_window_live_refresh (self, c->there);
      deck_window_actions_update (self);
    }
  migrate_call_free (c);
}

static void
migrate (DeckWindow      *self,
         DeckMachineItem *item,
         DeckMachineItem *host,
         DeckMachineItem *there)
{
  DeckLibvirt *from = deck_window_live_connection (self, deck_machine_item_get_host_name (top_host (item)));
  DeckLibvirt *to = deck_window_live_connection (self, deck_machine_item_get_host_name (host));
  MigrateCall *c = g_new0 (MigrateCall, 1);
  g_autofree char *progress = NULL;

  c->self = self;
  c->cancellable = g_object_ref (self->cancellable);
  c->item = g_object_ref (item);
  c->there = there ? g_object_ref (there) : NULL;
  c->to = g_strdup (deck_machine_item_get_host_name (host));
  progress = g_strdup_printf (_("Migrating %s to %s…"), deck_machine_item_get_label (item), c->to);
  deck_window_set_busy (self, item, TRUE);
  gtk_header_bar_set_subtitle (self->header_bar, progress);
  deck_migrate_async (from, to, deck_machine_item_get_label (item), self->cancellable, migrated, c);
}

static void
on_place_response (GtkDialog  *dialog,
                   int         response,
                   DeckWindow *self)
{
  DeckMachineItem *item = g_object_get_data (G_OBJECT (dialog), "deck-item");
  DeckMachineItem *host = g_object_get_data (G_OBJECT (dialog), "deck-host");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      DeckMachineItem *there = NULL;
      g_autofree char *reason = NULL;

      /* again: the states may have changed while the dialog was open */
      switch (deck_window_placement (self, item, host, &there, &reason))
        {
        case DECK_PLACE_START:
          deck_window_start_item (self, there);
          break;
        case DECK_PLACE_MIGRATE:
          migrate (self, item, host, there);
          break;
        case DECK_PLACE_STOP_START:
          deck_window_stop_then_start (self, item, there);
          break;
        case DECK_PLACE_REFUSED:
        default:
          deck_window_show_info (self, GTK_MESSAGE_WARNING, reason);
          break;
        }
    }
  self->pending_dialog = NULL;
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

void
deck_window_drop_on_host (DeckWindow      *self,
                          DeckMachineItem *item,
                          DeckMachineItem *host)
{
  DeckMachineItem *there = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *primary = NULL, *detail = NULL;
  const char *button, *label, *from, *to;
  DeckPlacement placement;
  GtkWidget *dialog;

  g_return_if_fail (DECK_IS_WINDOW (self));

  placement = deck_window_placement (self, item, host, &there, &reason);
  if (placement == DECK_PLACE_REFUSED)
    {
      g_autofree char *text = NULL;

      if (item != NULL && host != NULL)
        text = g_strdup_printf (_("Cannot move %s to %s: %s"), deck_machine_item_get_label (item),
                                deck_machine_item_get_host_name (host), reason);
      deck_window_show_info (self, GTK_MESSAGE_WARNING, text ? text : reason);
      return;
    }
  label = deck_machine_item_get_label (item);
  from = deck_machine_item_get_host_name (top_host (item));
  to = deck_machine_item_get_host_name (host);
  switch (placement)
    {
    case DECK_PLACE_START:
      primary = g_strdup_printf (_("Start %s on %s?"), label, to);
      detail = g_strdup_printf (_("%s is shut off on %s. %s sees the same configuration (%s), so it is started "
                                  "there (CREATE on %s). It stays registered on both hosts; %s is not changed."),
                                label, from, to, deck_record_get (deck_machine_item_get_record (there), DECK_FIELD_ID),
                                to, from);
      button = _("_Start There");
      break;
    case DECK_PLACE_MIGRATE:
      primary = g_strdup_printf (_("Migrate %s to %s while it runs?"), label, to);
      detail = g_strdup_printf (_("%s runs on %s. libvirt copies its memory to %s while it keeps running, then "
                                  "it continues on %s, defined there, and is undefined on %s. Its disks must be on "
                                  "storage both hosts share; nothing is copied."),
                                label, from, to, to, from);
      button = _("_Migrate");
      break;
    case DECK_PLACE_STOP_START:
    default:
      primary = g_strdup_printf (_("Shut down %s on %s and start it on %s?"), label, from, to);
      detail = g_strdup_printf (_("There is no live migration from %s to %s. %s is shut down on %s (its operating "
                                  "system is asked to power off; switched off after 20 seconds), then started on %s "
                                  "from the same configuration (%s). What it has not written to disk is lost."),
                                from, to, label, from, to,
                                deck_record_get (deck_machine_item_get_record (there), DECK_FIELD_ID));
      button = _("_Shut Down and Start There");
      break;
    }
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", detail);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_dialog_add_button (GTK_DIALOG (dialog), button, GTK_RESPONSE_ACCEPT);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  atk_object_set_name (gtk_widget_get_accessible (dialog), _("Confirm moving a machine"));
  g_object_set_data_full (G_OBJECT (dialog), "deck-item", g_object_ref (item), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "deck-host", g_object_ref (host), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "deck-placement", GINT_TO_POINTER (placement));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_place_response), self, 0);
  if (self->pending_dialog != NULL)
    gtk_widget_destroy (self->pending_dialog);
  self->pending_dialog = dialog;
  gtk_widget_show (dialog);
}

/* --- GTK DnD ----------------------------------------------------------------------------- */

static void
on_drag_begin (GtkWidget      *view,
               GdkDragContext *context,
               DeckWindow     *self)
{
  g_autoptr(GtkTreePath) path = NULL;
  DeckMachineItem *item;

  g_clear_object (&self->drag_item);
  gtk_tree_view_get_cursor (GTK_TREE_VIEW (view), &path, NULL);
  item = path ? deck_window_item_at_path (self, path) : NULL;
  if (item != NULL && deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_MACHINE)
    self->drag_item = g_object_ref (item);
  g_object_set_data_full (G_OBJECT (self->status_label), "deck-status",
                          g_strdup (gtk_label_get_text (self->status_label)), g_free);
}

static void
restore_status (DeckWindow *self)
{
  const char *saved = g_object_get_data (G_OBJECT (self->status_label), "deck-status");

  if (saved != NULL)
    gtk_label_set_text (self->status_label, saved);
}

static void
on_drag_end (GtkWidget      *view,
             GdkDragContext *context,
             DeckWindow     *self)
{
  g_clear_object (&self->drag_item);
  restore_status (self);
}

/* The host row at (x, y) of the view's widget coordinates, or NULL. */
static DeckMachineItem *
host_at (DeckWindow  *self,
         int          x,
         int          y,
         GtkTreePath **path_out)
{
  g_autoptr(GtkTreePath) path = NULL;
  GtkTreeViewDropPosition pos;
  DeckMachineItem *item;

  if (!gtk_tree_view_get_dest_row_at_pos (self->inventory_view, x, y, &path, &pos))
    return NULL;
  item = deck_window_item_at_path (self, path);
  if (item == NULL || deck_machine_item_get_kind (item) != DECK_MACHINE_ITEM_HOST)
    return NULL;
  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return item;
}

static gboolean
on_drag_motion (GtkWidget      *view,
                GdkDragContext *context,
                int             x,
                int             y,
                guint           time,
                DeckWindow     *self)
{
  g_autoptr(GtkTreePath) path = NULL;
  DeckMachineItem *host = host_at (self, x, y, &path);
  DeckMachineItem *there = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *hint = NULL;

  switch (deck_window_placement (self, self->drag_item, host, &there, &reason))
    {
    case DECK_PLACE_START:
      hint = g_strdup_printf (_("Drop to start %s on %s"), deck_machine_item_get_label (self->drag_item),
                              deck_machine_item_get_host_name (host));
      break;
    case DECK_PLACE_MIGRATE:
      hint = g_strdup_printf (_("Drop to migrate %s to %s"), deck_machine_item_get_label (self->drag_item),
                              deck_machine_item_get_host_name (host));
      break;
    case DECK_PLACE_STOP_START:
      hint = g_strdup_printf (_("Drop to shut %s down and start it on %s"), deck_machine_item_get_label (self->drag_item),
                              deck_machine_item_get_host_name (host));
      break;
    case DECK_PLACE_REFUSED:
    default:
      /* no action: the pointer shows it; the status line says why */
      gtk_tree_view_set_drag_dest_row (self->inventory_view, NULL, 0);
      gdk_drag_status (context, 0, time);
      gtk_label_set_text (self->status_label, reason);
      return TRUE;
    }
  gtk_tree_view_set_drag_dest_row (self->inventory_view, path, GTK_TREE_VIEW_DROP_INTO_OR_AFTER);
  gdk_drag_status (context, GDK_ACTION_MOVE, time);
  gtk_label_set_text (self->status_label, hint);
  return TRUE;
}

static void
on_drag_leave (GtkWidget      *view,
               GdkDragContext *context,
               guint           time,
               DeckWindow     *self)
{
  gtk_tree_view_set_drag_dest_row (self->inventory_view, NULL, 0);
  restore_status (self);
  g_signal_stop_emission_by_name (view, "drag-leave");
}

typedef struct {
  DeckWindow      *self;
  GCancellable    *cancellable;
  DeckMachineItem *item;
  DeckMachineItem *host;   /* NULL: not a host row */
} Drop;

static void
drop_free (Drop *d)
{
  g_object_unref (d->cancellable);
  g_object_unref (d->item);
  g_clear_object (&d->host);
  g_free (d);
}

/* After the drag has ended: a modal confirmation inside the drop handler would run while
 * GTK still holds the drag. */
static gboolean
drop_later (gpointer data)
{
  Drop *d = data;

  if (!g_cancellable_is_cancelled (d->cancellable))
    deck_window_drop_on_host (d->self, d->item, d->host);
  return G_SOURCE_REMOVE;
}

static gboolean
on_drag_drop (GtkWidget      *view,
              GdkDragContext *context,
              int             x,
              int             y,
              guint           time,
              DeckWindow     *self)
{
  DeckMachineItem *host = host_at (self, x, y, NULL);
  g_autoptr(DeckMachineItem) item = self->drag_item ? g_object_ref (self->drag_item) : NULL;

  gtk_tree_view_set_drag_dest_row (self->inventory_view, NULL, 0);
  /* nothing is transferred: the window knows the item */
  gtk_drag_finish (context, item != NULL && host != NULL, FALSE, time);
  restore_status (self);
  if (item != NULL)
    {
      Drop *d = g_new0 (Drop, 1);

      d->self = self;
      d->cancellable = g_object_ref (self->cancellable);
      d->item = g_object_ref (item);
      d->host = host ? g_object_ref (host) : NULL;
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, drop_later, d, (GDestroyNotify) drop_free);
    }
  return TRUE;
}

static void
on_drag_data_get (GtkWidget        *view,
                  GdkDragContext   *context,
                  GtkSelectionData *data,
                  guint             info,
                  guint             time,
                  DeckWindow       *self)
{
  /* only this widget accepts the target; the label is there for completeness */
  if (self->drag_item != NULL)
    gtk_selection_data_set (data, gdk_atom_intern_static_string (TARGET_MACHINE), 8,
                            (const guchar *) deck_machine_item_get_label (self->drag_item),
                            strlen (deck_machine_item_get_label (self->drag_item)));
  g_signal_stop_emission_by_name (view, "drag-data-get");
}

/* --- the menu ------------------------------------------------------------------------------ */

static void
activate_place_on (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  DeckWindow *self = data;
  g_autoptr(GPtrArray) selected = deck_window_selected_items (self);
  DeckMachineItem *host = deck_machine_tree_find_host (self->tree, g_variant_get_string (parameter, NULL));

  if (selected->len != 1)
    return;
  if (host == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("There is no host “%s” in the tree."), g_variant_get_string (parameter, NULL));

      deck_window_show_info (self, GTK_MESSAGE_WARNING, text);
      return;
    }
  deck_window_drop_on_host (self, selected->pdata[0], host);
}

static const GActionEntry dnd_actions[] = {
  { "place-on", activate_place_on, "s" },
};

void
deck_window_dnd_update (DeckWindow *self)
{
  g_autoptr(GPtrArray) selected = NULL;
  GPtrArray *hosts;

  if (self->inventory_view == NULL || self->tree == NULL)
    return;   /* disposed */
  selected = deck_window_selected_items (self);
  deck_window_set_action_enabled (self, "place-on", selected->len == 1);

  hosts = deck_machine_tree_get_hosts (self->tree);
  if ((guint) g_menu_model_get_n_items (G_MENU_MODEL (self->place_menu)) == hosts->len)
    {
      gboolean same = TRUE;

      for (guint i = 0; i < hosts->len && same; i++)
        {
          g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (G_MENU_MODEL (self->place_menu), i,
                                                                               G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);

          same = target != NULL && g_str_equal (g_variant_get_string (target, NULL),
                                                deck_machine_item_get_host_name (hosts->pdata[i]));
        }
      if (same)
        return;
    }
  g_menu_remove_all (self->place_menu);
  for (guint i = 0; i < hosts->len; i++)
    {
      const char *name = deck_machine_item_get_host_name (hosts->pdata[i]);
      g_auto(GStrv) parts = g_strsplit (name, "_", -1);
      g_autofree char *label = g_strjoinv ("__", parts);   /* no mnemonic */
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.place-on", g_variant_new_string (name));
      g_menu_append_item (self->place_menu, item);
    }
}

void
deck_window_dnd_init (DeckWindow *self)
{
  GtkWidget *view = GTK_WIDGET (self->inventory_view);

  gtk_tree_view_enable_model_drag_source (self->inventory_view, GDK_BUTTON1_MASK,
                                          drag_targets, G_N_ELEMENTS (drag_targets), GDK_ACTION_MOVE);
  gtk_tree_view_enable_model_drag_dest (self->inventory_view, drag_targets, G_N_ELEMENTS (drag_targets),
                                        GDK_ACTION_MOVE);
  g_signal_connect_object (view, "drag-begin", G_CALLBACK (on_drag_begin), self, G_CONNECT_AFTER);
  g_signal_connect_object (view, "drag-end", G_CALLBACK (on_drag_end), self, 0);
  g_signal_connect_object (view, "drag-motion", G_CALLBACK (on_drag_motion), self, 0);
  g_signal_connect_object (view, "drag-leave", G_CALLBACK (on_drag_leave), self, 0);
  g_signal_connect_object (view, "drag-drop", G_CALLBACK (on_drag_drop), self, 0);
  g_signal_connect_object (view, "drag-data-get", G_CALLBACK (on_drag_data_get), self, 0);
  g_action_map_add_action_entries (G_ACTION_MAP (self), dnd_actions, G_N_ELEMENTS (dnd_actions), self);
  deck_window_dnd_update (self);
}
