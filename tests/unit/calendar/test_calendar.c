/*
 * test_calendar.c: unit tests for features/calendar (issue 6 item 2) on
 * a real database: the occurrences generated for a C-level agency under
 * the 115 rules (statutory duties counted from the level date and from
 * the amendment, the plan's duties by month), a second run adding
 * nothing, a change of level voiding what no longer applies (never what
 * is done) and restoring it when the level returns, the agency's own
 * duties counted from their first date and voided when archived, and the
 * standing of an occurrence at the edges of "due soon"; the registers
 * the catalog names as proof exist.  Depends on
 * cmocka, db, registers and features/calendar.
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

#include "core/arena.h"
#include "core/str.h"
#include "core/time.h"
#include "db/db.h"
#include "features/agency/agency.h"
#include "features/calendar/calendar.h"
#include "features/calendar/calendar_store.h"
#include "registers/register.h"
#include "registers/register_store.h"
#include "rules/obligations.h"

struct fixture {
  char dir[64], path[96];
  struct db *db;
  struct arena a;
  int64_t agency;
};

static struct date day(const char *s)
{
  struct date d;
  assert_int_equal(time_parse_date(str_c(s), &d), ST_OK);
  return d;
}

/* Noon in Taipei on day s. */
static int64_t noon(const char *s)
{
  return time_taipei_instant(day(s), 12 * 3600);
}

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof(*f));
  struct buf why;
  const char *v[8] = { "示範機關", "C",  NULL,         NULL,
                       NULL,       NULL, "2019-08-15", NULL };
  assert_non_null(f);
  snprintf(f->dir, sizeof(f->dir), "/tmp/isms-test-cal-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
  buf_init(&why, 4096);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &f->db, &why),
                   ST_OK);
  buf_free(&why);
  arena_init(&f->a, 1 << 22);
  assert_int_equal(reg_agency.n_fields, 8);
  assert_int_equal(reg_store_create(f->db, &reg_agency, v, "t", &f->agency),
                   ST_OK);
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

/* The due dates of duty with status (NULL: any), space-separated. */
static const char *dates_of(struct fixture *f, const char *duty,
                            const char *status)
{
  static char out[2048];
  struct cal_filter q;
  struct occurrence *v;
  size_t n, i, len = 0;
  memset(&q, 0, sizeof(q));
  q.status = status;
  assert_int_equal(cal_store_list(f->db, &q, &f->a, &v, &n), ST_OK);
  out[0] = 0;
  for(i = 0; i < n; i++) {
    if(strcmp(v[i].duty, duty) != 0) {
      continue;
    }
    len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%04d-%02d-%02d",
                            len ? " " : "", v[i].due.year, v[i].due.month,
                            v[i].due.day);
  }
  return out;
}

static int64_t id_of(struct fixture *f, const char *duty, const char *due)
{
  struct cal_filter q;
  struct occurrence *v;
  size_t n, i;
  memset(&q, 0, sizeof(q));
  assert_int_equal(cal_store_list(f->db, &q, &f->a, &v, &n), ST_OK);
  for(i = 0; i < n; i++) {
    char d[16];
    snprintf(d, sizeof(d), "%04d-%02d-%02d", v[i].due.year, v[i].due.month,
             v[i].due.day);
    if(strcmp(v[i].duty, duty) == 0 && strcmp(d, due) == 0) {
      return v[i].id;
    }
  }
  fail_msg("no occurrence %s %s", duty, due);
  return 0;
}

static void set_level(struct fixture *f, const char *level)
{
  const char *v[8] = { "示範機關", level, NULL,         NULL,
                       NULL,       NULL,  "2019-08-15", "2026-11-01" };
  assert_int_equal(reg_store_update(f->db, &reg_agency, f->agency, 0, v, "t"),
                   ST_OK);
}

static void test_generate_c(void **state)
{
  struct fixture *f = *state;
  struct cal_gen g;
  assert_int_equal(calendar_generate(f->db, noon("2026-11-24"), "t", &g),
                   ST_OK);
  assert_true(g.added > 0);
  assert_int_equal(g.voided, 0);
  /* Every 2 years from the level date 2019-08-15 (level anchor). */
  assert_string_equal(dates_of(f, "internal_audit", NULL), "2027-08-15");
  assert_string_equal(dates_of(f, "bcp_drill", NULL), "2027-08-15");
  /* Within 1 year of the 115 amendment (2026-01-07), once. */
  assert_string_equal(dates_of(f, "dedicated_staff", NULL), "2027-01-07");
  assert_string_equal(dates_of(f, "protection", NULL), "2027-01-07");
  /* Within 2 years of the amendment: after the window. */
  assert_string_equal(dates_of(f, "isms_adoption", NULL), "");
  /* The plan's quarterly review from March, month ends. */
  assert_string_equal(dates_of(f, "privileged_account_review", NULL),
                      "2026-03-31 2026-06-30 2026-09-30 2026-12-31 "
                      "2027-03-31 2027-06-30 2027-09-30 2027-12-31");
  assert_string_equal(dates_of(f, "management_review", NULL),
                      "2026-12-31 2027-12-31");
  assert_string_equal(dates_of(f, "training_plan", NULL),
                      "2026-01-31 2027-01-31");
  /* A second run adds, voids and restores nothing. */
  {
    size_t before = g.added;
    assert_int_equal(calendar_generate(f->db, noon("2026-11-25"), "t", &g),
                     ST_OK);
    assert_int_equal(g.added, 0);
    assert_int_equal(g.voided, 0);
    assert_int_equal(g.restored, 0);
    assert_true(before > 40);
  }
}

static void test_level_change(void **state)
{
  struct fixture *f = *state;
  struct cal_gen g;
  int64_t done;
  assert_int_equal(calendar_generate(f->db, noon("2026-11-24"), "t", &g),
                   ST_OK);
  /* The C-level audit of 2027 is done early; the continuity drill is
   * not. */
  done = id_of(f, "internal_audit", "2027-08-15");
  assert_int_equal(cal_store_close(f->db, done, "完成", 0, "agency", 1, "t",
                                   "2026-11-24T04:00:00Z"),
                   ST_OK);
  /* Level B from 2026-11-01: duties count from the change. */
  set_level(f, "B");
  assert_int_equal(calendar_generate(f->db, noon("2026-11-24"), "t", &g),
                   ST_OK);
  assert_true(g.voided > 0);
  assert_true(g.added > 0);
  assert_string_equal(dates_of(f, "bcp_drill", "void"), "2027-08-15");
  /* What was done stays done. */
  assert_string_equal(dates_of(f, "internal_audit", "done"), "2027-08-15");
  /* Back to C: the void occurrence applies again. */
  {
    const char *v[8] = { "示範機關", "C",  NULL,         NULL,
                         NULL,       NULL, "2019-08-15", NULL };
    assert_int_equal(
      reg_store_update(f->db, &reg_agency, f->agency, 0, v, "t"), ST_OK);
  }
  assert_int_equal(calendar_generate(f->db, noon("2026-11-24"), "t", &g),
                   ST_OK);
  assert_true(g.restored > 0);
  assert_string_equal(dates_of(f, "bcp_drill", "open"), "2027-08-15");
  {
    struct occ_event *ev;
    size_t n;
    assert_int_equal(cal_store_events(f->db,
                                      id_of(f, "bcp_drill", "2027-08-15"),
                                      &f->a, &ev, &n),
                     ST_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ev[0].kind, "void");
    assert_string_equal(ev[1].kind, "restored");
  }
}

static void test_agency_duty(void **state)
{
  struct fixture *f = *state;
  struct cal_gen g;
  int64_t id;
  char key[32];
  const char *v[8] = { "機房巡檢", "9",          "it",       "quarterly",
                       NULL,       "2026-02-15", "本局規定", "巡檢紀錄" };
  assert_int_equal(reg_store_create(f->db, &reg_duty, v, "t", &id), ST_OK);
  assert_int_equal(calendar_generate(f->db, noon("2026-11-24"), "t", &g),
                   ST_OK);
  snprintf(key, sizeof(key), "agency:%lld", (long long)id);
  assert_string_equal(dates_of(f, key, NULL),
                      "2026-02-15 2026-05-15 2026-08-15 2026-11-15 "
                      "2027-02-15 2027-05-15 2027-08-15 2027-11-15");
  {
    struct occurrence o;
    assert_int_equal(
      calendar_get(f->db, id_of(f, key, "2026-05-15"), LANG_ZH, &f->a, &o),
      ST_OK);
    assert_string_equal(o.name, "機房巡檢");
    assert_string_equal(o.owner, "it");
    assert_int_equal(o.chapter, 9);
    assert_string_equal(o.hint, "巡檢紀錄");
  }
  /* Archived: its open occurrences no longer apply. */
  assert_int_equal(reg_store_set_archived(f->db, &reg_duty, id, 1, "t"),
                   ST_OK);
  assert_int_equal(calendar_generate(f->db, noon("2026-11-24"), "t", &g),
                   ST_OK);
  assert_int_equal(g.voided, 8);
  assert_string_equal(dates_of(f, key, "open"), "");
}

/* Every register a catalog duty names as its proof exists. */
static void test_records_registers(void **state)
{
  const struct obligations *o = obligations();
  size_t i, j, named = 0;
  (void)state;
  for(i = 0; i < o->n_plan; i++) {
    if(o->plan[i].records) {
      assert_non_null(reg_find(o->plan[i].records));
      named++;
    }
  }
  for(i = 0; i < o->n_sets; i++) {
    for(j = 0; j < o->sets[i].n_duties; j++) {
      const char *rec = o->sets[i].duties[j].records;
      if(rec) {
        if(!reg_find(rec)) {
          fail_msg("duty %s names register %s", o->sets[i].duties[j].id, rec);
        }
        named++;
      }
    }
  }
  assert_true(named > 0);
}

static void test_standing(void **state)
{
  static const struct {
    const char *status, *due, *today;
    enum occ_standing want;
  } cases[] = {
    { "open", "2026-12-24", "2026-11-24", OCC_DUE_SOON }, /* 30 days */
    { "open", "2026-12-25", "2026-11-24", OCC_ON_TRACK }, /* 31 days */
    { "open", "2026-11-24", "2026-11-24", OCC_DUE_SOON }, /* today */
    { "open", "2026-11-23", "2026-11-24", OCC_OVERDUE },
    { "done", "2026-01-01", "2026-11-24", OCC_DONE },
    { "void", "2026-01-01", "2026-11-24", OCC_VOID },
    /* across a leap day: 2028-02-01 to 2028-03-02 is 30 days */
    { "open", "2028-03-02", "2028-02-01", OCC_DUE_SOON },
    { "open", "2028-03-03", "2028-02-01", OCC_ON_TRACK },
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct occurrence o;
    memset(&o, 0, sizeof(o));
    o.status = cases[i].status;
    o.due = day(cases[i].due);
    assert_int_equal(occ_standing(&o, day(cases[i].today)), cases[i].want);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_generate_c, setup, teardown),
    cmocka_unit_test_setup_teardown(test_level_change, setup, teardown),
    cmocka_unit_test_setup_teardown(test_agency_duty, setup, teardown),
    cmocka_unit_test(test_standing),
    cmocka_unit_test(test_records_registers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
