/* upg-risk.h — risk scoring, levels and the risk rules of the plan check. */
#pragma once

#include "upg-record.h"

G_BEGIN_DECLS

/* A problem the plan should raise, shown on the Overview and in its section. */
typedef struct {
  char *section;   /* "overview", "milestones", "risks", "team", "checklist" */
  char *message;   /* translated, one sentence */
} UpgWarning;

UpgWarning *upg_warning_new  (const char *section,
                              const char *message);
void        upg_warning_free (UpgWarning *warning);

/* Appends the risk rules' warnings for @project (children loaded). */
void        upg_risk_append_warnings (UpgProject *project,
                                      GPtrArray  *warnings);

G_END_DECLS
