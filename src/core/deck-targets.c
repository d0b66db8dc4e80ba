/* deck-targets.c: ctys target lists, host option groups and group files
 *
 * Words of a call and lines of a group file go through one scanner that cuts them into
 * names ("[user@]host-or-group") and option groups ("(...)"); a group belongs to the name
 * right before it. The two sources differ in where a name ends:
 *
 *   call words   One word is one name, so a blank inside a word stays part of the name
 *                (and makes it invalid). An option group may span words: "lab00" "(-Z"
 *                "KSU)" is what a shell hands over for an unquoted `lab00 \(-Z KSU\)`, and
 *                ctys accepts it. The words of a group are rejoined with one blank (the
 *                shell dropped the blanks between them) before the group text is split like
 *                a shell would split it. Blanks right before '(' inside a word are dropped.
 *   file lines   Blanks outside parentheses separate names, so a line may hold several
 *                targets; an option group must close on its own line; a '#' where a name
 *                would start comments out the rest of the line.
 *
 * Quotes inside an option group are honoured when looking for the closing ')', so
 * "(-a 'x)y')" is one group; '(' outside quotes inside a group is a nested group (refused).
 *
 * Expanding a group: each member line gives targets with the options of that line; the
 * options written with the group's name (in the call or on a line of an outer group) are
 * appended to every member, and a user written with the group's name replaces the members'
 * users. So for nested groups the innermost line comes first and the call last ("later
 * wins"), and the outermost group name ends up in DeckTarget.group.
 *
 * Errors from the call are DECK_ERROR_USAGE; syntax errors in a group file are
 * DECK_ERROR_PARSE with "<file>:<line>: "; a bad name is DECK_ERROR_INVALID_VALUE either way
 * (with "<file>:<line>: " when it comes from a file), as for values of the inventory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-targets.h"

#include <string.h>

#include "deck-config.h"
#include "deck-error.h"
#include "deck-paths.h"

static char *
printable (const char *word)
{
  /* Words in messages come from the command line or from files: control characters are
   * shown escaped so that a message stays on one line. */
  GString *s;

  if (!g_utf8_validate (word, -1, NULL))
    return g_strescape (word, NULL);

  s = g_string_new (NULL);
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (s, "\\n");
      else if (*p == '\t')
        g_string_append (s, "\\t");
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (s, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static char **
strv_concat (const char * const *a,
             const char * const *b)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (a != NULL)
    g_strv_builder_addv (builder, (const char **) a);
  if (b != NULL)
    g_strv_builder_addv (builder, (const char **) b);
  return g_strv_builder_end (builder);
}

/* --- DeckTarget ------------------------------------------------------------------- */

DeckTarget *
deck_target_new (const char         *user,
                 const char         *host,
                 const char * const *options)
{
  DeckTarget *target;

  g_return_val_if_fail (host != NULL, NULL);

  target = g_new0 (DeckTarget, 1);
  target->user = g_strdup (user);
  target->host = g_strdup (host);
  target->options = strv_concat (options, NULL);
  return target;
}

DeckTarget *
deck_target_copy (const DeckTarget *target)
{
  DeckTarget *copy;

  g_return_val_if_fail (target != NULL, NULL);

  copy = deck_target_new (target->user, target->host, (const char * const *) target->options);
  copy->group = g_strdup (target->group);
  return copy;
}

void
deck_target_free (DeckTarget *target)
{
  if (target == NULL)
    return;

  g_free (target->user);
  g_free (target->host);
  g_strfreev (target->options);
  g_free (target->group);
  g_free (target);
}

/* Option words made only of these characters are written unquoted. */
static gboolean
needs_quoting (const char *word)
{
  if (*word == '\0')
    return TRUE;
  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.,:=/%+@", *p) == NULL)
      return TRUE;
  return FALSE;
}

char *
deck_target_to_string (const DeckTarget *target)
{
  GString *s;

  g_return_val_if_fail (target != NULL, NULL);

  s = g_string_new (NULL);
  if (target->user != NULL)
    g_string_append_printf (s, "%s@", target->user);
  g_string_append (s, target->host);
  if (target->options[0] != NULL)
    {
      g_string_append_c (s, '(');
      for (guint i = 0; target->options[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (s, ' ');
          if (needs_quoting (target->options[i]))
            {
              g_autofree char *quoted = g_shell_quote (target->options[i]);

              g_string_append (s, quoted);
            }
          else
            g_string_append (s, target->options[i]);
        }
      g_string_append_c (s, ')');
    }
  return g_string_free (s, FALSE);
}

gboolean
deck_target_equal (const DeckTarget *a,
                   const DeckTarget *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->user, b->user) == 0 &&
         strcmp (a->host, b->host) == 0 &&
         g_strv_equal ((const char * const *) a->options, (const char * const *) b->options);
}

/* NULL when @name is made of ASCII letters, digits and @extra and does not begin with '-'
 * (ssh would take it for an option); else the reason. */
static const char *
name_problem (const char *name,
              const char *extra,
              const char *bad_char)
{
  if (*name == '\0')
    return "it is empty";
  if (*name == '-')
    return "it must not begin with ‘-’";
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
      return bad_char;
  return NULL;
}

gboolean
deck_target_check_host (const char  *host,
                        GError     **error)
{
  g_autofree char *inner = NULL;
  const char *name = host;
  const char *reason;
  gsize len;

  g_return_val_if_fail (host != NULL, FALSE);

  len = strlen (host);
  if (len >= 2 && host[0] == '[' && host[len - 1] == ']')
    name = inner = g_strndup (host + 1, len - 2);

  reason = name_problem (name, "_.:%-", "only ASCII letters, digits and ‘_ . : % -’ are allowed");
  if (reason != NULL)
    {
      g_autofree char *shown = printable (host);

      g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE,
                   "invalid host name “%s”: %s", shown, reason);
      return FALSE;
    }
  return TRUE;
}

gboolean
deck_target_check_user (const char  *user,
                        GError     **error)
{
  const char *reason;

  g_return_val_if_fail (user != NULL, FALSE);

  reason = name_problem (user, "_.-", "only ASCII letters, digits and ‘_ . -’ are allowed");
  if (reason != NULL)
    {
      g_autofree char *shown = printable (user);

      g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE,
                   "invalid user name “%s”: %s", shown, reason);
      return FALSE;
    }
  return TRUE;
}

/* --- groups path ------------------------------------------------------------------ */

char **
deck_targets_default_groups_path (void)
{
  return deck_ctys_search_path ("CTYS_GROUPS_PATH", "groups", FALSE);
}

char *
deck_targets_find_group (const char * const *groups_path,
                         const char         *name)
{
  g_auto(GStrv) default_path = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  /* A word with '/' would reach outside the groups directories, ".." and dot files are
   * never groups. */
  if (*name == '\0' || *name == '.' || strchr (name, '/') != NULL)
    return NULL;

  if (groups_path == NULL)
    groups_path = (const char * const *) (default_path = deck_targets_default_groups_path ());

  for (guint i = 0; groups_path[i] != NULL; i++)
    {
      g_autofree char *path = NULL;

      if (*groups_path[i] == '\0')
        continue;
      path = g_build_filename (groups_path[i], name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

/* --- scanner ---------------------------------------------------------------------- */

typedef struct {
  char *name;     /* "[user@]host-or-group" as written; NULL for an option group */
  char *options;  /* the text between the parentheses; NULL for a name */
  char *origin;   /* what was written (the whole call word, or "(...)"), for messages */
} Token;

static void
token_free (Token *token)
{
  g_free (token->name);
  g_free (token->options);
  g_free (token->origin);
  g_free (token);
}

typedef struct {
  gboolean    file_line;  /* blanks separate names; '#' starts a comment */
  int         code;       /* error code for syntax errors */
  const char *where;      /* "" or "<file>:<line>: " */
  GPtrArray  *tokens;
  GString    *group;      /* non-NULL while inside "(...)" */
  char        quote;      /* '\'' or '"' while inside a quoted part of a group */
  gboolean    escaped;    /* the previous group character was a '\' outside single quotes */
} Scanner;

static void
scanner_init (Scanner    *sc,
              gboolean    file_line,
              const char *where)
{
  memset (sc, 0, sizeof *sc);
  sc->file_line = file_line;
  sc->code = file_line ? DECK_ERROR_PARSE : DECK_ERROR_USAGE;
  sc->where = where;
  sc->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) token_free);
}

static void
scanner_clear (Scanner *sc)
{
  g_clear_pointer (&sc->tokens, g_ptr_array_unref);
  if (sc->group != NULL)
    g_string_free (sc->group, TRUE);
  sc->group = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scanner, scanner_clear)

G_GNUC_PRINTF (4, 5)
static gboolean
scan_error (Scanner     *sc,
            GError     **error,
            const char  *text,
            const char  *format,
            ...)
{
  g_autofree char *shown = printable (text);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DECK_ERROR, sc->code, "%s%s in “%s”", sc->where, message, shown);
  return FALSE;
}

static void
add_name (Scanner    *sc,
          const char *name,
          const char *origin)
{
  Token *token = g_new0 (Token, 1);

  token->name = g_strdup (name);
  token->origin = g_strdup (origin);
  g_ptr_array_add (sc->tokens, token);
}

/* Ends the name collected so far (if any). */
static void
flush_name (Scanner    *sc,
            GString    *name,
            const char *origin)
{
  if (name->len > 0)
    add_name (sc, name->str, sc->file_line ? name->str : origin);
  g_string_truncate (name, 0);
}

/* One character inside "(...)"; returns FALSE with @error set on a nested '('. */
static gboolean
scan_group_char (Scanner     *sc,
                 char         c,
                 const char  *text,
                 GError     **error)
{
  if (sc->escaped)
    sc->escaped = FALSE;
  else if (sc->quote == '\'')
    sc->quote = c == '\'' ? 0 : sc->quote;
  else if (sc->quote == '"')
    {
      if (c == '\\')
        sc->escaped = TRUE;
      else if (c == '"')
        sc->quote = 0;
    }
  else if (c == '\\')
    sc->escaped = TRUE;
  else if (c == '\'' || c == '"')
    sc->quote = c;
  else if (c == '(')
    return scan_error (sc, error, text, "option groups cannot be nested");
  else if (c == ')')
    {
      Token *token = g_new0 (Token, 1);

      token->options = g_string_free (g_steal_pointer (&sc->group), FALSE);
      token->origin = g_strdup_printf ("(%s)", token->options);
      g_ptr_array_add (sc->tokens, token);
      return TRUE;
    }

  g_string_append_c (sc->group, c);
  return TRUE;
}

/* Scans one call word or one group file line. */
static gboolean
scan_text (Scanner     *sc,
           const char  *text,
           GError     **error)
{
  g_autoptr(GString) name = g_string_new (NULL);
  gboolean after_group = FALSE;

  if (sc->group != NULL)
    {
      /* An option group continues from the previous call word: the shell ate the blanks
       * between them. (A blank cannot fail.) */
      scan_group_char (sc, ' ', text, NULL);
    }
  else if (*text == '\0' && !sc->file_line)
    {
      add_name (sc, "", "");  /* refused as a name later, with the usual message */
      return TRUE;
    }

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = *p;

      if (sc->group != NULL)
        {
          if (!scan_group_char (sc, c, text, error))
            return FALSE;
          after_group = sc->group == NULL;
          continue;
        }
      if (after_group && !(sc->file_line && is_blank (c)))
        return scan_error (sc, error, text, "unexpected text after ‘)’");
      after_group = FALSE;

      if (c == '(')
        {
          /* "lab00 (-Z KSU)" as one word: the blanks before '(' are tolerated (AC-22). */
          while (name->len > 0 && is_blank (name->str[name->len - 1]))
            g_string_truncate (name, name->len - 1);
          flush_name (sc, name, text);
          sc->group = g_string_new (NULL);
        }
      else if (c == ')')
        return scan_error (sc, error, text, "‘)’ without ‘(’");
      else if (sc->file_line && is_blank (c))
        flush_name (sc, name, text);
      else if (sc->file_line && c == '#' && name->len == 0)
        break;
      else
        g_string_append_c (name, c);
    }

  if (sc->group != NULL && sc->file_line)
    return scan_error (sc, error, text, "option group not closed with ‘)’ on its line%s",
                       sc->quote ? " (a quote is not closed)" : "");
  flush_name (sc, name, text);
  return TRUE;
}

/* Called after the last call word. */
static gboolean
scan_finish (Scanner  *sc,
             GError  **error)
{
  g_autofree char *text = NULL;

  if (sc->group == NULL)
    return TRUE;
  text = g_strdup_printf ("(%s", sc->group->str);
  return scan_error (sc, error, text, "option group not closed with ‘)’%s",
                     sc->quote ? " (a quote is not closed)" : "");
}

/* Splits the text of an option group into words like a shell (quotes, backslashes; nothing
 * is expanded). */
static gboolean
split_options (const Token  *group,
               int           code,
               const char   *where,
               char       ***options,
               GError      **error)
{
  g_autoptr(GError) local = NULL;

  if (g_shell_parse_argv (group->options, NULL, options, &local))
    return TRUE;
  if (g_error_matches (local, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING))
    {
      *options = g_new0 (char *, 1);
      return TRUE;
    }

  {
    g_autofree char *shown = printable (group->origin);

    g_set_error (error, DECK_ERROR, code, "%scannot split option group “%s”: %s",
                 where, shown, local->message);
  }
  return FALSE;
}

/* --- expansion -------------------------------------------------------------------- */

typedef struct {
  const char * const *groups_path;
  GPtrArray          *stack;  /* canonical paths of the group files being read, outermost first */
} Expander;

static gboolean walk_tokens (Expander    *ex,
                             GPtrArray   *tokens,
                             guint        start,
                             int          code,
                             const char  *where,
                             GPtrArray   *out,
                             GError     **error);

static GPtrArray *
new_target_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) deck_target_free);
}

/* Reads @path (after checking the include stack) into a new array of targets. */
static GPtrArray *
expand_group_file (Expander    *ex,
                   const char  *path,
                   const char  *where,
                   GError     **error);

/* "#include <group>" lines; any other line starting with '#' is a comment. */
static gboolean
read_include (Expander    *ex,
              const char  *line,
              const char  *where,
              GPtrArray   *out,
              GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) members = NULL;
  const char *rest;

  if (!g_str_has_prefix (line, "#include"))
    return TRUE;
  rest = line + strlen ("#include");
  if (*rest != '\0' && !is_blank (*rest))
    return TRUE;

  name = g_strstrip (g_strdup (rest));
  if (*name == '\0')
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE, "%s#include needs a group name", where);
      return FALSE;
    }
  if (strpbrk (name, " \t") != NULL || *name == '.' || strchr (name, '/') != NULL)
    {
      g_autofree char *shown = printable (name);

      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE,
                   "%s#include takes the name of one file in the groups path, not “%s”",
                   where, shown);
      return FALSE;
    }

  path = deck_targets_find_group (ex->groups_path, name);
  if (path == NULL)
    {
      g_autofree char *dirs = g_strjoinv (":", (char **) ex->groups_path);
      g_autofree char *shown = printable (name);

      g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND,
                   "%sgroup “%s” of #include not found in the groups path “%s” "
                   "(set CTYS_GROUPS_PATH or create $HOME/.ctys/groups/%s)",
                   where, shown, dirs, shown);
      return FALSE;
    }

  members = expand_group_file (ex, path, where, error);
  if (members == NULL)
    return FALSE;
  g_ptr_array_extend_and_steal (out, g_steal_pointer (&members));
  return TRUE;
}

static GPtrArray *
read_group (Expander    *ex,
            const char  *path,
            GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) out = new_target_array ();

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);  /* also drops the '\r' of CRLF files */
      g_autofree char *where = NULL;
      g_auto(Scanner) sc = { 0 };

      if (*line == '\0')
        continue;
      where = g_strdup_printf ("%s:%u: ", path, i + 1);
      if (line[0] == '#')
        {
          if (!read_include (ex, line, where, out, error))
            return NULL;
          continue;
        }

      scanner_init (&sc, TRUE, where);
      if (!scan_text (&sc, line, error) ||
          !walk_tokens (ex, sc.tokens, 0, DECK_ERROR_PARSE, where, out, error))
        return NULL;
    }
  return g_steal_pointer (&out);
}

static GPtrArray *
expand_group_file (Expander    *ex,
                   const char  *path,
                   const char  *where,
                   GError     **error)
{
  g_autofree char *key = g_canonicalize_filename (path, NULL);
  GPtrArray *members;

  for (guint i = 0; i < ex->stack->len; i++)
    if (strcmp (ex->stack->pdata[i], key) == 0)
      {
        g_autoptr(GString) chain = g_string_new (NULL);

        for (guint j = i; j < ex->stack->len; j++)
          g_string_append_printf (chain, "%s → ", (char *) ex->stack->pdata[j]);
        g_string_append (chain, key);
        g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED,
                     "%sgroups include each other: %s", where, chain->str);
        return NULL;
      }

  g_ptr_array_add (ex->stack, g_steal_pointer (&key));
  members = read_group (ex, path, error);
  g_ptr_array_remove_index (ex->stack, ex->stack->len - 1);
  return members;
}

/* Adds "[user@]host-or-group" name to @out as the targets it stands for, with @options
 * appended to the members' own options. */
static gboolean
resolve_name (Expander     *ex,
              const Token  *token,
              char        **options,
              const char   *where,
              GPtrArray    *out,
              GError      **error)
{
  const char *at = strchr (token->name, '@');
  const char *name = token->name;
  g_autofree char *user = NULL;
  g_autofree char *group_path = NULL;
  g_autofree char *host = NULL;
  const char *refused;
  gsize len;

  if (at != NULL)
    {
      user = g_strndup (token->name, at - token->name);
      name = at + 1;
      refused = user;
      if (!deck_target_check_user (user, error))
        goto bad_name;
    }

  group_path = deck_targets_find_group (ex->groups_path, name);
  if (group_path != NULL)
    {
      g_autoptr(GPtrArray) members = expand_group_file (ex, group_path, where, error);

      if (members == NULL)
        return FALSE;
      for (guint i = 0; i < members->len; i++)
        {
          DeckTarget *member = members->pdata[i];
          char **merged = strv_concat ((const char * const *) member->options,
                                       (const char * const *) options);

          g_strfreev (member->options);
          member->options = merged;
          if (user != NULL)
            {
              g_free (member->user);
              member->user = g_strdup (user);
            }
          g_free (member->group);
          member->group = g_strdup (name);
        }
      g_ptr_array_extend_and_steal (out, g_steal_pointer (&members));
      return TRUE;
    }

  refused = name;
  if (!deck_target_check_host (name, error))
    goto bad_name;

  len = strlen (name);
  if (name[0] == '[')
    host = g_strndup (name + 1, len - 2);  /* checked: "[...]" */
  else
    host = g_strdup (name);
  g_ptr_array_add (out, deck_target_new (user, host, (const char * const *) options));
  return TRUE;

bad_name:
  /* The word is named as written when the refused part is only a piece of it. */
  if (strcmp (token->origin, refused) != 0)
    {
      g_autofree char *shown = printable (token->origin);

      g_prefix_error (error, "%starget “%s”: ", where, shown);
    }
  else
    g_prefix_error (error, "%s", where);
  return FALSE;
}

/* Pairs each name with the option group after it and resolves it. */
static gboolean
walk_tokens (Expander    *ex,
             GPtrArray   *tokens,
             guint        start,
             int          code,
             const char  *where,
             GPtrArray   *out,
             GError     **error)
{
  for (guint i = start; i < tokens->len; i++)
    {
      const Token *token = tokens->pdata[i];
      g_auto(GStrv) options = NULL;

      if (token->name == NULL)
        {
          g_autofree char *shown = printable (token->origin);

          g_set_error (error, DECK_ERROR, code,
                       "%soption group “%s” does not follow a target", where, shown);
          return FALSE;
        }
      if (i + 1 < tokens->len && ((Token *) tokens->pdata[i + 1])->name == NULL)
        {
          if (!split_options (tokens->pdata[i + 1], code, where, &options, error))
            return FALSE;
          i++;
        }
      if (!resolve_name (ex, token, options, where, out, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
contains_target (GPtrArray        *targets,
                 const DeckTarget *target)
{
  for (guint i = 0; i < targets->len; i++)
    if (deck_target_equal (targets->pdata[i], target))
      return TRUE;
  return FALSE;
}

GPtrArray *
deck_targets_parse (const char * const *words,
                    const char * const *groups_path,
                    gboolean            allow_duplicates,
                    GError            **error)
{
  g_auto(GStrv) default_path = NULL;
  g_auto(GStrv) defaults = NULL;
  g_auto(Scanner) sc = { 0 };
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) expanded = new_target_array ();
  g_autoptr(GPtrArray) result = new_target_array ();
  Expander ex;
  guint first = 0;

  g_return_val_if_fail (words != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (groups_path == NULL)
    groups_path = (const char * const *) (default_path = deck_targets_default_groups_path ());
  ex.groups_path = groups_path;
  ex.stack = stack;

  scanner_init (&sc, FALSE, "");
  for (guint i = (words[0] != NULL && strcmp (words[0], "--") == 0) ? 1 : 0; words[i] != NULL; i++)
    if (!scan_text (&sc, words[i], error))
      return NULL;
  if (!scan_finish (&sc, error))
    return NULL;

  /* A leading option group is the default group, with or without "--" before it (an
   * option parser may have dropped the "--"). */
  if (sc.tokens->len > 0 && ((Token *) sc.tokens->pdata[0])->name == NULL)
    {
      const Token *group = sc.tokens->pdata[0];

      if (sc.tokens->len == 1)
        {
          g_autofree char *shown = printable (group->origin);

          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "default option group “%s” is not followed by a target", shown);
          return NULL;
        }
      if (!split_options (group, DECK_ERROR_USAGE, "", &defaults, error))
        return NULL;
      first = 1;
    }

  if (!walk_tokens (&ex, sc.tokens, first, DECK_ERROR_USAGE, "", expanded, error))
    return NULL;

  for (guint i = 0; i < expanded->len; i++)
    {
      DeckTarget *target = expanded->pdata[i];

      if (defaults != NULL)
        {
          char **merged = strv_concat ((const char * const *) defaults,
                                       (const char * const *) target->options);

          g_strfreev (target->options);
          target->options = merged;
        }
      if (allow_duplicates || !contains_target (result, target))
        g_ptr_array_add (result, g_ptr_array_steal_index (expanded, i--));
    }
  return g_steal_pointer (&result);
}

GPtrArray *
deck_targets_load_group (const char         *path,
                         const char * const *groups_path,
                         GError            **error)
{
  g_auto(GStrv) default_path = NULL;
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  GPtrArray *members;
  Expander ex;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (groups_path == NULL)
    groups_path = (const char * const *) (default_path = deck_targets_default_groups_path ());
  ex.groups_path = groups_path;
  ex.stack = stack;

  members = expand_group_file (&ex, path, "", error);
  if (members == NULL)
    return NULL;

  name = g_path_get_basename (path);
  for (guint i = 0; i < members->len; i++)
    {
      DeckTarget *member = members->pdata[i];

      g_free (member->group);
      member->group = g_strdup (name);
    }
  return members;
}

/* --- saving ----------------------------------------------------------------------- */

/* Only what reads back as the same target is written. */
static gboolean
check_savable (const DeckTarget  *target,
               GError           **error)
{
  if (!deck_target_check_host (target->host, error))
    return FALSE;
  if (target->user != NULL && !deck_target_check_user (target->user, error))
    return FALSE;
  for (guint i = 0; target->options[i] != NULL; i++)
    if (strpbrk (target->options[i], "\n\r") != NULL)
      {
        g_autofree char *shown = printable (target->options[i]);

        g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE,
                     "option “%s” of %s cannot be saved: a group file line cannot hold a "
                     "line break", shown, target->host);
        return FALSE;
      }
  return TRUE;
}

gboolean
deck_targets_save_group (const char  *path,
                         GPtrArray   *targets,
                         const char  *comment,
                         GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (targets != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (comment != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (comment, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_string_append_printf (text, "# %s\n", lines[i]);
    }
  for (guint i = 0; i < targets->len; i++)
    {
      g_autofree char *line = NULL;

      if (!check_savable (targets->pdata[i], error))
        return FALSE;
      line = deck_target_to_string (targets->pdata[i]);
      g_string_append_printf (text, "%s\n", line);
    }

  return g_file_set_contents_full (path, text->str, text->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0666, error);
}
