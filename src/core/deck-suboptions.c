/* deck-suboptions.c: the ctys suboption syntax (spec §2.1, §2.2)
 *
 * The text is read once, left to right. Each suboption is collected as a list of
 * ':'-separated fields, each field as a list of '%'-separated items, with the escapes
 * already applied. The key is field 0; the value is field 1 (further fields are dropped),
 * unless fields 1.. spell one or more MAC addresses, which are kept whole.
 *
 * Escapes: ",," and "\," -> ','; "::" and "\:" -> ':'; "%%" and "\%" -> '%'; "\\" -> '\'.
 * A backslash before any other character is kept literally; a backslash at the very end
 * is an error. Invalid UTF-8 and control characters are refused before parsing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-suboptions.h"

#include <string.h>

#include "deck-error.h"

void
deck_suboption_free (DeckSuboption *opt)
{
  if (opt == NULL)
    return;

  g_free (opt->key);
  g_free (opt->raw_key);
  g_free (opt->value);
  g_strfreev (opt->items);
  g_free (opt);
}

/* Parser state for one suboption. */
typedef struct
{
  GPtrArray *fields;   /* of GPtrArray (of char *) */
  GPtrArray *items;    /* items of the field being read */
  GString   *item;     /* the item being read */
  gboolean   item_sep; /* the current field has seen a single '%' */
  gsize      start;    /* byte offset of the suboption in the text */
  gboolean   any;      /* at least one character belongs to this suboption */
} Builder;

static void
builder_reset (Builder *b,
               gsize    start)
{
  g_clear_pointer (&b->fields, g_ptr_array_unref);
  g_clear_pointer (&b->items, g_ptr_array_unref);
  if (b->item != NULL)
    g_string_free (b->item, TRUE);

  b->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  b->items = g_ptr_array_new_with_free_func (g_free);
  b->item = g_string_new (NULL);
  b->item_sep = FALSE;
  b->start = start;
  b->any = FALSE;
}

static void
builder_clear (Builder *b)
{
  g_clear_pointer (&b->fields, g_ptr_array_unref);
  g_clear_pointer (&b->items, g_ptr_array_unref);
  if (b->item != NULL)
    g_string_free (b->item, TRUE);
  b->item = NULL;
}

static void
builder_end_item (Builder *b)
{
  g_ptr_array_add (b->items, g_string_free (b->item, FALSE));
  b->item = g_string_new (NULL);
}

static void
builder_end_field (Builder *b)
{
  builder_end_item (b);
  /* As g_strsplit(): an empty field without any '%' has no items at all. */
  if (!b->item_sep && b->items->len == 1 && *(char *) b->items->pdata[0] == '\0')
    g_ptr_array_set_size (b->items, 0);
  g_ptr_array_add (b->fields, b->items);
  b->items = g_ptr_array_new_with_free_func (g_free);
  b->item_sep = FALSE;
}

/* Joins the items of @field with single spaces (a single '%' becomes a space). */
static char *
join_items (GPtrArray *field)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < field->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, field->pdata[i]);
    }
  return g_string_free (s, FALSE);
}

static char **
items_to_strv (GPtrArray *field)
{
  char **v = g_new0 (char *, field->len + 1);

  for (guint i = 0; i < field->len; i++)
    v[i] = g_strdup (field->pdata[i]);
  return v;
}

static gboolean
is_hex_pair (const char *s)
{
  return s[0] != '\0' && g_ascii_isxdigit (s[0]) &&
         s[1] != '\0' && g_ascii_isxdigit (s[1]) &&
         s[2] == '\0';
}

/* If fields 1.. of @fields spell one or more '%'-separated MAC addresses, returns the
 * index of the last field that belongs to them, else 0. A MAC list of n addresses spans
 * 5n+1 fields; at positions 6, 11, ... a field is either the end ("40") or the joint of
 * two addresses ("40%00"). */
static guint
find_mac_end (GPtrArray *fields)
{
  for (guint idx = 1; idx < fields->len; idx++)
    {
      GPtrArray *f = fields->pdata[idx];
      gboolean joint = (idx % 5 == 1 && idx > 1);

      if (f->len == 1 && is_hex_pair (f->pdata[0]))
        {
          if (joint)
            return idx;
          continue;
        }
      if (joint && f->len == 2 && is_hex_pair (f->pdata[0]) && is_hex_pair (f->pdata[1]))
        continue;
      return 0;
    }
  return 0;
}

/* Rebuilds the MAC items of fields 1..@end. */
static char **
mac_items (GPtrArray *fields,
           guint      end)
{
  GPtrArray *items = g_ptr_array_new ();
  GString *cur = g_string_new (NULL);

  for (guint idx = 1; idx <= end; idx++)
    {
      GPtrArray *f = fields->pdata[idx];

      if (cur->len > 0)
        g_string_append_c (cur, ':');
      g_string_append (cur, f->pdata[0]);
      if (f->len == 2)
        {
          g_ptr_array_add (items, g_string_free (cur, FALSE));
          cur = g_string_new (f->pdata[1]);
        }
    }
  g_ptr_array_add (items, g_string_free (cur, FALSE));
  g_ptr_array_add (items, NULL);
  return (char **) g_ptr_array_free (items, FALSE);
}

/* Turns the collected fields into a DeckSuboption and appends it to @out. */
static gboolean
builder_finish (Builder    *b,
                GPtrArray  *out,
                GError    **error)
{
  g_autoptr(DeckSuboption) opt = NULL;
  g_autofree char *key = NULL;
  GPtrArray *key_field;
  guint mac_end;

  if (!b->any)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "empty suboption at position %" G_GSIZE_FORMAT
                   " (suboptions are separated by a single ','; write ',,' for a literal comma)",
                   b->start + 1);
      return FALSE;
    }

  builder_end_field (b);
  key_field = b->fields->pdata[0];
  key = join_items (key_field);
  if (key[0] == '\0')
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "missing key before ':' at position %" G_GSIZE_FORMAT
                   " (expected key:value)", b->start + 1);
      return FALSE;
    }

  opt = g_new0 (DeckSuboption, 1);
  opt->raw_key = g_steal_pointer (&key);
  opt->key = g_ascii_strup (opt->raw_key, -1);

  if (b->fields->len >= 2)
    {
      mac_end = find_mac_end (b->fields);
      if (mac_end > 0)
        opt->items = mac_items (b->fields, mac_end);
      else
        opt->items = items_to_strv (b->fields->pdata[1]);
      opt->value = g_strjoinv (" ", opt->items);
    }

  g_ptr_array_add (out, g_steal_pointer (&opt));
  return TRUE;
}

static gboolean
check_text (const char  *text,
            GError     **error)
{
  const char *bad = NULL;

  if (!g_utf8_validate (text, -1, &bad))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "suboptions are not valid UTF-8 (bad byte at position %" G_GSIZE_FORMAT ")",
                   (gsize) (bad - text) + 1);
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 || c == 0x7f)
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "suboptions contain a control character (0x%02x) at position %" G_GSIZE_FORMAT,
                       c, (gsize) (p - text) + 1);
          return FALSE;
        }
    }
  return TRUE;
}

GPtrArray *
deck_suboptions_parse (const char  *text,
                       GError     **error)
{
  g_autoptr(GPtrArray) out = NULL;
  Builder b = { 0 };
  gsize len;
  gsize i = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_text (text, error))
    return NULL;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_suboption_free);
  len = strlen (text);
  if (len == 0)
    return g_steal_pointer (&out);

  builder_reset (&b, 0);
  while (i < len)
    {
      char c = text[i];
      char next = (i + 1 < len) ? text[i + 1] : '\0';

      switch (c)
        {
        case '\\':
          if (next == '\0')
            {
              g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                           "dangling '\\' at position %" G_GSIZE_FORMAT
                           " (escape a comma as '\\,' and a colon as '\\:')", i + 1);
              builder_clear (&b);
              return NULL;
            }
          b.any = TRUE;
          if (next == ',' || next == ':' || next == '%' || next == '\\')
            {
              g_string_append_c (b.item, next);
              i += 2;
            }
          else
            {
              g_string_append_c (b.item, c);
              i += 1;
            }
          break;

        case ',':
          if (next == ',')
            {
              b.any = TRUE;
              g_string_append_c (b.item, ',');
              i += 2;
              break;
            }
          /* A leading ',' is dropped too (an empty "%optional" macro at the start). */
          if (i == 0)
            {
              i += 1;
              builder_reset (&b, i);
              break;
            }
          if (!builder_finish (&b, out, error))
            {
              builder_clear (&b);
              return NULL;
            }
          i += 1;
          builder_reset (&b, i);
          /* A trailing ',' is dropped: an "%optional" macro at the end of a list that
           * expands to nothing leaves one behind. */
          if (i == len)
            {
              builder_clear (&b);
              return g_steal_pointer (&out);
            }
          break;

        case ':':
          b.any = TRUE;
          if (next == ':')
            {
              g_string_append_c (b.item, ':');
              i += 2;
              break;
            }
          builder_end_field (&b);
          i += 1;
          break;

        case '%':
          b.any = TRUE;
          if (next == '%')
            {
              g_string_append_c (b.item, '%');
              i += 2;
              break;
            }
          builder_end_item (&b);
          b.item_sep = TRUE;
          i += 1;
          break;

        default:
          b.any = TRUE;
          g_string_append_c (b.item, c);
          i += 1;
          break;
        }
    }

  if ((b.any || b.start < len) && !builder_finish (&b, out, error))
    {
      builder_clear (&b);
      return NULL;
    }
  builder_clear (&b);

  return g_steal_pointer (&out);
}

void
deck_suboptions_split_action (const char  *spec,
                              char       **action,
                              char       **rest)
{
  const char *eq;

  if (action != NULL)
    *action = NULL;
  if (rest != NULL)
    *rest = NULL;

  g_return_if_fail (spec != NULL);

  eq = strchr (spec, '=');
  if (action != NULL)
    *action = g_ascii_strup (spec, eq != NULL ? eq - spec : -1);
  if (rest != NULL && eq != NULL)
    *rest = g_strdup (eq + 1);
}

gboolean
deck_suboptions_is_mac (const char *s)
{
  g_return_val_if_fail (s != NULL, FALSE);

  for (guint i = 0; i < 6; i++)
    {
      const char *p = s + i * 3;

      if (!g_ascii_isxdigit (p[0]) || !g_ascii_isxdigit (p[1]))
        return FALSE;
      if (p[2] != (i < 5 ? ':' : '\0'))
        return FALSE;
    }
  return TRUE;
}
