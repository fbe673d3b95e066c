/* test-checks.c — the standard content of a new project and the plan's checks. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "upg-test-util.h"
#include "core/upg-checks.h"
#include "core/upg-clock.h"
#include "core/upg-defaults.h"
#include "core/upg-plan.h"
#include "core/store/upg-store.h"
#include <json-glib/json-glib.h>

static UpgStore *
new_store (void)
{
  g_autofree char *path = upg_test_tmpfile ("checks.upgplan");
  g_autoptr(GError) error = NULL;
  UpgStore *store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  return store;
}

static UpgRecord *
item (UpgRecord *record, const UpgEntity *entity, guint i)
{
  GListModel *list = upg_record_get_children (record, entity);
  g_assert_nonnull (list);
  return g_list_model_get_item (list, i);
}

static void
test_defaults_milestones (void)
{
  g_autoptr(UpgProject) project = upg_defaults_new_project ("Billing 4.2", "security_fix");
  GListModel *milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
  const char *kinds[] = { "dev_complete", "test_passed", "gray_release", "gray_release", "full_launch" };
  const char *titles[] = { "Development complete", "Tests passed", "Gray release 5 %", "Gray release 50 %", "Full launch" };
  const int percents[] = { UPG_INT_NULL, UPG_INT_NULL, 5, 50, UPG_INT_NULL };

  g_assert_cmpstr (upg_project_get_name (project), ==, "Billing 4.2");
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_KIND), ==, "security_fix");
  g_assert_true (upg_check_timestamp (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_CREATED_AT), NULL, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (milestones), ==, 5);
  g_assert_cmpuint (upg_defaults_n_milestones (), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(UpgRecord) m = item (UPG_RECORD (project), &upg_entity_milestone, i);
      g_assert_cmpstr (upg_record_get_string (m, UPG_MILESTONE_KIND), ==, kinds[i]);
      g_assert_cmpstr (upg_record_get_string (m, UPG_MILESTONE_TITLE), ==, titles[i]);
      g_assert_cmpint (upg_record_get_int (m, UPG_MILESTONE_ROLLOUT_PERCENT), ==, percents[i]);
      g_assert_null (upg_record_get_string (m, UPG_MILESTONE_DUE));
    }
}

static void
test_defaults_sop (void)
{
  g_autoptr(UpgProject) project = upg_defaults_new_project ("P", NULL);
  GListModel *sop = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  g_autoptr(UpgRecord) rehearsal = NULL;
  g_autoptr(UpgRecord) build = NULL;
  g_autoptr(UpgRecord) gray = NULL;
  const char *phases[] = { "planning", "planning", "preparation", "preparation", "preparation", "build",
                           "validation", "gray_release", "go_live", "notification", "retrospective", "rollback" };

  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_KIND), ==, "other");
  g_assert_cmpuint (g_list_model_get_n_items (sop), ==, G_N_ELEMENTS (phases));
  g_assert_cmpuint (upg_defaults_n_sop_steps (), ==, G_N_ELEMENTS (phases));
  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      g_autoptr(UpgRecord) step = item (UPG_RECORD (project), &upg_entity_sop_step, i);
      g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_PHASE), ==, phases[i]);
      g_assert_cmpint (upg_enum_index (upg_roles, upg_record_get_string (step, UPG_SOP_STEP_OWNER_ROLE)), >=, 0);
      g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_TITLE), !=, "");
      g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_DETAILS), !=, "");
      g_assert_null (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT));
    }
  rehearsal = item (UPG_RECORD (project), &upg_entity_sop_step, 3);
  g_assert_cmpstr (upg_record_get_string (rehearsal, UPG_SOP_STEP_TITLE), ==, "Rehearse the rollback");
  g_assert_nonnull (strstr (upg_record_get_string (rehearsal, UPG_SOP_STEP_DETAILS), "within 10 minutes"));
  build = item (UPG_RECORD (project), &upg_entity_sop_step, 5);
  g_assert_nonnull (strstr (upg_record_get_string (build, UPG_SOP_STEP_DETAILS), "unique version id"));
  gray = item (UPG_RECORD (project), &upg_entity_sop_step, 7);
  g_assert_nonnull (strstr (upg_record_get_string (gray, UPG_SOP_STEP_DETAILS), "error rate"));
}

static void
test_defaults_insert (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(UpgStore) again = NULL;
  g_autoptr(UpgProject) project = upg_defaults_new_project ("Shop 3.0", "feature");
  g_autoptr(UpgProject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (upg_store_get_path (store));

  g_assert_true (upg_store_insert (store, NULL, UPG_RECORD (project), -1, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  again = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  loaded = upg_store_lookup_project (again, upg_record_get_id (UPG_RECORD (project)), &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load_children (again, UPG_RECORD (loaded), &error));
  g_assert_cmpuint (g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (loaded), &upg_entity_milestone)), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (loaded), &upg_entity_sop_step)), ==, 12);
  g_assert_cmpuint (g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (loaded), &upg_entity_risk)), ==, 0);
}

static void
test_import_adds_no_defaults (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = upg_test_data_path ("sample-plan.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  JsonObject *first;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "projects"), 0);

  g_assert_true (upg_plan_import_file (store, file, &ids, &error));
  g_assert_no_error (error);
  project = upg_store_lookup_project (store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load_children (store, UPG_RECORD (project), &error));
  g_assert_cmpuint (g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone)), ==,
                    json_array_get_length (json_object_get_array_member (first, "milestones")));
  g_assert_cmpuint (g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step)), ==,
                    json_array_get_length (json_object_get_array_member (first, "sop")));
}

static UpgRecord *
milestone (const char *due, const char *done)
{
  UpgRecord *m = upg_record_new (&upg_entity_milestone);
  upg_record_set_string (m, UPG_MILESTONE_TITLE, "M");
  upg_record_set_string (m, UPG_MILESTONE_DUE, due);
  upg_record_set_string (m, UPG_MILESTONE_DONE, done);
  return m;
}

static void
test_milestone_state (void)
{
  struct { const char *due, *done; UpgMilestoneState state; } cases[] = {
    { NULL, NULL, UPG_MILESTONE_STATE_UNSCHEDULED },
    { "2026-11-30", NULL, UPG_MILESTONE_STATE_OVERDUE },
    { "2026-12-01", NULL, UPG_MILESTONE_STATE_DUE_TODAY },
    { "2026-12-02", NULL, UPG_MILESTONE_STATE_PLANNED },
    { "2026-11-01", "2026-11-03", UPG_MILESTONE_STATE_DONE },
    { NULL, "2026-11-03", UPG_MILESTONE_STATE_DONE },
    { "2025-12-31", NULL, UPG_MILESTONE_STATE_OVERDUE },
  };
  g_autofree char *today = upg_clock_today ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(UpgRecord) m = milestone (cases[i].due, cases[i].done);
      g_assert_cmpint (upg_milestone_state (m, "2026-12-01"), ==, cases[i].state);
    }
  g_assert_true (upg_check_date (today, NULL));
}

static void
test_window (void)
{
  g_autofree char *message = NULL;

  g_assert_true (upg_check_window (NULL, NULL, NULL));
  g_assert_true (upg_check_window ("2026-12-05T01:00:00Z", NULL, NULL));
  g_assert_true (upg_check_window ("2026-12-05T01:00:00Z", "2026-12-05T01:00:00Z", NULL));
  g_assert_true (upg_check_window ("2026-12-05T01:00:00Z", "2026-12-05T03:00:00Z", NULL));
  g_assert_false (upg_check_window ("2026-12-05T01:00:00Z", "2026-12-05T00:59:00Z", &message));
  g_assert_cmpstr (message, ==, "The window cannot end before it starts.");
}

static UpgProject *
insert_project (UpgStore *store, const char *name, const char *build_id)
{
  g_autoptr(UpgProject) project = upg_defaults_new_project (name, "feature");
  g_autoptr(GError) error = NULL;

  upg_record_set_string (UPG_RECORD (project), UPG_PROJECT_BUILD_ID, build_id);
  g_assert_true (upg_store_insert (store, NULL, UPG_RECORD (project), -1, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&project);
}

static void
test_build_id (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(UpgProject) a G_GNUC_UNUSED = insert_project (store, "Billing 4.1", "v4.1");
  g_autoptr(UpgProject) b = insert_project (store, "Billing 4.2", "v4.2");
  g_autoptr(UpgProject) c = insert_project (store, "Shop", NULL);
  g_autofree char *none = upg_build_id_warning (store, b);
  g_autofree char *one = NULL;
  g_autofree char *empty = upg_build_id_warning (store, c);

  g_assert_null (none);
  g_assert_null (empty);
  upg_record_set_string (UPG_RECORD (b), UPG_PROJECT_BUILD_ID, "v4.1");
  one = upg_build_id_warning (store, b);
  g_assert_cmpstr (one, ==, "Build id v4.1 was already used by “Billing 4.1”.");
}

static void
add_member (UpgProject *project, const char *name, const char *role, const char *email)
{
  GListStore *team = upg_record_ensure_children (UPG_RECORD (project), &upg_entity_member);
  g_autoptr(UpgRecord) member = upg_record_new (&upg_entity_member);

  upg_record_set_string (member, UPG_MEMBER_NAME, name);
  upg_record_set_string (member, UPG_MEMBER_ROLE, role);
  upg_record_set_string (member, UPG_MEMBER_EMAIL, email);
  g_list_store_append (team, member);
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
test_team (void)
{
  g_autoptr(UpgProject) project = upg_defaults_new_project ("P", "feature");
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);
  g_autofree const char **missing = NULL;
  g_autofree const char **none = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_after = NULL;

  /* The standard SOP needs a PM, DevOps, DBA, QA and support. */
  missing = upg_team_missing_roles (project);
  g_assert_cmpuint (g_strv_length ((char **) missing), ==, 5);
  g_assert_cmpstr (missing[0], ==, "project_manager");
  g_assert_cmpstr (missing[1], ==, "dba");
  g_assert_cmpstr (missing[2], ==, "devops");
  g_assert_cmpstr (missing[3], ==, "qa");
  g_assert_cmpstr (missing[4], ==, "support");

  add_member (project, "Li Wei", "backend", "not-an-address");
  upg_team_append_warnings (project, warnings);
  text = join_warnings (warnings);
  g_assert_cmpstr (text, ==,
                   "team: No one on the team is the project manager.\n"
                   "team: Nobody on the team has the role DBA, which owns checklist steps.\n"
                   "team: Nobody on the team has the role DevOps, which owns checklist steps.\n"
                   "team: Nobody on the team has the role QA, which owns checklist steps.\n"
                   "team: Nobody on the team has the role Support, which owns checklist steps.\n"
                   "team: The email address of Li Wei is not valid.\n");

  add_member (project, "Zhang Min", "project_manager", "zhang@example.com");
  add_member (project, "Wang Fang", "dba", NULL);
  add_member (project, "Chen Jie", "devops", NULL);
  add_member (project, "Liu Yang", "qa", NULL);
  add_member (project, "Zhao Lei", "support", NULL);
  none = upg_team_missing_roles (project);
  g_assert_null (none[0]);
  upg_team_append_warnings (project, after);
  text_after = join_warnings (after);
  g_assert_cmpstr (text_after, ==, "team: The email address of Li Wei is not valid.\n");
}

static void
test_project_warnings (void)
{
  g_autoptr(UpgStore) store = new_store ();
  g_autoptr(UpgProject) a G_GNUC_UNUSED = insert_project (store, "A", "b-1");
  g_autoptr(UpgProject) b = insert_project (store, "B", "b-1");
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) milestones = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);
  g_autoptr(UpgRecord) gray = NULL;
  g_autoptr(UpgRecord) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *ms = NULL;

  upg_record_set_string (UPG_RECORD (b), UPG_PROJECT_WINDOW_START, "2026-12-05T03:00:00Z");
  /* A window that ends before it starts is refused where it is set. */
  upg_record_set_string (UPG_RECORD (b), UPG_PROJECT_WINDOW_END, "2026-12-05T01:00:00Z");
  g_assert_null (upg_record_get_string (UPG_RECORD (b), UPG_PROJECT_WINDOW_END));
  g_assert_true (upg_store_load_children (store, UPG_RECORD (b), &error));
  warnings = upg_project_warnings (store, b);
  text = join_warnings (warnings);
  g_assert_true (g_str_has_prefix (text,
                 "overview: Build id b-1 was already used by “A”.\n"
                 "team: No one on the team is the project manager.\n"));

  first = item (UPG_RECORD (b), &upg_entity_milestone, 0);
  upg_record_set_string (first, UPG_MILESTONE_DUE, "2026-11-30");
  gray = item (UPG_RECORD (b), &upg_entity_milestone, 2);
  upg_record_set_int (gray, UPG_MILESTONE_ROLLOUT_PERCENT, UPG_INT_NULL);
  upg_milestone_append_warnings (b, "2026-12-01", milestones);
  ms = join_warnings (milestones);
  g_assert_cmpstr (ms, ==,
                   "milestones: Milestone “Development complete” is overdue: it was due on 2026-11-30.\n"
                   "milestones: Gray release “Gray release 5 %” has no rollout percent.\n");
}

/* The one clock: UPG_NOW pins it, in any zone; today follows the zone it
 * is asked for; what is not an instant with a zone is refused, by the
 * command line too, before anything runs. */
static void
test_clock (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL, *shanghai = NULL, *utc = NULL, *out = NULL, *err = NULL;
  g_autoptr(UpgRecord) m = milestone ("2026-12-01", NULL);
  const char *invalid[] = { "2026-11-25", "2026-11-25T12:00:00", "tomorrow", "2026-02-30T12:00:00Z" };

  upg_test_set_now ("2026-11-25T20:00:00+08:00");
  g_assert_true (upg_clock_check_env (&error));
  g_assert_no_error (error);
  iso = upg_clock_now_iso ();
  g_assert_cmpstr (iso, ==, "2026-11-25T12:00:00Z");

  upg_test_set_now ("2026-11-30T23:30:00Z");
  shanghai = upg_clock_today_in ("Asia/Shanghai");
  utc = upg_clock_today_in ("UTC");
  g_assert_cmpstr (shanghai, ==, "2026-12-01");
  g_assert_cmpstr (utc, ==, "2026-11-30");
  /* TZ=UTC in the suite: the planner's today is the 30th. */
  g_assert_cmpint (upg_milestone_state (m, NULL), ==, UPG_MILESTONE_STATE_PLANNED);
  upg_test_set_now ("2026-12-01T00:00:00Z");
  g_assert_cmpint (upg_milestone_state (m, NULL), ==, UPG_MILESTONE_STATE_DUE_TODAY);
  upg_test_set_now ("2026-12-02T00:00:00Z");
  g_assert_cmpint (upg_milestone_state (m, NULL), ==, UPG_MILESTONE_STATE_OVERDUE);

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *expected = g_strdup_printf ("upgrade-planner: UPG_NOW is “%s”, not an instant in ISO 8601 with its zone (for example 2026-11-25T12:00:00Z)\n", invalid[i]);

      upg_test_set_now (invalid[i]);
      g_assert_false (upg_clock_check_env (&error));
      g_assert_error (error, UPG_CLOCK_ERROR, 0);
      g_clear_error (&error);
      g_assert_cmpint (upg_test_run_cli (&out, &err, "list", "--db", "/nonexistent/plan.upgplan", NULL), ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, ==, expected);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }
  upg_test_set_now (UPG_TEST_NOW);
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/defaults/milestones", test_defaults_milestones);
  g_test_add_func ("/defaults/sop", test_defaults_sop);
  g_test_add_func ("/defaults/insert", test_defaults_insert);
  g_test_add_func ("/defaults/import-adds-none", test_import_adds_no_defaults);
  g_test_add_func ("/checks/milestone-state", test_milestone_state);
  g_test_add_func ("/checks/window", test_window);
  g_test_add_func ("/checks/build-id", test_build_id);
  g_test_add_func ("/checks/team", test_team);
  g_test_add_func ("/checks/project-warnings", test_project_warnings);
  g_test_add_func ("/checks/clock", test_clock);
  return g_test_run ();
}
