/* pg-tick.c — 20 people tick one checklist on a team server at once
 * (issue 21; bench/pg-tick.sh runs it against a throwaway local cluster).
 *
 *   pg-tick URI N_CLIENTS
 *
 * Forks N_CLIENTS processes; each opens the plan on URI (its own
 * connection, as each person's window has), listens for changes, and once
 * all are ready goes through the first project's steps in an order of its
 * own: a step its records already show checked is passed over, as a
 * person would; any other it checks (upg_sop_check(): the compare-and-set
 * the window and the command line use), and another person's check that
 * came first is a refusal. Between two checks each client takes in what
 * the server announced. Then each waits (up to 15 s) until its records
 * show every step checked.
 *
 * Prints how many checks went through (each step must be checked exactly
 * once: the caller holds this against the database), how many were
 * refused, how many (client, step) sightings are missing, and the time
 * from the end of a successful check (upg_sop_check() returned: committed)
 * until each other client's record of that step shows it checked: median,
 * 99th percentile and maximum, over every sighting. The clock is
 * CLOCK_MONOTONIC, one for every process of the machine. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "core/store/upg-store.h"
#include "core/upg-sop.h"

typedef struct {
  guint      index;
  UpgRecord *ticking;   /* the step this client is checking itself */
  gint64    *seen;      /* when each step was seen checked (0: not yet) */
  guint      n_seen;
} Client;

static GHashTable *step_index;  /* UpgRecord* → index + 1 */

static void
checked_at_cb (GObject *object, GParamSpec *pspec, Client *client)
{
  UpgRecord *step = UPG_RECORD (object);
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (step_index, step)) - 1;

  if (step == client->ticking || client->seen[i] != 0 ||
      upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT) == NULL)
    return;
  client->seen[i] = g_get_monotonic_time ();
  client->n_seen++;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static int
run_client (const char *uri, guint index, int ready_fd, int go_fd, FILE *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (uri, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (index + 1);
  g_autofree gint64 *done_at = NULL;
  g_autofree guint *order = NULL;
  g_autofree char *actor = g_strdup_printf ("Person %u", index + 1);
  Client client = { index };
  GListModel *steps;
  guint n, refused = 0, checked = 0;
  gboolean timed_out = FALSE;
  gint64 began;
  char byte = 0;

  if (store == NULL || !upg_store_load (store, &error))
    {
      fprintf (stderr, "client %u: %s\n", index, error->message);
      return 1;
    }
  project = g_list_model_get_item (upg_store_get_projects (store), 0);
  if (!upg_store_load_children (store, UPG_RECORD (project), &error))
    {
      fprintf (stderr, "client %u: %s\n", index, error->message);
      return 1;
    }
  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  n = g_list_model_get_n_items (steps);
  step_index = g_hash_table_new (NULL, NULL);
  client.seen = g_new0 (gint64, n);
  done_at = g_new0 (gint64, n);
  order = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, i);

      g_hash_table_insert (step_index, step, GUINT_TO_POINTER (i + 1));
      g_signal_connect (step, "notify::checked-at", G_CALLBACK (checked_at_cb), &client);
      order[i] = i;
    }
  for (guint i = n - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, i + 1), t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  upg_store_watch_external_changes (store, 1000);

  /* Ready; wait for everyone. */
  if (write (ready_fd, "r", 1) != 1 || read (go_fd, &byte, 1) < 0)
    return 1;

  for (guint k = 0; k < n; k++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (steps, order[k]);

      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT) != NULL)
        continue;
      client.ticking = step;
      began = g_get_monotonic_time ();
      if (upg_sop_check (store, steps, step, actor, NULL, NULL, &error))
        {
          done_at[order[k]] = g_get_monotonic_time ();
          fprintf (out, "took %" G_GINT64_FORMAT "\n", done_at[order[k]] - began);
          checked++;
        }
      else if (g_error_matches (error, UPG_SOP_ERROR, UPG_SOP_ERROR_CHANGED) ||
               g_error_matches (error, UPG_SOP_ERROR, UPG_SOP_ERROR_INVALID))
        {
          /* The refusal shows the other person's check: seen now. */
          refused++;
          if (client.seen[order[k]] == 0)
            {
              client.seen[order[k]] = g_get_monotonic_time ();
              client.n_seen++;
            }
        }
      else
        {
          fprintf (stderr, "client %u: %s\n", index, error->message);
          return 1;
        }
      g_clear_error (&error);
      client.ticking = NULL;
    }

  /* Until every step is seen checked (its own count as seen). */
  g_timeout_add_seconds (15, timeout_cb, &timed_out);
  while (!timed_out && client.n_seen + checked < n)
    g_main_context_iteration (NULL, TRUE);

  fprintf (out, "client %u %u %u\n", index, checked, refused);
  for (guint i = 0; i < n; i++)
    {
      if (done_at[i] != 0)
        fprintf (out, "done %u %" G_GINT64_FORMAT "\n", i, done_at[i]);
      else
        fprintf (out, "seen %u %" G_GINT64_FORMAT "\n", i, client.seen[i]);
    }
  fflush (out);
  return 0;
}

static int
compare_int64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autoptr(GArray) done_at = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) durations = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint n_clients, checked = 0, refused = 0, missing = 0, failed = 0, n_steps = 0;
  int ready[2], go[2];
  char byte;

  if (argc != 3)
    {
      fprintf (stderr, "usage: pg-tick URI N_CLIENTS\n");
      return 2;
    }
  n_clients = (guint) atoi (argv[2]);
  if (pipe (ready) != 0 || pipe (go) != 0)
    return 1;

  for (guint c = 0; c < n_clients; c++)
    {
      char *path = g_strdup_printf ("%s/pg-tick-%d-%u.txt", g_get_tmp_dir (), getpid (), c);
      pid_t pid;

      g_ptr_array_add (files, path);
      pid = fork ();
      if (pid == 0)
        {
          FILE *out = fopen (path, "w");
          close (ready[0]);
          close (go[1]);
          _exit (out ? run_client (argv[1], c, ready[1], go[0], out) : 1);
        }
    }
  close (ready[1]);
  close (go[0]);
  for (guint c = 0; c < n_clients; c++)
    if (read (ready[0], &byte, 1) != 1)
      {
        fprintf (stderr, "a client did not start\n");
        break;
      }
  close (go[1]);   /* everyone goes */

  for (guint c = 0; c < n_clients; c++)
    {
      int status = 0;
      if (wait (&status) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
        failed++;
    }

  /* First the commit times, then every other client's sightings. */
  done_at = g_array_new (FALSE, TRUE, sizeof (gint64));
  for (guint pass = 0; pass < 2; pass++)
    for (guint c = 0; c < files->len; c++)
      {
        g_autofree char *text = NULL;
        g_auto(GStrv) lines = NULL;

        if (!g_file_get_contents (files->pdata[c], &text, NULL, NULL))
          continue;
        lines = g_strsplit (text, "\n", -1);
        for (guint i = 0; lines[i] != NULL; i++)
          {
            guint a, b, s;
            gint64 t;

            if (pass == 0 && sscanf (lines[i], "client %u %u %u", &a, &b, &s) == 3)
              {
                checked += b;
                refused += s;
              }
            else if (pass == 0 && sscanf (lines[i], "took %" G_GINT64_FORMAT, &t) == 1)
              g_array_append_val (durations, t);
            else if (pass == 0 && sscanf (lines[i], "done %u %" G_GINT64_FORMAT, &s, &t) == 2)
              {
                if (s >= done_at->len)
                  g_array_set_size (done_at, s + 1);
                g_array_index (done_at, gint64, s) = t;
              }
            else if (pass == 1 && sscanf (lines[i], "seen %u %" G_GINT64_FORMAT, &s, &t) == 2)
              {
                n_steps = MAX (n_steps, s + 1);
                if (t == 0 || s >= done_at->len || g_array_index (done_at, gint64, s) == 0)
                  missing++;
                else
                  {
                    gint64 latency = t - g_array_index (done_at, gint64, s);
                    g_array_append_val (latencies, latency);
                  }
              }
          }
        if (pass == 1)
          g_unlink (files->pdata[c]);
      }

  g_array_sort (latencies, compare_int64);
  g_array_sort (durations, compare_int64);
  printf ("clients:                %u (%u failed)\n", n_clients, failed);
  printf ("steps:                  %u\n", MAX (n_steps, done_at->len));
  printf ("checks that went in:    %u\n", checked);
  printf ("checks refused:         %u (another person's came first)\n", refused);
  printf ("sightings:              %u of %u (%u missing after 15 s)\n",
          latencies->len, latencies->len + missing, missing);
  if (durations->len > 0)
    {
      guint n = durations->len;
      printf ("a check that went in:   median %.1f ms, 99th percentile %.1f ms (the call, from begin to commit)\n",
              g_array_index (durations, gint64, (n - 1) / 2) / 1000.0,
              g_array_index (durations, gint64, (n * 99 + 99) / 100 - 1) / 1000.0);
    }
  if (latencies->len > 0)
    {
      guint n = latencies->len;
      printf ("seen by the others:     median %.1f ms, 99th percentile %.1f ms, max %.1f ms\n",
              g_array_index (latencies, gint64, (n - 1) / 2) / 1000.0,
              g_array_index (latencies, gint64, (n * 99 + 99) / 100 - 1) / 1000.0,
              g_array_index (latencies, gint64, n - 1) / 1000.0);
    }
  return failed ? 1 : 0;
}
