/* test-settings.c — the program never aborts for want of its GSettings
 * schema: it uses the copy it carries, in memory, and says so once. */
#include "config.h"

#include <gio/gio.h>

#include "upg-test-util.h"
#include "ui/upg-settings.h"

static void
use_settings (void)
{
  g_autoptr(GSettings) settings = upg_settings_new ();
  g_autoptr(GSettings) again = upg_settings_new ();
  g_autofree char *value = NULL;

  g_settings_set_string (settings, "last-file", "/tmp/x.upgplan");
  value = g_settings_get_string (again, "last-file");
  g_assert_cmpstr (value, ==, "/tmp/x.upgplan");
}

static void
test_schema_missing (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *empty = upg_test_tmpdir ();
      g_setenv ("GSETTINGS_SCHEMA_DIR", empty, TRUE);
      use_settings ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("upgrade-planner: the settings schema io.github.upgrade_planner.UpgradePlanner is not installed, "
                             "so settings last only until the app quits; install the app (meson install), or run "
                             "glib-compile-schemas on the folder with its .gschema.xml and set GSETTINGS_SCHEMA_DIR to that folder\n");
}

static void
test_schema_installed (void)
{
  if (g_test_subprocess ())
    {
      use_settings ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/settings/schema-missing", test_schema_missing);
  g_test_add_func ("/settings/schema-installed", test_schema_installed);

  return g_test_run ();
}
