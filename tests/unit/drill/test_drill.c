/*
 * test_drill.c: unit tests for features/drill (plan 壹拾, issue 5 item 6):
 * the result report's due day at month ends and in leap years; the kinds
 * data/rules/drill.json checks are kinds of the drill register; and on a
 * real database the procedure rules (approver and date, every item of
 * the kind covered with an error on each missing one, one approved
 * version of a kind named in the message, an edit of that version itself
 * allowed, the unique index under the check) and the drill rules (dates,
 * status, the computed due day replacing a value sent).  Depends on
 * cmocka, db, registers, rules/drill and features/drill.
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
#include "core/time.h"
#include "db/db.h"
#include "features/drill/drill.h"
#include "registers/register.h"
#include "registers/register_store.h"
#include "rules/drill.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void iso(struct date d, char out[16])
{
  snprintf(out, 16, "%04d-%02d-%02d", d.year, d.month, d.day);
}

/* ---- the due day ---- */

static void test_report_due(void **state)
{
  static const struct {
    const char *held, *due;
  } cases[] = {
    { "2026-01-31", "2026-02-28" }, /* no 31 February: its last day */
    { "2028-01-31", "2028-02-29" }, /* leap year */
    /* The period starts the next day: from 1/30 the corresponding day
     * 2/30 does not exist (the month's last day); from 1/29 in 2028 the
     * day before 2/29. */
    { "2026-01-30", "2026-02-28" },
    { "2028-01-29", "2028-02-29" },
    { "2028-01-28", "2028-02-28" },
    { "2026-01-28", "2026-02-28" },
    { "2026-03-31", "2026-04-30" },
    { "2026-05-12", "2026-06-12" },
    { "2026-01-15", "2026-02-15" },
    { "2026-12-15", "2027-01-15" },
    { "2026-12-31", "2027-01-31" },
    { "2026-08-31", "2026-09-30" },
    /* From the last day of February the period starts on 1 March, so it
     * ends on the last day of March, not on the 28th or 29th. */
    { "2026-02-28", "2026-03-31" },
    { "2028-02-29", "2028-03-31" },
    { "2028-02-28", "2028-03-28" },
  };
  char out[11];
  size_t i;
  (void)state;
  for(i = 0; i < N(cases); i++) {
    assert_int_equal(drill_report_due(cases[i].held, out), ST_OK);
    assert_string_equal(out, cases[i].due);
  }
  assert_int_equal(drill_report_due("2026-02-30", out), ST_INVALID);
  assert_int_equal(drill_report_due("115/3/1", out), ST_INVALID);
  assert_int_equal(drill_report_due(NULL, out), ST_INVALID);
}

/* The kinds the shipped frequency rules check are kinds of the drill
 * register. */
static void test_rule_kinds(void **state)
{
  const struct drill_rules *r = drill_rules();
  const struct field *kind = reg_field(&reg_drill, "kind");
  size_t i;
  (void)state;
  assert_true(r->n_checks > 0);
  for(i = 0; i < r->n_checks; i++) {
    const struct field_opt *o;
    int found = 0;
    for(o = kind->opts; o->value; o++) {
      found |= !strcmp(o->value, r->checks[i].kind);
    }
    if(!found) {
      fail_msg("drill.json kind %s is not a drill kind", r->checks[i].kind);
    }
  }
}

/* ---- the register rules on a real database ---- */

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
  snprintf(f->dir, sizeof(f->dir), "/tmp/isms-test-drill-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
  buf_init(&why, 4096);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &f->db, &why),
                   ST_OK);
  buf_free(&why);
  arena_init(&f->a, 1 << 20);
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

/* Field values by name, for reg. */
struct kv {
  const char *name, *value;
};

/* Validate the values kv (record id: 0 for a new one) into out; errs
 * gets the errors. */
static void validate(struct fixture *f, const struct reg *reg,
                     const struct kv *kv, size_t n, int64_t id,
                     const char **out, struct reg_errors *errs)
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
  errs->record_id = id;
  reg_validate(reg, f->db, in, out, &f->a, errs);
}

/* 1 if errs holds msg on field (with detail containing part when not
 * NULL). */
static int has_error(const struct reg_errors *errs, const char *field,
                     enum msg msg, const char *part)
{
  size_t i;
  for(i = 0; i < errs->n; i++) {
    if(!strcmp(errs->items[i].field, field) && errs->items[i].msg == msg &&
       (!part ||
        (errs->items[i].detail && strstr(errs->items[i].detail, part)))) {
      return 1;
    }
  }
  return 0;
}

/* A complete approved notification procedure. */
static const struct kv notify_ok[] = {
  { "kind", "notify" },         { "title", "通報作業規範" },
  { "doc_version", "v1.0" },    { "effective", "2025-03-01" },
  { "approver", "資通安全長" }, { "approved_on", "2025-02-20" },
  { "n_level", "是" },          { "n_impact", "1" },
  { "n_internal", "yes" },      { "n_others", "true" },
  { "n_drill", "1" },           { "n_contact", "1" },
  { "n_other", "1" },           { "status", "approved" },
};

static void test_procedure_rules(void **state)
{
  struct fixture *f = *state;
  const char *out[64];
  struct reg_errors errs;
  struct kv v[N(notify_ok)];
  int64_t first = 0, second = 0, other1 = 0, other2 = 0;
  size_t i;

  /* Complete: accepted. */
  validate(f, &reg_ir_procedure, notify_ok, N(notify_ok), 0, out, &errs);
  assert_int_equal(errs.n, 0);
  assert_int_equal(
    reg_store_create(f->db, &reg_ir_procedure, out, "t", &first), ST_OK);

  /* Two items missing and no approver: an error on status and one on
   * each missing item, none on the items covered. */
  memcpy(v, notify_ok, sizeof(v));
  v[4].value = NULL;  /* approver */
  v[7].value = "0";   /* n_impact */
  v[11].value = NULL; /* n_contact */
  v[1].value = "通報作業規範草案";
  validate(f, &reg_ir_procedure, v, N(v), 0, out, &errs);
  assert_true(has_error(&errs, "approver", M_ERR_IRP_APPROVER, NULL));
  assert_true(has_error(&errs, "status", M_ERR_IRP_N_INCOMPLETE, NULL));
  assert_true(has_error(&errs, "n_impact", M_ERR_IRP_NOT_COVERED, NULL));
  assert_true(has_error(&errs, "n_contact", M_ERR_IRP_NOT_COVERED, NULL));
  assert_false(has_error(&errs, "n_level", M_ERR_IRP_NOT_COVERED, NULL));
  /* ... and the approved version of the kind, named. */
  assert_true(has_error(&errs, "status", M_ERR_IRP_ONE_APPROVED,
                        "通報作業規範 v1.0 (#1)"));
  assert_int_equal(errs.n, 5);

  /* The same incomplete version as a draft: fine (coverage is asked of
   * approved versions only). */
  v[13].value = "draft";
  validate(f, &reg_ir_procedure, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 0);

  /* A complete second approved version: refused, naming the first. */
  validate(f, &reg_ir_procedure, notify_ok, N(notify_ok), 0, out, &errs);
  assert_int_equal(errs.n, 1);
  assert_true(has_error(&errs, "status", M_ERR_IRP_ONE_APPROVED, "(#1)"));
  /* An edit of the approved version itself is not a second one. */
  validate(f, &reg_ir_procedure, notify_ok, N(notify_ok), first, out, &errs);
  assert_int_equal(errs.n, 0);

  /* A response procedure is another kind: its own six items. */
  {
    static const struct kv resp[] = {
      { "kind", "response" },
      { "title", "應變作業規範" },
      { "doc_version", "v1.0" },
      { "approver", "資通安全長" },
      { "approved_on", "2025-02-20" },
      { "r_team", "1" },
      { "r_drill", "1" },
      { "r_control", "1" },
      { "r_recovery", "1" },
      { "r_records", "1" },
      { "n_level", "1" },
      { "status", "approved" },
    };
    validate(f, &reg_ir_procedure, resp, N(resp), 0, out, &errs);
    assert_int_equal(errs.n, 2);
    assert_true(has_error(&errs, "status", M_ERR_IRP_R_INCOMPLETE, NULL));
    assert_true(has_error(&errs, "r_other", M_ERR_IRP_NOT_COVERED, NULL));
  }

  /* Withdraw the first: a new approved version may follow. */
  memcpy(v, notify_ok, sizeof(v));
  v[13].value = "withdrawn";
  validate(f, &reg_ir_procedure, v, N(v), first, out, &errs);
  assert_int_equal(errs.n, 0);
  assert_int_equal(
    reg_store_update(f->db, &reg_ir_procedure, first, 0, out, "t"), ST_OK);
  memcpy(v, notify_ok, sizeof(v));
  v[2].value = "v2.0";
  validate(f, &reg_ir_procedure, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 0);
  assert_int_equal(
    reg_store_create(f->db, &reg_ir_procedure, out, "t", &second), ST_OK);

  /* The unique index holds without the check: a second approved version
   * written directly, and the restore of an archived approved one. */
  validate(f, &reg_ir_procedure, notify_ok, N(notify_ok), second, out, &errs);
  assert_int_equal(errs.n, 0);
  {
    int64_t third = 0;
    assert_int_equal(
      reg_store_create(f->db, &reg_ir_procedure, out, "t", &third),
      ST_CONFLICT);
    assert_int_equal(third, 0);
  }
  assert_int_equal(
    reg_store_set_archived(f->db, &reg_ir_procedure, second, 1, "t"), ST_OK);
  /* Archived, it no longer counts: the first may be approved again. */
  validate(f, &reg_ir_procedure, notify_ok, N(notify_ok), first, out, &errs);
  assert_int_equal(errs.n, 0);
  assert_int_equal(
    reg_store_update(f->db, &reg_ir_procedure, first, 0, out, "t"), ST_OK);
  assert_int_equal(
    reg_store_set_archived(f->db, &reg_ir_procedure, second, 0, "t"),
    ST_CONFLICT);

  /* Other procedures: several may be approved, items not asked. */
  for(i = 0; i < 2; i++) {
    static const struct kv oth[] = {
      { "kind", "other" },
      { "title", "數位鑑識作業程序" },
      { "doc_version", "v1.0" },
      { "approver", "資通安全長" },
      { "approved_on", "2025-02-20" },
      { "status", "approved" },
    };
    validate(f, &reg_ir_procedure, oth, N(oth), 0, out, &errs);
    assert_int_equal(errs.n, 0);
    assert_int_equal(reg_store_create(f->db, &reg_ir_procedure, out, "t",
                                      i ? &other2 : &other1),
                     ST_OK);
  }
  assert_true(other1 && other2 && other1 != other2);
}

static void test_drill_rules(void **state)
{
  struct fixture *f = *state;
  struct date today = time_taipei_date(time_now());
  const struct field *due = reg_field(&reg_drill, "report_due");
  size_t at = reg_field_index(&reg_drill, due);
  char now[16], soon[16], far[16], limit[16], beyond[16];
  const char *out[64];
  struct reg_errors errs;
  struct kv v[] = {
    { "kind", "social" },        { "title", "社交工程演練" },
    { "held_on", "2026-01-31" }, { "report_due", "2000-01-01" },
    { "report_sent", NULL },     { "status", "held" },
  };

  /* The due day is computed, whatever was sent. */
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 0);
  assert_string_equal(out[at], "2026-02-28");
  v[2].value = "2026-03-31";
  v[3].value = NULL;
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 0);
  assert_string_equal(out[at], "2026-04-30");
  /* ROC input is a date like any other. */
  v[2].value = "115/1/31";
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 0);
  assert_string_equal(out[at], "2026-02-28");

  /* The report before the drill; the day itself is fine. */
  v[2].value = "2026-03-31";
  v[4].value = "2026-03-30";
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 1);
  assert_true(has_error(&errs, "report_sent", M_ERR_DR_SENT_EARLY, NULL));
  v[4].value = "2026-03-31";
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 0);
  /* Reported without a date. */
  v[4].value = NULL;
  v[5].value = "reported";
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_true(has_error(&errs, "report_sent", M_ERR_DR_SENT_MISSING, NULL));

  /* Dates relative to today (Asia/Taipei). */
  iso(today, now);
  iso(drill_months_before(today, -6), soon);
  iso(drill_months_before(today, -12), limit);
  iso(drill_months_before(today, -13), beyond);
  iso(drill_months_before(today, -120), far);
  v[5].value = "planned";
  v[2].value = soon;
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 0);
  v[2].value = limit; /* a year ahead to the day: still allowed */
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 0);
  v[2].value = beyond;
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 1);
  assert_true(has_error(&errs, "held_on", M_ERR_DR_FAR_FUTURE, NULL));
  v[2].value = far;
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_true(has_error(&errs, "held_on", M_ERR_DR_FAR_FUTURE, NULL));
  /* Held, but in the future: its status must be planned. */
  v[2].value = soon;
  v[5].value = "held";
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 1);
  assert_true(has_error(&errs, "status", M_ERR_DR_NOT_YET, NULL));
  v[2].value = now; /* today is not the future */
  validate(f, &reg_drill, v, N(v), 0, out, &errs);
  assert_int_equal(errs.n, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_report_due),
    cmocka_unit_test(test_rule_kinds),
    cmocka_unit_test_setup_teardown(test_procedure_rules, setup, teardown),
    cmocka_unit_test_setup_teardown(test_drill_rules, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
