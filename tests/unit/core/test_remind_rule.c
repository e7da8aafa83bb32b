/*
 * test_remind_rule.c: unit tests for core/remind_rule.c: the remind-days
 * setting, which reminders a person is owed for one occurrence on one
 * day (owner, CISO, both, neither; before, on and after the due date; a
 * late start; month and year ends), day arithmetic, and the base-url
 * check.  Depends on cmocka and core/{remind_rule,time}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/remind_rule.h"

static void test_days_parse(void **state)
{
  static const struct {
    const char *in;
    int ok;
    const char *out; /* the offsets, largest first */
  } cases[] = {
    { "30,7,1", 1, "30 7 1" },
    { "1,7,30", 1, "30 7 1" },
    { " 30 , 7,1 ", 1, "30 7 1" },
    { "0", 1, "0" },
    { "365,0", 1, "365 0" },
    { "", 1, "" },
    { "   ", 1, "" },
    { "14", 1, "14" },
    { "1,2,3,4,5,6,7,8", 1, "8 7 6 5 4 3 2 1" },
    { "1,2,3,4,5,6,7,8,9", 0, NULL },
    { "366", 0, NULL },
    { "-1", 0, NULL },
    { "+7", 0, NULL },
    { "7d", 0, NULL },
    { "7,7", 0, NULL },
    { "30,,7", 0, NULL },
    { "30,", 0, NULL },
    { ",30", 0, NULL },
    { "30;7", 0, NULL },
    { "3 0", 0, NULL },
    { "99999999999999999999", 0, NULL },
    { "\xe4\xb8\x83", 0, NULL }, /* 七 */
  };
  size_t i, j;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct remind_days rd;
    enum status st = remind_days_parse(cases[i].in, &rd);
    if(!cases[i].ok) {
      if(st != ST_INVALID) {
        fail_msg("\"%s\" was accepted", cases[i].in);
      }
      continue;
    }
    if(st != ST_OK) {
      fail_msg("\"%s\" was refused", cases[i].in);
    }
    {
      char got[128] = "";
      size_t used = 0;
      for(j = 0; j < rd.n; j++) {
        used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%d",
                                 j ? " " : "", rd.days[j]);
      }
      assert_string_equal(got, cases[i].out);
    }
  }
  assert_int_equal(remind_days_parse(NULL, &(struct remind_days){ { 0 }, 0 }),
                   ST_INVALID);
}

/* The keys of remind_keys_for() joined by spaces. */
static const char *keys_of(const char *days, struct date due,
                           struct date today, int owner, int ciso, char *out,
                           size_t n)
{
  struct remind_days rd;
  struct remind_keys k;
  size_t i, used = 0;
  assert_int_equal(remind_days_parse(days, &rd), ST_OK);
  remind_keys_for(&rd, due, today, owner, ciso, &k);
  out[0] = 0;
  for(i = 0; i < k.n; i++) {
    used +=
      (size_t)snprintf(out + used, n - used, "%s%s", i ? " " : "", k.key[i]);
  }
  return out;
}

static void test_keys(void **state)
{
  static const struct {
    const char *days;
    struct date due, today;
    int owner, ciso;
    const char *want;
  } cases[] = {
    /* Before the due date, to the owner: the nearest offset. */
    { "30,7,1", { 2026, 6, 22 }, { 2026, 5, 1 }, 1, 0, "" },  /* 52 days */
    { "30,7,1", { 2026, 6, 22 }, { 2026, 5, 22 }, 1, 0, "" }, /* 31 days */
    { "30,7,1", { 2026, 6, 22 }, { 2026, 5, 23 }, 1, 0, "d30" },
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 14 }, 1, 0, "d30" }, /* 8 */
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 15 }, 1, 0, "d7" },
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 17 }, 1, 0, "d7" }, /* late */
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 21 }, 1, 0, "d1" },
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 22 }, 1, 0, "d1" }, /* today */
    { "30,7,1,0", { 2026, 6, 22 }, { 2026, 6, 22 }, 1, 0, "d0" },
    { "", { 2026, 6, 22 }, { 2026, 6, 21 }, 1, 0, "" },
    /* Before it, the CISO who does not own it hears nothing. */
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 21 }, 0, 1, "" },
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 21 }, 1, 1, "d1" },
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 21 }, 0, 0, "" },
    /* After it: the day's digest; the escalation to a CISO who does not
     * own it; nothing to others. */
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 23 }, 1, 0, "overdue:2026-06-23" },
    { "30,7,1",
      { 2026, 6, 22 },
      { 2026, 6, 23 },
      0,
      1,
      "overdue:2026-06-23 escalate" },
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 23 }, 1, 1, "overdue:2026-06-23" },
    { "30,7,1", { 2026, 6, 22 }, { 2026, 6, 23 }, 0, 0, "" },
    { "", { 2026, 6, 22 }, { 2027, 1, 2 }, 1, 0, "overdue:2027-01-02" },
    /* Across a year end and a leap day. */
    { "30,7,1", { 2027, 1, 3 }, { 2026, 12, 27 }, 1, 0, "d7" },
    { "30,7,1", { 2028, 3, 1 }, { 2028, 2, 29 }, 1, 0, "d1" },
    { "30,7,1",
      { 2028, 2, 29 },
      { 2028, 3, 1 },
      0,
      1,
      "overdue:2028-03-01 escalate" },
  };
  size_t i;
  char got[128];
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    keys_of(cases[i].days, cases[i].due, cases[i].today, cases[i].owner,
            cases[i].ciso, got, sizeof(got));
    if(strcmp(got, cases[i].want) != 0) {
      fail_msg("case %zu: \"%s\", wanted \"%s\"", i, got, cases[i].want);
    }
  }
}

static void test_day_arithmetic(void **state)
{
  struct date d;
  (void)state;
  assert_int_equal(remind_days_between((struct date){ 2026, 6, 15 },
                                       (struct date){ 2026, 6, 22 }),
                   7);
  assert_int_equal(remind_days_between((struct date){ 2026, 6, 22 },
                                       (struct date){ 2026, 6, 15 }),
                   -7);
  assert_int_equal(remind_days_between((struct date){ 2028, 2, 28 },
                                       (struct date){ 2028, 3, 1 }),
                   2);
  assert_int_equal(remind_days_between((struct date){ 2026, 12, 31 },
                                       (struct date){ 2027, 1, 1 }),
                   1);
  d = remind_date_add((struct date){ 2026, 12, 25 }, 30);
  assert_int_equal(d.year, 2027);
  assert_int_equal(d.month, 1);
  assert_int_equal(d.day, 24);
  d = remind_date_add((struct date){ 2028, 3, 1 }, -1);
  assert_int_equal(d.month, 2);
  assert_int_equal(d.day, 29);
}

static void test_base_url(void **state)
{
  static const char *const good[] = {
    "http://127.0.0.1:8080",
    "https://isms.example.gov.tw",
    "https://isms.example.gov.tw/",
    "https://isms.example.gov.tw/isms",
    "https://isms.example.gov.tw:8443/a/b-c_d.e~f/",
    "http://[::1]:8080",
    "http://[2001:db8::1]/isms",
    "http://localhost",
  };
  static const char *const bad[] = {
    "",
    "isms.example.gov.tw",
    "ftp://isms.example.gov.tw",
    "javascript:alert(1)",
    "https://",
    "https:///path",
    "https://user:pw@isms.example.gov.tw",
    "https://isms.example.gov.tw?x=1",
    "https://isms.example.gov.tw/#top",
    "https://isms.example.gov.tw/a b",
    "https://isms.example.gov.tw:0",
    "https://isms.example.gov.tw:65536",
    "https://isms.example.gov.tw:80x",
    "https://isms.example.gov.tw:",
    "https://isms.example.gov.tw//x",
    "https://isms.example.gov.tw/\r\nX: 1",
    "https://.example.gov.tw",
    "https://-x.example.gov.tw",
    "https://isms.example.gov.tw./",
    "http://[::1",
    "http://[]",
    "http://[::1]x",
    "http://[g::1]",
    "https://isms.example.gov.tw/%2e%2e",
    "https://\xe8\xb3\x87\xe5\xae\x89.gov.tw",
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
    if(remind_check_base_url(good[i]) != ST_OK) {
      fail_msg("\"%s\" was refused", good[i]);
    }
  }
  for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    if(remind_check_base_url(bad[i]) != ST_INVALID) {
      fail_msg("\"%s\" was accepted", bad[i]);
    }
  }
  assert_int_equal(remind_check_base_url(NULL), ST_INVALID);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_days_parse),
    cmocka_unit_test(test_keys),
    cmocka_unit_test(test_day_arithmetic),
    cmocka_unit_test(test_base_url),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
