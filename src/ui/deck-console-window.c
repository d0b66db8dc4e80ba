/* deck-console-window.c: a window of console tabs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "deck-console-window.h"

struct _DeckConsoleWindow
{
  GtkApplicationWindow  parent_instance;

  gboolean              close_when_empty;
  DeckConsoleTab       *current;          /* followed for the header bar (not owned) */

  /* Template children */
  GtkHeaderBar         *header_bar;
  GtkNotebook          *notebook;
};

G_DEFINE_FINAL_TYPE (DeckConsoleWindow, deck_console_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLOSE_WHEN_EMPTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_header (DeckConsoleWindow *self)
{
  const char *title = self->current ? deck_console_tab_get_title (self->current) : NULL;
  const char *status = self->current ? deck_console_tab_get_status (self->current) : NULL;
  g_autofree char *window_title = NULL;

  gtk_header_bar_set_title (self->header_bar, title ? title : _("Consoles"));
  gtk_header_bar_set_subtitle (self->header_bar, status);
  /* Translators: the window title, "deck-l1 (VNC) – vmdeck" */
  window_title = title ? g_strdup_printf (_("%s – vmdeck"), title) : g_strdup ("vmdeck");
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
on_current_notify (DeckConsoleWindow *self)
{
  update_header (self);
}

static void
follow_tab (DeckConsoleWindow *self,
            DeckConsoleTab    *tab)
{
  if (self->current == tab)
    return;
  if (self->current != NULL)
    g_signal_handlers_disconnect_by_func (self->current, on_current_notify, self);
  self->current = tab;
  if (tab != NULL)
    g_signal_connect_object (tab, "notify::status", G_CALLBACK (on_current_notify), self,
                             G_CONNECT_SWAPPED);
  update_header (self);
}

static void
on_switch_page (DeckConsoleWindow *self,
                GtkWidget         *page,
                guint              page_num,
                GtkNotebook       *notebook)
{
  follow_tab (self, DECK_IS_CONSOLE_TAB (page) ? DECK_CONSOLE_TAB (page) : NULL);
}

/* A tab alone in this window has nothing to be detached from. */
static void
update_can_detach (DeckConsoleWindow *self)
{
  guint n = deck_console_window_get_n_tabs (self);

  for (guint i = 0; i < n; i++)
    deck_console_tab_set_can_detach (deck_console_window_get_tab (self, i), n > 1);
}

static void
on_page_removed (DeckConsoleWindow *self,
                 GtkWidget         *page,
                 guint              page_num,
                 GtkNotebook       *notebook)
{
  g_signal_handlers_disconnect_by_data (page, self);
  /* it may go on elsewhere (detached, or moved back): detaching is up to its new place */
  if (!gtk_widget_in_destruction (page))
    deck_console_tab_set_can_detach (DECK_CONSOLE_TAB (page), TRUE);
  if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
    update_can_detach (self);
  if (self->current == DECK_CONSOLE_TAB (page))
    {
      self->current = NULL;
      follow_tab (self, deck_console_window_get_current_tab (self));
    }
  if (gtk_notebook_get_n_pages (notebook) == 0 && self->close_when_empty
      && !gtk_widget_in_destruction (GTK_WIDGET (self)))
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_tab_close_requested (DeckConsoleTab    *tab,
                        DeckConsoleWindow *self)
{
  deck_console_window_close_tab (self, tab);
}

static void
action_close_tab (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  DeckConsoleWindow *self = data;
  DeckConsoleTab *tab = deck_console_window_get_current_tab (self);

  if (tab != NULL)
    deck_console_window_close_tab (self, tab);
}

static const GActionEntry win_actions[] = {
  { "close-tab", action_close_tab },
};

static void
deck_console_window_dispose (GObject *object)
{
  DeckConsoleWindow *self = DECK_CONSOLE_WINDOW (object);

  if (self->current != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->current, on_current_notify, self);
      self->current = NULL;
    }

  G_OBJECT_CLASS (deck_console_window_parent_class)->dispose (object);
}

static void
deck_console_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DeckConsoleWindow *self = DECK_CONSOLE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLOSE_WHEN_EMPTY:
      g_value_set_boolean (value, self->close_when_empty);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_console_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DeckConsoleWindow *self = DECK_CONSOLE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLOSE_WHEN_EMPTY:
      deck_console_window_set_close_when_empty (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_console_window_class_init (DeckConsoleWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = deck_console_window_dispose;
  object_class->get_property = deck_console_window_get_property;
  object_class->set_property = deck_console_window_set_property;

  properties[PROP_CLOSE_WHEN_EMPTY] =
    g_param_spec_boolean ("close-when-empty", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vmdeck/Vmdeck/ui/deck-console-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DeckConsoleWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, DeckConsoleWindow, notebook);
  gtk_widget_class_bind_template_callback (widget_class, on_switch_page);
  gtk_widget_class_bind_template_callback (widget_class, on_page_removed);
}

static void
deck_console_window_init (DeckConsoleWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->close_when_empty = TRUE;
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  update_header (self);
}

DeckConsoleWindow *
deck_console_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (DECK_TYPE_CONSOLE_WINDOW,
                       "application", application,
                       NULL);
}

void
deck_console_window_add_tab (DeckConsoleWindow *self,
                             DeckConsoleTab    *tab)
{
  int page;

  g_return_if_fail (DECK_IS_CONSOLE_WINDOW (self));
  g_return_if_fail (DECK_IS_CONSOLE_TAB (tab));
  g_return_if_fail (gtk_widget_get_parent (GTK_WIDGET (tab)) == NULL);

  gtk_widget_show (GTK_WIDGET (tab));
  page = gtk_notebook_append_page (self->notebook, GTK_WIDGET (tab),
                                   deck_console_tab_get_tab_label (tab));
  gtk_notebook_set_tab_reorderable (self->notebook, GTK_WIDGET (tab), TRUE);
  g_signal_connect_object (tab, "close-requested", G_CALLBACK (on_tab_close_requested), self, 0);
  update_can_detach (self);
  gtk_notebook_set_current_page (self->notebook, page);
}

void
deck_console_window_close_tab (DeckConsoleWindow *self,
                               DeckConsoleTab    *tab)
{
  g_return_if_fail (DECK_IS_CONSOLE_WINDOW (self));
  g_return_if_fail (DECK_IS_CONSOLE_TAB (tab));
  g_return_if_fail (gtk_widget_get_parent (GTK_WIDGET (tab)) == GTK_WIDGET (self->notebook));

  deck_console_tab_disconnect (tab);
  gtk_widget_destroy (GTK_WIDGET (tab));
}

DeckConsoleWindow *
deck_console_window_detach_tab (DeckConsoleTab *tab)
{
  GtkWidget *parent;
  GtkWidget *toplevel;
  GtkApplication *application = NULL;
  DeckConsoleWindow *window;
  GtkAllocation alloc;
  guint close_requested;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (tab), NULL);

  parent = gtk_widget_get_parent (GTK_WIDGET (tab));
  toplevel = gtk_widget_get_toplevel (GTK_WIDGET (tab));
  if (DECK_IS_CONSOLE_WINDOW (toplevel) && deck_console_window_get_n_tabs (DECK_CONSOLE_WINDOW (toplevel)) == 1)
    return DECK_CONSOLE_WINDOW (toplevel);
  if (GTK_IS_WINDOW (toplevel))
    application = gtk_window_get_application (GTK_WINDOW (toplevel));
  gtk_widget_get_allocation (GTK_WIDGET (tab), &alloc);

  window = deck_console_window_new (application);
  if (alloc.width > 200 && alloc.height > 150)
    gtk_window_set_default_size (GTK_WINDOW (window), alloc.width, alloc.height + 48);

  /* the tab lives on through the move; whoever held it lets go of its close button */
  g_object_ref (tab);
  close_requested = g_signal_lookup ("close-requested", DECK_TYPE_CONSOLE_TAB);
  g_signal_handlers_disconnect_matched (tab, G_SIGNAL_MATCH_ID, close_requested, 0, NULL, NULL, NULL);
  if (parent != NULL)
    gtk_container_remove (GTK_CONTAINER (parent), GTK_WIDGET (tab));
  deck_console_window_add_tab (window, tab);
  g_object_unref (tab);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

guint
deck_console_window_get_n_tabs (DeckConsoleWindow *self)
{
  g_return_val_if_fail (DECK_IS_CONSOLE_WINDOW (self), 0);

  return (guint) gtk_notebook_get_n_pages (self->notebook);
}

DeckConsoleTab *
deck_console_window_get_tab (DeckConsoleWindow *self,
                             guint              index)
{
  GtkWidget *page;

  g_return_val_if_fail (DECK_IS_CONSOLE_WINDOW (self), NULL);

  page = gtk_notebook_get_nth_page (self->notebook, (int) index);
  return page ? DECK_CONSOLE_TAB (page) : NULL;
}

DeckConsoleTab *
deck_console_window_get_current_tab (DeckConsoleWindow *self)
{
  int page;

  g_return_val_if_fail (DECK_IS_CONSOLE_WINDOW (self), NULL);

  page = gtk_notebook_get_current_page (self->notebook);
  return page < 0 ? NULL : deck_console_window_get_tab (self, (guint) page);
}

gboolean
deck_console_window_get_close_when_empty (DeckConsoleWindow *self)
{
  g_return_val_if_fail (DECK_IS_CONSOLE_WINDOW (self), FALSE);

  return self->close_when_empty;
}

void
deck_console_window_set_close_when_empty (DeckConsoleWindow *self,
                                          gboolean           close_when_empty)
{
  g_return_if_fail (DECK_IS_CONSOLE_WINDOW (self));

  close_when_empty = !!close_when_empty;
  if (self->close_when_empty == close_when_empty)
    return;
  self->close_when_empty = close_when_empty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSE_WHEN_EMPTY]);
}
