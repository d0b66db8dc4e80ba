/* deck-domain.c: what a hypervisor backend reports about a domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-domain.h"

#include "deck-fields.h"

DeckDomainInfo *
deck_domain_info_new (void)
{
  DeckDomainInfo *info = g_new0 (DeckDomainInfo, 1);

  info->id = -1;
  info->macs = g_new0 (char *, 1);
  return info;
}

void
deck_domain_info_free (DeckDomainInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->uuid);
  g_strfreev (info->macs);
  g_free (info->config_path);
  g_free (info->accel);
  g_free (info->arch);
  g_free (info->hyperrel);
  g_free (info->type);
  g_free (info);
}

DeckDomainInfo *
deck_domain_info_copy (const DeckDomainInfo *info)
{
  DeckDomainInfo *copy = g_new0 (DeckDomainInfo, 1);

  copy->name = g_strdup (info->name);
  copy->uuid = g_strdup (info->uuid);
  copy->id = info->id;
  copy->state = info->state;
  copy->macs = g_strdupv (info->macs);
  copy->vnc_port = info->vnc_port;
  copy->config_path = g_strdup (info->config_path);
  copy->accel = g_strdup (info->accel);
  copy->arch = g_strdup (info->arch);
  copy->hyperrel = g_strdup (info->hyperrel);
  copy->type = g_strdup (info->type);
  return copy;
}

const char *
deck_domain_state_to_string (DeckDomainState state)
{
  static const char * const names[] = {
    "unknown", "running", "blocked", "paused", "shutdown", "shut off", "crashed", "suspended",
  };

  return (guint) state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

const char *
deck_domain_op_to_string (DeckDomainOp op)
{
  static const char * const names[] = {
    "start", "shutdown", "destroy", "reboot", "reset", "pause", "unpause", "save", "restore",
  };

  return (guint) op < G_N_ELEMENTS (names) ? names[op] : "unknown";
}

char **
deck_domain_info_to_list_fields (const DeckDomainInfo *info,
                                 const char           *pm)
{
  char **f = g_new0 (char *, DECK_LIST_N_FIELDS + 1);

  f[DECK_LIST_PM - 1] = g_strdup (pm);
  f[DECK_LIST_TYPE - 1] = g_strdup (info->type ? info->type : "");
  f[DECK_LIST_LABEL - 1] = g_strdup (info->name ? info->name : "");
  f[DECK_LIST_ID - 1] = g_strdup (info->config_path ? info->config_path : "");
  f[DECK_LIST_UUID - 1] = g_strdup (info->uuid ? info->uuid : "");
  f[DECK_LIST_MAC - 1] = g_strdup (info->macs && info->macs[0] ? info->macs[0] : "");
  f[DECK_LIST_DISPLAY - 1] = info->vnc_port >= 5900 ? g_strdup_printf ("%u", info->vnc_port - 5900) : g_strdup ("");
  f[DECK_LIST_CPORT - 1] = info->vnc_port ? g_strdup_printf ("%u", info->vnc_port) : g_strdup ("");
  f[DECK_LIST_PID - 1] = info->id >= 0 ? g_strdup_printf ("%d", info->id) : g_strdup ("");
  f[DECK_LIST_CSTYPE - 1] = g_strdup ("SERVER");
  f[DECK_LIST_HYPERRELRUN - 1] = g_strdup (info->hyperrel ? info->hyperrel : "");
  f[DECK_LIST_ACCELERATOR - 1] = g_strdup (info->accel ? info->accel : "");
  f[DECK_LIST_ARCH - 1] = g_strdup (info->arch ? info->arch : "");
  for (guint i = 0; i < DECK_LIST_N_FIELDS; i++)
    if (f[i] == NULL)
      f[i] = g_strdup ("");
  return f;
}
