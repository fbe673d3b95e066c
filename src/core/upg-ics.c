/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-ics.c — milestones and the maintenance window as a calendar.
 *
 * iCalendar through libical: it folds lines, escapes text and writes the
 * VTIMEZONE; nothing here writes RFC 5545 syntax by hand. One all-day
 * VEVENT per dated milestone, one timed VEVENT for the window (in the
 * project's zone with its VTIMEZONE, or UTC). UIDs come from the project's
 * uid and the item's own (a renamed milestone keeps its entry), SEQUENCE
 * from calendar_sequence, DTSTAMP is the time of the export (the app's
 * clock), so a calendar that imports a newer export updates its entries;
 * the entries of milestones that went (cancelled_milestones) are published
 * once more as cancelled.
 */
#define G_LOG_DOMAIN "upg-ics"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libical/ical.h>

#include "upg-escape.h"
#include "upg-ics.h"
#include "upg-labels.h"
#include "upg-notify.h"
#include "upg-clock.h"



char *
upg_ics_uid (UpgProject *project,
             const char *item)
{
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);
  return g_strdup_printf ("%s-%s",
                          upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_UID), item);
}


static struct icaltimetype
ical_utc (GDateTime *dt)
{
  return icaltime_from_timet_with_zone (g_date_time_to_unix (dt), 0, icaltimezone_get_utc_timezone ());
}

static struct icaltimetype
ical_floating (GDateTime *dt)
{
  struct icaltimetype t = icaltime_null_time ();

  t.year = g_date_time_get_year (dt);
  t.month = g_date_time_get_month (dt);
  t.day = g_date_time_get_day_of_month (dt);
  t.hour = g_date_time_get_hour (dt);
  t.minute = g_date_time_get_minute (dt);
  t.second = g_date_time_get_second (dt);
  return t;
}

static struct icaltimetype
ical_date (const char *date)
{
  struct icaltimetype t = icaltime_null_date ();

  if (sscanf (date, "%4d-%2d-%2d", &t.year, &t.month, &t.day) != 3)
    return icaltime_null_date ();
  t.is_date = 1;
  return t;
}

/* The project's zone as libical knows it, or NULL for UTC (or a zone
 * libical does not have: then the times are written in UTC). */
static icaltimezone *
project_zone (UpgProject *project)
{
  const char *name = upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_TIME_ZONE);

  if (name == NULL || *name == '\0' || g_str_equal (name, "UTC") || g_str_equal (name, "Etc/UTC"))
    return NULL;
  return icaltimezone_get_builtin_timezone (name);
}

/* The zone's VTIMEZONE from @from on, its TZID the plain IANA name. */
static icalcomponent *
vtimezone_for (icaltimezone *zone,
               const char   *name,
               GDateTime    *from)
{
  icalcomponent *vtz = icalcomponent_new_clone (icaltimezone_get_component (zone));
  icalproperty *tzid = icalcomponent_get_first_property (vtz, ICAL_TZID_PROPERTY);
  /* A year before, or the start itself in year 1 (there is no year 0). */
  g_autoptr(GDateTime) year_before = g_date_time_add_years (from, -1);

  if (tzid != NULL)
    icalproperty_set_tzid (tzid, name);
  icaltimezone_truncate_vtimezone (vtz, ical_utc (year_before ? year_before : from), icaltime_null_time (), 1);
  return vtz;
}

static icalproperty *
timed (icalproperty *(*make) (struct icaltimetype),
       GDateTime     *utc,
       const char    *zone_name,
       icaltimezone  *zone)
{
  icalproperty *prop;

  if (zone == NULL)
    return make (ical_utc (utc));
  {
    g_autoptr(GTimeZone) tz = upg_notify_time_zone (zone_name);
    g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
    prop = make (ical_floating (local));
    icalproperty_add_parameter (prop, icalparameter_new_tzid (zone_name));
  }
  return prop;
}

/* UID, DTSTAMP, SEQUENCE and STATUS; @cancelled: the entry is cancelled
 * whatever the project's status, one SEQUENCE later than the others. */
static void
add_common (icalcomponent *event,
            UpgProject    *project,
            const char    *uid,
            GDateTime     *stamp,
            gboolean       cancelled)
{
  const char *status = upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_STATUS);
  int sequence = upg_record_get_int (UPG_RECORD (project), UPG_PROJECT_CALENDAR_SEQUENCE);

  if (cancelled && sequence < G_MAXINT)
    sequence++;
  cancelled = cancelled || g_strcmp0 (status, "cancelled") == 0;
  icalcomponent_add_property (event, icalproperty_new_uid (uid));
  icalcomponent_add_property (event, icalproperty_new_dtstamp (ical_utc (stamp)));
  icalcomponent_add_property (event, icalproperty_new_sequence (sequence));
  icalcomponent_add_property (event, icalproperty_new_status (
    cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
}

static icalcomponent *
new_calendar (void)
{
  icalcomponent *cal = icalcomponent_new_vcalendar ();

  icalcomponent_add_property (cal, icalproperty_new_prodid ("-//Upgrade Planner//" PACKAGE_VERSION "//EN"));
  icalcomponent_add_property (cal, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (cal, icalproperty_new_method (ICAL_METHOD_PUBLISH));
  return cal;
}

/* The window's texts in a group's language (a notice's attachment speaks
 * the notice's language: "en", "zh_CN"), or (@language NULL) in the app's. */
static gboolean
is_zh (const char *language)
{
  return g_strcmp0 (language, "zh_CN") == 0;
}

static char *
window_summary (const char *name,
                const char *language)
{
  if (language == NULL)
    /* TRANSLATORS: a calendar entry's title; %s is the project's name */
    return g_strdup_printf (_("Maintenance: %s"), name);
  return is_zh (language) ? g_strdup_printf ("维护：%s", name) : g_strdup_printf ("Maintenance: %s", name);
}

static void
append_versions (GString    *out,
                 const char *from,
                 const char *to,
                 const char *language)
{
  if (language == NULL)
    /* TRANSLATORS: in a calendar entry; the versions an upgrade goes from and to */
    g_string_append_printf (out, _("Versions: %s → %s"), from, to);
  else if (is_zh (language))
    g_string_append_printf (out, "版本：%s → %s", from, to);
  else
    g_string_append_printf (out, "Versions: %s → %s", from, to);
}

static const char *
window_label (gboolean    impact,
              const char *language)
{
  if (language == NULL)
    /* TRANSLATORS: in a calendar entry (the first: what users will notice) */
    return impact ? _("Impact: ") : _("Build: ");
  if (is_zh (language))
    return impact ? "影响：" : "构建号：";
  return impact ? "Impact: " : "Build: ";
}

/* Adds the window's VEVENT (and its VTIMEZONE) to @cal; FALSE when the
 * project has no window. */
static gboolean
add_window (icalcomponent *cal,
            UpgProject    *project,
            GDateTime     *stamp,
            const char    *language)
{
  UpgRecord *p = UPG_RECORD (project);
  g_autoptr(GDateTime) start = upg_timestamp_to_datetime (upg_record_get_string (p, UPG_PROJECT_WINDOW_START));
  g_autoptr(GDateTime) end = upg_timestamp_to_datetime (upg_record_get_string (p, UPG_PROJECT_WINDOW_END));
  const char *zone_name = upg_record_get_string (p, UPG_PROJECT_TIME_ZONE);
  icaltimezone *zone;
  icalcomponent *event;
  g_autofree char *summary = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  const char *from = upg_record_get_string (p, UPG_PROJECT_VERSION_FROM);
  const char *to = upg_record_get_string (p, UPG_PROJECT_VERSION_TO);
  const char *build = upg_record_get_string (p, UPG_PROJECT_BUILD_ID);
  const char *impact = upg_record_get_string (p, UPG_PROJECT_IMPACT);
  g_autofree char *window_uid = NULL;

  if (start == NULL)
    return FALSE;
  if (end == NULL)
    end = g_date_time_ref (start);

  zone = project_zone (project);
  if (zone != NULL)
    icalcomponent_add_component (cal, vtimezone_for (zone, zone_name, start));

  event = icalcomponent_new_vevent ();
  window_uid = upg_ics_uid (project, "window");
  add_common (event, project, window_uid, stamp, FALSE);
  icalcomponent_add_property (event, timed (icalproperty_new_dtstart, start, zone_name, zone));
  icalcomponent_add_property (event, timed (icalproperty_new_dtend, end, zone_name, zone));
  summary = window_summary (upg_project_get_name (project), language);
  icalcomponent_add_property (event, icalproperty_new_summary (summary));
  if (from != NULL || to != NULL)
    append_versions (description, from ? from : "?", to ? to : "?", language);
  if (build != NULL && *build != '\0')
    g_string_append_printf (description, "%s%s", description->len ? "\n" : "", window_label (FALSE, language)),
    g_string_append (description, build);
  if (impact != NULL && *impact != '\0')
    g_string_append_printf (description, "%s%s%s", description->len ? "\n" : "", window_label (TRUE, language),
                            impact);
  if (description->len)
    icalcomponent_add_property (event, icalproperty_new_description (description->str));
  icalcomponent_add_property (event, icalproperty_new_transp (ICAL_TRANSP_OPAQUE));
  icalcomponent_add_component (cal, event);
  return TRUE;
}

static GBytes *
calendar_bytes (icalcomponent *cal)
{
  char *text = icalcomponent_as_ical_string_r (cal);
  GString *copy = g_string_new (text);   /* NUL-terminated bytes */

  icalmemory_free_buffer (text);
  return g_string_free_to_bytes (copy);
}

/* What the window's calendar is made of: the same text and time, the same
 * bytes. */
static char *
window_key (UpgProject *project,
            GDateTime  *stamp)
{
  static const guint fields[] = {
    UPG_PROJECT_UID, UPG_PROJECT_NAME, UPG_PROJECT_STATUS, UPG_PROJECT_IMPACT,
    UPG_PROJECT_VERSION_FROM, UPG_PROJECT_VERSION_TO, UPG_PROJECT_BUILD_ID,
    UPG_PROJECT_WINDOW_START, UPG_PROJECT_WINDOW_END, UPG_PROJECT_TIME_ZONE,
    UPG_PROJECT_UPDATED_AT,
  };
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = upg_record_get_string (UPG_RECORD (project), fields[i]);
      /* Lengths first, so no two projects make one key. */
      g_string_append_printf (key, "%d:%s\x1f", value ? (int) strlen (value) : -1, value ? value : "");
    }
  g_string_append_printf (key, "%d\x1f%" G_GINT64_FORMAT,
                          upg_record_get_int (UPG_RECORD (project), UPG_PROJECT_CALENDAR_SEQUENCE),
                          g_date_time_to_unix (stamp));
  return g_string_free (key, FALSE);
}

GBytes *
upg_ics_window (UpgProject *project,
                GError    **error)
{
  return upg_ics_window_in (project, NULL, error);
}

GBytes *
upg_ics_window_in (UpgProject *project,
                   const char *language,
                   GError    **error)
{
  /* The last one made: every notice of a project attaches the same one. */
  static GMutex lock;
  static char *last_key;
  static GBytes *last_bytes;
  g_autofree char *key = NULL;
  g_autoptr(GDateTime) stamp = NULL;
  icalcomponent *cal;
  GBytes *bytes;

  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  stamp = upg_clock_now ();
  key = window_key (project, stamp);
  {
    g_autofree char *plain = g_steal_pointer (&key);
    key = g_strdup_printf ("%s\x1f%s", plain, language ? language : "");
  }
  g_mutex_lock (&lock);
  if (last_key != NULL && g_str_equal (last_key, key))
    {
      bytes = g_bytes_ref (last_bytes);
      g_mutex_unlock (&lock);
      return bytes;
    }
  g_mutex_unlock (&lock);

  cal = new_calendar ();
  if (!add_window (cal, project, stamp, language))
    {
      icalcomponent_free (cal);
      g_set_error (error, UPG_EXPORT_ERROR, UPG_EXPORT_ERROR_FAILED,
                   _("The project has no maintenance window"));
      return NULL;
    }
  bytes = calendar_bytes (cal);
  icalcomponent_free (cal);
  g_mutex_lock (&lock);
  g_free (last_key);
  g_clear_pointer (&last_bytes, g_bytes_unref);
  last_key = g_steal_pointer (&key);
  last_bytes = g_bytes_ref (bytes);
  g_mutex_unlock (&lock);
  return bytes;
}

/* An all-day VEVENT on @date with its UID, times, status and title. */
static icalcomponent *
all_day_event (UpgProject *project,
               const char *uid,
               const char *date,
               const char *title,
               GDateTime  *stamp,
               gboolean    cancelled)
{
  struct icaltimetype due = ical_date (date);
  struct icaltimetype next = due;
  icalcomponent *event = icalcomponent_new_vevent ();
  g_autofree char *summary = NULL;

  icaltime_adjust (&next, 1, 0, 0, 0);
  add_common (event, project, uid, stamp, cancelled);
  icalcomponent_add_property (event, icalproperty_new_dtstart (due));
  icalcomponent_add_property (event, icalproperty_new_dtend (next));
  /* TRANSLATORS: a calendar entry's title: the project's name, then the milestone's */
  summary = g_strdup_printf (_("%s: %s"), upg_project_get_name (project), title);
  icalcomponent_add_property (event, icalproperty_new_summary (summary));
  return event;
}

static GBytes *
export_ics (UpgProject *project)
{
  g_autoptr(GDateTime) stamp = upg_clock_now ();
  GListModel *milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
  GListModel *cancelled = upg_record_get_children (UPG_RECORD (project), &upg_entity_cancelled_milestone);
  const char *project_uid = upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_UID);
  icalcomponent *cal = new_calendar ();
  GBytes *bytes;

  add_window (cal, project, stamp, NULL);
  for (guint i = 0, n = milestones ? g_list_model_get_n_items (milestones) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (milestones, i);
      const char *done = upg_record_get_string (m, UPG_MILESTONE_DONE);
      g_autofree char *uid = NULL;
      icalcomponent *event;
      g_autoptr(GString) description = g_string_new (NULL);
      int percent = upg_record_get_int (m, UPG_MILESTONE_ROLLOUT_PERCENT);

      if (upg_record_get_string (m, UPG_MILESTONE_DUE) == NULL)
        continue;
      uid = upg_milestone_calendar_uid (project_uid, m);
      event = all_day_event (project, uid, upg_record_get_string (m, UPG_MILESTONE_DUE),
                             upg_record_get_string (m, UPG_MILESTONE_TITLE), stamp, FALSE);
      g_string_append (description, upg_enum_label (upg_milestone_kinds, upg_record_get_string (m, UPG_MILESTONE_KIND)));
      if (percent != UPG_INT_NULL)
        /* TRANSLATORS: in a calendar entry: a gray release stage's share of users */
        g_string_append_printf (description, "\n%s%d %%", _("Rollout: "), percent);
      if (done != NULL)
        /* TRANSLATORS: in a calendar entry, followed by a date */
        g_string_append_printf (description, "\n%s%s", _("Done: "), done);
      icalcomponent_add_property (event, icalproperty_new_description (description->str));
      icalcomponent_add_property (event, icalproperty_new_transp (ICAL_TRANSP_TRANSPARENT));
      icalcomponent_add_component (cal, event);
    }
  /* The entries of milestones deleted or dropped since, cancelled. */
  for (guint i = 0, n = cancelled ? g_list_model_get_n_items (cancelled) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) c = g_list_model_get_item (cancelled, i);
      icalcomponent *event;

      if (upg_record_get_string (c, UPG_CANCELLED_MILESTONE_DUE) == NULL)
        continue;
      event = all_day_event (project, upg_record_get_string (c, UPG_CANCELLED_MILESTONE_CALENDAR_UID),
                             upg_record_get_string (c, UPG_CANCELLED_MILESTONE_DUE),
                             upg_record_get_string (c, UPG_CANCELLED_MILESTONE_TITLE), stamp, TRUE);
      icalcomponent_add_property (event, icalproperty_new_transp (ICAL_TRANSP_TRANSPARENT));
      icalcomponent_add_component (cal, event);
    }
  bytes = calendar_bytes (cal);
  icalcomponent_free (cal);
  return bytes;
}

static GBytes *
export_csv (UpgProject *project,
            UpgCsvForm  form)
{
  GListModel *milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
  GListModel *gone = upg_record_get_children (UPG_RECORD (project), &upg_entity_cancelled_milestone);
  const char *project_uid = upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_UID);
  UpgRecord *p = UPG_RECORD (project);
  gboolean cancelled = g_strcmp0 (upg_record_get_string (p, UPG_PROJECT_STATUS), "cancelled") == 0;
  const char *status = cancelled ? "cancelled" : "confirmed";
  const char *status_label = cancelled ? C_("calendar event", "Cancelled") : C_("calendar event", "Confirmed");
  int sequence = upg_record_get_int (p, UPG_PROJECT_CALENDAR_SEQUENCE);
  g_autofree char *window_uid = upg_ics_uid (project, "window");
  const char *start = upg_record_get_string (p, UPG_PROJECT_WINDOW_START);
  UpgCsv csv;

  upg_csv_init (&csv, form);
  upg_csv_column (&csv, "uid", N_("Calendar ID"));
  upg_csv_column (&csv, "kind", N_("Kind"));
  upg_csv_column (&csv, "title", N_("Title"));
  upg_csv_column (&csv, "start", N_("Start"));
  upg_csv_column (&csv, "end", N_("End"));
  upg_csv_column (&csv, "done", N_("Done"));
  upg_csv_column (&csv, "rollout_percent", N_("Rollout Percent"));
  upg_csv_column (&csv, "status", N_("Status"));
  upg_csv_column (&csv, "sequence", N_("Sequence"));
  upg_csv_end_row (&csv);
  if (start != NULL)
    {
      const char *end = upg_record_get_string (p, UPG_PROJECT_WINDOW_END);
      g_autofree char *title = g_strdup_printf (_("Maintenance: %s"), upg_project_get_name (project));

      upg_csv_text (&csv, window_uid);
      upg_csv_labelled (&csv, "maintenance_window", _("Maintenance window"));
      upg_csv_text (&csv, title);
      upg_csv_text (&csv, start);
      upg_csv_text (&csv, end ? end : start);
      upg_csv_empty (&csv);
      upg_csv_empty (&csv);
      upg_csv_labelled (&csv, status, status_label);
      upg_csv_int (&csv, sequence);
      upg_csv_end_row (&csv);
    }
  /* Every milestone, dated or not, in plan order. */
  for (guint i = 0; milestones != NULL && i < g_list_model_get_n_items (milestones); i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (milestones, i);
      const char *due = upg_record_get_string (m, UPG_MILESTONE_DUE);
      const char *done = upg_record_get_string (m, UPG_MILESTONE_DONE);
      int percent = upg_record_get_int (m, UPG_MILESTONE_ROLLOUT_PERCENT);

      if (due != NULL)
        {
          g_autofree char *uid = upg_milestone_calendar_uid (project_uid, m);
          upg_csv_text (&csv, uid);
        }
      else
        upg_csv_empty (&csv);
      upg_csv_word (&csv, upg_milestone_kinds, upg_record_get_string (m, UPG_MILESTONE_KIND));
      upg_csv_text (&csv, upg_record_get_string (m, UPG_MILESTONE_TITLE));
      upg_csv_text (&csv, due);
      upg_csv_text (&csv, due);
      upg_csv_text (&csv, done);
      if (percent != UPG_INT_NULL)
        upg_csv_int (&csv, percent);
      else
        upg_csv_empty (&csv);
      upg_csv_labelled (&csv, status, status_label);
      upg_csv_int (&csv, sequence);
      upg_csv_end_row (&csv);
    }
  /* Then the entries cancelled since, as the calendar has them. */
  for (guint i = 0, n = gone ? g_list_model_get_n_items (gone) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) c = g_list_model_get_item (gone, i);
      const char *due = upg_record_get_string (c, UPG_CANCELLED_MILESTONE_DUE);

      if (due == NULL)
        continue;
      upg_csv_text (&csv, upg_record_get_string (c, UPG_CANCELLED_MILESTONE_CALENDAR_UID));
      upg_csv_word (&csv, upg_milestone_kinds, upg_record_get_string (c, UPG_CANCELLED_MILESTONE_KIND));
      upg_csv_text (&csv, upg_record_get_string (c, UPG_CANCELLED_MILESTONE_TITLE));
      upg_csv_text (&csv, due);
      upg_csv_text (&csv, due);
      upg_csv_empty (&csv);
      upg_csv_empty (&csv);
      upg_csv_labelled (&csv, "cancelled", C_("calendar event", "Cancelled"));
      upg_csv_int (&csv, sequence < G_MAXINT ? sequence + 1 : sequence);
      upg_csv_end_row (&csv);
    }
  return upg_csv_finish (&csv);
}

GBytes *
upg_ics_export_project (UpgProject *project,
                        const char *format,
                        UpgCsvForm  csv_form,
                        GError    **error)
{
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  if (g_strcmp0 (format, "csv") == 0)
    return export_csv (project, csv_form);
  return export_ics (project);
}

GBytes *
upg_export_milestones (UpgStore                *store,
                       gint64                   project_id,
                       const UpgExportOptions  *options,
                       GError                 **error)
{
  g_autoptr(UpgProject) project = upg_store_lookup_project (store, project_id, error);

  if (project == NULL || !upg_store_load_children (store, UPG_RECORD (project), error))
    return NULL;
  return upg_ics_export_project (project, options->format, options->csv_form, error);
}
