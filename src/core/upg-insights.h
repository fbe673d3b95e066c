/* upg-insights.h — learning across upgrades: figures over every project of
 * the file (those with a retrospective are the upgrades that happened).
 *
 * - Change failure rate: upgrades rolled back or with incidents, of all
 *   upgrades with a retrospective.
 * - Time to restore: each rollback's minutes against the project's target.
 * - Window overrun: the actual end against the planned end.
 * - Risks by category: how many occurred, and how many of those had been
 *   scored low (the forecast that missed).
 * - Gray stages: how many were aborted (the first stage not reached in a
 *   rolled-back upgrade; see upg_retro_gray_stages()).
 * - Open actions: every action item not done, with owner, due date and
 *   whether it is overdue on @today.
 */
#pragma once

#include "upg-export.h"

G_BEGIN_DECLS

typedef struct {
  UpgRecord *project;          /* a ref */
  gboolean   failed;           /* rolled back or incidents > 0 */
  gboolean   rolled_back;
  int        incidents;
  int        rollback_minutes; /* UPG_INT_NULL when not known */
  int        rollback_target;
  gboolean   has_overrun;
  gint64     overrun_minutes;
  int        downtime_minutes; /* UPG_INT_NULL when not known */
} UpgInsightsUpgrade;

typedef struct {
  gint64     item_id;          /* the retro item's id in the file */
  char      *text;
  char      *owner;            /* or NULL */
  char      *due;              /* or NULL */
  char      *ticket;           /* or NULL */
  char      *carried_to;       /* a project's uid, or NULL */
  UpgRecord *project;          /* a ref: whose retrospective holds it */
  gboolean   overdue;
} UpgInsightsAction;

typedef struct _UpgInsights UpgInsights;

struct _UpgInsights {
  guint      n_projects;
  guint      n_upgrades;       /* projects with a retrospective */
  guint      n_failed;
  guint      n_rolled_back;
  guint      n_restores;       /* rollbacks with their minutes known */
  guint      n_restores_within_target;
  int        restore_median_minutes;  /* UPG_INT_NULL without restores */
  int        restore_max_minutes;
  guint      n_overrun_known;
  guint      n_overran;        /* ended after the planned end */
  gint64     overrun_total_minutes;   /* of those that overran */
  gint64     overrun_max_minutes;
  guint      risks[8];         /* per upg_risk_categories, every risk */
  guint      occurred[8];
  guint      occurred_low;     /* occurred risks that had been scored low */
  guint      occurred_low_by_category[8];
  /* How late the upgrades ended: early, on time, up to 15 min, up to 30,
   * up to 60, more (UPG_INSIGHTS_OVERRUN_*). */
  guint      overrun_buckets[6];
  guint      n_gray_stages;
  guint      n_gray_aborted;
  GPtrArray *upgrades;         /* UpgInsightsUpgrade, in project order */
  GPtrArray *open_actions;     /* UpgInsightsAction: overdue first, then by due date */
  guint      n_overdue;
  char      *today;
};

/* The figures over @projects (a GListModel of UpgProject whose milestones,
 * risks and retrospective with its items are loaded). */
UpgInsights *upg_insights_compute      (GListModel  *projects,
                                        const char  *today);
/* Reads what the figures need for every project of @store (a query a
 * table, no records made) and computes them; @today NULL: upg_clock_today(). */
UpgInsights *upg_insights_load         (UpgStore    *store,
                                        const char  *today,
                                        GError     **error);
void         upg_insights_free         (UpgInsights *insights);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpgInsights, upg_insights_free)

enum {
  UPG_INSIGHTS_OVERRUN_EARLY,
  UPG_INSIGHTS_OVERRUN_ON_TIME,
  UPG_INSIGHTS_OVERRUN_15,
  UPG_INSIGHTS_OVERRUN_30,
  UPG_INSIGHTS_OVERRUN_60,
  UPG_INSIGHTS_OVERRUN_MORE,
};

/* The label of an overrun bucket ("Early", "On time", "≤ 15 min" …). */
const char  *upg_insights_overrun_label (guint bucket);

/* The change failure rate in whole percent (0 without upgrades). */
guint        upg_insights_failure_percent (const UpgInsights *insights);

/* The "insights" kind of the export table (md, csv; all projects). */
GBytes      *upg_export_insights       (UpgStore                *store,
                                        gint64                   project_id,
                                        const UpgExportOptions  *options,
                                        GError                 **error);

G_END_DECLS
