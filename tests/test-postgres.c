/* test-postgres.c — the team server: a real PostgreSQL cluster started for
 * this program by tests/pg-cluster.sh. */
#include "config.h"

#include <stdlib.h>
#include <libpq-fe.h>

#include "upg-test-util.h"
#include "upg-test-pg.h"

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

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);
  upg_test_pg_require ();

  g_test_add_func ("/postgres/cluster", test_cluster);
  g_test_add_func ("/postgres/new-database", test_new_database);
  g_test_add_func ("/postgres/stop-start", test_stop_start);
  return g_test_run ();
}
