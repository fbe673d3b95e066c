/* upg-escape.h — user text made safe for each format the app writes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bidirectional controls (issue 17, case 7): the embeddings and overrides
 * U+202A–U+202E, the isolates U+2066–U+2069, the marks U+200E, U+200F and
 * U+061C. A name holding them could reorder the text after it. */
gboolean upg_unichar_is_bidi_control (gunichar c);
gboolean upg_text_has_bidi_control   (const char *text);
/* For text formats (Markdown, plain text, PDF): each control shown as
 * "<U+202E>", so a reader sees it and nothing is reordered. */
char    *upg_text_show_bidi          (const char *text);
/* For what renders text (HTML, the window): @text isolated, U+2068 FIRST
 * STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE around it, a closing
 * control without its opener dropped and every opener left open closed,
 * so no control in it reaches the text around it. Text without a control
 * comes back as it is. */
char    *upg_text_isolate_bidi       (const char *text);

/* HTML text and attribute values: & < > " ' escaped; text with a
 * bidirectional control isolated (upg_text_isolate_bidi ()). */
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
/* Inline Markdown (bidirectional controls shown, upg_text_show_bidi ()):
 * the characters that start inline syntax escaped
 * anywhere, and those that start a block (# + - = and "1.") at the start of
 * every line, line breaks kept as CommonMark hard breaks (a backslash before
 * the newline), so the text renders as written in its paragraph or item. */
void upg_append_md    (GString    *out,
                       const char *text);
/* The same for a table cell: line breaks become spaces (a row is a line). */
void upg_append_md_cell (GString    *out,
                         const char *text);
/* The same for a heading: a CR or LF in a name does not end it. */
void upg_append_md_heading (GString    *out,
                            const char *text);

/* @text as one line for a terminal: newlines, tabs, escape and every other
 * control character shown escaped (\n, \t, \x1b, \u009b), invalid UTF-8
 * bytes as \xNN. */
char *upg_escape_line (const char *text);

G_END_DECLS
