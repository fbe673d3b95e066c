/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-project-row.h — a project in the sidebar: name, versions, status pill. */
#pragma once

#include <gtk/gtk.h>

#include "core/upg-record.h"

G_BEGIN_DECLS

#define UPG_TYPE_PROJECT_ROW (upg_project_row_get_type ())
G_DECLARE_FINAL_TYPE (UpgProjectRow, upg_project_row, UPG, PROJECT_ROW, GtkWidget)

GtkWidget  *upg_project_row_new         (void);
UpgProject *upg_project_row_get_project (UpgProjectRow *self);
void        upg_project_row_set_project (UpgProjectRow *self,
                                         UpgProject    *project);

G_END_DECLS
