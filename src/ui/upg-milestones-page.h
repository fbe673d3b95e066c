/* upg-milestones-page.h — the project's Milestones section: list and timeline. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

#define UPG_TYPE_MILESTONES_PAGE (upg_milestones_page_get_type ())
G_DECLARE_FINAL_TYPE (UpgMilestonesPage, upg_milestones_page, UPG, MILESTONES_PAGE, AdwBin)

GtkWidget *upg_milestones_page_new         (void);
/* Shows @project (children loaded) of @store; NULL for none. */
void       upg_milestones_page_set_project (UpgMilestonesPage *self,
                                            UpgStore          *store,
                                            UpgProject        *project);

G_END_DECLS
