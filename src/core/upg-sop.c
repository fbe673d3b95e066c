/* upg-sop.c — the SOP checklist's rules and operations. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-clock.h"
#include "upg-sop.h"

G_DEFINE_QUARK (upg-sop-error-quark, upg_sop_error)

static const char * const display_phases[] = {
  "rollback", "planning", "preparation", "build", "validation", "gray_release",
  "go_live", "notification", "retrospective", NULL
};

const char * const *
upg_sop_display_phases (void)
{
  return display_phases;
}

gboolean
upg_sop_step_is_done (UpgRecord *step)
{
  const char *at;

  g_return_val_if_fail (UPG_IS_SOP_STEP (step), FALSE);
  at = upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT);
  return at != NULL && *at != '\0';
}

static gboolean
step_in_phase (UpgRecord *step, const char *phase)
{
  return phase == NULL || g_strcmp0 (upg_record_get_string (step, UPG_SOP_STEP_PHASE), phase) == 0;
}

void
upg_sop_progress (GListModel     *steps,
                  const char     *phase,
                  UpgSopProgress *progress)
{
  guint n;

  g_return_if_fail (progress != NULL);
  memset (progress, 0, sizeof *progress);
  if (steps == NULL)
    return;
  n = g_list_model_get_n_items (steps);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      gboolean done, required;

      if (!step_in_phase (step, phase))
        continue;
      done = upg_sop_step_is_done (step);
      required = upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED);
      progress->total++;
      progress->done += done;
      progress->required_total += required;
      progress->required_done += required && done;
    }
}

double
upg_sop_progress_fraction (const UpgSopProgress *progress)
{
  g_return_val_if_fail (progress != NULL, 0.0);
  return progress->total ? (double) progress->done / progress->total : 0.0;
}

GPtrArray *
upg_sop_steps_in_phase (GListModel *steps,
                        const char *phase)
{
  GPtrArray *result = g_ptr_array_new ();
  guint n = steps ? g_list_model_get_n_items (steps) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);
      if (step_in_phase (step, phase))
        g_ptr_array_add (result, step);   /* the model keeps it alive */
    }
  return result;
}

gboolean
upg_sop_step_is_skipped (UpgStore  *store,
                         UpgRecord *step)
{
  g_autoptr(GPtrArray) events = NULL;
  const UpgCheckEvent *last;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  if (upg_sop_step_is_done (step) || upg_record_get_id (step) == 0)
    return FALSE;
  events = upg_store_list_check_events (store, step, NULL);
  if (events == NULL || events->len == 0)
    return FALSE;
  last = g_ptr_array_index (events, events->len - 1);
  return g_strcmp0 (last->action, "skip") == 0;
}

GPtrArray *
upg_sop_readiness_blockers (UpgStore   *store,
                            GListModel *steps,
                            UpgRecord  *step)
{
  GPtrArray *blockers = g_ptr_array_new ();
  int guarded = upg_enum_index (upg_phases, UPG_SOP_GUARDED_PHASE);
  guint n;

  g_return_val_if_fail (UPG_IS_STORE (store), blockers);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), blockers);

  if (!step_in_phase (step, UPG_SOP_GUARDED_PHASE) || steps == NULL)
    return blockers;

  n = g_list_model_get_n_items (steps);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) other = g_list_model_get_item (steps, i);
      int phase = upg_enum_index (upg_phases, upg_record_get_string (other, UPG_SOP_STEP_PHASE));

      if (other == step || phase < 0 || phase >= guarded)
        continue;
      if (!upg_record_get_bool (other, UPG_SOP_STEP_REQUIRED) || upg_sop_step_is_done (other))
        continue;
      if (upg_sop_step_is_skipped (store, other))
        continue;
      g_ptr_array_add (blockers, other);
    }
  return blockers;
}

static char *
resolve_time (const char *at)
{
  return at ? g_strdup (at) : upg_clock_now_iso ();
}

/* "20:00 (Asia/Shanghai)" — @timestamp in @zone, named; with the date when
 * that is not today there. */
static char *
format_state_time (const char *timestamp,
                   const char *zone)
{
  g_autoptr(GDateTime) utc = upg_timestamp_to_datetime (timestamp);
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) there = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) now_there = NULL;
  g_autofree char *time = NULL;

  if (utc == NULL)
    return g_strdup (timestamp ? timestamp : "");
  if (zone != NULL && *zone != '\0')
    tz = g_time_zone_new_identifier (zone);
  if (tz == NULL)
    {
      tz = g_time_zone_new_utc ();
      zone = "UTC";
    }
  there = g_date_time_to_timezone (utc, tz);
  now = upg_clock_now ();
  now_there = g_date_time_to_timezone (now, tz);
  if (g_date_time_get_year (there) == g_date_time_get_year (now_there) &&
      g_date_time_get_day_of_year (there) == g_date_time_get_day_of_year (now_there))
    time = g_date_time_format (there, "%H:%M");
  else
    time = g_date_time_format (there, "%Y-%m-%d %H:%M");
  /* Translators: a time and the time zone it is in: "20:00 (Asia/Shanghai)" */
  return g_strdup_printf (_("%s (%s)"), time, zone);
}

/* Why @step's state (as the file has it: @state) refuses the action. */
static void
set_state_error (GError       **error,
                 int            code,
                 UpgRecord     *step,
                 UpgStepState  *state)
{
  g_autofree char *when = NULL;

  if (!state->exists)
    {
      g_set_error (error, UPG_SOP_ERROR, code,
                   _("“%s” is no longer in the plan: it was deleted or replaced in the meantime"),
                   upg_record_get_string (step, UPG_SOP_STEP_TITLE));
      return;
    }
  if (state->checked_at != NULL)
    {
      when = format_state_time (state->checked_at, state->time_zone);
      /* Translators: "Step 2 was checked by Mei Lin at 20:00 (Asia/Shanghai)" */
      g_set_error (error, UPG_SOP_ERROR, code, _("Step %u was checked by %s at %s"),
                   state->number, state->checked_by ? state->checked_by : "", when);
      return;
    }
  if (state->last_mark != NULL)
    {
      when = format_state_time (state->last_mark->at, state->time_zone);
      /* Translators: "Step 2 was unchecked by Mei Lin at 20:00 (Asia/Shanghai)" */
      g_set_error (error, UPG_SOP_ERROR, code, _("Step %u was unchecked by %s at %s"),
                   state->number, state->last_mark->actor ? state->last_mark->actor : "", when);
      return;
    }
  g_set_error (error, UPG_SOP_ERROR, code, _("Step %u is not checked"), state->number);
}

/* The compare of a compare-and-set, inside the write transaction: the file
 * must hold the state @step shows (what the caller saw), and that state must
 * be checked (@want_checked) or not. On success the step's history is read
 * again when next needed, so new entries follow every one in the file. On
 * failure *changed says whether the file had moved on. */
static gboolean
compare_step (UpgStore   *store,
              UpgRecord  *step,
              gboolean    want_checked,
              gboolean   *changed,
              GError    **error)
{
  g_autoptr(UpgStepState) state = upg_store_read_step_state (store, step, error);

  *changed = FALSE;
  if (state == NULL)
    return FALSE;
  if (!upg_step_state_matches (state, step))
    {
      *changed = TRUE;
      set_state_error (error, UPG_SOP_ERROR_CHANGED, step, state);
      return FALSE;
    }
  if ((state->checked_at != NULL) != want_checked)
    {
      set_state_error (error, UPG_SOP_ERROR_INVALID, step, state);
      return FALSE;
    }
  upg_record_unload_children (step);
  return TRUE;
}

/* A write of ours was refused because the file had moved on: show what it
 * holds. */
static void
show_file_state (UpgStore *store, UpgRecord *step)
{
  g_autoptr(GError) error = NULL;

  if (!upg_store_refresh_record (store, step, &error))
    g_warning ("Could not read the step again: %s", error->message);
}

/* Records @blockers as skipped, in the caller's transaction. A blocker that
 * was checked in the meantime (or removed) needs no skip. */
static gboolean
add_skips (UpgStore   *store,
           GPtrArray  *blockers,
           const char *actor,
           const char *at,
           const char *reason,
           GError    **error)
{
  for (guint i = 0; i < blockers->len; i++)
    {
      UpgRecord *blocker = g_ptr_array_index (blockers, i);
      g_autoptr(UpgStepState) state = upg_store_read_step_state (store, blocker, error);

      if (state == NULL)
        return FALSE;
      if (!state->exists || state->checked_at != NULL)
        continue;
      upg_record_unload_children (blocker);
      if (!upg_store_add_check_event (store, blocker, "skip", actor, at, reason, error))
        return FALSE;
    }
  return TRUE;
}

/* Checks ("check") or unchecks ("uncheck") @step and records the event, with
 * @skipped (or NULL) recorded as skipped for @skip_reason, in one
 * transaction; if the file is rolled back, so is the model. */
static gboolean
mark_step (UpgStore   *store,
           UpgRecord  *step,
           const char *event,
           const char *actor,
           const char *when,
           const char *reason,
           GPtrArray  *skipped,
           const char *skip_reason,
           GError    **error)
{
  gboolean checking = g_str_equal (event, "check");
  g_autofree char *old_at = g_strdup (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT));
  g_autofree char *old_by = g_strdup (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY));
  gboolean own, ok, changed = FALSE;

  if (!upg_store_begin_nested (store, &own, error))
    return FALSE;
  ok = compare_step (store, step, !checking, &changed, error);
  if (ok && skipped != NULL)
    ok = add_skips (store, skipped, actor, when, skip_reason, error);
  /* The history first, then the step, checked as a whole against it. */
  if (ok)
    ok = upg_store_add_check_event (store, step, event, actor, when, reason, error);
  if (ok)
    {
      upg_store_update_begin (store, step);
      upg_record_set_string (step, UPG_SOP_STEP_CHECKED_AT, checking ? when : NULL);
      upg_record_set_string (step, UPG_SOP_STEP_CHECKED_BY, checking ? actor : NULL);
      ok = upg_store_update_end (store, step, error);
    }
  if (upg_store_end_nested (store, own, ok, ok ? error : NULL))
    return TRUE;
  if (changed)
    {
      show_file_state (store, step);
      return FALSE;
    }

  /* The file was rolled back: make the model say what the file says (the
   * histories load again from the file when next asked for). */
  upg_store_update_begin (store, step);
  upg_record_set_string (step, UPG_SOP_STEP_CHECKED_AT, old_at);
  upg_record_set_string (step, UPG_SOP_STEP_CHECKED_BY, old_by);
  upg_store_update_end (store, step, NULL);
  upg_record_unload_children (step);
  for (guint i = 0; skipped != NULL && i < skipped->len; i++)
    upg_record_unload_children (g_ptr_array_index (skipped, i));
  return FALSE;
}

static gboolean
check_actor (const char *actor, GError **error)
{
  if (upg_text_is_blank (actor))
    {
      g_set_error_literal (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NEEDS_ACTOR,
                           _("Choose who is checking the step first"));
      return FALSE;
    }
  return TRUE;
}

gboolean
upg_sop_check (UpgStore    *store,
               GListModel  *steps,
               UpgRecord   *step,
               const char  *actor,
               const char  *at,
               const char  *skip_reason,
               GError     **error)
{
  g_autoptr(GPtrArray) blockers = NULL;
  g_autofree char *when = NULL;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), FALSE);

  if (!check_actor (actor, error))
    return FALSE;
  /* A step that is checked is refused in the transaction, saying by whom. */
  blockers = upg_sop_step_is_done (step) ? g_ptr_array_new ()
                                         : upg_sop_readiness_blockers (store, steps, step);
  if (blockers->len > 0 && skip_reason == NULL)
    {
      g_set_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NOT_READY,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u required step of an earlier phase is not checked",
                                "%u required steps of earlier phases are not checked",
                                blockers->len),
                   blockers->len);
      return FALSE;
    }
  if (blockers->len > 0 && upg_text_is_blank (skip_reason))
    {
      g_set_error_literal (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NEEDS_REASON,
                           _("Skipping required steps needs a reason"));
      return FALSE;
    }

  when = resolve_time (at);
  return mark_step (store, step, "check", actor, when, NULL, blockers, skip_reason, error);
}

gboolean
upg_sop_uncheck (UpgStore    *store,
                 UpgRecord   *step,
                 const char  *actor,
                 const char  *at,
                 const char  *reason,
                 GError     **error)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), FALSE);

  if (!check_actor (actor, error))
    return FALSE;
  if (upg_text_is_blank (reason))
    {
      g_set_error_literal (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NEEDS_REASON,
                           _("Unchecking a step needs a reason"));
      return FALSE;
    }

  when = resolve_time (at);
  return mark_step (store, step, "uncheck", actor, when, reason, NULL, NULL, error);
}

gboolean
upg_sop_skip (UpgStore    *store,
              GPtrArray   *blockers,
              const char  *actor,
              const char  *at,
              const char  *reason,
              GError     **error)
{
  g_autofree char *when = NULL;
  UpgRecord *changed_step = NULL;
  gboolean own, ok = TRUE;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (blockers != NULL, FALSE);

  if (!check_actor (actor, error))
    return FALSE;
  if (upg_text_is_blank (reason))
    {
      g_set_error_literal (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NEEDS_REASON,
                           _("Skipping required steps needs a reason"));
      return FALSE;
    }
  when = resolve_time (at);
  if (!upg_store_begin_nested (store, &own, error))
    return FALSE;
  for (guint i = 0; ok && i < blockers->len; i++)
    {
      UpgRecord *step = g_ptr_array_index (blockers, i);
      gboolean changed;

      ok = compare_step (store, step, FALSE, &changed, error) &&
           upg_store_add_check_event (store, step, "skip", actor, when, reason, error);
      if (changed)
        changed_step = step;
    }
  if (upg_store_end_nested (store, own, ok, ok ? error : NULL))
    return TRUE;
  if (changed_step != NULL)
    show_file_state (store, changed_step);
  for (guint i = 0; i < blockers->len; i++)
    upg_record_unload_children (g_ptr_array_index (blockers, i));
  return FALSE;
}

/* The rollback as the file has it; FALSE (with the error that says why)
 * unless it is what @project shows and @started / @ended want. */
static gboolean
compare_rollback (UpgStore   *store,
                  UpgProject *project,
                  gboolean    want_started,
                  gboolean   *changed,
                  GError    **error)
{
  UpgRecord *p = UPG_RECORD (project);
  const char *zone = upg_record_get_string (p, UPG_PROJECT_TIME_ZONE);
  g_autofree char *started = NULL;
  g_autofree char *ended = NULL;
  gboolean exists;
  int code;

  *changed = FALSE;
  if (!upg_store_read_text (store, p, UPG_PROJECT_ROLLBACK_STARTED_AT, &exists, &started, error) ||
      !upg_store_read_text (store, p, UPG_PROJECT_ROLLBACK_ENDED_AT, &exists, &ended, error))
    return FALSE;
  if (!exists)
    {
      g_set_error (error, UPG_SOP_ERROR, UPG_SOP_ERROR_CHANGED,
                   _("“%s” is no longer in the plan: it was deleted or replaced in the meantime"),
                   upg_project_get_name (project));
      return FALSE;
    }
  *changed = g_strcmp0 (started, upg_record_get_string (p, UPG_PROJECT_ROLLBACK_STARTED_AT)) != 0 ||
             g_strcmp0 (ended, upg_record_get_string (p, UPG_PROJECT_ROLLBACK_ENDED_AT)) != 0;
  code = *changed ? UPG_SOP_ERROR_CHANGED : UPG_SOP_ERROR_INVALID;
  if (ended != NULL)
    {
      g_autofree char *from = format_state_time (started, zone);
      g_autofree char *to = format_state_time (ended, zone);
      /* Translators: "The rollback began at 20:00 (Asia/Shanghai) and ended at 20:14 (Asia/Shanghai)" */
      g_set_error (error, UPG_SOP_ERROR, code, _("The rollback began at %s and ended at %s"), from, to);
      return FALSE;
    }
  if (started != NULL && !want_started)
    {
      g_autofree char *from = format_state_time (started, zone);
      /* Translators: "A rollback is under way: it began at 20:00 (Asia/Shanghai)" */
      g_set_error (error, UPG_SOP_ERROR, code, _("A rollback is under way: it began at %s"), from);
      return FALSE;
    }
  if (started == NULL && want_started)
    {
      g_set_error_literal (error, UPG_SOP_ERROR, code, _("No rollback was started"));
      return FALSE;
    }
  *changed = FALSE;
  return TRUE;
}

/* Sets @field of @project to @when if the rollback is as @want_started
 * says, in one transaction. */
static gboolean
mark_rollback (UpgStore   *store,
               UpgProject *project,
               guint       field,
               gboolean    want_started,
               const char *at,
               GError    **error)
{
  g_autofree char *when = resolve_time (at);
  gboolean own, ok, changed = FALSE;

  if (!upg_store_begin_nested (store, &own, error))
    return FALSE;
  ok = compare_rollback (store, project, want_started, &changed, error);
  if (ok)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_value_init (&value, G_TYPE_STRING);
      g_value_set_string (&value, when);
      ok = upg_store_set_value (store, UPG_RECORD (project), field, &value, error);
    }
  if (upg_store_end_nested (store, own, ok, ok ? error : NULL))
    return TRUE;
  /* Show what the file holds (a refused value is put back by the store). */
  upg_store_refresh_fields (store, UPG_RECORD (project));
  return FALSE;
}

typedef struct {
  UpgSopMark  mark;
  gint64      project_id;
  gint64      step_id;
  char       *actor;
  char       *reason;
} MarkData;

static void
mark_data_free (gpointer data)
{
  MarkData *d = data;

  g_free (d->actor);
  g_free (d->reason);
  g_free (d);
}

static UpgRecord *project_step (UpgProject *project, gint64 id, GError **error);

/* In the thread: the companion store is this thread's alone while taken. */
static gboolean
mark_on (UpgStore *other, MarkData *d, GError **error)
{
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(UpgRecord) step = NULL;
  GListModel *steps;

  /* The checklist as the server has it now. */
  if (!upg_store_reload (other, error))
    return FALSE;
  project = UPG_PROJECT (upg_record_list_find (upg_store_get_projects (other), d->project_id));
  if (project == NULL)
    {
      g_set_error_literal (error, UPG_SOP_ERROR, UPG_SOP_ERROR_CHANGED,
                           _("Someone deleted the project on the team server meanwhile"));
      return FALSE;
    }
  if (!upg_store_load_children (other, UPG_RECORD (project), error))
    return FALSE;
  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  step = project_step (project, d->step_id, error);
  if (step == NULL)
    return FALSE;
  switch (d->mark)
    {
    case UPG_SOP_MARK_CHECK:
      return upg_sop_check (other, steps, step, d->actor, NULL, d->reason, error);
    case UPG_SOP_MARK_UNCHECK:
      return upg_sop_uncheck (other, step, d->actor, NULL, d->reason, error);
    case UPG_SOP_MARK_SKIP:
    default:
      {
        g_autoptr(GPtrArray) one = g_ptr_array_new ();

        g_ptr_array_add (one, step);
        return upg_sop_skip (other, one, d->actor, NULL, d->reason, error);
      }
    }
}

static void
mark_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  UpgStore *store = source_object;
  GError *error = NULL;
  UpgStore *other = upg_store_take_companion (store, &error);
  gboolean ok;

  if (other == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ok = mark_on (other, task_data, &error);
  upg_store_release_companion (store);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
upg_sop_mark_async (UpgStore            *store,
                    UpgSopMark           mark,
                    gint64               project_id,
                    gint64               step_id,
                    const char          *actor,
                    const char          *reason,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MarkData *d;

  g_return_if_fail (UPG_IS_STORE (store));
  g_return_if_fail (upg_store_is_server (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, upg_sop_mark_async);
  d = g_new0 (MarkData, 1);
  d->mark = mark;
  d->project_id = project_id;
  d->step_id = step_id;
  d->actor = g_strdup (actor);
  d->reason = g_strdup (reason);
  g_task_set_task_data (task, d, mark_data_free);
  g_task_run_in_thread (task, mark_thread);
}

gboolean
upg_sop_mark_finish (UpgStore      *store,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
upg_sop_start_rollback (UpgStore    *store,
                        UpgProject  *project,
                        const char  *at,
                        GError     **error)
{
  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);
  return mark_rollback (store, project, UPG_PROJECT_ROLLBACK_STARTED_AT, FALSE, at, error);
}

gboolean
upg_sop_end_rollback (UpgStore    *store,
                      UpgProject  *project,
                      const char  *at,
                      GError     **error)
{
  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);
  return mark_rollback (store, project, UPG_PROJECT_ROLLBACK_ENDED_AT, TRUE, at, error);
}

static int
index_of (GListModel *steps, UpgRecord *step, UpgRecord *skip)
{
  guint n = g_list_model_get_n_items (steps);
  int k = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (steps, i);
      if (item == skip)
        continue;
      if (item == step)
        return k;
      k++;
    }
  return -1;
}

gboolean
upg_sop_move_step (UpgStore    *store,
                   GListModel  *steps,
                   UpgRecord   *step,
                   const char  *phase,
                   int          index,
                   GError     **error)
{
  g_autoptr(GPtrArray) siblings = g_ptr_array_new ();
  g_autofree char *old_phase = NULL;
  int phase_index = upg_enum_index (upg_phases, phase);
  guint n, target = 0;
  gboolean own, ok;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_LIST_MODEL (steps), FALSE);
  g_return_val_if_fail (UPG_IS_SOP_STEP (step), FALSE);
  g_return_val_if_fail (phase_index >= 0, FALSE);

  /* Positions below are in the list without @step, as upg_store_move() counts. */
  n = g_list_model_get_n_items (steps);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (steps, i);
      if (item != step && step_in_phase (item, phase))
        g_ptr_array_add (siblings, item);
    }

  if (index >= 0 && (guint) index < siblings->len)
    target = index_of (steps, g_ptr_array_index (siblings, index), step);
  else if (siblings->len > 0)
    target = index_of (steps, g_ptr_array_index (siblings, siblings->len - 1), step) + 1;
  else
    {
      /* An empty phase: after the last step of an earlier phase. */
      int k = 0;
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(UpgRecord) item = g_list_model_get_item (steps, i);
          int p;
          if (item == step)
            continue;
          k++;
          p = upg_enum_index (upg_phases, upg_record_get_string (item, UPG_SOP_STEP_PHASE));
          if (p >= 0 && p < phase_index)
            target = k;
        }
    }

  old_phase = g_strdup (upg_record_get_string (step, UPG_SOP_STEP_PHASE));
  if (!upg_store_begin_nested (store, &own, error))
    return FALSE;
  upg_record_set_string (step, UPG_SOP_STEP_PHASE, phase);
  ok = upg_store_move (store, step, target, error);
  if (upg_store_end_nested (store, own, ok, error))
    return TRUE;
  upg_record_set_string (step, UPG_SOP_STEP_PHASE, old_phase);
  return FALSE;
}

gboolean
upg_sop_save_step (UpgStore          *store,
                   UpgProject        *project,
                   UpgRecord         *step,
                   const UpgStepEdit *edit,
                   GError           **error)
{
  GListModel *steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  g_autoptr(UpgRecord) record = step != NULL ? g_object_ref (step) : upg_record_new (&upg_entity_sop_step);
  gboolean ok;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (edit != NULL && edit->phase != NULL, FALSE);

  if (!upg_store_begin (store, error))
    return FALSE;
  upg_record_set_string (record, UPG_SOP_STEP_TITLE, edit->title);
  upg_record_set_string (record, UPG_SOP_STEP_DETAILS, edit->details);
  upg_record_set_string (record, UPG_SOP_STEP_OWNER_ROLE, edit->owner_role);
  upg_record_set_bool (record, UPG_SOP_STEP_REQUIRED, edit->required);
  upg_record_set_string (record, UPG_SOP_STEP_NOTE, edit->note);
  if (step == NULL)
    {
      upg_record_set_string (record, UPG_SOP_STEP_PHASE, edit->phase);
      ok = upg_store_insert (store, UPG_RECORD (project), record, -1, error) &&
           upg_sop_move_step (store, steps, record, edit->phase, -1, error);
    }
  else if (g_strcmp0 (edit->phase, upg_record_get_string (record, UPG_SOP_STEP_PHASE)) != 0)
    ok = upg_sop_move_step (store, steps, record, edit->phase, -1, error);
  else
    ok = TRUE;
  if (ok)
    return upg_store_commit (store, error);
  upg_store_rollback (store);
  return FALSE;
}

typedef enum {
  SOP_WRITE_SAVE,
  SOP_WRITE_MOVE,
  SOP_WRITE_ROLLBACK,
} SopWriteKind;

typedef struct {
  SopWriteKind kind;
  gint64       step_id;    /* 0: a new step (saving) */
  UpgStepEdit  edit;       /* saving (the strings are the struct's) */
  char        *phase;      /* moving */
  int          index;
  gboolean     start;      /* the rollback */
} SopWrite;

static void
sop_write_free (gpointer data)
{
  SopWrite *w = data;

  g_free ((char *) w->edit.title);
  g_free ((char *) w->edit.details);
  g_free ((char *) w->edit.owner_role);
  g_free ((char *) w->edit.note);
  g_free ((char *) w->edit.phase);
  g_free (w->phase);
  g_free (w);
}

/* The step of @project whose id is @id (a reference), or NULL with an error. */
static UpgRecord *
project_step (UpgProject *project, gint64 id, GError **error)
{
  GListModel *steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  UpgRecord *step = steps != NULL && id != 0 ? upg_record_list_find (steps, id) : NULL;

  if (step == NULL)
    g_set_error_literal (error, UPG_SOP_ERROR, UPG_SOP_ERROR_CHANGED,
                         _("Someone deleted the step on the team server meanwhile"));
  return step;
}

/* On @project as @store has it (the thread's, on a team server). */
static gboolean
sop_write (UpgStore *store, UpgProject *project, gpointer data, GError **error)
{
  SopWrite *w = data;
  g_autoptr(UpgRecord) step = NULL;

  if (w->kind == SOP_WRITE_ROLLBACK)
    return w->start ? upg_sop_start_rollback (store, project, NULL, error)
                    : upg_sop_end_rollback (store, project, NULL, error);
  if ((w->kind == SOP_WRITE_MOVE || w->step_id != 0) &&
      (step = project_step (project, w->step_id, error)) == NULL)
    return FALSE;
  if (w->kind == SOP_WRITE_MOVE)
    return upg_sop_move_step (store, upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step),
                              step, w->phase, w->index, error);
  return upg_sop_save_step (store, project, step, &w->edit, error);
}

static void
sop_write_async (UpgStore            *store,
                 UpgProject          *project,
                 SopWrite            *w,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  upg_store_write_async (store, project, sop_write, w, sop_write_free, cancellable, callback, user_data);
}

void
upg_sop_save_step_async (UpgStore            *store,
                         UpgProject          *project,
                         UpgRecord           *step,
                         const UpgStepEdit   *edit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  SopWrite *w = g_new0 (SopWrite, 1);

  g_return_if_fail (edit != NULL);
  w->kind = SOP_WRITE_SAVE;
  w->step_id = step != NULL ? upg_record_get_id (step) : 0;
  w->edit.title = g_strdup (edit->title);
  w->edit.details = g_strdup (edit->details);
  w->edit.owner_role = g_strdup (edit->owner_role);
  w->edit.required = edit->required;
  w->edit.note = g_strdup (edit->note);
  w->edit.phase = g_strdup (edit->phase);
  sop_write_async (store, project, w, cancellable, callback, user_data);
}

void
upg_sop_move_step_async (UpgStore            *store,
                         UpgProject          *project,
                         UpgRecord           *step,
                         const char          *phase,
                         int                  index,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  SopWrite *w = g_new0 (SopWrite, 1);

  w->kind = SOP_WRITE_MOVE;
  w->step_id = upg_record_get_id (step);
  w->phase = g_strdup (phase);
  w->index = index;
  sop_write_async (store, project, w, cancellable, callback, user_data);
}

void
upg_sop_rollback_async (UpgStore            *store,
                        UpgProject          *project,
                        gboolean             start,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  SopWrite *w = g_new0 (SopWrite, 1);

  w->kind = SOP_WRITE_ROLLBACK;
  w->start = start;
  sop_write_async (store, project, w, cancellable, callback, user_data);
}

char *
upg_sop_format_time (const char *timestamp,
                     gboolean    local)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *text = NULL;

  if (timestamp == NULL || *timestamp == '\0')
    return g_strdup ("");
  utc = upg_timestamp_to_datetime (timestamp);
  if (utc == NULL)
    return g_strdup (timestamp);
  if (!local)
    return g_date_time_format (utc, "%Y-%m-%d %H:%M UTC");
  dt = g_date_time_to_local (utc);
  /* Translators: a date and time with its zone; see g_date_time_format() */
  text = g_date_time_format (dt, _("%Y-%m-%d %H:%M %Z"));
  return g_steal_pointer (&text);
}

char *
upg_sop_event_describe (const UpgCheckEvent *event)
{
  const char *actor;
  gboolean reason;

  g_return_val_if_fail (event != NULL, NULL);
  actor = event->actor ? event->actor : "";
  reason = event->reason != NULL && *event->reason != '\0';

  if (g_strcmp0 (event->action, "check") == 0)
    return reason ? g_strdup_printf (_("Checked by %s: %s"), actor, event->reason)
                  : g_strdup_printf (_("Checked by %s"), actor);
  if (g_strcmp0 (event->action, "uncheck") == 0)
    return reason ? g_strdup_printf (_("Unchecked by %s: %s"), actor, event->reason)
                  : g_strdup_printf (_("Unchecked by %s"), actor);
  if (g_strcmp0 (event->action, "skip") == 0)
    return reason ? g_strdup_printf (_("Skipped by %s: %s"), actor, event->reason)
                  : g_strdup_printf (_("Skipped by %s"), actor);
  return g_strdup_printf ("%s: %s", event->action ? event->action : "", actor);
}
