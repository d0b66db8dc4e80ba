/* deck-machine-tree.c: the inventory as a tree of hosts and machines, with a filter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-machine-tree.h"

#include <string.h>

#include "deck-address.h"
#include "deck-error.h"
#include "deck-machine-item-private.h"
#include "deck-stack.h"

typedef struct _Group Group;

/* One machine as one host registered it, before it is placed (maybe several times). */
typedef struct {
  GPtrArray *records;   /* DeckRecord, one per interface */
  Group *inner;         /* the host this machine is, when it is one of the groups */
} Proto;

struct _Group {
  char *name;
  GPtrArray *protos;    /* Proto */
  GHashTable *by_key;   /* config key -> Proto (while building) */
  gboolean listed;      /* one of the given host names */
  gboolean nested;      /* some machine is this host */
  gboolean placed;
};

struct _DeckMachineTree
{
  GObject parent_instance;

  GPtrArray *hosts;       /* DeckMachineItem (HOST), the top level */
  GHashTable *index;      /* "host\nlabel" and "host\nuuid" (lower case) -> GPtrArray of items */
  GPtrArray *group_names; /* canonical host names of the last build */
  guint n_machines;
  char *filter;
};

G_DEFINE_FINAL_TYPE (DeckMachineTree, deck_machine_tree, G_TYPE_OBJECT)

static void
proto_free (Proto *p)
{
  g_ptr_array_unref (p->records);
  g_free (p);
}

static void
group_free (Group *g)
{
  g_free (g->name);
  g_ptr_array_unref (g->protos);
  g_clear_pointer (&g->by_key, g_hash_table_unref);
  g_free (g);
}

static Group *
group_new (const char *name)
{
  Group *g = g_new0 (Group, 1);

  g->name = g_strdup (name);
  g->protos = g_ptr_array_new_with_free_func ((GDestroyNotify) proto_free);
  g->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return g;
}

static void
deck_machine_tree_finalize (GObject *object)
{
  DeckMachineTree *self = DECK_MACHINE_TREE (object);

  g_ptr_array_unref (self->hosts);
  g_hash_table_unref (self->index);
  g_ptr_array_unref (self->group_names);
  g_free (self->filter);

  G_OBJECT_CLASS (deck_machine_tree_parent_class)->finalize (object);
}

static void
deck_machine_tree_class_init (DeckMachineTreeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = deck_machine_tree_finalize;
}

static void
deck_machine_tree_init (DeckMachineTree *self)
{
  self->hosts = g_ptr_array_new_with_free_func (g_object_unref);
  self->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->group_names = g_ptr_array_new_with_free_func (g_free);
}

DeckMachineTree *
deck_machine_tree_new (void)
{
  return g_object_new (DECK_TYPE_MACHINE_TREE, NULL);
}

/* --- building ------------------------------------------------------------------------------- */

typedef struct {
  GPtrArray *groups;    /* Group, in order */
  GHashTable *by_name;  /* exact name as met -> Group (a cache in front of host matching) */
} Builder;

static Group *
builder_find (Builder    *b,
              const char *name)
{
  Group *g = g_hash_table_lookup (b->by_name, name);

  if (g != NULL)
    return g;
  for (guint i = 0; i < b->groups->len; i++)
    {
      Group *c = b->groups->pdata[i];

      if (deck_address_host_matches (c->name, name))
        {
          g_hash_table_insert (b->by_name, g_strdup (name), c);
          return c;
        }
    }
  return NULL;
}

static Group *
builder_get (Builder    *b,
             const char *name)
{
  Group *g = builder_find (b, name);

  if (g == NULL)
    {
      g = group_new (name);
      g_ptr_array_add (b->groups, g);
      g_hash_table_insert (b->by_name, g_strdup (name), g);
    }
  return g;
}

static int
proto_compare (gconstpointer a,
               gconstpointer b)
{
  const Proto *pa = *(Proto * const *) a;
  const Proto *pb = *(Proto * const *) b;
  DeckRecord *ra = pa->records->pdata[0];
  DeckRecord *rb = pb->records->pdata[0];
  int c = strcmp (deck_record_get (ra, DECK_FIELD_LABEL), deck_record_get (rb, DECK_FIELD_LABEL));

  return c ? c : strcmp (deck_record_get (ra, DECK_FIELD_ID), deck_record_get (rb, DECK_FIELD_ID));
}

static void
index_add (DeckMachineTree *self,
           const char      *host,
           const char      *name,
           DeckMachineItem *item)
{
  g_autofree char *raw = NULL;
  char *key;
  GPtrArray *items;

  if (*name == '\0')
    return;
  raw = g_strconcat (host, "\n", name, NULL);
  key = g_ascii_strdown (raw, -1);
  items = g_hash_table_lookup (self->index, key);
  if (items == NULL)
    {
      items = g_ptr_array_new ();
      g_hash_table_insert (self->index, key, items);
    }
  else
    g_free (key);
  g_ptr_array_add (items, item);
}

/* Places the machines of @g under @parent; a machine that is a host gets that host's
 * machines below it (@visited: the hosts on the way down, against cycles). */
static void
populate (DeckMachineTree *self,
          DeckMachineItem *parent,
          Group           *g,
          guint            depth,
          GHashTable      *visited)
{
  g->placed = TRUE;
  g_hash_table_add (visited, g);
  for (guint i = 0; i < g->protos->len; i++)
    {
      Proto *p = g->protos->pdata[i];
      g_autoptr(DeckMachineItem) item = deck_machine_item_new_machine (g->name, p->records->pdata[0]);
      g_autofree char *uuid = NULL;

      for (guint r = 1; r < p->records->len; r++)
        deck_machine_item_add_record (item, p->records->pdata[r]);
      deck_machine_item_append_child (parent, item);
      self->n_machines++;
      index_add (self, g->name, deck_machine_item_get_label (item), item);
      uuid = deck_address_normalize_uuid (deck_record_get (p->records->pdata[0], DECK_FIELD_UUID));
      index_add (self, g->name, uuid, item);

      if (p->inner != NULL && depth + 1 < DECK_STACK_MAX_DEPTH && !g_hash_table_contains (visited, p->inner))
        populate (self, item, p->inner, depth + 1, visited);
    }
  g_hash_table_remove (visited, g);
}

static gboolean apply_filter (DeckMachineTree *self, const char *text, GPtrArray *changed, GError **error);

void
deck_machine_tree_build (DeckMachineTree    *self,
                         const char * const *host_names,
                         GPtrArray          *records)
{
  Builder b;
  g_autoptr(GHashTable) visited = g_hash_table_new (NULL, NULL);

  g_return_if_fail (DECK_IS_MACHINE_TREE (self));
  g_return_if_fail (records != NULL);

  b.groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  b.by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; host_names != NULL && host_names[i] != NULL; i++)
    builder_get (&b, host_names[i])->listed = TRUE;

  for (guint i = 0; i < records->len; i++)
    {
      DeckRecord *rec = records->pdata[i];
      const char *pm = deck_record_get (rec, DECK_FIELD_PM);
      const char *id = deck_record_get (rec, DECK_FIELD_ID);
      Group *g = builder_get (&b, *pm ? pm : "localhost");
      g_autofree char *key = *id ? g_strdup (id)
                                 : g_strconcat ("\n", deck_record_get (rec, DECK_FIELD_LABEL), "\n",
                                                deck_record_get (rec, DECK_FIELD_UUID), NULL);
      Proto *p = g_hash_table_lookup (g->by_key, key);

      if (p == NULL)
        {
          p = g_new0 (Proto, 1);
          p->records = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_add (g->protos, p);
          g_hash_table_insert (g->by_key, g_steal_pointer (&key), p);
        }
      g_ptr_array_add (p->records, g_object_ref (rec));
    }

  /* which machines are hosts themselves (VM stacks) */
  for (guint i = 0; i < b.groups->len; i++)
    {
      Group *g = b.groups->pdata[i];

      g_clear_pointer (&g->by_key, g_hash_table_unref);
      g_ptr_array_sort (g->protos, proto_compare);
      for (guint j = 0; j < g->protos->len; j++)
        {
          Proto *p = g->protos->pdata[j];
          g_autofree char *guest = deck_stack_guest_of (p->records->pdata[0]);
          Group *inner = guest ? builder_find (&b, guest) : NULL;

          if (inner != NULL && inner != g)
            {
              p->inner = inner;
              inner->nested = TRUE;
            }
        }
    }

  g_ptr_array_set_size (self->hosts, 0);
  g_hash_table_remove_all (self->index);
  g_ptr_array_set_size (self->group_names, 0);
  self->n_machines = 0;

  /* top level: listed hosts and hosts no machine is; then what a cycle left unplaced */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < b.groups->len; i++)
      {
        Group *g = b.groups->pdata[i];
        DeckMachineItem *host;

        if (pass == 0 ? (g->nested && !g->listed) : g->placed)
          continue;
        host = deck_machine_item_new_host (g->name);
        g_ptr_array_add (self->hosts, host);
        populate (self, host, g, 0, visited);
      }
  for (guint i = 0; i < b.groups->len; i++)
    g_ptr_array_add (self->group_names, g_strdup (((Group *) b.groups->pdata[i])->name));

  g_hash_table_unref (b.by_name);
  g_ptr_array_unref (b.groups);

  {
    g_autoptr(GPtrArray) changed = g_ptr_array_new ();

    if (!apply_filter (self, self->filter, changed, NULL))
      apply_filter (self, NULL, changed, NULL);
  }
}

GPtrArray *
deck_machine_tree_get_hosts (DeckMachineTree *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_TREE (self), NULL);

  return self->hosts;
}

guint
deck_machine_tree_get_n_machines (DeckMachineTree *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_TREE (self), 0);

  return self->n_machines;
}

DeckMachineItem *
deck_machine_tree_find_host (DeckMachineTree *self,
                             const char      *name)
{
  g_return_val_if_fail (DECK_IS_MACHINE_TREE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->hosts->len; i++)
    if (deck_address_host_matches (deck_machine_item_get_host_name (self->hosts->pdata[i]), name))
      return self->hosts->pdata[i];
  return NULL;
}

GPtrArray *
deck_machine_tree_find_machines (DeckMachineTree *self,
                                 const char      *host,
                                 const char      *name)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *uuid = NULL;

  g_return_val_if_fail (DECK_IS_MACHINE_TREE (self), result);
  g_return_val_if_fail (host != NULL && name != NULL, result);

  uuid = deck_address_normalize_uuid (name);
  for (guint i = 0; i < self->group_names->len; i++)
    {
      const char *group = self->group_names->pdata[i];

      if (!deck_address_host_matches (group, host))
        continue;
      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *raw = g_strconcat (group, "\n", k == 0 ? name : uuid, NULL);
          g_autofree char *key = g_ascii_strdown (raw, -1);
          GPtrArray *items = g_hash_table_lookup (self->index, key);

          for (guint j = 0; items != NULL && j < items->len; j++)
            if (!g_ptr_array_find (result, items->pdata[j], NULL))
              g_ptr_array_add (result, g_object_ref (items->pdata[j]));
        }
    }
  return result;
}

/* --- filtering ------------------------------------------------------------------------------ */

typedef struct {
  DeckAddress *address;   /* a machine address, or NULL */
  char **words;           /* plain text words, lower case, or NULL */
} Matcher;

/* Keys of deck-address.h: text "key:..." with one of them is a machine address. */
static const char * const address_keys[] = {
  "i", "id", "p", "pname", "pathname", "f", "fname", "filename", "b", "base", "basepath",
  "l", "label", "u", "uuid", "m", "mac", "t", "tcp", "dr", "dbrec", "dbrecord", NULL
};

static gboolean
is_address (const char *text)
{
  const char *colon = strchr (text, ':');
  g_autofree char *key = NULL;

  if (colon == NULL)
    return FALSE;
  key = g_ascii_strdown (text, colon - text);
  return g_strv_contains (address_keys, key);
}

static gboolean
words_match (char       **words,
             const char  *haystack)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (haystack, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
item_matches (Matcher         *m,
              DeckMachineItem *item)
{
  GPtrArray *records = deck_machine_item_get_records (item);

  if (m->words != NULL)
    return words_match (m->words, deck_machine_item_get_search_text (item));
  for (guint i = 0; i < records->len; i++)
    if (deck_address_matches (m->address, records->pdata[i]))
      return TRUE;
  return FALSE;
}

/* Sets the visibility of @item and below; returns it. @shown: an ancestor matched.
 * Items whose visibility changed are added to @changed (pre-order: parents first). */
static gboolean
filter_item (Matcher         *m,
             DeckMachineItem *item,
             gboolean         shown,
             GPtrArray       *changed)
{
  guint at = changed->len;

  GPtrArray *children = deck_machine_item_get_children (item);
  gboolean visible = shown;

  if (!visible && m != NULL)
    {
      if (deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_HOST)
        /* a host's name matches plain text: all of its machines */
        visible = m->words != NULL && words_match (m->words, deck_machine_item_get_search_text (item));
      else
        visible = item_matches (m, item);
    }
  if (m == NULL)
    visible = TRUE;
  shown = visible && (m == NULL || deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_HOST || shown);
  for (guint i = 0; i < children->len; i++)
    visible |= filter_item (m, children->pdata[i], shown, changed);
  if (deck_machine_item_set_visible (item, visible))
    g_ptr_array_insert (changed, at, item);   /* before its children */
  return visible;
}

static gboolean
apply_filter (DeckMachineTree *self,
              const char      *text,
              GPtrArray       *changed,
              GError         **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(DeckAddress) address = NULL;
  g_auto(GStrv) words = NULL;
  Matcher m = { NULL, NULL };

  if (*stripped != '\0' && is_address (stripped))
    {
      if ((address = deck_address_parse (stripped, error)) == NULL)
        return FALSE;
      m.address = address;
    }
  else if (*stripped != '\0')
    {
      g_autofree char *lower = g_utf8_strdown (stripped, -1);

      words = g_strsplit_set (lower, " \t", -1);
      /* drop the empty words of repeated blanks */
      {
        guint n = 0;

        for (guint i = 0; words[i] != NULL; i++)
          if (*words[i] != '\0')
            words[n++] = words[i];
          else
            g_free (words[i]);
        words[n] = NULL;
      }
      m.words = words;
    }

  for (guint i = 0; i < self->hosts->len; i++)
    filter_item (*stripped ? &m : NULL, self->hosts->pdata[i], FALSE, changed);

  if (g_strcmp0 (self->filter, text) != 0)
    {
      g_free (self->filter);
      self->filter = g_strdup (text);
    }
  return TRUE;
}

gboolean
deck_machine_tree_set_filter (DeckMachineTree *self,
                              const char      *text,
                              GError         **error)
{
  return deck_machine_tree_set_filter_full (self, text, NULL, error);
}

gboolean
deck_machine_tree_set_filter_full (DeckMachineTree  *self,
                                   const char       *text,
                                   GPtrArray       **changed,
                                   GError          **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) borrowed = g_ptr_array_new ();

  g_return_val_if_fail (DECK_IS_MACHINE_TREE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!apply_filter (self, text, borrowed, error))
    return FALSE;
  if (changed != NULL)
    {
      for (guint i = 0; i < borrowed->len; i++)
        g_ptr_array_add (items, g_object_ref (borrowed->pdata[i]));
      *changed = g_steal_pointer (&items);
    }
  return TRUE;
}

const char *
deck_machine_tree_get_filter (DeckMachineTree *self)
{
  g_return_val_if_fail (DECK_IS_MACHINE_TREE (self), NULL);

  return self->filter;
}

static guint
count_visible (DeckMachineItem *item)
{
  GPtrArray *children = deck_machine_item_get_children (item);
  guint n = 0;

  if (!deck_machine_item_get_visible (item))
    return 0;
  n = deck_machine_item_get_kind (item) == DECK_MACHINE_ITEM_MACHINE;
  for (guint i = 0; i < children->len; i++)
    n += count_visible (children->pdata[i]);
  return n;
}

guint
deck_machine_tree_count_visible (DeckMachineTree *self)
{
  guint n = 0;

  g_return_val_if_fail (DECK_IS_MACHINE_TREE (self), 0);

  for (guint i = 0; i < self->hosts->len; i++)
    n += count_visible (self->hosts->pdata[i]);
  return n;
}
