/* upg-escape.h — user text made safe for each format the app writes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* HTML text and attribute values: & < > " ' escaped. */
void upg_append_html  (GString    *out,
                       const char *text);
/* The same for a table cell: words wrap whole (the cell's CSS has
 * overflow-wrap: break-word, which leaves the column at least as wide as its
 * longest word), so a token longer than UPG_HTML_LONG_TOKEN characters (a
 * URL, a build id) gets a <wbr> break opportunity every so often, after a
 * '/', '-', '_', '.' … where it has one, to fit its column. */
#define UPG_HTML_LONG_TOKEN 24
void upg_append_html_cell (GString    *out,
                           const char *text);
/* One CSV field (RFC 4180): quoted when needed; a cell a spreadsheet would
 * run as a formula (= + - @ first, also after blanks or invisible characters
 * such as U+200B or a BOM; tab or carriage return first) gets a leading '. */
void upg_append_csv   (GString    *out,
                       const char *text);
/* Inline Markdown: the characters that start inline syntax escaped
 * anywhere, and those that start a block (# + - = and "1.") at the start of
 * every line, line breaks kept as CommonMark hard breaks (a backslash before
 * the newline), so the text renders as written in its paragraph or item. */
void upg_append_md    (GString    *out,
                       const char *text);
/* The same for a table cell: line breaks become spaces (a row is a line). */
void upg_append_md_cell (GString    *out,
                         const char *text);

/* @text as one line for a terminal: newlines, tabs, escape and every other
 * control character shown escaped (\n, \t, \x1b, \u009b), invalid UTF-8
 * bytes as \xNN. */
char *upg_escape_line (const char *text);

G_END_DECLS
