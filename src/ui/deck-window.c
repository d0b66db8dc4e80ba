/* deck-window.c: the main window (inventory tree on the left, console tabs on the right)
 *
 * This file: lifecycle, layout, loading the inventory, the tree view and the filter.
 * deck-window-live.c follows the hosts' machine states; deck-window-actions.c runs the
 * actions on the selection.
 *
 * The inventory is a GtkTreeView over a GtkTreeStore (one column: the DeckMachineItem
 * of deck-machine-tree.h; cell data functions read it) seen through a
 * GtkTreeModelFilter whose visibility is the item's, computed by DeckMachineTree.
 * A tree view rather than a GtkListBox: a list box makes a widget per row (10,000
 * machines would be 10,000 widgets to create and lay out, and filtering would touch
 * each), has no expanders for hosts and VM stacks, and no rubber-band multi-selection.
 * The tree view in fixed-height mode lays out only what is on screen. Live state
 * changes only emit row-changed for the rows concerned; nothing is rebuilt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "deck-console-tab.h"
#include "deck-error.h"
#include "deck-inventory.h"
#include "deck-window-private.h"

G_DEFINE_FINAL_TYPE (DeckWindow, deck_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_HOST_LIST,
  PROP_INVENTORY_DIRS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- layout ------------------------------------------------------------------------------- */

static void
deck_window_update_content (DeckWindow *self)
{
  gboolean has_tabs;

  g_assert (DECK_IS_WINDOW (self));

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  has_tabs = gtk_notebook_get_n_pages (self->console_notebook) > 0;
  if (self->tree != NULL && deck_machine_tree_get_n_machines (self->tree) > 0)
    {
      /* there are machines: the empty side says how to open a console */
      gtk_label_set_text (self->empty_state_title, _("No Console Open"));
      gtk_label_set_text (self->empty_state_label,
                          _("Select a machine on the left, start it if it is shut off, and open its "
                            "graphical or serial console with the buttons above, its context menu or Ctrl+O."));
      gtk_widget_hide (self->empty_state_command);
      gtk_widget_hide (self->empty_state_hint);
    }
  gtk_stack_set_visible_child_name (self->content_stack, has_tabs ? "consoles" : "empty");
}

static void
on_console_notebook_pages_changed (DeckWindow  *self,
                                   GtkWidget   *child,
                                   guint        page_num,
                                   GtkNotebook *notebook)
{
  g_assert (DECK_IS_WINDOW (self));

  deck_window_update_content (self);
}

static void
on_tab_close_requested (DeckConsoleTab *tab,
                        DeckWindow     *self)
{
  deck_console_tab_disconnect (tab);
  gtk_widget_destroy (GTK_WIDGET (tab));
}

static void
connect_tab (DeckConsoleTab *tab)
{
  g_signal_handlers_disconnect_by_func (tab, connect_tab, NULL);
  /* the tab shows its own failures and reconnects by itself */
  deck_console_tab_connect_async (tab, NULL, NULL, NULL);
}

void
deck_window_add_console (DeckWindow *self,
                         GtkWidget  *tab)
{
  int page;

  g_return_if_fail (DECK_IS_WINDOW (self));
  g_return_if_fail (DECK_IS_CONSOLE_TAB (tab));

  gtk_widget_show (tab);
  page = gtk_notebook_append_page (self->console_notebook, tab,
                                   deck_console_tab_get_tab_label (DECK_CONSOLE_TAB (tab)));
  gtk_notebook_set_tab_reorderable (self->console_notebook, tab, TRUE);
  g_signal_connect_object (tab, "close-requested", G_CALLBACK (on_tab_close_requested), self, 0);
  deck_window_update_content (self);
  gtk_notebook_set_current_page (self->console_notebook, page);

  /* gtk-vnc draws into the tab's window: connect once it is realized */
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    {
      gtk_widget_realize (tab);
      connect_tab (DECK_CONSOLE_TAB (tab));
    }
  else
    g_signal_connect (tab, "realize", G_CALLBACK (connect_tab), NULL);
}

/* --- hosts ---------------------------------------------------------------------------------- */

/* The local host: the list's first, unless the list names this machine itself with
 * options ("localhost --uri=qemu+unix:///session?socket=...": the same entry gives
 * `ctys -a list vmdeck` that daemon); the last such entry wins, as a target's options do. */
static DeckHost *
local_host (DeckWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->host_list));
  g_autoptr(DeckHost) local = g_list_model_get_item (G_LIST_MODEL (self->host_list), 0);

  for (guint i = n; i-- > 1;)
    {
      g_autoptr(DeckHost) host = g_list_model_get_item (G_LIST_MODEL (self->host_list), i);

      if (deck_host_is_local (host))
        return host;   /* the list keeps it */
    }
  return local;   /* the list keeps it */
}

DeckHost *
deck_window_host_for (DeckWindow *self,
                      const char *name)
{
  DeckHost *host;
  DeckHost *local;

  g_return_val_if_fail (DECK_IS_WINDOW (self), NULL);

  local = g_list_model_get_item (G_LIST_MODEL (self->host_list), 0);
  g_object_unref (local);   /* the list keeps it */
  if (deck_address_host_matches (deck_host_get_name (local), name) || g_str_equal (name, "localhost"))
    return local_host (self);
  if ((host = deck_host_list_find (self->host_list, name)) != NULL)
    return host;
  if ((host = g_hash_table_lookup (self->extra_hosts, name)) == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* a host only the inventory names: reached with the user's ssh configuration */
      if ((host = deck_host_new (name, NULL, &error)) == NULL)
        {
          g_debug ("no host for %s: %s", name, error->message);
          return NULL;
        }
      g_hash_table_insert (self->extra_hosts, g_strdup (name), host);
    }
  return host;
}

/* --- the tree view ------------------------------------------------------------------------- */

static DeckMachineItem *
item_at (GtkTreeModel *model,
         GtkTreeIter  *iter)
{
  g_autoptr(DeckMachineItem) item = NULL;

  gtk_tree_model_get (model, iter, DECK_WINDOW_COLUMN_ITEM, &item, -1);
  return item;   /* the store keeps it */
}

static const char *
state_icon (DeckMachineItem *item)
{
  if (deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_HOST)
    return deck_machine_item_get_reach (item) == DECK_MACHINE_REACH_UNREACHABLE
           ? "network-error-symbolic" : "network-server-symbolic";
  switch (deck_machine_item_get_state (item))
    {
    case DECK_DOMAIN_STATE_RUNNING:
    case DECK_DOMAIN_STATE_BLOCKED:   return "media-playback-start-symbolic";
    case DECK_DOMAIN_STATE_PAUSED:    return "media-playback-pause-symbolic";
    case DECK_DOMAIN_STATE_SHUTDOWN:  return "system-shutdown-symbolic";
    case DECK_DOMAIN_STATE_SHUTOFF:   return "media-playback-stop-symbolic";
    case DECK_DOMAIN_STATE_CRASHED:   return "dialog-error-symbolic";
    case DECK_DOMAIN_STATE_SUSPENDED: return "document-save-symbolic";
    case DECK_DOMAIN_STATE_UNKNOWN:
    default:                          return "dialog-question-symbolic";
    }
}

/* Translated state words for the rows. */
static const char *
state_text (DeckDomainState state)
{
  switch (state)
    {
    case DECK_DOMAIN_STATE_RUNNING:   return _("running");
    case DECK_DOMAIN_STATE_BLOCKED:   return _("running (idle)");
    case DECK_DOMAIN_STATE_PAUSED:    return _("paused");
    case DECK_DOMAIN_STATE_SHUTDOWN:  return _("shutting down");
    case DECK_DOMAIN_STATE_SHUTOFF:   return _("shut off");
    case DECK_DOMAIN_STATE_CRASHED:   return _("crashed");
    case DECK_DOMAIN_STATE_SUSPENDED: return _("suspended");
    case DECK_DOMAIN_STATE_UNKNOWN:
    default:                          return _("state unknown");
    }
}

static const char *
reach_text (DeckMachineItem *host)
{
  switch (deck_machine_item_get_reach (host))
    {
    case DECK_MACHINE_REACH_CONNECTING:  return _("connecting…");
    case DECK_MACHINE_REACH_REACHABLE:   return _("reachable");
    case DECK_MACHINE_REACH_UNREACHABLE: return _("unreachable");
    case DECK_MACHINE_REACH_UNKNOWN:
    default:                             return _("not connected");
    }
}

/* The host of @item is down: the row is greyed. */
static gboolean
item_dimmed (DeckMachineItem *item)
{
  while (deck_machine_item_get_parent (item) != NULL)
    item = deck_machine_item_get_parent (item);
  return deck_machine_item_get_reach (item) == DECK_MACHINE_REACH_UNREACHABLE;
}

static void
cell_data (GtkTreeViewColumn *column,
           GtkCellRenderer   *cell,
           GtkTreeModel      *model,
           GtkTreeIter       *iter,
           gpointer           data)
{
  DeckWindow *self = data;
  DeckMachineItem *item = item_at (model, iter);
  gboolean host = deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_HOST;

  g_object_set (cell, "sensitive", !item_dimmed (item), NULL);
  if (cell == self->state_renderer)
    g_object_set (cell, "icon-name", state_icon (item), NULL);
  else if (cell == self->spinner_renderer)
    g_object_set (cell, "active", deck_machine_item_get_busy (item),
                  "visible", deck_machine_item_get_busy (item), "pulse", self->pulse, NULL);
  else if (host)
    {
      const char *hv = deck_machine_item_get_hypervisor (item);
      g_autofree char *markup =
        g_markup_printf_escaped ("<b>%s</b>\n<small>%s%s%s</small>", deck_machine_item_get_label (item),
                                 hv ? hv : "", hv ? " · " : "", reach_text (item));

      g_object_set (cell, "markup", markup, NULL);
    }
  else
    {
      DeckRecord *rec = deck_machine_item_get_record (item);
      g_autofree char *summary = deck_machine_item_dup_address_summary (item);
      g_autofree char *markup =
        g_markup_printf_escaped ("<b>%s</b>  <small>%s</small>\n<small>%s%s%s</small>",
                                 deck_machine_item_get_label (item),
                                 state_text (deck_machine_item_get_state (item)),
                                 deck_record_get (rec, DECK_FIELD_TYPE), *summary ? " · " : "", summary);

      g_object_set (cell, "markup", markup, NULL);
    }
}

static gboolean
on_view_query_tooltip (DeckWindow *self,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       GtkWidget  *view)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autoptr(GtkTreePath) path = NULL;
  DeckMachineItem *item;
  g_autofree char *text = NULL;

  if (!gtk_tree_view_get_tooltip_context (self->inventory_view, &x, &y, keyboard, &model, &path, &iter))
    return FALSE;
  item = item_at (model, &iter);
  if (deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_HOST)
    {
      const char *msg = deck_machine_item_get_reach_message (item);

      text = g_strdup_printf ("%s: %s%s%s", deck_machine_item_get_label (item), reach_text (item),
                              msg ? "\n" : "", msg ? msg : "");
    }
  else
    text = g_strdup_printf (_("%s on %s (%s)\n%s"), deck_machine_item_get_label (item),
                            deck_machine_item_get_host_name (item),
                            state_text (deck_machine_item_get_state (item)),
                            deck_record_get (deck_machine_item_get_record (item), DECK_FIELD_ID));
  gtk_tooltip_set_text (tooltip, text);
  gtk_tree_view_set_tooltip_row (self->inventory_view, tooltip, path);
  return TRUE;
}

static gboolean
row_visible (GtkTreeModel *model,
             GtkTreeIter  *iter,
             gpointer      data)
{
  DeckMachineItem *item = NULL;
  gboolean visible;

  gtk_tree_model_get (model, iter, DECK_WINDOW_COLUMN_ITEM, &item, -1);
  if (item == NULL)   /* a row being inserted */
    return FALSE;
  visible = deck_machine_item_get_visible (item);
  g_object_unref (item);
  return visible;
}

/* Adds @items (DeckMachineItem) under @parent, in order: inserted back to front at
 * position 0, which is O(1) in a GtkTreeStore (appending walks the siblings). */
static void
store_add (DeckWindow  *self,
           GtkTreeIter *parent,
           GPtrArray   *items)
{
  for (guint i = items->len; i-- > 0;)
    {
      DeckMachineItem *item = items->pdata[i];
      GtkTreeIter iter;

      gtk_tree_store_insert_with_values (self->store, &iter, parent, 0, DECK_WINDOW_COLUMN_ITEM, item, -1);
      g_hash_table_insert (self->rows, item, gtk_tree_iter_copy (&iter));
      store_add (self, &iter, deck_machine_item_get_children (item));
    }
}

static void
expand_all (DeckWindow *self)
{
  gtk_tree_view_expand_all (self->inventory_view);
}

static void
update_status (DeckWindow *self)
{
  guint n = deck_machine_tree_get_n_machines (self->tree);
  guint hosts = deck_machine_tree_get_hosts (self->tree)->len;
  const char *filter = deck_machine_tree_get_filter (self->tree);
  g_autofree char *text = NULL;

  if (self->loading)
    text = g_strdup (_("Loading the inventory…"));
  else if (filter != NULL && *filter != '\0')
    text = g_strdup_printf (g_dngettext (NULL, "%u of %u machine shown", "%u of %u machines shown", n),
                            deck_machine_tree_count_visible (self->tree), n);
  else
    {
      g_autofree char *m = g_strdup_printf (g_dngettext (NULL, "%u machine", "%u machines", n), n);
      g_autofree char *h = g_strdup_printf (g_dngettext (NULL, "%u host", "%u hosts", hosts), hosts);

      /* Translators: "12 machines on 3 hosts" */
      text = g_strdup_printf (_("%s on %s"), m, h);
    }
  gtk_label_set_text (self->status_label, text);
}

/* A new filter model on the store (cheaper than a refilter of many rows: the view is
 * told nothing row by row, it reads the new model's levels as it draws them). */
static void
set_filter_model (DeckWindow *self)
{
  GtkTreeModel *filter = gtk_tree_model_filter_new (GTK_TREE_MODEL (self->store), NULL);

  gtk_tree_model_filter_set_visible_func (GTK_TREE_MODEL_FILTER (filter), row_visible, NULL, NULL);
  gtk_tree_view_set_model (self->inventory_view, filter);
  g_clear_object (&self->filter_model);
  self->filter_model = GTK_TREE_MODEL_FILTER (filter);
}

/* Fills the store from the tree (the view is detached meanwhile). */
static void
fill_store (DeckWindow *self)
{

  gtk_tree_view_set_model (self->inventory_view, NULL);
  g_clear_object (&self->filter_model);
  g_hash_table_remove_all (self->rows);
  gtk_tree_store_clear (self->store);
  store_add (self, NULL, deck_machine_tree_get_hosts (self->tree));

  set_filter_model (self);
  expand_all (self);
  update_status (self);
}

void
deck_window_row_changed (DeckWindow      *self,
                         DeckMachineItem *item)
{
  GtkTreeIter *iter;
  g_autoptr(GtkTreePath) path = NULL;

  g_return_if_fail (DECK_IS_WINDOW (self));

  if ((iter = g_hash_table_lookup (self->rows, item)) == NULL)
    return;   /* an item of an earlier tree (an action still running) */
  path = gtk_tree_model_get_path (GTK_TREE_MODEL (self->store), iter);
  gtk_tree_model_row_changed (GTK_TREE_MODEL (self->store), path, iter);
}

GPtrArray *
deck_window_selected_items (DeckWindow *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->inventory_view);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  GtkTreeModel *model;
  GList *rows = gtk_tree_selection_get_selected_rows (selection, &model);

  for (GList *l = rows; l != NULL; l = l->next)
    {
      GtkTreeIter iter;

      if (gtk_tree_model_get_iter (model, &iter, l->data))
        {
          DeckMachineItem *item = item_at (model, &iter);

          if (deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_MACHINE)
            g_ptr_array_add (items, g_object_ref (item));
        }
    }
  g_list_free_full (rows, (GDestroyNotify) gtk_tree_path_free);
  return items;
}

void
deck_window_set_action_enabled (DeckWindow *self,
                                const char *name,
                                gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
on_selection_changed (DeckWindow       *self,
                      GtkTreeSelection *selection)
{
  deck_window_actions_update (self);
  deck_window_hosts_update (self);
  deck_window_dnd_update (self);
}

static gboolean
on_view_button_press (DeckWindow     *self,
                      GdkEventButton *event,
                      GtkTreeView    *view)
{
  g_autoptr(GtkTreePath) path = NULL;
  GtkTreeSelection *selection;

  if (!gdk_event_triggers_context_menu ((GdkEvent *) event) || event->window != gtk_tree_view_get_bin_window (view))
    return GDK_EVENT_PROPAGATE;
  selection = gtk_tree_view_get_selection (view);
  if (gtk_tree_view_get_path_at_pos (view, (int) event->x, (int) event->y, &path, NULL, NULL, NULL)
      && !gtk_tree_selection_path_is_selected (selection, path))
    {
      gtk_tree_selection_unselect_all (selection);
      gtk_tree_selection_select_path (selection, path);
    }
  deck_window_popup_menu (self, (GdkEvent *) event);
  return GDK_EVENT_STOP;
}

static gboolean
on_view_popup_menu (DeckWindow  *self,
                    GtkTreeView *view)
{
  deck_window_popup_menu (self, NULL);
  return TRUE;
}

/* Enter or double click: start a stopped machine, else open its VNC console. */
static void
on_row_activated (DeckWindow        *self,
                  GtkTreePath       *path,
                  GtkTreeViewColumn *column,
                  GtkTreeView       *view)
{
  GActionGroup *group = G_ACTION_GROUP (self);

  if (g_action_group_get_action_enabled (group, "start"))
    g_action_group_activate_action (group, "start", NULL);
  else if (g_action_group_get_action_enabled (group, "open-vnc"))
    g_action_group_activate_action (group, "open-vnc", NULL);
}

/* --- the filter ---------------------------------------------------------------------------- */

/* Above this many rows changing, the view is detached while the filter model is rebuilt:
 * one row-inserted/-deleted per row into an attached view costs about 0.1 ms each
 * (bench/ui-bench); a new filter model and one expand_all cost 10-20 ms for 10,000. */
#define INCREMENTAL_MAX 250

static void
expand_row (DeckWindow      *self,
            DeckMachineItem *item)
{
  GtkTreeIter *child = g_hash_table_lookup (self->rows, item);
  GtkTreeIter iter;
  g_autoptr(GtkTreePath) path = NULL;

  if (child == NULL || !gtk_tree_model_filter_convert_child_iter_to_iter (self->filter_model, &iter, child))
    return;
  path = gtk_tree_model_get_path (GTK_TREE_MODEL (self->filter_model), &iter);
  gtk_tree_view_expand_row (self->inventory_view, path, FALSE);
}

void
deck_window_apply_filter (DeckWindow *self)
{
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->filter_entry));
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self->filter_entry));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changed = NULL;

  g_return_if_fail (DECK_IS_WINDOW (self));

  if (!deck_machine_tree_set_filter_full (self->tree, text, &changed, &error))
    {
      /* "l:" while typing: keep the rows, say what is wrong */
      gtk_style_context_add_class (style, "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_entry), error->message);
      return;
    }
  gtk_style_context_remove_class (style, "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_entry), NULL);
  if (self->filter_model == NULL || changed->len == 0)
    ;
  else if (changed->len <= INCREMENTAL_MAX)
    {
      /* the filter model re-reads just those rows (parents come first) */
      for (guint i = 0; i < changed->len; i++)
        deck_window_row_changed (self, changed->pdata[i]);
      for (guint i = 0; i < changed->len; i++)
        if (deck_machine_item_get_visible (changed->pdata[i])
            && deck_machine_item_get_children (changed->pdata[i])->len > 0)
          expand_row (self, changed->pdata[i]);
    }
  else
    {
      g_autoptr(GPtrArray) selected = deck_window_selected_items (self);
      GtkTreeSelection *selection = gtk_tree_view_get_selection (self->inventory_view);

      set_filter_model (self);
      expand_all (self);
      /* the selection that is still shown stays selected */
      for (guint i = 0; i < selected->len; i++)
        {
          GtkTreeIter *child = g_hash_table_lookup (self->rows, selected->pdata[i]);
          GtkTreeIter iter;

          if (child != NULL && gtk_tree_model_filter_convert_child_iter_to_iter (self->filter_model, &iter, child))
            gtk_tree_selection_select_iter (selection, &iter);
        }
    }
  update_status (self);
}

static void
on_filter_changed (DeckWindow     *self,
                   GtkSearchEntry *entry)
{
  deck_window_apply_filter (self);
}

/* Enter in the filter: select the first machine shown and go to the tree. */
static void
on_filter_activate (DeckWindow     *self,
                    GtkSearchEntry *entry)
{
  GtkTreeModel *model = GTK_TREE_MODEL (self->filter_model);
  GtkTreeIter host, machine;

  deck_window_apply_filter (self);
  if (model == NULL || !gtk_tree_model_get_iter_first (model, &host))
    return;
  do
    if (gtk_tree_model_iter_children (model, &machine, &host))
      {
        g_autoptr(GtkTreePath) path = gtk_tree_model_get_path (model, &machine);

        gtk_tree_view_set_cursor (self->inventory_view, path, NULL, FALSE);
        gtk_widget_grab_focus (GTK_WIDGET (self->inventory_view));
        return;
      }
  while (gtk_tree_model_iter_next (model, &host));
}

/* --- loading the inventory ----------------------------------------------------------------- */

static char **
inventory_dirs (DeckWindow *self,
                gboolean   *is_default)
{
  g_auto(GStrv) dirs = NULL;

  *is_default = FALSE;
  if (self->inventory_dirs != NULL)
    return g_strdupv (self->inventory_dirs);
  dirs = deck_settings_dup_inventory_dirs (self->settings);
  if (dirs != NULL && dirs[0] != NULL)
    return g_steal_pointer (&dirs);
  *is_default = TRUE;
  return deck_inventory_split_dirs (NULL);
}

char **
deck_window_dup_inventory_dirs (DeckWindow *self)
{
  gboolean is_default;

  g_return_val_if_fail (DECK_IS_WINDOW (self), NULL);

  return inventory_dirs (self, &is_default);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  const char * const *dirs = data;
  g_autoptr(DeckInventory) inventory = deck_inventory_new ();
  GError *error = NULL;
  const char * const *problems;

  if (!deck_inventory_load (inventory, dirs, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  problems = deck_inventory_get_problems (inventory);
  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    g_warning ("%s", problems[i]);
  g_task_return_pointer (task, g_ptr_array_ref (deck_inventory_get_records (inventory)),
                         (GDestroyNotify) g_ptr_array_unref);
}

/* What the live side knew about the rows of the old tree, carried over to the new one so
 * that a reload does not flash every row to "state unknown" until the hosts answer again
 * (they are asked anyway). Keys: "host\nlabel\nconfig" for machines, the name for hosts. */
typedef struct {
  DeckDomainState  state;
  DeckMachineReach reach;
  char            *message;
  char            *hypervisor;
} KnownState;

static void
known_state_free (KnownState *k)
{
  g_free (k->message);
  g_free (k->hypervisor);
  g_free (k);
}

static char *
item_key (DeckMachineItem *item)
{
  if (deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_HOST)
    return g_strdup (deck_machine_item_get_host_name (item));
  return g_strdup_printf ("%s\n%s\n%s", deck_machine_item_get_host_name (item), deck_machine_item_get_label (item),
                          deck_record_get (deck_machine_item_get_record (item), DECK_FIELD_ID));
}

static void
remember_states (GHashTable *known,
                 GPtrArray  *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      DeckMachineItem *item = items->pdata[i];
      KnownState *k = g_new0 (KnownState, 1);

      k->state = deck_machine_item_get_state (item);
      k->reach = deck_machine_item_get_reach (item);
      k->message = g_strdup (deck_machine_item_get_reach_message (item));
      k->hypervisor = g_strdup (deck_machine_item_get_hypervisor (item));
      g_hash_table_replace (known, item_key (item), k);
      remember_states (known, deck_machine_item_get_children (item));
    }
}

static void
restore_states (GHashTable *known,
                GPtrArray  *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      DeckMachineItem *item = items->pdata[i];
      g_autofree char *key = item_key (item);
      KnownState *k = g_hash_table_lookup (known, key);

      if (k != NULL)
        {
          if (deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_HOST)
            {
              deck_machine_item_set_reach (item, k->reach, k->message);
              deck_machine_item_set_hypervisor (item, k->hypervisor);
            }
          else
            deck_machine_item_set_state (item, k->state);
        }
      restore_states (known, deck_machine_item_get_children (item));
    }
}

static void
rebuild (DeckWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->host_list));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) selected = g_ptr_array_new_with_free_func (g_free);   /* host, label|NULL pairs */
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) known_state_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DeckHost) host = g_list_model_get_item (G_LIST_MODEL (self->host_list), i);

      /* a listed "localhost (...)" is the local host's options, not a host of its own */
      if (i == 0 || !deck_host_is_local (host))
        g_ptr_array_add (names, g_strdup (deck_host_get_name (host)));
    }
  g_ptr_array_add (names, NULL);
  /* what was selected stays selected (by host and label: the items are new) */
  {
    GtkTreeSelection *selection = gtk_tree_view_get_selection (self->inventory_view);
    GtkTreeModel *model;
    GList *rows = gtk_tree_selection_get_selected_rows (selection, &model);

    for (GList *l = rows; l != NULL; l = l->next)
      {
        DeckMachineItem *item = deck_window_item_at_path (self, l->data);

        if (item != NULL)
          {
            g_ptr_array_add (selected, g_strdup (deck_machine_item_get_host_name (item)));
            g_ptr_array_add (selected, deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_HOST
                                       ? NULL : g_strdup (deck_machine_item_get_label (item)));
          }
      }
    g_list_free_full (rows, (GDestroyNotify) gtk_tree_path_free);
  }
  remember_states (known, deck_machine_tree_get_hosts (self->tree));
  deck_machine_tree_build (self->tree, (const char * const *) names->pdata, self->records);
  restore_states (known, deck_machine_tree_get_hosts (self->tree));
  fill_store (self);
  for (guint i = 0; i + 1 < selected->len; i += 2)
    {
      const char *host = selected->pdata[i], *label = selected->pdata[i + 1];

      if (label != NULL)
        deck_window_select (self, host, label, TRUE);
      else
        {
          DeckMachineItem *item = deck_machine_tree_find_host (self->tree, host);
          g_autoptr(GtkTreePath) path = item ? deck_window_path_of (self, item) : NULL;

          if (path != NULL)
            gtk_tree_selection_select_path (gtk_tree_view_get_selection (self->inventory_view), path);
        }
    }
  deck_window_update_content (self);
  deck_window_live_start (self);
  deck_window_actions_update (self);
  deck_window_hosts_update (self);
  deck_window_dnd_update (self);
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean is_default = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "is-default"));
  DeckWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = DECK_WINDOW (source);
  self->loading = FALSE;
  g_clear_pointer (&self->records, g_ptr_array_unref);
  if (records == NULL)
    {
      /* no database yet (first run): the empty state explains how to make one */
      if (!(is_default && g_error_matches (error, DECK_ERROR, DECK_ERROR_NOT_FOUND)))
        deck_window_show_error (self, _("Cannot load the inventory"), error);
      records = g_ptr_array_new_with_free_func (g_object_unref);
    }
  self->records = g_steal_pointer (&records);
  rebuild (self);
}

void
deck_window_reload (DeckWindow *self)
{
  g_autoptr(GTask) task = NULL;
  gboolean is_default;
  char **dirs;

  g_return_if_fail (DECK_IS_WINDOW (self));

  if (self->loading)
    return;
  self->loading = TRUE;
  update_status (self);
  dirs = inventory_dirs (self, &is_default);
  task = g_task_new (self, self->cancellable, loaded, NULL);
  g_task_set_source_tag (task, deck_window_reload);
  g_task_set_task_data (task, dirs, (GDestroyNotify) g_strfreev);
  g_object_set_data (G_OBJECT (task), "is-default", GINT_TO_POINTER (is_default));
  g_task_run_in_thread (task, load_thread);
}

/* --- lifecycle ----------------------------------------------------------------------------- */

static void
deck_window_save_state (DeckWindow *self)
{
  g_assert (DECK_IS_WINDOW (self));

  if (self->settings == NULL)
    return;

  deck_settings_set_window_state (self->settings,
                                  self->saved_width, self->saved_height,
                                  self->is_maximized);
  if (self->paned != NULL)
    deck_settings_set_sidebar_width (self->settings, gtk_paned_get_position (self->paned));
}

static void
deck_window_size_allocate (GtkWidget     *widget,
                           GtkAllocation *allocation)
{
  DeckWindow *self = DECK_WINDOW (widget);

  GTK_WIDGET_CLASS (deck_window_parent_class)->size_allocate (widget, allocation);

  if (!self->is_maximized)
    gtk_window_get_size (GTK_WINDOW (self), &self->saved_width, &self->saved_height);
}

static gboolean
deck_window_window_state_event (GtkWidget           *widget,
                                GdkEventWindowState *event)
{
  DeckWindow *self = DECK_WINDOW (widget);

  self->is_maximized = (event->new_window_state & GDK_WINDOW_STATE_MAXIMIZED) != 0;

  return GTK_WIDGET_CLASS (deck_window_parent_class)->window_state_event (widget, event);
}

static gboolean
deck_window_key_press_event (GtkWidget   *widget,
                             GdkEventKey *event)
{
  DeckWindow *self = DECK_WINDOW (widget);

  /* typing while the tree has the focus goes to the filter */
  if (gtk_widget_has_focus (GTK_WIDGET (self->inventory_view))
      && gtk_search_bar_handle_event (self->search_bar, (GdkEvent *) event) == GDK_EVENT_STOP)
    return GDK_EVENT_STOP;
  return GTK_WIDGET_CLASS (deck_window_parent_class)->key_press_event (widget, event);
}

static void
deck_window_constructed (GObject *object)
{
  DeckWindow *self = DECK_WINDOW (object);
  gboolean maximized = FALSE;

  G_OBJECT_CLASS (deck_window_parent_class)->constructed (object);

  g_assert (DECK_IS_SETTINGS (self->settings));

  deck_settings_get_window_state (self->settings,
                                  &self->saved_width, &self->saved_height, &maximized);
  gtk_window_set_default_size (GTK_WINDOW (self), self->saved_width, self->saved_height);
  if (maximized)
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_paned_set_position (self->paned, deck_settings_get_sidebar_width (self->settings));

  if (self->host_list == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->host_list = deck_host_list_new (NULL);
      if (!deck_host_list_load (self->host_list, &error))
        deck_window_show_error (self, _("Cannot read the host list"), error);
    }

  deck_window_update_content (self);
  deck_window_reload (self);
}

static void
deck_window_dispose (GObject *object)
{
  DeckWindow *self = DECK_WINDOW (object);

  /* Template children are still alive until the parent's dispose. */
  deck_window_save_state (self);
  g_cancellable_cancel (self->cancellable);
  deck_window_live_stop (self);
  deck_window_hosts_dispose (self);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  if (self->pending_dialog != NULL)
    gtk_widget_destroy (self->pending_dialog);
  g_clear_pointer (&self->context_menu, gtk_widget_destroy);
  if (self->inventory_view != NULL)
    gtk_tree_view_set_model (self->inventory_view, NULL);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_object (&self->tree);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->busy_items, g_ptr_array_unref);
  g_clear_object (&self->drag_item);
  g_clear_pointer (&self->extra_hosts, g_hash_table_unref);
  g_clear_object (&self->host_list);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (deck_window_parent_class)->dispose (object);
}

static void
deck_window_finalize (GObject *object)
{
  DeckWindow *self = DECK_WINDOW (object);

  g_strfreev (self->inventory_dirs);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (deck_window_parent_class)->finalize (object);
}

static void
deck_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DeckWindow *self = DECK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_HOST_LIST:
      g_value_set_object (value, self->host_list);
      break;
    case PROP_INVENTORY_DIRS:
      g_value_set_boxed (value, self->inventory_dirs);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DeckWindow *self = DECK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_HOST_LIST:
      self->host_list = g_value_dup_object (value);
      break;
    case PROP_INVENTORY_DIRS:
      self->inventory_dirs = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_window_class_init (DeckWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = deck_window_constructed;
  object_class->dispose = deck_window_dispose;
  object_class->finalize = deck_window_finalize;
  object_class->get_property = deck_window_get_property;
  object_class->set_property = deck_window_set_property;

  widget_class->size_allocate = deck_window_size_allocate;
  widget_class->window_state_event = deck_window_window_state_event;
  widget_class->key_press_event = deck_window_key_press_event;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         DECK_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* NULL: the shared host list (the ctys group "vmdeck"), loaded by the window */
  properties[PROP_HOST_LIST] =
    g_param_spec_object ("host-list", NULL, NULL,
                         DECK_TYPE_HOST_LIST,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* NULL: the settings' inventory-dirs, else the ctys default database */
  properties[PROP_INVENTORY_DIRS] =
    g_param_spec_boxed ("inventory-dirs", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vmdeck/Vmdeck/ui/deck-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, header_spinner);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, info_bar);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, inventory_view);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, machine_column);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, state_renderer);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, spinner_renderer);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, text_renderer);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, empty_state);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, empty_state_title);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, empty_state_label);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, empty_state_command);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, empty_state_hint);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, console_notebook);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, machine_menu);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, host_menu);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, place_menu);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, rescan_revealer);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, rescan_progress);
  gtk_widget_class_bind_template_callback (widget_class, on_console_notebook_pages_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_view_button_press);
  gtk_widget_class_bind_template_callback (widget_class, on_view_popup_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_view_query_tooltip);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_info_bar_response",
                                                G_CALLBACK (deck_window_on_info_bar_response));
}

static void
deck_window_init (DeckWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->tree = deck_machine_tree_new ();
  self->store = gtk_tree_store_new (DECK_WINDOW_N_COLUMNS, DECK_TYPE_MACHINE_ITEM);
  self->rows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) gtk_tree_iter_free);
  self->extra_hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->connections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->busy_items = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_tree_view_column_set_cell_data_func (self->machine_column, self->state_renderer, cell_data, self, NULL);
  gtk_tree_view_column_set_cell_data_func (self->machine_column, self->spinner_renderer, cell_data, self, NULL);
  gtk_tree_view_column_set_cell_data_func (self->machine_column, self->text_renderer, cell_data, self, NULL);
  gtk_search_bar_connect_entry (self->search_bar, GTK_ENTRY (self->filter_entry));

  deck_window_actions_init (self);
  deck_window_hosts_init (self);
  deck_window_dnd_init (self);
}

DeckWindow *
deck_window_new (DeckApplication *application,
                 DeckSettings    *settings)
{
  g_return_val_if_fail (DECK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DECK_IS_SETTINGS (settings), NULL);

  return g_object_new (DECK_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       NULL);
}

DeckSettings *
deck_window_get_settings (DeckWindow *self)
{
  g_return_val_if_fail (DECK_IS_WINDOW (self), NULL);

  return self->settings;
}

/* --- test hooks ---------------------------------------------------------------------------- */

DeckWindow *
deck_window_new_for_test (DeckSettings       *settings,
                          DeckHostList       *host_list,
                          const char * const *dirs)
{
  return g_object_new (DECK_TYPE_WINDOW,
                       "settings", settings,
                       "host-list", host_list,
                       "inventory-dirs", dirs,
                       NULL);
}

gboolean
deck_window_is_loading (DeckWindow *self)
{
  return self->loading;
}

DeckMachineTree *
deck_window_get_tree (DeckWindow *self)
{
  return self->tree;
}

GtkTreeView *
deck_window_get_view (DeckWindow *self)
{
  return self->inventory_view;
}

GtkSearchEntry *
deck_window_get_filter_entry (DeckWindow *self)
{
  return self->filter_entry;
}

gboolean
deck_window_select (DeckWindow *self,
                    const char *host,
                    const char *label,
                    gboolean    extend)
{
  g_autoptr(GPtrArray) items = deck_machine_tree_find_machines (self->tree, host, label);
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->inventory_view);

  if (!extend)
    gtk_tree_selection_unselect_all (selection);
  for (guint i = 0; i < items->len; i++)
    {
      GtkTreeIter *child = g_hash_table_lookup (self->rows, items->pdata[i]);
      GtkTreeIter iter;
      g_autoptr(GtkTreePath) path = NULL;

      if (child == NULL || !gtk_tree_model_filter_convert_child_iter_to_iter (self->filter_model, &iter, child))
        continue;
      path = gtk_tree_model_get_path (GTK_TREE_MODEL (self->filter_model), &iter);
      gtk_tree_view_expand_to_path (self->inventory_view, path);
      if (extend)
        gtk_tree_selection_select_path (selection, path);
      else
        gtk_tree_view_set_cursor (self->inventory_view, path, NULL, FALSE);
      return TRUE;
    }
  return FALSE;
}

GtkWidget *
deck_window_get_pending_dialog (DeckWindow *self)
{
  return self->pending_dialog;
}

const char *
deck_window_get_error_text (DeckWindow *self)
{
  return gtk_info_bar_get_revealed (self->info_bar) ? gtk_label_get_text (self->info_label) : NULL;
}

guint
deck_window_get_busy (DeckWindow *self)
{
  return self->busy;
}

GtkWidget *
deck_window_get_host_dialog (DeckWindow *self)
{
  return self->host_dialog;
}

gboolean
deck_window_is_rescanning (DeckWindow *self)
{
  return self->rescan_cancellable != NULL;
}

DeckMachineItem *
deck_window_item_at_path (DeckWindow  *self,
                          GtkTreePath *path)
{
  GtkTreeModel *model = gtk_tree_view_get_model (self->inventory_view);
  GtkTreeIter iter;

  if (model == NULL || !gtk_tree_model_get_iter (model, &iter, path))
    return NULL;
  return item_at (model, &iter);
}

GtkTreePath *
deck_window_path_of (DeckWindow      *self,
                     DeckMachineItem *item)
{
  GtkTreeIter *child = g_hash_table_lookup (self->rows, item);
  GtkTreeIter iter;

  if (child == NULL || self->filter_model == NULL
      || !gtk_tree_model_filter_convert_child_iter_to_iter (self->filter_model, &iter, child))
    return NULL;
  return gtk_tree_model_get_path (GTK_TREE_MODEL (self->filter_model), &iter);
}

gboolean
deck_window_select_host (DeckWindow *self,
                         const char *name)
{
  DeckMachineItem *item = deck_machine_tree_find_host (self->tree, name);
  g_autoptr(GtkTreePath) path = item ? deck_window_path_of (self, item) : NULL;

  if (path == NULL)
    return FALSE;
  gtk_tree_selection_unselect_all (gtk_tree_view_get_selection (self->inventory_view));
  gtk_tree_view_set_cursor (self->inventory_view, path, NULL, FALSE);
  return TRUE;
}
