/* upg-defaults.c — the standard milestones and SOP of a new project. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "upg-defaults.h"

typedef struct {
  const char *kind;
  const char *title;     /* translatable; NULL: a gray release stage */
  int         percent;
} DefaultMilestone;

static const DefaultMilestone milestones[] = {
  { "dev_complete", N_("Development complete"), UPG_INT_NULL },
  { "test_passed",  N_("Tests passed"), UPG_INT_NULL },
  { "gray_release", NULL, 5 },
  { "gray_release", NULL, 50 },
  { "full_launch",  N_("Full launch"), UPG_INT_NULL },
};

typedef struct {
  const char *phase;
  const char *title;
  const char *details;
  const char *owner_role;
  gboolean    required;
} DefaultStep;

/* The method of the seed document, step by step. */
static const DefaultStep steps[] = {
  { "planning", N_("Set the goal, scope and risks"),
    N_("Agree with the business, development and QA what the upgrade is for, which modules and changes it covers and whom it affects. Rate every risk on the risk matrix and plan its contingency."),
    "project_manager", TRUE },
  { "planning", N_("Schedule the milestones and the maintenance window"),
    N_("Set the milestones (development complete, tests passed, gray release, full launch) and the maintenance window, and name an owner for every part."),
    "project_manager", TRUE },
  { "preparation", N_("Prepare a production-like environment"),
    N_("Set up a test environment that matches production, so the upgrade package is validated under real conditions."),
    "devops", TRUE },
  { "preparation", N_("Rehearse the rollback"),
    NULL /* built with the project's rollback target */,
    "devops", TRUE },
  { "preparation", N_("Back up the data and record checksums"),
    N_("Back up the original data before any migration and record its checksum, so every migration step can be verified and audited."),
    "dba", TRUE },
  { "build", N_("Build the package with a unique version id"),
    N_("Build the upgrade package in CI (Jenkins, GitLab CI…) and give it a unique version id (a Git tag or build number), so it can be traced."),
    "devops", TRUE },
  { "validation", N_("Validate before release"),
    N_("In the test environment, run end-to-end load tests, interface compatibility tests and user experience tests, with extra care for the most used features."),
    "qa", TRUE },
  { "gray_release", N_("Release to a small share of users first"),
    N_("Roll out in batches. Watch the logs, error rate and response time, and widen the rollout only once they are stable."),
    "devops", TRUE },
  { "go_live", N_("Deploy in the window and monitor"),
    N_("Deploy during the planned window and watch service health, API success rate and database connections. Start the contingency plan at the first anomaly."),
    "devops", TRUE },
  { "notification", N_("Notify users and collect feedback"),
    N_("Tell users about the upgrade in advance by email or in-app notice, and collect the first users’ feedback after launch."),
    "support", TRUE },
  { "retrospective", N_("Write the retrospective"),
    N_("Record what went well, what went wrong, the lessons and the action items with owners, so the next upgrade benefits."),
    "project_manager", TRUE },
  { "rollback", N_("Roll back if the upgrade fails"),
    NULL /* built with the project's rollback target */,
    "devops", FALSE },
};

guint
upg_defaults_n_milestones (void)
{
  return G_N_ELEMENTS (milestones);
}

guint
upg_defaults_n_sop_steps (void)
{
  return G_N_ELEMENTS (steps);
}

void
upg_defaults_add_milestones (UpgProject *project)
{
  GListStore *list;

  g_return_if_fail (UPG_IS_PROJECT (project));

  list = upg_record_ensure_children (UPG_RECORD (project), &upg_entity_milestone);
  for (guint i = 0; i < G_N_ELEMENTS (milestones); i++)
    {
      g_autoptr(UpgRecord) milestone = upg_record_new (&upg_entity_milestone);
      g_autofree char *title = NULL;

      if (milestones[i].title == NULL)
        /* TRANSLATORS: a milestone: the new version reaches %d percent of users */
        title = g_strdup_printf (_("Gray release %d %%"), milestones[i].percent);
      else
        title = g_strdup (_(milestones[i].title));
      upg_record_set_string (milestone, UPG_MILESTONE_TITLE, title);
      upg_record_set_string (milestone, UPG_MILESTONE_KIND, milestones[i].kind);
      upg_record_set_int (milestone, UPG_MILESTONE_ROLLOUT_PERCENT, milestones[i].percent);
      upg_record_set_position (milestone, i);
      upg_record_set_container (milestone, list);
      g_list_store_append (list, milestone);
    }
}

static char *
step_details (const DefaultStep *step,
              int                minutes)
{
  if (step->details != NULL)
    return g_strdup (_(step->details));
  if (g_str_equal (step->phase, "rollback"))
    return g_strdup_printf (ngettext ("If the go/no-go criteria are not met, roll back to the previous version and confirm that service is restored within %d minute.",
                                      "If the go/no-go criteria are not met, roll back to the previous version and confirm that service is restored within %d minutes.",
                                      minutes), minutes);
  return g_strdup_printf (ngettext ("Rehearse the whole rollback and confirm that service is restored within %d minute. Keep the rollback plan where the team can reach it on the day.",
                                    "Rehearse the whole rollback and confirm that service is restored within %d minutes. Keep the rollback plan where the team can reach it on the day.",
                                    minutes), minutes);
}

void
upg_defaults_add_sop (UpgProject *project)
{
  GListStore *list;
  int minutes;

  g_return_if_fail (UPG_IS_PROJECT (project));

  minutes = upg_record_get_int (UPG_RECORD (project), UPG_PROJECT_ROLLBACK_TARGET_MINUTES);
  if (minutes < 1)
    minutes = 10;

  list = upg_record_ensure_children (UPG_RECORD (project), &upg_entity_sop_step);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(UpgRecord) step = upg_record_new (&upg_entity_sop_step);
      g_autofree char *details = step_details (&steps[i], minutes);

      upg_record_set_string (step, UPG_SOP_STEP_PHASE, steps[i].phase);
      upg_record_set_string (step, UPG_SOP_STEP_TITLE, _(steps[i].title));
      upg_record_set_string (step, UPG_SOP_STEP_DETAILS, details);
      upg_record_set_string (step, UPG_SOP_STEP_OWNER_ROLE, steps[i].owner_role);
      upg_record_set_bool (step, UPG_SOP_STEP_REQUIRED, steps[i].required);
      upg_record_set_position (step, i);
      upg_record_set_container (step, list);
      g_list_store_append (list, step);
    }
}

UpgProject *
upg_defaults_new_project (const char *name,
                          const char *kind)
{
  g_autoptr(UpgRecord) project = upg_record_new (&upg_entity_project);
  g_autofree char *now = upg_timestamp_now ();

  g_return_val_if_fail (name != NULL, NULL);

  upg_record_set_string (project, UPG_PROJECT_NAME, name);
  if (kind != NULL && upg_enum_index (upg_project_kinds, kind) >= 0)
    upg_record_set_string (project, UPG_PROJECT_KIND, kind);
  upg_record_set_string (project, UPG_PROJECT_CREATED_AT, now);
  upg_record_set_string (project, UPG_PROJECT_UPDATED_AT, now);

  upg_defaults_add_milestones (UPG_PROJECT (project));
  upg_defaults_add_sop (UPG_PROJECT (project));
  return UPG_PROJECT (g_steal_pointer (&project));
}
