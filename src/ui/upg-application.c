/* upg-application.c — the GtkApplication. */
#include "config.h"

#include <glib/gi18n.h>

#include "upg-application.h"
#include "core/upg-store.h"

struct _UpgApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (UpgApplication, upg_application, ADW_TYPE_APPLICATION)

static void
upg_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
      gtk_window_set_title (window, _("Upgrade Planner"));
    }
  gtk_window_present (window);
}

static void
upg_application_class_init (UpgApplicationClass *klass)
{
  G_APPLICATION_CLASS (klass)->activate = upg_application_activate;
}

static void
upg_application_init (UpgApplication *self)
{
}

UpgApplication *
upg_application_new (void)
{
  return g_object_new (UPG_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
