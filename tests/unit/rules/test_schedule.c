/*
 * test_schedule.c: unit tests for rules/schedule.c as a table: each
 * frequency, each anchor kind (level approval, level change, the 115
 * amendment 2026-01-07, a fixed month), month ends and leap years
 * counted from the anchor (行政程序法 §48), the window, and the cap.
 * Depends on cmocka, rules/schedule and core/time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/status.h"
#include "core/str.h"
#include "core/time.h"
#include "rules/schedule.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Dates as text so a failing case prints readably. */
static struct date parse(const char *s)
{
  struct date d = { 0, 0, 0 };
  if(s && *s) {
    assert_int_equal(time_parse_date(str_c(s), &d), ST_OK);
  }
  return d;
}

struct sched_case {
  const char *what;
  struct sched_rule rule;
  const char *approved, *changed, *amendment; /* "" when absent */
  const char *from, *to;
  const char *want; /* the due dates, space-separated */
};

static const struct sched_case cases[] = {
  /* a fixed month: the month's last day, then every step of the year */
  { "monthly on month ends",
    { 1, SA_MONTH, 0, 1 },
    "",
    "",
    "",
    "2026-01-01",
    "2026-04-30",
    "2026-01-31 2026-02-28 2026-03-31 2026-04-30" },
  { "monthly in a leap February",
    { 1, SA_MONTH, 0, 1 },
    "",
    "",
    "",
    "2028-02-01",
    "2028-03-31",
    "2028-02-29 2028-03-31" },
  { "quarterly from March",
    { 3, SA_MONTH, 0, 3 },
    "",
    "",
    "",
    "2026-01-01",
    "2026-12-31",
    "2026-03-31 2026-06-30 2026-09-30 2026-12-31" },
  { "quarterly from February",
    { 3, SA_MONTH, 0, 2 },
    "",
    "",
    "",
    "2027-12-01",
    "2028-12-31",
    "2028-02-29 2028-05-31 2028-08-31 2028-11-30" },
  { "half-yearly from June",
    { 6, SA_MONTH, 0, 6 },
    "",
    "",
    "",
    "2026-01-01",
    "2027-06-29",
    "2026-06-30 2026-12-31" },
  { "December yearly",
    { 12, SA_MONTH, 0, 12 },
    "",
    "",
    "",
    "2025-06-01",
    "2027-12-31",
    "2025-12-31 2026-12-31 2027-12-31" },
  { "January: the window ends the day before",
    { 12, SA_MONTH, 0, 1 },
    "",
    "",
    "",
    "2026-01-31",
    "2027-01-30",
    "2026-01-31" },
  { "a fixed month needs no level",
    { 12, SA_MONTH, 0, 12 },
    "",
    "",
    "",
    "2026-12-31",
    "2026-12-31",
    "2026-12-31" },
  /* counted from the level date */
  { "monthly from 1/31",
    { 1, SA_LEVEL, 0, 0 },
    "2026-01-31",
    "",
    "",
    "2026-01-01",
    "2026-05-31",
    "2026-02-28 2026-03-31 2026-04-30 2026-05-31" },
  { "monthly from 1/31 in a leap year",
    { 1, SA_LEVEL, 0, 0 },
    "2028-01-31",
    "",
    "",
    "2028-01-01",
    "2028-03-31",
    "2028-02-29 2028-03-31" },
  { "yearly from 1/31 stays on 1/31",
    { 12, SA_LEVEL, 0, 0 },
    "2026-01-31",
    "",
    "",
    "2026-01-01",
    "2029-12-31",
    "2027-01-31 2028-01-31 2029-01-31" },
  { "every 2 years from 2024-02-29",
    { 24, SA_LEVEL, 0, 0 },
    "2024-02-29",
    "",
    "",
    "2024-01-01",
    "2030-12-31",
    "2026-02-28 2028-02-29 2030-02-28" },
  { "every 3 years",
    { 36, SA_LEVEL, 0, 0 },
    "2023-07-15",
    "",
    "",
    "2023-01-01",
    "2030-12-31",
    "2026-07-15 2029-07-15" },
  { "quarterly from 11/30, a month end",
    { 3, SA_LEVEL, 0, 0 },
    "2026-11-30",
    "",
    "",
    "2026-01-01",
    "2028-02-29",
    "2027-02-28 2027-05-31 2027-08-31 2027-11-30 2028-02-29" },
  { "quarterly from 11/29 does not drift",
    { 3, SA_LEVEL, 0, 0 },
    "2026-11-29",
    "",
    "",
    "2026-01-01",
    "2027-12-31",
    "2027-02-28 2027-05-29 2027-08-29 2027-11-29" },
  { "half-yearly from 8/31",
    { 6, SA_LEVEL, 0, 0 },
    "2026-08-31",
    "",
    "",
    "2026-01-01",
    "2027-12-31",
    "2027-02-28 2027-08-31" },
  { "once within 1 year",
    { 0, SA_LEVEL, 12, 0 },
    "2025-03-15",
    "",
    "",
    "2025-01-01",
    "2030-12-31",
    "2026-03-15" },
  { "once, outside the window",
    { 0, SA_LEVEL, 12, 0 },
    "2025-03-15",
    "",
    "",
    "2026-03-16",
    "2030-12-31",
    "" },
  { "within 2 years, then yearly",
    { 12, SA_LEVEL, 24, 0 },
    "2025-03-15",
    "",
    "",
    "2025-01-01",
    "2029-12-31",
    "2027-03-15 2028-03-15 2029-03-15" },
  { "a level change restarts the count",
    { 24, SA_LEVEL, 0, 0 },
    "2022-05-01",
    "2025-09-10",
    "",
    "2022-01-01",
    "2029-12-31",
    "2027-09-10 2029-09-10" },
  { "a change recorded before the approval counts the approval",
    { 24, SA_LEVEL, 0, 0 },
    "2022-05-01",
    "2021-01-01",
    "",
    "2022-01-01",
    "2026-12-31",
    "2024-05-01 2026-05-01" },
  { "the window skips the early ones",
    { 24, SA_LEVEL, 0, 0 },
    "2020-01-10",
    "",
    "",
    "2025-01-01",
    "2027-12-31",
    "2026-01-10" },
  { "no level date: none",
    { 24, SA_LEVEL, 0, 0 },
    "",
    "",
    "2026-01-07",
    "2020-01-01",
    "2030-12-31",
    "" },
  /* the 115 amendment (分級辦法 §11 VII) */
  { "amendment + 1 year",
    { 0, SA_AMENDMENT, 12, 0 },
    "2022-05-01",
    "",
    "2026-01-07",
    "2026-01-01",
    "2030-12-31",
    "2027-01-07" },
  { "amendment + 2 years",
    { 0, SA_AMENDMENT, 24, 0 },
    "2022-05-01",
    "",
    "2026-01-07",
    "2026-01-01",
    "2030-12-31",
    "2028-01-07" },
  { "amendment + 2 years, then yearly",
    { 12, SA_AMENDMENT, 24, 0 },
    "2022-05-01",
    "",
    "2026-01-07",
    "2026-01-01",
    "2030-01-07",
    "2028-01-07 2029-01-07 2030-01-07" },
  { "a level approved after the amendment counts from it",
    { 0, SA_AMENDMENT, 12, 0 },
    "2026-06-30",
    "",
    "2026-01-07",
    "2026-01-01",
    "2030-12-31",
    "2027-06-30" },
  { "a level change after the amendment counts from it",
    { 0, SA_AMENDMENT, 24, 0 },
    "2022-05-01",
    "2027-03-31",
    "2026-01-07",
    "2026-01-01",
    "2030-12-31",
    "2029-03-31" },
  { "the amendment alone",
    { 0, SA_AMENDMENT, 12, 0 },
    "",
    "",
    "2026-01-07",
    "2026-01-01",
    "2030-12-31",
    "2027-01-07" },
  { "neither: none",
    { 0, SA_AMENDMENT, 12, 0 },
    "",
    "",
    "",
    "2026-01-01",
    "2030-12-31",
    "" },
  { "from after to: none",
    { 1, SA_MONTH, 0, 1 },
    "",
    "",
    "",
    "2026-02-01",
    "2026-01-01",
    "" },
  /* An agency's own duty (SA_DATE; "approved" is its first due date). */
  { "agency duty quarterly from a month end: month ends",
    { 3, SA_DATE, 0, 0 },
    "2026-01-31",
    "",
    "",
    "2026-01-01",
    "2026-12-31",
    "2026-01-31 2026-04-30 2026-07-31 2026-10-31" },
  { "agency duty once: the first due date only",
    { 0, SA_DATE, 0, 0 },
    "2026-03-15",
    "",
    "",
    "2026-01-01",
    "2027-12-31",
    "2026-03-15" },
  { "agency duty every 2 years from 2/29: 2/28, then 2/29",
    { 24, SA_DATE, 0, 0 },
    "2024-02-29",
    "",
    "",
    "2024-01-01",
    "2028-12-31",
    "2024-02-29 2026-02-28 2028-02-29" },
  { "agency duty started before the window: steps inside it only",
    { 12, SA_DATE, 0, 0 },
    "2025-06-30",
    "",
    "",
    "2026-01-01",
    "2027-12-31",
    "2026-06-30 2027-06-30" },
  { "agency duty without a first date: none",
    { 12, SA_DATE, 0, 0 },
    "",
    "",
    "",
    "2026-01-01",
    "2027-12-31",
    "" },
};

static void run_case(const struct sched_case *c)
{
  struct sched_anchors a;
  struct date out[64];
  char got[1024] = "";
  size_t n, i, len = 0;

  a.level_approved = parse(c->approved);
  a.level_changed = parse(c->changed);
  a.amendment = parse(c->amendment);
  a.first = c->rule.anchor == SA_DATE ? a.level_approved : parse("");
  n = schedule_dates(&c->rule, &a, parse(c->from), parse(c->to), out, N(out));
  for(i = 0; i < n; i++) {
    len +=
      (size_t)snprintf(got + len, sizeof(got) - len, "%s%04d-%02d-%02d",
                       i ? " " : "", out[i].year, out[i].month, out[i].day);
  }
  if(strcmp(got, c->want) != 0) {
    fail_msg("%s: got \"%s\", want \"%s\"", c->what, got, c->want);
  }
}

static void test_table(void **state)
{
  size_t i;
  (void)state;
  for(i = 0; i < N(cases); i++) {
    run_case(&cases[i]);
  }
}

/* The cap is respected, and the first cap dates are given. */
static void test_cap(void **state)
{
  const struct sched_rule monthly = { 1, SA_MONTH, 0, 1 };
  struct sched_anchors a;
  struct date out[3];
  (void)state;
  memset(&a, 0, sizeof(a));
  assert_int_equal(schedule_dates(&monthly, &a, parse("2026-01-01"),
                                  parse("2026-12-31"), out, N(out)),
                   3);
  assert_int_equal(out[2].month, 3);
  assert_int_equal(out[2].day, 31);
  assert_int_equal(schedule_dates(&monthly, &a, parse("2026-01-01"),
                                  parse("2026-12-31"), out, 0),
                   0);
}

/* schedule_base names the date the months count from. */
static void test_base(void **state)
{
  const struct sched_rule level = { 24, SA_LEVEL, 0, 0 };
  const struct sched_rule amend = { 0, SA_AMENDMENT, 12, 0 };
  const struct sched_rule month = { 12, SA_MONTH, 0, 12 };
  struct sched_anchors a;
  struct date d;
  (void)state;
  a.level_approved = parse("2022-05-01");
  a.level_changed = parse("2024-02-29");
  a.amendment = parse("2026-01-07");
  a.first = parse("");
  assert_int_equal(schedule_base(&level, &a, &d), 1);
  assert_int_equal(schedule_date_cmp(d, parse("2024-02-29")), 0);
  assert_int_equal(schedule_base(&amend, &a, &d), 1);
  assert_int_equal(schedule_date_cmp(d, parse("2026-01-07")), 0);
  assert_int_equal(schedule_base(&month, &a, &d), 0);
  assert_int_equal(schedule_date_cmp(parse("2026-01-01"), parse("2025-12-31")),
                   1);
  assert_int_equal(schedule_date_cmp(parse("2025-12-31"), parse("2026-01-01")),
                   -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_table),
    cmocka_unit_test(test_cap),
    cmocka_unit_test(test_base),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
