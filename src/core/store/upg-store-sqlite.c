/* upg-store-sqlite.c — the plan file itself: opening it safely (sniffing the
 * header before SQLite touches it), the schema and its migrations with the
 * verified backup, the statement cache and transactions.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "upg-store.h"
#include "upg-store-private.h"
#include "upg-clock.h"

static UpgSqlite *sqlite_new  (void);
static void       sqlite_free (UpgBackend *backend);

static void
sqlite_unref (UpgSqlite *self)
{
  sqlite_free (&self->parent);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpgSqlite, sqlite_unref)

/* ------------------------------------------------------------------ */
/* Schema                                                              */

static const char schema_v1[] =
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE project ("
  "  id INTEGER PRIMARY KEY,"
  "  position INTEGER NOT NULL DEFAULT 0,"
  "  name TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  goal TEXT NOT NULL DEFAULT '',"
  "  scope TEXT NOT NULL DEFAULT '',"
  "  impact TEXT NOT NULL DEFAULT '',"
  "  version_from TEXT,"
  "  version_to TEXT,"
  "  build_id TEXT,"
  "  window_start TEXT,"
  "  window_end TEXT,"
  "  rollback_target_minutes INTEGER NOT NULL DEFAULT 10 CHECK (rollback_target_minutes >= 1),"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  extensions TEXT);"
  "CREATE INDEX project_build_id ON project (build_id);"
  "CREATE TABLE scope_item ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  module TEXT NOT NULL,"
  "  change TEXT NOT NULL DEFAULT '',"
  "  impact TEXT NOT NULL,"
  "  needs_data_migration INTEGER NOT NULL DEFAULT 0,"
  "  extensions TEXT);"
  "CREATE INDEX scope_item_project ON scope_item (project_id, position);"
  "CREATE TABLE milestone ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  title TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  due TEXT,"
  "  done TEXT,"
  "  rollout_percent INTEGER CHECK (rollout_percent BETWEEN 1 AND 100),"
  "  extensions TEXT);"
  "CREATE INDEX milestone_project ON milestone (project_id, position);"
  "CREATE TABLE risk ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  title TEXT NOT NULL,"
  "  category TEXT NOT NULL,"
  "  likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),"
  "  impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),"
  "  residual_likelihood INTEGER CHECK (residual_likelihood BETWEEN 1 AND 5),"
  "  residual_impact INTEGER CHECK (residual_impact BETWEEN 1 AND 5),"
  "  mitigation TEXT NOT NULL DEFAULT '',"
  "  contingency TEXT NOT NULL DEFAULT '',"
  "  owner TEXT,"
  "  status TEXT NOT NULL,"
  "  extensions TEXT);"
  "CREATE INDEX risk_project ON risk (project_id, position);"
  "CREATE TABLE member ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  email TEXT,"
  "  role TEXT NOT NULL,"
  "  responsibilities TEXT NOT NULL DEFAULT '',"
  "  extensions TEXT);"
  "CREATE INDEX member_project ON member (project_id, position);"
  "CREATE TABLE stakeholder_group ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  audience TEXT NOT NULL DEFAULT '',"
  "  addresses TEXT NOT NULL DEFAULT '',"   /* one address a line */
  "  extensions TEXT);"
  "CREATE INDEX stakeholder_group_project ON stakeholder_group (project_id, position);"
  "CREATE TABLE sop_step ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  phase TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  details TEXT NOT NULL DEFAULT '',"
  "  owner_role TEXT,"
  "  required INTEGER NOT NULL DEFAULT 1,"
  "  checked_at TEXT,"
  "  checked_by TEXT,"
  "  note TEXT NOT NULL DEFAULT '',"
  "  extensions TEXT);"
  "CREATE INDEX sop_step_project ON sop_step (project_id, position);"
  "CREATE TABLE sop_check ("
  "  id INTEGER PRIMARY KEY,"
  "  step_id INTEGER NOT NULL REFERENCES sop_step (id) ON DELETE CASCADE,"
  "  action TEXT NOT NULL CHECK (action IN ('check', 'uncheck', 'skip')),"
  "  actor TEXT,"
  "  at TEXT NOT NULL,"
  "  reason TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX sop_check_step ON sop_check (step_id, id);"
  "CREATE TABLE retrospective ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL UNIQUE REFERENCES project (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL DEFAULT 0,"
  "  held_on TEXT,"
  "  facilitator TEXT,"
  "  actual_start TEXT,"
  "  actual_end TEXT,"
  "  downtime_minutes INTEGER CHECK (downtime_minutes >= 0),"
  "  rollback_used INTEGER NOT NULL DEFAULT 0,"
  "  incidents INTEGER NOT NULL DEFAULT 0 CHECK (incidents >= 0),"
  "  summary TEXT NOT NULL DEFAULT '',"
  "  extensions TEXT);"
  "CREATE TABLE retro_item ("
  "  id INTEGER PRIMARY KEY,"
  "  retro_id INTEGER NOT NULL REFERENCES retrospective (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  owner TEXT,"
  "  due TEXT,"
  "  done INTEGER NOT NULL DEFAULT 0,"
  "  extensions TEXT);"
  "CREATE INDEX retro_item_retro ON retro_item (retro_id, position);"
  "CREATE TABLE email_template ("   /* a user's edited copy of a built-in template */
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER REFERENCES project (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  subject TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  UNIQUE (project_id, name));";

gboolean
upg_store_exec (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED, "%s",
                   message ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate_to_1 (sqlite3  *db,
              GError  **error)
{
  return upg_store_exec (db, schema_v1, error);
}

/* Version 2 (plan format 2): project uid, time zone, calendar sequence and
 * risk thresholds; stakeholder groups' Bcc, language, zone and moments;
 * the retrospective's rollback minutes, root cause and detection; action
 * tickets and where they were carried; the project's email templates and
 * notices; and the SOP history as rows of their own (sop_event, which
 * replaces sop_check). Frozen: a later change is a new migration. */
static const char schema_v2[] =
  "ALTER TABLE project ADD COLUMN uid TEXT;"
  "ALTER TABLE project ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';"
  "ALTER TABLE project ADD COLUMN calendar_sequence INTEGER NOT NULL DEFAULT 0 CHECK (calendar_sequence >= 0);"
  "ALTER TABLE project ADD COLUMN risk_thresholds TEXT NOT NULL DEFAULT '5,10,20';"
  "ALTER TABLE stakeholder_group ADD COLUMN bcc INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE stakeholder_group ADD COLUMN language TEXT NOT NULL DEFAULT 'en';"
  "ALTER TABLE stakeholder_group ADD COLUMN time_zone TEXT;"
  "ALTER TABLE stakeholder_group ADD COLUMN moments TEXT NOT NULL DEFAULT '';"
  "UPDATE stakeholder_group SET moments = 'advance_notice' || char(10) || 'reminder' || char(10) ||"
  "  'started' || char(10) || 'completed' || char(10) || 'delayed' || char(10) ||"
  "  'rolled_back' || char(10) || 'retrospective';"
  "ALTER TABLE retrospective ADD COLUMN rollback_minutes INTEGER CHECK (rollback_minutes >= 0);"
  "ALTER TABLE retrospective ADD COLUMN root_cause TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE retrospective ADD COLUMN detection TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE retro_item ADD COLUMN ticket TEXT;"
  "ALTER TABLE retro_item ADD COLUMN carried_to TEXT;"
  "DROP TABLE email_template;"
  "CREATE TABLE email_template ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  moment TEXT NOT NULL,"
  "  language TEXT NOT NULL,"
  "  subject TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  extensions TEXT,"
  "  UNIQUE (project_id, moment, language));"
  "CREATE TABLE notice ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  moment TEXT NOT NULL,"
  "  \"group\" TEXT NOT NULL,"
  "  at TEXT NOT NULL,"
  "  how TEXT NOT NULL,"
  "  extensions TEXT);"
  "CREATE INDEX notice_project ON notice (project_id, position);"
  "CREATE TABLE sop_event ("
  "  id INTEGER PRIMARY KEY,"
  "  step_id INTEGER NOT NULL REFERENCES sop_step (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  action TEXT NOT NULL CHECK (action IN ('check', 'uncheck', 'skip')),"
  "  \"by\" TEXT,"
  "  at TEXT NOT NULL,"
  "  note TEXT NOT NULL DEFAULT '',"
  "  extensions TEXT);"
  "CREATE INDEX sop_event_step ON sop_event (step_id, position);"
  "INSERT INTO sop_event (id, step_id, position, action, \"by\", at, note)"
  "  SELECT id, step_id, row_number () OVER (PARTITION BY step_id ORDER BY id) - 1,"
  "         action, actor, at, reason FROM sop_check;"
  "DROP TABLE sop_check;"
  /* The history must agree with the step: a checked step's last check or
   * uncheck is a check with its time and name (older files and plan
   * documents had steps checked without a history). */
  "INSERT INTO sop_event (step_id, position, action, \"by\", at, note)"
  "  SELECT s.id, (SELECT count(*) FROM sop_event e WHERE e.step_id = s.id),"
  "         'check', s.checked_by, s.checked_at, '' FROM sop_step s"
  "  WHERE s.checked_at IS NOT NULL AND NOT EXISTS ("
  "    SELECT 1 FROM sop_event e WHERE e.step_id = s.id AND e.action = 'check'"
  "      AND e.at = s.checked_at AND e.\"by\" IS s.checked_by"
  "      AND e.id = (SELECT max (id) FROM sop_event f WHERE f.step_id = s.id AND f.action != 'skip'));"
  "INSERT INTO sop_event (step_id, position, action, \"by\", at, note)"
  "  SELECT s.id, (SELECT count(*) FROM sop_event e WHERE e.step_id = s.id),"
  "         'uncheck', e.\"by\", e.at, '' FROM sop_step s JOIN sop_event e ON e.step_id = s.id"
  "  WHERE s.checked_at IS NULL AND e.action = 'check'"
  "    AND e.id = (SELECT max (id) FROM sop_event f WHERE f.step_id = s.id AND f.action != 'skip');";

/* A project's uid when a file gains them: a name-based UUID (version 5
 * layout, SHA-1) of its id, creation time and name, so the same file read
 * twice — a read-only one is migrated in memory each time it is read —
 * gives its projects the same identities. */
static char *
derived_uid (gint64 id, const char *created_at, const char *name)
{
  g_autofree char *key = g_strdup_printf ("upgrade-planner:%" G_GINT64_FORMAT ":%s:%s",
                                          id, created_at ? created_at : "", name ? name : "");
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;

  g_checksum_update (sum, (const guchar *) key, -1);
  g_checksum_get_digest (sum, digest, &length);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

static gboolean
migrate_to_2 (sqlite3  *db,
              GError  **error)
{
  sqlite3_stmt *select = NULL, *update = NULL;
  gboolean ok = TRUE;
  int rc;

  if (!upg_store_exec (db, schema_v2, error))
    return FALSE;
  if (sqlite3_prepare_v2 (db, "SELECT id, created_at, name FROM project", -1, &select, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "UPDATE project SET uid = ?1 WHERE id = ?2", -1, &update, NULL) != SQLITE_OK)
    ok = FALSE;
  while (ok && (rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autofree char *uid = derived_uid (sqlite3_column_int64 (select, 0),
                                          (const char *) sqlite3_column_text (select, 1),
                                          (const char *) sqlite3_column_text (select, 2));
      sqlite3_bind_text (update, 1, uid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (update, 2, sqlite3_column_int64 (select, 0));
      ok = sqlite3_step (update) == SQLITE_DONE;
      sqlite3_reset (update);
    }
  if (ok && rc != SQLITE_DONE)
    ok = FALSE;
  if (!ok)
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED, "%s", sqlite3_errmsg (db));
  sqlite3_finalize (select);
  sqlite3_finalize (update);
  return ok && upg_store_exec (db, "CREATE UNIQUE INDEX project_uid ON project (uid);", error);
}

/* Version 3 (plan format 3): a uid on every milestone, risk, member,
 * group, SOP step and retrospective item; the member's phone, the group's
 * internal flag; when a rollback began and ended; and the milestones whose
 * calendar entries are to be cancelled. Frozen: a later change is a new
 * migration. */
static const char schema_v3[] =
  "ALTER TABLE project ADD COLUMN rollback_started_at TEXT;"
  "ALTER TABLE project ADD COLUMN rollback_ended_at TEXT;"
  "ALTER TABLE milestone ADD COLUMN uid TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE risk ADD COLUMN uid TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE member ADD COLUMN uid TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE member ADD COLUMN phone TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE stakeholder_group ADD COLUMN uid TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE stakeholder_group ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE sop_step ADD COLUMN uid TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE retro_item ADD COLUMN uid TEXT NOT NULL DEFAULT '';"
  "CREATE TABLE cancelled_milestone ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  calendar_uid TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  due TEXT,"
  "  cancelled_at TEXT NOT NULL,"
  "  extensions TEXT);"
  "CREATE INDEX cancelled_milestone_project ON cancelled_milestone (project_id, position);";

/* Runs @select (rows of id, project uid, index among its siblings) and sets
 * each row's uid in @table from its project's uid and its place in the
 * plan document (@key, "milestones", then "[index]"). */
static gboolean
derive_uids (sqlite3    *db,
             const char *table,
             const char *select_sql,
             const char *key)
{
  g_autofree char *update_sql = g_strdup_printf ("UPDATE \"%s\" SET uid = ?1 WHERE id = ?2", table);
  sqlite3_stmt *select = NULL, *update = NULL;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  if (sqlite3_prepare_v2 (db, select_sql, -1, &select, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, update_sql, -1, &update, NULL) != SQLITE_OK)
    ok = FALSE;
  while (ok && (rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autofree char *path = g_strdup_printf ("%s[%d]", key, sqlite3_column_int (select, 2));
      g_autofree char *uid = upg_derive_item_uid ((const char *) sqlite3_column_text (select, 1), path);

      sqlite3_bind_text (update, 1, uid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (update, 2, sqlite3_column_int64 (select, 0));
      ok = sqlite3_step (update) == SQLITE_DONE;
      sqlite3_reset (update);
    }
  sqlite3_finalize (select);
  sqlite3_finalize (update);
  return ok && rc == SQLITE_DONE;
}

/* Calendars made by version 2 named a milestone's entry after its kind and
 * title (and how many earlier milestones share both). Those entries are
 * cancelled in the next calendar export, as the entries now take the
 * milestone's uid: a calendar that imported an older export does not keep
 * them for ever. */
static gboolean
cancel_v2_calendar_entries (sqlite3 *db)
{
  sqlite3_stmt *select = NULL, *insert = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 project = -1;
  int position = 0, rc = SQLITE_DONE;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (db, "SELECT m.project_id, p.uid, p.updated_at, m.kind, m.title, m.due"
                              " FROM milestone m JOIN project p ON p.id = m.project_id"
                              " ORDER BY m.project_id, m.position, m.id", -1, &select, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO cancelled_milestone (project_id, position, calendar_uid, title, kind, due, cancelled_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &insert, NULL) != SQLITE_OK)
    ok = FALSE;
  while (ok && (rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (select, 3);
      const char *title = (const char *) sqlite3_column_text (select, 4);
      char *key = g_strconcat (kind, "\n", title, NULL);
      guint n;
      g_autofree char *text = NULL;
      g_autofree char *sum = NULL;
      g_autofree char *calendar_uid = NULL;

      if (sqlite3_column_int64 (select, 0) != project)
        {
          project = sqlite3_column_int64 (select, 0);
          position = 0;
          g_hash_table_remove_all (seen);
        }
      n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key));
      g_hash_table_replace (seen, key, GUINT_TO_POINTER (n + 1));
      if (sqlite3_column_type (select, 5) == SQLITE_NULL)
        continue;
      text = g_strdup_printf ("%s\n%s\n%u", kind, title, n);
      sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
      calendar_uid = g_strdup_printf ("%s-milestone-%.12s", sqlite3_column_text (select, 1), sum);
      sqlite3_bind_int64 (insert, 1, project);
      sqlite3_bind_int (insert, 2, position++);
      sqlite3_bind_text (insert, 3, calendar_uid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_value (insert, 4, sqlite3_column_value (select, 4));
      sqlite3_bind_value (insert, 5, sqlite3_column_value (select, 3));
      sqlite3_bind_value (insert, 6, sqlite3_column_value (select, 5));
      sqlite3_bind_value (insert, 7, sqlite3_column_value (select, 2));
      ok = sqlite3_step (insert) == SQLITE_DONE;
      sqlite3_reset (insert);
    }
  sqlite3_finalize (select);
  sqlite3_finalize (insert);
  return ok && rc == SQLITE_DONE;
}

static gboolean
migrate_to_3 (sqlite3  *db,
              GError  **error)
{
#define SIBLINGS(table, parent) \
  "SELECT t.id, p.uid, row_number () OVER (PARTITION BY t." parent " ORDER BY t.position, t.id) - 1" \
  " FROM " table " t JOIN project p ON p.id = t.project_id"
  gboolean ok;

  if (!upg_store_exec (db, schema_v3, error))
    return FALSE;
  ok = derive_uids (db, "milestone", SIBLINGS ("milestone", "project_id"), "milestones") &&
       derive_uids (db, "risk", SIBLINGS ("risk", "project_id"), "risks") &&
       derive_uids (db, "member", SIBLINGS ("member", "project_id"), "team") &&
       derive_uids (db, "stakeholder_group", SIBLINGS ("stakeholder_group", "project_id"), "stakeholder_groups") &&
       derive_uids (db, "sop_step", SIBLINGS ("sop_step", "project_id"), "sop") &&
       derive_uids (db, "retro_item",
                    "SELECT t.id, p.uid, row_number () OVER (PARTITION BY t.retro_id ORDER BY t.position, t.id) - 1"
                    " FROM retro_item t JOIN retrospective r ON r.id = t.retro_id JOIN project p ON p.id = r.project_id",
                    "retrospective.items") &&
       cancel_v2_calendar_entries (db);
#undef SIBLINGS
  if (!ok)
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED, "%s", sqlite3_errmsg (db));
  return ok;
}

static const UpgMigration migrations[] = {
  migrate_to_1,
  migrate_to_2,
  migrate_to_3,
};
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == UPG_STORE_SCHEMA_VERSION);

const UpgMigration *
upg_store_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
/* ------------------------------------------------------------------ */
/* Errors                                                              */

gboolean
upg_store_set_sqlite_error (UpgSqlite *self,
                  sqlite3   *db,
                  GError   **error)
{
  int code = sqlite3_errcode (db) & 0xff;
  g_autofree char *name = g_filename_display_basename (self ? self->path : "");

  if (code == SQLITE_READONLY)
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_READ_ONLY,
                 _("“%s” is read-only; changes cannot be saved (make it writable to edit it)"), name);
  else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CORRUPT,
                 _("“%s” is truncated or damaged; open a copy or a backup of it instead"), name);
  else if (code == SQLITE_FULL)
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                 _("There is no room left on the disk for “%s”; free some space and try again"), name);
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                 _("“%s” is in use by another program; try again"), name);
  else
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                 _("Could not use “%s”: %s"), name, sqlite3_errmsg (db));
  return FALSE;
}
static gboolean
set_too_new (GError **error, const char *name, int version, int max_version)
{
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_TOO_NEW,
               _("“%s” was saved by a newer version of Upgrade Planner (file version %d; this version reads up to %d); update Upgrade Planner to open it"),
               name, version, max_version);
  return FALSE;
}

/* A negative user_version: no Upgrade Planner writes one, and no
 * migration starts from it. */
static gboolean
set_odd_version (GError **error, const char *name, int version)
{
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
               _("“%s” says it has schema version %d, which no Upgrade Planner writes; it is not a plan file it can open"),
               name, version);
  return FALSE;
}

static gboolean
set_not_ours (GError **error, const char *name)
{
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
               _("“%s” is a database of another program, not an Upgrade Planner plan file; open a plan file (.upgplan) instead"), name);
  return FALSE;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Looks at the file's 100-byte SQLite header before SQLite opens it, so that
 * a file we refuse is never written to. Sets *version to its user_version;
 * *empty when the file has no bytes (a new file made by mktemp, say).
 *
 * While another connection has the file open in WAL mode, recent pages
 * (the header among them) may live only in the log beside it; then
 * *trust_header is FALSE and the caller must ask SQLite instead. */
static gboolean
check_header (const char  *path,
              int          max_version,
              int         *version,
              gboolean    *empty,
              gboolean    *trust_header,
              GError     **error)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  guint8 header[100];
  gsize n_read = 0;
  guint64 size, page_size, n_pages;

  in = g_file_read (file, NULL, &local_error);
  if (in == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_FOUND,
                     _("“%s” does not exist; check its name and folder"), name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                     _("“%s” is a folder, not a plan file; give the path of a plan file"), name);
      else
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                     _("Could not read “%s”: %s"), name, local_error->message);
      return FALSE;
    }
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  size = info ? g_file_info_get_size (info) : 0;
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), header, sizeof header, &n_read, NULL, &local_error))
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                   _("Could not read “%s”: %s"), name, local_error->message);
      return FALSE;
    }

  {
    GStatBuf st;
    *trust_header = g_stat (wal, &st) != 0 || st.st_size == 0;
  }
  *empty = (n_read == 0 && size == 0) && *trust_header;
  *version = 0;
  if (*empty || (!*trust_header && n_read < sizeof header))
    return TRUE;

  if (n_read < sizeof header || memcmp (header, "SQLite format 3", 16) != 0)
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                   _("“%s” is not an Upgrade Planner plan file; open a plan file (.upgplan) instead"), name);
      return FALSE;
    }
  if (!*trust_header)
    return TRUE;
  if (read_be32 (header + 68) != UPG_STORE_APPLICATION_ID)
    return set_not_ours (error, name);

  *version = (int) read_be32 (header + 60);
  if (*version < 0)
    return set_odd_version (error, name, *version);
  if (*version > max_version)
    return set_too_new (error, name, *version, max_version);

  /* A file cut short: fewer bytes than the pages its header counts (every
   * SQLite that writes our files keeps that count; pages not yet
   * checkpointed may still sit in a write-ahead log beside it). */
  page_size = (header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  n_pages = read_be32 (header + 28);
  if (page_size < 512 || (page_size & (page_size - 1)) != 0 ||
      size < n_pages * page_size || size % page_size != 0)
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CORRUPT,
                   _("“%s” is truncated or damaged; open a copy or a backup of it instead"), name);
      return FALSE;
    }
  return TRUE;
}

static char *
sha256_of_file (const char  *path,
                GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Copies the open database to a file beside it with the backup API, writes
 * the copy's SHA-256 next to the copy and checks both before anything is
 * migrated. */
static gboolean
backup_before_migration (UpgSqlite *self,
                         int        from_version,
                         GError   **error)
{
  g_autoptr(GDateTime) now = upg_clock_now ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *backup_path = g_strdup_printf ("%s.v%d-%s.bak", self->path, from_version, stamp);
  g_autofree char *sum_path = g_strconcat (backup_path, ".sha256", NULL);
  g_autofree char *base = g_path_get_basename (backup_path);
  g_autofree char *sum = NULL;
  g_autofree char *sum_line = NULL;
  g_autofree char *written = NULL;
  g_autofree char *again = NULL;
  sqlite3 *copy = NULL;
  sqlite3_backup *backup;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_open_v2 (backup_path, &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
      !upg_store_harden (copy, NULL))
    goto failed;
  backup = sqlite3_backup_init (copy, "main", self->db, "main");
  if (backup == NULL)
    goto failed;
  sqlite3_backup_step (backup, -1);
  if (sqlite3_backup_finish (backup) != SQLITE_OK)
    goto failed;
  /* The copy must stand alone: no write-ahead log beside it. */
  if (sqlite3_exec (copy, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
    goto failed;
  if (sqlite3_prepare_v2 (copy, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW ||
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    goto failed;
  sqlite3_finalize (stmt);
  stmt = NULL;
  sqlite3_close (copy);
  copy = NULL;

  sum = sha256_of_file (backup_path, NULL);
  if (sum == NULL)
    goto failed;
  sum_line = g_strdup_printf ("%s  %s\n", sum, base);
  if (!g_file_set_contents (sum_path, sum_line, -1, NULL))
    goto failed;

  /* Verify: read back both the checksum file and the copy. */
  if (!g_file_get_contents (sum_path, &written, NULL, NULL) || strncmp (written, sum, 64) != 0)
    goto failed;
  again = sha256_of_file (backup_path, NULL);
  ok = again != NULL && strcmp (again, sum) == 0;

failed:
  if (stmt != NULL)
    sqlite3_finalize (stmt);
  if (copy != NULL)
    sqlite3_close (copy);
  if (!ok)
    {
      g_autofree char *name = g_filename_display_basename (self->path);
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_BACKUP,
                   _("Could not back up “%s” before updating it; nothing was changed. Free some disk space or make its folder writable, then open it again"), name);
    }
  return ok;
}

static gboolean
run_migrations (UpgSqlite           *self,
                int                  from_version,
                const UpgMigration  *steps,
                guint                n_steps,
                GError             **error)
{
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", n_steps);
  g_autofree char *set_app = g_strdup_printf ("PRAGMA application_id = %d", (int) UPG_STORE_APPLICATION_ID);

  if (!upg_store_exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = from_version; i < n_steps; i++)
    if (!steps[i] (self->db, error))
      goto failed;
  if (!upg_store_exec (self->db, set_app, error) || !upg_store_exec (self->db, set_version, error) ||
      !upg_store_stamp_commit (self->db, error) || !upg_store_exec (self->db, "COMMIT", error))
    goto failed;
  return TRUE;

failed:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_prefix_error (error, _("Could not update the plan file to version %u: "), n_steps);
  return FALSE;
}

int
upg_store_query_int (sqlite3 *db, const char *sql, int *value)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  return rc;
}

/* Removes a plan file this process created, with the journal files SQLite
 * made beside it. */
static void
remove_created (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal", "" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

/* Copies the open file into a database in memory and makes that the
 * store's connection: a file that is only read is migrated there, never on
 * disk. */
static gboolean
switch_to_memory_copy (UpgSqlite *self,
                       GError   **error)
{
  sqlite3 *memory = NULL;
  sqlite3_backup *backup;

  if (sqlite3_open_v2 (":memory:", &memory, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      sqlite3_close (memory);
      return upg_store_set_sqlite_error (self, self->db, error);
    }
  backup = sqlite3_backup_init (memory, "main", self->db, "main");
  if (backup == NULL)
    {
      sqlite3_close (memory);
      return upg_store_set_sqlite_error (self, self->db, error);
    }
  sqlite3_backup_step (backup, -1);
  if (sqlite3_backup_finish (backup) != SQLITE_OK)
    {
      upg_store_set_sqlite_error (self, memory, error);
      sqlite3_close (memory);
      return FALSE;
    }
  sqlite3_close_v2 (self->db);
  self->db = memory;
  sqlite3_extended_result_codes (self->db, 0);
  return upg_store_harden (self->db, error);
}

static UpgSqlite *
open_store (const char          *path,
            UpgStoreOpenFlags    flags,
            const UpgMigration  *steps,
            guint                n_steps,
            gboolean            *created,
            GError             **error)
{
  g_autoptr(UpgSqlite) self = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  gboolean exists, empty = FALSE, trust_header = TRUE, writable = TRUE;
  int version = 0, app_id = 0, n_tables = 0, open_flags, rc;
  GStatBuf st;

  self = sqlite_new ();
  self->path = g_canonicalize_filename (path, NULL);
  name = g_filename_display_basename (self->path);
  dir = g_path_get_dirname (self->path);

  exists = g_stat (self->path, &st) == 0;
  if (!exists && !(flags & UPG_STORE_OPEN_CREATE))
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_FOUND,
                   _("“%s” does not exist; check its name and folder"), name);
      return NULL;
    }
  if (exists && S_ISDIR (st.st_mode))
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                   _("“%s” is a folder, not a plan file; give the path of a plan file"), name);
      return NULL;
    }
  if (exists && !S_ISREG (st.st_mode))
    {
      /* Never open a pipe or a device: reading one can wait for ever. */
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                   _("“%s” is not a regular file (a pipe or a device, say), so it is not a plan file"), name);
      return NULL;
    }
  if (exists)
    {
      if (!check_header (self->path, n_steps, &version, &empty, &trust_header, error))
        return NULL;
      if (empty && (flags & UPG_STORE_OPEN_READ_ONLY))
        {
          g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                       _("“%s” is empty, not an Upgrade Planner plan file; open a plan file (.upgplan) instead"), name);
          return NULL;
        }
      /* SQLite writes its journal beside the file: both must be writable.
       * Only reading someone else's file, make no -wal or -shm file of our
       * own there either: its owner could not write through it. */
      writable = g_access (self->path, W_OK) == 0 && g_access (dir, W_OK) == 0 &&
                 !((flags & UPG_STORE_OPEN_READ_ONLY) && st.st_uid != geteuid ());
      self->read_only = !writable || (flags & UPG_STORE_OPEN_READ_ONLY) != 0;
    }
  else if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_FOUND,
                   _("Cannot create “%s”: its folder does not exist"), name);
      return NULL;
    }
  else
    *created = TRUE;

  if (self->read_only)
    {
      /* Readers never write the file, nor the log beside it (see
       * upg-store-wal.c), and read no log of another plan. */
      gboolean in_memory;

      self->db = upg_store_open_reader (self, &in_memory, error);
      if (self->db == NULL || !upg_store_check_wal (self, self->db, error))
        return NULL;
    }
  else
    {
      /* A log beside the file is checked before SQLite, which would merge
       * it, opens the file to write. */
      if (exists && upg_store_wal_state (self->path) != UPG_WAL_NONE)
        {
          gboolean in_memory, ok;
          sqlite3 *reader = upg_store_open_reader (self, &in_memory, error);

          ok = reader != NULL && upg_store_check_wal (self, reader, error);
          sqlite3_close (reader);
          if (!ok)
            return NULL;
        }
      open_flags = SQLITE_OPEN_READWRITE | (*created ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
      rc = sqlite3_open_v2 (self->path, &self->db, open_flags, NULL);
      if (rc != SQLITE_OK)
        {
          upg_store_set_sqlite_error (self, self->db, error);
          return NULL;
        }
      sqlite3_extended_result_codes (self->db, 0);
      sqlite3_busy_timeout (self->db, 5000);
      if (!upg_store_harden (self->db, error))
        return NULL;
    }

  /* Ask SQLite too: this reads the schema, which finds most damage early. */
  if (upg_store_query_int (self->db, "PRAGMA application_id", &app_id) != SQLITE_OK ||
      upg_store_query_int (self->db, "PRAGMA user_version", &version) != SQLITE_OK ||
      upg_store_query_int (self->db, "SELECT count(*) FROM sqlite_schema", &n_tables) != SQLITE_OK)
    {
      if ((sqlite3_errcode (self->db) & 0xff) == SQLITE_NOTADB)
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                     _("“%s” is not an Upgrade Planner plan file; open a plan file (.upgplan) instead"), name);
      else
        upg_store_set_sqlite_error (self, self->db, error);
      return NULL;
    }
  if (!*created && !empty)
    {
      /* What SQLite reads through a live write-ahead log decides when the
       * header on disk could not. A file without a table is a new one. */
      if (!trust_header && app_id == 0 && version == 0 && n_tables == 0)
        empty = TRUE;
      else if (app_id != (int) UPG_STORE_APPLICATION_ID)
        {
          set_not_ours (error, name);
          return NULL;
        }
      else if (version < 0)
        {
          set_odd_version (error, name, version);
          return NULL;
        }
      else if (version > (int) n_steps)
        {
          set_too_new (error, name, version, n_steps);
          return NULL;
        }
    }

  /* Only a caller that may create a plan makes one of an empty file
   * (import, a new file in the window): "sop check" or opening it in the
   * window refuses it, as list, check and export do. */
  if (empty && !*created && !(flags & UPG_STORE_OPEN_CREATE))
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                   _("“%s” is empty, not an Upgrade Planner plan file; open a plan file (.upgplan) instead"), name);
      return NULL;
    }

  /* Before anything else reads or writes it: the file's schema is the one
   * this app makes for its version, with nothing more. */
  if (!*created && !empty &&
      !upg_store_check_schema (self->db, name, version, steps, n_steps, error))
    return NULL;

  if (empty && self->read_only)
    {
      if (flags & UPG_STORE_OPEN_READ_ONLY)
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                     _("“%s” is empty, not an Upgrade Planner plan file; open a plan file (.upgplan) instead"), name);
      else
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_READ_ONLY,
                     _("“%s” is read-only and empty; make it writable first"), name);
      return NULL;
    }

  if (!self->read_only)
    {
      if (!upg_store_exec (self->db, "PRAGMA journal_mode = WAL", error))
        return NULL;
    }
  if (!upg_store_exec (self->db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", error))
    return NULL;

  if (*created || empty)
    {
      if (!run_migrations (self, 0, steps, n_steps, error))
        return NULL;
    }
  else if (version < (int) n_steps && self->read_only)
    {
      /* An older file that is only read is brought up to date in memory;
       * the file itself is never written. */
      self->file_version = version;
      if (!switch_to_memory_copy (self, error) ||
          !upg_store_exec (self->db, "PRAGMA foreign_keys = ON", error) ||
          !run_migrations (self, version, steps, n_steps, error))
        return NULL;
    }
  else if (version < (int) n_steps)
    {
      if (!backup_before_migration (self, version, error) ||
          !run_migrations (self, version, steps, n_steps, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}


UpgBackend *
upg_sqlite_backend_open (const char          *path,
                         UpgStoreOpenFlags    flags,
                         const UpgMigration  *steps,
                         guint                n_steps,
                         GError             **error)
{
  UpgSqlite *self;
  gboolean created = FALSE;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = open_store (path, flags, steps, n_steps, &created, error);
  if (self == NULL && created)
    {
      /* Nothing of a file this call created stays behind. */
      g_autofree char *canonical = g_canonicalize_filename (path, NULL);
      remove_created (canonical);
    }
  return self ? &self->parent : NULL;
}

sqlite3 *
upg_sqlite_backend_get_db (UpgBackend *backend)
{
  return ((UpgSqlite *) backend)->db;
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */

static sqlite3_stmt *
get_statement (UpgSqlite   *self,
               const char  *sql,
               GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      upg_store_set_sqlite_error (self, self->db, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (UpgSqlite     *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return upg_store_set_sqlite_error (self, self->db, error);
  return TRUE;
}

static void
bind_params (sqlite3_stmt *stmt, const UpgParam *params, guint n_params)
{
  for (guint i = 0; i < n_params; i++)
    switch (params[i].type)
      {
      case UPG_PARAM_INT:
        sqlite3_bind_int64 (stmt, i + 1, params[i].number);
        break;
      case UPG_PARAM_TEXT:
        sqlite3_bind_text (stmt, i + 1, params[i].text, -1, SQLITE_STATIC);
        break;
      case UPG_PARAM_NULL:
      default:
        sqlite3_bind_null (stmt, i + 1);
        break;
      }
}

static gboolean
row_is_null (UpgRow *row, int column)
{
  return sqlite3_column_type (row->handle, column) == SQLITE_NULL;
}

static gint64
row_get_int (UpgRow *row, int column)
{
  return sqlite3_column_int64 (row->handle, column);
}

static const char *
row_get_text (UpgRow *row, int column)
{
  return (const char *) sqlite3_column_text (row->handle, column);
}

/* Runs @stmt (bound) to its end, calling @func on each row. */
static gboolean
run_rows (UpgSqlite *self, sqlite3_stmt *stmt, UpgRowFunc func, gpointer data, GError **error)
{
  UpgRow row = { row_is_null, row_get_int, row_get_text, stmt, 0 };
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (func != NULL && !func (&row, data))
        {
          rc = SQLITE_DONE;
          break;
        }
      row.index++;
    }
  sqlite3_reset (stmt);
  g_ptr_array_set_size (self->scratch, 0);
  if (rc != SQLITE_DONE)
    return upg_store_set_sqlite_error (self, self->db, error);
  return TRUE;
}

static gboolean
sqlite_query (UpgBackend      *backend,
              const char      *sql,
              const UpgParam  *params,
              guint            n_params,
              UpgRowFunc       func,
              gpointer         data,
              GError         **error)
{
  UpgSqlite *self = (UpgSqlite *) backend;
  sqlite3_stmt *stmt = get_statement (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_params (stmt, params, n_params);
  return run_rows (self, stmt, func, data, error);
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */

typedef struct {
  const UpgEntity *entity;
  gint64           project_id;
  GPtrArray       *records;
} Select;

static gboolean
select_row_cb (UpgRow *row, gpointer data)
{
  Select *select = data;

  g_ptr_array_add (select->records, upg_store_record_from_row (select->entity, row, select->project_id));
  return TRUE;
}

static gboolean
sqlite_select (UpgBackend       *backend,
               const UpgEntity  *entity,
               gint64            parent_id,
               const gint64     *ids,
               guint             n_ids,
               gint64            project_id,
               GPtrArray        *records,
               GError          **error)
{
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  Select select = { entity, project_id, records };
  UpgParam param = UPG_PARAM_INT (parent_id);

  if (n_ids > 0)
    {
      /* A file is read where it lies: one prepared statement per row. */
      sql = upg_store_select_sql (entity, "WHERE id = ?1");
      for (guint i = 0; i < n_ids; i++)
        {
          param = UPG_PARAM_INT (ids[i]);
          if (!sqlite_query (backend, sql, &param, 1, select_row_cb, &select, error))
            return FALSE;
        }
      return TRUE;
    }
  if (entity->parent_column != NULL)
    where = g_strdup_printf ("WHERE %s = ?1 ORDER BY position, id", entity->parent_column);
  else
    where = g_strdup ("ORDER BY position, id");
  sql = upg_store_select_sql (entity, where);
  return sqlite_query (backend, sql, &param, entity->parent_column ? 1 : 0,
                       select_row_cb, &select, error);
}

/* A file is read where it lies: one prepared statement per parent. */
static gboolean
sqlite_select_under (UpgBackend       *backend,
                     const UpgEntity  *entity,
                     const gint64     *parent_ids,
                     guint             n_parents,
                     gint64            project_id,
                     GPtrArray        *records,
                     GError          **error)
{
  for (guint i = 0; i < n_parents; i++)
    if (!sqlite_select (backend, entity, parent_ids[i], NULL, 0, project_id, records, error))
      return FALSE;
  return TRUE;
}

static gboolean
sqlite_insert (UpgBackend  *backend,
               UpgRecord   *record,
               gint64       id,
               gint64       parent_id,
               int          position,
               GError     **error)
{
  UpgSqlite *self = (UpgSqlite *) backend;
  const UpgEntity *entity = upg_record_get_entity (record);
  sqlite3_stmt *stmt = g_hash_table_lookup (self->inserts, entity);
  UpgParam params[64 + 4];
  guint n;
  gboolean ok;

  g_assert (entity->n_fields <= 64);
  if (stmt == NULL)
    {
      g_autofree char *sql = upg_store_insert_sql (entity, TRUE);
      stmt = get_statement (self, sql, error);
      if (stmt == NULL)
        return FALSE;
      g_hash_table_insert (self->inserts, (gpointer) entity, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  n = upg_store_insert_params (record, TRUE, id, parent_id, position, params, self->scratch);
  bind_params (stmt, params, n);
  ok = step_done (self, stmt, error);
  g_ptr_array_set_size (self->scratch, 0);
  if (!ok)
    return FALSE;
  upg_record_set_id (record, sqlite3_last_insert_rowid (self->db));
  return TRUE;
}

/* A file has one writer at a time and no row versions: @versioned asks
 * nothing more of it. */
static gboolean
sqlite_update (UpgBackend  *backend,
               UpgRecord   *record,
               guint64      fields,
               gboolean     versioned,
               GError     **error)
{
  UpgSqlite *self = (UpgSqlite *) backend;
  g_autofree char *sql = upg_store_update_sql (upg_record_get_entity (record), fields);
  UpgParam params[64 + 1];
  guint n = upg_store_update_params (record, fields, params, self->scratch);

  return sqlite_query (backend, sql, params, n, NULL, NULL, error);
}

/* A deleted subtree, row by row, parents first, to put back on Undo. */
typedef struct {
  char           *table;
  GPtrArray      *columns;   /* char * */
  GPtrArray      *values;    /* sqlite3_value * */
} SavedRow;

struct _UpgTombstone {
  GPtrArray *rows;           /* SavedRow */
};

static void
saved_row_free (SavedRow *row)
{
  g_free (row->table);
  g_ptr_array_unref (row->columns);
  g_ptr_array_unref (row->values);
  g_free (row);
}

static void
sqlite_tombstone_free (UpgTombstone *tombstone)
{
  if (tombstone == NULL)
    return;
  g_ptr_array_unref (tombstone->rows);
  g_free (tombstone);
}

static gboolean
save_rows (UpgSqlite   *self,
           const char  *table,
           const char  *column,
           gint64       value,
           GPtrArray   *rows,
           GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" WHERE \"%s\" = ?1 ORDER BY id", table, column);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = get_statement (self, sql, error);
  const UpgDependent *dependents;
  guint n_dependents;
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

  dependents = upg_store_dependents (&n_dependents);
  for (guint i = 0; i < ids->len; i++)
    for (guint d = 0; d < n_dependents; d++)
      if (strcmp (dependents[d].parent, table) == 0 &&
          !save_rows (self, dependents[d].child, dependents[d].column,
                      g_array_index (ids, gint64, i), rows, error))
        return FALSE;
  return TRUE;
}

/* Deletes the rows (the foreign keys cascade) after saving every one of
 * them; restore() inserts them again with their ids. */
static gboolean
sqlite_remove (UpgBackend    *backend,
               UpgRecord     *record,
               UpgTombstone **tombstone,
               GError       **error)
{
  UpgSqlite *self = (UpgSqlite *) backend;
  const UpgEntity *entity = upg_record_get_entity (record);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) saved_row_free);
  g_autofree char *sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?1", entity->table);
  UpgParam id = UPG_PARAM_INT (upg_record_get_id (record));

  if ((tombstone != NULL && !save_rows (self, entity->table, "id", upg_record_get_id (record), rows, error)) ||
      !sqlite_query (backend, sql, &id, 1, NULL, NULL, error))
    return FALSE;
  if (tombstone != NULL)
    {
      *tombstone = g_new0 (UpgTombstone, 1);
      (*tombstone)->rows = g_steal_pointer (&rows);
    }
  return TRUE;
}

static gboolean
sqlite_restore (UpgBackend    *backend,
                UpgTombstone  *tombstone,
                GError       **error)
{
  UpgSqlite *self = (UpgSqlite *) backend;

  for (guint r = 0; r < tombstone->rows->len; r++)
    {
      SavedRow *row = tombstone->rows->pdata[r];
      GString *sql = g_string_new (NULL);
      sqlite3_stmt *stmt;

      g_string_append_printf (sql, "INSERT INTO \"%s\" (", row->table);
      for (guint i = 0; i < row->columns->len; i++)
        g_string_append_printf (sql, "%s\"%s\"", i ? ", " : "", (char *) row->columns->pdata[i]);
      g_string_append (sql, ") VALUES (");
      for (guint i = 0; i < row->columns->len; i++)
        g_string_append_printf (sql, "%s?%u", i ? ", " : "", i + 1);
      g_string_append (sql, ")");
      stmt = get_statement (self, sql->str, error);
      g_string_free (sql, TRUE);
      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; i < row->values->len; i++)
        sqlite3_bind_value (stmt, i + 1, row->values->pdata[i]);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  GArray *ids;
  GArray *positions;
} Order;

static gboolean
order_row_cb (UpgRow *row, gpointer data)
{
  Order *order = data;
  gint64 id = upg_row_get_int (row, 0);
  int position = (int) upg_row_get_int (row, 1);

  g_array_append_val (order->ids, id);
  g_array_append_val (order->positions, position);
  return TRUE;
}

/* The file has one writer at a time (BEGIN IMMEDIATE): the order read
 * here is the order every other program sees. */
static gboolean
sqlite_move (UpgBackend  *backend,
             UpgRecord   *record,
             gint64       after_id,
             GArray      *order,
             GError     **error)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  gint64 id = upg_record_get_id (record);
  g_autofree char *select = NULL;
  g_autofree char *update = g_strdup_printf ("UPDATE \"%s\" SET position = ?1 WHERE id = ?2", entity->table);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (int));
  Order stored = { ids, positions };
  UpgParam parent = UPG_PARAM_INT (upg_record_get_parent_id (record));
  guint at = 0;

  if (entity->parent_column != NULL)
    select = g_strdup_printf ("SELECT id, position FROM \"%s\" WHERE %s = ?1 ORDER BY position, id",
                              entity->table, entity->parent_column);
  else
    select = g_strdup_printf ("SELECT id, position FROM \"%s\" ORDER BY position, id", entity->table);
  if (!sqlite_query (backend, select, &parent, entity->parent_column ? 1 : 0, order_row_cb, &stored, error))
    return FALSE;

  /* The others in their stored order, with @record after @after_id. */
  g_array_set_size (order, 0);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 other = g_array_index (ids, gint64, i);
      if (other == id)
        continue;
      g_array_append_val (order, other);
      if (other == after_id)
        at = order->len;
    }
  if (after_id != 0 && at == 0)
    at = order->len;
  g_array_insert_val (order, at, id);

  for (guint i = 0; i < order->len; i++)
    {
      gint64 row = g_array_index (order, gint64, i);
      UpgParam params[2] = { UPG_PARAM_INT (i), UPG_PARAM_INT (row) };
      int was = -1;

      for (guint j = 0; j < ids->len; j++)
        if (g_array_index (ids, gint64, j) == row)
          was = g_array_index (positions, int, j);
      if (was != (int) i && !sqlite_query (backend, update, params, 2, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Watching, checking                                                  */

static int
query_data_version (UpgSqlite *self)
{
  int version = -1;
  upg_store_query_int (self->db, "PRAGMA data_version", &version);
  return version;
}

static gboolean
watch_cb (gpointer data)
{
  UpgSqlite *self = data;
  int version;

  /* Not in the middle of a transaction of ours. */
  if (!sqlite3_get_autocommit (self->db))
    return G_SOURCE_CONTINUE;
  version = query_data_version (self);
  if (version == self->data_version)
    return G_SOURCE_CONTINUE;
  self->data_version = version;
  /* PRAGMA data_version says that, not what: read everything again. */
  upg_backend_report_changes (&self->parent, NULL, 0);
  return G_SOURCE_CONTINUE;
}

static void
sqlite_watch (UpgBackend *backend,
              guint       interval_ms)
{
  UpgSqlite *self = (UpgSqlite *) backend;

  g_clear_handle_id (&self->watch_id, g_source_remove);
  if (interval_ms == 0)
    return;
  self->data_version = query_data_version (self);
  self->watch_id = g_timeout_add (interval_ms, watch_cb, self);
}

static gboolean
sqlite_check (UpgBackend  *backend,
              char       **report,
              GError     **error)
{
  UpgSqlite *self = (UpgSqlite *) backend;
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

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

/* ------------------------------------------------------------------ */
/* Transactions and the rest                                           */

static gboolean
sqlite_begin (UpgBackend  *backend,
              GError     **error)
{
  UpgSqlite *self = (UpgSqlite *) backend;

  if (self->read_only)
    {
      g_autofree char *name = g_filename_display_basename (self->path);
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_READ_ONLY,
                   _("“%s” is read-only; changes cannot be saved (make it writable to edit it)"), name);
      return FALSE;
    }
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return upg_store_set_sqlite_error (self, self->db, error);
  return TRUE;
}

static void
sqlite_rollback (UpgBackend *backend)
{
  UpgSqlite *self = (UpgSqlite *) backend;

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
sqlite_commit (UpgBackend  *backend,
               GError     **error)
{
  UpgSqlite *self = (UpgSqlite *) backend;

  /* Every transaction carries the file's identity (upg-store-wal.c). */
  if (!upg_store_stamp_commit (self->db, error))
    return FALSE;
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return upg_store_set_sqlite_error (self, self->db, error);
  return TRUE;
}

/* BEGIN IMMEDIATE took the file's write lock: nobody else writes the row. */
static gboolean
sqlite_lock (UpgBackend  *backend,
             UpgRecord   *record,
             GError     **error)
{
  return TRUE;
}

static const char *
sqlite_get_role (UpgBackend *backend)
{
  return NULL;
}

static gboolean
sqlite_in_transaction (UpgBackend *backend)
{
  return !sqlite3_get_autocommit (((UpgSqlite *) backend)->db);
}

static const char *
sqlite_get_path (UpgBackend *backend)
{
  return ((UpgSqlite *) backend)->path;
}

static const char *
sqlite_get_display_name (UpgBackend *backend)
{
  return ((UpgSqlite *) backend)->path;
}

static gboolean
sqlite_is_read_only (UpgBackend *backend)
{
  return ((UpgSqlite *) backend)->read_only;
}

static int
sqlite_get_file_version (UpgBackend *backend)
{
  UpgSqlite *self = (UpgSqlite *) backend;
  return self->file_version ? self->file_version : UPG_STORE_SCHEMA_VERSION;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
sqlite_free (UpgBackend *backend)
{
  UpgSqlite *self = (UpgSqlite *) backend;

  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_pointer (&self->inserts, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->scratch, g_ptr_array_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self);
}

static const UpgBackendVTable sqlite_vtable = {
  .name = "sqlite",
  .free = sqlite_free,
  .get_path = sqlite_get_path,
  .get_display_name = sqlite_get_display_name,
  .is_read_only = sqlite_is_read_only,
  .get_file_version = sqlite_get_file_version,
  .get_role = sqlite_get_role,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .in_transaction = sqlite_in_transaction,
  .lock = sqlite_lock,
  .query = sqlite_query,
  .select = sqlite_select,
  .select_under = sqlite_select_under,
  .insert = sqlite_insert,
  .update = sqlite_update,
  .remove = sqlite_remove,
  .restore = sqlite_restore,
  .tombstone_free = sqlite_tombstone_free,
  .move = sqlite_move,
  .watch = sqlite_watch,
  .check = sqlite_check,
};

static UpgSqlite *
sqlite_new (void)
{
  UpgSqlite *self = g_new0 (UpgSqlite, 1);

  self->parent.vt = &sqlite_vtable;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->inserts = g_hash_table_new (NULL, NULL);
  self->scratch = g_ptr_array_new_with_free_func (g_free);
  return self;
}

/* The uid migration 2 gives a project, for the other backends' dialect of
 * it: the same project gets the same uid wherever it is stored. */
char *
upg_store_derive_project_uid (gint64      id,
                              const char *created_at,
                              const char *name)
{
  return derived_uid (id, created_at, name);
}
