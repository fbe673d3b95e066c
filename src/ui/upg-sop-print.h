/* upg-sop-print.h — printing the SOP checklist with the PDF export's layout. */
#pragma once

#include <gtk/gtk.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

/* Runs the print dialog for @project's checklist; errors are returned. */
gboolean upg_sop_print (GtkWindow   *parent,
                        UpgStore    *store,
                        UpgProject  *project,
                        GError     **error);

G_END_DECLS
