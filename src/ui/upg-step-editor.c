/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-step-editor.c — the dialog that adds or edits a checklist step.
 *
 * It holds the values until Save (or Add); the page writes them in one
 * transaction when ::save is emitted, and closes the dialog when that
 * worked. Escape and Cancel close it without writing.
 */
#define G_LOG_DOMAIN "upg-step-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-step-editor.h"
#include "upg-field-rows.h"
#include "core/upg-fields.h"
#include "core/upg-labels.h"

struct _UpgStepEditor
{
  AdwWindow    parent_instance;

  UpgRecord   *step;          /* NULL for a new one */

  GtkWidget   *save_button;
  AdwEntryRow *title_row;
  AdwComboRow *phase_row;
  AdwComboRow *role_row;
  GtkSwitch   *required_switch;
  AdwEntryRow *note_row;
  GtkTextView *details_view;
};

G_DEFINE_FINAL_TYPE (UpgStepEditor, upg_step_editor, ADW_TYPE_WINDOW)

enum {
  SAVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
fill_enum_row (AdwComboRow        *row,
               const char * const *values,
               const char         *none,
               const char         *current)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint offset = none ? 1 : 0;
  int index = current ? upg_enum_index (values, current) : -1;

  if (none)
    gtk_string_list_append (labels, none);
  for (guint i = 0; values[i]; i++)
    gtk_string_list_append (labels, upg_enum_label (values, values[i]));
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  upg_combo_row_name_items (row);
  adw_combo_row_set_selected (row, index >= 0 ? (guint) index + offset : 0);
}

static void
title_changed_cb (UpgStepEditor *self)
{
  g_autofree char *title = upg_step_editor_get_title (self);
  gtk_widget_set_sensitive (self->save_button, title[0] != '\0');
}

static void
save_clicked_cb (UpgStepEditor *self)
{
  g_autofree char *title = upg_step_editor_get_title (self);

  if (title[0] != '\0')
    g_signal_emit (self, signals[SAVE], 0);
}

UpgRecord *
upg_step_editor_get_step (UpgStepEditor *self)
{
  g_return_val_if_fail (UPG_IS_STEP_EDITOR (self), NULL);
  return self->step;
}

char *
upg_step_editor_get_title (UpgStepEditor *self)
{
  g_return_val_if_fail (UPG_IS_STEP_EDITOR (self), NULL);
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
}

const char *
upg_step_editor_get_phase (UpgStepEditor *self)
{
  g_return_val_if_fail (UPG_IS_STEP_EDITOR (self), NULL);
  return upg_phases[adw_combo_row_get_selected (self->phase_row)];
}

const char *
upg_step_editor_get_role (UpgStepEditor *self)
{
  guint index;

  g_return_val_if_fail (UPG_IS_STEP_EDITOR (self), NULL);
  index = adw_combo_row_get_selected (self->role_row);
  return index == 0 ? NULL : upg_roles[index - 1];
}

gboolean
upg_step_editor_get_required (UpgStepEditor *self)
{
  g_return_val_if_fail (UPG_IS_STEP_EDITOR (self), FALSE);
  return gtk_switch_get_active (self->required_switch);
}

const char *
upg_step_editor_get_note (UpgStepEditor *self)
{
  g_return_val_if_fail (UPG_IS_STEP_EDITOR (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->note_row));
}

char *
upg_step_editor_get_details (UpgStepEditor *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (UPG_IS_STEP_EDITOR (self), NULL);
  buffer = gtk_text_view_get_buffer (self->details_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
upg_step_editor_dispose (GObject *object)
{
  UpgStepEditor *self = UPG_STEP_EDITOR (object);

  g_clear_object (&self->step);
  G_OBJECT_CLASS (upg_step_editor_parent_class)->dispose (object);
}

static void
upg_step_editor_class_init (UpgStepEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_step_editor_dispose;

  /* The user asks to save: the caller writes and closes the dialog. */
  signals[SAVE] =
    g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-step-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgStepEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, UpgStepEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, UpgStepEditor, phase_row);
  gtk_widget_class_bind_template_child (widget_class, UpgStepEditor, role_row);
  gtk_widget_class_bind_template_child (widget_class, UpgStepEditor, required_switch);
  gtk_widget_class_bind_template_child (widget_class, UpgStepEditor, note_row);
  gtk_widget_class_bind_template_child (widget_class, UpgStepEditor, details_view);
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  /* Escape closes the editor, as every dialog. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
upg_step_editor_init (UpgStepEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_editable_limit (GTK_EDITABLE (self->title_row), upg_field_limit (&upg_entity_sop_step, UPG_SOP_STEP_TITLE));
  upg_editable_limit (GTK_EDITABLE (self->note_row), upg_field_limit (&upg_entity_sop_step, UPG_SOP_STEP_NOTE));
  upg_text_view_limit (self->details_view, upg_field_limit (&upg_entity_sop_step, UPG_SOP_STEP_DETAILS));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
}

UpgStepEditor *
upg_step_editor_new (GtkWindow  *parent,
                     UpgRecord  *step,
                     const char *phase)
{
  UpgStepEditor *self = g_object_new (UPG_TYPE_STEP_EDITOR, "transient-for", parent, NULL);

  self->step = step ? g_object_ref (step) : NULL;
  gtk_window_set_title (GTK_WINDOW (self), step ? _("Edit Step") : _("New Step"));
  gtk_button_set_label (GTK_BUTTON (self->save_button), step ? _("_Save") : _("_Add"));
  fill_enum_row (self->phase_row, upg_phases, NULL, step ? upg_record_get_string (step, UPG_SOP_STEP_PHASE) : phase);
  fill_enum_row (self->role_row, upg_roles, _("No owner"), step ? upg_record_get_string (step, UPG_SOP_STEP_OWNER_ROLE) : NULL);
  if (step != NULL)
    {
      const char *details = upg_record_get_string (step, UPG_SOP_STEP_DETAILS);
      const char *note = upg_record_get_string (step, UPG_SOP_STEP_NOTE);

      gtk_editable_set_text (GTK_EDITABLE (self->title_row), upg_record_get_string (step, UPG_SOP_STEP_TITLE));
      gtk_editable_set_text (GTK_EDITABLE (self->note_row), note ? note : "");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->details_view), details ? details : "", -1);
      gtk_switch_set_active (self->required_switch, upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED));
    }
  title_changed_cb (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->title_row));
  return self;
}
