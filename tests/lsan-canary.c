/* lsan-canary.c — leaks a PangoLayout from core on purpose.
 *
 * LeakSanitizer drops a leak when any frame of its allocation matches a
 * suppression, so suppressing whole libraries (pango, cairo) would hide a
 * layout our own PDF code forgets. This program lays out a PDF document in
 * core (upg_pdf_doc_new_layout() calls pango_layout_new()) and never frees it;
 * tests/lsan-canary.sh expects LeakSanitizer to report the layout. Built
 * and run only with -Db_sanitize=address. */
#include "config.h"

#include "core/upg-pdf.h"

/* Out of line, so no copy of the pointer stays in main's frame. */
static void __attribute__((noinline))
leak_a_layout (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  cairo_t *cr = cairo_create (surface);
  UpgPdfDoc *doc = upg_pdf_doc_new ("canary");
  PangoLayout *layout;

  /* Paginating gives the document its pango context. */
  upg_pdf_doc_add_text (doc, "A page", FALSE);
  upg_pdf_doc_paginate (doc, cr, 595, 842);
  layout = upg_pdf_doc_new_layout (doc, 10, FALSE, 400);

  pango_layout_set_text (layout, "This layout is leaked on purpose.", -1);
  upg_pdf_doc_free (doc);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  /* layout is never unreferenced. */
}

/* Stale copies of the pointer in the stack below us would keep it
 * "reachable" when LeakSanitizer scans the stack at exit. */
static void __attribute__((noinline))
scrub_stack (void)
{
  volatile char area[64 * 1024];

  for (gsize i = 0; i < sizeof area; i++)
    area[i] = 0;
}

int
main (void)
{
  /* pango's caches stay (the leaked layout still holds its fonts), so
   * LeakSanitizer reports them too; the script looks for the layout. */
  leak_a_layout ();
  scrub_stack ();
  return 0;
}
