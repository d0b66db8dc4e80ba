/* test-macros.c: macro files and macro expansion (spec §7.1, AC-91)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "deck-config.h"
#include "deck-error.h"
#include "deck-fields.h"
#include "deck-macros.h"
#include "deck-table.h"

/* Macros searching only tests/data/macros/<dir>. */
static DeckMacros *
macros_for (const char *dir)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "macros", dir, NULL);
  const char *search[] = { path, NULL };

  return deck_macros_new (search);
}

static char *
data_file (const char *dir,
           const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "macros", dir, name, NULL);
}

/* The shipped macro file's directory, data/macros in the source tree. */
static DeckMacros *
shipped_macros (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "macros", NULL);
  const char *search[] = { path, NULL };

  return deck_macros_new (search);
}

/* ---- expansion ------------------------------------------------------------------------- */

typedef struct {
  const char *text;
  const char *expected;
} ExpandCase;

static const ExpandCase expand_cases[] = {
  /* AC-91: the macro is its text */
  { "macro:MYTAB", "tab_gen:3_label_10%%2_stype_8" },
  { "{macro:MYTAB}", "tab_gen:3_label_10%%2_stype_8" },
  { "-a list=macro:MYTAB,title", "-a list=tab_gen:3_label_10%%2_stype_8,title" },
  { "MACRO:MYTAB", "tab_gen:3_label_10%%2_stype_8" },
  /* AC-91: an optional undefined macro is nothing */
  { "macro:NOPE%optional", "" },
  { "macro:NOPE%OPTIONAL", "" },
  { "a,macro:NOPE%optional,b", "a,,b" },
  { "{macro:NOPE%optional}", "" },
  { "macro:OPT", "xy" },
  /* where names end; "%%" after a name is not a suffix */
  { "macro:A%%macro:B", "textA%%textB" },
  { "macro:A,macro:B", "textA,textB" },
  { "x{macro:A}y", "xtextAy" },
  { "macro:A%echo", "textA" },
  { "macro:A%optional%x", "textA%x" },
  /* name characters after the keyword: not a suffix, the text is kept */
  { "macro:A%optionalx", "textA%optionalx" },
  /* not references */
  { "mymacro:A", "mymacro:A" },
  { "plain text, no macros", "plain text, no macros" },
  { "{x} {macro} macro", "{x} {macro} macro" },
  { "", "" },
  /* file format */
  { "macro:B", "textB" },
  { "macro:SPACED", "text with  inner blanks" },
  { "macro:EQ", "a=b = c" },
  { "[macro:EMPTY]", "[]" },
  { "macro:Case macro:case", "upper lower" },
  { "macro:CONT", "one%%two%%three" },
  { "macro:CONTBLANK", "one two" },
  { "macro:LAST", "end-without-newline" },
  /* recursion */
  { "macro:NEST1", "[<textA|textB>]" },
  { "macro:LISTCMD", "-a list=tab_gen:3_label_10%%2_stype_8,titleidx" },
  /* another macro file of the search path */
  { "{macro:A%extra}", "textA-from-extra" },
  { "{macro:ONLYEXTRA%extra}", "only in extra" },
  { "{macro:NOPE%extra%optional}", "" },
  { "{macro:NOPE%optional%nosuchfile}", "" },
};

static void
test_expand (void)
{
  g_autoptr(DeckMacros) macros = macros_for ("basic");

  for (guint i = 0; i < G_N_ELEMENTS (expand_cases); i++)
    {
      const ExpandCase *c = &expand_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;

      g_test_message ("expand “%s”", c->text);
      got = deck_macros_expand (macros, c->text, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (got, ==, c->expected);
    }

  /* "default" was loaded on first use, nothing else was merged in */
  g_assert_cmpstr (deck_macros_lookup (macros, "MYTAB"), ==, "tab_gen:3_label_10%%2_stype_8");
  g_assert_null (deck_macros_lookup (macros, "ONLYEXTRA"));
  g_assert_null (deck_macros_lookup (macros, "mytab"));
  g_assert_finalize_object (g_steal_pointer (&macros));
}

typedef struct {
  const char *dir;
  const char *text;
  int         code;
  const char *in_message[3];
} ExpandErrorCase;

static const ExpandErrorCase expand_error_cases[] = {
  /* AC-91 */
  { "basic", "macro:NOPE", DECK_ERROR_NOT_FOUND, { "“NOPE”", "%optional" } },
  { "basic", "list=x,{macro:NOPE},y", DECK_ERROR_NOT_FOUND, { "“NOPE”" } },
  { "basic", "macro:mytab", DECK_ERROR_NOT_FOUND, { "“mytab”" } },
  { "basic", "{macro:ONLYEXTRA}", DECK_ERROR_NOT_FOUND, { "ONLYEXTRA" } },
  { "basic", "{macro:NOPE%extra}", DECK_ERROR_NOT_FOUND, { "NOPE", "extra" } },
  { "basic", "{macro:A%nosuchfile}", DECK_ERROR_NOT_FOUND, { "nosuchfile" } },
  { "basic", "{macro:A%../basic/extra}", DECK_ERROR_USAGE, { "../basic/extra" } },
  { "basic", "macro:", DECK_ERROR_USAGE, { "macro name" } },
  { "basic", "x macro:%optional", DECK_ERROR_USAGE, { "macro name" } },
  { "basic", "{macro:A", DECK_ERROR_USAGE, { "‘}’" } },
  { "basic", "{macro:}", DECK_ERROR_USAGE, { "macro name" } },
  { "basic", "{macro:A B}", DECK_ERROR_USAGE, { "macro name" } },
  { "basic", "macro:A%eval", DECK_ERROR_UNSUPPORTED, { "eval" } },
  /* recursion limit: the chain is named */
  { "recursion", "macro:SELF", DECK_ERROR_USAGE,
    { "15", "SELF -> SELF -> SELF" } },
  { "recursion", "macro:PING", DECK_ERROR_USAGE, { "PING -> PONG -> PING" } },
  { "recursion", "macro:R1", DECK_ERROR_USAGE,
    { "R1 -> R2 -> R3 -> R4 -> R5 -> R6 -> R7 -> R8 -> R9 -> R10 -> R11 -> R12 -> R13 -> R14 "
      "-> R15 -> R16" } },
  { "recursion", "macro:E1", DECK_ERROR_USAGE, { "more than" } },
  /* lazily loaded "default" is empty, or missing */
  { "empty", "macro:X", DECK_ERROR_NOT_FOUND, { "“X”" } },
  { "no-such-dir", "macro:X", DECK_ERROR_NOT_FOUND, { "no macro file loaded" } },
  /* a broken default file is reported, not taken as "undefined" */
  { "dup", "macro:MYTAB", DECK_ERROR_PARSE, { "MYTAB" } },
};

static void
test_expand_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (expand_error_cases); i++)
    {
      const ExpandErrorCase *c = &expand_error_cases[i];
      g_autoptr(DeckMacros) macros = macros_for (c->dir);
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;

      g_test_message ("%s: expand “%s”", c->dir, c->text);
      got = deck_macros_expand (macros, c->text, &error);
      g_assert_null (got);
      g_assert_error (error, DECK_ERROR, c->code);
      for (guint j = 0; j < G_N_ELEMENTS (c->in_message) && c->in_message[j]; j++)
        {
          if (strstr (error->message, c->in_message[j]) == NULL)
            g_error ("message “%s” lacks “%s”", error->message, c->in_message[j]);
        }
      g_assert_finalize_object (g_steal_pointer (&macros));
    }
}

/* Exactly DECK_MACROS_MAX_DEPTH nested macros are fine; one more is not (see above). */
static void
test_depth_limit (void)
{
  g_autoptr(DeckMacros) macros = macros_for ("recursion");
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  g_assert_cmpint (DECK_MACROS_MAX_DEPTH, ==, 15);
  /* R2 -> ... -> R16 is 15 levels */
  got = deck_macros_expand (macros, "<macro:R2>", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, "<bottom>");

  g_clear_pointer (&got, g_free);
  got = deck_macros_expand (macros, "macro:R1", &error);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  g_assert_null (got);
}

/* ---- loading --------------------------------------------------------------------------- */

/* AC-91: two definitions of one name are an error naming both places. */
static void
test_duplicate_in_file (void)
{
  g_autoptr(DeckMacros) macros = macros_for ("dup");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = data_file ("dup", "default");
  g_autofree char *second = g_strdup_printf ("%s:5:", path);
  g_autofree char *first = g_strdup_printf ("first at %s:1)", path);

  g_assert_false (deck_macros_load (macros, "default", &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, second));
  g_assert_nonnull (strstr (error->message, first));
  g_assert_nonnull (strstr (error->message, "“MYTAB”"));
  /* nothing of the broken file was taken */
  g_assert_null (deck_macros_lookup (macros, "OTHER"));
}

static void
test_duplicate_across_files (void)
{
  g_autoptr(DeckMacros) macros = macros_for ("dup2");
  g_autoptr(GError) error = NULL;
  g_autofree char *def_path = data_file ("dup2", "default");
  g_autofree char *other_path = data_file ("dup2", "other");
  g_autofree char *first = NULL;

  g_assert_true (deck_macros_load (macros, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (deck_macros_lookup (macros, "SHARED"), ==, "from default");

  g_assert_false (deck_macros_load_file (macros, other_path, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, other_path));
  g_assert_nonnull (strstr (error->message, ":3:"));
  first = g_strdup_printf ("%s:1", def_path);
  g_assert_nonnull (strstr (error->message, first));
  /* all or nothing: O1 of the refused file is not defined, SHARED keeps its value */
  g_assert_null (deck_macros_lookup (macros, "O1"));
  g_assert_cmpstr (deck_macros_lookup (macros, "SHARED"), ==, "from default");
  g_assert_cmpstr (deck_macros_lookup (macros, "D1"), ==, "d1");
}

/* Loading a file again (by name or path) is not a second definition. */
static void
test_load_once (void)
{
  g_autoptr(DeckMacros) macros = macros_for ("basic");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = data_file ("basic", "default");

  g_assert_true (deck_macros_load (macros, "default", &error));
  g_assert_true (deck_macros_load (macros, "default", &error));
  g_assert_true (deck_macros_load_file (macros, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (deck_macros_lookup (macros, "A"), ==, "textA");

  /* a second file with other names adds them */
  g_assert_true (deck_macros_load (macros, "crlf", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (deck_macros_lookup (macros, "CRLF"), ==, "dos line");
  g_assert_cmpstr (deck_macros_lookup (macros, "AFTERCRLF"), ==, "fine");
  g_assert_finalize_object (g_steal_pointer (&macros));
}

typedef struct {
  const char *dir;
  const char *name;
  int         code;
  const char *in_message;
  guint       line;  /* 0: no position expected */
} LoadErrorCase;

static const LoadErrorCase load_error_cases[] = {
  { "bad-noeq", "default", DECK_ERROR_PARSE, "no ‘=’", 2 },
  { "bad-name", "default", DECK_ERROR_PARSE, "“MY TAB”", 3 },
  /* a definition continued over lines is reported where it starts */
  { "bad-cont", "default", DECK_ERROR_PARSE, "“BAD NAME”", 5 },
  { "basic", "nosuchfile", DECK_ERROR_NOT_FOUND, "nosuchfile", 0 },
  { "basic", "../basic/default", DECK_ERROR_USAGE, "not a macro file name", 0 },
  { "basic", "", DECK_ERROR_USAGE, "not a macro file name", 0 },
  { "basic", "..", DECK_ERROR_USAGE, "not a macro file name", 0 },
};

static void
test_load_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (load_error_cases); i++)
    {
      const LoadErrorCase *c = &load_error_cases[i];
      g_autoptr(DeckMacros) macros = macros_for (c->dir);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s/%s", c->dir, c->name);
      g_assert_false (deck_macros_load (macros, c->name, &error));
      g_assert_error (error, DECK_ERROR, c->code);
      g_assert_nonnull (strstr (error->message, c->in_message));
      if (c->line > 0)
        {
          g_autofree char *path = data_file (c->dir, c->name);
          g_autofree char *pos = g_strdup_printf ("%s:%u: ", path, c->line);

          g_assert_true (g_str_has_prefix (error->message, pos));
        }
      /* the good definitions before the error were not taken either */
      g_assert_null (deck_macros_lookup (macros, "GOOD"));
      g_assert_finalize_object (g_steal_pointer (&macros));
    }
}

static void
test_load_file_errors (void)
{
  g_autoptr(DeckMacros) macros = macros_for ("basic");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-macros-XXXXXX", &error);
  g_autofree char *missing = NULL;
  g_autofree char *binary = NULL;
  g_autofree char *latin1 = NULL;

  g_assert_no_error (error);
  missing = g_build_filename (dir, "missing", NULL);
  g_assert_false (deck_macros_load_file (macros, missing, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  binary = g_build_filename (dir, "binary", NULL);
  g_assert_true (g_file_set_contents (binary, "A = x\0y\n", 8, NULL));
  g_assert_false (deck_macros_load_file (macros, binary, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_clear_error (&error);

  latin1 = g_build_filename (dir, "latin1", NULL);
  g_assert_true (g_file_set_contents (latin1, "A = ok\nB = Gr\xfc\xdf" "e\n", -1, NULL));
  g_assert_false (deck_macros_load_file (macros, latin1, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, ":2:"));
  g_clear_error (&error);

  g_assert_cmpint (g_remove (binary), ==, 0);
  g_assert_cmpint (g_remove (latin1), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---- search path ----------------------------------------------------------------------- */

static void
test_search_path (void)
{
  g_autofree char *old_path = g_strdup (g_getenv ("CTYS_MACRO_PATH"));
  g_autofree char *old_home = g_strdup (g_getenv ("HOME"));
  g_autoptr(DeckMacros) macros = NULL;
  const char *explicit[] = { "/a", "/b", NULL };
  const char * const *path;

  macros = deck_macros_new (explicit);
  path = deck_macros_get_search_path (macros);
  g_assert_cmpstrv (path, explicit);
  g_assert_finalize_object (g_steal_pointer (&macros));

  /* CTYS_MACRO_PATH wins; empty entries are skipped */
  g_setenv ("CTYS_MACRO_PATH", "/x/macros::/y/macros:", TRUE);
  macros = deck_macros_new (NULL);
  {
    const char *expected[] = { "/x/macros", "/y/macros", NULL };

    g_assert_cmpstrv (deck_macros_get_search_path (macros), expected);
  }
  g_assert_finalize_object (g_steal_pointer (&macros));

  /* else $HOME, the installed data, the source tree */
  g_unsetenv ("CTYS_MACRO_PATH");
  g_setenv ("HOME", "/home/tester", TRUE);
  macros = deck_macros_new (NULL);
  {
    const char *expected[] = {
      "/home/tester/.ctys/macros", DECK_PKGDATADIR "/macros", DECK_SOURCE_DATADIR "/macros",
      NULL
    };

    g_assert_cmpstrv (deck_macros_get_search_path (macros), expected);
  }
  g_assert_finalize_object (g_steal_pointer (&macros));

  /* first match wins */
  {
    g_autofree char *basic = g_test_build_filename (G_TEST_DIST, "data", "macros", "basic", NULL);
    g_autofree char *dup2 = g_test_build_filename (G_TEST_DIST, "data", "macros", "dup2", NULL);
    const char *search[] = { "/nonexistent", dup2, basic, NULL };
    g_autoptr(GError) error = NULL;

    macros = deck_macros_new (search);
    g_assert_true (deck_macros_load (macros, "default", &error));
    g_assert_no_error (error);
    g_assert_cmpstr (deck_macros_lookup (macros, "SHARED"), ==, "from default");
    g_assert_null (deck_macros_lookup (macros, "MYTAB"));
    /* "extra" is only in the third directory */
    g_assert_true (deck_macros_load (macros, "extra", &error));
    g_assert_cmpstr (deck_macros_lookup (macros, "ONLYEXTRA"), ==, "only in extra");
    g_assert_finalize_object (g_steal_pointer (&macros));
  }

  if (old_path != NULL)
    g_setenv ("CTYS_MACRO_PATH", old_path, TRUE);
  if (old_home != NULL)
    g_setenv ("HOME", old_home, TRUE);
  else
    g_unsetenv ("HOME");
}

/* ---- the shipped default file ---------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *text;
} AtomCase;

/* spec §7.1's table of shipped atoms */
static const AtomCase atom_cases[] = {
  { "F_PM", "1_PM_15" }, { "F_STYPE", "2_stype_8" }, { "F_LABEL", "3_label_10" },
  { "F_ID", "4_ID_25_L" }, { "F_UUID", "5_UUID_32" }, { "F_MAC", "6_MAC_18" },
  { "F_TCP", "7_TCP_15" }, { "F_DISP", "8_DISP_4" }, { "F_CPORT", "9_cport_5_L" },
  { "F_SPORT", "10_sport_5_L" },
  { "F_L_PID", "11_pid_5" }, { "F_L_UID", "12_uid_8" }, { "F_L_GID", "13_gid_8" },
  { "F_L_CST", "14_cst_1" }, { "F_L_JOBID", "15_jobid_30" }, { "F_L_IFNAME", "16_ifn_4" },
  { "F_L_ACCELERATOR", "21_accel_5" },
  { "F_VMSTATE", "19_VMstate_9" }, { "F_IFNAME", "33_if_7" }, { "F_VRAM", "40_VRAM_13" },
  { "F_VCPU", "41_VCPU_5" },
};

/* ENUMERATE atoms for fields 11..45, in field order */
static const char *enum_atoms[] = {
  "F_VNCBASE", "F_DIST", "F_DISTREL", "F_OS", "F_OSREL", "F_VERNO", "F_SERNO", "F_CATEGORY",
  "F_VMSTATE", "F_HYPERREL", "F_STACKCAP", "F_STACKREQ", "F_HWCAP", "F_HWREQ", "F_EXECLOC",
  "F_RELOCCAP", "F_SSHPORT", "F_NETNAME", "F_HYRREL", "F_ACCEL", "F_EXEP", "F_INDEX",
  "F_IFNAME", "F_CTYSREL", "F_NETMASK", "F_GATEWAY", "F_RELAY", "F_ARCH", "F_PLATFORM",
  "F_VRAM", "F_VCPU", "F_CSTRG", "F_USTRG", "F_UID", "F_GID",
};

static void
test_shipped_atoms (void)
{
  g_autoptr(DeckMacros) macros = shipped_macros ();
  g_autoptr(GError) error = NULL;

  g_assert_true (deck_macros_load (macros, "default", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (atom_cases); i++)
    g_assert_cmpstr (deck_macros_lookup (macros, atom_cases[i].name), ==, atom_cases[i].text);

  G_STATIC_ASSERT (G_N_ELEMENTS (enum_atoms) == 45 - 11 + 1);
  for (guint i = 0; i < G_N_ELEMENTS (enum_atoms); i++)
    {
      const char *text = deck_macros_lookup (macros, enum_atoms[i]);
      g_autoptr(DeckTableSpec) spec = NULL;

      g_test_message ("%s = %s", enum_atoms[i], text);
      g_assert_nonnull (text);
      spec = deck_table_spec_parse (text, DECK_FIELDS_ENUMERATE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (deck_table_spec_get_n_columns (spec), ==, 1);
      g_assert_cmpuint (deck_table_spec_get_column (spec, 0)->index, ==, 11 + i);
    }
  g_assert_finalize_object (g_steal_pointer (&macros));
}

typedef struct {
  const char     *name;
  DeckFieldSpace  space;
  const char     *titles;  /* '|'-joined */
  const char     *indexes; /* ','-joined, NULL: not checked */
} TableMacroCase;

static const TableMacroCase table_macro_cases[] = {
  { "TAB_CTYS_VHOST_DEFAULT", DECK_FIELDS_ENUMERATE,
    "label|stype|accel|dist|distrel|os|osrel|PM|if|TCP", "3,2,30,12,13,14,15,1,33,7" },
  { "TAB_CPORT", DECK_FIELDS_LIST, "Label|stype|cport|PM|MAC|TCP", "3,2,9,1,6,7" },
  { "TAB_CPORT", DECK_FIELDS_ENUMERATE, "Label|stype|cport|PM|MAC|TCP", "3,2,9,1,6,7" },
  { "TAB_HYPER", DECK_FIELDS_ENUMERATE, NULL, NULL },
  { "TAB_STACKSTAT", DECK_FIELDS_ENUMERATE, NULL, NULL },
  { "TAB_HWSTAT", DECK_FIELDS_ENUMERATE, NULL, NULL },
  { "TAB_LST_CONNPID", DECK_FIELDS_LIST, NULL, NULL },
  { "TAB_ENUMLST_CONNECT", DECK_FIELDS_LIST, NULL, NULL },
  { "TAB_ENUMLST_CONNECT", DECK_FIELDS_ENUMERATE, NULL, NULL },
  { "TAB_ENUMLIST_INTERFACES", DECK_FIELDS_ENUMERATE, NULL, NULL },
  { "TAB_ENUMLIST_CONF", DECK_FIELDS_ENUMERATE, NULL, NULL },
  { "TAB_ENUMLIST_ID", DECK_FIELDS_ENUMERATE, NULL, NULL },
  { "TAB_LST_JOBS", DECK_FIELDS_LIST, NULL, NULL },
};

/* Every shipped table expands to a valid "tab_gen:" column list of its space. */
static void
test_shipped_tables (void)
{
  g_autoptr(DeckMacros) macros = shipped_macros ();

  for (guint i = 0; i < G_N_ELEMENTS (table_macro_cases); i++)
    {
      const TableMacroCase *c = &table_macro_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *ref = g_strdup_printf ("macro:%s", c->name);
      g_autofree char *text = deck_macros_expand (macros, ref, &error);
      g_autoptr(DeckTableSpec) spec = NULL;
      g_autoptr(GString) titles = g_string_new (NULL);
      g_autoptr(GString) indexes = g_string_new (NULL);

      g_test_message ("%s -> %s", c->name, text);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (text, "tab_gen:"));
      /* columns are "%%"-separated in macro text; no reference is left */
      g_assert_null (strstr (text, "macro:"));
      g_assert_null (strstr (text, " "));
      spec = deck_table_spec_parse (text + strlen ("tab_gen:"), c->space, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (deck_table_spec_get_n_columns (spec), >=, 3);
      for (guint j = 0; j < deck_table_spec_get_n_columns (spec); j++)
        {
          const DeckTableColumn *col = deck_table_spec_get_column (spec, j);

          g_string_append_printf (titles, "%s%s", j ? "|" : "", col->title);
          g_string_append_printf (indexes, "%s%u", j ? "," : "", col->index);
        }
      if (c->titles != NULL)
        g_assert_cmpstr (titles->str, ==, c->titles);
      if (c->indexes != NULL)
        g_assert_cmpstr (indexes->str, ==, c->indexes);
    }
}

static void
test_shipped_tab_cport (void)
{
  g_autoptr(DeckMacros) macros = shipped_macros ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = deck_macros_expand (macros, "-a list=macro:TAB_CPORT", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "-a list=tab_gen:3_Label_10%%2_stype_8%%9_cport_5%%1_PM_10%%6_MAC_17%%7_TCP_15");
  /* the unexpanded definition refers to the atom, as in the ctys manual */
  g_assert_cmpstr (deck_macros_lookup (macros, "TAB_CPORT"), ==,
                   "tab_gen:3_Label_10%%macro:F_STYPE%%9_cport_5%%1_PM_10%%6_MAC_17%%7_TCP_15");
}

int
main (int   argc,
      char *argv[])
{
  /* run directly (not by meson test): find tests/data in the source tree */
  if (g_getenv ("G_TEST_SRCDIR") == NULL)
    g_setenv ("G_TEST_SRCDIR", DECK_SOURCE_DATADIR "/../tests", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deck/macros/expand", test_expand);
  g_test_add_func ("/deck/macros/expand-errors", test_expand_errors);
  g_test_add_func ("/deck/macros/depth-limit", test_depth_limit);
  g_test_add_func ("/deck/macros/duplicate-in-file", test_duplicate_in_file);
  g_test_add_func ("/deck/macros/duplicate-across-files", test_duplicate_across_files);
  g_test_add_func ("/deck/macros/load-once", test_load_once);
  g_test_add_func ("/deck/macros/load-errors", test_load_errors);
  g_test_add_func ("/deck/macros/load-file-errors", test_load_file_errors);
  g_test_add_func ("/deck/macros/search-path", test_search_path);
  g_test_add_func ("/deck/macros/shipped-atoms", test_shipped_atoms);
  g_test_add_func ("/deck/macros/shipped-tables", test_shipped_tables);
  g_test_add_func ("/deck/macros/shipped-tab-cport", test_shipped_tab_cport);

  return g_test_run ();
}
