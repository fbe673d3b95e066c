/* upg-checks.c — the plan's own checks: what the window points out. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-checks.h"
#include "upg-labels.h"
#include "upg-clock.h"
#include "upg-notify.h"
#include "upg-sop.h"

UpgMilestoneState
upg_milestone_state (UpgRecord  *milestone,
                     const char *today)
{
  g_autofree char *own_today = NULL;
  const char *due, *done;

  g_return_val_if_fail (UPG_IS_MILESTONE (milestone), UPG_MILESTONE_STATE_UNSCHEDULED);

  done = upg_record_get_string (milestone, UPG_MILESTONE_DONE);
  due = upg_record_get_string (milestone, UPG_MILESTONE_DUE);
  if (done != NULL && *done != '\0')
    return UPG_MILESTONE_STATE_DONE;
  if (due == NULL || *due == '\0')
    return UPG_MILESTONE_STATE_UNSCHEDULED;
  if (today == NULL)
    today = own_today = upg_clock_today ();
  /* Dates are YYYY-MM-DD, so they compare as strings. */
  if (strcmp (due, today) < 0)
    return UPG_MILESTONE_STATE_OVERDUE;
  if (strcmp (due, today) == 0)
    return UPG_MILESTONE_STATE_DUE_TODAY;
  return UPG_MILESTONE_STATE_PLANNED;
}

gboolean
upg_check_window (const char  *start,
                  const char  *end,
                  char       **message)
{
  g_autoptr(GDateTime) s = NULL;
  g_autoptr(GDateTime) e = NULL;

  if (start == NULL || end == NULL || *start == '\0' || *end == '\0')
    return TRUE;
  s = upg_timestamp_to_datetime (start);
  e = upg_timestamp_to_datetime (end);
  if (s == NULL || e == NULL)
    return TRUE;
  if (g_date_time_compare (e, s) < 0)
    {
      if (message)
        *message = g_strdup (_("The window cannot end before it starts."));
      return FALSE;
    }
  return TRUE;
}

char *
upg_build_id_warning (UpgStore   *store,
                      UpgProject *project)
{
  const char *build_id;
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  build_id = upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_BUILD_ID);
  if (build_id == NULL || *build_id == '\0')
    return NULL;
  names = upg_store_find_build_id (store, build_id, upg_record_get_id (UPG_RECORD (project)));
  if (names->len == 0)
    return NULL;
  if (names->len == 1)
    /* TRANSLATORS: %s is a build id, then a project's name */
    return g_strdup_printf (_("Build id %s was already used by “%s”."), build_id,
                            (const char *) names->pdata[0]);
  return g_strdup_printf (ngettext ("Build id %s was already used by “%s” and %u other project.",
                                    "Build id %s was already used by “%s” and %u other projects.",
                                    names->len - 1),
                          build_id, (const char *) names->pdata[0], names->len - 1);
}

static gboolean
team_has_role (GListModel *team,
               const char *role)
{
  guint n = team ? g_list_model_get_n_items (team) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) member = g_list_model_get_item (team, i);
      if (g_strcmp0 (upg_record_get_string (member, UPG_MEMBER_ROLE), role) == 0)
        return TRUE;
    }
  return FALSE;
}

const char **
upg_team_missing_roles (UpgProject *project)
{
  GListModel *team, *sop;
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  guint n_roles = upg_enum_count (upg_roles);
  g_autofree gboolean *needed = g_new0 (gboolean, n_roles);

  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
  sop = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);

  needed[upg_enum_index (upg_roles, "project_manager")] = TRUE;
  for (guint i = 0, n = sop ? g_list_model_get_n_items (sop) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (sop, i);
      int r = upg_enum_index (upg_roles, upg_record_get_string (step, UPG_SOP_STEP_OWNER_ROLE));
      if (r >= 0)
        needed[r] = TRUE;
    }

  for (guint r = 0; r < n_roles; r++)
    if (needed[r] && !g_str_equal (upg_roles[r], "other") && !team_has_role (team, upg_roles[r]))
      g_ptr_array_add (missing, (gpointer) upg_roles[r]);
  g_ptr_array_add (missing, NULL);
  return (const char **) g_ptr_array_free (g_steal_pointer (&missing), FALSE);
}

void
upg_team_append_warnings (UpgProject *project,
                          GPtrArray  *warnings)
{
  g_autofree const char **missing = NULL;
  GListModel *team;

  g_return_if_fail (UPG_IS_PROJECT (project));
  g_return_if_fail (warnings != NULL);

  team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
  missing = upg_team_missing_roles (project);
  for (guint i = 0; missing[i] != NULL; i++)
    {
      g_autofree char *message = NULL;

      if (g_str_equal (missing[i], "project_manager"))
        message = g_strdup (_("No one on the team is the project manager."));
      else
        /* TRANSLATORS: %s is a role, e.g. "DBA" */
        message = g_strdup_printf (_("Nobody on the team has the role %s, which owns checklist steps."),
                                   upg_enum_label (upg_roles, missing[i]));
      g_ptr_array_add (warnings, upg_warning_new ("team", message));
    }

  for (guint i = 0, n = team ? g_list_model_get_n_items (team) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) member = g_list_model_get_item (team, i);
      const char *email = upg_record_get_string (member, UPG_MEMBER_EMAIL);

      if (email != NULL && *email != '\0' && !upg_check_email (email, NULL))
        {
          g_autofree char *message =
            /* TRANSLATORS: %s is a person's name */
            g_strdup_printf (_("The email address of %s is not valid."),
                             upg_record_get_string (member, UPG_MEMBER_NAME));
          g_ptr_array_add (warnings, upg_warning_new ("team", message));
        }
    }
}

gboolean
upg_project_has_member (UpgProject *project,
                        const char *name)
{
  GListModel *team;

  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);
  team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
  for (guint i = 0, n = team ? g_list_model_get_n_items (team) : 0; name != NULL && i < n; i++)
    {
      g_autoptr(UpgRecord) member = g_list_model_get_item (team, i);
      if (g_strcmp0 (upg_record_get_string (member, UPG_MEMBER_NAME), name) == 0)
        return TRUE;
    }
  return FALSE;
}

GPtrArray *
upg_sop_outside_actors (UpgProject *project)
{
  GPtrArray *names = g_ptr_array_new ();
  GListModel *steps;

  g_return_val_if_fail (UPG_IS_PROJECT (project), names);
  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  for (guint i = 0, n = steps ? g_list_model_get_n_items (steps) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      GListModel *history = upg_record_get_children (step, &upg_entity_sop_event);

      for (guint k = 0, m = history ? g_list_model_get_n_items (history) : 0; k < m; k++)
        {
          g_autoptr(UpgRecord) event = g_list_model_get_item (history, k);
          const char *by = upg_record_get_string (event, UPG_SOP_EVENT_BY);

          /* The history holds the event, and the event its name. */
          if (by != NULL && !upg_text_is_blank (by) && !upg_project_has_member (project, by) &&
              !g_ptr_array_find_with_equal_func (names, by, g_str_equal, NULL))
            g_ptr_array_add (names, (char *) by);
        }
    }
  return names;
}

/* The date of @dt as one number that orders like the dates. */
static int
day_number (GDateTime *dt)
{
  int y, m, d;

  g_date_time_get_ymd (dt, &y, &m, &d);
  return y * 10000 + m * 100 + d;
}

gboolean
upg_project_is_release_day (UpgProject *project,
                            GDateTime  *now)
{
  UpgRecord *p = UPG_RECORD (project);
  const char *start = upg_record_get_string (p, UPG_PROJECT_WINDOW_START);
  const char *end = upg_record_get_string (p, UPG_PROJECT_WINDOW_END);
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) own_now = NULL;
  g_autoptr(GDateTime) from_utc = NULL;
  g_autoptr(GDateTime) to_utc = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GDateTime) here = NULL;

  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);

  from_utc = upg_timestamp_to_datetime (start);
  to_utc = upg_timestamp_to_datetime (end ? end : start);
  if (from_utc == NULL || to_utc == NULL)
    return FALSE;
  if (now == NULL)
    now = own_now = upg_clock_now ();
  zone = g_time_zone_new_identifier (upg_record_get_string (p, UPG_PROJECT_TIME_ZONE));
  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  from = g_date_time_to_timezone (from_utc, zone);
  to = g_date_time_to_timezone (to_utc, zone);
  here = g_date_time_to_timezone (now, zone);
  return day_number (from) <= day_number (here) && day_number (here) <= day_number (to);
}

/* Statuses of a project whose day is over or will not come. */
static const char * const finished_statuses[] = { "done", "cancelled", NULL };
/* Statuses that say the day is still to come. */
static const char * const before_statuses[] = { "planning", "preparing", "validating", NULL };

/* "2026-12-05 11:00 (Asia/Shanghai)": @timestamp in @zone, named. */
static char *
format_in_zone (const char *timestamp,
                const char *zone)
{
  g_autoptr(GDateTime) utc = upg_timestamp_to_datetime (timestamp);
  g_autoptr(GTimeZone) tz = zone && *zone ? g_time_zone_new_identifier (zone) : NULL;
  g_autoptr(GDateTime) there = NULL;
  g_autofree char *text = NULL;

  if (utc == NULL)
    return g_strdup (timestamp ? timestamp : "");
  if (tz == NULL)
    {
      tz = g_time_zone_new_utc ();
      zone = "UTC";
    }
  there = g_date_time_to_timezone (utc, tz);
  text = g_date_time_format (there, "%Y-%m-%d %H:%M");
  /* Translators: a time and the time zone it is in: "20:00 (Asia/Shanghai)" */
  return g_strdup_printf (_("%s (%s)"), text, zone);
}

void
upg_sop_append_warnings (UpgStore   *store,
                         UpgProject *project,
                         GDateTime  *now,
                         GPtrArray  *warnings)
{
  UpgRecord *p = UPG_RECORD (project);
  const char *status = upg_record_get_string (p, UPG_PROJECT_STATUS);
  const char *window_end = upg_record_get_string (p, UPG_PROJECT_WINDOW_END);
  g_autoptr(GDateTime) own_now = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GPtrArray) outside = NULL;
  GListModel *steps;
  gboolean has_rollback = FALSE, passed;
  guint open = 0;

  g_return_if_fail (UPG_IS_STORE (store));
  g_return_if_fail (UPG_IS_PROJECT (project));
  g_return_if_fail (warnings != NULL);

  if (now == NULL)
    now = own_now = upg_clock_now ();
  if (window_end == NULL)
    window_end = upg_record_get_string (p, UPG_PROJECT_WINDOW_START);
  end = upg_timestamp_to_datetime (window_end);
  passed = end != NULL && g_date_time_compare (now, end) > 0;

  steps = upg_record_get_children (p, &upg_entity_sop_step);
  for (guint i = 0, n = steps ? g_list_model_get_n_items (steps) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      const char *phase = upg_record_get_string (step, UPG_SOP_STEP_PHASE);

      if (g_strcmp0 (phase, "rollback") == 0)
        has_rollback = TRUE;
      /* The rollback is done only when needed, the retrospective after the
       * window; a skipped step was dealt with. */
      else if (g_strcmp0 (phase, "retrospective") != 0 &&
               upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED) && !upg_sop_step_is_done (step) &&
               !upg_sop_step_is_skipped (store, step))
        open++;
    }

  if (!has_rollback && !g_strv_contains (finished_statuses, status) && g_strcmp0 (status, "rolled_back") != 0)
    g_ptr_array_add (warnings, upg_warning_new ("checklist",
                                                _("The checklist has no rollback steps: write down how to roll back before the day.")));
  if (passed && g_strv_contains (before_statuses, status))
    {
      g_autofree char *when = format_in_zone (window_end, upg_record_get_string (p, UPG_PROJECT_TIME_ZONE));
      /* TRANSLATORS: the window's end with its zone, then a status ("Preparing") */
      g_autofree char *message = g_strdup_printf (_("The maintenance window ended at %s, but the status is still “%s”."),
                                                  when, upg_enum_label (upg_project_statuses, status));
      g_ptr_array_add (warnings, upg_warning_new ("overview", message));
    }
  if (passed && open > 0 && g_strcmp0 (status, "cancelled") != 0 && g_strcmp0 (status, "rolled_back") != 0)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u required checklist step is still open after the window.",
                                                               "%u required checklist steps are still open after the window.",
                                                               open),
                                                  open);
      g_ptr_array_add (warnings, upg_warning_new ("checklist", message));
    }

  outside = upg_sop_outside_actors (project);
  if (outside->len > 0)
    {
      g_autofree char *names = NULL;
      g_autofree char *message = NULL;

      g_ptr_array_add (outside, NULL);
      /* TRANSLATORS: separates the names in a list of people */
      names = g_strjoinv (_(", "), (char **) outside->pdata);
      /* TRANSLATORS: %s is a list of names */
      message = g_strdup_printf (_("Not on the team, but worked the checklist: %s."), names);
      g_ptr_array_add (warnings, upg_warning_new ("team", message));
    }
}

void
upg_milestone_append_warnings (UpgProject *project,
                               const char *today,
                               GPtrArray  *warnings)
{
  g_autofree char *own_today = NULL;
  GListModel *milestones;
  gboolean finished;

  g_return_if_fail (UPG_IS_PROJECT (project));
  g_return_if_fail (warnings != NULL);

  if (today == NULL)
    today = own_today = upg_clock_today ();
  /* Nothing is overdue in a project that was called off or is complete. */
  finished = g_strv_contains (finished_statuses,
                              upg_record_get_string (UPG_RECORD (project), UPG_PROJECT_STATUS));
  milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
  for (guint i = 0, n = milestones ? g_list_model_get_n_items (milestones) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) milestone = g_list_model_get_item (milestones, i);
      const char *title = upg_record_get_string (milestone, UPG_MILESTONE_TITLE);
      g_autofree char *message = NULL;

      if (!finished && upg_milestone_state (milestone, today) == UPG_MILESTONE_STATE_OVERDUE)
        /* TRANSLATORS: a milestone's title, then its due date */
        message = g_strdup_printf (_("Milestone “%s” is overdue: it was due on %s."), title,
                                   upg_record_get_string (milestone, UPG_MILESTONE_DUE));
      else if (g_strcmp0 (upg_record_get_string (milestone, UPG_MILESTONE_KIND), "gray_release") == 0 &&
               upg_record_get_int (milestone, UPG_MILESTONE_ROLLOUT_PERCENT) == UPG_INT_NULL)
        message = g_strdup_printf (_("Gray release “%s” has no rollout percent."), title);
      if (message != NULL)
        g_ptr_array_add (warnings, upg_warning_new ("milestones", message));
    }
}

/* A project's own template that the template language refuses (one that
 * reached the file some other way, or was written for template-glib): its
 * notices cannot be made until it is fixed in Notifications. */
static void
template_append_warnings (UpgProject *project,
                          GPtrArray  *warnings)
{
  GListModel *templates = upg_record_get_children (UPG_RECORD (project), &upg_entity_email_template);

  for (guint i = 0; templates != NULL && i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(UpgRecord) template = g_list_model_get_item (templates, i);
      g_autoptr(GError) error = NULL;
      const char *moment = upg_record_get_string (template, UPG_EMAIL_TEMPLATE_MOMENT);
      const char *language = upg_record_get_string (template, UPG_EMAIL_TEMPLATE_LANGUAGE);

      g_autofree char *message = NULL;

      if (upg_notify_check_template (upg_record_get_string (template, UPG_EMAIL_TEMPLATE_SUBJECT),
                                     upg_record_get_string (template, UPG_EMAIL_TEMPLATE_BODY), &error))
        continue;
      /* TRANSLATORS: the first %s is a moment ("Advance notice"), the second a language
       * ("English"), the last where and why ("Body, line 1, column 4: …") */
      message = g_strdup_printf (_("The project’s own “%s” template in %s is not allowed, so that notice cannot be made: %s"),
                                 upg_notify_moment_label (moment), upg_enum_label (upg_languages, language),
                                 error->message);
      g_ptr_array_add (warnings, upg_warning_new ("notifications", message));
    }
}

GPtrArray *
upg_project_warnings (UpgStore   *store,
                      UpgProject *project)
{
  GPtrArray *warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);
  g_autofree char *build = NULL;
  g_autofree char *window = NULL;
  UpgRecord *record = UPG_RECORD (project);

  g_return_val_if_fail (UPG_IS_STORE (store), warnings);
  g_return_val_if_fail (UPG_IS_PROJECT (project), warnings);

  build = upg_build_id_warning (store, project);
  if (build != NULL)
    g_ptr_array_add (warnings, upg_warning_new ("overview", build));
  if (!upg_check_window (upg_record_get_string (record, UPG_PROJECT_WINDOW_START),
                         upg_record_get_string (record, UPG_PROJECT_WINDOW_END), &window))
    g_ptr_array_add (warnings, upg_warning_new ("overview", window));

  upg_milestone_append_warnings (project, NULL, warnings);
  upg_team_append_warnings (project, warnings);
  upg_sop_append_warnings (store, project, NULL, warnings);
  upg_risk_append_warnings (project, warnings);
  template_append_warnings (project, warnings);
  return warnings;
}
