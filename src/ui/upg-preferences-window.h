/* upg-preferences-window.h — the Preferences window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UPG_TYPE_PREFERENCES_WINDOW (upg_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (UpgPreferencesWindow, upg_preferences_window, UPG, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *upg_preferences_window_new (GtkWindow *parent);

G_END_DECLS
