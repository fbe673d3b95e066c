/* upg-risk-page.c — the project's Risks section. */
#include "config.h"

#include <glib/gi18n.h>

#include "upg-risk-page.h"

struct _UpgRiskPage
{
  AdwBin      parent_instance;

  UpgStore   *store;
  UpgProject *project;
};

G_DEFINE_FINAL_TYPE (UpgRiskPage, upg_risk_page, ADW_TYPE_BIN)

static void
upg_risk_page_dispose (GObject *object)
{
  UpgRiskPage *self = UPG_RISK_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (upg_risk_page_parent_class)->dispose (object);
}

static void
upg_risk_page_class_init (UpgRiskPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_risk_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-risk-page.ui");
}

static void
upg_risk_page_init (UpgRiskPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
upg_risk_page_new (void)
{
  return g_object_new (UPG_TYPE_RISK_PAGE, NULL);
}

void
upg_risk_page_set_project (UpgRiskPage *self,
                          UpgStore   *store,
                          UpgProject *project)
{
  g_return_if_fail (UPG_IS_RISK_PAGE (self));

  g_set_object (&self->store, store);
  g_set_object (&self->project, project);
}
