/*
 * test_risk.c: unit tests for features/risk (plan 捌): the scoring table,
 * which risks need the CISO's acceptance, the heat-map zones, the
 * content hash an acceptance is bound to (any field change gives a new
 * hash; version and times do not), and the register check that computes
 * the values on a real database.  Depends on cmocka, db, registers and
 * features/risk.
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
#include "db/db.h"
#include "features/risk/risk.h"
#include "registers/register.h"
#include "registers/register_store.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_score_table(void **state)
{
  static const struct {
    int64_t l, i, av, want;
  } cases[] = {
    { 1, 1, 1, 1 }, { 3, 3, 3, 27 }, { 2, 3, 1, 6 },   { 3, 2, 2, 12 },
    { 1, 3, 3, 9 }, { 5, 5, 3, 75 }, { 9, 9, 3, 243 }, { 0, 3, 3, 0 },
    { 3, 0, 3, 0 }, { 3, 3, 0, 0 },  { -1, 2, 2, 0 },
  };
  size_t k;
  (void)state;
  for(k = 0; k < N(cases); k++) {
    assert_int_equal(risk_score(cases[k].l, cases[k].i, cases[k].av),
                     cases[k].want);
  }
}

static void test_needs_acceptance(void **state)
{
  static const struct {
    const char *treatment;
    int64_t residual, threshold;
    int want;
  } cases[] = {
    { "accept", 0, 12, 1 },  { "accept", 3, 12, 1 },
    { "reduce", 0, 12, 0 },  { "reduce", 12, 12, 0 },
    { "reduce", 13, 12, 1 }, { "transfer", 18, 12, 1 },
    { "avoid", 1, 12, 0 },   { NULL, 0, 12, 0 },
    { NULL, 27, 12, 1 },     { "acceptx", 0, 12, 0 },
  };
  size_t k;
  (void)state;
  for(k = 0; k < N(cases); k++) {
    assert_int_equal(risk_needs_acceptance(cases[k].treatment,
                                           cases[k].residual,
                                           cases[k].threshold),
                     cases[k].want);
  }
}

static void test_zones(void **state)
{
  (void)state;
  /* threshold 6 on 3 × 3: 1×1×3, 1×2×3 = 6 green; 3×3 = 9 > 6 red. */
  assert_int_equal(risk_zone(1, 1, 6), 0);
  assert_int_equal(risk_zone(1, 2, 6), 0);
  assert_int_equal(risk_zone(2, 2, 6), 1);
  assert_int_equal(risk_zone(2, 3, 6), 1);
  assert_int_equal(risk_zone(3, 3, 6), 2);
  assert_int_equal(risk_zone(3, 1, 2), 2);
}

/* A risk record with every field set. */
static const char *base_values[] = {
  "1",          "2",      "機房設備",   "電力中斷", "單一電源", "R01",
  "UPS",        "2",      "3",          "3",        "18",       "reduce",
  "加裝發電機", "總務科", "2026-06-30", "1",        "2",        "6",
};

static void hash_of(const char **v, int64_t id, int64_t version, char *out)
{
  struct record rec;
  memset(&rec, 0, sizeof(rec));
  rec.id = id;
  rec.version = version;
  rec.created_at = "2026-01-01T00:00:00Z";
  rec.updated_at =
    version == 1 ? "2026-01-01T00:00:00Z" : "2026-02-01T00:00:00Z";
  rec.v = v;
  risk_content_hash(&rec, out);
}

static void test_hash_binds_every_field(void **state)
{
  const char *v[N(base_values)];
  char base[65], again[65], other[65];
  size_t k;
  (void)state;
  assert_int_equal(N(base_values), reg_risk.n_fields);
  memcpy(v, base_values, sizeof(v));
  hash_of(v, 7, 1, base);
  assert_int_equal(strlen(base), 64);
  assert_int_equal(strspn(base, "0123456789abcdef"), 64);
  /* The same content, a later version and other times: the same hash. */
  hash_of(v, 7, 5, again);
  assert_string_equal(base, again);
  /* Another record with the same values: another hash. */
  hash_of(v, 8, 1, other);
  assert_string_not_equal(base, other);
  for(k = 0; k < N(base_values); k++) {
    /* Changed to another value … */
    memcpy(v, base_values, sizeof(v));
    v[k] = "9";
    if(strcmp(base_values[k], "9") == 0) {
      v[k] = "8";
    }
    hash_of(v, 7, 1, other);
    assert_string_not_equal(base, other);
    /* … emptied … */
    v[k] = NULL;
    hash_of(v, 7, 1, other);
    assert_string_not_equal(base, other);
    /* … and "" differs from empty. */
    v[k] = "";
    hash_of(v, 7, 1, again);
    assert_string_not_equal(other, again);
  }
  /* Moving text across a field boundary changes the hash. */
  memcpy(v, base_values, sizeof(v));
  v[3] = "電力";
  v[4] = "中斷單一電源";
  hash_of(v, 7, 1, other);
  memcpy(v, base_values, sizeof(v));
  v[3] = "電力中斷";
  v[4] = "單一電源";
  hash_of(v, 7, 1, again);
  assert_string_not_equal(other, again);
  assert_string_equal(base, again);
}

/* ---- the register check on a real database ---- */

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
  snprintf(f->dir, sizeof(f->dir), "/tmp/isms-test-risk-XXXXXX");
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

/* Validate in (field order) for reg; returns the number of errors and
 * the first failing field in *field. */
static size_t validate(struct fixture *f, const struct reg *reg,
                       const char **in, const char **out, const char **field)
{
  struct reg_errors errs;
  reg_errors_init(&errs, &f->a);
  reg_validate(reg, f->db, in, out, &f->a, &errs);
  *field = errs.n ? errs.items[0].field : NULL;
  return errs.n;
}

static void test_check_computes(void **state)
{
  struct fixture *f = *state;
  const char *camp[7] = { "2026", "年度評鑑", "4", NULL, "12", "open", NULL };
  const char *out_c[7], *out[18], *field;
  const char *in[18];
  int64_t cid = 0;
  assert_int_equal(validate(f, &reg_risk_campaign, camp, out_c, &field), 0);
  assert_int_equal(
    reg_store_create(f->db, &reg_risk_campaign, out_c, "t", &cid), ST_OK);
  memset(in, 0, sizeof(in));
  in[0] = "1";
  in[2] = "機房設備";
  in[3] = "電力中斷";
  in[7] = "4"; /* likelihood: the campaign has 4 levels */
  in[8] = "3";
  in[9] = "2";
  in[10] = "5"; /* a value sent is replaced by the computed one */
  in[15] = "1";
  in[16] = "2";
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 0);
  assert_string_equal(out[10], "24");
  assert_string_equal(out[17], "4");
  /* Impact beyond the default 3 levels. */
  in[8] = "4";
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 1);
  assert_string_equal(field, "impact");
  in[8] = "3";
  /* Neither asset nor group. */
  in[2] = NULL;
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 1);
  assert_string_equal(field, "asset");
  in[2] = "機房設備";
  /* An unknown catalog id; a known one. */
  in[5] = "R999";
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 1);
  assert_string_equal(field, "catalog");
  in[5] = "R01";
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 0);
  /* Residual likelihood without residual impact. */
  in[16] = NULL;
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 1);
  assert_string_equal(field, "residual_impact");
  in[15] = NULL;
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 0);
  assert_null(out[17]);
  /* No asset value and no graded system to take it from. */
  in[9] = NULL;
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 1);
  assert_string_equal(field, "asset_value");
  /* A threshold beyond the scales (4 × 3 × 3 = 36). */
  camp[4] = "37";
  assert_int_equal(validate(f, &reg_risk_campaign, camp, out_c, &field), 1);
  assert_string_equal(field, "threshold");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_score_table),
    cmocka_unit_test(test_needs_acceptance),
    cmocka_unit_test(test_zones),
    cmocka_unit_test(test_hash_binds_every_field),
    cmocka_unit_test_setup_teardown(test_check_computes, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
