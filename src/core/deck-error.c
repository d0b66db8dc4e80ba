/* deck-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "deck-error.h"

G_DEFINE_QUARK (deck-error-quark, deck_error)
