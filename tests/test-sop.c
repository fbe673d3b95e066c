/* test-sop.c — the checklist's rules: progress, readiness, check history, moves. */
#include "config.h"

#include <string.h>

#include "upg-plan.h"
#include "upg-sop.h"
#include "upg-zone.h"
#include "upg-test-util.h"

typedef struct {
  char       *path;
  UpgStore   *store;
  UpgProject *project;
  GListModel *steps;     /* borrowed from the project */
} Fixture;

static void
open_project (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = upg_store_open (f->path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  f->project = upg_store_lookup_project (f->store, 1, &error);
  g_assert_no_error (error);
  upg_store_load_children (f->store, UPG_RECORD (f->project), &error);
  g_assert_no_error (error);
  f->steps = upg_record_get_children (UPG_RECORD (f->project), &upg_entity_sop_step);
  g_assert_nonnull (f->steps);
}

static void
close_project (Fixture *f)
{
  g_clear_object (&f->project);
  g_clear_object (&f->store);
  f->steps = NULL;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plan_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *plan = upg_test_read (plan_path, NULL);
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GArray) ids = NULL;

  f->path = upg_test_tmpfile ("plan.upgplan");
  store = upg_store_open (f->path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  upg_plan_import (store, plan, -1, &ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);
  g_clear_object (&store);
  open_project (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  close_project (f);
  g_free (f->path);
}

static void
reopen (Fixture *f)
{
  close_project (f);
  open_project (f);
}

/* The step titled @title (borrowed). */
static UpgRecord *
find_step (Fixture *f, const char *title)
{
  guint n = g_list_model_get_n_items (f->steps);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (f->steps, i);
      if (g_strcmp0 (upg_record_get_string (step, UPG_SOP_STEP_TITLE), title) == 0)
        return step;
    }
  g_assert_not_reached ();
  return NULL;
}

/* "action actor at reason" per event, joined with " | ". */
static char *
history (Fixture *f, UpgRecord *step)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = upg_store_list_check_events (f->store, step, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      UpgCheckEvent *e = g_ptr_array_index (events, i);
      g_string_append_printf (out, "%s%s %s %s %s", i ? " | " : "", e->action, e->actor, e->at, e->reason);
    }
  return g_string_free (out, FALSE);
}

/* Titles of @phase's steps, joined with ";". */
static char *
phase_titles (Fixture *f, const char *phase)
{
  g_autoptr(GPtrArray) steps = upg_sop_steps_in_phase (f->steps, phase);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < steps->len; i++)
    g_string_append_printf (out, "%s%s", i ? ";" : "",
                            upg_record_get_string (g_ptr_array_index (steps, i), UPG_SOP_STEP_TITLE));
  return g_string_free (out, FALSE);
}

#define CANARY "Canary 5%: watch error rate and latency for 30 minutes"

static void
test_progress (Fixture *f, gconstpointer data)
{
  UpgSopProgress p;

  upg_sop_progress (f->steps, NULL, &p);
  g_assert_cmpuint (p.done, ==, 1);
  g_assert_cmpuint (p.total, ==, 6);
  g_assert_cmpuint (p.required_done, ==, 1);
  g_assert_cmpuint (p.required_total, ==, 6);
  g_assert_cmpfloat_with_epsilon (upg_sop_progress_fraction (&p), 1.0 / 6, 1e-9);

  upg_sop_progress (f->steps, "preparation", &p);
  g_assert_cmpuint (p.done, ==, 1);
  g_assert_cmpuint (p.total, ==, 2);

  upg_sop_progress (f->steps, "rollback", &p);
  g_assert_cmpuint (p.total, ==, 0);
  g_assert_cmpfloat (upg_sop_progress_fraction (&p), ==, 0.0);

  /* Optional steps count in the total but not in the required figures. */
  upg_record_set_bool (find_step (f, "End-to-end load test"), UPG_SOP_STEP_REQUIRED, FALSE);
  upg_sop_progress (f->steps, NULL, &p);
  g_assert_cmpuint (p.total, ==, 6);
  g_assert_cmpuint (p.required_total, ==, 5);

  g_assert_cmpstr (upg_sop_display_phases ()[0], ==, "rollback");
  g_assert_cmpstr (upg_sop_display_phases ()[1], ==, "planning");
  g_assert_cmpuint (g_strv_length ((char **) upg_sop_display_phases ()), ==, 9);
}

static void
test_check_uncheck (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UpgRecord *step = find_step (f, "Rollback rehearsed");
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;
  g_autofree char *h3 = NULL;

  g_assert_false (upg_sop_step_is_done (step));

  /* Nobody named: nothing happens. */
  g_assert_false (upg_sop_check (f->store, f->steps, step, " ", "2026-12-05T01:10:00Z", NULL, &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NEEDS_ACTOR);
  g_clear_error (&error);

  g_assert_true (upg_sop_check (f->store, f->steps, step, "Mei Lin", "2026-12-05T01:10:00Z", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (upg_sop_step_is_done (step));
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT), ==, "2026-12-05T01:10:00Z");
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY), ==, "Mei Lin");

  /* Checking twice is refused, saying by whom and when (in the project's
   * zone, named; with the date as it is not today there). */
  g_assert_false (upg_sop_check (f->store, f->steps, step, "Mei Lin", NULL, NULL, &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Step 2 was checked by Mei Lin at 2026-12-05 09:10 (Asia/Shanghai)");
  g_clear_error (&error);

  /* Unchecking needs a reason. */
  g_assert_false (upg_sop_uncheck (f->store, step, "Jonas Berg", "2026-12-05T01:20:00Z", "  ", &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NEEDS_REASON);
  g_clear_error (&error);
  g_assert_true (upg_sop_step_is_done (step));

  reopen (f);
  step = find_step (f, "Rollback rehearsed");
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY), ==, "Mei Lin");
  h1 = history (f, step);
  g_assert_cmpstr (h1, ==, "check Mei Lin 2026-12-05T01:10:00Z ");

  g_assert_true (upg_sop_uncheck (f->store, step, "Jonas Berg", "2026-12-05T01:20:00Z",
                                  "Restore took 14 minutes", &error));
  g_assert_no_error (error);
  g_assert_false (upg_sop_step_is_done (step));
  g_assert_null (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT));
  g_assert_null (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY));

  g_assert_false (upg_sop_uncheck (f->store, step, "Jonas Berg", NULL, "again", &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Step 2 was unchecked by Jonas Berg at 2026-12-05 09:20 (Asia/Shanghai)");
  g_clear_error (&error);

  reopen (f);
  step = find_step (f, "Rollback rehearsed");
  g_assert_false (upg_sop_step_is_done (step));
  h2 = history (f, step);
  g_assert_cmpstr (h2, ==, "check Mei Lin 2026-12-05T01:10:00Z  | "
                           "uncheck Jonas Berg 2026-12-05T01:20:00Z Restore took 14 minutes");

  /* A time of now when none is given, in the canonical form. */
  g_assert_true (upg_sop_check (f->store, f->steps, step, "Mei Lin", NULL, NULL, &error));
  g_assert_no_error (error);
  h3 = history (f, step);
  g_assert_true (g_str_has_prefix (h3, h2));
  g_assert_true (g_str_has_suffix (h3, "| check Mei Lin 2026-11-25T12:00:00Z "));   /* UPG_NOW */
}

/* Issue 18: every change of a step's state is a compare-and-set in the write
 * transaction. A second connection to the file (another program) saw the
 * step as it was before the first one changed it: its write is refused,
 * says who did what when, and its record shows the file's state. */
static void
test_compare_and_set (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) other = upg_store_open (f->path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) other_project = NULL;
  g_autoptr(UpgStepState) state = NULL;
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  UpgRecord *step = find_step (f, "Rollback rehearsed");
  UpgRecord *seen;
  GListModel *other_steps, *seen_history;
  g_autofree char *h = NULL;

  g_assert_no_error (error);
  other_project = upg_store_lookup_project (other, 1, &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load_children (other, UPG_RECORD (other_project), &error));
  other_steps = upg_record_get_children (UPG_RECORD (other_project), &upg_entity_sop_step);
  seen = g_list_model_get_item (other_steps, 1);
  g_object_unref (seen);   /* the list holds it */
  seen_history = upg_record_get_children (seen, &upg_entity_sop_event);
  g_assert_cmpuint (g_list_model_get_n_items (seen_history), ==, 0);

  /* The file's state, as the store reads it. */
  state = upg_store_read_step_state (other, seen, &error);
  g_assert_no_error (error);
  g_assert_true (state->exists);
  g_assert_null (state->checked_at);
  g_assert_null (state->last_mark);
  g_assert_cmpuint (state->number, ==, 2);
  g_assert_cmpstr (state->time_zone, ==, "Asia/Shanghai");
  g_assert_true (upg_step_state_matches (state, seen));
  g_clear_pointer (&state, upg_step_state_free);

  /* Mei Lin checks through the fixture's connection… */
  g_assert_true (upg_sop_check (f->store, f->steps, step, "Mei Lin", NULL, NULL, &error));
  g_assert_no_error (error);
  state = upg_store_read_step_state (other, seen, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (state->checked_at, ==, "2026-11-25T12:00:00Z");
  g_assert_cmpstr (state->last_mark->actor, ==, "Mei Lin");
  g_assert_false (upg_step_state_matches (state, seen));

  /* …and Ana Souza, who saw it unchecked, is refused: nothing written,
   * her record now shows Mei Lin's check, history and all (in the same
   * list object the views hold). */
  g_assert_false (upg_sop_check (other, other_steps, seen, "Ana Souza", NULL, NULL, &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_CHANGED);
  g_assert_cmpstr (error->message, ==, "Step 2 was checked by Mei Lin at 20:00 (Asia/Shanghai)");
  g_clear_error (&error);
  g_assert_cmpstr (upg_record_get_string (seen, UPG_SOP_STEP_CHECKED_BY), ==, "Mei Lin");
  g_assert_cmpstr (upg_record_get_string (seen, UPG_SOP_STEP_CHECKED_AT), ==, "2026-11-25T12:00:00Z");
  g_assert_true (upg_record_get_children (seen, &upg_entity_sop_event) == seen_history);
  g_assert_cmpuint (g_list_model_get_n_items (seen_history), ==, 1);
  h = history (f, step);
  g_assert_cmpstr (h, ==, "check Mei Lin 2026-11-25T12:00:00Z ");
  g_clear_pointer (&h, g_free);

  /* Jonas unchecks through the fixture's connection; the other one still
   * shows the check, so its uncheck is refused and it follows. */
  g_assert_true (upg_sop_uncheck (f->store, step, "Jonas Berg", "2026-11-25T12:05:00Z", "not rehearsed on prod data", &error));
  g_assert_no_error (error);
  g_assert_false (upg_sop_uncheck (other, seen, "Ana Souza", NULL, "wrong box", &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_CHANGED);
  g_assert_cmpstr (error->message, ==, "Step 2 was unchecked by Jonas Berg at 20:05 (Asia/Shanghai)");
  g_clear_error (&error);
  g_assert_null (upg_record_get_string (seen, UPG_SOP_STEP_CHECKED_AT));
  g_assert_cmpuint (g_list_model_get_n_items (seen_history), ==, 2);

  /* A skip of a step checked in the meantime is refused the same way. */
  g_assert_true (upg_sop_check (f->store, f->steps, step, "Mei Lin", "2026-11-25T12:10:00Z", NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_add (one, seen);
  g_assert_false (upg_sop_skip (other, one, "Ana Souza", NULL, "not needed", &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_CHANGED);
  g_assert_cmpstr (error->message, ==, "Step 2 was checked by Mei Lin at 20:10 (Asia/Shanghai)");
  g_clear_error (&error);
  /* And once it shows the check, a skip is refused as it stands. */
  g_assert_false (upg_sop_skip (other, one, "Ana Souza", NULL, "not needed", &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_INVALID);
  g_clear_error (&error);

  /* What the other connection now sees is current: its uncheck goes through. */
  g_assert_true (upg_sop_uncheck (other, seen, "Ana Souza", "2026-11-25T12:15:00Z", "wrong box", &error));
  g_assert_no_error (error);
  reopen (f);
  step = find_step (f, "Rollback rehearsed");
  g_assert_false (upg_sop_step_is_done (step));
  h = history (f, step);
  g_assert_cmpstr (h, ==, "check Mei Lin 2026-11-25T12:00:00Z  | "
                          "uncheck Jonas Berg 2026-11-25T12:05:00Z not rehearsed on prod data | "
                          "check Mei Lin 2026-11-25T12:10:00Z  | "
                          "uncheck Ana Souza 2026-11-25T12:15:00Z wrong box");
}

static void
test_readiness (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) blockers = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) after = NULL;
  UpgRecord *canary = find_step (f, CANARY);
  g_autofree char *h = NULL;
  g_autofree char *hc = NULL;
  g_autofree char *hn = NULL;

  /* Only steps of the guarded phase have blockers. */
  none = upg_sop_readiness_blockers (f->store, f->steps, find_step (f, "Advance notice sent to customers"));
  g_assert_cmpuint (none->len, ==, 0);

  blockers = upg_sop_readiness_blockers (f->store, f->steps, canary);
  g_assert_cmpuint (blockers->len, ==, 3);
  g_assert_true (g_ptr_array_index (blockers, 0) == find_step (f, "Rollback rehearsed"));
  g_assert_true (g_ptr_array_index (blockers, 1) == find_step (f, "Release built by CI with a unique version id"));
  g_assert_true (g_ptr_array_index (blockers, 2) == find_step (f, "End-to-end load test"));

  /* Not ready: refused and nothing written. */
  g_assert_false (upg_sop_check (f->store, f->steps, canary, "Jonas Berg", "2026-12-05T01:30:00Z", NULL, &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NOT_READY);
  g_clear_error (&error);
  g_assert_false (upg_sop_check (f->store, f->steps, canary, "Jonas Berg", "2026-12-05T01:30:00Z", "", &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NEEDS_REASON);
  g_clear_error (&error);
  g_assert_false (upg_sop_step_is_done (canary));
  hn = history (f, find_step (f, "Rollback rehearsed"));
  g_assert_cmpstr (hn, ==, "");

  /* An optional step or a done one does not block. */
  upg_record_set_bool (find_step (f, "End-to-end load test"), UPG_SOP_STEP_REQUIRED, FALSE);
  g_assert_true (upg_sop_check (f->store, f->steps, find_step (f, "Rollback rehearsed"),
                                "Jonas Berg", "2026-12-05T01:05:00Z", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&blockers, g_ptr_array_unref);
  blockers = upg_sop_readiness_blockers (f->store, f->steps, canary);
  g_assert_cmpuint (blockers->len, ==, 1);

  /* Confirmed: the skip goes into the blocker's history with the check. */
  g_assert_true (upg_sop_check (f->store, f->steps, canary, "Jonas Berg", "2026-12-05T01:30:00Z",
                                "Build verified by hand", &error));
  g_assert_no_error (error);

  reopen (f);
  canary = find_step (f, CANARY);
  g_assert_true (upg_sop_step_is_done (canary));
  hc = history (f, canary);
  g_assert_cmpstr (hc, ==, "check Jonas Berg 2026-12-05T01:30:00Z ");
  h = history (f, find_step (f, "Release built by CI with a unique version id"));
  g_assert_cmpstr (h, ==, "skip Jonas Berg 2026-12-05T01:30:00Z Build verified by hand");
  g_assert_true (upg_sop_step_is_skipped (f->store, find_step (f, "Release built by CI with a unique version id")));
  g_assert_false (upg_sop_step_is_skipped (f->store, find_step (f, "End-to-end load test")));

  /* Skipped steps no longer block a later gray-release step. */
  after = upg_sop_readiness_blockers (f->store, f->steps, canary);
  g_assert_cmpuint (after->len, ==, 0);
}

static void
test_skip (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) blockers = upg_sop_readiness_blockers (f->store, f->steps, find_step (f, CANARY));
  g_autofree char *h = NULL;

  g_assert_false (upg_sop_skip (f->store, blockers, "Ana Souza", NULL, NULL, &error));
  g_assert_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NEEDS_REASON);
  g_clear_error (&error);

  g_assert_true (upg_sop_skip (f->store, blockers, "Ana Souza", "2026-12-05T01:00:00Z", "Go/no-go", &error));
  g_assert_no_error (error);
  h = history (f, find_step (f, "End-to-end load test"));
  g_assert_cmpstr (h, ==, "skip Ana Souza 2026-12-05T01:00:00Z Go/no-go");
}

static void
test_move (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *g = NULL;

  /* Within a phase. */
  g_assert_true (upg_sop_move_step (f->store, f->steps, find_step (f, "Rollback rehearsed"),
                                    "preparation", 0, &error));
  g_assert_no_error (error);
  a = phase_titles (f, "preparation");
  g_assert_cmpstr (a, ==, "Rollback rehearsed;Staging mirrors production");

  /* Across phases, into the middle of one and into an empty one. */
  g_assert_true (upg_sop_move_step (f->store, f->steps, find_step (f, "End-to-end load test"),
                                    "preparation", 1, &error));
  g_assert_no_error (error);
  g_assert_true (upg_sop_move_step (f->store, f->steps, find_step (f, "Rollback rehearsed"),
                                    "rollback", -1, &error));
  g_assert_no_error (error);
  g_assert_true (upg_sop_move_step (f->store, f->steps, find_step (f, "Advance notice sent to customers"),
                                    "planning", 5, &error));
  g_assert_no_error (error);

  reopen (f);
  b = phase_titles (f, "preparation");
  g_assert_cmpstr (b, ==, "End-to-end load test;Staging mirrors production");
  c = phase_titles (f, "rollback");
  g_assert_cmpstr (c, ==, "Rollback rehearsed");
  d = phase_titles (f, "validation");
  g_assert_cmpstr (d, ==, "");
  e = phase_titles (f, "planning");
  g_assert_cmpstr (e, ==, "Advance notice sent to customers");
  /* The list stays in phase order where the moves put it. */
  {
    g_autoptr(UpgRecord) first = g_list_model_get_item (f->steps, 0);
    g_assert_cmpstr (upg_record_get_string (first, UPG_SOP_STEP_TITLE), ==, "Advance notice sent to customers");
  }
  g_assert_cmpstr (upg_record_get_string (find_step (f, "Rollback rehearsed"), UPG_SOP_STEP_PHASE), ==, "rollback");
  /* To the end of its own phase. */
  g_assert_true (upg_sop_move_step (f->store, f->steps, find_step (f, "End-to-end load test"),
                                    "preparation", -1, &error));
  g_assert_no_error (error);
  g = phase_titles (f, "preparation");
  g_assert_cmpstr (g, ==, "Staging mirrors production;End-to-end load test");
}

static void
test_describe (void)
{
  UpgCheckEvent check = { (char *) "check", (char *) "Mei Lin", (char *) "2026-12-05T02:14:00Z", (char *) "" };
  UpgCheckEvent uncheck = { (char *) "uncheck", (char *) "Mei Lin", (char *) "2026-12-05T02:14:00Z", (char *) "Wrong box" };
  UpgCheckEvent skip = { (char *) "skip", (char *) "Ana", (char *) "2026-12-05T02:14:00Z", (char *) "Go" };
  g_autofree char *a = upg_sop_event_describe (&check);
  g_autofree char *b = upg_sop_event_describe (&uncheck);
  g_autofree char *c = upg_sop_event_describe (&skip);
  g_autofree char *t = upg_sop_format_time ("2026-12-05T02:14:00Z", FALSE);
  g_autofree char *local = upg_sop_format_time ("2026-12-05T02:14:00Z", TRUE);
  g_autofree char *none = upg_sop_format_time (NULL, FALSE);

  g_assert_cmpstr (a, ==, "Checked by Mei Lin");
  g_assert_cmpstr (b, ==, "Unchecked by Mei Lin: Wrong box");
  g_assert_cmpstr (c, ==, "Skipped by Ana: Go");
  g_assert_cmpstr (t, ==, "2026-12-05 02:14 UTC");
  g_assert_cmpstr (local, ==, "2026-12-05 02:14 UTC");   /* TZ=UTC in the tests */
  g_assert_cmpstr (none, ==, "");
}

/* Times for the window: the project's zone, named, with the date in the
 * user's locale (C in the tests: 12/05/26), and the user's own zone (UTC in
 * the tests) where its offset differs then. */
static void
test_format_for_user (void)
{
  g_autofree char *shanghai = upg_zone_format_for_user ("2026-12-05T02:14:00Z", "Asia/Shanghai");
  g_autofree char *utc = upg_zone_format_for_user ("2026-12-05T02:14:00Z", "UTC");
  g_autofree char *unknown = upg_zone_format_for_user ("2026-12-05T02:14:00Z", "Mars/Olympus");
  g_autofree char *late = upg_zone_format_for_user ("2026-12-05T20:30:00Z", "Asia/Shanghai");
  g_autofree char *none = upg_zone_format_for_user (NULL, "Asia/Shanghai");
  g_autofree char *iso = upg_zone_format_iso ("2026-12-05T02:14:00Z", "Asia/Shanghai");
  g_autofree char *iso_utc = upg_zone_format_iso ("2026-12-05T02:14:00Z", NULL);

  g_assert_cmpstr (shanghai, ==, "12/05/26 10:14 (Asia/Shanghai) · 12/05/26 02:14 your time (UTC)");
  g_assert_cmpstr (utc, ==, "12/05/26 02:14 (UTC)");
  g_assert_cmpstr (unknown, ==, "12/05/26 02:14 (UTC)");
  g_assert_cmpstr (late, ==, "12/06/26 04:30 (Asia/Shanghai) · 12/05/26 20:30 your time (UTC)");
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (iso, ==, "2026-12-05T10:14:00+08:00");
  g_assert_cmpstr (iso_utc, ==, "2026-12-05T02:14:00Z");
}

/* The window is typed on the clocks of the project's zone: a date that
 * does not exist, a time the clocks skip and a text in another form are
 * refused with the reason; the chooser's zones are the tz database's. */
static void
test_zone_parse_and_list (void)
{
  const char * const *zones = upg_zone_list ();
  char *message = NULL;
  char *value;

  value = upg_zone_parse_local ("2026-12-12 22:00", "Asia/Shanghai", &message);
  g_assert_cmpstr (value, ==, "2026-12-12T14:00:00Z");
  g_free (value);
  value = upg_zone_parse_local ("2026-12-12 22:00", NULL, &message);
  g_assert_cmpstr (value, ==, "2026-12-12T22:00:00Z");
  g_free (value);
  /* Summer in New York: four hours behind UTC. */
  value = upg_zone_parse_local ("2027-07-01 09:30", "America/New_York", &message);
  g_assert_cmpstr (value, ==, "2027-07-01T13:30:00Z");
  g_free (value);

  g_assert_null (upg_zone_parse_local ("2026-02-30 10:00", "Asia/Shanghai", &message));
  g_assert_cmpstr (message, ==, "There is no 2026-02-30 10:00: enter a date and time as YYYY-MM-DD HH:MM.");
  g_clear_pointer (&message, g_free);
  g_assert_null (upg_zone_parse_local ("2026-12-12 24:00", "Asia/Shanghai", &message));
  g_assert_cmpstr (message, ==, "There is no 2026-12-12 24:00: enter a date and time as YYYY-MM-DD HH:MM.");
  g_clear_pointer (&message, g_free);
  g_assert_null (upg_zone_parse_local ("2027-03-14 02:30", "America/New_York", &message));
  g_assert_cmpstr (message, ==, "2027-03-14 02:30 does not exist in America/New_York: the clocks go forward then.");
  g_clear_pointer (&message, g_free);
  g_assert_null (upg_zone_parse_local ("2026-12-12T22:00", "Asia/Shanghai", &message));
  g_assert_cmpstr (message, ==, "Enter a date and time as YYYY-MM-DD HH:MM.");
  g_clear_pointer (&message, g_free);
  g_assert_null (upg_zone_parse_local ("2026-12-1 22:00", "Asia/Shanghai", &message));
  g_assert_cmpstr (message, ==, "Enter a date and time as YYYY-MM-DD HH:MM.");
  g_clear_pointer (&message, g_free);

  g_assert_true (g_strv_contains (zones, "Asia/Shanghai"));
  g_assert_true (g_strv_contains (zones, "America/New_York"));
  g_assert_true (g_strv_contains (zones, "UTC"));
  g_assert_false (g_strv_contains (zones, "Mars/Olympus"));
  g_assert_cmpuint (g_strv_length ((char **) zones), >, 300);
  for (guint i = 1; zones[i] != NULL; i++)
    {
      g_assert_cmpint (strcmp (zones[i - 1], zones[i]), <, 0);
      g_assert_true (upg_zone_is_known (zones[i]));
    }
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add ("/sop/progress", Fixture, NULL, fixture_setup, test_progress, fixture_teardown);
  g_test_add ("/sop/check-uncheck", Fixture, NULL, fixture_setup, test_check_uncheck, fixture_teardown);
  g_test_add ("/sop/compare-and-set", Fixture, NULL, fixture_setup, test_compare_and_set, fixture_teardown);
  g_test_add ("/sop/readiness", Fixture, NULL, fixture_setup, test_readiness, fixture_teardown);
  g_test_add ("/sop/skip", Fixture, NULL, fixture_setup, test_skip, fixture_teardown);
  g_test_add ("/sop/move", Fixture, NULL, fixture_setup, test_move, fixture_teardown);
  g_test_add_func ("/sop/describe", test_describe);
  g_test_add_func ("/sop/format-for-user", test_format_for_user);
  g_test_add_func ("/sop/zone-parse-and-list", test_zone_parse_and_list);
  return g_test_run ();
}
