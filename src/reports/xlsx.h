/*
 * xlsx.h: a thin XLSX writer over libxlsxwriter for one-sheet reports.
 * The workbook is written in constant_memory mode (each row goes to a
 * temporary file as soon as the next begins), so rows must come in
 * order and memory stays flat however many there are.  Every text cell
 * is a string cell: a value such as "=cmd|..." is never a formula.
 * Depends on report.h and libxlsxwriter.
 */
#ifndef ISMS_REPORTS_XLSX_H
#define ISMS_REPORTS_XLSX_H

#include "report.h"

#include <stdint.h>

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

/* A workbook being written.  Invariant: wb is NULL once finished or
 * aborted; err is sticky. */
struct xlsx {
  char dir[REPORT_DIR_MAX];       /* private temporary directory */
  char path[REPORT_DIR_MAX + 16]; /* the workbook file in dir */
  struct lxw_workbook *wb;        /* the workbook, or NULL */
  struct lxw_worksheet *ws;       /* its only sheet */
  struct lxw_format *fmt[3];      /* by enum cell_style */
  uint32_t row;                   /* current row, 0-based */
  uint16_t col;                   /* next column in the row */
  int has_row;                    /* a row has been started */
  enum status err;                /* first failure */
};

/*
 * Start a workbook with one sheet named sheet and n_cols columns whose
 * widths (in characters) are widths.  ST_IO when the temporary files
 * cannot be made.  Call xlsx_finish() or xlsx_abort() afterwards in
 * every case.
 */
enum status xlsx_open(struct xlsx *x, const char *sheet, const double *widths,
                      size_t n_cols);

/* Start the next row (the first call starts row 1). */
void xlsx_row(struct xlsx *x);

/* Append a text cell in style st to the current row; NULL or "" leaves
 * the cell empty. */
void xlsx_text(struct xlsx *x, const char *s, enum cell_style st);

/* Append a number cell to the current row. */
void xlsx_number(struct xlsx *x, double v);

/* Freeze the first n rows (the title and the header stay in view). */
void xlsx_freeze_rows(struct xlsx *x, uint32_t n);

/* Close the workbook, append its bytes to out and remove the temporary
 * files.  The first failure's status. */
enum status xlsx_finish(struct xlsx *x, struct buf *out);

/* Drop the workbook and its temporary files. */
void xlsx_abort(struct xlsx *x);

#endif
