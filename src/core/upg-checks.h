/* upg-checks.h — the plan's own checks: what the window points out.
 *
 * Plain functions over the model, so the widgets only show their answers
 * and the tests can hold them to exact results.
 */
#pragma once

#include "upg-store.h"
#include "upg-risk.h"

G_BEGIN_DECLS

typedef enum {
  UPG_MILESTONE_STATE_UNSCHEDULED,  /* no due date, not done */
  UPG_MILESTONE_STATE_PLANNED,      /* due later */
  UPG_MILESTONE_STATE_DUE_TODAY,
  UPG_MILESTONE_STATE_OVERDUE,      /* due before today, not done */
  UPG_MILESTONE_STATE_DONE,
} UpgMilestoneState;

/* Today's date in the local time zone, "YYYY-MM-DD". */

/* The state of @milestone on @today ("YYYY-MM-DD"; NULL for the clock's today). */
UpgMilestoneState  upg_milestone_state     (UpgRecord  *milestone,
                                            const char *today);

/* Whether a maintenance window from @start to @end (timestamps or NULL) is
 * acceptable; when it ends before it starts, FALSE with a translated
 * message. */
gboolean           upg_check_window        (const char  *start,
                                            const char  *end,
                                            char       **message);

/* The translated warning when another project in @store already uses
 * @project's build id, else NULL. */
char              *upg_build_id_warning    (UpgStore   *store,
                                            UpgProject *project);

/* The roles the plan needs (the project manager and every role that owns an
 * SOP step), in upg_roles order, that nobody in the team has. Needs the
 * project's children loaded. NULL-terminated, the strings are static. */
const char       **upg_team_missing_roles  (UpgProject *project);

/* Team warnings: no project manager, a needed role with nobody, an invalid
 * email address. */
void               upg_team_append_warnings      (UpgProject *project,
                                                  GPtrArray  *warnings);
/* Whether @name is the name of a member of @project's team (children
 * loaded). */
gboolean           upg_project_has_member  (UpgProject *project,
                                            const char *name);
/* The names that checked, unchecked or skipped a step of @project's SOP
 * and are not on its team, in the order they first did (children loaded).
 * A new array of borrowed strings. */
GPtrArray         *upg_sop_outside_actors  (UpgProject *project);

/* Whether @now (NULL: the clock's) falls on release day: a date, in the
 * project's zone, from the maintenance window's start to its end. FALSE
 * without a window. */
gboolean           upg_project_is_release_day (UpgProject *project,
                                               GDateTime  *now);

/* Checklist warnings at @now (NULL: the clock's): no rollback steps (for a
 * project still to happen), the window passed while the status still says
 * it is to come, required steps still open after the window, and people not
 * on the team who worked the checklist. */
void               upg_sop_append_warnings (UpgStore   *store,
                                            UpgProject *project,
                                            GDateTime  *now,
                                            GPtrArray  *warnings);

/* Milestone warnings: overdue (not for a cancelled or completed project), a
 * gray stage without its percent; done after a later milestone is still
 * undone is fine (not checked). */
void               upg_milestone_append_warnings (UpgProject *project,
                                                  const char *today,
                                                  GPtrArray  *warnings);

/* Every warning of @project (children loaded): overview (build id reuse,
 * window), milestones, team, the checklist, then the risk rules
 * (upg_risk_append_warnings).
 * A GPtrArray of UpgWarning, freed with the array. */
GPtrArray         *upg_project_warnings    (UpgStore   *store,
                                            UpgProject *project);

G_END_DECLS
