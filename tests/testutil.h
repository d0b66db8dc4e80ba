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

#include <gio/gio.h>

#include "deck-libvirt.h"

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
/* A new directory $LAB_DIR/<prefix><n> (n counts up in this process), made this
 * process's $XDG_RUNTIME_DIR; returns its path (free it). */
char       *test_fresh_runtime_dir (const char *prefix);
/* The tests go on in a child; this process waits for it, runs "@script down" whatever
 * happened (a failed assertion aborts, and atexit handlers would not run), and exits as
 * the child did. Call it before any helper thread exists. */
void        test_take_down_after_tests (const char *script);
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

/* A case that runs in a test subprocess (test_lab_run_case()). */
typedef struct {
  const char *path;
  void      (*body) (void);
  const char *guest;   /* destroyed after the case */
  const char *host;    /* brought up and its master closed after it; NULL: the local daemon */
} TestLabCase;

/* The g_test_add_data_func body of a TestLabCase: in the subprocess, sets *@runtime_dir
 * to $XDG_RUNTIME_DIR and runs @c->body; in the parent, makes a fresh runtime dir
 * (test_fresh_runtime_dir (@prefix), kept in *@runtime_dir), runs the subprocess (at most
 * @timeout_s), then whatever happened brings @c->host up, destroys @c->guest if it runs
 * (said in a test message) and closes the host's master, and only then asserts that the
 * subprocess passed. */
void        test_lab_run_case (const TestLabCase *c,
                               const char        *prefix,
                               guint              timeout_s,
                               char             **runtime_dir);

/* ---- the main loop (GTK, libvirt and GIO events of tests on the default context) ---- */

/* A condition for test_wait_until(). */
typedef gboolean (*TestCondition) (gpointer data);

/* Seconds since the monotonic time @t0. */
double         test_seconds_since (gint64 t0);
/* Iterates the default main context for @ms milliseconds. */
void           test_spin          (guint ms);
/* Iterates the main context until @cond holds (checked every 50 ms): TRUE, or FALSE once
 * @timeout_s pass. The limit only ends a wait that would hang. */
gboolean       test_wait_until    (TestCondition  cond,
                                   gpointer       data,
                                   guint          timeout_s);
/* A GAsyncReadyCallback that stores a reference to the result in the GAsyncResult * slot
 * @data (the caller unrefs it, e.g. g_autoptr). */
void           test_async_done    (GObject       *source,
                                   GAsyncResult  *res,
                                   gpointer       data);
/* A TestCondition: the pointer that @data points to is NULL (a weak pointer's object
 * is gone). */
gboolean       test_is_null       (gpointer       data);
/* A TestCondition: the GAsyncResult * slot @data is set. */
gboolean       test_have_result   (gpointer       data);
/* Waits for test_async_done() to fill @slot and returns it; aborts the test ("no result
 * after N s") when it does not within @timeout_s. */
GAsyncResult  *test_wait_result   (GAsyncResult **slot,
                                   guint          timeout_s);
/* test_wait_result() without a time limit (the call's own timeout ends it). */
GAsyncResult  *test_wait_for      (GAsyncResult **slot);

/* ---- logs -------------------------------------------------------------------------- */

/* A ctys LIST table in the default format has a row whose label, session type and C/S/T
 * column (cells 3-5, trimmed) are @label, @type and @c. */
gboolean    test_table_has_row (const char *table,
                                const char *label,
                                const char *type,
                                const char *c);
#define test_assert_row(table, label, type, c) \
  G_STMT_START { \
    if (!test_table_has_row ((table), (label), (type), (c))) \
      g_error ("no row %s|%s|%s in: %s", (label), (type), (c), (table)); \
  } G_STMT_END

/* How often @needle occurs (not overlapping) in @text. */
guint       test_count_in     (const char *text,
                               const char *needle);
/* How often @needle occurs in the file @path; 0 when it cannot be read. */
guint       test_log_count    (const char *path,
                               const char *needle);
/* Iterates the main context until @needle occurs at least @n times in the file @path:
 * TRUE, or FALSE after @timeout_s. */
gboolean    test_wait_log     (const char *path,
                               const char *needle,
                               guint       n,
                               guint       timeout_s);

/* ---- libvirt through DeckLibvirt (the test's own view of a host) ---------------------- */

/* A connected DeckLibvirt for @uri (@label names it in messages; may be NULL); fails the
 * test when it does not connect within 60 s. */
DeckLibvirt    *test_lv_connect    (const char   *uri,
                                    const char   *label);
/* The domain @name; fails the test on an error or after 30 s. */
DeckDomainInfo *test_lv_lookup     (DeckLibvirt  *lv,
                                    const char   *name);
/* The state of the domain @name (test_lv_lookup()). */
DeckDomainState test_lv_state      (DeckLibvirt  *lv,
                                    const char   *name);
/* deck_libvirt_control_async() without a file; fails the test on an error or after 60 s. */
/* The state of @name, UNKNOWN when it is not defined there. */
DeckDomainState test_lv_defined_state (DeckLibvirt *lv,
                                       const char  *name);
/* Until @name is in @state (TRUE), or @seconds pass (FALSE); the main loop runs meanwhile. */
gboolean        test_lv_wait_state (DeckLibvirt    *lv,
                                    const char     *name,
                                    DeckDomainState state,
                                    guint           seconds);
void            test_lv_control    (DeckLibvirt  *lv,
                                    const char   *name,
                                    DeckDomainOp  op);
/* Destroys @name if it is not shut off (left running by an aborted run, said in a TAP
 * comment), then fails unless it is shut off. */
void            test_lv_ensure_off (DeckLibvirt  *lv,
                                    const char   *name);

/* The serial console of a domain (deck_libvirt_open_console_async), read into @text as
 * it comes while the main context runs. */
typedef struct {
  GIOStream *stream;
  GString   *text;
  gboolean   eof;    /* the stream ended (or failed: @error) */
  GError    *error;
  char       chunk[4096];
} TestConsole;

/* Opens the console of @name; fails the test on an error or after 60 s. */
TestConsole *test_console_open      (DeckLibvirt *lv,
                                     const char  *name);
/* Iterates the main context until the console has shown @text (TRUE), or it ended or
 * @timeout_s passed (FALSE). */
gboolean     test_console_wait_text (TestConsole *c,
                                     const char  *text,
                                     guint        timeout_s);
/* Writes @text to the console; fails the test on an error. */
void         test_console_write     (TestConsole *c,
                                     const char  *text);
/* Closes the stream (a read still pending ends first) and frees @c. */
void         test_console_close     (TestConsole *c);

/* ---- ssh masters and sessions ------------------------------------------------------- */

/* Asks the ssh master of @host (deck_ssh_command, ControlPath under $XDG_RUNTIME_DIR) to
 * exit; errors are ignored. */
void        test_close_master (const char *host);
/* How many ssh processes are the master ("-oControlMaster=yes") for @host with their
 * ControlPath under @runtime_dir. */
guint       test_count_masters (const char *host,
                                const char *runtime_dir);
/* How many session records (deck_sessions_list) of this process there are for @label
 * with session type @type and C/S type @cs_type; @cport, unless NULL, must be their
 * CPORT too. */
guint       test_count_sessions (const char *label,
                                 const char *type,
                                 const char *cs_type,
                                 const char *cport);

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
