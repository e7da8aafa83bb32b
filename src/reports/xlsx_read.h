/*
 * xlsx_read.h: read the first worksheet of an XLSX file (Office Open
 * XML: a zip of XML parts) into rows of UTF-8 text cells, for imports.
 * The zip is opened from memory with libzip; every part is parsed with
 * expat while it is decompressed, so a part is never held whole.
 * Depends on core (arena, str, status, i18n) and libzip, expat.
 *
 * What a cell becomes:
 * - shared and inline strings: their text (rich-text runs joined,
 *   phonetic guides dropped);
 * - numbers: integers exactly as written ("20240101"); other numbers in
 *   the shortest form that round-trips to 15 digits ("0.1", "3.5");
 * - a number in a cell whose style is a date format (built-in 14-17, 22,
 *   the zh-TW built-in date formats 27-31, 36, 50, 51, 54, 57, 58, or a
 *   custom format with y, d or the ROC year e): the date, YYYY-MM-DD
 *   (the 1900 and 1904 date systems; a time of day is dropped).  The
 *   time-only formats (18-21 and the like) stay numbers;
 * - booleans: TRUE or FALSE; error values (#N/A) as written;
 * - empty and missing cells: an empty view.
 *
 * Limits: XLSX_MAX_ROWS rows that hold a value, a value in at most
 * XLSX_MAX_COLS columns (A..GR), XLSX_MAX_PART bytes of any part once
 * decompressed (a zip bomb is refused, not expanded), and the arena's
 * cap for everything kept.  A DOCTYPE in any part is refused (no entity
 * expansion).
 */
#ifndef ISMS_REPORTS_XLSX_READ_H
#define ISMS_REPORTS_XLSX_READ_H

#include <stddef.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/status.h"
#include "core/str.h"

#define XLSX_MAX_ROWS 100000
#define XLSX_MAX_COLS 200
#define XLSX_MAX_PART (64u << 20)

/* One row of the sheet that holds at least one value. */
struct xlsx_row {
  size_t line;       /* the sheet's 1-based row number */
  struct str *cells; /* n_cells cells, column A first; empty for blank */
  size_t n_cells;    /* up to the last column with a value */
};

/* The first worksheet. */
struct xlsx_sheet {
  struct xlsx_row *rows; /* rows with a value, in sheet order */
  size_t n_rows;         /* number of rows */
  size_t n_cols;         /* the widest row's n_cells */
};

/* 1 if data starts with the zip magic PK\3\4 (how an upload is told to
 * be XLSX rather than CSV: by content, never by its name). */
int xlsx_is_zip(struct str data);

/*
 * Read the first worksheet of data into out; everything lives in a.
 * ST_OK, or an error with *why set to a message for people:
 * ST_INVALID (not a zip, missing parts, malformed XML, a DOCTYPE, a bad
 * shared-string index) or ST_TOOBIG (a part over XLSX_MAX_PART, too many
 * rows or columns, or the arena's cap).
 */
enum status xlsx_read(struct str data, struct arena *a, struct xlsx_sheet *out,
                      enum msg *why);

#endif
