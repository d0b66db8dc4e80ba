/* deck-vnc-tab.c: a console tab showing a domain's VNC display (gtk-vnc)
 *
 * open_async: (remote) forward a private unix socket on the host's master → a new
 * VncDisplay → open it → wait for "vnc-initialized" (or "vnc-error"/"vnc-disconnected",
 * a timeout, cancellation). Afterwards an unexpected "vnc-disconnected" is reported to the
 * base class as a lost connection. close drops the display and the forward.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <unistd.h>

#include "deck-error.h"
#include "deck-sessions.h"
#include "deck-ssh-command.h"

#include "deck-console-window.h"
#include "deck-vnc-tab.h"

/* Seconds from opening the display to "vnc-initialized" (not counting a password prompt). */
#define OPEN_TIMEOUT_S 30

/* A forward of a unix socket on a host's master to the VNC port on that host. Owned by
 * the tab until released; from then on it lives on its own until the master has dropped
 * it (after the add, if that is still running). */
typedef struct {
  DeckSshMaster *master;
  char          *path;
  guint          port;
  GWeakRef       tab;       /* the DeckVncTab that asked for it */
  char          *token;     /* its TUNNEL record in the session registry */
  gboolean       adding;    /* the add is still running */
  gboolean       released;  /* the tab let go: cancel it once the add is done */
  GApplication  *app;       /* held while the forward is being cancelled */
} Forward;

struct _DeckVncTab
{
  DeckConsoleTab  parent_instance;

  VncDisplay     *display;         /* current connection (owned, sunk) */
  gulong          update_id;       /* "vnc-framebuffer-update" on its connection */
  gboolean        has_frame;
  gboolean        scale_to_fit;
  Forward        *forward;         /* remote only: the current connection's forward */
  char           *vnc_error;       /* last "vnc-error"/"vnc-auth-failure" message */
  guint           vnc_port;        /* of the current connection, on the domain's host */
  char           *session_type;    /* the domain's ("QEMU", "XEN") */
  char           *client_token;    /* the CLIENT record while connected */
  gboolean        had_display;     /* a connection was made: the domain has a display */

  /* the pending open */
  GTask          *open_task;
  guint           open_timeout_id;
  GSource        *cancel_source;
  gboolean        need_username;
  gboolean        need_password;

  /* Template children */
  GtkStack       *display_stack;
  GtkScrolledWindow *scroller;
  GtkViewport    *viewport;
  GtkLabel       *placeholder_label;
  GtkImage       *grab_indicator;
  GtkRevealer    *auth_revealer;
  GtkWidget      *auth_username_box;
  GtkEntry       *auth_username_entry;
  GtkEntry       *auth_password_entry;
  GtkWidget      *type_text_button;
  GtkPopover     *type_text_popover;
  GtkEntry       *type_text_entry;
  GtkToggleButton *type_text_return;
};

G_DEFINE_FINAL_TYPE (DeckVncTab, deck_vnc_tab, DECK_TYPE_CONSOLE_TAB)

enum {
  PROP_0,
  PROP_HAS_FRAME,
  PROP_SCALE_TO_FIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- forwards -------------------------------------------------------------------------- */

static void
forward_free (Forward *f)
{
  if (f->app != NULL)
    {
      g_application_release (f->app);
      g_object_unref (f->app);
    }
  g_weak_ref_clear (&f->tab);
  deck_sessions_unregister (f->token);
  g_free (f->token);
  g_clear_object (&f->master);
  g_free (f->path);
  g_free (f);
}

static void
on_forward_cancelled (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  Forward *f = data;
  g_autoptr(GError) error = NULL;

  if (!deck_ssh_master_cancel_forward_finish (DECK_SSH_MASTER (source), result, &error))
    g_debug ("cancelling the forward %s: %s", f->path, error->message);
  /* ssh leaves the socket file behind */
  g_unlink (f->path);
  forward_free (f);
}

static void
forward_cancel (Forward *f)
{
  deck_ssh_master_cancel_forward_async (f->master, f->path, "127.0.0.1", f->port, NULL,
                                        on_forward_cancelled, f);
}

/* The tab lets go of @f: it is cancelled on its master (once added) and freed; this runs
 * on without the tab, holding the application (if any) until it is done. */
static void
forward_release (Forward *f)
{
  GApplication *app = g_application_get_default ();

  f->released = TRUE;
  deck_sessions_unregister (f->token);
  g_clear_pointer (&f->token, g_free);
  if (app != NULL)
    {
      f->app = g_object_ref (app);
      g_application_hold (app);
    }
  if (!f->adding)
    forward_cancel (f);
}

static void open_display (DeckVncTab *self,
                          guint       port);
static void complete_open (DeckVncTab *self,
                           GError     *error);

static void
on_forward_added (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Forward *f = data;
  g_autoptr(DeckVncTab) self = NULL;
  g_autoptr(GError) error = NULL;
  gboolean added;

  f->adding = FALSE;
  added = deck_ssh_master_forward_finish (DECK_SSH_MASTER (source), result, &error);
  if (f->released)
    {
      /* the tab let go meanwhile; a failed add may still have left something behind */
      forward_cancel (f);
      return;
    }
  self = g_weak_ref_get (&f->tab);
  g_assert (self != NULL && self->forward == f);   /* else it would have been released */
  if (self->open_task == NULL)
    return;
  if (!added)
    {
      complete_open (self, g_steal_pointer (&error));
      return;
    }
  /* a unix socket: no local port for LIST */
  f->token = deck_console_tab_register_session (DECK_CONSOLE_TAB (self),
                                                deck_sessions_tunnel_fields (deck_console_tab_get_domain (DECK_CONSOLE_TAB (self)),
                                                                             self->session_type, 0, f->port));
  open_display (self, f->port);
}

/* Adds a forward of a new private socket to 127.0.0.1:@port on @host for @self. Not
 * cancellable (ssh -O forward is quick); a tab that goes away meanwhile releases it. */
static Forward *
forward_add (DeckVncTab *self,
             DeckHost   *host,
             guint       port)
{
  static guint counter;
  Forward *f = g_new0 (Forward, 1);
  g_autofree char *dir = deck_ssh_get_control_dir ();
  g_autofree char *name = g_strdup_printf ("vnc-%d-%u.sock", (int) getpid (), ++counter);

  f->master = g_object_ref (deck_host_get_master (host));
  f->port = port;
  f->path = g_build_filename (dir, name, NULL);
  g_weak_ref_init (&f->tab, self);
  /* a leftover of an earlier process with the same pid would make ssh refuse */
  g_unlink (f->path);
  f->adding = TRUE;
  deck_ssh_master_forward_async (f->master, f->path, "127.0.0.1", f->port, NULL, on_forward_added, f);
  return f;
}

/* --- the pending open ------------------------------------------------------------------- */

static void
complete_open (DeckVncTab *self,
               GError     *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->open_task);

  g_clear_handle_id (&self->open_timeout_id, g_source_remove);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  gtk_revealer_set_reveal_child (self->auth_revealer, FALSE);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static char *
display_failure (DeckVncTab *self,
                 const char *what)
{
  DeckConsoleTab *tab = DECK_CONSOLE_TAB (self);

  /* Translators: "labh1: cannot open the VNC display of deck-h1: Connection refused" */
  return g_strdup_printf (_("%s: cannot open the VNC display of %s: %s"),
                          deck_console_tab_get_host_label (tab), deck_console_tab_get_domain (tab), what);
}

static gboolean
on_open_timeout (gpointer data)
{
  DeckVncTab *self = data;
  g_autofree char *msg = NULL;

  self->open_timeout_id = 0;
  msg = display_failure (self, _("no answer"));
  complete_open (self, g_error_new_literal (DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE, msg));
  return G_SOURCE_REMOVE;
}

static gboolean
on_open_cancelled (GCancellable *cancellable,
                   gpointer      data)
{
  DeckVncTab *self = data;

  complete_open (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
  return G_SOURCE_REMOVE;
}

/* --- display signals -------------------------------------------------------------------- */

static void
set_has_frame (DeckVncTab *self,
               gboolean    has_frame)
{
  if (self->has_frame == has_frame)
    return;
  self->has_frame = has_frame;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_FRAME]);
}

static void
on_framebuffer_update (VncConnection *conn,
                       guint16        x,
                       guint16        y,
                       guint16        width,
                       guint16        height,
                       gpointer       data)
{
  DeckVncTab *self = data;

  /* only the first one matters */
  g_clear_signal_handler (&self->update_id, conn);
  set_has_frame (self, TRUE);
  /* keys typed in the tab go to the guest */
  if (self->display != NULL && gtk_widget_get_mapped (GTK_WIDGET (self->display)))
    gtk_widget_grab_focus (GTK_WIDGET (self->display));
}

static void
on_vnc_initialized (VncDisplay *display,
                    DeckVncTab *self)
{
  g_clear_pointer (&self->vnc_error, g_free);
  self->had_display = TRUE;
  if (self->open_task != NULL && self->client_token == NULL)
    self->client_token =
      deck_console_tab_register_session (DECK_CONSOLE_TAB (self),
                                         deck_sessions_client_fields (deck_console_tab_get_domain (DECK_CONSOLE_TAB (self)),
                                                                      "VNC", self->forward ? 0 : self->vnc_port));
  complete_open (self, NULL);
}

static void
on_vnc_error (VncDisplay *display,
              const char *message,
              DeckVncTab *self)
{
  g_free (self->vnc_error);
  self->vnc_error = g_strdup (message);
}

static void
on_vnc_auth_failure (VncDisplay *display,
                     const char *message,
                     DeckVncTab *self)
{
  g_free (self->vnc_error);
  /* Translators: %s is the VNC server's reason */
  self->vnc_error = g_strdup_printf (_("authentication failed: %s"), message ? message : "");
}

static void
on_vnc_disconnected (VncDisplay *display,
                     DeckVncTab *self)
{
  if (self->open_task != NULL)
    {
      g_autofree char *msg = display_failure (self, self->vnc_error ? self->vnc_error
                                                                     : _("the connection was closed"));
      int code = self->vnc_error && g_str_has_prefix (self->vnc_error, _("authentication failed"))
                 ? DECK_ERROR_PERMISSION : DECK_ERROR_HOST_UNREACHABLE;

      complete_open (self, g_error_new_literal (DECK_ERROR, code, msg));
      return;
    }
  deck_console_tab_connection_lost (DECK_CONSOLE_TAB (self), self->vnc_error);
}

static void
on_vnc_auth_credential (VncDisplay  *display,
                        GValueArray *credentials,
                        DeckVncTab  *self)
{
  self->need_username = self->need_password = FALSE;
  for (guint i = 0; i < credentials->n_values; i++)
    {
      int type = g_value_get_enum (&credentials->values[i]);

      switch (type)
        {
        case VNC_DISPLAY_CREDENTIAL_CLIENTNAME:
          vnc_display_set_credential (display, type, "vmdeck");
          break;
        case VNC_DISPLAY_CREDENTIAL_USERNAME:
          self->need_username = TRUE;
          break;
        case VNC_DISPLAY_CREDENTIAL_PASSWORD:
          self->need_password = TRUE;
          break;
        default:
          g_debug ("VNC server asks for credential %d, which vmdeck does not know", type);
          break;
        }
    }
  if (!self->need_username && !self->need_password)
    return;
  /* the user takes the time they need */
  g_clear_handle_id (&self->open_timeout_id, g_source_remove);
  gtk_widget_set_visible (self->auth_username_box, self->need_username);
  gtk_entry_set_text (self->auth_password_entry, "");
  gtk_revealer_set_reveal_child (self->auth_revealer, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->need_username ? self->auth_username_entry
                                                         : self->auth_password_entry));
}

static void
on_auth_submit (DeckVncTab *self)
{
  if (self->display == NULL || self->open_task == NULL)
    return;
  if (self->need_username)
    vnc_display_set_credential (self->display, VNC_DISPLAY_CREDENTIAL_USERNAME,
                                gtk_entry_get_text (self->auth_username_entry));
  if (self->need_password)
    vnc_display_set_credential (self->display, VNC_DISPLAY_CREDENTIAL_PASSWORD,
                                gtk_entry_get_text (self->auth_password_entry));
  gtk_entry_set_text (self->auth_password_entry, "");
  gtk_revealer_set_reveal_child (self->auth_revealer, FALSE);
  self->open_timeout_id = g_timeout_add_seconds (OPEN_TIMEOUT_S, on_open_timeout, self);
}

static void
on_vnc_keyboard_grab (VncDisplay *display,
                      DeckVncTab *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->grab_indicator), TRUE);
}

static void
on_vnc_keyboard_ungrab (VncDisplay *display,
                        DeckVncTab *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->grab_indicator), FALSE);
}

/* --- the display ------------------------------------------------------------------------ */

static void
apply_scaling (DeckVncTab *self)
{
  GtkPolicyType policy = self->scale_to_fit ? GTK_POLICY_NEVER : GTK_POLICY_AUTOMATIC;

  gtk_scrolled_window_set_policy (self->scroller, policy, policy);
  if (self->display != NULL)
    vnc_display_set_scaling (self->display, self->scale_to_fit);
}

/* gtk-vnc draws an update (and sets a cursor) into the display's GdkWindow without
 * checking that it still has one; updates still on their way after the close, or after
 * the display left its window, would go to a NULL window. Its own handlers of those
 * connection signals are blocked once the display is dropped: nobody sees it any more. */
static void
mute_display (VncDisplay *display)
{
  static const char *const drawing[] = { "vnc-framebuffer-update", "vnc-cursor-changed",
                                         "vnc-desktop-resize" };
  VncConnection *conn = vnc_display_get_connection (display);

  if (conn == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (drawing); i++)
    g_signal_handlers_block_matched (conn, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA,
                                     g_signal_lookup (drawing[i], VNC_TYPE_CONNECTION), 0,
                                     NULL, NULL, display);
}

static void
drop_display (DeckVncTab *self)
{
  VncDisplay *display = g_steal_pointer (&self->display);

  if (display == NULL)
    return;
  g_signal_handlers_disconnect_by_data (display, self);
  g_clear_signal_handler (&self->update_id, vnc_display_get_connection (display));
  mute_display (display);
  /* Closing completes in the background, and gtk-vnc may still draw an update that was on
   * its way into the display's GdkWindow: the display stays in the viewport, hidden and
   * realized, until the next connection's display replaces it (or the tab goes). */
  if (vnc_display_is_open (display))
    vnc_display_close (display);
  gtk_widget_hide (GTK_WIDGET (display));
  g_object_unref (display);
}

static VncDisplay *
new_display (DeckVncTab *self)
{
  VncDisplay *display = VNC_DISPLAY (g_object_ref_sink (vnc_display_new ()));
  g_autofree char *name = g_strdup_printf (_("Screen of %s"), deck_console_tab_get_domain (DECK_CONSOLE_TAB (self)));

  vnc_display_set_scaling (display, self->scale_to_fit);
  vnc_display_set_keep_aspect_ratio (display, TRUE);
  vnc_display_set_shared_flag (display, TRUE);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (display)), name);
  gtk_widget_set_hexpand (GTK_WIDGET (display), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (display), TRUE);

  g_signal_connect (display, "vnc-initialized", G_CALLBACK (on_vnc_initialized), self);
  g_signal_connect (display, "vnc-error", G_CALLBACK (on_vnc_error), self);
  g_signal_connect (display, "vnc-auth-failure", G_CALLBACK (on_vnc_auth_failure), self);
  g_signal_connect (display, "vnc-disconnected", G_CALLBACK (on_vnc_disconnected), self);
  g_signal_connect (display, "vnc-auth-credential", G_CALLBACK (on_vnc_auth_credential), self);
  g_signal_connect (display, "vnc-keyboard-grab", G_CALLBACK (on_vnc_keyboard_grab), self);
  g_signal_connect (display, "vnc-keyboard-ungrab", G_CALLBACK (on_vnc_keyboard_ungrab), self);
  self->update_id = g_signal_connect (vnc_display_get_connection (display), "vnc-framebuffer-update",
                                      G_CALLBACK (on_framebuffer_update), self);

  /* the previous connection's display, closed long ago (see drop_display) */
  if (gtk_bin_get_child (GTK_BIN (self->viewport)) != NULL)
    gtk_container_remove (GTK_CONTAINER (self->viewport), gtk_bin_get_child (GTK_BIN (self->viewport)));
  gtk_container_add (GTK_CONTAINER (self->viewport), GTK_WIDGET (display));
  gtk_widget_show (GTK_WIDGET (display));
  return display;
}

/* Where a local display listens: the libvirt URI's host, else this machine (also for
 * the xl backend, whose remote hosts always go through a forward). */
static char *
local_vnc_host (DeckVncTab *self)
{
  DeckLibvirt *libvirt = deck_console_tab_get_libvirt (DECK_CONSOLE_TAB (self));
  g_autoptr(GUri) parsed = libvirt ? g_uri_parse (deck_libvirt_get_uri (libvirt), G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host = parsed ? g_uri_get_host (parsed) : NULL;

  if (host == NULL || *host == '\0' || g_str_equal (host, "localhost"))
    return g_strdup ("127.0.0.1");
  return g_strdup (host);
}

static void
open_display (DeckVncTab *self,
              guint       port)
{
  g_autofree char *failure = NULL;
  GtkWidget *toplevel;
  gboolean opened;

  self->display = new_display (self);
  /* gtk-vnc draws every update into the display's GdkWindow (and asks it for its size
   * when scaling): it must be realized before anything arrives. The page shows the
   * display from now on; the window need not be on the screen. */
  gtk_stack_set_visible_child_name (self->display_stack, "display");
  toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  if (!gtk_widget_is_toplevel (toplevel) || !GTK_IS_WINDOW (toplevel))
    {
      failure = display_failure (self, _("the console is not in a window"));
      complete_open (self, g_error_new_literal (DECK_ERROR, DECK_ERROR_FAILED, failure));
      return;
    }
  gtk_widget_realize (GTK_WIDGET (self->display));
  if (self->forward != NULL)
    {
      g_autoptr(GSocketAddress) addr = g_unix_socket_address_new (self->forward->path);
      DeckHost *host = deck_console_tab_get_host (DECK_CONSOLE_TAB (self));

      opened = vnc_display_open_addr (self->display, addr, deck_host_get_name (host));
    }
  else
    {
      g_autofree char *host = local_vnc_host (self);
      g_autofree char *service = g_strdup_printf ("%u", port);

      opened = vnc_display_open_host (self->display, host, service);
    }
  if (!opened)
    {
      failure = display_failure (self, _("gtk-vnc refused to open it"));
      complete_open (self, g_error_new_literal (DECK_ERROR, DECK_ERROR_FAILED, failure));
      return;
    }
  self->open_timeout_id = g_timeout_add_seconds (OPEN_TIMEOUT_S, on_open_timeout, self);
}

static void
deck_vnc_tab_open_async (DeckConsoleTab       *tab,
                         const DeckDomainInfo *info,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  DeckVncTab *self = DECK_VNC_TAB (tab);
  DeckHost *host = deck_console_tab_get_host (tab);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, deck_vnc_tab_open_async);
  g_assert (self->open_task == NULL);
  g_assert (self->display == NULL);

  if (info->vnc_port == 0 && self->had_display)
    {
      /* a domain that just (re)started: its device model has not published the port yet
       * (xenstore, libvirt's autoport); the base class tries again */
      g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_FAILED,
                               _("%s: the VNC display of %s is not there yet"),
                               deck_console_tab_get_host_label (tab), info->name);
      return;
    }
  if (info->vnc_port == 0)
    {
      g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_UNSUPPORTED,
                               _("%s has no VNC display that vmdeck can reach (no VNC port)"),
                               info->name);
      return;
    }

  g_clear_pointer (&self->vnc_error, g_free);
  self->vnc_port = info->vnc_port;
  g_free (self->session_type);
  self->session_type = g_strdup (info->type ? info->type : "QEMU");
  self->open_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_open_cancelled), self, NULL);
      g_source_attach (self->cancel_source, g_main_context_get_thread_default ());
    }

  if (host != NULL)
    {
      self->forward = forward_add (self, host, info->vnc_port);
      return;
    }
  open_display (self, info->vnc_port);
}

static gboolean
deck_vnc_tab_open_finish (DeckConsoleTab  *tab,
                          GAsyncResult    *result,
                          GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
deck_vnc_tab_close (DeckConsoleTab *tab)
{
  DeckVncTab *self = DECK_VNC_TAB (tab);

  if (self->open_task != NULL)
    complete_open (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
  drop_display (self);
  deck_sessions_unregister (self->client_token);
  g_clear_pointer (&self->client_token, g_free);
  if (self->forward != NULL)
    forward_release (g_steal_pointer (&self->forward));
  gtk_widget_set_visible (GTK_WIDGET (self->grab_indicator), FALSE);
  gtk_stack_set_visible_child_name (self->display_stack, "placeholder");
  set_has_frame (self, FALSE);
}

/* --- actions ---------------------------------------------------------------------------- */

static void
action_scale_to_fit (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       data)
{
  deck_vnc_tab_set_scale_to_fit (DECK_VNC_TAB (data), g_variant_get_boolean (value));
}

static void
action_send_keys (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  deck_vnc_tab_send_keys (DECK_VNC_TAB (data), g_variant_get_string (parameter, NULL));
}

static void
on_screenshot_response (GtkNativeDialog *dialog,
                        int              response,
                        gpointer         data)
{
  g_autoptr(DeckVncTab) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (path == NULL)
    return;
  if (!deck_vnc_tab_save_screenshot (self, path, &error))
    {
      GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
      GtkWidget *message = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                                   GTK_DIALOG_DESTROY_WITH_PARENT | GTK_DIALOG_MODAL,
                                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                   _("Cannot save the screenshot"));

      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (message), "%s", error->message);
      g_signal_connect (message, "response", G_CALLBACK (gtk_widget_destroy), NULL);
      gtk_window_present (GTK_WINDOW (message));
    }
}

static void
action_screenshot (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  DeckVncTab *self = data;
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("%s-%s.png", deck_console_tab_get_domain (DECK_CONSOLE_TAB (self)), stamp);
  GtkFileChooserNative *chooser;

  if (!self->has_frame)
    return;
  chooser = gtk_file_chooser_native_new (_("Save Screenshot"),
                                         GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_screenshot_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Fullscreen is the screen of the machine alone: a tab that shares its window (the main
 * window's inventory, other tabs) goes into a window of its own first. */
static void
action_fullscreen (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  DeckVncTab *self = data;
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GdkWindow *window;

  if (!GTK_IS_WINDOW (toplevel))
    return;
  window = gtk_widget_get_window (toplevel);
  if (window != NULL && (gdk_window_get_state (window) & GDK_WINDOW_STATE_FULLSCREEN))
    {
      gtk_window_unfullscreen (GTK_WINDOW (toplevel));
      return;
    }
  if (!DECK_IS_CONSOLE_WINDOW (toplevel) || deck_console_window_get_n_tabs (DECK_CONSOLE_WINDOW (toplevel)) > 1)
    toplevel = GTK_WIDGET (deck_console_window_detach_tab (DECK_CONSOLE_TAB (self)));
  gtk_window_fullscreen (GTK_WINDOW (toplevel));
}

static void
action_type_text (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  deck_vnc_tab_type_text (DECK_VNC_TAB (data), g_variant_get_string (parameter, NULL));
}

/* The "Type Text" popover: its text (and Return, if asked) goes to the guest. */
static void
on_type_text_submit (DeckVncTab *self)
{
  g_autofree char *text = g_strconcat (gtk_entry_get_text (self->type_text_entry),
                                       gtk_toggle_button_get_active (self->type_text_return) ? "\n" : "",
                                       NULL);

  if (*text == '\0')
    return;
  gtk_popover_popdown (self->type_text_popover);
  if (deck_vnc_tab_type_text (self, text))
    gtk_entry_set_text (self->type_text_entry, "");
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
  if (self->display != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->display));
}

static const GActionEntry vnc_actions[] = {
  { "scale-to-fit", NULL, NULL, "true", action_scale_to_fit },
  { "send-keys", action_send_keys, "s" },
  { "type-text", action_type_text, "s" },
  { "screenshot", action_screenshot },
  { "fullscreen", action_fullscreen },
};

static void
update_action_state (DeckVncTab *self)
{
  GActionMap *map = deck_console_tab_get_actions (DECK_CONSOLE_TAB (self));
  GAction *action;
  gboolean connected = deck_console_tab_get_state (DECK_CONSOLE_TAB (self)) == DECK_CONSOLE_STATE_CONNECTED;

  if ((action = g_action_map_lookup_action (map, "send-keys")) != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), connected);
  if ((action = g_action_map_lookup_action (map, "type-text")) != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), connected);
  gtk_widget_set_sensitive (self->type_text_button, connected);
  if ((action = g_action_map_lookup_action (map, "screenshot")) != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), connected && self->has_frame);
}

static void
on_notify_update_actions (DeckVncTab *self,
                          GParamSpec *pspec,
                          gpointer    data)
{
  update_action_state (self);
}

/* --- GObject ---------------------------------------------------------------------------- */

static void
deck_vnc_tab_dispose (GObject *object)
{
  DeckVncTab *self = DECK_VNC_TAB (object);

  /* before the template children go */
  if (self->viewport != NULL)
    deck_vnc_tab_close (DECK_CONSOLE_TAB (self));

  G_OBJECT_CLASS (deck_vnc_tab_parent_class)->dispose (object);
}

static void
deck_vnc_tab_finalize (GObject *object)
{
  DeckVncTab *self = DECK_VNC_TAB (object);

  g_free (self->vnc_error);
  g_free (self->session_type);

  G_OBJECT_CLASS (deck_vnc_tab_parent_class)->finalize (object);
}

static void
deck_vnc_tab_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DeckVncTab *self = DECK_VNC_TAB (object);

  switch (prop_id)
    {
    case PROP_HAS_FRAME:
      g_value_set_boolean (value, self->has_frame);
      break;
    case PROP_SCALE_TO_FIT:
      g_value_set_boolean (value, self->scale_to_fit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_vnc_tab_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DeckVncTab *self = DECK_VNC_TAB (object);

  switch (prop_id)
    {
    case PROP_SCALE_TO_FIT:
      deck_vnc_tab_set_scale_to_fit (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_vnc_tab_class_init (DeckVncTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DeckConsoleTabClass *tab_class = DECK_CONSOLE_TAB_CLASS (klass);

  object_class->dispose = deck_vnc_tab_dispose;
  object_class->finalize = deck_vnc_tab_finalize;
  object_class->get_property = deck_vnc_tab_get_property;
  object_class->set_property = deck_vnc_tab_set_property;

  tab_class->kind = "VNC";
  tab_class->open_async = deck_vnc_tab_open_async;
  tab_class->open_finish = deck_vnc_tab_open_finish;
  tab_class->close = deck_vnc_tab_close;

  properties[PROP_HAS_FRAME] =
    g_param_spec_boolean ("has-frame", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE_TO_FIT] =
    g_param_spec_boolean ("scale-to-fit", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vmdeck/Vmdeck/ui/deck-vnc-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, display_stack);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, scroller);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, viewport);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, grab_indicator);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, auth_revealer);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, auth_username_box);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, auth_username_entry);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, auth_password_entry);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, type_text_button);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, type_text_popover);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, type_text_entry);
  gtk_widget_class_bind_template_child (widget_class, DeckVncTab, type_text_return);
  gtk_widget_class_bind_template_callback (widget_class, on_auth_submit);
  gtk_widget_class_bind_template_callback (widget_class, on_type_text_submit);
}

static void
deck_vnc_tab_init (DeckVncTab *self)
{
  GActionMap *actions = deck_console_tab_get_actions (DECK_CONSOLE_TAB (self));

  gtk_widget_init_template (GTK_WIDGET (self));

  self->scale_to_fit = TRUE;
  g_action_map_add_action_entries (actions, vnc_actions, G_N_ELEMENTS (vnc_actions), self);
  g_signal_connect (self, "notify::state", G_CALLBACK (on_notify_update_actions), NULL);
  g_signal_connect (self, "notify::has-frame", G_CALLBACK (on_notify_update_actions), NULL);
  g_object_bind_property (self, "status", self->placeholder_label, "label", G_BINDING_SYNC_CREATE);
  update_action_state (self);
  apply_scaling (self);
}

/* --- public ------------------------------------------------------------------------------ */

DeckVncTab *
deck_vnc_tab_new (DeckLibvirt *libvirt,
                  const char  *domain,
                  DeckHost    *host)
{
  g_return_val_if_fail (DECK_IS_LIBVIRT (libvirt), NULL);
  g_return_val_if_fail (domain != NULL, NULL);
  g_return_val_if_fail (host == NULL || DECK_IS_HOST (host), NULL);

  return g_object_new (DECK_TYPE_VNC_TAB,
                       "libvirt", libvirt,
                       "domain", domain,
                       "host", host,
                       NULL);
}

DeckVncTab *
deck_vnc_tab_new_xl (DeckXl     *xl,
                     const char *domain)
{
  g_return_val_if_fail (DECK_IS_XL (xl), NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  return g_object_new (DECK_TYPE_VNC_TAB, "xl", xl, "domain", domain, NULL);
}

VncDisplay *
deck_vnc_tab_get_display (DeckVncTab *self)
{
  g_return_val_if_fail (DECK_IS_VNC_TAB (self), NULL);

  return self->display;
}

gboolean
deck_vnc_tab_get_has_frame (DeckVncTab *self)
{
  g_return_val_if_fail (DECK_IS_VNC_TAB (self), FALSE);

  return self->has_frame;
}

gboolean
deck_vnc_tab_get_scale_to_fit (DeckVncTab *self)
{
  g_return_val_if_fail (DECK_IS_VNC_TAB (self), TRUE);

  return self->scale_to_fit;
}

void
deck_vnc_tab_set_scale_to_fit (DeckVncTab *self,
                               gboolean    fit)
{
  GAction *action;

  g_return_if_fail (DECK_IS_VNC_TAB (self));

  fit = !!fit;
  if (self->scale_to_fit == fit)
    return;
  self->scale_to_fit = fit;
  apply_scaling (self);
  action = g_action_map_lookup_action (deck_console_tab_get_actions (DECK_CONSOLE_TAB (self)), "scale-to-fit");
  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (fit));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_TO_FIT]);
}

static gboolean
connected_display (DeckVncTab *self)
{
  return self->display != NULL
         && deck_console_tab_get_state (DECK_CONSOLE_TAB (self)) == DECK_CONSOLE_STATE_CONNECTED;
}

gboolean
deck_vnc_tab_send_keys (DeckVncTab *self,
                        const char *name)
{
  guint keys[3] = { GDK_KEY_Control_L, GDK_KEY_Alt_L, 0 };
  guint64 fn;

  g_return_val_if_fail (DECK_IS_VNC_TAB (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_str_equal (name, DECK_VNC_TAB_KEYS_CTRL_ALT_DEL))
    keys[2] = GDK_KEY_Delete;
  else if (g_str_equal (name, DECK_VNC_TAB_KEYS_CTRL_ALT_BACKSPACE))
    keys[2] = GDK_KEY_BackSpace;
  else if (g_str_has_prefix (name, "ctrl-alt-f")
           && g_ascii_string_to_unsigned (name + strlen ("ctrl-alt-f"), 10, 1, 12, &fn, NULL))
    keys[2] = GDK_KEY_F1 + (guint) fn - 1;
  else
    return FALSE;

  if (!connected_display (self))
    return FALSE;
  vnc_display_send_keys (self->display, keys, G_N_ELEMENTS (keys));
  return TRUE;
}

/* The keyval for @c and whether it needs Shift on the current keymap. */
static gboolean
keyval_for_char (char      c,
                 guint    *keyval,
                 gboolean *shift)
{
  GdkKeymap *keymap = gdk_keymap_get_for_display (gdk_display_get_default ());
  g_autofree GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  switch (c)
    {
    case '\n':
      *keyval = GDK_KEY_Return;
      break;
    case '\t':
      *keyval = GDK_KEY_Tab;
      break;
    default:
      if (!g_ascii_isprint (c))
        return FALSE;
      *keyval = gdk_unicode_to_keyval ((guchar) c);
      break;
    }
  if (!gdk_keymap_get_entries_for_keyval (keymap, *keyval, &keys, &n_keys) || n_keys == 0)
    return FALSE;
  /* gtk-vnc sends the scan code of the first entry (vnc_display_send_keys), whatever
   * other keys also make the keyval ("(" is Shift+9, and also the keypad's own "(" on
   * evdev keymaps, which a guest's console does not know): its level says about Shift */
  *shift = keys[0].level == 1;
  return TRUE;
}

typedef struct {
  guint shift;   /* GDK_KEY_Shift_L or 0 */
  guint key;
} KeyPress;

gboolean
deck_vnc_tab_type_text (DeckVncTab *self,
                        const char *text)
{
  g_autoptr(GArray) presses = g_array_new (FALSE, FALSE, sizeof (KeyPress));

  g_return_val_if_fail (DECK_IS_VNC_TAB (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!connected_display (self))
    return FALSE;
  for (const char *p = text; *p; p++)
    {
      KeyPress press;
      gboolean shift;

      if (!keyval_for_char (*p, &press.key, &shift))
        return FALSE;
      press.shift = shift ? GDK_KEY_Shift_L : 0;
      g_array_append_val (presses, press);
    }
  /* one key (with its Shift) at a time: send_keys presses all its keys, then releases
   * them, so a doubled letter sent together would be one long press */
  for (guint i = 0; i < presses->len; i++)
    {
      const KeyPress *press = &g_array_index (presses, KeyPress, i);
      guint keys[2] = { press->shift, press->key };

      if (press->shift != 0)
        vnc_display_send_keys (self->display, keys, 2);
      else
        vnc_display_send_keys (self->display, &keys[1], 1);
    }
  return TRUE;
}

gboolean
deck_vnc_tab_save_screenshot (DeckVncTab  *self,
                              const char  *path,
                              GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_return_val_if_fail (DECK_IS_VNC_TAB (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->display == NULL || !self->has_frame
      || (pixbuf = vnc_display_get_pixbuf (self->display)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   _("%s: there is no picture of the screen yet"),
                   deck_console_tab_get_domain (DECK_CONSOLE_TAB (self)));
      return FALSE;
    }
  return gdk_pixbuf_save (pixbuf, path, "png", error, NULL);
}
