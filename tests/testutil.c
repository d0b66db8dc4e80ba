/* testutil.c: see testutil.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-error.h"
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "deck-fields.h"
#include "deck-sessions.h"
#include "deck-ssh-command.h"

/* ---- programs ---------------------------------------------------------------------- */

static char *
build_root (void)
{
  const char *env = g_getenv ("VMDECK_BUILDDIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  /* G_TEST_BUILDDIR is <build>/tests */
  return g_path_get_dirname (g_test_get_dir (G_TEST_BUILT));
}

char *
test_program_path (const char *prog)
{
  g_autofree char *root = build_root ();
  char *path;

  g_return_val_if_fail (prog != NULL, NULL);

  path = g_build_filename (root, "src", "cli", prog, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_autofree char *msg = g_strdup_printf ("program %s not found (VMDECK_BUILDDIR=%s)",
                                              path, root);
      g_free (path);
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
      return NULL;
    }
  return path;
}

typedef struct {
  gboolean  done;
  gboolean  timed_out;
  GBytes   *out;
  GBytes   *err;
  GError   *error;
} RunState;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RunState *state = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result,
                                   &state->out, &state->err, &state->error);
  state->done = TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  GSubprocess *proc = user_data;

  g_subprocess_force_exit (proc);
  return G_SOURCE_REMOVE;
}

static char *
bytes_to_string (GBytes *bytes,
                 gsize  *len)
{
  gsize n = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &n) : NULL;
  char *s = g_malloc (n + 1);

  if (n > 0)
    memcpy (s, data, n);
  s[n] = '\0';
  *len = n;
  return s;
}

/* The environment of this process with @env applied ("KEY=VALUE" sets, "KEY" removes). */
static char **
apply_env (const char * const *env)
{
  char **envp = g_get_environ ();

  for (guint i = 0; env && env[i]; i++)
    {
      const char *eq = strchr (env[i], '=');

      if (eq)
        {
          g_autofree char *key = g_strndup (env[i], eq - env[i]);

          envp = g_environ_setenv (envp, key, eq + 1, TRUE);
        }
      else
        envp = g_environ_unsetenv (envp, env[i]);
    }
  return envp;
}

TestRun *
test_run (const char         *prog,
          const char * const *argv,
          const char * const *env,
          const char         *cwd)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stdin_buf = NULL;
  g_auto(GStrv) envp = NULL;
  RunState state = { 0 };
  TestRun *run;

  g_return_val_if_fail (prog != NULL, NULL);

  args = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (args, test_program_path (prog));
  for (const char * const *a = argv; a != NULL && *a != NULL; a++)
    g_ptr_array_add (args, g_strdup (*a));
  g_ptr_array_add (args, NULL);

  envp = apply_env (env);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, envp);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);

  /* a private main context: the timeout must fire even if the test uses the default one */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  if (proc == NULL)
    {
      g_main_context_pop_thread_default (context);
      g_assert_no_error (error);
      return NULL;
    }
  /* an empty stdin: written (nothing) and closed by communicate */
  stdin_buf = g_bytes_new_static ("", 0);
  g_subprocess_communicate_async (proc, stdin_buf, NULL, on_communicated, &state);
  timeout = g_timeout_source_new_seconds (TEST_RUN_TIMEOUT);
  g_source_set_callback (timeout, on_timeout, proc, NULL);
  g_source_attach (timeout, context);
  while (!state.done)
    {
      g_main_context_iteration (context, TRUE);
      if (g_source_is_destroyed (timeout))
        state.timed_out = TRUE;
    }
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (state.timed_out)
    {
      g_autofree char *msg = g_strdup_printf ("%s did not finish within %d s and was killed",
                                              prog, TEST_RUN_TIMEOUT);
      g_clear_pointer (&state.out, g_bytes_unref);
      g_clear_pointer (&state.err, g_bytes_unref);
      g_clear_error (&state.error);
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
      return NULL;
    }
  g_assert_no_error (state.error);

  run = g_new0 (TestRun, 1);
  run->out = bytes_to_string (state.out, &run->out_len);
  run->err = bytes_to_string (state.err, &run->err_len);
  g_clear_pointer (&state.out, g_bytes_unref);
  g_clear_pointer (&state.err, g_bytes_unref);
  if (g_subprocess_get_if_exited (proc))
    run->status = g_subprocess_get_exit_status (proc);
  else
    {
      run->signaled = TRUE;
      run->status = 128 + g_subprocess_get_term_sig (proc);
    }

  g_test_message ("%s exited with %d; stderr: %s", prog, run->status, run->err);
  return run;
}

void
test_run_free (TestRun *run)
{
  if (run == NULL)
    return;
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

/* ---- files ------------------------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  struct stat st;

  if (lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      /* a test may have taken the permissions away */
      g_chmod (path, 0700);
      if (dir == NULL)
        dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      if (g_rmdir (path) != 0)
        g_printerr ("testutil: cannot remove %s: %s\n", path, g_strerror (errno));
    }
  else if (g_unlink (path) != 0)
    g_printerr ("testutil: cannot remove %s: %s\n", path, g_strerror (errno));
}

static void
remove_tree_and_free (gpointer path)
{
  remove_tree (path);
  g_free (path);
}

const char *
test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *path;

  path = g_dir_make_tmp ("vmdeck-test-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_queue_destroy (remove_tree_and_free, path);
  return path;
}

const char *
test_data_dir (void)
{
  static char *dir;

  if (dir == NULL)
    dir = g_canonicalize_filename (g_test_get_filename (G_TEST_DIST, "data", NULL), NULL);
  return dir;
}

void
test_write_file (const char *path,
                 const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* ---- golden files ------------------------------------------------------------------ */

typedef struct {
  char *placeholder;
  char *value;
} Subst;

static void
subst_clear (gpointer data)
{
  Subst *s = data;

  g_free (s->placeholder);
  g_free (s->value);
}

static char *
group_name (void)
{
  struct group *gr = getgrgid (getegid ());

  if (gr != NULL && gr->gr_name != NULL)
    return g_strdup (gr->gr_name);
  return g_strdup_printf ("%u", (guint) getegid ());
}

static void
add_subst (GArray     *substs,
           const char *placeholder,
           char       *value /* owned */)
{
  Subst s = { g_strdup (placeholder), value };

  for (guint i = 0; i < substs->len; i++)
    if (strcmp (g_array_index (substs, Subst, i).placeholder, placeholder) == 0)
      {
        /* the caller's pair wins over a built-in one */
        subst_clear (&s);
        return;
      }
  g_array_append_val (substs, s);
}

/* Replaces, scanning left to right, every occurrence of a "from" text by its "to" text;
 * when several match at one position the longest "from" wins. */
static char *
replace_all (const char *text,
             GArray     *substs,
             gboolean    reverse)
{
  GString *out = g_string_sized_new (strlen (text) + 64);

  for (const char *p = text; *p != '\0';)
    {
      const Subst *best = NULL;
      gsize best_len = 0;

      for (guint i = 0; i < substs->len; i++)
        {
          const Subst *s = &g_array_index (substs, Subst, i);
          const char *from = reverse ? s->value : s->placeholder;
          gsize len = strlen (from);

          if (len > best_len && strncmp (p, from, len) == 0)
            {
              best = s;
              best_len = len;
            }
        }
      if (best != NULL)
        {
          g_string_append (out, reverse ? best->placeholder : best->value);
          p += best_len;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static GPtrArray *
split_lines (const char *text)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0')
    {
      const char *nl = strchr (p, '\n');

      if (nl == NULL)
        {
          g_ptr_array_add (lines, g_strdup (p));
          break;
        }
      g_ptr_array_add (lines, g_strndup (p, nl - p));
      p = nl + 1;
    }
  return lines;
}

typedef struct {
  char        op; /* ' ', '-', '+' */
  const char *line;
} DiffOp;

/* A line diff (longest common subsequence) of @a and @b printed as unified hunks with
 * three lines of context. */
static char *
unified_diff (const char *a_text,
              const char *b_text,
              const char *a_name,
              const char *b_name)
{
  const guint context = 3;
  g_autoptr(GPtrArray) a = split_lines (a_text);
  g_autoptr(GPtrArray) b = split_lines (b_text);
  g_autoptr(GArray) ops = g_array_new (FALSE, FALSE, sizeof (DiffOp));
  GString *out = g_string_new (NULL);
  guint n = a->len, m = b->len;
  guint *lcs = g_new0 (guint, (gsize) (n + 1) * (m + 1));
  guint i, j, k;

#define LCS(x, y) lcs[(gsize) (x) * (m + 1) + (y)]
  for (i = n; i-- > 0;)
    for (j = m; j-- > 0;)
      if (strcmp (a->pdata[i], b->pdata[j]) == 0)
        LCS (i, j) = LCS (i + 1, j + 1) + 1;
      else
        LCS (i, j) = MAX (LCS (i + 1, j), LCS (i, j + 1));

  for (i = 0, j = 0; i < n || j < m;)
    {
      DiffOp op;

      if (i < n && j < m && strcmp (a->pdata[i], b->pdata[j]) == 0)
        {
          op = (DiffOp) { ' ', a->pdata[i] };
          i++, j++;
        }
      else if (j >= m || (i < n && LCS (i + 1, j) >= LCS (i, j + 1)))
        op = (DiffOp) { '-', a->pdata[i++] };
      else
        op = (DiffOp) { '+', b->pdata[j++] };
      g_array_append_val (ops, op);
    }
#undef LCS
  g_free (lcs);

  g_string_append_printf (out, "--- %s\n+++ %s\n", a_name, b_name);
  for (k = 0; k < ops->len;)
    {
      guint start, end, last_change, a_start = 1, b_start = 1, a_count = 0, b_count = 0;

      while (k < ops->len && g_array_index (ops, DiffOp, k).op == ' ')
        k++;
      if (k == ops->len)
        break;
      start = k > context ? k - context : 0;
      last_change = k;
      for (end = k + 1; end < ops->len; end++)
        {
          if (g_array_index (ops, DiffOp, end).op != ' ')
            last_change = end;
          else if (end - last_change > 2 * context)
            break;
        }
      end = MIN (ops->len, last_change + context + 1);

      for (guint x = 0; x < start; x++)
        {
          char op = g_array_index (ops, DiffOp, x).op;

          a_start += op != '+';
          b_start += op != '-';
        }
      for (guint x = start; x < end; x++)
        {
          char op = g_array_index (ops, DiffOp, x).op;

          a_count += op != '+';
          b_count += op != '-';
        }
      g_string_append_printf (out, "@@ -%u,%u +%u,%u @@\n", a_start, a_count, b_start, b_count);
      for (guint x = start; x < end; x++)
        {
          const DiffOp *op = &g_array_index (ops, DiffOp, x);
          gsize len = strlen (op->line);

          g_string_append_c (out, op->op);
          g_string_append (out, op->line);
          /* make trailing blanks visible; tables keep them */
          if (op->op != ' ' && len > 0 && op->line[len - 1] == ' ')
            g_string_append (out, "$");
          g_string_append_c (out, '\n');
        }
      k = end;
    }
  if (strcmp (a_text, b_text) != 0 && ops->len > 0 &&
      strlen (a_text) > 0 && strlen (b_text) > 0 &&
      (a_text[strlen (a_text) - 1] == '\n') != (b_text[strlen (b_text) - 1] == '\n'))
    g_string_append (out, "(the final newline differs)\n");
  return g_string_free (out, FALSE);
}

void
test_assert_golden_impl (const char *file,
                         int         line,
                         const char *func,
                         const char *actual,
                         const char *golden,
                         ...)
{
  g_autoptr(GArray) substs = g_array_new (FALSE, FALSE, sizeof (Subst));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  const char *key;
  guint n_caller;
  va_list ap;

  g_array_set_clear_func (substs, subst_clear);
  if (actual == NULL)
    actual = "";

  va_start (ap, golden);
  while ((key = va_arg (ap, const char *)) != NULL)
    {
      const char *value = va_arg (ap, const char *);

      add_subst (substs, key, g_strdup (value ? value : ""));
    }
  va_end (ap);
  n_caller = substs->len;
  add_subst (substs, "@HOST@", g_strdup (g_get_host_name ()));
  add_subst (substs, "@USER@", g_strdup (g_get_user_name ()));
  add_subst (substs, "@GROUP@", group_name ());
  add_subst (substs, "@DATA@", g_strdup (test_data_dir ()));

  path = g_build_filename (test_data_dir (), golden, NULL);

  if (g_strcmp0 (g_getenv ("VMDECK_UPDATE_GOLDEN"), "1") == 0)
    {
      g_autoptr(GArray) reverse = g_array_new (FALSE, FALSE, sizeof (Subst));
      g_autofree char *text = NULL;
      g_autofree char *old = NULL;

      /* Empty values cannot be put back. The short built-ins (@HOST@, @USER@, @GROUP@)
       * only where the old golden file used them already: a group called "users" must
       * not turn every "users" in a fixture into a placeholder. */
      g_file_get_contents (path, &old, NULL, NULL);
      g_array_set_clear_func (reverse, subst_clear);
      for (guint i = 0; i < substs->len; i++)
        {
          Subst *s = &g_array_index (substs, Subst, i);

          if (*s->value == '\0')
            continue;
          if (i >= n_caller && strcmp (s->placeholder, "@DATA@") != 0 &&
              (old == NULL || strstr (old, s->placeholder) == NULL))
            continue;
          add_subst (reverse, s->placeholder, g_strdup (s->value));
        }
      text = replace_all (actual, reverse, TRUE);
      test_write_file (path, text);
      g_test_message ("updated golden file %s", path);
      return;
    }

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      g_autofree char *msg = g_strdup_printf ("cannot read golden file %s: %s "
                                              "(VMDECK_UPDATE_GOLDEN=1 creates it)",
                                              path, error->message);
      g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
      return;
    }

  expected = replace_all (contents, substs, FALSE);
  if (strcmp (expected, actual) != 0)
    {
      g_autofree char *diff = unified_diff (expected, actual, golden, "actual output");
      g_autofree char *msg = NULL;
      g_autoptr(GPtrArray) lines = split_lines (diff);

      for (guint i = 0; i < lines->len; i++)
        g_test_message ("%s", (const char *) lines->pdata[i]);
      msg = g_strdup_printf ("output differs from golden file %s (diff above; "
                             "VMDECK_UPDATE_GOLDEN=1 rewrites it)", path);
      g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
    }
}

void
test_assert_contains_impl (const char *file,
                           int         line,
                           const char *func,
                           const char *expr,
                           const char *haystack,
                           const char *needle)
{
  g_autofree char *msg = NULL;

  if (haystack != NULL && needle != NULL && strstr (haystack, needle) != NULL)
    return;
  msg = g_strdup_printf ("%s does not contain \"%s\"; it is: \"%s\"",
                         expr, needle ? needle : "(null)", haystack ? haystack : "(null)");
  g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

/* --- the lab ----------------------------------------------------------------------------- */

static char *lab_script;

void
test_take_down_after_tests (const char *script)
{
  char *argv[] = { (char *) script, (char *) "down", NULL };
  pid_t child;
  int status = 0;

  fflush (stdout);
  fflush (stderr);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    return;
  while (waitpid (child, &status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  if (WIFSIGNALED (status))
    {
      signal (WTERMSIG (status), SIG_DFL);
      raise (WTERMSIG (status));
    }
  _exit (WIFEXITED (status) ? WEXITSTATUS (status) : 1);
}

/* Runs "lab <command>", evaluates its export lines in bash and gives back the lab's
 * variables as NAME=VALUE lines. g_spawn_sync, not GSubprocess: no helper thread may exist
 * when test_take_down_after_tests() forks. */
static int
lab_eval (const char *command,
          char      **vars_out,
          char      **err_out)
{
  const char *script =
    "out=$(\"$1\" \"$2\") || exit $?; eval \"$out\" || exit 1; "
    "for v in $(compgen -v LAB_) VMDECK_SSH; do printf '%s=%s\\n' \"$v\" \"${!v}\"; done";
  char *argv[] = { (char *) "bash", (char *) "-c", (char *) script, (char *) "lab-eval",
                   lab_script, (char *) command, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, vars_out, err_out,
                     &status, &error))
    g_error ("cannot run %s: %s", lab_script, error->message);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128;
}

char *
test_lab_setup (void)
{
  const char *src = g_getenv ("VMDECK_SRCDIR");
  g_autofree char *vars = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  int status = 1;

  lab_script = g_build_filename (src ? src : ".", "tests", "lab", "lab", NULL);
  if (g_getenv ("LAB_DIR"))
    {
      g_setenv ("VMDECK_LAB_DIR", g_getenv ("LAB_DIR"), TRUE);
      status = lab_eval ("env", &vars, &err);
    }
  if (status != 0)
    {
      g_clear_pointer (&vars, g_free);
      g_clear_pointer (&err, g_free);
      g_printerr ("# bringing the lab up (tests/lab/lab up)\n");
      status = lab_eval ("up", &vars, &err);
      if (status == 77)
        return g_strdup_printf ("the lab cannot run here: %s", g_strstrip (err));
      if (status != 0)
        g_error ("tests/lab/lab up failed (status %d): %s", status, err);
      test_take_down_after_tests (lab_script);
    }

  lines = g_strsplit (vars, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq)
        {
          *eq = '\0';
          g_setenv (lines[i], eq + 1, TRUE);
        }
    }
  g_setenv ("VMDECK_LAB_DIR", g_getenv ("LAB_DIR"), TRUE);
  return NULL;
}

void
test_lab_command (const char *command,
                  const char *host)
{
  g_autofree char *script = g_build_filename (g_getenv ("VMDECK_SRCDIR"), "tests", "lab", "lab", NULL);
  char *argv[] = { script, (char *) command, (char *) host, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("lab %s %s failed: %s", command, host, err);
}

int
test_pty_spawn (const char         *prog,
                const char * const *argv,
                const char * const *env,
                GPid               *pid)
{
  g_autofree char *path = test_program_path (prog);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(GStrv) envp = apply_env (env);
  int master = posix_openpt (O_RDWR | O_NOCTTY);
  pid_t child;

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  g_ptr_array_add (args, path);
  for (guint i = 0; argv && argv[i]; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      int slave;

      setsid ();
      slave = open (ptsname (master), O_RDWR);
      ioctl (slave, TIOCSCTTY, 0);
      dup2 (slave, 0);
      dup2 (slave, 1);
      dup2 (slave, 2);
      execve (path, (char **) args->pdata, envp);
      _exit (127);
    }
  *pid = child;
  return master;
}

gboolean
test_read_until (int         fd,
                 GString    *buf,
                 const char *needle,
                 guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (strstr (buf->str, needle) == NULL)
    {
      struct pollfd p = { fd, POLLIN, 0 };
      char chunk[4096];
      ssize_t n;
      int left = (int) ((deadline - g_get_monotonic_time ()) / 1000);

      if (left <= 0 || poll (&p, 1, left) <= 0)
        return FALSE;
      if ((n = read (fd, chunk, sizeof chunk)) <= 0)
        return FALSE;
      g_string_append_len (buf, chunk, n);
    }
  return TRUE;
}

int
test_wait_exit (GPid pid)
{
  int status;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

gboolean
test_wait_file_contains (const char *path,
                         const char *needle,
                         guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  do
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (path, &text, NULL, NULL) && strstr (text, needle) != NULL)
        return TRUE;
      g_usleep (200000);
    }
  while (g_get_monotonic_time () < deadline);
  return FALSE;
}

char *
test_fresh_runtime_dir (const char *prefix)
{
  static guint n;
  char *dir = g_strdup_printf ("%s/%s%u", g_getenv ("LAB_DIR"), prefix, ++n);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_setenv ("XDG_RUNTIME_DIR", dir, TRUE);
  return dir;
}

char *
test_lab_uri (const char *host)
{
  g_auto(GStrv) pairs = NULL;
  g_autofree char *prefix = NULL;

  if (g_str_equal (host, "local"))
    return g_strdup (g_getenv ("LAB_LOCAL_URI"));
  pairs = g_strsplit (g_getenv ("LAB_REMOTE_URIS") ? g_getenv ("LAB_REMOTE_URIS") : "", " ", -1);
  prefix = g_strconcat (host, "=", NULL);
  for (guint i = 0; pairs[i]; i++)
    if (g_str_has_prefix (pairs[i], prefix))
      return g_strdup (pairs[i] + strlen (prefix));
  g_error ("no URI for %s in LAB_REMOTE_URIS", host);
}

char *
test_virsh (const char *uri,
            const char *verb,
            const char *name)
{
  g_autofree char *out = NULL;
  char *argv[] = { (char *) "virsh", (char *) "-c", (char *) uri, (char *) verb, (char *) name, NULL };

  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, NULL, NULL));
  return g_strdup (g_strstrip (out));
}

void
test_assert_domstate (const char *uri,
                      const char *name,
                      const char *state)
{
  g_autofree char *got = test_virsh (uri, "domstate", name);

  if (g_strcmp0 (got, state) != 0)
    g_error ("%s is '%s', expected '%s' (%s)", name, got, state, uri);
}

guint
test_lab_banners (const char *path,
                  const char *name)
{
  g_autofree char *text = NULL;
  g_autofree char *needle = g_strdup_printf ("VMDECK-GUEST %s READY", name);
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  for (const char *p = text; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

void
test_lab_wait_banners (const char *path,
                       const char *name,
                       guint       count)
{
  gint64 t0 = g_get_monotonic_time ();

  while (test_lab_banners (path, name) < count)
    {
      if (g_get_monotonic_time () - t0 > 90 * G_USEC_PER_SEC)
        g_error ("%s: no banner #%u within 90 s in %s", name, count, path);
      g_usleep (100000);
    }
  g_test_message ("%s: banner #%u after %.1f s", name, count, (g_get_monotonic_time () - t0) / 1e6);
}

/* ---- the main loop ------------------------------------------------------------------ */

double
test_seconds_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
}

static gboolean
flag_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
test_wait_until (TestCondition cond,
                 gpointer      data,
                 guint         timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      test_spin (50);
    }
  return TRUE;
}

void
test_async_done (GObject      *source,
                 GAsyncResult *res,
                 gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (res);
}

gboolean
test_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

gboolean
test_have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
test_wait_result (GAsyncResult **slot,
                  guint          timeout_s)
{
  if (!test_wait_until (test_have_result, slot, timeout_s))
    g_error ("no result after %u s", timeout_s);
  return *slot;
}

GAsyncResult *
test_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* ---- logs --------------------------------------------------------------------------- */

guint
test_count_in (const char *text,
               const char *needle)
{
  guint n = 0;

  for (const char *p = text; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

guint
test_log_count (const char *path,
                const char *needle)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return test_count_in (text, needle);
}

typedef struct {
  const char *path;
  const char *needle;
  guint       n;
} LogWait;

static gboolean
log_has (gpointer data)
{
  LogWait *w = data;

  return test_log_count (w->path, w->needle) >= w->n;
}

gboolean
test_wait_log (const char *path,
               const char *needle,
               guint       n,
               guint       timeout_s)
{
  LogWait w = { path, needle, n };

  return test_wait_until (log_has, &w, timeout_s);
}

/* ---- libvirt ------------------------------------------------------------------------ */

DeckLibvirt *
test_lv_connect (const char *uri,
                 const char *label)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  DeckLibvirt *lv = deck_libvirt_new (uri, label);

  deck_libvirt_connect_async (lv, 0, NULL, test_async_done, &res);
  g_assert_true (deck_libvirt_connect_finish (lv, test_wait_result (&res, 60), &error));
  g_assert_no_error (error);
  return lv;
}

DeckDomainInfo *
test_lv_lookup (DeckLibvirt *lv,
                const char  *name)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  DeckDomainInfo *info;

  deck_libvirt_lookup_async (lv, name, NULL, test_async_done, &res);
  info = deck_libvirt_lookup_finish (lv, test_wait_result (&res, 30), &error);
  g_assert_no_error (error);
  return info;
}

DeckDomainState
test_lv_state (DeckLibvirt *lv,
               const char  *name)
{
  g_autoptr(DeckDomainInfo) info = test_lv_lookup (lv, name);

  return info->state;
}

DeckDomainState
test_lv_defined_state (DeckLibvirt *lv,
                       const char  *name)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckDomainInfo) info = NULL;

  deck_libvirt_lookup_async (lv, name, NULL, test_async_done, &res);
  g_assert_true (test_wait_until (test_have_result, &res, 30));
  info = deck_libvirt_lookup_finish (lv, res, &error);
  if (g_error_matches (error, DECK_ERROR, DECK_ERROR_NOT_FOUND))
    return DECK_DOMAIN_STATE_UNKNOWN;
  g_assert_no_error (error);
  return info->state;
}

typedef struct {
  DeckLibvirt     *lv;
  const char      *name;
  DeckDomainState  state;
} LvWait;

static gboolean
lv_in_state (gpointer data)
{
  LvWait *w = data;

  return test_lv_defined_state (w->lv, w->name) == w->state;
}

gboolean
test_lv_wait_state (DeckLibvirt     *lv,
                    const char      *name,
                    DeckDomainState  state,
                    guint            seconds)
{
  LvWait w = { lv, name, state };

  return test_wait_until (lv_in_state, &w, seconds);
}

void
test_lv_control (DeckLibvirt  *lv,
                 const char   *name,
                 DeckDomainOp  op)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  deck_libvirt_control_async (lv, name, op, NULL, NULL, test_async_done, &res);
  g_assert_true (deck_libvirt_control_finish (lv, test_wait_result (&res, 60), &error));
  g_assert_no_error (error);
}

void
test_lv_ensure_off (DeckLibvirt *lv,
                    const char  *name)
{
  DeckDomainState state = test_lv_state (lv, name);

  if (state != DECK_DOMAIN_STATE_SHUTOFF)
    {
      /* a TAP comment: g_test_message is quiet in a test subprocess */
      g_print ("# %s was %s; destroying it first\n", name, deck_domain_state_to_string (state));
      test_lv_control (lv, name, DECK_DOMAIN_OP_DESTROY);
    }
  g_assert_cmpint (test_lv_state (lv, name), ==, DECK_DOMAIN_STATE_SHUTOFF);
}

static void console_read_next (TestConsole *c);

static void
console_read_done (GObject      *source,
                   GAsyncResult *res,
                   gpointer      data)
{
  TestConsole *c = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, &c->error);

  if (n > 0)
    {
      g_string_append_len (c->text, c->chunk, n);
      console_read_next (c);
    }
  else
    c->eof = TRUE;
}

static void
console_read_next (TestConsole *c)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (c->stream), c->chunk, sizeof c->chunk,
                             G_PRIORITY_DEFAULT, NULL, console_read_done, c);
}

TestConsole *
test_console_open (DeckLibvirt *lv,
                   const char  *name)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  TestConsole *c = g_new0 (TestConsole, 1);

  deck_libvirt_open_console_async (lv, name, NULL, test_async_done, &res);
  c->stream = deck_libvirt_open_console_finish (lv, test_wait_result (&res, 60), &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_IO_STREAM (c->stream));
  c->text = g_string_new (NULL);
  console_read_next (c);
  return c;
}

gboolean
test_console_wait_text (TestConsole *c,
                        const char  *text,
                        guint        timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (strstr (c->text->str, text) == NULL)
    {
      if (c->eof || g_get_monotonic_time () > deadline)
        return FALSE;
      test_spin (50);
    }
  return TRUE;
}

void
test_console_write (TestConsole *c,
                    const char  *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (c->stream), text, strlen (text),
                                            NULL, NULL, &error));
  g_assert_no_error (error);
}

void
test_console_close (TestConsole *c)
{
  g_io_stream_close (c->stream, NULL, NULL);
  while (!c->eof)
    g_main_context_iteration (NULL, TRUE);
  g_clear_error (&c->error);
  g_object_unref (c->stream);
  g_string_free (c->text, TRUE);
  g_free (c);
}

/* ---- ssh masters and sessions ------------------------------------------------------- */

void
test_close_master (const char *host)
{
  g_autoptr(DeckSshCommand) cmd = deck_ssh_command_new (host);
  g_auto(GStrv) argv = NULL;

  deck_ssh_command_set_control_op (cmd, "exit");
  argv = deck_ssh_command_build (cmd, NULL);
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, NULL, NULL);
}

guint
test_count_masters (const char *host,
                    const char *runtime_dir)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *pid;
  guint n = 0;

  while ((pid = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", pid, "cmdline", NULL);
      g_autofree char *cmdline = NULL;
      gsize len;
      gboolean master = FALSE, ours = FALSE, that_host = FALSE;

      if (!g_ascii_isdigit (*pid) || !g_file_get_contents (path, &cmdline, &len, NULL))
        continue;
      for (const char *a = cmdline; a < cmdline + len; a += strlen (a) + 1)
        {
          master |= g_str_equal (a, "-oControlMaster=yes");
          ours |= g_str_has_prefix (a, "-oControlPath=") && strstr (a, runtime_dir) != NULL;
          that_host |= g_str_equal (a, host);
        }
      n += master && ours && that_host;
    }
  return n;
}

guint
test_count_sessions (const char *label,
                     const char *type,
                     const char *cs_type,
                     const char *cport)
{
  g_autoptr(GPtrArray) rows = deck_sessions_list ();
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];

      n += g_str_equal (f[DECK_LIST_LABEL - 1], label) && g_str_equal (f[DECK_LIST_TYPE - 1], type)
           && g_str_equal (f[DECK_LIST_CSTYPE - 1], cs_type) && g_str_equal (f[DECK_LIST_PID - 1], pid)
           && (cport == NULL || g_str_equal (f[DECK_LIST_CPORT - 1], cport));
    }
  return n;
}

/* ---- cases in a subprocess ---------------------------------------------------------- */

void
test_lab_run_case (const TestLabCase *c,
                   const char        *prefix,
                   guint              timeout_s,
                   char             **runtime_dir)
{
  g_autofree char *uri = NULL;
  int status = 0;

  if (g_test_subprocess ())
    {
      *runtime_dir = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
      c->body ();
      return;
    }

  g_free (*runtime_dir);
  *runtime_dir = test_fresh_runtime_dir (prefix);
  g_test_trap_subprocess (NULL, timeout_s * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);

  /* whatever happened: the host up, no guest left running, no master left open */
  if (c->host != NULL)
    test_lab_command ("host-up", c->host);
  uri = c->host ? test_lab_uri (c->host) : g_strdup (g_getenv ("LAB_LOCAL_URI"));
  if (g_spawn_sync (NULL, (char *[]) { (char *) "virsh", (char *) "-q", (char *) "-c", uri,
                                       (char *) "destroy", (char *) c->guest, NULL },
                    NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, NULL, NULL, &status, NULL)
      && g_spawn_check_wait_status (status, NULL))
    g_test_message ("cleanup: destroyed %s left running by the case", c->guest);
  if (c->host != NULL)
    test_close_master (c->host);

  g_test_trap_assert_passed ();
}

gboolean
test_table_has_row (const char *table,
                    const char *label,
                    const char *type,
                    const char *c)
{
  g_auto(GStrv) lines = g_strsplit (table, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], "|", -1);

      if (g_strv_length (cells) >= 5 && strcmp (g_strstrip (cells[2]), label) == 0
          && strcmp (g_strstrip (cells[3]), type) == 0 && strcmp (g_strstrip (cells[4]), c) == 0)
        return TRUE;
    }
  return FALSE;
}
