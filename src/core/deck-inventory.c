/* deck-inventory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-inventory.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "deck-error.h"

struct _DeckInventory
{
  GObject parent_instance;

  GPtrArray *records;  /* DeckRecord */
  GPtrArray *problems; /* char *, NULL-terminated */
};

static void deck_inventory_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeckInventory, deck_inventory, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, deck_inventory_list_model_init))

static GType
deck_inventory_get_item_type (GListModel *model)
{
  return DECK_TYPE_RECORD;
}

static guint
deck_inventory_get_n_items (GListModel *model)
{
  return DECK_INVENTORY (model)->records->len;
}

static gpointer
deck_inventory_get_item (GListModel *model,
                         guint       position)
{
  DeckInventory *self = DECK_INVENTORY (model);

  if (position >= self->records->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->records, position));
}

static void
deck_inventory_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = deck_inventory_get_item_type;
  iface->get_n_items = deck_inventory_get_n_items;
  iface->get_item = deck_inventory_get_item;
}

static void
deck_inventory_finalize (GObject *object)
{
  DeckInventory *self = DECK_INVENTORY (object);

  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (deck_inventory_parent_class)->finalize (object);
}

static void
deck_inventory_class_init (DeckInventoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = deck_inventory_finalize;
}

static GPtrArray *
new_problem_list (void)
{
  GPtrArray *a = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (a, NULL);
  return a;
}

static void
add_problem (DeckInventory *self,
             char          *message)
{
  /* keep the array NULL-terminated */
  self->problems->pdata[self->problems->len - 1] = message;
  g_ptr_array_add (self->problems, NULL);
}

static void
deck_inventory_init (DeckInventory *self)
{
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = new_problem_list ();
}

DeckInventory *
deck_inventory_new (void)
{
  return g_object_new (DECK_TYPE_INVENTORY, NULL);
}

char *
deck_inventory_default_dir (void)
{
  return g_build_filename (g_get_home_dir (), ".ctys", "db", "default", NULL);
}

char **
deck_inventory_split_dirs (const char *dirs)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) parts = dirs ? g_strsplit_set (dirs, ":,", -1) : NULL;
  guint n = 0;

  for (guint i = 0; parts && parts[i]; i++)
    if (*parts[i])
      {
        g_strv_builder_add (b, parts[i]);
        n++;
      }
  if (n == 0)
    {
      g_autofree char *def = deck_inventory_default_dir ();

      g_strv_builder_add (b, def);
    }
  return g_strv_builder_end (b);
}

/* Parses the lines of one enum.fdb into @out. Corrupt lines are skipped and described in
 * @problems ("<file>:<line>: ..."). Returns the number of corrupt lines. */
static guint
parse_fdb (const char *path,
           const char *data,
           gsize       len,
           GPtrArray  *out,
           GPtrArray  *problems)
{
  const char *p = data, *end = data + len;
  guint lineno = 0, bad = 0;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl ? nl : end;
      gsize llen = stop - p;
      g_autoptr(GError) error = NULL;
      DeckRecord *rec;

      lineno++;
      if (llen > 0 && p[llen - 1] == '\r')
        llen--;
      if (llen == 0)
        {
          p = nl ? nl + 1 : end;
          continue;
        }
      rec = deck_record_new_from_line (p, llen, &error);
      if (rec)
        g_ptr_array_add (out, rec);
      else
        {
          bad++;
          g_ptr_array_add (problems, g_strdup_printf ("%s:%u: corrupt record: %s", path, lineno, error->message));
        }
      p = nl ? nl + 1 : end;
    }
  return bad;
}

gboolean
deck_inventory_load (DeckInventory       *self,
                     const char * const  *dirs,
                     GError             **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_len;

  g_return_val_if_fail (DECK_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (dirs != NULL, FALSE);

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = new_problem_list ();

  for (guint i = 0; dirs[i]; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], DECK_INVENTORY_FILE, NULL);
      g_autofree char *data = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) problems = g_ptr_array_new (); /* strings move to self->problems */
      gsize len;

      if (!g_file_test (dirs[i], G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND,
                       "inventory directory %s does not exist; build it with ctys-vdbgen", dirs[i]);
          return FALSE;
        }
      if (!g_file_get_contents (path, &data, &len, &local_error))
        {
          if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            add_problem (self, g_strdup_printf ("%s: no inventory file; build it with ctys-vdbgen", path));
          else
            add_problem (self, g_strdup_printf ("%s: %s", path, local_error->message));
          continue;
        }
      parse_fdb (path, data, len, records, problems);
      for (guint j = 0; j < problems->len; j++)
        add_problem (self, problems->pdata[j]);
    }

  for (guint i = 0; i < records->len; i++)
    {
      char idx[16];

      g_snprintf (idx, sizeof idx, "%u", i + 1);
      deck_record_set (g_ptr_array_index (records, i), DECK_FIELD_INDEX, idx);
    }

  old_len = self->records->len;
  g_ptr_array_unref (self->records);
  self->records = g_steal_pointer (&records);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->records->len);
  return TRUE;
}

GPtrArray *
deck_inventory_get_records (DeckInventory *self)
{
  g_return_val_if_fail (DECK_IS_INVENTORY (self), NULL);

  return self->records;
}

const char * const *
deck_inventory_get_problems (DeckInventory *self)
{
  g_return_val_if_fail (DECK_IS_INVENTORY (self), NULL);

  return (const char * const *) self->problems->pdata;
}

/* --- writing ---------------------------------------------------------------------- */

static int
compare_records (gconstpointer a,
                 gconstpointer b)
{
  return deck_record_compare (*(DeckRecord **) a, *(DeckRecord **) b);
}

static gboolean
fsync_dir (const char  *dir,
           GError     **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot sync directory %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
write_atomically (const char  *dir,
                  const char  *path,
                  GString     *contents,
                  GError     **error)
{
  g_autofree char *tmpl = g_build_filename (dir, ".enum.fdb.XXXXXX", NULL);
  gsize done = 0;
  int fd, saved;

  fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    goto fail;
  while (done < contents->len)
    {
      ssize_t n = write (fd, contents->str + done, contents->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto fail;
      done += n;
    }
  if (fsync (fd) != 0)
    goto fail;
  if (close (fd) != 0)
    {
      fd = -1;
      goto fail;
    }
  fd = -1;
  if (g_rename (tmpl, path) != 0)
    goto fail;
  return fsync_dir (dir, error);

fail:
  saved = errno;
  if (fd >= 0)
    close (fd);
  g_unlink (tmpl);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "cannot write %s: %s", path, g_strerror (saved));
  return FALSE;
}

gboolean
deck_inventory_write (const char              *dir,
                      GPtrArray               *records,
                      DeckInventoryWriteMode   mode,
                      GError                 **error)
{
  g_autofree char *path = NULL;
  g_autofree char *lock_path = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *parent_fdb = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) out = NULL;
  const char *prev = NULL;
  gboolean ok;
  int lock_fd;

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  parent = g_path_get_dirname (dir);
  parent_fdb = g_build_filename (parent, DECK_INVENTORY_FILE, NULL);
  if (g_file_test (parent_fdb, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                   "%s is inside another inventory (%s exists); nested databases are not allowed",
                   dir, parent_fdb);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create inventory directory %s: %s", dir, g_strerror (saved));
      return FALSE;
    }

  path = g_build_filename (dir, DECK_INVENTORY_FILE, NULL);
  lock_path = g_build_filename (dir, DECK_INVENTORY_FILE ".lock", NULL);
  lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0 || flock (lock_fd, LOCK_EX) != 0)
    {
      int saved = errno;

      if (lock_fd >= 0)
        close (lock_fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot lock %s: %s", lock_path, g_strerror (saved));
      return FALSE;
    }

  /* Under the lock from here on. */
  ok = FALSE;
  if (mode != DECK_INVENTORY_REPLACE && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *data = NULL;
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      gsize len;

      if (mode == DECK_INVENTORY_CREATE)
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_EXISTS,
                       "%s already exists; use --append to add to it or --replace to rebuild it", path);
          goto out;
        }
      if (!g_file_get_contents (path, &data, &len, error))
        goto out;
      if (parse_fdb (path, data, len, all, problems) > 0)
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_CORRUPT,
                       "%s (%u corrupt line%s); nothing was written. Repair or remove the line%s, or use --replace",
                       (char *) problems->pdata[0], problems->len, problems->len == 1 ? "" : "s",
                       problems->len == 1 ? "" : "s");
          goto out;
        }
    }

  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (all, deck_record_copy (g_ptr_array_index (records, i)));
  for (guint i = 0; i < all->len; i++)
    deck_record_set (g_ptr_array_index (all, i), DECK_FIELD_INDEX, NULL);
  g_ptr_array_sort (all, compare_records);

  out = g_string_sized_new (all->len * 160);
  for (guint i = 0; i < all->len; i++)
    {
      const char *line = deck_record_to_line (g_ptr_array_index (all, i));

      if (prev && strcmp (prev, line) == 0)
        continue;
      g_string_append (out, line);
      g_string_append_c (out, '\n');
      prev = line;
    }
  ok = write_atomically (dir, path, out, error);

out:
  flock (lock_fd, LOCK_UN);
  close (lock_fd);
  return ok;
}
