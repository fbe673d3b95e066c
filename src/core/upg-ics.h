/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-ics.h — the project's calendar: milestones and the maintenance window
 * as iCalendar (RFC 5545, through libical) or CSV. */
#pragma once

#include "upg-export.h"

G_BEGIN_DECLS

/* The UID of one of the project's calendar entries: derived from the
 * project's uid and @item ("window"; a milestone's is
 * upg_milestone_calendar_uid ()), so exporting again updates the same
 * entries. */
char    *upg_ics_uid               (UpgProject *project,
                                    const char *item);

/* A VCALENDAR with the maintenance window's VEVENT alone (the attachment
 * of the advance notice, the reminder and a delay); NULL with an error when
 * the project has no window. */
GBytes  *upg_ics_window            (UpgProject *project,
                                    GError    **error);
/* The same with its title and description in @language (a group's: "en",
 * "zh_CN"), for the notice of a group that speaks it; NULL: the app's. */
GBytes  *upg_ics_window_in         (UpgProject *project,
                                    const char *language,
                                    GError    **error);

/* export milestones --format ics|csv (the project's children loaded). */
GBytes  *upg_ics_export_project    (UpgProject *project,
                                    const char *format,
                                    UpgCsvForm  csv_form,
                                    GError    **error);
GBytes  *upg_export_milestones     (UpgStore                *store,
                                    gint64                   project_id,
                                    const UpgExportOptions  *options,
                                    GError                 **error);

G_END_DECLS
