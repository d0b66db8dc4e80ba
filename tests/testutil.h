/* testutil.h: helpers for tests that run the built programs and compare golden files
 *
 * Programs: test_run() starts $VMDECK_BUILDDIR/src/cli/<prog> (falling back to the
 * build root above G_TEST_BUILDDIR) with an argv, extra environment and a working
 * directory, waits for it (at most TEST_RUN_TIMEOUT seconds, then it is killed and the
 * test fails) and returns the exit status and the captured stdout and stderr. Stdin is
 * empty. No shell is involved.
 *
 *   g_autoptr(TestRun) run = test_run ("ctys-vhost",
 *                                      (const char *[]) { "-o", "l,p", "R:3", NULL },
 *                                      (const char *[]) { "HOME=/nonexistent", NULL },
 *                                      NULL);
 *   g_assert_cmpint (run->status, ==, 0);
 *
 * Files: test_tmpdir() creates a fresh directory that is removed, with everything in
 * it, when the current test case ends. test_write_file() creates a file (and its parent
 * directories). test_data_dir() is the absolute path of tests/data in the source tree.
 *
 * Golden files: test_assert_golden (text, "vhost/ac86.out", "@DB@", db_dir, NULL)
 * compares @text with tests/data/vhost/ac86.out after replacing placeholders in the
 * golden file: the caller's "@KEY@", "value" pairs first, then the built-ins
 *   @HOST@  = g_get_host_name ()        @USER@ = g_get_user_name ()
 *   @GROUP@ = name of the effective gid @DATA@ = test_data_dir ()
 * On a mismatch it prints a unified diff (expected = golden, actual = output) as test
 * messages and fails the test at the caller's line. With VMDECK_UPDATE_GOLDEN=1 in the
 * environment it instead rewrites the golden file from @text, putting the placeholders
 * back in for their values (longest value first): the caller's and @DATA@ always,
 * @HOST@, @USER@ and @GROUP@ only if the old golden file used them. Review the result
 * with git diff: a value is replaced wherever it occurs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TEST_RUN_TIMEOUT 60

typedef struct {
  int       status;   /* exit status; 128 + signal number when killed by a signal */
  gboolean  signaled; /* TRUE when killed by a signal */
  char     *out;      /* stdout, NUL-terminated (may hold other NULs) */
  gsize     out_len;
  char     *err;      /* stderr, NUL-terminated */
  gsize     err_len;
} TestRun;

/* Absolute path of a built program ("ctys-vhost"); the test fails if it does not exist. */
char       *test_program_path (const char *prog);

/* Runs @prog with @argv (NULL-terminated, without argv[0]; may be NULL). @env holds
 * "KEY=VALUE" entries that set or override variables of the test's environment, or
 * "KEY" alone to remove one (may be NULL). @cwd may be NULL (inherit). */
TestRun    *test_run          (const char         *prog,
                               const char * const *argv,
                               const char * const *env,
                               const char         *cwd);
void        test_run_free     (TestRun            *run);

/* A new empty directory, removed recursively when the current test ends. */
const char *test_tmpdir       (void);

/* Absolute path of tests/data. */
const char *test_data_dir     (void);

/* Writes @contents to @path, creating parent directories; fails the test on error. */
void        test_write_file   (const char         *path,
                               const char         *contents);

/* The test lab (tests/lab/lab). Uses the running lab that $LAB_DIR names ("lab env"),
 * else brings one up ("lab up") and takes it down when the program exits. Puts the lab's
 * LAB_* variables and VMDECK_SSH into this process's environment. Returns NULL when the
 * lab is there, or the reason (to be printed as a skip) when the machine cannot host one
 * (lab's exit status 77: not root, no namespaces). Any other failure aborts the test. */
char       *test_lab_setup    (void);
/* Runs "tests/lab/lab <command> <host>" (host-down, host-up, rekey, ...); fails the test
 * when it fails. */
void        test_lab_command  (const char *command,
                               const char *host);

/* The libvirt URI of lab host @host (from LAB_REMOTE_URIS); "local" is the local session
 * daemon (LAB_LOCAL_URI). Fails the test for an unknown host. */
char       *test_lab_uri      (const char *host);
/* "virsh -c @uri @verb @name": its standard output, stripped (errors are not checked). */
char       *test_virsh        (const char *uri,
                               const char *verb,
                               const char *name);
/* Fails unless "virsh domstate" says @state ("running", "shut off", "paused"). */
void        test_assert_domstate (const char *uri,
                                  const char *name,
                                  const char *state);
/* The lab guests' boot banners ("VMDECK-GUEST <name> READY") in the serial log @path:
 * how many there are, and waiting (90 s at most, the time it took logged) for @count. */
guint       test_lab_banners      (const char *path,
                                   const char *name);
void        test_lab_wait_banners (const char *path,
                                   const char *name,
                                   guint       count);

/* Starts the built @prog with @argv (without argv[0]) in a new session whose controlling
 * terminal is a fresh pty, with @env applied as for test_run(). Returns the pty's master
 * side and sets @pid; stdin, stdout and stderr of the program are the pty. */
int         test_pty_spawn    (const char         *prog,
                               const char * const *argv,
                               const char * const *env,
                               GPid               *pid);
/* Reads @fd into @buf until @buf contains @needle (TRUE) or @seconds pass or the reader
 * ends (FALSE). */
gboolean    test_read_until   (int                 fd,
                               GString            *buf,
                               const char         *needle,
                               guint               seconds);
/* TRUE once the file @path contains @needle, FALSE after @seconds. */
gboolean    test_wait_file_contains (const char   *path,
                                     const char   *needle,
                                     guint         seconds);
/* Waits for @pid and returns its exit status (128 + signal when killed). */
int         test_wait_exit    (GPid                pid);

void        test_assert_golden_impl   (const char *file,
                                       int         line,
                                       const char *func,
                                       const char *actual,
                                       const char *golden,
                                       ...) G_GNUC_NULL_TERMINATED;
void        test_assert_contains_impl (const char *file,
                                       int         line,
                                       const char *func,
                                       const char *expr,
                                       const char *haystack,
                                       const char *needle);

/* test_assert_golden (actual, "dir/name.out", ["@KEY@", "value", ...] NULL) */
#define test_assert_golden(actual, golden, ...) \
  test_assert_golden_impl (__FILE__, __LINE__, G_STRFUNC, (actual), (golden), __VA_ARGS__)

/* Fails unless @haystack (may be NULL) contains @needle; prints both. */
#define test_assert_contains(haystack, needle) \
  test_assert_contains_impl (__FILE__, __LINE__, G_STRFUNC, #haystack, (haystack), (needle))

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestRun, test_run_free)

G_END_DECLS
