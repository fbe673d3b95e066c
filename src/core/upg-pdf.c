/* upg-pdf.c — a small paginated document laid out with Pango on cairo. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <fontconfig/fontconfig.h>

#include "upg-pdf.h"
#include "upg-clock.h"
#include "upg-escape.h"

/* Latin text in a common sans; Chinese in Noto Sans CJK SC (Debian's
 * fonts-noto-cjk), whichever fontconfig finds first for each character. */
#define FONT_FAMILY "DejaVu Sans, Noto Sans CJK SC, Noto Sans CJK, Sans"
#define MARGIN 54.0        /* ¾ inch */
#define FOOTER_GAP 22.0
#define BOX_SIZE 9.0
#define ITEM_INDENT 18.0
#define FIELD_TAB 118.0
/* Pango lays a paragraph out in time that grows with the square of its
 * length: longer ones are laid out in pieces of about this many bytes,
 * cut at a line end or a space (a piece's last line may end early). */
#define PIECE_BYTES 8192

typedef enum {
  BLOCK_TITLE,
  BLOCK_HEADING,
  BLOCK_FIELD,
  BLOCK_TEXT,
  BLOCK_TEXT_DIM,
  BLOCK_ITEM,
  BLOCK_PICTURE,
} BlockKind;

typedef struct {
  BlockKind  kind;
  UpgPdfBox  box;
  char      *a;    /* title / heading / label / text */
  char      *b;    /* aside / value / meta */
  char      *c;    /* body */
  UpgPdfDrawFunc  draw;      /* a picture: drawn by @draw at @width × @height */
  gpointer        data;
  GDestroyNotify  destroy;
  double          width;
  double          height;
} Block;

typedef struct {
  PangoLayout *layout;     /* a ref */
  int          index;      /* line of the layout */
  double       x;          /* left of the layout, from the left margin */
  double       origin_x;   /* where the line's origin sits inside the layout */
  double       height;
  double       baseline;   /* from the line's top */
  double       space_before;
  double       space_after;
  gboolean     keep_with_next;
  gboolean     rule_below;
  UpgPdfBox    box;
  double       gray;       /* text colour */
  guint        page;
  double       y;          /* top, from the top margin */
  Block       *picture;    /* a picture instead of a line of text (borrowed) */
  double       scale;
  int          outline;    /* 1: the title, 2: a heading (a PDF bookmark); 0: none */
  const char  *outline_text;  /* the title's or heading's text (the block's) */
} Line;

struct _UpgPdfDoc
{
  char         *footer;
  GPtrArray    *blocks;
  GArray       *lines;     /* Line */
  PangoContext *context;
  double        width;
  double        height;
  guint         n_pages;
};

static void
block_free (Block *block)
{
  g_free (block->a);
  g_free (block->b);
  g_free (block->c);
  if (block->destroy != NULL)
    block->destroy (block->data);
  g_free (block);
}

static void
line_clear (Line *line)
{
  g_clear_object (&line->layout);
}

char *
upg_text_sanitize (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0))
        {
          if (c == '\r' && p[1] == '\n')
            continue;      /* CRLF → LF */
          g_string_append_unichar (out, c == '\r' ? '\n' : 0xfffd);
        }
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* @text cut after @max characters, with a line that says how many more
 * there are. */
static char *
clip (char *text, glong max)
{
  glong length = g_utf8_strlen (text, -1);
  const char *cut;
  GString *out;

  if (length <= max)
    return text;
  cut = g_utf8_offset_to_pointer (text, max);
  out = g_string_new_len (text, cut - text);
  g_string_append (out, "…\n");
  g_string_append_printf (out,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "(%ld more character is not printed; the Markdown, HTML and text exports have the whole text)",
                                       "(%ld more characters are not printed; the Markdown, HTML and text exports have the whole text)",
                                       (gulong) (length - max)),
                          length - max);
  g_free (text);
  return g_string_free (out, FALSE);
}

char *
upg_pdf_clip (const char *text)
{
  return clip (g_strdup (text ? text : ""), UPG_PDF_TEXT_MAX);
}

/* What a PDF shows of user text: sanitized, and bidirectional controls
 * shown as "<U+202E>" as in the other text formats. A long text may hold
 * 100,000 characters, and laying out millions of them takes minutes (issue
 * 17, case 8): one text is printed up to UPG_PDF_TEXT_MAX characters, and
 * a block (a step's details, note and history together) up to
 * UPG_PDF_BLOCK_MAX. */
static char *
pdf_text (const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);

  return clip (upg_text_show_bidi (clean), UPG_PDF_BLOCK_MAX);
}

UpgPdfDoc *
upg_pdf_doc_new (const char *footer)
{
  UpgPdfDoc *doc = g_new0 (UpgPdfDoc, 1);

  doc->footer = pdf_text (footer);
  /* One line on every page, ellipsized: a few hundred characters are all
   * it can show, and laying out more on each page costs its length. */
  if (g_utf8_strlen (doc->footer, -1) > 300)
    {
      char *cut = g_utf8_substring (doc->footer, 0, 300);
      g_free (doc->footer);
      doc->footer = g_strconcat (cut, "…", NULL);
      g_free (cut);
    }
  doc->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  doc->lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_array_set_clear_func (doc->lines, (GDestroyNotify) line_clear);
  return doc;
}

void
upg_pdf_doc_free (UpgPdfDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->footer);
  g_ptr_array_unref (doc->blocks);
  g_array_unref (doc->lines);
  g_clear_object (&doc->context);
  g_free (doc);
}

static void
add_block (UpgPdfDoc  *doc,
           BlockKind   kind,
           UpgPdfBox   box,
           const char *a,
           const char *b,
           const char *c)
{
  Block *block = g_new0 (Block, 1);

  block->kind = kind;
  block->box = box;
  block->a = pdf_text (a);
  block->b = b && *b ? pdf_text (b) : NULL;
  block->c = c && *c ? pdf_text (c) : NULL;
  g_ptr_array_add (doc->blocks, block);
}

void
upg_pdf_doc_add_title (UpgPdfDoc *doc, const char *text)
{
  add_block (doc, BLOCK_TITLE, UPG_PDF_BOX_NONE, text, NULL, NULL);
}

void
upg_pdf_doc_add_heading (UpgPdfDoc *doc, const char *text, const char *aside)
{
  add_block (doc, BLOCK_HEADING, UPG_PDF_BOX_NONE, text, aside, NULL);
}

void
upg_pdf_doc_add_field (UpgPdfDoc *doc, const char *label, const char *value)
{
  add_block (doc, BLOCK_FIELD, UPG_PDF_BOX_NONE, label, value ? value : "", NULL);
}

void
upg_pdf_doc_add_text (UpgPdfDoc *doc, const char *text, gboolean dim)
{
  add_block (doc, dim ? BLOCK_TEXT_DIM : BLOCK_TEXT, UPG_PDF_BOX_NONE, text, NULL, NULL);
}

void
upg_pdf_doc_add_item (UpgPdfDoc  *doc,
                      UpgPdfBox   box,
                      const char *title,
                      const char *meta,
                      const char *body)
{
  add_block (doc, BLOCK_ITEM, box, title, meta, body);
}

void
upg_pdf_doc_add_picture (UpgPdfDoc      *doc,
                         double          width,
                         double          height,
                         UpgPdfDrawFunc  draw,
                         gpointer        data,
                         GDestroyNotify  destroy)
{
  Block *block = g_new0 (Block, 1);

  block->kind = BLOCK_PICTURE;
  block->a = g_strdup ("");
  block->draw = draw;
  block->data = data;
  block->destroy = destroy;
  block->width = width;
  block->height = height;
  g_ptr_array_add (doc->blocks, block);
}

gboolean
upg_pdf_paper_size (const char *paper,
                    double     *width,
                    double     *height)
{
  if (paper == NULL || g_ascii_strcasecmp (paper, "a4") == 0)
    {
      *width = 595.28;   /* 210 mm */
      *height = 841.89;  /* 297 mm */
      return TRUE;
    }
  if (g_ascii_strcasecmp (paper, "letter") == 0)
    {
      *width = 612.0;
      *height = 792.0;
      return TRUE;
    }
  return FALSE;
}

/* ---- Layout ------------------------------------------------------------- */

#define new_layout upg_pdf_doc_new_layout

PangoLayout *
upg_pdf_doc_new_layout (UpgPdfDoc  *doc,
                        double      size,
                        gboolean    bold,
                        double      width)
{
  PangoLayout *layout = pango_layout_new (doc->context);
  PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  return layout;
}

static void
set_markup (PangoLayout *layout, const char *markup, const char *fallback)
{
  /* The markup is built with g_markup_printf_escaped(); if Pango still
   * refuses it, show the plain text rather than nothing. */
  if (pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL))
    pango_layout_set_markup (layout, markup, -1);
  else
    pango_layout_set_text (layout, fallback, -1);
}

/* Appends the lines of @layout; the first gets @space_before and @box. */
static void
push_layout (UpgPdfDoc   *doc,
             PangoLayout *layout,
             double       x,
             double       space_before,
             gboolean     keep_all_with_next,
             gboolean     rule_below,
             UpgPdfBox    box,
             double       gray)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  int index = 0;
  int n = pango_layout_get_line_count (layout);

  do
    {
      PangoRectangle logical, line_logical;
      PangoLayoutLine *pline = pango_layout_iter_get_line_readonly (iter);
      Line line = { 0 };

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      pango_layout_line_get_extents (pline, NULL, &line_logical);
      line.layout = g_object_ref (layout);
      line.index = index;
      line.x = x;
      line.origin_x = (double) (logical.x - line_logical.x) / PANGO_SCALE;
      line.height = (double) logical.height / PANGO_SCALE;
      line.baseline = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;
      line.space_before = index == 0 ? space_before : 0;
      /* Keep a block's first two lines together, and headings with what follows. */
      line.keep_with_next = keep_all_with_next || (index == 0 && n > 1);
      line.rule_below = rule_below && index == n - 1;
      line.space_after = line.rule_below ? 5 : 0;
      line.box = index == 0 ? box : UPG_PDF_BOX_NONE;
      line.gray = gray;
      g_array_append_val (doc->lines, line);
      index++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/* The next piece of @text from @start: up to PIECE_BYTES, ending after a
 * newline or a space when there is one, never inside a character. */
static gsize
piece_length (const char *text,
              gsize       start,
              gsize       length)
{
  gsize end, cut;

  if (length - start <= PIECE_BYTES)
    return length - start;
  end = start + PIECE_BYTES;
  for (cut = end; cut > start + PIECE_BYTES / 2; cut--)
    if (text[cut - 1] == '\n')
      return cut - start;
  for (cut = end; cut > start + PIECE_BYTES / 2; cut--)
    if (text[cut - 1] == ' ')
      return cut - start;
  while (end > start && (text[end] & 0xc0) == 0x80)
    end--;
  return end - start;
}

/* Plain text in @size (bold or not) at @x, @width wide: one layout, or one
 * per piece of a long text; the first gets @space_before and @box. */
static void
push_text (UpgPdfDoc  *doc,
           const char *text,
           double      size,
           gboolean    bold,
           double      x,
           double      width,
           double      space_before,
           gboolean    keep_all_with_next,
           gboolean    rule_below,
           UpgPdfBox   box,
           double      gray)
{
  gsize length = strlen (text);
  gsize start = 0;

  do
    {
      g_autoptr(PangoLayout) layout = new_layout (doc, size, bold, width);
      gsize n = piece_length (text, start, length);
      /* A piece cut after its newline leaves that newline out: it ends the piece. */
      gsize shown = n > 0 && start + n < length && text[start + n - 1] == '\n' ? n - 1 : n;

      pango_layout_set_text (layout, text + start, (int) shown);
      push_layout (doc, layout, x, start == 0 ? space_before : 0,
                   keep_all_with_next && start + n >= length, rule_below && start + n >= length,
                   start == 0 ? box : UPG_PDF_BOX_NONE, gray);
      start += n;
    }
  while (start < length);
}

static void
layout_blocks (UpgPdfDoc *doc, double width)
{
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (doc->blocks, i);
      g_autoptr(PangoLayout) layout = NULL;
      g_autofree char *markup = NULL;
      guint first_line;

      switch (block->kind)
        {
        case BLOCK_TITLE:
          first_line = doc->lines->len;
          push_text (doc, block->a, 17, TRUE, 0, width, 0, FALSE, FALSE, UPG_PDF_BOX_NONE, 0.0);
          g_array_index (doc->lines, Line, doc->lines->len - 1).space_after = 8;
          g_array_index (doc->lines, Line, first_line).outline = 1;
          g_array_index (doc->lines, Line, first_line).outline_text = block->a;
          break;

        case BLOCK_HEADING:
          first_line = doc->lines->len;
          if (strlen (block->a) > PIECE_BYTES)
            {
              /* A heading as long as a chapter: plain, in pieces. */
              push_text (doc, block->a, 12.5, TRUE, 0, width, 18, TRUE, block->b == NULL, UPG_PDF_BOX_NONE, 0.0);
              if (block->b)
                push_text (doc, block->b, 10, FALSE, 0, width, 0, TRUE, TRUE, UPG_PDF_BOX_NONE, 0.36);
              g_array_index (doc->lines, Line, first_line).outline = 2;
              g_array_index (doc->lines, Line, first_line).outline_text = block->a;
              break;
            }
          layout = new_layout (doc, 12.5, TRUE, width);
          if (block->b)
            markup = g_markup_printf_escaped ("%s   <span weight='normal' size='smaller' foreground='#5e5c64'>%s</span>",
                                              block->a, block->b);
          else
            markup = g_markup_escape_text (block->a, -1);
          set_markup (layout, markup, block->a);
          push_layout (doc, layout, 0, 18, TRUE, TRUE, UPG_PDF_BOX_NONE, 0.0);
          g_array_index (doc->lines, Line, first_line).outline = 2;
          g_array_index (doc->lines, Line, first_line).outline_text = block->a;
          break;

        case BLOCK_FIELD:
          {
            PangoTabArray *tabs = pango_tab_array_new_with_positions (1, TRUE, PANGO_TAB_LEFT, (int) FIELD_TAB);
            const char *value = block->b ? block->b : "";
            gsize first = piece_length (value, 0, strlen (value));
            g_autofree char *head = g_strndup (value, first);

            layout = new_layout (doc, 9.5, FALSE, width);
            pango_layout_set_tabs (layout, tabs);
            pango_tab_array_free (tabs);
            pango_layout_set_indent (layout, (int) (-FIELD_TAB * PANGO_SCALE));
            markup = g_markup_printf_escaped ("<b>%s</b>\t%s", block->a, head);
            set_markup (layout, markup, block->a);
            push_layout (doc, layout, 0, 3, FALSE, FALSE, UPG_PDF_BOX_NONE, 0.0);
            /* The rest of a long value, under its start. */
            if (value[first] != '\0')
              push_text (doc, value + first, 9.5, FALSE, FIELD_TAB, width - FIELD_TAB, 0, FALSE, FALSE,
                         UPG_PDF_BOX_NONE, 0.0);
          }
          break;

        case BLOCK_TEXT:
        case BLOCK_TEXT_DIM:
          push_text (doc, block->a, 9.5, FALSE, 0, width, 5, FALSE, FALSE, UPG_PDF_BOX_NONE,
                     block->kind == BLOCK_TEXT_DIM ? 0.38 : 0.0);
          break;

        case BLOCK_PICTURE:
          {
            /* Scaled down (never up) to the text's width. */
            Line line = { 0 };
            line.picture = block;
            line.scale = MIN (1.0, width / block->width);
            line.height = block->height * line.scale;
            line.space_before = 8;
            line.space_after = 6;
            line.index = -1;
            g_array_append_val (doc->lines, line);
          }
          break;

        case BLOCK_ITEM:
          {
            gboolean more = block->b != NULL || block->c != NULL;

            push_text (doc, block->a, 10, TRUE, ITEM_INDENT, width - ITEM_INDENT, 9, more, FALSE, block->box, 0.0);
            if (block->b)
              push_text (doc, block->b, 8.5, FALSE, ITEM_INDENT, width - ITEM_INDENT, 1.5, FALSE, FALSE,
                         UPG_PDF_BOX_NONE, 0.36);
            if (block->c)
              push_text (doc, block->c, 9.5, FALSE, ITEM_INDENT, width - ITEM_INDENT, 2.5, FALSE, FALSE,
                         UPG_PDF_BOX_NONE, 0.12);
          }
          break;
        }
    }
}

guint
upg_pdf_doc_paginate (UpgPdfDoc *doc,
                      cairo_t   *cr,
                      double     width,
                      double     height)
{
  cairo_font_options_t *options;
  double body_height = height - 2 * MARGIN - FOOTER_GAP;
  double y = 0;
  double after = 0;
  guint page = 0;

  g_return_val_if_fail (doc != NULL, 0);
  g_return_val_if_fail (cr != NULL, 0);

  g_array_set_size (doc->lines, 0);
  g_clear_object (&doc->context);
  doc->width = width;
  doc->height = height;

  /* One point per unit and unhinted metrics: the same line breaks whether
   * the cairo context is a PDF surface or a printer's. */
  doc->context = pango_cairo_create_context (cr);
  pango_cairo_context_set_resolution (doc->context, 72.0);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (doc->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (doc->context, FALSE);
  pango_context_set_language (doc->context, pango_language_get_default ());

  layout_blocks (doc, width - 2 * MARGIN);

  for (guint i = 0; i < doc->lines->len; i++)
    {
      Line *line = &g_array_index (doc->lines, Line, i);
      double need = MAX (line->space_before, after) + line->height;

      /* Lines kept together with the ones after them move as a group. */
      if (line->keep_with_next)
        {
          double extra = 0;
          for (guint j = i + 1; j < doc->lines->len; j++)
            {
              Line *next = &g_array_index (doc->lines, Line, j);
              extra += next->space_before + next->height;
              if (!next->keep_with_next || extra > body_height / 3)
                break;
            }
          need += extra;
        }
      if (y > 0 && y + need > body_height)
        {
          page++;
          y = 0;
        }
      if (y > 0)
        y += MAX (line->space_before, after);
      line->page = page;
      line->y = y;
      y += line->height;
      after = line->space_after;
    }
  doc->n_pages = page + 1;
  return doc->n_pages;
}

guint
upg_pdf_doc_get_n_pages (UpgPdfDoc *doc)
{
  return doc->n_pages;
}

static void
draw_box (cairo_t *cr, double x, double y, UpgPdfBox box)
{
  double r = 1.6, s = BOX_SIZE;

  cairo_save (cr);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + s - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + s - r, y + s - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + s - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  if (box == UPG_PDF_BOX_CHECKED)
    {
      cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);   /* GNOME blue 3 */
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1.4);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_move_to (cr, x + 2.1, y + 4.7);
      cairo_line_to (cr, x + 3.9, y + 6.6);
      cairo_line_to (cr, x + 7.0, y + 2.6);
      cairo_stroke (cr);
    }
  else
    {
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.38);
      cairo_set_line_width (cr, 0.8);
      cairo_stroke (cr);
      if (box == UPG_PDF_BOX_SKIPPED)
        {
          cairo_set_line_width (cr, 1.2);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
          cairo_move_to (cr, x + 2.4, y + s / 2);
          cairo_line_to (cr, x + s - 2.4, y + s / 2);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

/* Where a web address ends: at a space, a quote or an angle bracket, less
 * the punctuation a sentence puts after it. */
static const char *
uri_end (const char *p)
{
  const char *end = p;

  while (*end && !g_ascii_isspace (*end) && *end != '"' && *end != '\'' && *end != '<' && *end != '>' &&
         (guchar) *end < 0x80)
    end++;
  while (end > p && strchr (".,;:!?)]", end[-1]) != NULL)
    end--;
  return end;
}

/* The web addresses (http:// and https://) of a line stay links: a link
 * tag over each one's part of the line (a PDF link annotation; other
 * surfaces ignore tags). */
static void
tag_links (cairo_t         *cr,
           PangoLayout     *layout,
           PangoLayoutLine *pline,
           double           x,
           double           top,
           double           height)
{
  const char *text = pango_layout_get_text (layout);
  int line_start = pango_layout_line_get_start_index (pline);
  int line_end = line_start + pango_layout_line_get_length (pline);

  for (const char *p = text; (p = strstr (p, "http")) != NULL; )
    {
      const char *end;
      int start_index, end_index, x0, x1;
      g_autofree char *uri = NULL;
      g_autoptr(GString) attributes = g_string_new (NULL);
      char n[4][G_ASCII_DTOSTR_BUF_SIZE];

      if (!g_str_has_prefix (p, "http://") && !g_str_has_prefix (p, "https://"))
        {
          p += 4;
          continue;
        }
      end = uri_end (p);
      start_index = MAX ((int) (p - text), line_start);
      end_index = MIN ((int) (end - text), line_end);
      if (start_index < end_index && end - p > 8)
        {
          pango_layout_line_index_to_x (pline, start_index, FALSE, &x0);
          pango_layout_line_index_to_x (pline, end_index, FALSE, &x1);
          if (end_index == line_end)
            {
              PangoRectangle logical;
              pango_layout_line_get_extents (pline, NULL, &logical);
              x1 = MAX (x1, logical.x + logical.width);
            }
          uri = g_strndup (p, end - p);
          /* cairo's attributes: a quoted string escapes ' and \\; numbers with a '.'. */
          g_string_append (attributes, "uri='");
          for (const char *c = uri; *c; c++)
            {
              if (*c == '\'' || *c == '\\')
                g_string_append_c (attributes, '\\');
              g_string_append_c (attributes, *c);
            }
          g_string_append_printf (attributes, "' rect=[%s %s %s %s]",
                                  g_ascii_formatd (n[0], sizeof n[0], "%.2f", x + MIN (x0, x1) / (double) PANGO_SCALE),
                                  g_ascii_formatd (n[1], sizeof n[1], "%.2f", top),
                                  g_ascii_formatd (n[2], sizeof n[2], "%.2f", ABS (x1 - x0) / (double) PANGO_SCALE),
                                  g_ascii_formatd (n[3], sizeof n[3], "%.2f", height));
          cairo_tag_begin (cr, CAIRO_TAG_LINK, attributes->str);
          cairo_tag_end (cr, CAIRO_TAG_LINK);
        }
      p = end > p ? end : p + 4;
    }
}

void
upg_pdf_doc_draw_page (UpgPdfDoc *doc,
                       cairo_t   *cr,
                       guint      page)
{
  g_autoptr(PangoLayout) footer = NULL;
  g_autoptr(PangoLayout) number = NULL;
  g_autofree char *page_text = NULL;
  double content = doc->width - 2 * MARGIN;
  double footer_y = doc->height - MARGIN;
  int w, h;

  g_return_if_fail (doc != NULL && doc->context != NULL);

  cairo_save (cr);
  for (guint i = 0; i < doc->lines->len; i++)
    {
      Line *line = &g_array_index (doc->lines, Line, i);
      PangoLayoutLine *pline;
      double top;

      if (line->page != page)
        continue;
      top = MARGIN + line->y;
      if (line->picture != NULL)
        {
          cairo_save (cr);
          cairo_translate (cr, MARGIN, top);
          cairo_scale (cr, line->scale, line->scale);
          cairo_rectangle (cr, 0, 0, line->picture->width, line->picture->height);
          cairo_clip (cr);
          line->picture->draw (cr, line->picture->width, line->picture->height, line->picture->data);
          cairo_restore (cr);
          continue;
        }
      if (line->box != UPG_PDF_BOX_NONE)
        draw_box (cr, MARGIN, top + (line->height - BOX_SIZE) / 2, line->box);
      pline = pango_layout_get_line_readonly (line->layout, line->index);
      cairo_set_source_rgb (cr, line->gray, line->gray, line->gray + (line->gray > 0 ? 0.03 : 0));
      cairo_move_to (cr, MARGIN + line->x + line->origin_x, top + line->baseline);
      pango_cairo_show_layout_line (cr, pline);
      tag_links (cr, line->layout, pline, MARGIN + line->x + line->origin_x, top, line->height);
      if (line->rule_below)
        {
          cairo_set_source_rgb (cr, 0.75, 0.75, 0.77);
          cairo_set_line_width (cr, 0.6);
          cairo_move_to (cr, MARGIN, top + line->height + 2.5);
          cairo_line_to (cr, MARGIN + content, top + line->height + 2.5);
          cairo_stroke (cr);
        }
    }

  /* Footer: the document's name on the left, the page number on the right. */
  /* Translators: the footer of printed and PDF pages */
  page_text = g_strdup_printf (_("Page %u of %u"), page + 1, doc->n_pages);
  number = new_layout (doc, 8, FALSE, content);
  pango_layout_set_text (number, page_text, -1);
  pango_layout_set_alignment (number, PANGO_ALIGN_RIGHT);
  footer = new_layout (doc, 8, FALSE, content * 0.7);
  pango_layout_set_text (footer, doc->footer, -1);
  pango_layout_set_ellipsize (footer, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (footer, TRUE);
  pango_layout_get_size (footer, &w, &h);

  cairo_set_source_rgb (cr, 0.75, 0.75, 0.77);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN, footer_y - 4);
  cairo_line_to (cr, MARGIN + content, footer_y - 4);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.38, 0.38, 0.40);
  cairo_move_to (cr, MARGIN, footer_y);
  pango_cairo_show_layout (cr, footer);
  cairo_move_to (cr, MARGIN, footer_y);
  pango_cairo_show_layout (cr, number);
  cairo_restore (cr);
}

/* The title and the headings of @page as the PDF's outline (bookmarks): the
 * title at the top, the headings under it, each opening its page at its
 * line. */
static void
add_outline (UpgPdfDoc       *doc,
             cairo_surface_t *surface,
             guint            page,
             int             *title_id)
{
  for (guint i = 0; i < doc->lines->len; i++)
    {
      Line *line = &g_array_index (doc->lines, Line, i);
      g_autofree char *link = NULL;
      g_autofree char *name = NULL;
      char y[G_ASCII_DTOSTR_BUF_SIZE];
      int id;

      if (line->page != page || line->outline == 0)
        continue;
      /* One line of the text: a bookmark is a line in the reader's list. */
      name = g_utf8_make_valid (line->outline_text, -1);
      g_strdelimit (name, "\n\r\t", ' ');
      if (g_utf8_strlen (name, -1) > 200)
        {
          g_autofree char *head = g_utf8_substring (name, 0, 199);
          g_free (name);
          name = g_strconcat (head, "…", NULL);
        }
      link = g_strdup_printf ("page=%u pos=[0 %s]", page + 1,
                              g_ascii_formatd (y, sizeof y, "%.2f", MAX (0, MARGIN + line->y - 6)));
      id = cairo_pdf_surface_add_outline (surface, line->outline == 1 ? CAIRO_PDF_OUTLINE_ROOT : *title_id,
                                          name, link,
                                          line->outline == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
      if (line->outline == 1)
        *title_id = id;
    }
}

static cairo_status_t
write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
upg_pdf_doc_to_pdf (UpgPdfDoc   *doc,
                    const char  *paper,
                    const char  *title,
                    GError     **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  double width, height;
  guint n;
  int title_id = CAIRO_PDF_OUTLINE_ROOT;

  g_return_val_if_fail (doc != NULL, NULL);

  if (!upg_pdf_paper_size (paper, &width, &height))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Unknown paper size “%s”; choose a4 or letter"), paper);
      return NULL;
    }

  surface = cairo_pdf_surface_create_for_stream (write_cb, bytes, width, height);
  if (title != NULL)
    {
      g_autofree char *clean = pdf_text (title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, clean);
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Upgrade Planner");
  {
    /* Made now by the app's clock (cairo would read the system's), so an
     * export with UPG_NOW pinned is the same bytes every time. */
    g_autofree char *created = upg_clock_now_iso ();
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
  }
  cr = cairo_create (surface);
  n = upg_pdf_doc_paginate (doc, cr, width, height);
  for (guint page = 0; page < n; page++)
    {
      upg_pdf_doc_draw_page (doc, cr, page);
      add_outline (doc, surface, page, &title_id);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the PDF: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

void
upg_pdf_release_caches (void)
{
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
}
