/* test-lab-remote.c: hosts over SSH and remote ENUMERATE on the real lab (suite lab)
 *
 * Runs against tests/lab/lab: two hosts labh1 and labh2 in network namespaces, each with
 * its own sshd and libvirtd, and /srv/vmdeck/shared mounted into both. Everything goes
 * through real ssh (the lab's VMDECK_SSH) and real ctys / ctys-vdbgen / ctys-vhost runs.
 * Each test uses its own $XDG_RUNTIME_DIR below the lab directory, so master connections
 * are private to it; they are closed at its end (and "lab down" kills any left).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "deck-error.h"
#include "deck-host.h"
#include "deck-inventory.h"
#include "deck-record.h"
#include "testutil.h"

#define BASES "b:/srv/vmdeck/vms%/srv/vmdeck/shared"

static char *runtime_dir;   /* $XDG_RUNTIME_DIR of the current test */

/* A fresh runtime dir (so no master of an earlier test is reused). */
static void
fresh_runtime_dir (void)
{
  g_free (runtime_dir);
  runtime_dir = test_fresh_runtime_dir ("t");
}

static void
remove_tree (const char *path)
{
  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", (char *) path, NULL },
                               NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
}

static TestRun *
run_env (const char         *prog,
         const char * const *argv,
         const char         *extra_env)
{
  g_autofree char *xdg = g_strconcat ("XDG_RUNTIME_DIR=", runtime_dir, NULL);

  return test_run (prog, argv, (const char *[]) { xdg, "VMDECK_NODENAME", extra_env, NULL }, NULL);
}

static TestRun *
run (const char         *prog,
     const char * const *argv)
{
  return run_env (prog, argv, NULL);
}

/* Closes the masters of this test's runtime dir. */
static void
close_masters (void)
{
  const char *hosts[] = { "labh1", "labh2", NULL };

  for (guint i = 0; hosts[i]; i++)
    test_close_master (hosts[i]);
}

/* "host;label" of every record line of ENUMERATE machine output. */
static GPtrArray *
host_labels (const char *out)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ";", 4);

      if (g_strv_length (f) >= 3)
        g_ptr_array_add (pairs, g_strdup_printf ("%s;%s", f[0], f[2]));
    }
  return pairs;
}

static guint
count (GPtrArray  *pairs,
       const char *pair)
{
  guint n = 0;

  for (guint i = 0; i < pairs->len; i++)
    n += g_str_equal (pairs->pdata[i], pair);
  return n;
}

/* Both hosts scanned over SSH in one call: the config in the shared directory shows up
 * once per host (multipath registration), a host's own configs once, on that host. One
 * master per host carries it. */
static void
test_enumerate_multipath (void)
{
  g_autoptr(TestRun) r = NULL;
  g_autoptr(GPtrArray) pairs = NULL;

  fresh_runtime_dir ();
  r = run ("ctys", (const char *[]) { "-a", "enumerate=machine," BASES, "labh1", "labh2", NULL });
  g_assert_cmpstr (r->err, ==, "");
  g_assert_cmpint (r->status, ==, 0);
  pairs = host_labels (r->out);
  g_assert_cmpuint (count (pairs, "labh1;xen-shared"), ==, 1);
  g_assert_cmpuint (count (pairs, "labh2;xen-shared"), ==, 1);
  g_assert_cmpuint (count (pairs, "labh1;deck-shared"), ==, 1);
  g_assert_cmpuint (count (pairs, "labh2;deck-shared"), ==, 1);
  g_assert_cmpuint (count (pairs, "labh1;deck-h1"), ==, 1);
  g_assert_cmpuint (count (pairs, "labh2;deck-h1"), ==, 0);
  g_assert_cmpuint (count (pairs, "labh2;deck-h2"), ==, 1);
  g_assert_cmpuint (count (pairs, "labh1;xen-labh1"), ==, 1);
  g_assert_cmpuint (count (pairs, "labh2;xen-labh1"), ==, 0);
  test_assert_contains (r->out, ";/srv/vmdeck/shared/xen-shared/xen-shared.conf;");

  /* the masters stay up for the next call: exactly one per host */
  g_assert_cmpuint (test_count_masters ("labh1", runtime_dir), ==, 1);
  g_assert_cmpuint (test_count_masters ("labh2", runtime_dir), ==, 1);
  close_masters ();
}

/* A group file as the target: its members with their own options (spec §2.4). */
static void
test_group_target (void)
{
  const char *dir = test_tmpdir ();
  g_autofree char *group = g_build_filename (dir, "lab", NULL);
  g_autofree char *path_env = g_strconcat ("CTYS_GROUPS_PATH=", dir, NULL);
  g_autoptr(TestRun) r = NULL;

  fresh_runtime_dir ();
  test_write_file (group, "# the lab's hosts\nlabh1\nlabh2 (-t xen)\n");
  r = run_env ("ctys", (const char *[]) { "-a", "enumerate=machine," BASES, "lab", NULL }, path_env);
  g_assert_cmpint (r->status, ==, 0);
  test_assert_contains (r->out, "labh1;QEMU;deck-h1;");
  test_assert_contains (r->out, "labh2;XEN;xen-labh2;");
  g_assert_null (strstr (r->out, "labh2;QEMU;"));
  close_masters ();
}

/* ctys-vdbgen builds the DB from both hosts; ctys-vhost finds the shared label only
 * together with a host. Per-host option groups and the default group apply. */
static void
test_vdbgen_and_vhost (void)
{
  g_autofree char *db = g_build_filename (test_tmpdir (), "db", NULL);
  g_autofree char *dbopt = g_strconcat ("--cacheDB=", db, NULL);
  g_autoptr(TestRun) gen = NULL, alone = NULL, with_host = NULL, grouped = NULL;

  fresh_runtime_dir ();
  gen = run ("ctys-vdbgen", (const char *[]) { dbopt, "--base=/srv/vmdeck/vms%/srv/vmdeck/shared",
                                               "--", "labh1", "labh2", NULL });
  g_assert_cmpint (gen->status, ==, 0);
  test_assert_contains (gen->out, "written to");

  alone = run ("ctys-vhost", (const char *[]) { "-p", db, "-M", "unique", "-o", "pm,l", "l:xen-shared", NULL });
  g_assert_cmpint (alone->status, ==, 11);
  with_host = run ("ctys-vhost", (const char *[]) { "-p", db, "-M", "unique", "-o", "pm,l", "labh2", "l:xen-shared", NULL });
  g_assert_cmpint (with_host->status, ==, 0);
  test_assert_contains (with_host->out, "labh2");

  /* the default group gives every host the shared base; labh2's own group narrows it */
  grouped = run ("ctys", (const char *[]) { "-a", "enumerate=machine", "--", "(-a enumerate=b:/srv/vmdeck/shared)",
                                            "labh1", "labh2(-a enumerate=b:/srv/vmdeck/vms -t xen)", NULL });
  g_assert_cmpint (grouped->status, ==, 0);
  test_assert_contains (grouped->out, "labh1;XEN;xen-shared;");
  test_assert_contains (grouped->out, "labh2;XEN;xen-labh2;");
  g_assert_null (strstr (grouped->out, "labh2;XEN;xen-shared;"));
  g_assert_null (strstr (grouped->out, "labh2;QEMU;"));
  close_masters ();
}

static gboolean
tar_of_scan_running (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *pid;

  while ((pid = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", pid, "cmdline", NULL);
      g_autofree char *cmdline = NULL;
      gsize len;

      if (g_ascii_isdigit (*pid) && g_file_get_contents (path, &cmdline, &len, NULL)
          && g_str_equal (cmdline, "tar") && len > 20 && memmem (cmdline, len, "--no-recursion", 14))
        return TRUE;
    }
  return FALSE;
}

/* labh2 goes down while its (large) scan streams: labh2 is reported, labh1's records
 * land, the DB stays loadable, and with --replace labh2 keeps the records it had. */
static void
test_host_down_mid_scan (void)
{
  g_autofree char *db = g_build_filename (test_tmpdir (), "db", NULL);
  g_autofree char *dbopt = g_strconcat ("--cacheDB=", db, NULL);
  g_autofree char *big = g_build_filename (g_getenv ("LAB_HOST_ROOT_labh2"), "big", NULL);
  g_autofree char *xdg = NULL;
  g_autoptr(TestRun) first = NULL;
  g_autoptr(GSubprocess) gen = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL, err = NULL;
  g_autoptr(DeckInventory) inv = deck_inventory_new ();
  g_autofree char *vdbgen = test_program_path ("ctys-vdbgen");
  g_autofree char *err_text = NULL;
  const char * const dirs[] = { db, NULL };
  GPtrArray *records;
  guint h1 = 0, h2 = 0;
  gint64 deadline;

  fresh_runtime_dir ();
  first = run ("ctys-vdbgen", (const char *[]) { dbopt, "--base=/srv/vmdeck/vms", "--", "labh1", "labh2", NULL });
  g_assert_cmpint (first->status, ==, 0);

  /* 100 sparse 4 MiB candidates: some 400 MB to stream, seconds over ssh */
  remove_tree (big);
  g_assert_cmpint (g_mkdir_with_parents (big, 0755), ==, 0);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *f = g_strdup_printf ("%s/zero%03u.conf", big, i);
      FILE *fp = fopen (f, "w");

      g_assert_nonnull (fp);
      g_assert_cmpint (ftruncate (fileno (fp), 4 * 1024 * 1024), ==, 0);
      fclose (fp);
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  gen = g_subprocess_launcher_spawnv (launcher, (const char *[]) { vdbgen, "--replace", dbopt,
                                      "--base=/srv/vmdeck/vms", "--", "labh1", "labh2", NULL }, &error);
  g_assert_no_error (error);

  /* labh1's small scan ends at once; the tar still running after that is labh2's */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!tar_of_scan_running () && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  g_usleep (300000);
  if (!tar_of_scan_running ())
    g_error ("labh2's scan was not caught streaming; the test cannot cut it");
  test_lab_command ("host-down", "labh2");

  g_assert_true (g_subprocess_communicate (gen, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  test_lab_command ("host-up", "labh2");
  remove_tree (big);

  err_text = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  g_assert_cmpint (g_subprocess_get_exit_status (gen), ==, 1);
  test_assert_contains (err_text, "error: labh2: ");
  test_assert_contains (err_text, "1 of 2 hosts could not be scanned");
  test_assert_contains (err_text, "kept");

  g_assert_true (deck_inventory_load (inv, dirs, &error));
  g_assert_no_error (error);
  g_assert_null (deck_inventory_get_problems (inv)[0]);
  records = deck_inventory_get_records (inv);
  for (guint i = 0; i < records->len; i++)
    {
      h1 += g_str_equal (deck_record_get (records->pdata[i], DECK_FIELD_PM), "labh1");
      h2 += g_str_equal (deck_record_get (records->pdata[i], DECK_FIELD_PM), "labh2");
    }
  g_assert_cmpuint (h1, >, 0);
  g_assert_cmpuint (h2, >, 0);   /* kept from the first run */
  close_masters ();
}

/* A host whose key changed is refused before anything runs, with a clear message. */
static void
test_host_key_changed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckHost) host = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(TestRun) r = NULL;
  g_autofree char *marker = g_build_filename (g_getenv ("LAB_HOST_HOME_labh1"), "key-test-ran", NULL);

  fresh_runtime_dir ();
  test_lab_command ("rekey", "labh1");
  host = deck_host_new ("labh1", NULL, &error);
  deck_ssh_command_set_batch_mode (deck_host_get_ssh (host), TRUE);
  deck_host_run_async (host, (const char *[]) { "touch", "/root/key-test-ran", NULL }, NULL, 30, NULL,
                       test_async_done, &res);
  g_assert_false (deck_host_run_finish (host, test_wait_for (&res), NULL, NULL, NULL, &error));
  g_assert_error (error, DECK_ERROR, DECK_ERROR_HOST_KEY);
  test_assert_contains (error->message, "labh1: the host's SSH key does not match");
  g_assert_cmpint (deck_host_get_state (host), ==, DECK_HOST_STATE_UNREACHABLE);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  r = run ("ctys", (const char *[]) { "-a", "enumerate", "labh1", NULL });
  g_assert_cmpint (r->status, ==, 1);
  test_assert_contains (r->err, "does not match");
  g_assert_cmpstr (r->out, ==, "");
  test_lab_command ("rekey-restore", "labh1");
}

/* A login the host refuses (no key for that user): PERMISSION, named, nothing else. */
static void
test_key_refused (void)
{
  g_autoptr(TestRun) r = NULL;

  fresh_runtime_dir ();
  r = run ("ctys", (const char *[]) { "-a", "enumerate", "nobody@labh1", NULL });
  g_assert_cmpint (r->status, ==, 1);
  test_assert_contains (r->err, "labh1: login refused: ");
  test_assert_contains (r->err, "Permission denied");
  g_assert_cmpstr (r->out, ==, "");
}

/* Hostile names and values in a remote host's tree: nothing runs, values are stored
 * verbatim or refused with the file named. */
static void
test_hostile_remote (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("LAB_HOST_ROOT_labh1"), "hostile", NULL);
  g_autofree char *home = g_strdup (g_getenv ("LAB_HOST_HOME_labh1"));
  const struct {
    const char *dir;
    const char *name;
  } cases[] = {
    { "$(touch /root/pwned1)", "vm-subst-dir" },
    { "semi", "$(touch /root/pwned2)" },
    { "with space", "a b" },
    { "quote'q\"", "q'x" },
    { "badlabel", "x;y" },
    { "new\nline", "nl" },
  };
  g_autoptr(TestRun) r = NULL;

  fresh_runtime_dir ();
  remove_tree (root);   /* left over from an aborted run */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/%s/vm.conf", root, cases[i].dir);
      g_autofree char *text = g_strdup_printf ("#@#MAGICID-XEN\nname = \"%s\"\nmemory = 128\n", cases[i].name);

      test_write_file (file, text);
    }
  r = run ("ctys", (const char *[]) { "-a", "enumerate=machine,b:/srv/vmdeck/vms/hostile", "labh1", NULL });
  g_assert_cmpint (r->status, ==, 0);
  test_assert_contains (r->out, "labh1;XEN;vm-subst-dir;/srv/vmdeck/vms/hostile/$(touch /root/pwned1)/vm.conf;");
  test_assert_contains (r->out, "labh1;XEN;$(touch /root/pwned2);/srv/vmdeck/vms/hostile/semi/vm.conf;");
  test_assert_contains (r->out, "labh1;XEN;a b;");
  test_assert_contains (r->out, "labh1;XEN;q'x;/srv/vmdeck/vms/hostile/quote'q\"/vm.conf;");
  g_assert_null (strstr (r->out, "x;y"));
  test_assert_contains (r->err, "/srv/vmdeck/vms/hostile/badlabel/vm.conf");
  test_assert_contains (r->err, "new\\nline/vm.conf");
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *victim = g_strdup_printf ("%s/pwned%u", home, i);

      g_assert_false (g_file_test (victim, G_FILE_TEST_EXISTS));
    }
  remove_tree (root);
  close_masters ();
}

/* One host down: the other host's records are printed, the failure is named, quickly. */
static void
test_enumerate_one_host_down (void)
{
  g_autoptr(TestRun) r = NULL;

  fresh_runtime_dir ();
  test_lab_command ("host-down", "labh2");
  r = run ("ctys", (const char *[]) { "-a", "enumerate=machine," BASES, "labh1", "labh2", NULL });
  test_lab_command ("host-up", "labh2");
  g_assert_cmpint (r->status, ==, 1);
  test_assert_contains (r->out, "labh1;XEN;xen-shared;");
  g_assert_null (strstr (r->out, "labh2;"));
  test_assert_contains (r->err, "error: labh2: cannot reach host");
  close_masters ();
}

/* Privilege probe (spec §3.5): root on the lab hosts needs no prefix. libvirt's ssh
 * transport through the URI vmdeck builds (vmdeck-ssh helper with $VMDECK_SSH). */
static void
test_host_privilege_and_libvirt (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckHost) host = deck_host_new ("labh1", NULL, &error);
  g_autoptr(GAsyncResult) res = NULL;
  g_auto(GStrv) prefix = NULL;
  g_autofree char *uri = NULL, *out = NULL, *err = NULL;
  int status;

  fresh_runtime_dir ();
  deck_ssh_command_set_batch_mode (deck_host_get_ssh (host), TRUE);
  deck_host_set_privilege (host, DECK_PRIVILEGE_SUDO);
  deck_host_probe_privilege_async (host, (const char *[]) { "virsh", "-c", "qemu:///system", "uri", NULL },
                                   NULL, test_async_done, &res);
  prefix = deck_host_probe_privilege_finish (host, test_wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_nonnull (prefix);
  g_assert_cmpuint (g_strv_length (prefix), ==, 0);
  g_assert_cmpint (deck_host_get_state (host), ==, DECK_HOST_STATE_REACHABLE);

  uri = deck_host_get_libvirt_uri (host, "qemu");
  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "virsh", (char *) "-c", uri, (char *) "list",
                                                  (char *) "--all", (char *) "--name", NULL },
                               NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("virsh -c %s failed: %s", uri, err);
  test_assert_contains (out, "deck-h1");
  g_assert_null (strstr (out, "deck-h2"));
  close_masters ();
}

/* SHOW and INFO of both hosts, asked in parallel over their masters. */
static void
test_show_info (void)
{
  g_autoptr(TestRun) info = NULL, show = NULL;

  fresh_runtime_dir ();
  info = run ("ctys", (const char *[]) { "-a", "info=terse", "labh1", "labh2", NULL });
  g_assert_cmpint (info->status, ==, 0);
  test_assert_contains (info->out, "labh1;node=labh1;");
  test_assert_contains (info->out, "labh2;node=labh2;");
  test_assert_contains (info->out, ";backend-libvirt=running (/run/libvirt/libvirt-sock)");
  test_assert_contains (info->out, ";tool-virsh=");
  show = run ("ctys", (const char *[]) { "-a", "show", "labh2", NULL });
  g_assert_cmpint (show->status, ==, 0);
  g_assert_true (g_str_has_prefix (show->out, "labh2\n"));
  test_assert_contains (show->out, "mem-available-kib");
  close_masters ();
}

/* A port forward added and removed through the master. */
static void
test_forward (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeckHost) host = deck_host_new ("labh1", NULL, &error);
  g_autoptr(GAsyncResult) res = NULL, res2 = NULL, res3 = NULL;
  g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetSocketAddress) any = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string ("127.0.0.1", 0));
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL, refused = NULL;
  g_autofree char *listen = NULL, *remote_ip = NULL;
  g_autoptr(GBytes) ip = NULL;
  char banner[8] = { 0 };
  guint port;

  fresh_runtime_dir ();
  deck_ssh_command_set_batch_mode (deck_host_get_ssh (host), TRUE);
  /* the host's own address, as the host sees it */
  deck_host_run_async (host, (const char *[]) { "sh", "-c", "ip -4 -o addr show scope global | awk '{print $4}' | cut -d/ -f1 | head -n1", NULL },
                       NULL, 30, NULL, test_async_done, &res3);
  g_assert_true (deck_host_run_finish (host, test_wait_for (&res3), &ip, NULL, NULL, &error));
  remote_ip = g_strstrip (g_strndup (g_bytes_get_data (ip, NULL), g_bytes_get_size (ip)));
  g_assert_cmpstr (remote_ip, !=, "");

  /* a free local port */
  g_assert_true (g_socket_bind (probe, G_SOCKET_ADDRESS (any), TRUE, &error));
  bound = g_socket_get_local_address (probe, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (probe, NULL);
  listen = g_strdup_printf ("127.0.0.1:%u", port);

  deck_ssh_master_forward_async (deck_host_get_master (host), listen, remote_ip, 22, NULL, test_async_done, &res);
  g_assert_true (deck_ssh_master_forward_finish (deck_host_get_master (host), test_wait_for (&res), &error));
  g_assert_no_error (error);
  conn = g_socket_client_connect_to_host (client, listen, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (conn)), banner, 7,
                                          NULL, NULL, &error));
  g_assert_cmpstr (banner, ==, "SSH-2.0");
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);

  deck_ssh_master_cancel_forward_async (deck_host_get_master (host), listen, remote_ip, 22, NULL, test_async_done, &res2);
  g_assert_true (deck_ssh_master_cancel_forward_finish (deck_host_get_master (host), test_wait_for (&res2), &error));
  g_assert_no_error (error);
  refused = g_socket_client_connect_to_host (client, listen, 0, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  close_masters ();
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *skip = NULL;

  g_test_init (&argc, &argv, NULL);
  if ((skip = test_lab_setup ()) != NULL)
    {
      printf ("1..0 # SKIP %s\n", skip);
      return 0;
    }

  g_test_add_func ("/lab/remote/enumerate-multipath", test_enumerate_multipath);
  g_test_add_func ("/lab/remote/vdbgen-and-vhost", test_vdbgen_and_vhost);
  g_test_add_func ("/lab/remote/group-target", test_group_target);
  g_test_add_func ("/lab/remote/enumerate-one-host-down", test_enumerate_one_host_down);
  g_test_add_func ("/lab/remote/host-down-mid-scan", test_host_down_mid_scan);
  g_test_add_func ("/lab/remote/host-key-changed", test_host_key_changed);
  g_test_add_func ("/lab/remote/key-refused", test_key_refused);
  g_test_add_func ("/lab/remote/hostile-names", test_hostile_remote);
  g_test_add_func ("/lab/remote/privilege-and-libvirt-uri", test_host_privilege_and_libvirt);
  g_test_add_func ("/lab/remote/forward", test_forward);
  g_test_add_func ("/lab/remote/show-info", test_show_info);
  return g_test_run ();
}
