/* deck-libvirt-private.h: what deck-libvirt.c shares with deck-libvirt-wait.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "deck-libvirt.h"

G_BEGIN_DECLS

#define POLL_INTERVAL_MS 500

struct _DeckLibvirt
{
  GObject parent_instance;

  char *uri;
  char *label;                /* as given, or NULL */
  char *where;                /* what messages name: label, URI host, or "localhost" */
  GMainContext *context;      /* where signals are emitted */

  virConnectPtr conn;         /* NULL: not connected */
  GVirConnection *gconn;
  int lifecycle_id;           /* -1: none */
  guint serial;               /* of the current connection (0: none); callbacks carry the
                               * serial of their connection, stale ones are ignored */
  guint next_serial;
  guint attempt;              /* bumped by connect and close: a slower connect is dropped */
  gboolean connected;
};

typedef enum {
  CALL_LIST,
  CALL_LOOKUP,
  CALL_STATE,
  CALL_CONTROL,
  CALL_DEFINE,
  CALL_FROM_NATIVE,
  CALL_UNDEFINE,
  CALL_CONSOLE,
  CALL_INFO,
} CallKind;

/* Starts @kind in a worker thread; fails the task at once when not connected. */
void     deck_libvirt_call_start   (DeckLibvirt        *self,
                                    CallKind            kind,
                                    const char         *name,
                                    DeckDomainOp        op,
                                    const char         *arg,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data,
                                    gpointer            source_tag);
/* TRUE when @result is one of @self's tasks with @source_tag. */
gboolean deck_libvirt_check_result (DeckLibvirt        *self,
                                    GAsyncResult       *result,
                                    gpointer            source_tag);

G_END_DECLS
