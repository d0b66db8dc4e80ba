/* deck-serial-tab.c: a console tab showing a domain's serial console (VTE)
 *
 * libvirt: one Conn per opened console: the stream, a GCancellable for its reads and writes, and
 * the count of operations in flight. The tab lets go of it in close(); the stream is
 * closed once no read or write of it is pending any more (a GInputStream refuses to close
 * while a read is outstanding), so a closed tab never waits and never leaks the console.
 *
 * xl: the terminal runs "xl console <dom>" itself (deck_xl_console_command: through
 * "ssh -t -t" on the host's master), as its child on a pty of its own; the child
 * ending is a lost connection for the base class, close() ends the child (SIGTERM).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include <signal.h>
#include <sys/wait.h>

#include "deck-error.h"
#include "deck-sessions.h"
#include "deck-xl-console.h"

#include "deck-serial-tab.h"

#define READ_SIZE      8192
#define ZOOM_STEP      1.1
#define ZOOM_MIN       0.25
#define ZOOM_MAX       4.0

typedef struct {
  GIOStream     *stream;
  GCancellable  *io;
  guint          pending;    /* reads and writes in flight */
  DeckSerialTab *tab;        /* NULL once the tab let go */
  GByteArray    *outgoing;   /* typed, not yet handed to a write */
  GBytes        *writing;    /* the write in flight */
} Conn;

struct _DeckSerialTab
{
  DeckConsoleTab  parent_instance;

  Conn           *conn;           /* libvirt: the console stream */
  GPid            child;          /* xl: the console command in the terminal (0: none) */
  char           *client_token;   /* the CLIENT record while connected */

  /* Template children */
  VteTerminal    *terminal;
  GtkScrollbar   *scrollbar;
};

G_DEFINE_FINAL_TYPE (DeckSerialTab, deck_serial_tab, DECK_TYPE_CONSOLE_TAB)

/* --- the connection --------------------------------------------------------------------- */

static void
conn_free (Conn *c)
{
  g_clear_object (&c->stream);
  g_clear_object (&c->io);
  g_clear_pointer (&c->outgoing, g_byte_array_unref);
  g_clear_pointer (&c->writing, g_bytes_unref);
}

static Conn *
conn_ref (Conn *c)
{
  return g_rc_box_acquire (c);
}

static void
conn_unref (Conn *c)
{
  g_rc_box_release_full (c, (GDestroyNotify) conn_free);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conn, conn_unref)

static void
on_stream_closed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(Conn) c = data;
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_debug ("closing the serial console: %s", error->message);
}

/* Closes the stream once the tab let go and nothing is in flight. */
static void
conn_maybe_close (Conn *c)
{
  if (c->tab != NULL || c->pending > 0 || c->stream == NULL || g_io_stream_is_closed (c->stream))
    return;
  g_io_stream_close_async (c->stream, G_PRIORITY_DEFAULT, NULL, on_stream_closed, conn_ref (c));
}

static void conn_read (Conn *c);
static void conn_write (Conn *c);

static void
on_lost_looked_up (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(Conn) c = data;
  g_autoptr(DeckDomainInfo) info = NULL;
  g_autofree char *message = NULL;
  DeckConsoleTab *tab;

  info = deck_libvirt_lookup_finish (DECK_LIBVIRT (source), result, NULL);
  if (c->tab == NULL)
    return;   /* closed meanwhile (the tab went away, the domain stopped) */
  tab = DECK_CONSOLE_TAB (c->tab);
  if (info != NULL
      && (info->state == DECK_DOMAIN_STATE_RUNNING || info->state == DECK_DOMAIN_STATE_BLOCKED
          || info->state == DECK_DOMAIN_STATE_PAUSED))
    {
      /* libvirt hands a console to one client at a time: someone else took it. Taking it
       * back by ourselves would start a tug of war. */
      message = g_strdup_printf (_("Another client (virsh console, another vmdeck) took over the "
                                   "serial console of %s. Reconnect takes it back."),
                                 deck_console_tab_get_domain (tab));
      deck_console_tab_connection_failed (tab, message);
      return;
    }
  deck_console_tab_connection_lost (tab, NULL);
}

/* The stream ended or broke. Stopped guest or lost link: the base class reconnects or
 * waits. A guest that still runs behind a working connection: another client took the
 * console over. */
static void
conn_lost (Conn       *c,
           const char *reason)
{
  DeckConsoleTab *tab = DECK_CONSOLE_TAB (c->tab);
  DeckLibvirt *libvirt = deck_console_tab_get_libvirt (tab);

  if (reason != NULL || !deck_libvirt_is_connected (libvirt))
    {
      deck_console_tab_connection_lost (tab, reason);
      return;
    }
  deck_libvirt_lookup_async (libvirt, deck_console_tab_get_domain (tab),
                             deck_console_tab_get_cancellable (tab), on_lost_looked_up, conn_ref (c));
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(Conn) c = data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  c->pending--;
  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (c->tab == NULL)
    {
      conn_maybe_close (c);
      return;
    }
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        conn_lost (c, error->message);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      /* the guest stopped, the link dropped, or another client took the console over */
      conn_lost (c, NULL);
      return;
    }
  vte_terminal_feed (c->tab->terminal, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  conn_read (c);
}

static void
conn_read (Conn *c)
{
  c->pending++;
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (c->stream), READ_SIZE,
                                   G_PRIORITY_DEFAULT, c->io, on_read, conn_ref (c));
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(Conn) c = data;
  g_autoptr(GError) error = NULL;

  c->pending--;
  g_clear_pointer (&c->writing, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (c->tab != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        deck_console_tab_connection_lost (DECK_CONSOLE_TAB (c->tab), error->message);
      conn_maybe_close (c);
      return;
    }
  if (c->tab == NULL)
    {
      conn_maybe_close (c);
      return;
    }
  conn_write (c);
}

/* Hands what was typed to one write at a time (a GOutputStream takes one at a time). */
static void
conn_write (Conn *c)
{
  gsize size;
  gconstpointer data;

  if (c->writing != NULL || c->outgoing->len == 0)
    return;
  c->writing = g_byte_array_free_to_bytes (g_steal_pointer (&c->outgoing));
  c->outgoing = g_byte_array_new ();
  data = g_bytes_get_data (c->writing, &size);
  c->pending++;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (c->stream), data, size,
                                   G_PRIORITY_DEFAULT, c->io, on_written, conn_ref (c));
}

/* --- the terminal ----------------------------------------------------------------------- */

static void
on_commit (VteTerminal   *terminal,
           const char    *text,
           guint          size,
           DeckSerialTab *self)
{
  if (self->conn == NULL)
    return;
  g_byte_array_append (self->conn->outgoing, (const guint8 *) text, size);
  conn_write (self->conn);
}

static void
zoom (DeckSerialTab *self,
      int            direction)
{
  double scale = vte_terminal_get_font_scale (self->terminal);

  if (direction == 0)
    scale = 1.0;
  else if (direction > 0)
    scale *= ZOOM_STEP;
  else
    scale /= ZOOM_STEP;
  deck_serial_tab_set_font_scale (self, scale);
}

static void
copy_selection (DeckSerialTab *self)
{
  if (vte_terminal_get_has_selection (self->terminal))
    vte_terminal_copy_clipboard_format (self->terminal, VTE_FORMAT_TEXT);
}

static void
paste (DeckSerialTab *self)
{
  if (self->conn != NULL)
    vte_terminal_paste_clipboard (self->terminal);
}

static gboolean
on_key_press (GtkWidget     *widget,
              GdkEventKey   *event,
              DeckSerialTab *self)
{
  GdkModifierType mods = event->state & gtk_accelerator_get_default_mod_mask ();
  guint key = gdk_keyval_to_lower (event->keyval);

  if (mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK))
    {
      switch (key)
        {
        case GDK_KEY_c:
          copy_selection (self);
          return GDK_EVENT_STOP;
        case GDK_KEY_v:
          paste (self);
          return GDK_EVENT_STOP;
        case GDK_KEY_plus:
          zoom (self, 1);
          return GDK_EVENT_STOP;
        default:
          break;
        }
    }
  if (mods == GDK_CONTROL_MASK)
    {
      switch (key)
        {
        case GDK_KEY_plus:
        case GDK_KEY_equal:
        case GDK_KEY_KP_Add:
          zoom (self, 1);
          return GDK_EVENT_STOP;
        case GDK_KEY_minus:
        case GDK_KEY_KP_Subtract:
          zoom (self, -1);
          return GDK_EVENT_STOP;
        case GDK_KEY_0:
        case GDK_KEY_KP_0:
          zoom (self, 0);
          return GDK_EVENT_STOP;
        default:
          break;
        }
    }
  return GDK_EVENT_PROPAGATE;
}

/* --- DeckConsoleTab --------------------------------------------------------------------- */

static void register_client (DeckSerialTab *self);

static void
on_console_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  DeckSerialTab *self = g_task_get_source_object (task);
  g_autoptr(GIOStream) stream = NULL;
  GError *error = NULL;
  Conn *c;

  stream = deck_libvirt_open_console_finish (DECK_LIBVIRT (source), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }

  g_assert (self->conn == NULL);
  c = g_rc_box_new0 (Conn);
  c->stream = g_steal_pointer (&stream);
  c->io = g_cancellable_new ();
  c->tab = self;
  c->outgoing = g_byte_array_new ();
  self->conn = c;
  vte_terminal_set_input_enabled (self->terminal, TRUE);
  if (gtk_widget_get_mapped (GTK_WIDGET (self->terminal)))
    gtk_widget_grab_focus (GTK_WIDGET (self->terminal));
  conn_read (c);
  register_client (self);
  g_task_return_boolean (task, TRUE);
}

static void
register_client (DeckSerialTab *self)
{
  self->client_token =
    deck_console_tab_register_session (DECK_CONSOLE_TAB (self),
                                       deck_sessions_client_fields (deck_console_tab_get_domain (DECK_CONSOLE_TAB (self)),
                                                                    "CLI", 0));
}

static void
on_child_exited (VteTerminal   *terminal,
                 int            status,
                 DeckSerialTab *self)
{
  g_autofree char *reason = NULL;

  if (self->child == 0)
    return;   /* one that close() ended */
  self->child = 0;
  if (WIFEXITED (status) && WEXITSTATUS (status) != 0)
    /* Translators: "xl console ended with status 1" (through ssh: 255 is ssh's own failure) */
    reason = g_strdup_printf (_("xl console ended with status %d"), WEXITSTATUS (status));
  deck_console_tab_connection_lost (DECK_CONSOLE_TAB (self), reason);
}

static void
on_xl_spawned (VteTerminal *terminal,
               GPid         pid,
               GError      *error,
               gpointer     data)
{
  g_autoptr(GTask) task = data;
  DeckSerialTab *self = g_task_get_source_object (task);

  if (error != NULL)
    {
      g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_FAILED,
                               _("%s: cannot run xl console for %s: %s"),
                               deck_console_tab_get_host_label (DECK_CONSOLE_TAB (self)),
                               deck_console_tab_get_domain (DECK_CONSOLE_TAB (self)), error->message);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      kill (pid, SIGTERM);
      return;
    }
  self->child = pid;
  vte_terminal_set_input_enabled (self->terminal, TRUE);
  if (gtk_widget_get_mapped (GTK_WIDGET (self->terminal)))
    gtk_widget_grab_focus (GTK_WIDGET (self->terminal));
  register_client (self);
  g_task_return_boolean (task, TRUE);
}

static void
on_xl_probed (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  DeckSerialTab *self = g_task_get_source_object (task);
  DeckXl *xl = DECK_XL (source);
  g_auto(GStrv) argv = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  if (!deck_xl_probe_finish (xl, result, &error)
      || (argv = deck_xl_console_command (deck_xl_get_host (xl), deck_xl_get_prefix (xl),
                                          deck_console_tab_get_domain (DECK_CONSOLE_TAB (self)),
                                          DECK_XL_CONSOLE_EMBEDDED, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  cancellable = g_task_get_cancellable (task);
  vte_terminal_spawn_async (self->terminal, VTE_PTY_DEFAULT, NULL, argv, NULL, G_SPAWN_SEARCH_PATH,
                            NULL, NULL, NULL, -1, cancellable, on_xl_spawned, g_steal_pointer (&task));
}

static void
deck_serial_tab_open_async (DeckConsoleTab       *tab,
                            const DeckDomainInfo *info,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  GTask *task = g_task_new (tab, cancellable, callback, user_data);
  DeckXl *xl = deck_console_tab_get_xl (tab);

  g_task_set_source_tag (task, deck_serial_tab_open_async);
  if (xl != NULL)
    /* the privilege prefix (known once the lookup ran: quick) */
    deck_xl_probe_async (xl, cancellable, on_xl_probed, task);
  else
    deck_libvirt_open_console_async (deck_console_tab_get_libvirt (tab), info->name, cancellable,
                                     on_console_opened, task);
}

static gboolean
deck_serial_tab_open_finish (DeckConsoleTab  *tab,
                             GAsyncResult    *result,
                             GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
deck_serial_tab_close (DeckConsoleTab *tab)
{
  DeckSerialTab *self = DECK_SERIAL_TAB (tab);
  g_autoptr(Conn) c = g_steal_pointer (&self->conn);

  if (self->terminal != NULL)
    vte_terminal_set_input_enabled (self->terminal, FALSE);
  deck_sessions_unregister (self->client_token);
  g_clear_pointer (&self->client_token, g_free);
  if (self->child != 0)
    {
      /* ssh (or xl) ends; its exit is no longer ours to report */
      kill (self->child, SIGTERM);
      self->child = 0;
    }
  if (c == NULL)
    return;
  c->tab = NULL;
  g_cancellable_cancel (c->io);
  conn_maybe_close (c);
}

/* --- actions ---------------------------------------------------------------------------- */

static void
action_copy (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  copy_selection (DECK_SERIAL_TAB (data));
}

static void
action_paste (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  paste (DECK_SERIAL_TAB (data));
}

static void
action_zoom_in (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       data)
{
  zoom (DECK_SERIAL_TAB (data), 1);
}

static void
action_zoom_out (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       data)
{
  zoom (DECK_SERIAL_TAB (data), -1);
}

static void
action_zoom_reset (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  zoom (DECK_SERIAL_TAB (data), 0);
}

static const GActionEntry serial_actions[] = {
  { "copy", action_copy },
  { "paste", action_paste },
  { "zoom-in", action_zoom_in },
  { "zoom-out", action_zoom_out },
  { "zoom-reset", action_zoom_reset },
};

/* --- GObject ---------------------------------------------------------------------------- */

static void
deck_serial_tab_dispose (GObject *object)
{
  DeckSerialTab *self = DECK_SERIAL_TAB (object);

  deck_serial_tab_close (DECK_CONSOLE_TAB (self));

  G_OBJECT_CLASS (deck_serial_tab_parent_class)->dispose (object);
}

static void
deck_serial_tab_class_init (DeckSerialTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DeckConsoleTabClass *tab_class = DECK_CONSOLE_TAB_CLASS (klass);

  object_class->dispose = deck_serial_tab_dispose;

  tab_class->kind = "serial";
  tab_class->open_async = deck_serial_tab_open_async;
  tab_class->open_finish = deck_serial_tab_open_finish;
  tab_class->close = deck_serial_tab_close;

  g_type_ensure (VTE_TYPE_TERMINAL);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/vmdeck/Vmdeck/ui/deck-serial-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, DeckSerialTab, terminal);
  gtk_widget_class_bind_template_child (widget_class, DeckSerialTab, scrollbar);
  gtk_widget_class_bind_template_callback (widget_class, on_commit);
  gtk_widget_class_bind_template_callback (widget_class, on_key_press);
  gtk_widget_class_bind_template_callback (widget_class, on_child_exited);
}

static void
deck_serial_tab_init (DeckSerialTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (deck_console_tab_get_actions (DECK_CONSOLE_TAB (self)),
                                   serial_actions, G_N_ELEMENTS (serial_actions), self);
  vte_terminal_set_scrollback_lines (self->terminal, DECK_SERIAL_TAB_SCROLLBACK_LINES);
  vte_terminal_set_input_enabled (self->terminal, FALSE);
  gtk_range_set_adjustment (GTK_RANGE (self->scrollbar),
                            gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->terminal)));
}

/* --- public ------------------------------------------------------------------------------ */

DeckSerialTab *
deck_serial_tab_new (DeckLibvirt *libvirt,
                     const char  *domain,
                     DeckHost    *host)
{
  DeckSerialTab *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (DECK_IS_LIBVIRT (libvirt), NULL);
  g_return_val_if_fail (domain != NULL, NULL);
  g_return_val_if_fail (host == NULL || DECK_IS_HOST (host), NULL);

  self = g_object_new (DECK_TYPE_SERIAL_TAB,
                       "libvirt", libvirt,
                       "domain", domain,
                       "host", host,
                       NULL);
  /* Translators: the accessible name of the terminal, "Serial console of deck-l1" */
  name = g_strdup_printf (_("Serial console of %s"), domain);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->terminal)), name);
  return self;
}

DeckSerialTab *
deck_serial_tab_new_xl (DeckXl     *xl,
                        const char *domain)
{
  DeckSerialTab *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (DECK_IS_XL (xl), NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  self = g_object_new (DECK_TYPE_SERIAL_TAB, "xl", xl, "domain", domain, NULL);
  name = g_strdup_printf (_("Serial console of %s"), domain);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->terminal)), name);
  return self;
}

VteTerminal *
deck_serial_tab_get_terminal (DeckSerialTab *self)
{
  g_return_val_if_fail (DECK_IS_SERIAL_TAB (self), NULL);

  return self->terminal;
}

char *
deck_serial_tab_dup_text (DeckSerialTab *self)
{
  GtkAdjustment *adj;
  long first, last;
  char *text;

  g_return_val_if_fail (DECK_IS_SERIAL_TAB (self), NULL);

  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->terminal));
  first = (long) gtk_adjustment_get_lower (adj);
  last = MAX (first, (long) gtk_adjustment_get_upper (adj) - 1);
  text = vte_terminal_get_text_range (self->terminal, first, 0, last,
                                      vte_terminal_get_column_count (self->terminal) - 1,
                                      NULL, NULL, NULL);
  return text ? text : g_strdup ("");
}

double
deck_serial_tab_get_font_scale (DeckSerialTab *self)
{
  g_return_val_if_fail (DECK_IS_SERIAL_TAB (self), 1.0);

  return vte_terminal_get_font_scale (self->terminal);
}

void
deck_serial_tab_set_font_scale (DeckSerialTab *self,
                                double         scale)
{
  g_return_if_fail (DECK_IS_SERIAL_TAB (self));

  vte_terminal_set_font_scale (self->terminal, CLAMP (scale, ZOOM_MIN, ZOOM_MAX));
}
