/* deck-scanner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-scanner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "deck-domain-xml.h"
#include "deck-error.h"
#include "deck-record.h"
#include "deck-scan-stream.h"
#include "deck-xen-config.h"

/* Files larger than this are not configuration files; they are skipped with a warning. */
#define MAX_CONFIG_SIZE (4 * 1024 * 1024)

struct _DeckScanner
{
  GObject parent_instance;

  GStrv bases;
  char *nodename;
  char *etc_dir;
  GStrv vstates;       /* upper case; NULL = default */
  gboolean any_vstate;

  /* results */
  GPtrArray *records;
  GPtrArray *warnings; /* NULL-terminated */
  guint n_files;

  /* per run */
  char *run_nodename;
  char *user;
  char *group;
  char *hyperrelrun;
  GHashTable *hosts;   /* address -> name, from /etc/hosts */
};

G_DEFINE_FINAL_TYPE (DeckScanner, deck_scanner, G_TYPE_OBJECT)

static void
deck_scanner_finalize (GObject *object)
{
  DeckScanner *self = DECK_SCANNER (object);

  g_strfreev (self->bases);
  g_free (self->nodename);
  g_free (self->etc_dir);
  g_strfreev (self->vstates);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_free (self->run_nodename);
  g_free (self->user);
  g_free (self->group);
  g_free (self->hyperrelrun);
  g_clear_pointer (&self->hosts, g_hash_table_unref);

  G_OBJECT_CLASS (deck_scanner_parent_class)->finalize (object);
}

static void
deck_scanner_class_init (DeckScannerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = deck_scanner_finalize;
}

static void
deck_scanner_init (DeckScanner *self)
{
  self->etc_dir = g_strdup ("/etc/ctys.d");
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->warnings, NULL);
}

DeckScanner *
deck_scanner_new (void)
{
  return g_object_new (DECK_TYPE_SCANNER, NULL);
}

char *
deck_scanner_default_nodename (void)
{
  const char *env = g_getenv ("VMDECK_NODENAME");
  struct utsname u;

  if (env != NULL && *env)
    return g_strdup (env);
  if (uname (&u) == 0)
    return g_strdup (u.nodename);
  return g_strdup (g_get_host_name ());
}

void
deck_scanner_set_bases (DeckScanner        *self,
                        const char * const *bases)
{
  g_return_if_fail (DECK_IS_SCANNER (self));

  g_strfreev (self->bases);
  self->bases = g_strdupv ((char **) bases);
}

void
deck_scanner_set_nodename (DeckScanner *self,
                           const char  *nodename)
{
  g_return_if_fail (DECK_IS_SCANNER (self));

  g_free (self->nodename);
  self->nodename = g_strdup (nodename);
}

void
deck_scanner_set_etc_dir (DeckScanner *self,
                          const char  *etc_dir)
{
  g_return_if_fail (DECK_IS_SCANNER (self));

  g_free (self->etc_dir);
  self->etc_dir = g_strdup (etc_dir);
}

static const char * const known_vstates[] = {
  "ACTIVE", "DISABLED", "BACKUP", "TEMPLATE", "TESTDUMMY", "IGNORE", "EMPTY",
  "PRESENT", "ALL", "ENABLED", "CUSTOM", NULL,
};

gboolean
deck_scanner_set_vstates (DeckScanner        *self,
                          const char * const *vstates,
                          GError            **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  gboolean custom = FALSE, any = FALSE;

  g_return_val_if_fail (DECK_IS_SCANNER (self), FALSE);

  for (guint i = 0; vstates && vstates[i]; i++)
    {
      g_autofree char *up = g_ascii_strup (vstates[i], -1);

      if (*up == '\0')
        continue;
      if (!custom && !g_strv_contains (known_vstates, up))
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE,
                       "unknown MATCHVSTAT state '%s'; expected ACTIVE, DISABLED, BACKUP, TEMPLATE, "
                       "TESTDUMMY, IGNORE, EMPTY, PRESENT, ALL, ENABLED or CUSTOM%%<state>", vstates[i]);
          return FALSE;
        }
      if (strcmp (up, "CUSTOM") == 0)
        custom = TRUE;
      else if (strcmp (up, "ALL") == 0 || strcmp (up, "PRESENT") == 0)
        any = TRUE;
      else if (strcmp (up, "ENABLED") == 0)
        g_strv_builder_add (b, "ACTIVE");
      else
        g_strv_builder_add (b, up);
    }

  g_strfreev (self->vstates);
  self->vstates = vstates ? g_strv_builder_end (b) : NULL;
  self->any_vstate = any;
  return TRUE;
}

static gboolean
vstate_accepted (DeckScanner *self,
                 const char  *vmstate)
{
  if (self->any_vstate)
    return TRUE;
  if (self->vstates == NULL)
    return *vmstate == '\0' || g_ascii_strcasecmp (vmstate, "ACTIVE") == 0
           || g_ascii_strcasecmp (vmstate, "DISABLED") == 0;
  if (*vmstate == '\0')
    return g_strv_contains ((const char * const *) self->vstates, "EMPTY");
  for (guint i = 0; self->vstates[i]; i++)
    if (g_ascii_strcasecmp (self->vstates[i], vmstate) == 0)
      return TRUE;
  return FALSE;
}

static void
warn (DeckScanner *self,
      char        *message)
{
  self->warnings->pdata[self->warnings->len - 1] = message;
  g_ptr_array_add (self->warnings, NULL);
}

/* --- host data -------------------------------------------------------------------------- */

static char *
read_trimmed (const char *path)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_strstrip (contents);
}

/* "xen-4.17.2" when this host runs on Xen, else NULL. */
static char *
running_xen_release (void)
{
  g_autofree char *type = read_trimmed ("/sys/hypervisor/type");
  g_autofree char *major = NULL, *minor = NULL, *extra = NULL;

  if (g_strcmp0 (type, "xen") != 0)
    return NULL;
  major = read_trimmed ("/sys/hypervisor/version/major");
  minor = read_trimmed ("/sys/hypervisor/version/minor");
  extra = read_trimmed ("/sys/hypervisor/version/extra");
  if (major == NULL || minor == NULL)
    return NULL;
  return g_strdup_printf ("xen-%s.%s%s", major, minor, extra ? extra : "");
}

/* Address -> first name of a hosts file's text (the scanning host's /etc/hosts, read once
 * per run; no network lookups). */
static GHashTable *
parse_hosts_file (const char *contents)
{
  GHashTable *hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;

  if (contents == NULL)
    return hosts;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *hash = strchr (lines[i], '#');
      g_auto(GStrv) words = NULL;
      guint n = 0;

      if (hash)
        *hash = '\0';
      words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      for (guint j = 0; words[j]; j++)
        if (*words[j])
          words[n++] = words[j];
        else
          g_free (words[j]);
      words[n] = NULL;
      if (n >= 2 && !g_hash_table_contains (hosts, words[0])
          && deck_record_check_value (words[1], NULL))
        g_hash_table_insert (hosts, g_strdup (words[0]), g_strdup (words[1]));
    }
  return hosts;
}

/* Starts a run: clears the results and takes the facts of the scanned host. */
static void
begin_run (DeckScanner *self,
           char        *nodename,
           char        *user,
           char        *group,
           char        *hyperrelrun,
           const char  *hosts_file)
{
  g_ptr_array_set_size (self->records, 0);
  g_ptr_array_set_size (self->warnings, 0);
  g_ptr_array_add (self->warnings, NULL);
  self->n_files = 0;
  g_free (self->run_nodename);
  self->run_nodename = nodename;
  g_free (self->user);
  self->user = user;
  g_free (self->group);
  self->group = group;
  g_free (self->hyperrelrun);
  self->hyperrelrun = hyperrelrun && *hyperrelrun ? hyperrelrun : (g_free (hyperrelrun), NULL);
  g_clear_pointer (&self->hosts, g_hash_table_unref);
  self->hosts = parse_hosts_file (hosts_file);
}

static void
begin_local_run (DeckScanner *self)
{
  struct passwd *pw = getpwuid (getuid ());
  struct group *gr = getgrgid (getgid ());
  g_autofree char *hosts = NULL;

  g_file_get_contents ("/etc/hosts", &hosts, NULL, NULL);
  begin_run (self,
             self->nodename ? g_strdup (self->nodename) : deck_scanner_default_nodename (),
             pw ? g_strdup (pw->pw_name) : g_strdup_printf ("%u", (guint) getuid ()),
             gr ? g_strdup (gr->gr_name) : g_strdup_printf ("%u", (guint) getgid ()),
             running_xen_release (), hosts);
}

/* --- walking -------------------------------------------------------------------------------- */

typedef enum {
  CANDIDATE_NONE,
  CANDIDATE_XEN,
  CANDIDATE_XML,
} CandidateKind;

static CandidateKind
candidate_kind (const char *name)
{
  if (g_str_has_suffix (name, ".conf") || g_str_has_suffix (name, ".ctys") || g_str_has_suffix (name, ".cfg"))
    return CANDIDATE_XEN;
  if (g_str_has_suffix (name, ".xml"))
    return CANDIDATE_XML;
  return CANDIDATE_NONE;
}

/* Reads a whole regular file relative to @dirfd. */
static char *
read_at (int          dirfd,
         const char  *name,
         gsize       *len_out,
         int         *errno_out)
{
  struct stat st;
  char *buf;
  gsize done = 0;
  int fd = openat (dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);

  if (fd < 0)
    {
      *errno_out = errno;
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      *errno_out = errno;
      close (fd);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      *errno_out = EINVAL;
      close (fd);
      return NULL;
    }
  if (st.st_size > MAX_CONFIG_SIZE)
    {
      *errno_out = EFBIG;
      close (fd);
      return NULL;
    }
  buf = g_malloc (st.st_size + 1);
  while (done < (gsize) st.st_size)
    {
      ssize_t n = read (fd, buf + done, st.st_size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  close (fd);
  buf[done] = '\0';
  *len_out = done;
  return buf;
}

static GBytes *
load_side_file (const char  *path,
                gpointer     user_data,
                GError     **error)
{
  char *contents;
  gsize len;
  int err = 0;

  contents = read_at (AT_FDCWD, path, &len, &err);
  if (contents == NULL)
    {
      if (err != ENOENT && err != ENOTDIR)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "%s: %s", path, g_strerror (err));
      return NULL;
    }
  return g_bytes_new_take (contents, len);
}

static void
add_record (DeckScanner *self,
            DeckRecord  *rec)
{
  const char *ip = deck_record_get (rec, DECK_FIELD_TCP);
  const char *name;

  if (!vstate_accepted (self, deck_record_get (rec, DECK_FIELD_VMSTATE)))
    return;
  deck_record_set (rec, DECK_FIELD_PM, self->run_nodename);
  deck_record_set (rec, DECK_FIELD_UID, self->user);
  deck_record_set (rec, DECK_FIELD_GID, self->group);
  if (self->hyperrelrun && strcmp (deck_record_get (rec, DECK_FIELD_TYPE), "XEN") == 0)
    deck_record_set (rec, DECK_FIELD_HYPERRELRUN, self->hyperrelrun);
  if (*ip && *deck_record_get (rec, DECK_FIELD_NETNAME) == '\0'
      && (name = g_hash_table_lookup (self->hosts, ip)) != NULL)
    deck_record_set (rec, DECK_FIELD_NETNAME, name);
  g_ptr_array_add (self->records, g_object_ref (rec));
}

/* A candidate that could not be read (errno @err). */
static void
candidate_unread (DeckScanner   *self,
                  const char    *path,
                  CandidateKind  kind,
                  int            err)
{
  if (err == EFBIG)
    warn (self, g_strdup_printf ("%s: larger than %d bytes; not read as a configuration file",
                                 path, MAX_CONFIG_SIZE));
  else if (err == EACCES && kind == CANDIDATE_XEN)
    {
      g_autoptr(DeckRecord) rec = deck_record_new ();

      /* as ctys: the host and the type are all that is known of an unreadable config */
      warn (self, g_strdup_printf ("%s: partial access error: %s", path, g_strerror (err)));
      deck_record_set (rec, DECK_FIELD_TYPE, "XEN");
      add_record (self, rec);
    }
  else if (err != ENOENT && err != ELOOP && err != EINVAL)
    warn (self, g_strdup_printf ("%s: cannot read: %s", path, g_strerror (err)));
}

/* Parses one candidate's contents; side files come through @loader. */
static void
scan_data (DeckScanner   *self,
           const char    *path,
           const char    *data,
           gsize          len,
           CandidateKind  kind,
           DeckFileLoader loader,
           gpointer       loader_data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  if (kind == CANDIDATE_XML)
    records = deck_domain_xml_scan_file (path, data, len, &error);
  else
    records = deck_xen_config_scan_file (path, data, len, self->etc_dir, loader, loader_data, &error);

  if (error != NULL)
    {
      warn (self, g_strdup_printf ("%s; file skipped", error->message));
      return;
    }
  for (guint i = 0; records && i < records->len; i++)
    add_record (self, g_ptr_array_index (records, i));
}

static void
scan_candidate (DeckScanner   *self,
                int            dirfd,
                const char    *dir_path,
                const char    *name,
                CandidateKind  kind)
{
  g_autofree char *path = g_build_filename (dir_path, name, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  int err = 0;

  data = read_at (dirfd, name, &len, &err);
  self->n_files++;
  if (data == NULL)
    candidate_unread (self, path, kind, err);
  else
    scan_data (self, path, data, len, kind, load_side_file, NULL);
}

static gboolean
walk (DeckScanner   *self,
      int            dirfd,
      const char    *dir_path,
      GCancellable  *cancellable,
      GError       **error)
{
  DIR *dir = fdopendir (dirfd);
  struct dirent *de;

  if (dir == NULL)
    {
      warn (self, g_strdup_printf ("%s: partial access error: %s", dir_path, g_strerror (errno)));
      close (dirfd);
      return TRUE;
    }

  while ((de = readdir (dir)) != NULL)
    {
      unsigned char type = de->d_type;
      CandidateKind kind;

      if (de->d_name[0] == '.' && (de->d_name[1] == '\0' || (de->d_name[1] == '.' && de->d_name[2] == '\0')))
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          closedir (dir);
          return FALSE;
        }
      if (type == DT_UNKNOWN)
        {
          struct stat st;

          if (fstatat (dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
          type = S_ISDIR (st.st_mode) ? DT_DIR : S_ISREG (st.st_mode) ? DT_REG : DT_LNK;
        }
      if (type == DT_DIR)
        {
          g_autofree char *sub_path = g_build_filename (dir_path, de->d_name, NULL);
          int fd = openat (dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

          if (fd < 0)
            {
              warn (self, g_strdup_printf ("%s: partial access error: %s", sub_path, g_strerror (errno)));
              continue;
            }
          if (!walk (self, fd, sub_path, cancellable, error))
            {
              closedir (dir);
              return FALSE;
            }
          continue;
        }
      if (type != DT_REG || (kind = candidate_kind (de->d_name)) == CANDIDATE_NONE)
        continue;
      scan_candidate (self, dirfd, dir_path, de->d_name, kind);
    }
  closedir (dir);
  return TRUE;
}

static int
compare_records (gconstpointer a,
                 gconstpointer b)
{
  return deck_record_compare (*(DeckRecord **) a, *(DeckRecord **) b);
}

static char **
default_bases (void)
{
  const char *candidates[] = { g_get_home_dir (), "/etc/ctys.d", "/mntn/vmpool" };
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_IS_DIR))
      g_strv_builder_add (b, candidates[i]);
  return g_strv_builder_end (b);
}

/* Spec §4.3 b:: a relative base is relative to the login directory on the target, $HOME,
 * on this machine as on a remote one (the remote scan starts there). */
static char *
absolute_base (const char *base)
{
  if (g_str_equal (base, "~"))
    return g_strdup (g_get_home_dir ());
  if (g_str_has_prefix (base, "~/"))
    return g_build_filename (g_get_home_dir (), base + 2, NULL);
  return g_canonicalize_filename (base, g_get_home_dir ());
}

static void sort_unique (DeckScanner *self);

gboolean
deck_scanner_run (DeckScanner   *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_auto(GStrv) bases = NULL;

  g_return_val_if_fail (DECK_IS_SCANNER (self), FALSE);

  begin_local_run (self);
  if (!deck_record_check_value (self->run_nodename, error))
    {
      g_prefix_error (error, "host name '%s': ", self->run_nodename);
      return FALSE;
    }

  if (self->bases == NULL)
    bases = default_bases ();
  else
    {
      bases = g_new0 (char *, g_strv_length (self->bases) + 1);
      for (guint i = 0; self->bases[i]; i++)
        bases[i] = absolute_base (self->bases[i]);
    }

  for (guint i = 0; bases[i]; i++)
    if (!g_file_test (bases[i], G_FILE_TEST_IS_DIR))
      {
        g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND,
                     "base directory %s does not exist", bases[i]);
        return FALSE;
      }

  for (guint i = 0; bases[i]; i++)
    {
      int fd = open (bases[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);

      if (fd < 0)
        {
          warn (self, g_strdup_printf ("%s: partial access error: %s", bases[i], g_strerror (errno)));
          continue;
        }
      if (!walk (self, fd, bases[i], cancellable, error))
        return FALSE;
    }
  sort_unique (self);
  return TRUE;
}

/* sort -u of the records */
static void
sort_unique (DeckScanner *self)
{
  g_autoptr(GPtrArray) sorted = NULL;
  DeckRecord *prev = NULL;

  sorted = g_ptr_array_new_full (self->records->len, g_object_unref);
  g_ptr_array_sort (self->records, compare_records);
  for (guint i = 0; i < self->records->len; i++)
    {
      DeckRecord *rec = g_ptr_array_index (self->records, i);

      if (prev && deck_record_compare (prev, rec) == 0)
        continue;
      g_ptr_array_add (sorted, g_object_ref (rec));
      prev = rec;
    }
  g_ptr_array_unref (self->records);
  self->records = g_steal_pointer (&sorted);
}

static void
run_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (deck_scanner_run (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
deck_scanner_run_async (DeckScanner         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DECK_IS_SCANNER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, deck_scanner_run_async);
  g_task_run_in_thread (task, run_in_thread);
}

gboolean
deck_scanner_run_finish (DeckScanner   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GPtrArray *
deck_scanner_get_records (DeckScanner *self)
{
  g_return_val_if_fail (DECK_IS_SCANNER (self), NULL);

  return self->records;
}

const char * const *
deck_scanner_get_warnings (DeckScanner *self)
{
  g_return_val_if_fail (DECK_IS_SCANNER (self), NULL);

  return (const char * const *) self->warnings->pdata;
}

guint
deck_scanner_get_n_files (DeckScanner *self)
{
  g_return_val_if_fail (DECK_IS_SCANNER (self), 0);

  return self->n_files;
}

/* --- remote hosts ------------------------------------------------------------------------- */

static const char * const remote_default_bases[] = { "~", "/etc/ctys.d", "/mntn/vmpool", NULL };

static GBytes *
load_stream_file (const char  *path,
                  gpointer     user_data,
                  GError     **error)
{
  DeckScanStream *stream = user_data;
  GBytes *b = g_hash_table_lookup (stream->files, path);

  return b ? g_bytes_ref (b) : NULL;
}

/* TRUE when @path lies below one of the bases the host reported. */
static gboolean
below_a_base (DeckScanStream *stream,
              const char     *path)
{
  for (guint i = 0; i < stream->bases->len; i++)
    {
      const char *base = g_ptr_array_index (stream->bases, i);
      gsize n = strlen (base);

      if (strncmp (path, base, n) == 0 && (path[n] == '/' || (n == 1 && base[0] == '/')))
        return TRUE;
    }
  return FALSE;
}

static const char *
basename_of (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash ? slash + 1 : path;
}

gboolean
deck_scanner_run_stream (DeckScanner *self,
                         const char  *host,
                         GBytes      *bytes,
                         const char  *stderr_text,
                         GError     **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(DeckScanStream) stream = deck_scan_stream_parse (host, data, len, error);
  GBytes *hosts_file;
  g_autofree char *hosts_text = NULL;
  g_auto(GStrv) err_lines = NULL;

  if (stream == NULL)
    return FALSE;
  if (self->bases && stream->missing->len > 0)
    {
      g_set_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND, "%s: base directory %s does not exist",
                   host, (char *) g_ptr_array_index (stream->missing, 0));
      return FALSE;
    }
  if ((hosts_file = g_hash_table_lookup (stream->files, "/etc/hosts")) != NULL)
    hosts_text = g_strndup (g_bytes_get_data (hosts_file, NULL), g_bytes_get_size (hosts_file));
  begin_run (self, g_strdup (stream->nodename), g_strdup (stream->user), g_strdup (stream->group),
             g_strdup (stream->hyperrelrun), hosts_text);
  if (!deck_record_check_value (self->run_nodename, error))
    {
      g_prefix_error (error, "%s: host name '%s': ", host, self->run_nodename);
      return FALSE;
    }

  for (guint i = 0; i < stream->paths->len; i++)
    {
      const char *path = g_ptr_array_index (stream->paths, i);
      CandidateKind kind = candidate_kind (basename_of (path));
      GBytes *b;

      if (kind == CANDIDATE_NONE || !below_a_base (stream, path))
        continue;   /* a side file the stream carries for the loader */
      b = g_hash_table_lookup (stream->files, path);
      self->n_files++;
      scan_data (self, path, g_bytes_get_data (b, NULL), g_bytes_get_size (b), kind,
                 load_stream_file, stream);
    }
  for (guint i = 0; i < stream->unreadable->len; i++)
    {
      const char *path = g_ptr_array_index (stream->unreadable, i);

      self->n_files++;
      candidate_unread (self, path, candidate_kind (basename_of (path)), EACCES);
    }
  for (guint i = 0; i < stream->too_big->len; i++)
    candidate_unread (self, g_ptr_array_index (stream->too_big, i), CANDIDATE_XEN, EFBIG);

  /* what find and tar said on the host (unreadable directories, files that changed) */
  err_lines = g_strsplit (stderr_text ? stderr_text : "", "\n", -1);
  for (guint i = 0; err_lines[i]; i++)
    if (*g_strstrip (err_lines[i]))
      warn (self, g_strdup_printf ("%s: %s", host, err_lines[i]));

  sort_unique (self);
  return TRUE;
}

typedef struct {
  char *host;
  GBytes *out;
  char *err;
} RemoteRun;

static void
remote_run_free (RemoteRun *rr)
{
  g_free (rr->host);
  g_clear_pointer (&rr->out, g_bytes_unref);
  g_free (rr->err);
  g_free (rr);
}

static void
remote_parse_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  RemoteRun *rr = task_data;
  GError *error = NULL;

  if (deck_scanner_run_stream (source, rr->host, rr->out, rr->err, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
remote_received (GObject      *source,
                 GAsyncResult *res,
                 gpointer      data)
{
  g_autoptr(GTask) task = data;
  RemoteRun *rr = g_task_get_task_data (task);
  GError *error = NULL;

  if (!deck_ssh_master_run_finish (DECK_SSH_MASTER (source), res, &rr->out, &rr->err, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* parsing a large inventory takes a while: not in the caller's (UI) thread */
  g_task_run_in_thread (task, remote_parse_in_thread);
}

void
deck_scanner_run_remote_async (DeckScanner        *self,
                               DeckSshMaster      *master,
                               guint               timeout_s,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  GTask *task;
  RemoteRun *rr = g_new0 (RemoteRun, 1);
  g_auto(GStrv) argv = NULL;

  g_return_if_fail (DECK_IS_SCANNER (self));
  g_return_if_fail (DECK_IS_SSH_MASTER (master));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, deck_scanner_run_remote_async);
  rr->host = g_strdup (deck_ssh_master_get_host (master));
  g_task_set_task_data (task, rr, (GDestroyNotify) remote_run_free);
  argv = deck_scan_stream_remote_argv (self->etc_dir,
                                       self->bases ? (const char * const *) self->bases
                                                   : remote_default_bases);
  deck_ssh_master_run_async (master, (const char * const *) argv, NULL, timeout_s, cancellable,
                             remote_received, task);
}

gboolean
deck_scanner_run_remote_finish (DeckScanner  *self,
                                GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
