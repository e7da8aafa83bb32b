/*
 * test_obligations.c: unit tests for rules/obligations.c: the shipped
 * obligations.json loads (the 110 and 115 sets, the C-level 115 items
 * of issue 6, A and B values, the plan's duties); which duties apply to
 * a level on a date; due dates limited to their set's time in force,
 * counted from the amendment's effective date, and dropped after the
 * agency leaves the level; broken copies of the file name the place and
 * the key.  Depends on cmocka, rules/obligations, core/buf, core/embed
 * and core/time.
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
#include "core/status.h"
#include "core/str.h"
#include "core/time.h"
#include "rules/obligations.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct date day(const char *s)
{
  struct date d = { 0, 0, 0 };
  if(*s) {
    assert_int_equal(time_parse_date(str_c(s), &d), ST_OK);
  }
  return d;
}

/* The item of duty id among the n items, or NULL. */
static const struct obl_item *find(const struct obl_item *items, size_t n,
                                   const char *id)
{
  size_t i;
  for(i = 0; i < n; i++) {
    if(!strcmp(items[i].duty->id, id)) {
      return &items[i];
    }
  }
  return NULL;
}

/* The due dates as "YYYY-MM-DD ..." */
static void dates(const struct obl_item *it, const struct obl_agency *ag,
                  const char *from, const char *to, char *got, size_t size)
{
  struct date out[64];
  size_t n = obligations_dates(it, ag, day(from), day(to), out, N(out));
  size_t i, len = 0;

  got[0] = '\0';
  for(i = 0; i < n; i++) {
    len +=
      (size_t)snprintf(got + len, size - len, "%s%04d-%02d-%02d", i ? " " : "",
                       out[i].year, out[i].month, out[i].day);
  }
}

static void test_shipped(void **state)
{
  const struct obligations *o = obligations();
  struct obl_item items[OBL_ITEMS_MAX];
  const struct obl_item *it;
  size_t n;

  (void)state;
  assert_int_equal(o->n_sets, 2);
  assert_string_equal(o->sets[0].id, "110");
  assert_string_equal(o->sets[1].id, "115");
  assert_int_equal(schedule_date_cmp(o->sets[0].until, day("2026-01-06")), 0);
  assert_int_equal(o->sets[1].until.year, 0);
  assert_true(o->n_plan >= 10);
  assert_ptr_equal(obligations(), o); /* loaded once */

  assert_null(obligations_set_on(o, day("2021-08-22")));
  assert_ptr_equal(obligations_set_on(o, day("2021-08-23")), &o->sets[0]);
  assert_ptr_equal(obligations_set_on(o, day("2026-01-06")), &o->sets[0]);
  assert_ptr_equal(obligations_set_on(o, day("2026-01-07")), &o->sets[1]);

  /* C under 115: the items issue 6 lists */
  n = obligations_for(o, "C", day("2026-11-24"), items, N(items));
  assert_true(n > 20 && n < N(items));
  it = find(items, n, "internal_audit");
  assert_non_null(it);
  assert_ptr_equal(it->duty->set, &o->sets[1]);
  assert_int_equal(it->rule->when.every_months, 24);
  assert_int_equal(it->rule->when.anchor, SA_LEVEL);
  assert_int_equal(it->duty->chapter, 15);
  assert_string_equal(it->duty->owner, "performance");
  assert_int_equal(find(items, n, "bcp_drill")->rule->when.every_months, 24);
  assert_int_equal(find(items, n, "web_scan")->rule->when.every_months, 24);
  assert_int_equal(find(items, n, "penetration_test")->rule->when.every_months,
                   24);
  assert_int_equal(find(items, n, "health_check")->rule->when.every_months,
                   24);
  it = find(items, n, "system_classification");
  assert_int_equal(it->rule->when.within_months, 24);
  assert_int_equal(it->rule->when.every_months, 12);
  assert_int_equal(it->rule->when.anchor, SA_AMENDMENT);
  it = find(items, n, "isms_adoption");
  assert_int_equal(it->rule->when.every_months, 0);
  assert_int_equal(it->rule->when.within_months, 24);
  assert_int_equal(find(items, n, "vuln_mgmt")->rule->when.within_months, 24);
  assert_int_equal(find(items, n, "protection")->rule->when.within_months, 12);
  it = find(items, n, "dedicated_staff");
  assert_int_equal(it->rule->when.within_months, 12);
  assert_non_null(strstr(it->rule->detail, "1 人"));
  assert_int_equal(find(items, n, "training_general")->rule->when.month, 12);
  assert_null(find(items, n, "certification")); /* not for C */
  assert_null(find(items, n, "soc"));
  assert_null(find(items, n, "edr"));
  /* the plan's own duties */
  it = find(items, n, "management_review");
  assert_non_null(it);
  assert_null(it->duty->set);
  assert_int_equal(it->rule->when.anchor, SA_MONTH);
  assert_int_equal(it->rule->when.month, 12);
  assert_int_equal(
    find(items, n, "privileged_account_review")->rule->when.every_months, 3);
  assert_int_equal(
    find(items, n, "software_inventory")->rule->when.every_months, 6);
  assert_non_null(find(items, n, "training_plan"));
  assert_non_null(find(items, n, "implementation_report"));

  /* A and B values */
  n = obligations_for(o, "A", day("2026-11-24"), items, N(items));
  assert_int_equal(find(items, n, "internal_audit")->rule->when.every_months,
                   6);
  assert_int_equal(find(items, n, "web_scan")->rule->when.every_months, 6);
  assert_int_equal(find(items, n, "certification")->rule->when.within_months,
                   36);
  assert_non_null(find(items, n, "edr"));
  n = obligations_for(o, "B", day("2026-11-24"), items, N(items));
  assert_int_equal(find(items, n, "internal_audit")->rule->when.every_months,
                   12);
  assert_int_equal(find(items, n, "penetration_test")->rule->when.every_months,
                   24);

  /* under 110 there is no EDR item; VANS goes by the same id */
  n = obligations_for(o, "A", day("2025-06-01"), items, N(items));
  assert_null(find(items, n, "edr"));
  assert_ptr_equal(find(items, n, "vuln_mgmt")->duty->set, &o->sets[0]);

  /* D and E */
  n = obligations_for(o, "D", day("2026-11-24"), items, N(items));
  assert_null(find(items, n, "internal_audit"));
  assert_non_null(find(items, n, "protection"));
  n = obligations_for(o, "E", day("2026-11-24"), items, N(items));
  assert_null(find(items, n, "protection"));
  assert_non_null(find(items, n, "training_general"));

  /* before the first set: the plan's duties only */
  assert_int_equal(obligations_for(o, "C", day("2020-01-01"), items, N(items)),
                   o->n_plan);
  assert_int_equal(obligations_for(o, "F", day("2026-11-24"), items, N(items)),
                   0);
  assert_int_equal(
    obligations_for(o, NULL, day("2026-11-24"), items, N(items)), 0);
  assert_int_equal(
    obligations_for(o, "CC", day("2026-11-24"), items, N(items)), 0);
  assert_int_equal(obligations_for(o, "C", day("2026-11-24"), items, 2), 2);
}

static void test_dates(void **state)
{
  const struct obligations *o = obligations();
  struct obl_item items115[OBL_ITEMS_MAX], items110[OBL_ITEMS_MAX];
  struct obl_agency ag;
  size_t n115, n110;
  char got[1024];

  (void)state;
  memset(&ag, 0, sizeof(ag));
  ag.level_approved = day("2022-03-01");
  n115 = obligations_for(o, "C", day("2026-11-24"), items115, N(items115));
  n110 = obligations_for(o, "C", day("2025-11-24"), items110, N(items110));

  /* every 2 years from the approval, each set only while in force */
  dates(find(items115, n115, "internal_audit"), &ag, "2020-01-01",
        "2030-12-31", got, sizeof(got));
  assert_string_equal(got, "2026-03-01 2028-03-01 2030-03-01");
  dates(find(items110, n110, "internal_audit"), &ag, "2020-01-01",
        "2030-12-31", got, sizeof(got));
  assert_string_equal(got, "2024-03-01");

  /* 115 §11 VII: from 2026-01-07 */
  dates(find(items115, n115, "protection"), &ag, "2020-01-01", "2030-12-31",
        got, sizeof(got));
  assert_string_equal(got, "2027-01-07");
  dates(find(items115, n115, "isms_adoption"), &ag, "2020-01-01", "2030-12-31",
        got, sizeof(got));
  assert_string_equal(got, "2028-01-07");
  dates(find(items115, n115, "system_classification"), &ag, "2020-01-01",
        "2030-01-31", got, sizeof(got));
  assert_string_equal(got, "2028-01-07 2029-01-07 2030-01-07");
  /* under 110 the same deadline counted from the approval */
  dates(find(items110, n110, "isms_adoption"), &ag, "2020-01-01", "2030-12-31",
        got, sizeof(got));
  assert_string_equal(got, "2024-03-01");

  /* the plan's duties follow the calendar under every set */
  dates(find(items115, n115, "management_review"), &ag, "2025-01-01",
        "2027-12-31", got, sizeof(got));
  assert_string_equal(got, "2025-12-31 2026-12-31 2027-12-31");
  dates(find(items115, n115, "privileged_account_review"), &ag, "2026-01-01",
        "2026-12-31", got, sizeof(got));
  assert_string_equal(got, "2026-03-31 2026-06-30 2026-09-30 2026-12-31");
}

/* A C-level agency moved to D on 2027-07-01: the C duties due after it
 * fall away; the D duties count from the change. */
static void test_level_left(void **state)
{
  const struct obligations *o = obligations();
  struct obl_item items[OBL_ITEMS_MAX];
  struct obl_agency as_c, as_d;
  size_t n;
  char got[1024];

  (void)state;
  memset(&as_c, 0, sizeof(as_c));
  as_c.level_approved = day("2022-03-01");
  as_c.level_until = day("2027-06-30");
  n = obligations_for(o, "C", day("2027-06-30"), items, N(items));
  dates(find(items, n, "internal_audit"), &as_c, "2026-01-07", "2032-12-31",
        got, sizeof(got));
  assert_string_equal(got, "2026-03-01");
  dates(find(items, n, "isms_adoption"), &as_c, "2026-01-07", "2032-12-31",
        got, sizeof(got));
  assert_string_equal(got, ""); /* due 2028-01-07, after the change */

  n = obligations_for(o, "D", day("2027-07-01"), items, N(items));
  assert_null(find(items, n, "internal_audit"));
  memset(&as_d, 0, sizeof(as_d));
  as_d.level_approved = day("2022-03-01");
  as_d.level_changed = day("2027-07-01");
  dates(find(items, n, "protection"), &as_d, "2027-07-01", "2032-12-31", got,
        sizeof(got));
  assert_string_equal(got, "2028-07-01");
}

/* Broken copies of the shipped file name the place and the key. */
static void test_errors(void **state)
{
  static const struct {
    const char *after;     /* search from here */
    const char *from, *to; /* replace in the embedded text */
    const char *where;     /* expected in the message */
  } cases[] = {
    { "{", "\"format\": 1", "\"format\": 2", "format" },
    { "\"sets\"", "\"effective\": \"2026-01-07\"",
      "\"effective\": \"2021-08-23\"", "sets[1]: effective" },
    { "\"sets\"", "\"effective\": \"2026-01-07\"",
      "\"effective\": \"2026-02-30\"", "sets[1]: effective" },
    { "\"sets\"", "\"id\": \"115\"", "\"id\": \"110\"", "sets[1]: id" },
    { "\"internal_audit\"", "\"frequency\": \"yearly\"",
      "\"frequency\": \"weekly\"", "sets[0].duties[4].rules[1]: frequency" },
    { "\"internal_audit\"", "\"years\": 2", "\"years\": 1",
      "sets[0].duties[4].rules[2]: years" },
    { "\"internal_audit\"", "\"years\": 2,", "",
      "sets[0].duties[4].rules[2]: years: missing" },
    { "\"internal_audit\"", "\"anchor\": \"level\"",
      "\"anchor\": \"approval\"", "sets[0].duties[4].rules[0]: anchor" },
    { "\"internal_audit\"", "\"levels\": [\"B\"]", "\"levels\": [\"A\"]",
      "sets[0].duties[4].rules[1]: levels" },
    { "\"internal_audit\"", "\"levels\": [\"C\"]", "\"levels\": [\"F\"]",
      "sets[0].duties[4].rules[2]: levels" },
    { "\"internal_audit\"", "\"owner\": \"performance\"",
      "\"owner\": \"nobody\"", "sets[0].duties[4]: owner" },
    { "\"internal_audit\"", "\"chapter\": 15", "\"chapter\": 3",
      "sets[0].duties[4]: chapter" },
    { "\"isms_adoption\"", "\"within_months\": 24,", "",
      "sets[0].duties[1].rules[0]: within_months: missing" },
    { "\"sets\"", "\"id\": \"bcp_drill\"", "\"id\": \"internal_audit\"",
      "sets[0].duties[5]: id" },
    { "\"plan\"", "\"id\": \"policy_awareness_staff\"",
      "\"id\": \"internal_audit\"", "plan[0]: id" },
    { "\"plan\"", "\"anchor\": \"month\",\n          \"month\": 12",
      "\"anchor\": \"amendment\", \"within_months\": 12",
      "plan[0].rules[0]: anchor" },
    { "\"plan\"", "\"month\": 12", "\"month\": 13",
      "plan[0].rules[0]: month" },
    { "\"privileged_account_review\"", "\"frequency\": \"quarterly\"",
      "\"frequency\": \"years\", \"years\": 2",
      "plan[4].rules[0]: frequency" },
    { "\"dedicated_staff\"", "\"detail_en\"", "\"detail_xx\"",
      "sets[0].duties[3].rules[0]: detail_en" },
  };
  const struct embedded_file *f =
    embed_find(embedded_data, n_embedded_data, "obligations.json");
  struct buf why;
  size_t i;

  (void)state;
  assert_non_null(f);
  buf_init(&why, 1024);
  assert_int_equal(obligations_check((const char *)f->data, f->len, &why),
                   ST_OK);
  for(i = 0; i < N(cases); i++) {
    const char *text = (const char *)f->data;
    const char *after = strstr(text, cases[i].after);
    const char *at;
    struct buf broken;
    assert_non_null(after);
    at = strstr(after, cases[i].from);
    if(!at) {
      fail_msg("case %zu: \"%s\" not found", i, cases[i].from);
    }
    buf_init(&broken, 1 << 20);
    buf_append(&broken, text, (size_t)(at - text));
    buf_puts(&broken, cases[i].to);
    buf_puts(&broken, at + strlen(cases[i].from));
    buf_clear(&why);
    assert_int_equal(obligations_check(broken.data, broken.len, &why),
                     ST_INVALID);
    assert_non_null(strstr(why.data, "obligations.json: "));
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
    cmocka_unit_test(test_shipped),
    cmocka_unit_test(test_dates),
    cmocka_unit_test(test_level_left),
    cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
