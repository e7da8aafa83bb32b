/*
 * test_qr.c: unit tests for auth/qr.c.  With no QR decoder at hand, the
 * test encodes the same text with libqrencode itself and checks that the
 * SVG path, parsed back, paints exactly the dark modules.  Depends on
 * cmocka, auth/qr, auth/totp (for a real otpauth:// URI), core/buf and
 * libqrencode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "auth/qr.h"
#include "auth/totp.h"

/* The unsigned number after the first occurrence of key in s, or -1. */
static long attr_num(const char *s, const char *key)
{
  const char *p = strstr(s, key);
  char *end;
  long v;

  if(!p) {
    return -1;
  }
  v = strtol(p + strlen(key), &end, 10);
  return end == p + strlen(key) ? -1 : v;
}

/* Parse one decimal number at *p (optionally negative); advance *p. */
static long number(const char **p)
{
  char *end;
  long v = strtol(*p, &end, 10);

  assert_true(end != *p);
  *p = end;
  return v;
}

/*
 * Parse the d attribute of svg (commands "Mx yhNv1h-Nz" only) into grid,
 * an n * n array of counts; fails the test on any other syntax, on a run
 * outside the image and on a module painted twice.
 */
static void paint_path(const char *svg, unsigned char *grid, long n)
{
  const char *p = strstr(svg, " d=\"");
  long runs = 0;

  assert_non_null(p);
  p += 4;
  while(*p != '"') {
    long x, y, w, back, i;

    assert_int_equal(*p++, 'M');
    x = number(&p);
    assert_int_equal(*p++, ' ');
    y = number(&p);
    assert_int_equal(*p++, 'h');
    w = number(&p);
    assert_int_equal(*p++, 'v');
    assert_int_equal(*p++, '1');
    assert_int_equal(*p++, 'h');
    back = number(&p);
    assert_int_equal(*p++, 'z');
    assert_true(back == -w);
    assert_true(w >= 1);
    assert_true(x >= 0 && y >= 0 && x + w <= n && y < n);
    for(i = 0; i < w; i++) {
      assert_int_equal(grid[y * n + x + i], 0);
      grid[y * n + x + i] = 1;
    }
    runs++;
  }
  assert_true(runs > 0);
}

/* Check the SVG of text at scale against libqrencode's own symbol. */
static void check_svg(const char *text, unsigned scale)
{
  QRcode *q = QRcode_encodeData((int)strlen(text), (const unsigned char *)text,
                                0, QR_ECLEVEL_M);
  struct buf b;
  unsigned char *grid;
  long n, x, y;

  assert_non_null(q);
  buf_init(&b, 1 << 20);
  assert_int_equal(qr_svg(&b, text, scale, "QR code"), ST_OK);
  /* well-formed outline */
  assert_int_equal(strncmp(b.data, "<svg ", 5), 0);
  assert_true(b.len > 6);
  assert_string_equal(b.data + b.len - 6, "</svg>");
  assert_null(strstr(b.data, "<?xml"));
  assert_non_null(strstr(b.data, "shape-rendering=\"crispEdges\""));
  assert_non_null(strstr(b.data, "role=\"img\""));
  /* exactly one path */
  assert_non_null(strstr(b.data, "<path "));
  assert_null(strstr(strstr(b.data, "<path ") + 1, "<path "));
  /* sizes */
  n = q->width + 2 * QR_QUIET_MODULES;
  assert_int_equal(attr_num(b.data, " width=\""), n * (long)scale);
  assert_int_equal(attr_num(b.data, " height=\""), n * (long)scale);
  assert_int_equal(attr_num(b.data, " viewBox=\"0 0 "), n);
  /* every dark module painted, no light one, nothing in the quiet zone */
  grid = calloc((size_t)(n * n), 1);
  assert_non_null(grid);
  paint_path(b.data, grid, n);
  for(y = 0; y < n; y++) {
    for(x = 0; x < n; x++) {
      long qx = x - QR_QUIET_MODULES, qy = y - QR_QUIET_MODULES;
      int dark = qx >= 0 && qy >= 0 && qx < q->width && qy < q->width &&
                 (q->data[qy * q->width + qx] & 1);
      if(grid[y * n + x] != dark) {
        print_error("%s: module %ld,%ld is %d, want %d\n", text, x, y,
                    grid[y * n + x], dark);
      }
      assert_int_equal(grid[y * n + x], dark);
    }
  }
  free(grid);
  buf_free(&b);
  QRcode_free(q);
}

static void test_qr_modules(void **state)
{
  struct buf uri;
  unsigned char secret[TOTP_SECRET_BYTES];

  (void)state;
  check_svg("HELLO", 4);
  check_svg("a", 1);
  check_svg("資訊安全管理系統", 3);
  totp_secret_new(secret);
  buf_init(&uri, 1024);
  totp_uri(&uri, "資安管理", "alice@example.com", secret, sizeof(secret));
  assert_int_equal(uri.err, ST_OK);
  check_svg(uri.data, 5);
  buf_free(&uri);
}

/* 2331 bytes fit version 40 at level M; one more does not. */
static void test_qr_capacity(void **state)
{
  char *text = malloc(5001);
  struct buf b;

  (void)state;
  assert_non_null(text);
  memset(text, 'x', 5000);
  text[5000] = 0;
  buf_init(&b, 1 << 20);
  assert_int_equal(qr_svg(&b, text, 1, "too long"), ST_TOOBIG);
  assert_int_equal(b.len, 0);
  text[2332] = 0;
  assert_int_equal(qr_svg(&b, text, 1, "one over"), ST_TOOBIG);
  assert_int_equal(b.len, 0);
  text[2331] = 0;
  assert_int_equal(qr_svg(&b, text, 1, "version 40"), ST_OK);
  assert_int_equal(attr_num(b.data, " viewBox=\"0 0 "), 177 + 8);
  buf_free(&b);
  free(text);
}

static void test_qr_aria_escaped(void **state)
{
  struct buf b;

  (void)state;
  buf_init(&b, 1 << 20);
  assert_int_equal(qr_svg(&b, "x", 2, "\"<script>&'"), ST_OK);
  assert_non_null(
    strstr(b.data, " aria-label=\"&quot;&lt;script&gt;&amp;&#39;\""));
  assert_null(strstr(b.data, "<script"));
  assert_null(strstr(b.data, "'"));
  buf_clear(&b);
  assert_int_equal(qr_svg(&b, "x", 2, "掃描 QR 碼"), ST_OK);
  assert_non_null(strstr(b.data, " aria-label=\"掃描 QR 碼\""));
  buf_free(&b);
}

static void test_qr_invalid(void **state)
{
  struct buf b;

  (void)state;
  buf_init(&b, 1 << 20);
  assert_int_equal(qr_svg(&b, NULL, 4, "x"), ST_INVALID);
  assert_int_equal(qr_svg(&b, "", 4, "x"), ST_INVALID);
  assert_int_equal(qr_svg(&b, "x", 0, "x"), ST_INVALID);
  assert_int_equal(qr_svg(&b, "x", QR_MAX_SCALE + 1, "x"), ST_INVALID);
  assert_int_equal(qr_svg(&b, "x", 4, NULL), ST_INVALID);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.err, ST_OK);
  assert_int_equal(qr_svg(&b, "x", QR_MAX_SCALE, ""), ST_OK);
  assert_int_equal(attr_num(b.data, " width=\""), (21 + 8) * QR_MAX_SCALE);
  buf_free(&b);
  /* the buffer's cap is reported, and stays sticky */
  buf_init(&b, 100);
  assert_int_equal(qr_svg(&b, "x", 4, "x"), ST_TOOBIG);
  assert_int_equal(qr_svg(&b, "x", 4, "x"), ST_TOOBIG);
  buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_qr_modules),
    cmocka_unit_test(test_qr_capacity),
    cmocka_unit_test(test_qr_aria_escaped),
    cmocka_unit_test(test_qr_invalid),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
