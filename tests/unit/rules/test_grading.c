/*
 * test_grading.c: unit tests for rules/grading.c (附表九, regulations.md
 * §2): the four dimensions in order with a criterion per level, the
 * "highest of the four" rule over every combination, incomplete gradings,
 * the core-system rule, UTF-8 texts and the error messages for broken
 * data.  Depends on cmocka, rules/grading, core/buf, core/str and
 * core/utf8.
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
#include "rules/grading.h"

/* Non-empty, valid UTF-8, no control characters. */
static void check_text(const char *s)
{
  assert_non_null(s);
  assert_true(s[0] != 0);
  assert_true(utf8_valid(str_c(s), NULL));
  assert_false(utf8_has_control(str_c(s), 0));
}

static void test_dimensions(void **state)
{
  static const struct {
    int dim;
    const char *id, *name;
  } dims[] = {
    { GD_CONFIDENTIALITY, "confidentiality", "機密性" },
    { GD_INTEGRITY, "integrity", "完整性" },
    { GD_AVAILABILITY, "availability", "可用性" },
    { GD_LEGAL, "legal", "法律遵循性" },
  };
  const struct grading_rules *r = grading_rules();
  size_t i;
  int lv;

  (void)state;
  assert_int_equal(r->n_dims, 4);
  for(i = 0; i < sizeof(dims) / sizeof(dims[0]); i++) {
    const struct grading_dimension *d = grading_dimension(dims[i].dim);
    assert_ptr_equal(d, &r->dims[i]);
    assert_string_equal(d->id, dims[i].id);
    assert_string_equal(d->name, dims[i].name);
    assert_ptr_equal(grading_dimension_find(dims[i].id), d);
    check_text(d->name_en);
    assert_null(d->criterion[PL_NONE]);
    assert_null(d->criterion_en[PL_NONE]);
    for(lv = PL_LOW; lv <= PL_HIGH; lv++) {
      check_text(d->criterion[lv]);
      check_text(d->criterion_en[lv]);
    }
  }
  assert_null(grading_dimension(-1));
  assert_null(grading_dimension(GD_COUNT));
  assert_null(grading_dimension_find("secrecy"));
  assert_null(grading_dimension_find(NULL));
  /* The impact wording of §2 per level. */
  assert_non_null(
    strstr(grading_dimension(GD_CONFIDENTIALITY)->criterion[PL_HIGH],
           "非常嚴重或災難性"));
  assert_non_null(
    strstr(grading_dimension(GD_INTEGRITY)->criterion[PL_MID], "嚴重"));
  assert_non_null(
    strstr(grading_dimension(GD_AVAILABILITY)->criterion[PL_LOW], "有限"));
  assert_non_null(
    strstr(grading_dimension(GD_LEGAL)->criterion[PL_HIGH], "刑事責任"));
  assert_non_null(
    strstr(grading_dimension(GD_LEGAL)->criterion[PL_MID], "行政罰"));
}

static void test_texts(void **state)
{
  const struct grading_rules *r = grading_rules();

  (void)state;
  check_text(r->title);
  check_text(r->title_en);
  check_text(r->source);
  check_text(r->rule);
  check_text(r->rule_en);
  check_text(r->core);
  check_text(r->core_en);
  check_text(r->core_source);
  assert_non_null(strstr(r->rule, "最高"));
  assert_int_equal(r->core_level, PL_HIGH);
}

/* Every complete grading: the result is the largest of the four. */
static void test_level_all_combinations(void **state)
{
  int c, i, a, l, n = 0;

  (void)state;
  for(c = PL_LOW; c <= PL_HIGH; c++) {
    for(i = PL_LOW; i <= PL_HIGH; i++) {
      for(a = PL_LOW; a <= PL_HIGH; a++) {
        for(l = PL_LOW; l <= PL_HIGH; l++) {
          int want = c;
          want = i > want ? i : want;
          want = a > want ? a : want;
          want = l > want ? l : want;
          assert_int_equal(grading_level(c, i, a, l), want);
          n++;
        }
      }
    }
  }
  assert_int_equal(n, 81);
}

static void test_level_table(void **state)
{
  static const struct {
    int c, i, a, l, want;
  } cases[] = {
    { PL_LOW, PL_LOW, PL_LOW, PL_LOW, PL_LOW },
    { PL_LOW, PL_LOW, PL_LOW, PL_MID, PL_MID },
    { PL_HIGH, PL_LOW, PL_LOW, PL_LOW, PL_HIGH },
    { PL_LOW, PL_MID, PL_HIGH, PL_LOW, PL_HIGH },
    { PL_MID, PL_MID, PL_MID, PL_MID, PL_MID },
    { PL_LOW, PL_LOW, PL_LOW, PL_HIGH, PL_HIGH }, /* legal alone decides */
    /* Incomplete or invalid: not a level. */
    { PL_NONE, PL_LOW, PL_LOW, PL_LOW, PL_NONE },
    { PL_HIGH, PL_HIGH, PL_HIGH, PL_NONE, PL_NONE },
    { PL_LOW, 4, PL_LOW, PL_LOW, PL_NONE },
    { PL_LOW, PL_LOW, -1, PL_LOW, PL_NONE },
  };
  size_t k;

  (void)state;
  for(k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    assert_int_equal(
      grading_level(cases[k].c, cases[k].i, cases[k].a, cases[k].l),
      cases[k].want);
  }
}

static void test_core(void **state)
{
  (void)state;
  assert_true(grading_is_core(PL_HIGH));
  assert_false(grading_is_core(PL_MID));
  assert_false(grading_is_core(PL_LOW));
  assert_false(grading_is_core(PL_NONE));
  assert_false(grading_is_core(4));
  assert_true(grading_is_core(grading_level(PL_LOW, PL_LOW, PL_HIGH, PL_LOW)));
}

/* The embedded file passes; broken copies name file, place and key. */
static void test_check_errors(void **state)
{
  static const struct {
    const char *after;     /* search from here */
    const char *from, *to; /* replace in the embedded text */
    const char *where;     /* expected in the message */
  } cases[] = {
    { "{", "\"combine\": \"max\"", "\"combine\": \"min\"", "rule: combine" },
    { "{", "\"id\": \"legal\"", "\"id\": \"law\"", "dimensions[3]: id" },
    { "{", "\"format\": 1", "\"format\": 7", "format" },
    { "\"core_system\"", "\"level\": \"高\"", "\"level\": \"極\"",
      "core_system: level" },
    { "{", "\"title_en\"", "\"title_xx\"", ": title_en: missing" },
    { "\"dimensions\"", "\"中\": {", "\"x\": {",
      "dimensions[0].criteria: 中: missing" },
  };
  const struct embedded_file *f =
    embed_find(embedded_data, n_embedded_data, "grading.json");
  struct buf why;
  size_t i;

  (void)state;
  assert_non_null(f);
  buf_init(&why, 1024);
  assert_int_equal(grading_check((const char *)f->data, f->len, &why), ST_OK);
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *text = (const char *)f->data;
    const char *at = strstr(strstr(text, cases[i].after), cases[i].from);
    struct buf broken;
    assert_non_null(at);
    buf_init(&broken, 1 << 20);
    buf_append(&broken, text, (size_t)(at - text));
    buf_puts(&broken, cases[i].to);
    buf_puts(&broken, at + strlen(cases[i].from));
    buf_clear(&why);
    assert_int_equal(grading_check(broken.data, broken.len, &why), ST_INVALID);
    assert_non_null(strstr(why.data, "grading.json: "));
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
    cmocka_unit_test(test_dimensions),
    cmocka_unit_test(test_texts),
    cmocka_unit_test(test_level_all_combinations),
    cmocka_unit_test(test_level_table),
    cmocka_unit_test(test_core),
    cmocka_unit_test(test_check_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
