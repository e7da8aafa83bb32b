/*
 * xlsx.c: one-sheet XLSX workbooks through libxlsxwriter, in
 * constant_memory mode with the temporary files in a private directory.
 */
#include "xlsx.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

enum status xlsx_open(struct xlsx *x, const char *sheet, const double *widths,
                      size_t n_cols)
{
  lxw_workbook_options opt;
  size_t i;
  memset(x, 0, sizeof(*x));
  if(report_tmpdir(x->dir)) {
    return x->err = ST_IO;
  }
  snprintf(x->path, sizeof(x->path), "%s/book.xlsx", x->dir);
  memset(&opt, 0, sizeof(opt));
  opt.constant_memory = LXW_TRUE;
  opt.tmpdir = x->dir;
  x->wb = workbook_new_opt(x->path, &opt);
  if(!x->wb) {
    report_rmdir(x->dir);
    return x->err = ST_IO;
  }
  x->ws = workbook_add_worksheet(x->wb, sheet);
  for(i = 0; i < 3; i++) {
    x->fmt[i] = workbook_add_format(x->wb);
    if(x->fmt[i]) {
      format_set_font_name(x->fmt[i], REPORT_FONT);
      format_set_font_size(x->fmt[i], i == CELL_TITLE ? 14 : 11);
      if(i != CELL_PLAIN) {
        format_set_bold(x->fmt[i]);
      }
      if(i == CELL_HEADER) {
        format_set_text_wrap(x->fmt[i]);
        format_set_bottom(x->fmt[i], LXW_BORDER_THIN);
      }
    }
  }
  if(!x->ws || !x->fmt[0] || !x->fmt[1] || !x->fmt[2]) {
    xlsx_abort(x);
    return x->err = ST_NOMEM;
  }
  for(i = 0; i < n_cols; i++) {
    worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, widths[i],
                         x->fmt[CELL_PLAIN]);
  }
  return ST_OK;
}

void xlsx_row(struct xlsx *x)
{
  if(x->has_row) {
    x->row++;
  }
  x->has_row = 1;
  x->col = 0;
}

void xlsx_text(struct xlsx *x, const char *s, enum cell_style st)
{
  lxw_error e;
  if(!x->wb || x->err) {
    return;
  }
  if(s && s[0]) {
    /* Always a string cell: libxlsxwriter never turns it into a
     * formula, whatever it starts with. */
    e = worksheet_write_string(x->ws, x->row, x->col, s, x->fmt[st]);
    if(e != LXW_NO_ERROR) {
      x->err = e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ? ST_TOOBIG : ST_IO;
    }
  }
  else if(st != CELL_PLAIN) {
    worksheet_write_blank(x->ws, x->row, x->col, x->fmt[st]);
  }
  x->col++;
}

void xlsx_number(struct xlsx *x, double v)
{
  if(!x->wb || x->err) {
    return;
  }
  if(worksheet_write_number(x->ws, x->row, x->col, v, x->fmt[CELL_PLAIN]) !=
     LXW_NO_ERROR) {
    x->err = ST_IO;
  }
  x->col++;
}

void xlsx_freeze_rows(struct xlsx *x, uint32_t n)
{
  if(x->wb) {
    worksheet_freeze_panes(x->ws, n, 0);
  }
}

enum status xlsx_finish(struct xlsx *x, struct buf *out)
{
  enum status st = x->err;
  if(!x->wb) {
    report_rmdir(x->dir);
    return st ? st : ST_INTERNAL;
  }
  if(workbook_close(x->wb) != LXW_NO_ERROR && !st) {
    st = ST_IO;
  }
  x->wb = NULL;
  if(!st) {
    st = report_slurp(x->path, out);
  }
  report_rmdir(x->dir);
  return st;
}

void xlsx_abort(struct xlsx *x)
{
  if(x->wb) {
    /* Closing writes the file, which is then removed with the rest. */
    workbook_close(x->wb);
    x->wb = NULL;
  }
  report_rmdir(x->dir);
}
