/* xen-testutil.h: what the test programs of suite xen share (the Xen lab host)
 *
 * The host is tests/lab/xenhost: Xen 4.17 with a Debian 12 Dom0 under QEMU (TCG), reached
 * over ssh on a loopback port ("labxen" in the ssh config it exports as VMDECK_SSH).
 * xen_test_setup() uses a running one ($LAB_XEN_DIR, "xenhost env") or brings one up and
 * takes it down when the program ends. With @with_lab, the libvirt lab (tests/lab/lab)
 * comes up first and the Xen host mounts the lab's shared directory, as labh1/labh2 do
 * (multipath registration); VMDECK_SSH then names one ssh config that includes both.
 *
 * What the checks read on the Dom0: "xl list" state letters and the guest console logs
 * that xenconsoled writes (the lab's DomUs print "VMDECK-XEN <name> READY" on hvc0 each
 * time they boot).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* Generous: TCG twice over (xl create ~20-40 s, save ~15 s, restore ~30-45 s). */
#define XEN_CTYS_TIMEOUT 300
#define XEN_BANNER_TIMEOUT 240

typedef struct {
  int status;
  char *out;
  char *err;
  double seconds;
} XenRun;

void    xen_run_free      (XenRun *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XenRun, xen_run_free)

/* Brings the host up (see above); prints the timings into the TAP stream. Returns NULL, or
 * the reason why the program must skip (the host cannot run here); bails out when the host
 * fails to come up. Sets LAB_XEN_*, VMDECK_SSH, VMDECK_XEN_DIR and XDG_RUNTIME_DIR (private
 * to the program), and unsets VMDECK_NODENAME. */
char   *xen_test_setup    (gboolean with_lab);

/* Runs @argv (no shell) under "timeout": a hung command fails the test instead of hanging. */
XenRun *xen_run_argv      (const char * const *argv,
                           guint               timeout);
/* A built program (ctys, ctys-vdbgen) with @args; logged with g_test_message. */
XenRun *xen_prog          (const char         *name,
                           const char * const *args);
#define xen_ctys(...) xen_prog ("ctys", (const char *[]) { __VA_ARGS__, NULL })

/* A command on the Dom0 as root. The words are constants of the test (names of the lab's
 * DomUs and paths without blanks): ssh joins them with spaces for the remote shell. */
XenRun *xen_dom0_argv     (const char * const *words);
#define xen_dom0(...) xen_dom0_argv ((const char *[]) { __VA_ARGS__, NULL })

/* "xenhost COMMAND [ARG]" (stop/start of a service); fails the test when it fails. */
void    xen_lab_command   (const char *command,
                           const char *arg);

/* @name's domain id and state letters ("r-----", "--p---", ...) in "xl list"; FALSE when
 * it is not listed. */
gboolean xen_xl_lookup    (const char  *name,
                           char       **id,
                           char       **state);
/* The state letters alone, NULL when not listed. */
char   *xen_xl_state      (const char *name);
gboolean xen_xl_running   (const char *name);
/* @what: "running", "paused" or "absent" (waits up to 60 s for a dying domain to go). */
void    xen_assert_xl     (const char *name,
                           const char *what);
/* xl destroy, when it runs. */
void    xen_xl_off        (const char *name);
/* Until xl lists @name as running. */
void    xen_wait_running  (const char *name);

/* The number of boot banners in @name's console log; waiting for number @count returns
 * the seconds it took. */
guint   xen_banners       (const char *name);
double  xen_wait_banners  (const char *name,
                           guint       count);
