/* upg-export-retro.h — the retrospective report as Markdown, HTML, PDF and
 * CSV (the action items).
 *
 * Every format shows the same document: the facts (held on, facilitator,
 * incidents, root cause, detection), the plan against what happened (the
 * window in the project's time zone and the overrun, downtime, the rollback
 * against its target), the milestones' slips, the gray stages as planned and
 * as they happened, the summary, then the items: went well, went wrong,
 * lessons, actions (owner, due, ticket, done, carried to).
 */
#pragma once

#include "upg-export.h"
#include "upg-pdf.h"

G_BEGIN_DECLS

/* The "retro" kind of the export table (md, html, pdf, csv). A project
 * without a retrospective is an error (UPG_RETRO_ERROR_NONE). */
GBytes    *upg_export_retro          (UpgStore                *store,
                                      gint64                   project_id,
                                      const UpgExportOptions  *options,
                                      GError                 **error);
GBytes    *upg_export_retro_project  (UpgStore                *store,
                                      UpgProject              *project,
                                      const UpgExportOptions  *options,
                                      GError                 **error);

/* The retrospective as a part of another document (the project report):
 * headings start at level @level (1 for "#"). FALSE with an error when the
 * project has none. */
gboolean   upg_retro_append_md       (UpgStore    *store,
                                      UpgProject  *project,
                                      guint        level,
                                      GString     *out,
                                      GError     **error);
gboolean   upg_retro_append_html     (UpgStore    *store,
                                      UpgProject  *project,
                                      guint        level,
                                      GString     *out,
                                      GError     **error);
gboolean   upg_retro_append_pdf      (UpgStore    *store,
                                      UpgProject  *project,
                                      UpgPdfDoc   *doc,
                                      gboolean     with_title,
                                      GError     **error);
/* The printable document (the PDF export and printing). */
UpgPdfDoc *upg_export_retro_pdf_doc  (UpgStore    *store,
                                      UpgProject  *project,
                                      GError     **error);
/* The style sheet the retrospective and the report share in HTML. */
const char *upg_report_html_style    (void);

G_END_DECLS
