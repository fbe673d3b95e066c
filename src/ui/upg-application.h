/* upg-application.h — the GtkApplication: one window per plan file. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"

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

/* Presents a window on @store (opened and loaded), or the one already
 * open on the same team server. */
GtkWindow      *upg_application_open_store (UpgApplication *self,
                                            UpgStore       *store);
/* Opens a window on the team server @uri: the Connect to Team Server
 * dialog connects and reads it in a thread, and shows why when that fails
 * (with a password field when the server asks for one). */
void            upg_application_open_server (UpgApplication *self,
                                             const char     *uri);
/* The Connect to Team Server dialog over @parent (may be NULL), with
 * @uri (may be NULL) filled in and @error (may be NULL) shown: what it
 * connects to opens in a window. */
GtkWindow      *upg_application_connect     (UpgApplication *self,
                                             GtkWindow      *parent,
                                             const char     *uri,
                                             const GError   *error);
G_END_DECLS
