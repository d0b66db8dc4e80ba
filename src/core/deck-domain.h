/* deck-domain.h: what a hypervisor backend reports about a domain, and the operations
 * every backend offers (spec §5.1-§5.3)
 *
 * Shared by the backends (libvirt through libvirt-gobject: deck-libvirt.h; xl over SSH:
 * deck-xl.h) and the actions layer. Plain data, no I/O.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DECK_DOMAIN_STATE_UNKNOWN,
  DECK_DOMAIN_STATE_RUNNING,
  DECK_DOMAIN_STATE_BLOCKED,     /* running, idle (xl "b") */
  DECK_DOMAIN_STATE_PAUSED,
  DECK_DOMAIN_STATE_SHUTDOWN,    /* shutting down */
  DECK_DOMAIN_STATE_SHUTOFF,     /* defined, not running */
  DECK_DOMAIN_STATE_CRASHED,
  DECK_DOMAIN_STATE_SUSPENDED,   /* saved to a state file / pm-suspended */
} DeckDomainState;

/* Operations on a domain (CANCEL methods and CREATE's start/resume, spec §5.1.2, §5.2.3). */
typedef enum {
  DECK_DOMAIN_OP_START,          /* boot a defined domain / create from a config */
  DECK_DOMAIN_OP_SHUTDOWN,       /* soft (ACPI / PV) shutdown; returns once requested */
  DECK_DOMAIN_OP_DESTROY,        /* hard power-off */
  DECK_DOMAIN_OP_REBOOT,         /* soft reboot */
  DECK_DOMAIN_OP_RESET,          /* hard reset */
  DECK_DOMAIN_OP_PAUSE,          /* suspend the vCPUs in memory */
  DECK_DOMAIN_OP_UNPAUSE,
  DECK_DOMAIN_OP_SAVE,           /* save to a state file and stop */
  DECK_DOMAIN_OP_RESTORE,        /* start from a state file */
} DeckDomainOp;

typedef struct {
  char            *name;         /* label (domain name) */
  char            *uuid;         /* lower case with dashes, or NULL */
  int              id;           /* hypervisor domain id; -1 when not running; 0 = Domain-0 */
  DeckDomainState  state;
  char           **macs;         /* NULL-terminated, never NULL; first = boot interface */
  guint            vnc_port;     /* 0 when none (or not yet assigned) */
  char            *config_path;  /* back-link to the config / inventory file, or NULL */
  char            *accel;        /* "HVM", "PARA", "PVH", "KVM", "QEMU" (TCG), ... or NULL */
  char            *arch;         /* "x86_64", ... or NULL */
  char            *hyperrel;     /* running hypervisor release ("xen-4.17.3", "QEMU-7.2.0"), or NULL */
  char            *type;         /* session type for LIST field 2: "XEN", "QEMU", ... */
} DeckDomainInfo;

DeckDomainInfo *deck_domain_info_new         (void);
void            deck_domain_info_free        (DeckDomainInfo  *info);
DeckDomainInfo *deck_domain_info_copy        (const DeckDomainInfo *info);
const char     *deck_domain_state_to_string  (DeckDomainState  state);   /* "running", ... */
const char     *deck_domain_op_to_string     (DeckDomainOp     op);      /* "shutdown", ... */

/* The 22 LIST fields (spec §5.3.2) of a running domain on host @pm: a NULL-terminated
 * array of 22 strings (empty where unknown), C/S-type SERVER. */
char          **deck_domain_info_to_list_fields (const DeckDomainInfo *info,
                                                 const char           *pm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeckDomainInfo, deck_domain_info_free)

G_END_DECLS
