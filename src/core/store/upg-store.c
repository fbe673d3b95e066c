/* upg-store.c — the operations on a plan file: loading records, inserting,
 * moving and deleting them (with Undo), saving a changed field, metadata
 * and the SOP check log. Opening, sniffing, backing up and migrating the
 * file is upg-store-sqlite.c; mapping records to rows is upg-store-rows.c.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "upg-store.h"
#include "upg-store-private.h"
#include "upg-clock.h"
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
static const struct {
  const char *parent;
  const char *child;
  const char *column;
} dependents[] = {
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
/* ------------------------------------------------------------------ */
/* Opening                                                             */

static void
upg_store_finalize (GObject *object)
{
  UpgStore *self = UPG_STORE (object);

  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_object (&self->projects);
  g_clear_pointer (&self->inserts, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

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
   * objects). Only while upg_store_watch_external_changes() is on.
   */
  signals[CHANGED_EXTERNALLY] =
    g_signal_new ("changed-externally", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
upg_store_init (UpgStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  self->inserts = g_hash_table_new (NULL, NULL);
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
  g_signal_connect_data (record, "notify", G_CALLBACK (shared_notify_cb),
                         upg_shared_ref (G_OBJECT (self)), shared_release, 0);
}

static UpgRecord *
record_from_row (UpgStore *self, const UpgEntity *entity, sqlite3_stmt *stmt, gint64 project_id)
{
  UpgRecord *record = upg_store_record_from_row (entity, stmt, project_id);

  watch_record (self, record);
  return record;
}

static GPtrArray *
read_project_rows (UpgStore *self, GError **error)
{
  g_autofree char *sql = upg_store_select_sql (&upg_entity_project, "ORDER BY position, id");
  sqlite3_stmt *stmt = upg_store_get_statement (self, sql, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, record_from_row (self, &upg_entity_project, stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      upg_store_set_sqlite_error (self, self->db, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
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

static int
query_data_version (UpgStore *self)
{
  int version = -1;
  upg_store_query_int (self->db, "PRAGMA data_version", &version);
  return version;
}

static gboolean
watch_cb (gpointer data)
{
  UpgStore *self = data;
  g_autoptr(GError) error = NULL;
  int version;

  /* Not in the middle of a transaction of ours. */
  if (!sqlite3_get_autocommit (self->db))
    return G_SOURCE_CONTINUE;
  version = query_data_version (self);
  if (version == self->data_version)
    return G_SOURCE_CONTINUE;
  self->data_version = version;
  if (!upg_store_reload (self, &error))
    {
      g_signal_emit (self, signals[WRITE_FAILED], 0, error);
      return G_SOURCE_CONTINUE;
    }
  g_signal_emit (self, signals[CHANGED_EXTERNALLY], 0);
  return G_SOURCE_CONTINUE;
}

void
upg_store_watch_external_changes (UpgStore *self,
                                  guint     interval_ms)
{
  g_return_if_fail (UPG_IS_STORE (self));

  g_clear_handle_id (&self->watch_id, g_source_remove);
  if (interval_ms == 0)
    return;
  self->data_version = query_data_version (self);
  self->watch_id = g_timeout_add (interval_ms, watch_cb, self);
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
  int n = 0;
  g_return_val_if_fail (UPG_IS_STORE (self), -1);
  if (upg_store_query_int (self->db, "SELECT count(*) FROM project", &n) != SQLITE_OK)
    return -1;
  return n;
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
static GPtrArray *
read_child_rows (UpgStore *self, UpgRecord *record, const UpgEntity *child, GError **error)
{
  g_autofree char *where = g_strdup_printf ("WHERE %s = ?1 ORDER BY position, id", child->parent_column);
  g_autofree char *sql = upg_store_select_sql (child, where);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  stmt = upg_store_get_statement (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, upg_record_get_id (record));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, record_from_row (self, child, stmt, upg_record_get_project_id (record)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      upg_store_set_sqlite_error (self, self->db, error);
      return NULL;
    }
  for (guint i = 0; i < rows->len; i++)
    if (child->children[0] != NULL && !upg_store_load_children (self, rows->pdata[i], error))
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

static gboolean
touch_project (UpgStore *self, gint64 project_id, GError **error)
{
  g_autofree char *now = upg_timestamp_now ();
  UpgRecord *project = loaded_project (self, project_id);
  sqlite3_stmt *stmt;

  /* Through the project object when it is loaded, so views see the change. */
  if (project != NULL)
    {
      upg_record_set_string (project, UPG_PROJECT_UPDATED_AT, now);
      return TRUE;
    }
  stmt = upg_store_get_statement (self, "UPDATE project SET updated_at = ?1 WHERE id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, project_id);
  return upg_store_step_done (self, stmt, error);
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
  sqlite3_stmt *stmt = upg_store_get_statement (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, b, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, id);
  return upg_store_step_done (self, stmt, error);
}

static gint64
count_bound (UpgStore *self, const char *sql, const char *a, const char *b, gint64 id, gint64 id2)
{
  sqlite3_stmt *stmt = upg_store_get_statement (self, sql, NULL);
  gint64 count = -1;
  int n;

  if (stmt == NULL)
    return -1;
  /* @sql names the parameters it needs, up to ?4; those beyond the
   * last it names are not bound. */
  n = sqlite3_bind_parameter_count (stmt);
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
  if (n >= 2)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_STATIC);
  if (n >= 3)
    sqlite3_bind_int64 (stmt, 3, id);
  if (n >= 4)
    sqlite3_bind_int64 (stmt, 4, id2);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

/* Whether the team of project @project_id has a member named @name. */
static gboolean
is_member (UpgStore *self, gint64 project_id, const char *name)
{
  sqlite3_stmt *stmt = upg_store_get_statement (self, "SELECT 1 FROM member WHERE project_id = ?1 AND name = ?2", NULL);
  gboolean found;

  if (stmt == NULL || name == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, project_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/* Sets the owner of risk @id (NULL: nobody), in the file. */
static gboolean
set_risk_owner_row (UpgStore *self, gint64 id, const char *owner, GError **error)
{
  sqlite3_stmt *stmt = upg_store_get_statement (self, "UPDATE risk SET owner = ?1 WHERE id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, owner, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  return upg_store_step_done (self, stmt, error);
}

/* The stored text of @column of @record's row (NULL for NULL). */
static char *
stored_text (UpgStore *self, UpgRecord *record, const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT \"%s\" FROM \"%s\" WHERE id = ?1", column,
                                          upg_record_get_entity (record)->table);
  sqlite3_stmt *stmt = upg_store_get_statement (self, sql, NULL);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, upg_record_get_id (record));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

/* Sets a field as the store's own doing: no write of its own follows. */
static void
quiet_set (UpgStore *self, UpgRecord *record, guint field, const GValue *value)
{
  self->reverting++;
  g_object_set_property (G_OBJECT (record), upg_record_field_pspec (record, field)->name, value);
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

/* Puts the stored value of @field back on @record, so views show it. */
static void
revert_field (UpgStore *self, UpgRecord *record, guint field)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  g_autofree char *sql = g_strdup_printf ("SELECT \"%s\" FROM \"%s\" WHERE id = ?1",
                                          entity->fields[field].name, entity->table);
  sqlite3_stmt *stmt = upg_store_get_statement (self, sql, NULL);
  g_autoptr(UpgRecord) scratch = upg_record_new (entity);
  GValue value = G_VALUE_INIT;

  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, upg_record_get_id (record));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      upg_store_read_field (stmt, 0, scratch, field);
      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (upg_record_field_pspec (record, field)));
      g_object_get_property (G_OBJECT (scratch), upg_record_field_pspec (record, field)->name, &value);
      sqlite3_reset (stmt);
      quiet_set (self, record, field, &value);
      g_value_unset (&value);
    }
  else
    sqlite3_reset (stmt);
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
  GString *sql;
  sqlite3_stmt *stmt;
  guint col;
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
  if (entity == &upg_entity_email_template &&
      count_bound (self, "SELECT count(*) FROM email_template WHERE moment = ?1 AND language = ?2 AND project_id = ?3 AND id != ?4",
                   upg_record_get_string (record, UPG_EMAIL_TEMPLATE_MOMENT),
                   upg_record_get_string (record, UPG_EMAIL_TEMPLATE_LANGUAGE), project_id, id) > 0)
    return set_invalid (error, "moment", _("the project already has its own template for this moment and language"));
  if (entity == &upg_entity_project && (fields & (1 << UPG_PROJECT_UID)) &&
      count_bound (self, "SELECT count(*) FROM project WHERE uid = ?1 AND id != ?3",
                   upg_record_get_string (record, UPG_PROJECT_UID), NULL, id, 0) > 0)
    return set_invalid (error, "uid", _("must be unique: another project in the file has it"));

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
  sql = g_string_new (NULL);
  g_string_append_printf (sql, "UPDATE \"%s\" SET ", entity->table);
  col = 0;
  for (guint i = 0; i < entity->n_fields; i++)
    if (fields & (G_GUINT64_CONSTANT (1) << i))
      {
        g_string_append_printf (sql, "%s\"%s\" = ?%u", col ? ", " : "", entity->fields[i].name, col + 2);
        col++;
      }
  g_string_append (sql, " WHERE id = ?1");
  stmt = upg_store_get_statement (self, sql->str, error);
  g_string_free (sql, TRUE);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  col = 2;
  for (guint i = 0; i < entity->n_fields; i++)
    if (fields & (G_GUINT64_CONSTANT (1) << i))
      upg_store_bind_field (stmt, col++, record, i);
  if (!upg_store_step_done (self, stmt, error))
    return FALSE;

  if (entity == &upg_entity_project && fields == (G_GUINT64_CONSTANT (1) << UPG_PROJECT_UPDATED_AT))
    return TRUE;
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
  guint64 touched = fields;
  gboolean own = FALSE, ok;

  ok = upg_store_begin_nested (self, &own, error);
  if (ok)
    {
      ok = write_fields (self, record, fields, renames, error);
      ok = upg_store_end_nested (self, own, ok, ok ? error : NULL);
    }
  if (!ok)
    {
      /* Everything this write may have set, as the file has it. */
      if (entity == &upg_entity_milestone)
        touched |= 1 << UPG_MILESTONE_ROLLOUT_PERCENT;
      if (entity == &upg_entity_project)
        touched |= G_GUINT64_CONSTANT (1) << UPG_PROJECT_CALENDAR_SEQUENCE;
      for (guint i = 0; i < entity->n_fields; i++)
        if (touched & (G_GUINT64_CONSTANT (1) << i))
          revert_field (self, record, i);
      return FALSE;
    }
  apply_renames (self, record, renames);
  return TRUE;
}

static void
record_notify_cb (UpgRecord  *record,
                  GParamSpec *pspec,
                  UpgStore   *self)
{
  g_autoptr(GError) error = NULL;
  int field;

  if (self->reverting > 0 || upg_record_get_id (record) == 0)
    return;
  field = upg_record_field_from_pspec (record, pspec);
  if (field < 0)
    return;
  if (record == self->batch_record)
    {
      self->batch_fields |= G_GUINT64_CONSTANT (1) << field;
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
  if (fields == 0 || upg_record_get_id (record) == 0)
    return TRUE;
  return save_fields (self, record, fields, error);
}

/* The INSERT for @entity's rows, prepared once a store (the statements
 * themselves live in self->statements and are finalized with it). */
static sqlite3_stmt *
insert_statement (UpgStore *self, const UpgEntity *entity, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->inserts, entity);

  if (stmt == NULL)
    {
      g_autofree char *sql = upg_store_insert_sql (entity);
      stmt = upg_store_get_statement (self, sql, error);
      if (stmt == NULL)
        return NULL;
      g_hash_table_insert (self->inserts, (gpointer) entity, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

/* Writes @record's row (not its children) and gives it its new id: @id,
 * or with 0 one SQLite chooses. */
static gboolean
insert_row (UpgStore   *self,
            UpgRecord  *record,
            gint64      id,
            gint64      parent_id,
            gint64      project_id,
            int         position,
            GError    **error)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  sqlite3_stmt *stmt = insert_statement (self, entity, error);
  int col = 1;

  if (stmt == NULL)
    return FALSE;
  /* An email template is checked on every write, inserts too (updates
   * check every rule in write_fields). */
  if (entity == &upg_entity_email_template)
    {
      g_autofree char *where = NULL;
      g_autofree char *message = NULL;

      if (!upg_rules_check_record (record, &where, &message))
        return set_invalid (error, where, message);
    }
  if (id != 0)
    sqlite3_bind_int64 (stmt, col, id);
  col++;
  sqlite3_bind_int (stmt, col++, position);
  if (upg_record_get_extensions (record))
    sqlite3_bind_text (stmt, col, upg_record_get_extensions (record), -1, SQLITE_STATIC);
  col++;
  if (entity->parent_column)
    sqlite3_bind_int64 (stmt, col++, parent_id);
  for (guint i = 0; i < entity->n_fields; i++)
    upg_store_bind_field (stmt, col++, record, i);
  if (!upg_store_step_done (self, stmt, error))
    return FALSE;

  upg_record_set_id (record, sqlite3_last_insert_rowid (self->db));
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

/* Rewrites the positions of a list's records to 0…n-1, in list order. */
static gboolean
renumber (UpgStore *self, GListStore *list, GError **error)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) record = g_list_model_get_item (G_LIST_MODEL (list), i);
      const UpgEntity *entity = upg_record_get_entity (record);
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;

      if (upg_record_get_position (record) == (int) i)
        continue;
      sql = g_strdup_printf ("UPDATE \"%s\" SET position = ?1 WHERE id = ?2", entity->table);
      stmt = upg_store_get_statement (self, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, i);
      sqlite3_bind_int64 (stmt, 2, upg_record_get_id (record));
      if (!upg_store_step_done (self, stmt, error))
        return FALSE;
      upg_record_set_position (record, i);
    }
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
        ok = renumber (self, list, error);
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

  if (!upg_store_begin_nested (self, &own, error))
    goto undo;
  ok = renumber (self, list, error) &&
       touch_project (self, upg_record_get_project_id (record), error);
  if (upg_store_end_nested (self, own, ok, error))
    return TRUE;

undo:
  g_list_store_remove (list, position);
  g_list_store_insert (list, from, record);
  return FALSE;
}

/* A deleted subtree, row by row, parents first, to put back on Undo. */
typedef struct {
  char           *table;
  GPtrArray      *columns;   /* char * */
  GPtrArray      *values;    /* sqlite3_value * */
} SavedRow;

struct _UpgDeletion {
  UpgRecord  *record;
  GListStore *list;          /* where the record was, with a weak pointer */
  guint       index;
  GPtrArray  *rows;          /* SavedRow */
  GArray     *owned;         /* a deleted member's risks (ids), to give back */
  char       *new_owner;     /* whom they went to (NULL: nobody) */
  UpgRecord  *cancelled;     /* a deleted milestone's calendar entry, to cancel */
};

static void
saved_row_free (SavedRow *row)
{
  g_free (row->table);
  g_ptr_array_unref (row->columns);
  g_ptr_array_unref (row->values);
  g_free (row);
}

void
upg_deletion_free (UpgDeletion *undo)
{
  if (undo == NULL)
    return;
  if (undo->list != NULL)
    g_object_remove_weak_pointer (G_OBJECT (undo->list), (gpointer *) &undo->list);
  g_clear_object (&undo->record);
  g_clear_object (&undo->cancelled);
  g_ptr_array_unref (undo->rows);
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
save_rows (UpgStore    *self,
           const char  *table,
           const char  *column,
           gint64       value,
           GPtrArray   *rows,
           GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" WHERE \"%s\" = ?1 ORDER BY id", table, column);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = upg_store_get_statement (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, value);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SavedRow *row = g_new0 (SavedRow, 1);
      int n = sqlite3_column_count (stmt);

      row->table = g_strdup (table);
      row->columns = g_ptr_array_new_with_free_func (g_free);
      row->values = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);
      for (int i = 0; i < n; i++)
        {
          g_ptr_array_add (row->columns, g_strdup (sqlite3_column_name (stmt, i)));
          g_ptr_array_add (row->values, sqlite3_value_dup (sqlite3_column_value (stmt, i)));
          if (strcmp (sqlite3_column_name (stmt, i), "id") == 0)
            g_array_append_val (ids, (gint64) { sqlite3_column_int64 (stmt, i) });
        }
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return upg_store_set_sqlite_error (self, self->db, error);

  for (guint i = 0; i < ids->len; i++)
    for (guint d = 0; d < G_N_ELEMENTS (dependents); d++)
      if (strcmp (dependents[d].parent, table) == 0 &&
          !save_rows (self, dependents[d].child, dependents[d].column,
                      g_array_index (ids, gint64, i), rows, error))
        return FALSE;
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
  UpgRecord *project = loaded_project (self, project_id);
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
      sqlite3_stmt *stmt = upg_store_get_statement (self, "SELECT uid FROM project WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, project_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        project_uid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (project_uid == NULL)
        return upg_store_set_sqlite_error (self, self->db, error);
    }
  calendar_uid = upg_milestone_calendar_uid (project_uid, milestone);
  listed = count_bound (self, "SELECT count(*) FROM cancelled_milestone WHERE calendar_uid = ?1 AND project_id = ?3",
                        calendar_uid, NULL, project_id, 0);
  if (listed < 0)
    return upg_store_set_sqlite_error (self, self->db, error);
  if (listed > 0)
    return TRUE;

  now = upg_clock_now_iso ();
  record = upg_cancelled_milestone_new (project_uid, milestone, now);
  if (project != NULL)
    {
      if (!store_insert (self, project, record, 0, -1, TRUE, error))
        return FALSE;
    }
  else
    {
      gint64 last = count_bound (self, "SELECT coalesce (max (position) + 1, 0) FROM cancelled_milestone WHERE project_id = ?3",
                                 NULL, NULL, project_id, 0);
      if (last < 0 || !insert_row (self, record, 0, project_id, project_id, (int) last, error))
        return last < 0 ? upg_store_set_sqlite_error (self, self->db, error) : FALSE;
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
  sqlite3_stmt *stmt = upg_store_get_statement (self, "DELETE FROM cancelled_milestone WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, upg_record_get_id (cancelled));
  return upg_store_step_done (self, stmt, error);
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
  g_return_val_if_fail (UPG_IS_STORE (self), 0);
  g_return_val_if_fail (UPG_IS_MEMBER (member), 0);
  return MAX (0, count_bound (self, "SELECT count(*) FROM risk WHERE owner = ?1 AND project_id = ?3",
                              upg_record_get_string (member, UPG_MEMBER_NAME), NULL,
                              upg_record_get_project_id (member), 0));
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

static gboolean
store_delete (UpgStore     *self,
              UpgRecord    *record,
              const char   *new_owner,
              UpgDeletion **undo,
              GError      **error)
{
  g_autoptr(UpgDeletion) deletion = NULL;
  const UpgEntity *entity;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean own, ok;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);

  entity = upg_record_get_entity (record);
  deletion = g_new0 (UpgDeletion, 1);
  deletion->record = g_object_ref (record);
  deletion->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) saved_row_free);
  deletion->list = upg_record_get_container (record);
  if (deletion->list != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (deletion->list), (gpointer *) &deletion->list);
      g_list_store_find (deletion->list, record, &deletion->index);
    }

  if (entity == &upg_entity_member)
    {
      const char *name = upg_record_get_string (record, UPG_MEMBER_NAME);
      sqlite3_stmt *owned;

      if (new_owner != NULL &&
          (g_strcmp0 (new_owner, name) == 0 ||
           !is_member (self, upg_record_get_project_id (record), new_owner)))
        return set_invalid (error, "owner", _("must be the name of another member of the team"));
      deletion->new_owner = g_strdup (new_owner);
      deletion->owned = g_array_new (FALSE, FALSE, sizeof (gint64));
      owned = upg_store_get_statement (self, "SELECT id FROM risk WHERE owner = ?1 AND project_id = ?2 ORDER BY id", error);
      if (owned == NULL)
        return FALSE;
      sqlite3_bind_text (owned, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (owned, 2, upg_record_get_project_id (record));
      while (sqlite3_step (owned) == SQLITE_ROW)
        {
          gint64 risk_id = sqlite3_column_int64 (owned, 0);
          g_array_append_val (deletion->owned, risk_id);
        }
      sqlite3_reset (owned);
    }

  if (!upg_store_begin_nested (self, &own, error))
    return FALSE;
  ok = save_rows (self, entity->table, "id", upg_record_get_id (record), deletion->rows, error);
  if (ok && deletion->owned != NULL)
    ok = set_risk_owners (self, upg_record_get_project_id (record), deletion->owned, new_owner, FALSE, error);
  if (ok)
    {
      sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?1", entity->table);
      stmt = upg_store_get_statement (self, sql, error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, upg_record_get_id (record));
          ok = upg_store_step_done (self, stmt, error);
        }
    }
  if (ok && entity == &upg_entity_milestone)
    ok = cancel_calendar_entry (self, record, &deletion->cancelled, error);
  if (ok && entity != &upg_entity_project)
    ok = touch_project (self, upg_record_get_project_id (record), error);
  if (!upg_store_end_nested (self, own, ok, error))
    {
      forget_cancelled (deletion->cancelled);
      return FALSE;
    }

  if (deletion->owned != NULL)
    set_risk_owners (self, upg_record_get_project_id (record), deletion->owned, new_owner, TRUE, NULL);
  if (deletion->list != NULL)
    g_list_store_remove (deletion->list, deletion->index);
  if (undo != NULL)
    *undo = g_steal_pointer (&deletion);
  return TRUE;
}

gboolean
upg_store_undo_delete (UpgStore     *self,
                       UpgDeletion  *undo,
                       GError      **error)
{
  gboolean own, ok = TRUE;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  if (!upg_store_begin_nested (self, &own, error))
    return FALSE;
  for (guint r = 0; ok && r < undo->rows->len; r++)
    {
      SavedRow *row = undo->rows->pdata[r];
      GString *sql = g_string_new (NULL);
      sqlite3_stmt *stmt;

      g_string_append_printf (sql, "INSERT INTO \"%s\" (", row->table);
      for (guint i = 0; i < row->columns->len; i++)
        g_string_append_printf (sql, "%s\"%s\"", i ? ", " : "", (char *) row->columns->pdata[i]);
      g_string_append (sql, ") VALUES (");
      for (guint i = 0; i < row->columns->len; i++)
        g_string_append_printf (sql, "%s?%u", i ? ", " : "", i + 1);
      g_string_append (sql, ")");
      stmt = upg_store_get_statement (self, sql->str, error);
      g_string_free (sql, TRUE);
      ok = stmt != NULL;
      if (ok)
        {
          for (guint i = 0; i < row->values->len; i++)
            sqlite3_bind_value (stmt, i + 1, row->values->pdata[i]);
          ok = upg_store_step_done (self, stmt, error);
        }
    }
  if (ok && undo->owned != NULL)
    ok = set_risk_owners (self, upg_record_get_project_id (undo->record), undo->owned,
                          upg_record_get_string (undo->record, UPG_MEMBER_NAME), FALSE, error);
  /* A risk put back whose owner has left the team since has no owner. */
  if (ok && upg_record_get_entity (undo->record) == &upg_entity_risk &&
      upg_record_get_string (undo->record, UPG_RISK_OWNER) != NULL &&
      !is_member (self, upg_record_get_project_id (undo->record),
                  upg_record_get_string (undo->record, UPG_RISK_OWNER)))
    {
      ok = set_risk_owner_row (self, upg_record_get_id (undo->record), NULL, error);
      if (ok)
        quiet_set_string (self, undo->record, UPG_RISK_OWNER, NULL);
    }
  if (ok && undo->cancelled != NULL)
    ok = uncancel_calendar_entry (self, undo->cancelled, error);
  if (ok && upg_record_get_entity (undo->record) != &upg_entity_project)
    ok = touch_project (self, upg_record_get_project_id (undo->record), error);
  if (!upg_store_end_nested (self, own, ok, error))
    return FALSE;
  /* The milestone is back: its calendar entry is not cancelled. */
  forget_cancelled (undo->cancelled);
  g_clear_object (&undo->cancelled);
  if (undo->owned != NULL)
    set_risk_owners (self, upg_record_get_project_id (undo->record), undo->owned,
                     upg_record_get_string (undo->record, UPG_MEMBER_NAME), TRUE, NULL);

  if (undo->list != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (undo->list));
      g_list_store_insert (undo->list, MIN (undo->index, n), undo->record);
      upg_record_set_container (undo->record, undo->list);
    }
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
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  *value = NULL;
  stmt = upg_store_get_statement (self, "SELECT value FROM meta WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return upg_store_set_sqlite_error (self, self->db, error);
  return TRUE;
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
  sqlite3_stmt *stmt;
  gboolean own, ok;

  if (!upg_store_begin_nested (self, &own, error))
    return FALSE;
  if (value == NULL)
    stmt = upg_store_get_statement (self, "DELETE FROM meta WHERE key = ?1", error);
  else
    stmt = upg_store_get_statement (self, "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (value != NULL)
        sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      ok = upg_store_step_done (self, stmt, error);
    }
  return upg_store_end_nested (self, own, ok, error);
}

gboolean
upg_store_check (UpgStore   *self,
                 char      **report,
                 GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    return upg_store_set_sqlite_error (self, self->db, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (out, "%s%s", out->len ? "\n" : "", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return upg_store_set_sqlite_error (self, self->db, error);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    return upg_store_set_sqlite_error (self, self->db, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (strcmp (out->str, "ok") == 0)
        g_string_truncate (out, 0);
      g_string_append_printf (out, "%s%s row %lld refers to a missing %s row",
                              out->len ? "\n" : "", sqlite3_column_text (stmt, 0),
                              (long long) sqlite3_column_int64 (stmt, 1), sqlite3_column_text (stmt, 2));
    }
  sqlite3_finalize (stmt);

  if (report)
    *report = g_strdup (out->str);
  if (strcmp (out->str, "ok") != 0)
    {
      g_autofree char *name = g_filename_display_basename (self->path);
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CORRUPT,
                   _("“%s” is truncated or damaged; open a copy or a backup of it instead"), name);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
upg_store_find_build_id (UpgStore   *self,
                         const char *build_id,
                         gint64      except_project)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (UPG_IS_STORE (self), names);
  if (build_id == NULL || *build_id == '\0')
    return names;
  stmt = upg_store_get_statement (self, "SELECT name FROM project WHERE build_id = ?1 AND id != ?2 ORDER BY position, id", NULL);
  if (stmt == NULL)
    return names;
  sqlite3_bind_text (stmt, 1, build_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, except_project);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
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
      g_ptr_array_add (events, event);
    }
  return g_steal_pointer (&events);
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
column_text (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

UpgStepState *
upg_store_read_step_state (UpgStore   *self,
                           UpgRecord  *step,
                           GError    **error)
{
  g_autoptr(UpgStepState) state = g_new0 (UpgStepState, 1);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), NULL);

  stmt = upg_store_get_statement (self,
                                  "SELECT s.checked_at, s.checked_by, p.time_zone,"
                                  " (SELECT count(*) FROM sop_step o WHERE o.project_id = s.project_id"
                                  "   AND (o.position < s.position OR (o.position = s.position AND o.id < s.id)))"
                                  " FROM sop_step s JOIN project p ON p.id = s.project_id WHERE s.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, upg_record_get_id (step));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state->exists = TRUE;
      state->checked_at = column_text (stmt, 0);
      state->checked_by = column_text (stmt, 1);
      state->time_zone = column_text (stmt, 2);
      state->number = sqlite3_column_int (stmt, 3) + 1;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      upg_store_set_sqlite_error (self, self->db, error);
      return NULL;
    }
  if (!state->exists)
    return g_steal_pointer (&state);

  stmt = upg_store_get_statement (self,
                                  "SELECT action, \"by\", at, note FROM sop_event"
                                  " WHERE step_id = ?1 AND action != 'skip' ORDER BY position DESC, id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, upg_record_get_id (step));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state->last_mark = g_new0 (UpgCheckEvent, 1);
      state->last_mark->action = column_text (stmt, 0);
      state->last_mark->actor = column_text (stmt, 1);
      state->last_mark->at = column_text (stmt, 2);
      state->last_mark->reason = column_text (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      upg_store_set_sqlite_error (self, self->db, error);
      return NULL;
    }
  return g_steal_pointer (&state);
}

gboolean
upg_step_state_matches (UpgStepState *state,
                        UpgRecord    *step)
{
  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), FALSE);

  return state->exists &&
         g_strcmp0 (state->checked_at, upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT)) == 0 &&
         g_strcmp0 (state->checked_by, upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY)) == 0;
}

gboolean
upg_store_refresh_record (UpgStore   *self,
                          UpgRecord  *record,
                          GError    **error)
{
  const UpgEntity *entity;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);

  entity = upg_record_get_entity (record);
  for (guint i = 0; i < entity->n_fields; i++)
    revert_field (self, record, i);
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
