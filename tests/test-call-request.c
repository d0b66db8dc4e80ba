/* test-call-request.c: the CREATE and CANCEL suboptions of a ctys call (spec §5.1.1-5.1.4,
 * §5.2.1-5.2.2, the parsing parts of §12.4 and §12.5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "call-testutil.h"

/* --- CREATE: suboptions, mutual exclusion, location matrix ---------------------------- */

typedef struct {
  const char *name;
  const char *text;
  const char *canonical; /* deck_create_request_to_string(), or NULL for an error */
  const char *part;
} RequestCase;

static const RequestCase create_cases[] = {
  { "modes/connect", "l:tst100,connect", "l:tst100,CONNECT", NULL },
  { "modes/connect-empty-value", "l:tst100,connect:", "l:tst100,CONNECT", NULL },
  { "modes/reuse", "l:tst100,Reuse", "l:tst100,REUSE", NULL },
  { "modes/reconnect", "l:tst100,RECONNECT", "l:tst100,RECONNECT", NULL },
  { "modes/resume", "l:tst100,RESUME", "l:tst100,RESUME", NULL },
  { "modes/resume-file", "l:tst100,RESUME:mystate.stat", "l:tst100,RESUME:mystate.stat", NULL },
  { "modes/resume-file-colon", "l:tst100,RESUME:/st/a::b", "l:tst100,RESUME:/st/a::b", NULL },
  { "modes/resume-two-files", "l:tst100,RESUME:a%b", NULL, "one value" },
  { "modes/connect-reuse", "l:x,CONNECT,REUSE", NULL, "only one of CONNECT, RECONNECT, REUSE and RESUME" },
  { "modes/connect-reconnect", "l:x,CONNECT,RECONNECT", NULL, "only one of" },
  { "modes/reuse-resume", "l:x,REUSE,RESUME:f", NULL, "only one of" },
  { "modes/connect-twice", "l:x,CONNECT,connect", NULL, "only one of" },
  { "modes/reuse-value", "l:x,REUSE:1", NULL, "REUSE takes no value" },
  { "modes/reconnect-value", "l:x,RECONNECT:now", NULL, "RECONNECT takes no value" },
  { "console/all",
    "l:x,CONSOLE:gterm", "l:x,CONSOLE:GTERM", NULL },
  { "console/emacsam", "l:x,console:EmacsAM", "l:x,CONSOLE:EMACSAM", NULL },
  { "console/sdl", "l:x,CONSOLE:sdl", "l:x,CONSOLE:SDL", NULL },
  { "console/unknown", "l:x,CONSOLE:kitty", NULL, "unknown console" },
  { "console/empty", "l:x,CONSOLE:", NULL, "“CONSOLE” needs a value" },
  { "console/flag", "l:x,CONSOLE", NULL, "needs a value" },
  { "console/twice", "l:x,CONSOLE:VNC,CONSOLE:NONE", NULL, "“CONSOLE:VNC” and “CONSOLE:NONE”" },
  { "callopts/long", "l:x,CALLOPTS:memory=512", "l:x,C:memory=512", NULL },
  { "callopts/empty", "l:x,C:", NULL, "needs a value" },
  { "callopts/only-separators", "l:x,C:%", NULL, "no argument given" },
  { "callopts/empty-items-dropped", "l:x,C:a%%%", "l:x,C:a%%", NULL },
  { "callopts/comma-colon", "l:x,C:on_crash=a,,b%x::y", "l:x,C:on_crash=a,,b%x::y", NULL },
  { "bootmode", "l:x,BOOTMODE:pxe", "l:x,BOOTMODE:PXE", NULL },
  { "bootmode/unknown", "l:x,BOOTMODE:NET", NULL, "unknown boot mode" },
  { "instmode", "l:x,INSTMODE:cd%/iso/a.iso%VHDD%/vm/d.img%1",
    "l:x,INSTMODE:CD%/iso/a.iso%VHDD%/vm/d.img%1", NULL },
  { "instmode/flag", "l:x,INSTMODE", "l:x,INSTMODE:CONFIG", NULL },
  { "instmode/unknown", "l:x,INSTMODE:TAPE", NULL, "unknown install mode" },
  { "instmode/too-many", "l:x,INSTMODE:CD%a%b%c%d%e", NULL, "expected INSTMODE" },
  { "ping", "l:x,PING:20%2,SSHPING:OFF", "l:x,PING:20%2,SSHPING:OFF", NULL },
  { "ping/one", "l:x,PING:20", NULL, "PING:<count>%<sleep seconds>" },
  { "ping/on", "l:x,SSHPING:ON", NULL, "expected SSHPING:OFF" },
  { "ping/flag", "l:x,PING", NULL, "needs a value" },
  { "waits", "l:x,WAITC:3,WAITS:10", "l:x,WAITC:3,WAITS:10", NULL },
  { "waits/bad", "l:x,WAITS:-1", NULL, "WAITS needs a number of seconds" },
  { "waits/empty", "l:x,WAITC:", NULL, "needs a value" },
  { "user", "l:x,USER:acue%secret", "l:x,USER:acue%secret", NULL },
  { "user/hostile", "l:x,USER:$(id)", NULL, "invalid user name" },
  { "stackcheck", "l:x,STACKCHECK:nocontext%HWCAP", "l:x,STACKCHECK:NOCONTEXT%HWCAP", NULL },
  { "stackcheck/off", "l:x,STACKCHECK:OFF", "l:x,STACKCHECK:OFF", NULL },
  { "stackcheck/off-combined", "l:x,STACKCHECK:OFF%HWCAP", NULL, "OFF cannot be combined" },
  { "stackcheck/pair", "l:x,STACKCHECK:HWCAP%NOHWCAP", NULL, "HWCAP and NOHWCAP exclude" },
  { "stackcheck/unknown", "l:x,STACKCHECK:FAST", NULL, "expected STACKCHECK:OFF" },
  { "address/all", "ALL", NULL, "belongs to CANCEL" },
  { "address/order-free", "CONSOLE:none,u:6842caf9,b:xen,f:tst100.conf",
    "f:tst100.conf,b:xen,u:6842caf9,CONSOLE:NONE", NULL },
  { "address/empty-tcp", "t:,CONSOLE:cli,connect", NULL, "empty value in address part “t:”" },
  { "address/empty-label", "l:", NULL, "address part “l:”" },
  { "address/flag-label", "l", NULL, "needs a value" },
  { "address/dbrec", "dr:12", "dr:12", NULL },
  { "unknown", "l:x,FAST", NULL, "unknown suboption “FAST”" },
  { "unknown-macro", "macro:MYCREATE", NULL, "unknown suboption “macro:MYCREATE”" },
  { "syntax", "l:x,:y", NULL, "missing key" },
};

static void
test_create_case (gconstpointer data)
{
  const RequestCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckCreateRequest) r = deck_create_request_parse (c->text, &error);
  g_autofree char *s = NULL;

  if (c->canonical == NULL)
    {
      g_assert_null (r);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      assert_message (error, "CREATE: ");
      assert_message (error, c->part);
      return;
    }
  g_assert_no_error (error);
  s = deck_create_request_to_string (r);
  g_assert_cmpstr (s, ==, c->canonical);

  /* the canonical text parses back to the same request, and so does a copy */
  {
    g_autoptr(DeckCreateRequest) again = create_ok (s);
    g_autoptr(DeckCreateRequest) copy = deck_create_request_copy (r);
    g_autofree char *s2 = deck_create_request_to_string (again);
    g_autofree char *s3 = deck_create_request_to_string (copy);

    g_assert_cmpstr (s2, ==, s);
    g_assert_cmpstr (s3, ==, s);
  }
}

static void
test_create_fields (void)
{
  g_autoptr(DeckCreateRequest) r =
    create_ok ("CONSOLE:none,u:6842caf9,b:xen,f:tst100.conf,PING:5%1,WAITC:0,USER:root");
  g_autoptr(DeckCreateRequest) d = create_ok ("l:x");

  assert_values (r->address, DECK_ADDRESS_PART_UUID, "6842caf9");
  assert_values (r->address, DECK_ADDRESS_PART_BASE, "xen");
  assert_values (r->address, DECK_ADDRESS_PART_FRAGMENT, "tst100.conf");
  g_assert_cmpint (r->ping.state, ==, 1);
  g_assert_cmpuint (r->ping.count, ==, 5);
  g_assert_cmpuint (r->ping.sleep, ==, 1);
  g_assert_cmpint (r->sshping.state, ==, DECK_CALL_UNSET);
  g_assert_cmpint (r->waitc, ==, 0);
  g_assert_cmpint (r->waits, ==, DECK_CALL_UNSET);
  g_assert_cmpstr (r->user, ==, "root");
  g_assert_null (r->credentials);

  /* defaults */
  g_assert_cmpint (d->mode, ==, DECK_CREATE_MODE_NONE);
  g_assert_cmpint (d->console, ==, DECK_CONSOLE_DEFAULT);
  g_assert_cmpint (d->bootmode, ==, DECK_BOOTMODE_DEFAULT);
  g_assert_nonnull (d->callopts);
  g_assert_null (d->callopts[0]);
  g_assert_null (d->instmode);
  g_assert_null (d->statefile);
  g_assert_cmpint (d->stackcheck, ==, 0);
}

/* Spec §5.1.4: console × -L; "ok" or a part of the error. */
typedef struct {
  const char *console;
  const char *df, *cf, *so, *lo;
} MatrixRow;

static const MatrixRow matrix[] = {
  { "CLI", "ok", "CONNECTIONFORWARDING (-L CF) is not supported for CONSOLE:CLI", "SERVERONLY", "ok" },
  { "XTERM", "ok", "not supported for CONSOLE:XTERM", "ok", "ok" },
  { "GTERM", "ok", "not supported for CONSOLE:GTERM", "ok", "ok" },
  { "EMACS", "ok", "not supported", "ok", "ok" },
  { "EMACSM", "ok", "not supported", "ok", "ok" },
  { "EMACSA", "ok", "not supported", "ok", "ok" },
  { "EMACSAM", "ok", "not supported", "ok", "ok" },
  { "VNC", "ok", "ok", "SERVERONLY (-L SO) starts no console", "ok" },
  { "NONE", "ok", "ok", "ok", "ok" },
  { "SDL", "ok", "not supported", "SERVERONLY", "ok" },
};

static void
test_location_matrix (void)
{
  const char *locations[] = { "DF", "CF", "SO", "LO" };

  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    {
      const char *expected[] = { matrix[i].df, matrix[i].cf, matrix[i].so, matrix[i].lo };

      for (guint k = 0; k < G_N_ELEMENTS (locations); k++)
        {
          g_autofree char *cmdline = g_strdup_printf ("-t xen -L %s -a create=l:tst100,CONSOLE:%s lab00",
                                                      locations[k], matrix[i].console);
          g_autoptr(GError) error = NULL;
          g_autoptr(DeckCall) call = parse_full (cmdline, no_groups, NULL, &error);

          if (strcmp (expected[k], "ok") == 0)
            {
              if (error != NULL)
                g_error ("“%s”: %s", cmdline, error->message);
            }
          else
            {
              if (call != NULL)
                g_error ("“%s” was accepted", cmdline);
              g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
              assert_message (error, expected[k]);
            }
        }
    }
}

/* What a console forces (spec §3.2, §3.4, §5.1.3, §5.1.4; AC-38, AC-39, AC-53). */
typedef struct {
  const char *name;
  const char *cmdline;
  const char *options;  /* the job's effective options */
  const char *notes;    /* joined with '|' */
} ForcedCase;

static const ForcedCase forced_cases[] = {
  { "ac38-none-headless", "-t xen -a create=l:tst100,CONSOLE:none lab00'(-Z KSU)'",
    "-a CREATE=l:tst100,CONSOLE:none -t XEN -b async,par -L SERVERONLY -z 0 -Z KSU -c BOTH -A 0 -s USER",
    "CONSOLE:NONE implies -L SERVERONLY" },
  { "ac39-cli", "-t xen -a create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli lab00'(-Z KSU)'",
    "-a CREATE=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli -t XEN -b sync,seq "
    "-L DISPLAYFORWARDING -z 2 -Z KSU -c BOTH -A 0 -s USER",
    "CONSOLE:CLI forces -b sync,seq|CONSOLE:CLI forces -z 2" },
  { "cli-background-overridden", "-b 1,3 -z 1 -a create=l:x,CONSOLE:CLI lab00",
    "-a CREATE=l:x,CONSOLE:CLI -b sync,seq -L DISPLAYFORWARDING -z 2 -c BOTH -A 0 -s USER",
    "CONSOLE:CLI forces -b sync,seq|CONSOLE:CLI forces -z 2" },
  { "cli-nopty-kept", "-b 0,2 -z NOPTY -a create=l:x,CONSOLE:CLI lab00",
    "-a CREATE=l:x,CONSOLE:CLI -b sync,seq -L DISPLAYFORWARDING -z 0 -c BOTH -A 0 -s USER",
    "-z NOPTY kept with CONSOLE:CLI: the console has no terminal (echoed passwords, no full-screen programs)" },
  { "cli-stack", "-b stack -z 2 -a create=l:x,CONSOLE:CLI lab00",
    "-a CREATE=l:x,CONSOLE:CLI -b stack -L DISPLAYFORWARDING -z 2 -c BOTH -A 0 -s USER", "" },
  { "ac53-none-cf", "-t xen -L CF -a create=l:tst100,CONSOLE:none lab00",
    "-a CREATE=l:tst100,CONSOLE:none -t XEN -b async,par -L SERVERONLY -z 0 -c BOTH -A 0 -s USER",
    "CONSOLE:NONE implies -L SERVERONLY" },
  { "none-localonly", "-L LO -a create=l:x,CONSOLE:none",
    "-a CREATE=l:x,CONSOLE:none -b async,par -L LOCALONLY -z 0 -c BOTH -A 0 -s USER", "" },
  { "none-so", "-L SO -a create=l:x,CONSOLE:none",
    "-a CREATE=l:x,CONSOLE:none -b async,par -L SERVERONLY -z 0 -c BOTH -A 0 -s USER", "" },
  { "vnc-nothing-forced", "-L CF -a create=l:x,CONSOLE:vnc",
    "-a CREATE=l:x,CONSOLE:vnc -b async,par -L CONNECTIONFORWARDING -z 0 -c BOTH -A 0 -s USER", "" },
  { "default-console-unchecked", "-L CF -a create=l:x",
    "-a CREATE=l:x -b async,par -L CONNECTIONFORWARDING -z 0 -c BOTH -A 0 -s USER", "" },
  { "ac41-geometry", "-g 80x25 -a create=f:tst100,CONSOLE:xterm lab00",
    "-a CREATE=f:tst100,CONSOLE:xterm -b async,par -L DISPLAYFORWARDING -z 0 -c BOTH -g 80x25 -A 0 -s USER", "" },
};

static void
test_forced_case (gconstpointer data)
{
  const ForcedCase *c = data;
  g_autoptr(DeckCall) call = parse_ok (c->cmdline);
  DeckCallJob *j = job (call, 0);
  g_autofree char *s = options_string (j->options);
  g_autofree char *notes = joined ((const char * const *) j->notes);

  g_assert_cmpstr (s, ==, c->options);
  g_assert_cmpstr (notes, ==, c->notes);
}

/* deck_create_request_apply() on its own (for callers that build options themselves). */
static void
test_create_apply (void)
{
  g_autoptr(DeckCreateRequest) r = create_ok ("l:x,CONSOLE:cli");
  g_autoptr(DeckCallOptions) o = deck_call_options_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (deck_create_request_apply (r, o, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (o->sync, ==, DECK_CALL_SYNC_SYNC);
  g_assert_cmpint (o->order, ==, DECK_CALL_ORDER_SEQUENTIAL);
  g_assert_cmpint (o->pty, ==, 2);
  o->location = DECK_CALL_LOCATION_CONNECTIONFORWARDING;
  g_assert_false (deck_create_request_apply (r, o, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
}

/* §12.4 cases that are about the call's words. */
static void
test_create_acceptance (void)
{
  g_autoptr(DeckCall) ac47 =
    parse_ok ("-a create=p:/home/acue/xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli,connect lab00");
  g_autoptr(DeckCall) ac48 = parse_ok ("-a create=l:tst100,CONSOLE:vnc,reuse lab00");
  g_autoptr(DeckCall) ac50 = parse_ok ("-a create=l:tst100,CONSOLE:none,c:memory=512 lab00");
  g_autoptr(DeckCall) ac51 = parse_ok ("-t xen -a create=l:tst100,RESUME:mystate.stat lab01");
  g_autofree char *c50 = joined ((const char * const *) job (ac50, 0)->create->callopts);

  g_assert_cmpint (job (ac47, 0)->create->mode, ==, DECK_CREATE_MODE_CONNECT);
  assert_values (job (ac47, 0)->create->address, DECK_ADDRESS_PART_ID,
                 "/home/acue/xen/tst-ctys/tst100/tst100.conf");
  g_assert_cmpint (job (ac48, 0)->create->mode, ==, DECK_CREATE_MODE_REUSE);
  g_assert_cmpint (job (ac48, 0)->create->console, ==, DECK_CONSOLE_VNC);
  g_assert_cmpstr (c50, ==, "memory=512");
  g_assert_cmpint (job (ac51, 0)->create->mode, ==, DECK_CREATE_MODE_RESUME);
  g_assert_cmpstr (job (ac51, 0)->create->statefile, ==, "mystate.stat");
  g_assert_cmpint (job (ac51, 0)->create->console, ==, DECK_CONSOLE_DEFAULT);
  assert_usage ("-L CF -a create=f:xen/tst-ctys/tst100/tst100.conf,CONSOLE:cli lab00'(-Z KSU)'",
                "CONNECTIONFORWARDING (-L CF) is not supported for CONSOLE:CLI");  /* AC-40 */
}

/* --- CANCEL ------------------------------------------------------------------------- */

static const RequestCase cancel_cases[] = {
  { "default", "l:tst100", "l:tst100,POWEROFF,STACK,SERVER", NULL },
  { "poweroff-delay", "l:tst100,POWEROFF:0", "l:tst100,POWEROFF:0,STACK,SERVER", NULL },
  { "s5-delay", "l:tst100,s5:7", "l:tst100,POWEROFF:7,STACK,SERVER", NULL },
  { "poweroff-empty", "l:tst100,POWEROFF:", "l:tst100,POWEROFF,STACK,SERVER", NULL },
  { "poweroff-bad", "l:tst100,POWEROFF:soon", NULL, "the delay of POWEROFF is a number of seconds" },
  { "reset", "l:tst100,FORCE,RESET", "l:tst100,RESET,FORCE,SERVER", NULL },
  { "reboot", "l:tst100,reboot", "l:tst100,REBOOT,STACK,SERVER", NULL },
  { "reboot-value", "l:tst100,REBOOT:1", NULL, "REBOOT takes no value" },
  { "init", "l:tst100,INIT:0", "l:tst100,INIT:0,STACK,SERVER", NULL },
  { "init-s", "l:tst100,INIT:s", "l:tst100,INIT:S,STACK,SERVER", NULL },
  { "init-bare", "l:tst100,INIT", NULL, "needs a run level" },
  { "init-bad", "l:tst100,INIT:9", NULL, "unknown run level" },
  { "ac62-pause", "l:tst100,PAUSE", "l:tst100,S3,STACK,SERVER", NULL },   /* REC: a real pause */
  { "ac62-pause-value", "l:tst100,PAUSE:1", NULL, "PAUSE takes no value" },
  { "ac62-s3", "l:tst100,S3", "l:tst100,S3,STACK,SERVER", NULL },
  { "suspend", "l:tst100,SUSPEND", "l:tst100,SUSPEND,STACK,SERVER", NULL },
  { "suspend-file", "l:tst100,S4:/var/lib/x.stat", "l:tst100,SUSPEND:/var/lib/x.stat,STACK,SERVER", NULL },
  { "timeout", "l:tst100,TIMEOUT:5", "l:tst100,POWEROFF,STACK,SERVER,TIMEOUT:5", NULL },
  { "timeout-flag", "l:tst100,TIMEOUT", NULL, "needs a value" },
  { "timeout-bad", "l:tst100,TIMEOUT:5s", NULL, "number of seconds" },
  { "user", "l:tst100,USER:root%pw", "l:tst100,POWEROFF,STACK,SERVER,USER:root%pw", NULL },
  { "self-both", "l:tst100,self,BOTH,stack", "l:tst100,POWEROFF,STACK,SELF,BOTH", NULL },
  { "all-self", "ALL,SELF,POWEROFF:0", "ALL,POWEROFF:0,STACK,SELF,SERVER", NULL },
  { "all-base", "ALL,b:xen", "b:xen,ALL,POWEROFF,STACK,SERVER", NULL },
  { "all-value", "ALL:x", NULL, "takes no value" },
  { "all-label", "ALL,l:tst100", NULL, "ALL cannot be combined with a machine address" },
  { "client", "l:tst100,CLIENT", "l:tst100,STACK,CLIENT", NULL },
  { "client-reboot", "l:tst100,CLIENT,REBOOT", "l:tst100,REBOOT,STACK,CLIENT", NULL },
  { "client-init", "l:tst100,INIT:3,CLIENT", "l:tst100,INIT:3,STACK,CLIENT", NULL },
  { "client-s3", "l:tst100,CLIENT,S3", "l:tst100,S3,STACK,CLIENT", NULL },
  { "client-poweroff", "l:tst100,CLIENT,POWEROFF", NULL, "CLIENT cannot be combined with “POWEROFF”" },
  { "client-s5", "l:tst100,S5:3,CLIENT", NULL, "CLIENT cannot be combined with “S5”" },
  { "client-suspend", "l:tst100,CLIENT,SUSPEND", NULL, "CLIENT cannot be combined" },
  { "client-s4", "l:tst100,CLIENT,S4", NULL, "CLIENT cannot be combined" },
  { "client-reset", "l:tst100,CLIENT,RESET", NULL, "CLIENT cannot be combined" },
  /* mutual exclusion: methods */
  { "methods/reboot-poweroff", "l:tst100,REBOOT,POWEROFF", NULL, "the methods exclude each other (“REBOOT” and “POWEROFF”)" },
  { "methods/reset-reboot", "l:tst100,RESET,REBOOT", NULL, "exclude each other" },
  { "methods/init-s3", "l:tst100,INIT:1,S3", NULL, "exclude each other" },
  { "methods/suspend-s4", "l:tst100,SUSPEND,S4", NULL, "exclude each other" },
  { "methods/poweroff-s5", "l:tst100,POWEROFF,S5:1", NULL, "exclude each other" },
  { "methods/twice", "l:tst100,POWEROFF,POWEROFF", NULL, "exclude each other" },
  /* mutual exclusion: parts, FORCE/STACK */
  { "parts/client-server", "l:tst100,CLIENT,SERVER", NULL, "CLIENT, SERVER and BOTH exclude each other" },
  { "parts/server-both", "l:tst100,SERVER,BOTH", NULL, "exclude each other" },
  { "parts/twice", "l:tst100,BOTH,BOTH", NULL, "exclude each other" },
  { "force-stack", "l:tst100,FORCE,STACK", NULL, "FORCE and STACK exclude each other" },
  { "force-value", "l:tst100,FORCE:yes", NULL, "FORCE takes no value" },
  /* address */
  { "missing-address", "POWEROFF:0", NULL, "missing machine address" },
  { "base-only", "b:xen", NULL, "missing machine address" },
  { "relative-pathname", "p:xen/x.conf", NULL, "use f:" },
  { "mac", "m:00:50:56:13:11:40,FORCE", "m:00:50:56:13:11:40,POWEROFF,FORCE,SERVER", NULL },
  { "unknown", "l:tst100,KILL", NULL, "unknown suboption “KILL”" },
  { "console", "l:tst100,CONSOLE:vnc", NULL, "unknown suboption “CONSOLE:vnc”" },
};

static void
test_cancel_case (gconstpointer data)
{
  const RequestCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckCancelRequest) r = deck_cancel_request_parse (c->text, &error);
  g_autofree char *s = NULL;

  if (c->canonical == NULL)
    {
      g_assert_null (r);
      g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
      assert_message (error, "CANCEL: ");
      assert_message (error, c->part);
      return;
    }
  g_assert_no_error (error);
  s = deck_cancel_request_to_string (r);
  g_assert_cmpstr (s, ==, c->canonical);
  {
    g_autoptr(DeckCancelRequest) again = cancel_ok (s);
    g_autoptr(DeckCancelRequest) copy = deck_cancel_request_copy (r);
    g_autofree char *s2 = deck_cancel_request_to_string (again);
    g_autofree char *s3 = deck_cancel_request_to_string (copy);

    g_assert_cmpstr (s2, ==, s);
    g_assert_cmpstr (s3, ==, s);
  }
}

/* §12.5 cases that are about the call's words. */
static void
test_cancel_acceptance (void)
{
  g_autoptr(DeckCancelRequest) ac55 = cancel_ok ("l:tst100");
  g_autoptr(DeckCancelRequest) ac57 = cancel_ok ("l:tst100,TIMEOUT:5");
  g_autoptr(DeckCancelRequest) ac60 = cancel_ok ("l:tst100,FORCE,REBOOT");
  g_autoptr(DeckCancelRequest) ac61 = cancel_ok ("l:tst100,FORCE,INIT:6");
  g_autoptr(DeckCancelRequest) ac62 = cancel_ok ("l:tst100,S3");
  g_autoptr(DeckCancelRequest) ac64 = cancel_ok ("ALL,SELF,POWEROFF:0");
  g_autoptr(DeckCancelRequest) ac67 = cancel_ok ("l:tst100,CLIENT");
  g_autoptr(DeckCall) ac58 = parse_ok ("-t xen -a cancel=l:tst100,FORCE,RESET -c off -C off lab00");
  DeckCallJob *j58 = job (ac58, 0);

  g_assert_cmpint (ac55->method, ==, DECK_CANCEL_POWEROFF);
  g_assert_false (ac55->method_given);
  g_assert_cmpint (ac55->delay, ==, DECK_CALL_UNSET);  /* DEFAULT_KILL_DELAY_POWEROFF */
  g_assert_cmpint (ac55->parts, ==, DECK_CANCEL_SERVER);
  g_assert_false (ac55->parts_given);
  g_assert_false (ac55->force);
  g_assert_cmpint (ac57->timeout, ==, 5);
  g_assert_cmpint (ac60->method, ==, DECK_CANCEL_REBOOT);
  g_assert_true (ac60->force);
  g_assert_cmpint (ac61->method, ==, DECK_CANCEL_INIT);
  g_assert_cmpstr (ac61->init_level, ==, "6");
  g_assert_cmpint (ac62->method, ==, DECK_CANCEL_PAUSE);
  g_assert_true (deck_address_get_all (ac64->address));
  g_assert_true (ac64->self);
  g_assert_cmpint (ac64->delay, ==, 0);
  g_assert_cmpint (ac67->parts, ==, DECK_CANCEL_CLIENT);

  g_assert_nonnull (j58->cancel);
  g_assert_cmpint (j58->cancel->method, ==, DECK_CANCEL_RESET);
  g_assert_true (j58->cancel->force);
  g_assert_cmpint (j58->options->ns_cache, ==, DECK_CALL_NS_CACHE_OFF);
  g_assert_cmpint (j58->options->data_cache, ==, 0);
  g_assert_cmpint (j58->options->sync, ==, DECK_CALL_SYNC_ASYNC);  /* CANCEL default */
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (create_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/call/create/%s", create_cases[i].name);

      g_test_add_data_func (path, &create_cases[i], test_create_case);
    }
  g_test_add_func ("/deck/call/create-fields", test_create_fields);
  g_test_add_func ("/deck/call/location-matrix", test_location_matrix);
  for (gsize i = 0; i < G_N_ELEMENTS (forced_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/call/forced/%s", forced_cases[i].name);

      g_test_add_data_func (path, &forced_cases[i], test_forced_case);
    }
  g_test_add_func ("/deck/call/create-apply", test_create_apply);
  g_test_add_func ("/deck/call/create-acceptance", test_create_acceptance);
  for (gsize i = 0; i < G_N_ELEMENTS (cancel_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deck/call/cancel/%s", cancel_cases[i].name);

      g_test_add_data_func (path, &cancel_cases[i], test_cancel_case);
    }
  g_test_add_func ("/deck/call/cancel-acceptance", test_cancel_acceptance);
  return g_test_run ();
}
