/* upg-test-pg.h — the throwaway PostgreSQL cluster of a test program run
 * through tests/pg-cluster.sh (tests/meson.build does). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fails the test program when it was not started by pg-cluster.sh. */
void     upg_test_pg_require      (void);
/* Runs @sql (one or more statements) on database @dbname (NULL: the
 * cluster's "postgres") as the superuser; fails the test on an error. */
void     upg_test_pg_exec         (const char *dbname,
                                   const char *sql);
/* The first column of the first row of @sql's result, or NULL. */
char    *upg_test_pg_query        (const char *dbname,
                                   const char *sql);
/* The same on the database of @uri (upg_test_pg_uri()), as the superuser. */
char    *upg_test_pg_query_uri    (const char *uri,
                                   const char *sql);
/* Creates a new empty database and returns its name (upg_t1, upg_t2, …). */
char    *upg_test_pg_new_database (void);
/* The libpq URI of database @dbname on the cluster (through its socket). */
char    *upg_test_pg_uri          (const char *dbname,
                                   const char *user);
/* "DB on HOST", as messages name database @dbname of the cluster. */
char    *upg_test_pg_location     (const char *dbname);
/* A new database holding the sample plan, imported through the command
 * line (project 1); returns its URI, and *@dbname its name. */
char    *upg_test_pg_new_sample   (char      **dbname);
/* Stops the server at once (as a crash would) or starts it again. */
void     upg_test_pg_stop         (void);
void     upg_test_pg_start        (void);

G_END_DECLS
