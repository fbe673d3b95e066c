/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-notify.h — stakeholder notifications: which moment calls for one,
 * who hears it, the template, the rendered draft, its checks, and the
 * message (RFC 5322 / MIME through GMime) that leaves the app.
 *
 * Templates are in the app's own template language (upg-template.h,
 * docs/templates.md): data, never code. The names a template sees:
 *   project   the project (every field: {{project.name}}, {{project.version_from}}…)
 *   group     the stakeholder group ({{group.name}}, {{group.audience}}…)
 *   contact   the project manager ({{contact.name}}, {{contact.email}}…)
 *   retro     the retrospective ({{retro.summary}}…)
 *   window    the maintenance window in the group's zone and language:
 *             start, end, start_date, end_full, text (with the zone named),
 *             utc_text, start_utc, end_utc_full, zone, length
 *   changes   the scope items, one line each ({{for c in changes}}…{{end}})
 *   actions   the open action items with their owners, one line each
 *   moment    the moment's word
 */
#pragma once

#include "upg-export.h"

G_BEGIN_DECLS

#define UPG_NOTIFY_ERROR (upg_notify_error_quark ())

typedef enum {
  UPG_NOTIFY_ERROR_UNKNOWN_MOMENT,
  UPG_NOTIFY_ERROR_UNKNOWN_GROUP,
  UPG_NOTIFY_ERROR_NO_RECIPIENTS,
  UPG_NOTIFY_ERROR_TEMPLATE,      /* the template does not render */
  UPG_NOTIFY_ERROR_BLOCKED,       /* a check fails and was not overridden */
  UPG_NOTIFY_ERROR_BAD_ADDRESS,   /* the file holds an address import would refuse */
} UpgNotifyError;

GQuark       upg_notify_error_quark        (void);

/* "advance_notice" or "advance-notice" → the moment's word; NULL if none. */
const char  *upg_notify_parse_moment       (const char *text);
/* The moment's name for people ("Advance notice"), translated. */
const char  *upg_notify_moment_label       (const char *moment);

/* Why @moment does not fit the project's state at @now (NULL: now), as a
 * translated sentence that says what fits instead; NULL when it fits.
 * A cancelled project fits only "cancelled" (and its retrospective);
 * advance_notice and reminder fit before the window starts, while the
 * status is planning, preparing or validating; started once the window
 * has started, the status is gray_release or a gray_release or go_live
 * step is checked, until the upgrade is live, done or rolled back;
 * completed when it is live or done; delayed once the window has started,
 * until it is live, done or rolled back; rolled_back when the status says
 * so or a rollback step is checked; retrospective when one is written
 * with its summary; cancelled when the status is cancelled. (Children
 * loaded.) */
char        *upg_notify_moment_misfit      (UpgProject *project,
                                            const char *moment,
                                            GDateTime  *now);
/* Whether the project's state calls for @moment at @now, which it fits:
 * started once a gray_release or go_live step is checked; delayed when the
 * window's end has passed with required steps open; completed, rolled_back,
 * retrospective and cancelled whenever they fit. (Children loaded.) */
gboolean     upg_notify_moment_called_for  (UpgProject *project,
                                            const char *moment,
                                            GDateTime  *now);
/* Every moment, those called for first (each keeps the plan's order);
 * @n_called_for gets how many are. Free with g_free (the words are static). */
const char **upg_notify_offered_moments    (UpgProject *project,
                                            GDateTime  *now,
                                            guint      *n_called_for);
/* Whether the moment's message carries the window's .ics. */
gboolean     upg_notify_moment_has_calendar (const char *moment);

/* The first project manager with an email (else the first one), or NULL. */
UpgRecord   *upg_notify_project_manager    (UpgProject *project);
UpgRecord   *upg_notify_find_group         (UpgProject *project,
                                            const char *name);
/* The groups that hear about @moment, in plan order. */
GPtrArray   *upg_notify_groups_for         (UpgProject *project,
                                            const char *moment);
/* The newest notice prepared for @moment and @group, or NULL. */
UpgRecord   *upg_notify_last_notice        (UpgProject *project,
                                            const char *moment,
                                            const char *group);

/* Templates: the built-in one (from the resources) and the project's copy. */
gboolean     upg_notify_builtin_template   (const char  *moment,
                                            const char  *language,
                                            char       **subject,
                                            char       **body);
UpgRecord   *upg_notify_find_template      (UpgProject  *project,
                                            const char  *moment,
                                            const char  *language);

/* Whether @subject and @body are templates the app accepts (the one
 * validator, upg-template.h); else FALSE with UPG_NOTIFY_ERROR_TEMPLATE
 * saying where and why ("Body, line 2, column 5: …"), as a render says it. */
gboolean     upg_notify_check_template     (const char  *subject,
                                            const char  *body,
                                            GError     **error);

/* Renders @subject_template and @body_template with the project as the
 * model (@group NULL: the project's zone). Nothing half-rendered: on
 * failure both are NULL and the error says where (subject or body, line
 * and column) and why, or that the render went over its budget (1 MB of
 * text, 100 ms). The subject is one line. */
gboolean     upg_notify_render             (UpgProject  *project,
                                            UpgRecord   *group,
                                            const char  *moment,
                                            const char  *language,
                                            const char  *subject_template,
                                            const char  *body_template,
                                            char       **subject,
                                            char       **body,
                                            GError     **error);

/* The window's text as a template shows it (for tests and the grid). */
char        *upg_notify_format_window      (UpgProject  *project,
                                            const char  *zone,
                                            const char  *language,
                                            gboolean     utc);

/* A draft: one moment for one group, or (group NULL) for every group that
 * hears about it: one message a group, each in the group's language, with
 * its greeting and zone, and internal content (the goal, the scope and its
 * changes, the retrospective's findings and action items) only for a group
 * marked internal. */
typedef struct _UpgDraft UpgDraft;

typedef enum {
  UPG_DRAFT_PROBLEM_MOMENT,         /* the moment does not fit the project's state now */
  UPG_DRAFT_PROBLEM_NO_WINDOW,
  UPG_DRAFT_PROBLEM_NO_PROJECT_MANAGER,
  UPG_DRAFT_PROBLEM_NO_IMPACT,
  UPG_DRAFT_PROBLEM_NO_ADDRESSES,
  UPG_DRAFT_PROBLEM_END_PASSED,     /* a delay whose window's end is already past */
  UPG_DRAFT_PROBLEM_TEMPLATE,       /* never overridden */
} UpgDraftProblemKind;

typedef struct {
  UpgDraftProblemKind kind;
  char               *message;        /* translated, names what to fix */
  gboolean            can_override;
} UpgDraftProblem;

UpgDraft    *upg_draft_new                 (UpgProject  *project,
                                            const char  *moment,
                                            const char  *group,
                                            GDateTime   *now,
                                            GError     **error);
void         upg_draft_free                (UpgDraft    *draft);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpgDraft, upg_draft_free)

const char  *upg_draft_get_moment          (UpgDraft    *draft);
/* The groups it goes to. */
GPtrArray   *upg_draft_get_groups          (UpgDraft    *draft);
/* NULL when the template does not render (see the problems). */
const char  *upg_draft_get_subject         (UpgDraft    *draft);
const char  *upg_draft_get_body            (UpgDraft    *draft);
/* The checks that fail, in a stable order (UpgDraftProblem). */
GPtrArray   *upg_draft_get_problems        (UpgDraft    *draft);
/* Whether the draft may leave: no problem, or only ones @override covers. */
gboolean     upg_draft_can_send            (UpgDraft    *draft,
                                            gboolean     override);
/* "eml" (the MIME message; for a draft of several groups, every group's
 * message in an mbox, RFC 4155, each byte for byte that group's own,
 * Date and Message-ID aside), "mbox" (the same, also for one group) or
 * "txt" (subject, blank line, body; several groups' separated by a line
 * "----"). Fails with UPG_NOTIFY_ERROR_BLOCKED unless upg_draft_can_send
 * (@override). @date and @message_id NULL: now and a new one. */
GBytes      *upg_draft_to_bytes            (UpgDraft    *draft,
                                            const char  *format,
                                            gboolean     override,
                                            GDateTime   *date,
                                            const char  *message_id,
                                            GError     **error);
/* A mailto: URI with the recipients, subject and body (no attachment);
 * NULL for a draft of several groups (each has its own message). */
char        *upg_draft_to_mailto           (UpgDraft    *draft);
/* Appends a notice (moment, group, now, @how) for each of its groups. */
gboolean     upg_draft_record              (UpgDraft    *draft,
                                            UpgStore    *store,
                                            const char  *how,
                                            GError     **error);
/* The same without waiting on a team server (upg_store_write_async(): the
 * time is now, when asked); finishes with upg_store_write_finish(). */
void         upg_draft_record_async        (UpgDraft            *draft,
                                            UpgStore            *store,
                                            const char          *how,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);

/* export email --template MOMENT [--group NAME] --format eml|txt */
GBytes      *upg_export_email              (UpgStore                *store,
                                            gint64                   project_id,
                                            const UpgExportOptions  *options,
                                            GError                 **error);

/* Internal: the MIME message (upg-notify-message.c). */
GBytes      *upg_notify_build_message      (UpgProject  *project,
                                            const char  *moment,
                                            GPtrArray   *groups,
                                            const char  *languages,
                                            const char  *subject,
                                            const char  *body,
                                            GDateTime   *date,
                                            const char  *message_id,
                                            GError     **error);
/* The zone @identifier names (a new reference), read once; NULL when the
 * system does not know it. */
GTimeZone   *upg_notify_time_zone          (const char  *identifier);
/* @text with every control character (CR, LF, tab…) made a space: what a
 * header may hold. */
char        *upg_notify_header_text        (const char  *text);

G_END_DECLS
