/* deck-fields.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-fields.h"

#include <string.h>

typedef struct {
  const char *title;
  const char *keys; /* space-separated, upper case */
} FieldInfo;

/* Spec §6.2 (titles as printed by TITLE/TITLEIDX) and §5.4.1 (field flags). */
static const FieldInfo enum_fields[DECK_RECORD_N_FIELDS] = {
  { "ContainingMachine", "PM HOST H" },
  { "SessionType", "TYPE STYPE ST" },
  { "Label", "LABEL L" },
  { "ID", "IDS ID I PNAME P PATHNAME" },
  { "UUID", "UUID U" },
  { "MAC", "MAC M" },
  { "TCP", "TCP T" },
  { "DISPLAY", "VNCDISPLAY DISP DISPLAY" },
  { "ClientAccessPort", "VNCPORT CPORT" },
  { "ServerAccessPort", "SERVERACCESS SPORT S" },
  { "VNCbasePort", "VNCBASE" },
  { "Distro", "DIST" },
  { "Distrorel", "DISTREL" },
  { "OS", "OS O" },
  { "OSREL", "OSREL" },
  { "VersNo", "VERSION VERNO VER" },
  { "SerialNo", "SERIALNUMBER SERNO" },
  { "Category", "CATEGORY CAT" },
  { "VMstate", "VMSTATE VSTAT" },
  { "hyperrel", "HYPERREL HYREL" },
  { "StackCap", "STACKCAP SCAP" },
  { "StackReq", "STACKREQ SREQ" },
  { "HWCAP", "HWCAP" },
  { "HWREQ", "HWREQ" },
  { "ExecLocation", "EXECLOCATION" },
  { "RelocationCapacity", "RELOCCAP" },
  { "SSHport", "SSHPORT" },
  { "Netname", "NETNAME" },
  { "Hyperrelrun", "HYPERRELRUN HYRELRUN HRELRUN HRELX HRX" },
  { "Accellerator", "ACCELERATOR ACCEL" },
  { "Exepath", "EXEPATH EXEP" },
  { "rsrv", "INDEX RSRV" },
  { "IFname", "IFNAME IF" },
  { "CTYSRelease", "CTYSRELEASE" },
  { "netmask", "NETMASK" },
  { "gateway", "GATEWAY GW" },
  { "relay", "RELAY" },
  { "Arch", "ARCH" },
  { "Platform", "PLATFORM PFORM" },
  { "VRAM", "VRAM" },
  { "VCPU", "VCPU" },
  { "ContextStg", "CONTEXTSTRING CONTEXTSTRG CSTRG" },
  { "UserStrg", "USERSTRING USTRG" },
  { "UID", "USERID UID" },
  { "GID", "GROUPID GID" },
  { "DefHOSTs", "DEFAULTHOSTS DEFHOSTS DEFH" },
  { "DefCONSOLE", "DEFAULTCONSOLE DEFCON DEFC" },
};

/* Spec §5.3.1/§5.3.2 and AC-71. */
static const FieldInfo list_fields[DECK_LIST_N_FIELDS] = {
  { "ContainingMachine", "PM HOST" },
  { "SessionType", "TYPE ST STYPE" },
  { "Label", "LABEL L" },
  { "ID", "ID PATHNAME PNAME P" },
  { "UUID", "UUID" },
  { "MAC", "MAC" },
  { "TCP", "TCP" },
  { "DISPLAY", "DISPLAY" },
  { "ClientAccessPort", "CPORT" },
  { "ServerAccessPort", "SPORT" },
  { "PID", "PID" },
  { "UID", "USER UID" },
  { "GUID", "GROUP GID" },
  { "C/S-Type", "CSTYPE SITE" },
  { "JobID", "JOBID JID" },
  { "IFNAME", "IFNAME IF" },
  { "RESERVED1", "RESERVED1" },
  { "CONTEXTSTRG", "CONTEXTSTRG CSTRG" },
  { "EXECPATH", "EXEPATH EXEP EXECPATH" },
  { "HYPERRELRUN", "HYPERRELRUN HRELRUN HRELX HRX" },
  { "ACCELERATOR", "ACCELERATOR ACCEL" },
  { "ARCH", "ARCH" },
};

static const FieldInfo *
space_table (DeckFieldSpace space,
             guint         *n)
{
  if (space == DECK_FIELDS_LIST)
    {
      *n = G_N_ELEMENTS (list_fields);
      return list_fields;
    }
  *n = G_N_ELEMENTS (enum_fields);
  return enum_fields;
}

guint
deck_fields_count (DeckFieldSpace space)
{
  guint n;

  space_table (space, &n);
  return n;
}

const char *
deck_fields_title (DeckFieldSpace space,
                   guint          index)
{
  guint n;
  const FieldInfo *t = space_table (space, &n);

  if (index < 1 || index > n)
    return NULL;
  return t[index - 1].title;
}

char *
deck_fields_title_index (guint    index,
                         gboolean ascii_column)
{
  char letters[8];
  guint i = 0, v = index;

  g_return_val_if_fail (index > 0, NULL);

  if (!ascii_column)
    return g_strdup_printf ("(%u)", index);

  /* spreadsheet column letters: 1 -> A, 26 -> Z, 27 -> AA */
  while (v > 0 && i < sizeof letters - 1)
    {
      v--;
      letters[i++] = 'A' + (v % 26);
      v /= 26;
    }
  letters[i] = '\0';
  g_strreverse (letters);
  return g_strdup_printf ("(%s-%u)", letters, index);
}

static gboolean
key_in_list (const char *keys,
             const char *key)
{
  gsize len = strlen (key);
  const char *p = keys;

  while (*p)
    {
      const char *end = strchr (p, ' ');
      gsize wlen = end ? (gsize) (end - p) : strlen (p);

      if (wlen == len && g_ascii_strncasecmp (p, key, len) == 0)
        return TRUE;
      if (!end)
        break;
      p = end + 1;
    }
  return FALSE;
}

guint
deck_fields_lookup (DeckFieldSpace space,
                    const char    *key)
{
  guint n, i;
  const FieldInfo *t = space_table (space, &n);

  g_return_val_if_fail (key != NULL, 0);

  if (*key && strspn (key, "0123456789") == strlen (key))
    {
      guint64 v;

      if (g_ascii_string_to_unsigned (key, 10, 1, n, &v, NULL))
        return (guint) v;
      return 0;
    }
  for (i = 0; i < n; i++)
    if (key_in_list (t[i].keys, key))
      return i + 1;
  return 0;
}
