/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ics.c — calendar entries that follow their milestones: a renamed
 * milestone keeps its entry, a deleted one (in the window, or dropped by
 * import --replace) is cancelled under its old UID; the replaced project
 * keeps its id and its items their uids. Calendars are parsed back with
 * libical. */
#include "config.h"

#include <string.h>
#include <libical/ical.h>

#include "upg-test-util.h"
#include "core/upg-export.h"
#include "core/upg-plan.h"
#include "core/store/upg-store.h"

#define CLI(out, err, ...) upg_test_run_cli (out, err, __VA_ARGS__, NULL)

#define SAMPLE_UID "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"
#define CANARY_5_UID "3cb2cb89-6251-5a69-8275-d7073191a4a7"
#define CANARY_50_UID "c116f016-3314-5b1d-8591-1f183ffeabd2"
#define WINDOW SAMPLE_UID "-window 20261205T090000 seq=1 CONFIRMED stamp=%s Maintenance: Billing service 4.2 upgrade\n"
#define DEV SAMPLE_UID "-milestone-aca26566-2661-5a05-957c-400caf3c31eb 20261127 seq=1 CONFIRMED stamp=%s Billing service 4.2 upgrade: Development complete\n"
#define TESTS SAMPLE_UID "-milestone-b92b7b9c-4997-5b4e-978e-4ee904ab51e0 20261201 seq=1 CONFIRMED stamp=%s Billing service 4.2 upgrade: Regression and load tests passed\n"
#define LAUNCH SAMPLE_UID "-milestone-2e958728-a77b-5f92-a68a-ec9f328f7cc0 20261208 seq=1 CONFIRMED stamp=%s Billing service 4.2 upgrade: Full launch\n"

/* One line an event: UID, start, SEQUENCE, STATUS, DTSTAMP, SUMMARY. */
static char *
describe (const char *ics)
{
  icalcomponent *cal = icalparser_parse_string (ics);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_nonnull (cal);
  g_assert_cmpint (icalcomponent_get_method (cal), ==, ICAL_METHOD_PUBLISH);
  for (icalcomponent *e = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT); e != NULL;
       e = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
    g_string_append_printf (out, "%s %s seq=%d %s stamp=%s %s\n", icalcomponent_get_uid (e),
                            icaltime_as_ical_string (icalcomponent_get_dtstart (e)),
                            icalcomponent_get_sequence (e),
                            icalproperty_status_to_string (icalcomponent_get_status (e)),
                            icaltime_as_ical_string (icalcomponent_get_dtstamp (e)),
                            icalcomponent_get_summary (e));
  icalcomponent_free (cal);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
export_calendar (UpgStore *store, gint64 id)
{
  g_autoptr(GError) error = NULL;
  UpgExportOptions options = { .format = "ics" };
  g_autoptr(GBytes) bytes = upg_export_run (store, "milestones", id, &options, &error);

  g_assert_no_error (error);
  return describe (g_bytes_get_data (bytes, NULL));
}

static UpgRecord *
milestone (UpgProject *project, guint i)
{
  g_autoptr(UpgRecord) m = g_list_model_get_item (upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone), i);
  return m;   /* the list holds it */
}

/* In the window: a renamed milestone's entry changes its title, a deleted
 * one's is cancelled (one SEQUENCE later), Undo takes the cancelling back;
 * DTSTAMP is the time of each export. */
static void
test_rename_and_delete (void)
{
  g_autofree char *path = upg_test_tmpfile ("ics.upgplan");
  g_autofree char *sample_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *sample = upg_test_read (sample_path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(UpgDeletion) undo = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *doc = NULL;
  const char *stamp = "20261125T120000Z";
  const char *later = "20261126T083000Z";

  g_assert_true (upg_plan_import (store, sample, -1, NULL, &error));
  g_assert_no_error (error);
  project = upg_store_lookup_project (store, 1, &error);
  g_assert_true (upg_store_load_children (store, UPG_RECORD (project), &error));

  before = export_calendar (store, 1);
  expected = g_strdup_printf (WINDOW DEV TESTS
                              SAMPLE_UID "-milestone-" CANARY_5_UID " 20261205 seq=1 CONFIRMED stamp=%s Billing service 4.2 upgrade: Canary 5%%\n"
                              SAMPLE_UID "-milestone-" CANARY_50_UID " 20261206 seq=1 CONFIRMED stamp=%s Billing service 4.2 upgrade: Canary 50%%\n"
                              LAUNCH, stamp, stamp, stamp, stamp, stamp, stamp);
  g_assert_cmpstr (before, ==, expected);

  /* A day later, "Canary 5%" becomes "Canary 10%" and "Canary 50%" goes; an
   * undated milestone added and deleted leaves no entry to cancel. */
  upg_test_set_now ("2026-11-26T08:30:00Z");
  upg_record_set_string (milestone (project, 2), UPG_MILESTONE_TITLE, "Canary 10%");
  {
    g_autoptr(UpgRecord) undated = upg_record_new (&upg_entity_milestone);
    upg_record_set_string (undated, UPG_MILESTONE_TITLE, "Someday");
    g_assert_true (upg_store_insert (store, UPG_RECORD (project), undated, -1, &error));
    g_assert_true (upg_store_delete (store, undated, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (upg_store_delete (store, milestone (project, 3), &undo, &error));
  g_assert_no_error (error);

  after = export_calendar (store, 1);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf (WINDOW DEV TESTS
                              SAMPLE_UID "-milestone-" CANARY_5_UID " 20261205 seq=1 CONFIRMED stamp=%s Billing service 4.2 upgrade: Canary 10%%\n"
                              LAUNCH
                              SAMPLE_UID "-milestone-" CANARY_50_UID " 20261206 seq=2 CANCELLED stamp=%s Billing service 4.2 upgrade: Canary 50%%\n",
                              later, later, later, later, later, later);
  g_assert_cmpstr (after, ==, expected);

  /* The CSV says the same, the cancelled entry last. */
  {
    UpgExportOptions options = { .format = "csv", .csv_form = UPG_CSV_MACHINE };
    g_autoptr(GBytes) csv = upg_export_run (store, "milestones", 1, &options, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_suffix (g_bytes_get_data (csv, NULL),
      "\r\n" SAMPLE_UID "-milestone-" CANARY_5_UID ",gray_release,Canary 10%,2026-12-05,2026-12-05,,5,confirmed,1\r\n"
      SAMPLE_UID "-milestone-2e958728-a77b-5f92-a68a-ec9f328f7cc0,full_launch,Full launch,2026-12-08,2026-12-08,,,confirmed,1\r\n"
      SAMPLE_UID "-milestone-" CANARY_50_UID ",gray_release,Canary 50%,2026-12-06,2026-12-06,,,cancelled,2\r\n"));
  }

  /* The plan keeps it, and a copy of the plan cancels it too. */
  doc = upg_plan_export (store, 1, &error);
  g_assert_nonnull (strstr (doc,
    "      \"cancelled_milestones\": [\n"
    "        {\n"
    "          \"calendar_uid\": \"" SAMPLE_UID "-milestone-" CANARY_50_UID "\",\n"
    "          \"title\": \"Canary 50%\",\n"
    "          \"kind\": \"gray_release\",\n"
    "          \"due\": \"2026-12-06\",\n"
    "          \"cancelled_at\": \"2026-11-26T08:30:00Z\"\n"
    "        }\n"
    "      ],\n"));
  {
    g_autofree char *copy_path = upg_test_tmpfile ("ics-copy.upgplan");
    g_autoptr(UpgStore) copy = upg_store_open (copy_path, UPG_STORE_OPEN_CREATE, &error);
    g_autofree char *copied = NULL;
    g_assert_true (upg_plan_import (copy, doc, -1, NULL, &error));
    copied = export_calendar (copy, 1);
    g_assert_cmpstr (copied, ==, after);
  }

  /* Undo: the milestone is back, and nothing is cancelled. */
  g_assert_true (upg_store_undo_delete (store, undo, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (project), &upg_entity_cancelled_milestone)), ==, 0);
  undone = export_calendar (store, 1);
  g_assert_null (strstr (undone, "CANCELLED"));
  g_assert_nonnull (strstr (undone, SAMPLE_UID "-milestone-" CANARY_50_UID " 20261206 seq=1 CONFIRMED"));
  g_clear_pointer (&doc, g_free);
  doc = upg_plan_export (store, 1, &error);
  g_assert_nonnull (strstr (doc, "\"cancelled_milestones\": [],\n"));
  upg_test_set_now (UPG_TEST_NOW);
}

/* @doc without the milestone whose uid is @uid (its whole object). */
static char *
without_milestone (const char *doc, const char *uid)
{
  g_autofree char *key = g_strdup_printf ("        {\n          \"uid\": \"%s\"", uid);
  const char *start = strstr (doc, key);
  const char *end;

  g_assert_nonnull (start);
  end = strstr (start, "\n        }");
  g_assert_nonnull (end);
  end += strlen ("\n        }");
  if (*end == ',')
    end += 2;   /* ",\n" */
  else
    {
      /* The last one: drop the comma before it instead. */
      g_assert_true (start[-2] == ',');
      start -= 2;
    }
  return g_strdup_printf ("%.*s%s", (int) (start - doc), doc, end);
}

static char *
replace_text (const char *doc, const char *find, const char *with)
{
  const char *at = strstr (doc, find);
  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - doc), doc, with, at + strlen (find));
}

/* The uids of @doc, in order, one a line. */
static char *
uids_of (const char *doc)
{
  g_autoptr(GRegex) regex = g_regex_new ("\"uid\": \"[^\"]*\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_regex_match (regex, doc, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *uid = g_match_info_fetch (match, 0);
      g_string_append_printf (out, "%s\n", uid);
      g_match_info_next (match, NULL);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* From the command line: import --replace keeps the project's id (a
 * pipeline's --project 1 still works) and every item's uid; the milestone
 * the new document renames keeps its entry, the one it drops is cancelled,
 * and stays cancelled until a document brings it back. */
static void
test_replace_from_cli (void)
{
  g_autofree char *db = upg_test_tmpfile ("replace.upgplan");
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "plan.json", NULL);
  g_autofree char *second = g_build_filename (dir, "second.json", NULL);
  g_autofree char *ics_path = g_build_filename (dir, "milestones.ics", NULL);
  g_autofree char *sample_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *sample = upg_test_read (sample_path, NULL);
  g_autofree char *renamed = replace_text (sample, "\"title\": \"Canary 5%\"", "\"title\": \"Canary 10%\"");
  g_autofree char *edited = without_milestone (renamed, CANARY_50_UID);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *doc = NULL;
  g_autofree char *ics = NULL;
  g_autofree char *calendar = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *uids_before = uids_of (sample);
  g_autofree char *uids_after = NULL;
  g_autofree char *uids_expected = replace_text (uids_before, "\"uid\": \"" CANARY_50_UID "\"\n", "");
  const char *stamp = "20261125T120000Z";

  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, sample_path), ==, 0);
  g_assert_cmpstr (out, ==, "1\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  upg_test_write (second, "{\"format\": \"upgrade-planner\", \"version\": 3, \"projects\": [{\"name\": \"Second\"}]}");
  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, second), ==, 0);
  g_assert_cmpstr (out, ==, "2\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  upg_test_write (in, edited);
  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, "--replace", in), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, "1\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The same id: the list and a pipeline's --project 1 find it. */
  g_assert_cmpint (CLI (&out, &err, "list", "--db", db), ==, 0);
  g_assert_true (g_str_has_prefix (out, "1\tBilling service 4.2 upgrade\t"));
  g_assert_nonnull (strstr (out, "\n2\tSecond\t"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--step", "2", "--by", "Jonas Berg"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Every item kept its uid. */
  g_assert_cmpint (CLI (&doc, &err, "export", "plan", "--db", db, "--project", "1"), ==, 0);
  uids_after = uids_of (doc);
  g_assert_cmpstr (uids_after, ==, uids_expected);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "export", "milestones", "--db", db, "--project", "1", "-o", ics_path), ==, 0);
  ics = upg_test_read (ics_path, NULL);
  calendar = describe (ics);
  expected = g_strdup_printf (WINDOW DEV TESTS
                              SAMPLE_UID "-milestone-" CANARY_5_UID " 20261205 seq=1 CONFIRMED stamp=%s Billing service 4.2 upgrade: Canary 10%%\n"
                              LAUNCH
                              SAMPLE_UID "-milestone-" CANARY_50_UID " 20261206 seq=2 CANCELLED stamp=%s Billing service 4.2 upgrade: Canary 50%%\n",
                              stamp, stamp, stamp, stamp, stamp, stamp);
  g_assert_cmpstr (calendar, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The same document again: still cancelled, once. */
  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, "--replace", in), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&ics, g_free);
  g_clear_pointer (&calendar, g_free);
  g_assert_cmpint (CLI (&ics, &err, "export", "milestones", "--db", db, "--project", "1"), ==, 0);
  calendar = describe (ics);
  g_assert_cmpstr (calendar, ==, expected);
  g_clear_pointer (&err, g_free);

  /* The sample again: the milestone is back, its entry not cancelled. */
  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, "--replace", sample_path), ==, 0);
  g_assert_cmpstr (out, ==, "1\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&ics, g_free);
  g_clear_pointer (&calendar, g_free);
  g_assert_cmpint (CLI (&ics, &err, "export", "milestones", "--db", db, "--project", "1"), ==, 0);
  calendar = describe (ics);
  g_assert_null (strstr (calendar, "CANCELLED"));
  g_assert_nonnull (strstr (calendar, SAMPLE_UID "-milestone-" CANARY_50_UID " 20261206 seq=1 CONFIRMED"));
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/ics/rename-and-delete", test_rename_and_delete);
  g_test_add_func ("/ics/replace-from-cli", test_replace_from_cli);
  return g_test_run ();
}
