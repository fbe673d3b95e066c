/* upg-test-store-cases.h — the store's cases that hold for every backend:
 * test-store runs them on a plan file, test-store-pg on a throwaway
 * PostgreSQL server (issue 21: "the store's tests run against both
 * backends"). */
#pragma once

#include <glib.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

typedef struct {
  /* "sqlite", "postgresql": the tests are /store/NAME/… */
  const char *name;
  /* Where a new, empty plan may be made: a new file's path, or the URI of
   * a new empty database. */
  char    *(*new_location) (const char *name);
  /* The first column of the first row of @sql (SQL both dialects read),
   * run on the plan at @location by another connection; -1 for no row. */
  gint64   (*query_int)    (const char *location,
                            const char *sql);
} UpgTestStoreBackend;

/* A new plan at @location (created) holding the sample plan. */
UpgStore *upg_test_store_open_sample (const char *location);

/* Adds the cases, run against @backend. */
void upg_test_store_cases_add (const UpgTestStoreBackend *backend);
/* A store opened only to read at @location reads its one project and
 * refuses to write. */
void upg_test_store_assert_read_only (const char *location);

G_END_DECLS
