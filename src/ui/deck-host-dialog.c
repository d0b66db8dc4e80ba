/* deck-host-dialog.c: adding or editing a host of the host list
 *
 * The fields are the parts of one group-file line (spec §2.4): "[user@]host" and the
 * options --ssh-port=, -Z <privilege>, --backend=, --uri= and any other ctys options (split as a shell
 * splits them, nothing expanded). The line is checked as the core reads one: a name the
 * core refuses is refused here with the core's message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <string.h>

#include "deck-call.h"
#include "deck-error.h"
#include "deck-host.h"
#include "deck-host-dialog.h"

struct _DeckHostDialog
{
  GtkDialog parent_instance;

  GtkLabel        *error_label;
  GtkEntry        *target_entry;
  GtkEntry        *port_entry;
  GtkComboBoxText *privilege_combo;
  GtkComboBoxText *backend_combo;
  GtkEntry        *uri_entry;
  GtkEntry        *options_entry;
  GtkButton       *ok_button;
};

G_DEFINE_FINAL_TYPE (DeckHostDialog, deck_host_dialog, GTK_TYPE_DIALOG)

static void
on_changed (DeckHostDialog *self,
            GtkEditable    *editable)
{
  /* the message was about the earlier text */
  deck_host_dialog_set_error (self, NULL);
}

static void
deck_host_dialog_class_init (DeckHostDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/vmdeck/Vmdeck/ui/deck-host-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DeckHostDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DeckHostDialog, target_entry);
  gtk_widget_class_bind_template_child (widget_class, DeckHostDialog, port_entry);
  gtk_widget_class_bind_template_child (widget_class, DeckHostDialog, privilege_combo);
  gtk_widget_class_bind_template_child (widget_class, DeckHostDialog, backend_combo);
  gtk_widget_class_bind_template_child (widget_class, DeckHostDialog, uri_entry);
  gtk_widget_class_bind_template_child (widget_class, DeckHostDialog, options_entry);
  gtk_widget_class_bind_template_child (widget_class, DeckHostDialog, ok_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
}

static void
deck_host_dialog_init (DeckHostDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* A word as a group file shows it: quoted only where the shell would split or expand it. */
static char *
quote_word (const char *word)
{
  if (*word != '\0' && strspn (word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=%,@+-") == strlen (word))
    return g_strdup (word);
  return g_shell_quote (word);
}

static void
set_fields (DeckHostDialog   *self,
            const DeckTarget *target)
{
  g_autoptr(GString) rest = g_string_new (NULL);
  g_autofree char *name = target->user ? g_strdup_printf ("%s@%s", target->user, target->host)
                                       : g_strdup (target->host);
  const char *privilege = "";

  gtk_entry_set_text (self->target_entry, name);
  for (guint i = 0; target->options[i] != NULL; i++)
    {
      const char *o = target->options[i];

      if (g_str_equal (o, "-Z") && target->options[i + 1] != NULL)
        privilege = target->options[++i];
      else if (g_str_has_prefix (o, "--backend="))
        gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->backend_combo), o + strlen ("--backend="));
      else if (g_str_has_prefix (o, "--uri=") && *gtk_entry_get_text (self->uri_entry) == '\0')
        gtk_entry_set_text (self->uri_entry, o + strlen ("--uri="));
      else if (g_str_has_prefix (o, "--ssh-port="))
        gtk_entry_set_text (self->port_entry, o + strlen ("--ssh-port="));
      else
        {
          g_autofree char *q = quote_word (o);

          g_string_append_printf (rest, "%s%s", rest->len ? " " : "", q);
        }
    }
  if (!gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->privilege_combo), privilege))
    {
      /* a -Z value the menu has no entry for (e.g. "sudo,noksu"): keep it as written */
      gtk_combo_box_text_append (self->privilege_combo, privilege, privilege);
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->privilege_combo), privilege);
    }
  gtk_entry_set_text (self->options_entry, rest->str);
  deck_host_dialog_set_error (self, NULL);
}

DeckHostDialog *
deck_host_dialog_new (GtkWindow        *parent,
                      const DeckTarget *target)
{
  DeckHostDialog *self = g_object_new (DECK_TYPE_HOST_DIALOG, "use-header-bar", 1,
                                       "transient-for", parent, NULL);

  gtk_window_set_title (GTK_WINDOW (self), target ? _("Edit Host") : _("Add Host"));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->privilege_combo), "");
  if (target != NULL)
    {
      set_fields (self, target);
      gtk_button_set_label (self->ok_button, _("_Save"));
    }
  return self;
}

DeckTarget *
deck_host_dialog_dup_target (DeckHostDialog *self,
                             GError        **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (self->target_entry)));
  g_autofree char *uri = g_strstrip (g_strdup (gtk_entry_get_text (self->uri_entry)));
  g_autofree char *port = g_strstrip (g_strdup (gtk_entry_get_text (self->port_entry)));
  const char *extra = gtk_entry_get_text (self->options_entry);
  const char *privilege = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->privilege_combo));
  const char *backend = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->backend_combo));
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DeckCallOptions) options = deck_call_options_new ();
  g_autoptr(DeckTarget) target = NULL;
  g_autoptr(DeckHost) host = NULL;
  g_autofree char *user = NULL;
  const char *at, *name = text;

  g_return_val_if_fail (DECK_IS_HOST_DIALOG (self), NULL);

  if (*text == '\0')
    {
      g_set_error_literal (error, DECK_ERROR, DECK_ERROR_USAGE, _("Enter the host as ssh reaches it: host or user@host."));
      return NULL;
    }
  if ((at = strchr (text, '@')) != NULL)
    {
      user = g_strndup (text, at - text);
      name = at + 1;
      if (!deck_target_check_user (user, error))
        return NULL;
    }
  if (!deck_target_check_host (name, error))
    return NULL;

  if (*port != '\0')
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &n, NULL))
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, _("The SSH port must be a number from 1 to 65535 (or empty)."));
          return NULL;
        }
      g_ptr_array_add (words, g_strdup_printf ("--ssh-port=%u", (guint) n));
    }
  if (privilege != NULL && *privilege != '\0')
    {
      g_ptr_array_add (words, g_strdup ("-Z"));
      g_ptr_array_add (words, g_strdup (privilege));
    }
  if (backend != NULL && !g_str_equal (backend, "auto"))
    g_ptr_array_add (words, g_strconcat ("--backend=", backend, NULL));
  if (*uri != '\0')
    g_ptr_array_add (words, g_strconcat ("--uri=", uri, NULL));
  if (*extra != '\0')
    {
      g_auto(GStrv) argv = NULL;
      g_autoptr(GError) local = NULL;

      if (strpbrk (extra, "\n\r") != NULL)
        {
          g_set_error_literal (error, DECK_ERROR, DECK_ERROR_INVALID_VALUE, _("Options cannot hold a line break."));
          return NULL;
        }
      if (!g_shell_parse_argv (extra, NULL, &argv, &local))
        {
          g_set_error (error, DECK_ERROR, DECK_ERROR_USAGE, _("Options: %s"), local->message);
          return NULL;
        }
      for (guint i = 0; argv[i] != NULL; i++)
        g_ptr_array_add (words, g_strdup (argv[i]));
    }
  g_ptr_array_add (words, NULL);

  /* as the core reads the line: the options as ctys parses them, then the host */
  if (!deck_call_options_apply (options, (const char * const *) words->pdata, NULL, error))
    return NULL;
  target = deck_target_new (user, name, (const char * const *) words->pdata);
  if ((host = deck_host_new_from_target (target, error)) == NULL)
    return NULL;
  if (deck_host_is_local (host) && user == NULL && g_str_equal (name, "localhost") && words->len == 1)
    {
      g_set_error_literal (error, DECK_ERROR, DECK_ERROR_EXISTS,
                           _("This machine is always in the list; add “localhost” only with options (e.g. its libvirt URI)."));
      return NULL;
    }
  return g_steal_pointer (&target);
}

void
deck_host_dialog_set_error (DeckHostDialog *self,
                            const char     *message)
{
  g_return_if_fail (DECK_IS_HOST_DIALOG (self));

  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

const char *
deck_host_dialog_get_error (DeckHostDialog *self)
{
  g_return_val_if_fail (DECK_IS_HOST_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

GtkEntry *
deck_host_dialog_get_target_entry (DeckHostDialog *self)
{
  return self->target_entry;
}

GtkEntry *
deck_host_dialog_get_port_entry (DeckHostDialog *self)
{
  return self->port_entry;
}

GtkComboBox *
deck_host_dialog_get_privilege_combo (DeckHostDialog *self)
{
  return GTK_COMBO_BOX (self->privilege_combo);
}

GtkComboBox *
deck_host_dialog_get_backend_combo (DeckHostDialog *self)
{
  return GTK_COMBO_BOX (self->backend_combo);
}

GtkEntry *
deck_host_dialog_get_uri_entry (DeckHostDialog *self)
{
  return self->uri_entry;
}

GtkEntry *
deck_host_dialog_get_options_entry (DeckHostDialog *self)
{
  return self->options_entry;
}

GtkButton *
deck_host_dialog_get_ok_button (DeckHostDialog *self)
{
  return self->ok_button;
}
