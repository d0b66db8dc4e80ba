/* deck-ssh-command.h: argv builder for every ssh call vmdeck makes
 *
 * One place decides how ssh is run: the program and its extra arguments (the user's
 * choice: a setting, $VMDECK_SSH or a command-line option, e.g. "ssh -F ~/lab/config"),
 * the connection options (user, port, identity, jump host, -o options), the shared
 * master connection (ControlPath under $XDG_RUNTIME_DIR) and the remote command.
 *
 * Nothing is ever assembled into a local shell string. The remote side of ssh always
 * runs the command through the login shell, so every remote word is quoted with
 * g_shell_quote() and the quoted words are joined with blanks: what arrives on the
 * remote side is exactly the argv given, whatever the words contain. Host and user names
 * are checked (deck_target_check_host/user) so that none can be taken for an option.
 *
 * Host key checking is left to ssh (~/.ssh/config, known_hosts); it is never turned off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DECK_TYPE_SSH_COMMAND (deck_ssh_command_get_type ())
G_DECLARE_FINAL_TYPE (DeckSshCommand, deck_ssh_command, DECK, SSH_COMMAND, GObject)

typedef enum {
  DECK_SSH_CONTROL_NONE,    /* no multiplexing options at all */
  DECK_SSH_CONTROL_CLIENT,  /* ride an existing master if there is one (ControlMaster=no) */
  DECK_SSH_CONTROL_MASTER,  /* become the persistent master (-M -N -f, ControlPersist) */
} DeckSshControl;

DeckSshCommand *deck_ssh_command_new            (const char         *host);
/* A copy with the same settings (remote argv, forwards and control operation excluded). */
DeckSshCommand *deck_ssh_command_copy_target    (DeckSshCommand     *self);

const char     *deck_ssh_command_get_host       (DeckSshCommand     *self);
const char     *deck_ssh_command_get_user       (DeckSshCommand     *self);
guint           deck_ssh_command_get_port       (DeckSshCommand     *self);
/* The program and its extra arguments; NULL = deck_ssh_get_default_program(). */
void            deck_ssh_command_set_program    (DeckSshCommand     *self,
                                                 const char * const *argv);
void            deck_ssh_command_set_user       (DeckSshCommand     *self,
                                                 const char         *user);
void            deck_ssh_command_set_port       (DeckSshCommand     *self,
                                                 guint               port);
void            deck_ssh_command_set_identity   (DeckSshCommand     *self,
                                                 const char         *path);
void            deck_ssh_command_set_jump_host  (DeckSshCommand     *self,
                                                 const char         *jump);
/* "Key=Value" as for ssh -o; added in order. */
void            deck_ssh_command_add_option     (DeckSshCommand     *self,
                                                 const char         *option);
void            deck_ssh_command_set_batch_mode (DeckSshCommand     *self,
                                                 gboolean            batch);
/* 0: -T (no pty), 1: -t, 2: -t -t (spec §3.4). */
void            deck_ssh_command_set_tty        (DeckSshCommand     *self,
                                                 guint               level);
void            deck_ssh_command_set_control    (DeckSshCommand     *self,
                                                 DeckSshControl      control);
/* Seconds a master stays up after its last client; default 600. */
void            deck_ssh_command_set_persist    (DeckSshCommand     *self,
                                                 guint               seconds);
/* ConnectTimeout in seconds; default 10; 0 = ssh's default. */
void            deck_ssh_command_set_connect_timeout (DeckSshCommand *self,
                                                 guint               seconds);
/* The remote command as an argv; each word is quoted for the remote shell. */
void            deck_ssh_command_set_remote_argv (DeckSshCommand    *self,
                                                 const char * const *argv);
/* A control operation on the master instead of a command: "check", "exit", "forward",
 * "cancel" (ssh -O). */
void            deck_ssh_command_set_control_op (DeckSshCommand     *self,
                                                 const char         *op);
/* A local forward "[bind:]port:host:hostport" (ssh -L); with port 0 and -O forward, ssh
 * prints the port it chose. */
void            deck_ssh_command_add_local_forward (DeckSshCommand  *self,
                                                 const char         *spec);

/* The complete argv; DECK_ERROR_INVALID_VALUE for a bad host, user or jump host name. */
char          **deck_ssh_command_build          (DeckSshCommand     *self,
                                                 GError            **error);

/* The words quoted for a POSIX remote shell and joined with blanks. */
char           *deck_ssh_quote_remote           (const char * const *argv);

/* Program + extra arguments used when a command sets none: the one set with
 * deck_ssh_set_default_program(), else $VMDECK_SSH split like a shell, else "ssh". */
char          **deck_ssh_get_default_program    (void);
/* Sets it for this process from a command line ("ssh -F file"); NULL resets. Also exports
 * it as $VMDECK_SSH for the libvirt ssh helper; call it before starting threads.
 * DECK_ERROR_USAGE when @cmdline cannot be split. */
gboolean        deck_ssh_set_default_program    (const char         *cmdline,
                                                 GError            **error);
/* Directory of the master sockets: $XDG_RUNTIME_DIR/vmdeck-ssh (created mode 0700). */
char           *deck_ssh_get_control_dir        (void);
/* The ControlPath pattern in that directory ("%C" makes one socket per user/host/port). */
char           *deck_ssh_get_control_path       (void);

/* What libvirt's ssh transport must run as command= so that it uses the program of
 * deck_ssh_get_default_program() and the shared masters: a link to the vmdeck-ssh helper
 * ($VMDECK_SSH_HELPER, else the installed one, else the one in the build tree) in the
 * control directory, beside a file that holds the program's words (libvirt clears the
 * environment of the command it runs). */
char           *deck_ssh_get_helper_path        (void);

/* A libvirt URI for @driver ("qemu", "xen", "test", ...) over ssh to the command's
 * target: "<driver>+ssh://[user@]host[:port]<path>?command=<helper>[&keyfile=...]",
 * with the parts URI-escaped. */
char           *deck_ssh_command_libvirt_uri    (DeckSshCommand     *self,
                                                 const char         *driver,
                                                 const char         *path);

G_END_DECLS
