/* upg-test-util.c — helpers shared by the test programs. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "upg-test-util.h"
#include "core/upg-pdf.h"

static char *root;
gboolean upg_test_release_caches_at_exit = TRUE;

#ifdef __SANITIZE_ADDRESS__
/* LeakSanitizer runs after this: pango's, fontconfig's and cairo's caches
 * go back first, so whatever it reports is a leak (tests/lsan.supp names
 * the few left). Widget tests keep them: GTK still holds the font map. */
static void
release_caches (void)
{
  if (upg_test_release_caches_at_exit)
    upg_pdf_release_caches ();
}
#endif

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
#ifdef __SANITIZE_ADDRESS__
  atexit (release_caches);
#endif
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

/* upg_test_run_cli() with the arguments in a NULL-terminated array. */
static int
upg_test_run_cliv (char               **out,
                   char               **err,
                   const char * const  *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (args, (char *) UPG_BIN);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);

  /* A test may run several commands into the same two strings. */
  if (out != NULL)
    g_clear_pointer (out, g_free);
  if (err != NULL)
    g_clear_pointer (err, g_free);
  g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return -1;
}

int
upg_test_run_cli (char **out,
                  char **err,
                  ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return upg_test_run_cliv (out, err, (const char * const *) args->pdata);
}

static void
write_proc_file (const char *path,
                 const char *contents)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gssize len = strlen (contents);

  if (fd < 0 || write (fd, contents, len) != len)
    g_error ("Could not write “%s” to %s: %s", contents, path, g_strerror (errno));
  close (fd);
}

static void
enter_namespace (UpgTestNamespace kind)
{
  uid_t uid = geteuid ();
  gid_t gid = getegid ();
  int flags = CLONE_NEWUSER | (kind == UPG_TEST_NS_MOUNTS ? CLONE_NEWNS : 0);

  if (unshare (flags) != 0)
    g_error ("This test needs a user namespace (unshare: %s); "
             "enable them with sysctl kernel.unprivileged_userns_clone=1", g_strerror (errno));
  if (kind == UPG_TEST_NS_UNMAPPED)
    {
      /* Nothing mapped: every file's owner is unknown here, so no
       * capability overrides its permissions. */
      g_assert_cmpint (access ("/proc/self/status", R_OK), ==, 0);
      return;
    }
  {
    g_autofree char *uid_map = g_strdup_printf ("0 %u 1\n", (guint) uid);
    g_autofree char *gid_map = g_strdup_printf ("0 %u 1\n", (guint) gid);

    write_proc_file ("/proc/self/setgroups", "deny");
    write_proc_file ("/proc/self/uid_map", uid_map);
    write_proc_file ("/proc/self/gid_map", gid_map);
  }
  /* What is mounted here stays here. */
  if (mount ("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    g_error ("Could not make the test's mounts private: %s", g_strerror (errno));
}

gboolean
upg_test_in_namespace (UpgTestNamespace kind)
{
  if (g_test_subprocess ())
    {
      enter_namespace (kind);
      return TRUE;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return FALSE;
}

void
upg_test_mount_tmpfs (const char *dir,
                      const char *size)
{
  g_autofree char *options = g_strdup_printf ("size=%s", size);

  if (mount ("tmpfs", dir, "tmpfs", 0, options) != 0)
    g_error ("Could not mount a tmpfs on %s: %s", dir, g_strerror (errno));
}

void
upg_test_remount_read_only (const char *dir)
{
  if (mount (NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL) != 0)
    g_error ("Could not make %s read-only: %s", dir, g_strerror (errno));
}

void
upg_test_unmount (const char *dir)
{
  if (umount (dir) != 0)
    g_error ("Could not unmount %s: %s", dir, g_strerror (errno));
}

void
upg_test_assert_usage_error_full (const char *message,
                                  ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL, *expected = NULL;
  va_list ap;
  const char *arg;
  int status;

  va_start (ap, message);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  status = upg_test_run_cliv (&out, &err, (const char * const *) args->pdata);
  expected = g_strdup_printf ("upgrade-planner: %s\n"
                              "Try “upgrade-planner --help” for more information.\n", message);
  g_assert_cmpstr (err, ==, expected);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (status, ==, 2);
}
