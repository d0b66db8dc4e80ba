/* deck-window.c: the main window (inventory on the left, console tabs on the right)
 *
 * For now the window is the empty shell: the inventory list and the console notebook
 * are in place but nothing fills them yet. While the notebook has no tab, the right
 * side shows an empty state that explains how machines get into the inventory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-window.h"

struct _DeckWindow
{
  GtkApplicationWindow parent_instance;

  DeckSettings        *settings;

  /* Template children */
  GtkPaned            *paned;
  GtkListBox          *inventory_list;
  GtkStack            *content_stack;
  GtkWidget           *empty_state;
  GtkNotebook         *console_notebook;

  /* Geometry remembered while the window is not maximized, saved on dispose */
  int                  saved_width;
  int                  saved_height;
  gboolean             is_maximized;
};

G_DEFINE_FINAL_TYPE (DeckWindow, deck_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
deck_window_update_content (DeckWindow *self)
{
  gboolean has_tabs;

  g_assert (DECK_IS_WINDOW (self));

  has_tabs = gtk_notebook_get_n_pages (self->console_notebook) > 0;
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

  deck_window_update_content (self);
}

static void
deck_window_dispose (GObject *object)
{
  DeckWindow *self = DECK_WINDOW (object);

  /* Template children are still alive until the parent's dispose. */
  deck_window_save_state (self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (deck_window_parent_class)->dispose (object);
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
  object_class->get_property = deck_window_get_property;
  object_class->set_property = deck_window_set_property;

  widget_class->size_allocate = deck_window_size_allocate;
  widget_class->window_state_event = deck_window_window_state_event;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         DECK_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vmdeck/Vmdeck/ui/deck-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, inventory_list);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, empty_state);
  gtk_widget_class_bind_template_child (widget_class, DeckWindow, console_notebook);
  gtk_widget_class_bind_template_callback (widget_class, on_console_notebook_pages_changed);
}

static void
deck_window_init (DeckWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
