/*
 * test_riskcat.c: unit tests for rules/riskcat.c (the reference risk
 * catalog, data/rules/risk_catalog.json): size, unique ids, at least one
 * asset class and one countermeasure per entry, families that exist in
 * 附表十, the asset classes and their register keys, UTF-8 texts and the
 * error messages for broken data.  Depends on cmocka, rules/riskcat,
 * rules/baseline, core/buf, core/embed, core/str and core/utf8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/str.h"
#include "core/utf8.h"
#include "rules/baseline.h"
#include "rules/riskcat.h"

/* Non-empty, valid UTF-8, no control characters. */
static void check_text(const char *s)
{
  assert_non_null(s);
  assert_true(s[0] != 0);
  assert_true(utf8_valid(str_c(s), NULL));
  assert_false(utf8_has_control(str_c(s), 0));
}

/* 1 if some 附表十 control of set s has this family. */
static int set_has_family(const struct rule_set *s, const char *family)
{
  size_t i;

  for(i = 0; i < s->n; i++) {
    if(!strcmp(s->controls[i].family, family)) {
      return 1;
    }
  }
  return 0;
}

static void test_entries(void **state)
{
  const struct rule_set *s115 = baseline_set("115");
  const struct riskcat_entry *es;
  size_t n, i, k, n_linked = 0;

  (void)state;
  es = riskcat_entries(&n);
  assert_in_range(n, 20, 30);
  for(i = 0; i < n; i++) {
    const struct riskcat_entry *e = &es[i];
    check_text(e->id);
    check_text(e->type);
    check_text(e->type_en);
    check_text(e->threat);
    check_text(e->threat_en);
    check_text(e->vulnerability);
    check_text(e->vulnerability_en);
    assert_ptr_equal(riskcat_find(e->id), e);
    for(k = 0; k < i; k++) {
      assert_string_not_equal(es[k].id, e->id);
      assert_string_not_equal(es[k].type, e->type);
    }
    assert_true(e->asset_classes != 0);
    assert_true((e->asset_classes & ~0xfu) == 0);
    assert_true(e->n_measures >= 1);
    for(k = 0; k < e->n_measures; k++) {
      check_text(e->measures[k].text);
      check_text(e->measures[k].text_en);
      if(e->measures[k].family) {
        /* Families are the same in 110 and 115; check the current set. */
        assert_true(set_has_family(s115, e->measures[k].family));
        n_linked++;
      }
    }
  }
  assert_true(n_linked > n); /* most entries point into 附表十 */
  assert_null(riskcat_find("R00"));
  assert_null(riskcat_find(NULL));
}

/* The composed catalog covers the risk types the brief asked for. */
static void test_expected_types(void **state)
{
  static const char *const types[] = {
    "人為操作錯誤", "未經授權存取", "勒索軟體", "釣魚郵件", "系統漏洞未修補",
    "設備故障",     "電力中斷",     "地震",     "網路中斷", "資料外洩",
    "委外廠商",     "實體入侵",     "備份失效", "DDoS",     "第三方元件",
  };
  const struct riskcat_entry *es;
  size_t n, i, k;

  (void)state;
  es = riskcat_entries(&n);
  for(i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
    for(k = 0; k < n && !strstr(es[k].type, types[i]); k++) {
    }
    if(k == n) {
      fail_msg("no entry for %s", types[i]);
    }
  }
}

static void test_asset_classes(void **state)
{
  static const struct {
    unsigned bit;
    const char *key, *name;
  } want[] = {
    { RC_ASSET_INFO, "info", "資訊資產" },
    { RC_ASSET_SOFTWARE, "software", "軟體資產" },
    { RC_ASSET_PHYSICAL, "physical", "實體資產" },
    { RC_ASSET_SERVICE, "service", "支援服務資產" },
  };
  const struct riskcat_asset_class *cs;
  const struct riskcat_entry *es;
  size_t n, i, k;
  unsigned seen = 0;

  (void)state;
  cs = riskcat_asset_classes(&n);
  assert_int_equal(n, 4);
  for(i = 0; i < n; i++) {
    assert_int_equal(cs[i].bit, want[i].bit);
    assert_string_equal(cs[i].key, want[i].key);
    assert_string_equal(cs[i].name, want[i].name);
    check_text(cs[i].name_en);
    check_text(cs[i].text);
    check_text(cs[i].text_en);
    assert_int_equal(riskcat_asset_parse(want[i].key), want[i].bit);
    assert_int_equal(riskcat_asset_parse(want[i].name), want[i].bit);
  }
  assert_int_equal(riskcat_asset_parse("people"), 0);
  assert_int_equal(riskcat_asset_parse(""), 0);
  assert_int_equal(riskcat_asset_parse(NULL), 0);
  es = riskcat_entries(&n);
  for(i = 0; i < n; i++) {
    seen |= es[i].asset_classes;
    for(k = 0; k < 4; k++) {
      assert_int_equal(riskcat_applies(&es[i], want[k].bit),
                       (es[i].asset_classes & want[k].bit) != 0);
    }
    assert_false(riskcat_applies(&es[i], 0));
  }
  assert_int_equal(seen, 0xfu); /* every class has some risk */
}

/* The embedded file passes; broken copies name file, place and key. */
static void test_check_errors(void **state)
{
  static const struct {
    const char *from, *to; /* replace the first occurrence */
    const char *where;     /* expected in the message */
  } cases[] = {
    { "\"id\": \"R02\"", "\"id\": \"R01\"", "entries[1]: id: duplicate" },
    { "\"family\": \"存取控制\"", "\"family\": \"門禁管理\"",
      ": family: not a 附表十 family" },
    { "\"資訊資產\",", "\"人員資產\",", ".asset_classes[0]" },
    { "\"key\": \"service\"", "\"key\": \"support\"",
      "asset_classes[3]: key" },
    { "\"threat_en\"", "\"threat_xx\"", "entries[0]: threat_en: missing" },
    { "\"format\": 1", "\"format\": 0", "format" },
  };
  const struct embedded_file *f =
    embed_find(embedded_data, n_embedded_data, "risk_catalog.json");
  struct buf why;
  size_t i;

  (void)state;
  assert_non_null(f);
  buf_init(&why, 1024);
  assert_int_equal(riskcat_check((const char *)f->data, f->len, &why), ST_OK);
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *text = (const char *)f->data;
    const char *at = strstr(text, cases[i].from);
    struct buf broken;
    assert_non_null(at);
    buf_init(&broken, 1 << 20);
    buf_append(&broken, text, (size_t)(at - text));
    buf_puts(&broken, cases[i].to);
    buf_puts(&broken, at + strlen(cases[i].from));
    buf_clear(&why);
    assert_int_equal(riskcat_check(broken.data, broken.len, &why), ST_INVALID);
    assert_non_null(strstr(why.data, "risk_catalog.json: "));
    if(!strstr(why.data, cases[i].where)) {
      fail_msg("case %zu: \"%s\" lacks \"%s\"", i, why.data, cases[i].where);
    }
    buf_free(&broken);
  }
  /* An entry without countermeasures. */
  {
    const char *text = (const char *)f->data;
    const char *at = strstr(text, "\"countermeasures\": [");
    const char *end = strstr(at, "]\n");
    struct buf broken;
    buf_init(&broken, 1 << 20);
    buf_append(&broken, text, (size_t)(at - text));
    buf_puts(&broken, "\"countermeasures\": [");
    buf_puts(&broken, end);
    buf_clear(&why);
    assert_int_equal(riskcat_check(broken.data, broken.len, &why), ST_INVALID);
    assert_non_null(strstr(why.data, "entries[0]: countermeasures: empty"));
    buf_free(&broken);
  }
  buf_free(&why);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_entries),
    cmocka_unit_test(test_expected_types),
    cmocka_unit_test(test_asset_classes),
    cmocka_unit_test(test_check_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
