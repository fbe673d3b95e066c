/* upg-risk.c — risk scoring, levels and the risk rules of the plan check. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-risk.h"

UpgWarning *
upg_warning_new (const char *section,
                 const char *message)
{
  UpgWarning *warning = g_new0 (UpgWarning, 1);
  warning->section = g_strdup (section);
  warning->message = g_strdup (message);
  return warning;
}

void
upg_warning_free (UpgWarning *warning)
{
  if (warning == NULL)
    return;
  g_free (warning->section);
  g_free (warning->message);
  g_free (warning);
}

/* ---- Scoring ----------------------------------------------------------- */

static const UpgRiskThresholds default_thresholds = UPG_RISK_THRESHOLDS_INIT;

int
upg_risk_score (int likelihood,
                int impact)
{
  if (likelihood < 1 || likelihood > UPG_RISK_SCALE ||
      impact < 1 || impact > UPG_RISK_SCALE)
    return 0;
  return likelihood * impact;
}

gboolean
upg_risk_thresholds_valid (const UpgRiskThresholds *thresholds)
{
  g_return_val_if_fail (thresholds != NULL, FALSE);

  return thresholds->medium_from >= 2 &&
         thresholds->medium_from < thresholds->high_from &&
         thresholds->high_from < thresholds->critical_from &&
         thresholds->critical_from <= UPG_RISK_SCALE * UPG_RISK_SCALE;
}

void
upg_risk_thresholds_init_default (UpgRiskThresholds *thresholds)
{
  g_return_if_fail (thresholds != NULL);
  *thresholds = default_thresholds;
}

UpgRiskLevel
upg_risk_level_for_score (int                      score,
                          const UpgRiskThresholds *thresholds)
{
  const UpgRiskThresholds *t = thresholds ? thresholds : &default_thresholds;

  if (score < 1 || score > UPG_RISK_SCALE * UPG_RISK_SCALE)
    return UPG_RISK_LEVEL_NONE;
  if (score >= t->critical_from)
    return UPG_RISK_LEVEL_CRITICAL;
  if (score >= t->high_from)
    return UPG_RISK_LEVEL_HIGH;
  if (score >= t->medium_from)
    return UPG_RISK_LEVEL_MEDIUM;
  return UPG_RISK_LEVEL_LOW;
}

void
upg_risk_thresholds_for_project (UpgProject        *project,
                                 UpgRiskThresholds *thresholds)
{
  int values[3];

  g_return_if_fail (UPG_IS_PROJECT (project));
  g_return_if_fail (thresholds != NULL);

  upg_project_get_risk_thresholds (project, values);
  thresholds->medium_from = values[0];
  thresholds->high_from = values[1];
  thresholds->critical_from = values[2];
  if (!upg_risk_thresholds_valid (thresholds))
    *thresholds = default_thresholds;
}

char *
upg_risk_thresholds_to_string (const UpgRiskThresholds *thresholds)
{
  g_return_val_if_fail (thresholds != NULL, NULL);
  return g_strdup_printf ("%d,%d,%d", thresholds->medium_from, thresholds->high_from,
                          thresholds->critical_from);
}

gboolean
upg_risk_level_range (UpgRiskLevel             level,
                      const UpgRiskThresholds *thresholds,
                      int                     *lowest,
                      int                     *highest)
{
  int lo = 0, hi = 0;

  for (int l = 1; l <= UPG_RISK_SCALE; l++)
    for (int i = 1; i <= UPG_RISK_SCALE; i++)
      {
        int score = upg_risk_score (l, i);

        if (upg_risk_level_for_score (score, thresholds) != level)
          continue;
        if (lo == 0 || score < lo)
          lo = score;
        if (score > hi)
          hi = score;
      }
  if (lowest != NULL)
    *lowest = lo;
  if (highest != NULL)
    *highest = hi;
  return lo != 0;
}

const char *
upg_risk_level_word (UpgRiskLevel level)
{
  static const char * const words[] = { "low", "medium", "high", "critical" };

  if (level < 0 || level >= UPG_RISK_N_LEVELS)
    return "";
  return words[level];
}

const char *
upg_risk_level_label (UpgRiskLevel level)
{
  switch (level)
    {
    case UPG_RISK_LEVEL_LOW: return C_("risk level", "Low");
    case UPG_RISK_LEVEL_MEDIUM: return C_("risk level", "Medium");
    case UPG_RISK_LEVEL_HIGH: return C_("risk level", "High");
    case UPG_RISK_LEVEL_CRITICAL: return C_("risk level", "Critical");
    case UPG_RISK_LEVEL_NONE:
    case UPG_RISK_N_LEVELS:
    default:
      return "";
    }
}

/* The level as a word inside a sentence ("… is rated high …"). */
static const char *
level_in_sentence (UpgRiskLevel level)
{
  switch (level)
    {
    case UPG_RISK_LEVEL_LOW: return C_("risk level, in a sentence", "low");
    case UPG_RISK_LEVEL_MEDIUM: return C_("risk level, in a sentence", "medium");
    case UPG_RISK_LEVEL_HIGH: return C_("risk level, in a sentence", "high");
    case UPG_RISK_LEVEL_CRITICAL: return C_("risk level, in a sentence", "critical");
    case UPG_RISK_LEVEL_NONE:
    case UPG_RISK_N_LEVELS:
    default:
      return "";
    }
}

const char *
upg_risk_likelihood_label (int likelihood)
{
  switch (likelihood)
    {
    case 1: return C_("likelihood", "Rare");
    case 2: return C_("likelihood", "Unlikely");
    case 3: return C_("likelihood", "Possible");
    case 4: return C_("likelihood", "Likely");
    case 5: return C_("likelihood", "Almost certain");
    default: return "";
    }
}

const char *
upg_risk_impact_label (int impact)
{
  switch (impact)
    {
    case 1: return C_("impact", "Insignificant");
    case 2: return C_("impact", "Minor");
    case 3: return C_("impact", "Moderate");
    case 4: return C_("impact", "Major");
    case 5: return C_("impact", "Catastrophic");
    default: return "";
    }
}

char *
upg_risk_describe_cell (int                      likelihood,
                        int                      impact,
                        guint                    n_risks,
                        const UpgRiskThresholds *thresholds)
{
  UpgRiskLevel level = upg_risk_level_for_score (upg_risk_score (likelihood, impact), thresholds);
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u risk", "%u risks", n_risks), n_risks);

  /* Translators: a heat map cell, e.g. "Likely × Major: 2 risks, high" */
  return g_strdup_printf (_("%s × %s: %s, %s"),
                          upg_risk_likelihood_label (likelihood),
                          upg_risk_impact_label (impact),
                          count, level_in_sentence (level));
}

int
upg_risk_get_score (UpgRisk *risk)
{
  g_return_val_if_fail (UPG_IS_RISK (risk), 0);

  return upg_risk_score (upg_record_get_int (UPG_RECORD (risk), UPG_RISK_LIKELIHOOD),
                         upg_record_get_int (UPG_RECORD (risk), UPG_RISK_IMPACT));
}

int
upg_risk_get_residual_score (UpgRisk *risk)
{
  g_return_val_if_fail (UPG_IS_RISK (risk), 0);

  return upg_risk_score (upg_record_get_int (UPG_RECORD (risk), UPG_RISK_RESIDUAL_LIKELIHOOD),
                         upg_record_get_int (UPG_RECORD (risk), UPG_RISK_RESIDUAL_IMPACT));
}

gboolean
upg_risk_get_effective_residual (UpgRisk *risk,
                                 int     *likelihood,
                                 int     *impact)
{
  UpgRecord *record = UPG_RECORD (risk);
  gboolean residual;

  g_return_val_if_fail (UPG_IS_RISK (risk), FALSE);

  residual = upg_risk_get_residual_score (risk) > 0;
  if (likelihood != NULL)
    *likelihood = upg_record_get_int (record, residual ? UPG_RISK_RESIDUAL_LIKELIHOOD : UPG_RISK_LIKELIHOOD);
  if (impact != NULL)
    *impact = upg_record_get_int (record, residual ? UPG_RISK_RESIDUAL_IMPACT : UPG_RISK_IMPACT);
  return residual;
}

/* ---- Plan check --------------------------------------------------------- */

static void
add_warning (GPtrArray  *warnings,
             char       *message)
{
  g_ptr_array_add (warnings, upg_warning_new ("risks", message));
  g_free (message);
}

static gboolean
team_has (GListModel *team,
          const char *name)
{
  guint n = g_list_model_get_n_items (team);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) member = g_list_model_get_item (team, i);
      if (g_strcmp0 (upg_record_get_string (member, UPG_MEMBER_NAME), name) == 0)
        return TRUE;
    }
  return FALSE;
}

void
upg_risk_check (UpgRisk                 *risk,
                GListModel              *team,
                const UpgRiskThresholds *thresholds,
                GPtrArray               *warnings)
{
  UpgRecord *record = UPG_RECORD (risk);
  const char *title, *status, *owner;
  gboolean no_mitigation, no_contingency;
  UpgRiskLevel level;

  g_return_if_fail (UPG_IS_RISK (risk));
  g_return_if_fail (warnings != NULL);

  title = upg_record_get_string (record, UPG_RISK_TITLE);
  status = upg_record_get_string (record, UPG_RISK_STATUS);
  owner = upg_record_get_string (record, UPG_RISK_OWNER);
  level = upg_risk_level_for_score (upg_risk_get_score (risk), thresholds);
  no_mitigation = upg_text_is_blank (upg_record_get_string (record, UPG_RISK_MITIGATION));
  no_contingency = upg_text_is_blank (upg_record_get_string (record, UPG_RISK_CONTINGENCY));

  /* A high or critical risk needs a plan to reduce it and a plan for when it
   * happens; a closed one no longer matters. */
  if (level >= UPG_RISK_LEVEL_HIGH && g_strcmp0 (status, "closed") != 0)
    {
      if (no_mitigation && no_contingency)
        add_warning (warnings,
                     /* Translators: the second %s is a risk level in a sentence ("high") */
                     g_strdup_printf (_("Risk “%s” is rated %s but has neither mitigation nor contingency."),
                                      title, level_in_sentence (level)));
      else if (no_mitigation)
        add_warning (warnings,
                     /* Translators: the second %s is a risk level in a sentence ("high") */
                     g_strdup_printf (_("Risk “%s” is rated %s but has no mitigation."),
                                      title, level_in_sentence (level)));
      else if (no_contingency)
        add_warning (warnings,
                     /* Translators: the second %s is a risk level in a sentence ("high") */
                     g_strdup_printf (_("Risk “%s” is rated %s but has no contingency."),
                                      title, level_in_sentence (level)));
    }

  if (g_strcmp0 (status, "open") == 0 && upg_text_is_blank (owner))
    add_warning (warnings, g_strdup_printf (_("Open risk “%s” has no owner."), title));
  else if (!upg_text_is_blank (owner) && team != NULL && !team_has (team, owner))
    add_warning (warnings,
                 /* Translators: the first %s is a person's name, the second a risk's title */
                 g_strdup_printf (_("%s, the owner of risk “%s”, is not on the team."), owner, title));

  /* The plan format has no separate note: for a risk that occurred, the
   * contingency field records what was done about it. */
  if (g_strcmp0 (status, "occurred") == 0 && no_contingency)
    add_warning (warnings,
                 g_strdup_printf (_("Risk “%s” occurred but has no note of what was done (write it in its contingency)."),
                                  title));
}

void
upg_risk_append_warnings_full (UpgProject              *project,
                               const UpgRiskThresholds *thresholds,
                               GPtrArray               *warnings)
{
  GListModel *risks, *team;
  guint n;

  g_return_if_fail (UPG_IS_PROJECT (project));
  g_return_if_fail (warnings != NULL);

  risks = upg_record_get_children (UPG_RECORD (project), &upg_entity_risk);
  team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
  if (risks == NULL)
    return;
  n = g_list_model_get_n_items (risks);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRisk) risk = g_list_model_get_item (risks, i);
      upg_risk_check (risk, team, thresholds, warnings);
    }
}

void
upg_risk_append_warnings (UpgProject *project,
                          GPtrArray  *warnings)
{
  UpgRiskThresholds thresholds;

  upg_risk_thresholds_for_project (project, &thresholds);
  upg_risk_append_warnings_full (project, &thresholds, warnings);
}

/* ---- Library of common risks -------------------------------------------- */

static const UpgRiskTemplate library[] = {
  { N_("Incompatible interfaces"), "compatibility", 3, 4,
    N_("Run contract tests against every client of the changed interfaces; keep the old interface until all clients have moved."),
    N_("Roll back to the previous version, or re-enable the old interface for the clients that fail.") },
  { N_("Performance regression"), "performance", 3, 3,
    N_("Load test at the expected peak before the gray release and compare with the current version’s baseline."),
    N_("Stop the rollout, roll back within the rollback target and analyse the profiles.") },
  { N_("Users’ habits disrupted"), "user_experience", 3, 2,
    N_("Tell users in advance what changes, brief support and publish a short guide."),
    N_("Answer through support with the guide, collect feedback and adjust in a follow-up release.") },
  { N_("Data migration error or loss"), "data_migration", 2, 5,
    N_("Back up the data with checksums before migrating, rehearse the migration on a copy and verify row counts after each step."),
    N_("Stop the migration, restore the backup after verifying its checksums and roll back the application.") },
  { N_("Configuration omitted"), "configuration", 3, 3,
    N_("Keep configuration in version control, compare the environments before the upgrade and list every setting in the checklist."),
    N_("Apply the missing configuration from version control, or roll back.") },
  { N_("Dependency not ready"), "dependency", 3, 3,
    N_("Confirm each dependency’s version and release date with its owners and track them as milestones."),
    N_("Postpone the upgrade, or release with the old dependency behind a switch.") },
  { N_("Script error during the upgrade"), "other", 3, 4,
    N_("Review every upgrade script, rehearse it in a staging environment and make it stop at the first error."),
    N_("Stop, run the rehearsed rollback, fix the script and reschedule.") },
  { N_("Untested UI change"), "user_experience", 3, 3,
    N_("Test every changed screen before the release, including keyboard use, accessibility and translations."),
    N_("Turn the change off with its feature switch, or roll back the front end.") },
};

const UpgRiskTemplate *
upg_risk_library (guint *n_templates)
{
  g_return_val_if_fail (n_templates != NULL, NULL);
  *n_templates = G_N_ELEMENTS (library);
  return library;
}

UpgRisk *
upg_risk_new_from_template (const UpgRiskTemplate *tmpl)
{
  UpgRecord *risk;

  g_return_val_if_fail (tmpl != NULL, NULL);

  risk = upg_record_new (&upg_entity_risk);
  upg_record_set_string (risk, UPG_RISK_TITLE, _(tmpl->title));
  upg_record_set_string (risk, UPG_RISK_CATEGORY, tmpl->category);
  upg_record_set_int (risk, UPG_RISK_LIKELIHOOD, tmpl->likelihood);
  upg_record_set_int (risk, UPG_RISK_IMPACT, tmpl->impact);
  upg_record_set_string (risk, UPG_RISK_MITIGATION, _(tmpl->mitigation));
  upg_record_set_string (risk, UPG_RISK_CONTINGENCY, _(tmpl->contingency));
  upg_record_set_string (risk, UPG_RISK_STATUS, "open");
  return UPG_RISK (risk);
}
