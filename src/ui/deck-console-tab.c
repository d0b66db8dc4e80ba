/* deck-console-tab.c: the base of the console tabs (VNC, serial)
 *
 * See deck-console-tab.h for the behaviour. One connection attempt at a time: it owns
 * priv->attempt (a GCancellable cancelled by disconnect and dispose), walks libvirt
 * connect -> lookup (or xl list) -> the subclass's open_async, and sets the state from the
 * outcome. Reconnections are the same attempt started from a back-off timer, a libvirt
 * event or, with xl, a quiet poll of a STOPPED tab (priv->poll_id) that finds it running.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "deck-error.h"
#include "deck-sessions.h"

#include "deck-console-tab.h"
#include "deck-console-window.h"

typedef struct
{
  DeckLibvirt      *libvirt;         /* one of libvirt and xl */
  DeckXl           *xl;
  DeckHost         *host;
  char             *domain;
  char             *title;
  DeckConsoleState  state;
  char             *status;

  GCancellable     *lifetime;        /* cancelled in dispose */
  GCancellable     *attempt;         /* the running connection attempt, or NULL */
  guint             retry_id;        /* back-off timer */
  guint             retries;         /* failed attempts since the last success */
  gboolean          auto_reconnect;  /* from the first connect until disconnect */
  gboolean          open;            /* the subclass's open succeeded and is not closed */
  gint64            connected_at;    /* monotonic time of the last successful attempt */
  gboolean          started_meanwhile; /* a start event came while an attempt ran */
  guint             poll_id;         /* timer of the STOPPED poll */
  GCancellable     *poll;            /* the running poll's lookup */
  GSimpleActionGroup *actions;

  /* Template children */
  GtkInfoBar       *info_bar;
  GtkLabel         *status_label;
  GtkSpinner       *status_spinner;
  GtkButton        *reconnect_button;
  GtkWidget        *tab_label;
  GtkWidget        *tab_detach_button;
  GtkLabel         *tab_title;
  GtkSpinner       *tab_spinner;
  GtkImage         *tab_icon;
} DeckConsoleTabPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DeckConsoleTab, deck_console_tab, GTK_TYPE_BOX)

G_DEFINE_ENUM_TYPE (DeckConsoleState, deck_console_state,
  G_DEFINE_ENUM_VALUE (DECK_CONSOLE_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (DECK_CONSOLE_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (DECK_CONSOLE_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (DECK_CONSOLE_STATE_WAITING, "waiting"),
  G_DEFINE_ENUM_VALUE (DECK_CONSOLE_STATE_STOPPED, "stopped"),
  G_DEFINE_ENUM_VALUE (DECK_CONSOLE_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_LIBVIRT,
  PROP_XL,
  PROP_HOST,
  PROP_DOMAIN,
  PROP_TITLE,
  PROP_STATE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CLOSE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A connection that breaks sooner than this after it was made does not reset the
 * back-off: a console that keeps breaking (two clients taking a console from each other,
 * a guest that crashes at once) ends in FAILED instead of looping. */
#define STABLE_USEC (10 * G_USEC_PER_SEC)

/* The error domain of "the domain does not run" (not a DECK_ERROR code of its own: the
 * caller sees DECK_ERROR_FAILED, the tab knows to wait for the domain). */
#define NOT_RUNNING_KEY "deck-console-tab-not-running"

static void start_attempt (DeckConsoleTab *self,
                           GTask          *task);

/* --- state ----------------------------------------------------------------------------- */

static gboolean
is_remote (DeckConsoleTabPrivate *priv)
{
  return priv->host != NULL && !deck_host_is_local (priv->host);
}

static const char *
host_label (DeckConsoleTabPrivate *priv)
{
  if (priv->host != NULL)
    return deck_host_get_name (priv->host);
  if (priv->libvirt != NULL)
    return deck_libvirt_get_host_label (priv->libvirt);
  return deck_host_get_name (deck_xl_get_host (priv->xl));
}

static void
update_state_widgets (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);
  gboolean busy = priv->state == DECK_CONSOLE_STATE_CONNECTING || priv->state == DECK_CONSOLE_STATE_WAITING;
  const char *icon = NULL;
  GtkMessageType type = GTK_MESSAGE_INFO;
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  switch (priv->state)
    {
    case DECK_CONSOLE_STATE_IDLE:
      icon = "network-offline-symbolic";
      type = GTK_MESSAGE_OTHER;
      break;
    case DECK_CONSOLE_STATE_CONNECTING:
    case DECK_CONSOLE_STATE_WAITING:
      break;
    case DECK_CONSOLE_STATE_CONNECTED:
      icon = "utilities-terminal-symbolic";
      break;
    case DECK_CONSOLE_STATE_STOPPED:
      icon = "system-shutdown-symbolic";
      type = GTK_MESSAGE_WARNING;
      break;
    case DECK_CONSOLE_STATE_FAILED:
      icon = "dialog-error-symbolic";
      type = GTK_MESSAGE_ERROR;
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_info_bar_set_message_type (priv->info_bar, type);
  gtk_info_bar_set_revealed (priv->info_bar, priv->state != DECK_CONSOLE_STATE_CONNECTED);
  gtk_label_set_text (priv->status_label, priv->status ? priv->status : "");
  gtk_widget_set_visible (GTK_WIDGET (priv->status_spinner), busy);
  if (busy)
    gtk_spinner_start (priv->status_spinner);
  else
    gtk_spinner_stop (priv->status_spinner);
  gtk_button_set_label (priv->reconnect_button,
                        priv->state == DECK_CONSOLE_STATE_IDLE ? _("_Connect") : _("_Reconnect"));
  gtk_widget_set_visible (GTK_WIDGET (priv->reconnect_button),
                          priv->state != DECK_CONSOLE_STATE_CONNECTING);

  gtk_widget_set_visible (GTK_WIDGET (priv->tab_spinner), busy);
  if (busy)
    gtk_spinner_start (priv->tab_spinner);
  else
    gtk_spinner_stop (priv->tab_spinner);
  gtk_widget_set_visible (GTK_WIDGET (priv->tab_icon), icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (priv->tab_icon, icon, GTK_ICON_SIZE_MENU);
  gtk_widget_set_tooltip_text (priv->tab_label, priv->status ? priv->status : priv->title);

  if (priv->state == DECK_CONSOLE_STATE_CONNECTED)
    gtk_style_context_remove_class (context, "deck-console-offline");
  else
    gtk_style_context_add_class (context, "deck-console-offline");
}

static void
set_state (DeckConsoleTab   *self,
           DeckConsoleState  state,
           const char       *status)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);
  gboolean state_changed = priv->state != state;
  gboolean status_changed = g_strcmp0 (priv->status, status) != 0;

  if (!state_changed && !status_changed)
    return;
  priv->state = state;
  if (status_changed)
    {
      g_free (priv->status);
      priv->status = g_strdup (status);
    }
  g_debug ("%s: %s%s%s", priv->title, g_enum_to_string (DECK_TYPE_CONSOLE_STATE, state),
           status ? ": " : "", status ? status : "");
  update_state_widgets (self);
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (status_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/* Closes the subclass's connection if it is open. */
static void
close_console (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  priv->open = FALSE;
  DECK_CONSOLE_TAB_GET_CLASS (self)->close (self);
}

static void
cancel_attempt (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  if (priv->attempt != NULL)
    {
      g_cancellable_cancel (priv->attempt);
      g_clear_object (&priv->attempt);
    }
}

/* --- reconnecting ------------------------------------------------------------------------ */

static gboolean
on_retry_timeout (gpointer data)
{
  DeckConsoleTab *self = data;
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  priv->retry_id = 0;
  if (priv->attempt == NULL)
    start_attempt (self, g_task_new (self, NULL, NULL, NULL));
  return G_SOURCE_REMOVE;
}

/* After a failed attempt or a lost link: try again after 1, 2, 4, ... 30 s, or give up. */
static void
schedule_retry (DeckConsoleTab *self,
                const char     *why)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);
  g_autofree char *status = NULL;
  guint delay;

  g_clear_handle_id (&priv->retry_id, g_source_remove);
  if (priv->retries >= DECK_CONSOLE_TAB_MAX_RETRIES)
    {
      status = g_strdup_printf (_("%s Gave up after %u attempts."), why, priv->retries);
      set_state (self, DECK_CONSOLE_STATE_FAILED, status);
      return;
    }
  delay = MIN (1u << MIN (priv->retries, 5u), 30u);
  priv->retries++;
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s Retrying in %u second…",
                                         "%s Retrying in %u seconds…", delay), why, delay);
  set_state (self, DECK_CONSOLE_STATE_WAITING, status);
  priv->retry_id = g_timeout_add_seconds (delay, on_retry_timeout, self);
}

/* Reconnect now (the domain started again, the user asked). */
static void
reconnect_now (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  g_clear_handle_id (&priv->retry_id, g_source_remove);
  if (priv->attempt != NULL)
    return;
  priv->auto_reconnect = TRUE;
  start_attempt (self, g_task_new (self, NULL, NULL, NULL));
}

/* --- a STOPPED tab asks its backend (xl: no events; libvirt: see set_stopped) ------------------ */

static void
stop_poll (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  g_clear_handle_id (&priv->poll_id, g_source_remove);
  if (priv->poll != NULL)
    {
      g_cancellable_cancel (priv->poll);
      g_clear_object (&priv->poll);
    }
}

static void schedule_poll (DeckConsoleTab *self);

static void
on_polled (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GCancellable) poll = data;
  DeckConsoleTab *self = DECK_CONSOLE_TAB (source);
  DeckConsoleTabPrivate *priv;
  g_autoptr(DeckDomainInfo) info = deck_console_tab_lookup_finish (self, result, NULL);

  if (g_cancellable_is_cancelled (poll))
    return;   /* disconnected, reconnecting or gone */
  priv = deck_console_tab_get_instance_private (self);
  g_clear_object (&priv->poll);
  if (priv->state != DECK_CONSOLE_STATE_STOPPED || !priv->auto_reconnect)
    return;
  if (info != NULL && info->state != DECK_DOMAIN_STATE_SHUTOFF && info->state != DECK_DOMAIN_STATE_CRASHED
      && info->state != DECK_DOMAIN_STATE_SUSPENDED && info->state != DECK_DOMAIN_STATE_UNKNOWN)
    {
      priv->retries = 0;
      reconnect_now (self);
      return;
    }
  /* still stopped, or the host did not answer this time: ask again later */
  schedule_poll (self);
}

static gboolean
on_poll_timeout (gpointer data)
{
  DeckConsoleTab *self = data;
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  priv->poll_id = 0;
  priv->poll = g_cancellable_new ();
  deck_console_tab_lookup_async (self, priv->poll, on_polled, g_object_ref (priv->poll));
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  stop_poll (self);
  priv->poll_id = g_timeout_add_seconds (DECK_CONSOLE_TAB_POLL_SECONDS, on_poll_timeout, self);
}

static void
set_stopped (DeckConsoleTab *self,
             const char     *state_name)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);
  g_autofree char *status = NULL;

  g_clear_handle_id (&priv->retry_id, g_source_remove);
  priv->retries = 0;
  /* Translators: "deck-l1 is shut off." The state is libvirt's (shut off, crashed, ...) */
  status = g_strdup_printf (_("%s is %s. The console opens again when the machine starts."),
                            priv->domain, state_name);
  set_state (self, DECK_CONSOLE_STATE_STOPPED, status);
  /* xl has no events; libvirt's libxl driver sends none when it restarts a domain that
   * rebooted (on_reboot=restart): only "stopped". So a stopped tab also asks. */
  schedule_poll (self);
}

static void
on_domain_changed (DeckLibvirt     *libvirt,
                   const char      *name,
                   DeckDomainState  state,
                   gpointer         data)
{
  DeckConsoleTab *self = data;
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  if (!priv->auto_reconnect || g_strcmp0 (name, priv->domain) != 0)
    return;

  switch (state)
    {
    case DECK_DOMAIN_STATE_SHUTOFF:
    case DECK_DOMAIN_STATE_CRASHED:
    case DECK_DOMAIN_STATE_SUSPENDED:
      /* the machine stopped: nothing of it stays on the screen */
      cancel_attempt (self);
      close_console (self);
      set_stopped (self, deck_domain_state_to_string (state));
      break;

    case DECK_DOMAIN_STATE_RUNNING:
    case DECK_DOMAIN_STATE_BLOCKED:
      if (priv->attempt != NULL)
        /* the attempt may have looked before the start: it must not settle on STOPPED */
        priv->started_meanwhile = TRUE;
      else if (priv->state != DECK_CONSOLE_STATE_CONNECTED)
        {
          priv->retries = 0;
          reconnect_now (self);
        }
      break;

    default:
      break;
    }
}

static void
on_libvirt_disconnected (DeckLibvirt *libvirt,
                         const char  *reason,
                         gpointer     data)
{
  DeckConsoleTab *self = data;
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);
  g_autofree char *why = NULL;

  /* A console that still works (VNC straight to the host) keeps working; one that waits
   * for the domain to start would wait for events that no longer come. */
  if (!priv->auto_reconnect || priv->state != DECK_CONSOLE_STATE_STOPPED)
    return;
  why = g_strdup_printf (_("Lost the connection to %s: %s."), host_label (priv), reason ? reason : _("closed"));
  priv->retries = 0;
  schedule_retry (self, why);
}

void
deck_console_tab_connection_lost (DeckConsoleTab *self,
                                  const char     *reason)
{
  DeckConsoleTabPrivate *priv;
  g_autofree char *why = NULL;

  g_return_if_fail (DECK_IS_CONSOLE_TAB (self));
  priv = deck_console_tab_get_instance_private (self);

  if (priv->state != DECK_CONSOLE_STATE_CONNECTED)
    return;
  close_console (self);
  if (reason != NULL && *reason != '\0')
    why = g_strdup_printf (_("The console of %s closed: %s."), priv->domain, reason);
  else
    why = g_strdup_printf (_("The console of %s closed."), priv->domain);
  if (g_get_monotonic_time () - priv->connected_at >= STABLE_USEC)
    priv->retries = 0;
  /* the retry looks the domain up: stopped → STOPPED, running → reconnected */
  schedule_retry (self, why);
}

void
deck_console_tab_connection_failed (DeckConsoleTab *self,
                                    const char     *message)
{
  DeckConsoleTabPrivate *priv;

  g_return_if_fail (DECK_IS_CONSOLE_TAB (self));
  g_return_if_fail (message != NULL);
  priv = deck_console_tab_get_instance_private (self);

  if (priv->state != DECK_CONSOLE_STATE_CONNECTED)
    return;
  close_console (self);
  g_clear_handle_id (&priv->retry_id, g_source_remove);
  set_state (self, DECK_CONSOLE_STATE_FAILED, message);
}

/* --- connecting ------------------------------------------------------------------------- */

typedef struct {
  GCancellable *attempt;       /* == priv->attempt while this attempt is current */
  GCancellable *caller;        /* the caller's cancellable, linked to @attempt */
  gulong        caller_id;
} Attempt;

static void
attempt_free (Attempt *a)
{
  if (a->caller != NULL)
    {
      g_cancellable_disconnect (a->caller, a->caller_id);
      g_object_unref (a->caller);
    }
  g_clear_object (&a->attempt);
  g_free (a);
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

/* Ends the attempt of @task with @error (NULL: success) and sets the state. */
static void
finish_attempt (GTask  *task,
                GError *error)
{
  DeckConsoleTab *self = g_task_get_source_object (task);
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);
  Attempt *a = g_task_get_task_data (task);
  gboolean current = a->attempt == priv->attempt && priv->attempt != NULL;

  if (current)
    g_clear_object (&priv->attempt);

  if (error == NULL)
    {
      if (current)
        {
          /* the back-off is reset once the connection proved stable (connection_lost) */
          priv->open = TRUE;
          priv->connected_at = g_get_monotonic_time ();
          set_state (self, DECK_CONSOLE_STATE_CONNECTED, NULL);
        }
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  /* a cancelled attempt leaves the state to whoever cancelled it */
  if (current && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *why = g_strdup_printf ("%s.", error->message);

      if (g_object_get_data (G_OBJECT (task), NOT_RUNNING_KEY) != NULL && priv->started_meanwhile)
        {
          /* it started after the lookup: look again */
          priv->retries = 0;
          schedule_retry (self, why);
        }
      else if (g_object_get_data (G_OBJECT (task), NOT_RUNNING_KEY) != NULL)
        set_stopped (self, g_object_get_data (G_OBJECT (task), NOT_RUNNING_KEY));
      else if (g_error_matches (error, DECK_ERROR, DECK_ERROR_NOT_FOUND)
               || g_error_matches (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED)
               || g_error_matches (error, DECK_ERROR, DECK_ERROR_PERMISSION)
               || g_error_matches (error, DECK_ERROR, DECK_ERROR_HOST_KEY))
        {
          /* trying again does not help; the user may, once fixed */
          g_clear_handle_id (&priv->retry_id, g_source_remove);
          set_state (self, DECK_CONSOLE_STATE_FAILED, why);
        }
      else if (priv->auto_reconnect)
        schedule_retry (self, why);
      else
        set_state (self, DECK_CONSOLE_STATE_FAILED, why);
    }
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  GTask *task = data;
  DeckConsoleTab *self = DECK_CONSOLE_TAB (source);
  GError *error = NULL;

  if (!DECK_CONSOLE_TAB_GET_CLASS (self)->open_finish (self, result, &error))
    {
      /* whatever the subclass got half-way is dropped */
      DECK_CONSOLE_TAB_GET_CLASS (self)->close (self);
      finish_attempt (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      /* cancelled while the subclass finished: close what it opened */
      DECK_CONSOLE_TAB_GET_CLASS (self)->close (self);
      g_object_unref (task);
      return;
    }
  finish_attempt (task, NULL);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  DeckConsoleTab *self = g_task_get_source_object (task);
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);
  Attempt *a = g_task_get_task_data (task);
  g_autoptr(DeckDomainInfo) info = NULL;
  g_autofree char *status = NULL;
  GError *error = NULL;

  info = deck_console_tab_lookup_finish (self, result, &error);
  if (info == NULL)
    {
      finish_attempt (task, error);
      return;
    }
  if (g_cancellable_is_cancelled (a->attempt))
    {
      finish_attempt (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
      return;
    }

  switch (info->state)
    {
    case DECK_DOMAIN_STATE_RUNNING:
    case DECK_DOMAIN_STATE_BLOCKED:
    case DECK_DOMAIN_STATE_PAUSED:
    case DECK_DOMAIN_STATE_SHUTDOWN:
      break;

    default:
      g_object_set_data_full (G_OBJECT (task), NOT_RUNNING_KEY,
                              g_strdup (deck_domain_state_to_string (info->state)), g_free);
      finish_attempt (task, g_error_new (DECK_ERROR, DECK_ERROR_FAILED,
                                         _("%s: %s is %s"), host_label (priv), priv->domain,
                                         deck_domain_state_to_string (info->state)));
      return;
    }

  /* Translators: "Opening the VNC console of deck-l1…" */
  status = g_strdup_printf (_("Opening the %s console of %s…"),
                            DECK_CONSOLE_TAB_GET_CLASS (self)->kind, priv->domain);
  set_state (self, DECK_CONSOLE_STATE_CONNECTING, status);
  DECK_CONSOLE_TAB_GET_CLASS (self)->open_async (self, info, a->attempt, on_opened, task);
}

static void
lookup_domain (GTask *task)
{
  DeckConsoleTab *self = g_task_get_source_object (task);
  Attempt *a = g_task_get_task_data (task);

  deck_console_tab_lookup_async (self, a->attempt, on_looked_up, task);
}

static void
on_libvirt_connected (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!deck_libvirt_connect_finish (DECK_LIBVIRT (source), result, &error))
    {
      finish_attempt (task, error);
      return;
    }
  lookup_domain (task);
}

static void
start_attempt (DeckConsoleTab *self,
               GTask          *task)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);
  Attempt *a = g_new0 (Attempt, 1);
  g_autofree char *status = NULL;

  g_assert (priv->attempt == NULL);

  g_task_set_source_tag (task, deck_console_tab_connect_async);
  priv->attempt = g_cancellable_new ();
  a->attempt = g_object_ref (priv->attempt);
  if (g_task_get_cancellable (task) != NULL)
    {
      a->caller = g_object_ref (g_task_get_cancellable (task));
      a->caller_id = g_cancellable_connect (a->caller, G_CALLBACK (on_caller_cancelled),
                                            g_object_ref (a->attempt), g_object_unref);
    }
  g_task_set_task_data (task, a, (GDestroyNotify) attempt_free);
  g_clear_handle_id (&priv->retry_id, g_source_remove);
  stop_poll (self);
  priv->started_meanwhile = FALSE;

  if (priv->libvirt != NULL && !deck_libvirt_is_connected (priv->libvirt))
    {
      /* Translators: "Connecting to labh1…" */
      status = g_strdup_printf (_("Connecting to %s…"), host_label (priv));
      set_state (self, DECK_CONSOLE_STATE_CONNECTING, status);
      deck_libvirt_connect_async (priv->libvirt, 0, a->attempt, on_libvirt_connected, task);
      return;
    }
  /* Translators: "Looking up deck-l1…" */
  status = g_strdup_printf (_("Looking up %s…"), priv->domain);
  set_state (self, DECK_CONSOLE_STATE_CONNECTING, status);
  lookup_domain (task);
}

void
deck_console_tab_connect_async (DeckConsoleTab      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  DeckConsoleTabPrivate *priv;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DECK_IS_CONSOLE_TAB (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  priv = deck_console_tab_get_instance_private (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, deck_console_tab_connect_async);
  if (priv->attempt != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The console of %s is already connecting"), priv->domain);
      return;
    }
  if (priv->open)
    close_console (self);
  priv->auto_reconnect = TRUE;
  priv->retries = 0;
  start_attempt (self, g_steal_pointer (&task));
}

gboolean
deck_console_tab_connect_finish (DeckConsoleTab  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == deck_console_tab_connect_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
deck_console_tab_disconnect (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_if_fail (DECK_IS_CONSOLE_TAB (self));
  priv = deck_console_tab_get_instance_private (self);

  priv->auto_reconnect = FALSE;
  priv->retries = 0;
  g_clear_handle_id (&priv->retry_id, g_source_remove);
  stop_poll (self);
  cancel_attempt (self);
  close_console (self);
  set_state (self, DECK_CONSOLE_STATE_IDLE, _("Not connected."));
}

/* --- actions and template callbacks ------------------------------------------------------ */

static void
action_reconnect (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  DeckConsoleTab *self = data;
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  if (priv->attempt != NULL)
    return;
  if (priv->open)
    close_console (self);
  priv->retries = 0;
  reconnect_now (self);
}

static void
action_disconnect (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  deck_console_tab_disconnect (DECK_CONSOLE_TAB (data));
}

static void
action_detach (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       data)
{
  deck_console_window_detach_tab (DECK_CONSOLE_TAB (data));
}

static const GActionEntry tab_actions[] = {
  { "reconnect", action_reconnect },
  { "disconnect", action_disconnect },
  { "detach", action_detach },
};

static void
on_close_clicked (DeckConsoleTab *self,
                  GtkButton      *button)
{
  g_signal_emit (self, signals[SIGNAL_CLOSE_REQUESTED], 0);
}

static void
on_detach_clicked (DeckConsoleTab *self,
                   GtkButton      *button)
{
  deck_console_window_detach_tab (self);
}

/* --- GObject ----------------------------------------------------------------------------- */

static void
deck_console_tab_constructed (GObject *object)
{
  DeckConsoleTab *self = DECK_CONSOLE_TAB (object);
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);
  const char *kind = DECK_CONSOLE_TAB_GET_CLASS (self)->kind;

  G_OBJECT_CLASS (deck_console_tab_parent_class)->constructed (object);

  g_assert ((priv->libvirt != NULL) != (priv->xl != NULL));
  g_assert (priv->domain != NULL);
  if (priv->xl != NULL && priv->host == NULL)
    priv->host = g_object_ref (deck_xl_get_host (priv->xl));

  if (is_remote (priv))
    /* Translators: "deck-h1 on labh1 (VNC)" */
    priv->title = g_strdup_printf (_("%s on %s (%s)"), priv->domain, deck_host_get_name (priv->host), kind);
  else
    /* Translators: "deck-l1 (serial)" */
    priv->title = g_strdup_printf (_("%s (%s)"), priv->domain, kind);
  gtk_label_set_text (priv->tab_title, priv->title);
  /* a notebook gives tab labels their minimum width: ask for the title's (up to 28) */
  gtk_label_set_width_chars (priv->tab_title, MIN ((int) g_utf8_strlen (priv->title, -1), 28));

  if (priv->libvirt != NULL)
    {
      g_signal_connect_object (priv->libvirt, "domain-changed", G_CALLBACK (on_domain_changed), self, 0);
      g_signal_connect_object (priv->libvirt, "disconnected", G_CALLBACK (on_libvirt_disconnected), self, 0);
    }

  priv->state = DECK_CONSOLE_STATE_IDLE;
  priv->status = g_strdup (_("Not connected."));
  update_state_widgets (self);
}

static void
deck_console_tab_dispose (GObject *object)
{
  DeckConsoleTab *self = DECK_CONSOLE_TAB (object);
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  priv->auto_reconnect = FALSE;
  g_clear_handle_id (&priv->retry_id, g_source_remove);
  stop_poll (self);
  g_cancellable_cancel (priv->lifetime);
  cancel_attempt (self);
  if (priv->libvirt != NULL || priv->xl != NULL)
    {
      if (priv->libvirt != NULL)
        g_signal_handlers_disconnect_by_data (priv->libvirt, self);
      /* the subclass's close may still need the backend (it runs before the subclass
       * drops its own fields, and this is the last chance) */
      close_console (self);
      g_clear_object (&priv->libvirt);
      g_clear_object (&priv->xl);
    }
  g_clear_object (&priv->host);
  if (priv->actions != NULL)
    {
      gtk_widget_insert_action_group (GTK_WIDGET (self), "tab", NULL);
      g_clear_object (&priv->actions);
    }

  G_OBJECT_CLASS (deck_console_tab_parent_class)->dispose (object);
}

static void
deck_console_tab_finalize (GObject *object)
{
  DeckConsoleTab *self = DECK_CONSOLE_TAB (object);
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  g_clear_object (&priv->lifetime);
  g_free (priv->domain);
  g_free (priv->title);
  g_free (priv->status);

  G_OBJECT_CLASS (deck_console_tab_parent_class)->finalize (object);
}

static void
deck_console_tab_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DeckConsoleTab *self = DECK_CONSOLE_TAB (object);
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_LIBVIRT:
      g_value_set_object (value, priv->libvirt);
      break;
    case PROP_XL:
      g_value_set_object (value, priv->xl);
      break;
    case PROP_HOST:
      g_value_set_object (value, priv->host);
      break;
    case PROP_DOMAIN:
      g_value_set_string (value, priv->domain);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    case PROP_STATUS:
      g_value_set_string (value, priv->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_console_tab_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DeckConsoleTab *self = DECK_CONSOLE_TAB (object);
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_LIBVIRT:
      priv->libvirt = g_value_dup_object (value);
      break;
    case PROP_XL:
      priv->xl = g_value_dup_object (value);
      break;
    case PROP_HOST:
      priv->host = g_value_dup_object (value);
      break;
    case PROP_DOMAIN:
      priv->domain = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_console_tab_class_init (DeckConsoleTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = deck_console_tab_constructed;
  object_class->dispose = deck_console_tab_dispose;
  object_class->finalize = deck_console_tab_finalize;
  object_class->get_property = deck_console_tab_get_property;
  object_class->set_property = deck_console_tab_set_property;

  klass->kind = "console";

  properties[PROP_LIBVIRT] =
    g_param_spec_object ("libvirt", NULL, NULL, DECK_TYPE_LIBVIRT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_XL] =
    g_param_spec_object ("xl", NULL, NULL, DECK_TYPE_XL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOST] =
    g_param_spec_object ("host", NULL, NULL, DECK_TYPE_HOST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOMAIN] =
    g_param_spec_string ("domain", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DECK_TYPE_CONSOLE_STATE, DECK_CONSOLE_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CLOSE_REQUESTED] =
    g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vmdeck/Vmdeck/ui/deck-console-tab.ui");
  gtk_widget_class_bind_template_child_private (widget_class, DeckConsoleTab, info_bar);
  gtk_widget_class_bind_template_child_private (widget_class, DeckConsoleTab, status_label);
  gtk_widget_class_bind_template_child_private (widget_class, DeckConsoleTab, status_spinner);
  gtk_widget_class_bind_template_child_private (widget_class, DeckConsoleTab, reconnect_button);
  gtk_widget_class_bind_template_child_private (widget_class, DeckConsoleTab, tab_label);
  gtk_widget_class_bind_template_child_private (widget_class, DeckConsoleTab, tab_detach_button);
  gtk_widget_class_bind_template_child_private (widget_class, DeckConsoleTab, tab_title);
  gtk_widget_class_bind_template_child_private (widget_class, DeckConsoleTab, tab_spinner);
  gtk_widget_class_bind_template_child_private (widget_class, DeckConsoleTab, tab_icon);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_detach_clicked);
}

static void
deck_console_tab_init (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));

  priv->lifetime = g_cancellable_new ();
  priv->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (priv->actions), tab_actions,
                                   G_N_ELEMENTS (tab_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "tab", G_ACTION_GROUP (priv->actions));
}

/* --- accessors --------------------------------------------------------------------------- */

DeckLibvirt *
deck_console_tab_get_libvirt (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);
  priv = deck_console_tab_get_instance_private (self);
  return priv->libvirt;
}

DeckXl *
deck_console_tab_get_xl (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);
  priv = deck_console_tab_get_instance_private (self);
  return priv->xl;
}

const char *
deck_console_tab_get_host_label (DeckConsoleTab *self)
{
  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);

  return host_label (deck_console_tab_get_instance_private (self));
}

DeckHost *
deck_console_tab_get_host (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);
  priv = deck_console_tab_get_instance_private (self);
  return is_remote (priv) ? priv->host : NULL;
}

const char *
deck_console_tab_get_domain (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);
  priv = deck_console_tab_get_instance_private (self);
  return priv->domain;
}

const char *
deck_console_tab_get_title (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);
  priv = deck_console_tab_get_instance_private (self);
  return priv->title;
}

DeckConsoleState
deck_console_tab_get_state (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), DECK_CONSOLE_STATE_IDLE);
  priv = deck_console_tab_get_instance_private (self);
  return priv->state;
}

const char *
deck_console_tab_get_status (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);
  priv = deck_console_tab_get_instance_private (self);
  return priv->state == DECK_CONSOLE_STATE_CONNECTED ? NULL : priv->status;
}

GtkWidget *
deck_console_tab_get_tab_label (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);
  priv = deck_console_tab_get_instance_private (self);
  return priv->tab_label;
}

void
deck_console_tab_set_can_detach (DeckConsoleTab *self,
                                 gboolean        can_detach)
{
  DeckConsoleTabPrivate *priv;
  GAction *action;

  g_return_if_fail (DECK_IS_CONSOLE_TAB (self));
  priv = deck_console_tab_get_instance_private (self);

  if (priv->actions == NULL)   /* disposed */
    return;
  gtk_widget_set_visible (priv->tab_detach_button, can_detach);
  action = g_action_map_lookup_action (G_ACTION_MAP (priv->actions), "detach");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), can_detach);
}

GActionMap *
deck_console_tab_get_actions (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);
  priv = deck_console_tab_get_instance_private (self);
  return G_ACTION_MAP (priv->actions);
}

static void
on_lookup_libvirt (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  DeckDomainInfo *info = deck_libvirt_lookup_finish (DECK_LIBVIRT (source), result, &error);

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) deck_domain_info_free);
}

static void
on_lookup_xl (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  DeckConsoleTab *self = g_task_get_source_object (task);
  DeckConsoleTabPrivate *priv = deck_console_tab_get_instance_private (self);
  GError *error = NULL;
  g_autoptr(GPtrArray) list = deck_xl_list_finish (DECK_XL (source), result, &error);
  DeckDomainInfo *info = NULL;

  if (list == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < list->len && info == NULL; i++)
    if (g_strcmp0 (((DeckDomainInfo *) list->pdata[i])->name, priv->domain) == 0)
      info = deck_domain_info_copy (list->pdata[i]);
  if (info == NULL)
    {
      /* xl keeps no stopped domains: one it does not list is shut off */
      info = deck_domain_info_new ();
      info->name = g_strdup (priv->domain);
      info->id = -1;
      info->state = DECK_DOMAIN_STATE_SHUTOFF;
      info->type = g_strdup ("XEN");
    }
  g_task_return_pointer (task, info, (GDestroyNotify) deck_domain_info_free);
}

void
deck_console_tab_lookup_async (DeckConsoleTab      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  DeckConsoleTabPrivate *priv;
  GTask *task;

  g_return_if_fail (DECK_IS_CONSOLE_TAB (self));
  priv = deck_console_tab_get_instance_private (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, deck_console_tab_lookup_async);
  if (priv->libvirt != NULL)
    deck_libvirt_lookup_async (priv->libvirt, priv->domain, cancellable, on_lookup_libvirt, task);
  else
    deck_xl_list_async (priv->xl, cancellable, on_lookup_xl, task);
}

DeckDomainInfo *
deck_console_tab_lookup_finish (DeckConsoleTab  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == deck_console_tab_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GCancellable *
deck_console_tab_get_cancellable (DeckConsoleTab *self)
{
  DeckConsoleTabPrivate *priv;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);
  priv = deck_console_tab_get_instance_private (self);
  return priv->lifetime;
}

char *
deck_console_tab_register_session (DeckConsoleTab  *self,
                                   char           **fields)
{
  g_auto(GStrv) owned = fields;
  g_autoptr(GError) error = NULL;
  char *token;

  g_return_val_if_fail (DECK_IS_CONSOLE_TAB (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  token = deck_sessions_register ((const char * const *) owned, &error);
  if (token == NULL)
    g_debug ("%s: cannot register the session for LIST: %s",
             deck_console_tab_get_title (self), error->message);
  return token;
}
