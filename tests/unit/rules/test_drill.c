/*
 * test_drill.c: unit tests for rules/drill.c (資通安全事件通報應變及演練
 * 辦法 115 §10, 110 §8; regulations.md §4.5): months counted back; the
 * frequency check over hand-made drills (half years, years and the
 * rolling window by level, their boundaries, drills after today, unknown
 * levels, a short output array); the shipped drill.json loads and broken
 * copies of it name the place and the key.  Depends on cmocka,
 * rules/drill, core/buf, core/embed and core/time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/time.h"
#include "rules/drill.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct date day(int y, int m, int d)
{
  struct date x = { y, m, d };
  return x;
}

static void iso(struct date d, char out[16])
{
  snprintf(out, 16, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static void test_months_before(void **state)
{
  static const struct {
    struct date d;
    int months;
    struct date want;
  } cases[] = {
    { { 2026, 11, 24 }, 24, { 2024, 11, 24 } },
    { { 2026, 11, 24 }, 12, { 2025, 11, 24 } },
    { { 2024, 2, 29 }, 12, { 2023, 2, 28 } },
    { { 2026, 3, 31 }, 1, { 2026, 2, 28 } },
    { { 2026, 1, 15 }, 1, { 2025, 12, 15 } },
    { { 2026, 11, 24 }, -12, { 2027, 11, 24 } }, /* a year ahead */
    { { 2027, 2, 28 }, -12, { 2028, 2, 28 } },
    { { 2028, 2, 29 }, -12, { 2029, 2, 28 } },
  };
  size_t i;
  (void)state;
  for(i = 0; i < N(cases); i++) {
    struct date got = drill_months_before(cases[i].d, cases[i].months);
    assert_int_equal(drill_date_cmp(got, cases[i].want), 0);
  }
  assert_int_equal(drill_date_cmp(day(2026, 1, 1), day(2025, 12, 31)), 1);
  assert_int_equal(drill_date_cmp(day(2025, 12, 31), day(2026, 1, 1)), -1);
}

/* ---- the frequency check ---- */

/* The rules the tests use: the shipped shape, written out. */
static const struct drill_level_rule bcp_levels[] = {
  { "A", 12, "每年一次（A 級）", "Once a year (level A)" },
  { "B", 24, "每二年一次（B 級）", "Once every two years (level B)" },
  { "C", 24, "每二年一次（C 級）", "Once every two years (level C)" },
};
static const struct drill_check checks[] = {
  { "social", DP_HALF_YEAR, 2, "每半年一次", "Every half year", NULL, 0, "b",
    "b" },
  { "notify", DP_YEAR, 2, "每年一次", "Once a year", NULL, 0, "b", "b" },
  { "bcp", DP_ROLLING, 0, NULL, NULL, bcp_levels, N(bcp_levels), "b", "b" },
};
static const struct drill_rules rules = { checks, N(checks) };

/* The rows for today and level over held; asserts the count. */
static size_t freq(struct date today, const char *level,
                   const struct drill_held *held, size_t n,
                   struct drill_period_row *rows, size_t want)
{
  size_t got = drill_freq(&rules, today, level, held, n, rows, 16);
  assert_int_equal(got, want);
  return got;
}

/* Row r is the period [from, to] of kind, done on last (or not done when
 * last is NULL). */
static void expect(const struct drill_period_row *r, const char *kind,
                   int half, const char *from, const char *to,
                   const char *last, int is_current)
{
  char a[16], b[16];
  assert_string_equal(r->check->kind, kind);
  assert_int_equal(r->half, half);
  assert_true(r->is_applicable);
  iso(r->from, a);
  iso(r->to, b);
  assert_string_equal(a, from);
  assert_string_equal(b, to);
  assert_int_equal(r->is_current, is_current);
  if(!last) {
    assert_false(r->is_done);
    return;
  }
  assert_true(r->is_done);
  iso(r->last, a);
  assert_string_equal(a, last);
}

static void test_freq_second_half(void **state)
{
  /* In any order; two in one half (the later is shown); the last day of
   * a half and the first of the next; one before the window; drills
   * after today are not counted; other kinds do not count. */
  const struct drill_held held[] = {
    { "social", { 2025, 6, 30 } },  { "social", { 2026, 3, 2 } },
    { "social", { 2026, 5, 12 } },  { "social", { 2024, 12, 31 } },
    { "social", { 2026, 11, 25 } }, { "notify", { 2025, 7, 1 } },
    { "attack", { 2026, 9, 9 } },   { "bcp", { 2024, 11, 24 } },
    { "other", { 2026, 8, 1 } },
  };
  struct drill_period_row rows[16];
  struct date today = day(2026, 11, 24), last;
  (void)state;
  freq(today, "C", held, N(held), rows, 7);
  expect(&rows[0], "social", 2, "2026-07-01", "2026-12-31", NULL, 1);
  expect(&rows[1], "social", 1, "2026-01-01", "2026-06-30", "2026-05-12", 0);
  expect(&rows[2], "social", 2, "2025-07-01", "2025-12-31", NULL, 0);
  expect(&rows[3], "social", 1, "2025-01-01", "2025-06-30", "2025-06-30", 0);
  expect(&rows[4], "notify", 0, "2026-01-01", "2026-12-31", NULL, 1);
  expect(&rows[5], "notify", 0, "2025-01-01", "2025-12-31", "2025-07-01", 0);
  /* Two years back from today, today's date included. */
  expect(&rows[6], "bcp", 0, "2024-11-24", "2026-11-24", "2024-11-24", 1);
  assert_string_equal(rows[0].rule, "每半年一次");
  assert_string_equal(rows[6].rule, "每二年一次（C 級）");
  /* The last held: the latest on or before today. */
  assert_true(drill_last_held("social", today, held, N(held), &last));
  assert_int_equal(drill_date_cmp(last, day(2026, 5, 12)), 0);
  assert_false(drill_last_held("scenario", today, held, N(held), &last));
  /* A day later the BCP drill is out of the window; the drill of 25
   * November counts from that day on. */
  freq(day(2026, 11, 25), "C", held, N(held), rows, 7);
  expect(&rows[0], "social", 2, "2026-07-01", "2026-12-31", "2026-11-25", 1);
  expect(&rows[6], "bcp", 0, "2024-11-25", "2026-11-25", NULL, 1);
  /* Level A: one year. */
  freq(today, "A", held, N(held), rows, 7);
  expect(&rows[6], "bcp", 0, "2025-11-24", "2026-11-24", NULL, 1);
}

static void test_freq_first_half_and_levels(void **state)
{
  const struct drill_held held[] = {
    { "social", { 2025, 12, 31 } },
    { "notify", { 2026, 1, 1 } },
  };
  struct drill_period_row rows[16];
  (void)state;
  /* In the first half the second half of this year has not begun. */
  freq(day(2026, 6, 30), "B", held, N(held), rows, 6);
  expect(&rows[0], "social", 1, "2026-01-01", "2026-06-30", NULL, 1);
  expect(&rows[1], "social", 2, "2025-07-01", "2025-12-31", "2025-12-31", 0);
  expect(&rows[2], "social", 1, "2025-01-01", "2025-06-30", NULL, 0);
  expect(&rows[3], "notify", 0, "2026-01-01", "2026-12-31", "2026-01-01", 1);
  expect(&rows[4], "notify", 0, "2025-01-01", "2025-12-31", NULL, 0);
  /* A level without the duty, and an unknown level: one row each, not
   * applicable. */
  freq(day(2026, 6, 30), "D", held, N(held), rows, 6);
  assert_false(rows[5].is_applicable);
  assert_null(rows[5].rule);
  assert_string_equal(rows[5].check->kind, "bcp");
  freq(day(2026, 6, 30), NULL, held, N(held), rows, 6);
  assert_false(rows[5].is_applicable);
  /* On 1 January a new year starts with nothing done. */
  freq(day(2026, 1, 1), "C", NULL, 0, rows, 6);
  expect(&rows[0], "social", 1, "2026-01-01", "2026-06-30", NULL, 1);
  /* Room for fewer rows: no overrun. */
  assert_int_equal(
    drill_freq(&rules, day(2026, 11, 24), "C", held, N(held), rows, 3), 3);
}

/* The shipped file loads, in the order the check shows it. */
static void test_shipped_rules(void **state)
{
  const struct drill_rules *r = drill_rules();
  size_t i;
  (void)state;
  assert_int_equal(r->n_checks, 3);
  for(i = 0; i < r->n_checks; i++) {
    assert_non_null(r->checks[i].basis);
    assert_non_null(r->checks[i].basis_en);
  }
  assert_string_equal(r->checks[0].kind, "social");
  assert_int_equal(r->checks[0].period, DP_HALF_YEAR);
  assert_int_equal(r->checks[0].years, 2);
  assert_string_equal(r->checks[0].rule, "每半年一次");
  assert_string_equal(r->checks[1].kind, "notify");
  assert_int_equal(r->checks[1].period, DP_YEAR);
  assert_int_equal(r->checks[1].years, 2);
  assert_string_equal(r->checks[2].kind, "bcp");
  assert_int_equal(r->checks[2].period, DP_ROLLING);
  assert_null(r->checks[2].rule);
  assert_int_equal(r->checks[2].n_levels, 3);
  assert_string_equal(r->checks[2].levels[0].level, "A");
  assert_int_equal(r->checks[2].levels[0].months, 12);
  assert_string_equal(r->checks[2].levels[2].level, "C");
  assert_int_equal(r->checks[2].levels[2].months, 24);
}

/* Broken copies of the shipped file name the place and the key. */
static void test_rules_errors(void **state)
{
  static const struct {
    const char *after;     /* search from here */
    const char *from, *to; /* replace in the embedded text */
    const char *where;     /* expected in the message */
  } cases[] = {
    { "{", "\"format\": 1", "\"format\": 2", "format" },
    { "\"checks\"", "\"period\": \"half_year\"", "\"period\": \"month\"",
      "checks[0]: period" },
    { "\"checks\"", "\"years\": 2", "\"years\": 0", "checks[0]: years" },
    { "\"checks\"", "\"kind\": \"notify\"", "\"kind\": \"social\"",
      "checks[1]: kind" },
    { "\"bcp\"", "\"level\": \"B\"", "\"level\": \"A\"",
      "checks[2].levels[1]: level" },
    { "\"bcp\"", "\"level\": \"C\"", "\"level\": \"F\"",
      "checks[2].levels[2]: level" },
    { "\"bcp\"", "\"months\": 12", "\"months\": 0",
      "checks[2].levels[0]: months" },
    { "\"checks\"", "\"rule_en\": \"Once a year\"", "\"rule_xx\": \"x\"",
      "checks[1]: rule_en: missing" },
    { "\"bcp\"", "\"period\": \"rolling\"", "\"period\": \"year\"",
      "checks[2]: levels" },
  };
  const struct embedded_file *f =
    embed_find(embedded_data, n_embedded_data, "drill.json");
  struct buf why;
  size_t i;

  (void)state;
  assert_non_null(f);
  buf_init(&why, 1024);
  assert_int_equal(drill_rules_check((const char *)f->data, f->len, &why),
                   ST_OK);
  for(i = 0; i < N(cases); i++) {
    const char *text = (const char *)f->data;
    const char *at = strstr(strstr(text, cases[i].after), cases[i].from);
    struct buf broken;
    assert_non_null(at);
    buf_init(&broken, 1 << 20);
    buf_append(&broken, text, (size_t)(at - text));
    buf_puts(&broken, cases[i].to);
    buf_puts(&broken, at + strlen(cases[i].from));
    buf_clear(&why);
    assert_int_equal(drill_rules_check(broken.data, broken.len, &why),
                     ST_INVALID);
    assert_non_null(strstr(why.data, "drill.json: "));
    if(!strstr(why.data, cases[i].where)) {
      fail_msg("case %zu: \"%s\" lacks \"%s\"", i, why.data, cases[i].where);
    }
    buf_free(&broken);
  }
  buf_free(&why);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_months_before),
    cmocka_unit_test(test_freq_second_half),
    cmocka_unit_test(test_freq_first_half_and_levels),
    cmocka_unit_test(test_shipped_rules),
    cmocka_unit_test(test_rules_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
