/* SPDX-License-Identifier: GPL-3.0-or-later */
/* notify-shot.c — opens the app on FILE with the Notifications section
 * shown (and, with UPG_SHOT_DRAFT=moment:group, a draft), for screenshots.
 * UPG_SHOT_SIZE=WxH sets the window's size. Not a test: run it under Xvfb
 * and capture the screen. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <glib/gi18n.h>

#include "upg-application.h"
#include "upg-notifications-page.h"
#include "upg-window.h"

static GtkWidget *
find_page (GtkWidget *root)
{
  if (UPG_IS_NOTIFICATIONS_PAGE (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_page (c);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_leaflet (GtkWidget *root)
{
  if (ADW_IS_LEAFLET (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_leaflet (c);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
open_draft_cb (gpointer data)
{
  GtkWidget *window = data;
  const char *draft = g_getenv ("UPG_SHOT_DRAFT");
  GtkWidget *page = find_page (window);
  g_auto(GStrv) parts = NULL;
  GtkWidget *cell;

  if (draft == NULL || page == NULL)
    return G_SOURCE_REMOVE;
  parts = g_strsplit (draft, ":", 2);
  cell = upg_notifications_page_get_cell (UPG_NOTIFICATIONS_PAGE (page), parts[0], parts[1]);
  if (GTK_IS_BUTTON (cell))
    g_signal_emit_by_name (cell, "clicked");
  return G_SOURCE_REMOVE;
}

static gboolean
show_cb (gpointer data)
{
  GtkWidget *leaflet = find_leaflet (GTK_WIDGET (data));

  /* The project's pane also when the window is narrow. */
  if (leaflet != NULL)
    adw_leaflet_navigate (ADW_LEAFLET (leaflet), ADW_NAVIGATION_DIRECTION_FORWARD);
  upg_window_show_section (UPG_WINDOW (data), "notifications");
  g_timeout_add (700, open_draft_cb, data);
  return G_SOURCE_REMOVE;
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  const char *size = g_getenv ("UPG_SHOT_SIZE");
  int w = 1400, h = 900;

  if (!UPG_IS_WINDOW (window))
    return;
  if (size != NULL)
    sscanf (size, "%dx%d", &w, &h);
  gtk_window_unmaximize (window);
  gtk_window_set_default_size (window, w, h);
  g_timeout_add (700, show_cb, window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(UpgApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = upg_application_new ();
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
