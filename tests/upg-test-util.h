/* upg-test-util.h — helpers shared by the test programs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fresh directory under the test's temporary HOME, removed at exit. */
char    *upg_test_tmpdir     (void);
/* The path of a new file name in upg_test_tmpdir(). */
char    *upg_test_tmpfile    (const char *name);
/* tests/data/NAME, or the sample plan for "sample-plan.json". */
char    *upg_test_data_path  (const char *name);
char    *upg_test_read       (const char *path,
                              gsize      *length);
void     upg_test_write      (const char *path,
                              const char *contents);
/* Runs the built upgrade-planner with @argv (NULL-terminated, without the
 * program name); returns its exit status and fills @out / @err. */
int      upg_test_run_cli    (char      **out,
                              char      **err,
                              ...) G_GNUC_NULL_TERMINATED;
/* The instant every test takes as now (tests/meson.build pins UPG_NOW to it;
 * upg_test_init() does the same when a test runs on its own). */
#define UPG_TEST_NOW "2026-11-25T12:00:00Z"
/* Pins the app's clock (UPG_NOW) to @iso, an ISO 8601 instant with zone. */
void     upg_test_set_now    (const char *iso);
/* Sets up the environment every test expects (temp HOME and XDG dirs). */
void     upg_test_init       (int        *argc,
                              char     ***argv);

G_END_DECLS
