/*
 * test_time.c: unit tests for core/time.c (date parsing, ROC dates, the
 * UTC storage form, Asia/Taipei display and its inverse, month periods
 * under 行政程序法 §48).  Depends on cmocka and
 * core/{time,buf,str}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/time.h"

/* A string literal and its length, so cases can hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

static void test_time_leap(void **state)
{
  static const struct {
    int year, leap;
  } cases[] = {
    { 2024, 1 }, { 2025, 0 }, { 2000, 1 }, { 1900, 0 },
    { 2100, 0 }, { 2400, 1 }, { 4, 1 },    { 1, 0 },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    assert_int_equal(time_is_leap(cases[i].year), cases[i].leap);
    assert_int_equal(time_days_in_month(cases[i].year, 2),
                     cases[i].leap ? 29 : 28);
  }
  assert_int_equal(time_days_in_month(2025, 1), 31);
  assert_int_equal(time_days_in_month(2025, 4), 30);
  assert_int_equal(time_days_in_month(2025, 12), 31);
  assert_int_equal(time_days_in_month(2025, 0), 0);
  assert_int_equal(time_days_in_month(2025, 13), 0);
}

static void test_time_parse_date_table(void **state)
{
  static const struct {
    const char *in;
    size_t len;
    enum status st;
    int y, m, d;
  } cases[] = {
    { S("2025-11-24"), ST_OK, 2025, 11, 24 },
    { S("2024-02-29"), ST_OK, 2024, 2, 29 },
    { S("2000-02-29"), ST_OK, 2000, 2, 29 },
    { S("2025-02-28"), ST_OK, 2025, 2, 28 },
    { S("0001-01-01"), ST_OK, 1, 1, 1 },
    { S("9999-12-31"), ST_OK, 9999, 12, 31 },
    { S("1911-12-31"), ST_OK, 1911, 12, 31 },
    { S("2025-04-30"), ST_OK, 2025, 4, 30 },
    { S("2025-02-29"), ST_INVALID, 0, 0, 0 },
    { S("2100-02-29"), ST_INVALID, 0, 0, 0 },
    { S("1900-02-29"), ST_INVALID, 0, 0, 0 },
    { S("2024-02-30"), ST_INVALID, 0, 0, 0 },
    { S("0000-01-01"), ST_INVALID, 0, 0, 0 },
    { S("2025-13-01"), ST_INVALID, 0, 0, 0 },
    { S("2025-00-01"), ST_INVALID, 0, 0, 0 },
    { S("2025-01-00"), ST_INVALID, 0, 0, 0 },
    { S("2025-01-32"), ST_INVALID, 0, 0, 0 },
    { S("2025-04-31"), ST_INVALID, 0, 0, 0 },
    { S("2025-1-01"), ST_INVALID, 0, 0, 0 },
    { S("2025-01-1"), ST_INVALID, 0, 0, 0 },
    { S("25-01-01"), ST_INVALID, 0, 0, 0 },
    { S("2025-01-01x"), ST_INVALID, 0, 0, 0 },
    { S("2025-01-01 "), ST_INVALID, 0, 0, 0 },
    { S("2025-01-01T00:00:00Z"), ST_INVALID, 0, 0, 0 },
    { S(" 2025-01-01"), ST_INVALID, 0, 0, 0 },
    { S("2025/01/01"), ST_INVALID, 0, 0, 0 },
    { S("20250101"), ST_INVALID, 0, 0, 0 },
    { S("2025-0a-01"), ST_INVALID, 0, 0, 0 },
    { S("+025-01-01"), ST_INVALID, 0, 0, 0 },
    { S("-025-01-01"), ST_INVALID, 0, 0, 0 },
    { S("2025-+1-01"), ST_INVALID, 0, 0, 0 },
    { S("2025-01- 1"), ST_INVALID, 0, 0, 0 },
    { S("2025-01-0\0"), ST_INVALID, 0, 0, 0 },
    { S("２０２５-01-01"), ST_INVALID, 0, 0, 0 },
    { S(""), ST_INVALID, 0, 0, 0 },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct date d = { -1, -1, -1 };
    /* an exact-length copy, so ASan sees any read past the end */
    char *copy = malloc(cases[i].len ? cases[i].len : 1);
    enum status st;

    assert_non_null(copy);
    memcpy(copy, cases[i].in, cases[i].len);
    st = time_parse_date((struct str){ copy, cases[i].len }, &d);
    if(st != cases[i].st) {
      print_error("case %zu (%s): status %d\n", i, cases[i].in, st);
    }
    assert_int_equal(st, cases[i].st);
    if(!st) {
      assert_int_equal(d.year, cases[i].y);
      assert_int_equal(d.month, cases[i].m);
      assert_int_equal(d.day, cases[i].d);
    }
    else {
      /* a refused date leaves *d alone */
      assert_int_equal(d.year, -1);
    }
    free(copy);
  }
}

static void test_time_format_date(void **state)
{
  struct buf b;

  (void)state;
  buf_init(&b, 64);
  time_format_date(&b, (struct date){ 2026, 1, 7 });
  assert_string_equal(b.data, "2026-01-07");
  buf_clear(&b);
  time_format_date(&b, (struct date){ 1, 12, 31 });
  assert_string_equal(b.data, "0001-12-31");
  buf_free(&b);
}

static void test_time_format_roc_table(void **state)
{
  static const struct {
    int y, m, d;
    const char *out;
  } cases[] = {
    { 2025, 11, 24, "民國114年11月24日" },
    { 1912, 1, 1, "民國元年1月1日" },
    { 1912, 12, 31, "民國元年12月31日" },
    { 1913, 1, 1, "民國2年1月1日" },
    { 1911, 12, 31, "民國前1年12月31日" },
    { 1910, 6, 15, "民國前2年6月15日" },
    { 2026, 1, 7, "民國115年1月7日" },
    { 2011, 10, 10, "民國100年10月10日" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, 128);
    time_format_roc(&b, (struct date){ cases[i].y, cases[i].m, cases[i].d });
    assert_int_equal(b.err, ST_OK);
    assert_string_equal(b.data, cases[i].out);
    buf_free(&b);
  }
}

/* The storage form, both ways. */
static void test_time_utc_round_trip(void **state)
{
  static const struct {
    int64_t t;
    const char *text;
  } cases[] = {
    { 0, "1970-01-01T00:00:00Z" },
    { -1, "1969-12-31T23:59:59Z" },
    { -86400, "1969-12-31T00:00:00Z" },
    { -86401, "1969-12-30T23:59:59Z" },
    { 86399, "1970-01-01T23:59:59Z" },
    { 2147483647, "2038-01-19T03:14:07Z" },
    { 2147483648LL, "2038-01-19T03:14:08Z" },
    { 4294967296LL, "2106-02-07T06:28:16Z" },
    { 951827696, "2000-02-29T12:34:56Z" },
    { 1709251199, "2024-02-29T23:59:59Z" },
    { 1795489354, "2026-11-24T03:02:34Z" },
    { -2208988800LL, "1900-01-01T00:00:00Z" },
    { -11670912000LL, "1600-03-01T00:00:00Z" },
    { -62135596800LL, "0001-01-01T00:00:00Z" },
    { 253402300799LL, "9999-12-31T23:59:59Z" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    int64_t t = 12345;
    enum status st;

    buf_init(&b, 64);
    time_format_utc(&b, cases[i].t);
    if(strcmp(b.data, cases[i].text) != 0) {
      print_error("case %zu: %lld formats as %s\n", i, (long long)cases[i].t,
                  b.data);
    }
    assert_string_equal(b.data, cases[i].text);
    st = time_parse_utc((struct str){ b.data, b.len }, &t);
    assert_int_equal(st, ST_OK);
    assert_true(t == cases[i].t);
    buf_free(&b);
  }
}

/* Every second of a few days around the epoch and a leap day survives
 * format then parse. */
static void test_time_utc_sweep(void **state)
{
  static const int64_t starts[] = { -86400, 951782400 - 43200 };
  size_t k;

  (void)state;
  for(k = 0; k < sizeof(starts) / sizeof(starts[0]); k++) {
    int64_t t;
    for(t = starts[k]; t < starts[k] + 2 * 86400; t += 7) {
      struct buf b;
      int64_t back = 0;
      buf_init(&b, 64);
      time_format_utc(&b, t);
      assert_int_equal(b.len, 20);
      assert_int_equal(time_parse_utc((struct str){ b.data, b.len }, &back),
                       ST_OK);
      if(back != t) {
        print_error("%lld -> %s -> %lld\n", (long long)t, b.data,
                    (long long)back);
      }
      assert_true(back == t);
      buf_free(&b);
    }
  }
}

static void test_time_parse_utc_invalid(void **state)
{
  static const struct {
    const char *in;
    size_t len;
  } cases[] = {
    { S("") },
    { S("1970-01-01") },
    { S("1970-01-01T00:00:00") },
    { S("1970-01-01T00:00:00z") },
    { S("1970-01-01t00:00:00Z") },
    { S("1970-01-01 00:00:00Z") },
    { S("1970-01-01T00:00:00+08:00") },
    { S("1970-01-01T00:00:00.0Z") },
    { S("1970-01-01T24:00:00Z") },
    { S("1970-01-01T23:60:00Z") },
    { S("1970-01-01T23:59:61Z") },
    { S("1970-01-01T0a:00:00Z") },
    { S("1970-01-01T00-00-00Z") },
    { S("2025-02-29T00:00:00Z") },
    { S("0000-01-01T00:00:00Z") },
    { S("1970-01-01T00:00:00Z ") },
    { S("1970-01-01T00:00:0\0Z") },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    int64_t t = 777;
    char *copy = malloc(cases[i].len ? cases[i].len : 1);
    enum status st;

    assert_non_null(copy);
    memcpy(copy, cases[i].in, cases[i].len);
    st = time_parse_utc((struct str){ copy, cases[i].len }, &t);
    if(st != ST_INVALID) {
      print_error("case %zu (%s) was accepted\n", i, cases[i].in);
    }
    assert_int_equal(st, ST_INVALID);
    assert_true(t == 777);
    free(copy);
  }
}

/* Midnight in Taipei is 16:00 UTC of the day before. */
static void test_time_taipei_date(void **state)
{
  static const struct {
    int64_t t;
    int y, m, d;
  } cases[] = {
    { 1763913599, 2025, 11, 23 }, /* 2025-11-23T15:59:59Z = 23:59:59 */
    { 1763913600, 2025, 11, 24 }, /* 2025-11-23T16:00:00Z = 00:00:00 */
    { -28801, 1969, 12, 31 },     /* 1969-12-31T15:59:59Z */
    { -28800, 1970, 1, 1 },       /* 1969-12-31T16:00:00Z */
    { 0, 1970, 1, 1 },
    { -1830412801LL, 1911, 12, 31 },
    { -1830412800LL, 1912, 1, 1 }, /* the first day of 民國元年 */
    { 951753599, 2000, 2, 28 },    /* 2000-02-28T15:59:59Z */
    { 951753600, 2000, 2, 29 },
    { 2147483647, 2038, 1, 19 },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct date d = time_taipei_date(cases[i].t);
    if(d.year != cases[i].y || d.month != cases[i].m || d.day != cases[i].d) {
      print_error("case %zu: %d-%d-%d\n", i, d.year, d.month, d.day);
    }
    assert_int_equal(d.year, cases[i].y);
    assert_int_equal(d.month, cases[i].m);
    assert_int_equal(d.day, cases[i].d);
  }
}

static void test_time_format_taipei(void **state)
{
  static const struct {
    int64_t t;
    const char *out;
  } cases[] = {
    { 0, "1970-01-01 08:00" },          { -28800, "1970-01-01 00:00" },
    { -28801, "1969-12-31 23:59" },     { -28860, "1969-12-31 23:59" },
    { -28861, "1969-12-31 23:58" },     { 1763913599, "2025-11-23 23:59" },
    { 1763913600, "2025-11-24 00:00" }, { 1795489354, "2026-11-24 11:02" },
    { 951753600, "2000-02-29 00:00" },  { 2147483647, "2038-01-19 11:14" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, 64);
    time_format_taipei(&b, cases[i].t);
    if(strcmp(b.data, cases[i].out) != 0) {
      print_error("case %zu: got %s\n", i, b.data);
    }
    assert_string_equal(b.data, cases[i].out);
    buf_free(&b);
  }
}

/* time_taipei_instant() inverts time_taipei_date(): midnight Taipei is
 * 16:00 UTC of the day before. */
static void test_time_taipei_instant(void **state)
{
  static const struct {
    int y, m, d, sec;
    int64_t t;
  } cases[] = {
    { 2025, 11, 24, 0, 1763913600 }, { 2025, 11, 23, 86399, 1763913599 },
    { 1970, 1, 1, 0, -28800 },       { 1970, 1, 1, 8 * 3600, 0 },
    { 2000, 2, 29, 0, 951753600 },   { 1912, 1, 1, 0, -1830412800LL },
  };
  int64_t t;
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct date d = { cases[i].y, cases[i].m, cases[i].d };
    assert_true(time_taipei_instant(d, cases[i].sec) == cases[i].t);
  }
  /* Round trip over a few years, every 7 hours. */
  for(t = 1735689600; t < 1735689600 + 4 * 366 * 86400LL; t += 7 * 3600) {
    struct date d = time_taipei_date(t);
    int64_t midnight = time_taipei_instant(d, 0);
    assert_true(midnight <= t && t - midnight < 86400);
  }
}

static void test_time_format_taipei_roc(void **state)
{
  static const struct {
    int64_t t;
    const char *out;
  } cases[] = {
    { 1763913599, "民國114年11月23日 23:59" },
    { 1763913600, "民國114年11月24日 00:00" },
    { -1830412800LL, "民國元年1月1日 00:00" },
    { 0, "民國59年1月1日 08:00" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, 64);
    time_format_taipei_roc(&b, cases[i].t);
    assert_string_equal(b.data, cases[i].out);
    buf_free(&b);
  }
}

/* 行政程序法 §48: the event's day is not counted; the period ends the
 * day before the corresponding day, or at the end of a month without
 * one. */
static void test_time_month_period_end(void **state)
{
  static const struct {
    int y, m, d, months;
    int ey, em, ed;
  } cases[] = {
    { 2026, 3, 31, 1, 2026, 4, 30 },  { 2026, 1, 30, 1, 2026, 2, 28 },
    { 2026, 1, 15, 1, 2026, 2, 15 },  { 2026, 1, 31, 1, 2026, 2, 28 },
    { 2026, 4, 30, 1, 2026, 5, 31 },  { 2026, 12, 31, 1, 2027, 1, 31 },
    { 2026, 12, 1, 1, 2027, 1, 1 },   { 2028, 1, 30, 1, 2028, 2, 29 },
    { 2027, 1, 29, 1, 2027, 2, 28 },  { 2027, 1, 27, 1, 2027, 2, 27 },
    { 2028, 2, 29, 1, 2028, 3, 31 },  { 2028, 2, 28, 1, 2028, 3, 28 },
    { 2026, 3, 31, 2, 2026, 5, 31 },  { 2026, 3, 30, 2, 2026, 5, 30 },
    { 2026, 11, 30, 3, 2027, 2, 28 }, { 2026, 1, 15, 12, 2027, 1, 15 },
    { 2027, 2, 28, 12, 2028, 2, 29 }, { 2026, 5, 10, 0, 2026, 6, 10 },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct date d = { cases[i].y, cases[i].m, cases[i].d };
    struct date e = time_month_period_end(d, cases[i].months);
    if(e.year != cases[i].ey || e.month != cases[i].em ||
       e.day != cases[i].ed) {
      fail_msg("case %zu: %d-%d-%d", i, e.year, e.month, e.day);
    }
  }
}

/* The display does not depend on the server's TZ. */
static void test_time_ignores_tz(void **state)
{
  struct buf b;

  (void)state;
  setenv("TZ", "America/New_York", 1);
  buf_init(&b, 64);
  time_format_taipei(&b, 0);
  assert_string_equal(b.data, "1970-01-01 08:00");
  buf_clear(&b);
  time_format_utc(&b, 0);
  assert_string_equal(b.data, "1970-01-01T00:00:00Z");
  buf_free(&b);
  unsetenv("TZ");
}

static void test_time_now(void **state)
{
  int64_t t = time_now();

  (void)state;
  /* after 2025-01-01 and before 2100 */
  assert_true(t > 1735689600);
  assert_true(t < 4102444800LL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_time_leap),
    cmocka_unit_test(test_time_parse_date_table),
    cmocka_unit_test(test_time_format_date),
    cmocka_unit_test(test_time_format_roc_table),
    cmocka_unit_test(test_time_utc_round_trip),
    cmocka_unit_test(test_time_utc_sweep),
    cmocka_unit_test(test_time_parse_utc_invalid),
    cmocka_unit_test(test_time_taipei_date),
    cmocka_unit_test(test_time_format_taipei),
    cmocka_unit_test(test_time_taipei_instant),
    cmocka_unit_test(test_time_format_taipei_roc),
    cmocka_unit_test(test_time_month_period_end),
    cmocka_unit_test(test_time_ignores_tz),
    cmocka_unit_test(test_time_now),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
