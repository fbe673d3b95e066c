/* upg-clock.c — the one clock (see upg-clock.h). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "upg-clock.h"

G_DEFINE_QUARK (upg-clock-error-quark, upg_clock_error)

/* UPG_NOW parsed, or NULL when unset or not valid. Read on each call, so a
 * test can change it between cases. */
static GDateTime *
pinned_now (gboolean *invalid)
{
  const char *value = g_getenv ("UPG_NOW");
  g_autoptr(GTimeZone) utc = NULL;
  GDateTime *parsed;

  if (invalid != NULL)
    *invalid = FALSE;
  if (value == NULL || *value == '\0')
    return NULL;
  /* A zone is required: an instant without one means different moments
   * on different machines. g_date_time_new_from_iso8601 takes the default
   * zone only when the text has none, so try with none first. */
  utc = g_time_zone_new_utc ();
  parsed = g_date_time_new_from_iso8601 (value, NULL);
  if (parsed == NULL)
    {
      if (invalid != NULL)
        *invalid = TRUE;
      return NULL;
    }
  {
    GDateTime *in_utc = g_date_time_to_timezone (parsed, utc);
    g_date_time_unref (parsed);
    return in_utc;
  }
}

gboolean
upg_clock_check_env (GError **error)
{
  gboolean invalid;
  GDateTime *pinned = pinned_now (&invalid);

  if (pinned != NULL)
    g_date_time_unref (pinned);
  if (invalid)
    {
      g_set_error (error, UPG_CLOCK_ERROR, 0,
                   /* TRANSLATORS: UPG_NOW is an environment variable; keep it as it is */
                   _("UPG_NOW is “%s”, not an instant in ISO 8601 with its zone (for example 2026-11-25T12:00:00Z)"),
                   g_getenv ("UPG_NOW"));
      return FALSE;
    }
  return TRUE;
}

GDateTime *
upg_clock_now (void)
{
  GDateTime *pinned = pinned_now (NULL);

  return pinned != NULL ? pinned : g_date_time_new_now_utc ();
}

char *
upg_clock_now_iso (void)
{
  g_autoptr(GDateTime) now = upg_clock_now ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

GDateTime *
upg_clock_now_local (void)
{
  g_autoptr(GDateTime) now = upg_clock_now ();

  return g_date_time_to_local (now);
}

char *
upg_clock_today (void)
{
  return upg_clock_today_in (NULL);
}

char *
upg_clock_today_in (const char *zone)
{
  g_autoptr(GDateTime) now = upg_clock_now ();
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) there = NULL;

  if (zone != NULL && *zone != '\0')
    tz = g_time_zone_new_identifier (zone);
  if (tz == NULL)
    tz = g_time_zone_new_local ();
  there = g_date_time_to_timezone (now, tz);
  return g_date_time_format (there, "%Y-%m-%d");
}
