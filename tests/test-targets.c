/* test-targets.c: target lists, host option groups and group files (spec §2.3, §2.4, §12.2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "deck-config.h"
#include "deck-error.h"
#include "deck-targets.h"

/* No group lookups at all: every word is a host. */
static const char * const no_groups[] = { NULL };

/* --- helpers ---------------------------------------------------------------------- */

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-targets-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Options joined with '|' ("" for none), to compare in one assertion. */
static char *
joined_options (const DeckTarget *target)
{
  g_assert_nonnull (target->options);
  return g_strjoinv ("|", target->options);
}

static void
assert_target (GPtrArray  *targets,
               guint       index,
               const char *user,
               const char *host,
               const char *options,
               const char *group)
{
  const DeckTarget *target;
  g_autofree char *joined = NULL;

  g_assert_cmpuint (index, <, targets->len);
  target = targets->pdata[index];
  joined = joined_options (target);
  g_assert_cmpstr (target->user, ==, user);
  g_assert_cmpstr (target->host, ==, host);
  g_assert_cmpstr (joined, ==, options);
  g_assert_cmpstr (target->group, ==, group);
}

static GPtrArray *
parse_ok (const char * const *words,
          const char * const *groups_path,
          gboolean            allow_duplicates)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *targets = deck_targets_parse (words, groups_path, allow_duplicates, &error);

  g_assert_no_error (error);
  g_assert_nonnull (targets);
  return targets;
}

/* Parses @words expecting @code and a message containing @part. */
static void
assert_parse_error (const char * const *words,
                    const char * const *groups_path,
                    int                 code,
                    const char         *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) targets = deck_targets_parse (words, groups_path, FALSE, &error);

  g_assert_null (targets);
  g_assert_error (error, DECK_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (part != NULL && strstr (error->message, part) == NULL)
    g_error ("message “%s” does not contain “%s”", error->message, part);
}

static void
assert_load_error (const char         *path,
                   const char * const *groups_path,
                   GQuark              domain,
                   int                 code,
                   const char         *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) targets = deck_targets_load_group (path, groups_path, &error);

  g_assert_null (targets);
  g_assert_error (error, domain, code);
  if (part != NULL && strstr (error->message, part) == NULL)
    g_error ("message “%s” does not contain “%s”", error->message, part);
}

/* --- options in the call (spec §2.3) ---------------------------------------------- */

/* AC-21: ctys -d 6 -- '(-d 3)' host01 host02'(-d 1)' */
static void
test_ac21_default_group (void)
{
  const char *words[] = { "--", "(-d 3)", "host01", "host02(-d 1)", NULL };
  g_autoptr(GPtrArray) targets = parse_ok (words, no_groups, FALSE);

  g_assert_cmpuint (targets->len, ==, 2);
  assert_target (targets, 0, NULL, "host01", "-d|3", NULL);
  assert_target (targets, 1, NULL, "host02", "-d|3|-d|1", NULL);
}

/* The default group also when an option parser dropped the "--", and split over words. */
static void
test_default_group_forms (void)
{
  const char *without_dashes[] = { "(-d 3)", "host01", NULL };
  const char *split[] = { "--", "(-d", "3)", "host01", NULL };
  g_autoptr(GPtrArray) a = parse_ok (without_dashes, no_groups, FALSE);
  g_autoptr(GPtrArray) b = parse_ok (split, no_groups, FALSE);

  g_assert_cmpuint (a->len, ==, 1);
  assert_target (a, 0, NULL, "host01", "-d|3", NULL);
  g_assert_cmpuint (b->len, ==, 1);
  assert_target (b, 0, NULL, "host01", "-d|3", NULL);
}

/* AC-22: a blank before the parenthesis. */
static void
test_ac22_blank_before_group (void)
{
  const char *glued[] = { "lab00(-Z KSU)", NULL };
  const char *separate[] = { "lab00", "(-Z KSU)", NULL };
  /* what an unquoted `lab00 \(-Z KSU\)` gives: the group is split into words (accepted, as
   * by ctys; the words are rejoined with one blank) */
  const char *split[] = { "lab00", "(-Z", "KSU)", NULL };
  const char *split_glued[] = { "lab00(-Z", "KSU)", NULL };
  const char *one_word[] = { "lab00 (-Z KSU)", NULL };
  const char * const *cases[] = { separate, split, split_glued, one_word };
  g_autoptr(GPtrArray) expected = parse_ok (glued, no_groups, FALSE);

  g_assert_cmpuint (expected->len, ==, 1);
  assert_target (expected, 0, NULL, "lab00", "-Z|KSU", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) targets = parse_ok (cases[i], no_groups, FALSE);

      g_test_message ("case %u", i);
      g_assert_cmpuint (targets->len, ==, 1);
      g_assert_true (deck_target_equal (targets->pdata[0], expected->pdata[0]));
    }
}

/* AC-23: root@lab00'(-a list)' */
static void
test_ac23_user (void)
{
  const char *words[] = { "root@lab00(-a list)", "acue@lab01", NULL };
  g_autoptr(GPtrArray) targets = parse_ok (words, no_groups, FALSE);

  g_assert_cmpuint (targets->len, ==, 2);
  assert_target (targets, 0, "root", "lab00", "-a|list", NULL);
  assert_target (targets, 1, "acue", "lab01", "", NULL);
}

/* AC-19 and the seed example of §2.3: two jobs on one host with different options. */
static void
test_ac19_same_host_two_jobs (void)
{
  const char *words[] = {
    "--", "(-Z KSU)",
    "lab00( -a create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:none )",
    "lab00( -a create=f:xen/tst-ctys/tst101/tst101.conf,CONSOLE:none )",
    NULL
  };
  const char *seed[] = {
    "--", "(-Z KSU)",
    "lab00(-a create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:none)",
    "lab00(-a create=f:xen/tst-ctys/tst101/tst101.conf,CONSOLE:none -Z SUDO)",
    NULL
  };
  g_autoptr(GPtrArray) targets = parse_ok (words, no_groups, FALSE);
  g_autoptr(GPtrArray) seeded = parse_ok (seed, no_groups, FALSE);

  g_assert_cmpuint (targets->len, ==, 2);
  assert_target (targets, 0, NULL, "lab00",
                 "-Z|KSU|-a|create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:none", NULL);
  assert_target (targets, 1, NULL, "lab00",
                 "-Z|KSU|-a|create=f:xen/tst-ctys/tst101/tst101.conf,CONSOLE:none", NULL);

  g_assert_cmpuint (seeded->len, ==, 2);
  assert_target (seeded, 1, NULL, "lab00",
                 "-Z|KSU|-a|create=f:xen/tst-ctys/tst101/tst101.conf,CONSOLE:none|-Z|SUDO", NULL);
}

static void
test_duplicates (void)
{
  const char *words[] = { "lab00", "lab00", "lab00(-d 1)", "lab00(-d 1)", "root@lab00", NULL };
  g_autoptr(GPtrArray) dropped = parse_ok (words, no_groups, FALSE);
  g_autoptr(GPtrArray) kept = parse_ok (words, no_groups, TRUE);

  g_assert_cmpuint (dropped->len, ==, 3);
  assert_target (dropped, 0, NULL, "lab00", "", NULL);
  assert_target (dropped, 1, NULL, "lab00", "-d|1", NULL);
  assert_target (dropped, 2, "root", "lab00", "", NULL);
  g_assert_cmpuint (kept->len, ==, 5);
}

/* Blanks, quotes and parentheses inside a group; nothing is expanded. */
static void
test_group_quoting (void)
{
  const char *blanks[] = { "lab00( -a create=f:x,CONSOLE:none )", NULL };
  const char *quotes[] = {
    "lab00(-a \"create=c:a b\" -x 'y)z' -w it\\'s -v \"q\\\"t\" -u $HOME)", NULL
  };
  const char *split_quote[] = { "lab00", "(-a", "'x", "y')", NULL };
  const char *empty[] = { "lab00()", "lab01( )", NULL };
  g_autoptr(GPtrArray) a = parse_ok (blanks, no_groups, FALSE);
  g_autoptr(GPtrArray) b = parse_ok (quotes, no_groups, FALSE);
  g_autoptr(GPtrArray) c = parse_ok (split_quote, no_groups, FALSE);
  g_autoptr(GPtrArray) d = parse_ok (empty, no_groups, FALSE);

  g_assert_cmpuint (a->len, ==, 1);
  assert_target (a, 0, NULL, "lab00", "-a|create=f:x,CONSOLE:none", NULL);
  g_assert_cmpuint (b->len, ==, 1);
  assert_target (b, 0, NULL, "lab00", "-a|create=c:a b|-x|y)z|-w|it's|-v|q\"t|-u|$HOME", NULL);
  g_assert_cmpuint (c->len, ==, 1);
  assert_target (c, 0, NULL, "lab00", "-a|x y", NULL);
  g_assert_cmpuint (d->len, ==, 2);
  assert_target (d, 0, NULL, "lab00", "", NULL);
  assert_target (d, 1, NULL, "lab01", "", NULL);
}

static void
test_ipv6 (void)
{
  const char *words[] = { "root@[fe80::1%eth0](-d 1)", "[::1]", "fe80::2", NULL };
  g_autoptr(GPtrArray) targets = parse_ok (words, no_groups, FALSE);

  g_assert_cmpuint (targets->len, ==, 3);
  assert_target (targets, 0, "root", "fe80::1%eth0", "-d|1", NULL);
  assert_target (targets, 1, NULL, "::1", "", NULL);
  assert_target (targets, 2, NULL, "fe80::2", "", NULL);
}

static void
test_empty_list (void)
{
  const char *none[] = { NULL };
  const char *dashes[] = { "--", NULL };
  g_autoptr(GPtrArray) a = parse_ok (none, no_groups, FALSE);
  g_autoptr(GPtrArray) b = parse_ok (dashes, no_groups, FALSE);

  g_assert_cmpuint (a->len, ==, 0);
  g_assert_cmpuint (b->len, ==, 0);
}

typedef struct
{
  const char *name;
  const char *words[5];
  const char *part;
} UsageCase;

static const UsageCase usage_cases[] = {
  { "unclosed", { "lab00(-d 1", NULL }, "not closed" },
  { "unclosed-over-words", { "lab00", "(-d", "1", NULL }, "not closed" },
  { "unclosed-quote", { "lab00(-a 'x)", NULL }, "quote" },
  { "close-without-open", { "lab00-d 1)", NULL }, "without" },
  { "close-alone", { "lab00", ")", NULL }, "without" },
  { "nested", { "lab00((-d 1))", NULL }, "nested" },
  { "nested-inner", { "lab00(-a c:$(id))", NULL }, "nested" },
  { "text-after-group", { "lab00(-d 1)lab01", NULL }, "after" },
  { "two-groups-glued", { "lab00(-d 1)(-d 2)", NULL }, "after" },
  { "two-groups", { "lab00", "(-d 1)", "(-d 2)", NULL }, "does not follow a target" },
  { "default-alone", { "--", "(-d 3)", NULL }, "not followed by a target" },
  { "group-alone", { "(-d 3)", NULL }, "not followed by a target" },
  { "two-defaults", { "--", "(-d 3)", "(-d 4)", "lab00", NULL }, "does not follow a target" },
};

static void
test_usage_error (gconstpointer data)
{
  const UsageCase *c = data;

  assert_parse_error (c->words, no_groups, DECK_ERROR_USAGE, c->part);
}

/* --- hostile names ---------------------------------------------------------------- */

typedef struct
{
  const char *word;
  const char *part;  /* expected in the message */
} HostileCase;

static const HostileCase hostile_cases[] = {
  { "-oProxyCommand=x", "-oProxyCommand=x" },
  { "a;b", "a;b" },
  { "$(touch /tmp/x)", "$(touch /tmp/x)" },
  { "`id`", "`id`" },
  { "a b", "a b" },
  { "", "empty" },
  { "a\nb", "a\\nb" },
  { "host\t", "host\\t" },
  { "user@", "user@" },
  { "@lab00", "@lab00" },
  { "-l@host", "-l@host" },
  { "root@-x", "root@-x" },
  { "a@b@c", "a@b@c" },
  { "lab00|x", "lab00|x" },
  { "lab00>f", "lab00>f" },
  { "../x", "../x" },
  { "[::1", "[::1" },
  { "[]", "[]" },
  { "[-x]", "[-x]" },
  { "h\xc3\xa4st", "h\xc3\xa4st" },
  { "h\xff", "h\\377" },
};

static void
test_hostile_name (gconstpointer data)
{
  const HostileCase *c = data;
  const char *alone[] = { c->word, NULL };
  const char *with_options[] = { "--", "(-d 1)", "lab00", c->word, NULL };

  assert_parse_error (alone, no_groups, DECK_ERROR_INVALID_VALUE, c->part);
  assert_parse_error (with_options, no_groups, DECK_ERROR_INVALID_VALUE, c->part);
}

/* Nothing in a word is ever run. */
static void
test_hostile_not_run (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *victim = g_build_filename (dir, "x", NULL);
  g_autofree char *word = g_strdup_printf ("$(touch %s)", victim);
  g_autofree char *word2 = g_strdup_printf ("lab00(-a `touch %s`)", victim);
  const char *words[] = { word, NULL };
  const char *words2[] = { word2, NULL };
  g_autoptr(GPtrArray) targets = NULL;

  assert_parse_error (words, no_groups, DECK_ERROR_INVALID_VALUE, word);
  /* options are data for the remote ctys: kept as words, not run here */
  targets = parse_ok (words2, no_groups, FALSE);
  g_assert_cmpuint (targets->len, ==, 1);
  g_assert_cmpstr (((DeckTarget *) targets->pdata[0])->options[1], ==, "`touch");
  g_assert_false (g_file_test (victim, G_FILE_TEST_EXISTS));
  rm_rf (dir);
}

typedef struct
{
  const char *name;
  gboolean    host_ok;
  gboolean    user_ok;
} NameCase;

static const NameCase name_cases[] = {
  { "lab00", TRUE, TRUE },
  { "lab00.soho", TRUE, TRUE },
  { "a_b-c", TRUE, TRUE },
  { "172.20.6.100", TRUE, TRUE },
  { "fe80::1%eth0", TRUE, FALSE },
  { "[fe80::1]", TRUE, FALSE },
  { "", FALSE, FALSE },
  { "-x", FALSE, FALSE },
  { "[-x]", FALSE, FALSE },
  { "[]", FALSE, FALSE },
  { "[::1", FALSE, FALSE },
  { "a b", FALSE, FALSE },
  { "a@b", FALSE, FALSE },
  { "a/b", FALSE, FALSE },
  { "a\\b", FALSE, FALSE },
  { "a\nb", FALSE, FALSE },
  { "h\xc3\xa4st", FALSE, FALSE },
};

static void
test_check_names (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      const NameCase *c = &name_cases[i];
      g_autoptr(GError) host_error = NULL;
      g_autoptr(GError) user_error = NULL;

      g_test_message ("name “%s”", c->name);
      g_assert_cmpint (deck_target_check_host (c->name, &host_error), ==, c->host_ok);
      g_assert_cmpint (deck_target_check_user (c->name, &user_error), ==, c->user_ok);
      if (!c->host_ok)
        g_assert_error (host_error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
      else
        g_assert_no_error (host_error);
      if (!c->user_ok)
        g_assert_error (user_error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
      else
        g_assert_no_error (user_error);
    }
}

/* --- DeckTarget ------------------------------------------------------------------- */

typedef struct
{
  const char *user;
  const char *host;
  const char *options[5];
  const char *expected;
} StringCase;

static const StringCase string_cases[] = {
  { NULL, "lab00", { NULL }, "lab00" },
  { "root", "lab00", { "-a", "list", NULL }, "root@lab00(-a list)" },
  { NULL, "lab00", { "-a", "create=f:x/y.conf,CONSOLE:none", NULL },
    "lab00(-a create=f:x/y.conf,CONSOLE:none)" },
  { NULL, "lab00", { "-c", "a b", NULL }, "lab00(-c 'a b')" },
  { NULL, "lab00", { "it's", "", NULL }, "lab00('it'\\''s' '')" },
  { NULL, "lab00", { "(x)", "#c", "$HOME", NULL }, "lab00('(x)' '#c' '$HOME')" },
};

static void
test_to_string (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (string_cases); i++)
    {
      const StringCase *c = &string_cases[i];
      g_autoptr(DeckTarget) target = deck_target_new (c->user, c->host, c->options);
      g_autofree char *s = deck_target_to_string (target);

      g_assert_cmpstr (s, ==, c->expected);
    }
}

static void
test_copy_equal (void)
{
  const char *options[] = { "-d", "1", NULL };
  const char *other_options[] = { "-d", "2", NULL };
  g_autoptr(DeckTarget) a = deck_target_new ("root", "lab00", options);
  g_autoptr(DeckTarget) b = NULL;
  g_autoptr(DeckTarget) no_user = deck_target_new (NULL, "lab00", options);
  g_autoptr(DeckTarget) other = deck_target_new ("root", "lab00", other_options);
  g_autoptr(DeckTarget) no_options = deck_target_new ("root", "lab00", NULL);
  g_autoptr(DeckTarget) other_host = deck_target_new ("root", "lab01", options);

  a->group = g_strdup ("lab");
  b = deck_target_copy (a);
  g_assert_true (b != a);
  g_assert_true (b->options != a->options);
  g_assert_cmpstr (b->group, ==, "lab");
  g_assert_true (deck_target_equal (a, b));
  g_clear_pointer (&b->group, g_free);
  g_assert_true (deck_target_equal (a, b));  /* the group does not count */

  g_assert_false (deck_target_equal (a, no_user));
  g_assert_false (deck_target_equal (a, other));
  g_assert_false (deck_target_equal (a, other_host));
  g_assert_false (deck_target_equal (a, no_options));
  g_assert_nonnull (no_options->options);
  g_assert_null (no_options->options[0]);

  deck_target_free (NULL);
}

/* --- group files (spec §2.4) ------------------------------------------------------ */

static void
test_group_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const char *path[] = { dir, NULL };
  const char *words[] = { "--", "(-d 3)", "lab", "ws2", NULL };
  g_autofree char *lab_path = g_build_filename (dir, "lab", NULL);
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;

  write_file (dir, "lab",
              "# the lab hosts\n"
              "\n"
              "   \t\n"
              "lab00(-Z KSU)\n"
              "  root@lab01 (-a 'create=c:a b') # lab01 is special\n"
              "#include xen\n"
              "#includes nothing: a comment\n"
              "lab02 lab03(-d 1)\r\n"
              "inner\n");
  write_file (dir, "xen", "xen01\n#include more\n");
  write_file (dir, "more", "xen02\n");
  write_file (dir, "inner", "in01(-x)\n");

  targets = parse_ok (words, path, FALSE);
  g_assert_cmpuint (targets->len, ==, 8);
  assert_target (targets, 0, NULL, "lab00", "-d|3|-Z|KSU", "lab");
  assert_target (targets, 1, "root", "lab01", "-d|3|-a|create=c:a b", "lab");
  assert_target (targets, 2, NULL, "xen01", "-d|3", "lab");
  assert_target (targets, 3, NULL, "xen02", "-d|3", "lab");
  assert_target (targets, 4, NULL, "lab02", "-d|3", "lab");
  assert_target (targets, 5, NULL, "lab03", "-d|3|-d|1", "lab");
  assert_target (targets, 6, NULL, "in01", "-d|3|-x", "lab");
  assert_target (targets, 7, NULL, "ws2", "-d|3", NULL);

  loaded = deck_targets_load_group (lab_path, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 7);
  assert_target (loaded, 0, NULL, "lab00", "-Z|KSU", "lab");
  assert_target (loaded, 6, NULL, "in01", "-x", "lab");

  rm_rf (dir);
}

/* Options of one member, in precedence order: default group, group-file line, options
 * written with the group's name (for nested groups: inner lines first), the call. */
static void
test_group_options_precedence (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const char *path[] = { dir, NULL };
  const char *words[] = { "--", "(-d 3)", "outer(-d 5)", "lab09(-d 6)", NULL };
  const char *user_words[] = { "admin@outer", NULL };
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GPtrArray) users = NULL;

  write_file (dir, "outer", "lab00(-d 4)\nacue@lab01\ninner(-b 1)\n");
  write_file (dir, "inner", "lab02(-a list)\n");

  targets = parse_ok (words, path, FALSE);
  g_assert_cmpuint (targets->len, ==, 4);
  assert_target (targets, 0, NULL, "lab00", "-d|3|-d|4|-d|5", "outer");
  assert_target (targets, 1, "acue", "lab01", "-d|3|-d|5", "outer");
  assert_target (targets, 2, NULL, "lab02", "-d|3|-a|list|-b|1|-d|5", "outer");
  assert_target (targets, 3, NULL, "lab09", "-d|3|-d|6", NULL);

  /* A user written with the group's name is the user of every member. */
  users = parse_ok (user_words, path, FALSE);
  g_assert_cmpuint (users->len, ==, 3);
  assert_target (users, 0, "admin", "lab00", "-d|4", "outer");
  assert_target (users, 1, "admin", "lab01", "", "outer");
  assert_target (users, 2, "admin", "lab02", "-a|list|-b|1", "outer");

  rm_rf (dir);
}

/* Duplicates produced by group expansion are dropped unless allowed (ctys -A 1). */
static void
test_group_duplicates (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const char *path[] = { dir, NULL };
  const char *words[] = { "a", "b", "lab00", NULL };
  g_autoptr(GPtrArray) dropped = NULL;
  g_autoptr(GPtrArray) kept = NULL;

  write_file (dir, "a", "lab00\nlab01\n#include b\n");
  write_file (dir, "b", "lab01\nlab02(-d 1)\n");

  dropped = parse_ok (words, path, FALSE);
  g_assert_cmpuint (dropped->len, ==, 3);
  assert_target (dropped, 0, NULL, "lab00", "", "a");
  assert_target (dropped, 1, NULL, "lab01", "", "a");
  assert_target (dropped, 2, NULL, "lab02", "-d|1", "a");

  kept = parse_ok (words, path, TRUE);
  g_assert_cmpuint (kept->len, ==, 7);

  rm_rf (dir);
}

static void
test_group_cycle (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const char *path[] = { dir, NULL };
  const char *words[] = { "a", NULL };
  const char *self_words[] = { "self", NULL };
  const char *member_words[] = { "m1", NULL };
  const char *diamond_words[] = { "top", NULL };
  g_autofree char *a_path = g_build_filename (dir, "a", NULL);
  g_autoptr(GPtrArray) diamond = NULL;

  write_file (dir, "a", "lab00\n#include b\n");
  write_file (dir, "b", "lab01\n#include c\n");
  write_file (dir, "c", "#include a\n");
  write_file (dir, "self", "#include self\n");
  write_file (dir, "m1", "lab00\nm2(-d 1)\n");
  write_file (dir, "m2", "m1\n");
  /* included twice, but not a cycle */
  write_file (dir, "top", "#include left\n#include right\n");
  write_file (dir, "left", "#include bottom\n");
  write_file (dir, "right", "#include bottom\n");
  write_file (dir, "bottom", "lab07\n");

  assert_parse_error (words, path, DECK_ERROR_FAILED, "include each other");
  assert_parse_error (words, path, DECK_ERROR_FAILED, "/c:1:");
  assert_parse_error (self_words, path, DECK_ERROR_FAILED, "include each other");
  assert_parse_error (member_words, path, DECK_ERROR_FAILED, "/m2:1:");
  assert_load_error (a_path, path, DECK_ERROR, DECK_ERROR_FAILED, "include each other");

  diamond = parse_ok (diamond_words, path, TRUE);
  g_assert_cmpuint (diamond->len, ==, 2);

  rm_rf (dir);
}

static void
test_group_include_missing (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const char *path[] = { dir, NULL };
  const char *words[] = { "g", NULL };
  g_autofree char *g_path = g_build_filename (dir, "g", NULL);
  g_autofree char *where = g_strdup_printf ("%s:2:", g_path);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);

  write_file (dir, "g", "lab00\n#include nosuchgroup\n");

  assert_parse_error (words, path, DECK_ERROR_NOT_FOUND, where);
  assert_parse_error (words, path, DECK_ERROR_NOT_FOUND, "nosuchgroup");
  assert_load_error (g_path, path, DECK_ERROR, DECK_ERROR_NOT_FOUND, where);
  assert_load_error (missing, path, G_FILE_ERROR, G_FILE_ERROR_NOENT, NULL);

  rm_rf (dir);
}

typedef struct
{
  const char *name;
  const char *contents;
  int         code;
  const char *part;  /* after "<file>:" */
} BadLineCase;

static const BadLineCase bad_line_cases[] = {
  { "unclosed", "lab00\nlab01(-d 1\n", DECK_ERROR_PARSE, "2: option group not closed" },
  { "group-over-lines", "lab01(-d\n1)\n", DECK_ERROR_PARSE, "1: option group not closed" },
  { "close-without-open", "\n\nlab01-d 1)\n", DECK_ERROR_PARSE, "3: ‘)’ without ‘(’" },
  { "nested", "lab01((x))\n", DECK_ERROR_PARSE, "1: option groups cannot be nested" },
  { "group-without-target", "# c\n(-d 1) lab00\n", DECK_ERROR_PARSE, "2: option group “(-d 1)”" },
  { "two-groups", "lab00 (-d 1) (-d 2)\n", DECK_ERROR_PARSE, "1: option group “(-d 2)”" },
  { "text-after-group", "lab00(-d 1)x\n", DECK_ERROR_PARSE, "1: unexpected text after" },
  { "include-no-name", "#include\n", DECK_ERROR_PARSE, "1: #include needs a group name" },
  { "include-two-names", "#include a b\n", DECK_ERROR_PARSE, "1: #include takes" },
  { "include-path", "#include ../etc/passwd\n", DECK_ERROR_PARSE, "1: #include takes" },
  { "bad-host", "lab00\na;b\n", DECK_ERROR_INVALID_VALUE, "2: invalid host name “a;b”" },
  { "bad-user", "-l@lab00\n", DECK_ERROR_INVALID_VALUE, "1: target “-l@lab00”" },
  { "option-looking-host", "lab00 -oProxyCommand=x\n", DECK_ERROR_INVALID_VALUE,
    "1: invalid host name “-oProxyCommand=x”" },
};

static void
test_group_bad_line (gconstpointer data)
{
  const BadLineCase *c = data;
  g_autofree char *dir = make_tmp_dir ();
  const char *path[] = { dir, NULL };
  const char *words[] = { "lab09", "bad", NULL };
  g_autofree char *file = g_build_filename (dir, "bad", NULL);
  g_autofree char *part = g_strdup_printf ("%s:%s", file, c->part);

  write_file (dir, "bad", c->contents);
  assert_parse_error (words, path, c->code, part);
  assert_load_error (file, path, DECK_ERROR, c->code, part);

  rm_rf (dir);
}

/* First match in the groups path wins; CTYS_GROUPS_PATH, else $HOME/.ctys/groups and
 * <pkgdatadir>/groups. */
static void
test_groups_path (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *first = g_build_filename (dir, "first", NULL);
  g_autofree char *second = g_build_filename (dir, "second", NULL);
  g_autofree char *home = g_build_filename (dir, "home", NULL);
  g_autofree char *home_groups = g_build_filename (home, ".ctys", "groups", NULL);
  g_autofree char *env = g_strdup_printf ("%s::%s", first, second);
  g_autofree char *found = NULL;
  g_autofree char *expected = g_build_filename (first, "g", NULL);
  const char *words[] = { "g", "only2", NULL };
  const char *home_words[] = { "mine", NULL };
  g_autofree char *saved_home = g_strdup (g_getenv ("HOME"));
  g_autofree char *saved_env = g_strdup (g_getenv ("CTYS_GROUPS_PATH"));
  g_auto(GStrv) from_env = NULL;
  g_auto(GStrv) from_home = NULL;
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GPtrArray) home_targets = NULL;

  g_assert_cmpint (g_mkdir_with_parents (first, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (second, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (home_groups, 0700), ==, 0);
  write_file (first, "g", "from-first\n");
  write_file (second, "g", "from-second\n");
  write_file (second, "only2", "only-second\n");
  write_file (home_groups, "mine", "my-host\n");

  g_setenv ("CTYS_GROUPS_PATH", env, TRUE);
  from_env = deck_targets_default_groups_path ();
  g_assert_cmpuint (g_strv_length (from_env), ==, 2);  /* the empty element is dropped */
  g_assert_cmpstr (from_env[0], ==, first);
  g_assert_cmpstr (from_env[1], ==, second);

  found = deck_targets_find_group (NULL, "g");
  g_assert_cmpstr (found, ==, expected);

  targets = parse_ok (words, NULL, FALSE);
  g_assert_cmpuint (targets->len, ==, 2);
  assert_target (targets, 0, NULL, "from-first", "", "g");
  assert_target (targets, 1, NULL, "only-second", "", "only2");

  g_unsetenv ("CTYS_GROUPS_PATH");
  g_setenv ("HOME", home, TRUE);
  from_home = deck_targets_default_groups_path ();
  g_assert_cmpuint (g_strv_length (from_home), ==, 2);
  g_assert_cmpstr (from_home[0], ==, home_groups);
  g_assert_cmpstr (from_home[1], ==, DECK_PKGDATADIR "/groups");
  home_targets = parse_ok (home_words, NULL, FALSE);
  g_assert_cmpuint (home_targets->len, ==, 1);
  assert_target (home_targets, 0, NULL, "my-host", "", "mine");

  if (saved_home != NULL)
    g_setenv ("HOME", saved_home, TRUE);
  if (saved_env != NULL)
    g_setenv ("CTYS_GROUPS_PATH", saved_env, TRUE);
  rm_rf (dir);
}

/* Names with '/' or a leading '.', and anything but a regular file, are never groups. */
static void
test_find_group_rules (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *dirgroup = g_build_filename (dir, "dirgroup", NULL);
  const char *path[] = { "", dir, NULL };
  g_autofree char *plain = NULL;
  const char *names[] = { "sub/g", ".hidden", "..", "", "dirgroup", "nosuch" };

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (dirgroup, 0700), ==, 0);
  write_file (sub, "g", "x\n");
  write_file (dir, ".hidden", "x\n");
  write_file (dir, "plain", "x\n");

  plain = deck_targets_find_group (path, "plain");
  g_assert_nonnull (plain);
  g_assert_true (g_str_has_suffix (plain, "/plain"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *found = deck_targets_find_group (path, names[i]);

      g_test_message ("name “%s”", names[i]);
      g_assert_null (found);
    }

  rm_rf (dir);
}

/* --- saving ----------------------------------------------------------------------- */

static GPtrArray *
sample_targets (void)
{
  GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_target_free);
  const char *opts1[] = { "-Z", "KSU", "-a", "create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:none", NULL };
  const char *opts2[] = { "-c", "a b  c", "-x", "it's \"quoted\"", "", NULL };
  const char *opts3[] = { "(x)", "#not-a-comment", "$HOME", "a\\b", "tab\there", NULL };

  g_ptr_array_add (targets, deck_target_new (NULL, "lab00", opts1));
  g_ptr_array_add (targets, deck_target_new ("root", "lab01", opts2));
  g_ptr_array_add (targets, deck_target_new ("acue", "fe80::1%eth0", opts3));
  g_ptr_array_add (targets, deck_target_new (NULL, "ws2.soho", NULL));
  return targets;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_save_round_trip (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *file = g_build_filename (dir, "saved", NULL);
  g_autofree char *old_link = g_build_filename (dir, "old-link", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *old_contents = NULL;
  g_autoptr(GPtrArray) targets = sample_targets ();
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) shorter = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (deck_targets_save_group (file, targets, "saved by vmdeck\nsecond line", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  g_file_get_contents (file, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "# saved by vmdeck\n# second line\nlab00(-Z KSU -a "));

  loaded = deck_targets_load_group (file, no_groups, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, targets->len);
  for (guint i = 0; i < targets->len; i++)
    {
      g_autofree char *line = deck_target_to_string (targets->pdata[i]);

      g_test_message ("line %s", line);
      g_assert_true (deck_target_equal (loaded->pdata[i], targets->pdata[i]));
      g_assert_cmpstr (((DeckTarget *) loaded->pdata[i])->group, ==, "saved");
    }

  /* Saving again replaces the file (rename): a hard link to the old one keeps the old
   * contents, and no temporary file is left. */
  g_assert_cmpint (link (file, old_link), ==, 0);
  shorter = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_target_free);
  g_ptr_array_add (shorter, deck_target_copy (targets->pdata[3]));
  g_assert_true (deck_targets_save_group (file, shorter, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (dir), ==, 2);

  g_clear_pointer (&contents, g_free);
  g_file_get_contents (file, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "ws2.soho\n");
  g_file_get_contents (old_link, &old_contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (old_contents, "# saved by vmdeck\n"));

  rm_rf (dir);
}

/* Nothing is written that would read back differently; the old file stays. */
static void
test_save_refused (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *file = g_build_filename (dir, "saved", NULL);
  g_autofree char *contents = NULL;
  const char *newline_opts[] = { "-c", "a\nb", NULL };
  const char * const bad[][2] = {
    { NULL, "a;b" }, { NULL, "-oProxyCommand=x" }, { "-l", "lab00" }, { NULL, "" },
  };
  g_autoptr(GError) error = NULL;

  write_file (dir, "saved", "old\n");

  for (guint i = 0; i <= G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_target_free);

      g_ptr_array_add (targets, deck_target_new (NULL, "lab00", NULL));
      if (i < G_N_ELEMENTS (bad))
        g_ptr_array_add (targets, deck_target_new (bad[i][0], bad[i][1], NULL));
      else
        g_ptr_array_add (targets, deck_target_new (NULL, "lab01", newline_opts));

      g_assert_false (deck_targets_save_group (file, targets, NULL, &error));
      g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
      g_clear_error (&error);
    }

  g_file_get_contents (file, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "old\n");
  g_assert_cmpuint (count_entries (dir), ==, 1);

  rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deck/targets/ac21-default-group", test_ac21_default_group);
  g_test_add_func ("/deck/targets/default-group-forms", test_default_group_forms);
  g_test_add_func ("/deck/targets/ac22-blank-before-group", test_ac22_blank_before_group);
  g_test_add_func ("/deck/targets/ac23-user", test_ac23_user);
  g_test_add_func ("/deck/targets/ac19-same-host-two-jobs", test_ac19_same_host_two_jobs);
  g_test_add_func ("/deck/targets/duplicates", test_duplicates);
  g_test_add_func ("/deck/targets/group-quoting", test_group_quoting);
  g_test_add_func ("/deck/targets/ipv6", test_ipv6);
  g_test_add_func ("/deck/targets/empty-list", test_empty_list);
  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/targets/usage/%s", usage_cases[i].name);
      g_test_add_data_func (path, &usage_cases[i], test_usage_error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/targets/hostile/%u", i);
      g_test_add_data_func (path, &hostile_cases[i], test_hostile_name);
    }
  g_test_add_func ("/deck/targets/hostile-not-run", test_hostile_not_run);
  g_test_add_func ("/deck/targets/check-names", test_check_names);
  g_test_add_func ("/deck/targets/to-string", test_to_string);
  g_test_add_func ("/deck/targets/copy-equal", test_copy_equal);
  g_test_add_func ("/deck/targets/group/file", test_group_file);
  g_test_add_func ("/deck/targets/group/options-precedence", test_group_options_precedence);
  g_test_add_func ("/deck/targets/group/duplicates", test_group_duplicates);
  g_test_add_func ("/deck/targets/group/cycle", test_group_cycle);
  g_test_add_func ("/deck/targets/group/include-missing", test_group_include_missing);
  for (guint i = 0; i < G_N_ELEMENTS (bad_line_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/targets/group/bad-line/%s",
                                               bad_line_cases[i].name);
      g_test_add_data_func (path, &bad_line_cases[i], test_group_bad_line);
    }
  g_test_add_func ("/deck/targets/group/path", test_groups_path);
  g_test_add_func ("/deck/targets/group/find-rules", test_find_group_rules);
  g_test_add_func ("/deck/targets/save/round-trip", test_save_round_trip);
  g_test_add_func ("/deck/targets/save/refused", test_save_refused);

  return g_test_run ();
}
