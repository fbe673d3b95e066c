/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-zone.c — times in a project's zone (see upg-zone.h). */
#define G_LOG_DOMAIN "upg-zone"

#include "config.h"

#include <stdlib.h>
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

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The third column of a zone table's lines ("CN\t+3114+12128\tAsia/Shanghai"). */
static void
read_zone_table (const char *path,
                 GPtrArray  *names)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) columns = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      columns = g_strsplit (lines[i], "\t", 4);
      if (g_strv_length (columns) >= 3 && upg_zone_is_known (columns[2]))
        g_ptr_array_add (names, g_strdup (columns[2]));
    }
}

const char * const *
upg_zone_list (void)
{
  static char **list;

  if (g_once_init_enter (&list))
    {
      GPtrArray *names = g_ptr_array_new ();
      const char *dir = g_getenv ("TZDIR");
      g_autofree char *table = g_build_filename (dir ? dir : "/usr/share/zoneinfo", "zone1970.tab", NULL);
      guint kept = 0;

      read_zone_table (table, names);
      if (names->len == 0)
        {
          g_free (table);
          table = g_build_filename (dir ? dir : "/usr/share/zoneinfo", "zone.tab", NULL);
          read_zone_table (table, names);
        }
      g_ptr_array_add (names, g_strdup ("UTC"));
      g_ptr_array_sort (names, compare_names);
      /* Unique: a table may name a zone on two lines. */
      for (guint i = 0; i < names->len; i++)
        {
          if (kept > 0 && strcmp (names->pdata[kept - 1], names->pdata[i]) == 0)
            g_free (names->pdata[i]);
          else
            names->pdata[kept++] = names->pdata[i];
        }
      g_ptr_array_set_size (names, kept);
      g_ptr_array_add (names, NULL);
      g_once_init_leave (&list, (char **) g_ptr_array_free (names, FALSE));
    }
  return (const char * const *) list;
}

char *
upg_zone_parse_local (const char  *text,
                      const char  *zone,
                      char       **message)
{
  g_autoptr(GTimeZone) tz = upg_zone_get (zone);
  g_autoptr(GDateTime) local = NULL;
  int y, mo, d, h, mi;

  if (text == NULL || strlen (text) != 16 ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) || !g_ascii_isdigit (text[2]) ||
      !g_ascii_isdigit (text[3]) || text[4] != '-' || !g_ascii_isdigit (text[5]) ||
      !g_ascii_isdigit (text[6]) || text[7] != '-' || !g_ascii_isdigit (text[8]) ||
      !g_ascii_isdigit (text[9]) || text[10] != ' ' || !g_ascii_isdigit (text[11]) ||
      !g_ascii_isdigit (text[12]) || text[13] != ':' || !g_ascii_isdigit (text[14]) ||
      !g_ascii_isdigit (text[15]))
    {
      *message = g_strdup (_("Enter a date and time as YYYY-MM-DD HH:MM."));
      return NULL;
    }
  y = atoi (text);
  mo = atoi (text + 5);
  d = atoi (text + 8);
  h = atoi (text + 11);
  mi = atoi (text + 14);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > g_date_get_days_in_month (mo, y) || h > 23 || mi > 59)
    {
      /* TRANSLATORS: %s is what was typed, e.g. "2026-02-30 10:00" */
      *message = g_strdup_printf (_("There is no %s: enter a date and time as YYYY-MM-DD HH:MM."), text);
      return NULL;
    }
  local = g_date_time_new (tz, y, mo, d, h, mi, 0);
  /* GLib moves a time the clocks skip to one that exists. */
  if (local == NULL || g_date_time_get_hour (local) != h || g_date_time_get_minute (local) != mi ||
      g_date_time_get_day_of_month (local) != d)
    {
      /* TRANSLATORS: the first %s is what was typed, the second a time zone, e.g. "Europe/Paris" */
      *message = g_strdup_printf (_("%s does not exist in %s: the clocks go forward then."), text, upg_zone_name (zone));
      return NULL;
    }
  return upg_timestamp_from_datetime (local);
}
