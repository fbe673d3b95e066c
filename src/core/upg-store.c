/* upg-store.c — the plan file: opening it safely, its schema and migrations,
 * and every statement the app runs against it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "upg-store.h"
#include "upg-store-private.h"

struct _UpgStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  GHashTable  *statements;   /* SQL text → sqlite3_stmt */
  GHashTable  *inserts;      /* UpgEntity → its INSERT statement (import's hot path) */
  GListStore  *projects;
  gboolean     read_only;
};

G_DEFINE_FINAL_TYPE (UpgStore, upg_store, G_TYPE_OBJECT)

enum {
  WRITE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (upg-store-error-quark, upg_store_error)

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

static gboolean
exec_sql (sqlite3     *db,
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
  return exec_sql (db, schema_v1, error);
}

static const UpgMigration migrations[] = {
  migrate_to_1,
};
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == UPG_STORE_SCHEMA_VERSION);

/* Which rows hang off which, for deleting with Undo. */
static const struct {
  const char *parent;
  const char *child;
  const char *column;
} dependents[] = {
  { "project", "scope_item", "project_id" },
  { "project", "milestone", "project_id" },
  { "project", "risk", "project_id" },
  { "project", "member", "project_id" },
  { "project", "stakeholder_group", "project_id" },
  { "project", "sop_step", "project_id" },
  { "project", "retrospective", "project_id" },
  { "project", "email_template", "project_id" },
  { "sop_step", "sop_check", "step_id" },
  { "retrospective", "retro_item", "retro_id" },
};

/* ------------------------------------------------------------------ */
/* Errors                                                              */

static gboolean
set_sqlite_error (UpgStore  *self,
                  sqlite3   *db,
                  GError   **error)
{
  int code = sqlite3_errcode (db) & 0xff;
  g_autofree char *name = g_filename_display_basename (self ? self->path : "");

  if (code == SQLITE_READONLY)
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_READ_ONLY,
                 _("“%s” is read-only; changes cannot be saved"), name);
  else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CORRUPT,
                 _("“%s” is truncated or damaged"), name);
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                 _("“%s” is in use by another program; try again"), name);
  else
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                 _("Could not use “%s”: %s"), name, sqlite3_errmsg (db));
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

static void
upg_store_finalize (GObject *object)
{
  UpgStore *self = UPG_STORE (object);

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

static gboolean
set_too_new (GError **error, const char *name, int version, int max_version)
{
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_TOO_NEW,
               _("“%s” was saved by a newer version of Upgrade Planner (file version %d; this version reads up to %d)"),
               name, version, max_version);
  return FALSE;
}

static gboolean
set_not_ours (GError **error, const char *name)
{
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
               _("“%s” is a database of another program, not an Upgrade Planner plan file"), name);
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
                     _("“%s” does not exist"), name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                     _("“%s” is a folder, not a plan file"), name);
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
                   _("“%s” is not an Upgrade Planner plan file"), name);
      return FALSE;
    }
  if (!*trust_header)
    return TRUE;
  if (read_be32 (header + 68) != UPG_STORE_APPLICATION_ID)
    return set_not_ours (error, name);

  *version = (int) read_be32 (header + 60);
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
                   _("“%s” is truncated or damaged"), name);
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
backup_before_migration (UpgStore  *self,
                         int        from_version,
                         GError   **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
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

  if (sqlite3_open_v2 (backup_path, &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
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
                   _("Could not back up “%s” before updating it; nothing was changed"), name);
    }
  return ok;
}

static gboolean
run_migrations (UpgStore            *self,
                int                  from_version,
                const UpgMigration  *steps,
                guint                n_steps,
                GError             **error)
{
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", n_steps);
  g_autofree char *set_app = g_strdup_printf ("PRAGMA application_id = %d", (int) UPG_STORE_APPLICATION_ID);

  if (!exec_sql (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = from_version; i < n_steps; i++)
    if (!steps[i] (self->db, error))
      goto failed;
  if (!exec_sql (self->db, set_app, error) || !exec_sql (self->db, set_version, error) ||
      !exec_sql (self->db, "COMMIT", error))
    goto failed;
  return TRUE;

failed:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_prefix_error (error, _("Could not update the plan file to version %u: "), n_steps);
  return FALSE;
}

static int
pragma_int (sqlite3 *db, const char *sql, int *value)
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

UpgStore *
upg_store_open_with_migrations (const char          *path,
                                UpgStoreOpenFlags    flags,
                                const UpgMigration  *steps,
                                guint                n_steps,
                                GError             **error)
{
  g_autoptr(UpgStore) self = NULL;
  g_autofree char *name = NULL;
  gboolean exists, empty = FALSE, created = FALSE, trust_header = TRUE;
  int version = 0, app_id = 0, n_tables = 0, open_flags;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (UPG_TYPE_STORE, NULL);
  self->path = g_canonicalize_filename (path, NULL);
  name = g_filename_display_basename (self->path);

  exists = g_file_test (self->path, G_FILE_TEST_EXISTS);
  if (!exists && !(flags & UPG_STORE_OPEN_CREATE))
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_FOUND,
                   _("“%s” does not exist"), name);
      return NULL;
    }
  if (exists)
    {
      if (!check_header (self->path, n_steps, &version, &empty, &trust_header, error))
        return NULL;
      self->read_only = g_access (self->path, W_OK) != 0;
    }
  else
    {
      g_autofree char *dir = g_path_get_dirname (self->path);
      if (g_mkdir_with_parents (dir, 0755) != 0)
        {
          int saved = errno;
          g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                       _("Could not create the folder for “%s”: %s"), name, g_strerror (saved));
          return NULL;
        }
      created = TRUE;
    }

  if (self->read_only && trust_header && (empty || version < (int) n_steps))
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_READ_ONLY,
                   _("“%s” is read-only and needs to be updated to open; make it writable first"), name);
      return NULL;
    }

  open_flags = (self->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
               (created ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2 (self->path, &self->db, open_flags, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, self->db, error);
      if (created)
        g_unlink (self->path);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 0);
  sqlite3_busy_timeout (self->db, 5000);

  /* Ask SQLite too: this reads the schema, which finds most damage early. */
  if (pragma_int (self->db, "PRAGMA application_id", &app_id) != SQLITE_OK ||
      pragma_int (self->db, "PRAGMA user_version", &version) != SQLITE_OK ||
      pragma_int (self->db, "SELECT count(*) FROM sqlite_schema", &n_tables) != SQLITE_OK)
    {
      if ((sqlite3_errcode (self->db) & 0xff) == SQLITE_NOTADB)
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                     _("“%s” is not an Upgrade Planner plan file"), name);
      else
        set_sqlite_error (self, self->db, error);
      return NULL;
    }
  if (!created && !empty)
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
      else if (version > (int) n_steps)
        {
          set_too_new (error, name, version, n_steps);
          return NULL;
        }
    }

  if (!self->read_only)
    {
      if (!exec_sql (self->db, "PRAGMA journal_mode = WAL", error))
        return NULL;
    }
  if (!exec_sql (self->db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", error))
    return NULL;

  if (created || empty)
    {
      if (!run_migrations (self, 0, steps, n_steps, error))
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

UpgStore *
upg_store_open (const char         *path,
                UpgStoreOpenFlags   flags,
                GError            **error)
{
  return upg_store_open_with_migrations (path, flags, migrations,
                                         G_N_ELEMENTS (migrations), error);
}

const char *
upg_store_get_path (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  return self->path;
}

sqlite3 *
upg_store_get_db (UpgStore *self)
{
  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  return self->db;
}

char *
upg_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "upgrade-planner", "plans.upgplan", NULL);
}

/* ------------------------------------------------------------------ */
/* Statements and transactions                                         */

static sqlite3_stmt *
get_statement (UpgStore    *self,
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
      set_sqlite_error (self, self->db, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (UpgStore      *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, self->db, error);
  return TRUE;
}

gboolean
upg_store_begin (UpgStore  *self,
                 GError   **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  if (self->read_only)
    {
      g_autofree char *name = g_filename_display_basename (self->path);
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_READ_ONLY,
                   _("“%s” is read-only; changes cannot be saved"), name);
      return FALSE;
    }
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (self, self->db, error);
  return TRUE;
}

gboolean
upg_store_commit (UpgStore  *self,
                  GError   **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, self->db, error);
      upg_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
upg_store_rollback (UpgStore *self)
{
  g_return_if_fail (UPG_IS_STORE (self));
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
upg_store_begin_nested (UpgStore  *self,
                        gboolean  *own,
                        GError   **error)
{
  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  *own = sqlite3_get_autocommit (self->db) != 0;
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

/* ------------------------------------------------------------------ */
/* Records ⇄ rows                                                      */

static void
bind_field (sqlite3_stmt *stmt, int index, UpgRecord *record, guint i)
{
  const UpgField *field = &upg_record_get_entity (record)->fields[i];

  switch (field->type)
    {
    case UPG_FIELD_INT:
      sqlite3_bind_int (stmt, index, upg_record_get_int (record, i));
      break;
    case UPG_FIELD_INT_OR_NULL:
      {
        int v = upg_record_get_int (record, i);
        if (v == UPG_INT_NULL)
          sqlite3_bind_null (stmt, index);
        else
          sqlite3_bind_int (stmt, index, v);
      }
      break;
    case UPG_FIELD_BOOL:
      sqlite3_bind_int (stmt, index, upg_record_get_bool (record, i) ? 1 : 0);
      break;
    case UPG_FIELD_EMAIL_LIST:
      {
        g_autofree char *joined = g_strjoinv ("\n", (char **) upg_record_get_strv (record, i));
        sqlite3_bind_text (stmt, index, joined, -1, SQLITE_TRANSIENT);
      }
      break;
    case UPG_FIELD_STRING:
    case UPG_FIELD_ENUM:
      {
        const char *s = upg_record_get_string (record, i);
        sqlite3_bind_text (stmt, index, s ? s : "", -1, SQLITE_STATIC);
      }
      break;
    default:
      {
        const char *s = upg_record_get_string (record, i);
        if (s == NULL)
          sqlite3_bind_null (stmt, index);
        else
          sqlite3_bind_text (stmt, index, s, -1, SQLITE_STATIC);
      }
      break;
    }
}

static void
read_field (sqlite3_stmt *stmt, int column, UpgRecord *record, guint i)
{
  const UpgField *field = &upg_record_get_entity (record)->fields[i];
  gboolean null = sqlite3_column_type (stmt, column) == SQLITE_NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  switch (field->type)
    {
    case UPG_FIELD_INT:
    case UPG_FIELD_INT_OR_NULL:
      g_value_init (&value, G_TYPE_INT);
      g_value_set_int (&value, null ? UPG_INT_NULL : sqlite3_column_int (stmt, column));
      break;
    case UPG_FIELD_BOOL:
      g_value_init (&value, G_TYPE_BOOLEAN);
      g_value_set_boolean (&value, sqlite3_column_int (stmt, column) != 0);
      break;
    case UPG_FIELD_EMAIL_LIST:
      {
        const char *text = (const char *) sqlite3_column_text (stmt, column);
        g_value_init (&value, G_TYPE_STRV);
        g_value_take_boxed (&value, (text && *text) ? g_strsplit (text, "\n", -1) : g_new0 (char *, 1));
      }
      break;
    default:
      g_value_init (&value, G_TYPE_STRING);
      g_value_set_static_string (&value, null ? NULL : (const char *) sqlite3_column_text (stmt, column));
      break;
    }
  /* A record just made: nobody watches it yet, so nothing to notify. */
  upg_record_load_value (record, i, &value);
}

/* "SELECT id, position, <parent>, f1, …, extensions FROM table" */
static char *
select_sql (const UpgEntity *entity, const char *where)
{
  GString *sql = g_string_new ("SELECT id, position, ");

  g_string_append (sql, entity->parent_column ? entity->parent_column : "id");
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (sql, ", \"%s\"", entity->fields[i].name);
  g_string_append_printf (sql, ", extensions FROM \"%s\" %s", entity->table, where);
  return g_string_free (sql, FALSE);
}

static void record_notify_cb (UpgRecord *record, GParamSpec *pspec, UpgStore *self);

static void
watch_record (UpgStore *self, UpgRecord *record)
{
  g_signal_connect_object (record, "notify", G_CALLBACK (record_notify_cb), self, 0);
}

static UpgRecord *
record_from_row (UpgStore *self, const UpgEntity *entity, sqlite3_stmt *stmt, gint64 project_id)
{
  UpgRecord *record = upg_record_new (entity);

  upg_record_set_id (record, sqlite3_column_int64 (stmt, 0));
  upg_record_set_position (record, sqlite3_column_int (stmt, 1));
  upg_record_set_parent_id (record, entity->parent_column ? sqlite3_column_int64 (stmt, 2) : 0);
  upg_record_set_project_id (record, project_id ? project_id : sqlite3_column_int64 (stmt, 0));
  for (guint i = 0; i < entity->n_fields; i++)
    read_field (stmt, i + 3, record, i);
  upg_record_set_extensions (record, (const char *) sqlite3_column_text (stmt, entity->n_fields + 3));
  watch_record (self, record);
  return record;
}

static gboolean
load_projects (UpgStore *self, GError **error)
{
  g_autofree char *sql = select_sql (&upg_entity_project, "ORDER BY position, id");
  sqlite3_stmt *stmt = get_statement (self, sql, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, record_from_row (self, &upg_entity_project, stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, self->db, error);

  self->projects = g_list_store_new (UPG_TYPE_PROJECT);
  for (guint i = 0; i < rows->len; i++)
    upg_record_set_container (rows->pdata[i], self->projects);
  g_list_store_splice (self->projects, 0, 0, rows->pdata, rows->len);
  return TRUE;
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
  g_return_val_if_fail (UPG_IS_STORE (self), 0);
  pragma_int (self->db, "SELECT count(*) FROM project", &n);
  return n;
}

UpgProject *
upg_store_lookup_project (UpgStore  *self,
                          gint64     id,
                          GError   **error)
{
  GListModel *projects = upg_store_get_projects (self);
  guint n = g_list_model_get_n_items (projects);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      if (upg_record_get_id (project) == id)
        return UPG_PROJECT (g_steal_pointer (&project));
    }
  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NO_SUCH_PROJECT,
                 _("There is no project with id %s"), number);
  }
  return NULL;
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
      g_autofree char *where = g_strdup_printf ("WHERE %s = ?1 ORDER BY position, id", child->parent_column);
      g_autofree char *sql = select_sql (child, where);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
      GListStore *list;
      sqlite3_stmt *stmt;
      int rc;

      if (upg_record_get_children (record, child) != NULL)
        continue;
      stmt = get_statement (self, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, upg_record_get_id (record));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (rows, record_from_row (self, child, stmt, upg_record_get_project_id (record)));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return set_sqlite_error (self, self->db, error);

      for (guint i = 0; i < rows->len; i++)
        if (child->children[0] != NULL && !upg_store_load_children (self, rows->pdata[i], error))
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

static gboolean
touch_project (UpgStore *self, gint64 project_id, GError **error)
{
  g_autofree char *now = upg_timestamp_now ();
  GListModel *projects = self->projects ? G_LIST_MODEL (self->projects) : NULL;
  sqlite3_stmt *stmt;

  /* Through the project object when it is loaded, so views see the change. */
  if (projects != NULL)
    for (guint i = 0, n = g_list_model_get_n_items (projects); i < n; i++)
      {
        g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
        if (upg_record_get_id (project) == project_id)
          {
            upg_record_set_string (project, UPG_PROJECT_UPDATED_AT, now);
            return TRUE;
          }
      }
  stmt = get_statement (self, "UPDATE project SET updated_at = ?1 WHERE id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, project_id);
  return step_done (self, stmt, error);
}

static void
record_notify_cb (UpgRecord  *record,
                  GParamSpec *pspec,
                  UpgStore   *self)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean own = FALSE;
  int field = upg_record_field_from_pspec (record, pspec);

  if (field < 0 || upg_record_get_id (record) == 0)
    return;

  sql = g_strdup_printf ("UPDATE \"%s\" SET \"%s\" = ?1 WHERE id = ?2",
                         entity->table, entity->fields[field].name);
  if (!upg_store_begin_nested (self, &own, &error))
    goto out;
  stmt = get_statement (self, sql, &error);
  if (stmt != NULL)
    {
      bind_field (stmt, 1, record, field);
      sqlite3_bind_int64 (stmt, 2, upg_record_get_id (record));
    }
  if (stmt == NULL || !step_done (self, stmt, &error) ||
      (!(entity == &upg_entity_project && field == UPG_PROJECT_UPDATED_AT) &&
       !touch_project (self, upg_record_get_project_id (record), &error)))
    {
      upg_store_end_nested (self, own, FALSE, NULL);
      goto out;
    }
  upg_store_end_nested (self, own, TRUE, &error);

out:
  if (error != NULL)
    g_signal_emit (self, signals[WRITE_FAILED], 0, error);
}

static char *
insert_sql (const UpgEntity *entity)
{
  GString *sql = g_string_new (NULL);
  guint n = entity->n_fields + 2 + (entity->parent_column ? 1 : 0);

  g_string_append_printf (sql, "INSERT INTO \"%s\" (position, extensions", entity->table);
  if (entity->parent_column)
    g_string_append_printf (sql, ", %s", entity->parent_column);
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (sql, ", \"%s\"", entity->fields[i].name);
  g_string_append (sql, ") VALUES (");
  for (guint i = 1; i <= n; i++)
    g_string_append_printf (sql, i == 1 ? "?%u" : ", ?%u", i);
  g_string_append (sql, ")");
  return g_string_free (sql, FALSE);
}

/* The INSERT for @entity's rows, prepared once a store (the statements
 * themselves live in self->statements and are finalized with it). */
static sqlite3_stmt *
insert_statement (UpgStore *self, const UpgEntity *entity, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->inserts, entity);

  if (stmt == NULL)
    {
      g_autofree char *sql = insert_sql (entity);
      stmt = get_statement (self, sql, error);
      if (stmt == NULL)
        return NULL;
      g_hash_table_insert (self->inserts, (gpointer) entity, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

/* Writes @record's row (not its children) and gives it its new id. */
static gboolean
insert_row (UpgStore   *self,
            UpgRecord  *record,
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
  sqlite3_bind_int (stmt, col++, position);
  if (upg_record_get_extensions (record))
    sqlite3_bind_text (stmt, col, upg_record_get_extensions (record), -1, SQLITE_STATIC);
  col++;
  if (entity->parent_column)
    sqlite3_bind_int64 (stmt, col++, parent_id);
  for (guint i = 0; i < entity->n_fields; i++)
    bind_field (stmt, col++, record, i);
  if (!step_done (self, stmt, error))
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
             gint64      parent_id,
             gint64      project_id,
             int         position,
             gboolean    watch,
             GError    **error)
{
  const UpgEntity *entity = upg_record_get_entity (record);

  if (!insert_row (self, record, parent_id, project_id, position, error))
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
          if (!insert_tree (self, child, upg_record_get_id (record),
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
      stmt = get_statement (self, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, i);
      sqlite3_bind_int64 (stmt, 2, upg_record_get_id (record));
      if (!step_done (self, stmt, error))
        return FALSE;
      upg_record_set_position (record, i);
    }
  return TRUE;
}

static gboolean
store_insert (UpgStore   *self,
              UpgRecord  *parent,
              UpgRecord  *record,
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
  ok = insert_tree (self, record, parent ? upg_record_get_id (parent) : 0,
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
  return store_insert (self, parent, record, position, TRUE, error);
}

gboolean
upg_store_insert_project_rows (UpgStore    *self,
                               UpgProject  *project,
                               GError     **error)
{
  return store_insert (self, NULL, UPG_RECORD (project), -1, FALSE, error);
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
  g_ptr_array_unref (undo->rows);
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
  sqlite3_stmt *stmt = get_statement (self, sql, error);
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
    return set_sqlite_error (self, self->db, error);

  for (guint i = 0; i < ids->len; i++)
    for (guint d = 0; d < G_N_ELEMENTS (dependents); d++)
      if (strcmp (dependents[d].parent, table) == 0 &&
          !save_rows (self, dependents[d].child, dependents[d].column,
                      g_array_index (ids, gint64, i), rows, error))
        return FALSE;
  return TRUE;
}

gboolean
upg_store_delete (UpgStore     *self,
                  UpgRecord    *record,
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

  if (!upg_store_begin_nested (self, &own, error))
    return FALSE;
  ok = save_rows (self, entity->table, "id", upg_record_get_id (record), deletion->rows, error);
  if (ok)
    {
      sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?1", entity->table);
      stmt = get_statement (self, sql, error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, upg_record_get_id (record));
          ok = step_done (self, stmt, error);
        }
    }
  if (ok && entity != &upg_entity_project)
    ok = touch_project (self, upg_record_get_project_id (record), error);
  if (!upg_store_end_nested (self, own, ok, error))
    return FALSE;

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
      stmt = get_statement (self, sql->str, error);
      g_string_free (sql, TRUE);
      ok = stmt != NULL;
      if (ok)
        {
          for (guint i = 0; i < row->values->len; i++)
            sqlite3_bind_value (stmt, i + 1, row->values->pdata[i]);
          ok = step_done (self, stmt, error);
        }
    }
  if (ok && upg_record_get_entity (undo->record) != &upg_entity_project)
    ok = touch_project (self, upg_record_get_project_id (undo->record), error);
  if (!upg_store_end_nested (self, own, ok, error))
    return FALSE;

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

char *
upg_store_get_meta (UpgStore   *self,
                    const char *key)
{
  sqlite3_stmt *stmt = get_statement (self, "SELECT value FROM meta WHERE key = ?1", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
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
    stmt = get_statement (self, "DELETE FROM meta WHERE key = ?1", error);
  else
    stmt = get_statement (self, "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (value != NULL)
        sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      ok = step_done (self, stmt, error);
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
    return set_sqlite_error (self, self->db, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (out, "%s%s", out->len ? "\n" : "", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, self->db, error);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (self, self->db, error);
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
  return strcmp (out->str, "ok") == 0;
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
  stmt = get_statement (self, "SELECT name FROM project WHERE build_id = ?1 AND id != ?2 ORDER BY position, id", NULL);
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
  sqlite3_stmt *stmt;
  gboolean own, ok;

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), FALSE);

  if (!upg_store_begin_nested (self, &own, error))
    return FALSE;
  stmt = get_statement (self, "INSERT INTO sop_check (step_id, action, actor, at, reason) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, upg_record_get_id (step));
      sqlite3_bind_text (stmt, 2, action, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, reason ? reason : "", -1, SQLITE_STATIC);
      ok = step_done (self, stmt, error);
    }
  return upg_store_end_nested (self, own, ok, error);
}

GPtrArray *
upg_store_list_check_events (UpgStore   *self,
                             UpgRecord  *step,
                             GError    **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_check_event_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (UPG_IS_STORE (self), NULL);
  stmt = get_statement (self, "SELECT action, actor, at, reason FROM sop_check WHERE step_id = ?1 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, upg_record_get_id (step));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      UpgCheckEvent *event = g_new0 (UpgCheckEvent, 1);
      event->action = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      event->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      event->at = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      event->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, self->db, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}
