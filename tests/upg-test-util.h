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
 * program name); returns its exit status and fills @out / @err (NULL or
 * strings of an earlier run, freed first). */
int      upg_test_run_cli    (char      **out,
                              char      **err,
                              ...) G_GNUC_NULL_TERMINATED;
/* The instant every test takes as now (tests/meson.build pins UPG_NOW to it;
 * upg_test_init() does the same when a test runs on its own). */
#define UPG_TEST_NOW "2026-11-25T12:00:00Z"
/* Pins the app's clock (UPG_NOW) to @iso, an ISO 8601 instant with zone. */
void     upg_test_set_now    (const char *iso);
typedef enum {
  /* Root of a user namespace of its own with a mount namespace of its own:
   * may mount a tmpfs, for root and a normal user alike; the host's mounts
   * are never touched. */
  UPG_TEST_NS_MOUNTS,
  /* A user the file system does not know (nothing is mapped): file
   * permissions hold, even when the suite runs as root. */
  UPG_TEST_NS_UNMAPPED,
} UpgTestNamespace;

/* Runs the calling test again in a child process (g_test_trap_subprocess)
 * that enters @kind first. TRUE in the child: go on with the test there.
 * FALSE in the parent, after asserting that the child passed. A machine
 * that refuses user namespaces fails the test; it is never skipped. */
gboolean upg_test_in_namespace (UpgTestNamespace kind);
/* In a UPG_TEST_NS_MOUNTS child: a tmpfs of @size ("64k") on @dir, made
 * read-only by upg_test_remount_read_only(), and taken off again. */
void     upg_test_mount_tmpfs        (const char *dir,
                                      const char *size);
void     upg_test_remount_read_only  (const char *dir);
void     upg_test_unmount            (const char *dir);
/* Runs the command line with the arguments (no NULL needed) and asserts a
 * usage error: exit 2, nothing on standard output, and on standard error
 * exactly @message and the line that points to --help. */
#define upg_test_assert_usage_error(message, ...) \
  upg_test_assert_usage_error_full (message, __VA_ARGS__, NULL)
void     upg_test_assert_usage_error_full (const char *message,
                                           ...) G_GNUC_NULL_TERMINATED;
/* Whether pango's, fontconfig's and cairo's caches are given back at exit
 * in a sanitized build (TRUE; widget tests set FALSE). */
extern gboolean upg_test_release_caches_at_exit;
/* Sets up the environment every test expects (temp HOME and XDG dirs). */
void     upg_test_init       (int        *argc,
                              char     ***argv);

G_END_DECLS
