/* upg-window.h — the main window: one plan file, its projects and sections. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

#define UPG_TYPE_WINDOW (upg_window_get_type ())
G_DECLARE_FINAL_TYPE (UpgWindow, upg_window, UPG, WINDOW, AdwApplicationWindow)

UpgWindow  *upg_window_new              (GtkApplication *application,
                                         UpgStore       *store);
UpgStore   *upg_window_get_store        (UpgWindow      *self);
/* Where @store's plan is, as settings keep it: a file's path or a team
 * server's URI. */
const char *upg_store_address           (UpgStore       *store);
/* The project whose sections show, or NULL. */
UpgProject *upg_window_get_project      (UpgWindow      *self);
void        upg_window_select_project   (UpgWindow      *self,
                                         UpgProject     *project);
/* Creates a project with the standard milestones and SOP and selects it. */
UpgProject *upg_window_create_project   (UpgWindow      *self,
                                         const char     *name,
                                         const char     *kind,
                                         GError        **error);
/* Asks whether to delete the open project (naming it and what it holds);
 * deleting shows Undo in a toast that stays until dismissed. Returns the
 * question's dialog (owned by GTK), or NULL without a project. */
GtkWindow  *upg_window_delete_project   (UpgWindow      *self);
/* Shows a section: "overview", "milestones", "risks", "team", "checklist",
 * "notifications" or "retrospective". */
void        upg_window_show_section     (UpgWindow      *self,
                                         const char     *name);
/* Imports a plan document (in the store's thread on a team server): a toast
 * and the first project imported shown, or an error dialog. */
void        upg_window_import_file      (UpgWindow      *self,
                                         GFile          *file);
/* Writes @file with core's export @kind ("plan", "risks", "sop"…) in
 * @format, for the open project unless @whole_file; a toast says how it
 * went. The sections' Export menus reach it through win.export-file. */
gboolean    upg_window_export           (UpgWindow      *self,
                                         const char     *kind,
                                         const char     *format,
                                         gboolean        whole_file,
                                         GFile          *file);
/* Publish to Team Server: the dialog that chooses the server; the open
 * plan's projects go there by uid (as import --replace). */
GtkWindow  *upg_window_publish          (UpgWindow      *self);
/* Shows @message in a toast. */
void        upg_window_add_toast        (UpgWindow      *self,
                                         const char     *message);
/* Shows @error in a dialog over @parent (which may be NULL). */
void        upg_show_error_dialog       (GtkWindow      *parent,
                                         GtkApplication *application,
                                         const char     *heading,
                                         const GError   *error);

G_END_DECLS
