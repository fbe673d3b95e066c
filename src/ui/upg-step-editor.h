/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-step-editor.h — the dialog that adds or edits a checklist step. */
#pragma once

#include <adwaita.h>

#include "core/upg-record.h"

G_BEGIN_DECLS

#define UPG_TYPE_STEP_EDITOR (upg_step_editor_get_type ())
G_DECLARE_FINAL_TYPE (UpgStepEditor, upg_step_editor, UPG, STEP_EDITOR, AdwWindow)

/* Edits @step, or (NULL) a new step in @phase. ::save asks the caller to
 * write what the dialog holds (the getters below); the caller closes it. */
UpgStepEditor *upg_step_editor_new          (GtkWindow     *parent,
                                             UpgRecord     *step,
                                             const char    *phase);
UpgRecord     *upg_step_editor_get_step     (UpgStepEditor *self);
char          *upg_step_editor_get_title    (UpgStepEditor *self);
const char    *upg_step_editor_get_phase    (UpgStepEditor *self);
const char    *upg_step_editor_get_role     (UpgStepEditor *self);
gboolean       upg_step_editor_get_required (UpgStepEditor *self);
const char    *upg_step_editor_get_note     (UpgStepEditor *self);
char          *upg_step_editor_get_details  (UpgStepEditor *self);

G_END_DECLS
