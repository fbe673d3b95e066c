/* test-plan.c — the JSON plan format: round trips and every import rule. */
#include "config.h"

#include <string.h>

#include "upg-test-util.h"
#include "core/upg-plan.h"
#include "core/upg-plan-private.h"
#include "core/store/upg-store.h"

static char *
sample_text (void)
{
  g_autofree char *path = upg_test_data_path ("sample-plan.json");
  return upg_test_read (path, NULL);
}

static UpgStore *
new_store (void)
{
  g_autofree char *path = upg_test_tmpfile ("plan.upgplan");
  g_autoptr(GError) error = NULL;
  UpgStore *store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  return store;
}

static void
test_sample_round_trip (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *sample = sample_text ();
  g_autofree char *out = NULL;

  g_assert_true (upg_plan_import (store, sample, -1, &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);

  out = upg_plan_export (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, sample);

  g_clear_pointer (&out, g_free);
  out = upg_plan_export (store, 1, &error);
  g_assert_cmpstr (out, ==, sample);
}

static void
test_export_import_export (void)
{
  g_autoptr(UpgStore) a = new_store ();
  g_autoptr(UpgStore) b = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = sample_text ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  /* The sample in both versions, an empty project and one with odd text,
   * in one file. */
  g_assert_true (upg_plan_import (a, sample, -1, NULL, &error));
  {
    g_autofree char *v1_path = upg_test_data_path ("sample-plan-v1.json");
    g_autofree char *v1 = upg_test_read (v1_path, NULL);
    g_assert_true (upg_plan_import (a, v1, -1, NULL, &error));
  }
  g_assert_true (upg_plan_import (a,
    "{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": ["
    "{\"name\": \"Empty\", \"created_at\": \"2026-01-01T00:00:00Z\", \"updated_at\": \"2026-01-01T00:00:00Z\"},"
    "{\"name\": \"系统升级 \\\"quoted\\\"\\n\\ttab \\u0001 \\\\ </script>\", \"kind\": \"other\","
    " \"window_start\": \"2026-12-05T09:00:00+08:00\", \"window_end\": \"2026-12-05T03:30:00Z\","
    " \"created_at\": \"2026-01-01T00:00:00Z\", \"updated_at\": \"2026-01-01T00:00:00Z\","
    " \"extensions\": {\"tracker\": {\"id\": 42, \"ratio\": 0.1, \"tags\": [\"a\", null, true]}},"
    " \"team\": [{\"name\": \"李雷\", \"email\": null, \"role\": \"qa\", \"extensions\": {}}],"
    " \"retrospective\": {\"held_on\": \"2026-12-10\", \"incidents\": 2, \"items\": [{\"kind\": \"action\", \"text\": \"Automate\", \"due\": \"2027-01-15\", \"done\": false}]}}"
    "], \"extensions\": {\"exported_by\": \"ci\"}}", -1, NULL, &error));
  g_assert_no_error (error);

  first = upg_plan_export (a, 0, &error);
  g_assert_no_error (error);
  g_assert_true (upg_plan_import (b, first, -1, NULL, &error));
  g_assert_no_error (error);
  second = upg_plan_export (b, 0, &error);
  g_assert_cmpstr (first, ==, second);

  /* What was written is what the format says. */
  g_assert_nonnull (strstr (first, "\"name\": \"系统升级 \\\"quoted\\\"\\n\\ttab \\u0001 \\\\ </script>\""));
  g_assert_nonnull (strstr (first, "\"window_start\": \"2026-12-05T01:00:00Z\""));
  g_assert_nonnull (strstr (first,
    "      },\n"
    "      \"extensions\": {\n"
    "        \"tracker\": {\n"
    "          \"id\": 42,\n"
    "          \"ratio\": 0.1,\n"
    "          \"tags\": [\n"
    "            \"a\",\n"
    "            null,\n"
    "            true\n"
    "          ]\n"
    "        }\n"
    "      }\n"
    "    }"));
  g_assert_nonnull (strstr (first, "\"responsibilities\": \"\",\n          \"extensions\": {}\n"));
  g_assert_true (g_str_has_suffix (first, "  ],\n  \"extensions\": {\n    \"exported_by\": \"ci\"\n  }\n}\n"));
  /* An item without a uid gets one derived from its project's uid and its
   * place (a name-based UUID). */
  g_assert_true (g_regex_match_simple ("\"items\": \\[\n"
                                       "          {\n"
                                       "            \"uid\": \"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\",\n"
                                       "            \"kind\": \"action\",\n",
                                       first, 0, 0));
  g_assert_nonnull (strstr (first,
    "            \"kind\": \"action\",\n"
    "            \"text\": \"Automate\",\n"
    "            \"owner\": null,\n"
    "            \"due\": \"2027-01-15\",\n"
    "            \"done\": false,\n"
    "            \"ticket\": null,\n"
    "            \"carried_to\": null\n"
    "          }\n"
    "        ]"));
}

/* A version-2 document (the sample as version 2 wrote it) still imports:
 * its items get the uids the version-3 sample has, derived from the
 * project's uid and each item's place, and the new keys their defaults. */
static void
test_version_2_sample (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *v2_path = upg_test_data_path ("sample-plan-v2.json");
  g_autofree char *v2 = upg_test_read (v2_path, NULL);
  g_autofree char *sample = sample_text ();
  g_autofree char *out = NULL;
  g_autoptr(GRegex) uid = g_regex_new ("\"uid\": \"[^\"]*\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) a = NULL;
  g_autoptr(GMatchInfo) b = NULL;
  guint n = 0;

  g_assert_true (g_str_has_prefix (v2, "{\n  \"format\": \"upgrade-planner\",\n  \"version\": 2,\n"));
  g_assert_true (upg_plan_import (store, v2, -1, NULL, &error));
  g_assert_no_error (error);
  out = upg_plan_export (store, 0, &error);
  g_assert_no_error (error);

  /* Every uid, in order, is the sample's. */
  g_regex_match (uid, out, 0, &a);
  g_regex_match (uid, sample, 0, &b);
  while (g_match_info_matches (a) && g_match_info_matches (b))
    {
      g_autofree char *x = g_match_info_fetch (a, 0);
      g_autofree char *y = g_match_info_fetch (b, 0);
      g_assert_cmpstr (x, ==, y);
      g_match_info_next (a, NULL);
      g_match_info_next (b, NULL);
      n++;
    }
  g_assert_false (g_match_info_matches (a));
  g_assert_false (g_match_info_matches (b));
  g_assert_cmpuint (n, ==, 1 + 5 + 3 + 4 + 2 + 6);
  g_assert_nonnull (strstr (out, "\"rollback_started_at\": null,\n      \"rollback_ended_at\": null,\n"));
  g_assert_nonnull (strstr (out, "\"cancelled_milestones\": [],\n"));
  g_assert_nonnull (strstr (out, "\"email\": \"mei@example.org\",\n          \"phone\": \"\",\n"));
  g_assert_nonnull (strstr (out, "\"audience\": \"Customer support team\",\n          \"internal\": false,\n"));

  /* The same document imported again gives the same uids. */
  {
    g_autoptr(UpgStore) again = new_store ();
    g_autofree char *out2 = NULL;
    g_assert_true (upg_plan_import (again, v2, -1, NULL, &error));
    out2 = upg_plan_export (again, 0, &error);
    g_assert_cmpstr (out2, ==, out);
  }
}

static void
test_empty_file_exports_empty_plan (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = upg_plan_export (store, 0, &error);

  g_assert_cmpstr (out, ==, "{\n  \"format\": \"upgrade-planner\",\n  \"version\": 3,\n  \"projects\": []\n}\n");
}

static void
test_export_unknown_project (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = upg_plan_export (store, 7, &error);

  g_assert_null (out);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NO_SUCH_PROJECT);
  g_assert_cmpstr (error->message, ==, "There is no project with id 7; “upgrade-planner list” shows the ids");
}

/* ---- every rule, with its bad input ---- */

typedef struct {
  const char *name;
  const char *find;      /* replaced, first occurrence, in the sample */
  const char *replace;
  int         code;
  const char *message;
} BadInput;

#define CODE "a template shows names ({{ project.name }}), tests them ({{ if … }}) and repeats lists " \
             "({{ for x in changes }}); it runs no code"

static const BadInput bad_inputs[] = {
  { "not-json", NULL, "{\"format\": \"upgrade-planner\",", UPG_PLAN_ERROR_INVALID_JSON, NULL },
  { "array", NULL, "[]", UPG_PLAN_ERROR_NOT_A_PLAN,
    "The file is not an Upgrade Planner plan (it has no \"format\": \"upgrade-planner\")" },
  { "other-format", "\"format\": \"upgrade-planner\"", "\"format\": \"gantt\"", UPG_PLAN_ERROR_NOT_A_PLAN,
    "The file is not an Upgrade Planner plan (it has no \"format\": \"upgrade-planner\")" },
  { "newer", "\"version\": 3", "\"version\": 4", UPG_PLAN_ERROR_TOO_NEW,
    "The plan uses format version 4, newer than this version of Upgrade Planner reads (3); update Upgrade Planner" },
  { "version-string", "\"version\": 3", "\"version\": \"3\"", UPG_PLAN_ERROR_INVALID,
    "version: must be a positive integer" },
  { "unknown-top-key", "\"version\": 3,", "\"version\": 3, \"author\": \"me\",", UPG_PLAN_ERROR_INVALID,
    "author: unknown key" },
  { "projects-missing", "\"projects\": [", "\"things\": [", UPG_PLAN_ERROR_INVALID, "things: unknown key" },
  { "projects-object", NULL, "{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": {}}",
    UPG_PLAN_ERROR_INVALID, "projects: must be an array" },
  { "projects-absent", NULL, "{\"format\": \"upgrade-planner\", \"version\": 1}",
    UPG_PLAN_ERROR_INVALID, "projects: is required" },
  { "project-not-object", NULL, "{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": [\"Billing\"]}",
    UPG_PLAN_ERROR_INVALID, "projects[0]: must be an object" },
  { "not-utf8", NULL, "{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": [{\"name\": \"\xff\"}]}",
    UPG_PLAN_ERROR_INVALID_JSON, "The file is not valid JSON: it is not UTF-8 text" },
  { "unknown-project-key", "\"kind\": \"security_fix\",", "\"kind\": \"security_fix\", \"kidn\": 1,",
    UPG_PLAN_ERROR_INVALID, "projects[0].kidn: unknown key" },
  { "name-missing", "\"name\": \"Billing service 4.2 upgrade\",", "", UPG_PLAN_ERROR_INVALID,
    "projects[0].name: is required" },
  { "name-empty", "\"name\": \"Billing service 4.2 upgrade\"", "\"name\": \"  \"", UPG_PLAN_ERROR_INVALID,
    "projects[0].name: must not be empty" },
  { "name-null", "\"name\": \"Billing service 4.2 upgrade\"", "\"name\": null", UPG_PLAN_ERROR_INVALID,
    "projects[0].name: must be a string" },
  /* Version 2. */
  { "v1-with-v2-key", "\"version\": 3", "\"version\": 1", UPG_PLAN_ERROR_INVALID,
    "projects[0].uid: unknown key" },
  { "uid-not-uuid", "\"uid\": \"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f\"", "\"uid\": \"6F1C2D3E-4B5A-4C6D-8E7F-9A0B1C2D3E4F\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].uid: must be a lowercase UUID, like 3f2b8c1e-5d4a-4e2b-9c1d-7a6e5f4b3c2d" },
  { "time-zone-unknown", "\"time_zone\": \"Asia/Shanghai\",\n      \"calendar", "\"time_zone\": \"Mars/Olympus\",\n      \"calendar",
    UPG_PLAN_ERROR_INVALID, "projects[0].time_zone: must be a time zone name the system knows, like Asia/Shanghai or UTC" },
  { "time-zone-offset", "\"time_zone\": \"Asia/Shanghai\",\n      \"calendar", "\"time_zone\": \"+08:00\",\n      \"calendar",
    UPG_PLAN_ERROR_INVALID, "projects[0].time_zone: must be a time zone name the system knows, like Asia/Shanghai or UTC" },
  { "sequence-negative", "\"calendar_sequence\": 1", "\"calendar_sequence\": -1",
    UPG_PLAN_ERROR_INVALID, "projects[0].calendar_sequence: must be an integer of at least 0" },
  { "thresholds-order", "\"risk_thresholds\": [\n        5,\n        10,", "\"risk_thresholds\": [\n        10,\n        5,",
    UPG_PLAN_ERROR_INVALID, "projects[0].risk_thresholds: must be 3 strictly increasing integers from 2 to 25 (the lowest score of medium, high and critical)" },
  { "thresholds-two", "\"risk_thresholds\": [\n        5,\n        10,\n        20\n      ]", "\"risk_thresholds\": [5, 10]",
    UPG_PLAN_ERROR_INVALID, "projects[0].risk_thresholds: must be 3 strictly increasing integers from 2 to 25 (the lowest score of medium, high and critical)" },
  { "thresholds-string", "\"risk_thresholds\": [\n        5,", "\"risk_thresholds\": [\n        \"5\",",
    UPG_PLAN_ERROR_INVALID, "projects[0].risk_thresholds: must be an array of 3 integers" },
  { "moment-repeated", "\"advance_notice\",\n            \"started\"", "\"started\",\n            \"started\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].stakeholder_groups[1].moments[1]: must not be repeated" },
  { "moment-unknown", "\"advance_notice\",\n            \"started\"", "\"advance-notice\",\n            \"started\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].stakeholder_groups[1].moments[0]: must be one of advance_notice, reminder, started, completed, delayed, rolled_back, retrospective, cancelled" },
  { "language-unknown", "\"language\": \"zh_CN\"", "\"language\": \"fr\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].stakeholder_groups[1].language: must be one of en, zh_CN" },
  { "bcc-string", "\"bcc\": true", "\"bcc\": \"yes\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].stakeholder_groups[1].bcc: must be true or false" },
  { "template-twice", "\"email_templates\": [\n        {", "\"email_templates\": [\n        {\"moment\": \"advance_notice\", \"language\": \"en\", \"subject\": \"S\", \"body\": \"B\"},\n        {",
    UPG_PLAN_ERROR_INVALID, "projects[0].email_templates[1]: repeats the moment and language of an earlier template (at most one each)" },
  /* Templates are data: code of any kind is refused where the plan enters. */
  { "template-require", "\"body\": \"Hello,", "\"body\": \"{{ require GLib }}{{ GLib.get_user_name() }} {{ GLib.get_home_dir() }}\\nHello,",
    UPG_PLAN_ERROR_INVALID, "projects[0].email_templates[0].body: line 1, column 4: “require” is not allowed: " CODE },
  { "template-require-gio", "\"body\": \"Hello,", "\"body\": \"Hi\\n{{require Gio version \\\"2.0\\\"}}Hello,",
    UPG_PLAN_ERROR_INVALID, "projects[0].email_templates[0].body: line 2, column 3: “require” is not allowed: " CODE },
  { "template-call", "\"subject\": \"Planned", "\"subject\": \"{{ GLib.setenv(\\\"A\\\", \\\"B\\\", true) }} Planned",
    UPG_PLAN_ERROR_INVALID, "projects[0].email_templates[0].subject: line 1, column 4: “GLib.setenv(…)” is a call, and a template calls nothing: " CODE },
  { "template-while", "\"body\": \"Hello,", "\"body\": \"{{ while true do 1; }}Hello,",
    UPG_PLAN_ERROR_INVALID, "projects[0].email_templates[0].body: line 1, column 4: “while” is not allowed: " CODE },
  { "template-recursion", "\"body\": \"Hello,", "\"body\": \"{{ def f(n) f(n) end }}{{ f(1) }}Hello,",
    UPG_PLAN_ERROR_INVALID, "projects[0].email_templates[0].body: line 1, column 4: “def” is not allowed: " CODE },
  { "template-assign", "\"body\": \"Hello,", "\"body\": \"{{ project.name = \\\"x\\\" }}Hello,",
    UPG_PLAN_ERROR_INVALID, "projects[0].email_templates[0].body: line 1, column 17: “=” assigns, and a template assigns nothing; compare with “==”" },
  { "template-unknown-name", "\"body\": \"Hello,", "\"body\": \"{{ project.nme }}Hello,",
    UPG_PLAN_ERROR_INVALID, "projects[0].email_templates[0].body: line 1, column 4: project has no field “nme”" },
  { "template-open-block", "\"body\": \"Hello,", "\"body\": \"{{ for c in changes }}Hello,",
    UPG_PLAN_ERROR_INVALID, "projects[0].email_templates[0].body: line 1, column 1: “{{ for }}” is not closed by “{{ end }}”" },
  { "template-subject-empty", "\"subject\": \"Planned", "\"subject\": \" \", \"x\": \"",
    UPG_PLAN_ERROR_INVALID, "projects[0].email_templates[0].x: unknown key" },
  { "notice-how", "\"how\": \"eml\"", "\"how\": \"fax\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].notices[0].how: must be one of eml, mail_app, clipboard" },
  { "notice-at-missing", "\"at\": \"2026-11-28T09:00:00Z\",", "",
    UPG_PLAN_ERROR_INVALID, "projects[0].notices[0].at: is required" },
  { "history-last-not-check", "\"at\": \"2026-11-25T10:00:00Z\",\n              \"note\": \"\"", "\"at\": \"2026-11-25T10:01:00Z\",\n              \"note\": \"\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].sop[0].checked_at: must be the time of the last check in the history, with checked_by its name" },
  { "history-action", "\"action\": \"uncheck\"", "\"action\": \"undo\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].sop[0].history[1].action: must be one of check, uncheck, skip" },
  { "history-check-nobody", "\"action\": \"check\",\n              \"by\": \"Jonas Berg\",\n              \"at\": \"2026-11-25T09:50:00Z\"",
    "\"action\": \"check\",\n              \"by\": null,\n              \"at\": \"2026-11-25T09:50:00Z\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].sop[0].history[0].by: must name who checked the step" },
  { "uncheck-left-checked", "\"action\": \"check\",\n              \"by\": \"Jonas Berg\",\n              \"at\": \"2026-11-25T10:00:00Z\"",
    "\"action\": \"uncheck\",\n              \"by\": \"Jonas Berg\",\n              \"at\": \"2026-11-25T10:00:00Z\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].sop[0].checked_at: must be the time of the last check in the history, with checked_by its name" },
  { "kind", "\"kind\": \"security_fix\"", "\"kind\": \"hotfix\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].kind: must be one of security_fix, feature, refactor, dependency, infrastructure, other" },
  { "status", "\"status\": \"preparing\"", "\"status\": \"Preparing\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].status: must be one of planning, preparing, validating, gray_release, live, done, rolled_back, cancelled" },
  { "goal-null", "\"goal\": \"Patch", "\"goal\": null, \"x\": \"", UPG_PLAN_ERROR_INVALID, "projects[0].x: unknown key" },
  { "version-from-number", "\"version_from\": \"4.1.7\"", "\"version_from\": 4.1", UPG_PLAN_ERROR_INVALID,
    "projects[0].version_from: must be a string or null" },
  { "window-start-no-date", "\"window_start\": \"2026-12-05T01:00:00Z\"", "\"window_start\": \"2026-02-30T01:00:00Z\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].window_start: must be an RFC 3339 timestamp that exists, like 2026-12-05T01:00:00Z" },
  { "window-start-no-zone", "\"window_start\": \"2026-12-05T01:00:00Z\"", "\"window_start\": \"2026-12-05T01:00:00\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].window_start: must be an RFC 3339 timestamp that exists, like 2026-12-05T01:00:00Z" },
  { "window-hour-25", "\"window_start\": \"2026-12-05T01:00:00Z\"", "\"window_start\": \"2026-12-05T25:00:00Z\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].window_start: must be an RFC 3339 timestamp that exists, like 2026-12-05T01:00:00Z" },
  { "window-end-before-start", "\"window_end\": \"2026-12-05T03:00:00Z\"", "\"window_end\": \"2026-12-05T00:59:59Z\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].window_end: must not be before window_start" },
  { "rollback-zero", "\"rollback_target_minutes\": 10", "\"rollback_target_minutes\": 0", UPG_PLAN_ERROR_INVALID,
    "projects[0].rollback_target_minutes: must be an integer of at least 1" },
  { "rollback-float", "\"rollback_target_minutes\": 10", "\"rollback_target_minutes\": 10.5", UPG_PLAN_ERROR_INVALID,
    "projects[0].rollback_target_minutes: must be an integer of at least 1" },
  { "created-null", "\"created_at\": \"2026-11-20T09:15:00Z\"", "\"created_at\": null", UPG_PLAN_ERROR_INVALID,
    "projects[0].created_at: must be a string" },
  { "scope-module-missing", "\"module\": \"billing-api\",", "", UPG_PLAN_ERROR_INVALID,
    "projects[0].scope_items[0].module: is required" },
  { "scope-impact", "\"impact\": \"high\"", "\"impact\": \"severe\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].scope_items[0].impact: must be one of low, medium, high" },
  { "scope-migration-string", "\"needs_data_migration\": true", "\"needs_data_migration\": \"yes\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].scope_items[1].needs_data_migration: must be true or false" },
  { "milestones-object", "\"milestones\": [", "\"milestones\": 3, \"m\": [", UPG_PLAN_ERROR_INVALID,
    "projects[0].m: unknown key" },
  { "milestone-kind", "\"kind\": \"dev_complete\"", "\"kind\": \"beta\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].milestones[0].kind: must be one of dev_complete, test_passed, gray_release, full_launch, custom" },
  { "milestone-due-no-date", "\"due\": \"2026-11-27\"", "\"due\": \"2026-11-31\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].milestones[0].due: must be a date that exists, written YYYY-MM-DD" },
  { "milestone-due-leap", "\"due\": \"2026-11-27\"", "\"due\": \"2027-02-29\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].milestones[0].due: must be a date that exists, written YYYY-MM-DD" },
  { "milestone-done-format", "\"done\": \"2026-11-26\"", "\"done\": \"26/11/2026\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].milestones[0].done: must be a date that exists, written YYYY-MM-DD" },
  { "rollout-not-gray", "\"rollout_percent\": null", "\"rollout_percent\": 20", UPG_PLAN_ERROR_INVALID,
    "projects[0].milestones[0].rollout_percent: must be null unless the kind is gray_release" },
  { "rollout-101", "\"rollout_percent\": 5", "\"rollout_percent\": 101", UPG_PLAN_ERROR_INVALID,
    "projects[0].milestones[2].rollout_percent: must be an integer from 1 to 100, or null" },
  { "risk-likelihood", "\"likelihood\": 2", "\"likelihood\": 7", UPG_PLAN_ERROR_INVALID,
    "projects[0].risks[0].likelihood: must be an integer from 1 to 5" },
  { "risk-likelihood-missing", "\"likelihood\": 2,", "", UPG_PLAN_ERROR_INVALID,
    "projects[0].risks[0].likelihood: is required" },
  { "risk-impact-null", "\"impact\": 5", "\"impact\": null", UPG_PLAN_ERROR_INVALID,
    "projects[0].risks[0].impact: must be an integer from 1 to 5" },
  { "risk-residual-6", "\"residual_likelihood\": 1", "\"residual_likelihood\": 6", UPG_PLAN_ERROR_INVALID,
    "projects[0].risks[0].residual_likelihood: must be an integer from 1 to 5, or null" },
  { "risk-residual-half", "\"residual_likelihood\": 1", "\"residual_likelihood\": null", UPG_PLAN_ERROR_INVALID,
    "projects[0].risks[0].residual_impact: must be given together with residual_likelihood (both or neither)" },
  { "risk-category", "\"category\": \"data_migration\"", "\"category\": \"data\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].risks[0].category: must be one of compatibility, performance, data_migration, user_experience, configuration, dependency, security, other" },
  { "risk-owner-stranger", "\"owner\": \"Mei Lin\"", "\"owner\": \"Mallory\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].risks[0].owner: must be the name of a member of the team, or null" },
  { "risk-status", "\"status\": \"mitigated\"", "\"status\": \"done\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].risks[2].status: must be one of open, mitigated, occurred, closed" },
  { "member-email", "\"email\": \"mei@example.org\"", "\"email\": \"mei@\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].team[1].email: must be a valid email address, like name@example.org" },
  { "member-email-injection", "\"email\": \"mei@example.org\"", "\"email\": \"mei@example.org\\r\\nBcc: all@example.org\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].team[1].email: must be a valid email address, like name@example.org" },
  { "member-role", "\"role\": \"dba\"", "\"role\": \"dbadmin\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].team[1].role: must be one of project_manager, frontend, backend, dba, devops, qa, product, support, other" },
  { "group-addresses-string", "\"addresses\": [\n            \"merchants@example.com\"\n          ]",
    "\"addresses\": \"merchants@example.com\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].stakeholder_groups[0].addresses: must be an array of email addresses" },
  { "group-address-bad", "\"oncall@example.org\"", "\"oncall at example.org\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].stakeholder_groups[1].addresses[1]: must be a valid email address, like name@example.org" },
  { "sop-phase", "\"phase\": \"build\"", "\"phase\": \"packaging\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].sop[2].phase: must be one of planning, preparation, build, validation, gray_release, go_live, notification, retrospective, rollback" },
  { "sop-required", "\"required\": true", "\"required\": 1", UPG_PLAN_ERROR_INVALID,
    "projects[0].sop[0].required: must be true or false" },
  { "sop-owner-role", "\"owner_role\": \"qa\"", "\"owner_role\": \"tester\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].sop[3].owner_role: must be one of project_manager, frontend, backend, dba, devops, qa, product, support, other" },
  { "sop-checked-by-missing", "\"checked_by\": \"Jonas Berg\"", "\"checked_by\": null", UPG_PLAN_ERROR_INVALID,
    "projects[0].sop[0].checked_by: must be given together with checked_at (both or neither)" },
  { "retro-not-object", "\"retrospective\": null", "\"retrospective\": []", UPG_PLAN_ERROR_INVALID,
    "projects[0].retrospective: must be an object" },
  { "retro-downtime", "\"retrospective\": null", "\"retrospective\": {\"downtime_minutes\": -5}", UPG_PLAN_ERROR_INVALID,
    "projects[0].retrospective.downtime_minutes: must be an integer of at least 0, or null" },
  { "retro-end-before-start", "\"retrospective\": null",
    "\"retrospective\": {\"actual_start\": \"2026-12-05T02:00:00Z\", \"actual_end\": \"2026-12-05T01:00:00Z\"}",
    UPG_PLAN_ERROR_INVALID, "projects[0].retrospective.actual_end: must not be before actual_start" },
  { "retro-item-kind", "\"retrospective\": null",
    "\"retrospective\": {\"items\": [{\"kind\": \"went_well\", \"text\": \"ok\"}, {\"kind\": \"idea\", \"text\": \"x\"}]}",
    UPG_PLAN_ERROR_INVALID,
    "projects[0].retrospective.items[1].kind: must be one of went_well, went_wrong, lesson, action" },
  { "retro-item-text", "\"retrospective\": null", "\"retrospective\": {\"items\": [{\"kind\": \"lesson\"}]}",
    UPG_PLAN_ERROR_INVALID, "projects[0].retrospective.items[0].text: is required" },
  /* Version 3. */
  { "v2-with-v3-key", "\"version\": 3", "\"version\": 2", UPG_PLAN_ERROR_INVALID,
    "projects[0].rollback_started_at: unknown key" },
  { "v2-with-item-uid", NULL,
    "{\"format\": \"upgrade-planner\", \"version\": 2, \"projects\": [{\"name\": \"P\", \"team\": [{\"uid\": \"3f2b8c1e-5d4a-4e2b-9c1d-7a6e5f4b3c2d\", \"name\": \"A\"}]}]}",
    UPG_PLAN_ERROR_INVALID, "projects[0].team[0].uid: unknown key" },
  { "item-uid-not-uuid", "\"uid\": \"aca26566-2661-5a05-957c-400caf3c31eb\"", "\"uid\": \"milestone-1\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].milestones[0].uid: must be a lowercase UUID, like 3f2b8c1e-5d4a-4e2b-9c1d-7a6e5f4b3c2d" },
  { "item-uid-twice", "\"uid\": \"b92b7b9c-4997-5b4e-978e-4ee904ab51e0\"", "\"uid\": \"aca26566-2661-5a05-957c-400caf3c31eb\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].milestones[1].uid: must be unique: an earlier item of the same list has the same uid" },
  { "item-uid-null", "\"uid\": \"0efd2751-f765-5bd0-9ab9-f79011a6f2bd\"", "\"uid\": null", UPG_PLAN_ERROR_INVALID,
    "projects[0].team[3].uid: must be a string" },
  { "internal-string", "\"internal\": true", "\"internal\": \"yes\"", UPG_PLAN_ERROR_INVALID,
    "projects[0].stakeholder_groups[1].internal: must be true or false" },
  { "phone-null", "\"phone\": \"\"", "\"phone\": null", UPG_PLAN_ERROR_INVALID,
    "projects[0].team[3].phone: must be a string" },
  { "rollback-end-without-start", "\"rollback_ended_at\": null", "\"rollback_ended_at\": \"2026-12-05T02:00:00Z\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].rollback_ended_at: must be null while rollback_started_at is null" },
  { "rollback-end-before-start", "\"rollback_started_at\": null,\n      \"rollback_ended_at\": null",
    "\"rollback_started_at\": \"2026-12-05T02:00:00Z\",\n      \"rollback_ended_at\": \"2026-12-05T01:59:00Z\"",
    UPG_PLAN_ERROR_INVALID, "projects[0].rollback_ended_at: must not be before rollback_started_at" },
  { "cancelled-milestone-no-uid", "\"cancelled_milestones\": []",
    "\"cancelled_milestones\": [{\"title\": \"Beta\", \"due\": \"2026-11-30\", \"cancelled_at\": \"2026-11-21T00:00:00Z\"}]",
    UPG_PLAN_ERROR_INVALID, "projects[0].cancelled_milestones[0].calendar_uid: is required" },
  { "cancelled-milestone-no-time", "\"cancelled_milestones\": []",
    "\"cancelled_milestones\": [{\"calendar_uid\": \"x\", \"title\": \"Beta\", \"due\": \"2026-11-30\"}]",
    UPG_PLAN_ERROR_INVALID, "projects[0].cancelled_milestones[0].cancelled_at: is required" },
  { "extensions-not-object", "\"retrospective\": null", "\"retrospective\": null, \"extensions\": [1]",
    UPG_PLAN_ERROR_INVALID, "projects[0].extensions: must be an object" },
};

static void
test_bad_input (gconstpointer data)
{
  const BadInput *bad = data;
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = sample_text ();
  g_autofree char *doc = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GArray) ids = NULL;

  if (bad->find == NULL)
    doc = g_strdup (bad->replace);
  else
    {
      const char *at = strstr (sample, bad->find);
      g_assert_nonnull (at);
      doc = g_strdup_printf ("%.*s%s%s", (int) (at - sample), sample, bad->replace, at + strlen (bad->find));
    }

  /* Import it after a good project: nothing of it may be written. */
  g_assert_true (upg_plan_import (store, sample, -1, NULL, &error));
  g_assert_false (upg_plan_import (store, doc, -1, &ids, &error));
  g_assert_error (error, UPG_PLAN_ERROR, bad->code);
  if (bad->message != NULL)
    g_assert_cmpstr (error->message, ==, bad->message);
  g_assert_null (ids);
  g_assert_cmpint (upg_store_count_projects (store), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 1);
  g_clear_error (&error);
  out = upg_plan_export (store, 0, &error);
  g_assert_cmpstr (out, ==, sample);
}

static void
test_bad_second_project (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(GError) error = NULL;

  g_assert_false (upg_plan_import (store,
    "{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": ["
    "{\"name\": \"Fine\"}, {\"name\": \"Broken\", \"milestones\": [{\"title\": \"x\", \"due\": \"2026-04-31\"}]}]}",
    -1, NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "projects[1].milestones[0].due: must be a date that exists, written YYYY-MM-DD");
  g_assert_cmpint (upg_store_count_projects (store), ==, 0);
}

/* The projects are read as the document is (upg_plan_parse ()), or after
 * the whole document is a tree (upg_plan_parse_whole (): when the format
 * and version come after the projects); either way the first error is the
 * same: syntax anywhere, then the format and version, the document's other
 * keys, the projects in order, the document's extensions. */
typedef struct {
  const char *name;
  const char *json;
  int         code;      /* -1: the document is taken */
  const char *message;   /* or the number of projects taken */
} StreamCase;

#define PLAN_HEAD "{\"format\": \"upgrade-planner\", \"version\": 1, "

static const StreamCase stream_cases[] = {
  { "version-after-projects", "{\"projects\": [{\"name\": \"P\"}, {\"name\": \"Q\"}], \"format\": \"upgrade-planner\", \"version\": 1}",
    -1, "2" },
  { "v1-key-version-after", "{\"projects\": [{\"name\": \"P\", \"time_zone\": \"UTC\"}], \"format\": \"upgrade-planner\", \"version\": 1}",
    UPG_PLAN_ERROR_INVALID, "projects[0].time_zone: unknown key" },
  { "too-new-before", "{\"format\": \"upgrade-planner\", \"version\": 4, \"projects\": [{\"name\": \"P\", \"x\": 1}]}",
    UPG_PLAN_ERROR_TOO_NEW, "The plan uses format version 4, newer than this version of Upgrade Planner reads (3); update Upgrade Planner" },
  { "format-after-bad-project", "{\"version\": 1, \"projects\": [{\"name\": \" \"}], \"format\": \"gantt\"}",
    UPG_PLAN_ERROR_NOT_A_PLAN, "The file is not an Upgrade Planner plan (it has no \"format\": \"upgrade-planner\")" },
  { "syntax-after-bad-project", PLAN_HEAD "\"projects\": [{\"name\": \" \"}, {\"name\": \"Q\"]}",
    UPG_PLAN_ERROR_INVALID_JSON, "The file is not valid JSON: line 1, column 85: unexpected “]”" },
  { "twice-after-bad-project", PLAN_HEAD "\"projects\": [{\"name\": \" \"}, {\"name\": \"Q\", \"name\": \"R\"}]}",
    UPG_PLAN_ERROR_INVALID, "projects[1].name: the key is given more than once in the same object" },
  { "unknown-key-after-bad-project", PLAN_HEAD "\"projects\": [{\"name\": \" \"}], \"author\": \"me\"}",
    UPG_PLAN_ERROR_INVALID, "author: unknown key" },
  { "bad-project-before-extensions", PLAN_HEAD "\"projects\": [{\"name\": \"P\"}, {\"name\": \" \"}], \"extensions\": [1]}",
    UPG_PLAN_ERROR_INVALID, "projects[1].name: must not be empty" },
  { "extensions-after-projects", PLAN_HEAD "\"projects\": [{\"name\": \"P\"}], \"extensions\": [1]}",
    UPG_PLAN_ERROR_INVALID, "extensions: must be an object" },
  { "first-bad-project-wins", PLAN_HEAD "\"projects\": [{\"name\": \"P\"}, {\"kidn\": 1}, {\"name\": \" \"}]}",
    UPG_PLAN_ERROR_INVALID, "projects[1].kidn: unknown key" },
  { "uid-twice", "{\"format\": \"upgrade-planner\", \"version\": 2, \"projects\": ["
    "{\"name\": \"P\", \"uid\": \"3f2b8c1e-5d4a-4e2b-9c1d-7a6e5f4b3c2d\"}, {\"name\": \"Q\", \"uid\": \"3f2b8c1e-5d4a-4e2b-9c1d-7a6e5f4b3c2d\"}]}",
    UPG_PLAN_ERROR_INVALID, "projects[1].uid: must be unique: an earlier project has the same uid" },
  { "project-not-object", PLAN_HEAD "\"projects\": [{\"name\": \"P\"}, 7]}",
    UPG_PLAN_ERROR_INVALID, "projects[1]: must be an object" },
  { "projects-empty", PLAN_HEAD "\"projects\": []}", -1, "0" },
};

static void
test_streamed (gconstpointer data)
{
  const StreamCase *c = data;
  GPtrArray *(*parse[]) (const char *, gssize, char **, GError **) = { upg_plan_parse, upg_plan_parse_whole };

  for (guint k = 0; k < G_N_ELEMENTS (parse); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *extensions = NULL;
      g_autoptr(GPtrArray) projects = parse[k] (c->json, -1, &extensions, &error);

      if (c->code < 0)
        {
          g_autofree char *count = NULL;
          g_assert_no_error (error);
          count = g_strdup_printf ("%u", projects->len);
          g_assert_cmpstr (count, ==, c->message);
        }
      else
        {
          g_assert_null (projects);
          g_assert_error (error, UPG_PLAN_ERROR, c->code);
          g_assert_cmpstr (error->message, ==, c->message);
        }
    }
}

static void
test_missing_optional_keys (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgRecord) project = NULL;

  g_assert_true (upg_plan_import (store,
    "{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": [{\"name\": \"Minimal\"}]}",
    -1, NULL, &error));
  g_assert_no_error (error);
  project = g_list_model_get_item (upg_store_get_projects (store), 0);
  g_assert_cmpstr (upg_record_get_string (project, UPG_PROJECT_KIND), ==, "other");
  g_assert_cmpstr (upg_record_get_string (project, UPG_PROJECT_STATUS), ==, "planning");
  g_assert_cmpint (upg_record_get_int (project, UPG_PROJECT_ROLLBACK_TARGET_MINUTES), ==, 10);
  g_assert_null (upg_record_get_string (project, UPG_PROJECT_BUILD_ID));
  g_assert_nonnull (upg_record_get_string (project, UPG_PROJECT_CREATED_AT));
  /* Import never adds the standard milestones or SOP. */
  upg_store_load_children (store, project, &error);
  g_assert_cmpuint (g_list_model_get_n_items (upg_record_get_children (project, &upg_entity_milestone)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (upg_record_get_children (project, &upg_entity_sop_step)), ==, 0);
}

static void
test_checks (void)
{
  g_autofree char *canonical = NULL;
  g_autofree char *message = NULL;

  g_assert_true (upg_check_timestamp ("2026-12-05T09:30:00+08:00", &canonical, NULL));
  g_assert_cmpstr (canonical, ==, "2026-12-05T01:30:00Z");
  g_clear_pointer (&canonical, g_free);
  g_assert_true (upg_check_timestamp ("2026-12-31T23:30:00-01:00", &canonical, NULL));
  g_assert_cmpstr (canonical, ==, "2027-01-01T00:30:00Z");
  g_assert_true (upg_check_timestamp ("2028-02-29T00:00:00Z", NULL, NULL));
  g_assert_false (upg_check_timestamp ("2026-02-29T00:00:00Z", NULL, NULL));
  g_assert_false (upg_check_timestamp ("2026-12-05T01:00:00.5Z", NULL, NULL));
  g_assert_false (upg_check_timestamp ("2026-12-05 01:00:00Z", NULL, NULL));
  g_assert_false (upg_check_timestamp ("2026-12-05T01:00:60Z", NULL, NULL));
  g_assert_false (upg_check_timestamp ("", NULL, &message));
  g_assert_cmpstr (message, ==, "must be an RFC 3339 timestamp that exists, like 2026-12-05T01:00:00Z");

  g_assert_true (upg_check_date ("2024-02-29", NULL));
  g_assert_false (upg_check_date ("2023-02-29", NULL));
  g_assert_false (upg_check_date ("2023-00-10", NULL));
  g_assert_false (upg_check_date ("2023-1-10", NULL));
  g_assert_false (upg_check_date ("2023-01-10x", NULL));

  g_assert_true (upg_check_email ("ana@example.org", NULL));
  g_assert_true (upg_check_email ("first.last+tag@mail.example.co.uk", NULL));
  g_assert_false (upg_check_email ("ana", NULL));
  g_assert_false (upg_check_email ("ana@localhost", NULL));
  g_assert_false (upg_check_email ("@example.org", NULL));
  g_assert_false (upg_check_email ("ana@@example.org", NULL));
  g_assert_false (upg_check_email ("ana..b@example.org", NULL));
  g_assert_false (upg_check_email ("ana b@example.org", NULL));
  g_assert_false (upg_check_email ("ana@example..org", NULL));
  g_assert_false (upg_check_email ("ana@-example.org", NULL));
  g_assert_false (upg_check_email ("<ana@example.org>", NULL));
  g_assert_false (upg_check_email ("ana@example.org\nBcc: x@example.org", NULL));
}

/* import --replace: the project with the same uid is replaced in place, in
 * one transaction; a moved window raises the calendar sequence past the
 * stored one; without the flag the document is refused and nothing changes. */
static void
test_replace (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = sample_text ();
  g_autofree char *moved = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(UpgProject) project = NULL;
  const char *at;

  g_assert_true (upg_plan_import (store, sample, -1, NULL, &error));
  g_assert_true (upg_plan_import (store,
    "{\"format\": \"upgrade-planner\", \"version\": 2, \"projects\": [{\"name\": \"Second\"}]}", -1, NULL, &error));
  g_assert_no_error (error);
  before = upg_plan_export (store, 0, NULL);

  at = strstr (sample, "\"window_end\": \"2026-12-05T03:00:00Z\"");
  g_assert_nonnull (at);
  moved = g_strdup_printf ("%.*s\"window_end\": \"2026-12-05T05:00:00Z\"%s", (int) (at - sample), sample,
                           at + strlen ("\"window_end\": \"2026-12-05T03:00:00Z\""));
  g_assert_false (upg_plan_import (store, moved, -1, NULL, &error));
  g_assert_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_EXISTS);
  g_clear_error (&error);
  after = upg_plan_export (store, 0, NULL);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  g_assert_true (upg_plan_import_with_flags (store, moved, -1, UPG_PLAN_IMPORT_REPLACE, &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 2);
  /* In its old place, first, with the new window and sequence 1 + 1. */
  project = g_list_model_get_item (upg_store_get_projects (store), 0);
  g_assert_cmpint (upg_record_get_id (UPG_RECORD (project)), ==, g_array_index (ids, gint64, 0));
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_WINDOW_END), ==, "2026-12-05T05:00:00Z");
  g_assert_cmpint (upg_record_get_int (UPG_RECORD (project), UPG_PROJECT_CALENDAR_SEQUENCE), ==, 2);
  after = upg_plan_export (store, 0, NULL);
  g_assert_nonnull (strstr (after, "\"calendar_sequence\": 2,"));
  g_assert_true (strstr (after, "Billing service") < strstr (after, "\"Second\""));

  /* The same document again: nothing moved, the sequence stays. */
  g_assert_true (upg_plan_import_with_flags (store, moved, -1, UPG_PLAN_IMPORT_REPLACE, NULL, &error));
  g_clear_object (&project);
  project = g_list_model_get_item (upg_store_get_projects (store), 0);
  g_assert_cmpint (upg_record_get_int (UPG_RECORD (project), UPG_PROJECT_CALENDAR_SEQUENCE), ==, 2);
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/plan/sample-round-trip", test_sample_round_trip);
  g_test_add_func ("/plan/replace", test_replace);
  g_test_add_func ("/plan/export-import-export", test_export_import_export);
  g_test_add_func ("/plan/version-2-sample", test_version_2_sample);
  g_test_add_func ("/plan/empty-file", test_empty_file_exports_empty_plan);
  g_test_add_func ("/plan/export-unknown-project", test_export_unknown_project);
  g_test_add_func ("/plan/bad-second-project", test_bad_second_project);
  g_test_add_func ("/plan/missing-optional-keys", test_missing_optional_keys);
  g_test_add_func ("/plan/value-checks", test_checks);
  for (guint i = 0; i < G_N_ELEMENTS (stream_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/plan/streamed/%s", stream_cases[i].name);
      g_test_add_data_func (path, &stream_cases[i], test_streamed);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/plan/bad-input/%s", bad_inputs[i].name);
      g_test_add_data_func (path, &bad_inputs[i], test_bad_input);
    }

  return g_test_run ();
}
