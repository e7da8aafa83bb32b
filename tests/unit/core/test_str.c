/*
 * test_str.c: unit tests for core/str.c (views, trimming, checked number
 * parsing).  Depends on cmocka and core/{str,mem}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/str.h"
#include "../exact.h"

static void test_str_to_i64_table(void **state)
{
  static const struct {
    const char *in;   /* text */
    int64_t min, max; /* allowed range */
    enum status st;   /* expected status */
    int64_t out;      /* expected value when ST_OK */
  } cases[] = {
    { "0", INT64_MIN, INT64_MAX, ST_OK, 0 },
    { "-0", INT64_MIN, INT64_MAX, ST_OK, 0 },
    { "+0", INT64_MIN, INT64_MAX, ST_OK, 0 },
    { "123", INT64_MIN, INT64_MAX, ST_OK, 123 },
    { "+5", INT64_MIN, INT64_MAX, ST_OK, 5 },
    { "-5", INT64_MIN, INT64_MAX, ST_OK, -5 },
    { "01", INT64_MIN, INT64_MAX, ST_OK, 1 }, /* leading zeros are decimal */
    { "007", INT64_MIN, INT64_MAX, ST_OK, 7 },
    { "9223372036854775807", INT64_MIN, INT64_MAX, ST_OK, INT64_MAX },
    { "-9223372036854775808", INT64_MIN, INT64_MAX, ST_OK, INT64_MIN },
    { "+9223372036854775807", INT64_MIN, INT64_MAX, ST_OK, INT64_MAX },
    { "-9223372036854775807", INT64_MIN, INT64_MAX, ST_OK, -INT64_MAX },
    { "00000000000000000000009223372036854775807", INT64_MIN, INT64_MAX, ST_OK,
      INT64_MAX },
    /* overflow by one, and far */
    { "9223372036854775808", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "-9223372036854775809", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "9223372036854775810", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "18446744073709551616", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "99999999999999999999999", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    /* not a number */
    { "", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "+", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "-", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { " 1", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "1 ", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "1a", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "0x10", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "--1", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "+-1", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "1.0", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "1e3", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    { "１", INT64_MIN, INT64_MAX, ST_INVALID, 0 }, /* full-width digit */
    { "\t1", INT64_MIN, INT64_MAX, ST_INVALID, 0 },
    /* range limits */
    { "4", 0, 4, ST_OK, 4 },
    { "0", 0, 4, ST_OK, 0 },
    { "5", 0, 4, ST_INVALID, 0 },
    { "-1", 0, 4, ST_INVALID, 0 },
    { "-10", -10, -5, ST_OK, -10 },
    { "-4", -10, -5, ST_INVALID, 0 },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct str s = exact(cases[i].in, strlen(cases[i].in));
    int64_t out = 77;
    enum status st = str_to_i64(s, cases[i].min, cases[i].max, &out);
    if(st != cases[i].st) {
      print_error("case %zu \"%s\": status %d\n", i, cases[i].in, st);
    }
    assert_int_equal(st, cases[i].st);
    if(st == ST_OK) {
      assert_true(out == cases[i].out);
    }
    else {
      assert_true(out == 77); /* untouched on failure */
    }
    exact_free(s);
  }
}

/* Only len bytes are parsed, whatever follows them. */
static void test_str_to_i64_view(void **state)
{
  int64_t out = 0;

  (void)state;
  assert_int_equal(
    str_to_i64((struct str){ "123456", 3 }, INT64_MIN, INT64_MAX, &out),
    ST_OK);
  assert_true(out == 123);
  assert_int_equal(str_to_i64((struct str){ "12x", 2 }, 0, 100, &out), ST_OK);
  assert_true(out == 12);
  assert_int_equal(str_to_i64((struct str){ NULL, 0 }, 0, 100, &out),
                   ST_INVALID);
}

static void test_str_to_double_table(void **state)
{
  static const struct {
    const char *in; /* text */
    enum status st; /* expected status */
    double out;     /* expected value when ST_OK */
  } cases[] = {
    { "99.97", ST_OK, 99.97 },     { "-1", ST_OK, -1.0 },
    { "0.5", ST_OK, 0.5 },         { "0", ST_OK, 0.0 },
    { "+2", ST_OK, 2.0 },          { "10.", ST_OK, 10.0 },
    { "-0.25", ST_OK, -0.25 },     { "123456789", ST_OK, 123456789.0 },
    { "1e3", ST_OK, 1000.0 },      { "1E3", ST_OK, 1000.0 },
    { "1e-05", ST_OK, 1e-05 },     { "2.5e+20", ST_OK, 2.5e20 },
    { "1e", ST_INVALID, 0 },       { "e5", ST_INVALID, 0 },
    { "1e-", ST_INVALID, 0 },      { "1e5x", ST_INVALID, 0 },
    { "1e5.5", ST_INVALID, 0 },    { "1e999", ST_INVALID, 0 },
    { "nan", ST_INVALID, 0 },      { "NaN", ST_INVALID, 0 },
    { "inf", ST_INVALID, 0 },      { "-inf", ST_INVALID, 0 },
    { "infinity", ST_INVALID, 0 }, { ".", ST_INVALID, 0 },
    { "-.", ST_INVALID, 0 },       { "", ST_INVALID, 0 },
    { "+", ST_INVALID, 0 },        { "-", ST_INVALID, 0 },
    { "1.2.3", ST_INVALID, 0 },    { "1..2", ST_INVALID, 0 },
    { " 1", ST_INVALID, 0 },       { "1 ", ST_INVALID, 0 },
    { "0x1p3", ST_INVALID, 0 },    { "0x10", ST_INVALID, 0 },
    { "1,5", ST_INVALID, 0 },      { "--1", ST_INVALID, 0 },
    { "1-", ST_INVALID, 0 },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct str s = exact(cases[i].in, strlen(cases[i].in));
    double out = 77.0;
    enum status st = str_to_double(s, &out);
    if(st != cases[i].st) {
      print_error("case %zu \"%s\": status %d\n", i, cases[i].in, st);
    }
    assert_int_equal(st, cases[i].st);
    if(st == ST_OK) {
      assert_true(out == cases[i].out);
    }
    else {
      assert_true(out == 77.0);
    }
    exact_free(s);
  }
  /* only len bytes are parsed */
  {
    double out = 0;
    assert_int_equal(str_to_double((struct str){ "1.25e9", 4 }, &out), ST_OK);
    assert_true(out == 1.25);
  }
}

static void test_str_trim_table(void **state)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "", "" },
    { "x", "x" },
    { "  a  ", "a" },
    { "\t\r\n a b \v\f", "a b" },
    { "   ", "" },
    { "a\n", "a" },
    { "\na", "a" },
    { " 台北 ", "台北" },
    { "\xE3\x80\x80x", "\xE3\x80\x80x" }, /* only ASCII white space */
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct str s = exact(cases[i].in, strlen(cases[i].in));
    struct str t = str_trim(s);
    assert_true(str_eq_c(t, cases[i].out));
    /* a view into the input, not a copy */
    assert_true(t.len == 0 || (t.p >= s.p && t.p + t.len <= s.p + s.len));
    exact_free(s);
  }
}

static void test_str_blank_table(void **state)
{
  static const struct {
    const char *in;
    int blank;
  } cases[] = {
    { "", 1 },
    { " \t\r\n\v\f", 1 },
    { "\xE3\x80\x80", 1 },                       /* U+3000 */
    { " \xE3\x80\x80\xC2\xA0\xE3\x80\x80 ", 1 }, /* mixed */
    { "\xC2\xA0", 1 },                           /* U+00A0 */
    { "x", 0 },
    { "\xE3\x80\x80x", 0 },
    { "x\xE3\x80\x80", 0 },
    { "\xE3\x80", 0 },     /* cut short */
    { "\xE3\x80\x81", 0 }, /* U+3001 、 is text */
    { "\xC2", 0 },
    { "\xC2\xA1", 0 }, /* U+00A1 */
    { "\xE3\x80\x80\xE3\x80", 0 },
    { "台", 0 },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    /* exact(): a read past the end is ASan's to find */
    struct str s = exact(cases[i].in, strlen(cases[i].in));
    assert_int_equal(str_blank(s), cases[i].blank);
    exact_free(s);
  }
}

static void test_str_compare(void **state)
{
  (void)state;
  assert_int_equal(str_c(NULL).len, 0);
  assert_int_equal(str_c("abc").len, 3);
  assert_true(str_eq(str_c("abc"), (struct str){ "abcd", 3 }));
  assert_false(str_eq(str_c("abc"), str_c("abd")));
  assert_false(str_eq(str_c("abc"), str_c("ab")));
  assert_true(str_eq((struct str){ NULL, 0 }, str_c("")));
  assert_true(str_eq_c((struct str){ "a\0b", 3 }, "a") == 0);
  assert_true(str_eq_c(str_c("x"), "x"));
  assert_true(str_starts_c(str_c("prefix-rest"), "prefix"));
  assert_true(str_starts_c(str_c("abc"), ""));
  assert_false(str_starts_c(str_c("pre"), "prefix"));
  assert_false(str_starts_c((struct str){ "prefix", 3 }, "prefix"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_str_to_i64_table),
    cmocka_unit_test(test_str_to_i64_view),
    cmocka_unit_test(test_str_to_double_table),
    cmocka_unit_test(test_str_trim_table),
    cmocka_unit_test(test_str_blank_table),
    cmocka_unit_test(test_str_compare),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
