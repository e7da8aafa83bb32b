/*
 * register_io.h: CSV import (all or nothing, with a row-by-row error
 * report) and CSV export of a register; shared by the pages, the API and
 * the CLI.  Depends on register.h, register_store.h, core/csv.h.
 */
#ifndef ISMS_REGISTERS_REGISTER_IO_H
#define ISMS_REGISTERS_REGISTER_IO_H

#include "register.h"
#include "register_store.h"

/* Largest import accepted, in bytes and rows. */
#define IMPORT_MAX_BYTES (64u << 20)
#define IMPORT_MAX_ROWS  1000000

/* The outcome of an import. */
struct import_report {
  size_t rows;            /* data rows read */
  size_t created;         /* rows that became new records */
  size_t updated;         /* rows that changed a record (rows with an id
                             whose values were already stored are not
                             counted) */
  struct reg_errors errs; /* row-level errors; row = CSV line */
};

/*
 * Import csv into reg: the first record names the columns (field names,
 * or their zh-TW or English labels, and optionally "id").  Every row is
 * validated first; when any has an error nothing is written and
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

#endif
