/* upg-store-private.h — what the store's files share (upg-store.c, the
 * backends upg-store-sqlite.c and upg-store-pg.c, upg-store-rows.c and
 * upg-store-facts.c), and migrations supplied by core's tests. */
#pragma once

#include <sqlite3.h>

#include "upg-store.h"
#include "upg-store-backend.h"

G_BEGIN_DECLS

struct _UpgStore
{
  GObject      parent_instance;

  UpgBackend  *backend;      /* where the plan lives */
  char        *uri;          /* a server's, as opened (no password); NULL for a file */
  GListStore  *projects;

  /* Writing a field (upg-store.c): */
  guint        reverting;    /* > 0 while the store itself puts values back */
  UpgRecord   *batch_record; /* between upg_store_update_begin () and _end () */
  guint64      batch_fields; /* the fields changed in that batch, a bit each */
  GError     **capture;      /* where a failed write's error goes instead of ::write-failed */
  GArray      *touches;      /* projects (gint64 ids) whose updated_at the commit sets */

  /* Finding loaded records by table and id (upg-store.c): */
  GHashTable  *index;        /* RowKey → UpgRecord (borrowed) */
  GPtrArray   *index_lists;  /* the lists it was made from, watched */
  GListStore  *index_root;   /* the project list it was made from */
  guint        index_serial; /* upg_record_get_tree_serial () then */
  gboolean     index_stale;  /* one of its lists changed since */

  /* Another store on the same server, for threads (upg_store_take_companion()): */
  GMutex       companion_lock;
  UpgStore    *companion;

  /* Working in a thread (upg_store_set_work_in_thread(), upg-store.c): */
  GThreadPool  *worker;        /* one thread, on @worker_store */
  UpgStore     *worker_store;  /* the thread's own, opened there */
  gboolean      unwatched;     /* a worker's store: it does not watch what it reads */
  GMainContext *context;       /* where its jobs are finished */
  GMutex        jobs_lock;     /* for the three below */
  GCond         jobs_cond;     /* jobs_queued went down */
  guint         jobs_queued;   /* pushed, not yet run */
  GQueue        jobs_done;     /* run, not yet finished in @context */
  guint         done_source;
  GHashTable   *writing;       /* UpgRecord → writes of it under way (main context) */
  GHashTable   *chains;        /* RowKey → row versions the thread moved past (the thread's) */
  gboolean      reading;       /* a read of others' changes is under way */
  GHashTable   *inserting;     /* UpgRecord: shown, not yet written by the thread (main context) */
  GHashTable   *inserted;      /* insert token → gint64 id the thread gave it (the thread's) */
  GHashTable   *placing;       /* UpgRecord → deletes, Undos and moves of it under way (main context) */
  guint64       last_token;
  GArray       *changes_waiting; /* UpgChange that came meanwhile */
};

/* Opening another connection of a store that is open (a companion, the
 * worker's): what a store does once when it opens is not done again. */
#define UPG_STORE_OPEN_TWIN ((UpgStoreOpenFlags) (1 << 7))

/* Migration @i takes a file from user_version i to i + 1. */
typedef gboolean (*UpgMigration) (sqlite3 *db, GError **error);

UpgStore     *upg_store_open_with_migrations (const char          *path,
                                              UpgStoreOpenFlags    flags,
                                              const UpgMigration  *migrations,
                                              guint                n_migrations,
                                              GError             **error);
/* The SQLite connection of a store on a file (NULL on a server). */
sqlite3      *upg_store_get_db               (UpgStore *self);
UpgBackend   *upg_store_get_backend          (UpgStore *self);
/* The app's own migrations, for tests that make files of older versions. */
const UpgMigration *upg_store_migrations     (guint    *n_migrations);

/* Which rows hang off which (a parent table, a child table and the child's
 * column naming the parent): what a deletion takes with it. */
typedef struct {
  const char *parent;
  const char *child;
  const char *column;
} UpgDependent;

const UpgDependent *upg_store_dependents     (guint    *n_dependents);

/* upg-store-sqlite.c: the SQLite backend, one connection to one file. */
typedef struct _UpgSqlite UpgSqlite;

struct _UpgSqlite
{
  UpgBackend     parent;

  char          *path;
  sqlite3       *db;
  GHashTable    *statements;   /* SQL text → sqlite3_stmt */
  GHashTable    *inserts;      /* UpgEntity → its INSERT statement (import's hot path) */
  GPtrArray     *scratch;      /* what a statement's parameters allocated */
  gboolean       read_only;
  int            file_version; /* user_version on disk (older when migrated in memory) */
  guint          watch_id;     /* polls PRAGMA data_version */
  int            data_version;
};

gboolean      upg_store_set_sqlite_error     (UpgSqlite     *self,
                                              sqlite3       *db,
                                              GError       **error);
gboolean      upg_store_exec                 (sqlite3       *db,
                                              const char    *sql,
                                              GError       **error);
int           upg_store_query_int            (sqlite3       *db,
                                              const char    *sql,
                                              int           *value);
UpgBackend   *upg_sqlite_backend_open        (const char          *path,
                                              UpgStoreOpenFlags    flags,
                                              const UpgMigration  *migrations,
                                              guint                n_migrations,
                                              GError             **error);
sqlite3      *upg_sqlite_backend_get_db      (UpgBackend    *backend);
char         *upg_store_derive_project_uid   (gint64         id,
                                              const char    *created_at,
                                              const char    *name);

/* upg-store-pg.c: a PostgreSQL database (a libpq connection URI). */
UpgBackend   *upg_pg_backend_open            (const char          *uri,
                                              const char          *password,
                                              UpgStoreOpenFlags    flags,
                                              GError             **error);
/* The same, migrating no further than version @n_steps (tests make an
 * older plan with it). */
UpgBackend   *upg_pg_backend_open_at         (const char          *uri,
                                              const char          *password,
                                              UpgStoreOpenFlags    flags,
                                              guint                n_steps,
                                              GError             **error);

/* The password the connection was made with (libpq's, or the one given),
 * or NULL; the connection's settings are fixed once open, so a thread may
 * ask. */
char         *upg_pg_backend_dup_password    (UpgBackend          *backend);

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
sqlite3      *upg_store_open_reader          (UpgSqlite     *self,
                                              gboolean      *in_memory,
                                              GError       **error);
gboolean      upg_store_check_wal            (UpgSqlite     *self,
                                              sqlite3       *through_wal,
                                              GError       **error);
gboolean      upg_store_stamp_commit         (sqlite3       *db,
                                              GError       **error);

/* upg-store-rows.c: records ⇄ rows, for every backend. */
/* @record's @field as a query parameter; what it allocates goes in @scratch. */
void          upg_store_field_param          (UpgRecord     *record,
                                              guint          field,
                                              UpgParam      *param,
                                              GPtrArray     *scratch);
void          upg_store_read_field           (UpgRow        *row,
                                              int            column,
                                              UpgRecord     *record,
                                              guint          field);
/* "SELECT id, position, <parent>, f1, …, extensions FROM table <where>" */
char         *upg_store_select_sql           (const UpgEntity *entity,
                                              const char      *where);
/* "INSERT INTO table ([id, ]position, extensions, <parent>, f1, …) VALUES
 * (?1, …)": with @with_id, a NULL id lets the backend choose one. */
char         *upg_store_insert_sql           (const UpgEntity *entity,
                                              gboolean         with_id);
/* The parameters of that INSERT; @params has room for every column. */
guint         upg_store_insert_params        (UpgRecord       *record,
                                              gboolean         with_id,
                                              gint64           id,
                                              gint64           parent_id,
                                              int              position,
                                              UpgParam        *params,
                                              GPtrArray       *scratch);
/* "UPDATE table SET f = ?2, … WHERE id = ?1" for @fields (a bit each), and
 * its parameters (@params has room for every field and the id). */
char         *upg_store_update_sql           (const UpgEntity *entity,
                                              guint64          fields);
guint         upg_store_update_params        (UpgRecord       *record,
                                              guint64          fields,
                                              UpgParam        *params,
                                              GPtrArray       *scratch);
/* A new record from a row of upg_store_select_sql (); nobody watches it. */
UpgRecord    *upg_store_record_from_row      (const UpgEntity *entity,
                                              UpgRow          *row,
                                              gint64           project_id);
/* The entity whose table is @table, or NULL. */
const UpgEntity *upg_store_entity_for_table  (const char      *table);

G_END_DECLS
