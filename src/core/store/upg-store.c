/* upg-store.c — the operations on a plan: loading records, inserting,
 * moving and deleting them (with Undo), saving a changed field with the
 * rules, metadata and the SOP check log. Where the plan lives is a backend
 * (upg-store-backend.h): a file (upg-store-sqlite.c); mapping records to
 * rows is upg-store-rows.c.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-store.h"
#include "upg-store-private.h"
#include "upg-clock.h"
#include "upg-labels.h"
#include "upg-rules.h"

G_DEFINE_FINAL_TYPE (UpgStore, upg_store, G_TYPE_OBJECT)

enum {
  WRITE_FAILED,
  CHANGED_EXTERNALLY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (upg-store-error-quark, upg_store_error)

/* Which rows hang off which, for deleting with Undo. */
static const UpgDependent dependents[] = {
  { "project", "scope_item", "project_id" },
  { "project", "milestone", "project_id" },
  { "project", "cancelled_milestone", "project_id" },
  { "project", "risk", "project_id" },
  { "project", "member", "project_id" },
  { "project", "stakeholder_group", "project_id" },
  { "project", "sop_step", "project_id" },
  { "project", "retrospective", "project_id" },
  { "project", "email_template", "project_id" },
  { "project", "notice", "project_id" },
  { "sop_step", "sop_event", "step_id" },
  { "retrospective", "retro_item", "retro_id" },
};

const UpgDependent *
upg_store_dependents (guint *n_dependents)
{
  *n_dependents = G_N_ELEMENTS (dependents);
  return dependents;
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

static void index_clear (UpgStore *self);

static void
upg_store_finalize (GObject *object)
{
  UpgStore *self = UPG_STORE (object);

  index_clear (self);
  if (self->worker != NULL)
    g_thread_pool_free (g_steal_pointer (&self->worker), FALSE, TRUE);
  g_clear_object (&self->worker_store);
  g_clear_pointer (&self->writing, g_hash_table_unref);
  g_clear_pointer (&self->chains, g_hash_table_unref);
  g_clear_pointer (&self->inserting, g_hash_table_unref);
  g_clear_pointer (&self->inserted, g_hash_table_unref);
  g_clear_pointer (&self->placing, g_hash_table_unref);
  g_clear_pointer (&self->changes_waiting, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->jobs_lock);
  g_cond_clear (&self->jobs_cond);
  g_clear_object (&self->companion);
  g_mutex_clear (&self->companion_lock);
  g_clear_object (&self->projects);
  g_clear_pointer (&self->touches, g_array_unref);
  g_free (self->uri);
  if (self->backend != NULL)
    self->backend->vt->free (self->backend);

  G_OBJECT_CLASS (upg_store_parent_class)->finalize (object);
}

static void
upg_store_class_init (UpgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = upg_store_finalize;

  /**
   * UpgStore::write-failed:
   * @error: what went wrong
   *
   * A change made through a model object's property could not be saved.
   */
  signals[WRITE_FAILED] =
    g_signal_new ("write-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * UpgStore::changed-externally:
   *
   * Another program (the command line, another window) committed a change
   * to the file; the project list has been read again (its records are new
   * objects). On a team server, the rows others changed were read again
   * onto the loaded records (notify), into their lists or out of them
   * (items-changed); the records stay the same objects. Only while
   * upg_store_watch_external_changes() is on.
   */
  signals[CHANGED_EXTERNALLY] =
    g_signal_new ("changed-externally", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
upg_store_init (UpgStore *self)
{
  g_mutex_init (&self->companion_lock);
  g_mutex_init (&self->jobs_lock);
  g_cond_init (&self->jobs_cond);
}

static UpgStore *
store_new (UpgBackend *backend)
{
  UpgStore *self;

  if (backend == NULL)
    return NULL;
  self = g_object_new (UPG_TYPE_STORE, NULL);
  self->backend = backend;
  backend->reconnect_on_use = TRUE;
  return self;
}

UpgStore *
upg_store_open_with_migrations (const char          *path,
                                UpgStoreOpenFlags    flags,
                                const UpgMigration  *steps,
                                guint                n_steps,
                                GError             **error)
{
  return store_new (upg_sqlite_backend_open (path, flags, steps, n_steps, error));
}

UpgStore *
upg_store_open (const char         *path,
                UpgStoreOpenFlags   flags,
                GError            **error)
{
  const UpgMigration *steps;
  guint n_steps;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (upg_store_is_server_uri (path))
    return upg_store_open_server (path, NULL, flags, error);
  steps = upg_store_migrations (&n_steps);
  return upg_store_open_with_migrations (path, flags, steps, n_steps, error);
}

UpgStore *
upg_store_open_server (const char         *uri,
                       const char         *password,
                       UpgStoreOpenFlags   flags,
                       GError            **error)
{
  UpgStore *store;

  g_return_val_if_fail (upg_store_is_server_uri (uri), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  store = store_new (upg_pg_backend_open (uri, password, flags, error));
  if (store != NULL)
    store->uri = g_strdup (uri);
  return store;
}

/* Another store on the same server, opened like @self (its password
 * too). Only what is fixed once a store is open is read: a thread may
 * call it. */
static UpgStore *
open_twin (UpgStore *self, GError **error)
{
  g_autofree char *password = upg_pg_backend_dup_password (self->backend);
  UpgStore *twin = upg_store_open_server (self->uri, password, UPG_STORE_OPEN_EXISTING | UPG_STORE_OPEN_TWIN, error);

  if (password != NULL)
    memset (password, 0, strlen (password));
  return twin;
}

UpgStore *
upg_store_take_companion (UpgStore  *self,
                          GError   **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  g_return_val_if_fail (upg_store_is_server (self), NULL);

  g_mutex_lock (&self->companion_lock);
  if (self->companion == NULL)
    {
      self->companion = open_twin (self, error);
      if (self->companion == NULL)
        {
          g_mutex_unlock (&self->companion_lock);
          return NULL;
        }
    }
  return self->companion;
}

void
upg_store_release_companion (UpgStore *self)
{
  g_return_if_fail (UPG_IS_STORE (self));
  g_mutex_unlock (&self->companion_lock);
}

gboolean
upg_store_is_server (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  return self->backend->vt->get_path (self->backend) == NULL;
}

const char *
upg_store_get_location (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  return self->backend->vt->get_display_name (self->backend);
}

const char *
upg_store_get_role (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  return self->backend->vt->get_role (self->backend);
}

const char *
upg_store_get_uri (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  return self->uri;
}

const char *
upg_store_get_path (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  return self->backend->vt->get_path (self->backend);
}

int
upg_store_get_file_version (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), 0);
  return self->backend->vt->get_file_version (self->backend);
}

gboolean
upg_store_is_read_only (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), TRUE);
  return self->backend->vt->is_read_only (self->backend);
}

sqlite3 *
upg_store_get_db (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  if (strcmp (self->backend->vt->name, "sqlite") != 0)
    return NULL;
  return upg_sqlite_backend_get_db (self->backend);
}

UpgBackend *
upg_store_get_backend (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  return self->backend;
}

char *
upg_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "upgrade-planner", "plans.upgplan", NULL);
}

/* ---- Transactions ------------------------------------------------- */

static void settle_jobs (UpgStore *self);

gboolean
upg_store_begin (UpgStore  *self,
                 GError   **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  /* After the changes the thread is writing. */
  settle_jobs (self);
  return self->backend->vt->begin (self->backend, error);
}

static gboolean write_touches (UpgStore *self, GError **error);

/* A commit that fails leaves nothing of the transaction, on either
 * backend: it is rolled back here. */
gboolean
upg_store_commit (UpgStore  *self,
                  GError   **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  if (write_touches (self, error) && self->backend->vt->commit (self->backend, error))
    return TRUE;
  upg_store_rollback (self);
  return FALSE;
}

void
upg_store_rollback (UpgStore *self)
{
  g_return_if_fail (UPG_IS_STORE (self));
  if (self->touches != NULL)
    g_array_set_size (self->touches, 0);
  self->backend->vt->rollback (self->backend);
}

gboolean
upg_store_begin_nested (UpgStore  *self,
                        gboolean  *own,
                        GError   **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  *own = !self->backend->vt->in_transaction (self->backend);
  return !*own || upg_store_begin (self, error);
}

gboolean
upg_store_end_nested (UpgStore  *self,
                      gboolean   own,
                      gboolean   ok,
                      GError   **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  if (!own)
    return ok;
  if (!ok)
    {
      upg_store_rollback (self);
      return FALSE;
    }
  return upg_store_commit (self, error);
}

/* ---- Queries ------------------------------------------------------ */

/* Runs @sql (parameters ?1…) through the backend. */
static gboolean
query (UpgStore        *self,
       const char      *sql,
       const UpgParam  *params,
       guint            n_params,
       UpgRowFunc       func,
       gpointer         data,
       GError         **error)
{
  return self->backend->vt->query (self->backend, sql, params, n_params, func, data, error);
}

static gboolean
first_int_cb (UpgRow *row, gpointer data)
{
  *(gint64 *) data = upg_row_get_int (row, 0);
  return FALSE;
}

static gboolean
first_text_cb (UpgRow *row, gpointer data)
{
  *(char **) data = g_strdup (upg_row_get_text (row, 0));
  return FALSE;
}

/* The first column of @sql's first row as an integer; -1 when there is
 * no row or the query fails. */
static gint64
query_int (UpgStore *self, const char *sql, const UpgParam *params, guint n_params)
{
  gint64 value = -1;

  if (!query (self, sql, params, n_params, first_int_cb, &value, NULL))
    return -1;
  return value;
}
static void record_notify_cb (UpgRecord *record, GParamSpec *pspec, UpgStore *self);

static void
shared_notify_cb (UpgRecord  *record,
                  GParamSpec *pspec,
                  UpgShared  *shared)
{
  UpgStore *self = upg_shared_get (shared);

  if (self != NULL)
    record_notify_cb (record, pspec, self);
}

static void
shared_release (gpointer  data,
                GClosure *closure)
{
  upg_shared_unref (data);
}

/* Every record the store made saves its changes through it. The handler
 * holds a handle shared by all of them, emptied when the store goes: with
 * g_signal_connect_object () the store kept a list of every handler, and
 * freeing a long list of records took time quadratic in its length. */
static void
watch_record (UpgStore *self, UpgRecord *record)
{
  /* The thread's store reads records for the main context's, which
   * watches them once they are there. */
  if (self->unwatched)
    return;
  g_signal_connect_data (record, "notify", G_CALLBACK (shared_notify_cb),
                         upg_shared_ref (G_OBJECT (self)), shared_release, 0);
}

/* The rows of @entity under @parent_id (or the one row @id) as new
 * records the store watches. */
static GPtrArray *
select_records (UpgStore *self, const UpgEntity *entity, gint64 parent_id, const gint64 *ids,
                guint n_ids, gint64 project_id, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  if (!self->backend->vt->select (self->backend, entity, parent_id, ids, n_ids, project_id, rows, error))
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    watch_record (self, rows->pdata[i]);
  return g_steal_pointer (&rows);
}

static GPtrArray *
read_project_rows (UpgStore *self, GError **error)
{
  return select_records (self, &upg_entity_project, 0, NULL, 0, 0, error);
}

static gboolean
load_projects (UpgStore *self, GError **error)
{
  g_autoptr(GPtrArray) rows = read_project_rows (self, error);

  if (rows == NULL)
    return FALSE;
  self->projects = g_list_store_new (UPG_TYPE_PROJECT);
  for (guint i = 0; i < rows->len; i++)
    upg_record_set_container (rows->pdata[i], self->projects);
  g_list_store_splice (self->projects, 0, 0, rows->pdata, rows->len);
  return TRUE;
}

gboolean
upg_store_reload (UpgStore  *self,
                  GError   **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);

  if (self->projects == NULL)
    return load_projects (self, error);
  rows = read_project_rows (self, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    upg_record_set_container (rows->pdata[i], self->projects);
  g_list_store_splice (self->projects, 0, g_list_model_get_n_items (G_LIST_MODEL (self->projects)),
                       rows->pdata, rows->len);
  return TRUE;
}

static void put_row (UpgStore *self, UpgRecord *record, UpgRecord *stored, gboolean with_position);

/* Finding loaded records ------------------------------------------------ */

/* Someone else's changes name rows by table and id; the loaded records are
 * found through an index of the tree under the project list, made when
 * first needed and made again once anything in that tree moved: a list
 * of it changed (its items-changed), a record in it took another id or a
 * record grew a list of children (upg_record_get_tree_serial()). */
typedef struct {
  const UpgEntity *entity;
  gint64           id;
} RowKey;

static guint
row_key_hash (gconstpointer data)
{
  const RowKey *key = data;
  return g_direct_hash (key->entity) ^ g_int64_hash (&key->id);
}

static gboolean
row_key_equal (gconstpointer a, gconstpointer b)
{
  const RowKey *x = a, *y = b;
  return x->entity == y->entity && x->id == y->id;
}

static void
index_stale_cb (UpgStore *self)
{
  self->index_stale = TRUE;
}

static void
index_clear (UpgStore *self)
{
  for (guint i = 0; self->index_lists != NULL && i < self->index_lists->len; i++)
    g_signal_handlers_disconnect_by_func (self->index_lists->pdata[i], index_stale_cb, self);
  g_clear_pointer (&self->index_lists, g_ptr_array_unref);
  g_clear_pointer (&self->index, g_hash_table_unref);
}

static void
index_add (UpgStore *self, GListModel *list)
{
  g_ptr_array_add (self->index_lists, g_object_ref (list));
  g_signal_connect_swapped (list, "items-changed", G_CALLBACK (index_stale_cb), self);
  for (guint i = 0, n = g_list_model_get_n_items (list); i < n; i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (list, i);
      const UpgEntity *entity = upg_record_get_entity (item);
      RowKey key = { entity, upg_record_get_id (item) };

      /* The first in the tree's order, as a walk would find. */
      if (!g_hash_table_contains (self->index, &key))
        g_hash_table_insert (self->index, g_memdup2 (&key, sizeof key), item);
      for (guint c = 0; entity->children[c] != NULL; c++)
        {
          GListModel *children = upg_record_get_children (item, entity->children[c]);
          if (children != NULL)
            index_add (self, children);
        }
    }
}

/* The loaded record of @entity whose id is @id (borrowed: its list holds
 * it), or NULL when it is not loaded. */
static UpgRecord *
find_loaded (UpgStore *self, const UpgEntity *entity, gint64 id)
{
  RowKey key = { entity, id };

  if (self->index == NULL || self->index_stale || self->index_root != self->projects ||
      self->index_serial != upg_record_get_tree_serial ())
    {
      index_clear (self);
      self->index = g_hash_table_new_full (row_key_hash, row_key_equal, g_free, NULL);
      self->index_lists = g_ptr_array_new_with_free_func (g_object_unref);
      self->index_root = self->projects;
      self->index_serial = upg_record_get_tree_serial ();
      self->index_stale = FALSE;
      index_add (self, G_LIST_MODEL (self->projects));
    }
  return g_hash_table_lookup (self->index, &key);
}

/* The loaded record whose children include rows of @child, with id @id. */
static UpgRecord *
find_loaded_parent (UpgStore *self, const UpgEntity *child, gint64 id)
{
  for (guint i = 0; i < G_N_ELEMENTS (dependents); i++)
    if (strcmp (dependents[i].child, child->table) == 0)
      {
        const UpgEntity *entity = upg_store_entity_for_table (dependents[i].parent);
        UpgRecord *parent = entity != NULL ? find_loaded (self, entity, id) : NULL;

        if (parent != NULL)
          return parent;
      }
  return NULL;
}

static int
compare_position (gconstpointer a, gconstpointer b, gpointer data)
{
  int pa = upg_record_get_position ((UpgRecord *) a), pb = upg_record_get_position ((UpgRecord *) b);
  gint64 ia = upg_record_get_id ((UpgRecord *) a), ib = upg_record_get_id ((UpgRecord *) b);

  if (pa != pb)
    return pa < pb ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

/* Whether @list is in stored order. */
static gboolean
in_position_order (GListModel *list)
{
  for (guint i = 1, n = g_list_model_get_n_items (list); i < n; i++)
    {
      g_autoptr(UpgRecord) a = g_list_model_get_item (list, i - 1);
      g_autoptr(UpgRecord) b = g_list_model_get_item (list, i);
      if (compare_position (a, b, NULL) > 0)
        return FALSE;
    }
  return TRUE;
}

static void
touch_list (GPtrArray *touched, GListStore *list)
{
  if (list != NULL && !g_ptr_array_find (touched, list, NULL))
    g_ptr_array_add (touched, list);
}

static void
take_out (UpgRecord *record)
{
  GListStore *list = upg_record_get_container (record);
  guint index;

  if (list != NULL && g_list_store_find (list, record, &index))
    {
      upg_record_set_container (record, NULL);
      g_list_store_remove (list, index);
    }
}

/* A row someone else changed, and what this store does about it. */
typedef struct {
  UpgChange   change;   /* its last change */
  UpgRecord  *record;   /* the loaded record (borrowed), or NULL */
  GListStore *list;     /* for a row not loaded: the loaded list it goes into */
  gint64      project_id;
  gboolean    held;     /* @record is being deleted, put back or moved by a job of ours */
} Pending;

static void watch_tree (UpgStore *self, UpgRecord *record);

/* A record a job of ours is deleting, putting back or moving (whether it
 * is in its list or not), or NULL. */
static UpgRecord *
find_placing (UpgStore *self, const UpgEntity *entity, gint64 id)
{
  GHashTableIter iter;
  gpointer record;

  if (self->placing == NULL || id == 0)
    return NULL;
  g_hash_table_iter_init (&iter, self->placing);
  while (g_hash_table_iter_next (&iter, &record, NULL))
    if (upg_record_get_entity (record) == entity && upg_record_get_id (record) == id)
      return record;
  return NULL;
}

/* Someone else's changes, put on the loaded records: an update sets the
 * records' properties (views bound to them follow), an insert adds a
 * record to its loaded list, a delete takes it out. Each row is read once
 * however often it changed, and the rows of one table in one round trip.
 * What is not loaded is read when a view asks for it. @touched gets the
 * lists whose order may have changed. */
static gboolean
apply_changes (UpgStore *self, const UpgChange *changes, guint n_changes, GHashTable *prefetched,
               GPtrArray *touched, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (row_key_hash, row_key_equal, g_free, NULL);
  g_autoptr(GArray) pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_autoptr(GPtrArray) entities = g_ptr_array_new ();

  /* Each row once, with its last change, in the order of its first. */
  for (guint i = 0; i < n_changes; i++)
    {
      RowKey key = { changes[i].entity, changes[i].id };
      gpointer at;

      if (g_hash_table_lookup_extended (seen, &key, NULL, &at))
        g_array_index (pending, Pending, GPOINTER_TO_UINT (at)).change = changes[i];
      else
        {
          Pending p = { changes[i] };

          g_hash_table_insert (seen, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (pending->len));
          g_array_append_val (pending, p);
          if (!g_ptr_array_find (entities, changes[i].entity, NULL))
            g_ptr_array_add (entities, (gpointer) changes[i].entity);
        }
    }

  for (guint e = 0; e < entities->len; e++)
    {
      const UpgEntity *entity = entities->pdata[e];
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GHashTable) stored = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

      /* What is there to read: the loaded records that changed, and new
       * rows whose parent's list is loaded. */
      for (guint i = 0; i < pending->len; i++)
        {
          Pending *p = &g_array_index (pending, Pending, i);

          if (p->change.entity != entity)
            continue;
          p->record = find_loaded (self, entity, p->change.id);
          {
            UpgRecord *held = find_placing (self, entity, p->change.id);

            if (held != NULL)
              {
                p->record = held;
                p->held = TRUE;
              }
          }
          if (p->change.kind == UPG_CHANGE_DELETE)
            continue;
          if (p->record == NULL && entity == &upg_entity_project)
            {
              p->list = self->projects;
              p->project_id = p->change.id;
            }
          else if (p->record == NULL)
            {
              UpgRecord *parent = find_loaded_parent (self, entity, p->change.parent_id);
              GListModel *children = parent != NULL ? upg_record_get_children (parent, entity) : NULL;

              if (children == NULL)
                continue;
              p->list = G_LIST_STORE (children);
              p->project_id = upg_record_get_project_id (parent) != 0 ? upg_record_get_project_id (parent)
                                                                     : upg_record_get_id (parent);
            }
          g_array_append_val (ids, p->change.id);
        }
      /* Read here, or in a thread before (every changed row of the table:
       * what was loaded then may not be now, and the other way round). */
      if (prefetched != NULL)
        {
          GPtrArray *read = g_hash_table_lookup (prefetched, entity);
          for (guint i = 0; read != NULL && i < read->len; i++)
            g_ptr_array_add (rows, g_object_ref (read->pdata[i]));
        }
      else if (ids->len > 0 &&
               !self->backend->vt->select (self->backend, entity, 0, (gint64 *) ids->data, ids->len, 0, rows, error))
        return FALSE;
      for (guint i = 0; i < rows->len; i++)
        {
          gint64 id = upg_record_get_id (rows->pdata[i]);
          g_hash_table_insert (stored, g_memdup2 (&id, sizeof id), rows->pdata[i]);
        }

      for (guint i = 0; i < pending->len; i++)
        {
          Pending *p = &g_array_index (pending, Pending, i);
          UpgRecord *row;

          if (p->change.entity != entity)
            continue;
          if (p->change.kind == UPG_CHANGE_DELETE)
            {
              if (p->record != NULL && !p->held)
                take_out (p->record);
              continue;
            }
          row = g_hash_table_lookup (stored, &p->change.id);
          if (p->held)
            {
              /* A delete, Undo or move of ours is on its way: it says
               * where the record is, and in what order (read before it
               * ran, the row would come back, or go); the values are
               * someone's. */
              if (row != NULL && !g_hash_table_contains (self->writing, p->record))
                put_row (self, p->record, row, FALSE);
            }
          else if (p->record != NULL && row == NULL)
            take_out (p->record);
          else if (p->record != NULL && self->writing != NULL &&
                   g_hash_table_contains (self->writing, p->record))
            {
              /* A change of ours to it is on its way: what the thread
               * writes next, or the conflict it meets, shows the row. */
            }
          else if (p->record != NULL)
            {
              put_row (self, p->record, row, TRUE);
              touch_list (touched, upg_record_get_container (p->record));
            }
          else if (p->list != NULL && row != NULL)
            {
              g_autoptr(UpgRecord) record = g_object_ref (row);

              upg_record_set_project_id (record, p->project_id);
              /* Read in a thread with what is under it; else that is
               * read now (a project's children load when a view asks, as
               * for the others). */
              if (entity->children[0] != NULL && upg_record_get_children (record, entity->children[0]) != NULL)
                watch_tree (self, record);
              else
                {
                  watch_record (self, record);
                  if (entity != &upg_entity_project && entity->children[0] != NULL &&
                      !upg_store_load_children (self, record, error))
                    return FALSE;
                }
              upg_record_set_container (record, p->list);
              g_list_store_insert_sorted (p->list, record, compare_position, NULL);
              touch_list (touched, p->list);
            }
        }
    }
  return TRUE;
}

static void reload_in_thread (UpgStore *self, GTask *task);

/* Puts changes (those of @changes, or read before: @prefetched) on the
 * loaded records and tells the views; when that fails, reads the project
 * list again. A lost connection is said (::write-failed, for the window's
 * bar) and read again once it is back. */
static void
take_changes (UpgStore        *self,
              const UpgChange *changes,
              guint            n_changes,
              GHashTable      *prefetched,
              GError          *read_error)
{
  g_autoptr(GError) error = NULL;

  if (read_error == NULL && n_changes > 0 && self->projects != NULL)
    {
      g_autoptr(GPtrArray) touched = g_ptr_array_new ();
      gboolean ok = apply_changes (self, changes, n_changes, prefetched, touched, &error);

      /* Someone moved rows: the list takes the stored order. */
      for (guint i = 0; i < touched->len; i++)
        if (!in_position_order (touched->pdata[i]))
          g_list_store_sort (touched->pdata[i], compare_position, NULL);
      if (ok)
        {
          g_signal_emit (self, signals[CHANGED_EXTERNALLY], 0);
          return;
        }
      g_clear_error (&error);
    }
  if (g_error_matches (read_error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION))
    {
      g_signal_emit (self, signals[WRITE_FAILED], 0, read_error);
      return;
    }
  if (self->worker != NULL && self->projects != NULL)
    {
      reload_in_thread (self, NULL);
      return;
    }
  if (!upg_store_reload (self, &error))
    {
      g_signal_emit (self, signals[WRITE_FAILED], 0, error);
      return;
    }
  g_signal_emit (self, signals[CHANGED_EXTERNALLY], 0);
}

static void read_changes_in_thread (UpgStore *self, const UpgChange *changes, guint n_changes);

static void
changed_cb (UpgBackend      *backend,
            const UpgChange *changes,
            guint            n_changes,
            gpointer         data)
{
  UpgStore *self = data;

  /* A server says which rows changed: only those are read again, on the
   * records views already show (in a thread when the store works there). */
  if (self->worker != NULL && n_changes > 0 && self->projects != NULL)
    read_changes_in_thread (self, changes, n_changes);
  else
    take_changes (self, changes, n_changes, NULL, NULL);
}

/* Reconnecting --------------------------------------------------------- */

static void
connection_free (gpointer data)
{
  gpointer *holder = data;

  if (holder[1] != NULL)
    ((UpgBackend *) holder[0])->vt->connection_free (holder[1]);
  g_free (holder);
}

static void
reconnect_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  gpointer *holder = task_data;
  GError *error = NULL;

  /* Only the backend's fixed settings are read here: the store and its
   * connection stay the main context's. */
  holder[1] = ((UpgBackend *) holder[0])->vt->connect_again (holder[0], &error);
  if (holder[1] == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
upg_store_set_reconnect_on_use (UpgStore *self,
                                gboolean  reconnect)
{
  g_return_if_fail (UPG_IS_STORE (self));
  self->backend->reconnect_on_use = reconnect;
}

void
upg_backend_report_changes (UpgBackend      *self,
                            const UpgChange *changes,
                            guint            n_changes)
{
  if (self->changed != NULL)
    self->changed (self, changes, n_changes, self->changed_data);
}

void
upg_store_watch_external_changes (UpgStore *self,
                                  guint     interval_ms)
{
  g_return_if_fail (UPG_IS_STORE (self));

  self->backend->changed = interval_ms > 0 ? changed_cb : NULL;
  self->backend->changed_data = self;
  self->backend->vt->watch (self->backend, interval_ms);
}

gboolean
upg_store_load (UpgStore  *self,
                GError   **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  return self->projects != NULL || load_projects (self, error);
}

GListModel *
upg_store_get_projects (UpgStore *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  if (self->projects == NULL && !load_projects (self, &error))
    {
      g_signal_emit (self, signals[WRITE_FAILED], 0, error);
      self->projects = g_list_store_new (UPG_TYPE_PROJECT);
    }
  return G_LIST_MODEL (self->projects);
}

int
upg_store_count_projects (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), -1);
  return (int) query_int (self, "SELECT count(*) FROM project", NULL, 0);
}

UpgProject *
upg_store_lookup_project (UpgStore  *self,
                          gint64     id,
                          GError   **error)
{
  UpgRecord *project;

  if (!upg_store_load (self, error))
    return NULL;
  project = upg_record_list_find (upg_store_get_projects (self), id);
  if (project != NULL)
    return UPG_PROJECT (project);
  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NO_SUCH_PROJECT,
                 _("There is no project with id %s; “upgrade-planner list” shows the ids"), number);
  }
  return NULL;
}

/* @record's children of @child from the file, with their own children
 * loaded: new records in position order. */
/* Gives each record of @rows (new records of one entity, in one project,
 * none with children yet) its children, and theirs: one read per child
 * table for all of them, not one per record (on a server, one round trip
 * for a checklist's whole history). */
static gboolean
load_children_of_all (UpgStore *self, GPtrArray *rows, GError **error)
{
  const UpgEntity *entity;
  g_autoptr(GArray) ids = NULL;

  if (rows->len == 0)
    return TRUE;
  entity = upg_record_get_entity (rows->pdata[0]);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      gint64 id = upg_record_get_id (rows->pdata[i]);
      g_array_append_val (ids, id);
    }
  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      const UpgEntity *child = entity->children[c];
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GHashTable) parents = g_hash_table_new (g_int64_hash, g_int64_equal);
      guint start = 0;

      if (!self->backend->vt->select_under (self->backend, child, (gint64 *) ids->data, ids->len,
                                            upg_record_get_project_id (rows->pdata[0]), found, error))
        return FALSE;
      for (guint i = 0; i < found->len; i++)
        watch_record (self, found->pdata[i]);
      if (child->children[0] != NULL && !load_children_of_all (self, found, error))
        return FALSE;

      /* Each parent's rows come together, in their order. */
      for (guint i = 0; i < rows->len; i++)
        {
          upg_record_ensure_children (rows->pdata[i], child);
          g_hash_table_insert (parents, &((gint64 *) ids->data)[i], rows->pdata[i]);
        }
      while (start < found->len)
        {
          gint64 parent_id = upg_record_get_parent_id (found->pdata[start]);
          UpgRecord *parent = g_hash_table_lookup (parents, &parent_id);
          GListStore *list;
          guint end = start + 1;

          while (end < found->len && upg_record_get_parent_id (found->pdata[end]) == parent_id)
            end++;
          if (parent == NULL)
            {
              g_set_error_literal (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                                   "a row came back under a parent that was not asked for");
              return FALSE;
            }
          list = G_LIST_STORE (upg_record_get_children (parent, child));
          for (guint i = start; i < end; i++)
            upg_record_set_container (found->pdata[i], list);
          g_list_store_splice (list, g_list_model_get_n_items (G_LIST_MODEL (list)), 0,
                               found->pdata + start, end - start);
          start = end;
        }
    }
  return TRUE;
}

static GPtrArray *
read_child_rows (UpgStore *self, UpgRecord *record, const UpgEntity *child, GError **error)
{
  g_autoptr(GPtrArray) rows = select_records (self, child, upg_record_get_id (record), NULL, 0,
                                              upg_record_get_project_id (record), error);

  if (rows == NULL || !load_children_of_all (self, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

gboolean
upg_store_load_children (UpgStore   *self,
                         UpgRecord  *record,
                         GError    **error)
{
  const UpgEntity *entity;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);

  entity = upg_record_get_entity (record);
  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      const UpgEntity *child = entity->children[c];
      g_autoptr(GPtrArray) rows = NULL;
      GListStore *list;

      if (upg_record_get_children (record, child) != NULL)
        continue;
      rows = read_child_rows (self, record, child, error);
      if (rows == NULL)
        return FALSE;
      list = upg_record_ensure_children (record, child);
      for (guint i = 0; i < rows->len; i++)
        upg_record_set_container (rows->pdata[i], list);
      g_list_store_splice (list, 0, 0, rows->pdata, rows->len);
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static UpgRecord *loaded_project (UpgStore *self, gint64 project_id);

static gboolean touch_project_now (UpgStore *self, gint64 project_id, GError **error);

/* A write to @project_id's rows sets its updated_at: in a transaction, as
 * its last write before the commit. The project's row is then locked for
 * the commit alone, not for the whole transaction: on a server, people
 * checking steps of one project at once do not wait for each other's
 * transactions (a file has one writer at a time anyway). */
static gboolean
touch_project (UpgStore *self, gint64 project_id, GError **error)
{
  if (!self->backend->vt->in_transaction (self->backend))
    return touch_project_now (self, project_id, error);
  if (self->touches == NULL)
    self->touches = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < self->touches->len; i++)
    if (g_array_index (self->touches, gint64, i) == project_id)
      return TRUE;
  g_array_append_val (self->touches, project_id);
  return TRUE;
}

static gboolean
write_touches (UpgStore *self, GError **error)
{
  g_autoptr(GArray) touches = g_steal_pointer (&self->touches);

  for (guint i = 0; touches != NULL && i < touches->len; i++)
    if (!touch_project_now (self, g_array_index (touches, gint64, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
touch_project_now (UpgStore *self, gint64 project_id, GError **error)
{
  g_autofree char *now = upg_timestamp_now ();
  /* (A thread's store watches nothing it read: it writes the row.) */
  UpgRecord *project = self->unwatched ? NULL : loaded_project (self, project_id);
  UpgParam params[2] = { UPG_PARAM_TEXT (now), UPG_PARAM_INT (project_id) };

  /* Through the project object when it is loaded, so views see the change. */
  if (project != NULL)
    {
      upg_record_set_string (project, UPG_PROJECT_UPDATED_AT, now);
      return TRUE;
    }
  return query (self, "UPDATE project SET updated_at = ?1 WHERE id = ?2", params, 2, NULL, NULL, error);
}

/* ---- Writing a field, with the rules ------------------------------ */

static gboolean
set_invalid (GError **error, const char *field, const char *message)
{
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_INVALID, "%s: %s", field, message);
  return FALSE;
}

/* Runs @sql (bound ?1 = @a text, ?2 = @b text, ?3 = @id) that returns no rows. */
static gboolean
exec_bound (UpgStore *self, const char *sql, const char *a, const char *b, gint64 id, GError **error)
{
  UpgParam params[3] = { UPG_PARAM_TEXT (a), UPG_PARAM_TEXT (b), UPG_PARAM_INT (id) };

  return query (self, sql, params, 3, NULL, NULL, error);
}

/* Whether the team of project @project_id has a member named @name. */
static gboolean
is_member (UpgStore *self, gint64 project_id, const char *name)
{
  UpgParam params[2] = { UPG_PARAM_INT (project_id), UPG_PARAM_TEXT (name) };

  if (name == NULL)
    return FALSE;
  return query_int (self, "SELECT 1 FROM member WHERE project_id = ?1 AND name = ?2", params, 2) == 1;
}

/* Sets the owner of risk @id (NULL: nobody), in the file. */
static gboolean
set_risk_owner_row (UpgStore *self, gint64 id, const char *owner, GError **error)
{
  UpgParam params[2] = { UPG_PARAM_TEXT (owner), UPG_PARAM_INT (id) };

  return query (self, "UPDATE risk SET owner = ?1 WHERE id = ?2", params, 2, NULL, NULL, error);
}

/* The stored text of @column of @record's row (NULL for NULL). */
static char *
stored_text (UpgStore *self, UpgRecord *record, const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT \"%s\" FROM \"%s\" WHERE id = ?1", column,
                                          upg_record_get_entity (record)->table);
  UpgParam id = UPG_PARAM_INT (upg_record_get_id (record));
  char *text = NULL;

  query (self, sql, &id, 1, first_text_cb, &text, NULL);
  return text;
}

/* Sets a field as the store's own doing: no write of its own follows. */
static void
quiet_set (UpgStore *self, UpgRecord *record, guint field, const GValue *value)
{
  GParamSpec *pspec = upg_record_field_pspec (record, field);
  g_auto(GValue) old = G_VALUE_INIT;

  g_value_init (&old, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_object_get_property (G_OBJECT (record), pspec->name, &old);
  if (g_param_values_cmp (pspec, &old, value) == 0)
    return;
  /* Its notification is not an edit, also when GObject sends it only
   * after the handlers of another notification of the record returned
   * (a refused write putting the stored value back): record_notify_cb ()
   * lets the field's next one go. */
  upg_record_set_quiet_fields (record, upg_record_get_quiet_fields (record) | (G_GUINT64_CONSTANT (1) << field));
  self->reverting++;
  g_object_set_property (G_OBJECT (record), pspec->name, value);
  self->reverting--;
}

static void
quiet_set_string (UpgStore *self, UpgRecord *record, guint field, const char *text)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  quiet_set (self, record, field, &value);
}

static void
quiet_set_int (UpgStore *self, UpgRecord *record, guint field, int v)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, v);
  quiet_set (self, record, field, &value);
}

typedef struct {
  UpgRecord *scratch;
  guint      field;
  gboolean   found;
} ReadField;

static gboolean
read_field_cb (UpgRow *row, gpointer data)
{
  ReadField *read = data;

  upg_store_read_field (row, 0, read->scratch, read->field);
  read->found = TRUE;
  return FALSE;
}

/* Puts the stored value of @field back on @record, so views show it. */
static void
revert_field (UpgStore *self, UpgRecord *record, guint field)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  g_autofree char *sql = g_strdup_printf ("SELECT \"%s\" FROM \"%s\" WHERE id = ?1",
                                          entity->fields[field].name, entity->table);
  g_autoptr(UpgRecord) scratch = upg_record_new (entity);
  UpgParam id = UPG_PARAM_INT (upg_record_get_id (record));
  ReadField read = { scratch, field, FALSE };
  g_auto(GValue) value = G_VALUE_INIT;

  if (!query (self, sql, &id, 1, read_field_cb, &read, NULL) || !read.found)
    return;
  g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (upg_record_field_pspec (record, field)));
  g_object_get_property (G_OBJECT (scratch), upg_record_field_pspec (record, field)->name, &value);
  quiet_set (self, record, field, &value);
}

static UpgRecord *
loaded_project (UpgStore *self, gint64 project_id)
{
  UpgRecord *project = upg_record_list_find (self->projects ? G_LIST_MODEL (self->projects) : NULL, project_id);

  /* Borrowed: the list holds it. */
  if (project != NULL)
    g_object_unref (project);
  return project;
}

/* Renames @old to @new in @field of the loaded records of @entity under
 * @parent (after the rows were renamed). */
static void
rename_loaded (UpgStore *self, UpgRecord *parent, const UpgEntity *entity, guint field,
               const char *old, const char *new)
{
  GListModel *list = parent ? upg_record_get_children (parent, entity) : NULL;

  for (guint i = 0, n = list ? g_list_model_get_n_items (list) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (list, i);
      if (g_strcmp0 (upg_record_get_string (item, field), old) == 0)
        quiet_set_string (self, item, field, new);
    }
}

typedef struct {
  const UpgEntity *entity;
  guint            field;
  char            *old;
  char            *new;
} Rename;

static void
rename_free (Rename *rename)
{
  g_free (rename->old);
  g_free (rename->new);
  g_free (rename);
}

/* Checks the changed @fields (a bit each) of @record and writes them with
 * what they imply, in the caller's transaction. @renames collects the
 * references to rename in loaded records once it commits. */
static gboolean
write_fields (UpgStore   *self,
              UpgRecord  *record,
              guint64     fields,
              GPtrArray  *renames,
              GError    **error)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  gint64 id = upg_record_get_id (record);
  gint64 project_id = upg_record_get_project_id (record);
  g_autofree char *where = NULL;
  g_autofree char *message = NULL;
  gboolean ok;

  /* Each field as import checks it. */
  for (guint i = 0; i < entity->n_fields; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(fields & (G_GUINT64_CONSTANT (1) << i)))
        continue;
      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (upg_record_field_pspec (record, i)));
      g_object_get_property (G_OBJECT (record), upg_record_field_pspec (record, i)->name, &value);
      if (!upg_field_check_value (&entity->fields[i], &value, &message))
        return set_invalid (error, entity->fields[i].name, message);
    }

  /* The project's time stamp alone is book-keeping, not an edit another
   * person's could clash with, and no rule across fields reads it: the
   * touch of a write to a row under the project, which may come before
   * the loaded records follow that write (a renamed member's risks are
   * renamed once it commits). */
  if (entity == &upg_entity_project && fields == (G_GUINT64_CONSTANT (1) << UPG_PROJECT_UPDATED_AT))
    return self->backend->vt->update (self->backend, record, fields, FALSE, error);

  /* What a change implies. */
  if (entity == &upg_entity_milestone && (fields & (1 << UPG_MILESTONE_KIND)) &&
      g_strcmp0 (upg_record_get_string (record, UPG_MILESTONE_KIND), "gray_release") != 0 &&
      upg_record_get_int (record, UPG_MILESTONE_ROLLOUT_PERCENT) != UPG_INT_NULL)
    {
      quiet_set_int (self, record, UPG_MILESTONE_ROLLOUT_PERCENT, UPG_INT_NULL);
      fields |= 1 << UPG_MILESTONE_ROLLOUT_PERCENT;
    }
  if (entity == &upg_entity_project &&
      !(fields & (G_GUINT64_CONSTANT (1) << UPG_PROJECT_CALENDAR_SEQUENCE)))
    {
      gboolean moved = (fields & ((1 << UPG_PROJECT_WINDOW_START) | (1 << UPG_PROJECT_WINDOW_END) |
                                  (1 << UPG_PROJECT_TIME_ZONE))) != 0;
      if (!moved && (fields & (1 << UPG_PROJECT_STATUS)) &&
          g_strcmp0 (upg_record_get_string (record, UPG_PROJECT_STATUS), "cancelled") == 0)
        {
          g_autofree char *old = stored_text (self, record, "status");
          moved = g_strcmp0 (old, "cancelled") != 0;
        }
      if (moved && upg_record_get_int (record, UPG_PROJECT_CALENDAR_SEQUENCE) < G_MAXINT)
        {
          quiet_set_int (self, record, UPG_PROJECT_CALENDAR_SEQUENCE,
                         upg_record_get_int (record, UPG_PROJECT_CALENDAR_SEQUENCE) + 1);
          fields |= G_GUINT64_CONSTANT (1) << UPG_PROJECT_CALENDAR_SEQUENCE;
        }
    }

  /* The rules across fields, and those that need the rest of the file. */
  if (!upg_rules_check_record (record, &where, &message))
    return set_invalid (error, where, message);
  if (entity == &upg_entity_risk && (fields & (1 << UPG_RISK_OWNER)) &&
      upg_record_get_string (record, UPG_RISK_OWNER) != NULL &&
      !is_member (self, project_id, upg_record_get_string (record, UPG_RISK_OWNER)))
    return set_invalid (error, "owner", _("must be the name of a member of the team, or null"));
  if (entity == &upg_entity_email_template)
    {
      UpgParam params[4] = {
        UPG_PARAM_TEXT (upg_record_get_string (record, UPG_EMAIL_TEMPLATE_MOMENT)),
        UPG_PARAM_TEXT (upg_record_get_string (record, UPG_EMAIL_TEMPLATE_LANGUAGE)),
        UPG_PARAM_INT (project_id), UPG_PARAM_INT (id),
      };
      if (query_int (self, "SELECT count(*) FROM email_template WHERE moment = ?1 AND language = ?2 AND project_id = ?3 AND id != ?4",
                     params, 4) > 0)
        return set_invalid (error, "moment", _("the project already has its own template for this moment and language"));
    }
  if (entity == &upg_entity_project && (fields & (1 << UPG_PROJECT_UID)))
    {
      UpgParam params[2] = { UPG_PARAM_TEXT (upg_record_get_string (record, UPG_PROJECT_UID)), UPG_PARAM_INT (id) };
      if (query_int (self, "SELECT count(*) FROM project WHERE uid = ?1 AND id != ?2", params, 2) > 0)
        return set_invalid (error, "uid", _("must be unique: another project in the file has it"));
    }

  /* References by name follow a rename. */
  if ((entity == &upg_entity_member && (fields & (1 << UPG_MEMBER_NAME))) ||
      (entity == &upg_entity_group && (fields & (1 << UPG_GROUP_NAME))))
    {
      g_autofree char *old = stored_text (self, record, "name");
      const char *new = upg_record_get_string (record, entity == &upg_entity_member ? UPG_MEMBER_NAME : UPG_GROUP_NAME);

      if (old != NULL && g_strcmp0 (old, new) != 0)
        {
          Rename *rename;

          if (entity == &upg_entity_member)
            ok = exec_bound (self, "UPDATE risk SET owner = ?2 WHERE owner = ?1 AND project_id = ?3", old, new, project_id, error) &&
                 exec_bound (self, "UPDATE retro_item SET owner = ?2 WHERE owner = ?1 AND retro_id IN "
                                   "(SELECT id FROM retrospective WHERE project_id = ?3)", old, new, project_id, error);
          else
            ok = exec_bound (self, "UPDATE notice SET \"group\" = ?2 WHERE \"group\" = ?1 AND project_id = ?3", old, new, project_id, error);
          if (!ok)
            return FALSE;
          rename = g_new0 (Rename, 1);
          rename->entity = entity;
          rename->old = g_steal_pointer (&old);
          rename->new = g_strdup (new);
          g_ptr_array_add (renames, rename);
        }
    }

  /* One UPDATE for every changed column. */
  if (!self->backend->vt->update (self->backend, record, fields, TRUE, error))
    return FALSE;
  return touch_project (self, project_id, error);
}

static void
apply_renames (UpgStore *self, UpgRecord *record, GPtrArray *renames)
{
  UpgRecord *project = loaded_project (self, upg_record_get_project_id (record));

  for (guint i = 0; project != NULL && i < renames->len; i++)
    {
      Rename *r = renames->pdata[i];
      if (r->entity == &upg_entity_member)
        {
          rename_loaded (self, project, &upg_entity_risk, UPG_RISK_OWNER, r->old, r->new);
          rename_loaded (self, upg_project_get_retro (UPG_PROJECT (project)), &upg_entity_retro_item,
                         UPG_RETRO_ITEM_OWNER, r->old, r->new);
        }
      else
        rename_loaded (self, project, &upg_entity_notice, UPG_NOTICE_GROUP, r->old, r->new);
    }
}

/* @record's @field as a person reads it in a message. */
static char *
field_text (UpgRecord *record, guint field)
{
  const UpgField *f = &upg_record_get_entity (record)->fields[field];

  switch (f->type)
    {
    case UPG_FIELD_INT:
    case UPG_FIELD_INT_OR_NULL:
      if (upg_record_get_int (record, field) == UPG_INT_NULL && f->type == UPG_FIELD_INT_OR_NULL)
        return g_strdup ("");
      return g_strdup_printf ("%d", upg_record_get_int (record, field));
    case UPG_FIELD_BOOL:
      return g_strdup (upg_record_get_bool (record, field) ? "true" : "false");
    case UPG_FIELD_EMAIL_LIST:
    case UPG_FIELD_ENUM_LIST:
      return g_strjoinv (", ", (char **) upg_record_get_strv (record, field));
    default:
      return g_strdup (upg_record_get_string (record, field) ? upg_record_get_string (record, field) : "");
    }
}

/* @field's value as people read it: enumeration words and yes/no by
 * their labels, the rest as field_text() has it. */
static char *
field_display_text (UpgRecord *record, guint field)
{
  const UpgField *f = &upg_record_get_entity (record)->fields[field];

  switch (f->type)
    {
    case UPG_FIELD_BOOL:
      return g_strdup (upg_record_get_bool (record, field) ? _("Yes") : _("No"));
    case UPG_FIELD_ENUM:
    case UPG_FIELD_ENUM_OR_NULL:
      return g_strdup (upg_enum_label (f->values, upg_record_get_string (record, field)));
    case UPG_FIELD_ENUM_LIST:
      {
        const char * const *words = upg_record_get_strv (record, field);
        GString *text = g_string_new (NULL);

        for (guint i = 0; words != NULL && words[i] != NULL; i++)
          g_string_append_printf (text, "%s%s", i ? ", " : "", upg_enum_label (f->values, words[i]));
        return g_string_free (text, FALSE);
      }
    default:
      return field_text (record, field);
    }
}

/* Puts @fields (a bit each) of @stored on @record, without writing. */
static void
put_fields (UpgStore *self, UpgRecord *record, UpgRecord *stored, guint64 fields)
{
  const UpgEntity *entity = upg_record_get_entity (record);

  for (guint i = 0; i < entity->n_fields; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      GParamSpec *pspec = upg_record_field_pspec (record, i);

      if (!(fields & (G_GUINT64_CONSTANT (1) << i)))
        continue;
      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
      g_object_get_property (G_OBJECT (stored), pspec->name, &value);
      quiet_set (self, record, i, &value);
    }
}

/* Puts @stored (a record read from the row of @record) on @record: its
 * values, version and who last changed it, and with @with_position its
 * place, without writing. */
static void
put_row (UpgStore *self, UpgRecord *record, UpgRecord *stored, gboolean with_position)
{
  put_fields (self, record, stored, G_MAXUINT64);
  upg_record_set_row_version (record, upg_record_get_row_version (stored));
  upg_record_set_changed_by (record, upg_record_get_changed_by (stored));
  if (with_position)
    upg_record_set_position (record, upg_record_get_position (stored));
}

/* Puts the stored row back on @record (its values, version and who last
 * changed it) without writing; *gone when it is no longer stored. */
static gboolean
refresh_row (UpgStore *self, UpgRecord *record, gboolean *gone, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 id = upg_record_get_id (record);

  if (!self->backend->vt->select (self->backend, upg_record_get_entity (record), 0, &id, 1,
                                  upg_record_get_project_id (record), rows, error))
    return FALSE;
  *gone = rows->len == 0;
  if (!*gone)
    put_row (self, record, rows->pdata[0], FALSE);
  return TRUE;
}

/* After a write someone else's change came before: @record shows the
 * stored row, and @error says who changed what, and which change of
 * @fields was not saved. FALSE when the row could not be read again, or
 * is gone (then @record is as it was). */
static gboolean
report_conflict (UpgStore *self, UpgRecord *record, guint64 fields, GError **error)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_free);
  gboolean gone = FALSE;
  guint attempted = 0, changed = G_MAXUINT;

  for (guint i = 0; i < entity->n_fields; i++)
    g_ptr_array_add (before, field_text (record, i));
  if (!refresh_row (self, record, &gone, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (gone)
    {
      g_set_error_literal (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT,
                           _("Someone else deleted it meanwhile; your change was not saved"));
      return FALSE;
    }
  /* What the other person changed: a field this write did not touch whose
   * value moved, else the one it tried to write (not when the project
   * last changed: every change under it moves that, ours too). */
  while (attempted + 1 < entity->n_fields && !(fields & (G_GUINT64_CONSTANT (1) << attempted)))
    attempted++;
  for (guint i = 0; i < entity->n_fields && changed == G_MAXUINT; i++)
    {
      g_autofree char *now = field_text (record, i);
      if (entity == &upg_entity_project && i == UPG_PROJECT_UPDATED_AT)
        continue;
      if (!(fields & (G_GUINT64_CONSTANT (1) << i)) && strcmp (now, before->pdata[i]) != 0)
        changed = i;
    }
  if (changed == G_MAXUINT)
    changed = attempted;
  {
    g_autofree char *now = field_display_text (record, changed);
    const char *who = upg_record_get_changed_by (record);

    /* Fields by the labels people know them by, not the columns. */
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT,
                 _("%s changed it meanwhile (%s is now “%s”); your change to %s was not saved"),
                 who ? who : _("Someone else"), upg_field_label (entity, changed), now,
                 upg_field_label (entity, attempted));
  }
  return TRUE;
}

/* @fields (a bit each) and those a write of them may set too (write_fields ()):
 * a milestone's percent, a project's calendar sequence. */
static guint64
fields_written (const UpgEntity *entity, guint64 fields)
{
  if (entity == &upg_entity_milestone)
    fields |= 1 << UPG_MILESTONE_ROLLOUT_PERCENT;
  if (entity == &upg_entity_project)
    fields |= G_GUINT64_CONSTANT (1) << UPG_PROJECT_CALENDAR_SEQUENCE;
  return fields;
}

/* Writes @fields of @record in a transaction (or the caller's); on any
 * failure puts every one of them back as stored. */
static gboolean
save_fields (UpgStore   *self,
             UpgRecord  *record,
             guint64     fields,
             GError    **error)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  g_autoptr(GPtrArray) renames = g_ptr_array_new_with_free_func ((GDestroyNotify) rename_free);
  g_autoptr(GError) local_error = NULL;
  guint64 touched = fields_written (entity, fields);
  gboolean own = FALSE, ok;

  ok = upg_store_begin_nested (self, &own, &local_error);
  if (ok)
    {
      ok = write_fields (self, record, fields, renames, &local_error);
      ok = upg_store_end_nested (self, own, ok, ok ? &local_error : NULL);
    }
  if (!ok && g_error_matches (local_error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT))
    {
      /* Someone else's change came first: show theirs, say whose. */
      report_conflict (self, record, fields, error);
      return FALSE;
    }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      /* Everything this write may have set, as the file has it. */
      for (guint i = 0; i < entity->n_fields; i++)
        if (touched & (G_GUINT64_CONSTANT (1) << i))
          revert_field (self, record, i);
      return FALSE;
    }
  apply_renames (self, record, renames);
  return TRUE;
}

/* ---- Working in a thread (a window on a server) -------------------- */

/* Whether a write now goes to the thread: the store works in one, and no
 * transaction of the caller's is open (whose writes are its own). */
static gboolean
writes_in_thread (UpgStore *self)
{
  return self->worker != NULL && !self->backend->vt->in_transaction (self->backend);
}

/* Whether a change of @record is saved: it is stored, or the thread is
 * storing it (it has no id yet). */
static gboolean
saves_changes_of (UpgStore *self, UpgRecord *record)
{
  return upg_record_get_id (record) != 0 ||
         (self->inserting != NULL && g_hash_table_contains (self->inserting, record));
}

/* A window on a team server must not wait for the network: a changed
 * field is written, and the rows others changed are read, by one thread
 * on a connection of its own (a store like the companion), one job after
 * another in the order they came; what a job found is put on the records
 * back in the store's main context. */
typedef struct _Job Job;

struct _Job
{
  UpgStore   *store;                      /* a reference, given up in the main context */
  GApplication *app;                      /* held until the job is finished: the app does
                                           * not quit with a change unwritten */
  gboolean  (*run)  (UpgStore *other, Job *job, GError **error);   /* in the thread */
  void      (*done) (UpgStore *self, Job *job);                    /* in the main context */
  gboolean    ok;
  GError     *error;

  /* Writing fields: */
  UpgRecord  *record;     /* the loaded record (touched in the main context only) */
  UpgRecord  *copy;       /* its values when changed, written by the thread */
  guint64     fields;
  gint64      seen;       /* the row version the change was made on */
  GPtrArray  *renames;
  gboolean    refreshed;  /* @copy holds the stored row (after a refusal) */

  /* Reading others' changes: */
  GArray     *changes;    /* UpgChange */
  GHashTable *rows;       /* UpgEntity → GPtrArray of records read */

  /* Loading a record's children (into @copy, then onto @record), or
   * reading something of the plan (@read on the thread's store): */
  GTask      *task;
  UpgStoreWriteFunc write;
  UpgStoreAddFunc add;
  UpgStoreReadFunc read;
  gpointer    read_data;
  GDestroyNotify read_data_free;
  gpointer    result;
  GDestroyNotify result_free;

  /* Inserting @record (and what is under it, @originals) as @copy: */
  GPtrArray  *originals;
  gboolean    top;            /* a project: no parent */
  gint64      parent_id;      /* 0: the parent waits for its own id (@parent_token) */
  guint64     parent_token;
  gint64      project_id;
  int         stored_position;
  gboolean    middle;         /* not at the end: after @after_id (0: first) */
  gint64      after_id;
  guint64     after_token;
  GArray     *order;          /* the siblings' stored order, after a move */
  gboolean    skipped;        /* a change of a record whose insert failed */

  /* Deleting @record (@copy in the thread), or putting it back: */
  UpgDeletion *deletion;
  gboolean    keep;           /* keep a tombstone, for Undo */
  gboolean    owner_cleared;  /* a risk put back whose owner has left */
};

static void
job_free (Job *job)
{
  g_clear_error (&job->error);
  g_clear_object (&job->record);
  g_clear_object (&job->copy);
  g_clear_pointer (&job->renames, g_ptr_array_unref);
  g_clear_pointer (&job->changes, g_array_unref);
  g_clear_pointer (&job->rows, g_hash_table_unref);
  g_clear_object (&job->task);
  g_clear_pointer (&job->originals, g_ptr_array_unref);
  g_clear_pointer (&job->order, g_array_unref);
  g_clear_pointer (&job->deletion, upg_deletion_free);
  if (job->read_data_free != NULL)
    job->read_data_free (job->read_data);
  if (job->result != NULL && job->result_free != NULL)
    job->result_free (job->result);
  g_clear_object (&job->store);
  if (job->app != NULL)
    {
      g_application_release (job->app);
      g_object_unref (job->app);
    }
  g_free (job);
}

/* A job: @run in the thread, then @done in the main context. */
static Job *
job_new (gboolean (*run)  (UpgStore *other, Job *job, GError **error),
         void     (*done) (UpgStore *self, Job *job))
{
  Job *job = g_new0 (Job, 1);

  job->run = run;
  job->done = done;
  return job;
}

/* The same for a job that ends @task (taken), run with @data (freed with
 * the job by @data_free). */
static Job *
task_job_new (gboolean     (*run)  (UpgStore *other, Job *job, GError **error),
              void         (*done) (UpgStore *self, Job *job),
              GTask         *task,
              gpointer       data,
              GDestroyNotify data_free)
{
  Job *job = job_new (run, done);

  job->task = task;
  job->read_data = data;
  job->read_data_free = data_free;
  return job;
}

/* In the main context: what the thread has done. */
static gboolean
finish_jobs (UpgStore *self)
{
  for (;;)
    {
      Job *job;

      g_mutex_lock (&self->jobs_lock);
      job = g_queue_pop_head (&self->jobs_done);
      if (job == NULL)
        self->done_source = 0;
      g_mutex_unlock (&self->jobs_lock);
      if (job == NULL)
        return G_SOURCE_REMOVE;
      job->done (self, job);
      job_free (job);
    }
}

static void
worker_run (gpointer data,
            gpointer user_data)
{
  Job *job = data;
  UpgStore *self = job->store;

  /* Its own connection: a tick held up on the server (on the companion)
   * does not hold up the fields written meanwhile. */
  if (self->worker_store == NULL)
    {
      self->worker_store = open_twin (self, &job->error);
      if (self->worker_store != NULL)
        self->worker_store->unwatched = TRUE;
    }
  if (self->worker_store != NULL)
    job->ok = job->run (self->worker_store, job, &job->error);
  g_mutex_lock (&self->jobs_lock);
  g_queue_push_tail (&self->jobs_done, job);
  self->jobs_queued--;
  g_cond_broadcast (&self->jobs_cond);
  if (self->done_source == 0)
    {
      GSource *source = g_idle_source_new ();

      /* As a GTask returns: an idle's own priority waits behind every
       * frame while something on screen moves (a spinner). */
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, (GSourceFunc) finish_jobs, g_object_ref (self), g_object_unref);
      g_source_set_name (source, "[upgrade-planner] store jobs done");
      self->done_source = g_source_attach (source, self->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&self->jobs_lock);
}

static void
push_job (UpgStore *self, Job *job)
{
  job->store = g_object_ref (self);
  job->app = g_application_get_default ();
  if (job->app != NULL)
    {
      g_object_ref (job->app);
      g_application_hold (job->app);
    }
  g_mutex_lock (&self->jobs_lock);
  self->jobs_queued++;
  g_mutex_unlock (&self->jobs_lock);
  g_thread_pool_push (self->worker, job, NULL);
}

/* Waits for the thread's jobs and finishes them: before a write of the
 * store's own connection, which must come after them (and see the row
 * versions they made). */
static void
settle_jobs (UpgStore *self)
{
  if (self->worker == NULL)
    return;
  g_mutex_lock (&self->jobs_lock);
  while (self->jobs_queued > 0)
    g_cond_wait (&self->jobs_cond, &self->jobs_lock);
  g_mutex_unlock (&self->jobs_lock);
  finish_jobs (self);
}

static gint64 id_for_token (UpgStore *self, guint64 token);

static GQuark
insert_token_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("upg-store-insert-token");
  return quark;
}

static guint64
token_of (UpgRecord *record)
{
  return GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (record), insert_token_quark ()));
}

/* In the thread: a record changed (deleted, moved) before the thread
 * had written it has its id by now (its insert came first), or never
 * will (it was refused, and said): then the job is skipped. */
static gboolean
resolve_id (UpgStore *self, Job *job)
{
  if (upg_record_get_id (job->copy) == 0)
    upg_record_set_id (job->copy, id_for_token (self, token_of (job->copy)));
  job->skipped = upg_record_get_id (job->copy) == 0;
  return !job->skipped;
}

/* Writing a field in the thread. The row versions the thread's own
 * writes moved past (RowKey → GArray of gint64, the newest last): a
 * second change made on the version before the first was written
 * continues from the first, not a conflict with itself. Only the thread
 * touches them. */
static gboolean
write_run (UpgStore *other, Job *job, GError **error)
{
  UpgStore *self = job->store;
  RowKey key;
  GArray *chain;
  g_autoptr(GError) local_error = NULL;
  gboolean own = FALSE, ok, gone = FALSE;

  if (!resolve_id (self, job))
    return TRUE;
  key.entity = upg_record_get_entity (job->copy);
  key.id = upg_record_get_id (job->copy);
  chain = g_hash_table_lookup (self->chains, &key);

  for (guint i = 0; chain != NULL && i + 1 < chain->len; i++)
    if (g_array_index (chain, gint64, i) == job->seen)
      upg_record_set_row_version (job->copy, g_array_index (chain, gint64, chain->len - 1));

  ok = upg_store_begin_nested (other, &own, &local_error);
  if (ok)
    {
      ok = write_fields (other, job->copy, job->fields, job->renames, &local_error);
      ok = upg_store_end_nested (other, own, ok, ok ? &local_error : NULL);
    }
  if (!ok && g_error_matches (local_error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT))
    {
      job->refreshed = report_conflict (other, job->copy, job->fields, error);
      return FALSE;
    }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      job->refreshed = refresh_row (other, job->copy, &gone, NULL) && !gone;
      return FALSE;
    }

  if (chain == NULL)
    {
      chain = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->chains, g_memdup2 (&key, sizeof key), chain);
    }
  if (chain->len >= 16)
    g_array_remove_range (chain, 0, chain->len - 8);
  if (chain->len == 0 || g_array_index (chain, gint64, chain->len - 1) != job->seen)
    g_array_append_val (chain, job->seen);
  {
    gint64 now = upg_record_get_row_version (job->copy);
    g_array_append_val (chain, now);
  }
  return TRUE;
}

static void
write_done (UpgStore *self, Job *job)
{
  UpgRecord *record = job->record;
  const UpgEntity *entity = upg_record_get_entity (record);
  guint pending = GPOINTER_TO_UINT (g_hash_table_lookup (self->writing, record));

  if (pending > 1)
    g_hash_table_insert (self->writing, record, GUINT_TO_POINTER (pending - 1));
  else
    g_hash_table_remove (self->writing, record);
  if (job->skipped)
    return;

  if (job->ok)
    {
      /* What the write implied, and the row's new version unless someone's
       * newer row was put on the record meanwhile. */
      put_fields (self, record, job->copy, fields_written (entity, job->fields) & ~job->fields);
      if (upg_record_get_row_version (record) <= upg_record_get_row_version (job->copy))
        {
          upg_record_set_row_version (record, upg_record_get_row_version (job->copy));
          upg_record_set_changed_by (record, upg_record_get_changed_by (job->copy));
        }
      apply_renames (self, record, job->renames);
      return;
    }

  /* Refused: the record shows what is stored (all of someone else's
   * newer row, or the fields this write set), and the store says why. */
  if (job->refreshed && g_error_matches (job->error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT))
    put_row (self, record, job->copy, FALSE);
  else if (job->refreshed)
    put_fields (self, record, job->copy, fields_written (entity, job->fields));
  g_signal_emit (self, signals[WRITE_FAILED], 0, job->error);
}

/* A copy of @record for the thread: its values, where it is, its row
 * version and its insert token (not its children). */
static UpgRecord *
copy_for_thread (UpgRecord *record)
{
  UpgRecord *copy = upg_record_copy (record);

  g_object_set_qdata (G_OBJECT (copy), insert_token_quark (),
                      g_object_get_qdata (G_OBJECT (record), insert_token_quark ()));
  upg_record_set_project_id (copy, upg_record_get_project_id (record));
  upg_record_set_position (copy, upg_record_get_position (record));
  upg_record_set_row_version (copy, upg_record_get_row_version (record));
  return copy;
}

/* A field changed in the main context: the thread writes it. */
static void
write_in_thread (UpgStore *self, UpgRecord *record, guint64 fields)
{
  Job *job = job_new (write_run, write_done);

  job->record = g_object_ref (record);
  job->copy = copy_for_thread (record);
  job->seen = upg_record_get_row_version (record);
  job->fields = fields;
  job->renames = g_ptr_array_new_with_free_func ((GDestroyNotify) rename_free);
  g_hash_table_insert (self->writing, record,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->writing, record)) + 1));
  push_job (self, job);
}

/* Reading the rows others changed, in the thread: all of them (what is
 * loaded may change before the main context takes them). */
static gboolean
read_run (UpgStore *other, Job *job, GError **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) inserted = g_hash_table_new_full (row_key_hash, row_key_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer entity, list;

  for (guint i = 0; i < job->changes->len; i++)
    {
      UpgChange *change = &g_array_index (job->changes, UpgChange, i);
      GArray *these;

      if (change->kind == UPG_CHANGE_DELETE)
        continue;
      if (change->kind == UPG_CHANGE_INSERT)
        {
          RowKey key = { change->entity, change->id };
          g_hash_table_add (inserted, g_memdup2 (&key, sizeof key));
        }
      these = g_hash_table_lookup (ids, change->entity);
      if (these == NULL)
        {
          these = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (ids, (gpointer) change->entity, these);
        }
      g_array_append_val (these, change->id);
    }
  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &entity, &list))
    {
      GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

      g_hash_table_insert (job->rows, entity, rows);
      if (!other->backend->vt->select (other->backend, entity, 0, (gint64 *) ((GArray *) list)->data,
                                       ((GArray *) list)->len, 0, rows, error))
        return FALSE;
      /* A new row comes with what is under it (a new step's empty
       * history), not read by the window when it shows it. A project's
       * children load when a view asks. */
      if (((const UpgEntity *) entity)->children[0] == NULL || entity == &upg_entity_project)
        continue;
      for (guint i = 0; i < rows->len; i++)
        {
          RowKey key = { entity, upg_record_get_id (rows->pdata[i]) };

          if (g_hash_table_contains (inserted, &key) && !upg_store_load_children (other, rows->pdata[i], error))
            return FALSE;
        }
    }
  return TRUE;
}

static void
read_done (UpgStore *self, Job *job)
{
  self->reading = FALSE;
  take_changes (self, (UpgChange *) job->changes->data, job->changes->len, job->rows,
                job->ok ? NULL : job->error);
  /* What came in meanwhile, read now. */
  if (self->changes_waiting != NULL && self->changes_waiting->len > 0)
    {
      g_autoptr(GArray) waiting = g_steal_pointer (&self->changes_waiting);
      read_changes_in_thread (self, (UpgChange *) waiting->data, waiting->len);
    }
}

static void
read_changes_in_thread (UpgStore *self, const UpgChange *changes, guint n_changes)
{
  Job *job;

  if (self->reading)
    {
      /* One read at a time, so changes are put on the records in order. */
      if (self->changes_waiting == NULL)
        self->changes_waiting = g_array_new (FALSE, FALSE, sizeof (UpgChange));
      g_array_append_vals (self->changes_waiting, changes, n_changes);
      return;
    }
  job = job_new (read_run, read_done);
  job->changes = g_array_sized_new (FALSE, FALSE, sizeof (UpgChange), n_changes);
  g_array_append_vals (job->changes, changes, n_changes);
  job->rows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->reading = TRUE;
  push_job (self, job);
}

/* Loading a project in the thread: its rows become records of the
 * thread's store under a copy, which the main context's store then
 * takes onto the record views show. */
static gboolean
load_run (UpgStore *other, Job *job, GError **error)
{
  return upg_store_load_children (other, job->copy, error);
}

/* @record and the records under it, in the tree's order (the order
 * copy_tree () gives its originals). */
static void
collect_tree (UpgRecord *record, GPtrArray *records)
{
  const UpgEntity *entity = upg_record_get_entity (record);

  g_ptr_array_add (records, record);
  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      GListModel *children = upg_record_get_children (record, entity->children[c]);

      for (guint i = 0, n = children ? g_list_model_get_n_items (children) : 0; i < n; i++)
        {
          g_autoptr(UpgRecord) child = g_list_model_get_item (children, i);
          collect_tree (child, records);
        }
    }
}

/* @record and the records under it save their changes through @self. */
static void
watch_tree (UpgStore *self, UpgRecord *record)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();

  collect_tree (record, records);
  for (guint i = 0; i < records->len; i++)
    watch_record (self, records->pdata[i]);
}

static void
load_done (UpgStore *self, Job *job)
{
  const UpgEntity *entity = upg_record_get_entity (job->record);

  if (!job->ok)
    {
      g_task_return_error (job->task, g_steal_pointer (&job->error));
      return;
    }
  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      const UpgEntity *child = entity->children[c];
      GListModel *read = upg_record_get_children (job->copy, child);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      GListStore *list;

      /* Loaded meanwhile (a view asked at once): that one stays. */
      if (upg_record_get_children (job->record, child) != NULL || read == NULL)
        continue;
      for (guint i = 0, n = g_list_model_get_n_items (read); i < n; i++)
        {
          UpgRecord *item = g_list_model_get_item (read, i);

          watch_tree (self, item);
          g_ptr_array_add (items, item);
        }
      g_list_store_remove_all (G_LIST_STORE (read));
      list = upg_record_ensure_children (job->record, child);
      for (guint i = 0; i < items->len; i++)
        upg_record_set_container (items->pdata[i], list);
      g_list_store_splice (list, 0, 0, items->pdata, items->len);
    }
  g_task_return_boolean (job->task, TRUE);
}

void
upg_store_load_children_async (UpgStore            *self,
                               UpgRecord           *record,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (UPG_IS_STORE (self));
  g_return_if_fail (UPG_IS_RECORD (record));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, upg_store_load_children_async);
  if (self->worker == NULL || upg_record_children_loaded (record))
    {
      GError *error = NULL;

      if (upg_store_load_children (self, record, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }
  job = task_job_new (load_run, load_done, g_steal_pointer (&task), NULL, NULL);
  job->record = g_object_ref (record);
  job->copy = copy_for_thread (record);
  push_job (self, job);
}

gboolean
upg_store_load_children_finish (UpgStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reading in the thread: the plan as the server has it now (the
 * thread's store reads the project list anew), then @read on it. */
static gboolean
read_plan_run (UpgStore *other, Job *job, GError **error)
{
  if (!upg_store_reload (other, error))
    return FALSE;
  job->result = job->read (other, job->read_data, error);
  return job->result != NULL;
}

static void
read_plan_done (UpgStore *self, Job *job)
{
  if (job->ok)
    g_task_return_pointer (job->task, g_steal_pointer (&job->result), job->result_free);
  else
    g_task_return_error (job->task, g_steal_pointer (&job->error));
}

void
upg_store_read_async (UpgStore            *self,
                      UpgStoreReadFunc     read,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GDestroyNotify       result_free,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (UPG_IS_STORE (self));
  g_return_if_fail (read != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, upg_store_read_async);
  if (self->worker == NULL)
    {
      GError *error = NULL;
      gpointer result = read (self, data, &error);

      if (data_free != NULL)
        data_free (data);
      if (result != NULL)
        g_task_return_pointer (task, result, result_free);
      else
        g_task_return_error (task, error);
      return;
    }
  job = task_job_new (read_plan_run, read_plan_done, g_steal_pointer (&task), data, data_free);
  job->read = read;
  job->result_free = result_free;
  push_job (self, job);
}

gpointer
upg_store_read_finish (UpgStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static UpgRecord *copy_tree (UpgStore *self, UpgRecord *record, GPtrArray *originals);

/* Writing in the thread: @write on the project as the server has it now
 * (the thread's store reads it anew), which the thread then copies, with
 * all under it, for the window's records to follow. */
static gboolean
write_plan_on (UpgStore *companion, Job *job, GError **error)
{
  g_autoptr(UpgRecord) project = NULL;
  /* A new project the thread has written meanwhile (its insert came first). */
  gint64 id = job->project_id != 0 ? job->project_id : id_for_token (job->store, job->parent_token);

  if (!upg_store_reload (companion, error))
    return FALSE;
  project = id != 0 ? upg_record_list_find (upg_store_get_projects (companion), id) : NULL;
  if (project == NULL)
    {
      g_set_error_literal (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NO_SUCH_PROJECT,
                           _("Someone deleted the project on the team server meanwhile"));
      return FALSE;
    }
  if (!upg_store_load_children (companion, project, error) ||
      !job->write (companion, UPG_PROJECT (project), job->read_data, error))
    return FALSE;
  job->copy = copy_tree (companion, project, NULL);
  return TRUE;
}

/* On the companion, whose records save their changes as the window's do
 * (the thread's own store only reads records for the window's). */
static gboolean
write_plan_run (UpgStore *other, Job *job, GError **error)
{
  UpgStore *companion = upg_store_take_companion (job->store, error);
  gboolean ok;

  if (companion == NULL)
    return FALSE;
  ok = write_plan_on (companion, job, error);
  upg_store_release_companion (job->store);
  return ok;
}

/* @fresh and what is under it, as changes of others: each record as read
 * (@rows: entity → records, @keys: what there is); a record the window
 * has not loaded comes with what is under it. */
static void
changes_from_tree (UpgStore   *self,
                   UpgRecord  *fresh,
                   GArray     *changes,
                   GHashTable *rows,
                   GHashTable *keys)
{
  const UpgEntity *entity = upg_record_get_entity (fresh);
  RowKey key = { entity, upg_record_get_id (fresh) };
  UpgChange change = { entity, UPG_CHANGE_UPDATE, key.id, upg_record_get_parent_id (fresh) };
  GPtrArray *read = g_hash_table_lookup (rows, entity);

  if (read == NULL)
    {
      read = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (rows, (gpointer) entity, read);
    }
  g_ptr_array_add (read, g_object_ref (fresh));
  g_array_append_val (changes, change);
  g_hash_table_add (keys, g_memdup2 (&key, sizeof key));
  if (find_loaded (self, entity, key.id) == NULL && find_placing (self, entity, key.id) == NULL)
    return;
  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      GListModel *children = upg_record_get_children (fresh, entity->children[c]);

      for (guint i = 0, n = children ? g_list_model_get_n_items (children) : 0; i < n; i++)
        {
          g_autoptr(UpgRecord) child = g_list_model_get_item (children, i);
          changes_from_tree (self, child, changes, rows, keys);
        }
    }
}

/* The window's records of a project follow @fresh, the project as the
 * thread read it after a write there: what changed, came or went is put
 * on them as others' changes are. */
static void
follow_project (UpgStore *self, UpgRecord *fresh)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (UpgChange));
  g_autoptr(GHashTable) rows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (row_key_hash, row_key_equal, g_free, NULL);
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  UpgRecord *project = loaded_project (self, upg_record_get_id (fresh));

  if (project == NULL)
    return;
  changes_from_tree (self, fresh, changes, rows, keys);
  /* Gone: what the window shows and the thread did not read (not what
   * the thread is still inserting: it has no id yet). */
  collect_tree (project, shown);
  for (guint i = 0; i < shown->len; i++)
    {
      UpgRecord *record = shown->pdata[i];
      RowKey key = { upg_record_get_entity (record), upg_record_get_id (record) };

      if (key.id != 0 && !g_hash_table_contains (keys, &key))
        {
          UpgChange change = { key.entity, UPG_CHANGE_DELETE, key.id, upg_record_get_parent_id (record) };
          g_array_append_val (changes, change);
        }
    }
  take_changes (self, (UpgChange *) changes->data, changes->len, rows, NULL);
}

static void
write_plan_done (UpgStore *self, Job *job)
{
  if (!job->ok)
    {
      g_task_return_error (job->task, g_steal_pointer (&job->error));
      return;
    }
  follow_project (self, job->copy);
  g_task_return_boolean (job->task, TRUE);
}

void
upg_store_write_async (UpgStore            *self,
                       UpgProject          *project,
                       UpgStoreWriteFunc    write,
                       gpointer             data,
                       GDestroyNotify       data_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (UPG_IS_STORE (self));
  g_return_if_fail (UPG_IS_PROJECT (project));
  g_return_if_fail (write != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, upg_store_write_async);
  if (!writes_in_thread (self))
    {
      GError *error = NULL;
      gboolean ok = write (self, project, data, &error);

      if (data_free != NULL)
        data_free (data);
      if (ok)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }
  job = task_job_new (write_plan_run, write_plan_done, g_steal_pointer (&task), data, data_free);
  job->write = write;
  job->project_id = upg_record_get_id (UPG_RECORD (project));
  job->parent_token = token_of (UPG_RECORD (project));
  push_job (self, job);
}

gboolean
upg_store_write_finish (UpgStore      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
has_id (GArray *ids, gint64 id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

/* Copies of @other's projects (their own fields): those of @ids, or all. */
static GPtrArray *
copy_projects (UpgStore *other, GArray *ids)
{
  GListModel *projects = upg_store_get_projects (other);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0, n = g_list_model_get_n_items (projects); i < n; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);

      if (ids == NULL || has_id (ids, upg_record_get_id (project)))
        g_ptr_array_add (rows, copy_for_thread (project));
    }
  return rows;
}

/* Adding projects in the thread: @add on the thread's store, then the
 * projects it names as that store has them (their own fields), for the
 * window's list. */
static gboolean
add_projects_run (UpgStore *other, Job *job, GError **error)
{
  GArray *ids;

  if (!upg_store_reload (other, error))
    return FALSE;
  ids = job->add (other, job->read_data, error);
  if (ids == NULL)
    return FALSE;
  job->result = ids;
  job->result_free = (GDestroyNotify) g_array_unref;
  job->rows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_hash_table_insert (job->rows, (gpointer) &upg_entity_project, copy_projects (other, ids));
  return TRUE;
}

static void
add_projects_done (UpgStore *self, Job *job)
{
  GArray *ids = job->result;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (UpgChange));

  if (!job->ok)
    {
      g_task_return_error (job->task, g_steal_pointer (&job->error));
      return;
    }
  /* New ones join the list; replaced ones take the new fields (the rows
   * under them follow as others' changes do). */
  for (guint i = 0; i < ids->len; i++)
    {
      UpgChange change = { &upg_entity_project, UPG_CHANGE_UPDATE, g_array_index (ids, gint64, i), 0 };
      g_array_append_val (changes, change);
    }
  take_changes (self, (UpgChange *) changes->data, changes->len, job->rows, NULL);
  job->result = NULL;
  g_task_return_pointer (job->task, ids, (GDestroyNotify) g_array_unref);
}

void
upg_store_add_projects_async (UpgStore            *self,
                              UpgStoreAddFunc      add,
                              gpointer             data,
                              GDestroyNotify       data_free,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (UPG_IS_STORE (self));
  g_return_if_fail (add != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, upg_store_add_projects_async);
  if (!writes_in_thread (self))
    {
      GError *error = NULL;
      GArray *ids = add (self, data, &error);

      if (data_free != NULL)
        data_free (data);
      if (ids != NULL)
        g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
      else
        g_task_return_error (task, error);
      return;
    }
  job = task_job_new (add_projects_run, add_projects_done, g_steal_pointer (&task), data, data_free);
  job->add = add;
  push_job (self, job);
}

GArray *
upg_store_add_projects_finish (UpgStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Connecting again ------------------------------------------------ */

/* The project list read again after connecting again, by the thread
 * (whose own connection connects again on use): the projects' fields,
 * as new records for the window's list. */
static gboolean
reload_run (UpgStore *other, Job *job, GError **error)
{
  if (!upg_store_reload (other, error))
    return FALSE;
  job->result = copy_projects (other, NULL);
  job->result_free = (GDestroyNotify) g_ptr_array_unref;
  return TRUE;
}

/* The project list takes @rows (new records: their children are read
 * again when shown), in the same list object. */
static void
replace_projects (UpgStore *self, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      watch_record (self, rows->pdata[i]);
      upg_record_set_container (rows->pdata[i], self->projects);
    }
  g_list_store_splice (self->projects, 0, g_list_model_get_n_items (G_LIST_MODEL (self->projects)),
                       rows->pdata, rows->len);
}

static void
reload_done (UpgStore *self, Job *job)
{
  if (!job->ok && job->task != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else if (!job->ok)
    g_signal_emit (self, signals[WRITE_FAILED], 0, job->error);
  if (!job->ok)
    return;
  replace_projects (self, job->result);
  g_signal_emit (self, signals[CHANGED_EXTERNALLY], 0);
  if (job->task != NULL)
    g_task_return_boolean (job->task, TRUE);
}

/* The plan read again in the thread, then @task (if any) ended: anything
 * may have changed (a server that went away says so, or the connection
 * was made again). Unless the connection is known to be lost: then that
 * is said (through @task, or for the window's bar), and nothing is asked. */
static void
reload_in_thread (UpgStore *self, GTask *task)
{
  GError *error = NULL;

  if (self->backend->vt->is_connected != NULL && !self->backend->vt->is_connected (self->backend, &error))
    {
      if (task != NULL)
        g_task_return_error (task, error);
      else
        {
          g_signal_emit (self, signals[WRITE_FAILED], 0, error);
          g_error_free (error);
        }
      g_clear_object (&task);
      return;
    }
  push_job (self, task_job_new (reload_run, reload_done, task, NULL, NULL));
}

/* Connected again (in a thread): the store takes the new connection, then
 * reads the project list again (in its own thread when it works in one). */
static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UpgStore *self = g_task_get_source_object (task);
  gpointer *holder = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* A transaction of the old connection is gone, and so is its touch. */
  if (self->touches != NULL)
    g_array_set_size (self->touches, 0);
  if (!self->backend->vt->adopt (self->backend, g_steal_pointer (&holder[1]), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->worker != NULL && self->projects != NULL)
    {
      reload_in_thread (self, g_steal_pointer (&task));
      return;
    }
  if (!upg_store_reload (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_signal_emit (self, signals[CHANGED_EXTERNALLY], 0);
  g_task_return_boolean (task, TRUE);
}

void
upg_store_reconnect_async (UpgStore            *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) connect = NULL;
  gpointer *holder;

  g_return_if_fail (UPG_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, upg_store_reconnect_async);
  if (self->backend->vt->connect_again == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  holder = g_new0 (gpointer, 2);
  holder[0] = self->backend;
  connect = g_task_new (self, cancellable, connected_cb, g_steal_pointer (&task));
  g_task_set_task_data (connect, holder, connection_free);
  g_task_run_in_thread (connect, reconnect_thread);
}

gboolean
upg_store_reconnect_finish (UpgStore      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
connect_run (UpgStore *other, Job *job, GError **error)
{
  return TRUE;
}

static void
connect_done (UpgStore *self, Job *job)
{
  /* A server that cannot be reached is said by the first job that needs it. */
}

void
upg_store_set_work_in_thread (UpgStore *self,
                              gboolean  in_thread)
{
  g_return_if_fail (UPG_IS_STORE (self));
  g_return_if_fail (!in_thread || upg_store_is_server (self));

  if (in_thread && self->worker == NULL)
    {
      (void) insert_token_quark ();  /* made here, before the thread asks */
      self->context = g_main_context_ref_thread_default ();
      self->writing = g_hash_table_new (NULL, NULL);
      self->chains = g_hash_table_new_full (row_key_hash, row_key_equal, g_free, (GDestroyNotify) g_array_unref);
      self->inserting = g_hash_table_new (NULL, NULL);
      self->inserted = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      self->placing = g_hash_table_new (NULL, NULL);
      if (g_getenv ("UPG_DEBUG_WINDOW_QUERIES") != NULL)
        self->backend->watched_thread = g_thread_self ();
      /* One thread: the jobs run in the order they came. */
      self->worker = g_thread_pool_new (worker_run, NULL, 1, FALSE, NULL);
      /* Its connection is made now, not on the first edit. */
      push_job (self, job_new (connect_run, connect_done));
    }
  else if (!in_thread && self->worker != NULL)
    {
      settle_jobs (self);
      g_thread_pool_free (g_steal_pointer (&self->worker), FALSE, TRUE);
    }
}

/* ---- Inserting in the thread ---------------------------------------- */

static gboolean insert_tree (UpgStore *self, UpgRecord *record, gint64 id, gint64 parent_id,
                             gint64 project_id, int position, gboolean watch, GError **error);
static gint64 after_previous (GListModel *list, guint index, guint64 *after_token);
static GListStore *sibling_list (UpgStore *self, UpgRecord *parent, const UpgEntity *entity);
static void take_order (GListModel *list, GArray *order);

/* A record inserted by the thread has no id until the thread has written
 * it: a token names it meanwhile (qdata on it and its copy), and the
 * thread keeps the id each token got (tokens are never used again), for
 * the changes made to the record, or under it, before its id came back. */

/* In the thread: the id of a record written by an earlier job, or 0. */
static gint64
id_for_token (UpgStore *self, guint64 token)
{
  gpointer id = token != 0 ? g_hash_table_lookup (self->inserted, GSIZE_TO_POINTER (token)) : NULL;

  return id != NULL ? *(gint64 *) id : 0;
}

/* A copy of @record and the records under it, each carrying its token
 * (none without @originals, which gets the records copied). */
static UpgRecord *
copy_tree (UpgStore *self, UpgRecord *record, GPtrArray *originals)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  UpgRecord *copy;

  if (originals != NULL)
    {
      g_object_set_qdata (G_OBJECT (record), insert_token_quark (), GSIZE_TO_POINTER (++self->last_token));
      g_ptr_array_add (originals, record);
    }
  copy = copy_for_thread (record);
  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      GListModel *children = upg_record_get_children (record, entity->children[c]);
      GListStore *list;

      /* A project the thread read after a write (no @originals) has all
       * its lists; a record it has none of is one the write made, with
       * nothing under it. */
      if (children == NULL && originals != NULL)
        continue;
      list = upg_record_ensure_children (copy, entity->children[c]);
      for (guint i = 0, n = children ? g_list_model_get_n_items (children) : 0; i < n; i++)
        {
          g_autoptr(UpgRecord) child = g_list_model_get_item (children, i);
          g_autoptr(UpgRecord) child_copy = copy_tree (self, child, originals);

          upg_record_set_container (child_copy, list);
          g_list_store_append (list, child_copy);
        }
    }
  return copy;
}

static gboolean
insert_run (UpgStore *other, Job *job, GError **error)
{
  UpgStore *self = job->store;
  g_autoptr(GPtrArray) copies = g_ptr_array_new ();
  gint64 parent_id = job->parent_id ? job->parent_id : id_for_token (self, job->parent_token);
  gint64 project_id = job->project_id ? job->project_id : parent_id;
  gint64 after_id = job->after_token ? id_for_token (self, job->after_token) : job->after_id;
  gboolean own = FALSE, ok;

  if ((parent_id == 0 && !job->top) || (job->after_token != 0 && after_id == 0))
    {
      g_set_error_literal (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                           _("What it belongs to could not be saved, so neither could it"));
      return FALSE;
    }
  if (!upg_store_begin_nested (other, &own, error))
    return FALSE;
  ok = insert_tree (other, job->copy, 0, parent_id, project_id, job->stored_position, FALSE, error);
  if (ok && job->middle)
    {
      job->order = g_array_new (FALSE, FALSE, sizeof (gint64));
      ok = other->backend->vt->move (other->backend, job->copy, after_id, job->order, error);
    }
  if (ok && !job->top)
    ok = touch_project (other, project_id, error);
  if (!upg_store_end_nested (other, own, ok, error))
    return FALSE;

  /* What changes made before the ids came back need. */
  collect_tree (job->copy, copies);
  for (guint i = 0; i < copies->len; i++)
    {
      UpgRecord *copy = copies->pdata[i];
      RowKey key = { upg_record_get_entity (copy), upg_record_get_id (copy) };
      gint64 versions[2] = { 0, upg_record_get_row_version (copy) };
      GArray *chain = g_array_new (FALSE, FALSE, sizeof (gint64));

      g_hash_table_insert (self->inserted, GSIZE_TO_POINTER (token_of (copy)),
                           g_memdup2 (&key.id, sizeof key.id));
      g_array_append_vals (chain, versions, 2);
      g_hash_table_insert (self->chains, g_memdup2 (&key, sizeof key), chain);
    }
  return TRUE;
}

static void
insert_done (UpgStore *self, Job *job)
{
  g_autoptr(GPtrArray) copies = g_ptr_array_new ();

  for (guint i = 0; i < job->originals->len; i++)
    g_hash_table_remove (self->inserting, job->originals->pdata[i]);
  if (!job->ok)
    {
      /* Not stored: it goes from the list it was shown in, and the store
       * says why. */
      take_out (job->record);
      g_signal_emit (self, signals[WRITE_FAILED], 0, job->error);
      return;
    }
  collect_tree (job->copy, copies);
  g_assert (copies->len == job->originals->len);
  for (guint i = 0; i < copies->len; i++)
    {
      UpgRecord *record = job->originals->pdata[i];
      UpgRecord *copy = copies->pdata[i];

      upg_record_set_id (record, upg_record_get_id (copy));
      upg_record_set_parent_id (record, upg_record_get_parent_id (copy));
      upg_record_set_project_id (record, upg_record_get_project_id (copy));
      upg_record_set_position (record, upg_record_get_position (copy));
      if (upg_record_get_row_version (record) == 0)
        {
          upg_record_set_row_version (record, upg_record_get_row_version (copy));
          upg_record_set_changed_by (record, upg_record_get_changed_by (copy));
        }
    }
  /* Its stored order among its siblings, which the list shows. */
  if (job->order != NULL)
    take_order (G_LIST_MODEL (upg_record_get_container (job->record)), job->order);
  /* Found by its id from now on (others' changes to it). */
  self->index_stale = TRUE;
}

/* upg_store_insert () for a window on a server: the record is in its list
 * at once, with the records under it, and the thread writes them; a
 * refusal takes it out again and is said through ::write-failed. Changes
 * made to it meanwhile are written after it. */
static gboolean
insert_in_thread (UpgStore *self, UpgRecord *parent, UpgRecord *record, int position)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  GListStore *list = sibling_list (self, parent, entity);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  Job *job = job_new (insert_run, insert_done);

  if (position < 0 || (guint) position > n)
    position = n;
  job->record = g_object_ref (record);
  job->originals = g_ptr_array_new_with_free_func (g_object_unref);
  /* A project has neither parent nor project but itself. */
  job->parent_id = parent != NULL ? upg_record_get_id (parent) : 0;
  job->parent_token = parent != NULL && job->parent_id == 0 ? token_of (parent) : 0;
  job->project_id = parent != NULL ? upg_record_get_project_id (parent) : 0;
  job->top = parent == NULL;
  if (n > 0)
    {
      g_autoptr(UpgRecord) last = g_list_model_get_item (G_LIST_MODEL (list), n - 1);
      job->stored_position = upg_record_get_position (last) + 1;
    }
  upg_record_set_parent_id (record, job->parent_id);
  if (job->project_id != 0)
    upg_record_set_project_id (record, job->project_id);
  upg_record_set_position (record, job->stored_position);
  job->copy = copy_tree (self, record, job->originals);
  for (guint i = 0; i < job->originals->len; i++)
    {
      UpgRecord *original = job->originals->pdata[i];
      const UpgEntity *kind = upg_record_get_entity (original);

      g_object_ref (original);
      g_hash_table_add (self->inserting, original);
      watch_record (self, original);
      /* New: what is under it is all there (nothing to read). */
      for (guint c = 0; kind->children[c] != NULL; c++)
        upg_record_ensure_children (original, kind->children[c]);
    }
  upg_record_set_container (record, list);
  g_list_store_insert (list, position, record);
  /* In the middle: after the record before it. */
  job->middle = (guint) position < n;
  if (job->middle)
    job->after_id = after_previous (G_LIST_MODEL (list), position, &job->after_token);
  push_job (self, job);
  return TRUE;
}

static void
record_notify_cb (UpgRecord  *record,
                  GParamSpec *pspec,
                  UpgStore   *self)
{
  g_autoptr(GError) error = NULL;
  int field;

  field = upg_record_field_from_pspec (record, pspec);
  if (field < 0)
    return;
  if (upg_record_get_quiet_fields (record) & (G_GUINT64_CONSTANT (1) << field))
    {
      upg_record_set_quiet_fields (record, upg_record_get_quiet_fields (record) & ~(G_GUINT64_CONSTANT (1) << field));
      return;
    }
  if (self->reverting > 0 || !saves_changes_of (self, record))
    return;
  if (record == self->batch_record)
    {
      self->batch_fields |= G_GUINT64_CONSTANT (1) << field;
      return;
    }
  if (self->capture == NULL && writes_in_thread (self))
    {
      write_in_thread (self, record, G_GUINT64_CONSTANT (1) << field);
      return;
    }
  if (save_fields (self, record, G_GUINT64_CONSTANT (1) << field, &error))
    return;
  if (self->capture != NULL)
    g_propagate_error (self->capture, g_steal_pointer (&error));
  else
    g_signal_emit (self, signals[WRITE_FAILED], 0, error);
}

gboolean
upg_store_set_value (UpgStore      *self,
                     UpgRecord     *record,
                     guint          field,
                     const GValue  *value,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GError **saved;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);
  g_return_val_if_fail (field < upg_record_get_entity (record)->n_fields, FALSE);

  if (writes_in_thread (self))
    {
      /* Written by the thread; refused later, through ::write-failed. */
      g_object_set_property (G_OBJECT (record), upg_record_field_pspec (record, field)->name, value);
      return TRUE;
    }
  saved = self->capture;
  self->capture = &local_error;
  g_object_set_property (G_OBJECT (record), upg_record_field_pspec (record, field)->name, value);
  self->capture = saved;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

void
upg_store_update_begin (UpgStore  *self,
                        UpgRecord *record)
{
  g_return_if_fail (UPG_IS_STORE (self));
  g_return_if_fail (UPG_IS_RECORD (record));
  g_return_if_fail (self->batch_record == NULL);
  g_return_if_fail (upg_record_get_entity (record)->n_fields <= 64);

  self->batch_record = g_object_ref (record);
  self->batch_fields = 0;
}

gboolean
upg_store_update_end (UpgStore   *self,
                      UpgRecord  *record,
                      GError    **error)
{
  g_autoptr(UpgRecord) batch = NULL;
  guint64 fields;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->batch_record == record, FALSE);

  batch = g_steal_pointer (&self->batch_record);
  fields = self->batch_fields;
  self->batch_fields = 0;
  if (fields == 0 || !saves_changes_of (self, record))
    return TRUE;
  if (writes_in_thread (self))
    {
      /* Refused later, through ::write-failed. */
      write_in_thread (self, record, fields);
      return TRUE;
    }
  return save_fields (self, record, fields, error);
}

/* Writes @record's row (not its children) and gives it its new id: @id,
 * or with 0 one the backend chooses. */
static gboolean
insert_row (UpgStore   *self,
            UpgRecord  *record,
            gint64      id,
            gint64      parent_id,
            gint64      project_id,
            int         position,
            GError    **error)
{
  /* An email template is checked on every write, inserts too (updates
   * check every rule in write_fields). */
  if (upg_record_get_entity (record) == &upg_entity_email_template)
    {
      g_autofree char *where = NULL;
      g_autofree char *message = NULL;

      if (!upg_rules_check_record (record, &where, &message))
        return set_invalid (error, where, message);
    }
  if (!self->backend->vt->insert (self->backend, record, id, parent_id, position, error))
    return FALSE;
  upg_record_set_parent_id (record, parent_id);
  upg_record_set_project_id (record, project_id ? project_id : upg_record_get_id (record));
  upg_record_set_position (record, position);
  return TRUE;
}

/* Writes @record and its loaded children. With @watch, later changes to
 * their properties are saved; without, the records are only a source of
 * rows (an import drops them once written). */
static gboolean
insert_tree (UpgStore   *self,
             UpgRecord  *record,
             gint64      id,
             gint64      parent_id,
             gint64      project_id,
             int         position,
             gboolean    watch,
             GError    **error)
{
  const UpgEntity *entity = upg_record_get_entity (record);

  if (!insert_row (self, record, id, parent_id, project_id, position, error))
    return FALSE;
  if (watch)
    watch_record (self, record);

  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      GListModel *children = upg_record_get_children (record, entity->children[c]);
      guint n = children ? g_list_model_get_n_items (children) : 0;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(UpgRecord) child = g_list_model_get_item (children, i);
          upg_record_set_container (child, G_LIST_STORE (children));
          if (!insert_tree (self, child, 0, upg_record_get_id (record),
                            upg_record_get_project_id (record), i, watch, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The list @record goes into under @parent, and how it is ordered there. */
static GListStore *
sibling_list (UpgStore *self, UpgRecord *parent, const UpgEntity *entity)
{
  if (parent == NULL)
    return G_LIST_STORE (upg_store_get_projects (self));
  return G_LIST_STORE (upg_record_get_children (parent, entity));
}

/* Where the record at @index of @list goes among its stored siblings:
 * after the one before it (0: first); the end of the list is the end,
 * whatever others put there meanwhile. When the one before has no id
 * yet (the thread is inserting it), *@after_token names it. */
static gint64
after_previous (GListModel *list, guint index, guint64 *after_token)
{
  g_autoptr(UpgRecord) previous = NULL;

  if (after_token != NULL)
    *after_token = 0;
  if (index > 0 && index + 1 == g_list_model_get_n_items (list))
    return UPG_BACKEND_LAST;
  if (index == 0)
    return 0;
  previous = g_list_model_get_item (list, index - 1);
  if (upg_record_get_id (previous) == 0 && after_token != NULL)
    *after_token = token_of (previous);
  return upg_record_get_id (previous);
}

/* Puts the stored order of a list's rows (@order: their ids, first
 * first, as a backend's move () gives it) on its records' positions. */
static void
take_order (GListModel *list, GArray *order)
{
  g_autoptr(GHashTable) positions = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < order->len; i++)
    g_hash_table_insert (positions, &g_array_index (order, gint64, i), GUINT_TO_POINTER (i + 1));
  for (guint i = 0, n = list != NULL ? g_list_model_get_n_items (list) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (list, i);
      gint64 id = upg_record_get_id (item);
      guint position = GPOINTER_TO_UINT (g_hash_table_lookup (positions, &id));

      if (position > 0)
        upg_record_set_position (item, position - 1);
    }
}

/* Stores @record (at index @index of @list) after the sibling before it
 * there; the stored positions become 0…n-1 and the list's records take
 * theirs. */
static gboolean
place_after_previous (UpgStore *self, GListStore *list, UpgRecord *record, guint index, GError **error)
{
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!self->backend->vt->move (self->backend, record, after_previous (G_LIST_MODEL (list), index, NULL),
                                order, error))
    return FALSE;
  take_order (G_LIST_MODEL (list), order);
  return TRUE;
}

static gboolean
store_insert (UpgStore   *self,
              UpgRecord  *parent,
              UpgRecord  *record,
              gint64      id,
              int         position,
              gboolean    watch_children,
              GError    **error)
{
  const UpgEntity *entity;
  GListStore *list;
  gboolean own, ok;
  guint n;
  int stored_position;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (parent == NULL || UPG_IS_RECORD (parent), FALSE);
  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);
  g_return_val_if_fail (upg_record_get_id (record) == 0, FALSE);

  entity = upg_record_get_entity (record);
  g_return_val_if_fail ((parent == NULL) == (entity == &upg_entity_project), FALSE);

  if (parent != NULL && upg_record_get_children (parent, entity) == NULL &&
      !upg_store_load_children (self, parent, error))
    return FALSE;
  list = sibling_list (self, parent, entity);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  if (position < 0 || (guint) position > n)
    position = n;

  /* Append after the last stored position; insert in the middle by
   * renumbering the list once the record is in it. */
  if (n == 0)
    stored_position = 0;
  else
    {
      g_autoptr(UpgRecord) last = g_list_model_get_item (G_LIST_MODEL (list), n - 1);
      stored_position = upg_record_get_position (last) + 1;
    }

  if (!upg_store_begin_nested (self, &own, error))
    return FALSE;
  ok = insert_tree (self, record, id, parent ? upg_record_get_id (parent) : 0,
                    parent ? upg_record_get_project_id (parent) : 0, stored_position,
                    watch_children, error);
  if (ok && !watch_children)
    {
      /* The children are rows now; views load them afresh when shown. */
      watch_record (self, record);
      upg_record_unload_children (record);
    }
  if (ok)
    {
      upg_record_set_container (record, list);
      g_list_store_insert (list, position, record);
      if ((guint) position < n)
        ok = place_after_previous (self, list, record, position, error);
    }
  if (ok && parent != NULL)
    ok = touch_project (self, upg_record_get_project_id (parent), error);
  if (!upg_store_end_nested (self, own, ok, error))
    {
      guint found;
      if (g_list_store_find (list, record, &found))
        g_list_store_remove (list, found);
      upg_record_set_id (record, 0);
      return FALSE;
    }
  return TRUE;
}

gboolean
upg_store_insert (UpgStore   *self,
                  UpgRecord  *parent,
                  UpgRecord  *record,
                  int         position,
                  GError    **error)
{
  /* A window on a server: the thread writes it (into a list the window
   * shows: the projects, or a loaded one). */
  if (writes_in_thread (self) && UPG_IS_RECORD (record) && upg_record_get_id (record) == 0 &&
      (parent != NULL ? upg_record_get_children (parent, upg_record_get_entity (record)) != NULL
                      : upg_record_get_entity (record) == &upg_entity_project))
    return insert_in_thread (self, parent, record, position);
  return store_insert (self, parent, record, 0, position, TRUE, error);
}

gboolean
upg_store_insert_project_rows (UpgStore    *self,
                               UpgProject  *project,
                               GError     **error)
{
  return store_insert (self, NULL, UPG_RECORD (project), 0, -1, FALSE, error);
}

gboolean
upg_store_insert_project_rows_at (UpgStore    *self,
                                  UpgProject  *project,
                                  int          position,
                                  GError     **error)
{
  return store_insert (self, NULL, UPG_RECORD (project), 0, position, FALSE, error);
}

gboolean
upg_store_replace_project_rows (UpgStore    *self,
                                UpgProject  *stored,
                                UpgProject  *project,
                                GError     **error)
{
  gint64 id;
  guint index = 0;
  gboolean own, ok;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_PROJECT (stored), FALSE);
  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);

  id = upg_record_get_id (UPG_RECORD (stored));
  if (!g_list_store_find (G_LIST_STORE (upg_store_get_projects (self)), stored, &index))
    index = G_MAXUINT;
  if (!upg_store_begin_nested (self, &own, error))
    return FALSE;
  /* The old rows go (with all they hold), the new ones take the same id. */
  ok = upg_store_delete (self, UPG_RECORD (stored), NULL, error) &&
       store_insert (self, NULL, UPG_RECORD (project), id, index == G_MAXUINT ? -1 : (int) index, FALSE, error);
  return upg_store_end_nested (self, own, ok, error);
}

UpgProject *
upg_store_find_project_by_uid (UpgStore   *self,
                               const char *uid)
{
  GListModel *projects;

  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  projects = upg_store_get_projects (self);
  for (guint i = 0, n = g_list_model_get_n_items (projects); uid != NULL && i < n; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      if (g_strcmp0 (upg_record_get_string (project, UPG_PROJECT_UID), uid) == 0)
        return UPG_PROJECT (g_steal_pointer (&project));
    }
  return NULL;
}

gboolean
upg_store_reload_projects (UpgStore  *self,
                           GError   **error)
{
  g_autoptr(GListStore) old = NULL;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  if (self->projects == NULL)
    return TRUE;
  old = g_steal_pointer (&self->projects);
  if (!load_projects (self, error))
    {
      self->projects = g_steal_pointer (&old);
      return FALSE;
    }
  /* Keep the list views hold: move the fresh rows into it. */
  {
    GListStore *fresh = self->projects;
    guint n = g_list_model_get_n_items (G_LIST_MODEL (fresh));
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < n; i++)
      {
        UpgRecord *row = g_list_model_get_item (G_LIST_MODEL (fresh), i);
        upg_record_set_container (row, old);
        g_ptr_array_add (rows, row);
      }
    g_list_store_splice (old, 0, g_list_model_get_n_items (G_LIST_MODEL (old)), rows->pdata, rows->len);
    g_object_unref (fresh);
    self->projects = g_steal_pointer (&old);
  }
  return TRUE;
}

static Job *place_job (UpgStore *self, UpgRecord *record,
                       gboolean (*run) (UpgStore *, Job *, GError **),
                       void (*done) (UpgStore *, Job *));
static gboolean move_run (UpgStore *other, Job *job, GError **error);
static void move_done (UpgStore *self, Job *job);

gboolean
upg_store_move (UpgStore   *self,
                UpgRecord  *record,
                guint       position,
                GError    **error)
{
  g_autoptr(UpgRecord) keep = NULL;
  GListStore *list;
  guint from, n;
  gboolean own, ok;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);

  list = upg_record_get_container (record);
  g_return_val_if_fail (list != NULL && g_list_store_find (list, record, &from), FALSE);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  position = MIN (position, n - 1);
  if (position == from)
    return TRUE;

  keep = g_object_ref (record);
  g_list_store_remove (list, from);
  g_list_store_insert (list, position, record);

  /* A window on a server: the thread moves it (a refusal puts the list
   * back in the stored order, and is said through ::write-failed). */
  if (writes_in_thread (self) && saves_changes_of (self, record))
    {
      Job *job = place_job (self, record, move_run, move_done);

      job->after_id = after_previous (G_LIST_MODEL (list), position, &job->after_token);
      job->order = g_array_new (FALSE, FALSE, sizeof (gint64));
      push_job (self, job);
      return TRUE;
    }
  if (!upg_store_begin_nested (self, &own, error))
    goto undo;
  ok = place_after_previous (self, list, record, position, error) &&
       touch_project (self, upg_record_get_project_id (record), error);
  if (upg_store_end_nested (self, own, ok, error))
    return TRUE;

undo:
  g_list_store_remove (list, position);
  g_list_store_insert (list, from, record);
  return FALSE;
}

/* A deletion, to put back on Undo: what the backend kept of the rows, and
 * where the record was. */
struct _UpgDeletion {
  gint                    ref_count; /* the caller's, and the thread's jobs' */
  UpgRecord              *record;
  GListStore             *list;      /* where the record was, with a weak pointer */
  guint                   index;
  gboolean                removed;   /* the record is out of its list (main context) */
  const UpgBackendVTable *backend;   /* whose tombstone it is */
  char                   *new_owner; /* whom a member's risks went to (NULL: nobody) */
  /* Written where the rows are (the thread, for a window on a server): */
  UpgTombstone           *tombstone;
  GArray                 *owned;     /* a deleted member's risks (ids), to give back */
  UpgRecord              *cancelled; /* a deleted milestone's calendar entry, to cancel */
};

static UpgDeletion *
deletion_ref (UpgDeletion *undo)
{
  g_atomic_int_inc (&undo->ref_count);
  return undo;
}

void
upg_deletion_free (UpgDeletion *undo)
{
  if (undo == NULL || !g_atomic_int_dec_and_test (&undo->ref_count))
    return;
  if (undo->list != NULL)
    g_object_remove_weak_pointer (G_OBJECT (undo->list), (gpointer *) &undo->list);
  g_clear_object (&undo->record);
  g_clear_object (&undo->cancelled);
  if (undo->tombstone != NULL)
    undo->backend->tombstone_free (undo->tombstone);
  g_clear_pointer (&undo->owned, g_array_unref);
  g_free (undo->new_owner);
  g_free (undo);
}

UpgRecord *
upg_deletion_get_record (UpgDeletion *undo)
{
  g_return_val_if_fail (undo != NULL, NULL);
  return undo->record;
}

static gboolean
collect_ids_cb (UpgRow *row, gpointer data)
{
  gint64 id = upg_row_get_int (row, 0);

  g_array_append_val ((GArray *) data, id);
  return TRUE;
}

static gboolean store_delete (UpgStore *self, UpgRecord *record, const char *new_owner,
                              UpgDeletion **undo, GError **error);

/* A dated milestone that goes leaves its calendar entry to be cancelled
 * (upg_entity_cancelled_milestone), unless it is listed already; in the
 * caller's transaction. *@cancelled gets the new record, if any. */
static gboolean
cancel_calendar_entry (UpgStore   *self,
                       UpgRecord  *milestone,
                       UpgRecord **cancelled,
                       GError    **error)
{
  gint64 project_id = upg_record_get_project_id (milestone);
  /* Not into a thread's lists, which do not follow the plan. */
  UpgRecord *project = self->unwatched ? NULL : loaded_project (self, project_id);
  g_autofree char *project_uid = NULL;
  g_autofree char *calendar_uid = NULL;
  g_autofree char *now = NULL;
  g_autoptr(UpgRecord) record = NULL;
  gint64 listed;

  *cancelled = NULL;
  if (upg_record_get_string (milestone, UPG_MILESTONE_DUE) == NULL)
    return TRUE;
  if (project != NULL)
    project_uid = g_strdup (upg_record_get_string (project, UPG_PROJECT_UID));
  else
    {
      UpgParam id = UPG_PARAM_INT (project_id);

      if (!query (self, "SELECT uid FROM project WHERE id = ?1", &id, 1, first_text_cb, &project_uid, error))
        return FALSE;
      if (project_uid == NULL)
        {
          g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NO_SUCH_PROJECT,
                       _("The milestone’s project is no longer there"));
          return FALSE;
        }
    }
  calendar_uid = upg_milestone_calendar_uid (project_uid, milestone);
  {
    UpgParam params[2] = { UPG_PARAM_TEXT (calendar_uid), UPG_PARAM_INT (project_id) };

    listed = -1;
    if (!query (self, "SELECT count(*) FROM cancelled_milestone WHERE calendar_uid = ?1 AND project_id = ?2",
                params, 2, first_int_cb, &listed, error))
      return FALSE;
    if (listed > 0)
      return TRUE;
  }

  now = upg_clock_now_iso ();
  record = upg_cancelled_milestone_new (project_uid, milestone, now);
  if (project != NULL)
    {
      if (!store_insert (self, project, record, 0, -1, TRUE, error))
        return FALSE;
    }
  else
    {
      UpgParam id = UPG_PARAM_INT (project_id);
      gint64 last = -1;

      if (!query (self, "SELECT coalesce (max (position) + 1, 0) FROM cancelled_milestone WHERE project_id = ?1",
                  &id, 1, first_int_cb, &last, error) ||
          !insert_row (self, record, 0, project_id, project_id, (int) MAX (last, 0), error))
        return FALSE;
    }
  *cancelled = g_steal_pointer (&record);
  return TRUE;
}

/* Takes back what cancel_calendar_entry () added, in the caller's transaction. */
static gboolean
uncancel_calendar_entry (UpgStore   *self,
                         UpgRecord  *cancelled,
                         GError    **error)
{
  UpgParam id = UPG_PARAM_INT (upg_record_get_id (cancelled));

  return query (self, "DELETE FROM cancelled_milestone WHERE id = ?1", &id, 1, NULL, NULL, error);
}

static void
forget_cancelled (UpgRecord *cancelled)
{
  GListStore *list = cancelled ? upg_record_get_container (cancelled) : NULL;
  guint index;

  if (list != NULL && g_list_store_find (list, cancelled, &index))
    g_list_store_remove (list, index);
}

gboolean
upg_store_delete (UpgStore     *self,
                  UpgRecord    *record,
                  UpgDeletion **undo,
                  GError      **error)
{
  return store_delete (self, record, NULL, undo, error);
}

guint
upg_store_count_owned_risks (UpgStore  *self,
                             UpgRecord *member)
{
  UpgRecord *project;
  GListModel *risks;

  g_return_val_if_fail (UPG_IS_STORE (self), 0);
  g_return_val_if_fail (UPG_IS_MEMBER (member), 0);

  /* The loaded risks follow the plan (others' changes too): counted
   * there, a window asks no server. */
  project = loaded_project (self, upg_record_get_project_id (member));
  risks = project != NULL ? upg_record_get_children (project, &upg_entity_risk) : NULL;
  if (risks != NULL)
    {
      guint owned = 0;

      for (guint i = 0, n = g_list_model_get_n_items (risks); i < n; i++)
        {
          g_autoptr(UpgRecord) risk = g_list_model_get_item (risks, i);
          if (g_strcmp0 (upg_record_get_string (risk, UPG_RISK_OWNER), upg_record_get_string (member, UPG_MEMBER_NAME)) == 0)
            owned++;
        }
      return owned;
    }
  {
    UpgParam params[2] = { UPG_PARAM_TEXT (upg_record_get_string (member, UPG_MEMBER_NAME)),
                           UPG_PARAM_INT (upg_record_get_project_id (member)) };
    return MAX (0, query_int (self, "SELECT count(*) FROM risk WHERE owner = ?1 AND project_id = ?2", params, 2));
  }
}

gboolean
upg_store_delete_member (UpgStore     *self,
                         UpgRecord    *member,
                         const char   *new_owner,
                         UpgDeletion **undo,
                         GError      **error)
{
  g_return_val_if_fail (UPG_IS_MEMBER (member), FALSE);
  return store_delete (self, member, new_owner, undo, error);
}

/* Gives the risks of project @project_id with ids @ids to @owner, in the file
 * (in the caller's transaction) or, with @loaded, in the loaded records. */
static gboolean
set_risk_owners (UpgStore *self, gint64 project_id, GArray *ids, const char *owner,
                 gboolean loaded, GError **error)
{
  UpgRecord *project = loaded_project (self, project_id);
  GListModel *risks = project ? upg_record_get_children (project, &upg_entity_risk) : NULL;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      if (!loaded)
        {
          if (!set_risk_owner_row (self, id, owner, error))
            return FALSE;
          continue;
        }
      {
        g_autoptr(UpgRecord) risk = upg_record_list_find (risks, id);
        if (risk != NULL)
          quiet_set_string (self, risk, UPG_RISK_OWNER, owner);
      }
    }
  return TRUE;
}

static UpgDeletion *
deletion_new (UpgStore *self, UpgRecord *record, const char *new_owner)
{
  UpgDeletion *deletion = g_new0 (UpgDeletion, 1);

  deletion->ref_count = 1;
  deletion->record = g_object_ref (record);
  deletion->backend = self->backend->vt;
  deletion->new_owner = g_strdup (new_owner);
  deletion->list = upg_record_get_container (record);
  if (deletion->list != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (deletion->list), (gpointer *) &deletion->list);
      g_list_store_find (deletion->list, record, &deletion->index);
    }
  return deletion;
}

/* Deletes the rows of @record (the loaded record, or the thread's copy
 * of it) in one transaction: a member's risks go to @deletion's new
 * owner, a milestone's calendar entry is cancelled, and with @keep the
 * tombstone Undo needs is kept in @deletion. */
static gboolean
delete_rows (UpgStore    *self,
             UpgRecord   *record,
             UpgDeletion *deletion,
             gboolean     keep,
             GError     **error)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  gint64 project_id = upg_record_get_project_id (record);
  gboolean own, ok = TRUE;

  if (entity == &upg_entity_member)
    {
      const char *name = upg_record_get_string (record, UPG_MEMBER_NAME);
      UpgParam params[2] = { UPG_PARAM_TEXT (name), UPG_PARAM_INT (project_id) };

      if (deletion->new_owner != NULL &&
          (g_strcmp0 (deletion->new_owner, name) == 0 || !is_member (self, project_id, deletion->new_owner)))
        return set_invalid (error, "owner", _("must be the name of another member of the team"));
      deletion->owned = g_array_new (FALSE, FALSE, sizeof (gint64));
      if (!query (self, "SELECT id FROM risk WHERE owner = ?1 AND project_id = ?2 ORDER BY id",
                  params, 2, collect_ids_cb, deletion->owned, error))
        return FALSE;
    }

  if (!upg_store_begin_nested (self, &own, error))
    return FALSE;
  if (deletion->owned != NULL)
    ok = set_risk_owners (self, project_id, deletion->owned, deletion->new_owner, FALSE, error);
  if (ok)
    ok = self->backend->vt->remove (self->backend, record, keep ? &deletion->tombstone : NULL, error);
  if (ok && entity == &upg_entity_milestone)
    ok = cancel_calendar_entry (self, record, &deletion->cancelled, error);
  if (ok && entity != &upg_entity_project)
    ok = touch_project (self, project_id, error);
  if (upg_store_end_nested (self, own, ok, error))
    return TRUE;
  forget_cancelled (deletion->cancelled);
  g_clear_object (&deletion->cancelled);
  return FALSE;
}

/* Puts back the rows @deletion took (@record: the loaded record, or the
 * thread's copy), in one transaction; *@owner_cleared says whether a
 * risk put back lost its owner, who has left the team since. */
static gboolean
restore_rows (UpgStore    *self,
              UpgRecord   *record,
              UpgDeletion *deletion,
              gboolean    *owner_cleared,
              GError     **error)
{
  gint64 project_id = upg_record_get_project_id (record);
  gboolean own, ok;

  *owner_cleared = FALSE;
  if (!upg_store_begin_nested (self, &own, error))
    return FALSE;
  ok = self->backend->vt->restore (self->backend, deletion->tombstone, error);
  if (ok && deletion->owned != NULL)
    ok = set_risk_owners (self, project_id, deletion->owned,
                          upg_record_get_string (record, UPG_MEMBER_NAME), FALSE, error);
  if (ok && upg_record_get_entity (record) == &upg_entity_risk &&
      upg_record_get_string (record, UPG_RISK_OWNER) != NULL &&
      !is_member (self, project_id, upg_record_get_string (record, UPG_RISK_OWNER)))
    {
      ok = set_risk_owner_row (self, upg_record_get_id (record), NULL, error);
      *owner_cleared = ok;
    }
  if (ok && deletion->cancelled != NULL)
    ok = uncancel_calendar_entry (self, deletion->cancelled, error);
  if (ok && upg_record_get_entity (record) != &upg_entity_project)
    ok = touch_project (self, project_id, error);
  if (!upg_store_end_nested (self, own, ok, error))
    return FALSE;
  /* The milestone is back: its calendar entry is not cancelled. */
  forget_cancelled (deletion->cancelled);
  g_clear_object (&deletion->cancelled);
  return TRUE;
}

/* The record leaves its list, or comes back to where it was. */
static void
show_deleted (UpgDeletion *deletion, gboolean deleted)
{
  guint index;

  if (deletion->list != NULL && deleted && g_list_store_find (deletion->list, deletion->record, &index))
    g_list_store_remove (deletion->list, index);
  else if (deletion->list != NULL && !deleted)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (deletion->list));

      g_list_store_insert (deletion->list, MIN (deletion->index, n), deletion->record);
      upg_record_set_container (deletion->record, deletion->list);
    }
  deletion->removed = deleted;
}

/* What the rows' owners are now, on the loaded risks: a deleted member's
 * risks went to the new owner, or (@back) came back to the member. */
static void
show_owners (UpgStore *self, UpgDeletion *deletion, gboolean back)
{
  if (deletion->owned != NULL)
    set_risk_owners (self, upg_record_get_project_id (deletion->record), deletion->owned,
                     back ? upg_record_get_string (deletion->record, UPG_MEMBER_NAME) : deletion->new_owner,
                     TRUE, NULL);
}

/* ---- Deleting, Undo and moving in the thread ----------------------- */

/* A record whose place a job of ours changes: others' changes read
 * meanwhile leave it where the window has put it (apply_changes ()). */
static void
hold_place (UpgStore *self, UpgRecord *record)
{
  g_hash_table_insert (self->placing, record,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->placing, record)) + 1));
}

static void
release_place (UpgStore *self, UpgRecord *record)
{
  guint held = GPOINTER_TO_UINT (g_hash_table_lookup (self->placing, record));

  if (held > 1)
    g_hash_table_insert (self->placing, record, GUINT_TO_POINTER (held - 1));
  else
    g_hash_table_remove (self->placing, record);
}

/* A job (@run, then @done) on @record, which it holds in place meanwhile. */
static Job *
place_job (UpgStore *self,
           UpgRecord *record,
           gboolean (*run) (UpgStore *, Job *, GError **),
           void (*done) (UpgStore *, Job *))
{
  Job *job = job_new (run, done);

  job->record = g_object_ref (record);
  job->copy = copy_for_thread (record);
  job->project_id = upg_record_get_project_id (record);
  hold_place (self, record);
  return job;
}

static gboolean
delete_run (UpgStore *other, Job *job, GError **error)
{
  /* A record whose insert was refused is gone already. */
  if (!resolve_id (job->store, job))
    return TRUE;
  return delete_rows (other, job->copy, job->deletion, job->keep, error);
}

static void
delete_done (UpgStore *self, Job *job)
{
  release_place (self, job->record);
  if (job->skipped)
    return;
  if (job->ok)
    {
      show_owners (self, job->deletion, FALSE);
      return;
    }
  /* Refused: back where it was (unless Undo put it back already), and
   * the store says why. */
  if (job->deletion->removed)
    show_deleted (job->deletion, FALSE);
  g_signal_emit (self, signals[WRITE_FAILED], 0, job->error);
}

static gboolean
undo_run (UpgStore *other, Job *job, GError **error)
{
  /* The delete was refused (or skipped): nothing to put back. */
  if (job->deletion->tombstone == NULL || !resolve_id (job->store, job))
    {
      job->skipped = TRUE;
      return TRUE;
    }
  return restore_rows (other, job->copy, job->deletion, &job->owner_cleared, error);
}

static void
undo_done (UpgStore *self, Job *job)
{
  release_place (self, job->record);
  if (job->skipped)
    return;
  if (job->ok)
    {
      if (job->owner_cleared)
        quiet_set_string (self, job->record, UPG_RISK_OWNER, NULL);
      show_owners (self, job->deletion, TRUE);
      return;
    }
  if (!job->deletion->removed)
    show_deleted (job->deletion, TRUE);
  g_signal_emit (self, signals[WRITE_FAILED], 0, job->error);
}

static gboolean
move_run (UpgStore *other, Job *job, GError **error)
{
  gint64 after_id = job->after_token != 0 ? id_for_token (job->store, job->after_token) : job->after_id;
  gboolean own, ok;

  /* It, or the record it went after, was refused: the list goes back to
   * the stored order. */
  if (!resolve_id (job->store, job) || (job->after_token != 0 && after_id == 0))
    {
      job->skipped = TRUE;
      return TRUE;
    }
  if (!upg_store_begin_nested (other, &own, error))
    return FALSE;
  ok = other->backend->vt->move (other->backend, job->copy, after_id, job->order, error) &&
       touch_project (other, job->project_id, error);
  return upg_store_end_nested (other, own, ok, error);
}

/* Whether a job of ours is moving (or deleting, or putting back) a record
 * of @list. */
static gboolean
list_held (UpgStore *self, GListStore *list)
{
  GHashTableIter iter;
  gpointer record;

  g_hash_table_iter_init (&iter, self->placing);
  while (g_hash_table_iter_next (&iter, &record, NULL))
    if (upg_record_get_container (record) == list)
      return TRUE;
  return FALSE;
}

static void
move_done (UpgStore *self, Job *job)
{
  GListStore *list = upg_record_get_container (job->record);

  release_place (self, job->record);
  if (job->ok && !job->skipped)
    take_order (G_LIST_MODEL (list), job->order);
  else if (!job->ok)
    g_signal_emit (self, signals[WRITE_FAILED], 0, job->error);
  /* The list shows the stored order (a refused move: the one before it)
   * once no move of ours in it is on its way. */
  if (list != NULL && !list_held (self, list) && !in_position_order (G_LIST_MODEL (list)))
    g_list_store_sort (list, compare_position, NULL);
}

static gboolean
store_delete (UpgStore     *self,
              UpgRecord    *record,
              const char   *new_owner,
              UpgDeletion **undo,
              GError      **error)
{
  g_autoptr(UpgDeletion) deletion = NULL;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);

  deletion = deletion_new (self, record, new_owner);
  /* A window on a server: it goes at once, and the thread deletes it (a
   * refusal puts it back, and is said through ::write-failed). */
  if (writes_in_thread (self) && saves_changes_of (self, record))
    {
      Job *job = place_job (self, record, delete_run, delete_done);

      job->deletion = deletion_ref (deletion);
      job->keep = undo != NULL;
      show_deleted (deletion, TRUE);
      push_job (self, job);
    }
  else
    {
      if (!delete_rows (self, record, deletion, undo != NULL, error))
        return FALSE;
      show_owners (self, deletion, FALSE);
      show_deleted (deletion, TRUE);
    }
  if (undo != NULL)
    *undo = g_steal_pointer (&deletion);
  return TRUE;
}

gboolean
upg_store_undo_delete (UpgStore     *self,
                       UpgDeletion  *undo,
                       GError      **error)
{
  gboolean owner_cleared;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);
  g_return_val_if_fail (undo->backend == self->backend->vt, FALSE);

  /* Back already: its delete was refused. */
  if (!undo->removed)
    return TRUE;
  if (writes_in_thread (self))
    {
      Job *job = place_job (self, undo->record, undo_run, undo_done);

      job->deletion = deletion_ref (undo);
      show_deleted (undo, FALSE);
      push_job (self, job);
      return TRUE;
    }
  g_return_val_if_fail (undo->tombstone != NULL, FALSE);
  if (!restore_rows (self, undo->record, undo, &owner_cleared, error))
    return FALSE;
  if (owner_cleared)
    quiet_set_string (self, undo->record, UPG_RISK_OWNER, NULL);
  show_owners (self, undo, TRUE);
  show_deleted (undo, FALSE);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Odds and ends                                                       */

gboolean
upg_store_read_meta (UpgStore    *self,
                     const char  *key,
                     char       **value,
                     GError     **error)
{
  UpgParam param = UPG_PARAM_TEXT (key);

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  *value = NULL;
  return query (self, "SELECT value FROM meta WHERE key = ?1", &param, 1, first_text_cb, value, error);
}

char *
upg_store_get_meta (UpgStore   *self,
                    const char *key)
{
  char *value = NULL;
  upg_store_read_meta (self, key, &value, NULL);
  return value;
}

gboolean
upg_store_set_meta (UpgStore    *self,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  UpgParam params[2] = { UPG_PARAM_TEXT (key), UPG_PARAM_TEXT (value) };
  gboolean own, ok;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  if (!upg_store_begin_nested (self, &own, error))
    return FALSE;
  /* The same SQL for both backends (PostgreSQL and SQLite both upsert). */
  if (value == NULL)
    ok = query (self, "DELETE FROM meta WHERE key = ?1", params, 1, NULL, NULL, error);
  else
    ok = query (self, "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", params, 2, NULL, NULL, error);
  return upg_store_end_nested (self, own, ok, error);
}

gboolean
upg_store_check (UpgStore   *self,
                 char      **report,
                 GError    **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  return self->backend->vt->check (self->backend, report, error);
}

static gboolean
collect_texts_cb (UpgRow *row, gpointer data)
{
  g_ptr_array_add (data, g_strdup (upg_row_get_text (row, 0)));
  return TRUE;
}

GPtrArray *
upg_store_find_build_id (UpgStore   *self,
                         const char *build_id,
                         gint64      except_project)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  UpgParam params[2] = { UPG_PARAM_TEXT (build_id), UPG_PARAM_INT (except_project) };

  g_return_val_if_fail (UPG_IS_STORE (self), names);
  if (build_id == NULL || *build_id == '\0')
    return names;
  /* The project list follows the plan (a window's, others' changes too):
   * looked up there, a window asks no server. */
  if (self->projects != NULL)
    {
      for (guint i = 0, n = g_list_model_get_n_items (G_LIST_MODEL (self->projects)); i < n; i++)
        {
          g_autoptr(UpgRecord) project = g_list_model_get_item (G_LIST_MODEL (self->projects), i);

          if (upg_record_get_id (project) != except_project &&
              g_strcmp0 (upg_record_get_string (project, UPG_PROJECT_BUILD_ID), build_id) == 0)
            g_ptr_array_add (names, g_strdup (upg_record_get_string (project, UPG_PROJECT_NAME)));
        }
      return names;
    }
  query (self, "SELECT name FROM project WHERE build_id = ?1 AND id != ?2 ORDER BY position, id",
         params, 2, collect_texts_cb, names, NULL);
  return names;
}

void
upg_check_event_free (UpgCheckEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->action);
  g_free (event->actor);
  g_free (event->at);
  g_free (event->reason);
  g_free (event->role);
  g_free (event);
}

gboolean
upg_store_add_check_event (UpgStore    *self,
                           UpgRecord   *step,
                           const char  *action,
                           const char  *actor,
                           const char  *at,
                           const char  *reason,
                           GError     **error)
{
  g_autoptr(UpgRecord) event = NULL;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), FALSE);

  event = upg_record_new (&upg_entity_sop_event);
  upg_record_set_string (event, UPG_SOP_EVENT_ACTION, action);
  upg_record_set_string (event, UPG_SOP_EVENT_BY, actor);
  upg_record_set_string (event, UPG_SOP_EVENT_AT, at);
  upg_record_set_string (event, UPG_SOP_EVENT_NOTE, reason ? reason : "");
  return upg_store_insert (self, step, event, -1, error);
}

GPtrArray *
upg_store_list_check_events (UpgStore   *self,
                             UpgRecord  *step,
                             GError    **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_check_event_free);
  GListModel *history;

  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), NULL);

  history = upg_record_get_children (step, &upg_entity_sop_event);
  if (history == NULL)
    {
      if (!upg_store_load_children (self, step, error))
        return NULL;
      history = upg_record_get_children (step, &upg_entity_sop_event);
    }
  for (guint i = 0, n = g_list_model_get_n_items (history); i < n; i++)
    {
      g_autoptr(UpgRecord) record = g_list_model_get_item (history, i);
      UpgCheckEvent *event = g_new0 (UpgCheckEvent, 1);

      event->action = g_strdup (upg_record_get_string (record, UPG_SOP_EVENT_ACTION));
      event->actor = g_strdup (upg_record_get_string (record, UPG_SOP_EVENT_BY));
      event->at = g_strdup (upg_record_get_string (record, UPG_SOP_EVENT_AT));
      event->reason = g_strdup (upg_record_get_string (record, UPG_SOP_EVENT_NOTE));
      event->role = g_strdup (upg_record_get_changed_by (record));
      g_ptr_array_add (events, event);
    }
  return g_steal_pointer (&events);
}

typedef struct {
  gboolean *exists;
  char    **value;
} ReadText;

static gboolean
read_text_cb (UpgRow *row, gpointer data)
{
  ReadText *read = data;

  *read->exists = TRUE;
  *read->value = g_strdup (upg_row_get_text (row, 0));
  return FALSE;
}

gboolean
upg_store_read_text (UpgStore   *self,
                     UpgRecord  *record,
                     guint       field,
                     gboolean   *exists,
                     char      **value,
                     GError    **error)
{
  const UpgEntity *entity;
  g_autofree char *sql = NULL;
  UpgParam id;
  ReadText read = { exists, value };

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);
  entity = upg_record_get_entity (record);
  g_return_val_if_fail (field < entity->n_fields, FALSE);

  *exists = FALSE;
  *value = NULL;
  sql = g_strdup_printf ("SELECT \"%s\" FROM \"%s\" WHERE id = ?1", entity->fields[field].name, entity->table);
  id = UPG_PARAM_INT (upg_record_get_id (record));
  return query (self, sql, &id, 1, read_text_cb, &read, error);
}

void
upg_step_state_free (UpgStepState *state)
{
  if (state == NULL)
    return;
  g_free (state->checked_at);
  g_free (state->checked_by);
  upg_check_event_free (state->last_mark);
  g_free (state->time_zone);
  g_free (state);
}

static char *
column_text (UpgRow *row, int column)
{
  return g_strdup (upg_row_get_text (row, column));
}

static gboolean
step_row_cb (UpgRow *row, gpointer data)
{
  UpgStepState *state = data;

  state->exists = TRUE;
  state->checked_at = column_text (row, 0);
  state->checked_by = column_text (row, 1);
  state->time_zone = column_text (row, 2);
  state->number = (guint) upg_row_get_int (row, 3) + 1;
  return FALSE;
}

static gboolean
last_mark_cb (UpgRow *row, gpointer data)
{
  UpgStepState *state = data;

  state->last_mark = g_new0 (UpgCheckEvent, 1);
  state->last_mark->action = column_text (row, 0);
  state->last_mark->actor = column_text (row, 1);
  state->last_mark->at = column_text (row, 2);
  state->last_mark->reason = column_text (row, 3);
  return FALSE;
}

UpgStepState *
upg_store_read_step_state (UpgStore   *self,
                           UpgRecord  *step,
                           GError    **error)
{
  g_autoptr(UpgStepState) state = g_new0 (UpgStepState, 1);
  UpgParam id;

  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), NULL);

  id = UPG_PARAM_INT (upg_record_get_id (step));
  /* Inside a write transaction, nobody else changes the step before it
   * ends (a server waits here for another person's check to commit). */
  if (self->backend->vt->in_transaction (self->backend) &&
      !self->backend->vt->lock (self->backend, step, error))
    return NULL;
  if (!query (self,
              "SELECT s.checked_at, s.checked_by, p.time_zone,"
              " (SELECT count(*) FROM sop_step o WHERE o.project_id = s.project_id"
              "   AND (o.position < s.position OR (o.position = s.position AND o.id < s.id)))"
              " FROM sop_step s JOIN project p ON p.id = s.project_id WHERE s.id = ?1",
              &id, 1, step_row_cb, state, error))
    return NULL;
  if (!state->exists)
    return g_steal_pointer (&state);
  /* The stored row's version, under the lock: what matches () hands on. */
  if (self->backend->vt->in_transaction (self->backend))
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

      gint64 step_id = upg_record_get_id (step);

      if (!self->backend->vt->select (self->backend, &upg_entity_sop_step, 0, &step_id, 1,
                                      upg_record_get_project_id (step), rows, error))
        return NULL;
      if (rows->len > 0)
        state->row_version = upg_record_get_row_version (rows->pdata[0]);
    }

  if (!query (self,
              "SELECT action, \"by\", at, note FROM sop_event"
              " WHERE step_id = ?1 AND action != 'skip' ORDER BY position DESC, id DESC LIMIT 1",
              &id, 1, last_mark_cb, state, error))
    return NULL;
  return g_steal_pointer (&state);
}

gboolean
upg_step_state_matches (UpgStepState *state,
                        UpgRecord    *step)
{
  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), FALSE);

  if (!state->exists ||
      g_strcmp0 (state->checked_at, upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT)) != 0 ||
      g_strcmp0 (state->checked_by, upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY)) != 0)
    return FALSE;
  if (state->row_version != 0)
    upg_record_set_row_version (step, state->row_version);
  return TRUE;
}

void
upg_store_refresh_fields (UpgStore  *self,
                          UpgRecord *record)
{
  const UpgEntity *entity;

  g_return_if_fail (UPG_IS_STORE (self));
  g_return_if_fail (UPG_IS_RECORD (record));

  entity = upg_record_get_entity (record);
  for (guint i = 0; i < entity->n_fields; i++)
    revert_field (self, record, i);
}

gboolean
upg_store_refresh_record (UpgStore   *self,
                          UpgRecord  *record,
                          GError    **error)
{
  const UpgEntity *entity;
  gboolean gone;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);

  entity = upg_record_get_entity (record);
  if (!refresh_row (self, record, &gone, error))
    return FALSE;
  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      GListModel *list = upg_record_get_children (record, entity->children[c]);
      g_autoptr(GPtrArray) rows = NULL;

      if (list == NULL)
        continue;
      rows = read_child_rows (self, record, entity->children[c], error);
      if (rows == NULL)
        return FALSE;
      for (guint i = 0; i < rows->len; i++)
        upg_record_set_container (rows->pdata[i], G_LIST_STORE (list));
      g_list_store_splice (G_LIST_STORE (list), 0, g_list_model_get_n_items (list), rows->pdata, rows->len);
    }
  return TRUE;
}
