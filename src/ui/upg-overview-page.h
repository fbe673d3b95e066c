/* upg-overview-page.h — the project's Overview section: every project field. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

#define UPG_TYPE_OVERVIEW_PAGE (upg_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (UpgOverviewPage, upg_overview_page, UPG, OVERVIEW_PAGE, AdwBin)

GtkWidget *upg_overview_page_new              (void);
/* Shows @project (children loaded) of @store; NULL for none. */
void       upg_overview_page_set_project      (UpgOverviewPage *self,
                                               UpgStore        *store,
                                               UpgProject      *project);
/* Whether the page shows all it will: the summary, and the details' rows
 * when they are open (those follow in an idle). */
gboolean   upg_overview_page_is_complete      (UpgOverviewPage *self);
/* Recomputes the "Needs attention" list. */
void       upg_overview_page_refresh_warnings (UpgOverviewPage *self);
/* Opens or closes the editable details under the summary (remembered). */
void       upg_overview_page_show_details     (UpgOverviewPage *self,
                                               gboolean         shown);

G_END_DECLS
