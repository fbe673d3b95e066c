/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-project-row.c — a project in the sidebar: name, versions, status pill.
 *
 * The child of a GtkListView item. GTK 4.8 gives list items no name of
 * their own, so the row names the list item it sits in, as a screen reader
 * should read it: "Billing 4.2, Preparing, 4.1.7 → 4.2.0".
 */
#define G_LOG_DOMAIN "upg-project-row"

#include "config.h"

#include "upg-a11y.h"
#include "upg-project-row.h"
#include "core/upg-escape.h"
#include "core/upg-fields.h"
#include "core/upg-labels.h"

struct _UpgProjectRow
{
  GtkWidget   parent_instance;

  UpgProject *project;
  const char *status_class;   /* the pill's colour class now */

  GtkWidget  *box;
  GtkLabel   *name_label;
  GtkLabel   *status_pill;
  GtkLabel   *versions_label;
};

G_DEFINE_FINAL_TYPE (UpgProjectRow, upg_project_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
status_class (const char *status)
{
  if (g_strcmp0 (status, "gray_release") == 0)
    return "status-warning";
  if (g_strcmp0 (status, "live") == 0 || g_strcmp0 (status, "done") == 0)
    return "status-success";
  if (g_strcmp0 (status, "rolled_back") == 0)
    return "status-error";
  if (g_strcmp0 (status, "preparing") == 0 || g_strcmp0 (status, "validating") == 0)
    return "status-accent";
  return "status-neutral";
}

/* The list item around the row (a GtkListItemWidget), once the row is in one. */
static void
name_list_item (UpgProjectRow *self,
                const char    *spoken)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (parent != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

static void
update (UpgProjectRow *self)
{
  const char *name, *from, *to, *status;
  g_autofree char *versions = NULL;
  g_autofree char *spoken = NULL;

  if (self->project == NULL)
    return;
  name = upg_project_get_name (self->project);
  from = upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_VERSION_FROM);
  to = upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_VERSION_TO);
  status = upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_STATUS);

  {
    /* Bidirectional controls in a name stay inside it (issue 17). */
    g_autofree char *isolated = upg_text_isolate_bidi (name);
    gtk_label_set_text (self->name_label, isolated);
  }
  if ((from && *from) || (to && *to))
    versions = g_strdup_printf ("%s → %s", from && *from ? from : "?", to && *to ? to : "?");
  gtk_label_set_text (self->versions_label, versions ? versions : "");
  gtk_widget_set_visible (GTK_WIDGET (self->versions_label), versions != NULL);
  gtk_label_set_text (self->status_pill, upg_enum_label (upg_project_statuses, status));
  if (self->status_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_pill), self->status_class);
  self->status_class = status_class (status);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_pill), self->status_class);

  spoken = g_strdup_printf ("%s, %s%s%s", name, upg_enum_label (upg_project_statuses, status),
                            versions ? ", " : "", versions ? versions : "");
  name_list_item (self, spoken);
}

static void
project_notify_cb (UpgProject    *project,
                   GParamSpec    *pspec,
                   UpgProjectRow *self)
{
  if (g_str_equal (pspec->name, "updated-at"))
    return;
  update (self);
}

UpgProject *
upg_project_row_get_project (UpgProjectRow *self)
{
  g_return_val_if_fail (UPG_IS_PROJECT_ROW (self), NULL);
  return self->project;
}

void
upg_project_row_set_project (UpgProjectRow *self,
                             UpgProject    *project)
{
  g_return_if_fail (UPG_IS_PROJECT_ROW (self));
  g_return_if_fail (project == NULL || UPG_IS_PROJECT (project));

  if (self->project == project)
    return;
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, project_notify_cb, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    g_signal_connect_object (project, "notify", G_CALLBACK (project_notify_cb), self, 0);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

/* Named when put into its list item (the item exists only then). */
static void
upg_project_row_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (upg_project_row_parent_class)->root (widget);
  update (UPG_PROJECT_ROW (widget));
}

static void
upg_project_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  UpgProjectRow *self = UPG_PROJECT_ROW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
upg_project_row_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  UpgProjectRow *self = UPG_PROJECT_ROW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      upg_project_row_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
upg_project_row_dispose (GObject *object)
{
  UpgProjectRow *self = UPG_PROJECT_ROW (object);

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, project_notify_cb, self);
  g_clear_object (&self->project);
  gtk_widget_dispose_template (GTK_WIDGET (self), UPG_TYPE_PROJECT_ROW);
  G_OBJECT_CLASS (upg_project_row_parent_class)->dispose (object);
}

static void
upg_project_row_class_init (UpgProjectRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_project_row_dispose;
  object_class->get_property = upg_project_row_get_property;
  object_class->set_property = upg_project_row_set_property;
  widget_class->root = upg_project_row_root;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, UPG_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-project-row.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgProjectRow, box);
  gtk_widget_class_bind_template_child (widget_class, UpgProjectRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, UpgProjectRow, status_pill);
  gtk_widget_class_bind_template_child (widget_class, UpgProjectRow, versions_label);
}

static void
upg_project_row_init (UpgProjectRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
}

GtkWidget *
upg_project_row_new (void)
{
  return g_object_new (UPG_TYPE_PROJECT_ROW, NULL);
}
