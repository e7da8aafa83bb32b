/*
 * csv.h: RFC 4180 reading and writing.
 *
 * Reading: a UTF-8 BOM at the start is skipped; records end in CRLF, LF
 * or end of input; quoted fields may hold commas, doubled quotes and
 * newlines.  Input must be valid UTF-8.  Errors carry the 1-based line.
 *
 * Writing: csv_field() quotes when needed and protects against formula
 * injection by prefixing ' to a cell that starts with = + - @ TAB or CR,
 * and to a cell that starts with one or more ' followed by one of those;
 * csv_unprotect() strips one such ', so an export imports back unchanged
 * whatever the cells hold.  Depends on arena.h, buf.h, str.h, utf8.h.
 */
#ifndef ISMS_CORE_CSV_H
#define ISMS_CORE_CSV_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "str.h"

enum csv_error {
  CSV_OK = 0,
  CSV_ERR_QUOTE,   /* a quoted field is not closed before end of input */
  CSV_ERR_GARBAGE, /* text after a closing quote, or a quote inside an
                        unquoted field */
  CSV_ERR_UTF8,    /* the input is not valid UTF-8 */
  CSV_ERR_FIELDS,  /* more fields than the caller allows */
  CSV_ERR_NOMEM,   /* the arena cap was hit */
};

struct csv_reader {
  struct str in;      /* the whole input */
  size_t pos;         /* next byte to read */
  size_t line;        /* 1-based line where the next record starts */
  size_t record_line; /* 1-based line where the last record started */
  enum csv_error err; /* why the last csv_read() failed */
  size_t err_line;    /* 1-based line of that failure */
};

/* Start reading in; skips a UTF-8 BOM. */
void csv_reader_init(struct csv_reader *r, struct str in);

/*
 * Read the next record.  On ST_OK, *fields points to *n_fields views
 * allocated in a (unescaped copies; they live as long as a).  A blank line
 * is returned as one empty field.  ST_NOTFOUND at end of input;
 * ST_INVALID (r->err, r->err_line say why) on malformed input;
 * ST_TOOBIG when the arena cap is hit.  max_fields bounds the record.
 */
enum status csv_read(struct csv_reader *r, struct arena *a,
                     struct str **fields, size_t *n_fields, size_t max_fields);

/* Append one field, quoted when it holds , " CR or LF, with formula
 * protection as described above.  Separators are the caller's job. */
void csv_field(struct buf *b, struct str v);

/* v without the protective ' that csv_field() added, if any. */
struct str csv_unprotect(struct str v);

#endif
