/* upg-preferences-window.h — the Preferences window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UPG_TYPE_PREFERENCES_WINDOW (upg_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (UpgPreferencesWindow, upg_preferences_window, UPG, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *upg_preferences_window_new (GtkWindow *parent);

/* The risk level thresholds Preferences sets for new projects ("5,10,20"
 * with the defaults, or when the settings schema is not installed or the
 * values are inconsistent). A project keeps its own (risk_thresholds). */
char      *upg_preferences_new_project_thresholds (void);

G_END_DECLS
