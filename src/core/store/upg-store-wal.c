/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-store-wal.c — reading a plan file without writing it, and the
 * write-ahead log beside it.
 *
 * SQLite pairs a database and its "-wal" by name alone: recovery checks the
 * log's own header and frame checksums and salts, nothing that ties them to
 * the database file (wal.c, walIndexRecover()), so a log from another plan
 * left beside a file would be merged into it, and a connection that may
 * write checkpoints a log into the file when it closes. So:
 *
 * - A reader never opens a plan file read-write. With no log to read it
 *   opens the file immutable=1 (no lock, no -wal or -shm made); with a log
 *   that another connection shares (its -shm is there) it opens mode=ro,
 *   which reads the log through the shared index and never checkpoints
 *   (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE as well); with a log left alone (no
 *   -shm: a connection that was killed, or a copied file) it reads copies
 *   of both in a folder of its own, since a read-only connection would make
 *   a -shm beside the file.
 * - Every plan file carries a random identity in its meta table (file_id),
 *   and every commit the store makes rewrites a meta row (commits), so each
 *   transaction in a log carries the meta page with the identity of the
 *   file it was written for. A log belongs to the file when the identity
 *   read through it is the one in the file alone; a file without one yet
 *   (older, or never checkpointed) cannot tell and is read as before. A
 *   log beside an empty file never belongs (SQLite would delete it).
 */
#define G_LOG_DOMAIN "upg-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sqlite3.h>

#include "upg-store.h"
#include "upg-store-private.h"

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

static gboolean
set_foreign_wal (GError     **error,
                 const char  *name)
{
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
               /* TRANSLATORS: %s is the plan file's name; the log is that name with -wal */
               _("“%s-wal” beside “%s” is the write-ahead log of another plan file; it was not read and nothing was written. "
                 "Move it away (or put back the plan file it belongs to) and open the plan again"),
               name, name);
  return FALSE;
}

static char *
uri_for (const char *path,
         const char *query)
{
  g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);

  return g_strdup_printf ("file:%s?%s", escaped, query);
}

static sqlite3 *
open_uri (UpgSqlite   *self,
          const char  *uri,
          int          flags,
          GError     **error)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (uri, &db, flags | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      if (error != NULL)
        upg_store_set_sqlite_error (self, db, error);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 0);
  sqlite3_busy_timeout (db, 5000);
  /* A connection of ours never merges a log into the file on closing. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  if (!upg_store_harden (db, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

UpgWalState
upg_store_wal_state (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  gint64 wal_size = file_size (wal);

  if (wal_size >= 0 && g_file_test (shm, G_FILE_TEST_EXISTS))
    return UPG_WAL_SHARED;
  if (wal_size > 0)
    return UPG_WAL_LEFT;
  return UPG_WAL_NONE;
}

/* Copies @from to @to, byte for byte. */
static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);

  return g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, error);
}

static void
remove_copy (const char *dir,
             const char *copy)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal", "" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (copy, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

/* The file and the log left beside it, read from copies in a folder of our
 * own into a database in memory. */
static sqlite3 *
read_copies (UpgSqlite *self,
             GError   **error)
{
  const char *path = self->path;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("upgrade-planner-XXXXXX", &local_error);
  g_autofree char *copy = NULL;
  g_autofree char *copy_wal = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *uri = NULL;
  sqlite3 *db = NULL, *memory = NULL;
  sqlite3_backup *backup;

  if (dir == NULL)
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED, "%s", local_error->message);
      return NULL;
    }
  copy = g_build_filename (dir, "plan.upgplan", NULL);
  copy_wal = g_strconcat (copy, "-wal", NULL);
  if (!copy_file (path, copy, &local_error) || !copy_file (wal, copy_wal, &local_error))
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED, "%s", local_error->message);
      remove_copy (dir, copy);
      return NULL;
    }
  uri = uri_for (copy, "mode=rw");
  db = open_uri (self, uri, SQLITE_OPEN_READWRITE, error);
  memory = db ? open_uri (self, ":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, error) : NULL;
  if (memory != NULL)
    {
      backup = sqlite3_backup_init (memory, "main", db, "main");
      if (backup != NULL)
        sqlite3_backup_step (backup, -1);
      if (backup == NULL || sqlite3_backup_finish (backup) != SQLITE_OK)
        {
          upg_store_set_sqlite_error (self, db, error);
          sqlite3_close (memory);
          memory = NULL;
        }
    }
  sqlite3_close (db);
  remove_copy (dir, copy);
  return memory;
}

sqlite3 *
upg_store_open_reader (UpgSqlite *self,
                       gboolean  *in_memory,
                       GError   **error)
{
  const char *path = self->path;
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *uri = NULL;

  *in_memory = FALSE;
  if (file_size (path) == 0 && file_size (wal) > 0)
    {
      set_foreign_wal (error, name);
      return NULL;
    }
  switch (upg_store_wal_state (path))
    {
    case UPG_WAL_SHARED:
      uri = uri_for (path, "mode=ro");
      return open_uri (self, uri, SQLITE_OPEN_READONLY, error);
    case UPG_WAL_LEFT:
      *in_memory = TRUE;
      return read_copies (self, error);
    case UPG_WAL_NONE:
    default:
      uri = uri_for (path, "mode=ro&immutable=1");
      return open_uri (self, uri, SQLITE_OPEN_READONLY, error);
    }
}

/* The file's identity as @db reads it: NULL when it has none, or when
 * it cannot be read (*readable FALSE). */
static char *
read_file_id (sqlite3  *db,
              gboolean *readable)
{
  sqlite3_stmt *stmt = NULL;
  char *id = NULL;
  int rc;

  *readable = FALSE;
  if (sqlite3_prepare_v2 (db, "SELECT value FROM main.meta WHERE key = 'file_id'", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *readable = rc == SQLITE_ROW || rc == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return id;
}

gboolean
upg_store_check_wal (UpgSqlite *self,
                     sqlite3   *through_wal,
                     GError   **error)
{
  const char *path = self->path;
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *own = NULL;
  g_autofree char *seen = NULL;
  gboolean readable;
  sqlite3 *alone;

  if (file_size (wal) <= 0)
    return TRUE;
  if (file_size (path) == 0)
    return set_foreign_wal (error, name);

  /* The file by itself: immutable=1 never reads the log. */
  uri = uri_for (path, "mode=ro&immutable=1");
  alone = open_uri (self, uri, SQLITE_OPEN_READONLY, NULL);
  if (alone == NULL)
    return TRUE;
  own = read_file_id (alone, &readable);
  sqlite3_close (alone);
  if (own == NULL)
    return TRUE;

  seen = read_file_id (through_wal, &readable);
  if (g_strcmp0 (own, seen) != 0)
    return set_foreign_wal (error, name);
  return TRUE;
}

gboolean
upg_store_stamp_commit (sqlite3  *db,
                        GError  **error)
{
  int has_meta = 0;

  if (upg_store_query_int (db, "SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' AND name = 'meta'",
                           &has_meta) != SQLITE_OK)
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED, "%s", sqlite3_errmsg (db));
      return FALSE;
    }
  if (!has_meta)
    return TRUE;
  return upg_store_exec (db,
                         "INSERT OR IGNORE INTO meta (key, value) VALUES ('file_id', lower (hex (randomblob (16))));"
                         "INSERT INTO meta (key, value) VALUES ('commits', '1')"
                         "  ON CONFLICT (key) DO UPDATE SET value = CAST (value AS INTEGER) + 1;",
                         error);
}
