/* test-output.c: output selection and rendering for ENUMERATE, LIST and ctys-vhost
 *
 * Golden files live in tests/data/output/. Run with VMDECK_UPDATE_GOLDEN=1 to rewrite
 * them from the current output (then review the diff).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "deck-config.h"
#include "deck-error.h"
#include "deck-macros.h"
#include "deck-output.h"
#include "deck-suboptions.h"

/* ---- fixture (spec §12.0) -------------------------------------------------------------- */

/* LIST records of lab00 and ws2 (22 fields), in the order a scan might produce them. */
static const char *list_lines[] = {
  "lab00.soho;XEN;Domain-0;;;;;;;;0;-;-;SERVER;;;;;/usr/sbin/xm;xen-3.0.3;PARA;x86_64",
  "lab00.soho;XEN;tst100;/home/acue/xen/tst-ctys/tst100/tst100.conf;"
  "6842caf91e3e43249ed596b8b9f2c5c2;00:50:56:13:11:40;;0;5900;;3;;;SERVER;;;;;"
  "/usr/sbin/xm;xen-3.0.3;HVM;x86_64",
  "lab00.soho;XEN;tst101;/home/acue/xen/tst-ctys/tst101/tst101.conf;"
  "6842caf91e3e43249ed596b8b9f2c5c3;00:50:56:13:11:41;;2;5902;;4;;;SERVER;;;;;"
  "/usr/sbin/xm;xen-3.0.3;PARA;x86_64",
  "ws2.soho;VNC;tst100;;;;;;;;8812;acue;users;CLIENT;;;;;/usr/bin/vncviewer;;;x86_64",
  "ws2.soho;SSH(XEN);tst100;5950-5900;;;;;5950;5900;8790;acue;users;TUNNEL;;;;;;;;",
  "ws2.soho;PM;ws2;;;00:1D:60:A5:89:06;;;;;;;;SERVER;;;;;;;;x86_64",
};

static GPtrArray *
rows_from_lines (const char * const *lines,
                 guint               n_lines,
                 guint               n_fields)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; i < n_lines; i++)
    {
      char **fields = g_strsplit (lines[i], ";", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, n_fields);
      g_ptr_array_add (rows, fields);
    }
  return rows;
}

static GPtrArray *
list_rows (void)
{
  return rows_from_lines (list_lines, G_N_ELEMENTS (list_lines), DECK_LIST_N_FIELDS);
}

/* An ENUMERATE record (47 fields) of the fixture's V1..V3 on @host. */
static char **
enum_row (const char *host,
          guint       n)
{
  char **f = g_new0 (char *, DECK_RECORD_N_FIELDS + 1);

  for (guint i = 0; i < DECK_RECORD_N_FIELDS; i++)
    f[i] = g_strdup ("");
#define SET(idx, ...) (g_free (f[(idx) - 1]), f[(idx) - 1] = g_strdup_printf (__VA_ARGS__))
  SET (1, "%s", host);
  SET (2, "XEN");
  SET (3, "tst%u", n);
  SET (4, "/home/acue/xen/tst-ctys/tst%u/tst%u.conf", n, n);
  SET (5, "6842caf91e3e43249ed596b8b9f2c5c%u", 2 + n - 100);
  SET (6, "00:50:56:13:11:%u", 40 + n - 100);
  SET (7, "172.20.6.%u", n);
  SET (12, "CentOS");
  SET (13, "5.0");
  SET (14, "Linux");
  SET (15, "2.6");
  SET (18, "VM");
  SET (19, "ACTIVE");
  SET (30, "HVM");
  SET (33, "eth0");
  SET (40, "512");
  SET (41, "1");
  SET (44, "acue");
  SET (45, "users");
#undef SET
  return f;
}

static GPtrArray *
enum_rows (void)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_ptr_array_add (rows, enum_row ("ws2.soho", 101));
  g_ptr_array_add (rows, enum_row ("lab00.soho", 100));
  g_ptr_array_add (rows, enum_row ("ws2.soho", 100));
  g_ptr_array_add (rows, enum_row ("lab00.soho", 104));
  return rows;
}

/* ---- helpers --------------------------------------------------------------------------- */

static void
assert_golden (const char *name,
               const char *got)
{
  const char *path = g_test_get_filename (G_TEST_DIST, "data", "output", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  if (g_getenv ("VMDECK_UPDATE_GOLDEN") != NULL)
    {
      g_file_set_contents (path, got, -1, &error);
      g_assert_no_error (error);
    }
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, expected);
}

static char *
render_opts (DeckFieldSpace  space,
             const char     *opts,
             GPtrArray      *rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckOutputSpec) spec = deck_output_spec_parse (space, opts, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spec);
  return deck_output_render (spec, rows);
}

/* The rendering with the blanks around each '|'-separated cell removed. */
static char *
squeeze (const char *table)
{
  g_auto(GStrv) lines = g_strsplit (table, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], "|", -1);

      if (i > 0)
        g_string_append_c (out, '\n');
      for (guint j = 0; cells[j] != NULL; j++)
        g_string_append_printf (out, "%s%s", j ? "|" : "", g_strstrip (cells[j]));
    }
  return g_string_free (out, FALSE);
}

/* ---- field output ---------------------------------------------------------------------- */

/* AC-71: list=machine,titleidx */
static void
test_list_machine_titleidx (void)
{
  g_autoptr(GPtrArray) rows = list_rows ();
  g_autofree char *got = render_opts (DECK_FIELDS_LIST, "machine,titleidx", rows);
  g_auto(GStrv) lines = g_strsplit (got, "\n", -1);
  g_auto(GStrv) tst100 = NULL;

  g_assert_cmpstr (lines[0], ==,
                   "ContainingMachine(1);SessionType(2);Label(3);ID(4);UUID(5);MAC(6);TCP(7);"
                   "DISPLAY(8);ClientAccessPort(9);ServerAccessPort(10);PID(11);UID(12);"
                   "GUID(13);C/S-Type(14);JobID(15);IFNAME(16);RESERVED1(17);CONTEXTSTRG(18);"
                   "EXECPATH(19);HYPERRELRUN(20);ACCELERATOR(21);ARCH(22)");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + G_N_ELEMENTS (list_lines) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (list_lines); i++)
    g_assert_cmpstr (lines[i + 1], ==, list_lines[i]);

  tst100 = g_strsplit (lines[2], ";", -1);
  g_assert_cmpuint (g_strv_length (tst100), ==, 22);
  g_assert_cmpstr (tst100[0], ==, "lab00.soho");
  g_assert_cmpstr (tst100[1], ==, "XEN");
  g_assert_cmpstr (tst100[2], ==, "tst100");
  g_assert_cmpstr (tst100[3], ==, "/home/acue/xen/tst-ctys/tst100/tst100.conf");
  g_assert_cmpstr (tst100[5], ==, "00:50:56:13:11:40");
  g_assert_cmpstr (tst100[7], ==, "0");
  g_assert_cmpstr (tst100[8], ==, "5900");
  g_assert_cmpstr (tst100[10], ==, "3");
  g_assert_cmpstr (tst100[13], ==, "SERVER");
  g_assert_cmpstr (tst100[20], ==, "HVM");
}

/* AC-78's title line and the TITLEIDXASC letters up to AU-47. */
static void
test_enumerate_titles (void)
{
  g_autoptr(GPtrArray) rows = enum_rows ();
  g_autofree char *title = render_opts (DECK_FIELDS_ENUMERATE, "machine,title", rows);
  g_autofree char *asc = render_opts (DECK_FIELDS_ENUMERATE, "titleidxasc,machine", rows);
  g_auto(GStrv) title_lines = g_strsplit (title, "\n", -1);
  g_auto(GStrv) names = g_strsplit (title_lines[0], ";", -1);
  g_auto(GStrv) asc_lines = g_strsplit (asc, "\n", -1);
  g_auto(GStrv) asc_names = g_strsplit (asc_lines[0], ";", -1);

  g_assert_cmpuint (g_strv_length (names), ==, 47);
  g_assert_cmpstr (names[0], ==, "ContainingMachine");
  g_assert_cmpstr (names[29], ==, "Accellerator");
  g_assert_cmpstr (names[46], ==, "DefCONSOLE");
  g_assert_null (strchr (title_lines[0], '('));

  g_assert_cmpuint (g_strv_length (asc_names), ==, 47);
  g_assert_cmpstr (asc_names[0], ==, "ContainingMachine(A-1)");
  g_assert_cmpstr (asc_names[2], ==, "Label(C-3)");
  g_assert_cmpstr (asc_names[25], ==, "RelocationCapacity(Z-26)");
  g_assert_cmpstr (asc_names[26], ==, "SSHport(AA-27)");
  g_assert_cmpstr (asc_names[46], ==, "DefCONSOLE(AU-47)");

  /* records: 4 lines of 47 fields */
  g_assert_cmpuint (g_strv_length (title_lines), ==, 1 + 4 + 1);
  for (guint i = 1; i <= 4; i++)
    {
      g_auto(GStrv) f = g_strsplit (title_lines[i], ";", -1);

      g_assert_cmpuint (g_strv_length (f), ==, 47);
    }
  assert_golden ("enumerate-machine-title.txt", title);
}

typedef struct {
  DeckFieldSpace  space;
  const char     *opts;
  const char     *expected;
} FieldCase;

static const FieldCase field_cases[] = {
  /* canonical order whatever the order of the flags */
  { DECK_FIELDS_LIST, "label,pm,type",
    "lab00.soho;XEN;Domain-0\n"
    "lab00.soho;XEN;tst100\n"
    "lab00.soho;XEN;tst101\n"
    "ws2.soho;VNC;tst100\n"
    "ws2.soho;SSH(XEN);tst100\n"
    "ws2.soho;PM;ws2\n" },
  /* aliases; a field named twice is printed once */
  { DECK_FIELDS_LIST, "l,cport,L,host,site",
    "lab00.soho;Domain-0;;SERVER\n"
    "lab00.soho;tst100;5900;SERVER\n"
    "lab00.soho;tst101;5902;SERVER\n"
    "ws2.soho;tst100;;CLIENT\n"
    "ws2.soho;tst100;5950;TUNNEL\n"
    "ws2.soho;ws2;;SERVER\n" },
  { DECK_FIELDS_LIST, "label,title",
    "Label\n"
    "Domain-0\ntst100\ntst101\ntst100\ntst100\nws2\n" },
  { DECK_FIELDS_LIST, "titleidx,pid,label",
    "Label(3);PID(11)\n"
    "Domain-0;0\ntst100;3\ntst101;4\ntst100;8812\ntst100;8790\nws2;\n" },
  { DECK_FIELDS_LIST, "titleidxasc,arch,accel",
    "ACCELERATOR(U-21);ARCH(V-22)\n"
    "PARA;x86_64\nHVM;x86_64\nPARA;x86_64\n;x86_64\n;\n;x86_64\n" },
  /* MAXKEY: fields 1-7 */
  { DECK_FIELDS_LIST, "maxkey",
    "lab00.soho;XEN;Domain-0;;;;\n"
    "lab00.soho;XEN;tst100;/home/acue/xen/tst-ctys/tst100/tst100.conf;"
    "6842caf91e3e43249ed596b8b9f2c5c2;00:50:56:13:11:40;\n"
    "lab00.soho;XEN;tst101;/home/acue/xen/tst-ctys/tst101/tst101.conf;"
    "6842caf91e3e43249ed596b8b9f2c5c3;00:50:56:13:11:41;\n"
    "ws2.soho;VNC;tst100;;;;\n"
    "ws2.soho;SSH(XEN);tst100;5950-5900;;;\n"
    "ws2.soho;PM;ws2;;;00:1D:60:A5:89:06;\n" },
  /* NONE clears what came before it; nothing selected prints nothing */
  { DECK_FIELDS_LIST, "label,none", "" },
  { DECK_FIELDS_LIST, "label,none,title", "" },
  { DECK_FIELDS_LIST, "none,pid", "0\n3\n4\n8812\n8790\n\n" },
  /* IP and DNS keep the TCP field as it is */
  { DECK_FIELDS_LIST, "label,tcp,ip", "Domain-0;\ntst100;\ntst101;\ntst100;\ntst100;\nws2;\n" },
  { DECK_FIELDS_LIST, "dns,label,tcp", "Domain-0;\ntst100;\ntst101;\ntst100;\ntst100;\nws2;\n" },
  /* ENUMERATE keys */
  { DECK_FIELDS_ENUMERATE, "vram,VCPU,l,t,if,vstat",
    "tst101;172.20.6.101;ACTIVE;eth0;512;1\n"
    "tst100;172.20.6.100;ACTIVE;eth0;512;1\n"
    "tst100;172.20.6.100;ACTIVE;eth0;512;1\n"
    "tst104;172.20.6.104;ACTIVE;eth0;512;1\n" },
  { DECK_FIELDS_ENUMERATE, "title,dist,distrel,os,osrel",
    "Distro;Distrorel;OS;OSREL\n"
    "CentOS;5.0;Linux;2.6\nCentOS;5.0;Linux;2.6\nCentOS;5.0;Linux;2.6\nCentOS;5.0;Linux;2.6\n" },
};

static void
test_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
    {
      const FieldCase *c = &field_cases[i];
      g_autoptr(GPtrArray) rows = c->space == DECK_FIELDS_LIST ? list_rows () : enum_rows ();
      g_autofree char *got = NULL;

      g_test_message ("options %s", c->opts);
      got = render_opts (c->space, c->opts, rows);
      g_assert_cmpstr (got, ==, c->expected);
    }
}

/* ALL prints every field like MACHINE; neither is affected by the default fields. */
static void
test_all_and_machine (void)
{
  g_autoptr(GPtrArray) rows = list_rows ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckOutputSpec) all = deck_output_spec_parse (DECK_FIELDS_LIST, "all", &error);
  g_autoptr(DeckOutputSpec) machine = deck_output_spec_parse (DECK_FIELDS_LIST, "machine",
                                                              &error);
  const guint defaults[] = { 3 };
  g_autofree char *a = NULL;
  g_autofree char *m = NULL;

  g_assert_no_error (error);
  deck_output_spec_set_default_fields (all, defaults, 1);
  deck_output_spec_set_default_fields (machine, defaults, 1);
  g_assert_false (deck_output_spec_is_machine (all));
  g_assert_true (deck_output_spec_is_machine (machine));
  a = deck_output_render (all, rows);
  m = deck_output_render (machine, rows);
  g_assert_cmpstr (a, ==, m);
  g_assert_true (g_str_has_prefix (a, list_lines[0]));
}

/* ENUMERATE without field flags: label, type and ID in canonical order. */
static void
test_default_fields (void)
{
  g_autoptr(GPtrArray) rows = enum_rows ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckOutputSpec) spec = deck_output_spec_parse (DECK_FIELDS_ENUMERATE, "title",
                                                           &error);
  g_autoptr(DeckOutputSpec) chosen = deck_output_spec_parse (DECK_FIELDS_ENUMERATE, "uuid",
                                                             &error);
  const guint defaults[] = { DECK_FIELD_LABEL, DECK_FIELD_TYPE, DECK_FIELD_ID };
  g_autofree char *got = NULL;
  g_autofree char *got_chosen = NULL;
  g_autofree char *got_plain = NULL;
  g_autoptr(DeckOutputSpec) plain = deck_output_spec_new (DECK_FIELDS_ENUMERATE);

  g_assert_no_error (error);
  deck_output_spec_set_default_fields (spec, defaults, G_N_ELEMENTS (defaults));
  deck_output_spec_set_default_fields (chosen, defaults, G_N_ELEMENTS (defaults));
  got = deck_output_render (spec, rows);
  g_assert_cmpstr (got, ==,
                   "SessionType;Label;ID\n"
                   "XEN;tst101;/home/acue/xen/tst-ctys/tst101/tst101.conf\n"
                   "XEN;tst100;/home/acue/xen/tst-ctys/tst100/tst100.conf\n"
                   "XEN;tst100;/home/acue/xen/tst-ctys/tst100/tst100.conf\n"
                   "XEN;tst104;/home/acue/xen/tst-ctys/tst104/tst104.conf\n");

  /* a selection replaces the defaults */
  got_chosen = deck_output_render (chosen, rows);
  g_assert_cmpstr (got_chosen, ==,
                   "6842caf91e3e43249ed596b8b9f2c5c3\n6842caf91e3e43249ed596b8b9f2c5c2\n"
                   "6842caf91e3e43249ed596b8b9f2c5c2\n6842caf91e3e43249ed596b8b9f2c5c6\n");

  /* no defaults at all: every field */
  got_plain = deck_output_render (plain, rows);
  g_assert_cmpuint (strlen (got_plain), >, 0);
  {
    g_auto(GStrv) lines = g_strsplit (got_plain, "\n", -1);
    g_auto(GStrv) f = g_strsplit (lines[0], ";", -1);

    g_assert_cmpuint (g_strv_length (f), ==, 47);
  }
}

/* LIST without selection: the default table; a selection or a table replaces it. */
static void
test_default_table (void)
{
  g_autoptr(GPtrArray) rows = list_rows ();
  g_autoptr(GError) error = NULL;
  const char *table =
    "Label     |stype   \n"
    "----------+--------\n"
    "Domain-0  |XEN     \n"
    "tst100    |XEN     \n"
    "tst101    |XEN     \n"
    "tst100    |VNC     \n"
    "tst100    |SSH(XEN)\n"
    "ws2       |PM      \n";
  const char *cases[][2] = {
    { "", table },
    { "title", table },
    { "pid", "0\n3\n4\n8812\n8790\n\n" },
    { "tab:11_pid_4", "pid \n----\n0   \n3   \n4   \n8812\n8790\n    \n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DeckOutputSpec) spec = deck_output_spec_parse (DECK_FIELDS_LIST, cases[i][0],
                                                               &error);
      const guint defaults[] = { 1 };
      g_autofree char *got = NULL;

      g_test_message ("options “%s”", cases[i][0]);
      g_assert_no_error (error);
      deck_output_spec_set_default_fields (spec, defaults, 1);
      /* the text of a table macro is accepted as it is */
      g_assert_true (deck_output_spec_set_default_table (spec, "tab_gen:3_Label_10%%2_stype_8",
                                                         &error));
      g_assert_no_error (error);
      got = deck_output_render (spec, rows);
      g_assert_cmpstr (got, ==, cases[i][1]);
    }

  {
    g_autoptr(DeckOutputSpec) spec = deck_output_spec_new (DECK_FIELDS_LIST);

    g_assert_false (deck_output_spec_set_default_table (spec, "3_Label_x", &error));
    g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  }
}

/* ---- tables ---------------------------------------------------------------------------- */

static void
test_table_golden (void)
{
  const struct {
    DeckFieldSpace  space;
    const char     *opts;
    const char     *golden;
  } cases[] = {
    { DECK_FIELDS_LIST, "tab_gen:3_label_10%%2_stype_8%%9_cport_5%%14_cst_1%%4_ID_25_L",
      "list-tab.txt" },
    { DECK_FIELDS_LIST, "titleidx,tab_gen:3_label_10%%2_stype_8%%11_pid_5", "list-tab-titleidx.txt" },
    /* AC-77 */
    { DECK_FIELDS_LIST, "tab_gen:4_ID_20_B", "list-tab-break-ac77.txt" },
    { DECK_FIELDS_LIST, "tab_gen:3_label_8%%4_ID_20_B%%2_stype_8", "list-tab-break-columns.txt" },
    { DECK_FIELDS_ENUMERATE, "TAB:3_label_6%%40_VRAM_5%%41_VCPU_4%%7_ip_12_L,sort",
      "enumerate-tab-sorted.txt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) rows = cases[i].space == DECK_FIELDS_LIST ? list_rows () : enum_rows ();
      g_autofree char *got = render_opts (cases[i].space, cases[i].opts, rows);

      g_test_message ("options %s", cases[i].opts);
      assert_golden (cases[i].golden, got);
    }
}

/* AC-73: list=macro:TAB_CPORT with the shipped macros. */
static void
test_tab_cport_ac73 (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "data", "macros", NULL);
  const char *search[] = { dir, NULL };
  g_autoptr(DeckMacros) macros = deck_macros_new (search);
  g_autoptr(GPtrArray) rows = list_rows ();
  g_autoptr(GError) error = NULL;
  g_autofree char *opts = deck_macros_expand (macros, "macro:TAB_CPORT", &error);
  g_autofree char *got = NULL;
  g_autofree char *squeezed = NULL;

  g_assert_no_error (error);
  got = render_opts (DECK_FIELDS_LIST, opts, rows);
  squeezed = squeeze (got);
  g_assert_cmpstr (squeezed, ==,
                   "Label|stype|cport|PM|MAC|TCP\n"
                   "----------+--------+-----+----------+-----------------+---------------\n"
                   "Domain-0|XEN||lab00.soho||\n"
                   "tst100|XEN|5900|lab00.soho|00:50:56:13:11:40|\n"
                   "tst101|XEN|5902|lab00.soho|00:50:56:13:11:41|\n"
                   "tst100|VNC||ws2.soho||\n"
                   "tst100|SSH(XEN)|5950|ws2.soho||\n"
                   "ws2|PM||ws2.soho|00:1D:60:A5:89:06|\n"
                   "");
  g_assert_true (g_str_has_prefix (got, "Label     |stype   |cport|PM        |MAC              |"
                                        "TCP            \n"
                                        "----------+--------+-----+----------+-----------------+"
                                        "---------------\n"));
}

/* AC-91: list=macro:MYTAB is list=tab_gen:3_label_10%%2_stype_8. */
static void
test_macro_equals_expansion_ac91 (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "macros", "basic", NULL);
  const char *search[] = { dir, NULL };
  g_autoptr(DeckMacros) macros = deck_macros_new (search);
  g_autoptr(GPtrArray) rows = list_rows ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expanded = deck_macros_expand (macros, "macro:MYTAB,title", &error);
  g_autofree char *via_macro = NULL;
  g_autofree char *direct = NULL;

  g_assert_no_error (error);
  via_macro = render_opts (DECK_FIELDS_LIST, expanded, rows);
  direct = render_opts (DECK_FIELDS_LIST, "tab_gen:3_label_10%%2_stype_8,title", rows);
  g_assert_cmpstr (via_macro, ==, direct);
  g_assert_true (g_str_has_prefix (direct, "label     |stype   \n"));
}

/* TERSE drops the table header unless a TITLE flag asks for it. */
static void
test_terse_table (void)
{
  g_autoptr(GPtrArray) rows = list_rows ();
  g_autofree char *terse = render_opts (DECK_FIELDS_LIST, "terse,tab:3_l_8%%11_pid_4", rows);
  g_autofree char *titled = render_opts (DECK_FIELDS_LIST, "terse,tab:3_l_8%%11_pid_4,title",
                                         rows);

  g_assert_true (g_str_has_prefix (terse, "Domain-0|0   \ntst100  |3   \n"));
  g_assert_true (g_str_has_prefix (titled, "l       |pid \n--------+----\nDomain-0|0   \n"));
}

/* ---- sorting --------------------------------------------------------------------------- */

static const char *sort_lines[] = {
  "h2;XEN;beta;;;;;;;;1;;;SERVER;;;;;;;;",
  "h2;XEN;Zeta;;;;;;;;2;;;SERVER;;;;;;;;",
  "h1;XEN;alpha;;;;;;;;3;;;SERVER;;;;;;;;",
  "h1;XEN;\xc3\x84rger;;;;;;;;4;;;SERVER;;;;;;;;",
  "h1;XEN;alpha;;;;;;;;3;;;SERVER;;;;;;;;",
  "h2;XEN;beta;;;;;;;;0;;;SERVER;;;;;;;;",
  "h1;VNC;a|b;;;;;;;;5;;;CLIENT;;;;;;;;",
};

static const FieldCase sort_cases[] = {
  /* without SORT: input order */
  { DECK_FIELDS_LIST, "label,pid", "beta;1\nZeta;2\nalpha;3\nÄrger;4\nalpha;3\nbeta;0\na|b;5\n" },
  /* C locale: upper case before lower case, UTF-8 after ASCII */
  { DECK_FIELDS_LIST, "label,pid,sort",
    "Zeta;2\nalpha;3\nalpha;3\na|b;5\nbeta;0\nbeta;1\nÄrger;4\n" },
  { DECK_FIELDS_LIST, "label,pid,sort:all",
    "Zeta;2\nalpha;3\nalpha;3\na|b;5\nbeta;0\nbeta;1\nÄrger;4\n" },
  { DECK_FIELDS_LIST, "label,pid,sort:unique",
    "Zeta;2\nalpha;3\na|b;5\nbeta;0\nbeta;1\nÄrger;4\n" },
  { DECK_FIELDS_LIST, "label,pid,SORT:ALL%UNIQUE",
    "Zeta;2\nalpha;3\na|b;5\nbeta;0\nbeta;1\nÄrger;4\n" },
  /* by the second rendered column; equal keys by the whole line */
  { DECK_FIELDS_LIST, "label,pid,sort:2", "beta;0\nbeta;1\nZeta;2\nalpha;3\nalpha;3\nÄrger;4\na|b;5\n" },
  { DECK_FIELDS_LIST, "label,pid,sort:all%unique%2", "beta;0\nbeta;1\nZeta;2\nalpha;3\nÄrger;4\na|b;5\n" },
  { DECK_FIELDS_LIST, "label,pid,sort:%2", "beta;0\nbeta;1\nZeta;2\nalpha;3\nalpha;3\nÄrger;4\na|b;5\n" },
  /* EACH: runs of equal field 1 (h2, h1, h2) are sorted on their own */
  { DECK_FIELDS_LIST, "pm,label,sort:each",
    "h2;Zeta\nh2;beta\nh1;alpha\nh1;alpha\nh1;Ärger\nh2;beta\nh1;a|b\n" },
  { DECK_FIELDS_LIST, "pm,label,sort:each%unique",
    "h2;Zeta\nh2;beta\nh1;alpha\nh1;Ärger\nh2;beta\nh1;a|b\n" },
  /* a column beyond the rendered ones: whole-line order */
  { DECK_FIELDS_LIST, "label,sort:9", "Zeta\nalpha\nalpha\na|b\nbeta\nbeta\nÄrger\n" },
  /* the title stays on top */
  { DECK_FIELDS_LIST, "title,label,sort:unique", "Label\nZeta\nalpha\na|b\nbeta\nÄrger\n" },
  /* tables sort by '|' column, even when a value holds a '|' */
  { DECK_FIELDS_LIST, "tab_gen:3_l_5%%11_p_1,sort:2",
    "l    |p\n-----+-\nbeta |0\nbeta |1\nZeta |2\nalpha|3\nalpha|3\nÄrger|4\na|b  |5\n" },
  { DECK_FIELDS_LIST, "tab_gen:11_p_1%%3_l_5,sort:unique%2",
    "p|l    \n-+-----\n2|Zeta \n3|alpha\n5|a|b  \n0|beta \n1|beta \n4|Ärger\n" },
};

static void
test_sort (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (sort_cases); i++)
    {
      const FieldCase *c = &sort_cases[i];
      g_autoptr(GPtrArray) rows = rows_from_lines (sort_lines, G_N_ELEMENTS (sort_lines),
                                                   DECK_LIST_N_FIELDS);
      g_autofree char *got = NULL;

      g_test_message ("options %s", c->opts);
      got = render_opts (c->space, c->opts, rows);
      g_assert_cmpstr (got, ==, c->expected);
    }
}

/* ---- REC, SPEC, XML -------------------------------------------------------------------- */

static GPtrArray *
hostile_rows (void)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *labels[] = {
    "plain", "semi;colon", "back\\slash", "<tag attr=\"x\">&amp;</tag>", "new\nline\ttab",
    "%s%n%%", "pipe|pipe", "Grüße 日本", "bad\xff" "utf8",
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      char **f = g_new0 (char *, DECK_LIST_N_FIELDS + 1);

      for (guint j = 0; j < DECK_LIST_N_FIELDS; j++)
        f[j] = g_strdup ("");
      g_free (f[0]);
      f[0] = g_strdup ("host");
      g_free (f[2]);
      f[2] = g_strdup (labels[i]);
      g_free (f[10]);
      f[10] = g_strdup_printf ("%u", i);
      g_ptr_array_add (rows, f);
    }
  return rows;
}

static void
test_generators_golden (void)
{
  const char *cases[][2] = {
    { "rec_gen:3_Label_4%%11_pid_5", "list-rec.txt" },
    { "SPEC:3_Label_4%%11_pid_5", "list-spec.txt" },
    { "xml_gen:3_Label_4%%11_<pid>_5", "list-xml.txt" },
    { "tab_gen:3_Label_12_B%%11_pid_3", "list-tab-hostile.txt" },
    { "label,pid,title", "list-fields-hostile.txt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) rows = hostile_rows ();
      g_autofree char *got = render_opts (DECK_FIELDS_LIST, cases[i][0], rows);

      g_test_message ("options %s", cases[i][0]);
      g_assert_true (g_utf8_validate (got, -1, NULL));
      assert_golden (cases[i][1], got);
    }
}

typedef struct {
  guint    n_records;
  guint    n_fields;
  GString *text;
  gboolean in_field;
} XmlCount;

static void
xml_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  XmlCount *count = user_data;

  if (strcmp (element, "record") == 0)
    count->n_records++;
  else if (strcmp (element, "field") == 0)
    {
      count->n_fields++;
      count->in_field = TRUE;
      g_assert_cmpstr (names[0], ==, "idx");
      g_assert_cmpstr (names[1], ==, "name");
    }
}

static void
xml_end (GMarkupParseContext  *context,
         const char           *element,
         gpointer              user_data,
         GError              **error)
{
  XmlCount *count = user_data;

  if (strcmp (element, "field") == 0)
    {
      count->in_field = FALSE;
      g_string_append_c (count->text, '\n');
    }
}

static void
xml_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 len,
          gpointer              user_data,
          GError              **error)
{
  XmlCount *count = user_data;

  if (count->in_field)
    g_string_append_len (count->text, text, len);
}

/* The XML output is well-formed and gives back the (sanitized) values. */
static void
test_xml_well_formed (void)
{
  const GMarkupParser parser = { xml_start, xml_end, xml_text, NULL, NULL };
  g_autoptr(GPtrArray) rows = hostile_rows ();
  g_autofree char *got = render_opts (DECK_FIELDS_LIST, "xml:3_l_2,sort", rows);
  g_autoptr(GMarkupParseContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  XmlCount count = { 0, 0, g_string_new (NULL), FALSE };

  ctx = g_markup_parse_context_new (&parser, 0, &count, NULL);
  g_assert_true (g_markup_parse_context_parse (ctx, got, -1, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count.n_records, ==, rows->len);
  g_assert_cmpuint (count.n_fields, ==, rows->len);
  /* widths do not cut XML values */
  g_assert_nonnull (strstr (count.text->str, "\n<tag attr=\"x\">&amp;</tag>\n"));
  g_assert_nonnull (strstr (count.text->str, "\nnew?line?tab\n"));
  g_string_free (count.text, TRUE);

  /* no rows: still a document */
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();
    g_autofree char *empty = render_opts (DECK_FIELDS_LIST, "xml:3_l_2", none);

    g_assert_cmpstr (empty, ==, "<records>\n</records>\n");
  }
}

/* Every MACHINE line has exactly 22 fields, whatever the values hold. */
static void
test_machine_hostile (void)
{
  g_autoptr(GPtrArray) rows = hostile_rows ();
  g_autofree char *got = render_opts (DECK_FIELDS_LIST, "machine", rows);
  g_auto(GStrv) lines = g_strsplit (got, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, rows->len + 1);
  for (guint i = 0; i < rows->len; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ";", -1);

      g_assert_cmpuint (g_strv_length (f), ==, DECK_LIST_N_FIELDS);
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
    }
  g_assert_cmpstr (lines[1], ==, "host;;semi?colon;;;;;;;;1;;;;;;;;;;;");
}

static void
test_empty_rows (void)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *fields = render_opts (DECK_FIELDS_LIST, "label", none);
  g_autofree char *titled = render_opts (DECK_FIELDS_LIST, "label,title", none);
  g_autofree char *table = render_opts (DECK_FIELDS_LIST, "tab:3_l_3", none);
  g_autofree char *terse = render_opts (DECK_FIELDS_LIST, "terse,tab:3_l_3", none);
  g_autofree char *spec = render_opts (DECK_FIELDS_LIST, "spec:3_l_3", none);

  g_assert_cmpstr (fields, ==, "");
  g_assert_cmpstr (titled, ==, "Label\n");
  g_assert_cmpstr (table, ==, "l  \n---\n");
  g_assert_cmpstr (terse, ==, "");
  g_assert_cmpstr (spec, ==, "");
}

/* ---- suboptions ------------------------------------------------------------------------ */

typedef struct {
  DeckFieldSpace  space;
  const char     *opts;
  const char     *in_message;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { DECK_FIELDS_LIST, "tab_gen", "needs a column list" },
  { DECK_FIELDS_LIST, "tab_gen:", "needs a column list" },
  { DECK_FIELDS_LIST, "xml:", "needs a column list" },
  { DECK_FIELDS_LIST, "tab_gen:3_l_x", "width “x”" },
  { DECK_FIELDS_LIST, "tab_gen:30_l_3", "from 1 to 22" },
  { DECK_FIELDS_LIST, "tab_gen:3_l_10,rec_gen:3_l_10", "only one of" },
  { DECK_FIELDS_LIST, "tab:3_l_10,TAB:3_l_10", "only one of" },
  { DECK_FIELDS_LIST, "sort:foo", "“foo”" },
  { DECK_FIELDS_LIST, "sort:all%each", "ALL and EACH" },
  { DECK_FIELDS_LIST, "sort:1%2", "one sort column" },
  { DECK_FIELDS_LIST, "sort:0", "from 1" },
  { DECK_FIELDS_LIST, "sort:-1", "“-1”" },
  { DECK_FIELDS_LIST, "title:yes", "takes no value" },
  { DECK_FIELDS_LIST, "machine:1", "takes no value" },
  { DECK_FIELDS_LIST, "none:x", "takes no value" },
  /* ctys-vhost -o: unknown keys are errors */
  { DECK_FIELDS_ENUMERATE, "label,bogus", "“bogus”" },
  { DECK_FIELDS_ENUMERATE, "label:x", "“label”" },
  { DECK_FIELDS_LIST, "vram", "“vram”" },
  { DECK_FIELDS_ENUMERATE, "48", "“48”" },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckOutputSpec) spec = NULL;

      g_test_message ("options %s", c->opts);
      spec = deck_output_spec_parse (c->space, c->opts, &error);
      g_assert_null (spec);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      if (strstr (error->message, c->in_message) == NULL)
        g_error ("message “%s” lacks “%s”", error->message, c->in_message);
    }
}

/* Keys of other layers are left to the caller, without an error. */
static void
test_take_suboption (void)
{
  const struct {
    const char *key;
    const char *value;
    gboolean    taken;
  } cases[] = {
    { "B", "xen", FALSE },
    { "MATCHVSTAT", "ALL", FALSE },
    { "USER", "acue", FALSE },     /* LIST's USER:<u> filter, not the USER field flag */
    { "PKG", "XEN", FALSE },
    { "SERVER", NULL, FALSE },
    { "TAB_TCP", NULL, FALSE },
    { "USER", NULL, TRUE },        /* the field flag */
    { "LABEL", NULL, TRUE },
    { "TITLEIDX", NULL, TRUE },
    { "SORT", NULL, TRUE },
    { "SORT", "EACH UNIQUE", TRUE },
    { "TAB_GEN", "3_l_5", TRUE },
  };
  g_autoptr(DeckOutputSpec) spec = deck_output_spec_new (DECK_FIELDS_LIST);
  g_autoptr(GPtrArray) rows = list_rows ();
  g_autofree char *got = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      DeckSuboption opt = {
        .key = (char *) cases[i].key,
        .raw_key = (char *) cases[i].key,
        .value = (char *) cases[i].value,
        .items = NULL,
      };

      g_test_message ("key %s", cases[i].key);
      g_assert_cmpint (deck_output_spec_take_suboption (spec, &opt, &error), ==,
                       cases[i].taken);
      g_assert_no_error (error);
    }

  /* "SORT" with value "EACH UNIQUE" (items NULL) was read from the value */
  got = deck_output_render (spec, rows);
  g_assert_cmpstr (got, ==,
                   "l    \n"
                   "1(3) \n"
                   "-----\n"
                   "Domai\ntst10\ntst10\nws2  \n");
}

int
main (int   argc,
      char *argv[])
{
  /* run directly (not by meson test): find tests/data in the source tree */
  if (g_getenv ("G_TEST_SRCDIR") == NULL)
    g_setenv ("G_TEST_SRCDIR", DECK_SOURCE_DATADIR "/../tests", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deck/output/list-machine-titleidx", test_list_machine_titleidx);
  g_test_add_func ("/deck/output/enumerate-titles", test_enumerate_titles);
  g_test_add_func ("/deck/output/fields", test_fields);
  g_test_add_func ("/deck/output/all-and-machine", test_all_and_machine);
  g_test_add_func ("/deck/output/default-fields", test_default_fields);
  g_test_add_func ("/deck/output/default-table", test_default_table);
  g_test_add_func ("/deck/output/table-golden", test_table_golden);
  g_test_add_func ("/deck/output/tab-cport-ac73", test_tab_cport_ac73);
  g_test_add_func ("/deck/output/macro-equals-expansion-ac91", test_macro_equals_expansion_ac91);
  g_test_add_func ("/deck/output/terse-table", test_terse_table);
  g_test_add_func ("/deck/output/sort", test_sort);
  g_test_add_func ("/deck/output/generators-golden", test_generators_golden);
  g_test_add_func ("/deck/output/xml-well-formed", test_xml_well_formed);
  g_test_add_func ("/deck/output/machine-hostile", test_machine_hostile);
  g_test_add_func ("/deck/output/empty-rows", test_empty_rows);
  g_test_add_func ("/deck/output/errors", test_errors);
  g_test_add_func ("/deck/output/take-suboption", test_take_suboption);

  return g_test_run ();
}
