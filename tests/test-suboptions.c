/* test-suboptions.c: the ctys suboption syntax (spec §2.1, §2.2, §12.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "deck-error.h"
#include "deck-suboptions.h"

/* One expected suboption: key, raw key, value (NULL = flag) and the items joined by '|'
 * (NULL when items must be NULL, "" when items must be empty). */
typedef struct
{
  const char *key;
  const char *raw_key;
  const char *value;
  const char *items;
} ExpectedOpt;

typedef struct
{
  const char  *name;
  const char  *text;
  guint        n;
  ExpectedOpt  opts[4];
} ParseCase;

static const ParseCase parse_cases[] = {
  /* AC-01: two suboptions, order free, value case kept (CONSOLE is upper-cased by CREATE). */
  { "ac01", "f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli", 2,
    { { "F", "f", "xen/tst-ctys/tst100/tst100.conf", "xen/tst-ctys/tst100/tst100.conf" },
      { "CONSOLE", "CONSOLE", "cli", "cli" } } },
  { "ac01-swapped", "CONSOLE:cli,f:xen/tst-ctys/tst100/tst100.conf", 2,
    { { "CONSOLE", "CONSOLE", "cli", "cli" },
      { "F", "f", "xen/tst-ctys/tst100/tst100.conf", "xen/tst-ctys/tst100/tst100.conf" } } },
  /* AC-02 */
  { "ac02", "poweroff:0,p:/home/acue/xen/tst-ctys/tst100/tst100.conf", 2,
    { { "POWEROFF", "poweroff", "0", "0" },
      { "P", "p", "/home/acue/xen/tst-ctys/tst100/tst100.conf",
        "/home/acue/xen/tst-ctys/tst100/tst100.conf" } } },
  /* AC-03: a MAC is kept whole. */
  { "ac03-mac", "m:00:50:56:13:11:40", 1,
    { { "M", "m", "00:50:56:13:11:40", "00:50:56:13:11:40" } } },
  { "mac-upper", "MAC:AA:bb:CC:dd:EE:ff", 1,
    { { "MAC", "MAC", "AA:bb:CC:dd:EE:ff", "AA:bb:CC:dd:EE:ff" } } },
  { "mac-then-more", "m:00:50:56:13:11:40,l:tst100", 2,
    { { "M", "m", "00:50:56:13:11:40", "00:50:56:13:11:40" },
      { "L", "l", "tst100", "tst100" } } },
  { "mac-extra-field", "m:00:50:56:13:11:40:zz", 1,
    { { "M", "m", "00:50:56:13:11:40", "00:50:56:13:11:40" } } },
  { "mac-list", "m:00:50:56:13:11:40%00:50:56:13:11:41", 1,
    { { "M", "m", "00:50:56:13:11:40 00:50:56:13:11:41",
        "00:50:56:13:11:40|00:50:56:13:11:41" } } },
  { "mac-five-pairs", "m:00:50:56:13:11", 1,
    { { "M", "m", "00", "00" } } },
  { "mac-seven-digit-pair", "m:00:50:56:13:11:400", 1,
    { { "M", "m", "00", "00" } } },
  /* A leading or trailing ',' is dropped: an "%optional" macro that expands to nothing
   * at the start or the end of a list leaves one behind. */
  { "leading-comma", ",l:x", 1, { { "L", "l", "x", "x" } } },
  { "trailing-comma", "l:x,", 1, { { "L", "l", "x", "x" } } },
  { "only-comma", ",", 0, { { NULL } } },
  /* AC-04 */
  { "ac04-base-list", "b:xen%/etc/ctys.d", 1,
    { { "B", "b", "xen /etc/ctys.d", "xen|/etc/ctys.d" } } },
  /* AC-05 */
  { "ac05-multi", "c:vcpus=2%memory=512", 1,
    { { "C", "c", "vcpus=2 memory=512", "vcpus=2|memory=512" } } },
  { "ac05-percent", "c:a%%b", 1,
    { { "C", "c", "a%b", "a%b" } } },
  { "percent-backslash", "c:a\\%b", 1,
    { { "C", "c", "a%b", "a%b" } } },
  { "percent-mixed", "c:%%%x", 1,
    { { "C", "c", "% x", "%|x" } } },
  /* AC-06 parses; the empty value is refused by the address. */
  { "ac06", "t:,CONSOLE:cli,connect", 3,
    { { "T", "t", "", "" },
      { "CONSOLE", "CONSOLE", "cli", "cli" },
      { "CONNECT", "connect", NULL, NULL } } },
  /* AC-11: keys upper-cased, values keep their case. */
  { "ac11-key-case", "L:tst100,Console:Vnc", 2,
    { { "L", "L", "tst100", "tst100" },
      { "CONSOLE", "Console", "Vnc", "Vnc" } } },
  { "ac11-value-case", "l:TST100,CONSOLE:none", 2,
    { { "L", "l", "TST100", "TST100" },
      { "CONSOLE", "CONSOLE", "none", "none" } } },
  /* Extra ':field' dropped, escapes. */
  { "extra-field-dropped", "X:a:b", 1,
    { { "X", "X", "a", "a" } } },
  { "colon-double", "c:a::b", 1,
    { { "C", "c", "a:b", "a:b" } } },
  { "colon-backslash", "c:a\\:b:dropped", 1,
    { { "C", "c", "a:b", "a:b" } } },
  { "comma-double", "c:a,,b,l:x", 2,
    { { "C", "c", "a,b", "a,b" },
      { "L", "l", "x", "x" } } },
  { "comma-backslash", "c:a\\,b", 1,
    { { "C", "c", "a,b", "a,b" } } },
  { "comma-triple", "c:a,,,d", 2,
    { { "C", "c", "a,", "a," },
      { "D", "d", NULL, NULL } } },
  { "backslash-backslash", "c:a\\\\b", 1,
    { { "C", "c", "a\\b", "a\\b" } } },
  { "backslash-other", "c:a\\xb", 1,
    { { "C", "c", "a\\xb", "a\\xb" } } },
  { "flag-and-empty", "connect,waitc:", 2,
    { { "CONNECT", "connect", NULL, NULL },
      { "WAITC", "waitc", "", "" } } },
  { "empty-items", "c:%", 1,
    { { "C", "c", " ", "|" } } },
  { "empty-text", "", 0, { { NULL } } },
  /* Hostile values are plain data. */
  { "hostile-shell", "l:$(rm -rf ~);echo `id` 'q' \"d\"", 1,
    { { "L", "l", "$(rm -rf ~);echo `id` 'q' \"d\"", "$(rm -rf ~);echo `id` 'q' \"d\"" } } },
  { "hostile-utf8", "l:tst–ü€", 1,
    { { "L", "l", "tst–ü€", "tst–ü€" } } },
};

static char *
join_items (char **items)
{
  if (items == NULL)
    return NULL;
  return g_strjoinv ("|", items);
}

static void
test_parse_case (gconstpointer data)
{
  const ParseCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) opts = NULL;

  opts = deck_suboptions_parse (c->text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opts);
  g_assert_cmpuint (opts->len, ==, c->n);

  for (guint i = 0; i < c->n; i++)
    {
      const DeckSuboption *opt = opts->pdata[i];
      const ExpectedOpt *e = &c->opts[i];
      g_autofree char *items = join_items (opt->items);

      g_assert_cmpstr (opt->key, ==, e->key);
      g_assert_cmpstr (opt->raw_key, ==, e->raw_key);
      g_assert_cmpstr (opt->value, ==, e->value);
      g_assert_cmpstr (items, ==, e->items);
      if (e->value == NULL)
        g_assert_null (opt->items);
      else
        g_assert_nonnull (opt->items);
    }
}

typedef struct
{
  const char *name;
  const char *text;
  const char *message_part; /* must occur in the error message */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "missing-key", ":x", "missing key" },
  { "missing-key-later", "l:x,:y", "position 5" },
  { "dangling-backslash", "l:x\\", "position 4" },
  { "invalid-utf8", "l:tst\xff" "100", "UTF-8" },
  { "invalid-utf8-key", "\xc3(:x", "position 1" },
  { "newline", "l:a\nb", "control character" },
  { "tab", "c:a\tb", "control character" },
  { "escape-char", "l:\x1b[31m", "control character" },
};

static void
test_parse_error (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) opts = NULL;

  opts = deck_suboptions_parse (c->text, &error);
  g_assert_null (opts);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, c->message_part) == NULL)
    g_error ("message “%s” does not contain “%s”", error->message, c->message_part);
}

static void
test_parse_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) opts = NULL;
  g_autoptr(GString) text = g_string_new ("l:");
  g_autoptr(GString) colons = g_string_new ("x:");
  g_autoptr(GString) percents = g_string_new ("c:");

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (text, 'a' + (i % 26));
  g_string_append (text, ",connect");

  opts = deck_suboptions_parse (text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (opts->len, ==, 2);
  g_assert_cmpuint (strlen (((DeckSuboption *) opts->pdata[0])->value), ==, 200000);
  g_assert_cmpstr (((DeckSuboption *) opts->pdata[1])->key, ==, "CONNECT");
  g_clear_pointer (&opts, g_ptr_array_unref);

  /* Many fields: hex pairs spell a MAC first, the rest is dropped. */
  for (guint i = 0; i < 50000; i++)
    g_string_append (colons, "ab:");
  opts = deck_suboptions_parse (colons->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (opts->len, ==, 1);
  g_assert_cmpstr (((DeckSuboption *) opts->pdata[0])->value, ==, "ab:ab:ab:ab:ab:ab");
  g_clear_pointer (&opts, g_ptr_array_unref);

  /* Many items. */
  for (guint i = 0; i < 50000; i++)
    g_string_append (percents, "v%");
  g_string_append (percents, "v");
  opts = deck_suboptions_parse (percents->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (((DeckSuboption *) opts->pdata[0])->items), ==, 50001);
}

typedef struct
{
  const char *spec;
  const char *action;
  const char *rest;
} SplitCase;

static const SplitCase split_cases[] = {
  { "create=f:xen/tst100.conf,CONSOLE:cli", "CREATE", "f:xen/tst100.conf,CONSOLE:cli" },
  { "Cancel=poweroff:0,p:/a/b.conf", "CANCEL", "poweroff:0,p:/a/b.conf" },
  { "list", "LIST", NULL },
  { "enumerate=", "ENUMERATE", "" },
  { "create=c:a=b", "CREATE", "c:a=b" },
  { "", "", NULL },
  { "=x", "", "x" },
};

static void
test_split_action (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (split_cases); i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *rest = NULL;

      deck_suboptions_split_action (split_cases[i].spec, &action, &rest);
      g_assert_cmpstr (action, ==, split_cases[i].action);
      g_assert_cmpstr (rest, ==, split_cases[i].rest);
    }

  /* NULL out-parameters are allowed. */
  {
    g_autofree char *rest = NULL;

    deck_suboptions_split_action ("create=l:x", NULL, &rest);
    g_assert_cmpstr (rest, ==, "l:x");
  }
}

typedef struct
{
  const char *s;
  gboolean    mac;
} MacCase;

static const MacCase mac_cases[] = {
  { "00:50:56:13:11:40", TRUE },
  { "AA:bb:CC:dd:EE:ff", TRUE },
  { "ff:ff:ff:ff:ff:ff", TRUE },
  { "00:50:56:13:11", FALSE },
  { "00:50:56:13:11:4", FALSE },
  { "00:50:56:13:11:40:", FALSE },
  { "00:50:56:13:11:40:aa", FALSE },
  { "00-50-56-13-11-40", FALSE },
  { "0:50:56:13:11:40", FALSE },
  { "gg:50:56:13:11:40", FALSE },
  { "00:50:56:13:11:4g", FALSE },
  { " 00:50:56:13:11:40", FALSE },
  { "", FALSE },
  { ":", FALSE },
};

static void
test_is_mac (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (mac_cases); i++)
    {
      g_test_message ("is_mac (“%s”)", mac_cases[i].s);
      g_assert_cmpint (deck_suboptions_is_mac (mac_cases[i].s), ==, mac_cases[i].mac);
    }
}

static void
test_free_null (void)
{
  g_autoptr(DeckSuboption) opt = NULL;

  /* Freeing NULL is allowed (autoptr cleanup relies on it). */
  deck_suboption_free (NULL);
  opt = g_new0 (DeckSuboption, 1);
  opt->key = g_strdup ("K");
  g_assert_cmpstr (opt->key, ==, "K");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/suboptions/parse/%s", parse_cases[i].name);
      g_test_add_data_func (path, &parse_cases[i], test_parse_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/suboptions/error/%s", error_cases[i].name);
      g_test_add_data_func (path, &error_cases[i], test_parse_error);
    }
  g_test_add_func ("/deck/suboptions/long-values", test_parse_long);
  g_test_add_func ("/deck/suboptions/split-action", test_split_action);
  g_test_add_func ("/deck/suboptions/is-mac", test_is_mac);
  g_test_add_func ("/deck/suboptions/free-null", test_free_null);

  return g_test_run ();
}
