/* test-checklist-page.c — checking steps through the Checklist page. */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "core/upg-plan.h"
#include "core/upg-sop.h"
#include "upg-checklist-page.h"
#include "upg-resources.h"
#include "upg-test-util.h"
#include "upg-test-widgets.h"
#include "ui/upg-step-editor.h"
#include "ui/upg-step-row.h"

#define CANARY "Canary 5%: watch error rate and latency for 30 minutes"

typedef struct {
  UpgStore   *store;
  UpgProject *project;
  GtkWidget  *window;
  GtkWidget  *page;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plan_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *plan = upg_test_read (plan_path, NULL);
  g_autofree char *path = upg_test_tmpfile ("plan.upgplan");

  f->store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  upg_plan_import (f->store, plan, -1, NULL, &error);
  g_assert_no_error (error);
  f->project = upg_store_lookup_project (f->store, 1, &error);
  g_assert_no_error (error);
  upg_store_load_children (f->store, UPG_RECORD (f->project), &error);
  g_assert_no_error (error);

  f->page = upg_checklist_page_new ();
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (f->window), f->page);
  gtk_window_present (GTK_WINDOW (f->window));
  upg_checklist_page_set_project (UPG_CHECKLIST_PAGE (f->page), f->store, f->project);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_object_add_weak_pointer (G_OBJECT (f->page), (gpointer *) &f->page);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->page);
  g_clear_object (&f->project);
  g_assert_finalize_object (f->store);
}

static UpgRecord *
find_step (Fixture *f, const char *title)
{
  GListModel *steps = upg_record_get_children (UPG_RECORD (f->project), &upg_entity_sop_step);
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      if (g_strcmp0 (upg_record_get_string (step, UPG_SOP_STEP_TITLE), title) == 0)
        return step;
    }
  g_assert_not_reached ();
  return NULL;
}

/* The widget of @type in the page that belongs to @step. */
static GtkWidget *
find_widget (GtkWidget *root, GType type, UpgRecord *step)
{
  /* The step's row (a UpgStepRow), or its check box. */
  if (UPG_IS_STEP_ROW (root) && upg_step_row_get_step (UPG_STEP_ROW (root)) == step)
    return type == GTK_TYPE_CHECK_BUTTON ? GTK_WIDGET (upg_step_row_get_check (UPG_STEP_ROW (root))) : root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, step);
      if (found)
        return found;
    }
  return NULL;
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static GtkWidget *
find_entry (GtkWidget *root)
{
  if (GTK_IS_ENTRY (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry (child);
      if (found)
        return found;
    }
  return NULL;
}

static char *
history (Fixture *f, UpgRecord *step)
{
  g_autoptr(GPtrArray) events = upg_store_list_check_events (f->store, step, NULL);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < events->len; i++)
    {
      UpgCheckEvent *e = g_ptr_array_index (events, i);
      g_string_append_printf (out, "%s%s %s %s", i ? " | " : "", e->action, e->actor, e->reason);
    }
  return g_string_free (out, FALSE);
}

static void
test_check_through_ui (Fixture *f, gconstpointer data)
{
  UpgRecord *step = find_step (f, "Rollback rehearsed");
  GtkWidget *check;
  AdwMessageDialog *dialog;
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;

  upg_checklist_page_set_checker (UPG_CHECKLIST_PAGE (f->page), "Mei Lin");
  check = find_widget (f->page, GTK_TYPE_CHECK_BUTTON, step);
  g_assert_nonnull (check);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));

  /* Check it: the step and its history row are in the file. */
  gtk_widget_activate (check);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY), ==, "Mei Lin");
  g_assert_nonnull (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT));
  h1 = history (f, step);
  g_assert_cmpstr (h1, ==, "check Mei Lin ");

  /* Uncheck it: a reason is asked for, then recorded. */
  gtk_widget_activate (check);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));   /* not until confirmed */
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "uncheck"));
  gtk_editable_set_text (GTK_EDITABLE (find_entry (GTK_WIDGET (dialog))), "Rehearsal took 14 minutes");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "uncheck"));
  adw_message_dialog_response (dialog, "uncheck");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_null (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT));
  h2 = history (f, step);
  g_assert_cmpstr (h2, ==, "check Mei Lin  | uncheck Mei Lin Rehearsal took 14 minutes");
}

static void
collect_rows (GtkWidget *root, GPtrArray *rows)
{
  if (UPG_IS_STEP_ROW (root))
    {
      g_ptr_array_add (rows, root);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

/* ↓ or ↑ as the focused row's list box gets it: the page's key handler
 * first (it crosses phases), else the list box's own move. */
static void
press_arrow (Fixture *f, guint keyval)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
  GtkWidget *list = gtk_widget_get_parent (focus);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (list);
  gboolean handled = FALSE;

  g_assert_true (GTK_IS_LIST_BOX (list));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  if (!handled)
    g_signal_emit_by_name (list, "move-cursor", GTK_MOVEMENT_DISPLAY_LINES, keyval == GDK_KEY_Down ? 1 : -1,
                           FALSE, FALSE);
}

/* Release day by keyboard: every step is one ↓ from the one before, across
 * phases, and back with ↑; Space on the row ticks it and the row keeps the
 * focus; the check box is no stop of its own, the row's buttons are. */
static void
test_keyboard (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  UpgRecord *step = find_step (f, "Rollback rehearsed");
  upg_checklist_page_set_checker (UPG_CHECKLIST_PAGE (f->page), "Mei Lin");
  collect_rows (f->page, rows);
  g_assert_cmpuint (rows->len, ==, 6);
  gtk_widget_grab_focus (rows->pdata[0]);
  for (guint i = 1; i < rows->len; i++)
    {
      g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (upg_step_row_get_check (rows->pdata[i]))));
      press_arrow (f, GDK_KEY_Down);
      g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == rows->pdata[i]);
    }
  for (guint i = rows->len - 1; i > 0; i--)
    {
      press_arrow (f, GDK_KEY_Up);
      g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == rows->pdata[i - 1]);
    }

  /* Space on "Rollback rehearsed" ticks it. */
  gtk_widget_grab_focus (find_widget (f->page, UPG_TYPE_STEP_ROW, step));
  g_signal_emit_by_name (gtk_root_get_focus (GTK_ROOT (f->window)), "activate");
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY), ==, "Mei Lin");
  upg_test_drain ();
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == find_widget (f->page, UPG_TYPE_STEP_ROW, step));

  /* Its History and Actions buttons are the row's own stops (Tab or →
   * from the row goes into them, as GtkListBoxRow does; a window without
   * a window manager is never active, so GTK does not move focus here). */
  {
    GtkWidget *row = find_widget (f->page, UPG_TYPE_STEP_ROW, step);
    GtkWidget *history_button = upg_step_row_get_history_button (UPG_STEP_ROW (row));

    g_assert_true (gtk_widget_get_focusable (history_button));
    g_assert_true (gtk_widget_is_ancestor (history_button, row));
    g_assert_true (gtk_widget_grab_focus (history_button));
  }
}

/* The label under @root whose text is @text, or NULL. */
static GtkWidget *
find_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);
      if (found)
        return found;
    }
  return NULL;
}

/* Issue 18: another program (here a second connection to the file) checks
 * the step the page still shows unchecked. The page's check is refused in
 * its write transaction: the toast says who checked it when, in the
 * project's zone, and the row shows the newer state. */
static void
test_check_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) other = upg_store_open (upg_store_get_path (f->store), UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) other_project = NULL;
  g_autoptr(UpgRecord) other_step = NULL;
  UpgRecord *step = find_step (f, "Rollback rehearsed");
  GtkWidget *check, *row;
  g_autofree char *h = NULL;

  g_assert_no_error (error);
  other_project = upg_store_lookup_project (other, 1, &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load_children (other, UPG_RECORD (other_project), &error));
  other_step = g_list_model_get_item (upg_record_get_children (UPG_RECORD (other_project), &upg_entity_sop_step), 1);
  g_assert_true (upg_sop_check (other, upg_record_get_children (UPG_RECORD (other_project), &upg_entity_sop_step),
                                other_step, "Ana Souza", NULL, NULL, &error));
  g_assert_no_error (error);

  upg_checklist_page_set_checker (UPG_CHECKLIST_PAGE (f->page), "Mei Lin");
  check = find_widget (f->page, GTK_TYPE_CHECK_BUTTON, step);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_widget_activate (check);

  g_assert_nonnull (find_label (f->page, "Step 2 was checked by Ana Souza at 20:00 (Asia/Shanghai)"));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY), ==, "Ana Souza");
  row = find_widget (f->page, ADW_TYPE_ACTION_ROW, step);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Checked by Ana Souza at "));
  /* In the project's zone, named, and in the user's (UTC in the tests). */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            " 20:00 (Asia/Shanghai) · "));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), " 12:00 your time (UTC)"));
  h = history (f, step);
  g_assert_cmpstr (h, ==, "check Ana Souza ");
}

static void
test_readiness_through_ui (Fixture *f, gconstpointer data)
{
  UpgRecord *canary = find_step (f, CANARY);
  GtkWidget *check;
  AdwMessageDialog *dialog;
  g_autofree char *h = NULL;
  g_autofree char *hc = NULL;

  upg_checklist_page_set_checker (UPG_CHECKLIST_PAGE (f->page), "Jonas Berg");
  check = find_widget (f->page, GTK_TYPE_CHECK_BUTTON, canary);
  gtk_widget_activate (check);
  g_assert_false (upg_sop_step_is_done (canary));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (find_entry (GTK_WIDGET (dialog))), "Go/no-go: accepted");
  adw_message_dialog_response (dialog, "skip");

  g_assert_true (upg_sop_step_is_done (canary));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  hc = history (f, canary);
  g_assert_cmpstr (hc, ==, "check Jonas Berg ");
  h = history (f, find_step (f, "End-to-end load test"));
  g_assert_cmpstr (h, ==, "skip Jonas Berg Go/no-go: accepted");
}

/* Issue 18: Enter in the gate's reason does what the dialog is for, with
 * the reason; with no reason typed it does nothing (and loses nothing). */
static void
test_readiness_enter (Fixture *f, gconstpointer data)
{
  UpgRecord *canary = find_step (f, CANARY);
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  g_autofree char *h = NULL;

  upg_checklist_page_set_checker (UPG_CHECKLIST_PAGE (f->page), "Jonas Berg");
  gtk_widget_activate (find_widget (f->page, GTK_TYPE_CHECK_BUTTON, canary));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  entry = find_entry (GTK_WIDGET (dialog));

  /* Enter without a reason: the dialog stays, nothing is written. */
  g_signal_emit_by_name (entry, "activate");
  upg_test_drain ();
  g_assert_true (find_dialog () == dialog);
  g_assert_false (upg_sop_step_is_done (canary));

  gtk_editable_set_text (GTK_EDITABLE (entry), "Go/no-go: accepted");
  g_signal_emit_by_name (entry, "activate");
  upg_test_drain ();
  g_assert_null (find_dialog ());
  g_assert_true (upg_sop_step_is_done (canary));
  g_assert_cmpstr (upg_record_get_string (canary, UPG_SOP_STEP_CHECKED_BY), ==, "Jonas Berg");
  h = history (f, find_step (f, "Rollback rehearsed"));
  g_assert_cmpstr (h, ==, "skip Jonas Berg Go/no-go: accepted");
}

/* Issue 18: a step's menu has Skip… and Uncheck…, each asking for the
 * reason (Enter gives it), as the command line does. */
static void
test_menu_skip_and_uncheck (Fixture *f, gconstpointer data)
{
  UpgRecord *step = find_step (f, "Rollback rehearsed");
  GtkWidget *row = find_widget (f->page, UPG_TYPE_STEP_ROW, step);
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  g_autofree char *h = NULL;

  upg_checklist_page_set_checker (UPG_CHECKLIST_PAGE (f->page), "Mei Lin");

  /* Not checked: Uncheck… does nothing. */
  gtk_widget_activate_action (row, "step.uncheck", NULL);
  upg_test_drain ();
  g_assert_null (find_dialog ());

  gtk_widget_activate_action (row, "step.skip", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Skip Step?");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "skip"));
  entry = find_entry (GTK_WIDGET (dialog));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Staging is down");
  g_signal_emit_by_name (entry, "activate");
  upg_test_drain ();
  g_assert_null (find_dialog ());
  g_assert_false (upg_sop_step_is_done (step));
  g_assert_nonnull (find_label (f->page, "“Rollback rehearsed” skipped: Staging is down"));
  h = history (f, step);
  g_assert_cmpstr (h, ==, "skip Mei Lin Staging is down");
  g_clear_pointer (&h, g_free);

  /* Checked: Skip… does nothing, Uncheck… asks why. */
  gtk_widget_activate (find_widget (f->page, GTK_TYPE_CHECK_BUTTON, step));
  g_assert_true (upg_sop_step_is_done (step));
  gtk_widget_activate_action (row, "step.skip", NULL);
  upg_test_drain ();
  g_assert_null (find_dialog ());
  gtk_widget_activate_action (row, "step.uncheck", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Uncheck Step?");
  gtk_editable_set_text (GTK_EDITABLE (find_entry (GTK_WIDGET (dialog))), "Rehearse again");
  g_signal_emit_by_name (find_entry (GTK_WIDGET (dialog)), "activate");
  upg_test_drain ();
  g_assert_false (upg_sop_step_is_done (step));
  h = history (f, step);
  g_assert_cmpstr (h, ==, "skip Mei Lin Staging is down | check Mei Lin  | uncheck Mei Lin Rehearse again");
}

/* What a response button does: the response, and the dialog closes. */
static void
respond (AdwMessageDialog *dialog, const char *response)
{
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  upg_test_drain ();
}

/* Issue 18: Start Rollback, then Service Restored, in the rollback phase's
 * header; the times are the project's and the phase says where it is. */
static void
test_rollback_button (Fixture *f, gconstpointer data)
{
  GtkWidget *button = upg_test_find_named (f->page, "rollback-button");
  AdwMessageDialog *dialog;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Start Rollback");

  /* Cancelled: nothing recorded. */
  g_signal_emit_by_name (button, "clicked");
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Start Rollback?");
  respond (dialog, "cancel");
  g_assert_null (upg_record_get_string (UPG_RECORD (f->project), UPG_PROJECT_ROLLBACK_STARTED_AT));

  g_signal_emit_by_name (button, "clicked");
  respond (find_dialog (), "start");
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (f->project), UPG_PROJECT_ROLLBACK_STARTED_AT), ==, "2026-11-25T12:00:00Z");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Service Restored");
  g_assert_nonnull (find_label (f->page, "Restore service within 10 minutes · No steps\n"
                                         "Rolling back since 2026-11-25 20:00 (Asia/Shanghai)"));

  upg_test_set_now ("2026-11-25T12:12:00Z");
  g_signal_emit_by_name (button, "clicked");
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Service Restored?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "The time now is recorded as when service was restored, ending the rollback that began at "
                   "2026-11-25 20:00 (Asia/Shanghai).");
  respond (dialog, "end");
  upg_test_set_now (UPG_TEST_NOW);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (f->project), UPG_PROJECT_ROLLBACK_ENDED_AT), ==, "2026-11-25T12:12:00Z");
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_nonnull (find_label (f->page, "Restore service within 10 minutes · No steps\n"
                                         "Rolled back in 12 min; service restored at 2026-11-25 20:12 (Asia/Shanghai)"));
}

/* Issue 18: on release day the checklist shows how to reach the team. */
static void
test_on_call (Fixture *f, gconstpointer data)
{
  GtkWidget *group = upg_test_find_named (f->page, "on-call");

  /* The day before: not shown. */
  g_assert_nonnull (group);
  g_assert_false (gtk_widget_get_visible (group));

  /* The window is 09:00–11:00 in Shanghai on 2026-12-05. */
  upg_test_set_now ("2026-12-05T00:30:00Z");
  upg_checklist_page_set_project (UPG_CHECKLIST_PAGE (f->page), f->store, f->project);
  upg_test_set_now (UPG_TEST_NOW);
  group = upg_test_find_named (f->page, "on-call");
  g_assert_true (gtk_widget_get_visible (group));
  g_assert_nonnull (find_label (group, "+49 30 5550 0103 (on call)"));
  g_assert_nonnull (find_label (group, "+86 21 5550 0101"));
  g_assert_nonnull (find_label (group, "+86 21 5550 0102"));
  /* Priya Raman has no phone. */
  g_assert_null (find_label (group, "Priya Raman"));
  g_assert_nonnull (find_label (group, "Jonas Berg"));
}

static void
test_move_and_delete (Fixture *f, gconstpointer data)
{
  UpgRecord *step = find_step (f, "Rollback rehearsed");
  GListModel *steps = upg_record_get_children (UPG_RECORD (f->project), &upg_entity_sop_step);
  g_autoptr(GPtrArray) prep = NULL;
  g_autoptr(GPtrArray) build = NULL;
  GtkWidget *row = find_widget (f->page, ADW_TYPE_ACTION_ROW, step);

  /* Move up within the phase, then down past its end into the next phase. */
  g_assert_true (gtk_widget_activate_action (row, "step.move-up", NULL));
  prep = upg_sop_steps_in_phase (steps, "preparation");
  g_assert_true (g_ptr_array_index (prep, 0) == step);

  row = find_widget (f->page, ADW_TYPE_ACTION_ROW, step);
  g_assert_true (gtk_widget_activate_action (row, "step.move-down", NULL));
  row = find_widget (f->page, ADW_TYPE_ACTION_ROW, step);
  g_assert_true (gtk_widget_activate_action (row, "step.move-down", NULL));
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_PHASE), ==, "build");
  build = upg_sop_steps_in_phase (steps, "build");
  g_assert_true (g_ptr_array_index (build, 0) == step);

  /* Delete. */
  row = find_widget (f->page, ADW_TYPE_ACTION_ROW, step);
  g_assert_true (gtk_widget_activate_action (row, "step.delete", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 5);
  g_assert_null (find_widget (f->page, ADW_TYPE_ACTION_ROW, step));
}

/* The step editor (a template class) adds a step where it was asked. */
static void
test_step_editor (Fixture *f, gconstpointer data)
{
  GListModel *steps = upg_record_get_children (UPG_RECORD (f->project), &upg_entity_sop_step);
  guint before = g_list_model_get_n_items (steps);
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */
  UpgStepEditor *editor = NULL;
  GtkWidget *title = NULL;
  g_autoptr(UpgRecord) added = NULL;

  gtk_widget_activate_action (f->page, "checklist.add", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && editor == NULL; i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (UPG_IS_STEP_EDITOR (w))
        editor = UPG_STEP_EDITOR (w);
    }
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "New Step");
  title = gtk_window_get_focus (GTK_WINDOW (editor));
  g_assert_nonnull (title);
  title = gtk_widget_get_ancestor (title, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (title);
  gtk_editable_set_text (GTK_EDITABLE (title), "Smoke-test the payment API");
  g_signal_emit_by_name (editor, "save");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, before + 1);
  for (guint i = 0; i < g_list_model_get_n_items (steps) && added == NULL; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      if (g_strcmp0 (upg_record_get_string (step, UPG_SOP_STEP_TITLE), "Smoke-test the payment API") == 0)
        added = g_object_ref (step);
    }
  g_assert_nonnull (added);
  g_assert_cmpstr (upg_record_get_string (added, UPG_SOP_STEP_PHASE), ==, "preparation");
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);
  /* No accessibility bus in the test session. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* The test machine's gdk-pixbuf cannot load the symbolic SVG icons in the
   * isolated test session and warns; criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gtk_init ();
  adw_init ();
  g_resources_register (upg_get_resource ());

  g_test_add ("/checklist-page/check", Fixture, NULL, fixture_setup, test_check_through_ui, fixture_teardown);
  g_test_add ("/checklist-page/check-refused", Fixture, NULL, fixture_setup, test_check_refused, fixture_teardown);
  g_test_add ("/checklist-page/readiness", Fixture, NULL, fixture_setup, test_readiness_through_ui, fixture_teardown);
  g_test_add ("/checklist-page/readiness-enter", Fixture, NULL, fixture_setup, test_readiness_enter, fixture_teardown);
  g_test_add ("/checklist-page/menu-skip-uncheck", Fixture, NULL, fixture_setup, test_menu_skip_and_uncheck, fixture_teardown);
  g_test_add ("/checklist-page/rollback", Fixture, NULL, fixture_setup, test_rollback_button, fixture_teardown);
  g_test_add ("/checklist-page/on-call", Fixture, NULL, fixture_setup, test_on_call, fixture_teardown);
  g_test_add ("/checklist-page/move-delete", Fixture, NULL, fixture_setup, test_move_and_delete, fixture_teardown);
  g_test_add ("/checklist-page/keyboard", Fixture, NULL, fixture_setup, test_keyboard, fixture_teardown);
  g_test_add ("/checklist-page/step-editor", Fixture, NULL, fixture_setup, test_step_editor, fixture_teardown);
  return g_test_run ();
}
