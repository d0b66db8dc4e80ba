/* deck-xl.c: the xl backend (the Xen toolstack driven over SSH)
 *
 * Formats (see tests/data/xl/README.md for the recorded samples):
 * - "xl list -l": xl_info.c list_domains_details() prints a JSON array of
 *   {"domid": <int>, "config": <libxl_domain_config as libxl's generated JSON>}; libxl
 *   leaves out fields at their default (an integer 0, a NULL string, a defbool never
 *   set), a keyed union appears as "type.<kind>" (b_info "type.hvm"), defbools as
 *   "True"/"False". With output_format="sxp" in xl.conf the same command prints SXP.
 * - "xl list": header "Name  ID  Mem VCPUs<TAB>State<TAB>Time(s)", then per domain
 *   "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f" (state letters r b p s <reason> d).
 * - "xl info": "%-23s: %s" lines ("xen_version            : 4.17.3").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-xl.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "deck-error.h"
#include "deck-process.h"

#define VNC_BASE_PORT 5900

/* Time limits (s): xl create takes ~40 s, save ~20 s and restore ~45 s on the emulated lab
 * host (design/xenlab.md); real hosts are faster. */
#define TIMEOUT_QUERY    60
#define TIMEOUT_CONTROL 120
#define TIMEOUT_CREATE  300
#define TIMEOUT_SAVE    900

/* --- argv builders -------------------------------------------------------------------- */

static gboolean
check_dom (const char  *dom,
           GError     **error)
{
  if (dom == NULL || *dom == '\0')
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE, "no domain name given");
      return FALSE;
    }
  for (const char *p = dom; *p; p++)
    if (!g_ascii_isdigit (*p))
      return TRUE;
  g_set_error (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE,
               "domain name '%s' would be read by xl as a domain id", dom);
  return FALSE;
}

static gboolean
check_path (const char  *path,
            const char  *what,
            GError     **error)
{
  if (path == NULL || *path == '\0')
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, "no %s given", what);
      return FALSE;
    }
  return TRUE;
}

/* "--" when one of the operands could be read as an option */
static void
add_operands (GStrvBuilder *b,
              const char   *first,
              const char   *second)
{
  if (first[0] == '-' || (second && second[0] == '-'))
    g_strv_builder_add (b, "--");
  g_strv_builder_add (b, first);
  if (second)
    g_strv_builder_add (b, second);
}

static GStrvBuilder *
builder_new (const char * const *prefix)
{
  GStrvBuilder *b = g_strv_builder_new ();

  if (prefix)
    g_strv_builder_addv (b, (const char **) prefix);
  g_strv_builder_add (b, "xl");
  return b;
}

char **
deck_xl_list_argv (const char * const *prefix,
                   gboolean            details)
{
  g_autoptr(GStrvBuilder) b = builder_new (prefix);

  g_strv_builder_add (b, "list");
  if (details)
    g_strv_builder_add (b, "-l");
  return g_strv_builder_end (b);
}

char **
deck_xl_info_argv (const char * const *prefix)
{
  g_autoptr(GStrvBuilder) b = builder_new (prefix);

  g_strv_builder_add (b, "info");
  return g_strv_builder_end (b);
}

char **
deck_xl_domid_argv (const char * const *prefix,
                    const char         *name,
                    GError            **error)
{
  g_autoptr(GStrvBuilder) b = NULL;

  if (!check_dom (name, error))
    return NULL;
  b = builder_new (prefix);
  g_strv_builder_add (b, "domid");
  add_operands (b, name, NULL);
  return g_strv_builder_end (b);
}

char **
deck_xl_create_argv (const char * const *prefix,
                     const char         *config_path,
                     const char * const *callopts,
                     gboolean            console,
                     GError            **error)
{
  g_autoptr(GStrvBuilder) b = NULL;

  if (!check_path (config_path, "configuration file", error))
    return NULL;
  for (guint i = 0; callopts && callopts[i]; i++)
    if (callopts[i][0] == '-' || strchr (callopts[i], '=') == NULL)
      {
        g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                     "CALLOPTS: '%s' is not a key=value assignment for xl create", callopts[i]);
        return NULL;
      }
  b = builder_new (prefix);
  g_strv_builder_add (b, "create");
  if (console)
    g_strv_builder_add (b, "-c");
  /* xl create takes a first word without '-' and '=' as the file; anything else would be
   * an option or a config assignment: give such a path with -f */
  if (config_path[0] == '-' || strchr (config_path, '='))
    g_strv_builder_add (b, "-f");
  g_strv_builder_add (b, config_path);
  if (callopts)
    g_strv_builder_addv (b, (const char **) callopts);
  return g_strv_builder_end (b);
}

char **
deck_xl_control_argv (const char * const *prefix,
                      DeckDomainOp        op,
                      const char         *dom,
                      const char         *state_file,
                      DeckXlControlFlags  flags,
                      GError            **error)
{
  g_autoptr(GStrvBuilder) b = NULL;
  gboolean wait = (flags & DECK_XL_CONTROL_WAIT) != 0;

  if (wait && op != DECK_DOMAIN_OP_SHUTDOWN && op != DECK_DOMAIN_OP_REBOOT && op != DECK_DOMAIN_OP_RESET)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "xl %s cannot wait for the domain", deck_domain_op_to_string (op));
      return NULL;
    }
  switch (op)
    {
    case DECK_DOMAIN_OP_START:
      g_set_error_literal (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED,
                           "xl keeps no stopped domains: start one from its configuration file");
      return NULL;
    case DECK_DOMAIN_OP_RESTORE:
      if (!check_path (state_file, "state file", error))
        return NULL;
      b = builder_new (prefix);
      g_strv_builder_add (b, "restore");
      add_operands (b, state_file, NULL);
      return g_strv_builder_end (b);
    case DECK_DOMAIN_OP_SAVE:
      if (!check_dom (dom, error) || !check_path (state_file, "state file", error))
        return NULL;
      b = builder_new (prefix);
      g_strv_builder_add (b, "save");
      add_operands (b, dom, state_file);
      return g_strv_builder_end (b);
    case DECK_DOMAIN_OP_SHUTDOWN:
    case DECK_DOMAIN_OP_REBOOT:
    case DECK_DOMAIN_OP_RESET:
      /* RESET is a reboot too (spec §9: ctys's RESET/REBOOT are "virsh reboot"): xl's only
       * hard reset, "xl trigger <dom> reset", works for HVM guests alone; for PV and PVH
       * guests it succeeds and does nothing (seen on the Xen lab host) */
      if (!check_dom (dom, error))
        return NULL;
      b = builder_new (prefix);
      g_strv_builder_add (b, op == DECK_DOMAIN_OP_SHUTDOWN ? "shutdown" : "reboot");
      if (wait)
        g_strv_builder_add (b, "-w");
      /* as libvirt's "virsh shutdown/reboot" that ctys used: the ACPI button when the
       * guest has no PV drivers */
      g_strv_builder_add (b, "-F");
      add_operands (b, dom, NULL);
      return g_strv_builder_end (b);
    case DECK_DOMAIN_OP_DESTROY:
    case DECK_DOMAIN_OP_PAUSE:
    case DECK_DOMAIN_OP_UNPAUSE:
      if (!check_dom (dom, error))
        return NULL;
      b = builder_new (prefix);
      g_strv_builder_add (b, op == DECK_DOMAIN_OP_DESTROY ? "destroy"
                             : op == DECK_DOMAIN_OP_PAUSE ? "pause" : "unpause");
      add_operands (b, dom, NULL);
      return g_strv_builder_end (b);
    default:
      g_set_error (error, DECK_ERROR, DECK_ERROR_UNSUPPORTED, "unknown operation %d", op);
      return NULL;
    }
}

char **
deck_xl_console_argv (const char * const *prefix,
                      const char         *dom,
                      gboolean            serial,
                      GError            **error)
{
  g_autoptr(GStrvBuilder) b = NULL;

  if (!check_dom (dom, error))
    return NULL;
  b = builder_new (prefix);
  g_strv_builder_add (b, "console");
  if (serial)
    g_strv_builder_add_many (b, "-t", "serial", NULL);
  add_operands (b, dom, NULL);
  return g_strv_builder_end (b);
}

char **
deck_xl_vnc_port_argv (const char * const *prefix,
                       int                 domid)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *path = g_strdup_printf ("/local/domain/%d/console/vnc-port", domid);

  g_return_val_if_fail (domid >= 0, NULL);

  if (prefix)
    g_strv_builder_addv (b, (const char **) prefix);
  g_strv_builder_add_many (b, "xenstore-read", path, NULL);
  return g_strv_builder_end (b);
}

char **
deck_xl_split_callopts (const char *value)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) words = g_strsplit (value ? value : "", "%", -1);

  for (guint i = 0; words[i]; i++)
    if (*words[i])
      g_strv_builder_add (b, words[i]);
  return g_strv_builder_end (b);
}

/* --- parsers -------------------------------------------------------------------------- */

char *
deck_xl_config_path_for_image (const char *image_path)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *file = NULL;

  if (image_path == NULL || !g_path_is_absolute (image_path) || g_str_has_prefix (image_path, "/dev/"))
    return NULL;
  dir = g_path_get_dirname (image_path);
  if (g_str_equal (dir, "/"))
    return NULL;
  base = g_path_get_basename (dir);
  file = g_strconcat (base, ".conf", NULL);
  return g_build_filename (dir, file, NULL);
}

static JsonObject *
member_object (JsonObject *obj,
               const char *name)
{
  JsonNode *n = obj ? json_object_get_member (obj, name) : NULL;

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *obj,
              const char *name)
{
  JsonNode *n = obj ? json_object_get_member (obj, name) : NULL;

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static const char *
member_string (JsonObject *obj,
               const char *name)
{
  JsonNode *n = obj ? json_object_get_member (obj, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

static gboolean
member_int (JsonObject *obj,
            const char *name,
            gint64     *value)
{
  JsonNode *n = obj ? json_object_get_member (obj, name) : NULL;

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
    {
      *value = json_node_get_int (n);
      return TRUE;
    }
  return FALSE;
}

static JsonObject *
array_object (JsonArray *a,
              guint      i)
{
  JsonNode *n = json_array_get_element (a, i);

  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* libxl_vnc_info: enable, listen, passwd, display, findunused */
static guint
vnc_port_of (JsonObject *vnc)
{
  const char *listen = member_string (vnc, "listen");
  gint64 display = 0;

  if (g_strcmp0 (member_string (vnc, "findunused"), "False") != 0)
    return 0;    /* the device model picks a free port: only xenstore knows it */
  if (listen && strchr (listen, ':'))
    return 0;    /* "address:display" forms: not read here */
  member_int (vnc, "display", &display);
  if (display < 0 || display > 65535 - VNC_BASE_PORT)
    return 0;
  return VNC_BASE_PORT + (guint) display;
}

static JsonObject *
enabled_vnc (JsonObject *config)
{
  JsonArray *vfbs = member_array (config, "vfbs");
  JsonObject *vnc;

  for (guint i = 0; vfbs && i < json_array_get_length (vfbs); i++)
    {
      vnc = member_object (array_object (vfbs, i), "vnc");
      if (g_strcmp0 (member_string (vnc, "enable"), "True") == 0)
        return vnc;
    }
  vnc = member_object (member_object (member_object (config, "b_info"), "type.hvm"), "vnc");
  if (g_strcmp0 (member_string (vnc, "enable"), "True") == 0)
    return vnc;
  return NULL;
}

static DeckDomainInfo *
info_from_json (JsonObject *entry)
{
  JsonObject *config = member_object (entry, "config");
  JsonObject *c_info = member_object (config, "c_info");
  JsonArray *nics = member_array (config, "nics");
  JsonArray *disks = member_array (config, "disks");
  g_autoptr(DeckDomainInfo) info = deck_domain_info_new ();
  g_autoptr(GStrvBuilder) macs = g_strv_builder_new ();
  const char *type = member_string (c_info, "type");
  const char *uuid = member_string (c_info, "uuid");
  JsonObject *vnc;
  gint64 domid;

  info->id = member_int (entry, "domid", &domid) && domid >= 0 && domid <= G_MAXINT ? (int) domid : -1;
  info->name = g_strdup (member_string (c_info, "name"));
  if (uuid && strspn (uuid, "0-") != strlen (uuid))
    info->uuid = g_ascii_strdown (uuid, -1);
  info->type = g_strdup ("XEN");
  info->state = DECK_DOMAIN_STATE_UNKNOWN;
  if (g_strcmp0 (type, "hvm") == 0)
    info->accel = g_strdup ("HVM");
  else if (g_strcmp0 (type, "pv") == 0)
    info->accel = g_strdup ("PARA");
  else if (g_strcmp0 (type, "pvh") == 0)
    info->accel = g_strdup ("PVH");

  for (guint i = 0; nics && i < json_array_get_length (nics); i++)
    {
      const char *mac = member_string (array_object (nics, i), "mac");

      if (mac && *mac)
        g_strv_builder_add (macs, mac);
    }
  g_strfreev (info->macs);
  info->macs = g_strv_builder_end (macs);

  for (guint i = 0; disks && i < json_array_get_length (disks) && info->config_path == NULL; i++)
    {
      JsonObject *disk = array_object (disks, i);
      gint64 cdrom = 0;

      if (member_int (disk, "is_cdrom", &cdrom) && cdrom)
        continue;
      info->config_path = deck_xl_config_path_for_image (member_string (disk, "pdev_path"));
    }

  if ((vnc = enabled_vnc (config)))
    info->vnc_port = vnc_port_of (vnc);
  return g_steal_pointer (&info);
}

/* The domids of "xl list -l" whose VNC is enabled with a port that only xenstore knows
 * (findunused not "False": what "xl create" leaves for vncdisplay=N without vncunused=0, as
 * recorded on Xen 4.17). NULL when there are none or the JSON does not parse. */
static GArray *
vnc_ids_from_xenstore (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GArray *ids = NULL;
  JsonNode *root;
  JsonArray *a;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  a = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *entry = array_object (a, i);
      JsonObject *vnc = enabled_vnc (member_object (entry, "config"));
      gint64 domid;

      if (vnc && vnc_port_of (vnc) == 0 && member_int (entry, "domid", &domid) && domid > 0 && domid <= G_MAXINT)
        {
          int id = (int) domid;

          if (ids == NULL)
            ids = g_array_new (FALSE, FALSE, sizeof (int));
          g_array_append_val (ids, id);
        }
    }
  return ids;
}

static DeckDomainInfo *
dom0_new (void)
{
  DeckDomainInfo *info = deck_domain_info_new ();

  info->name = g_strdup ("Domain-0");
  info->id = 0;
  info->type = g_strdup ("XEN");
  return info;
}

/* Domain-0 first, added when missing. */
static void
ensure_dom0 (GPtrArray *list)
{
  for (guint i = 0; i < list->len; i++)
    {
      DeckDomainInfo *info = list->pdata[i];

      if (info->id == 0)
        {
          if (i > 0)
            {
              g_ptr_array_steal_index (list, i);
              g_ptr_array_insert (list, 0, info);
            }
          if (info->name == NULL)
            info->name = g_strdup ("Domain-0");
          return;
        }
    }
  g_ptr_array_insert (list, 0, dom0_new ());
}

GPtrArray *
deck_xl_parse_list_json (const char *json,
                         gssize      length,
                         GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_domain_info_free);
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  JsonArray *array;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, length, &local))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE, "xl list -l: not JSON: %s", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, DECK_ERROR, DECK_ERROR_PARSE, "xl list -l: not a JSON array");
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = array_object (array, i);

      if (entry == NULL || member_object (entry, "config") == NULL)
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE,
                       "xl list -l: element %u is not a {\"domid\", \"config\"} object", i + 1);
          return NULL;
        }
      g_ptr_array_add (list, info_from_json (entry));
    }
  ensure_dom0 (list);
  return g_steal_pointer (&list);
}

static DeckDomainState
state_of_letters (const char *s)
{
  /* r b p s <shutdown reason: - r s c w S> d */
  if (s[4] == 'c')
    return DECK_DOMAIN_STATE_CRASHED;
  if (s[3] == 's')
    return s[4] == 's' ? DECK_DOMAIN_STATE_SUSPENDED : DECK_DOMAIN_STATE_SHUTDOWN;
  if (s[5] == 'd')
    return DECK_DOMAIN_STATE_SHUTDOWN;
  if (s[2] == 'p')
    return DECK_DOMAIN_STATE_PAUSED;
  if (s[1] == 'b' && s[0] != 'r')
    return DECK_DOMAIN_STATE_BLOCKED;
  return DECK_DOMAIN_STATE_RUNNING;    /* "r" or runnable ("------") */
}

static gboolean
all_digits (const char *s,
            gsize       n)
{
  if (n == 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* One domain line: the name is everything before the last five columns (names may hold
 * spaces). */
static DeckDomainInfo *
parse_list_line (const char *line)
{
  const char *start[5];
  gsize len[5];
  const char *end = line + strlen (line);
  g_autoptr(DeckDomainInfo) info = NULL;
  const char *name_end;

  while (end > line && g_ascii_isspace (end[-1]))
    end--;
  for (int k = 4; k >= 0; k--)
    {
      const char *w = end;

      while (w > line && !g_ascii_isspace (w[-1]))
        w--;
      if (w == end)
        return NULL;
      start[k] = w;
      len[k] = end - w;
      end = w;
      while (end > line && g_ascii_isspace (end[-1]))
        end--;
    }
  name_end = end;
  if (name_end == line)
    return NULL;
  /* id, mem, vcpus, state, time */
  if (!all_digits (start[0], len[0]) || !all_digits (start[1], len[1]) || !all_digits (start[2], len[2])
      || len[3] != 6 || strspn (start[3], "rbpscdwS?-") < 6)
    return NULL;
  info = deck_domain_info_new ();
  info->name = g_strndup (line, name_end - line);
  info->id = (int) g_ascii_strtoll (start[0], NULL, 10);
  info->state = state_of_letters (start[3]);
  info->type = g_strdup ("XEN");
  return g_steal_pointer (&info);
}

GPtrArray *
deck_xl_parse_list (const char *text,
                    GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_domain_info_free);
  g_auto(GStrv) lines = NULL;
  gboolean header = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      DeckDomainInfo *info;

      g_strchomp (lines[i]);
      if (!header)
        {
          header = g_str_has_prefix (lines[i], "Name ") && strstr (lines[i], " ID ") != NULL;
          continue;
        }
      if (*lines[i] == '\0')
        continue;
      if ((info = parse_list_line (lines[i])) == NULL)
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE, "xl list: line %u: not a domain line: %s",
                       i + 1, lines[i]);
          return NULL;
        }
      g_ptr_array_add (list, info);
    }
  if (!header)
    {
      g_set_error_literal (error, DECK_ERROR, DECK_ERROR_PARSE, "xl list: no \"Name ... ID\" header line");
      return NULL;
    }
  ensure_dom0 (list);
  return g_steal_pointer (&list);
}

GPtrArray *
deck_xl_parse_list_outputs (const char *json,
                            gssize      json_length,
                            const char *plain,
                            const char *hyperrel,
                            GError    **error)
{
  g_autoptr(GPtrArray) details = NULL;
  g_autoptr(GPtrArray) states = NULL;
  g_autoptr(GError) plain_error = NULL;
  GPtrArray *list;

  if (json)
    details = deck_xl_parse_list_json (json, json_length, NULL);
  if (plain)
    states = deck_xl_parse_list (plain, &plain_error);
  if (details == NULL && states == NULL)
    {
      if (plain_error)
        g_propagate_error (error, g_steal_pointer (&plain_error));
      else
        g_set_error_literal (error, DECK_ERROR, DECK_ERROR_PARSE, "xl list: no usable output");
      return NULL;
    }
  if (details == NULL)
    details = g_steal_pointer (&states);

  for (guint i = 0; states && i < states->len; i++)
    {
      DeckDomainInfo *s = states->pdata[i];
      DeckDomainInfo *d = NULL;

      for (guint j = 0; j < details->len && d == NULL; j++)
        {
          DeckDomainInfo *c = details->pdata[j];

          if (c->id == s->id)
            d = c;
        }
      if (d == NULL)
        {
          g_ptr_array_add (details, deck_domain_info_copy (s));
          continue;
        }
      d->state = s->state;
      if (d->name == NULL)
        d->name = g_strdup (s->name);
    }
  for (guint i = 0; i < details->len; i++)
    {
      DeckDomainInfo *d = details->pdata[i];

      if (d->type == NULL)
        d->type = g_strdup ("XEN");
      if (hyperrel && d->hyperrel == NULL)
        d->hyperrel = g_strdup (hyperrel);
    }
  list = g_steal_pointer (&details);
  ensure_dom0 (list);
  return list;
}

GHashTable *
deck_xl_parse_info (const char *text,
                    GError    **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *colon = strchr (lines[i], ':');
      g_autofree char *key = NULL;
      gboolean ident;

      if (colon == NULL)
        continue;
      key = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      ident = *key != '\0' && !g_ascii_isdigit (*key);
      for (const char *p = key; *p && ident; p++)
        ident = g_ascii_isalnum (*p) || *p == '_';
      if (!ident || g_hash_table_contains (table, key))
        continue;
      g_hash_table_insert (table, g_steal_pointer (&key), g_strstrip (g_strdup (colon + 1)));
    }
  if (g_hash_table_size (table) == 0)
    {
      g_set_error_literal (error, DECK_ERROR, DECK_ERROR_PARSE, "xl info: no \"key : value\" line");
      return NULL;
    }
  return g_steal_pointer (&table);
}

char *
deck_xl_info_get_hyperrel (GHashTable *info)
{
  const char *v = info ? g_hash_table_lookup (info, "xen_version") : NULL;
  const char *major, *minor;

  if (v && *v)
    return g_strconcat ("xen-", v, NULL);
  major = info ? g_hash_table_lookup (info, "xen_major") : NULL;
  minor = info ? g_hash_table_lookup (info, "xen_minor") : NULL;
  if (major && minor)
    {
      const char *extra = g_hash_table_lookup (info, "xen_extra");

      return g_strconcat ("xen-", major, ".", minor, extra ? extra : "", NULL);
    }
  return NULL;
}

gboolean
deck_xl_parse_number (const char *text,
                      int        *number,
                      GError    **error)
{
  g_autofree char *t = g_strstrip (g_strdup (text ? text : ""));
  guint64 v;

  if (!g_ascii_string_to_unsigned (t, 10, 0, G_MAXINT, &v, NULL))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_PARSE, "expected a number, got '%s'", t);
      return FALSE;
    }
  *number = (int) v;
  return TRUE;
}

/* --- the backend object --------------------------------------------------------------- */

struct _DeckXl
{
  GObject parent_instance;

  DeckHost *host;
  char **prefix;       /* NULL until probed */
  char *hyperrel;      /* from "xl info", once */
  gboolean info_tried;
};

enum {
  PROP_0,
  PROP_HOST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DeckXl, deck_xl, G_TYPE_OBJECT)

static void
deck_xl_dispose (GObject *object)
{
  DeckXl *self = DECK_XL (object);

  g_clear_object (&self->host);
  G_OBJECT_CLASS (deck_xl_parent_class)->dispose (object);
}

static void
deck_xl_finalize (GObject *object)
{
  DeckXl *self = DECK_XL (object);

  g_strfreev (self->prefix);
  g_free (self->hyperrel);
  G_OBJECT_CLASS (deck_xl_parent_class)->finalize (object);
}

static void
deck_xl_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  DeckXl *self = DECK_XL (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_object (value, self->host);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_xl_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  DeckXl *self = DECK_XL (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_xl_class_init (DeckXlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = deck_xl_dispose;
  object_class->finalize = deck_xl_finalize;
  object_class->get_property = deck_xl_get_property;
  object_class->set_property = deck_xl_set_property;

  properties[PROP_HOST] =
    g_param_spec_object ("host", NULL, NULL, DECK_TYPE_HOST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
deck_xl_init (DeckXl *self)
{
}

DeckXl *
deck_xl_new (DeckHost *host)
{
  g_return_val_if_fail (DECK_IS_HOST (host), NULL);

  return g_object_new (DECK_TYPE_XL, "host", host, NULL);
}

DeckHost *
deck_xl_get_host (DeckXl *self)
{
  g_return_val_if_fail (DECK_IS_XL (self), NULL);

  return self->host;
}

const char * const *
deck_xl_get_prefix (DeckXl *self)
{
  g_return_val_if_fail (DECK_IS_XL (self), NULL);

  return (const char * const *) self->prefix;
}

/* One call: probe the prefix if needed, then run one or more xl commands. */

typedef enum {
  CALL_PROBE,
  CALL_LIST,
  CALL_CONTROL,
  CALL_CREATE,
  CALL_INFO,
  CALL_DOMID,
  CALL_VNC_PORT,
} CallKind;

typedef struct {
  CallKind kind;
  char **tail;         /* the argv of the current command, without the prefix */
  guint timeout_s;
  int step;            /* CALL_LIST: 0 "list -l", 1 "list", 2 "info", 3 "xenstore-read" */
  GBytes *json;
  GBytes *plain;
  GPtrArray *list;     /* CALL_LIST: the merged list, while VNC ports are read */
  GArray *vnc_ids;     /* CALL_LIST: domids whose VNC port only xenstore knows */
  guint vnc_next;
} Call;

static void
call_free (Call *call)
{
  g_strfreev (call->tail);
  g_clear_pointer (&call->json, g_bytes_unref);
  g_clear_pointer (&call->plain, g_bytes_unref);
  g_clear_pointer (&call->list, g_ptr_array_unref);
  g_clear_pointer (&call->vnc_ids, g_array_unref);
  g_free (call);
}

static GTask *
call_new (DeckXl             *self,
          CallKind            kind,
          char              **tail,
          guint               timeout_s,
          gpointer            source_tag,
          GCancellable       *cancellable,
          GAsyncReadyCallback callback,
          gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, source_tag);
  call->kind = kind;
  call->tail = tail;
  call->timeout_s = timeout_s;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  return task;
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize n = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &n) : NULL;

  return g_strndup (data ? data : "", n);
}

/* The error for an xl command that ran and failed. */
static GError *
xl_error (DeckXl     *self,
          const char *what,
          const char *err,
          int         status)
{
  g_autofree char *text = g_strstrip (g_strdup (err ? err : ""));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *said = NULL;
  const char *host = deck_host_get_name (self->host);

  for (guint i = 0; lines[i]; i++)
    g_strstrip (lines[i]);
  said = g_strjoinv ("; ", lines);
  if (*said == '\0')
    {
      g_free (said);
      said = g_strdup_printf ("exit status %d", status);
    }

  if (strstr (text, "Permission denied") || strstr (text, "Operation not permitted"))
    return g_error_new (DECK_ERROR, DECK_ERROR_PERMISSION,
                        "%s: %s: not permitted (%s); xl needs root: use -Z KSU or -Z SUDO",
                        host, what, said);
  if (strstr (text, "cannot open libxc handle: No such file or directory"))
    return g_error_new (DECK_ERROR, DECK_ERROR_UNSUPPORTED,
                        "%s: %s: no Xen hypervisor there (not a running Xen Dom0): %s", host, what, said);
  if (status == 127)
    return g_error_new (DECK_ERROR, DECK_ERROR_UNSUPPORTED,
                        "%s: %s: xl is not installed there (%s)", host, what, said);
  if (strstr (text, "is an invalid domain identifier") || strstr (text, "does not exist")
      || strstr (text, "Can't get domid") || strstr (text, "No such file or directory")
      || strstr (text, "couldn't read path"))
    return g_error_new (DECK_ERROR, DECK_ERROR_NOT_FOUND, "%s: %s: %s", host, what, said);
  return g_error_new (DECK_ERROR, DECK_ERROR_REMOTE_FAILED, "%s: %s failed: %s", host, what, said);
}

static void call_run (GTask *task);

static gboolean
call_finish_step (GTask   *task,
                  GBytes  *out)
{
  DeckXl *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *text = NULL;
  GError *error = NULL;

  switch (call->kind)
    {
    case CALL_LIST:
      if (call->step == 0)
        {
          call->json = g_bytes_ref (out);
          g_strfreev (call->tail);
          call->tail = deck_xl_list_argv (NULL, FALSE);
          call->step = 1;
          return FALSE;
        }
      if (call->step == 1)
        {
          call->plain = g_bytes_ref (out);
          if (!self->info_tried)
            {
              g_strfreev (call->tail);
              call->tail = deck_xl_info_argv (NULL);
              call->step = 2;
              return FALSE;
            }
        }
      else if (call->step == 2 && out)
        {
          g_autoptr(GHashTable) info = NULL;

          text = bytes_to_string (out);
          info = deck_xl_parse_info (text, NULL);
          self->info_tried = TRUE;
          g_clear_pointer (&self->hyperrel, g_free);
          self->hyperrel = deck_xl_info_get_hyperrel (info);
          g_clear_pointer (&text, g_free);
        }
      else if (call->step == 3 && out)
        {
          int port = 0, domid = g_array_index (call->vnc_ids, int, call->vnc_next - 1);

          text = bytes_to_string (out);
          if (deck_xl_parse_number (text, &port, NULL) && port > 0 && port <= 65535)
            for (guint i = 0; i < call->list->len; i++)
              if (((DeckDomainInfo *) call->list->pdata[i])->id == domid)
                ((DeckDomainInfo *) call->list->pdata[i])->vnc_port = (guint) port;
          g_clear_pointer (&text, g_free);
        }
      if (call->list == NULL)
        {
          g_autofree char *json = bytes_to_string (call->json);
          g_autofree char *plain = bytes_to_string (call->plain);

          call->list = deck_xl_parse_list_outputs (json, -1, plain, self->hyperrel, &error);
          if (call->list == NULL)
            {
              g_task_return_error (task, error);
              return TRUE;
            }
          call->vnc_ids = vnc_ids_from_xenstore (json);
        }
      /* a VNC whose port the device model chose (xl's default, findunused): ask xenstore,
       * one domain at a time (a failure leaves that port unknown) */
      if (call->vnc_ids && call->vnc_next < call->vnc_ids->len)
        {
          g_strfreev (call->tail);
          call->tail = deck_xl_vnc_port_argv (NULL, g_array_index (call->vnc_ids, int, call->vnc_next++));
          call->step = 3;
          return FALSE;
        }
      g_task_return_pointer (task, g_steal_pointer (&call->list), (GDestroyNotify) g_ptr_array_unref);
      return TRUE;

    case CALL_INFO:
      {
        GHashTable *info;

        text = bytes_to_string (out);
        info = deck_xl_parse_info (text, &error);
        if (info == NULL)
          {
            g_task_return_error (task, error);
            return TRUE;
          }
        self->info_tried = TRUE;
        g_clear_pointer (&self->hyperrel, g_free);
        self->hyperrel = deck_xl_info_get_hyperrel (info);
        g_task_return_pointer (task, info, (GDestroyNotify) g_hash_table_unref);
      }
      return TRUE;

    case CALL_DOMID:
    case CALL_VNC_PORT:
      {
        int n = 0;

        text = bytes_to_string (out);
        if (!deck_xl_parse_number (text, &n, &error))
          g_task_return_error (task, error);
        else if (call->kind == CALL_VNC_PORT && (n <= 0 || n > 65535))
          g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_PARSE, "not a port number: %d", n);
        else
          g_task_return_int (task, n);
      }
      return TRUE;

    case CALL_PROBE:
    case CALL_CONTROL:
    case CALL_CREATE:
    default:
      g_task_return_boolean (task, TRUE);
      return TRUE;
    }
}

static void
run_done (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  g_autoptr(GTask) task = data;
  DeckXl *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!deck_host_run_finish (DECK_HOST (source), res, &out, &err, &status, &error))
    {
      if (call->kind == CALL_LIST && call->step >= 2
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* "xl info" only adds the Xen release, xenstore a VNC port: list without it */
          self->info_tried = TRUE;
          call_finish_step (task, NULL);
          return;
        }
      if (g_error_matches (error, DECK_ERROR, DECK_ERROR_REMOTE_FAILED) && status > 0)
        {
          g_autofree char *what = deck_process_describe_argv ((const char * const *) call->tail);

          g_task_return_error (task, xl_error (self, what, err, status));
        }
      else if (g_error_matches (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE)
               && strstr (error->message, "no answer within") != NULL)
        {
          /* ssh answered, xl did not: seen on a real Xen 4.17 host with xenstored stopped
           * (every xl command then blocks for good) */
          g_autofree char *what = deck_process_describe_argv ((const char * const *) call->tail);

          g_task_return_new_error (task, DECK_ERROR, DECK_ERROR_REMOTE_FAILED,
                                   "%s: '%s' did not answer within %u s: is xenstored running there? "
                                   "(INFO shows backend-xl)", deck_host_get_name (self->host), what,
                                   call->timeout_s);
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!call_finish_step (task, out))
    call_run (g_steal_pointer (&task));
}

static void
call_run (GTask *task)
{
  DeckXl *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_addv (b, (const char **) self->prefix);
  g_strv_builder_addv (b, (const char **) call->tail);
  argv = g_strv_builder_end (b);
  deck_host_run_async (self->host, (const char * const *) argv, NULL, call->timeout_s,
                       g_task_get_cancellable (task), run_done, task);
}

static void
probe_done (GObject      *source,
            GAsyncResult *res,
            gpointer      data)
{
  g_autoptr(GTask) task = data;
  DeckXl *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  char **prefix = deck_host_probe_privilege_finish (DECK_HOST (source), res, &error);

  if (prefix == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->prefix == NULL)
    self->prefix = prefix;
  else
    g_strfreev (prefix);
  if (call->kind == CALL_PROBE)
    g_task_return_boolean (task, TRUE);
  else
    call_run (g_steal_pointer (&task));
}

/* Takes @task. */
static void
call_start (GTask *task)
{
  DeckXl *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  static const char * const probe[] = { "xl", "info", NULL };

  if (self->prefix == NULL)
    deck_host_probe_privilege_async (self->host, probe, g_task_get_cancellable (task), probe_done, task);
  else if (call->kind == CALL_PROBE)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
  else
    call_run (task);
}

/* Starts @task, or fails it with @error when the argv could not be built. */
static void
call_start_or_fail (GTask  *task,
                    GError *error)
{
  Call *call = g_task_get_task_data (task);

  if (call->tail == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  call_start (task);
}

void
deck_xl_probe_async (DeckXl             *self,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_return_if_fail (DECK_IS_XL (self));

  call_start (call_new (self, CALL_PROBE, NULL, 0, deck_xl_probe_async, cancellable, callback, user_data));
}

gboolean
deck_xl_probe_finish (DeckXl       *self,
                      GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
deck_xl_list_async (DeckXl             *self,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_return_if_fail (DECK_IS_XL (self));

  call_start (call_new (self, CALL_LIST, deck_xl_list_argv (NULL, TRUE), TIMEOUT_QUERY,
                        deck_xl_list_async, cancellable, callback, user_data));
}

GPtrArray *
deck_xl_list_finish (DeckXl       *self,
                     GAsyncResult *result,
                     GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
deck_xl_control_async (DeckXl             *self,
                       const char         *dom,
                       DeckDomainOp        op,
                       const char         *state_file,
                       DeckXlControlFlags  flags,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  GError *error = NULL;
  char **tail;
  guint timeout_s;

  g_return_if_fail (DECK_IS_XL (self));

  tail = deck_xl_control_argv (NULL, op, dom, state_file, flags, &error);
  if (flags & DECK_XL_CONTROL_WAIT)
    timeout_s = 0;    /* as long as the guest takes; the caller can cancel */
  else if (op == DECK_DOMAIN_OP_SAVE || op == DECK_DOMAIN_OP_RESTORE)
    timeout_s = TIMEOUT_SAVE;
  else
    timeout_s = TIMEOUT_CONTROL;
  call_start_or_fail (call_new (self, CALL_CONTROL, tail, timeout_s, deck_xl_control_async,
                                cancellable, callback, user_data), error);
}

gboolean
deck_xl_control_finish (DeckXl       *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
deck_xl_create_async (DeckXl             *self,
                      const char         *config_path,
                      const char * const *callopts,
                      gboolean            console,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  GError *error = NULL;
  char **tail;

  g_return_if_fail (DECK_IS_XL (self));

  tail = deck_xl_create_argv (NULL, config_path, callopts, console, &error);
  call_start_or_fail (call_new (self, CALL_CREATE, tail, console ? 0 : TIMEOUT_CREATE,
                                deck_xl_create_async, cancellable, callback, user_data), error);
}

gboolean
deck_xl_create_finish (DeckXl       *self,
                       GAsyncResult *result,
                       GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
deck_xl_info_async (DeckXl             *self,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_return_if_fail (DECK_IS_XL (self));

  call_start (call_new (self, CALL_INFO, deck_xl_info_argv (NULL), TIMEOUT_QUERY,
                        deck_xl_info_async, cancellable, callback, user_data));
}

GHashTable *
deck_xl_info_finish (DeckXl       *self,
                     GAsyncResult *result,
                     GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
deck_xl_domid_async (DeckXl             *self,
                     const char         *name,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  GError *error = NULL;
  char **tail;

  g_return_if_fail (DECK_IS_XL (self));

  tail = deck_xl_domid_argv (NULL, name, &error);
  call_start_or_fail (call_new (self, CALL_DOMID, tail, TIMEOUT_QUERY, deck_xl_domid_async,
                                cancellable, callback, user_data), error);
}

int
deck_xl_domid_finish (DeckXl       *self,
                      GAsyncResult *result,
                      GError      **error)
{
  GError *local = NULL;
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  n = g_task_propagate_int (G_TASK (result), &local);
  if (local)
    {
      g_propagate_error (error, local);
      return -1;
    }
  return (int) n;
}

void
deck_xl_vnc_port_async (DeckXl             *self,
                        int                 domid,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  GError *error = NULL;
  char **tail = NULL;

  g_return_if_fail (DECK_IS_XL (self));

  if (domid < 0)
    g_set_error (&error, DECK_ERROR, DECK_ERROR_INVALID_VALUE, "domain id %d is not running", domid);
  else
    tail = deck_xl_vnc_port_argv (NULL, domid);
  call_start_or_fail (call_new (self, CALL_VNC_PORT, tail, TIMEOUT_QUERY, deck_xl_vnc_port_async,
                                cancellable, callback, user_data), error);
}

guint
deck_xl_vnc_port_finish (DeckXl       *self,
                         GAsyncResult *result,
                         GError      **error)
{
  GError *local = NULL;
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  n = g_task_propagate_int (G_TASK (result), &local);
  if (local)
    {
      g_propagate_error (error, local);
      return 0;
    }
  return (guint) n;
}
