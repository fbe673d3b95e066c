/* retro-driver.c — opens the main window on a plan file at a section, or the
 * Insights window, for screenshots and for bench/insights.sh.
 *
 *   retro-driver FILE PROJECT_ID SECTION WIDTH HEIGHT
 *       SECTION: a section name ("retrospective", "milestones" …) or
 *       "insights" (the Insights window over the main window) or
 *       "bench-insights": opens the main window, then (once it has drawn
 *       and settled) Insights over it as its menu item does, and prints the
 *       milliseconds to the computed figures (the window built) and to
 *       Insights' first frame, then quits.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "core/upg-insights.h"
#include "ui/upg-insights-view.h"
#include "ui/upg-window.h"

static gint64 start_us;
static gint64 computed_us;

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWindow     *window)
{
  static gboolean done;
  gint64 now = g_get_monotonic_time ();

  if (done)
    return;
  done = TRUE;
  g_print ("insights: computed in %.1f ms, first frame after %.1f ms\n",
           (computed_us - start_us) / 1000.0, (now - start_us) / 1000.0);
  g_application_quit (G_APPLICATION (gtk_window_get_application (window)));
}

static void
insights_realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), window);
}

/* Opens Insights over the running main window, as the menu item does, and
 * times it. */
static gboolean
open_insights_cb (gpointer data)
{
  GtkWindow *main_window = data;
  GtkWindow *insights;

  start_us = g_get_monotonic_time ();
  insights = upg_insights_window_new (main_window, upg_window_get_store (UPG_WINDOW (main_window)));
  computed_us = g_get_monotonic_time ();
  g_signal_connect (insights, "realize", G_CALLBACK (insights_realize_cb), NULL);
  gtk_window_present (insights);
  return G_SOURCE_REMOVE;
}

static void
main_painted_cb (GdkFrameClock *clock,
                 GtkWindow     *window)
{
  static gboolean once;
  if (once)
    return;
  once = TRUE;
  /* Let the window settle (its Overview is built right after the first frame). */
  g_timeout_add (1500, open_insights_cb, window);
}

static void
main_realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (main_painted_cb), window);
}

static char **args;

/* The mapped scrolled window with the most to scroll. */
static GtkWidget *
find_scrolled (GtkWidget *root)
{
  GtkWidget *best = NULL;
  double best_range = 0;
  GtkWidget *stack[256];
  int n = 0;

  stack[n++] = root;
  while (n > 0)
    {
      GtkWidget *w = stack[--n];
      if (GTK_IS_SCROLLED_WINDOW (w) && gtk_widget_get_mapped (w))
        {
          GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (w));
          double range = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
          if (range > best_range)
            {
              best = w;
              best_range = range;
            }
        }
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL && n < 255; c = gtk_widget_get_next_sibling (c))
        stack[n++] = c;
    }
  return best;
}

static GtkWidget *
find_leaflet (GtkWidget *root)
{
  if (ADW_IS_LEAFLET (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_leaflet (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A narrow window shows the project's pane, as after choosing it. */
static gboolean
forward_cb (gpointer data)
{
  GtkWidget *leaflet = find_leaflet (data);
  if (leaflet != NULL)
    adw_leaflet_navigate (ADW_LEAFLET (leaflet), ADW_NAVIGATION_DIRECTION_FORWARD);
  return G_SOURCE_REMOVE;
}

/* RETRO_SCROLL=0..1: scrolls the section (or the Insights) that far down. */
static gboolean
scroll_cb (gpointer data)
{
  GtkWidget *scrolled = find_scrolled (data);
  if (scrolled != NULL)
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      double f = g_ascii_strtod (g_getenv ("RETRO_SCROLL"), NULL);
      gtk_adjustment_set_value (adj, f * (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj)));
    }
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GtkApplication *app)
{
  g_autoptr(GError) error = NULL;
  UpgStore *store = upg_store_open (args[1], UPG_STORE_OPEN_EXISTING, &error);
  UpgWindow *window;
  const char *section = args[3];

  if (store == NULL)
    g_error ("%s", error->message);
  window = upg_window_new (app, store);
  if (g_str_equal (section, "bench-insights"))
    {
      g_signal_connect (window, "realize", G_CALLBACK (main_realize_cb), NULL);
      gtk_window_present (GTK_WINDOW (window));
      return;
    }
  gtk_window_set_default_size (GTK_WINDOW (window), atoi (args[4]), atoi (args[5]));
  gtk_window_present (GTK_WINDOW (window));
  g_object_unref (store);
  {
    g_autoptr(UpgProject) project = upg_store_lookup_project (store, g_ascii_strtoll (args[2], NULL, 10), &error);
    if (project != NULL)
      upg_window_select_project (window, project);
  }
  if (g_str_equal (section, "insights"))
    {
      GtkWindow *insights = upg_insights_window_new (GTK_WINDOW (window), store);
      gtk_window_set_default_size (insights, atoi (args[4]), atoi (args[5]));
      gtk_window_present (insights);
      if (g_getenv ("RETRO_SCROLL"))
        g_timeout_add (1500, scroll_cb, insights);
    }
  else
    {
      upg_window_show_section (window, section);
      g_timeout_add (800, forward_cb, window);
      if (g_getenv ("RETRO_SCROLL"))
        g_timeout_add (1500, scroll_cb, window);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(AdwApplication) app = NULL;

  if (argc != 6)
    {
      g_printerr ("usage: retro-driver FILE PROJECT_ID SECTION WIDTH HEIGHT\n");
      return 2;
    }
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  args = argv;
  app = adw_application_new ("io.github.upgrade_planner.RetroDriver", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
