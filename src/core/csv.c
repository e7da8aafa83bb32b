/*
 * csv.c: RFC 4180 reading and writing (see csv.h).
 *
 * Reading works one record at a time in two passes over the same bytes:
 * the first pass finds where the record ends, counts its fields and the
 * bytes they unescape to, and finds any structural error; then the
 * record's bytes are checked for valid UTF-8; then both allocations are
 * made in the arena, and the second pass copies the unescaped fields.
 * Both passes run the same scanner, so they cannot disagree.  The input
 * is never written to and never read past in.len.
 *
 * Rules the header leaves open:
 * - A record ends at LF or CRLF.  A CR that is not followed by LF is data
 *   in an unquoted field and an error (CSV_ERR_GARBAGE) after a closing
 *   quote.
 * - Lines are counted by LF bytes, so CRLF counts once.
 * - err_line is the line of the offending byte (the bad UTF-8 byte, the
 *   text after a quote, the first field past max_fields); for
 *   CSV_ERR_QUOTE and CSV_ERR_NOMEM it is the line where the record
 *   started.
 * - When a record has both invalid UTF-8 and a structural error, the
 *   UTF-8 error is reported if the bad byte comes before the structural
 *   one (for an unclosed quote, anywhere up to the end of input).
 * - On any failure the reader does not advance: calling csv_read() again
 *   gives the same error, or, after ST_TOOBIG, retries the same record
 *   with whatever room the arena has by then.
 *
 * Writing: csv_field() quotes a value that holds , " CR or LF, that
 * starts or ends with a space (so readers that trim unquoted spaces keep
 * them) or that starts with a UTF-8 BOM (which a reader would skip at the
 * start of a file).  It prefixes ' to a value that starts with = + - @ TAB
 * or CR, and also to a value that starts with one or more ' followed by
 * one of those: without that second rule a cell that really holds "'=1"
 * would import as "=1".  csv_unprotect() strips one ' from a value that
 * starts with one or more ' followed by one of = + - @ TAB CR, which is
 * exactly the inverse, so csv_unprotect(read(csv_field(v))) == v for
 * every v.
 *
 * Depends on arena.h, buf.h, str.h, utf8.h.
 */
#include "csv.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* What one scan of a record found. */
struct scan {
  size_t n_fields;    /* fields in the record */
  size_t data_len;    /* unescaped bytes in all fields, with a NUL each */
  size_t end;         /* offset just past the record and its terminator */
  size_t n_lines;     /* LF bytes consumed, terminator included */
  enum csv_error err; /* CSV_OK, or what is wrong with the record */
  size_t err_pos;     /* on error: offset of the offending byte */
  size_t err_lines;   /* on error: LF bytes before err_pos */
};

void csv_reader_init(struct csv_reader *r, struct str in)
{
  r->in = in;
  r->pos = 0;
  if(in.len >= 3 && (unsigned char)in.p[0] == 0xEF &&
     (unsigned char)in.p[1] == 0xBB && (unsigned char)in.p[2] == 0xBF) {
    r->pos = 3;
  }
  r->line = 1;
  r->record_line = 0;
  r->err = CSV_OK;
  r->err_line = 0;
}

/* Number of LF bytes in p[0..n). */
static size_t count_lf(const char *p, size_t n)
{
  size_t count = 0;
  const char *end = p + n;

  while(p < end) {
    const char *q = memchr(p, '\n', (size_t)(end - p));
    if(!q) {
      break;
    }
    count++;
    p = q + 1;
  }
  return count;
}

/*
 * Scan the record at in[pos..len).  With fields and data NULL only
 * measure it; otherwise also store the fields (each followed by a NUL in
 * data), which must then have room for what a measuring scan reported.
 */
static void scan_record(const char *in, size_t len, size_t pos,
                        size_t max_fields, struct str *fields, char *data,
                        struct scan *s)
{
  size_t out = 0;   /* bytes written to data */
  size_t lines = 0; /* LF bytes seen so far */
  size_t n = 0;     /* fields finished */

  s->err = CSV_OK;
  for(;;) {
    size_t field_out = out;
    int is_last;

    if(n == max_fields) {
      s->err = CSV_ERR_FIELDS;
      s->err_pos = pos;
      s->err_lines = lines;
      return;
    }
    if(pos < len && in[pos] == '"') {
      pos++;
      for(;;) {
        const char *q = memchr(in + pos, '"', len - pos);
        size_t seg_len;
        if(!q) {
          s->err = CSV_ERR_QUOTE;
          s->err_pos = len;
          s->err_lines = lines;
          return;
        }
        seg_len = (size_t)(q - (in + pos));
        if(data) {
          memcpy(data + out, in + pos, seg_len);
        }
        lines += count_lf(in + pos, seg_len);
        out += seg_len;
        pos += seg_len + 1;
        if(pos < len && in[pos] == '"') {
          if(data) {
            data[out] = '"';
          }
          out++;
          pos++;
          continue;
        }
        break;
      }
      /* after the closing quote: , LF CRLF or end of input */
      if(pos == len) {
        is_last = 1;
      }
      else if(in[pos] == ',') {
        is_last = 0;
        pos++;
      }
      else if(in[pos] == '\n') {
        is_last = 1;
        pos++;
        lines++;
      }
      else if(in[pos] == '\r' && pos + 1 < len && in[pos + 1] == '\n') {
        is_last = 1;
        pos += 2;
        lines++;
      }
      else {
        s->err = CSV_ERR_GARBAGE;
        s->err_pos = pos;
        s->err_lines = lines;
        return;
      }
    }
    else {
      size_t start = pos;
      size_t field_len;
      while(pos < len) {
        char c = in[pos];
        if(c == ',' || c == '\n' || c == '"') {
          break;
        }
        pos++;
      }
      if(pos < len && in[pos] == '"') {
        s->err = CSV_ERR_GARBAGE;
        s->err_pos = pos;
        s->err_lines = lines;
        return;
      }
      field_len = pos - start;
      if(pos < len && in[pos] == '\n' && field_len && in[pos - 1] == '\r') {
        field_len--;
      }
      if(data) {
        memcpy(data + out, in + start, field_len);
      }
      out += field_len;
      if(pos == len) {
        is_last = 1;
      }
      else if(in[pos] == ',') {
        is_last = 0;
        pos++;
      }
      else {
        is_last = 1;
        pos++;
        lines++;
      }
    }
    if(fields) {
      fields[n].p = data + field_out;
      fields[n].len = out - field_out;
      data[out] = 0;
    }
    out++; /* the NUL */
    n++;
    if(is_last) {
      break;
    }
  }
  s->n_fields = n;
  s->data_len = out;
  s->end = pos;
  s->n_lines = lines;
}

/* Record a failure on r and return st. */
static enum status fail(struct csv_reader *r, enum status st,
                        enum csv_error err, size_t line)
{
  r->err = err;
  r->err_line = line;
  return st;
}

enum status csv_read(struct csv_reader *r, struct arena *a,
                     struct str **fields, size_t *n_fields, size_t max_fields)
{
  const char *in = r->in.p;
  size_t start = r->pos;
  size_t checked_end;
  struct scan s;
  struct str record;
  size_t bad_at;
  struct str *f;
  char *data;

  r->err = CSV_OK;
  r->err_line = 0;
  if(start >= r->in.len) {
    return ST_NOTFOUND;
  }
  r->record_line = r->line;
  scan_record(in, r->in.len, start, max_fields, NULL, NULL, &s);

  /* UTF-8 of the bytes scanned: the record, or up to the error */
  checked_end = s.err ? s.err_pos : s.end;
  record.p = in + start;
  record.len = checked_end - start;
  if(!utf8_valid(record, &bad_at)) {
    return fail(r, ST_INVALID, CSV_ERR_UTF8,
                r->line + count_lf(record.p, bad_at));
  }
  if(s.err == CSV_ERR_QUOTE) {
    return fail(r, ST_INVALID, s.err, r->line);
  }
  if(s.err) {
    return fail(r, ST_INVALID, s.err, r->line + s.err_lines);
  }

  if(s.n_fields > SIZE_MAX / sizeof(*f)) {
    return fail(r, ST_TOOBIG, CSV_ERR_NOMEM, r->line);
  }
  f = arena_alloc(a, s.n_fields * sizeof(*f));
  if(!f) {
    return fail(r, ST_TOOBIG, CSV_ERR_NOMEM, r->line);
  }
  data = arena_alloc(a, s.data_len);
  if(!data) {
    return fail(r, ST_TOOBIG, CSV_ERR_NOMEM, r->line);
  }
  scan_record(in, r->in.len, start, max_fields, f, data, &s);

  r->pos = s.end;
  r->line += s.n_lines;
  *fields = f;
  *n_fields = s.n_fields;
  return ST_OK;
}

/* 1 if c starts a formula in a spreadsheet. */
static int is_formula_char(char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
         c == '\r';
}

/* 1 if v starts with at least min_quotes ' and then a formula
 * character. */
static int looks_protected(struct str v, size_t min_quotes)
{
  size_t i = 0;

  while(i < v.len && v.p[i] == '\'') {
    i++;
  }
  return i >= min_quotes && i < v.len && is_formula_char(v.p[i]);
}

/* 1 if v must be written between double quotes. */
static int needs_quotes(struct str v)
{
  size_t i;

  if(!v.len) {
    return 0;
  }
  if(v.p[0] == ' ' || v.p[v.len - 1] == ' ') {
    return 1;
  }
  if(v.len >= 3 && (unsigned char)v.p[0] == 0xEF &&
     (unsigned char)v.p[1] == 0xBB && (unsigned char)v.p[2] == 0xBF) {
    return 1;
  }
  for(i = 0; i < v.len; i++) {
    char c = v.p[i];
    if(c == ',' || c == '"' || c == '\r' || c == '\n') {
      return 1;
    }
  }
  return 0;
}

void csv_field(struct buf *b, struct str v)
{
  int is_quoted = needs_quotes(v);
  const char *p = v.p;
  const char *end = v.p + v.len;

  if(is_quoted) {
    buf_putc(b, '"');
  }
  if(looks_protected(v, 0)) {
    buf_putc(b, '\'');
  }
  if(!is_quoted) {
    buf_append(b, v.p, v.len);
    return;
  }
  while(p < end) {
    const char *q = memchr(p, '"', (size_t)(end - p));
    if(!q) {
      buf_append(b, p, (size_t)(end - p));
      break;
    }
    buf_append(b, p, (size_t)(q - p) + 1); /* up to and with the quote */
    buf_putc(b, '"');
    p = q + 1;
  }
  buf_putc(b, '"');
}

struct str csv_unprotect(struct str v)
{
  if(looks_protected(v, 1)) {
    v.p++;
    v.len--;
  }
  return v;
}
