/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-server.c — the window on a team server (issue 21): it says
 * which server and role it is on, a role that may only read opens it
 * read-only, another person's check shows in it, a lost server shows a
 * banner whose Retry connects again, Save a Copy writes what
 * `export plan` writes, and Publish sends a plan file's plan to a server.
 * Runs through pg-cluster.sh (a throwaway cluster). */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "upg-test-pg.h"
#include "upg-test-util.h"
#include "upg-test-widgets.h"
#include "core/store/upg-store.h"
#include "core/upg-notify.h"
#include "core/upg-retro.h"
#include "core/upg-sop.h"
#include "ui/upg-application.h"
#include "ui/upg-checklist-page.h"
#include "ui/upg-connect-dialog.h"
#include "ui/upg-insights-view.h"
#include "ui/upg-step-row.h"
#include "ui/upg-window.h"

/* How many of the window's titles have @subtitle. */
static guint
count_subtitles (UpgWindow  *window,
                 const char *subtitle)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  guint shown = 0;

  upg_test_collect_type (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, titles);
  for (guint i = 0; i < titles->len; i++)
    if (g_strcmp0 (adw_window_title_get_subtitle (titles->pdata[i]), subtitle) == 0)
      shown++;
  return shown;
}

/* Runs @sql on @conn (another client of the server, holding a lock or a
 * row in its transaction), which must end with @status. */
static void
exec_held (PGconn *conn, const char *sql, ExecStatusType status)
{
  PGresult *result = PQexec (conn, sql);

  g_assert_cmpint (PQresultStatus (result), ==, status);
  PQclear (result);
}

/* Runs the main context for @usec: the window goes on meanwhile. */
static void
run_for (gint64 usec)
{
  gint64 deadline = g_get_monotonic_time () + usec;

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
has_project (gpointer data)
{
  return upg_window_get_project (data) != NULL;
}

static UpgWindow *
window_on (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (uri, UPG_STORE_OPEN_EXISTING | UPG_STORE_OPEN_LISTEN, &error);
  UpgWindow *window;

  g_assert_no_error (error);
  g_assert_true (upg_store_load (store, &error));
  g_assert_no_error (error);
  window = upg_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  /* The first project is read in the store's thread. */
  if (g_list_model_get_n_items (upg_store_get_projects (store)) > 0)
    upg_test_wait_for (has_project, window);
  upg_test_drain ();
  return window;
}

/* Only the caller holds @data (the thread's jobs are done). */
static gboolean
only_ours (gpointer data)
{
  return g_atomic_int_get (&G_OBJECT (data)->ref_count) == 1;
}

static void
close_window (UpgWindow *window)
{
  UpgStore *store = g_object_ref (upg_window_get_store (window));

  gtk_window_destroy (GTK_WINDOW (window));
  upg_test_drain ();
  /* The store goes once what its thread writes or reads is done. */
  upg_test_wait_for (only_ours, store);
  g_assert_finalize_object (store);
}

/* The title names the server and the role. */
static void
test_title (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *where = upg_test_pg_location (db);
  g_autofree char *subtitle = g_strdup_printf ("%s · role postgres", where);
  UpgWindow *window = window_on (uri);

  g_assert_cmpuint (count_subtitles (window, subtitle), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (upg_test_find_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK))));
  g_assert_cmpint (upg_record_get_id (UPG_RECORD (upg_window_get_project (window))), ==, 1);
  close_window (window);
}

/* A role that may only read: the window says "read-only" and offers no
 * edits, as for a read-only file. */
static void build_menus (UpgWindow *window);
static gboolean offers (UpgWindow *window, const char *label);
static const char * const reading_items[10];

static void
test_read_only_role (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *where = upg_test_pg_location (db);
  g_autofree char *viewer = NULL;
  g_autofree char *subtitle = NULL;
  UpgWindow *window;

  upg_test_pg_exec (NULL, "DO $$ BEGIN CREATE ROLE upg_viewer LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
  upg_test_pg_exec (db, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO upg_viewer");
  viewer = upg_test_pg_uri (db, "upg_viewer");
  window = window_on (viewer);

  subtitle = g_strdup_printf ("%s · role upg_viewer (read-only)", where);
  g_assert_cmpuint (count_subtitles (window, subtitle), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (upg_test_find_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK))));
  /* It reads and exports everything from the menus, as it says: what the
   * sections export too. */
  build_menus (window);
  for (guint i = 0; i < G_N_ELEMENTS (reading_items); i++)
    g_assert_true (offers (window, reading_items[i]));
  g_assert_false (offers (window, "Delete Project"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-project", NULL);
  upg_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (upg_window_get_store (window))), ==, 1);
  {
    g_autofree char *projects = upg_test_pg_query (db, "SELECT count(*) FROM project");
    g_assert_cmpstr (projects, ==, "1");
  }
  close_window (window);
}

/* The subtitle of the checklist row that says @text, if one does. */
static gboolean
step_row_says (gpointer data)
{
  gpointer *args = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  upg_test_collect_type (GTK_WIDGET (args[0]), UPG_TYPE_STEP_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (strstr (adw_action_row_get_subtitle (rows->pdata[i]), args[1]) != NULL)
      return TRUE;
  return FALSE;
}

/* A check made by another connection (the command line) shows in the
 * open window's checklist, heard through LISTEN/NOTIFY. */
static void
test_live_check (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  UpgWindow *window = window_on (uri);
  gpointer args[2] = { window, "Checked by Priya Raman at " };
  gint64 start;

  upg_window_show_section (window, "checklist");
  upg_test_drain ();
  g_assert_false (step_row_says (args));

  g_assert_cmpint (upg_test_run_cli (&out, &err, "sop", "check", "--db", uri, "--project", "1", "--step", "2",
                                     "--by", "Priya Raman", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  start = g_get_monotonic_time ();
  upg_test_wait_for (step_row_says, args);
  /* Issue 21: within a second. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  close_window (window);
}

static gboolean
row_not_busy (gpointer data)
{
  return !upg_step_row_get_busy (data);
}

static gboolean
row_checked (gpointer data)
{
  return upg_sop_step_is_done (upg_step_row_get_step (data));
}

/* The checklist's row of the step whose title starts with @title, with
 * the checklist shown and Mei Lin as the one who checks. */
static UpgStepRow *
checklist_row (UpgWindow *window, const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  upg_window_show_section (window, "checklist");
  upg_test_drain ();
  upg_checklist_page_set_checker (UPG_CHECKLIST_PAGE (upg_test_find_type (GTK_WIDGET (window), UPG_TYPE_CHECKLIST_PAGE)),
                                  "Mei Lin");
  upg_test_collect_type (GTK_WIDGET (window), UPG_TYPE_STEP_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_has_prefix (upg_record_get_string (upg_step_row_get_step (rows->pdata[i]), UPG_SOP_STEP_TITLE), title))
      return rows->pdata[i];
  g_assert_not_reached ();
}

/* The title of the server's first risk is data[1]. */
static gboolean
first_risk_titled (gpointer data)
{
  gpointer *args = data;
  g_autofree char *title = upg_test_pg_query (args[0], "SELECT title FROM risk ORDER BY position LIMIT 1");
  return g_strcmp0 (title, args[1]) == 0;
}

/* The title of the first risk of the server's second project is data[1]. */
static gboolean
second_project_risk_titled (gpointer data)
{
  gpointer *args = data;
  g_autofree char *title = upg_test_pg_query (args[0], "SELECT title FROM risk WHERE project_id = "
                                              "(SELECT max (id) FROM project) ORDER BY position LIMIT 1");
  return g_strcmp0 (title, args[1]) == 0;
}

/* The goal of the server's project 1 is data[1]. */
static gboolean
server_goal_is (gpointer data)
{
  gpointer *args = data;
  g_autofree char *goal = upg_test_pg_query (args[0], "SELECT goal FROM project WHERE id = 1");
  return g_strcmp0 (goal, args[1]) == 0;
}

static void
store_write_failed_cb (UpgStore     *store,
                       const GError *error,
                       GPtrArray    *messages)
{
  g_ptr_array_add (messages, g_strdup (error->message));
}

static gboolean
has_message (gpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

/* Editing a field in a window on a team server never waits on the
 * network: the store takes the value at once and a thread writes it,
 * also while the row is locked on the server; two quick edits of one
 * field both go in, in order (the second on the version the first
 * made); an edit on a row someone changed meanwhile is refused later,
 * and the window shows their value and who made it. */
static void
test_edit_in_thread (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s user=postgres", db);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  UpgWindow *window = window_on (uri);
  UpgStore *store = upg_window_get_store (window);
  UpgRecord *project = UPG_RECORD (upg_window_get_project (window));
  PGconn *holder = PQconnectdb (conninfo);
  gpointer mine[2] = { db, "Mine, written while the row was locked" };
  gpointer second[2] = { db, "Second of two quick edits" };
  gint64 start;

  g_signal_connect (store, "write-failed", G_CALLBACK (store_write_failed_cb), messages);
  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);

  /* The row is locked on the server: the edit does not wait. */
  exec_held (holder, "BEGIN; SELECT 1 FROM project WHERE id = 1 FOR UPDATE", PGRES_TUPLES_OK);
  start = g_get_monotonic_time ();
  upg_record_set_string (project, UPG_PROJECT_GOAL, mine[1]);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 5);
  g_assert_cmpstr (upg_record_get_string (project, UPG_PROJECT_GOAL), ==, mine[1]);
  run_for (G_USEC_PER_SEC / 2);
  g_assert_false (server_goal_is (mine));
  exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
  upg_test_wait_for (server_goal_is, mine);

  /* Two edits, the second before the first is written. */
  upg_record_set_string (project, UPG_PROJECT_GOAL, "First of two quick edits");
  upg_record_set_string (project, UPG_PROJECT_GOAL, second[1]);
  upg_test_wait_for (server_goal_is, second);
  upg_test_drain ();
  g_assert_cmpuint (messages->len, ==, 0);
  g_assert_cmpstr (upg_record_get_string (project, UPG_PROJECT_GOAL), ==, second[1]);

  /* Someone changes the row first (their transaction holds it while the
   * window's write waits): the window's edit is refused, and it shows
   * theirs. */
  exec_held (holder, "BEGIN; UPDATE project SET goal = 'Theirs' WHERE id = 1", PGRES_COMMAND_OK);
  upg_record_set_string (project, UPG_PROJECT_GOAL, "Mine, on a stale row");
  run_for (G_USEC_PER_SEC / 5);
  exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
  upg_test_wait_for (has_message, messages);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (messages->pdata[0], ==,
                   "postgres changed it meanwhile (Goal is now “Theirs”); your change to Goal was not saved");
  g_assert_cmpstr (upg_record_get_string (project, UPG_PROJECT_GOAL), ==, "Theirs");
  {
    g_autofree char *goal = upg_test_pg_query (db, "SELECT goal FROM project WHERE id = 1");
    g_assert_cmpstr (goal, ==, "Theirs");
  }

  g_signal_handlers_disconnect_by_func (store, store_write_failed_cb, messages);
  PQfinish (holder);
  close_window (window);
}

/* Whether the window shows that it loads a project. */
static gboolean
shows_loading (UpgWindow *window)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  upg_test_collect_type (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (g_strcmp0 (adw_status_page_get_title (pages->pdata[i]), "Loading the Project…") == 0 &&
        gtk_widget_get_mapped (pages->pdata[i]))
      return TRUE;
  return FALSE;
}

static gboolean
two_projects (gpointer data)
{
  return g_list_model_get_n_items (upg_store_get_projects (data)) == 2;
}

static gboolean
shows_project (gpointer data)
{
  gpointer *args = data;
  return upg_window_get_project (args[0]) == args[1] && !shows_loading (args[0]);
}

/* Choosing a project the window has not read yet: it is read in the
 * store's thread, the window says so and goes on meanwhile (also while
 * the server holds the rows up), then shows it; a project read before
 * shows at once. */
static void
test_switch_project (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s user=postgres", db);
  g_autofree char *sample = upg_test_data_path ("sample-plan.json");
  g_autofree char *text = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "second-plan.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  UpgWindow *window = window_on (uri);
  UpgStore *store = upg_window_get_store (window);
  UpgProject *first = upg_window_get_project (window);
  g_autoptr(UpgProject) second = NULL;
  PGconn *holder = PQconnectdb (conninfo);
  gpointer args[2] = { window, NULL };
  gint64 start;

  /* A second project, imported by the command line meanwhile. */
  g_assert_true (g_file_get_contents (sample, &text, NULL, NULL));
  {
    g_autoptr(GString) plan = g_string_new (text);
    g_string_replace (plan, "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", "0d5e8f2a-7c41-4b9e-a3d6-5f1e2c7b9a04", 1);
    g_string_replace (plan, "\"Billing service 4.2 upgrade\"", "\"Ledger service 5.0 upgrade\"", 1);
    g_assert_true (g_file_set_contents (path, plan->str, -1, NULL));
  }
  g_assert_cmpint (upg_test_run_cli (&out, &err, "import", "--db", uri, path, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  upg_test_wait_for (two_projects, store);
  second = g_list_model_get_item (upg_store_get_projects (store), 1);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (second), UPG_PROJECT_NAME), ==, "Ledger service 5.0 upgrade");
  g_assert_false (upg_record_children_loaded (UPG_RECORD (second)));

  /* The server holds its risks up: choosing it does not wait. */
  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  exec_held (holder, "BEGIN; LOCK TABLE risk_all IN ACCESS EXCLUSIVE MODE", PGRES_COMMAND_OK);
  start = g_get_monotonic_time ();
  upg_window_select_project (window, second);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 5);
  run_for (G_USEC_PER_SEC / 2);
  g_assert_true (shows_loading (window));
  g_assert_true (upg_window_get_project (window) == first);
  exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
  args[1] = second;
  upg_test_wait_for (shows_project, args);
  {
    GListModel *risks = upg_record_get_children (UPG_RECORD (second), &upg_entity_risk);
    g_assert_nonnull (risks);
    g_assert_cmpuint (g_list_model_get_n_items (risks), ==,
                      g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (first), &upg_entity_risk)));
  }

  /* Its records save through the window's store, as any. */
  {
    g_autoptr(UpgRecord) risk = g_list_model_get_item (upg_record_get_children (UPG_RECORD (second), &upg_entity_risk), 0);
    gpointer titled[2] = { db, "Read in a thread, saved all the same" };

    upg_record_set_string (risk, UPG_RISK_TITLE, titled[1]);
    upg_test_wait_for (second_project_risk_titled, titled);
  }

  /* Back to the first: read before, shown at once. */
  upg_window_select_project (window, first);
  g_assert_true (upg_window_get_project (window) == first);
  g_assert_false (shows_loading (window));

  PQfinish (holder);
  g_unlink (path);
  close_window (window);
}

/* The titles of the server's project 1's risks, in order, joined by "|". */
static char *
server_risks (const char *db)
{
  return upg_test_pg_query (db, "SELECT string_agg (title, '|' ORDER BY position, id) FROM risk WHERE project_id = 1");
}

static gboolean
server_risks_are (gpointer data)
{
  gpointer *args = data;
  g_autofree char *risks = server_risks (args[0]);
  return g_strcmp0 (risks, args[1]) == 0;
}

static gboolean
has_id (gpointer data)
{
  return upg_record_get_id (data) != 0;
}

/* A new row in a window on a team server is shown at once and written
 * by the store's thread, also while the server holds the table up; a
 * change made to it before it is written follows it; one put in the
 * middle takes its place there; one the rules refuse leaves the list
 * again, and the store says why. */
static void
test_insert_in_thread (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s user=postgres", db);
  g_autofree char *before = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  UpgWindow *window = window_on (uri);
  UpgStore *store = upg_window_get_store (window);
  UpgRecord *project = UPG_RECORD (upg_window_get_project (window));
  GListModel *risks = upg_record_get_children (project, &upg_entity_risk);
  guint n = g_list_model_get_n_items (risks);
  g_autoptr(UpgRecord) added = upg_record_new (&upg_entity_risk);
  g_autoptr(UpgRecord) first = upg_record_new (&upg_entity_risk);
  g_autoptr(UpgRecord) refused = upg_record_new (&upg_entity_email_template);
  g_autoptr(GError) error = NULL;
  PGconn *holder = PQconnectdb (conninfo);
  gpointer args[2] = { db, NULL };
  gint64 start;

  g_signal_connect (store, "write-failed", G_CALLBACK (store_write_failed_cb), messages);
  before = server_risks (db);
  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  exec_held (holder, "BEGIN; LOCK TABLE risk_all IN ACCESS EXCLUSIVE MODE", PGRES_COMMAND_OK);

  upg_record_set_string (added, UPG_RISK_TITLE, "Certificate expires on the day");
  start = g_get_monotonic_time ();
  g_assert_true (upg_store_insert (store, project, added, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 5);
  g_assert_cmpuint (g_list_model_get_n_items (risks), ==, n + 1);
  g_assert_cmpint (upg_record_get_id (added), ==, 0);
  /* Changed before it is written: the change follows it. */
  upg_record_set_string (added, UPG_RISK_TITLE, "Certificate renewed too late");
  run_for (G_USEC_PER_SEC / 2);
  exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
  expected = g_strconcat (before, "|Certificate renewed too late", NULL);
  args[1] = expected;
  upg_test_wait_for (server_risks_are, args);
  upg_test_wait_for (has_id, added);

  /* In the middle: first. */
  upg_record_set_string (first, UPG_RISK_TITLE, "Load balancer drains too slowly");
  g_assert_true (upg_store_insert (store, project, first, 0, &error));
  g_assert_no_error (error);
  g_clear_pointer (&expected, g_free);
  expected = g_strconcat ("Load balancer drains too slowly|", before, "|Certificate renewed too late", NULL);
  args[1] = expected;
  upg_test_wait_for (server_risks_are, args);
  upg_test_wait_for (has_id, first);
  upg_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (risks), ==, n + 2);
  {
    g_autoptr(UpgRecord) shown_first = g_list_model_get_item (risks, 0);
    g_autoptr(UpgRecord) shown_last = g_list_model_get_item (risks, n + 1);
    g_assert_true (shown_first == first);
    g_assert_true (shown_last == added);
  }
  g_assert_cmpuint (messages->len, ==, 0);

  /* Refused by the rules: shown, then gone, and said. */
  upg_record_set_string (refused, UPG_EMAIL_TEMPLATE_MOMENT, "started");
  upg_record_set_string (refused, UPG_EMAIL_TEMPLATE_LANGUAGE, "en");
  upg_record_set_string (refused, UPG_EMAIL_TEMPLATE_SUBJECT, "Started");
  upg_record_set_string (refused, UPG_EMAIL_TEMPLATE_BODY, "{{ GLib.getenv(\"HOME\") }}");
  g_assert_true (upg_store_insert (store, project, refused, -1, &error));
  g_assert_no_error (error);
  upg_test_wait_for (has_message, messages);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_true (g_str_has_prefix (messages->pdata[0], "body: line 1, column 4: “GLib.getenv(…)” is a call"));
  g_assert_null (upg_record_get_container (refused));
  g_assert_cmpint (upg_record_get_id (refused), ==, 0);
  {
    g_autofree char *templates = upg_test_pg_query (db, "SELECT count(*) FROM email_template WHERE moment = 'started'");
    g_assert_cmpstr (templates, ==, "0");
  }

  g_signal_handlers_disconnect_by_func (store, store_write_failed_cb, messages);
  PQfinish (holder);
  close_window (window);
}

/* The server says data[2] to data[1] (in project data[0]'s database). */
static gboolean
server_says (gpointer data)
{
  gpointer *args = data;
  g_autofree char *answer = upg_test_pg_query (args[0], args[1]);
  return g_strcmp0 (answer, args[2]) == 0;
}

/* The titles the window's @list shows, joined by "|". */
static char *
shown_titles (GListModel *list, guint field)
{
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0, n = g_list_model_get_n_items (list); i < n; i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (list, i);
      g_string_append_printf (titles, "%s%s", i ? "|" : "", upg_record_get_string (item, field));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static gboolean
in_list (GListModel *list, gpointer record)
{
  return g_list_store_find (G_LIST_STORE (list), record, NULL);
}

static gboolean
not_in_list (gpointer data)
{
  gpointer *args = data;
  return !in_list (args[0], args[1]);
}

/* Deleting, Undo and moving in a window on a team server never wait on
 * the network: the row goes, comes back or moves at once, also while
 * the server holds the table up, and the store's thread writes it (Undo
 * keeps the row's id; the order the server keeps is the one shown). A
 * member's risks go to the one chosen and come back on Undo; a deleted
 * milestone's calendar entry is cancelled, and no longer on Undo. What
 * the server refuses is said, and the window shows what is stored. */
static void
test_delete_in_thread (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s user=postgres", db);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  UpgWindow *window = window_on (uri);
  UpgStore *store = upg_window_get_store (window);
  UpgRecord *project = UPG_RECORD (upg_window_get_project (window));
  GListModel *risks = upg_record_get_children (project, &upg_entity_risk);
  guint n = g_list_model_get_n_items (risks);
  g_autoptr(UpgRecord) first = g_list_model_get_item (risks, 0);
  g_autoptr(UpgRecord) second = g_list_model_get_item (risks, 1);
  g_autoptr(UpgRecord) last = g_list_model_get_item (risks, n - 1);
  gint64 first_id = upg_record_get_id (first);
  g_autoptr(UpgDeletion) undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *shown = NULL;
  PGconn *holder = PQconnectdb (conninfo);
  gpointer args[3] = { db, NULL, NULL };
  gint64 start;

  g_assert_cmpuint (n, ==, 3);
  g_signal_connect (store, "write-failed", G_CALLBACK (store_write_failed_cb), messages);
  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  exec_held (holder, "BEGIN; LOCK TABLE risk_all IN ACCESS EXCLUSIVE MODE", PGRES_COMMAND_OK);

  /* Deleted, and the last moved first, while the table is held. */
  start = g_get_monotonic_time ();
  g_assert_true (upg_store_delete (store, first, &undo, &error));
  g_assert_no_error (error);
  g_assert_true (upg_store_move (store, last, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  g_assert_false (in_list (risks, first));
  expected = g_strdup_printf ("%s|%s", upg_record_get_string (last, UPG_RISK_TITLE),
                              upg_record_get_string (second, UPG_RISK_TITLE));
  shown = shown_titles (risks, UPG_RISK_TITLE);
  g_assert_cmpstr (shown, ==, expected);
  /* (The table is held: the server cannot be asked meanwhile.) */
  run_for (G_USEC_PER_SEC / 2);
  g_assert_false (in_list (risks, first));
  exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
  args[1] = expected;
  upg_test_wait_for (server_risks_are, args);

  /* Undo: back first, with its id, as on the server. */
  g_assert_true (upg_store_undo_delete (store, undo, &error));
  g_assert_no_error (error);
  g_assert_true (in_list (risks, first));
  args[1] = "SELECT count(*) FROM risk";
  args[2] = "3";
  upg_test_wait_for (server_says, args);
  upg_test_drain ();
  g_assert_cmpint (upg_record_get_id (first), ==, first_id);
  g_clear_pointer (&shown, g_free);
  shown = shown_titles (risks, UPG_RISK_TITLE);
  {
    g_autofree char *stored = server_risks (db);
    g_assert_cmpstr (shown, ==, stored);
  }
  g_assert_cmpuint (messages->len, ==, 0);
  g_clear_pointer (&undo, upg_deletion_free);

  /* Undo after the row was removed for good: back at once, then gone
   * again, and said. */
  g_assert_true (upg_store_delete (store, first, &undo, &error));
  args[2] = "2";
  upg_test_wait_for (server_says, args);
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM risk_all WHERE id = %" G_GINT64_FORMAT, first_id);
    exec_held (holder, sql, PGRES_COMMAND_OK);
  }
  g_assert_true (upg_store_undo_delete (store, undo, &error));
  g_assert_true (in_list (risks, first));
  upg_test_wait_for (has_message, messages);
  g_assert_cmpstr (messages->pdata[0], ==, "It can no longer be put back: it was removed from the server for good");
  g_assert_false (in_list (risks, first));
  g_ptr_array_set_size (messages, 0);
  g_clear_pointer (&undo, upg_deletion_free);

  /* Deleted by someone else first: said, and gone. */
  {
    g_autofree char *sql = g_strdup_printf ("BEGIN; DELETE FROM risk_all WHERE id = %" G_GINT64_FORMAT,
                                            upg_record_get_id (second));
    gpointer gone[2] = { risks, second };

    exec_held (holder, sql, PGRES_COMMAND_OK);
    g_assert_true (upg_store_delete (store, second, &undo, &error));
    g_assert_false (in_list (risks, second));
    run_for (G_USEC_PER_SEC / 5);
    exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
    upg_test_wait_for (has_message, messages);
    g_assert_cmpstr (messages->pdata[0], ==, "Someone else deleted it meanwhile");
    upg_test_wait_for (not_in_list, gone);
    g_ptr_array_set_size (messages, 0);
    g_clear_pointer (&undo, upg_deletion_free);
  }

  /* A member who owns a risk: it goes to the one chosen, and back. */
  {
    GListModel *team = upg_record_get_children (project, &upg_entity_member);
    g_autoptr(UpgRecord) mei = NULL;
    g_autofree char *owners = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (team) && mei == NULL; i++)
      {
        g_autoptr(UpgRecord) member = g_list_model_get_item (team, i);
        if (g_strcmp0 (upg_record_get_string (member, UPG_MEMBER_NAME), "Mei Lin") == 0)
          mei = g_object_ref (member);
      }
    g_assert_nonnull (mei);
    /* The one risk left is Jonas Berg's: give Mei Lin one. */
    upg_record_set_string (last, UPG_RISK_OWNER, "Mei Lin");
    args[1] = "SELECT string_agg (coalesce (owner, '-'), '|' ORDER BY id) FROM risk";
    args[2] = "Mei Lin";
    upg_test_wait_for (server_says, args);
    g_assert_cmpuint (upg_store_count_owned_risks (store, mei), ==, 1);

    g_assert_true (upg_store_delete_member (store, mei, "Ana Souza", &undo, &error));
    g_assert_no_error (error);
    g_assert_false (in_list (team, mei));
    args[2] = "Ana Souza";
    upg_test_wait_for (server_says, args);
    upg_test_drain ();
    g_assert_cmpstr (upg_record_get_string (last, UPG_RISK_OWNER), ==, "Ana Souza");
    owners = upg_test_pg_query (db, "SELECT count(*) FROM member WHERE name = 'Mei Lin'");
    g_assert_cmpstr (owners, ==, "0");

    g_assert_true (upg_store_undo_delete (store, undo, &error));
    g_assert_true (in_list (team, mei));
    args[2] = "Mei Lin";
    upg_test_wait_for (server_says, args);
    upg_test_drain ();
    g_assert_cmpstr (upg_record_get_string (last, UPG_RISK_OWNER), ==, "Mei Lin");
    g_clear_pointer (&undo, upg_deletion_free);
  }

  /* A dated milestone: its calendar entry is cancelled, and on Undo not. */
  {
    GListModel *milestones = upg_record_get_children (project, &upg_entity_milestone);
    g_autoptr(UpgRecord) milestone = g_list_model_get_item (milestones, 0);

    g_assert_nonnull (upg_record_get_string (milestone, UPG_MILESTONE_DUE));
    g_assert_true (upg_store_delete (store, milestone, &undo, &error));
    g_assert_false (in_list (milestones, milestone));
    args[1] = "SELECT count(*) FROM cancelled_milestone";
    args[2] = "1";
    upg_test_wait_for (server_says, args);
    g_assert_true (upg_store_undo_delete (store, undo, &error));
    g_assert_true (in_list (milestones, milestone));
    args[2] = "0";
    upg_test_wait_for (server_says, args);
    g_clear_pointer (&undo, upg_deletion_free);
  }
  upg_test_drain ();
  g_assert_cmpuint (messages->len, ==, 0);

  g_signal_handlers_disconnect_by_func (store, store_write_failed_cb, messages);
  PQfinish (holder);
  close_window (window);
}

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Outcome;

static void
written_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Outcome *outcome = data;

  outcome->ok = upg_store_write_finish (UPG_STORE (source), result, &outcome->error);
  outcome->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Outcome *) data)->done;
}

static void
outcome_clear (Outcome *outcome)
{
  g_clear_error (&outcome->error);
  outcome->done = outcome->ok = FALSE;
}

/* The server's project 1's steps as "phase:title", in order. */
static char *
server_steps (const char *db)
{
  return upg_test_pg_query (db, "SELECT string_agg (phase || ':' || title, '|' ORDER BY position, id) "
                                "FROM sop_step WHERE project_id = 1");
}

static char *
shown_steps (GListModel *steps)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0, n = g_list_model_get_n_items (steps); i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      g_string_append_printf (text, "%s%s:%s", i ? "|" : "", upg_record_get_string (step, UPG_SOP_STEP_PHASE),
                              upg_record_get_string (step, UPG_SOP_STEP_TITLE));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Release day's writes of several rows in a window on a team server
 * (the rollback begun, a step moved to another phase, a step saved from
 * its editor) never wait on the network: each is done in the store's
 * thread, on the project as the server has it then, also while the
 * server holds the rows up, and the window then shows what the server
 * holds. A rollback begun already, or a step someone deleted, is refused
 * with why. */
static void
test_release_day_in_thread (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s user=postgres", db);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  UpgWindow *window = window_on (uri);
  UpgStore *store = upg_window_get_store (window);
  UpgProject *project = upg_window_get_project (window);
  GListModel *steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  g_autoptr(UpgRecord) first = g_list_model_get_item (steps, 0);
  PGconn *holder = PQconnectdb (conninfo);
  Outcome outcome = { 0 };
  gint64 start;

  g_signal_connect (store, "write-failed", G_CALLBACK (store_write_failed_cb), messages);
  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 6);

  /* The rollback begun while the project's row is held. */
  exec_held (holder, "BEGIN; SELECT 1 FROM project WHERE id = 1 FOR UPDATE", PGRES_TUPLES_OK);
  start = g_get_monotonic_time ();
  upg_sop_rollback_async (store, project, TRUE, NULL, written_cb, &outcome);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  run_for (G_USEC_PER_SEC / 2);
  g_assert_false (outcome.done);
  g_assert_null (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_ROLLBACK_STARTED_AT));
  exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
  upg_test_wait_for (is_done, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_ROLLBACK_STARTED_AT), ==,
                   "2026-11-25T12:00:00Z");
  {
    g_autofree char *stored = upg_test_pg_query (db, "SELECT rollback_started_at FROM project WHERE id = 1");
    g_assert_cmpstr (stored, ==, "2026-11-25T12:00:00Z");
  }
  /* Begun already: refused, nothing changed. */
  outcome_clear (&outcome);
  upg_sop_rollback_async (store, project, TRUE, NULL, written_cb, &outcome);
  upg_test_wait_for (is_done, &outcome);
  g_assert_false (outcome.ok);
  g_assert_nonnull (outcome.error);
  g_assert_true (g_str_has_prefix (outcome.error->message, "A rollback is under way: it began at "));
  g_assert_cmpstr (upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_ROLLBACK_STARTED_AT), ==,
                   "2026-11-25T12:00:00Z");

  /* The first step moved to the end of the go-live phase while the steps
   * are held. */
  outcome_clear (&outcome);
  exec_held (holder, "BEGIN; LOCK TABLE sop_step_all IN ACCESS EXCLUSIVE MODE", PGRES_COMMAND_OK);
  start = g_get_monotonic_time ();
  upg_sop_move_step_async (store, project, first, "go_live", -1, NULL, written_cb, &outcome);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  run_for (G_USEC_PER_SEC / 2);
  g_assert_false (outcome.done);
  exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
  upg_test_wait_for (is_done, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (upg_record_get_string (first, UPG_SOP_STEP_PHASE), ==, "go_live");
  {
    g_autofree char *stored = server_steps (db);
    g_autofree char *shown = shown_steps (steps);

    g_assert_cmpstr (shown, ==, stored);
    g_assert_true (strstr (stored, "|go_live:Staging mirrors") != NULL);
  }

  /* A new step from the editor, then an edit of it. */
  {
    UpgStepEdit edit = { "Drain the message queue", "Wait for zero in flight", "SRE", TRUE, NULL, "go_live" };
    g_autoptr(UpgRecord) added = NULL;

    outcome_clear (&outcome);
    upg_sop_save_step_async (store, project, NULL, &edit, NULL, written_cb, &outcome);
    upg_test_wait_for (is_done, &outcome);
    g_assert_no_error (outcome.error);
    g_assert_cmpuint (g_list_model_get_n_items (steps), ==, 7);
    {
      g_autofree char *stored = server_steps (db);
      g_autofree char *shown = shown_steps (steps);

      g_assert_cmpstr (shown, ==, stored);
      g_assert_true (strstr (stored, "|go_live:Drain the message queue") != NULL);
    }
    for (guint i = 0; i < g_list_model_get_n_items (steps) && added == NULL; i++)
      {
        g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
        if (g_strcmp0 (upg_record_get_string (step, UPG_SOP_STEP_TITLE), edit.title) == 0)
          added = g_object_ref (step);
      }
    g_assert_nonnull (added);
    g_assert_cmpstr (upg_record_get_string (added, UPG_SOP_STEP_OWNER_ROLE), ==, "SRE");

    /* Someone deletes it first: the edit is refused, and it goes. */
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM sop_step_all WHERE id = %" G_GINT64_FORMAT,
                                              upg_record_get_id (added));
      gpointer gone[2] = { steps, added };

      exec_held (holder, sql, PGRES_COMMAND_OK);
      edit.title = "Drain the queue and the retries";
      outcome_clear (&outcome);
      upg_sop_save_step_async (store, project, added, &edit, NULL, written_cb, &outcome);
      upg_test_wait_for (is_done, &outcome);
      g_assert_false (outcome.ok);
      g_assert_cmpstr (outcome.error->message, ==, "Someone deleted the step on the team server meanwhile");
      upg_test_wait_for (not_in_list, gone);
    }
  }

  /* A notice recorded, and the retrospective started. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(UpgDraft) draft = upg_draft_new (project, "started", "Support", NULL, &error);
    GListModel *notices = upg_record_get_children (UPG_RECORD (project), &upg_entity_notice);
    GListModel *retros = upg_record_get_children (UPG_RECORD (project), &upg_entity_retro);
    g_autofree char *stored = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (notices), ==, 1);
    outcome_clear (&outcome);
    upg_draft_record_async (draft, store, "eml", NULL, written_cb, &outcome);
    upg_test_wait_for (is_done, &outcome);
    g_assert_no_error (outcome.error);
    g_assert_cmpuint (g_list_model_get_n_items (notices), ==, 2);
    stored = upg_test_pg_query (db, "SELECT string_agg (moment || ':' || \"group\" || ':' || how, '|' ORDER BY position, id) "
                                    "FROM notice WHERE project_id = 1");
    g_assert_true (g_str_has_suffix (stored, "|started:Support:eml"));

    g_assert_cmpuint (g_list_model_get_n_items (retros), ==, 0);
    outcome_clear (&outcome);
    upg_retro_start_async (store, project, NULL, written_cb, &outcome);
    upg_test_wait_for (is_done, &outcome);
    g_assert_no_error (outcome.error);
    g_assert_cmpuint (g_list_model_get_n_items (retros), ==, 1);
    {
      g_autoptr(UpgRecord) retro = g_list_model_get_item (retros, 0);
      GListModel *items = upg_record_get_children (retro, &upg_entity_retro_item);
      g_autoptr(UpgRecord) item = upg_record_new (&upg_entity_retro_item);
      g_autofree char *count = upg_test_pg_query (db, "SELECT count(*) FROM retro_item");
      g_autofree char *shown = g_strdup_printf ("%u", items ? g_list_model_get_n_items (items) : 0);
      gpointer facilitator[3] = { db, "SELECT facilitator FROM retrospective", "Priya Raman" };
      gpointer more[3] = { db, "SELECT string_agg (text, '|' ORDER BY position, id) FROM retro_item WHERE kind = 'action'",
                           "Rehearse the rollback on staging" };

      g_assert_cmpstr (shown, ==, count);
      /* It saves as the window's other records do, and takes new items. */
      upg_record_set_string (retro, UPG_RETRO_FACILITATOR, "Priya Raman");
      upg_test_wait_for (server_says, facilitator);
      upg_record_set_string (item, UPG_RETRO_ITEM_KIND, "action");
      upg_record_set_string (item, UPG_RETRO_ITEM_TEXT, "Rehearse the rollback on staging");
      g_assert_true (upg_store_insert (store, retro, item, -1, &error));
      upg_test_wait_for (server_says, more);
    }
  }
  outcome_clear (&outcome);
  upg_test_drain ();
  g_assert_cmpuint (messages->len, ==, 0);

  g_signal_handlers_disconnect_by_func (store, store_write_failed_cb, messages);
  PQfinish (holder);
  close_window (window);
}

static gboolean
three_projects (gpointer data)
{
  return g_list_model_get_n_items (upg_store_get_projects (data)) == 3;
}

/* A new project in a window on a team server is shown at once, with its
 * standard checklist, also while the server holds the projects up; the
 * thread writes it, and what is changed in it meanwhile follows it. */
static void
test_new_project_in_thread (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s user=postgres", db);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  UpgWindow *window = window_on (uri);
  UpgStore *store = upg_window_get_store (window);
  PGconn *holder = PQconnectdb (conninfo);
  g_autoptr(GError) error = NULL;
  UpgProject *project;
  GListModel *steps;

  g_signal_connect (store, "write-failed", G_CALLBACK (store_write_failed_cb), messages);
  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  exec_held (holder, "BEGIN; LOCK TABLE project_all IN ACCESS EXCLUSIVE MODE", PGRES_COMMAND_OK);
  project = upg_window_create_project (window, "Payments gateway 7.0", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_true (upg_window_get_project (window) == project);
  upg_record_set_string (UPG_RECORD (project), UPG_PROJECT_GOAL, "Move to the new card network");
  /* Back before the server let go (the window never waits for it: the
   * test's UPG_DEBUG_WINDOW_QUERIES fails any question asked on the way). */
  run_for (G_USEC_PER_SEC / 5);
  g_assert_cmpint (upg_record_get_id (UPG_RECORD (project)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 2);
  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  g_assert_nonnull (steps);
  g_assert_cmpuint (g_list_model_get_n_items (steps), >, 0);
  exec_held (holder, "COMMIT", PGRES_COMMAND_OK);

  upg_test_wait_for (has_id, project);
  {
    g_autofree char *goal_sql = g_strdup_printf ("SELECT goal FROM project WHERE id = %" G_GINT64_FORMAT,
                                                 upg_record_get_id (UPG_RECORD (project)));
    g_autofree char *steps_sql = g_strdup_printf ("SELECT count(*) FROM sop_step WHERE project_id = %" G_GINT64_FORMAT,
                                                  upg_record_get_id (UPG_RECORD (project)));
    g_autofree char *n_steps = g_strdup_printf ("%u", g_list_model_get_n_items (steps));
    gpointer goal[3] = { db, goal_sql, "Move to the new card network" };
    gpointer counted[3] = { db, steps_sql, n_steps };

    upg_test_wait_for (server_says, goal);
    upg_test_wait_for (server_says, counted);
  }
  upg_test_drain ();
  g_assert_cmpuint (messages->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 2);

  /* A plan imported while the server holds the projects up: the window
   * goes on, then lists and shows it. */
  {
    g_autofree char *json = NULL;
    g_autofree char *sample = upg_test_data_path ("sample-plan.json");
    g_autofree char *uid = g_uuid_string_random ();
    g_autofree char *path = g_build_filename (g_get_tmp_dir (), "upg-import-in-thread.json", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GString) text = NULL;
    gpointer shown[2] = { window, NULL };

    g_assert_true (g_file_get_contents (sample, &json, NULL, NULL));
    text = g_string_new (json);
    g_assert_cmpuint (g_string_replace (text, "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", uid, 1), ==, 1);
    g_assert_true (g_file_set_contents (path, text->str, -1, NULL));

    exec_held (holder, "BEGIN; LOCK TABLE project_all IN ACCESS EXCLUSIVE MODE", PGRES_COMMAND_OK);
      upg_window_import_file (window, file);
    run_for (G_USEC_PER_SEC / 5);
    g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 2);
    exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
    upg_test_wait_for (three_projects, store);
    {
      g_autoptr(UpgRecord) imported = g_list_model_get_item (upg_store_get_projects (store), 2);

      g_assert_cmpstr (upg_record_get_string (imported, UPG_PROJECT_UID), ==, uid);
      shown[1] = imported;
      upg_test_wait_for (shows_project, shown);
    }
    g_unlink (path);
  }

  g_signal_handlers_disconnect_by_func (store, store_write_failed_cb, messages);
  PQfinish (holder);
  close_window (window);
}

static gboolean
has_insights (gpointer data)
{
  return upg_insights_view_get_insights (data) != NULL;
}

/* Insights on a team server are read in the store's thread: the view
 * says it loads, then shows what reading them at once would. */
static void
test_insights_in_thread (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *retro = upg_test_data_path ("retro-plan.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  UpgWindow *window;
  UpgStore *store;
  GtkWidget *view = g_object_ref_sink (upg_insights_view_new ());
  g_autoptr(UpgInsights) direct = NULL;
  g_autoptr(GError) error = NULL;
  const UpgInsights *in;

  /* Upgrades with their retrospectives. */
  g_assert_cmpint (upg_test_run_cli (&out, &err, "import", "--db", uri, "--replace", retro, NULL), ==, 0);
  window = window_on (uri);
  store = upg_window_get_store (window);
  upg_insights_view_set_store (UPG_INSIGHTS_VIEW (view), store, "2026-12-07");
  g_assert_null (upg_insights_view_get_insights (UPG_INSIGHTS_VIEW (view)));
  upg_test_wait_for (has_insights, view);
  in = upg_insights_view_get_insights (UPG_INSIGHTS_VIEW (view));
  /* Read directly, on a connection of the test's own. */
  {
    g_autoptr(UpgStore) reader = upg_store_open (uri, UPG_STORE_OPEN_READ_ONLY, &error);

    g_assert_no_error (error);
    g_assert_true (upg_store_load (reader, &error));
    direct = upg_insights_load (reader, "2026-12-07", &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (in->n_projects, ==, direct->n_projects);
  g_assert_cmpuint (in->n_projects, ==, 3);
  g_assert_cmpuint (in->n_upgrades, ==, direct->n_upgrades);
  g_assert_cmpuint (in->n_upgrades, >, 0);
  g_assert_cmpuint (in->n_failed, ==, direct->n_failed);
  g_assert_cmpuint (in->open_actions->len, ==, direct->open_actions->len);
  g_assert_cmpuint (in->n_overdue, ==, direct->n_overdue);
  g_assert_cmpint (in->restore_median_minutes, ==, direct->restore_median_minutes);
  g_object_unref (view);
  close_window (window);
}

/* Ticking a step in a window on a team server never waits on the
 * network: while the server is held up, the row shows a spinner in place
 * of its box and the window goes on (another edit saves meanwhile); once
 * the server takes the check, the box follows. */
static void
test_tick_in_window (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s user=postgres", db);
  g_autofree char *by = NULL;
  UpgWindow *window = window_on (uri);
  PGconn *holder = PQconnectdb (conninfo);
  UpgStepRow *row = NULL;
  GtkWidget *check = NULL;
  GtkWidget *spinner = NULL;

  row = checklist_row (window, "Release built by CI");
  check = upg_test_find_type (GTK_WIDGET (row), GTK_TYPE_CHECK_BUTTON);
  spinner = upg_test_find_type (GTK_WIDGET (row), GTK_TYPE_SPINNER);
  g_assert_false (gtk_widget_get_visible (spinner));

  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  exec_held (holder, "BEGIN; LOCK TABLE sop_step_all IN ACCESS EXCLUSIVE MODE", PGRES_COMMAND_OK);

  gtk_widget_activate (check);
  g_assert_true (upg_step_row_get_busy (row));
  g_assert_false (gtk_widget_get_visible (check));
  g_assert_true (gtk_widget_get_visible (spinner));
  run_for (G_USEC_PER_SEC / 2);
  /* Still waiting on the server, and the window still saves. */
  g_assert_true (upg_step_row_get_busy (row));
  {
    UpgStore *store = upg_window_get_store (window);
    UpgRecord *project = UPG_RECORD (upg_window_get_project (window));
    g_auto(GValue) value = G_VALUE_INIT;
    g_autoptr(GError) error = NULL;
    g_autofree char *goal = NULL;

    gpointer args[2] = { db, "Ship 4.2 without downtime" };

    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, "Ship 4.2 without downtime");
    g_assert_true (upg_store_set_value (store, project, UPG_PROJECT_GOAL, &value, &error));
    g_assert_no_error (error);
    upg_test_wait_for (server_goal_is, args);
    goal = upg_test_pg_query (db, "SELECT goal FROM project WHERE id = 1");
    g_assert_cmpstr (goal, ==, "Ship 4.2 without downtime");
  }

  exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
  upg_test_wait_for (row_not_busy, row);
  upg_test_wait_for (row_checked, row);
  g_assert_true (gtk_widget_get_visible (check));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  by = upg_test_pg_query (db, "SELECT checked_by FROM sop_step WHERE project_id = 1 AND position = 2");
  g_assert_cmpstr (by, ==, "Mei Lin");
  PQfinish (holder);
  close_window (window);
}

/* A window closed while the server takes its tick: the check goes in
 * all the same, nobody is told, nothing is touched that is gone, and the
 * plan's store goes once the tick is done. */
static void
test_tick_window_closed (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s user=postgres", db);
  UpgWindow *window = window_on (uri);
  UpgStore *store = g_object_ref (upg_window_get_store (window));
  PGconn *holder = PQconnectdb (conninfo);
  UpgStepRow *row = checklist_row (window, "Release built by CI");
  gint64 deadline;

  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  exec_held (holder, "BEGIN; LOCK TABLE sop_step_all IN ACCESS EXCLUSIVE MODE", PGRES_COMMAND_OK);
  gtk_widget_activate (upg_test_find_type (GTK_WIDGET (row), GTK_TYPE_CHECK_BUTTON));
  g_assert_true (upg_step_row_get_busy (row));
  gtk_window_destroy (GTK_WINDOW (window));
  upg_test_drain ();

  exec_held (holder, "COMMIT", PGRES_COMMAND_OK);
  PQfinish (holder);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (G_OBJECT (store)->ref_count > 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  {
    g_autofree char *by = upg_test_pg_query (db, "SELECT checked_by FROM sop_step WHERE project_id = 1 AND position = 2");
    g_assert_cmpstr (by, ==, "Mei Lin");
  }
  g_assert_finalize_object (store);
}

static gboolean
revealed (gpointer data)
{
  return gtk_revealer_get_reveal_child (data);
}

static gboolean
hidden (gpointer data)
{
  return !gtk_revealer_get_reveal_child (data);
}

/* The first button under @root for which @match says TRUE, or NULL. */
static GtkWidget *
find_button_where (GtkWidget     *root,
                   gboolean     (*match) (GtkButton *button, const char *what),
                   const char    *what)
{
  if (GTK_IS_BUTTON (root) && match (GTK_BUTTON (root), what))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_where (child, match, what);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
activates (GtkButton *button, const char *action)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), action) == 0;
}

static gboolean
labelled (GtkButton *button, const char *label)
{
  return g_strcmp0 (gtk_button_get_label (button), label) == 0;
}

/* The first button under @root that activates @action. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  return find_button_where (root, activates, action);
}

/* Adds the menu items under @root that say @label (as shown: no mnemonic
 * underscore) to @found. A menu item is a GtkModelButton, private to GTK:
 * found by its type's name. */
static void
collect_menu_items (GtkWidget  *root,
                    const char *label,
                    GPtrArray  *found)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (root), "GtkModelButton"))
    {
      g_autofree char *text = NULL;
      g_object_get (root, "text", &text, NULL);
      if (g_strcmp0 (text, label) == 0)
        g_ptr_array_add (found, root);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_menu_items (child, label, found);
}

/* Opens and closes the Main Menu and the Project Menu, as a user would:
 * the window builds their items when they are first opened. */
static void
build_menus (UpgWindow *window)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  upg_test_collect_type (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), "Main Menu") == 0 ||
        g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), "Project Menu") == 0)
      {
        gtk_menu_button_popup (buttons->pdata[i]);
        upg_test_drain ();
        gtk_menu_button_popdown (buttons->pdata[i]);
        upg_test_drain ();
      }
}

/* The menu items that read the plan from the server. */
static const char * const reading_items[] = {
  "Export Plan…",             /* win.export */
  "Insights",                 /* win.insights */
  "Export Project Plan…",     /* win.export-project */
  "HTML…", "PDF…", "Markdown…", /* win.export-file: Export Report, Checklist, Risks */
  "CSV Spreadsheet…", "Plain Text…", "Calendar (.ics)…", /* win.export-file: Checklist, Milestones, Risks */
  "Print Report…",            /* win.print-report */
};

/* Whether the window's menu items saying @label are sensitive; fails the
 * test unless there is one at least, and all say the same. */
static gboolean
offers (UpgWindow  *window,
        const char *label)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  gboolean sensitive;

  collect_menu_items (GTK_WIDGET (window), label, items);
  g_assert_cmpuint (items->len, >=, 1);
  sensitive = gtk_widget_get_sensitive (items->pdata[0]);
  for (guint i = 1; i < items->len; i++)
    g_assert_cmpint (gtk_widget_get_sensitive (items->pdata[i]), ==, sensitive);
  return sensitive;
}

/* Whether the Main Menu offers Save a Copy (its item is hidden while
 * win.save-copy is disabled: hidden-when in upg-window.ui). */
static gboolean
offers_save_copy (UpgWindow *window)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  collect_menu_items (GTK_WIDGET (window), "Save a Copy…", items);
  g_assert_cmpuint (items->len, <=, 1);
  return items->len == 1 && gtk_widget_get_sensitive (items->pdata[0]);
}

/* Whether Delete Project asks (its dialog is up), then dismisses it. */
static gboolean
delete_project_asks (UpgWindow *window)
{
  gboolean asked = FALSE;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-project", NULL);
  upg_test_drain ();
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (g_strcmp0 (gtk_widget_get_name (l->data), "delete-project-dialog") == 0)
      {
        asked = TRUE;
        gtk_window_destroy (l->data);
      }
  upg_test_drain ();
  return asked;
}

static gboolean
shows_renamed (gpointer window)
{
  UpgProject *project = upg_window_get_project (window);

  return project != NULL && g_strcmp0 (upg_project_get_name (project), "Renamed while away") == 0 &&
         !shows_loading (window);
}

/* The server stops: the window shows the bar with Retry at once (it
 * listens on the connection) and offers no edits until Retry connects
 * again; an edit through the store meanwhile is reported, not dropped;
 * once the server is back, Retry connects again (in a thread) and the
 * window shows the plan and saves again. */
static void
test_lost_server (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *where = upg_test_pg_location (db);
  g_autofree char *stored = NULL;
  UpgWindow *window = window_on (uri);
  UpgStore *store = upg_window_get_store (window);
  GtkRevealer *bar = GTK_REVEALER (gtk_widget_get_ancestor (upg_test_find_named (GTK_WIDGET (window), "lost-detail"),
                                                            GTK_TYPE_REVEALER));
  GtkWidget *detail = upg_test_find_named (GTK_WIDGET (window), "lost-detail");
  GtkWidget *retry = upg_test_find_named (GTK_WIDGET (window), "retry-button");
  GtkWidget *stack = upg_test_find_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  GtkWidget *new_project = find_action_button (GTK_WIDGET (window), "win.new-project");
  g_autofree char *prefix = g_strdup_printf ("Could not connect to the team server “%s”: ", where);
  g_autofree char *lost = g_strdup_printf ("The connection to the team server “%s” is lost", where);
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgRecord) risk = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);

  g_assert_false (gtk_revealer_get_reveal_child (bar));
  g_assert_true (gtk_widget_get_sensitive (stack));
  g_assert_true (gtk_widget_get_sensitive (new_project));
  build_menus (window);
  for (guint i = 0; i < G_N_ELEMENTS (reading_items); i++)
    g_assert_true (offers (window, reading_items[i]));
  g_assert_true (offers_save_copy (window));
  upg_test_pg_stop ();
  upg_test_wait_for (revealed, bar);
  /* Said at once: the window does not wait on the network to connect
   * again (that is Retry's, in a thread). */
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (detail)), lost));

  /* Nothing offers to change the plan meanwhile, as for a read-only one. */
  g_assert_false (gtk_widget_get_sensitive (stack));
  g_assert_false (gtk_widget_get_sensitive (new_project));
  g_assert_false (delete_project_asks (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-project", NULL);
  upg_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 1);
  /* Nor to read it: Save a Copy, the exports, the report and the insights
   * would only fail. */
  for (guint i = 0; i < G_N_ELEMENTS (reading_items); i++)
    g_assert_false (offers (window, reading_items[i]));
  g_assert_false (offers_save_copy (window));
  {
    GList *before = gtk_window_list_toplevels ();
    GList *after;

    gtk_widget_activate_action (GTK_WIDGET (window), "win.insights", NULL);
    upg_test_drain ();
    after = gtk_window_list_toplevels ();
    g_assert_cmpuint (g_list_length (after), ==, g_list_length (before));
    g_list_free (before);
    g_list_free (after);
  }

  /* An edit while the server is gone: taken at once (the thread writes
   * it), then refused, and said. */
  g_assert_true (upg_store_load_children (store, UPG_RECORD (upg_window_get_project (window)), &error));
  risk = g_list_model_get_item (upg_record_get_children (UPG_RECORD (upg_window_get_project (window)),
                                                         &upg_entity_risk), 0);
  g_signal_connect (store, "write-failed", G_CALLBACK (store_write_failed_cb), messages);
  {
    GValue value = G_VALUE_INIT;
    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, "Lost with the server");
    g_assert_true (upg_store_set_value (store, risk, UPG_RISK_TITLE, &value, &error));
    g_assert_no_error (error);
    g_value_unset (&value);
  }
  upg_test_wait_for (has_message, messages);
  g_signal_handlers_disconnect_by_func (store, store_write_failed_cb, messages);
  g_assert_cmpuint (messages->len, ==, 1);
  {
    g_autofree char *unsaved = g_strdup_printf ("Lost the connection to the team server “%s”; the change was not saved (", where);
    g_assert_true (g_str_has_prefix (messages->pdata[0], unsaved));
  }
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (detail)), ==, messages->pdata[0]);
  g_clear_object (&risk);

  /* Retry while it is still down: the bar stays, saying why. */
  g_signal_emit_by_name (retry, "clicked");
  g_assert_false (gtk_widget_get_sensitive (retry));
  upg_test_wait_for ((UpgTestCondition) gtk_widget_get_sensitive, retry);
  g_assert_true (gtk_revealer_get_reveal_child (bar));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (detail)), prefix));
  g_assert_false (gtk_widget_get_sensitive (stack));
  for (guint i = 0; i < G_N_ELEMENTS (reading_items); i++)
    g_assert_false (offers (window, reading_items[i]));
  g_assert_false (offers_save_copy (window));

  upg_test_pg_start ();
  /* Someone renames the project while the window is away. */
  upg_test_pg_exec (db, "UPDATE project SET name = 'Renamed while away' WHERE id = 1");
  g_signal_emit_by_name (retry, "clicked");
  upg_test_wait_for (hidden, bar);
  /* Connected again: the plan is read again (in the thread), and the
   * window edits, saves copies and exports again. */
  upg_test_wait_for (shows_renamed, window);
  g_assert_true (gtk_widget_get_sensitive (stack));
  g_assert_true (gtk_widget_get_sensitive (new_project));
  for (guint i = 0; i < G_N_ELEMENTS (reading_items); i++)
    g_assert_true (offers (window, reading_items[i]));
  g_assert_true (offers_save_copy (window));
  g_assert_true (delete_project_asks (window));
  g_assert_cmpint (upg_record_get_id (UPG_RECORD (upg_window_get_project (window))), ==, 1);

  g_assert_true (upg_store_load_children (store, UPG_RECORD (upg_window_get_project (window)), &error));
  risk = g_list_model_get_item (upg_record_get_children (UPG_RECORD (upg_window_get_project (window)),
                                                         &upg_entity_risk), 0);
  {
    GValue value = G_VALUE_INIT;
    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, "Saved after Retry");
    g_assert_true (upg_store_set_value (store, risk, UPG_RISK_TITLE, &value, &error));
    g_assert_no_error (error);
    g_value_unset (&value);
  }
  {
    gpointer args[2] = { db, "Saved after Retry" };
    upg_test_wait_for (first_risk_titled, args);
  }
  stored = upg_test_pg_query (db, "SELECT title FROM risk ORDER BY position LIMIT 1");
  g_assert_cmpstr (stored, ==, "Saved after Retry");
  g_clear_object (&risk);
  close_window (window);
}

static gboolean shows_label (GtkWidget *root, const char *text);


/* Once the server is back, the lost-connection bar connects again by
 * itself (every few seconds, in a thread), without Retry. Meanwhile a
 * call fails at once, saying the connection is lost: the window does
 * not try to connect on the main thread. */
static void
test_auto_retry (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *where = upg_test_pg_location (db);
  g_autofree char *lost = g_strdup_printf ("The connection to the team server “%s” is lost", where);
  UpgWindow *window = window_on (uri);
  UpgStore *store = upg_window_get_store (window);
  GtkWidget *detail = upg_test_find_named (GTK_WIDGET (window), "lost-detail");
  GtkRevealer *bar = GTK_REVEALER (gtk_widget_get_ancestor (detail, GTK_TYPE_REVEALER));
  GtkWidget *stack = upg_test_find_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  g_autoptr(GError) error = NULL;

  upg_test_pg_stop ();
  upg_test_wait_for (revealed, bar);
  {
    /* The bar says it; no toast speaks of saving what was a read. */
    g_autofree char *toast = g_strdup_printf ("Could not save the change: %s", gtk_label_get_text (GTK_LABEL (detail)));
    upg_test_drain ();
    g_assert_false (shows_label (GTK_WIDGET (window), toast));
  }
  g_assert_false (upg_store_reload (store, &error));
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION);
  g_assert_true (g_str_has_prefix (error->message, lost));
  g_assert_true (g_str_has_suffix (error->message, "; nothing was changed"));

  upg_test_pg_start ();
  upg_test_wait_for (hidden, bar);
  g_assert_true (gtk_widget_get_sensitive (stack));
  g_assert_cmpint (upg_record_get_id (UPG_RECORD (upg_window_get_project (window))), ==, 1);
  close_window (window);
}

static gboolean
window_says (gpointer data)
{
  gpointer *args = data;
  return shows_label (args[0], args[1]);
}

/* Save a Copy writes the server's plan as `export plan` does, byte for
 * byte. */
static void
test_save_copy (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *copy = upg_test_tmpfile ("copy.json");
  g_autofree char *cli = upg_test_tmpfile ("cli.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (copy);
  UpgWindow *window = window_on (uri);

  gpointer said[2] = { window, "Exported to copy.json" };

  /* What Save a Copy's file chooser calls with the file chosen: the
   * store's thread reads the plan and writes the file, and a toast says
   * so. */
  g_assert_true (upg_window_export (window, "plan", "json", TRUE, file));
  upg_test_wait_for (window_says, said);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "plan", "--db", uri, "-o", cli, NULL), ==, 0);
  g_assert_true (g_file_get_contents (copy, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (cli, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  close_window (window);
}

static gboolean
dialog_idle (gpointer data)
{
  return !upg_connect_dialog_is_busy (data);
}

static void
connected_cb (UpgConnectDialog *dialog,
              UpgStore         *store,
              const char       *notice,
              gpointer          data)
{
  gpointer *got = data;

  got[0] = g_object_ref (store);
  got[1] = g_strdup (notice);
}

static gboolean
got_store (gpointer data)
{
  return ((gpointer *) data)[0] != NULL;
}

/* Connect to Team Server: an address with a password is refused; a server
 * that asks for a password gets the field; connecting happens in a thread
 * and hands over a loaded store. */
static void
test_connect_dialog (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *where = upg_test_pg_location (db);
  g_autofree char *pw_uri = NULL;
  g_autofree char *expected = NULL;
  UpgConnectDialog *dialog = g_object_ref_sink (upg_connect_dialog_new (NULL, UPG_STORE_OPEN_EXISTING));
  GtkWidget *password = upg_test_find_named (GTK_WIDGET (dialog), "server-password");
  GtkWidget *message = upg_test_find_named (GTK_WIDGET (dialog), "connect-error");
  gpointer got[2] = { NULL, NULL };

  g_signal_connect (dialog, "connected", G_CALLBACK (connected_cb), got);
  gtk_window_present (GTK_WINDOW (dialog));
  upg_test_drain ();
  g_assert_false (gtk_widget_get_visible (password));
  /* What one types first, the address, has the focus; not Cancel. */
  g_assert_nonnull (gtk_window_get_focus (GTK_WINDOW (dialog)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     gtk_widget_get_ancestor (gtk_window_get_focus (GTK_WINDOW (dialog)), ADW_TYPE_ENTRY_ROW))),
                   ==, "Address");

  upg_connect_dialog_set_uri (dialog, "postgresql://mei:secret@db.example.com/plans");
  upg_connect_dialog_connect (dialog);
  g_assert_false (upg_connect_dialog_is_busy (dialog));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==,
                   "The address holds a password: remove it from the address and type it in the Password field, which can keep it in the keyring");
  g_assert_true (gtk_widget_get_visible (password));
  gtk_widget_set_visible (password, FALSE);

  upg_test_pg_exec (NULL, "DO $$ BEGIN CREATE ROLE upg_password LOGIN PASSWORD 'right'; "
                          "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
  upg_test_pg_exec (db, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO upg_password");
  pw_uri = upg_test_pg_uri (db, "upg_password");
  upg_connect_dialog_set_uri (dialog, pw_uri);
  upg_connect_dialog_connect (dialog);
  g_assert_true (upg_connect_dialog_is_busy (dialog));
  upg_test_wait_for (dialog_idle, dialog);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==, "The server asks for a password: type it below");
  g_assert_true (gtk_widget_get_visible (password));

  gtk_editable_set_text (GTK_EDITABLE (password), "wrong");
  upg_connect_dialog_connect (dialog);
  upg_test_wait_for (dialog_idle, dialog);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Could not connect to the team server “%s”: password authentication failed for user \"upg_password\"", where);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==, expected);
  g_assert_null (got[0]);

  gtk_editable_set_text (GTK_EDITABLE (password), "right");
  upg_connect_dialog_connect (dialog);
  upg_test_wait_for (got_store, got);
  g_assert_cmpstr (upg_store_get_role (got[0]), ==, "upg_password");
  g_assert_cmpstr (upg_store_get_uri (got[0]), ==, pw_uri);
  g_assert_true (upg_store_is_read_only (got[0]));
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (got[0])), ==, 1);
  /* No keyring in the test: said, not hidden. */
  g_assert_true (g_str_has_prefix (got[1], "The password could not be kept in the keyring: "));
  upg_test_drain ();
  g_assert_finalize_object (got[0]);
  g_free (got[1]);
  g_assert_finalize_object (dialog);
}

static gboolean
app_has_window (gpointer data)
{
  for (GList *l = gtk_application_get_windows (data); l != NULL; l = l->next)
    if (UPG_IS_WINDOW (l->data))
      return TRUE;
  return FALSE;
}

static UpgConnectDialog *
app_dialog (UpgApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (UPG_IS_CONNECT_DIALOG (l->data))
      return l->data;
  return NULL;
}

/* upgrade-planner postgresql://… opens the window on the server (through
 * the Connect dialog's thread) and remembers the server among the recent
 * ones, not among the files; the window's menu connects to another. */
static void
test_open_from_application (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autoptr(UpgApplication) app = upg_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) servers = NULL;
  g_auto(GStrv) files = NULL;
  UpgWindow *window = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  upg_application_open_server (app, uri);
  upg_test_wait_for (app_has_window, app);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (UPG_IS_WINDOW (l->data))
      window = l->data;
  g_assert_cmpstr (upg_store_get_uri (upg_window_get_store (window)), ==, uri);

  settings = g_settings_new ("io.github.upgrade_planner.UpgradePlanner");
  servers = g_settings_get_strv (settings, "recent-servers");
  files = g_settings_get_strv (settings, "recent-files");
  g_assert_cmpstr (servers[0], ==, uri);
  g_assert_true (files[0] == NULL || g_strcmp0 (files[0], uri) != 0);

  /* The Main Menu's Connect to Team Server…, beside Open…, is app.connect
   * (the action D-Bus reaches too): it opens the dialog over the window. */
  {
    g_autoptr(GPtrArray) open = g_ptr_array_new ();
    g_autoptr(GPtrArray) connect = g_ptr_array_new ();
    UpgConnectDialog *dialog;

    GMenuModel *menu = NULL;
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    g_autofree char *action = NULL;
    g_autofree char *before = NULL;

    /* One action: the menu's item is app.connect, and the window has no
     * action of its own for it. */
    build_menus (window);
    upg_test_collect_type (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), "Main Menu") == 0)
        menu = gtk_menu_button_get_menu_model (buttons->pdata[i]);
    g_assert_nonnull (menu);
    /* The second section: New Plan File…, Open…, Connect to Team Server…. */
    menu = g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SECTION);
    g_assert_true (g_menu_model_get_item_attribute (menu, 1, G_MENU_ATTRIBUTE_ACTION, "s", &before));
    g_assert_true (g_menu_model_get_item_attribute (menu, 2, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_object_unref (menu);
    g_assert_cmpstr (before, ==, "win.open");
    g_assert_cmpstr (action, ==, "app.connect");
    g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL));

    collect_menu_items (GTK_WIDGET (window), "Open…", open);
    collect_menu_items (GTK_WIDGET (window), "Connect to Team Server…", connect);
    g_assert_cmpuint (open->len, ==, 1);
    g_assert_cmpuint (connect->len, ==, 1);
    g_assert_true (gtk_widget_get_parent (connect->pdata[0]) == gtk_widget_get_parent (open->pdata[0]));
    g_assert_true (gtk_widget_get_sensitive (connect->pdata[0]));
    g_assert_null (app_dialog (app));
    g_signal_emit_by_name (connect->pdata[0], "clicked");
    upg_test_drain ();
    dialog = app_dialog (app);
    g_assert_nonnull (dialog);
    g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Connect to Team Server");
    g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
    gtk_window_destroy (GTK_WINDOW (dialog));
    upg_test_drain ();
  }

  /* Asked again: the same window. */
  upg_application_open_server (app, uri);
  upg_test_drain ();
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
  upg_test_drain ();
}

static UpgWindow *
app_window (UpgApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (UPG_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* Whether a label under @root says @text (a toast's title is one). */
static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

/* The last server cannot be reached at start-up and the user cancels the
 * dialog: the window opens on the default plan file, as a start without
 * a last server does, and a toast says why the server is not shown. */
static void
test_startup_fallback (void)
{
  g_autofree char *uri = upg_test_pg_uri ("upg_no_such_plan", NULL);
  g_autofree char *where = upg_test_pg_location ("upg_no_such_plan");
  g_autofree char *default_path = upg_store_get_default_path ();
  g_autofree char *toast = NULL;
  g_autoptr(UpgApplication) app = upg_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.upgrade_planner.UpgradePlanner");
  UpgConnectDialog *dialog;
  UpgWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_settings_set_string (settings, "last-file", uri);

  g_application_activate (G_APPLICATION (app));
  dialog = app_dialog (app);
  g_assert_nonnull (dialog);
  upg_test_wait_for (dialog_idle, dialog);
  g_assert_null (app_window (app));
  toast = g_strdup_printf ("The team server was not opened: Could not connect to the team server “%s”: "
                           "database \"upg_no_such_plan\" does not exist", where);
  g_assert_cmpstr (upg_connect_dialog_get_error (dialog)->message, ==,
                   toast + strlen ("The team server was not opened: "));

  /* Cancel. */
  gtk_window_close (GTK_WINDOW (dialog));
  upg_test_drain ();
  g_assert_null (app_dialog (app));
  window = app_window (app);
  g_assert_nonnull (window);
  g_assert_false (upg_store_is_server (upg_window_get_store (window)));
  g_assert_cmpstr (upg_store_get_path (upg_window_get_store (window)), ==, default_path);
  g_assert_true (shows_label (GTK_WIDGET (window), toast));
  gtk_window_destroy (GTK_WINDOW (window));
  upg_test_drain ();
}

/* The widget under @root whose tooltip is @tooltip, or NULL. */
static GtkWidget *
find_tooltip (GtkWidget  *root,
              const char *tooltip)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_tooltip (child, tooltip);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The titles of the dialog's recent servers, one a line. */
static char *
recent_rows (UpgConnectDialog *dialog)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GString *titles = g_string_new ("");

  upg_test_collect_type (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_ancestor (rows->pdata[i], GTK_TYPE_LIST_BOX) != NULL &&
        g_str_has_prefix (adw_preferences_row_get_title (rows->pdata[i]), "postgresql://"))
      g_string_append_printf (titles, "%s\n", adw_preferences_row_get_title (rows->pdata[i]));
  return g_string_free (titles, FALSE);
}

/* Forget on a recent server's row: the row and the setting's entry go
 * (the keyring's password too, when there is a keyring: none here), and
 * when the next start would have opened that server ("last-file"), it
 * opens the default plan file instead, asking nothing. */
static void
test_forget_server (void)
{
  const char *recent[] = { "postgresql://mei@db.example.com/plans", "postgresql://team@db2.example.com:6432/plans", NULL };
  g_autoptr(GSettings) settings = g_settings_new ("io.github.upgrade_planner.UpgradePlanner");
  g_autofree char *default_path = upg_store_get_default_path ();
  g_autoptr(UpgApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) left = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *last = NULL;
  UpgConnectDialog *dialog;
  UpgWindow *window;
  GtkWidget *forget;
  GtkWidget *group;

  g_settings_set_strv (settings, "recent-servers", recent);
  /* As the window's close wrote it. */
  g_settings_set_string (settings, "last-file", "postgresql://team@db2.example.com:6432/plans");
  dialog = g_object_ref_sink (upg_connect_dialog_new (NULL, UPG_STORE_OPEN_EXISTING));
  gtk_window_present (GTK_WINDOW (dialog));
  upg_test_drain ();
  rows = recent_rows (dialog);
  g_assert_cmpstr (rows, ==, "postgresql://mei@db.example.com/plans\npostgresql://team@db2.example.com:6432/plans\n");
  forget = find_tooltip (GTK_WIDGET (dialog), "Forget postgresql://mei@db.example.com/plans");
  g_assert_true (GTK_IS_BUTTON (forget));
  group = gtk_widget_get_ancestor (forget, ADW_TYPE_PREFERENCES_GROUP);
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), ==, "Recent Servers");
  g_assert_true (gtk_widget_get_visible (group));
  g_signal_emit_by_name (forget, "clicked");
  upg_test_drain ();
  g_clear_pointer (&rows, g_free);
  rows = recent_rows (dialog);
  g_assert_cmpstr (rows, ==, "postgresql://team@db2.example.com:6432/plans\n");
  left = g_settings_get_strv (settings, "recent-servers");
  g_assert_cmpstr (left[0], ==, "postgresql://team@db2.example.com:6432/plans");
  g_assert_null (left[1]);
  g_assert_true (gtk_widget_get_visible (group));
  /* Another server than the last one: the next start is unchanged. */
  last = g_settings_get_string (settings, "last-file");
  g_assert_cmpstr (last, ==, "postgresql://team@db2.example.com:6432/plans");

  forget = find_tooltip (GTK_WIDGET (dialog), "Forget postgresql://team@db2.example.com:6432/plans");
  g_signal_emit_by_name (forget, "clicked");
  upg_test_drain ();
  g_clear_pointer (&rows, g_free);
  rows = recent_rows (dialog);
  g_assert_cmpstr (rows, ==, "");
  g_clear_pointer (&left, g_strfreev);
  left = g_settings_get_strv (settings, "recent-servers");
  g_assert_null (left[0]);
  g_assert_false (gtk_widget_get_visible (group));
  g_clear_pointer (&last, g_free);
  last = g_settings_get_string (settings, "last-file");
  g_assert_cmpstr (last, ==, "");

  gtk_window_destroy (GTK_WINDOW (dialog));
  upg_test_drain ();
  g_assert_finalize_object (dialog);

  /* The next start: no dialog, the default plan file. */
  app = upg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  upg_test_drain ();
  g_assert_null (app_dialog (app));
  window = app_window (app);
  g_assert_nonnull (window);
  g_assert_false (upg_store_is_server (upg_window_get_store (window)));
  g_assert_cmpstr (upg_store_get_path (upg_window_get_store (window)), ==, default_path);
  gtk_window_destroy (GTK_WINDOW (window));
  upg_test_drain ();
}

/* The button under @root labelled @label, or NULL. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  return find_button_where (root, labelled, label);
}

/* The open Connect to Team Server dialog (whatever its purpose), or NULL. */
static UpgConnectDialog *
open_dialog (void)
{
  UpgConnectDialog *dialog = NULL;

  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (UPG_IS_CONNECT_DIALOG (l->data))
      dialog = l->data;
  return dialog;
}

/* Publish to Team Server from the window, as a user does: the dialog,
 * the address typed, Publish pressed. Returns the dialog, still open
 * while it connects. */
static UpgConnectDialog *
publish_to (UpgWindow  *window,
            const char *uri)
{
  UpgConnectDialog *dialog;
  GtkWidget *publish;

  g_assert_null (open_dialog ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.publish", NULL));
  upg_test_drain ();
  dialog = open_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Publish to Team Server");
  gtk_editable_set_text (GTK_EDITABLE (upg_test_find_named (GTK_WIDGET (dialog), "server-address")), uri);
  publish = find_button (GTK_WIDGET (dialog), "_Publish");
  g_assert_nonnull (publish);
  g_assert_true (gtk_widget_get_sensitive (publish));
  g_signal_emit_by_name (publish, "clicked");
  return dialog;
}

static gboolean
no_dialog (gpointer data)
{
  return open_dialog () == NULL;
}

/* Whether the window shows the label (a toast) data[1]. */
static gboolean
window_shows (gpointer data)
{
  gpointer *args = data;
  return shows_label (args[0], args[1]);
}

/* `export plan` of @db (a file or a server's URI), as text. */
static char *
export_plan (const char *db)
{
  g_autofree char *path = upg_test_tmpfile ("published.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  char *text = NULL;

  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "plan", "--db", db, "-o", path, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* The name of the server's one project is data[1] (publishing again
 * has replaced it). */
static gboolean
server_project_named (gpointer data)
{
  gpointer *args = data;
  g_autofree char *name = upg_test_pg_query (args[0], "SELECT name FROM project");
  return g_strcmp0 (name, args[1]) == 0;
}

/* Publish to Team Server, from a window on a plan file: a new database
 * becomes a plan holding what the file holds (the same `export plan`
 * bytes); publishing again replaces the project by its uid (one project,
 * the file's new name); an address that cannot be reached says why in
 * one line in the dialog, which stays open, and nothing is written. */
static void
test_publish (void)
{
  g_autofree char *sample = upg_test_data_path ("sample-plan.json");
  g_autofree char *path = upg_test_tmpfile ("publish.upgplan");
  g_autofree char *db = upg_test_pg_new_database ();
  g_autofree char *uri = upg_test_pg_uri (db, NULL);
  g_autofree char *where = upg_test_pg_location (db);
  g_autofree char *toast = g_strdup_printf ("Published 1 project to %s", where);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *from_file = NULL;
  g_autofree char *from_server = NULL;
  g_autofree char *count = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gpointer shown[2];
  gpointer named[2] = { db, "Billing 4.2 (published again)" };
  UpgConnectDialog *dialog;
  UpgWindow *window;

  g_assert_cmpint (upg_test_run_cli (&out, &err, "import", "--db", path, sample, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  window = window_on (path);
  shown[0] = window;
  shown[1] = toast;

  /* A new database: the dialog connects (creating the plan's tables),
   * closes, and the plan is sent in a thread; a toast says so. */
  publish_to (window, uri);
  upg_test_wait_for (no_dialog, NULL);
  upg_test_wait_for (window_shows, shown);
  count = upg_test_pg_query (db, "SELECT count(*) FROM project");
  g_assert_cmpstr (count, ==, "1");
  from_file = export_plan (path);
  from_server = export_plan (uri);
  g_assert_cmpstr (from_server, ==, from_file);

  /* Again, after a change to the file: the same project replaced. */
  {
    GValue value = G_VALUE_INIT;
    g_autoptr(GError) error = NULL;

    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, named[1]);
    g_assert_true (upg_store_set_value (upg_window_get_store (window), UPG_RECORD (upg_window_get_project (window)),
                                        UPG_PROJECT_NAME, &value, &error));
    g_assert_no_error (error);
    g_value_unset (&value);
  }
  publish_to (window, uri);
  upg_test_wait_for (no_dialog, NULL);
  upg_test_wait_for (server_project_named, named);
  upg_test_drain ();
  g_clear_pointer (&count, g_free);
  count = upg_test_pg_query (db, "SELECT count(*) FROM project");
  g_assert_cmpstr (count, ==, "1");
  g_clear_pointer (&from_file, g_free);
  g_clear_pointer (&from_server, g_free);
  from_file = export_plan (path);
  from_server = export_plan (uri);
  g_assert_cmpstr (from_server, ==, from_file);
  g_assert_nonnull (strstr (from_server, "Billing 4.2 (published again)"));

  /* A server that cannot be reached: one line in the dialog, which
   * stays open to try another address; the file is as it was. */
  before = export_plan (path);
  dialog = publish_to (window, "postgresql://%2Fnonexistent%2Fupg-test:5432/plans");
  upg_test_wait_for (dialog_idle, dialog);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (upg_test_find_named (GTK_WIDGET (dialog), "connect-error"))), ==,
                   "Could not connect to the team server “plans on /nonexistent/upg-test”: connection to server on "
                   "socket \"/nonexistent/upg-test/.s.PGSQL.5432\" failed: No such file or directory");
  g_assert_true (open_dialog () == dialog);
  after = export_plan (path);
  g_assert_cmpstr (after, ==, before);
  gtk_window_destroy (GTK_WINDOW (dialog));
  upg_test_drain ();
  close_window (window);
}

int
main (int argc, char **argv)
{
  upg_test_widgets_init (&argc, &argv);
  upg_test_pg_require ();
  /* No desktop keyring here: libsecret finds no session bus at once
   * (instead of starting one through dbus-launch on the test's display). */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/upg-test-bus", TRUE);
  /* A window whose own connection is asked from its thread (waiting on
   * the network) fails the test. */
  g_setenv ("UPG_DEBUG_WINDOW_QUERIES", "1", TRUE);

  g_test_add_func ("/window-server/title", test_title);
  g_test_add_func ("/window-server/read-only-role", test_read_only_role);
  g_test_add_func ("/window-server/live-check", test_live_check);
  g_test_add_func ("/window-server/tick-in-window", test_tick_in_window);
  g_test_add_func ("/window-server/edit-in-thread", test_edit_in_thread);
  g_test_add_func ("/window-server/switch-project", test_switch_project);
  g_test_add_func ("/window-server/insights-in-thread", test_insights_in_thread);
  g_test_add_func ("/window-server/insert-in-thread", test_insert_in_thread);
  g_test_add_func ("/window-server/delete-in-thread", test_delete_in_thread);
  g_test_add_func ("/window-server/release-day-in-thread", test_release_day_in_thread);
  g_test_add_func ("/window-server/new-project-in-thread", test_new_project_in_thread);
  g_test_add_func ("/window-server/tick-window-closed", test_tick_window_closed);
  g_test_add_func ("/window-server/connect-dialog", test_connect_dialog);
  g_test_add_func ("/window-server/lost-server", test_lost_server);
  g_test_add_func ("/window-server/auto-retry", test_auto_retry);
  g_test_add_func ("/window-server/save-copy", test_save_copy);
  g_test_add_func ("/window-server/open-from-application", test_open_from_application);
  g_test_add_func ("/window-server/startup-fallback", test_startup_fallback);
  g_test_add_func ("/window-server/forget-server", test_forget_server);
  g_test_add_func ("/window-server/publish", test_publish);

  return g_test_run ();
}
