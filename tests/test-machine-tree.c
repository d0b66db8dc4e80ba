/* test-machine-tree.c: the window's inventory tree and its filter (core, no GTK)
 *
 * Fixture: ws2.soho (the host list's first host) and lab00.soho register tst100 (one
 * config: multipath); lab00.soho also has tst101 with two interfaces and xenhost, a
 * machine whose guest OS is the host "xh1" (NETNAME), which registers tst200 (a VM
 * stack). The host list is ws2, labh9 (no machines).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "deck-error.h"
#include "deck-machine-tree.h"
#include "deck-stack.h"

#define P100 "/srv/xen/tst100/tst100.conf"
#define P101 "/srv/xen/tst101/tst101.conf"
#define PXH  "/srv/kvm/xenhost/xenhost.xml"
#define P200 "/etc/xen/vm/tst200.conf"

typedef struct {
  const char *host, *type, *label, *path, *uuid, *mac, *tcp, *netname;
} Spec;

static const Spec fixture[] = {
  { "ws2.soho",   "XEN",  "tst100",  P100, "6842caf9-1e3e-4324-9ed5-96b8b9f2c5c2", "00:50:56:13:11:40", "172.20.6.100", "" },
  { "lab00.soho", "XEN",  "tst100",  P100, "6842caf9-1e3e-4324-9ed5-96b8b9f2c5c2", "00:50:56:13:11:40", "172.20.6.100", "" },
  { "lab00.soho", "XEN",  "tst101",  P101, "6842caf91e3e43249ed596b8b9f2c5c3", "00:50:56:13:11:41", "172.20.6.101", "" },
  { "lab00.soho", "XEN",  "tst101",  P101, "6842caf91e3e43249ed596b8b9f2c5c3", "00:50:56:13:11:99", "10.1.1.101", "" },
  { "lab00.soho", "QEMU", "xenhost", PXH,  "aaaaaaaa-0000-0000-0000-000000000001", "52:54:00:00:00:01", "10.2.0.1", "xh1" },
  { "xh1.soho",   "XEN",  "tst200",  P200, "bbbbbbbb-0000-0000-0000-000000000002", "00:16:3e:00:02:00", "", "" },
};

static DeckRecord *
record_of (const Spec *s)
{
  DeckRecord *r = deck_record_new ();

  deck_record_set (r, DECK_FIELD_PM, s->host);
  deck_record_set (r, DECK_FIELD_TYPE, s->type);
  deck_record_set (r, DECK_FIELD_LABEL, s->label);
  deck_record_set (r, DECK_FIELD_ID, s->path);
  deck_record_set (r, DECK_FIELD_UUID, s->uuid);
  deck_record_set (r, DECK_FIELD_MAC, s->mac);
  deck_record_set (r, DECK_FIELD_TCP, s->tcp);
  deck_record_set (r, DECK_FIELD_NETNAME, s->netname);
  return r;
}

static GPtrArray *
fixture_records (void)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (fixture); i++)
    g_ptr_array_add (records, record_of (&fixture[i]));
  return records;
}

static const char * const host_list[] = { "ws2", "labh9", NULL };

static DeckMachineTree *
fixture_tree (void)
{
  DeckMachineTree *tree = deck_machine_tree_new ();
  g_autoptr(GPtrArray) records = fixture_records ();

  deck_machine_tree_build (tree, host_list, records);
  return tree;
}

/* The visible tree as text: one line per visible row, indented two spaces per level. */
static void
dump_item (GString         *s,
           DeckMachineItem *item,
           guint            depth,
           gboolean         all)
{
  GPtrArray *children = deck_machine_item_get_children (item);

  if (!all && !deck_machine_item_get_visible (item))
    return;
  for (guint i = 0; i < depth; i++)
    g_string_append (s, "  ");
  g_string_append_printf (s, "%s\n", deck_machine_item_get_label (item));
  for (guint i = 0; i < children->len; i++)
    dump_item (s, children->pdata[i], depth + 1, all);
}

static char *
dump (DeckMachineTree *tree,
      gboolean         all)
{
  GString *s = g_string_new (NULL);
  GPtrArray *hosts = deck_machine_tree_get_hosts (tree);

  for (guint i = 0; i < hosts->len; i++)
    dump_item (s, hosts->pdata[i], 0, all);
  return g_string_free (s, FALSE);
}

static void
test_structure (void)
{
  DeckMachineTree *tree = fixture_tree ();
  g_autofree char *text = dump (tree, TRUE);
  GPtrArray *hosts = deck_machine_tree_get_hosts (tree);
  DeckMachineItem *lab00;
  DeckMachineItem *tst101;

  /* host list order first (ws2 takes ws2.soho's records: short name), then lab00.soho;
   * xh1.soho only under the machine that is it; multipath tst100 under both hosts */
  g_assert_cmpstr (text, ==,
                   "ws2\n"
                   "  tst100\n"
                   "labh9\n"
                   "lab00.soho\n"
                   "  tst100\n"
                   "  tst101\n"
                   "  xenhost\n"
                   "    tst200\n");
  g_assert_cmpuint (deck_machine_tree_get_n_machines (tree), ==, 5);
  g_assert_cmpuint (hosts->len, ==, 3);

  /* two interfaces: one machine with both records */
  lab00 = deck_machine_tree_find_host (tree, "lab00");
  g_assert_nonnull (lab00);
  g_assert_cmpint (deck_machine_item_get_kind (lab00), ==, DECK_MACHINE_ITEM_HOST);
  tst101 = deck_machine_item_get_children (lab00)->pdata[1];
  g_assert_cmpstr (deck_machine_item_get_label (tst101), ==, "tst101");
  g_assert_cmpuint (deck_machine_item_get_records (tst101)->len, ==, 2);
  g_assert_true (deck_machine_item_get_parent (tst101) == lab00);
  g_assert_cmpuint (deck_machine_item_get_depth (tst101), ==, 1);
  {
    g_autofree char *summary = deck_machine_item_dup_address_summary (tst101);

    g_assert_cmpstr (summary, ==, "00:50:56:13:11:41, 00:50:56:13:11:99, 172.20.6.101, 10.1.1.101 · 6842caf9…");
  }
  g_assert_finalize_object (tree);
}

/* A nested host that the host list names shows at the top too. */
static void
test_stack_listed_host (void)
{
  g_autoptr(GPtrArray) records = fixture_records ();
  DeckMachineTree *tree = deck_machine_tree_new ();
  const char * const hosts[] = { "xh1.soho", NULL };
  g_autofree char *text = NULL;

  deck_machine_tree_build (tree, hosts, records);
  text = dump (tree, TRUE);
  g_assert_cmpstr (text, ==,
                   "xh1.soho\n"
                   "  tst200\n"
                   "ws2.soho\n"
                   "  tst100\n"
                   "lab00.soho\n"
                   "  tst100\n"
                   "  tst101\n"
                   "  xenhost\n"
                   "    tst200\n");
  g_assert_finalize_object (tree);
}

/* Two machines that are each other's host: both hosts are shown, no endless nesting. */
static void
test_stack_cycle (void)
{
  static const Spec cycle[] = {
    { "hosta", "QEMU", "vm-b", "/vms/vm-b.xml", "", "", "", "hostb" },
    { "hostb", "QEMU", "vm-a", "/vms/vm-a.xml", "", "", "", "hosta" },
  };
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  DeckMachineTree *tree = deck_machine_tree_new ();
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cycle); i++)
    g_ptr_array_add (records, record_of (&cycle[i]));
  deck_machine_tree_build (tree, NULL, records);
  text = dump (tree, TRUE);
  g_assert_cmpstr (text, ==,
                   "hosta\n"
                   "  vm-b\n"
                   "    vm-a\n");
  g_assert_finalize_object (tree);
}

/* The guest host name CANCEL propagates to is the one the tree nests by. */
static void
test_guest_of (void)
{
  g_autoptr(DeckRecord) a = record_of (&fixture[4]);
  g_autoptr(DeckRecord) b = record_of (&fixture[5]);
  g_autoptr(DeckRecord) c = record_of (&fixture[2]);
  g_autofree char *ga = deck_stack_guest_of (a);
  g_autofree char *gc = deck_stack_guest_of (c);

  g_assert_cmpstr (ga, ==, "xh1");     /* NETNAME */
  g_assert_cmpstr (gc, ==, "172.20.6.101");   /* else TCP */
  g_assert_null (deck_stack_guest_of (NULL));
  g_assert_true (deck_stack_is_nested_in (b, a));
  g_assert_false (deck_stack_is_nested_in (a, b));
}

typedef struct {
  const char *filter;
  const char *visible;   /* dump of the visible rows; NULL: DECK_ERROR_USAGE */
} FilterCase;

static const FilterCase filter_cases[] = {
  { "", "ws2\n  tst100\nlabh9\nlab00.soho\n  tst100\n  tst101\n  xenhost\n    tst200\n" },
  { "l:tst101", "lab00.soho\n  tst101\n" },
  { "label:tst100", "ws2\n  tst100\nlab00.soho\n  tst100\n" },
  /* strict: a label prefix is no label */
  { "l:tst10", "" },
  /* UUID without dashes, upper case */
  { "u:6842CAF91E3E43249ED596B8B9F2C5C3", "lab00.soho\n  tst101\n" },
  /* the second interface's MAC */
  { "m:00:50:56:13:11:99", "lab00.soho\n  tst101\n" },
  { "t:172.20.6.100", "ws2\n  tst100\nlab00.soho\n  tst100\n" },
  { "t:xh1", "lab00.soho\n  xenhost\n" },
  { "f:tst101/", "lab00.soho\n  tst101\n" },
  { "b:/etc/xen", "lab00.soho\n  xenhost\n    tst200\n" },
  { "l:tst100,u:6842caf91e3e43249ed596b8b9f2c5c2", "ws2\n  tst100\nlab00.soho\n  tst100\n" },
  { "l:tst100,t:10.9.9.9", "" },
  /* a nested machine keeps its parents visible */
  { "l:tst200", "lab00.soho\n  xenhost\n    tst200\n" },
  /* plain text: substrings, any case, every word */
  { "TST1", "ws2\n  tst100\nlab00.soho\n  tst100\n  tst101\n" },
  { "11:99", "lab00.soho\n  tst101\n" },
  { "6842caf9-1e3e", "ws2\n  tst100\nlab00.soho\n  tst100\n" },
  { "xen tst101", "lab00.soho\n  tst101\n" },
  { "  qemu  ", "lab00.soho\n  xenhost\n" },
  /* a host's name shows all its machines */
  { "ws2", "ws2\n  tst100\n" },
  { "labh9", "labh9\n" },
  /* "52:..." and "foo:" are no address keys: plain text */
  { "52:54:00", "lab00.soho\n  xenhost\n" },
  { "nothing:here", "" },
  { "l:", NULL },
  { "m:", NULL },
};

static void
test_filter (void)
{
  DeckMachineTree *tree = fixture_tree ();

  for (guint i = 0; i < G_N_ELEMENTS (filter_cases); i++)
    {
      const FilterCase *c = &filter_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *before = dump (tree, FALSE);
      g_autofree char *text = NULL;
      gboolean ok;

      g_test_message ("filter '%s'", c->filter);
      ok = deck_machine_tree_set_filter (tree, c->filter, &error);
      text = dump (tree, FALSE);
      if (c->visible == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
          g_assert_cmpstr (text, ==, before);   /* unchanged */
          continue;
        }
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpstr (text, ==, c->visible);
      g_assert_cmpstr (deck_machine_tree_get_filter (tree), ==, c->filter);
    }
  g_assert_finalize_object (tree);
}

/* The items whose visibility a filter changed, parents before their children. */
static void
test_filter_changes (void)
{
  DeckMachineTree *tree = fixture_tree ();
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) back = NULL;
  GString *s = g_string_new (NULL);
  g_autofree char *text = NULL;

  g_assert_true (deck_machine_tree_set_filter_full (tree, "l:tst200", &changed, NULL));
  for (guint i = 0; i < changed->len; i++)
    g_string_append_printf (s, "%s ", deck_machine_item_get_label (changed->pdata[i]));
  text = g_string_free (s, FALSE);
  /* hidden: ws2 and its tst100, labh9, lab00.soho's tst100 and tst101 */
  g_assert_cmpstr (text, ==, "ws2 tst100 labh9 tst100 tst101 ");
  g_assert_true (deck_machine_tree_set_filter_full (tree, "l:tst200", &again, NULL));
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_true (deck_machine_tree_set_filter_full (tree, "", &back, NULL));
  g_assert_cmpuint (back->len, ==, 5);
  g_ptr_array_set_size (changed, 0);
  g_ptr_array_set_size (back, 0);
  g_assert_finalize_object (tree);
}

/* A rebuild keeps the filter. */
static void
test_filter_survives_build (void)
{
  DeckMachineTree *tree = fixture_tree ();
  g_autoptr(GPtrArray) records = fixture_records ();
  g_autofree char *text = NULL;

  g_assert_true (deck_machine_tree_set_filter (tree, "l:tst101", NULL));
  g_assert_cmpuint (deck_machine_tree_count_visible (tree), ==, 1);
  deck_machine_tree_build (tree, host_list, records);
  text = dump (tree, FALSE);
  g_assert_cmpstr (text, ==, "lab00.soho\n  tst101\n");
  g_assert_true (deck_machine_tree_set_filter (tree, NULL, NULL));
  g_assert_cmpuint (deck_machine_tree_count_visible (tree), ==, 5);
  g_assert_finalize_object (tree);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    data)
{
  (*(guint *) data)++;
}

/* Live state goes to every item of that host and domain (label or UUID), only there. */
static void
test_find_and_state (void)
{
  DeckMachineTree *tree = fixture_tree ();
  g_autoptr(GPtrArray) on_lab00 = deck_machine_tree_find_machines (tree, "lab00", "tst100");
  g_autoptr(GPtrArray) by_uuid = deck_machine_tree_find_machines (tree, "lab00.soho", "6842caf9-1e3e-4324-9ed5-96b8b9f2c5c2");
  g_autoptr(GPtrArray) nested = deck_machine_tree_find_machines (tree, "xh1", "tst200");
  g_autoptr(GPtrArray) none = deck_machine_tree_find_machines (tree, "ws2", "tst101");
  DeckMachineItem *item;
  guint notified = 0;

  g_assert_cmpuint (on_lab00->len, ==, 1);
  g_assert_cmpuint (by_uuid->len, ==, 1);
  g_assert_true (on_lab00->pdata[0] == by_uuid->pdata[0]);
  g_assert_cmpuint (nested->len, ==, 1);
  g_assert_cmpstr (deck_machine_item_get_host_name (nested->pdata[0]), ==, "xh1.soho");
  g_assert_cmpuint (none->len, ==, 0);

  item = on_lab00->pdata[0];
  g_assert_cmpint (deck_machine_item_get_state (item), ==, DECK_DOMAIN_STATE_UNKNOWN);
  g_signal_connect (item, "notify::state", G_CALLBACK (on_notify), &notified);
  deck_machine_item_set_state (item, DECK_DOMAIN_STATE_RUNNING);
  deck_machine_item_set_state (item, DECK_DOMAIN_STATE_RUNNING);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (deck_machine_item_get_state (item), ==, DECK_DOMAIN_STATE_RUNNING);
  /* the other host's tst100 is another item */
  {
    g_autoptr(GPtrArray) on_ws2 = deck_machine_tree_find_machines (tree, "ws2", "tst100");

    g_assert_cmpuint (on_ws2->len, ==, 1);
    g_assert_cmpint (deck_machine_item_get_state (on_ws2->pdata[0]), ==, DECK_DOMAIN_STATE_UNKNOWN);
  }
  g_ptr_array_set_size (on_lab00, 0);
  g_ptr_array_set_size (by_uuid, 0);
  g_ptr_array_set_size (nested, 0);
  g_assert_finalize_object (tree);
}

/* 10,000 machines on 50 hosts: the filter is exact at that size (timings: bench/ui-bench). */
static void
test_large (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  DeckMachineTree *tree = deck_machine_tree_new ();

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *host = g_strdup_printf ("host%02u.example", i % 50);
      g_autofree char *label = g_strdup_printf ("vm%05u", i);
      g_autofree char *path = g_strdup_printf ("/vms/%s/%s.xml", label, label);
      g_autofree char *uuid = g_strdup_printf ("00000000-0000-0000-0000-%012u", i);
      g_autofree char *mac = g_strdup_printf ("52:54:00:%02x:%02x:%02x", i >> 16, (i >> 8) & 0xff, i & 0xff);
      Spec s = { host, "QEMU", label, path, uuid, mac, "", "" };

      g_ptr_array_add (records, record_of (&s));
    }
  deck_machine_tree_build (tree, NULL, records);
  g_assert_cmpuint (deck_machine_tree_get_n_machines (tree), ==, 10000);
  g_assert_cmpuint (deck_machine_tree_get_hosts (tree)->len, ==, 50);
  g_assert_true (deck_machine_tree_set_filter (tree, "vm012", NULL));
  g_assert_cmpuint (deck_machine_tree_count_visible (tree), ==, 100);
  g_assert_true (deck_machine_tree_set_filter (tree, "l:vm01234", NULL));
  g_assert_cmpuint (deck_machine_tree_count_visible (tree), ==, 1);
  g_assert_true (deck_machine_tree_set_filter (tree, "m:52:54:00:00:04:d2", NULL));   /* 1234 */
  g_assert_cmpuint (deck_machine_tree_count_visible (tree), ==, 1);
  g_assert_true (deck_machine_tree_set_filter (tree, "", NULL));
  g_assert_cmpuint (deck_machine_tree_count_visible (tree), ==, 10000);
  g_assert_finalize_object (tree);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deck/machine-tree/structure", test_structure);
  g_test_add_func ("/deck/machine-tree/stack-listed-host", test_stack_listed_host);
  g_test_add_func ("/deck/machine-tree/stack-cycle", test_stack_cycle);
  g_test_add_func ("/deck/machine-tree/guest-of", test_guest_of);
  g_test_add_func ("/deck/machine-tree/filter", test_filter);
  g_test_add_func ("/deck/machine-tree/filter-changes", test_filter_changes);
  g_test_add_func ("/deck/machine-tree/filter-survives-build", test_filter_survives_build);
  g_test_add_func ("/deck/machine-tree/find-and-state", test_find_and_state);
  g_test_add_func ("/deck/machine-tree/large", test_large);
  return g_test_run ();
}
