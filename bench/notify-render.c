/* SPDX-License-Identifier: GPL-3.0-or-later */
/* notify-render.c — renders every moment for every stakeholder group of a
 * project into its .eml (the template renderer, GMime and, for the moments that
 * carry it, the window's .ics) and prints the time it took.
 *
 *   notify-render PLAN.upgplan PROJECT_ID [RUNS]
 *
 * Prints the first run (the libraries' start-up included) and the median. */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "upg-notify.h"
#include "upg-store.h"

static double
cpu_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double
render_all (UpgProject *project,
            guint      *n_messages,
            gsize      *n_bytes,
            double     *cpu)
{
  double cpu_start = cpu_ms ();
  GListModel *groups = upg_record_get_children (UPG_RECORD (project), &upg_entity_group);
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 11, 29, 10, 0, 0);
  gint64 start = g_get_monotonic_time ();

  *n_messages = 0;
  *n_bytes = 0;
  for (guint g = 0; g < g_list_model_get_n_items (groups); g++)
    {
      g_autoptr(UpgRecord) group = g_list_model_get_item (groups, g);

      for (guint m = 0; upg_moments[m] != NULL; m++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(UpgDraft) draft = upg_draft_new (project, upg_moments[m],
                                                     upg_record_get_string (group, UPG_GROUP_NAME),
                                                     date, &error);
          g_autoptr(GBytes) bytes = NULL;

          if (draft != NULL)
            bytes = upg_draft_to_bytes (draft, "eml", TRUE, date, "bench@upgrade-planner.invalid", &error);
          if (bytes == NULL)
            g_error ("%s / %s: %s", upg_record_get_string (group, UPG_GROUP_NAME), upg_moments[m],
                     error ? error->message : "no message");
          (*n_messages)++;
          *n_bytes += g_bytes_get_size (bytes);
        }
    }
  *cpu = cpu_ms () - cpu_start;
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(UpgProject) project = NULL;
  guint runs = argc > 3 ? (guint) atoi (argv[3]) : 7;
  g_autofree double *times = NULL;
  g_autofree double *cpus = NULL;
  guint n_messages = 0;
  gsize n_bytes = 0;
  guint n_groups;

  if (argc < 3)
    {
      g_printerr ("usage: notify-render PLAN.upgplan PROJECT_ID [RUNS]\n");
      return 2;
    }
  store = upg_store_open (argv[1], UPG_STORE_OPEN_EXISTING, &error);
  if (store != NULL)
    project = upg_store_lookup_project (store, g_ascii_strtoll (argv[2], NULL, 10), &error);
  if (project == NULL || !upg_store_load_children (store, UPG_RECORD (project), &error))
    {
      g_printerr ("notify-render: %s\n", error->message);
      return 1;
    }
  n_groups = g_list_model_get_n_items (upg_record_get_children (UPG_RECORD (project), &upg_entity_group));
  runs = MAX (runs, 1);
  times = g_new (double, runs);
  cpus = g_new (double, runs);
  for (guint i = 0; i < runs; i++)
    times[i] = render_all (project, &n_messages, &n_bytes, &cpus[i]);
  g_print ("  %u groups x 7 moments = %u messages, %" G_GSIZE_FORMAT " bytes\n", n_groups, n_messages, n_bytes);
  g_print ("  first run %8.1f ms  (CPU %.1f ms)\n", times[0], cpus[0]);
  qsort (times, runs, sizeof (double), compare);
  qsort (cpus, runs, sizeof (double), compare);
  /* CPU time too: on a shared machine the wall time waits for other work. */
  g_print ("  median    %8.1f ms  (CPU %.1f ms; %u runs)\n", times[runs / 2], cpus[runs / 2], runs);
  return 0;
}
