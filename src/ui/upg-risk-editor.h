/* upg-risk-editor.h — a dialog with every field of one risk. */
#pragma once

#include <adwaita.h>

#include "core/upg-risk.h"
#include "core/store/upg-store.h"

G_BEGIN_DECLS

#define UPG_TYPE_RISK_EDITOR (upg_risk_editor_get_type ())
G_DECLARE_FINAL_TYPE (UpgRiskEditor, upg_risk_editor, UPG, RISK_EDITOR, AdwWindow)

/* Edits @risk of @project (saved as it changes), or, with @risk NULL, a new
 * risk that "Add" inserts into @project. The editor emits
 * "delete-requested" when the user asks to delete the risk; the caller
 * deletes it (and offers Undo). */
GtkWidget *upg_risk_editor_new      (GtkWindow               *parent,
                                     UpgStore                *store,
                                     UpgProject              *project,
                                     UpgRisk                 *risk,
                                     const UpgRiskThresholds *thresholds);
UpgRisk   *upg_risk_editor_get_risk (UpgRiskEditor           *self);
gboolean   upg_risk_editor_is_new   (UpgRiskEditor           *self);

G_END_DECLS
