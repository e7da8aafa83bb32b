/*
 * fuzz_csv.c: libFuzzer target for the CSV reader (core/csv.c) with
 * property checks on the writer.  Depends on core/{csv,arena,buf,str,
 * utf8}.
 *
 * For every input it reads all records with a small arena cap, resetting
 * the arena per record, and abort()s when one of these does not hold:
 * - every record has 1..MAX_FIELDS fields of valid UTF-8;
 * - record_line is the line the reader was at, and err_line on failure
 *   is not before it;
 * - reading to the end means the input was valid UTF-8, and r.line is
 *   1 + the number of LF bytes; CSV_ERR_UTF8 means it was not valid;
 * - after ST_TOOBIG the reader has not moved, so the same record is
 *   read again (with the arena reset);
 * - the record written back with csv_field() (comma separated, CRLF
 *   ended) reads back as one record whose fields, after csv_unprotect(),
 *   are the original bytes;
 * - no field written by csv_field() starts (inside its quotes, if any)
 *   with a character that makes a spreadsheet evaluate it.
 *
 * Build: clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc
 *   tests/fuzz/fuzz_csv.c src/core/{csv,arena,buf,str,utf8,mem,status}.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/utf8.h"

#define MAX_FIELDS 64
#define ARENA_MAX  2048

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Number of LF bytes in s. */
static size_t count_lf(struct str s)
{
  size_t i, n = 0;

  for(i = 0; i < s.len; i++) {
    if(s.p[i] == '\n') {
      n++;
    }
  }
  return n;
}

/* Abort unless csv_field(v) starts with something harmless. */
static void check_protected(struct buf *b, struct str v)
{
  const char *first;

  buf_clear(b);
  csv_field(b, v);
  if(b->err || !b->len) {
    return;
  }
  first = b->data[0] == '"' ? b->data + 1 : b->data;
  if(*first && strchr("=+-@\t\r", *first)) {
    abort();
  }
}

/* Abort unless fields[0..n) survive csv_field(), csv_read() and
 * csv_unprotect(). */
static void check_round_trip(const struct str *fields, size_t n, struct buf *b)
{
  struct csv_reader r;
  struct arena a;
  struct str *back;
  size_t n_back, i;

  buf_clear(b);
  for(i = 0; i < n; i++) {
    if(i) {
      buf_putc(b, ',');
    }
    csv_field(b, fields[i]);
  }
  buf_puts(b, "\r\n");
  if(b->err) {
    return; /* over the buffer cap: nothing to check */
  }
  arena_init(&a, 1 << 20);
  csv_reader_init(&r, (struct str){ b->data, b->len });
  if(csv_read(&r, &a, &back, &n_back, n) != ST_OK || n_back != n) {
    abort();
  }
  for(i = 0; i < n; i++) {
    if(!str_eq(csv_unprotect(back[i]), fields[i])) {
      abort();
    }
  }
  if(csv_read(&r, &a, &back, &n_back, n) != ST_NOTFOUND) {
    abort();
  }
  arena_reset(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct str in = { (const char *)data, size };
  struct str body = in; /* the input without its BOM */
  struct csv_reader r;
  struct arena a;
  struct buf b;
  struct str *fields;
  size_t n_fields, i;
  enum status st;
  int is_valid, retried = 0;

  if(size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    body.p += 3;
    body.len -= 3;
  }
  is_valid = utf8_valid(body, NULL);
  arena_init(&a, ARENA_MAX);
  buf_init(&b, 8 * size + 64);
  /* sometimes fail an early allocation to exercise the retry path */
  arena_fail_after(&a, (long)(size % 5));
  csv_reader_init(&r, in);
  for(;;) {
    size_t line = r.line, pos = r.pos;
    st = csv_read(&r, &a, &fields, &n_fields, MAX_FIELDS);
    if(st == ST_TOOBIG) {
      if(r.err != CSV_ERR_NOMEM || r.err_line != line || r.pos != pos) {
        abort();
      }
      if(retried) {
        break; /* the record is really over the cap */
      }
      retried = 1;
      arena_reset(&a);
      continue;
    }
    if(st) {
      if(r.pos != pos || r.line != line) {
        abort(); /* a failed read does not move the reader */
      }
      break;
    }
    retried = 0;
    if(r.record_line != line || n_fields < 1 || n_fields > MAX_FIELDS ||
       r.line < line || r.pos <= pos) {
      abort();
    }
    for(i = 0; i < n_fields; i++) {
      if(!utf8_valid(fields[i], NULL)) {
        abort();
      }
      check_protected(&b, fields[i]);
    }
    check_round_trip(fields, n_fields, &b);
    arena_reset(&a);
  }
  if(st == ST_NOTFOUND) {
    if(r.err != CSV_OK || !is_valid || r.line != 1 + count_lf(in) ||
       r.pos < size) {
      abort();
    }
  }
  else if(st == ST_INVALID) {
    if(r.err == CSV_OK || r.err == CSV_ERR_NOMEM || r.err_line < r.line ||
       r.err_line > 1 + count_lf(in)) {
      abort();
    }
    if(r.err == CSV_ERR_UTF8 && is_valid) {
      abort();
    }
  }
  else if(st != ST_TOOBIG) {
    abort();
  }
  arena_reset(&a);
  buf_free(&b);
  return 0;
}
