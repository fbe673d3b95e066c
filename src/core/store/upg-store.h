/* upg-store.h — the plan: a file (one SQLite database) or a team server
 * (a PostgreSQL database), owned by one object. */
#pragma once

#include <gio/gio.h>

#include "upg-record.h"

G_BEGIN_DECLS

#define UPG_STORE_ERROR (upg_store_error_quark ())

typedef enum {
  UPG_STORE_ERROR_NOT_FOUND,     /* no such file (and not asked to create it) */
  UPG_STORE_ERROR_NOT_A_PLAN,    /* not a SQLite file, or another program's */
  UPG_STORE_ERROR_CORRUPT,       /* truncated or damaged */
  UPG_STORE_ERROR_TOO_NEW,       /* written by a newer Upgrade Planner */
  UPG_STORE_ERROR_READ_ONLY,
  UPG_STORE_ERROR_BACKUP,        /* the copy made before migrating failed */
  UPG_STORE_ERROR_NO_SUCH_PROJECT,
  UPG_STORE_ERROR_FAILED,
  UPG_STORE_ERROR_INVALID,       /* the change breaks a rule of the plan (the message says which) */
  UPG_STORE_ERROR_CONFLICT,      /* someone else changed the row first (a server) */
  UPG_STORE_ERROR_CONNECTION,    /* the server cannot be reached, or the connection was lost */
  UPG_STORE_ERROR_NEEDS_PASSWORD, /* the server asks for a password: none was given, or a wrong one */
} UpgStoreError;

typedef enum {
  UPG_STORE_OPEN_EXISTING  = 0,
  /* Create the file when it does not exist (its folder must); an existing
   * empty file (made by mktemp, say) becomes a new plan. */
  UPG_STORE_OPEN_CREATE    = 1 << 0,
  /* The caller only reads (list, check, export): the file is never written,
   * an empty file is refused, an older file is migrated in memory. A file
   * the user cannot write (or in a folder they cannot write) is always
   * opened this way. */
  UPG_STORE_OPEN_READ_ONLY = 1 << 1,
  /* A team server's store for a window: it listens for others' changes
   * from the start (set up where it is opened, in a thread, so that
   * upg_store_watch_external_changes() then asks the server nothing).
   * No effect on a file. */
  UPG_STORE_OPEN_LISTEN    = 1 << 2,
} UpgStoreOpenFlags;

/* The schema version this build reads and writes (PRAGMA user_version). */
#define UPG_STORE_SCHEMA_VERSION 3
/* PRAGMA application_id: "UpgP". */
#define UPG_STORE_APPLICATION_ID 0x55706750

#define UPG_TYPE_STORE (upg_store_get_type ())
G_DECLARE_FINAL_TYPE (UpgStore, upg_store, UPG, STORE, GObject)

typedef struct _UpgDeletion UpgDeletion;

GQuark      upg_store_error_quark     (void);

/* @path is a plan file, or a libpq connection URI (postgresql://…) of a
 * team server; a server's schema is created (UPG_STORE_OPEN_CREATE) or
 * migrated there, never when only reading. */
UpgStore   *upg_store_open            (const char         *path,
                                       UpgStoreOpenFlags   flags,
                                       GError            **error);
/* The file's path; NULL for a server (upg_store_is_server()). */
/* Whether @location is a team server's URI (postgresql:// or postgres://). */
gboolean    upg_store_is_server_uri   (const char         *location);
/* Whether a server's @uri holds a password (then it is refused: a URI is
 * kept in settings and shown). */
gboolean    upg_store_uri_has_password (const char        *uri);
/* A team server with a password the caller holds (the desktop's keyring),
 * given to libpq, never kept. @uri itself must hold none. */
UpgStore   *upg_store_open_server     (const char         *uri,
                                       const char         *password,
                                       UpgStoreOpenFlags   flags,
                                       GError            **error);
const char *upg_store_get_path        (UpgStore   *self);
/* The server's URI as it was opened (it holds no password); NULL for a file. */
const char *upg_store_get_uri         (UpgStore   *self);
/* Whether the plan is on a server (opened from a postgresql:// URI). */
gboolean    upg_store_is_server       (UpgStore   *self);
/* Where the plan is, for people: the file's path, or "DB on HOST". */
const char *upg_store_get_location    (UpgStore   *self);
/* The database role a server store acts as (NULL for a file). */
const char *upg_store_get_role        (UpgStore   *self);
/* The schema version of the file on disk: older than
 * UPG_STORE_SCHEMA_VERSION when a read-only store migrated it in memory. */
int         upg_store_get_file_version (UpgStore  *self);
/* Whether changes cannot be saved (opened read-only, or not writable). */
gboolean    upg_store_is_read_only    (UpgStore   *self);
char       *upg_store_get_default_path (void);

/* Reads the project list; a file that cannot be read (damaged, say) is an
 * error here, never an empty list. Call it after opening, before
 * upg_store_get_projects(). */
gboolean    upg_store_load            (UpgStore   *self,
                                       GError    **error);
/* A server whose connection was lost: connects again in a thread (the
 * main context is not held up by the network), then, back in the
 * caller's context, takes the new connection, listens again when
 * watching and reads the project list again (emitting
 * ::changed-externally). The store may be used meanwhile (its own
 * connection is untouched until the new one is ready). */
void        upg_store_reconnect_async (UpgStore            *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    upg_store_reconnect_finish (UpgStore           *self,
                                        GAsyncResult       *result,
                                        GError            **error);
/* Whether a call that finds the server's connection broken connects
 * again there and then (the default: the command line), waiting on the
 * network up to the connect timeout; a window says FALSE, so the call
 * fails at once (UPG_STORE_ERROR_CONNECTION) and the window connects
 * again with upg_store_reconnect_async(). No effect on a file. */
void        upg_store_set_reconnect_on_use (UpgStore *self,
                                            gboolean  reconnect);
/* A window on a team server says TRUE: a changed field (a property set,
 * upg_store_update_end()) is then written by a thread on a connection
 * of its own, in order, and refused later through ::write-failed (the record
 * shows the stored values again); the rows others changed are read there
 * too. A write of the store's own (a transaction: insert, delete, move)
 * first waits for those the thread has. Only for a server. */
void        upg_store_set_work_in_thread (UpgStore *self,
                                          gboolean  in_thread);
/* Another store on the same team server, opened like this one (its
 * password too) on first use and kept for the next: for work a thread
 * does while the window goes on (upg_sop_mark_async()). It comes locked,
 * one thread at a time: give it back with upg_store_release_companion().
 * NULL with @error (and not locked) when it cannot connect. Only for a
 * server. */
UpgStore   *upg_store_take_companion  (UpgStore   *self,
                                       GError    **error);
void        upg_store_release_companion (UpgStore *self);
/* Reads the project list again (new records, in the same list model). */
gboolean    upg_store_reload          (UpgStore   *self,
                                       GError    **error);
/* Looks every @interval_ms (0 stops) whether another connection committed
 * to the file (PRAGMA data_version); then reloads the project list and
 * emits UpgStore::changed-externally. */
void        upg_store_watch_external_changes (UpgStore *self,
                                              guint     interval_ms);
/* All projects, in file order, as a GListModel of UpgProject whose rows load
 * when first asked for. The store keeps it up to date. */
GListModel *upg_store_get_projects    (UpgStore   *self);
UpgProject *upg_store_lookup_project  (UpgStore   *self,
                                       gint64      id,
                                       GError    **error);

/* Fills @record's child lists (recursively) from the file. */
gboolean    upg_store_load_children   (UpgStore   *self,
                                       UpgRecord  *record,
                                       GError    **error);

/* The same, without waiting: in the store's thread when it works in one
 * (upg_store_set_work_in_thread(); jobs in order, so changes made before
 * are read), else at once. */
void        upg_store_load_children_async  (UpgStore            *self,
                                            UpgRecord           *record,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    upg_store_load_children_finish (UpgStore            *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Reads something of the plan without waiting: @read runs in the store's
 * thread (upg_store_set_work_in_thread(); after the jobs before it) on
 * that thread's own store, with the project list read anew, and returns
 * a result (freed with @result_free when nobody takes it) or NULL with
 * an error; without a thread it runs at once on @self. For what reads a
 * whole plan (an export). */
typedef gpointer (*UpgStoreReadFunc) (UpgStore  *store,
                                      gpointer   data,
                                      GError   **error);
void        upg_store_read_async      (UpgStore            *self,
                                       UpgStoreReadFunc     read,
                                       gpointer             data,
                                       GDestroyNotify       data_free,
                                       GDestroyNotify       result_free,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gpointer    upg_store_read_finish     (UpgStore            *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* Writes something of @project without waiting: @write runs in the
 * store's thread (upg_store_set_work_in_thread(); after the jobs before
 * it) on that thread's own store, on the project as the server has it
 * then (its rows read anew), in a transaction of its own if it wants one
 * (a refusal leaves nothing written); the records of @project then
 * follow what it left, as they follow others' changes. Without a thread
 * it runs at once on @self and @project. For work of several rows at
 * once (a step edited and moved, a rollback begun). */
typedef gboolean (*UpgStoreWriteFunc) (UpgStore    *store,
                                       UpgProject  *project,
                                       gpointer     data,
                                       GError     **error);
void        upg_store_write_async     (UpgStore            *self,
                                       UpgProject          *project,
                                       UpgStoreWriteFunc    write,
                                       gpointer             data,
                                       GDestroyNotify       data_free,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    upg_store_write_finish    (UpgStore            *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* Adds projects without waiting (an import): @add runs in the store's
 * thread (upg_store_set_work_in_thread(); after the jobs before it) on
 * that thread's own store, with the project list read anew, and returns
 * the ids of the projects it added or replaced (or NULL with an error);
 * they are then in @self's project list, as others' new projects are.
 * Without a thread it runs at once on @self. The finish gives the ids. */
typedef GArray *(*UpgStoreAddFunc) (UpgStore  *store,
                                    gpointer   data,
                                    GError   **error);
void        upg_store_add_projects_async  (UpgStore            *self,
                                           UpgStoreAddFunc      add,
                                           gpointer             data,
                                           GDestroyNotify       data_free,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GArray     *upg_store_add_projects_finish (UpgStore            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Adds @record (and any children it holds) under @parent (NULL for a project)
 * at @position (-1 appends), and into @parent's child list when loaded.
 * Inside a transaction of the caller's, or its own. */
gboolean    upg_store_insert          (UpgStore   *self,
                                       UpgRecord  *parent,
                                       UpgRecord  *record,
                                       int         position,
                                       GError    **error);
/* Appends a project read from a plan document with all its children, then
 * lets go of the children (they load again when a view asks): for import. */
gboolean    upg_store_insert_project_rows (UpgStore    *self,
                                           UpgProject  *project,
                                           GError     **error);
/* The same, at @position among the projects (-1 appends): for import --replace. */
gboolean    upg_store_insert_project_rows_at (UpgStore    *self,
                                              UpgProject  *project,
                                              int          position,
                                              GError     **error);
/* Replaces @stored (a project in the file) with @project (read from a plan
 * document, not yet in any file): the same id and place among the projects,
 * all of @stored's rows gone, @project's written; then lets go of
 * @project's children as upg_store_insert_project_rows() does. */
gboolean    upg_store_replace_project_rows (UpgStore    *self,
                                            UpgProject  *stored,
                                            UpgProject  *project,
                                            GError     **error);
/* The project whose uid is @uid, or NULL. */
UpgProject *upg_store_find_project_by_uid (UpgStore   *self,
                                           const char *uid);
/* Reads the project list again (after a transaction of the caller's was
 * rolled back), keeping the same list object. */
gboolean    upg_store_reload_projects (UpgStore   *self,
                                       GError    **error);
/* Changing a field: every write checks the rules import checks (the
 * field's own and those across fields, upg-rules.c) and keeps references
 * true in the same transaction (a renamed member renames the risks and
 * action items that name them, a renamed group its notices; a milestone
 * that stops being a gray-release stage loses its percent; a moved
 * window or a cancelled project raises the calendar sequence). A refused
 * write puts the stored value back on the record (so bound views show
 * it) and reports why: through @error here, or ::write-failed for a
 * property set directly.
 *
 * upg_store_set_value() sets one field; between update_begin() and
 * update_end() several fields of one record are set and then written
 * together, checked as a whole (e.g. a window's start and end). A store
 * that works in a thread (upg_store_set_work_in_thread()) returns TRUE
 * from both outside a transaction and reports a refusal later. */
gboolean    upg_store_set_value       (UpgStore     *self,
                                       UpgRecord    *record,
                                       guint         field,
                                       const GValue *value,
                                       GError      **error);
void        upg_store_update_begin    (UpgStore     *self,
                                       UpgRecord    *record);
gboolean    upg_store_update_end      (UpgStore     *self,
                                       UpgRecord    *record,
                                       GError      **error);

/* Removes a team member; the risks they own go to @new_owner (another
 * member's name) or, with NULL, have no owner. Undo restores the member
 * and the owners. upg_store_delete() on a member clears the owners. */
gboolean    upg_store_delete_member   (UpgStore     *self,
                                       UpgRecord    *member,
                                       const char   *new_owner,
                                       UpgDeletion **undo,
                                       GError      **error);
/* How many risks name @member as their owner. */
guint       upg_store_count_owned_risks (UpgStore   *self,
                                         UpgRecord  *member);

gboolean    upg_store_delete          (UpgStore     *self,
                                       UpgRecord    *record,
                                       UpgDeletion **undo,
                                       GError      **error);
gboolean    upg_store_undo_delete     (UpgStore    *self,
                                       UpgDeletion *undo,
                                       GError     **error);
void        upg_deletion_free         (UpgDeletion *undo);
UpgRecord  *upg_deletion_get_record   (UpgDeletion *undo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpgDeletion, upg_deletion_free)

/* Moves @record to @position among its siblings (in its parent's list). */
gboolean    upg_store_move            (UpgStore   *self,
                                       UpgRecord  *record,
                                       guint       position,
                                       GError    **error);

/* Transactions for callers that write many things at once (import). */
gboolean    upg_store_begin           (UpgStore   *self,
                                       GError    **error);
gboolean    upg_store_commit          (UpgStore   *self,
                                       GError    **error);
void        upg_store_rollback        (UpgStore   *self);
/* A transaction of the caller's own unless one is already open: *own says
 * which; upg_store_end_nested() commits (or, when !ok, rolls back) only
 * what upg_store_begin_nested() began. */
gboolean    upg_store_begin_nested    (UpgStore   *self,
                                       gboolean   *own,
                                       GError    **error);
gboolean    upg_store_end_nested      (UpgStore   *self,
                                       gboolean    own,
                                       gboolean    ok,
                                       GError    **error);

char       *upg_store_get_meta        (UpgStore   *self,
                                       const char *key);
/* The same, with a read error as an error (*value NULL when absent). */
gboolean    upg_store_read_meta       (UpgStore    *self,
                                       const char  *key,
                                       char       **value,
                                       GError     **error);
gboolean    upg_store_set_meta        (UpgStore   *self,
                                       const char *key,
                                       const char *value,
                                       GError    **error);

/* PRAGMA integrity_check and foreign_key_check; @report gets a line per
 * problem ("ok" when none); any problem is also an UPG_STORE_ERROR_CORRUPT
 * error that names the file as damaged. */
gboolean    upg_store_check           (UpgStore   *self,
                                       char      **report,
                                       GError    **error);
/* -1 when the file cannot be read. */
int         upg_store_count_projects  (UpgStore   *self);

/* Other projects in the file that use @build_id. */
GPtrArray  *upg_store_find_build_id   (UpgStore   *self,
                                       const char *build_id,
                                       gint64      except_project);

/* SOP check history (who checked or unchecked a step, when and why). */
typedef struct {
  char *action;    /* "check", "uncheck" or "skip" */
  char *actor;
  char *at;        /* timestamp */
  char *reason;
  char *role;      /* the database role that recorded it (a server), or NULL */
} UpgCheckEvent;

void        upg_check_event_free      (UpgCheckEvent *event);
gboolean    upg_store_add_check_event (UpgStore   *self,
                                       UpgRecord  *step,
                                       const char *action,
                                       const char *actor,
                                       const char *at,
                                       const char *reason,
                                       GError    **error);
GPtrArray  *upg_store_list_check_events (UpgStore  *self,
                                         UpgRecord *step,
                                         GError   **error);

/* The text of @record's @field (a string field) as the file has it now
 * (*@value NULL for NULL, or when the row is gone: then *@exists FALSE).
 * Inside a write transaction, the compare of a compare-and-set. */
gboolean      upg_store_read_text       (UpgStore   *self,
                                         UpgRecord  *record,
                                         guint       field,
                                         gboolean   *exists,
                                         char      **value,
                                         GError    **error);

/* A SOP step's state as the file has it now. */
typedef struct {
  gboolean       exists;      /* FALSE: the step is no longer in the file */
  char          *checked_at;  /* NULL: not checked */
  char          *checked_by;
  UpgCheckEvent *last_mark;   /* its history's last check or uncheck, or NULL */
  guint          number;      /* its place in its project's SOP, 1 for the first */
  char          *time_zone;   /* its project's */
  gint64         row_version; /* a server's version of the row, read in a write transaction (else 0) */
} UpgStepState;

void          upg_step_state_free       (UpgStepState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpgStepState, upg_step_state_free)

/* Reads @step's state from the file. Inside a write transaction
 * (upg_store_begin(): BEGIN IMMEDIATE) no other connection can change it
 * before the commit, so comparing it with what the caller saw and then
 * writing is a compare-and-set (upg-sop.c does this for every check,
 * uncheck and skip). */
UpgStepState *upg_store_read_step_state (UpgStore   *self,
                                         UpgRecord  *step,
                                         GError    **error);
/* Whether @step (the record, as the caller saw it) says what @state says.
 * When it does, @step takes the row version @state read: the caller holds
 * the row in its write transaction, and what it writes next is the state
 * it compared (other fields changed meanwhile by someone else are not
 * written over: only the fields written are). */
gboolean      upg_step_state_matches    (UpgStepState *state,
                                         UpgRecord    *step);
/* Puts the file's values back on @record without writing (views bound to
 * it show them) and reads its loaded child lists again, in the same list
 * objects: after a write was refused because another program changed the
 * record first. */
gboolean      upg_store_refresh_record  (UpgStore   *self,
                                         UpgRecord  *record,
                                         GError    **error);
/* The same for @record's own fields only (its child lists stay). */
void          upg_store_refresh_fields  (UpgStore   *self,
                                         UpgRecord  *record);

G_END_DECLS
