/* deck-vnc-tab.h: a console tab showing a domain's VNC display (gtk-vnc)
 *
 * The display of a running domain is found through the tab's backend
 * (DeckDomainInfo.vnc_port: libvirt's graphics port; with xl the port xl or xenstore
 * report, e.g. a Xen PV framebuffer's). Keys (send-keys, type-text) always go through
 * gtk-vnc, never the hypervisor (libxl has no send-key). On the machine vmdeck runs on, gtk-vnc connects to it directly (127.0.0.1, or the
 * libvirt URI's host); on a remote DeckHost it goes through a forward of a private unix
 * socket (in the ssh control directory, mode 0600) on the host's ssh master to
 * 127.0.0.1:<port> on that host, so no second ssh login happens. Each connection gets a
 * fresh VncDisplay and, remotely, a fresh forward; closing the connection (tab closed,
 * machine stopped, link lost) drops both, and the forward is cancelled on the master even
 * after the tab is gone (the GApplication, if any, is held until that is done).
 *
 * Actions in the "tab" group, beside the base class's:
 *   tab.scale-to-fit (boolean state)  fit the window (TRUE) or show the guest 1:1
 *   tab.send-keys (string)            a key combination: DECK_VNC_TAB_KEYS_* names
 *   tab.type-text (string)            the string as key presses (deck_vnc_tab_type_text;
 *                                     the toolbar's "Type Text" popover)
 *   tab.screenshot                    save the screen to a PNG file (file chooser)
 *   tab.fullscreen                    toggle fullscreen; a tab sharing its window (the
 *                                     main window, other tabs) is detached into its own
 *                                     window first
 *
 * When the server asks for credentials (VNC password), a bar above the display asks for
 * them. A keyboard icon in the toolbar shows while the display holds the keyboard grab.
 *
 * While connected the tab is a CLIENT of type "VNC" in the session registry
 * (deck-sessions.h; CPORT the VNC port, none through a forward) and a remote forward a
 * TUNNEL "SSH(<domain type>)" (CPORT 0: a unix socket, SPORT the VNC port), so that LIST
 * shows them and CANCEL CLIENT can end the process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <vncdisplay.h>

#include "deck-console-tab.h"

G_BEGIN_DECLS

/* Names of deck_vnc_tab_send_keys() and the tab.send-keys action. */
#define DECK_VNC_TAB_KEYS_CTRL_ALT_DEL       "ctrl-alt-del"
#define DECK_VNC_TAB_KEYS_CTRL_ALT_BACKSPACE "ctrl-alt-backspace"
/* "ctrl-alt-f1" ... "ctrl-alt-f12" switch the guest's virtual terminal. */

#define DECK_TYPE_VNC_TAB (deck_vnc_tab_get_type ())
G_DECLARE_FINAL_TYPE (DeckVncTab, deck_vnc_tab, DECK, VNC_TAB, DeckConsoleTab)

/* @host: the host @libvirt's daemon runs on; NULL (or the local host) for this machine. */
DeckVncTab  *deck_vnc_tab_new             (DeckLibvirt  *libvirt,
                                           const char   *domain,
                                           DeckHost     *host);
/* The same on a domain of the xl backend (the host is @xl's). */
DeckVncTab  *deck_vnc_tab_new_xl          (DeckXl       *xl,
                                           const char   *domain);

/* The display of the current connection (NULL while there is none). */
VncDisplay  *deck_vnc_tab_get_display     (DeckVncTab   *self);
/* TRUE once the current connection has received a framebuffer update (the guest's screen
 * is there to see). Property "has-frame". */
gboolean     deck_vnc_tab_get_has_frame   (DeckVncTab   *self);

/* Fit the window (TRUE, the default) or 1:1 with scroll bars. Property "scale-to-fit". */
gboolean     deck_vnc_tab_get_scale_to_fit (DeckVncTab  *self);
void         deck_vnc_tab_set_scale_to_fit (DeckVncTab  *self,
                                            gboolean     fit);

/* Sends a key combination by name (see above). FALSE for an unknown name or when not
 * connected. */
gboolean     deck_vnc_tab_send_keys       (DeckVncTab   *self,
                                           const char   *name);
/* Types @text (printable ASCII, '\n' as Return, '\t' as Tab) as key presses, Shift
 * where the character needs it. FALSE (nothing sent) when not connected or @text holds
 * a character that cannot be typed. */
gboolean     deck_vnc_tab_type_text       (DeckVncTab   *self,
                                           const char   *text);

/* Saves the guest's screen as PNG. G_IO_ERROR_NOT_CONNECTED when there is no picture. */
gboolean     deck_vnc_tab_save_screenshot (DeckVncTab   *self,
                                           const char   *path,
                                           GError      **error);

G_END_DECLS
