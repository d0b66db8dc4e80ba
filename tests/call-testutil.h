/* call-testutil.h: helpers shared by test-call.c and test-call-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include <glib/gstdio.h>

#include "deck-call.h"
#include "deck-error.h"

/* No group lookups at all: every word is a host. */
static const char * const no_groups[] = { NULL };

/* --- helpers ---------------------------------------------------------------------- */

static inline char **
split (const char *cmdline)
{
  g_autoptr(GError) error = NULL;
  char **argv = NULL;

  if (*cmdline == '\0')
    return g_new0 (char *, 1);
  g_shell_parse_argv (cmdline, NULL, &argv, &error);
  g_assert_no_error (error);
  return argv;
}

static inline DeckCall *
parse_full (const char         *cmdline,
            const char * const *groups_path,
            DeckMacros         *macros,
            GError            **error)
{
  g_auto(GStrv) args = split (cmdline);

  return deck_call_parse ((const char * const *) args, groups_path, macros, error);
}

static inline DeckCall *
parse_ok (const char *cmdline)
{
  g_autoptr(GError) error = NULL;
  DeckCall *call = parse_full (cmdline, no_groups, NULL, &error);

  if (error != NULL)
    g_error ("“%s”: %s", cmdline, error->message);
  g_assert_nonnull (call);
  g_assert_nonnull (call->jobs);
  g_assert_cmpuint (call->jobs->len, >=, 1);
  return call;
}

static inline void
assert_message (const GError *error,
                const char   *part)
{
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (part != NULL && strstr (error->message, part) == NULL)
    g_error ("message “%s” does not contain “%s”", error->message, part);
}

/* Parses @cmdline expecting DECK_ERROR_USAGE with a message containing @part. */
static inline void
assert_usage (const char *cmdline,
              const char *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckCall) call = parse_full (cmdline, no_groups, NULL, &error);

  if (call != NULL)
    {
      g_autofree char *d = deck_call_describe (call);

      g_error ("“%s” was accepted:\n%s", cmdline, d);
    }
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  assert_message (error, part);
}

static inline DeckCallJob *
job (DeckCall *call,
     guint     i)
{
  g_assert_cmpuint (i, <, call->jobs->len);
  return call->jobs->pdata[i];
}

static inline DeckCreateRequest *
create_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  DeckCreateRequest *r = deck_create_request_parse (text, &error);

  if (error != NULL)
    g_error ("CREATE=%s: %s", text, error->message);
  return r;
}

static inline DeckCancelRequest *
cancel_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  DeckCancelRequest *r = deck_cancel_request_parse (text, &error);

  if (error != NULL)
    g_error ("CANCEL=%s: %s", text, error->message);
  return r;
}

static inline char *
joined (const char * const *v)
{
  if (v == NULL)
    return NULL;
  return g_strjoinv ("|", (char **) v);
}

static inline void
assert_values (DeckAddress     *address,
               DeckAddressPart  part,
               const char      *expected)
{
  g_autofree char *j = joined (deck_address_get_values (address, part));

  g_assert_cmpstr (j, ==, expected);
}

static inline char *
options_string (const DeckCallOptions *o)
{
  return deck_call_options_to_string (o);
}

