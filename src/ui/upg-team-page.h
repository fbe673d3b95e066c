/* upg-team-page.h — the project's Team section: people and their roles. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

#define UPG_TYPE_TEAM_PAGE (upg_team_page_get_type ())
G_DECLARE_FINAL_TYPE (UpgTeamPage, upg_team_page, UPG, TEAM_PAGE, AdwBin)

GtkWidget *upg_team_page_new         (void);
/* Shows @project (children loaded) of @store; NULL for none. */
void       upg_team_page_set_project (UpgTeamPage *self,
                                      UpgStore    *store,
                                      UpgProject  *project);

G_END_DECLS
