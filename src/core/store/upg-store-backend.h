/* upg-store-backend.h — the seam between the store (upg-store.c: the rules,
 * the loaded records, Undo) and where the plan lives: a SQLite file
 * (upg-store-sqlite.c) or a PostgreSQL database (upg-store-pg.c). A backend
 * is a table of operations on rows; the store never speaks SQLite or libpq.
 *
 * The small queries of the rules (is this name a member, renaming the risks
 * a member owns) are SQL both dialects read, with parameters ?1…?N; a
 * backend runs them through query(). Everything whose SQL differs goes
 * through an operation of its own.
 */
#pragma once

#include "upg-store.h"

G_BEGIN_DECLS

typedef struct _UpgBackend UpgBackend;
typedef struct _UpgRow     UpgRow;
/* What a backend keeps of a deletion, to restore it. */
typedef struct _UpgTombstone UpgTombstone;

/* A parameter of a query: NULL, an integer or a text. */
typedef enum {
  UPG_PARAM_NULL,
  UPG_PARAM_INT,
  UPG_PARAM_TEXT,
} UpgParamType;

/* move()'s @after_id for the end of the list. */
#define UPG_BACKEND_LAST ((gint64) -1)

typedef struct {
  UpgParamType  type;
  gint64        number;
  const char   *text;     /* borrowed: lives until the query returns */
} UpgParam;

#define UPG_PARAM_INT(n)  ((UpgParam) { UPG_PARAM_INT, (n), NULL })
#define UPG_PARAM_TEXT(s) ((UpgParam) { (s) != NULL ? UPG_PARAM_TEXT : UPG_PARAM_NULL, 0, (s) })

/* The current row of a query, read column by column (0 the first). */
struct _UpgRow
{
  gboolean    (*is_null)  (UpgRow *row, int column);
  gint64      (*get_int)  (UpgRow *row, int column);
  /* NULL for NULL; valid until the next row. */
  const char *(*get_text) (UpgRow *row, int column);
  gpointer      handle;
  int           index;
};

static inline gboolean    upg_row_is_null  (UpgRow *row, int column) { return row->is_null (row, column); }
static inline gint64      upg_row_get_int  (UpgRow *row, int column) { return row->get_int (row, column); }
static inline const char *upg_row_get_text (UpgRow *row, int column) { return row->get_text (row, column); }

/* Called for each row; FALSE stops the query early (not an error). */
typedef gboolean (*UpgRowFunc) (UpgRow *row, gpointer data);

/* What changed, as a watching backend reports it: a row of @entity (and
 * its parent), or, with @entity NULL, anything (read everything again). */
typedef enum {
  UPG_CHANGE_INSERT,
  UPG_CHANGE_UPDATE,
  UPG_CHANGE_DELETE,
} UpgChangeKind;

typedef struct {
  const UpgEntity *entity;
  UpgChangeKind    kind;
  gint64           id;
  gint64           parent_id;
} UpgChange;

typedef void (*UpgChangeFunc) (UpgBackend      *backend,
                               const UpgChange *changes,
                               guint            n_changes,
                               gpointer         data);

typedef struct {
  const char *name;                 /* "sqlite", "postgresql" */

  void        (*free)             (UpgBackend *self);
  /* The file's path (NULL for a server). */
  const char *(*get_path)         (UpgBackend *self);
  /* The name messages and titles use: the file's name, the server's database. */
  const char *(*get_display_name) (UpgBackend *self);
  gboolean    (*is_read_only)     (UpgBackend *self);
  /* The schema version of what is stored (older when migrated in memory). */
  int         (*get_file_version) (UpgBackend *self);

  /* The database role the connection acts as (NULL for a file). */
  const char *(*get_role)         (UpgBackend *self);

  /* Transactions: begin() is a write transaction. A file lets nobody else
   * write until it ends; on a server, lock() keeps a row as it was read.
   * When commit() fails the store calls rollback(). */
  gboolean    (*begin)            (UpgBackend  *self,
                                   GError     **error);
  gboolean    (*commit)           (UpgBackend  *self,
                                   GError     **error);
  void        (*rollback)         (UpgBackend  *self);
  gboolean    (*in_transaction)   (UpgBackend  *self);

  gboolean    (*lock)             (UpgBackend  *self,
                                   UpgRecord   *record,
                                   GError     **error);

  /* Runs @sql (with parameters ?1…?N) and calls @func (may be NULL) on
   * each row. */
  gboolean    (*query)            (UpgBackend     *self,
                                   const char     *sql,
                                   const UpgParam *params,
                                   guint           n_params,
                                   UpgRowFunc      func,
                                   gpointer        data,
                                   GError        **error);

  /* Appends to @records new records (nobody watches them yet) of the
   * rows of @entity under @parent_id (every project for the project
   * entity), in position order; with @n_ids not 0, only the rows whose
   * ids are among @ids, in no set order (none for an id that is gone).
   * @project_id is the records' project (0: each is its own). */
  gboolean    (*select)           (UpgBackend       *self,
                                   const UpgEntity  *entity,
                                   gint64            parent_id,
                                   const gint64     *ids,
                                   guint             n_ids,
                                   gint64            project_id,
                                   GPtrArray        *records,
                                   GError          **error);
  /* The same for the rows under any of @parent_ids, in one read: each
   * parent's rows in position order. */
  gboolean    (*select_under)     (UpgBackend       *self,
                                   const UpgEntity  *entity,
                                   const gint64     *parent_ids,
                                   guint             n_parents,
                                   gint64            project_id,
                                   GPtrArray        *records,
                                   GError          **error);
  /* Writes @record's row (not its children) at @position under
   * @parent_id and gives the record its id: @id, or with 0 a new one. */
  gboolean    (*insert)           (UpgBackend  *self,
                                   UpgRecord   *record,
                                   gint64       id,
                                   gint64       parent_id,
                                   int          position,
                                   GError     **error);
  /* Writes @fields (a bit each) of @record. With @versioned, only when
   * nobody else changed the row since the record was read: otherwise an
   * UPG_STORE_ERROR_CONFLICT error. */
  gboolean    (*update)           (UpgBackend  *self,
                                   UpgRecord   *record,
                                   guint64      fields,
                                   gboolean     versioned,
                                   GError     **error);
  /* Deletes @record's row and every row under it; @tombstone gets what
   * restore() needs to put them back as they were. With @tombstone NULL
   * (nothing to undo: import --replace) the rows go for good. */
  gboolean    (*remove)           (UpgBackend    *self,
                                   UpgRecord     *record,
                                   UpgTombstone **tombstone,
                                   GError       **error);
  gboolean    (*restore)          (UpgBackend    *self,
                                   UpgTombstone  *tombstone,
                                   GError       **error);
  void        (*tombstone_free)   (UpgTombstone  *tombstone);
  /* Puts @record right after the sibling @after_id (0: first;
   * UPG_BACKEND_LAST or an id no longer there: last) in the stored order
   * of its siblings, as they are stored now (not as the caller's list has
   * them), and numbers them 0…n-1. @order gets their ids (gint64) in the
   * new order. */
  gboolean    (*move)             (UpgBackend  *self,
                                   UpgRecord   *record,
                                   gint64       after_id,
                                   GArray      *order,
                                   GError     **error);

  /* Looks for what other connections change, every @interval_ms at most
   * (0 stops), and tells it through upg_backend_report_changes(), never
   * in the middle of a transaction of its own. */
  void        (*watch)            (UpgBackend    *self,
                                   guint          interval_ms);
  /* The integrity check: @report gets a line per problem ("ok" when none). */
  gboolean    (*check)            (UpgBackend  *self,
                                   char       **report,
                                   GError     **error);

  /* A server's connection made again after it was lost (NULL for a
   * file). connect_again() may run in another thread while the backend
   * is in use: it reads only what open fixed, and returns a new
   * connection (or NULL and @error); adopt() (in the backend's own
   * thread) puts it in place of the old one, or connection_free() drops
   * it. */
  gpointer    (*connect_again)    (UpgBackend  *self,
                                   GError     **error);
  gboolean    (*adopt)            (UpgBackend  *self,
                                   gpointer     connection,
                                   GError     **error);
  void        (*connection_free)  (gpointer     connection);
  /* Whether the connection is up, as far as is known without asking the
   * server (NULL for a file): FALSE and why (always set) when it was lost
   * and is not made again on use. */
  gboolean    (*is_connected)     (UpgBackend  *self,
                                   GError     **error);
} UpgBackendVTable;

struct _UpgBackend
{
  const UpgBackendVTable *vt;
  /* Who hears of other connections' changes: the store, while it watches
   * (upg_store_watch_external_changes()); NULL otherwise. */
  UpgChangeFunc           changed;
  gpointer                changed_data;
  /* FALSE in a window (upg_store_set_reconnect_on_use()): a connection
   * that broke makes the next call fail at once, and only
   * upg_store_reconnect_async() connects again, in a thread. */
  gboolean                reconnect_on_use;
  /* Debugging: the thread whose use of the connection is reported (a
   * window's, under UPG_DEBUG_WINDOW_QUERIES), or NULL. */
  GThread                *watched_thread;
};

/* Tells the watcher, if any, what other connections changed (@changes
 * NULL and @n_changes 0: anything, read everything again). */
void upg_backend_report_changes (UpgBackend      *self,
                                 const UpgChange *changes,
                                 guint            n_changes);

G_END_DECLS
