/* upg-preferences-window.c — the Preferences window.
 *
 * Risk levels for new projects: the lowest score of each level above low,
 * kept in GSettings (risk-medium-from, risk-high-from, risk-critical-from).
 * A project keeps its own (its risk_thresholds, set in its Risks section),
 * so a plan's levels are the same for everyone who opens it.
 */
#define G_LOG_DOMAIN "upg-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "core/upg-risk.h"
#include "upg-preferences-window.h"
#include "upg-thresholds-group.h"

struct _UpgPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings   *settings;
  GtkWidget   *group;
};

G_DEFINE_FINAL_TYPE (UpgPreferencesWindow, upg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const keys[] = { "risk-medium-from", "risk-high-from", "risk-critical-from" };

static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  if (schema == NULL || !g_settings_schema_has_key (schema, keys[0]) ||
      !g_settings_schema_has_key (schema, keys[1]) || !g_settings_schema_has_key (schema, keys[2]))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
load_thresholds (GSettings *settings, UpgRiskThresholds *t)
{
  UpgRiskThresholds read;

  upg_risk_thresholds_init_default (t);
  if (settings == NULL)
    return;
  read.medium_from = g_settings_get_int (settings, keys[0]);
  read.high_from = g_settings_get_int (settings, keys[1]);
  read.critical_from = g_settings_get_int (settings, keys[2]);
  if (upg_risk_thresholds_valid (&read))
    *t = read;
}

char *
upg_preferences_new_project_thresholds (void)
{
  g_autoptr(GSettings) settings = settings_new ();
  UpgRiskThresholds t;

  load_thresholds (settings, &t);
  return upg_risk_thresholds_to_string (&t);
}

static void
thresholds_changed_cb (UpgThresholdsGroup   *group,
                       UpgPreferencesWindow *self)
{
  int values[3];

  if (self->settings == NULL ||
      !upg_parse_thresholds (upg_thresholds_group_get_thresholds (group), values, NULL))
    return;
  /* The three together, so a reader never sees them out of order. */
  g_settings_delay (self->settings);
  for (guint k = 0; k < 3; k++)
    g_settings_set_int (self->settings, keys[k], values[k]);
  g_settings_apply (self->settings);
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

static gboolean
focus_first_spin (UpgPreferencesWindow *self,
                  GtkWidget            *widget)
{
  if (GTK_IS_SPIN_BUTTON (widget))
    {
      gtk_window_set_focus (GTK_WINDOW (self), widget);
      return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (focus_first_spin (self, child))
      return TRUE;
  return FALSE;
}

static void
upg_preferences_window_init (UpgPreferencesWindow *self)
{
  GtkWidget *page;
  UpgRiskThresholds t;
  g_autofree char *text = NULL;

  gtk_window_set_title (GTK_WINDOW (self), _("Preferences"));
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);

  page = adw_preferences_page_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Risks"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "dialog-warning-symbolic");

  self->group = upg_thresholds_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), _("Risk Levels of New Projects"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
                                         _("A risk’s score is its likelihood times its impact, from 1 to 25. "
                                           "Each level starts at the score below. New projects start with these "
                                           "levels; a project keeps its own, set in its Risks section."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));

  self->settings = settings_new ();
  load_thresholds (self->settings, &t);
  text = upg_risk_thresholds_to_string (&t);
  upg_thresholds_group_set_thresholds (UPG_THRESHOLDS_GROUP (self->group), text);
  if (self->settings == NULL)
    gtk_widget_set_sensitive (self->group, FALSE);
  g_signal_connect (self->group, "changed", G_CALLBACK (thresholds_changed_cb), self);
  /* The window opens on the first value, never on "Reset to Defaults". */
  focus_first_spin (self, self->group);
}

GtkWidget *
upg_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (UPG_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}
