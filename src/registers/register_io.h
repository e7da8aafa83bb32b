/*
 * register_io.h: CSV import (all or nothing, with a row-by-row error
 * report) and CSV export of a register; shared by the pages, the API and
 * the CLI.  Depends on register.h, register_store.h, core/csv.h.
 */
#ifndef ISMS_REGISTERS_REGISTER_IO_H
#define ISMS_REGISTERS_REGISTER_IO_H

#include "register.h"
#include "register_mask.h"
#include "register_store.h"
#include "reports/xlsx_read.h"

/* Largest import accepted, in bytes and rows. */
#define IMPORT_MAX_BYTES (64u << 20)
#define IMPORT_MAX_ROWS  1000000

/* The outcome of an import. */
struct import_report {
  size_t rows;                 /* data rows read */
  size_t created;              /* rows that became new records */
  size_t updated;              /* rows that changed a record (rows with an id
                             whose values were already stored are not
                             counted) */
  struct reg_errors errs;      /* row-level errors; row = CSV line */
  int masks;                   /* the register has FF_MASK fields: the cells
                             of their columns were masked with the
                             agency's default operator, no preview */
  enum mask_op mask_op;        /* that operator */
  size_t masked;               /* findings replaced in all rows */
  size_t masked_count[MASK_N]; /* of them, per entity */
};

/*
 * Import csv into reg: the first record names the columns (field names,
 * or their zh-TW or English labels, and optionally "id").  The cells of
 * FF_MASK fields are masked first (the agency's settings, no preview;
 * rep says how much).  Every row is validated first; when any has an error nothing is written and
 * ST_INVALID is returned with the errors in rep.  Otherwise all rows are
 * written in one transaction.  Error lists live in a.
 */
enum status reg_import_csv(struct db *db, const struct reg *reg,
                           struct str csv, const char *actor, struct arena *a,
                           struct import_report *rep);

/*
 * Append the records matching q as CSV (UTF-8 with BOM, CRLF, header of
 * "id" and the field labels in lang; enum values as labels) to out.
 */
enum status reg_export_csv(struct db *db, const struct reg *reg,
                           const struct list_query *q, enum lang lang,
                           struct buf *out);

/* ---- the two-step import: a table, then a column mapping ---- */

/* What a column of a table is imported as, besides a field index. */
#define IMPORT_COL_ID     (-1) /* the record id: the row updates it */
#define IMPORT_COL_IGNORE (-2) /* not imported */

/* An uploaded file read whole: rows[0] is the header row.  CSV records
 * and spreadsheet rows alike (struct xlsx_row: line is the CSV line or
 * the sheet's row number, for errors); blank rows are left out. */
struct import_table {
  struct xlsx_row *rows; /* n_rows rows */
  size_t n_rows;         /* header included */
  size_t n_cols;         /* the widest row */
  int is_xlsx;           /* 1 for a spreadsheet, 0 for CSV */
  size_t err_line;       /* on a CSV error: its line */
};

/*
 * Read data as XLSX when it starts with the zip magic, else as CSV
 * (UTF-8, RFC 4180).  Everything lives in a.  ST_INVALID or ST_TOOBIG
 * with *why for people (and t->err_line for CSV) when it cannot be read
 * or holds no row.
 */
enum status reg_table_parse(struct str data, struct arena *a,
                            struct import_table *t, enum msg *why);

/* The proposed mapping of a header cell: the field whose code or zh-TW
 * or English label it is, IMPORT_COL_ID, or IMPORT_COL_IGNORE. */
int reg_guess_column(const struct reg *reg, struct str header);

/*
 * Import the data rows of t (all but rows[0]) into reg, column i as
 * cols[i] (t->n_cols entries) says.  All or nothing, as
 * reg_import_csv(); errors carry the file's line or row numbers.
 */
enum status reg_import_table(struct db *db, const struct reg *reg,
                             const struct import_table *t, const int *cols,
                             const char *actor, struct arena *a,
                             struct import_report *rep);

#endif
