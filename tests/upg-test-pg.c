/* upg-test-pg.c — the throwaway PostgreSQL cluster of a test program. */
#include "config.h"

#include <string.h>
#include <libpq-fe.h>

#include "upg-test-pg.h"
#include "upg-test-util.h"

void
upg_test_pg_require (void)
{
  if (g_getenv ("UPG_TEST_PG_DIR") == NULL || g_getenv ("UPG_TEST_PG_CLUSTER") == NULL)
    g_error ("run this test through tests/pg-cluster.sh run PROGRAM (meson test does)");
}

/* The database named by @uri (its last path segment). */
static char *
database_of (const char *uri)
{
  const char *slash = strrchr (uri, '/');
  const char *query = strchr (slash, '?');

  return query ? g_strndup (slash + 1, query - slash - 1) : g_strdup (slash + 1);
}

static PGconn *
connect_to (const char *dbname)
{
  const char *keys[] = { "dbname", "user", NULL };
  const char *values[] = { dbname ? dbname : "postgres", "postgres", NULL };
  PGconn *conn = PQconnectdbParams (keys, values, 0);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to the test cluster: %s", PQerrorMessage (conn));
  return conn;
}

void
upg_test_pg_exec (const char *dbname,
                  const char *sql)
{
  PGconn *conn = connect_to (dbname);
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
}

char *
upg_test_pg_query (const char *dbname,
                   const char *sql)
{
  PGconn *conn = connect_to (dbname);
  PGresult *result = PQexec (conn, sql);
  char *value = NULL;

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  if (PQntuples (result) > 0 && !PQgetisnull (result, 0, 0))
    value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  return value;
}

char *
upg_test_pg_query_uri (const char *uri,
                       const char *sql)
{
  g_autofree char *dbname = database_of (uri);

  return upg_test_pg_query (dbname, sql);
}

char *
upg_test_pg_new_database (void)
{
  static int n;
  char *name = g_strdup_printf ("upg_t%d", ++n);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s TEMPLATE template0", name);

  upg_test_pg_exec (NULL, sql);
  return name;
}

char *
upg_test_pg_uri (const char *dbname,
                 const char *user)
{
  g_autofree char *host = g_uri_escape_string (g_getenv ("UPG_TEST_PG_DIR"), NULL, FALSE);

  return g_strdup_printf ("postgresql://%s%s%s/%s", user ? user : "", user ? "@" : "", host, dbname);
}

static void
cluster (const char *command)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("UPG_TEST_PG_CLUSTER"), command, NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

void
upg_test_pg_stop (void)
{
  cluster ("stop");
}

void
upg_test_pg_start (void)
{
  cluster ("start");
}

char *
upg_test_pg_location (const char *dbname)
{
  return g_strdup_printf ("%s on %s", dbname, g_getenv ("UPG_TEST_PG_DIR"));
}

char *
upg_test_pg_new_sample (char **dbname)
{
  g_autofree char *sample = upg_test_data_path ("sample-plan.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  char *uri;

  *dbname = upg_test_pg_new_database ();
  uri = upg_test_pg_uri (*dbname, NULL);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "import", "--db", uri, sample, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, "1\n");
  return uri;
}
