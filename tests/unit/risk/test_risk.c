/*
 * test_risk.c: unit tests for features/risk (plan 捌): the scoring table,
 * which risks need the CISO's acceptance, the heat-map zones, the
 * content hash an acceptance is bound to (any field change gives a new
 * hash; version and times do not), and the register check that computes
 * the values on a real database; form 7 extended by the agency: A-ids,
 * the risk type rules, which catalog ids a risk may name (unknown and
 * archived agency types refused, shipped ones accepted) and the catalog
 * list.  Depends on cmocka, db, registers, rules and features/risk.
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
#include "rules/riskcat.h"

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

/* ---- form 7: the agency's risk types ---- */

static void test_type_id_parse(void **state)
{
  static const struct {
    const char *in;
    int64_t want;
  } cases[] = {
    { "A1", 1 },
    { "A27", 27 },
    { "A9223372036854775807", INT64_MAX },
    { "A9223372036854775808", 0 }, /* beyond int64 */
    { "A0", 0 },
    { "A01", 0 }, /* not the form isms writes */
    { "A", 0 },
    { "", 0 },
    { "a1", 0 },
    { "R01", 0 },
    { "A+1", 0 },
    { "A-1", 0 },
    { "A1 ", 0 },
    { " A1", 0 },
    { "A1x", 0 },
    { "AA1", 0 },
    { "A１", 0 }, /* full-width digit */
  };
  size_t k;
  (void)state;
  for(k = 0; k < N(cases); k++) {
    assert_int_equal(risk_type_id_parse(cases[k].in), cases[k].want);
  }
  assert_int_equal(risk_type_id_parse(NULL), 0);
}

/* The asset-class fields of risk_type are named by the class keys of the
 * shipped catalog, as yes/no fields (the check and the catalog read
 * them by those keys). */
static void test_type_class_fields(void **state)
{
  const struct riskcat_asset_class *classes;
  size_t n, i;
  (void)state;
  classes = riskcat_asset_classes(&n);
  assert_int_equal(n, 4);
  for(i = 0; i < n; i++) {
    const struct field *f = reg_field(&reg_risk_type, classes[i].key);
    assert_non_null(f);
    assert_int_equal(f->type, FT_BOOL);
  }
}

/* A risk_type's values, in field order. */
enum {
  T_TYPE,
  T_THREAT,
  T_VULN,
  T_INFO,
  T_SOFT,
  T_PHYS,
  T_SERV,
  T_MEAS,
  T_FAMILY,
  T_NOTES,
  T_N
};

/* Store a valid risk type; returns its id. */
static int64_t make_type(struct fixture *f, const char *family)
{
  const char *in[T_N], *out[T_N], *field;
  int64_t id = 0;
  memset(in, 0, sizeof(in));
  in[T_TYPE] = "公文系統憑證過期";
  in[T_THREAT] = "憑證過期致服務中斷";
  in[T_SOFT] = "是";
  in[T_MEAS] = "建立憑證到期清冊\r\n\n  到期前 30 日通知 \n";
  in[T_FAMILY] = family;
  assert_int_equal(validate(f, &reg_risk_type, in, out, &field), 0);
  assert_int_equal(reg_store_create(f->db, &reg_risk_type, out, "t", &id),
                   ST_OK);
  return id;
}

static void test_type_check(void **state)
{
  struct fixture *f = *state;
  const char *in[T_N], *out[T_N], *field;
  assert_int_equal(N(in), reg_risk_type.n_fields);
  memset(in, 0, sizeof(in));
  in[T_TYPE] = "類型";
  in[T_THREAT] = "威脅";
  in[T_MEAS] = "對策";
  /* No asset class at all, or all four "no": the error is on info. */
  assert_int_equal(validate(f, &reg_risk_type, in, out, &field), 1);
  assert_string_equal(field, "info");
  in[T_INFO] = in[T_SOFT] = in[T_PHYS] = in[T_SERV] = "0";
  assert_int_equal(validate(f, &reg_risk_type, in, out, &field), 1);
  assert_string_equal(field, "info");
  /* Any one of them will do. */
  in[T_SERV] = "1";
  assert_int_equal(validate(f, &reg_risk_type, in, out, &field), 0);
  in[T_SERV] = "0";
  in[T_PHYS] = "是";
  assert_int_equal(validate(f, &reg_risk_type, in, out, &field), 0);
  /* The family: zh-TW or English (any case), stored in zh-TW. */
  in[T_FAMILY] = "存取控制";
  assert_int_equal(validate(f, &reg_risk_type, in, out, &field), 0);
  assert_string_equal(out[T_FAMILY], "存取控制");
  in[T_FAMILY] = "business CONTINUITY";
  assert_int_equal(validate(f, &reg_risk_type, in, out, &field), 0);
  assert_string_equal(out[T_FAMILY], "營運持續計畫");
  in[T_FAMILY] = "防火牆";
  assert_int_equal(validate(f, &reg_risk_type, in, out, &field), 1);
  assert_string_equal(field, "family");
  in[T_FAMILY] = NULL;
  /* Countermeasures are required. */
  in[T_MEAS] = " \n ";
  assert_int_equal(validate(f, &reg_risk_type, in, out, &field), 1);
  assert_string_equal(field, "countermeasures");
}

static void test_catalog_ids(void **state)
{
  struct fixture *f = *state;
  const char *camp[7] = { "2026", "目錄評鑑", NULL, NULL, "12", "open", NULL };
  const char *out_c[7], *in[18], *out[18], *field;
  char aid[32], other[32];
  struct risk_cat c;
  int64_t cid = 0, tid, tid2;
  assert_int_equal(validate(f, &reg_risk_campaign, camp, out_c, &field), 0);
  assert_int_equal(
    reg_store_create(f->db, &reg_risk_campaign, out_c, "t", &cid), ST_OK);
  tid = make_type(f, "系統與通訊保護");
  tid2 = make_type(f, NULL);
  snprintf(aid, sizeof(aid), "A%lld", (long long)tid);
  snprintf(other, sizeof(other), "A%lld", (long long)tid2);

  /* The entry of an A-id: its lines, trimmed, blank ones dropped. */
  assert_int_equal(risk_cat_get(f->db, aid, LANG_ZH, &f->a, &c), ST_OK);
  assert_string_equal(c.id, aid);
  assert_int_equal(c.type_id, tid);
  assert_int_equal(c.is_archived, 0);
  assert_int_equal(c.asset_classes, RC_ASSET_SOFTWARE);
  assert_int_equal(c.n_measures, 2);
  assert_string_equal(c.measures[0], "建立憑證到期清冊");
  assert_string_equal(c.measures[1], "到期前 30 日通知");
  assert_string_equal(c.families[1], "系統與通訊保護");
  assert_int_equal(risk_cat_get(f->db, other, LANG_ZH, &f->a, &c), ST_OK);
  assert_null(c.families[0]);
  /* A shipped entry, in both languages. */
  assert_int_equal(risk_cat_get(f->db, "R01", LANG_EN, &f->a, &c), ST_OK);
  assert_int_equal(c.type_id, 0);
  assert_string_equal(c.type, riskcat_find("R01")->type_en);
  assert_int_equal(risk_cat_get(f->db, "A999999", LANG_ZH, &f->a, &c),
                   ST_NOTFOUND);
  assert_int_equal(risk_cat_get(f->db, "R999", LANG_ZH, &f->a, &c),
                   ST_NOTFOUND);

  /* Which ids a risk may name. */
  assert_int_equal(risk_cat_allowed(f->db, "R01", &f->a), ST_OK);
  assert_int_equal(risk_cat_allowed(f->db, aid, &f->a), ST_OK);
  assert_int_equal(risk_cat_allowed(f->db, "A999999", &f->a), ST_NOTFOUND);
  assert_int_equal(risk_cat_allowed(f->db, "A0", &f->a), ST_NOTFOUND);
  assert_int_equal(risk_cat_allowed(f->db, "R999", &f->a), ST_NOTFOUND);

  /* The same through the risk register's check. */
  memset(in, 0, sizeof(in));
  in[0] = "1";
  in[2] = "公文系統";
  in[3] = "憑證過期";
  in[7] = "1";
  in[8] = "1";
  in[9] = "1";
  in[5] = aid;
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 0);
  in[5] = "R01";
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 0);
  in[5] = "A999999";
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 1);
  assert_string_equal(field, "catalog");

  /* Archived: refused with its own message; the others are unaffected. */
  assert_int_equal(reg_store_set_archived(f->db, &reg_risk_type, tid, 1, "t"),
                   ST_OK);
  assert_int_equal(risk_cat_allowed(f->db, aid, &f->a), ST_FORBIDDEN);
  assert_int_equal(risk_cat_get(f->db, aid, LANG_ZH, &f->a, &c), ST_OK);
  assert_int_equal(c.is_archived, 1);
  {
    struct reg_errors errs;
    in[5] = aid;
    reg_errors_init(&errs, &f->a);
    reg_validate(&reg_risk, f->db, in, out, &f->a, &errs);
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.items[0].field, "catalog");
    assert_int_equal(errs.items[0].msg, M_ERR_RK_CATALOG_ARCHIVED);
    in[5] = "A999999";
    reg_errors_init(&errs, &f->a);
    reg_validate(&reg_risk, f->db, in, out, &f->a, &errs);
    assert_int_equal(errs.n, 1);
    assert_int_equal(errs.items[0].msg, M_ERR_RK_CATALOG);
  }
  in[5] = other;
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 0);
  in[5] = "R01";
  assert_int_equal(validate(f, &reg_risk, in, out, &field), 0);

  /* The catalog list: shipped entries, then the active types only. */
  {
    struct risk_cat *v;
    size_t n_ref, n_agency, n_shipped, i, n_soft = 0;
    const struct riskcat_entry *e = riskcat_entries(&n_shipped);
    assert_int_equal(
      risk_cat_list(f->db, 0, LANG_ZH, &f->a, &v, &n_ref, &n_agency), ST_OK);
    assert_int_equal(n_ref, n_shipped);
    assert_int_equal(n_agency, 1);
    assert_string_equal(v[n_ref].id, other);
    for(i = 0; i < n_shipped; i++) {
      n_soft += (size_t)riskcat_applies(&e[i], RC_ASSET_SOFTWARE);
    }
    assert_int_equal(risk_cat_list(f->db, RC_ASSET_SERVICE, LANG_ZH, &f->a, &v,
                                   &n_ref, &n_agency),
                     ST_OK);
    assert_int_equal(n_agency, 0);
    assert_int_equal(risk_cat_list(f->db, RC_ASSET_SOFTWARE, LANG_ZH, &f->a,
                                   &v, &n_ref, &n_agency),
                     ST_OK);
    assert_int_equal(n_ref, n_soft);
    assert_int_equal(n_agency, 1);
    for(i = 0; i < n_ref + n_agency; i++) {
      assert_true(v[i].asset_classes & RC_ASSET_SOFTWARE);
    }
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_score_table),
    cmocka_unit_test(test_needs_acceptance),
    cmocka_unit_test(test_zones),
    cmocka_unit_test(test_hash_binds_every_field),
    cmocka_unit_test_setup_teardown(test_check_computes, setup, teardown),
    cmocka_unit_test(test_type_id_parse),
    cmocka_unit_test(test_type_class_fields),
    cmocka_unit_test_setup_teardown(test_type_check, setup, teardown),
    cmocka_unit_test_setup_teardown(test_catalog_ids, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
