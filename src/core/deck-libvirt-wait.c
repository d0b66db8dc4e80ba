/* deck-libvirt-wait.c: DeckLibvirt's wait_state: a domain's state seen through, from
 * lifecycle events and a poll every POLL_INTERVAL_MS (spec §5.2.2's waits)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-libvirt.h"
#include "deck-libvirt-private.h"

#include "deck-error.h"

/* --- wait_state ---------------------------------------------------------------------- */

typedef struct {
  char *name;
  DeckDomainState wanted;
  guint timeout_s;
  gint64 deadline;            /* monotonic µs; 0: none */
  GSource *poll;              /* the next check */
  GSource *cancel;
  gulong changed_id;
  gboolean querying;
  gboolean again;             /* an event came in while querying */
  gboolean done;
} WaitData;

static void
wait_data_free (WaitData *wd)
{
  g_free (wd->name);
  g_assert (wd->poll == NULL && wd->cancel == NULL && wd->changed_id == 0);
  g_free (wd);
}

static gboolean
state_reached (DeckDomainState state,
               DeckDomainState wanted)
{
  return state == wanted
         || (wanted == DECK_DOMAIN_STATE_RUNNING && state == DECK_DOMAIN_STATE_BLOCKED);
}

/* Ends the wait (the task's one return) and drops the sources and the handler. */
static void
wait_end (GTask  *task,
          GError *error)
{
  DeckLibvirt *self = g_task_get_source_object (task);
  WaitData *wd = g_task_get_task_data (task);

  g_assert (!wd->done);
  wd->done = TRUE;
  g_clear_signal_handler (&wd->changed_id, self);
  if (wd->poll)
    {
      g_source_destroy (wd->poll);
      g_clear_pointer (&wd->poll, g_source_unref);
    }
  if (wd->cancel)
    {
      g_source_destroy (wd->cancel);
      g_clear_pointer (&wd->cancel, g_source_unref);
    }
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);   /* the reference the wait held on itself */
}

static void wait_query (GTask *task);

static gboolean
wait_poll_due (gpointer data)
{
  GTask *task = data;
  WaitData *wd = g_task_get_task_data (task);

  g_clear_pointer (&wd->poll, g_source_unref);
  wait_query (task);
  return G_SOURCE_REMOVE;
}

static void
wait_schedule (GTask *task,
               guint  delay_ms)
{
  WaitData *wd = g_task_get_task_data (task);

  if (wd->poll)
    {
      g_source_destroy (wd->poll);
      g_clear_pointer (&wd->poll, g_source_unref);
    }
  wd->poll = g_timeout_source_new (delay_ms);
  g_source_set_callback (wd->poll, wait_poll_due, task, NULL);
  g_source_attach (wd->poll, g_task_get_context (task));
}

static void
wait_state_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DeckLibvirt *self = DECK_LIBVIRT (source);
  g_autoptr(GTask) task = user_data;
  WaitData *wd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckDomainInfo) info = g_task_propagate_pointer (G_TASK (result), &error);
  gint64 now = g_get_monotonic_time ();

  wd->querying = FALSE;
  if (wd->done)
    return;
  if (info == NULL)
    {
      if (g_error_matches (error, DECK_ERROR, DECK_ERROR_NOT_FOUND) && wd->wanted == DECK_DOMAIN_STATE_SHUTOFF)
        wait_end (task, NULL);   /* a transient domain is gone once it is off */
      else
        wait_end (task, g_steal_pointer (&error));
      return;
    }
  if (state_reached (info->state, wd->wanted))
    {
      wait_end (task, NULL);
      return;
    }
  if (wd->deadline && now >= wd->deadline)
    {
      wait_end (task, g_error_new (DECK_ERROR, DECK_ERROR_FAILED, "%s: %s is still %s after %u s (waiting for %s)",
                                   self->where, wd->name, deck_domain_state_to_string (info->state),
                                   wd->timeout_s, deck_domain_state_to_string (wd->wanted)));
      return;
    }
  if (wd->again)
    {
      wd->again = FALSE;
      wait_query (task);
      return;
    }
  wait_schedule (task, wd->deadline ? (guint) MIN (POLL_INTERVAL_MS, (wd->deadline - now) / 1000 + 1)
                                    : POLL_INTERVAL_MS);
}

static void
wait_query (GTask *task)
{
  DeckLibvirt *self = g_task_get_source_object (task);
  WaitData *wd = g_task_get_task_data (task);

  if (wd->done)
    return;
  if (wd->querying)
    {
      wd->again = TRUE;
      return;
    }
  wd->querying = TRUE;
  deck_libvirt_call_start (self, CALL_STATE, wd->name, 0, NULL, NULL, wait_state_done, g_object_ref (task), wait_query);
}

static void
wait_domain_changed (DeckLibvirt    *self,
                     const char     *name,
                     DeckDomainState state,
                     gpointer        user_data)
{
  GTask *task = user_data;
  WaitData *wd = g_task_get_task_data (task);

  if (g_strcmp0 (name, wd->name) == 0)
    wait_query (task);
}

static gboolean
wait_cancelled (GCancellable *cancellable,
                gpointer      user_data)
{
  GTask *task = user_data;
  WaitData *wd = g_task_get_task_data (task);
  GError *error = NULL;

  if (!wd->done)
    {
      g_cancellable_set_error_if_cancelled (cancellable, &error);
      wait_end (task, error);
    }
  return G_SOURCE_REMOVE;
}

void
deck_libvirt_wait_state_async (DeckLibvirt        *self,
                               const char         *name,
                               DeckDomainState     wanted,
                               guint               timeout_s,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  WaitData *wd;

  g_return_if_fail (DECK_IS_LIBVIRT (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, deck_libvirt_wait_state_async);
  wd = g_new0 (WaitData, 1);
  wd->name = g_strdup (name);
  wd->wanted = wanted;
  wd->timeout_s = timeout_s;
  if (timeout_s)
    wd->deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  g_task_set_task_data (task, wd, (GDestroyNotify) wait_data_free);
  g_object_ref (task);   /* held until wait_end */
  if (self->conn == NULL)
    {
      wait_end (task, g_error_new (DECK_ERROR, DECK_ERROR_FAILED, "%s: not connected to %s", self->where, self->uri));
      return;
    }
  /* the handler and the sources hold no reference: wait_end removes them */
  wd->changed_id = g_signal_connect (self, "domain-changed", G_CALLBACK (wait_domain_changed), task);
  if (cancellable)
    {
      wd->cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (wd->cancel, G_SOURCE_FUNC (wait_cancelled), task, NULL);
      g_source_attach (wd->cancel, g_task_get_context (task));
    }
  wait_query (task);
}

gboolean
deck_libvirt_wait_state_finish (DeckLibvirt  *self,
                                GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (deck_libvirt_check_result (self, result, deck_libvirt_wait_state_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

