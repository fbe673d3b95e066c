/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-zone.c — times in a project's zone (see upg-zone.h). */
#define G_LOG_DOMAIN "upg-zone"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-fields.h"
#include "upg-zone.h"

static gboolean
is_utc_name (const char *identifier)
{
  return identifier == NULL || *identifier == '\0' || strcmp (identifier, "UTC") == 0;
}

static void
zone_unref (gpointer zone)
{
  if (zone != NULL)
    g_time_zone_unref (zone);
}

/* The zone, or NULL when the system does not know it. GLib reads and parses
 * the zone's file on each g_time_zone_new_identifier(): an export with a
 * thousand times would read it a thousand times. */
static GTimeZone *
lookup (const char *identifier)
{
  static GMutex lock;
  static GHashTable *zones;
  GTimeZone *zone;
  gboolean known;

  g_mutex_lock (&lock);
  if (zones == NULL)
    zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, zone_unref);
  known = g_hash_table_lookup_extended (zones, identifier, NULL, (gpointer *) &zone);
  if (!known)
    {
      zone = g_time_zone_new_identifier (identifier);
      /* Unknown names are kept too (as NULL), so they are not looked for again. */
      g_hash_table_insert (zones, g_strdup (identifier), zone);
    }
  if (zone != NULL)
    g_time_zone_ref (zone);
  g_mutex_unlock (&lock);
  return zone;
}

GTimeZone *
upg_zone_get (const char *identifier)
{
  GTimeZone *zone = is_utc_name (identifier) ? NULL : lookup (identifier);

  return zone ? zone : g_time_zone_new_utc ();
}

gboolean
upg_zone_is_known (const char *identifier)
{
  g_autoptr(GTimeZone) zone = NULL;

  if (identifier == NULL || *identifier == '\0')
    return FALSE;
  if (strcmp (identifier, "UTC") == 0)
    return TRUE;
  zone = lookup (identifier);
  return zone != NULL;
}

const char *
upg_zone_name (const char *identifier)
{
  return upg_zone_is_known (identifier) ? identifier : "UTC";
}

GDateTime *
upg_zone_datetime (const char *timestamp,
                   const char *zone)
{
  g_autoptr(GDateTime) utc = timestamp ? upg_timestamp_to_datetime (timestamp) : NULL;
  g_autoptr(GTimeZone) tz = NULL;

  if (utc == NULL)
    return NULL;
  tz = upg_zone_get (zone);
  return g_date_time_to_timezone (utc, tz);
}

char *
upg_zone_format_time (const char *timestamp,
                      const char *zone)
{
  g_autoptr(GDateTime) dt = upg_zone_datetime (timestamp, zone);
  g_autofree char *time = NULL;

  if (dt == NULL)
    return g_strdup ("");
  time = g_date_time_format (dt, "%Y-%m-%d %H:%M");
  /* Translators: a time and the time zone it is in: "20:00 (Asia/Shanghai)" */
  return g_strdup_printf (_("%s (%s)"), time, upg_zone_name (zone));
}

char *
upg_zone_format_for_user (const char *timestamp,
                          const char *zone)
{
  g_autoptr(GDateTime) there = upg_zone_datetime (timestamp, zone);
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) here = NULL;
  g_autofree char *there_text = NULL;
  g_autofree char *here_text = NULL;
  g_autofree char *named = NULL;
  const char *local_name;

  if (there == NULL)
    return g_strdup ("");
  /* Translators: a date in the user's locale and a time; see g_date_time_format() */
  there_text = g_date_time_format (there, _("%x %H:%M"));
  named = g_strdup_printf (_("%s (%s)"), there_text, upg_zone_name (zone));
  local = g_time_zone_new_local ();
  here = g_date_time_to_timezone (there, local);
  if (g_date_time_get_utc_offset (here) == g_date_time_get_utc_offset (there))
    return g_steal_pointer (&named);
  here_text = g_date_time_format (here, _("%x %H:%M"));
  local_name = g_time_zone_get_identifier (local);
  /* Translators: a time in the project's zone, then the same time in the
   * user's: "12/05/26 10:14 (Asia/Shanghai) · 12/05/26 03:14 your time (Europe/Paris)" */
  return g_strdup_printf (_("%s · %s your time (%s)"), named, here_text,
                          local_name && *local_name ? local_name : g_date_time_get_timezone_abbreviation (here));
}

char *
upg_zone_format_iso (const char *timestamp,
                     const char *zone)
{
  g_autoptr(GDateTime) dt = upg_zone_datetime (timestamp, zone);

  if (dt == NULL)
    return g_strdup ("");
  if (g_date_time_get_utc_offset (dt) == 0)
    return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}
