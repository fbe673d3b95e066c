/* upg-application.h — the GtkApplication: one window per plan file. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UPG_TYPE_APPLICATION (upg_application_get_type ())
G_DECLARE_FINAL_TYPE (UpgApplication, upg_application, UPG, APPLICATION, AdwApplication)

UpgApplication *upg_application_new       (void);
/* Presents the window of the plan file at @path, opening it (or, with
 * @create, creating it) first; a file the store refuses gets a dialog.
 * Returns the window, or NULL. */
GtkWindow      *upg_application_open_path (UpgApplication *self,
                                           const char     *path,
                                           gboolean        create);

G_END_DECLS
