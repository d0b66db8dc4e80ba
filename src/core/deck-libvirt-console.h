/* deck-libvirt-console.h: the console of a DeckLibvirt domain as a GIOStream (internal)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/* Takes @st (an open, non-blocking console stream of domain @name; @where names the host
 * in messages) and returns the far end of a socket pair that is pumped to and from it on
 * the default main context: the guest's output to read, keystrokes to write, end-of-file
 * when the guest or the connection goes; closing it closes the console. */
GIOStream *deck_libvirt_console_pump_new (virStreamPtr  st,
                                          const char   *where,
                                          const char   *name,
                                          GError      **error);

G_END_DECLS
