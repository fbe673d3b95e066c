/* test-window-file.c — the window and its plan file: a read-only file opens
 * to read, a change made by the command line shows without a restart. */
#include "config.h"

#include <adwaita.h>

#include "upg-test-util.h"
#include "upg-test-widgets.h"
#include "core/store/upg-store.h"
#include "ui/upg-window.h"

static void
collect_type (GtkWidget *root,
              GType      type,
              GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_type (child, type, found);
}

/* A plan file with the sample plan, made by the command line. */
static char *
sample_file (void)
{
  char *path = upg_test_tmpfile ("window.upgplan");
  g_autofree char *in = upg_test_data_path ("sample-plan.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (upg_test_run_cli (&out, &err, "import", "--db", path, in, NULL), ==, 0);
  return path;
}

/* Issue 12, case 4: a file opened read-only says so and offers no edits. */
static void
test_read_only (void)
{
  g_autofree char *path = sample_file ();
  g_autoptr(GError) error = NULL;
  UpgStore *store = upg_store_open (path, UPG_STORE_OPEN_READ_ONLY, &error);
  AdwWindowTitle *title;
  UpgWindow *window;

  g_assert_no_error (error);
  g_assert_true (upg_store_load (store, &error));
  window = upg_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  upg_test_drain ();

  {
    g_autoptr(GPtrArray) titles = g_ptr_array_new ();
    guint shown = 0;

    collect_type (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, titles);
    for (guint i = 0; i < titles->len; i++)
      {
        title = ADW_WINDOW_TITLE (titles->pdata[i]);
        if (g_strcmp0 (adw_window_title_get_subtitle (title), "window.upgplan (read-only)") == 0)
          shown++;
      }
    g_assert_cmpuint (shown, ==, 1);
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-project", NULL);
  upg_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  upg_test_drain ();
  g_assert_finalize_object (store);
}

static UpgRecord *
step_of (UpgStore *store, UpgProject *project, guint n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (upg_store_load_children (store, UPG_RECORD (project), &error));
  g_assert_no_error (error);
  return g_list_model_get_item (upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step), n - 1);
}

/* Issue 9: "sop check" on the command line shows in an open window. */
static UpgWindow *watched_window;
static gpointer watched_before;

/* The window shows the project again, read anew from the file. */
static gboolean
project_reloaded (gpointer data)
{
  return (gpointer) upg_window_get_project (watched_window) != watched_before;
}

static void
test_external_change (void)
{
  g_autofree char *path = sample_file ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  UpgStore *store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  UpgProject *before;
  UpgWindow *window;

  g_assert_no_error (error);
  g_assert_true (upg_store_load (store, &error));
  window = upg_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  upg_test_drain ();
  upg_store_watch_external_changes (store, 20);

  before = upg_window_get_project (window);
  g_assert_nonnull (before);
  {
    g_autoptr(UpgRecord) step = step_of (store, before, 2);
    g_assert_null (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT));
  }

  g_assert_cmpint (upg_test_run_cli (&out, &err, "sop", "check", "--db", path, "--project", "1", "--step", "2",
                                     "--by", "Jonas Berg", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");

  watched_window = window;
  watched_before = before;
  upg_test_wait_for (project_reloaded, NULL);
  {
    UpgProject *after = upg_window_get_project (window);
    g_autoptr(UpgRecord) step = step_of (store, after, 2);
    g_assert_cmpint (upg_record_get_id (UPG_RECORD (after)), ==, 1);
    g_assert_nonnull (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT));
    g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY), ==, "Jonas Berg");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  upg_test_drain ();
  g_assert_finalize_object (store);
}

int
main (int argc, char **argv)
{
  upg_test_widgets_init (&argc, &argv);

  g_test_add_func ("/window-file/read-only", test_read_only);
  g_test_add_func ("/window-file/external-change", test_external_change);

  return g_test_run ();
}
