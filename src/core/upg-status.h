/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-status.h — where an upgrade stands: what the Overview's summary says.
 *
 * Plain functions of a project (its children loaded) and the time now, so
 * the summary is decided here and tested, and the window only shows it.
 */
#pragma once

#include "upg-store.h"
#include "upg-risk.h"

G_BEGIN_DECLS

typedef enum {
  UPG_WINDOW_PHASE_UNSET,    /* no start */
  UPG_WINDOW_PHASE_BEFORE,
  UPG_WINDOW_PHASE_DURING,
  UPG_WINDOW_PHASE_AFTER,
} UpgWindowPhase;

UpgWindowPhase upg_status_window_phase   (const char *start,
                                          const char *end,
                                          GDateTime  *now);
/* "In 6 days", "Tomorrow", "In 3 hours", "In the window now", "Ended
 * yesterday", "Ended 4 days ago", "No maintenance window set". Days are
 * counted in @now's time zone. */
char          *upg_status_window_text    (const char *start,
                                          const char *end,
                                          GDateTime  *now);
/* The window in @tz (NULL: local) with the zone named and its length:
 * "Sat 5 Dec 09:00–11:00 CST (UTC+08:00) · 2 h"; "" without a start. */
char          *upg_status_window_span    (const char *start,
                                          const char *end,
                                          GTimeZone  *tz);

typedef struct {
  guint      milestones_done;
  guint      milestones_total;
  UpgRecord *next_milestone;     /* borrowed: the first not done, by position */
  guint      milestones_undated; /* without a due date */
  guint      risks_critical;     /* open (or occurred) risks by inherent level */
  guint      risks_high;
  GPtrArray *high_risks;         /* borrowed UpgRisk: the open critical and high ones, highest first */
  guint      steps_done;
  guint      steps_total;
  UpgRecord *next_step;          /* borrowed: the first required step not done, in checklist order */
  guint       notices_sent;      /* notices logged as sent */
  UpgRecord  *latest_notice;     /* borrowed: the one sent last */
  const char *notice_due;        /* a moment the project calls for at @now with no notice sent for it yet */
  const char *time_zone;         /* the project's (borrowed): the zone times are shown in */
} UpgStatus;

/* Fills @status from @project (children loaded) at @now (NULL: now). */
void           upg_status_compute        (UpgProject              *project,
                                          const UpgRiskThresholds *thresholds,
                                          GDateTime               *now,
                                          UpgStatus               *status);
void           upg_status_clear          (UpgStatus               *status);

/* The cards' sentences, each whole (a screen reader's name for the card):
 * "Milestones: 2 of 6 done, next: Gray release 5 %, due 3 Dec"
 * "Risks: 1 critical, 3 high open" / "Risks: no high or critical risk open"
 * "Checklist: 12 of 30 steps checked, next: Back up the database" */
char          *upg_status_milestones_text (const UpgStatus *status);
char          *upg_status_risks_text      (const UpgStatus *status);
char          *upg_status_checklist_text  (const UpgStatus *status);
/* "Notices: 2 sent, latest: Advance notice, 2026-11-28 10:00 CST; due now:
 * Started" / "Notices: none sent yet" */
char          *upg_status_notices_text    (const UpgStatus *status);

/* The latest check or uncheck of any step of @project: "Mei Lin checked
 * “Back up the database” · 2026-12-05 09:12 CST"; NULL when nothing was
 * checked yet. */
char          *upg_status_latest_activity (UpgStore   *store,
                                           UpgProject *project,
                                           GError    **error);

/* When the milestones' order (their positions) and their due dates
 * disagree: "“Full launch” is due before “Canary 50%”, which comes earlier
 * in the list"; NULL when they agree. @milestones is a GListModel of
 * UpgMilestone in position order. */
char          *upg_status_milestone_order_warning (GListModel *milestones);

G_END_DECLS
