/* upg-retro-export.h — saving and printing the retrospective, the project
 * report and the insights from the window: core's export table (the same
 * bytes as the command line) and the PDF layout for printing. */
#pragma once

#include <gtk/gtk.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

/* Asks where to save, then writes export @kind (a kind of core's table) as
 * @format for @project (NULL for a kind over the whole file); says what
 * happened in a toast above @widget. For windows other than the main one
 * (Insights); inside the main window, win.export-file is the way. */
void     upg_retro_export_to_file (GtkWidget  *widget,
                                   UpgStore   *store,
                                   UpgProject *project,
                                   const char *kind,
                                   const char *format);

/* The print dialog for @project's retrospective ("retro") or report
 * ("report"), laid out as the PDF export. */
gboolean upg_retro_print          (GtkWindow  *parent,
                                   UpgStore   *store,
                                   UpgProject *project,
                                   const char *kind,
                                   GError    **error);

G_END_DECLS
