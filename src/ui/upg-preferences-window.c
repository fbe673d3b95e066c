/* upg-preferences-window.c — the Preferences window. */
#include "config.h"

#include <glib/gi18n.h>

#include "upg-preferences-window.h"

struct _UpgPreferencesWindow
{
  AdwPreferencesWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (UpgPreferencesWindow, upg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
upg_preferences_window_class_init (UpgPreferencesWindowClass *klass)
{
}

static void
upg_preferences_window_init (UpgPreferencesWindow *self)
{
}

GtkWidget *
upg_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (UPG_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}
