/* upg-risk-editor.c — a dialog with every field of one risk.
 *
 * An existing risk is saved field by field as it is edited (the store saves
 * a record's property the moment it changes); a new one is kept aside until
 * "Add" inserts it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/upg-labels.h"
#include "upg-a11y.h"
#include "upg-risk-editor.h"
#include "upg-field-rows.h"

struct _UpgRiskEditor
{
  AdwWindow          parent_instance;

  UpgStore          *store;
  UpgProject        *project;
  UpgRisk           *risk;
  gboolean           is_new;
  gboolean           loading;
  gboolean           title_touched;  /* typed in: an empty title is an error now */
  UpgRiskThresholds  thresholds;
  GPtrArray         *owners;          /* names, index 1.. of the owner row */

  AdwHeaderBar      *header_bar;
  GtkWidget         *cancel_button;
  GtkWidget         *add_button;
  AdwEntryRow       *title_row;
  AdwComboRow       *category_row;
  AdwComboRow       *status_row;
  AdwComboRow       *owner_row;
  AdwComboRow       *likelihood_row;
  AdwComboRow       *impact_row;
  GtkLabel          *score_label;
  AdwComboRow       *residual_likelihood_row;
  AdwComboRow       *residual_impact_row;
  GtkLabel          *residual_score_label;
  GtkTextView       *mitigation_view;
  GtkTextView       *contingency_view;
  GtkWidget         *delete_group;
};

G_DEFINE_FINAL_TYPE (UpgRiskEditor, upg_risk_editor, ADW_TYPE_WINDOW)

enum { DELETE_REQUESTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char * const level_classes[] = { "low", "medium", "high", "critical" };

static UpgRecord *
record (UpgRiskEditor *self)
{
  return UPG_RECORD (self->risk);
}

static void
show_score (UpgRiskEditor *self,
            GtkLabel      *label,
            int            score)
{
  UpgRiskLevel level = upg_risk_level_for_score (score, &self->thresholds);
  g_autofree char *text = NULL;

  for (guint c = 0; c < G_N_ELEMENTS (level_classes); c++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), level_classes[c]);
  if (level == UPG_RISK_LEVEL_NONE)
    {
      gtk_label_set_label (label, _("Not assessed"));
      return;
    }
  gtk_widget_add_css_class (GTK_WIDGET (label), level_classes[level]);
  /* Translators: a risk's score and level, e.g. "10 · High" */
  text = g_strdup_printf (_("%d · %s"), score, upg_risk_level_label (level));
  gtk_label_set_label (label, text);
}

static void
update_scores (UpgRiskEditor *self)
{
  show_score (self, self->score_label, upg_risk_get_score (self->risk));
  show_score (self, self->residual_score_label, upg_risk_get_residual_score (self->risk));
}

static void
update_add_action (UpgRiskEditor *self)
{
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_row));
  g_autofree char *stripped = g_strstrip (g_strdup (title));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add", self->is_new && *stripped != '\0');
  /* A new risk's empty title is not an error until someone typed in it. */
  if (*stripped == '\0' && self->title_touched)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
}

static void
title_changed_cb (UpgRiskEditor *self)
{
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_row));
  g_autofree char *stripped = g_strstrip (g_strdup (title));

  if (!self->loading)
    self->title_touched = TRUE;
  update_add_action (self);
  if (self->loading || *stripped == '\0')
    return;   /* a title is required: keep the last one until there is a new one */
  upg_record_set_string (record (self), UPG_RISK_TITLE, title);
}

static void
enum_selected_cb (AdwComboRow   *row,
                  GParamSpec    *pspec,
                  UpgRiskEditor *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->loading || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (row == self->category_row)
    upg_record_set_string (record (self), UPG_RISK_CATEGORY, upg_risk_categories[selected]);
  else if (row == self->status_row)
    upg_record_set_string (record (self), UPG_RISK_STATUS, upg_risk_statuses[selected]);
  else if (row == self->owner_row)
    upg_record_set_string (record (self), UPG_RISK_OWNER,
                           selected == 0 ? NULL : g_ptr_array_index (self->owners, selected - 1));
}

static void
scale_selected_cb (AdwComboRow   *row,
                   GParamSpec    *pspec,
                   UpgRiskEditor *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->loading || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (row == self->likelihood_row)
    upg_record_set_int (record (self), UPG_RISK_LIKELIHOOD, selected + 1);
  else if (row == self->impact_row)
    upg_record_set_int (record (self), UPG_RISK_IMPACT, selected + 1);
  /* The residual rows start with "Not assessed" (null). The residual
   * score is both or neither: choosing one fills the other from the
   * inherent score, "Not assessed" clears both; saved together. */
  else if (row == self->residual_likelihood_row || row == self->residual_impact_row)
    {
      gboolean is_likelihood = row == self->residual_likelihood_row;
      guint field = is_likelihood ? UPG_RISK_RESIDUAL_LIKELIHOOD : UPG_RISK_RESIDUAL_IMPACT;
      guint other = is_likelihood ? UPG_RISK_RESIDUAL_IMPACT : UPG_RISK_RESIDUAL_LIKELIHOOD;
      AdwComboRow *other_row = is_likelihood ? self->residual_impact_row : self->residual_likelihood_row;
      int value = selected == 0 ? UPG_INT_NULL : (int) selected;
      int other_value = upg_record_get_int (record (self), other);
      g_autoptr(GError) error = NULL;

      if (value == UPG_INT_NULL)
        other_value = UPG_INT_NULL;
      else if (other_value == UPG_INT_NULL)
        other_value = upg_record_get_int (record (self), is_likelihood ? UPG_RISK_IMPACT : UPG_RISK_LIKELIHOOD);
      upg_store_update_begin (self->store, record (self));
      upg_record_set_int (record (self), field, value);
      upg_record_set_int (record (self), other, other_value);
      upg_store_update_end (self->store, record (self), &error);
      self->loading = TRUE;
      adw_combo_row_set_selected (row, MAX (0, upg_record_get_int (record (self), field)));
      adw_combo_row_set_selected (other_row, MAX (0, upg_record_get_int (record (self), other)));
      self->loading = FALSE;
      if (error != NULL)
        g_signal_emit_by_name (self->store, "write-failed", error);
    }
  update_scores (self);
}

static void
text_changed_cb (GtkTextBuffer *buffer,
                 UpgRiskEditor *self)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->loading)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (buffer == gtk_text_view_get_buffer (self->mitigation_view))
    upg_record_set_string (record (self), UPG_RISK_MITIGATION, text);
  else
    upg_record_set_string (record (self), UPG_RISK_CONTINGENCY, text);
}

static GListModel *
enum_model (const char * const *values)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; values[i] != NULL; i++)
    gtk_string_list_append (list, upg_enum_label (values, values[i]));
  return G_LIST_MODEL (list);
}

static GListModel *
scale_model (const char *(*label) (int),
             gboolean      with_none)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  if (with_none)
    gtk_string_list_append (list, _("Not assessed"));
  for (int v = 1; v <= UPG_RISK_SCALE; v++)
    {
      /* Translators: a step of the likelihood or impact scale, e.g. "4 · Likely" */
      g_autofree char *text = g_strdup_printf (_("%d · %s"), v, label (v));
      gtk_string_list_append (list, text);
    }
  return G_LIST_MODEL (list);
}

static void
set_model (AdwComboRow *row,
           GListModel  *model)
{
  adw_combo_row_set_model (row, model);
  upg_combo_row_name_items (row);
  g_object_unref (model);
}

static void
load (UpgRiskEditor *self)
{
  UpgRecord *r = record (self);
  GListModel *team = upg_record_get_children (UPG_RECORD (self->project), &upg_entity_member);
  GtkStringList *owners = gtk_string_list_new (NULL);
  const char *owner = upg_record_get_string (r, UPG_RISK_OWNER);
  guint owner_index = 0;
  int value;

  self->loading = TRUE;

  set_model (self->category_row, enum_model (upg_risk_categories));
  set_model (self->status_row, enum_model (upg_risk_statuses));
  set_model (self->likelihood_row, scale_model (upg_risk_likelihood_label, FALSE));
  set_model (self->impact_row, scale_model (upg_risk_impact_label, FALSE));
  set_model (self->residual_likelihood_row, scale_model (upg_risk_likelihood_label, TRUE));
  set_model (self->residual_impact_row, scale_model (upg_risk_impact_label, TRUE));

  gtk_string_list_append (owners, C_("owner", "Nobody"));
  for (guint i = 0; team != NULL && i < g_list_model_get_n_items (team); i++)
    {
      g_autoptr(UpgRecord) member = g_list_model_get_item (team, i);
      const char *name = upg_record_get_string (member, UPG_MEMBER_NAME);

      g_ptr_array_add (self->owners, g_strdup (name));
      gtk_string_list_append (owners, name);
      if (g_strcmp0 (name, owner) == 0)
        owner_index = self->owners->len;
    }
  if (owner != NULL && *owner != '\0' && owner_index == 0)
    {
      /* Translators: a risk's owner who is no longer on the project's team */
      g_autofree char *text = g_strdup_printf (_("%s (not on the team)"), owner);
      g_ptr_array_add (self->owners, g_strdup (owner));
      gtk_string_list_append (owners, text);
      owner_index = self->owners->len;
    }
  set_model (self->owner_row, G_LIST_MODEL (owners));

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), upg_record_get_string (r, UPG_RISK_TITLE));
  adw_combo_row_set_selected (self->category_row,
                              MAX (upg_enum_index (upg_risk_categories, upg_record_get_string (r, UPG_RISK_CATEGORY)), 0));
  adw_combo_row_set_selected (self->status_row,
                              MAX (upg_enum_index (upg_risk_statuses, upg_record_get_string (r, UPG_RISK_STATUS)), 0));
  adw_combo_row_set_selected (self->owner_row, owner_index);
  adw_combo_row_set_selected (self->likelihood_row, CLAMP (upg_record_get_int (r, UPG_RISK_LIKELIHOOD), 1, 5) - 1);
  adw_combo_row_set_selected (self->impact_row, CLAMP (upg_record_get_int (r, UPG_RISK_IMPACT), 1, 5) - 1);
  value = upg_record_get_int (r, UPG_RISK_RESIDUAL_LIKELIHOOD);
  adw_combo_row_set_selected (self->residual_likelihood_row, value == UPG_INT_NULL ? 0 : value);
  value = upg_record_get_int (r, UPG_RISK_RESIDUAL_IMPACT);
  adw_combo_row_set_selected (self->residual_impact_row, value == UPG_INT_NULL ? 0 : value);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->mitigation_view),
                            upg_record_get_string (r, UPG_RISK_MITIGATION), -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->contingency_view),
                            upg_record_get_string (r, UPG_RISK_CONTINGENCY), -1);

  gtk_window_set_title (GTK_WINDOW (self), self->is_new ? _("New Risk") : _("Edit Risk"));
  gtk_widget_set_visible (self->cancel_button, self->is_new);
  gtk_widget_set_visible (self->add_button, self->is_new);
  gtk_widget_set_visible (self->delete_group, !self->is_new);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, !self->is_new);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, !self->is_new);

  update_scores (self);
  update_add_action (self);
  self->loading = FALSE;
}

static void
show_error (UpgRiskEditor *self,
            const char    *heading,
            const char    *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  UpgRiskEditor *self = UPG_RISK_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (!self->is_new)
    return;
  upg_record_set_string (record (self), UPG_RISK_TITLE,
                         gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  if (!upg_store_insert (self->store, UPG_RECORD (self->project), record (self), -1, &error))
    {
      show_error (self, _("Could Not Add the Risk"), error->message);
      return;
    }
  self->is_new = FALSE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
delete_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  UpgRiskEditor *self = UPG_RISK_EDITOR (widget);
  g_autoptr(UpgRiskEditor) hold G_GNUC_UNUSED = g_object_ref (self);

  g_signal_emit (self, signals[DELETE_REQUESTED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
upg_risk_editor_dispose (GObject *object)
{
  UpgRiskEditor *self = UPG_RISK_EDITOR (object);

  g_clear_object (&self->store);
  g_clear_object (&self->project);
  g_clear_object (&self->risk);
  g_clear_pointer (&self->owners, g_ptr_array_unref);

  G_OBJECT_CLASS (upg_risk_editor_parent_class)->dispose (object);
}

static void
upg_risk_editor_class_init (UpgRiskEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_risk_editor_dispose;

  signals[DELETE_REQUESTED] =
    g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-risk-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, header_bar);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, add_button);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, category_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, owner_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, likelihood_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, impact_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, score_label);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, residual_likelihood_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, residual_impact_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, residual_score_label);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, mitigation_view);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, contingency_view);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskEditor, delete_group);
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.add", NULL, add_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
upg_risk_editor_init (UpgRiskEditor *self)
{
  self->owners = g_ptr_array_new_with_free_func (g_free);
  upg_risk_thresholds_init_default (&self->thresholds);
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_editable_limit (GTK_EDITABLE (self->title_row), upg_field_limit (&upg_entity_risk, UPG_RISK_TITLE));
  upg_text_view_limit (self->mitigation_view, upg_field_limit (&upg_entity_risk, UPG_RISK_MITIGATION));
  upg_text_view_limit (self->contingency_view, upg_field_limit (&upg_entity_risk, UPG_RISK_CONTINGENCY));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));

  g_signal_connect (self->category_row, "notify::selected", G_CALLBACK (enum_selected_cb), self);
  g_signal_connect (self->status_row, "notify::selected", G_CALLBACK (enum_selected_cb), self);
  g_signal_connect (self->owner_row, "notify::selected", G_CALLBACK (enum_selected_cb), self);
  g_signal_connect (self->likelihood_row, "notify::selected", G_CALLBACK (scale_selected_cb), self);
  g_signal_connect (self->impact_row, "notify::selected", G_CALLBACK (scale_selected_cb), self);
  g_signal_connect (self->residual_likelihood_row, "notify::selected", G_CALLBACK (scale_selected_cb), self);
  g_signal_connect (self->residual_impact_row, "notify::selected", G_CALLBACK (scale_selected_cb), self);
  g_signal_connect (gtk_text_view_get_buffer (self->mitigation_view), "changed", G_CALLBACK (text_changed_cb), self);
  g_signal_connect (gtk_text_view_get_buffer (self->contingency_view), "changed", G_CALLBACK (text_changed_cb), self);
}

GtkWidget *
upg_risk_editor_new (GtkWindow               *parent,
                     UpgStore                *store,
                     UpgProject              *project,
                     UpgRisk                 *risk,
                     const UpgRiskThresholds *thresholds)
{
  UpgRiskEditor *self;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);
  g_return_val_if_fail (risk == NULL || UPG_IS_RISK (risk), NULL);

  self = g_object_new (UPG_TYPE_RISK_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->project = g_object_ref (project);
  if (thresholds != NULL)
    self->thresholds = *thresholds;
  if (risk != NULL)
    self->risk = g_object_ref (risk);
  else
    {
      self->is_new = TRUE;
      self->risk = UPG_RISK (upg_record_new (&upg_entity_risk));
    }
  load (self);
  /* The first thing to write is the title (not Cancel, the first button). */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->title_row));
  return GTK_WIDGET (self);
}

UpgRisk *
upg_risk_editor_get_risk (UpgRiskEditor *self)
{
  g_return_val_if_fail (UPG_IS_RISK_EDITOR (self), NULL);
  return self->risk;
}

gboolean
upg_risk_editor_is_new (UpgRiskEditor *self)
{
  g_return_val_if_fail (UPG_IS_RISK_EDITOR (self), FALSE);
  return self->is_new;
}
