/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-notice-draft.h — one notice's draft: its checks, the message as it
 * will leave, the project's copy of its template, and the ways out. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

#define UPG_TYPE_NOTICE_DRAFT (upg_notice_draft_get_type ())
G_DECLARE_FINAL_TYPE (UpgNoticeDraft, upg_notice_draft, UPG, NOTICE_DRAFT, AdwWindow)

/* The draft of @moment for @group (NULL: every group that hears about it)
 * of @project (children loaded). */
UpgNoticeDraft *upg_notice_draft_new       (UpgStore   *store,
                                            UpgProject *project,
                                            const char *moment,
                                            const char *group);
/* What the draft shows now (for tests): the rendered subject (NULL when
 * the template does not render), the checks' messages, whether it may leave. */
const char     *upg_notice_draft_get_subject  (UpgNoticeDraft *self);
char           *upg_notice_draft_describe_problems (UpgNoticeDraft *self);
/* The error shown under the template editor, or NULL when none is. */
const char     *upg_notice_draft_get_template_error (UpgNoticeDraft *self);
gboolean        upg_notice_draft_can_send  (UpgNoticeDraft *self);
/* Saves the .eml to @path as "Save as .eml…" does, recording the notice. */
gboolean        upg_notice_draft_save_to   (UpgNoticeDraft *self,
                                            const char     *path,
                                            GError        **error);

G_END_DECLS
