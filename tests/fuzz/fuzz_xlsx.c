/*
 * fuzz_xlsx.c: libFuzzer target for the XLSX reader (reports/
 * xlsx_read.c): libzip opening hostile archives, expat parsing hostile
 * parts, and our handling of both.  Depends on reports/xlsx_read, core.
 *
 * For every input it reads the first sheet with a small arena cap and
 * abort()s when one of these does not hold:
 * - the result is ST_OK, ST_INVALID or ST_TOOBIG; an input without the
 *   zip magic is ST_INVALID with M_XLSX_NOT_ZIP;
 * - on ST_OK: at most XLSX_MAX_ROWS rows, every row has 1..XLSX_MAX_COLS
 *   cells, n_cols is the widest row, row numbers are positive, the last
 *   cell of every row is not empty and every cell is valid UTF-8;
 * - on failure the sheet is left empty.
 *
 * Build: the preset "fuzz" (tests/fuzz/CMakeLists.txt).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "reports/xlsx_read.h"

#define ARENA_MAX (8u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct str in = { (const char *)data, size };
  struct xlsx_sheet sh;
  struct arena a;
  enum msg why = M_NONE;
  enum status st;
  size_t i, j, widest = 0;

  arena_init(&a, ARENA_MAX);
  st = xlsx_read(in, &a, &sh, &why);
  if(!xlsx_is_zip(in) && (st != ST_INVALID || why != M_XLSX_NOT_ZIP)) {
    abort();
  }
  if(st == ST_OK) {
    if(sh.n_rows > XLSX_MAX_ROWS) {
      abort();
    }
    for(i = 0; i < sh.n_rows; i++) {
      const struct xlsx_row *r = &sh.rows[i];
      if(r->line == 0 || r->n_cells == 0 || r->n_cells > XLSX_MAX_COLS ||
         r->cells[r->n_cells - 1].len == 0) {
        abort();
      }
      for(j = 0; j < r->n_cells; j++) {
        if(!utf8_valid(r->cells[j], NULL)) {
          abort();
        }
      }
      if(r->n_cells > widest) {
        widest = r->n_cells;
      }
    }
    if(widest != sh.n_cols) {
      abort();
    }
  }
  else if(st != ST_INVALID && st != ST_TOOBIG) {
    abort();
  }
  else if(sh.n_rows || sh.rows || sh.n_cols || why == M_NONE) {
    abort();
  }
  arena_reset(&a);
  return 0;
}
