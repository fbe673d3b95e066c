/* upg-report.h — the whole upgrade in one document (HTML, PDF, Markdown):
 * goal, scope, versions and build id, the window, the milestones with the
 * timeline drawn as a picture, the risk heat map drawn as a picture with the
 * register, the team, the SOP with its audit trail, and the retrospective
 * when there is one.
 *
 * The pictures come from upg-draw.c, the code the window's widgets use: SVG
 * (cairo's SVG surface) in HTML, vectors in the PDF. Markdown has the same
 * text without the pictures. Times are shown in the project's time zone.
 * "Today" (the timeline's line, late milestones) is the clock's
 * (upg-clock.h: UPG_NOW when set).
 */
#pragma once

#include "upg-export.h"
#include "upg-pdf.h"

G_BEGIN_DECLS

/* The "report" kind of the export table (html, pdf, md). */
GBytes    *upg_export_report          (UpgStore                *store,
                                       gint64                   project_id,
                                       const UpgExportOptions  *options,
                                       GError                 **error);
GBytes    *upg_export_report_project  (UpgStore                *store,
                                       UpgProject              *project,
                                       const UpgExportOptions  *options,
                                       GError                 **error);
/* The printable document (the PDF export and printing). */
UpgPdfDoc *upg_report_pdf_doc         (UpgStore                *store,
                                       UpgProject              *project,
                                       GError                 **error);

G_END_DECLS
