/* upg-store-bulk.c — one kind of child for every project, one query a table. */
#define G_LOG_DOMAIN "upg-store"
#include "config.h"

#include "upg-store-bulk.h"
#include "upg-store-private.h"

/* Reads every row of @entity's table (parent, position order) and gives
 * each parent in @parents (id → record) that has not loaded them its list. */
static gboolean
load_table (UpgStore        *self,
            const UpgEntity *entity,
            GHashTable      *parents,
            GPtrArray       *loaded,
            GError         **error)
{
  g_autofree char *where = g_strdup_printf ("ORDER BY %s, position, id", entity->parent_column);
  g_autofree char *sql = upg_store_select_sql (entity, where);
  g_autoptr(GHashTable) rows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  sqlite3_stmt *stmt = upg_store_get_statement (self, sql, error);
  GHashTableIter iter;
  gpointer key, value;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 parent_id = sqlite3_column_int64 (stmt, 2);
      UpgRecord *parent = g_hash_table_lookup (parents, &parent_id);
      GPtrArray *list;
      UpgRecord *record;

      if (parent == NULL)
        continue;
      list = g_hash_table_lookup (rows, parent);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (rows, parent, list);
        }
      record = upg_store_record_from_row (entity, stmt, upg_record_get_project_id (parent));
      upg_store_watch (self, record);
      g_ptr_array_add (list, record);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return upg_store_set_sqlite_error (self, upg_store_get_db (self), error);

  /* Every parent asked for gets its list, empty or not. */
  g_hash_table_iter_init (&iter, parents);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      UpgRecord *parent = value;
      GPtrArray *list = g_hash_table_lookup (rows, parent);
      GListStore *store = upg_record_ensure_children (parent, entity);

      if (list != NULL)
        {
          for (guint i = 0; i < list->len; i++)
            {
              upg_record_set_container (list->pdata[i], store);
              if (loaded != NULL)
                g_ptr_array_add (loaded, g_object_ref (list->pdata[i]));
            }
          g_list_store_splice (store, 0, 0, list->pdata, list->len);
        }
    }
  return TRUE;
}

gboolean
upg_store_load_all_children (UpgStore        *self,
                             const UpgEntity *entity,
                             GError         **error)
{
  GListModel *projects;
  g_autoptr(GHashTable) parents = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (UPG_IS_STORE (self), FALSE);
  g_return_val_if_fail (entity != NULL && entity->parent_column != NULL, FALSE);

  projects = upg_store_get_projects (self);
  for (guint i = 0, n = g_list_model_get_n_items (projects); i < n; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      if (upg_record_get_children (project, entity) == NULL)
        g_array_append_val (ids, (gint64) { upg_record_get_id (project) });
    }
  if (ids->len == 0)
    return TRUE;
  for (guint i = 0, j = 0, n = g_list_model_get_n_items (projects); i < n && j < ids->len; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      if (upg_record_get_id (project) == g_array_index (ids, gint64, j))
        {
          /* The list holds the project; the key points into @ids. */
          g_hash_table_insert (parents, &g_array_index (ids, gint64, j), project);
          j++;
        }
    }

  if (entity->children != NULL && entity->children[0] != NULL)
    loaded = g_ptr_array_new_with_free_func (g_object_unref);
  if (!load_table (self, entity, parents, loaded, error))
    return FALSE;

  /* Grandchildren (the retrospective's items): one more query a kind. */
  if (loaded != NULL && loaded->len > 0)
    for (guint c = 0; entity->children[c] != NULL; c++)
      {
        g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
        g_autoptr(GArray) child_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), loaded->len);

        if (entity->children[c]->children != NULL && entity->children[c]->children[0] != NULL)
          {
            /* Deeper trees load the usual way. */
            for (guint i = 0; i < loaded->len; i++)
              if (!upg_store_load_children (self, loaded->pdata[i], error))
                return FALSE;
            continue;
          }
        g_array_set_size (child_ids, loaded->len);
        for (guint i = 0; i < loaded->len; i++)
          {
            g_array_index (child_ids, gint64, i) = upg_record_get_id (loaded->pdata[i]);
            g_hash_table_insert (by_id, &g_array_index (child_ids, gint64, i), loaded->pdata[i]);
          }
        if (!load_table (self, entity->children[c], by_id, NULL, error))
          return FALSE;
      }
  return TRUE;
}
