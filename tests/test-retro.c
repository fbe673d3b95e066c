/* test-retro.c — the retrospective: planned vs actual arithmetic, the exact
 * report for the fixture, seeding a new one from the file, carrying an
 * action into another project, and insights over several projects. */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include "upg-export.h"
#include "upg-export-retro.h"
#include "upg-insights.h"
#include "upg-plan.h"
#include "upg-draw.h"
#include "upg-report.h"
#include "upg-retro.h"
#include "upg-sop.h"
#include "upg-test-util.h"

/* tests/data/retro-plan.json: project 1 (Billing, rolled back, a
 * retrospective), 2 (Shop, older, an open overdue action), 3 (Search,
 * planning). Times in the file are UTC; Billing plans in Asia/Shanghai. */
static const char expected_retro_md[] =
  "# Retrospective: Billing service 4.2 upgrade\n"
  "\n"
  "- **Held on:** 2026-12-07\n"
  "- **Facilitator:** Ana Souza\n"
  "- **Incidents:** 1\n"
  "- **Root cause:** SDK 7 connection pool too small for peak load\n"
  "- **Detection:** p99 latency alert during the 50% canary\n"
  "\n"
  "## Planned and actual\n"
  "\n"
  "|  | Planned | Actual | Difference |\n"
  "|---|---|---|---|\n"
  "| Window | 2026-12-05 22:00 – 2026-12-06 00:00 (Asia/Shanghai, UTC+8) | 2026-12-05 22:05 – 2026-12-06 00:25 (Asia/Shanghai, UTC+8) | 25 min late |\n"
  "| Duration | 2 h | 2 h 20 min | 20 min longer |\n"
  "| Downtime | at most 10 min (the rollback target) | 20 min | 10 min over the rollback target |\n"
  "| Rollback | restore within 10 min | Used; took 14 min | 4 min over target |\n"
  "\n"
  "## Milestones\n"
  "\n"
  "| Milestone | Due | Done | Slip |\n"
  "|---|---|---|---|\n"
  "| Development complete | 2026-11-27 | 2026-11-26 | 1 day early |\n"
  "| Regression and load tests passed | 2026-12-01 | 2026-12-03 | 2 days late |\n"
  "| Canary 5% | 2026-12-05 | 2026-12-05 | on time |\n"
  "| Canary 50% | 2026-12-06 | not done | — |\n"
  "| Full launch | 2026-12-08 | not done | — |\n"
  "\n"
  "## Gray release\n"
  "\n"
  "| Stage | Planned | As it happened |\n"
  "|---|---|---|\n"
  "| Canary 5% | 5 % of users by 2026-12-05 | Reached 2026-12-05 (on time) |\n"
  "| Canary 50% | 50 % of users by 2026-12-06 | Aborted (rolled back) |\n"
  "\n"
  "## Summary\n"
  "\n"
  "The 5% canary went well; at 50% latency rose and we rolled back.\\\n"
  "No invoice was lost.\n"
  "\n"
  "## Went well\n"
  "\n"
  "- Rollback \\< 10 min \\& on the first try \\| no data lost\n"
  "\n"
  "## Went wrong\n"
  "\n"
  "- Load test did not use the production traffic shape\n"
  "\n"
  "## Lessons\n"
  "\n"
  "- Replay production traffic in load tests\n"
  "\n"
  "## Actions\n"
  "\n"
  "- [ ] Size the SDK connection pool from peak metrics — _Jonas Berg · due 2026-12-15 · OPS-412_\n"
  "- [x] Add the latency alert to the canary step — _Priya Raman · due 2026-12-06_\n";

static const char expected_insights_md[] =
  "# Insights across upgrades\n"
  "\n"
  "- **Projects:** 3\n"
  "- **Upgrades with a retrospective:** 2\n"
  "- **Change failure rate:** 50 % (1 of 2 upgrades rolled back or with incidents)\n"
  "- **Time to restore:** 0 of 1 rollback within its target; median 14 min, longest 14 min\n"
  "- **Window overrun:** 1 of 2 upgrades ended late; 25 min in all, longest 25 min\n"
  "- **Scored low, yet occurred:** 2 of 3 occurred risks\n"
  "- **Gray stages aborted:** 1 of 3 stages\n"
  "\n"
  "## Upgrades\n"
  "\n"
  "| Project | Outcome | Time to restore | Target | Overrun | Downtime |\n"
  "|---|---|---:|---:|---:|---:|\n"
  "| Billing service 4.2 upgrade | Rolled back, 1 incident | 14 min | 10 min | 25 min late | 20 min |\n"
  "| Shop 3.0 launch | Succeeded | — | 15 min | 10 min early | 0 min |\n"
  "\n"
  "## Risks by category\n"
  "\n"
  "| Category | Risks | Occurred | Occurred, scored low |\n"
  "|---|---:|---:|---:|\n"
  "| Compatibility | 1 | 1 | 1 |\n"
  "| Performance | 3 | 1 | 0 |\n"
  "| Data migration | 1 | 0 | 0 |\n"
  "| User experience | 1 | 1 | 1 |\n"
  "\n"
  "## Open actions — 2, 1 overdue\n"
  "\n"
  "| Action | Owner | Due | Project |\n"
  "|---|---|---|---|\n"
  "| Write the rollback runbook for the shop | Mei Lin | 2026-11-01 **overdue** | Shop 3.0 launch |\n"
  "| Size the SDK connection pool from peak metrics | Jonas Berg | 2026-12-15 | Billing service 4.2 upgrade |\n";

static const char expected_insights_csv[] =
  "figure,subject,project,value,total,owner,due,overdue\r\n"
  "projects,,,3,,,,\r\n"
  "change_failures,,,1,2,,,\r\n"
  "restores_within_target,,,0,1,,,\r\n"
  "windows_overrun,,,1,2,,,\r\n"
  "gray_stages_aborted,,,1,3,,,\r\n"
  "failed,,Billing service 4.2 upgrade,true,,,,\r\n"
  "restore_minutes,,Billing service 4.2 upgrade,14,10,,,\r\n"
  "overrun_minutes,,Billing service 4.2 upgrade,25,,,,\r\n"
  "failed,,Shop 3.0 launch,false,,,,\r\n"
  "overrun_minutes,,Shop 3.0 launch,-10,,,,\r\n"
  "risks_occurred,compatibility,,1,1,,,\r\n"
  "occurred_scored_low,compatibility,,1,1,,,\r\n"
  "risks_occurred,performance,,1,3,,,\r\n"
  "occurred_scored_low,performance,,0,1,,,\r\n"
  "risks_occurred,data_migration,,0,1,,,\r\n"
  "occurred_scored_low,data_migration,,0,0,,,\r\n"
  "risks_occurred,user_experience,,1,1,,,\r\n"
  "occurred_scored_low,user_experience,,1,1,,,\r\n"
  "open_action,Write the rollback runbook for the shop,Shop 3.0 launch,,,Mei Lin,2026-11-01,true\r\n"
  "open_action,Size the SDK connection pool from peak metrics,Billing service 4.2 upgrade,,,Jonas Berg,2026-12-15,false\r\n";

static char *
import_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = upg_test_tmpfile ("retro.upgplan");
  g_autofree char *json_path = upg_test_data_path ("retro-plan.json");
  g_autofree char *json = upg_test_read (json_path, NULL);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_autoptr(GArray) ids = NULL;

  g_assert_no_error (error);
  upg_plan_import (store, json, -1, &ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);
  return g_steal_pointer (&path);
}

static char *
export_text (UpgStore *store, const char *kind, gint64 id, const char *format)
{
  g_autoptr(GError) error = NULL;
  UpgExportOptions options = { format, NULL, NULL, .csv_form = UPG_CSV_MACHINE };
  g_autoptr(GBytes) bytes = upg_export_run (store, kind, id, &options, &error);
  gsize size;
  const char *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  return g_strndup (data, size);
}

/* ---- Arithmetic ---- */

static void
test_overrun_arithmetic (void)
{
  gint64 m;
  int days;
  struct {
    const char *from, *to;
    gint64 minutes;
  } spans[] = {
    /* Across midnight UTC. */
    { "2026-12-05T23:30:00Z", "2026-12-06T00:45:00Z", 75 },
    /* Ended early. */
    { "2026-10-11T00:30:00Z", "2026-10-11T00:20:00Z", -10 },
    /* Offsets in the input are converted to UTC first: 09:00+08:00 is 01:00Z. */
    { "2026-12-05T09:00:00+08:00", "2026-12-05T01:25:00Z", 25 },
    /* Across a DST change (Berlin, 25 Oct 2026): UTC minutes, not wall clock. */
    { "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", 60 },
    /* Seconds are not planned: whole minutes toward zero. */
    { "2026-12-05T01:00:00Z", "2026-12-05T01:10:59Z", 10 },
    /* Across a year. */
    { "2026-12-31T23:50:00Z", "2027-01-01T00:05:00Z", 15 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (spans); i++)
    {
      g_assert_true (upg_minutes_between (spans[i].from, spans[i].to, &m));
      g_assert_cmpint (m, ==, spans[i].minutes);
    }
  g_assert_false (upg_minutes_between (NULL, "2026-12-05T01:00:00Z", &m));
  g_assert_false (upg_minutes_between ("2026-12-05", "2026-12-05T01:00:00Z", &m));

  g_assert_true (upg_days_between ("2026-12-01", "2026-12-03", &days));
  g_assert_cmpint (days, ==, 2);
  g_assert_true (upg_days_between ("2026-12-31", "2027-01-01", &days));
  g_assert_cmpint (days, ==, 1);
  g_assert_true (upg_days_between ("2026-11-27", "2026-11-26", &days));
  g_assert_cmpint (days, ==, -1);
  g_assert_false (upg_days_between ("2026-11-27", NULL, &days));

  /* The window in the project's zone: across midnight there, not in UTC. */
  {
    g_autofree char *w = upg_retro_format_window ("2026-12-05T14:05:00Z", "2026-12-05T16:25:00Z", "Asia/Shanghai");
    g_assert_cmpstr (w, ==, "2026-12-05 22:05 – 2026-12-06 00:25 (Asia/Shanghai, UTC+8)");
  }
  {
    /* The same instants in UTC fall on one day. */
    g_autofree char *w = upg_retro_format_window ("2026-12-05T14:05:00Z", "2026-12-05T16:25:00Z", "UTC");
    g_assert_cmpstr (w, ==, "2026-12-05 14:05 – 16:25 (UTC)");
  }
  {
    /* Half-hour zones, and zones behind UTC. */
    g_autofree char *w = upg_retro_format_window ("2026-12-05T18:00:00Z", "2026-12-05T19:00:00Z", "Asia/Kolkata");
    g_autofree char *n = upg_retro_format_window ("2026-12-06T03:00:00Z", "2026-12-06T05:30:00Z", "America/New_York");
    g_assert_cmpstr (w, ==, "2026-12-05 23:30 – 2026-12-06 00:30 (Asia/Kolkata, UTC+5:30)");
    g_assert_cmpstr (n, ==, "2026-12-05 22:00 – 2026-12-06 00:30 (America/New_York, UTC−5)");
  }
  {
    /* The offset is the one of the date, summer time included. */
    g_autofree char *summer = upg_retro_format_offset ("Europe/Berlin", "2026-07-01T10:00:00Z");
    g_autofree char *winter = upg_retro_format_offset ("Europe/Berlin", "2026-12-01T10:00:00Z");
    g_assert_cmpstr (summer, ==, "UTC+2");
    g_assert_cmpstr (winter, ==, "UTC+1");
  }
  {
    g_autofree char *a = upg_retro_format_minutes (45);
    g_autofree char *b = upg_retro_format_minutes (120);
    g_autofree char *c = upg_retro_format_minutes (85);
    g_autofree char *d = upg_retro_format_overrun (25);
    g_autofree char *e = upg_retro_format_overrun (-10);
    g_autofree char *f = upg_retro_format_overrun (0);
    g_assert_cmpstr (a, ==, "45 min");
    g_assert_cmpstr (b, ==, "2 h");
    g_assert_cmpstr (c, ==, "1 h 25 min");
    g_assert_cmpstr (d, ==, "25 min late");
    g_assert_cmpstr (e, ==, "10 min early");
    g_assert_cmpstr (f, ==, "on time");
  }
}

/* The overrun of the fixture's projects, from their records. */
static void
test_overrun_projects (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) billing = upg_store_lookup_project (store, 1, &error);
  g_autoptr(UpgProject) shop = upg_store_lookup_project (store, 2, &error);
  gint64 m;

  g_assert_no_error (error);
  upg_store_load_children (store, UPG_RECORD (billing), &error);
  upg_store_load_children (store, UPG_RECORD (shop), &error);
  g_assert_no_error (error);
  /* Planned end 00:00 in Shanghai (16:00Z), actual 00:25 next day there. */
  g_assert_true (upg_retro_overrun_minutes (UPG_RECORD (billing), upg_project_get_retro (billing), &m));
  g_assert_cmpint (m, ==, 25);
  /* Planned end 00:30Z on 11 Oct (02:30 Berlin), actual 00:20Z. */
  g_assert_true (upg_retro_overrun_minutes (UPG_RECORD (shop), upg_project_get_retro (shop), &m));
  g_assert_cmpint (m, ==, -10);
  g_assert_true (upg_retro_rolled_back (UPG_RECORD (billing), upg_project_get_retro (billing)));
  g_assert_false (upg_retro_rolled_back (UPG_RECORD (shop), upg_project_get_retro (shop)));

  {
    g_autoptr(GArray) outcomes = NULL;
    g_autoptr(GPtrArray) stages = upg_retro_gray_stages (UPG_RECORD (billing), upg_project_get_retro (billing), &outcomes);
    g_assert_cmpuint (stages->len, ==, 2);
    g_assert_cmpint (g_array_index (outcomes, UpgGrayOutcome, 0), ==, UPG_GRAY_DONE);
    g_assert_cmpint (g_array_index (outcomes, UpgGrayOutcome, 1), ==, UPG_GRAY_ABORTED);
  }
}

/* ---- The report ---- */

static void
test_retro_md_exact (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autofree char *md = NULL, *again = NULL, *csv = NULL, *html = NULL;

  g_assert_no_error (error);
  md = export_text (store, "retro", 1, "md");
  g_assert_cmpstr (md, ==, expected_retro_md);
  again = export_text (store, "retro", 1, NULL);
  g_assert_cmpstr (again, ==, md);

  csv = export_text (store, "retro", 1, "csv");
  g_assert_cmpstr (csv, ==,
                   "text,owner,due,ticket,done,carried_to\r\n"
                   "Size the SDK connection pool from peak metrics,Jonas Berg,2026-12-15,OPS-412,false,\r\n"
                   "Add the latency alert to the canary step,Priya Raman,2026-12-06,,true,\r\n");

  /* HTML escapes the user's text and holds every part. */
  html = export_text (store, "retro", 1, "html");
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (html, "Rollback &lt; 10 min &amp; on the first try | no data lost"));
  g_assert_null (strstr (html, "< 10 min"));
  g_assert_nonnull (strstr (html, "2026-12-05 22:05 – 2026-12-06 00:25 (Asia/Shanghai, UTC+8)"));
  g_assert_nonnull (strstr (html, "<th scope=\"row\">Canary 50%</th><td>50 % of users by 2026-12-06</td><td>Aborted (rolled back)</td>"));
  /* Table cells wrap words whole ("Ope n" no more): break-word, not anywhere. */
  g_assert_nonnull (strstr (html, "vertical-align:top;overflow-wrap:break-word;white-space:pre-wrap;}"));
  g_assert_null (strstr (html, "td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);"
                               "vertical-align:top;overflow-wrap:anywhere"));
}

static void
test_retro_hostile (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) billing = upg_store_lookup_project (store, 1, &error);
  g_autofree char *md = NULL, *html = NULL, *csv = NULL;
  UpgRecord *retro;

  g_assert_no_error (error);
  upg_store_load_children (store, UPG_RECORD (billing), &error);
  g_assert_no_error (error);
  retro = upg_project_get_retro (billing);
  upg_record_set_string (retro, UPG_RETRO_ROOT_CAUSE, "<script>alert(1)</script>\n# not a heading");
  {
    g_autoptr(UpgRecord) item = upg_record_new (&upg_entity_retro_item);
    upg_record_set_string (item, UPG_RETRO_ITEM_KIND, "action");
    upg_record_set_string (item, UPG_RETRO_ITEM_TEXT, "=HYPERLINK(\"http://evil.invalid\")");
    upg_record_set_string (item, UPG_RETRO_ITEM_OWNER, "@admin");
    upg_store_insert (store, retro, item, -1, &error);
    g_assert_no_error (error);
  }
  md = export_text (store, "retro", 1, "md");
  g_assert_nonnull (strstr (md, "- **Root cause:** \\<script\\>alert(1)\\</script\\>\\\n\\# not a heading\n"));
  html = export_text (store, "retro", 1, "html");
  g_assert_null (strstr (html, "<script>"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  csv = export_text (store, "retro", 1, "csv");
  g_assert_nonnull (strstr (csv, "\"'=HYPERLINK(\"\"http://evil.invalid\"\")\",\"'@admin\",,,false,\r\n"));
}

static char *
pdftotext (const char *pdf_path)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-layout", pdf_path, "-", NULL };
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error))
    return NULL;
  return g_steal_pointer (&out);
}

static void
test_retro_pdf (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  UpgExportOptions options = { "pdf", NULL, "a4" };
  g_autoptr(GBytes) bytes = upg_export_run (store, "retro", 1, &options, &error);
  g_autofree char *pdf_path = upg_test_tmpfile ("retro.pdf");
  g_autofree char *text = NULL;
  gsize size;
  const char *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  g_assert_true (size > 5 && memcmp (data, "%PDF-", 5) == 0);
  g_file_set_contents (pdf_path, data, size, &error);
  g_assert_no_error (error);
  text = pdftotext (pdf_path);
  /* poppler-utils is a test dependency (build-aux/deps.sh). */
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Retrospective: Billing service 4.2 upgrade"));
  g_assert_nonnull (strstr (text, "25 min late"));
  g_assert_nonnull (strstr (text, "Size the SDK connection pool from peak metrics"));
  g_assert_nonnull (strstr (text, "Rollback < 10 min & on the first try | no data lost"));
}

/* ---- Seeding ---- */

static void
test_seed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) billing = upg_store_lookup_project (store, 1, &error);
  g_autoptr(UpgDeletion) undo = NULL;
  g_autoptr(UpgRecord) retro = NULL;
  GListModel *items;
  static const struct { const char *kind, *text, *owner, *due, *ticket; } expected[] = {
    { "lesson", "Review the open action from “Shop 3.0 launch”: Write the rollback runbook for the shop",
      "Mei Lin", "2026-11-01", "SHOP-77" },
    { "went_wrong", "Milestone “Regression and load tests passed” slipped 2 days (due 2026-12-01, done 2026-12-03)",
      NULL, NULL, NULL },
    { "went_wrong", "Milestone “Canary 50%” not done, 1 day after its date (due 2026-12-06)", NULL, NULL, NULL },
    { "went_wrong", "Risk occurred: Gateway SDK slower under load (planned score 9, Medium)", "Jonas Berg", NULL, NULL },
    { "went_wrong", "Risk occurred: Support not briefed on new invoice layout (planned score 4, Low)", NULL, NULL, NULL },
    { "went_wrong", "Required step skipped: Rollback rehearsed — Staging was down; rehearsed last week", NULL, NULL, NULL },
  };

  g_assert_no_error (error);
  upg_store_load_children (store, UPG_RECORD (billing), &error);
  g_assert_no_error (error);

  /* A project with a retrospective is not seeded twice. */
  g_assert_null (upg_retro_start (store, billing, "2026-12-07", &error));
  g_assert_error (error, UPG_RETRO_ERROR, UPG_RETRO_ERROR_EXISTS);
  g_clear_error (&error);

  upg_store_delete (store, upg_project_get_retro (billing), &undo, &error);
  g_assert_no_error (error);
  g_assert_null (upg_project_get_retro (billing));

  retro = upg_retro_start (store, billing, "2026-12-07", &error);
  g_assert_no_error (error);
  g_assert_true (upg_project_get_retro (billing) == retro);
  g_assert_cmpint (upg_record_get_id (retro), >, 0);

  g_assert_cmpstr (upg_record_get_string (retro, UPG_RETRO_HELD_ON), ==, "2026-12-07");
  g_assert_cmpstr (upg_record_get_string (retro, UPG_RETRO_FACILITATOR), ==, "Ana Souza");
  /* The first and the last check of the window's own phases: the build at
   * 14:05, not the preparation checked at 13:40. */
  g_assert_cmpstr (upg_record_get_string (retro, UPG_RETRO_ACTUAL_START), ==, "2026-12-05T14:05:00Z");
  g_assert_cmpstr (upg_record_get_string (retro, UPG_RETRO_ACTUAL_END), ==, "2026-12-05T16:25:00Z");
  g_assert_true (upg_record_get_bool (retro, UPG_RETRO_ROLLBACK_USED));
  g_assert_cmpint (upg_record_get_int (retro, UPG_RETRO_INCIDENTS), ==, 2);
  g_assert_cmpint (upg_record_get_int (retro, UPG_RETRO_DOWNTIME_MINUTES), ==, UPG_INT_NULL);
  g_assert_cmpint (upg_record_get_int (retro, UPG_RETRO_ROLLBACK_MINUTES), ==, UPG_INT_NULL);
  /* The timeline: every check, uncheck and skip with who and when, in the
   * project's zone. */
  g_assert_cmpstr (upg_record_get_string (retro, UPG_RETRO_SUMMARY), ==,
                   "What the checklist recorded (Asia/Shanghai, UTC+8):\n"
                   "2026-12-05 21:40 Checked “Staging mirrors production” — Jonas Berg\n"
                   "2026-12-05 21:45 Unchecked “Staging mirrors production” — Jonas Berg: Checked before the data refresh finished\n"
                   "2026-12-05 21:50 Checked “Staging mirrors production” — Jonas Berg\n"
                   "2026-12-05 22:02 Skipped “Rollback rehearsed” — Ana Souza: Staging was down; rehearsed last week\n"
                   "2026-12-05 22:05 Checked “Release built by CI with a unique version id” — Jonas Berg\n"
                   "2026-12-05 22:40 Checked “End-to-end load test” — Priya Raman\n"
                   "2026-12-06 00:25 Checked “Canary 5%: watch error rate and latency for 30 minutes” — Jonas Berg");

  items = upg_record_get_children (retro, &upg_entity_retro_item);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (items, i);
      g_assert_cmpstr (upg_record_get_string (item, UPG_RETRO_ITEM_KIND), ==, expected[i].kind);
      g_assert_cmpstr (upg_record_get_string (item, UPG_RETRO_ITEM_TEXT), ==, expected[i].text);
      g_assert_cmpstr (upg_record_get_string (item, UPG_RETRO_ITEM_OWNER), ==, expected[i].owner);
      g_assert_cmpstr (upg_record_get_string (item, UPG_RETRO_ITEM_DUE), ==, expected[i].due);
      g_assert_cmpstr (upg_record_get_string (item, UPG_RETRO_ITEM_TICKET), ==, expected[i].ticket);
      g_assert_false (upg_record_get_bool (item, UPG_RETRO_ITEM_DONE));
    }

  /* Saved: a fresh store reads the same retrospective, and everything
   * pre-filled is editable (an edit is saved). */
  {
    g_autoptr(UpgRecord) first = g_list_model_get_item (items, 0);
    upg_record_set_string (first, UPG_RETRO_ITEM_TEXT, "Edited by the team");
  }
  {
    g_autoptr(UpgStore) other = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
    g_autoptr(UpgProject) p = upg_store_lookup_project (other, 1, &error);
    UpgRecord *r;
    GListModel *saved;
    g_autoptr(UpgRecord) first = NULL;

    g_assert_no_error (error);
    upg_store_load_children (other, UPG_RECORD (p), &error);
    g_assert_no_error (error);
    r = upg_project_get_retro (p);
    g_assert_nonnull (r);
    g_assert_cmpstr (upg_record_get_string (r, UPG_RETRO_ACTUAL_END), ==, "2026-12-05T16:25:00Z");
    saved = upg_record_get_children (r, &upg_entity_retro_item);
    g_assert_cmpuint (g_list_model_get_n_items (saved), ==, G_N_ELEMENTS (expected));
    first = g_list_model_get_item (saved, 0);
    g_assert_cmpstr (upg_record_get_string (first, UPG_RETRO_ITEM_TEXT), ==, "Edited by the team");
  }

  /* The newest project sees both older ones' open actions; the oldest none. */
  {
    g_autoptr(UpgProject) search = upg_store_lookup_project (store, 3, &error);
    g_autoptr(UpgProject) shop = upg_store_lookup_project (store, 2, &error);
    g_autoptr(GPtrArray) newest = upg_retro_previous_open_actions (store, search, &error);
    g_autoptr(GPtrArray) oldest = upg_retro_previous_open_actions (store, shop, &error);
    g_assert_no_error (error);
    /* Billing's seeded retrospective has no action; Shop's runbook is open. */
    g_assert_cmpuint (newest->len, ==, 1);
    g_assert_cmpstr (upg_record_get_string (newest->pdata[0], UPG_RETRO_ITEM_TEXT), ==,
                     "Write the rollback runbook for the shop");
    g_assert_cmpuint (oldest->len, ==, 0);
  }
}

/* The sample plan's day: a preparation step checked ten days before is not
 * the window; the day's checks are, and the rollback's times reach the
 * retrospective, the comparison and Insights. */
static void
test_seed_sample_day (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = upg_test_tmpfile ("sample-day.upgplan");
  g_autofree char *json_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *json = upg_test_read (json_path, NULL);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(UpgRecord) before = NULL;
  g_autoptr(UpgRecord) retro = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GListModel *steps;
  UpgRetroRow *row;

  g_assert_true (upg_plan_import (store, json, -1, NULL, &error));
  project = upg_store_lookup_project (store, 1, &error);
  g_assert_true (upg_store_load_children (store, UPG_RECORD (project), &error));
  g_assert_no_error (error);
  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);

  /* Before the day only "Staging mirrors production" (2026-11-25) is
   * checked: nothing is known of the window yet. */
  before = upg_retro_seed (store, project, "2026-11-26", &error);
  g_assert_no_error (error);
  g_assert_null (upg_record_get_string (before, UPG_RETRO_ACTUAL_START));
  g_assert_null (upg_record_get_string (before, UPG_RETRO_ACTUAL_END));
  rows = upg_retro_compare (UPG_RECORD (project), before);
  row = rows->pdata[0];
  g_assert_cmpstr (row->actual, ==, "Not known");
  g_assert_cmpstr (row->difference, ==, "—");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The day (the window is 09:00–11:00 in Shanghai): the build at 09:05,
   * the load test at 09:40, the canary at 10:20 (skipping the rehearsal),
   * then a rollback from 10:31 to 10:43. */
  {
    g_autoptr(UpgRecord) build = g_list_model_get_item (steps, 2);
    g_autoptr(UpgRecord) load = g_list_model_get_item (steps, 3);
    g_autoptr(UpgRecord) canary = g_list_model_get_item (steps, 4);

    g_assert_true (upg_sop_check (store, steps, build, "Jonas Berg", "2026-12-05T01:05:00Z", NULL, &error));
    g_assert_true (upg_sop_check (store, steps, load, "Priya Raman", "2026-12-05T01:40:00Z", NULL, &error));
    g_assert_true (upg_sop_check (store, steps, canary, "Jonas Berg", "2026-12-05T02:20:00Z",
                                  "Rehearsed on the old staging", &error));
    g_assert_no_error (error);
  }
  g_assert_true (upg_sop_start_rollback (store, project, "2026-12-05T02:31:00Z", &error));
  g_assert_true (upg_sop_end_rollback (store, project, "2026-12-05T02:43:00Z", &error));
  g_assert_no_error (error);

  retro = upg_retro_start (store, project, "2026-12-07", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (upg_record_get_string (retro, UPG_RETRO_ACTUAL_START), ==, "2026-12-05T01:05:00Z");
  g_assert_cmpstr (upg_record_get_string (retro, UPG_RETRO_ACTUAL_END), ==, "2026-12-05T02:43:00Z");
  g_assert_true (upg_record_get_bool (retro, UPG_RETRO_ROLLBACK_USED));
  g_assert_cmpint (upg_record_get_int (retro, UPG_RETRO_ROLLBACK_MINUTES), ==, 12);

  rows = upg_retro_compare (UPG_RECORD (project), retro);
  g_assert_cmpuint (rows->len, ==, 4);
  row = rows->pdata[0];
  g_assert_cmpstr (row->what, ==, "Window");
  g_assert_cmpstr (row->planned, ==, "2026-12-05 09:00 – 11:00 (Asia/Shanghai, UTC+8)");
  g_assert_cmpstr (row->actual, ==, "2026-12-05 09:05 – 10:43 (Asia/Shanghai, UTC+8)");
  g_assert_cmpstr (row->difference, ==, "17 min early");
  row = rows->pdata[1];
  g_assert_cmpstr (row->planned, ==, "2 h");
  g_assert_cmpstr (row->actual, ==, "1 h 38 min");
  g_assert_cmpstr (row->difference, ==, "22 min shorter");
  row = rows->pdata[3];
  g_assert_cmpstr (row->what, ==, "Rollback");
  g_assert_cmpstr (row->actual, ==, "Used; took 12 min");
  g_assert_cmpstr (row->difference, ==, "2 min over target");

  /* Insights: a rolled-back upgrade restored in 12 minutes. */
  {
    g_autoptr(UpgInsights) in = upg_insights_load (store, "2026-12-07", &error);
    UpgInsightsUpgrade *u;

    g_assert_no_error (error);
    g_assert_cmpuint (in->n_upgrades, ==, 1);
    g_assert_cmpuint (in->n_rolled_back, ==, 1);
    g_assert_cmpuint (in->n_restores, ==, 1);
    g_assert_cmpint (in->restore_median_minutes, ==, 12);
    u = in->upgrades->pdata[0];
    g_assert_cmpint (u->rollback_minutes, ==, 12);
  }
  /* ...also when the retrospective left the minutes out: the day's record
   * counts. */
  upg_record_set_int (retro, UPG_RETRO_ROLLBACK_MINUTES, UPG_INT_NULL);
  upg_record_set_bool (retro, UPG_RETRO_ROLLBACK_USED, FALSE);
  {
    g_autoptr(UpgInsights) in = upg_insights_load (store, "2026-12-07", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (in->n_rolled_back, ==, 1);
    g_assert_cmpint (in->restore_median_minutes, ==, 12);
  }
}

/* Start Rollback and Service Restored: once each, in order, refused with
 * when (in the project's zone) otherwise; another program's start shows. */
static void
test_rollback_times (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = upg_test_tmpfile ("rollback.upgplan");
  g_autofree char *json_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *json = upg_test_read (json_path, NULL);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_autoptr(UpgStore) other = NULL;
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(UpgProject) seen = NULL;

  g_assert_true (upg_plan_import (store, json, -1, NULL, &error));
  project = upg_store_lookup_project (store, 1, &error);
  g_assert_no_error (error);

  g_assert_false (upg_sop_end_rollback (store, project, NULL, &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "No rollback was started");
  g_clear_error (&error);

  /* Another window starts it first: ours is refused and shows theirs. */
  other = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  seen = upg_store_lookup_project (other, 1, &error);
  g_assert_true (upg_sop_start_rollback (other, seen, "2026-12-05T02:31:00Z", &error));
  g_assert_no_error (error);
  g_assert_null (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_ROLLBACK_STARTED_AT));
  g_assert_false (upg_sop_start_rollback (store, project, NULL, &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_CHANGED);
  g_assert_cmpstr (error->message, ==, "A rollback is under way: it began at 2026-12-05 10:31 (Asia/Shanghai)");
  g_clear_error (&error);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_ROLLBACK_STARTED_AT), ==, "2026-12-05T02:31:00Z");
  /* Now that it shows it, it is plainly invalid. */
  g_assert_false (upg_sop_start_rollback (store, project, NULL, &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_INVALID);
  g_clear_error (&error);

  /* An end before the start breaks the plan's rule. */
  g_assert_false (upg_sop_end_rollback (store, project, "2026-12-05T02:30:00Z", &error));
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "rollback_ended_at: must not be before rollback_started_at");
  g_clear_error (&error);
  g_assert_null (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_ROLLBACK_ENDED_AT));

  upg_test_set_now ("2026-12-05T02:43:00Z");
  g_assert_true (upg_sop_end_rollback (store, project, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_ROLLBACK_ENDED_AT), ==, "2026-12-05T02:43:00Z");
  g_assert_false (upg_sop_start_rollback (store, project, NULL, &error));
  g_assert_cmpstr (error->message, ==, "The rollback began at 10:31 (Asia/Shanghai) and ended at 10:43 (Asia/Shanghai)");
  g_clear_error (&error);
  g_assert_false (upg_sop_end_rollback (store, project, NULL, &error));
  g_assert_cmpstr (error->message, ==, "The rollback began at 10:31 (Asia/Shanghai) and ended at 10:43 (Asia/Shanghai)");
  upg_test_set_now (UPG_TEST_NOW);
}

/* A project with nothing recorded yet is seeded with blanks, not guesses. */
static void
test_seed_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) search = upg_store_lookup_project (store, 3, &error);
  g_autoptr(UpgRecord) retro = NULL;
  GListModel *items;

  g_assert_no_error (error);
  retro = upg_retro_seed (store, search, "2027-01-21", &error);
  g_assert_no_error (error);
  g_assert_null (upg_record_get_string (retro, UPG_RETRO_ACTUAL_START));
  g_assert_null (upg_record_get_string (retro, UPG_RETRO_ACTUAL_END));
  g_assert_cmpstr (upg_record_get_string (retro, UPG_RETRO_SUMMARY), ==, "");
  g_assert_false (upg_record_get_bool (retro, UPG_RETRO_ROLLBACK_USED));
  items = upg_record_get_children (retro, &upg_entity_retro_item);
  /* Only the two older projects' open actions (Billing's OPS-412, Shop's runbook). */
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);
  /* Not saved. */
  g_assert_cmpint (upg_record_get_id (retro), ==, 0);
  g_assert_null (upg_project_get_retro (search));
}

/* ---- Carrying an action ---- */

static void
test_carry_action (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) billing = upg_store_lookup_project (store, 1, &error);
  g_autoptr(UpgProject) search = upg_store_lookup_project (store, 3, &error);
  g_autoptr(UpgRecord) action = NULL;
  g_autoptr(UpgRecord) done_action = NULL;
  g_autoptr(UpgRecord) step = NULL;
  GListModel *items, *steps;
  guint n_steps;
  g_autofree char *md = NULL;

  g_assert_no_error (error);
  upg_store_load_children (store, UPG_RECORD (billing), &error);
  upg_store_load_children (store, UPG_RECORD (search), &error);
  g_assert_no_error (error);
  items = upg_record_get_children (upg_project_get_retro (billing), &upg_entity_retro_item);
  action = g_list_model_get_item (items, 3);
  done_action = g_list_model_get_item (items, 4);
  steps = upg_record_get_children (UPG_RECORD (search), &upg_entity_sop_step);
  n_steps = g_list_model_get_n_items (steps);

  /* Not a done action, not into its own project. */
  g_assert_false (upg_retro_carry_action (store, done_action, search, &error));
  g_assert_error (error, UPG_RETRO_ERROR, UPG_RETRO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (upg_retro_carry_action (store, action, billing, &error));
  g_assert_error (error, UPG_RETRO_ERROR, UPG_RETRO_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (upg_retro_item_can_carry (action));
  g_assert_true (upg_retro_carry_action (store, action, search, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (upg_record_get_string (action, UPG_RETRO_ITEM_CARRIED_TO), ==,
                   "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
  g_assert_false (upg_retro_item_can_carry (action));
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, n_steps + 1);
  step = g_list_model_get_item (steps, n_steps);
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_TITLE), ==, "Size the SDK connection pool from peak metrics");
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_PHASE), ==, "preparation");
  g_assert_true (upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED));
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_DETAILS), ==,
                   "Action from the retrospective of “Billing service 4.2 upgrade”. Owner: Jonas Berg. Due 2026-12-15. Ticket OPS-412.");
  /* Jonas is not in Search's team: no owner role to guess. */
  g_assert_null (upg_record_get_string (step, UPG_SOP_STEP_OWNER_ROLE));
  g_assert_false (upg_sop_step_is_done (step));

  /* Twice is refused. */
  g_assert_false (upg_retro_carry_action (store, action, search, &error));
  g_assert_error (error, UPG_RETRO_ERROR, UPG_RETRO_ERROR_INVALID);
  g_clear_error (&error);

  /* The report says where it went; the file keeps it. */
  md = export_text (store, "retro", 1, "md");
  g_assert_nonnull (strstr (md, "- [ ] Size the SDK connection pool from peak metrics — _Jonas Berg · due 2026-12-15 · OPS-412 · carried to “Search 2.0”_\n"));
  {
    g_autoptr(UpgStore) other = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
    g_autofree char *plan = upg_plan_export (other, 1, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (plan, "\"carried_to\": \"5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a\""));
    g_free (plan);
    plan = upg_plan_export (other, 3, &error);
    g_assert_nonnull (strstr (plan, "\"title\": \"Size the SDK connection pool from peak metrics\""));
  }
}

/* ---- Insights ---- */

static void
test_insights (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgInsights) in = NULL;
  UpgInsightsAction *a;
  UpgInsightsUpgrade *u;

  g_assert_no_error (error);
  in = upg_insights_load (store, "2026-12-07", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (in->n_projects, ==, 3);
  g_assert_cmpuint (in->n_upgrades, ==, 2);
  /* Billing was rolled back; Shop succeeded without incidents. */
  g_assert_cmpuint (in->n_failed, ==, 1);
  g_assert_cmpuint (upg_insights_failure_percent (in), ==, 50);
  g_assert_cmpuint (in->n_restores, ==, 1);
  g_assert_cmpuint (in->n_restores_within_target, ==, 0);
  g_assert_cmpint (in->restore_median_minutes, ==, 14);
  g_assert_cmpint (in->restore_max_minutes, ==, 14);
  g_assert_cmpuint (in->n_overrun_known, ==, 2);
  g_assert_cmpuint (in->n_overran, ==, 1);
  g_assert_cmpint (in->overrun_total_minutes, ==, 25);
  g_assert_cmpint (in->overrun_max_minutes, ==, 25);
  /* compatibility, performance, data_migration, user_experience… */
  g_assert_cmpuint (in->risks[0], ==, 1);
  g_assert_cmpuint (in->occurred[0], ==, 1);
  g_assert_cmpuint (in->occurred_low_by_category[0], ==, 1);
  g_assert_cmpuint (in->risks[1], ==, 3);
  g_assert_cmpuint (in->occurred[1], ==, 1);
  g_assert_cmpuint (in->occurred_low_by_category[1], ==, 0);
  g_assert_cmpuint (in->occurred[3], ==, 1);
  g_assert_cmpuint (in->occurred_low, ==, 2);
  g_assert_cmpuint (in->n_gray_stages, ==, 3);
  g_assert_cmpuint (in->n_gray_aborted, ==, 1);

  g_assert_cmpuint (in->upgrades->len, ==, 2);
  u = in->upgrades->pdata[0];
  g_assert_true (u->failed && u->rolled_back);
  g_assert_cmpint (u->rollback_minutes, ==, 14);
  g_assert_cmpint (u->overrun_minutes, ==, 25);

  /* Overdue first. */
  g_assert_cmpuint (in->open_actions->len, ==, 2);
  g_assert_cmpuint (in->n_overdue, ==, 1);
  a = in->open_actions->pdata[0];
  g_assert_true (a->overdue);
  g_assert_cmpstr (a->text, ==, "Write the rollback runbook for the shop");
  a = in->open_actions->pdata[1];
  g_assert_false (a->overdue);
  g_assert_cmpstr (a->owner, ==, "Jonas Berg");

  /* The records give the same figures as the store's facts. */
  {
    GListModel *projects = upg_store_get_projects (store);
    g_autoptr(UpgInsights) from_records = NULL;
    for (guint i = 0; i < g_list_model_get_n_items (projects); i++)
      {
        g_autoptr(UpgRecord) p = g_list_model_get_item (projects, i);
        upg_store_load_children (store, p, &error);
        g_assert_no_error (error);
      }
    from_records = upg_insights_compute (projects, "2026-12-07");
    g_assert_cmpuint (from_records->n_failed, ==, in->n_failed);
    g_assert_cmpuint (from_records->n_restores_within_target, ==, in->n_restores_within_target);
    g_assert_cmpint (from_records->overrun_total_minutes, ==, in->overrun_total_minutes);
    g_assert_cmpuint (from_records->occurred_low, ==, in->occurred_low);
    g_assert_cmpuint (from_records->n_gray_aborted, ==, in->n_gray_aborted);
    g_assert_cmpuint (from_records->open_actions->len, ==, in->open_actions->len);
    g_assert_cmpmem (from_records->occurred, sizeof in->occurred, in->occurred, sizeof in->occurred);
    g_assert_cmpmem (from_records->overrun_buckets, sizeof in->overrun_buckets, in->overrun_buckets, sizeof in->overrun_buckets);
  }

  /* A day later than the runbook's due date nothing changes; after the
   * 15th, both are overdue. */
  {
    g_autoptr(UpgInsights) later = upg_insights_compute (upg_store_get_projects (store), "2026-12-16");
    g_assert_cmpuint (later->n_overdue, ==, 2);
  }
}

static void
test_insights_exports (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autofree char *md = NULL, *csv = NULL;

  g_assert_no_error (error);
  upg_test_set_now ("2026-12-07T12:00:00Z");
  md = export_text (store, "insights", 0, "md");
  g_assert_cmpstr (md, ==, expected_insights_md);
  csv = export_text (store, "insights", 0, "csv");
  g_assert_cmpstr (csv, ==, expected_insights_csv);
  upg_test_set_now (UPG_TEST_NOW);
}

/* A file without retrospectives still has its figures. */
static void
test_insights_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = upg_test_tmpfile ("empty.upgplan");
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_autoptr(UpgInsights) in = NULL;

  g_assert_no_error (error);
  in = upg_insights_load (store, "2026-12-07", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (in->n_projects, ==, 0);
  g_assert_cmpuint (upg_insights_failure_percent (in), ==, 0);
  g_assert_cmpint (in->restore_median_minutes, ==, UPG_INT_NULL);
}

/* ---- The project report ---- */

static void
test_report (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autofree char *md = NULL, *html = NULL, *text = NULL, *search_md = NULL;
  g_autofree char *pdf_path = upg_test_tmpfile ("report.pdf");
  static const char * const sections[] = {
    "# Upgrade report: Billing service 4.2 upgrade\n",
    "- **Goal:** Patch the payment gateway vulnerability and move to the supported 4.2 line.\n",
    "- **Build:** v4.2.0+build.1187\n",
    "- **Maintenance window:** 2026-12-05 22:00 – 2026-12-06 00:00 (Asia/Shanghai, UTC+8)\n",
    "## Milestones\n",
    "| Canary 50% | Gray release · 50 % | 2026-12-06 | — | Overdue |\n",
    "## Risks\n",
    "| Gateway SDK slower under load | Performance | 3 × 3 = 9, Medium | 6, Medium | Jonas Berg | Occurred |",
    "## Team\n",
    "## Standard operating procedure\n",
    "- [x] **Staging mirrors production** — DevOps · Required\\\n"
    "  2026-12-05 21:40 Checked by Jonas Berg\\\n"
    "  2026-12-05 21:45 Unchecked by Jonas Berg: Checked before the data refresh finished\\\n"
    "  2026-12-05 21:50 Checked by Jonas Berg\n",
    "## Retrospective\n",
    "| Window | 2026-12-05 22:00 – 2026-12-06 00:00 (Asia/Shanghai, UTC+8) | 2026-12-05 22:05 – 2026-12-06 00:25 (Asia/Shanghai, UTC+8) | 25 min late |\n",
  };
  const char *p;
  guint n_svg = 0;

  g_assert_no_error (error);
  upg_test_set_now ("2026-12-07T12:00:00Z");
  md = export_text (store, "report", 1, "md");
  p = md;
  /* In this order. */
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      const char *at = strstr (p, sections[i]);
      if (at == NULL)
        g_error ("report.md lacks (after its previous part): %s\n%s", sections[i], md);
      p = at + strlen (sections[i]);
    }
  /* A project without a retrospective has a report without one. */
  search_md = export_text (store, "report", 3, "md");
  g_assert_null (strstr (search_md, "Retrospective"));
  g_assert_nonnull (strstr (search_md, "_No milestones yet._"));

  /* HTML: two pictures, SVG made by cairo, embedded. */
  html = export_text (store, "report", 1, "html");
  for (p = html; (p = strstr (p, "<img src=\"data:image/svg+xml;base64,")) != NULL; n_svg++)
    {
      const char *start = p + strlen ("<img src=\"data:image/svg+xml;base64,");
      const char *end = strchr (start, '"');
      g_autofree char *b64 = g_strndup (start, end - start);
      gsize len;
      g_autofree guchar *svg = g_base64_decode (b64, &len);
      g_autofree char *svg_text = g_strndup ((char *) svg, len);

      g_assert_nonnull (strstr (svg_text, "<svg"));
      /* Vector paths, not a bitmap inside. */
      g_assert_nonnull (strstr (svg_text, "<path"));
      g_assert_null (strstr (svg_text, "<image"));
      p = end;
    }
  g_assert_cmpuint (n_svg, ==, 2);
  g_assert_nonnull (strstr (html, "alt=\"The milestones on a timeline\""));
  g_assert_nonnull (strstr (html, "alt=\"The risk heat map: how many risks in each cell\""));
  g_assert_nonnull (strstr (html, "Rollback &lt; 10 min &amp; on the first try | no data lost"));

  /* PDF: every part, the pictures as vectors (no image in the file). */
  {
    UpgExportOptions options = { "pdf", NULL, "a4" };
    g_autoptr(GBytes) bytes = upg_export_run (store, "report", 1, &options, &error);
    gsize size;
    const char *data;

    g_assert_no_error (error);
    data = g_bytes_get_data (bytes, &size);
    g_assert_true (size > 5 && memcmp (data, "%PDF-", 5) == 0);
    g_assert_null (memmem (data, size, "/Subtype /Image", strlen ("/Subtype /Image")));
    g_file_set_contents (pdf_path, data, size, &error);
    g_assert_no_error (error);
  }
  text = pdftotext (pdf_path);
  if (text != NULL)
    {
      g_assert_nonnull (strstr (text, "Upgrade report: Billing service 4.2 upgrade"));
      /* Text drawn inside the pictures. */
      g_assert_nonnull (strstr (text, "Canary 50% (overdue)"));
      g_assert_nonnull (strstr (text, "Catastrophic"));
      g_assert_nonnull (strstr (text, "Staging mirrors production"));
      g_assert_nonnull (strstr (text, "Size the SDK connection pool from peak metrics"));
    }
  upg_test_set_now (UPG_TEST_NOW);
}

/* The pictures' code: the heat map paints each cell in its level's colour,
 * the same in every surface. */
static void
test_draw (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) billing = upg_store_lookup_project (store, 1, &error);
  cairo_surface_t *surface;
  cairo_t *cr;
  UpgPalette palette;
  UpgTimelineOptions options = { "2026-12-07", "Asia/Shanghai", 16 };
  guchar *px;
  int stride;

  g_assert_no_error (error);
  upg_store_load_children (store, UPG_RECORD (billing), &error);
  g_assert_no_error (error);
  upg_palette_init_light (&palette);

  /* 2026-11-23 (3 days before the first date) … 2026-12-11, at least 28 days. */
  g_assert_cmpfloat (upg_draw_timeline_width (UPG_RECORD (billing), &options), ==, 2 * 24 + 28 * 16);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, UPG_HEAT_MAP_WIDTH, UPG_HEAT_MAP_HEIGHT);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  upg_draw_heat_map (cr, UPG_RECORD (billing), FALSE, UPG_HEAT_MAP_WIDTH, UPG_HEAT_MAP_HEIGHT, &palette);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  px = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  {
    /* The top right cell (almost certain × catastrophic) is critical: red
     * over white; the bottom left (rare × insignificant) low: green. */
    double cw = (UPG_HEAT_MAP_WIDTH - 118 - 8) / 5.0, ch = (UPG_HEAT_MAP_HEIGHT - 8 - 40 - 30) / 5.0;
    int x = (int) (118 + 4.5 * cw), y = (int) (8 + 0.15 * ch);
    guint32 top_right = *(guint32 *) (px + y * stride + x * 4);
    guint32 bottom_left = *(guint32 *) (px + (int) (8 + 4.85 * ch) * stride + (int) (118 + 0.15 * cw) * 4);
    int r = (top_right >> 16) & 0xff, g = (top_right >> 8) & 0xff;
    g_assert_cmpint (r, >, g + 60);
    r = (bottom_left >> 16) & 0xff;
    g = (bottom_left >> 8) & 0xff;
    g_assert_cmpint (g, >, r + 30);
  }
  cairo_surface_destroy (surface);
}

/* ---- Command line ---- */

static void
test_cli (void)
{
  g_autofree char *path = import_fixture ();
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *out_md = g_build_filename (dir, "retro.md", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.md", NULL);
  g_autofree char *o = NULL, *e = NULL, *md = NULL;

  g_assert_cmpint (upg_test_run_cli (&o, &e, "export", "retro", "--db", path, "--project", "1",
                                     "--format", "md", NULL), ==, 0);
  g_assert_cmpstr (o, ==, expected_retro_md);
  g_clear_pointer (&o, g_free);
  g_clear_pointer (&e, g_free);

  g_assert_cmpint (upg_test_run_cli (&o, &e, "export", "retro", "--db", path, "--project", "1",
                                     "-o", out_md, NULL), ==, 0);
  md = upg_test_read (out_md, NULL);
  g_assert_cmpstr (md, ==, expected_retro_md);
  g_clear_pointer (&o, g_free);
  g_clear_pointer (&e, g_free);

  /* No retrospective: exit 1, one line, nothing written. */
  g_assert_cmpint (upg_test_run_cli (&o, &e, "export", "retro", "--db", path, "--project", "3",
                                     "-o", missing, NULL), ==, 1);
  g_assert_cmpstr (e, ==, "upgrade-planner: “Search 2.0” has no retrospective yet\n");
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_pointer (&o, g_free);
  g_clear_pointer (&e, g_free);

  /* Usage: retro needs a project; insights takes md and csv only. */
  upg_test_assert_usage_error ("export retro needs --project ID", "export", "retro", "--db", path);
  upg_test_assert_usage_error ("“insights” cannot be exported as “pdf”; choose one of md, csv",
                               "export", "insights", "--db", path, "--format", "pdf");

  upg_test_set_now ("2026-12-07T12:00:00Z");
  g_assert_cmpint (upg_test_run_cli (&o, &e, "export", "insights", "--db", path, NULL), ==, 0);
  g_assert_cmpstr (o, ==, expected_insights_md);
  g_clear_pointer (&o, g_free);
  g_clear_pointer (&e, g_free);
  g_assert_cmpint (upg_test_run_cli (&o, &e, "export", "insights", "--db", path, "--format", "csv", "--machine-csv", NULL), ==, 0);
  g_assert_cmpstr (o, ==, expected_insights_csv);
  upg_test_set_now (UPG_TEST_NOW);
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/retro/overrun-arithmetic", test_overrun_arithmetic);
  g_test_add_func ("/retro/overrun-projects", test_overrun_projects);
  g_test_add_func ("/retro/md-exact", test_retro_md_exact);
  g_test_add_func ("/retro/hostile", test_retro_hostile);
  g_test_add_func ("/retro/pdf", test_retro_pdf);
  g_test_add_func ("/retro/seed", test_seed);
  g_test_add_func ("/retro/seed-empty", test_seed_empty);
  g_test_add_func ("/retro/seed-sample-day", test_seed_sample_day);
  g_test_add_func ("/retro/rollback-times", test_rollback_times);
  g_test_add_func ("/retro/carry-action", test_carry_action);
  g_test_add_func ("/retro/insights", test_insights);
  g_test_add_func ("/retro/insights-exports", test_insights_exports);
  g_test_add_func ("/retro/insights-empty", test_insights_empty);
  g_test_add_func ("/retro/report", test_report);
  g_test_add_func ("/retro/draw", test_draw);
  g_test_add_func ("/retro/cli", test_cli);
  return g_test_run ();
}
