/* upg-store-private.h — for core's tests: migrations supplied by the caller. */
#pragma once

#include <sqlite3.h>

#include "upg-store.h"

G_BEGIN_DECLS

/* Migration @i takes a file from user_version i to i + 1. */
typedef gboolean (*UpgMigration) (sqlite3 *db, GError **error);

UpgStore *upg_store_open_with_migrations (const char          *path,
                                          UpgStoreOpenFlags    flags,
                                          const UpgMigration  *migrations,
                                          guint                n_migrations,
                                          GError             **error);
sqlite3  *upg_store_get_db               (UpgStore *self);

G_END_DECLS
