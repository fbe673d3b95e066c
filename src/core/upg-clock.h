/* upg-clock.h — the one clock: every read of "now" and "today" in core and
 * the window goes through here.
 *
 * UPG_NOW, when set, is the instant the app takes as now, in ISO 8601 with a
 * zone or offset ("2026-11-25T12:00:00Z", "2026-11-25T20:00:00+08:00"), so
 * exports and tests can be reproduced. Without it the system clock is read.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UPG_CLOCK_ERROR (upg_clock_error_quark ())
GQuark     upg_clock_error_quark      (void);

/* FALSE with a message when UPG_NOW is set but is not an ISO 8601 instant
 * with a zone. The command line and the window call it once at start; a
 * clock that is not valid is then the system clock. */
gboolean   upg_clock_check_env        (GError    **error);

/* Now, in UTC (a new reference). */
GDateTime *upg_clock_now              (void);
/* Now as "YYYY-MM-DDTHH:MM:SSZ", the form the plan stores. */
char      *upg_clock_now_iso          (void);
/* Today, "YYYY-MM-DD", in the local zone (TZ). */
char      *upg_clock_today            (void);
/* Today in ZONE (an IANA name); the local zone when ZONE is NULL, empty or
 * unknown. */
char      *upg_clock_today_in         (const char *zone);
/* Now in the local zone (a new reference). */
GDateTime *upg_clock_now_local        (void);

G_END_DECLS
