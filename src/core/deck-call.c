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

#include <string.h>

#include "deck-error.h"
#include "deck-inventory.h"
#include "deck-suboptions.h"

/* Longest value quoted in a message. */
#define MAX_SHOWN 120

/* --- helpers ---------------------------------------------------------------------- */

/* @text made safe to quote in a one-line message: valid UTF-8, control characters
 * escaped, cut after MAX_SHOWN characters. */
static char *
shown (const char *text)
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

static gboolean usage (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
usage (GError    **error,
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
  g_autofree char *v = shown (value);

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
static gboolean
parse_count (const char *s,
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

static gboolean
str_equal_ci (const char *a,
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

typedef struct {
  const char *name;
  int         value;
} NameValue;

static gboolean
lookup_ci (const NameValue *table,
           gsize            n,
           const char      *name,
           int             *value)
{
  for (gsize i = 0; i < n; i++)
    if (str_equal_ci (table[i].name, name))
      {
        *value = table[i].value;
        return TRUE;
      }
  return FALSE;
}

static const char *
lookup_name (const NameValue *table,
             gsize            n,
             int              value)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return table[i].name;
  return NULL;
}

static void
set_str (char      **field,
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

static const NameValue console_names[] = {
  { "CLI", DECK_CONSOLE_CLI },
  { "XTERM", DECK_CONSOLE_XTERM },
  { "GTERM", DECK_CONSOLE_GTERM },
  { "EMACS", DECK_CONSOLE_EMACS },
  { "EMACSM", DECK_CONSOLE_EMACSM },
  { "EMACSA", DECK_CONSOLE_EMACSA },
  { "EMACSAM", DECK_CONSOLE_EMACSAM },
  { "VNC", DECK_CONSOLE_VNC },
  { "NONE", DECK_CONSOLE_NONE },
  { "SDL", DECK_CONSOLE_SDL },
};

static const NameValue bootmode_names[] = {
  { "CD", DECK_BOOTMODE_CD },
  { "FDD", DECK_BOOTMODE_FDD },
  { "USB", DECK_BOOTMODE_USB },
  { "ISO", DECK_BOOTMODE_ISO },
  { "KERNEL", DECK_BOOTMODE_KERNEL },
  { "PXE", DECK_BOOTMODE_PXE },
  { "VHDD", DECK_BOOTMODE_VHDD },
  { "INSTALL", DECK_BOOTMODE_INSTALL },
};

static const NameValue stackcheck_names[] = {
  { "OFF", DECK_STACKCHECK_OFF },
  { "CONTEXT", DECK_STACKCHECK_CONTEXT },
  { "NOCONTEXT", DECK_STACKCHECK_NOCONTEXT },
  { "HWCAP", DECK_STACKCHECK_HWCAP },
  { "NOHWCAP", DECK_STACKCHECK_NOHWCAP },
  { "STACKCAP", DECK_STACKCHECK_STACKCAP },
  { "NOSTACKCAP", DECK_STACKCHECK_NOSTACKCAP },
};

const char *
deck_call_action_to_string (DeckCallAction action)
{
  return lookup_name (action_names, G_N_ELEMENTS (action_names), action);
}

const char *
deck_call_location_to_string (DeckCallLocation location)
{
  return lookup_name (location_names, G_N_ELEMENTS (location_names), location);
}

const char *
deck_console_to_string (DeckConsole console)
{
  return lookup_name (console_names, G_N_ELEMENTS (console_names), console);
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
  if (!lookup_ci (action_names, G_N_ELEMENTS (action_names), name, &action))
    {
      g_autofree char *n = shown (name);

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
      if (str_equal_ci (items[i], "ALL") && n > 1)
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

  if (n == 1 && str_equal_ci (items[0], "STACK"))
    {
      o->stack = TRUE;
      o->sync = DECK_CALL_SYNC_SYNC;
      o->order = DECK_CALL_ORDER_SEQUENTIAL;
      return TRUE;
    }

  for (guint i = 0; i < n; i++)
    {
      int v;
      g_autofree char *item = shown (items[i]);

      if (lookup_ci (syncs, G_N_ELEMENTS (syncs), items[i], &v))
        {
          if (sync != DECK_CALL_SYNC_UNSET)
            return option_error (error, 'b', value, "two sync/async values; %s", b_expected);
          sync = v;
        }
      else if (lookup_ci (orders, G_N_ELEMENTS (orders), items[i], &v))
        {
          if (order != DECK_CALL_ORDER_UNSET)
            return option_error (error, 'b', value, "two sequential/parallel values; %s",
                                 b_expected);
          order = v;
        }
      else if (str_equal_ci (items[i], "STACK"))
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

  if (!lookup_ci (location_names, G_N_ELEMENTS (location_names), value, &v))
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

  if (!lookup_ci (ptys, G_N_ELEMENTS (ptys), value, &v))
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
      g_autofree char *item = shown (items[i]);

      if (str_equal_ci (items[i], "ON"))
        on = TRUE;
      else if (str_equal_ci (items[i], "ONLY"))
        only = TRUE;
      else if (str_equal_ci (items[i], "OFF"))
        off = TRUE;
      else if (lookup_ci (ns_cache_names, G_N_ELEMENTS (ns_cache_names), items[i], &v))
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
      g_autofree char *s = shown (item);
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
          else if (!parse_count (arg, &lifetime))
            return option_error (error, 'C', value, "LIFETIME needs a number of seconds, not “%s”",
                                 s);
        }
      else if (strcmp (key, "OFF") == 0 || strcmp (key, "0") == 0)
        off = TRUE;
      else if (strcmp (key, "ON") == 0 || strcmp (key, "1") == 0)
        ;
      else if (lookup_ci (data_cache_flag_names, G_N_ELEMENTS (data_cache_flag_names), key, &v))
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
    set_str (&o->data_cache_fin, fin);
  if (fout != NULL)
    set_str (&o->data_cache_fout, fout);
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
    return usage (error, "-l: %s", local->message);
  set_str (&o->user, value);
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
  set_str (&o->db_path, value);
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

  if (!lookup_ci (values, G_N_ELEMENTS (values), value, &v))
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

  if (!lookup_ci (scope_names, G_N_ELEMENTS (scope_names), name, &v))
    return option_error (error, 's', value, "unknown scope; %s", expected);
  if (v == DECK_CALL_SCOPE_USRLST || v == DECK_CALL_SCOPE_GRPLST)
    {
      if (eq == NULL || eq[1] == '\0')
        return option_error (error, 's', value, "%s needs a list after ‘=’; %s",
                             lookup_name (scope_names, G_N_ELEMENTS (scope_names), v), expected);
    }
  else if (eq != NULL)
    return option_error (error, 's', value, "%s takes no list; %s",
                         lookup_name (scope_names, G_N_ELEMENTS (scope_names), v), expected);
  o->scope = v;
  set_str (&o->scope_args, eq != NULL ? eq + 1 : NULL);
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
  set_str (&o->debug, value);
  o->debug_level = level;
  return TRUE;
}

static gboolean
set_display (DeckCallOptions *o,
             const char      *value,
             GError         **error)
{
  set_str (&o->display, value);
  return TRUE;
}

static gboolean
set_workspace (DeckCallOptions *o,
               const char      *value,
               GError         **error)
{
  set_str (&o->workspace, value);
  return TRUE;
}

static gboolean
set_chain (DeckCallOptions *o,
           const char      *value,
           GError         **error)
{
  if (!str_equal_ci (value, "OFF") && !str_equal_ci (value, "STAR") && !str_equal_ci (value, "CHAIN"))
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
  set_str (&o->help_topic, value);
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
      g_autofree char *w = shown (word);

      return usage (error, "“%s”: expected --uri=<libvirt URI> such as qemu+ssh://host/system or "
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
    return usage (error, "%s: the value is not valid UTF-8", name);
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_autofree char *v = shown (value);

        return usage (error, "%s “%s”: the value contains a control character", name, v);
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
          g_autofree char *v = shown (raw);

          g_prefix_error (error, "%s “%s”: ", name, v);
          return FALSE;
        }
      value = expanded;
    }
  if (!check_value (name, value, error))
    return FALSE;
  if (*value == '\0')
    return usage (error, "%s needs a value (%s %s)", name, name, spec->expect);
  return spec->set (o, value, error);
}

/* Parses option words starting at words[*pos]. On the command line the first word that is
 * not an option (or "--") ends them and *pos is left on it; in a group every word must be
 * an option. */
static gboolean
parse_words (DeckCallOptions    *o,
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
          g_autofree char *w = shown (word);

          if (command_line)
            break;
          return usage (error, "unexpected “%s” in an option group (only options such as "
                        "-d 1 or -Z KSU belong there)", w);
        }

      if (word[1] == '-')
        {
          g_autofree char *w = shown (word);

          if (strcmp (word, "--help") == 0)
            o->help = TRUE;
          else if (g_str_has_prefix (word, "--ssh="))
            {
              const char *cmd = word + strlen ("--ssh=");
              g_auto(GStrv) argv = NULL;

              if (!command_line)
                return usage (error, "“%s” is an option of the command line, not of an option "
                              "group", w);
              if (!check_value ("--ssh", cmd, error))
                return FALSE;
              if (!g_shell_parse_argv (cmd, NULL, &argv, NULL) || argv[0] == NULL)
                return usage (error, "“%s”: expected --ssh=<program> [<argument>...] "
                              "(split like a shell would split it)", w);
              set_str (&o->ssh_command, cmd);
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
                return usage (error, "“%s”: expected --backend=auto, --backend=libvirt or "
                              "--backend=xl", w);
              o->backend = backend;
            }
          else
            return usage (error, "unknown option “%s” (long options: --ssh=<command>, "
                          "--uri=<libvirt URI>, --backend=auto|libvirt|xl, --help)", w);
          continue;
        }

      for (const char *p = word + 1; *p != '\0'; p++)
        {
          const OptionSpec *spec = find_option (*p);

          if (spec == NULL)
            {
              g_autofree char *w = shown (word);
              g_autofree char *letter = shown ((char[]) { *p, '\0' });

              if (p == word + 1 && p[1] == '\0')
                return usage (error, "unknown option “-%s”", letter);
              return usage (error, "unknown option “-%s” in “%s”", letter, w);
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
            return usage (error, "option -%c needs a value (-%c %s)", *p, *p, spec->expect);
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
  return parse_words (options, words, &pos, FALSE, macros, error);
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
      const char *where = lookup_name (ns_cache_names, G_N_ELEMENTS (ns_cache_names), o->ns_cache);
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
      const char *name = lookup_name (scope_names, G_N_ELEMENTS (scope_names), o->scope);
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

/* --- suboption helpers ------------------------------------------------------------ */

static gboolean
has_value (const DeckSuboption *opt)
{
  return opt->value != NULL && opt->value[0] != '\0';
}

static gboolean sub_error (GError **error, const char *action, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static gboolean
sub_error (GError    **error,
           const char *action,
           const char *format,
           ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "%s: %s", action, message);
  return FALSE;
}

/* "KEY:value" as written, for messages. */
static char *
sub_shown (const DeckSuboption *opt)
{
  g_autofree char *text = NULL;

  if (opt->value == NULL)
    return shown (opt->raw_key);
  text = g_strconcat (opt->raw_key, ":", opt->value, NULL);
  return shown (text);
}

static gboolean
no_value (const char          *action,
          const DeckSuboption *opt,
          GError             **error)
{
  g_autofree char *s = NULL;

  if (!has_value (opt))
    return TRUE;
  s = sub_shown (opt);
  return sub_error (error, action, "“%s”: %s takes no value", s, opt->key);
}

static gboolean
need_value (const char          *action,
            const DeckSuboption *opt,
            const char          *example,
            GError             **error)
{
  g_autofree char *k = NULL;

  if (has_value (opt))
    return TRUE;
  k = shown (opt->raw_key);
  return sub_error (error, action, "“%s” needs a value (e.g. %s)", k, example);
}

/* A value, when given, must be one item (write "%%" for a '%' in it). */
static gboolean
one_item (const char          *action,
          const DeckSuboption *opt,
          const char          *form,
          GError             **error)
{
  g_autofree char *s = NULL;

  if (!has_value (opt) || g_strv_length (opt->items) == 1)
    return TRUE;
  s = sub_shown (opt);
  return sub_error (error, action, "“%s”: expected %s (one value; write %%%% for a %% in it)",
                    s, form);
}

/* The items of @opt without empty ones ("c:a%" has an empty second item). */
static char **
nonempty_items (const DeckSuboption *opt)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; opt->items != NULL && opt->items[i] != NULL; i++)
    if (*opt->items[i] != '\0')
      g_strv_builder_add (b, opt->items[i]);
  return g_strv_builder_end (b);
}

static gboolean
take_seconds (const char          *action,
              const DeckSuboption *opt,
              int                 *out,
              GError             **error)
{
  g_autofree char *s = NULL;

  if (!need_value (action, opt, "WAITS:10", error))
    return FALSE;
  if (parse_count (opt->value, out))
    return TRUE;
  s = sub_shown (opt);
  return sub_error (error, action, "“%s”: %s needs a number of seconds", s, opt->key);
}

static gboolean
take_user (const char          *action,
           const DeckSuboption *opt,
           char               **user,
           char               **credentials,
           GError             **error)
{
  g_autoptr(GError) local = NULL;

  if (!need_value (action, opt, "USER:acue", error))
    return FALSE;
  if (g_strv_length (opt->items) > 2)
    {
      g_autofree char *s = sub_shown (opt);

      return sub_error (error, action, "“%s”: expected USER:<user>[%%<credentials>]", s);
    }
  if (!deck_target_check_user (opt->items[0], &local))
    return sub_error (error, action, "USER: %s", local->message);
  set_str (user, opt->items[0]);
  set_str (credentials, opt->items[1] != NULL && *opt->items[1] != '\0' ? opt->items[1] : NULL);
  return TRUE;
}

/* Offers @opt to @address; TRUE when it was an address part (stored). FALSE with @error set
 * for a bad address part, FALSE without for another key. */
static gboolean
take_address (DeckAddress         *address,
              const char          *action,
              const DeckSuboption *opt,
              gboolean            *failed,
              GError             **error)
{
  g_autoptr(GError) local = NULL;

  *failed = FALSE;
  if (deck_address_take_suboption (address, opt, &local))
    return TRUE;
  if (local != NULL)
    {
      *failed = TRUE;
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", action);
    }
  return FALSE;
}

/* Appends @value escaped so that deck_suboptions_parse() reads it back as one item. */
static void
append_item (GString    *s,
             const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case ',': g_string_append (s, ",,"); break;
        case ':': g_string_append (s, "::"); break;
        case '%': g_string_append (s, "%%"); break;
        case '\\': g_string_append (s, "\\\\"); break;
        default: g_string_append_c (s, *p); break;
        }
    }
}

static void
append_sub (GString    *s,
            const char *key,
            const char * const *items)
{
  if (s->len > 0)
    g_string_append_c (s, ',');
  g_string_append (s, key);
  if (items == NULL)
    return;
  g_string_append_c (s, ':');
  for (guint i = 0; items[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (s, '%');
      append_item (s, items[i]);
    }
}

static void
append_sub1 (GString    *s,
             const char *key,
             const char *value)
{
  const char *items[] = { value, NULL };

  append_sub (s, key, value != NULL ? items : NULL);
}

static DeckAddress *
address_copy (DeckAddress *address)
{
  g_autofree char *text = deck_address_to_string (address);
  DeckAddress *copy = deck_address_parse (text, NULL);

  return copy != NULL ? copy : g_object_ref (address);
}

/* --- CREATE ----------------------------------------------------------------------- */

static DeckCreateRequest *
create_request_new (void)
{
  DeckCreateRequest *r = g_new0 (DeckCreateRequest, 1);

  r->address = deck_address_new ();
  r->callopts = g_new0 (char *, 1);
  r->xopts = g_new0 (char *, 1);
  r->ping.state = DECK_CALL_UNSET;
  r->sshping.state = DECK_CALL_UNSET;
  r->waitc = DECK_CALL_UNSET;
  r->waits = DECK_CALL_UNSET;
  return r;
}

void
deck_create_request_free (DeckCreateRequest *r)
{
  if (r == NULL)
    return;
  g_clear_object (&r->address);
  g_free (r->statefile);
  g_strfreev (r->callopts);
  g_strfreev (r->xopts);
  g_strfreev (r->instmode);
  g_free (r->user);
  g_free (r->credentials);
  g_free (r);
}

DeckCreateRequest *
deck_create_request_copy (const DeckCreateRequest *r)
{
  DeckCreateRequest *c;

  g_return_val_if_fail (r != NULL, NULL);

  c = g_new0 (DeckCreateRequest, 1);
  *c = *r;
  c->address = address_copy (r->address);
  c->statefile = g_strdup (r->statefile);
  c->callopts = g_strdupv (r->callopts);
  c->xopts = g_strdupv (r->xopts);
  c->instmode = g_strdupv (r->instmode);
  c->user = g_strdup (r->user);
  c->credentials = g_strdup (r->credentials);
  return c;
}

static const char create_keys[] =
  "a machine address part (l:, f:, i:, p:, u:, m:, t:, dr:, b:), CONNECT, REUSE, RECONNECT, "
  "RESUME, CONSOLE, CALLOPTS (C), XOPTS (X), BOOTMODE, INSTMODE, PING, SSHPING, WAITC, WAITS, "
  "USER or STACKCHECK";

static gboolean
take_probe (const DeckSuboption *opt,
            DeckCreateProbe     *probe,
            GError             **error)
{
  g_autofree char *s = NULL;

  if (!need_value ("CREATE", opt, "PING:20%2 or PING:OFF", error))
    return FALSE;
  if (str_equal_ci (opt->value, "OFF"))
    {
      probe->state = 0;
      return TRUE;
    }
  if (g_strv_length (opt->items) == 2)
    {
      int count, sleep;

      if (parse_count (opt->items[0], &count) && parse_count (opt->items[1], &sleep))
        {
          probe->state = 1;
          probe->count = count;
          probe->sleep = sleep;
          return TRUE;
        }
    }
  s = sub_shown (opt);
  return sub_error (error, "CREATE", "“%s”: expected %s:OFF or %s:<count>%%<sleep seconds> "
                    "(both numbers)", s, opt->key, opt->key);
}

static gboolean
take_instmode (DeckCreateRequest   *r,
               const DeckSuboption *opt,
               GError             **error)
{
  static const char * const modes[] = { "CD", "DVD", "PXE", "KS", "CONFIG", NULL };
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *mode = NULL;
  guint n = opt->items != NULL ? g_strv_length (opt->items) : 0;

  if (n > 5)
    {
      g_autofree char *s = sub_shown (opt);

      return sub_error (error, "CREATE", "“%s”: expected INSTMODE:<mode>%%<source>%%<target mode>"
                        "%%<target>%%<stage>", s);
    }
  mode = g_ascii_strup (n > 0 ? opt->items[0] : "", -1);
  if (*mode == '\0')
    set_str (&mode, "CONFIG");
  else if (!g_strv_contains (modes, mode))
    {
      g_autofree char *s = sub_shown (opt);

      return sub_error (error, "CREATE", "“%s”: unknown install mode; expected CD, DVD, PXE, KS "
                        "or CONFIG (also written as an empty mode)", s);
    }
  g_strv_builder_add (b, mode);
  for (guint i = 1; i < n; i++)
    g_strv_builder_add (b, opt->items[i]);
  g_strfreev (r->instmode);
  r->instmode = g_strv_builder_end (b);
  return TRUE;
}

static gboolean
take_stackcheck (DeckCreateRequest   *r,
                 const DeckSuboption *opt,
                 GError             **error)
{
  static const DeckStackCheck pairs[][2] = {
    { DECK_STACKCHECK_CONTEXT, DECK_STACKCHECK_NOCONTEXT },
    { DECK_STACKCHECK_HWCAP, DECK_STACKCHECK_NOHWCAP },
    { DECK_STACKCHECK_STACKCAP, DECK_STACKCHECK_NOSTACKCAP },
  };
  DeckStackCheck check = 0;
  g_autofree char *s = NULL;

  if (!need_value ("CREATE", opt, "STACKCHECK:OFF or STACKCHECK:CONTEXT%HWCAP", error))
    return FALSE;
  s = sub_shown (opt);
  for (guint i = 0; opt->items[i] != NULL; i++)
    {
      int v;

      if (!lookup_ci (stackcheck_names, G_N_ELEMENTS (stackcheck_names), opt->items[i], &v))
        return sub_error (error, "CREATE", "“%s”: expected STACKCHECK:OFF or "
                          "[CONTEXT|NOCONTEXT][%%HWCAP|%%NOHWCAP][%%STACKCAP|%%NOSTACKCAP]", s);
      check |= v;
    }
  if ((check & DECK_STACKCHECK_OFF) && check != DECK_STACKCHECK_OFF)
    return sub_error (error, "CREATE", "“%s”: OFF cannot be combined with other checks", s);
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    if ((check & pairs[i][0]) && (check & pairs[i][1]))
      return sub_error (error, "CREATE", "“%s”: %s and %s exclude each other", s,
                        lookup_name (stackcheck_names, G_N_ELEMENTS (stackcheck_names), pairs[i][0]),
                        lookup_name (stackcheck_names, G_N_ELEMENTS (stackcheck_names), pairs[i][1]));
  r->stackcheck = check;
  return TRUE;
}

static gboolean
take_create (DeckCreateRequest   *r,
             const DeckSuboption *opt,
             const char         **mode_key,
             const DeckSuboption **console_opt,
             GError             **error)
{
  const char *key = opt->key;
  g_autofree char *s = sub_shown (opt);
  int v;

  if (strcmp (key, "CONNECT") == 0 || strcmp (key, "REUSE") == 0
      || strcmp (key, "RECONNECT") == 0 || strcmp (key, "RESUME") == 0)
    {
      if (*mode_key != NULL)
        return sub_error (error, "CREATE", "only one of CONNECT, RECONNECT, REUSE and RESUME may "
                          "be given (“%s” and “%s”)", *mode_key, opt->raw_key);
      *mode_key = opt->raw_key;
      if (strcmp (key, "RESUME") == 0)
        {
          if (!one_item ("CREATE", opt, "RESUME:<state file>", error))
            return FALSE;
          r->mode = DECK_CREATE_MODE_RESUME;
          set_str (&r->statefile, has_value (opt) ? opt->value : NULL);
          return TRUE;
        }
      if (!no_value ("CREATE", opt, error))
        return FALSE;
      r->mode = strcmp (key, "CONNECT") == 0 ? DECK_CREATE_MODE_CONNECT
                : strcmp (key, "REUSE") == 0 ? DECK_CREATE_MODE_REUSE
                : DECK_CREATE_MODE_RECONNECT;
      return TRUE;
    }

  if (strcmp (key, "CONSOLE") == 0)
    {
      if (!need_value ("CREATE", opt, "CONSOLE:VNC", error))
        return FALSE;
      if (*console_opt != NULL)
        {
          g_autofree char *first = sub_shown (*console_opt);

          return sub_error (error, "CREATE", "CONSOLE must be unique (“%s” and “%s”)", first, s);
        }
      if (!lookup_ci (console_names, G_N_ELEMENTS (console_names), opt->value, &v))
        return sub_error (error, "CREATE", "“%s”: unknown console; expected CLI, XTERM, GTERM, "
                          "EMACS, EMACSM, EMACSA, EMACSAM, VNC, NONE or SDL", s);
      *console_opt = opt;
      r->console = v;
      return TRUE;
    }

  if (strcmp (key, "CALLOPTS") == 0 || strcmp (key, "C") == 0
      || strcmp (key, "XOPTS") == 0 || strcmp (key, "X") == 0)
    {
      gboolean call = key[0] == 'C';
      char **items;

      if (!need_value ("CREATE", opt, call ? "C:memory=512%vcpus=2" : "X:-bg%black", error))
        return FALSE;
      items = nonempty_items (opt);
      if (items[0] == NULL)
        {
          g_strfreev (items);
          return sub_error (error, "CREATE", "“%s”: no argument given", s);
        }
      /* As in ctys, a repeated key replaces the earlier list. */
      if (call)
        {
          g_strfreev (r->callopts);
          r->callopts = items;
        }
      else
        {
          g_strfreev (r->xopts);
          r->xopts = items;
        }
      return TRUE;
    }

  if (strcmp (key, "BOOTMODE") == 0)
    {
      if (!need_value ("CREATE", opt, "BOOTMODE:PXE", error))
        return FALSE;
      if (!lookup_ci (bootmode_names, G_N_ELEMENTS (bootmode_names), opt->value, &v))
        return sub_error (error, "CREATE", "“%s”: unknown boot mode; expected CD, FDD, USB, ISO, "
                          "KERNEL, PXE, VHDD or INSTALL", s);
      r->bootmode = v;
      return TRUE;
    }

  if (strcmp (key, "INSTMODE") == 0)
    return take_instmode (r, opt, error);
  if (strcmp (key, "PING") == 0)
    return take_probe (opt, &r->ping, error);
  if (strcmp (key, "SSHPING") == 0)
    return take_probe (opt, &r->sshping, error);
  if (strcmp (key, "WAITC") == 0)
    return take_seconds ("CREATE", opt, &r->waitc, error);
  if (strcmp (key, "WAITS") == 0)
    return take_seconds ("CREATE", opt, &r->waits, error);
  if (strcmp (key, "USER") == 0)
    return take_user ("CREATE", opt, &r->user, &r->credentials, error);
  if (strcmp (key, "STACKCHECK") == 0)
    return take_stackcheck (r, opt, error);

  return sub_error (error, "CREATE", "unknown suboption “%s”; expected %s", s, create_keys);
}

DeckCreateRequest *
deck_create_request_parse (const char  *text,
                           GError     **error)
{
  g_autoptr(DeckCreateRequest) r = NULL;
  g_autoptr(GPtrArray) opts = NULL;
  const char *mode_key = NULL;
  const DeckSuboption *console_opt = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  opts = deck_suboptions_parse (text != NULL ? text : "", error);
  if (opts == NULL)
    {
      g_prefix_error (error, "CREATE: ");
      return NULL;
    }

  r = create_request_new ();
  for (guint i = 0; i < opts->len; i++)
    {
      const DeckSuboption *opt = opts->pdata[i];

      if (strcmp (opt->key, "ALL") == 0)
        {
          sub_error (error, "CREATE", "“%s” selects all running sessions and belongs to CANCEL; "
                     "CREATE needs the address of one machine", opt->raw_key);
          return NULL;
        }
      gboolean failed;

      if (take_address (r->address, "CREATE", opt, &failed, error))
        continue;
      if (failed || !take_create (r, opt, &mode_key, &console_opt, error))
        return NULL;
    }

  if (!deck_address_has_target (r->address))
    {
      sub_error (error, "CREATE", "missing machine address: give l:<label>, f:<part of the "
                 "path>, i:<absolute path>, u:<uuid>, m:<mac>, t:<ip> or dr:<record> "
                 "(b:<base> alone only limits the search)");
      return NULL;
    }
  return g_steal_pointer (&r);
}

static void
add_note (GPtrArray  *notes,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
add_note (GPtrArray  *notes,
          const char *format,
          ...)
{
  va_list args;

  if (notes == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (notes, g_strdup_vprintf (format, args));
  va_end (args);
}

gboolean
deck_create_request_apply (const DeckCreateRequest  *r,
                           DeckCallOptions          *o,
                           GPtrArray                *notes,
                           GError                  **error)
{
  const char *console;

  g_return_val_if_fail (r != NULL, FALSE);
  g_return_val_if_fail (o != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  console = deck_console_to_string (r->console);

  /* Spec §5.1.4: the rows -L CF and -L SO. The plugin default console is checked when it is
   * known (by the actions layer). */
  switch (r->console)
    {
    case DECK_CONSOLE_CLI:
    case DECK_CONSOLE_XTERM:
    case DECK_CONSOLE_GTERM:
    case DECK_CONSOLE_EMACS:
    case DECK_CONSOLE_EMACSM:
    case DECK_CONSOLE_EMACSA:
    case DECK_CONSOLE_EMACSAM:
    case DECK_CONSOLE_SDL:
      if (o->location == DECK_CALL_LOCATION_CONNECTIONFORWARDING)
        return sub_error (error, "CREATE", "CONNECTIONFORWARDING (-L CF) is not supported for "
                          "CONSOLE:%s; it works with CONSOLE:VNC and CONSOLE:NONE only (use -L DF "
                          "to show the console through ssh -X)", console);
      if (o->location == DECK_CALL_LOCATION_SERVERONLY
          && (r->console == DECK_CONSOLE_CLI || r->console == DECK_CONSOLE_SDL))
        return sub_error (error, "CREATE", "SERVERONLY (-L SO) starts no console, but CONSOLE:%s "
                          "is one (use CONSOLE:NONE for a headless start)", console);
      break;
    case DECK_CONSOLE_VNC:
      if (o->location == DECK_CALL_LOCATION_SERVERONLY)
        return sub_error (error, "CREATE", "SERVERONLY (-L SO) starts no console, but CONSOLE:VNC "
                          "is one (use CONSOLE:NONE for a headless start)");
      break;
    case DECK_CONSOLE_NONE:
    case DECK_CONSOLE_DEFAULT:
      break;
    }

  if (r->console == DECK_CONSOLE_CLI)
    {
      /* Interactive console in the caller's terminal: one target after the other, in the
       * foreground, with a real terminal (pyGRUB). */
      if (o->sync != DECK_CALL_SYNC_SYNC || o->order != DECK_CALL_ORDER_SEQUENTIAL)
        {
          o->sync = DECK_CALL_SYNC_SYNC;
          o->order = DECK_CALL_ORDER_SEQUENTIAL;
          add_note (notes, "CONSOLE:CLI forces -b sync,seq");
        }
      if (o->pty == 0)
        add_note (notes, "-z NOPTY kept with CONSOLE:CLI: the console has no terminal "
                  "(echoed passwords, no full-screen programs)");
      else if (o->pty != 2)
        {
          o->pty = 2;
          add_note (notes, "CONSOLE:CLI forces -z 2");
        }
    }
  else if (r->console == DECK_CONSOLE_NONE
           && o->location != DECK_CALL_LOCATION_SERVERONLY
           && o->location != DECK_CALL_LOCATION_LOCALONLY)
    {
      o->location = DECK_CALL_LOCATION_SERVERONLY;
      add_note (notes, "CONSOLE:NONE implies -L SERVERONLY");
    }
  return TRUE;
}

static void
append_probe (GString               *s,
              const char            *key,
              const DeckCreateProbe *probe)
{
  g_autofree char *v = NULL;

  if (probe->state == DECK_CALL_UNSET)
    return;
  if (probe->state == 0)
    {
      append_sub1 (s, key, "OFF");
      return;
    }
  v = g_strdup_printf ("%s:%u%%%u", key, probe->count, probe->sleep);
  append_sub (s, v, NULL);
}

char *
deck_create_request_to_string (const DeckCreateRequest *r)
{
  g_autofree char *address = NULL;
  GString *s;

  g_return_val_if_fail (r != NULL, NULL);

  address = deck_address_to_string (r->address);
  s = g_string_new (address);
  switch (r->mode)
    {
    case DECK_CREATE_MODE_NONE: break;
    case DECK_CREATE_MODE_CONNECT: append_sub (s, "CONNECT", NULL); break;
    case DECK_CREATE_MODE_REUSE: append_sub (s, "REUSE", NULL); break;
    case DECK_CREATE_MODE_RECONNECT: append_sub (s, "RECONNECT", NULL); break;
    case DECK_CREATE_MODE_RESUME: append_sub1 (s, "RESUME", r->statefile); break;
    }
  if (r->console != DECK_CONSOLE_DEFAULT)
    append_sub1 (s, "CONSOLE", deck_console_to_string (r->console));
  if (r->callopts[0] != NULL)
    append_sub (s, "C", (const char * const *) r->callopts);
  if (r->xopts[0] != NULL)
    append_sub (s, "X", (const char * const *) r->xopts);
  if (r->bootmode != DECK_BOOTMODE_DEFAULT)
    append_sub1 (s, "BOOTMODE", lookup_name (bootmode_names, G_N_ELEMENTS (bootmode_names),
                                             r->bootmode));
  if (r->instmode != NULL)
    append_sub (s, "INSTMODE", (const char * const *) r->instmode);
  append_probe (s, "PING", &r->ping);
  append_probe (s, "SSHPING", &r->sshping);
  if (r->waitc != DECK_CALL_UNSET)
    g_string_append_printf (s, ",WAITC:%d", r->waitc);
  if (r->waits != DECK_CALL_UNSET)
    g_string_append_printf (s, ",WAITS:%d", r->waits);
  if (r->user != NULL)
    {
      const char *items[] = { r->user, r->credentials, NULL };

      append_sub (s, "USER", items);
    }
  if (r->stackcheck != 0)
    {
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_auto(GStrv) items = NULL;

      for (gsize i = 0; i < G_N_ELEMENTS (stackcheck_names); i++)
        if (r->stackcheck & stackcheck_names[i].value)
          g_strv_builder_add (b, stackcheck_names[i].name);
      items = g_strv_builder_end (b);
      append_sub (s, "STACKCHECK", (const char * const *) items);
    }
  return g_string_free (s, FALSE);
}

/* --- CANCEL ----------------------------------------------------------------------- */

static DeckCancelRequest *
cancel_request_new (void)
{
  DeckCancelRequest *r = g_new0 (DeckCancelRequest, 1);

  r->address = deck_address_new ();
  r->method = DECK_CANCEL_POWEROFF;
  r->delay = DECK_CALL_UNSET;
  r->parts = DECK_CANCEL_SERVER;
  r->timeout = DECK_CALL_UNSET;
  return r;
}

void
deck_cancel_request_free (DeckCancelRequest *r)
{
  if (r == NULL)
    return;
  g_clear_object (&r->address);
  g_free (r->init_level);
  g_free (r->statefile);
  g_free (r->user);
  g_free (r->credentials);
  g_free (r);
}

DeckCancelRequest *
deck_cancel_request_copy (const DeckCancelRequest *r)
{
  DeckCancelRequest *c;

  g_return_val_if_fail (r != NULL, NULL);

  c = g_new0 (DeckCancelRequest, 1);
  *c = *r;
  c->address = address_copy (r->address);
  c->init_level = g_strdup (r->init_level);
  c->statefile = g_strdup (r->statefile);
  c->user = g_strdup (r->user);
  c->credentials = g_strdup (r->credentials);
  return c;
}

static const char cancel_keys[] =
  "a machine address part (l:, f:, i:, p:, u:, m:, t:, dr:, b:) or ALL, FORCE, STACK, SELF, "
  "RESET, REBOOT, INIT:<level>, S3, SUSPEND, S4, POWEROFF[:<s>], S5[:<s>], CLIENT, SERVER, BOTH, "
  "TIMEOUT:<s> or USER:<user>";

static const char cancel_methods[] =
  "RESET, REBOOT, INIT:<level>, S3, SUSPEND[:<file>], S4, POWEROFF[:<s>] or S5[:<s>]";

typedef struct {
  const char *method_key;   /* as written, for messages */
  const char *parts_key;
  const char *stack_key;    /* FORCE or STACK */
} CancelSeen;

static gboolean
take_method (DeckCancelRequest   *r,
             const DeckSuboption *opt,
             CancelSeen          *seen,
             DeckCancelMethod     method,
             GError             **error)
{
  g_autofree char *s = sub_shown (opt);

  if (seen->method_key != NULL)
    return sub_error (error, "CANCEL", "the methods exclude each other (“%s” and “%s”); give one "
                      "of %s", seen->method_key, s, cancel_methods);
  seen->method_key = opt->raw_key;
  r->method = method;
  r->method_given = TRUE;

  switch (method)
    {
    case DECK_CANCEL_POWEROFF:
      if (has_value (opt) && !parse_count (opt->value, &r->delay))
        return sub_error (error, "CANCEL", "“%s”: the delay of %s is a number of seconds "
                          "(e.g. POWEROFF:0)", s, opt->key);
      return TRUE;
    case DECK_CANCEL_INIT:
      if (!has_value (opt))
        return sub_error (error, "CANCEL", "“%s” needs a run level (INIT:0 ... INIT:6 or INIT:S)",
                          s);
      if (strlen (opt->value) != 1 || strchr ("0123456sS", opt->value[0]) == NULL)
        return sub_error (error, "CANCEL", "“%s”: unknown run level; expected INIT:0 ... INIT:6 "
                          "or INIT:S", s);
      r->init_level = g_ascii_strup (opt->value, -1);
      return TRUE;
    case DECK_CANCEL_SUSPEND:
      if (!one_item ("CANCEL", opt, "SUSPEND:<state file>", error))
        return FALSE;
      set_str (&r->statefile, has_value (opt) ? opt->value : NULL);
      return TRUE;
    case DECK_CANCEL_RESET:
    case DECK_CANCEL_REBOOT:
    case DECK_CANCEL_PAUSE:
      return no_value ("CANCEL", opt, error);
    }
  g_assert_not_reached ();
}

static gboolean
take_cancel (DeckCancelRequest   *r,
             const DeckSuboption *opt,
             CancelSeen          *seen,
             GError             **error)
{
  const char *key = opt->key;
  g_autofree char *s = sub_shown (opt);

  if (strcmp (key, "FORCE") == 0 || strcmp (key, "STACK") == 0)
    {
      if (seen->stack_key != NULL)
        return sub_error (error, "CANCEL", "FORCE and STACK exclude each other (“%s” and “%s”)",
                          seen->stack_key, opt->raw_key);
      seen->stack_key = opt->raw_key;
      r->force = key[0] == 'F';
      return no_value ("CANCEL", opt, error);
    }
  if (strcmp (key, "SELF") == 0)
    {
      r->self = TRUE;
      return no_value ("CANCEL", opt, error);
    }
  if (strcmp (key, "CLIENT") == 0 || strcmp (key, "SERVER") == 0 || strcmp (key, "BOTH") == 0)
    {
      if (seen->parts_key != NULL)
        return sub_error (error, "CANCEL", "CLIENT, SERVER and BOTH exclude each other (“%s” and "
                          "“%s”)", seen->parts_key, opt->raw_key);
      seen->parts_key = opt->raw_key;
      r->parts = key[0] == 'C' ? DECK_CANCEL_CLIENT : key[0] == 'S' ? DECK_CANCEL_SERVER
                                                                  : DECK_CANCEL_BOTH;
      r->parts_given = TRUE;
      return no_value ("CANCEL", opt, error);
    }
  if (strcmp (key, "POWEROFF") == 0 || strcmp (key, "S5") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_POWEROFF, error);
  if (strcmp (key, "RESET") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_RESET, error);
  if (strcmp (key, "REBOOT") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_REBOOT, error);
  if (strcmp (key, "INIT") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_INIT, error);
  if (strcmp (key, "S3") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_PAUSE, error);
  if (strcmp (key, "SUSPEND") == 0 || strcmp (key, "S4") == 0)
    return take_method (r, opt, seen, DECK_CANCEL_SUSPEND, error);
  if (strcmp (key, "PAUSE") == 0)
    return sub_error (error, "CANCEL", "“%s” is not available (as in ctys, PAUSE is refused); "
                      "write S3 to pause the machine", s);
  if (strcmp (key, "TIMEOUT") == 0)
    return take_seconds ("CANCEL", opt, &r->timeout, error);
  if (strcmp (key, "USER") == 0)
    return take_user ("CANCEL", opt, &r->user, &r->credentials, error);

  return sub_error (error, "CANCEL", "unknown suboption “%s”; expected %s", s, cancel_keys);
}

DeckCancelRequest *
deck_cancel_request_parse (const char  *text,
                           GError     **error)
{
  g_autoptr(DeckCancelRequest) r = NULL;
  g_autoptr(GPtrArray) opts = NULL;
  CancelSeen seen = { NULL, };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  opts = deck_suboptions_parse (text != NULL ? text : "", error);
  if (opts == NULL)
    {
      g_prefix_error (error, "CANCEL: ");
      return NULL;
    }

  r = cancel_request_new ();
  for (guint i = 0; i < opts->len; i++)
    {
      const DeckSuboption *opt = opts->pdata[i];

      gboolean failed;

      if (take_address (r->address, "CANCEL", opt, &failed, error))
        continue;
      if (failed || !take_cancel (r, opt, &seen, error))
        return NULL;
    }

  if (r->parts == DECK_CANCEL_CLIENT && r->method_given
      && (r->method == DECK_CANCEL_POWEROFF || r->method == DECK_CANCEL_SUSPEND
          || r->method == DECK_CANCEL_RESET))
    {
      sub_error (error, "CANCEL", "CLIENT cannot be combined with “%s” (CLIENT only stops the "
                 "consoles; SUSPEND, RESET and POWEROFF act on the server)", seen.method_key);
      return NULL;
    }

  if (deck_address_get_all (r->address))
    {
      for (guint part = 0; part < DECK_ADDRESS_N_PARTS; part++)
        if (part != DECK_ADDRESS_PART_BASE && deck_address_get_values (r->address, part)[0] != NULL)
          {
            g_autofree char *a = deck_address_to_string (r->address);
            g_autofree char *sa = shown (a);

            sub_error (error, "CANCEL", "ALL cannot be combined with a machine address (“%s”); "
                       "give either ALL or the address", sa);
            return NULL;
          }
    }
  else if (!deck_address_has_target (r->address))
    {
      sub_error (error, "CANCEL", "missing machine address: give l:<label>, f:<part of the "
                 "path>, i:<absolute path>, u:<uuid>, m:<mac>, t:<ip>, dr:<record> or ALL "
                 "(b:<base> alone only limits the search)");
      return NULL;
    }
  return g_steal_pointer (&r);
}

char *
deck_cancel_request_to_string (const DeckCancelRequest *r)
{
  g_autofree char *address = NULL;
  GString *s;

  g_return_val_if_fail (r != NULL, NULL);

  address = deck_address_to_string (r->address);
  s = g_string_new (address);
  /* The default POWEROFF is shown, except with CLIENT where it would be refused. */
  switch (r->method_given || r->parts != DECK_CANCEL_CLIENT ? (int) r->method : -1)
    {
    case -1:
      break;
    case DECK_CANCEL_POWEROFF:
      if (r->delay != DECK_CALL_UNSET)
        g_string_append_printf (s, ",POWEROFF:%d", r->delay);
      else
        append_sub (s, "POWEROFF", NULL);
      break;
    case DECK_CANCEL_RESET: append_sub (s, "RESET", NULL); break;
    case DECK_CANCEL_REBOOT: append_sub (s, "REBOOT", NULL); break;
    case DECK_CANCEL_INIT: append_sub1 (s, "INIT", r->init_level); break;
    case DECK_CANCEL_PAUSE: append_sub (s, "S3", NULL); break;
    case DECK_CANCEL_SUSPEND: append_sub1 (s, "SUSPEND", r->statefile); break;
    }
  append_sub (s, r->force ? "FORCE" : "STACK", NULL);
  if (r->self)
    append_sub (s, "SELF", NULL);
  append_sub (s, r->parts == DECK_CANCEL_CLIENT ? "CLIENT"
                 : r->parts == DECK_CANCEL_BOTH ? "BOTH" : "SERVER", NULL);
  if (r->timeout != DECK_CALL_UNSET)
    g_string_append_printf (s, ",TIMEOUT:%d", r->timeout);
  if (r->user != NULL)
    {
      const char *items[] = { r->user, r->credentials, NULL };

      append_sub (s, "USER", items);
    }
  return g_string_free (s, FALSE);
}

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
    return usage (error, "-C ONLY works with LIST, ENUMERATE, SHOW and INFO only, not with %s",
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
  g_autofree char *host = shown (target->host);

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
  if (!parse_words (global, args, &pos, TRUE, macros, error))
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
