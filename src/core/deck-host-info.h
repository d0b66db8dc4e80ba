/* deck-host-info.h: SHOW (dynamic) and INFO (static) data of a host (spec §5.5)
 *
 * One round trip per host: a POSIX sh script (nothing installed on the host) prints
 * "key<TAB>value" lines that are parsed here. SHOW: node, OS, kernel, machine, uptime,
 * load, memory and swap, the busiest processes. INFO: node, OS, kernel, machine, CPUs
 * with their virtualisation flags, memory, the hypervisor the host runs on, the tools
 * vmdeck's backends use (virsh, libvirtd, QEMU, xl) with their versions, and which
 * backends are present.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-host.h"

G_BEGIN_DECLS

typedef enum {
  DECK_HOST_INFO_SHOW,
  DECK_HOST_INFO_INFO,
} DeckHostInfoKind;

typedef struct {
  char *key;     /* "node", "mem-total-kib", "tool-virsh", "backend-libvirt", ... */
  char *value;
} DeckHostInfoItem;

void        deck_host_info_item_free (DeckHostInfoItem *item);

/* The remote argv of @kind ("sh" "-c" <script>). */
char      **deck_host_info_argv      (DeckHostInfoKind    kind);
/* Parses the script's output into items (GPtrArray of DeckHostInfoItem, in output order);
 * lines that are not "key<TAB>value" are skipped. */
GPtrArray  *deck_host_info_parse     (const char         *text);
/* The value of @key, or NULL. */
const char *deck_host_info_lookup    (GPtrArray          *items,
                                      const char         *key);

void        deck_host_info_async     (DeckHost           *host,
                                      DeckHostInfoKind    kind,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
GPtrArray  *deck_host_info_finish    (DeckHost           *host,
                                      GAsyncResult       *result,
                                      GError            **error);

/* Human-readable block: a "<host>" heading and aligned "key  value" lines. @terse: one
 * ';'-joined line "host;key=value;..." instead. */
char       *deck_host_info_render    (const char         *host,
                                      GPtrArray          *items,
                                      gboolean            terse);

G_END_DECLS
