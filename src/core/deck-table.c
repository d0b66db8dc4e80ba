/* deck-table.c: TAB_GEN column specs and fixed-width table rendering
 *
 * Widths count characters (Unicode code points), as awk's printf does in a UTF-8 locale.
 * Cell values come from inventories and remote hosts, so they are treated as hostile:
 * invalid UTF-8 is repaired and control characters (newlines, tabs, escapes) are shown
 * as '?', so that every rendered line has exactly the widths of the spec.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-table.h"

#include <string.h>

#include "deck-error.h"

/* Guards against specs that would allocate absurd lines ("3_label_999999999"). */
#define MAX_WIDTH 4096
#define DEFAULT_WIDTH 10

struct _DeckTableSpec
{
  DeckFieldSpace   space;
  guint            n_columns;
  DeckTableColumn *columns;
};

void
deck_table_spec_free (DeckTableSpec *spec)
{
  if (spec == NULL)
    return;

  for (guint i = 0; i < spec->n_columns; i++)
    g_free (spec->columns[i].title);
  g_free (spec->columns);
  g_free (spec);
}

guint
deck_table_spec_get_n_columns (DeckTableSpec *spec)
{
  g_return_val_if_fail (spec != NULL, 0);

  return spec->n_columns;
}

const DeckTableColumn *
deck_table_spec_get_column (DeckTableSpec *spec,
                            guint          i)
{
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (i < spec->n_columns, NULL);

  return &spec->columns[i];
}

static gboolean
is_digits (const char *s)
{
  return *s != '\0' && strspn (s, "0123456789") == strlen (s);
}

/* Fills @col from one "<idx>_<title>_<width>[_L|_B]" item. Missing trailing parts take
 * their defaults ("3" and "3_label" are accepted, as the empty width is). */
static gboolean
parse_column (const char       *text,
              guint             pos,
              DeckFieldSpace    space,
              DeckTableColumn  *col,
              GError          **error)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);
  guint n_parts = g_strv_length (parts);
  guint n_fields = deck_fields_count (space);
  guint64 v;

  g_assert (n_parts >= 1);

  if (n_parts > 4)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "table column %u (“%s”) has too many parts; expected "
                   "<index>_<title>_<width>[_L|_B] (titles cannot contain ‘_’)",
                   pos, text);
      return FALSE;
    }

  if (!is_digits (parts[0])
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, n_fields, &v, NULL))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "table column %u (“%s”): field index “%s” is not a number from 1 to %u",
                   pos, text, parts[0], n_fields);
      return FALSE;
    }
  col->index = (guint) v;

  col->width = DEFAULT_WIDTH;
  if (n_parts >= 3 && parts[2][0] != '\0')
    {
      if (!is_digits (parts[2])
          || !g_ascii_string_to_unsigned (parts[2], 10, 0, MAX_WIDTH, &v, NULL))
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "table column %u (“%s”): width “%s” is not a number from 0 to %d",
                       pos, text, parts[2], MAX_WIDTH);
          return FALSE;
        }
      if (v > 0)
        col->width = (guint) v;
    }

  col->cut = DECK_TABLE_CUT_RIGHT;
  if (n_parts == 4 && parts[3][0] != '\0')
    {
      if (g_ascii_strcasecmp (parts[3], "L") == 0)
        col->cut = DECK_TABLE_KEEP_RIGHT;
      else if (g_ascii_strcasecmp (parts[3], "B") == 0)
        col->cut = DECK_TABLE_BREAK;
      else
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "table column %u (“%s”): unknown cut flag “%s”; use L (keep the "
                       "right end) or B (break onto more lines)",
                       pos, text, parts[3]);
          return FALSE;
        }
    }

  if (n_parts >= 2 && parts[1][0] != '\0')
    col->title = g_strdup (parts[1]);
  else
    col->title = g_strdup_printf ("%u", col->index);

  return TRUE;
}

DeckTableSpec *
deck_table_spec_parse (const char      *spec,
                       DeckFieldSpace   space,
                       GError         **error)
{
  g_auto(GStrv) items = NULL;
  g_autoptr(GArray) columns = NULL;
  DeckTableSpec *self;
  guint pos = 0;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  columns = g_array_new (FALSE, TRUE, sizeof (DeckTableColumn));
  items = g_strsplit (spec, "%", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      DeckTableColumn col = { 0, };
      char *item = g_strstrip (items[i]);

      /* empty items come from optional macros that expanded to nothing and from a
       * trailing separator; they are not columns */
      if (*item == '\0')
        continue;
      pos++;
      if (!parse_column (item, pos, space, &col, error))
        {
          for (guint j = 0; j < columns->len; j++)
            g_free (g_array_index (columns, DeckTableColumn, j).title);
          return NULL;
        }
      g_array_append_val (columns, col);
    }

  if (columns->len == 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "table spec “%s” has no columns; expected "
                   "<index>_<title>_<width>[_L|_B]{%%<column>}", spec);
      return NULL;
    }

  self = g_new0 (DeckTableSpec, 1);
  self->space = space;
  self->n_columns = columns->len;
  self->columns = (DeckTableColumn *) (void *) g_array_free (g_steal_pointer (&columns), FALSE);
  return self;
}

/* A copy of @value that is valid UTF-8 and has no control characters. */
static char *
sanitize (const char *value)
{
  char *s;

  if (value == NULL)
    return g_strdup ("");

  s = g_utf8_make_valid (value, -1);
  for (char *p = s; *p; p++)
    if ((guchar) *p < 0x20 || (guchar) *p == 0x7f)
      *p = '?';
  return s;
}

/* Appends @s (at most @width characters) padded with blanks to @width characters. */
static void
append_padded (GString    *out,
               const char *s,
               gsize       s_len,
               guint       width)
{
  g_string_append (out, s);
  for (gsize i = s_len; i < width; i++)
    g_string_append_c (out, ' ');
}

/* Appends the part of @s starting at character @start, at most @count characters. */
static void
append_chars (GString    *out,
              const char *s,
              gsize       start,
              gsize       count,
              guint       width)
{
  const char *b = g_utf8_offset_to_pointer (s, (glong) start);
  const char *e = b;
  gsize n = 0;

  while (*e && n < count)
    {
      e = g_utf8_next_char (e);
      n++;
    }
  g_string_append_len (out, b, e - b);
  for (; n < width; n++)
    g_string_append_c (out, ' ');
}

/* Appends line @line (0-based) of one cell: the cut text on the first line, the next
 * slice of a broken (_B) cell on continuation lines, blanks otherwise. */
static void
append_cell_line (GString               *out,
                  const DeckTableColumn *col,
                  const char            *s,
                  gsize                  n_chars,
                  guint                  line)
{
  switch (col->cut)
    {
    case DECK_TABLE_BREAK:
      if ((gsize) line * col->width < n_chars)
        append_chars (out, s, (gsize) line * col->width, col->width, col->width);
      else
        append_padded (out, "", 0, col->width);
      break;

    case DECK_TABLE_KEEP_RIGHT:
      if (line > 0)
        append_padded (out, "", 0, col->width);
      else if (n_chars > col->width)
        append_chars (out, s, n_chars - col->width, col->width, col->width);
      else
        append_padded (out, s, n_chars, col->width);
      break;

    case DECK_TABLE_CUT_RIGHT:
    default:
      if (line > 0)
        append_padded (out, "", 0, col->width);
      else
        append_chars (out, s, 0, col->width, col->width);
      break;
    }
}

void
deck_table_render_header (DeckTableSpec *spec,
                          gboolean       title_index,
                          GString       *out)
{
  g_return_if_fail (spec != NULL);
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < spec->n_columns; i++)
    {
      const DeckTableColumn *col = &spec->columns[i];
      g_autofree char *title = sanitize (col->title);

      if (i > 0)
        g_string_append_c (out, '|');
      append_chars (out, title, 0, col->width, col->width);
    }
  g_string_append_c (out, '\n');

  if (title_index)
    {
      for (guint i = 0; i < spec->n_columns; i++)
        {
          const DeckTableColumn *col = &spec->columns[i];
          g_autofree char *idx = g_strdup_printf ("%u(%u)", i + 1, col->index);

          if (i > 0)
            g_string_append_c (out, '|');
          append_chars (out, idx, 0, col->width, col->width);
        }
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; i < spec->n_columns; i++)
    {
      if (i > 0)
        g_string_append_c (out, '+');
      for (guint w = 0; w < spec->columns[i].width; w++)
        g_string_append_c (out, '-');
    }
  g_string_append_c (out, '\n');
}

void
deck_table_render_row (DeckTableSpec      *spec,
                       const char * const *row,
                       GString            *out)
{
  g_autofree char **cells = NULL;
  g_autofree gsize *lengths = NULL;
  guint n_lines = 1;

  g_return_if_fail (spec != NULL);
  g_return_if_fail (row != NULL);
  g_return_if_fail (out != NULL);

  cells = g_new0 (char *, spec->n_columns);
  lengths = g_new0 (gsize, spec->n_columns);
  for (guint i = 0; i < spec->n_columns; i++)
    {
      const DeckTableColumn *col = &spec->columns[i];

      cells[i] = sanitize (row[col->index - 1]);
      lengths[i] = g_utf8_strlen (cells[i], -1);
      if (col->cut == DECK_TABLE_BREAK && lengths[i] > col->width)
        n_lines = MAX (n_lines, (guint) ((lengths[i] + col->width - 1) / col->width));
    }

  for (guint line = 0; line < n_lines; line++)
    {
      for (guint i = 0; i < spec->n_columns; i++)
        {
          if (i > 0)
            g_string_append_c (out, '|');
          append_cell_line (out, &spec->columns[i], cells[i], lengths[i], line);
        }
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; i < spec->n_columns; i++)
    g_free (cells[i]);
}

char *
deck_table_cell_text (DeckTableSpec      *spec,
                      guint               col,
                      const char * const *row)
{
  g_autofree char *s = NULL;
  GString *out;
  const DeckTableColumn *c;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (col < spec->n_columns, NULL);
  g_return_val_if_fail (row != NULL, NULL);

  c = &spec->columns[col];
  s = sanitize (row[c->index - 1]);
  out = g_string_new (NULL);
  /* width 0 as the padding target: no blanks are added */
  if (c->cut == DECK_TABLE_KEEP_RIGHT)
    {
      gsize n = g_utf8_strlen (s, -1);

      append_chars (out, s, n > c->width ? n - c->width : 0, c->width, 0);
    }
  else
    append_chars (out, s, 0, c->width, 0);
  return g_string_free (out, FALSE);
}
