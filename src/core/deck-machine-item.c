/* deck-machine-item.c: one row of the machine tree: a host, or a machine on a host
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-machine-item.h"
#include "deck-machine-item-private.h"

#include <string.h>

struct _DeckMachineItem
{
  GObject parent_instance;

  DeckMachineItemKind kind;
  char *host_name;
  GPtrArray *records;           /* DeckRecord; MACHINE only */
  GPtrArray *children;          /* DeckMachineItem */
  DeckMachineItem *parent;      /* weak (the parent owns us) */

  DeckDomainState state;
  gboolean busy;
  DeckMachineReach reach;
  char *reach_message;
  char *hypervisor;

  gboolean visible;
  char *search_text;            /* lower case, computed on first use */
};

G_DEFINE_FINAL_TYPE (DeckMachineItem, deck_machine_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_BUSY,
  PROP_REACH,
  PROP_HYPERVISOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
deck_machine_item_dispose (GObject *object)
{
  DeckMachineItem *self = DECK_MACHINE_ITEM (object);

  if (self->children != NULL)
    for (guint i = 0; i < self->children->len; i++)
      DECK_MACHINE_ITEM (self->children->pdata[i])->parent = NULL;
  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);

  G_OBJECT_CLASS (deck_machine_item_parent_class)->dispose (object);
}

static void
deck_machine_item_finalize (GObject *object)
{
  DeckMachineItem *self = DECK_MACHINE_ITEM (object);

  g_free (self->host_name);
  g_free (self->reach_message);
  g_free (self->hypervisor);
  g_free (self->search_text);

  G_OBJECT_CLASS (deck_machine_item_parent_class)->finalize (object);
}

static void
deck_machine_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DeckMachineItem *self = DECK_MACHINE_ITEM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_REACH:
      g_value_set_int (value, self->reach);
      break;
    case PROP_HYPERVISOR:
      g_value_set_string (value, self->hypervisor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_machine_item_class_init (DeckMachineItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = deck_machine_item_dispose;
  object_class->finalize = deck_machine_item_finalize;
  object_class->get_property = deck_machine_item_get_property;

  /* read-only properties (set through the setters) so that "notify" reports changes */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, DECK_DOMAIN_STATE_UNKNOWN, DECK_DOMAIN_STATE_SUSPENDED,
                      DECK_DOMAIN_STATE_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REACH] =
    g_param_spec_int ("reach", NULL, NULL, DECK_MACHINE_REACH_UNKNOWN, DECK_MACHINE_REACH_UNREACHABLE,
                      DECK_MACHINE_REACH_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HYPERVISOR] =
    g_param_spec_string ("hypervisor", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
deck_machine_item_init (DeckMachineItem *self)
{
  self->children = g_ptr_array_new_with_free_func (g_object_unref);
  self->visible = TRUE;
}

DeckMachineItem *
deck_machine_item_new_host (const char *host_name)
{
  DeckMachineItem *self;

  g_return_val_if_fail (host_name != NULL, NULL);

  self = g_object_new (DECK_TYPE_MACHINE_ITEM, NULL);
  self->kind = DECK_MACHINE_ITEM_HOST;
  self->host_name = g_strdup (host_name);
  return self;
}

DeckMachineItem *
deck_machine_item_new_machine (const char *host_name,
                               DeckRecord *record)
{
  DeckMachineItem *self;

  g_return_val_if_fail (host_name != NULL, NULL);
  g_return_val_if_fail (DECK_IS_RECORD (record), NULL);

  self = g_object_new (DECK_TYPE_MACHINE_ITEM, NULL);
  self->kind = DECK_MACHINE_ITEM_MACHINE;
  self->host_name = g_strdup (host_name);
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->records, g_object_ref (record));
  return self;
}

DeckMachineItemKind
deck_machine_item_get_kind (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), DECK_MACHINE_ITEM_HOST);

  return self->kind;
}

const char *
deck_machine_item_get_host_name (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), NULL);

  return self->host_name;
}

const char *
deck_machine_item_get_label (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), NULL);

  if (self->kind == DECK_MACHINE_ITEM_HOST)
    return self->host_name;
  return deck_record_get (self->records->pdata[0], DECK_FIELD_LABEL);
}

DeckRecord *
deck_machine_item_get_record (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), NULL);

  return self->records ? self->records->pdata[0] : NULL;
}

GPtrArray *
deck_machine_item_get_records (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), NULL);

  return self->records;
}

void
deck_machine_item_add_record (DeckMachineItem *self,
                              DeckRecord      *record)
{
  g_return_if_fail (DECK_IS_MACHINE_ITEM (self));
  g_return_if_fail (self->kind == DECK_MACHINE_ITEM_MACHINE);
  g_return_if_fail (DECK_IS_RECORD (record));

  g_ptr_array_add (self->records, g_object_ref (record));
  g_clear_pointer (&self->search_text, g_free);
}

/* Appends @value to @s (", "-separated) unless it is empty or already there. */
static void
append_unique (GString    *s,
               const char *value)
{
  if (*value == '\0')
    return;
  if (s->len > 0)
    {
      /* exact list membership: search ", value," in ", list," */
      g_autofree char *list = g_strconcat (", ", s->str, ",", NULL);
      g_autofree char *item = g_strconcat (", ", value, ",", NULL);

      if (strstr (list, item) != NULL)
        return;
      g_string_append (s, ", ");
    }
  g_string_append (s, value);
}

char *
deck_machine_item_dup_address_summary (DeckMachineItem *self)
{
  GString *s;
  const char *uuid;

  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), NULL);

  if (self->kind == DECK_MACHINE_ITEM_HOST)
    return g_strdup ("");
  s = g_string_new (NULL);
  for (guint i = 0; i < self->records->len; i++)
    append_unique (s, deck_record_get (self->records->pdata[i], DECK_FIELD_MAC));
  for (guint i = 0; i < self->records->len; i++)
    {
      DeckRecord *r = self->records->pdata[i];
      const char *tcp = deck_record_get (r, DECK_FIELD_TCP);

      append_unique (s, *tcp ? tcp : deck_record_get (r, DECK_FIELD_NETNAME));
    }
  uuid = deck_record_get (self->records->pdata[0], DECK_FIELD_UUID);
  if (*uuid)
    {
      g_autofree char *head = g_strndup (uuid, 8);

      g_string_append_printf (s, "%s%s…", s->len ? " · " : "", head);
    }
  return g_string_free (s, FALSE);
}

DeckMachineItem *
deck_machine_item_get_parent (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), NULL);

  return self->parent;
}

GPtrArray *
deck_machine_item_get_children (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), NULL);

  return self->children;
}

void
deck_machine_item_append_child (DeckMachineItem *self,
                                DeckMachineItem *child)
{
  g_return_if_fail (DECK_IS_MACHINE_ITEM (self));
  g_return_if_fail (DECK_IS_MACHINE_ITEM (child));
  g_return_if_fail (child->parent == NULL);

  child->parent = self;
  g_ptr_array_add (self->children, g_object_ref (child));
}

guint
deck_machine_item_get_depth (DeckMachineItem *self)
{
  guint depth = 0;

  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), 0);

  for (DeckMachineItem *p = self->parent; p != NULL; p = p->parent)
    depth++;
  return depth;
}

DeckDomainState
deck_machine_item_get_state (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), DECK_DOMAIN_STATE_UNKNOWN);

  return self->state;
}

void
deck_machine_item_set_state (DeckMachineItem *self,
                             DeckDomainState  state)
{
  g_return_if_fail (DECK_IS_MACHINE_ITEM (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gboolean
deck_machine_item_get_busy (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), FALSE);

  return self->busy;
}

void
deck_machine_item_set_busy (DeckMachineItem *self,
                            gboolean         busy)
{
  g_return_if_fail (DECK_IS_MACHINE_ITEM (self));

  busy = !!busy;
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

DeckMachineReach
deck_machine_item_get_reach (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), DECK_MACHINE_REACH_UNKNOWN);

  return self->reach;
}

const char *
deck_machine_item_get_reach_message (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), NULL);

  return self->reach_message;
}

void
deck_machine_item_set_reach (DeckMachineItem  *self,
                             DeckMachineReach  reach,
                             const char       *message)
{
  g_return_if_fail (DECK_IS_MACHINE_ITEM (self));

  if (self->reach == reach && g_strcmp0 (self->reach_message, message) == 0)
    return;
  self->reach = reach;
  g_free (self->reach_message);
  self->reach_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REACH]);
}

const char *
deck_machine_item_get_hypervisor (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), NULL);

  return self->hypervisor;
}

void
deck_machine_item_set_hypervisor (DeckMachineItem *self,
                                  const char      *hypervisor)
{
  g_return_if_fail (DECK_IS_MACHINE_ITEM (self));

  if (g_strcmp0 (self->hypervisor, hypervisor) == 0)
    return;
  g_free (self->hypervisor);
  self->hypervisor = g_strdup (hypervisor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HYPERVISOR]);
}

gboolean
deck_machine_item_get_visible (DeckMachineItem *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), FALSE);

  return self->visible;
}

gboolean
deck_machine_item_set_visible (DeckMachineItem *self,
                               gboolean         visible)
{
  g_assert (DECK_IS_MACHINE_ITEM (self));

  visible = !!visible;
  if (self->visible == visible)
    return FALSE;
  self->visible = visible;
  return TRUE;
}

static const guint search_fields[] = {
  DECK_FIELD_LABEL, DECK_FIELD_UUID, DECK_FIELD_MAC, DECK_FIELD_TCP, DECK_FIELD_NETNAME,
  DECK_FIELD_TYPE, DECK_FIELD_ID, DECK_FIELD_OS, DECK_FIELD_DIST,
};

const char *
deck_machine_item_get_search_text (DeckMachineItem *self)
{
  GString *s;

  g_return_val_if_fail (DECK_IS_MACHINE_ITEM (self), NULL);

  if (self->search_text != NULL)
    return self->search_text;
  s = g_string_new (self->host_name);
  if (self->records != NULL)
    for (guint i = 0; i < self->records->len; i++)
      for (guint f = 0; f < G_N_ELEMENTS (search_fields); f++)
        {
          /* a newline between fields: a word never matches across two of them */
          g_string_append_c (s, '\n');
          g_string_append (s, deck_record_get (self->records->pdata[i], search_fields[f]));
        }
  self->search_text = g_utf8_strdown (s->str, s->len);
  g_string_free (s, TRUE);
  return self->search_text;
}
