/* upg-application.h — the GtkApplication: one window per plan file. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UPG_TYPE_APPLICATION (upg_application_get_type ())
G_DECLARE_FINAL_TYPE (UpgApplication, upg_application, UPG, APPLICATION, AdwApplication)

UpgApplication *upg_application_new (void);

G_END_DECLS
