/* upg-retro-page.h — the project's Retrospective section. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

#define UPG_TYPE_RETRO_PAGE (upg_retro_page_get_type ())
G_DECLARE_FINAL_TYPE (UpgRetroPage, upg_retro_page, UPG, RETRO_PAGE, AdwBin)

GtkWidget  *upg_retro_page_new         (void);
void        upg_retro_page_set_project (UpgRetroPage *self,
                                        UpgStore     *store,
                                        UpgProject   *project);
/* The retrospective shown, or NULL (the empty state). */
UpgRecord  *upg_retro_page_get_retro   (UpgRetroPage *self);
/* The list of one kind of item ("went_well" … "action"), for tests. */
GtkListBox *upg_retro_page_get_list    (UpgRetroPage *self,
                                        const char   *kind);

G_END_DECLS
