/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-status.c — what the Overview's summary says (core/upg-status.c). */
#include "config.h"

#include "upg-test-util.h"
#include "core/upg-plan.h"
#include "core/upg-sop.h"
#include "core/upg-notify.h"
#include "core/upg-status.h"
#include "core/upg-defaults.h"
#include "core/store/upg-store.h"

static GDateTime *
at (const char *iso)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, NULL);
  g_assert_nonnull (dt);
  return dt;
}

static void
check_window_text (const char *now_iso,
                   const char *expected)
{
  g_autoptr(GDateTime) now = at (now_iso);
  g_autofree char *text = upg_status_window_text ("2026-12-05T01:00:00Z", "2026-12-05T03:00:00Z", now);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_window_text (void)
{
  g_autoptr(GDateTime) now = at ("2026-11-29T12:00:00Z");
  g_autofree char *unset = upg_status_window_text (NULL, NULL, now);

  check_window_text ("2026-11-29T12:00:00Z", "In 6 days");
  check_window_text ("2026-12-04T12:00:00Z", "Tomorrow");
  check_window_text ("2026-12-04T22:00:00Z", "In 3 hours");
  check_window_text ("2026-12-05T00:30:00Z", "In 30 minutes");
  check_window_text ("2026-12-05T01:00:00Z", "In the window now");
  check_window_text ("2026-12-05T02:59:00Z", "In the window now");
  check_window_text ("2026-12-05T03:00:30Z", "Ended just now");
  check_window_text ("2026-12-05T05:00:00Z", "Ended 2 hours ago");
  check_window_text ("2026-12-06T10:00:00Z", "Ended yesterday");
  check_window_text ("2026-12-09T10:00:00Z", "Ended 4 days ago");
  g_assert_cmpstr (unset, ==, "No maintenance window set");
  g_assert_cmpint (upg_status_window_phase ("2026-12-05T01:00:00Z", NULL, now), ==, UPG_WINDOW_PHASE_BEFORE);
}

static void
test_window_span (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autofree char *a = upg_status_window_span ("2026-12-05T01:00:00Z", "2026-12-05T03:00:00Z", utc);
  g_autofree char *b = upg_status_window_span ("2026-12-05T01:00:00Z", "2026-12-05T02:30:00Z", shanghai);
  g_autofree char *c = upg_status_window_span ("2026-12-05T23:00:00Z", "2026-12-06T00:45:00Z", utc);
  g_autofree char *none = upg_status_window_span (NULL, NULL, utc);

  g_assert_cmpstr (a, ==, "Sat 5 Dec 01:00–03:00 UTC · 2 h");
  g_assert_nonnull (shanghai);
  g_assert_cmpstr (b, ==, "Sat 5 Dec 09:00–10:30 CST (UTC+08:00) · 1 h 30 min");
  g_assert_cmpstr (c, ==, "Sat 5 Dec 23:00–Sun 6 Dec 00:45 UTC · 1 h 45 min");
  g_assert_cmpstr (none, ==, "");
}

static UpgProject *
load_sample (UpgStore **store_out)
{
  g_autofree char *path = upg_test_data_path ("sample-plan.json");
  g_autofree char *json = upg_test_read (path, NULL);
  g_autofree char *db = upg_test_tmpfile ("status.upgplan");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  UpgStore *store = upg_store_open (db, UPG_STORE_OPEN_CREATE, &error);
  UpgProject *project;

  g_assert_no_error (error);
  g_assert_true (upg_plan_import (store, json, -1, &ids, &error));
  g_assert_no_error (error);
  project = upg_store_lookup_project (store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load_children (store, UPG_RECORD (project), &error));
  *store_out = store;
  return project;
}

static void
test_summary (void)
{
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(UpgProject) project = load_sample (&store);
  g_autoptr(GError) error = NULL;
  UpgRiskThresholds thresholds = UPG_RISK_THRESHOLDS_INIT;
  UpgStatus status;
  g_autofree char *milestones = NULL;
  g_autofree char *risks = NULL;
  g_autofree char *checklist = NULL;
  g_autofree char *latest = NULL;
  g_autofree char *none = NULL;
  GListModel *steps;

  upg_status_compute (project, &thresholds, NULL, &status);
  g_assert_cmpuint (status.milestones_done, ==, 1);
  g_assert_cmpuint (status.milestones_total, ==, 5);
  g_assert_cmpuint (status.milestones_undated, ==, 0);
  g_assert_cmpuint (status.risks_critical, ==, 0);
  g_assert_cmpuint (status.risks_high, ==, 1);
  g_assert_cmpuint (status.high_risks->len, ==, 1);
  g_assert_cmpuint (status.steps_done, ==, 1);
  g_assert_cmpuint (status.steps_total, ==, 6);

  milestones = upg_status_milestones_text (&status);
  risks = upg_status_risks_text (&status);
  checklist = upg_status_checklist_text (&status);
  g_assert_cmpstr (milestones, ==, "Milestones: 1 of 5 done, next: Regression and load tests passed, due 1 Dec");
  g_assert_cmpstr (risks, ==, "Risks: 1 high open");
  g_assert_cmpstr (checklist, ==, "Checklist: 1 of 6 steps checked, next: Rollback rehearsed");
  upg_status_clear (&status);

  /* Notices: the sample's one, and a moment nobody was told about once
   * the window has passed with steps open. */
  {
    g_autoptr(GDateTime) before = g_date_time_new_utc (2026, 11, 30, 12, 0, 0);
    g_autoptr(GDateTime) after = g_date_time_new_utc (2027, 1, 4, 12, 0, 0);
    g_autofree char *notices = NULL;
    g_autofree char *late = NULL;

    upg_status_compute (project, &thresholds, before, &status);
    g_assert_cmpuint (status.notices_sent, ==, 1);
    g_assert_cmpstr (upg_record_get_string (status.latest_notice, UPG_NOTICE_MOMENT), ==, "advance_notice");
    g_assert_null (status.notice_due);
    notices = upg_status_notices_text (&status);
    g_assert_cmpstr (notices, ==, "Notices: 1 sent, latest: Advance notice, 11/28/26 17:00 (Asia/Shanghai) · 11/28/26 09:00 your time (UTC)");
    upg_status_clear (&status);

    upg_status_compute (project, &thresholds, after, &status);
    g_assert_cmpstr (status.notice_due, ==, "delayed");
    late = upg_status_notices_text (&status);
    g_assert_cmpstr (late, ==, "Notices: 1 sent, latest: Advance notice, 11/28/26 17:00 (Asia/Shanghai) · 11/28/26 09:00 your time (UTC)"
                     "; due now: Delayed");
    upg_status_clear (&status);
  }

  /* A critical risk (5 × 4) joins, highest first. */
  {
    g_autoptr(UpgRecord) risk = upg_record_new (&upg_entity_risk);
    upg_record_set_string (risk, UPG_RISK_TITLE, "Payments double-charged");
    upg_record_set_int (risk, UPG_RISK_LIKELIHOOD, 5);
    upg_record_set_int (risk, UPG_RISK_IMPACT, 4);
    g_assert_true (upg_store_insert (store, UPG_RECORD (project), risk, -1, &error));
    g_assert_no_error (error);
  }
  upg_status_compute (project, &thresholds, NULL, &status);
  g_clear_pointer (&risks, g_free);
  risks = upg_status_risks_text (&status);
  g_assert_cmpstr (risks, ==, "Risks: 1 critical, 1 high open");
  g_assert_cmpstr (upg_record_get_string (status.high_risks->pdata[0], UPG_RISK_TITLE), ==, "Payments double-charged");
  upg_status_clear (&status);

  /* The latest activity: who checked what, when. */
  none = upg_status_latest_activity (store, project, &error);
  g_assert_no_error (error);
  /* The sample's history came with the import (plan format 2). */
  g_assert_cmpstr (none, ==, "Jonas Berg checked “Staging mirrors production” · "
                   "11/25/26 18:00 (Asia/Shanghai) · 11/25/26 10:00 your time (UTC)");
  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  {
    g_autoptr(UpgRecord) step = g_list_model_get_item (steps, 1);
    g_assert_true (upg_sop_check (store, steps, step, "Mei Lin", "2026-12-05T01:12:00Z", NULL, &error));
    g_assert_no_error (error);
  }
  latest = upg_status_latest_activity (store, project, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (latest, ==, "Mei Lin checked “Rollback rehearsed” · 12/05/26 09:12 (Asia/Shanghai) · 12/05/26 01:12 your time (UTC)");
}

static void
test_milestone_order (void)
{
  g_autoptr(GListStore) list = g_list_store_new (UPG_TYPE_RECORD);
  const char *items[][2] = { { "Tests passed", "2026-12-01" }, { "No date", NULL },
                             { "Canary 50%", "2026-12-06" }, { "Full launch", "2026-12-08" } };
  g_autofree char *none = NULL;
  g_autofree char *warning = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(UpgRecord) m = upg_record_new (&upg_entity_milestone);
      upg_record_set_string (m, UPG_MILESTONE_TITLE, items[i][0]);
      upg_record_set_string (m, UPG_MILESTONE_DUE, items[i][1]);
      g_list_store_append (list, m);
    }
  none = upg_status_milestone_order_warning (G_LIST_MODEL (list));
  g_assert_null (none);
  {
    g_autoptr(UpgRecord) early = upg_record_new (&upg_entity_milestone);
    upg_record_set_string (early, UPG_MILESTONE_TITLE, "Gray 5%");
    upg_record_set_string (early, UPG_MILESTONE_DUE, "2026-12-05");
    g_list_store_append (list, early);
  }
  warning = upg_status_milestone_order_warning (G_LIST_MODEL (list));
  g_assert_cmpstr (warning, ==, "“Gray 5%” is due before “Full launch”, which comes earlier in the list");
}

/* A new project: no notice sent, none called for yet. */
static void
test_no_notices (void)
{
  g_autoptr(UpgProject) project = upg_defaults_new_project ("Shop 3.0", "feature");
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 30, 12, 0, 0);
  UpgRiskThresholds thresholds = UPG_RISK_THRESHOLDS_INIT;
  g_autofree char *text = NULL;
  UpgStatus status;

  upg_status_compute (project, &thresholds, now, &status);
  g_assert_cmpuint (status.notices_sent, ==, 0);
  g_assert_null (status.latest_notice);
  g_assert_null (status.notice_due);
  text = upg_status_notices_text (&status);
  g_assert_cmpstr (text, ==, "Notices: none sent yet");
  upg_status_clear (&status);
}

/* The notice the Overview suggests follows the moments' rules: a project
 * rolled back the day before, its gray release step checked, is due the
 * rollback notice, never "Started"; a cancelled one the cancellation. */
static void
test_notice_due_fits (void)
{
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(UpgProject) project = load_sample (&store);
  UpgRiskThresholds thresholds = UPG_RISK_THRESHOLDS_INIT;
  g_autoptr(GDateTime) next_day = g_date_time_new_utc (2026, 12, 6, 9, 0, 0);
  GListModel *steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  g_autoptr(UpgRecord) gray = g_list_model_get_item (steps, 4);
  g_autoptr(GError) error = NULL;
  UpgStatus status;

  g_assert_cmpstr (upg_record_get_string (gray, UPG_SOP_STEP_PHASE), ==, "gray_release");
  g_assert_true (upg_sop_check (store, steps, gray, "Jonas Berg", "2026-12-05T01:30:00Z", "load env down", &error));
  g_assert_no_error (error);
  upg_status_compute (project, &thresholds, next_day, &status);
  g_assert_cmpstr (status.notice_due, ==, "started");
  upg_status_clear (&status);

  upg_record_set_string (UPG_RECORD (project), UPG_PROJECT_STATUS, "rolled_back");
  upg_status_compute (project, &thresholds, next_day, &status);
  g_assert_cmpstr (status.notice_due, ==, "rolled_back");
  upg_status_clear (&status);

  upg_record_set_string (UPG_RECORD (project), UPG_PROJECT_STATUS, "cancelled");
  upg_status_compute (project, &thresholds, next_day, &status);
  g_assert_cmpstr (status.notice_due, ==, "cancelled");
  upg_status_clear (&status);
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);
  g_test_add_func ("/status/window-text", test_window_text);
  g_test_add_func ("/status/window-span", test_window_span);
  g_test_add_func ("/status/summary", test_summary);
  g_test_add_func ("/status/notice-due-fits", test_notice_due_fits);
  g_test_add_func ("/status/milestone-order", test_milestone_order);
  g_test_add_func ("/status/no-notices", test_no_notices);
  return g_test_run ();
}
