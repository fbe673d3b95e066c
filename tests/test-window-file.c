/* test-window-file.c — the window and its plan file: a read-only file opens
 * to read, a change made by the command line shows without a restart. */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>

#include "upg-test-util.h"
#include "upg-test-widgets.h"
#include "core/store/upg-store.h"
#include "ui/upg-application.h"
#include "ui/upg-window.h"

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

    upg_test_collect_type (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, titles);
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

static char *
fingerprint (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *wal_contents = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *wal_sum = NULL;
  gsize length = 0, wal_length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
  if (g_file_get_contents (wal, &wal_contents, &wal_length, NULL))
    wal_sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) wal_contents, wal_length);
  return g_strdup_printf ("%s %s shm:%d", sum, wal_sum ? wal_sum : "no -wal", g_file_test (shm, G_FILE_TEST_EXISTS));
}

/* Issue 17: a plan file another program changed (a trigger, a view in
 * place of a table, a column more, an odd version) opens no window: the
 * application says what differs, as the command line does, and the file
 * stays as it was. */
static void
test_hostile_refused (void)
{
  static const struct { const char *sql; const char *differences; } cases[] = {
    { "CREATE TRIGGER zz AFTER UPDATE ON sop_step BEGIN UPDATE project SET name = 'pwned'; END;",
      "(extra trigger “zz”)" },
    { "PRAGMA foreign_keys = OFF; DROP TABLE notice; CREATE VIEW notice AS "
      "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n AS id FROM r;",
      "(missing table “notice”, missing index “notice_project”, extra view “notice”)" },
    { "ALTER TABLE project ADD COLUMN zz TEXT;", "(extra column “project.zz”)" },
    { "PRAGMA user_version = -1;", NULL },
  };
  g_autoptr(UpgApplication) app = upg_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = sample_file ();
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autofree char *message = NULL;
      AdwMessageDialog *dialog = NULL;
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, cases[i].sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
      before = fingerprint (path);

      g_assert_null (upg_application_open_path (app, path, FALSE));
      upg_test_drain ();
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
        if (ADW_IS_MESSAGE_DIALOG (l->data))
          dialog = l->data;
      g_assert_nonnull (dialog);
      g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Open the Plan File");
      if (cases[i].differences != NULL)
        message = g_strdup_printf ("“window.upgplan” is not a plan file as Upgrade Planner makes it for schema version %d %s; "
                                   "it was refused and nothing was written to it", UPG_STORE_SCHEMA_VERSION, cases[i].differences);
      else
        message = g_strdup ("“window.upgplan” says it has schema version -1, which no Upgrade Planner writes; "
                            "it is not a plan file it can open");
      g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, message);
      gtk_window_destroy (GTK_WINDOW (dialog));
      upg_test_drain ();
      g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

      after = fingerprint (path);
      g_assert_cmpstr (after, ==, before);
    }

  /* The write-ahead log of another plan beside the file. */
  {
    g_autofree char *mine = sample_file ();
    g_autofree char *theirs = sample_file ();
    g_autofree char *wal = g_strconcat (theirs, "-wal", NULL);
    g_autofree char *my_wal = g_strconcat (mine, "-wal", NULL);
    g_autofree char *contents = NULL;
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    AdwMessageDialog *dialog = NULL;
    sqlite3 *other = NULL;
    gsize length;

    g_assert_cmpint (sqlite3_open (theirs, &other), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (other, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (upg_test_run_cli (&out, &err, "sop", "check", "--db", theirs, "--project", "1", "--step", "2",
                                       "--by", "Mallory", NULL), ==, 0);
    g_assert_true (g_file_get_contents (wal, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (my_wal, contents, length, NULL));
    sqlite3_close (other);
    before = fingerprint (mine);

    g_assert_null (upg_application_open_path (app, mine, FALSE));
    upg_test_drain ();
    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        dialog = l->data;
    g_assert_nonnull (dialog);
    g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                     "“window.upgplan-wal” beside “window.upgplan” is the write-ahead log of another plan file; "
                     "it was not read and nothing was written. Move it away (or put back the plan file it "
                     "belongs to) and open the plan again");
    gtk_window_destroy (GTK_WINDOW (dialog));
    upg_test_drain ();
    after = fingerprint (mine);
    g_assert_cmpstr (after, ==, before);
  }
}

int
main (int argc, char **argv)
{
  upg_test_widgets_init (&argc, &argv);

  g_test_add_func ("/window-file/read-only", test_read_only);
  g_test_add_func ("/window-file/external-change", test_external_change);
  g_test_add_func ("/window-file/hostile-refused", test_hostile_refused);

  return g_test_run ();
}
