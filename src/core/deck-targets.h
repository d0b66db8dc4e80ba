/* deck-targets.h: ctys target lists, host option groups and group files (spec §2.3, §2.4)
 *
 * A target list is what follows the global options of a ctys call:
 *
 *   [--] ['(<default options>)'] <target> [<target>...]
 *   target ::= [<user>@](<host>|<group>)['(<options>)']
 *
 * "host(-d 1)" may arrive as one argv word or as "host" followed by "(-d 1)" (a blank
 * before the parenthesis is tolerated, AC-22); the option text inside the parentheses is
 * split like a shell would split it (quotes honoured, nothing expanded or executed).
 *
 * A word that names a group file found on the groups path is a group: its lines are
 * targets with optional "(options)", "#include <group>" lines and "#" comments; empty
 * lines are ignored. Groups nest through #include and through member lines naming groups;
 * a cycle is an error.
 *
 * Options of one job, in precedence order (later wins): the default group, the options of
 * the group-file line, the options written with the group's name in the call (they are
 * "permutated onto every member"), the options written with the host itself. For nested
 * groups the innermost line comes first. A user written with a group's name ("root@lab")
 * replaces the members' users.
 *
 * Host and user names are hostile data: a host must match [A-Za-z0-9_.:%-]+ (IPv6 may be
 * written in brackets) and must not begin with '-', a user must match [A-Za-z0-9_.-]+ and
 * must not begin with '-'; anything else is DECK_ERROR_INVALID_VALUE naming the word.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char  *user;      /* NULL when not given */
  char  *host;      /* as written (brackets of an IPv6 literal removed) */
  char **options;   /* NULL-terminated argv, never NULL; in precedence order */
  char  *group;     /* outermost group the target came from, NULL when given directly */
} DeckTarget;

DeckTarget *deck_target_new       (const char *user,
                                   const char *host,
                                   const char * const *options);
DeckTarget *deck_target_copy      (const DeckTarget *target);
void        deck_target_free      (DeckTarget *target);
/* "user@host(opt1 opt2)" as a group-file line would hold it: options quoted with
 * g_shell_quote only where needed; no "(...)" when there are no options. */
char       *deck_target_to_string (const DeckTarget *target);
/* TRUE when a and b have the same user, host and options. */
gboolean    deck_target_equal     (const DeckTarget *a,
                                   const DeckTarget *b);

/* Checks a host / user name (rules above). */
gboolean    deck_target_check_host (const char *host,
                                    GError    **error);
gboolean    deck_target_check_user (const char *user,
                                    GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckTarget, deck_target_free)

/* The groups search path: $CTYS_GROUPS_PATH (':'-separated) if set, else
 * $HOME/.ctys/groups and <pkgdatadir>/groups. */
char      **deck_targets_default_groups_path (void);

/* Parses a target list (the argv words after the global options, including a leading
 * "--" and default group when present). @groups_path NULL = the default path.
 * Returns a GPtrArray of DeckTarget (free func set), in call order, groups expanded.
 * Duplicates (deck_target_equal) produced anywhere are dropped unless @allow_duplicates
 * (ctys -A 1). Errors: DECK_ERROR_USAGE for an unbalanced or nested parenthesis or an
 * option group without a target, DECK_ERROR_INVALID_VALUE for a bad name,
 * DECK_ERROR_PARSE "<file>:<line>: ..." for a bad group file line, DECK_ERROR_NOT_FOUND
 * for a missing #include, DECK_ERROR_FAILED for an include cycle. */
GPtrArray  *deck_targets_parse    (const char * const *words,
                                   const char * const *groups_path,
                                   gboolean            allow_duplicates,
                                   GError            **error);

/* Finds group @name on the path; NULL when it is none (then @name is a host). Group names
 * containing '/' or beginning with '.' are never looked up. */
char       *deck_targets_find_group (const char * const *groups_path,
                                     const char         *name);

/* Reads one group file and expands it (includes and nested groups through @groups_path).
 * The members' group is the file's base name. */
GPtrArray  *deck_targets_load_group (const char         *path,
                                     const char * const *groups_path,
                                     GError            **error);

/* Writes @targets as a group file (one deck_target_to_string line each, after a comment
 * header line "# <comment>" when @comment is not NULL), atomically (temp file, fsync,
 * rename). Lines of an existing file are not preserved. A target that would not read back
 * the same (bad host or user name, an option with a line break) is refused with
 * DECK_ERROR_INVALID_VALUE and nothing is written. */
gboolean    deck_targets_save_group (const char  *path,
                                     GPtrArray   *targets,
                                     const char  *comment,
                                     GError     **error);

G_END_DECLS
