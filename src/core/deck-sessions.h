/* deck-sessions.h: the clients and tunnels vmdeck processes hold open, for LIST (spec §5.3)
 *
 * A console window (a CLIENT: VNC viewer, serial console) or an SSH port forward (a
 * TUNNEL, session type "SSH(<type>)") registers itself as one 22-field LIST record in
 * $XDG_RUNTIME_DIR/vmdeck/sessions/, one file per session, and unregisters when it ends.
 * LIST on this machine adds the records whose process (field 11, PID) still runs; files
 * of processes that died are removed as they are found. Writes are atomic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @fields: the 22 LIST fields (field 11 the owning PID, field 14 CLIENT or TUNNEL); values
 * must pass deck_record_check_value. Returns a token for deck_sessions_unregister. */
char       *deck_sessions_register   (const char * const *fields,
                                      GError            **error);
void        deck_sessions_unregister (const char         *token);
/* The records of live sessions: GPtrArray of GStrv (22 fields each), in file name order. */
GPtrArray  *deck_sessions_list       (void);

/* The CLIENT records of live sessions for the machine @label (GPtrArray of GStrv). */
GPtrArray  *deck_sessions_clients    (const char         *label);
/* Ends the client process of the session record @fields (SIGTERM to its PID). */
gboolean    deck_sessions_end        (char              **fields,
                                      GError            **error);

/* A tunnel record (spec §5.3.2): label = the machine's label, ID "<lport>-<rport>",
 * CPORT the local port, SPORT the remote one, type "SSH(<type>)", PID/UID/GID of this
 * process, C/S TUNNEL; field 1 is this machine. */
char      **deck_sessions_tunnel_fields (const char *label,
                                         const char *type,
                                         guint       local_port,
                                         guint       remote_port);
/* A client record: label, type ("VNC", "CLI", ...), the local port or display it uses
 * (0 = none), C/S CLIENT, PID/UID/GID of this process. */
char      **deck_sessions_client_fields (const char *label,
                                         const char *type,
                                         guint       port);

G_END_DECLS
