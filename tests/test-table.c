/* test-table.c: TAB_GEN column specs and table rendering
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "deck-error.h"
#include "deck-table.h"

/* A LIST-space row (22 fields) from a NULL-terminated list of (index, value) pairs. */
static const char **
make_row (guint first_index,
          ...)
{
  static const char *row[DECK_RECORD_N_FIELDS];
  va_list ap;

  memset (row, 0, sizeof row);
  va_start (ap, first_index);
  for (guint idx = first_index; idx != 0; idx = va_arg (ap, guint))
    row[idx - 1] = va_arg (ap, const char *);
  va_end (ap);
  return row;
}

static char *
render (const char         *spec_text,
        DeckFieldSpace      space,
        gboolean            header,
        gboolean            title_index,
        const char * const *row)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckTableSpec) spec = deck_table_spec_parse (spec_text, space, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (spec);
  if (header)
    deck_table_render_header (spec, title_index, out);
  if (row != NULL)
    deck_table_render_row (spec, row, out);
  return g_string_free (out, FALSE);
}

/* ---- parsing --------------------------------------------------------------------------- */

typedef struct {
  const char   *spec;
  guint         n;
  struct {
    guint         index;
    const char   *title;
    guint         width;
    DeckTableCut  cut;
  } cols[3];
} ParseCase;

static const ParseCase parse_cases[] = {
  { "3_Label_10", 1, { { 3, "Label", 10, DECK_TABLE_CUT_RIGHT } } },
  { "4_ID_20_B", 1, { { 4, "ID", 20, DECK_TABLE_BREAK } } },
  { "4_ID_25_L", 1, { { 4, "ID", 25, DECK_TABLE_KEEP_RIGHT } } },
  { "4_ID_25_l", 1, { { 4, "ID", 25, DECK_TABLE_KEEP_RIGHT } } },
  { "4_ID_25_b", 1, { { 4, "ID", 25, DECK_TABLE_BREAK } } },
  { "3__7", 1, { { 3, "3", 7, DECK_TABLE_CUT_RIGHT } } },
  { "3_label_", 1, { { 3, "label", 10, DECK_TABLE_CUT_RIGHT } } },
  { "3_label_0", 1, { { 3, "label", 10, DECK_TABLE_CUT_RIGHT } } },
  { "3_label", 1, { { 3, "label", 10, DECK_TABLE_CUT_RIGHT } } },
  { "22", 1, { { 22, "22", 10, DECK_TABLE_CUT_RIGHT } } },
  { "3_Label_10%2_stype_8", 2,
    { { 3, "Label", 10, DECK_TABLE_CUT_RIGHT }, { 2, "stype", 8, DECK_TABLE_CUT_RIGHT } } },
  /* "%%" left over from a macro text and blanks from continuation lines */
  { "3_Label_10%%2_stype_8%", 2,
    { { 3, "Label", 10, DECK_TABLE_CUT_RIGHT }, { 2, "stype", 8, DECK_TABLE_CUT_RIGHT } } },
  { " 3_Label_10 %  9_cport_5_L ", 2,
    { { 3, "Label", 10, DECK_TABLE_CUT_RIGHT }, { 9, "cport", 5, DECK_TABLE_KEEP_RIGHT } } },
  /* columns repeat and come in any order */
  { "1_a_1%1_b_2%1_c_3", 3,
    { { 1, "a", 1, DECK_TABLE_CUT_RIGHT }, { 1, "b", 2, DECK_TABLE_CUT_RIGHT },
      { 1, "c", 3, DECK_TABLE_CUT_RIGHT } } },
};

static void
test_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckTableSpec) spec = NULL;

      g_test_message ("spec %s", c->spec);
      spec = deck_table_spec_parse (c->spec, DECK_FIELDS_LIST, &error);
      g_assert_no_error (error);
      g_assert_nonnull (spec);
      g_assert_cmpuint (deck_table_spec_get_n_columns (spec), ==, c->n);
      for (guint j = 0; j < c->n; j++)
        {
          const DeckTableColumn *col = deck_table_spec_get_column (spec, j);

          g_assert_cmpuint (col->index, ==, c->cols[j].index);
          g_assert_cmpstr (col->title, ==, c->cols[j].title);
          g_assert_cmpuint (col->width, ==, c->cols[j].width);
          g_assert_cmpint (col->cut, ==, c->cols[j].cut);
        }
    }
}

typedef struct {
  const char     *spec;
  DeckFieldSpace  space;
  const char     *in_message;
} ParseErrorCase;

static const ParseErrorCase parse_error_cases[] = {
  { "", DECK_FIELDS_LIST, "no columns" },
  { "%%", DECK_FIELDS_LIST, "no columns" },
  { "  ", DECK_FIELDS_ENUMERATE, "no columns" },
  { "0_x_10", DECK_FIELDS_LIST, "“0”" },
  { "23_x_10", DECK_FIELDS_LIST, "from 1 to 22" },
  { "48_x_10", DECK_FIELDS_ENUMERATE, "from 1 to 47" },
  { "-3_x_10", DECK_FIELDS_LIST, "“-3”" },
  { "x_y_10", DECK_FIELDS_LIST, "index “x”" },
  { "_y_10", DECK_FIELDS_LIST, "index “”" },
  { "3_l_ab", DECK_FIELDS_LIST, "width “ab”" },
  { "3_l_-1", DECK_FIELDS_LIST, "width “-1”" },
  { "3_l_99999", DECK_FIELDS_LIST, "width “99999”" },
  { "3_l_10_X", DECK_FIELDS_LIST, "cut flag “X”" },
  { "3_l_10_LB", DECK_FIELDS_LIST, "cut flag “LB”" },
  { "3_l_10_B_x", DECK_FIELDS_LIST, "too many parts" },
  { "3_Label_10%9_cport_5_R", DECK_FIELDS_LIST, "column 2 (“9_cport_5_R”)" },
  { "99999999999999999999_x_1", DECK_FIELDS_ENUMERATE, "index" },
};

static void
test_parse_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parse_error_cases); i++)
    {
      const ParseErrorCase *c = &parse_error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckTableSpec) spec = NULL;

      g_test_message ("spec %s", c->spec);
      spec = deck_table_spec_parse (c->spec, c->space, &error);
      g_assert_null (spec);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      g_assert_nonnull (strstr (error->message, c->in_message));
    }
}

/* ---- rendering ------------------------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *spec;
  gboolean    title_index;
  const char *value;  /* field 3 */
  const char *expected;
} RenderCase;

static const RenderCase render_cases[] = {
  { "short value padded", "3_label_8", FALSE, "tst100",
    "label   \n"
    "--------\n"
    "tst100  \n" },
  { "cut keeps the left", "3_label_4", FALSE, "tst100",
    "labe\n"
    "----\n"
    "tst1\n" },
  { "_L keeps the right", "3_label_4_L", FALSE, "tst100",
    "labe\n"
    "----\n"
    "t100\n" },
  { "_B exact fit is one line", "3_label_6_B", FALSE, "tst100",
    "label \n"
    "------\n"
    "tst100\n" },
  { "_B wraps", "3_label_4_B", FALSE, "tst100x",
    "labe\n"
    "----\n"
    "tst1\n"
    "00x \n" },
  { "empty title is the index", "3__5", FALSE, "a",
    "3    \n"
    "-----\n"
    "a    \n" },
  { "title index line", "3_label_6%3_again_4", TRUE, "x",
    "label |agai\n"
    "1(3)  |2(3)\n"
    "------+----\n"
    "x     |x   \n" },
  { "title index line is cut too", "3_l_2", TRUE, "xyz",
    "l \n"
    "1(\n"
    "--\n"
    "xy\n" },
  { "empty value", "3_label_3%3_b_2", FALSE, "",
    "lab|b \n"
    "---+--\n"
    "   |  \n" },
  { "NULL value", "3_label_3", FALSE, NULL,
    "lab\n"
    "---\n"
    "   \n" },
  /* characters, not bytes: 'ü' and 'ß' are two bytes each, '界' three */
  { "UTF-8 padded by characters", "3_l_6", FALSE, "Grüße",
    "l     \n"
    "------\n"
    "Grüße \n" },
  { "UTF-8 cut by characters", "3_l_3", FALSE, "Grüße",
    "l  \n"
    "---\n"
    "Grü\n" },
  { "UTF-8 kept right by characters", "3_l_3_L", FALSE, "Grüße",
    "l  \n"
    "---\n"
    "üße\n" },
  { "UTF-8 broken by characters", "3_l_2_B", FALSE, "世界ü",
    "l \n"
    "--\n"
    "世界\n"
    "ü \n" },
  { "UTF-8 title cut by characters", "3_Größe_3", FALSE, "a",
    "Grö\n"
    "---\n"
    "a  \n" },
  /* hostile values keep the geometry */
  { "separator in value", "3_l_5%3_m_3", FALSE, "a|b|c",
    "l    |m  \n"
    "-----+---\n"
    "a|b|c|a|b\n" },
  { "percent in value", "3_l_4", FALSE, "%s%n",
    "l   \n"
    "----\n"
    "%s%n\n" },
  { "newline and tab shown as ?", "3_l_5", FALSE, "a\nb\tc",
    "l    \n"
    "-----\n"
    "a?b?c\n" },
  { "invalid UTF-8 repaired", "3_l_3", FALSE, "a\xff" "b",
    "l  \n"
    "---\n"
    "a\xef\xbf\xbd" "b\n" },
};

static void
test_render (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (render_cases); i++)
    {
      const RenderCase *c = &render_cases[i];
      g_autofree char *got = NULL;

      g_test_message ("case: %s", c->name);
      got = render (c->spec, DECK_FIELDS_LIST, TRUE, c->title_index,
                    make_row (3, c->value, 0));
      g_assert_cmpstr (got, ==, c->expected);
    }
}

/* AC-77: tab_gen:4_ID_20_B continues long IDs in the same column, other cells blank. */
static void
test_break_ac77 (void)
{
  g_autofree char *got = NULL;

  got = render ("3_label_8%4_ID_20_B%2_stype_4", DECK_FIELDS_LIST, TRUE, FALSE,
                make_row (2, "XEN", 3, "tst100",
                          4, "/home/acue/xen/tst-ctys/tst100/tst100.conf", 0));
  g_assert_cmpstr (got, ==,
                   "label   |ID                  |styp\n"
                   "--------+--------------------+----\n"
                   "tst100  |/home/acue/xen/tst-c|XEN \n"
                   "        |tys/tst100/tst100.co|    \n"
                   "        |nf                  |    \n");
}

/* Two broken columns: the row is as long as the longer one. */
static void
test_break_two_columns (void)
{
  g_autofree char *got = NULL;

  got = render ("3_a_3_B%4_b_2_B", DECK_FIELDS_LIST, FALSE, FALSE,
                make_row (3, "abcdefg", 4, "xyz", 0));
  g_assert_cmpstr (got, ==,
                   "abc|xy\n"
                   "def|z \n"
                   "g  |  \n");
}

/* AC-74-like: a LIST view of the fixture (§12.0), every cell at its width. */
static void
test_render_list_rows (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckTableSpec) spec =
    deck_table_spec_parse ("3_Label_10%2_stype_8%9_cport_5%1_PM_10%6_MAC_17%7_TCP_15",
                           DECK_FIELDS_LIST, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  deck_table_render_header (spec, FALSE, out);
  deck_table_render_row (spec, make_row (1, "lab00.soho", 2, "XEN", 3, "Domain-0", 0), out);
  deck_table_render_row (spec, make_row (1, "lab00.soho", 2, "XEN", 3, "tst100", 9, "5900",
                                         6, "00:50:56:13:11:40", 0), out);
  deck_table_render_row (spec, make_row (1, "ws2.soho", 2, "SSH(XEN)", 3, "tst100",
                                         9, "5950", 0), out);
  g_assert_cmpstr (out->str, ==,
                   "Label     |stype   |cport|PM        |MAC              |TCP            \n"
                   "----------+--------+-----+----------+-----------------+---------------\n"
                   "Domain-0  |XEN     |     |lab00.soho|                 |               \n"
                   "tst100    |XEN     |5900 |lab00.soho|00:50:56:13:11:40|               \n"
                   "tst100    |SSH(XEN)|5950 |ws2.soho  |                 |               \n");
}

/* Every line of a rendering has the width of the spec in characters, is valid UTF-8
 * and has no control characters, whatever the value. */
static void
test_hostile_geometry (void)
{
  g_autofree char *huge = g_strnfill (10000, 'x');
  g_autofree char *huge_utf8 = NULL;
  const char *values[] = {
    "", "|", "||||||||||||", "%", "%%%%", "a;b", "\n", "\r\n", "\t\t", "\x1b[31mred",
    "\xff\xfe", "\xc3", "Ünïcödé", "日本語のラベル", "e\xcc\x81", "\xf0\x9f\x92\xa9",
    NULL, NULL,
  };
  const char *specs[] = {
    "3_a_7%4_b_5_L%1_c_3_B", "4_x_1_B", "3_x_1", "3_x_1_L%3_y_13_B",
  };
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 3000; i++)
    g_string_append (s, "界");
  huge_utf8 = g_string_free (s, FALSE);
  values[G_N_ELEMENTS (values) - 2] = huge;
  values[G_N_ELEMENTS (values) - 1] = huge_utf8;

  for (guint si = 0; si < G_N_ELEMENTS (specs); si++)
    for (guint vi = 0; vi < G_N_ELEMENTS (values); vi++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(DeckTableSpec) spec = deck_table_spec_parse (specs[si], DECK_FIELDS_ENUMERATE,
                                                                &error);
        g_autoptr(GString) out = g_string_new (NULL);
        g_auto(GStrv) lines = NULL;
        guint expected = 0;
        guint n_lines;

        g_assert_no_error (error);
        for (guint c = 0; c < deck_table_spec_get_n_columns (spec); c++)
          expected += deck_table_spec_get_column (spec, c)->width + (c > 0 ? 1 : 0);

        deck_table_render_header (spec, TRUE, out);
        deck_table_render_row (spec, make_row (1, values[vi], 3, values[vi], 4, values[vi], 0),
                               out);
        g_assert_true (g_utf8_validate (out->str, out->len, NULL));
        g_assert_cmpint (out->str[out->len - 1], ==, '\n');

        lines = g_strsplit (out->str, "\n", -1);
        n_lines = g_strv_length (lines) - 1;
        g_assert_cmpuint (n_lines, >=, 4);
        for (guint l = 0; l < n_lines; l++)
          {
            g_assert_cmpuint (g_utf8_strlen (lines[l], -1), ==, expected);
            for (const char *p = lines[l]; *p; p++)
              g_assert_cmpint ((guchar) *p, >=, 0x20);
          }
      }
}

static void
test_break_long_value_lines (void)
{
  g_autofree char *value = g_strnfill (95, 'y');
  g_autofree char *got = render ("4_id_10_B", DECK_FIELDS_ENUMERATE, FALSE, FALSE,
                                 make_row (4, value, 0));
  g_auto(GStrv) lines = g_strsplit (got, "\n", -1);

  /* 95 characters in slices of 10: 10 lines, the last one "yyyyy     " */
  g_assert_cmpuint (g_strv_length (lines), ==, 11);
  g_assert_cmpstr (lines[9], ==, "yyyyy     ");
  g_assert_cmpstr (lines[10], ==, "");
}

static void
test_cell_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckTableSpec) spec =
    deck_table_spec_parse ("3_a_4%3_b_4_L%3_c_4_B%3_d_20%4_e_3", DECK_FIELDS_LIST, &error);
  const char **row = make_row (3, "abcdef|g", 0);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

  g_assert_no_error (error);
  a = deck_table_cell_text (spec, 0, row);
  b = deck_table_cell_text (spec, 1, row);
  c = deck_table_cell_text (spec, 2, row);
  d = deck_table_cell_text (spec, 3, row);
  e = deck_table_cell_text (spec, 4, row);
  g_assert_cmpstr (a, ==, "abcd");
  g_assert_cmpstr (b, ==, "ef|g");
  g_assert_cmpstr (c, ==, "abcd");
  g_assert_cmpstr (d, ==, "abcdef|g");
  g_assert_cmpstr (e, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deck/table/parse", test_parse);
  g_test_add_func ("/deck/table/parse-errors", test_parse_errors);
  g_test_add_func ("/deck/table/render", test_render);
  g_test_add_func ("/deck/table/break-ac77", test_break_ac77);
  g_test_add_func ("/deck/table/break-two-columns", test_break_two_columns);
  g_test_add_func ("/deck/table/break-long-value", test_break_long_value_lines);
  g_test_add_func ("/deck/table/list-rows", test_render_list_rows);
  g_test_add_func ("/deck/table/hostile-geometry", test_hostile_geometry);
  g_test_add_func ("/deck/table/cell-text", test_cell_text);

  return g_test_run ();
}
