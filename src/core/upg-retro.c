/* upg-retro.c — the retrospective held against the plan, seeded from the
 * file, and actions carried into another project's checklist. */
#define G_LOG_DOMAIN "upg-retro"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-checks.h"
#include "upg-labels.h"
#include "upg-retro.h"
#include "upg-risk.h"
#include "upg-sop.h"
#include "upg-clock.h"

G_DEFINE_QUARK (upg-retro-error-quark, upg_retro_error)

/* ---- Planned vs actual -------------------------------------------------- */

gboolean
upg_minutes_between (const char *from,
                     const char *to,
                     gint64     *minutes)
{
  g_autoptr(GDateTime) a = from ? upg_timestamp_to_datetime (from) : NULL;
  g_autoptr(GDateTime) b = to ? upg_timestamp_to_datetime (to) : NULL;
  GTimeSpan span;

  if (a == NULL || b == NULL)
    return FALSE;
  span = g_date_time_difference (b, a);
  /* Whole minutes, rounded toward zero (seconds are not planned). */
  *minutes = span / G_TIME_SPAN_MINUTE;
  return TRUE;
}

static gboolean
parse_date (const char *text, GDate *date)
{
  int y, m, d;

  g_date_clear (date, 1);
  if (text == NULL || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

gboolean
upg_days_between (const char *from,
                  const char *to,
                  int        *days)
{
  GDate a, b;

  if (!parse_date (from, &a) || !parse_date (to, &b))
    return FALSE;
  *days = g_date_days_between (&a, &b);
  return TRUE;
}

gboolean
upg_retro_overrun_minutes (UpgRecord *project,
                           UpgRecord *retro,
                           gint64    *minutes)
{
  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);
  if (retro == NULL)
    return FALSE;
  return upg_minutes_between (upg_record_get_string (project, UPG_PROJECT_WINDOW_END),
                              upg_record_get_string (retro, UPG_RETRO_ACTUAL_END), minutes);
}

gboolean
upg_milestone_slip_days (UpgRecord *milestone,
                         int       *days)
{
  return upg_days_between (upg_record_get_string (milestone, UPG_MILESTONE_DUE),
                           upg_record_get_string (milestone, UPG_MILESTONE_DONE), days);
}

gboolean
upg_retro_rolled_back (UpgRecord *project,
                       UpgRecord *retro)
{
  if (retro != NULL && upg_record_get_bool (retro, UPG_RETRO_ROLLBACK_USED))
    return TRUE;
  return g_strcmp0 (upg_record_get_string (project, UPG_PROJECT_STATUS), "rolled_back") == 0 ||
         upg_record_get_string (project, UPG_PROJECT_ROLLBACK_STARTED_AT) != NULL;
}

gboolean
upg_project_rollback_minutes (UpgRecord *project,
                              gint64    *minutes)
{
  return upg_minutes_between (upg_record_get_string (project, UPG_PROJECT_ROLLBACK_STARTED_AT),
                              upg_record_get_string (project, UPG_PROJECT_ROLLBACK_ENDED_AT), minutes);
}

gboolean
upg_retro_phase_in_window (const char *phase)
{
  static const char * const phases[] = { "build", "validation", "gray_release", "go_live", "rollback", NULL };
  return phase != NULL && g_strv_contains (phases, phase);
}

/* The earlier (@later: the later) of two timestamps, either may be NULL. */
static const char *
pick_time (const char *a, const char *b, gboolean later)
{
  if (a == NULL)
    return b;
  if (b == NULL)
    return a;
  /* Stored timestamps are UTC, "YYYY-MM-DDTHH:MM:SSZ": they compare as text. */
  return (strcmp (a, b) < 0) == later ? b : a;
}

GPtrArray *
upg_retro_gray_stages (UpgRecord  *project,
                       UpgRecord  *retro,
                       GArray    **outcomes)
{
  GListModel *milestones = upg_record_get_children (project, &upg_entity_milestone);
  GPtrArray *stages = g_ptr_array_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (UpgGrayOutcome));
  gboolean rolled_back = upg_retro_rolled_back (project, retro);
  gboolean aborted_seen = FALSE;

  for (guint i = 0, n = milestones ? g_list_model_get_n_items (milestones) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (milestones, i);
      UpgGrayOutcome outcome;
      const char *done;

      if (g_strcmp0 (upg_record_get_string (m, UPG_MILESTONE_KIND), "gray_release") != 0)
        continue;
      done = upg_record_get_string (m, UPG_MILESTONE_DONE);
      if (done != NULL && *done != '\0')
        outcome = UPG_GRAY_DONE;
      else if (!rolled_back)
        outcome = UPG_GRAY_PLANNED;
      else if (!aborted_seen)
        {
          outcome = UPG_GRAY_ABORTED;
          aborted_seen = TRUE;
        }
      else
        outcome = UPG_GRAY_NOT_REACHED;
      g_ptr_array_add (stages, m);   /* the list keeps it alive */
      g_array_append_val (out, outcome);
    }
  if (outcomes != NULL)
    *outcomes = out;
  else
    g_array_unref (out);
  return stages;
}

const char *
upg_gray_outcome_label (UpgGrayOutcome outcome)
{
  switch (outcome)
    {
    case UPG_GRAY_PLANNED: return _("Not reached yet");
    case UPG_GRAY_DONE: return _("Reached");
    case UPG_GRAY_ABORTED: return _("Aborted (rolled back)");
    case UPG_GRAY_NOT_REACHED: return _("Not reached (rolled back)");
    default: return "";
    }
}

/* ---- Formatting ---------------------------------------------------------- */

static GTimeZone *
zone_or_utc (const char *zone)
{
  GTimeZone *tz = NULL;

  if (zone != NULL && *zone != '\0' && strcmp (zone, "UTC") != 0)
    tz = g_time_zone_new_identifier (zone);
  return tz ? tz : g_time_zone_new_utc ();
}

static GDateTime *
in_zone (const char *timestamp, const char *zone)
{
  g_autoptr(GDateTime) utc = timestamp ? upg_timestamp_to_datetime (timestamp) : NULL;
  g_autoptr(GTimeZone) tz = NULL;

  if (utc == NULL)
    return NULL;
  tz = zone_or_utc (zone);
  return g_date_time_to_timezone (utc, tz);
}

char *
upg_retro_format_offset (const char *zone,
                       const char *timestamp)
{
  g_autoptr(GDateTime) dt = in_zone (timestamp, zone);
  GTimeSpan offset;
  gint64 minutes;

  if (dt == NULL)
    {
      g_autoptr(GDateTime) now = upg_clock_now ();
      g_autoptr(GTimeZone) tz = zone_or_utc (zone);
      dt = g_date_time_to_timezone (now, tz);
    }
  offset = g_date_time_get_utc_offset (dt);
  minutes = offset / G_TIME_SPAN_MINUTE;
  if (minutes == 0)
    return g_strdup ("UTC");
  if (minutes % 60 == 0)
    return g_strdup_printf ("UTC%s%" G_GINT64_FORMAT, minutes < 0 ? "−" : "+", ABS (minutes) / 60);
  return g_strdup_printf ("UTC%s%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                          minutes < 0 ? "−" : "+", ABS (minutes) / 60, ABS (minutes) % 60);
}

char *
upg_retro_format_time (const char *timestamp,
                         const char *zone)
{
  g_autoptr(GDateTime) dt = in_zone (timestamp, zone);

  if (dt == NULL)
    return g_strdup ("");
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

char *
upg_retro_format_window (const char *start,
                           const char *end,
                           const char *zone)
{
  g_autoptr(GDateTime) s = in_zone (start, zone);
  g_autoptr(GDateTime) e = in_zone (end, zone);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *offset = NULL;
  const char *name = zone && *zone ? zone : "UTC";

  if (s == NULL)
    return g_strdup (_("Not known"));
  from = g_date_time_format (s, "%Y-%m-%d %H:%M");
  offset = upg_retro_format_offset (zone, start);
  if (e == NULL)
    {
      if (strcmp (name, "UTC") == 0)
        /* Translators: a window without an end; %s is a time, then the zone */
        return g_strdup_printf (_("From %s (UTC)"), from);
      return g_strdup_printf (_("From %s (%s, %s)"), from, name, offset);
    }
  if (g_date_time_get_year (s) == g_date_time_get_year (e) &&
      g_date_time_get_day_of_year (s) == g_date_time_get_day_of_year (e))
    to = g_date_time_format (e, "%H:%M");
  else
    to = g_date_time_format (e, "%Y-%m-%d %H:%M");
  if (strcmp (name, "UTC") == 0)
    return g_strdup_printf ("%s – %s (UTC)", from, to);
  return g_strdup_printf ("%s – %s (%s, %s)", from, to, name, offset);
}

char *
upg_retro_format_minutes (gint64 minutes)
{
  const char *sign = minutes < 0 ? "−" : "";
  gint64 m = ABS (minutes);

  if (m < 60)
    /* Translators: a duration in minutes */
    return g_strdup_printf (_("%s%d min"), sign, (int) m);
  if (m % 60 == 0)
    /* Translators: a duration in hours */
    return g_strdup_printf (_("%s%d h"), sign, (int) (m / 60));
  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (_("%s%d h %d min"), sign, (int) (m / 60), (int) (m % 60));
}

char *
upg_retro_format_overrun (gint64 minutes)
{
  g_autofree char *d = upg_retro_format_minutes (ABS (minutes));

  if (minutes == 0)
    return g_strdup (_("on time"));
  if (minutes > 0)
    /* Translators: the actual end came %s after the planned end */
    return g_strdup_printf (_("%s late"), d);
  /* Translators: the actual end came %s before the planned end */
  return g_strdup_printf (_("%s early"), d);
}

/* ---- Planned and actual, as rows -------------------------------------------- */

void
upg_retro_row_free (UpgRetroRow *row)
{
  if (row == NULL)
    return;
  g_free (row->what);
  g_free (row->planned);
  g_free (row->actual);
  g_free (row->difference);
  g_free (row);
}

UpgRetroRow *
upg_retro_row_new (const char *what,
                   const char *planned,
                   const char *actual,
                   const char *difference)
{
  UpgRetroRow *row = g_new0 (UpgRetroRow, 1);
  row->what = g_strdup (what ? what : "");
  row->planned = g_strdup (planned ? planned : "");
  row->actual = g_strdup (actual ? actual : "");
  row->difference = g_strdup (difference ? difference : "");
  return row;
}

static const char *
str (UpgRecord *record, guint field)
{
  const char *s = upg_record_get_string (record, field);
  return s ? s : "";
}

static const char *
or_dash (const char *s)
{
  return s && *s ? s : "—";
}

static char *
format_day_slip (int days)
{
  if (days == 0)
    return g_strdup (_("on time"));
  if (days > 0)
    /* Translators: a milestone done %d days after its due date */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day late", "%d days late", days), days);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day early", "%d days early", -days), -days);
}

/* @format with the duration of @minutes in it ("%s over target"). */
static char *
minutes_phrase (const char *format, gint64 minutes)
{
  g_autofree char *d = upg_retro_format_minutes (minutes);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return g_strdup_printf (format, d);
#pragma GCC diagnostic pop
}

GPtrArray *
upg_retro_compare (UpgRecord *project,
                   UpgRecord *retro)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_retro_row_free);
  const char *zone = str (project, UPG_PROJECT_TIME_ZONE);
  int target = upg_record_get_int (project, UPG_PROJECT_ROLLBACK_TARGET_MINUTES);
  int downtime = upg_record_get_int (retro, UPG_RETRO_DOWNTIME_MINUTES);
  int rollback = upg_record_get_int (retro, UPG_RETRO_ROLLBACK_MINUTES);
  gboolean used = upg_record_get_bool (retro, UPG_RETRO_ROLLBACK_USED);
  g_autofree char *planned_w = upg_retro_format_window (upg_record_get_string (project, UPG_PROJECT_WINDOW_START),
                                                          upg_record_get_string (project, UPG_PROJECT_WINDOW_END), zone);
  g_autofree char *actual_w = upg_retro_format_window (upg_record_get_string (retro, UPG_RETRO_ACTUAL_START),
                                                         upg_record_get_string (retro, UPG_RETRO_ACTUAL_END), zone);
  g_autofree char *overrun = NULL;
  g_autofree char *planned_len = NULL, *actual_len = NULL;
  g_autofree char *target_text = upg_retro_format_minutes (target);
  gint64 minutes;

  if (upg_retro_overrun_minutes (project, retro, &minutes))
    overrun = upg_retro_format_overrun (minutes);
  g_ptr_array_add (rows, upg_retro_row_new (_("Window"), planned_w, actual_w, overrun ? overrun : "—"));
  ((UpgRetroRow *) rows->pdata[rows->len - 1])->worse = overrun != NULL && minutes > 0;

  if (upg_minutes_between (upg_record_get_string (project, UPG_PROJECT_WINDOW_START),
                           upg_record_get_string (project, UPG_PROJECT_WINDOW_END), &minutes))
    planned_len = upg_retro_format_minutes (minutes);
  if (upg_minutes_between (upg_record_get_string (retro, UPG_RETRO_ACTUAL_START),
                           upg_record_get_string (retro, UPG_RETRO_ACTUAL_END), &minutes))
    actual_len = upg_retro_format_minutes (minutes);
  {
    g_autofree char *diff = NULL;
    gint64 p, a;
    if (planned_len && actual_len &&
        upg_minutes_between (upg_record_get_string (project, UPG_PROJECT_WINDOW_START),
                             upg_record_get_string (project, UPG_PROJECT_WINDOW_END), &p) &&
        upg_minutes_between (upg_record_get_string (retro, UPG_RETRO_ACTUAL_START),
                             upg_record_get_string (retro, UPG_RETRO_ACTUAL_END), &a))
      diff = a == p ? g_strdup (_("as planned"))
             /* Translators: the actual window was %s longer than planned */
             : a > p ? minutes_phrase (_("%s longer"), a - p)
                     /* Translators: the actual window was %s shorter than planned */
                     : minutes_phrase (_("%s shorter"), p - a);
    g_ptr_array_add (rows, upg_retro_row_new (_("Duration"), or_dash (planned_len), or_dash (actual_len),
                                          or_dash (diff)));
  }

  {
    g_autofree char *actual = downtime == UPG_INT_NULL ? NULL : upg_retro_format_minutes (downtime);
    g_autofree char *diff = NULL;
    g_autofree char *planned = g_strdup_printf (_("at most %s (the rollback target)"), target_text);
    if (downtime != UPG_INT_NULL && downtime > target)
      diff = minutes_phrase (_("%s over the rollback target"), downtime - target);
    g_ptr_array_add (rows, upg_retro_row_new (_("Downtime"), planned, or_dash (actual), or_dash (diff)));
    ((UpgRetroRow *) rows->pdata[rows->len - 1])->worse = downtime != UPG_INT_NULL && downtime > target;
  }

  {
    g_autofree char *planned = g_strdup_printf (_("restore within %s"), target_text);
    g_autofree char *actual = NULL;
    g_autofree char *diff = NULL;

    if (!used)
      actual = g_strdup (_("Not used"));
    else if (rollback == UPG_INT_NULL)
      actual = g_strdup (_("Used; time not recorded"));
    else
      {
        g_autofree char *took = upg_retro_format_minutes (rollback);
        /* Translators: the rollback was used and took %s */
        actual = g_strdup_printf (_("Used; took %s"), took);
        if (rollback > target)
          diff = minutes_phrase (_("%s over target"), rollback - target);
        else
          diff = g_strdup (_("within target"));
      }
    g_ptr_array_add (rows, upg_retro_row_new (_("Rollback"), planned, actual, or_dash (diff)));
    ((UpgRetroRow *) rows->pdata[rows->len - 1])->worse = used && rollback != UPG_INT_NULL && rollback > target;
  }
  return rows;
}

GPtrArray *
upg_retro_milestone_rows (UpgRecord *project)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_retro_row_free);
  GListModel *milestones = upg_record_get_children (project, &upg_entity_milestone);

  for (guint i = 0, n = milestones ? g_list_model_get_n_items (milestones) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (milestones, i);
      g_autofree char *slip = NULL;
      int days;

      if (upg_milestone_slip_days (m, &days))
        slip = format_day_slip (days);
      else
        days = 0;
      g_ptr_array_add (rows, upg_retro_row_new (str (m, UPG_MILESTONE_TITLE),
                                               or_dash (upg_record_get_string (m, UPG_MILESTONE_DUE)),
                                               upg_record_get_string (m, UPG_MILESTONE_DONE) ? str (m, UPG_MILESTONE_DONE)
                                                                                             : _("not done"),
                                               or_dash (slip)));
      ((UpgRetroRow *) rows->pdata[rows->len - 1])->worse = days > 0;
    }
  return rows;
}

GPtrArray *
upg_retro_gray_rows (UpgRecord *project,
                     UpgRecord *retro)
{
  GPtrArray *gray = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_retro_row_free);
  g_autoptr(GArray) outcomes = NULL;
  g_autoptr(GPtrArray) stages = upg_retro_gray_stages (project, retro, &outcomes);

  for (guint i = 0; i < stages->len; i++)
    {
      UpgRecord *m = stages->pdata[i];
      UpgGrayOutcome outcome = g_array_index (outcomes, UpgGrayOutcome, i);
      int percent = upg_record_get_int (m, UPG_MILESTONE_ROLLOUT_PERCENT);
      const char *due = upg_record_get_string (m, UPG_MILESTONE_DUE);
      g_autofree char *planned = NULL;
      g_autofree char *happened = NULL;

      if (percent != UPG_INT_NULL)
        /* Translators: a gray stage as planned: "5 % of users by 2026-12-05" */
        planned = g_strdup_printf (_("%d %% of users by %s"), percent, or_dash (due));
      else
        planned = g_strdup_printf (_("by %s"), or_dash (due));
      if (outcome == UPG_GRAY_DONE)
        {
          int days;
          g_autofree char *slip = upg_milestone_slip_days (m, &days) ? format_day_slip (days) : NULL;
          happened = slip ? g_strdup_printf (_("Reached %s (%s)"), str (m, UPG_MILESTONE_DONE), slip)
                          : g_strdup_printf (_("Reached %s"), str (m, UPG_MILESTONE_DONE));
        }
      else
        happened = g_strdup (upg_gray_outcome_label (outcome));
      g_ptr_array_add (gray, upg_retro_row_new (str (m, UPG_MILESTONE_TITLE), planned, happened, NULL));
      ((UpgRetroRow *) gray->pdata[gray->len - 1])->worse = outcome == UPG_GRAY_ABORTED;
    }
  return gray;
}

/* ---- The day's timeline --------------------------------------------------- */

void
upg_retro_event_free (UpgRetroEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->at);
  g_free (event->action);
  g_free (event->by);
  g_free (event->note);
  g_clear_object (&event->step);
  g_free (event);
}

static gboolean
ensure_children (UpgStore *store, UpgRecord *record, const UpgEntity *entity, GError **error)
{
  if (upg_record_get_children (record, entity) != NULL)
    return TRUE;
  return upg_store_load_children (store, record, error);
}

static int
compare_events (gconstpointer a, gconstpointer b)
{
  const UpgRetroEvent *x = *(UpgRetroEvent * const *) a;
  const UpgRetroEvent *y = *(UpgRetroEvent * const *) b;
  g_autoptr(GDateTime) dx = upg_timestamp_to_datetime (x->at);
  g_autoptr(GDateTime) dy = upg_timestamp_to_datetime (y->at);

  if (dx && dy)
    return g_date_time_compare (dx, dy);
  return g_strcmp0 (x->at, y->at);
}

GPtrArray *
upg_retro_timeline (UpgStore   *store,
                    UpgProject *project,
                    GError    **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_retro_event_free);
  GListModel *steps;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  if (!ensure_children (store, UPG_RECORD (project), &upg_entity_sop_step, error))
    return NULL;
  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  for (guint i = 0, n = g_list_model_get_n_items (steps); i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      g_autoptr(GPtrArray) history = upg_store_list_check_events (store, step, error);

      if (history == NULL)
        return NULL;
      for (guint j = 0; j < history->len; j++)
        {
          UpgCheckEvent *e = history->pdata[j];
          UpgRetroEvent *event = g_new0 (UpgRetroEvent, 1);

          event->at = g_strdup (e->at);
          event->action = g_strdup (e->action);
          event->by = g_strdup (e->actor);
          event->note = g_strdup (e->reason ? e->reason : "");
          event->step = g_object_ref (step);
          g_ptr_array_add (events, event);
        }
    }
  /* g_ptr_array_sort is a merge sort: stable, so ties keep step order. */
  g_ptr_array_sort (events, compare_events);
  return g_steal_pointer (&events);
}

char *
upg_retro_event_describe (const UpgRetroEvent *event)
{
  const char *title = upg_record_get_string (event->step, UPG_SOP_STEP_TITLE);
  const char *by = event->by && *event->by ? event->by : _("someone");
  gboolean note = event->note && *event->note;

  if (g_strcmp0 (event->action, "check") == 0)
    return note ? g_strdup_printf (_("Checked “%s” — %s: %s"), title, by, event->note)
                /* Translators: a line of the day's timeline: step — who */
                : g_strdup_printf (_("Checked “%s” — %s"), title, by);
  if (g_strcmp0 (event->action, "uncheck") == 0)
    return note ? g_strdup_printf (_("Unchecked “%s” — %s: %s"), title, by, event->note)
                : g_strdup_printf (_("Unchecked “%s” — %s"), title, by);
  return note ? g_strdup_printf (_("Skipped “%s” — %s: %s"), title, by, event->note)
              : g_strdup_printf (_("Skipped “%s” — %s"), title, by);
}

/* ---- Seeding --------------------------------------------------------------- */

static void
add_item (UpgRecord  *retro,
          const char *kind,
          const char *text,
          const char *owner,
          const char *due,
          const char *ticket)
{
  GListStore *items = upg_record_ensure_children (retro, &upg_entity_retro_item);
  g_autoptr(UpgRecord) item = upg_record_new (&upg_entity_retro_item);

  upg_record_set_string (item, UPG_RETRO_ITEM_KIND, kind);
  upg_record_set_string (item, UPG_RETRO_ITEM_TEXT, text);
  if (owner && *owner)
    upg_record_set_string (item, UPG_RETRO_ITEM_OWNER, owner);
  if (due && *due)
    upg_record_set_string (item, UPG_RETRO_ITEM_DUE, due);
  if (ticket && *ticket)
    upg_record_set_string (item, UPG_RETRO_ITEM_TICKET, ticket);
  g_list_store_append (items, item);
}

/* When a project happens, for "older": its window start, else its creation. */
static const char *
project_when (UpgRecord *project)
{
  const char *start = upg_record_get_string (project, UPG_PROJECT_WINDOW_START);
  if (start && *start)
    return start;
  return upg_record_get_string (project, UPG_PROJECT_CREATED_AT);
}

static gboolean
is_older (UpgRecord *other, UpgRecord *project)
{
  gint64 minutes;

  if (!upg_minutes_between (project_when (other), project_when (project), &minutes))
    return FALSE;
  return minutes > 0;
}

UpgProject *
upg_retro_item_get_project (UpgStore  *store,
                            UpgRecord *item)
{
  g_autoptr(GError) error = NULL;
  return upg_store_lookup_project (store, upg_record_get_project_id (item), &error);
}

GPtrArray *
upg_retro_previous_open_actions (UpgStore   *store,
                                 UpgProject *project,
                                 GError    **error)
{
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *projects = upg_store_get_projects (store);

  for (guint i = 0, n = g_list_model_get_n_items (projects); i < n; i++)
    {
      g_autoptr(UpgRecord) other = g_list_model_get_item (projects, i);
      UpgRecord *retro;
      GListModel *items;

      if (other == UPG_RECORD (project) || !is_older (other, UPG_RECORD (project)))
        continue;
      if (!ensure_children (store, other, &upg_entity_retro, error))
        return NULL;
      retro = upg_project_get_retro (UPG_PROJECT (other));
      if (retro == NULL)
        continue;
      if (!ensure_children (store, retro, &upg_entity_retro_item, error))
        return NULL;
      items = upg_record_get_children (retro, &upg_entity_retro_item);
      for (guint j = 0, m = g_list_model_get_n_items (items); j < m; j++)
        {
          g_autoptr(UpgRecord) item = g_list_model_get_item (items, j);
          if (g_strcmp0 (upg_record_get_string (item, UPG_RETRO_ITEM_KIND), "action") == 0 &&
              !upg_record_get_bool (item, UPG_RETRO_ITEM_DONE))
            g_ptr_array_add (actions, g_steal_pointer (&item));
        }
    }
  return g_steal_pointer (&actions);
}

static const char *
project_manager (UpgRecord *project)
{
  GListModel *team = upg_record_get_children (project, &upg_entity_member);

  for (guint i = 0, n = team ? g_list_model_get_n_items (team) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (team, i);
      if (g_strcmp0 (upg_record_get_string (m, UPG_MEMBER_ROLE), "project_manager") == 0)
        return upg_record_get_string (m, UPG_MEMBER_NAME);   /* the list keeps it */
    }
  return NULL;
}

UpgRecord *
upg_retro_seed (UpgStore   *store,
                UpgProject *project,
                const char *today,
                GError    **error)
{
  g_autoptr(UpgRecord) retro = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GPtrArray) previous = NULL;
  g_autofree char *own_today = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  const char *zone;
  const char *first_check = NULL, *last_check = NULL;
  GListModel *notices;
  gint64 rollback_minutes;
  GListModel *milestones, *risks, *steps;
  UpgRiskThresholds thresholds;
  int t[3];
  guint n_occurred = 0;
  gboolean rollback_checked = FALSE;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  if (today == NULL)
    today = own_today = upg_clock_today ();
  if (!upg_record_children_loaded (UPG_RECORD (project)) &&
      !upg_store_load_children (store, UPG_RECORD (project), error))
    return NULL;
  timeline = upg_retro_timeline (store, project, error);
  if (timeline == NULL)
    return NULL;
  previous = upg_retro_previous_open_actions (store, project, error);
  if (previous == NULL)
    return NULL;

  zone = upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_TIME_ZONE);
  upg_project_get_risk_thresholds (project, t);
  thresholds.medium_from = t[0];
  thresholds.high_from = t[1];
  thresholds.critical_from = t[2];

  retro = upg_record_new (&upg_entity_retro);
  upg_record_ensure_children (retro, &upg_entity_retro_item);
  upg_record_set_string (retro, UPG_RETRO_HELD_ON, today);
  upg_record_set_string (retro, UPG_RETRO_FACILITATOR, project_manager (UPG_RECORD (project)));

  /* The actual window: the first and the last check of the window's own
   * phases (preparation checked ten days before is not the day), from the
   * "started" notice when that was recorded earlier, to the end of a
   * rollback when that came later. */
  for (guint i = 0; i < timeline->len; i++)
    {
      UpgRetroEvent *e = timeline->pdata[i];
      if (g_strcmp0 (e->action, "check") != 0 ||
          !upg_retro_phase_in_window (upg_record_get_string (e->step, UPG_SOP_STEP_PHASE)))
        continue;
      if (first_check == NULL)
        first_check = e->at;
      last_check = e->at;
    }
  notices = upg_record_get_children (UPG_RECORD (project), &upg_entity_notice);
  for (guint i = 0, n = notices ? g_list_model_get_n_items (notices) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) notice = g_list_model_get_item (notices, i);
      if (g_strcmp0 (upg_record_get_string (notice, UPG_NOTICE_MOMENT), "started") == 0)
        first_check = pick_time (first_check, upg_record_get_string (notice, UPG_NOTICE_AT), FALSE);
    }
  first_check = pick_time (first_check, upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_ROLLBACK_STARTED_AT), FALSE);
  last_check = pick_time (last_check, upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_ROLLBACK_ENDED_AT), TRUE);
  if (first_check != NULL)
    {
      upg_record_set_string (retro, UPG_RETRO_ACTUAL_START, first_check);
      upg_record_set_string (retro, UPG_RETRO_ACTUAL_END, pick_time (first_check, last_check, TRUE));
    }
  /* The minutes to restore, as the day recorded them. */
  if (upg_project_rollback_minutes (UPG_RECORD (project), &rollback_minutes) && rollback_minutes <= G_MAXINT)
    upg_record_set_int (retro, UPG_RETRO_ROLLBACK_MINUTES, (int) rollback_minutes);

  /* The summary starts as the day's timeline, in the project's zone. */
  if (timeline->len > 0)
    {
      g_autofree char *offset = upg_retro_format_offset (zone, first_check ? first_check
                                                       : ((UpgRetroEvent *) timeline->pdata[0])->at);
      /* Translators: the first line of a seeded retrospective summary; %s is a zone and offset */
      g_string_append_printf (summary, _("What the checklist recorded (%s, %s):"),
                              zone && *zone ? zone : "UTC", offset);
      for (guint i = 0; i < timeline->len; i++)
        {
          UpgRetroEvent *e = timeline->pdata[i];
          g_autofree char *when = upg_retro_format_time (e->at, zone);
          g_autofree char *what = upg_retro_event_describe (e);
          g_string_append_printf (summary, "\n%s %s", when, what);
        }
    }
  upg_record_set_string (retro, UPG_RETRO_SUMMARY, summary->str);

  /* Review first: the open actions of earlier upgrades. */
  for (guint i = 0; i < previous->len; i++)
    {
      UpgRecord *action = previous->pdata[i];
      g_autoptr(UpgProject) from = upg_retro_item_get_project (store, action);
      g_autofree char *text = NULL;

      /* Translators: a seeded lesson: an open action of another project's retrospective */
      text = g_strdup_printf (_("Review the open action from “%s”: %s"),
                              from ? upg_project_get_name (from) : "?",
                              upg_record_get_string (action, UPG_RETRO_ITEM_TEXT));
      add_item (retro, "lesson", text,
                upg_record_get_string (action, UPG_RETRO_ITEM_OWNER),
                upg_record_get_string (action, UPG_RETRO_ITEM_DUE),
                upg_record_get_string (action, UPG_RETRO_ITEM_TICKET));
    }

  /* Milestones: the slips, and what is still not done after its date. */
  milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
  for (guint i = 0, n = g_list_model_get_n_items (milestones); i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (milestones, i);
      const char *title = upg_record_get_string (m, UPG_MILESTONE_TITLE);
      const char *due = upg_record_get_string (m, UPG_MILESTONE_DUE);
      const char *done = upg_record_get_string (m, UPG_MILESTONE_DONE);
      g_autofree char *text = NULL;
      int days;

      if (upg_milestone_slip_days (m, &days))
        {
          if (days > 0)
            text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Milestone “%s” slipped %d day (due %s, done %s)",
                                                 "Milestone “%s” slipped %d days (due %s, done %s)", days),
                                    title, days, due, done);
        }
      else if (upg_milestone_state (m, today) == UPG_MILESTONE_STATE_OVERDUE &&
               upg_days_between (due, today, &days))
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Milestone “%s” not done, %d day after its date (due %s)",
                                             "Milestone “%s” not done, %d days after its date (due %s)", days),
                                title, days, due);
      if (text)
        add_item (retro, "went_wrong", text, NULL, NULL, NULL);
    }

  /* The risks that occurred, with the score they were planned with. */
  risks = upg_record_get_children (UPG_RECORD (project), &upg_entity_risk);
  for (guint i = 0, n = g_list_model_get_n_items (risks); i < n; i++)
    {
      g_autoptr(UpgRecord) r = g_list_model_get_item (risks, i);
      int score;
      UpgRiskLevel level;
      g_autofree char *text = NULL;

      if (g_strcmp0 (upg_record_get_string (r, UPG_RISK_STATUS), "occurred") != 0)
        continue;
      n_occurred++;
      score = upg_risk_get_score (UPG_RISK (r));
      level = upg_risk_level_for_score (score, &thresholds);
      /* Translators: a seeded went-wrong item: risk title, planned score and level */
      text = g_strdup_printf (_("Risk occurred: %s (planned score %d, %s)"),
                              upg_record_get_string (r, UPG_RISK_TITLE), score,
                              upg_risk_level_label (level));
      add_item (retro, "went_wrong", text, upg_record_get_string (r, UPG_RISK_OWNER), NULL, NULL);
    }

  /* Required steps skipped, with the reason. */
  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  for (guint i = 0, n = g_list_model_get_n_items (steps); i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      g_autofree char *text = NULL;

      if (upg_sop_step_is_done (step) &&
          g_strcmp0 (upg_record_get_string (step, UPG_SOP_STEP_PHASE), "rollback") == 0)
        rollback_checked = TRUE;
      if (!upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED) || !upg_sop_step_is_skipped (store, step))
        continue;
      {
        GListModel *history = upg_record_get_children (step, &upg_entity_sop_event);
        guint h = g_list_model_get_n_items (history);
        g_autoptr(UpgRecord) last = g_list_model_get_item (history, h - 1);
        const char *reason = upg_record_get_string (last, UPG_SOP_EVENT_NOTE);

        if (reason && *reason)
          /* Translators: a seeded went-wrong item: a skipped step and why */
          text = g_strdup_printf (_("Required step skipped: %s — %s"),
                                  upg_record_get_string (step, UPG_SOP_STEP_TITLE), reason);
        else
          text = g_strdup_printf (_("Required step skipped: %s"),
                                  upg_record_get_string (step, UPG_SOP_STEP_TITLE));
      }
      add_item (retro, "went_wrong", text, NULL, NULL, NULL);
    }

  upg_record_set_int (retro, UPG_RETRO_INCIDENTS, (int) n_occurred);
  upg_record_set_bool (retro, UPG_RETRO_ROLLBACK_USED,
                       rollback_checked || upg_retro_rolled_back (UPG_RECORD (project), NULL));
  return g_steal_pointer (&retro);
}

UpgRecord *
upg_retro_start (UpgStore   *store,
                 UpgProject *project,
                 const char *today,
                 GError    **error)
{
  g_autoptr(UpgRecord) retro = NULL;
  GListModel *existing;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  if (!ensure_children (store, UPG_RECORD (project), &upg_entity_retro, error))
    return NULL;
  existing = upg_record_get_children (UPG_RECORD (project), &upg_entity_retro);
  if (g_list_model_get_n_items (existing) > 0)
    {
      g_set_error (error, UPG_RETRO_ERROR, UPG_RETRO_ERROR_EXISTS,
                   _("“%s” already has a retrospective"), upg_project_get_name (project));
      return NULL;
    }
  retro = upg_retro_seed (store, project, today, error);
  if (retro == NULL)
    return NULL;
  if (!upg_store_insert (store, UPG_RECORD (project), retro, -1, error))
    return NULL;
  return g_steal_pointer (&retro);
}

/* ---- Carrying an action -------------------------------------------------- */

gboolean
upg_retro_item_can_carry (UpgRecord *item)
{
  const char *carried;

  g_return_val_if_fail (UPG_IS_RETRO_ITEM (item), FALSE);
  carried = upg_record_get_string (item, UPG_RETRO_ITEM_CARRIED_TO);
  return g_strcmp0 (upg_record_get_string (item, UPG_RETRO_ITEM_KIND), "action") == 0 &&
         !upg_record_get_bool (item, UPG_RETRO_ITEM_DONE) &&
         (carried == NULL || *carried == '\0');
}

static const char *
role_of (UpgRecord *project, const char *name)
{
  GListModel *team = upg_record_get_children (project, &upg_entity_member);

  for (guint i = 0, n = team && name ? g_list_model_get_n_items (team) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (team, i);
      if (g_strcmp0 (upg_record_get_string (m, UPG_MEMBER_NAME), name) == 0)
        return upg_record_get_string (m, UPG_MEMBER_ROLE);
    }
  return NULL;
}

gboolean
upg_retro_carry_action (UpgStore   *store,
                        UpgRecord  *item,
                        UpgProject *target,
                        GError    **error)
{
  g_autoptr(UpgRecord) step = NULL;
  g_autoptr(UpgProject) from = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  const char *owner, *due, *ticket;
  gboolean own = FALSE, ok;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (UPG_IS_RETRO_ITEM (item), FALSE);
  g_return_val_if_fail (UPG_IS_PROJECT (target), FALSE);

  if (!upg_retro_item_can_carry (item))
    {
      g_set_error (error, UPG_RETRO_ERROR, UPG_RETRO_ERROR_INVALID,
                   _("Only an open action that has not been carried yet can be carried into a checklist"));
      return FALSE;
    }
  if (upg_record_get_project_id (item) == upg_record_get_id (UPG_RECORD (target)))
    {
      g_set_error (error, UPG_RETRO_ERROR, UPG_RETRO_ERROR_INVALID,
                   _("An action is carried into another project’s checklist"));
      return FALSE;
    }
  if (!ensure_children (store, UPG_RECORD (target), &upg_entity_sop_step, error))
    return FALSE;

  from = upg_retro_item_get_project (store, item);
  owner = upg_record_get_string (item, UPG_RETRO_ITEM_OWNER);
  due = upg_record_get_string (item, UPG_RETRO_ITEM_DUE);
  ticket = upg_record_get_string (item, UPG_RETRO_ITEM_TICKET);
  /* Translators: the details of a checklist step made from an action item */
  g_string_append_printf (details, _("Action from the retrospective of “%s”."),
                          from ? upg_project_get_name (from) : "?");
  if (owner && *owner)
    g_string_append_printf (details, _(" Owner: %s."), owner);
  if (due && *due)
    g_string_append_printf (details, _(" Due %s."), due);
  if (ticket && *ticket)
    g_string_append_printf (details, _(" Ticket %s."), ticket);

  step = upg_record_new (&upg_entity_sop_step);
  upg_record_set_string (step, UPG_SOP_STEP_PHASE, "preparation");
  upg_record_set_string (step, UPG_SOP_STEP_TITLE, upg_record_get_string (item, UPG_RETRO_ITEM_TEXT));
  upg_record_set_string (step, UPG_SOP_STEP_DETAILS, details->str);
  upg_record_set_string (step, UPG_SOP_STEP_OWNER_ROLE, role_of (UPG_RECORD (target), owner));
  upg_record_set_bool (step, UPG_SOP_STEP_REQUIRED, TRUE);

  if (!upg_store_begin_nested (store, &own, error))
    return FALSE;
  ok = upg_store_insert (store, UPG_RECORD (target), step, -1, error);
  if (ok)
    upg_record_set_string (item, UPG_RETRO_ITEM_CARRIED_TO,
                           upg_record_get_string (UPG_RECORD (target), UPG_PROJECT_UID));
  if (!upg_store_end_nested (store, own, ok, ok ? error : NULL))
    return FALSE;
  return ok;
}

static gboolean
start_write (UpgStore *store, UpgProject *project, gpointer data, GError **error)
{
  g_autoptr(UpgRecord) retro = upg_retro_start (store, project, NULL, error);

  return retro != NULL;
}

void
upg_retro_start_async (UpgStore            *store,
                       UpgProject          *project,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  upg_store_write_async (store, project, start_write, NULL, NULL, cancellable, callback, user_data);
}

typedef struct {
  gint64 item_id;
  gint64 target_id;
} Carry;

/* The item @id of @project's retrospective (a reference; read now when
 * it was not), or NULL (with an error when it could not be read). */
static UpgRecord *
find_retro_item (UpgStore *store, UpgProject *project, gint64 id, GError **error)
{
  GListModel *retros;

  if (!ensure_children (store, UPG_RECORD (project), &upg_entity_retro, error))
    return NULL;
  retros = upg_record_get_children (UPG_RECORD (project), &upg_entity_retro);
  for (guint i = 0, n = g_list_model_get_n_items (retros); i < n; i++)
    {
      g_autoptr(UpgRecord) retro = g_list_model_get_item (retros, i);
      UpgRecord *item;

      if (!ensure_children (store, retro, &upg_entity_retro_item, error))
        return NULL;
      item = upg_record_list_find (upg_record_get_children (retro, &upg_entity_retro_item), id);
      if (item != NULL)
        return item;
    }
  return NULL;
}

static gboolean
carry_write (UpgStore *store, UpgProject *project, gpointer data, GError **error)
{
  Carry *carry = data;
  g_autoptr(GError) read_error = NULL;
  g_autoptr(UpgRecord) item = find_retro_item (store, project, carry->item_id, &read_error);
  g_autoptr(UpgProject) target = NULL;

  if (read_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return FALSE;
    }
  if (item == NULL)
    {
      g_set_error_literal (error, UPG_RETRO_ERROR, UPG_RETRO_ERROR_INVALID,
                           _("The action is no longer in the plan: it was deleted in the meantime"));
      return FALSE;
    }
  target = upg_store_lookup_project (store, carry->target_id, error);
  return target != NULL && upg_retro_carry_action (store, item, target, error);
}

void
upg_retro_carry_action_async (UpgStore            *store,
                              UpgProject          *project,
                              gint64               item_id,
                              gint64               target_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Carry *carry = g_new0 (Carry, 1);

  carry->item_id = item_id;
  carry->target_id = target_id;
  upg_store_write_async (store, project, carry_write, carry, g_free, cancellable, callback, user_data);
}

