/* deck-host-list.c: the hosts vmdeck works with, kept in a ctys group file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-host-list.h"

#include <errno.h>

#include "deck-error.h"

struct _DeckHostList
{
  GObject parent_instance;

  char *path;
  GPtrArray *hosts;     /* DeckHost *; [0] is the local host */
  GPtrArray *targets;   /* DeckTarget *, parallel to hosts; [0] is NULL */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeckHostList, deck_host_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return DECK_TYPE_HOST;
}

static guint
get_n_items (GListModel *model)
{
  return DECK_HOST_LIST (model)->hosts->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  DeckHostList *self = DECK_HOST_LIST (model);

  return position < self->hosts->len ? g_object_ref (self->hosts->pdata[position]) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
deck_host_list_finalize (GObject *object)
{
  DeckHostList *self = DECK_HOST_LIST (object);

  g_free (self->path);
  g_ptr_array_unref (self->hosts);
  g_ptr_array_unref (self->targets);
  G_OBJECT_CLASS (deck_host_list_parent_class)->finalize (object);
}

static void
deck_host_list_class_init (DeckHostListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = deck_host_list_finalize;
}

static void
deck_host_list_init (DeckHostList *self)
{
  self->hosts = g_ptr_array_new_with_free_func (g_object_unref);
  self->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_target_free);
  g_ptr_array_add (self->hosts, deck_host_new_local ());
  g_ptr_array_add (self->targets, NULL);
}

DeckHostList *
deck_host_list_new (const char *path)
{
  DeckHostList *self = g_object_new (DECK_TYPE_HOST_LIST, NULL);

  self->path = path ? g_strdup (path)
                    : g_build_filename (g_get_home_dir (), ".ctys", "groups", DECK_HOST_LIST_GROUP, NULL);
  return self;
}

const char *
deck_host_list_get_path (DeckHostList *self)
{
  return self->path;
}

static char *
target_key (const DeckTarget *t)
{
  return t->user ? g_strdup_printf ("%s@%s", t->user, t->host) : g_strdup (t->host);
}

gboolean
deck_host_list_load (DeckHostList *self,
                     GError      **error)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_object_unref);
  guint removed = self->hosts->len - 1;

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    targets = g_ptr_array_new_with_free_func ((GDestroyNotify) deck_target_free);
  else if ((targets = deck_targets_load_group (self->path, NULL, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < targets->len; i++)
    {
      DeckHost *host = deck_host_new_from_target (targets->pdata[i], error);

      if (host == NULL)
        {
          g_prefix_error (error, "%s: ", self->path);
          return FALSE;
        }
      g_ptr_array_add (hosts, host);
    }

  g_ptr_array_remove_range (self->hosts, 1, removed);
  g_ptr_array_remove_range (self->targets, 1, removed);
  for (guint i = 0; i < hosts->len; i++)
    {
      g_ptr_array_add (self->hosts, g_object_ref (hosts->pdata[i]));
      g_ptr_array_add (self->targets, deck_target_copy (targets->pdata[i]));
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 1, removed, hosts->len);
  return TRUE;
}

gboolean
deck_host_list_save (DeckHostList *self,
                     GError      **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autofree char *dir = g_path_get_dirname (self->path);

  for (guint i = 1; i < self->targets->len; i++)
    g_ptr_array_add (targets, self->targets->pdata[i]);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  return deck_targets_save_group (self->path, targets,
                                  "hosts of vmdeck (a ctys group: use it as the target \""
                                  DECK_HOST_LIST_GROUP "\")", error);
}

DeckHost *
deck_host_list_find (DeckHostList *self,
                     const char   *name)
{
  for (guint i = 1; i < self->targets->len; i++)
    {
      const DeckTarget *t = self->targets->pdata[i];
      g_autofree char *key = target_key (t);

      if (g_str_equal (key, name) || g_str_equal (t->host, name))
        return self->hosts->pdata[i];
    }
  if (g_str_equal (name, deck_host_get_name (self->hosts->pdata[0])) || g_str_equal (name, "localhost"))
    return self->hosts->pdata[0];
  return NULL;
}

DeckHost *
deck_host_list_add (DeckHostList     *self,
                    const DeckTarget *target,
                    GError          **error)
{
  g_autofree char *key = target_key (target);
  DeckHost *host;

  for (guint i = 1; i < self->targets->len; i++)
    {
      g_autofree char *other = target_key (self->targets->pdata[i]);

      if (g_str_equal (key, other))
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_EXISTS, "%s is already in the host list", key);
          return NULL;
        }
    }
  if ((host = deck_host_new_from_target (target, error)) == NULL)
    return NULL;
  g_ptr_array_add (self->hosts, host);
  g_ptr_array_add (self->targets, deck_target_copy (target));
  g_list_model_items_changed (G_LIST_MODEL (self), self->hosts->len - 1, 0, 1);
  return host;
}

DeckHost *
deck_host_list_replace (DeckHostList     *self,
                        DeckHost         *host,
                        const DeckTarget *target,
                        GError          **error)
{
  g_autofree char *key = target_key (target);
  DeckHost *replacement;
  guint pos;

  if (!g_ptr_array_find (self->hosts, host, &pos) || pos == 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND, "%s is not in the host list",
                   deck_host_get_name (host));
      return NULL;
    }
  for (guint i = 1; i < self->targets->len; i++)
    {
      g_autofree char *other = target_key (self->targets->pdata[i]);

      if (i != pos && g_str_equal (key, other))
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_EXISTS, "%s is already in the host list", key);
          return NULL;
        }
    }
  if ((replacement = deck_host_new_from_target (target, error)) == NULL)
    return NULL;
  g_ptr_array_index (self->hosts, pos) = replacement;
  g_object_unref (host);
  deck_target_free (self->targets->pdata[pos]);
  self->targets->pdata[pos] = deck_target_copy (target);
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 1);
  return replacement;
}

gboolean
deck_host_list_remove (DeckHostList *self,
                       DeckHost     *host)
{
  guint pos;

  if (!g_ptr_array_find (self->hosts, host, &pos) || pos == 0)
    return FALSE;
  g_ptr_array_remove_index (self->hosts, pos);
  g_ptr_array_remove_index (self->targets, pos);
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);
  return TRUE;
}

const DeckTarget *
deck_host_list_get_target (DeckHostList *self,
                           DeckHost     *host)
{
  guint pos;

  return g_ptr_array_find (self->hosts, host, &pos) ? self->targets->pdata[pos] : NULL;
}
