/* deck-xl.h: the xl backend (the Xen toolstack driven over SSH, spec §5.1-§5.3, §9)
 *
 * Two halves:
 *
 * - Pure functions: argv builders for the xl commands vmdeck runs (each with the
 *   privilege prefix of spec §3.5 in front, e.g. {"sudo","-n"}), and parsers of what xl
 *   prints ("xl list -l" JSON, plain "xl list", "xl info", "xl domid", the xenstore VNC
 *   port). No I/O.
 * - DeckXl, a thin object over a DeckHost: probes the prefix once (probe "xl info"),
 *   builds the argv, runs it with deck_host_run_async and maps xl's complaints to
 *   DECK_ERROR codes.
 *
 * Words are never joined into a shell string here: a domain name or path is one argv
 * word whatever it contains. xl reads a word of digits only as a domain id, so such
 * names are refused (DECK_ERROR_INVALID_VALUE); a name, state file or config path that
 * starts with '-' is put after "--" (config paths after "-f") so that xl's option parser
 * cannot take it for an option. Commands in the common case are exactly those of spec
 * §5.1.3 / §9 ("xl create [-c] <cfg> [k=v ...]", "xl shutdown -F <dom>", ...).
 *
 * Errors of the async half: the host's own errors (DECK_ERROR_HOST_UNREACHABLE, ...,
 * G_IO_ERROR_CANCELLED) unchanged; when xl ran and failed, DECK_ERROR_NOT_FOUND for "no
 * such domain / file" messages, DECK_ERROR_PERMISSION for permission problems (naming
 * -Z KSU / -Z SUDO), else DECK_ERROR_REMOTE_FAILED; the message carries xl's stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "deck-domain.h"
#include "deck-host.h"

G_BEGIN_DECLS

/* Flags of control operations. */
typedef enum {
  DECK_XL_CONTROL_NONE = 0,
  /* SHUTDOWN / REBOOT: "-w", xl returns only when the domain is gone (no time limit) */
  DECK_XL_CONTROL_WAIT = 1 << 0,
} DeckXlControlFlags;

/* --- argv builders (pure) ------------------------------------------------------------- */

/* Each returns a NULL-terminated argv: @prefix (NULL or empty = none), then "xl" and the
 * command. Those taking a domain name, path or assignment return NULL with
 * DECK_ERROR_INVALID_VALUE (empty, or a name of digits only) or DECK_ERROR_USAGE. */

/* "xl list -l" (@details) or "xl list". */
char      **deck_xl_list_argv        (const char * const *prefix,
                                      gboolean            details);
/* "xl info". */
char      **deck_xl_info_argv        (const char * const *prefix);
/* "xl domid <name>". */
char      **deck_xl_domid_argv       (const char * const *prefix,
                                      const char         *name,
                                      GError            **error);
/* "xl create [-c] <cfg> [k=v ...]" (spec §5.1.3); "-f <cfg>" when the path starts with
 * '-' or holds '=' (xl would read it as an option or an assignment). Each callopt must
 * be one "key=value" assignment not starting with '-' (DECK_ERROR_USAGE otherwise). */
char      **deck_xl_create_argv      (const char * const *prefix,
                                      const char         *config_path,
                                      const char * const *callopts,
                                      gboolean            console,
                                      GError            **error);
/* The operations of DeckDomainOp:
 *   SHUTDOWN  "xl shutdown [-w] -F <dom>"   (-F: ACPI power button for HVM without PV drivers)
 *   REBOOT    "xl reboot [-w] -F <dom>"
 *   RESET     the same as REBOOT ("xl trigger <dom> reset" does nothing to PV guests)
 *   DESTROY   "xl destroy <dom>"
 *   PAUSE     "xl pause <dom>",  UNPAUSE "xl unpause <dom>"
 *   SAVE      "xl save <dom> <state_file>"
 *   RESTORE   "xl restore <state_file>"     (@dom unused, may be NULL)
 * START is DECK_ERROR_UNSUPPORTED (xl keeps no stopped domains: use create); SAVE and
 * RESTORE without @state_file and WAIT with another operation are DECK_ERROR_USAGE. */
char      **deck_xl_control_argv     (const char * const *prefix,
                                      DeckDomainOp        op,
                                      const char         *dom,
                                      const char         *state_file,
                                      DeckXlControlFlags  flags,
                                      GError            **error);
/* "xl console [-t serial] <dom>" (needs a terminal: for a VTE or "ssh -tt"). */
char      **deck_xl_console_argv     (const char * const *prefix,
                                      const char         *dom,
                                      gboolean            serial,
                                      GError            **error);
/* "xenstore-read /local/domain/<domid>/console/vnc-port": the port the device model
 * really listens on (what "xl vncviewer" reads), also with vncunused. */
char      **deck_xl_vnc_port_argv    (const char * const *prefix,
                                      int                 domid);

/* The words of a ctys CALLOPTS value ("vcpus=2%memory=512" → {"vcpus=2",
 * "memory=512"}): split at '%', empty words dropped. */
char      **deck_xl_split_callopts   (const char         *value);

/* --- parsers (pure) ------------------------------------------------------------------- */

/* Spec §5.3.3 naming convention: "<dir>/<image>" → "<dir>/<basename of dir>.conf";
 * NULL for a relative path, a device under /dev/ or an image directly in "/". */
char       *deck_xl_config_path_for_image (const char    *image_path);

/* "xl list -l" (JSON array of {"domid", "config": libxl_domain_config}) → array of
 * DeckDomainInfo (free func set), in xl's order, Domain-0 (id 0) always first (added
 * when missing). type "XEN"; accel from c_info.type (hvm → "HVM", pv → "PARA", pvh →
 * "PVH"); MACs of "nics" in order; config_path from the first file-backed disk (not a
 * CD-ROM); vnc_port = 5900 + display when the first enabled VNC (vfbs, else the HVM
 * device model) has "findunused" explicitly "False" (else 0: ask xenstore); state
 * UNKNOWN (the JSON has none). DECK_ERROR_PARSE for anything else (e.g. SXP output). */
GPtrArray  *deck_xl_parse_list_json  (const char         *json,
                                      gssize              length,
                                      GError            **error);
/* Plain "xl list" → array of DeckDomainInfo with name, id and state only. */
GPtrArray  *deck_xl_parse_list       (const char         *text,
                                      GError            **error);
/* Both outputs merged by domain id: the details of @json (when it parses; NULL or
 * unparsable JSON → the plain list alone), the state of @plain, and domains that only
 * @plain knows. @hyperrel (may be NULL) is set on every domain. Fails only when @plain
 * does not parse and @json is of no use either. */
GPtrArray  *deck_xl_parse_list_outputs (const char       *json,
                                      gssize              json_length,
                                      const char         *plain,
                                      const char         *hyperrel,
                                      GError            **error);
/* "xl info" → table key → value (both strings, value stripped). DECK_ERROR_PARSE when no
 * "key : value" line is found. */
GHashTable *deck_xl_parse_info       (const char         *text,
                                      GError            **error);
/* "xen-" + xen_version (e.g. "xen-4.17.3"), or NULL. */
char       *deck_xl_info_get_hyperrel (GHashTable        *info);
/* One decimal number on a line ("xl domid", xenstore-read of the VNC port). */
gboolean    deck_xl_parse_number     (const char         *text,
                                      int                *number,
                                      GError            **error);

/* --- the backend object --------------------------------------------------------------- */

#define DECK_TYPE_XL (deck_xl_get_type ())
G_DECLARE_FINAL_TYPE (DeckXl, deck_xl, DECK, XL, GObject)

DeckXl     *deck_xl_new              (DeckHost           *host);
DeckHost   *deck_xl_get_host         (DeckXl             *self);
/* The probed privilege prefix, NULL until the first operation (or probe) found it. */
const char * const *deck_xl_get_prefix (DeckXl           *self);

/* Probes the prefix now (each operation does it once by itself). */
void        deck_xl_probe_async      (DeckXl             *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean    deck_xl_probe_finish     (DeckXl             *self,
                                      GAsyncResult       *result,
                                      GError            **error);

/* The running domains: "xl list -l", "xl list" and (once per object, for HYPERRELRUN)
 * "xl info", merged as deck_xl_parse_list_outputs. finish: array of DeckDomainInfo. */
void        deck_xl_list_async       (DeckXl             *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
GPtrArray  *deck_xl_list_finish      (DeckXl             *self,
                                      GAsyncResult       *result,
                                      GError            **error);

/* One operation as deck_xl_control_argv. */
void        deck_xl_control_async    (DeckXl             *self,
                                      const char         *dom,
                                      DeckDomainOp        op,
                                      const char         *state_file,
                                      DeckXlControlFlags  flags,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean    deck_xl_control_finish   (DeckXl             *self,
                                      GAsyncResult       *result,
                                      GError            **error);

/* Starts a domain from @config_path as deck_xl_create_argv. With @console, xl stays
 * attached to the console until it is left: give deck_xl_create_argv to a terminal
 * instead unless that is wanted. */
void        deck_xl_create_async     (DeckXl             *self,
                                      const char         *config_path,
                                      const char * const *callopts,
                                      gboolean            console,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean    deck_xl_create_finish    (DeckXl             *self,
                                      GAsyncResult       *result,
                                      GError            **error);

/* "xl info" as a table (see deck_xl_parse_info). */
void        deck_xl_info_async       (DeckXl             *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
GHashTable *deck_xl_info_finish      (DeckXl             *self,
                                      GAsyncResult       *result,
                                      GError            **error);

/* "xl domid <name>". finish: the id, -1 with the error. */
void        deck_xl_domid_async      (DeckXl             *self,
                                      const char         *name,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
int         deck_xl_domid_finish     (DeckXl             *self,
                                      GAsyncResult       *result,
                                      GError            **error);

/* The VNC port of domain @domid from xenstore. finish: the port, 0 with the error
 * (DECK_ERROR_NOT_FOUND when the domain has none). */
void        deck_xl_vnc_port_async   (DeckXl             *self,
                                      int                 domid,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
guint       deck_xl_vnc_port_finish  (DeckXl             *self,
                                      GAsyncResult       *result,
                                      GError            **error);

G_END_DECLS
