/* upg-sop-print.c — printing the SOP checklist.
 *
 * The pages are the PDF export's: the same UpgPdfDoc, paginated for the
 * chosen paper (the whole sheet, with the document's own margins) and drawn
 * onto the print context's cairo.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/upg-export-sop.h"
#include "upg-sop-print.h"

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                UpgPdfDoc         *doc)
{
  guint pages = upg_pdf_doc_paginate (doc, gtk_print_context_get_cairo_context (context),
                                      gtk_print_context_get_width (context),
                                      gtk_print_context_get_height (context));
  gtk_print_operation_set_n_pages (operation, (int) pages);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              UpgPdfDoc         *doc)
{
  upg_pdf_doc_draw_page (doc, gtk_print_context_get_cairo_context (context), (guint) page);
}

gboolean
upg_sop_print (GtkWindow   *parent,
               UpgStore    *store,
               UpgProject  *project,
               GError     **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autofree char *name = NULL;
  UpgPdfDoc *doc;
  GtkPrintOperationResult result;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);

  doc = upg_export_sop_pdf_doc (store, project, error);
  if (doc == NULL)
    return FALSE;

  operation = gtk_print_operation_new ();
  /* Translators: the print job's name; %s is the project */
  name = g_strdup_printf (_("SOP checklist: %s"), upg_project_get_name (project));
  gtk_print_operation_set_job_name (operation, name);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), doc);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), doc);
  g_object_set_data_full (G_OBJECT (operation), "upg-doc", doc, (GDestroyNotify) upg_pdf_doc_free);

  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, error);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}
