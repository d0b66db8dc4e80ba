/* deck-domain-xml.h: libvirt domain XML files in the inventory
 *
 * A '*.xml' file whose root element is <domain> becomes inventory records like an xl
 * config: label = <name>, ID = the file path, UUID, one record per <interface> MAC,
 * memory (MiB) and vCPUs; session type XEN for type='xen', QEMU for 'qemu'/'kvm', the
 * upper-cased type otherwise. ctys '#@#' tags may be given in XML comments
 * (<!-- #@#IP0 = "10.0.0.5" -->) and are read as in xl configs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "deck-domain.h"

G_BEGIN_DECLS

/* TRUE when the document's root element is <domain> (after the XML declaration, comments
 * and processing instructions). */
gboolean   deck_domain_xml_detect    (const char  *data,
                                      gsize        len);

/* Records (DeckRecord) of a domain XML file, or NULL without error when the file is not a
 * domain XML or is excluded by #@#MAGICID-IGNORE / -NOENUM. Malformed XML is
 * DECK_ERROR_PARSE naming the file (and line when libxml2 reports one). */
GPtrArray *deck_domain_xml_scan_file (const char  *path,
                                      const char  *data,
                                      gsize        len,
                                      GError     **error);

/* Fills in what the XML of a defined domain (as libvirt returns it) tells about @info:
 * its MACs, VNC port, session type and accelerator, architecture. Unreadable XML:
 * DECK_ERROR_FAILED naming the domain. */
gboolean   deck_domain_xml_fill_info (DeckDomainInfo  *info,
                                      const char      *xml,
                                      GError         **error);

G_END_DECLS
