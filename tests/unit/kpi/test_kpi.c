/*
 * test_kpi.c: unit tests for features/kpi (issue 6, item 5), checked by
 * hand:
 *   - availability from intervals: a month with planned maintenance,
 *     overlapping outages, an unplanned outage inside maintenance, an
 *     outage across a month boundary at Taipei midnight, an ongoing
 *     outage, February of a leap year, a system without outages (100 %),
 *     no data (future, before the system existed, all maintenance), the
 *     agency-wide sum;
 *   - the results file: headers in zh-TW and English, a BOM, flags (Y/N,
 *     是/否, 1/0, times), repeat clickers and duplicates differing in
 *     case counted once, each error with its line, nothing kept on an
 *     error;
 *   - incident timeliness from hand-made clock states;
 *   - comparing with a target and showing a value without a misleading
 *     rounding;
 *   - on a real database: the outage register's rules, the goal metric's
 *     unit, the replacement of a drill's results with its audit event,
 *     and availability counted from a system's first outage.
 * Depends on cmocka, core, db, registers and features/kpi.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../exact.h"
#include "core/arena.h"
#include "core/time.h"
#include "db/db.h"
#include "features/agency/agency.h"
#include "features/assets/assets.h"
#include "features/drill/drill.h"
#include "features/kpi/kpi.h"
#include "features/kpi/kpi_data.h"
#include "features/kpi/kpi_store.h"
#include "registers/register.h"
#include "registers/register_store.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define H    3600
#define MIN  60

/* The instant Taipei clocks show y-mo-d h:mi. */
static int64_t tp(int y, int mo, int d, int h, int mi)
{
  struct date dt = { y, mo, d };
  return time_taipei_instant(dt, h * 3600 + mi * 60);
}

/* ---- availability ---- */

static void test_month_bounds(void **state)
{
  int64_t from, to;
  struct buf b;
  (void)state;
  buf_init(&b, 64);
  kpi_month(2026, 1, &from, &to);
  time_format_utc(&b, from);
  assert_string_equal(b.data, "2025-12-31T16:00:00Z"); /* Taipei midnight */
  assert_int_equal(to - from, 31 * 86400);
  kpi_month(2026, 12, &from, &to);
  assert_int_equal(to, tp(2027, 1, 1, 0, 0));
  kpi_month(2028, 2, &from, &to);
  assert_int_equal(to - from, 29 * 86400); /* leap year */
  kpi_month(2026, 2, &from, &to);
  assert_int_equal(to - from, 28 * 86400);
  kpi_year(2026, &from, &to);
  assert_int_equal(from, tp(2026, 1, 1, 0, 0));
  assert_int_equal(to - from, 365 * 86400);
  buf_free(&b);
}

struct avail_case {
  const char *what;        /* what the case shows */
  struct kpi_outage o[4];  /* the outages */
  size_t n;                /* how many */
  int year, month;         /* the period (a Taipei calendar month) */
  int64_t since, now;      /* the system exists since; now */
  int has_value;           /* expected */
  int64_t down, operating; /* expected, seconds */
};

static void test_availability(void **state)
{
  const int64_t long_ago = tp(2020, 1, 1, 0, 0);
  const int64_t later = tp(2030, 1, 1, 0, 0);
  const struct avail_case cases[] = {
    { "no outage: 100 %",
      { { 0, 0, 0 } },
      0,
      2026,
      4,
      long_ago,
      later,
      1,
      0,
      30 * 86400 },
    { "April with 8 h planned maintenance and 1 h unplanned outside it",
      { { tp(2026, 4, 11, 22, 0), tp(2026, 4, 12, 6, 0), 1 },
        { tp(2026, 4, 20, 9, 0), tp(2026, 4, 20, 10, 0), 0 } },
      2,
      2026,
      4,
      long_ago,
      later,
      1,
      1 * H,
      30 * 86400 - 8 * H },
    { "overlapping unplanned outages count once (10:00-12:00)",
      { { tp(2026, 6, 3, 10, 0), tp(2026, 6, 3, 11, 0), 0 },
        { tp(2026, 6, 3, 10, 30), tp(2026, 6, 3, 12, 0), 0 },
        { tp(2026, 6, 3, 10, 40), tp(2026, 6, 3, 10, 50), 0 } },
      3,
      2026,
      6,
      long_ago,
      later,
      1,
      2 * H,
      30 * 86400 },
    { "unplanned 05:30-06:10 inside maintenance 22:00-06:00: 10 min",
      { { tp(2026, 3, 14, 22, 0), tp(2026, 3, 15, 6, 0), 1 },
        { tp(2026, 3, 15, 5, 30), tp(2026, 3, 15, 6, 10), 0 } },
      2,
      2026,
      3,
      long_ago,
      later,
      1,
      10 * MIN,
      31 * 86400 - 8 * H },
    { "overlapping maintenance windows count once",
      { { tp(2026, 5, 1, 0, 0), tp(2026, 5, 1, 4, 0), 1 },
        { tp(2026, 5, 1, 2, 0), tp(2026, 5, 1, 6, 0), 1 } },
      2,
      2026,
      5,
      long_ago,
      later,
      1,
      0,
      31 * 86400 - 6 * H },
    { "across Taipei midnight 3/31 23:30 - 4/1 00:30: March's half",
      { { tp(2026, 3, 31, 23, 30), tp(2026, 4, 1, 0, 30), 0 } },
      1,
      2026,
      3,
      long_ago,
      later,
      1,
      30 * MIN,
      31 * 86400 },
    { "across Taipei midnight 3/31 23:30 - 4/1 00:30: April's half",
      { { tp(2026, 3, 31, 23, 30), tp(2026, 4, 1, 0, 30), 0 } },
      1,
      2026,
      4,
      long_ago,
      later,
      1,
      30 * MIN,
      30 * 86400 },
    { "an ongoing outage counts up to now, as does the month",
      { { tp(2026, 11, 24, 6, 0), KPI_ONGOING, 0 } },
      1,
      2026,
      11,
      long_ago,
      tp(2026, 11, 24, 9, 0),
      1,
      3 * H,
      23 * 86400 + 9 * H },
    { "an ongoing outage from an earlier month fills this one up to now",
      { { tp(2026, 10, 31, 23, 0), KPI_ONGOING, 0 } },
      1,
      2026,
      11,
      long_ago,
      tp(2026, 11, 2, 0, 0),
      1,
      86400,
      86400 },
    { "February 2028 (leap year) with one hour down",
      { { tp(2028, 2, 29, 12, 0), tp(2028, 2, 29, 13, 0), 0 } },
      1,
      2028,
      2,
      long_ago,
      later,
      1,
      1 * H,
      29 * 86400 },
    { "a month in the future: no value",
      { { 0, 0, 0 } },
      0,
      2026,
      12,
      long_ago,
      tp(2026, 11, 24, 9, 0),
      0,
      0,
      0 },
    { "before the system existed: no value",
      { { 0, 0, 0 } },
      0,
      2026,
      1,
      tp(2026, 2, 7, 9, 0),
      later,
      0,
      0,
      0 },
    { "the system exists from mid-month on",
      { { tp(2026, 2, 1, 0, 0), tp(2026, 2, 10, 0, 0), 0 } },
      1,
      2026,
      2,
      tp(2026, 2, 7, 0, 0),
      later,
      1,
      3 * 86400,
      22 * 86400 },
    { "a month wholly in maintenance: no value",
      { { tp(2026, 1, 1, 0, 0), tp(2026, 2, 1, 0, 0), 1 },
        { tp(2026, 1, 5, 0, 0), tp(2026, 1, 6, 0, 0), 0 } },
      2,
      2026,
      1,
      long_ago,
      later,
      0,
      0,
      0 },
    { "outages outside the month do not count",
      { { tp(2026, 3, 1, 0, 0), tp(2026, 3, 2, 0, 0), 0 },
        { tp(2026, 5, 1, 0, 0), tp(2026, 5, 2, 0, 0), 1 } },
      2,
      2026,
      4,
      long_ago,
      later,
      1,
      0,
      30 * 86400 },
  };
  struct arena a;
  size_t i;
  (void)state;
  arena_init(&a, 1 << 20);
  for(i = 0; i < N(cases); i++) {
    const struct avail_case *c = &cases[i];
    struct kpi_avail out;
    int64_t from, to;
    kpi_month(c->year, c->month, &from, &to);
    assert_int_equal(
      kpi_availability(c->o, c->n, c->since, from, to, c->now, &a, &out),
      ST_OK);
    if(out.has_value != c->has_value ||
       (c->has_value &&
        (out.down != c->down || out.operating != c->operating))) {
      print_error("case %zu (%s): has %d down %lld operating %lld\n", i,
                  c->what, out.has_value, (long long)out.down,
                  (long long)out.operating);
      fail();
    }
    if(out.has_value) {
      double want = 100.0 * (1.0 - (double)c->down / (double)c->operating);
      assert_true(out.value > want - 1e-9 && out.value < want + 1e-9);
    }
  }
  /* The April case as the plan's target sees it: 1 h in 712 h is
   * 99.8596 %, below 99.97 %; 8 min in a 30-day month is above it, 13
   * min below. */
  {
    struct kpi_outage o = { tp(2026, 6, 1, 0, 0), tp(2026, 6, 1, 0, 8), 0 };
    struct kpi_avail out;
    int64_t from, to;
    kpi_month(2026, 6, &from, &to);
    kpi_availability(&o, 1, long_ago, from, to, later, &a, &out);
    assert_true(kpi_meets(out.value, ">=", 99.97));
    o.to = tp(2026, 6, 1, 0, 13);
    kpi_availability(&o, 1, long_ago, from, to, later, &a, &out);
    assert_false(kpi_meets(out.value, ">=", 99.97));
  }
  arena_reset(&a);
}

static void test_agency_sum(void **state)
{
  struct kpi_avail sum, one;
  (void)state;
  memset(&sum, 0, sizeof(sum));
  memset(&one, 0, sizeof(one));
  kpi_avail_add(&sum, &one); /* a system without a value adds nothing */
  assert_false(sum.has_value);
  one.has_value = 1;
  one.down = 3600;
  one.operating = 720 * 3600;
  kpi_avail_add(&sum, &one);
  one.down = 0;
  one.operating = 280 * 3600;
  kpi_avail_add(&sum, &one);
  /* Σ down ÷ Σ operating: 1 h in 1,000 h, not the mean of the two. */
  assert_true(sum.has_value);
  assert_int_equal(sum.down, 3600);
  assert_int_equal(sum.operating, 1000 * 3600);
  assert_true(sum.value > 99.9 - 1e-9 && sum.value < 99.9 + 1e-9);
}

/* ---- the results file ---- */

/* Parse text as a results file; rates into *p when it is accepted. */
static enum status parse(struct arena *a, const char *text, size_t len,
                         struct reg_errors *errs, struct kpi_phish *p,
                         struct kpi_phish_row **rows, size_t *n)
{
  struct str in = exact(text, len);
  enum status st;
  reg_errors_init(errs, a);
  st = kpi_results_parse(in, a, rows, n, errs);
  if(!st) {
    assert_int_equal(kpi_phish_rates(*rows, *n, a, p), ST_OK);
  }
  exact_free(in);
  return st;
}

/* 1 if errs holds msg at line row on field (any field when NULL). */
static int has_error(const struct reg_errors *errs, size_t row,
                     const char *field, enum msg msg)
{
  size_t i;
  for(i = 0; i < errs->n; i++) {
    if(errs->items[i].row == row && errs->items[i].msg == msg &&
       (!field || !strcmp(errs->items[i].field, field))) {
      return 1;
    }
  }
  return 0;
}

static void test_results_rates(void **state)
{
  /* Six recipients on eight lines: a repeat clicker (b, on a second mail
   * too), a recipient written in two cases (C@x, c@x), one who clicked
   * without an open being seen (d: counts as opened), openers by time and
   * by word. */
  static const char zh[] = "\xEF\xBB\xBF"
                           "收件人,單位,開啟,點閱\r\n"
                           "a@x.example,秘書室,N,N\r\n"
                           "b@x.example,秘書室,2026/05/12 09:31,Y\r\n"
                           "B@X.example,秘書室,2026-05-13 10:00:05,是\r\n"
                           "C@x.example,人事室,是,否\r\n"
                           "\r\n"
                           "c@x.example,人事室,1,0\r\n"
                           "d@x.example,會計室,,Y\r\n"
                           "e@x.example,會計室,115/05/12 上午 9:05,\r\n"
                           "  f@x.example  ,政風室,false,no\r\n";
  static const char en[] = "Clicked,E-mail Address,Opened\n"
                           "true,P1,yes\n"
                           "0,p2,NO\n"
                           "1,p1,0\n";
  struct arena a;
  struct reg_errors errs;
  struct kpi_phish p;
  struct kpi_phish_row *rows;
  size_t n;
  (void)state;
  arena_init(&a, 1 << 20);
  assert_int_equal(parse(&a, zh, sizeof(zh) - 1, &errs, &p, &rows, &n), ST_OK);
  assert_int_equal(errs.n, 0);
  assert_int_equal(n, 8);
  assert_int_equal(p.events, 8);
  assert_int_equal(p.recipients, 6);
  assert_int_equal(p.opened, 4);  /* b, c, d (clicked), e */
  assert_int_equal(p.clicked, 2); /* b, d */
  /* Recipients are kept trimmed and in lower case, with their lines. */
  assert_string_equal(rows[2].recipient, "b@x.example");
  assert_int_equal(rows[2].line, 4);
  assert_int_equal(rows[4].line, 7); /* after the blank line */
  assert_string_equal(rows[7].recipient, "f@x.example");
  assert_int_equal(rows[6].opened, 1); /* an ROC date with 上午 */
  assert_int_equal(rows[5].opened, 0);
  assert_int_equal(rows[5].clicked, 1);

  /* English headers in another order, any case. */
  assert_int_equal(parse(&a, en, sizeof(en) - 1, &errs, &p, &rows, &n), ST_OK);
  assert_int_equal(p.recipients, 2);
  assert_int_equal(p.opened, 1);
  assert_int_equal(p.clicked, 1);
  assert_string_equal(rows[0].recipient, "p1");

  /* The rates compare recipients in any ASCII case even when given rows
   * that were not lower-cased. */
  {
    struct kpi_phish_row r[3] = { { "Ann", 1, 0, 2 },
                                  { "ANN", 0, 1, 3 },
                                  { "bob", 0, 0, 4 } };
    assert_int_equal(kpi_phish_rates(r, 3, &a, &p), ST_OK);
    assert_int_equal(p.recipients, 2);
    assert_int_equal(p.opened, 1);
    assert_int_equal(p.clicked, 1);
    assert_int_equal(kpi_phish_rates(r, 0, &a, &p), ST_OK);
    assert_int_equal(p.recipients, 0);
  }
  arena_reset(&a);
}

static void test_results_errors(void **state)
{
  static const struct {
    const char *what, *text;
    size_t row;        /* line of the expected error */
    const char *field; /* its field, or NULL for any */
    enum msg msg;      /* the error */
  } cases[] = {
    { "no file", "", 0, "", M_IMPORT_EMPTY },
    { "header only", "收件人,開啟,點閱\n", 0, "", M_IMPORT_EMPTY },
    { "no clicked column", "收件人,開啟\na,Y\n", 1, "點閱",
      M_KPI_RES_NO_COLUMN },
    { "no recipient column", "name,opened,clicked\na,Y,N\n", 1, "收件人",
      M_KPI_RES_NO_COLUMN },
    { "a column twice", "收件人,開啟,點閱,clicked\na,Y,N,N\n", 1, "clicked",
      M_IMPORT_DUP_COLUMN },
    { "a flag not understood", "收件人,開啟,點閱\na,Y,N\nb,maybe,N\n", 3,
      "開啟", M_KPI_RES_FLAG },
    { "a date that does not exist", "收件人,開啟,點閱\na,2026-02-30,N\n", 2,
      "開啟", M_KPI_RES_FLAG },
    { "a time with words after it",
      "收件人,開啟,點閱\na,N,2026-02-03 9:00 x\n", 2, "點閱", M_KPI_RES_FLAG },
    { "an empty recipient", "收件人,開啟,點閱\na,Y,N\n  ,Y,N\n", 3, "收件人",
      M_KPI_RES_NO_RECIPIENT },
    { "a recipient with a control character", "收件人,開啟,點閱\na\tb,Y,N\n",
      2, "收件人", M_KPI_RES_RECIPIENT_BAD },
    { "cells missing", "收件人,開啟,點閱\na,Y\n", 2, "", M_IMPORT_COLUMNS },
    { "cells too many", "收件人,開啟,點閱\na,Y,N,N\n", 2, "",
      M_IMPORT_COLUMNS },
    { "an unclosed quote", "收件人,開啟,點閱\na,Y,N\n\"b,Y,N\n", 3, "",
      M_CSV_QUOTE },
    { "not UTF-8 (Big5)", "\xa6\xac\xa5\xf3\xa4\x48,opened,clicked\na,Y,N\n",
      1, "", M_CSV_UTF8 },
  };
  struct arena a;
  struct reg_errors errs;
  struct kpi_phish p;
  struct kpi_phish_row *rows;
  size_t n, i;
  char long_one[400];
  (void)state;
  arena_init(&a, 1 << 20);
  for(i = 0; i < N(cases); i++) {
    enum status st =
      parse(&a, cases[i].text, strlen(cases[i].text), &errs, &p, &rows, &n);
    if(st != ST_INVALID ||
       !has_error(&errs, cases[i].row, cases[i].field, cases[i].msg) ||
       rows != NULL || n != 0) {
      print_error(
        "case %zu (%s): status %d, %zu errors, first %d at %zu "
        "on %s\n",
        i, cases[i].what, (int)st, errs.n, errs.n ? (int)errs.items[0].msg : 0,
        errs.n ? errs.items[0].row : 0, errs.n ? errs.items[0].field : "");
      fail();
    }
  }
  /* The value at fault is named, and every bad line is reported. */
  {
    static const char two_bad[] = "收件人,開啟,點閱\na,ok,N\nb,Y,N\nc,Y,??\n";
    assert_int_equal(
      parse(&a, two_bad, sizeof(two_bad) - 1, &errs, &p, &rows, &n),
      ST_INVALID);
  }
  assert_int_equal(errs.n, 2);
  assert_string_equal(errs.items[0].detail, "ok");
  assert_int_equal(errs.items[1].row, 4);
  assert_string_equal(errs.items[1].detail, "??");
  /* 254 bytes are allowed, 255 are not. */
  memset(long_one, 'x', sizeof(long_one));
  memcpy(long_one, "收件人,開啟,點閱\n", 24);
  memcpy(long_one + 24 + 254, ",Y,N\n", 5);
  assert_int_equal(parse(&a, long_one, 24 + 254 + 5, &errs, &p, &rows, &n),
                   ST_OK);
  assert_int_equal(strlen(rows[0].recipient), 254);
  memset(long_one + 24, 'x', 255);
  memcpy(long_one + 24 + 255, ",Y,N\n", 5);
  assert_int_equal(parse(&a, long_one, 24 + 255 + 5, &errs, &p, &rows, &n),
                   ST_INVALID);
  assert_true(has_error(&errs, 2, "收件人", M_KPI_RES_RECIPIENT_LONG));
  arena_reset(&a);
}

/* ---- incident timeliness ---- */

/* A clock: 'm' met, 'l' done late, 'o' overdue (not done, past due), 'r'
 * running (not done, not due), '-' not running. */
static struct ir_clock clk(char c, int64_t now)
{
  struct ir_clock k;
  memset(&k, 0, sizeof(k));
  k.applies = c != '-';
  k.due = c == 'o' ? now - 60 : c == 'r' ? now + 60 : now - 3600;
  k.done = c == 'm' ? k.due - 10 : c == 'l' ? k.due + 10 : 0;
  k.met = c == 'm';
  return k;
}

static void test_timeliness(void **state)
{
  static const struct {
    const char *clocks; /* notify, contain, report */
    int state[3];       /* kpi_clock_state() of each */
    int all_decided, all_met;
  } cases[] = {
    { "mmm", { 1, 1, 1 }, 1, 1 },    { "mml", { 1, 1, 0 }, 1, 0 },
    { "mmo", { 1, 1, 0 }, 1, 0 },    { "mmr", { 1, 1, -1 }, 0, 0 },
    { "mm-", { 1, 1, -1 }, 0, 0 },   { "l--", { 0, -1, -1 }, 1, 0 },
    { "r--", { -1, -1, -1 }, 0, 0 }, { "ol-", { 0, 0, -1 }, 1, 0 },
  };
  const int64_t now = tp(2026, 11, 24, 12, 0);
  struct kpi_timeliness t;
  size_t i;
  int k, decided[KPI_N_CLOCKS] = { 0 }, met[KPI_N_CLOCKS] = { 0 };
  (void)state;
  memset(&t, 0, sizeof(t));
  for(i = 0; i < N(cases); i++) {
    struct ir_state s;
    memset(&s, 0, sizeof(s));
    s.notify = clk(cases[i].clocks[0], now);
    s.contain = clk(cases[i].clocks[1], now);
    s.report = clk(cases[i].clocks[2], now);
    assert_int_equal(kpi_clock_state(&s.notify, now), cases[i].state[0]);
    assert_int_equal(kpi_clock_state(&s.contain, now), cases[i].state[1]);
    assert_int_equal(kpi_clock_state(&s.report, now), cases[i].state[2]);
    for(k = 0; k < 3; k++) {
      decided[k] += cases[i].state[k] >= 0;
      met[k] += cases[i].state[k] == 1;
    }
    decided[KPI_ALL] += cases[i].all_decided;
    met[KPI_ALL] += cases[i].all_met;
    kpi_timeliness_add(&t, &s, now);
  }
  assert_int_equal(t.incidents, (int)N(cases));
  for(k = 0; k < KPI_N_CLOCKS; k++) {
    assert_int_equal(t.c[k].decided, decided[k]);
    assert_int_equal(t.c[k].met, met[k]);
  }
  /* By hand: notify decided 7 (all but "r--"), met 5. */
  assert_int_equal(t.c[KPI_NOTIFY].decided, 7);
  assert_int_equal(t.c[KPI_NOTIFY].met, 5);
  assert_int_equal(t.c[KPI_ALL].decided, 5);
  assert_int_equal(t.c[KPI_ALL].met, 1);
}

/* ---- targets ---- */

static void test_meets_and_format(void **state)
{
  static const struct {
    double v;
    int decimals;
    const char *cmp;
    double target;
    int meets;
    const char *text;
  } cases[] = {
    { 99.97, 2, ">=", 99.97, 1, "99.97" },
    { 99.96951, 2, ">=", 99.97, 0, "99.9695" }, /* not 99.97 nor 99.970 */
    { 99.98, 2, ">=", 99.97, 1, "99.98" },
    { 100, 2, ">=", 99.97, 1, "100.00" },
    { 4.96, 1, "<", 5, 1, "4.96" }, /* not 5.0 */
    { 5, 1, "<", 5, 0, "5.0" },
    { 2.68, 1, "<", 2, 0, "2.7" },
    { 100, 1, "=", 100, 1, "100.0" },
    { 99.99, 1, "=", 100, 0, "99.99" },
    { 3, 0, ">", 3, 0, "3" },
    { 3.4, 0, ">", 3, 1, "3.4" },
    { 2, 1, "<=", 2, 1, "2.0" },
    { 2.04, 1, "<=", 2, 0, "2.04" },
    { 50, 1, "?", 2, 0, "50.0" },
    { 12.345, 1, NULL, 0, 0, "12.3" },
  };
  struct arena a;
  size_t i;
  (void)state;
  arena_init(&a, 1 << 16);
  for(i = 0; i < N(cases); i++) {
    const char *s = kpi_format(&a, cases[i].v, cases[i].decimals, cases[i].cmp,
                               cases[i].target);
    if(kpi_meets(cases[i].v, cases[i].cmp, cases[i].target) !=
         cases[i].meets ||
       !s || strcmp(s, cases[i].text) != 0) {
      print_error("case %zu: %s\n", i, s ? s : "(null)");
      fail();
    }
  }
  arena_reset(&a);
}

/* ---- on a real database ---- */

struct fixture {
  char dir[64];   /* temp directory */
  char path[128]; /* database in it */
  struct db *db;  /* open connection */
  struct arena a; /* for the values */
};

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof(*f));
  struct buf why;
  assert_non_null(f);
  snprintf(f->dir, sizeof(f->dir), "/tmp/isms-test-kpi-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
  buf_init(&why, 4096);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &f->db, &why),
                   ST_OK);
  buf_free(&why);
  arena_init(&f->a, 8 << 20);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  char p[160];
  arena_reset(&f->a);
  db_close(f->db);
  unlink(f->path);
  snprintf(p, sizeof(p), "%s-wal", f->path);
  unlink(p);
  snprintf(p, sizeof(p), "%s-shm", f->path);
  unlink(p);
  rmdir(f->dir);
  free(f);
  return 0;
}

struct kv {
  const char *name, *value;
};

/* Validate kv for reg into out (errors into errs); create it when valid
 * and id is not NULL. */
static void save(struct fixture *f, const struct reg *reg, const struct kv *kv,
                 size_t n, const char **out, struct reg_errors *errs,
                 int64_t *id)
{
  const char *in[64];
  size_t i;
  assert_true(reg->n_fields <= N(in));
  memset(in, 0, sizeof(in));
  for(i = 0; i < n; i++) {
    const struct field *fd = reg_field(reg, kv[i].name);
    assert_non_null(fd);
    in[reg_field_index(reg, fd)] = kv[i].value;
  }
  reg_errors_init(errs, &f->a);
  reg_validate(reg, f->db, in, out, &f->a, errs);
  if(id && !reg_errors_any(errs)) {
    assert_int_equal(reg_store_create(f->db, reg, out, "t", id), ST_OK);
  }
}

static int has_field_error(const struct reg_errors *errs, const char *field,
                           enum msg msg)
{
  return has_error(errs, 0, field, msg);
}

static void test_outage_rules(void **state)
{
  struct fixture *f = *state;
  const char *out[64];
  struct reg_errors errs;
  int64_t sys = 0, id = 0;
  struct kv system[] = { { "name", "官網" },
                         { "sourcing", "outsourced" },
                         { "environment", "prod" } };
  struct kv o[] = { { "system", "官網" },
                    { "kind", "unplanned" },
                    { "started", "2026-03-15 05:30" },
                    { "ended", "115/03/15 06:10" },
                    { "cause", "服務未正常啟動" } };
  char future[32];
  struct buf b;

  save(f, &reg_system, system, N(system), out, &errs, &sys);
  assert_int_equal(errs.n, 0);
  save(f, &reg_outage, o, N(o), out, &errs, &id);
  assert_int_equal(errs.n, 0);
  assert_string_equal(out[2], "2026-03-14T21:30:00Z"); /* Taipei → UTC */
  assert_string_equal(out[3], "2026-03-14T22:10:00Z");
  /* The end before (or at) the start. */
  o[3].value = "2026-03-15 05:30";
  save(f, &reg_outage, o, N(o), out, &errs, NULL);
  assert_true(has_field_error(&errs, "ended", M_ERR_OUT_ORDER));
  o[3].value = "2026-03-15 05:00";
  save(f, &reg_outage, o, N(o), out, &errs, NULL);
  assert_int_equal(errs.n, 1);
  assert_true(has_field_error(&errs, "ended", M_ERR_OUT_ORDER));
  /* Still going on: no end. */
  o[3].value = NULL;
  save(f, &reg_outage, o, N(o), out, &errs, NULL);
  assert_int_equal(errs.n, 0);
  /* In the future by more than a minute. */
  buf_init(&b, 64);
  time_format_taipei(&b, time_now() + 600);
  snprintf(future, sizeof(future), "%s", b.data);
  buf_free(&b);
  o[2].value = future;
  save(f, &reg_outage, o, N(o), out, &errs, NULL);
  assert_true(has_field_error(&errs, "started", M_ERR_OUT_FUTURE));
  /* The engine's checks: required fields, the kind, the system. */
  o[2].value = "2026-03-15 05:30";
  o[0].value = "沒有這個系統";
  o[1].value = "sometimes";
  o[4].value = NULL;
  save(f, &reg_outage, o, N(o), out, &errs, NULL);
  assert_int_equal(errs.n, 3);
}

static void test_goal_metric_unit(void **state)
{
  struct fixture *f = *state;
  const char *out[64];
  struct reg_errors errs;
  int64_t goal = 0;
  struct kv policy[] = { { "kind", "quantitative" },
                         { "text", "可用性達 99.97% 以上" },
                         { "status", "draft" } };
  struct kv m[] = { { "goal", "1" },        { "metric", "可用性" },
                    { "comparator", ">=" }, { "target", "99.97" },
                    { "unit", "小時" },     { "kpi", "availability" } };
  save(f, &reg_policy, policy, N(policy), out, &errs, &goal);
  assert_int_equal(errs.n, 0);
  save(f, &reg_goal_metric, m, N(m), out, &errs, NULL);
  assert_int_equal(errs.n, 1);
  assert_true(has_field_error(&errs, "unit", M_ERR_KPI_UNIT));
  m[4].value = "%";
  save(f, &reg_goal_metric, m, N(m), out, &errs, NULL);
  assert_int_equal(errs.n, 0);
  m[4].value = "％"; /* full-width, as typed in Chinese */
  save(f, &reg_goal_metric, m, N(m), out, &errs, NULL);
  assert_int_equal(errs.n, 0);
  /* Measured by hand: any unit. */
  m[4].value = "小時";
  m[5].value = NULL;
  save(f, &reg_goal_metric, m, N(m), out, &errs, NULL);
  assert_int_equal(errs.n, 0);
  m[5].value = "uptime";
  save(f, &reg_goal_metric, m, N(m), out, &errs, NULL);
  assert_true(has_field_error(&errs, "kpi", M_ERR_ENUM));
}

static void test_store(void **state)
{
  struct fixture *f = *state;
  const char *out[64];
  struct reg_errors errs;
  struct kpi_phish_row *rows;
  struct kpi_phish rates;
  struct kpi_result_set set;
  struct kpi_avail_table tab;
  struct kpi_drill d;
  int64_t drill = 0, sys = 0, id = 0, from, to;
  size_t n;
  static const char file1[] = "收件人,開啟,點閱\na,Y,Y\nA,Y,N\nb,N,N\n";
  static const char file2[] = "recipient,opened,clicked\nz,N,N\n";
  struct kv dr[] = { { "kind", "social" },
                     { "title", "社交工程演練" },
                     { "held_on", "2026-05-12" },
                     { "status", "held" } };
  struct kv system[] = { { "name", "差勤" },
                         { "sourcing", "shared" },
                         { "grader", "市府" },
                         { "environment", "prod" } };
  struct kv o[] = { { "system", "差勤" },
                    { "kind", "planned" },
                    { "started", "2026-02-07 09:00" },
                    { "ended", "2026-02-07 11:00" },
                    { "cause", "版本更新" } };

  save(f, &reg_drill, dr, N(dr), out, &errs, &drill);
  assert_int_equal(errs.n, 0);
  assert_int_equal(kpi_data_drill(f->db, &f->a, drill, &d), ST_NOTFOUND);
  /* An import, then another that replaces it whole. */
  reg_errors_init(&errs, &f->a);
  assert_int_equal(kpi_results_parse(str_c(file1), &f->a, &rows, &n, &errs),
                   ST_OK);
  assert_int_equal(kpi_phish_rates(rows, n, &f->a, &rates), ST_OK);
  assert_int_equal(kpi_store_replace(f->db, drill, rows, n, rates.recipients,
                                     "r1.csv", str_c(file1), "officer"),
                   ST_OK);
  assert_int_equal(kpi_data_drill(f->db, &f->a, drill, &d), ST_OK);
  assert_int_equal(d.rates.events, 3);
  assert_int_equal(d.rates.recipients, 2);
  assert_int_equal(d.rates.opened, 1);
  assert_int_equal(d.rates.clicked, 1);
  assert_string_equal(d.set.file, "r1.csv");
  assert_int_equal(strlen(d.set.sha256), 64);
  reg_errors_init(&errs, &f->a);
  assert_int_equal(kpi_results_parse(str_c(file2), &f->a, &rows, &n, &errs),
                   ST_OK);
  assert_int_equal(kpi_store_replace(f->db, drill, rows, n, 1, "r2.csv",
                                     str_c(file2), "officer"),
                   ST_OK);
  assert_int_equal(kpi_store_results(f->db, drill, &f->a, &rows, &n), ST_OK);
  assert_int_equal(n, 1);
  assert_string_equal(rows[0].recipient, "z");
  assert_int_equal(kpi_store_result_set(f->db, drill, &f->a, &set), ST_OK);
  assert_string_equal(set.file, "r2.csv");
  assert_int_equal(set.lines, 1);

  /* A system recorded today with a planned maintenance in February is
   * counted from that maintenance on: January has no value, March is a
   * whole month. */
  save(f, &reg_system, system, N(system), out, &errs, &sys);
  assert_int_equal(errs.n, 0);
  save(f, &reg_outage, o, N(o), out, &errs, &id);
  assert_int_equal(errs.n, 0);
  {
    int64_t pf[3], pt[3];
    kpi_month(2026, 1, &pf[0], &pt[0]);
    kpi_month(2026, 2, &pf[1], &pt[1]);
    kpi_month(2026, 3, &pf[2], &pt[2]);
    assert_int_equal(
      kpi_data_avail(f->db, &f->a, pf, pt, 3, tp(2026, 11, 24, 0, 0), &tab),
      ST_OK);
  }
  assert_int_equal(tab.n_systems, 1);
  assert_int_equal(tab.systems[0].since, tp(2026, 2, 7, 9, 0));
  assert_false(tab.cells[0].has_value);
  assert_true(tab.cells[1].has_value);
  /* February from 2/7 09:00 less the 2 h maintenance. */
  kpi_month(2026, 3, &from, &to);
  assert_int_equal(tab.cells[1].operating,
                   from - tp(2026, 2, 7, 9, 0) - 2 * H);
  assert_int_equal(tab.cells[2].operating, to - from);
  assert_true(tab.cells[2].value == 100.0);
  assert_int_equal(tab.agency[2].operating, to - from);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_month_bounds),
    cmocka_unit_test(test_availability),
    cmocka_unit_test(test_agency_sum),
    cmocka_unit_test(test_results_rates),
    cmocka_unit_test(test_results_errors),
    cmocka_unit_test(test_timeliness),
    cmocka_unit_test(test_meets_and_format),
    cmocka_unit_test_setup_teardown(test_outage_rules, setup, teardown),
    cmocka_unit_test_setup_teardown(test_goal_metric_unit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_store, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
