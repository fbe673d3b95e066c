/* upg-retro-export.c — the retrospective, the report and the insights saved
 * and printed from the window. */
#define G_LOG_DOMAIN "upg-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "upg-field-rows.h"
#include "upg-retro-export.h"
#include "core/upg-export.h"
#include "core/upg-output.h"
#include "core/upg-export-retro.h"
#include "core/upg-output.h"
#include "core/upg-report.h"

typedef struct {
  GtkWidget  *widget;
  UpgStore   *store;
  UpgProject *project;
  char       *kind;
  char       *format;
} Export;

static void
export_free (Export *e)
{
  g_clear_object (&e->widget);
  g_clear_object (&e->store);
  g_clear_object (&e->project);
  g_free (e->kind);
  g_free (e->format);
  g_free (e);
}

static void
response_cb (GtkNativeDialog *dialog,
             int              response,
             Export          *e)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      UpgExportOptions options = { e->format, NULL, "a4" };

      options.csv_form = upg_csv_choice_get (GTK_FILE_CHOOSER (dialog));

      /* Letter in the Americas' locales, A4 elsewhere. */
      if (g_str_equal (gtk_paper_size_get_default (), GTK_PAPER_NAME_LETTER))
        options.paper = "letter";
      bytes = upg_export_run (e->store, e->kind,
                              e->project ? upg_record_get_id (UPG_RECORD (e->project)) : 0,
                              &options, &error);
      if (bytes != NULL && path != NULL && upg_output_write_file (path, bytes, upg_store_get_path (e->store), &error))
        {
          g_autofree char *base = g_file_get_basename (file);
          g_autofree char *message = g_strdup_printf (_("Exported “%s”"), base);
          upg_show_toast (e->widget, message);
        }
      else if (error != NULL)
        upg_show_toast (e->widget, error->message);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  export_free (e);
}

void
upg_retro_export_to_file (GtkWidget  *widget,
                          UpgStore   *store,
                          UpgProject *project,
                          const char *kind,
                          const char *format)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *suggested = NULL;
  const char *title, *noun;
  Export *e;

  g_return_if_fail (UPG_IS_STORE (store));

  if (g_str_equal (kind, "retro"))
    {
      title = _("Export Retrospective");
      /* Translators: part of a suggested file name */
      noun = _("retrospective");
    }
  else if (g_str_equal (kind, "report"))
    {
      title = _("Export Report");
      /* Translators: part of a suggested file name */
      noun = _("report");
    }
  else
    {
      title = _("Export Insights");
      /* Translators: part of a suggested file name */
      noun = _("insights");
    }
  dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  if (project != NULL)
    suggested = g_strdup_printf ("%s %s%s", upg_project_get_name (project), noun, upg_export_suffix (format));
  else
    suggested = g_strdup_printf ("%s%s", noun, upg_export_suffix (format));
  g_strdelimit (suggested, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  if (g_str_equal (format, "csv"))
    upg_csv_choice_add (GTK_FILE_CHOOSER (dialog));

  e = g_new0 (Export, 1);
  e->widget = g_object_ref (widget);
  e->store = g_object_ref (store);
  e->project = project ? g_object_ref (project) : NULL;
  e->kind = g_strdup (kind);
  e->format = g_strdup (format);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), e);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

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
upg_retro_print (GtkWindow   *parent,
                 UpgStore    *store,
                 UpgProject  *project,
                 const char  *kind,
                 GError     **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autofree char *name = NULL;
  UpgPdfDoc *doc;
  gboolean report = g_str_equal (kind, "report");

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);
  g_return_val_if_fail (UPG_IS_PROJECT (project), FALSE);

  doc = report ? upg_report_pdf_doc (store, project, error) : upg_export_retro_pdf_doc (store, project, error);
  if (doc == NULL)
    return FALSE;
  operation = gtk_print_operation_new ();
  name = report ? g_strdup_printf (_("Upgrade report: %s"), upg_project_get_name (project))
                : g_strdup_printf (_("Retrospective: %s"), upg_project_get_name (project));
  gtk_print_operation_set_job_name (operation, name);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), doc);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), doc);
  g_object_set_data_full (G_OBJECT (operation), "upg-doc", doc, (GDestroyNotify) upg_pdf_doc_free);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, error)
         != GTK_PRINT_OPERATION_RESULT_ERROR;
}
