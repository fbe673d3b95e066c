/* main.c — the command line or the window. */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "cli/upg-cli.h"
#include "core/upg-clock.h"
#include "ui/upg-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(UpgApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (upg_cli_handles (argc, argv))
    return upg_cli_run (argc, argv);

  {
    g_autoptr(GError) error = NULL;

    if (!upg_clock_check_env (&error))
      {
        g_printerr ("upgrade-planner: %s\n", error->message);
        return 1;
      }
  }
  app = upg_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
