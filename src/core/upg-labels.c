/* upg-labels.c — translated labels of the plan format's enumerations and
 * fields. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-fields.h"
#include "upg-labels.h"

typedef struct {
  const char *word;
  const char *label;
} Label;

static const Label labels[] = {
  /* project kinds */
  { "security_fix", N_("Security fix") },
  { "feature", N_("Feature") },
  { "refactor", N_("Refactor") },
  { "dependency", N_("Dependency") },
  { "infrastructure", N_("Infrastructure") },
  /* project statuses */
  { "planning", N_("Planning") },
  { "preparing", N_("Preparing") },
  { "validating", N_("Validating") },
  { "gray_release", N_("Gray release") },
  { "live", N_("Live") },
  { "done", N_("Done") },
  { "rolled_back", N_("Rolled back") },
  { "cancelled", N_("Cancelled") },
  /* impact levels */
  { "low", N_("Low") },
  { "medium", N_("Medium") },
  { "high", N_("High") },
  /* milestone kinds */
  { "dev_complete", N_("Development complete") },
  { "test_passed", N_("Tests passed") },
  { "full_launch", N_("Full launch") },
  { "custom", N_("Custom") },
  /* risk categories */
  { "compatibility", N_("Compatibility") },
  { "performance", N_("Performance") },
  { "data_migration", N_("Data migration") },
  { "user_experience", N_("User experience") },
  { "configuration", N_("Configuration") },
  { "security", N_("Security") },
  /* risk statuses */
  { "open", N_("Open") },
  { "mitigated", N_("Mitigated") },
  { "occurred", N_("Occurred") },
  { "closed", N_("Closed") },
  /* roles */
  { "project_manager", N_("Project manager") },
  { "frontend", N_("Frontend") },
  { "backend", N_("Backend") },
  { "dba", N_("DBA") },
  { "devops", N_("DevOps") },
  { "qa", N_("QA") },
  { "product", N_("Product") },
  { "support", N_("Support") },
  /* SOP phases */
  { "preparation", N_("Preparation") },
  { "build", N_("Build") },
  { "validation", N_("Validation") },
  { "go_live", N_("Go-live") },
  { "notification", N_("Notification") },
  { "retrospective", N_("Retrospective") },
  { "rollback", N_("Rollback") },
  /* retrospective items */
  { "went_well", N_("Went well") },
  { "went_wrong", N_("Went wrong") },
  { "lesson", N_("Lesson") },
  { "action", N_("Action") },
  /* notifications: languages, moments and how a notice left */
  { "en", N_("English") },
  { "zh_CN", N_("Simplified Chinese") },
  { "advance_notice", N_("Advance notice") },
  { "reminder", N_("Reminder") },
  { "started", N_("Started") },
  { "completed", N_("Completed") },
  { "delayed", N_("Delayed") },
  { "eml", N_(".eml file") },
  { "mail_app", N_("Mail app") },
  { "clipboard", N_("Clipboard") },
};

/* Words that read differently depending on the table they come from. */
static const char *
special_label (const char * const *values, const char *word)
{
  if (strcmp (word, "other") == 0)
    return C_("enumeration", "Other");
  if (values == upg_phases && strcmp (word, "planning") == 0)
    return C_("SOP phase", "Planning");
  if (values == upg_milestone_kinds && strcmp (word, "gray_release") == 0)
    return C_("milestone", "Gray release");
  if (values == upg_phases && strcmp (word, "gray_release") == 0)
    return C_("SOP phase", "Gray release");
  if (values == upg_risk_categories && strcmp (word, "dependency") == 0)
    return C_("risk category", "Dependency");
  if (values == upg_impact_levels || values == NULL)
    return NULL;
  return NULL;
}

const char *
upg_enum_label (const char * const *values,
                const char         *word)
{
  const char *special;

  if (word == NULL)
    return "";
  special = special_label (values, word);
  if (special != NULL)
    return special;
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (strcmp (labels[i].word, word) == 0)
      return _(labels[i].label);
  return word;
}

/* What people call a field (the plan format's key), as the window's forms
 * do: one label a key, for every entity that has it. */
static const Label field_labels[] = {
  { "uid", NC_("field label", "Identifier") },
  { "calendar_uid", NC_("field label", "Calendar identifier") },
  { "name", NC_("field label", "Name") },
  { "kind", NC_("field label", "Kind") },
  { "status", NC_("field label", "Status") },
  { "goal", NC_("field label", "Goal") },
  { "scope", NC_("field label", "Scope") },
  { "impact", NC_("field label", "Impact") },
  { "version_from", NC_("field label", "Version from") },
  { "version_to", NC_("field label", "Version to") },
  { "build_id", NC_("field label", "Build ID") },
  { "window_start", NC_("field label", "Window start") },
  { "window_end", NC_("field label", "Window end") },
  { "time_zone", NC_("field label", "Time zone") },
  { "calendar_sequence", NC_("field label", "Calendar sequence") },
  { "rollback_target_minutes", NC_("field label", "Rollback target") },
  { "rollback_started_at", NC_("field label", "Rollback started") },
  { "rollback_ended_at", NC_("field label", "Rollback ended") },
  { "risk_thresholds", NC_("field label", "Risk levels") },
  { "created_at", NC_("field label", "Created") },
  { "updated_at", NC_("field label", "Last change") },
  { "module", NC_("field label", "Module") },
  { "change", NC_("field label", "Change") },
  { "needs_data_migration", NC_("field label", "Needs data migration") },
  { "title", NC_("field label", "Title") },
  { "due", NC_("field label", "Due") },
  { "done", NC_("field label", "Done") },
  { "rollout_percent", NC_("field label", "Rollout percent") },
  { "cancelled_at", NC_("field label", "Cancelled") },
  { "category", NC_("field label", "Category") },
  { "likelihood", NC_("field label", "Likelihood") },
  { "residual_likelihood", NC_("field label", "Residual likelihood") },
  { "residual_impact", NC_("field label", "Residual impact") },
  { "mitigation", NC_("field label", "Mitigation") },
  { "contingency", NC_("field label", "Contingency") },
  { "owner", NC_("field label", "Owner") },
  { "email", NC_("field label", "Email") },
  { "phone", NC_("field label", "Phone") },
  { "role", NC_("field label", "Role") },
  { "responsibilities", NC_("field label", "Responsibilities") },
  { "audience", NC_("field label", "Audience") },
  { "internal", NC_("field label", "Internal") },
  { "addresses", NC_("field label", "Addresses") },
  { "bcc", NC_("field label", "Bcc") },
  { "language", NC_("field label", "Language") },
  { "moments", NC_("field label", "Moments") },
  { "phase", NC_("field label", "Phase") },
  { "details", NC_("field label", "Details") },
  { "owner_role", NC_("field label", "Owner role") },
  { "required", NC_("field label", "Required") },
  { "checked_at", NC_("field label", "Checked at") },
  { "checked_by", NC_("field label", "Checked by") },
  { "note", NC_("field label", "Note") },
  { "held_on", NC_("field label", "Held on") },
  { "facilitator", NC_("field label", "Facilitator") },
  { "actual_start", NC_("field label", "Actual start") },
  { "actual_end", NC_("field label", "Actual end") },
  { "downtime_minutes", NC_("field label", "Downtime (minutes)") },
  { "rollback_used", NC_("field label", "Rollback used") },
  { "incidents", NC_("field label", "Incidents") },
  { "rollback_minutes", NC_("field label", "Rollback (minutes)") },
  { "root_cause", NC_("field label", "Root cause") },
  { "detection", NC_("field label", "Detection") },
  { "summary", NC_("field label", "Summary") },
  { "text", NC_("field label", "Text") },
  { "ticket", NC_("field label", "Ticket") },
  { "carried_to", NC_("field label", "Carried to") },
  { "moment", NC_("field label", "Moment") },
  { "subject", NC_("field label", "Subject") },
  { "body", NC_("field label", "Body") },
  { "group", NC_("field label", "Group") },
  { "at", NC_("field label", "Time") },
  { "how", NC_("field label", "How sent") },
  { "action", NC_("field label", "Action") },
  { "by", NC_("field label", "By") },
};

const char *
upg_field_label (const UpgEntity *entity,
                 guint            field)
{
  const char *name;

  g_return_val_if_fail (entity != NULL && field < entity->n_fields, "");

  name = entity->fields[field].name;
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (strcmp (field_labels[i].word, name) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "field label", field_labels[i].label);
  return name;
}
