/* deck-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-record.h"

#include <string.h>

#include "deck-error.h"

struct _DeckRecord
{
  GObject parent_instance;

  char *fields[DECK_RECORD_N_FIELDS];
  char *line; /* cache of deck_record_to_line() */
};

G_DEFINE_FINAL_TYPE (DeckRecord, deck_record, G_TYPE_OBJECT)

static void
deck_record_finalize (GObject *object)
{
  DeckRecord *self = DECK_RECORD (object);

  for (guint i = 0; i < DECK_RECORD_N_FIELDS; i++)
    g_free (self->fields[i]);
  g_free (self->line);

  G_OBJECT_CLASS (deck_record_parent_class)->finalize (object);
}

static void
deck_record_class_init (DeckRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = deck_record_finalize;
}

static void
deck_record_init (DeckRecord *self)
{
  for (guint i = 0; i < DECK_RECORD_N_FIELDS; i++)
    self->fields[i] = g_strdup ("");
}

DeckRecord *
deck_record_new (void)
{
  return g_object_new (DECK_TYPE_RECORD, NULL);
}

DeckRecord *
deck_record_copy (DeckRecord *self)
{
  DeckRecord *copy;

  g_return_val_if_fail (DECK_IS_RECORD (self), NULL);

  copy = deck_record_new ();
  for (guint i = 0; i < DECK_RECORD_N_FIELDS; i++)
    {
      g_free (copy->fields[i]);
      copy->fields[i] = g_strdup (self->fields[i]);
    }
  return copy;
}

/* Finds the first byte that a record cannot hold; returns its offset or -1. */
static gssize
find_bad_byte (const char *s,
               gsize       len,
               gboolean    allow_semicolon)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];

      if (c < 0x20 || c == 0x7f || (c == ';' && !allow_semicolon))
        return (gssize) i;
    }
  return -1;
}

static const char *
describe_byte (guchar c,
               char   buf[16])
{
  switch (c)
    {
    case '\0': return "a NUL byte";
    case '\n': return "a newline";
    case '\r': return "a carriage return";
    case '\t': return "a tab";
    case ';': return "';' (the field separator)";
    default:
      g_snprintf (buf, 16, "byte 0x%02x", c);
      return buf;
    }
}

gboolean
deck_record_check_value (const char  *value,
                         GError     **error)
{
  gsize len;
  gssize bad;
  char buf[16];

  if (value == NULL)
    return TRUE;

  len = strlen (value);
  if (len > DECK_RECORD_MAX_VALUE)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE,
                   "value is %" G_GSIZE_FORMAT " bytes long; at most %d fit in an inventory field",
                   len, DECK_RECORD_MAX_VALUE);
      return FALSE;
    }
  if (!g_utf8_validate (value, len, NULL))
    {
      g_set_error_literal (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE,
                           "value is not valid UTF-8");
      return FALSE;
    }
  bad = find_bad_byte (value, len, FALSE);
  if (bad >= 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE,
                   "value contains %s, which an inventory field cannot hold",
                   describe_byte ((guchar) value[bad], buf));
      return FALSE;
    }
  return TRUE;
}

DeckRecord *
deck_record_new_from_line (const char  *line,
                           gssize       len,
                           GError     **error)
{
  g_autoptr(DeckRecord) self = NULL;
  gsize ulen;
  gssize bad;
  guint n_fields = 1;
  const char *p, *end;
  char buf[16];

  g_return_val_if_fail (line != NULL, NULL);

  ulen = len < 0 ? strlen (line) : (gsize) len;
  if (ulen > DECK_RECORD_MAX_LINE)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_CORRUPT,
                   "line is %" G_GSIZE_FORMAT " bytes long (at most %d)", ulen, DECK_RECORD_MAX_LINE);
      return NULL;
    }
  bad = find_bad_byte (line, ulen, TRUE);
  if (bad >= 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_CORRUPT, "line contains %s at column %" G_GSSIZE_FORMAT,
                   describe_byte ((guchar) line[bad], buf), bad + 1);
      return NULL;
    }
  if (!g_utf8_validate (line, ulen, NULL))
    {
      g_set_error_literal (error, DECK_ERROR, DECK_ERROR_CORRUPT, "line is not valid UTF-8");
      return NULL;
    }
  for (gsize i = 0; i < ulen; i++)
    if (line[i] == ';')
      n_fields++;
  if (n_fields > DECK_RECORD_N_FIELDS || n_fields < DECK_RECORD_MIN_FIELDS)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_CORRUPT,
                   "line has %u fields; a record has %d (older ctys layouts: at least %d)",
                   n_fields, DECK_RECORD_N_FIELDS, DECK_RECORD_MIN_FIELDS);
      return NULL;
    }

  self = deck_record_new ();
  p = line;
  end = line + ulen;
  for (guint i = 0; i < n_fields; i++)
    {
      const char *sep = memchr (p, ';', end - p);
      const char *stop = sep ? sep : end;

      g_free (self->fields[i]);
      self->fields[i] = g_strndup (p, stop - p);
      p = sep ? sep + 1 : end;
    }
  return g_steal_pointer (&self);
}

const char *
deck_record_get (DeckRecord *self,
                 guint       field)
{
  g_return_val_if_fail (DECK_IS_RECORD (self), "");
  g_return_val_if_fail (field >= 1 && field <= DECK_RECORD_N_FIELDS, "");

  return self->fields[field - 1];
}

void
deck_record_set (DeckRecord *self,
                 guint       field,
                 const char *value)
{
  g_return_if_fail (DECK_IS_RECORD (self));
  g_return_if_fail (field >= 1 && field <= DECK_RECORD_N_FIELDS);
  g_return_if_fail (deck_record_check_value (value, NULL));

  if (value == NULL)
    value = "";
  if (strcmp (self->fields[field - 1], value) != 0)
    {
      g_free (self->fields[field - 1]);
      self->fields[field - 1] = g_strdup (value);
      g_clear_pointer (&self->line, g_free);
    }
}

const char * const *
deck_record_get_fields (DeckRecord *self)
{
  g_return_val_if_fail (DECK_IS_RECORD (self), NULL);

  return (const char * const *) self->fields;
}

const char *
deck_record_to_line (DeckRecord *self)
{
  g_return_val_if_fail (DECK_IS_RECORD (self), NULL);

  if (self->line == NULL)
    {
      GString *s = g_string_sized_new (128);

      for (guint i = 0; i < DECK_RECORD_N_FIELDS; i++)
        {
          if (i > 0)
            g_string_append_c (s, ';');
          g_string_append (s, self->fields[i]);
        }
      self->line = g_string_free (s, FALSE);
    }
  return self->line;
}

int
deck_record_compare (DeckRecord *a,
                     DeckRecord *b)
{
  return strcmp (deck_record_to_line (a), deck_record_to_line (b));
}
