/*
 * test_json.c: unit tests for core/json.c (the streaming writer):
 * containers and commas, escaping of keys and values, invalid UTF-8,
 * numbers, and misuse detection.  Every valid output is parsed back with
 * jansson and compared value by value.  Depends on cmocka, jansson and
 * core/{json,buf,str}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "core/json.h"

/* A string literal and its length, so cases can hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

/* Parse text with jansson (scalars and NUL bytes allowed); fail the test
 * if it does not parse. */
static json_t *parse(const struct buf *b)
{
  json_error_t err;
  json_t *v =
    json_loadb(b->data, b->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);

  if(!v) {
    print_error("jansson: %s at %d in: %s\n", err.text, err.position, b->data);
  }
  assert_non_null(v);
  return v;
}

/* 1 if b has no raw < > & and no raw U+2028/2029 (safe in <script>). */
static int html_safe(const struct buf *b)
{
  size_t i;

  for(i = 0; i < b->len; i++) {
    if(b->data[i] == '<' || b->data[i] == '>' || b->data[i] == '&') {
      return 0;
    }
    if(i + 2 < b->len && memcmp(b->data + i, "\xE2\x80", 2) == 0 &&
       (b->data[i + 2] == '\xA8' || b->data[i + 2] == '\xA9')) {
      return 0;
    }
  }
  return 1;
}

static void test_json_containers(void **state)
{
  struct buf b;
  struct json j;
  json_t *v, *x;

  (void)state;
  buf_init(&b, 4096);

  /* empty object and array */
  json_init(&j, &b);
  json_obj_begin(&j);
  json_obj_end(&j);
  assert_true(json_done(&j));
  assert_string_equal(b.data, "{}");
  buf_clear(&b);

  json_init(&j, &b);
  json_arr_begin(&j);
  json_arr_end(&j);
  assert_true(json_done(&j));
  assert_string_equal(b.data, "[]");
  buf_clear(&b);

  /* commas between members and elements, nesting both ways */
  json_init(&j, &b);
  json_obj_begin(&j);
  json_key_i64(&j, "id", 12);
  json_key_str(&j, "title", "t");
  json_key_bool(&j, "ok", 1);
  json_key(&j, "list");
  json_arr_begin(&j);
  json_i64(&j, 1);
  json_bool(&j, 0);
  json_null_val(&j);
  json_str(&j, NULL);
  json_obj_begin(&j);
  json_obj_end(&j);
  json_arr_begin(&j);
  json_arr_end(&j);
  json_obj_begin(&j);
  json_key_i64(&j, "deep", -1);
  json_obj_end(&j);
  json_arr_end(&j);
  json_key(&j, "obj");
  json_obj_begin(&j);
  json_key(&j, "a");
  json_arr_begin(&j);
  json_arr_begin(&j);
  json_arr_end(&j);
  json_arr_end(&j);
  json_key_str(&j, "b", NULL);
  json_obj_end(&j);
  json_key_bool(&j, "last", 0);
  json_obj_end(&j);
  assert_true(json_done(&j));
  assert_string_equal(b.data,
                      "{\"id\":12,\"title\":\"t\",\"ok\":true,"
                      "\"list\":[1,false,null,null,{},[],{\"deep\":-1}],"
                      "\"obj\":{\"a\":[[]],\"b\":null},\"last\":false}");
  v = parse(&b);
  assert_true(json_is_object(v));
  assert_int_equal(json_object_size(v), 6);
  assert_int_equal(json_integer_value(json_object_get(v, "id")), 12);
  assert_string_equal(json_string_value(json_object_get(v, "title")), "t");
  assert_true(json_is_true(json_object_get(v, "ok")));
  x = json_object_get(v, "list");
  assert_int_equal(json_array_size(x), 7);
  assert_int_equal(json_integer_value(json_array_get(x, 0)), 1);
  assert_true(json_is_false(json_array_get(x, 1)));
  assert_true(json_is_null(json_array_get(x, 2)));
  assert_true(json_is_null(json_array_get(x, 3)));
  assert_int_equal(json_object_size(json_array_get(x, 4)), 0);
  assert_int_equal(json_array_size(json_array_get(x, 5)), 0);
  assert_int_equal(
    json_integer_value(json_object_get(json_array_get(x, 6), "deep")), -1);
  x = json_object_get(v, "obj");
  assert_int_equal(json_array_size(json_object_get(x, "a")), 1);
  assert_true(json_is_null(json_object_get(x, "b")));
  assert_true(json_is_false(json_object_get(v, "last")));
  json_decref(v);
  buf_clear(&b);

  /* a top-level scalar is a whole document */
  json_init(&j, &b);
  json_str(&j, "s");
  assert_true(json_done(&j));
  assert_string_equal(b.data, "\"s\"");
  buf_clear(&b);

  /* JSON_MAX_DEPTH levels are fine */
  {
    int i;
    json_init(&j, &b);
    for(i = 0; i < JSON_MAX_DEPTH; i++) {
      json_arr_begin(&j);
    }
    for(i = 0; i < JSON_MAX_DEPTH; i++) {
      json_arr_end(&j);
    }
    assert_true(json_done(&j));
    v = parse(&b);
    json_decref(v);
  }
  buf_free(&b);
}

/* Escaping of values, and of keys with the same rules. */
static void test_json_escape_table(void **state)
{
  static const struct {
    const char *in;
    size_t in_len;
    const char *out;  /* the escaped text, without the quotes */
    const char *back; /* what the parsed string must hold */
    size_t back_len;
  } cases[] = {
    { S(""), "", S("") },
    { S("plain"), "plain", S("plain") },
    { S("\""), "\\\"", S("\"") },
    { S("\\"), "\\\\", S("\\") },
    { S("/"), "/", S("/") },
    { S("\n\r\t"), "\\n\\r\\t", S("\n\r\t") },
    { S("\x01\x08\x0c\x1f"), "\\u0001\\u0008\\u000c\\u001f",
      S("\x01\x08\x0c\x1f") },
    { S("\x7f"), "\\u007f", S("\x7f") },
    { S("<"), "\\u003c", S("<") },
    { S(">"), "\\u003e", S(">") },
    { S("&"), "\\u0026", S("&") },
    { S("</script><!--"), "\\u003c/script\\u003e\\u003c!--",
      S("</script><!--") },
    { S("a\0b"), "a\\u0000b", S("a\0b") },
    /* UTF-8 passes through, except the two JS line terminators */
    { S("資通安全"), "資通安全", S("資通安全") },
    { S("\xE2\x80\xA8"), "\\u2028", S("\xE2\x80\xA8") },
    { S("\xE2\x80\xA9"), "\\u2029", S("\xE2\x80\xA9") },
    { S("\xE2\x80\xA7"), "\xE2\x80\xA7", S("\xE2\x80\xA7") },
    { S("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80", S("\xF0\x9F\x98\x80") },
    { S("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF", S("\xF4\x8F\xBF\xBF") },
    /* invalid UTF-8: each bad byte becomes U+FFFD */
    { S("\xFF"), "\\ufffd", S("\xEF\xBF\xBD") },
    { S("a\x80z"), "a\\ufffdz", S("a\xEF\xBF\xBDz") },
    { S("\xC0\x80"), "\\ufffd\\ufffd", S("\xEF\xBF\xBD\xEF\xBF\xBD") },
    { S("\xED\xA0\x80"), "\\ufffd\\ufffd\\ufffd",
      S("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") },
    { S("\xF4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd",
      S("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") },
    { S("\xE8\xB3"), "\\ufffd\\ufffd", S("\xEF\xBF\xBD\xEF\xBF\xBD") },
    { S("\xE8\xB3<"), "\\ufffd\\ufffd\\u003c",
      S("\xEF\xBF\xBD\xEF\xBF\xBD<") },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b, want;
    struct json j;
    json_t *v, *x;
    const char *key;

    buf_init(&b, 4096);
    buf_init(&want, 4096);

    /* as a value */
    json_init(&j, &b);
    json_strn(&j, (struct str){ cases[i].in, cases[i].in_len });
    assert_true(json_done(&j));
    buf_putc(&want, '"');
    buf_puts(&want, cases[i].out);
    buf_putc(&want, '"');
    if(strcmp(b.data, want.data) != 0) {
      print_error("case %zu: got %s\n", i, b.data);
    }
    assert_string_equal(b.data, want.data);
    assert_true(html_safe(&b));
    v = parse(&b);
    assert_true(json_is_string(v));
    assert_int_equal(json_string_length(v), cases[i].back_len);
    assert_memory_equal(json_string_value(v), cases[i].back,
                        cases[i].back_len);
    json_decref(v);
    buf_clear(&b);

    /* as a key (a C string: only cases without NUL) and a value of an
     * object */
    if(strlen(cases[i].in) != cases[i].in_len) {
      buf_free(&b);
      buf_free(&want);
      continue;
    }
    json_init(&j, &b);
    json_obj_begin(&j);
    json_key_str(&j, cases[i].in, cases[i].in);
    json_obj_end(&j);
    assert_true(json_done(&j));
    buf_clear(&want);
    buf_puts(&want, "{\"");
    buf_puts(&want, cases[i].out);
    buf_puts(&want, "\":\"");
    buf_puts(&want, cases[i].out);
    buf_puts(&want, "\"}");
    assert_string_equal(b.data, want.data);
    assert_true(html_safe(&b));
    v = parse(&b);
    assert_int_equal(json_object_size(v), 1);
    key = json_object_iter_key(json_object_iter(v));
    x = json_object_iter_value(json_object_iter(v));
    assert_non_null(key);
    assert_memory_equal(key, cases[i].back, cases[i].back_len + 1);
    assert_int_equal(json_string_length(x), cases[i].back_len);
    assert_memory_equal(json_string_value(x), cases[i].back,
                        cases[i].back_len);
    json_decref(v);
    buf_free(&b);
    buf_free(&want);
  }
}

static void test_json_i64(void **state)
{
  static const struct {
    int64_t v;
    const char *out;
  } cases[] = {
    { 0, "0" },
    { -1, "-1" },
    { 42, "42" },
    { INT64_MAX, "9223372036854775807" },
    { INT64_MIN, "-9223372036854775808" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    struct json j;
    json_t *v, *x;

    buf_init(&b, 256);
    json_init(&j, &b);
    json_arr_begin(&j);
    json_i64(&j, cases[i].v);
    json_arr_end(&j);
    assert_true(json_done(&j));
    assert_memory_equal(b.data + 1, cases[i].out, strlen(cases[i].out));
    v = parse(&b);
    x = json_array_get(v, 0);
    assert_true(json_is_integer(x));
    assert_true(json_integer_value(x) == cases[i].v);
    json_decref(v);
    buf_free(&b);
  }
}

static void test_json_double(void **state)
{
  static const struct {
    double v;
    const char *out;
  } cases[] = {
    { 0.1, "0.1" },
    { 99.97, "99.97" },
    { 0.0, "0" },
    { 1.5, "1.5" },
    { -2.25, "-2.25" },
    { 3.0, "3" },
    { 0.1 + 0.2, "0.3" }, /* 15 significant digits */
    { 1e300, "1e+300" },
    { -1e-300, "-1e-300" },
    { 123456789012345.0, "123456789012345" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    struct json j;
    json_t *v, *x;

    buf_init(&b, 256);
    json_init(&j, &b);
    json_arr_begin(&j);
    json_double(&j, cases[i].v);
    json_arr_end(&j);
    assert_true(json_done(&j));
    if(strlen(b.data) != strlen(cases[i].out) + 2 ||
       memcmp(b.data + 1, cases[i].out, strlen(cases[i].out)) != 0) {
      print_error("case %zu: got %s, want [%s]\n", i, b.data, cases[i].out);
    }
    assert_int_equal(strlen(b.data), strlen(cases[i].out) + 2);
    assert_memory_equal(b.data + 1, cases[i].out, strlen(cases[i].out));
    v = parse(&b);
    x = json_array_get(v, 0);
    assert_true(json_is_number(x));
    assert_true(fabs(json_number_value(x) - cases[i].v) <=
                fabs(cases[i].v) * 1e-14);
    json_decref(v);
    buf_free(&b);
  }
}

/* Non-finite numbers have no JSON form: they are written as null. */
static void test_json_double_nonfinite(void **state)
{
  struct buf b;
  struct json j;
  json_t *v;
  size_t i;

  (void)state;
  buf_init(&b, 256);
  json_init(&j, &b);
  json_obj_begin(&j);
  json_key(&j, "nan");
  json_double(&j, NAN);
  json_key(&j, "inf");
  json_double(&j, INFINITY);
  json_key(&j, "-inf");
  json_double(&j, -INFINITY);
  json_key(&j, "x");
  json_null_val(&j);
  json_obj_end(&j);
  assert_true(json_done(&j));
  assert_string_equal(b.data,
                      "{\"nan\":null,\"inf\":null,\"-inf\":null,\"x\":null}");
  v = parse(&b);
  assert_int_equal(json_object_size(v), 4);
  for(i = 0; i < 4; i++) {
    static const char *const keys[] = { "nan", "inf", "-inf", "x" };
    assert_true(json_is_null(json_object_get(v, keys[i])));
  }
  json_decref(v);
  buf_free(&b);
}

/* Each misuse sets ST_INVALID (or leaves a container open), and
 * json_done() says so. */
static void test_json_misuse(void **state)
{
  enum { OBJ_BEGIN, OBJ_END, ARR_BEGIN, ARR_END, KEY, STR, I64, END_ };
  static const struct {
    const char *what;
    int ops[8]; /* END_-terminated */
    enum status err;
  } cases[] = {
    { "value in object without key",
      { OBJ_BEGIN, I64, OBJ_END, END_ },
      ST_INVALID },
    { "string in object without key",
      { OBJ_BEGIN, STR, OBJ_END, END_ },
      ST_INVALID },
    { "second value after one key",
      { OBJ_BEGIN, KEY, I64, I64, OBJ_END, END_ },
      ST_INVALID },
    { "object closed as array", { OBJ_BEGIN, ARR_END, END_ }, ST_INVALID },
    { "array closed as object", { ARR_BEGIN, OBJ_END, END_ }, ST_INVALID },
    { "inner array closed as object",
      { OBJ_BEGIN, KEY, ARR_BEGIN, OBJ_END, END_ },
      ST_INVALID },
    { "close with nothing open", { OBJ_END, END_ }, ST_INVALID },
    { "close array with nothing open", { ARR_END, END_ }, ST_INVALID },
    { "one close too many",
      { ARR_BEGIN, ARR_END, ARR_END, END_ },
      ST_INVALID },
    { "key without value", { OBJ_BEGIN, KEY, OBJ_END, END_ }, ST_INVALID },
    { "key after key", { OBJ_BEGIN, KEY, KEY, END_ }, ST_INVALID },
    { "key at top level", { KEY, END_ }, ST_INVALID },
    { "key in array", { ARR_BEGIN, KEY, END_ }, ST_INVALID },
    { "object left open", { OBJ_BEGIN, END_ }, ST_OK },
    { "array left open", { ARR_BEGIN, I64, END_ }, ST_OK },
    { "inner object left open",
      { ARR_BEGIN, OBJ_BEGIN, ARR_END, END_ },
      ST_INVALID },
    { "key pending at the end", { OBJ_BEGIN, KEY, END_ }, ST_OK },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    struct json j;
    size_t k;

    buf_init(&b, 256);
    json_init(&j, &b);
    for(k = 0; cases[i].ops[k] != END_; k++) {
      switch(cases[i].ops[k]) {
      case OBJ_BEGIN:
        json_obj_begin(&j);
        break;
      case OBJ_END:
        json_obj_end(&j);
        break;
      case ARR_BEGIN:
        json_arr_begin(&j);
        break;
      case ARR_END:
        json_arr_end(&j);
        break;
      case KEY:
        json_key(&j, "k");
        break;
      case STR:
        json_str(&j, "s");
        break;
      default:
        json_i64(&j, 1);
        break;
      }
    }
    if(json_done(&j) || b.err != cases[i].err) {
      print_error("case %zu (%s): done %d err %d, output %s\n", i,
                  cases[i].what, json_done(&j), b.err, b.data);
    }
    assert_false(json_done(&j));
    assert_int_equal(b.err, cases[i].err);
    buf_free(&b);
  }
}

/* One level more than JSON_MAX_DEPTH is refused. */
static void test_json_too_deep(void **state)
{
  struct buf b;
  struct json j;
  int i;

  (void)state;
  buf_init(&b, 4096);
  json_init(&j, &b);
  for(i = 0; i <= JSON_MAX_DEPTH; i++) {
    json_arr_begin(&j);
  }
  assert_int_equal(b.err, ST_INVALID);
  for(i = 0; i <= JSON_MAX_DEPTH; i++) {
    json_arr_end(&j);
  }
  assert_false(json_done(&j));
  buf_free(&b);
}

/* A full buffer makes json_done() false too. */
static void test_json_cap(void **state)
{
  struct buf b;
  struct json j;

  (void)state;
  buf_init(&b, 8);
  json_init(&j, &b);
  json_arr_begin(&j);
  json_str(&j, "0123456789");
  json_arr_end(&j);
  assert_int_equal(b.err, ST_TOOBIG);
  assert_false(json_done(&j));
  buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_json_containers),
    cmocka_unit_test(test_json_escape_table),
    cmocka_unit_test(test_json_i64),
    cmocka_unit_test(test_json_double),
    cmocka_unit_test(test_json_double_nonfinite),
    cmocka_unit_test(test_json_misuse),
    cmocka_unit_test(test_json_too_deep),
    cmocka_unit_test(test_json_cap),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
