/*
 * pdf.h: a document (doc.h) as PDF, laid out by pango and drawn by
 * cairo's PDF surface: A4 portrait, 2 cm margins, Noto Sans CJK TC
 * (fonts-noto-cjk, embedded as a subset with its ToUnicode map, so the
 * text can be searched and copied) at 11 pt, headings bold and larger,
 * lines broken by pango (CJK rules included), tables with borders whose
 * rows break across pages and whose header row repeats, a signature
 * block kept on one page, and "第 N 頁，共 M 頁" with the document's
 * footer text at the foot of every page.  The document's title and
 * "isms" as creator go into the PDF's metadata; headings into its
 * outline.  Depends on doc.h, core/buf.h, cairo and pango.
 */
#ifndef ISMS_REPORTS_PDF_H
#define ISMS_REPORTS_PDF_H

#include "core/buf.h"
#include "doc.h"

/*
 * Append d as a PDF file to out.  Lays the document out twice (the
 * first pass counts the pages).  Returns the document's own status if
 * it failed while being built; ST_TOOBIG past DOC_PAGES_MAX pages or
 * when out's cap is hit; ST_IO when the font REPORT_FONT is not
 * installed (logged) or cairo fails.  On failure out may hold part of a
 * file: discard it.  Allocates only temporary memory, freed before
 * return (but see the cairo 1.16 leak noted in pdf.c).  Safe to call
 * from several threads at once: each call has its own pango font map.
 */
enum status pdf_render(const struct doc *d, struct buf *out);

#endif
