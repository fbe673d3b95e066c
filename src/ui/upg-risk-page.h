/* upg-risk-page.h — the project's Risks section. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"
#include "upg-heat-map.h"

G_BEGIN_DECLS

#define UPG_TYPE_RISK_PAGE (upg_risk_page_get_type ())
G_DECLARE_FINAL_TYPE (UpgRiskPage, upg_risk_page, UPG, RISK_PAGE, AdwBin)

GtkWidget *upg_risk_page_new         (void);
/* Shows @project (children loaded) of @store; NULL for none. */
void       upg_risk_page_set_project (UpgRiskPage *self,
                                    UpgStore   *store,
                                    UpgProject *project);
/* For tests and the window: the page's heat map, and the register's rows
 * (filtered and sorted, a GtkSelectionModel of UpgRisk). */
UpgHeatMap *upg_risk_page_get_heat_map      (UpgRiskPage *self);
GListModel *upg_risk_page_get_register_model (UpgRiskPage *self);

/* Opens @record's editor when it is a risk of the shown project. */
gboolean    upg_risk_page_show_risk          (UpgRiskPage *self,
                                              UpgRecord   *record);

G_END_DECLS
