/* test-store.c — the plan file: creating, refusing, migrating, writing;
 * and the cases every backend shares (upg-test-store-cases.c) on a file. */
#include "config.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "upg-test-util.h"
#include "upg-test-store-cases.h"
#include "core/upg-plan.h"
#include "core/store/upg-store.h"
#include "core/store/upg-store-private.h"

static int
raw_pragma (const char *path, const char *pragma)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  /* Read-write, so that closing removes the write-ahead log files again. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, pragma, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
raw_exec (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
assert_no_sidecars (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
}

static void
test_create (void)
{
  g_autofree char *path = upg_test_tmpfile ("new.upgplan");
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 0);
  g_clear_object (&store);

  g_assert_cmpint (raw_pragma (path, "PRAGMA application_id"), ==, UPG_STORE_APPLICATION_ID);
  g_assert_cmpint (raw_pragma (path, "PRAGMA user_version"), ==, UPG_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_pragma (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'sop_event'"), ==, 1);

  /* It opens again without being created anew. */
  store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
}

static void
test_pragmas (void)
{
  g_autofree char *path = upg_test_tmpfile ("p.upgplan");
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  sqlite3 *db = upg_store_get_db (store);
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_keys", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA synchronous", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1); /* NORMAL */
  sqlite3_finalize (stmt);
}

static void
test_empty_file_is_new (void)
{
  g_autofree char *path = upg_test_tmpfile ("empty.upgplan");
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;

  upg_test_write (path, "");
  /* Issue 17, case 1: only a caller that may create a plan makes one of
   * it ("sop check" opens existing files only); the file stays empty. */
  store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_null (store);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN);
  g_assert_cmpstr (error->message, ==, "“empty.upgplan” is empty, not an Upgrade Planner plan file; open a plan file (.upgplan) instead");
  g_clear_error (&error);
  {
    gsize length = 1;
    g_autofree char *contents G_GNUC_UNUSED = upg_test_read (path, &length);
    g_assert_cmpuint (length, ==, 0);
  }

  store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (raw_pragma (path, "PRAGMA user_version"), ==, UPG_STORE_SCHEMA_VERSION);
}

static void
test_missing (void)
{
  g_autofree char *path = upg_test_tmpfile ("missing.upgplan");
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);

  g_assert_null (store);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "“missing.upgplan” does not exist; check its name and folder");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Opening @path must fail with @code and @message and leave it as it was. */
static void
assert_refused (const char *path, int code, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;

  before = upg_test_read (path, &before_len);
  store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, UPG_STORE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  after = upg_test_read (path, &after_len);
  g_assert_cmpmem (before, before_len, after, after_len);
  assert_no_sidecars (path);
}

static void
test_refuse_text (void)
{
  g_autofree char *path = upg_test_tmpfile ("notes.txt");
  upg_test_write (path, "These are my release notes, not a plan.\n");
  assert_refused (path, UPG_STORE_ERROR_NOT_A_PLAN, "“notes.txt” is not an Upgrade Planner plan file; open a plan file (.upgplan) instead");
}

static void
test_refuse_other_sqlite (void)
{
  g_autofree char *path = upg_test_tmpfile ("places.sqlite");
  raw_exec (path, "PRAGMA journal_mode=WAL; CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('https://gnome.org');");
  assert_refused (path, UPG_STORE_ERROR_NOT_A_PLAN,
                  "“places.sqlite” is a database of another program, not an Upgrade Planner plan file; open a plan file (.upgplan) instead");
}

static void
test_refuse_truncated (void)
{
  g_autofree char *path = upg_test_tmpfile ("cut.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (path);
  g_autofree char *contents = NULL;
  gsize length;

  g_clear_object (&store);
  g_assert_cmpint (raw_pragma (path, "PRAGMA page_count"), >, 4);
  contents = upg_test_read (path, &length);
  g_assert_true (g_file_set_contents (path, contents, length / 2 + 100, NULL));
  assert_refused (path, UPG_STORE_ERROR_CORRUPT, "“cut.upgplan” is truncated or damaged; open a copy or a backup of it instead");
}

static void
test_refuse_too_new (void)
{
  g_autofree char *path = upg_test_tmpfile ("future.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (path);

  g_clear_object (&store);
  raw_exec (path, "PRAGMA user_version = 7");
  assert_refused (path, UPG_STORE_ERROR_TOO_NEW,
                  "“future.upgplan” was saved by a newer version of Upgrade Planner (file version 7; this version reads up to 3); update Upgrade Planner to open it");
}

static void
test_refuse_garbage_header (void)
{
  g_autofree char *path = upg_test_tmpfile ("garbage.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (path);
  g_autofree char *contents = NULL;
  gsize length;

  g_clear_object (&store);
  contents = upg_test_read (path, &length);
  memset (contents, 'x', 16);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  assert_refused (path, UPG_STORE_ERROR_NOT_A_PLAN, "“garbage.upgplan” is not an Upgrade Planner plan file; open a plan file (.upgplan) instead");
}

static void
test_check_finds_damage (void)
{
  g_autofree char *path = upg_test_tmpfile ("damaged.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  int page_size = raw_pragma (path, "PRAGMA page_size");

  g_assert_true (upg_store_check (store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (report, ==, "ok");
  g_clear_object (&store);
  g_clear_pointer (&report, g_free);

  /* Scribble over every page but the first (the header and schema). */
  contents = upg_test_read (path, &length);
  for (gsize offset = page_size; offset + page_size <= length; offset += page_size)
    memset (contents + offset + 8, 0xA5, page_size - 16);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));

  store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  if (store == NULL)
    g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CORRUPT);
  else
    {
      g_assert_false (upg_store_check (store, &report, &error));
      g_assert_nonnull (report);
      g_assert_cmpstr (report, !=, "ok");
    }
}

/* ---- migrations ---- */

static gboolean
step_create_v1 (sqlite3 *db, GError **error)
{
  return sqlite3_exec (db, "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT);"
                           "INSERT INTO note (text) VALUES ('kept');", NULL, NULL, NULL) == SQLITE_OK;
}

static gboolean
step_add_column (sqlite3 *db, GError **error)
{
  return sqlite3_exec (db, "ALTER TABLE note ADD COLUMN author TEXT DEFAULT 'someone';", NULL, NULL, NULL) == SQLITE_OK;
}

static gboolean
step_fails_halfway (sqlite3 *db, GError **error)
{
  sqlite3_exec (db, "ALTER TABLE note ADD COLUMN author TEXT;", NULL, NULL, NULL);
  g_set_error_literal (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED, "the step failed");
  return FALSE;
}

static char *
find_backup (const char *dir, const char *suffix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, suffix))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

static void
test_migrate_with_backup (void)
{
  static const UpgMigration v1[] = { step_create_v1 };
  static const UpgMigration v2[] = { step_create_v1, step_add_column };
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "old.upgplan", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *sum_path = NULL;
  g_autofree char *sum_line = NULL;
  g_autofree char *backup_bytes = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *base = NULL;
  gsize length;

  /* A version-1 file built by the test. */
  store = upg_store_open_with_migrations (path, UPG_STORE_OPEN_CREATE, v1, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (raw_pragma (path, "PRAGMA user_version"), ==, 1);

  /* A build that knows version 2 migrates it, after a verified backup. */
  store = upg_store_open_with_migrations (path, UPG_STORE_OPEN_EXISTING, v2, 2, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (raw_pragma (path, "PRAGMA user_version"), ==, 2);
  g_assert_cmpint (raw_pragma (path, "SELECT count(*) FROM note WHERE text = 'kept' AND author = 'someone'"), ==, 1);

  backup = find_backup (dir, ".bak");
  g_assert_nonnull (backup);
  g_assert_true (g_str_has_prefix (backup, path));
  g_assert_true (strstr (backup, ".v1-") != NULL);
  g_assert_cmpint (raw_pragma (backup, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (raw_pragma (backup, "SELECT count(*) FROM note"), ==, 1);
  g_assert_cmpint (raw_pragma (backup, "SELECT count(*) FROM pragma_table_info('note') WHERE name = 'author'"), ==, 0);

  sum_path = g_strconcat (backup, ".sha256", NULL);
  sum_line = upg_test_read (sum_path, NULL);
  backup_bytes = upg_test_read (backup, &length);
  base = g_path_get_basename (backup);
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) backup_bytes, length);
  expected = g_strdup_printf ("%s  %s\n", sum, base);
  g_assert_cmpstr (sum_line, ==, expected);
}

static void
test_migration_failure_changes_nothing (void)
{
  static const UpgMigration v1[] = { step_create_v1 };
  static const UpgMigration bad[] = { step_create_v1, step_fails_halfway };
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "old.upgplan", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;

  store = upg_store_open_with_migrations (path, UPG_STORE_OPEN_CREATE, v1, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  store = upg_store_open_with_migrations (path, UPG_STORE_OPEN_EXISTING, bad, 2, &error);
  g_assert_null (store);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Could not update the plan file to version 2: the step failed");
  g_assert_cmpint (raw_pragma (path, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (raw_pragma (path, "SELECT count(*) FROM pragma_table_info('note') WHERE name = 'author'"), ==, 0);
}

static void
test_default_path (void)
{
  g_autofree char *path = upg_store_get_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "upgrade-planner", "plans.upgplan", NULL);
  g_assert_cmpstr (path, ==, expected);
}

/* ---- issue 12, cases 4 and 8: reading without writing ---- */

static gsize
count_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  gsize n = 0;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_test_message ("in %s: %s", dir, name);
      n++;
    }
  return n;
}

/* A store opened only to read leaves no -wal or -shm file and refuses to
 * write. */
static void
test_read_only_flag (void)
{
  g_autofree char *path = upg_test_tmpfile ("read.upgplan");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(UpgStore) store = upg_test_store_open_sample (path);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;

  g_assert_false (upg_store_is_read_only (store));
  g_clear_object (&store);
  assert_no_sidecars (path);
  before = upg_test_read (path, &before_len);

  upg_test_store_assert_read_only (path);

  assert_no_sidecars (path);
  g_assert_cmpuint (count_files (dir), ==, 1);
  after = upg_test_read (path, &after_len);
  g_assert_cmpmem (before, before_len, after, after_len);
}

/* A plan on a read-only file system (the folder and the file not writable,
 * also for root) opens read-only and reads. */
static void
test_read_only_file_system (void)
{
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "ro.upgplan", NULL);
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!upg_test_in_namespace (UPG_TEST_NS_MOUNTS))
    return;
  upg_test_mount_tmpfs (dir, "4m");
  store = upg_test_store_open_sample (path);
  g_clear_object (&store);
  upg_test_remount_read_only (dir);

  for (guint i = 0; i < 2; i++)
    {
      store = upg_store_open (path, i ? UPG_STORE_OPEN_READ_ONLY : UPG_STORE_OPEN_EXISTING, &error);
      g_assert_no_error (error);
      g_assert_true (upg_store_is_read_only (store));
      g_assert_true (upg_store_load (store, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 1);
      g_clear_object (&store);
    }
  assert_no_sidecars (path);
  upg_test_unmount (dir);
}

/* As a user who cannot write the file (for root too: the test runs as a
 * user the file system does not know, so permissions hold): it opens
 * read-only and leaves no -wal or -shm file behind. */
static void
test_read_only_permissions (void)
{
  g_autofree char *path = upg_test_tmpfile ("mine.upgplan");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* Made before: a user nobody maps cannot create files. */
  store = upg_test_store_open_sample (path);
  g_clear_object (&store);
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  if (!upg_test_in_namespace (UPG_TEST_NS_UNMAPPED))
    return;
  g_assert_cmpint (g_access (path, W_OK), !=, 0);
  store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_is_read_only (store));
  g_assert_true (upg_store_load (store, &error));
  g_clear_object (&store);
  assert_no_sidecars (path);
  g_assert_cmpuint (count_files (dir), ==, 1);
  g_chmod (path, 0644);
}

/* An empty file is not a plan to a reader; a pipe is never opened. */
static void
test_refuse_empty_and_fifo (void)
{
  g_autofree char *path = upg_test_tmpfile ("empty.upgplan");
  g_autofree char *fifo = upg_test_tmpfile ("pipe.upgplan");
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  g_autofree char *contents = NULL;

  upg_test_write (path, "");
  store = upg_store_open (path, UPG_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN);
  g_assert_cmpstr (error->message, ==, "“empty.upgplan” is empty, not an Upgrade Planner plan file; open a plan file (.upgplan) instead");
  g_clear_error (&error);
  contents = upg_test_read (path, &length);
  g_assert_cmpuint (length, ==, 0);
  assert_no_sidecars (path);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      UpgStoreOpenFlags flags[] = { UPG_STORE_OPEN_READ_ONLY, UPG_STORE_OPEN_EXISTING, UPG_STORE_OPEN_CREATE };
      store = upg_store_open (fifo, flags[i], &error);
      g_assert_null (store);
      g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN);
      g_assert_cmpstr (error->message, ==, "“pipe.upgplan” is not a regular file (a pipe or a device, say), so it is not a plan file");
      g_clear_error (&error);
    }
  assert_no_sidecars (fifo);
}

/* A new file is made in an existing folder only. */
static void
test_create_needs_folder (void)
{
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "missing", "new.upgplan", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);

  g_assert_null (store);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Cannot create “new.upgplan”: its folder does not exist");
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* An older file opened only to read is migrated in memory: the file, its
 * version and its folder stay as they were (no backup either). */
static void
test_read_only_migrates_in_memory (void)
{
  static const UpgMigration v1[] = { step_create_v1 };
  static const UpgMigration v2[] = { step_create_v1, step_add_column };
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "old.upgplan", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  int author = 0;

  store = upg_store_open_with_migrations (path, UPG_STORE_OPEN_CREATE, v1, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  before = upg_test_read (path, &before_len);

  store = upg_store_open_with_migrations (path, UPG_STORE_OPEN_READ_ONLY, v2, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (upg_store_query_int (upg_store_get_db (store), "SELECT count(*) FROM note WHERE author = 'someone'", &author), ==, SQLITE_OK);
  g_assert_cmpint (author, ==, 1);
  g_clear_object (&store);

  after = upg_test_read (path, &after_len);
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_cmpuint (count_files (dir), ==, 1);
}

/* The user the store takes this process for: this program's geteuid()
 * comes before the C library's, so "another user's file" needs no chown
 * (which only root may do) and the test runs for every user alike. */
static uid_t pretend_euid = (uid_t) -1;

uid_t
geteuid (void)
{
  return pretend_euid != (uid_t) -1 ? pretend_euid : (uid_t) syscall (SYS_geteuid);
}

/* Reading another user's plan (root reading a colleague's, say) leaves no
 * -wal or -shm file of ours beside it, not even while the store is open. */
static void
test_read_only_foreign_owner (void)
{
  g_autofree char *path = upg_test_tmpfile ("theirs.upgplan");
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(UpgStore) store = upg_test_store_open_sample (path);
  g_autoptr(GError) error = NULL;

  g_clear_object (&store);
  /* Someone else now: the file is not ours. */
  pretend_euid = (uid_t) syscall (SYS_geteuid) + 1;
  /* Our own file while open: SQLite keeps its -shm beside it. */
  store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load (store, &error));
  g_clear_object (&store);
  assert_no_sidecars (path);

  store = upg_store_open (path, UPG_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load (store, &error));
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 1);
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_clear_object (&store);
  assert_no_sidecars (path);
  pretend_euid = (uid_t) -1;
}

/* list, check and export read an older file without migrating it on disk:
 * no backup, the same bytes; check says which version the file has. */
static void
test_read_only_older_file_cli (void)
{
  g_autofree char *path = upg_test_tmpfile ("old.upgplan");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  gsize before_len, after_len;
  const UpgMigration *all;
  guint n;

  all = upg_store_migrations (&n);
  store = upg_store_open_with_migrations (path, UPG_STORE_OPEN_CREATE, all, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  raw_exec (path, "INSERT INTO project (id, position, name, kind, status, created_at, updated_at) "
                  "VALUES (1, 0, 'Old', 'feature', 'live', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')");
  before = upg_test_read (path, &before_len);

  g_assert_cmpint (upg_test_run_cli (&out, &err, "check", "--db", path, NULL), ==, 0);
  expected = g_strdup_printf ("ok: schema version 1, 1 project\n"
                              "note: the file is updated to schema version %d (after a verified backup) when it is next opened for writing\n"
                              "warning: project 1 (Old): No one on the team is the project manager.\n"
                              "warning: project 1 (Old): The checklist has no rollback steps: write down how to roll back before the day.\n",
                              UPG_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "list", "--db", path, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "1\tOld\tfeature\tlive\t? → ?\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "plan", "--db", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"name\": \"Old\""));

  after = upg_test_read (path, &after_len);
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_cmpuint (count_files (dir), ==, 1);
}

/* ---- the cases every backend shares (upg-test-store-cases.c) ---- */

static char *
sqlite_new_location (const char *name)
{
  return upg_test_tmpfile (name);
}

static gint64
sqlite_query_int (const char *path, const char *sql)
{
  return raw_pragma (path, sql);
}

static const UpgTestStoreBackend sqlite_backend = {
  "sqlite", sqlite_new_location, sqlite_query_int,
};

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/store/create", test_create);
  g_test_add_func ("/store/pragmas", test_pragmas);
  g_test_add_func ("/store/empty-file-is-new", test_empty_file_is_new);
  g_test_add_func ("/store/missing", test_missing);
  g_test_add_func ("/store/refuse/text", test_refuse_text);
  g_test_add_func ("/store/refuse/other-sqlite", test_refuse_other_sqlite);
  g_test_add_func ("/store/refuse/truncated", test_refuse_truncated);
  g_test_add_func ("/store/refuse/too-new", test_refuse_too_new);
  g_test_add_func ("/store/refuse/garbage-header", test_refuse_garbage_header);
  g_test_add_func ("/store/check-finds-damage", test_check_finds_damage);
  g_test_add_func ("/store/migrate/backup", test_migrate_with_backup);
  g_test_add_func ("/store/migrate/failure", test_migration_failure_changes_nothing);
  g_test_add_func ("/store/default-path", test_default_path);
  g_test_add_func ("/store/read-only/flag", test_read_only_flag);
  g_test_add_func ("/store/read-only/file-system", test_read_only_file_system);
  g_test_add_func ("/store/read-only/permissions", test_read_only_permissions);
  g_test_add_func ("/store/refuse/empty-and-fifo", test_refuse_empty_and_fifo);
  g_test_add_func ("/store/create-needs-folder", test_create_needs_folder);
  g_test_add_func ("/store/read-only/migrates-in-memory", test_read_only_migrates_in_memory);
  g_test_add_func ("/store/read-only/foreign-owner", test_read_only_foreign_owner);
  g_test_add_func ("/store/read-only/older-file-cli", test_read_only_older_file_cli);

  upg_test_store_cases_add (&sqlite_backend);

  return g_test_run ();
}
