/* test-integrity.c — one set of rules for every write: edits a user makes
 * through the store API (renames, kind changes, deletes, undo, reorder)
 * always leave a plan whose export import accepts, and export → import →
 * export gives the same bytes. Also: a version-1 file migrates. */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "upg-test-util.h"
#include "core/upg-plan.h"
#include "core/upg-sop.h"
#include "core/store/upg-store.h"
#include "core/store/upg-store-private.h"

typedef struct {
  UpgStore   *store;
  UpgProject *project;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = upg_test_tmpfile ("plan.upgplan");
  g_autofree char *sample_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *sample = upg_test_read (sample_path, NULL);
  g_autoptr(GError) error = NULL;

  f->store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (upg_plan_import (f->store, sample, -1, NULL, &error));
  g_assert_no_error (error);
  f->project = g_list_model_get_item (upg_store_get_projects (f->store), 0);
  g_assert_true (upg_store_load_children (f->store, UPG_RECORD (f->project), &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->project);
  g_clear_object (&f->store);
}

static UpgRecord *
child (Fixture *f, const UpgEntity *entity, guint i)
{
  GListModel *list = upg_record_get_children (UPG_RECORD (f->project), entity);
  g_autoptr(UpgRecord) item = g_list_model_get_item (list, i);
  return item;   /* the list holds it */
}

/* The plan, exported, must import into a new file and export the same. */
static char *
assert_round_trip (Fixture *f)
{
  g_autofree char *path = upg_test_tmpfile ("copy.upgplan");
  g_autoptr(UpgStore) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = upg_plan_export (f->store, 0, &error);
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  g_unlink (path);
  copy = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (upg_plan_import (copy, first, -1, NULL, &error));
  g_assert_no_error (error);
  second = upg_plan_export (copy, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, first);
  return g_steal_pointer (&first);
}

static void
test_rename_member (Fixture *f, gconstpointer data)
{
  UpgRecord *mei = child (f, &upg_entity_member, 1);
  UpgRecord *risk = child (f, &upg_entity_risk, 0);
  g_autofree char *doc = NULL;

  g_assert_cmpstr (upg_record_get_string (risk, UPG_RISK_OWNER), ==, "Mei Lin");
  upg_record_set_string (mei, UPG_MEMBER_NAME, "Mei Lin-Zhang");
  g_assert_cmpstr (upg_record_get_string (risk, UPG_RISK_OWNER), ==, "Mei Lin-Zhang");
  doc = assert_round_trip (f);
  g_assert_nonnull (strstr (doc, "\"owner\": \"Mei Lin-Zhang\""));
  g_assert_null (strstr (doc, "\"Mei Lin\""));
}

static void
test_rename_group (Fixture *f, gconstpointer data)
{
  UpgRecord *customers = child (f, &upg_entity_group, 0);
  UpgRecord *notice = child (f, &upg_entity_notice, 0);
  g_autofree char *doc = NULL;

  upg_record_set_string (customers, UPG_GROUP_NAME, "Merchants");
  g_assert_cmpstr (upg_record_get_string (notice, UPG_NOTICE_GROUP), ==, "Merchants");
  doc = assert_round_trip (f);
  g_assert_nonnull (strstr (doc, "\"group\": \"Merchants\""));
}

static void
test_kind_change (Fixture *f, gconstpointer data)
{
  UpgRecord *canary = child (f, &upg_entity_milestone, 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *doc = NULL;

  g_assert_cmpint (upg_record_get_int (canary, UPG_MILESTONE_ROLLOUT_PERCENT), ==, 5);
  upg_record_set_string (canary, UPG_MILESTONE_KIND, "custom");
  g_assert_cmpint (upg_record_get_int (canary, UPG_MILESTONE_ROLLOUT_PERCENT), ==, UPG_INT_NULL);
  g_free (assert_round_trip (f));

  /* A percent on a milestone that is not a stage is refused … */
  upg_record_set_int (canary, UPG_MILESTONE_ROLLOUT_PERCENT, 20);
  g_assert_cmpint (upg_record_get_int (canary, UPG_MILESTONE_ROLLOUT_PERCENT), ==, UPG_INT_NULL);

  /* … and undoing the kind change puts both back, written together. */
  upg_store_update_begin (f->store, canary);
  upg_record_set_string (canary, UPG_MILESTONE_KIND, "gray_release");
  upg_record_set_int (canary, UPG_MILESTONE_ROLLOUT_PERCENT, 5);
  g_assert_true (upg_store_update_end (f->store, canary, &error));
  g_assert_no_error (error);
  doc = assert_round_trip (f);
  g_assert_nonnull (strstr (doc, "\"rollout_percent\": 5"));
}

static void
test_refused_writes (Fixture *f, gconstpointer data)
{
  UpgRecord *project = UPG_RECORD (f->project);
  UpgRecord *risk = child (f, &upg_entity_risk, 1);
  UpgRecord *member = child (f, &upg_entity_member, 0);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = upg_plan_export (f->store, 0, NULL);
  g_autofree char *after = NULL;

  g_value_init (&value, G_TYPE_STRING);

  g_value_set_string (&value, "2026-12-05T00:30:00Z");
  g_assert_false (upg_store_set_value (f->store, project, UPG_PROJECT_WINDOW_END, &value, &error));
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "window_end: must not be before window_start");
  g_assert_cmpstr (upg_record_get_string (project, UPG_PROJECT_WINDOW_END), ==, "2026-12-05T03:00:00Z");
  g_clear_error (&error);

  g_value_set_string (&value, "Bob");
  g_assert_false (upg_store_set_value (f->store, risk, UPG_RISK_OWNER, &value, &error));
  g_assert_cmpstr (error->message, ==, "owner: must be the name of a member of the team, or null");
  g_assert_cmpstr (upg_record_get_string (risk, UPG_RISK_OWNER), ==, "Jonas Berg");
  g_clear_error (&error);

  g_value_set_string (&value, "not-an-address");
  g_assert_false (upg_store_set_value (f->store, member, UPG_MEMBER_EMAIL, &value, &error));
  g_assert_cmpstr (error->message, ==, "email: must be a valid email address, like name@example.org");
  g_clear_error (&error);

  g_value_set_string (&value, "2026-02-30");
  g_assert_false (upg_store_set_value (f->store, child (f, &upg_entity_milestone, 0), UPG_MILESTONE_DUE, &value, &error));
  g_assert_cmpstr (error->message, ==, "due: must be a date that exists, written YYYY-MM-DD");
  g_clear_error (&error);

  g_value_set_string (&value, "  ");
  g_assert_false (upg_store_set_value (f->store, project, UPG_PROJECT_NAME, &value, &error));
  g_assert_cmpstr (error->message, ==, "name: must not be empty");
  g_clear_error (&error);

  g_value_set_string (&value, "Mars/Olympus");
  g_assert_false (upg_store_set_value (f->store, project, UPG_PROJECT_TIME_ZONE, &value, &error));
  g_clear_error (&error);

  g_value_set_string (&value, "10,5,20");
  g_assert_false (upg_store_set_value (f->store, project, UPG_PROJECT_RISK_THRESHOLDS, &value, &error));
  g_clear_error (&error);

  /* A window that moves as a whole is written as a whole. */
  upg_store_update_begin (f->store, project);
  upg_record_set_string (project, UPG_PROJECT_WINDOW_START, "2026-12-04T20:00:00Z");
  upg_record_set_string (project, UPG_PROJECT_WINDOW_END, "2026-12-04T22:00:00Z");
  g_assert_true (upg_store_update_end (f->store, project, &error));
  g_assert_no_error (error);

  after = assert_round_trip (f);
  g_assert_cmpstr (after, !=, before);
  g_assert_nonnull (strstr (after, "\"window_end\": \"2026-12-04T22:00:00Z\""));
}

static void
test_calendar_sequence (Fixture *f, gconstpointer data)
{
  UpgRecord *project = UPG_RECORD (f->project);

  g_assert_cmpint (upg_record_get_int (project, UPG_PROJECT_CALENDAR_SEQUENCE), ==, 1);
  upg_record_set_string (project, UPG_PROJECT_WINDOW_END, "2026-12-05T04:00:00Z");
  g_assert_cmpint (upg_record_get_int (project, UPG_PROJECT_CALENDAR_SEQUENCE), ==, 2);
  upg_record_set_string (project, UPG_PROJECT_GOAL, "Another goal");
  g_assert_cmpint (upg_record_get_int (project, UPG_PROJECT_CALENDAR_SEQUENCE), ==, 2);
  upg_record_set_string (project, UPG_PROJECT_STATUS, "cancelled");
  g_assert_cmpint (upg_record_get_int (project, UPG_PROJECT_CALENDAR_SEQUENCE), ==, 3);
  upg_record_set_string (project, UPG_PROJECT_TIME_ZONE, "Europe/Berlin");
  g_assert_cmpint (upg_record_get_int (project, UPG_PROJECT_CALENDAR_SEQUENCE), ==, 4);
  g_free (assert_round_trip (f));
}

static void
test_delete_member (Fixture *f, gconstpointer data)
{
  UpgRecord *mei = child (f, &upg_entity_member, 1);
  UpgRecord *risk = child (f, &upg_entity_risk, 0);
  g_autoptr(UpgDeletion) undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *original = upg_plan_export (f->store, 0, NULL);
  g_autofree char *restored = NULL;

  g_assert_cmpuint (upg_store_count_owned_risks (f->store, mei), ==, 1);

  /* Handed to someone who is not on the team: refused, nothing changes. */
  g_assert_false (upg_store_delete_member (f->store, mei, "Bob", &undo, &error));
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Handed to Jonas, then undone. */
  g_assert_true (upg_store_delete_member (f->store, mei, "Jonas Berg", &undo, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (upg_record_get_string (risk, UPG_RISK_OWNER), ==, "Jonas Berg");
  g_free (assert_round_trip (f));
  g_assert_true (upg_store_undo_delete (f->store, undo, &error));
  g_assert_no_error (error);
  g_clear_pointer (&undo, upg_deletion_free);
  g_assert_cmpstr (upg_record_get_string (risk, UPG_RISK_OWNER), ==, "Mei Lin");

  /* Plain delete clears the owner; undo gives it back. */
  g_assert_true (upg_store_delete (f->store, mei, &undo, &error));
  g_assert_null (upg_record_get_string (risk, UPG_RISK_OWNER));
  g_free (assert_round_trip (f));
  g_assert_true (upg_store_undo_delete (f->store, undo, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (upg_record_get_string (risk, UPG_RISK_OWNER), ==, "Mei Lin");

  restored = assert_round_trip (f);
  /* Everything but the time of the last change is as it was. */
  g_assert_cmpint (strlen (restored), ==, strlen (original));
}

static void
test_delete_risk_after_owner_left (Fixture *f, gconstpointer data)
{
  UpgRecord *mei = child (f, &upg_entity_member, 1);
  UpgRecord *risk = child (f, &upg_entity_risk, 0);
  g_autoptr(UpgDeletion) risk_undo = NULL;
  g_autoptr(UpgDeletion) member_undo = NULL;
  g_autoptr(GError) error = NULL;

  g_object_ref (risk);
  g_assert_true (upg_store_delete (f->store, risk, &risk_undo, &error));
  g_assert_true (upg_store_delete (f->store, mei, &member_undo, &error));
  /* The risk comes back without an owner who is no longer on the team. */
  g_assert_true (upg_store_undo_delete (f->store, risk_undo, &error));
  g_assert_no_error (error);
  g_assert_null (upg_record_get_string (risk, UPG_RISK_OWNER));
  g_object_unref (risk);
  g_free (assert_round_trip (f));
}

static void
test_reorder_and_checks (Fixture *f, gconstpointer data)
{
  GListModel *steps = upg_record_get_children (UPG_RECORD (f->project), &upg_entity_sop_step);
  UpgRecord *risk = child (f, &upg_entity_risk, 2);
  UpgRecord *step = child (f, &upg_entity_sop_step, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *doc = NULL;

  g_assert_true (upg_store_move (f->store, risk, 0, &error));
  g_assert_no_error (error);
  g_assert_true (upg_sop_check (f->store, steps, step, "Mei Lin", "2026-12-05T01:10:00Z", NULL, &error));
  g_assert_true (upg_sop_uncheck (f->store, step, "Ana Souza", "2026-12-05T01:12:00Z", "Not yet", &error));
  g_assert_true (upg_sop_check (f->store, steps, step, "Jonas Berg", "2026-12-05T01:20:00Z", NULL, &error));
  g_assert_no_error (error);
  doc = assert_round_trip (f);
  g_assert_nonnull (strstr (doc, "\"action\": \"uncheck\",\n              \"by\": \"Ana Souza\",\n"
                                 "              \"at\": \"2026-12-05T01:12:00Z\",\n              \"note\": \"Not yet\""));
  g_assert_nonnull (strstr (doc, "\"checked_at\": \"2026-12-05T01:20:00Z\",\n          \"checked_by\": \"Jonas Berg\""));
}

/* A file made by version 1 of the schema migrates: a verified backup
 * beside it, uids, the history as rows, the new defaults. */
static void
test_migrate_v1_file (void)
{
  g_autofree char *path = upg_test_tmpfile ("old.upgplan");
  const UpgMigration *all;
  guint n;
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *doc = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) listing = NULL;
  const char *name;
  guint backups = 0;
  sqlite3 *db;

  all = upg_store_migrations (&n);
  g_assert_cmpuint (n, ==, 3);
  store = upg_store_open_with_migrations (path, UPG_STORE_OPEN_CREATE, all, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO project (id, position, name, kind, status, created_at, updated_at, window_start, window_end) "
    "  VALUES (1, 0, 'Old', 'feature', 'live', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z', "
    "          '2025-01-05T01:00:00Z', '2025-01-05T02:00:00Z');"
    "INSERT INTO stakeholder_group (project_id, position, name, addresses) VALUES (1, 0, 'Ops', 'ops@example.org');"
    "INSERT INTO sop_step (id, project_id, position, phase, title, checked_at, checked_by) "
    "  VALUES (1, 1, 0, 'build', 'Build', '2025-01-05T01:10:00Z', 'Li');"
    "INSERT INTO sop_step (id, project_id, position, phase, title) VALUES (2, 1, 1, 'go_live', 'Go');"
    "INSERT INTO sop_check (step_id, action, actor, at, reason) VALUES (2, 'skip', 'Li', '2025-01-05T01:20:00Z', 'No time');"
    "INSERT INTO sop_step (id, project_id, position, phase, title, checked_at, checked_by) "
    "  VALUES (3, 1, 2, 'go_live', 'Watch', '2025-01-05T01:40:00Z', 'Wu');"
    "INSERT INTO sop_check (step_id, action, actor, at, reason) VALUES (3, 'check', 'Wu', '2025-01-05T01:40:00Z', '');",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  doc = upg_plan_export (store, 0, &error);
  g_assert_no_error (error);

  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "old.upgplan.v1-") && g_str_has_suffix (name, ".bak"))
      backups++;
  g_assert_cmpuint (backups, ==, 1);

  g_assert_true (g_regex_match_simple ("\"uid\": \"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"",
                                       doc, 0, 0));
  g_assert_nonnull (strstr (doc, "\"time_zone\": \"UTC\",\n      \"calendar_sequence\": 0,"));
  g_assert_nonnull (strstr (doc, "\"bcc\": false,\n          \"language\": \"en\",\n          \"time_zone\": null,\n"
                                 "          \"moments\": [\n            \"advance_notice\",\n"));
  /* Step 1 was checked without a history: it gets its check. */
  g_assert_nonnull (strstr (doc, "\"history\": [\n            {\n              \"action\": \"check\",\n"
                                 "              \"by\": \"Li\",\n              \"at\": \"2025-01-05T01:10:00Z\","));
  g_assert_nonnull (strstr (doc, "\"action\": \"skip\",\n              \"by\": \"Li\",\n"
                                 "              \"at\": \"2025-01-05T01:20:00Z\",\n              \"note\": \"No time\""));
  /* The uid comes from the project itself: a copy of the old file (read
   * only, say, and so migrated in memory each time) gives the same one. */
  {
    g_autofree char *copy_path = upg_test_tmpfile ("old-copy.upgplan");
    g_autofree char *contents = NULL;
    gsize length;
    g_autoptr(UpgStore) again = NULL;
    g_autofree char *doc2 = NULL;
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *entry;

    /* The backup is the version-1 file as it was. */
    while ((entry = g_dir_read_name (d)) != NULL)
      if (g_str_has_prefix (entry, "old.upgplan.v1-") && g_str_has_suffix (entry, ".bak"))
        {
          g_autofree char *b = g_build_filename (dir, entry, NULL);
          g_assert_true (g_file_get_contents (b, &contents, &length, NULL));
        }
    g_assert_true (g_file_set_contents (copy_path, contents, length, NULL));
    again = upg_store_open (copy_path, UPG_STORE_OPEN_EXISTING, &error);
    g_assert_no_error (error);
    doc2 = upg_plan_export (again, 0, &error);
    g_assert_cmpstr (doc2, ==, doc);
  }

  /* And the whole thing imports. */
  {
    g_autofree char *copy_path = upg_test_tmpfile ("copy.upgplan");
    g_autoptr(UpgStore) copy = upg_store_open (copy_path, UPG_STORE_OPEN_CREATE, &error);
    g_autofree char *again = NULL;
    g_assert_true (upg_plan_import (copy, doc, -1, NULL, &error));
    g_assert_no_error (error);
    again = upg_plan_export (copy, 0, &error);
    g_assert_cmpstr (again, ==, doc);
  }
}

/* A file of schema version 2 migrates to 3: every item gets the uid a
 * version-2 document of the same plan would get (from the project's uid
 * and the item's place), and the calendar entries version 2 named after a
 * milestone's kind and title are to be cancelled. */
static void
test_migrate_v2_file (void)
{
  g_autofree char *path = upg_test_tmpfile ("v2.upgplan");
  const char *project_uid = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
  const UpgMigration *all;
  guint n;
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *doc = NULL;
  g_autofree char *m0 = upg_derive_item_uid (project_uid, "milestones[0]");
  g_autofree char *m2 = upg_derive_item_uid (project_uid, "milestones[2]");
  g_autofree char *member = upg_derive_item_uid (project_uid, "team[0]");
  g_autofree char *group = upg_derive_item_uid (project_uid, "stakeholder_groups[0]");
  g_autofree char *step1 = upg_derive_item_uid (project_uid, "sop[1]");
  g_autofree char *risk = upg_derive_item_uid (project_uid, "risks[0]");
  g_autofree char *item = upg_derive_item_uid (project_uid, "retrospective.items[0]");
  g_autofree char *expected = NULL;
  sqlite3 *db;

  all = upg_store_migrations (&n);
  store = upg_store_open_with_migrations (path, UPG_STORE_OPEN_CREATE, all, 2, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* Positions out of id order, as moving items leaves them; two
   * milestones with the same kind and title; one without a date. */
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO project (id, position, uid, name, kind, status, created_at, updated_at) "
    "  VALUES (1, 0, '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', 'Old', 'feature', 'live', "
    "          '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z');"
    "INSERT INTO milestone (id, project_id, position, title, kind, due) VALUES (1, 1, 2, 'Canary', 'gray_release', '2026-01-07');"
    "INSERT INTO milestone (id, project_id, position, title, kind, due) VALUES (2, 1, 0, 'Canary', 'gray_release', '2026-01-05');"
    "INSERT INTO milestone (id, project_id, position, title, kind, due) VALUES (3, 1, 1, 'Later', 'custom', NULL);"
    "INSERT INTO member (project_id, position, name, role) VALUES (1, 0, 'Li', 'qa');"
    "INSERT INTO risk (project_id, position, title, category, likelihood, impact, status) VALUES (1, 0, 'R', 'other', 1, 1, 'open');"
    "INSERT INTO stakeholder_group (project_id, position, name) VALUES (1, 0, 'Ops');"
    "INSERT INTO sop_step (id, project_id, position, phase, title) VALUES (1, 1, 5, 'build', 'Second');"
    "INSERT INTO sop_step (id, project_id, position, phase, title) VALUES (2, 1, 3, 'build', 'First');"
    "INSERT INTO retrospective (id, project_id) VALUES (1, 1);"
    "INSERT INTO retro_item (retro_id, position, kind, text) VALUES (1, 0, 'lesson', 'L');",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  doc = upg_plan_export (store, 0, &error);
  g_assert_no_error (error);

  /* Milestone 2 comes first (position 0), milestone 1 third. */
  expected = g_strdup_printf ("\"milestones\": [\n        {\n          \"uid\": \"%s\",\n"
                              "          \"title\": \"Canary\",\n          \"kind\": \"gray_release\",\n"
                              "          \"due\": \"2026-01-05\",", m0);
  g_assert_nonnull (strstr (doc, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\"uid\": \"%s\",\n          \"title\": \"Canary\",\n          \"kind\": \"gray_release\",\n"
                              "          \"due\": \"2026-01-07\",", m2);
  g_assert_nonnull (strstr (doc, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\"uid\": \"%s\",\n          \"phase\": \"build\",\n          \"title\": \"Second\",", step1);
  g_assert_nonnull (strstr (doc, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\"uid\": \"%s\",\n          \"name\": \"Li\",\n          \"email\": null,\n"
                              "          \"phone\": \"\",", member);
  g_assert_nonnull (strstr (doc, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\"uid\": \"%s\",\n          \"name\": \"Ops\",\n          \"audience\": \"\",\n"
                              "          \"internal\": false,", group);
  g_assert_nonnull (strstr (doc, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\"uid\": \"%s\",\n          \"title\": \"R\",", risk);
  g_assert_nonnull (strstr (doc, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\"uid\": \"%s\",\n            \"kind\": \"lesson\",", item);
  g_assert_nonnull (strstr (doc, expected));

  /* The two dated milestones' old entries (kind, title and count, hashed):
   * the one at position 0 is the first "Canary", the other the second. */
  g_assert_nonnull (strstr (doc,
    "\"cancelled_milestones\": [\n"
    "        {\n"
    "          \"calendar_uid\": \"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f-milestone-bef95e9a5e87\",\n"
    "          \"title\": \"Canary\",\n"
    "          \"kind\": \"gray_release\",\n"
    "          \"due\": \"2026-01-05\",\n"
    "          \"cancelled_at\": \"2026-01-02T00:00:00Z\"\n"
    "        },\n"
    "        {\n"
    "          \"calendar_uid\": \"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f-milestone-66b5353ca5a4\",\n"
    "          \"title\": \"Canary\",\n"
    "          \"kind\": \"gray_release\",\n"
    "          \"due\": \"2026-01-07\",\n"
    "          \"cancelled_at\": \"2026-01-02T00:00:00Z\"\n"
    "        }\n"
    "      ],\n"));

  /* And it imports into a new file as it is. */
  {
    g_autofree char *copy_path = upg_test_tmpfile ("v2-copy.upgplan");
    g_autoptr(UpgStore) copy = upg_store_open (copy_path, UPG_STORE_OPEN_CREATE, &error);
    g_autofree char *again = NULL;
    g_assert_true (upg_plan_import (copy, doc, -1, NULL, &error));
    g_assert_no_error (error);
    again = upg_plan_export (copy, 0, &error);
    g_assert_cmpstr (again, ==, doc);
  }
}

/* A version-1 document imports: its checked steps get their check. */
static void
test_import_v1_document (void)
{
  g_autofree char *path = upg_test_tmpfile ("v1.upgplan");
  g_autofree char *v1_path = upg_test_data_path ("sample-plan-v1.json");
  g_autofree char *v1 = upg_test_read (v1_path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_autofree char *doc = NULL;

  g_assert_true (upg_plan_import (store, v1, -1, NULL, &error));
  g_assert_no_error (error);
  doc = upg_plan_export (store, 0, &error);
  g_assert_nonnull (strstr (doc, "\"version\": 3,"));
  g_assert_nonnull (strstr (doc, "\"risk_thresholds\": [\n        5,\n        10,\n        20\n      ],"));
  g_assert_nonnull (strstr (doc, "\"checked_by\": \"Jonas Berg\",\n          \"note\": \"\",\n          \"history\": [\n"
                                 "            {\n              \"action\": \"check\",\n              \"by\": \"Jonas Berg\",\n"
                                 "              \"at\": \"2026-11-25T10:00:00Z\",\n              \"note\": \"\"\n            }\n          ]"));
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/integrity/rename-member", test_rename_member);
  ADD ("/integrity/rename-group", test_rename_group);
  ADD ("/integrity/kind-change", test_kind_change);
  ADD ("/integrity/refused-writes", test_refused_writes);
  ADD ("/integrity/calendar-sequence", test_calendar_sequence);
  ADD ("/integrity/delete-member", test_delete_member);
  ADD ("/integrity/delete-risk-after-owner-left", test_delete_risk_after_owner_left);
  ADD ("/integrity/reorder-and-checks", test_reorder_and_checks);
#undef ADD
  g_test_add_func ("/integrity/migrate-v1-file", test_migrate_v1_file);
  g_test_add_func ("/integrity/migrate-v2-file", test_migrate_v2_file);
  g_test_add_func ("/integrity/import-v1-document", test_import_v1_document);
  return g_test_run ();
}
