/* upg-store-private.h — what the store's three files share (upg-store.c,
 * upg-store-sqlite.c, upg-store-rows.c), and migrations supplied by core's
 * tests. */
#pragma once

#include <sqlite3.h>

#include "upg-store.h"

G_BEGIN_DECLS

struct _UpgStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  GHashTable  *statements;   /* SQL text → sqlite3_stmt */
  GHashTable  *inserts;      /* UpgEntity → its INSERT statement (import's hot path) */
  GListStore  *projects;
  gboolean     read_only;
  guint        watch_id;      /* polls PRAGMA data_version */
  int          data_version;
  int          file_version;  /* user_version on disk (older when migrated in memory) */

  /* Writing a field (upg-store.c): */
  guint        reverting;    /* > 0 while the store itself puts values back */
  UpgRecord   *batch_record; /* between upg_store_update_begin () and _end () */
  guint64      batch_fields; /* the fields changed in that batch, a bit each */
  GError     **capture;      /* where a failed write's error goes instead of ::write-failed */
};

/* Migration @i takes a file from user_version i to i + 1. */
typedef gboolean (*UpgMigration) (sqlite3 *db, GError **error);

UpgStore     *upg_store_open_with_migrations (const char          *path,
                                              UpgStoreOpenFlags    flags,
                                              const UpgMigration  *migrations,
                                              guint                n_migrations,
                                              GError             **error);
sqlite3      *upg_store_get_db               (UpgStore *self);
/* The app's own migrations, for tests that make files of older versions. */
const UpgMigration *upg_store_migrations     (guint    *n_migrations);

/* upg-store-sqlite.c: the connection. */
gboolean      upg_store_set_sqlite_error     (UpgStore      *self,
                                              sqlite3       *db,
                                              GError       **error);
gboolean      upg_store_exec                 (sqlite3       *db,
                                              const char    *sql,
                                              GError       **error);
int           upg_store_query_int            (sqlite3       *db,
                                              const char    *sql,
                                              int           *value);
sqlite3_stmt *upg_store_get_statement        (UpgStore      *self,
                                              const char    *sql,
                                              GError       **error);
gboolean      upg_store_step_done            (UpgStore      *self,
                                              sqlite3_stmt  *stmt,
                                              GError       **error);

/* upg-store-schema.c: the file is input. */
gboolean      upg_store_harden               (sqlite3       *db,
                                              GError       **error);
gboolean      upg_store_check_schema         (sqlite3             *db,
                                              const char          *name,
                                              int                  version,
                                              const UpgMigration  *steps,
                                              guint                n_steps,
                                              GError             **error);

/* upg-store-wal.c: reading without writing, and the log beside a file. */
typedef enum {
  UPG_WAL_NONE,    /* no log to read */
  UPG_WAL_SHARED,  /* a log with its shared index (-shm): a connection has it open, or had */
  UPG_WAL_LEFT,    /* a log alone: read from copies */
} UpgWalState;

UpgWalState   upg_store_wal_state            (const char    *path);
sqlite3      *upg_store_open_reader          (UpgStore      *self,
                                              gboolean      *in_memory,
                                              GError       **error);
gboolean      upg_store_check_wal            (UpgStore      *self,
                                              sqlite3       *through_wal,
                                              GError       **error);
gboolean      upg_store_stamp_commit         (sqlite3       *db,
                                              GError       **error);

/* upg-store-rows.c: records ⇄ rows. */
void          upg_store_bind_field           (sqlite3_stmt  *stmt,
                                              int            index,
                                              UpgRecord     *record,
                                              guint          field);
void          upg_store_read_field           (sqlite3_stmt  *stmt,
                                              int            column,
                                              UpgRecord     *record,
                                              guint          field);
char         *upg_store_select_sql           (const UpgEntity *entity,
                                              const char      *where);
/* "INSERT INTO table (id, position, extensions, <parent>, f1, …)". */
char         *upg_store_insert_sql           (const UpgEntity *entity);
UpgRecord    *upg_store_record_from_row      (const UpgEntity *entity,
                                              sqlite3_stmt    *stmt,
                                              gint64           project_id);

G_END_DECLS
