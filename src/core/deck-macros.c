/* deck-macros.c: ctys macro files and macro expansion
 *
 * File format (spec §7.1):
 *
 *   # comment                      lines whose first non-blank character is '#'
 *   NAME = text                    the first '=' splits; blanks around NAME and text dropped
 *   NAME = first part\             a trailing '\' joins the next line as written
 *   second part
 *
 * Names are [A-Za-z0-9_.-]+ and case-sensitive. A definition spanning several lines is
 * reported at the line where it starts.
 *
 * References: "macro:NAME" where "macro:" starts a word, or "{macro:NAME}". Both take the
 * suffixes "%optional" (an undefined name expands to nothing) and "%echo" (no effect: the
 * text is spliced as usual); "%eval" (run the text through a shell in ctys) is refused.
 * Inside braces any other suffix names a macro file of the search path to look NAME up in
 * instead of the loaded set. The expanded text is expanded again, at most
 * DECK_MACROS_MAX_DEPTH levels deep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-macros.h"

#include <string.h>

#include "deck-config.h"
#include "deck-error.h"
#include "deck-paths.h"

/* An expansion larger than this is a runaway (macros doubling at each level). */
#define MAX_EXPANSION (1024 * 1024)

typedef struct {
  char  *name;
  char  *text;
  char  *file;
  guint  line;
} MacroDef;

struct _DeckMacros
{
  GObject parent_instance;

  char       **search_path;
  GHashTable  *defs;          /* name -> MacroDef: everything loaded */
  GHashTable  *loaded_names;  /* macro file names loaded with deck_macros_load() */
  GPtrArray   *loaded_paths;  /* paths loaded, in order (for messages) */
  GHashTable  *other_files;   /* file name -> (name -> MacroDef), for {macro:N%file} */
  gboolean     tried_default;
};

G_DEFINE_FINAL_TYPE (DeckMacros, deck_macros, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SEARCH_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
macro_def_free (MacroDef *def)
{
  g_free (def->name);
  g_free (def->text);
  g_free (def->file);
  g_free (def);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MacroDef, macro_def_free)

static GHashTable *
new_def_table (void)
{
  /* the key is def->name, owned by the value */
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) macro_def_free);
}

static char **
default_search_path (void)
{
  return deck_ctys_search_path ("CTYS_MACRO_PATH", "macros", TRUE);
}

static void
deck_macros_finalize (GObject *object)
{
  DeckMacros *self = DECK_MACROS (object);

  g_strfreev (self->search_path);
  g_hash_table_unref (self->defs);
  g_hash_table_unref (self->loaded_names);
  g_ptr_array_unref (self->loaded_paths);
  g_hash_table_unref (self->other_files);

  G_OBJECT_CLASS (deck_macros_parent_class)->finalize (object);
}

static void
deck_macros_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DeckMacros *self = DECK_MACROS (object);

  switch (prop_id)
    {
    case PROP_SEARCH_PATH:
      g_value_set_boxed (value, self->search_path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_macros_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DeckMacros *self = DECK_MACROS (object);

  switch (prop_id)
    {
    case PROP_SEARCH_PATH:
      g_strfreev (self->search_path);
      self->search_path = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_macros_constructed (GObject *object)
{
  DeckMacros *self = DECK_MACROS (object);

  G_OBJECT_CLASS (deck_macros_parent_class)->constructed (object);

  if (self->search_path == NULL)
    self->search_path = default_search_path ();
}

static void
deck_macros_class_init (DeckMacrosClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = deck_macros_finalize;
  object_class->get_property = deck_macros_get_property;
  object_class->set_property = deck_macros_set_property;
  object_class->constructed = deck_macros_constructed;

  /**
   * DeckMacros:search-path:
   *
   * Directories searched for macro files, first match wins; %NULL at construction
   * selects the default path.
   */
  properties[PROP_SEARCH_PATH] =
    g_param_spec_boxed ("search-path", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
deck_macros_init (DeckMacros *self)
{
  self->defs = new_def_table ();
  self->loaded_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->loaded_paths = g_ptr_array_new_with_free_func (g_free);
  self->other_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_hash_table_unref);
}

DeckMacros *
deck_macros_new (const char * const *search_path)
{
  return g_object_new (DECK_TYPE_MACROS, "search-path", search_path, NULL);
}

const char * const *
deck_macros_get_search_path (DeckMacros *self)
{
  g_return_val_if_fail (DECK_IS_MACROS (self), NULL);

  return (const char * const *) self->search_path;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.';
}

static gboolean
is_valid_name (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!is_name_char (*s))
      return FALSE;
  return TRUE;
}

/* A macro file name as given to deck_macros_load() or "%<file>": one plain file name. */
static gboolean
check_file_name (const char  *name,
                 GError     **error)
{
  if (*name == '\0' || strchr (name, '/') != NULL || strcmp (name, ".") == 0
      || strcmp (name, "..") == 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "“%s” is not a macro file name; give the name of a file in the macro "
                   "search path, such as “default”", name);
      return FALSE;
    }
  return TRUE;
}

static char *
find_in_search_path (DeckMacros  *self,
                     const char  *name,
                     GError     **error)
{
  g_autofree char *dirs = NULL;

  for (guint i = 0; self->search_path[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (self->search_path[i], name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  dirs = g_strjoinv (":", self->search_path);
  g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND,
               "macro file “%s” not found in the macro path “%s”; set CTYS_MACRO_PATH or "
               "create $HOME/.ctys/macros/%s", name, dirs, name);
  return NULL;
}

/* Parses one logical line; NULL with @error set, or a new definition. */
static MacroDef *
parse_definition (const char  *path,
                  guint        line_no,
                  const char  *line,
                  GError     **error)
{
  g_autoptr(MacroDef) def = NULL;
  const char *eq = strchr (line, '=');
  g_autofree char *name = NULL;

  if (eq == NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE,
                   "%s:%u: expected “NAME = text”, found no ‘=’", path, line_no);
      return NULL;
    }

  name = g_strstrip (g_strndup (line, eq - line));
  if (!is_valid_name (name))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE,
                   "%s:%u: “%s” is not a macro name (use letters, digits, ‘_’, ‘-’ and ‘.’)",
                   path, line_no, name);
      return NULL;
    }

  def = g_new0 (MacroDef, 1);
  def->name = g_steal_pointer (&name);
  def->text = g_strstrip (g_strdup (eq + 1));
  def->file = g_strdup (path);
  def->line = line_no;
  return g_steal_pointer (&def);
}

/* Reads @path into an array of MacroDef in file order; a name defined twice in the file
 * is an error. */
static GPtrArray *
parse_file (const char  *path,
            GError     **error)
{
  g_autoptr(GPtrArray) defs = g_ptr_array_new_with_free_func ((GDestroyNotify) macro_def_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) logical = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint start_line = 0;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      int code = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                 ? DECK_ERROR_NOT_FOUND
                 : g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES)
                   ? DECK_ERROR_PERMISSION : DECK_ERROR_FAILED;

      g_set_error (error, DECK_ERROR, code, "cannot read macro file: %s", local_error->message);
      return NULL;
    }
  if (memchr (contents, '\0', len) != NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE,
                   "%s:1: contains a NUL byte; a macro file is text", path);
      return NULL;
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize n = strlen (line);
      gboolean continued = FALSE;
      const char *p;

      if (!g_utf8_validate (line, n, NULL))
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE,
                       "%s:%u: line is not valid UTF-8", path, i + 1);
          return NULL;
        }
      if (n > 0 && line[n - 1] == '\r')
        line[--n] = '\0';

      if (logical == NULL)
        {
          for (p = line; *p == ' ' || *p == '\t'; p++)
            ;
          if (*p == '\0' || *p == '#')
            continue;
          logical = g_string_new (NULL);
          start_line = i + 1;
        }

      /* a '\' as the last non-blank character continues the definition */
      while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
      if (n > 0 && line[n - 1] == '\\')
        {
          continued = TRUE;
          n--;
        }
      else
        n = strlen (line);
      g_string_append_len (logical, line, n);

      if (!continued || lines[i + 1] == NULL)
        {
          MacroDef *def = parse_definition (path, start_line, logical->str, error);
          MacroDef *prev;

          g_string_free (g_steal_pointer (&logical), TRUE);
          if (def == NULL)
            return NULL;
          prev = g_hash_table_lookup (seen, def->name);
          if (prev != NULL)
            {
              g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE,
                           "%s:%u: macro “%s” is defined a second time (first at %s:%u)",
                           path, def->line, def->name, prev->file, prev->line);
              macro_def_free (def);
              return NULL;
            }
          g_hash_table_insert (seen, def->name, def);
          g_ptr_array_add (defs, def);
        }
    }

  return g_steal_pointer (&defs);
}

gboolean
deck_macros_load_file (DeckMacros  *self,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GPtrArray) defs = NULL;
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (DECK_IS_MACROS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  canonical = g_canonicalize_filename (path, NULL);
  for (guint i = 0; i < self->loaded_paths->len; i++)
    if (strcmp (g_ptr_array_index (self->loaded_paths, i), canonical) == 0)
      return TRUE;

  defs = parse_file (path, error);
  if (defs == NULL)
    return FALSE;

  /* all or nothing: check every name before taking any */
  for (guint i = 0; i < defs->len; i++)
    {
      MacroDef *def = g_ptr_array_index (defs, i);
      MacroDef *prev = g_hash_table_lookup (self->defs, def->name);

      if (prev != NULL)
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE,
                       "%s:%u: macro “%s” is defined a second time (first at %s:%u)",
                       def->file, def->line, def->name, prev->file, prev->line);
          return FALSE;
        }
    }

  g_ptr_array_set_free_func (defs, NULL);
  for (guint i = 0; i < defs->len; i++)
    {
      MacroDef *def = g_ptr_array_index (defs, i);

      g_hash_table_insert (self->defs, def->name, def);
    }
  g_ptr_array_add (self->loaded_paths, g_steal_pointer (&canonical));
  return TRUE;
}

gboolean
deck_macros_load (DeckMacros  *self,
                  const char  *name,
                  GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (DECK_IS_MACROS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name == NULL)
    name = "default";
  if (!check_file_name (name, error))
    return FALSE;
  if (g_hash_table_contains (self->loaded_names, name))
    return TRUE;

  path = find_in_search_path (self, name, error);
  if (path == NULL)
    return FALSE;
  if (!deck_macros_load_file (self, path, error))
    return FALSE;

  g_hash_table_add (self->loaded_names, g_strdup (name));
  return TRUE;
}

const char *
deck_macros_lookup (DeckMacros *self,
                    const char *name)
{
  MacroDef *def;

  g_return_val_if_fail (DECK_IS_MACROS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  def = g_hash_table_lookup (self->defs, name);
  return def ? def->text : NULL;
}

/* Loads "default" the first time a reference needs a definition and nothing was loaded.
 * A missing default file is not an error here: the reference then is undefined. */
static gboolean
ensure_loaded (DeckMacros  *self,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (self->loaded_paths->len > 0 || self->tried_default)
    return TRUE;

  self->tried_default = TRUE;
  if (deck_macros_load (self, "default", &local_error))
    return TRUE;
  if (g_error_matches (local_error, DECK_ERROR, DECK_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* The definitions of macro file @file (looked up on the search path), read once. */
static GHashTable *
get_other_file (DeckMacros  *self,
                const char  *file,
                GError     **error)
{
  g_autoptr(GPtrArray) defs = NULL;
  g_autofree char *path = NULL;
  GHashTable *table = g_hash_table_lookup (self->other_files, file);

  if (table != NULL)
    return table;
  if (!check_file_name (file, error))
    return NULL;
  path = find_in_search_path (self, file, error);
  if (path == NULL)
    return NULL;
  defs = parse_file (path, error);
  if (defs == NULL)
    return NULL;

  table = new_def_table ();
  g_ptr_array_set_free_func (defs, NULL);
  for (guint i = 0; i < defs->len; i++)
    {
      MacroDef *def = g_ptr_array_index (defs, i);

      g_hash_table_insert (table, def->name, def);
    }
  g_hash_table_insert (self->other_files, g_strdup (file), table);
  return table;
}

typedef struct {
  char     *name;
  char     *file;     /* NULL: the loaded set */
  gboolean  optional;
  gboolean  eval;
} Reference;

static void
reference_clear (Reference *ref)
{
  g_clear_pointer (&ref->name, g_free);
  g_clear_pointer (&ref->file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reference, reference_clear)

/* TRUE if @s starts with @keyword (ASCII case-insensitive) not followed by a name char. */
static gboolean
has_keyword (const char *s,
             const char *keyword)
{
  gsize n = strlen (keyword);

  return g_ascii_strncasecmp (s, keyword, n) == 0 && !is_name_char (s[n]);
}

/* Applies one "%suffix" of a reference; @in_braces allows macro file names. */
static gboolean
apply_suffix (Reference   *ref,
              const char  *suffix,
              gboolean     in_braces,
              GError     **error)
{
  if (g_ascii_strcasecmp (suffix, "optional") == 0)
    ref->optional = TRUE;
  else if (g_ascii_strcasecmp (suffix, "echo") == 0)
    ;
  else if (g_ascii_strcasecmp (suffix, "eval") == 0)
    ref->eval = TRUE;
  else if (in_braces && *suffix != '\0')
    {
      g_free (ref->file);
      ref->file = g_strdup (suffix);
    }
  else
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "macro reference “%s”: unknown suffix “%%%s”", ref->name, suffix);
      return FALSE;
    }
  return TRUE;
}

static gboolean expand_into (DeckMacros  *self,
                             const char  *text,
                             GString     *out,
                             GPtrArray   *chain,
                             GError     **error);

static char *
describe_chain (GPtrArray  *chain,
                const char *last)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < chain->len; i++)
    g_string_append_printf (s, "%s -> ", (const char *) g_ptr_array_index (chain, i));
  g_string_append (s, last);
  return g_string_free (s, FALSE);
}

static gboolean
expand_reference (DeckMacros  *self,
                  Reference   *ref,
                  GString     *out,
                  GPtrArray   *chain,
                  GError     **error)
{
  MacroDef *def;
  gboolean ok;

  if (ref->file != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      GHashTable *table = get_other_file (self, ref->file, &local_error);

      if (table == NULL)
        {
          if (ref->optional
              && g_error_matches (local_error, DECK_ERROR, DECK_ERROR_NOT_FOUND))
            return TRUE;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      def = g_hash_table_lookup (table, ref->name);
    }
  else
    {
      if (!ensure_loaded (self, error))
        return FALSE;
      def = g_hash_table_lookup (self->defs, ref->name);
    }

  if (def == NULL)
    {
      g_autofree char *files = NULL;

      if (ref->optional)
        return TRUE;

      if (ref->file != NULL)
        files = g_strdup (ref->file);
      else if (self->loaded_paths->len > 0)
        {
          g_ptr_array_add (self->loaded_paths, NULL);
          files = g_strjoinv (", ", (char **) self->loaded_paths->pdata);
          g_ptr_array_remove_index (self->loaded_paths, self->loaded_paths->len - 1);
        }
      else
        files = g_strdup ("no macro file loaded");
      g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND,
                   "macro “%s” is not defined (%s); define it or write “macro:%s%%optional”",
                   ref->name, files, ref->name);
      return FALSE;
    }

  if (ref->eval)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED,
                   "macro “%s”: “%%eval” (running macro text through a shell) is not "
                   "supported", ref->name);
      return FALSE;
    }

  if (chain->len >= DECK_MACROS_MAX_DEPTH)
    {
      g_autofree char *desc = describe_chain (chain, ref->name);

      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "macros nest deeper than %d levels (a macro that refers to itself?): %s",
                   DECK_MACROS_MAX_DEPTH, desc);
      return FALSE;
    }

  g_ptr_array_add (chain, def->name);
  ok = expand_into (self, def->text, out, chain, error);
  g_ptr_array_remove_index (chain, chain->len - 1);
  return ok;
}

/* Parses "{macro:NAME%suffix...}" at @p (pointing at '{'); returns the end or NULL. */
static const char *
parse_braced (const char  *p,
              Reference   *ref,
              GError     **error)
{
  const char *start = p + strlen ("{macro:");
  const char *close = strchr (start, '}');
  g_autofree char *inner = NULL;
  g_auto(GStrv) parts = NULL;

  if (close == NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "macro reference “%.40s” has no closing ‘}’", p);
      return NULL;
    }

  inner = g_strndup (start, close - start);
  parts = g_strsplit (inner, "%", -1);
  if (parts[0] == NULL || !is_valid_name (parts[0]))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "macro reference “{macro:%s}” does not start with a macro name", inner);
      return NULL;
    }
  ref->name = g_strdup (parts[0]);
  for (guint i = 1; parts[i] != NULL; i++)
    if (!apply_suffix (ref, parts[i], TRUE, error))
      return NULL;
  return close + 1;
}

/* Parses "macro:NAME[%optional|%echo|%eval]..." at @p; returns the end or NULL. */
static const char *
parse_plain (const char  *p,
             Reference   *ref,
             GError     **error)
{
  const char *start = p + strlen ("macro:");
  const char *e = start;

  while (is_name_char (*e))
    e++;
  if (e == start)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "“%.40s”: “macro:” must be followed by a macro name", p);
      return NULL;
    }
  ref->name = g_strndup (start, e - start);

  while (*e == '%' && (has_keyword (e + 1, "optional") || has_keyword (e + 1, "echo")
                       || has_keyword (e + 1, "eval")))
    {
      const char *kw = e + 1;
      gsize n = 0;

      while (is_name_char (kw[n]))
        n++;
      {
        g_autofree char *suffix = g_strndup (kw, n);

        if (!apply_suffix (ref, suffix, FALSE, error))
          return NULL;
      }
      e = kw + n;
    }
  return e;
}

static gboolean
expand_into (DeckMacros  *self,
             const char  *text,
             GString     *out,
             GPtrArray   *chain,
             GError     **error)
{
  const char *p = text;

  while (*p != '\0')
    {
      g_auto(Reference) ref = { NULL, };
      const char *end = NULL;

      if (*p == '{' && g_ascii_strncasecmp (p + 1, "macro:", 6) == 0)
        end = parse_braced (p, &ref, error);
      else if (g_ascii_strncasecmp (p, "macro:", 6) == 0
               && (p == text || !is_name_char (p[-1])))
        end = parse_plain (p, &ref, error);
      else
        {
          g_string_append_c (out, *p++);
          continue;
        }

      if (end == NULL || !expand_reference (self, &ref, out, chain, error))
        return FALSE;
      if (out->len > MAX_EXPANSION)
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "macro “%s” expands to more than %d bytes", ref.name, MAX_EXPANSION);
          return FALSE;
        }
      p = end;
    }
  return TRUE;
}

char *
deck_macros_expand (DeckMacros  *self,
                    const char  *text,
                    GError     **error)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GPtrArray) chain = NULL;

  g_return_val_if_fail (DECK_IS_MACROS (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_string_new (NULL);
  chain = g_ptr_array_new ();
  if (!expand_into (self, text, out, chain, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
