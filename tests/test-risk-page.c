/* test-risk-page.c — the Risks section driven through its widgets. */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <adwaita.h>

#include "core/upg-plan.h"
#include "core/store/upg-store.h"
#include "ui/upg-heat-map.h"
#include "ui/upg-risk-editor.h"
#include "ui/upg-risk-page.h"
#include "upg-resources.h"
#include "upg-test-util.h"

typedef struct {
  char        *db;
  UpgStore    *store;
  UpgProject  *project;
  GtkWidget   *window;
  UpgRiskPage *page;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = upg_test_data_path ("sample-plan.json");
  g_autofree char *json = upg_test_read (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  /* Each test runs with isolated XDG dirs; without the system's MIME
   * database the image loader cannot tell that the icons are SVG. */
  const char *mime_dirs[] = { "/usr/local/share", "/usr/share", NULL };

  g_content_type_set_mime_dirs (mime_dirs);
  f->db = upg_test_tmpfile ("plan.db");
  f->store = upg_store_open (f->db, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  upg_plan_import (f->store, json, -1, &ids, &error);
  g_assert_no_error (error);
  f->project = upg_store_lookup_project (f->store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  upg_store_load_children (f->store, UPG_RECORD (f->project), &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 800);
  f->page = UPG_RISK_PAGE (upg_risk_page_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  upg_risk_page_set_project (f->page, f->store, f->project);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (f->page);

  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &f->page);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->page);
  g_clear_object (&f->project);
  g_assert_finalize_object (f->store);
  g_free (f->db);
}

/* ---- Reading the file behind the store's back --------------------------- */

static char *
sql_text (Fixture    *f,
          const char *query)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, query, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, c);
          g_string_append (out, c ? "|" : "");
          g_string_append (out, text ? text : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* ---- Finding widgets ---------------------------------------------------- */

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *title,
             guint      *nth)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (title == NULL ||
       (ADW_IS_PREFERENCES_ROW (root) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)))
    {
      if (nth == NULL || (*nth)-- == 0)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, title, nth);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static AdwComboRow *
combo (GtkWidget  *root,
       const char *title)
{
  GtkWidget *row = find_widget (root, ADW_TYPE_COMBO_ROW, title, NULL);
  g_assert_nonnull (row);
  return ADW_COMBO_ROW (row);
}

static UpgRiskEditor *
find_editor (void)
{
  GListModel *windows = gtk_window_get_toplevels ();  /* owned by GTK */
  UpgRiskEditor *editor = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (windows); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (windows, i);
      if (UPG_IS_RISK_EDITOR (w))
        editor = UPG_RISK_EDITOR (w);
    }
  return editor;
}

static void
close_editor (UpgRiskEditor *editor)
{
  gtk_window_destroy (GTK_WINDOW (editor));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_editor ());
}

static void
set_text_view (GtkWidget  *root,
               guint       nth,
               const char *text)
{
  GtkWidget *view = find_widget (root, GTK_TYPE_TEXT_VIEW, NULL, &nth);
  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static guint
register_position (Fixture    *f,
                   const char *title)
{
  GListModel *rows = upg_risk_page_get_register_model (f->page);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(UpgRecord) risk = g_list_model_get_item (rows, i);
      if (g_strcmp0 (upg_record_get_string (risk, UPG_RISK_TITLE), title) == 0)
        return i;
    }
  g_assert_not_reached ();
}

static char *
register_titles (Fixture *f)
{
  GListModel *rows = upg_risk_page_get_register_model (f->page);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(UpgRecord) risk = g_list_model_get_item (rows, i);
      g_string_append_printf (out, "%s\n", upg_record_get_string (risk, UPG_RISK_TITLE));
    }
  return g_string_free (out, FALSE);
}

/* ---- Tests -------------------------------------------------------------- */

/* What a pointer click does (gtk_widget_activate() delays "clicked"). */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
test_heat_map_filter (Fixture       *f,
                      gconstpointer  data)
{
  UpgHeatMap *map = upg_risk_page_get_heat_map (f->page);
  GtkWidget *cell;
  g_autofree char *all = NULL, *one = NULL, *residual = NULL, *tooltip = NULL;

  /* Sorted by score, highest first. */
  all = register_titles (f);
  g_assert_cmpstr (all, ==,
                   "Backfill corrupts historic invoices\n"
                   "Gateway SDK slower under load\n"
                   "Support not briefed on new invoice layout\n");
  g_assert_cmpuint (upg_heat_map_get_count (map, 2, 5), ==, 1);
  g_assert_cmpuint (upg_heat_map_get_count (map, 3, 3), ==, 1);
  g_assert_cmpuint (upg_heat_map_get_count (map, 2, 2), ==, 1);
  g_assert_cmpuint (upg_heat_map_get_count (map, 5, 5), ==, 0);

  cell = upg_heat_map_get_cell (map, 2, 5);
  tooltip = gtk_widget_get_tooltip_text (cell) ? g_strdup (gtk_widget_get_tooltip_text (cell)) : NULL;
  g_assert_cmpstr (tooltip, ==, "Unlikely × Catastrophic: 1 risk, high");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (upg_heat_map_get_cell (map, 4, 4)), ==,
                   "Likely × Major: 0 risks, high");

  /* Clicking a cell filters the register to it… */
  click (cell);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (cell)));
  one = register_titles (f);
  g_assert_cmpstr (one, ==, "Backfill corrupts historic invoices\n");

  /* …another cell moves the filter… */
  click (upg_heat_map_get_cell (map, 5, 5));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (cell)));
  g_assert_cmpuint (g_list_model_get_n_items (upg_risk_page_get_register_model (f->page)), ==, 0);

  /* …and clicking the selected cell again clears it. */
  click (upg_heat_map_get_cell (map, 5, 5));
  g_assert_cmpuint (g_list_model_get_n_items (upg_risk_page_get_register_model (f->page)), ==, 3);

  /* After mitigation, the backfill risk sits at 1 × 5; the unassessed one stays put. */
  upg_heat_map_set_residual (map, TRUE);
  g_assert_cmpuint (upg_heat_map_get_count (map, 2, 5), ==, 0);
  g_assert_cmpuint (upg_heat_map_get_count (map, 1, 5), ==, 1);
  g_assert_cmpuint (upg_heat_map_get_count (map, 2, 3), ==, 1);
  g_assert_cmpuint (upg_heat_map_get_count (map, 2, 2), ==, 1);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (upg_heat_map_get_cell (map, 1, 5)), ==,
                   "Rare × Catastrophic: 1 risk, medium");
  click (upg_heat_map_get_cell (map, 1, 5));
  residual = register_titles (f);
  g_assert_cmpstr (residual, ==, "Backfill corrupts historic invoices\n");

  /* The clear button's action. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.clear-cell", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (upg_risk_page_get_register_model (f->page)), ==, 3);

  /* The level filter. */
  adw_combo_row_set_selected (combo (GTK_WIDGET (f->page), "Level"), 1 + UPG_RISK_LEVEL_MEDIUM);
  g_clear_pointer (&one, g_free);
  one = register_titles (f);
  g_assert_cmpstr (one, ==, "Gateway SDK slower under load\n");
  adw_combo_row_set_selected (combo (GTK_WIDGET (f->page), "Level"), 0);
  adw_combo_row_set_selected (combo (GTK_WIDGET (f->page), "Status"), 2);  /* All, open, mitigated */
  g_clear_pointer (&one, g_free);
  one = register_titles (f);
  g_assert_cmpstr (one, ==, "Support not briefed on new invoice layout\n");
}

static GtkWidget *
find_label_prefix (GtkWidget *root, const char *prefix)
{
  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (root)), prefix))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_prefix (child, prefix);
      if (found)
        return found;
    }
  return NULL;
}

/* An empty filtered register says what is filtered; the New Risk dialog
 * opens on its Title; a risk added while a filter would hide it clears the
 * filters, so it shows. */
static void
test_new_risk_filtered (Fixture       *f,
                        gconstpointer  data)
{
  UpgHeatMap *map = upg_risk_page_get_heat_map (f->page);
  GListModel *rows = upg_risk_page_get_register_model (f->page);
  UpgRiskEditor *editor;
  GtkWidget *title_row, *focus, *summary;

  adw_combo_row_set_selected (combo (GTK_WIDGET (f->page), "Level"), 1 + UPG_RISK_LEVEL_HIGH);
  click (upg_heat_map_get_cell (map, 5, 5));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  summary = find_label_prefix (GTK_WIDGET (f->page), "No risk of");
  g_assert_nonnull (summary);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (summary)), ==,
                   "No risk of 3 matches the filters: High, Almost certain × Catastrophic");

  gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.add", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  title_row = find_widget (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Title", NULL);
  focus = gtk_root_get_focus (GTK_ROOT (editor));
  g_assert_nonnull (focus);
  g_assert_true (focus == title_row || gtk_widget_is_ancestor (focus, title_row));

  gtk_editable_set_text (GTK_EDITABLE (title_row), "Cache warms slowly");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_editor ());
  /* Shown: the filters are off. */
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 4);
  g_assert_cmpuint (adw_combo_row_get_selected (combo (GTK_WIDGET (f->page), "Level")), ==, 0);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (upg_heat_map_get_cell (map, 5, 5))));
  g_assert_null (find_label_prefix (GTK_WIDGET (f->page), "No risk of"));
}

static void
test_add_edit_delete_undo (Fixture       *f,
                           gconstpointer  data)
{
  UpgHeatMap *map = upg_risk_page_get_heat_map (f->page);
  GListModel *rows = upg_risk_page_get_register_model (f->page);
  UpgRiskEditor *editor;
  GtkWidget *title_row;
  g_autofree char *before = NULL, *added = NULL, *edited = NULL, *deleted = NULL, *restored = NULL;
  const char *query =
    "SELECT title, category, likelihood, impact, residual_likelihood, residual_impact, "
    "mitigation, contingency, owner, status FROM risk ORDER BY position, id";

  before = sql_text (f, query);

  /* Add. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.add", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_true (upg_risk_editor_is_new (editor));
  title_row = find_widget (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Title", NULL);
  g_assert_nonnull (title_row);
  /* No title, no Add. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add", NULL);
  g_assert_true (find_editor () == editor);
  gtk_editable_set_text (GTK_EDITABLE (title_row), "Rollback script untested");
  adw_combo_row_set_selected (combo (GTK_WIDGET (editor), "Category"), 6);        /* security */
  adw_combo_row_set_selected (combo (GTK_WIDGET (editor), "Likelihood"), 3);      /* 4 · Likely */
  adw_combo_row_set_selected (combo (GTK_WIDGET (editor), "Impact"), 3);          /* 4 · Major */
  adw_combo_row_set_selected (combo (GTK_WIDGET (editor), "Owner"), 3);           /* Jonas Berg */
  set_text_view (GTK_WIDGET (editor), 0, "Rehearse it, twice.");
  /* Not in the file until Add. */
  {
    g_autofree char *now = sql_text (f, query);
    g_assert_cmpstr (now, ==, before);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_editor ());

  added = sql_text (f, query);
  g_assert_true (g_str_has_prefix (added, before));
  g_assert_cmpstr (added + strlen (before), ==,
                   "Rollback script untested|security|4|4|NULL|NULL|Rehearse it, twice.||Jonas Berg|open\n");
  g_assert_cmpuint (g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (f->project), &upg_entity_risk)), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 4);
  g_assert_cmpuint (upg_heat_map_get_count (map, 4, 4), ==, 1);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (upg_heat_map_get_cell (map, 4, 4)), ==,
                   "Likely × Major: 1 risk, high");

  /* Edit: every change is saved as it is made. */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (rows), register_position (f, "Rollback script untested"));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.edit", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_false (upg_risk_editor_is_new (editor));
  adw_combo_row_set_selected (combo (GTK_WIDGET (editor), "Status"), 1);               /* mitigated */
  adw_combo_row_set_selected (combo (GTK_WIDGET (editor), "Residual Likelihood"), 2);  /* 2 */
  adw_combo_row_set_selected (combo (GTK_WIDGET (editor), "Residual Impact"), 4);      /* 4 */
  set_text_view (GTK_WIDGET (editor), 1, "Restore the snapshot,\nthen call the DBA.");
  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Title", NULL)),
                         "Rollback script never rehearsed");
  close_editor (editor);

  edited = sql_text (f, query);
  g_assert_cmpstr (edited + strlen (before), ==,
                   "Rollback script never rehearsed|security|4|4|2|4|Rehearse it, twice.|"
                   "Restore the snapshot,\nthen call the DBA.|Jonas Berg|mitigated\n");
  /* The register follows: the row shows the new title. */
  g_assert_cmpuint (register_position (f, "Rollback script never rehearsed"), <, 4);

  /* Delete from the editor, then Undo from the toast's action. */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (rows), register_position (f, "Rollback script never rehearsed"));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.edit", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.delete", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_editor ());
  deleted = sql_text (f, query);
  g_assert_cmpstr (deleted, ==, before);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  g_assert_cmpuint (upg_heat_map_get_count (map, 4, 4), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.undo-delete", NULL));
  restored = sql_text (f, query);
  g_assert_cmpstr (restored, ==, edited);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 4);
  g_assert_cmpuint (upg_heat_map_get_count (map, 4, 4), ==, 1);

  /* Delete straight from the register (the Delete key's action). */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (rows), register_position (f, "Gateway SDK slower under load"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.delete", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  {
    g_autofree char *titles = sql_text (f, "SELECT title FROM risk");
    g_assert_null (strstr (titles, "Gateway"));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.undo-delete", NULL));
  g_clear_pointer (&restored, g_free);
  restored = sql_text (f, query);
  g_assert_cmpstr (restored, ==, edited);
}

static void
test_library (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *rows = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.add-from-library", "u", 3));
  rows = sql_text (f, "SELECT title, category, likelihood, impact, status, length(mitigation) > 20, "
                      "length(contingency) > 20 FROM risk ORDER BY position DESC LIMIT 1");
  g_assert_cmpstr (rows, ==, "Data migration error or loss|data_migration|2|5|open|1|1\n");
  g_assert_cmpuint (g_list_model_get_n_items (upg_risk_page_get_register_model (f->page)), ==, 4);
}

static void
test_empty_and_null (void)
{
  GtkWidget *page = upg_risk_page_new ();

  g_object_ref_sink (page);
  upg_risk_page_set_project (UPG_RISK_PAGE (page), NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (upg_risk_page_get_register_model (UPG_RISK_PAGE (page))), ==, 0);
  gtk_widget_activate_action (page, "risks.add", NULL);
  g_assert_null (find_editor ());
  g_assert_finalize_object (page);
}

/* The test machine's gdk-pixbuf may lack an SVG loader, and GTK loads icons
 * in a thread with structured logging, which g_test_log_set_fatal_handler()
 * does not see: drop that one message, keep every other warning fatal. */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
        strstr (fields[i].value, "Failed to load icon") != NULL)
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

static gboolean
fatal_log_cb (const char     *domain,
              GLogLevelFlags  level,
              const char     *message,
              gpointer        data)
{
  return !(level & G_LOG_LEVEL_WARNING) || strstr (message, "Failed to load icon") == NULL;
}

static GtkWidget *
focus_widget (Fixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->window));
}

static void
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  g_assert_true (handled);
}

/* Tab enters the heat map once and leaves it; the arrow keys move inside. */
static void
test_heat_map_tab (Fixture       *f,
                   gconstpointer  data)
{
  UpgHeatMap *map = upg_risk_page_get_heat_map (f->page);
  GtkWidget *first = upg_heat_map_get_cell (map, 5, 1);
  GtkWidget *grid = gtk_widget_get_parent (first);
  guint stops = 0;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* One cell a Tab stop: the map's first (top left) cell. */
  for (int l = 1; l <= 5; l++)
    for (int i = 1; i <= 5; i++)
      stops += gtk_widget_get_can_focus (upg_heat_map_get_cell (map, l, i));
  g_assert_cmpuint (stops, ==, 1);

  g_assert_true (gtk_widget_grab_focus (first));
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD));
  g_assert_false (gtk_widget_is_ancestor (focus_widget (f), grid));
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_BACKWARD));
  g_assert_true (focus_widget (f) == first);

  /* Arrows move; Tab then leaves from the cell reached, and comes back to it. */
  press_key (grid, GDK_KEY_Down);
  press_key (grid, GDK_KEY_End);
  g_assert_true (focus_widget (f) == upg_heat_map_get_cell (map, 4, 5));
  press_key (grid, GDK_KEY_Down);
  press_key (grid, GDK_KEY_Down);
  press_key (grid, GDK_KEY_Down);
  press_key (grid, GDK_KEY_Down);
  /* The last cell (Rare × Catastrophic) does not hold the focus. */
  g_assert_true (focus_widget (f) == upg_heat_map_get_cell (map, 1, 5));
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD));
  g_assert_false (gtk_widget_is_ancestor (focus_widget (f), grid));
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_BACKWARD));
  g_assert_true (focus_widget (f) == upg_heat_map_get_cell (map, 1, 5));
}

/* The project's own risk levels, set from the Risks section, saved with the
 * plan; the heat map and register follow. */
static void
test_levels (Fixture *f, gconstpointer data)
{
  GListModel *windows = gtk_window_get_toplevels ();
  GtkWidget *dialog = NULL;
  GtkWidget *row, *spin;
  g_autofree char *exported = NULL;

  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (f->project), UPG_PROJECT_RISK_THRESHOLDS), ==, "5,10,20");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.levels", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (windows); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (windows, i);
      if (g_strcmp0 (gtk_window_get_title (GTK_WINDOW (w)), "Risk Levels") == 0)
        dialog = w;
    }
  g_assert_nonnull (dialog);
  row = find_widget (dialog, ADW_TYPE_ACTION_ROW, "High From", NULL);
  g_assert_nonnull (row);
  spin = find_widget (row, GTK_TYPE_SPIN_BUTTON, NULL, NULL);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 8);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (f->project), UPG_PROJECT_RISK_THRESHOLDS), ==, "5,8,20");
  /* A score of 8 (unlikely × major) is high now. */
  g_assert_true (g_str_has_suffix (gtk_widget_get_tooltip_text (upg_heat_map_get_cell (upg_risk_page_get_heat_map (f->page), 2, 4)),
                                   "high"));
  exported = upg_plan_export (f->store, 0, NULL);
  g_assert_nonnull (strstr (exported, "\"risk_thresholds\": [\n        5,\n        8,\n        20\n      ],"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Issue 17, case 8: the editor's entries take no more than a field holds
 * (500 characters for the title), its text views refuse what would go over
 * (100,000 for mitigation and contingency). */
static void
test_text_limits (Fixture       *f,
                  gconstpointer  data)
{
  UpgRiskEditor *editor;
  GtkWidget *title_row, *view;
  GtkTextBuffer *buffer;
  g_autofree char *title = g_strnfill (501, 't');
  g_autofree char *longest = g_strnfill (100000, 'm');
  guint nth = 0;

  gtk_widget_activate_action (GTK_WIDGET (f->page), "risks.add", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  title_row = find_widget (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Title", NULL);
  gtk_editable_set_text (GTK_EDITABLE (title_row), title);
  g_assert_cmpuint (strlen (gtk_editable_get_text (GTK_EDITABLE (title_row))), ==, 500);

  view = find_widget (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW, NULL, &nth);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_set_text (buffer, longest, -1);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 100000);
  gtk_text_buffer_insert_at_cursor (buffer, "x", -1);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 100000);
  gtk_text_buffer_set_text (buffer, "short", -1);
  gtk_text_buffer_insert_at_cursor (buffer, "漢字", -1);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 7);
  gtk_window_destroy (GTK_WINDOW (editor));
}

int
main (int argc, char **argv)
{
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  upg_test_init (&argc, &argv);
  /* No accessibility bus under xvfb-run: GTK would warn (fatal here). */
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);
  gtk_init ();
  adw_init ();
  /* The static library's resources are not linked in by reference. */
  g_resources_register (upg_get_resource ());

  g_test_add ("/risk-page/heat-map-filter", Fixture, NULL, fixture_setup, test_heat_map_filter, fixture_teardown);
  g_test_add ("/risk-page/add-edit-delete-undo", Fixture, NULL, fixture_setup, test_add_edit_delete_undo, fixture_teardown);
  g_test_add ("/risk-page/new-risk-filtered", Fixture, NULL, fixture_setup, test_new_risk_filtered, fixture_teardown);
  g_test_add ("/risk-page/library", Fixture, NULL, fixture_setup, test_library, fixture_teardown);
  g_test_add_func ("/risk-page/empty", test_empty_and_null);
  g_test_add ("/risk-page/heat-map-tab", Fixture, NULL, fixture_setup, test_heat_map_tab, fixture_teardown);
  g_test_add ("/risk-page/levels", Fixture, NULL, fixture_setup, test_levels, fixture_teardown);
  g_test_add ("/risk-page/text-limits", Fixture, NULL, fixture_setup, test_text_limits, fixture_teardown);

  return g_test_run ();
}
