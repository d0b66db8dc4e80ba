/* test-xen-config.c: the xl config parser, ctys tags, config sets and records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "deck-domain-xml.h"
#include "deck-error.h"
#include "deck-record.h"
#include "deck-xen-config.h"

static GBytes *
load_file (const char  *path,
           gpointer     user_data,
           GError     **error)
{
  char *data;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return NULL;
  return g_bytes_new_take (data, len);
}

/* Scans tests/data/parser/<name> and renders the records one per line, the data
 * directory replaced by @DATA@ so the golden files do not depend on the checkout. */
static char *
scan_to_text (const char  *name,
              GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "parser", name, NULL);
  g_autofree char *datadir = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GString) out = g_string_new ("");
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  records = deck_xen_config_scan_file (path, data, len, NULL, load_file, NULL, error);
  if (records == NULL)
    return NULL;
  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *line = g_strdup (deck_record_to_line (records->pdata[i]));
      g_auto(GStrv) parts = g_strsplit (line, datadir, -1);
      g_autofree char *fixed = g_strjoinv ("@DATA@", parts);

      g_string_append_printf (out, "%s\n", fixed);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_golden (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *actual = scan_to_text (name, &error);
  g_autofree char *golden_name = g_strconcat (name, ".records", NULL);
  g_autofree char *golden_path = g_test_build_filename (G_TEST_DIST, "data", "parser", golden_name, NULL);
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (actual);
  if (g_getenv ("VMDECK_UPDATE_GOLDEN"))
    g_assert_true (g_file_set_contents (golden_path, actual, -1, NULL));
  g_assert_true (g_file_get_contents (golden_path, &expected, NULL, NULL));
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_golden (gconstpointer data)
{
  assert_golden (data);
}

/* Field checks on the spec §8.3 fixture, independent of the golden files. */
static void
test_fields_of_seed_fixture (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "xen", "home", "acue", "xen",
                                                 "tst-ctys", "tst100", "tst100.conf", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  DeckRecord *r;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpint (deck_xen_config_detect (data, len), ==, DECK_XEN_DETECT_YES);
  records = deck_xen_config_scan_file (path, data, len, NULL, load_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  r = records->pdata[0];
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_TYPE), ==, "XEN");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_LABEL), ==, "tst100");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_ID), ==, path);
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_UUID), ==, "6842caf91e3e43249ed596b8b9f2c5c2");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_MAC), ==, "00:50:56:13:11:40");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_TCP), ==, "172.20.6.100");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_NETMASK), ==, "255.255.0.0");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_RELAY), ==, "xenbr0");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_IFNAME), ==, "eth0");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_SSHPORT), ==, "22");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_GATEWAY), ==, "172.20.0.1");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_CATEGORY), ==, "VM");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_VMSTATE), ==, "ACTIVE");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_VRAM), ==, "256");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_VCPU), ==, "1");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_DIST), ==, "CentOS");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_DEFHOSTS), ==, "VNC");
  g_assert_cmpstr (deck_record_get (r, DECK_FIELD_DEFCONSOLE), ==, "GTERM");
  for (guint f = DECK_FIELD_DISPLAY; f <= DECK_FIELD_VNCBASE; f++)
    g_assert_cmpstr (deck_record_get (r, f), ==, "");
}

/* AC-80: the detection rule. */
static void
test_detection (void)
{
  static const struct { const char *text; DeckXenDetect expected; } cases[] = {
    { "name = \"a\"\nmemory = 1\ndisk = []\n", DECK_XEN_DETECT_NO },
    { "name = \"a\"\nmemory = 1\ndisk = []\nvif = []\nvcpus = 1\n", DECK_XEN_DETECT_YES },
    { "name = \"a\"\nname = \"b\"\nname = \"c\"\nname = \"d\"\nname = \"e\"\n", DECK_XEN_DETECT_NO },
    { "# name = 1\n# memory = 1\n# disk = 1\n# vif = 1\n# vcpus = 1\n", DECK_XEN_DETECT_NO },
    { "#@#MAGICID-XEN\n", DECK_XEN_DETECT_YES },
    { "  #@#MAGICID-XEN\nfoo = 1\n", DECK_XEN_DETECT_YES },
    { "name=1\nmemory=1\ndisk=1\nvif=1\nvcpus=1\nuuid=1\nbootloader=1\n#@#MAGICID-IGNORE\n", DECK_XEN_DETECT_IGNORE },
    { "#@#MAGICID-XEN\n#@#MAGICID-NOENUM\n", DECK_XEN_DETECT_NOENUM },
    { "namex = 1\nmemoryy = 1\ndisk2 = 1\nvifs = 1\nvcpu = 1\n", DECK_XEN_DETECT_NO },
    { "  name   =1\n\tmemory\t= 1\ndisk= 1\nvif =1\nbootloader = \"x\"\n", DECK_XEN_DETECT_YES },
    { "", DECK_XEN_DETECT_NO },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_cmpint (deck_xen_config_detect (cases[i].text, strlen (cases[i].text)), ==, cases[i].expected);
    }
}

static void
assert_scan_error (const char *name,
                   gint        code,
                   const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = scan_to_text (name, &error);

  g_assert_null (text);
  g_assert_error (error, DECK_ERROR, code);
  g_test_message ("%s: %s", name, error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_broken (void)
{
  /* libxlutil's message names file and line */
  assert_scan_error ("broken.conf", DECK_ERROR_PARSE, "broken.conf:5:");
}

static void
test_hostile (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shell = NULL;

  assert_scan_error ("hostile-semicolon.conf", DECK_ERROR_INVALID_VALUE, "hostile-semicolon.conf:1: name:");
  assert_scan_error ("hostile-binary.conf", DECK_ERROR_PARSE, "NUL");

  /* quotes and $(...) are just text: stored verbatim, never interpreted */
  shell = scan_to_text ("hostile-shell.conf", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (shell, ";quote$(touch /tmp/pwned)`id`;"));
  g_assert_nonnull (strstr (shell, ";it's \\\"quoted\\\";"));
}

static void
test_hostile_long_and_control (void)
{
  g_autoptr(GString) text = g_string_new ("name = \"");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  const char *tab = "#@#MAGICID-XEN\nname = \"ok\"\n#@#USTRG = \"tab\there\"\n";

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, 'A');
  g_string_append (text, "\"\nmemory = 1\nvcpus = 1\ndisk = []\nvif = [ 'mac=00:16:3e:00:0c:01' ]\n");
  records = deck_xen_config_scan_file ("/x/long.conf", text->str, text->len, NULL, NULL, NULL, &error);
  g_assert_null (records);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "/x/long.conf:1: name:"));
  g_clear_error (&error);

  records = deck_xen_config_scan_file ("/x/tab.conf", tab, strlen (tab), NULL, NULL, NULL, &error);
  g_assert_null (records);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "/x/tab.conf:3: #@#USTRG: value contains a tab"));
}

static void
test_not_inventoried (void)
{
  const char *names[] = { "three-keys.conf", "ignored.conf", "noenum.conf" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = scan_to_text (names[i], &error);

      g_assert_no_error (error);
      g_assert_null (text);
    }
}

static void
test_set_paths (void)
{
  g_auto(GStrv) a = deck_xen_config_set_paths ("/h/xen/g/vm/vm.conf", "/etc/ctys.d");
  g_auto(GStrv) b = deck_xen_config_set_paths ("/h/xen/g/vm/vm.ctys", NULL);
  g_auto(GStrv) c = deck_xen_config_set_paths ("/h/d.vdi", NULL);
  const char *ea[] = { "/h/xen/g/vm/vm.conf.ctys", "/h/xen/g/vm/vm.vmx", "/h/xen/g/vm/vm.conf",
                       "/h/xen/g/vm/vm.ctys", "/h/xen/g/vm.ctys", "/etc/ctys.d/vm.conf", NULL };
  const char *eb[] = { "/h/xen/g/vm/vm.ctys.ctys", "/h/xen/g/vm/vm.vmx", "/h/xen/g/vm/vm.ctys",
                       "/h/xen/g/vm/vm.conf", "/h/xen/g/vm.ctys", NULL };
  const char *ec[] = { "/h/d.ctys", "/h/d.vmx", "/h/d.vdi", "/h/d.conf", NULL };

  g_assert_true (g_strv_equal ((const char * const *) a, ea));
  g_assert_true (g_strv_equal ((const char * const *) b, eb));
  /* "/h.ctys" is the directory side file of "/h" */
  g_assert_cmpstr (c[0], ==, ec[0]);
  g_assert_true (g_strv_contains ((const char * const *) c, "/h.ctys"));
}

static void
test_tags (void)
{
  const char *text = "#@#IP0 = \"1.1.1.1\"\n  #@#ip0=2.2.2.2\n#@#DIST='Red Hat'\n#@#FLAG\nname = 'n'\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckXenConfig) cfg = deck_xen_config_new_from_data ("/t.conf", text, strlen (text), &error);
  const char * const *ips;

  g_assert_no_error (error);
  ips = deck_xen_config_get_tag_all (cfg, "IP0");
  g_assert_cmpuint (g_strv_length ((char **) ips), ==, 2);
  g_assert_cmpstr (ips[0], ==, "1.1.1.1");
  g_assert_cmpstr (ips[1], ==, "2.2.2.2");
  g_assert_cmpstr (deck_xen_config_get_tag (cfg, "DIST"), ==, "Red Hat");
  g_assert_cmpstr (deck_xen_config_get_tag (cfg, "FLAG"), ==, "");
  g_assert_null (deck_xen_config_get_tag (cfg, "NOPE"));
  g_assert_cmpstr (deck_xen_config_get_string (cfg, "name"), ==, "n");
  g_assert_cmpuint (deck_xen_config_get_line (cfg, "name"), ==, 5);
  g_assert_cmpuint (deck_xen_config_get_line (cfg, "#@#DIST"), ==, 3);
  g_assert_finalize_object (g_steal_pointer (&cfg));
}

/* ctys tags in a libvirt domain's XML comments: one tag per line inside a comment, or
 * each tag a comment of its own line. */
static void
test_xml_comment_tags (void)
{
  const char *xml =
    "<domain type='qemu'>\n"
    "  <!-- #@#IP0 = \"10.99.1.11\" -->\n"
    "  <!--\n  #@#DIST = \"busybox\"\n  -->\n"
    "  <name>deck-l1</name>\n"
    "  <uuid>6a1ab001-0000-4000-8000-00000000d011</uuid>\n"
    "  <memory unit='KiB'>131072</memory>\n"
    "  <os><type>hvm</type></os>\n"
    "</domain>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = deck_domain_xml_scan_file ("/vms/deck-l1.xml", xml, strlen (xml), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (deck_record_get (records->pdata[0], DECK_FIELD_TCP), ==, "10.99.1.11");
  g_assert_cmpstr (deck_record_get (records->pdata[0], DECK_FIELD_DIST), ==, "busybox");
}

int
main (int    argc,
      char **argv)
{
  static const char *goldens[] = {
    "full.conf", "multihome.conf", "magic.conf", "five-keys.conf", "xl.cfg",
    "sideset/grp/vm1/vm1.conf",
  };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (goldens); i++)
    {
      g_autofree char *tpath = g_strdup_printf ("/deck/xen-config/golden/%s", goldens[i]);

      g_test_add_data_func (tpath, goldens[i], test_golden);
    }
  g_test_add_func ("/deck/xen-config/seed-fixture-fields", test_fields_of_seed_fixture);
  g_test_add_func ("/deck/xen-config/detection", test_detection);
  g_test_add_func ("/deck/xen-config/broken-file-line", test_broken);
  g_test_add_func ("/deck/xen-config/hostile", test_hostile);
  g_test_add_func ("/deck/xen-config/hostile-long-and-control", test_hostile_long_and_control);
  g_test_add_func ("/deck/xen-config/not-inventoried", test_not_inventoried);
  g_test_add_func ("/deck/xen-config/config-set-paths", test_set_paths);
  g_test_add_func ("/deck/xen-config/tags", test_tags);
  g_test_add_func ("/deck/xen-config/xml-comment-tags", test_xml_comment_tags);
  return g_test_run ();
}
