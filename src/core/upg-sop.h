/* upg-sop.h — the SOP checklist's rules: progress, readiness, and the
 * check / uncheck / skip operations that write a step and its history
 * together.
 *
 * A step is done when it has a checked_at time. Steps live in one list per
 * project (position order); the checklist shows them grouped by phase, with
 * the rollback phase pinned first (upg_sop_display_phases()).
 */
#pragma once

#include "upg-store.h"

G_BEGIN_DECLS

#define UPG_SOP_ERROR (upg_sop_error_quark ())

typedef enum {
  UPG_SOP_ERROR_NOT_READY,       /* required earlier steps are neither done nor skipped */
  UPG_SOP_ERROR_NEEDS_REASON,    /* unchecking or skipping needs a reason */
  UPG_SOP_ERROR_NEEDS_ACTOR,     /* who checks must be named */
  UPG_SOP_ERROR_INVALID,         /* e.g. checking a step that is already done */
  UPG_SOP_ERROR_CHANGED,         /* someone else changed the step first (the record now shows it) */
} UpgSopError;

GQuark              upg_sop_error_quark      (void);

/* The phases in the order the checklist and the exports show them: rollback
 * first (the rollback plan is always one click away), then planning … */
const char * const *upg_sop_display_phases   (void);
/* The phase the readiness rule guards. */
#define UPG_SOP_GUARDED_PHASE "gray_release"

typedef struct {
  guint done;            /* steps with checked_at */
  guint total;
  guint required_done;
  guint required_total;
} UpgSopProgress;

gboolean   upg_sop_step_is_done         (UpgRecord        *step);
/* Progress of @phase among @steps (a GListModel of UpgSopStep); NULL phase
 * counts every step. */
void       upg_sop_progress             (GListModel       *steps,
                                         const char       *phase,
                                         UpgSopProgress   *progress);
/* 0..1; 0 for no steps. */
double     upg_sop_progress_fraction    (const UpgSopProgress *progress);

/* The steps of @phase in position order (new array of borrowed records). */
GPtrArray *upg_sop_steps_in_phase       (GListModel       *steps,
                                         const char       *phase);

/* TRUE when the last entry of @step's history is a skip (and the step is
 * still not done). */
gboolean   upg_sop_step_is_skipped      (UpgStore         *store,
                                         UpgRecord        *step);

/* Readiness: the required steps of the phases before the guarded phase that
 * are neither done nor skipped, in position order; empty when @step is not
 * in the guarded phase. A new array of borrowed records. */
GPtrArray *upg_sop_readiness_blockers   (UpgStore         *store,
                                         GListModel       *steps,
                                         UpgRecord        *step);

/* Checks @step as @actor at @at (NULL: now). When readiness blockers exist
 * and @skip_reason is NULL this fails with UPG_SOP_ERROR_NOT_READY; with a
 * reason, each blocker gets a "skip" entry in its history first. The step,
 * its "check" entry and the skips are written in one transaction.
 *
 * Check, uncheck and skip are each a compare-and-set: in the write
 * transaction the step's state is read again from the file; when it is not
 * what @step (the record the caller saw) says, another program changed it
 * first: nothing is written, @step takes the file's state (so views show
 * it) and the error (UPG_SOP_ERROR_CHANGED) says who did what when: "Step
 * 2 was checked by Mei Lin at 20:00 (Asia/Shanghai)", in the project's
 * zone. A step whose state does not allow the action (checking a checked
 * step) fails the same way with UPG_SOP_ERROR_INVALID. */
gboolean   upg_sop_check                (UpgStore         *store,
                                         GListModel       *steps,
                                         UpgRecord        *step,
                                         const char       *actor,
                                         const char       *at,
                                         const char       *skip_reason,
                                         GError          **error);
/* Unchecks a done step; @reason is required. */
gboolean   upg_sop_uncheck              (UpgStore         *store,
                                         UpgRecord        *step,
                                         const char       *actor,
                                         const char       *at,
                                         const char       *reason,
                                         GError          **error);
/* Records that @blockers (records, none of them checked) were skipped;
 * @reason is required. */
gboolean   upg_sop_skip                 (UpgStore         *store,
                                         GPtrArray        *blockers,
                                         const char       *actor,
                                         const char       *at,
                                         const char       *reason,
                                         GError          **error);

typedef enum {
  UPG_SOP_MARK_CHECK,    /* upg_sop_check() (@reason: for skipping what it waits on, or NULL) */
  UPG_SOP_MARK_UNCHECK,  /* upg_sop_uncheck() */
  UPG_SOP_MARK_SKIP,     /* upg_sop_skip() of the step alone */
} UpgSopMark;

/* On a team server, what the window's checklist asks: @mark of step
 * @step_id of project @project_id, done in a thread on a connection of
 * its own (upg_store_take_companion()), so the window never waits on the
 * network. The thread reads the project's checklist from the server as
 * it is now and applies the same rules, the compare-and-set and the
 * messages as the calls above; @store's own records follow through its
 * watch (the server's notifications). @actor and @reason are copied. */
void       upg_sop_mark_async           (UpgStore            *store,
                                         UpgSopMark           mark,
                                         gint64               project_id,
                                         gint64               step_id,
                                         const char          *actor,
                                         const char          *reason,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean   upg_sop_mark_finish          (UpgStore            *store,
                                         GAsyncResult        *result,
                                         GError             **error);

/* Release day's rollback: "we are rolling back" records when it began
 * (@at; NULL: now) on @project, and "service restored" when it ended, so
 * the minutes to restore reach the retrospective and Insights. Each is a
 * compare-and-set in the write transaction, as a check is: a project whose
 * rollback began already (or, to end it, that has none under way) is
 * refused, saying when (in the project's zone); UPG_SOP_ERROR_CHANGED when
 * another program recorded it first (@project then shows it). */
gboolean   upg_sop_start_rollback       (UpgStore         *store,
                                         UpgProject       *project,
                                         const char       *at,
                                         GError          **error);
gboolean   upg_sop_end_rollback         (UpgStore         *store,
                                         UpgProject       *project,
                                         const char       *at,
                                         GError          **error);

/* Moves @step into @phase at @index among that phase's other steps
 * (clamped; -1 for the end), setting its phase and position in one
 * transaction. */
gboolean   upg_sop_move_step            (UpgStore         *store,
                                         GListModel       *steps,
                                         UpgRecord        *step,
                                         const char       *phase,
                                         int               index,
                                         GError          **error);

/* A step's fields as its editor sets them. */
typedef struct {
  const char *title;
  const char *details;
  const char *owner_role;
  gboolean    required;
  const char *note;
  const char *phase;
} UpgStepEdit;

/* Sets @step's fields to @edit (a new step when @step is NULL, added at
 * the end of its phase) and moves it to the end of @edit's phase when
 * that changed, in one transaction. */
gboolean   upg_sop_save_step            (UpgStore          *store,
                                         UpgProject        *project,
                                         UpgRecord         *step,
                                         const UpgStepEdit *edit,
                                         GError           **error);

/* The window's way to save a step, move one, and begin or end the
 * rollback (@start): as upg_sop_save_step(), upg_sop_move_step(),
 * upg_sop_start_rollback() and upg_sop_end_rollback() do, without
 * waiting on a team server (upg_store_write_async(): on the project as
 * the server has it then; the window's records follow). Each finishes
 * with upg_store_write_finish(). */
void       upg_sop_save_step_async      (UpgStore            *store,
                                         UpgProject          *project,
                                         UpgRecord           *step,
                                         const UpgStepEdit   *edit,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
void       upg_sop_move_step_async      (UpgStore            *store,
                                         UpgProject          *project,
                                         UpgRecord           *step,
                                         const char          *phase,
                                         int                  index,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
void       upg_sop_rollback_async       (UpgStore            *store,
                                         UpgProject          *project,
                                         gboolean             start,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);

/* A history entry as a sentence: "Checked by Mei Lin", "Unchecked by …: reason". */
char      *upg_sop_event_describe       (const UpgCheckEvent *event);

/* A timestamp for people, in UTC when @local is FALSE ("2026-12-05 02:14 UTC"),
 * or in the local zone with the zone's name. "" for NULL/invalid. */
char      *upg_sop_format_time          (const char       *timestamp,
                                         gboolean          local);

G_END_DECLS
