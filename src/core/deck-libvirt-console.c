/* deck-libvirt-console.c: the console of a DeckLibvirt domain as a GIOStream
 *
 * libvirt-gobject's own stream warns on hang-up while a read is pending and criticises a
 * failed close at finalize (fatal in tests), so the console is pumped by hand between
 * libvirt's stream and one end of a local socket pair.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-libvirt-console.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#define PUMP_MAX (1024 * 1024)   /* bytes buffered per direction of a console */

/* Copies between libvirt's console stream and one end of a socket pair, on the default
 * main context (where libvirt-glib dispatches stream events). References: one while it
 * runs (dropped by pump_end), one per socket source, one during a stream callback. */
typedef struct {
  virStreamPtr st;
  GSocket *sock;
  GSource *source;
  GIOCondition cond;
  GByteArray *to_sock;        /* guest output the socket has not taken yet */
  GByteArray *to_st;          /* input the stream has not taken yet */
  int st_mask;
  gboolean st_eof;            /* the stream ended (cleanly unless st_failed) */
  gboolean st_failed;
  gboolean ended;
} Pump;

static void
pump_clear (Pump *p)
{
  g_clear_object (&p->sock);
  g_byte_array_unref (p->to_sock);
  g_byte_array_unref (p->to_st);
}

static void
pump_release (gpointer p)
{
  g_atomic_rc_box_release_full (p, (GDestroyNotify) pump_clear);
}

static void
stream_free (gpointer st)
{
  virStreamFree (st);
}

static void
stream_close_thread (GTask        *task,
                     gpointer      source,
                     gpointer      data,
                     GCancellable *cancellable)
{
  virStreamPtr st = data;

  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "finish")))
    virStreamFinish (st);
  else
    virStreamAbort (st);
  virResetLastError ();
  g_task_return_boolean (task, TRUE);
}

static void
pump_end (Pump *p)
{
  g_autoptr(GTask) task = NULL;

  if (p->ended)
    return;
  p->ended = TRUE;
  virStreamEventRemoveCallback (p->st);
  virResetLastError ();
  if (p->source)
    {
      g_source_destroy (p->source);
      g_clear_pointer (&p->source, g_source_unref);
    }
  g_socket_close (p->sock, NULL);

  /* finishing or aborting a stream is a round trip: not on the main context */
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, pump_end);
  g_object_set_data (G_OBJECT (task), "finish", GINT_TO_POINTER (p->st_eof && !p->st_failed));
  g_task_set_task_data (task, g_steal_pointer (&p->st), stream_free);
  g_task_run_in_thread (task, stream_close_thread);
  pump_release (p);
}

static void
pump_recv (Pump *p)
{
  char buf[16384];

  while (!p->st_eof && p->to_sock->len < PUMP_MAX)
    {
      int n = virStreamRecv (p->st, buf, sizeof buf);

      if (n > 0)
        g_byte_array_append (p->to_sock, (guint8 *) buf, n);
      else if (n == -2)
        break;
      else
        {
          p->st_eof = TRUE;
          p->st_failed = n < 0;
          virResetLastError ();
        }
    }
}

static void
pump_send (Pump *p)
{
  while (!p->st_eof && p->to_st->len > 0)
    {
      int n = virStreamSend (p->st, (const char *) p->to_st->data, p->to_st->len);

      if (n > 0)
        g_byte_array_remove_range (p->to_st, 0, n);
      else if (n == -2)
        break;
      else
        {
          p->st_eof = TRUE;
          p->st_failed = TRUE;
          virResetLastError ();
        }
    }
}

/* Writes pending guest output to the socket; FALSE when the other end is gone. */
static gboolean
pump_flush (Pump *p)
{
  while (p->to_sock->len > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (p->sock, (const char *) p->to_sock->data, p->to_sock->len, NULL, &error);

      if (n > 0)
        g_byte_array_remove_range (p->to_sock, 0, n);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      else
        return FALSE;
    }
  return TRUE;
}

static gboolean pump_socket_cb (GSocket *sock, GIOCondition cond, gpointer data);

/* Registers for what the pump can do next; ends it once the stream ended and its output
 * was delivered. */
static void
pump_update (Pump *p)
{
  int mask = 0;
  GIOCondition cond = G_IO_HUP | G_IO_ERR;

  if (p->ended)
    return;
  if (p->st_eof && p->to_sock->len == 0)
    {
      pump_end (p);
      return;
    }
  if (!p->st_eof)
    {
      if (p->to_sock->len < PUMP_MAX)
        mask |= VIR_STREAM_EVENT_READABLE;
      if (p->to_st->len > 0)
        mask |= VIR_STREAM_EVENT_WRITABLE;
      if (mask != p->st_mask)
        {
          virStreamEventUpdateCallback (p->st, mask);
          virResetLastError ();
          p->st_mask = mask;
        }
      if (p->to_st->len < PUMP_MAX)
        cond |= G_IO_IN;
    }
  if (p->to_sock->len > 0)
    cond |= G_IO_OUT;
  if (p->source == NULL || cond != p->cond)
    {
      if (p->source)
        {
          g_source_destroy (p->source);
          g_source_unref (p->source);
        }
      p->cond = cond;
      p->source = g_socket_create_source (p->sock, cond, NULL);
      g_source_set_callback (p->source, G_SOURCE_FUNC (pump_socket_cb), g_atomic_rc_box_acquire (p), pump_release);
      g_source_attach (p->source, NULL);
    }
}

static void
pump_stream_cb (virStreamPtr st,
                int          events,
                void        *opaque)
{
  Pump *p = g_atomic_rc_box_acquire (opaque);

  if (!p->ended)
    {
      if (events & VIR_STREAM_EVENT_READABLE)
        pump_recv (p);
      if (events & VIR_STREAM_EVENT_WRITABLE)
        pump_send (p);
      if ((events & (VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR)) && !(events & VIR_STREAM_EVENT_READABLE))
        {
          p->st_eof = TRUE;
          p->st_failed = (events & VIR_STREAM_EVENT_ERROR) != 0;
        }
      if (!pump_flush (p))
        pump_end (p);
      pump_update (p);
    }
  pump_release (p);
}

static gboolean
pump_socket_cb (GSocket     *sock,
                GIOCondition cond,
                gpointer     data)
{
  Pump *p = data;

  if (p->ended || g_main_current_source () != p->source)
    return G_SOURCE_REMOVE;
  if (cond & G_IO_IN)
    {
      char buf[4096];
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (sock, buf, sizeof buf, NULL, &error);

      if (n > 0)
        {
          g_byte_array_append (p->to_st, (guint8 *) buf, n);
          pump_send (p);
        }
      else if (n == 0 || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          pump_end (p);   /* the caller closed its end */
          return G_SOURCE_REMOVE;
        }
    }
  else if (cond & (G_IO_HUP | G_IO_ERR))
    {
      pump_end (p);
      return G_SOURCE_REMOVE;
    }
  if ((cond & G_IO_OUT) && !pump_flush (p))
    {
      pump_end (p);
      return G_SOURCE_REMOVE;
    }
  pump_update (p);
  return p->ended || g_main_current_source () != p->source ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* On the default main context: the first registrations. */
static gboolean
pump_start (gpointer data)
{
  Pump *p = data;

  p->st_mask = VIR_STREAM_EVENT_READABLE;
  /* no reference for libvirt: it does not release the callback's data when the callback
   * is removed (valgrind showed every pump leaking that way), and pump_end removes the
   * callback, on this context, before it drops the running reference */
  if (virStreamEventAddCallback (p->st, p->st_mask, pump_stream_cb, p, NULL) < 0)
    {
      virResetLastError ();
      p->st_eof = TRUE;
      p->st_failed = TRUE;
    }
  pump_update (p);
  return G_SOURCE_REMOVE;
}

GIOStream *
deck_libvirt_console_pump_new (virStreamPtr  st,
                               const char   *where,
                               const char   *name,
                               GError      **error)
{
  int fds[2];
  g_autoptr(GSocket) ours = NULL, theirs = NULL;
  Pump *p;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: cannot open the console of %s: %s",
                   where, name, g_strerror (saved));
      virStreamAbort (st);
      virStreamFree (st);
      virResetLastError ();
      return NULL;
    }
  ours = g_socket_new_from_fd (fds[0], error);
  if (ours == NULL)
    close (fds[0]);
  theirs = g_socket_new_from_fd (fds[1], error && *error ? NULL : error);
  if (theirs == NULL)
    close (fds[1]);
  if (ours == NULL || theirs == NULL)
    {
      virStreamAbort (st);
      virStreamFree (st);
      virResetLastError ();
      return NULL;
    }
  g_socket_set_blocking (ours, FALSE);

  p = g_atomic_rc_box_new0 (Pump);
  p->st = st;
  p->sock = g_steal_pointer (&ours);
  p->to_sock = g_byte_array_new ();
  p->to_st = g_byte_array_new ();
  g_main_context_invoke (NULL, pump_start, p);   /* the running reference goes with it */
  return G_IO_STREAM (g_socket_connection_factory_create_connection (theirs));
}
