/* upg-pdf.h — a small paginated document laid out with Pango on cairo.
 *
 * The same layout serves the PDF exports (a cairo PDF surface) and printing
 * (GtkPrintOperation gives a cairo context per page): build a document of
 * blocks, paginate it for a page size, then draw its pages on any cairo
 * context whose unit is the point.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <pango/pango.h>

G_BEGIN_DECLS

typedef struct _UpgPdfDoc UpgPdfDoc;

typedef enum {
  UPG_PDF_BOX_NONE,
  UPG_PDF_BOX_EMPTY,
  UPG_PDF_BOX_CHECKED,
  UPG_PDF_BOX_SKIPPED,     /* an empty box with a dash */
} UpgPdfBox;

/* @footer is shown at the bottom of every page with "Page N of M". */
UpgPdfDoc *upg_pdf_doc_new          (const char *footer);
void       upg_pdf_doc_free         (UpgPdfDoc  *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpgPdfDoc, upg_pdf_doc_free)

/* Blocks, top to bottom. Every text is plain text (never markup). */
void       upg_pdf_doc_add_title    (UpgPdfDoc  *doc,
                                     const char *text);
/* A section heading; @aside (may be NULL) is shown after it, lighter. */
void       upg_pdf_doc_add_heading  (UpgPdfDoc  *doc,
                                     const char *text,
                                     const char *aside);
/* A "Label   value" row of a header table. */
void       upg_pdf_doc_add_field    (UpgPdfDoc  *doc,
                                     const char *label,
                                     const char *value);
void       upg_pdf_doc_add_text     (UpgPdfDoc  *doc,
                                     const char *text,
                                     gboolean    dim);
/* A checklist item: a box, a bold title, a line of small facts (@meta) and
 * a body (@body); @meta and @body may be NULL or "". */
void       upg_pdf_doc_add_item     (UpgPdfDoc  *doc,
                                     UpgPdfBox   box,
                                     const char *title,
                                     const char *meta,
                                     const char *body);

/* A picture (the timeline, the heat map) drawn as vectors by @draw into
 * 0,0 @width × @height points; scaled down to the page's width when wider.
 * @destroy (may be NULL) frees @data with the document. */
typedef void (*UpgPdfDrawFunc) (cairo_t *cr, double width, double height, gpointer data);
void       upg_pdf_doc_add_picture  (UpgPdfDoc      *doc,
                                     double          width,
                                     double          height,
                                     UpgPdfDrawFunc  draw,
                                     gpointer        data,
                                     GDestroyNotify  destroy);

/* Paper names ("a4", "letter") to points; FALSE for an unknown name. */
gboolean   upg_pdf_paper_size       (const char *paper,
                                     double     *width,
                                     double     *height);

/* Lays the document out for pages of @width × @height points, measuring with
 * @cr's font setup; returns the number of pages. */
guint      upg_pdf_doc_paginate     (UpgPdfDoc  *doc,
                                     cairo_t    *cr,
                                     double      width,
                                     double      height);
guint      upg_pdf_doc_get_n_pages  (UpgPdfDoc  *doc);
/* Draws page @page (0-based) of the last pagination onto @cr. */
void       upg_pdf_doc_draw_page    (UpgPdfDoc  *doc,
                                     cairo_t    *cr,
                                     guint       page);

/* The whole document as a PDF file on @paper. */
GBytes    *upg_pdf_doc_to_pdf       (UpgPdfDoc  *doc,
                                     const char *paper,
                                     const char *title,
                                     GError    **error);

/* The most characters of one user text a PDF prints, and of one block
 * (several texts together); the rest is named by its count, not printed. */
#define UPG_PDF_TEXT_MAX 2000
#define UPG_PDF_BLOCK_MAX 8000
/* @text as a PDF prints one text: cut after UPG_PDF_TEXT_MAX characters
 * with a line that says how many more there are. */
char      *upg_pdf_clip             (const char *text);

/* @text with control characters other than newline and tab replaced by
 * U+FFFD, and invalid UTF-8 repaired, so any output format can hold it. */
char      *upg_text_sanitize        (const char *text);

/* A layout in the document's context and font: @size in points, @width
 * in points (the wrap width). Every text of the document is laid out with
 * one of these; tests/lsan-canary.c leaks one on purpose. */
PangoLayout *upg_pdf_doc_new_layout (UpgPdfDoc  *doc,
                                     double      size,
                                     gboolean    bold,
                                     double      width);

/* Gives back the caches pango, fontconfig and cairo keep until exit (the
 * default font map, fontconfig's configuration, cairo's font caches), so a
 * leak checker sees only real leaks. Only at exit, after the last layout. */
void       upg_pdf_release_caches   (void);

G_END_DECLS
