/* upg-preferences-window.c — the Preferences window.
 *
 * Risk levels: the lowest score of each level above low, bound to GSettings
 * (risk-medium-from, risk-high-from, risk-critical-from). Each spin button's
 * range keeps the three in increasing order.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/upg-risk.h"
#include "upg-preferences-window.h"

struct _UpgPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings   *settings;
  GtkWidget   *spins[3];     /* medium, high, critical */
  GtkWidget   *preview_row;
  gboolean     resetting;
};

G_DEFINE_FINAL_TYPE (UpgPreferencesWindow, upg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const keys[] = { "risk-medium-from", "risk-high-from", "risk-critical-from" };

static void
load_thresholds (UpgRiskThresholds *t)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  g_autoptr(GSettings) settings = NULL;
  UpgRiskThresholds read;

  upg_risk_thresholds_init_default (t);
  if (schema == NULL || !g_settings_schema_has_key (schema, keys[0]) ||
      !g_settings_schema_has_key (schema, keys[1]) || !g_settings_schema_has_key (schema, keys[2]))
    return;
  settings = g_settings_new_full (schema, NULL, NULL);
  read.medium_from = g_settings_get_int (settings, keys[0]);
  read.high_from = g_settings_get_int (settings, keys[1]);
  read.critical_from = g_settings_get_int (settings, keys[2]);
  if (upg_risk_thresholds_valid (&read))
    *t = read;
}

char *
upg_preferences_new_project_thresholds (void)
{
  UpgRiskThresholds t;

  load_thresholds (&t);
  return upg_risk_thresholds_to_string (&t);
}

static void
update (UpgPreferencesWindow *self)
{
  UpgRiskThresholds t;
  GString *text = g_string_new (NULL);
  int v[3];

  for (guint k = 0; k < 3; k++)
    v[k] = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->spins[k]));

  /* Keep medium < high < critical: each bounds its neighbours. */
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->spins[0]), 2, v[1] - 1);
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->spins[1]), v[0] + 1, v[2] - 1);
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->spins[2]), v[1] + 1, 25);

  t.medium_from = v[0];
  t.high_from = v[1];
  t.critical_from = v[2];
  for (UpgRiskLevel level = UPG_RISK_LEVEL_LOW; level < UPG_RISK_N_LEVELS; level++)
    {
      int lo, hi;

      if (!upg_risk_level_range (level, &t, &lo, &hi))
        continue;
      if (text->len > 0)
        g_string_append (text, C_("list separator", ", "));
      if (lo == hi)
        g_string_append_printf (text, C_("level range", "%s %d"), upg_risk_level_label (level), lo);
      else
        g_string_append_printf (text, C_("level range", "%s %d–%d"), upg_risk_level_label (level), lo, hi);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->preview_row), text->str);
  g_string_free (text, TRUE);
}

static void
value_changed_cb (GtkSpinButton        *spin,
                  UpgPreferencesWindow *self)
{
  if (!self->resetting)
    update (self);
}

static void
reset_clicked_cb (GtkButton            *button,
                  UpgPreferencesWindow *self)
{
  if (self->settings != NULL)
    {
      /* Widen the ranges first so each default fits. */
      self->resetting = TRUE;
      for (guint k = 0; k < 3; k++)
        gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->spins[k]), 2, 25);
      for (guint k = 0; k < 3; k++)
        g_settings_reset (self->settings, keys[k]);
      self->resetting = FALSE;
    }
  update (self);
}

static GtkWidget *
threshold_row (UpgPreferencesWindow *self,
               guint                 k,
               const char           *title,
               const char           *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (2, 25, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_add_css_class (spin, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  /* Named once, by its title (the row's title labels it too). */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  self->spins[k] = spin;
  return row;
}

static void
upg_preferences_window_dispose (GObject *object)
{
  UpgPreferencesWindow *self = UPG_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (upg_preferences_window_parent_class)->dispose (object);
}

static void
upg_preferences_window_class_init (UpgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = upg_preferences_window_dispose;
}

static void
upg_preferences_window_init (UpgPreferencesWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  GtkWidget *page, *group, *reset;

  gtk_window_set_title (GTK_WINDOW (self), _("Preferences"));
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);

  page = adw_preferences_page_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Risks"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "dialog-warning-symbolic");

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Risk Levels"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("A risk’s score is its likelihood times its impact, from 1 to 25. "
                                           "Each level starts at the score below; lower scores are low risks."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             threshold_row (self, 0, _("Medium From"), _("The lowest score of a medium risk")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             threshold_row (self, 1, _("High From"), _("The lowest score of a high risk")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             threshold_row (self, 2, _("Critical From"), _("The lowest score of a critical risk")));

  self->preview_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->preview_row), _("Levels"));
  gtk_widget_add_css_class (self->preview_row, "property");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->preview_row);

  reset = gtk_button_new_with_mnemonic (_("_Reset to Defaults"));
  gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (reset, "flat");
  g_signal_connect (reset, "clicked", G_CALLBACK (reset_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), reset);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));

  if (schema != NULL && g_settings_schema_has_key (schema, keys[0]))
    {
      UpgRiskThresholds t;

      self->settings = g_settings_new_full (schema, NULL, NULL);
      /* Start from consistent values, so the ranges admit every binding. */
      load_thresholds (&t);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->spins[0]), t.medium_from);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->spins[1]), t.high_from);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->spins[2]), t.critical_from);
      update (self);
      for (guint k = 0; k < 3; k++)
        g_settings_bind (self->settings, keys[k], self->spins[k], "value", G_SETTINGS_BIND_DEFAULT);
    }
  else
    {
      for (guint k = 0; k < 3; k++)
        gtk_widget_set_sensitive (self->spins[k], FALSE);
      gtk_widget_set_sensitive (reset, FALSE);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->spins[0]), UPG_RISK_MEDIUM_FROM_DEFAULT);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->spins[1]), UPG_RISK_HIGH_FROM_DEFAULT);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->spins[2]), UPG_RISK_CRITICAL_FROM_DEFAULT);
    }
  for (guint k = 0; k < 3; k++)
    g_signal_connect (self->spins[k], "value-changed", G_CALLBACK (value_changed_cb), self);
  update (self);
  /* The window opens on the first value, never on "Reset to Defaults". */
  gtk_window_set_focus (GTK_WINDOW (self), self->spins[0]);
}

GtkWidget *
upg_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (UPG_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}
