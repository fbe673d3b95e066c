/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-notifications-page.c — the Notifications section: the grid of
 * moments × groups, the draft view and the group editor, driven as a user. */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "core/upg-notify.h"
#include "core/upg-plan.h"
#include "core/upg-sop.h"
#include "upg-notice-draft.h"
#include "upg-notifications-page.h"
#include "upg-resources.h"
#include "upg-test-util.h"

typedef struct {
  UpgStore   *store;
  UpgProject *project;
  GtkWidget  *window;
  GtkWidget  *page;
} Fixture;

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

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

  f->page = upg_notifications_page_new ();
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (f->window), f->page);
  gtk_window_present (GTK_WINDOW (f->window));
  upg_notifications_page_set_project (UPG_NOTIFICATIONS_PAGE (f->page), f->store, f->project);
  spin ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_object_add_weak_pointer (G_OBJECT (f->page), (gpointer *) &f->page);
  gtk_window_destroy (GTK_WINDOW (f->window));
  spin ();
  g_assert_null (f->page);
  g_clear_object (&f->project);
  g_assert_finalize_object (f->store);
}

static UpgNotificationsPage *
page (Fixture *f)
{
  return UPG_NOTIFICATIONS_PAGE (f->page);
}

static char *
accessible_label (GtkWidget *widget)
{
  /* The tooltip carries the same sentence as the accessible name. */
  return gtk_widget_get_tooltip_text (widget) ? g_strdup (gtk_widget_get_tooltip_text (widget)) : NULL;
}

static UpgRecord *
child (Fixture *f, const UpgEntity *entity, guint i)
{
  g_autoptr(UpgRecord) record = g_list_model_get_item (upg_record_get_children (UPG_RECORD (f->project), entity), i);
  return record;
}

static void
test_grid (Fixture *f, gconstpointer data)
{
  g_autofree char *rows = upg_notifications_page_describe_rows (page (f));
  GtkWidget *prepared = upg_notifications_page_get_cell (page (f), "advance_notice", "Customers");
  GtkWidget *open = upg_notifications_page_get_cell (page (f), "advance_notice", "Support");
  GtkWidget *untold = upg_notifications_page_get_cell (page (f), "reminder", "Support");
  g_autofree char *prepared_label = accessible_label (prepared);
  g_autofree char *open_label = accessible_label (open);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  UpgRecord *gray = child (f, &upg_entity_sop_step, 4);
  GtkWidget *started;

  g_assert_cmpstr (rows, ==, "advance_notice reminder started completed delayed rolled_back retrospective cancelled");
  g_assert_true (GTK_IS_BUTTON (prepared));
  g_assert_nonnull (strstr (prepared_label, "Advance notice for Customers: Prepared"));
  g_assert_true (g_str_has_suffix (prepared_label, ", .eml file"));
  g_assert_cmpstr (open_label, ==, "Advance notice for Support: Not prepared, Open the draft");
  g_assert_true (GTK_IS_LABEL (untold));
  /* A moment that does not fit the project now says why (the project is
   * preparing, the window ahead). */
  {
    g_autofree char *completed = accessible_label (upg_notifications_page_get_cell (page (f), "completed", "Customers"));
    g_autofree char *started_before = accessible_label (upg_notifications_page_get_cell (page (f), "started", "Support"));

    g_assert_cmpstr (completed, ==, "Completed for Customers: Not prepared; not now: "
                                    "The project’s status is “Preparing”: the upgrade is not complete");
    g_assert_cmpstr (started_before, ==, "Started for Support: Not prepared; not now: "
                                         "The window starts at 2026-12-05 09:00 (Asia/Shanghai): the upgrade has not started yet");
  }
  for (guint i = 0; upg_moments[i] != NULL; i++)
    for (guint j = 0; j < 2; j++)
      g_assert_nonnull (upg_notifications_page_get_cell (page (f), upg_moments[i], j ? "Support" : "Customers"));

  /* The gray release starts: "started" moves up and asks for a notice. */
  upg_sop_check (f->store, upg_record_get_children (UPG_RECORD (f->project), &upg_entity_sop_step),
                 gray, "Jonas Berg", NULL, "test", &error);
  g_assert_no_error (error);
  spin ();
  after = upg_notifications_page_describe_rows (page (f));
  g_assert_cmpstr (after, ==, "started advance_notice reminder completed delayed rolled_back retrospective cancelled");
  started = upg_notifications_page_get_cell (page (f), "started", "Customers");
  g_assert_true (gtk_widget_has_css_class (started, "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (upg_notifications_page_get_cell (page (f), "completed", "Customers"),
                                            "suggested-action"));
}

static UpgNoticeDraft *
open_draft (Fixture *f, const char *moment, const char *group)
{
  GtkWidget *cell = upg_notifications_page_get_cell (page (f), moment, group);
  GtkWindow *draft;

  g_assert_true (GTK_IS_BUTTON (cell));
  g_signal_emit_by_name (cell, "clicked");
  spin ();
  draft = upg_notifications_page_get_draft (page (f));
  g_assert_true (UPG_IS_NOTICE_DRAFT (draft));
  g_assert_true (gtk_window_get_transient_for (draft) == GTK_WINDOW (f->window));
  return UPG_NOTICE_DRAFT (draft);
}

static GtkWidget *
find_by_type (GtkWidget *root, GType type, guint skip)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, root);
  while (stack->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, 0);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && skip-- == 0)
        return w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  return NULL;
}

static GtkWidget *
find_titled (GtkWidget *root, const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_titled (c, title);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);
      if (found)
        return found;
    }
  return NULL;
}

static void
test_draft (Fixture *f, gconstpointer data)
{
  UpgNoticeDraft *draft = open_draft (f, "advance_notice", "Support");
  g_autofree char *problems = upg_notice_draft_describe_problems (draft);
  g_autofree char *eml = upg_test_tmpfile ("support.eml");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *cell;
  g_autofree char *label = NULL;

  g_assert_cmpstr (upg_notice_draft_get_subject (draft), ==, "计划维护通知：Billing service 4.2 upgrade（2026年12月5日（星期六））");
  g_assert_cmpstr (problems, ==, "");
  g_assert_true (upg_notice_draft_can_send (draft));

  /* Saving writes the message and logs the notice; the grid shows it. */
  upg_notice_draft_save_to (draft, eml, &error);
  g_assert_no_error (error);
  contents = upg_test_read (eml, NULL);
  g_assert_true (g_str_has_prefix (contents, "Date: "));
  g_assert_nonnull (strstr (contents, "\r\nBcc: support@example.org, oncall@example.org\r\n"));
  g_assert_nonnull (strstr (contents, "Content-Type: text/calendar"));
  spin ();
  cell = upg_notifications_page_get_cell (page (f), "advance_notice", "Support");
  label = accessible_label (cell);
  g_assert_true (g_str_has_prefix (label, "Advance notice for Support: Prepared"));
  gtk_window_destroy (GTK_WINDOW (draft));
  spin ();
  g_assert_null (upg_notifications_page_get_draft (page (f)));
}

static void
test_draft_all_groups (Fixture *f, gconstpointer data)
{
  /* The moment's own button: one message for every group that hears it. */
  UpgNoticeDraft *draft = open_draft (f, "advance_notice", NULL);

  g_assert_cmpstr (upg_notice_draft_get_subject (draft), ==,
                   "Planned maintenance: Billing service 4.2 upgrade on Saturday 5 December 2026, 09:00 CST (UTC+08:00)"
                   " / 计划维护通知：Billing service 4.2 upgrade（2026年12月5日（星期六））");
  g_assert_true (upg_notice_draft_can_send (draft));
  /* One message a group: saved as a mailbox; a mail app takes one at a time. */
  {
    g_autofree char *mbox = upg_test_tmpfile ("advance.mbox");
    g_autofree char *contents = NULL;
    g_autoptr(GError) error = NULL;
    GtkWidget *mail = find_button (GTK_WIDGET (draft), "Open in _Mail App");

    upg_notice_draft_save_to (draft, mbox, &error);
    g_assert_no_error (error);
    contents = upg_test_read (mbox, NULL);
    g_assert_true (g_str_has_prefix (contents, "From ana@example.org "));
    g_assert_nonnull (strstr (contents, "\r\n\r\nFrom ana@example.org "));
    g_assert_nonnull (mail);
    g_assert_false (gtk_widget_get_sensitive (mail));
  }

  /* Two languages: the template of either may be edited. */
  {
    GtkWidget *dropdown = find_by_type (GTK_WIDGET (draft), GTK_TYPE_DROP_DOWN, 0);
    GtkWidget *subject = find_titled (GTK_WIDGET (draft), "Subject Template");

    g_assert_true (gtk_widget_get_visible (dropdown));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (subject)), ==,
                     "Planned maintenance: {{ project.name }} on {{ window.start }}");
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 1);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (subject)), ==,
                     "计划维护通知：{{project.name}}（{{window.start_date}}）");
    /* Showing the built-in one writes nothing. */
    g_assert_null (upg_notify_find_template (f->project, "advance_notice", "zh_CN"));
  }
  gtk_window_destroy (GTK_WINDOW (draft));
}

static void
test_draft_checks (Fixture *f, gconstpointer data)
{
  UpgNoticeDraft *draft;
  g_autofree char *problems = NULL;
  GtkWidget *sw;

  upg_record_set_string (UPG_RECORD (f->project), UPG_PROJECT_IMPACT, "");
  spin ();
  draft = open_draft (f, "started", "Customers");
  problems = upg_notice_draft_describe_problems (draft);
  /* The moment does not fit yet (the window is ahead), and the impact is empty. */
  g_assert_cmpstr (problems, ==, "The window starts at 2026-12-05 09:00 (Asia/Shanghai): the upgrade has not started yet\n"
                                 "The expected impact is empty: describe what users will notice in Overview\nSend Anyway");
  g_assert_false (upg_notice_draft_can_send (draft));

  /* Overridden explicitly: the ways out open. */
  sw = find_by_type (GTK_WIDGET (draft), GTK_TYPE_SWITCH, 0);
  g_assert_nonnull (sw);
  gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
  spin ();
  g_assert_true (upg_notice_draft_can_send (draft));
  gtk_window_destroy (GTK_WINDOW (draft));
}

static void
test_template_edit (Fixture *f, gconstpointer data)
{
  UpgNoticeDraft *draft = open_draft (f, "reminder", "Customers");
  GtkWidget *subject = find_titled (GTK_WIDGET (draft), "Subject Template");
  GtkTextView *body = GTK_TEXT_VIEW (find_by_type (GTK_WIDGET (draft), GTK_TYPE_TEXT_VIEW, 1));
  static const struct { const char *body; const char *message; } refused[] = {
    { "Hi\n{{ project.nam }}", "Body, line 2, column 4: project has no field “nam”; the copy is kept as it was" },
    { "{{ require GLib }}{{ GLib.get_user_name() }} {{ GLib.get_home_dir() }}",
      "Body, line 1, column 4: “require” is not allowed: a template shows names ({{ project.name }}), tests them "
      "({{ if … }}) and repeats lists ({{ for x in changes }}); it runs no code; the copy is kept as it was" },
    { "Hi\n\n{{ while true do 1; }}",
      "Body, line 3, column 4: “while” is not allowed: a template shows names ({{ project.name }}), tests them "
      "({{ if … }}) and repeats lists ({{ for x in changes }}); it runs no code; the copy is kept as it was" },
    { "{{ project.name = \"x\" }}",
      "Body, line 1, column 17: “=” assigns, and a template assigns nothing; compare with “==”; the copy is kept as it was" },
    { "{{ if project.impact }}open", "Body, line 1, column 1: “{{ if }}” is not closed by “{{ end }}”; the copy is kept as it was" },
  };
  g_autofree char *fixed = NULL;
  g_autofree char *builtin_subject = NULL;
  g_autofree char *builtin_body = NULL;
  UpgRecord *copy;
  GtkWidget *reset;

  g_assert_nonnull (subject);
  g_assert_null (upg_notify_find_template (f->project, "reminder", "en"));
  gtk_editable_set_text (GTK_EDITABLE (subject), "Soon: {{project.name}}");
  /* The project's copy exists now, with the built-in body. */
  copy = upg_notify_find_template (f->project, "reminder", "en");
  g_assert_nonnull (copy);
  upg_notify_builtin_template ("reminder", "en", &builtin_subject, &builtin_body);
  g_assert_cmpstr (upg_record_get_string (copy, UPG_EMAIL_TEMPLATE_BODY), ==, builtin_body);
  g_assert_null (upg_notice_draft_get_template_error (draft));

  /* What the language refuses is shown where it is typed, with its line and
   * column, and never written: the copy keeps its last good text. */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (body), refused[i].body, -1);
      g_assert_cmpstr (upg_notice_draft_get_template_error (draft), ==, refused[i].message);
      g_assert_cmpstr (upg_record_get_string (copy, UPG_EMAIL_TEMPLATE_BODY), ==, builtin_body);
      g_assert_cmpstr (upg_notice_draft_get_subject (draft), ==, "Soon: Billing service 4.2 upgrade");
    }
  gtk_editable_set_text (GTK_EDITABLE (subject), "{{ GLib.setenv(\"A\", \"B\", true) }}");
  g_assert_cmpstr (upg_notice_draft_get_template_error (draft), ==,
                   "Subject, line 1, column 4: “GLib.setenv(…)” is a call, and a template calls nothing: "
                   "a template shows names ({{ project.name }}), tests them ({{ if … }}) and repeats lists "
                   "({{ for x in changes }}); it runs no code; the copy is kept as it was");
  g_assert_cmpstr (upg_record_get_string (copy, UPG_EMAIL_TEMPLATE_SUBJECT), ==, "Soon: {{project.name}}");
  gtk_editable_set_text (GTK_EDITABLE (subject), "Soon: {{project.name}}");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (body), "Hi\n{{ project.name }}", -1);
  g_assert_null (upg_notice_draft_get_template_error (draft));
  g_assert_cmpstr (upg_record_get_string (copy, UPG_EMAIL_TEMPLATE_BODY), ==, "Hi\n{{ project.name }}");
  fixed = upg_notice_draft_describe_problems (draft);
  g_assert_cmpstr (fixed, ==, "");
  g_assert_cmpstr (upg_notice_draft_get_subject (draft), ==, "Soon: Billing service 4.2 upgrade");

  /* Reset deletes the copy: the built-in template again. */
  reset = find_by_type (GTK_WIDGET (draft), GTK_TYPE_BUTTON, 0);
  while (reset != NULL && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (reset)), "_Reset to Built-in") != 0)
    {
      static guint skip = 1;
      reset = find_by_type (GTK_WIDGET (draft), GTK_TYPE_BUTTON, skip++);
    }
  g_assert_nonnull (reset);
  g_signal_emit_by_name (reset, "clicked");
  g_assert_null (upg_notify_find_template (f->project, "reminder", "en"));
  g_assert_cmpstr (upg_notice_draft_get_subject (draft), ==,
                   "Reminder: Billing service 4.2 upgrade maintenance starts Saturday 5 December 2026, 09:00 CST (UTC+08:00)");
  gtk_window_destroy (GTK_WINDOW (draft));
}

/* A stored template the language refuses (one that reached the file some
 * other way: the store loads it as it is) is shown where it is edited, with
 * its line and column, and the notice cannot leave. */
static void
test_template_stored_refused (Fixture *f, gconstpointer data)
{
  UpgRecord *copy = upg_notify_find_template (f->project, "advance_notice", "en");
  GValue value = G_VALUE_INIT;
  UpgNoticeDraft *draft;
  const char *expected = "Body, line 2, column 4: “GLib.get_home_dir(…)” is a call, and a template calls nothing: "
                         "a template shows names ({{ project.name }}), tests them ({{ if … }}) and repeats lists "
                         "({{ for x in changes }}); it runs no code";
  g_autofree char *problems = NULL;

  g_assert_nonnull (copy);
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_static_string (&value, "Hello,\n{{ GLib.get_home_dir() }}");
  upg_record_load_value (copy, UPG_EMAIL_TEMPLATE_BODY, &value);
  g_value_unset (&value);

  draft = open_draft (f, "advance_notice", "Customers");
  g_assert_cmpstr (upg_notice_draft_get_template_error (draft), ==, expected);
  problems = upg_notice_draft_describe_problems (draft);
  g_assert_cmpstr (problems, ==, expected);
  g_assert_false (upg_notice_draft_can_send (draft));
  g_assert_null (upg_notice_draft_get_subject (draft));
  gtk_window_destroy (GTK_WINDOW (draft));
}

static void
test_group_editor (Fixture *f, gconstpointer data)
{
  GtkWidget *list = NULL;
  GtkWidget *row;
  UpgRecord *support = child (f, &upg_entity_group, 1);
  GtkWidget *addresses;
  const char * const *now;

  for (guint i = 0; (list = find_by_type (f->page, GTK_TYPE_LIST_BOX, i)) != NULL; i++)
    if (g_strcmp0 (gtk_widget_get_name (list), "group-list") == 0)
      break;
  g_assert_nonnull (list);
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  g_assert_true (ADW_IS_EXPANDER_ROW (row));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  spin ();
  addresses = find_titled (row, "Addresses (comma-separated)");
  g_assert_nonnull (addresses);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (addresses)), ==, "support@example.org, oncall@example.org");

  /* One bad address: nothing is written, the row says which. */
  gtk_editable_set_text (GTK_EDITABLE (addresses), "support@example.org, not-an-address");
  spin ();
  g_assert_true (gtk_widget_has_css_class (addresses, "error"));
  now = upg_record_get_strv (support, UPG_GROUP_ADDRESSES);
  g_assert_cmpuint (g_strv_length ((char **) now), ==, 2);
  g_assert_cmpstr (now[1], ==, "oncall@example.org");

  gtk_editable_set_text (GTK_EDITABLE (addresses), "support@example.org; desk@example.org  ops@example.org");
  spin ();
  g_assert_false (gtk_widget_has_css_class (addresses, "error"));
  now = upg_record_get_strv (support, UPG_GROUP_ADDRESSES);
  g_assert_cmpuint (g_strv_length ((char **) now), ==, 3);
  g_assert_cmpstr (now[2], ==, "ops@example.org");

  /* A write the store refuses (a group needs a name) is put back and the
   * reason shown in the section. */
  {
    GtkWidget *label = NULL;

    upg_record_set_string (support, UPG_GROUP_NAME, "");
    spin ();
    g_assert_cmpstr (upg_record_get_string (support, UPG_GROUP_NAME), ==, "Support");
    for (guint i = 0; (label = find_by_type (f->page, GTK_TYPE_LABEL, i)) != NULL; i++)
      if (gtk_widget_has_css_class (label, "error") && gtk_widget_get_visible (label))
        break;
    g_assert_nonnull (label);
    g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), "Not saved: "));
  }

  /* Hearing about a moment adds the group's cell to the grid. */
  g_assert_true (GTK_IS_LABEL (upg_notifications_page_get_cell (page (f), "reminder", "Support")));
  {
    GtkWidget *check = find_by_type (row, GTK_TYPE_CHECK_BUTTON, 1);
    g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), ==, "Reminder");
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  }
  spin ();
  g_assert_true (GTK_IS_BUTTON (upg_notifications_page_get_cell (page (f), "reminder", "Support")));
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gtk_init ();
  adw_init ();
  g_resources_register (upg_get_resource ());

#define FIXTURE(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  FIXTURE ("/notifications-page/grid", test_grid);
  FIXTURE ("/notifications-page/draft", test_draft);
  FIXTURE ("/notifications-page/draft-all-groups", test_draft_all_groups);
  FIXTURE ("/notifications-page/draft-checks", test_draft_checks);
  FIXTURE ("/notifications-page/template-edit", test_template_edit);
  FIXTURE ("/notifications-page/template-stored-refused", test_template_stored_refused);
  FIXTURE ("/notifications-page/group-editor", test_group_editor);
  return g_test_run ();
}
