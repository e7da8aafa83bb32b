/*
 * report.h: what the spreadsheet writers (xlsx.c, ods.c) share: the
 * cell styles and a private temporary directory for the files they
 * build before the bytes go to the caller.  Depends on core/buf.h.
 */
#ifndef ISMS_REPORTS_REPORT_H
#define ISMS_REPORTS_REPORT_H

#include "core/buf.h"

#include <stddef.h>

/* How a cell looks. */
enum cell_style {
  CELL_PLAIN = 0,  /* body text */
  CELL_HEADER = 1, /* a column header: bold */
  CELL_TITLE = 2,  /* the sheet's title: bold and larger */
};

/* The font of every sheet: present in Debian's fonts-noto-cjk and known
 * to LibreOffice and Excel users in Taiwan. */
#define REPORT_FONT "Noto Sans CJK TC"

/* Room for a temporary directory's path, with its NUL. */
#define REPORT_DIR_MAX 64

/* Create a new private directory /tmp/isms-report-XXXXXX (mode 0700)
 * and write its path to dir.  ST_IO on failure. */
enum status report_tmpdir(char dir[REPORT_DIR_MAX]);

/* Remove the files in dir and dir itself; dir becomes "".  Does nothing
 * when dir is "". */
void report_rmdir(char dir[REPORT_DIR_MAX]);

/* Append the whole file at path to out (out's cap applies).  ST_IO when
 * it cannot be read. */
enum status report_slurp(const char *path, struct buf *out);

#endif
