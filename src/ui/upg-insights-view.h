/* upg-insights-view.h — learning across upgrades: every project's figures. */
#pragma once

#include <adwaita.h>

#include "core/upg-insights.h"

G_BEGIN_DECLS

#define UPG_TYPE_INSIGHTS_VIEW (upg_insights_view_get_type ())
G_DECLARE_FINAL_TYPE (UpgInsightsView, upg_insights_view, UPG, INSIGHTS_VIEW, AdwBin)

GtkWidget         *upg_insights_view_new          (void);
/* Computes the figures over @store's projects; @today (NULL: the local
 * date) decides which actions are overdue. */
void               upg_insights_view_set_store    (UpgInsightsView  *self,
                                                   UpgStore         *store,
                                                   const char       *today);
gboolean           upg_insights_view_reload       (UpgInsightsView  *self,
                                                   GError          **error);
const UpgInsights *upg_insights_view_get_insights (UpgInsightsView  *self);
/* The drawing of one chart (UpgInsightsTile), for tests. */
GtkWidget         *upg_insights_view_get_tile     (UpgInsightsView  *self,
                                                   guint             tile);
GtkListBox        *upg_insights_view_get_actions_list (UpgInsightsView *self);

/* A window with a header bar (an Export menu) around the view of @store. */
GtkWindow         *upg_insights_window_new        (GtkWindow        *parent,
                                                   UpgStore         *store);

G_END_DECLS
