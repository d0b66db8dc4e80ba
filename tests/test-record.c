/* test-record.c: DeckRecord lines and values, field spaces
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "deck-error.h"
#include "deck-fields.h"
#include "deck-record.h"

static char *
line_with_fields (guint n)
{
  g_autoptr(GString) s = g_string_new ("h");

  for (guint i = 2; i <= n; i++)
    g_string_append_printf (s, ";f%u", i);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_round_trip (void)
{
  g_autofree char *line = line_with_fields (47);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckRecord) r = deck_record_new_from_line (line, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (deck_record_get (r, 1), ==, "h");
  g_assert_cmpstr (deck_record_get (r, 47), ==, "f47");
  g_assert_cmpstr (deck_record_to_line (r), ==, line);
  deck_record_set (r, DECK_FIELD_LABEL, "x");
  g_assert_nonnull (strstr (deck_record_to_line (r), ";f2;x;f4;"));
  g_assert_finalize_object (g_steal_pointer (&r));
}

static void
test_old_layouts (void)
{
  g_autofree char *l18 = line_with_fields (18);
  g_autofree char *l43 = line_with_fields (43);
  g_autoptr(DeckRecord) r18 = deck_record_new_from_line (l18, -1, NULL);
  g_autoptr(DeckRecord) r43 = deck_record_new_from_line (l43, -1, NULL);

  g_assert_nonnull (r18);
  g_assert_cmpstr (deck_record_get (r18, 18), ==, "f18");
  g_assert_cmpstr (deck_record_get (r18, 19), ==, "");
  g_assert_nonnull (r43);
  g_assert_cmpstr (deck_record_get (r43, 43), ==, "f43");
  /* written back, the record has all 47 fields */
  g_assert_cmpuint (strlen (deck_record_to_line (r43)) - strlen (l43), ==, 4);
}

static void
test_corrupt (void)
{
  g_autofree char *l48 = line_with_fields (48);
  g_autofree char *l17 = line_with_fields (17);
  g_autofree char *long_line = g_strnfill (DECK_RECORD_MAX_LINE + 1, 'a');
  const char nul[] = "a;b\0c;d";
  const char *bad[] = { l48, l17, "x;\ty", "a;b\rc", long_line, "caf\xc3;\xa9" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckRecord) r = deck_record_new_from_line (bad[i], -1, &error);

      g_assert_null (r);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_CORRUPT);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DeckRecord) r = deck_record_new_from_line (nul, sizeof nul - 1, &error);

    g_assert_null (r);
    g_assert_error (error, DECK_ERROR, DECK_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "NUL"));
  }
}

static void
test_check_value (void)
{
  static const struct { const char *value; gboolean ok; const char *why; } cases[] = {
    { "tst100", TRUE, NULL },
    { "it's \"quoted\" $(rm -rf /) `id`", TRUE, NULL },
    { "größe", TRUE, NULL },
    { "a;b", FALSE, "';'" },
    { "a\nb", FALSE, "newline" },
    { "a\tb", FALSE, "tab" },
    { "a\x7f", FALSE, "0x7f" },
    { "\xff\xfe", FALSE, "UTF-8" },
  };
  g_autofree char *huge = g_strnfill (DECK_RECORD_MAX_VALUE + 1, 'v');
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) e = NULL;

      g_assert_cmpint (deck_record_check_value (cases[i].value, &e), ==, cases[i].ok);
      if (!cases[i].ok)
        {
          g_assert_error (e, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
          g_assert_nonnull (strstr (e->message, cases[i].why));
        }
    }
  g_assert_false (deck_record_check_value (huge, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
}

static void
test_fields (void)
{
  static const struct { const char *key; guint index; } cases[] = {
    { "PM", 1 }, { "host", 1 }, { "ST", 2 }, { "l", 3 }, { "IDS", 4 }, { "p", 4 },
    { "u", 5 }, { "m", 6 }, { "T", 7 }, { "disp", 8 }, { "cport", 9 }, { "VNCPORT", 9 },
    { "s", 10 }, { "vstat", 19 }, { "hrx", 29 }, { "accel", 30 }, { "if", 33 },
    { "gw", 36 }, { "defc", 47 }, { "47", 47 }, { "48", 0 }, { "0", 0 }, { "nope", 0 },
    { "", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (deck_fields_lookup (DECK_FIELDS_ENUMERATE, cases[i].key), ==, cases[i].index);
  g_assert_cmpuint (deck_fields_lookup (DECK_FIELDS_LIST, "PID"), ==, 11);
  g_assert_cmpuint (deck_fields_lookup (DECK_FIELDS_LIST, "23"), ==, 0);
  g_assert_cmpstr (deck_fields_title (DECK_FIELDS_ENUMERATE, 1), ==, "ContainingMachine");
  g_assert_cmpstr (deck_fields_title (DECK_FIELDS_ENUMERATE, 47), ==, "DefCONSOLE");
  g_assert_cmpstr (deck_fields_title (DECK_FIELDS_LIST, 14), ==, "C/S-Type");
  g_assert_null (deck_fields_title (DECK_FIELDS_LIST, 23));
  g_assert_cmpuint (deck_fields_count (DECK_FIELDS_ENUMERATE), ==, 47);
  g_assert_cmpuint (deck_fields_count (DECK_FIELDS_LIST), ==, 22);
  {
    g_autofree char *a = deck_fields_title_index (1, TRUE);
    g_autofree char *z = deck_fields_title_index (26, TRUE);
    g_autofree char *aa = deck_fields_title_index (27, TRUE);
    g_autofree char *au = deck_fields_title_index (47, TRUE);
    g_autofree char *n = deck_fields_title_index (3, FALSE);

    g_assert_cmpstr (a, ==, "(A-1)");
    g_assert_cmpstr (z, ==, "(Z-26)");
    g_assert_cmpstr (aa, ==, "(AA-27)");
    g_assert_cmpstr (au, ==, "(AU-47)");
    g_assert_cmpstr (n, ==, "(3)");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/deck/record/round-trip", test_round_trip);
  g_test_add_func ("/deck/record/old-layouts", test_old_layouts);
  g_test_add_func ("/deck/record/corrupt", test_corrupt);
  g_test_add_func ("/deck/record/check-value", test_check_value);
  g_test_add_func ("/deck/record/fields", test_fields);
  return g_test_run ();
}
