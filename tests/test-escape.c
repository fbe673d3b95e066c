/* test-escape.c — user text made safe: CSV cells that a spreadsheet would
 * run as formulas, error messages as one terminal line. */
#include "config.h"

#include "upg-test-util.h"
#include "core/upg-escape.h"

static char *
csv (const char *text)
{
  GString *out = g_string_new (NULL);
  upg_append_csv (out, text);
  return g_string_free (out, FALSE);
}

/* Issue 12, case 11: a formula behind blanks or invisible characters. */
static void
test_csv_formulas (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "plain", "plain" },
    { "a,b", "\"a,b\"" },
    { "=1+1", "\"'=1+1\"" },
    { "+1", "\"'+1\"" },
    { "-1", "\"'-1\"" },
    { "@SUM(A1)", "\"'@SUM(A1)\"" },
    { "\t=1", "\"'\t=1\"" },
    { "\r=1", "\"'\r=1\"" },
    { "\tplain", "\"'\tplain\"" },
    { " =HYPERLINK(\"x\")", "\"' =HYPERLINK(\"\"x\"\")\"" },
    { "   +1", "\"'   +1\"" },
    { "\xe2\x80\x8b=1", "\"'\xe2\x80\x8b=1\"" },            /* U+200B zero-width space */
    { "\xef\xbb\xbf=1", "\"'\xef\xbb\xbf=1\"" },            /* U+FEFF BOM */
    { "\xe2\x81\xa0@x", "\"'\xe2\x81\xa0@x\"" },            /* U+2060 word joiner */
    { "\xe2\x80\x8d-1", "\"'\xe2\x80\x8d-1\"" },            /* U+200D zero-width joiner */
    { "\xc2\xa0=1", "\"'\xc2\xa0=1\"" },                    /* U+00A0 no-break space */
    { " \xe2\x80\x8b \t=1", "\"' \xe2\x80\x8b \t=1\"" },
    { "\n=1", "\"'\n=1\"" },
    { " plain", " plain" },
    { "a=b", "a=b" },
    { "4.2.0", "4.2.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = csv (cases[i].in);
      g_test_message ("case %u", i);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

/* Issue 12, case 9: whatever a message holds, it prints as one line and
 * sends no control character to the terminal. */
static void
test_escape_line (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "plain “quoted” 中文", "plain “quoted” 中文" },
    { "two\nlines", "two\\nlines" },
    { "tab\there\r", "tab\\there\\r" },
    { "\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m" },
    { "bell\a del\x7f", "bell\\x07 del\\x7f" },
    { "csi \xc2\x9b" "2J", "csi \\u009b2J" },
    { "rlo \xe2\x80\xae" "evil", "rlo \\u202eevil" },
    { "bad \xff byte", "bad \\xff byte" },
    { "back\\slash", "back\\slash" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = upg_escape_line (cases[i].in);
      g_test_message ("case %u", i);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static char *
md (const char *text, gboolean cell)
{
  GString *out = g_string_new (NULL);
  if (cell)
    upg_append_md_cell (out, text);
  else
    upg_append_md (out, text);
  return g_string_free (out, FALSE);
}

/* Issue 9: multi-line text keeps CommonMark hard line breaks, never raw
 * <br>; every line's block marker is escaped; a table cell stays on its
 * row. */
static void
test_md_line_breaks (void)
{
  static const struct { const char *in, *out; gboolean cell; } cases[] = {
    { "one\ntwo", "one\\\ntwo", FALSE },
    { "one\r\ntwo\n", "one\\\ntwo", FALSE },
    { "a\n\nb", "a\\\n\\\nb", FALSE },
    { "a\n- b\n  + c\n# d\n12. e\n===\n> f", "a\\\n\\- b\\\n  \\+ c\\\n\\# d\\\n12\\. e\\\n\\===\\\n\\> f", FALSE },
    { "4.2.0\n-5 %", "4.2.0\\\n-5 %", FALSE },
    { "x <br> y", "x \\<br\\> y", FALSE },
    { "one\ntwo | three", "one two \\| three", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = md (cases[i].in, cases[i].cell);
      g_test_message ("case %u", i);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

/* Table cells: words whole; a token longer than 24 characters gets a <wbr>
 * after a separator (or every 12 characters without one), escaped as ever;
 * Chinese text breaks between its characters as it is. */
static void
test_html_cell (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "Open", "Open" },
    { "Data migration & <b>", "Data migration &amp; &lt;b&gt;" },
    { "exactly-twenty-four-char", "exactly-twenty-four-char" },
    { "see https://tracker.example.com/browse/OPS-41234 now",
      "see https:<wbr>//tracker.<wbr>example.<wbr>com/<wbr>browse/<wbr>OPS-<wbr>41234 now" },
    { "v4.2.0+build.1187abcdef0123456789",
      "v4.2.<wbr>0+build.<wbr>1187abcdef01<wbr>23456789" },
    { "灰度发布百分之五十阶段已经在生产环境中完成并且所有指标均正常无任何告警", 
      "灰度发布百分之五十阶段已经在生产环境中完成并且所有指标均正常无任何告警" },
    { "a\tb  c", "a\tb  c" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      upg_append_html_cell (out, cases[i].in);
      g_test_message ("case %u", i);
      g_assert_cmpstr (out->str, ==, cases[i].out);
    }
}


/* Issue 17, case 7: bidirectional controls shown in text formats,
 * isolated where text is rendered (HTML, the window); a heading stays one
 * line. */
#define RLO "\xe2\x80\xae"
#define LRI "\xe2\x81\xa6"
#define FSI "\xe2\x81\xa8"
#define PDI "\xe2\x81\xa9"
#define PDF "\xe2\x80\xac"
#define RLM "\xe2\x80\x8f"
#define ALM "\xd8\x9c"

static void
test_bidi (void)
{
  static const struct { const char *in, *shown, *isolated; } cases[] = {
    { "plain 中文 עברית", "plain 中文 עברית", "plain 中文 עברית" },
    { "a" RLO "gnp.exe", "a<U+202E>gnp.exe", FSI "a" RLO "gnp.exe" PDF PDI },
    { PDI RLO "x", "<U+2069><U+202E>x", FSI RLO "x" PDF PDI },
    { PDF "x", "<U+202C>x", FSI "x" PDI },
    { LRI "a" PDI "b" PDI, "<U+2066>a<U+2069>b<U+2069>", FSI LRI "a" PDI "b" PDI },
    { LRI RLO "a", "<U+2066><U+202E>a", FSI LRI RLO "a" PDF PDI PDI },
    { RLM "x" ALM "\xe2\x80\x8e\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xad\xe2\x81\xa7" FSI,
      "<U+200F>x<U+061C><U+200E><U+202A><U+202B><U+202D><U+2067><U+2068>",
      FSI RLM "x" ALM "\xe2\x80\x8e\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xad\xe2\x81\xa7" FSI PDI PDI PDF PDF PDF PDI },
    { RLO "a\nb" PDI, "<U+202E>a\nb<U+2069>", FSI RLO "a" PDF PDI "\n" FSI "b" PDI },
    { "\xe2\x80\x8b zero-width space is no control", "\xe2\x80\x8b zero-width space is no control",
      "\xe2\x80\x8b zero-width space is no control" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = upg_text_show_bidi (cases[i].in);
      g_autofree char *isolated = upg_text_isolate_bidi (cases[i].in);

      g_test_message ("case %u", i);
      g_assert_cmpstr (shown, ==, cases[i].shown);
      g_assert_cmpstr (isolated, ==, cases[i].isolated);
    }
}

/* Each escaper: Markdown shows them, HTML isolates them (text and cells),
 * CSV keeps the value exact; a heading is one line. */
static void
test_bidi_formats (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  upg_append_md (out, "Deploy " RLO "db <x>");
  g_assert_cmpstr (out->str, ==, "Deploy \\<U+202E\\>db \\<x\\>");
  g_string_truncate (out, 0);
  upg_append_md_cell (out, "a" RLO "b\nc");
  g_assert_cmpstr (out->str, ==, "a\\<U+202E\\>b c");
  g_string_truncate (out, 0);
  upg_append_md_heading (out, "Name\r\n# Not a heading\nx");
  g_assert_cmpstr (out->str, ==, "Name  # Not a heading x");
  g_string_truncate (out, 0);
  upg_append_html (out, "a & " RLO "b");
  g_assert_cmpstr (out->str, ==, FSI "a &amp; " RLO "b" PDF PDI);
  g_string_truncate (out, 0);
  upg_append_html_cell (out, RLO "see https://tracker.example.com/browse/OPS-41234");
  g_assert_cmpstr (out->str, ==, FSI RLO "see https:<wbr>//tracker.<wbr>example.<wbr>com/<wbr>browse/<wbr>OPS-<wbr>41234" PDF PDI);
  g_string_truncate (out, 0);
  upg_append_csv (out, RLO "x");
  g_assert_cmpstr (out->str, ==, RLO "x");
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/escape/csv-formulas", test_csv_formulas);
  g_test_add_func ("/escape/one-line", test_escape_line);
  g_test_add_func ("/escape/md-line-breaks", test_md_line_breaks);
  g_test_add_func ("/escape/html-cell", test_html_cell);
  g_test_add_func ("/escape/bidi", test_bidi);
  g_test_add_func ("/escape/bidi-formats", test_bidi_formats);

  return g_test_run ();
}
