/* deck-scan-stream.c: what a remote ENUMERATE brings back in one ssh round trip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-scan-stream.h"

#include <string.h>

#include "deck-error.h"

/* The remote side. One line with ';' only and no '!': the login shell that sshd runs it
 * through may be csh-like, where newlines in quotes and '!' are special. "$@" holds the
 * bases; the existing ones are moved behind the given ones and the given ones shifted off. */
#define NAMES "\\( -name '*.conf' -o -name '*.ctys' -o -name '*.cfg' -o -name '*.xml' \\)"
static const char remote_script[] =
  "LC_ALL=C; export LC_ALL; cd || exit 70; etc=$1; shift; "
  "printf 'vmdeck-scan-1\\0%s\\0%s\\0%s\\0' \"$(uname -n)\" \"$(id -un)\" \"$(id -gn)\"; "
  "x=; if [ \"$(cat /sys/hypervisor/type 2>/dev/null)\" = xen ]; then "
  "x=xen-$(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)"
  "$(cat /sys/hypervisor/version/extra); fi 2>/dev/null; printf '%s\\0' \"$x\"; "
  "n=$#; for b do case $b in '~') b=$HOME;; '~/'*) b=$HOME/${b#'~/'};; /*) ;; *) b=$PWD/$b;; esac; "
  "while :; do case $b in ?*/) b=${b%/};; *) break;; esac; done; "
  "if [ -d \"$b\" ]; then printf 'D%s\\0' \"$b\"; set -- \"$@\" \"$b\"; "
  "else printf 'M%s\\0' \"$b\"; fi; done; shift $n; printf '\\0'; "
  "{ [ $# -eq 0 ] || find \"$@\" -type f " NAMES " -readable -size -4194305c -print0; "
  "for f in /etc/hosts ${etc:+\"$etc/vm.conf\"}; do "
  "[ -f \"$f\" ] && [ -r \"$f\" ] && printf '%s\\0' \"$f\"; done; } "
  "| tar --null -P --no-recursion -T - -cf -; "
  "printf 'vmdeck-trailer\\0'; "
  "[ $# -eq 0 ] || find \"$@\" -type f " NAMES " \\( -not -readable -printf 'U%p\\0' "
  "-o -size +4194304c -printf 'B%p\\0' \\); "
  "printf 'vmdeck-end\\0'; exit 0";

char **
deck_scan_stream_remote_argv (const char         *etc_dir,
                              const char * const *bases)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  /* The one remote shell of the scan, needed for its find | tar pipeline in one round trip:
   * the script is a constant; the data (bases, etc_dir) only ever arrive as its positional
   * parameters, each word quoted by DeckSshCommand for the login shell sshd runs. Tested:
   * hostile bases through "<sh|dash|bash> -c <quoted line>" as sshd runs it, and hostile
   * file names (test-scan-stream.c, /scan-stream/hostile-*), and over real ssh
   * (test-lab-remote.c). */
  g_strv_builder_add_many (b, "sh", "-c", remote_script, "vmdeck-scan",
                           etc_dir ? etc_dir : "", NULL);
  if (bases)
    g_strv_builder_addv (b, (const char **) bases);
  return g_strv_builder_end (b);
}

void
deck_scan_stream_free (DeckScanStream *stream)
{
  if (stream == NULL)
    return;
  g_free (stream->nodename);
  g_free (stream->user);
  g_free (stream->group);
  g_free (stream->hyperrelrun);
  g_ptr_array_unref (stream->bases);
  g_ptr_array_unref (stream->missing);
  g_hash_table_unref (stream->files);
  g_ptr_array_unref (stream->paths);
  g_ptr_array_unref (stream->unreadable);
  g_ptr_array_unref (stream->too_big);
  g_free (stream);
}

typedef struct {
  const char *host;
  const guint8 *data;
  gsize len;
  gsize pos;
} Reader;

static gboolean
cut_short (Reader  *r,
           GError **error)
{
  g_set_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE,
               "%s: the scan output ended early (connection dropped?); nothing from this host "
               "was used", r->host);
  return FALSE;
}

/* The next NUL-terminated field, or NULL at the end of the data. */
static const char *
next_field (Reader *r)
{
  const guint8 *nul;
  const char *field;

  if (r->pos >= r->len)
    return NULL;
  nul = memchr (r->data + r->pos, '\0', r->len - r->pos);
  if (nul == NULL)
    return NULL;
  field = (const char *) r->data + r->pos;
  r->pos = nul - r->data + 1;
  return field;
}

/* --- tar --------------------------------------------------------------------------------- */

#define BLOCK 512

static gboolean
is_zero_block (const guint8 *b)
{
  for (guint i = 0; i < BLOCK; i++)
    if (b[i])
      return FALSE;
  return TRUE;
}

static gboolean
parse_number (const guint8 *field,
              gsize         width,
              guint64      *out)
{
  guint64 v = 0;
  gsize i = 0;

  if (field[0] & 0x80)   /* GNU base-256 for large values */
    {
      v = field[0] & 0x7f;
      for (i = 1; i < width; i++)
        v = (v << 8) | field[i];
      *out = v;
      return TRUE;
    }
  while (i < width && field[i] == ' ')
    i++;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; i++)
    v = v * 8 + (field[i] - '0');
  if (i < width && field[i] != ' ' && field[i] != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
checksum_ok (const guint8 *h)
{
  guint64 stored, sum = 0;

  if (!parse_number (h + 148, 8, &stored))
    return FALSE;
  for (guint i = 0; i < BLOCK; i++)
    sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return sum == stored;
}

/* "path=<value>" out of a pax extended header. */
static char *
pax_path (const guint8 *data,
          gsize         len)
{
  gsize pos = 0;

  while (pos < len)
    {
      const char *rec = (const char *) data + pos;
      guint64 reclen = 0;
      const char *sp = memchr (rec, ' ', len - pos);
      g_autofree char *num = sp ? g_strndup (rec, sp - rec) : NULL;

      if (sp == NULL || !g_ascii_string_to_unsigned (num, 10, 1, len - pos, &reclen, NULL))
        return NULL;
      if (g_str_has_prefix (sp + 1, "path=") && reclen >= (guint64) (sp + 6 - rec) + 1)
        return g_strndup (sp + 6, rec + reclen - 1 - (sp + 6));
      pos += reclen;
    }
  return NULL;
}

static gboolean
read_tar (Reader         *r,
          DeckScanStream *stream,
          GError        **error)
{
  g_autofree char *long_name = NULL;

  for (;;)
    {
      const guint8 *h;
      guint64 size;
      gsize padded;
      char type;
      g_autofree char *name = NULL;

      if (r->len - r->pos < BLOCK)
        return cut_short (r, error);
      h = r->data + r->pos;
      if (is_zero_block (h))
        {
          /* end of archive: skip the padding up to the record boundary */
          while (r->len - r->pos >= BLOCK && is_zero_block (r->data + r->pos))
            r->pos += BLOCK;
          return TRUE;
        }
      if (!checksum_ok (h) || !parse_number (h + 124, 12, &size))
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_CORRUPT,
                       "%s: the scan output is damaged (bad archive header at byte %" G_GSIZE_FORMAT ")",
                       r->host, r->pos);
          return FALSE;
        }
      r->pos += BLOCK;
      padded = (size + BLOCK - 1) / BLOCK * BLOCK;
      if (size > r->len - r->pos || padded > r->len - r->pos)
        return cut_short (r, error);

      type = h[156];
      if (type == 'L')
        {
          g_free (long_name);
          long_name = g_strndup ((const char *) r->data + r->pos, size);
        }
      else if (type == 'x')
        {
          char *p = pax_path (r->data + r->pos, size);

          if (p)
            {
              g_free (long_name);
              long_name = p;
            }
        }
      else if (type == '0' || type == '\0' || type == '7')
        {
          if (long_name)
            name = g_steal_pointer (&long_name);
          else if (memcmp (h + 257, "ustar\0", 6) == 0 && h[345])
            name = g_strdup_printf ("%.155s/%.100s", (const char *) h + 345, (const char *) h);
          else
            name = g_strndup ((const char *) h, 100);

          if (!g_hash_table_contains (stream->files, name))
            g_ptr_array_add (stream->paths, g_strdup (name));
          g_hash_table_replace (stream->files, g_steal_pointer (&name),
                                g_bytes_new (r->data + r->pos, size));
        }
      else
        g_clear_pointer (&long_name, g_free);   /* directories, links, ...: not ours */
      r->pos += padded;
    }
}

DeckScanStream *
deck_scan_stream_parse (const char   *host,
                        const guint8 *data,
                        gsize         len,
                        GError      **error)
{
  g_autoptr(DeckScanStream) s = g_new0 (DeckScanStream, 1);
  Reader r = { host, data, len, 0 };
  const char *f;
  char **dest[] = { &s->nodename, &s->user, &s->group, &s->hyperrelrun };

  s->bases = g_ptr_array_new_with_free_func (g_free);
  s->missing = g_ptr_array_new_with_free_func (g_free);
  s->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  s->paths = g_ptr_array_new_with_free_func (g_free);
  s->unreadable = g_ptr_array_new_with_free_func (g_free);
  s->too_big = g_ptr_array_new_with_free_func (g_free);

  f = next_field (&r);
  if (f == NULL)
    return cut_short (&r, error), NULL;
  if (strcmp (f, "vmdeck-scan-1") != 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_CORRUPT,
                   "%s: unexpected scan output (does the login shell print something?)", host);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (dest); i++)
    {
      if ((f = next_field (&r)) == NULL)
        return cut_short (&r, error), NULL;
      *dest[i] = g_strdup (f);
    }
  while ((f = next_field (&r)) != NULL && *f)
    {
      if (*f == 'D')
        g_ptr_array_add (s->bases, g_strdup (f + 1));
      else if (*f == 'M')
        g_ptr_array_add (s->missing, g_strdup (f + 1));
    }
  if (f == NULL)
    return cut_short (&r, error), NULL;

  if (!read_tar (&r, s, error))
    return NULL;

  f = next_field (&r);
  if (f == NULL)
    return cut_short (&r, error), NULL;
  if (strcmp (f, "vmdeck-trailer") != 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_CORRUPT, "%s: the scan output is damaged", host);
      return NULL;
    }
  while ((f = next_field (&r)) != NULL && strcmp (f, "vmdeck-end") != 0)
    {
      if (*f == 'U')
        g_ptr_array_add (s->unreadable, g_strdup (f + 1));
      else if (*f == 'B')
        g_ptr_array_add (s->too_big, g_strdup (f + 1));
    }
  if (f == NULL)
    return cut_short (&r, error), NULL;
  return g_steal_pointer (&s);
}
