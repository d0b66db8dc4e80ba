/* deck-ssh-master.h: one OpenSSH master connection per host, and commands over it
 *
 * The master is an ordinary OpenSSH ControlMaster (ControlPath in
 * deck_ssh_get_control_dir(), ControlPersist), so it outlives the process that started it
 * and the next ctys call, libvirt's ssh transport (through vmdeck-ssh) and port forwards
 * all ride it. Within one process a DeckSshMaster starts it at most once at a time:
 * concurrent callers wait for the same attempt. A master that is already up (from an
 * earlier call) is found with "ssh -O check" and reused.
 *
 * Everything is asynchronous (GSubprocess + GTask); every call has a timeout and a
 * GCancellable, and a cancelled or timed-out ssh is killed. Failures are mapped from
 * ssh's own message:
 *   DECK_ERROR_HOST_KEY          host key changed or unknown (nothing was run)
 *   DECK_ERROR_PERMISSION        the key/password was refused
 *   DECK_ERROR_HOST_UNREACHABLE  refused, timed out, no route, dropped mid-command
 *   DECK_ERROR_REMOTE_FAILED     the remote command exited non-zero (its stderr in the message)
 * Each message begins with the host name and carries ssh's own words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-ssh-command.h"

G_BEGIN_DECLS

#define DECK_TYPE_SSH_MASTER (deck_ssh_master_get_type ())
G_DECLARE_FINAL_TYPE (DeckSshMaster, deck_ssh_master, DECK, SSH_MASTER, GObject)

/* @target: host, user, port, identity, options, program, batch mode (copied). */
DeckSshMaster  *deck_ssh_master_new            (DeckSshCommand     *target);
DeckSshCommand *deck_ssh_master_get_target     (DeckSshMaster      *self);
const char     *deck_ssh_master_get_host       (DeckSshMaster      *self);

/* Seconds a connection attempt may take in all (default 15). */
void            deck_ssh_master_set_connect_timeout (DeckSshMaster *self,
                                                guint               seconds);

/* Makes sure the master is up. */
void            deck_ssh_master_connect_async  (DeckSshMaster      *self,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
gboolean        deck_ssh_master_connect_finish (DeckSshMaster      *self,
                                                GAsyncResult       *result,
                                                GError            **error);

/* Runs @remote_argv on the host through the master (connecting first when needed), with
 * @stdin_data (may be NULL) on its stdin. @timeout_s 0 = no limit beyond cancellation.
 * finish: stdout and stderr are returned when the command ran, also when it failed
 * (DECK_ERROR_REMOTE_FAILED); @exit_status gets the remote status (-1 when it did not run). */
void            deck_ssh_master_run_async      (DeckSshMaster      *self,
                                                const char * const *remote_argv,
                                                GBytes             *stdin_data,
                                                guint               timeout_s,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
gboolean        deck_ssh_master_run_finish     (DeckSshMaster      *self,
                                                GAsyncResult       *result,
                                                GBytes            **stdout_out,
                                                char              **stderr_out,
                                                int                *exit_status,
                                                GError            **error);

/* Adds a local forward through the master: @listen is "[addr:]port" or a socket path,
 * connections go to @to_host:@to_port as seen from the host. */
void            deck_ssh_master_forward_async  (DeckSshMaster      *self,
                                                const char         *listen,
                                                const char         *to_host,
                                                guint               to_port,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
gboolean        deck_ssh_master_forward_finish (DeckSshMaster      *self,
                                                GAsyncResult       *result,
                                                GError            **error);
/* Removes a forward added with the same arguments. */
void            deck_ssh_master_cancel_forward_async  (DeckSshMaster *self,
                                                const char         *listen,
                                                const char         *to_host,
                                                guint               to_port,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
gboolean        deck_ssh_master_cancel_forward_finish (DeckSshMaster *self,
                                                GAsyncResult       *result,
                                                GError            **error);

/* Stops the master (ssh -O exit); harmless when none runs. */
void            deck_ssh_master_exit_async     (DeckSshMaster      *self,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
gboolean        deck_ssh_master_exit_finish    (DeckSshMaster      *self,
                                                GAsyncResult       *result,
                                                GError            **error);

/* Turns ssh's exit status 255 and its stderr into the errors above (exported for tests). */
GError         *deck_ssh_error_from_stderr     (const char         *host,
                                                const char         *stderr_text);

G_END_DECLS
