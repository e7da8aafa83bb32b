/*
 * test_form.c: unit tests for http/form.c (urlencoded, multipart, the
 * boundary of a Content-Type, cookies).  Depends on cmocka and
 * core/{arena,buf,str,status,mem}.
 *
 * The table cases go through render helpers that copy the input into a
 * buffer of exactly its length (so ASan catches any read past in.len),
 * run the parser and describe the result compactly:
 * "[name=value]" for each param, "{name|filename|data}" for each upload,
 * and "!<status_name>" on failure.  CR, LF and NUL are shown as \r, \n
 * and \0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "http/form.h"

/* A string literal and its length, so cases can hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

#define N_ITEMS(arr) (sizeof(arr) / sizeof((arr)[0]))

/* Append p[0..len) to out with CR, LF and NUL made visible. */
static void put_visible(struct buf *out, const char *p, size_t len)
{
  size_t i;

  for(i = 0; i < len; i++) {
    if(p[i] == '\r') {
      buf_puts(out, "\\r");
    }
    else if(p[i] == '\n') {
      buf_puts(out, "\\n");
    }
    else if(p[i] == 0) {
      buf_puts(out, "\\0");
    }
    else {
      buf_putc(out, p[i]);
    }
  }
}

/* Describe params; checks that each value is NUL-terminated at len. */
static void put_params(struct buf *out, const struct param *params, size_t n)
{
  size_t i;

  for(i = 0; i < n; i++) {
    assert_non_null(params[i].name);
    assert_non_null(params[i].value);
    assert_int_equal(params[i].value[params[i].len], 0);
    buf_putc(out, '[');
    put_visible(out, params[i].name, strlen(params[i].name));
    buf_putc(out, '=');
    put_visible(out, params[i].value, params[i].len);
    buf_putc(out, ']');
  }
}

/* Which parser render_pairs() runs. */
enum pair_kind {
  KIND_URLENCODED,
  KIND_COOKIES,
};

/*
 * Run the parser of kind over a copy of in[0..len) with max and append
 * the description to out.
 */
static void render_pairs(struct buf *out, enum pair_kind kind, const char *in,
                         size_t len, size_t max)
{
  char *copy = xmalloc(len);
  struct param *params = NULL;
  size_t n = 0;
  struct arena a;
  enum status st;

  if(len) {
    memcpy(copy, in, len);
  }
  arena_init(&a, 1 << 20);
  if(kind == KIND_URLENCODED) {
    st =
      form_parse_urlencoded((struct str){ copy, len }, &a, &params, &n, max);
  }
  else {
    st = form_parse_cookies((struct str){ copy, len }, &a, &params, &n, max);
  }
  if(st) {
    /* a failed parse leaves the caller's array alone */
    assert_null(params);
    assert_int_equal(n, 0);
    buf_appendf(out, "!%s", status_name(st));
  }
  else {
    assert_true(n <= max);
    put_params(out, params, n);
  }
  assert_memory_equal(copy, in, len);
  arena_reset(&a);
  free(copy);
}

/* A pair-parser case. */
struct pair_case {
  const char *in;   /* input bytes */
  size_t len;       /* their number */
  size_t max;       /* max passed to the parser */
  const char *want; /* render_pairs() output */
};

static void run_pair_cases(enum pair_kind kind, const struct pair_case *cases,
                           size_t n_cases)
{
  size_t i;

  for(i = 0; i < n_cases; i++) {
    struct buf out;
    buf_init(&out, 1 << 16);
    render_pairs(&out, kind, cases[i].in, cases[i].len, cases[i].max);
    if(strcmp(out.data, cases[i].want) != 0) {
      print_error("case %zu: in \"%.*s\"\n  got  %s\n  want %s\n", i,
                  (int)cases[i].len, cases[i].in, out.data, cases[i].want);
    }
    assert_string_equal(out.data, cases[i].want);
    buf_free(&out);
  }
}

static void test_urlencoded_table(void **state)
{
  static const struct pair_case cases[] = {
    /* empty input and empty segments */
    { S(""), 8, "" },
    { S("&"), 8, "" },
    { S("&&&"), 8, "" },
    /* single pairs and shapes of a segment */
    { S("a=1"), 8, "[a=1]" },
    { S("a"), 8, "[a=]" },
    { S("a="), 8, "[a=]" },
    { S("=1"), 8, "[=1]" },
    { S("="), 8, "[=]" },
    { S("a==b"), 8, "[a==b]" },
    { S("&&a=1&&"), 8, "[a=1]" },
    { S("a=1&b=2&c=3"), 8, "[a=1][b=2][c=3]" },
    /* repeated names keep their order */
    { S("a=1&a=2&a=3"), 8, "[a=1][a=2][a=3]" },
    /* '+' is a space; %2B is a plus */
    { S("a+b=c+d"), 8, "[a b=c d]" },
    { S("q=1%2B1"), 8, "[q=1+1]" },
    { S("+=+"), 8, "[ = ]" },
    /* escapes, upper and lower case hex */
    { S("%41%62=%7e%7E"), 8, "[Ab=~~]" },
    { S("x=%26%3D"), 8, "[x=&=]" },
    { S("x=%0D%0A"), 8, "[x=\\r\\n]" },
    { S("x=%E5%8F%B0"), 8, "[x=\xE5\x8F\xB0]" },
    { S("%E5%8F%B0=%e8%87%ba"), 8, "[\xE5\x8F\xB0=\xE8\x87\xBA]" },
    { S("name=\xE5\x8F\xB0\xE5\x8C\x97"), 8,
      "[name=\xE5\x8F\xB0\xE5\x8C\x97]" },
    /* bad escapes */
    { S("a=%G1"), 8, "!invalid" },
    { S("a=%1G"), 8, "!invalid" },
    { S("a=%"), 8, "!invalid" },
    { S("a=%1"), 8, "!invalid" },
    { S("a=1%"), 8, "!invalid" },
    { S("%zz=1"), 8, "!invalid" },
    { S("%=1"), 8, "!invalid" },
    { S("ok=1&a=%%41"), 8, "!invalid" },
    { S("a=%-1"), 8, "!invalid" },
    /* decoded text must be UTF-8 */
    { S("a=%FF"), 8, "!invalid" },
    { S("%FF=1"), 8, "!invalid" },
    { S("a=%C0%80"), 8, "!invalid" },
    { S("a=%E5%8F"), 8, "!invalid" },
    { S("a=%ED%A0%80"), 8, "!invalid" },
    { S("a=\xFF"), 8, "!invalid" },
    { S("a=\xE5\x8F"), 8, "!invalid" },
    { S("ok=1&b=%80"), 8, "!invalid" },
    /* NUL: allowed in values (len counts it), not in names */
    { S("a=x%00y"), 8, "[a=x\\0y]" },
    { S("a=%00"), 8, "[a=\\0]" },
    { S("a=x\0y"), 8, "[a=x\\0y]" },
    { S("%00=1"), 8, "!invalid" },
    { S("a%00b=1"), 8, "!invalid" },
    { S("a\0b=1"), 8, "!invalid" },
    /* the max count */
    { S("a&b&c"), 3, "[a=][b=][c=]" },
    { S("a&b&c"), 2, "!too_big" },
    { S("a&&b&&c&&"), 3, "[a=][b=][c=]" },
    { S("a"), 0, "!too_big" },
    { S(""), 0, "" },
    { S("&&"), 0, "" },
  };

  (void)state;
  run_pair_cases(KIND_URLENCODED, cases, N_ITEMS(cases));
}

/* A value with %00 has the true length, not strlen(). */
static void test_urlencoded_nul_len(void **state)
{
  static const char in[] = "v=ab%00cd";
  struct param *params = NULL;
  size_t n = 0;
  struct arena a;

  (void)state;
  arena_init(&a, 1 << 16);
  assert_int_equal(
    form_parse_urlencoded((struct str){ S(in) }, &a, &params, &n, 4), ST_OK);
  assert_int_equal(n, 1);
  assert_int_equal(params[0].len, 5);
  assert_int_equal(strlen(params[0].value), 2);
  assert_memory_equal(params[0].value, "ab\0cd", 6);
  arena_reset(&a);
}

/* Pairs are appended to what the caller already holds; max counts all. */
static void test_urlencoded_append(void **state)
{
  struct param *params = NULL, *first;
  size_t n = 0;
  struct arena a;
  struct buf out;

  (void)state;
  arena_init(&a, 1 << 16);
  assert_int_equal(
    form_parse_urlencoded((struct str){ S("a=1&b=2") }, &a, &params, &n, 4),
    ST_OK);
  assert_int_equal(n, 2);
  first = params;
  /* nothing to add: the array is left as it is */
  assert_int_equal(
    form_parse_urlencoded((struct str){ S("&") }, &a, &params, &n, 4), ST_OK);
  assert_ptr_equal(params, first);
  /* one over the total max: refused, unchanged */
  assert_int_equal(
    form_parse_urlencoded((struct str){ S("c&d&e") }, &a, &params, &n, 4),
    ST_TOOBIG);
  assert_ptr_equal(params, first);
  assert_int_equal(n, 2);
  /* a bad escape: refused, unchanged */
  assert_int_equal(
    form_parse_urlencoded((struct str){ S("c=%") }, &a, &params, &n, 4),
    ST_INVALID);
  assert_ptr_equal(params, first);
  assert_int_equal(n, 2);
  /* exactly max */
  assert_int_equal(
    form_parse_urlencoded((struct str){ S("c=3&d=4") }, &a, &params, &n, 4),
    ST_OK);
  assert_int_equal(n, 4);
  buf_init(&out, 1024);
  put_params(&out, params, n);
  assert_string_equal(out.data, "[a=1][b=2][c=3][d=4]");
  buf_free(&out);
  /* already at max: nothing more fits */
  assert_int_equal(
    form_parse_urlencoded((struct str){ S("e") }, &a, &params, &n, 4),
    ST_TOOBIG);
  /* more already held than max */
  assert_int_equal(
    form_parse_urlencoded((struct str){ S("e") }, &a, &params, &n, 2),
    ST_TOOBIG);
  assert_int_equal(n, 4);
  arena_reset(&a);
}

/* Many pairs: the count and the copies stay consistent. */
static void test_urlencoded_many(void **state)
{
  struct param *params = NULL;
  size_t n = 0, i;
  struct arena a;
  struct buf in;

  (void)state;
  buf_init(&in, 1 << 20);
  for(i = 0; i < 512; i++) {
    buf_appendf(&in, "%sk%zu=v%zu", i ? "&" : "", i, i);
  }
  arena_init(&a, 1 << 20);
  assert_int_equal(form_parse_urlencoded((struct str){ in.data, in.len }, &a,
                                         &params, &n, 512),
                   ST_OK);
  assert_int_equal(n, 512);
  assert_string_equal(params[511].name, "k511");
  assert_string_equal(params[511].value, "v511");
  arena_reset(&a);
  n = 0;
  params = NULL;
  assert_int_equal(form_parse_urlencoded((struct str){ in.data, in.len }, &a,
                                         &params, &n, 511),
                   ST_TOOBIG);
  arena_reset(&a);
  buf_free(&in);
}

static void test_cookies_table(void **state)
{
  static const struct pair_case cases[] = {
    { S(""), 8, "" },
    { S(";"), 8, "" },
    { S(" ; ; "), 8, "" },
    { S("a=1"), 8, "[a=1]" },
    { S("a=1; b=2"), 8, "[a=1][b=2]" },
    { S("a=1;b=2"), 8, "[a=1][b=2]" },
    { S("  a=1 ;   b=2 ;"), 8, "[a=1][b=2]" },
    { S("a=1;\tb=2"), 8, "[a=1][b=2]" },
    { S("a="), 8, "[a=]" },
    { S("a=b=c"), 8, "[a=b=c]" },
    { S("a = 1"), 8, "[a=1]" },
    /* repeated names keep their order */
    { S("a=1; a=2"), 8, "[a=1][a=2]" },
    /* no decoding */
    { S("a=%41+b"), 8, "[a=%41+b]" },
    /* quoted values lose their quotes */
    { S("a=\"q v\"; b=2"), 8, "[a=q v][b=2]" },
    { S("a=\"\""), 8, "[a=]" },
    { S("a=\""), 8, "[a=\"]" },
    { S("a=\"x"), 8, "[a=\"x]" },
    { S("a=x\""), 8, "[a=x\"]" },
    /* malformed pieces are skipped */
    { S("junk; a=1"), 8, "[a=1]" },
    { S("a=1; junk"), 8, "[a=1]" },
    { S("=1; a=2"), 8, "[a=2]" },
    { S(" =1"), 8, "" },
    { S("a\0b=1; c=2"), 8, "[c=2]" },
    { S("a=\xFF; b=2"), 8, "[b=2]" },
    { S("\xC0\x80=1; b=2"), 8, "[b=2]" },
    /* a NUL in a value is kept with its length */
    { S("a=x\0y"), 8, "[a=x\\0y]" },
    { S("lang=zh-TW; csrf=AbC_123"), 8, "[lang=zh-TW][csrf=AbC_123]" },
    { S("n=\xE5\x8F\xB0"), 8, "[n=\xE5\x8F\xB0]" },
    /* the max count; skipped pieces do not count */
    { S("a=1; b=2; c=3"), 3, "[a=1][b=2][c=3]" },
    { S("a=1; b=2; c=3"), 2, "!too_big" },
    { S("a=1; x; y; z"), 1, "[a=1]" },
    { S("a=1"), 0, "!too_big" },
    { S("x"), 0, "" },
  };

  (void)state;
  run_pair_cases(KIND_COOKIES, cases, N_ITEMS(cases));
}

static void test_boundary_table(void **state)
{
  static const char b70[] = "0123456789012345678901234567890123456789"
                            "012345678901234567890123456789";
  static const struct {
    const char *ct;   /* Content-Type, or NULL */
    const char *want; /* the boundary, "" for none */
  } cases[] = {
    { "multipart/form-data; boundary=abc", "abc" },
    { "multipart/form-data;boundary=abc", "abc" },
    { "Multipart/Form-Data; BOUNDARY=abc", "abc" },
    { "MULTIPART/FORM-DATA; Boundary=AbC", "AbC" },
    { "  multipart/form-data ; boundary = abc ", "abc" },
    { "multipart/form-data; boundary=\"abc\"", "abc" },
    { "multipart/form-data; boundary=\"a b:c?=d\"", "a b:c?=d" },
    { "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
      "----WebKitFormBoundary7MA4YWxkTrZu0gW" },
    { "multipart/form-data; boundary=--------------------------"
      "3b8e6b1c2a9d4f10",
      "--------------------------3b8e6b1c2a9d4f10" },
    /* other parameters before and after */
    { "multipart/form-data; charset=utf-8; boundary=abc", "abc" },
    { "multipart/form-data; boundary=abc; charset=utf-8", "abc" },
    { "multipart/form-data; boundary=abc;", "abc" },
    { "multipart/form-data; x=\"a;boundary=no\"; boundary=yes", "yes" },
    { "multipart/form-data; x=\"a\\\"; boundary=no\"; boundary=yes", "yes" },
    { "multipart/form-data; xboundary=no; boundary=yes", "yes" },
    /* length: 70 is the RFC 2046 maximum */
    { "multipart/form-data; boundary=0123456789012345678901234567890123456789"
      "012345678901234567890123456789",
      b70 },
    { "multipart/form-data; boundary=0123456789012345678901234567890123456789"
      "0123456789012345678901234567890",
      "" },
    /* absent or unusable */
    { NULL, "" },
    { "", "" },
    { "multipart/form-data", "" },
    { "multipart/form-data;", "" },
    { "multipart/form-data; charset=utf-8", "" },
    { "multipart/form-data; boundary=", "" },
    { "multipart/form-data; boundary=\"\"", "" },
    { "multipart/form-data; boundary=\"abc", "" },
    { "multipart/form-data; boundary=\"abc \"", "" },
    { "multipart/form-data; boundary=a\"b", "" },
    { "multipart/form-data; boundary=a\\b", "" },
    { "multipart/form-data; boundary=a[b]", "" },
    { "multipart/form-data; boundary=\"a\\\"b\"", "" },
    { "multipart/form-data; boundary=\"\xE5\x8F\xB0\"", "" },
    { "multipart/form-data; boundary=abc; boundary=def", "" },
    { "multipart/form-data; junk; boundary=abc", "" },
    { "multipart/form-data; =x; boundary=abc", "" },
    { "multipart/form-data boundary=abc", "" },
    { "multipart/form-data; boundary=abc def", "" },
    { "multipart/mixed; boundary=abc", "" },
    { "multipart/form-dataX; boundary=abc", "" },
    { "multipart/form-dat; boundary=abc", "" },
    { "text/plain; boundary=abc", "" },
    { "application/x-www-form-urlencoded", "" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < N_ITEMS(cases); i++) {
    struct str b = form_boundary(cases[i].ct);
    size_t want_len = strlen(cases[i].want);
    if(b.len != want_len ||
       (want_len && memcmp(b.p, cases[i].want, want_len) != 0)) {
      print_error("case %zu: %s\n  got  %.*s\n  want %s\n", i,
                  cases[i].ct ? cases[i].ct : "(null)", (int)b.len,
                  b.p ? b.p : "", cases[i].want);
    }
    assert_int_equal(b.len, want_len);
    assert_non_null(b.p);
    if(want_len) {
      /* a view into content_type */
      assert_true(b.p >= cases[i].ct);
      assert_true(b.p + b.len <= cases[i].ct + strlen(cases[i].ct));
      assert_memory_equal(b.p, cases[i].want, want_len);
    }
  }
}

/*
 * Run form_parse_multipart() over a copy of in[0..len) with boundary and
 * max and append the description to out.
 */
static void render_multipart(struct buf *out, const char *in, size_t len,
                             const char *boundary, size_t max)
{
  char *copy = xmalloc(len);
  struct param *params = NULL;
  struct upload *uploads = NULL;
  size_t n_params = 0, n_uploads = 0, i;
  struct arena a;
  enum status st;

  if(len) {
    memcpy(copy, in, len);
  }
  arena_init(&a, 1 << 20);
  st = form_parse_multipart((struct str){ copy, len }, str_c(boundary), &a,
                            &params, &n_params, &uploads, &n_uploads, max);
  if(st) {
    assert_null(params);
    assert_null(uploads);
    assert_int_equal(n_params, 0);
    assert_int_equal(n_uploads, 0);
    buf_appendf(out, "!%s", status_name(st));
  }
  else {
    assert_true(n_params + n_uploads <= max);
    put_params(out, params, n_params);
    for(i = 0; i < n_uploads; i++) {
      /* the data is a view into the input, not a copy */
      assert_true(uploads[i].data.p >= copy);
      assert_true(uploads[i].data.p + uploads[i].data.len <= copy + len);
      buf_putc(out, '{');
      put_visible(out, uploads[i].name, strlen(uploads[i].name));
      buf_putc(out, '|');
      put_visible(out, uploads[i].filename, strlen(uploads[i].filename));
      buf_putc(out, '|');
      put_visible(out, uploads[i].data.p, uploads[i].data.len);
      buf_putc(out, '}');
    }
  }
  assert_memory_equal(copy, in, len);
  arena_reset(&a);
  free(copy);
}

/* Content-Disposition header line for field name (a literal). */
#define CD(name) "Content-Disposition: form-data; name=\"" name "\"\r\n"

/* A text part with boundary XyZ. */
#define TEXT(name, value) "--XyZ\r\n" CD(name) "\r\n" value "\r\n"

#define END "--XyZ--\r\n"

static void test_multipart_table(void **state)
{
  static const struct {
    const char *in;       /* body bytes */
    size_t len;           /* their number */
    const char *boundary; /* boundary passed in */
    size_t max;           /* max passed in */
    const char *want;     /* render_multipart() output */
  } cases[] = {
    /* two text fields and a file with CR LF and fake "--" inside */
    { S(TEXT("title", "Hello") TEXT(
        "notes",
        "line1\r\nline2") "--XyZ\r\n"
                          "Content-Disposition: form-data; name=\"file\"; "
                          "filename=\"a.bin\"\r\n"
                          "Content-Type: application/octet-stream\r\n"
                          "\r\n"
                          "\0\x01\r\n--\r\n--XY\r\nab--XyZ\r\n-"
                          "\xFF\xFE\r\n" END),
      "XyZ", 8,
      "[title=Hello][notes=line1\\r\\nline2]"
      "{file|a.bin|\\0\x01\\r\\n--\\r\\n--XY\\r\\nab--XyZ\\r\\n-\xFF\xFE}" },
    /* the empty form */
    { S(END), "XyZ", 8, "" },
    { S("--XyZ--"), "XyZ", 8, "" },
    /* quoted and unquoted names; case of header and parameter names */
    { S("--XyZ\r\nContent-Disposition: form-data; "
        "name=plain\r\n\r\nv\r\n" END),
      "XyZ", 8, "[plain=v]" },
    { S("--XyZ\r\ncontent-disposition: FORM-DATA; "
        "NAME=\"a\"\r\n\r\nv\r\n" END),
      "XyZ", 8, "[a=v]" },
    { S("--XyZ\r\nCONTENT-DISPOSITION:form-data;name=a\r\n\r\nv\r\n" END),
      "XyZ", 8, "[a=v]" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"a;b "
        "c\"\r\n\r\nv\r\n" END),
      "XyZ", 8, "[a;b c=v]" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"q\\\"x\\\\\"\r\n"
        "\r\nv\r\n" END),
      "XyZ", 8, "[q\"x\\=v]" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n" END),
      "XyZ", 8, "[=v]" },
    { S("--XyZ\r\nContent-Disposition: form-data ; name = \"a\" ; \r\n"
        "\r\nv\r\n" END),
      "XyZ", 8, "[a=v]" },
    /* other headers are ignored, in any order */
    { S("--XyZ\r\nContent-Type: text/plain; charset=utf-8\r\n" CD(
        "a") "X-Other:\r\n\r\nv\r\n" END),
      "XyZ", 8, "[a=v]" },
    /* empty values and repeated names */
    { S(TEXT("a", "") END), "XyZ", 8, "[a=]" },
    { S(TEXT("a", "1") TEXT("a", "2") END), "XyZ", 8, "[a=1][a=2]" },
    /* files: empty filename skipped, names quoted, paths kept */
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
        "filename=\"\"\r\nContent-Type: application/octet-stream\r\n"
        "\r\n\r\n" TEXT("a", "1") END),
      "XyZ", 8, "[a=1]" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=f; filename=\r\n"
        "\r\n\r\n" END),
      "XyZ", 8, "" },
    { S("--XyZ\r\nContent-Disposition: form-data; filename=\"r.txt\"; "
        "name=\"f\"\r\n\r\nabc\r\n" END),
      "XyZ", 8, "{f|r.txt|abc}" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
        "filename=\"C:\\dir\\a \\\"b\\\".txt\"\r\n\r\n\r\n" END),
      "XyZ", 8, "{f|C:\\dir\\a \"b\".txt|}" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
        "filename=\"\xE5\x8F\xB0.pdf\"\r\n\r\n%PDF\r\n" END),
      "XyZ", 8, "{f|\xE5\x8F\xB0.pdf|%PDF}" },
    /* filename* is ignored: the part is a text field */
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
        "filename*=UTF-8''a%20b.txt\r\n\r\ntext\r\n" END),
      "XyZ", 8, "[f=text]" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
        "filename*=UTF-8''x; filename=\"y\"\r\n\r\nd\r\n" END),
      "XyZ", 8, "{f|y|d}" },
    /* preamble and epilogue */
    { S("This is a preamble.\r\n" TEXT("a", "1") END), "XyZ", 8, "[a=1]" },
    { S("\r\n" TEXT("a", "1") END), "XyZ", 8, "[a=1]" },
    { S(TEXT("a", "1") "--XyZ--\r\nepilogue\r\n--XyZ\r\njunk"), "XyZ", 8,
      "[a=1]" },
    /* transport padding after the boundary */
    { S("--XyZ \t\r\n" CD("a") "\r\n1\r\n--XyZ  \r\n" CD("b") "\r\n2\r\n" END),
      "XyZ", 8, "[a=1][b=2]" },
    /* CJK, NUL and controls in a text value */
    { S(TEXT("name", "\xE5\x8F\xB0\xE5\x8C\x97\xE8\x87\xBA") END), "XyZ", 8,
      "[name=\xE5\x8F\xB0\xE5\x8C\x97\xE8\x87\xBA]" },
    { S(TEXT("\xE5\x90\x8D", "v") END), "XyZ", 8, "[\xE5\x90\x8D=v]" },
    { S(TEXT("a", "x\0y") END), "XyZ", 8, "[a=x\\0y]" },
    /* a boundary that looks like a header value */
    { S("--a b:c\r\n" CD("a") "\r\n1\r\n--a b:c--"), "a b:c", 8, "[a=1]" },
    /* invalid UTF-8: in text values, names and filenames */
    { S(TEXT("a", "\xFF") END), "XyZ", 8, "!invalid" },
    { S(TEXT("a", "ok\xE5\x8F") END), "XyZ", 8, "!invalid" },
    { S(TEXT("a", "\xC0\x80") END), "XyZ", 8, "!invalid" },
    { S(TEXT("\xFF", "v") END), "XyZ", 8, "!invalid" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
        "filename=\"\xFF\"\r\n\r\nd\r\n" END),
      "XyZ", 8, "!invalid" },
    /* missing final boundary */
    { S(TEXT("a", "1")), "XyZ", 8, "!invalid" },
    { S("--XyZ\r\n" CD("a") "\r\n1"), "XyZ", 8, "!invalid" },
    { S(TEXT("a", "1") "--XyZ"), "XyZ", 8, "!invalid" },
    { S(TEXT("a", "1") "--XyZ-"), "XyZ", 8, "!invalid" },
    { S(TEXT("a", "1") "--XyZ\r\n"), "XyZ", 8, "!invalid" },
    { S("--XyZ"), "XyZ", 8, "!invalid" },
    { S("--XyZ\r\n"), "XyZ", 8, "!invalid" },
    /* no boundary at all, or the wrong one */
    { S(""), "XyZ", 8, "!invalid" },
    { S("a=1"), "XyZ", 8, "!invalid" },
    { S(TEXT("a", "1") END), "Other", 8, "!invalid" },
    { S(TEXT("a", "1") END), "", 8, "!invalid" },
    /* text glued to the boundary is all preamble up to the close delimiter */
    { S("preamble--XyZ\r\n" CD("a") "\r\n1\r\n" END), "XyZ", 8, "" },
    /* the boundary followed by something else */
    { S("--XyZx\r\n" CD("a") "\r\n1\r\n" END), "XyZ", 8, "!invalid" },
    { S("--XyZ\n" CD("a") "\r\n1\r\n" END), "XyZ", 8, "!invalid" },
    { S("--XyZ\r\r\n" CD("a") "\r\n1\r\n" END), "XyZ", 8, "!invalid" },
    { S(TEXT("a", "1") "--XyZ-x\r\n"), "XyZ", 8, "!invalid" },
    /* Content-Disposition missing, duplicated or malformed */
    { S("--XyZ\r\n\r\nv\r\n" END), "XyZ", 8, "!invalid" },
    { S("--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n" END), "XyZ", 8,
      "!invalid" },
    { S("--XyZ\r\n" CD("a") CD("b") "\r\nv\r\n" END), "XyZ", 8, "!invalid" },
    { S("--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n" END), "XyZ", 8,
      "!invalid" },
    { S("--XyZ\r\nContent-Disposition: attachment; "
        "name=\"a\"\r\n\r\nv\r\n" END),
      "XyZ", 8, "!invalid" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n" END),
      "XyZ", 8, "!invalid" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n"
        "\r\nv\r\n" END),
      "XyZ", 8, "!invalid" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=x; "
        "filename=y\r\n\r\nv\r\n" END),
      "XyZ", 8, "!invalid" },
    { S("--XyZ\r\nContent-Disposition: form-data; name\r\n\r\nv\r\n" END),
      "XyZ", 8, "!invalid" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"a\" x\r\n"
        "\r\nv\r\n" END),
      "XyZ", 8, "!invalid" },
    { S("--XyZ\r\nContent-Disposition: form-data; =a\r\n\r\nv\r\n" END), "XyZ",
      8, "!invalid" },
    /* bad header lines */
    { S("--XyZ\r\n" CD("a") "no colon\r\n\r\nv\r\n" END), "XyZ", 8,
      "!invalid" },
    { S("--XyZ\r\n" CD("a") ": empty name\r\n\r\nv\r\n" END), "XyZ", 8,
      "!invalid" },
    { S("--XyZ\r\n" CD("a") " folded: x\r\n\r\nv\r\n" END), "XyZ", 8,
      "!invalid" },
    { S("--XyZ\r\n" CD("a") "X\tA: x\r\n\r\nv\r\n" END), "XyZ", 8,
      "!invalid" },
    { S("--XyZ\r\n" CD("a") "X-A: b\0c\r\n\r\nv\r\n" END), "XyZ", 8,
      "!invalid" },
    { S("--XyZ\r\n" CD("a") "X-A: b\nc\r\n\r\nv\r\n" END), "XyZ", 8,
      "!invalid" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"a\x7f\"\r\n"
        "\r\nv\r\n" END),
      "XyZ", 8, "!invalid" },
    /* header section without its blank line */
    { S("--XyZ\r\n" CD("a") END), "XyZ", 8, "!invalid" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n--XyZ--"),
      "XyZ", 8, "!invalid" },
    { S("--XyZ\r\n\r\n--XyZ--"), "XyZ", 8, "!invalid" },
    /* the max count of params and uploads together */
    { S(TEXT("a", "1") TEXT(
        "b",
        "2") "--XyZ\r\nContent-Disposition: form-data; name=f; filename=x\r\n"
             "\r\nd\r\n" END),
      "XyZ", 3, "[a=1][b=2]{f|x|d}" },
    { S(TEXT("a", "1") TEXT(
        "b",
        "2") "--XyZ\r\nContent-Disposition: form-data; name=f; filename=x\r\n"
             "\r\nd\r\n" END),
      "XyZ", 2, "!too_big" },
    { S(TEXT("a", "1") TEXT("b", "2") TEXT("c", "3") END), "XyZ", 2,
      "!too_big" },
    { S("--XyZ\r\nContent-Disposition: form-data; name=f; filename=\"\"\r\n"
        "\r\n\r\n" TEXT("a", "1") END),
      "XyZ", 1, "[a=1]" },
    { S(TEXT("a", "1") END), "XyZ", 0, "!too_big" },
    { S(END), "XyZ", 0, "" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < N_ITEMS(cases); i++) {
    struct buf out;
    buf_init(&out, 1 << 16);
    render_multipart(&out, cases[i].in, cases[i].len, cases[i].boundary,
                     cases[i].max);
    if(strcmp(out.data, cases[i].want) != 0) {
      print_error("case %zu:\n  got  %s\n  want %s\n", i, out.data,
                  cases[i].want);
    }
    assert_string_equal(out.data, cases[i].want);
    buf_free(&out);
  }
}

/* Header lines: 1024 bytes is the limit, 1025 is refused. */
static void test_multipart_header_line_max(void **state)
{
  static const size_t lens[] = { 1023, 1024, 1025, 4000 };
  size_t i;

  (void)state;
  for(i = 0; i < N_ITEMS(lens); i++) {
    struct buf in, out;
    size_t line_len = 0;

    buf_init(&in, 1 << 16);
    buf_init(&out, 1 << 16);
    buf_puts(&in, "--XyZ\r\n" CD("a") "X-Pad: ");
    line_len = strlen("X-Pad: ");
    while(line_len < lens[i]) {
      buf_putc(&in, 'p');
      line_len++;
    }
    buf_puts(&in, "\r\n\r\nv\r\n" END);
    render_multipart(&out, in.data, in.len, "XyZ", 8);
    assert_string_equal(out.data, lens[i] <= 1024 ? "[a=v]" : "!invalid");
    buf_free(&in);
    buf_free(&out);
  }
}

/* Boundaries of 1 and 70 bytes work; 71 is refused. */
static void test_multipart_boundary_len(void **state)
{
  static const size_t lens[] = { 1, 70, 71 };
  size_t i, j;

  (void)state;
  for(i = 0; i < N_ITEMS(lens); i++) {
    struct buf b, in, out;

    buf_init(&b, 1024);
    buf_init(&in, 1 << 16);
    buf_init(&out, 1 << 16);
    for(j = 0; j < lens[i]; j++) {
      buf_putc(&b, 'b');
    }
    buf_appendf(&in, "--%s\r\n" CD("a") "\r\nv\r\n--%s--", b.data, b.data);
    render_multipart(&out, in.data, in.len, b.data, 8);
    assert_string_equal(out.data, lens[i] <= 70 ? "[a=v]" : "!invalid");
    buf_free(&b);
    buf_free(&in);
    buf_free(&out);
  }
}

/* Params and uploads are appended to arrays the caller already holds. */
static void test_multipart_append(void **state)
{
  static const char body[] = TEXT(
    "b", "2") "--XyZ\r\nContent-Disposition: form-data; name=f; filename=x\r\n"
              "\r\nd\r\n" END;
  struct param *params = NULL, *first;
  struct upload *uploads = NULL;
  size_t n_params = 0, n_uploads = 0;
  struct arena a;

  (void)state;
  arena_init(&a, 1 << 16);
  assert_int_equal(
    form_parse_urlencoded((struct str){ S("a=1") }, &a, &params, &n_params, 3),
    ST_OK);
  first = params;
  /* 1 + 2 > 2: refused, nothing changed */
  assert_int_equal(form_parse_multipart((struct str){ S(body) }, str_c("XyZ"),
                                        &a, &params, &n_params, &uploads,
                                        &n_uploads, 2),
                   ST_TOOBIG);
  assert_ptr_equal(params, first);
  assert_int_equal(n_params, 1);
  assert_null(uploads);
  assert_int_equal(n_uploads, 0);
  /* 1 + 2 == 3 */
  assert_int_equal(form_parse_multipart((struct str){ S(body) }, str_c("XyZ"),
                                        &a, &params, &n_params, &uploads,
                                        &n_uploads, 3),
                   ST_OK);
  assert_int_equal(n_params, 2);
  assert_int_equal(n_uploads, 1);
  assert_string_equal(params[0].name, "a");
  assert_string_equal(params[1].name, "b");
  assert_string_equal(params[1].value, "2");
  assert_string_equal(uploads[0].filename, "x");
  /* the caller already holds more than max */
  assert_int_equal(form_parse_multipart((struct str){ S(END) }, str_c("XyZ"),
                                        &a, &params, &n_params, &uploads,
                                        &n_uploads, 2),
                   ST_TOOBIG);
  arena_reset(&a);
}

/*
 * Failure injection: the nth arena allocation fails for n = 1, 2, ...
 * until the parse succeeds.  Each failure is ST_TOOBIG and leaves the
 * caller's arrays alone.
 */
static void test_fail_after(void **state)
{
  static const char form[] = "a=1&b=%E5%8F%B0&c&d=x+y";
  static const char cookies[] = "a=1; b=\"2\"; junk; c=3";
  static const char body[] = TEXT("a", "1") TEXT(
    "b",
    "\xE5\x8F\xB0") "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
                    "filename=\"x.bin\"\r\n\r\n\x01\x02\r\n" END;
  int which;

  (void)state;
  for(which = 0; which < 3; which++) {
    long nth;
    int ok = 0;
    for(nth = 1; nth < 100 && !ok; nth++) {
      struct param *params = NULL;
      struct upload *uploads = NULL;
      size_t n_params = 0, n_uploads = 0;
      struct arena a;
      enum status st;

      arena_init(&a, 1 << 16);
      arena_fail_after(&a, nth);
      if(which == 0) {
        st = form_parse_urlencoded((struct str){ S(form) }, &a, &params,
                                   &n_params, 8);
      }
      else if(which == 1) {
        st = form_parse_cookies((struct str){ S(cookies) }, &a, &params,
                                &n_params, 8);
      }
      else {
        st = form_parse_multipart((struct str){ S(body) }, str_c("XyZ"), &a,
                                  &params, &n_params, &uploads, &n_uploads, 8);
      }
      if(st == ST_OK) {
        ok = 1;
        assert_int_equal(n_params, which == 1 ? 3 : (which == 0 ? 4 : 2));
        assert_int_equal(n_uploads, which == 2 ? 1 : 0);
      }
      else {
        assert_int_equal(st, ST_TOOBIG);
        assert_null(params);
        assert_null(uploads);
        assert_int_equal(n_params, 0);
        assert_int_equal(n_uploads, 0);
      }
      arena_reset(&a);
    }
    assert_true(ok);
    assert_true(nth > 2); /* at least one failure was injected */
  }
}

/* Reaching the arena cap half-way gives ST_TOOBIG, not a crash or a
 * partial result. */
static void test_arena_cap(void **state)
{
  struct param *params = NULL;
  size_t n = 0;
  struct arena a;
  struct buf in;
  size_t i;

  (void)state;
  buf_init(&in, 1 << 20);
  for(i = 0; i < 2000; i++) {
    buf_appendf(&in, "%skey%zu=value%zu", i ? "&" : "", i, i);
  }
  /* the array of 2000 params fits, the copies of the strings do not */
  arena_init(&a, 1 << 16);
  assert_int_equal(form_parse_urlencoded((struct str){ in.data, in.len }, &a,
                                         &params, &n, 5000),
                   ST_TOOBIG);
  assert_true(a.used > 2000 * sizeof(struct param)); /* failed half-way */
  assert_null(params);
  assert_int_equal(n, 0);
  arena_reset(&a);
  buf_clear(&in);
  for(i = 0; i < 2000; i++) {
    buf_appendf(&in, "%sk%zu=v", i ? "; " : "", i);
  }
  assert_int_equal(
    form_parse_cookies((struct str){ in.data, in.len }, &a, &params, &n, 5000),
    ST_TOOBIG);
  assert_true(a.used > 2000 * sizeof(struct param));
  assert_null(params);
  arena_reset(&a);
  buf_free(&in);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_urlencoded_table),
    cmocka_unit_test(test_urlencoded_nul_len),
    cmocka_unit_test(test_urlencoded_append),
    cmocka_unit_test(test_urlencoded_many),
    cmocka_unit_test(test_cookies_table),
    cmocka_unit_test(test_boundary_table),
    cmocka_unit_test(test_multipart_table),
    cmocka_unit_test(test_multipart_header_line_max),
    cmocka_unit_test(test_multipart_boundary_len),
    cmocka_unit_test(test_multipart_append),
    cmocka_unit_test(test_fail_after),
    cmocka_unit_test(test_arena_cap),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
