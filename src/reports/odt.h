/*
 * odt.h: a document (doc.h) as OpenDocument text (.odt, ODF 1.2): our
 * own XML packaged by odf.c.  styles.xml sets an A4 portrait page with
 * 2 cm margins, the Noto Sans CJK TC font and the zh-TW language for
 * Western and Asian text, the paragraph styles (title, headings 1-3,
 * body, table text), a numbered list style and the footer (the
 * document's footer text and "第 N 頁，共 M 頁" as page-number and
 * page-count fields); content.xml holds the blocks, tables with
 * bordered cells and their header row in table:table-header-rows, so
 * that it repeats on every page.  Every text is escaped.  Depends on
 * doc.h, odf.h and core/buf.h.
 */
#ifndef ISMS_REPORTS_ODT_H
#define ISMS_REPORTS_ODT_H

#include "core/buf.h"
#include "doc.h"

/* The media type of an .odt file. */
#define ODT_MIME "application/vnd.oasis.opendocument.text"

/*
 * Append d as an .odt file to out.  The document's own status if it
 * failed while being built; ST_TOOBIG when out's cap (or the internal
 * cap on content.xml, far above what the doc.h limits allow) is hit;
 * ST_IO when libzip fails.  On failure out may hold part of a file:
 * discard it.  Allocates only temporary memory, freed before return.
 */
enum status odt_render(const struct doc *d, struct buf *out);

#endif
