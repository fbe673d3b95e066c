/* upg-export-sop.h — the SOP checklist as Markdown, HTML, PDF, CSV or text.
 *
 * Every format shows the same document: a header (project, status, versions,
 * build id, maintenance window, rollback target, progress), the team with
 * roles, then the phases with their steps — the rollback phase first. Times
 * are written in UTC and say so, so an export is the same wherever it is
 * made. Labels are in the user's language; the CSV keeps the plan format's
 * column names and words.
 */
#pragma once

#include "upg-export.h"
#include "upg-pdf.h"

G_BEGIN_DECLS

/* The "sop" kind of the export table (formats md, html, pdf, csv, txt). */
GBytes    *upg_export_sop          (UpgStore                *store,
                                    gint64                   project_id,
                                    const UpgExportOptions  *options,
                                    GError                 **error);

/* The same for a project record (its children loaded or loadable). */
GBytes    *upg_export_sop_project  (UpgStore                *store,
                                    UpgProject              *project,
                                    const UpgExportOptions  *options,
                                    GError                 **error);

/* The printable document (shared by the PDF export and printing). */
UpgPdfDoc *upg_export_sop_pdf_doc  (UpgStore                *store,
                                    UpgProject              *project,
                                    GError                 **error);

G_END_DECLS
