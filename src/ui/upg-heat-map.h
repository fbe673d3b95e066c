/* upg-heat-map.h — the 5×5 risk matrix: how many risks fall in each cell. */
#pragma once

#include <adwaita.h>

#include "core/upg-risk.h"

G_BEGIN_DECLS

#define UPG_TYPE_HEAT_MAP (upg_heat_map_get_type ())
G_DECLARE_FINAL_TYPE (UpgHeatMap, upg_heat_map, UPG, HEAT_MAP, GtkWidget)

GtkWidget *upg_heat_map_new            (void);
/* The risks to count (a GListModel of UpgRisk), or NULL. The map follows
 * the list; call upg_heat_map_update() when a risk's scores change. */
void       upg_heat_map_set_risks      (UpgHeatMap              *self,
                                        GListModel              *risks);
void       upg_heat_map_update         (UpgHeatMap              *self);
void       upg_heat_map_set_thresholds (UpgHeatMap              *self,
                                        const UpgRiskThresholds *thresholds);
/* Counts residual positions (after mitigation) instead of inherent ones. */
gboolean   upg_heat_map_get_residual   (UpgHeatMap              *self);
void       upg_heat_map_set_residual   (UpgHeatMap              *self,
                                        gboolean                 residual);
/* The selected cell (the register's filter); 0, 0 when none. */
void       upg_heat_map_get_selection  (UpgHeatMap              *self,
                                        int                     *likelihood,
                                        int                     *impact);
void       upg_heat_map_select         (UpgHeatMap              *self,
                                        int                      likelihood,
                                        int                      impact);
guint      upg_heat_map_get_count      (UpgHeatMap              *self,
                                        int                      likelihood,
                                        int                      impact);
/* The button of one cell (likelihood and impact 1..5). */
GtkWidget *upg_heat_map_get_cell       (UpgHeatMap              *self,
                                        int                      likelihood,
                                        int                      impact);

G_END_DECLS
