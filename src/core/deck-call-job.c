/* deck-call-job.c: a ctys call as jobs, one per target, with superposed options
 * (spec §2.3): parsing the whole command line, describing jobs for dry runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-call.h"
#include "deck-call-private.h"

#include <string.h>

#include "deck-error.h"

/* --- the call --------------------------------------------------------------------- */

void
deck_call_job_free (DeckCallJob *job)
{
  if (job == NULL)
    return;
  deck_target_free (job->target);
  g_free (job->user);
  deck_call_options_free (job->options);
  deck_create_request_free (job->create);
  deck_cancel_request_free (job->cancel);
  g_strfreev (job->notes);
  g_free (job);
}

DeckCallJob *
deck_call_job_copy (const DeckCallJob *job)
{
  DeckCallJob *c;

  g_return_val_if_fail (job != NULL, NULL);

  c = g_new0 (DeckCallJob, 1);
  c->target = deck_target_copy (job->target);
  c->user = g_strdup (job->user);
  c->options = deck_call_options_copy (job->options);
  c->create = job->create != NULL ? deck_create_request_copy (job->create) : NULL;
  c->cancel = job->cancel != NULL ? deck_cancel_request_copy (job->cancel) : NULL;
  c->notes = g_strdupv (job->notes);
  return c;
}

void
deck_call_free (DeckCall *call)
{
  if (call == NULL)
    return;
  deck_call_options_free (call->options);
  g_clear_pointer (&call->jobs, g_ptr_array_unref);
  g_free (call);
}

/* Checks the action of @o (CREATE/CANCEL suboptions, -C ONLY) and applies what a CREATE
 * console forces on @o. */
static gboolean
check_action (DeckCallOptions    *o,
              GPtrArray          *notes,
              DeckCreateRequest **create,
              DeckCancelRequest **cancel,
              GError            **error)
{
  if ((o->action == DECK_CALL_ACTION_CREATE || o->action == DECK_CALL_ACTION_CANCEL)
      && o->data_cache == 1 && (o->data_cache_flags & DECK_CALL_DATA_CACHE_ONLY))
    return deck_call_usage (error, "-C ONLY works with LIST, ENUMERATE, SHOW and INFO only, not with %s",
                  deck_call_action_to_string (o->action));

  if (o->action == DECK_CALL_ACTION_CREATE)
    {
      g_autoptr(DeckCreateRequest) r = deck_create_request_parse (o->action_args, error);

      if (r == NULL || !deck_create_request_apply (r, o, notes, error))
        return FALSE;
      if (create != NULL)
        *create = g_steal_pointer (&r);
    }
  else if (o->action == DECK_CALL_ACTION_CANCEL)
    {
      g_autoptr(DeckCancelRequest) r = deck_cancel_request_parse (o->action_args, error);

      if (r == NULL)
        return FALSE;
      if (cancel != NULL)
        *cancel = g_steal_pointer (&r);
    }
  return TRUE;
}

static char *
target_name (const DeckTarget *target,
             const char       *user)
{
  g_autofree char *host = deck_call_shown (target->host);

  return user != NULL ? g_strdup_printf ("%s@%s", user, host) : g_steal_pointer (&host);
}

static DeckCallJob *
make_job (const DeckCallOptions *global,
          const DeckTarget      *target,
          DeckMacros            *macros,
          GError               **error)
{
  g_autoptr(DeckCallJob) job = g_new0 (DeckCallJob, 1);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);

  job->target = deck_target_copy (target);
  job->options = deck_call_options_copy (global);
  if (!deck_call_options_apply (job->options, (const char * const *) target->options, macros,
                                error)
      || !check_action (job->options, notes, &job->create, &job->cancel, error))
    {
      g_autofree char *name = target_name (target, target->user);

      g_prefix_error (error, "%s: ", name);
      return NULL;
    }
  deck_call_options_resolve (job->options);
  job->user = g_strdup (target->user != NULL ? target->user : job->options->user);
  g_ptr_array_add (notes, NULL);
  job->notes = (char **) g_ptr_array_steal (notes, NULL);
  return g_steal_pointer (&job);
}

DeckCall *
deck_call_parse (const char * const *args,
                 const char * const *groups_path,
                 DeckMacros         *macros,
                 GError            **error)
{
  static const char * const none[] = { NULL };
  g_autoptr(DeckCallOptions) global = deck_call_options_new ();
  g_autoptr(DeckCallOptions) check = NULL;
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  DeckCall *call;
  guint pos = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (args == NULL)
    args = none;
  if (!deck_call_parse_words (global, args, &pos, TRUE, macros, error))
    return NULL;

  /* ctys checks the action on the caller with the global options first. */
  check = deck_call_options_copy (global);
  if (!check_action (check, NULL, NULL, NULL, error))
    return NULL;

  if (args[pos] != NULL)
    {
      targets = deck_targets_parse (args + pos, groups_path, global->allow_ambiguity == 1, error);
      if (targets == NULL)
        return NULL;
    }
  else
    targets = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_target_free);
  if (targets->len == 0)
    g_ptr_array_add (targets, deck_target_new (NULL, "localhost", NULL));

  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_call_job_free);
  for (guint i = 0; i < targets->len; i++)
    {
      DeckCallJob *job = make_job (global, targets->pdata[i], macros, error);

      if (job == NULL)
        return NULL;
      g_ptr_array_add (jobs, job);
    }

  call = g_new0 (DeckCall, 1);
  call->options = g_steal_pointer (&global);
  call->jobs = g_steal_pointer (&jobs);
  return call;
}

DeckCall *
deck_call_parse_argv (int                 argc,
                      char              **argv,
                      const char * const *groups_path,
                      DeckMacros         *macros,
                      GError            **error)
{
  g_autofree const char **args = NULL;

  g_return_val_if_fail (argc >= 0, NULL);

  args = g_new0 (const char *, argc > 0 ? argc : 1);
  for (int i = 1; i < argc; i++)
    args[i - 1] = argv[i];
  return deck_call_parse (args, groups_path, macros, error);
}

char *
deck_call_job_describe (const DeckCallJob *job)
{
  g_autofree char *name = NULL;
  g_autofree char *options = NULL;
  GString *s;

  g_return_val_if_fail (job != NULL, NULL);

  name = target_name (job->target, job->user);
  options = deck_call_options_to_string (job->options);
  s = g_string_new (NULL);
  g_string_append_printf (s, "%s:%s%s\n", name, *options ? " " : "", options);
  if (job->create != NULL)
    {
      g_autofree char *r = deck_create_request_to_string (job->create);

      g_string_append_printf (s, "  create: %s\n", r);
    }
  if (job->cancel != NULL)
    {
      g_autofree char *r = deck_cancel_request_to_string (job->cancel);

      g_string_append_printf (s, "  cancel: %s\n", r);
    }
  for (guint i = 0; job->notes[i] != NULL; i++)
    g_string_append_printf (s, "  note: %s\n", job->notes[i]);
  return g_string_free (s, FALSE);
}

char *
deck_call_describe (const DeckCall *call)
{
  g_autofree char *options = NULL;
  GString *s;

  g_return_val_if_fail (call != NULL, NULL);

  options = deck_call_options_to_string (call->options);
  s = g_string_new (NULL);
  g_string_append_printf (s, "call:%s%s\n", *options ? " " : "", options);
  for (guint i = 0; i < call->jobs->len; i++)
    {
      g_autofree char *job = deck_call_job_describe (call->jobs->pdata[i]);

      g_string_append (s, job);
    }
  return g_string_free (s, FALSE);
}
