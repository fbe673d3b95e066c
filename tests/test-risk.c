/* test-risk.c — scoring, levels, thresholds, warnings and the risk library. */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "upg-plan.h"
#include "upg-risk.h"
#include "upg-store.h"
#include "upg-test-util.h"

#define L UPG_RISK_LEVEL_LOW
#define M UPG_RISK_LEVEL_MEDIUM
#define H UPG_RISK_LEVEL_HIGH
#define C UPG_RISK_LEVEL_CRITICAL

static void
test_score (void)
{
  for (int l = 1; l <= 5; l++)
    for (int i = 1; i <= 5; i++)
      g_assert_cmpint (upg_risk_score (l, i), ==, l * i);

  g_assert_cmpint (upg_risk_score (0, 3), ==, 0);
  g_assert_cmpint (upg_risk_score (3, 0), ==, 0);
  g_assert_cmpint (upg_risk_score (6, 1), ==, 0);
  g_assert_cmpint (upg_risk_score (1, 6), ==, 0);
  g_assert_cmpint (upg_risk_score (UPG_INT_NULL, 2), ==, 0);
  g_assert_cmpint (upg_risk_score (2, UPG_INT_NULL), ==, 0);
}

/* Written out by hand, [likelihood - 1][impact - 1]. */
static const UpgRiskLevel default_levels[5][5] = {
  /* rare */           { L, L, L, L, M },
  /* unlikely */       { L, L, M, M, H },
  /* possible */       { L, M, M, H, H },
  /* likely */         { L, M, H, H, C },
  /* almost certain */ { M, H, H, C, C },
};

static void
test_level_default (void)
{
  UpgRiskThresholds t;

  upg_risk_thresholds_init_default (&t);
  g_assert_cmpint (t.medium_from, ==, 5);
  g_assert_cmpint (t.high_from, ==, 10);
  g_assert_cmpint (t.critical_from, ==, 20);
  g_assert_true (upg_risk_thresholds_valid (&t));

  for (int l = 1; l <= 5; l++)
    for (int i = 1; i <= 5; i++)
      {
        int score = upg_risk_score (l, i);
        g_test_message ("cell %d × %d", l, i);
        g_assert_cmpint (upg_risk_level_for_score (score, &t), ==, default_levels[l - 1][i - 1]);
        g_assert_cmpint (upg_risk_level_for_score (score, NULL), ==, default_levels[l - 1][i - 1]);
      }

  /* The documented bands: 1–4 low, 5–9 medium, 10–16 high, 20–25 critical. */
  g_assert_cmpint (upg_risk_level_for_score (4, NULL), ==, L);
  g_assert_cmpint (upg_risk_level_for_score (5, NULL), ==, M);
  g_assert_cmpint (upg_risk_level_for_score (9, NULL), ==, M);
  g_assert_cmpint (upg_risk_level_for_score (10, NULL), ==, H);
  g_assert_cmpint (upg_risk_level_for_score (16, NULL), ==, H);
  g_assert_cmpint (upg_risk_level_for_score (20, NULL), ==, C);
  g_assert_cmpint (upg_risk_level_for_score (25, NULL), ==, C);
  g_assert_cmpint (upg_risk_level_for_score (0, NULL), ==, UPG_RISK_LEVEL_NONE);
  g_assert_cmpint (upg_risk_level_for_score (26, NULL), ==, UPG_RISK_LEVEL_NONE);
  g_assert_cmpint (upg_risk_level_for_score (-1, NULL), ==, UPG_RISK_LEVEL_NONE);
}

/* Thresholds 3 / 8 / 15, by hand. */
static const UpgRiskLevel custom_levels[5][5] = {
  /* scores 1 2 3 4 5 */      { L, L, M, M, M },
  /* scores 2 4 6 8 10 */     { L, M, M, H, H },
  /* scores 3 6 9 12 15 */    { M, M, H, H, C },
  /* scores 4 8 12 16 20 */   { M, H, H, C, C },
  /* scores 5 10 15 20 25 */  { M, H, C, C, C },
};

static void
test_level_thresholds (void)
{
  UpgRiskThresholds t = { 3, 8, 15 };
  UpgRiskThresholds strict = { 2, 3, 4 };

  g_assert_true (upg_risk_thresholds_valid (&t));
  for (int l = 1; l <= 5; l++)
    for (int i = 1; i <= 5; i++)
      {
        g_test_message ("cell %d × %d", l, i);
        g_assert_cmpint (upg_risk_level_for_score (upg_risk_score (l, i), &t), ==,
                         custom_levels[l - 1][i - 1]);
      }

  g_assert_cmpint (upg_risk_level_for_score (1, &strict), ==, L);
  g_assert_cmpint (upg_risk_level_for_score (2, &strict), ==, M);
  g_assert_cmpint (upg_risk_level_for_score (3, &strict), ==, H);
  g_assert_cmpint (upg_risk_level_for_score (4, &strict), ==, C);
  g_assert_cmpint (upg_risk_level_for_score (25, &strict), ==, C);

  /* Invalid: not increasing, or out of the 2..25 range. */
  g_assert_false (upg_risk_thresholds_valid (&(UpgRiskThresholds) { 10, 10, 20 }));
  g_assert_false (upg_risk_thresholds_valid (&(UpgRiskThresholds) { 5, 20, 10 }));
  g_assert_false (upg_risk_thresholds_valid (&(UpgRiskThresholds) { 1, 10, 20 }));
  g_assert_false (upg_risk_thresholds_valid (&(UpgRiskThresholds) { 5, 10, 26 }));
  g_assert_true (upg_risk_thresholds_valid (&(UpgRiskThresholds) { 2, 3, 25 }));
}

static void
test_level_range (void)
{
  UpgRiskThresholds t = { 2, 3, 25 };
  UpgRiskThresholds gap = { 17, 18, 19 };
  int lo, hi;

  g_assert_true (upg_risk_level_range (L, NULL, &lo, &hi));
  g_assert_cmpint (lo, ==, 1); g_assert_cmpint (hi, ==, 4);
  g_assert_true (upg_risk_level_range (M, NULL, &lo, &hi));
  g_assert_cmpint (lo, ==, 5); g_assert_cmpint (hi, ==, 9);
  g_assert_true (upg_risk_level_range (H, NULL, &lo, &hi));
  g_assert_cmpint (lo, ==, 10); g_assert_cmpint (hi, ==, 16);
  g_assert_true (upg_risk_level_range (C, NULL, &lo, &hi));
  g_assert_cmpint (lo, ==, 20); g_assert_cmpint (hi, ==, 25);

  g_assert_true (upg_risk_level_range (M, &t, &lo, &hi));
  g_assert_cmpint (lo, ==, 2); g_assert_cmpint (hi, ==, 2);
  g_assert_true (upg_risk_level_range (H, &t, &lo, &hi));
  g_assert_cmpint (lo, ==, 3); g_assert_cmpint (hi, ==, 20);

  /* No cell scores 17, 18 or 19. */
  g_assert_false (upg_risk_level_range (M, &gap, &lo, &hi));
  g_assert_false (upg_risk_level_range (H, &gap, NULL, NULL));
  g_assert_true (upg_risk_level_range (C, &gap, &lo, &hi));
  g_assert_cmpint (lo, ==, 20);
}

static void
test_labels (void)
{
  g_assert_cmpstr (upg_risk_level_word (L), ==, "low");
  g_assert_cmpstr (upg_risk_level_word (M), ==, "medium");
  g_assert_cmpstr (upg_risk_level_word (H), ==, "high");
  g_assert_cmpstr (upg_risk_level_word (C), ==, "critical");
  g_assert_cmpstr (upg_risk_level_word (UPG_RISK_LEVEL_NONE), ==, "");
  g_assert_cmpstr (upg_risk_level_label (C), ==, "Critical");
  g_assert_cmpstr (upg_risk_level_label (UPG_RISK_LEVEL_NONE), ==, "");

  g_assert_cmpstr (upg_risk_likelihood_label (1), ==, "Rare");
  g_assert_cmpstr (upg_risk_likelihood_label (2), ==, "Unlikely");
  g_assert_cmpstr (upg_risk_likelihood_label (3), ==, "Possible");
  g_assert_cmpstr (upg_risk_likelihood_label (4), ==, "Likely");
  g_assert_cmpstr (upg_risk_likelihood_label (5), ==, "Almost certain");
  g_assert_cmpstr (upg_risk_likelihood_label (0), ==, "");
  g_assert_cmpstr (upg_risk_impact_label (1), ==, "Insignificant");
  g_assert_cmpstr (upg_risk_impact_label (2), ==, "Minor");
  g_assert_cmpstr (upg_risk_impact_label (3), ==, "Moderate");
  g_assert_cmpstr (upg_risk_impact_label (4), ==, "Major");
  g_assert_cmpstr (upg_risk_impact_label (5), ==, "Catastrophic");
  g_assert_cmpstr (upg_risk_impact_label (6), ==, "");
}

static void
test_describe_cell (void)
{
  UpgRiskThresholds t = { 3, 8, 15 };
  g_autofree char *a = upg_risk_describe_cell (4, 4, 2, NULL);
  g_autofree char *b = upg_risk_describe_cell (1, 1, 1, NULL);
  g_autofree char *c = upg_risk_describe_cell (5, 5, 0, NULL);
  g_autofree char *d = upg_risk_describe_cell (4, 4, 2, &t);

  g_assert_cmpstr (a, ==, "Likely × Major: 2 risks, high");
  g_assert_cmpstr (b, ==, "Rare × Insignificant: 1 risk, low");
  g_assert_cmpstr (c, ==, "Almost certain × Catastrophic: 0 risks, critical");
  g_assert_cmpstr (d, ==, "Likely × Major: 2 risks, critical");
}

static void
test_residual (void)
{
  g_autoptr(UpgRecord) risk = upg_record_new (&upg_entity_risk);
  int l, i;

  upg_record_set_int (risk, UPG_RISK_LIKELIHOOD, 4);
  upg_record_set_int (risk, UPG_RISK_IMPACT, 5);
  g_assert_cmpint (upg_risk_get_score (UPG_RISK (risk)), ==, 20);
  g_assert_cmpint (upg_risk_get_residual_score (UPG_RISK (risk)), ==, 0);
  g_assert_false (upg_risk_get_effective_residual (UPG_RISK (risk), &l, &i));
  g_assert_cmpint (l, ==, 4);
  g_assert_cmpint (i, ==, 5);

  /* Half an assessment is no assessment. */
  upg_record_set_int (risk, UPG_RISK_RESIDUAL_LIKELIHOOD, 2);
  g_assert_cmpint (upg_risk_get_residual_score (UPG_RISK (risk)), ==, 0);
  g_assert_false (upg_risk_get_effective_residual (UPG_RISK (risk), &l, &i));

  upg_record_set_int (risk, UPG_RISK_RESIDUAL_IMPACT, 3);
  g_assert_cmpint (upg_risk_get_residual_score (UPG_RISK (risk)), ==, 6);
  g_assert_true (upg_risk_get_effective_residual (UPG_RISK (risk), &l, &i));
  g_assert_cmpint (l, ==, 2);
  g_assert_cmpint (i, ==, 3);
}

/* ---- Warnings ------------------------------------------------------------ */

static const char warnings_plan[] =
  "{\"format\":\"upgrade-planner\",\"version\":1,\"projects\":[{"
  "\"name\":\"W\",\"kind\":\"feature\",\"status\":\"planning\",\"goal\":\"\",\"scope\":\"\","
  "\"impact\":\"\",\"version_from\":null,\"version_to\":null,\"build_id\":null,"
  "\"window_start\":null,\"window_end\":null,\"rollback_target_minutes\":10,"
  "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","
  "\"scope_items\":[],\"milestones\":[],\"risks\":["
  /* 0: high (2×5), no mitigation, no contingency, has owner: one warning */
  "{\"title\":\"Both missing\",\"category\":\"other\",\"likelihood\":2,\"impact\":5,"
  "\"residual_likelihood\":null,\"residual_impact\":null,\"mitigation\":\"\",\"contingency\":\"  \","
  "\"owner\":\"Ana\",\"status\":\"open\"},"
  /* 1: critical (5×4), no mitigation, open without owner: two warnings */
  "{\"title\":\"No mitigation\",\"category\":\"other\",\"likelihood\":5,\"impact\":4,"
  "\"residual_likelihood\":1,\"residual_impact\":1,\"mitigation\":\"\",\"contingency\":\"Roll back\","
  "\"owner\":null,\"status\":\"open\"},"
  /* 2: high (4×3), no contingency, mitigated: one warning */
  "{\"title\":\"No contingency\",\"category\":\"other\",\"likelihood\":4,\"impact\":3,"
  "\"residual_likelihood\":null,\"residual_impact\":null,\"mitigation\":\"Test\",\"contingency\":\"\","
  "\"owner\":null,\"status\":\"mitigated\"},"
  /* 3: medium (3×3), nothing at all, mitigated, no owner: no warning */
  "{\"title\":\"Quiet\",\"category\":\"other\",\"likelihood\":3,\"impact\":3,"
  "\"residual_likelihood\":null,\"residual_impact\":null,\"mitigation\":\"\",\"contingency\":\"\","
  "\"owner\":null,\"status\":\"mitigated\"},"
  /* 4: low, occurred without a note: one warning */
  "{\"title\":\"Happened\",\"category\":\"other\",\"likelihood\":1,\"impact\":2,"
  "\"residual_likelihood\":null,\"residual_impact\":null,\"mitigation\":\"m\",\"contingency\":\"\","
  "\"owner\":\"Ana\",\"status\":\"occurred\"},"
  /* 5: critical but closed: no warning */
  "{\"title\":\"Closed\",\"category\":\"other\",\"likelihood\":5,\"impact\":5,"
  "\"residual_likelihood\":null,\"residual_impact\":null,\"mitigation\":\"\",\"contingency\":\"\","
  "\"owner\":null,\"status\":\"closed\"}"
  "],\"team\":[{\"name\":\"Ana\",\"email\":null,\"role\":\"qa\",\"responsibilities\":\"\"}],"
  "\"stakeholder_groups\":[],\"sop\":[],\"retrospective\":null}]}";

static UpgStore *
open_with_plan (const char  *json,
                UpgProject **project)
{
  g_autofree char *path = upg_test_tmpfile ("plan.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  UpgStore *store;

  store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  upg_plan_import (store, json, -1, &ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  *project = upg_store_lookup_project (store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  upg_store_load_children (store, UPG_RECORD (*project), &error);
  g_assert_no_error (error);
  return store;
}

static char *
join_warnings (GPtrArray *warnings)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < warnings->len; i++)
    {
      UpgWarning *w = warnings->pdata[i];
      g_string_append_printf (out, "%s: %s\n", w->section, w->message);
    }
  return g_string_free (out, FALSE);
}

static void
test_warnings (void)
{
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(UpgStore) store G_GNUC_UNUSED = open_with_plan (warnings_plan, &project);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);
  g_autoptr(GPtrArray) via_settings = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);
  g_autoptr(GPtrArray) strict = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text3 = NULL;
  GListModel *risks, *team;
  UpgRiskThresholds t = { 2, 3, 4 };

  upg_risk_append_warnings_full (project, NULL, warnings);
  text = join_warnings (warnings);
  g_assert_cmpstr (text, ==,
                   "risks: Risk “Both missing” is rated high but has neither mitigation nor contingency.\n"
                   "risks: Risk “No mitigation” is rated critical but has no mitigation.\n"
                   "risks: Open risk “No mitigation” has no owner.\n"
                   "risks: Risk “No contingency” is rated high but has no contingency.\n"
                   "risks: Risk “Happened” occurred but has no note of what was done (write it in its contingency).\n");

  /* The public entry point reads the thresholds from GSettings (defaults here). */
  upg_risk_append_warnings (project, via_settings);
  text2 = join_warnings (via_settings);
  g_assert_cmpstr (text2, ==, text);

  /* Stricter thresholds turn the medium "Quiet" into a high risk. */
  upg_risk_append_warnings_full (project, &t, strict);
  text3 = join_warnings (strict);
  g_assert_nonnull (strstr (text3, "Risk “Quiet” is rated critical but has neither mitigation nor contingency.\n"));
  /* "Happened" scores 1 × 2 = 2: medium, below high, so only its missing note. */
  g_assert_null (strstr (text3, "Risk “Happened” is rated"));
  g_assert_nonnull (strstr (text3, "Risk “Happened” occurred"));

  /* An owner who left the team is named. */
  risks = upg_record_get_children (UPG_RECORD (project), &upg_entity_risk);
  team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
  {
    g_autoptr(UpgRisk) risk = g_list_model_get_item (risks, 0);
    g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);
    g_autofree char *t1 = NULL;

    upg_record_set_string (UPG_RECORD (risk), UPG_RISK_MITIGATION, "Backups");
    upg_record_set_string (UPG_RECORD (risk), UPG_RISK_CONTINGENCY, "Restore");
    g_autoptr(GListStore) left = g_list_store_new (UPG_TYPE_MEMBER);
    g_autoptr(UpgRecord) member = g_list_model_get_item (team, 0);
    g_autofree char *expected = NULL;

    /* The store refuses an owner who is not on the team … */
    upg_record_set_string (UPG_RECORD (risk), UPG_RISK_OWNER, "Bob");
    g_assert_cmpstr (upg_record_get_string (UPG_RECORD (risk), UPG_RISK_OWNER), !=, "Bob");
    /* … and the check still names one who is not in the list it is given. */
    upg_record_set_string (UPG_RECORD (risk), UPG_RISK_OWNER, upg_record_get_string (member, UPG_MEMBER_NAME));
    upg_risk_check (risk, G_LIST_MODEL (left), NULL, one);
    t1 = join_warnings (one);
    expected = g_strdup_printf ("risks: %s, the owner of risk “Both missing”, is not on the team.\n",
                                upg_record_get_string (member, UPG_MEMBER_NAME));
    g_assert_cmpstr (t1, ==, expected);
  }
}

static void
test_warnings_sample (void)
{
  g_autofree char *path = upg_test_data_path ("sample-plan.json");
  g_autofree char *json = upg_test_read (path, NULL);
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(UpgStore) store G_GNUC_UNUSED = open_with_plan (json, &project);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);

  /* The sample plan's risks are all in order. */
  upg_risk_append_warnings (project, warnings);
  g_assert_cmpuint (warnings->len, ==, 0);
}

static void
test_thresholds_of_project (void)
{
  g_autoptr(UpgRecord) project = upg_record_new (&upg_entity_project);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  UpgRiskThresholds t;
  g_autofree char *text = NULL;

  upg_risk_thresholds_for_project (UPG_PROJECT (project), &t);
  g_assert_cmpint (t.medium_from, ==, 5);
  g_assert_cmpint (t.high_from, ==, 10);
  g_assert_cmpint (t.critical_from, ==, 20);

  /* The user's settings do not change a project's levels: they belong to
   * the plan, so its exports are the same for everyone. */
  g_settings_set_int (settings, "risk-medium-from", 4);
  upg_risk_thresholds_for_project (UPG_PROJECT (project), &t);
  g_assert_cmpint (t.medium_from, ==, 5);
  g_settings_reset (settings, "risk-medium-from");

  upg_record_set_string (project, UPG_PROJECT_RISK_THRESHOLDS, "4,12,16");
  upg_risk_thresholds_for_project (UPG_PROJECT (project), &t);
  g_assert_cmpint (t.medium_from, ==, 4);
  g_assert_cmpint (t.high_from, ==, 12);
  g_assert_cmpint (t.critical_from, ==, 16);
  text = upg_risk_thresholds_to_string (&t);
  g_assert_cmpstr (text, ==, "4,12,16");
  g_assert_cmpint (upg_risk_level_for_score (12, &t), ==, UPG_RISK_LEVEL_HIGH);
  g_assert_cmpint (upg_risk_level_for_score (16, &t), ==, UPG_RISK_LEVEL_CRITICAL);
}

static void
test_library (void)
{
  static const char * const titles[] = {
    "Incompatible interfaces", "Performance regression", "Users’ habits disrupted",
    "Data migration error or loss", "Configuration omitted", "Dependency not ready",
    "Script error during the upgrade", "Untested UI change",
  };
  g_autoptr(UpgProject) project = NULL;
  g_autofree char *path = upg_test_data_path ("sample-plan.json");
  g_autofree char *json = upg_test_read (path, NULL);
  g_autoptr(UpgStore) store = open_with_plan (json, &project);
  GListModel *risks = upg_record_get_children (UPG_RECORD (project), &upg_entity_risk);
  const UpgRiskTemplate *library;
  guint n;

  library = upg_risk_library (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (titles));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRisk) risk = upg_risk_new_from_template (&library[i]);
      g_autoptr(GError) error = NULL;
      UpgRecord *r = UPG_RECORD (risk);

      g_assert_cmpstr (library[i].title, ==, titles[i]);
      g_assert_cmpstr (upg_record_get_string (r, UPG_RISK_TITLE), ==, titles[i]);
      g_assert_cmpint (upg_enum_index (upg_risk_categories, upg_record_get_string (r, UPG_RISK_CATEGORY)), >=, 0);
      g_assert_cmpint (upg_risk_get_score (risk), >, 0);
      g_assert_cmpstr (upg_record_get_string (r, UPG_RISK_STATUS), ==, "open");
      g_assert_cmpuint (strlen (upg_record_get_string (r, UPG_RISK_MITIGATION)), >, 10);
      g_assert_cmpuint (strlen (upg_record_get_string (r, UPG_RISK_CONTINGENCY)), >, 10);
      g_assert_cmpint (upg_record_get_int (r, UPG_RISK_RESIDUAL_LIKELIHOOD), ==, UPG_INT_NULL);

      upg_store_insert (store, UPG_RECORD (project), r, -1, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (risks), ==, 3 + n);
  g_assert_cmpstr (upg_risk_library (&n)[3].category, ==, "data_migration");
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/risk/score", test_score);
  g_test_add_func ("/risk/level/default", test_level_default);
  g_test_add_func ("/risk/level/thresholds", test_level_thresholds);
  g_test_add_func ("/risk/level/range", test_level_range);
  g_test_add_func ("/risk/labels", test_labels);
  g_test_add_func ("/risk/describe-cell", test_describe_cell);
  g_test_add_func ("/risk/residual", test_residual);
  g_test_add_func ("/risk/warnings", test_warnings);
  g_test_add_func ("/risk/warnings/sample", test_warnings_sample);
  g_test_add_func ("/risk/thresholds/project", test_thresholds_of_project);
  g_test_add_func ("/risk/library", test_library);

  return g_test_run ();
}
