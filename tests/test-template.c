/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-template.c — the email template language: what it renders, what it
 * refuses (with line, column and message), and its budget. */
#include "config.h"

#include <string.h>

#include "upg-template.h"
#include "upg-test-util.h"

#define CODE "a template shows names ({{ project.name }}), tests them ({{ if … }}) and repeats lists " \
             "({{ for x in changes }}); it runs no code"

static UpgTemplateData *
sample_data (void)
{
  UpgTemplateData *data = upg_template_data_new ();
  const char *changes[] = { "billing-api: TLS", "billing-db: currency", NULL };
  const char *none[] = { NULL };

  upg_template_data_set_text (data, "project.name", "Billing <4.2>");
  upg_template_data_set_text (data, "project.status", "live");
  upg_template_data_set_text (data, "project.build_id", NULL);
  upg_template_data_set_number (data, "project.calendar_sequence", 3, TRUE);
  upg_template_data_set_number (data, "retro.downtime_minutes", 0, FALSE);
  upg_template_data_set_number (data, "retro.incidents", 0, TRUE);
  upg_template_data_set_flag (data, "group.bcc", TRUE);
  upg_template_data_set_flag (data, "retro.rollback_used", FALSE);
  upg_template_data_set_text (data, "moment", "started");
  upg_template_data_set_list (data, "changes", changes);
  upg_template_data_set_list (data, "actions", none);
  return data;
}

static char *
render (const char *text)
{
  g_autoptr(UpgTemplateData) data = sample_data ();
  g_autoptr(UpgTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  char *out;

  template = upg_template_parse (text, NULL, NULL, &error);
  g_assert_no_error (error);
  out = upg_template_render (template, data, &error);
  g_assert_no_error (error);
  return out;
}

static void
assert_renders (const char *text,
                const char *expected)
{
  g_autofree char *out = render (text);
  g_assert_cmpstr (out, ==, expected);
}

static void
test_values (void)
{
  assert_renders ("{{project.name}}|{{ project.name }}|{{\tproject.name\n}}",
                  "Billing <4.2>|Billing <4.2>|Billing <4.2>");
  /* Nulls are empty, never "(null)" or -1; numbers in decimal; flags as words. */
  assert_renders ("[{{ project.build_id }}][{{ retro.downtime_minutes }}][{{ project.calendar_sequence }}]"
                  "[{{ retro.incidents }}][{{ group.bcc }}][{{ retro.rollback_used }}][{{ project.goal }}]",
                  "[][][3][0][true][false][]");
  assert_renders ("{{ moment }}", "started");
  /* Text is text: braces and backslashes that open no tag are written as
   * they are; \{ writes a brace, as template-glib did. */
  assert_renders ("a { b } }} \\n \\{{ moment }} {x {\\{{ moment }}", "a { b } }} \\n {{ moment }} {x {\\started");
  assert_renders ("", "");
  assert_renders ("中文 {{ moment }}。", "中文 started。");
}

static void
test_blocks (void)
{
  /* A newline right after an if, else, end or for tag is dropped, so a
   * block on lines of its own leaves no blank lines (template-glib's rule). */
  assert_renders ("What changed:\n{{for c in changes}}  - {{c}}\n{{end}}\nDone",
                  "What changed:\n  - billing-api: TLS\n  - billing-db: currency\nDone");
  assert_renders ("Open:\n{{ for a in actions }}  - {{ a }}\n{{ end }}\nDone", "Open:\nDone");
  assert_renders ("{{ if project.status == \"live\" }}\nlive\n{{ else if project.status == \"done\" }}\ndone\n{{ else }}\nother\n{{ end }}\n",
                  "live\n");
  assert_renders ("{{if project.status != \"live\"}}x{{else if moment == \"started\"}}y{{else}}z{{end}}", "y");
  assert_renders ("{{if project.status == \"x\"}}x{{else if moment == \"x\"}}y{{else}}z{{end}}", "z");
  assert_renders ("{{if project.status == \"x\"}}x{{end}}", "");
  /* Truth: text not empty, a number present and not 0, a flag true, a list
   * with lines. */
  assert_renders ("{{ if project.name }}1{{ end }}{{ if project.build_id }}2{{ end }}"
                  "{{ if project.calendar_sequence }}3{{ end }}{{ if retro.incidents }}4{{ end }}"
                  "{{ if retro.downtime_minutes }}5{{ end }}{{ if group.bcc }}6{{ end }}"
                  "{{ if retro.rollback_used }}7{{ end }}{{ if changes }}8{{ end }}{{ if actions }}9{{ end }}",
                  "1368");
  /* Whole numbers compare as numbers; a missing number equals none. */
  assert_renders ("{{ if project.calendar_sequence > 2 }}a{{ end }}{{ if project.calendar_sequence >= 4 }}b{{ end }}"
                  "{{ if project.calendar_sequence < 10 }}c{{ end }}{{ if project.calendar_sequence <= 3 }}d{{ end }}"
                  "{{ if project.calendar_sequence == 3 }}e{{ end }}{{ if project.calendar_sequence != -3 }}f{{ end }}"
                  "{{ if retro.downtime_minutes == 0 }}g{{ end }}{{ if retro.downtime_minutes != 0 }}h{{ end }}"
                  "{{ if retro.downtime_minutes < 1 }}i{{ end }}{{ if project.calendar_sequence == \"3\" }}j{{ end }}",
                  "acdefhj");
  /* Quoted text knows \" \\ \n \t. */
  assert_renders ("{{ if project.name == \"Billing <4.2>\" }}a{{ end }}{{ if moment != \"say \\\"hi\\\" \\\\ \\n\\t}}\" }}b{{ end }}"
                  "{{ if group.bcc == \"true\" }}c{{ end }}",
                  "abc");
  /* A loop's line in a test, and loops in loops. */
  assert_renders ("{{ for c in changes }}{{ if c == \"billing-db: currency\" }}[{{ c }}]{{ end }}{{ end }}",
                  "[billing-db: currency]");
  assert_renders ("{{ for a in changes }}{{ for b in changes }}{{ a }}/{{ b }};{{ end }}{{ end }}",
                  "billing-api: TLS/billing-api: TLS;billing-api: TLS/billing-db: currency;"
                  "billing-db: currency/billing-api: TLS;billing-db: currency/billing-db: currency;");
}

typedef struct {
  const char *text;
  int         line;
  int         column;
  const char *message;
} Refused;

static const Refused refused[] = {
  /* Code, in every form template-glib offers. */
  { "{{ require GLib }}{{ GLib.get_user_name() }} {{ GLib.get_home_dir() }}", 1, 4, "“require” is not allowed: " CODE },
  { "{{require Gtk version \"4.0\"}}", 1, 3, "“require” is not allowed: " CODE },
  { "x\n  {{ require Gio }}", 2, 6, "“require” is not allowed: " CODE },
  { "{{ GLib.get_user_name() }}", 1, 4, "“GLib.get_user_name(…)” is a call, and a template calls nothing: " CODE },
  { "{{ GLib.setenv(\"A\", \"B\", true) }}", 1, 4, "“GLib.setenv(…)” is a call, and a template calls nothing: " CODE },
  { "{{ print (project.name) }}", 1, 4, "“print(…)” is a call, and a template calls nothing: " CODE },
  { "{{ project.get_type() }}", 1, 4, "“project.get_type(…)” is a call, and a template calls nothing: " CODE },
  { "{{ typeof(project) }}", 1, 4, "“typeof(…)” is a call, and a template calls nothing: " CODE },
  { "{{ (project.name) }}", 1, 4, "“(” is not allowed: " CODE },
  { "{{ while true do 1; }}", 1, 4, "“while” is not allowed: " CODE },
  { "{{ x = \"\" }}{{ while true do x = x + x + x; }}", 1, 6, "“=” assigns, and a template assigns nothing; compare with “==”" },
  { "{{ func f() f() }}", 1, 4, "“func” is not allowed: " CODE },
  { "{{ def f(n) if n then f(n) end end }}{{ f(1) }}", 1, 4, "“def” is not allowed: " CODE },
  { "{{ if true then 1 else 2 }}", 1, 12, "“then” is not allowed: " CODE },
  { "{{ include \"/etc/passwd\" }}", 1, 4, "“include” is not allowed: " CODE },
  { "{{ project.name = \"Renamed\" }}", 1, 17, "“=” assigns, and a template assigns nothing; compare with “==”" },
  { "{{ project.name + \"x\" }}", 1, 17, "“+” is not allowed: a test compares one name with ==, !=, <, <=, > or >=" },
  { "{{ project.name; moment }}", 1, 16, "“;” is not allowed: a test compares one name with ==, !=, <, <=, > or >=" },
  { "{{ if project.name && moment }}x{{ end }}", 1, 20, "“&&” is not allowed: a test compares one name with ==, !=, <, <=, > or >=" },
  { "{{ if !project.name }}x{{ end }}", 1, 7, "“!” is not allowed: a test compares one name with ==, !=, <, <=, > or >=" },
  { "{{ project.name # a comment }}", 1, 17, "“#” is not allowed in a tag" },
  { "{{ @project }}", 1, 4, "“@” is not allowed in a tag" },
  /* Names: only those of the list. */
  { "Hello\n\nDear {{ project.nme }}, bye", 3, 9, "project has no field “nme”" },
  { "{{ project.name.length }}", 1, 4, "project has no field “name.length”" },
  { "{{ project }}", 1, 4, "“project” is not one value: name one of its fields, such as {{ project.uid }}" },
  { "{{ window }}", 1, 4, "“window” is not one value: name one of its fields, such as {{ window.start }}" },
  { "{{ nobody }}", 1, 4, "“nobody” is not a name a template can use" },
  { "{{ project. }}", 1, 4, "“project.” needs a field name after the dot" },
  { "{{ changes }}", 1, 4, "“changes” is a list: repeat it with {{ for x in changes }}" },
  { "{{ \"hi\" }}", 1, 4, "“\"hi\"” is not a name: a tag shows a name, such as {{ project.name }}" },
  { "{{ 42 }}", 1, 4, "“42” is not a name: a tag shows a name, such as {{ project.name }}" },
  { "{{ moment moment }}", 1, 11, "“moment” is not expected here" },
  { "a{{}}", 1, 2, "the tag is empty: write a name, such as {{ project.name }}" },
  { "a{{  \n }}", 1, 2, "the tag is empty: write a name, such as {{ project.name }}" },
  /* Blocks. */
  { "fine\n{{ project.name }} x {{ end }}", 2, 22, "“{{ end }}” closes nothing: there is no open {{ if }} or {{ for }}" },
  { "{{if project.name}}\nopen block", 1, 1, "“{{ if }}” is not closed by “{{ end }}”" },
  { "{{ for c in changes }}{{ if c }}x{{ end }}", 1, 1, "“{{ for }}” is not closed by “{{ end }}”" },
  { "{{ else }}", 1, 1, "“{{ else }}” is outside an {{ if }}" },
  { "{{ for c in changes }}{{ else }}{{ end }}", 1, 23, "“{{ else }}” is outside an {{ if }}" },
  { "{{ if moment }}{{ else }}{{ else }}{{ end }}", 1, 26, "this {{ if }} already has its {{ else }}" },
  { "{{ if moment }}{{ else }}{{ else if moment }}{{ end }}", 1, 26, "this {{ if }} already has its {{ else }}" },
  { "{{ end x }}", 1, 8, "“x” is not expected here" },
  { "{{ if }}{{ end }}", 1, 1, "“{{ if }}” needs a test, such as {{ if project.impact }} or {{ if project.status == \"live\" }}" },
  { "{{ if \"a\" == moment }}{{ end }}", 1, 7, "a test starts with a name, such as {{ if project.status == \"live\" }}" },
  { "{{ if moment == }}{{ end }}", 1, 14, "“==” needs a quoted text or a whole number after it" },
  { "{{ if moment == project.name }}{{ end }}", 1, 17, "“==” needs a quoted text or a whole number after it" },
  { "{{ if moment moment }}{{ end }}", 1, 14, "“moment” is not expected here" },
  { "{{ if moment == \"a\" \"b\" }}{{ end }}", 1, 21, "“\"b\"” is not expected here" },
  { "{{ if moment == 3 }}{{ end }}", 1, 17, "“moment” is text: compare it with a quoted text" },
  { "{{ if moment < \"b\" }}{{ end }}", 1, 16, "“<” compares whole numbers: write a number after it" },
  { "{{ if group.bcc == 1 }}{{ end }}", 1, 20, "“group.bcc” is true or false: test it alone, or compare it with \"true\" or \"false\"" },
  { "{{ if changes == \"a\" }}{{ end }}", 1, 7, "“changes” is a list: test it alone ({{ if changes }}) or repeat it with {{ for }}" },
  { "{{ if project.calendar_sequence == 1.5 }}{{ end }}", 1, 36, "“1.5” is not a whole number" },
  { "{{ if project.calendar_sequence == 1234567890123456789 }}{{ end }}", 1, 36, "“1234567890123456789” has more than 18 digits" },
  { "{{ if moment == \"a\\q\" }}{{ end }}", 1, 19, "“\\q” is not an escape quoted text knows (\\\", \\\\, \\n, \\t)" },
  { "{{ for c in project.name }}{{ end }}", 1, 13, "“project.name” is not a list: {{ for }} repeats changes or actions" },
  { "{{ for c in nothing }}{{ end }}", 1, 13, "“nothing” is not a name a template can use" },
  { "{{ for c }}{{ end }}", 1, 1, "write a loop as {{ for x in changes }} or {{ for x in actions }}" },
  { "{{ for c.d in changes }}{{ end }}", 1, 1, "write a loop as {{ for x in changes }} or {{ for x in actions }}" },
  { "{{ for project in changes }}{{ end }}", 1, 8, "“project” is taken: give the loop another name" },
  { "{{ for moment in changes }}{{ end }}", 1, 8, "“moment” is taken: give the loop another name" },
  { "{{ for c in changes }}{{ for c in actions }}{{ end }}{{ end }}", 1, 30, "“c” is taken: give the loop another name" },
  { "{{ for c in changes }}{{ end }}{{ c }}", 1, 35, "“c” is not a name a template can use" },
  { "{{ for c in changes }}{{ c.module }}{{ end }}", 1, 26, "“c” is a line of text and has no fields" },
  { "a\n  {{ project.name ", 2, 3, "“{{” is not closed by “}}”" },
  { "{{ \"}}\" ", 1, 1, "“{{” is not closed by “}}”" },
  /* Not text. */
  { "ok\n ab\xff", 2, 4, "the template is not UTF-8 text" },
};

static void
test_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(UpgTemplate) template = NULL;
      g_autofree char *message = NULL;
      g_autofree char *expected = NULL;
      int line = 0, column = 0;

      g_autofree char *shown = g_utf8_make_valid (refused[i].text, -1);

      /* TAP output is UTF-8: the one text that is not is shown made valid. */
      g_test_message ("%s", shown);
      template = upg_template_parse (refused[i].text, &line, &column, &error);
      g_assert_null (template);
      g_assert_error (error, UPG_TEMPLATE_ERROR, UPG_TEMPLATE_ERROR_SYNTAX);
      g_assert_cmpstr (error->message, ==, refused[i].message);
      g_assert_cmpint (line, ==, refused[i].line);
      g_assert_cmpint (column, ==, refused[i].column);

      /* What import and the store say after the path. */
      g_assert_false (upg_template_validate (refused[i].text, &message));
      expected = g_strdup_printf ("line %d, column %d: %s", refused[i].line, refused[i].column, refused[i].message);
      g_assert_cmpstr (message, ==, expected);
    }
}

static void
test_depth (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgTemplate) template = NULL;
  int line = 0, column = 0;

  for (guint i = 0; i < UPG_TEMPLATE_MAX_DEPTH; i++)
    g_string_append (deep, "{{ if moment }}");
  for (guint i = 0; i < UPG_TEMPLATE_MAX_DEPTH; i++)
    g_string_append (deep, "{{ end }}");
  template = upg_template_parse (deep->str, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&template, upg_template_free);

  g_string_insert (deep, 0, "{{ if moment }}");
  g_string_append (deep, "{{ end }}");
  template = upg_template_parse (deep->str, &line, &column, &error);
  g_assert_null (template);
  g_assert_error (error, UPG_TEMPLATE_ERROR, UPG_TEMPLATE_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "blocks nest more than 16 deep");
  g_assert_cmpint (line, ==, 1);
  g_assert_cmpint (column, ==, 16 * 15 + 1);
}

static char *
render_lines (const char  *text,
              guint        n_lines,
              gsize        line_length,
              GError     **error)
{
  g_autoptr(UpgTemplateData) data = upg_template_data_new ();
  g_autoptr(UpgTemplate) template = upg_template_parse (text, NULL, NULL, NULL);
  g_auto(GStrv) lines = g_new0 (char *, n_lines + 1);

  for (guint i = 0; i < n_lines; i++)
    lines[i] = g_strnfill (line_length, 'x');
  upg_template_data_set_list (data, "changes", (const char * const *) lines);
  g_assert_nonnull (template);
  return upg_template_render (template, data, error);
}

static void
test_budget_output (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *exactly = NULL;
  g_autofree char *over = NULL;
  g_autofree char *doubled = NULL;

  /* 1024 lines of 1024 bytes: exactly 1 MB is allowed, a byte more is not. */
  exactly = render_lines ("{{ for c in changes }}{{ c }}{{ end }}", 1024, 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (exactly), ==, UPG_TEMPLATE_MAX_OUTPUT);
  over = render_lines ("{{ for c in changes }}{{ c }}{{ end }}!", 1024, 1024, &error);
  g_assert_null (over);
  g_assert_error (error, UPG_TEMPLATE_ERROR, UPG_TEMPLATE_ERROR_BUDGET);
  g_assert_cmpstr (error->message, ==, "the rendered text passes 1 MB, the most a template may make");
  g_clear_error (&error);

  /* A loop in a loop that would write 200 × 200 × 100 bytes (4 MB). */
  doubled = render_lines ("{{ for a in changes }}{{ for b in changes }}{{ b }}{{ end }}{{ end }}", 200, 100, &error);
  g_assert_null (doubled);
  g_assert_error (error, UPG_TEMPLATE_ERROR, UPG_TEMPLATE_ERROR_BUDGET);
  g_assert_cmpstr (error->message, ==, "the rendered text passes 1 MB, the most a template may make");
}

static void
test_budget_time (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  /* 200⁴ = 1.6 × 10⁹ rounds that write nothing. */
  out = render_lines ("{{ for a in changes }}{{ for b in changes }}{{ for c in changes }}{{ for d in changes }}"
                      "{{ end }}{{ end }}{{ end }}{{ end }}", 200, 1, &error);
  g_assert_null (out);
  g_assert_error (error, UPG_TEMPLATE_ERROR, UPG_TEMPLATE_ERROR_BUDGET);
  g_assert_cmpstr (error->message, ==, "the template takes longer than 100 ms to render (a loop in a loop?)");
}

static void
test_names_documented (void)
{
  g_autofree char *path = g_build_filename (UPG_TEST_SRCDIR, "..", "docs", "templates.md", NULL);
  g_autofree char *doc = upg_test_read (path, NULL);
  const UpgTemplateName *names;
  guint n;

  /* Every name a template may use is in the documentation's list. */
  names = upg_template_names (&n);
  g_assert_cmpuint (n, ==, 55);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *entry = g_strdup_printf ("| `%s` |", names[i].name);
      g_test_message ("%s", names[i].name);
      g_assert_nonnull (strstr (doc, entry));
    }
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/template/values", test_values);
  g_test_add_func ("/template/blocks", test_blocks);
  g_test_add_func ("/template/refused", test_refused);
  g_test_add_func ("/template/depth", test_depth);
  g_test_add_func ("/template/budget/output", test_budget_output);
  g_test_add_func ("/template/budget/time", test_budget_time);
  g_test_add_func ("/template/names-documented", test_names_documented);
  return g_test_run ();
}
