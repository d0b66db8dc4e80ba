/* deck-error.h: the public error domain of vmdeck
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DECK_ERROR (deck_error_quark ())

/**
 * DeckError:
 * @DECK_ERROR_FAILED: anything not covered below
 * @DECK_ERROR_USAGE: a command-line or suboption syntax error; the message says what is expected
 * @DECK_ERROR_PARSE: a file could not be parsed; the message starts with `file:line:`
 * @DECK_ERROR_INVALID_VALUE: a value the inventory cannot store (`;`, control characters, ...)
 * @DECK_ERROR_CORRUPT: a database line is not a valid record; the message names file and line
 * @DECK_ERROR_NOT_FOUND: an address matched nothing
 * @DECK_ERROR_AMBIGUOUS: an address matched more than one machine; the message lists them
 * @DECK_ERROR_EXISTS: something that must not exist yet does (an enum.fdb without --append)
 * @DECK_ERROR_HOST_UNREACHABLE: a host could not be reached
 * @DECK_ERROR_PERMISSION: access was refused (file, ssh key, hypervisor rights)
 * @DECK_ERROR_REMOTE_FAILED: a command on a remote host failed
 * @DECK_ERROR_UNSUPPORTED: the request is valid but this build/host cannot do it
 * @DECK_ERROR_HOST_KEY: a host's SSH key does not match the known one; nothing was run
 */
typedef enum {
  DECK_ERROR_FAILED,
  DECK_ERROR_USAGE,
  DECK_ERROR_PARSE,
  DECK_ERROR_INVALID_VALUE,
  DECK_ERROR_CORRUPT,
  DECK_ERROR_NOT_FOUND,
  DECK_ERROR_AMBIGUOUS,
  DECK_ERROR_EXISTS,
  DECK_ERROR_HOST_UNREACHABLE,
  DECK_ERROR_PERMISSION,
  DECK_ERROR_REMOTE_FAILED,
  DECK_ERROR_UNSUPPORTED,
  DECK_ERROR_HOST_KEY,
} DeckError;

GQuark deck_error_quark (void);

G_END_DECLS
