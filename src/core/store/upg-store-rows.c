/* upg-store-rows.c — records ⇄ rows: binding a record's fields to a
 * statement, reading a row into a record, and the SELECT and INSERT text
 * for an entity, all from the field tables (upg-fields.c).
 */
#include "config.h"

#include <sqlite3.h>

#include "upg-store.h"
#include "upg-store-private.h"

/* ------------------------------------------------------------------ */
/* Records ⇄ rows                                                      */

void
upg_store_bind_field (sqlite3_stmt *stmt, int index, UpgRecord *record, guint i)
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
    case UPG_FIELD_ENUM_LIST:
      {
        g_autofree char *joined = g_strjoinv ("\n", (char **) upg_record_get_strv (record, i));
        sqlite3_bind_text (stmt, index, joined, -1, SQLITE_TRANSIENT);
      }
      break;
    case UPG_FIELD_STRING:
    case UPG_FIELD_ENUM:
    case UPG_FIELD_UUID:
    case UPG_FIELD_TIME_ZONE:
    case UPG_FIELD_THRESHOLDS:
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

void
upg_store_read_field (sqlite3_stmt *stmt, int column, UpgRecord *record, guint i)
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
    case UPG_FIELD_ENUM_LIST:
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
char *
upg_store_select_sql (const UpgEntity *entity, const char *where)
{
  GString *sql = g_string_new ("SELECT id, position, ");

  g_string_append (sql, entity->parent_column ? entity->parent_column : "id");
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (sql, ", \"%s\"", entity->fields[i].name);
  g_string_append_printf (sql, ", extensions FROM \"%s\" %s", entity->table, where);
  return g_string_free (sql, FALSE);
}
char *
upg_store_insert_sql (const UpgEntity *entity)
{
  GString *sql = g_string_new (NULL);
  guint n = entity->n_fields + 3 + (entity->parent_column ? 1 : 0);

  /* The id first: NULL lets SQLite choose one (the column is an alias of
   * the rowid), a number keeps a replaced project's. */
  g_string_append_printf (sql, "INSERT INTO \"%s\" (id, position, extensions", entity->table);
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
/* A new record from the current row of a statement made by
 * upg_store_select_sql(); nobody watches it yet. */
UpgRecord *
upg_store_record_from_row (const UpgEntity *entity,
                           sqlite3_stmt    *stmt,
                           gint64           project_id)
{
  UpgRecord *record = upg_record_new (entity);

  upg_record_set_id (record, sqlite3_column_int64 (stmt, 0));
  upg_record_set_position (record, sqlite3_column_int (stmt, 1));
  upg_record_set_parent_id (record, entity->parent_column ? sqlite3_column_int64 (stmt, 2) : 0);
  upg_record_set_project_id (record, project_id ? project_id : sqlite3_column_int64 (stmt, 0));
  for (guint i = 0; i < entity->n_fields; i++)
    upg_store_read_field (stmt, i + 3, record, i);
  upg_record_set_extensions (record, (const char *) sqlite3_column_text (stmt, entity->n_fields + 3));
  return record;
}
