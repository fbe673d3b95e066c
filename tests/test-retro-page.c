/* test-retro-page.c — the Retrospective section and the Insights view,
 * driven through their widgets and actions; the store is asked what it
 * holds. */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "upg-test-util.h"
#include "upg-test-widgets.h"
#include "core/upg-plan.h"
#include "core/upg-retro.h"
#include "core/upg-draw.h"
#include "ui/upg-insights-view.h"
#include "ui/upg-retro-page.h"
#include "ui/upg-window.h"

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;
  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static char *
import_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = upg_test_tmpfile ("retro.upgplan");
  g_autofree char *json_path = upg_test_data_path ("retro-plan.json");
  g_autofree char *json = upg_test_read (json_path, NULL);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  upg_plan_import (store, json, -1, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

typedef struct {
  char      *path;
  UpgStore  *store;
  GtkWidget *window;
  GtkWidget *page;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay = adw_toast_overlay_new ();

  f->path = import_fixture ();
  f->store = upg_store_open (f->path, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 900);
  f->page = upg_retro_page_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), f->page);
  gtk_window_set_child (GTK_WINDOW (f->window), overlay);
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

static UpgProject *
project (Fixture *f, gint64 id)
{
  g_autoptr(GError) error = NULL;
  UpgProject *p = upg_store_lookup_project (f->store, id, &error);
  g_assert_no_error (error);
  g_object_unref (p);   /* the store's list keeps it */
  return p;
}

/* The visible text of every label under @root, joined by "|". */
static void
collect_text (GtkWidget *root, GString *out)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root))
    g_string_append_printf (out, "%s|", gtk_label_get_text (GTK_LABEL (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static char *
text_of (GtkWidget *root)
{
  GString *out = g_string_new (NULL);
  collect_text (root, out);
  return g_string_free (out, FALSE);
}

/* A project with a retrospective: the plan held against what happened,
 * and the items in their groups. */
static void
test_shows_retro (Fixture *f, gconstpointer data)
{
  GtkWidget *stack = upg_test_find_type (f->page, GTK_TYPE_STACK);
  GtkListBox *actions, *went_well;
  g_autofree char *text = NULL;

  upg_retro_page_set_project (UPG_RETRO_PAGE (f->page), f->store, project (f, 1));
  upg_test_drain ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "retro");
  g_assert_nonnull (upg_retro_page_get_retro (UPG_RETRO_PAGE (f->page)));

  went_well = upg_retro_page_get_list (UPG_RETRO_PAGE (f->page), "went_well");
  actions = upg_retro_page_get_list (UPG_RETRO_PAGE (f->page), "action");
  g_assert_cmpuint (n_rows (went_well), ==, 1);
  g_assert_cmpuint (n_rows (upg_retro_page_get_list (UPG_RETRO_PAGE (f->page), "went_wrong")), ==, 1);
  g_assert_cmpuint (n_rows (upg_retro_page_get_list (UPG_RETRO_PAGE (f->page), "lesson")), ==, 1);
  g_assert_cmpuint (n_rows (actions), ==, 2);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (actions)));

  text = text_of (f->page);
  /* The window across midnight in the project's zone, and the overrun. */
  g_assert_nonnull (strstr (text, "Planned: 2026-12-05 22:00 – 2026-12-06 00:00 (Asia/Shanghai, UTC+8)\n"
                                  "Actual: 2026-12-05 22:05 – 2026-12-06 00:25 (Asia/Shanghai, UTC+8)|25 min late|"));
  g_assert_nonnull (strstr (text, "4 min over target"));
  g_assert_nonnull (strstr (text, "Gray stage: Canary 50%|Planned: 50 % of users by 2026-12-06|Aborted (rolled back)|"));
  g_assert_nonnull (strstr (text, "Regression and load tests passed|Due 2026-12-01 · done 2026-12-03|2 days late|"));
  g_assert_nonnull (strstr (text, "Size the SDK connection pool from peak metrics"));
  g_assert_nonnull (strstr (text, "Open · Jonas Berg · due 2026-12-15 · OPS-412"));

  /* Editing the retrospective updates the comparison. */
  upg_record_set_int (upg_retro_page_get_retro (UPG_RETRO_PAGE (f->page)), UPG_RETRO_ROLLBACK_MINUTES, 8);
  upg_test_drain ();
  g_free (text);
  text = text_of (f->page);
  g_assert_null (strstr (text, "4 min over target"));
  g_assert_nonnull (strstr (text, "Used; took 8 min"));

  /* Adding an action through the group's button. */
  g_assert_true (gtk_widget_activate_action (f->page, "retro.add", "s", "action"));
  upg_test_drain ();
  g_assert_cmpuint (n_rows (actions), ==, 3);

  upg_retro_page_set_project (UPG_RETRO_PAGE (f->page), NULL, NULL);
  upg_test_drain ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
}

/* Without a retrospective: the empty state's one action starts it,
 * seeded from the file, saved at once. */
static void
test_start (Fixture *f, gconstpointer data)
{
  GtkWidget *stack = upg_test_find_type (f->page, GTK_TYPE_STACK);
  UpgRecord *retro;
  g_autofree char *text = NULL;

  upg_retro_page_set_project (UPG_RETRO_PAGE (f->page), f->store, project (f, 3));
  upg_test_drain ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_null (upg_retro_page_get_retro (UPG_RETRO_PAGE (f->page)));

  g_assert_true (gtk_widget_activate_action (f->page, "retro.start", NULL));
  upg_test_drain ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "retro");
  retro = upg_retro_page_get_retro (UPG_RETRO_PAGE (f->page));
  g_assert_nonnull (retro);
  g_assert_cmpint (upg_record_get_id (retro), >, 0);
  /* Search is newest: both older projects' open actions come to review. */
  g_assert_cmpuint (n_rows (upg_retro_page_get_list (UPG_RETRO_PAGE (f->page), "lesson")), ==, 2);
  text = text_of (f->page);
  g_assert_nonnull (strstr (text, "Review the open action from “Shop 3.0 launch”: Write the rollback runbook for the shop"));
  /* Started once only. */
  g_assert_true (gtk_widget_activate_action (f->page, "retro.start", NULL));
  upg_test_drain ();
  g_assert_true (upg_retro_page_get_retro (UPG_RETRO_PAGE (f->page)) == retro);
  g_assert_cmpint (upg_record_get_id (upg_retro_page_get_retro (UPG_RETRO_PAGE (f->page))), ==,
                   upg_record_get_id (retro));
  g_assert_cmpuint (n_rows (upg_retro_page_get_list (UPG_RETRO_PAGE (f->page), "lesson")), ==, 2);
}

/* An open action carried into another project's checklist from its row. */
static void
test_carry (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UpgProject *billing = project (f, 1);
  UpgProject *search = project (f, 3);
  GListModel *items, *steps;
  g_autoptr(UpgRecord) action = NULL;
  guint n_steps;

  upg_retro_page_set_project (UPG_RETRO_PAGE (f->page), f->store, billing);
  upg_test_drain ();
  items = upg_record_get_children (upg_project_get_retro (billing), &upg_entity_retro_item);
  action = g_list_model_get_item (items, 3);
  upg_store_load_children (f->store, UPG_RECORD (search), &error);
  g_assert_no_error (error);
  steps = upg_record_get_children (UPG_RECORD (search), &upg_entity_sop_step);
  n_steps = g_list_model_get_n_items (steps);

  g_assert_true (gtk_widget_activate_action (f->page, "retro.carry", "(xx)",
                                             upg_record_get_id (action), (gint64) 3));
  upg_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, n_steps + 1);
  g_assert_cmpstr (upg_record_get_string (action, UPG_RETRO_ITEM_CARRIED_TO), ==,
                   upg_record_get_string (UPG_RECORD (search), UPG_PROJECT_UID));
  {
    g_autofree char *text = text_of (f->page);
    g_assert_nonnull (strstr (text, "in the checklist of “Search 2.0”"));
  }
}

/* ---- Insights ---- */

static void
test_insights_view (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *view = upg_insights_view_new ();
  const UpgInsights *in;
  GtkListBox *actions;
  g_autofree char *text = NULL;
  GtkWidget *stack;

  g_assert_no_error (error);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), view);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 1400);
  upg_insights_view_set_store (UPG_INSIGHTS_VIEW (view), store, "2026-12-07");
  gtk_window_present (GTK_WINDOW (window));
  upg_test_drain ();

  stack = upg_test_find_type (view, GTK_TYPE_STACK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "insights");
  in = upg_insights_view_get_insights (UPG_INSIGHTS_VIEW (view));
  g_assert_cmpuint (in->n_upgrades, ==, 2);
  g_assert_cmpuint (upg_insights_failure_percent (in), ==, 50);
  for (guint t = 0; t < UPG_INSIGHTS_N_TILES; t++)
    {
      GtkWidget *tile = upg_insights_view_get_tile (UPG_INSIGHTS_VIEW (view), t);
      g_assert_true (gtk_widget_get_mapped (tile));
      g_assert_cmpint (gtk_widget_get_height (tile), >, 100);
    }
  {
    const char *tip = gtk_widget_get_tooltip_text (upg_insights_view_get_tile (UPG_INSIGHTS_VIEW (view),
                                                                                     UPG_INSIGHTS_TILE_FAILURE));
    g_assert_cmpstr (tip, ==, "50 %: 1 of 2 upgrades rolled back or with incidents");
  }

  actions = upg_insights_view_get_actions_list (UPG_INSIGHTS_VIEW (view));
  g_assert_cmpuint (n_rows (actions), ==, 2);
  text = text_of (GTK_WIDGET (gtk_list_box_get_row_at_index (actions, 0)));
  /* Overdue first, marked in words. */
  g_assert_cmpstr (text, ==, "Overdue|Write the rollback runbook for the shop|Mei Lin · 2026-11-01 · Shop 3.0 launch|");
  g_free (text);
  text = text_of (view);
  g_assert_nonnull (strstr (text, "Gray-release stages aborted|1 of 3|"));
  g_assert_nonnull (strstr (text, "Occurred risks that had been scored low|2 of 3|"));

  /* Carrying from the insights. */
  {
    UpgInsightsAction *a = g_ptr_array_index (in->open_actions, 0);
    g_assert_true (gtk_widget_activate_action (view, "insights.carry", "(xx)", a->item_id, (gint64) 3));
    upg_test_drain ();
    g_assert_cmpstr (a->carried_to, ==, "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
    {
      /* In the file too. */
      g_autoptr(UpgStore) other = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
      g_autofree char *plan = upg_plan_export (other, 2, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (plan, "\"carried_to\": \"5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a\""));
    }
    g_free (text);
    text = text_of (GTK_WIDGET (gtk_list_box_get_row_at_index (actions, 0)));
    g_assert_nonnull (strstr (text, "In the checklist of “Search 2.0”"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  upg_test_drain ();
}

/* An empty file: the status page, not empty charts. */
static void
test_insights_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = upg_test_tmpfile ("empty.upgplan");
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  GtkWidget *view = g_object_ref_sink (upg_insights_view_new ());
  GtkWidget *stack = upg_test_find_type (view, GTK_TYPE_STACK);

  upg_insights_view_set_store (UPG_INSIGHTS_VIEW (view), store, "2026-12-07");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_finalize_object (view);
}

/* The window's Retrospective section is the page, given the project. */
static void
test_window_section (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = import_fixture ();
  UpgStore *store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  UpgWindow *window;
  GtkWidget *page;

  g_assert_no_error (error);
  window = upg_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  upg_test_drain ();
  upg_window_select_project (window, project (&(Fixture) { .store = store }, 1));
  upg_window_show_section (window, "retrospective");
  upg_test_drain ();
  page = upg_test_find_type (GTK_WIDGET (window), UPG_TYPE_RETRO_PAGE);
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_get_mapped (page));
  g_assert_nonnull (upg_retro_page_get_retro (UPG_RETRO_PAGE (page)));
  g_assert_nonnull (upg_test_find_named (page, "retro-action-list"));
  gtk_window_destroy (GTK_WINDOW (window));
  upg_test_drain ();
  g_object_unref (store);
}

int
main (int argc, char **argv)
{
  upg_test_widgets_init (&argc, &argv);

  g_test_add ("/retro-page/shows-retro", Fixture, NULL, fixture_setup, test_shows_retro, fixture_teardown);
  g_test_add ("/retro-page/start", Fixture, NULL, fixture_setup, test_start, fixture_teardown);
  g_test_add ("/retro-page/carry", Fixture, NULL, fixture_setup, test_carry, fixture_teardown);
  g_test_add_func ("/retro-page/insights", test_insights_view);
  g_test_add_func ("/retro-page/insights-empty", test_insights_empty);
  g_test_add_func ("/retro-page/window-section", test_window_section);
  return g_test_run ();
}
