/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-status.c — where an upgrade stands: what the Overview's summary says. */
#define G_LOG_DOMAIN "upg-status"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-status.h"
#include "upg-fields.h"
#include "upg-sop.h"
#include "upg-notify.h"
#include "upg-zone.h"

UpgWindowPhase
upg_status_window_phase (const char *start,
                         const char *end,
                         GDateTime  *now)
{
  g_autoptr(GDateTime) s = start ? upg_timestamp_to_datetime (start) : NULL;
  g_autoptr(GDateTime) e = end ? upg_timestamp_to_datetime (end) : NULL;

  if (s == NULL)
    return UPG_WINDOW_PHASE_UNSET;
  if (g_date_time_compare (now, s) < 0)
    return UPG_WINDOW_PHASE_BEFORE;
  if (e == NULL || g_date_time_compare (now, e) < 0)
    return UPG_WINDOW_PHASE_DURING;
  return UPG_WINDOW_PHASE_AFTER;
}

/* Calendar days from @a to @b in @a's zone. */
static int
days_between (GDateTime *a,
              GDateTime *b)
{
  g_autoptr(GDateTime) bb = g_date_time_to_timezone (b, g_date_time_get_timezone (a));
  GDate da, db;

  g_date_clear (&da, 1);
  g_date_clear (&db, 1);
  g_date_set_dmy (&da, g_date_time_get_day_of_month (a), g_date_time_get_month (a), g_date_time_get_year (a));
  g_date_set_dmy (&db, g_date_time_get_day_of_month (bb), g_date_time_get_month (bb), g_date_time_get_year (bb));
  return g_date_days_between (&da, &db);
}

char *
upg_status_window_text (const char *start,
                        const char *end,
                        GDateTime  *now)
{
  g_autoptr(GDateTime) s = start ? upg_timestamp_to_datetime (start) : NULL;
  g_autoptr(GDateTime) e = end ? upg_timestamp_to_datetime (end) : NULL;
  GTimeSpan span;
  int days;

  g_return_val_if_fail (now != NULL, NULL);

  switch (upg_status_window_phase (start, end, now))
    {
    case UPG_WINDOW_PHASE_UNSET:
      return g_strdup (_("No maintenance window set"));
    case UPG_WINDOW_PHASE_DURING:
      return g_strdup (_("In the window now"));
    case UPG_WINDOW_PHASE_BEFORE:
      span = g_date_time_difference (s, now);
      days = days_between (now, s);
      if (days == 0 || span < G_TIME_SPAN_HOUR * 12)
        {
          int hours = (int) (span / G_TIME_SPAN_HOUR);
          int minutes = (int) ((span + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE);
          if (hours == 0)
            return g_strdup_printf (ngettext ("In %d minute", "In %d minutes", minutes), minutes);
          return g_strdup_printf (ngettext ("In %d hour", "In %d hours", hours), hours);
        }
      if (days == 1)
        return g_strdup (_("Tomorrow"));
      return g_strdup_printf (ngettext ("In %d day", "In %d days", days), days);
    case UPG_WINDOW_PHASE_AFTER:
    default:
      span = g_date_time_difference (now, e);
      days = days_between (e, now);
      if (days == 0)
        {
          int hours = (int) (span / G_TIME_SPAN_HOUR);
          if (hours == 0)
            return g_strdup (_("Ended just now"));
          return g_strdup_printf (ngettext ("Ended %d hour ago", "Ended %d hours ago", hours), hours);
        }
      if (days == 1)
        return g_strdup (_("Ended yesterday"));
      return g_strdup_printf (ngettext ("Ended %d day ago", "Ended %d days ago", days), days);
    }
}

static char *
format_duration (GTimeSpan span)
{
  int minutes = (int) (span / G_TIME_SPAN_MINUTE);

  if (minutes < 60)
    /* TRANSLATORS: a duration in minutes, e.g. "45 min" */
    return g_strdup_printf (_("%d min"), minutes);
  if (minutes % 60 == 0)
    /* TRANSLATORS: a duration in hours, e.g. "2 h" */
    return g_strdup_printf (_("%d h"), minutes / 60);
  /* TRANSLATORS: a duration in hours and minutes, e.g. "1 h 30 min" */
  return g_strdup_printf (_("%d h %d min"), minutes / 60, minutes % 60);
}

static char *
format_offset (GDateTime *dt)
{
  int minutes = (int) (g_date_time_get_utc_offset (dt) / G_TIME_SPAN_MINUTE);

  if (minutes == 0)
    return g_strdup ("UTC");
  return g_strdup_printf ("UTC%c%02d:%02d", minutes < 0 ? '-' : '+', ABS (minutes) / 60, ABS (minutes) % 60);
}

char *
upg_status_window_span (const char *start,
                        const char *end,
                        GTimeZone  *tz)
{
  g_autoptr(GDateTime) s_utc = start ? upg_timestamp_to_datetime (start) : NULL;
  g_autoptr(GDateTime) e_utc = end ? upg_timestamp_to_datetime (end) : NULL;
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) s = NULL;
  g_autoptr(GDateTime) e = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *zone = NULL;
  g_autofree char *offset = NULL;
  g_autofree char *length = NULL;
  const char *abbrev;

  if (s_utc == NULL)
    return g_strdup ("");
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  s = g_date_time_to_timezone (s_utc, tz);
  /* TRANSLATORS: the start of the maintenance window; see g_date_time_format() */
  from = g_date_time_format (s, _("%a %-d %b %H:%M"));
  offset = format_offset (s);
  abbrev = g_date_time_get_timezone_abbreviation (s);
  /* Some zones have no abbreviation but their offset ("+08"): say it once. */
  if (abbrev == NULL || *abbrev == '\0' || *abbrev == '+' || *abbrev == '-' || g_str_equal (abbrev, "UTC"))
    zone = g_strdup (offset);
  else
    zone = g_strdup_printf ("%s (%s)", abbrev, offset);
  if (e_utc == NULL)
    return g_strdup_printf ("%s %s", from, zone);
  e = g_date_time_to_timezone (e_utc, tz);
  if (days_between (s, e) == 0)
    to = g_date_time_format (e, "%H:%M");
  else
    to = g_date_time_format (e, _("%a %-d %b %H:%M"));
  length = format_duration (g_date_time_difference (e, s));
  /* TRANSLATORS: the maintenance window: start–end, zone and length,
   * e.g. "Sat 5 Dec 09:00–11:00 CST (UTC+08:00) · 2 h" */
  return g_strdup_printf (_("%s–%s %s · %s"), from, to, zone, length);
}

static gboolean
risk_is_open (UpgRecord *risk)
{
  const char *status = upg_record_get_string (risk, UPG_RISK_STATUS);
  return status == NULL || g_str_equal (status, "open") || g_str_equal (status, "occurred");
}

static int
compare_risks (gconstpointer a,
               gconstpointer b)
{
  UpgRisk *ra = *(UpgRisk **) a;
  UpgRisk *rb = *(UpgRisk **) b;
  return upg_risk_get_score (rb) - upg_risk_get_score (ra);
}

void
upg_status_compute (UpgProject              *project,
                    const UpgRiskThresholds *thresholds,
                    GDateTime               *now,
                    UpgStatus               *status)
{
  GListModel *milestones, *risks, *steps, *notices;
  const char * const *phases;
  UpgSopProgress progress;

  g_return_if_fail (UPG_IS_PROJECT (project));
  g_return_if_fail (status != NULL);

  memset (status, 0, sizeof *status);
  status->high_risks = g_ptr_array_new ();
  status->time_zone = upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_TIME_ZONE);

  milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
  for (guint i = 0; milestones != NULL && i < g_list_model_get_n_items (milestones); i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (milestones, i);

      status->milestones_total++;
      if (upg_record_get_string (m, UPG_MILESTONE_DONE) != NULL)
        status->milestones_done++;
      else if (status->next_milestone == NULL)
        status->next_milestone = m;
      if (upg_record_get_string (m, UPG_MILESTONE_DUE) == NULL)
        status->milestones_undated++;
    }

  risks = upg_record_get_children (UPG_RECORD (project), &upg_entity_risk);
  for (guint i = 0; risks != NULL && i < g_list_model_get_n_items (risks); i++)
    {
      g_autoptr(UpgRecord) r = g_list_model_get_item (risks, i);
      UpgRiskLevel level;

      if (!risk_is_open (r))
        continue;
      level = upg_risk_level_for_score (upg_risk_get_score (UPG_RISK (r)), thresholds);
      if (level == UPG_RISK_LEVEL_CRITICAL)
        status->risks_critical++;
      else if (level == UPG_RISK_LEVEL_HIGH)
        status->risks_high++;
      else
        continue;
      g_ptr_array_add (status->high_risks, r);
    }
  g_ptr_array_sort (status->high_risks, compare_risks);

  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  if (steps != NULL)
    {
      upg_sop_progress (steps, NULL, &progress);
      status->steps_done = progress.done;
      status->steps_total = progress.total;
      /* The next required step in the order of the day (the rollback plan,
       * shown first in the checklist, is not a step of the day). */
      phases = upg_sop_display_phases ();
      for (guint pass = 0; pass < 2 && status->next_step == NULL; pass++)
        for (guint p = 0; phases[p] != NULL && status->next_step == NULL; p++)
          {
            g_autoptr(GPtrArray) in_phase = NULL;

            if (g_str_equal (phases[p], "rollback"))
              continue;
            in_phase = upg_sop_steps_in_phase (steps, phases[p]);
            for (guint i = 0; i < in_phase->len && status->next_step == NULL; i++)
              {
                UpgRecord *step = in_phase->pdata[i];
                /* First pass: required steps; second: any step. */
                if (!upg_sop_step_is_done (step) &&
                    (pass == 1 || upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED)))
                  status->next_step = step;
              }
          }
    }

  /* Notices: how many went out, the last one, and a moment the project
   * calls for now that nobody has told anyone about yet. */
  notices = upg_record_get_children (UPG_RECORD (project), &upg_entity_notice);
  for (guint i = 0; notices != NULL && i < g_list_model_get_n_items (notices); i++)
    {
      g_autoptr(UpgRecord) n = g_list_model_get_item (notices, i);

      status->notices_sent++;
      if (status->latest_notice == NULL
          || g_strcmp0 (upg_record_get_string (n, UPG_NOTICE_AT),
                        upg_record_get_string (status->latest_notice, UPG_NOTICE_AT)) >= 0)
        status->latest_notice = n;
    }
  for (guint m = 0; upg_moments[m] != NULL && status->notice_due == NULL; m++)
    {
      gboolean sent = FALSE;

      if (!upg_notify_moment_called_for (project, upg_moments[m], now))
        continue;
      for (guint i = 0; notices != NULL && i < g_list_model_get_n_items (notices) && !sent; i++)
        {
          g_autoptr(UpgRecord) n = g_list_model_get_item (notices, i);
          sent = g_strcmp0 (upg_record_get_string (n, UPG_NOTICE_MOMENT), upg_moments[m]) == 0;
        }
      if (!sent)
        status->notice_due = upg_moments[m];
    }
}

void
upg_status_clear (UpgStatus *status)
{
  g_clear_pointer (&status->high_risks, g_ptr_array_unref);
  memset (status, 0, sizeof *status);
}

char *
upg_status_milestones_text (const UpgStatus *status)
{
  g_autofree char *count = NULL;
  const char *due;

  if (status->milestones_total == 0)
    return g_strdup (_("Milestones: none yet"));
  /* TRANSLATORS: "Milestones: 2 of 6 done" */
  count = g_strdup_printf (ngettext ("Milestones: %u of %u done", "Milestones: %u of %u done",
                                     status->milestones_total),
                           status->milestones_done, status->milestones_total);
  if (status->next_milestone == NULL)
    return g_strdup_printf (_("%s, all done"), count);
  due = upg_record_get_string (status->next_milestone, UPG_MILESTONE_DUE);
  if (due != NULL)
    {
      g_autofree char *iso = g_strdup_printf ("%sT12:00:00Z", due);
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);
      /* TRANSLATORS: a due date; see g_date_time_format() */
      g_autofree char *day = dt ? g_date_time_format (dt, _("%-d %b")) : g_strdup (due);
      /* TRANSLATORS: "Milestones: 2 of 6 done", the next milestone's title and its due date */
      return g_strdup_printf (_("%s, next: %s, due %s"), count,
                              upg_record_get_string (status->next_milestone, UPG_MILESTONE_TITLE), day);
    }
  /* TRANSLATORS: "Milestones: 2 of 6 done" and the next milestone's title */
  return g_strdup_printf (_("%s, next: %s"), count, upg_record_get_string (status->next_milestone, UPG_MILESTONE_TITLE));
}

char *
upg_status_risks_text (const UpgStatus *status)
{
  g_autofree char *critical = NULL;
  g_autofree char *high = NULL;

  if (status->risks_critical == 0 && status->risks_high == 0)
    return g_strdup (_("Risks: no high or critical risk open"));
  critical = g_strdup_printf (ngettext ("%u critical", "%u critical", status->risks_critical), status->risks_critical);
  high = g_strdup_printf (ngettext ("%u high", "%u high", status->risks_high), status->risks_high);
  if (status->risks_high == 0)
    /* TRANSLATORS: "Risks: 1 critical open" */
    return g_strdup_printf (_("Risks: %s open"), critical);
  if (status->risks_critical == 0)
    /* TRANSLATORS: "Risks: 3 high open" */
    return g_strdup_printf (_("Risks: %s open"), high);
  /* TRANSLATORS: "Risks: 1 critical, 3 high open" */
  return g_strdup_printf (_("Risks: %s, %s open"), critical, high);
}

char *
upg_status_checklist_text (const UpgStatus *status)
{
  g_autofree char *count = NULL;

  if (status->steps_total == 0)
    return g_strdup (_("Checklist: no steps yet"));
  count = g_strdup_printf (ngettext ("Checklist: %u of %u step checked", "Checklist: %u of %u steps checked",
                                     status->steps_total),
                           status->steps_done, status->steps_total);
  if (status->next_step == NULL)
    return g_strdup_printf (_("%s, all done"), count);
  /* TRANSLATORS: "Checklist: 12 of 30 steps checked" and the next step's title */
  return g_strdup_printf (_("%s, next: %s"), count, upg_record_get_string (status->next_step, UPG_SOP_STEP_TITLE));
}

char *
upg_status_notices_text (const UpgStatus *status)
{
  g_autofree char *sent = NULL;
  g_autofree char *when = NULL;

  if (status->notices_sent == 0)
    {
      if (status->notice_due == NULL)
        return g_strdup (_("Notices: none sent yet"));
      /* TRANSLATORS: %s is a moment of the upgrade, e.g. "Started" */
      return g_strdup_printf (_("Notices: none sent yet, due now: %s"),
                              upg_notify_moment_label (status->notice_due));
    }
  when = upg_zone_format_for_user (upg_record_get_string (status->latest_notice, UPG_NOTICE_AT), status->time_zone);
  /* TRANSLATORS: how many notices were sent, the latest one's moment and when it was sent */
  sent = g_strdup_printf (ngettext ("Notices: %u sent, latest: %s, %s", "Notices: %u sent, latest: %s, %s",
                                    status->notices_sent),
                          status->notices_sent,
                          upg_notify_moment_label (upg_record_get_string (status->latest_notice, UPG_NOTICE_MOMENT)),
                          when);
  if (status->notice_due == NULL)
    return g_steal_pointer (&sent);
  /* TRANSLATORS: the notices sent so far, then a moment nobody was told about yet */
  return g_strdup_printf (_("%s; due now: %s"), sent, upg_notify_moment_label (status->notice_due));
}

char *
upg_status_latest_activity (UpgStore   *store,
                            UpgProject *project,
                            GError    **error)
{
  GListModel *steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  g_autoptr(GPtrArray) best_events = NULL;
  UpgCheckEvent *best = NULL;
  UpgRecord *best_step = NULL;
  g_autofree char *when = NULL;
  const char *actor;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  for (guint i = 0; steps != NULL && i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      g_autoptr(GPtrArray) events = upg_store_list_check_events (store, step, error);

      if (events == NULL)
        return NULL;
      for (guint k = 0; k < events->len; k++)
        {
          UpgCheckEvent *event = events->pdata[k];
          if (g_strcmp0 (event->action, "skip") == 0)
            continue;
          if (best == NULL || g_strcmp0 (event->at, best->at) >= 0)
            {
              g_clear_pointer (&best_events, g_ptr_array_unref);
              best_events = g_ptr_array_ref (events);
              best = event;
              best_step = step;
            }
        }
    }
  if (best == NULL)
    return NULL;
  when = upg_zone_format_for_user (best->at, upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_TIME_ZONE));
  actor = best->actor && *best->actor ? best->actor : _("Someone");
  if (g_strcmp0 (best->action, "uncheck") == 0)
    /* TRANSLATORS: the latest activity: who unchecked which step, when */
    return g_strdup_printf (_("%s unchecked “%s” · %s"), actor,
                            upg_record_get_string (best_step, UPG_SOP_STEP_TITLE), when);
  /* TRANSLATORS: the latest activity: who checked which step, when */
  return g_strdup_printf (_("%s checked “%s” · %s"), actor,
                          upg_record_get_string (best_step, UPG_SOP_STEP_TITLE), when);
}

char *
upg_status_milestone_order_warning (GListModel *milestones)
{
  g_autoptr(UpgRecord) latest = NULL;   /* the latest due date so far */
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (milestones), NULL);

  n = g_list_model_get_n_items (milestones);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (milestones, i);
      const char *due = upg_record_get_string (m, UPG_MILESTONE_DUE);

      if (due == NULL)
        continue;
      if (latest != NULL && strcmp (due, upg_record_get_string (latest, UPG_MILESTONE_DUE)) < 0)
        /* TRANSLATORS: the milestones' order and dates disagree; %s are milestone titles */
        return g_strdup_printf (_("“%s” is due before “%s”, which comes earlier in the list"),
                                upg_record_get_string (m, UPG_MILESTONE_TITLE),
                                upg_record_get_string (latest, UPG_MILESTONE_TITLE));
      if (latest == NULL || strcmp (due, upg_record_get_string (latest, UPG_MILESTONE_DUE)) > 0)
        g_set_object (&latest, m);
    }
  return NULL;
}
