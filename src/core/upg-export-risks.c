/* upg-export-risks.c — the risk register and heat map as CSV, Markdown, HTML. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-escape.h"
#include "upg-export-risks.h"
#include "upg-labels.h"

#define DASH "—"

typedef struct {
  guint inherent[UPG_RISK_SCALE + 1][UPG_RISK_SCALE + 1];  /* [likelihood][impact] */
  guint residual[UPG_RISK_SCALE + 1][UPG_RISK_SCALE + 1];
} Counts;

static GPtrArray *
collect_risks (UpgProject *project)
{
  GListModel *risks = upg_record_get_children (UPG_RECORD (project), &upg_entity_risk);
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = risks ? g_list_model_get_n_items (risks) : 0;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, g_list_model_get_item (risks, i));
  return array;
}

static void
count_risks (GPtrArray *risks,
             Counts    *counts)
{
  memset (counts, 0, sizeof *counts);
  for (guint i = 0; i < risks->len; i++)
    {
      UpgRecord *risk = risks->pdata[i];
      int l = upg_record_get_int (risk, UPG_RISK_LIKELIHOOD);
      int m = upg_record_get_int (risk, UPG_RISK_IMPACT);

      if (upg_risk_score (l, m) > 0)
        counts->inherent[l][m]++;
      upg_risk_get_effective_residual (UPG_RISK (risk), &l, &m);
      if (upg_risk_score (l, m) > 0)
        counts->residual[l][m]++;
    }
}

static const char *
level_word (int score,
            const UpgRiskThresholds *thresholds)
{
  return upg_risk_level_word (upg_risk_level_for_score (score, thresholds));
}

static const char *
level_label (int score,
             const UpgRiskThresholds *thresholds)
{
  return upg_risk_level_label (upg_risk_level_for_score (score, thresholds));
}

/* "Score = likelihood × impact. Levels: Low 1–4, Medium 5–9, …" */
static char *
describe_scale (const UpgRiskThresholds *thresholds)
{
  GString *out = g_string_new (_("Score = likelihood × impact."));
  gboolean first = TRUE;

  g_string_append_c (out, ' ');
  g_string_append (out, _("Levels:"));
  for (UpgRiskLevel level = UPG_RISK_LEVEL_LOW; level < UPG_RISK_N_LEVELS; level++)
    {
      int lo, hi;

      if (!upg_risk_level_range (level, thresholds, &lo, &hi))
        continue;
      g_string_append (out, first ? " " : C_("list separator", ", "));
      first = FALSE;
      if (lo == hi)
        /* Translators: a risk level and the one score it has, e.g. "Critical 25" */
        g_string_append_printf (out, C_("level range", "%s %d"), upg_risk_level_label (level), lo);
      else
        /* Translators: a risk level and its scores, e.g. "High 10–16" */
        g_string_append_printf (out, C_("level range", "%s %d–%d"), upg_risk_level_label (level), lo, hi);
    }
  g_string_append (out, C_("end of sentence", "."));
  return g_string_free (out, FALSE);
}

static const char *
owner_or_null (UpgRecord *risk)
{
  const char *owner = upg_record_get_string (risk, UPG_RISK_OWNER);
  return owner != NULL && *owner ? owner : NULL;
}

/* ---- CSV ----------------------------------------------------------------- */

char *
upg_export_risks_csv (UpgProject              *project,
                      const UpgRiskThresholds *thresholds,
                      UpgCsvForm               form)
{
  g_autoptr(GPtrArray) risks = NULL;
  UpgCsv csv;

  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  risks = collect_risks (project);
  upg_csv_init (&csv, form);
  upg_csv_column (&csv, "title", N_("Title"));
  upg_csv_column (&csv, "category", N_("Category"));
  upg_csv_column (&csv, "likelihood", N_("Likelihood"));
  upg_csv_column (&csv, "impact", N_("Impact"));
  upg_csv_column (&csv, "score", N_("Score"));
  upg_csv_column (&csv, "level", N_("Level"));
  upg_csv_column (&csv, "residual_score", N_("Residual Score"));
  upg_csv_column (&csv, "owner", N_("Owner"));
  upg_csv_column (&csv, "status", N_("Status"));
  upg_csv_column (&csv, "mitigation", N_("Mitigation"));
  upg_csv_column (&csv, "contingency", N_("Contingency"));
  upg_csv_end_row (&csv);
  for (guint i = 0; i < risks->len; i++)
    {
      UpgRecord *risk = risks->pdata[i];
      int score = upg_risk_get_score (UPG_RISK (risk));
      int residual = upg_risk_get_residual_score (UPG_RISK (risk));

      upg_csv_text (&csv, upg_record_get_string (risk, UPG_RISK_TITLE));
      upg_csv_word (&csv, upg_risk_categories, upg_record_get_string (risk, UPG_RISK_CATEGORY));
      upg_csv_int (&csv, upg_record_get_int (risk, UPG_RISK_LIKELIHOOD));
      upg_csv_int (&csv, upg_record_get_int (risk, UPG_RISK_IMPACT));
      upg_csv_int (&csv, score);
      upg_csv_labelled (&csv, level_word (score, thresholds), level_label (score, thresholds));
      if (residual > 0)
        upg_csv_int (&csv, residual);
      else
        upg_csv_empty (&csv);
      upg_csv_text (&csv, owner_or_null (risk));
      upg_csv_word (&csv, upg_risk_statuses, upg_record_get_string (risk, UPG_RISK_STATUS));
      upg_csv_text (&csv, upg_record_get_string (risk, UPG_RISK_MITIGATION));
      upg_csv_text (&csv, upg_record_get_string (risk, UPG_RISK_CONTINGENCY));
      upg_csv_end_row (&csv);
    }
  return upg_csv_finish_string (&csv);
}

/* ---- Markdown ------------------------------------------------------------ */

static void
md_cell_or_dash (GString    *out,
                 const char *text)
{
  if (text == NULL || *text == '\0')
    g_string_append (out, DASH);
  else
    upg_append_md_cell (out, text);
}

static void
md_text_or_dash (GString    *out,
                 const char *text)
{
  if (text == NULL || *text == '\0')
    g_string_append (out, DASH);
  else
    upg_append_md (out, text);
}

static void
md_matrix (GString                 *out,
           guint                    counts[UPG_RISK_SCALE + 1][UPG_RISK_SCALE + 1],
           const UpgRiskThresholds *thresholds)
{
  g_string_append (out, "| ");
  /* Translators: the corner of the heat map table: rows are likelihood, columns impact */
  upg_append_md (out, _("Likelihood / Impact"));
  g_string_append (out, " |");
  for (int m = 1; m <= UPG_RISK_SCALE; m++)
    {
      g_string_append_c (out, ' ');
      upg_append_md (out, upg_risk_impact_label (m));
      g_string_append (out, " |");
    }
  g_string_append (out, "\n|---|");
  for (int m = 1; m <= UPG_RISK_SCALE; m++)
    g_string_append (out, ":---:|");
  g_string_append_c (out, '\n');

  for (int l = UPG_RISK_SCALE; l >= 1; l--)
    {
      g_string_append (out, "| **");
      upg_append_md (out, upg_risk_likelihood_label (l));
      g_string_append (out, "** |");
      for (int m = 1; m <= UPG_RISK_SCALE; m++)
        {
          guint n = counts[l][m];

          if (n > 0)
            g_string_append_printf (out, " **%u** · ", n);
          else
            g_string_append (out, " 0 · ");
          upg_append_md (out, level_label (upg_risk_score (l, m), thresholds));
          g_string_append (out, " |");
        }
      g_string_append_c (out, '\n');
    }
}

char *
upg_export_risks_md (UpgProject              *project,
                     const UpgRiskThresholds *thresholds)
{
  g_autoptr(GPtrArray) risks = NULL;
  g_autofree char *scale = NULL;
  GString *out;
  Counts counts;

  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  risks = collect_risks (project);
  count_risks (risks, &counts);
  scale = describe_scale (thresholds);
  out = g_string_new ("# ");
  {
    /* Translators: the title of the risk report; %s is the project's name */
    g_autofree char *title = g_strdup_printf (_("Risks: %s"), upg_project_get_name (project));
    upg_append_md_heading (out, title);
  }
  g_string_append (out, "\n\n");
  upg_append_md (out, scale);
  g_string_append (out, "\n\n## ");
  upg_append_md (out, _("Heat map before mitigation"));
  g_string_append (out, "\n\n");
  md_matrix (out, counts.inherent, thresholds);
  g_string_append (out, "\n## ");
  upg_append_md (out, _("Heat map after mitigation"));
  g_string_append (out, "\n\n");
  md_matrix (out, counts.residual, thresholds);
  g_string_append (out, "\n");
  upg_append_md (out, _("Risks without a residual assessment are counted at their inherent score."));
  g_string_append (out, "\n\n## ");
  upg_append_md (out, _("Register"));
  g_string_append (out, "\n\n");

  if (risks->len == 0)
    {
      upg_append_md (out, _("No risks recorded."));
      g_string_append_c (out, '\n');
      return g_string_free (out, FALSE);
    }

  {
    const char *headers[] = {
      C_("column", "Title"), C_("column", "Category"), C_("column", "Likelihood"),
      C_("column", "Impact"), C_("column", "Score"), C_("column", "Level"),
      C_("column", "Residual"), C_("column", "Owner"), C_("column", "Status"),
    };

    g_string_append (out, "| # |");
    for (guint h = 0; h < G_N_ELEMENTS (headers); h++)
      {
        g_string_append_c (out, ' ');
        upg_append_md (out, headers[h]);
        g_string_append (out, " |");
      }
    g_string_append (out, "\n|--:|---|---|---|---|--:|---|---|---|---|\n");
  }

  for (guint i = 0; i < risks->len; i++)
    {
      UpgRecord *risk = risks->pdata[i];
      int l = upg_record_get_int (risk, UPG_RISK_LIKELIHOOD);
      int m = upg_record_get_int (risk, UPG_RISK_IMPACT);
      int score = upg_risk_get_score (UPG_RISK (risk));
      int residual = upg_risk_get_residual_score (UPG_RISK (risk));

      g_string_append_printf (out, "| %u | ", i + 1);
      upg_append_md_cell (out, upg_record_get_string (risk, UPG_RISK_TITLE));
      g_string_append (out, " | ");
      upg_append_md_cell (out, upg_enum_label (upg_risk_categories, upg_record_get_string (risk, UPG_RISK_CATEGORY)));
      g_string_append_printf (out, " | %d · ", l);
      upg_append_md_cell (out, upg_risk_likelihood_label (l));
      g_string_append_printf (out, " | %d · ", m);
      upg_append_md_cell (out, upg_risk_impact_label (m));
      g_string_append_printf (out, " | %d | ", score);
      upg_append_md_cell (out, level_label (score, thresholds));
      g_string_append (out, " | ");
      if (residual > 0)
        {
          g_string_append_printf (out, "%d · ", residual);
          upg_append_md_cell (out, level_label (residual, thresholds));
        }
      else
        g_string_append (out, DASH);
      g_string_append (out, " | ");
      md_cell_or_dash (out, owner_or_null (risk));
      g_string_append (out, " | ");
      upg_append_md_cell (out, upg_enum_label (upg_risk_statuses, upg_record_get_string (risk, UPG_RISK_STATUS)));
      g_string_append (out, " |\n");
    }

  g_string_append (out, "\n## ");
  upg_append_md (out, _("Mitigation and contingency"));
  g_string_append (out, "\n");
  for (guint i = 0; i < risks->len; i++)
    {
      UpgRecord *risk = risks->pdata[i];

      g_string_append_printf (out, "\n%u\\. **", i + 1);
      upg_append_md (out, upg_record_get_string (risk, UPG_RISK_TITLE));
      g_string_append (out, "**\n\n- ");
      upg_append_md (out, C_("field", "Mitigation:"));
      g_string_append_c (out, ' ');
      md_text_or_dash (out, upg_record_get_string (risk, UPG_RISK_MITIGATION));
      g_string_append (out, "\n- ");
      upg_append_md (out, C_("field", "Contingency:"));
      g_string_append_c (out, ' ');
      md_text_or_dash (out, upg_record_get_string (risk, UPG_RISK_CONTINGENCY));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* ---- HTML ---------------------------------------------------------------- */

static const char html_style[] =
  "body{font-family:Cantarell,\"Noto Sans\",\"Noto Sans CJK SC\",sans-serif;"
  "margin:2em;color:#241f31;background:#fff;line-height:1.4}\n"
  "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.5em}\n"
  ".maps{display:flex;flex-wrap:wrap;gap:2em}\n"
  "figure{margin:0}figcaption{font-weight:bold;margin-bottom:.5em}\n"
  "table{border-collapse:separate;border-spacing:3px}\n"
  "th,td{padding:.35em .6em;text-align:left;vertical-align:top}\n"
  ".matrix td{width:6.5em;height:3.2em;border-radius:6px;text-align:center;vertical-align:middle}\n"
  ".matrix th{font-weight:normal;font-size:.9em}\n"
  ".matrix .axis{font-weight:bold}\n"
  ".count{display:block;font-size:1.4em;font-weight:bold;font-variant-numeric:tabular-nums}\n"
  ".count.zero{font-weight:normal;opacity:.55}\n"
  ".low{background:#8ff0a4;color:#241f31}.medium{background:#f9f06b;color:#241f31}\n"
  ".high{background:#ffa348;color:#241f31}.critical{background:#c01c28;color:#fff}\n"
  ".register{border-collapse:collapse;width:100%}\n"
  ".register th,.register td{border-bottom:1px solid #c0bfbc}\n"
  ".register td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
  ".register .pill{border-radius:1em;padding:.1em .6em;white-space:nowrap}\n"
  ".text{white-space:pre-wrap}\n"
  ".note{font-size:.9em;color:#5e5c64}\n"
  "@media (prefers-color-scheme:dark){body{background:#242424;color:#fff}"
  ".note{color:#c0bfbc}.register th,.register td{border-color:#5e5c64}}\n"
  "@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
  "body{margin:0;background:#fff;color:#000}}\n";

static void
html_matrix (GString                 *out,
             const char              *caption,
             guint                    counts[UPG_RISK_SCALE + 1][UPG_RISK_SCALE + 1],
             const UpgRiskThresholds *thresholds)
{
  g_string_append (out, "<figure>\n<figcaption>");
  upg_append_html (out, caption);
  g_string_append (out, "</figcaption>\n<table class=\"matrix\">\n<tr><th class=\"axis\">");
  upg_append_html (out, _("Likelihood / Impact"));
  g_string_append (out, "</th>");
  for (int m = 1; m <= UPG_RISK_SCALE; m++)
    {
      g_string_append (out, "<th scope=\"col\">");
      upg_append_html (out, upg_risk_impact_label (m));
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr>\n");

  for (int l = UPG_RISK_SCALE; l >= 1; l--)
    {
      g_string_append (out, "<tr><th scope=\"row\">");
      upg_append_html (out, upg_risk_likelihood_label (l));
      g_string_append (out, "</th>");
      for (int m = 1; m <= UPG_RISK_SCALE; m++)
        {
          guint n = counts[l][m];
          int score = upg_risk_score (l, m);
          g_autofree char *description = upg_risk_describe_cell (l, m, n, thresholds);

          g_string_append_printf (out, "<td class=\"%s\" title=\"", level_word (score, thresholds));
          upg_append_html (out, description);
          g_string_append_printf (out, "\"><span class=\"count%s\">%u</span>",
                                  n == 0 ? " zero" : "", n);
          upg_append_html (out, level_label (score, thresholds));
          g_string_append (out, "</td>");
        }
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</table>\n</figure>\n");
}

static void
html_text_or_dash (GString    *out,
                   const char *text)
{
  if (text == NULL || *text == '\0')
    g_string_append (out, DASH);
  else
    upg_append_html (out, text);
}

static void
html_level (GString                 *out,
            int                      score,
            const UpgRiskThresholds *thresholds)
{
  g_string_append_printf (out, "<span class=\"pill %s\">", level_word (score, thresholds));
  upg_append_html (out, level_label (score, thresholds));
  g_string_append (out, "</span>");
}

char *
upg_export_risks_html (UpgProject              *project,
                       const UpgRiskThresholds *thresholds)
{
  g_autoptr(GPtrArray) risks = NULL;
  g_autofree char *scale = NULL;
  g_autofree char *title = NULL;
  GString *out;
  Counts counts;

  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  risks = collect_risks (project);
  count_risks (risks, &counts);
  scale = describe_scale (thresholds);
  title = g_strdup_printf (_("Risks: %s"), upg_project_get_name (project));

  out = g_string_new ("<!DOCTYPE html>\n<html lang=\"");
  /* Translators: the language code of the exported HTML (e.g. "zh-CN") */
  upg_append_html (out, C_("HTML lang", "en"));
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<title>");
  upg_append_html (out, title);
  g_string_append (out, "</title>\n<style>\n");
  g_string_append (out, html_style);
  g_string_append (out, "</style>\n</head>\n<body>\n<h1>");
  upg_append_html (out, title);
  g_string_append (out, "</h1>\n<p>");
  upg_append_html (out, scale);
  g_string_append (out, "</p>\n<div class=\"maps\">\n");
  html_matrix (out, _("Heat map before mitigation"), counts.inherent, thresholds);
  html_matrix (out, _("Heat map after mitigation"), counts.residual, thresholds);
  g_string_append (out, "</div>\n<p class=\"note\">");
  upg_append_html (out, _("Risks without a residual assessment are counted at their inherent score."));
  g_string_append (out, "</p>\n<h2>");
  upg_append_html (out, _("Register"));
  g_string_append (out, "</h2>\n");

  if (risks->len == 0)
    {
      g_string_append (out, "<p>");
      upg_append_html (out, _("No risks recorded."));
      g_string_append (out, "</p>\n</body>\n</html>\n");
      return g_string_free (out, FALSE);
    }

  {
    const char *headers[] = {
      C_("column", "Title"), C_("column", "Category"), C_("column", "Likelihood"),
      C_("column", "Impact"), C_("column", "Score"), C_("column", "Level"),
      C_("column", "Residual"), C_("column", "Owner"), C_("column", "Status"),
      C_("column", "Mitigation"), C_("column", "Contingency"),
    };

    g_string_append (out, "<table class=\"register\">\n<thead><tr>");
    for (guint h = 0; h < G_N_ELEMENTS (headers); h++)
      {
        g_string_append (out, "<th scope=\"col\">");
        upg_append_html (out, headers[h]);
        g_string_append (out, "</th>");
      }
    g_string_append (out, "</tr></thead>\n<tbody>\n");
  }

  for (guint i = 0; i < risks->len; i++)
    {
      UpgRecord *risk = risks->pdata[i];
      int l = upg_record_get_int (risk, UPG_RISK_LIKELIHOOD);
      int m = upg_record_get_int (risk, UPG_RISK_IMPACT);
      int score = upg_risk_get_score (UPG_RISK (risk));
      int residual = upg_risk_get_residual_score (UPG_RISK (risk));

      g_string_append (out, "<tr><th scope=\"row\" class=\"text\">");
      upg_append_html (out, upg_record_get_string (risk, UPG_RISK_TITLE));
      g_string_append (out, "</th><td>");
      upg_append_html (out, upg_enum_label (upg_risk_categories, upg_record_get_string (risk, UPG_RISK_CATEGORY)));
      g_string_append_printf (out, "</td><td>%d · ", l);
      upg_append_html (out, upg_risk_likelihood_label (l));
      g_string_append_printf (out, "</td><td>%d · ", m);
      upg_append_html (out, upg_risk_impact_label (m));
      g_string_append_printf (out, "</td><td class=\"num\">%d</td><td>", score);
      html_level (out, score, thresholds);
      g_string_append (out, "</td><td>");
      if (residual > 0)
        {
          g_string_append_printf (out, "%d · ", residual);
          html_level (out, residual, thresholds);
        }
      else
        g_string_append (out, DASH);
      g_string_append (out, "</td><td>");
      html_text_or_dash (out, owner_or_null (risk));
      g_string_append (out, "</td><td>");
      upg_append_html (out, upg_enum_label (upg_risk_statuses, upg_record_get_string (risk, UPG_RISK_STATUS)));
      g_string_append (out, "</td><td class=\"text\">");
      html_text_or_dash (out, upg_record_get_string (risk, UPG_RISK_MITIGATION));
      g_string_append (out, "</td><td class=\"text\">");
      html_text_or_dash (out, upg_record_get_string (risk, UPG_RISK_CONTINGENCY));
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</tbody>\n</table>\n</body>\n</html>\n");
  return g_string_free (out, FALSE);
}

/* ---- The export table's entry -------------------------------------------- */

GBytes *
upg_export_risks (UpgStore                *store,
                  gint64                   project_id,
                  const UpgExportOptions  *options,
                  GError                 **error)
{
  g_autoptr(UpgProject) project = NULL;
  UpgRiskThresholds thresholds;
  const char *format = options && options->format ? options->format : "csv";
  char *text;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);

  project = upg_store_lookup_project (store, project_id, error);
  if (project == NULL)
    return NULL;
  if (!upg_store_load_children (store, UPG_RECORD (project), error))
    return NULL;

  upg_risk_thresholds_for_project (project, &thresholds);
  if (strcmp (format, "csv") == 0)
    text = upg_export_risks_csv (project, &thresholds, options ? options->csv_form : UPG_CSV_SPREADSHEET);
  else if (strcmp (format, "md") == 0)
    text = upg_export_risks_md (project, &thresholds);
  else if (strcmp (format, "html") == 0)
    text = upg_export_risks_html (project, &thresholds);
  else
    {
      g_set_error (error, UPG_EXPORT_ERROR, UPG_EXPORT_ERROR_UNKNOWN_FORMAT,
                   _("Risks cannot be exported as %s"), format);
      return NULL;
    }
  return g_bytes_new_take (text, strlen (text));
}
