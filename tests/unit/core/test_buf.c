/*
 * test_buf.c: unit tests for core/buf.c (cap, sticky ST_TOOBIG,
 * appendf, clear, detach).  Depends on cmocka and core/{buf,mem}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static void test_buf_init(void **state)
{
  struct buf b;

  (void)state;
  buf_init(&b, 100);
  assert_non_null(b.data);
  assert_string_equal(b.data, "");
  assert_int_equal(b.len, 0);
  assert_int_equal(b.max, 100);
  assert_int_equal(b.err, ST_OK);
  buf_free(&b);
  assert_null(b.data);
}

static void test_buf_append(void **state)
{
  struct buf b;

  (void)state;
  buf_init(&b, 1024);
  buf_append(&b, "ab", 2);
  buf_puts(&b, "cd");
  buf_putc(&b, 'e');
  buf_append(&b, "", 0);
  buf_append(&b, NULL, 0);
  buf_append(&b, "x\0y", 3);
  assert_int_equal(b.err, ST_OK);
  assert_int_equal(b.len, 8);
  assert_memory_equal(b.data,
                      "abcde"
                      "x\0y",
                      9); /* and the final NUL */
  buf_free(&b);
}

/* Content that crosses many reallocations stays intact. */
static void test_buf_grow(void **state)
{
  struct buf b;
  size_t i;

  (void)state;
  buf_init(&b, 1 << 20);
  for(i = 0; i < 100000; i++) {
    buf_putc(&b, (char)('a' + i % 26));
  }
  assert_int_equal(b.err, ST_OK);
  assert_int_equal(b.len, 100000);
  assert_true(b.cap > b.len);
  for(i = 0; i < 100000; i++) {
    assert_int_equal(b.data[i], 'a' + i % 26);
  }
  assert_int_equal(b.data[b.len], 0);
  buf_free(&b);
}

/*
 * Exactly max bytes fit; one more fails with ST_TOOBIG, leaves the
 * content as it was, and the error sticks even for appends that would
 * fit.
 */
static void test_buf_cap_table(void **state)
{
  static const struct {
    size_t max;      /* cap */
    size_t first;    /* bytes in the first append */
    size_t second;   /* bytes in the second append */
    enum status err; /* b.err afterwards */
    size_t len;      /* b.len afterwards */
  } cases[] = {
    { 8, 8, 0, ST_OK, 8 },       /* exactly max */
    { 8, 9, 0, ST_TOOBIG, 0 },   /* one over, at once */
    { 8, 4, 4, ST_OK, 8 },       /* exactly max in two steps */
    { 8, 4, 5, ST_TOOBIG, 4 },   /* one over in two steps */
    { 8, 9, 1, ST_TOOBIG, 0 },   /* sticky: the 1 byte would fit */
    { 0, 0, 0, ST_OK, 0 },       /* max 0: empty appends are fine */
    { 0, 1, 0, ST_TOOBIG, 0 },   /* max 0: any byte is too big */
    { 100, 64, 36, ST_OK, 100 }, /* across the first reallocation */
    { 100, 64, 37, ST_TOOBIG, 64 },
    { 100, SIZE_MAX, 1, ST_TOOBIG, 0 }, /* n + len must not wrap */
  };
  static char src[128];
  size_t i;

  (void)state;
  memset(src, 'z', sizeof(src));
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, cases[i].max);
    /* a failed append must not touch src, so SIZE_MAX is safe here */
    buf_append(&b, src, cases[i].first);
    buf_append(&b, src, cases[i].second);
    if(b.err != cases[i].err || b.len != cases[i].len) {
      print_error("case %zu: err %d len %zu\n", i, b.err, b.len);
    }
    assert_int_equal(b.err, cases[i].err);
    assert_int_equal(b.len, cases[i].len);
    assert_int_equal(strlen(b.data), cases[i].len);
    buf_free(&b);
  }
}

/* putc, puts and appendf honour the cap and the sticky error. */
static void test_buf_cap_all_appenders(void **state)
{
  struct buf b;

  (void)state;
  buf_init(&b, 4);
  buf_puts(&b, "abc");
  buf_putc(&b, 'd');
  assert_int_equal(b.err, ST_OK);
  assert_string_equal(b.data, "abcd");
  buf_putc(&b, 'e');
  assert_int_equal(b.err, ST_TOOBIG);
  assert_string_equal(b.data, "abcd");
  buf_free(&b);

  buf_init(&b, 4);
  buf_appendf(&b, "%d", 1234);
  assert_int_equal(b.err, ST_OK);
  assert_string_equal(b.data, "1234");
  buf_appendf(&b, "%d", 5);
  assert_int_equal(b.err, ST_TOOBIG);
  assert_string_equal(b.data, "1234");
  buf_free(&b);

  buf_init(&b, 4);
  buf_appendf(&b, "%s", "12345");
  assert_int_equal(b.err, ST_TOOBIG);
  assert_int_equal(b.len, 0);
  buf_puts(&b, "a");
  buf_appendf(&b, "%c", 'b');
  assert_int_equal(b.len, 0);
  assert_string_equal(b.data, "");
  buf_free(&b);
}

static void test_buf_appendf(void **state)
{
  struct buf b;
  char big[300];

  (void)state;
  memset(big, 'q', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  buf_init(&b, 4096);
  buf_appendf(&b, "%d-%s-%zu", -42, "x", (size_t)7);
  buf_appendf(&b, "%s", "");
  buf_appendf(&b, "|%s|", big);
  assert_int_equal(b.err, ST_OK);
  assert_int_equal(b.len, 7 + 2 + 299);
  assert_memory_equal(b.data, "-42-x-7|", 8);
  assert_int_equal(b.data[8], 'q');
  assert_int_equal(b.data[b.len - 1], '|');
  assert_int_equal(b.data[b.len], 0);
  buf_free(&b);
}

/* clear keeps the cap and forgets the error. */
static void test_buf_clear(void **state)
{
  struct buf b;

  (void)state;
  buf_init(&b, 3);
  buf_puts(&b, "abcd");
  assert_int_equal(b.err, ST_TOOBIG);
  buf_clear(&b);
  assert_int_equal(b.err, ST_OK);
  assert_int_equal(b.len, 0);
  buf_puts(&b, "abc");
  assert_string_equal(b.data, "abc");
  buf_putc(&b, 'd');
  assert_int_equal(b.err, ST_TOOBIG);
  buf_free(&b);
}

/*
 * detach hands over the content (never NULL) and leaves b empty with
 * nothing allocated; b can still be appended to, with the same cap, and
 * freed.
 */
static void test_buf_detach(void **state)
{
  struct buf b;
  char *p, *q;

  (void)state;
  buf_init(&b, 5);
  buf_puts(&b, "hello");
  p = buf_detach(&b);
  assert_non_null(p);
  assert_string_equal(p, "hello");
  assert_true(b.data != p);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.max, 5);
  assert_int_equal(b.err, ST_OK);
  buf_puts(&b, "world");
  assert_int_equal(b.err, ST_OK);
  assert_string_equal(b.data, "world");
  assert_string_equal(p, "hello");
  buf_putc(&b, '!');
  assert_int_equal(b.err, ST_TOOBIG);
  free(p);

  /* an empty buffer, and one detached twice, give "" */
  buf_clear(&b);
  p = buf_detach(&b);
  q = buf_detach(&b);
  assert_non_null(p);
  assert_non_null(q);
  assert_string_equal(p, "");
  assert_string_equal(q, "");
  assert_true(p != q);
  free(p);
  free(q);
  buf_clear(&b);
  buf_free(&b); /* harmless after detach */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_buf_init),
    cmocka_unit_test(test_buf_append),
    cmocka_unit_test(test_buf_grow),
    cmocka_unit_test(test_buf_cap_table),
    cmocka_unit_test(test_buf_cap_all_appenders),
    cmocka_unit_test(test_buf_appendf),
    cmocka_unit_test(test_buf_clear),
    cmocka_unit_test(test_buf_detach),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
