/*
 * test_csv.c: unit tests for core/csv.c (reader, csv_field(),
 * csv_unprotect()).  Depends on cmocka and core/{csv,arena,buf,str}.
 *
 * Most reader cases go through render(), which copies the input into a
 * buffer of exactly its length (so ASan catches any read past in.len),
 * reads every record and writes a compact description:
 * "<record_line>[field][field] ..." and, on failure,
 * "!<error>@<err_line>".  CR, LF and NUL inside fields are shown as \r,
 * \n and \0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/mem.h"

/* A string literal and its length, so cases can hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

static const char *error_name(enum csv_error err)
{
  switch(err) {
  case CSV_OK:
    return "ok";
  case CSV_ERR_QUOTE:
    return "quote";
  case CSV_ERR_GARBAGE:
    return "garbage";
  case CSV_ERR_UTF8:
    return "utf8";
  case CSV_ERR_FIELDS:
    return "fields";
  case CSV_ERR_NOMEM:
    return "nomem";
  }
  return "?";
}

/* Append f to out with CR, LF and NUL made visible. */
static void put_visible(struct buf *out, struct str f)
{
  size_t i;

  for(i = 0; i < f.len; i++) {
    if(f.p[i] == '\r') {
      buf_puts(out, "\\r");
    }
    else if(f.p[i] == '\n') {
      buf_puts(out, "\\n");
    }
    else if(f.p[i] == 0) {
      buf_puts(out, "\\0");
    }
    else {
      buf_putc(out, f.p[i]);
    }
  }
}

/* Describe every record of in[0..len) into out (see the file comment). */
static void render(struct buf *out, const char *in, size_t len,
                   size_t max_fields)
{
  char *copy = xmalloc(len);
  struct csv_reader r;
  struct arena a;
  struct str *fields;
  size_t n_fields, i;
  enum status st;
  const char *sep = "";

  if(len) {
    memcpy(copy, in, len);
  }
  arena_init(&a, 1 << 20);
  csv_reader_init(&r, (struct str){ copy, len });
  for(;;) {
    st = csv_read(&r, &a, &fields, &n_fields, max_fields);
    if(st) {
      break;
    }
    buf_appendf(out, "%s%zu", sep, r.record_line);
    for(i = 0; i < n_fields; i++) {
      buf_putc(out, '[');
      put_visible(out, fields[i]);
      buf_putc(out, ']');
      /* each field is NUL-terminated in the arena */
      assert_int_equal(fields[i].p[fields[i].len], 0);
    }
    sep = " ";
    arena_reset(&a);
  }
  if(st == ST_NOTFOUND) {
    assert_int_equal(r.err, CSV_OK);
  }
  else {
    assert_int_equal(st, ST_INVALID);
    buf_appendf(out, "%s!%s@%zu", sep, error_name(r.err), r.err_line);
  }
  /* the input is never modified */
  assert_memory_equal(copy, in, len);
  arena_reset(&a);
  free(copy);
}

static void test_csv_read_table(void **state)
{
  static const struct {
    const char *in;    /* input bytes */
    size_t len;        /* their number */
    size_t max_fields; /* limit passed to csv_read() */
    const char *want;  /* render() output */
  } cases[] = {
    /* plain records */
    { S(""), 8, "" },
    { S("a,b,c\n"), 8, "1[a][b][c]" },
    { S("a,b,c"), 8, "1[a][b][c]" },
    { S("a\nb\n"), 8, "1[a] 2[b]" },
    { S("a\nb"), 8, "1[a] 2[b]" },
    { S("a,b\r\nc,d\r\n"), 8, "1[a][b] 2[c][d]" },
    { S("a,b\r\nc,d"), 8, "1[a][b] 2[c][d]" },
    { S("a\r\nb\nc"), 8, "1[a] 2[b] 3[c]" },
    { S(" a , b \n"), 8, "1[ a ][ b ]" },
    { S("台北,臺北市\n"), 8, "1[台北][臺北市]" },
    { S("a\0b,c"), 8, "1[a\\0b][c]" },
    /* empty fields and blank lines */
    { S(",,\n"), 8, "1[][][]" },
    { S("a,"), 8, "1[a][]" },
    { S("a,\r\n"), 8, "1[a][]" },
    { S(","), 8, "1[][]" },
    { S("\n"), 8, "1[]" },
    { S("\r\n"), 8, "1[]" },
    { S("\n\n"), 8, "1[] 2[]" },
    { S("a\n\nb\n"), 8, "1[a] 2[] 3[b]" },
    { S("a\r\n\r\nb"), 8, "1[a] 2[] 3[b]" },
    /* a CR that does not start CRLF is data in an unquoted field */
    { S("a\rb\n"), 8, "1[a\\rb]" },
    { S("a\r"), 8, "1[a\\r]" },
    { S("a\r\r\n"), 8, "1[a\\r]" },
    /* quoted fields */
    { S("\"a,b\",c\n"), 8, "1[a,b][c]" },
    { S("\"say \"\"hi\"\"\"\n"), 8, "1[say \"hi\"]" },
    { S("\"\"\"\""), 8, "1[\"]" },
    { S("\"\"\"\"\"\""), 8, "1[\"\"]" },
    { S("\"\",x"), 8, "1[][x]" },
    { S("x,\"\""), 8, "1[x][]" },
    { S("\"a\"\r\n\"b\""), 8, "1[a] 2[b]" },
    { S("\" \",\",\""), 8, "1[ ][,]" },
    /* newlines inside quotes are kept and counted */
    { S("\"a\nb\",c\nd\n"), 8, "1[a\\nb][c] 3[d]" },
    { S("\"a\r\nb\"\r\nd\r\n"), 8, "1[a\\r\\nb] 3[d]" },
    { S("x\n\"1\n2\n3\"\ny"), 8, "1[x] 2[1\\n2\\n3] 5[y]" },
    { S("\"\n\",\"\n\"\nz"), 8, "1[\\n][\\n] 4[z]" },
    { S("\"a\rb\""), 8, "1[a\\rb]" },
    /* BOM */
    { S("\xEF\xBB\xBF"
        "a,b\n"),
      8, "1[a][b]" },
    { S("\xEF\xBB\xBF"), 8, "" },
    { S("\xEF\xBB\xBF\n"), 8, "1[]" },
    { S("\xEF\xBB\xBF\"q\""), 8, "1[q]" },
    { S("a,\xEF\xBB\xBF"), 8, "1[a][\xEF\xBB\xBF]" },
    { S("\xEF\xBB\xBF\xEF\xBB\xBF"
        "a"),
      8,
      "1[\xEF\xBB\xBF"
      "a]" },
    { S("\xEF\xBB"), 8, "!utf8@1" },
    /* invalid UTF-8: records before it come out, then the error */
    { S("a\n\xC0\x80\n"), 8, "1[a] !utf8@2" },
    { S("\xC1\xBF"), 8, "!utf8@1" },
    { S("a\nb,\xE0\x80\x80"), 8, "1[a] !utf8@2" },
    { S("\xF0\x80\x80\x80"), 8, "!utf8@1" },
    { S("\xED\xA0\x80"), 8, "!utf8@1" },
    { S("\xF4\x90\x80\x80"), 8, "!utf8@1" },
    { S("a,\xE4\xB8"), 8, "!utf8@1" },
    { S("\xE4\xB8\n"), 8, "!utf8@1" },
    { S("ok\n\"x\ny\xE4\xB8\"\n"), 8, "1[ok] !utf8@3" },
    { S("a\nb\nc\x80\n"), 8, "1[a] 2[b] !utf8@3" },
    { S("\"\x80\""), 8, "!utf8@1" },
    { S("\xFF"), 8, "!utf8@1" },
    { S("\"abc\n\n\xFF"), 8, "!utf8@3" },
    { S("\xFF\"a"), 8, "!utf8@1" },
    /* unterminated quote: err_line is where the record started */
    { S("\""), 8, "!quote@1" },
    { S("a\n\"b\nc\nd"), 8, "1[a] !quote@2" },
    { S("\"a\"\""), 8, "!quote@1" },
    { S("x,\"a\n"), 8, "!quote@1" },
    { S("\"a\",\""), 8, "!quote@1" },
    { S("0\n\"x\ny\",\"z\n"), 8, "1[0] !quote@2" },
    /* text after a closing quote */
    { S("\"a\"b,c"), 8, "!garbage@1" },
    { S("\"a\" ,c"), 8, "!garbage@1" },
    { S("\"x\ny\"z"), 8, "!garbage@2" },
    { S("\"a\"\rb"), 8, "!garbage@1" },
    { S("\"a\"\r"), 8, "!garbage@1" },
    { S("\"a\"\xE4\xB8\x80"), 8, "!garbage@1" },
    { S("1\n2\n\"a\"\"b\"c"), 8, "1[1] 2[2] !garbage@3" },
    /* a quote inside an unquoted field */
    { S("ab\"c\"\n"), 8, "!garbage@1" },
    { S("a,b\""), 8, "!garbage@1" },
    { S("a\nb\""), 8, "1[a] !garbage@2" },
    { S(" \"a\""), 8, "!garbage@1" },
    /* field limit */
    { S("a,b,c\na,b,c,d\n"), 3, "1[a][b][c] !fields@2" },
    { S("a,b,c"), 3, "1[a][b][c]" },
    { S("a,b,c,"), 3, "!fields@1" },
    { S("\"x\ny\",b,c,d"), 3, "!fields@2" },
    { S("\n"), 1, "1[]" },
    { S("a"), 1, "1[a]" },
    { S("a,b"), 1, "!fields@1" },
    { S("a"), 0, "!fields@1" },
    { S(""), 0, "" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf out;
    buf_init(&out, 4096);
    render(&out, cases[i].in, cases[i].len, cases[i].max_fields);
    assert_int_equal(out.err, ST_OK);
    if(strcmp(out.data, cases[i].want)) {
      print_error("case %zu: got \"%s\", want \"%s\"\n", i, out.data,
                  cases[i].want);
    }
    assert_string_equal(out.data, cases[i].want);
    buf_free(&out);
  }
}

/* A failed read does not advance: it fails the same way again. */
static void test_csv_read_error_repeats(void **state)
{
  static const char in[] = "a\nb,\"c\nd";
  struct csv_reader r;
  struct arena a;
  struct str *fields;
  size_t n_fields;

  (void)state;
  arena_init(&a, 1 << 20);
  csv_reader_init(&r, (struct str){ in, sizeof(in) - 1 });
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 8), ST_OK);
  assert_int_equal(r.line, 2);
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 8), ST_INVALID);
  assert_int_equal(r.err, CSV_ERR_QUOTE);
  assert_int_equal(r.err_line, 2);
  assert_int_equal(r.pos, 2);
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 8), ST_INVALID);
  assert_int_equal(r.err, CSV_ERR_QUOTE);
  assert_int_equal(r.err_line, 2);
  arena_reset(&a);
}

/* After the last record: ST_NOTFOUND, and again, with err cleared. */
static void test_csv_read_end_repeats(void **state)
{
  static const char in[] = "a\r\n";
  struct csv_reader r;
  struct arena a;
  struct str *fields;
  size_t n_fields;

  (void)state;
  arena_init(&a, 1 << 20);
  csv_reader_init(&r, (struct str){ in, sizeof(in) - 1 });
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 8), ST_OK);
  assert_int_equal(n_fields, 1);
  assert_true(str_eq_c(fields[0], "a"));
  assert_int_equal(r.line, 2);
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 8), ST_NOTFOUND);
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 8), ST_NOTFOUND);
  assert_int_equal(r.err, CSV_OK);
  arena_reset(&a);

  /* an empty view with a NULL pointer is valid input */
  csv_reader_init(&r, (struct str){ NULL, 0 });
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 8), ST_NOTFOUND);
}

/* A tiny arena cap gives ST_TOOBIG; the record can be read afterwards. */
static void test_csv_read_arena_cap(void **state)
{
  static const char in[] = "x\n\"a\nb\",c\n";
  struct csv_reader r;
  struct arena tiny, big;
  struct str *fields;
  size_t n_fields;

  (void)state;
  arena_init(&tiny, 64);
  arena_init(&big, 1 << 20);
  csv_reader_init(&r, (struct str){ in, sizeof(in) - 1 });
  assert_int_equal(csv_read(&r, &big, &fields, &n_fields, 8), ST_OK);
  assert_int_equal(csv_read(&r, &tiny, &fields, &n_fields, 8), ST_TOOBIG);
  assert_int_equal(r.err, CSV_ERR_NOMEM);
  assert_int_equal(r.err_line, 2);
  assert_int_equal(csv_read(&r, &big, &fields, &n_fields, 8), ST_OK);
  assert_int_equal(n_fields, 2);
  assert_true(str_eq_c(fields[0], "a\nb"));
  assert_true(str_eq_c(fields[1], "c"));
  assert_int_equal(r.record_line, 2);
  assert_int_equal(csv_read(&r, &big, &fields, &n_fields, 8), ST_NOTFOUND);
  arena_reset(&tiny);
  arena_reset(&big);
}

/* A record bigger than the cap fails; a bigger cap reads it. */
static void test_csv_read_big_record(void **state)
{
  size_t len = 200000, i;
  char *in = xmalloc(len);
  struct csv_reader r;
  struct arena a;
  struct str *fields;
  size_t n_fields;

  (void)state;
  in[0] = '"';
  for(i = 1; i < len - 1; i++) {
    in[i] = (char)('a' + i % 26);
  }
  in[len - 1] = '"';
  arena_init(&a, 100000);
  csv_reader_init(&r, (struct str){ in, len });
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 1), ST_TOOBIG);
  assert_int_equal(r.err, CSV_ERR_NOMEM);
  arena_reset(&a);
  arena_init(&a, 1 << 20);
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 1), ST_OK);
  assert_int_equal(fields[0].len, len - 2);
  assert_memory_equal(fields[0].p, in + 1, len - 2);
  arena_reset(&a);
  free(in);
}

/*
 * Failure injection (STYLE.md C13): each record takes two allocations,
 * so failing allocation n stops the reader at record (n - 1) / 2 + 1 with
 * ST_TOOBIG, and the reader resumes from there.
 */
static void test_csv_read_fail_after(void **state)
{
  static const char in[] = "a,b\n\"c\nd\",e\nf\n";
  long n;

  (void)state;
  for(n = 1; n <= 8; n++) {
    struct csv_reader r;
    struct arena a;
    struct str *fields;
    size_t n_fields, n_records = 0;
    enum status st;

    arena_init(&a, 1 << 20);
    arena_fail_after(&a, n);
    csv_reader_init(&r, (struct str){ in, sizeof(in) - 1 });
    for(;;) {
      st = csv_read(&r, &a, &fields, &n_fields, 8);
      if(st) {
        break;
      }
      n_records++;
    }
    if(n <= 6) {
      assert_int_equal(st, ST_TOOBIG);
      assert_int_equal(r.err, CSV_ERR_NOMEM);
      assert_int_equal(n_records, (size_t)(n - 1) / 2);
      /* the failed record is read on the next call */
      assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 8), ST_OK);
      n_records++;
      for(;;) {
        st = csv_read(&r, &a, &fields, &n_fields, 8);
        if(st) {
          break;
        }
        n_records++;
      }
    }
    assert_int_equal(st, ST_NOTFOUND);
    assert_int_equal(n_records, 3);
    arena_reset(&a);
  }
}

static double now_ms(void)
{
  struct timespec ts;
  timespec_get(&ts, TIME_UTC);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/*
 * 100,000 rows of 8 fields.  The time limit is loose (sanitizer builds
 * are slow) and only catches work that is not linear; an -O2 build takes
 * a few milliseconds.
 */
static void test_csv_read_speed(void **state)
{
  const size_t n_rows = 100000;
  struct buf in;
  struct csv_reader r;
  struct arena a;
  struct str *fields;
  size_t n_fields, n_records = 0, i, sum = 0;
  double t0, elapsed;

  (void)state;
  buf_init(&in, 64 << 20);
  for(i = 0; i < n_rows; i++) {
    buf_appendf(&in,
                "%zu,risk %zu,\"owner, %zu\",high,2024-01-%02zu,"
                "open,\"note \"\"%zu\"\"\",台北\r\n",
                i, i, i, i % 28 + 1, i);
  }
  assert_int_equal(in.err, ST_OK);
  arena_init(&a, 1 << 20);
  csv_reader_init(&r, (struct str){ in.data, in.len });
  t0 = now_ms();
  for(;;) {
    if(csv_read(&r, &a, &fields, &n_fields, 8)) {
      break;
    }
    assert_int_equal(n_fields, 8);
    sum += fields[0].len + fields[6].len;
    n_records++;
    arena_reset(&a);
  }
  elapsed = now_ms() - t0;
  assert_int_equal(r.err, CSV_OK);
  assert_int_equal(n_records, n_rows);
  assert_true(sum > n_rows * 8);
  print_message("csv: %zu rows x 8 fields in %.1f ms\n", n_rows, elapsed);
  assert_true(elapsed < 10000.0);
  arena_reset(&a);
  buf_free(&in);
}

static void test_csv_field_table(void **state)
{
  static const struct {
    const char *in;  /* value */
    size_t len;      /* its length */
    const char *out; /* what csv_field() appends */
  } cases[] = {
    { S(""), "" },
    { S("plain"), "plain" },
    { S("a,b"), "\"a,b\"" },
    { S("say \"hi\""), "\"say \"\"hi\"\"\"" },
    { S("\""), "\"\"\"\"" },
    { S("a\nb"), "\"a\nb\"" },
    { S("a\r\nb"), "\"a\r\nb\"" },
    { S("a\rb"), "\"a\rb\"" },
    { S(" lead"), "\" lead\"" },
    { S("trail "), "\"trail \"" },
    { S("in side"), "in side" },
    { S("a\0b"), "a" }, /* compared up to the NUL; length checked below */
    /* formula injection */
    { S("=SUM(A1)"), "'=SUM(A1)" },
    { S("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0" },
    { S("+1"), "'+1" },
    { S("-1"), "'-1" },
    { S("@x"), "'@x" },
    { S("\tx"), "'\tx" },
    { S("\t"), "'\t" },
    { S("\rx"), "\"'\rx\"" },
    { S("="), "'=" },
    { S("=a,b"), "\"'=a,b\"" },
    { S("=\"x\""), "\"'=\"\"x\"\"\"" },
    { S("=1 "), "\"'=1 \"" },
    { S("1-2"), "1-2" },
    { S("a=1"), "a=1" },
    { S(" =1"), "\" =1\"" },
    /* an apostrophe that csv_unprotect() would strip is protected too */
    { S("'=1"), "''=1" },
    { S("''+1"), "'''+1" },
    { S("'abc"), "'abc" },
    { S("'"), "'" },
    /* UTF-8 text is unchanged */
    { S("台北市"), "台北市" },
    { S("臺北,台北"), "\"臺北,台北\"" },
    { S("ＡＢＣ"), "ＡＢＣ" },
    { S("\xEF\xBB\xBF"
        "x"),
      "\"\xEF\xBB\xBF"
      "x\"" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, 1024);
    buf_puts(&b, "<");
    csv_field(&b, (struct str){ cases[i].in, cases[i].len });
    buf_puts(&b, ">");
    assert_int_equal(b.err, ST_OK);
    assert_int_equal(b.data[0], '<');
    assert_int_equal(b.data[b.len - 1], '>');
    b.data[b.len - 1] = 0;
    if(strcmp(b.data + 1, cases[i].out)) {
      print_error("case %zu: got \"%s\", want \"%s\"\n", i, b.data + 1,
                  cases[i].out);
    }
    assert_string_equal(b.data + 1, cases[i].out);
    if(memchr(cases[i].in, 0, cases[i].len)) {
      assert_int_equal(b.len - 2, cases[i].len);
      assert_memory_equal(b.data + 1, cases[i].in, cases[i].len);
    }
    buf_free(&b);
  }
}

/* csv_field() respects the buffer cap (the error is sticky in b). */
static void test_csv_field_cap(void **state)
{
  struct buf b;

  (void)state;
  buf_init(&b, 5);
  csv_field(&b, str_c("a,b"));
  assert_int_equal(b.err, ST_OK);
  assert_string_equal(b.data, "\"a,b\"");
  csv_field(&b, str_c("x"));
  assert_int_equal(b.err, ST_TOOBIG);
  buf_free(&b);
}

static void test_csv_unprotect_table(void **state)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "'=1", "=1" },    { "'+1", "+1" },      { "'-1", "-1" },
    { "'@x", "@x" },    { "'\tx", "\tx" },    { "'\rx", "\rx" },
    { "'=", "=" },      { "''=1", "'=1" },    { "'''@", "''@" },
    { "'abc", "'abc" }, { "'", "'" },         { "''", "''" },
    { "", "" },         { "=1", "=1" },       { "x'=1", "x'=1" },
    { "' =1", "' =1" }, { "'台北", "'台北" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct str v = str_c(cases[i].in);
    struct str got = csv_unprotect(v);
    if(!str_eq_c(got, cases[i].out)) {
      print_error("case %zu: \"%s\"\n", i, cases[i].in);
    }
    assert_true(str_eq_c(got, cases[i].out));
    /* the result is a view into v, never a copy */
    assert_true(got.p >= v.p && got.p + got.len == v.p + v.len);
  }
}

/* Hostile values survive csv_field(), csv_read() and csv_unprotect(). */
static const char *const hostile[] = {
  "=SUM(A1)",
  "=HYPERLINK(\"http://x\",\"y\")",
  "+1",
  "-1",
  "@x",
  "\tx",
  "\rx",
  "\r\n",
  "=a,b",
  "'=1",
  "''=1",
  "'",
  "'abc",
  "\"",
  "\"\"",
  "a\"b",
  "a,b",
  "a\nb",
  "a\r\nb",
  "a\rb",
  " ",
  " x ",
  "",
  "台北市,臺北",
  "ＡＢＣ１２３",
  "\xEF\xBB\xBF",
  "\xEF\xBB\xBF=1",
  "-",
  "=",
};

static void test_csv_round_trip(void **state)
{
  size_t n = sizeof(hostile) / sizeof(hostile[0]), i;
  struct buf b;
  struct arena a;
  struct csv_reader r;
  struct str *fields;
  size_t n_fields;

  (void)state;
  arena_init(&a, 1 << 20);
  buf_init(&b, 1 << 16);

  /* one value per record, as the first cell of the file */
  for(i = 0; i < n; i++) {
    buf_clear(&b);
    csv_field(&b, str_c(hostile[i]));
    buf_puts(&b, ",tail\r\n");
    assert_int_equal(b.err, ST_OK);
    /* nothing a spreadsheet would evaluate comes first */
    assert_false(strchr("=+-@\t\r", b.data[0]) && b.data[0]);
    assert_false(b.data[0] == '"' && strchr("=+-@\t\r", b.data[1]));
    csv_reader_init(&r, (struct str){ b.data, b.len });
    assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 2), ST_OK);
    assert_int_equal(n_fields, 2);
    if(!str_eq_c(csv_unprotect(fields[0]), hostile[i])) {
      print_error("value %zu: wrote \"%s\"\n", i, b.data);
    }
    assert_true(str_eq_c(csv_unprotect(fields[0]), hostile[i]));
    assert_true(str_eq_c(fields[1], "tail"));
    assert_int_equal(csv_read(&r, &a, &fields, &n_fields, 2), ST_NOTFOUND);
    arena_reset(&a);
  }

  /* all values in one record */
  buf_clear(&b);
  for(i = 0; i < n; i++) {
    if(i) {
      buf_putc(&b, ',');
    }
    csv_field(&b, str_c(hostile[i]));
  }
  buf_puts(&b, "\n");
  csv_reader_init(&r, (struct str){ b.data, b.len });
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, n), ST_OK);
  assert_int_equal(n_fields, n);
  for(i = 0; i < n; i++) {
    assert_true(str_eq_c(csv_unprotect(fields[i]), hostile[i]));
  }
  assert_int_equal(csv_read(&r, &a, &fields, &n_fields, n), ST_NOTFOUND);

  arena_reset(&a);
  buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_csv_read_table),
    cmocka_unit_test(test_csv_read_error_repeats),
    cmocka_unit_test(test_csv_read_end_repeats),
    cmocka_unit_test(test_csv_read_arena_cap),
    cmocka_unit_test(test_csv_read_big_record),
    cmocka_unit_test(test_csv_read_fail_after),
    cmocka_unit_test(test_csv_read_speed),
    cmocka_unit_test(test_csv_field_table),
    cmocka_unit_test(test_csv_field_cap),
    cmocka_unit_test(test_csv_unprotect_table),
    cmocka_unit_test(test_csv_round_trip),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
