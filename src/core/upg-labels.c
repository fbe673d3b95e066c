/* upg-labels.c — translated labels of the plan format's enumerations. */
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
