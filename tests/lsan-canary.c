/* lsan-canary.c — leaks a PangoLayout from core on purpose.
 *
 * LeakSanitizer drops a leak when any frame of its allocation matches a
 * suppression, so suppressing whole libraries (pango, cairo) would hide a
 * layout our own PDF code forgets. This program makes a PDF document in
 * core, lays out a line (core's new_layout() calls pango_layout_new()) and
 * never frees it; tests/lsan-canary.sh expects LeakSanitizer to report that
 * layout. Built and run only with -Db_sanitize=address. */
#include "config.h"

#include "core/upg-pdf.h"

int
main (void)
{
  UpgPdfDoc *doc = upg_pdf_doc_new ("canary");

  upg_pdf_doc_add_text (doc, "This layout is leaked on purpose.", FALSE);
  doc = NULL;   /* never freed */
  return 0;
}
