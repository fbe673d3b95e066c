/* upg-test-util.c — helpers shared by the test programs. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "upg-test-util.h"

static char *root;

static void
remove_root (void)
{
  g_autofree char *cmd = NULL;
  if (root == NULL)
    return;
  cmd = g_strdup_printf ("rm -rf '%s'", root);
  (void) !system (cmd);
}

void
upg_test_init (int    *argc,
               char ***argv)
{
  g_autofree char *home = NULL;

  root = g_dir_make_tmp ("upg-test-XXXXXX", NULL);
  g_assert_nonnull (root);
  atexit (remove_root);
  home = g_build_filename (root, "home", NULL);
  g_mkdir_with_parents (home, 0700);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  /* The suite never reads the real clock; meson pins it, and so does a
   * test run by hand. */
  if (g_getenv ("UPG_NOW") == NULL)
    upg_test_set_now (UPG_TEST_NOW);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

void
upg_test_set_now (const char *iso)
{
  g_setenv ("UPG_NOW", iso, TRUE);
}

char *
upg_test_tmpdir (void)
{
  static int n;
  char *dir = g_strdup_printf ("%s/t%d", root, ++n);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

char *
upg_test_tmpfile (const char *name)
{
  g_autofree char *dir = upg_test_tmpdir ();
  return g_build_filename (dir, name, NULL);
}

char *
upg_test_data_path (const char *name)
{
  return g_build_filename (UPG_TEST_SRCDIR, "data", name, NULL);
}

char *
upg_test_read (const char *path,
               gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

void
upg_test_write (const char *path,
                const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

int
upg_test_run_cli (char **out,
                  char **err,
                  ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *bin = UPG_BIN;
  int status = 0;
  va_list ap;
  const char *arg;

  g_ptr_array_add (args, (char *) bin);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return -1;
}
