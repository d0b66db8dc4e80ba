/* test-lab-libvirt.c: the libvirt backend (DeckLibvirt) on the real lab (suite lab)
 *
 * Local guests deck-l1 / deck-l2 on the lab's session daemon ($LAB_LOCAL_URI), deck-h1 on
 * labh1 over qemu+ssh through the host's master (deck_host_get_libvirt_uri). Real QEMU
 * (TCG) guests that print "VMDECK-GUEST <name> READY" on ttyS0; the serial logs and the
 * console stream are what the assertions read. At most one guest runs at a time; every
 * case first powers off what it is going to start and destroys it at its end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-host.h"
#include "deck-libvirt.h"
#include "testutil.h"

#define L1 "deck-l1"
#define L2 "deck-l2"
#define H1 "deck-h1"

/* --- running async calls to the end -------------------------------------------------- */

static gboolean
lv_connect (DeckLibvirt *lv,
            guint        timeout_s,
            GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  deck_libvirt_connect_async (lv, timeout_s, NULL, test_async_done, &res);
  return deck_libvirt_connect_finish (lv, test_wait_for (&res), error);
}

static GPtrArray *
lv_list (DeckLibvirt *lv)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *infos;

  deck_libvirt_list_async (lv, NULL, test_async_done, &res);
  infos = deck_libvirt_list_finish (lv, test_wait_for (&res), &error);
  g_assert_no_error (error);
  return infos;
}

static gboolean
lv_control (DeckLibvirt *lv,
            const char  *name,
            DeckDomainOp op,
            const char  *file,
            GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  deck_libvirt_control_async (lv, name, op, file, NULL, test_async_done, &res);
  return deck_libvirt_control_finish (lv, test_wait_for (&res), error);
}

static void
lv_control_ok (DeckLibvirt *lv,
               const char  *name,
               DeckDomainOp op,
               const char  *file)
{
  g_autoptr(GError) error = NULL;

  lv_control (lv, name, op, file, &error);
  g_assert_no_error (error);
}

static gboolean
lv_wait_state (DeckLibvirt     *lv,
               const char      *name,
               DeckDomainState  wanted,
               guint            timeout_s,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  deck_libvirt_wait_state_async (lv, name, wanted, timeout_s, cancellable, test_async_done, &res);
  return deck_libvirt_wait_state_finish (lv, test_wait_for (&res), error);
}

static const DeckDomainInfo *
find_info (GPtrArray  *infos,
           const char *name)
{
  for (guint i = 0; i < infos->len; i++)
    if (g_str_equal (((DeckDomainInfo *) infos->pdata[i])->name, name))
      return infos->pdata[i];
  return NULL;
}

static const DeckDomainInfo *
need_info (GPtrArray  *infos,
           const char *name)
{
  const DeckDomainInfo *d = find_info (infos, name);

  if (d == NULL)
    g_error ("%s is not in the list", name);
  return d;
}

/* --- the serial log and the console ---------------------------------------------------- */

static goffset
log_size (const char *path)
{
  struct stat st;

  return g_stat (path, &st) == 0 ? st.st_size : -1;
}

static gboolean
console_wait_eof (TestConsole *c,
                  guint        timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!c->eof)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      test_spin (50);
    }
  return TRUE;
}

/* --- cases --------------------------------------------------------------------------- */

/* No daemon behind the socket: HOST_UNREACHABLE at once, with libvirt's reason. A daemon
 * that accepts but never answers: HOST_UNREACHABLE after the timeout. A cancelled connect
 * returns at once. Calls before connecting fail cleanly. */
static void
test_unreachable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vmdeck-lv-XXXXXX", NULL);
  g_autofree char *missing = g_strdup_printf ("qemu+unix:///session?socket=%s/no/libvirt-sock", dir);
  g_autofree char *sock_path = g_build_filename (dir, "mute-sock", NULL);
  g_autofree char *mute = g_strdup_printf ("qemu+unix:///session?socket=%s", sock_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL, res2 = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  DeckLibvirt *lv;
  gint64 t0;
  int fd;

  /* not connected yet */
  lv = deck_libvirt_new (missing, NULL);
  g_assert_false (deck_libvirt_is_connected (lv));
  deck_libvirt_list_async (lv, NULL, test_async_done, &res);
  g_assert_null (deck_libvirt_list_finish (lv, test_wait_for (&res), &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_FAILED);
  test_assert_contains (error->message, "not connected");
  g_clear_error (&error);
  g_clear_object (&res);

  /* no socket */
  t0 = g_get_monotonic_time ();
  g_assert_false (lv_connect (lv, 0, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE);
  g_test_message ("missing socket: %.2f s: %s", test_seconds_since (t0), error->message);
  g_assert_cmpfloat (test_seconds_since (t0), <, 5.0);
  test_assert_contains (error->message, "localhost: cannot connect to qemu+unix:///session");
  test_assert_contains (error->message, "No such file or directory");
  g_assert_false (deck_libvirt_is_connected (lv));
  g_assert_null (deck_libvirt_get_connection (lv));
  g_clear_error (&error);
  g_assert_finalize_object (lv);

  /* a socket that is listened on but never served: libvirt waits for an answer */
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_strlcpy (addr.sun_path, sock_path, sizeof addr.sun_path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (fd, 8), ==, 0);
  lv = deck_libvirt_new (mute, "mutehost");
  t0 = g_get_monotonic_time ();
  g_assert_false (lv_connect (lv, 2, &error));
  g_test_message ("mute daemon: %.2f s: %s", test_seconds_since (t0), error->message);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE);
  test_assert_contains (error->message, "mutehost: cannot connect to");
  test_assert_contains (error->message, "no answer within 2 s");
  g_assert_cmpfloat (test_seconds_since (t0), >=, 1.9);
  g_assert_cmpfloat (test_seconds_since (t0), <, 4.0);
  g_clear_error (&error);

  /* cancelled: returns at once */
  t0 = g_get_monotonic_time ();
  deck_libvirt_connect_async (lv, 60, cancellable, test_async_done, &res2);
  test_spin (200);
  g_cancellable_cancel (cancellable);
  g_assert_false (deck_libvirt_connect_finish (lv, test_wait_for (&res2), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (test_seconds_since (t0), <, 1.0);
  g_assert_false (deck_libvirt_is_connected (lv));
  g_clear_error (&error);
  g_clear_object (&res2);
  g_assert_finalize_object (lv);

  close (fd);   /* the abandoned opens now fail and clean up after themselves */
  g_unlink (sock_path);
  g_rmdir (dir);
}

static DeckLibvirt *
local_connect (void)
{
  g_autoptr(GError) error = NULL;
  DeckLibvirt *lv = deck_libvirt_new (g_getenv ("LAB_LOCAL_URI"), NULL);
  gint64 t0 = g_get_monotonic_time ();

  g_assert_true (lv_connect (lv, 0, &error));
  g_assert_no_error (error);
  g_test_message ("connect %s: %.3f s", g_getenv ("LAB_LOCAL_URI"), test_seconds_since (t0));
  g_assert_true (deck_libvirt_is_connected (lv));
  g_assert_true (GVIR_IS_CONNECTION (deck_libvirt_get_connection (lv)));
  g_assert_cmpstr (deck_libvirt_get_host_label (lv), ==, "localhost");
  return lv;
}

/* The lab's two local guests, shut off, with the lab's MACs; INFO facts. */
static void
test_local_list_and_info (void)
{
  g_autoptr(DeckLibvirt) lv = local_connect ();
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GHashTable) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *accel = g_str_equal (g_getenv ("LAB_ACCEL"), "kvm") ? "KVM" : "QEMU";
  const struct { const char *name, *mac; } guests[] = { { L1, "52:54:00:de:c0:11" }, { L2, "52:54:00:de:c0:12" } };
  g_autofree char *xml_path = g_build_filename (g_getenv ("LAB_LOCAL_BASE"), L1, L1 ".xml", NULL);
  g_autofree char *xml = NULL;
  g_auto(GStrv) fields = NULL;

  test_lv_ensure_off (lv, L1);
  test_lv_ensure_off (lv, L2);
  infos = lv_list (lv);
  g_assert_cmpuint (infos->len, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (guests); i++)
    {
      const DeckDomainInfo *d = need_info (infos, guests[i].name);

      g_assert_nonnull (d);
      g_assert_cmpint (d->state, ==, DECK_DOMAIN_STATE_SHUTOFF);
      g_assert_cmpint (d->id, ==, -1);
      g_assert_cmpuint (g_strv_length (d->macs), ==, 1);
      g_assert_cmpstr (d->macs[0], ==, guests[i].mac);
      g_assert_cmpuint (d->vnc_port, ==, 0);
      g_assert_cmpstr (d->type, ==, "QEMU");
      g_assert_cmpstr (d->accel, ==, accel);
      g_assert_cmpstr (d->arch, ==, "x86_64");
      g_assert_null (d->hyperrel);
      g_assert_null (d->config_path);
      g_assert_nonnull (d->uuid);
      g_assert_cmpuint (strlen (d->uuid), ==, 36);
    }
  /* the UUID is the one in the lab's XML */
  g_assert_true (g_file_get_contents (xml_path, &xml, NULL, NULL));
  test_assert_contains (xml, need_info (infos, L1)->uuid);

  deck_libvirt_info_async (lv, NULL, test_async_done, &res);
  info = deck_libvirt_info_finish (lv, test_wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HYPERVISOR), ==, "QEMU");
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HYPERREL), "QEMU-"));
  g_assert_true (g_str_has_suffix (g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HYPERREL),
                                   g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HV_VERSION)));
  g_assert_nonnull (g_hash_table_lookup (info, DECK_LIBVIRT_INFO_LIBVIRT));
  g_assert_cmpstr (g_hash_table_lookup (info, DECK_LIBVIRT_INFO_ARCH), ==, "x86_64");
  g_assert_cmpstr (g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HOSTNAME), ==, g_get_host_name ());
  test_assert_contains (g_hash_table_lookup (info, DECK_LIBVIRT_INFO_URI), "qemu+unix:///session");
  g_test_message ("INFO: %s %s (%s), libvirt %s on %s", (char *) g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HYPERVISOR),
                  (char *) g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HV_VERSION),
                  (char *) g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HYPERREL),
                  (char *) g_hash_table_lookup (info, DECK_LIBVIRT_INFO_LIBVIRT),
                  (char *) g_hash_table_lookup (info, DECK_LIBVIRT_INFO_HOSTNAME));

  /* a shut-off domain still renders 22 LIST fields */
  fields = deck_domain_info_to_list_fields (need_info (infos, L1), "localhost");
  g_assert_cmpuint (g_strv_length (fields), ==, 22);
  deck_libvirt_close (lv);
  g_assert_false (deck_libvirt_is_connected (lv));
}

/* Wrong names, wrong states, bad arguments; waiting with a timeout and cancelled. */
static void
test_local_errors (void)
{
  g_autoptr(DeckLibvirt) lv = local_connect ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  gint64 t0;

  test_lv_ensure_off (lv, L2);

  g_assert_false (lv_control (lv, "no-such-guest", DECK_DOMAIN_OP_START, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  test_assert_contains (error->message, "localhost: cannot start no-such-guest: ");
  test_assert_contains (error->message, "no-such-guest");
  g_clear_error (&error);

  deck_libvirt_lookup_async (lv, "no-such-guest", NULL, test_async_done, &res);
  g_assert_null (deck_libvirt_lookup_finish (lv, test_wait_for (&res), &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&res);

  g_assert_false (lv_control (lv, L2, DECK_DOMAIN_OP_PAUSE, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_FAILED);
  g_test_message ("%s", error->message);
  test_assert_contains (error->message, "localhost: cannot pause deck-l2: ");
  test_assert_contains (error->message, "not running");
  g_clear_error (&error);

  g_assert_false (lv_control (lv, L2, DECK_DOMAIN_OP_SAVE, "relative/file", &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_USAGE);
  g_clear_error (&error);

  g_assert_false (lv_control (lv, L2, DECK_DOMAIN_OP_RESTORE, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_FAILED);
  test_assert_contains (error->message, "has no saved state");
  g_clear_error (&error);

  deck_libvirt_open_console_async (lv, L2, NULL, test_async_done, &res);
  g_assert_null (deck_libvirt_open_console_finish (lv, test_wait_for (&res), &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_FAILED);
  g_test_message ("%s", error->message);
  test_assert_contains (error->message, "cannot open the console of deck-l2");
  g_clear_error (&error);
  g_clear_object (&res);

  /* by UUID */
  {
    g_autoptr(DeckDomainInfo) by_name = test_lv_lookup (lv, L2);
    g_autoptr(DeckDomainInfo) by_uuid = test_lv_lookup (lv, by_name->uuid);

    g_assert_cmpstr (by_uuid->name, ==, L2);
  }

  /* waiting: reached at once, timeout, cancelled */
  g_assert_true (lv_wait_state (lv, L2, DECK_DOMAIN_STATE_SHUTOFF, 5, NULL, &error));
  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  g_assert_false (lv_wait_state (lv, L2, DECK_DOMAIN_STATE_RUNNING, 1, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "localhost: deck-l2 is still shut off after 1 s (waiting for running)");
  g_assert_cmpfloat (test_seconds_since (t0), <, 2.5);
  g_clear_error (&error);
  t0 = g_get_monotonic_time ();
  deck_libvirt_wait_state_async (lv, L2, DECK_DOMAIN_STATE_RUNNING, 0, cancellable, test_async_done, &res);
  test_spin (300);
  g_cancellable_cancel (cancellable);
  g_assert_false (deck_libvirt_wait_state_finish (lv, test_wait_for (&res), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (test_seconds_since (t0), <, 1.0);
  g_clear_error (&error);
  g_clear_object (&res);

  /* no such domain to wait for */
  g_assert_false (lv_wait_state (lv, "no-such-guest", DECK_DOMAIN_STATE_RUNNING, 2, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

typedef struct {
  GPtrArray *events;          /* "name=state" */
} Events;

static void
on_domain_changed (DeckLibvirt    *lv,
                   const char     *name,
                   DeckDomainState state,
                   gpointer        data)
{
  GPtrArray *events = data;

  g_ptr_array_add (events, g_strdup_printf ("%s=%s", name, deck_domain_state_to_string (state)));
}

static gboolean
has_event (GPtrArray  *events,
           const char *event)
{
  return g_ptr_array_find_with_equal_func (events, event, g_str_equal, NULL);
}

/* Defining from XML text: the lab's own XML again (an update), a new domain (and
 * undefining it), broken XML. Lifecycle events arrive as "domain-changed". */
static void
test_local_define (void)
{
  g_autoptr(DeckLibvirt) lv = local_connect ();
  g_autofree char *xml_path = g_build_filename (g_getenv ("LAB_LOCAL_BASE"), L2, L2 ".xml", NULL);
  g_autofree char *xml = NULL, *name = NULL;
  g_autoptr(GString) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL, res2 = NULL, res3 = NULL, res4 = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) infos = NULL;
  const DeckDomainInfo *tmp;

  g_signal_connect (lv, "domain-changed", G_CALLBACK (on_domain_changed), events);
  g_assert_true (g_file_get_contents (xml_path, &xml, NULL, NULL));

  /* the comment with the ctys tags in front of <domain> is fine */
  deck_libvirt_define_async (lv, xml, NULL, test_async_done, &res);
  name = deck_libvirt_define_finish (lv, test_wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, L2);
  g_clear_pointer (&name, g_free);

  /* a new domain: other name, no UUID, other MAC */
  copy = g_string_new (xml);
  g_string_replace (copy, "<name>deck-l2</name>", "<name>deck-lv-tmp</name>", 1);
  g_string_replace (copy, "52:54:00:de:c0:12", "52:54:00:de:c0:99", 1);
  {
    char *u = strstr (copy->str, "<uuid>");
    char *e = strstr (copy->str, "</uuid>");

    g_assert_true (u && e);
    g_string_erase (copy, u - copy->str, e + strlen ("</uuid>") - u);
  }
  deck_libvirt_define_async (lv, copy->str, NULL, test_async_done, &res2);
  name = deck_libvirt_define_finish (lv, test_wait_for (&res2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "deck-lv-tmp");
  infos = lv_list (lv);
  tmp = need_info (infos, "deck-lv-tmp");
  g_assert_nonnull (tmp);
  g_assert_cmpstr (tmp->macs[0], ==, "52:54:00:de:c0:99");
  g_assert_cmpint (tmp->state, ==, DECK_DOMAIN_STATE_SHUTOFF);
  g_assert_cmpstr (tmp->uuid, !=, need_info (infos, L2)->uuid);

  deck_libvirt_undefine_async (lv, "deck-lv-tmp", NULL, test_async_done, &res3);
  g_assert_true (deck_libvirt_undefine_finish (lv, test_wait_for (&res3), &error));
  g_assert_no_error (error);
  g_clear_pointer (&infos, g_ptr_array_unref);
  infos = lv_list (lv);
  g_assert_null (find_info (infos, "deck-lv-tmp"));
  g_assert_cmpuint (infos->len, ==, 2);

  /* the events (dispatched on the main context) */
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (!has_event (events, "deck-lv-tmp=unknown") && g_get_monotonic_time () < deadline)
      test_spin (50);
  }
  g_assert_true (has_event (events, "deck-lv-tmp=unknown"));

  deck_libvirt_define_async (lv, "<domain type='qemu'><name>broken", NULL, test_async_done, &res4);
  g_assert_null (deck_libvirt_define_finish (lv, test_wait_for (&res4), &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_FAILED);
  g_test_message ("%s", error->message);
  test_assert_contains (error->message, "localhost: cannot define a domain: ");
}

/* The whole life of deck-l1: start (console banner), list while running, pause/unpause
 * (output stops and resumes), save to a file and restore (the guest goes on where it
 * was), managed save, reboot and reset (the banner again), shutdown seen through, start
 * and destroy. */
static void
test_local_lifecycle (void)
{
  g_autoptr(DeckLibvirt) lv = local_connect ();
  const char *log = g_getenv ("LAB_SERIAL_LOG_deck_l1");
  const char *banner = "VMDECK-GUEST " L1 " READY";
  g_autofree char *save_file = g_build_filename (g_getenv ("LAB_DIR"), "local", "save", L1 ".lvtest", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(DeckDomainInfo) info = NULL;
  const DeckDomainInfo *l1, *l2;
  TestConsole *con;
  gint64 t0;
  goffset size;
  guint banners;

  g_assert_nonnull (log);
  test_lv_ensure_off (lv, L1);
  g_unlink (save_file);
  g_signal_connect (lv, "domain-changed", G_CALLBACK (on_domain_changed), events);

  /* START */
  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_START, NULL);
  g_test_message ("start returned: %.2f s", test_seconds_since (t0));
  g_assert_true (lv_wait_state (lv, L1, DECK_DOMAIN_STATE_RUNNING, 10, NULL, &error));
  g_assert_no_error (error);
  con = test_console_open (lv, L1);
  g_assert_true (test_console_wait_text (con, banner, 60));
  g_test_message ("start to banner on the console: %.2f s", test_seconds_since (t0));
  g_assert_true (test_wait_log (log, banner, 1, 5));
  g_assert_true (has_event (events, L1 "=running"));

  /* START of a running domain */
  g_assert_false (lv_control (lv, L1, DECK_DOMAIN_OP_START, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_FAILED);
  g_test_message ("%s", error->message);
  test_assert_contains (error->message, "localhost: cannot start deck-l1: ");
  test_assert_contains (error->message, "already running");
  g_clear_error (&error);

  /* LIST while running */
  infos = lv_list (lv);
  l1 = need_info (infos, L1);
  l2 = need_info (infos, L2);
  g_assert_cmpint (l1->state, ==, DECK_DOMAIN_STATE_RUNNING);
  g_assert_cmpint (l1->id, >, 0);
  g_assert_cmpuint (l1->vnc_port, >=, 5900);
  g_assert_cmpstr (l1->macs[0], ==, "52:54:00:de:c0:11");
  g_assert_true (g_str_has_prefix (l1->hyperrel, "QEMU-"));
  g_assert_cmpint (l2->state, ==, DECK_DOMAIN_STATE_SHUTOFF);
  g_test_message ("running: id %d, VNC port %u, %s %s %s", l1->id, l1->vnc_port, l1->type, l1->accel, l1->hyperrel);
  {
    g_auto(GStrv) f = deck_domain_info_to_list_fields (l1, "localhost");
    g_autofree char *line = g_strjoinv (";", f);

    g_test_message ("LIST: %s", line);
    test_assert_contains (line, "localhost;QEMU;deck-l1;");
  }

  /* the guest prints ticks; a paused guest prints nothing */
  test_console_write (con, "while :; do echo tick; sleep 0.2; done\n");
  g_assert_true (test_wait_log (log, "tick\r\n", 3, 10));
  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_PAUSE, NULL);
  g_test_message ("pause: %.3f s", test_seconds_since (t0));
  g_assert_cmpint (test_lv_state (lv, L1), ==, DECK_DOMAIN_STATE_PAUSED);
  test_spin (300);
  size = log_size (log);
  test_spin (1200);
  g_assert_cmpint (log_size (log), ==, size);
  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_UNPAUSE, NULL);
  g_test_message ("unpause: %.3f s", test_seconds_since (t0));
  g_assert_cmpint (test_lv_state (lv, L1), ==, DECK_DOMAIN_STATE_RUNNING);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (log_size (log) == size && g_get_monotonic_time () < deadline)
      test_spin (50);
  }
  g_assert_cmpint (log_size (log), >, size);
  g_assert_true (has_event (events, L1 "=paused"));

  /* SAVE to a file: off, the file is there, the console ends; RESTORE: ticking again */
  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_SAVE, save_file);
  g_test_message ("save: %.2f s", test_seconds_since (t0));
  g_assert_cmpint (test_lv_state (lv, L1), ==, DECK_DOMAIN_STATE_SHUTOFF);
  g_assert_true (g_file_test (save_file, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (log_size (save_file), >, 1024 * 1024);
  g_assert_true (console_wait_eof (con, 10));
  test_console_close (con);
  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_RESTORE, save_file);
  g_test_message ("restore: %.2f s", test_seconds_since (t0));
  g_assert_cmpint (test_lv_state (lv, L1), ==, DECK_DOMAIN_STATE_RUNNING);
  /* the log starts afresh with the new QEMU (append='off'); ticks, no new boot */
  g_assert_true (test_wait_log (log, "tick\r\n", 2, 10));
  g_assert_cmpuint (test_log_count (log, banner), ==, 0);

  /* restoring the wrong domain from that file is refused */
  g_assert_false (lv_control (lv, L2, DECK_DOMAIN_OP_RESTORE, save_file, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_FAILED);
  test_assert_contains (error->message, "holds the state of deck-l1");
  g_clear_error (&error);

  /* managed save: START/RESTORE resume it */
  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_SAVE, NULL);
  g_assert_cmpint (test_lv_state (lv, L1), ==, DECK_DOMAIN_STATE_SHUTOFF);
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_RESTORE, NULL);
  g_test_message ("managed save + restore: %.2f s", test_seconds_since (t0));
  g_assert_cmpint (test_lv_state (lv, L1), ==, DECK_DOMAIN_STATE_RUNNING);
  g_assert_true (test_wait_log (log, "tick\r\n", 2, 10));
  g_assert_cmpuint (test_log_count (log, banner), ==, 0);

  /* REBOOT (ACPI, the guest powers off, libvirt restarts it) and RESET: boots again,
   * in the same QEMU, so the log keeps growing */
  banners = test_log_count (log, banner);
  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_REBOOT, NULL);
  g_assert_true (test_wait_log (log, banner, banners + 1, 60));
  g_test_message ("reboot to banner: %.2f s", test_seconds_since (t0));
  g_assert_cmpint (test_lv_state (lv, L1), ==, DECK_DOMAIN_STATE_RUNNING);
  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_RESET, NULL);
  g_assert_true (test_wait_log (log, banner, banners + 2, 60));
  g_test_message ("reset to banner: %.2f s", test_seconds_since (t0));

  /* SHUTDOWN, seen through */
  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_SHUTDOWN, NULL);
  g_assert_true (lv_wait_state (lv, L1, DECK_DOMAIN_STATE_SHUTOFF, 30, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("shutdown to shut off: %.2f s", test_seconds_since (t0));
  g_assert_true (has_event (events, L1 "=shut off"));

  /* DESTROY: off when it returns */
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_START, NULL);
  g_assert_cmpint (test_lv_state (lv, L1), ==, DECK_DOMAIN_STATE_RUNNING);
  test_spin (500);
  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, L1, DECK_DOMAIN_OP_DESTROY, NULL);
  g_test_message ("destroy: %.2f s", test_seconds_since (t0));
  info = test_lv_lookup (lv, L1);
  g_assert_cmpint (info->state, ==, DECK_DOMAIN_STATE_SHUTOFF);
  g_assert_cmpint (info->id, ==, -1);
  g_assert_cmpuint (info->vnc_port, ==, 0);

  g_unlink (save_file);
}

/* --- over ssh ------------------------------------------------------------------------ */

static char *runtime_dir;

static void
fresh_runtime_dir (void)
{
  g_free (runtime_dir);
  runtime_dir = test_fresh_runtime_dir ("lv");
}

static DeckHost *
remote_host (const char *name)
{
  g_autoptr(GError) error = NULL;
  DeckHost *host = deck_host_new (name, NULL, &error);

  g_assert_no_error (error);
  deck_ssh_command_set_batch_mode (deck_host_get_ssh (host), TRUE);
  return host;
}

/* deck-h1 on labh1 through qemu+ssh and the host's master: list, start with the banner
 * on the console stream and in the host's serial log, list while running, destroy. */
static void
test_remote_h1 (void)
{
  g_autoptr(DeckHost) host = NULL;
  g_autoptr(DeckLibvirt) lv = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = NULL, running = NULL;
  g_autoptr(DeckDomainInfo) info = NULL;
  g_autofree char *uri = NULL;
  const char *log = g_getenv ("LAB_SERIAL_LOG_deck_h1");
  const char *banner = "VMDECK-GUEST " H1 " READY";
  const DeckDomainInfo *h1;
  TestConsole *con;
  gint64 t0;

  fresh_runtime_dir ();
  host = remote_host ("labh1");
  t0 = g_get_monotonic_time ();
  deck_host_connect_async (host, NULL, test_async_done, &res);
  g_assert_true (deck_host_connect_finish (host, test_wait_for (&res), &error));
  g_assert_no_error (error);
  g_test_message ("ssh master to labh1: %.2f s", test_seconds_since (t0));
  uri = deck_host_get_libvirt_uri (host, "qemu");
  g_test_message ("URI %s", uri);
  lv = deck_libvirt_new (uri, "labh1");
  t0 = g_get_monotonic_time ();
  g_assert_true (lv_connect (lv, 0, &error));
  g_assert_no_error (error);
  g_test_message ("libvirt connect over ssh: %.2f s", test_seconds_since (t0));
  test_lv_ensure_off (lv, H1);

  infos = lv_list (lv);
  h1 = need_info (infos, H1);
  g_assert_nonnull (h1);
  g_assert_null (find_info (infos, "deck-h2"));
  g_assert_cmpint (h1->state, ==, DECK_DOMAIN_STATE_SHUTOFF);
  g_assert_cmpstr (h1->macs[0], ==, "52:54:00:de:c0:21");
  g_assert_cmpstr (h1->type, ==, "QEMU");

  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, H1, DECK_DOMAIN_OP_START, NULL);
  con = test_console_open (lv, H1);
  g_assert_true (test_console_wait_text (con, banner, 60));
  g_test_message ("labh1: start to banner on the console: %.2f s", test_seconds_since (t0));
  g_assert_true (test_wait_log (log, banner, 1, 5));

  running = lv_list (lv);
  h1 = need_info (running, H1);
  g_assert_cmpint (h1->state, ==, DECK_DOMAIN_STATE_RUNNING);
  g_assert_cmpint (h1->id, >, 0);
  g_assert_cmpuint (h1->vnc_port, >=, 5900);
  g_assert_true (g_str_has_prefix (h1->hyperrel, "QEMU-"));
  g_test_message ("labh1: %s id %d VNC %u %s", h1->name, h1->id, h1->vnc_port, h1->hyperrel);

  /* typing on the console comes back on it */
  test_console_write (con, "vmdeck-echo typed-over-ssh\n");
  g_assert_true (test_console_wait_text (con, "typed-over-ssh", 10));

  /* closing the stream frees the console: a new one works */
  test_console_close (con);
  con = test_console_open (lv, H1);
  test_console_write (con, "vmdeck-echo second-console\n");
  g_assert_true (test_console_wait_text (con, "second-console", 10));

  t0 = g_get_monotonic_time ();
  lv_control_ok (lv, H1, DECK_DOMAIN_OP_DESTROY, NULL);
  g_test_message ("labh1: destroy: %.2f s", test_seconds_since (t0));
  info = test_lv_lookup (lv, H1);
  g_assert_cmpint (info->state, ==, DECK_DOMAIN_STATE_SHUTOFF);
  g_assert_true (console_wait_eof (con, 10));
  test_console_close (con);

  g_clear_object (&lv);
  test_close_master ("labh1");
}

static void
on_disconnected (DeckLibvirt *lv,
                 const char  *reason,
                 gpointer     data)
{
  g_free (*(char **) data);
  *(char **) data = g_strdup (reason);
}

/* labh2's sshd dies under an open connection: "disconnected", calls fail with
 * HOST_UNREACHABLE, a new connect too (quickly); once sshd is back, connecting works. */
static void
test_remote_host_down (void)
{
  g_autoptr(DeckHost) host = NULL;
  g_autoptr(DeckLibvirt) lv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autofree char *uri = NULL, *reason = NULL;
  gint64 t0, deadline;

  fresh_runtime_dir ();
  host = remote_host ("labh2");
  uri = deck_host_get_libvirt_uri (host, "qemu");
  lv = deck_libvirt_new (uri, "labh2");
  g_signal_connect (lv, "disconnected", G_CALLBACK (on_disconnected), &reason);
  t0 = g_get_monotonic_time ();
  g_assert_true (lv_connect (lv, 0, &error));
  g_assert_no_error (error);
  g_test_message ("labh2: connect without a master: %.2f s", test_seconds_since (t0));

  test_lab_command ("host-down", "labh2");
  t0 = g_get_monotonic_time ();
  deadline = t0 + 30 * G_USEC_PER_SEC;
  while (reason == NULL && g_get_monotonic_time () < deadline)
    test_spin (50);
  g_assert_nonnull (reason);
  g_test_message ("labh2 down: disconnected after %.2f s (%s)", test_seconds_since (t0), reason);
  g_assert_false (deck_libvirt_is_connected (lv));
  deck_libvirt_list_async (lv, NULL, test_async_done, &res);
  g_assert_null (deck_libvirt_list_finish (lv, test_wait_for (&res), &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE);
  g_test_message ("labh2 down: list: %s", error->message);
  test_assert_contains (error->message, "labh2: cannot list the domains: ");
  g_clear_error (&error);

  t0 = g_get_monotonic_time ();
  g_assert_false (lv_connect (lv, 0, &error));
  g_test_message ("labh2 down: connect: %.2f s: %s", test_seconds_since (t0), error->message);
  g_assert_error (error, DECK_ERROR, DECK_ERROR_HOST_UNREACHABLE);
  test_assert_contains (error->message, "labh2: cannot connect to qemu+ssh://labh2/system");
  g_assert_cmpfloat (test_seconds_since (t0), <, 10.0);
  g_clear_error (&error);

  test_lab_command ("host-up", "labh2");
  g_assert_true (lv_connect (lv, 0, &error));
  g_assert_no_error (error);
  g_assert_true (deck_libvirt_is_connected (lv));
  g_assert_cmpint (test_lv_state (lv, "deck-h2"), ==, DECK_DOMAIN_STATE_SHUTOFF);
}

/* libvirt-glib logs every event-loop watch change with g_debug (no log domain) */
static void
drop_message (const char    *domain,
              GLogLevelFlags level,
              const char    *message,
              gpointer       data)
{
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *skip = NULL;

  g_test_init (&argc, &argv, NULL);
  g_log_set_handler (NULL, G_LOG_LEVEL_DEBUG, drop_message, NULL);
  if ((skip = test_lab_setup ()) != NULL)
    {
      printf ("1..0 # SKIP %s\n", skip);
      return 0;
    }

  g_test_add_func ("/lab/libvirt/unreachable", test_unreachable);
  g_test_add_func ("/lab/libvirt/local/list-and-info", test_local_list_and_info);
  g_test_add_func ("/lab/libvirt/local/errors", test_local_errors);
  g_test_add_func ("/lab/libvirt/local/define", test_local_define);
  g_test_add_func ("/lab/libvirt/local/lifecycle", test_local_lifecycle);
  g_test_add_func ("/lab/libvirt/remote/h1", test_remote_h1);
  g_test_add_func ("/lab/libvirt/remote/host-down", test_remote_host_down);
  return g_test_run ();
}
