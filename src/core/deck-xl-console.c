/* deck-xl-console.c: see deck-xl-console.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-xl-console.h"

#include "deck-ssh-command.h"
#include "deck-xl.h"

char **
deck_xl_console_command (DeckHost           *host,
                         const char * const *prefix,
                         const char         *dom,
                         DeckXlConsoleFlags  flags,
                         GError            **error)
{
  g_auto(GStrv) xl_argv = NULL;
  g_autoptr(DeckSshCommand) cmd = NULL;

  g_return_val_if_fail (DECK_IS_HOST (host), NULL);
  g_return_val_if_fail (dom != NULL, NULL);

  xl_argv = deck_xl_console_argv (prefix, dom, (flags & DECK_XL_CONSOLE_SERIAL) != 0, error);
  if (xl_argv == NULL || deck_host_is_local (host))
    return g_steal_pointer (&xl_argv);
  cmd = deck_ssh_command_copy_target (deck_host_get_ssh (host));
  deck_ssh_command_set_tty (cmd, (flags & DECK_XL_CONSOLE_NO_PTY) ? 0 : 2);
  if (flags & DECK_XL_CONSOLE_EMBEDDED)
    {
      deck_ssh_command_add_option (cmd, "EscapeChar=none");
      deck_ssh_command_add_option (cmd, "LogLevel=ERROR");
    }
  deck_ssh_command_set_remote_argv (cmd, (const char * const *) xl_argv);
  return deck_ssh_command_build (cmd, error);
}
