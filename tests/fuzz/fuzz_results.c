/*
 * fuzz_results.c: libFuzzer target for the reader of a social-engineering
 * drill's results file (features/kpi/kpi_results.c) and the rates over
 * unique recipients.  Depends on features/kpi, registers (the error
 * list), core.
 *
 * For every input it reads the file with a small arena cap (sometimes
 * failing an early allocation) and abort()s when one of these does not
 * hold:
 * - the result is ST_OK, ST_INVALID or ST_TOOBIG;
 * - ST_INVALID has at least one error, and ST_OK none; on anything but
 *   ST_OK no row is handed out;
 * - on ST_OK: 1..KPI_RESULTS_MAX_ROWS rows with increasing lines after
 *   the header's, each recipient 1..KPI_RECIPIENT_MAX bytes of valid
 *   UTF-8 without control characters, upper-case ASCII letters or
 *   surrounding spaces, opened and clicked 0 or 1; and the rates hold
 *   clicked <= opened <= recipients <= events = rows.
 *
 * Build: the preset "fuzz" (tests/fuzz/CMakeLists.txt).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "features/kpi/kpi.h"

#define ARENA_MAX (4u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless row r is as the reader promises. */
static void check_row(const struct kpi_phish_row *r, size_t after_line)
{
  struct str s = str_c(r->recipient);
  size_t i;
  if(r->line <= after_line || !s.len || s.len > KPI_RECIPIENT_MAX ||
     !utf8_valid(s, NULL) || utf8_has_control(s, 0) || s.p[0] == ' ' ||
     s.p[s.len - 1] == ' ' || (r->opened != 0 && r->opened != 1) ||
     (r->clicked != 0 && r->clicked != 1)) {
    abort();
  }
  for(i = 0; i < s.len; i++) {
    if(s.p[i] >= 'A' && s.p[i] <= 'Z') {
      abort();
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct str in = { (const char *)data, size };
  struct kpi_phish_row *rows = (struct kpi_phish_row *)(uintptr_t)1;
  struct kpi_phish p;
  struct reg_errors errs;
  struct arena a, scratch;
  size_t n = 1, i;
  enum status st;

  arena_init(&a, ARENA_MAX);
  arena_init(&scratch, 1u << 20);
  reg_errors_init(&errs, &scratch);
  if(size % 7 == 3) {
    arena_fail_after(&a, (long)(size % 11) + 1);
  }
  st = kpi_results_parse(in, &a, &rows, &n, &errs);
  if(st != ST_OK && st != ST_INVALID && st != ST_TOOBIG) {
    abort();
  }
  if(st != ST_OK && (rows || n)) {
    abort();
  }
  if(st == ST_INVALID && !reg_errors_any(&errs)) {
    abort();
  }
  if(st == ST_OK) {
    if(errs.n || !n || n > KPI_RESULTS_MAX_ROWS) {
      abort();
    }
    for(i = 0; i < n; i++) {
      check_row(&rows[i], i ? rows[i - 1].line : 1);
    }
    if(kpi_phish_rates(rows, n, &a, &p) == ST_OK &&
       (p.clicked > p.opened || p.opened > p.recipients ||
        p.recipients > p.events || p.events != n || !p.recipients)) {
      abort();
    }
  }
  arena_reset(&a);
  arena_reset(&scratch);
  return 0;
}
