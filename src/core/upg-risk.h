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

/* ---- Scoring ----------------------------------------------------------- */

#define UPG_RISK_SCALE 5           /* likelihood and impact are 1..5 */

typedef enum {
  UPG_RISK_LEVEL_NONE = -1,        /* no score (e.g. no residual assessment) */
  UPG_RISK_LEVEL_LOW,
  UPG_RISK_LEVEL_MEDIUM,
  UPG_RISK_LEVEL_HIGH,
  UPG_RISK_LEVEL_CRITICAL,
  UPG_RISK_N_LEVELS
} UpgRiskLevel;

/* The lowest score of each level above low. Valid when
 * 2 <= medium_from < high_from < critical_from <= 25. */
typedef struct {
  int medium_from;
  int high_from;
  int critical_from;
} UpgRiskThresholds;

#define UPG_RISK_MEDIUM_FROM_DEFAULT   5
#define UPG_RISK_HIGH_FROM_DEFAULT    10
#define UPG_RISK_CRITICAL_FROM_DEFAULT 20
#define UPG_RISK_THRESHOLDS_INIT \
  { UPG_RISK_MEDIUM_FROM_DEFAULT, UPG_RISK_HIGH_FROM_DEFAULT, UPG_RISK_CRITICAL_FROM_DEFAULT }

/* likelihood × impact, or 0 when either is not in 1..5 (e.g. UPG_INT_NULL). */
int           upg_risk_score              (int likelihood,
                                           int impact);
/* The level of @score under @thresholds (NULL: the defaults);
 * UPG_RISK_LEVEL_NONE for a score outside 1..25. */
UpgRiskLevel  upg_risk_level_for_score    (int                      score,
                                           const UpgRiskThresholds *thresholds);
gboolean      upg_risk_thresholds_valid   (const UpgRiskThresholds *thresholds);
void          upg_risk_thresholds_init_default (UpgRiskThresholds *thresholds);
/* The thresholds the project's levels use (its risk_thresholds): they
 * belong to the plan, so every export of it gives the same levels. */
void          upg_risk_thresholds_for_project (UpgProject        *project,
                                               UpgRiskThresholds *thresholds);
/* "5,10,20", as a project's risk_thresholds field holds them. */
char         *upg_risk_thresholds_to_string (const UpgRiskThresholds *thresholds);
/* The lowest and highest scores a 5×5 matrix can give @level (e.g. high:
 * 10–16 with the defaults); FALSE when no cell has that level. */
gboolean      upg_risk_level_range        (UpgRiskLevel             level,
                                           const UpgRiskThresholds *thresholds,
                                           int                     *lowest,
                                           int                     *highest);

/* The plan format's word for a level ("low" … "critical"; "" for none). */
const char   *upg_risk_level_word         (UpgRiskLevel level);
/* The translated name of a level ("Low" … "Critical"; "" for none). */
const char   *upg_risk_level_label        (UpgRiskLevel level);
/* Translated names of the scale's steps, 1..5 ("Rare" … "Almost certain",
 * "Insignificant" … "Catastrophic"); "" outside 1..5. */
const char   *upg_risk_likelihood_label   (int likelihood);
const char   *upg_risk_impact_label       (int impact);

/* How a heat map cell reads: "Likely × Major: 2 risks, high". */
char         *upg_risk_describe_cell      (int                      likelihood,
                                           int                      impact,
                                           guint                    n_risks,
                                           const UpgRiskThresholds *thresholds);

/* A risk's inherent score (likelihood × impact). */
int           upg_risk_get_score          (UpgRisk *risk);
/* The score after mitigation, or 0 when the residual likelihood or impact
 * has not been assessed. */
int           upg_risk_get_residual_score (UpgRisk *risk);
/* Where the risk stands after mitigation: the residual likelihood and impact
 * when both are assessed, otherwise the inherent ones (an unassessed risk has
 * not been reduced). Returns TRUE when the residual values were used. */
gboolean      upg_risk_get_effective_residual (UpgRisk *risk,
                                               int     *likelihood,
                                               int     *impact);

/* ---- Plan check --------------------------------------------------------- */

/* Appends the risk rules' warnings for @project (children loaded), with
 * the project's thresholds. */
void        upg_risk_append_warnings (UpgProject *project,
                                      GPtrArray  *warnings);
/* The same with explicit thresholds (NULL: the defaults). */
void        upg_risk_append_warnings_full (UpgProject              *project,
                                           const UpgRiskThresholds *thresholds,
                                           GPtrArray               *warnings);
/* The warnings of one risk (section "risks"); @team is the project's team
 * (a GListModel of UpgMember) or NULL to skip the owner-on-team rule. */
void        upg_risk_check            (UpgRisk                 *risk,
                                       GListModel              *team,
                                       const UpgRiskThresholds *thresholds,
                                       GPtrArray               *warnings);

/* ---- Library of common risks -------------------------------------------- */

typedef struct {
  const char *title;         /* untranslated (N_()) */
  const char *category;      /* a word of upg_risk_categories */
  int         likelihood;    /* a suggested starting point */
  int         impact;
  const char *mitigation;    /* untranslated (N_()) */
  const char *contingency;   /* untranslated (N_()) */
} UpgRiskTemplate;

const UpgRiskTemplate *upg_risk_library       (guint *n_templates);
/* A new, unsaved risk from library entry @index, its text translated. */
UpgRisk               *upg_risk_new_from_template (const UpgRiskTemplate *tmpl);

G_END_DECLS
