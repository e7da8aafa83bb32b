/*
 * test_req.c: unit tests for the parameter getters of http/req.c on a
 * body parsed by http/form.c: a repeated name (a form's checkboxes,
 * business=3&business=7) keeps every value in order for
 * req_param_all(), and req_param() gives the last.  Depends on cmocka,
 * http/{form,req} and core.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/form.h"
#include "http/req.h"

/* A string literal and its length. */
#define S(lit) lit, sizeof(lit) - 1

static void test_req_param_all(void **state)
{
  struct req r;
  const char *values[4];

  (void)state;
  req_init(&r);
  assert_int_equal(
    form_parse_urlencoded(
      (struct str){ S("business=3&name=%E7%94%B2&business=7&business=12"
                      "&business=1&business=&other=x") },
      &r.arena, &r.params, &r.n_params, 16),
    ST_OK);

  /* every value, in the order sent; the count even past max */
  assert_int_equal(req_param_all(&r, "business", values, 4), 5);
  assert_string_equal(values[0], "3");
  assert_string_equal(values[1], "7");
  assert_string_equal(values[2], "12");
  assert_string_equal(values[3], "1");
  assert_int_equal(req_param_all(&r, "business", values, 2), 5);
  assert_string_equal(values[1], "7");
  assert_int_equal(req_param_all(&r, "name", values, 4), 1);
  assert_string_equal(values[0], "甲");
  assert_int_equal(req_param_all(&r, "none", values, 4), 0);
  assert_int_equal(req_param_all(&r, "busines", values, 4), 0);
  assert_int_equal(req_param_all(&r, "business", NULL, 0), 5);

  /* one value: the last one sent */
  assert_string_equal(req_param(&r, "business"), "");
  assert_string_equal(req_param(&r, "other"), "x");
  req_free(&r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_req_param_all),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
