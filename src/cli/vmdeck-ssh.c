/* vmdeck-ssh.c: the ssh that libvirt runs for the URIs vmdeck builds (command=...)
 *
 * libvirt's ssh transport takes one program path and adds its own arguments (-p, -l, -i,
 * -T, -e none, the host and the remote command). This helper puts in front of them what
 * every vmdeck ssh call uses: the configured program with its extra arguments ($VMDECK_SSH,
 * see deck_ssh_get_default_program) and the shared master connection, then replaces
 * itself with that ssh. No shell is involved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "deck-ssh-command.h"

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) program = deck_ssh_get_default_program ();
  g_autofree char *control_path = deck_ssh_get_control_path ();
  g_autofree char *control_opt = g_strconcat ("-oControlPath=", control_path, NULL);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) full = NULL;

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
