/* deck-domain-xml.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-domain-xml.h"

#include <string.h>

#include <libvirt-gconfig/libvirt-gconfig.h>
#include <libxml/xmlerror.h>

#include "deck-error.h"
#include "deck-xen-config.h"

/* Offset of the root element, skipping the XML declaration, comments and processing
 * instructions; -1 when the root is not <domain>. libvirt-gconfig wants the root first. */
static gssize
domain_root_offset (const char *data,
                    gsize       len)
{
  const char *p = data, *end = data + len;

  while (p < end)
    {
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
        {
          const char *c = memmem (p + 4, end - p - 4, "-->", 3);

          if (c == NULL)
            return -1;
          p = c + 3;
        }
      else if (end - p >= 2 && memcmp (p, "<?", 2) == 0)
        {
          const char *c = memmem (p + 2, end - p - 2, "?>", 2);

          if (c == NULL)
            return -1;
          p = c + 2;
        }
      else if (end - p >= 8 && memcmp (p, "<domain", 7) == 0
               && (g_ascii_isspace (p[7]) || p[7] == '>' || p[7] == '/'))
        return p - data;
      else
        return -1;
    }
  return -1;
}

/* libxml2 prints parse errors to stderr by default; the error returned by
 * libvirt-gconfig already carries the message. */
static void
discard_xml_message (void       *ctx,
                     const char *msg,
                     ...)
{
}

gboolean
deck_domain_xml_detect (const char *data,
                        gsize       len)
{
  return domain_root_offset (data, len) >= 0;
}

static const char *
session_type (GVirConfigDomain *domain,
              const char      **accelerator,
              char            **owned)
{
  GVirConfigDomainVirtType type = gvir_config_domain_get_virt_type (domain);

  switch (type)
    {
    case GVIR_CONFIG_DOMAIN_VIRT_XEN:
      {
        GVirConfigDomainOs *os = gvir_config_domain_get_os (domain);

        *accelerator = os && gvir_config_domain_os_get_os_type (os) == GVIR_CONFIG_DOMAIN_OS_TYPE_HVM
                       ? "HVM" : "PARA";
        g_clear_object (&os);
        return "XEN";
      }
    case GVIR_CONFIG_DOMAIN_VIRT_KVM:
      *accelerator = "KVM";
      return "QEMU";
    case GVIR_CONFIG_DOMAIN_VIRT_QEMU:
    case GVIR_CONFIG_DOMAIN_VIRT_KQEMU:
      *accelerator = "QEMU";
      return "QEMU";
    default:
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (GVIR_CONFIG_TYPE_DOMAIN_VIRT_TYPE);
        GEnumValue *v = g_enum_get_value (klass, type);

        *owned = g_ascii_strup (v ? v->value_nick : "unknown", -1);
        return *owned;
      }
    }
}

GPtrArray *
deck_domain_xml_scan_file (const char  *path,
                           const char  *data,
                           gsize        len,
                           GError     **error)
{
  GVirConfigDomain *domain; /* libvirt-gconfig 4.0 has no g_autoptr support */
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DeckXenConfig) tags = NULL;
  g_autoptr(GPtrArray) set = NULL;
  g_autoptr(GPtrArray) macs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *xml = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *vcpus = NULL;
  g_autofree char *type_owned = NULL;
  DeckVmFacts facts = { 0, };
  GPtrArray *records;
  GList *devices;

  g_return_val_if_fail (path != NULL, NULL);

  gssize root = domain_root_offset (data, len);

  if (root < 0)
    return NULL;
  tags = deck_xen_config_new_tags_only (path, data, len);
  if (deck_xen_config_get_tag (tags, "MAGICID-IGNORE") || deck_xen_config_get_tag (tags, "MAGICID-NOENUM"))
    return NULL;
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE, "%s: contains NUL bytes", path);
      return NULL;
    }

  xml = g_strndup (data + root, len - root);
  xmlSetGenericErrorFunc (NULL, discard_xml_message); /* per thread in libxml2 */
  domain = gvir_config_domain_new_from_xml (xml, &local_error);
  if (domain == NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE, "%s: not a valid libvirt domain: %s",
                   path, local_error->message);
      return NULL;
    }

  devices = gvir_config_domain_get_devices (domain);
  for (GList *l = devices; l; l = l->next)
    if (GVIR_CONFIG_IS_DOMAIN_INTERFACE (l->data))
      {
        const char *mac = gvir_config_domain_interface_get_mac (l->data);

        g_ptr_array_add (macs, g_strdup (mac ? mac : ""));
      }
  g_list_free_full (devices, g_object_unref);
  g_ptr_array_add (macs, NULL);

  if (gvir_config_domain_get_memory (domain) > 0)
    memory = g_strdup_printf ("%" G_GUINT64_FORMAT, gvir_config_domain_get_memory (domain) / 1024);
  if (gvir_config_domain_get_vcpus (domain) > 0)
    vcpus = g_strdup_printf ("%" G_GUINT64_FORMAT, gvir_config_domain_get_vcpus (domain));

  facts.type = session_type (domain, &facts.accelerator, &type_owned);
  facts.label = gvir_config_domain_get_name (domain);
  facts.uuid = gvir_config_domain_get_uuid (domain);
  facts.memory = memory;
  facts.vcpus = vcpus;
  facts.macs = (const char * const *) macs->pdata;

  set = g_ptr_array_new ();
  g_ptr_array_add (set, tags);
  records = deck_xen_config_build_records_full (path, set, &facts, &local_error);
  g_object_unref (domain);
  if (records == NULL)
    {
      if (g_str_has_prefix (local_error->message, path))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE, "%s: %s", path, local_error->message);
    }
  return records;
}

gboolean
deck_domain_xml_fill_info (DeckDomainInfo *info,
                           const char     *xml,
                           GError        **error)
{
  GVirConfigDomain *domain;   /* libvirt-gconfig 4.0 has no g_autoptr support */
  GVirConfigDomainOs *os;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) macs = g_ptr_array_new_with_free_func (g_free);
  GList *devices;

  domain = gvir_config_domain_new_from_xml (xml, &local_error);
  if (domain == NULL)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_FAILED, "cannot read the XML of %s: %s", info->name,
                   local_error->message);
      return FALSE;
    }

  devices = gvir_config_domain_get_devices (domain);
  for (GList *l = devices; l; l = l->next)
    {
      if (GVIR_CONFIG_IS_DOMAIN_INTERFACE (l->data))
        {
          const char *mac = gvir_config_domain_interface_get_mac (l->data);

          if (mac && *mac)
            g_ptr_array_add (macs, g_ascii_strdown (mac, -1));
        }
      else if (GVIR_CONFIG_IS_DOMAIN_GRAPHICS_VNC (l->data) && info->vnc_port == 0)
        {
          int port = gvir_config_domain_graphics_vnc_get_port (l->data);

          if (port > 0)
            info->vnc_port = port;
        }
    }
  g_list_free_full (devices, g_object_unref);
  g_ptr_array_add (macs, NULL);
  g_strfreev (info->macs);
  info->macs = (char **) g_ptr_array_steal (macs, NULL);

  os = gvir_config_domain_get_os (domain);
  if (os)
    {
      info->arch = g_strdup (gvir_config_domain_os_get_arch (os));
      if (info->arch && *info->arch == '\0')
        g_clear_pointer (&info->arch, g_free);
    }
  switch (gvir_config_domain_get_virt_type (domain))
    {
    case GVIR_CONFIG_DOMAIN_VIRT_QEMU:
      /* ctys's QEMU plugin (and the inventory, deck-domain-xml.c) calls plain TCG "QEMU" */
      info->type = g_strdup ("QEMU");
      info->accel = g_strdup ("QEMU");
      break;
    case GVIR_CONFIG_DOMAIN_VIRT_KVM:
      info->type = g_strdup ("QEMU");
      info->accel = g_strdup ("KVM");
      break;
    case GVIR_CONFIG_DOMAIN_VIRT_KQEMU:
      info->type = g_strdup ("QEMU");
      info->accel = g_strdup ("KQEMU");
      break;
    case GVIR_CONFIG_DOMAIN_VIRT_XEN:
      info->type = g_strdup ("XEN");
      info->accel = g_strdup (os && gvir_config_domain_os_get_os_type (os) == GVIR_CONFIG_DOMAIN_OS_TYPE_HVM
                              ? "HVM" : "PARA");
      break;
    default:
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (GVIR_CONFIG_TYPE_DOMAIN_VIRT_TYPE);
        GEnumValue *v = g_enum_get_value (klass, gvir_config_domain_get_virt_type (domain));

        info->type = g_ascii_strup (v ? v->value_nick : "unknown", -1);
      }
    }
  g_clear_object (&os);
  g_object_unref (domain);
  return TRUE;
}
