/* test-postgres.c — the team server: a real PostgreSQL cluster started for
 * this program by tests/pg-cluster.sh, and the store on it (issue 21). */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <libpq-fe.h>

#include "upg-test-util.h"
#include "upg-test-pg.h"
#include "core/store/upg-store.h"
#include "core/store/upg-store-private.h"
#include "core/upg-export.h"
#include "core/upg-sop.h"

/* The cluster is the one pg-cluster.sh made: PostgreSQL 15 or newer, on a
 * Unix socket in its own folder, no TCP port. */
static void
test_cluster (void)
{
  g_autofree char *version = upg_test_pg_query (NULL, "SHOW server_version_num");
  g_autofree char *sockets = upg_test_pg_query (NULL, "SHOW unix_socket_directories");
  g_autofree char *listen = upg_test_pg_query (NULL, "SHOW listen_addresses");

  g_assert_cmpint (atoi (version), >=, 150000);
  g_assert_cmpstr (sockets, ==, g_getenv ("UPG_TEST_PG_DIR"));
  g_assert_cmpstr (listen, ==, "");
}

/* A database of its own for each test, reached through a libpq URI. */
static void
test_new_database (void)
{
  g_autofree char *a = upg_test_pg_new_database ();
  g_autofree char *b = upg_test_pg_new_database ();
  g_autofree char *uri = upg_test_pg_uri (a, NULL);
  PGconn *conn;

  g_assert_cmpstr (a, !=, b);
  conn = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  g_assert_cmpstr (PQdb (conn), ==, a);
  PQfinish (conn);
}

/* Stopping the server (as a crash would) ends every connection; starting
 * it again serves new ones. */
static void
test_stop_start (void)
{
  g_autofree char *uri = upg_test_pg_uri ("postgres", NULL);
  PGconn *conn = PQconnectdb (uri);
  PGresult *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  upg_test_pg_stop ();
  result = PQexec (conn, "SELECT 1");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_FATAL_ERROR);
  PQclear (result);
  PQfinish (conn);

  upg_test_pg_start ();
  conn = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  PQfinish (conn);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static char *
file_with_sample (void)
{
  g_autofree char *sample = upg_test_data_path ("sample-plan.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  char *path = upg_test_tmpfile ("sample.upgplan");

  g_assert_cmpint (upg_test_run_cli (&out, &err, "import", "--db", path, sample, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return path;
}

/* Runs the command line; asserts it fails with exit 1, nothing on
 * standard output and exactly "upgrade-planner: @message\n" on standard
 * error. */
#define assert_cli_fails(message, ...) \
  assert_cli_fails_full (message, __VA_ARGS__, NULL)

static void
assert_cli_fails_full (const char *message, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = g_strdup_printf ("upgrade-planner: %s\n", message);
  const char *arg;
  va_list ap;
  int status = 0;

  g_ptr_array_add (args, (char *) UPG_BIN);
  va_start (ap, message);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, expected);
}

/* Standard output of a command that must succeed silently otherwise. */
static char *
cli_output (const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_ptr_array_add (args, (char *) UPG_BIN);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);
  g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s %s failed: %s", argv[0], argv[1] ? argv[1] : "", err);
  g_assert_cmpstr (err, ==, "");
  return out;
}

static UpgStore *
open_store (const char *uri)
{
  g_autoptr(GError) error = NULL;
  UpgStore *store = upg_store_open (uri, UPG_STORE_OPEN_EXISTING, &error);

  g_assert_no_error (error);
  g_assert_true (upg_store_load (store, &error));
  g_assert_no_error (error);
  return store;
}

/* Child @index of @entity of project @id, loaded. */
static UpgRecord *
child_of (UpgStore *store, gint64 id, const UpgEntity *entity, guint index)
{
  g_autoptr(GError) error = NULL;
  UpgProject *project = upg_store_lookup_project (store, id, &error);

  g_assert_no_error (error);
  g_assert_true (upg_store_load_children (store, UPG_RECORD (project), &error));
  g_assert_no_error (error);
  return g_list_model_get_item (upg_record_get_children (UPG_RECORD (project), entity), index);
}

static void
set_string (UpgStore *store, UpgRecord *record, guint field, const char *text, GError **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  upg_store_set_value (store, record, field, &value, error);
}

/* ------------------------------------------------------------------ */
/* The command line                                                    */

/* Every command works with --db URI, and every export of the same plan is
 * the same bytes from a server as from a file: export plan above all. */
static void
test_cli_every_command (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *file = file_with_sample ();
  g_autofree char *sample = upg_test_data_path ("sample-plan.json");
  const UpgExportKind *kinds;
  guint n_kinds;

  /* sop check, uncheck and skip, the same on both. */
  for (guint i = 0; i < 2; i++)
    {
      const char *where = i == 0 ? uri : file;
      const char *check[] = { "sop", "check", "--db", where, "--project", "1", "--step", "4", "--by", "Mei Lin", NULL };
      const char *uncheck[] = { "sop", "uncheck", "--db", where, "--project", "1", "--step", "4", "--by", "Mei Lin",
                                "--note", "Too early", NULL };
      const char *skip[] = { "sop", "skip", "--db", where, "--project", "1", "--step", "5", "--by", "Ana Souza",
                             "--note", "Not needed", NULL };
      const char *again[] = { "sop", "check", "--db", where, "--project", "1", "--step", "4", "--by", "Mei Lin", NULL };
      g_free (cli_output (check));
      g_free (cli_output (uncheck));
      g_free (cli_output (skip));
      g_free (cli_output (again));
    }

  /* list, list --json, check. */
  {
    const char *list_s[] = { "list", "--db", uri, NULL };
    const char *list_f[] = { "list", "--db", file, NULL };
    const char *json_s[] = { "list", "--db", uri, "--json", NULL };
    const char *json_f[] = { "list", "--db", file, "--json", NULL };
    const char *check_s[] = { "check", "--db", uri, NULL };
    const char *check_f[] = { "check", "--db", file, NULL };
    g_autofree char *ls = cli_output (list_s);
    g_autofree char *lf = cli_output (list_f);
    g_autofree char *js = cli_output (json_s);
    g_autofree char *jf = cli_output (json_f);
    g_autofree char *cs = cli_output (check_s);
    g_autofree char *cf = cli_output (check_f);

    g_assert_cmpstr (ls, ==, "1\tBilling service 4.2 upgrade\tsecurity_fix\tpreparing\t4.1.7 → 4.2.0\n");
    g_assert_cmpstr (ls, ==, lf);
    g_assert_cmpstr (js, ==, jf);
    g_assert_true (g_str_has_prefix (cs, "ok: schema version 3, 1 project\n"));
    g_assert_cmpstr (cs, ==, cf);
  }

  /* Every export kind in every format, of the sample as the commands left
   * it and of a plan with retrospectives: the same exit, output and
   * message from the server as from the file. */
  {
    g_autofree char *retro = upg_test_data_path ("retro-plan.json");
    g_autofree char *retro_db = upg_test_pg_new_database ();
    g_autofree char *retro_uri = upg_test_pg_uri (retro_db, NULL);
    g_autofree char *retro_file = upg_test_tmpfile ("retro.upgplan");
    const char *servers[2] = { uri, retro_uri };
    const char *files[2] = { file, retro_file };
    const char *import_s[] = { "import", "--db", retro_uri, retro, NULL };
    const char *import_f[] = { "import", "--db", retro_file, retro, NULL };

    g_free (cli_output (import_s));
    g_free (cli_output (import_f));
    kinds = upg_export_kinds (&n_kinds);
    for (guint k = 0; k < n_kinds; k++)
      for (guint f = 0; kinds[k].formats[f] != NULL; f++)
        {
          guint n_ok = 0;

          for (guint p = 0; p < 2; p++)
            {
              char *out[2] = { NULL, NULL };
              char *err[2] = { NULL, NULL };
              int status[2];

              for (guint i = 0; i < 2; i++)
                {
                  const char *where = i == 0 ? servers[p] : files[p];

                  if (strcmp (kinds[k].kind, "email") == 0)
                    status[i] = upg_test_run_cli (&out[i], &err[i], "export", kinds[k].kind, "--db", where,
                                                  "--format", kinds[k].formats[f], "--project", "1",
                                                  "--template", "advance_notice", "--force", NULL);
                  else if (kinds[k].needs_project)
                    status[i] = upg_test_run_cli (&out[i], &err[i], "export", kinds[k].kind, "--db", where,
                                                  "--format", kinds[k].formats[f], "--project", "1", NULL);
                  else
                    status[i] = upg_test_run_cli (&out[i], &err[i], "export", kinds[k].kind, "--db", where,
                                                  "--format", kinds[k].formats[f], NULL);
                }
              /* A message's Message-Id is new each time (two exports of
               * one file differ there too); the rest is the same. */
              if (strcmp (kinds[k].formats[f], "eml") == 0 && status[0] == 0)
                {
                  g_autoptr(GRegex) id = g_regex_new ("^Message-Id: <[^>]*>", G_REGEX_MULTILINE, 0, NULL);

                  for (guint i = 0; i < 2; i++)
                    {
                      char *plain = g_regex_replace_literal (id, out[i], -1, 0, "Message-Id: <>", 0, NULL);
                      g_free (out[i]);
                      out[i] = plain;
                    }
                  g_assert_nonnull (strstr (out[0], "\nMessage-Id: <>\r\n"));
                }
              if (status[0] != status[1] || strcmp (out[0], out[1]) != 0 || strcmp (err[0], err[1]) != 0)
                g_error ("export %s --format %s of plan %u differs between the server and the file: %s / %s",
                         kinds[k].kind, kinds[k].formats[f], p, err[0], err[1]);
              if (status[0] == 0)
                {
                  g_assert_cmpuint (strlen (out[0]), >, 0);
                  g_assert_cmpstr (err[0], ==, "");
                  n_ok++;
                }
              for (guint i = 0; i < 2; i++)
                {
                  g_free (out[i]);
                  g_free (err[i]);
                }
            }
          /* Each kind and format is compared on real output at least once. */
          if (n_ok == 0)
            g_error ("export %s --format %s failed on both plans", kinds[k].kind, kinds[k].formats[f]);
        }
  }

  /* import --replace: by uid, the same project (id 1) on both. */
  {
    const char *replace_s[] = { "import", "--db", uri, "--replace", sample, NULL };
    const char *replace_f[] = { "import", "--db", file, "--replace", sample, NULL };
    const char *plan_s[] = { "export", "plan", "--db", uri, NULL };
    const char *plan_f[] = { "export", "plan", "--db", file, NULL };
    g_autofree char *rs = cli_output (replace_s);
    g_autofree char *rf = cli_output (replace_f);
    g_autofree char *ps = NULL;
    g_autofree char *pf = NULL;
    g_autofree char *input = upg_test_read (sample, NULL);

    g_assert_cmpstr (rs, ==, "1\n");
    g_assert_cmpstr (rf, ==, "1\n");
    ps = cli_output (plan_s);
    pf = cli_output (plan_f);
    g_assert_cmpstr (ps, ==, pf);
    /* The sample is in the plan format's own layout: it comes back whole. */
    g_assert_cmpstr (ps, ==, input);
  }
}

/* A database with something else, an empty one, a newer schema, a
 * password in the URI, a wrong password, no server: one clear line each,
 * nothing written. */
static void
test_cli_refusals (void)
{
  g_autofree char *empty = upg_test_pg_new_database ();
  g_autofree char *other = upg_test_pg_new_database ();
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *empty_uri = upg_test_pg_uri (empty, NULL);
  g_autofree char *other_uri = upg_test_pg_uri (other, NULL);
  g_autofree char *where = NULL;
  g_autofree char *message = NULL;
  g_autofree char *tables = NULL;

  where = upg_test_pg_location (empty);
  message = g_strdup_printf ("“%s” has no plan yet; import one first (upgrade-planner import --db URI PLAN.json)", where);
  assert_cli_fails (message, "list", "--db", empty_uri);
  assert_cli_fails (message, "sop", "check", "--db", empty_uri, "--project", "1", "--step", "1", "--by", "X");
  tables = upg_test_pg_query (empty, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
  g_assert_cmpstr (tables, ==, "0");

  g_clear_pointer (&where, g_free);
  g_clear_pointer (&message, g_free);
  upg_test_pg_exec (other, "CREATE TABLE invoices (id integer)");
  where = upg_test_pg_location (other);
  message = g_strdup_printf ("“%s” holds tables of another program, not an Upgrade Planner plan; give an empty database or one with a plan", where);
  assert_cli_fails (message, "list", "--db", other_uri);
  {
    g_autofree char *sample = upg_test_data_path ("sample-plan.json");
    assert_cli_fails (message, "import", "--db", other_uri, sample);
  }

  g_clear_pointer (&where, g_free);
  g_clear_pointer (&message, g_free);
  upg_test_pg_exec (db, "UPDATE upgrade_planner SET version = 99");
  where = upg_test_pg_location (db);
  message = g_strdup_printf ("The plan on “%s” was saved by a newer version of Upgrade Planner (schema version 99; this version reads up to 3); update Upgrade Planner to use it", where);
  assert_cli_fails (message, "list", "--db", uri);
  assert_cli_fails (message, "export", "plan", "--db", uri);
  upg_test_pg_exec (db, "UPDATE upgrade_planner SET version = 3");

  assert_cli_fails ("The address of “plans on localhost” holds a password; give it through ~/.pgpass, PGPASSWORD or a service file instead (others can read a command line)",
                    "list", "--db", "postgresql://mei:secret@localhost/plans");

  /* A role that must give its password (pg_hba.conf of pg-cluster.sh). */
  upg_test_pg_exec (NULL, "CREATE ROLE upg_password LOGIN PASSWORD 'right'");
  {
    g_autofree char *pw_uri = upg_test_pg_uri (db, "upg_password");
    g_autofree char *expected = g_strdup_printf ("Could not connect to the team server “%s”: password authentication failed for user \"upg_password\"", where);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_setenv ("PGPASSWORD", "wrong", TRUE);
    assert_cli_fails (expected, "list", "--db", pw_uri);
    g_setenv ("PGPASSWORD", "right", TRUE);
    /* Through: the role may not read the plan's tables. */
    g_assert_cmpint (upg_test_run_cli (&out, &err, "list", "--db", pw_uri, NULL), ==, 1);
    g_clear_pointer (&expected, g_free);
    expected = g_strdup_printf ("upgrade-planner: The role “upg_password” may not read the plan on “%s”; ask for access to it\n", where);
    g_assert_cmpstr (err, ==, expected);
    g_unsetenv ("PGPASSWORD");
  }

  {
    g_autofree char *expected = g_strdup_printf ("Could not connect to the team server “%s on /nonexistent”: connection to server on socket \"/nonexistent/.s.PGSQL.5432\" failed: No such file or directory", db);
    g_autofree char *gone = g_strdup_printf ("postgresql:///%s?host=/nonexistent", db);
    assert_cli_fails (expected, "list", "--db", gone);
  }
}

/* A plan written at each older schema version, the same rows on a server
 * and in a file: opened for writing, both are migrated to the app's
 * version (the PostgreSQL dialect of each migration), and give the same
 * export plan, byte for byte (uids derived alike, version 1's checks
 * turned into the history alike). */
static void
test_migrate (void)
{
  /* %s: "" for the file's tables, "_all" for the server's. */
  static const char *rows_v1[] = {
    "INSERT INTO project%s (id, position, name, kind, status, window_start, window_end, created_at, updated_at)"
    " VALUES (1, 0, 'Old billing', 'feature', 'preparing', '2025-01-10T01:00:00Z', '2025-01-10T03:00:00Z',"
    " '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')",
    "INSERT INTO milestone%s (id, project_id, position, title, kind, due) VALUES (1, 1, 0, 'Go live', 'full_launch', '2025-01-10')",
    "INSERT INTO risk%s (id, project_id, position, title, category, likelihood, impact, status)"
    " VALUES (1, 1, 0, 'Data loss', 'data_migration', 3, 4, 'open')",
    "INSERT INTO member%s (id, project_id, position, name, role) VALUES (1, 1, 0, 'Mei Lin', 'project_manager')",
    "INSERT INTO sop_step%s (id, project_id, position, phase, title, checked_at, checked_by)"
    " VALUES (1, 1, 0, 'preparation', 'Back up', '2025-01-10T01:05:00Z', 'Mei Lin')",
    "INSERT INTO sop_check%s (id, step_id, action, actor, at, reason) VALUES"
    " (1, 1, 'check', 'Mei Lin', '2025-01-10T01:00:00Z', ''),"
    " (2, 1, 'uncheck', 'Mei Lin', '2025-01-10T01:02:00Z', 'too early'),"
    " (3, 1, 'check', 'Mei Lin', '2025-01-10T01:05:00Z', '')",
  };
  static const char *rows_v2[] = {
    "UPDATE project%s SET time_zone = 'Asia/Shanghai', uid = '0b6f5e1c-2d3a-4c5b-8e7f-1a2b3c4d5e6f'",
    "INSERT INTO notice%s (id, project_id, position, moment, \"group\", at, how)"
    " VALUES (1, 1, 0, 'advance_notice', 'Customers', '2025-01-03T00:00:00Z', 'eml')",
  };
  const UpgMigration *all;
  guint n_all;

  all = upg_store_migrations (&n_all);
  g_assert_cmpuint (n_all, ==, UPG_STORE_SCHEMA_VERSION);
  for (guint version = 1; version < UPG_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *db = upg_test_pg_new_database ();
      g_autofree char *uri = upg_test_pg_uri (db, NULL);
      g_autofree char *name = g_strdup_printf ("v%u.upgplan", version);
      g_autofree char *path = upg_test_tmpfile (name);
      g_autoptr(GError) error = NULL;
      UpgBackend *backend;
      UpgStore *store;
      sqlite3 *file;
      g_autofree char *stored = NULL;
      g_autofree char *from_server = NULL;
      g_autofree char *from_file = NULL;
      g_autofree char *check = NULL;
      g_autofree char *check_expected = NULL;

      backend = upg_pg_backend_open_at (uri, NULL, UPG_STORE_OPEN_CREATE, version, &error);
      g_assert_no_error (error);
      backend->vt->free (backend);
      store = upg_store_open_with_migrations (path, UPG_STORE_OPEN_CREATE, all, version, &error);
      g_assert_no_error (error);
      g_object_unref (store);

      g_assert_cmpint (sqlite3_open (path, &file), ==, SQLITE_OK);
      for (guint i = 0; i < G_N_ELEMENTS (rows_v1) + (version >= 2 ? G_N_ELEMENTS (rows_v2) : 0); i++)
        {
          const char *row = i < G_N_ELEMENTS (rows_v1) ? rows_v1[i] : rows_v2[i - G_N_ELEMENTS (rows_v1)];
          g_autofree char *on_server = NULL;
          g_autofree char *in_file = NULL;

          /* Version 1 had sop_check; version 2 made it the history. */
          if (version >= 2 && strstr (row, "sop_check") != NULL)
            continue;
          g_auto(GStrv) parts = g_strsplit (row, "%s", -1);

          on_server = g_strjoinv ("_all", parts);
          in_file = g_strjoinv ("", parts);
          upg_test_pg_exec (db, on_server);
          g_assert_cmpint (sqlite3_exec (file, in_file, NULL, NULL, NULL), ==, SQLITE_OK);
        }
      sqlite3_close (file);
      stored = upg_test_pg_query (db, "SELECT version FROM upgrade_planner");
      g_assert_cmpuint (atoi (stored), ==, version);

      /* Opened for writing: migrated. */
      store = upg_store_open (uri, UPG_STORE_OPEN_EXISTING, &error);
      g_assert_no_error (error);
      g_object_unref (store);
      store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
      g_assert_no_error (error);
      g_object_unref (store);
      g_clear_pointer (&stored, g_free);
      stored = upg_test_pg_query (db, "SELECT version FROM upgrade_planner");
      g_assert_cmpint (atoi (stored), ==, UPG_STORE_SCHEMA_VERSION);

      {
        const char *plan_s[] = { "export", "plan", "--db", uri, NULL };
        const char *plan_f[] = { "export", "plan", "--db", path, NULL };
        const char *check_s[] = { "check", "--db", uri, NULL };
        from_server = cli_output (plan_s);
        from_file = cli_output (plan_f);
        check = cli_output (check_s);
      }
      g_assert_cmpstr (from_server, ==, from_file);
      g_assert_nonnull (strstr (from_server, "\"uid\": \""));
      check_expected = g_strdup_printf ("ok: schema version %d, 1 project\n", UPG_STORE_SCHEMA_VERSION);
      g_assert_true (g_str_has_prefix (check, check_expected));
      if (version == 1)
        g_assert_nonnull (strstr (from_server, "\"note\": \"too early\""));
    }
}

/* A role with SELECT only sees and exports the plan; every change is
 * refused with one clear line, and nothing is written. */
static void
test_read_only_role (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *viewer = NULL;
  g_autofree char *where = upg_test_pg_location (db);
  g_autofree char *message = g_strdup_printf ("The role “upg_viewer” may only read the plan on “%s”; changes cannot be saved (ask for write access to edit it)", where);
  g_autofree char *sample = upg_test_data_path ("sample-plan.json");
  g_autofree char *events = NULL;

  upg_test_pg_exec (NULL, "CREATE ROLE upg_viewer LOGIN");
  upg_test_pg_exec (db, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO upg_viewer");
  viewer = upg_test_pg_uri (db, "upg_viewer");
  {
    const char *list[] = { "list", "--db", viewer, NULL };
    const char *plan_v[] = { "export", "plan", "--db", viewer, NULL };
    const char *plan_o[] = { "export", "plan", "--db", uri, NULL };
    g_autofree char *listed = cli_output (list);
    g_autofree char *seen = cli_output (plan_v);
    g_autofree char *owner = cli_output (plan_o);

    g_assert_cmpstr (listed, ==, "1\tBilling service 4.2 upgrade\tsecurity_fix\tpreparing\t4.1.7 → 4.2.0\n");
    g_assert_cmpstr (seen, ==, owner);
  }
  assert_cli_fails (message, "sop", "check", "--db", viewer, "--project", "1", "--step", "4", "--by", "Mei Lin");
  assert_cli_fails (message, "import", "--db", viewer, "--replace", sample);
  events = upg_test_pg_query (db, "SELECT count(*) FROM sop_event_all");
  g_assert_cmpstr (events, ==, "3");

  /* The store says so before anyone edits. */
  {
    g_autoptr(UpgStore) store = open_store (viewer);
    g_autoptr(UpgRecord) risk = child_of (store, 1, &upg_entity_risk, 0);
    g_autoptr(GError) error = NULL;

    g_assert_true (upg_store_is_read_only (store));
    g_assert_true (upg_store_is_server (store));
    g_assert_cmpstr (upg_store_get_role (store), ==, "upg_viewer");
    g_assert_cmpstr (upg_store_get_location (store), ==, where);
    set_string (store, risk, UPG_RISK_TITLE, "Changed", &error);
    g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_READ_ONLY);
    g_assert_cmpstr (error->message, ==, message);
    g_assert_cmpstr (upg_record_get_string (risk, UPG_RISK_TITLE), !=, "Changed");
  }
}

/* The audit trail: each SOP event keeps the database role that recorded
 * it beside the name typed with --by. */
static void
test_audit_role (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *mei = NULL;
  g_autofree char *row = NULL;

  upg_test_pg_exec (NULL, "CREATE ROLE upg_mei LOGIN");
  upg_test_pg_exec (db, "GRANT ALL ON ALL TABLES IN SCHEMA public TO upg_mei;"
                        "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO upg_mei");
  mei = upg_test_pg_uri (db, "upg_mei");
  {
    const char *check[] = { "sop", "check", "--db", mei, "--project", "1", "--step", "4", "--by", "Mei Lin", NULL };
    g_free (cli_output (check));
  }
  row = upg_test_pg_query (db, "SELECT action || ' ' || \"by\" || ' ' || changed_by FROM sop_event"
                               " ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (row, ==, "check Mei Lin upg_mei");

  {
    g_autoptr(UpgStore) store = open_store (uri);
    g_autoptr(UpgRecord) step = child_of (store, 1, &upg_entity_sop_step, 3);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) events = upg_store_list_check_events (store, step, &error);
    UpgCheckEvent *last;

    g_assert_no_error (error);
    last = g_ptr_array_index (events, events->len - 1);
    g_assert_cmpstr (last->action, ==, "check");
    g_assert_cmpstr (last->actor, ==, "Mei Lin");
    g_assert_cmpstr (last->role, ==, "upg_mei");
  }
}

/* Three people check, check and uncheck the same step at once, 10 rounds:
 * every reported success is in the history once, every refusal names the
 * newer state, the history never has a check on a check. */
static void
test_sop_race (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  struct { const char *action; const char *by; } writers[] = {
    { "check", "Ana Souza" },
    { "check", "Mei Lin" },
    { "uncheck", "Jonas Berg" },
  };
  g_autoptr(GRegex) refused = g_regex_new ("^upgrade-planner: (Step 4 was (checked|unchecked) by "
                                           "(Ana Souza|Mei Lin|Jonas Berg|Priya Raman) at 20:00 \\(Asia/Shanghai\\)"
                                           "|Step 4 is not checked)\n$", 0, 0, NULL);
  guint refusals = 0;

  for (guint round = 0; round < 10; round++)
    {
      GSubprocess *processes[G_N_ELEMENTS (writers)];
      int status[G_N_ELEMENTS (writers)];
      g_autofree char *note = g_strdup_printf ("round %u", round);
      g_autofree char *history = NULL;
      g_autofree char *doubled = NULL;

      for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
        {
          g_autoptr(GError) error = NULL;
          processes[w] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                           UPG_BIN, "sop", writers[w].action, "--db", uri, "--project", "1",
                                           "--step", "4", "--by", writers[w].by, "--note", note, NULL);
          g_assert_no_error (error);
        }
      for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;
          g_autofree char *sql = NULL;
          g_autofree char *count = NULL;

          g_subprocess_communicate_utf8 (processes[w], NULL, NULL, &out, &err, &error);
          g_assert_no_error (error);
          status[w] = g_subprocess_get_exit_status (processes[w]);
          g_clear_object (&processes[w]);
          g_assert_cmpstr (out, ==, "");
          if (status[w] != 0)
            {
              g_assert_cmpint (status[w], ==, 1);
              if (!g_regex_match (refused, err, 0, NULL))
                g_error ("round %u: %s %s refused with: %s", round, writers[w].action, writers[w].by, err);
              refusals++;
            }
          /* Each success once in the history, each refusal not at all. */
          sql = g_strdup_printf ("SELECT count(*) FROM sop_event e JOIN sop_step s ON s.id = e.step_id"
                                 " WHERE s.position = 3 AND e.action = '%s' AND e.\"by\" = '%s' AND e.note = '%s'",
                                 writers[w].action, writers[w].by, strcmp (writers[w].action, "check") == 0 ? "" : note);
          count = upg_test_pg_query (db, sql);
          if (strcmp (writers[w].action, "uncheck") == 0)
            g_assert_cmpstr (count, ==, status[w] == 0 ? "1" : "0");
        }
      /* The history alternates: never two checks or two unchecks in a row. */
      doubled = upg_test_pg_query (db,
        "SELECT count(*) FROM (SELECT action, lag (action) OVER (ORDER BY e.position, e.id) AS before"
        " FROM sop_event e JOIN sop_step s ON s.id = e.step_id WHERE s.position = 3 AND action != 'skip') t"
        " WHERE action = before");
      g_assert_cmpstr (doubled, ==, "0");
      history = upg_test_pg_query (db, "SELECT action FROM sop_event e JOIN sop_step s ON s.id = e.step_id"
                                       " WHERE s.position = 3 AND action != 'skip' ORDER BY e.position DESC, e.id DESC LIMIT 1");
      if (g_strcmp0 (history, "check") == 0)
        {
          const char *reset[] = { "sop", "uncheck", "--db", uri, "--project", "1", "--step", "4", "--by", "Priya Raman",
                                  "--note", "next round", NULL };
          g_free (cli_output (reset));
        }
    }
  g_assert_cmpuint (refusals, >, 0);
}

/* Two people check the same step at the same moment, 8 rounds: exactly
 * one is recorded; the other exits 1 with the line a file gives for a
 * step already checked (the same command on a file after the first). */
static void
test_check_race (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *file = file_with_sample ();
  const char *people[2] = { "Ana Souza", "Mei Lin" };

  for (guint round = 0; round < 8; round++)
    {
      GSubprocess *processes[2];
      char *err[2] = { NULL, NULL };
      int status[2];
      guint winner, loser;
      g_autofree char *checks = NULL;
      g_autofree char *from_file = NULL;
      g_autofree char *out = NULL;

      for (guint w = 0; w < 2; w++)
        {
          g_autoptr(GError) error = NULL;
          processes[w] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                           UPG_BIN, "sop", "check", "--db", uri, "--project", "1",
                                           "--step", "4", "--by", people[w], NULL);
          g_assert_no_error (error);
        }
      for (guint w = 0; w < 2; w++)
        {
          g_autoptr(GError) error = NULL;

          g_subprocess_communicate_utf8 (processes[w], NULL, NULL, NULL, &err[w], &error);
          g_assert_no_error (error);
          status[w] = g_subprocess_get_exit_status (processes[w]);
          g_clear_object (&processes[w]);
        }
      g_assert_true ((status[0] == 0) != (status[1] == 0));
      winner = status[0] == 0 ? 0 : 1;
      loser = 1 - winner;
      g_assert_cmpstr (err[winner], ==, "");
      g_assert_cmpint (status[loser], ==, 1);

      /* The file says the same to the second of two who check one after
       * the other. */
      g_assert_cmpint (upg_test_run_cli (&out, NULL, "sop", "check", "--db", file, "--project", "1", "--step", "4",
                                         "--by", people[winner], NULL), ==, 0);
      g_clear_pointer (&out, g_free);
      g_assert_cmpint (upg_test_run_cli (&out, &from_file, "sop", "check", "--db", file, "--project", "1", "--step", "4",
                                         "--by", people[loser], NULL), ==, 1);
      g_assert_cmpstr (err[loser], ==, from_file);
      {
        g_autofree char *expected = g_strdup_printf ("upgrade-planner: Step 4 was checked by %s at 20:00 (Asia/Shanghai)\n",
                                                     people[winner]);
        g_assert_cmpstr (err[loser], ==, expected);
      }

      /* One check in the history this round. */
      checks = upg_test_pg_query (db, "SELECT count(*) FROM sop_event e JOIN sop_step s ON s.id = e.step_id"
                                      " WHERE s.position = 3 AND e.action = 'check'");
      {
        g_autofree char *expected = g_strdup_printf ("%u", round + 1);
        g_assert_cmpstr (checks, ==, expected);
      }

      for (guint i = 0; i < 2; i++)
        {
          const char *where = i == 0 ? uri : file;
          const char *reset[] = { "sop", "uncheck", "--db", where, "--project", "1", "--step", "4", "--by", "Priya Raman",
                                  "--note", "next round", NULL };
          g_free (cli_output (reset));
        }
      g_free (err[0]);
      g_free (err[1]);
    }
}

/* ------------------------------------------------------------------ */
/* Two people                                                          */

typedef struct {
  guint  n;
  gint64 at;
} Seen;

static void
changed_cb (UpgStore *store, Seen *seen)
{
  seen->n++;
  seen->at = g_get_monotonic_time ();
}

static void
notified_cb (GObject *object, GParamSpec *pspec, Seen *seen)
{
  seen->n++;
  seen->at = g_get_monotonic_time ();
}

static void
items_changed_cb (GListModel *list, guint position, guint removed, guint added, Seen *seen)
{
  seen->n++;
  seen->at = g_get_monotonic_time ();
}

/* Runs the main loop until @seen saw something or @usec passed. */
static void
wait_for (Seen *seen, gint64 usec)
{
  gint64 deadline = g_get_monotonic_time () + usec;

  while (seen->n == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

/* A change made by one person reaches another's store within 1 s
 * (LISTEN/NOTIFY): the rows that changed, on the records the other store
 * already has (a view bound to them follows), into and out of its lists;
 * nothing else is read again. */
static void
test_notify (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autoptr(UpgStore) mine = open_store (uri);
  g_autoptr(UpgStore) theirs = open_store (uri);
  g_autoptr(UpgRecord) risk = child_of (theirs, 1, &upg_entity_risk, 0);
  g_autoptr(UpgRecord) mine_risk = child_of (mine, 1, &upg_entity_risk, 0);
  g_autoptr(UpgRecord) mine_other = child_of (mine, 1, &upg_entity_risk, 1);
  g_autoptr(UpgProject) mine_project = g_list_model_get_item (upg_store_get_projects (mine), 0);
  GListModel *mine_risks = G_LIST_MODEL (upg_record_get_container (mine_risk));
  g_autoptr(GError) error = NULL;
  Seen seen = { 0 }, title = { 0 }, items = { 0 };
  gint64 start;
  gulong id;

  g_assert_cmpuint (g_list_model_get_n_items (mine_risks), ==, 3);
  g_signal_connect (mine, "changed-externally", G_CALLBACK (changed_cb), &seen);
  id = g_signal_connect (mine_risk, "notify::title", G_CALLBACK (notified_cb), &title);
  g_signal_connect (mine_risks, "items-changed", G_CALLBACK (items_changed_cb), &items);
  upg_store_watch_external_changes (mine, 1000);

  /* An edit: the same record object takes the new title. */
  start = g_get_monotonic_time ();
  set_string (theirs, risk, UPG_RISK_TITLE, "Replica lag during the switch", &error);
  g_assert_no_error (error);
  wait_for (&title, G_USEC_PER_SEC);
  g_assert_cmpuint (title.n, ==, 1);
  g_assert_cmpint (title.at - start, <, G_USEC_PER_SEC);
  g_assert_cmpstr (upg_record_get_string (mine_risk, UPG_RISK_TITLE), ==, "Replica lag during the switch");
  wait_for (&seen, G_USEC_PER_SEC);
  g_assert_cmpuint (seen.n, ==, 1);
  g_assert_cmpuint (items.n, ==, 0);
  {
    /* The project list was not read again: the same objects. */
    g_autoptr(UpgProject) still = g_list_model_get_item (upg_store_get_projects (mine), 0);
    g_assert_true (still == mine_project);
  }
  g_signal_handler_disconnect (mine_risk, id);

  /* A new risk: into the loaded list, in its place. */
  {
    g_autoptr(UpgRecord) added = upg_record_new (&upg_entity_risk);
    g_autoptr(UpgProject) project = g_list_model_get_item (upg_store_get_projects (theirs), 0);
    g_autoptr(UpgRecord) seen_risk = NULL;

    upg_record_set_string (added, UPG_RISK_TITLE, "Certificate expires on the day");
    items.n = 0;
    start = g_get_monotonic_time ();
    g_assert_true (upg_store_insert (theirs, UPG_RECORD (project), added, 1, &error));
    g_assert_no_error (error);
    wait_for (&items, G_USEC_PER_SEC);
    g_assert_cmpint (items.at - start, <, G_USEC_PER_SEC);
    g_assert_cmpuint (g_list_model_get_n_items (mine_risks), ==, 4);
    seen_risk = g_list_model_get_item (mine_risks, 1);
    g_assert_cmpstr (upg_record_get_string (seen_risk, UPG_RISK_TITLE), ==, "Certificate expires on the day");
    g_assert_cmpint (upg_record_get_id (seen_risk), ==, upg_record_get_id (added));
    g_assert_true (upg_record_get_container (seen_risk) == G_LIST_STORE (mine_risks));
  }

  /* A deleted risk: out of the list; Undo puts it back. */
  {
    g_autoptr(UpgRecord) gone = child_of (theirs, 1, &upg_entity_risk, 2);
    g_autoptr(UpgDeletion) undo = NULL;
    g_autoptr(UpgRecord) back = NULL;

    g_assert_cmpint (upg_record_get_id (gone), ==, upg_record_get_id (mine_other));
    items.n = 0;
    g_assert_true (upg_store_delete (theirs, gone, &undo, &error));
    g_assert_no_error (error);
    wait_for (&items, G_USEC_PER_SEC);
    g_assert_cmpuint (g_list_model_get_n_items (mine_risks), ==, 3);
    g_assert_false (g_list_store_find (G_LIST_STORE (mine_risks), mine_other, NULL));

    items.n = 0;
    g_assert_true (upg_store_undo_delete (theirs, undo, &error));
    g_assert_no_error (error);
    wait_for (&items, G_USEC_PER_SEC);
    g_assert_cmpuint (g_list_model_get_n_items (mine_risks), ==, 4);
    back = g_list_model_get_item (mine_risks, 2);
    g_assert_cmpint (upg_record_get_id (back), ==, upg_record_get_id (mine_other));
  }

  /* Its own changes it does not hear about. */
  seen.n = 0;
  set_string (mine, mine_risk, UPG_RISK_TITLE, "Mine", &error);
  g_assert_no_error (error);
  {
    gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
    while (g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (seen.n, ==, 0);
}

/* A project's rows come with everything under them, each record's own,
 * in their order, though read in one go per table: every step's history
 * is the one the server keeps for that step. */
static void
test_load_children (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(UpgRecord) first = NULL;
  GListModel *steps;
  guint with_history = 0;

  /* Histories of different lengths, on steps apart. */
  for (guint i = 0; i < 3; i++)
    {
      const char *check[] = { "sop", "check", "--db", uri, "--project", "1", "--step", "3", "--by", "Priya Raman",
                              NULL };
      const char *uncheck[] = { "sop", "uncheck", "--db", uri, "--project", "1", "--step", "3", "--by", "Priya Raman",
                                "--note", "again", NULL };
      g_free (cli_output (check));
      g_free (cli_output (uncheck));
    }
  {
    const char *skip[] = { "sop", "skip", "--db", uri, "--project", "1", "--step", "6", "--by", "Priya Raman",
                           "--note", "not this time", NULL };
    g_free (cli_output (skip));
  }

  store = open_store (uri);
  first = child_of (store, 1, &upg_entity_sop_step, 0);
  steps = G_LIST_MODEL (upg_record_get_container (first));
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      GListModel *history = upg_record_get_children (step, &upg_entity_sop_event);
      g_autofree char *sql = g_strdup_printf ("SELECT coalesce (string_agg (id::text, ',' ORDER BY position, id), '')"
                                              " FROM sop_event WHERE step_id = %" G_GINT64_FORMAT,
                                              upg_record_get_id (step));
      g_autofree char *expected = upg_test_pg_query (db, sql);
      g_autoptr(GString) got = g_string_new (NULL);

      g_assert_nonnull (history);
      for (guint k = 0; k < g_list_model_get_n_items (history); k++)
        {
          g_autoptr(UpgRecord) entry = g_list_model_get_item (history, k);
          g_string_append_printf (got, "%s%" G_GINT64_FORMAT, k ? "," : "", upg_record_get_id (entry));
          g_assert_true (upg_record_get_container (entry) == G_LIST_STORE (history));
          g_assert_cmpint (upg_record_get_parent_id (entry), ==, upg_record_get_id (step));
        }
      g_assert_cmpstr (got->str, ==, expected);
      with_history += got->len > 0;
    }
  /* The sample's own histories and the two made here. */
  g_assert_cmpuint (with_history, >=, 3);
}

static void spin (gint64 usec);

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Marked;

static void
marked_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Marked *m = data;

  m->ok = upg_sop_mark_finish (UPG_STORE (source), result, &m->error);
  m->done = TRUE;
}

static void
wait_marked (Marked *m)
{
  while (!m->done)
    g_main_context_iteration (NULL, TRUE);
}

/* The window's checks on a server run in a thread on a connection of
 * their own: the call returns at once, the window's own connection stays
 * free while the server is held up, and the result is the one the calls
 * on the store give (the compare-and-set included); the window's records
 * follow through the server's notifications. */
static void
test_mark_async (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autoptr(UpgStore) store = open_store (uri);
  g_autoptr(UpgRecord) step = child_of (store, 1, &upg_entity_sop_step, 2);
  gint64 step_id = upg_record_get_id (step);
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s user=postgres", db);
  PGconn *holder = PQconnectdb (conninfo);
  PGresult *held;
  Marked m = { 0 };
  Seen seen = { 0 };
  g_autofree char *by = NULL;

  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  g_assert_false (upg_sop_step_is_done (step));
  g_signal_connect (step, "notify::checked-at", G_CALLBACK (notified_cb), &seen);
  upg_store_watch_external_changes (store, 1000);

  /* Someone holds the checklist's table: the check waits for the server,
   * the window does not. */
  held = PQexec (holder, "BEGIN; LOCK TABLE sop_step_all IN ACCESS EXCLUSIVE MODE");
  g_assert_cmpint (PQresultStatus (held), ==, PGRES_COMMAND_OK);
  PQclear (held);
  upg_sop_mark_async (store, UPG_SOP_MARK_CHECK, 1, step_id, "Priya Raman", NULL, NULL, marked_cb, &m);
  spin (G_USEC_PER_SEC / 2);
  g_assert_false (m.done);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(UpgRecord) risk = child_of (store, 1, &upg_entity_risk, 0);
    g_autofree char *title = NULL;

    /* The window's own connection is free meanwhile: an edit saves. */
    set_string (store, risk, UPG_RISK_TITLE, "Edited while a check waits", &error);
    g_assert_no_error (error);
    title = upg_test_pg_query (db, "SELECT title FROM risk WHERE project_id = 1 ORDER BY position LIMIT 1");
    g_assert_cmpstr (title, ==, "Edited while a check waits");
  }
  held = PQexec (holder, "COMMIT");
  PQclear (held);
  wait_marked (&m);
  g_assert_no_error (m.error);
  g_assert_true (m.ok);
  by = upg_test_pg_query (db, "SELECT checked_by FROM sop_step WHERE position = 2 AND project_id = 1");
  g_assert_cmpstr (by, ==, "Priya Raman");
  wait_for (&seen, 5 * G_USEC_PER_SEC);
  g_assert_cmpstr (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY), ==, "Priya Raman");

  /* A second check of it is refused as the store's own call refuses it. */
  memset (&m, 0, sizeof m);
  upg_sop_mark_async (store, UPG_SOP_MARK_CHECK, 1, step_id, "Mei Lin", NULL, NULL, marked_cb, &m);
  wait_marked (&m);
  g_assert_false (m.ok);
  g_assert_true (m.error != NULL);
  g_assert_true (g_str_has_prefix (m.error->message, "Step 3 was checked by Priya Raman at "));
  g_clear_error (&m.error);

  /* Uncheck and skip need their reason, there too. */
  memset (&m, 0, sizeof m);
  upg_sop_mark_async (store, UPG_SOP_MARK_UNCHECK, 1, step_id, "Mei Lin", "", NULL, marked_cb, &m);
  wait_marked (&m);
  g_assert_error (m.error, UPG_SOP_ERROR, UPG_SOP_ERROR_NEEDS_REASON);
  g_clear_error (&m.error);
  memset (&m, 0, sizeof m);
  upg_sop_mark_async (store, UPG_SOP_MARK_UNCHECK, 1, step_id, "Mei Lin", "built twice", NULL, marked_cb, &m);
  wait_marked (&m);
  g_assert_no_error (m.error);
  seen.n = 0;
  wait_for (&seen, 5 * G_USEC_PER_SEC);
  g_assert_false (upg_sop_step_is_done (step));
  memset (&m, 0, sizeof m);
  upg_sop_mark_async (store, UPG_SOP_MARK_SKIP, 1, step_id, "Mei Lin", "not this release", NULL, marked_cb, &m);
  wait_marked (&m);
  g_assert_no_error (m.error);
  {
    g_autofree char *last = upg_test_pg_query (db, "SELECT e.action || ' ' || e.\"by\" || ' ' || e.note FROM sop_event e"
                                                   " JOIN sop_step s ON s.id = e.step_id"
                                                   " WHERE s.position = 2 AND s.project_id = 1"
                                                   " ORDER BY e.position DESC, e.id DESC LIMIT 1");
    g_assert_cmpstr (last, ==, "skip Mei Lin not this release");
  }

  /* A step deleted meanwhile: said, nothing written. */
  {
    g_autoptr(UpgStore) other = open_store (uri);
    g_autoptr(UpgRecord) theirs = child_of (other, 1, &upg_entity_sop_step, 2);
    g_autoptr(UpgDeletion) undo = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (upg_store_delete (other, theirs, &undo, &error));
    g_assert_no_error (error);
  }
  memset (&m, 0, sizeof m);
  upg_sop_mark_async (store, UPG_SOP_MARK_CHECK, 1, step_id, "Mei Lin", NULL, NULL, marked_cb, &m);
  wait_marked (&m);
  g_assert_error (m.error, UPG_SOP_ERROR, UPG_SOP_ERROR_CHANGED);
  g_assert_cmpstr (m.error->message, ==, "Someone deleted the step on the team server meanwhile");
  g_clear_error (&m.error);
  PQfinish (holder);
}

/* Runs the main loop for @usec. */
static void
spin (gint64 usec)
{
  Seen never = { 0 };

  wait_for (&never, usec);
}

/* Many changes made while a window was busy come in at once: every row
 * ends as the server has it, on the records the window already had (the
 * same objects), with rows deleted and put back, deleted, and new, in
 * their places. Records loaded again afterwards are the ones that follow
 * later changes. */
static void
test_notify_burst (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autoptr(UpgStore) mine = open_store (uri);
  g_autoptr(UpgStore) theirs = open_store (uri);
  g_autoptr(UpgRecord) mine_risk0 = child_of (mine, 1, &upg_entity_risk, 0);
  g_autoptr(UpgRecord) mine_risk1 = child_of (mine, 1, &upg_entity_risk, 1);
  g_autoptr(UpgRecord) mine_risk2 = child_of (mine, 1, &upg_entity_risk, 2);
  g_autoptr(UpgRecord) mine_step = child_of (mine, 1, &upg_entity_sop_step, 1);
  g_autoptr(UpgRecord) their_step = child_of (theirs, 1, &upg_entity_sop_step, 1);
  GListModel *mine_risks = G_LIST_MODEL (upg_record_get_container (mine_risk0));
  GListModel *mine_history = upg_record_get_children (mine_step, &upg_entity_sop_event);
  GListModel *their_steps = G_LIST_MODEL (upg_record_get_container (their_step));
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgDeletion) undo = NULL;
  Seen seen = { 0 };
  guint n_history;

  g_assert_nonnull (mine_history);
  n_history = g_list_model_get_n_items (mine_history);
  g_signal_connect (mine, "changed-externally", G_CALLBACK (changed_cb), &seen);
  upg_store_watch_external_changes (mine, 1000);

  /* The other person's work, while this store's main loop does not run. */
  {
    g_autoptr(UpgRecord) r0 = child_of (theirs, 1, &upg_entity_risk, 0);
    g_autoptr(UpgRecord) r1 = child_of (theirs, 1, &upg_entity_risk, 1);
    g_autoptr(UpgRecord) r2 = child_of (theirs, 1, &upg_entity_risk, 2);
    g_autoptr(UpgRecord) added = upg_record_new (&upg_entity_risk);
    g_autoptr(UpgProject) project = g_list_model_get_item (upg_store_get_projects (theirs), 0);
    g_autoptr(UpgDeletion) gone = NULL;

    set_string (theirs, r0, UPG_RISK_TITLE, "First title", &error);
    g_assert_no_error (error);
    set_string (theirs, r2, UPG_RISK_TITLE, "Kept after Undo", &error);
    g_assert_no_error (error);
    set_string (theirs, r0, UPG_RISK_TITLE, "Second title", &error);
    g_assert_no_error (error);
    g_assert_true (upg_sop_check (theirs, their_steps, their_step, "Ana Lima", NULL, NULL, &error));
    g_assert_no_error (error);
    upg_record_set_string (added, UPG_RISK_TITLE, "Added while away");
    g_assert_true (upg_store_insert (theirs, UPG_RECORD (project), added, 0, &error));
    g_assert_no_error (error);
    g_assert_true (upg_store_delete (theirs, r2, &undo, &error));
    g_assert_no_error (error);
    g_assert_true (upg_store_undo_delete (theirs, undo, &error));
    g_assert_no_error (error);
    g_assert_true (upg_store_delete (theirs, r1, &gone, &error));
    g_assert_no_error (error);
  }

  /* Then the window takes in what the server said. */
  g_usleep (G_USEC_PER_SEC / 4);
  wait_for (&seen, 5 * G_USEC_PER_SEC);
  spin (G_USEC_PER_SEC / 2);
  g_assert_cmpuint (seen.n, >=, 1);

  g_assert_cmpuint (g_list_model_get_n_items (mine_risks), ==, 3);
  {
    g_autoptr(UpgRecord) first = g_list_model_get_item (mine_risks, 0);
    g_autoptr(UpgRecord) second = g_list_model_get_item (mine_risks, 1);
    g_autoptr(UpgRecord) third = g_list_model_get_item (mine_risks, 2);

    g_assert_cmpstr (upg_record_get_string (first, UPG_RISK_TITLE), ==, "Added while away");
    g_assert_true (upg_record_get_container (first) == G_LIST_STORE (mine_risks));
    g_assert_true (second == mine_risk0);
    g_assert_cmpstr (upg_record_get_string (mine_risk0, UPG_RISK_TITLE), ==, "Second title");
    g_assert_true (third == mine_risk2);
    g_assert_cmpstr (upg_record_get_string (mine_risk2, UPG_RISK_TITLE), ==, "Kept after Undo");
    g_assert_false (g_list_store_find (G_LIST_STORE (mine_risks), mine_risk1, NULL));
  }
  g_assert_cmpstr (upg_record_get_string (mine_step, UPG_SOP_STEP_CHECKED_BY), ==, "Ana Lima");
  g_assert_nonnull (upg_record_get_string (mine_step, UPG_SOP_STEP_CHECKED_AT));
  g_assert_cmpuint (g_list_model_get_n_items (mine_history), ==, n_history + 1);
  {
    g_autoptr(UpgRecord) entry = g_list_model_get_item (mine_history, n_history);
    g_assert_cmpstr (upg_record_get_string (entry, UPG_SOP_EVENT_ACTION), ==, "check");
    g_assert_cmpstr (upg_record_get_string (entry, UPG_SOP_EVENT_BY), ==, "Ana Lima");
  }

  /* The window reads the project's rows again (new objects): those are
   * the ones a later change reaches. */
  {
    g_autoptr(UpgProject) project = upg_store_lookup_project (mine, 1, &error);
    g_autoptr(UpgRecord) their_risk = child_of (theirs, 1, &upg_entity_risk, 1);
    g_autoptr(UpgRecord) fresh = NULL;

    g_assert_no_error (error);
    seen.n = 0;
    set_string (theirs, their_risk, UPG_RISK_TITLE, "Seen before", &error);
    g_assert_no_error (error);
    wait_for (&seen, 5 * G_USEC_PER_SEC);
    g_assert_cmpstr (upg_record_get_string (mine_risk0, UPG_RISK_TITLE), ==, "Seen before");
    upg_record_unload_children (UPG_RECORD (project));
    fresh = child_of (mine, 1, &upg_entity_risk, 1);
    g_assert_true (fresh != mine_risk0);
    g_assert_cmpint (upg_record_get_id (fresh), ==, upg_record_get_id (mine_risk0));
    seen.n = 0;
    set_string (theirs, their_risk, UPG_RISK_TITLE, "Third title", &error);
    g_assert_no_error (error);
    wait_for (&seen, 5 * G_USEC_PER_SEC);
    g_assert_cmpuint (seen.n, ==, 1);
    g_assert_cmpstr (upg_record_get_string (fresh, UPG_RISK_TITLE), ==, "Third title");
    g_assert_cmpuint (g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (project), &upg_entity_risk)), ==, 3);
  }
}

/* An edit made on a row someone else changed meanwhile is refused: the
 * record shows the newer value, the message says who made it. */
static void
test_stale_edit (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autoptr(UpgStore) a = open_store (uri);
  g_autoptr(UpgStore) b = open_store (uri);
  g_autoptr(UpgRecord) risk_a = child_of (a, 1, &upg_entity_risk, 0);
  g_autoptr(UpgRecord) risk_b = child_of (b, 1, &upg_entity_risk, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  set_string (a, risk_a, UPG_RISK_TITLE, "Written by A", &error);
  g_assert_no_error (error);
  set_string (b, risk_b, UPG_RISK_MITIGATION, "Written by B", &error);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT);
  /* The fields by their labels, the newer value, and who made it. */
  g_assert_cmpstr (error->message, ==, "postgres changed it meanwhile (Title is now “Written by A”); your change to Mitigation was not saved");
  g_clear_error (&error);
  g_assert_cmpstr (upg_record_get_string (risk_b, UPG_RISK_TITLE), ==, "Written by A");
  stored = upg_test_pg_query (db, "SELECT title || ' / ' || mitigation FROM risk ORDER BY position LIMIT 1");
  g_assert_true (g_str_has_prefix (stored, "Written by A / Backup with SHA-256 checksums"));

  /* Now that B has seen A's change, B's edit goes through. */
  set_string (b, risk_b, UPG_RISK_MITIGATION, "Written by B", &error);
  g_assert_no_error (error);
  g_clear_pointer (&stored, g_free);
  stored = upg_test_pg_query (db, "SELECT title || ' / ' || mitigation FROM risk ORDER BY position LIMIT 1");
  g_assert_cmpstr (stored, ==, "Written by A / Written by B");

  /* An enumeration's newer value by its label, in the user's language too. */
  set_string (b, risk_b, UPG_RISK_STATUS, "mitigated", &error);
  g_assert_no_error (error);
  set_string (a, risk_a, UPG_RISK_CONTINGENCY, "Too late", &error);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT);
  /* Mitigation comes before Status: the first field that moved. */
  g_assert_cmpstr (error->message, ==, "postgres changed it meanwhile (Mitigation is now “Written by B”); your change to Contingency was not saved");
  g_clear_error (&error);
  set_string (b, risk_b, UPG_RISK_STATUS, "closed", &error);
  g_assert_no_error (error);
  set_string (a, risk_a, UPG_RISK_CONTINGENCY, "Too late", &error);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "postgres changed it meanwhile (Status is now “Closed”); your change to Contingency was not saved");
  g_clear_error (&error);
  set_string (b, risk_b, UPG_RISK_STATUS, "occurred", &error);
  g_assert_no_error (error);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, UPG_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");   /* glibc forgets the translations it looked up */
  set_string (a, risk_a, UPG_RISK_CONTINGENCY, "Too late", &error);
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "");
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "postgres 在此期间修改了它（状态 现为“已发生”）；您对 应急预案 的修改未保存");
  g_clear_error (&error);
  g_assert_cmpstr (upg_record_get_string (risk_a, UPG_RISK_CONTINGENCY), !=, "Too late");
  g_assert_cmpstr (upg_record_get_string (risk_a, UPG_RISK_STATUS), ==, "occurred");

  /* A row deleted meanwhile. */
  {
    g_autoptr(UpgDeletion) undo = NULL;
    g_autoptr(UpgRecord) other_b = child_of (b, 1, &upg_entity_risk, 1);
    g_autoptr(UpgRecord) other_a = child_of (a, 1, &upg_entity_risk, 1);

    g_assert_true (upg_store_delete (a, other_a, &undo, &error));
    g_assert_no_error (error);
    set_string (b, other_b, UPG_RISK_TITLE, "Too late", &error);
    g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT);
    g_assert_cmpstr (error->message, ==, "Someone else deleted it meanwhile; your change was not saved");
  }
}

/* A delete marks the rows (with everything under them); Undo clears the
 * mark, and the rows keep their ids: nobody else can have taken them. */
static void
test_delete_undo (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autoptr(UpgStore) store = open_store (uri);
  g_autoptr(UpgRecord) step = child_of (store, 1, &upg_entity_sop_step, 0);
  g_autoptr(UpgDeletion) undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, upg_record_get_id (step));
  g_autofree char *sql = g_strdup_printf ("SELECT (SELECT count(*) FROM sop_step WHERE id = %s) || ' '"
                                          " || (SELECT count(*) FROM sop_step_all WHERE id = %s) || ' '"
                                          " || (SELECT count(*) FROM sop_event WHERE step_id = %s) || ' '"
                                          " || (SELECT count(*) FROM sop_event_all WHERE step_id = %s)", id, id, id, id);
  g_autofree char *before = upg_test_pg_query (db, sql);
  g_autofree char *during = NULL;
  g_autofree char *after = NULL;

  g_assert_true (upg_store_delete (store, step, &undo, &error));
  g_assert_no_error (error);
  during = upg_test_pg_query (db, sql);
  g_assert_true (upg_store_undo_delete (store, undo, &error));
  g_assert_no_error (error);
  after = upg_test_pg_query (db, sql);

  g_assert_cmpstr (before, ==, "1 1 3 3");
  g_assert_cmpstr (during, ==, "0 1 0 3");
  g_assert_cmpstr (after, ==, before);
}

/* Two people reorder the same list from views that are both out of date:
 * each move is kept, no row is lost or doubled, the positions are 0…n-1. */
static void
test_move (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autoptr(UpgStore) a = open_store (uri);
  g_autoptr(UpgStore) b = open_store (uri);
  g_autoptr(UpgRecord) last_a = NULL;
  g_autoptr(UpgRecord) first_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *order = NULL;
  g_autofree char *positions = NULL;
  g_autofree char *titles = NULL;
  GListModel *steps;
  guint n;

  g_clear_object (&last_a);
  last_a = child_of (a, 1, &upg_entity_sop_step, 0);
  steps = G_LIST_MODEL (upg_record_get_container (last_a));
  n = g_list_model_get_n_items (steps);
  g_clear_object (&last_a);
  last_a = g_list_model_get_item (steps, n - 1);
  first_b = child_of (b, 1, &upg_entity_sop_step, 0);
  titles = upg_test_pg_query (db, "SELECT string_agg (title, '|' ORDER BY position, id) FROM sop_step");

  g_assert_true (upg_store_move (a, last_a, 0, &error));
  g_assert_no_error (error);
  g_assert_true (upg_store_move (b, first_b, n - 1, &error));
  g_assert_no_error (error);

  positions = upg_test_pg_query (db, "SELECT string_agg (position::text, ',' ORDER BY position) FROM sop_step");
  order = upg_test_pg_query (db, "SELECT string_agg (title, '|' ORDER BY position, id) FROM sop_step");
  {
    g_auto(GStrv) was = g_strsplit (titles, "|", -1);
    g_auto(GStrv) now = g_strsplit (order, "|", -1);
    guint len = g_strv_length (was);
    GString *expected_positions = g_string_new (NULL);

    for (guint i = 0; i < len; i++)
      g_string_append_printf (expected_positions, "%s%u", i ? "," : "", i);
    g_assert_cmpstr (positions, ==, expected_positions->str);
    g_string_free (expected_positions, TRUE);
    /* A's move put the last first; B's then put the (old) first last. */
    g_assert_cmpuint (g_strv_length (now), ==, len);
    g_assert_cmpstr (now[0], ==, was[len - 1]);
    g_assert_cmpstr (now[len - 1], ==, was[0]);
    for (guint i = 1; i + 1 < len; i++)
      g_assert_cmpstr (now[i], ==, was[i]);
  }
}

static void assert_one_line (const GError *error);

/* The server stops in the middle of a session: the edit in flight is
 * refused with one clear line, nothing stored is lost, and once the
 * server is back the store connects again by itself. */
static void
test_server_stopped (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autoptr(UpgStore) store = open_store (uri);
  g_autoptr(UpgRecord) risk = child_of (store, 1, &upg_entity_risk, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = upg_test_pg_location (db);
  g_autofree char *prefix = g_strdup_printf ("Lost the connection to the team server “%s”; the change was not saved (", where);
  g_autofree char *stored = NULL;

  set_string (store, risk, UPG_RISK_TITLE, "Saved before", &error);
  g_assert_no_error (error);

  upg_test_pg_stop ();
  set_string (store, risk, UPG_RISK_TITLE, "Lost with the server", &error);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  assert_one_line (error);
  g_clear_error (&error);
  upg_test_pg_start ();

  stored = upg_test_pg_query (db, "SELECT title FROM risk ORDER BY position LIMIT 1");
  g_assert_cmpstr (stored, ==, "Saved before");
  set_string (store, risk, UPG_RISK_TITLE, "Saved after", &error);
  g_assert_no_error (error);
  g_clear_pointer (&stored, g_free);
  stored = upg_test_pg_query (db, "SELECT title FROM risk ORDER BY position LIMIT 1");
  g_assert_cmpstr (stored, ==, "Saved after");
}

/* ------------------------------------------------------------------ */
/* Connection failures: each one clear line, nothing lost (issue 21)   */

/* What a database holds, to see that a refused command changed nothing:
 * every table of the public schema with a digest of its rows. */
static char *
database_contents (const char *db)
{
  return upg_test_pg_query (db,
    "SELECT coalesce (string_agg (c.relname || ':' || "
    "  (xpath ('/row/c/text()', query_to_xml ("
    "     format ('SELECT md5 (coalesce (string_agg (t::text, ''|'' ORDER BY t::text), '''')) AS c FROM %I.%I t',"
    "            n.nspname, c.relname), FALSE, TRUE, '')))[1]::text, ' ' ORDER BY c.relname), '')"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = 'public' AND c.relkind = 'r'");
}

static void
assert_one_line (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\t'));
}

/* A host where nothing listens, and one that takes the connection and
 * never answers (as a hung or firewalled server does): refused at once,
 * and after the connection's timeout (10 s unless the URI says). */
static void
test_unreachable (void)
{
  GSocketAddress *any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *message = NULL;
  g_autofree char *sample = upg_test_data_path ("sample-plan.json");
  g_autoptr(UpgStore) store = NULL;
  guint16 port;
  gint64 start;

  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_object_unref (any);
  bound = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  /* Bound, not listening: the connection is refused. */
  uri = g_strdup_printf ("postgresql://127.0.0.1:%u/plans", port);
  message = g_strdup_printf ("Could not connect to the team server “plans on 127.0.0.1”: "
                             "connection to server at \"127.0.0.1\", port %u failed: Connection refused", port);
  assert_cli_fails (message, "list", "--db", uri);
  store = upg_store_open (uri, UPG_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  /* Listening, never answering: the timeout ends the wait. */
  g_assert_true (g_socket_listen (socket, &error));
  g_clear_pointer (&uri, g_free);
  g_clear_pointer (&message, g_free);
  uri = g_strdup_printf ("postgresql://127.0.0.1:%u/plans?connect_timeout=1", port);
  message = g_strdup_printf ("Could not connect to the team server “plans on 127.0.0.1”: "
                             "connection to server at \"127.0.0.1\", port %u failed: timeout expired", port);
  start = g_get_monotonic_time ();
  store = upg_store_open (uri, UPG_STORE_OPEN_EXISTING, &error);
  g_assert_null (store);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);
  assert_cli_fails (message, "import", "--db", uri, sample);
}

/* A plan of a newer version, a database of another program and a wrong
 * password: every command is refused with one line, and the database is
 * as it was. */
static void
test_refusals_change_nothing (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *other = upg_test_pg_new_database ();
  g_autofree char *other_uri = upg_test_pg_uri (other, NULL);
  g_autofree char *sample = upg_test_data_path ("sample-plan.json");
  g_autofree char *where = upg_test_pg_location (db);
  g_autofree char *other_where = upg_test_pg_location (other);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;

  /* A newer schema. */
  upg_test_pg_exec (db, "UPDATE upgrade_planner SET version = 4");
  before = database_contents (db);
  message = g_strdup_printf ("The plan on “%s” was saved by a newer version of Upgrade Planner (schema version 4; this version reads up to 3); update Upgrade Planner to use it", where);
  assert_cli_fails (message, "import", "--db", uri, "--replace", sample);
  assert_cli_fails (message, "sop", "check", "--db", uri, "--project", "1", "--step", "4", "--by", "Mei Lin");
  assert_cli_fails (message, "check", "--db", uri);
  store = upg_store_open (uri, UPG_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_TOO_NEW);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);
  after = database_contents (db);
  g_assert_cmpstr (after, ==, before);
  upg_test_pg_exec (db, "UPDATE upgrade_planner SET version = 3");

  /* Not a plan: another program's tables, and a version table of ours
   * that is empty. */
  upg_test_pg_exec (other, "CREATE TABLE invoices (id integer, total numeric); INSERT INTO invoices VALUES (1, 99.5)");
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  g_clear_pointer (&message, g_free);
  before = database_contents (other);
  message = g_strdup_printf ("“%s” holds tables of another program, not an Upgrade Planner plan; give an empty database or one with a plan", other_where);
  assert_cli_fails (message, "import", "--db", other_uri, sample);
  assert_cli_fails (message, "export", "plan", "--db", other_uri);
  store = upg_store_open (other_uri, UPG_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);
  after = database_contents (other);
  g_assert_cmpstr (after, ==, before);

  upg_test_pg_exec (other, "DROP TABLE invoices; CREATE TABLE upgrade_planner (version integer)");
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  g_clear_pointer (&message, g_free);
  before = database_contents (other);
  message = g_strdup_printf ("“%s” is not an Upgrade Planner plan: its version table is empty", other_where);
  assert_cli_fails (message, "import", "--db", other_uri, sample);
  after = database_contents (other);
  g_assert_cmpstr (after, ==, before);

  /* A wrong password (pg_hba.conf of pg-cluster.sh asks upg_password for one). */
  upg_test_pg_exec (NULL, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'upg_password') THEN "
                          "CREATE ROLE upg_password LOGIN PASSWORD 'right'; END IF; END $$");
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  g_clear_pointer (&message, g_free);
  before = database_contents (db);
  {
    g_autofree char *pw_uri = upg_test_pg_uri (db, "upg_password");

    message = g_strdup_printf ("Could not connect to the team server “%s”: password authentication failed for user \"upg_password\"", where);
    g_setenv ("PGPASSWORD", "wrong", TRUE);
    assert_cli_fails (message, "import", "--db", pw_uri, "--replace", sample);
    assert_cli_fails (message, "sop", "check", "--db", pw_uri, "--project", "1", "--step", "4", "--by", "Mei Lin");
    g_unsetenv ("PGPASSWORD");
    store = upg_store_open_server (pw_uri, "also wrong", UPG_STORE_OPEN_EXISTING, &error);
    g_assert_null (store);
    g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NEEDS_PASSWORD);
    g_assert_cmpstr (error->message, ==, message);
    g_clear_error (&error);
  }
  after = database_contents (db);
  g_assert_cmpstr (after, ==, before);
}

/* The server stops in the middle of a transaction (an import, say): what
 * the transaction wrote is gone as a whole, never in part; the caller
 * hears so in one line, at the next write or at the commit; afterwards
 * the same store works again. */
static void
test_server_stopped_in_transaction (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autoptr(UpgStore) store = open_store (uri);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = database_contents (db);
  g_autofree char *after = NULL;
  g_autofree char *where = upg_test_pg_location (db);
  g_autofree char *prefix = g_strdup_printf ("Lost the connection to the team server “%s”; the change was not saved (", where);

  for (guint at_commit = 0; at_commit < 2; at_commit++)
    {
      g_autoptr(UpgRecord) first = upg_record_new (&upg_entity_project);
      g_autoptr(UpgRecord) second = upg_record_new (&upg_entity_project);

      upg_record_set_string (first, UPG_PROJECT_NAME, "Written before the stop");
      upg_record_set_string (first, UPG_PROJECT_CREATED_AT, "2026-11-25T00:00:00Z");
      upg_record_set_string (first, UPG_PROJECT_UPDATED_AT, "2026-11-25T00:00:00Z");
      upg_record_set_string (second, UPG_PROJECT_NAME, "Written after the stop");
      upg_record_set_string (second, UPG_PROJECT_CREATED_AT, "2026-11-25T00:00:00Z");
      upg_record_set_string (second, UPG_PROJECT_UPDATED_AT, "2026-11-25T00:00:00Z");

      g_assert_true (upg_store_begin (store, &error));
      g_assert_true (upg_store_insert (store, NULL, first, -1, &error));
      g_assert_no_error (error);
      upg_test_pg_stop ();
      if (at_commit)
        g_assert_false (upg_store_commit (store, &error));
      else
        {
          g_assert_false (upg_store_insert (store, NULL, second, -1, &error));
          upg_store_rollback (store);
        }
      g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      assert_one_line (error);
      g_clear_error (&error);
      upg_test_pg_start ();

      g_clear_pointer (&after, g_free);
      after = database_contents (db);
      g_assert_cmpstr (after, ==, before);
    }

  /* The same store goes on, on a new connection. */
  g_assert_true (upg_store_reload_projects (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (upg_store_get_projects (store)), ==, 1);
  {
    g_autoptr(UpgRecord) risk = child_of (store, 1, &upg_entity_risk, 0);

    set_string (store, risk, UPG_RISK_TITLE, "Saved after", &error);
    g_assert_no_error (error);
  }
  g_clear_pointer (&after, g_free);
  after = upg_test_pg_query (db, "SELECT title FROM risk ORDER BY position LIMIT 1");
  g_assert_cmpstr (after, ==, "Saved after");
}

/* A write's transaction sets its project's updated_at last, just before
 * the commit: another person's write to the same project meanwhile does
 * not wait for it (the project's row is locked for the commit alone). B
 * runs with a lock timeout, so a wait would be an error, not a hang. */
static void
test_project_touched_at_commit (void)
{
  g_autofree char *db = NULL;
  g_autofree char *uri = upg_test_pg_new_sample (&db);
  g_autofree char *impatient = g_strconcat (uri, "?options=-c%20lock_timeout%3D2000", NULL);
  g_autoptr(UpgStore) a = open_store (uri);
  g_autoptr(UpgStore) b = open_store (impatient);
  g_autoptr(UpgRecord) step_a = child_of (a, 1, &upg_entity_sop_step, 0);
  g_autoptr(UpgRecord) risk_b = child_of (b, 1, &upg_entity_risk, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  g_assert_true (upg_store_begin (a, &error));
  g_assert_true (upg_store_add_check_event (a, step_a, "check", "Mei Lin", "2026-11-25T12:00:00Z", "", &error));
  g_assert_no_error (error);
  set_string (b, risk_b, UPG_RISK_TITLE, "Written while A writes", &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_commit (a, &error));
  g_assert_no_error (error);

  stored = upg_test_pg_query (db, "SELECT (SELECT count(*) FROM sop_event WHERE \"by\" = 'Mei Lin' AND at = '2026-11-25T12:00:00Z')"
                                  " || ' ' || (SELECT title FROM risk ORDER BY position LIMIT 1)"
                                  " || ' ' || (SELECT updated_at FROM project)");
  g_assert_cmpstr (stored, ==, "1 Written while A writes 2026-11-25T12:00:00Z");
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);
  upg_test_pg_require ();

  g_test_add_func ("/postgres/cluster", test_cluster);
  g_test_add_func ("/postgres/new-database", test_new_database);
  g_test_add_func ("/postgres/stop-start", test_stop_start);
  g_test_add_func ("/postgres/cli/every-command", test_cli_every_command);
  g_test_add_func ("/postgres/cli/refusals", test_cli_refusals);
  g_test_add_func ("/postgres/migrate", test_migrate);
  g_test_add_func ("/postgres/read-only-role", test_read_only_role);
  g_test_add_func ("/postgres/audit-role", test_audit_role);
  g_test_add_func ("/postgres/sop-race", test_sop_race);
  g_test_add_func ("/postgres/check-race", test_check_race);
  g_test_add_func ("/postgres/notify", test_notify);
  g_test_add_func ("/postgres/notify-burst", test_notify_burst);
  g_test_add_func ("/postgres/load-children", test_load_children);
  g_test_add_func ("/postgres/mark-async", test_mark_async);
  g_test_add_func ("/postgres/stale-edit", test_stale_edit);
  g_test_add_func ("/postgres/delete-undo", test_delete_undo);
  g_test_add_func ("/postgres/move", test_move);
  g_test_add_func ("/postgres/server-stopped", test_server_stopped);
  g_test_add_func ("/postgres/failure/unreachable", test_unreachable);
  g_test_add_func ("/postgres/failure/refusals-change-nothing", test_refusals_change_nothing);
  g_test_add_func ("/postgres/failure/server-stopped-in-transaction", test_server_stopped_in_transaction);
  g_test_add_func ("/postgres/project-touched-at-commit", test_project_touched_at_commit);
  return g_test_run ();
}
