/* deck-console-tab.h: the base of the console tabs (VNC, serial)
 *
 * A console tab shows one console of one domain, reached through one of two backends:
 * @libvirt (a DeckLibvirt, shared with whoever else talks to that daemon) or @xl (a
 * DeckXl: the xl toolstack over ssh, no events). Exactly one of them is set. @domain is
 * the domain's name and @host the DeckHost it runs on (NULL or the local host: the machine
 * vmdeck runs on; with @xl, the DeckXl's host when not given). The base class does what
 * every console needs and the subclasses only open and close their own kind of connection:
 *
 *   - connect_async: connects @libvirt when it is not, looks the domain up (libvirt's
 *     lookup; with xl "xl list", where a domain that is not listed is shut off), and hands
 *     the running domain to the subclass's open_async (which opens the VNC display or the
 *     serial console). A domain that is not running fails with DECK_ERROR_FAILED and the
 *     tab waits in state STOPPED for it to start: libvirt's "domain-changed" says when;
 *     xl has no events (and libvirt's libxl driver sends no "started" when it restarts a
 *     rebooted domain), so a STOPPED tab also asks every DECK_CONSOLE_TAB_POLL_SECONDS.
 *   - state ("state", "status"): what the tab is doing, shown in an info bar with a
 *     Reconnect button and as an icon/spinner in the tab label.
 *   - reconnecting: when the subclass reports a lost link (deck_console_tab_connection_lost)
 *     the tab asks libvirt whether the domain still runs: if not, the subclass closes its
 *     connection (nothing stale stays on the screen) and the tab waits in STOPPED until
 *     libvirt's "domain-changed" says it runs again; if it does (a reboot, a dropped link)
 *     the tab reconnects with back-off (1, 2, 4, ... 30 s; after
 *     DECK_CONSOLE_TAB_MAX_RETRIES failed attempts it gives up in FAILED). A lost libvirt
 *     connection ("disconnected") is handled the same way.
 *   - lifetime: one GCancellable per tab, cancelled in dispose (and by disconnect); every
 *     operation of the tab uses it. Dispose also makes the subclass close, which frees its
 *     stream or ssh forward.
 *   - the tab label: deck_console_tab_get_tab_label() is a small widget (state icon or
 *     spinner, title, close button) for a notebook; its close button emits
 *     "close-requested".
 *   - actions: the group "tab" (deck_console_tab_get_actions) has "reconnect",
 *     "disconnect" and "detach" (deck_console_window_detach_tab: into a window of its own,
 *     connection and all; also the detach button of the tab label); subclasses add theirs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "deck-domain.h"
#include "deck-host.h"
#include "deck-libvirt.h"
#include "deck-xl.h"

G_BEGIN_DECLS

/* Failed reconnection attempts after which a tab stops trying (state FAILED). */
#define DECK_CONSOLE_TAB_MAX_RETRIES 8
/* How often a STOPPED tab asks its backend whether the domain runs again. */
#define DECK_CONSOLE_TAB_POLL_SECONDS 3

typedef enum {
  DECK_CONSOLE_STATE_IDLE,        /* not connected (not yet, or disconnected by the user) */
  DECK_CONSOLE_STATE_CONNECTING,
  DECK_CONSOLE_STATE_CONNECTED,
  DECK_CONSOLE_STATE_WAITING,     /* link lost; reconnecting with back-off */
  DECK_CONSOLE_STATE_STOPPED,     /* the machine does not run; reconnects once it does */
  DECK_CONSOLE_STATE_FAILED,      /* gave up; "Reconnect" tries again */
} DeckConsoleState;

GType deck_console_state_get_type (void) G_GNUC_CONST;
#define DECK_TYPE_CONSOLE_STATE (deck_console_state_get_type ())

#define DECK_TYPE_CONSOLE_TAB (deck_console_tab_get_type ())
G_DECLARE_DERIVABLE_TYPE (DeckConsoleTab, deck_console_tab, DECK, CONSOLE_TAB, GtkBox)

struct _DeckConsoleTabClass
{
  GtkBoxClass parent_class;

  /* What the title calls this kind of console ("VNC", "serial"). */
  const char *kind;

  /* Opens the console of running domain @info (called by connect_async once the domain is
   * known to run). Completes when the console shows the guest, or fails. @cancellable
   * fires when the tab disconnects or goes away. */
  void      (*open_async)  (DeckConsoleTab       *self,
                            const DeckDomainInfo *info,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
  gboolean  (*open_finish) (DeckConsoleTab       *self,
                            GAsyncResult         *result,
                            GError              **error);
  /* Closes whatever open_async opened (stream, display, forward); safe to call when
   * nothing is open. Must not block. */
  void      (*close)       (DeckConsoleTab       *self);

  /*< private >*/
  gpointer padding[8];
};

GType             deck_console_tab_get_type        (void);

/* The tab's backend: one of the two is NULL. */
DeckLibvirt      *deck_console_tab_get_libvirt     (DeckConsoleTab      *self);
DeckXl           *deck_console_tab_get_xl          (DeckConsoleTab      *self);
/* The host's name for messages ("labh1"; the libvirt URI's host label, "localhost"). */
const char       *deck_console_tab_get_host_label  (DeckConsoleTab      *self);
/* NULL when the domain runs on the machine vmdeck runs on. */
DeckHost         *deck_console_tab_get_host        (DeckConsoleTab      *self);
const char       *deck_console_tab_get_domain      (DeckConsoleTab      *self);
/* "deck-l1 (VNC)", "deck-h1 on labh1 (serial)". Property "title". */
const char       *deck_console_tab_get_title       (DeckConsoleTab      *self);
DeckConsoleState  deck_console_tab_get_state       (DeckConsoleTab      *self);
/* What the info bar says about the state (NULL while connected). Property "status". */
const char       *deck_console_tab_get_status      (DeckConsoleTab      *self);

/* Connects (see above). Finishes with TRUE once the console is open; errors: the
 * DECK_ERROR of the libvirt calls, DECK_ERROR_FAILED for a domain that is not running,
 * G_IO_ERROR_CANCELLED when @cancellable fires, the tab disconnects or goes away. The tab
 * shows the failure itself, so callers may pass no callback. While a connection attempt
 * runs, another one fails with G_IO_ERROR_PENDING. */
void              deck_console_tab_connect_async   (DeckConsoleTab      *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          deck_console_tab_connect_finish  (DeckConsoleTab      *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Closes the console and stops reconnecting (state IDLE); pending operations end with
 * G_IO_ERROR_CANCELLED. The tab stays usable: connect_async opens it again. */
void              deck_console_tab_disconnect      (DeckConsoleTab      *self);

/* The widget for a notebook's tab label (owned by the tab; it lives as long as the tab). */
GtkWidget        *deck_console_tab_get_tab_label   (DeckConsoleTab      *self);

/* Whether detaching makes sense where the tab is (FALSE: it is alone in a console window
 * already): shows or hides the tab label's detach button, enables tab.detach. TRUE by
 * default. */
void              deck_console_tab_set_can_detach  (DeckConsoleTab      *self,
                                                    gboolean             can_detach);

/* The "tab" action group (inserted on the tab itself). */
GActionMap       *deck_console_tab_get_actions     (DeckConsoleTab      *self);

/* --- for subclasses ------------------------------------------------------------------- */

/* Looks the tab's domain up through its backend (libvirt's lookup; xl: "xl list", a
 * domain it does not list comes back shut off with id -1). finish: the DeckDomainInfo. */
void              deck_console_tab_lookup_async    (DeckConsoleTab      *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
DeckDomainInfo   *deck_console_tab_lookup_finish   (DeckConsoleTab      *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Cancelled in dispose: for work that must stop when the tab goes away. */
GCancellable     *deck_console_tab_get_cancellable (DeckConsoleTab      *self);

/* The subclass's connection broke on its own (guest stopped or rebooted, link dropped):
 * the tab closes it, finds out why and reconnects or waits (see above). @reason may be
 * NULL. A connection that breaks within 10 s of being made keeps counting towards
 * DECK_CONSOLE_TAB_MAX_RETRIES, so a console that keeps breaking ends in FAILED. Ignored
 * unless the tab is CONNECTED. */
void              deck_console_tab_connection_lost (DeckConsoleTab      *self,
                                                    const char          *reason);
/* The subclass's connection broke and trying again would not help (or would do harm,
 * e.g. take a console back from another client): the tab closes it and shows @message
 * in state FAILED; Reconnect tries again. Ignored unless the tab is CONNECTED. */
void              deck_console_tab_connection_failed (DeckConsoleTab    *self,
                                                    const char          *message);

/* Registers @fields (22 LIST fields, taken) as a client or tunnel of this process for
 * LIST and CANCEL CLIENT (deck-sessions.h). Returns the token for
 * deck_sessions_unregister(), or NULL when it could not be registered (a debug message
 * says why; the console works all the same). */
char             *deck_console_tab_register_session (DeckConsoleTab   *self,
                                                    char             **fields);

/* Signals:
 *   "close-requested" (): the close button of the tab label was clicked. */

G_END_DECLS
