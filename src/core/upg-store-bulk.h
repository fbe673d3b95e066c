/* upg-store-bulk.h — loading one kind of child for every project at once
 * (a query a table, not one a project): for views over the whole file. */
#pragma once

#include "upg-store.h"

G_BEGIN_DECLS

/* Fills the @entity children (a child entity of the project: milestones,
 * risks, the retrospective…) of every project in the list that has not
 * loaded them. The retrospective comes with its items. */
gboolean upg_store_load_all_children (UpgStore        *self,
                                      const UpgEntity *entity,
                                      GError         **error);

G_END_DECLS
