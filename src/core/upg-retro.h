/* upg-retro.h — the retrospective held against the plan: planned vs actual,
 * seeding a new retrospective from what the file knows, and carrying an
 * action into another project's checklist.
 *
 * Timestamps are UTC in the file; for people they are shown in the project's
 * time zone with the zone named. Dates are YYYY-MM-DD.
 */
#pragma once

#include "upg-store.h"

G_BEGIN_DECLS

#define UPG_RETRO_ERROR (upg_retro_error_quark ())

typedef enum {
  UPG_RETRO_ERROR_EXISTS,        /* the project already has a retrospective */
  UPG_RETRO_ERROR_NONE,          /* the project has no retrospective */
  UPG_RETRO_ERROR_INVALID,       /* e.g. carrying an item that is not an open action */
} UpgRetroError;

GQuark      upg_retro_error_quark      (void);

/* ---- Planned vs actual -------------------------------------------------- */

/* Whole minutes from @from to @to (timestamps; negative when @to is
 * earlier); FALSE when either is missing or invalid. */
gboolean    upg_minutes_between        (const char *from,
                                        const char *to,
                                        gint64     *minutes);
/* Days from date @from to date @to (YYYY-MM-DD); FALSE when either is
 * missing or invalid. */
gboolean    upg_days_between           (const char *from,
                                        const char *to,
                                        int        *days);

/* How many minutes the actual end ran past the planned end (negative: it
 * ended early); FALSE when either end is unknown. */
gboolean    upg_retro_overrun_minutes  (UpgRecord  *project,
                                        UpgRecord  *retro,
                                        gint64     *minutes);
/* A milestone's slip in days (done − due); FALSE when not done or no due. */
gboolean    upg_milestone_slip_days    (UpgRecord  *milestone,
                                        int        *days);
/* Whether the upgrade was rolled back: the retrospective says so, the
 * project's status is rolled_back, or a rollback was started on the day
 * (rollback_started_at). @retro may be NULL. */
gboolean    upg_retro_rolled_back      (UpgRecord  *project,
                                        UpgRecord  *retro);

/* The minutes from the rollback's start to its end as recorded on the day
 * (Start Rollback, Service Restored); FALSE unless both are. */
gboolean    upg_project_rollback_minutes (UpgRecord  *project,
                                          gint64     *minutes);

/* The phases whose checks are the maintenance window's own work (build,
 * validation, gray release, go-live, rollback), not the preparation before
 * it nor the notices and the retrospective. */
gboolean    upg_retro_phase_in_window  (const char *phase);

typedef enum {
  UPG_GRAY_PLANNED,      /* not done, nothing went wrong (yet) */
  UPG_GRAY_DONE,         /* reached (done date) */
  UPG_GRAY_ABORTED,      /* the first stage not reached in a rolled-back upgrade */
  UPG_GRAY_NOT_REACHED,  /* a later stage of a rolled-back upgrade */
} UpgGrayOutcome;

/* The outcome of each gray_release milestone of @project (children
 * loaded), in position order: a new array of borrowed milestones, and
 * @outcomes (optional) a GArray of UpgGrayOutcome in the same order. */
GPtrArray  *upg_retro_gray_stages      (UpgRecord  *project,
                                        UpgRecord  *retro,
                                        GArray    **outcomes);
const char *upg_gray_outcome_label     (UpgGrayOutcome outcome);

/* ---- Formatting for people ---------------------------------------------- */

/* "UTC+8", "UTC+5:30", "UTC−3", "UTC" — the offset of @zone at @timestamp. */
char       *upg_retro_format_offset      (const char *zone,
                                        const char *timestamp);
/* "2026-12-05 09:00" in @zone (NULL: UTC); "" when invalid. */
char       *upg_retro_format_time    (const char *timestamp,
                                        const char *zone);
/* "2026-12-05 09:00 – 11:00 (Asia/Shanghai, UTC+8)"; the end repeats the
 * date when it falls on another day; "Not known" without a start. */
char       *upg_retro_format_window  (const char *start,
                                        const char *end,
                                        const char *zone);
/* "45 min", "2 h", "1 h 25 min"; a leading "−" when negative. */
char       *upg_retro_format_minutes         (gint64      minutes);
/* "+25 min late", "10 min early", "on time". */
char       *upg_retro_format_overrun         (gint64      minutes);

/* ---- Planned and actual, as rows (the section and every export) --------- */

typedef struct {
  char *what;        /* "Window", a milestone's title, a gray stage's title */
  char *planned;
  char *actual;
  char *difference;  /* "25 min late", "2 days late", "—"; "" for gray stages */
  gboolean worse;    /* worse than planned: late, over the target, aborted */
} UpgRetroRow;

UpgRetroRow *upg_retro_row_new       (const char *what,
                                      const char *planned,
                                      const char *actual,
                                      const char *difference);
void         upg_retro_row_free      (UpgRetroRow *row);
/* The window (in the project's zone) and its overrun, the duration, the
 * downtime and the rollback against the rollback target. */
GPtrArray   *upg_retro_compare       (UpgRecord  *project,
                                      UpgRecord  *retro);
/* Every milestone: due, done (or "not done") and the slip. */
GPtrArray   *upg_retro_milestone_rows (UpgRecord *project);
/* Every gray stage: as planned (percent and date) and as it happened. */
GPtrArray   *upg_retro_gray_rows     (UpgRecord  *project,
                                      UpgRecord  *retro);

/* ---- The day's timeline -------------------------------------------------- */

typedef struct {
  char      *at;       /* timestamp */
  char      *action;   /* check, uncheck, skip */
  char      *by;
  char      *note;
  UpgRecord *step;     /* a ref */
} UpgRetroEvent;

void        upg_retro_event_free       (UpgRetroEvent *event);
/* Every check, uncheck and skip of @project's SOP, oldest first (ties in
 * step order). A GPtrArray of UpgRetroEvent. */
GPtrArray  *upg_retro_timeline         (UpgStore   *store,
                                        UpgProject *project,
                                        GError    **error);
/* "Checked “Backup” — Mei Lin", "Skipped “Load test” — Jonas: no time". */
char       *upg_retro_event_describe   (const UpgRetroEvent *event);

/* ---- Seeding ------------------------------------------------------------- */

/* A new retrospective for @project, pre-filled from the file, not yet
 * saved: the actual window from the first and last check events, the day's
 * timeline in the summary, went-wrong items for slipped milestones, the
 * risks marked occurred (with their planned score and level) and the
 * required steps that were skipped (with the reason), and, first, the open
 * actions of older retrospectives of other projects to review. @today
 * (NULL: upg_clock_today()) is the held-on date and decides which milestones are
 * late. */
UpgRecord  *upg_retro_seed             (UpgStore   *store,
                                        UpgProject *project,
                                        const char *today,
                                        GError    **error);
/* upg_retro_seed() and saves it as @project's retrospective (one
 * transaction); fails with UPG_RETRO_ERROR_EXISTS when it has one. */
UpgRecord  *upg_retro_start            (UpgStore   *store,
                                        UpgProject *project,
                                        const char *today,
                                        GError    **error);

/* The open actions (kind action, not done) of the retrospectives of every
 * project but @project that are older than it (window start, or creation
 * when unscheduled): a new array of UpgRecord refs. */
GPtrArray  *upg_retro_previous_open_actions (UpgStore   *store,
                                             UpgProject *project,
                                             GError    **error);

/* ---- Carrying an action ------------------------------------------------ */

/* Whether @item is an action that is open and not yet carried anywhere. */
gboolean    upg_retro_item_can_carry   (UpgRecord  *item);
/* Adds @item (an open action) as a required step of @target's checklist
 * (phase preparation; owned by the role of the action's owner when they
 * are in @target's team) and records @target's uid in the item's
 * carried_to, in one transaction. */
gboolean    upg_retro_carry_action     (UpgStore   *store,
                                        UpgRecord  *item,
                                        UpgProject *target,
                                        GError    **error);

/* The window's way to start a retrospective and to carry an action
 * (the item @item_id of @project's retrospective into @target_id's
 * checklist): as upg_retro_start() and upg_retro_carry_action() do,
 * without waiting on a team server (upg_store_write_async()). Each
 * finishes with upg_store_write_finish(). */
void        upg_retro_start_async      (UpgStore            *store,
                                        UpgProject          *project,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
void        upg_retro_carry_action_async (UpgStore            *store,
                                          UpgProject          *project,
                                          gint64               item_id,
                                          gint64               target_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);

/* The project of a retro item (the project whose retrospective holds it),
 * found in @store's project list; NULL when not found. */
UpgProject *upg_retro_item_get_project (UpgStore   *store,
                                        UpgRecord  *item);

G_END_DECLS
