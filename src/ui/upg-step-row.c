/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-step-row.c — one SOP step of the checklist.
 *
 * The row shows its step and follows its changes. What the user asks of it
 * goes to the page as signals: ::check-toggled (check or uncheck: the page
 * asks who is checking and writes it; the box follows the file),
 * ::show-history and ::step-action ("uncheck", "skip", "edit", "move-up",
 * "move-down", "delete"; Alt+↑/↓ and Delete too). Uncheck… is offered for a
 * checked step, Skip… for one that is not checked.
 */
#define G_LOG_DOMAIN "upg-step-row"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-step-row.h"
#include "core/upg-escape.h"
#include "core/upg-fields.h"
#include "core/upg-labels.h"
#include "core/upg-sop.h"
#include "core/upg-zone.h"

struct _UpgStepRow
{
  AdwActionRow    parent_instance;

  UpgRecord      *step;
  UpgProject     *project;          /* its project, for the zone of its times */
  gboolean        syncing;

  GtkCheckButton *check;
  GtkSpinner     *spinner;
  gboolean        busy;
  GtkWidget      *history_button;
  GtkWidget      *menu_button;
};

G_DEFINE_FINAL_TYPE (UpgStepRow, upg_step_row, ADW_TYPE_ACTION_ROW)

enum {
  CHECK_TOGGLED,
  SHOW_HISTORY,
  STEP_ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
step_subtitle (UpgRecord  *step,
               const char *zone)
{
  GString *out = g_string_new (NULL);
  const char *details = upg_record_get_string (step, UPG_SOP_STEP_DETAILS);
  const char *note = upg_record_get_string (step, UPG_SOP_STEP_NOTE);
  const char *role = upg_record_get_string (step, UPG_SOP_STEP_OWNER_ROLE);

  if (details && *details)
    g_string_append_printf (out, "%s\n", details);
  if (role && *role)
    g_string_append_printf (out, _("Owner: %s"), upg_enum_label (upg_roles, role));
  else
    g_string_append (out, _("No owner"));
  g_string_append (out, " · ");
  g_string_append (out, upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED) ? _("Required") : _("Optional"));
  if (upg_sop_step_is_done (step))
    {
      g_autofree char *when = upg_zone_format_for_user (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT), zone);
      const char *by = upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY);
      g_string_append (out, "\n");
      g_string_append_printf (out, _("Checked by %s at %s"), by ? by : "?", when);
    }
  if (note && *note)
    g_string_append_printf (out, "\n%s %s", _("Note:"), note);
  return g_string_free (out, FALSE);
}

void
upg_step_row_sync (UpgStepRow *self)
{
  const char *title;
  g_autofree char *subtitle = NULL;
  g_autofree char *label = NULL;
  g_autofree char *history = NULL;
  g_autofree char *actions = NULL;
  gboolean done;

  g_return_if_fail (UPG_IS_STEP_ROW (self));

  title = upg_record_get_string (self->step, UPG_SOP_STEP_TITLE);
  subtitle = step_subtitle (self->step, self->project ? upg_record_get_string (UPG_RECORD (self->project),
                                                                               UPG_PROJECT_TIME_ZONE) : NULL);
  done = upg_sop_step_is_done (self->step);
  {
    /* Bidirectional controls in a title stay inside it (issue 17). */
    g_autofree char *isolated = upg_text_isolate_bidi (title);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), isolated);
  }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  self->syncing = TRUE;
  gtk_check_button_set_active (self->check, done);
  self->syncing = FALSE;
  /* Translators: the accessible name of a step's check box */
  label = g_strdup_printf (_("Done: %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  history = g_strdup_printf (_("History of “%s”"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->history_button), GTK_ACCESSIBLE_PROPERTY_LABEL, history, -1);
  actions = g_strdup_printf (_("Actions for “%s”"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL, actions, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "step.uncheck", done && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "step.skip", !done && !self->busy);
  if (done)
    gtk_widget_add_css_class (GTK_WIDGET (self), "upg-step-done");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "upg-step-done");
}

void
upg_step_row_set_busy (UpgStepRow *self,
                       gboolean    busy)
{
  g_return_if_fail (UPG_IS_STEP_ROW (self));

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->check), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
  upg_step_row_sync (self);
}

gboolean
upg_step_row_get_busy (UpgStepRow *self)
{
  g_return_val_if_fail (UPG_IS_STEP_ROW (self), FALSE);
  return self->busy;
}

static void
step_notify_cb (UpgRecord  *step,
                GParamSpec *pspec,
                UpgStepRow *self)
{
  upg_step_row_sync (self);
}

static void
check_toggled_cb (UpgStepRow *self)
{
  gboolean want;

  if (self->syncing)
    return;
  want = gtk_check_button_get_active (self->check);
  /* The box shows the file's state; it changes when the page's operation
   * succeeds. */
  self->syncing = TRUE;
  gtk_check_button_set_active (self->check, !want);
  self->syncing = FALSE;
  g_signal_emit (self, signals[CHECK_TOGGLED], 0, want);
}

static void
history_clicked_cb (UpgStepRow *self)
{
  g_signal_emit (self, signals[SHOW_HISTORY], 0);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[STEP_ACTION], 0, action_name + strlen ("step."));
}

UpgRecord *
upg_step_row_get_step (UpgStepRow *self)
{
  g_return_val_if_fail (UPG_IS_STEP_ROW (self), NULL);
  return self->step;
}

GtkWidget *
upg_step_row_get_history_button (UpgStepRow *self)
{
  g_return_val_if_fail (UPG_IS_STEP_ROW (self), NULL);
  return self->history_button;
}

GtkCheckButton *
upg_step_row_get_check (UpgStepRow *self)
{
  g_return_val_if_fail (UPG_IS_STEP_ROW (self), NULL);
  return self->check;
}

static void
upg_step_row_dispose (GObject *object)
{
  UpgStepRow *self = UPG_STEP_ROW (object);

  if (self->step != NULL)
    g_signal_handlers_disconnect_by_func (self->step, step_notify_cb, self);
  g_clear_object (&self->step);
  g_clear_object (&self->project);
  gtk_widget_dispose_template (GTK_WIDGET (self), UPG_TYPE_STEP_ROW);
  G_OBJECT_CLASS (upg_step_row_parent_class)->dispose (object);
}

static void
upg_step_row_class_init (UpgStepRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const actions[] = {
    "step.uncheck", "step.skip", "step.edit", "step.move-up", "step.move-down", "step.delete"
  };

  object_class->dispose = upg_step_row_dispose;

  /**
   * UpgStepRow::check-toggled:
   * @checked: whether the user asks to check (TRUE) or uncheck the step
   */
  signals[CHECK_TOGGLED] =
    g_signal_new ("check-toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SHOW_HISTORY] =
    g_signal_new ("show-history", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * UpgStepRow::step-action:
   * @action: "uncheck", "skip", "edit", "move-up", "move-down" or "delete"
   */
  signals[STEP_ACTION] =
    g_signal_new ("step-action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-step-row.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgStepRow, check);
  gtk_widget_class_bind_template_child (widget_class, UpgStepRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, UpgStepRow, history_button);
  gtk_widget_class_bind_template_child (widget_class, UpgStepRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, check_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_clicked_cb);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, step_action);
  /* Keyboard: Alt+↑/↓ move the focused step (across phases at the ends). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "step.move-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "step.move-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "step.delete", NULL);
}

static void
upg_step_row_init (UpgStepRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->check));
  /* Its own name ("Done: …") only: GTK 4.8 reads a name and the row title
   * that labels it one after the other ("Done: X X"). */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

GtkWidget *
upg_step_row_new (UpgRecord  *step,
                  UpgProject *project)
{
  UpgStepRow *self;

  g_return_val_if_fail (UPG_IS_RECORD (step), NULL);

  self = g_object_new (UPG_TYPE_STEP_ROW, NULL);
  self->step = g_object_ref (step);
  self->project = project ? g_object_ref (project) : NULL;
  g_signal_connect_object (step, "notify", G_CALLBACK (step_notify_cb), self, 0);
  /* Times are shown in the project's zone. */
  if (project != NULL)
    g_signal_connect_object (project, "notify::time-zone", G_CALLBACK (upg_step_row_sync), self, G_CONNECT_SWAPPED);
  upg_step_row_sync (self);
  return GTK_WIDGET (self);
}
