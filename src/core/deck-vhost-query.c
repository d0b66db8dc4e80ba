/* deck-vhost-query.c: the ctys-vhost query language (spec §6.4)
 *
 * A parsed query is a conjunction of groups; a group is a disjunction of terms; each term
 * may be negated. "x AND a OR b NOT c" is {x} AND {a OR b OR NOT c}.
 *
 * Differences to ctys (intended):
 *  - F:<n>:<regex> takes everything after the second ':' as the regex (ctys cut at the
 *    last ':', so MAC patterns such as F:6:00:50:56 did not work there);
 *  - address terms (l:, u:, m:, t:, i:/p:, f:, b:, dr:) are matched field-wise and
 *    strictly (§4.3 REC) instead of as regexes against the whole record;
 *  - a pattern of E:<n>:<m> that is not a valid regex is compared as plain text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-vhost-query.h"

#include <string.h>

#include "deck-address.h"
#include "deck-error.h"
#include "deck-record.h"

typedef enum {
  TERM_REGEX,   /* bare regex against the whole record line */
  TERM_FIELD,   /* F:<n>:<regex> */
  TERM_EQUAL,   /* E:<n>:<m> */
  TERM_RANGE,   /* R:<n>[:<m>] */
  TERM_ADDRESS, /* l:, u:, ... */
} TermKind;

typedef struct {
  TermKind     kind;
  gboolean     negate;
  char        *text;    /* as written, for messages */
  GRegex      *regex;   /* REGEX, FIELD */
  guint        field;   /* FIELD, EQUAL: n */
  guint        other;   /* EQUAL: m */
  guint64      first;   /* RANGE */
  guint64      last;    /* RANGE */
  DeckAddress *address; /* ADDRESS */
  /* EQUAL: the pattern compiled last (records of one host share field 1) */
  char        *cached_pattern;
  GRegex      *cached_regex;
} Term;

struct _DeckVhostQuery
{
  GPtrArray *groups; /* of GPtrArray of Term: AND of groups, OR within a group */
};

/* Keys of <machine-address> parts (spec §4.1), lower case. */
static const char * const address_keys[] = {
  "i", "id", "p", "pname", "pathname",
  "f", "fname", "filename",
  "b", "base", "basepath",
  "l", "label",
  "u", "uuid",
  "m", "mac",
  "t", "tcp",
  "dr", "dbrec", "dbrecord",
};

static void
term_free (Term *term)
{
  g_free (term->text);
  g_clear_pointer (&term->regex, g_regex_unref);
  g_clear_object (&term->address);
  g_free (term->cached_pattern);
  g_clear_pointer (&term->cached_regex, g_regex_unref);
  g_free (term);
}

void
deck_vhost_query_free (DeckVhostQuery *query)
{
  if (query == NULL)
    return;
  g_ptr_array_unref (query->groups);
  g_free (query);
}

static gboolean
is_address_key (const char *word)
{
  const char *colon = strchr (word, ':');
  gsize len;

  if (colon == NULL)
    return FALSE;
  len = colon - word;
  for (guint i = 0; i < G_N_ELEMENTS (address_keys); i++)
    if (strlen (address_keys[i]) == len && g_ascii_strncasecmp (word, address_keys[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* Parses the decimal number at *p (advancing it). FALSE when there is none or it is too big. */
static gboolean
parse_number (const char **p,
              guint64     *value)
{
  const char *start = *p;
  const char *end = start;
  g_autofree char *digits = NULL;

  while (g_ascii_isdigit (*end))
    end++;
  if (end == start || end - start > 18)
    return FALSE;
  digits = g_strndup (start, end - start);
  *value = g_ascii_strtoull (digits, NULL, 10);
  *p = end;
  return TRUE;
}

static gboolean
check_field_index (guint64     n,
                   guint       position,
                   const char *word,
                   GError    **error)
{
  if (n < 1 || n > DECK_RECORD_N_FIELDS)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "term %u '%s': field index %" G_GUINT64_FORMAT " is out of range; "
                   "fields are numbered 1 to %d",
                   position, word, n, DECK_RECORD_N_FIELDS);
      return FALSE;
    }
  return TRUE;
}

static GRegex *
compile_regex (const char *pattern,
               guint       position,
               const char *word,
               GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  GRegex *regex;

  regex = g_regex_new (pattern, G_REGEX_DOLLAR_ENDONLY, 0, &local_error);
  if (regex == NULL)
    g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                 "term %u '%s' is not a valid regular expression: %s",
                 position, word, local_error->message);
  return regex;
}

/* F:<n>:<regex>; @p points after "F:" and at a digit. */
static gboolean
parse_field_term (Term        *term,
                  const char  *p,
                  guint        position,
                  GError     **error)
{
  guint64 n;

  if (!parse_number (&p, &n) || *p != ':')
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "term %u '%s': expected F:<field>:<regex> such as F:1:lab00 "
                   "(for a path fragment use f:<fragment>)",
                   position, term->text);
      return FALSE;
    }
  if (!check_field_index (n, position, term->text, error))
    return FALSE;
  term->kind = TERM_FIELD;
  term->field = (guint) n;
  term->regex = compile_regex (p + 1, position, term->text, error);
  return term->regex != NULL;
}

/* E:<n>:<m>; @p points after "E:". */
static gboolean
parse_equal_term (Term        *term,
                  const char  *p,
                  guint        position,
                  GError     **error)
{
  guint64 n, m;

  if (!parse_number (&p, &n) || *p++ != ':' || !parse_number (&p, &m) || *p != '\0')
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "term %u '%s': expected E:<field>:<field> such as E:28:1",
                   position, term->text);
      return FALSE;
    }
  if (!check_field_index (n, position, term->text, error) ||
      !check_field_index (m, position, term->text, error))
    return FALSE;
  term->kind = TERM_EQUAL;
  term->field = (guint) n;
  term->other = (guint) m;
  return TRUE;
}

/* R:<n>[:<m>]; @p points after "R:". */
static gboolean
parse_range_term (Term        *term,
                  const char  *p,
                  guint        position,
                  GError     **error)
{
  guint64 first, last;

  if (!parse_number (&p, &first))
    goto bad;
  last = first;
  if (*p == ':')
    {
      p++;
      if (!parse_number (&p, &last))
        goto bad;
    }
  if (*p != '\0')
    goto bad;
  if (last < first)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "term %u '%s': the range ends before it starts; expected R:<first>:<last> "
                   "with first <= last",
                   position, term->text);
      return FALSE;
    }
  term->kind = TERM_RANGE;
  term->first = first;
  term->last = last;
  return TRUE;

bad:
  g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
               "term %u '%s': expected R:<index> or R:<first>:<last> such as R:3 or R:2:5",
               position, term->text);
  return FALSE;
}

static gboolean
parse_address_term (Term        *term,
                    guint        position,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  term->kind = TERM_ADDRESS;
  term->address = deck_address_parse (term->text, &local_error);
  if (term->address == NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "term %u '%s' is not a valid address part: %s",
                   position, term->text, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static Term *
parse_term (const char  *word,
            guint        position,
            GError     **error)
{
  Term *term = g_new0 (Term, 1);
  char key = g_ascii_toupper (word[0]);
  gboolean ok;

  term->text = g_strdup (word);

  if (key == 'F' && word[1] == ':' && g_ascii_isdigit (word[2]))
    {
      const char *p = word + 2;

      while (g_ascii_isdigit (*p))
        p++;
      /* F:<n>:<regex> is a field term; "F:3" lacks its regex; anything else such as
       * "f:2024/x.conf" is the address part f: (a path fragment) */
      if (*p == ':' || (word[0] == 'F' && *p == '\0'))
        ok = parse_field_term (term, word + 2, position, error);
      else
        ok = parse_address_term (term, position, error);
    }
  else if (key == 'E' && word[1] == ':')
    ok = parse_equal_term (term, word + 2, position, error);
  else if (key == 'R' && word[1] == ':')
    ok = parse_range_term (term, word + 2, position, error);
  else if (is_address_key (word))
    ok = parse_address_term (term, position, error);
  else
    {
      term->kind = TERM_REGEX;
      term->regex = compile_regex (word, position, word, error);
      ok = term->regex != NULL;
    }

  if (!ok)
    {
      term_free (term);
      return NULL;
    }
  return term;
}

typedef enum {
  OP_NONE,
  OP_AND,
  OP_OR,
  OP_NOT,
} Operator;

static Operator
operator_of (const char *word)
{
  if (g_ascii_strcasecmp (word, "AND") == 0)
    return OP_AND;
  if (g_ascii_strcasecmp (word, "OR") == 0)
    return OP_OR;
  if (g_ascii_strcasecmp (word, "NOT") == 0)
    return OP_NOT;
  return OP_NONE;
}

static const char *
operator_name (Operator op)
{
  switch (op)
    {
    case OP_AND: return "AND";
    case OP_OR: return "OR";
    case OP_NOT: return "NOT";
    case OP_NONE:
    default: return "";
    }
}

DeckVhostQuery *
deck_vhost_query_parse (const char * const *terms,
                        GError            **error)
{
  g_autoptr(DeckVhostQuery) query = NULL;
  GPtrArray *group = NULL;
  Operator pending = OP_NONE; /* AND or OR waiting for its right-hand term */
  gboolean negate = FALSE;
  guint position = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  query = g_new0 (DeckVhostQuery, 1);
  query->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  for (const char * const *w = terms; w != NULL && *w != NULL; w++)
    {
      Operator op = operator_of (*w);
      Term *term;

      position++;
      if (op == OP_AND || op == OP_OR)
        {
          if (group == NULL || pending != OP_NONE || negate)
            {
              g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                           "term %u '%s': %s needs a term on its left; expected "
                           "<term> %s <term>",
                           position, *w, operator_name (op), operator_name (op));
              return NULL;
            }
          pending = op;
          continue;
        }
      if (op == OP_NOT)
        {
          if (negate)
            {
              g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                           "term %u '%s': NOT must be followed by a term, not by another NOT",
                           position, *w);
              return NULL;
            }
          negate = TRUE;
          continue;
        }

      term = parse_term (*w, position, error);
      if (term == NULL)
        return NULL;
      term->negate = negate;
      if (pending != OP_OR)
        {
          group = g_ptr_array_new_with_free_func ((GDestroyNotify) term_free);
          g_ptr_array_add (query->groups, group);
        }
      g_ptr_array_add (group, term);
      pending = OP_NONE;
      negate = FALSE;
    }

  if (pending != OP_NONE || negate)
    {
      Operator op = negate ? OP_NOT : pending;

      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "the query ends with %s; expected a term after it",
                   operator_name (op));
      return NULL;
    }

  return g_steal_pointer (&query);
}

gboolean
deck_vhost_mode_parse (const char    *text,
                       DeckVhostMode *mode,
                       GError       **error)
{
  static const struct {
    const char    *name;
    DeckVhostMode  mode;
  } modes[] = {
    { "FIRST", DECK_VHOST_FIRST },
    { "LAST", DECK_VHOST_LAST },
    { "ALL", DECK_VHOST_ALL },
    { "COMPLEMENT", DECK_VHOST_COMPLEMENT },
    { "SORT", DECK_VHOST_SORT },
    { "USORT", DECK_VHOST_USORT },
    { "UNIQUE", DECK_VHOST_UNIQUE },
  };

  g_return_val_if_fail (mode != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (modes); i++)
    if (g_ascii_strcasecmp (text, modes[i].name) == 0)
      {
        *mode = modes[i].mode;
        return TRUE;
      }

  g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
               "unknown mode '%s'; expected FIRST, LAST, ALL, COMPLEMENT, SORT, USORT or UNIQUE",
               text ? text : "");
  return FALSE;
}

/* The record index: field 32 when it holds a number, else the 1-based position. */
static guint64
record_index (DeckRecord *record,
              guint       position)
{
  const char *text = deck_record_get (record, DECK_FIELD_INDEX);
  guint64 value;

  if (*text != '\0' && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &value, NULL))
    return value;
  return position;
}

static gboolean
term_matches_equal (Term       *term,
                    DeckRecord *record)
{
  const char *pattern = deck_record_get (record, term->other);
  const char *value = deck_record_get (record, term->field);

  if (term->cached_pattern == NULL || strcmp (term->cached_pattern, pattern) != 0)
    {
      g_free (term->cached_pattern);
      g_clear_pointer (&term->cached_regex, g_regex_unref);
      term->cached_pattern = g_strdup (pattern);
      term->cached_regex = g_regex_new (pattern, G_REGEX_DOLLAR_ENDONLY, 0, NULL);
    }
  if (term->cached_regex == NULL)
    return strstr (value, pattern) != NULL;
  return g_regex_match (term->cached_regex, value, 0, NULL);
}

static gboolean
term_matches (Term       *term,
              DeckRecord *record,
              guint       position)
{
  gboolean hit = FALSE;

  switch (term->kind)
    {
    case TERM_REGEX:
      hit = g_regex_match (term->regex, deck_record_to_line (record), 0, NULL);
      break;
    case TERM_FIELD:
      hit = g_regex_match (term->regex, deck_record_get (record, term->field), 0, NULL);
      break;
    case TERM_EQUAL:
      hit = term_matches_equal (term, record);
      break;
    case TERM_RANGE:
      {
        guint64 index = record_index (record, position);

        hit = index >= term->first && index <= term->last;
      }
      break;
    case TERM_ADDRESS:
      hit = deck_address_matches (term->address, record);
      break;
    default:
      g_assert_not_reached ();
    }
  return term->negate ? !hit : hit;
}

static gboolean
query_matches (DeckVhostQuery *query,
               DeckRecord     *record,
               guint           position)
{
  for (guint g = 0; g < query->groups->len; g++)
    {
      GPtrArray *group = g_ptr_array_index (query->groups, g);
      gboolean any = FALSE;

      for (guint t = 0; t < group->len && !any; t++)
        any = term_matches (g_ptr_array_index (group, t), record, position);
      if (!any)
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  DeckRecord *record;
  char       *key;      /* the line without field 32 (the transient index) */
  guint       position; /* in the input, 0-based */
} Hit;

static char *
record_key (DeckRecord *record)
{
  const char * const *fields = deck_record_get_fields (record);
  GString *s = g_string_sized_new (256);

  for (guint i = 0; i < DECK_RECORD_N_FIELDS; i++)
    {
      if (i > 0)
        g_string_append_c (s, ';');
      if (i + 1 != DECK_FIELD_INDEX)
        g_string_append (s, fields[i]);
    }
  return g_string_free (s, FALSE);
}

static gint
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const Hit *ha = a;
  const Hit *hb = b;
  int c = strcmp (ha->key, hb->key);

  if (c != 0)
    return c;
  return ha->position < hb->position ? -1 : ha->position > hb->position;
}

static void
hit_clear (gpointer data)
{
  Hit *hit = data;

  g_free (hit->key);
}

static void
describe_candidates (GString *msg,
                     GArray  *hits)
{
  const guint max_listed = 10;

  guint listed = 0, skipped = 0;

  /* @hits is sorted by key; list each distinct record once */
  for (guint i = 0; i < hits->len; i++)
    {
      Hit *hit = &g_array_index (hits, Hit, i);

      if (i > 0 && strcmp (hit->key, g_array_index (hits, Hit, i - 1).key) == 0)
        continue;
      if (listed == max_listed)
        {
          skipped++;
          continue;
        }
      listed++;
      g_string_append_printf (msg, "\n  R:%" G_GUINT64_FORMAT " %s %s %s",
                              record_index (hit->record, hit->position + 1),
                              deck_record_get (hit->record, DECK_FIELD_PM),
                              deck_record_get (hit->record, DECK_FIELD_LABEL),
                              deck_record_get (hit->record, DECK_FIELD_ID));
    }
  if (skipped > 0)
    g_string_append_printf (msg, "\n  ... and %u more", skipped);
}

GPtrArray *
deck_vhost_query_run (DeckVhostQuery *query,
                      GPtrArray      *records,
                      DeckVhostMode   mode,
                      GError        **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GArray) hits = NULL;
  gboolean want_match = mode != DECK_VHOST_COMPLEMENT;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (records != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  g_array_set_clear_func (hits, hit_clear);
  for (guint i = 0; i < records->len; i++)
    {
      DeckRecord *record = g_ptr_array_index (records, i);
      Hit hit = { record, NULL, i };

      g_return_val_if_fail (DECK_IS_RECORD (record), NULL);
      if (query_matches (query, record, i + 1) != want_match)
        continue;
      if (mode == DECK_VHOST_SORT || mode == DECK_VHOST_USORT || mode == DECK_VHOST_UNIQUE)
        hit.key = record_key (record);
      g_array_append_val (hits, hit);
      if (mode == DECK_VHOST_FIRST)
        break;
    }

  result = g_ptr_array_new_with_free_func (g_object_unref);

  switch (mode)
    {
    case DECK_VHOST_FIRST:
    case DECK_VHOST_ALL:
    case DECK_VHOST_COMPLEMENT:
      for (guint i = 0; i < hits->len; i++)
        g_ptr_array_add (result, g_object_ref (g_array_index (hits, Hit, i).record));
      break;

    case DECK_VHOST_LAST:
      if (hits->len > 0)
        g_ptr_array_add (result, g_object_ref (g_array_index (hits, Hit, hits->len - 1).record));
      break;

    case DECK_VHOST_SORT:
    case DECK_VHOST_USORT:
    case DECK_VHOST_UNIQUE:
      /* g_array_sort() is stable; equal keys keep database order */
      g_array_sort (hits, compare_hits);
      for (guint i = 0; i < hits->len; i++)
        {
          Hit *hit = &g_array_index (hits, Hit, i);

          /* USORT and UNIQUE treat records that differ only in the index as one */
          if (mode != DECK_VHOST_SORT && i > 0 &&
              strcmp (hit->key, g_array_index (hits, Hit, i - 1).key) == 0)
            continue;
          g_ptr_array_add (result, g_object_ref (hit->record));
        }
      if (mode == DECK_VHOST_UNIQUE && result->len != 1)
        {
          if (result->len == 0)
            g_set_error_literal (error, DECK_ERROR, DECK_ERROR_NOT_FOUND,
                                 "no record matches the query; -M UNIQUE needs exactly one");
          else
            {
              g_autoptr(GString) msg = g_string_new (NULL);

              g_string_printf (msg, "%u records match the query; -M UNIQUE needs exactly one "
                               "(add terms to narrow it down):", result->len);
              describe_candidates (msg, hits);
              g_set_error_literal (error, DECK_ERROR, DECK_ERROR_AMBIGUOUS, msg->str);
            }
          return NULL;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&result);
}
