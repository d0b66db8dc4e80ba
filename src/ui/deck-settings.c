/* deck-settings.c: typed access to the org.vmdeck.Vmdeck GSettings schema
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "deck-settings.h"

struct _DeckSettings
{
  GObject    parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (DeckSettings, deck_settings, G_TYPE_OBJECT)

/* Property names are the schema's key names. */
enum {
  PROP_0,
  PROP_SSH_PROGRAM,
  PROP_SSH_EXTRA_ARGS,
  PROP_INVENTORY_DIRS,
  PROP_RESCAN_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  static const char * const empty[] = { NULL };

  return g_strv_equal (a != NULL ? a : empty, b != NULL ? b : empty);
}

/* Stores @value unless it lies outside the key's range (a critical in GSettings). */
static gboolean
set_checked (DeckSettings *self,
             const char   *key,
             GVariant     *value)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) owned = g_variant_ref_sink (value);

  g_assert (DECK_IS_SETTINGS (self));

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  if (!g_settings_schema_key_range_check (schema_key, owned))
    {
      g_debug ("Not storing an out-of-range value for %s", key);
      return FALSE;
    }

  return g_settings_set_value (self->settings, key, owned);
}

static void
on_settings_changed (DeckSettings *self,
                     const char   *key,
                     GSettings    *settings)
{
  g_assert (DECK_IS_SETTINGS (self));

  for (guint i = 1; i < N_PROPS; i++)
    {
      if (g_strcmp0 (key, g_param_spec_get_name (properties[i])) == 0)
        {
          g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
          break;
        }
    }
}

static void
deck_settings_dispose (GObject *object)
{
  DeckSettings *self = DECK_SETTINGS (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (deck_settings_parent_class)->dispose (object);
}

static void
deck_settings_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DeckSettings *self = DECK_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_SSH_PROGRAM:
      g_value_take_string (value, deck_settings_dup_ssh_program (self));
      break;

    case PROP_SSH_EXTRA_ARGS:
      g_value_take_boxed (value, deck_settings_dup_ssh_extra_args (self));
      break;

    case PROP_INVENTORY_DIRS:
      g_value_take_boxed (value, deck_settings_dup_inventory_dirs (self));
      break;

    case PROP_RESCAN_INTERVAL:
      g_value_set_uint (value, deck_settings_get_rescan_interval (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_settings_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DeckSettings *self = DECK_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_SSH_PROGRAM:
      deck_settings_set_ssh_program (self, g_value_get_string (value));
      break;

    case PROP_SSH_EXTRA_ARGS:
      deck_settings_set_ssh_extra_args (self, g_value_get_boxed (value));
      break;

    case PROP_INVENTORY_DIRS:
      deck_settings_set_inventory_dirs (self, g_value_get_boxed (value));
      break;

    case PROP_RESCAN_INTERVAL:
      deck_settings_set_rescan_interval (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
deck_settings_class_init (DeckSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = deck_settings_dispose;
  object_class->get_property = deck_settings_get_property;
  object_class->set_property = deck_settings_set_property;

  properties[PROP_SSH_PROGRAM] =
    g_param_spec_string ("ssh-program", NULL, NULL,
                         "ssh",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SSH_EXTRA_ARGS] =
    g_param_spec_boxed ("ssh-extra-args", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_INVENTORY_DIRS] =
    g_param_spec_boxed ("inventory-dirs", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RESCAN_INTERVAL] =
    g_param_spec_uint ("rescan-interval", NULL, NULL,
                       0, G_MAXUINT, 300,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
deck_settings_init (DeckSettings *self)
{
  self->settings = g_settings_new (DECK_SETTINGS_SCHEMA_ID);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (on_settings_changed),
                           self, G_CONNECT_SWAPPED);
}

gboolean
deck_settings_check_schema (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, DECK_SETTINGS_SCHEMA_ID, TRUE);

  if (schema == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is the schema id, org.vmdeck.Vmdeck */
                   _("The settings schema %s is not installed. To run vmdeck from a build "
                     "directory, set GSETTINGS_SCHEMA_DIR to <build>/data."),
                   DECK_SETTINGS_SCHEMA_ID);
      return FALSE;
    }

  return TRUE;
}

DeckSettings *
deck_settings_new (void)
{
  return g_object_new (DECK_TYPE_SETTINGS, NULL);
}

void
deck_settings_get_window_state (DeckSettings *self,
                                int          *width,
                                int          *height,
                                gboolean     *maximized)
{
  g_return_if_fail (DECK_IS_SETTINGS (self));

  if (width != NULL)
    *width = g_settings_get_int (self->settings, "window-width");
  if (height != NULL)
    *height = g_settings_get_int (self->settings, "window-height");
  if (maximized != NULL)
    *maximized = g_settings_get_boolean (self->settings, "window-maximized");
}

void
deck_settings_set_window_state (DeckSettings *self,
                                int           width,
                                int           height,
                                gboolean      maximized)
{
  g_return_if_fail (DECK_IS_SETTINGS (self));

  g_settings_delay (self->settings);
  set_checked (self, "window-width", g_variant_new_int32 (width));
  set_checked (self, "window-height", g_variant_new_int32 (height));
  g_settings_set_boolean (self->settings, "window-maximized", !!maximized);
  g_settings_apply (self->settings);
}

int
deck_settings_get_sidebar_width (DeckSettings *self)
{
  g_return_val_if_fail (DECK_IS_SETTINGS (self), 0);

  return g_settings_get_int (self->settings, "sidebar-width");
}

void
deck_settings_set_sidebar_width (DeckSettings *self,
                                 int           width)
{
  g_return_if_fail (DECK_IS_SETTINGS (self));

  if (width != deck_settings_get_sidebar_width (self))
    set_checked (self, "sidebar-width", g_variant_new_int32 (width));
}

char *
deck_settings_dup_ssh_program (DeckSettings *self)
{
  g_return_val_if_fail (DECK_IS_SETTINGS (self), NULL);

  return g_settings_get_string (self->settings, "ssh-program");
}

void
deck_settings_set_ssh_program (DeckSettings *self,
                               const char   *program)
{
  g_autofree char *current = NULL;

  g_return_if_fail (DECK_IS_SETTINGS (self));

  current = deck_settings_dup_ssh_program (self);
  if (g_strcmp0 (current, program != NULL ? program : "") != 0)
    g_settings_set_string (self->settings, "ssh-program", program != NULL ? program : "");
}

char **
deck_settings_dup_ssh_extra_args (DeckSettings *self)
{
  g_return_val_if_fail (DECK_IS_SETTINGS (self), NULL);

  return g_settings_get_strv (self->settings, "ssh-extra-args");
}

void
deck_settings_set_ssh_extra_args (DeckSettings       *self,
                                  const char * const *args)
{
  g_auto(GStrv) current = NULL;

  g_return_if_fail (DECK_IS_SETTINGS (self));

  current = deck_settings_dup_ssh_extra_args (self);
  if (!strv_equal0 ((const char * const *) current, args))
    g_settings_set_strv (self->settings, "ssh-extra-args", args);
}

char **
deck_settings_dup_inventory_dirs (DeckSettings *self)
{
  g_return_val_if_fail (DECK_IS_SETTINGS (self), NULL);

  return g_settings_get_strv (self->settings, "inventory-dirs");
}

void
deck_settings_set_inventory_dirs (DeckSettings       *self,
                                  const char * const *dirs)
{
  g_auto(GStrv) current = NULL;

  g_return_if_fail (DECK_IS_SETTINGS (self));

  current = deck_settings_dup_inventory_dirs (self);
  if (!strv_equal0 ((const char * const *) current, dirs))
    g_settings_set_strv (self->settings, "inventory-dirs", dirs);
}

guint
deck_settings_get_rescan_interval (DeckSettings *self)
{
  g_return_val_if_fail (DECK_IS_SETTINGS (self), 0);

  return g_settings_get_uint (self->settings, "rescan-interval");
}

void
deck_settings_set_rescan_interval (DeckSettings *self,
                                   guint         seconds)
{
  g_return_if_fail (DECK_IS_SETTINGS (self));

  if (seconds != deck_settings_get_rescan_interval (self))
    set_checked (self, "rescan-interval", g_variant_new_uint32 (seconds));
}
