/* deck-call.c: the ctys call syntax (spec §2, §3, §5.1.1-5.1.4, §5.2.1-5.2.2)
 *
 * Option words are read like getopts reads them in ctys: "-d6" and "-d 6" are the same,
 * flags may be clustered ("-nX"), every value option needs a non-empty value. Each option
 * replaces what an earlier one set ("later wins"), per field: "-b 1" keeps an earlier
 * sequential/parallel choice, "-c ONLY" keeps an earlier LOCAL/REMOTE. Exceptions taken from
 * ctys: after "-b stack" further -b values are ignored; "-c OFF" and "-C OFF" clear
 * everything of their option. A -Z replaces the whole set before it (spec §2.3 REC, as
 * deck_host_new_from_target() does), so "-Z KSU -Z SUDO" leaves SUDO only; "-Z KSU,SUDO" or
 * "-Z ALL" enables both.
 *
 * The CREATE and CANCEL suboptions are checked here completely (keys, values, mutual
 * exclusion, missing address); their meaning on a host (resolution, running state) is the
 * actions layer's business.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-call.h"
#include "deck-call-private.h"

#include <string.h>

#include "deck-error.h"
#include "deck-inventory.h"
#include "deck-suboptions.h"

/* Longest value quoted in a message. */
#define MAX_SHOWN 120

/* --- helpers ---------------------------------------------------------------------- */

/* @text made safe to quote in a one-line message: valid UTF-8, control characters
 * escaped, cut after MAX_SHOWN characters. */
char *
deck_call_shown (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *s = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == MAX_SHOWN)
        {
          g_string_append (s, "…");
          break;
        }
      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (s, "\\x%02x", c);
      else
        g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

gboolean
deck_call_usage (GError    **error,
                 const char *format,
                 ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, DECK_ERROR, DECK_ERROR_USAGE, message);
  return FALSE;
}

static gboolean option_error (GError **error, char letter, const char *value,
                              const char *format, ...) G_GNUC_PRINTF (4, 5);

/* "-<letter> “<value>”: <message>" */
static gboolean
option_error (GError    **error,
              char        letter,
              const char *value,
              const char *format,
              ...)
{
  va_list args;
  g_autofree char *message = NULL;
  g_autofree char *v = deck_call_shown (value);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "-%c “%s”: %s", letter, v, message);
  return FALSE;
}

static gboolean
is_digits (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* A count of seconds (or similar): decimal digits, at most G_MAXINT. */
gboolean
deck_call_parse_count (const char *s,
                       int        *out)
{
  guint64 v;

  if (!is_digits (s) || !g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT, &v, NULL))
    return FALSE;
  *out = (int) v;
  return TRUE;
}

/* A plugin / session type name: letters, digits, '_'. */
static gboolean
is_type_name (const char *s)
{
  if (*s == '\0' || strlen (s) > 64)
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isalnum (*s) && *s != '_')
      return FALSE;
  return TRUE;
}

gboolean
deck_call_str_equal_ci (const char *a,
                        const char *b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

/* Case-insensitive strstr for ASCII needles. */
static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return TRUE;
  return FALSE;
}

gboolean
deck_call_lookup_ci (const NameValue *table,
                     gsize            n,
                     const char      *name,
                     int             *value)
{
  for (gsize i = 0; i < n; i++)
    if (deck_call_str_equal_ci (table[i].name, name))
      {
        *value = table[i].value;
        return TRUE;
      }
  return FALSE;
}

const char *
deck_call_lookup_name (const NameValue *table,
                       gsize            n,
                       int              value)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return table[i].name;
  return NULL;
}

void
deck_call_set_str (char      **field,
                   const char *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

/* --- names ------------------------------------------------------------------------ */

static const NameValue action_names[] = {
  { "CREATE", DECK_CALL_ACTION_CREATE },
  { "CANCEL", DECK_CALL_ACTION_CANCEL },
  { "LIST", DECK_CALL_ACTION_LIST },
  { "ENUMERATE", DECK_CALL_ACTION_ENUMERATE },
  { "SHOW", DECK_CALL_ACTION_SHOW },
  { "INFO", DECK_CALL_ACTION_INFO },
  { "GETCLIENTPORT", DECK_CALL_ACTION_GETCLIENTPORT },
  { "ISACTIVE", DECK_CALL_ACTION_ISACTIVE },
};

/* Long names first: they are the canonical spelling. */
static const NameValue location_names[] = {
  { "DISPLAYFORWARDING", DECK_CALL_LOCATION_DISPLAYFORWARDING },
  { "CONNECTIONFORWARDING", DECK_CALL_LOCATION_CONNECTIONFORWARDING },
  { "SERVERONLY", DECK_CALL_LOCATION_SERVERONLY },
  { "LOCALONLY", DECK_CALL_LOCATION_LOCALONLY },
  { "CLIENTONLY", DECK_CALL_LOCATION_CLIENTONLY },
  { "DF", DECK_CALL_LOCATION_DISPLAYFORWARDING },
  { "CF", DECK_CALL_LOCATION_CONNECTIONFORWARDING },
  { "SO", DECK_CALL_LOCATION_SERVERONLY },
  { "LO", DECK_CALL_LOCATION_LOCALONLY },
  { "CO", DECK_CALL_LOCATION_CLIENTONLY },
};

static const NameValue ns_cache_names[] = {
  { "OFF", DECK_CALL_NS_CACHE_OFF },
  { "BOTH", DECK_CALL_NS_CACHE_BOTH },
  { "LOCAL", DECK_CALL_NS_CACHE_LOCAL },
  { "REMOTE", DECK_CALL_NS_CACHE_REMOTE },
};

static const NameValue data_cache_flag_names[] = {
  { "KEEP", DECK_CALL_DATA_CACHE_KEEP },
  { "KEEPALL", DECK_CALL_DATA_CACHE_KEEPALL },
  { "ONLY", DECK_CALL_DATA_CACHE_ONLY },
  { "RAW", DECK_CALL_DATA_CACHE_RAW },
  { "AUTO", DECK_CALL_DATA_CACHE_AUTO },
};

static const NameValue scope_names[] = {
  { "USER", DECK_CALL_SCOPE_USER },
  { "GROUP", DECK_CALL_SCOPE_GROUP },
  { "USRLST", DECK_CALL_SCOPE_USRLST },
  { "GRPLST", DECK_CALL_SCOPE_GRPLST },
  { "ALL", DECK_CALL_SCOPE_ALL },
};

const char *
deck_call_action_to_string (DeckCallAction action)
{
  return deck_call_lookup_name (action_names, G_N_ELEMENTS (action_names), action);
}

const char *
deck_call_location_to_string (DeckCallLocation location)
{
  return deck_call_lookup_name (location_names, G_N_ELEMENTS (location_names), location);
}

/* --- DeckCallOptions -------------------------------------------------------------- */

static void
geometry_free (DeckCallGeometry *g)
{
  if (g == NULL)
    return;
  g_free (g->text);
  g_free (g->offset);
  g_free (g->screen);
  g_free (g->layout);
  g_free (g->config);
  g_free (g);
}

static DeckCallGeometry *
geometry_copy (const DeckCallGeometry *g)
{
  DeckCallGeometry *copy;

  if (g == NULL)
    return NULL;
  copy = g_new0 (DeckCallGeometry, 1);
  copy->text = g_strdup (g->text);
  copy->width = g->width;
  copy->height = g->height;
  copy->offset = g_strdup (g->offset);
  copy->screen = g_strdup (g->screen);
  copy->layout = g_strdup (g->layout);
  copy->config = g_strdup (g->config);
  return copy;
}

DeckCallOptions *
deck_call_options_new (void)
{
  DeckCallOptions *o = g_new0 (DeckCallOptions, 1);

  o->pty = DECK_CALL_UNSET;
  o->data_cache = DECK_CALL_UNSET;
  o->data_cache_lifetime = DECK_CALL_UNSET;
  o->allow_ambiguity = DECK_CALL_UNSET;
  o->backend = DECK_CALL_UNSET;
  return o;
}

DeckCallOptions *
deck_call_options_copy (const DeckCallOptions *o)
{
  DeckCallOptions *c;

  g_return_val_if_fail (o != NULL, NULL);

  c = g_new0 (DeckCallOptions, 1);
  *c = *o;  /* scalars; every pointer is replaced below */
  c->action_args = g_strdup (o->action_args);
  c->type = g_strdup (o->type);
  c->types = g_strdupv (o->types);
  c->data_cache_fin = g_strdup (o->data_cache_fin);
  c->data_cache_fout = g_strdup (o->data_cache_fout);
  c->geometry = geometry_copy (o->geometry);
  c->user = g_strdup (o->user);
  c->db_path = g_strdup (o->db_path);
  c->db_dirs = g_strdupv (o->db_dirs);
  c->scope_args = g_strdup (o->scope_args);
  c->debug = g_strdup (o->debug);
  c->display = g_strdup (o->display);
  c->workspace = g_strdup (o->workspace);
  c->chain = g_strdup (o->chain);
  c->help_topic = g_strdup (o->help_topic);
  c->ssh_command = g_strdup (o->ssh_command);
  c->uris = g_strdupv (o->uris);
  return c;
}

void
deck_call_options_free (DeckCallOptions *o)
{
  if (o == NULL)
    return;
  g_free (o->action_args);
  g_free (o->type);
  g_strfreev (o->types);
  g_free (o->data_cache_fin);
  g_free (o->data_cache_fout);
  geometry_free (o->geometry);
  g_free (o->user);
  g_free (o->db_path);
  g_strfreev (o->db_dirs);
  g_free (o->scope_args);
  g_free (o->debug);
  g_free (o->display);
  g_free (o->workspace);
  g_free (o->chain);
  g_free (o->help_topic);
  g_free (o->ssh_command);
  g_strfreev (o->uris);
  g_free (o);
}

/* --- one option each ---------------------------------------------------------------- */

typedef gboolean (*ValueFunc) (DeckCallOptions *o,
                               const char      *value,
                               GError         **error);

static gboolean
set_action (DeckCallOptions *o,
            const char      *value,
            GError         **error)
{
  g_autofree char *name = NULL;
  g_autofree char *args = NULL;
  int action;

  deck_suboptions_split_action (value, &name, &args);
  if (!deck_call_lookup_ci (action_names, G_N_ELEMENTS (action_names), name, &action))
    {
      g_autofree char *n = deck_call_shown (name);

      return option_error (error, 'a', value, "unknown action “%s”; expected CREATE, CANCEL, "
                           "LIST, ENUMERATE, SHOW, INFO, GETCLIENTPORT or ISACTIVE "
                           "(-a <action>[=<suboptions>])", n);
    }
  o->action = action;
  g_free (o->action_args);
  o->action_args = g_steal_pointer (&args);
  return TRUE;
}

static gboolean
set_type (DeckCallOptions *o,
          const char      *value,
          GError         **error)
{
  if (!is_type_name (value))
    return option_error (error, 't', value, "expected a session type such as XEN, QEMU or PM "
                         "(letters, digits and ‘_’)");
  g_free (o->type);
  o->type = g_ascii_strup (value, -1);
  return TRUE;
}

static gboolean
set_types (DeckCallOptions *o,
           const char      *value,
           GError         **error)
{
  g_auto(GStrv) items = g_strsplit (value, ",", -1);
  guint n = g_strv_length (items);

  for (guint i = 0; i < n; i++)
    {
      if (!is_type_name (items[i]))
        return option_error (error, 'T', value, "expected <type>[,<type>...] or ALL");
      if (deck_call_str_equal_ci (items[i], "ALL") && n > 1)
        return option_error (error, 'T', value, "ALL cannot be combined with other types");
      {
        char *up = g_ascii_strup (items[i], -1);

        g_free (items[i]);
        items[i] = up;
      }
    }
  g_strfreev (o->types);
  o->types = g_steal_pointer (&items);
  return TRUE;
}

static const char b_expected[] =
  "expected -b (sync|off|0|async|on|1)[,(sequential|seq|2|parallel|par|3)] or -b stack";

static gboolean
set_background (DeckCallOptions *o,
                const char      *value,
                GError         **error)
{
  static const NameValue syncs[] = {
    { "SYNC", DECK_CALL_SYNC_SYNC }, { "OFF", DECK_CALL_SYNC_SYNC }, { "0", DECK_CALL_SYNC_SYNC },
    { "ASYNC", DECK_CALL_SYNC_ASYNC }, { "ON", DECK_CALL_SYNC_ASYNC }, { "1", DECK_CALL_SYNC_ASYNC },
  };
  static const NameValue orders[] = {
    { "SEQUENTIAL", DECK_CALL_ORDER_SEQUENTIAL }, { "SEQ", DECK_CALL_ORDER_SEQUENTIAL },
    { "2", DECK_CALL_ORDER_SEQUENTIAL },
    { "PARALLEL", DECK_CALL_ORDER_PARALLEL }, { "PAR", DECK_CALL_ORDER_PARALLEL },
    { "3", DECK_CALL_ORDER_PARALLEL },
  };
  g_auto(GStrv) items = g_strsplit (value, ",", -1);
  guint n = g_strv_length (items);
  int sync = DECK_CALL_SYNC_UNSET;
  int order = DECK_CALL_ORDER_UNSET;

  if (n > 2)
    return option_error (error, 'b', value, "more than two values; %s", b_expected);

  if (n == 1 && deck_call_str_equal_ci (items[0], "STACK"))
    {
      o->stack = TRUE;
      o->sync = DECK_CALL_SYNC_SYNC;
      o->order = DECK_CALL_ORDER_SEQUENTIAL;
      return TRUE;
    }

  for (guint i = 0; i < n; i++)
    {
      int v;
      g_autofree char *item = deck_call_shown (items[i]);

      if (deck_call_lookup_ci (syncs, G_N_ELEMENTS (syncs), items[i], &v))
        {
          if (sync != DECK_CALL_SYNC_UNSET)
            return option_error (error, 'b', value, "two sync/async values; %s", b_expected);
          sync = v;
        }
      else if (deck_call_lookup_ci (orders, G_N_ELEMENTS (orders), items[i], &v))
        {
          if (order != DECK_CALL_ORDER_UNSET)
            return option_error (error, 'b', value, "two sequential/parallel values; %s",
                                 b_expected);
          order = v;
        }
      else if (deck_call_str_equal_ci (items[i], "STACK"))
        return option_error (error, 'b', value, "stack cannot be combined with other values; %s",
                             b_expected);
      else
        return option_error (error, 'b', value, "unknown value “%s”; %s", item, b_expected);
    }

  /* ctys: in stack mode -b is ignored (sync and sequential are forced). */
  if (o->stack)
    return TRUE;
  if (sync != DECK_CALL_SYNC_UNSET)
    o->sync = sync;
  if (order != DECK_CALL_ORDER_UNSET)
    o->order = order;
  return TRUE;
}

static gboolean
set_location (DeckCallOptions *o,
              const char      *value,
              GError         **error)
{
  int v;

  if (!deck_call_lookup_ci (location_names, G_N_ELEMENTS (location_names), value, &v))
    return option_error (error, 'L', value, "unknown execution location; expected "
                         "DISPLAYFORWARDING (DF), CONNECTIONFORWARDING (CF), SERVERONLY (SO), "
                         "LOCALONLY (LO) or CLIENTONLY (CO)");
  o->location = v;
  return TRUE;
}

static gboolean
set_pty (DeckCallOptions *o,
         const char      *value,
         GError         **error)
{
  static const NameValue ptys[] = {
    { "NOPTY", 0 }, { "0", 0 }, { "PTY", 1 }, { "1", 1 }, { "PTY,PTY", 2 }, { "2", 2 },
  };
  int v;

  if (!deck_call_lookup_ci (ptys, G_N_ELEMENTS (ptys), value, &v))
    return option_error (error, 'z', value, "expected NOPTY (0), PTY (1) or PTY,PTY (2)");
  o->pty = v;
  return TRUE;
}

static gboolean
set_privilege (DeckCallOptions *o,
               const char      *value,
               GError         **error)
{
  DeckPrivilege privilege = 0;

  /* A -Z replaces the set before it (spec §2.3 REC). */
  if (!deck_privilege_parse (value, &privilege, error))
    return FALSE;
  o->privilege_set = TRUE;
  o->privilege = privilege;
  return TRUE;
}

static const char c_expected[] = "expected -c ON[,(BOTH|LOCAL|REMOTE)][,ONLY] or -c OFF";

static gboolean
set_ns_cache (DeckCallOptions *o,
              const char      *value,
              GError         **error)
{
  g_auto(GStrv) items = g_strsplit (value, ",", -1);
  guint n = g_strv_length (items);
  int where = DECK_CALL_NS_CACHE_UNSET;
  gboolean on = FALSE, only = FALSE, off = FALSE;

  for (guint i = 0; i < n; i++)
    {
      int v;
      g_autofree char *item = deck_call_shown (items[i]);

      if (deck_call_str_equal_ci (items[i], "ON"))
        on = TRUE;
      else if (deck_call_str_equal_ci (items[i], "ONLY"))
        only = TRUE;
      else if (deck_call_str_equal_ci (items[i], "OFF"))
        off = TRUE;
      else if (deck_call_lookup_ci (ns_cache_names, G_N_ELEMENTS (ns_cache_names), items[i], &v))
        {
          if (where != DECK_CALL_NS_CACHE_UNSET && where != v)
            return option_error (error, 'c', value, "BOTH, LOCAL and REMOTE exclude each other; "
                                 "%s", c_expected);
          where = v;
        }
      else
        return option_error (error, 'c', value, "unknown value “%s”; %s", item, c_expected);
    }

  if (off)
    {
      if (n > 1)
        return option_error (error, 'c', value, "OFF cannot be combined with other values; %s",
                             c_expected);
      o->ns_cache = DECK_CALL_NS_CACHE_OFF;
      o->ns_cache_only = FALSE;
      return TRUE;
    }

  if (where != DECK_CALL_NS_CACHE_UNSET)
    o->ns_cache = where;
  else if (on || o->ns_cache == DECK_CALL_NS_CACHE_OFF)
    o->ns_cache = DECK_CALL_NS_CACHE_BOTH;  /* ON, and ONLY after an OFF, switch it on again */
  if (only)
    o->ns_cache_only = TRUE;
  return TRUE;
}

static const char C_expected[] =
  "expected -C ON[,KEEP][,KEEPALL][,ONLY][,RAW][,FIN:<file>][,FOUT:<file>][,LIFETIME:<s>][,AUTO] "
  "or -C OFF";

static gboolean
set_data_cache (DeckCallOptions *o,
                const char      *value,
                GError         **error)
{
  g_auto(GStrv) items = g_strsplit (value, ",", -1);
  guint n = g_strv_length (items);
  gboolean off = FALSE;
  DeckCallDataCacheFlags flags = 0;
  const char *fin = NULL, *fout = NULL;
  int lifetime = DECK_CALL_UNSET;

  for (guint i = 0; i < n; i++)
    {
      const char *item = items[i];
      const char *colon = strchr (item, ':');
      g_autofree char *key = g_ascii_strup (item, colon != NULL ? colon - item : -1);
      g_autofree char *s = deck_call_shown (item);
      int v;

      if (colon != NULL)
        {
          const char *arg = colon + 1;

          if (strcmp (key, "FIN") != 0 && strcmp (key, "FOUT") != 0 && strcmp (key, "LIFETIME") != 0)
            return option_error (error, 'C', value, "unknown value “%s”; %s", s, C_expected);
          if (*arg == '\0')
            return option_error (error, 'C', value, "%s needs a value; %s", key, C_expected);
          if (strcmp (key, "FIN") == 0)
            fin = arg;
          else if (strcmp (key, "FOUT") == 0)
            fout = arg;
          else if (!deck_call_parse_count (arg, &lifetime))
            return option_error (error, 'C', value, "LIFETIME needs a number of seconds, not “%s”",
                                 s);
        }
      else if (strcmp (key, "OFF") == 0 || strcmp (key, "0") == 0)
        off = TRUE;
      else if (strcmp (key, "ON") == 0 || strcmp (key, "1") == 0)
        ;
      else if (deck_call_lookup_ci (data_cache_flag_names, G_N_ELEMENTS (data_cache_flag_names), key, &v))
        flags |= v;
      else
        return option_error (error, 'C', value, "unknown value “%s”; %s", s, C_expected);
    }

  if (off && n > 1)
    return option_error (error, 'C', value, "OFF cannot be combined with other values; %s",
                         C_expected);

  if (off)
    {
      o->data_cache = 0;
      o->data_cache_flags = 0;
      g_clear_pointer (&o->data_cache_fin, g_free);
      g_clear_pointer (&o->data_cache_fout, g_free);
      o->data_cache_lifetime = DECK_CALL_UNSET;
      return TRUE;
    }
  o->data_cache = 1;
  o->data_cache_flags |= flags;
  if (fin != NULL)
    deck_call_set_str (&o->data_cache_fin, fin);
  if (fout != NULL)
    deck_call_set_str (&o->data_cache_fout, fout);
  if (lifetime != DECK_CALL_UNSET)
    o->data_cache_lifetime = lifetime;
  return TRUE;
}

/* "<W>x<H>" at @s; returns the end or NULL. */
static const char *
parse_size (const char *s,
            guint      *width,
            guint      *height)
{
  const char *x = s;
  g_autofree char *w = NULL;
  g_autofree char *h = NULL;
  const char *end;
  guint64 v;

  while (g_ascii_isdigit (*x))
    x++;
  if (x == s || (*x != 'x' && *x != 'X'))
    return NULL;
  end = x + 1;
  while (g_ascii_isdigit (*end))
    end++;
  if (end == x + 1)
    return NULL;
  w = g_strndup (s, x - s);
  h = g_strndup (x + 1, end - x - 1);
  if (!g_ascii_string_to_unsigned (w, 10, 1, 65535, &v, NULL))
    return NULL;
  *width = v;
  if (!g_ascii_string_to_unsigned (h, 10, 1, 65535, &v, NULL))
    return NULL;
  *height = v;
  return end;
}

static gboolean
set_geometry (DeckCallOptions *o,
              const char      *value,
              GError         **error)
{
  static const char expected[] =
    "expected <width>x<height>[(+|-)<x>(+|-)<y>][:<screen>[:<layout>[:<xorg config>]]]";
  g_auto(GStrv) parts = g_strsplit (value, ":", 4);
  DeckCallGeometry *g;
  const char *p;
  guint width, height;

  p = parse_size (parts[0], &width, &height);
  if (p == NULL)
    return option_error (error, 'g', value, "%s", expected);
  if (*p != '\0')
    {
      const char *q = p;

      for (guint k = 0; k < 2; k++)
        {
          const char *start;

          if (*q != '+' && *q != '-')
            return option_error (error, 'g', value, "bad offset; %s", expected);
          start = ++q;
          while (g_ascii_isdigit (*q))
            q++;
          if (q == start || q - start > 5)
            return option_error (error, 'g', value, "bad offset; %s", expected);
        }
      if (*q != '\0')
        return option_error (error, 'g', value, "%s", expected);
    }
  for (guint i = 1; parts[i] != NULL; i++)
    if (parts[i][0] == '\0' && parts[i + 1] == NULL)
      return option_error (error, 'g', value, "empty field after ‘:’; %s", expected);

  g = g_new0 (DeckCallGeometry, 1);
  g->text = g_strdup (value);
  g->width = width;
  g->height = height;
  g->offset = *p != '\0' ? g_strdup (p) : NULL;
  if (parts[1] != NULL && *parts[1] != '\0')
    g->screen = g_strdup (parts[1]);
  if (parts[1] != NULL && parts[2] != NULL && *parts[2] != '\0')
    g->layout = g_strdup (parts[2]);
  if (parts[1] != NULL && parts[2] != NULL && parts[3] != NULL)
    g->config = g_strdup (parts[3]);
  geometry_free (o->geometry);
  o->geometry = g;
  return TRUE;
}

static gboolean
set_resolution (DeckCallOptions *o,
                const char      *value,
                GError         **error)
{
  guint width, height;
  const char *end = parse_size (value, &width, &height);

  if (end == NULL || *end != '\0')
    return option_error (error, 'r', value, "expected <width>x<height> (only a size)");
  o->resolution_width = width;
  o->resolution_height = height;
  return TRUE;
}

static gboolean
set_user (DeckCallOptions *o,
          const char      *value,
          GError         **error)
{
  g_autoptr(GError) local = NULL;

  if (!deck_target_check_user (value, &local))
    return deck_call_usage (error, "-l: %s", local->message);
  deck_call_set_str (&o->user, value);
  return TRUE;
}

static gboolean
set_db_path (DeckCallOptions *o,
             const char      *value,
             GError         **error)
{
  g_auto(GStrv) items = g_strsplit_set (value, ":,", -1);
  gboolean any = FALSE;

  for (guint i = 0; items[i] != NULL; i++)
    any = any || *items[i] != '\0';
  if (!any)
    return option_error (error, 'p', value, "expected a database directory list "
                         "(<dir>[:<dir>...])");
  deck_call_set_str (&o->db_path, value);
  g_strfreev (o->db_dirs);
  o->db_dirs = deck_inventory_split_dirs (value);
  return TRUE;
}

static gboolean
set_ambiguity (DeckCallOptions *o,
               const char      *value,
               GError         **error)
{
  static const NameValue values[] = { { "0", 0 }, { "OFF", 0 }, { "1", 1 }, { "ON", 1 } };
  int v;

  if (!deck_call_lookup_ci (values, G_N_ELEMENTS (values), value, &v))
    return option_error (error, 'A', value, "expected 0 (off) or 1 (on)");
  o->allow_ambiguity = v;
  return TRUE;
}

static gboolean
set_scope (DeckCallOptions *o,
           const char      *value,
           GError         **error)
{
  static const char expected[] = "expected USER, GROUP, USRLST=<user>[,...], "
                                 "GRPLST=<group>[,...] or ALL";
  const char *eq = strchr (value, '=');
  g_autofree char *name = g_strndup (value, eq != NULL ? (gsize) (eq - value) : strlen (value));
  int v;

  if (!deck_call_lookup_ci (scope_names, G_N_ELEMENTS (scope_names), name, &v))
    return option_error (error, 's', value, "unknown scope; %s", expected);
  if (v == DECK_CALL_SCOPE_USRLST || v == DECK_CALL_SCOPE_GRPLST)
    {
      if (eq == NULL || eq[1] == '\0')
        return option_error (error, 's', value, "%s needs a list after ‘=’; %s",
                             deck_call_lookup_name (scope_names, G_N_ELEMENTS (scope_names), v), expected);
    }
  else if (eq != NULL)
    return option_error (error, 's', value, "%s takes no list; %s",
                         deck_call_lookup_name (scope_names, G_N_ELEMENTS (scope_names), v), expected);
  o->scope = v;
  deck_call_set_str (&o->scope_args, eq != NULL ? eq + 1 : NULL);
  return TRUE;
}

/* The level of "-d <level>[,...]": decimal, 0x<hex> or <base>#<digits> (bash notation). */
static gboolean
set_debug (DeckCallOptions *o,
           const char      *value,
           GError         **error)
{
  g_auto(GStrv) items = g_strsplit (value, ",", -1);
  const char *first = items[0];
  guint64 level = 0;

  for (guint i = 0; items[i] != NULL; i++)
    if (items[i][0] == '\0')
      return option_error (error, 'd', value, "empty item; expected -d <level>[,<key>[:<value>]...]");

  if (g_ascii_isdigit (first[0]))
    {
      const char *hash = strchr (first, '#');
      gboolean ok;

      if (hash != NULL)
        {
          g_autofree char *base_text = g_strndup (first, hash - first);
          guint64 base;

          ok = g_ascii_string_to_unsigned (base_text, 10, 2, 36, &base, NULL)
               && hash[1] != '\0'
               && g_ascii_string_to_unsigned (hash + 1, base, 0, G_MAXUINT32, &level, NULL);
        }
      else if (g_ascii_strncasecmp (first, "0x", 2) == 0)
        ok = first[2] != '\0' && g_ascii_string_to_unsigned (first + 2, 16, 0, G_MAXUINT32, &level, NULL);
      else
        ok = g_ascii_string_to_unsigned (first, 10, 0, G_MAXUINT32, &level, NULL);
      if (!ok)
        return option_error (error, 'd', value, "bad debug level “%s” (a number, 0x<hex> or "
                             "<base>#<digits>, at most 32 bits)", first);
    }
  deck_call_set_str (&o->debug, value);
  o->debug_level = level;
  return TRUE;
}

static gboolean
set_display (DeckCallOptions *o,
             const char      *value,
             GError         **error)
{
  deck_call_set_str (&o->display, value);
  return TRUE;
}

static gboolean
set_workspace (DeckCallOptions *o,
               const char      *value,
               GError         **error)
{
  deck_call_set_str (&o->workspace, value);
  return TRUE;
}

static gboolean
set_chain (DeckCallOptions *o,
           const char      *value,
           GError         **error)
{
  if (!deck_call_str_equal_ci (value, "OFF") && !deck_call_str_equal_ci (value, "STAR") && !deck_call_str_equal_ci (value, "CHAIN"))
    return option_error (error, 'x', value, "expected OFF, STAR or CHAIN");
  g_free (o->chain);
  o->chain = g_ascii_strup (value, -1);
  return TRUE;
}

static gboolean
set_help_topic (DeckCallOptions *o,
                const char      *value,
                GError         **error)
{
  deck_call_set_str (&o->help_topic, value);
  return TRUE;
}

static gboolean check_value (const char *name, const char *value, GError **error);

/* The driver a libvirt URI is for: its scheme up to '+' or ':' ("qemu+ssh://..." -> "qemu");
 * NULL when @uri does not look like "<driver>[+<transport>]://...". The same rule as
 * deck_host_take_uri_option(). */
static char *
uri_driver (const char *uri)
{
  gsize n = strcspn (uri, "+:");

  if (n == 0 || uri[n] == '\0' || strstr (uri, "://") == NULL)
    return NULL;
  return g_strndup (uri, n);
}

/* --uri=<uri>: replaces an earlier URI for the same driver ("later wins"). */
static gboolean
set_uri (DeckCallOptions *o,
         const char      *word,
         GError         **error)
{
  const char *uri = word + strlen ("--uri=");
  g_autofree char *driver = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  if (!check_value ("--uri", uri, error))
    return FALSE;
  if ((driver = uri_driver (uri)) == NULL)
    {
      g_autofree char *w = deck_call_shown (word);

      return deck_call_usage (error, "“%s”: expected --uri=<libvirt URI> such as qemu+ssh://host/system or "
                    "qemu:///session", w);
    }
  for (guint i = 0; o->uris != NULL && o->uris[i] != NULL; i++)
    {
      g_autofree char *d = uri_driver (o->uris[i]);

      if (g_strcmp0 (d, driver) != 0)
        g_strv_builder_add (b, o->uris[i]);
    }
  g_strv_builder_add (b, uri);
  g_strfreev (o->uris);
  o->uris = g_strv_builder_end (b);
  return TRUE;
}

typedef struct {
  char        letter;
  ValueFunc   set;      /* NULL for a flag */
  const char *expect;   /* the value, for "needs a value" */
} OptionSpec;

static const OptionSpec option_specs[] = {
  { 'a', set_action, "<action>[=<suboptions>]" },
  { 't', set_type, "<type>" },
  { 'T', set_types, "<type>[,<type>...]|ALL" },
  { 'b', set_background, "(sync|async)[,(seq|par)]|stack" },
  { 'c', set_ns_cache, "ON[,BOTH|LOCAL|REMOTE][,ONLY]|OFF" },
  { 'C', set_data_cache, "ON[,KEEP|KEEPALL|ONLY|RAW|FIN:<f>|FOUT:<f>|LIFETIME:<s>|AUTO]|OFF" },
  { 'z', set_pty, "NOPTY|PTY|PTY,PTY|0|1|2" },
  { 'Z', set_privilege, "KSU|SUDO|NOKSU|NOSUDO|ALL[,...]" },
  { 'L', set_location, "DF|CF|SO|LO|CO" },
  { 'g', set_geometry, "<width>x<height>[+<x>+<y>][:<screen>...]" },
  { 'r', set_resolution, "<width>x<height>" },
  { 'l', set_user, "<user>" },
  { 'p', set_db_path, "<dir>[:<dir>...]" },
  { 'A', set_ambiguity, "0|1" },
  { 's', set_scope, "USER|GROUP|USRLST=<list>|GRPLST=<list>|ALL" },
  { 'd', set_debug, "<level>[,...]" },
  { 'D', set_display, "<display>|<label>" },
  { 'W', set_workspace, "<workspace id or label>" },
  { 'x', set_chain, "OFF|STAR|CHAIN" },
  { 'H', set_help_topic, "<help topic>" },
  { 'P', NULL, NULL },
  { 'X', NULL, NULL },
  { 'Y', NULL, NULL },
  { 'y', NULL, NULL },
  { 'n', NULL, NULL },
  { 'f', NULL, NULL },
  { 'v', NULL, NULL },
  { 'V', NULL, NULL },
  { 'h', NULL, NULL },
};

static const OptionSpec *
find_option (char letter)
{
  for (gsize i = 0; i < G_N_ELEMENTS (option_specs); i++)
    if (option_specs[i].letter == letter)
      return &option_specs[i];
  return NULL;
}

static void
set_flag (DeckCallOptions *o,
          char             letter)
{
  switch (letter)
    {
    case 'P': o->db_default = TRUE; break;
    case 'X': o->terse = TRUE; break;
    case 'Y': o->forward_agent = TRUE; break;
    case 'y': o->colors = TRUE; break;
    case 'n': o->dry_run = TRUE; break;
    case 'f': o->force = TRUE; break;
    case 'v': o->verbose++; break;
    case 'V': o->version = TRUE; break;
    case 'h': o->help = TRUE; break;
    default: g_assert_not_reached ();
    }
}

/* Values are data: they must be valid UTF-8 without control characters. */
static gboolean
check_value (const char  *name,
             const char  *value,
             GError     **error)
{
  if (!g_utf8_validate (value, -1, NULL))
    return deck_call_usage (error, "%s: the value is not valid UTF-8", name);
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_autofree char *v = deck_call_shown (value);

        return deck_call_usage (error, "%s “%s”: the value contains a control character", name, v);
      }
  return TRUE;
}

static gboolean
take_value (DeckCallOptions    *o,
            const OptionSpec   *spec,
            const char         *raw,
            DeckMacros         *macros,
            GError            **error)
{
  g_autofree char *expanded = NULL;
  char name[3] = { '-', spec->letter, '\0' };
  const char *value = raw;

  if (macros != NULL && contains_ci (raw, "macro:"))
    {
      expanded = deck_macros_expand (macros, raw, error);
      if (expanded == NULL)
        {
          g_autofree char *v = deck_call_shown (raw);

          g_prefix_error (error, "%s “%s”: ", name, v);
          return FALSE;
        }
      value = expanded;
    }
  if (!check_value (name, value, error))
    return FALSE;
  if (*value == '\0')
    return deck_call_usage (error, "%s needs a value (%s %s)", name, name, spec->expect);
  return spec->set (o, value, error);
}

/* Parses option words starting at words[*pos]. On the command line the first word that is
 * not an option (or "--") ends them and *pos is left on it; in a group every word must be
 * an option. */
gboolean
deck_call_parse_words (DeckCallOptions    *o,
                       const char * const *words,
                       guint              *pos,
                       gboolean            command_line,
                       DeckMacros         *macros,
                       GError            **error)
{
  guint i = *pos;

  for (; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (word[0] != '-' || word[1] == '\0' || strcmp (word, "--") == 0)
        {
          g_autofree char *w = deck_call_shown (word);

          if (command_line)
            break;
          return deck_call_usage (error, "unexpected “%s” in an option group (only options such as "
                        "-d 1 or -Z KSU belong there)", w);
        }

      if (word[1] == '-')
        {
          g_autofree char *w = deck_call_shown (word);

          if (strcmp (word, "--help") == 0)
            o->help = TRUE;
          else if (g_str_has_prefix (word, "--ssh="))
            {
              const char *cmd = word + strlen ("--ssh=");
              g_auto(GStrv) argv = NULL;

              if (!command_line)
                return deck_call_usage (error, "“%s” is an option of the command line, not of an option "
                              "group", w);
              if (!check_value ("--ssh", cmd, error))
                return FALSE;
              if (!g_shell_parse_argv (cmd, NULL, &argv, NULL) || argv[0] == NULL)
                return deck_call_usage (error, "“%s”: expected --ssh=<program> [<argument>...] "
                              "(split like a shell would split it)", w);
              deck_call_set_str (&o->ssh_command, cmd);
            }
          else if (g_str_has_prefix (word, "--uri="))
            {
              if (!set_uri (o, word, error))
                return FALSE;
            }
          else if (g_str_has_prefix (word, "--backend="))
            {
              DeckBackendChoice backend;

              if (!deck_backend_choice_parse (word + strlen ("--backend="), &backend, NULL))
                return deck_call_usage (error, "“%s”: expected --backend=auto, --backend=libvirt or "
                              "--backend=xl", w);
              o->backend = backend;
            }
          else if (g_str_has_prefix (word, "--ssh-port="))
            {
              guint64 port;

              if (!g_ascii_string_to_unsigned (word + strlen ("--ssh-port="), 10, 1, 65535, &port, NULL))
                return deck_call_usage (error, "“%s”: expected --ssh-port=<1..65535>", w);
              o->ssh_port = (guint) port;
            }
          else
            return deck_call_usage (error, "unknown option “%s” (long options: --ssh=<command>, "
                          "--uri=<libvirt URI>, --backend=auto|libvirt|xl, --ssh-port=<port>, --help)", w);
          continue;
        }

      for (const char *p = word + 1; *p != '\0'; p++)
        {
          const OptionSpec *spec = find_option (*p);

          if (spec == NULL)
            {
              g_autofree char *w = deck_call_shown (word);
              g_autofree char *letter = deck_call_shown ((char[]) { *p, '\0' });

              if (p == word + 1 && p[1] == '\0')
                return deck_call_usage (error, "unknown option “-%s”", letter);
              return deck_call_usage (error, "unknown option “-%s” in “%s”", letter, w);
            }
          if (spec->set == NULL)
            {
              set_flag (o, *p);
              continue;
            }
          if (p[1] != '\0')
            {
              if (!take_value (o, spec, p + 1, macros, error))
                return FALSE;
            }
          else if (words[i + 1] == NULL)
            return deck_call_usage (error, "option -%c needs a value (-%c %s)", *p, *p, spec->expect);
          else if (!take_value (o, spec, words[++i], macros, error))
            return FALSE;
          break;
        }
    }
  *pos = i;
  return TRUE;
}

gboolean
deck_call_options_apply (DeckCallOptions     *options,
                         const char * const  *words,
                         DeckMacros          *macros,
                         GError             **error)
{
  guint pos = 0;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (words == NULL)
    return TRUE;
  return deck_call_parse_words (options, words, &pos, FALSE, macros, error);
}

void
deck_call_options_resolve (DeckCallOptions *o)
{
  g_return_if_fail (o != NULL);

  if (o->sync == DECK_CALL_SYNC_UNSET)
    o->sync = (o->action == DECK_CALL_ACTION_CREATE || o->action == DECK_CALL_ACTION_CANCEL)
              ? DECK_CALL_SYNC_ASYNC : DECK_CALL_SYNC_SYNC;
  if (o->order == DECK_CALL_ORDER_UNSET)
    o->order = DECK_CALL_ORDER_PARALLEL;
  if (o->location == DECK_CALL_LOCATION_UNSET)
    o->location = DECK_CALL_LOCATION_DISPLAYFORWARDING;
  if (o->pty == DECK_CALL_UNSET)
    o->pty = 0;
  if (o->ns_cache == DECK_CALL_NS_CACHE_UNSET)
    o->ns_cache = DECK_CALL_NS_CACHE_BOTH;
  if (o->allow_ambiguity == DECK_CALL_UNSET)
    o->allow_ambiguity = 0;
  if (o->scope == DECK_CALL_SCOPE_UNSET)
    o->scope = o->action == DECK_CALL_ACTION_LIST ? DECK_CALL_SCOPE_ALL : DECK_CALL_SCOPE_USER;
}

/* --- back to words ---------------------------------------------------------------- */

static void
add2 (GStrvBuilder *b,
      const char   *option,
      const char   *value)
{
  g_strv_builder_add (b, option);
  g_strv_builder_add (b, value);
}

char **
deck_call_options_to_argv (const DeckCallOptions *o)
{
  g_autoptr(GStrvBuilder) b = NULL;

  g_return_val_if_fail (o != NULL, NULL);

  b = g_strv_builder_new ();
  if (o->action != DECK_CALL_ACTION_NONE)
    {
      g_autofree char *a = NULL;

      if (o->action_args != NULL)
        a = g_strconcat (deck_call_action_to_string (o->action), "=", o->action_args, NULL);
      else
        a = g_strdup (deck_call_action_to_string (o->action));
      add2 (b, "-a", a);
    }
  if (o->type != NULL)
    add2 (b, "-t", o->type);
  if (o->types != NULL)
    {
      g_autofree char *t = g_strjoinv (",", o->types);

      add2 (b, "-T", t);
    }
  if (o->stack)
    add2 (b, "-b", "stack");
  else if (o->sync != DECK_CALL_SYNC_UNSET || o->order != DECK_CALL_ORDER_UNSET)
    {
      const char *s = o->sync == DECK_CALL_SYNC_SYNC ? "sync"
                      : o->sync == DECK_CALL_SYNC_ASYNC ? "async" : NULL;
      const char *q = o->order == DECK_CALL_ORDER_SEQUENTIAL ? "seq"
                      : o->order == DECK_CALL_ORDER_PARALLEL ? "par" : NULL;
      g_autofree char *v = g_strjoin (",", s ? s : q, s ? q : NULL, NULL);

      add2 (b, "-b", v);
    }
  if (o->location != DECK_CALL_LOCATION_UNSET)
    add2 (b, "-L", deck_call_location_to_string (o->location));
  if (o->pty != DECK_CALL_UNSET)
    add2 (b, "-z", o->pty == 0 ? "0" : o->pty == 1 ? "1" : "2");
  if (o->privilege_set)
    {
      const char *z = "NOKSU,NOSUDO";

      if ((o->privilege & DECK_PRIVILEGE_KSU) && (o->privilege & DECK_PRIVILEGE_SUDO))
        z = "KSU,SUDO";
      else if (o->privilege & DECK_PRIVILEGE_KSU)
        z = "KSU";
      else if (o->privilege & DECK_PRIVILEGE_SUDO)
        z = "SUDO";
      add2 (b, "-Z", z);
    }
  if (o->ns_cache != DECK_CALL_NS_CACHE_UNSET || o->ns_cache_only)
    {
      const char *where = deck_call_lookup_name (ns_cache_names, G_N_ELEMENTS (ns_cache_names), o->ns_cache);
      g_autofree char *v = g_strjoin (",", where ? where : "ONLY",
                                      where && o->ns_cache_only ? "ONLY" : NULL, NULL);

      add2 (b, "-c", v);
    }
  if (o->data_cache == 0)
    add2 (b, "-C", "OFF");
  else if (o->data_cache == 1)
    {
      g_autoptr(GString) v = g_string_new ("ON");

      for (gsize i = 0; i < G_N_ELEMENTS (data_cache_flag_names); i++)
        if (o->data_cache_flags & data_cache_flag_names[i].value)
          g_string_append_printf (v, ",%s", data_cache_flag_names[i].name);
      if (o->data_cache_fin != NULL)
        g_string_append_printf (v, ",FIN:%s", o->data_cache_fin);
      if (o->data_cache_fout != NULL)
        g_string_append_printf (v, ",FOUT:%s", o->data_cache_fout);
      if (o->data_cache_lifetime != DECK_CALL_UNSET)
        g_string_append_printf (v, ",LIFETIME:%d", o->data_cache_lifetime);
      add2 (b, "-C", v->str);
    }
  if (o->geometry != NULL)
    add2 (b, "-g", o->geometry->text);
  if (o->resolution_width > 0)
    {
      g_autofree char *r = g_strdup_printf ("%ux%u", o->resolution_width, o->resolution_height);

      add2 (b, "-r", r);
    }
  if (o->user != NULL)
    add2 (b, "-l", o->user);
  if (o->db_path != NULL)
    add2 (b, "-p", o->db_path);
  if (o->db_default)
    g_strv_builder_add (b, "-P");
  if (o->allow_ambiguity != DECK_CALL_UNSET)
    add2 (b, "-A", o->allow_ambiguity ? "1" : "0");
  if (o->scope != DECK_CALL_SCOPE_UNSET)
    {
      const char *name = deck_call_lookup_name (scope_names, G_N_ELEMENTS (scope_names), o->scope);
      g_autofree char *s = o->scope_args ? g_strconcat (name, "=", o->scope_args, NULL)
                                         : g_strdup (name);

      add2 (b, "-s", s);
    }
  if (o->debug != NULL)
    add2 (b, "-d", o->debug);
  if (o->display != NULL)
    add2 (b, "-D", o->display);
  if (o->workspace != NULL)
    add2 (b, "-W", o->workspace);
  if (o->chain != NULL)
    add2 (b, "-x", o->chain);
  if (o->dry_run)
    g_strv_builder_add (b, "-n");
  if (o->terse)
    g_strv_builder_add (b, "-X");
  if (o->forward_agent)
    g_strv_builder_add (b, "-Y");
  if (o->colors)
    g_strv_builder_add (b, "-y");
  if (o->force)
    g_strv_builder_add (b, "-f");
  for (guint i = 0; i < o->verbose; i++)
    g_strv_builder_add (b, "-v");
  if (o->version)
    g_strv_builder_add (b, "-V");
  if (o->help)
    g_strv_builder_add (b, "-h");
  if (o->help_topic != NULL)
    add2 (b, "-H", o->help_topic);
  if (o->ssh_command != NULL)
    {
      g_autofree char *s = g_strconcat ("--ssh=", o->ssh_command, NULL);

      g_strv_builder_add (b, s);
    }
  for (guint i = 0; o->uris != NULL && o->uris[i] != NULL; i++)
    {
      g_autofree char *s = g_strconcat ("--uri=", o->uris[i], NULL);

      g_strv_builder_add (b, s);
    }
  if (o->backend != DECK_CALL_UNSET)
    g_strv_builder_add (b, o->backend == DECK_BACKEND_LIBVIRT ? "--backend=libvirt"
                           : o->backend == DECK_BACKEND_XL ? "--backend=xl" : "--backend=auto");
  if (o->ssh_port != 0)
    {
      g_autofree char *s = g_strdup_printf ("--ssh-port=%u", o->ssh_port);

      g_strv_builder_add (b, s);
    }
  return g_strv_builder_end (b);
}

/* Words made only of these characters are shown unquoted. */
static gboolean
needs_quoting (const char *word)
{
  if (*word == '\0')
    return TRUE;
  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.,:=/%+@#", *p) == NULL)
      return TRUE;
  return FALSE;
}

static void
append_words (GString            *s,
              const char * const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      if (needs_quoting (words[i]))
        {
          g_autofree char *q = g_shell_quote (words[i]);

          g_string_append (s, q);
        }
      else
        g_string_append (s, words[i]);
    }
}

char *
deck_call_options_to_string (const DeckCallOptions *o)
{
  g_auto(GStrv) words = NULL;
  GString *s;

  g_return_val_if_fail (o != NULL, NULL);

  words = deck_call_options_to_argv (o);
  s = g_string_new (NULL);
  append_words (s, (const char * const *) words);
  return g_string_free (s, FALSE);
}
