/* deck-xen-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-xen-config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxlutil.h>

#include "deck-error.h"
#include "deck-record.h"

struct _DeckXenConfig
{
  GObject parent_instance;

  char *path;
  XLU_Config *cfg;      /* NULL when the file is not valid xl syntax (side files only) */
  FILE *report;         /* libxlutil writes its messages here */
  char *report_buf;
  size_t report_len;
  GHashTable *tags;     /* upper-case name -> GPtrArray of values (NULL-terminated) */
  GHashTable *lines;    /* key or "#@#NAME" -> line number */
  GHashTable *lists;    /* key -> GStrv, cache of deck_xen_config_get_list() */
};

G_DEFINE_FINAL_TYPE (DeckXenConfig, deck_xen_config, G_TYPE_OBJECT)

static const char * const detect_keys[] = {
  "name", "vif", "disk", "memory", "bootloader", "uuid", "vcpus",
};

static void
deck_xen_config_finalize (GObject *object)
{
  DeckXenConfig *self = DECK_XEN_CONFIG (object);

  g_clear_pointer (&self->cfg, xlu_cfg_destroy);
  g_clear_pointer (&self->report, fclose);
  g_free (self->report_buf);
  g_free (self->path);
  g_hash_table_unref (self->tags);
  g_hash_table_unref (self->lines);
  g_hash_table_unref (self->lists);

  G_OBJECT_CLASS (deck_xen_config_parent_class)->finalize (object);
}

static void
deck_xen_config_class_init (DeckXenConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = deck_xen_config_finalize;
}

static void
deck_xen_config_init (DeckXenConfig *self)
{
  self->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
}

/* --- line scanning ------------------------------------------------------------------ */

typedef void (*LineFunc) (const char *line,
                          gsize       len,
                          guint       lineno,
                          gpointer    data);

static void
foreach_line (const char *data,
              gsize       len,
              LineFunc    func,
              gpointer    user_data)
{
  const char *p = data, *end = data + len;
  guint lineno = 0;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl ? nl : end;

      lineno++;
      func (p, stop - p, lineno, user_data);
      p = nl ? nl + 1 : end;
    }
}

static const char *
skip_blanks (const char *p,
             const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

static const char *
trim_end (const char *start,
          const char *end)
{
  while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
    end--;
  return end;
}

static gboolean
contains (const char *line,
          gsize       len,
          const char *needle)
{
  return memmem (line, len, needle, strlen (needle)) != NULL;
}

typedef struct {
  guint found;          /* bit mask over detect_keys */
  gboolean magic_xen;
  gboolean ignore;
  gboolean noenum;
} DetectState;

static void
detect_line (const char *line,
             gsize       len,
             guint       lineno,
             gpointer    data)
{
  DetectState *st = data;
  const char *end = line + len, *p, *eq, *kend;

  if (contains (line, len, "#@#MAGICID-IGNORE"))
    st->ignore = TRUE;
  if (contains (line, len, "#@#MAGICID-NOENUM"))
    st->noenum = TRUE;
  if (contains (line, len, "#@#MAGICID-XEN"))
    st->magic_xen = TRUE;

  p = skip_blanks (line, end);
  if (p == end || *p == '#')
    return;
  eq = memchr (p, '=', end - p);
  if (eq == NULL)
    return;
  kend = trim_end (p, eq);
  for (guint i = 0; i < G_N_ELEMENTS (detect_keys); i++)
    if ((gsize) (kend - p) == strlen (detect_keys[i]) && memcmp (p, detect_keys[i], kend - p) == 0)
      st->found |= 1u << i;
}

DeckXenDetect
deck_xen_config_detect (const char *data,
                        gsize       len)
{
  DetectState st = { 0, };

  g_return_val_if_fail (data != NULL || len == 0, DECK_XEN_DETECT_NO);

  foreach_line (data, len, detect_line, &st);
  if (st.ignore)
    return DECK_XEN_DETECT_IGNORE;
  if (st.noenum)
    return DECK_XEN_DETECT_NOENUM;
  if (st.magic_xen || (guint) __builtin_popcount (st.found) >= DECK_XEN_DETECT_MIN_KEYS)
    return DECK_XEN_DETECT_YES;
  return DECK_XEN_DETECT_NO;
}

/* Tag lines: '#@#KEY = "value"', '#@#KEY=value', '#@#MAGICID-XEN'. Also xl key lines, for
 * the line numbers in messages. */
static void
scan_line (const char *line,
           gsize       len,
           guint       lineno,
           gpointer    data)
{
  DeckXenConfig *self = data;
  const char *end = line + len, *p = skip_blanks (line, end), *k, *v, *vend;
  g_autofree char *key = NULL;
  GPtrArray *values;

  if (end - p < 3 || memcmp (p, "#@#", 3) != 0)
    {
      /* "key = ..." of the xl file: remember the line of the first assignment */
      const char *eq = p < end && *p != '#' ? memchr (p, '=', end - p) : NULL;

      if (eq != NULL && eq > p)
        {
          char *xkey = g_strndup (p, trim_end (p, eq) - p);

          if (!g_hash_table_contains (self->lines, xkey))
            g_hash_table_insert (self->lines, xkey, GUINT_TO_POINTER (lineno));
          else
            g_free (xkey);
        }
      return;
    }

  k = p + 3;
  v = k;
  while (v < end && *v != '=' && *v != ' ' && *v != '\t' && *v != '\r')
    v++;
  if (v == k)
    return;
  key = g_ascii_strup (k, v - k);
  v = skip_blanks (v, end);
  if (v < end && *v == '=')
    v = skip_blanks (v + 1, end);
  else
    v = end; /* a bare marker such as #@#MAGICID-XEN */
  vend = trim_end (v, end);
  if (vend - v >= 2 && (*v == '"' || *v == '\'') && vend[-1] == *v)
    {
      v++;
      vend--;
    }

  values = g_hash_table_lookup (self->tags, key);
  if (values == NULL)
    {
      char *line_key = g_strconcat ("#@#", key, NULL);

      values = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (values, NULL);
      g_hash_table_insert (self->tags, g_strdup (key), values);
      g_hash_table_insert (self->lines, line_key, GUINT_TO_POINTER (lineno));
    }
  values->pdata[values->len - 1] = g_strndup (v, vend - v);
  g_ptr_array_add (values, NULL);
}

/* libxlutil reports "file:line: config parsing error near ..."; keep its first line. */
static char *
first_report_line (DeckXenConfig *self)
{
  char *nl;

  fflush (self->report);
  if (self->report_buf == NULL || *self->report_buf == '\0')
    return NULL;
  nl = strchr (self->report_buf, '\n');
  return g_strndup (self->report_buf, nl ? (gsize) (nl - self->report_buf) : strlen (self->report_buf));
}

/* With @strict FALSE (side files of the config set) a file that is not valid xl syntax
 * still yields its tags. */
static DeckXenConfig *
xen_config_parse (const char  *path,
                  const char  *data,
                  gsize        len,
                  gboolean     strict,
                  GError     **error)
{
  g_autoptr(DeckXenConfig) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  self = g_object_new (DECK_TYPE_XEN_CONFIG, NULL);
  self->path = g_strdup (path);
  foreach_line (data, len, scan_line, self);

  if (memchr (data, '\0', len) != NULL)
    {
      if (!strict)
        return g_steal_pointer (&self);
      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE,
                   "%s: contains NUL bytes; not a text configuration file", path);
      return NULL;
    }
  if (len > G_MAXINT)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE, "%s: file too large", path);
      return NULL;
    }

  self->report = open_memstream (&self->report_buf, &self->report_len);
  self->cfg = xlu_cfg_init (self->report, path);
  if (self->cfg == NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED, "%s: out of memory", path);
      return NULL;
    }
  rc = xlu_cfg_readdata (self->cfg, data, (int) len);
  if (rc != 0)
    {
      g_autofree char *msg = first_report_line (self);

      g_clear_pointer (&self->cfg, xlu_cfg_destroy);
      if (!strict)
        return g_steal_pointer (&self);
      if (msg != NULL && g_str_has_prefix (msg, path))
        g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE, "%s", msg);
      else
        g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE, "%s: %s", path,
                     msg ? msg : g_strerror (rc));
      return NULL;
    }
  return g_steal_pointer (&self);
}

DeckXenConfig *
deck_xen_config_new_from_data (const char  *path,
                               const char  *data,
                               gsize        len,
                               GError     **error)
{
  return xen_config_parse (path, data, len, TRUE, error);
}

const char *
deck_xen_config_get_path (DeckXenConfig *self)
{
  g_return_val_if_fail (DECK_IS_XEN_CONFIG (self), NULL);

  return self->path;
}

const char *
deck_xen_config_get_string (DeckXenConfig *self,
                            const char    *key)
{
  const char *value = NULL;

  g_return_val_if_fail (DECK_IS_XEN_CONFIG (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (self->cfg == NULL || xlu_cfg_get_string (self->cfg, key, &value, 1) != 0)
    return NULL;
  return value;
}

const char * const *
deck_xen_config_get_list (DeckXenConfig *self,
                          const char    *key)
{
  XLU_ConfigList *list = NULL;
  GStrv items;
  int n = 0;

  g_return_val_if_fail (DECK_IS_XEN_CONFIG (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  items = g_hash_table_lookup (self->lists, key);
  if (items != NULL)
    return (const char * const *) items;
  if (self->cfg == NULL || xlu_cfg_get_list (self->cfg, key, &list, &n, 1) != 0)
    return NULL;

  items = g_new0 (char *, n + 1);
  for (int i = 0, j = 0; i < n; i++)
    {
      const char *item = xlu_cfg_get_listitem (list, i);

      /* nested lists have no string form; keep the position with an empty item */
      items[j++] = g_strdup (item ? item : "");
    }
  g_hash_table_insert (self->lists, g_strdup (key), items);
  return (const char * const *) items;
}

const char * const *
deck_xen_config_get_tag_all (DeckXenConfig *self,
                             const char    *name)
{
  GPtrArray *values;

  g_return_val_if_fail (DECK_IS_XEN_CONFIG (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  values = g_hash_table_lookup (self->tags, name);
  return values ? (const char * const *) values->pdata : NULL;
}

const char *
deck_xen_config_get_tag (DeckXenConfig *self,
                         const char    *name)
{
  const char * const *all = deck_xen_config_get_tag_all (self, name);

  return all ? all[0] : NULL;
}

guint
deck_xen_config_get_line (DeckXenConfig *self,
                          const char    *key)
{
  g_return_val_if_fail (DECK_IS_XEN_CONFIG (self), 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->lines, key));
}

/* --- config set ----------------------------------------------------------------------- */

static char *
replace_extension (const char *path,
                   const char *ext)
{
  const char *base = strrchr (path, '/');
  const char *dot = strrchr (base ? base : path, '.');

  g_autofree char *stem = NULL;

  if (dot == NULL || dot == (base ? base + 1 : path))
    return g_strconcat (path, ext, NULL);
  stem = g_strndup (path, dot - path);
  return g_strconcat (stem, ext, NULL);
}

static void
add_unique (GPtrArray *paths,
            char      *path)
{
  for (guint i = 0; i < paths->len; i++)
    if (g_strcmp0 (paths->pdata[i], path) == 0)
      {
        g_free (path);
        return;
      }
  g_ptr_array_add (paths, path);
}

char **
deck_xen_config_set_paths (const char *path,
                           const char *etc_dir)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autofree char *novdi = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  novdi = g_str_has_suffix (path, ".vdi") ? g_strndup (path, strlen (path) - 4) : g_strdup (path);
  dir = g_path_get_dirname (path);

  add_unique (paths, g_strconcat (novdi, ".ctys", NULL));
  add_unique (paths, replace_extension (path, ".vmx"));
  add_unique (paths, g_strdup (path));
  add_unique (paths, replace_extension (path, ".conf"));
  add_unique (paths, replace_extension (path, ".ctys"));
  if (strcmp (dir, "/") != 0 && strcmp (dir, ".") != 0)
    add_unique (paths, g_strconcat (dir, ".ctys", NULL));
  if (etc_dir != NULL)
    add_unique (paths, g_build_filename (etc_dir, "vm.conf", NULL));
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&paths), FALSE);
}

/* --- records ---------------------------------------------------------------------------- */

#define MAX_INTERFACES 64

static const char *
set_string (GPtrArray      *set,
            const char     *key,
            DeckXenConfig **from)
{
  for (guint i = 0; i < set->len; i++)
    {
      const char *v = deck_xen_config_get_string (set->pdata[i], key);

      if (v != NULL)
        {
          *from = set->pdata[i];
          return v;
        }
    }
  return NULL;
}

static const char * const *
set_list (GPtrArray      *set,
          const char     *key,
          DeckXenConfig **from)
{
  for (guint i = 0; i < set->len; i++)
    {
      const char * const *v = deck_xen_config_get_list (set->pdata[i], key);

      if (v != NULL)
        {
          *from = set->pdata[i];
          return v;
        }
    }
  return NULL;
}

static const char * const *
set_tag_all (GPtrArray      *set,
             const char     *tag,
             DeckXenConfig **from)
{
  for (guint i = 0; i < set->len; i++)
    {
      const char * const *v = deck_xen_config_get_tag_all (set->pdata[i], tag);

      if (v != NULL)
        {
          *from = set->pdata[i];
          return v;
        }
    }
  return NULL;
}

static const char *
set_tag (GPtrArray      *set,
         const char     *tag,
         DeckXenConfig **from)
{
  const char * const *all = set_tag_all (set, tag, from);

  return all ? all[0] : NULL;
}

/* Stores @value in @field, or explains with file:line why it cannot be stored. */
static gboolean
put (DeckRecord     *rec,
     guint           field,
     const char     *value,
     DeckXenConfig  *from,
     const char     *what,
     GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  if (value == NULL)
    return TRUE;
  if (!deck_record_check_value (value, &local_error))
    {
      guint line = from ? deck_xen_config_get_line (from, what) : 0;

      if (from == NULL)
        {
          /* the value is all there is to name the file by: shown escaped */
          g_autofree char *shown = g_strescape (value, NULL);

          g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE, "%s '%s': %s", what, shown,
                       local_error->message);
        }
      else if (line == 0)
        g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE, "%s: %s: %s",
                     from->path, what, local_error->message);
      else
        g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE, "%s:%u: %s: %s",
                     from->path, line, what, local_error->message);
      return FALSE;
    }
  deck_record_set (rec, field, value);
  return TRUE;
}

static gboolean
put_tag (DeckRecord  *rec,
         guint        field,
         GPtrArray   *set,
         const char  *tag,
         gboolean     spaces_to_underscores,
         GError     **error)
{
  DeckXenConfig *from = NULL;
  const char *v = set_tag (set, tag, &from);
  g_autofree char *what = g_strconcat ("#@#", tag, NULL);
  g_autofree char *fixed = NULL;

  if (v != NULL && spaces_to_underscores)
    v = fixed = g_strdelimit (g_strdup (v), " ", '_');
  return put (rec, field, v, from, what, error);
}

/* The value of "mac=" in a vif spec such as "mac=00:16:3e:00:00:01, bridge=xenbr0". */
static char *
vif_mac (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);

  for (guint i = 0; parts[i]; i++)
    {
      char *p = g_strstrip (parts[i]);

      if (g_str_has_prefix (p, "mac="))
        return g_strdup (g_strstrip (p + 4));
    }
  return NULL;
}

typedef struct {
  char *mac;
  DeckXenConfig *mac_from;
  char *mac_what;          /* where the MAC came from, for messages */
  GPtrArray *ips;          /* char *: "<ip>%<netmask>%..." */
  DeckXenConfig *ip_from;
} Interface;

static gboolean
fill_interface (DeckRecord  *rec,
                guint        index,
                Interface   *itf,
                const char  *address,
                GError     **error)
{
  g_auto(GStrv) items = address ? g_strsplit (address, "%", 6) : NULL;
  g_autofree char *what = g_strdup_printf ("#@#IP%u", index);
  g_autofree char *ifname = g_strdup_printf ("%u", index);
  guint n = items ? g_strv_length (items) : 0;

  if (!put (rec, DECK_FIELD_MAC, itf->mac, itf->mac_from, itf->mac_what, error))
    return FALSE;
  if (n > 0 && !put (rec, DECK_FIELD_TCP, g_strstrip (items[0]), itf->ip_from, what, error))
    return FALSE;
  if (n > 1 && !put (rec, DECK_FIELD_NETMASK, items[1], itf->ip_from, what, error))
    return FALSE;
  if (n > 2 && !put (rec, DECK_FIELD_RELAY, items[2], itf->ip_from, what, error))
    return FALSE;
  if (!put (rec, DECK_FIELD_IFNAME, n > 3 && *items[3] ? items[3] : ifname, itf->ip_from, what, error))
    return FALSE;
  if (n > 4 && !put (rec, DECK_FIELD_SSHPORT, items[4], itf->ip_from, what, error))
    return FALSE;
  if (n > 5 && !put (rec, DECK_FIELD_GATEWAY, items[5], itf->ip_from, what, error))
    return FALSE;
  return TRUE;
}

/* A tag line that may also be written as an XML comment of its own:
 * '<!-- #@#IP0 = "10.0.0.5" -->'. */
static void
scan_comment_line (const char *line,
                   gsize       len,
                   guint       lineno,
                   gpointer    data)
{
  const char *end = line + len, *p = skip_blanks (line, end);

  if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
    {
      p += 4;
      end = trim_end (p, end);
      if (end - p >= 3 && memcmp (end - 3, "-->", 3) == 0)
        end -= 3;
    }
  scan_line (p, end - p, lineno, data);
}

DeckXenConfig *
deck_xen_config_new_tags_only (const char *path,
                               const char *data,
                               gsize       len)
{
  DeckXenConfig *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DECK_TYPE_XEN_CONFIG, NULL);
  self->path = g_strdup (path);
  foreach_line (data, len, scan_comment_line, self);
  return self;
}

GPtrArray *
deck_xen_config_build_records (const char  *path,
                               GPtrArray   *set,
                               GError     **error)
{
  return deck_xen_config_build_records_full (path, set, NULL, error);
}

/* A value from the facts when given, else from the xl key. */
static const char *
fact_or_key (const DeckVmFacts  *facts,
             const char         *fact,
             GPtrArray          *set,
             const char         *key,
             DeckXenConfig     **from)
{
  *from = NULL;
  if (facts != NULL)
    return fact;
  return set_string (set, key, from);
}

GPtrArray *
deck_xen_config_build_records_full (const char        *path,
                                    GPtrArray         *set,
                                    const DeckVmFacts *facts,
                                    GError           **error)
{
  g_autoptr(DeckRecord) base = deck_record_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  Interface itfs[MAX_INTERFACES] = { { 0, }, };
  DeckXenConfig *from = NULL;
  const char * const *vif;
  const char *v;
  guint n_itf = 0;
  gboolean ok = FALSE;
  static const struct { guint field; const char *tag; gboolean underscores; } tag_fields[] = {
    { DECK_FIELD_DIST, "DIST", TRUE },
    { DECK_FIELD_DISTREL, "DISTREL", TRUE },
    { DECK_FIELD_OS, "OS", TRUE },
    { DECK_FIELD_OSREL, "OSREL", TRUE },
    { DECK_FIELD_VERSION, "VERSION", FALSE },
    { DECK_FIELD_SERNO, "SERNO", FALSE },
    { DECK_FIELD_VMSTATE, "VMSTATE", FALSE },
    { DECK_FIELD_HYPERREL, "INST_HYPERREL", FALSE },
    { DECK_FIELD_STACKCAP, "STACKCAP", FALSE },
    { DECK_FIELD_STACKREQ, "STACKREQ", FALSE },
    { DECK_FIELD_HWCAP, "HWCAP", FALSE },
    { DECK_FIELD_HWREQ, "HWREQ", FALSE },
    { DECK_FIELD_EXECLOCATION, "EXECLOCATION", FALSE },
    { DECK_FIELD_RELOCCAP, "RELOCCAP", FALSE },
    { DECK_FIELD_SSHPORT, "SSHPORT", FALSE },
    { DECK_FIELD_ACCELERATOR, "INST_ACCELERATOR", FALSE },
    { DECK_FIELD_EXEPATH, "STARTERCALL", FALSE },
    { DECK_FIELD_CTYSRELEASE, "CTYSRELEASE", FALSE },
    { DECK_FIELD_GATEWAY, "GUESTGATEWAY", FALSE },
    { DECK_FIELD_ARCH, "ARCH", FALSE },
    { DECK_FIELD_PLATFORM, "PLATFORM", FALSE },
    { DECK_FIELD_CONTEXTSTRG, "CSTRG", FALSE },
    { DECK_FIELD_USERSTRG, "USTRG", FALSE },
  };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (set != NULL, NULL);

  deck_record_set (base, DECK_FIELD_TYPE, facts && facts->type ? facts->type : "XEN");
  deck_record_set (base, DECK_FIELD_CATEGORY, "VM");
  if (!put (base, DECK_FIELD_ID, path, NULL, "path", error))
    goto out;

  v = fact_or_key (facts, facts ? facts->label : NULL, set, "name", &from);
  if (!put (base, DECK_FIELD_LABEL, v, from, "name", error))
    goto out;
  if (v == NULL && !put_tag (base, DECK_FIELD_LABEL, set, "LABEL", FALSE, error))
    goto out;
  v = fact_or_key (facts, facts ? facts->uuid : NULL, set, "uuid", &from);
  if (!put (base, DECK_FIELD_UUID, v, from, "uuid", error))
    goto out;
  if (v == NULL && !put_tag (base, DECK_FIELD_UUID, set, "UUID", FALSE, error))
    goto out;
  v = fact_or_key (facts, facts ? facts->memory : NULL, set, "memory", &from);
  if (!put (base, DECK_FIELD_VRAM, v, from, "memory", error))
    goto out;
  if (v == NULL && !put_tag (base, DECK_FIELD_VRAM, set, "VRAM", FALSE, error))
    goto out;
  v = fact_or_key (facts, facts ? facts->vcpus : NULL, set, "vcpus", &from);
  if (!put (base, DECK_FIELD_VCPU, v, from, "vcpus", error))
    goto out;
  if (v == NULL && !put_tag (base, DECK_FIELD_VCPU, set, "VCPU", FALSE, error))
    goto out;
  if (*deck_record_get (base, DECK_FIELD_VCPU) == '\0')
    deck_record_set (base, DECK_FIELD_VCPU, "1");

  for (guint i = 0; i < G_N_ELEMENTS (tag_fields); i++)
    if (!put_tag (base, tag_fields[i].field, set, tag_fields[i].tag, tag_fields[i].underscores, error))
      goto out;
  if (facts && facts->accelerator && *deck_record_get (base, DECK_FIELD_ACCELERATOR) == '\0')
    deck_record_set (base, DECK_FIELD_ACCELERATOR, facts->accelerator);
  if (*deck_record_get (base, DECK_FIELD_CTYSRELEASE) == '\0'
      && !put_tag (base, DECK_FIELD_CTYSRELEASE, set, "CTYSREL", FALSE, error))
    goto out;
  if (!put_tag (base, DECK_FIELD_DEFHOSTS, set, "DEFAULTHOSTS", FALSE, error)
      || !put_tag (base, DECK_FIELD_DEFCONSOLE, set, "DEFAULTCONSOLE", FALSE, error))
    goto out;
  if (*deck_record_get (base, DECK_FIELD_DEFHOSTS) == '\0')
    deck_record_set (base, DECK_FIELD_DEFHOSTS, "VNC");
  if (*deck_record_get (base, DECK_FIELD_DEFCONSOLE) == '\0')
    deck_record_set (base, DECK_FIELD_DEFCONSOLE, "GTERM");

  /* Interfaces: MAC n from the n-th vif (fallback #@#MAC<n>), addresses from #@#IP<n>. */
  vif = facts ? NULL : set_list (set, "vif", &from);
  for (guint i = 0; vif && vif[i] && i < MAX_INTERFACES; i++)
    {
      itfs[i].mac = vif_mac (vif[i]);
      itfs[i].mac_from = from;
      itfs[i].mac_what = g_strdup ("vif");
      n_itf = i + 1;
    }
  for (guint i = 0; facts && facts->macs && facts->macs[i] && i < MAX_INTERFACES; i++)
    {
      itfs[i].mac = g_strdup (facts->macs[i]);
      itfs[i].mac_what = g_strdup ("<mac address>");
      n_itf = i + 1;
    }
  for (guint i = 0; i < MAX_INTERFACES; i++)
    {
      g_autofree char *tag = g_strdup_printf ("MAC%u", i);
      const char * const *ips;
      DeckXenConfig *ip_from = NULL;

      if (itfs[i].mac == NULL)
        {
          v = set_tag (set, tag, &from);
          if (v == NULL && i == 0)
            {
              g_free (tag);
              tag = g_strdup ("MAC");
              v = set_tag (set, tag, &from);
            }
          if (v != NULL)
            {
              itfs[i].mac = g_strdup (v);
              itfs[i].mac_from = from;
              itfs[i].mac_what = g_strconcat ("#@#", tag, NULL);
              n_itf = MAX (n_itf, i + 1);
            }
        }
      g_free (tag);
      tag = g_strdup_printf ("IP%u", i);
      ips = set_tag_all (set, tag, &ip_from);
      for (guint j = 0; ips && ips[j]; j++)
        {
          g_auto(GStrv) addrs = g_strsplit (ips[j], ",", -1);

          for (guint k = 0; addrs[k]; k++)
            {
              g_strstrip (addrs[k]);
              if (*addrs[k] == '\0')
                continue;
              if (itfs[i].ips == NULL)
                itfs[i].ips = g_ptr_array_new_with_free_func (g_free);
              g_ptr_array_add (itfs[i].ips, g_strdup (addrs[k]));
              itfs[i].ip_from = ip_from;
              n_itf = MAX (n_itf, i + 1);
            }
        }
    }

  for (guint i = 0; i < n_itf; i++)
    {
      Interface *itf = &itfs[i];

      if (itf->mac == NULL && itf->ips == NULL && n_itf > 1)
        continue; /* a gap in the numbering */
      if (itf->ips == NULL)
        {
          g_autoptr(DeckRecord) rec = deck_record_copy (base);

          if (!fill_interface (rec, i, itf, NULL, error))
            goto out;
          g_ptr_array_add (records, g_steal_pointer (&rec));
        }
      for (guint j = 0; itf->ips && j < itf->ips->len; j++)
        {
          g_autoptr(DeckRecord) rec = deck_record_copy (base);

          if (!fill_interface (rec, i, itf, itf->ips->pdata[j], error))
            goto out;
          g_ptr_array_add (records, g_steal_pointer (&rec));
        }
    }
  if (records->len == 0)
    g_ptr_array_add (records, g_object_ref (base));
  ok = TRUE;

out:
  for (guint i = 0; i < MAX_INTERFACES; i++)
    {
      g_free (itfs[i].mac);
      g_free (itfs[i].mac_what);
      g_clear_pointer (&itfs[i].ips, g_ptr_array_unref);
    }
  return ok ? g_steal_pointer (&records) : NULL;
}

GPtrArray *
deck_xen_config_scan_file (const char      *path,
                           const char      *data,
                           gsize            len,
                           const char      *etc_dir,
                           DeckFileLoader   loader,
                           gpointer         loader_data,
                           GError         **error)
{
  g_autoptr(DeckXenConfig) self = NULL;
  g_autoptr(GPtrArray) set = NULL;
  g_auto(GStrv) paths = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (deck_xen_config_detect (data, len) != DECK_XEN_DETECT_YES)
    return NULL;

  self = deck_xen_config_new_from_data (path, data, len, error);
  if (self == NULL)
    return NULL;

  set = g_ptr_array_new_with_free_func (g_object_unref);
  paths = deck_xen_config_set_paths (path, etc_dir);
  for (guint i = 0; paths[i]; i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      DeckXenConfig *side;

      if (strcmp (paths[i], path) == 0)
        {
          g_ptr_array_add (set, g_object_ref (self));
          continue;
        }
      if (loader == NULL || (bytes = loader (paths[i], loader_data, NULL)) == NULL)
        continue;
      side = xen_config_parse (paths[i], g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), FALSE, NULL);
      if (side != NULL)
        g_ptr_array_add (set, side);
    }
  return deck_xen_config_build_records (path, set, error);
}
