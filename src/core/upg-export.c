/* upg-export.c — the table of export kinds (files are written by upg-output.c). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-export.h"
#include "upg-export-risks.h"
#include "upg-export-sop.h"
#include "upg-ics.h"
#include "upg-notify.h"
#include "upg-export-retro.h"
#include "upg-insights.h"
#include "upg-report.h"
#include "upg-plan.h"

G_DEFINE_QUARK (upg-export-error-quark, upg_export_error)

static GBytes *
export_plan (UpgStore                *store,
             gint64                   project_id,
             const UpgExportOptions  *options,
             GError                 **error)
{
  /* Checked as it is written (upg_export_run () leaves the check to it). */
  char *json = upg_plan_export_checked (store, project_id, error);
  return json ? g_bytes_new_take (json, strlen (json)) : NULL;
}

static const char * const plan_formats[] = { "json", NULL };
static const char * const risk_formats[] = { "csv", "md", "html", NULL };
static const char * const sop_formats[] = { "md", "html", "pdf", "csv", "txt", NULL };
static const char * const milestone_formats[] = { "ics", "csv", NULL };
static const char * const email_formats[] = { "eml", "txt", NULL };
static const char * const retro_formats[] = { "md", "html", "pdf", "csv", NULL };
static const char * const insights_formats[] = { "md", "csv", NULL };
static const char * const report_formats[] = { "html", "pdf", "md", NULL };

static const UpgExportKind kinds[] = {
  { "plan", plan_formats, FALSE, export_plan },
  { "risks", risk_formats, TRUE, upg_export_risks },
  { "sop", sop_formats, TRUE, upg_export_sop },
  { "milestones", milestone_formats, TRUE, upg_export_milestones },
  { "email", email_formats, TRUE, upg_export_email },
  { "retro", retro_formats, TRUE, upg_export_retro },
  { "report", report_formats, TRUE, upg_export_report },
  { "insights", insights_formats, FALSE, upg_export_insights },
};

const UpgExportKind *
upg_export_kinds (guint *n_kinds)
{
  *n_kinds = G_N_ELEMENTS (kinds);
  return kinds;
}

const UpgExportKind *
upg_export_lookup (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].kind, kind) == 0)
      return &kinds[i];
  return NULL;
}

GBytes *
upg_export_run (UpgStore                *store,
                const char              *kind,
                gint64                   project_id,
                const UpgExportOptions  *options,
                GError                 **error)
{
  const UpgExportKind *k = upg_export_lookup (kind);
  UpgExportOptions opts = { 0 };

  if (k == NULL)
    {
      g_set_error (error, UPG_EXPORT_ERROR, UPG_EXPORT_ERROR_UNKNOWN_KIND,
                   _("Unknown export kind “%s”"), kind);
      return NULL;
    }
  if (options != NULL)
    opts = *options;
  if (opts.format == NULL)
    opts.format = k->formats[0];
  if (!g_strv_contains (k->formats, opts.format))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) k->formats);
      g_set_error (error, UPG_EXPORT_ERROR, UPG_EXPORT_ERROR_UNKNOWN_FORMAT,
                   _("“%s” cannot be exported as %s; choose one of %s"), kind, opts.format, list);
      return NULL;
    }
  if (k->needs_project && project_id == 0)
    {
      g_set_error (error, UPG_EXPORT_ERROR, UPG_EXPORT_ERROR_NEEDS_PROJECT,
                   _("Exporting “%s” needs a project (--project ID)"), kind);
      return NULL;
    }
  /* What the export reads is what import would take: a file changed by
   * other means (an address with a line break in it, say) is checked
   * again. Insights read only the figures of every project; the plan is
   * checked as it is written, each project's rows read once. */
  if (strcmp (k->kind, "insights") != 0 && k->func != export_plan &&
      !upg_plan_check_stored (store, project_id, error))
    return NULL;
  return k->func (store, project_id, &opts, error);
}

const char *
upg_export_suffix (const char *format)
{
  static const struct { const char *format, *suffix; } suffixes[] = {
    { "json", ".json" }, { "md", ".md" }, { "html", ".html" }, { "pdf", ".pdf" },
    { "csv", ".csv" }, { "txt", ".txt" }, { "ics", ".ics" }, { "eml", ".eml" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_strcmp0 (suffixes[i].format, format) == 0)
      return suffixes[i].suffix;
  return "";
}
