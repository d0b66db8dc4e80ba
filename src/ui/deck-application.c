/* deck-application.c: the vmdeck GtkApplication (app. actions, accelerators, CSS)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "deck-config.h"

#include "deck-application.h"
#include "deck-ssh-command.h"
#include "deck-window.h"

struct _DeckApplication
{
  GtkApplication  parent_instance;

  DeckSettings   *settings;
  GtkCssProvider *css_provider;
};

G_DEFINE_FINAL_TYPE (DeckApplication, deck_application, GTK_TYPE_APPLICATION)

/* Every accelerator of the application, app. and win. alike, comes from this table.
 * GtkApplication's own accelerators for win.show-help-overlay (loaded from
 * gtk/help-overlay.ui) are cleared here: app.shortcuts owns them. */
static const struct {
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "app.quit", { "<Primary>q", NULL } },
  { "app.shortcuts", { "<Primary>question", "<Primary>F1", NULL } },
  { "win.show-help-overlay", { NULL } },
};

static void
deck_application_quit (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  DeckApplication *self = DECK_APPLICATION (user_data);
  g_autoptr(GList) windows = NULL;

  /* Destroy the windows so that each saves its state before the main loop ends. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_widget_destroy (GTK_WIDGET (l->data));

  g_application_quit (G_APPLICATION (self));
}

static void
deck_application_about (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  DeckApplication *self = DECK_APPLICATION (user_data);

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "program-name", "vmdeck",
                         "logo-icon-name", DECK_APPLICATION_ID,
                         "version", DECK_VERSION,
                         "comments", _("Consoles and inventory for Xen and libvirt machines, "
                                       "compatible with ctys"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: credit yourself here, one name per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
deck_application_shortcuts (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  DeckApplication *self = DECK_APPLICATION (user_data);
  GtkWindow *window;
  GtkShortcutsWindow *overlay = NULL;

  /* The overlay is GtkApplication's help overlay, built from gtk/help-overlay.ui in our
   * resources (an alias of ui/deck-shortcuts.ui). */
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (GTK_IS_APPLICATION_WINDOW (window))
    overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));

  if (overlay != NULL)
    gtk_window_present (GTK_WINDOW (overlay));
}

static const GActionEntry app_actions[] = {
  { "quit", deck_application_quit },
  { "about", deck_application_about },
  { "shortcuts", deck_application_shortcuts },
};

static int
deck_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("vmdeck %s\n", DECK_VERSION);
      return EXIT_SUCCESS;
    }

  if (!deck_settings_check_schema (&error))
    {
      g_printerr ("vmdeck: %s\n", error->message);
      return EXIT_FAILURE;
    }

  /* Go on with the default processing (registration, activation). */
  return -1;
}

/* The ssh program of the settings, unless $VMDECK_SSH chooses one for this run (the lab,
 * unusual set-ups): one choice for commands, forwards and libvirt URIs alike. */
static void
use_ssh_setting (DeckSettings *settings)
{
  g_autofree char *program = NULL;
  g_auto(GStrv) extra = NULL;
  g_autoptr(GString) cmdline = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("VMDECK_SSH") != NULL)
    return;
  program = deck_settings_dup_ssh_program (settings);
  extra = deck_settings_dup_ssh_extra_args (settings);
  if ((program == NULL || *program == '\0' || g_str_equal (program, "ssh")) && (extra == NULL || !extra[0]))
    return;
  cmdline = g_string_new (NULL);
  for (guint i = 0; i < 1 + (extra ? g_strv_length (extra) : 0); i++)
    {
      const char *word = i == 0 ? (program && *program ? program : "ssh") : extra[i - 1];
      g_autofree char *quoted = g_shell_quote (word);

      g_string_append_printf (cmdline, "%s%s", i ? " " : "", quoted);
    }
  if (!deck_ssh_set_default_program (cmdline->str, &error))
    g_warning ("ssh-program setting: %s", error->message);
}

static void
deck_application_startup (GApplication *application)
{
  DeckApplication *self = DECK_APPLICATION (application);

  G_APPLICATION_CLASS (deck_application_parent_class)->startup (application);

  self->settings = deck_settings_new ();
  use_ssh_setting (self->settings);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);

  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accelerators[i].action,
                                           accelerators[i].accels);

  /* Stays on the screen for the life of the process: removing it at shutdown restyles
   * widgets that are being finalized. */
  self->css_provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (self->css_provider, "/org/vmdeck/Vmdeck/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (self->css_provider),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  gtk_window_set_default_icon_name (DECK_APPLICATION_ID);
}

static void
deck_application_activate (GApplication *application)
{
  DeckApplication *self = DECK_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (deck_window_new (self, self->settings));

  gtk_window_present (window);
}

static void
deck_application_dispose (GObject *object)
{
  DeckApplication *self = DECK_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->css_provider);

  G_OBJECT_CLASS (deck_application_parent_class)->dispose (object);
}

static void
deck_application_class_init (DeckApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = deck_application_dispose;

  app_class->handle_local_options = deck_application_handle_local_options;
  app_class->startup = deck_application_startup;
  app_class->activate = deck_application_activate;
}

static void
deck_application_init (DeckApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Open consoles on Xen and libvirt machines "
                                              "listed in the ctys inventory."));
}

DeckApplication *
deck_application_new (void)
{
  return g_object_new (DECK_TYPE_APPLICATION,
                       "application-id", DECK_APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/vmdeck/Vmdeck",
                       NULL);
}

DeckSettings *
deck_application_get_settings (DeckApplication *self)
{
  g_return_val_if_fail (DECK_IS_APPLICATION (self), NULL);

  return self->settings;
}
