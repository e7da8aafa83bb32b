/*
 * test_intel.c: unit tests for the rules of the intelligence registers
 * (features/intel, plan 壹拾壹) on a real database: validity not before
 * receipt; one error per unrecognised indicator line, naming its number
 * and text, defanged lines accepted and stored as typed; impact needed
 * once assessed, a response once responded; high-impact intrusion
 * intelligence needs a linked incident or the response taken; a sharing
 * record confirmed free of what §4 forbids, approved unless on the
 * designated platform, not dated before the intelligence was received;
 * and the plan's response sentence per category.  Depends on cmocka,
 * db, registers, features/incidents and features/intel.
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
#include "features/incidents/incidents.h"
#include "features/intel/intel.h"
#include "registers/register.h"
#include "registers/register_store.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

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
  snprintf(f->dir, sizeof(f->dir), "/tmp/isms-test-intel-XXXXXX");
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

/* Field values by name. */
struct kv {
  const char *name, *value;
};

/* Validate the values kv of a new record of reg into out. */
static void validate(struct fixture *f, const struct reg *reg,
                     const struct kv *kv, size_t n, const char **out,
                     struct reg_errors *errs)
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
}

/* How many errors of msg on field errs holds. */
static size_t count_errors(const struct reg_errors *errs, const char *field,
                           enum msg msg)
{
  size_t i, n = 0;
  for(i = 0; i < errs->n; i++) {
    n += !strcmp(errs->items[i].field, field) && errs->items[i].msg == msg;
  }
  return n;
}

/* Create a record of reg from kv, which must be valid; its id. */
static int64_t create(struct fixture *f, const struct reg *reg,
                      const struct kv *kv, size_t n)
{
  const char *out[64];
  struct reg_errors errs;
  int64_t id = 0;
  validate(f, reg, kv, n, out, &errs);
  if(errs.n) {
    fail_msg("%s: error on %s: %s", reg->name, errs.items[0].field,
             msg_get(LANG_EN, errs.items[0].msg));
  }
  assert_int_equal(reg_store_create(f->db, reg, out, "test", &id), ST_OK);
  return id;
}

/* A piece of intelligence: the fields of base, then those of more
 * (which replace base's of the same name). */
static void intel_errors(struct fixture *f, const struct kv *more, size_t n,
                         const char **out, struct reg_errors *errs)
{
  static const struct kv base[] = {
    { "title", "CMS 元件漏洞通告" },
    { "received", "2026-10-01" },
    { "category", "info" },
    { "status", "new" },
  };
  struct kv kv[32];
  size_t i, j, k = 0;
  for(i = 0; i < N(base); i++) {
    int replaced = 0;
    for(j = 0; j < n; j++) {
      replaced |= !strcmp(more[j].name, base[i].name);
    }
    if(!replaced) {
      kv[k++] = base[i];
    }
  }
  for(j = 0; j < n; j++) {
    kv[k++] = more[j];
  }
  validate(f, &reg_intel, kv, k, out, errs);
}

static void test_dates(void **state)
{
  struct fixture *f = *state;
  const char *out[64];
  struct reg_errors errs;
  const struct kv early[] = { { "valid_until", "2026-09-30" } };
  const struct kv same[] = { { "valid_until", "115/10/1" } };
  intel_errors(f, early, N(early), out, &errs);
  assert_int_equal(errs.n, 1);
  assert_int_equal(count_errors(&errs, "valid_until", M_ERR_IN_VALID_EARLY),
                   1);
  intel_errors(f, same, N(same), out, &errs);
  assert_int_equal(errs.n, 0);
}

static void test_indicators(void **state)
{
  struct fixture *f = *state;
  const char *out[64];
  struct reg_errors errs;
  const char *good =
    "hxxps://login-kcg[.]example/owa\n"
    "198.51.100[.]23\n\n"
    "CVE-2024-3094\r\n"
    "  e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991"
    "b7852b855  \n";
  const struct kv ok[] = { { "indicators", good } };
  const struct kv bad[] = {
    { "indicators", "192.0.2.1\n惡意中繼站\nexample.com\n256.1.1.1 C2" },
  };
  char many[400];
  struct kv lots[] = { { "indicators", many } };
  size_t i, len = 0;
  const char *slot;

  intel_errors(f, ok, N(ok), out, &errs);
  assert_int_equal(errs.n, 0);
  /* stored as typed: the defanged forms stay */
  slot = out[reg_field_index(&reg_intel, reg_field(&reg_intel, "indicators"))];
  assert_non_null(strstr(slot, "hxxps://login-kcg[.]example/owa"));
  assert_non_null(strstr(slot, "198.51.100[.]23"));

  intel_errors(f, bad, N(bad), out, &errs);
  assert_int_equal(errs.n, 2);
  assert_int_equal(count_errors(&errs, "indicators", M_ERR_IN_IOC), 2);
  assert_string_equal(errs.items[0].detail, "2: 惡意中繼站");
  assert_string_equal(errs.items[1].detail, "4: 256.1.1.1 C2");
  /* the detail fills the message's %s */
  assert_non_null(strstr(
    reg_msg_detail(LANG_ZH, errs.items[0].msg, errs.items[0].detail, &f->a),
    "（行號：內容）：2: 惡意中繼站。"));

  /* at most ten lines are named */
  for(i = 0; i < 15; i++) {
    len += (size_t)snprintf(many + len, sizeof(many) - len, "bad %zu\n", i);
  }
  intel_errors(f, lots, N(lots), out, &errs);
  assert_int_equal(count_errors(&errs, "indicators", M_ERR_IN_IOC), 10);
}

static void test_assessment(void **state)
{
  struct fixture *f = *state;
  const char *out[64];
  struct reg_errors errs;
  const struct kv assessed[] = { { "status", "assessed" } };
  const struct kv assessed_ok[] = { { "status", "assessed" },
                                    { "impact", "low" } };
  const struct kv done[] = { { "status", "done" }, { "impact", "none" } };
  const struct kv done_ok[] = { { "status", "done" },
                                { "impact", "none" },
                                { "response", "已通知委外廠商更新元件" } };
  intel_errors(f, assessed, N(assessed), out, &errs);
  assert_int_equal(errs.n, 1);
  assert_int_equal(count_errors(&errs, "impact", M_ERR_IN_NO_IMPACT), 1);
  intel_errors(f, assessed_ok, N(assessed_ok), out, &errs);
  assert_int_equal(errs.n, 0);
  intel_errors(f, done, N(done), out, &errs);
  assert_int_equal(errs.n, 1);
  assert_int_equal(count_errors(&errs, "response", M_ERR_IN_NO_RESPONSE), 1);
  intel_errors(f, done_ok, N(done_ok), out, &errs);
  assert_int_equal(errs.n, 0);
}

static void test_intrusion_rule(void **state)
{
  struct fixture *f = *state;
  const char *out[64];
  struct reg_errors errs;
  const struct kv incident[] = {
    { "title", "官網遭分散式阻斷服務攻擊" },
    { "aware_at", "2026-09-15 10:20" },
    { "description", "官網回應逾時" },
  };
  const struct kv bare[] = { { "category", "intrusion" },
                             { "impact", "high" } };
  const struct kv medium[] = { { "category", "intrusion" },
                               { "impact", "medium" } };
  const struct kv sensitive[] = { { "category", "sensitive" },
                                  { "impact", "high" } };
  const struct kv responded[] = { { "category", "intrusion" },
                                  { "impact", "high" },
                                  { "response", "封鎖來源並通報" } };
  struct kv linked[] = { { "category", "intrusion" },
                         { "impact", "high" },
                         { "incidents", NULL } };
  const struct kv done[] = { { "category", "intrusion" },
                             { "impact", "high" },
                             { "status", "done" } };
  int64_t id = create(f, &reg_incident, incident, N(incident));

  intel_errors(f, bare, N(bare), out, &errs);
  assert_int_equal(errs.n, 1);
  assert_int_equal(count_errors(&errs, "response", M_ERR_IN_INTRUSION), 1);
  intel_errors(f, medium, N(medium), out, &errs);
  assert_int_equal(errs.n, 0);
  intel_errors(f, sensitive, N(sensitive), out, &errs);
  assert_int_equal(errs.n, 0);
  intel_errors(f, responded, N(responded), out, &errs);
  assert_int_equal(errs.n, 0);
  linked[2].value = arena_printf(&f->a, "%lld", (long long)id);
  intel_errors(f, linked, N(linked), out, &errs);
  assert_int_equal(errs.n, 0);
  /* by its label too, as a form or an import gives it */
  linked[2].value = "官網遭分散式阻斷服務攻擊";
  intel_errors(f, linked, N(linked), out, &errs);
  assert_int_equal(errs.n, 0);
  /* done without a response: the plan's rule, said once */
  intel_errors(f, done, N(done), out, &errs);
  assert_int_equal(errs.n, 1);
  assert_int_equal(count_errors(&errs, "response", M_ERR_IN_INTRUSION), 1);
}

static void test_share_rules(void **state)
{
  struct fixture *f = *state;
  const char *out[64];
  struct reg_errors errs;
  const struct kv intel[] = {
    { "title", "釣魚郵件情資" },
    { "received", "2026-10-05" },
    { "category", "intrusion" },
    { "status", "new" },
  };
  char id[24];
  struct kv share[] = {
    { "intel", id },
    { "shared_on", "2026-10-06" },
    { "recipient", "高雄市政府資訊中心" },
    { "channel", "platform" },
    { "cleared", "是" },
  };
  snprintf(id, sizeof(id), "%lld",
           (long long)create(f, &reg_intel, intel, N(intel)));

  validate(f, &reg_intel_share, share, N(share), out, &errs);
  assert_int_equal(errs.n, 0);

  share[4].value = "否";
  validate(f, &reg_intel_share, share, N(share), out, &errs);
  assert_int_equal(errs.n, 1);
  assert_int_equal(count_errors(&errs, "cleared", M_ERR_IS_NOT_CLEARED), 1);
  share[4].value = NULL; /* required */
  validate(f, &reg_intel_share, share, N(share), out, &errs);
  assert_int_equal(errs.n, 1);
  assert_int_equal(count_errors(&errs, "cleared", M_ERR_IS_NOT_CLEARED), 0);
  share[4].value = "1";

  share[3].value = "email";
  validate(f, &reg_intel_share, share, N(share), out, &errs);
  assert_int_equal(errs.n, 1);
  assert_int_equal(count_errors(&errs, "approved_by", M_ERR_IS_APPROVAL), 1);
  {
    struct kv with[N(share) + 1];
    memcpy(with, share, sizeof(share));
    with[N(share)].name = "approved_by";
    with[N(share)].value = "資通安全長";
    validate(f, &reg_intel_share, with, N(with), out, &errs);
    assert_int_equal(errs.n, 0);
  }
  share[3].value = "platform";

  share[1].value = "2026-10-04";
  validate(f, &reg_intel_share, share, N(share), out, &errs);
  assert_int_equal(errs.n, 1);
  assert_int_equal(count_errors(&errs, "shared_on", M_ERR_IS_EARLY), 1);
  share[1].value = "2026-10-05"; /* the same day */
  validate(f, &reg_intel_share, share, N(share), out, &errs);
  assert_int_equal(errs.n, 0);

  /* by the intelligence's title, as an import names it */
  share[0].value = "釣魚郵件情資";
  validate(f, &reg_intel_share, share, N(share), out, &errs);
  assert_int_equal(errs.n, 0);
}

static void test_rules_per_category(void **state)
{
  const struct field *cat = reg_field(&reg_intel, "category");
  const struct field_opt *o;
  (void)state;
  for(o = cat->opts; o->value; o++) {
    assert_int_not_equal(intel_rule(o->value), M_NONE);
  }
  assert_int_equal(intel_rule("intrusion"), M_IN_RULE_INTRUSION);
  assert_int_equal(intel_rule("sensitive"), M_IN_RULE_SENSITIVE);
  assert_int_equal(intel_rule("other"), M_NONE);
  assert_int_equal(intel_rule(NULL), M_NONE);
  assert_non_null(strstr(msg_get(LANG_ZH, M_IN_RULE_INTRUSION),
                         "判斷有無立即之危險，必要時採取立即之通報應變措施"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
    cmocka_unit_test_setup_teardown(test_indicators, setup, teardown),
    cmocka_unit_test_setup_teardown(test_assessment, setup, teardown),
    cmocka_unit_test_setup_teardown(test_intrusion_rule, setup, teardown),
    cmocka_unit_test_setup_teardown(test_share_rules, setup, teardown),
    cmocka_unit_test(test_rules_per_category),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
