/* test-export-sop.c — the SOP checklist in each format, for the sample plan
 * and for hostile text. */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include "upg-export.h"
#include "upg-export-sop.h"
#include "upg-plan.h"
#include "upg-sop.h"
#include "upg-test-util.h"

/* The sample plan (tests/data/sample-plan.json), exactly. Times are in the
 * project's zone (Asia/Shanghai), named; the CSV's with their offset. */
static const char expected_md[] =
  "# SOP checklist: Billing service 4.2 upgrade\n"
  "\n"
  "- **Status:** Preparing\n"
  "- **Versions:** 4.1.7 → 4.2.0\n"
  "- **Build:** v4.2.0+build.1187\n"
  "- **Maintenance window:** 2026-12-05 09:00 – 11:00 (Asia/Shanghai, UTC+8)\n"
  "- **Rollback target:** Restore service within 10 minutes\n"
  "- **Progress:** 1 of 6 steps done (required: 1 of 6)\n"
  "\n"
  "## Team\n"
  "\n"
  "- Ana Souza — Project manager · +86 21 5550 0101\n"
  "- Mei Lin — DBA · +86 21 5550 0102\n"
  "- Jonas Berg — DevOps · +49 30 5550 0103 (on call)\n"
  "- Priya Raman — QA\n"
  "\n"
  "## Rollback\n"
  "\n"
  "**Restore service within 10 minutes**\n"
  "\n"
  "_No rollback steps yet._\n"
  "\n"
  "## Preparation — 1 of 2 done\n"
  "\n"
  "- [x] **Staging mirrors production**\\\n"
  "  Owner: DevOps · Required · Checked by Jonas Berg at 2026-11-25 18:00 (Asia/Shanghai)\\\n"
  "  Same versions, configuration and data shape as production.\\\n"
  "  _History:_\n"
  "  - 2026-11-25 17:50 (Asia/Shanghai) — Checked by Jonas Berg\n"
  "  - 2026-11-25 17:55 (Asia/Shanghai) — Unchecked by Jonas Berg: Checked before the data refresh finished\n"
  "  - 2026-11-25 18:00 (Asia/Shanghai) — Checked by Jonas Berg\n"
  "- [ ] **Rollback rehearsed**\\\n"
  "  Owner: DevOps · Required\\\n"
  "  Restore 4.1.7 on staging in under 10 minutes.\n"
  "\n"
  "## Build — 0 of 1 done\n"
  "\n"
  "- [ ] **Release built by CI with a unique version id**\\\n"
  "  Owner: DevOps · Required\\\n"
  "  Tag v4.2.0, build 1187.\n"
  "\n"
  "## Validation — 0 of 1 done\n"
  "\n"
  "- [ ] **End-to-end load test**\\\n"
  "  Owner: QA · Required\n"
  "\n"
  "## Gray release — 0 of 1 done\n"
  "\n"
  "- [ ] **Canary 5%: watch error rate and latency for 30 minutes**\\\n"
  "  Owner: DevOps · Required\n"
  "\n"
  "## Notification — 0 of 1 done\n"
  "\n"
  "- [ ] **Advance notice sent to customers**\\\n"
  "  Owner: Project manager · Required\n";

static const char expected_txt[] =
  "SOP checklist: Billing service 4.2 upgrade\n"
  "==========================================\n"
  "\n"
  "Status: Preparing\n"
  "Versions: 4.1.7 → 4.2.0\n"
  "Build: v4.2.0+build.1187\n"
  "Maintenance window: 2026-12-05 09:00 – 11:00 (Asia/Shanghai, UTC+8)\n"
  "Rollback target: Restore service within 10 minutes\n"
  "Progress: 1 of 6 steps done (required: 1 of 6)\n"
  "\n"
  "Team\n"
  "----\n"
  "  Ana Souza — Project manager · +86 21 5550 0101\n"
  "  Mei Lin — DBA · +86 21 5550 0102\n"
  "  Jonas Berg — DevOps · +49 30 5550 0103 (on call)\n"
  "  Priya Raman — QA\n"
  "\n"
  "Rollback\n"
  "--------\n"
  "  Restore service within 10 minutes\n"
  "  No rollback steps yet.\n"
  "\n"
  "Preparation — 1 of 2 done\n"
  "-------------------------\n"
  "  [x] Staging mirrors production\n"
  "      Owner: DevOps · Required · Checked by Jonas Berg at 2026-11-25 18:00 (Asia/Shanghai)\n"
  "      Same versions, configuration and data shape as production.\n"
  "      History:\n"
  "        2026-11-25 17:50 (Asia/Shanghai) — Checked by Jonas Berg\n"
  "        2026-11-25 17:55 (Asia/Shanghai) — Unchecked by Jonas Berg: Checked before the data refresh finished\n"
  "        2026-11-25 18:00 (Asia/Shanghai) — Checked by Jonas Berg\n"
  "  [ ] Rollback rehearsed\n"
  "      Owner: DevOps · Required\n"
  "      Restore 4.1.7 on staging in under 10 minutes.\n"
  "\n"
  "Build — 0 of 1 done\n"
  "-------------------\n"
  "  [ ] Release built by CI with a unique version id\n"
  "      Owner: DevOps · Required\n"
  "      Tag v4.2.0, build 1187.\n"
  "\n"
  "Validation — 0 of 1 done\n"
  "------------------------\n"
  "  [ ] End-to-end load test\n"
  "      Owner: QA · Required\n"
  "\n"
  "Gray release — 0 of 1 done\n"
  "--------------------------\n"
  "  [ ] Canary 5%: watch error rate and latency for 30 minutes\n"
  "      Owner: DevOps · Required\n"
  "\n"
  "Notification — 0 of 1 done\n"
  "--------------------------\n"
  "  [ ] Advance notice sent to customers\n"
  "      Owner: Project manager · Required\n";

static const char expected_csv[] =
  "phase,title,details,owner_role,required,done,checked_at,checked_by,note,state,history\r\n"
  "preparation,Staging mirrors production,\"Same versions, configuration and data shape as production.\",devops,true,true,"
  "2026-11-25T18:00:00+08:00,Jonas Berg,,done,\"2026-11-25T17:50:00+08:00 check Jonas Berg\n"
  "2026-11-25T17:55:00+08:00 uncheck Jonas Berg: Checked before the data refresh finished\n"
  "2026-11-25T18:00:00+08:00 check Jonas Berg\"\r\n"
  "preparation,Rollback rehearsed,Restore 4.1.7 on staging in under 10 minutes.,devops,true,false,,,,open,\r\n"
  "build,Release built by CI with a unique version id,\"Tag v4.2.0, build 1187.\",devops,true,false,,,,open,\r\n"
  "validation,End-to-end load test,,qa,true,false,,,,open,\r\n"
  "gray_release,Canary 5%: watch error rate and latency for 30 minutes,,devops,true,false,,,,open,\r\n"
  "notification,Advance notice sent to customers,,project_manager,true,false,,,,open,\r\n";

#define CHINESE_TITLE "回滚到 4.1.7 并核对备份校验和"
#define HOSTILE_TITLE "<script>alert(\"x\")</script> & <b>bold</b> **not bold** [link](http://x.invalid)"
#define HOSTILE_BY "<img src=x onerror=alert(1)>"

static char *
import_sample (gint64 *project_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plan_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *plan = upg_test_read (plan_path, NULL);
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GArray) ids = NULL;
  char *path = upg_test_tmpfile ("plan.upgplan");

  store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  upg_plan_import (store, plan, -1, &ids, &error);
  g_assert_no_error (error);
  *project_id = g_array_index (ids, gint64, 0);
  return path;
}

static char *
export (UpgStore *store, gint64 id, const char *format, const char *paper, gsize *length)
{
  g_autoptr(GError) error = NULL;
  UpgExportOptions options = { format, NULL, paper, .csv_form = UPG_CSV_MACHINE };
  g_autoptr(GBytes) bytes = upg_export_run (store, "sop", id, &options, &error);
  gsize size;
  const char *data;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &size);
  if (length)
    *length = size;
  {
    /* Binary-safe (a PDF holds NUL bytes), and NUL-terminated for the text formats. */
    char *copy = g_malloc (size + 1);
    memcpy (copy, data, size);
    copy[size] = '\0';
    return copy;
  }
}

static void
test_sample_exact (void)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  g_autofree char *path = import_sample (&id);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autofree char *md = NULL, *txt = NULL, *csv = NULL, *md2 = NULL;

  g_assert_no_error (error);
  md = export (store, id, "md", NULL, NULL);
  g_assert_cmpstr (md, ==, expected_md);
  txt = export (store, id, "txt", NULL, NULL);
  g_assert_cmpstr (txt, ==, expected_txt);
  csv = export (store, id, "csv", NULL, NULL);
  g_assert_cmpstr (csv, ==, expected_csv);
  /* Deterministic. */
  md2 = export (store, id, "md", NULL, NULL);
  g_assert_cmpstr (md2, ==, md);
}

/* Adds hostile and Chinese steps to the sample project. */
static void
add_hostile_steps (UpgStore *store, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgProject) project = upg_store_lookup_project (store, id, &error);
  struct {
    const char *phase, *title, *details, *note, *by;
  } steps[] = {
    { "rollback", CHINESE_TITLE, "10 分钟内恢复服务。", "", NULL },
    { "go_live", HOSTILE_TITLE, "=HYPERLINK(\"http://evil.invalid\",\"x\")\n- not a list\n# not a heading",
      "+cmd|' /C calc'!A0", HOSTILE_BY },
    { "go_live", "Terminal \x1b[31mred\x1b[0m and a bell\x07", "@SUM(1+1)", "-2+3", NULL },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(UpgRecord) step = upg_record_new (&upg_entity_sop_step);
      upg_record_set_string (step, UPG_SOP_STEP_PHASE, steps[i].phase);
      upg_record_set_string (step, UPG_SOP_STEP_TITLE, steps[i].title);
      upg_record_set_string (step, UPG_SOP_STEP_DETAILS, steps[i].details);
      upg_record_set_string (step, UPG_SOP_STEP_NOTE, steps[i].note);
      upg_record_set_string (step, UPG_SOP_STEP_OWNER_ROLE, "devops");
      upg_record_set_bool (step, UPG_SOP_STEP_REQUIRED, TRUE);
      if (steps[i].by)
        {
          upg_record_set_string (step, UPG_SOP_STEP_CHECKED_AT, "2026-12-05T02:14:00Z");
          upg_record_set_string (step, UPG_SOP_STEP_CHECKED_BY, steps[i].by);
        }
      upg_store_insert (store, UPG_RECORD (project), step, -1, &error);
      g_assert_no_error (error);
    }
}

/* ---- HTML parsed back ---- */

typedef struct {
  GHashTable *elements;  /* names seen */
  GString    *text;      /* all text */
  GPtrArray  *titles;    /* text of class="title" */
  GString    *current;   /* inside a title */
  int         style_depth;
} HtmlParse;

static void
start_cb (GMarkupParseContext *context, const char *name, const char **attr_names,
          const char **attr_values, gpointer data, GError **error)
{
  HtmlParse *p = data;
  g_hash_table_add (p->elements, g_strdup (name));
  for (guint i = 0; attr_names[i]; i++)
    {
      /* No event handlers or links from anywhere. */
      g_assert_false (g_str_has_prefix (attr_names[i], "on"));
      g_assert_cmpstr (attr_names[i], !=, "src");
      g_assert_cmpstr (attr_names[i], !=, "href");
      if (strcmp (attr_names[i], "class") == 0 && strcmp (attr_values[i], "title") == 0)
        p->current = g_string_new (NULL);
    }
  if (strcmp (name, "style") == 0)
    p->style_depth++;
}

static void
end_cb (GMarkupParseContext *context, const char *name, gpointer data, GError **error)
{
  HtmlParse *p = data;
  if (strcmp (name, "p") == 0 && p->current)
    g_ptr_array_add (p->titles, g_string_free (g_steal_pointer (&p->current), FALSE));
  if (strcmp (name, "style") == 0)
    p->style_depth--;
}

static void
text_cb (GMarkupParseContext *context, const char *text, gsize len, gpointer data, GError **error)
{
  HtmlParse *p = data;
  if (p->style_depth)
    return;
  g_string_append_len (p->text, text, len);
  if (p->current)
    g_string_append_len (p->current, text, len);
}

static void
check_html (const char *html, const char * const *titles)
{
  static const char * const allowed[] = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "dl", "dt", "dd",
    "section", "h2", "span", "ul", "li", "div", "p", NULL
  };
  GMarkupParser parser = { start_cb, end_cb, text_cb, NULL, NULL };
  HtmlParse p = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
                  g_string_new (NULL), g_ptr_array_new_with_free_func (g_free), NULL, 0 };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, &p, NULL);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n"));
  g_markup_parse_context_parse (context, html, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);

  g_hash_table_iter_init (&iter, p.elements);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_strv_contains (allowed, key))
      g_error ("unexpected element <%s> in the HTML", (char *) key);

  g_assert_cmpuint (p.titles->len, ==, g_strv_length ((char **) titles));
  for (guint i = 0; titles[i]; i++)
    {
      gboolean found = FALSE;
      for (guint j = 0; j < p.titles->len; j++)
        found |= strcmp (g_ptr_array_index (p.titles, j), titles[i]) == 0;
      if (!found)
        g_error ("step “%s” is not in the HTML as text", titles[i]);
    }
  g_hash_table_unref (p.elements);
  g_string_free (p.text, TRUE);
  g_ptr_array_unref (p.titles);
}

static void
test_html (void)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  g_autofree char *path = import_sample (&id);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autofree char *html = NULL;
  g_autofree char *hostile_html = NULL;
  static const char * const titles[] = {
    "Staging mirrors production", "Rollback rehearsed", "Release built by CI with a unique version id",
    "End-to-end load test", "Canary 5%: watch error rate and latency for 30 minutes",
    "Advance notice sent to customers", NULL
  };
  static const char * const hostile_titles[] = {
    "Staging mirrors production", "Rollback rehearsed", "Release built by CI with a unique version id",
    "End-to-end load test", "Canary 5%: watch error rate and latency for 30 minutes",
    "Advance notice sent to customers", CHINESE_TITLE, HOSTILE_TITLE,
    "Terminal \xef\xbf\xbd[31mred\xef\xbf\xbd[0m and a bell\xef\xbf\xbd", NULL
  };

  g_assert_no_error (error);
  html = export (store, id, "html", NULL, NULL);
  check_html (html, titles);
  g_assert_nonnull (strstr (html, "<h2>Rollback</h2>"));
  /* Rollback comes before every other phase. */
  g_assert_true (strstr (html, "id=\"phase-rollback\"") < strstr (html, "id=\"phase-preparation\""));

  add_hostile_steps (store, id);
  hostile_html = export (store, id, "html", NULL, NULL);
  check_html (hostile_html, hostile_titles);
  g_assert_null (strstr (hostile_html, "<script"));
  g_assert_null (strstr (hostile_html, "<img"));
  g_assert_nonnull (strstr (hostile_html, "&lt;img src=x onerror=alert(1)&gt;"));
}

static void
test_hostile_text_formats (void)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  g_autofree char *path = import_sample (&id);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autofree char *md = NULL, *csv = NULL, *txt = NULL;

  g_assert_no_error (error);
  add_hostile_steps (store, id);

  md = export (store, id, "md", NULL, NULL);
  /* Markdown: no raw HTML, emphasis, links, or line-start syntax from user text. */
  g_assert_nonnull (strstr (md, "- [x] **\\<script\\>alert(\"x\")\\</script\\> \\& \\<b\\>bold\\</b\\> "
                                "\\*\\*not bold\\*\\* \\[link\\](http://x.invalid)**\\\n"));
  g_assert_nonnull (strstr (md, "Checked by \\<img src=x onerror=alert(1)\\> at 2026-12-05 10:14 (Asia/Shanghai)"));
  g_assert_nonnull (strstr (md, "\\=HYPERLINK(\"http://evil.invalid\",\"x\")\\\n\\- not a list\\\n\\# not a heading"));
  g_assert_nonnull (strstr (md, "- [ ] **回滚到 4.1.7 并核对备份校验和**"));
  g_assert_null (strstr (md, "<br>"));
  g_assert_null (strchr (md, '\x1b'));
  g_assert_null (strchr (md, '\x07'));
  /* The rollback phase with its Chinese step comes first. */
  g_assert_true (strstr (md, "并核对备份校验和") < strstr (md, "## Preparation"));

  csv = export (store, id, "csv", NULL, NULL);
  g_assert_nonnull (strstr (csv, "\r\nrollback," CHINESE_TITLE ",10 分钟内恢复服务。,devops,true,false,,,,open,\r\n"));
  g_assert_nonnull (strstr (csv, "\r\ngo_live,\"<script>alert(\"\"x\"\")</script> & <b>bold</b> **not bold** "
                                 "[link](http://x.invalid)\",\"'=HYPERLINK(\"\"http://evil.invalid\"\",\"\"x\"\")\n"
                                 "- not a list\n# not a heading\",devops,true,true,2026-12-05T10:14:00+08:00,"
                                 "<img src=x onerror=alert(1)>,\"'+cmd|' /C calc'!A0\",done,\r\n"));
  g_assert_nonnull (strstr (csv, ",\"'@SUM(1+1)\",devops,true,false,,,\"'-2+3\",open,\r\n"));

  txt = export (store, id, "txt", NULL, NULL);
  g_assert_null (strchr (txt, '\x1b'));
  g_assert_nonnull (strstr (txt, "  [x] <script>alert(\"x\")</script> & <b>bold</b>"));
  /* Continuation lines stay inside their step. */
  g_assert_nonnull (strstr (txt, "\n      =HYPERLINK(\"http://evil.invalid\",\"x\")\n      - not a list\n      # not a heading\n"));
}

static char *
pdftotext (const char *pdf_path)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf_path, "-", NULL };
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pdftotext %s failed: %s", pdf_path, err);
  return out;
}

static char *
strip_space (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (out, g_utf8_get_char (p));
  return g_string_free (out, FALSE);
}

static void
assert_pdf_has (const char *text, const char *needle)
{
  g_autofree char *a = strip_space (text);
  g_autofree char *b = strip_space (needle);
  if (strstr (a, b) == NULL)
    g_error ("“%s” is not in the PDF's text:\n%s", needle, text);
}

static void
test_pdf (void)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  g_autofree char *path = import_sample (&id);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autofree char *a4 = NULL, *letter = NULL, *text = NULL, *text_letter = NULL;
  g_autofree char *a4_path = upg_test_tmpfile ("sop-a4.pdf");
  g_autofree char *letter_path = upg_test_tmpfile ("sop-letter.pdf");
  gsize a4_len, letter_len;
  static const char * const expected[] = {
    "SOP checklist: Billing service 4.2 upgrade", "v4.2.0+build.1187",
    "2026-12-05 09:00 – 11:00 (Asia/Shanghai, UTC+8)", "Restore service within 10 minutes",
    "Ana Souza", "Project manager · +86 21 5550 0101", "Priya Raman", "Staging mirrors production",
    "Checked by Jonas Berg at 2026-11-25 18:00 (Asia/Shanghai)", "Rollback rehearsed",
    "Release built by CI with a unique version id", "End-to-end load test",
    "Canary 5%: watch error rate and latency for 30 minutes",
    "Advance notice sent to customers", CHINESE_TITLE, "10 分钟内恢复服务。",
    "<script>alert(\"x\")</script> & <b>bold</b>", "Page 1 of", NULL
  };

  g_assert_no_error (error);
  add_hostile_steps (store, id);

  a4 = export (store, id, "pdf", "a4", &a4_len);
  g_assert_true (g_str_has_prefix (a4, "%PDF-"));

  {
    g_autoptr(GError) e = NULL;
    g_file_set_contents (a4_path, a4, a4_len, &e);
    g_assert_no_error (e);
  }
  text = pdftotext (a4_path);
  for (guint i = 0; expected[i]; i++)
    assert_pdf_has (text, expected[i]);
  g_assert_nonnull (memmem (a4, a4_len, "/MediaBox [ 0 0 595.28 841.89 ]", strlen ("/MediaBox [ 0 0 595.28 841.89 ]")));

  letter = export (store, id, "pdf", "letter", &letter_len);
  {
    g_autoptr(GError) e = NULL;
    g_file_set_contents (letter_path, letter, letter_len, &e);
    g_assert_no_error (e);
  }
  g_assert_nonnull (memmem (letter, letter_len, "/MediaBox [ 0 0 612 792 ]", strlen ("/MediaBox [ 0 0 612 792 ]")));
  text_letter = pdftotext (letter_path);
  assert_pdf_has (text_letter, CHINESE_TITLE);
}

/* The PDF's outline: the title at the top, the headings (the team, each
 * phase) under it, each a bookmark to its page; a web address in a step
 * stays a link. */
static void
test_pdf_outline_and_links (void)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  g_autofree char *path = import_sample (&id);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) project = upg_store_lookup_project (store, id, &error);
  g_autoptr(UpgRecord) step = upg_record_new (&upg_entity_sop_step);
  static const char * const bookmarks[] = {
    "/Title (SOP checklist: Billing service 4.2 upgrade)", "/Title (Team)", "/Title (Rollback)",
    "/Title (Preparation)", "/Title (Build)", "/Title (Validation)", "/Title (Gray release)",
    "/Title (Notification)",
  };
  g_autofree char *pdf = NULL;
  gsize len;
  const char *at = NULL;

  g_assert_no_error (error);
  upg_record_set_string (step, UPG_SOP_STEP_PHASE, "preparation");
  upg_record_set_string (step, UPG_SOP_STEP_TITLE, "Read the runbook");
  upg_record_set_string (step, UPG_SOP_STEP_DETAILS,
                         "See https://wiki.example.com/runbooks/billing-4.2?tab=rollback, then sign off.");
  g_assert_true (upg_store_insert (store, UPG_RECORD (project), step, -1, &error));
  g_assert_no_error (error);

  pdf = export (store, id, "pdf", "a4", &len);
  g_assert_nonnull (memmem (pdf, len, "/Outlines", strlen ("/Outlines")));
  /* In the document's order. */
  for (guint i = 0; i < G_N_ELEMENTS (bookmarks); i++)
    {
      const char *found = memmem (pdf, len, bookmarks[i], strlen (bookmarks[i]));
      g_assert_nonnull (found);
      if (i > 1)
        g_assert_true (found > at);
      at = found;
    }
  g_assert_nonnull (memmem (pdf, len, "/URI (https://wiki.example.com/runbooks/billing-4.2?tab=rollback)",
                            strlen ("/URI (https://wiki.example.com/runbooks/billing-4.2?tab=rollback)")));
}

/* A text far longer than a page is laid out in pieces (Pango's time grows
 * with the square of a paragraph's length): every word arrives, in order,
 * also across the cuts between pieces and inside Chinese text. A block
 * holds up to 8,000 characters (UPG_PDF_BLOCK_MAX), here 12,800 bytes. */
static void
test_pdf_long_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(UpgPdfDoc) doc = upg_pdf_doc_new ("Long text");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pdf_path = upg_test_tmpfile ("long-text.pdf");

  for (guint i = 0; i < 800; i++)
    {
      g_string_append_printf (long_text, "w%05u ", i);
      if (i % 300 == 299)
        g_string_append (long_text, "\n");
      if (i == 399)
        /* A run of Chinese with no space to cut at. */
        for (guint k = 0; k < 1199; k++)
          g_string_append (long_text, "步骤");
    }
  g_assert_cmpint (g_utf8_strlen (long_text->str, -1), ==, UPG_PDF_BLOCK_MAX);
  g_assert_cmpuint (long_text->len, >, 8192);
  upg_pdf_doc_add_text (doc, long_text->str, FALSE);
  bytes = upg_pdf_doc_to_pdf (doc, "a4", "Long text", &error);
  g_assert_no_error (error);
  g_file_set_contents (pdf_path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  text = pdftotext (pdf_path);
  /* Every word in order (the pages' footers come between them), and all
   * the Chinese (a line may break inside its runs). */
  {
    const char *at = text;
    g_autofree char *bare = strip_space (text);
    guint chinese = 0;

    for (guint i = 0; i < 800; i++)
      {
        char word[8];
        g_snprintf (word, sizeof word, "w%05u", i);
        at = strstr (at, word);
        if (at == NULL)
          g_error ("“%s” is missing from the PDF, or out of order", word);
        at += strlen (word);
      }
    /* Counted a character at a time: a page's footer may come between two. */
    for (const char *c = bare; (c = strstr (c, "骤")) != NULL; c += strlen ("骤"))
      chinese++;
    g_assert_cmpuint (chinese, ==, 1199);
  }
}

/* Issue 17, case 8: a step's details of 48,000 characters print their
 * first 2,000 (UPG_PDF_TEXT_MAX) and say how many more there are; the
 * note after them is printed. */
static void
test_pdf_clipped_text (void)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  g_autofree char *path = import_sample (&id);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) project = upg_store_lookup_project (store, id, &error);
  g_autoptr(UpgRecord) step = upg_record_new (&upg_entity_sop_step);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *pdf = NULL, *text = NULL, *bare = NULL, *marker = NULL, *bare_marker = NULL;
  g_autofree char *pdf_path = upg_test_tmpfile ("clipped-text.pdf");
  const char *at;
  gsize len;

  g_assert_no_error (error);
  for (guint i = 0; i < 6000; i++)
    g_string_append_printf (details, "w%05u ", i);
  upg_record_set_string (step, UPG_SOP_STEP_PHASE, "preparation");
  upg_record_set_string (step, UPG_SOP_STEP_TITLE, "A step with a long text");
  upg_record_set_string (step, UPG_SOP_STEP_DETAILS, details->str);
  upg_record_set_string (step, UPG_SOP_STEP_NOTE, "The note after it");
  g_assert_true (upg_store_insert (store, UPG_RECORD (project), step, -1, &error));
  g_assert_no_error (error);

  pdf = export (store, id, "pdf", "a4", &len);
  g_file_set_contents (pdf_path, pdf, len, &error);
  g_assert_no_error (error);
  text = pdftotext (pdf_path);
  /* 285 words of 7 characters, then "w0028" and the cut. */
  at = text;
  for (guint i = 0; i < 285; i++)
    {
      char word[8];
      g_snprintf (word, sizeof word, "w%05u", i);
      at = strstr (at, word);
      if (at == NULL)
        g_error ("“%s” is missing from the PDF, or out of order", word);
    }
  g_assert_null (strstr (text, "w00285"));
  marker = g_strdup_printf ("w0028…(%d more characters are not printed; the Markdown, HTML and text exports have the "
                            "whole text)Note:The note after it", 6000 * 7 - UPG_PDF_TEXT_MAX);
  bare = strip_space (text);
  bare_marker = strip_space (marker);
  g_assert_nonnull (strstr (bare, bare_marker));
}

static void
test_pdf_pages (void)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  g_autofree char *path = import_sample (&id);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autoptr(UpgProject) project = upg_store_lookup_project (store, id, &error);
  g_autoptr(UpgPdfDoc) doc = NULL;
  g_autofree char *pdf = NULL, *text = NULL;
  g_autofree char *pdf_path = upg_test_tmpfile ("long.pdf");
  gsize len;
  guint pages;

  g_assert_no_error (error);
  upg_store_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 120; i++)
    {
      g_autoptr(UpgRecord) step = upg_record_new (&upg_entity_sop_step);
      g_autofree char *title = g_strdup_printf ("Generated step %03u", i);
      upg_record_set_string (step, UPG_SOP_STEP_PHASE, upg_phases[i % 9]);
      upg_record_set_string (step, UPG_SOP_STEP_TITLE, title);
      upg_record_set_string (step, UPG_SOP_STEP_DETAILS, "Some details that run on for a while to fill the line.");
      upg_store_insert (store, UPG_RECORD (project), step, -1, &error);
      g_assert_no_error (error);
    }
  upg_store_commit (store, &error);
  g_assert_no_error (error);

  doc = upg_export_sop_pdf_doc (store, project, &error);
  g_assert_no_error (error);
  {
    double w, h;
    cairo_surface_t *surface;
    cairo_t *cr;
    g_assert_true (upg_pdf_paper_size ("letter", &w, &h));
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
    cr = cairo_create (surface);
    pages = upg_pdf_doc_paginate (doc, cr, w, h);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }
  g_assert_cmpuint (pages, >, 3);

  pdf = export (store, id, "pdf", "letter", &len);
  g_file_set_contents (pdf_path, pdf, len, &error);
  g_assert_no_error (error);
  text = pdftotext (pdf_path);
  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *title = g_strdup_printf ("Generated step %03u", i);
      assert_pdf_has (text, title);
    }
  {
    g_autofree char *last = g_strdup_printf ("Page %u of %u", pages, pages);
    assert_pdf_has (text, last);
  }
}

/* The release day's record: a step skipped and a step unchecked, each with
 * its reason, in every format, at the time of the project's zone. */
static void
record_day (UpgStore *store, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgProject) project = upg_store_lookup_project (store, id, &error);
  GListModel *steps;
  g_autoptr(UpgRecord) staging = NULL;
  g_autoptr(UpgRecord) load_test = NULL;
  g_autoptr(GPtrArray) skipped = g_ptr_array_new ();

  g_assert_no_error (error);
  g_assert_true (upg_store_load_children (store, UPG_RECORD (project), &error));
  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  staging = g_list_model_get_item (steps, 0);
  load_test = g_list_model_get_item (steps, 3);
  g_assert_cmpstr (upg_record_get_string (load_test, UPG_SOP_STEP_TITLE), ==, "End-to-end load test");
  g_ptr_array_add (skipped, load_test);
  g_assert_true (upg_sop_skip (store, skipped, "Mei Lin", "2026-12-05T01:20:00Z", "load env down", &error));
  g_assert_no_error (error);
  g_assert_true (upg_sop_uncheck (store, staging, "Jonas Berg", "2026-12-05T01:35:00Z",
                                  "Staging drifted: config 4.1.6", &error));
  g_assert_no_error (error);
}

static void
test_audit_trail (void)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  g_autofree char *path = import_sample (&id);
  g_autoptr(UpgStore) store = upg_store_open (path, UPG_STORE_OPEN_EXISTING, &error);
  g_autofree char *md = NULL, *txt = NULL, *csv = NULL, *html = NULL, *pdf = NULL, *text = NULL;
  g_autofree char *pdf_path = upg_test_tmpfile ("sop-audit.pdf");
  g_autofree char *flat = NULL;
  gsize pdf_len;

  g_assert_no_error (error);
  record_day (store, id);

  md = export (store, id, "md", NULL, NULL);
  g_assert_nonnull (strstr (md,
    "- [ ] **Staging mirrors production**\\\n"
    "  Owner: DevOps · Required\\\n"
    "  Same versions, configuration and data shape as production.\\\n"
    "  _History:_\n"
    "  - 2026-11-25 17:50 (Asia/Shanghai) — Checked by Jonas Berg\n"
    "  - 2026-11-25 17:55 (Asia/Shanghai) — Unchecked by Jonas Berg: Checked before the data refresh finished\n"
    "  - 2026-11-25 18:00 (Asia/Shanghai) — Checked by Jonas Berg\n"
    "  - 2026-12-05 09:35 (Asia/Shanghai) — Unchecked by Jonas Berg: Staging drifted: config 4.1.6\n"));
  g_assert_nonnull (strstr (md,
    "## Validation — 0 of 1 done\n"
    "\n"
    "- [-] **End-to-end load test**\\\n"
    "  Owner: QA · Required · Skipped by Mei Lin at 2026-12-05 09:20 (Asia/Shanghai)\\\n"
    "  _History:_\n"
    "  - 2026-12-05 09:20 (Asia/Shanghai) — Skipped by Mei Lin: load env down\n"));

  txt = export (store, id, "txt", NULL, NULL);
  g_assert_nonnull (strstr (txt,
    "  [ ] Staging mirrors production\n"
    "      Owner: DevOps · Required\n"
    "      Same versions, configuration and data shape as production.\n"
    "      History:\n"
    "        2026-11-25 17:50 (Asia/Shanghai) — Checked by Jonas Berg\n"
    "        2026-11-25 17:55 (Asia/Shanghai) — Unchecked by Jonas Berg: Checked before the data refresh finished\n"
    "        2026-11-25 18:00 (Asia/Shanghai) — Checked by Jonas Berg\n"
    "        2026-12-05 09:35 (Asia/Shanghai) — Unchecked by Jonas Berg: Staging drifted: config 4.1.6\n"));
  g_assert_nonnull (strstr (txt,
    "  [-] End-to-end load test\n"
    "      Owner: QA · Required · Skipped by Mei Lin at 2026-12-05 09:20 (Asia/Shanghai)\n"
    "      History:\n"
    "        2026-12-05 09:20 (Asia/Shanghai) — Skipped by Mei Lin: load env down\n"));

  /* Machine-readable: the plan format's words, ISO 8601 with the offset. */
  csv = export (store, id, "csv", NULL, NULL);
  g_assert_nonnull (strstr (csv,
    "\r\npreparation,Staging mirrors production,\"Same versions, configuration and data shape as production.\","
    "devops,true,false,,,,open,\"2026-11-25T17:50:00+08:00 check Jonas Berg\n"
    "2026-11-25T17:55:00+08:00 uncheck Jonas Berg: Checked before the data refresh finished\n"
    "2026-11-25T18:00:00+08:00 check Jonas Berg\n"
    "2026-12-05T09:35:00+08:00 uncheck Jonas Berg: Staging drifted: config 4.1.6\"\r\n"));
  g_assert_nonnull (strstr (csv,
    "\r\nvalidation,End-to-end load test,,qa,true,false,,,,skipped,"
    "2026-12-05T09:20:00+08:00 skip Mei Lin: load env down\r\n"));

  html = export (store, id, "html", NULL, NULL);
  g_assert_nonnull (strstr (html,
    "<li class=\"step skipped\"><span class=\"box\" role=\"img\" aria-label=\"Skipped\">–</span><div>"
    "<p class=\"title\">End-to-end load test</p>"
    "<p class=\"meta\">Owner: QA · Required · Skipped by Mei Lin at 2026-12-05 09:20 (Asia/Shanghai)</p>"
    "<p class=\"history-label\">History:</p><ul class=\"history\">"
    "<li class=\"entry\">2026-12-05 09:20 (Asia/Shanghai) — Skipped by Mei Lin: load env down</li></ul>"
    "</div></li>\n"));
  g_assert_nonnull (strstr (html,
    "<li class=\"entry\">2026-12-05 09:35 (Asia/Shanghai) — Unchecked by Jonas Berg: "
    "Staging drifted: config 4.1.6</li></ul></div></li>\n"));
  g_assert_nonnull (strstr (html, "<li class=\"step\"><span class=\"box\" role=\"img\" aria-label=\"Not done\">"
                                  "</span><div><p class=\"title\">Staging mirrors production</p>"));
  /* The team with the phone or on-call contact of each who has one. */
  g_assert_nonnull (strstr (html, "<li><span class=\"name\">Jonas Berg</span> — <span class=\"role\">DevOps</span>"
                                  " · <span class=\"phone\">+49 30 5550 0103 (on call)</span></li>\n"
                                  "<li><span class=\"name\">Priya Raman</span> — <span class=\"role\">QA</span></li>\n"));

  pdf = export (store, id, "pdf", "a4", &pdf_len);
  g_file_set_contents (pdf_path, pdf, pdf_len, &error);
  g_assert_no_error (error);
  text = pdftotext (pdf_path);
  /* Lines may wrap where the page does: compare without white space. */
  flat = strip_space (text);
  {
    static const char * const expected[] = {
      "Owner:QA·Required·SkippedbyMeiLinat2026-12-0509:20(Asia/Shanghai)History:"
      "2026-12-0509:20(Asia/Shanghai)—SkippedbyMeiLin:loadenvdown",
      "2026-11-2518:00(Asia/Shanghai)—CheckedbyJonasBerg"
      "2026-12-0509:35(Asia/Shanghai)—UncheckedbyJonasBerg:Stagingdrifted:config4.1.6",
      "2026-11-2517:55(Asia/Shanghai)—UncheckedbyJonasBerg:Checkedbeforethedatarefreshfinished",
      NULL
    };
    for (guint i = 0; expected[i]; i++)
      if (strstr (flat, expected[i]) == NULL)
        g_error ("“%s” is not in the PDF's text:\n%s", expected[i], text);
  }
  /* No time in UTC anywhere a person reads. */
  g_assert_null (strstr (md, "UTC "));
  g_assert_null (strstr (txt, "UTC "));
  g_assert_null (strstr (text, "UTC "));
}

static void
test_cli (void)
{
  gint64 id;
  g_autofree char *path = import_sample (&id);
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *out_md = g_build_filename (dir, "sop.md", NULL);
  g_autofree char *out_pdf = g_build_filename (dir, "sop.pdf", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.pdf", NULL);
  g_autofree char *o = NULL, *e = NULL, *md = NULL, *pdf = NULL;
  gsize len;

  /* To stdout, exactly the Markdown. */
  g_assert_cmpint (upg_test_run_cli (&o, &e, "export", "sop", "--db", path, "--project", "1",
                                     "--format", "md", NULL), ==, 0);
  g_assert_cmpstr (o, ==, expected_md);
  g_clear_pointer (&o, g_free);
  g_clear_pointer (&e, g_free);

  /* Markdown is the default format. */
  g_assert_cmpint (upg_test_run_cli (&o, &e, "export", "sop", "--db", path, "--project", "1",
                                     "-o", out_md, NULL), ==, 0);
  md = upg_test_read (out_md, NULL);
  g_assert_cmpstr (md, ==, expected_md);
  g_clear_pointer (&o, g_free);
  g_clear_pointer (&e, g_free);

  g_assert_cmpint (upg_test_run_cli (&o, &e, "export", "sop", "--db", path, "--project", "1",
                                     "--format", "pdf", "--paper", "letter", "-o", out_pdf, NULL), ==, 0);
  pdf = upg_test_read (out_pdf, &len);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_assert_nonnull (memmem (pdf, len, "/MediaBox [ 0 0 612 792 ]", strlen ("/MediaBox [ 0 0 612 792 ]")));
  g_clear_pointer (&o, g_free);
  g_clear_pointer (&e, g_free);

  /* Bad input: no such project; nothing written. */
  g_assert_cmpint (upg_test_run_cli (&o, &e, "export", "sop", "--db", path, "--project", "99",
                                     "--format", "pdf", "-o", missing, NULL), ==, 1);
  g_assert_nonnull (strstr (e, "99"));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_pointer (&o, g_free);
  g_clear_pointer (&e, g_free);

  /* Usage errors: an unknown format, no project, a bad paper. */
  upg_test_assert_usage_error ("“sop” cannot be exported as “docx”; choose one of md, html, pdf, csv, txt",
                               "export", "sop", "--db", path, "--project", "1", "--format", "docx");
  upg_test_assert_usage_error ("export sop needs --project ID",
                               "export", "sop", "--db", path, "--format", "md");
  upg_test_assert_usage_error ("--paper must be a4 or letter",
                               "export", "sop", "--db", path, "--project", "1",
                               "--format", "pdf", "--paper", "a3", "-o", missing);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/export-sop/sample-exact", test_sample_exact);
  g_test_add_func ("/export-sop/html", test_html);
  g_test_add_func ("/export-sop/hostile", test_hostile_text_formats);
  g_test_add_func ("/export-sop/pdf-outline-links", test_pdf_outline_and_links);
  g_test_add_func ("/export-sop/pdf", test_pdf);
  g_test_add_func ("/export-sop/pdf-pages", test_pdf_pages);
  g_test_add_func ("/export-sop/pdf-long-text", test_pdf_long_text);
  g_test_add_func ("/export-sop/pdf-clipped-text", test_pdf_clipped_text);
  g_test_add_func ("/export-sop/audit-trail", test_audit_trail);
  g_test_add_func ("/export-sop/cli", test_cli);
  return g_test_run ();
}
