/* test-vhost-query.c: the ctys-vhost query language (spec §6.4, AC-90)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "deck-error.h"
#include "deck-record.h"
#include "deck-vhost-query.h"

/* ---- fixture: the inventory of spec §12.0 ------------------------------------------ */

typedef struct {
  const char *host;
  const char *label;
  const char *uuid_tail;
  const char *mac_tail;
  const char *ip_tail;
} VmSpec;

static const VmSpec fixture_vms[] = {
  { "lab00.soho", "tst100", "c2", "40", "100" },
  { "lab00.soho", "tst101", "c3", "41", "101" },
  { "lab00.soho", "tst104", "c6", "44", "104" },
  { "ws2.soho", "tst100", "c2", "40", "100" },
  { "ws2.soho", "tst101", "c3", "41", "101" },
  { "ws2.soho", "tst104", "c6", "44", "104" },
};

static DeckRecord *
make_vm (const VmSpec *vm,
         guint         index)
{
  DeckRecord *r = deck_record_new ();
  g_autofree char *path = g_strdup_printf ("/home/acue/xen/tst-ctys/%s/%s.conf",
                                           vm->label, vm->label);
  g_autofree char *uuid = g_strdup_printf ("6842caf91e3e43249ed596b8b9f2c5%s", vm->uuid_tail);
  g_autofree char *mac = g_strdup_printf ("00:50:56:13:11:%s", vm->mac_tail);
  g_autofree char *ip = g_strdup_printf ("172.20.6.%s", vm->ip_tail);
  g_autofree char *idx = index ? g_strdup_printf ("%u", index) : NULL;

  deck_record_set (r, DECK_FIELD_PM, vm->host);
  deck_record_set (r, DECK_FIELD_TYPE, "XEN");
  deck_record_set (r, DECK_FIELD_LABEL, vm->label);
  deck_record_set (r, DECK_FIELD_ID, path);
  deck_record_set (r, DECK_FIELD_UUID, uuid);
  deck_record_set (r, DECK_FIELD_MAC, mac);
  deck_record_set (r, DECK_FIELD_TCP, ip);
  deck_record_set (r, DECK_FIELD_DIST, "CentOS");
  deck_record_set (r, DECK_FIELD_DISTREL, "5.0");
  deck_record_set (r, DECK_FIELD_OS, "Linux");
  deck_record_set (r, DECK_FIELD_CATEGORY, "VM");
  deck_record_set (r, DECK_FIELD_VMSTATE, "ACTIVE");
  deck_record_set (r, DECK_FIELD_SSHPORT, "22");
  deck_record_set (r, DECK_FIELD_INDEX, idx);
  deck_record_set (r, DECK_FIELD_IFNAME, "eth0");
  deck_record_set (r, DECK_FIELD_NETMASK, "255.255.0.0");
  deck_record_set (r, DECK_FIELD_GATEWAY, "172.20.0.1");
  deck_record_set (r, DECK_FIELD_RELAY, "xenbr0");
  deck_record_set (r, DECK_FIELD_VRAM, "256");
  deck_record_set (r, DECK_FIELD_VCPU, "1");
  deck_record_set (r, DECK_FIELD_UID, "acue");
  deck_record_set (r, DECK_FIELD_GID, "users");
  deck_record_set (r, DECK_FIELD_DEFHOSTS, "VNC");
  deck_record_set (r, DECK_FIELD_DEFCONSOLE, "GTERM");
  return r;
}

/* A record with only a host, a label, the index and a user string (field 43) of
 * space-separated tokens; used by the operator tests. */
static DeckRecord *
make_token_record (const char *label,
                   guint       index,
                   const char *tokens)
{
  DeckRecord *r = deck_record_new ();
  g_autofree char *idx = g_strdup_printf ("%u", index);

  deck_record_set (r, DECK_FIELD_PM, "host");
  deck_record_set (r, DECK_FIELD_TYPE, "XEN");
  deck_record_set (r, DECK_FIELD_LABEL, label);
  deck_record_set (r, DECK_FIELD_INDEX, idx);
  deck_record_set (r, DECK_FIELD_USERSTRG, tokens);
  return r;
}

typedef struct {
  GPtrArray *records;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  fx->records = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (fixture_vms); i++)
    g_ptr_array_add (fx->records, make_vm (&fixture_vms[i], i + 1));
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  /* every reference the query took must be gone */
  g_ptr_array_set_free_func (fx->records, NULL);
  for (guint i = 0; i < fx->records->len; i++)
    g_assert_finalize_object (g_ptr_array_index (fx->records, i));
  g_ptr_array_unref (fx->records);
}

static void
add_token_records (Fixture *fx)
{
  /* label  tokens      x AND (a OR b OR c)   (x AND a) OR b OR c */
  static const struct {
    const char *label;
    const char *tokens;
  } rows[] = {
    { "r7", "kx ka" },  /* yes                  yes */
    { "r8", "kb" },     /* no                   yes */
    { "r9", "kx kc" },  /* yes                  yes */
    { "r10", "kx" },    /* no                   no  */
    { "r11", "ka" },    /* no                   no  */
    { "r12", "kc" },    /* no                   yes */
    { "r13", "kx kb" }, /* yes                  yes */
  };

  g_ptr_array_set_size (fx->records, 0);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_ptr_array_add (fx->records, make_token_record (rows[i].label, i + 7, rows[i].tokens));
}

/* ---- helpers ----------------------------------------------------------------------- */

/* Runs @query (blank-separated words) and returns "label@host,label@host,..." of the
 * result, or NULL with @error set. */
static char *
query_labels (Fixture        *fx,
              const char     *query_text,
              DeckVhostMode   mode,
              GError        **error)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(DeckVhostQuery) query = NULL;
  g_autoptr(GPtrArray) result = NULL;
  GString *s;

  words = *query_text ? g_strsplit (query_text, " ", -1) : g_new0 (char *, 1);
  query = deck_vhost_query_parse ((const char * const *) words, error);
  if (query == NULL)
    return NULL;
  result = deck_vhost_query_run (query, fx->records, mode, error);
  if (result == NULL)
    return NULL;

  s = g_string_new (NULL);
  for (guint i = 0; i < result->len; i++)
    {
      DeckRecord *r = g_ptr_array_index (result, i);

      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append_printf (s, "%s@%s", deck_record_get (r, DECK_FIELD_LABEL),
                              deck_record_get (r, DECK_FIELD_PM));
    }
  return g_string_free (s, FALSE);
}

/* Same, as record indexes (field 32): "1,3,5". */
static char *
query_indexes (Fixture      *fx,
               const char   *query_text,
               DeckVhostMode mode)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(DeckVhostQuery) query = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GError) error = NULL;
  GString *s;

  words = *query_text ? g_strsplit (query_text, " ", -1) : g_new0 (char *, 1);
  query = deck_vhost_query_parse ((const char * const *) words, &error);
  g_assert_no_error (error);
  result = deck_vhost_query_run (query, fx->records, mode, &error);
  g_assert_no_error (error);

  s = g_string_new (NULL);
  for (guint i = 0; i < result->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, deck_record_get (g_ptr_array_index (result, i), DECK_FIELD_INDEX));
    }
  return g_string_free (s, FALSE);
}

typedef struct {
  const char *query;
  const char *expected;
} Case;

static void
check_cases (Fixture      *fx,
             const Case   *cases,
             guint         n_cases,
             DeckVhostMode mode)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *got = query_indexes (fx, cases[i].query, mode);

      g_test_message ("query: %s", cases[i].query);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

/* ---- operators --------------------------------------------------------------------- */

static void
test_precedence (Fixture      *fx,
                 gconstpointer data)
{
  /* AC-90: x AND a OR b OR c == x AND (a OR b OR c); a blank means AND */
  static const Case cases[] = {
    { "kx AND ka OR kb OR kc", "7,9,13" },
    { "kx ka OR kb OR kc", "7,9,13" },
    { "kx and ka or kb Or kc", "7,9,13" },
    /* the OR group may come first: (a OR b) AND x */
    { "ka OR kb kx", "7,13" },
    { "ka OR kb AND kx", "7,13" },
    /* two groups */
    { "ka OR kb kx OR kc", "7,13" },
    { "kx", "7,9,10,13" },
    { "kb OR kc", "8,9,12,13" },
    /* no terms: every record */
    { "", "7,8,9,10,11,12,13" },
  };

  add_token_records (fx);
  check_cases (fx, cases, G_N_ELEMENTS (cases), DECK_VHOST_ALL);
}

static void
test_not (Fixture      *fx,
          gconstpointer data)
{
  static const Case cases[] = {
    { "NOT kx", "8,11,12" },
    { "not kx", "8,11,12" },
    { "kx NOT ka", "9,10,13" },
    { "kx AND NOT ka", "9,10,13" },
    /* NOT binds to the next term only, not to the OR group */
    { "NOT ka OR kb", "8,9,10,12,13" },
    { "kx NOT ka OR kb", "9,10,13" },
    { "kx ka OR NOT kb", "7,9,10" },
    { "NOT kx NOT ka", "8,12" },
  };

  add_token_records (fx);
  check_cases (fx, cases, G_N_ELEMENTS (cases), DECK_VHOST_ALL);
}

static void
test_bad_operators (void)
{
  static const char * const bad[] = {
    "AND kx", "OR kx", "kx OR", "kx AND", "kx NOT", "NOT", "kx AND OR ka", "kx OR AND ka",
    "NOT NOT kx", "kx NOT AND ka", "kx NOT OR ka",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(GStrv) words = g_strsplit (bad[i], " ", -1);
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckVhostQuery) query = NULL;

      g_test_message ("query: %s", bad[i]);
      query = deck_vhost_query_parse ((const char * const *) words, &error);
      g_assert_null (query);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
    }
}

/* ---- term kinds -------------------------------------------------------------------- */

static void
test_regex_terms (Fixture      *fx,
                  gconstpointer data)
{
  static const Case cases[] = {
    /* the seed diagnostic (AC-86): regexes anywhere in the record */
    { "lab00 XEN tst100", "1" },
    { "tst10", "1,2,3,4,5,6" },
    { "tst10[14]", "2,3,5,6" },
    { "^ws2", "4,5,6" },
    { "soho;XEN;tst104;", "3,6" },
    /* '.' is a regex metacharacter: matches 100, 101 and 104 */
    { "172.20.6.10", "1,2,3,4,5,6" },
    { "172\\.20\\.6\\.101", "2,5" },
    /* patterns are case-sensitive */
    { "TST100", "" },
    { "(tst100|tst104)/", "1,3,4,6" },
  };

  check_cases (fx, cases, G_N_ELEMENTS (cases), DECK_VHOST_ALL);
}

static void
test_field_terms (Fixture      *fx,
                  gconstpointer data)
{
  static const Case cases[] = {
    { "F:3:tst100", "1,4" },
    { "F:1:^ws2", "4,5,6" },
    /* substring semantics */
    { "F:4:tst-ctys", "1,2,3,4,5,6" },
    { "F:3:01", "2,5" },
    /* the regex is everything after the second ':' */
    { "F:6:00:50:56:13:11:41", "2,5" },
    { "F:6:11:4[04]$", "1,3,4,6" },
    /* field 1 holds no label */
    { "F:1:tst", "" },
    /* case-sensitive */
    { "F:2:xen", "" },
    { "f:2:XEN", "1,2,3,4,5,6" },
    /* empty regex: any value */
    { "F:43:", "1,2,3,4,5,6" },
    { "F:3:tst100 F:1:lab00", "1" },
  };

  check_cases (fx, cases, G_N_ELEMENTS (cases), DECK_VHOST_ALL);
}

static void
test_equal_terms (Fixture      *fx,
                  gconstpointer data)
{
  static const Case cases[] = {
    /* the PM self-record: netname (28) equals the host (1) */
    { "E:28:1", "7" },
    { "NOT E:28:1", "1,2,3,4,5,6" },
    { "e:28:1", "7" },
    /* field 7 (172.20.6.100) used as a regex against field 7 of the same record */
    { "E:7:7", "1,2,3,4,5,6,7" },
  };
  DeckRecord *pm = deck_record_new ();

  deck_record_set (pm, DECK_FIELD_PM, "lab00.soho");
  deck_record_set (pm, DECK_FIELD_TYPE, "PM");
  deck_record_set (pm, DECK_FIELD_LABEL, "lab00");
  deck_record_set (pm, DECK_FIELD_TCP, "172.20.0.10");
  deck_record_set (pm, DECK_FIELD_NETNAME, "lab00.soho");
  deck_record_set (pm, DECK_FIELD_INDEX, "7");
  g_ptr_array_add (fx->records, pm);

  check_cases (fx, cases, G_N_ELEMENTS (cases), DECK_VHOST_ALL);
}

static void
test_range_terms (Fixture      *fx,
                  gconstpointer data)
{
  static const Case cases[] = {
    { "R:3", "3" },
    { "r:3", "3" },
    { "R:2:4", "2,3,4" },
    { "R:4:4", "4" },
    { "R:5:99", "5,6" },
    { "R:99", "" },
    { "NOT R:2:5", "1,6" },
    { "R:1 OR R:6", "1,6" },
    { "R:1:3 tst104", "3" },
  };

  check_cases (fx, cases, G_N_ELEMENTS (cases), DECK_VHOST_ALL);
}

static void
test_range_without_index (Fixture      *fx,
                          gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  /* records without field 32 are numbered by their position */
  g_ptr_array_set_size (fx->records, 0);
  for (guint i = 0; i < G_N_ELEMENTS (fixture_vms); i++)
    g_ptr_array_add (fx->records, make_vm (&fixture_vms[i], 0));

  got = query_labels (fx, "R:5", DECK_VHOST_ALL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, "tst101@ws2.soho");
}

static void
test_bad_terms (void)
{
  static const char * const bad[] = {
    /* regexes */
    "tst(", "[z-a]", "a{2,1}", "*x",
    /* F: */
    "F:0:x", "F:48:x", "F:3", "F:99999999999999999999:x",
    /* E: */
    "E:28", "E:28:", "E:x:1", "E:28:1:2", "E:0:1", "E:28:48", "E:",
    /* R: */
    "R:", "R:a", "R:3:", "R:3:x", "R:5:2", "R:1:2:3",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *words[] = { "tst100", bad[i], NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckVhostQuery) query = NULL;

      g_test_message ("term: %s", bad[i]);
      query = deck_vhost_query_parse (words, &error);
      g_assert_null (query);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      /* the message names the term and its position */
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_nonnull (strstr (error->message, "term 2"));
    }
}

/* ---- address terms: strict, field-wise (spec §4.3 REC) ----------------------------- */

static void
test_address_terms (Fixture      *fx,
                    gconstpointer data)
{
  static const Case cases[] = {
    /* labels are exact: l:tst10 is no prefix match, unlike the regex tst10 */
    { "l:tst10", "" },
    { "l:tst100", "1,4" },
    { "L:tst100", "1,4" },
    { "label:tst101", "2,5" },
    { "l:TST100", "" },
    { "l:tst100 lab00", "1" },
    { "l:tst100 F:1:^ws2", "4" },
    /* IPs are exact: '.' is no wildcard */
    { "t:172.20.6.10", "" },
    { "t:172.20.6.101", "2,5" },
    { "t:172x20x6x101", "" },
    /* MACs: the value keeps its colons; case-insensitive */
    { "m:00:50:56:13:11:44", "3,6" },
    { "M:00:50:56:13:11:4", "" },
    /* UUIDs ignore dashes and case */
    { "u:6842CAF9-1e3e-4324-9ed5-96b8b9f2c5c3", "2,5" },
    /* pathnames are exact, fragments are substrings */
    { "p:/home/acue/xen/tst-ctys/tst104/tst104.conf", "3,6" },
    { "i:/home/acue/xen/tst-ctys/tst104", "" },
    { "f:tst100/tst100.conf", "1,4" },
    { "F:tst-ctys/tst101/tst101.conf", "2,5" },
    { "f:2024/x.conf", "" },
    /* address terms combine with the operators */
    { "l:tst100 OR l:tst104", "1,3,4,6" },
    { "NOT l:tst100", "2,3,5,6" },
    { "l:tst100,t:172.20.6.100", "1,4" },
    { "l:tst100,t:172.20.6.101", "" },
  };

  check_cases (fx, cases, G_N_ELEMENTS (cases), DECK_VHOST_ALL);
}

static void
test_address_bad (void)
{
  static const char * const bad[] = {
    "t:", "p:xen/tst100.conf", "l:tst100,bogus:1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *words[] = { bad[i], NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckVhostQuery) query = NULL;

      g_test_message ("term: %s", bad[i]);
      query = deck_vhost_query_parse (words, &error);
      g_assert_null (query);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

/* ---- modes ------------------------------------------------------------------------- */

static void
test_modes (Fixture      *fx,
            gconstpointer data)
{
  g_autofree char *first = query_indexes (fx, "tst10[14]", DECK_VHOST_FIRST);
  g_autofree char *last = query_indexes (fx, "tst10[14]", DECK_VHOST_LAST);
  g_autofree char *all = query_indexes (fx, "tst10[14]", DECK_VHOST_ALL);
  g_autofree char *complement = query_indexes (fx, "tst10[14]", DECK_VHOST_COMPLEMENT);
  g_autofree char *none_first = query_indexes (fx, "nomatch", DECK_VHOST_FIRST);
  g_autofree char *none_last = query_indexes (fx, "nomatch", DECK_VHOST_LAST);
  g_autofree char *complement_all = query_indexes (fx, "nomatch", DECK_VHOST_COMPLEMENT);

  g_assert_cmpstr (first, ==, "2");
  g_assert_cmpstr (last, ==, "6");
  g_assert_cmpstr (all, ==, "2,3,5,6");
  g_assert_cmpstr (complement, ==, "1,4");
  g_assert_cmpstr (none_first, ==, "");
  g_assert_cmpstr (none_last, ==, "");
  g_assert_cmpstr (complement_all, ==, "1,2,3,4,5,6");
}

static void
test_sort_modes (Fixture      *fx,
                 gconstpointer data)
{
  g_autofree char *all = NULL;
  g_autofree char *sorted = NULL;
  g_autofree char *usorted = NULL;
  g_autoptr(GError) error = NULL;

  /* database order: ws2 records first, then lab00, and a duplicate of tst101@ws2 that
   * differs only in its index (the same VM found in two database directories) */
  g_ptr_array_set_size (fx->records, 0);
  for (guint i = 0; i < G_N_ELEMENTS (fixture_vms); i++)
    g_ptr_array_add (fx->records, make_vm (&fixture_vms[(i + 3) % 6], i + 1));
  g_ptr_array_add (fx->records, make_vm (&fixture_vms[4], 7));

  all = query_labels (fx, "XEN", DECK_VHOST_ALL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (all, ==, "tst100@ws2.soho,tst101@ws2.soho,tst104@ws2.soho,"
                   "tst100@lab00.soho,tst101@lab00.soho,tst104@lab00.soho,tst101@ws2.soho");

  sorted = query_labels (fx, "XEN", DECK_VHOST_SORT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sorted, ==, "tst100@lab00.soho,tst101@lab00.soho,tst104@lab00.soho,"
                   "tst100@ws2.soho,tst101@ws2.soho,tst101@ws2.soho,tst104@ws2.soho");

  usorted = query_labels (fx, "XEN", DECK_VHOST_USORT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (usorted, ==, "tst100@lab00.soho,tst101@lab00.soho,tst104@lab00.soho,"
                   "tst100@ws2.soho,tst101@ws2.soho,tst104@ws2.soho");

  /* equal keys keep database order: the duplicate with index 2 comes before index 7 */
  {
    g_autofree char *idx = query_indexes (fx, "F:3:tst101 ws2", DECK_VHOST_SORT);

    g_assert_cmpstr (idx, ==, "2,7");
  }
}

static void
test_unique (Fixture      *fx,
             gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *one = NULL;
  g_autofree char *several = NULL;
  g_autofree char *none = NULL;
  g_autofree char *dup = NULL;

  one = query_labels (fx, "lab00 XEN tst100", DECK_VHOST_UNIQUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (one, ==, "tst100@lab00.soho");

  /* multipath registration: tst100 on both hosts is ambiguous without the host */
  several = query_labels (fx, "tst100", DECK_VHOST_UNIQUE, &error);
  g_assert_null (several);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_AMBIGUOUS);
  /* the message lists the candidates */
  g_assert_nonnull (strstr (error->message, "2 records"));
  g_assert_nonnull (strstr (error->message, "lab00.soho tst100 /home/acue/xen/tst-ctys/tst100/tst100.conf"));
  g_assert_nonnull (strstr (error->message, "ws2.soho tst100"));
  g_clear_error (&error);

  none = query_labels (fx, "tst999", DECK_VHOST_UNIQUE, &error);
  g_assert_null (none);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* the same record twice (two database directories, different index) is one match */
  g_ptr_array_add (fx->records, make_vm (&fixture_vms[0], 7));
  dup = query_labels (fx, "lab00 XEN tst100", DECK_VHOST_UNIQUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dup, ==, "tst100@lab00.soho");
}

static void
test_mode_parse (void)
{
  static const struct {
    const char    *text;
    DeckVhostMode  mode;
  } good[] = {
    { "FIRST", DECK_VHOST_FIRST },
    { "last", DECK_VHOST_LAST },
    { "All", DECK_VHOST_ALL },
    { "complement", DECK_VHOST_COMPLEMENT },
    { "SORT", DECK_VHOST_SORT },
    { "usort", DECK_VHOST_USORT },
    { "unique", DECK_VHOST_UNIQUE },
  };
  static const char * const bad[] = { "", "FIRSTX", "uniq", "ALL,SORT" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      DeckVhostMode mode = (good[i].mode + 1) % (DECK_VHOST_UNIQUE + 1);
      g_autoptr(GError) error = NULL;

      g_assert_true (deck_vhost_mode_parse (good[i].text, &mode, &error));
      g_assert_no_error (error);
      g_assert_cmpint (mode, ==, good[i].mode);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      DeckVhostMode mode = DECK_VHOST_LAST;
      g_autoptr(GError) error = NULL;

      g_assert_false (deck_vhost_mode_parse (bad[i], &mode, &error));
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      g_assert_nonnull (strstr (error->message, "UNIQUE"));
      g_assert_cmpint (mode, ==, DECK_VHOST_LAST);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/deck/vhost-query/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("precedence", test_precedence);
  ADD ("not", test_not);
  g_test_add_func ("/deck/vhost-query/bad-operators", test_bad_operators);
  ADD ("regex", test_regex_terms);
  ADD ("field", test_field_terms);
  ADD ("equal", test_equal_terms);
  ADD ("range", test_range_terms);
  ADD ("range-without-index", test_range_without_index);
  g_test_add_func ("/deck/vhost-query/bad-terms", test_bad_terms);
  ADD ("address", test_address_terms);
  g_test_add_func ("/deck/vhost-query/address-bad", test_address_bad);
  ADD ("modes", test_modes);
  ADD ("sort", test_sort_modes);
  ADD ("unique", test_unique);
  g_test_add_func ("/deck/vhost-query/mode-parse", test_mode_parse);

#undef ADD

  return g_test_run ();
}
