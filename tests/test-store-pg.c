/* test-store-pg.c — the store's cases every backend shares
 * (upg-test-store-cases.c), on a team server: a real PostgreSQL cluster
 * started for this program by tests/pg-cluster.sh. */
#include "config.h"

#include <stdlib.h>

#include "upg-test-util.h"
#include "upg-test-pg.h"
#include "upg-test-store-cases.h"

/* A new empty database for each plan; @name (a file's) is not needed. */
static char *
pg_new_location (const char *name)
{
  g_autofree char *db = upg_test_pg_new_database ();

  return upg_test_pg_uri (db, NULL);
}

static gint64
pg_query_int (const char *uri, const char *sql)
{
  g_autofree char *value = upg_test_pg_query_uri (uri, sql);

  return value ? g_ascii_strtoll (value, NULL, 10) : -1;
}

static const UpgTestStoreBackend pg_backend = {
  "postgresql", pg_new_location, pg_query_int,
};

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);
  upg_test_pg_require ();
  upg_test_store_cases_add (&pg_backend);
  return g_test_run ();
}
