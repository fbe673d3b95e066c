/* upg-thresholds-group.c — risk level thresholds: three spin rows kept in
 * order (medium < high < critical), a preview row, a reset button. */
#define G_LOG_DOMAIN "upg-thresholds-group"

#include "config.h"

#include <glib/gi18n.h>

#include "upg-thresholds-group.h"
#include "core/upg-fields.h"
#include "core/upg-labels.h"
#include "core/upg-risk.h"

struct _UpgThresholdsGroup
{
  AdwPreferencesGroup parent_instance;

  GtkWidget *spins[3];
  GtkWidget *preview_row;
  GtkWidget *reset;
  char      *thresholds;
  gboolean   loading;
};

G_DEFINE_FINAL_TYPE (UpgThresholdsGroup, upg_thresholds_group, ADW_TYPE_PREFERENCES_GROUP)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
update_preview (UpgThresholdsGroup *self, const UpgRiskThresholds *t)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (UpgRiskLevel level = UPG_RISK_LEVEL_LOW; level < UPG_RISK_N_LEVELS; level++)
    {
      int lo, hi;

      if (!upg_risk_level_range (level, t, &lo, &hi))
        continue;
      if (text->len > 0)
        g_string_append (text, C_("list separator", ", "));
      if (lo == hi)
        g_string_append_printf (text, C_("level range", "%s %d"), upg_risk_level_label (level), lo);
      else
        g_string_append_printf (text, C_("level range", "%s %d–%d"), upg_risk_level_label (level), lo, hi);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->preview_row), text->str);
}

/* Shows @t: each spin's range admits its neighbours' values only. */
static void
show (UpgThresholdsGroup *self, const UpgRiskThresholds *t)
{
  int v[3] = { t->medium_from, t->high_from, t->critical_from };

  self->loading = TRUE;
  for (guint k = 0; k < 3; k++)
    gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->spins[k]), 2, 25);
  for (guint k = 0; k < 3; k++)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->spins[k]), v[k]);
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->spins[0]), 2, v[1] - 1);
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->spins[1]), v[0] + 1, v[2] - 1);
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->spins[2]), v[1] + 1, 25);
  self->loading = FALSE;
  update_preview (self, t);
  g_free (self->thresholds);
  self->thresholds = upg_risk_thresholds_to_string (t);
}

static void
value_changed_cb (GtkSpinButton      *spin,
                  UpgThresholdsGroup *self)
{
  UpgRiskThresholds t;

  if (self->loading)
    return;
  t.medium_from = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->spins[0]));
  t.high_from = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->spins[1]));
  t.critical_from = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->spins[2]));
  if (!upg_risk_thresholds_valid (&t))
    return;
  show (self, &t);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
reset_clicked_cb (GtkButton          *button,
                  UpgThresholdsGroup *self)
{
  UpgRiskThresholds t;

  upg_risk_thresholds_init_default (&t);
  show (self, &t);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
threshold_row (UpgThresholdsGroup *self,
               guint               k,
               const char         *title,
               const char         *subtitle)
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
  /* Named once, by its title: GTK 4.8 would read the row's title that
   * labels it as well ("Medium From Medium From"). */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect (spin, "value-changed", G_CALLBACK (value_changed_cb), self);
  self->spins[k] = spin;
  return row;
}

static void
upg_thresholds_group_finalize (GObject *object)
{
  UpgThresholdsGroup *self = UPG_THRESHOLDS_GROUP (object);

  g_free (self->thresholds);
  G_OBJECT_CLASS (upg_thresholds_group_parent_class)->finalize (object);
}

static void
upg_thresholds_group_class_init (UpgThresholdsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = upg_thresholds_group_finalize;

  /**
   * UpgThresholdsGroup::changed:
   *
   * The user set other thresholds (upg_thresholds_group_get_thresholds()).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
upg_thresholds_group_init (UpgThresholdsGroup *self)
{
  UpgRiskThresholds t;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Risk Levels"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("A risk’s score is its likelihood times its impact, from 1 to 25. "
                                           "Each level starts at the score below; lower scores are low risks."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self),
                             threshold_row (self, 0, _("Medium From"), _("The lowest score of a medium risk")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self),
                             threshold_row (self, 1, _("High From"), _("The lowest score of a high risk")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self),
                             threshold_row (self, 2, _("Critical From"), _("The lowest score of a critical risk")));

  self->preview_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->preview_row), _("Levels"));
  gtk_widget_add_css_class (self->preview_row, "property");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->preview_row);

  self->reset = gtk_button_new_with_mnemonic (_("_Reset to Defaults"));
  gtk_widget_set_valign (self->reset, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->reset, "flat");
  g_signal_connect (self->reset, "clicked", G_CALLBACK (reset_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self), self->reset);

  upg_risk_thresholds_init_default (&t);
  show (self, &t);
}

GtkWidget *
upg_thresholds_group_new (void)
{
  return g_object_new (UPG_TYPE_THRESHOLDS_GROUP, NULL);
}

const char *
upg_thresholds_group_get_thresholds (UpgThresholdsGroup *self)
{
  g_return_val_if_fail (UPG_IS_THRESHOLDS_GROUP (self), NULL);
  return self->thresholds;
}

void
upg_thresholds_group_set_thresholds (UpgThresholdsGroup *self,
                                     const char         *thresholds)
{
  int values[3];
  UpgRiskThresholds t;

  g_return_if_fail (UPG_IS_THRESHOLDS_GROUP (self));

  if (!upg_parse_thresholds (thresholds, values, NULL))
    upg_parse_thresholds (UPG_DEFAULT_RISK_THRESHOLDS, values, NULL);
  t.medium_from = values[0];
  t.high_from = values[1];
  t.critical_from = values[2];
  show (self, &t);
}

GtkWidget *
upg_thresholds_group_get_reset_button (UpgThresholdsGroup *self)
{
  g_return_val_if_fail (UPG_IS_THRESHOLDS_GROUP (self), NULL);
  return self->reset;
}
