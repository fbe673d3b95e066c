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
column_text (UpgRow *row, int column)
{
  const char *text = upg_row_get_text (row, column);
  return text ? g_strdup (text) : NULL;
}

static int
column_int_or_null (UpgRow *row, int column)
{
  return upg_row_is_null (row, column) ? UPG_INT_NULL : (int) upg_row_get_int (row, column);
}

static gboolean
risk_cb (UpgRow *row, gpointer data)
{
  UpgFacts *facts = data;
  UpgRiskFacts r = { 0 };

  r.project_id = upg_row_get_int (row, 0);
  r.category = upg_enum_index (upg_risk_categories, upg_row_get_text (row, 1));
  r.occurred = g_strcmp0 (upg_row_get_text (row, 2), "occurred") == 0;
  r.likelihood = (int) upg_row_get_int (row, 3);
  r.impact = (int) upg_row_get_int (row, 4);
  g_array_append_val (facts->risks, r);
  return TRUE;
}

static gboolean
gray_cb (UpgRow *row, gpointer data)
{
  UpgFacts *facts = data;
  UpgGrayFacts g = { upg_row_get_int (row, 0), upg_row_get_int (row, 1) != 0 };

  g_array_append_val (facts->gray, g);
  return TRUE;
}

static gboolean
retro_cb (UpgRow *row, gpointer data)
{
  UpgFacts *facts = data;
  UpgRetroFacts r = { 0 };

  r.project_id = upg_row_get_int (row, 0);
  r.rollback_used = upg_row_get_int (row, 1) != 0;
  r.incidents = (int) upg_row_get_int (row, 2);
  r.rollback_minutes = column_int_or_null (row, 3);
  r.downtime_minutes = column_int_or_null (row, 4);
  r.actual_end = column_text (row, 5);
  g_array_append_val (facts->retros, r);
  return TRUE;
}

static gboolean
action_cb (UpgRow *row, gpointer data)
{
  UpgFacts *facts = data;
  UpgActionFacts a = { 0 };

  a.project_id = upg_row_get_int (row, 0);
  a.item_id = upg_row_get_int (row, 1);
  a.text = column_text (row, 2);
  a.owner = column_text (row, 3);
  a.due = column_text (row, 4);
  a.ticket = column_text (row, 5);
  a.carried_to = column_text (row, 6);
  g_array_append_val (facts->actions, a);
  return TRUE;
}

UpgFacts *
upg_store_read_facts (UpgStore  *self,
                      GError   **error)
{
  g_autoptr(UpgFacts) facts = upg_facts_new ();
  UpgBackend *backend;

  g_return_val_if_fail (UPG_IS_STORE (self), NULL);

  backend = upg_store_get_backend (self);
  if (!backend->vt->query (backend, "SELECT project_id, category, status, likelihood, impact "
                                    "FROM risk ORDER BY project_id, position, id",
                           NULL, 0, risk_cb, facts, error) ||
      !backend->vt->query (backend, "SELECT project_id, CASE WHEN done IS NOT NULL AND done <> '' THEN 1 ELSE 0 END "
                                    "FROM milestone WHERE kind = 'gray_release' ORDER BY project_id, position, id",
                           NULL, 0, gray_cb, facts, error) ||
      !backend->vt->query (backend, "SELECT project_id, rollback_used, incidents, rollback_minutes, "
                                    "downtime_minutes, actual_end FROM retrospective ORDER BY project_id",
                           NULL, 0, retro_cb, facts, error) ||
      !backend->vt->query (backend, "SELECT r.project_id, i.id, i.text, i.owner, i.due, i.ticket, i.carried_to "
                                    "FROM retro_item i JOIN retrospective r ON i.retro_id = r.id "
                                    "WHERE i.kind = 'action' AND i.done = 0 "
                                    "ORDER BY r.project_id, i.position, i.id",
                           NULL, 0, action_cb, facts, error))
    return NULL;
  return g_steal_pointer (&facts);
}
