/* deck-libvirt.h: the libvirt backend (one connection to one libvirt URI)
 *
 * A DeckLibvirt talks to one libvirt daemon: the local one ("qemu:///system"), a session
 * socket ("qemu+unix:///session?socket=..."), or a remote one through the host's ssh
 * master (deck_host_get_libvirt_uri(): "qemu+ssh://...?command=<vmdeck-ssh>"). Used by the
 * command line (through a GMainLoop) and the window, so the calling thread never blocks:
 * every libvirt call runs in a GTask worker thread (libvirt's own API is synchronous and
 * thread-safe), results come back in the thread-default main context of the caller.
 *
 * Events: libvirt-glib runs libvirt's event loop on the global default GMainContext
 * (gvir_init_object, done once by deck_libvirt_new). Keepalives, domain lifecycle events
 * and console I/O are served there, so that context must be iterated (a GMainLoop or
 * GTK does that).
 *
 * Errors are DECK_ERROR with the host (host label, else the URI's host) and libvirt's own
 * message: "labh1: cannot start deck-h1: Requested operation is not valid: domain is
 * already running". Codes: _HOST_UNREACHABLE (daemon or host not reachable, connection
 * lost, connect timed out), _HOST_KEY / _PERMISSION (ssh refused us; libvirt access
 * denied), _NOT_FOUND (no such domain), _UNSUPPORTED (the driver cannot do it),
 * _USAGE (bad arguments), _FAILED (everything else, e.g. wrong domain state).
 * G_IO_ERROR_CANCELLED when cancelled.
 *
 * Domains are named by name or by UUID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "deck-domain.h"

G_BEGIN_DECLS

#define DECK_TYPE_LIBVIRT (deck_libvirt_get_type ())
G_DECLARE_FINAL_TYPE (DeckLibvirt, deck_libvirt, DECK, LIBVIRT, GObject)

/* Seconds connect_async waits by default (ssh to a dead host may hang much longer). */
#define DECK_LIBVIRT_CONNECT_TIMEOUT 30

/* Keys of deck_libvirt_info_finish()'s table (all values are strings; missing when
 * libvirt does not tell). */
#define DECK_LIBVIRT_INFO_URI            "uri"              /* as libvirt reports it */
#define DECK_LIBVIRT_INFO_HOSTNAME       "hostname"         /* the hypervisor host's name */
#define DECK_LIBVIRT_INFO_HYPERVISOR     "hypervisor"       /* driver type: "QEMU", "Xen", ... */
#define DECK_LIBVIRT_INFO_HV_VERSION     "hypervisor-version" /* "7.2.0" */
#define DECK_LIBVIRT_INFO_HYPERREL       "hyperrel"         /* "QEMU-7.2.0", "xen-4.17.3" (LIST field 20) */
#define DECK_LIBVIRT_INFO_LIBVIRT        "libvirt-version"  /* the daemon's libvirt, "9.0.0" */
#define DECK_LIBVIRT_INFO_ARCH           "arch"             /* node CPU model, "x86_64" */
#define DECK_LIBVIRT_INFO_CPUS           "cpus"             /* active CPUs */
#define DECK_LIBVIRT_INFO_MEMORY_KIB     "memory-kib"       /* node memory */

/* @uri: a libvirt URI; @host_label: the host as LIST field 1 and error messages name it
 * (e.g. "labh1"; NULL: the URI's host, else "localhost"). Not connected yet. The first
 * call initializes libvirt-gobject (gvir_init_object, once, thread-safe). */
DeckLibvirt    *deck_libvirt_new               (const char          *uri,
                                                const char          *host_label);

const char     *deck_libvirt_get_uri           (DeckLibvirt         *self);
/* The host label given to new(), else the URI's host, else "localhost". */
const char     *deck_libvirt_get_host_label    (DeckLibvirt         *self);
/* TRUE between a successful connect and the connection's loss or close. Property
 * "connected" (notified in the context that created @self). */
gboolean        deck_libvirt_is_connected      (DeckLibvirt         *self);
/* The libvirt-gobject connection (for callers that want gvir_* calls of their own, e.g.
 * gvir_domain_open_graphics_fd), or NULL before connect. Its domain cache is not filled
 * and it does not emit domain signals; use "domain-changed" instead. */
GVirConnection *deck_libvirt_get_connection    (DeckLibvirt         *self);

/* Opens the connection; an open one is replaced (and closed) once the new one is open,
 * a failed attempt leaves it as it was. @timeout_s: 0 =
 * DECK_LIBVIRT_CONNECT_TIMEOUT; when it passes (or @cancellable fires) the call returns
 * at once, a libvirt call still running in its thread is abandoned and its connection
 * closed when it ends. Errors: _HOST_UNREACHABLE (daemon / socket / host not there,
 * timeout), _HOST_KEY, _PERMISSION, _UNSUPPORTED (no driver for the URI). */
void            deck_libvirt_connect_async     (DeckLibvirt         *self,
                                                guint                timeout_s,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        deck_libvirt_connect_finish    (DeckLibvirt         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Drops the connection without blocking (libvirt's close runs in a thread). Also done
 * when @self is finalized. Pending calls keep their own reference to the connection. */
void            deck_libvirt_close             (DeckLibvirt         *self);

/* All defined and running domains (DeckDomainInfo, sorted by name): name, uuid, id (-1
 * when not running), state, MACs in interface order, VNC port when assigned, type
 * ("QEMU" for qemu/kvm, "XEN", else the virt type upper-cased), accel ("QEMU" (TCG)/"KVM" for
 * QEMU, "HVM"/"PARA" for XEN), arch, hyperrel ("QEMU-7.2.0"); config_path NULL. A domain
 * that vanishes while listed is left out. */
void            deck_libvirt_list_async        (DeckLibvirt         *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray      *deck_libvirt_list_finish       (DeckLibvirt         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* One domain, as in the list. _NOT_FOUND when there is none of that name/UUID. */
void            deck_libvirt_lookup_async      (DeckLibvirt         *self,
                                                const char          *name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
DeckDomainInfo *deck_libvirt_lookup_finish     (DeckLibvirt         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Runs @op on domain @name and returns once libvirt has done it (SHUTDOWN and REBOOT:
 * once requested from the guest; use wait_state_async to see them through):
 *   START    create (boot) the defined domain          virDomainCreate
 *   SHUTDOWN soft shutdown (ACPI power button / PV)    virDomainShutdown
 *   DESTROY  hard power-off                            virDomainDestroy
 *   REBOOT   soft reboot                               virDomainReboot
 *   RESET    hard reset                                virDomainReset
 *   PAUSE    suspend the vCPUs in memory               virDomainSuspend
 *   UNPAUSE  resume them                               virDomainResume
 *   SAVE     save to @state_file (absolute path on the hypervisor host, written by
 *            the daemon); the domain stops. @state_file NULL: libvirt's managed save
 *            image (the next START resumes from it).
 *   RESTORE  start from @state_file; @name, if not NULL, must be the domain saved in it.
 *            @state_file NULL: START of @name from its managed save image (_FAILED
 *            when it has none).
 * Errors: _NOT_FOUND (no such domain), _FAILED with libvirt's message (wrong state, ...),
 * _HOST_UNREACHABLE (connection lost). */
void            deck_libvirt_control_async     (DeckLibvirt         *self,
                                                const char          *name,
                                                DeckDomainOp         op,
                                                const char          *state_file,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        deck_libvirt_control_finish    (DeckLibvirt         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Defines (or redefines: same name and UUID) a persistent domain from libvirt domain XML
 * text (leading XML comments, e.g. ctys tags, are fine). finish: the domain's name.
 * Invalid XML or a conflicting definition: _FAILED with libvirt's message. */
void            deck_libvirt_define_async      (DeckLibvirt         *self,
                                                const char          *xml,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char           *deck_libvirt_define_finish     (DeckLibvirt         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Converts a config in a hypervisor's native @format (e.g. "xen-xl") into domain XML, as the
 * host's driver does it (virConnectDomainXMLFromNative; libvirt-gobject has no call for
 * it). finish: the XML. A driver without that format: _FAILED with libvirt's message. */
void            deck_libvirt_from_native_async (DeckLibvirt         *self,
                                                const char          *format,
                                                const char          *config,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char           *deck_libvirt_from_native_finish (DeckLibvirt        *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

/* Removes the definition of @name (a running domain keeps running, transient, until
 * stopped; a managed save image is removed with it). */
void            deck_libvirt_undefine_async    (DeckLibvirt         *self,
                                                const char          *name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        deck_libvirt_undefine_finish   (DeckLibvirt         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Waits until domain @name is in state @wanted (checked at once, on each lifecycle event
 * and every 0.5 s). @timeout_s 0: no limit. A timeout is _FAILED "<host>: deck-l1 is
 * still running after 30 s (waiting for shut off)". A domain that disappears while
 * waiting for SHUTOFF (transient domain) counts as shut off. */
void            deck_libvirt_wait_state_async  (DeckLibvirt         *self,
                                                const char          *name,
                                                DeckDomainState      wanted,
                                                guint                timeout_s,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        deck_libvirt_wait_state_finish (DeckLibvirt         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Opens the serial console of running domain @name (VIR_DOMAIN_CONSOLE_FORCE: an
 * existing console session is taken over). finish: a GIOStream (a local socket pair;
 * its far end is pumped to and from libvirt's console stream on the default main
 * context): read the guest's output, write keystrokes; the guest stopping (or the
 * connection dropping) is end-of-file; closing the stream closes the console. The pty
 * keeps what the guest wrote before anyone attached, so the first read may hold
 * earlier output. */
void            deck_libvirt_open_console_async (DeckLibvirt        *self,
                                                const char          *name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GIOStream      *deck_libvirt_open_console_finish (DeckLibvirt       *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Hypervisor and host facts for INFO: a table of DECK_LIBVIRT_INFO_* keys to strings. */
void            deck_libvirt_info_async        (DeckLibvirt         *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GHashTable     *deck_libvirt_info_finish       (DeckLibvirt         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Signals (emitted in the context that created @self):
 *   "domain-changed" (const char *name, DeckDomainState state): a lifecycle event (start,
 *       stop, pause, resume, define, undefine) for domain @name; @state is the state the
 *       event implies (UNKNOWN for define/undefine).
 *   "disconnected" (const char *reason): the connection was lost (daemon gone, EOF,
 *       keepalive timeout); not emitted for close(). */

G_END_DECLS
