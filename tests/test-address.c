/* test-address.c: <machine-address> parsing and strict matching (spec §4, §12.1, §12.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "deck-address.h"
#include "deck-error.h"

/* ---------------------------------------------------------------------------------------
 * Fixture (spec §12.0): V1..V3 registered for lab00.soho and ws2.soho (multipath), B1 and
 * T1 absent from the cacheDB. Indexes (field 32) 1..6 in that order.
 */

#define V1_PATH "/home/acue/xen/tst-ctys/tst100/tst100.conf"
#define V2_PATH "/home/acue/xen/tst-ctys/tst101/tst101.conf"
#define V3_PATH "/home/acue/xen/tst-ctys/tst104/tst104.conf"
#define B1_PATH "/home/acue/xen/backup/tst100/tst100.conf"

#define V1_UUID "6842caf91e3e43249ed596b8b9f2c5c2"
#define V2_UUID "6842caf91e3e43249ed596b8b9f2c5c3"
#define V3_UUID "6842caf91e3e43249ed596b8b9f2c5c6"

typedef struct
{
  const char *host;
  const char *label;
  const char *path;
  const char *uuid;
  const char *mac;
  const char *ip;
  const char *netname;
  const char *index;
} RecordSpec;

static const RecordSpec fixture[] = {
  { "lab00.soho", "tst100", V1_PATH, V1_UUID, "00:50:56:13:11:40", "172.20.6.100", "tst100.soho", "1" },
  { "lab00.soho", "tst101", V2_PATH, V2_UUID, "00:50:56:13:11:41", "172.20.6.101", "tst101.soho", "2" },
  { "lab00.soho", "tst104", V3_PATH, V3_UUID, "00:50:56:13:11:44", "172.20.6.104", "tst104.soho", "3" },
  { "ws2.soho",   "tst100", V1_PATH, V1_UUID, "00:50:56:13:11:40", "172.20.6.100", "tst100.soho", "4" },
  { "ws2.soho",   "tst101", V2_PATH, V2_UUID, "00:50:56:13:11:41", "172.20.6.101", "tst101.soho", "5" },
  { "ws2.soho",   "tst104", V3_PATH, V3_UUID, "00:50:56:13:11:44", "172.20.6.104", "tst104.soho", "6" },
};

static DeckRecord *
make_record (const RecordSpec *spec)
{
  DeckRecord *r = deck_record_new ();

  deck_record_set (r, DECK_FIELD_PM, spec->host);
  deck_record_set (r, DECK_FIELD_TYPE, "XEN");
  deck_record_set (r, DECK_FIELD_LABEL, spec->label);
  deck_record_set (r, DECK_FIELD_ID, spec->path);
  deck_record_set (r, DECK_FIELD_UUID, spec->uuid);
  deck_record_set (r, DECK_FIELD_MAC, spec->mac);
  deck_record_set (r, DECK_FIELD_TCP, spec->ip);
  deck_record_set (r, DECK_FIELD_NETNAME, spec->netname);
  deck_record_set (r, DECK_FIELD_INDEX, spec->index);
  deck_record_set (r, DECK_FIELD_CATEGORY, "VM");
  deck_record_set (r, DECK_FIELD_VMSTATE, "ACTIVE");
  return r;
}

static GPtrArray *
make_records (const RecordSpec *specs,
              gsize             n)
{
  GPtrArray *a = g_ptr_array_new_with_free_func (g_object_unref);

  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (a, make_record (&specs[i]));
  return a;
}

/* Frees @records and checks that no record leaked a reference. */
static void
free_records (GPtrArray *records)
{
  g_ptr_array_set_free_func (records, NULL);
  for (guint i = 0; i < records->len; i++)
    g_assert_finalize_object (records->pdata[i]);
  g_ptr_array_unref (records);
}

static DeckAddress *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  DeckAddress *addr = deck_address_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (addr);
  return addr;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static void
assert_values (DeckAddress     *addr,
               DeckAddressPart  part,
               const char      *joined)
{
  g_autofree char *got = g_strjoinv ("|", (char **) deck_address_get_values (addr, part));

  g_assert_cmpstr (got, ==, joined);
}

/* ---------------------------------------------------------------------------------------
 * Parsing: every key and alias of §4.1, case-insensitive.
 */

typedef struct
{
  const char      *text;
  DeckAddressPart  part;
  const char      *values; /* joined by '|' */
} KeyCase;

static const KeyCase key_cases[] = {
  { "i:/a/b.conf", DECK_ADDRESS_PART_ID, "/a/b.conf" },
  { "id:/a/b.conf", DECK_ADDRESS_PART_ID, "/a/b.conf" },
  { "ID:/a/b.conf", DECK_ADDRESS_PART_ID, "/a/b.conf" },
  { "p:/a/b.conf", DECK_ADDRESS_PART_ID, "/a/b.conf" },
  { "pname:/a/b.conf", DECK_ADDRESS_PART_ID, "/a/b.conf" },
  { "PathName:/a/b.conf", DECK_ADDRESS_PART_ID, "/a/b.conf" },
  { "f:b/b.conf", DECK_ADDRESS_PART_FRAGMENT, "b/b.conf" },
  { "fname:b/b.conf", DECK_ADDRESS_PART_FRAGMENT, "b/b.conf" },
  { "FILENAME:b/b.conf", DECK_ADDRESS_PART_FRAGMENT, "b/b.conf" },
  { "b:/x%/y", DECK_ADDRESS_PART_BASE, "/x|/y" },
  { "base:/x", DECK_ADDRESS_PART_BASE, "/x" },
  { "BasePath:/x/", DECK_ADDRESS_PART_BASE, "/x" },
  { "l:tst100", DECK_ADDRESS_PART_LABEL, "tst100" },
  { "L:tst100", DECK_ADDRESS_PART_LABEL, "tst100" },
  { "label:TsT100", DECK_ADDRESS_PART_LABEL, "TsT100" },
  { "u:" V1_UUID, DECK_ADDRESS_PART_UUID, V1_UUID },
  { "UUID:6842CAF9-1E3E", DECK_ADDRESS_PART_UUID, "6842CAF9-1E3E" },
  { "m:00:50:56:13:11:40", DECK_ADDRESS_PART_MAC, "00:50:56:13:11:40" },
  { "Mac:AA:BB:CC:DD:EE:FF%00:50:56:13:11:40", DECK_ADDRESS_PART_MAC,
    "AA:BB:CC:DD:EE:FF|00:50:56:13:11:40" },
  { "t:172.20.6.100", DECK_ADDRESS_PART_TCP, "172.20.6.100" },
  { "TCP:tst100.soho%172.20.6.101", DECK_ADDRESS_PART_TCP, "tst100.soho|172.20.6.101" },
  { "dr:3", DECK_ADDRESS_PART_DBREC, "3" },
  { "dbrec:3", DECK_ADDRESS_PART_DBREC, "3" },
  { "DBRecord:3", DECK_ADDRESS_PART_DBREC, "3" },
  /* Repeated parts and aliases of one part add alternatives. */
  { "p:/a.conf,i:/b.conf", DECK_ADDRESS_PART_ID, "/a.conf|/b.conf" },
};

static void
test_parse_keys (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_cases); i++)
    {
      g_autoptr(DeckAddress) addr = NULL;

      g_test_message ("%s", key_cases[i].text);
      addr = parse_ok (key_cases[i].text);
      assert_values (addr, key_cases[i].part, key_cases[i].values);
      g_assert_false (deck_address_is_empty (addr));
      g_assert_false (deck_address_get_all (addr));

      /* Every other part stays empty. */
      for (guint p = 0; p < DECK_ADDRESS_N_PARTS; p++)
        if (p != key_cases[i].part)
          g_assert_null (deck_address_get_values (addr, p)[0]);

      g_assert_finalize_object (g_steal_pointer (&addr));
    }
}

static void
test_parse_all (void)
{
  g_autoptr(DeckAddress) addr = parse_ok ("all");
  g_autoptr(DeckAddress) empty = parse_ok ("");
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckAddress) bad = deck_address_parse ("ALL:yes", &error);

  g_assert_true (deck_address_get_all (addr));
  g_assert_true (deck_address_has_target (addr));
  g_assert_false (deck_address_is_empty (addr));

  g_assert_true (deck_address_is_empty (empty));
  g_assert_false (deck_address_has_target (empty));
  g_assert_false (deck_address_get_all (empty));

  g_assert_null (bad);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);

  g_assert_finalize_object (g_steal_pointer (&addr));
  g_assert_finalize_object (g_steal_pointer (&empty));
}

typedef struct
{
  const char *name;
  const char *text;
  const char *message_part;
} ParseErrorCase;

static const ParseErrorCase parse_error_cases[] = {
  /* AC-06: empty TCP value. */
  { "ac06-empty-tcp", "t:,CONSOLE:cli,connect", "t:" },
  { "ac06-empty-tcp-alone", "t:", "empty value" },
  /* AC-07: relative pathname, with a hint to use f:. */
  { "ac07-relative-p", "p:xen/tst100.conf", "f:xen/tst100.conf" },
  { "relative-i", "i:tst100.conf", "absolute" },
  { "relative-in-list", "i:/ok.conf%rel.conf", "f:rel.conf" },
  { "tilde-id", "pathname:~/xen/a.conf", "absolute" },
  { "empty-label", "l:", "empty value" },
  { "empty-alternative", "l:tst100%", "empty value" },
  { "empty-base", "b:", "empty value" },
  { "empty-uuid", "u:", "empty value" },
  { "empty-mac", "m:", "empty value" },
  { "empty-dbrec", "dr:", "empty value" },
  { "label-flag", "l", "needs a value" },
  { "tcp-flag", "TCP", "needs a value" },
  { "unknown-key", "d:3", "unknown address key" },
  { "unknown-key-console", "CONSOLE:xterm", "CONSOLE" },
  { "syntax", "l:tst100,:x", "missing key" },
  { "invalid-utf8", "l:tst\xfe", "UTF-8" },
  { "control-char", "l:tst\n100", "control character" },
};

static void
test_parse_error (gconstpointer data)
{
  const ParseErrorCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckAddress) addr = deck_address_parse (c->text, &error);

  g_assert_null (addr);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  assert_contains (error->message, c->message_part);
}

/* AC-06 / AC-11 as the CREATE parser sees them: suboptions offered one by one. */
static void
test_take_suboption (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) opts = NULL;
  g_autoptr(DeckAddress) addr = deck_address_new ();

  /* AC-11: L: is an address part, Console: is not (and is no error). */
  opts = deck_suboptions_parse ("L:tst100,Console:Vnc", &error);
  g_assert_no_error (error);
  g_assert_true (deck_address_take_suboption (addr, opts->pdata[0], &error));
  g_assert_no_error (error);
  g_assert_false (deck_address_take_suboption (addr, opts->pdata[1], &error));
  g_assert_no_error (error);
  assert_values (addr, DECK_ADDRESS_PART_LABEL, "tst100");
  g_clear_pointer (&opts, g_ptr_array_unref);

  /* AC-06: the empty t: is refused and not stored. */
  opts = deck_suboptions_parse ("t:,CONSOLE:cli,connect", &error);
  g_assert_no_error (error);
  g_assert_false (deck_address_take_suboption (addr, opts->pdata[0], &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_null (deck_address_get_values (addr, DECK_ADDRESS_PART_TCP)[0]);
  g_assert_false (deck_address_take_suboption (addr, opts->pdata[2], &error));
  g_assert_no_error (error);
  g_clear_pointer (&opts, g_ptr_array_unref);

  /* A list with one bad entry is refused as a whole. */
  opts = deck_suboptions_parse ("p:/home/a.conf%rel.conf", &error);
  g_assert_no_error (error);
  g_assert_false (deck_address_take_suboption (addr, opts->pdata[0], &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_null (deck_address_get_values (addr, DECK_ADDRESS_PART_ID)[0]);

  g_assert_finalize_object (g_steal_pointer (&addr));
}

/* A hand-built suboption with invalid UTF-8 (bypassing the parser) is refused. */
static void
test_take_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckAddress) addr = deck_address_new ();
  char *items[] = { (char *) "tst\xff\xfe", NULL };
  DeckSuboption opt = {
    .key = (char *) "L",
    .raw_key = (char *) "l",
    .value = (char *) "tst\xff\xfe",
    .items = items,
  };

  g_assert_false (deck_address_take_suboption (addr, &opt, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_true (deck_address_is_empty (addr));

  g_assert_finalize_object (g_steal_pointer (&addr));
}

/* ---------------------------------------------------------------------------------------
 * AC-10: b: alone is not a target.
 */

static void
test_has_target (void)
{
  static const struct { const char *text; gboolean target; } cases[] = {
    { "b:xen", FALSE },
    { "b:xen%/etc/ctys.d", FALSE },
    { "b:xen,l:tst100", TRUE },
    { "l:tst100", TRUE },
    { "u:" V1_UUID, TRUE },
    { "m:00:50:56:13:11:40", TRUE },
    { "t:172.20.6.100", TRUE },
    { "f:tst100.conf", TRUE },
    { "i:" V1_PATH, TRUE },
    { "dr:1", TRUE },
    { "ALL", TRUE },
  };
  g_autoptr(GPtrArray) records = make_records (fixture, G_N_ELEMENTS (fixture));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DeckAddress) addr = parse_ok (cases[i].text);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (deck_address_has_target (addr), ==, cases[i].target);
      g_assert_false (deck_address_is_empty (addr));
    }

  /* Resolving b: alone or nothing at all is a usage error, not a lookup. */
  {
    g_autoptr(DeckAddress) base_only = parse_ok ("b:xen");
    g_autoptr(DeckAddress) nothing = deck_address_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(DeckRecord) r = NULL;

    deck_address_set_home (base_only, "/home/acue");
    r = deck_address_resolve (base_only, records, "lab00", &error);
    g_assert_null (r);
    g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
    assert_contains (error->message, "b:");
    g_clear_error (&error);

    r = deck_address_resolve (nothing, records, "lab00", &error);
    g_assert_null (r);
    g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
    assert_contains (error->message, "missing target address");
  }

  free_records (g_steal_pointer (&records));
}

/* ---------------------------------------------------------------------------------------
 * AC-04: base paths against the target's home.
 */

static void
test_base_home (void)
{
  g_autoptr(DeckAddress) addr = parse_ok ("b:xen%/etc/ctys.d%~%~/vms%./a/../b/%~other/x");
  g_autoptr(DeckAddress) later = deck_address_new ();
  g_autoptr(GPtrArray) opts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* Without a home, relative entries stay as given. */
  assert_values (addr, DECK_ADDRESS_PART_BASE, "xen|/etc/ctys.d|~|~/vms|./a/../b/|~other/x");

  deck_address_set_home (addr, "/home/acue");
  assert_values (addr, DECK_ADDRESS_PART_BASE,
                 "/home/acue/xen|/etc/ctys.d|/home/acue|/home/acue/vms|/home/acue/b|~other/x");
  text = deck_address_to_string (addr);
  g_assert_cmpstr (text, ==, "b:/home/acue/xen%/etc/ctys.d%/home/acue%/home/acue/vms%/home/acue/b%~other/x");

  /* A home set before the base is given applies as well. */
  deck_address_set_home (later, "/home/acue/");
  opts = deck_suboptions_parse ("base:xen", &error);
  g_assert_no_error (error);
  g_assert_true (deck_address_take_suboption (later, opts->pdata[0], &error));
  g_assert_no_error (error);
  assert_values (later, DECK_ADDRESS_PART_BASE, "/home/acue/xen");

  g_assert_finalize_object (g_steal_pointer (&addr));
  g_assert_finalize_object (g_steal_pointer (&later));
}

/* ---------------------------------------------------------------------------------------
 * Resolution against the fixture (§12.3), target lab00 unless stated.
 */

typedef struct
{
  const char *name;
  const char *address;
  const char *host;
  const char *home;
  const char *want_host;  /* NULL when an error is expected */
  const char *want_path;
  int         error_code;
} ResolveCase;

static const ResolveCase resolve_cases[] = {
  /* AC-25, AC-26 */
  { "ac25-fragment", "f:xen/tst-ctys/tst100/tst100.conf", "lab00", NULL, "lab00.soho", V1_PATH, 0 },
  { "ac26-fragment-short", "f:tst-ctys/tst100/tst100.conf", "lab00", NULL, "lab00.soho", V1_PATH, 0 },
  { "ac26-fragment-shorter", "f:tst100/tst100.conf", "lab00", NULL, "lab00.soho", V1_PATH, 0 },
  { "fragment-file-only", "FILENAME:tst101.conf", "lab00", NULL, "lab00.soho", V2_PATH, 0 },
  { "fragment-inner", "f:tst104/tst1", "lab00", NULL, "lab00.soho", V3_PATH, 0 },
  { "fragment-inner-ambiguous", "f:xen/tst-ctys", "lab00", NULL, NULL, NULL, DECK_ERROR_AMBIGUOUS },
  /* AC-28: multipath registration; the host makes it unique. */
  { "ac28-label-lab00", "l:tst100", "lab00", NULL, "lab00.soho", V1_PATH, 0 },
  { "ac28-label-fqdn", "l:tst100", "lab00.soho", NULL, "lab00.soho", V1_PATH, 0 },
  { "ac28-label-ws2", "l:tst100", "ws2", NULL, "ws2.soho", V1_PATH, 0 },
  { "ac28-label-host-case", "l:tst100", "LAB00", NULL, "lab00.soho", V1_PATH, 0 },
  { "ac28-label-no-host", "l:tst100", NULL, NULL, NULL, NULL, DECK_ERROR_AMBIGUOUS },
  { "label-other-host", "l:tst100", "lab01", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "label-other-domain", "l:tst100", "lab00.other", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "label-host-prefix", "l:tst100", "lab0", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  /* AC-11: labels are case-sensitive, no regex or substring. */
  { "ac11-label-case", "l:TST100", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "label-no-substring", "l:tst10", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "label-no-regex", "l:tst10.", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  /* AC-31: IP, exact. */
  { "ac31-tcp", "t:172.20.6.100", "lab00", NULL, "lab00.soho", V1_PATH, 0 },
  { "tcp-netname", "t:tst101.soho", "lab00", NULL, "lab00.soho", V2_PATH, 0 },
  { "tcp-netname-case", "t:TST101.Soho", "lab00", NULL, "lab00.soho", V2_PATH, 0 },
  { "tcp-no-prefix", "t:172.20.6.10", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "tcp-no-regex-dot", "t:172x20x6x100", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  /* AC-32: absolute pathname, exact. */
  { "ac32-pathname", "i:" V1_PATH, "lab00", NULL, "lab00.soho", V1_PATH, 0 },
  { "pathname-not-prefix", "p:/home/acue/xen/tst-ctys/tst100", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  /* AC-34-like and AC-37: nothing matches. */
  { "ac34-unknown-label", "l:tst999", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "ac37-template", "f:templates/tpl/tpl.conf", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  /* UUID: dashes and case do not matter. */
  { "uuid-plain", "u:" V1_UUID, "lab00", NULL, "lab00.soho", V1_PATH, 0 },
  { "uuid-dashes-upper", "u:6842CAF9-1E3E-4324-9ED5-96B8B9F2C5C3", "lab00", NULL, "lab00.soho", V2_PATH, 0 },
  { "uuid-odd-dashes", "u:6842-caf91e3e4324-9ed596b8b9f2c5c6", "lab00", NULL, "lab00.soho", V3_PATH, 0 },
  { "uuid-partial", "u:6842caf9", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "uuid-only-dashes", "u:----", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  /* MAC: case-insensitive, exact. */
  { "mac-lower", "m:00:50:56:13:11:41", "lab00", NULL, "lab00.soho", V2_PATH, 0 },
  { "mac-unknown", "MAC:00:50:56:13:11:4A", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "dr-index", "dr:5", NULL, NULL, "ws2.soho", V2_PATH, 0 },
  { "dr-index-other-host", "dr:5", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  /* Parts are AND, values of one part OR. */
  { "and-consistent", "l:tst100,u:" V1_UUID ",m:00:50:56:13:11:40", "lab00", NULL, "lab00.soho", V1_PATH, 0 },
  { "and-conflicting", "l:tst100,u:" V2_UUID, "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "or-alternatives", "l:tst100%tst101", "lab00", NULL, NULL, NULL, DECK_ERROR_AMBIGUOUS },
  { "or-one-exists", "l:tst999%tst104", "lab00", NULL, "lab00.soho", V3_PATH, 0 },
  /* Base paths (AC-04 applied). */
  { "base-relative", "b:xen,l:tst101", "lab00", "/home/acue", "lab00.soho", V2_PATH, 0 },
  { "base-tilde", "b:~/xen/tst-ctys,l:tst101", "lab00", "/home/acue", "lab00.soho", V2_PATH, 0 },
  { "base-list", "b:/nowhere%xen,l:tst101", "lab00", "/home/acue", "lab00.soho", V2_PATH, 0 },
  { "base-wrong", "b:/etc/ctys.d,l:tst101", "lab00", "/home/acue", NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "base-relative-no-home", "b:xen,l:tst101", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
  { "base-partial-component", "b:/home/acue/xe,l:tst101", "lab00", NULL, NULL, NULL, DECK_ERROR_NOT_FOUND },
};

static void
test_resolve_case (gconstpointer data)
{
  const ResolveCase *c = data;
  g_autoptr(GPtrArray) records = make_records (fixture, G_N_ELEMENTS (fixture));
  g_autoptr(DeckAddress) addr = parse_ok (c->address);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckRecord) r = NULL;

  if (c->home != NULL)
    deck_address_set_home (addr, c->home);

  r = deck_address_resolve (addr, records, c->host, &error);
  if (c->want_host != NULL)
    {
      g_assert_no_error (error);
      g_assert_nonnull (r);
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_PM), ==, c->want_host);
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_ID), ==, c->want_path);
      g_assert_true (deck_address_matches (addr, r));
    }
  else
    {
      g_assert_null (r);
      g_assert_error (error, DECK_ERROR, c->error_code);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }

  g_clear_object (&r);
  g_assert_finalize_object (g_steal_pointer (&addr));
  free_records (g_steal_pointer (&records));
}

/* Spec §4.2 step 4: the config the most significant part names alone, and what differs */
static void
test_mismatch_message (void)
{
  static const struct {
    const char *address, *host, *want[3];
  } cases[] = {
    { "l:tst100,m:00:50:56:13:11:49", "lab00",
      { "different MACs detected: " V1_PATH " (named by l:) has MAC “00:50:56:13:11:40”, "
        "the address says “00:50:56:13:11:49”", NULL } },
    { "f:tst101/tst101.conf,l:tst100,u:" V1_UUID, "lab00",   /* f: outranks l: and u: */
      { "different LABELs detected: " V2_PATH " (named by f:) has LABEL “tst101”", "different UUIDs",
        "the address says “" V1_UUID "”" } },
    { "u:" V2_UUID ",t:172.20.6.100", "ws2",
      { "different TCPs detected: " V2_PATH " (named by u:) has TCP “172.20.6.101”", NULL } },
  };
  static const char *plain[][2] = {
    { "l:tst100,m:00:50:56:13:11:49", NULL },          /* no host: l: alone names two machines */
    { "l:tst999,m:00:50:56:13:11:40", "lab00" },       /* l: alone names nothing */
  };
  g_autoptr(GPtrArray) records = make_records (fixture, G_N_ELEMENTS (fixture));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DeckAddress) addr = parse_ok (cases[i].address);
      g_autoptr(GError) error = NULL;

      g_assert_null (deck_address_resolve (addr, records, cases[i].host, &error));
      g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
      for (guint k = 0; k < G_N_ELEMENTS (cases[i].want) && cases[i].want[k]; k++)
        assert_contains (error->message, cases[i].want[k]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      g_autoptr(DeckAddress) addr = parse_ok (plain[i][0]);
      g_autoptr(GError) error = NULL;

      g_assert_null (deck_address_resolve (addr, records, plain[i][1], &error));
      g_assert_nonnull (error);
      g_assert_null (strstr (error->message, "detected"));
    }
  free_records (g_steal_pointer (&records));
}

/* ---------------------------------------------------------------------------------------
 * Messages.
 */

static void
test_not_found_message (void)
{
  g_autoptr(GPtrArray) records = make_records (fixture, G_N_ELEMENTS (fixture));
  g_autoptr(DeckAddress) addr = parse_ok ("l:tst999,m:00:50:56:13:11:49");
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckRecord) r = deck_address_resolve (addr, records, "lab00", &error);

  g_assert_null (r);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  assert_contains (error->message, "l:tst999");
  assert_contains (error->message, "m:00:50:56:13:11:49");
  assert_contains (error->message, "lab00");

  g_assert_finalize_object (g_steal_pointer (&addr));
  free_records (g_steal_pointer (&records));
}

/* Within one host, a backup copy with identical label/uuid/mac is ambiguous (§4.4), and
 * the message lists every candidate with host, label and path. */
static void
test_ambiguous_message (void)
{
  static const RecordSpec specs[] = {
    { "lab00.soho", "tst100", V1_PATH, V1_UUID, "00:50:56:13:11:40", "172.20.6.100", "", "1" },
    { "lab00.soho", "tst100", B1_PATH, V1_UUID, "00:50:56:13:11:40", "172.20.6.100", "", "2" },
    { "lab00.soho", "tst101", V2_PATH, V2_UUID, "00:50:56:13:11:41", "172.20.6.101", "", "3" },
  };
  static const char *addresses[] = {
    "l:tst100", "u:" V1_UUID, "m:00:50:56:13:11:40", "t:172.20.6.100", "f:tst100/tst100.conf",
  };
  g_autoptr(GPtrArray) records = make_records (specs, G_N_ELEMENTS (specs));

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(DeckAddress) addr = parse_ok (addresses[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckRecord) r = deck_address_resolve (addr, records, "lab00", &error);
      g_autoptr(GPtrArray) hits = deck_address_select (addr, records, "lab00");

      g_test_message ("%s", addresses[i]);
      g_assert_null (r);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_AMBIGUOUS);
      assert_contains (error->message, addresses[i]);
      assert_contains (error->message, "lab00.soho  tst100  " V1_PATH);
      assert_contains (error->message, "lab00.soho  tst100  " B1_PATH);
      g_assert_null (strstr (error->message, V2_PATH));
      g_assert_cmpuint (hits->len, ==, 2);
    }

  /* The remedies of §4.4 make it unique. */
  {
    static const char *unique[] = {
      "l:tst100,f:tst-ctys/tst100/tst100.conf",
      "l:tst100,b:/home/acue/xen/backup",
      "i:" B1_PATH,
    };

    for (guint i = 0; i < G_N_ELEMENTS (unique); i++)
      {
        g_autoptr(DeckAddress) addr = parse_ok (unique[i]);
        g_autoptr(GError) error = NULL;
        g_autoptr(DeckRecord) r = deck_address_resolve (addr, records, "lab00", &error);

        g_assert_no_error (error);
        g_assert_nonnull (r);
      }
  }

  free_records (g_steal_pointer (&records));
}

/* Many candidates: the message stays bounded. */
static void
test_ambiguous_many (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DeckAddress) addr = parse_ok ("l:same");
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckRecord) r = NULL;

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *path = g_strdup_printf ("/srv/vm%03u/same.conf", i);
      RecordSpec spec = { "lab00", "same", path, "", "", "", "", "" };

      g_ptr_array_add (records, make_record (&spec));
    }

  r = deck_address_resolve (addr, records, "lab00", &error);
  g_assert_null (r);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_AMBIGUOUS);
  assert_contains (error->message, "500");
  assert_contains (error->message, "/srv/vm000/same.conf");
  assert_contains (error->message, "more");
  g_assert_cmpuint (strlen (error->message), <, 4096);

  g_assert_finalize_object (g_steal_pointer (&addr));
  free_records (g_steal_pointer (&records));
}

/* ---------------------------------------------------------------------------------------
 * Multipath, host names and interfaces.
 */

static void
test_host_names (void)
{
  static const RecordSpec specs[] = {
    { "lab00", "short", "/srv/short/short.conf", "", "", "", "", "" },
    { "lab00.soho", "fqdn", "/srv/fqdn/fqdn.conf", "", "", "", "", "" },
    { "lab00.soho.example", "deep", "/srv/deep/deep.conf", "", "", "", "", "" },
    { "lab001", "other", "/srv/other/other.conf", "", "", "", "", "" },
  };
  static const struct { const char *host; const char *labels; } cases[] = {
    { "lab00", "short|fqdn|deep" },
    { "lab00.soho", "short|fqdn" },
    { "lab00.soho.example", "short|deep" },
    { "LAB00.SOHO", "short|fqdn" },
    { "lab001", "other" },
    { "lab0", "" },
    { "soho", "" },
    { NULL, "short|fqdn|deep|other" },
    { "", "short|fqdn|deep|other" },
  };
  g_autoptr(GPtrArray) records = make_records (specs, G_N_ELEMENTS (specs));
  g_autoptr(DeckAddress) any = parse_ok ("b:/srv");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) hits = deck_address_select (any, records, cases[i].host);
      g_autoptr(GString) labels = g_string_new (NULL);

      for (guint j = 0; j < hits->len; j++)
        g_string_append_printf (labels, "%s%s", j ? "|" : "",
                                deck_record_get (hits->pdata[j], DECK_FIELD_LABEL));
      g_test_message ("host %s", cases[i].host ? cases[i].host : "(null)");
      g_assert_cmpstr (labels->str, ==, cases[i].labels);
    }

  g_assert_finalize_object (g_steal_pointer (&any));
  free_records (g_steal_pointer (&records));
}

/* One VM with two interfaces has two records; it still counts once. */
static void
test_interfaces (void)
{
  static const RecordSpec specs[] = {
    { "lab00.soho", "dual", "/srv/dual/dual.conf", V1_UUID, "00:16:3e:00:00:01", "10.0.0.1", "dual-a", "1" },
    { "lab00.soho", "dual", "/srv/dual/dual.conf", V1_UUID, "00:16:3e:00:00:02", "10.0.1.1", "dual-b", "2" },
    { "ws2.soho",   "dual", "/srv/dual/dual.conf", V1_UUID, "00:16:3e:00:00:01", "10.0.0.1", "dual-a", "3" },
  };
  static const char *addresses[] = {
    "l:dual", "u:" V1_UUID, "m:00:16:3E:00:00:02", "t:10.0.0.1", "t:dual-b", "f:dual.conf",
    "m:00:16:3e:00:00:01%00:16:3e:00:00:02",
  };
  g_autoptr(GPtrArray) records = make_records (specs, G_N_ELEMENTS (specs));

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(DeckAddress) addr = parse_ok (addresses[i]);
      g_autoptr(GPtrArray) hits = deck_address_select (addr, records, "lab00");
      g_autoptr(GPtrArray) all_hosts = deck_address_select (addr, records, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckRecord) r = deck_address_resolve (addr, records, "lab00", &error);

      g_test_message ("%s", addresses[i]);
      g_assert_cmpuint (hits->len, ==, 1);
      g_assert_no_error (error);
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_ID), ==, "/srv/dual/dual.conf");
      /* Across hosts: one per host (t:dual-b exists only on lab00). */
      g_assert_cmpuint (all_hosts->len, ==, strcmp (addresses[i], "t:dual-b") == 0 ||
                                           strcmp (addresses[i], "m:00:16:3E:00:00:02") == 0 ? 1 : 2);
    }

  free_records (g_steal_pointer (&records));
}

/* ---------------------------------------------------------------------------------------
 * f: suffix preference and b: boundary.
 */

static void
test_fragment_suffix (void)
{
  static const RecordSpec specs[] = {
    { "lab00", "a", "/home/a/xen/tst100/tst100.conf", "", "", "", "", "" },
    { "lab00", "b", "/home/a/xen/tst100/tst100.conf.bak", "", "", "", "", "" },
    { "lab00", "c", "/home/a/old-tst100/tst100.conf/x.conf", "", "", "", "", "" },
    { "lab00", "d", "/home/a/xen/mytst100/mytst100.conf", "", "", "", "", "" },
  };
  static const struct { const char *address; const char *labels; } cases[] = {
    /* suffix at a component wins over inner matches (.bak, directory named like the file) */
    { "f:tst100.conf", "a" },
    { "f:tst100/tst100.conf", "a" },
    { "f:/home/a/xen/tst100/tst100.conf", "a" },
    /* "st100.conf" ends a and d but not at a component: no preference, all hits stay */
    { "f:st100.conf", "a|b|c|d" },
    /* only inner matches: all stay */
    { "f:xen/", "a|b|d" },
    /* two suffix matches through alternatives */
    { "f:tst100.conf%mytst100.conf", "a|d" },
    { "f:tst100.conf.bak", "b" },
  };
  g_autoptr(GPtrArray) records = make_records (specs, G_N_ELEMENTS (specs));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DeckAddress) addr = parse_ok (cases[i].address);
      g_autoptr(GPtrArray) hits = deck_address_select (addr, records, "lab00");
      g_autoptr(GString) labels = g_string_new (NULL);

      for (guint j = 0; j < hits->len; j++)
        g_string_append_printf (labels, "%s%s", j ? "|" : "",
                                deck_record_get (hits->pdata[j], DECK_FIELD_LABEL));
      g_test_message ("%s", cases[i].address);
      g_assert_cmpstr (labels->str, ==, cases[i].labels);

      /* matches() itself is a plain substring test. */
      for (guint j = 0; j < records->len; j++)
        {
          const char *id = deck_record_get (records->pdata[j], DECK_FIELD_ID);
          gboolean sub = FALSE;

          for (const char * const *v = deck_address_get_values (addr, DECK_ADDRESS_PART_FRAGMENT);
               *v != NULL; v++)
            sub = sub || strstr (id, *v) != NULL;
          g_assert_cmpint (deck_address_matches (addr, records->pdata[j]), ==, sub);
        }
    }

  free_records (g_steal_pointer (&records));
}

static void
test_base_boundary (void)
{
  static const RecordSpec specs[] = {
    { "lab00", "vm", "/home/a/xen/vm/vm.conf", "", "", "", "", "" },
    { "lab00", "vm", "/home/a/xen2/vm/vm.conf", "", "", "", "", "" },
    { "lab00", "top", "/home/a/xen", "", "", "", "", "" },
  };
  static const struct { const char *address; const char *home; const char *paths; } cases[] = {
    { "b:/home/a/xen,l:vm", NULL, "/home/a/xen/vm/vm.conf" },
    { "b:/home/a/xen/,l:vm", NULL, "/home/a/xen/vm/vm.conf" },
    { "b:/home/a/xen//,l:vm", NULL, "/home/a/xen/vm/vm.conf" },
    { "b:/home/a/xen2,l:vm", NULL, "/home/a/xen2/vm/vm.conf" },
    { "b:/home/a/xe,l:vm", NULL, "" },
    { "b:/home/a/xen/vm/vm.conf,l:vm", NULL, "" },
    { "b:xen,l:vm", "/home/a", "/home/a/xen/vm/vm.conf" },
    { "b:xen%xen2,l:vm", "/home/a", "/home/a/xen/vm/vm.conf|/home/a/xen2/vm/vm.conf" },
    { "b:/home/a", NULL, "/home/a/xen/vm/vm.conf|/home/a/xen2/vm/vm.conf|/home/a/xen" },
    { "b:/", NULL, "/home/a/xen/vm/vm.conf|/home/a/xen2/vm/vm.conf|/home/a/xen" },
    /* the base itself is not below the base */
    { "b:/home/a/xen,l:top", NULL, "" },
  };
  g_autoptr(GPtrArray) records = make_records (specs, G_N_ELEMENTS (specs));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DeckAddress) addr = parse_ok (cases[i].address);
      g_autoptr(GPtrArray) hits = NULL;
      g_autoptr(GString) paths = g_string_new (NULL);

      if (cases[i].home != NULL)
        deck_address_set_home (addr, cases[i].home);
      hits = deck_address_select (addr, records, "lab00");
      for (guint j = 0; j < hits->len; j++)
        g_string_append_printf (paths, "%s%s", j ? "|" : "",
                                deck_record_get (hits->pdata[j], DECK_FIELD_ID));
      g_test_message ("%s", cases[i].address);
      g_assert_cmpstr (paths->str, ==, cases[i].paths);
    }

  free_records (g_steal_pointer (&records));
}

/* ---------------------------------------------------------------------------------------
 * UUID normal form.
 */

static void
test_uuid_normalize (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { V1_UUID, V1_UUID },
    { "6842CAF9-1E3E-4324-9ED5-96B8B9F2C5C2", V1_UUID },
    { "6842caf9-1e3e-4324-9ed5-96b8b9f2c5c2", V1_UUID },
    { "--6842CAF91E3E43249ED596B8B9F2C5C2--", V1_UUID },
    { "", "" },
    { "-", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *n = deck_address_normalize_uuid (cases[i].in);

      g_assert_cmpstr (n, ==, cases[i].out);
    }
}

/* Records store UUIDs in either form; the address in any. */

/* Resolves @address on lab00: the record labelled @label, or DECK_ERROR_NOT_FOUND when
 * @label is NULL. */
static void
assert_resolves_to_label (GPtrArray  *records,
                          const char *address,
                          const char *label)
{
  g_autoptr(DeckAddress) addr = parse_ok (address);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckRecord) r = deck_address_resolve (addr, records, "lab00", &error);

  g_test_message ("%s", address);
  if (label != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (deck_record_get (r, DECK_FIELD_LABEL), ==, label);
    }
  else
    g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
}

static void
test_uuid_dashes (void)
{
  static const RecordSpec specs[] = {
    { "lab00", "plain", "/srv/plain.conf", "6842caf91e3e43249ed596b8b9f2c5c2", "", "", "", "" },
    { "lab00", "dashed", "/srv/dashed.conf", "AAAAAAAA-1E3E-4324-9ED5-96B8B9F2C5C2", "", "", "", "" },
  };
  static const struct { const char *address; const char *label; } cases[] = {
    { "u:6842caf91e3e43249ed596b8b9f2c5c2", "plain" },
    { "u:6842CAF9-1E3E-4324-9ED5-96B8B9F2C5C2", "plain" },
    { "uuid:6842caf9-1e3e-4324-9ed5-96b8b9f2c5c2", "plain" },
    { "u:aaaaaaaa1e3e43249ed596b8b9f2c5c2", "dashed" },
    { "u:aaaaaaaa-1e3e-4324-9ed5-96b8b9f2c5c2", "dashed" },
    { "U:AAAAAAAA-1E3E-4324-9ED5-96B8B9F2C5C2", "dashed" },
    { "u:bbbbbbbb-1e3e-4324-9ed5-96b8b9f2c5c2", NULL },
  };
  g_autoptr(GPtrArray) records = make_records (specs, G_N_ELEMENTS (specs));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_resolves_to_label (records, cases[i].address, cases[i].label);

  free_records (g_steal_pointer (&records));
}

static void
test_mac_case (void)
{
  static const RecordSpec specs[] = {
    { "lab00", "lower", "/srv/lower.conf", "", "00:16:3e:ab:cd:ef", "", "", "" },
    { "lab00", "upper", "/srv/upper.conf", "", "00:16:3E:AB:CD:F0", "", "", "" },
  };
  static const struct { const char *address; const char *label; } cases[] = {
    { "m:00:16:3e:ab:cd:ef", "lower" },
    { "m:00:16:3E:AB:CD:EF", "lower" },
    { "MAC:00:16:3e:Ab:cD:eF", "lower" },
    { "m:00:16:3e:ab:cd:f0", "upper" },
    { "m:00:16:3E:AB:CD:F0", "upper" },
    { "m:00:16:3e:ab:cd:e", NULL },
    { "m:00-16-3e-ab-cd-ef", NULL },
  };
  g_autoptr(GPtrArray) records = make_records (specs, G_N_ELEMENTS (specs));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_resolves_to_label (records, cases[i].address, cases[i].label);

  free_records (g_steal_pointer (&records));
}

/* ---------------------------------------------------------------------------------------
 * Canonical text and round trips.
 */

typedef struct
{
  const char *input;
  const char *canonical;
} StringCase;

static const StringCase string_cases[] = {
  { "l:tst100", "l:tst100" },
  { "CONSOLE_IS_NOT_HERE_BUT:x", NULL },
  { "u:X,L:tst100,pname:/a.conf", "i:/a.conf,l:tst100,u:X" },
  { "dbrec:3,TCP:1.2.3.4,MAC:00:50:56:13:11:40", "m:00:50:56:13:11:40,t:1.2.3.4,dr:3" },
  { "m:00:50:56:13:11:40%AA:BB:CC:DD:EE:FF", "m:00:50:56:13:11:40%AA:BB:CC:DD:EE:FF" },
  { "f:a,,b%c%%d", "f:a,,b%c%%d" },
  { "l:a::b", "l:a::b" },
  { "l:a\\\\b", "l:a\\\\b" },
  { "b:/x%/y,all", "b:/x%/y,ALL" },
  { "l:$(id);'\"`x`", "l:$(id);'\"`x`" },
};

static void
test_to_string (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (string_cases); i++)
    {
      const StringCase *c = &string_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckAddress) addr = deck_address_parse (c->input, &error);
      g_autoptr(DeckAddress) again = NULL;
      g_autofree char *text = NULL;
      g_autofree char *text2 = NULL;

      g_test_message ("%s", c->input);
      if (c->canonical == NULL)
        {
          g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
          continue;
        }
      g_assert_no_error (error);
      text = deck_address_to_string (addr);
      g_assert_cmpstr (text, ==, c->canonical);

      again = parse_ok (text);
      text2 = deck_address_to_string (again);
      g_assert_cmpstr (text2, ==, text);
      for (guint p = 0; p < DECK_ADDRESS_N_PARTS; p++)
        g_assert_true (g_strv_equal ((const char * const *) deck_address_get_values (addr, p),
                                     (const char * const *) deck_address_get_values (again, p)));
      g_assert_cmpint (deck_address_get_all (addr), ==, deck_address_get_all (again));
    }
}

/* ---------------------------------------------------------------------------------------
 * Hostile values: plain data, exact matches, bounded messages, no crash.
 */

static void
test_hostile (void)
{
  static const RecordSpec specs[] = {
    { "lab00", "$(reboot)", "/srv/q/'x'.conf", "", "", "", "", "" },
    { "lab00", "a\"b`c`", "/srv/q/\"y\".conf", "", "", "", "", "" },
    { "lab00", "tst100", "/srv/q/z.conf", "", "", "", "", "" },
  };
  static const struct { const char *address; const char *label; int code; } cases[] = {
    { "l:$(reboot)", "$(reboot)", 0 },
    { "l:a\"b`c`", "a\"b`c`", 0 },
    { "f:'x'.conf", "$(reboot)", 0 },
    { "i:/srv/q/\"y\".conf", "a\"b`c`", 0 },
    { "l:tst100;reboot", NULL, DECK_ERROR_NOT_FOUND },
    { "l:tst100 && reboot", NULL, DECK_ERROR_NOT_FOUND },
    { "l:.*", NULL, DECK_ERROR_NOT_FOUND },
    { "f:.*", NULL, DECK_ERROR_NOT_FOUND },
    { "l:tst[0-9]*", NULL, DECK_ERROR_NOT_FOUND },
    { "l:–ü€漢字", NULL, DECK_ERROR_NOT_FOUND },
  };
  g_autoptr(GPtrArray) records = make_records (specs, G_N_ELEMENTS (specs));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DeckAddress) addr = parse_ok (cases[i].address);
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckRecord) r = deck_address_resolve (addr, records, "lab00", &error);

      g_test_message ("%s", cases[i].address);
      if (cases[i].label != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (deck_record_get (r, DECK_FIELD_LABEL), ==, cases[i].label);
        }
      else
        {
          g_assert_error (error, DECK_ERROR, cases[i].code);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
    }

  /* A very long value: no match, and a message of bounded size that is valid UTF-8 even
   * though the cut falls among multi-byte characters. */
  {
    g_autoptr(GString) text = g_string_new ("l:");
    g_autoptr(DeckAddress) addr = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(DeckRecord) r = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append (text, "ü");
    addr = parse_ok (text->str);
    g_assert_cmpuint (strlen (deck_address_get_values (addr, DECK_ADDRESS_PART_LABEL)[0]), ==, 200000);
    r = deck_address_resolve (addr, records, "lab00", &error);
    g_assert_null (r);
    g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_cmpuint (strlen (error->message), <, 2048);
  }

  /* A long relative pathname: the usage message is bounded too. */
  {
    g_autoptr(GString) text = g_string_new ("p:");
    g_autoptr(GError) error = NULL;
    g_autoptr(DeckAddress) addr = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (text, 'x');
    addr = deck_address_parse (text->str, &error);
    g_assert_null (addr);
    g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
    g_assert_cmpuint (strlen (error->message), <, 2048);
  }

  free_records (g_steal_pointer (&records));
}

/* Empty record fields never match (an address value is never empty). */
static void
test_empty_fields (void)
{
  static const RecordSpec specs[] = {
    { "lab00", "bare", "/srv/bare.conf", "", "", "", "", "" },
  };
  static const char *addresses[] = { "u:-", "m:-", "t:-", "dr:-", "f:-" };
  g_autoptr(GPtrArray) records = make_records (specs, G_N_ELEMENTS (specs));
  g_autoptr(DeckAddress) all = parse_ok ("ALL");
  g_autoptr(DeckAddress) label = parse_ok ("l:bare");

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(DeckAddress) addr = parse_ok (addresses[i]);

      g_test_message ("%s", addresses[i]);
      g_assert_false (deck_address_matches (addr, records->pdata[0]));
    }
  g_assert_true (deck_address_matches (all, records->pdata[0]));
  g_assert_true (deck_address_matches (label, records->pdata[0]));

  free_records (g_steal_pointer (&records));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deck/address/parse/keys", test_parse_keys);
  g_test_add_func ("/deck/address/parse/all", test_parse_all);
  for (guint i = 0; i < G_N_ELEMENTS (parse_error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/address/parse-error/%s",
                                               parse_error_cases[i].name);
      g_test_add_data_func (path, &parse_error_cases[i], test_parse_error);
    }
  g_test_add_func ("/deck/address/take-suboption", test_take_suboption);
  g_test_add_func ("/deck/address/take-invalid-utf8", test_take_invalid_utf8);
  g_test_add_func ("/deck/address/has-target", test_has_target);
  g_test_add_func ("/deck/address/base-home", test_base_home);
  for (guint i = 0; i < G_N_ELEMENTS (resolve_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/address/resolve/%s", resolve_cases[i].name);
      g_test_add_data_func (path, &resolve_cases[i], test_resolve_case);
    }
  g_test_add_func ("/deck/address/not-found-message", test_not_found_message);
  g_test_add_func ("/deck/address/mismatch-message", test_mismatch_message);
  g_test_add_func ("/deck/address/ambiguous-message", test_ambiguous_message);
  g_test_add_func ("/deck/address/ambiguous-many", test_ambiguous_many);
  g_test_add_func ("/deck/address/host-names", test_host_names);
  g_test_add_func ("/deck/address/interfaces", test_interfaces);
  g_test_add_func ("/deck/address/fragment-suffix", test_fragment_suffix);
  g_test_add_func ("/deck/address/base-boundary", test_base_boundary);
  g_test_add_func ("/deck/address/uuid-normalize", test_uuid_normalize);
  g_test_add_func ("/deck/address/uuid-dashes", test_uuid_dashes);
  g_test_add_func ("/deck/address/mac-case", test_mac_case);
  g_test_add_func ("/deck/address/to-string", test_to_string);
  g_test_add_func ("/deck/address/hostile", test_hostile);
  g_test_add_func ("/deck/address/empty-fields", test_empty_fields);

  return g_test_run ();
}
