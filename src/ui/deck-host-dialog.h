/* deck-host-dialog.h: adding or editing a host of the host list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "deck-targets.h"

G_BEGIN_DECLS

#define DECK_TYPE_HOST_DIALOG (deck_host_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DeckHostDialog, deck_host_dialog, DECK, HOST_DIALOG, GtkDialog)

/* A dialog for a new host (@target NULL) or for editing @target. It answers
 * GTK_RESPONSE_OK (button "Add" / "Save") or GTK_RESPONSE_CANCEL; the caller checks the
 * target with deck_host_dialog_dup_target and shows what is wrong with set_error. */
DeckHostDialog *deck_host_dialog_new        (GtkWindow        *parent,
                                             const DeckTarget *target);

/* The target the fields describe, checked as the core checks a group-file line (host and
 * user names, -Z, --uri=, --backend= and the other options); NULL with the core's error
 * otherwise. */
DeckTarget     *deck_host_dialog_dup_target (DeckHostDialog   *self,
                                             GError          **error);

/* Shows @message above the fields (NULL hides it). */
void            deck_host_dialog_set_error  (DeckHostDialog   *self,
                                             const char       *message);
/* The message shown, or NULL. */
const char     *deck_host_dialog_get_error  (DeckHostDialog   *self);

/* For tests and accessibility tools: the fields. */
GtkEntry       *deck_host_dialog_get_target_entry  (DeckHostDialog *self);
GtkEntry       *deck_host_dialog_get_port_entry    (DeckHostDialog *self);
GtkComboBox    *deck_host_dialog_get_privilege_combo (DeckHostDialog *self);
GtkComboBox    *deck_host_dialog_get_backend_combo (DeckHostDialog *self);
GtkEntry       *deck_host_dialog_get_uri_entry     (DeckHostDialog *self);
GtkEntry       *deck_host_dialog_get_options_entry (DeckHostDialog *self);
GtkButton      *deck_host_dialog_get_ok_button     (DeckHostDialog *self);

G_END_DECLS
