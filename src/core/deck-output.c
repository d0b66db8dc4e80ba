/* deck-output.c: output selection and rendering shared by ENUMERATE, LIST and ctys-vhost
 *
 * What is printed, in order of precedence:
 *   MACHINE                  all fields, ';'-joined
 *   TAB_GEN|REC_GEN|SPEC_GEN|XML_GEN:<spec>   the columns of the spec
 *   field flags, ALL, MAXKEY, NONE            the selected fields in canonical order
 *   (nothing selected)       the default table, else the default fields, else all fields
 *
 * Formats of the column-spec generators (ours; ctys leaves them unspecified):
 *   REC   one line per record: "<idx>=<value>;" for each column, values unabridged with
 *         '\' ';' and control characters escaped as "\\", "\;", "\n", "\t", "\xHH".
 *   SPEC  one "<title>: <value>" line per column, a blank line between records.
 *   XML   "<records>", then one line per record:
 *         <record><field idx="3" name="Label">value</field>...</record>, then "</records>".
 *         The wrapper is printed even for no rows, so the output is always a document.
 *   Widths and cut flags of the spec do not apply to these three.
 *
 * Titles: TITLE/TITLEIDX/TITLEIDXASC print a ';'-joined line of names for field output.
 * A table always has its header and rule lines (with the "<pos>(<idx>)" line for
 * TITLEIDX/TITLEIDXASC), except with TERSE and no TITLE* flag. NONE selects no field:
 * with nothing else selected, records print nothing.
 *
 * In field output, control characters and ';' inside a value are shown as '?', so a line
 * always has exactly the selected number of fields.
 *
 * IP and DNS are accepted and remembered, but the TCP field is printed as it is: no name
 * service is asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-output.h"

#include <string.h>

#include "deck-error.h"
#include "deck-table.h"

typedef enum {
  TITLE_NONE,
  TITLE_NAMES,
  TITLE_INDEX,
  TITLE_INDEX_ASC,
} TitleMode;

typedef enum {
  FORMAT_FIELDS,
  FORMAT_TAB,
  FORMAT_REC,
  FORMAT_SPEC,
  FORMAT_XML,
} Format;

typedef enum {
  SORT_NONE,
  SORT_ALL,
  SORT_EACH,
} SortMode;

struct _DeckOutputSpec
{
  DeckFieldSpace  space;
  guint           n_fields;

  gboolean        selected[DECK_RECORD_N_FIELDS + 1]; /* 1-based */
  gboolean        selection_made;
  gboolean        machine;
  gboolean        terse;
  gboolean        ip;
  gboolean        dns;
  TitleMode       title;

  Format          format;       /* of @table */
  DeckTableSpec  *table;
  char           *table_key;    /* as the user wrote it, for messages */

  gboolean        has_default_fields;
  gboolean        default_fields[DECK_RECORD_N_FIELDS + 1];
  DeckTableSpec  *default_table;

  SortMode        sort;
  gboolean        unique;
  guint           sort_column;  /* 1-based; 0 = the whole line */
};

DeckOutputSpec *
deck_output_spec_new (DeckFieldSpace space)
{
  DeckOutputSpec *spec;

  g_return_val_if_fail (space == DECK_FIELDS_ENUMERATE || space == DECK_FIELDS_LIST, NULL);

  spec = g_new0 (DeckOutputSpec, 1);
  spec->space = space;
  spec->n_fields = deck_fields_count (space);
  return spec;
}

void
deck_output_spec_free (DeckOutputSpec *spec)
{
  if (spec == NULL)
    return;

  g_clear_pointer (&spec->table, deck_table_spec_free);
  g_clear_pointer (&spec->default_table, deck_table_spec_free);
  g_free (spec->table_key);
  g_free (spec);
}

gboolean
deck_output_spec_uses_default_table (DeckOutputSpec *spec)
{
  return !spec->machine && spec->table == NULL && !spec->selection_made && spec->default_table != NULL;
}

gboolean
deck_output_spec_is_machine (DeckOutputSpec *spec)
{
  g_return_val_if_fail (spec != NULL, FALSE);

  return spec->machine;
}

void
deck_output_spec_set_default_fields (DeckOutputSpec *spec,
                                     const guint    *fields,
                                     guint           n_fields)
{
  g_return_if_fail (spec != NULL);
  g_return_if_fail (fields != NULL || n_fields == 0);

  memset (spec->default_fields, 0, sizeof spec->default_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      g_return_if_fail (fields[i] >= 1 && fields[i] <= spec->n_fields);
      spec->default_fields[fields[i]] = TRUE;
    }
  spec->has_default_fields = TRUE;
}

gboolean
deck_output_spec_set_default_table (DeckOutputSpec  *spec,
                                    const char      *tab_gen_spec,
                                    GError         **error)
{
  DeckTableSpec *table;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (tab_gen_spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* accept a table macro's text as well: "tab_gen:" prefix, "%%" separators (empty
   * columns are skipped by the table parser) */
  if (g_ascii_strncasecmp (tab_gen_spec, "TAB_GEN:", 8) == 0)
    tab_gen_spec += 8;
  else if (g_ascii_strncasecmp (tab_gen_spec, "TAB:", 4) == 0)
    tab_gen_spec += 4;

  table = deck_table_spec_parse (tab_gen_spec, spec->space, error);
  if (table == NULL)
    return FALSE;
  g_clear_pointer (&spec->default_table, deck_table_spec_free);
  spec->default_table = table;
  return TRUE;
}

/* The value of a column-spec suboption with every item separator as one '%': the
 * suboption layer has split "a%b" into items and turned "a%%b" into "a%b"; both mean
 * the same column list. */
static char *
column_spec_text (const DeckSuboption *opt)
{
  if (opt->items != NULL)
    return g_strjoinv ("%", opt->items);
  /* without items, single '%' have become blanks, which titles cannot contain */
  return g_strdelimit (g_strdup (opt->value != NULL ? opt->value : ""), " ", '%');
}

static gboolean
take_table (DeckOutputSpec       *spec,
            const DeckSuboption  *opt,
            Format                format,
            GError              **error)
{
  g_autofree char *text = NULL;
  DeckTableSpec *table;

  if (spec->table != NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "%s: only one of TAB_GEN, REC_GEN, SPEC_GEN and XML_GEN can be given "
                   "(%s came first)", opt->raw_key, spec->table_key);
      return FALSE;
    }

  text = column_spec_text (opt);
  if (opt->value == NULL || *g_strstrip (text) == '\0')
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "%s needs a column list, e.g. %s:3_Label_10%%%%2_stype_8",
                   opt->raw_key, opt->raw_key);
      return FALSE;
    }

  table = deck_table_spec_parse (text, spec->space, error);
  if (table == NULL)
    return FALSE;

  spec->table = table;
  spec->table_key = g_strdup (opt->raw_key);
  spec->format = format;
  return TRUE;
}

static gboolean
take_sort (DeckOutputSpec       *spec,
           const DeckSuboption  *opt,
           GError              **error)
{
  g_auto(GStrv) split = NULL;
  const char * const *items;
  SortMode mode = SORT_ALL;
  gboolean mode_given = FALSE;
  gboolean unique = FALSE;
  guint column = 0;

  if (opt->items != NULL)
    items = (const char * const *) opt->items;
  else
    {
      split = g_strsplit_set (opt->value != NULL ? opt->value : "", " %", -1);
      items = (const char * const *) split;
    }

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];
      guint64 v;

      if (*item == '\0')
        continue;
      if (g_ascii_strcasecmp (item, "ALL") == 0 || g_ascii_strcasecmp (item, "EACH") == 0)
        {
          SortMode m = g_ascii_strcasecmp (item, "ALL") == 0 ? SORT_ALL : SORT_EACH;

          if (mode_given && m != mode)
            {
              g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                           "%s: ALL and EACH exclude each other", opt->raw_key);
              return FALSE;
            }
          mode = m;
          mode_given = TRUE;
        }
      else if (g_ascii_strcasecmp (item, "UNIQUE") == 0)
        unique = TRUE;
      else if (strspn (item, "0123456789") == strlen (item))
        {
          if (!g_ascii_string_to_unsigned (item, 10, 1, 10000, &v, NULL))
            {
              g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                           "%s: column “%s” must be a number from 1", opt->raw_key, item);
              return FALSE;
            }
          if (column != 0)
            {
              g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                           "%s: give one sort column, not %u and %s", opt->raw_key,
                           column, item);
              return FALSE;
            }
          column = (guint) v;
        }
      else
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "%s: unknown sort option “%s”; expected "
                       "SORT[:[ALL|EACH][%%UNIQUE][%%<column>]]", opt->raw_key, item);
          return FALSE;
        }
    }

  spec->sort = mode;
  spec->unique = unique;
  spec->sort_column = column;
  return TRUE;
}

static gboolean
check_flag (const DeckSuboption  *opt,
            GError              **error)
{
  if (opt->value != NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "%s takes no value (found “%s:%s”)", opt->raw_key, opt->raw_key,
                   opt->value);
      return FALSE;
    }
  return TRUE;
}

static const struct {
  const char *key;
  Format      format;
} table_keys[] = {
  { "TAB_GEN", FORMAT_TAB }, { "TAB", FORMAT_TAB },
  { "REC_GEN", FORMAT_REC }, { "REC", FORMAT_REC },
  { "SPEC_GEN", FORMAT_SPEC }, { "SPEC", FORMAT_SPEC },
  { "XML_GEN", FORMAT_XML }, { "XML", FORMAT_XML },
};

gboolean
deck_output_spec_take_suboption (DeckOutputSpec       *spec,
                                 const DeckSuboption  *opt,
                                 GError              **error)
{
  const char *key;
  guint field;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (opt != NULL && opt->key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key = opt->key;

  for (guint i = 0; i < G_N_ELEMENTS (table_keys); i++)
    if (strcmp (key, table_keys[i].key) == 0)
      return take_table (spec, opt, table_keys[i].format, error);

  if (strcmp (key, "SORT") == 0)
    return take_sort (spec, opt, error);

  if (strcmp (key, "TITLE") == 0 || strcmp (key, "TITLEIDX") == 0
      || strcmp (key, "TITLEIDXASC") == 0)
    {
      if (!check_flag (opt, error))
        return FALSE;
      spec->title = strcmp (key, "TITLE") == 0 ? TITLE_NAMES
                    : strcmp (key, "TITLEIDX") == 0 ? TITLE_INDEX : TITLE_INDEX_ASC;
      return TRUE;
    }

  if (strcmp (key, "MACHINE") == 0 || strcmp (key, "MAXKEY") == 0
      || strcmp (key, "TERSE") == 0 || strcmp (key, "ALL") == 0
      || strcmp (key, "NONE") == 0 || strcmp (key, "IP") == 0 || strcmp (key, "DNS") == 0)
    {
      if (!check_flag (opt, error))
        return FALSE;

      if (strcmp (key, "MACHINE") == 0)
        spec->machine = spec->terse = TRUE;
      else if (strcmp (key, "TERSE") == 0)
        spec->terse = TRUE;
      else if (strcmp (key, "IP") == 0)
        {
          spec->ip = TRUE;
          spec->dns = FALSE;
        }
      else if (strcmp (key, "DNS") == 0)
        {
          spec->dns = TRUE;
          spec->ip = FALSE;
        }
      else
        {
          if (strcmp (key, "NONE") == 0)
            memset (spec->selected, 0, sizeof spec->selected);
          else
            {
              guint last = strcmp (key, "MAXKEY") == 0 ? MIN (7u, spec->n_fields)
                                                       : spec->n_fields;

              for (guint i = 1; i <= last; i++)
                spec->selected[i] = TRUE;
            }
          spec->selection_made = TRUE;
        }
      return TRUE;
    }

  /* field flags have no value; "USER:<name>" and the like belong to the caller */
  if (opt->value != NULL)
    return FALSE;
  field = deck_fields_lookup (spec->space, key);
  if (field == 0)
    return FALSE;
  spec->selected[field] = TRUE;
  spec->selection_made = TRUE;
  return TRUE;
}

DeckOutputSpec *
deck_output_spec_parse (DeckFieldSpace   space,
                        const char      *text,
                        GError         **error)
{
  g_autoptr(DeckOutputSpec) spec = NULL;
  g_autoptr(GPtrArray) opts = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  opts = deck_suboptions_parse (text, error);
  if (opts == NULL)
    return NULL;

  spec = deck_output_spec_new (space);
  for (guint i = 0; i < opts->len; i++)
    {
      const DeckSuboption *opt = g_ptr_array_index (opts, i);
      g_autoptr(GError) local_error = NULL;

      if (!deck_output_spec_take_suboption (spec, opt, &local_error))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                         "unknown output selection “%s”; use field keys, MACHINE, "
                         "TAB_GEN:<columns>, TITLE, TITLEIDX, TITLEIDXASC or SORT",
                         opt->raw_key);
          return NULL;
        }
    }
  return g_steal_pointer (&spec);
}

/* ---- rendering ---------------------------------------------------------------------- */

/* One rendered record: one or more lines, each ending in '\n'. */
typedef struct {
  char  *text;
  char  *key;   /* sort column text, NULL when sorting by the whole line */
  guint  run;   /* index of the run of equal field 1 (SORT:EACH) */
} Rendered;

static void
rendered_clear (gpointer data)
{
  Rendered *r = data;

  g_free (r->text);
  g_free (r->key);
}

static const char *
field_value (const char * const *row,
             guint               field)
{
  const char *v = row[field - 1];

  return v != NULL ? v : "";
}

/* @value valid UTF-8, control characters (and ';' if @semicolon) shown as '?'. */
static char *
sanitize (const char *value,
          gboolean    semicolon)
{
  char *s = g_utf8_make_valid (value, -1);

  for (char *p = s; *p; p++)
    if ((guchar) *p < 0x20 || (guchar) *p == 0x7f || (semicolon && *p == ';'))
      *p = '?';
  return s;
}

static void
append_rec_value (GString    *out,
                  const char *value)
{
  g_autofree char *s = g_utf8_make_valid (value, -1);

  for (const char *p = s; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '\\' || c == ';')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, c);
    }
}

static void
append_xml_text (GString    *out,
                 const char *value)
{
  /* XML 1.0 cannot carry most control characters, not even as references */
  g_autofree char *s = sanitize (value, FALSE);
  g_autofree char *escaped = g_markup_escape_text (s, -1);

  g_string_append (out, escaped);
}

typedef struct {
  Format          format;
  DeckTableSpec  *table;      /* FORMAT_TAB..XML */
  const gboolean *fields;     /* FORMAT_FIELDS, 1-based */
  gboolean        all[DECK_RECORD_N_FIELDS + 1];
} Layout;

static void
resolve_layout (DeckOutputSpec *spec,
                Layout         *layout)
{
  const gboolean *all = layout->all;

  for (guint i = 1; i <= DECK_RECORD_N_FIELDS; i++)
    layout->all[i] = TRUE;

  layout->table = NULL;
  layout->format = FORMAT_FIELDS;
  if (spec->machine)
    layout->fields = all;
  else if (spec->table != NULL)
    {
      layout->format = spec->format;
      layout->table = spec->table;
    }
  else if (spec->selection_made)
    layout->fields = spec->selected;
  else if (spec->default_table != NULL)
    {
      layout->format = FORMAT_TAB;
      layout->table = spec->default_table;
    }
  else if (spec->has_default_fields)
    layout->fields = spec->default_fields;
  else
    layout->fields = all;
}

static void
render_record (DeckOutputSpec     *spec,
               const Layout       *layout,
               const char * const *row,
               GString            *out)
{
  guint n_cols = layout->table ? deck_table_spec_get_n_columns (layout->table) : 0;

  switch (layout->format)
    {
    case FORMAT_TAB:
      deck_table_render_row (layout->table, row, out);
      break;

    case FORMAT_REC:
      for (guint i = 0; i < n_cols; i++)
        {
          const DeckTableColumn *col = deck_table_spec_get_column (layout->table, i);

          g_string_append_printf (out, "%u=", col->index);
          append_rec_value (out, field_value (row, col->index));
          g_string_append_c (out, ';');
        }
      g_string_append_c (out, '\n');
      break;

    case FORMAT_SPEC:
      for (guint i = 0; i < n_cols; i++)
        {
          const DeckTableColumn *col = deck_table_spec_get_column (layout->table, i);
          g_autofree char *title = sanitize (col->title, FALSE);
          g_autofree char *value = sanitize (field_value (row, col->index), FALSE);

          g_string_append_printf (out, "%s: %s\n", title, value);
        }
      break;

    case FORMAT_XML:
      g_string_append (out, "<record>");
      for (guint i = 0; i < n_cols; i++)
        {
          const DeckTableColumn *col = deck_table_spec_get_column (layout->table, i);

          g_string_append_printf (out, "<field idx=\"%u\" name=\"", col->index);
          append_xml_text (out, col->title);
          g_string_append (out, "\">");
          append_xml_text (out, field_value (row, col->index));
          g_string_append (out, "</field>");
        }
      g_string_append (out, "</record>\n");
      break;

    case FORMAT_FIELDS:
    default:
      {
        gboolean first = TRUE;

        for (guint f = 1; f <= spec->n_fields; f++)
          {
            g_autofree char *value = NULL;

            if (!layout->fields[f])
              continue;
            if (!first)
              g_string_append_c (out, ';');
            first = FALSE;
            value = sanitize (field_value (row, f), TRUE);
            g_string_append (out, value);
          }
        if (!first)
          g_string_append_c (out, '\n');
      }
      break;
    }
}

/* The sort key: rendered column @column (1-based) of @row. */
static char *
sort_key (DeckOutputSpec     *spec,
          const Layout       *layout,
          const char * const *row,
          guint               column)
{
  if (layout->table != NULL)
    {
      const DeckTableColumn *col;

      if (column > deck_table_spec_get_n_columns (layout->table))
        return g_strdup ("");
      if (layout->format == FORMAT_TAB)
        return deck_table_cell_text (layout->table, column - 1, row);
      col = deck_table_spec_get_column (layout->table, column - 1);
      return sanitize (field_value (row, col->index), FALSE);
    }

  for (guint f = 1, n = 0; f <= spec->n_fields; f++)
    if (layout->fields[f] && ++n == column)
      return sanitize (field_value (row, f), TRUE);
  return g_strdup ("");
}

static int
compare_rendered (gconstpointer a,
                  gconstpointer b)
{
  const Rendered *ra = a;
  const Rendered *rb = b;
  int c;

  if (ra->run != rb->run)
    return ra->run < rb->run ? -1 : 1;
  if (ra->key != NULL && rb->key != NULL)
    {
      c = strcmp (ra->key, rb->key);
      if (c != 0)
        return c;
    }
  /* strcmp() compares bytes as unsigned char: the C locale's order */
  return strcmp (ra->text, rb->text);
}

static void
render_titles (DeckOutputSpec *spec,
               const Layout   *layout,
               GString        *out)
{
  gboolean first = TRUE;

  if (layout->format == FORMAT_TAB)
    {
      if (spec->title != TITLE_NONE || !spec->terse)
        deck_table_render_header (layout->table,
                                  spec->title == TITLE_INDEX
                                  || spec->title == TITLE_INDEX_ASC,
                                  out);
      return;
    }
  if (layout->format != FORMAT_FIELDS || spec->title == TITLE_NONE)
    return;

  for (guint f = 1; f <= spec->n_fields; f++)
    {
      if (!layout->fields[f])
        continue;
      if (!first)
        g_string_append_c (out, ';');
      first = FALSE;
      g_string_append (out, deck_fields_title (spec->space, f));
      if (spec->title != TITLE_NAMES)
        {
          g_autofree char *idx = deck_fields_title_index (f, spec->title == TITLE_INDEX_ASC);

          g_string_append (out, idx);
        }
    }
  if (!first)
    g_string_append_c (out, '\n');
}

char *
deck_output_render (DeckOutputSpec *spec,
                    GPtrArray      *rows)
{
  g_autoptr(GArray) records = NULL;
  g_autoptr(GString) out = NULL;
  const char *prev_host = NULL;
  Layout layout;
  guint run = 0;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (rows != NULL, NULL);

  resolve_layout (spec, &layout);

  records = g_array_sized_new (FALSE, TRUE, sizeof (Rendered), rows->len);
  g_array_set_clear_func (records, rendered_clear);
  for (guint i = 0; i < rows->len; i++)
    {
      const char * const *row = g_ptr_array_index (rows, i);
      g_autoptr(GString) text = g_string_new (NULL);
      Rendered r = { NULL, };

      g_return_val_if_fail (row != NULL, NULL);

      render_record (spec, &layout, row, text);
      if (text->len == 0)
        continue;

      if (spec->sort == SORT_EACH)
        {
          const char *host = field_value (row, 1);

          if (prev_host != NULL && strcmp (prev_host, host) != 0)
            run++;
          prev_host = host;
          r.run = run;
        }
      if (spec->sort != SORT_NONE && spec->sort_column > 0)
        r.key = sort_key (spec, &layout, row, spec->sort_column);
      r.text = g_string_free (g_steal_pointer (&text), FALSE);
      g_array_append_val (records, r);
    }

  if (spec->sort != SORT_NONE)
    g_array_sort (records, compare_rendered);

  out = g_string_new (NULL);
  if (layout.format == FORMAT_XML)
    g_string_append (out, "<records>\n");
  render_titles (spec, &layout, out);
  for (guint i = 0; i < records->len; i++)
    {
      const Rendered *r = &g_array_index (records, Rendered, i);

      if (spec->unique && i > 0)
        {
          const Rendered *p = &g_array_index (records, Rendered, i - 1);

          if (p->run == r->run && strcmp (p->text, r->text) == 0)
            continue;
        }
      if (layout.format == FORMAT_SPEC && out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, r->text);
    }
  if (layout.format == FORMAT_XML)
    g_string_append (out, "</records>\n");

  return g_string_free (g_steal_pointer (&out), FALSE);
}
