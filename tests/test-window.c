/* test-window.c — the main window driven through its widgets; the store is
 * then asked what it holds. */
#include "config.h"

#include <adwaita.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>

#include "upg-test-util.h"
#include "upg-test-widgets.h"
#include "core/store/upg-store.h"
#include "ui/upg-field-rows.h"
#include "ui/upg-window.h"
#include "ui/upg-timeline.h"
#include "ui/upg-preferences-window.h"
#include "ui/upg-overview-page.h"
#include "ui/upg-settings.h"
#include "core/upg-export.h"

typedef struct {
  char      *path;
  UpgStore  *store;
  UpgWindow *window;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->path = upg_test_tmpfile ("window.upgplan");
  /* Created, closed (so the header is in the main file, not the WAL) and
   * opened again, so a second connection can read it during the test. */
  f->store = upg_store_open (f->path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);
  f->store = upg_store_open (f->path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  /* Each test starts from the defaults (the memory backend lasts the run). */
  {
    g_autoptr(GSettings) settings = upg_settings_new ();
    g_settings_reset (settings, "overview-details");
  }
  f->window = upg_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (f->window));
  upg_test_drain ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  upg_test_drain ();
  g_assert_finalize_object (f->store);
  g_free (f->path);
}

/* What another connection to the file reads (after closing ours for a moment
 * would disturb the window, so a second store reads the committed rows). */
static char *
stored_project_field (Fixture *f, guint field)
{
  UpgProject *project = upg_window_get_project (f->window);
  g_autoptr(UpgStore) other = NULL;
  g_autoptr(UpgProject) loaded = NULL;
  g_autoptr(GError) error = NULL;

  other = upg_store_open (f->path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  loaded = upg_store_lookup_project (other, upg_record_get_id (UPG_RECORD (project)), &error);
  g_assert_no_error (error);
  return g_strdup (upg_record_get_string (UPG_RECORD (loaded), field));
}

static guint
stored_children (Fixture *f, const UpgEntity *entity)
{
  UpgProject *project = upg_window_get_project (f->window);
  g_autoptr(UpgStore) other = NULL;
  g_autoptr(UpgProject) loaded = NULL;
  g_autoptr(GError) error = NULL;

  other = upg_store_open (f->path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  loaded = upg_store_lookup_project (other, upg_record_get_id (UPG_RECORD (project)), &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load_children (other, UPG_RECORD (loaded), &error));
  return g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (loaded), entity));
}

/* Types @text into an entry row and confirms it (Enter). */
static void
type_and_confirm (GtkWidget  *row,
                  const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "entry-activated");
}

static void
click_undo (Fixture *f)
{
  GtkWidget *overlay = upg_test_find_type (GTK_WIDGET (f->window), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast = g_object_get_data (G_OBJECT (overlay), "upg-undo-toast");

  g_assert_nonnull (toast);
  g_signal_emit_by_name (toast, "button-clicked");
  upg_test_drain ();
}

static void
test_empty_then_create (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *sample = upg_test_find_named (GTK_WIDGET (f->window), "import-sample");
  UpgProject *project;

  /* An empty file offers to create a project or import the sample. */
  g_assert_nonnull (sample);
  g_assert_true (gtk_widget_get_mapped (sample));
  g_assert_null (upg_window_get_project (f->window));

  project = upg_window_create_project (f->window, "Billing 4.2", "security_fix", &error);
  g_assert_no_error (error);
  upg_test_drain ();
  g_assert_true (upg_window_get_project (f->window) == project);
  g_assert_cmpint (upg_store_count_projects (f->store), ==, 1);
  g_assert_cmpuint (stored_children (f, &upg_entity_milestone), ==, 5);
  g_assert_cmpuint (stored_children (f, &upg_entity_sop_step), ==, 12);
  g_assert_false (gtk_widget_get_mapped (sample));
}

/* A window opens on its project's summary at once; the editable details
 * wait behind "Edit Details", are built when opened, and (remembered
 * open) follow right after a new window's first frame; a window on screen
 * shows another project's details at once. */
/* The open "Time Zone" dialog, or NULL. */
static GtkWidget *
find_zone_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (window), "zone-dialog") == 0 && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

static void
test_overview_follows (Fixture *f, gconstpointer data)
{
  GtkWidget *sample = upg_test_find_named (GTK_WIDGET (f->window), "import-sample");
  g_autoptr(GError) error = NULL;
  UpgProject *added;
  UpgWindow *second, *third;
  GtkWidget *name, *when, *details;

  g_signal_emit_by_name (sample, "clicked");
  upg_test_drain ();

  second = upg_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (second));
  g_assert_nonnull (upg_window_get_project (second));
  when = upg_test_find_named (GTK_WIDGET (second), "overview-when");
  g_assert_true (gtk_widget_get_mapped (when));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (when)), !=, "");
  /* The window in the project's zone, and in the user's (TZ=UTC here). */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (upg_test_find_named (GTK_WIDGET (second), "overview-span"))), ==,
                   "Sat 5 Dec 09:00–11:00 CST (UTC+08:00) · 2 h\nYour time: Sat 5 Dec 01:00–03:00 UTC · 2 h");
  /* The Notices card tells what went out; it opens the Notifications. */
  {
    GtkWidget *notices = upg_test_find_named (GTK_WIDGET (second), "overview-card-notices");
    g_assert_true (gtk_widget_get_mapped (notices));
    g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (notices),
                                     "Notices: 1 sent, latest: Advance notice, "));
    g_signal_emit_by_name (notices, "clicked");
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (
                       ADW_VIEW_STACK (upg_test_find_type (GTK_WIDGET (second), ADW_TYPE_VIEW_STACK))), ==, "notifications");
    upg_window_show_section (second, "overview");
  }
  upg_test_drain ();
  g_assert_null (upg_test_find_named (GTK_WIDGET (second), "overview-name"));

  /* Opened: the rows are there at once, and the row says how to close them. */
  details = upg_test_find_named (GTK_WIDGET (second), "overview-details");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (details)), ==, "Edit Details");
  g_signal_emit_by_name (details, "activated");
  name = upg_test_find_named (GTK_WIDGET (second), "overview-name");
  g_assert_nonnull (name);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Billing service 4.2 upgrade");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (details)), ==, "Hide Details");
  upg_test_drain ();
  g_assert_true (gtk_widget_get_mapped (name));
  g_assert_nonnull (upg_test_find_named (GTK_WIDGET (second), "overview-goal"));

  /* The team's zone is a detail, chosen from the tz database's zones with
   * a search; the window is entered on its clocks, and the user's own
   * zone shows the window once. */
  {
    GtkWidget *zone = upg_test_find_named (GTK_WIDGET (second), "overview-time-zone");
    GtkWidget *start = upg_test_find_named (GTK_WIDGET (second), "overview-window-start");
    GtkWidget *dialog, *search, *list;
    guint shown = 0;
    const char *first = NULL;
    GtkWidget *span = upg_test_find_named (GTK_WIDGET (second), "overview-span");
    int two_lines, one_line;

    /* The span keeps the height of two lines when it has one: nothing
     * below it moves. */
    gtk_widget_measure (span, GTK_ORIENTATION_VERTICAL, -1, &two_lines, NULL, NULL, NULL);

    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (zone)), ==, "Asia/Shanghai (UTC+08:00)");
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (start)), ==, "Start (Asia/Shanghai)");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "2026-12-05 09:00");
    g_signal_emit_by_name (zone, "activated");
    upg_test_drain ();
    dialog = find_zone_dialog ();
    g_assert_nonnull (dialog);
    g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
    search = upg_test_find_named (dialog, "zone-search");
    list = upg_test_find_named (dialog, "zone-list");
    g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)), search));
    /* It opens on the zone chosen. */
    g_assert_cmpstr (g_object_get_data (G_OBJECT (gtk_list_box_get_selected_row (GTK_LIST_BOX (list))), "upg-zone"),
                     ==, "Asia/Shanghai");
    /* "new york" finds America/New_York, and nothing else. */
    gtk_editable_set_text (GTK_EDITABLE (search), "new york");
    gtk_list_box_invalidate_filter (GTK_LIST_BOX (list));
    upg_test_drain ();
    for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
      if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_child_visible (row))
        {
          shown++;
          first = g_object_get_data (G_OBJECT (row), "upg-zone");
        }
    g_assert_cmpuint (shown, ==, 1);
    g_assert_cmpstr (first, ==, "America/New_York");
    /* Enter takes it: the same instant, on New York's clocks. */
    g_signal_emit_by_name (search, "activate");
    upg_test_drain ();
    g_assert_null (find_zone_dialog ());
    g_assert_cmpstr (upg_record_get_string (UPG_RECORD (upg_window_get_project (second)), UPG_PROJECT_TIME_ZONE),
                     ==, "America/New_York");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (zone)), ==, "America/New_York (UTC-05:00)");
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (start)), ==, "Start (America/New_York)");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "2026-12-04 20:00");
    /* Typed on New York's clocks, stored in UTC. */
    type_and_confirm (start, "2026-12-04 21:00");
    g_assert_cmpstr (upg_record_get_string (UPG_RECORD (upg_window_get_project (second)), UPG_PROJECT_WINDOW_START),
                     ==, "2026-12-05T02:00:00Z");
    /* A time New York's clocks skip does not exist: they go from 02:00
     * to 03:00 on 14 March 2027. */
    type_and_confirm (start, "2027-03-14 02:30");
    g_assert_cmpstr (upg_field_row_get_error (start), ==,
                     "2027-03-14 02:30 does not exist in America/New_York: the clocks go forward then.");
    g_assert_cmpstr (upg_record_get_string (UPG_RECORD (upg_window_get_project (second)), UPG_PROJECT_WINDOW_START),
                     ==, "2026-12-05T02:00:00Z");
    type_and_confirm (start, "2026-12-04 20:00");
    /* Nothing found says so; Escape leaves the zone as it was. */
    g_signal_emit_by_name (zone, "activated");
    upg_test_drain ();
    dialog = find_zone_dialog ();
    search = upg_test_find_named (dialog, "zone-search");
    list = upg_test_find_named (dialog, "zone-list");
    gtk_editable_set_text (GTK_EDITABLE (search), "Mars/Olympus");
    gtk_list_box_invalidate_filter (GTK_LIST_BOX (list));
    g_signal_emit_by_name (search, "activate");
    upg_test_drain ();
    g_assert_nonnull (find_zone_dialog ());
    g_assert_cmpstr (upg_record_get_string (UPG_RECORD (upg_window_get_project (second)), UPG_PROJECT_TIME_ZONE),
                     ==, "America/New_York");
    gtk_widget_activate_action (dialog, "window.close", NULL);
    upg_test_drain ();
    g_assert_null (find_zone_dialog ());
    /* UTC is a zone too. */
    g_signal_emit_by_name (zone, "activated");
    upg_test_drain ();
    dialog = find_zone_dialog ();
    search = upg_test_find_named (dialog, "zone-search");
    gtk_editable_set_text (GTK_EDITABLE (search), "UTC");
    gtk_list_box_invalidate_filter (GTK_LIST_BOX (upg_test_find_named (dialog, "zone-list")));
    g_signal_emit_by_name (search, "activate");
    upg_test_drain ();
    g_assert_cmpstr (upg_record_get_string (UPG_RECORD (upg_window_get_project (second)), UPG_PROJECT_TIME_ZONE),
                     ==, "UTC");
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (span)), ==, "Sat 5 Dec 01:00–03:00 UTC · 2 h");
    gtk_widget_measure (span, GTK_ORIENTATION_VERTICAL, -1, &one_line, NULL, NULL, NULL);
    g_assert_cmpint (one_line, ==, two_lines);
    g_assert_cmpint (one_line, >, 0);
  }

  /* Remembered: a new window shows its summary first, the details right after. */
  third = upg_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (third));
  g_assert_null (upg_test_find_named (GTK_WIDGET (third), "overview-name"));
  g_assert_false (upg_overview_page_is_complete (UPG_OVERVIEW_PAGE (upg_test_find_type (GTK_WIDGET (third), UPG_TYPE_OVERVIEW_PAGE))));
  upg_test_drain ();
  name = upg_test_find_named (GTK_WIDGET (third), "overview-name");
  g_assert_nonnull (name);
  g_assert_true (gtk_widget_get_mapped (name));
  gtk_window_destroy (GTK_WINDOW (third));

  /* Closed again: the groups are hidden, not thrown away. */
  name = upg_test_find_named (GTK_WIDGET (second), "overview-name");
  g_signal_emit_by_name (details, "activated");
  g_assert_true (upg_test_find_named (GTK_WIDGET (second), "overview-name") == name);
  g_assert_false (gtk_widget_get_mapped (name));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (details)), ==, "Edit Details");

  /* A new project opens with its details to fill in, in the zone of
   * whoever plans it. */
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  added = upg_window_create_project (second, "Search 2.0", "feature", &error);
  g_setenv ("TZ", "UTC", TRUE);
  g_assert_no_error (error);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (added), UPG_PROJECT_TIME_ZONE), ==, "Asia/Shanghai");
  g_assert_true (upg_window_get_project (second) == added);
  name = upg_test_find_named (GTK_WIDGET (second), "overview-name");
  g_assert_nonnull (name);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Search 2.0");

  gtk_window_destroy (GTK_WINDOW (second));
  upg_test_drain ();
}

static void
test_import_sample (Fixture *f, gconstpointer data)
{
  GtkWidget *sample = upg_test_find_named (GTK_WIDGET (f->window), "import-sample");

  g_signal_emit_by_name (sample, "clicked");
  upg_test_drain ();
  g_assert_cmpint (upg_store_count_projects (f->store), ==, 1);
  g_assert_nonnull (upg_window_get_project (f->window));
  g_assert_cmpstr (upg_project_get_name (upg_window_get_project (f->window)), ==, "Billing service 4.2 upgrade");
}

/* import --replace from the command line while the window shows the
 * project: it keeps its id, so the window goes on showing it, changed. */
static void
test_replace_keeps_project (Fixture *f, gconstpointer data)
{
  GtkWidget *sample = upg_test_find_named (GTK_WIDGET (f->window), "import-sample");
  g_autofree char *sample_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *text = upg_test_read (sample_path, NULL);
  g_autofree char *in = upg_test_tmpfile ("renamed.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *at = strstr (text, "\"name\": \"Billing service 4.2 upgrade\"");
  g_autofree char *renamed = NULL;
  gint64 id;
  gint64 deadline;

  g_signal_emit_by_name (sample, "clicked");
  upg_test_drain ();
  id = upg_record_get_id (UPG_RECORD (upg_window_get_project (f->window)));

  g_assert_nonnull (at);
  renamed = g_strdup_printf ("%.*s\"name\": \"Billing service 4.2.1 upgrade\"%s", (int) (at - text), text,
                             at + strlen ("\"name\": \"Billing service 4.2 upgrade\""));
  upg_test_write (in, renamed);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "import", "--db", f->path, "--replace", in, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");

  /* The window looks for changes every second. */
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (g_strcmp0 (upg_project_get_name (upg_window_get_project (f->window)), "Billing service 4.2.1 upgrade") != 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (upg_project_get_name (upg_window_get_project (f->window)), ==, "Billing service 4.2.1 upgrade");
  g_assert_cmpint (upg_record_get_id (UPG_RECORD (upg_window_get_project (f->window))), ==, id);
}

static void
test_edit_overview (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *version = NULL;
  GtkWidget *row;

  upg_window_create_project (f->window, "Shop", "feature", &error);
  g_assert_no_error (error);
  upg_test_drain ();

  row = upg_test_find_named (GTK_WIDGET (f->window), "overview-name");
  type_and_confirm (row, "Shop 3.0 upgrade");
  name = stored_project_field (f, UPG_PROJECT_NAME);
  g_assert_cmpstr (name, ==, "Shop 3.0 upgrade");

  /* A name must not be empty: refused, the row says so, the file keeps the old one. */
  type_and_confirm (row, "  ");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_clear_pointer (&name, g_free);
  name = stored_project_field (f, UPG_PROJECT_NAME);
  g_assert_cmpstr (name, ==, "Shop 3.0 upgrade");

  row = upg_test_find_named (GTK_WIDGET (f->window), "overview-version-from");
  type_and_confirm (row, "2.9.1");
  version = stored_project_field (f, UPG_PROJECT_VERSION_FROM);
  g_assert_cmpstr (version, ==, "2.9.1");

  /* The window, on the clocks of the project's zone (a new project takes
   * the planner's: UTC here); an end before the start is refused. */
  row = upg_test_find_named (GTK_WIDGET (f->window), "overview-window-start");
  type_and_confirm (row, "2026-12-05 09:00");
  start = stored_project_field (f, UPG_PROJECT_WINDOW_START);
  g_assert_cmpstr (start, ==, "2026-12-05T09:00:00Z");
  row = upg_test_find_named (GTK_WIDGET (f->window), "overview-window-end");
  type_and_confirm (row, "2026-12-05 08:00");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpstr (upg_field_row_get_error (row), ==, "The window cannot end before it starts.");
  /* …and the reason is written next to the fields, under the group. */
  g_assert_cmpstr (adw_preferences_group_get_description (
                     ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP))),
                   ==, "The window cannot end before it starts.");
  end = stored_project_field (f, UPG_PROJECT_WINDOW_END);
  g_assert_null (end);
  type_and_confirm (row, "2026-12-05 11:00");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  end = stored_project_field (f, UPG_PROJECT_WINDOW_END);
  g_assert_cmpstr (end, ==, "2026-12-05T11:00:00Z");
}

static gboolean
version_to_saved (gpointer data)
{
  g_autofree char *stored = stored_project_field (data, UPG_PROJECT_VERSION_TO);

  return g_strcmp0 (stored, "3.0") == 0;
}

/* The title names the project shown: renaming one shown before leaves
 * it alone. */
static void
test_title_follows_shown (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  AdwViewSwitcherTitle *title = ADW_VIEW_SWITCHER_TITLE (upg_test_find_type (GTK_WIDGET (f->window),
                                                                             ADW_TYPE_VIEW_SWITCHER_TITLE));
  UpgProject *first = upg_window_create_project (f->window, "First", "feature", &error);

  g_assert_no_error (error);
  upg_test_drain ();
  g_assert_cmpstr (adw_view_switcher_title_get_title (title), ==, "First");
  upg_window_create_project (f->window, "Second", "feature", &error);
  g_assert_no_error (error);
  upg_test_drain ();
  g_assert_cmpstr (adw_view_switcher_title_get_title (title), ==, "Second");
  upg_record_set_string (UPG_RECORD (first), UPG_PROJECT_NAME, "First, renamed");
  upg_test_drain ();
  g_assert_cmpstr (adw_view_switcher_title_get_title (title), ==, "Second");
  upg_window_select_project (f->window, first);
  upg_test_drain ();
  g_assert_cmpstr (adw_view_switcher_title_get_title (title), ==, "First, renamed");
}

/* A text field saves after a pause in the typing, not on each key; a
 * write the store refuses shows the stored value again and says why. */
static void
test_save_pause_and_refusal (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  GtkWidget *row;
  sqlite3 *db = NULL;

  upg_window_create_project (f->window, "Shop", "feature", &error);
  g_assert_no_error (error);
  upg_test_drain ();
  row = upg_test_find_named (GTK_WIDGET (f->window), "overview-version-to");
  gtk_editable_set_text (GTK_EDITABLE (row), "3");
  gtk_editable_set_text (GTK_EDITABLE (row), "3.0");
  stored = stored_project_field (f, UPG_PROJECT_VERSION_TO);
  g_assert_cmpstr (stored, !=, "3.0");
  /* Saved once the pause is over. */
  upg_test_wait_for (version_to_saved, f);
  g_clear_pointer (&stored, g_free);
  stored = stored_project_field (f, UPG_PROJECT_VERSION_TO);
  g_assert_cmpstr (stored, ==, "3.0");

  /* Another program makes the file refuse the change (as a rule would). */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER refuse BEFORE UPDATE OF version_to ON project "
                                     "BEGIN SELECT RAISE(ABORT, 'the file refuses it'); END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  type_and_confirm (row, "3.1");
  g_assert_nonnull (upg_field_row_get_error (row));
  g_assert_nonnull (strstr (upg_field_row_get_error (row), "the file refuses it"));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  /* A store opens no file with a trigger the app did not make (issue 17). */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER refuse", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_clear_pointer (&stored, g_free);
  stored = stored_project_field (f, UPG_PROJECT_VERSION_TO);
  g_assert_cmpstr (stored, ==, "3.0");
}

static GtkWidget *
actions_button (GtkListBox *list, int index, const char *key)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);
  GtkWidget *actions;

  g_assert_nonnull (row);
  /* Rows are filled when first expanded. */
  g_assert_null (g_object_get_data (G_OBJECT (row), "upg-actions-row"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  actions = g_object_get_data (G_OBJECT (row), "upg-actions-row");
  g_assert_nonnull (actions);
  return g_object_get_data (G_OBJECT (actions), key);
}

/* Whether a list row's expander has finished sliding its fields open and
 * the whole row is inside its scrolled viewport. */
static gboolean
row_fields_revealed (gpointer data)
{
  GtkWidget *row = data;
  GtkWidget *viewport = gtk_widget_get_ancestor (row, GTK_TYPE_VIEWPORT);
  GtkWidget *revealer = upg_test_find_type (row, GTK_TYPE_REVEALER);
  graphene_rect_t bounds;

  return revealer != NULL && gtk_revealer_get_child_revealed (GTK_REVEALER (revealer)) &&
         gtk_widget_compute_bounds (row, viewport, &bounds) && bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (viewport);
}

/* A milestone's subtitle does not repeat its title: the kind is left out
 * where the title says it, and kept under a title of its own. */
static void
test_milestone_subtitles (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UpgProject *project = upg_window_create_project (f->window, "P", "feature", &error);
  GListModel *milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
  g_autoptr(UpgRecord) first = g_list_model_get_item (milestones, 0);
  g_autofree char *expected = NULL;
  GtkListBox *list;
  GtkListBoxRow *row;

  g_assert_no_error (error);
  upg_record_set_string (first, UPG_MILESTONE_DUE, "2026-11-27");
  upg_window_show_section (f->window, "milestones");
  upg_test_drain ();
  list = GTK_LIST_BOX (upg_test_find_named (GTK_WIDGET (f->window), "milestones-list"));
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Development complete");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "2026-11-27 · Planned");

  upg_record_set_string (first, UPG_MILESTONE_TITLE, "Code freeze");
  upg_test_drain ();
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==,
                   "Development complete · 2026-11-27 · Planned");
}

static void
test_milestones_delete_undo_move (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UpgProject *project = upg_window_create_project (f->window, "P", "feature", &error);
  GListModel *milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
  g_autoptr(UpgRecord) second = g_list_model_get_item (milestones, 1);
  g_autoptr(UpgRecord) first = NULL;
  g_autoptr(UpgRecord) moved = NULL;
  GtkListBox *list;

  /* The section is built when first shown. */
  g_assert_null (upg_test_find_named (GTK_WIDGET (f->window), "milestones-list"));
  upg_record_set_string (second, UPG_MILESTONE_DUE, "2026-11-27");
  upg_window_show_section (f->window, "milestones");
  upg_test_drain ();
  list = GTK_LIST_BOX (upg_test_find_named (GTK_WIDGET (f->window), "milestones-list"));
  g_assert_nonnull (list);

  /* Delete "Tests passed" with its button, then undo. */
  g_signal_emit_by_name (actions_button (list, 1, "upg-delete-button"), "clicked");
  upg_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (milestones), ==, 4);
  g_assert_cmpuint (stored_children (f, &upg_entity_milestone), ==, 4);
  /* It had a date, so its calendar entry is to be cancelled... */
  g_assert_cmpuint (stored_children (f, &upg_entity_cancelled_milestone), ==, 1);
  click_undo (f);
  g_assert_cmpuint (g_list_model_get_n_items (milestones), ==, 5);
  g_assert_cmpuint (stored_children (f, &upg_entity_milestone), ==, 5);
  /* ...until Undo brings it back. */
  g_assert_cmpuint (stored_children (f, &upg_entity_cancelled_milestone), ==, 0);
  first = g_list_model_get_item (milestones, 1);
  g_assert_true (first == second);
  g_assert_cmpstr (upg_record_get_string (first, UPG_MILESTONE_TITLE), ==, "Tests passed");
  g_assert_cmpstr (upg_record_get_string (first, UPG_MILESTONE_DUE), ==, "2026-11-27");

  /* Move it up. */
  g_signal_emit_by_name (actions_button (list, 1, "upg-up-button"), "clicked");
  upg_test_drain ();
  moved = g_list_model_get_item (milestones, 0);
  g_assert_cmpstr (upg_record_get_string (moved, UPG_MILESTONE_TITLE), ==, "Tests passed");
  g_assert_cmpuint (gtk_widget_get_width (upg_test_find_named (GTK_WIDGET (f->window), "milestones-timeline")), >, 0);

  /* A marker on the timeline opens its milestone. */
  upg_timeline_activate_marker (UPG_TIMELINE (upg_test_find_named (GTK_WIDGET (f->window), "milestones-timeline")), 0);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (gtk_list_box_get_row_at_index (list, 0))));

  /* Add Milestone: the new milestone's title is focused, its text
   * selected so typing names it, and its row scrolled into view. */
  {
    GtkWidget *add = upg_test_find_named (GTK_WIDGET (f->window), "milestones-add");
    guint n = g_list_model_get_n_items (milestones);
    GtkWidget *focus = NULL, *row, *viewport, *entry;
    graphene_rect_t bounds;
    int start, end;

    g_signal_emit_by_name (add, "clicked");
    for (int i = 0; i < 200; i++)
      {
        upg_test_drain ();
        focus = gtk_root_get_focus (GTK_ROOT (f->window));
        if (focus != NULL && gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW) != NULL)
          break;
        g_usleep (10000);
      }
    row = GTK_WIDGET (gtk_list_box_get_row_at_index (list, n));
    entry = gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW);
    g_assert_nonnull (entry);
    g_assert_true (gtk_widget_is_ancestor (focus, row));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "New milestone");
    g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), &start, &end));
    g_assert_cmpint (start, ==, 0);
    g_assert_cmpint (end, ==, (int) strlen ("New milestone"));
    viewport = gtk_widget_get_ancestor (row, GTK_TYPE_VIEWPORT);
    /* The row's fields slide open; it stays in view once they are. */
    upg_test_wait_for (row_fields_revealed, row);
    upg_test_drain ();
    g_assert_true (gtk_widget_compute_bounds (row, viewport, &bounds));
    g_assert_cmpfloat (bounds.origin.y, >=, 0);
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (viewport));
  }

  /* Dates that disagree with the order are pointed out. */
  {
    g_autoptr(UpgRecord) third = g_list_model_get_item (milestones, 2);
    GtkWidget *warning = upg_test_find_named (GTK_WIDGET (f->window), "milestones-order-warning");
    g_autofree char *expected = NULL;

    g_assert_false (gtk_widget_get_visible (warning));
    upg_record_set_string (third, UPG_MILESTONE_DUE, "2026-11-01");
    expected = g_strdup_printf ("“%s” is due before “Tests passed”, which comes earlier in the list",
                                upg_record_get_string (third, UPG_MILESTONE_TITLE));
    g_assert_true (gtk_widget_get_visible (warning));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (warning)), ==, expected);
  }
}

static void
test_team_add_email (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UpgProject *project = upg_window_create_project (f->window, "P", "feature", &error);
  GListModel *team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
  GtkListBox *list;
  GtkWidget *button;
  GtkWidget *email = NULL;
  g_autoptr(UpgRecord) member = NULL;
  GtkListBoxRow *row;

  upg_window_show_section (f->window, "team");
  upg_test_drain ();
  list = GTK_LIST_BOX (upg_test_find_named (GTK_WIDGET (f->window), "team-list"));
  button = gtk_widget_get_ancestor (GTK_WIDGET (list), ADW_TYPE_PREFERENCES_GROUP);
  button = adw_preferences_group_get_header_suffix (ADW_PREFERENCES_GROUP (button));
  g_signal_emit_by_name (button, "clicked");
  upg_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (team), ==, 1);
  g_assert_cmpuint (stored_children (f, &upg_entity_member), ==, 1);
  member = g_list_model_get_item (team, 0);

  /* The email row is the third entry row of the expander. */
  row = gtk_list_box_get_row_at_index (list, 0);
  for (GtkWidget *w = upg_test_find_type (GTK_WIDGET (row), ADW_TYPE_ENTRY_ROW); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (ADW_IS_ENTRY_ROW (w) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), "Email") == 0)
      email = w;
  g_assert_nonnull (email);
  type_and_confirm (email, "not an address");
  g_assert_null (upg_record_get_string (member, UPG_MEMBER_EMAIL));
  g_assert_true (gtk_widget_has_css_class (email, "error"));
  type_and_confirm (email, "li.wei@example.com");
  g_assert_cmpstr (upg_record_get_string (member, UPG_MEMBER_EMAIL), ==, "li.wei@example.com");
}

static AdwMessageDialog *
find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      if (g_strcmp0 (gtk_widget_get_name (window), name) == 0 && gtk_widget_get_visible (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
test_delete_project_undo (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay = upg_test_find_type (GTK_WIDGET (f->window), ADW_TYPE_TOAST_OVERLAY);
  AdwMessageDialog *dialog;
  UpgProject *project;
  AdwToast *toast;

  upg_window_create_project (f->window, "Keep", "feature", &error);
  project = upg_window_create_project (f->window, "A & B <x>", "refactor", &error);
  g_assert_no_error (error);
  upg_test_drain ();

  /* Delete asks first, naming the project and what it holds; Escape (the
   * close response) and Enter (the default) keep it. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.delete-project", NULL);
  upg_test_drain ();
  dialog = find_dialog ("delete-project-dialog");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “A & B <x>”?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "It holds 5 milestones, 0 risks, 0 team members and 12 checklist steps. "
                   "You can undo the deletion until you close the notice.");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  upg_test_drain ();
  g_assert_cmpint (upg_store_count_projects (f->store), ==, 2);
  g_assert_true (upg_window_get_project (f->window) == project);

  dialog = ADW_MESSAGE_DIALOG (upg_window_delete_project (f->window));
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  upg_test_drain ();
  g_assert_cmpint (upg_store_count_projects (f->store), ==, 1);
  g_assert_cmpstr (upg_project_get_name (upg_window_get_project (f->window)), ==, "Keep");

  /* The Undo stays until dismissed, and its text is the name as typed. */
  toast = g_object_get_data (G_OBJECT (overlay), "upg-undo-toast");
  g_assert_nonnull (toast);
  g_assert_cmpuint (adw_toast_get_timeout (toast), ==, 0);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Project “A &amp; B &lt;x&gt;” deleted");

  /* Undo restores the project and opens it again. */
  click_undo (f);
  g_assert_cmpint (upg_store_count_projects (f->store), ==, 2);
  g_assert_cmpstr (upg_project_get_name (upg_window_get_project (f->window)), ==, "A & B <x>");
  g_assert_cmpuint (stored_children (f, &upg_entity_sop_step), ==, 12);
}

static void
test_search (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *entry = upg_test_find_type (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY);
  GtkWidget *list = upg_test_find_named (GTK_WIDGET (f->window), "project-list");
  GtkSelectionModel *model;
  UpgProject *billing, *shop;

  billing = upg_window_create_project (f->window, "Billing 4.2", "feature", &error);
  shop = upg_window_create_project (f->window, "Shop 3.0", "feature", &error);
  upg_window_select_project (f->window, billing);
  upg_test_drain ();
  model = gtk_list_view_get_model (GTK_LIST_VIEW (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);

  /* The search hides the open project: the list filters, the project
   * stays open, nothing in the list is selected. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "shop");
  g_signal_emit_by_name (entry, "search-changed");
  upg_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_true (upg_window_get_project (f->window) == billing);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (model)), ==, GTK_INVALID_LIST_POSITION);

  /* No result does not close it either. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "nothing like it");
  g_signal_emit_by_name (entry, "search-changed");
  upg_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_true (upg_window_get_project (f->window) == billing);

  /* Choosing a result opens it; clearing the search keeps it selected. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "SHOP");
  g_signal_emit_by_name (entry, "search-changed");
  upg_test_drain ();
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (model), 0);
  g_assert_true (upg_window_get_project (f->window) == shop);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (entry, "search-changed");
  upg_test_drain ();
  g_assert_true (upg_window_get_project (f->window) == shop);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (model)), ==, 1);
}

/* A window on the same file opens the project that was open last. */
static void
test_reopen_last (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UpgProject *second;
  UpgWindow *window;

  upg_window_create_project (f->window, "First", "feature", &error);
  second = upg_window_create_project (f->window, "Second", "feature", &error);
  upg_window_create_project (f->window, "Third", "feature", &error);
  upg_window_select_project (f->window, second);
  upg_test_drain ();
  gtk_window_destroy (GTK_WINDOW (f->window));
  upg_test_drain ();

  f->window = window = upg_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (window));
  upg_test_drain ();
  g_assert_nonnull (upg_window_get_project (window));
  g_assert_cmpstr (upg_project_get_name (upg_window_get_project (window)), ==, "Second");
}

static void
press_key (GtkWidget       *widget,
           guint            keyval,
           GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
    }
  g_assert_true (handled);
}

/* Whether no squeezer or revealer under @widget is in a transition. */
static gboolean
transitions_done (GtkWidget *widget)
{
  if (ADW_IS_SQUEEZER (widget) && adw_squeezer_get_transition_running (ADW_SQUEEZER (widget)))
    return FALSE;
  if (GTK_IS_REVEALER (widget) && gtk_widget_get_mapped (widget) &&
      gtk_revealer_get_child_revealed (GTK_REVEALER (widget)) != gtk_revealer_get_reveal_child (GTK_REVEALER (widget)))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (!transitions_done (child))
      return FALSE;
  return TRUE;
}

typedef struct {
  Fixture *f;
  int      width;
} ResizeWait;

/* Whether the window has its width and every squeezer and revealer in it
 * has finished its transition (a squeezer's crossfade keeps both of its
 * children mapped while it runs). */
static gboolean
window_resized (gpointer data)
{
  ResizeWait *wait = data;

  return gtk_widget_get_width (GTK_WIDGET (wait->f->window)) == wait->width &&
         transitions_done (GTK_WIDGET (wait->f->window));
}

/* Resizes the window to @width (its default size, as the settings keep
 * it; without a window manager the frame's 10 px are inside it, and 360 px
 * is the window's least) and lets it lay out. */
static void
resize_window (Fixture *f,
               int      width)
{
  ResizeWait wait = { f, MAX (width - 10, 367) };

  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 720);
  upg_test_wait_for (window_resized, &wait);
  upg_test_drain ();
}

/* The section buttons a person sees (mapped, not under "More"), in the
 * header's view switcher or in the bar under the sections. */
static guint
count_section_buttons (GtkWidget  *widget,
                       GHashTable *seen)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (GTK_IS_TOGGLE_BUTTON (widget) && gtk_widget_get_ancestor (widget, ADW_TYPE_VIEW_SWITCHER) != NULL)
    {
      /* The view switcher's buttons show their page's title. */
      char *label = NULL;

      g_object_get (widget, "label", &label, NULL);
      g_assert_nonnull (label);
      g_hash_table_add (seen, label);
      return 1;
    }
  if (GTK_IS_TOGGLE_BUTTON (widget) && g_object_get_data (G_OBJECT (widget), "upg-section") != NULL)
    {
      g_hash_table_add (seen, g_strdup (g_object_get_data (G_OBJECT (widget), "upg-section")));
      return 1;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += count_section_buttons (child, seen);
  return n;
}

/* From 1000 px up every section is one click away; at 360 px the bar
 * keeps four sections and "More". */
static void
test_sections_in_reach (Fixture *f, gconstpointer data)
{
  static const int widths[] = { 1000, 1100, 1280 };
  g_autoptr(GError) error = NULL;

  upg_window_create_project (f->window, "Billing", "feature", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      resize_window (f, widths[i]);
      g_assert_cmpuint (count_section_buttons (GTK_WIDGET (f->window), seen), ==, 7);
      g_assert_cmpuint (g_hash_table_size (seen), ==, 7);
    }
  /* The bar of every section shows the one open. */
  {
    GtkWidget *full = upg_test_find_named (GTK_WIDGET (f->window), "section-bar-full");

    upg_window_show_section (f->window, "checklist");
    upg_test_drain ();
    for (GtkWidget *b = gtk_widget_get_first_child (full); b; b = gtk_widget_get_next_sibling (b))
      g_assert_cmpint (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (b)), ==,
                       g_strcmp0 (g_object_get_data (G_OBJECT (b), "upg-section"), "checklist") == 0);
    upg_window_show_section (f->window, "overview");
    upg_test_drain ();
  }
  {
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    GtkWidget *compact;

    resize_window (f, 360);
    compact = upg_test_find_named (GTK_WIDGET (f->window), "section-bar");
    g_assert_true (gtk_widget_get_mapped (compact));
    g_assert_false (gtk_widget_get_mapped (upg_test_find_named (GTK_WIDGET (f->window), "section-bar-full")));
    g_assert_cmpuint (count_section_buttons (GTK_WIDGET (f->window), seen), ==, 4);
    g_assert_true (g_hash_table_contains (seen, "checklist"));
    g_assert_false (g_hash_table_contains (seen, "team"));
  }
}

/* The project list is one Tab stop (the arrow keys move inside it), and
 * Preferences opens on a value, not on "Reset to Defaults". */
static void
test_keyboard (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *list = upg_test_find_named (GTK_WIDGET (f->window), "project-list");
  GtkWidget *focus;
  GtkWidget *prefs;

  upg_window_create_project (f->window, "One", "feature", &error);
  upg_window_create_project (f->window, "Two", "feature", &error);
  upg_window_create_project (f->window, "Three", "feature", &error);
  upg_test_drain ();
  g_assert_true (gtk_widget_child_focus (list, GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (gtk_widget_is_ancestor (focus, list));
  /* The arrow keys move between rows… */
  g_assert_true (gtk_widget_child_focus (list, GTK_DIR_DOWN));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), list));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) != focus);
  /* …Tab leaves the list from any row, Shift+Tab comes back to it. */
  press_key (list, GDK_KEY_Tab, 0);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_false (gtk_widget_is_ancestor (focus, list));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_BACKWARD));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (gtk_widget_is_ancestor (focus, list));
  press_key (list, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_false (gtk_widget_is_ancestor (focus, list));

  prefs = upg_preferences_window_new (GTK_WINDOW (f->window));
  gtk_window_present (GTK_WINDOW (prefs));
  upg_test_drain ();
  focus = gtk_root_get_focus (GTK_ROOT (prefs));
  g_assert_nonnull (focus);
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SPIN_BUTTON));
  gtk_window_destroy (GTK_WINDOW (prefs));
  upg_test_drain ();
}

/* Removing a member who owns risks asks where the risks go; Undo puts
 * the member and the owners back. */
static void
test_remove_member (Fixture *f, gconstpointer data)
{
  GtkWidget *overlay = upg_test_find_type (GTK_WIDGET (f->window), ADW_TYPE_TOAST_OVERLAY);
  UpgProject *project;
  GListModel *team, *risks;
  g_autoptr(UpgRecord) mei = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *dropdown;
  GListModel *names;
  guint jonas = GTK_INVALID_LIST_POSITION;

  g_signal_emit_by_name (upg_test_find_named (GTK_WIDGET (f->window), "import-sample"), "clicked");
  upg_test_drain ();
  project = upg_window_get_project (f->window);
  team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
  risks = upg_record_get_children (UPG_RECORD (project), &upg_entity_risk);
  for (guint i = 0; i < g_list_model_get_n_items (team) && mei == NULL; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (team, i);
      if (g_strcmp0 (upg_record_get_string (m, UPG_MEMBER_NAME), "Mei Lin") == 0)
        mei = g_object_ref (m);
    }
  g_assert_nonnull (mei);
  g_assert_cmpuint (upg_store_count_owned_risks (f->store, mei), ==, 1);

  dialog = ADW_MESSAGE_DIALOG (upg_ask_remove_member (overlay, f->store, mei, "Mei Lin removed"));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "Mei Lin owns 1 risk. Hand it to someone else, or leave it without an owner. Undo restores both.");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  dropdown = adw_message_dialog_get_extra_child (dialog);
  names = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "Jonas Berg") == 0)
      jonas = i;
  g_assert_cmpuint (jonas, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), jonas);
  adw_message_dialog_response (dialog, "hand");
  gtk_window_destroy (GTK_WINDOW (dialog));
  upg_test_drain ();

  g_assert_cmpuint (g_list_model_get_n_items (team), ==, 3);
  for (guint i = 0; i < g_list_model_get_n_items (risks); i++)
    {
      g_autoptr(UpgRecord) r = g_list_model_get_item (risks, i);
      g_assert_cmpstr (upg_record_get_string (r, UPG_RISK_OWNER), !=, "Mei Lin");
    }
  click_undo (f);
  g_assert_cmpuint (g_list_model_get_n_items (team), ==, 4);
  g_assert_cmpuint (upg_store_count_owned_risks (f->store, mei), ==, 1);
}

/* Every section exports through the window's one entry point, which is
 * core's export table: the same bytes the command line writes. */
static void
test_export (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UpgProject *project = upg_window_create_project (f->window, "Billing", "feature", &error);
  g_autofree char *path = upg_test_tmpfile ("risks.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) expected = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_no_error (error);
  g_assert_true (upg_window_export (f->window, "sop", "md", FALSE, file));
  expected = upg_export_run (f->store, "sop", upg_record_get_id (UPG_RECORD (project)),
                             &(UpgExportOptions) { .format = "md", .paper = "a4" }, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  /* A kind or format core does not know is refused with its reason. */
  g_assert_false (upg_window_export (f->window, "risks", "pdf", FALSE, file));
}

int
main (int argc, char **argv)
{
  upg_test_widgets_init (&argc, &argv);


  g_test_add ("/window/empty-then-create", Fixture, NULL, fixture_setup, test_empty_then_create, fixture_teardown);
  g_test_add ("/window/import-sample", Fixture, NULL, fixture_setup, test_import_sample, fixture_teardown);
  g_test_add ("/window/overview-follows", Fixture, NULL, fixture_setup, test_overview_follows, fixture_teardown);
  g_test_add ("/window/replace-keeps-project", Fixture, NULL, fixture_setup, test_replace_keeps_project, fixture_teardown);
  g_test_add ("/window/edit-overview", Fixture, NULL, fixture_setup, test_edit_overview, fixture_teardown);
  g_test_add ("/window/milestones", Fixture, NULL, fixture_setup, test_milestones_delete_undo_move, fixture_teardown);
  g_test_add ("/window/milestone-subtitles", Fixture, NULL, fixture_setup, test_milestone_subtitles, fixture_teardown);
  g_test_add ("/window/team", Fixture, NULL, fixture_setup, test_team_add_email, fixture_teardown);
  g_test_add ("/window/delete-project-undo", Fixture, NULL, fixture_setup, test_delete_project_undo, fixture_teardown);
  g_test_add ("/window/search", Fixture, NULL, fixture_setup, test_search, fixture_teardown);
  g_test_add ("/window/save-pause-refusal", Fixture, NULL, fixture_setup, test_save_pause_and_refusal, fixture_teardown);
  g_test_add ("/window/title-follows-shown", Fixture, NULL, fixture_setup, test_title_follows_shown, fixture_teardown);
  g_test_add ("/window/sections-in-reach", Fixture, NULL, fixture_setup, test_sections_in_reach, fixture_teardown);
  g_test_add ("/window/keyboard", Fixture, NULL, fixture_setup, test_keyboard, fixture_teardown);
  g_test_add ("/window/remove-member", Fixture, NULL, fixture_setup, test_remove_member, fixture_teardown);
  g_test_add ("/window/export", Fixture, NULL, fixture_setup, test_export, fixture_teardown);
  g_test_add ("/window/reopen-last", Fixture, NULL, fixture_setup, test_reopen_last, fixture_teardown);
  return g_test_run ();
}
