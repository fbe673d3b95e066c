/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-notifications-page.h — the project's Notifications section: the
 * notices for each moment and audience, and the stakeholder groups. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

#define UPG_TYPE_NOTIFICATIONS_PAGE (upg_notifications_page_get_type ())
G_DECLARE_FINAL_TYPE (UpgNotificationsPage, upg_notifications_page, UPG, NOTIFICATIONS_PAGE, AdwBin)

GtkWidget *upg_notifications_page_new         (void);
/* Shows @project (children loaded) of @store; NULL for none. */
void       upg_notifications_page_set_project (UpgNotificationsPage *self,
                                               UpgStore             *store,
                                               UpgProject           *project);
/* The grid's cell for @moment and @group (a button, or a label when the
 * group does not hear about it; @group NULL: the moment's own button, a
 * draft for every group), for tests. */
GtkWidget *upg_notifications_page_get_cell    (UpgNotificationsPage *self,
                                               const char           *moment,
                                               const char           *group);
/* The moments in the grid's row order. */
char      *upg_notifications_page_describe_rows (UpgNotificationsPage *self);
/* The draft window opened last (for tests), or NULL. */
GtkWindow *upg_notifications_page_get_draft   (UpgNotificationsPage *self);

G_END_DECLS
