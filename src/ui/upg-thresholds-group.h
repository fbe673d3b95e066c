/* upg-thresholds-group.h — the three risk level thresholds as a group of
 * spin rows with a preview of the levels they make: Preferences uses it for
 * new projects, the Risks section for the project's own. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UPG_TYPE_THRESHOLDS_GROUP (upg_thresholds_group_get_type ())
G_DECLARE_FINAL_TYPE (UpgThresholdsGroup, upg_thresholds_group, UPG, THRESHOLDS_GROUP, AdwPreferencesGroup)

GtkWidget  *upg_thresholds_group_new            (void);
/* "5,10,20": the lowest score of medium, high and critical. Setting it
 * does not emit ::changed; the user's edits (and Reset) do. */
const char *upg_thresholds_group_get_thresholds (UpgThresholdsGroup *self);
void        upg_thresholds_group_set_thresholds (UpgThresholdsGroup *self,
                                                 const char         *thresholds);
/* The reset button's mnemonic label, which says what it resets to. */
GtkWidget  *upg_thresholds_group_get_reset_button (UpgThresholdsGroup *self);

G_END_DECLS
