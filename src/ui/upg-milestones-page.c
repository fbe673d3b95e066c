/* upg-milestones-page.c — the project's Milestones section: list and timeline. */
#include "config.h"

#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-milestones-page.h"
#include "upg-field-rows.h"
#include "upg-timeline.h"
#include "core/upg-status.h"
#include "core/upg-checks.h"
#include "core/upg-labels.h"

struct _UpgMilestonesPage
{
  AdwBin       parent_instance;

  UpgStore    *store;
  UpgProject  *project;

  UpgTimeline *timeline;
  GtkLabel    *order_warning;
  GtkListBox  *list;
  GtkWidget   *add_button;
};

G_DEFINE_FINAL_TYPE (UpgMilestonesPage, upg_milestones_page, ADW_TYPE_BIN)

static char *
describe_milestone (UpgRecord *milestone)
{
  /* TRANSLATORS: a toast; %s is a milestone's title */
  return g_strdup_printf (_("Milestone “%s” deleted"), upg_record_get_string (milestone, UPG_MILESTONE_TITLE));
}

static void
update_row (UpgRecord  *milestone,
            GParamSpec *pspec,
            GtkWidget  *row)
{
  UpgMilestoneState state = upg_milestone_state (milestone, NULL);
  const char *kind = upg_record_get_string (milestone, UPG_MILESTONE_KIND);
  const char *due = upg_record_get_string (milestone, UPG_MILESTONE_DUE);
  const char *done = upg_record_get_string (milestone, UPG_MILESTONE_DONE);
  int percent = upg_record_get_int (milestone, UPG_MILESTONE_ROLLOUT_PERCENT);
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "upg-state-icon");
  GtkWidget *percent_row = g_object_get_data (G_OBJECT (row), "upg-percent-row");
  g_autoptr(GString) subtitle = g_string_new (upg_enum_label (upg_milestone_kinds, kind));
  const char *title = upg_record_get_string (milestone, UPG_MILESTONE_TITLE);
  const char *icon_name, *state_label;

  if (g_strcmp0 (kind, "gray_release") == 0 && percent != UPG_INT_NULL)
    g_string_append_printf (subtitle, " %d %%", percent);
  /* A kind the title already says ("Development complete") is not said
   * again under it. */
  if (title != NULL)
    {
      g_autofree char *kind_key = g_utf8_casefold (subtitle->str, -1);
      g_autofree char *title_key = g_utf8_casefold (title, -1);

      if (g_strcmp0 (g_strstrip (kind_key), g_strstrip (title_key)) == 0)
        g_string_truncate (subtitle, 0);
    }
  switch (state)
    {
    case UPG_MILESTONE_STATE_DONE:
      icon_name = "object-select-symbolic";
      /* TRANSLATORS: %s is a date */
      g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", done);
      state_label = _("Done");
      break;
    case UPG_MILESTONE_STATE_OVERDUE:
      icon_name = "dialog-warning-symbolic";
      g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", due);
      state_label = _("Overdue");
      break;
    case UPG_MILESTONE_STATE_DUE_TODAY:
      icon_name = "alarm-symbolic";
      state_label = _("Due today");
      break;
    case UPG_MILESTONE_STATE_UNSCHEDULED:
      icon_name = "content-loading-symbolic";
      state_label = _("No due date");
      break;
    case UPG_MILESTONE_STATE_PLANNED:
    default:
      icon_name = "x-office-calendar-symbolic";
      g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", due);
      state_label = _("Planned");
      break;
    }
  g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", state_label);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, state_label, -1);
  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");
  gtk_widget_remove_css_class (icon, "dim-label");
  gtk_widget_add_css_class (icon, state == UPG_MILESTONE_STATE_DONE ? "success"
                                  : state == UPG_MILESTONE_STATE_OVERDUE ? "error" : "dim-label");
  if (percent_row != NULL)
    gtk_widget_set_visible (percent_row, g_strcmp0 (kind, "gray_release") == 0);
}

static void milestone_due_cb (UpgRecord *milestone, GParamSpec *pspec, UpgMilestonesPage *self);
static void populate_row (GtkWidget *row, gpointer user_data);

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  UpgMilestonesPage *self = user_data;
  UpgRecord *milestone = item;
  GtkWidget *row = upg_record_expander_new (milestone);
  GtkWidget *icon = gtk_image_new ();

  g_object_bind_property (milestone, "title", row, "title", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (milestone, "notify::due", G_CALLBACK (milestone_due_cb), self, 0);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "upg-state-icon", icon);

  upg_record_expander_set_populate (row, populate_row, self);
  update_row (milestone, NULL, row);
  g_signal_connect_object (milestone, "notify", G_CALLBACK (update_row), row, 0);
  return row;
}

static void
populate_row (GtkWidget *row,
              gpointer   user_data)
{
  UpgMilestonesPage *self = user_data;
  UpgRecord *milestone = g_object_get_data (G_OBJECT (row), "upg-record");
  GtkWidget *percent;

  {
    GtkWidget *title = upg_entry_row_new (milestone, UPG_MILESTONE_TITLE, _("Title"));
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), title);
    g_object_set_data (G_OBJECT (row), "upg-title-row", title);
  }
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_combo_row_new (milestone, UPG_MILESTONE_KIND, _("Kind")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_entry_row_new (milestone, UPG_MILESTONE_DUE, _("Due Date")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_entry_row_new (milestone, UPG_MILESTONE_DONE, _("Done Date")));
  percent = upg_spin_row_new (milestone, UPG_MILESTONE_ROLLOUT_PERCENT, _("Rollout Percent"),
                              _("The share of users who get the new version at this stage"), 1, 100);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), percent);
  g_object_set_data (G_OBJECT (row), "upg-percent-row", percent);
  upg_record_expander_add_actions (row, self->store, describe_milestone);
  update_row (milestone, NULL, row);
}

/* The expander row's revealer (its fields), or NULL. */
static GtkWidget *
find_revealer (GtkWidget *widget)
{
  if (GTK_IS_REVEALER (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_revealer (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A new milestone's title, once its row has its place (a frame after it
 * was added): focused with its text selected, so typing names it. The row
 * then grows frame by frame while its expander's revealer slides its
 * fields open, so the whole row is kept in view on every frame until the
 * revealer has finished and the row's height held for a frame. */
static gboolean
focus_new_row_cb (GtkWidget     *row,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  GtkWidget *title = g_object_get_data (G_OBJECT (row), "upg-title-row");
  GtkWidget *viewport = gtk_widget_get_ancestor (row, GTK_TYPE_VIEWPORT);
  GtkWidget *revealer;
  int *last_height = data;
  int height = gtk_widget_get_height (row);
  graphene_rect_t bounds;

  if (height <= 0 || title == NULL || gtk_widget_get_height (title) <= 0)
    return G_SOURCE_CONTINUE;
  if (*last_height < 0)
    {
      gtk_widget_grab_focus (title);
      gtk_editable_select_region (GTK_EDITABLE (title), 0, -1);
    }
  /* The whole row, not only its title, in view. */
  if (viewport != NULL && gtk_widget_compute_bounds (row, viewport, &bounds))
    {
      GtkAdjustment *v = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (viewport));
      double top = gtk_adjustment_get_value (v) + bounds.origin.y;
      double page = gtk_adjustment_get_page_size (v);

      if (top + bounds.size.height > gtk_adjustment_get_value (v) + page || top < gtk_adjustment_get_value (v))
        gtk_adjustment_set_value (v, MIN (top, top + bounds.size.height - page));
    }
  revealer = find_revealer (row);
  if ((revealer == NULL || gtk_revealer_get_child_revealed (GTK_REVEALER (revealer))) && height == *last_height)
    return G_SOURCE_REMOVE;
  *last_height = height;
  return G_SOURCE_CONTINUE;
}

static void
add_cb (UpgMilestonesPage *self)
{
  g_autoptr(UpgRecord) milestone = upg_record_new (&upg_entity_milestone);
  g_autoptr(GError) error = NULL;
  GListModel *list;
  GtkListBoxRow *row;

  if (self->project == NULL)
    return;
  upg_record_set_string (milestone, UPG_MILESTONE_TITLE, _("New milestone"));
  if (!upg_store_insert (self->store, UPG_RECORD (self->project), milestone, -1, &error))
    {
      upg_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  list = upg_record_get_children (UPG_RECORD (self->project), &upg_entity_milestone);
  row = gtk_list_box_get_row_at_index (self->list, g_list_model_get_n_items (list) - 1);
  if (row != NULL)
    {
      upg_record_expander_ensure (GTK_WIDGET (row));
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (row));
      {
        int *last_height = g_new (int, 1);

        *last_height = -1;
        gtk_widget_add_tick_callback (GTK_WIDGET (row), focus_new_row_cb, last_height, g_free);
      }
    }
}

/* A marker on the timeline opens its milestone's row. */
static void
milestone_activated_cb (UpgMilestonesPage *self,
                        UpgRecord         *milestone)
{
  GListModel *list = self->project ? upg_record_get_children (UPG_RECORD (self->project), &upg_entity_milestone) : NULL;
  guint n = list ? g_list_model_get_n_items (list) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (list, i);
      GtkListBoxRow *row;

      if (item != milestone)
        continue;
      row = gtk_list_box_get_row_at_index (self->list, i);
      if (row != NULL)
        {
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (row));
        }
      return;
    }
}

static void
update_order_warning (UpgMilestonesPage *self)
{
  GListModel *list = self->project ? upg_record_get_children (UPG_RECORD (self->project), &upg_entity_milestone) : NULL;
  g_autofree char *warning = list ? upg_status_milestone_order_warning (list) : NULL;

  gtk_label_set_text (self->order_warning, warning ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->order_warning), warning != NULL);
}

static void
milestones_changed_cb (UpgMilestonesPage *self)
{
  update_order_warning (self);
}

static void
milestone_due_cb (UpgRecord         *milestone,
                  GParamSpec        *pspec,
                  UpgMilestonesPage *self)
{
  update_order_warning (self);
}

void
upg_milestones_page_set_project (UpgMilestonesPage *self,
                                 UpgStore          *store,
                                 UpgProject        *project)
{
  g_return_if_fail (UPG_IS_MILESTONES_PAGE (self));

  gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  if (self->project != NULL)
    {
      GListModel *old = upg_record_get_children (UPG_RECORD (self->project), &upg_entity_milestone);
      if (old != NULL)
        g_signal_handlers_disconnect_by_data (old, self);
    }
  g_set_object (&self->store, store);
  g_set_object (&self->project, project);
  upg_timeline_set_project (self->timeline, project);
  if (project != NULL)
    {
      GListModel *list = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
      if (list != NULL)
        g_signal_connect_swapped (list, "items-changed", G_CALLBACK (milestones_changed_cb), self);
    }
  update_order_warning (self);
  if (project != NULL)
    gtk_list_box_bind_model (self->list,
                             upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone),
                             create_row, self, NULL);
  gtk_widget_set_sensitive (self->add_button, project != NULL);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  UpgMilestonesPage *self = UPG_MILESTONES_PAGE (widget);
  double zoom = upg_timeline_get_zoom (self->timeline);

  upg_timeline_set_zoom (self->timeline, g_str_equal (action_name, "milestones.zoom-in") ? zoom * 1.5 : zoom / 1.5);
}

static void
upg_milestones_page_dispose (GObject *object)
{
  UpgMilestonesPage *self = UPG_MILESTONES_PAGE (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  if (self->project != NULL)
    {
      GListModel *old = upg_record_get_children (UPG_RECORD (self->project), &upg_entity_milestone);
      if (old != NULL)
        g_signal_handlers_disconnect_by_data (old, self);
    }
  g_clear_object (&self->store);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (upg_milestones_page_parent_class)->dispose (object);
}

static void
upg_milestones_page_class_init (UpgMilestonesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_milestones_page_dispose;

  g_type_ensure (UPG_TYPE_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-milestones-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgMilestonesPage, timeline);
  gtk_widget_class_bind_template_child (widget_class, UpgMilestonesPage, list);
  gtk_widget_class_bind_template_child (widget_class, UpgMilestonesPage, order_warning);
  gtk_widget_class_bind_template_callback (widget_class, milestone_activated_cb);
  gtk_widget_class_bind_template_child (widget_class, UpgMilestonesPage, add_button);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
  gtk_widget_class_install_action (widget_class, "milestones.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "milestones.zoom-out", NULL, zoom_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "milestones.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "milestones.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "milestones.zoom-out", NULL);
}

static void
upg_milestones_page_init (UpgMilestonesPage *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
  placeholder = gtk_label_new (_("No milestones yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->list, placeholder);
  upg_record_list_add_shortcuts (self->list);
}

GtkWidget *
upg_milestones_page_new (void)
{
  return g_object_new (UPG_TYPE_MILESTONES_PAGE, NULL);
}
