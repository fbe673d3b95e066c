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

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/escape/csv-formulas", test_csv_formulas);
  g_test_add_func ("/escape/one-line", test_escape_line);
  g_test_add_func ("/escape/md-line-breaks", test_md_line_breaks);
  g_test_add_func ("/escape/html-cell", test_html_cell);

  return g_test_run ();
}
