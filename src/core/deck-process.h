/* deck-process.h: one child process run asynchronously, with a timeout
 *
 * The single place where vmdeck spawns programs: an argv (never a shell string), optional
 * stdin data, stdout and stderr collected, a timeout after which the child is killed, and
 * cancellation that kills it too. Used for ssh (deck-ssh-master.c) and for commands on
 * the local host (deck-host.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  DECK_PROCESS_NONE = 0,
  /* stdout goes nowhere and stderr to a temporary file read after the child exits: for a
   * child that leaves a daemon behind holding its stdout/stderr (ssh -f) */
  DECK_PROCESS_DETACHING = 1 << 0,
} DeckProcessFlags;

/* @what names the peer in the timeout message ("<what>: no answer within N s").
 * The task's source object is @source_object (may be NULL). */
void     deck_process_run_async  (gpointer            source_object,
                                  const char * const *argv,
                                  GBytes             *stdin_data,
                                  guint               timeout_s,
                                  DeckProcessFlags    flags,
                                  const char         *what,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data);
/* TRUE once the child exited (whatever its status, which is -1 when it was killed by a
 * signal); FALSE with G_IO_ERROR_CANCELLED, DECK_ERROR_HOST_UNREACHABLE (timeout) or
 * DECK_ERROR_FAILED (cannot start). */
gboolean deck_process_run_finish (GAsyncResult       *result,
                                  GBytes            **stdout_out,
                                  char              **stderr_out,
                                  int                *exit_status,
                                  GError            **error);

/* One line for messages and dry runs (ctys -n): the words joined by spaces, each word that
 * a POSIX shell would not read as itself quoted, so the line can be pasted into a shell. */
char    *deck_process_describe_argv (const char * const *argv);

G_END_DECLS
