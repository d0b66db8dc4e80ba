/* xen-testutil.c: what the test programs of suite xen share (see xen-testutil.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "testutil.h"
#include "xen-testutil.h"

static char *xenhost_script;

void
xen_run_free (XenRun *r)
{
  if (r == NULL)
    return;
  g_free (r->out);
  g_free (r->err);
  g_free (r);
}

XenRun *
xen_run_argv (const char * const *argv,
              guint               timeout)
{
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *t = g_strdup_printf ("%u", timeout);
  XenRun *r = g_new0 (XenRun, 1);
  gint64 t0 = g_get_monotonic_time ();
  int status;

  g_ptr_array_add (a, g_strdup ("timeout"));
  g_ptr_array_add (a, g_strdup ("-k"));
  g_ptr_array_add (a, g_strdup ("10"));
  g_ptr_array_add (a, g_strdup (t));
  for (guint i = 0; argv[i]; i++)
    g_ptr_array_add (a, g_strdup (argv[i]));
  g_ptr_array_add (a, NULL);
  if (!g_spawn_sync (NULL, (char **) a->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &r->out, &r->err,
                     &status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  r->seconds = (g_get_monotonic_time () - t0) / 1e6;
  r->status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  if (r->status == 124 || r->status == 137)
    g_error ("%s did not finish within %u s", argv[0], timeout);
  return r;
}

XenRun *
xen_prog (const char         *name,
          const char * const *args)
{
  g_autofree char *path = test_program_path (name);
  g_autofree char *line = g_strjoinv (" ", (char **) args);
  g_autoptr(GPtrArray) a = g_ptr_array_new ();
  XenRun *r;

  g_ptr_array_add (a, path);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (a, (gpointer) args[i]);
  g_ptr_array_add (a, NULL);
  r = xen_run_argv ((const char * const *) a->pdata, XEN_CTYS_TIMEOUT);
  g_test_message ("%s %s: exit %d after %.1f s\nstdout: %s\nstderr: %s", name, line, r->status, r->seconds,
                  r->out, r->err);
  return r;
}

XenRun *
xen_dom0_argv (const char * const *words)
{
  g_auto(GStrv) ssh = g_strsplit (g_getenv ("VMDECK_SSH"), " ", -1);
  g_autoptr(GPtrArray) a = g_ptr_array_new ();

  for (guint i = 0; ssh[i]; i++)
    if (*ssh[i])
      g_ptr_array_add (a, ssh[i]);
  g_ptr_array_add (a, (gpointer) g_getenv ("LAB_XEN_HOST"));
  for (guint i = 0; words[i]; i++)
    g_ptr_array_add (a, (gpointer) words[i]);
  g_ptr_array_add (a, NULL);
  return xen_run_argv ((const char * const *) a->pdata, 120);
}

void
xen_lab_command (const char *command,
                 const char *arg)
{
  char *argv[] = { xenhost_script, (char *) command, (char *) arg, NULL };
  g_autoptr(XenRun) r = xen_run_argv ((const char * const *) argv, 600);

  if (r->status != 0)
    g_error ("xenhost %s %s failed (%d): %s", command, arg ? arg : "", r->status, r->err);
}

/* --- the Dom0's view ------------------------------------------------------------------------- */

gboolean
xen_xl_lookup (const char  *name,
               char       **id,
               char       **state)
{
  g_autoptr(XenRun) r = xen_dom0 ("xl", "list");
  g_auto(GStrv) lines = NULL;

  if (r->status != 0)
    g_error ("xl list on the Dom0 failed: %s", r->err);
  lines = g_strsplit (r->out, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto(GStrv) w = g_strsplit_set (lines[i], " \t", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();

      for (guint j = 0; w[j]; j++)
        if (*w[j])
          g_ptr_array_add (words, w[j]);
      if (words->len >= 6 && strcmp (words->pdata[0], name) == 0)
        {
          if (id)
            *id = g_strdup (words->pdata[1]);
          if (state)
            *state = g_strdup (words->pdata[4]);
          return TRUE;
        }
    }
  return FALSE;
}

char *
xen_xl_state (const char *name)
{
  char *state = NULL;

  xen_xl_lookup (name, NULL, &state);
  return state;
}

gboolean
xen_xl_running (const char *name)
{
  g_autofree char *s = xen_xl_state (name);

  /* running (r), blocked (b, idle) or runnable and waiting for a CPU ("------"): not paused,
   * shut down, crashed or dying */
  return s != NULL && strlen (s) == 6 && s[2] == '-' && s[3] == '-' && s[4] == '-' && s[5] == '-';
}

void
xen_assert_xl (const char *name,
               const char *what)
{
  g_autofree char *s = xen_xl_state (name);

  if (g_str_equal (what, "absent"))
    {
      /* a destroyed domain may linger a few seconds as shut down / dying ("--ps--") */
      gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

      while (s != NULL && g_get_monotonic_time () < deadline && (s[3] == 's' || s[5] == 'd'))
        {
          g_usleep (G_USEC_PER_SEC);
          g_free (s);
          s = xen_xl_state (name);
        }
      if (s != NULL)
        g_error ("%s is still listed by xl (%s)", name, s);
    }
  else if (g_str_equal (what, "paused"))
    {
      if (s == NULL || s[2] != 'p')
        g_error ("%s is not paused: xl list says '%s'", name, s ? s : "(not listed)");
    }
  else if (!xen_xl_running (name))
    {
      g_autofree char *again = xen_xl_state (name);

      g_error ("%s is not running: xl list says '%s'", name, again ? again : "(not listed)");
    }
}

void
xen_xl_off (const char *name)
{
  g_autoptr(XenRun) r = xen_dom0 ("xl", "destroy", name);   /* fails when it is not running: fine */
}

guint
xen_banners (const char *name)
{
  g_autofree char *log = g_strdup_printf ("%s/guest-%s.log", g_getenv ("LAB_XEN_CONSOLE_DIR"), name);
  g_autofree char *needle = g_strdup_printf ("VMDECK-XEN %s READY", name);
  g_autoptr(XenRun) r = xen_dom0 ("cat", log);
  guint n = 0;

  for (const char *p = r->out; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

double
xen_wait_banners (const char *name,
                  guint       count)
{
  gint64 t0 = g_get_monotonic_time ();
  gint64 deadline = t0 + XEN_BANNER_TIMEOUT * G_USEC_PER_SEC;

  while (xen_banners (name) < count)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s: no console banner #%u within %d s", name, count, XEN_BANNER_TIMEOUT);
      g_usleep (2 * G_USEC_PER_SEC);
    }
  return (g_get_monotonic_time () - t0) / 1e6;
}

void
xen_wait_running (const char *name)
{
  gint64 deadline = g_get_monotonic_time () + XEN_BANNER_TIMEOUT * G_USEC_PER_SEC;

  while (!xen_xl_running (name))
    {
      if (g_get_monotonic_time () > deadline)
        xen_assert_xl (name, "running");
      g_usleep (2 * G_USEC_PER_SEC);
    }
}

/* --- set-up ---------------------------------------------------------------------------- */

/* "xenhost <command>" evaluated: its LAB_XEN_* and VMDECK_SSH into this environment.
 * Returns its exit status; @err gets its stderr. g_spawn_sync, not GSubprocess: no helper
 * thread may exist when test_take_down_after_tests() forks. */
static int
xenhost_eval (const char *command,
              char      **err)
{
  const char *script =
    "out=$(\"$1\" \"$2\") || exit $?; eval \"$out\" || exit 1; "
    "for v in $(compgen -v LAB_XEN_) VMDECK_SSH; do printf '%s=%s\\n' \"$v\" \"${!v}\"; done";
  char *argv[] = { (char *) "bash", (char *) "-c", (char *) script, (char *) "xenhost-eval",
                   xenhost_script, (char *) command, NULL };
  g_autofree char *vars = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &vars, err, &status, &error))
    g_error ("cannot run %s: %s", xenhost_script, error->message);
  if (!WIFEXITED (status))
    return 128;
  if (WEXITSTATUS (status) != 0)
    return WEXITSTATUS (status);
  lines = g_strsplit (vars, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq)
        {
          *eq = '\0';
          g_setenv (lines[i], eq + 1, TRUE);
        }
    }
  return 0;
}

/* The file after "-F" in an "ssh -F FILE" command line. */
static char *
ssh_config_of (const char *command)
{
  g_auto(GStrv) words = g_strsplit (command, " ", -1);

  for (guint i = 0; words[i] && words[i + 1]; i++)
    if (g_str_equal (words[i], "-F"))
      return g_strdup (words[i + 1]);
  g_error ("no -F FILE in VMDECK_SSH “%s”", command);
  return NULL;
}

char *
xen_test_setup (gboolean with_lab)
{
  const char *src = g_getenv ("VMDECK_SRCDIR");
  g_autofree char *err = NULL, *lab_config = NULL, *runtime_dir = NULL;
  gint64 t0;
  int status = 1;

  xenhost_script = g_build_filename (src ? src : ".", "tests", "lab", "xenhost", NULL);
  if (with_lab)
    {
      char *skip = test_lab_setup ();

      if (skip != NULL)
        return skip;
      lab_config = ssh_config_of (g_getenv ("VMDECK_SSH"));
      g_setenv ("VMDECK_XEN_SHARED", g_getenv ("LAB_SHARED_DIR"), TRUE);
    }
  if (g_getenv ("LAB_XEN_DIR"))
    {
      g_setenv ("VMDECK_XEN_DIR", g_getenv ("LAB_XEN_DIR"), TRUE);
      status = xenhost_eval ("env", &err);
    }
  if (status != 0)
    {
      g_clear_pointer (&err, g_free);
      printf ("# bringing the Xen host up (tests/lab/xenhost up; builds the image when it is not cached)\n");
      fflush (stdout);
      t0 = g_get_monotonic_time ();
      status = xenhost_eval ("up", &err);
      if (status == 77)
        return g_strdup_printf ("the Xen host cannot run here: %s", g_strstrip (err));
      if (status != 0)
        {
          printf ("Bail out! tests/lab/xenhost up failed (status %d): %s\n", status, err);
          exit (1);
        }
      test_take_down_after_tests (xenhost_script);
      printf ("# timing: xenhost up %.0f s (image build %s s, boot to ssh %s s)\n",
              (g_get_monotonic_time () - t0) / 1e6, g_getenv ("LAB_XEN_BUILD_SECONDS"),
              g_getenv ("LAB_XEN_BOOT_SECONDS"));
    }
  g_setenv ("VMDECK_XEN_DIR", g_getenv ("LAB_XEN_DIR"), TRUE);
  if (lab_config != NULL)
    {
      /* one ssh configuration for the lab's hosts and the Xen host */
      g_autofree char *xen_config = ssh_config_of (g_getenv ("VMDECK_SSH"));
      g_autofree char *both = g_build_filename (g_getenv ("LAB_XEN_DIR"), "ssh-config-lab", NULL);
      g_autofree char *text = g_strdup_printf ("Include %s\nInclude %s\n", xen_config, lab_config);
      g_autofree char *command = g_strconcat ("ssh -F ", both, NULL);

      test_write_file (both, text);
      g_setenv ("VMDECK_SSH", command, TRUE);
    }
  runtime_dir = g_build_filename (g_getenv ("LAB_XEN_DIR"), "rt", NULL);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_unsetenv ("VMDECK_NODENAME");
  return NULL;
}
