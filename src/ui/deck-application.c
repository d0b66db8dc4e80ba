/* deck-application.c: the vmdeck GtkApplication (app. actions, accelerators, CSS)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "deck-config.h"

#include "deck-application.h"
#include "deck-console-window.h"
#include "deck-error.h"
#include "deck-host.h"
#include "deck-host-list.h"
#include "deck-libvirt.h"
#include "deck-serial-tab.h"
#include "deck-ssh-command.h"
#include "deck-vnc-tab.h"
#include "deck-window.h"

struct _DeckApplication
{
  GtkApplication  parent_instance;

  DeckSettings   *settings;
  GtkCssProvider *css_provider;

  /* vmdeck --console URI|xl DOMAIN [--vnc|--serial] [--host TARGET] [--privilege Z] */
  gboolean        console_mode;
  gboolean        console_serial;
  char           *console_uri;      /* CONSOLE_XL: the xl backend */
  char           *console_domain;
  DeckHost       *console_host;

  /* vmdeck --host-list FILE --inventory DIR... (the demo of tools/demo, other set-ups):
   * the window's host list and inventory for this run instead of the shared ones */
  char           *host_list_path;
  char          **inventory_dirs;
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
  { "win.filter", { "<Primary>f", NULL } },
  { "win.reload", { "F5", NULL } },
  { "win.start", { "<Primary>Return", NULL } },
  { "win.shutdown", { "<Primary>Delete", NULL } },
  { "win.force-off", { "<Primary><Shift>Delete", NULL } },
  { "win.reboot", { "<Primary>r", NULL } },
  { "win.reset", { "<Primary><Shift>r", NULL } },
  { "win.pause", { "<Primary>p", NULL } },
  { "win.resume", { "<Primary><Shift>p", NULL } },
  { "win.open-vnc", { "<Primary>o", NULL } },
  { "win.open-serial", { "<Primary><Shift>o", NULL } },
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

/* The host behind a libvirt URI that goes over ssh ("qemu+ssh://root@labh1/system"), so
 * that a console's VNC rides that host's master; NULL for any other URI. */
static DeckHost *
host_of_ssh_uri (const char  *uri,
                 GError     **error)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(DeckHost) host = NULL;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0'
      || !g_str_has_suffix (g_uri_get_scheme (parsed), "+ssh"))
    return NULL;
  host = deck_host_new (g_uri_get_host (parsed), g_uri_get_user (parsed), error);
  if (host != NULL && g_uri_get_port (parsed) > 0)
    deck_ssh_command_set_port (deck_host_get_ssh (host), (guint) g_uri_get_port (parsed));
  return g_steal_pointer (&host);
}

/* The URI word of vmdeck --console that means the xl toolstack instead of libvirt. */
#define CONSOLE_XL "xl"

/* --console and its companions; -1 to go on, else the exit status. */
static int
take_console_options (DeckApplication *self,
                      GVariantDict    *options)
{
  g_autofree const char **args = NULL;
  const char *host = NULL;
  const char *privilege = NULL;
  DeckPrivilege mechanisms = 0;
  gboolean vnc = g_variant_dict_contains (options, "vnc");
  gboolean serial = g_variant_dict_contains (options, "serial");
  g_autoptr(GError) error = NULL;

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &args);
  g_variant_dict_lookup (options, "host", "&s", &host);
  g_variant_dict_lookup (options, "privilege", "&s", &privilege);

  if (!g_variant_dict_contains (options, "console"))
    {
      if (args != NULL || vnc || serial || host != NULL || privilege != NULL)
        {
          g_printerr (_("vmdeck: machine arguments, --vnc, --serial, --host and --privilege go with --console\n"));
          return EXIT_FAILURE;
        }
      return -1;
    }
  if (args == NULL || g_strv_length ((char **) args) != 2)
    {
      g_printerr (_("vmdeck: usage: vmdeck --console LIBVIRT-URI|xl DOMAIN [--vnc|--serial] [--host SSH-TARGET] [--privilege KSU,SUDO]\n"));
      return EXIT_FAILURE;
    }
  if (vnc && serial)
    {
      g_printerr (_("vmdeck: --vnc and --serial exclude each other\n"));
      return EXIT_FAILURE;
    }
  if (privilege != NULL && !g_str_equal (args[0], CONSOLE_XL))
    {
      g_printerr (_("vmdeck: --privilege goes with the xl backend (--console xl DOMAIN)\n"));
      return EXIT_FAILURE;
    }
  if (privilege != NULL && !deck_privilege_parse (privilege, &mechanisms, &error))
    {
      g_printerr ("vmdeck: %s\n", error->message);
      return EXIT_FAILURE;
    }

  self->console_mode = TRUE;
  self->console_serial = serial;
  self->console_uri = g_strdup (args[0]);
  self->console_domain = g_strdup (args[1]);
  if (host != NULL)
    self->console_host = deck_host_new (host, NULL, &error);
  else if (g_str_equal (self->console_uri, CONSOLE_XL))
    self->console_host = deck_host_new_local ();
  else
    self->console_host = host_of_ssh_uri (self->console_uri, &error);
  if (error != NULL)
    {
      g_printerr ("vmdeck: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (g_str_equal (self->console_uri, CONSOLE_XL))
    deck_host_set_privilege (self->console_host, mechanisms);
  /* a console is a process of its own (ctys starts one per CONSOLE), never handed to a
   * vmdeck that already runs */
  g_application_set_flags (G_APPLICATION (self),
                           g_application_get_flags (G_APPLICATION (self)) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

/* --host-list and --inventory; -1 to go on, else the exit status. */
static int
take_window_options (DeckApplication *self,
                     GVariantDict    *options)
{
  g_autofree char *host_list = NULL;
  g_auto(GStrv) inventory = NULL;

  g_variant_dict_lookup (options, "host-list", "^ay", &host_list);
  g_variant_dict_lookup (options, "inventory", "^aay", &inventory);
  if (host_list == NULL && inventory == NULL)
    return -1;
  if (g_variant_dict_contains (options, "console"))
    {
      g_printerr (_("vmdeck: --host-list and --inventory do not go with --console\n"));
      return EXIT_FAILURE;
    }
  self->host_list_path = g_steal_pointer (&host_list);
  self->inventory_dirs = g_steal_pointer (&inventory);
  /* a window on other hosts and another inventory is a process of its own (the demo
   * ends with it), never handed to a vmdeck that already runs */
  g_application_set_flags (G_APPLICATION (self),
                           g_application_get_flags (G_APPLICATION (self)) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static int
deck_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  DeckApplication *self = DECK_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  int status;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("vmdeck %s\n", DECK_VERSION);
      return EXIT_SUCCESS;
    }

  if ((status = take_console_options (self, options)) >= 0)
    return status;
  if ((status = take_window_options (self, options)) >= 0)
    return status;

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

/* SIGTERM (ctys CANCEL CLIENT), SIGINT, SIGHUP end a console process like closing its
 * window: the tab lets go of its console, cancels its ssh forward (holding the
 * application until that is done) and unregisters from the session list. */
static gboolean
on_quit_signal (gpointer data)
{
  DeckApplication *self = DECK_APPLICATION (data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_widget_destroy (GTK_WIDGET (l->data));
  return G_SOURCE_CONTINUE;
}

/* The window of vmdeck --console: one tab, connecting at once (it shows its own failures
 * and reconnects by itself). */
static GtkWindow *
open_console_window (DeckApplication *self)
{
  g_autoptr(DeckLibvirt) libvirt = NULL;
  g_autoptr(DeckXl) xl = NULL;
  DeckConsoleWindow *window;
  DeckConsoleTab *tab;

  if (g_str_equal (self->console_uri, CONSOLE_XL))
    {
      xl = deck_xl_new (self->console_host);
      if (self->console_serial)
        tab = DECK_CONSOLE_TAB (deck_serial_tab_new_xl (xl, self->console_domain));
      else
        tab = DECK_CONSOLE_TAB (deck_vnc_tab_new_xl (xl, self->console_domain));
    }
  else
    {
      libvirt = deck_libvirt_new (self->console_uri,
                                  self->console_host ? deck_host_get_name (self->console_host) : NULL);
      if (self->console_serial)
        tab = DECK_CONSOLE_TAB (deck_serial_tab_new (libvirt, self->console_domain, self->console_host));
      else
        tab = DECK_CONSOLE_TAB (deck_vnc_tab_new (libvirt, self->console_domain, self->console_host));
    }
  window = deck_console_window_new (GTK_APPLICATION (self));
  deck_console_window_add_tab (window, tab);
  deck_console_tab_connect_async (tab, NULL, NULL, NULL);
  return GTK_WINDOW (window);
}

static void
deck_application_activate (GApplication *application)
{
  DeckApplication *self = DECK_APPLICATION (application);
  GtkWindow *window;

  if (self->console_mode)
    {
      /* once: a later activation only raises it */
      self->console_mode = FALSE;
      g_unix_signal_add (SIGTERM, on_quit_signal, self);
      g_unix_signal_add (SIGINT, on_quit_signal, self);
      g_unix_signal_add (SIGHUP, on_quit_signal, self);
      gtk_window_present (open_console_window (self));
      return;
    }

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL && (self->host_list_path != NULL || self->inventory_dirs != NULL))
    {
      g_autoptr(DeckHostList) hosts = NULL;
      g_autoptr(GError) error = NULL;

      if (self->host_list_path != NULL)
        {
          hosts = deck_host_list_new (self->host_list_path);
          if (!deck_host_list_load (hosts, &error))
            {
              g_printerr ("vmdeck: %s\n", error->message);
              return;
            }
        }
      window = g_object_new (DECK_TYPE_WINDOW,
                             "application", self,
                             "settings", self->settings,
                             "host-list", hosts,
                             "inventory-dirs", self->inventory_dirs,
                             NULL);
    }
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
  g_clear_object (&self->console_host);

  G_OBJECT_CLASS (deck_application_parent_class)->dispose (object);
}

static void
deck_application_finalize (GObject *object)
{
  DeckApplication *self = DECK_APPLICATION (object);

  g_free (self->console_uri);
  g_free (self->console_domain);
  g_free (self->host_list_path);
  g_strfreev (self->inventory_dirs);

  G_OBJECT_CLASS (deck_application_parent_class)->finalize (object);
}

static void
deck_application_class_init (DeckApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = deck_application_dispose;
  object_class->finalize = deck_application_finalize;

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
    { "console", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Open a console window on DOMAIN of the libvirt daemon at LIBVIRT-URI, or with \"xl\" "
         "instead of the URI on the Xen domain DOMAIN through xl (on --host, else this machine)"), NULL },
    { "vnc", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("With --console: the graphical (VNC) console (the default)"), NULL },
    { "serial", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("With --console: the serial console"), NULL },
    { "host", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
      N_("With --console: the host the daemon (or xl) runs on; VNC and xl go through its ssh master connection"),
      N_("[USER@]HOST") },
    { "privilege", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
      N_("With --console xl: how xl may gain root there, as ctys -Z (KSU, SUDO)"), N_("KSU,SUDO") },
    { "host-list", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
      N_("The window's hosts from FILE (a ctys group file) instead of the group vmdeck"), N_("FILE") },
    { "inventory", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, NULL,
      N_("Read the inventory (enum.fdb) from DIR instead of the inventory-dirs setting (repeatable)"),
      N_("DIR") },
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, NULL,
      NULL, N_("[--console LIBVIRT-URI|xl DOMAIN]") },
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
