/* upg-test-store-cases.c — the store's cases that hold for every backend:
 * the same calls and the same expectations on a plan file and on a team
 * server. What only a file has (pragmas, sidecars, backups, permissions)
 * stays in test-store.c; what only a server has in test-postgres.c. */
#include "config.h"

#include <string.h>

#include "upg-test-util.h"
#include "upg-test-store-cases.h"
#include "core/upg-plan.h"
#include "core/store/upg-store.h"

static const UpgTestStoreBackend *backend;

static gint64
query_int (const char *location, const char *sql)
{
  return backend->query_int (location, sql);
}

UpgStore *
upg_test_store_open_sample (const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = upg_test_data_path ("sample-plan.json");
  g_autofree char *json = upg_test_read (sample, NULL);
  UpgStore *store = upg_store_open (location, UPG_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  upg_plan_import (store, json, -1, NULL, &error);
  g_assert_no_error (error);
  return store;
}

static UpgProject *
first_project (UpgStore *store)
{
  g_autoptr(GError) error = NULL;
  UpgProject *project = g_list_model_get_item (upg_store_get_projects (store), 0);

  upg_store_load_children (store, UPG_RECORD (project), &error);
  g_assert_no_error (error);
  return project;
}

static UpgRecord *
new_project (const char *name)
{
  UpgRecord *project = upg_record_new (&upg_entity_project);

  upg_record_set_string (project, UPG_PROJECT_NAME, name);
  upg_record_set_string (project, UPG_PROJECT_CREATED_AT, "2026-11-25T00:00:00Z");
  upg_record_set_string (project, UPG_PROJECT_UPDATED_AT, "2026-11-25T00:00:00Z");
  return project;
}

/* A new plan has no projects and opens again without being made anew. */
static void
test_create (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("new.upgplan");
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (location, UPG_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_true (upg_store_load (store, &error));
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 0);
  g_assert_cmpint (upg_store_count_projects (store), ==, 0);
  g_clear_object (&store);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM sop_event"), ==, 0);

  store = upg_store_open (location, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 0);
}

static void
test_edit_saves_at_once (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("edit.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);
  g_autoptr(UpgProject) project = first_project (store);
  GListModel *risks = upg_record_get_children (UPG_RECORD (project), &upg_entity_risk);
  g_autoptr(UpgRecord) risk = g_list_model_get_item (risks, 1);

  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_UPDATED_AT), ==, "2026-11-24T16:40:00Z");
  g_object_set (risk, "likelihood", 5, "owner", NULL, NULL);
  g_object_set (project, "version-to", "4.2.1", NULL);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_UPDATED_AT), !=, "2026-11-24T16:40:00Z");

  g_clear_object (&risk);
  g_clear_object (&project);
  g_clear_object (&store);
  g_assert_cmpint (query_int (location, "SELECT likelihood FROM risk WHERE title = 'Gateway SDK slower under load' AND owner IS NULL"), ==, 5);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM project WHERE version_to = '4.2.1' AND updated_at > '2026-11-24T16:40:00Z'"), ==, 1);
}

/* A write the rules refuse changes nothing, in the store or the record. */
static void
test_refused_write (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("refused.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);
  g_autoptr(UpgProject) project = first_project (store);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "");
  g_assert_false (upg_store_set_value (store, UPG_RECORD (project), UPG_PROJECT_NAME, &value, &error));
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_INVALID);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_NAME), ==, "Billing service 4.2 upgrade");
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM project WHERE name = 'Billing service 4.2 upgrade'"), ==, 1);
}

static void
test_insert_move (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("insert.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);
  g_autoptr(UpgProject) project = first_project (store);
  GListModel *milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
  g_autoptr(UpgRecord) m = upg_record_new (&upg_entity_milestone);
  g_autoptr(UpgRecord) first = NULL;
  g_autoptr(GError) error = NULL;

  upg_record_set_string (m, UPG_MILESTONE_TITLE, "Security review");
  upg_record_set_string (m, UPG_MILESTONE_DUE, "2026-11-30");
  g_assert_true (upg_store_insert (store, UPG_RECORD (project), m, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (milestones), ==, 6);
  g_assert_cmpint (upg_record_get_id (m), >, 0);
  g_assert_cmpint (query_int (location, "SELECT position FROM milestone WHERE title = 'Security review'"), ==, 1);
  g_assert_cmpint (query_int (location, "SELECT position FROM milestone WHERE title = 'Full launch'"), ==, 5);

  /* Move the first to the end. */
  first = g_list_model_get_item (milestones, 0);
  g_assert_true (upg_store_move (store, first, 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (location, "SELECT position FROM milestone WHERE title = 'Development complete'"), ==, 5);
  g_assert_cmpint (query_int (location, "SELECT position FROM milestone WHERE title = 'Security review'"), ==, 0);

  /* A fresh load sees the same order. */
  g_clear_object (&first);
  g_clear_object (&project);
  g_clear_object (&store);
  store = upg_store_open (location, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load (store, &error));
  project = first_project (store);
  milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
  first = g_list_model_get_item (milestones, 0);
  g_assert_cmpstr (upg_record_get_string (first, UPG_MILESTONE_TITLE), ==, "Security review");
}

static void
test_delete_undo (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("undo.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);
  g_autoptr(UpgProject) project = first_project (store);
  GListModel *steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  g_autoptr(UpgRecord) step = g_list_model_get_item (steps, 1);
  g_autoptr(UpgDeletion) undo = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = upg_record_get_id (step);
  g_autofree char *after = NULL;
  g_autofree char *restored = NULL;

  g_assert_true (upg_store_add_check_event (store, step, "check", "Mei Lin", "2026-12-05T01:10:00Z", "", &error));
  g_assert_no_error (error);

  g_assert_true (upg_store_delete (store, step, &undo, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 5);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM sop_event WHERE step_id != 1"), ==, 0);

  g_assert_true (upg_store_undo_delete (store, undo, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 6);
  g_assert_true (g_list_model_get_item (steps, 1) == (gpointer) step);
  g_object_unref (step);
  g_assert_cmpint (upg_record_get_id (step), ==, id);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM sop_event WHERE \"by\" = 'Mei Lin'"), ==, 1);

  /* The project as a whole reads back the same (updated_at aside). */
  after = upg_plan_export (store, 0, &error);
  g_assert_nonnull (after);
  {
    g_autoptr(UpgDeletion) undo2 = NULL;
    g_autoptr(UpgProject) p = g_object_ref (project);

    /* Delete the whole project, with everything under it, and bring it back. */
    g_assert_true (upg_store_delete (store, UPG_RECORD (p), &undo2, &error));
    g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 0);
    g_assert_cmpint (query_int (location, "SELECT count(*) FROM risk"), ==, 0);
    g_assert_true (upg_store_undo_delete (store, undo2, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 1);
    g_assert_cmpint (query_int (location, "SELECT count(*) FROM risk"), ==, 3);
    g_assert_cmpint (query_int (location, "SELECT count(*) FROM sop_event WHERE step_id != 1"), ==, 1);
    restored = upg_plan_export (store, 0, &error);
    g_assert_cmpstr (restored, ==, after);
  }
}

static void
test_build_id_reuse (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("build.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(UpgProject) project = first_project (store);
  g_autoptr(UpgRecord) other = new_project ("Hotfix");
  g_autoptr(GError) error = NULL;

  none = upg_store_find_build_id (store, "v4.2.0+build.1187", upg_record_get_id (UPG_RECORD (project)));
  g_assert_cmpuint (none->len, ==, 0);

  g_assert_true (upg_store_insert (store, NULL, other, -1, &error));
  g_assert_no_error (error);
  one = upg_store_find_build_id (store, "v4.2.0+build.1187", upg_record_get_id (other));
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpstr (one->pdata[0], ==, "Billing service 4.2 upgrade");
}

/* A second opener (the command line while the window has the plan) sees
 * what the first one wrote. */
static void
test_open_while_open (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("shared.upgplan");
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) first = upg_store_open (location, UPG_STORE_OPEN_CREATE, &error);
  g_autoptr(UpgStore) second = NULL;
  g_autoptr(UpgRecord) project = new_project ("Shared");

  g_assert_no_error (error);
  g_assert_true (upg_store_insert (first, NULL, project, -1, &error));

  second = upg_store_open (location, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_cmpint (upg_store_count_projects (second), ==, 1);
}

/* A store opened only to read at @location reads its one project and
 * refuses to write. */
void
upg_test_store_assert_read_only (const char *location)
{
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = upg_store_open (location, UPG_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_is_read_only (store));
  g_assert_true (upg_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 1);
  g_assert_false (upg_store_begin (store, &error));
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_READ_ONLY);
}

/* A store opened only to read reads and refuses to write. */
static void
test_read_only_flag (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("read.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);

  g_assert_false (upg_store_is_read_only (store));
  g_clear_object (&store);

  upg_test_store_assert_read_only (location);
}

/* Meta values are kept, replaced and read back. */
static void
test_meta (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("meta.upgplan");
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (location, UPG_STORE_OPEN_CREATE, &error);
  g_autofree char *value = NULL;

  g_assert_no_error (error);
  g_assert_true (upg_store_read_meta (store, "answer", &value, &error));
  g_assert_null (value);
  g_assert_true (upg_store_set_meta (store, "answer", "41", &error));
  g_assert_true (upg_store_set_meta (store, "answer", "42", &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  store = upg_store_open (location, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  value = upg_store_get_meta (store, "answer");
  g_assert_cmpstr (value, ==, "42");
}

/* A check of a sound plan reports "ok". */
static void
test_check (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("check.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  g_assert_true (upg_store_check (store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (report, ==, "ok");
}

/* The check history of a step, in order, as written. */
static void
test_check_events (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("events.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);
  g_autoptr(UpgProject) project = first_project (store);
  GListModel *steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  g_autoptr(UpgRecord) step = g_list_model_get_item (steps, 3);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  events = upg_store_list_check_events (store, step, &error);
  g_assert_no_error (error);
  before = events->len;
  g_clear_pointer (&events, g_ptr_array_unref);
  g_assert_true (upg_store_add_check_event (store, step, "check", "Mei Lin", "2026-12-05T01:10:00Z", "", &error));
  g_assert_true (upg_store_add_check_event (store, step, "uncheck", "Sam Ortiz", "2026-12-05T01:12:00Z", "wrong step", &error));
  g_assert_no_error (error);
  events = upg_store_list_check_events (store, step, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, before + 2);
  {
    UpgCheckEvent *last = events->pdata[events->len - 1];
    UpgCheckEvent *previous = events->pdata[events->len - 2];

    g_assert_cmpstr (previous->action, ==, "check");
    g_assert_cmpstr (previous->actor, ==, "Mei Lin");
    g_assert_cmpstr (last->action, ==, "uncheck");
    g_assert_cmpstr (last->actor, ==, "Sam Ortiz");
    g_assert_cmpstr (last->at, ==, "2026-12-05T01:12:00Z");
    g_assert_cmpstr (last->reason, ==, "wrong step");
  }
}

/* A transaction rolled back leaves nothing behind. */
static void
test_rollback (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("rollback.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);
  g_autoptr(UpgRecord) project = new_project ("Never kept");
  g_autoptr(GError) error = NULL;

  g_assert_true (upg_store_begin (store, &error));
  g_assert_true (upg_store_insert (store, NULL, project, -1, &error));
  g_assert_no_error (error);
  upg_store_rollback (store);
  g_assert_true (upg_store_reload_projects (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 1);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM project"), ==, 1);
}

/* A renamed member renames the risks they own, in the same transaction;
 * removing a member hands their risks to another, and Undo gives them
 * back. */
static void
test_member_references (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("members.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);
  g_autoptr(UpgProject) project = first_project (store);
  GListModel *team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
  g_autoptr(UpgRecord) mei = g_list_model_get_item (team, 1);
  g_autoptr(UpgDeletion) undo = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_cmpstr (upg_record_get_string (mei, UPG_MEMBER_NAME), ==, "Mei Lin");
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "Mei Lin-Wong");
  /* The project's time stamp follows, with the risk still named as before
   * in the loaded records until the rename commits. */
  g_assert_true (upg_store_set_value (store, mei, UPG_MEMBER_NAME, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM risk WHERE owner = 'Mei Lin-Wong'"), ==, 1);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM risk WHERE owner = 'Mei Lin'"), ==, 0);
  g_assert_cmpuint (upg_store_count_owned_risks (store, mei), ==, 1);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_UPDATED_AT), ==, "2026-11-25T12:00:00Z");
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM project WHERE updated_at = '2026-11-25T12:00:00Z'"), ==, 1);

  g_assert_true (upg_store_delete_member (store, mei, "Jonas Berg", &undo, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (team), ==, 3);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM risk WHERE owner = 'Jonas Berg'"), ==, 2);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM member"), ==, 3);

  g_assert_true (upg_store_undo_delete (store, undo, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (team), ==, 4);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM risk WHERE owner = 'Mei Lin-Wong'"), ==, 1);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM risk WHERE owner = 'Jonas Berg'"), ==, 1);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM member"), ==, 4);
}

/* Several fields of one record are written together, checked as a whole. */
static void
test_update_together (gconstpointer data)
{
  g_autofree char *location = backend->new_location ("together.upgplan");
  g_autoptr(UpgStore) store = upg_test_store_open_sample (location);
  g_autoptr(UpgProject) project = first_project (store);
  g_autoptr(GError) error = NULL;

  upg_store_update_begin (store, UPG_RECORD (project));
  upg_record_set_string (UPG_RECORD (project), UPG_PROJECT_WINDOW_START, "2026-12-10T01:00:00Z");
  upg_record_set_string (UPG_RECORD (project), UPG_PROJECT_WINDOW_END, "2026-12-10T03:00:00Z");
  g_assert_true (upg_store_update_end (store, UPG_RECORD (project), &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM project WHERE window_start = '2026-12-10T01:00:00Z' AND window_end = '2026-12-10T03:00:00Z'"), ==, 1);

  /* An end before the start is refused, and neither is written. */
  upg_store_update_begin (store, UPG_RECORD (project));
  upg_record_set_string (UPG_RECORD (project), UPG_PROJECT_WINDOW_START, "2026-12-11T05:00:00Z");
  upg_record_set_string (UPG_RECORD (project), UPG_PROJECT_WINDOW_END, "2026-12-11T04:00:00Z");
  g_assert_false (upg_store_update_end (store, UPG_RECORD (project), &error));
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_INVALID);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_WINDOW_START), ==, "2026-12-10T01:00:00Z");
  g_assert_cmpint (query_int (location, "SELECT count(*) FROM project WHERE window_start = '2026-12-10T01:00:00Z' AND window_end = '2026-12-10T03:00:00Z'"), ==, 1);
}

void
upg_test_store_cases_add (const UpgTestStoreBackend *which)
{
  static const struct {
    const char *path;
    GTestDataFunc func;
  } cases[] = {
    { "create", test_create },
    { "edit-saves", test_edit_saves_at_once },
    { "refused-write", test_refused_write },
    { "insert-move", test_insert_move },
    { "delete-undo", test_delete_undo },
    { "build-id-reuse", test_build_id_reuse },
    { "open-while-open", test_open_while_open },
    { "read-only-flag", test_read_only_flag },
    { "meta", test_meta },
    { "check", test_check },
    { "check-events", test_check_events },
    { "rollback", test_rollback },
    { "member-references", test_member_references },
    { "update-together", test_update_together },
  };

  backend = which;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/store/%s/%s", which->name, cases[i].path);
      g_test_add_data_func (path, which, cases[i].func);
    }
}
