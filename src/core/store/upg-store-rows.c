/* upg-store-rows.c — records ⇄ rows for every backend: a record's fields
 * as query parameters, a row read into a record, and the SELECT, INSERT
 * and UPDATE text for an entity, all from the field tables (upg-fields.c).
 */
#include "config.h"

#include <string.h>

#include "upg-store.h"
#include "upg-store-private.h"

/* ------------------------------------------------------------------ */
/* Records ⇄ rows                                                      */

void
upg_store_field_param (UpgRecord *record, guint i, UpgParam *param, GPtrArray *scratch)
{
  const UpgField *field = &upg_record_get_entity (record)->fields[i];

  switch (field->type)
    {
    case UPG_FIELD_INT:
      *param = UPG_PARAM_INT (upg_record_get_int (record, i));
      break;
    case UPG_FIELD_INT_OR_NULL:
      {
        int v = upg_record_get_int (record, i);
        *param = v == UPG_INT_NULL ? UPG_PARAM_TEXT (NULL) : UPG_PARAM_INT (v);
      }
      break;
    case UPG_FIELD_BOOL:
      *param = UPG_PARAM_INT (upg_record_get_bool (record, i) ? 1 : 0);
      break;
    case UPG_FIELD_EMAIL_LIST:
    case UPG_FIELD_ENUM_LIST:
      {
        char *joined = g_strjoinv ("\n", (char **) upg_record_get_strv (record, i));
        g_ptr_array_add (scratch, joined);
        *param = UPG_PARAM_TEXT (joined);
      }
      break;
    case UPG_FIELD_STRING:
    case UPG_FIELD_ENUM:
    case UPG_FIELD_UUID:
    case UPG_FIELD_TIME_ZONE:
    case UPG_FIELD_THRESHOLDS:
      {
        const char *s = upg_record_get_string (record, i);
        *param = UPG_PARAM_TEXT (s ? s : "");
      }
      break;
    default:
      *param = UPG_PARAM_TEXT (upg_record_get_string (record, i));
      break;
    }
}

void
upg_store_read_field (UpgRow *row, int column, UpgRecord *record, guint i)
{
  const UpgField *field = &upg_record_get_entity (record)->fields[i];
  gboolean null = upg_row_is_null (row, column);
  g_auto(GValue) value = G_VALUE_INIT;

  switch (field->type)
    {
    case UPG_FIELD_INT:
    case UPG_FIELD_INT_OR_NULL:
      g_value_init (&value, G_TYPE_INT);
      g_value_set_int (&value, null ? UPG_INT_NULL : (int) upg_row_get_int (row, column));
      break;
    case UPG_FIELD_BOOL:
      g_value_init (&value, G_TYPE_BOOLEAN);
      g_value_set_boolean (&value, upg_row_get_int (row, column) != 0);
      break;
    case UPG_FIELD_EMAIL_LIST:
    case UPG_FIELD_ENUM_LIST:
      {
        const char *text = upg_row_get_text (row, column);
        g_value_init (&value, G_TYPE_STRV);
        g_value_take_boxed (&value, (text && *text) ? g_strsplit (text, "\n", -1) : g_new0 (char *, 1));
      }
      break;
    default:
      g_value_init (&value, G_TYPE_STRING);
      g_value_set_static_string (&value, null ? NULL : upg_row_get_text (row, column));
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
    {
      int max = upg_field_max_chars (&entity->fields[i]);

      /* A text longer than any the app writes (a file changed by other
       * means) is read only one character past its limit: enough for
       * every check to refuse it by its path, and a 200 MB goal costs no
       * more to list than a short one. */
      if (max > 0)
        g_string_append_printf (sql, ", substr (\"%s\", 1, %d)", entity->fields[i].name, max + 1);
      else
        g_string_append_printf (sql, ", \"%s\"", entity->fields[i].name);
    }
  g_string_append_printf (sql, ", extensions FROM \"%s\" %s", entity->table, where);
  return g_string_free (sql, FALSE);
}

char *
upg_store_insert_sql (const UpgEntity *entity,
                      gboolean         with_id)
{
  GString *sql = g_string_new (NULL);
  guint n = entity->n_fields + 2 + (with_id ? 1 : 0) + (entity->parent_column ? 1 : 0);

  /* The id first: NULL lets SQLite choose one (the column is an alias of
   * the rowid), a number keeps a replaced project's. */
  g_string_append_printf (sql, "INSERT INTO \"%s\" (%sposition, extensions", entity->table, with_id ? "id, " : "");
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

guint
upg_store_insert_params (UpgRecord *record,
                         gboolean   with_id,
                         gint64     id,
                         gint64     parent_id,
                         int        position,
                         UpgParam  *params,
                         GPtrArray *scratch)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  guint n = 0;

  if (with_id)
    params[n++] = id != 0 ? UPG_PARAM_INT (id) : UPG_PARAM_TEXT (NULL);
  params[n++] = UPG_PARAM_INT (position);
  params[n++] = UPG_PARAM_TEXT (upg_record_get_extensions (record));
  if (entity->parent_column)
    params[n++] = UPG_PARAM_INT (parent_id);
  for (guint i = 0; i < entity->n_fields; i++)
    upg_store_field_param (record, i, &params[n++], scratch);
  return n;
}

char *
upg_store_update_sql (const UpgEntity *entity, guint64 fields)
{
  GString *sql = g_string_new (NULL);
  guint col = 0;

  g_string_append_printf (sql, "UPDATE \"%s\" SET ", entity->table);
  for (guint i = 0; i < entity->n_fields; i++)
    if (fields & (G_GUINT64_CONSTANT (1) << i))
      {
        g_string_append_printf (sql, "%s\"%s\" = ?%u", col ? ", " : "", entity->fields[i].name, col + 2);
        col++;
      }
  g_string_append (sql, " WHERE id = ?1");
  return g_string_free (sql, FALSE);
}

guint
upg_store_update_params (UpgRecord *record,
                         guint64    fields,
                         UpgParam  *params,
                         GPtrArray *scratch)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  guint n = 0;

  params[n++] = UPG_PARAM_INT (upg_record_get_id (record));
  for (guint i = 0; i < entity->n_fields; i++)
    if (fields & (G_GUINT64_CONSTANT (1) << i))
      upg_store_field_param (record, i, &params[n++], scratch);
  return n;
}

UpgRecord *
upg_store_record_from_row (const UpgEntity *entity,
                           UpgRow          *row,
                           gint64           project_id)
{
  UpgRecord *record = upg_record_new (entity);

  upg_record_set_id (record, upg_row_get_int (row, 0));
  upg_record_set_position (record, (int) upg_row_get_int (row, 1));
  upg_record_set_parent_id (record, entity->parent_column ? upg_row_get_int (row, 2) : 0);
  upg_record_set_project_id (record, project_id ? project_id : upg_row_get_int (row, 0));
  for (guint i = 0; i < entity->n_fields; i++)
    upg_store_read_field (row, i + 3, record, i);
  upg_record_set_extensions (record, upg_row_get_text (row, entity->n_fields + 3));
  return record;
}

const UpgEntity *
upg_store_entity_for_table (const char *table)
{
  static const UpgEntity * const entities[] = {
    &upg_entity_project, &upg_entity_scope_item, &upg_entity_milestone, &upg_entity_risk,
    &upg_entity_member, &upg_entity_group, &upg_entity_sop_step, &upg_entity_sop_event,
    &upg_entity_retro, &upg_entity_retro_item, &upg_entity_email_template, &upg_entity_notice,
  };

  for (guint i = 0; table != NULL && i < G_N_ELEMENTS (entities); i++)
    if (strcmp (entities[i]->table, table) == 0)
      return entities[i];
  return NULL;
}
