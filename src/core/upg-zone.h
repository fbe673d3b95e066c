/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-zone.h — times in a project's zone: for people, named
 * ("2026-12-05 10:14 (Asia/Shanghai)"), and for machine files, ISO 8601
 * with the offset ("2026-12-05T10:14:00+08:00").
 *
 * The plan stores every instant in UTC ("2026-12-05T02:14:00Z"); a zone is
 * a tz database name ("Asia/Shanghai"). A zone that is NULL, empty or not
 * known to the system is UTC.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The zone @identifier names (a new reference), read from the system once
 * and kept; UTC for NULL, "" or a name the system does not know. */
GTimeZone  *upg_zone_get              (const char *identifier);
/* The name shown for @identifier: itself when the system knows it, else
 * "UTC". */
const char *upg_zone_name             (const char *identifier);
/* Whether @identifier names a zone the system knows. */
gboolean    upg_zone_is_known         (const char *identifier);

/* @timestamp (as the plan stores it) in @zone; NULL for NULL or a text
 * that is not a timestamp. */
GDateTime  *upg_zone_datetime         (const char *timestamp,
                                       const char *zone);

/* "2026-12-05 10:14 (Asia/Shanghai)"; "" for NULL or an invalid timestamp. */
char       *upg_zone_format_time      (const char *timestamp,
                                       const char *zone);
/* For the window: the date in the user's locale and the time, in @zone,
 * named, then, when the user's own zone is at another offset then, the
 * same in theirs: "12/05/26 10:14 (Asia/Shanghai) · 12/05/26 03:14 your
 * time (Europe/Paris)"; "" for NULL or an invalid timestamp. */
char       *upg_zone_format_for_user  (const char *timestamp,
                                       const char *zone);
/* "2026-12-05T10:14:00+08:00", or "…Z" in UTC; "" for NULL or an invalid
 * timestamp. */
char       *upg_zone_format_iso       (const char *timestamp,
                                       const char *zone);

/* The tz database's zones, for a chooser: the names the system's
 * zone1970.tab lists (zone.tab when there is none), sorted, and "UTC";
 * NULL-terminated, read once and kept. */
const char * const *upg_zone_list    (void);

/* The instant "YYYY-MM-DD HH:MM" names on the clocks of @zone, as the plan
 * stores it ("2026-12-12T14:00:00Z"); NULL and a message for @message
 * when the text is not that, names a date that does not exist, or a time
 * the zone's clocks skip (the hour they go forward). */
char       *upg_zone_parse_local      (const char  *text,
                                       const char  *zone,
                                       char       **message);

G_END_DECLS
