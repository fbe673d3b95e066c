/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-store-schema.c — a plan file is input: every connection is hardened,
 * and before anything reads or writes a file its schema is compared with the
 * one Upgrade Planner makes for the file's version (built in memory by the
 * same migrations). A table, column or index that is missing or different,
 * or one more table, index, trigger or view than the app makes, refuses the
 * file before SQLite runs any of it.
 */
#define G_LOG_DOMAIN "upg-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "upg-store.h"
#include "upg-store-private.h"

/* At most this many differences are named; the rest are counted. */
#define MAX_NAMED 5

gboolean
upg_store_harden (sqlite3  *db,
                  GError  **error)
{
  int defensive = 0, trusted = 1, views = 1;

  /* SQLITE_DBCONFIG_DEFENSIVE: no writable_schema, no journal_mode=OFF, no
   * schema_version writes (sqlite3.h). PRAGMA trusted_schema=OFF: no SQL
   * function that is not innocuous inside the schema (a view, a trigger, a
   * CHECK or DEFAULT expression). Views in the file are never run either
   * (SQLITE_DBCONFIG_ENABLE_VIEW): the app makes none. */
  if (sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, &defensive) != SQLITE_OK ||
      sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, &views) != SQLITE_OK ||
      !upg_store_exec (db, "PRAGMA trusted_schema = OFF", error) ||
      sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &trusted) != SQLITE_OK)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED, "%s", sqlite3_errmsg (db));
      return FALSE;
    }
  g_assert (defensive == 1 && trusted == 0 && views == 0);
  return TRUE;
}

typedef struct {
  char *type;
  char *table;
  char *sql;
} SchemaObject;

static void
schema_object_free (gpointer data)
{
  SchemaObject *object = data;

  g_free (object->type);
  g_free (object->table);
  g_free (object->sql);
  g_free (object);
}

/* name → SchemaObject of every object in the main schema. */
static GHashTable *
read_objects (sqlite3 *db)
{
  GHashTable *objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, schema_object_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT type, name, tbl_name, sql FROM main.sqlite_schema", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_hash_table_unref (objects);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SchemaObject *object = g_new0 (SchemaObject, 1);

      object->type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      object->table = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      object->sql = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_hash_table_replace (objects, g_strdup ((const char *) sqlite3_column_text (stmt, 1)), object);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    g_clear_pointer (&objects, g_hash_table_unref);
  return objects;
}

/* The rows of a table-valued pragma for @name, one string a row: what the
 * app compares of a table's columns or an index's columns. */
static GPtrArray *
read_pragma_rows (sqlite3    *db,
                  const char *sql,
                  const char *name)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_unref (rows);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GString *row = g_string_new (NULL);
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);
          g_string_append_printf (row, "%s%s", i ? "\x1f" : "", text ? text : "\x1e");
        }
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    g_clear_pointer (&rows, g_ptr_array_unref);
  return rows;
}

static gboolean
rows_equal (GPtrArray *a,
            GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (strcmp (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

/* The column names of @table in order. */
static GPtrArray *
column_names (sqlite3    *db,
              const char *table)
{
  return read_pragma_rows (db, "SELECT name FROM pragma_table_xinfo (?1) ORDER BY cid", table);
}

static gboolean
has_string (GPtrArray  *names,
            const char *name)
{
  return names != NULL && g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL);
}

static const char *
kind_label (const char *type)
{
  if (g_strcmp0 (type, "table") == 0)
    return _("table");
  if (g_strcmp0 (type, "index") == 0)
    return _("index");
  if (g_strcmp0 (type, "trigger") == 0)
    return _("trigger");
  if (g_strcmp0 (type, "view") == 0)
    return _("view");
  return type;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted names of the objects in @objects. */
static GPtrArray *
sorted_names (GHashTable *objects)
{
  GPtrArray *names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, objects);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_strings);
  return names;
}

/* Compares a table present in both: its columns (name, type, NOT NULL,
 * default, key, hidden), then its whole definition (CHECK and foreign key
 * constraints are only in the text). */
static void
compare_table (sqlite3    *file,
               sqlite3    *expected,
               const char *table,
               const char *file_sql,
               const char *expected_sql,
               GPtrArray  *differences)
{
  static const char columns_sql[] =
    "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo (?1) ORDER BY cid";
  g_autoptr(GPtrArray) file_names = column_names (file, table);
  g_autoptr(GPtrArray) expected_names = column_names (expected, table);
  g_autoptr(GPtrArray) file_columns = read_pragma_rows (file, columns_sql, table);
  g_autoptr(GPtrArray) expected_columns = read_pragma_rows (expected, columns_sql, table);
  gboolean named = FALSE;

  if (file_names == NULL || expected_names == NULL)
    {
      /* TRANSLATORS: a difference in a plan file's schema; %s is a table's name */
      g_ptr_array_add (differences, g_strdup_printf (_("table “%s” cannot be read"), table));
      return;
    }
  for (guint i = 0; i < expected_names->len; i++)
    if (!has_string (file_names, g_ptr_array_index (expected_names, i)))
      {
        /* TRANSLATORS: a difference in a plan file's schema: "missing column “project.uid”" */
        g_ptr_array_add (differences, g_strdup_printf (_("missing column “%s.%s”"), table,
                                                       (const char *) g_ptr_array_index (expected_names, i)));
        named = TRUE;
      }
  for (guint i = 0; i < file_names->len; i++)
    if (!has_string (expected_names, g_ptr_array_index (file_names, i)))
      {
        /* TRANSLATORS: a difference in a plan file's schema: "extra column “project.evil”" */
        g_ptr_array_add (differences, g_strdup_printf (_("extra column “%s.%s”"), table,
                                                       (const char *) g_ptr_array_index (file_names, i)));
        named = TRUE;
      }
  if (named)
    return;
  if (!rows_equal (file_columns, expected_columns) || g_strcmp0 (file_sql, expected_sql) != 0)
    /* TRANSLATORS: a difference in a plan file's schema; %s is a table's name */
    g_ptr_array_add (differences, g_strdup_printf (_("table “%s” is defined differently"), table));
}

/* Compares an index present in both: its table, its text (NULL for the
 * ones SQLite makes for UNIQUE and PRIMARY KEY) and its columns. */
static void
compare_index (sqlite3      *file,
               sqlite3      *expected,
               const char   *index,
               SchemaObject *have,
               SchemaObject *want,
               GPtrArray    *differences)
{
  static const char columns_sql[] =
    "SELECT seqno, cid, name, \"desc\", coll, \"key\" FROM pragma_index_xinfo (?1) ORDER BY seqno";
  g_autoptr(GPtrArray) file_columns = read_pragma_rows (file, columns_sql, index);
  g_autoptr(GPtrArray) expected_columns = read_pragma_rows (expected, columns_sql, index);

  if (g_strcmp0 (have->table, want->table) != 0 || g_strcmp0 (have->sql, want->sql) != 0 ||
      !rows_equal (file_columns, expected_columns))
    /* TRANSLATORS: a difference in a plan file's schema; %s is an index's name */
    g_ptr_array_add (differences, g_strdup_printf (_("index “%s” is defined differently"), index));
}

/* Every difference between the schema of @file and @expected, in words. */
static GPtrArray *
schema_differences (sqlite3  *file,
                    sqlite3  *expected,
                    GError  **error)
{
  g_autoptr(GHashTable) file_objects = read_objects (file);
  g_autoptr(GHashTable) expected_objects = read_objects (expected);
  g_autoptr(GPtrArray) differences = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) expected_names = NULL;
  g_autoptr(GPtrArray) file_names = NULL;

  if (file_objects == NULL || expected_objects == NULL)
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CORRUPT, "%s",
                   sqlite3_errmsg (file_objects == NULL ? file : expected));
      return NULL;
    }

  expected_names = sorted_names (expected_objects);
  file_names = sorted_names (file_objects);

  /* What the app makes and the file lacks (or has as something else). */
  for (guint i = 0; i < expected_names->len; i++)
    {
      const char *name = g_ptr_array_index (expected_names, i);
      SchemaObject *want = g_hash_table_lookup (expected_objects, name);
      SchemaObject *have = g_hash_table_lookup (file_objects, name);

      if (have == NULL || strcmp (have->type, want->type) != 0)
        /* TRANSLATORS: a difference in a plan file's schema: "missing index “project_uid”";
         * the first %s is "table" or "index" */
        g_ptr_array_add (differences, g_strdup_printf (_("missing %s “%s”"), kind_label (want->type), name));
    }
  /* What the file has and the app does not make: tables, indexes,
   * triggers, views. */
  for (guint i = 0; i < file_names->len; i++)
    {
      const char *name = g_ptr_array_index (file_names, i);
      SchemaObject *have = g_hash_table_lookup (file_objects, name);
      SchemaObject *want = g_hash_table_lookup (expected_objects, name);

      if (want == NULL || strcmp (have->type, want->type) != 0)
        /* TRANSLATORS: a difference in a plan file's schema: "extra trigger “zz”";
         * the first %s is "table", "index", "trigger" or "view" */
        g_ptr_array_add (differences, g_strdup_printf (_("extra %s “%s”"), kind_label (have->type), name));
    }
  /* The same names: the same definitions. */
  for (guint i = 0; i < expected_names->len; i++)
    {
      const char *name = g_ptr_array_index (expected_names, i);
      SchemaObject *want = g_hash_table_lookup (expected_objects, name);
      SchemaObject *have = g_hash_table_lookup (file_objects, name);

      if (have == NULL || strcmp (have->type, want->type) != 0)
        continue;
      if (strcmp (want->type, "table") == 0)
        compare_table (file, expected, name, have->sql, want->sql, differences);
      else if (strcmp (want->type, "index") == 0)
        compare_index (file, expected, name, have, want, differences);
    }
  return g_steal_pointer (&differences);
}

/* A database in memory with the schema @steps make for @version. */
static sqlite3 *
expected_schema (const UpgMigration  *steps,
                 int                  version,
                 GError             **error)
{
  sqlite3 *memory = NULL;

  if (sqlite3_open_v2 (":memory:", &memory, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED, "%s", sqlite3_errmsg (memory));
      sqlite3_close (memory);
      return NULL;
    }
  if (!upg_store_harden (memory, error) || !upg_store_exec (memory, "BEGIN", error))
    {
      sqlite3_close (memory);
      return NULL;
    }
  for (int i = 0; i < version; i++)
    if (!steps[i] (memory, error))
      {
        sqlite3_close (memory);
        return NULL;
      }
  if (!upg_store_exec (memory, "COMMIT", error))
    {
      sqlite3_close (memory);
      return NULL;
    }
  return memory;
}

gboolean
upg_store_check_schema (sqlite3             *db,
                        const char          *name,
                        int                  version,
                        const UpgMigration  *steps,
                        guint                n_steps,
                        GError             **error)
{
  g_autoptr(GPtrArray) differences = NULL;
  g_autoptr(GString) list = NULL;
  sqlite3 *expected;

  g_return_val_if_fail (version >= 0 && (guint) version <= n_steps, FALSE);

  expected = expected_schema (steps, version, error);
  if (expected == NULL)
    return FALSE;
  differences = schema_differences (db, expected, error);
  sqlite3_close (expected);
  if (differences == NULL)
    return FALSE;
  if (differences->len == 0)
    return TRUE;

  list = g_string_new (NULL);
  for (guint i = 0; i < differences->len && i < MAX_NAMED; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", (const char *) g_ptr_array_index (differences, i));
  if (differences->len > MAX_NAMED)
    {
      guint more = differences->len - MAX_NAMED;
      g_string_append (list, ", ");
      /* TRANSLATORS: the end of a list of differences in a plan file's schema */
      g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more", more), more);
    }
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
               /* TRANSLATORS: %s is the file's name, %d its schema version, the last %s the list of differences */
               _("“%s” is not a plan file as Upgrade Planner makes it for schema version %d (%s); it was refused and nothing was written to it"),
               name, version, list->str);
  return FALSE;
}
