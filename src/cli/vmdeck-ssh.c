/* vmdeck-ssh.c: the ssh that libvirt runs for the URIs vmdeck builds (command=...)
 *
 * libvirt's ssh transport takes one program path and adds its own arguments (-p, -l, -i,
 * -T, -e none, the host and the remote command). This helper puts in front of them what
 * every vmdeck ssh call uses: the configured program with its extra arguments (read from
 * "<argv0>.argv", see deck_ssh_get_helper_path, because libvirt clears the environment)
 * and the shared master connection, then replaces itself with that ssh. No shell is
 * involved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "deck-ssh-command.h"

/* The program's words from "<argv0>.argv" (written by deck_ssh_get_helper_path), else
 * the default program. */
static char **
program_words (const char *argv0)
{
  g_autofree char *file = g_strconcat (argv0, ".argv", NULL);
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GStrvBuilder) b = NULL;

  if (!g_file_get_contents (file, &data, &len, NULL) || len == 0 || data[len - 1] != '\0')
    return deck_ssh_get_default_program ();
  b = g_strv_builder_new ();
  for (const char *w = data; w < data + len; w += strlen (w) + 1)
    g_strv_builder_add (b, w);
  return g_strv_builder_end (b);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) program = program_words (argv[0]);
  g_autofree char *dir = g_path_get_dirname (argv[0]);
  g_autofree char *name = g_path_get_basename (argv[0]);
  g_autofree char *control_path = NULL;
  g_autofree char *control_opt = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) full = NULL;

  /* started through its link in the control directory: the masters live there */
  control_path = g_str_has_prefix (name, "ssh-")
                 ? g_build_filename (dir, "%C", NULL) : deck_ssh_get_control_path ();
  control_opt = g_strconcat ("-oControlPath=", control_path, NULL);
  g_strv_builder_addv (b, (const char **) program);
  g_strv_builder_add (b, control_opt);
  g_strv_builder_add (b, "-oControlMaster=no");
  for (int i = 1; i < argc; i++)
    g_strv_builder_add (b, argv[i]);
  full = g_strv_builder_end (b);

  execvp (full[0], full);
  fprintf (stderr, "vmdeck-ssh: cannot run %s: %s\n", full[0], strerror (errno));
  return 127;
}
