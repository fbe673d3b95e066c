/* upg-checklist-page.c — the project's Checklist section. */
#include "config.h"

#include <glib/gi18n.h>

#include "upg-checklist-page.h"

struct _UpgChecklistPage
{
  AdwBin      parent_instance;

  UpgStore   *store;
  UpgProject *project;
};

G_DEFINE_FINAL_TYPE (UpgChecklistPage, upg_checklist_page, ADW_TYPE_BIN)

static void
upg_checklist_page_dispose (GObject *object)
{
  UpgChecklistPage *self = UPG_CHECKLIST_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (upg_checklist_page_parent_class)->dispose (object);
}

static void
upg_checklist_page_class_init (UpgChecklistPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_checklist_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-checklist-page.ui");
}

static void
upg_checklist_page_init (UpgChecklistPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
upg_checklist_page_new (void)
{
  return g_object_new (UPG_TYPE_CHECKLIST_PAGE, NULL);
}

void
upg_checklist_page_set_project (UpgChecklistPage *self,
                          UpgStore   *store,
                          UpgProject *project)
{
  g_return_if_fail (UPG_IS_CHECKLIST_PAGE (self));

  g_set_object (&self->store, store);
  g_set_object (&self->project, project);
}
