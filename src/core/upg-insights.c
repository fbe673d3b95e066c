/* upg-insights.c — figures over every upgrade of the file, and their
 * Markdown and CSV exports. */
#define G_LOG_DOMAIN "upg-insights"
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-checks.h"
#include "upg-csv.h"
#include "upg-escape.h"
#include "upg-insights.h"
#include "upg-labels.h"
#include "upg-pdf.h"
#include "upg-retro.h"
#include "upg-risk.h"
#include "upg-store-facts.h"
#include "upg-clock.h"

G_STATIC_ASSERT (G_N_ELEMENTS (((UpgInsights *) 0)->risks) == 8);

static void
upgrade_free (UpgInsightsUpgrade *u)
{
  g_clear_object (&u->project);
  g_free (u);
}

static void
action_free (UpgInsightsAction *a)
{
  g_free (a->text);
  g_free (a->owner);
  g_free (a->due);
  g_free (a->ticket);
  g_free (a->carried_to);
  g_clear_object (&a->project);
  g_free (a);
}

void
upg_insights_free (UpgInsights *insights)
{
  if (insights == NULL)
    return;
  g_clear_pointer (&insights->upgrades, g_ptr_array_unref);
  g_clear_pointer (&insights->open_actions, g_ptr_array_unref);
  g_free (insights->today);
  g_free (insights);
}

const char *
upg_insights_overrun_label (guint bucket)
{
  switch (bucket)
    {
    case UPG_INSIGHTS_OVERRUN_EARLY: return _("Early");
    case UPG_INSIGHTS_OVERRUN_ON_TIME: return _("On time");
    /* Translators: window overrun buckets of a chart */
    case UPG_INSIGHTS_OVERRUN_15: return _("≤ 15 min late");
    case UPG_INSIGHTS_OVERRUN_30: return _("≤ 30 min late");
    case UPG_INSIGHTS_OVERRUN_60: return _("≤ 1 h late");
    default: return _("> 1 h late");
    }
}

guint
upg_insights_failure_percent (const UpgInsights *insights)
{
  if (insights->n_upgrades == 0)
    return 0;
  return (insights->n_failed * 100 + insights->n_upgrades / 2) / insights->n_upgrades;
}

static int
compare_int (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

static const char *
due_of (const UpgInsightsAction *a)
{
  return a->due && *a->due ? a->due : NULL;
}

static int
compare_actions (gconstpointer pa, gconstpointer pb)
{
  const UpgInsightsAction *a = *(UpgInsightsAction * const *) pa;
  const UpgInsightsAction *b = *(UpgInsightsAction * const *) pb;
  const char *da = due_of (a), *db = due_of (b);

  if (a->overdue != b->overdue)
    return a->overdue ? -1 : 1;
  /* Dated ones first, earliest first; stable otherwise (project order). */
  if ((da == NULL) != (db == NULL))
    return da ? -1 : 1;
  return da ? strcmp (da, db) : 0;
}

/* The facts of one project, borrowed from the arrays. */
typedef struct {
  GPtrArray     *risks;     /* UpgRiskFacts * */
  GPtrArray     *gray;      /* UpgGrayFacts * */
  UpgRetroFacts *retro;
  GPtrArray     *actions;   /* UpgActionFacts * */
} ProjectFacts;

static void
project_facts_clear (ProjectFacts *pf)
{
  g_clear_pointer (&pf->risks, g_ptr_array_unref);
  g_clear_pointer (&pf->gray, g_ptr_array_unref);
  g_clear_pointer (&pf->actions, g_ptr_array_unref);
}

static UpgInsights *
compute (GListModel *projects,
         UpgFacts   *facts,
         const char *today)
{
  UpgInsights *insights = g_new0 (UpgInsights, 1);
  g_autoptr(GArray) restores = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) per = NULL;
  g_autoptr(GArray) ids = NULL;

  insights->today = today ? g_strdup (today) : upg_clock_today ();
  insights->upgrades = g_ptr_array_new_with_free_func ((GDestroyNotify) upgrade_free);
  insights->open_actions = g_ptr_array_new_with_free_func ((GDestroyNotify) action_free);
  insights->restore_median_minutes = UPG_INT_NULL;
  insights->restore_max_minutes = UPG_INT_NULL;
  insights->n_projects = g_list_model_get_n_items (projects);

  /* Each project's facts, found by its id. */
  per = g_array_sized_new (FALSE, TRUE, sizeof (ProjectFacts), insights->n_projects);
  g_array_set_size (per, insights->n_projects);
  g_array_set_clear_func (per, (GDestroyNotify) project_facts_clear);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), insights->n_projects);
  g_array_set_size (ids, insights->n_projects);
  for (guint i = 0; i < insights->n_projects; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      ProjectFacts *pf = &g_array_index (per, ProjectFacts, i);

      g_array_index (ids, gint64, i) = upg_record_get_id (project);
      g_hash_table_insert (index, &g_array_index (ids, gint64, i), pf);
      pf->risks = g_ptr_array_new ();
      pf->gray = g_ptr_array_new ();
      pf->actions = g_ptr_array_new ();
    }
#define BUCKET(array, type, field) \
  for (guint k = 0; k < facts->array->len; k++) \
    { \
      type *f = &g_array_index (facts->array, type, k); \
      ProjectFacts *pf = g_hash_table_lookup (index, &f->project_id); \
      if (pf != NULL) \
        g_ptr_array_add (pf->field, f); \
    }
  BUCKET (risks, UpgRiskFacts, risks)
  BUCKET (gray, UpgGrayFacts, gray)
  BUCKET (actions, UpgActionFacts, actions)
#undef BUCKET
  for (guint k = 0; k < facts->retros->len; k++)
    {
      UpgRetroFacts *f = &g_array_index (facts->retros, UpgRetroFacts, k);
      ProjectFacts *pf = g_hash_table_lookup (index, &f->project_id);
      if (pf != NULL)
        pf->retro = f;
    }

  for (guint i = 0; i < insights->n_projects; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      ProjectFacts *pf = &g_array_index (per, ProjectFacts, i);
      UpgRetroFacts *retro = pf->retro;
      UpgRiskThresholds thresholds;
      int t[3];

      upg_project_get_risk_thresholds (UPG_PROJECT (project), t);
      thresholds.medium_from = t[0];
      thresholds.high_from = t[1];
      thresholds.critical_from = t[2];

      for (guint r = 0; r < pf->risks->len; r++)
        {
          UpgRiskFacts *risk = pf->risks->pdata[r];
          int c = risk->category;

          if (c < 0 || c >= 8)
            continue;
          insights->risks[c]++;
          if (!risk->occurred)
            continue;
          insights->occurred[c]++;
          if (upg_risk_level_for_score (upg_risk_score (risk->likelihood, risk->impact), &thresholds) == UPG_RISK_LEVEL_LOW)
            {
              insights->occurred_low++;
              insights->occurred_low_by_category[c]++;
            }
        }

      if (retro == NULL)
        continue;

      /* An upgrade that happened. */
      {
        UpgInsightsUpgrade *u = g_new0 (UpgInsightsUpgrade, 1);
        gboolean aborted_seen = FALSE;

        u->project = g_object_ref (project);
        /* As upg_retro_rolled_back(): the retrospective says so, the status, or a rollback began. */
        u->rolled_back = retro->rollback_used ||
                         g_strcmp0 (upg_record_get_string (project, UPG_PROJECT_STATUS), "rolled_back") == 0 ||
                         upg_record_get_string (project, UPG_PROJECT_ROLLBACK_STARTED_AT) != NULL;
        u->incidents = retro->incidents;
        u->failed = u->rolled_back || u->incidents > 0;
        u->rollback_minutes = retro->rollback_minutes;
        /* The retrospective's figure, else what the day recorded. */
        {
          gint64 minutes;
          if (u->rollback_minutes == UPG_INT_NULL && upg_project_rollback_minutes (project, &minutes) &&
              minutes >= 0 && minutes <= G_MAXINT)
            u->rollback_minutes = (int) minutes;
        }
        u->rollback_target = upg_record_get_int (project, UPG_PROJECT_ROLLBACK_TARGET_MINUTES);
        u->downtime_minutes = retro->downtime_minutes;
        u->has_overrun = upg_minutes_between (upg_record_get_string (project, UPG_PROJECT_WINDOW_END),
                                              retro->actual_end, &u->overrun_minutes);
        g_ptr_array_add (insights->upgrades, u);

        insights->n_upgrades++;
        if (u->failed)
          insights->n_failed++;
        if (u->rolled_back)
          insights->n_rolled_back++;
        if (u->rollback_minutes != UPG_INT_NULL && u->rolled_back)
          {
            insights->n_restores++;
            if (u->rollback_minutes <= u->rollback_target)
              insights->n_restores_within_target++;
            g_array_append_val (restores, u->rollback_minutes);
          }
        if (u->has_overrun)
          {
            guint bucket = u->overrun_minutes < 0 ? UPG_INSIGHTS_OVERRUN_EARLY
                           : u->overrun_minutes == 0 ? UPG_INSIGHTS_OVERRUN_ON_TIME
                           : u->overrun_minutes <= 15 ? UPG_INSIGHTS_OVERRUN_15
                           : u->overrun_minutes <= 30 ? UPG_INSIGHTS_OVERRUN_30
                           : u->overrun_minutes <= 60 ? UPG_INSIGHTS_OVERRUN_60 : UPG_INSIGHTS_OVERRUN_MORE;
            insights->overrun_buckets[bucket]++;
            insights->n_overrun_known++;
            if (u->overrun_minutes > 0)
              {
                insights->n_overran++;
                insights->overrun_total_minutes += u->overrun_minutes;
                insights->overrun_max_minutes = MAX (insights->overrun_max_minutes, u->overrun_minutes);
              }
          }
        /* As upg_retro_gray_stages(): the first stage not reached in a
         * rolled-back upgrade was aborted. */
        insights->n_gray_stages += pf->gray->len;
        for (guint s = 0; s < pf->gray->len; s++)
          {
            UpgGrayFacts *g = pf->gray->pdata[s];
            if (!g->done && u->rolled_back && !aborted_seen)
              {
                insights->n_gray_aborted++;
                aborted_seen = TRUE;
              }
          }

        for (guint k = 0; k < pf->actions->len; k++)
          {
            UpgActionFacts *f = pf->actions->pdata[k];
            UpgInsightsAction *a = g_new0 (UpgInsightsAction, 1);

            a->item_id = f->item_id;
            a->text = g_strdup (f->text);
            a->owner = g_strdup (f->owner);
            a->due = g_strdup (f->due);
            a->ticket = g_strdup (f->ticket);
            a->carried_to = g_strdup (f->carried_to);
            a->project = g_object_ref (project);
            a->overdue = a->due && *a->due && strcmp (a->due, insights->today) < 0;
            if (a->overdue)
              insights->n_overdue++;
            g_ptr_array_add (insights->open_actions, a);
          }
      }
    }

  if (restores->len > 0)
    {
      g_array_sort (restores, compare_int);
      /* The median; of an even count, the lower middle (a minute people had). */
      insights->restore_median_minutes = g_array_index (restores, int, (restores->len - 1) / 2);
      insights->restore_max_minutes = g_array_index (restores, int, restores->len - 1);
    }
  g_ptr_array_sort (insights->open_actions, compare_actions);
  return insights;
}

static char *
dup_or_null (UpgRecord *record, guint field)
{
  const char *s = upg_record_get_string (record, field);
  return s ? g_strdup (s) : NULL;
}

UpgInsights *
upg_insights_compute (GListModel *projects,
                      const char *today)
{
  g_autoptr(UpgFacts) facts = upg_facts_new ();

  g_return_val_if_fail (G_IS_LIST_MODEL (projects), NULL);

  /* The same facts the store reads, taken from the records. */
  for (guint i = 0, n = g_list_model_get_n_items (projects); i < n; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      gint64 id = upg_record_get_id (project);
      GListModel *risks = upg_record_get_children (project, &upg_entity_risk);
      GListModel *milestones = upg_record_get_children (project, &upg_entity_milestone);
      UpgRecord *retro = upg_project_get_retro (UPG_PROJECT (project));

      for (guint r = 0, m = risks ? g_list_model_get_n_items (risks) : 0; r < m; r++)
        {
          g_autoptr(UpgRecord) risk = g_list_model_get_item (risks, r);
          UpgRiskFacts f = { id, upg_enum_index (upg_risk_categories, upg_record_get_string (risk, UPG_RISK_CATEGORY)),
                             g_strcmp0 (upg_record_get_string (risk, UPG_RISK_STATUS), "occurred") == 0,
                             upg_record_get_int (risk, UPG_RISK_LIKELIHOOD), upg_record_get_int (risk, UPG_RISK_IMPACT) };
          g_array_append_val (facts->risks, f);
        }
      for (guint s = 0, m = milestones ? g_list_model_get_n_items (milestones) : 0; s < m; s++)
        {
          g_autoptr(UpgRecord) ms = g_list_model_get_item (milestones, s);
          const char *done = upg_record_get_string (ms, UPG_MILESTONE_DONE);
          UpgGrayFacts f = { id, done != NULL && *done != '\0' };
          if (g_strcmp0 (upg_record_get_string (ms, UPG_MILESTONE_KIND), "gray_release") == 0)
            g_array_append_val (facts->gray, f);
        }
      if (retro != NULL)
        {
          GListModel *items = upg_record_get_children (retro, &upg_entity_retro_item);
          UpgRetroFacts f = { id, upg_record_get_bool (retro, UPG_RETRO_ROLLBACK_USED),
                              upg_record_get_int (retro, UPG_RETRO_INCIDENTS),
                              upg_record_get_int (retro, UPG_RETRO_ROLLBACK_MINUTES),
                              upg_record_get_int (retro, UPG_RETRO_DOWNTIME_MINUTES),
                              dup_or_null (retro, UPG_RETRO_ACTUAL_END) };
          g_array_append_val (facts->retros, f);
          for (guint k = 0, m = items ? g_list_model_get_n_items (items) : 0; k < m; k++)
            {
              g_autoptr(UpgRecord) item = g_list_model_get_item (items, k);
              UpgActionFacts a = { id, upg_record_get_id (item) };

              if (g_strcmp0 (upg_record_get_string (item, UPG_RETRO_ITEM_KIND), "action") != 0 ||
                  upg_record_get_bool (item, UPG_RETRO_ITEM_DONE))
                continue;
              a.text = dup_or_null (item, UPG_RETRO_ITEM_TEXT);
              a.owner = dup_or_null (item, UPG_RETRO_ITEM_OWNER);
              a.due = dup_or_null (item, UPG_RETRO_ITEM_DUE);
              a.ticket = dup_or_null (item, UPG_RETRO_ITEM_TICKET);
              a.carried_to = dup_or_null (item, UPG_RETRO_ITEM_CARRIED_TO);
              g_array_append_val (facts->actions, a);
            }
        }
    }
  return compute (projects, facts, today);
}

UpgInsights *
upg_insights_load (UpgStore    *store,
                   const char  *today,
                   GError     **error)
{
  g_autoptr(UpgFacts) facts = NULL;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);

  facts = upg_store_read_facts (store, error);
  if (facts == NULL)
    return NULL;
  return compute (upg_store_get_projects (store), facts, today);
}

/* ---- Exports ------------------------------------------------------------- */

static void
append_md (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_md (out, clean);
}

/* A table cell: its line breaks become spaces (a row is one line). */
static void
append_md_cell (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_md_cell (out, clean);
}

static char *
failure_sentence (const UpgInsights *in)
{
  /* Translators: change failure rate: percent, failed, upgrades */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u %% (%u of %u upgrade rolled back or with incidents)",
                                       "%u %% (%u of %u upgrades rolled back or with incidents)",
                                       in->n_upgrades),
                          upg_insights_failure_percent (in), in->n_failed, in->n_upgrades);
}

static char *
restore_sentence (const UpgInsights *in)
{
  g_autofree char *median = NULL, *max = NULL;

  if (in->n_restores == 0)
    return g_strdup (_("No timed rollbacks"));
  median = upg_retro_format_minutes (in->restore_median_minutes);
  max = upg_retro_format_minutes (in->restore_max_minutes);
  /* Translators: time to restore: within target, rollbacks, median, longest */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u of %u rollback within its target; median %s, longest %s",
                                       "%u of %u rollbacks within their target; median %s, longest %s",
                                       in->n_restores),
                          in->n_restores_within_target, in->n_restores, median, max);
}

static char *
overrun_sentence (const UpgInsights *in)
{
  g_autofree char *total = NULL, *max = NULL;

  if (in->n_overrun_known == 0)
    return g_strdup (_("No actual end recorded"));
  if (in->n_overran == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u upgrade, none ended late",
                                         "%u upgrades, none ended late", in->n_overrun_known),
                            in->n_overrun_known);
  total = upg_retro_format_minutes (in->overrun_total_minutes);
  max = upg_retro_format_minutes (in->overrun_max_minutes);
  /* Translators: window overrun: late, known, total minutes, longest */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u of %u upgrade ended late; %s in all, longest %s",
                                       "%u of %u upgrades ended late; %s in all, longest %s",
                                       in->n_overrun_known),
                          in->n_overran, in->n_overrun_known, total, max);
}

static char *
gray_sentence (const UpgInsights *in)
{
  /* Translators: aborted gray-release stages of all stages */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u stage", "%u of %u stages",
                                       in->n_gray_stages),
                          in->n_gray_aborted, in->n_gray_stages);
}

static char *
upgrade_outcome (const UpgInsightsUpgrade *u)
{
  if (u->rolled_back && u->incidents > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Rolled back, %d incident",
                                         "Rolled back, %d incidents", u->incidents), u->incidents);
  if (u->rolled_back)
    return g_strdup (_("Rolled back"));
  if (u->incidents > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d incident", "%d incidents",
                                         u->incidents), u->incidents);
  return g_strdup (_("Succeeded"));
}

static char *
minutes_or_dash (int minutes)
{
  return minutes == UPG_INT_NULL ? g_strdup ("—") : upg_retro_format_minutes (minutes);
}

static GBytes *
insights_md (const UpgInsights *in)
{
  GString *out = g_string_new (NULL);
  g_autofree char *failure = failure_sentence (in);
  g_autofree char *restore = restore_sentence (in);
  g_autofree char *overrun = overrun_sentence (in);
  g_autofree char *gray = gray_sentence (in);
  gboolean any_risk = FALSE;

#define FACT(label, value) G_STMT_START { \
    g_string_append (out, "- **"); append_md (out, label); g_string_append (out, ":** "); \
    append_md (out, value); g_string_append_c (out, '\n'); } G_STMT_END

  g_string_append (out, "# ");
  append_md (out, _("Insights across upgrades"));
  g_string_append (out, "\n\n");
  {
    g_autofree char *p = g_strdup_printf ("%u", in->n_projects);
    g_autofree char *u = g_strdup_printf ("%u", in->n_upgrades);
    g_autofree char *o = NULL;
    FACT (_("Projects"), p);
    FACT (_("Upgrades with a retrospective"), u);
    FACT (_("Change failure rate"), failure);
    FACT (_("Time to restore"), restore);
    FACT (_("Window overrun"), overrun);
    guint occurred = 0;
    for (guint c = 0; c < 8; c++)
      occurred += in->occurred[c];
    /* Translators: occurred risks that had been scored low, of all occurred risks */
    o = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u occurred risk", "%u of %u occurred risks",
                                      occurred), in->occurred_low, occurred);
    FACT (_("Scored low, yet occurred"), o);
    FACT (_("Gray stages aborted"), gray);
  }
#undef FACT

  g_string_append (out, "\n## ");
  append_md (out, _("Upgrades"));
  g_string_append (out, "\n\n");
  if (in->upgrades->len == 0)
    {
      g_string_append (out, "_");
      append_md (out, _("No retrospectives yet."));
      g_string_append (out, "_\n");
    }
  else
    {
      g_string_append (out, "| ");
      append_md_cell (out, _("Project"));
      g_string_append (out, " | ");
      append_md_cell (out, _("Outcome"));
      g_string_append (out, " | ");
      append_md_cell (out, _("Time to restore"));
      g_string_append (out, " | ");
      append_md_cell (out, _("Target"));
      g_string_append (out, " | ");
      append_md_cell (out, _("Overrun"));
      g_string_append (out, " | ");
      append_md_cell (out, _("Downtime"));
      g_string_append (out, " |\n|---|---|---:|---:|---:|---:|\n");
      for (guint i = 0; i < in->upgrades->len; i++)
        {
          UpgInsightsUpgrade *u = in->upgrades->pdata[i];
          g_autofree char *outcome = upgrade_outcome (u);
          g_autofree char *restore_m = u->rolled_back ? minutes_or_dash (u->rollback_minutes) : g_strdup ("—");
          g_autofree char *target = upg_retro_format_minutes (u->rollback_target);
          g_autofree char *over = u->has_overrun ? upg_retro_format_overrun (u->overrun_minutes) : g_strdup ("—");
          g_autofree char *down = minutes_or_dash (u->downtime_minutes);

          g_string_append (out, "| ");
          append_md_cell (out, upg_project_get_name (u->project));
          g_string_append (out, " | ");
          append_md_cell (out, outcome);
          g_string_append (out, " | ");
          append_md_cell (out, restore_m);
          g_string_append (out, " | ");
          append_md_cell (out, target);
          g_string_append (out, " | ");
          append_md_cell (out, over);
          g_string_append (out, " | ");
          append_md_cell (out, down);
          g_string_append (out, " |\n");
        }
    }

  g_string_append (out, "\n## ");
  append_md (out, _("Risks by category"));
  g_string_append (out, "\n\n");
  for (guint c = 0; c < 8; c++)
    {
      if (in->risks[c] == 0)
        continue;
      if (!any_risk)
        {
          g_string_append (out, "| ");
          append_md_cell (out, _("Category"));
          g_string_append (out, " | ");
          append_md_cell (out, _("Risks"));
          g_string_append (out, " | ");
          append_md_cell (out, _("Occurred"));
          g_string_append (out, " | ");
          append_md_cell (out, _("Occurred, scored low"));
          g_string_append (out, " |\n|---|---:|---:|---:|\n");
          any_risk = TRUE;
        }
      g_string_append (out, "| ");
      append_md_cell (out, upg_enum_label (upg_risk_categories, upg_risk_categories[c]));
      g_string_append_printf (out, " | %u | %u | %u |\n", in->risks[c], in->occurred[c],
                              in->occurred_low_by_category[c]);
    }
  if (!any_risk)
    {
      g_string_append (out, "_");
      append_md (out, _("No risks yet."));
      g_string_append (out, "_\n");
    }

  g_string_append (out, "\n## ");
  {
    g_autofree char *heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Open actions — %u, %u overdue",
                                                             "Open actions — %u, %u overdue",
                                                             in->open_actions->len),
                                                in->open_actions->len, in->n_overdue);
    append_md (out, heading);
  }
  g_string_append (out, "\n\n");
  if (in->open_actions->len == 0)
    {
      g_string_append (out, "_");
      append_md (out, _("No open actions."));
      g_string_append (out, "_\n");
    }
  else
    {
      g_string_append (out, "| ");
      append_md_cell (out, _("Action"));
      g_string_append (out, " | ");
      append_md_cell (out, _("Owner"));
      g_string_append (out, " | ");
      append_md_cell (out, _("Due"));
      g_string_append (out, " | ");
      append_md_cell (out, _("Project"));
      g_string_append (out, " |\n|---|---|---|---|\n");
      for (guint i = 0; i < in->open_actions->len; i++)
        {
          UpgInsightsAction *a = in->open_actions->pdata[i];
          const char *owner = a->owner;
          const char *due = due_of (a);

          g_string_append (out, "| ");
          append_md_cell (out, a->text);
          g_string_append (out, " | ");
          append_md_cell (out, owner && *owner ? owner : "—");
          g_string_append (out, " | ");
          append_md_cell (out, due ? due : "—");
          if (a->overdue)
            {
              g_string_append (out, " **");
              append_md (out, _("overdue"));
              g_string_append (out, "**");
            }
          g_string_append (out, " | ");
          append_md_cell (out, upg_project_get_name (a->project));
          g_string_append (out, " |\n");
        }
    }
  return g_string_free_to_bytes (out);
}

/* Whether @s is an integer the export wrote itself ("-10"): written as it
 * is, not neutralised like user text that starts with "-". */
static gboolean
is_number (const char *s)
{
  const char *p = s;

  if (*p == '-')
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static void
csv_row (UpgCsv *csv, const char * const *cells, guint n, guint first_number)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *clean = upg_text_sanitize (cells[i] ? cells[i] : "");
      if (i >= first_number && is_number (clean))
        upg_csv_int (csv, atoi (clean));
      else
        upg_csv_text (csv, clean);
    }
  upg_csv_end_row (csv);
}

static GBytes *
insights_csv (const UpgInsights *in,
              UpgCsvForm         form)
{
  gboolean machine = form == UPG_CSV_MACHINE;
  const char *yes = machine ? "true" : _("Yes");
  const char *no = machine ? "false" : _("No");
  UpgCsv csv;
  char v[32], t[32];

  /* The machine form: column names and figures are words of their own, in
   * every language; the spreadsheet form: the user's. */
#define FIGURE(word, label) (machine ? (word) : _(label))
#define ROW(figure, subject, project, value, total, owner, due, overdue) G_STMT_START { \
    const char *cells[] = { figure, subject, project, value, total, owner, due, overdue }; \
    csv_row (&csv, cells, G_N_ELEMENTS (cells), 3); } G_STMT_END

  upg_csv_init (&csv, form);
  upg_csv_column (&csv, "figure", N_("Figure"));
  upg_csv_column (&csv, "subject", N_("Subject"));
  upg_csv_column (&csv, "project", N_("Project"));
  upg_csv_column (&csv, "value", N_("Value"));
  upg_csv_column (&csv, "total", N_("Total"));
  upg_csv_column (&csv, "owner", N_("Owner"));
  upg_csv_column (&csv, "due", N_("Due"));
  upg_csv_column (&csv, "overdue", N_("Overdue"));
  upg_csv_end_row (&csv);
  g_snprintf (v, sizeof v, "%u", in->n_projects);
  ROW (FIGURE ("projects", N_("Projects")), "", "", v, "", "", "", "");
  g_snprintf (v, sizeof v, "%u", in->n_failed);
  g_snprintf (t, sizeof t, "%u", in->n_upgrades);
  ROW (FIGURE ("change_failures", N_("Change failures")), "", "", v, t, "", "", "");
  g_snprintf (v, sizeof v, "%u", in->n_restores_within_target);
  g_snprintf (t, sizeof t, "%u", in->n_restores);
  ROW (FIGURE ("restores_within_target", N_("Restores within target")), "", "", v, t, "", "", "");
  g_snprintf (v, sizeof v, "%u", in->n_overran);
  g_snprintf (t, sizeof t, "%u", in->n_overrun_known);
  ROW (FIGURE ("windows_overrun", N_("Windows overrun")), "", "", v, t, "", "", "");
  g_snprintf (v, sizeof v, "%u", in->n_gray_aborted);
  g_snprintf (t, sizeof t, "%u", in->n_gray_stages);
  ROW (FIGURE ("gray_stages_aborted", N_("Gray stages aborted")), "", "", v, t, "", "", "");

  for (guint i = 0; i < in->upgrades->len; i++)
    {
      UpgInsightsUpgrade *u = in->upgrades->pdata[i];
      const char *name = upg_project_get_name (u->project);

      ROW (FIGURE ("failed", N_("Failed")), "", name, u->failed ? yes : no, "", "", "", "");
      if (u->rolled_back && u->rollback_minutes != UPG_INT_NULL)
        {
          g_snprintf (v, sizeof v, "%d", u->rollback_minutes);
          g_snprintf (t, sizeof t, "%d", u->rollback_target);
          ROW (FIGURE ("restore_minutes", N_("Minutes to restore")), "", name, v, t, "", "", "");
        }
      if (u->has_overrun)
        {
          g_snprintf (v, sizeof v, "%" G_GINT64_FORMAT, u->overrun_minutes);
          ROW (FIGURE ("overrun_minutes", N_("Minutes overrun")), "", name, v, "", "", "", "");
        }
    }
  for (guint c = 0; c < 8; c++)
    {
      const char *category = machine ? upg_risk_categories[c]
                                     : upg_enum_label (upg_risk_categories, upg_risk_categories[c]);

      if (in->risks[c] == 0)
        continue;
      g_snprintf (v, sizeof v, "%u", in->occurred[c]);
      g_snprintf (t, sizeof t, "%u", in->risks[c]);
      ROW (FIGURE ("risks_occurred", N_("Risks occurred")), category, "", v, t, "", "", "");
      g_snprintf (v, sizeof v, "%u", in->occurred_low_by_category[c]);
      g_snprintf (t, sizeof t, "%u", in->occurred[c]);
      ROW (FIGURE ("occurred_scored_low", N_("Occurred, scored low")), category, "", v, t, "", "", "");
    }
  for (guint i = 0; i < in->open_actions->len; i++)
    {
      UpgInsightsAction *a = in->open_actions->pdata[i];
      ROW (FIGURE ("open_action", N_("Open action")), a->text, upg_project_get_name (a->project), "", "",
           a->owner, a->due, a->overdue ? yes : no);
    }
#undef ROW
#undef FIGURE
  return upg_csv_finish (&csv);
}

GBytes *
upg_export_insights (UpgStore                *store,
                     gint64                   project_id,
                     const UpgExportOptions  *options,
                     GError                 **error)
{
  const char *format = options && options->format ? options->format : "md";
  g_autoptr(UpgInsights) in = NULL;

  in = upg_insights_load (store, NULL, error);
  if (in == NULL)
    return NULL;
  if (strcmp (format, "csv") == 0)
    return insights_csv (in, options ? options->csv_form : UPG_CSV_SPREADSHEET);
  return insights_md (in);
}
