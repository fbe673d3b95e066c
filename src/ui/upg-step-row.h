/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-step-row.h — one SOP step of the checklist: its check box, what it
 * says, its history and its actions. */
#pragma once

#include <adwaita.h>

#include "core/upg-record.h"

G_BEGIN_DECLS

#define UPG_TYPE_STEP_ROW (upg_step_row_get_type ())
G_DECLARE_FINAL_TYPE (UpgStepRow, upg_step_row, UPG, STEP_ROW, AdwActionRow)

/* @project (may be NULL): the step's, whose zone its times are shown in. */
GtkWidget      *upg_step_row_new       (UpgRecord  *step,
                                        UpgProject *project);
UpgRecord      *upg_step_row_get_step  (UpgStepRow *self);
GtkCheckButton *upg_step_row_get_check (UpgStepRow *self);
/* Where the step's history pops up from. */
GtkWidget      *upg_step_row_get_history_button (UpgStepRow *self);
/* Shows whether the step is done without asking anyone (the check box
 * follows the file, not the click). */
void            upg_step_row_sync      (UpgStepRow *self);
/* While a team server takes a change of the step: a spinner in place of
 * the check box, and no other change offered. */
void            upg_step_row_set_busy  (UpgStepRow *self,
                                        gboolean    busy);
gboolean        upg_step_row_get_busy  (UpgStepRow *self);

G_END_DECLS
