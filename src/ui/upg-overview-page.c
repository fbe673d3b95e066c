/* upg-overview-page.c — the project's Overview section: every project field. */
#include "config.h"

#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-overview-page.h"
#include "upg-card-box.h"
#include "upg-field-rows.h"
#include "upg-settings.h"
#include "core/upg-checks.h"
#include "core/upg-labels.h"
#include "core/upg-status.h"
#include "core/upg-notify.h"
#include "core/upg-clock.h"

struct _UpgOverviewPage
{
  AdwBin      parent_instance;

  UpgStore   *store;
  UpgProject *project;
  GPtrArray  *added;          /* (group, widget) pairs to remove on change */
  GPtrArray  *warning_rows;
  GtkWidget  *start_row;
  GtkWidget  *end_row;
  GtkWidget  *build_row;
  GtkWidget  *build_icon;
  guint       refresh_id;
  guint       build_id;       /* builds the details once the window is on screen */
  guint       lower_rows_id;  /* builds the groups under the fold */
  gboolean    fresh;          /* summary and warnings made for the project, before the page's next map */
  GSettings  *settings;

  guint       status_id;      /* a queued refresh of the summary */

  GtkWidget           *page;
  AdwPreferencesGroup *status_group;
  GtkLabel            *when_label;
  GtkLabel            *span_label;
  GtkWidget           *cards;
  GtkWidget           *milestones_card;
  GtkLabel            *milestones_value;
  GtkLabel            *milestones_detail;
  GtkWidget           *risks_card;
  GtkLabel            *risks_value;
  GtkLabel            *risks_detail;
  GtkWidget           *checklist_card;
  GtkLabel            *checklist_value;
  GtkLabel            *checklist_detail;
  GtkWidget           *notices_card;
  GtkLabel            *notices_value;
  GtkLabel            *notices_detail;
  GtkBox              *risk_links;
  GtkLabel            *latest_label;
  AdwPreferencesGroup *warnings_group;
  GtkWidget           *details_row;
  GtkWidget           *details_arrow;
  AdwPreferencesGroup *project_group;
  AdwPreferencesGroup *versions_group;
  AdwPreferencesGroup *window_group;
  AdwPreferencesGroup *goal_group;
  AdwPreferencesGroup *scope_group;
  AdwPreferencesGroup *impact_group;
  AdwPreferencesGroup *items_group;
  GtkListBox          *items_list;
  GtkWidget           *add_item_button;
};

G_DEFINE_FINAL_TYPE (UpgOverviewPage, upg_overview_page, ADW_TYPE_BIN)

static gboolean details_shown (UpgOverviewPage *self);

enum {
  SHOW_SECTION,
  SHOW_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add_to_group (UpgOverviewPage     *self,
              AdwPreferencesGroup *group,
              GtkWidget           *widget)
{
  adw_preferences_group_add (group, widget);
  g_ptr_array_add (self->added, group);
  g_ptr_array_add (self->added, widget);
}

static void
clear_rows (UpgOverviewPage *self)
{
  for (guint i = 0; i + 1 < self->added->len; i += 2)
    adw_preferences_group_remove (self->added->pdata[i], self->added->pdata[i + 1]);
  g_ptr_array_set_size (self->added, 0);
  self->start_row = self->end_row = self->build_row = self->build_icon = NULL;
}

/* The summary ------------------------------------------------------------ */

static void
milestones_card_cb (UpgOverviewPage *self)
{
  g_signal_emit (self, signals[SHOW_SECTION], 0, "milestones");
}

static void
risks_card_cb (UpgOverviewPage *self)
{
  g_signal_emit (self, signals[SHOW_SECTION], 0, "risks");
}

static void
checklist_card_cb (UpgOverviewPage *self)
{
  g_signal_emit (self, signals[SHOW_SECTION], 0, "checklist");
}

static void
notices_card_cb (UpgOverviewPage *self)
{
  g_signal_emit (self, signals[SHOW_SECTION], 0, "notifications");
}

static void
risk_link_cb (GtkButton       *button,
              UpgOverviewPage *self)
{
  g_signal_emit (self, signals[SHOW_RECORD], 0, g_object_get_data (G_OBJECT (button), "upg-record"));
}

static void
set_card (GtkWidget  *card,
          GtkLabel   *value,
          GtkLabel   *detail,
          const char *value_text,
          const char *detail_text,
          const char *sentence)
{
  gtk_label_set_text (value, value_text);
  /* An empty detail keeps its line: the cards keep their height while the
   * status changes. */
  gtk_label_set_text (detail, detail_text != NULL ? detail_text : "");
  /* The card's name is its whole sentence, read once. */
  upg_a11y_set_tooltip_name (card, sentence);
}

/* The window in the project's zone, named, and on a second line in the
 * user's own when that differs there ("Your time: …"). */
static char *
window_span (UpgProject *project,
             const char *start,
             const char *end)
{
  const char *name = upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_TIME_ZONE);
  g_autoptr(GTimeZone) zone = name != NULL ? g_time_zone_new_identifier (name) : NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) at = start != NULL ? upg_timestamp_to_datetime (start) : NULL;
  g_autofree char *there = upg_status_window_span (start, end, zone);
  g_autofree char *here = NULL;

  if (zone == NULL || at == NULL)
    return g_steal_pointer (&there);
  {
    gint64 t = g_date_time_to_unix (at);
    int i = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, t);
    int k = g_time_zone_find_interval (local, G_TIME_TYPE_UNIVERSAL, t);

    if (g_time_zone_get_offset (zone, i) == g_time_zone_get_offset (local, k))
      return g_steal_pointer (&there);
  }
  here = upg_status_window_span (start, end, NULL);
  /* TRANSLATORS: the maintenance window in the project's zone, then in the user's own */
  return g_strdup_printf (_("%s\nYour time: %s"), there, here);
}

/* The span is one line, or two when the user's zone differs (and none
 * without a window): it always takes the height of two, so the Overview
 * below it does not jump when the zone or the window changes. */
static void
reserve_span_height (GtkLabel *label)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (label), "0\n0");
  int height = 0;

  pango_layout_get_pixel_size (layout, NULL, &height);
  gtk_widget_set_size_request (GTK_WIDGET (label), -1, height);
}

static void
refresh_status (UpgOverviewPage *self)
{
  g_autoptr(GDateTime) now = upg_clock_now ();
  UpgRiskThresholds thresholds;
  UpgStatus status;
  g_autofree char *when = NULL;
  g_autofree char *span = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *value = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *latest = NULL;
  g_autoptr(GError) error = NULL;
  const char *start, *end;
  GtkWidget *child;

  g_clear_handle_id (&self->status_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->risk_links))) != NULL)
    gtk_box_remove (self->risk_links, child);
  gtk_widget_set_visible (GTK_WIDGET (self->status_group), self->project != NULL);
  if (self->project == NULL)
    return;

  start = upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_WINDOW_START);
  end = upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_WINDOW_END);
  when = upg_status_window_text (start, end, now);
  span = window_span (self->project, start, end);
  gtk_label_set_text (self->when_label, when);
  gtk_label_set_text (self->span_label, span);
  reserve_span_height (self->span_label);

  upg_risk_thresholds_for_project (self->project, &thresholds);
  upg_status_compute (self->project, &thresholds, now, &status);

  /* Milestones: "2 of 6", "Next: Gray release, due 3 Dec". */
  sentence = upg_status_milestones_text (&status);
  /* TRANSLATORS: done of all, e.g. "2 of 6" */
  value = g_strdup_printf (_("%u of %u"), status.milestones_done, status.milestones_total);
  if (status.next_milestone != NULL)
    /* TRANSLATORS: the next milestone's title */
    detail = g_strdup_printf (_("Next: %s"), upg_record_get_string (status.next_milestone, UPG_MILESTONE_TITLE));
  set_card (self->milestones_card, self->milestones_value, self->milestones_detail, value, detail, sentence);
  g_clear_pointer (&sentence, g_free);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  /* Risks: "1 critical · 3 high", "open". */
  sentence = upg_status_risks_text (&status);
  if (status.risks_critical + status.risks_high == 0)
    value = g_strdup (_("None high"));
  else if (status.risks_high == 0)
    value = g_strdup_printf (ngettext ("%u critical", "%u critical", status.risks_critical), status.risks_critical);
  else if (status.risks_critical == 0)
    value = g_strdup_printf (ngettext ("%u high", "%u high", status.risks_high), status.risks_high);
  else
    /* TRANSLATORS: open risks, e.g. "1 critical · 3 high" */
    value = g_strdup_printf (_("%u critical · %u high"), status.risks_critical, status.risks_high);
  set_card (self->risks_card, self->risks_value, self->risks_detail, value,
            status.risks_critical + status.risks_high > 0 ? _("Open") : _("No high or critical risk is open"),
            sentence);
  g_clear_pointer (&sentence, g_free);
  g_clear_pointer (&value, g_free);

  /* Checklist: "12 of 30", "Next: Back up…". */
  sentence = upg_status_checklist_text (&status);
  value = g_strdup_printf (_("%u of %u"), status.steps_done, status.steps_total);
  if (status.next_step != NULL)
    detail = g_strdup_printf (_("Next: %s"), upg_record_get_string (status.next_step, UPG_SOP_STEP_TITLE));
  set_card (self->checklist_card, self->checklist_value, self->checklist_detail, value, detail, sentence);
  g_clear_pointer (&sentence, g_free);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  /* Notices: "1 sent", "Due now: Started" or "Latest: Advance notice". */
  sentence = upg_status_notices_text (&status);
  if (status.notices_sent == 0)
    value = g_strdup (_("None sent"));
  else
    value = g_strdup_printf (ngettext ("%u sent", "%u sent", status.notices_sent), status.notices_sent);
  if (status.notice_due != NULL)
    /* TRANSLATORS: a moment of the upgrade nobody was told about yet, e.g. "Started" */
    detail = g_strdup_printf (_("Due now: %s"), upg_notify_moment_label (status.notice_due));
  else if (status.latest_notice != NULL)
    /* TRANSLATORS: the moment of the last notice sent, e.g. "Advance notice" */
    detail = g_strdup_printf (_("Latest: %s"),
                              upg_notify_moment_label (upg_record_get_string (status.latest_notice, UPG_NOTICE_MOMENT)));
  set_card (self->notices_card, self->notices_value, self->notices_detail, value, detail, sentence);

  /* Each open critical or high risk, a link to it. */
  for (guint i = 0; i < status.high_risks->len && i < 5; i++)
    {
      UpgRecord *risk = status.high_risks->pdata[i];
      int score = upg_risk_get_score (UPG_RISK (risk));
      UpgRiskLevel level = upg_risk_level_for_score (score, &thresholds);
      /* TRANSLATORS: a link to a risk: its level, score and title, e.g. "High 10 · Backfill corrupts invoices" */
      g_autofree char *text = g_strdup_printf (_("%s %d · %s"), upg_risk_level_label (level), score,
                                               upg_record_get_string (risk, UPG_RISK_TITLE));
      GtkWidget *button = gtk_button_new_with_label (text);
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "upg-risk-link");
      gtk_widget_add_css_class (button, level == UPG_RISK_LEVEL_CRITICAL ? "error" : "warning");
      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_widget_set_tooltip_text (button, _("Open this risk"));
      g_object_set_data_full (G_OBJECT (button), "upg-record", g_object_ref (risk), g_object_unref);
      g_signal_connect (button, "clicked", G_CALLBACK (risk_link_cb), self);
      gtk_box_append (self->risk_links, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->risk_links), status.high_risks->len > 0);
  upg_status_clear (&status);

  latest = upg_status_latest_activity (self->store, self->project, &error);
  if (latest != NULL)
    {
      /* TRANSLATORS: the latest activity on the checklist, e.g. "Latest: Mei Lin checked “Backup” · 09:12" */
      g_autofree char *text = g_strdup_printf (_("Latest: %s"), latest);
      gtk_label_set_text (self->latest_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->latest_label), latest != NULL);
}

static gboolean
status_idle_cb (gpointer data)
{
  UpgOverviewPage *self = data;

  self->status_id = 0;
  refresh_status (self);
  return G_SOURCE_REMOVE;
}

static void
queue_status (UpgOverviewPage *self)
{
  if (self->status_id == 0)
    self->status_id = g_idle_add (status_idle_cb, self);
}

/* Warnings ------------------------------------------------------------ */

static void
warning_row_activated_cb (AdwActionRow    *row,
                          UpgOverviewPage *self)
{
  g_signal_emit (self, signals[SHOW_SECTION], 0, g_object_get_data (G_OBJECT (row), "upg-section"));
}

static GtkWidget *
warning_row_new (UpgOverviewPage *self,
                 UpgWarning      *warning)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), warning->message);
  gtk_widget_add_css_class (icon, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "upg-warning-row");
  if (g_strcmp0 (warning->section, "overview") != 0)
    {
      GtkWidget *go = gtk_image_new_from_icon_name ("go-next-symbolic");
      g_object_set_data_full (G_OBJECT (row), "upg-section", g_strdup (warning->section), g_free);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), go);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect (row, "activated", G_CALLBACK (warning_row_activated_cb), self);
    }
  return row;
}

static void
more_warnings_expanded_cb (AdwExpanderRow  *expander,
                           GParamSpec      *pspec,
                           UpgOverviewPage *self)
{
  GPtrArray *warnings = g_object_get_data (G_OBJECT (expander), "upg-warnings");

  if (!adw_expander_row_get_expanded (expander) || warnings == NULL)
    return;
  for (guint i = 0; i < warnings->len; i++)
    adw_expander_row_add_row (expander, warning_row_new (self, warnings->pdata[i]));
  g_object_set_data (G_OBJECT (expander), "upg-warnings", NULL);
}

void
upg_overview_page_refresh_warnings (UpgOverviewPage *self)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (UPG_IS_OVERVIEW_PAGE (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  for (guint i = 0; i < self->warning_rows->len; i++)
    adw_preferences_group_remove (self->warnings_group, self->warning_rows->pdata[i]);
  g_ptr_array_set_size (self->warning_rows, 0);

  refresh_status (self);
  if (self->project == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), FALSE);
      return;
    }

  warnings = upg_project_warnings (self->store, self->project);
  if (warnings->len > 0)
    {
      /* One banner-like row that opens onto the warnings, each linking to
       * the place to fix it; the rows are built when it is opened. */
      GtkWidget *banner = upg_expander_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      title = g_strdup_printf (ngettext ("%u Warning", "%u Warnings", warnings->len), warnings->len);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (banner), title);
      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (banner), icon);
      gtk_widget_add_css_class (banner, "upg-warning-row");
      gtk_widget_set_name (banner, "overview-warnings");
      g_object_set_data_full (G_OBJECT (banner), "upg-warnings",
                              g_ptr_array_ref (warnings), (GDestroyNotify) g_ptr_array_unref);
      g_signal_connect (banner, "notify::expanded", G_CALLBACK (more_warnings_expanded_cb), self);
      adw_preferences_group_add (self->warnings_group, banner);
      g_ptr_array_add (self->warning_rows, banner);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), warnings->len > 0);
}

static gboolean
refresh_idle_cb (gpointer data)
{
  UpgOverviewPage *self = data;
  self->refresh_id = 0;
  upg_overview_page_refresh_warnings (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (UpgOverviewPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

static void
project_notify_cb (UpgProject      *project,
                   GParamSpec      *pspec,
                   UpgOverviewPage *self)
{
  /* A child's change (a step checked) touches the project's updated-at:
   * the summary follows, the warnings need no new look. */
  if (g_str_equal (pspec->name, "updated-at"))
    {
      queue_status (self);
      return;
    }
  queue_refresh (self);
}

static void
children_changed_cb (GListModel      *model,
                     guint            position,
                     guint            removed,
                     guint            added,
                     UpgOverviewPage *self)
{
  queue_refresh (self);
}

static void first_paint_cb (GdkFrameClock *clock, UpgOverviewPage *self);

static void
map_cb (UpgOverviewPage *self)
{
  if (self->build_id != 0)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                             G_CALLBACK (first_paint_cb), self, 0);
  /* Shown again after another section: the warnings may have changed
   * there (the summary and warnings made with the project are current). */
  if (!self->fresh)
    upg_overview_page_refresh_warnings (self);
  self->fresh = FALSE;
}

/* Build id and window --------------------------------------------------- */

static void
update_build_warning (UpgOverviewPage *self)
{
  g_autofree char *message = NULL;

  if (self->build_row == NULL)
    return;
  message = upg_build_id_warning (self->store, self->project);
  gtk_widget_set_visible (self->build_icon, message != NULL);
  gtk_widget_set_tooltip_text (self->build_icon, message);
  if (message != NULL)
    {
      gtk_widget_add_css_class (self->build_row, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->build_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (self->build_row, "warning");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->build_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
build_id_notify_cb (UpgProject      *project,
                    GParamSpec      *pspec,
                    UpgOverviewPage *self)
{
  update_build_warning (self);
}

static gboolean
check_window_cb (UpgRecord   *record,
                 guint        field,
                 const char  *canonical,
                 char       **message)
{
  const char *start = field == UPG_PROJECT_WINDOW_START ? canonical
                      : upg_record_get_string (record, UPG_PROJECT_WINDOW_START);
  const char *end = field == UPG_PROJECT_WINDOW_END ? canonical
                    : upg_record_get_string (record, UPG_PROJECT_WINDOW_END);
  return upg_check_window (start, end, message);
}

static void
update_window_description (UpgOverviewPage *self)
{
  const char *error = NULL;

  if (self->start_row != NULL)
    error = upg_field_row_get_error (self->start_row);
  if (error == NULL && self->end_row != NULL)
    error = upg_field_row_get_error (self->end_row);
  if (error != NULL)
    {
      adw_preferences_group_set_description (self->window_group, error);
      gtk_widget_add_css_class (GTK_WIDGET (self->window_group), "upg-error-description");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->window_group), "upg-error-description");
  /* The rows' titles name the zone; how to write a date is in their
   * tooltips, and this description only speaks up with a problem. */
  adw_preferences_group_set_description (self->window_group, NULL);
}

static void
window_row_error_cb (GtkWidget  *row,
                     const char *message,
                     gpointer    user_data)
{
  update_window_description (user_data);
}

static void
window_notify_cb (UpgProject      *project,
                  GParamSpec      *pspec,
                  UpgOverviewPage *self)
{
  /* The other end may be acceptable now. */
  if (self->start_row && upg_field_row_get_error (self->start_row))
    upg_field_row_recheck (self->start_row);
  if (self->end_row && upg_field_row_get_error (self->end_row))
    upg_field_row_recheck (self->end_row);
}

/* Scope items ----------------------------------------------------------- */

static char *
describe_scope_item (UpgRecord *item)
{
  /* TRANSLATORS: a toast; %s is a module name */
  return g_strdup_printf (_("Scope item “%s” deleted"), upg_record_get_string (item, UPG_SCOPE_ITEM_MODULE));
}

static void
update_item_subtitle (UpgRecord  *item,
                      GParamSpec *pspec,
                      GtkWidget  *row)
{
  const char *impact = upg_record_get_string (item, UPG_SCOPE_ITEM_IMPACT);
  g_autofree char *text = NULL;

  /* TRANSLATORS: a scope item's impact level, e.g. "High impact" */
  text = g_strdup_printf (_("%s impact"), upg_enum_label (upg_impact_levels, impact));
  if (upg_record_get_bool (item, UPG_SCOPE_ITEM_NEEDS_DATA_MIGRATION))
    {
      char *more = g_strdup_printf ("%s · %s", text, _("Needs data migration"));
      g_free (text);
      text = more;
    }
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), text);
}

static void populate_item_row (GtkWidget *row, gpointer user_data);

static GtkWidget *
create_item_row (gpointer item,
                 gpointer user_data)
{
  UpgOverviewPage *self = user_data;
  UpgRecord *record = item;
  GtkWidget *row = upg_record_expander_new (record);

  g_object_bind_property (record, "module", row, "title", G_BINDING_SYNC_CREATE);
  update_item_subtitle (record, NULL, row);
  g_signal_connect_object (record, "notify::impact", G_CALLBACK (update_item_subtitle), row, 0);
  g_signal_connect_object (record, "notify::needs-data-migration", G_CALLBACK (update_item_subtitle), row, 0);

  upg_record_expander_set_populate (row, populate_item_row, self);
  return row;
}

static void
populate_item_row (GtkWidget *row,
                   gpointer   user_data)
{
  UpgOverviewPage *self = user_data;
  UpgRecord *record = g_object_get_data (G_OBJECT (row), "upg-record");

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_entry_row_new (record, UPG_SCOPE_ITEM_MODULE, _("Module")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_entry_row_new (record, UPG_SCOPE_ITEM_CHANGE, _("Change")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_combo_row_new (record, UPG_SCOPE_ITEM_IMPACT, _("Impact")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_switch_row_new (record, UPG_SCOPE_ITEM_NEEDS_DATA_MIGRATION, _("Needs Data Migration")));
  upg_record_expander_add_actions (row, self->store, describe_scope_item);
}

static void
add_item_cb (UpgOverviewPage *self)
{
  g_autoptr(UpgRecord) item = upg_record_new (&upg_entity_scope_item);
  g_autoptr(GError) error = NULL;
  GListModel *items;
  GtkListBoxRow *row;

  if (self->project == NULL)
    return;
  upg_record_set_string (item, UPG_SCOPE_ITEM_MODULE, _("New module"));
  if (!upg_store_insert (self->store, UPG_RECORD (self->project), item, -1, &error))
    {
      upg_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  items = upg_record_get_children (UPG_RECORD (self->project), &upg_entity_scope_item);
  row = gtk_list_box_get_row_at_index (self->items_list, g_list_model_get_n_items (items) - 1);
  if (row != NULL)
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

/* Building ------------------------------------------------------------ */

/* Goal, scope and impact, and the scope items. */
static void
build_lower_rows (UpgOverviewPage *self)
{
  UpgRecord *project = UPG_RECORD (self->project);
  GtkWidget *row;

  row = upg_text_card_new (project, UPG_PROJECT_GOAL, _("Goal"));
  gtk_widget_set_name (row, "overview-goal");
  add_to_group (self, self->goal_group, row);
  row = upg_text_card_new (project, UPG_PROJECT_SCOPE, _("Scope"));
  gtk_widget_set_name (row, "overview-scope");
  add_to_group (self, self->scope_group, row);
  row = upg_text_card_new (project, UPG_PROJECT_IMPACT, _("Impact"));
  gtk_widget_set_name (row, "overview-impact");
  add_to_group (self, self->impact_group, row);
  gtk_list_box_bind_model (self->items_list,
                           upg_record_get_children (project, &upg_entity_scope_item),
                           create_item_row, self, NULL);
}


static void
build_rows (UpgOverviewPage *self)
{
  UpgRecord *project = UPG_RECORD (self->project);
  GtkWidget *row;

  row = upg_entry_row_new (project, UPG_PROJECT_NAME, _("Name"));
  gtk_widget_set_name (row, "overview-name");
  add_to_group (self, self->project_group, row);
  row = upg_combo_row_new (project, UPG_PROJECT_KIND, _("Kind"));
  gtk_widget_set_name (row, "overview-kind");
  add_to_group (self, self->project_group, row);
  row = upg_combo_row_new (project, UPG_PROJECT_STATUS, _("Status"));
  gtk_widget_set_name (row, "overview-status");
  add_to_group (self, self->project_group, row);

  row = upg_entry_row_new (project, UPG_PROJECT_VERSION_FROM, _("Version From"));
  gtk_widget_set_name (row, "overview-version-from");
  add_to_group (self, self->versions_group, row);
  row = upg_entry_row_new (project, UPG_PROJECT_VERSION_TO, _("Version To"));
  gtk_widget_set_name (row, "overview-version-to");
  add_to_group (self, self->versions_group, row);
  self->build_row = upg_entry_row_new (project, UPG_PROJECT_BUILD_ID, _("Build Id"));
  gtk_widget_set_name (self->build_row, "overview-build-id");
  gtk_widget_set_tooltip_text (self->build_row, _("The build id is the tag or build number that identifies this release."));
  self->build_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (self->build_icon, "warning");
  gtk_widget_set_visible (self->build_icon, FALSE);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->build_row), self->build_icon);
  add_to_group (self, self->versions_group, self->build_row);
  update_build_warning (self);

  /* The zone the team works in, chosen first: the window is entered on
   * its clocks (stored in UTC), and the Overview and the notices show the
   * window in it. */
  row = upg_zone_row_new (project, UPG_PROJECT_TIME_ZONE, _("Time Zone"));
  gtk_widget_set_name (row, "overview-time-zone");
  add_to_group (self, self->window_group, row);
  self->start_row = upg_timestamp_row_new (project, UPG_PROJECT_WINDOW_START, _("Start"), check_window_cb,
                                           project, UPG_PROJECT_TIME_ZONE);
  gtk_widget_set_name (self->start_row, "overview-window-start");
  self->end_row = upg_timestamp_row_new (project, UPG_PROJECT_WINDOW_END, _("End"), check_window_cb,
                                         project, UPG_PROJECT_TIME_ZONE);
  gtk_widget_set_name (self->end_row, "overview-window-end");
  /* A refused end (before the start) is explained next to the fields. */
  upg_field_row_set_error_func (self->start_row, window_row_error_cb, self);
  upg_field_row_set_error_func (self->end_row, window_row_error_cb, self);
  add_to_group (self, self->window_group, self->start_row);
  add_to_group (self, self->window_group, self->end_row);
  row = upg_spin_row_new (project, UPG_PROJECT_ROLLBACK_TARGET_MINUTES, _("Rollback Target"),
                          _("Minutes to restore service if the upgrade is rolled back"), 1, 24 * 60);
  gtk_widget_set_name (row, "overview-rollback");
  add_to_group (self, self->window_group, row);
  update_window_description (self);

}

/* Builds every row of the details. A window opening on them does not wait
 * for this (see upg_overview_page_set_project). */
static void
build_all_rows (UpgOverviewPage *self)
{
  g_clear_handle_id (&self->build_id, g_source_remove);
  build_rows (self);
  build_lower_rows (self);
}

static gboolean
build_all_rows_idle (gpointer data)
{
  UpgOverviewPage *self = data;

  self->build_id = 0;
  build_all_rows (self);
  return G_SOURCE_REMOVE;
}

static gboolean
build_lower_rows_idle (gpointer data)
{
  UpgOverviewPage *self = data;

  self->lower_rows_id = 0;
  build_lower_rows (self);
  return G_SOURCE_REMOVE;
}

/* Edit Details ---------------------------------------------------------- */

static gboolean
details_shown (UpgOverviewPage *self)
{
  return g_settings_get_boolean (self->settings, "overview-details");
}

/* The details' rows are the only ones the page adds (clear_rows() takes
 * them away). */
static gboolean
details_built (UpgOverviewPage *self)
{
  return self->added->len > 0;
}

/* Builds the details' rows: now (the rows at the top, the rest at the next
 * idle, after the frame that shows the top), or, for a window opening,
 * right after its first frame (or at the next idle, if that comes first). */
static void
build_details (UpgOverviewPage *self,
               gboolean         after_first_frame)
{
  if (details_built (self) || self->build_id != 0 || self->project == NULL)
    return;
  if (after_first_frame)
    {
      self->build_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, build_all_rows_idle, self, NULL);
      return;
    }
  build_rows (self);
  self->lower_rows_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, build_lower_rows_idle, self, NULL);
}

static void
sync_details (UpgOverviewPage *self)
{
  AdwPreferencesGroup *groups[] = {
    self->project_group, self->versions_group, self->window_group, self->goal_group,
    self->scope_group, self->impact_group, self->items_group,
  };
  gboolean shown = details_shown (self);

  if (shown)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      build_details (self, root == NULL || !gtk_widget_get_mapped (GTK_WIDGET (root)));
    }
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    gtk_widget_set_visible (GTK_WIDGET (groups[i]), shown);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->details_row),
                                 shown ? _("Hide Details") : _("Edit Details"));
  gtk_image_set_from_icon_name (GTK_IMAGE (self->details_arrow), shown ? "pan-up-symbolic" : "pan-down-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->details_row), GTK_ACCESSIBLE_STATE_EXPANDED, shown, -1);
}

static void
details_row_activated_cb (UpgOverviewPage *self)
{
  upg_overview_page_show_details (self, !details_shown (self));
}

/* The first frame of the window is drawn: now the rows. */
static void
first_paint_cb (GdkFrameClock   *clock,
                UpgOverviewPage *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, self);
  if (self->build_id != 0)
    build_all_rows (self);
}

static void
disconnect_project (UpgOverviewPage *self)
{
  if (self->project == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->project, self);
  for (guint c = 0; upg_entity_project.children[c] != NULL; c++)
    {
      GListModel *children = upg_record_get_children (UPG_RECORD (self->project), upg_entity_project.children[c]);
      if (children != NULL)
        g_signal_handlers_disconnect_by_data (children, self);
    }
}

void
upg_overview_page_set_project (UpgOverviewPage *self,
                               UpgStore        *store,
                               UpgProject      *project)
{
  GtkRoot *root;

  g_return_if_fail (UPG_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (project == NULL || UPG_IS_STORE (store));

  disconnect_project (self);
  g_clear_handle_id (&self->build_id, g_source_remove);
  g_clear_handle_id (&self->lower_rows_id, g_source_remove);
  clear_rows (self);
  gtk_list_box_bind_model (self->items_list, NULL, NULL, NULL, NULL);
  g_set_object (&self->store, store);
  g_set_object (&self->project, project);

  /* The summary and the warnings come with the page's first frame; the
   * details when they are open (see build_details). */
  upg_overview_page_refresh_warnings (self);
  self->fresh = !gtk_widget_get_mapped (GTK_WIDGET (self));
  gtk_widget_set_visible (self->page, project != NULL);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (project != NULL && details_shown (self))
    build_details (self, root == NULL || !gtk_widget_get_mapped (GTK_WIDGET (root)));
  if (project != NULL)
    {
      g_signal_connect (project, "notify", G_CALLBACK (project_notify_cb), self);
      g_signal_connect (project, "notify::build-id", G_CALLBACK (build_id_notify_cb), self);
      g_signal_connect (project, "notify::window-start", G_CALLBACK (window_notify_cb), self);
      g_signal_connect (project, "notify::window-end", G_CALLBACK (window_notify_cb), self);
      for (guint c = 0; upg_entity_project.children[c] != NULL; c++)
        {
          GListModel *children = upg_record_get_children (UPG_RECORD (project), upg_entity_project.children[c]);
          if (children != NULL)
            g_signal_connect (children, "items-changed", G_CALLBACK (children_changed_cb), self);
        }
    }
  gtk_widget_set_sensitive (self->add_item_button, project != NULL);
}

gboolean
upg_overview_page_is_complete (UpgOverviewPage *self)
{
  g_return_val_if_fail (UPG_IS_OVERVIEW_PAGE (self), FALSE);
  return self->project != NULL
         && (!details_shown (self) || (details_built (self) && self->lower_rows_id == 0));
}

void
upg_overview_page_show_details (UpgOverviewPage *self,
                                gboolean         shown)
{
  g_return_if_fail (UPG_IS_OVERVIEW_PAGE (self));
  g_settings_set_boolean (self->settings, "overview-details", shown);
}


static void
upg_overview_page_dispose (GObject *object)
{
  UpgOverviewPage *self = UPG_OVERVIEW_PAGE (object);

  disconnect_project (self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->status_id, g_source_remove);
  g_clear_handle_id (&self->build_id, g_source_remove);
  g_clear_handle_id (&self->lower_rows_id, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->project);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (upg_overview_page_parent_class)->dispose (object);
}

static void
upg_overview_page_finalize (GObject *object)
{
  UpgOverviewPage *self = UPG_OVERVIEW_PAGE (object);

  g_ptr_array_unref (self->added);
  g_ptr_array_unref (self->warning_rows);
  G_OBJECT_CLASS (upg_overview_page_parent_class)->finalize (object);
}

static void
upg_overview_page_class_init (UpgOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_overview_page_dispose;
  object_class->finalize = upg_overview_page_finalize;

  /**
   * UpgOverviewPage::show-section:
   * @section: the section a warning is about ("team", "risks"…)
   */
  signals[SHOW_SECTION] =
    g_signal_new ("show-section", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * UpgOverviewPage::show-record:
   * @record: a record the summary links to (an open high risk)
   */
  signals[SHOW_RECORD] =
    g_signal_new ("show-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, UPG_TYPE_RECORD);

  g_type_ensure (UPG_TYPE_CARD_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, status_group);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, when_label);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, span_label);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, cards);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, milestones_card);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, milestones_value);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, milestones_detail);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, risks_card);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, risks_value);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, risks_detail);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, checklist_card);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, checklist_value);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, checklist_detail);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, notices_card);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, notices_value);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, notices_detail);
  gtk_widget_class_bind_template_callback (widget_class, notices_card_cb);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, risk_links);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, latest_label);
  gtk_widget_class_bind_template_callback (widget_class, milestones_card_cb);
  gtk_widget_class_bind_template_callback (widget_class, risks_card_cb);
  gtk_widget_class_bind_template_callback (widget_class, checklist_card_cb);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, page);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, warnings_group);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, details_row);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, details_arrow);
  gtk_widget_class_bind_template_callback (widget_class, details_row_activated_cb);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, project_group);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, versions_group);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, window_group);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, goal_group);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, scope_group);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, impact_group);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, items_group);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, items_list);
  gtk_widget_class_bind_template_child (widget_class, UpgOverviewPage, add_item_button);
  gtk_widget_class_bind_template_callback (widget_class, add_item_cb);
}

static void
upg_overview_page_init (UpgOverviewPage *self)
{
  GtkWidget *placeholder;

  self->added = g_ptr_array_new ();
  self->warning_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
  /* The group's list (its row says what it holds): named for screen
   * readers, which announce a list by its name. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_ancestor (self->details_row, GTK_TYPE_LIST_BOX)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Details"), -1);

  placeholder = gtk_label_new (_("No scope items yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->items_list, placeholder);
  upg_record_list_add_shortcuts (self->items_list);
  g_signal_connect_swapped (self, "map", G_CALLBACK (map_cb), self);

  self->settings = upg_settings_new ();
  g_signal_connect_object (self->settings, "changed::overview-details", G_CALLBACK (sync_details),
                           self, G_CONNECT_SWAPPED);
  sync_details (self);
}

GtkWidget *
upg_overview_page_new (void)
{
  return g_object_new (UPG_TYPE_OVERVIEW_PAGE, NULL);
}
