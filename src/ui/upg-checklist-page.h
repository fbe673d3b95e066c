/* upg-checklist-page.h — the project's Checklist section. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

#define UPG_TYPE_CHECKLIST_PAGE (upg_checklist_page_get_type ())
G_DECLARE_FINAL_TYPE (UpgChecklistPage, upg_checklist_page, UPG, CHECKLIST_PAGE, AdwBin)

GtkWidget *upg_checklist_page_new         (void);
/* Shows @project (children loaded) of @store; NULL for none. */
void       upg_checklist_page_set_project (UpgChecklistPage *self,
                                    UpgStore   *store,
                                    UpgProject *project);

/* Sets who checks steps (saved in the checker-name setting) and counts as
 * chosen for this session, so checking does not ask again. */
void       upg_checklist_page_set_checker (UpgChecklistPage *self,
                                           const char       *name);

G_END_DECLS
