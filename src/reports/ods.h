/*
 * ods.h: a one-sheet OpenDocument spreadsheet (.ods) writer: our own
 * XML packaged by odf.c.  Rows stream to content.xml in a private
 * temporary directory, so memory stays flat; the archive holds
 * "mimetype" first and uncompressed (ODF 1.2 part 3, 3.3),
 * META-INF/manifest.xml, styles.xml (the zh-TW language and the CJK
 * font as defaults) and content.xml.  Every cell is escaped; text cells
 * are strings, never formulas.  Depends on report.h, odf.h and
 * core/str.h.
 */
#ifndef ISMS_REPORTS_ODS_H
#define ISMS_REPORTS_ODS_H

#include "core/str.h"
#include "report.h"

#include <stdint.h>
#include <stdio.h>

/* A spreadsheet being written.  err is sticky. */
struct ods {
  char dir[REPORT_DIR_MAX]; /* private temporary directory */
  FILE *content;            /* content.xml, open while writing */
  struct buf cell;          /* scratch: one escaped cell */
  int has_row;              /* a table:table-row is open */
  enum status err;          /* first failure */
};

/*
 * Start a spreadsheet with one table named sheet and n_cols columns of
 * widths (in characters).  ST_IO when the temporary files cannot be
 * made.  Call ods_finish() or ods_abort() afterwards in every case.
 */
enum status ods_open(struct ods *o, const char *sheet, const double *widths,
                     size_t n_cols);

/* Start the next row. */
void ods_row(struct ods *o);

/* Append a string cell in style st; NULL or "" is an empty cell. */
void ods_text(struct ods *o, const char *s, enum cell_style st);

/* Append a number cell. */
void ods_number(struct ods *o, int64_t v);

/* Finish the archive, append its bytes to out and remove the temporary
 * files.  The first failure's status. */
enum status ods_finish(struct ods *o, struct buf *out);

/* Drop the spreadsheet and its temporary files. */
void ods_abort(struct ods *o);

/*
 * Append s as the paragraphs of a cell: one <text:p> per line (LF, CR
 * LF or CR ends a line), the rest as odf_xml_text() writes it.
 */
void ods_xml_paragraphs(struct buf *b, struct str s);

#endif
