/* upg-settings.c — GSettings that never abort the program: a missing
 * schema falls back to the copy in the resources and a memory backend. */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "upg-settings.h"
#include "upg-resources.h"

#define SCHEMAS_RESOURCE "/io/github/upgrade_planner/UpgradePlanner/gschemas.compiled"

static GSettingsSchema  *schema;
static GSettingsBackend *memory_backend;

/* Loads the compiled schema the build put in the resources: GLib reads
 * schemas from a folder only, so it is written to a temporary one, read
 * (mapped) and removed again. */
static GSettingsSchema *
load_builtin_schema (void)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (upg_get_resource (), SCHEMAS_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  GSettingsSchemaSource *source;
  GSettingsSchema *found = NULL;

  if (bytes == NULL)
    return NULL;
  dir = g_dir_make_tmp ("upgrade-planner-schema-XXXXXX", NULL);
  if (dir == NULL)
    return NULL;
  file = g_build_filename (dir, "gschemas.compiled", NULL);
  if (g_file_set_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    {
      source = g_settings_schema_source_new_from_directory (dir, NULL, TRUE, NULL);
      if (source != NULL)
        {
          found = g_settings_schema_source_lookup (source, APP_ID, FALSE);
          g_settings_schema_source_unref (source);
        }
    }
  g_unlink (file);
  g_rmdir (dir);
  return found;
}

GSettingsSchema *
upg_settings_get_schema (void)
{
  GSettingsSchemaSource *source;

  if (schema != NULL)
    return schema;

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      schema = load_builtin_schema ();
      g_assert (schema != NULL);   /* the build puts it in the resources */
      memory_backend = g_memory_settings_backend_new ();
      fprintf (stderr, _("upgrade-planner: the settings schema %s is not installed, so settings last only until the app quits; "
                         "install the app (meson install), or run glib-compile-schemas on the folder with its .gschema.xml "
                         "and set GSETTINGS_SCHEMA_DIR to that folder\n"),
               APP_ID);
    }
  return schema;
}

GSettings *
upg_settings_new (void)
{
  GSettingsSchema *app_schema = upg_settings_get_schema ();
  return g_settings_new_full (app_schema, memory_backend, NULL);
}
