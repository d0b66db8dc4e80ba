/* deck-address.c: <machine-address> parsing and strict field-wise matching (spec §4)
 *
 * Matching follows spec §4.3 REC, not the ctys awk regexes: every value is compared with
 * its own record field, exactly (l:, i:/p:, dr:), normalised (u:, m:), as a substring
 * (f:) or as a path prefix on a '/' boundary (b:). Values of one part are alternatives;
 * different parts must all match.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-address.h"

#include <string.h>

#include "deck-error.h"

/* Candidates listed in an ambiguity message, and the longest value quoted in a message. */
#define MAX_LISTED_CANDIDATES 20
#define MAX_QUOTED_VALUE      120

struct _DeckAddress
{
  GObject parent_instance;

  GPtrArray *values[DECK_ADDRESS_N_PARTS]; /* NULL-terminated arrays of char * */
  gboolean   all;
  char      *home;
};

G_DEFINE_FINAL_TYPE (DeckAddress, deck_address, G_TYPE_OBJECT)

typedef struct
{
  const char      *key;
  DeckAddressPart  part;
} KeyEntry;

static const KeyEntry key_table[] = {
  { "I", DECK_ADDRESS_PART_ID },
  { "ID", DECK_ADDRESS_PART_ID },
  { "P", DECK_ADDRESS_PART_ID },
  { "PNAME", DECK_ADDRESS_PART_ID },
  { "PATHNAME", DECK_ADDRESS_PART_ID },
  { "F", DECK_ADDRESS_PART_FRAGMENT },
  { "FNAME", DECK_ADDRESS_PART_FRAGMENT },
  { "FILENAME", DECK_ADDRESS_PART_FRAGMENT },
  { "B", DECK_ADDRESS_PART_BASE },
  { "BASE", DECK_ADDRESS_PART_BASE },
  { "BASEPATH", DECK_ADDRESS_PART_BASE },
  { "L", DECK_ADDRESS_PART_LABEL },
  { "LABEL", DECK_ADDRESS_PART_LABEL },
  { "U", DECK_ADDRESS_PART_UUID },
  { "UUID", DECK_ADDRESS_PART_UUID },
  { "M", DECK_ADDRESS_PART_MAC },
  { "MAC", DECK_ADDRESS_PART_MAC },
  { "T", DECK_ADDRESS_PART_TCP },
  { "TCP", DECK_ADDRESS_PART_TCP },
  { "DR", DECK_ADDRESS_PART_DBREC },
  { "DBREC", DECK_ADDRESS_PART_DBREC },
  { "DBRECORD", DECK_ADDRESS_PART_DBREC },
};

/* Canonical prefix of each part (to_string) and an example for messages. */
static const struct
{
  const char *prefix;
  const char *example;
} part_info[DECK_ADDRESS_N_PARTS] = {
  [DECK_ADDRESS_PART_ID] = { "i", "i:/home/user/xen/vm1/vm1.conf" },
  [DECK_ADDRESS_PART_FRAGMENT] = { "f", "f:vm1/vm1.conf" },
  [DECK_ADDRESS_PART_BASE] = { "b", "b:xen%/etc/ctys.d" },
  [DECK_ADDRESS_PART_LABEL] = { "l", "l:vm1" },
  [DECK_ADDRESS_PART_UUID] = { "u", "u:6842caf9-1e3e-4324-9ed5-96b8b9f2c5c2" },
  [DECK_ADDRESS_PART_MAC] = { "m", "m:00:50:56:13:11:40" },
  [DECK_ADDRESS_PART_TCP] = { "t", "t:172.20.6.100" },
  [DECK_ADDRESS_PART_DBREC] = { "dr", "dr:12" },
};

static void
deck_address_finalize (GObject *object)
{
  DeckAddress *self = DECK_ADDRESS (object);

  for (guint i = 0; i < DECK_ADDRESS_N_PARTS; i++)
    g_clear_pointer (&self->values[i], g_ptr_array_unref);
  g_clear_pointer (&self->home, g_free);

  G_OBJECT_CLASS (deck_address_parent_class)->finalize (object);
}

static void
deck_address_class_init (DeckAddressClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = deck_address_finalize;
}

static void
deck_address_init (DeckAddress *self)
{
  for (guint i = 0; i < DECK_ADDRESS_N_PARTS; i++)
    self->values[i] = g_ptr_array_new_null_terminated (1, g_free, TRUE);
}

DeckAddress *
deck_address_new (void)
{
  return g_object_new (DECK_TYPE_ADDRESS, NULL);
}

static gboolean
lookup_key (const char      *key,
            DeckAddressPart *part)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_table); i++)
    if (strcmp (key_table[i].key, key) == 0)
      {
        *part = key_table[i].part;
        return TRUE;
      }
  return FALSE;
}

/* A copy of @value short enough to quote in a message, cut at a character boundary. */
static char *
quote_value (const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);
  g_autofree char *head = NULL;

  if (g_utf8_strlen (valid, -1) <= MAX_QUOTED_VALUE)
    return g_steal_pointer (&valid);
  head = g_utf8_substring (valid, 0, MAX_QUOTED_VALUE);
  return g_strconcat (head, "…", NULL);
}

/* Makes a b: entry absolute against @home: "~" and "~/x" are expanded, relative entries
 * are put below @home. Other "~user" forms and entries without a home are left alone. */
static char *
resolve_base (const char *base,
              const char *home)
{
  if (g_path_is_absolute (base))
    return g_canonicalize_filename (base, "/");
  if (home == NULL || !g_path_is_absolute (home))
    return g_strdup (base);
  if (strcmp (base, "~") == 0)
    return g_canonicalize_filename (home, "/");
  if (g_str_has_prefix (base, "~/"))
    return g_canonicalize_filename (base + 2, home);
  if (base[0] == '~')
    return g_strdup (base);
  return g_canonicalize_filename (base, home);
}

static gboolean
check_value (DeckAddressPart   part,
             const char       *name,
             const char       *item,
             GError          **error)
{
  if (!g_utf8_validate (item, -1, NULL))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "the value of address part “%s:” is not valid UTF-8", name);
      return FALSE;
    }

  if (item[0] == '\0')
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "empty value in address part “%s:” (give one value or several separated "
                   "by '%%', e.g. %s)", name, part_info[part].example);
      return FALSE;
    }

  if (part == DECK_ADDRESS_PART_ID && item[0] != '/')
    {
      g_autofree char *q = quote_value (item);

      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "pathname “%s:%s” must be absolute (start with '/'); "
                   "use f:%s to give a part of the path", name, q, q);
      return FALSE;
    }

  return TRUE;
}

gboolean
deck_address_take_suboption (DeckAddress          *self,
                             const DeckSuboption  *opt,
                             GError              **error)
{
  DeckAddressPart part;
  const char *name;
  gsize n_items;

  g_return_val_if_fail (DECK_IS_ADDRESS (self), FALSE);
  g_return_val_if_fail (opt != NULL && opt->key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = opt->raw_key != NULL ? opt->raw_key : opt->key;

  if (strcmp (opt->key, "ALL") == 0)
    {
      if (opt->value != NULL)
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "“%s” takes no value (it selects all running machines)", name);
          return FALSE;
        }
      self->all = TRUE;
      return TRUE;
    }

  if (!lookup_key (opt->key, &part))
    return FALSE;

  if (opt->value == NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "address part “%s” needs a value (e.g. %s)", name, part_info[part].example);
      return FALSE;
    }

  n_items = opt->items != NULL ? g_strv_length (opt->items) : 0;
  if (n_items == 0 || opt->value[0] == '\0')
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "empty value in address part “%s:” (e.g. %s)", name, part_info[part].example);
      return FALSE;
    }

  /* Check everything before storing anything: a refused suboption leaves no trace. */
  for (gsize i = 0; i < n_items; i++)
    if (!check_value (part, name, opt->items[i], error))
      return FALSE;

  for (gsize i = 0; i < n_items; i++)
    {
      char *v;

      if (part == DECK_ADDRESS_PART_BASE)
        v = resolve_base (opt->items[i], self->home);
      else
        v = g_strdup (opt->items[i]);
      g_ptr_array_add (self->values[part], v);
    }

  return TRUE;
}

DeckAddress *
deck_address_parse (const char  *text,
                    GError     **error)
{
  g_autoptr(DeckAddress) self = NULL;
  g_autoptr(GPtrArray) opts = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  opts = deck_suboptions_parse (text, error);
  if (opts == NULL)
    return NULL;

  self = deck_address_new ();
  for (guint i = 0; i < opts->len; i++)
    {
      const DeckSuboption *opt = opts->pdata[i];
      GError *local_error = NULL;

      if (!deck_address_take_suboption (self, opt, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return NULL;
            }
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "unknown address key “%s” (expected i:, p:, f:, b:, l:, u:, m:, t:, "
                       "dr: or ALL)", opt->raw_key);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

const char * const *
deck_address_get_values (DeckAddress     *self,
                         DeckAddressPart  part)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (DECK_IS_ADDRESS (self), empty);
  g_return_val_if_fail (part < DECK_ADDRESS_N_PARTS, empty);

  return (const char * const *) self->values[part]->pdata;
}

gboolean
deck_address_get_all (DeckAddress *self)
{
  g_return_val_if_fail (DECK_IS_ADDRESS (self), FALSE);

  return self->all;
}

gboolean
deck_address_has_target (DeckAddress *self)
{
  g_return_val_if_fail (DECK_IS_ADDRESS (self), FALSE);

  if (self->all)
    return TRUE;
  for (guint i = 0; i < DECK_ADDRESS_N_PARTS; i++)
    if (i != DECK_ADDRESS_PART_BASE && self->values[i]->len > 0)
      return TRUE;
  return FALSE;
}

gboolean
deck_address_is_empty (DeckAddress *self)
{
  g_return_val_if_fail (DECK_IS_ADDRESS (self), TRUE);

  if (self->all)
    return FALSE;
  for (guint i = 0; i < DECK_ADDRESS_N_PARTS; i++)
    if (self->values[i]->len > 0)
      return FALSE;
  return TRUE;
}

/* Appends @value with the suboption escapes, so that the text parses back to it. MAC
 * addresses keep their colons (the parser keeps them whole). */
static void
append_escaped (GString    *s,
                const char *value)
{
  gboolean mac = deck_suboptions_is_mac (value);

  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case ',':
          g_string_append (s, ",,");
          break;
        case ':':
          g_string_append (s, mac ? ":" : "::");
          break;
        case '%':
          g_string_append (s, "%%");
          break;
        case '\\':
          g_string_append (s, "\\\\");
          break;
        default:
          g_string_append_c (s, *p);
          break;
        }
    }
}

char *
deck_address_to_string (DeckAddress *self)
{
  GString *s;

  g_return_val_if_fail (DECK_IS_ADDRESS (self), NULL);

  s = g_string_new (NULL);
  for (guint part = 0; part < DECK_ADDRESS_N_PARTS; part++)
    {
      GPtrArray *values = self->values[part];

      if (values->len == 0)
        continue;
      if (s->len > 0)
        g_string_append_c (s, ',');
      g_string_append (s, part_info[part].prefix);
      g_string_append_c (s, ':');
      for (guint i = 0; i < values->len; i++)
        {
          if (i > 0)
            g_string_append_c (s, '%');
          append_escaped (s, values->pdata[i]);
        }
    }
  if (self->all)
    {
      if (s->len > 0)
        g_string_append_c (s, ',');
      g_string_append (s, "ALL");
    }
  return g_string_free (s, FALSE);
}

void
deck_address_set_home (DeckAddress *self,
                       const char  *home)
{
  GPtrArray *bases;

  g_return_if_fail (DECK_IS_ADDRESS (self));

  g_free (self->home);
  self->home = g_strdup (home);

  bases = self->values[DECK_ADDRESS_PART_BASE];
  for (guint i = 0; i < bases->len; i++)
    {
      char *resolved = resolve_base (bases->pdata[i], self->home);

      g_free (bases->pdata[i]);
      bases->pdata[i] = resolved;
    }
}

char *
deck_address_normalize_uuid (const char *uuid)
{
  GString *s;

  g_return_val_if_fail (uuid != NULL, NULL);

  s = g_string_sized_new (strlen (uuid));
  for (const char *p = uuid; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (s, g_ascii_tolower (*p));
  return g_string_free (s, FALSE);
}

/* TRUE if @base (absolute, without a trailing '/' unless it is "/") is a directory above
 * @path: "/home/a/xen" matches "/home/a/xen/x.conf", not "/home/a/xen2/x.conf". */
static gboolean
path_below (const char *path,
            const char *base)
{
  gsize blen = strlen (base);

  while (blen > 1 && base[blen - 1] == '/')
    blen--;
  if (blen == 1 && base[0] == '/')
    return path[0] == '/' && path[1] != '\0';
  if (strncmp (path, base, blen) != 0)
    return FALSE;
  return path[blen] == '/' && path[blen + 1] != '\0';
}

/* TRUE if @fragment is a suffix of @path that starts at a path component. */
static gboolean
is_suffix_match (const char *path,
                 const char *fragment)
{
  gsize plen = strlen (path);
  gsize flen = strlen (fragment);

  if (flen > plen || strcmp (path + plen - flen, fragment) != 0)
    return FALSE;
  return flen == plen || fragment[0] == '/' || path[plen - flen - 1] == '/';
}

static gboolean
value_matches (DeckAddressPart  part,
               const char      *value,
               DeckRecord      *record)
{
  switch (part)
    {
    case DECK_ADDRESS_PART_ID:
      return strcmp (deck_record_get (record, DECK_FIELD_ID), value) == 0;

    case DECK_ADDRESS_PART_FRAGMENT:
      return strstr (deck_record_get (record, DECK_FIELD_ID), value) != NULL;

    case DECK_ADDRESS_PART_BASE:
      return path_below (deck_record_get (record, DECK_FIELD_ID), value);

    case DECK_ADDRESS_PART_LABEL:
      return strcmp (deck_record_get (record, DECK_FIELD_LABEL), value) == 0;

    case DECK_ADDRESS_PART_UUID:
      {
        g_autofree char *want = deck_address_normalize_uuid (value);
        g_autofree char *have = deck_address_normalize_uuid (deck_record_get (record, DECK_FIELD_UUID));

        return want[0] != '\0' && strcmp (want, have) == 0;
      }

    case DECK_ADDRESS_PART_MAC:
      return g_ascii_strcasecmp (deck_record_get (record, DECK_FIELD_MAC), value) == 0;

    case DECK_ADDRESS_PART_TCP:
      /* IPs compare exactly; DNS names are case-insensitive. */
      return strcmp (deck_record_get (record, DECK_FIELD_TCP), value) == 0 ||
             g_ascii_strcasecmp (deck_record_get (record, DECK_FIELD_NETNAME), value) == 0;

    case DECK_ADDRESS_PART_DBREC:
      return strcmp (deck_record_get (record, DECK_FIELD_INDEX), value) == 0;

    case DECK_ADDRESS_N_PARTS:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

gboolean
deck_address_matches (DeckAddress *self,
                      DeckRecord  *record)
{
  g_return_val_if_fail (DECK_IS_ADDRESS (self), FALSE);
  g_return_val_if_fail (DECK_IS_RECORD (record), FALSE);

  for (guint part = 0; part < DECK_ADDRESS_N_PARTS; part++)
    {
      GPtrArray *values = self->values[part];
      gboolean any = FALSE;

      if (values->len == 0)
        continue;
      for (guint i = 0; i < values->len && !any; i++)
        {
          const char *v = values->pdata[i];

          /* Empty values never match anything (they are refused when parsing, but an
           * empty record field must not match an empty value either). */
          any = v[0] != '\0' && value_matches (part, v, record);
        }
      if (!any)
        return FALSE;
    }
  return TRUE;
}

/* Field 1 names @host: equal, or one of both is the short form of the other. Host names
 * compare case-insensitively (DNS). */
static gboolean
host_matches (const char *pm,
              const char *host)
{
  const char *dot;

  if (g_ascii_strcasecmp (pm, host) == 0)
    return TRUE;

  dot = strchr (pm, '.');
  if (dot != NULL && strchr (host, '.') == NULL &&
      (gsize) (dot - pm) == strlen (host) && g_ascii_strncasecmp (pm, host, dot - pm) == 0)
    return TRUE;

  dot = strchr (host, '.');
  if (dot != NULL && strchr (pm, '.') == NULL &&
      (gsize) (dot - host) == strlen (pm) && g_ascii_strncasecmp (host, pm, dot - host) == 0)
    return TRUE;

  return FALSE;
}

gboolean
deck_address_host_matches (const char *pm,
                           const char *host)
{
  g_return_val_if_fail (pm != NULL && host != NULL, FALSE);

  return host_matches (pm, host);
}

/* One machine per host: records that differ only in the interface fields are the same
 * VM. Records without an ID fall back to type, label and UUID. Fields cannot contain a
 * newline, so it separates the key parts safely. */
static char *
machine_key (DeckRecord *record)
{
  const char *id = deck_record_get (record, DECK_FIELD_ID);

  if (id[0] != '\0')
    return g_strconcat (deck_record_get (record, DECK_FIELD_PM), "\n", id, NULL);
  return g_strconcat (deck_record_get (record, DECK_FIELD_PM), "\n\n",
                      deck_record_get (record, DECK_FIELD_TYPE), "\n",
                      deck_record_get (record, DECK_FIELD_LABEL), "\n",
                      deck_record_get (record, DECK_FIELD_UUID), NULL);
}

static gboolean
record_is_suffix_match (DeckAddress *self,
                        DeckRecord  *record)
{
  GPtrArray *fragments = self->values[DECK_ADDRESS_PART_FRAGMENT];
  const char *id = deck_record_get (record, DECK_FIELD_ID);

  for (guint i = 0; i < fragments->len; i++)
    if (is_suffix_match (id, fragments->pdata[i]))
      return TRUE;
  return FALSE;
}

GPtrArray *
deck_address_select (DeckAddress *self,
                     GPtrArray   *records,
                     const char  *host)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GHashTable) seen = NULL;

  g_return_val_if_fail (DECK_IS_ADDRESS (self), NULL);
  g_return_val_if_fail (records != NULL, NULL);

  if (host != NULL && host[0] == '\0')
    host = NULL;

  result = g_ptr_array_new_with_free_func (g_object_unref);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < records->len; i++)
    {
      DeckRecord *record = records->pdata[i];
      char *key;

      if (!DECK_IS_RECORD (record))
        {
          g_critical ("%s: element %u of the record array is not a DeckRecord", G_STRFUNC, i);
          continue;
        }
      if (host != NULL && !host_matches (deck_record_get (record, DECK_FIELD_PM), host))
        continue;
      if (!deck_address_matches (self, record))
        continue;

      key = machine_key (record);
      if (!g_hash_table_add (seen, key))
        continue;
      g_ptr_array_add (result, g_object_ref (record));
    }

  /* f: prefers suffix matches at a path component; inner matches only count when no
   * record matches that way. */
  if (self->values[DECK_ADDRESS_PART_FRAGMENT]->len > 0 && result->len > 1)
    {
      gboolean any_suffix = FALSE;

      for (guint i = 0; i < result->len && !any_suffix; i++)
        any_suffix = record_is_suffix_match (self, result->pdata[i]);
      if (any_suffix)
        {
          for (guint i = result->len; i > 0; i--)
            if (!record_is_suffix_match (self, result->pdata[i - 1]))
              g_ptr_array_remove_index (result, i - 1);
        }
    }

  return g_steal_pointer (&result);
}

/* Any value of @part matches @record (the part is given). */
static gboolean
part_matches (DeckAddress     *self,
              DeckAddressPart  part,
              DeckRecord      *record)
{
  GPtrArray *values = self->values[part];

  for (guint i = 0; i < values->len; i++)
    if (((const char *) values->pdata[i])[0] != '\0' && value_matches (part, values->pdata[i], record))
      return TRUE;
  return FALSE;
}

/* Spec §4.2 step 4: ctys picks a config by the most significant part given (i:, f:, u:,
 * l:, t:, m:, in that order) and then reports the other parts that differ from it
 * ("different MACs detected"). Strict matching finds nothing then; this says which config
 * that part alone names and which parts differ, or returns NULL when that part alone does
 * not name exactly one machine. */
static char *
explain_mismatch (DeckAddress *self,
                  GPtrArray   *records,
                  const char  *host)
{
  static const DeckAddressPart order[] = { DECK_ADDRESS_PART_ID, DECK_ADDRESS_PART_FRAGMENT,
                                           DECK_ADDRESS_PART_UUID, DECK_ADDRESS_PART_LABEL,
                                           DECK_ADDRESS_PART_TCP, DECK_ADDRESS_PART_MAC };
  static const char * const what[DECK_ADDRESS_N_PARTS] = {
    [DECK_ADDRESS_PART_ID] = "path", [DECK_ADDRESS_PART_FRAGMENT] = "path",
    [DECK_ADDRESS_PART_LABEL] = "LABEL", [DECK_ADDRESS_PART_UUID] = "UUID",
    [DECK_ADDRESS_PART_MAC] = "MAC", [DECK_ADDRESS_PART_TCP] = "TCP",
  };
  static const DeckField field[DECK_ADDRESS_N_PARTS] = {
    [DECK_ADDRESS_PART_ID] = DECK_FIELD_ID, [DECK_ADDRESS_PART_FRAGMENT] = DECK_FIELD_ID,
    [DECK_ADDRESS_PART_LABEL] = DECK_FIELD_LABEL, [DECK_ADDRESS_PART_UUID] = DECK_FIELD_UUID,
    [DECK_ADDRESS_PART_MAC] = DECK_FIELD_MAC, [DECK_ADDRESS_PART_TCP] = DECK_FIELD_TCP,
  };
  g_autoptr(GPtrArray) machine = g_ptr_array_new ();   /* the records of the one machine */
  g_autofree char *key = NULL;
  g_autoptr(GString) msg = NULL;
  DeckAddressPart by = DECK_ADDRESS_N_PARTS;

  for (guint k = 0; k < G_N_ELEMENTS (order) && by == DECK_ADDRESS_N_PARTS; k++)
    if (self->values[order[k]]->len > 0)
      by = order[k];
  if (by == DECK_ADDRESS_N_PARTS)
    return NULL;

  for (guint i = 0; i < records->len; i++)
    {
      DeckRecord *record = records->pdata[i];
      g_autofree char *this_key = NULL;

      if ((host != NULL && !host_matches (deck_record_get (record, DECK_FIELD_PM), host))
          || !part_matches (self, by, record))
        continue;
      this_key = machine_key (record);
      if (key == NULL)
        key = g_steal_pointer (&this_key);
      else if (strcmp (key, this_key) != 0)
        return NULL;   /* that part alone is ambiguous: nothing to explain */
    }
  if (key == NULL)
    return NULL;
  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *this_key = machine_key (records->pdata[i]);

      if (strcmp (key, this_key) == 0)
        g_ptr_array_add (machine, records->pdata[i]);
    }

  msg = g_string_new (NULL);
  for (guint part = 0; part < DECK_ADDRESS_N_PARTS; part++)
    {
      gboolean any = FALSE;
      g_autofree char *given = NULL;
      g_autofree char *have = NULL;

      if (part == by || what[part] == NULL || self->values[part]->len == 0)
        continue;
      for (guint i = 0; i < machine->len && !any; i++)
        any = part_matches (self, part, machine->pdata[i]);
      if (any)
        continue;
      given = g_strjoinv ("%", (char **) self->values[part]->pdata);   /* NULL-terminated */
      have = quote_value (deck_record_get (machine->pdata[0], field[part]));
      g_string_append_printf (msg, "%sdifferent %ss detected: %s (named by %s:) has %s “%s”, the address says “%s”",
                              msg->len ? "; " : "", what[part],
                              deck_record_get (machine->pdata[0], DECK_FIELD_ID), part_info[by].prefix,
                              what[part], have, given);
    }
  return msg->len ? g_string_free (g_steal_pointer (&msg), FALSE) : NULL;
}

DeckRecord *
deck_address_resolve (DeckAddress  *self,
                      GPtrArray    *records,
                      const char   *host,
                      GError      **error)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *text = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *where = NULL;
  GString *msg;

  g_return_val_if_fail (DECK_IS_ADDRESS (self), NULL);
  g_return_val_if_fail (records != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (host != NULL && host[0] == '\0')
    host = NULL;

  text = deck_address_to_string (self);
  quoted = quote_value (text);

  if (!deck_address_has_target (self))
    {
      if (deck_address_is_empty (self))
        g_set_error_literal (error, DECK_ERROR, DECK_ERROR_USAGE,
                             "missing target address: give at least one of l:, u:, m:, t:, "
                             "f:, i:/p: or dr:");
      else
        g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                     "missing target address in “%s”: a base path (b:) alone does not name a "
                     "machine; add l:, u:, m:, t:, f:, i:/p: or dr:", quoted);
      return NULL;
    }

  hits = deck_address_select (self, records, host);
  where = host != NULL ? g_strdup_printf (" on host %s", host) : g_strdup ("");

  if (hits->len == 1)
    return g_object_ref (g_ptr_array_index (hits, 0));

  if (hits->len == 0)
    {
      g_autofree char *mismatch = explain_mismatch (self, records, host);

      if (mismatch)
        g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND, "no machine matches “%s”%s: %s",
                     quoted, where, mismatch);
      else
        g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND,
                     "no machine matches “%s”%s; check the address (labels are case-sensitive) "
                     "or refresh the inventory", quoted, where);
      return NULL;
    }

  msg = g_string_new (NULL);
  g_string_append_printf (msg, "“%s” is ambiguous%s: %u machines match:",
                          quoted, where, hits->len);
  for (guint i = 0; i < hits->len && i < MAX_LISTED_CANDIDATES; i++)
    {
      DeckRecord *r = hits->pdata[i];

      g_string_append_printf (msg, "\n  %s  %s  %s",
                              deck_record_get (r, DECK_FIELD_PM),
                              deck_record_get (r, DECK_FIELD_LABEL),
                              deck_record_get (r, DECK_FIELD_ID));
    }
  if (hits->len > MAX_LISTED_CANDIDATES)
    g_string_append_printf (msg, "\n  … and %u more", hits->len - MAX_LISTED_CANDIDATES);
  g_string_append (msg, "\nAdd parts to choose one (b:, a longer f:, or i: with the full path).");
  g_set_error_literal (error, DECK_ERROR, DECK_ERROR_AMBIGUOUS, msg->str);
  g_string_free (msg, TRUE);
  return NULL;
}
