/* deck-host.h: a host vmdeck works on (the local machine or one reached over SSH)
 *
 * A host has a name (as the user writes it: "lab00", "root@lab00" gives user root), its
 * SSH target and master connection (remote hosts only), libvirt URIs per hypervisor
 * driver, the privilege raising it allows (ctys -Z, spec §3.5) and a reachability state
 * that follows every command run on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-ssh-command.h"
#include "deck-ssh-master.h"
#include "deck-targets.h"

G_BEGIN_DECLS

#define DECK_TYPE_HOST (deck_host_get_type ())
G_DECLARE_FINAL_TYPE (DeckHost, deck_host, DECK, HOST, GObject)

typedef enum {
  DECK_HOST_STATE_UNKNOWN,
  DECK_HOST_STATE_CONNECTING,
  DECK_HOST_STATE_REACHABLE,
  DECK_HOST_STATE_UNREACHABLE,
} DeckHostState;

/* Which hypervisor backend actions use on the host (issue 4): AUTO asks libvirt and xl and
 * uses what answers; the others pin one. */
typedef enum {
  DECK_BACKEND_AUTO,
  DECK_BACKEND_LIBVIRT,
  DECK_BACKEND_XL,
} DeckBackendChoice;

/* -Z mechanisms; both off by default (spec §3.5). */
typedef enum {
  DECK_PRIVILEGE_KSU  = 1 << 0,
  DECK_PRIVILEGE_SUDO = 1 << 1,
} DeckPrivilege;

/* The machine vmdeck runs on: no SSH. */
DeckHost       *deck_host_new_local           (void);
/* A remote host; @user NULL = ssh's default (~/.ssh/config, then the login name).
 * DECK_ERROR_INVALID_VALUE for a bad name. */
DeckHost       *deck_host_new                 (const char         *name,
                                               const char         *user,
                                               GError            **error);
/* From a target of a ctys call or group file: "localhost" and this machine's node name
 * give the local host; "-l <user>", "-Z <mechanisms>" and vmdeck's "--uri=<libvirt URI>",
 * "--backend=auto|libvirt|xl" and "--ssh-port=<port>" among the target's options apply (the
 * last of each wins). */
DeckHost       *deck_host_new_from_target     (const DeckTarget   *target,
                                               GError            **error);

const char     *deck_host_get_name            (DeckHost           *self);
gboolean        deck_host_is_local            (DeckHost           *self);
/* The SSH target (NULL for the local host); change it before the first command. */
DeckSshCommand *deck_host_get_ssh             (DeckHost           *self);
/* The master connection (NULL for the local host), created on first use. */
DeckSshMaster  *deck_host_get_master          (DeckHost           *self);

DeckHostState   deck_host_get_state           (DeckHost           *self);
/* Why the host is unreachable (NULL otherwise). */
const char     *deck_host_get_state_message   (DeckHost           *self);

/* libvirt URI for @driver ("qemu", "xen", "test", ...): one set with set_libvirt_uri,
 * else "<driver>:///system" locally and deck_ssh_command_libvirt_uri() remotely. */
char           *deck_host_get_libvirt_uri     (DeckHost           *self,
                                               const char         *driver);
/* TRUE when a URI was set for @driver (--uri, set_libvirt_uri). */
gboolean        deck_host_has_libvirt_uri     (DeckHost           *self,
                                               const char         *driver);
void            deck_host_set_libvirt_uri     (DeckHost           *self,
                                               const char         *driver,
                                               const char         *uri);

/* "--uri=<uri>": the libvirt URI for the driver its scheme names ("qemu+unix://..." sets
 * the "qemu" URI). DECK_ERROR_USAGE for something that is no URI. */
gboolean        deck_host_take_uri_option     (DeckHost           *self,
                                               const char         *uri,
                                               GError            **error);

DeckBackendChoice deck_host_get_backend       (DeckHost           *self);
void            deck_host_set_backend         (DeckHost           *self,
                                               DeckBackendChoice   backend);
/* "auto", "libvirt" or "xl" (any case); DECK_ERROR_USAGE for anything else. */
gboolean        deck_backend_choice_parse     (const char         *value,
                                               DeckBackendChoice  *backend,
                                               GError            **error);

DeckPrivilege   deck_host_get_privilege       (DeckHost           *self);
void            deck_host_set_privilege       (DeckHost           *self,
                                               DeckPrivilege       privilege);
/* Applies a -Z value ("KSU", "SUDO", "NOKSU", "NOSUDO", "ALL", comma-separated, any case)
 * to @privilege. DECK_ERROR_USAGE for anything else. */
gboolean        deck_privilege_parse          (const char         *value,
                                               DeckPrivilege      *privilege,
                                               GError            **error);

/* Runs @argv on the host (locally without a shell, remotely through the master) and
 * updates the state. Results as deck_ssh_master_run_finish. */
void            deck_host_run_async           (DeckHost           *self,
                                               const char * const *argv,
                                               GBytes             *stdin_data,
                                               guint               timeout_s,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean        deck_host_run_finish          (DeckHost           *self,
                                               GAsyncResult       *result,
                                               GBytes            **stdout_out,
                                               char              **stderr_out,
                                               int                *exit_status,
                                               GError            **error);

/* Makes sure the host answers (connects the master; the local host always answers). */
void            deck_host_connect_async       (DeckHost           *self,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean        deck_host_connect_finish      (DeckHost           *self,
                                               GAsyncResult       *result,
                                               GError            **error);

/* Whether the host runs on Xen (/proc/xen/capabilities exists), asked once in one round
 * trip and remembered. finish: TRUE/FALSE; errors of
 * the connection only. */
void            deck_host_probe_xen_async     (DeckHost           *self,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean        deck_host_probe_xen_finish    (DeckHost           *self,
                                               GAsyncResult       *result,
                                               gboolean           *is_xen,
                                               GError            **error);

/* The call prefix for a privileged tool (spec §3.5), probed once per tool, each try a
 * plain argv on the host: the login is root ("id -u"), or "@probe_argv" works as it is →
 * empty prefix; else, if enabled, "ksu -q -e" then "sudo -n" with the probe. finish: a
 * NULL-terminated prefix (possibly empty); DECK_ERROR_PERMISSION naming -Z KSU / -Z SUDO
 * when nothing works. */
void            deck_host_probe_privilege_async (DeckHost         *self,
                                               const char * const *probe_argv,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
char          **deck_host_probe_privilege_finish (DeckHost        *self,
                                               GAsyncResult       *result,
                                               GError            **error);

G_END_DECLS
