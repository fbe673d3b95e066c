/* upg-store-facts.c — a few columns of every project, one query a table. */
#define G_LOG_DOMAIN "upg-store"
#include "config.h"

#include <string.h>

#include "upg-store-facts.h"
#include "upg-store-private.h"

static void
retro_clear (UpgRetroFacts *r)
{
  g_free (r->actual_end);
}

static void
action_clear (UpgActionFacts *a)
{
  g_free (a->text);
  g_free (a->owner);
  g_free (a->due);
  g_free (a->ticket);
  g_free (a->carried_to);
}

UpgFacts *
upg_facts_new (void)
{
  UpgFacts *facts = g_new0 (UpgFacts, 1);

  facts->risks = g_array_new (FALSE, TRUE, sizeof (UpgRiskFacts));
  facts->gray = g_array_new (FALSE, TRUE, sizeof (UpgGrayFacts));
  facts->retros = g_array_new (FALSE, TRUE, sizeof (UpgRetroFacts));
  g_array_set_clear_func (facts->retros, (GDestroyNotify) retro_clear);
  facts->actions = g_array_new (FALSE, TRUE, sizeof (UpgActionFacts));
  g_array_set_clear_func (facts->actions, (GDestroyNotify) action_clear);
  return facts;
}

void
upg_facts_free (UpgFacts *facts)
{
  if (facts == NULL)
    return;
  g_array_unref (facts->risks);
  g_array_unref (facts->gray);
  g_array_unref (facts->retros);
  g_array_unref (facts->actions);
  g_free (facts);
}

static char *
column_text (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  return text ? g_strdup (text) : NULL;
}

static int
column_int_or_null (sqlite3_stmt *stmt, int column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? UPG_INT_NULL : sqlite3_column_int (stmt, column);
}

static gboolean
finish (UpgStore *self, sqlite3_stmt *stmt, int rc, GError **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return upg_store_set_sqlite_error (self, upg_store_get_db (self), error);
  return TRUE;
}

UpgFacts *
upg_store_read_facts (UpgStore  *self,
                      GError   **error)
{
  g_autoptr(UpgFacts) facts = upg_facts_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (UPG_IS_STORE (self), NULL);

  stmt = upg_store_get_statement (self, "SELECT project_id, category, status, likelihood, impact "
                                        "FROM risk ORDER BY project_id, position, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      UpgRiskFacts r = { 0 };
      r.project_id = sqlite3_column_int64 (stmt, 0);
      r.category = upg_enum_index (upg_risk_categories, (const char *) sqlite3_column_text (stmt, 1));
      r.occurred = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "occurred") == 0;
      r.likelihood = sqlite3_column_int (stmt, 3);
      r.impact = sqlite3_column_int (stmt, 4);
      g_array_append_val (facts->risks, r);
    }
  if (!finish (self, stmt, rc, error))
    return NULL;

  stmt = upg_store_get_statement (self, "SELECT project_id, done IS NOT NULL AND done <> '' FROM milestone "
                                        "WHERE kind = 'gray_release' ORDER BY project_id, position, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      UpgGrayFacts g = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int (stmt, 1) != 0 };
      g_array_append_val (facts->gray, g);
    }
  if (!finish (self, stmt, rc, error))
    return NULL;

  stmt = upg_store_get_statement (self, "SELECT project_id, rollback_used, incidents, rollback_minutes, "
                                        "downtime_minutes, actual_end FROM retrospective ORDER BY project_id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      UpgRetroFacts r = { 0 };
      r.project_id = sqlite3_column_int64 (stmt, 0);
      r.rollback_used = sqlite3_column_int (stmt, 1) != 0;
      r.incidents = sqlite3_column_int (stmt, 2);
      r.rollback_minutes = column_int_or_null (stmt, 3);
      r.downtime_minutes = column_int_or_null (stmt, 4);
      r.actual_end = column_text (stmt, 5);
      g_array_append_val (facts->retros, r);
    }
  if (!finish (self, stmt, rc, error))
    return NULL;

  stmt = upg_store_get_statement (self, "SELECT r.project_id, i.id, i.text, i.owner, i.due, i.ticket, i.carried_to "
                                        "FROM retro_item i JOIN retrospective r ON i.retro_id = r.id "
                                        "WHERE i.kind = 'action' AND NOT i.done "
                                        "ORDER BY r.project_id, i.position, i.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      UpgActionFacts a = { 0 };
      a.project_id = sqlite3_column_int64 (stmt, 0);
      a.item_id = sqlite3_column_int64 (stmt, 1);
      a.text = column_text (stmt, 2);
      a.owner = column_text (stmt, 3);
      a.due = column_text (stmt, 4);
      a.ticket = column_text (stmt, 5);
      a.carried_to = column_text (stmt, 6);
      g_array_append_val (facts->actions, a);
    }
  if (!finish (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&facts);
}
