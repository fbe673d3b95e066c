/* fuzz-replay.c — the fuzzers' findings as regression tests.
 *
 * Built with a normal compiler, once for each target: every file of
 * tests/data/fuzz/ whose name starts with FUZZ_REPLAY_PREFIX ("" for the
 * importer: plan documents; "export-" for fuzz-export's byte strings,
 * "template-" for fuzz-template's templates) is a
 * test case that runs the target's LLVMFuzzerTestOneInput on it in a
 * subprocess, so a crash or failed check fails that case only.
 */
#define G_LOG_DOMAIN "upgrade-planner-fuzz"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "upg-test-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
replay (gconstpointer data)
{
  const char *path = data;

  if (g_test_subprocess ())
    {
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = upg_test_data_path ("fuzz");
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  upg_test_init (&argc, &argv);
  /* The findings were made with any year from 1 to 9999 (fuzz-export.c). */
  g_setenv ("FUZZ_WIDE_YEARS", "1", TRUE);
  g_test_set_nonfatal_assertions ();
  listing = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      /* The importer's cases are the plan documents: no other target's prefix. */
      gboolean mine = FUZZ_REPLAY_PREFIX[0] != '\0'
        ? g_str_has_prefix (name, FUZZ_REPLAY_PREFIX)
        : !g_str_has_prefix (name, "export-") && !g_str_has_prefix (name, "template-");
      if (mine)
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *test = g_strdup_printf ("/fuzz/%s/%s", FUZZ_REPLAY_TARGET, (char *) names->pdata[i]);
      char *path = g_build_filename (dir, names->pdata[i], NULL);

      g_ptr_array_add (paths, path);
      g_test_add_data_func (test, path, replay);
    }
  return g_test_run ();
}
