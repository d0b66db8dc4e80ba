/* test-call.c: the ctys call syntax (spec §2, §3, §5.1.1-5.1.4, §5.2.1-5.2.2, §12.1, §12.2,
 * the parsing parts of §12.4 and §12.5)
 *
 * Command lines are written as a shell would see them and split with g_shell_parse_argv(),
 * so lab00'(-Z KSU)' reaches the parser as the one word "lab00(-Z KSU)", as from a shell.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "deck-call.h"
#include "deck-error.h"

#include "call-testutil.h"
/* --- §12.1 syntax and tokenising ---------------------------------------------------- */

/* AC-01: two suboptions in any order. */
static void
test_ac01 (void)
{
  g_autoptr(DeckCreateRequest) a = create_ok ("f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli");
  g_autoptr(DeckCreateRequest) b = create_ok ("CONSOLE:cli,f:xen/tst-ctys/tst100/tst100.conf");
  g_autofree char *sa = deck_create_request_to_string (a);
  g_autofree char *sb = deck_create_request_to_string (b);

  assert_values (a->address, DECK_ADDRESS_PART_FRAGMENT, "xen/tst-ctys/tst100/tst100.conf");
  g_assert_cmpint (a->console, ==, DECK_CONSOLE_CLI);
  g_assert_cmpint (a->mode, ==, DECK_CREATE_MODE_NONE);
  g_assert_cmpstr (sa, ==, "f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:CLI");
  g_assert_cmpstr (sa, ==, sb);
}

/* AC-02 */
static void
test_ac02 (void)
{
  g_autoptr(DeckCall) call =
    parse_ok ("-t xen -a cancel=poweroff:0,p:/home/acue/xen/tst-ctys/tst100/tst100.conf lab00");
  DeckCancelRequest *r = job (call, 0)->cancel;

  g_assert_nonnull (r);
  g_assert_null (job (call, 0)->create);
  g_assert_cmpint (r->method, ==, DECK_CANCEL_POWEROFF);
  g_assert_true (r->method_given);
  g_assert_cmpint (r->delay, ==, 0);
  assert_values (r->address, DECK_ADDRESS_PART_ID, "/home/acue/xen/tst-ctys/tst100/tst100.conf");
}

/* AC-03, AC-04, AC-05 */
static void
test_ac03_05_values (void)
{
  g_autoptr(DeckCreateRequest) mac = create_ok ("m:00:50:56:13:11:40");
  g_autoptr(DeckCreateRequest) base = create_ok ("b:xen%/etc/ctys.d,l:tst100");
  g_autoptr(DeckCreateRequest) calls = create_ok ("l:tst100,c:vcpus=2%memory=512");
  g_autoptr(DeckCreateRequest) percent = create_ok ("l:tst100,c:a%%b");
  g_autoptr(DeckCreateRequest) xopts = create_ok ("l:tst100,X:-bg%black,XOPTS:-fg%white");
  g_autofree char *c1 = joined ((const char * const *) calls->callopts);
  g_autofree char *c2 = joined ((const char * const *) percent->callopts);
  g_autofree char *x = joined ((const char * const *) xopts->xopts);
  g_autofree char *s = deck_create_request_to_string (percent);

  assert_values (mac->address, DECK_ADDRESS_PART_MAC, "00:50:56:13:11:40");
  assert_values (base->address, DECK_ADDRESS_PART_BASE, "xen|/etc/ctys.d");
  g_assert_cmpstr (c1, ==, "vcpus=2|memory=512");
  g_assert_cmpstr (c2, ==, "a%b");
  g_assert_cmpstr (s, ==, "l:tst100,C:a%%b");
  /* a repeated key replaces the list, as in ctys */
  g_assert_cmpstr (x, ==, "-fg|white");
}

/* AC-06: nothing is executed remotely, because no call (no job) comes out at all. */
static void
test_ac06 (void)
{
  assert_usage ("-t xen -a create=t:,CONSOLE:cli,connect lab00", "t:");
}

/* AC-07 .. AC-10, AC-12: CREATE errors of the whole call. */
typedef struct {
  const char *name;
  const char *cmdline;
  const char *part;
} UsageCase;

static const UsageCase create_call_errors[] = {
  { "ac07-relative-pathname", "-a create=p:xen/tst100.conf lab00", "f:" },
  { "ac07-relative-id", "-a create=i:xen/tst100.conf lab00", "absolute" },
  { "ac08-console-unique", "-a create=l:tst100,CONSOLE:cli,CONSOLE:vnc lab00", "CONSOLE must be unique" },
  { "ac08-console-same-twice", "-a create=l:tst100,CONSOLE:vnc,console:VNC lab00", "unique" },
  { "ac09-connect-reuse", "-a create=l:tst100,connect,reuse lab00", "only one of CONNECT" },
  { "ac10-console-only", "-a create=CONSOLE:xterm lab00", "missing machine address" },
  { "ac10-base-only", "-a create=b:xen lab00", "missing machine address" },
  { "ac10-empty", "-a create= lab00", "missing machine address" },
  { "ac10-no-args", "-a create lab00", "missing machine address" },
  { "ac12-connect-value", "-a create=l:tst100,connect:yes", "CONNECT takes no value" },
};

static void
test_usage_case (gconstpointer data)
{
  const UsageCase *c = data;

  assert_usage (c->cmdline, c->part);
}

/* AC-11: keys are case-insensitive, labels keep their case. */
static void
test_ac11 (void)
{
  g_autoptr(DeckCreateRequest) a = create_ok ("L:tst100,Console:Vnc");
  g_autoptr(DeckCreateRequest) b = create_ok ("l:TST100,CONSOLE:none");

  assert_values (a->address, DECK_ADDRESS_PART_LABEL, "tst100");
  g_assert_cmpint (a->console, ==, DECK_CONSOLE_VNC);
  assert_values (b->address, DECK_ADDRESS_PART_LABEL, "TST100");
  g_assert_cmpint (b->console, ==, DECK_CONSOLE_NONE);
}

/* AC-13 .. AC-15 */
static const UsageCase cancel_call_errors[] = {
  { "ac13-reboot-poweroff", "-a cancel=l:tst100,REBOOT,POWEROFF", "exclude each other" },
  { "ac14-client-server", "-a cancel=l:tst100,CLIENT,SERVER", "CLIENT, SERVER and BOTH" },
  { "ac15-client-poweroff", "-a cancel=l:tst100,CLIENT,POWEROFF", "CLIENT cannot be combined" },
  { "ac15-client-suspend", "-a cancel=l:tst100,CLIENT,SUSPEND", "CLIENT cannot be combined" },
  { "ac15-client-reset", "-a cancel=l:tst100,RESET,CLIENT", "CLIENT cannot be combined" },
};

/* AC-16, AC-17 */
static void
test_ac16_ac17 (void)
{
  g_autoptr(DeckCall) b = parse_ok ("-b async,par -a list");
  g_autoptr(DeckCall) l = parse_ok ("-L cf -a list");

  assert_usage ("-b 0,2,3 -a list", "more than two values");
  g_assert_cmpint (b->options->sync, ==, DECK_CALL_SYNC_ASYNC);
  g_assert_cmpint (b->options->order, ==, DECK_CALL_ORDER_PARALLEL);
  g_assert_cmpint (l->options->location, ==, DECK_CALL_LOCATION_CONNECTIONFORWARDING);
  assert_usage ("-L XX -a list", "unknown execution location");
}

/* --- §12.2 targets, option groups, privilege ---------------------------------------- */

/* AC-18 */
static void
test_ac18 (void)
{
  g_autoptr(DeckCall) call = parse_ok ("-t xen -a create=l:tst100,CONSOLE:none lab00'(-Z KSU)'");
  DeckCallJob *j;
  g_autofree char *words = NULL;

  g_assert_cmpuint (call->jobs->len, ==, 1);
  j = job (call, 0);
  g_assert_cmpstr (j->target->host, ==, "lab00");
  g_assert_null (j->user);  /* ssh's default: the caller's login name */
  words = g_strjoinv (" ", j->target->options);
  g_assert_cmpstr (words, ==, "-Z KSU");  /* forwarded as the target's options */
  g_assert_true (j->options->privilege_set);
  g_assert_cmpint (j->options->privilege, ==, DECK_PRIVILEGE_KSU);
  g_assert_cmpstr (j->options->type, ==, "XEN");
  g_assert_nonnull (j->create);
  g_assert_cmpint (j->options->location, ==, DECK_CALL_LOCATION_SERVERONLY);
  g_assert_false (call->options->privilege_set);  /* the local call has no -Z */
}

/* AC-19: two jobs on one host, not merged; both with KSU from the default group. */
static void
test_ac19 (void)
{
  g_autoptr(DeckCall) call =
    parse_ok ("-t xen -- '(-Z KSU)' "
              "lab00'( -a create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:none )' "
              "lab00'( -a create=f:xen/tst-ctys/tst101/tst101.conf,CONSOLE:none )'");

  g_assert_cmpuint (call->jobs->len, ==, 2);
  g_assert_cmpint (call->options->action, ==, DECK_CALL_ACTION_NONE);
  for (guint i = 0; i < 2; i++)
    {
      DeckCallJob *j = job (call, i);
      g_autofree char *f = g_strdup_printf ("xen/tst-ctys/tst10%u/tst10%u.conf", i, i);

      g_assert_cmpstr (j->target->host, ==, "lab00");
      g_assert_cmpint (j->options->action, ==, DECK_CALL_ACTION_CREATE);
      g_assert_cmpint (j->options->privilege, ==, DECK_PRIVILEGE_KSU);
      g_assert_nonnull (j->create);
      g_assert_cmpint (j->create->console, ==, DECK_CONSOLE_NONE);
      g_assert_cmpint (j->options->location, ==, DECK_CALL_LOCATION_SERVERONLY);
      assert_values (j->create->address, DECK_ADDRESS_PART_FRAGMENT, f);
    }
}

/* The seed variant of AC-19: the second job replaces KSU by SUDO (spec §2.3 CONFLICT, REC). */
static void
test_privilege_replaced (void)
{
  g_autoptr(DeckCall) call =
    parse_ok ("-t xen -- '(-Z KSU)' lab00'(-a create=l:tst100,CONSOLE:none)' "
              "lab00'(-a create=l:tst101,CONSOLE:none -Z SUDO)' lab01'(-Z NOKSU)' "
              "lab02'(-Z KSU,SUDO)' lab03'(-Z ALL -Z NOSUDO)'");

  g_assert_cmpuint (call->jobs->len, ==, 5);
  g_assert_cmpint (job (call, 0)->options->privilege, ==, DECK_PRIVILEGE_KSU);
  g_assert_cmpint (job (call, 1)->options->privilege, ==, DECK_PRIVILEGE_SUDO);
  g_assert_cmpint (job (call, 2)->options->privilege, ==, 0);
  g_assert_true (job (call, 2)->options->privilege_set);
  g_assert_cmpint (job (call, 3)->options->privilege, ==, DECK_PRIVILEGE_KSU | DECK_PRIVILEGE_SUDO);
  g_assert_cmpint (job (call, 4)->options->privilege, ==, 0);
  assert_usage ("-Z KSX -a list", "-Z KSX");
  assert_usage ("-a list lab00'(-Z ,)'", "lab00: ");
}

/* AC-21 */
static void
test_ac21 (void)
{
  g_autoptr(DeckCall) call = parse_ok ("-d 6 -- '(-d 3)' host01 host02'(-d 1)'");

  g_assert_cmpuint (call->options->debug_level, ==, 6);
  g_assert_cmpuint (call->jobs->len, ==, 2);
  g_assert_cmpuint (job (call, 0)->options->debug_level, ==, 3);
  g_assert_cmpuint (job (call, 1)->options->debug_level, ==, 1);
  g_assert_cmpstr (job (call, 1)->options->debug, ==, "1");
}

/* AC-22: a blank before the parenthesis, as one word or as the shell splits it. */
static void
test_ac22 (void)
{
  g_autoptr(DeckCall) a = parse_ok ("-a list lab00'(-Z KSU)'");
  g_autoptr(DeckCall) b = parse_ok ("-a list 'lab00 (-Z KSU)'");
  g_autoptr(DeckCall) c = parse_ok ("-a list lab00 '(-Z' 'KSU)'");
  g_autofree char *da = deck_call_describe (a);
  g_autofree char *db = deck_call_describe (b);
  g_autofree char *dc = deck_call_describe (c);

  g_assert_cmpstr (da, ==, db);
  g_assert_cmpstr (da, ==, dc);
  g_assert_cmpint (job (a, 0)->options->privilege, ==, DECK_PRIVILEGE_KSU);
}

/* AC-23 */
static void
test_ac23 (void)
{
  g_autoptr(DeckCall) call = parse_ok ("-l acue root@lab00'(-a list)' lab01");

  g_assert_cmpuint (call->jobs->len, ==, 2);
  g_assert_cmpstr (job (call, 0)->user, ==, "root");
  g_assert_cmpint (job (call, 0)->options->action, ==, DECK_CALL_ACTION_LIST);
  g_assert_cmpstr (job (call, 1)->user, ==, "acue");
  g_assert_cmpint (job (call, 1)->options->action, ==, DECK_CALL_ACTION_NONE);
}

/* AC-24 is a runtime case (the XEN plugin probing `xm info` on lab01); nothing to parse. */

/* --- jobs: precedence, duplicates, defaults ------------------------------------------ */

static void
test_precedence (void)
{
  g_autoptr(DeckCall) call =
    parse_ok ("-b 1 -z 1 -L DF -c LOCAL -d 2 -a list -- '(-z 2 -L SO -c ONLY)' "
              "h1 h2'(-z 0 -b seq -c OFF -a enumerate=machine)' h3'(-b stack -b 1,3)'");
  DeckCallJob *h1 = job (call, 0), *h2 = job (call, 1), *h3 = job (call, 2);

  /* the local call: only the global options, unresolved */
  g_assert_cmpint (call->options->pty, ==, 1);
  g_assert_cmpint (call->options->order, ==, DECK_CALL_ORDER_UNSET);

  g_assert_cmpint (h1->options->pty, ==, 2);
  g_assert_cmpint (h1->options->location, ==, DECK_CALL_LOCATION_SERVERONLY);
  g_assert_cmpint (h1->options->sync, ==, DECK_CALL_SYNC_ASYNC);
  g_assert_cmpint (h1->options->order, ==, DECK_CALL_ORDER_PARALLEL);  /* resolved default */
  g_assert_cmpint (h1->options->ns_cache, ==, DECK_CALL_NS_CACHE_LOCAL);  /* superposed */
  g_assert_true (h1->options->ns_cache_only);
  g_assert_cmpint (h1->options->action, ==, DECK_CALL_ACTION_LIST);
  g_assert_cmpuint (h1->options->debug_level, ==, 2);

  g_assert_cmpint (h2->options->pty, ==, 0);
  g_assert_cmpint (h2->options->sync, ==, DECK_CALL_SYNC_ASYNC);  /* -b seq keeps async */
  g_assert_cmpint (h2->options->order, ==, DECK_CALL_ORDER_SEQUENTIAL);
  g_assert_cmpint (h2->options->ns_cache, ==, DECK_CALL_NS_CACHE_OFF);
  g_assert_false (h2->options->ns_cache_only);
  g_assert_cmpint (h2->options->action, ==, DECK_CALL_ACTION_ENUMERATE);
  g_assert_cmpstr (h2->options->action_args, ==, "machine");

  /* ctys: in stack mode further -b values are ignored */
  g_assert_true (h3->options->stack);
  g_assert_cmpint (h3->options->sync, ==, DECK_CALL_SYNC_SYNC);
  g_assert_cmpint (h3->options->order, ==, DECK_CALL_ORDER_SEQUENTIAL);
}

static void
test_defaults (void)
{
  g_autoptr(DeckCall) create = parse_ok ("-a create=l:x,CONSOLE:vnc");
  g_autoptr(DeckCall) list = parse_ok ("-a list");
  g_autoptr(DeckCall) none = parse_ok ("--");
  g_autofree char *dc = options_string (job (create, 0)->options);
  g_autofree char *dl = options_string (job (list, 0)->options);
  g_autofree char *dn = options_string (job (none, 0)->options);
  g_autofree char *global = options_string (create->options);

  /* no target: one job on localhost */
  g_assert_cmpstr (job (create, 0)->target->host, ==, "localhost");
  g_assert_cmpstr (job (none, 0)->target->host, ==, "localhost");
  g_assert_cmpstr (dc, ==, "-a CREATE=l:x,CONSOLE:vnc -b async,par -L DISPLAYFORWARDING -z 0 "
                   "-c BOTH -A 0 -s USER");
  g_assert_cmpstr (dl, ==, "-a LIST -b sync,par -L DISPLAYFORWARDING -z 0 -c BOTH -A 0 -s ALL");
  g_assert_cmpstr (dn, ==, "-b sync,par -L DISPLAYFORWARDING -z 0 -c BOTH -A 0 -s USER");
  g_assert_cmpstr (global, ==, "-a CREATE=l:x,CONSOLE:vnc");
}

static char *
make_groups (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-call-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "lab", NULL);
  g_file_set_contents (path, "# lab hosts\nlab00 lab01(-d 4)\nlab00\n", -1, &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_groups (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "lab", NULL);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_duplicates (void)
{
  g_autofree char *dir = make_groups ();
  const char *groups[] = { dir, NULL };
  g_autoptr(DeckCall) twice = parse_ok ("-a list lab00 lab00");
  g_autoptr(DeckCall) allowed = parse_ok ("-A 1 -a list lab00 lab00");
  g_autoptr(DeckCall) on = parse_ok ("-A on -a list lab00 lab00");
  g_autoptr(DeckCall) different = parse_ok ("-a list lab00 lab00'(-d 1)' root@lab00");
  g_autoptr(DeckCall) group = NULL;
  g_autoptr(DeckCall) group_dup = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (twice->jobs->len, ==, 1);
  g_assert_cmpuint (allowed->jobs->len, ==, 2);
  g_assert_cmpuint (on->jobs->len, ==, 2);
  g_assert_cmpuint (different->jobs->len, ==, 3);

  /* a group expanding to a host twice, and the host named again: one job each */
  group = parse_full ("-a list lab lab00", groups, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (group->jobs->len, ==, 2);
  g_assert_cmpstr (job (group, 0)->target->host, ==, "lab00");
  g_assert_cmpstr (job (group, 0)->target->group, ==, "lab");
  g_assert_cmpstr (job (group, 1)->target->host, ==, "lab01");
  g_assert_cmpuint (job (group, 1)->options->debug_level, ==, 4);

  /* group options are "permutated onto every member", after the member's own */
  group_dup = parse_full ("-A 1 -d 1 -a list lab'(-d 7 -Z SUDO)'", groups, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (group_dup->jobs->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (job (group_dup, i)->options->debug_level, ==, 7);
      g_assert_cmpint (job (group_dup, i)->options->privilege, ==, DECK_PRIVILEGE_SUDO);
    }
  remove_groups (dir);
}

static void
test_group_errors (void)
{
  /* errors of a target's own options name the target */
  assert_usage ("-a list lab00 lab01'(-b 9)'", "lab01: -b “9”");
  assert_usage ("-a list root@lab01'(-Q)'", "root@lab01: unknown option “-Q”");
  assert_usage ("-a list lab00'(lab01)'", "unexpected “lab01” in an option group");
  assert_usage ("-a list lab00'(-- -d 1)'", "unexpected “--”");
  assert_usage ("-a list lab00'(--ssh=ssh)'", "command line");
  assert_usage ("-a list lab00'(-d)'", "option -d needs a value");
  /* the global action is checked once, without a target prefix */
  assert_usage ("-a create=l:x,CONSOLE:foo lab00 lab01", "CREATE: “CONSOLE:foo”: unknown console");
  /* an action in a group is checked with that target's options */
  assert_usage ("-L CF lab00'(-a create=l:x,CONSOLE:cli)'", "lab00: CREATE: CONNECTIONFORWARDING");
  assert_usage ("-a create=l:x,CONSOLE:cli lab00'(-L CF)'", "lab00: CREATE:");
}

/* --- option value tables ------------------------------------------------------------ */

typedef struct {
  const char *name;
  const char *cmdline;   /* global options */
  const char *expected;  /* deck_call_options_to_string() of the global options, or NULL */
  const char *part;      /* else: part of the usage error */
} OptionCase;

static const OptionCase option_cases[] = {
  /* -b (spec §3.2, AC-16) */
  { "b/sync", "-b sync", "-b sync", NULL },
  { "b/off", "-b OFF", "-b sync", NULL },
  { "b/0", "-b 0", "-b sync", NULL },
  { "b/async-on-1", "-b on", "-b async", NULL },
  { "b/1", "-b 1", "-b async", NULL },
  { "b/0-2", "-b 0,2", "-b sync,seq", NULL },
  { "b/1-3", "-b 1,3", "-b async,par", NULL },
  { "b/words", "-b ASYNC,Sequential", "-b async,seq", NULL },
  { "b/par-only", "-b parallel", "-b par", NULL },
  { "b/reversed", "-b par,sync", "-b sync,par", NULL },
  { "b/stack", "-b stack", "-b stack", NULL },
  { "b/stack-sticky", "-b STACK -b 1,3", "-b stack", NULL },
  { "b/later-wins", "-b 1,3 -b 0", "-b sync,par", NULL },
  { "b/three", "-b 0,2,3", NULL, "more than two values" },
  { "b/two-sync", "-b 0,1", NULL, "two sync/async values" },
  { "b/two-order", "-b 2,par", NULL, "two sequential/parallel values" },
  { "b/stack-combined", "-b stack,1", NULL, "stack cannot be combined" },
  { "b/unknown", "-b 4", NULL, "unknown value “4”" },
  { "b/empty-item", "-b 1,", NULL, "unknown value “”" },
  { "b/empty", "-b ''", NULL, "-b needs a value" },
  /* -L (spec §3.3, AC-17) */
  { "L/df", "-L df", "-L DISPLAYFORWARDING", NULL },
  { "L/cf", "-L cf", "-L CONNECTIONFORWARDING", NULL },
  { "L/so-long", "-L ServerOnly", "-L SERVERONLY", NULL },
  { "L/lo", "-L LO", "-L LOCALONLY", NULL },
  { "L/co", "-L clientonly", "-L CLIENTONLY", NULL },
  { "L/unknown", "-L XX", NULL, "-L “XX”: unknown execution location" },
  { "L/list", "-L DF,CF", NULL, "unknown execution location" },
  /* -z (spec §3.4) */
  { "z/nopty", "-z NOPTY", "-z 0", NULL },
  { "z/0", "-z 0", "-z 0", NULL },
  { "z/pty", "-z pty", "-z 1", NULL },
  { "z/1", "-z 1", "-z 1", NULL },
  { "z/pty-pty", "-z PTY,PTY", "-z 2", NULL },
  { "z/2", "-z 2", "-z 2", NULL },
  { "z/3", "-z 3", NULL, "expected NOPTY (0), PTY (1) or PTY,PTY (2)" },
  { "z/pty3", "-z PTY,PTY,PTY", NULL, "expected NOPTY" },
  { "z/mixed", "-z NOPTY,PTY", NULL, "expected NOPTY" },
  /* -Z (spec §3.5) */
  { "Z/ksu", "-Z ksu", "-Z KSU", NULL },
  { "Z/all", "-Z ALL", "-Z KSU,SUDO", NULL },
  { "Z/replaced", "-Z KSU -Z SUDO", "-Z SUDO", NULL },
  { "Z/none", "-Z NOKSU,NOSUDO", "-Z NOKSU,NOSUDO", NULL },
  { "Z/bad", "-Z root", NULL, "expected KSU, SUDO, NOKSU, NOSUDO or ALL" },
  /* -c (spec §3.6) */
  { "c/on", "-c ON", "-c BOTH", NULL },
  { "c/both", "-c both", "-c BOTH", NULL },
  { "c/local", "-c LOCAL", "-c LOCAL", NULL },
  { "c/remote", "-c remote", "-c REMOTE", NULL },
  { "c/on-local-only", "-c ON,LOCAL,ONLY", "-c LOCAL,ONLY", NULL },
  { "c/only", "-c ONLY", "-c ONLY", NULL },
  { "c/off", "-c OFF", "-c OFF", NULL },
  { "c/off-then-only", "-c OFF -c ONLY", "-c BOTH,ONLY", NULL },
  { "c/superposed", "-c REMOTE -c ONLY", "-c REMOTE,ONLY", NULL },
  { "c/off-clears", "-c LOCAL,ONLY -c off", "-c OFF", NULL },
  { "c/off-combined", "-c OFF,ONLY", NULL, "OFF cannot be combined" },
  { "c/on-off", "-c ON,OFF", NULL, "OFF cannot be combined" },
  { "c/local-remote", "-c LOCAL,REMOTE", NULL, "exclude each other" },
  { "c/unknown", "-c CACHE", NULL, "unknown value “CACHE”" },
  /* -C (spec §3.6) */
  { "C/on", "-C on", "-C ON", NULL },
  { "C/off", "-C OFF", "-C OFF", NULL },
  { "C/0", "-C 0", "-C OFF", NULL },
  { "C/flags", "-C KEEP,RAW,AUTO,KEEPALL", "-C ON,KEEP,KEEPALL,RAW,AUTO", NULL },
  { "C/files", "-C fin:/tmp/in.cache,FOUT:out.cache,LIFETIME:30",
    "-C ON,FIN:/tmp/in.cache,FOUT:out.cache,LIFETIME:30", NULL },
  { "C/superposed", "-C KEEP -C ONLY", "-C ON,KEEP,ONLY", NULL },
  { "C/off-clears", "-C KEEP,LIFETIME:5 -C OFF", "-C OFF", NULL },
  { "C/off-combined", "-C OFF,KEEP", NULL, "OFF cannot be combined" },
  { "C/off-last", "-C KEEP,OFF", NULL, "OFF cannot be combined" },
  { "C/lifetime", "-C LIFETIME:soon", NULL, "LIFETIME needs a number of seconds" },
  { "C/fin-empty", "-C FIN:", NULL, "FIN needs a value" },
  { "C/unknown", "-C FAST", NULL, "unknown value “FAST”" },
  { "C/unknown-key", "-C X:1", NULL, "unknown value “X:1”" },
  /* -t, -T */
  { "t/upper", "-t xen", "-t XEN", NULL },
  { "t/hostile", "-t 'xen;reboot'", NULL, "expected a session type" },
  { "t/suboptions", "-t xen=x", NULL, "expected a session type" },
  { "T/list", "-T xen,qemu", "-T XEN,QEMU", NULL },
  { "T/all", "-T all", "-T ALL", NULL },
  { "T/all-combined", "-T all,xen", NULL, "ALL cannot be combined" },
  { "T/empty-item", "-T xen,", NULL, "expected <type>" },
  /* -A */
  { "A/0", "-A 0", "-A 0", NULL },
  { "A/on", "-A ON", "-A 1", NULL },
  { "A/2", "-A 2", NULL, "expected 0 (off) or 1 (on)" },
  /* -s */
  { "s/user", "-s user", "-s USER", NULL },
  { "s/usrlst", "-s USRLST=acue,root", "-s USRLST=acue,root", NULL },
  { "s/grplst", "-s grplst=all", "-s GRPLST=all", NULL },
  { "s/all", "-s ALL", "-s ALL", NULL },
  { "s/usrlst-empty", "-s USRLST=", NULL, "needs a list" },
  { "s/usrlst-missing", "-s USRLST", NULL, "needs a list" },
  { "s/user-list", "-s USER=acue", NULL, "takes no list" },
  { "s/unknown", "-s OTHERS", NULL, "unknown scope" },
  /* -d */
  { "d/level", "-d 6", "-d 6", NULL },
  { "d/binary", "-d 2#101,PRINTFINAL", "-d 2#101,PRINTFINAL", NULL },
  { "d/keyword", "-d PRINTFINAL", "-d PRINTFINAL", NULL },
  { "d/bad-number", "-d 2#102", NULL, "bad debug level" },
  { "d/empty-item", "-d 6,,W:1", NULL, "empty item" },
  /* -g, -r */
  { "g/size", "-g 80x25", "-g 80x25", NULL },
  { "g/offset", "-g 1024x768+10-20:Screen1:Layout0:/etc/X11/x.conf",
    "-g 1024x768+10-20:Screen1:Layout0:/etc/X11/x.conf", NULL },
  { "g/no-size", "-g +0+0", NULL, "expected <width>x<height>" },
  { "g/bad-offset", "-g 80x25+1", NULL, "bad offset" },
  { "g/trailing-colon", "-g 80x25:", NULL, "empty field" },
  { "g/zero", "-g 0x25", NULL, "expected <width>x<height>" },
  { "r/size", "-r 1280X1024", "-r 1280x1024", NULL },
  { "r/offset", "-r 1280x1024+0+0", NULL, "only a size" },
  /* -l, -p, -P, -x, -D, -W, -H */
  { "l/user", "-l acue", "-l acue", NULL },
  { "l/hostile", "-l 'acue;id'", NULL, "-l: invalid user name “acue;id”" },
  { "l/dash", "-l -oProxyCommand=x", NULL, "must not begin with ‘-’" },
  { "p/dirs", "-p /a:/b,/c", "-p /a:/b,/c", NULL },
  { "p/empty", "-p ::", NULL, "expected a database directory list" },
  { "P/flag", "-P", "-P", NULL },
  { "x/chain", "-x chain", "-x CHAIN", NULL },
  { "x/bad", "-x ring", NULL, "expected OFF, STAR or CHAIN" },
  { "D/W/H", "-D :0.1 -W 2 -H help", "-D :0.1 -W 2 -H help", NULL },
  /* flags, clustering, attached values */
  { "flags", "-n -X -Y -y -f -v -v -V -h", "-n -X -Y -y -f -v -v -V -h", NULL },
  { "cluster", "-nXv", "-n -X -v", NULL },
  { "attached", "-d6 -Zksu -Lso", "-L SERVERONLY -Z KSU -d 6", NULL },
  { "cluster-value", "-nd6", "-d 6 -n", NULL },
  { "help-long", "--help", "-h", NULL },
  { "ssh", "--ssh='ssh -F /tmp/my config'", "'--ssh=ssh -F /tmp/my config'", NULL },
  { "ssh-bad", "--ssh='ssh \"'", NULL, "expected --ssh=<program>" },
  { "ssh-empty", "--ssh=", NULL, "expected --ssh=<program>" },
  /* --uri= (vmdeck): one URI per driver, the last given for a driver wins */
  { "uri", "--uri=qemu+unix:///system?socket=/s", "'--uri=qemu+unix:///system?socket=/s'", NULL },
  { "uri-per-driver", "--uri=qemu:///a --uri=xen:///system --uri=qemu+ssh://root@h/system",
    "--uri=xen:///system --uri=qemu+ssh://root@h/system", NULL },
  { "uri-bad", "--uri=nonsense", NULL, "expected --uri=<libvirt URI>" },
  { "uri-no-driver", "--uri=://x", NULL, "expected --uri=<libvirt URI>" },
  { "uri-empty", "--uri=", NULL, "expected --uri=<libvirt URI>" },
  { "uri-control", "--uri='qemu:///a\tb'", NULL, "control character" },
  /* --backend= (vmdeck) */
  { "backend", "--backend=XL", "--backend=xl", NULL },
  { "backend-later-wins", "--backend=xl --backend=Libvirt", "--backend=libvirt", NULL },
  { "backend-auto", "--backend=auto", "--backend=auto", NULL },
  { "backend-bad", "--backend=vmware", NULL, "expected --backend=auto, --backend=libvirt or --backend=xl" },
  { "ssh-port", "--ssh-port=2222 --ssh-port=22022", "--ssh-port=22022", NULL },
  { "ssh-port-bad", "--ssh-port=70000", NULL, "expected --ssh-port=<1..65535>" },
  /* unknown options, missing values */
  { "unknown", "-Q", NULL, "unknown option “-Q”" },
  { "unknown-in-cluster", "-nQ", NULL, "unknown option “-Q” in “-nQ”" },
  { "unknown-long", "--verbose", NULL, "unknown option “--verbose” (long options: --ssh=<command>, "
    "--uri=<libvirt URI>, --backend=auto|libvirt|xl, --ssh-port=<port>, --help)" },
  { "unknown-ctys-only", "-j 1:2", NULL, "unknown option “-j”" },
  { "missing-value", "-d", NULL, "option -d needs a value (-d <level>" },
  { "unknown-action", "-a start=l:x", NULL, "unknown action “START”" },
};

static void
test_option_case (gconstpointer data)
{
  const OptionCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckCall) call = NULL;
  g_auto(GStrv) args = split (c->cmdline);
  g_autofree char *s = NULL;

  call = deck_call_parse ((const char * const *) args, no_groups, NULL, &error);
  if (c->expected == NULL)
    {
      g_assert_null (call);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      assert_message (error, c->part);
      return;
    }
  g_assert_no_error (error);
  s = options_string (call->options);
  g_assert_cmpstr (s, ==, c->expected);

  /* the words parse back to the same options */
  {
    g_auto(GStrv) words = deck_call_options_to_argv (call->options);
    g_autoptr(DeckCall) again = deck_call_parse ((const char * const *) words, no_groups, NULL,
                                                 &error);
    g_autofree char *s2 = NULL;

    g_assert_no_error (error);
    s2 = options_string (again->options);
    g_assert_cmpstr (s2, ==, s);
  }
}

static void
test_control_characters (void)
{
  const char *tab[] = { "-D", "a\tb", NULL };
  const char *newline[] = { "-a", "create=l:x\n", NULL };
  const char *invalid[] = { "-W", "ws\xff", NULL };
  const char *group[] = { "-a", "list", "lab00(-D 'x\ny')", NULL };
  const char * const *cases[] = { tab, newline, invalid, group };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DeckCall) call = deck_call_parse (cases[i], no_groups, NULL, &error);

      g_assert_null (call);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (strchr (error->message, '\n'));
    }
}

static void
test_option_details (void)
{
  g_autoptr(DeckCall) call =
    parse_ok ("-g 80x25-0+10:1 -r 800x600 -p /db/a,/db/b -d 16#ff,W:2 -s usrlst=a,b -a list");
  DeckCallOptions *o = call->options;
  g_autofree char *dirs = joined ((const char * const *) o->db_dirs);

  g_assert_nonnull (o->geometry);
  g_assert_cmpuint (o->geometry->width, ==, 80);
  g_assert_cmpuint (o->geometry->height, ==, 25);
  g_assert_cmpstr (o->geometry->offset, ==, "-0+10");
  g_assert_cmpstr (o->geometry->screen, ==, "1");
  g_assert_null (o->geometry->layout);
  g_assert_cmpuint (o->resolution_width, ==, 800);
  g_assert_cmpuint (o->resolution_height, ==, 600);
  g_assert_cmpstr (dirs, ==, "/db/a|/db/b");
  g_assert_cmpuint (o->debug_level, ==, 255);
  g_assert_cmpint (o->scope, ==, DECK_CALL_SCOPE_USRLST);
  g_assert_cmpstr (o->scope_args, ==, "a,b");
}

/* -C ONLY is for the collecting actions only (ctys). */
static void
test_data_cache_only (void)
{
  g_autoptr(DeckCall) list = parse_ok ("-C ONLY -a list");

  g_assert_cmpint (list->options->data_cache, ==, 1);
  assert_usage ("-C ONLY -a create=l:x", "-C ONLY works with LIST");
  assert_usage ("-a cancel=l:x lab00'(-C KEEP,ONLY)'", "lab00: -C ONLY");
}

/* --- hostile text, macros, describe, copies ---------------------------------------- */

/* Values are data: shell syntax is kept as written, never interpreted. */
static void
test_hostile_values (void)
{
  const char *args[] = {
    "-D", "$(rm -rf ~)", "-W", "`id`;x", "-H", "'q'",
    "-a", "create=l:$(reboot),c:a;b%$(id)%\"dq\"%'sq'%x|y&z,X:-e%sh -c 'id'",
    "lab00(-D \"$(reboot)\" -W ';ls' -x 'chain')", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckCall) call = deck_call_parse (args, no_groups, NULL, &error);
  DeckCallJob *j;
  g_autofree char *callopts = NULL;
  g_autofree char *xopts = NULL;
  g_autofree char *s = NULL;
  g_auto(GStrv) words = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (call->options->display, ==, "$(rm -rf ~)");
  g_assert_cmpstr (call->options->workspace, ==, "`id`;x");
  g_assert_cmpstr (call->options->help_topic, ==, "'q'");
  j = job (call, 0);
  g_assert_cmpstr (j->options->display, ==, "$(reboot)");
  g_assert_cmpstr (j->options->workspace, ==, ";ls");
  g_assert_cmpstr (j->options->chain, ==, "CHAIN");
  assert_values (j->create->address, DECK_ADDRESS_PART_LABEL, "$(reboot)");
  callopts = joined ((const char * const *) j->create->callopts);
  g_assert_cmpstr (callopts, ==, "a;b|$(id)|\"dq\"|'sq'|x|y&z");
  xopts = joined ((const char * const *) j->create->xopts);
  g_assert_cmpstr (xopts, ==, "-e|sh -c 'id'");

  /* the described options are quoted so that a shell reads back the same words */
  s = options_string (j->options);
  g_shell_parse_argv (s, NULL, &words, &error);
  g_assert_no_error (error);
  {
    g_autoptr(DeckCall) again = deck_call_parse ((const char * const *) words, no_groups, NULL,
                                                 &error);
    g_autofree char *s2 = NULL;

    g_assert_no_error (error);
    deck_call_options_resolve (again->options);
    s2 = options_string (again->options);
    g_assert_cmpstr (s2, ==, s);
  }

  /* hostile words where a name or an option is expected are refused */
  assert_usage ("-a list 'lab00($(reboot))'", "cannot be nested");
  assert_usage ("-a list 'lab00($HOME `id`)'", "unexpected “$HOME” in an option group");
  assert_usage ("-a list lab00'(-d 1 ; reboot)'", "unexpected “;”");
  assert_usage ("-a create=l:x,USER:'a;b' lab00", "invalid user name “a;b”");
  {
    g_autoptr(DeckCall) bad = parse_full ("-a list 'lab00;reboot'", no_groups, NULL, &error);

    g_assert_null (bad);
    g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
    g_clear_error (&error);
  }
  {
    g_autoptr(DeckCall) bad = parse_full ("-a list '-oProxyCommand=x'", no_groups, NULL, &error);

    g_assert_null (bad);
    g_assert_nonnull (error);
  }
}

static char *
make_macros (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-call-macros-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "default", NULL);
  g_file_set_contents (path,
                       "MYCREATE = l:tst100,CONSOLE:none\n"
                       "MYLOC = SO\n"
                       "HOSTILE = c:$(id);x\n", -1, &error);
  g_assert_no_error (error);
  return dir;
}

static void
test_macros (void)
{
  g_autofree char *dir = make_macros ();
  const char *path[] = { dir, NULL };
  g_autoptr(DeckMacros) macros = deck_macros_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckCall) call = NULL;
  g_autoptr(DeckCall) optional = NULL;
  g_autoptr(DeckCall) hostile = NULL;
  g_autoptr(DeckCall) plain = NULL;
  g_autofree char *file = g_build_filename (dir, "default", NULL);
  g_autofree char *c0 = NULL;
  g_autofree char *c1 = NULL;

  call = parse_full ("-L macro:MYLOC -a create=macro:MYCREATE "
                     "lab00 lab01'(-a create=macro:MYCREATE,c:memory=512)'", no_groups, macros,
                     &error);
  g_assert_no_error (error);
  g_assert_cmpint (call->options->location, ==, DECK_CALL_LOCATION_SERVERONLY);
  g_assert_cmpstr (call->options->action_args, ==, "l:tst100,CONSOLE:none");
  c0 = deck_create_request_to_string (job (call, 0)->create);
  c1 = deck_create_request_to_string (job (call, 1)->create);
  g_assert_cmpstr (c0, ==, "l:tst100,CONSOLE:NONE");
  g_assert_cmpstr (c1, ==, "l:tst100,CONSOLE:NONE,C:memory=512");

  /* an %optional macro that is not defined leaves a trailing ',' which is harmless */
  optional = parse_full ("-a create=l:x,macro:NOPE%optional", no_groups, macros, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (optional->options->action_args, ==, "l:x,");

  /* a macro's text is data as well */
  hostile = parse_full ("-a create=l:x,macro:HOSTILE", no_groups, macros, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job (hostile, 0)->create->callopts[0], ==, "$(id);x");

  {
    g_autoptr(DeckCall) bad = parse_full ("-a create=macro:NOPE lab00", no_groups, macros, &error);

    g_assert_null (bad);
    g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
    assert_message (error, "-a “create=macro:NOPE”: ");
    g_clear_error (&error);
  }

  /* without macros the text is kept, and CREATE then names the unknown key */
  plain = parse_full ("-a list=macro:TAB_CPORT", no_groups, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plain->options->action_args, ==, "macro:TAB_CPORT");

  g_unlink (file);
  g_rmdir (dir);
}

static void
test_describe (void)
{
  g_autoptr(DeckCall) call =
    parse_ok ("-t xen -d 2 -- '(-Z KSU)' lab00'(-a create=l:tst100,CONSOLE:none)' "
              "root@lab01'(-a cancel=l:tst101,POWEROFF:0 -D \"a b\")' lab02'(-a create=l:x,console:cli)'");
  g_autofree char *d = deck_call_describe (call);
  static const char expected[] =
    "call: -t XEN -d 2\n"
    "lab00: -a CREATE=l:tst100,CONSOLE:none -t XEN -b async,par -L SERVERONLY -z 0 -Z KSU -c BOTH -A 0 -s USER -d 2\n"
    "  create: l:tst100,CONSOLE:NONE\n"
    "  note: CONSOLE:NONE implies -L SERVERONLY\n"
    "root@lab01: -a CANCEL=l:tst101,POWEROFF:0 -t XEN -b async,par -L DISPLAYFORWARDING -z 0 -Z KSU -c BOTH -A 0 -s USER -d 2 -D 'a b'\n"
    "  cancel: l:tst101,POWEROFF:0,STACK,SERVER\n"
    "lab02: -a CREATE=l:x,console:cli -t XEN -b sync,seq -L DISPLAYFORWARDING -z 2 -Z KSU -c BOTH -A 0 -s USER -d 2\n"
    "  create: l:x,CONSOLE:CLI\n"
    "  note: CONSOLE:CLI forces -b sync,seq\n"
    "  note: CONSOLE:CLI forces -z 2\n";

  g_assert_cmpstr (d, ==, expected);
}

static void
test_copies (void)
{
  g_autoptr(DeckCall) call =
    parse_ok ("-g 80x25+0+0:1:L:/x -p /a -C FIN:/f,FOUT:/g -T xen -s GRPLST=a --ssh=ssh "
              "-a create=l:x,CONSOLE:cli,c:a%b,INSTMODE:PXE%s,USER:u%c lab00'(-D d -W w -x off -H h -l acue)'");
  for (guint i = 0; i < call->jobs->len; i++)
    {
      g_autoptr(DeckCallJob) copy = deck_call_job_copy (job (call, i));
      g_autofree char *a = deck_call_job_describe (job (call, i));
      g_autofree char *b = deck_call_job_describe (copy);

      g_assert_cmpstr (a, ==, b);
    }
  {
    g_autoptr(DeckCallOptions) copy = deck_call_options_copy (call->options);
    g_autofree char *a = options_string (call->options);
    g_autofree char *b = options_string (copy);

    g_assert_cmpstr (a, ==, b);
  }
}

/* A job's effective options parse back to the same options. */
static void
test_job_round_trip (void)
{
  static const char * const cmdlines[] = {
    "-t xen -b 1 -z 2 -- '(-Z KSU -c LOCAL,ONLY)' lab00'(-a create=l:x,CONSOLE:vnc -L CF)' lab01'(-a list -s usrlst=a)'",
    "-C KEEP,LIFETIME:9 -d 2#11,PFIN -A 1 -a enumerate=machine,b:xen h1 h1",
    "-b stack -Z ALL -a cancel=ALL,SELF h1'(-g 10x10 -r 800x600 -P -n -X -Y -y -f -v)'",
  };

  for (guint k = 0; k < G_N_ELEMENTS (cmdlines); k++)
    {
      g_autoptr(DeckCall) call = parse_ok (cmdlines[k]);

      for (guint i = 0; i < call->jobs->len; i++)
        {
          g_autoptr(GError) error = NULL;
          g_auto(GStrv) words = deck_call_options_to_argv (job (call, i)->options);
          g_autoptr(DeckCall) again = deck_call_parse ((const char * const *) words, no_groups,
                                                       NULL, &error);
          g_autofree char *a = options_string (job (call, i)->options);
          g_autofree char *b = NULL;

          g_assert_no_error (error);
          deck_call_options_resolve (again->options);
          b = options_string (again->options);
          g_assert_cmpstr (a, ==, b);
        }
    }
}

/* --uri= and --backend= are also options of a group: the job's URIs are the global ones with
 * the group's on top, per driver; the group's backend replaces the call's. */
static void
test_uri_groups (void)
{
  g_autoptr(DeckCall) call =
    parse_ok ("--uri=qemu:///system --uri=xen:///system -a list lab00 "
              "lab01'(--uri=qemu+unix:///session?socket=/s)' lab02'(--uri=test:///default -a show)'");
  g_autofree char *g = joined ((const char * const *) call->options->uris);
  g_autofree char *j0 = joined ((const char * const *) job (call, 0)->options->uris);
  g_autofree char *j1 = joined ((const char * const *) job (call, 1)->options->uris);
  g_autofree char *j2 = joined ((const char * const *) job (call, 2)->options->uris);

  g_assert_cmpstr (g, ==, "qemu:///system|xen:///system");
  g_assert_cmpstr (j0, ==, "qemu:///system|xen:///system");
  g_assert_cmpstr (j1, ==, "xen:///system|qemu+unix:///session?socket=/s");
  g_assert_cmpstr (j2, ==, "qemu:///system|xen:///system|test:///default");
  g_assert_cmpint (job (call, 2)->options->action, ==, DECK_CALL_ACTION_SHOW);
  g_assert_cmpint (job (call, 0)->options->backend, ==, DECK_CALL_UNSET);
  {
    g_autoptr(DeckCall) b = parse_ok ("--backend=libvirt -a list lab00 lab01'(--backend=xl)'");

    g_assert_cmpint (job (b, 0)->options->backend, ==, DECK_BACKEND_LIBVIRT);
    g_assert_cmpint (job (b, 1)->options->backend, ==, DECK_BACKEND_XL);
  }
  assert_usage ("-a list lab00'(--backend=esx)'", "lab00: “--backend=esx”: expected --backend=auto");
  assert_usage ("-a list lab00'(--uri=bogus)'", "lab00: “--uri=bogus”: expected --uri=<libvirt URI>");
  assert_usage ("-a list lab00'(--uri)'", "lab00: unknown option “--uri”");
  {
    g_autoptr(DeckCallOptions) o = deck_call_options_new ();
    g_autoptr(GError) error = NULL;

    g_assert_true (deck_call_options_apply (o, (const char *[]) { "--uri=qemu:///session", NULL }, NULL,
                                            &error));
    g_assert_no_error (error);
    g_assert_cmpstr (o->uris[0], ==, "qemu:///session");
    g_assert_null (o->uris[1]);
  }
}

static void
test_parse_argv (void)
{
  char *argv[] = { (char *) "ctys", (char *) "-a", (char *) "list", (char *) "lab00", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckCall) call = deck_call_parse_argv (4, argv, no_groups, NULL, &error);
  g_autoptr(DeckCall) empty = deck_call_parse_argv (1, argv, no_groups, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (call->jobs->len, ==, 1);
  g_assert_cmpstr (job (call, 0)->target->host, ==, "lab00");
  g_assert_cmpint (call->options->action, ==, DECK_CALL_ACTION_LIST);
  g_assert_cmpstr (job (empty, 0)->target->host, ==, "localhost");
  g_assert_cmpint (empty->options->action, ==, DECK_CALL_ACTION_NONE);
}

static void
test_target_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckCall) call = NULL;

  /* options after the first target are targets (as in ctys) and are refused as names */
  call = parse_full ("-a list lab00 -d 1", no_groups, NULL, &error);
  g_assert_null (call);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  /* a default group needs a target */
  assert_usage ("-a list -- '(-d 1)'", "not followed by a target");
  assert_usage ("-a list lab00'(-d 1'", "not closed");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deck/call/ac01-order-free", test_ac01);
  g_test_add_func ("/deck/call/ac02-cancel-poweroff", test_ac02);
  g_test_add_func ("/deck/call/ac03-ac05-values", test_ac03_05_values);
  g_test_add_func ("/deck/call/ac06-empty-tcp", test_ac06);
  for (gsize i = 0; i < G_N_ELEMENTS (create_call_errors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/call/create-error/%s", create_call_errors[i].name);

      g_test_add_data_func (path, &create_call_errors[i], test_usage_case);
    }
  g_test_add_func ("/deck/call/ac11-case", test_ac11);
  for (gsize i = 0; i < G_N_ELEMENTS (cancel_call_errors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/call/cancel-error/%s", cancel_call_errors[i].name);

      g_test_add_data_func (path, &cancel_call_errors[i], test_usage_case);
    }
  g_test_add_func ("/deck/call/ac16-ac17-background-location", test_ac16_ac17);
  g_test_add_func ("/deck/call/ac18-host-group", test_ac18);
  g_test_add_func ("/deck/call/ac19-two-jobs-one-host", test_ac19);
  g_test_add_func ("/deck/call/privilege-replaced", test_privilege_replaced);
  g_test_add_func ("/deck/call/ac21-debug-levels", test_ac21);
  g_test_add_func ("/deck/call/ac22-blank-before-group", test_ac22);
  g_test_add_func ("/deck/call/ac23-user", test_ac23);
  g_test_add_func ("/deck/call/precedence", test_precedence);
  g_test_add_func ("/deck/call/defaults", test_defaults);
  g_test_add_func ("/deck/call/duplicates", test_duplicates);
  g_test_add_func ("/deck/call/group-errors", test_group_errors);
  g_test_add_func ("/deck/call/target-errors", test_target_errors);
  for (gsize i = 0; i < G_N_ELEMENTS (option_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/call/option/%s", option_cases[i].name);

      g_test_add_data_func (path, &option_cases[i], test_option_case);
    }
  g_test_add_func ("/deck/call/option-details", test_option_details);
  g_test_add_func ("/deck/call/control-characters", test_control_characters);
  g_test_add_func ("/deck/call/data-cache-only", test_data_cache_only);
  g_test_add_func ("/deck/call/hostile-values", test_hostile_values);
  g_test_add_func ("/deck/call/macros", test_macros);
  g_test_add_func ("/deck/call/describe", test_describe);
  g_test_add_func ("/deck/call/copies", test_copies);
  g_test_add_func ("/deck/call/job-round-trip", test_job_round_trip);
  g_test_add_func ("/deck/call/uri-groups", test_uri_groups);
  g_test_add_func ("/deck/call/parse-argv", test_parse_argv);

  return g_test_run ();
}
