/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-notify.c — moments, audiences, templates, rendering and drafts. */
#define G_LOG_DOMAIN "upg-notify"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-escape.h"
#include "upg-notify.h"
#include "upg-ics.h"
#include "upg-labels.h"
#include "upg-sop.h"
#include "upg-template.h"
#include "upg-template-resources.h"
#include "upg-zone.h"
#include "upg-clock.h"

G_DEFINE_QUARK (upg-notify-error-quark, upg_notify_error)

#define TEMPLATE_RESOURCE "/io/github/upgrade_planner/UpgradePlanner/templates/%s.%s.txt"

/* ---- Moments ----------------------------------------------------------- */

const char *
upg_notify_parse_moment (const char *text)
{
  g_autofree char *word = NULL;
  int i;

  if (text == NULL)
    return NULL;
  word = g_strdelimit (g_strdup (text), "-", '_');
  i = upg_enum_index (upg_moments, word);
  return i < 0 ? NULL : upg_moments[i];
}

const char *
upg_notify_moment_label (const char *moment)
{
  return upg_enum_label (upg_moments, moment);
}

gboolean
upg_notify_moment_has_calendar (const char *moment)
{
  return g_strcmp0 (moment, "advance_notice") == 0 || g_strcmp0 (moment, "reminder") == 0 ||
         g_strcmp0 (moment, "delayed") == 0 || g_strcmp0 (moment, "cancelled") == 0;
}

static gboolean
any_step_checked (GListModel *steps,
                  const char *phase,
                  gboolean    required_open)
{
  for (guint i = 0; steps != NULL && i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      gboolean done = upg_sop_step_is_done (step);

      if (required_open)
        {
          if (!done && upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED))
            return TRUE;
        }
      else if (done && g_strcmp0 (upg_record_get_string (step, UPG_SOP_STEP_PHASE), phase) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
status_in (const char *status,
           const char *first,
           ...) G_GNUC_NULL_TERMINATED;

static gboolean
status_in (const char *status,
           const char *first,
           ...)
{
  va_list args;
  gboolean found = FALSE;

  va_start (args, first);
  for (const char *s = first; s != NULL && !found; s = va_arg (args, const char *))
    found = g_strcmp0 (status, s) == 0;
  va_end (args);
  return found;
}

/* "2026-12-05 09:00 (Asia/Shanghai)": a time of the window, for a reason. */
static char *
window_time (UpgRecord *project,
             guint      field)
{
  return upg_zone_format_time (upg_record_get_string (project, field),
                               upg_record_get_string (project, UPG_PROJECT_TIME_ZONE));
}

char *
upg_notify_moment_misfit (UpgProject *project,
                          const char *moment,
                          GDateTime  *now)
{
  UpgRecord *p;
  GListModel *steps;
  const char *status;
  const char *status_label;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GDateTime) start = NULL;
  gboolean started;

  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  p = UPG_RECORD (project);
  steps = upg_record_get_children (p, &upg_entity_sop_step);
  status = upg_record_get_string (p, UPG_PROJECT_STATUS);
  status_label = upg_enum_label (upg_project_statuses, status);
  at = now ? g_date_time_ref (now) : upg_clock_now ();
  start = upg_timestamp_to_datetime (upg_record_get_string (p, UPG_PROJECT_WINDOW_START));
  started = start != NULL && g_date_time_compare (at, start) >= 0;

  if (g_strcmp0 (status, "cancelled") == 0 &&
      g_strcmp0 (moment, "cancelled") != 0 && g_strcmp0 (moment, "retrospective") != 0)
    return g_strdup (_("The project is cancelled: send the “Cancelled” notice instead"));

  if (g_strcmp0 (moment, "advance_notice") == 0 || g_strcmp0 (moment, "reminder") == 0)
    {
      if (g_strcmp0 (status, "rolled_back") == 0)
        return g_strdup (_("The upgrade was rolled back: send the “Rolled back” notice instead"));
      if (!status_in (status, "planning", "preparing", "validating", NULL))
        /* TRANSLATORS: %s is the project's status ("Gray release") */
        return g_strdup_printf (_("The project’s status is “%s”: a notice before the window no longer fits"),
                                status_label);
      if (started)
        {
          g_autofree char *when = window_time (p, UPG_PROJECT_WINDOW_START);
          /* TRANSLATORS: %s is a time with its zone: "2026-12-05 09:00 (Asia/Shanghai)" */
          return g_strdup_printf (_("The window started at %s: a notice before it is too late"), when);
        }
      return NULL;
    }

  if (g_strcmp0 (moment, "started") == 0)
    {
      if (g_strcmp0 (status, "rolled_back") == 0)
        return g_strdup (_("The upgrade was rolled back: send the “Rolled back” notice instead"));
      if (status_in (status, "live", "done", NULL))
        return g_strdup_printf (_("The project’s status is “%s”: the upgrade is over"), status_label);
      if (g_strcmp0 (status, "gray_release") == 0 || started ||
          any_step_checked (steps, "gray_release", FALSE) || any_step_checked (steps, "go_live", FALSE))
        return NULL;
      if (start != NULL)
        {
          g_autofree char *when = window_time (p, UPG_PROJECT_WINDOW_START);
          return g_strdup_printf (_("The window starts at %s: the upgrade has not started yet"), when);
        }
      return g_strdup_printf (_("The project’s status is “%s”: the upgrade has not started yet"), status_label);
    }

  if (g_strcmp0 (moment, "completed") == 0)
    {
      if (g_strcmp0 (status, "rolled_back") == 0)
        return g_strdup (_("The upgrade was rolled back: send the “Rolled back” notice instead"));
      if (!status_in (status, "live", "done", NULL))
        return g_strdup_printf (_("The project’s status is “%s”: the upgrade is not complete"), status_label);
      return NULL;
    }

  if (g_strcmp0 (moment, "delayed") == 0)
    {
      if (g_strcmp0 (status, "rolled_back") == 0)
        return g_strdup (_("The upgrade was rolled back: send the “Rolled back” notice instead"));
      if (status_in (status, "live", "done", NULL))
        return g_strdup_printf (_("The project’s status is “%s”: the upgrade is over"), status_label);
      if (!started && start != NULL)
        {
          g_autofree char *when = window_time (p, UPG_PROJECT_WINDOW_START);
          return g_strdup_printf (_("The window starts at %s: to move it, change it in Overview and send the advance notice again"),
                                  when);
        }
      if (g_strcmp0 (status, "planning") == 0)
        return g_strdup_printf (_("The project’s status is “%s”: the upgrade has not started yet"), status_label);
      return NULL;
    }

  if (g_strcmp0 (moment, "rolled_back") == 0)
    {
      if (g_strcmp0 (status, "rolled_back") == 0 || any_step_checked (steps, "rollback", FALSE))
        return NULL;
      return g_strdup_printf (_("Nothing was rolled back: the project’s status is “%s” and no rollback step is checked"),
                              status_label);
    }

  if (g_strcmp0 (moment, "retrospective") == 0)
    {
      UpgRecord *retro = upg_project_get_retro (project);

      if (retro == NULL)
        return g_strdup (_("There is no retrospective yet: write it in Retrospective"));
      if (upg_text_is_blank (upg_record_get_string (retro, UPG_RETRO_SUMMARY)))
        return g_strdup (_("The retrospective has no summary yet: write it in Retrospective"));
      return NULL;
    }

  if (g_strcmp0 (moment, "cancelled") == 0)
    {
      if (g_strcmp0 (status, "cancelled") != 0)
        return g_strdup_printf (_("The project’s status is “%s”, not “Cancelled”: change it in Overview first"),
                                status_label);
      return NULL;
    }
  return NULL;
}

gboolean
upg_notify_moment_called_for (UpgProject *project,
                              const char *moment,
                              GDateTime  *now)
{
  GListModel *steps;

  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);

  /* Never a moment that does not fit. */
  {
    g_autofree char *misfit = upg_notify_moment_misfit (project, moment, now);
    if (misfit != NULL)
      return FALSE;
  }

  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  if (g_strcmp0 (moment, "cancelled") == 0 || g_strcmp0 (moment, "completed") == 0)
    return TRUE;   /* the status says so */
  if (g_strcmp0 (moment, "started") == 0)
    return any_step_checked (steps, "gray_release", FALSE) || any_step_checked (steps, "go_live", FALSE);
  if (g_strcmp0 (moment, "rolled_back") == 0)
    return TRUE;   /* a rollback step is checked, or the status says so */
  if (g_strcmp0 (moment, "retrospective") == 0)
    return TRUE;   /* it is written */
  if (g_strcmp0 (moment, "delayed") == 0)
    {
      g_autoptr(GDateTime) end = upg_timestamp_to_datetime (
        upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_WINDOW_END));
      g_autoptr(GDateTime) at = now ? g_date_time_ref (now) : upg_clock_now ();

      return end != NULL && g_date_time_compare (at, end) > 0 && any_step_checked (steps, NULL, TRUE);
    }
  return FALSE;
}

const char **
upg_notify_offered_moments (UpgProject *project,
                            GDateTime  *now,
                            guint      *n_called_for)
{
  guint n = upg_enum_count (upg_moments);
  const char **offered = g_new0 (const char *, n + 1);
  guint k = 0;

  for (guint i = 0; i < n; i++)
    if (upg_notify_moment_called_for (project, upg_moments[i], now))
      offered[k++] = upg_moments[i];
  if (n_called_for != NULL)
    *n_called_for = k;
  for (guint i = 0; i < n; i++)
    if (!g_strv_contains (offered, upg_moments[i]))
      offered[k++] = upg_moments[i];
  return offered;
}

/* ---- People and groups ------------------------------------------------- */

UpgRecord *
upg_notify_project_manager (UpgProject *project)
{
  GListModel *team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
  UpgRecord *first = NULL;

  for (guint i = 0; team != NULL && i < g_list_model_get_n_items (team); i++)
    {
      g_autoptr(UpgRecord) member = g_list_model_get_item (team, i);

      if (g_strcmp0 (upg_record_get_string (member, UPG_MEMBER_ROLE), "project_manager") != 0)
        continue;
      if (upg_record_get_string (member, UPG_MEMBER_EMAIL) != NULL)
        return member;   /* the list holds it */
      if (first == NULL)
        first = member;
    }
  return first;
}

UpgRecord *
upg_notify_find_group (UpgProject *project,
                       const char *name)
{
  GListModel *groups = upg_record_get_children (UPG_RECORD (project), &upg_entity_group);

  for (guint i = 0; groups != NULL && i < g_list_model_get_n_items (groups); i++)
    {
      g_autoptr(UpgRecord) group = g_list_model_get_item (groups, i);
      if (g_strcmp0 (upg_record_get_string (group, UPG_GROUP_NAME), name) == 0)
        return group;
    }
  return NULL;
}

GPtrArray *
upg_notify_groups_for (UpgProject *project,
                       const char *moment)
{
  GListModel *groups = upg_record_get_children (UPG_RECORD (project), &upg_entity_group);
  GPtrArray *hearing = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; groups != NULL && i < g_list_model_get_n_items (groups); i++)
    {
      g_autoptr(UpgRecord) group = g_list_model_get_item (groups, i);
      const char * const *moments = upg_record_get_strv (group, UPG_GROUP_MOMENTS);

      if (moments != NULL && g_strv_contains (moments, moment))
        g_ptr_array_add (hearing, g_steal_pointer (&group));
    }
  return hearing;
}

UpgRecord *
upg_notify_last_notice (UpgProject *project,
                        const char *moment,
                        const char *group)
{
  GListModel *notices = upg_record_get_children (UPG_RECORD (project), &upg_entity_notice);
  UpgRecord *last = NULL;

  for (guint i = 0; notices != NULL && i < g_list_model_get_n_items (notices); i++)
    {
      g_autoptr(UpgRecord) notice = g_list_model_get_item (notices, i);

      if (g_strcmp0 (upg_record_get_string (notice, UPG_NOTICE_MOMENT), moment) == 0 &&
          g_strcmp0 (upg_record_get_string (notice, UPG_NOTICE_GROUP), group) == 0 &&
          (last == NULL || g_strcmp0 (upg_record_get_string (notice, UPG_NOTICE_AT),
                                      upg_record_get_string (last, UPG_NOTICE_AT)) >= 0))
        last = notice;
    }
  return last;
}

/* ---- Templates --------------------------------------------------------- */

gboolean
upg_notify_builtin_template (const char  *moment,
                             const char  *language,
                             char       **subject,
                             char       **body)
{
  /* GResource data is static: each template is split once and kept. */
  static const char *subjects[16][2];
  static const char *bodies[16][2];
  static GMutex lock;
  int m = upg_enum_index (upg_moments, moment);
  int l = upg_enum_index (upg_languages, language);

  /* Keeps the resources' object linked in from the static library. */
  (void) upg_templates_get_resource ();

  if (m < 0 || l < 0)
    return FALSE;
  g_assert ((guint) m < G_N_ELEMENTS (subjects) && (guint) l < G_N_ELEMENTS (subjects[0]));
  g_mutex_lock (&lock);
  if (subjects[m][l] == NULL)
    {
      g_autofree char *path = g_strdup_printf (TEMPLATE_RESOURCE, moment, language);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      const char *text, *nl;

      if (bytes == NULL)
        {
          g_mutex_unlock (&lock);
          return FALSE;
        }
      text = g_bytes_get_data (bytes, NULL);
      g_assert (g_str_has_prefix (text, "Subject: "));
      nl = strchr (text, '\n');
      g_assert (nl != NULL && nl[1] == '\n');
      {
        g_autofree char *first = g_strndup (text + strlen ("Subject: "), nl - text - strlen ("Subject: "));
        subjects[m][l] = g_intern_string (first);
      }
      bodies[m][l] = g_intern_string (nl + 2);
    }
  g_mutex_unlock (&lock);
  *subject = g_strdup (subjects[m][l]);
  *body = g_strdup (bodies[m][l]);
  return TRUE;
}

UpgRecord *
upg_notify_find_template (UpgProject *project,
                          const char *moment,
                          const char *language)
{
  GListModel *templates = upg_record_get_children (UPG_RECORD (project), &upg_entity_email_template);

  for (guint i = 0; templates != NULL && i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(UpgRecord) t = g_list_model_get_item (templates, i);
      if (g_strcmp0 (upg_record_get_string (t, UPG_EMAIL_TEMPLATE_MOMENT), moment) == 0 &&
          g_strcmp0 (upg_record_get_string (t, UPG_EMAIL_TEMPLATE_LANGUAGE), language) == 0)
        return t;
    }
  return NULL;
}

/* ---- The window as the group reads it ---------------------------------- */

GTimeZone *
upg_notify_time_zone (const char *identifier)
{
  /* GLib reads and parses the zone's file on each call: a notice for each
   * of a hundred groups would read it hundreds of times. */
  static GMutex lock;
  static GHashTable *zones;
  GTimeZone *zone;

  g_return_val_if_fail (identifier != NULL, NULL);

  g_mutex_lock (&lock);
  if (zones == NULL)
    zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_time_zone_unref);
  zone = g_hash_table_lookup (zones, identifier);
  if (zone == NULL)
    {
      zone = g_time_zone_new_identifier (identifier);
      if (zone != NULL)
        g_hash_table_insert (zones, g_strdup (identifier), zone);
    }
  g_mutex_unlock (&lock);
  return zone ? g_time_zone_ref (zone) : NULL;
}

static const char * const en_weekdays[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
static const char * const en_months[] = { "January", "February", "March", "April", "May", "June", "July",
                                          "August", "September", "October", "November", "December" };
static const char * const zh_weekdays[] = { "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日" };

static gboolean
is_zh (const char *language)
{
  return g_strcmp0 (language, "zh_CN") == 0;
}

/* "Saturday 5 December 2026" / "2026年12月5日（星期六）" */
static char *
format_date (GDateTime  *dt,
             const char *language)
{
  int wd = g_date_time_get_day_of_week (dt) - 1;

  if (is_zh (language))
    return g_strdup_printf ("%d年%d月%d日（%s）", g_date_time_get_year (dt), g_date_time_get_month (dt),
                            g_date_time_get_day_of_month (dt), zh_weekdays[wd]);
  return g_strdup_printf ("%s %d %s %d", en_weekdays[wd], g_date_time_get_day_of_month (dt),
                          en_months[g_date_time_get_month (dt) - 1], g_date_time_get_year (dt));
}

static char *
format_hm (GDateTime *dt)
{
  return g_date_time_format (dt, "%H:%M");
}

static gboolean
zone_is_utc (const char *zone)
{
  return zone == NULL || g_str_equal (zone, "UTC") || g_str_equal (zone, "Etc/UTC");
}

/* "UTC+08:00" */
static char *
format_offset (GDateTime *dt)
{
  gint64 offset = g_date_time_get_utc_offset (dt) / G_TIME_SPAN_MINUTE;
  char sign = offset < 0 ? '-' : '+';

  offset = ABS (offset);
  return g_strdup_printf ("UTC%c%02d:%02d", sign, (int) (offset / 60), (int) (offset % 60));
}

/* The zone's short name when it has a real one ("CST"), else "". */
static const char *
zone_abbreviation (GDateTime *dt)
{
  const char *abbrev = g_date_time_get_timezone_abbreviation (dt);
  return abbrev != NULL && g_ascii_isalpha (abbrev[0]) ? abbrev : "";
}

/* " CST (Asia/Shanghai, UTC+08:00)" or " UTC"; @brief leaves out the name. */
static char *
format_zone (GDateTime  *dt,
             const char *zone,
             const char *language,
             gboolean    brief)
{
  g_autofree char *offset = NULL;
  const char *abbrev;

  if (zone_is_utc (zone))
    return g_strdup (" UTC");
  offset = format_offset (dt);
  abbrev = zone_abbreviation (dt);
  if (is_zh (language))
    return brief ? g_strdup_printf ("%s%s（%s）", *abbrev ? " " : "", abbrev, offset)
                 : g_strdup_printf ("%s%s（%s，%s）", *abbrev ? " " : "", abbrev, zone, offset);
  return brief ? g_strdup_printf ("%s%s (%s)", *abbrev ? " " : "", abbrev, offset)
               : g_strdup_printf ("%s%s (%s, %s)", *abbrev ? " " : "", abbrev, zone, offset);
}

/* "Saturday 5 December 2026, 09:00" / "2026年12月5日（星期六）09:00" */
static char *
format_date_time (GDateTime  *dt,
                  const char *language)
{
  g_autofree char *date = format_date (dt, language);
  g_autofree char *hm = format_hm (dt);

  return g_strdup_printf (is_zh (language) ? "%s%s" : "%s, %s", date, hm);
}

static char *
format_length (GTimeSpan   span,
               const char *language)
{
  gint64 minutes = span / G_TIME_SPAN_MINUTE;
  gint64 days = minutes / (24 * 60), hours = (minutes / 60) % 24, mins = minutes % 60;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean zh = is_zh (language);

  if (days > 0)
    g_string_append_printf (out, zh ? "%" G_GINT64_FORMAT " 天" : "%" G_GINT64_FORMAT " day%s",
                            days, days == 1 ? "" : "s");
  if (hours > 0)
    g_string_append_printf (out, zh ? "%s%" G_GINT64_FORMAT " 小时" : "%s%" G_GINT64_FORMAT " hour%s",
                            out->len ? " " : "", hours, hours == 1 ? "" : "s");
  if (mins > 0 || out->len == 0)
    g_string_append_printf (out, zh ? "%s%" G_GINT64_FORMAT " 分钟" : "%s%" G_GINT64_FORMAT " minute%s",
                            out->len ? " " : "", mins, mins == 1 ? "" : "s");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The window's start–end in @zone: "Saturday 5 December 2026, 09:00–11:00"
 * followed by the zone. */
static char *
format_range (GDateTime  *start,
              GDateTime  *end,
              const char *zone,
              const char *language,
              gboolean    brief)
{
  g_autofree char *from = format_date_time (start, language);
  g_autofree char *zone_text = format_zone (end, zone, language, brief);
  g_autofree char *to = NULL;

  if (g_date_time_get_year (start) == g_date_time_get_year (end) &&
      g_date_time_get_day_of_year (start) == g_date_time_get_day_of_year (end))
    {
      to = format_hm (end);
      return g_strdup_printf ("%s–%s%s", from, to, zone_text);
    }
  to = format_date_time (end, language);
  return g_strdup_printf ("%s – %s%s", from, to, zone_text);
}

typedef struct {
  GDateTime *start, *end;          /* in the zone */
  GDateTime *start_utc, *end_utc;
  char      *zone;
} Window;

static void
window_clear (Window *w)
{
  g_clear_pointer (&w->start, g_date_time_unref);
  g_clear_pointer (&w->end, g_date_time_unref);
  g_clear_pointer (&w->start_utc, g_date_time_unref);
  g_clear_pointer (&w->end_utc, g_date_time_unref);
  g_clear_pointer (&w->zone, g_free);
}

static gboolean
window_init (Window     *w,
             UpgProject *project,
             const char *zone)
{
  UpgRecord *p = UPG_RECORD (project);
  g_autoptr(GTimeZone) tz = NULL;

  memset (w, 0, sizeof *w);
  w->start_utc = upg_timestamp_to_datetime (upg_record_get_string (p, UPG_PROJECT_WINDOW_START));
  w->end_utc = upg_timestamp_to_datetime (upg_record_get_string (p, UPG_PROJECT_WINDOW_END));
  if (zone == NULL)
    zone = upg_record_get_string (p, UPG_PROJECT_TIME_ZONE);
  w->zone = g_strdup (zone_is_utc (zone) ? "UTC" : zone);
  if (w->start_utc == NULL)
    return FALSE;
  if (w->end_utc == NULL)
    w->end_utc = g_date_time_ref (w->start_utc);
  tz = upg_notify_time_zone (w->zone);
  if (tz == NULL)
    tz = g_time_zone_new_utc (), g_free (w->zone), w->zone = g_strdup ("UTC");
  w->start = g_date_time_to_timezone (w->start_utc, tz);
  w->end = g_date_time_to_timezone (w->end_utc, tz);
  return TRUE;
}

char *
upg_notify_format_window (UpgProject *project,
                          const char *zone,
                          const char *language,
                          gboolean    utc)
{
  Window w;
  char *text;

  if (!window_init (&w, project, zone))
    text = g_strdup (is_zh (language) ? "尚未确定" : "not scheduled yet");
  else if (utc)
    text = format_range (w.start_utc, w.end_utc, "UTC", language, FALSE);
  else
    text = format_range (w.start, w.end, w.zone, language, FALSE);
  window_clear (&w);
  return text;
}

/* The window as the group reads it: window.* of the template language. */
static void
set_window (UpgTemplateData *data,
            UpgProject      *project,
            const char      *zone,
            const char      *language)
{
  static const char * const keys[] = {
    "window.start", "window.end", "window.start_date", "window.end_full", "window.text",
    "window.utc_text", "window.start_utc", "window.end_utc_full", "window.zone", "window.length",
  };
  char *values[G_N_ELEMENTS (keys)] = { NULL };
  Window w;

  if (window_init (&w, project, zone))
    {
      g_autofree char *zone_brief = format_zone (w.start, w.zone, language, TRUE);
      g_autofree char *end_zone_brief = format_zone (w.end, w.zone, language, TRUE);
      g_autofree char *start_dt = format_date_time (w.start, language);
      g_autofree char *end_dt = format_date_time (w.end, language);
      g_autofree char *start_utc = format_date_time (w.start_utc, language);
      g_autofree char *end_utc = format_date_time (w.end_utc, language);

      values[0] = g_strconcat (start_dt, zone_brief, NULL);
      values[1] = g_strconcat (end_dt, end_zone_brief, NULL);
      values[2] = format_date (w.start, language);
      values[3] = g_strconcat (end_dt, end_zone_brief, NULL);
      values[4] = format_range (w.start, w.end, w.zone, language, FALSE);
      values[5] = format_range (w.start_utc, w.end_utc, "UTC", language, FALSE);
      values[6] = g_strconcat (start_utc, " UTC", NULL);
      values[7] = g_strconcat (end_utc, " UTC", NULL);
      values[8] = g_strdup (w.zone);
      values[9] = format_length (g_date_time_difference (w.end_utc, w.start_utc), language);
    }
  else
    {
      const char *tbd = is_zh (language) ? "尚未确定" : "not scheduled yet";
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        values[i] = g_strdup (i == 8 ? w.zone : tbd);
    }
  window_clear (&w);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      upg_template_data_set_text (data, keys[i], values[i]);
      g_free (values[i]);
    }
}

/* ---- Rendering --------------------------------------------------------- */

static GStrv
changes_lines (UpgProject *project)
{
  GListModel *items = upg_record_get_children (UPG_RECORD (project), &upg_entity_scope_item);
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();

  for (guint i = 0; items != NULL && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (items, i);
      const char *change = upg_record_get_string (item, UPG_SCOPE_ITEM_CHANGE);
      g_autofree char *line = upg_text_is_blank (change)
        ? g_strdup (upg_record_get_string (item, UPG_SCOPE_ITEM_MODULE))
        : g_strdup_printf ("%s: %s", upg_record_get_string (item, UPG_SCOPE_ITEM_MODULE), change);
      g_strv_builder_add (lines, line);
    }
  return g_strv_builder_end (lines);
}

static GStrv
action_lines (UpgProject *project,
              const char *language)
{
  UpgRecord *retro = upg_project_get_retro (project);
  GListModel *items = retro ? upg_record_get_children (retro, &upg_entity_retro_item) : NULL;
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  gboolean zh = is_zh (language);

  for (guint i = 0; items != NULL && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (items, i);
      const char *owner = upg_record_get_string (item, UPG_RETRO_ITEM_OWNER);
      const char *due = upg_record_get_string (item, UPG_RETRO_ITEM_DUE);
      g_autoptr(GString) line = NULL;

      if (g_strcmp0 (upg_record_get_string (item, UPG_RETRO_ITEM_KIND), "action") != 0 ||
          upg_record_get_bool (item, UPG_RETRO_ITEM_DONE))
        continue;
      line = g_string_new (upg_record_get_string (item, UPG_RETRO_ITEM_TEXT));
      if (owner != NULL && *owner != '\0')
        g_string_append_printf (line, zh ? " — 负责人：%s" : " — owner: %s", owner);
      else
        g_string_append (line, zh ? " — 尚无负责人" : " — no owner yet");
      if (due != NULL)
        g_string_append_printf (line, zh ? "，截止 %s" : ", due %s", due);
      g_strv_builder_add (lines, line->str);
    }
  return g_strv_builder_end (lines);
}

/* What only the organisation's own (internal) groups read: the project's
 * goal and scope (its modules), and the retrospective's findings; the
 * changes and the action items with their owners are left out as lists.
 * An external group's message is made without them, whatever its
 * template says. */
static void
redact (UpgTemplateData *data)
{
  static const char * const names[] = { "project.goal", "project.scope", "retro.root_cause", "retro.detection" };
  static const char * const lists[] = { "changes", "actions" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    upg_template_data_set_text (data, names[i], "");
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    upg_template_data_set_list (data, lists[i], NULL);
}

/* Sets every name "@object.FIELD" of the template language from @record's
 * field FIELD (@record NULL: a new record's defaults, as when there is no
 * retrospective or project manager). A null text is "", a null number none. */
static void
set_record (UpgTemplateData *data,
            const char      *object,
            const UpgEntity *entity,
            UpgRecord       *record)
{
  g_autoptr(UpgRecord) blank = record ? NULL : upg_record_new (entity);
  const UpgTemplateName *names;
  gsize prefix = strlen (object);
  guint n;

  if (record == NULL)
    record = blank;
  names = upg_template_names (&n);
  for (guint i = 0; i < n; i++)
    {
      const char *field_name = names[i].name + prefix + 1;
      int field = -1;

      if (strncmp (names[i].name, object, prefix) != 0 || names[i].name[prefix] != '.')
        continue;
      for (guint f = 0; f < entity->n_fields && field < 0; f++)
        if (strcmp (entity->fields[f].name, field_name) == 0)
          field = f;
      g_assert (field >= 0);
      switch (names[i].kind)
        {
        case UPG_TEMPLATE_TEXT:
          upg_template_data_set_text (data, names[i].name, upg_record_get_string (record, field));
          break;
        case UPG_TEMPLATE_NUMBER:
          {
            int value = upg_record_get_int (record, field);
            upg_template_data_set_number (data, names[i].name, value,
                                          !(entity->fields[field].type == UPG_FIELD_INT_OR_NULL &&
                                            value == UPG_INT_NULL));
          }
          break;
        case UPG_TEMPLATE_FLAG:
          upg_template_data_set_flag (data, names[i].name, upg_record_get_bool (record, field));
          break;
        case UPG_TEMPLATE_LIST:
        default:
          g_assert_not_reached ();
        }
    }
}

/* @text parsed by the one validator (upg-template.h); on failure NULL and
 * the error says where: "Body, line 2, column 5: why". */
static UpgTemplate *
parse_one (const char  *text,
           const char  *what,
           GError     **error)
{
  g_autoptr(GError) local = NULL;
  UpgTemplate *template;
  int line, column;

  template = upg_template_parse (text, &line, &column, &local);
  if (template == NULL)
    /* TRANSLATORS: a template that does not render: "Subject" or "Body", where, and why */
    g_set_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_TEMPLATE, _("%s, line %d, column %d: %s"),
                 what, line, column, local->message);
  return template;
}

gboolean
upg_notify_check_template (const char  *subject,
                           const char  *body,
                           GError     **error)
{
  g_autoptr(UpgTemplate) s = NULL;
  g_autoptr(UpgTemplate) b = NULL;

  g_return_val_if_fail (subject != NULL && body != NULL, FALSE);

  s = parse_one (subject, _("Subject"), error);
  if (s == NULL)
    return FALSE;
  b = parse_one (body, _("Body"), error);
  return b != NULL;
}

/* Parses @text again before every render (a template that reached the
 * file some other way is refused, never run) and renders it within the
 * budget. */
static gboolean
render_one (const UpgTemplateData  *data,
            const char             *text,
            const char             *what,
            char                  **result,
            GError                **error)
{
  g_autoptr(UpgTemplate) template = parse_one (text, what, error);
  g_autoptr(GError) local = NULL;

  if (template == NULL)
    return FALSE;
  *result = upg_template_render (template, data, &local);
  if (*result == NULL)
    {
      /* TRANSLATORS: a template over the render budget: "Subject" or "Body", and why */
      g_set_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_TEMPLATE, _("%s: %s"), what, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
upg_notify_render (UpgProject  *project,
                   UpgRecord   *group,
                   const char  *moment,
                   const char  *language,
                   const char  *subject_template,
                   const char  *body_template,
                   char       **subject,
                   char       **body,
                   GError     **error)
{
  g_autoptr(UpgTemplateData) data = upg_template_data_new ();
  g_auto(GStrv) changes = NULL;
  g_auto(GStrv) actions = NULL;
  g_autofree char *s = NULL;
  g_autofree char *b = NULL;
  const char *zone = NULL;
  gboolean internal;

  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (subject_template != NULL && body_template != NULL, FALSE);

  *subject = NULL;
  *body = NULL;
  if (group != NULL)
    zone = upg_record_get_string (group, UPG_GROUP_TIME_ZONE);
  if (language == NULL)
    language = group ? upg_record_get_string (group, UPG_GROUP_LANGUAGE) : "en";
  /* Without a group it is the project's own reading (the template's preview). */
  internal = group == NULL || upg_record_get_bool (group, UPG_GROUP_INTERNAL);

  set_record (data, "project", &upg_entity_project, UPG_RECORD (project));
  set_record (data, "group", &upg_entity_group, group);
  set_record (data, "contact", &upg_entity_member, upg_notify_project_manager (project));
  set_record (data, "retro", &upg_entity_retro, upg_project_get_retro (project));
  set_window (data, project, zone, language);
  upg_template_data_set_text (data, "moment", moment);
  changes = changes_lines (project);
  actions = action_lines (project, language);
  upg_template_data_set_list (data, "changes", (const char * const *) changes);
  upg_template_data_set_list (data, "actions", (const char * const *) actions);
  if (!internal)
    redact (data);

  if (!render_one (data, subject_template, _("Subject"), &s, error) ||
      !render_one (data, body_template, _("Body"), &b, error))
    return FALSE;

  /* One line, whatever the template or the data hold. */
  *subject = g_strstrip (upg_notify_header_text (s));
  *body = g_steal_pointer (&b);
  return TRUE;
}

/* ---- Drafts ------------------------------------------------------------ */

/* One group's message: its language, greeting, zone and content. */
typedef struct {
  UpgRecord *group;
  char      *subject;
  char      *body;
} Message;

struct _UpgDraft
{
  UpgProject *project;
  const char *moment;
  GPtrArray  *groups;
  GPtrArray  *messages;      /* Message, one a group, in the groups' order */
  char       *subject;       /* the one message's, or every group's for the window */
  char       *body;
  GPtrArray  *problems;
};

static void
message_free (Message *message)
{
  g_clear_object (&message->group);
  g_free (message->subject);
  g_free (message->body);
  g_free (message);
}

static void
problem_free (UpgDraftProblem *problem)
{
  g_free (problem->message);
  g_free (problem);
}

static void
add_problem (UpgDraft            *draft,
             UpgDraftProblemKind  kind,
             gboolean             can_override,
             char                *message)
{
  UpgDraftProblem *problem = g_new0 (UpgDraftProblem, 1);

  problem->kind = kind;
  problem->can_override = can_override;
  problem->message = message;
  g_ptr_array_add (draft->problems, problem);
}

static char *
word_list (const char * const *words)
{
  return g_strjoinv (", ", (char **) words);
}

static char *
group_names (UpgProject *project)
{
  GListModel *groups = upg_record_get_children (UPG_RECORD (project), &upg_entity_group);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; groups != NULL && i < g_list_model_get_n_items (groups); i++)
    {
      g_autoptr(UpgRecord) group = g_list_model_get_item (groups, i);
      g_string_append_printf (names, "%s“%s”", i ? ", " : "", upg_record_get_string (group, UPG_GROUP_NAME));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static const char *
bcp47 (const char *language)
{
  return is_zh (language) ? "zh-CN" : "en";
}

/* Renders one message for each group: in the group's language (from the
 * project's copy of the template or the built-in one), with its greeting,
 * in its zone, and with internal content only for an internal group. A
 * draft of one group has its message as subject and body; a draft of
 * several shows each group's message in turn, for the window to read. */
static gboolean
render_draft (UpgDraft  *draft,
              GError   **error)
{
  g_autoptr(GString) subject = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; i < draft->groups->len; i++)
    {
      UpgRecord *group = draft->groups->pdata[i];
      const char *language = upg_record_get_string (group, UPG_GROUP_LANGUAGE);
      g_autofree char *subject_template = NULL;
      g_autofree char *body_template = NULL;
      Message *message;
      UpgRecord *copy;

      copy = upg_notify_find_template (draft->project, draft->moment, language);
      if (copy != NULL)
        {
          subject_template = g_strdup (upg_record_get_string (copy, UPG_EMAIL_TEMPLATE_SUBJECT));
          body_template = g_strdup (upg_record_get_string (copy, UPG_EMAIL_TEMPLATE_BODY));
        }
      else if (!upg_notify_builtin_template (draft->moment, language, &subject_template, &body_template))
        g_assert_not_reached ();   /* every moment and language ships */

      message = g_new0 (Message, 1);
      message->group = g_object_ref (group);
      g_ptr_array_add (draft->messages, message);
      if (!upg_notify_render (draft->project, group, draft->moment, language,
                              subject_template, body_template, &message->subject, &message->body, error))
        return FALSE;
      /* A message is text: bidirectional controls in names are shown
       * ("<U+202E>"), not left to reorder what a reader sees. */
      {
        char *subject_shown = upg_text_show_bidi (message->subject);
        char *body_shown = upg_text_show_bidi (message->body);

        g_free (message->subject);
        message->subject = subject_shown;
        g_free (message->body);
        message->body = body_shown;
      }
    }

  if (draft->messages->len == 1)
    {
      Message *only = draft->messages->pdata[0];
      draft->subject = g_strdup (only->subject);
      draft->body = g_strdup (only->body);
      return TRUE;
    }
  for (guint i = 0; i < draft->messages->len; i++)
    {
      Message *message = draft->messages->pdata[i];

      if (i > 0)
        {
          g_string_append (subject, " / ");
          if (body->len > 0 && body->str[body->len - 1] != '\n')
            g_string_append_c (body, '\n');
          g_string_append (body, "\n----\n\n");
        }
      g_string_append (subject, message->subject);
      /* TRANSLATORS: the head of one group's message when the window shows
       * every group's; %s is the group's name */
      {
        g_autofree char *group_name = upg_text_show_bidi (upg_record_get_string (message->group, UPG_GROUP_NAME));
        g_string_append_printf (body, _("To “%s”: %s"), group_name, message->subject);
      }
      g_string_append (body, "\n\n");
      g_string_append (body, message->body);
    }
  draft->subject = g_string_free (g_steal_pointer (&subject), FALSE);
  draft->body = g_string_free (g_steal_pointer (&body), FALSE);
  return TRUE;
}

static void
check_draft (UpgDraft  *draft,
             GDateTime *now)
{
  UpgRecord *p = UPG_RECORD (draft->project);
  UpgRecord *pm = upg_notify_project_manager (draft->project);
  const char *end = upg_record_get_string (p, UPG_PROJECT_WINDOW_END);
  char *misfit = upg_notify_moment_misfit (draft->project, draft->moment, now);

  if (misfit != NULL)
    add_problem (draft, UPG_DRAFT_PROBLEM_MOMENT, TRUE, misfit);

  if (g_strcmp0 (draft->moment, "retrospective") != 0 &&
      upg_record_get_string (p, UPG_PROJECT_WINDOW_START) == NULL)
    add_problem (draft, UPG_DRAFT_PROBLEM_NO_WINDOW, TRUE,
                 g_strdup (_("The notice gives the window’s time, but the project has no maintenance window: set it in Overview")));
  if (pm == NULL || upg_record_get_string (pm, UPG_MEMBER_EMAIL) == NULL)
    add_problem (draft, UPG_DRAFT_PROBLEM_NO_PROJECT_MANAGER, TRUE,
                 g_strdup (_("No project manager with an email to sign the notice and take replies: add one in Team")));
  if (upg_text_is_blank (upg_record_get_string (p, UPG_PROJECT_IMPACT)))
    add_problem (draft, UPG_DRAFT_PROBLEM_NO_IMPACT, TRUE,
                 g_strdup (_("The expected impact is empty: describe what users will notice in Overview")));
  for (guint i = 0; i < draft->groups->len; i++)
    {
      UpgRecord *group = draft->groups->pdata[i];
      const char * const *addresses = upg_record_get_strv (group, UPG_GROUP_ADDRESSES);

      if (addresses == NULL || addresses[0] == NULL)
        add_problem (draft, UPG_DRAFT_PROBLEM_NO_ADDRESSES, TRUE,
                     /* TRANSLATORS: %s is a stakeholder group's name */
                     g_strdup_printf (_("The group “%s” has no addresses"),
                                      upg_record_get_string (group, UPG_GROUP_NAME)));
    }
  if (g_strcmp0 (draft->moment, "delayed") == 0 && end != NULL)
    {
      g_autoptr(GDateTime) end_dt = upg_timestamp_to_datetime (end);
      g_autoptr(GDateTime) at = now ? g_date_time_ref (now) : upg_clock_now ();

      if (end_dt != NULL && g_date_time_compare (at, end_dt) >= 0)
        add_problem (draft, UPG_DRAFT_PROBLEM_END_PASSED, TRUE,
                     g_strdup (_("The window’s end has passed: move it to the new expected end before announcing the delay")));
    }
}

UpgDraft *
upg_draft_new (UpgProject  *project,
               const char  *moment,
               const char  *group,
               GDateTime   *now,
               GError     **error)
{
  g_autoptr(UpgDraft) draft = NULL;
  g_autoptr(GError) render_error = NULL;
  const char *word;

  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  word = upg_notify_parse_moment (moment);
  if (word == NULL)
    {
      g_autofree char *list = word_list (upg_moments);
      g_set_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_UNKNOWN_MOMENT,
                   /* TRANSLATORS: %s are the moment asked for and the list of moments */
                   _("Unknown moment “%s”; choose one of %s"), moment ? moment : "", list);
      return NULL;
    }

  draft = g_new0 (UpgDraft, 1);
  draft->project = g_object_ref (project);
  draft->moment = word;
  draft->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  draft->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
  if (group != NULL)
    {
      UpgRecord *record = upg_notify_find_group (project, group);

      if (record == NULL)
        {
          g_autofree char *names = group_names (project);
          if (*names == '\0')
            g_set_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_UNKNOWN_GROUP,
                         _("Unknown group “%s”; the project has no stakeholder groups"), group);
          else
            g_set_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_UNKNOWN_GROUP,
                         _("Unknown group “%s”; choose one of %s"), group, names);
          return NULL;
        }
      draft->groups = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (draft->groups, g_object_ref (record));
    }
  else
    {
      draft->groups = upg_notify_groups_for (project, word);
      if (draft->groups->len == 0)
        {
          g_set_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_NO_RECIPIENTS,
                       /* TRANSLATORS: %s is a moment's name ("Advance notice") */
                       _("No stakeholder group hears about “%s”"), upg_notify_moment_label (word));
          return NULL;
        }
    }

  if (!render_draft (draft, &render_error))
    {
      g_clear_pointer (&draft->subject, g_free);
      g_clear_pointer (&draft->body, g_free);
      g_ptr_array_set_size (draft->messages, 0);
      add_problem (draft, UPG_DRAFT_PROBLEM_TEMPLATE, FALSE, g_strdup (render_error->message));
    }
  check_draft (draft, now);
  return g_steal_pointer (&draft);
}

void
upg_draft_free (UpgDraft *draft)
{
  if (draft == NULL)
    return;
  g_clear_object (&draft->project);
  g_clear_pointer (&draft->groups, g_ptr_array_unref);
  g_clear_pointer (&draft->problems, g_ptr_array_unref);
  g_clear_pointer (&draft->messages, g_ptr_array_unref);
  g_free (draft->subject);
  g_free (draft->body);
  g_free (draft);
}

const char *
upg_draft_get_moment (UpgDraft *draft)
{
  return draft->moment;
}

GPtrArray *
upg_draft_get_groups (UpgDraft *draft)
{
  return draft->groups;
}

const char *
upg_draft_get_subject (UpgDraft *draft)
{
  return draft->subject;
}

const char *
upg_draft_get_body (UpgDraft *draft)
{
  return draft->body;
}

GPtrArray *
upg_draft_get_problems (UpgDraft *draft)
{
  return draft->problems;
}

gboolean
upg_draft_can_send (UpgDraft *draft,
                    gboolean  override)
{
  for (guint i = 0; i < draft->problems->len; i++)
    {
      UpgDraftProblem *problem = draft->problems->pdata[i];
      if (!override || !problem->can_override)
        return FALSE;
    }
  return draft->subject != NULL;
}

static GBytes *
message_bytes (UpgDraft    *draft,
               Message     *message,
               GDateTime   *date,
               const char  *message_id,
               GError     **error)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  const char *language = upg_record_get_string (message->group, UPG_GROUP_LANGUAGE);

  g_ptr_array_add (groups, message->group);
  return upg_notify_build_message (draft->project, draft->moment, groups, bcp47 (language), message->subject,
                                   message->body, date, message_id, error);
}

/* Every group's message in one mbox (RFC 4155): each after a "From " line
 * (the sender and the date, as asctime() writes it, in UTC) and followed by
 * an empty line, its bytes those of the group's own message; a line of a
 * message that starts with "From " (or ">From ", ">>From "…) gets one more
 * ">" (the mboxrd convention readers undo). The messages' lines end in
 * CRLF, and so do the "From " lines. With @message_id, the messages'
 * Message-IDs are it with the group's place before it ("2.ID"). */
static GBytes *
mbox_bytes (UpgDraft    *draft,
            GDateTime   *date,
            const char  *message_id,
            GError     **error)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                         "Nov", "Dec" };
  g_autoptr(GDateTime) when = date ? g_date_time_to_utc (date) : upg_clock_now ();
  UpgRecord *pm = upg_notify_project_manager (draft->project);
  const char *sender = pm ? upg_record_get_string (pm, UPG_MEMBER_EMAIL) : NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *from_line = NULL;

  /* The sender is one word: an address the model checked, or the
   * convention's name for none. */
  from_line = g_strdup_printf ("From %s %s %s %2d %02d:%02d:%02d %d\r\n",
                               sender && *sender && strpbrk (sender, " \t\r\n") == NULL ? sender : "MAILER-DAEMON",
                               days[g_date_time_get_day_of_week (when) - 1], months[g_date_time_get_month (when) - 1],
                               g_date_time_get_day_of_month (when), g_date_time_get_hour (when),
                               g_date_time_get_minute (when), g_date_time_get_second (when),
                               g_date_time_get_year (when));
  for (guint i = 0; i < draft->messages->len; i++)
    {
      g_autofree char *id = message_id ? g_strdup_printf ("%u.%s", i + 1, message_id) : NULL;
      g_autoptr(GBytes) bytes = message_bytes (draft, draft->messages->pdata[i], when, id, error);
      gsize size;
      const char *data, *line, *end;

      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &size);
      g_string_append (out, from_line);
      for (line = data, end = data + size; line < end; )
        {
          const char *nl = memchr (line, '\n', end - line);
          const char *next = nl ? nl + 1 : end;
          const char *p = line;

          while (p < next && *p == '>')
            p++;
          if (next - p >= 5 && memcmp (p, "From ", 5) == 0)
            g_string_append_c (out, '>');
          g_string_append_len (out, line, next - line);
          line = next;
        }
      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append (out, "\r\n");
      g_string_append (out, "\r\n");
    }
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
upg_draft_to_bytes (UpgDraft    *draft,
                    const char  *format,
                    gboolean     override,
                    GDateTime   *date,
                    const char  *message_id,
                    GError     **error)
{
  g_return_val_if_fail (draft != NULL, NULL);

  if (!upg_draft_can_send (draft, override))
    {
      g_autoptr(GString) reasons = g_string_new (NULL);

      for (guint i = 0; i < draft->problems->len; i++)
        {
          UpgDraftProblem *problem = draft->problems->pdata[i];
          g_string_append_printf (reasons, "%s%s", i ? "; " : "", problem->message);
        }
      g_set_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_BLOCKED,
                   /* TRANSLATORS: %s lists what is wrong, separated by semicolons */
                   _("The notice is not ready: %s"), reasons->str);
      return NULL;
    }
  if (g_strcmp0 (format, "txt") == 0)
    {
      GString *text = g_string_new (NULL);

      for (guint i = 0; i < draft->messages->len; i++)
        {
          Message *message = draft->messages->pdata[i];
          g_string_append_printf (text, "%s%s\n\n%s", i ? "\n\n----\n\n" : "", message->subject, message->body);
        }
      return g_string_free_to_bytes (text);
    }
  if (draft->messages->len == 1 && g_strcmp0 (format, "mbox") != 0)
    return message_bytes (draft, draft->messages->pdata[0], date, message_id, error);
  return mbox_bytes (draft, date, message_id, error);
}

static void
append_addresses (GString    *out,
                  GPtrArray  *groups,
                  gboolean    bcc)
{
  for (guint i = 0; i < groups->len; i++)
    {
      UpgRecord *group = groups->pdata[i];
      const char * const *addresses = upg_record_get_strv (group, UPG_GROUP_ADDRESSES);

      if (upg_record_get_bool (group, UPG_GROUP_BCC) != bcc)
        continue;
      for (guint j = 0; addresses != NULL && addresses[j] != NULL; j++)
        {
          g_autofree char *escaped = g_uri_escape_string (addresses[j], "@", FALSE);
          g_string_append_printf (out, "%s%s", out->len && out->str[out->len - 1] != '=' &&
                                  out->str[out->len - 1] != ':' ? "," : "", escaped);
        }
    }
}

char *
upg_draft_to_mailto (UpgDraft *draft)
{
  g_autoptr(GString) uri = g_string_new ("mailto:");
  g_autoptr(GString) bcc = g_string_new ("bcc=");
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (draft != NULL && draft->subject != NULL, NULL);

  if (draft->messages->len != 1)
    return NULL;   /* each group has its own message */

  append_addresses (uri, draft->groups, FALSE);
  append_addresses (bcc, draft->groups, TRUE);
  subject = g_uri_escape_string (draft->subject, NULL, FALSE);
  body = g_uri_escape_string (draft->body, NULL, FALSE);
  g_string_append_printf (uri, "?subject=%s&body=%s", subject, body);
  if (bcc->len > strlen ("bcc="))
    g_string_append_printf (uri, "&%s", bcc->str);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

/* A notice (@moment, the group, @at, @how) for each group named in
 * @groups, appended to @project in one transaction. */
static gboolean
record_notices (UpgStore    *store,
                UpgProject  *project,
                const char  *moment,
                GStrv        groups,
                const char  *at,
                const char  *how,
                GError     **error)
{
  gboolean own, ok = TRUE;

  if (!upg_store_begin_nested (store, &own, error))
    return FALSE;
  for (guint i = 0; ok && groups[i] != NULL; i++)
    {
      g_autoptr(UpgRecord) notice = upg_record_new (&upg_entity_notice);

      upg_record_set_string (notice, UPG_NOTICE_MOMENT, moment);
      upg_record_set_string (notice, UPG_NOTICE_GROUP, groups[i]);
      upg_record_set_string (notice, UPG_NOTICE_AT, at);
      upg_record_set_string (notice, UPG_NOTICE_HOW, how);
      ok = upg_store_insert (store, UPG_RECORD (project), notice, -1, error);
    }
  return upg_store_end_nested (store, own, ok, ok ? error : NULL) && ok;
}

static GStrv
draft_group_names (UpgDraft *draft)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; i < draft->groups->len; i++)
    g_strv_builder_add (names, upg_record_get_string (draft->groups->pdata[i], UPG_GROUP_NAME));
  return g_strv_builder_end (names);
}

gboolean
upg_draft_record (UpgDraft    *draft,
                  UpgStore    *store,
                  const char  *how,
                  GError     **error)
{
  g_autofree char *now = upg_timestamp_now ();
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (draft != NULL, FALSE);
  g_return_val_if_fail (upg_enum_index (upg_notice_hows, how) >= 0, FALSE);

  groups = draft_group_names (draft);
  return record_notices (store, draft->project, draft->moment, groups, now, how, error);
}

typedef struct {
  char  *moment;
  GStrv  groups;
  char  *at;
  char  *how;
} Recording;

static void
recording_free (gpointer data)
{
  Recording *r = data;

  g_free (r->moment);
  g_strfreev (r->groups);
  g_free (r->at);
  g_free (r->how);
  g_free (r);
}

static gboolean
record_write (UpgStore *store, UpgProject *project, gpointer data, GError **error)
{
  Recording *r = data;

  return record_notices (store, project, r->moment, r->groups, r->at, r->how, error);
}

void
upg_draft_record_async (UpgDraft            *draft,
                        UpgStore            *store,
                        const char          *how,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Recording *r;

  g_return_if_fail (draft != NULL);
  g_return_if_fail (upg_enum_index (upg_notice_hows, how) >= 0);

  r = g_new0 (Recording, 1);
  r->moment = g_strdup (draft->moment);
  r->groups = draft_group_names (draft);
  r->at = upg_timestamp_now ();
  r->how = g_strdup (how);
  upg_store_write_async (store, draft->project, record_write, r, recording_free, cancellable, callback, user_data);
}

GBytes *
upg_export_email (UpgStore                *store,
                  gint64                   project_id,
                  const UpgExportOptions  *options,
                  GError                 **error)
{
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(UpgDraft) draft = NULL;

  if (options->template_name == NULL)
    {
      g_autofree char *list = word_list (upg_moments);
      g_set_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_UNKNOWN_MOMENT,
                   _("Exporting an email needs a moment (--template MOMENT): one of %s"), list);
      return NULL;
    }
  project = upg_store_lookup_project (store, project_id, error);
  if (project == NULL || !upg_store_load_children (store, UPG_RECORD (project), error))
    return NULL;
  draft = upg_draft_new (project, options->template_name, options->group, NULL, error);
  if (draft == NULL)
    return NULL;
  return upg_draft_to_bytes (draft, options->format, options->force, NULL, NULL, error);
}
