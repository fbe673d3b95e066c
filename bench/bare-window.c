/* bare-window.c — the benchmark's baseline: an AdwApplicationWindow with an
 * AdwHeaderBar and nothing else. With UPG_BENCH_EXIT_ON_MAP set it prints
 * when its first frame is drawn (which is also all its content) and quits,
 * like upgrade-planner does. */
#include <adwaita.h>

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *window)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_print ("UPG_BENCH mapped %" G_GINT64_FORMAT "\n", g_get_real_time ());
  g_print ("UPG_BENCH content %" G_GINT64_FORMAT "\n", g_get_real_time ());
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

static void
map_cb (GtkWidget *window)
{
  if (g_getenv ("UPG_BENCH_EXIT_ON_MAP") != NULL)
    g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), window);
}

static void
activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.upgrade_planner.BareWindow", G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
