/* upg-export-risks.h — the risk register and heat map as CSV, Markdown, HTML. */
#pragma once

#include "upg-csv.h"
#include "upg-export.h"
#include "upg-risk.h"

G_BEGIN_DECLS

/* The export table's entry point (kind "risks"): formats "csv", "md",
 * "html"; the levels use the project's thresholds (upg_risk_thresholds_for_project()). */
GBytes *upg_export_risks         (UpgStore                *store,
                                  gint64                   project_id,
                                  const UpgExportOptions  *options,
                                  GError                 **error);

/* The same for a project whose children are loaded; NULL thresholds: the
 * defaults. CSV: one row a risk, in @form (upg-csv.h). Markdown and HTML:
 * translated labels, for people. */
char   *upg_export_risks_csv     (UpgProject              *project,
                                  const UpgRiskThresholds *thresholds,
                                  UpgCsvForm               form);
char   *upg_export_risks_md      (UpgProject              *project,
                                  const UpgRiskThresholds *thresholds);
char   *upg_export_risks_html    (UpgProject              *project,
                                  const UpgRiskThresholds *thresholds);

G_END_DECLS
