/*
 * test_utf8.c: unit tests for core/utf8.c (validation, decoding,
 * encoding, control characters, search folding).  Depends on cmocka and
 * core/{utf8,buf,str,mem}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/utf8.h"
#include "../exact.h"

/* A string literal and its length, so cases can hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

static void test_utf8_valid_table(void **state)
{
  static const struct {
    const char *in; /* bytes */
    size_t len;     /* their number */
    int valid;      /* expected result */
    size_t bad_at;  /* expected offset when not valid */
  } cases[] = {
    { S(""), 1, 0 },
    { S("abc"), 1, 0 },
    { S("a\0b"), 1, 0 },
    { S("台北市"), 1, 0 },
    { S("臺北 ＡＢＣ１２３"), 1, 0 },
    { S("\xC2\x80"), 1, 0 },         /* U+0080, smallest 2-byte */
    { S("\xDF\xBF"), 1, 0 },         /* U+07FF */
    { S("\xE0\xA0\x80"), 1, 0 },     /* U+0800, smallest 3-byte */
    { S("\xED\x9F\xBF"), 1, 0 },     /* U+D7FF, just below surrogates */
    { S("\xEE\x80\x80"), 1, 0 },     /* U+E000, just above */
    { S("\xEF\xBF\xBF"), 1, 0 },     /* U+FFFF */
    { S("\xF0\x90\x80\x80"), 1, 0 }, /* U+10000, smallest 4-byte */
    { S("\xF0\x9F\x98\x80"), 1, 0 }, /* emoji */
    { S("\xF4\x8F\xBF\xBF"), 1, 0 }, /* U+10FFFF, the largest */
    /* overlong forms */
    { S("\xC0\x80"), 0, 0 },
    { S("a\xC1\xBF"), 0, 1 },
    { S("\xE0\x80\x80"), 0, 0 },
    { S("ab\xE0\x9F\xBF"), 0, 2 },
    { S("\xF0\x80\x80\x80"), 0, 0 },
    { S("\xF0\x8F\xBF\xBF"), 0, 0 },
    /* surrogates */
    { S("\xED\xA0\x80"), 0, 0 },
    { S("x\xED\xBF\xBF"), 0, 1 },
    /* above U+10FFFF and bytes that never appear */
    { S("\xF4\x90\x80\x80"), 0, 0 },
    { S("\xF5\x80\x80\x80"), 0, 0 },
    { S("\xF8\x88\x80\x80\x80"), 0, 0 },
    { S("ok\xFE"), 0, 2 },
    { S("\xFF"), 0, 0 },
    /* truncated sequences: at the end and before other bytes */
    { S("ab\xE4\xB8"), 0, 2 },
    { S("ab\xE4"), 0, 2 },
    { S("\xF0\x9F\x98"), 0, 0 },
    { S("\xE4\xB8"
        "a"),
      0, 0 },
    { S("台\xE5\x8C"
        "北"),
      0, 3 },
    { S("\xC2"), 0, 0 },
    /* lone continuation bytes */
    { S("\x80"), 0, 0 },
    { S("ab\x80"), 0, 2 },
    { S("台\xBF"), 0, 3 },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct str s = exact(cases[i].in, cases[i].len);
    size_t bad_at = 999;
    int valid = utf8_valid(s, &bad_at);
    if(valid != cases[i].valid || (!valid && bad_at != cases[i].bad_at)) {
      print_error("case %zu: valid %d bad_at %zu\n", i, valid, bad_at);
    }
    assert_int_equal(valid, cases[i].valid);
    if(valid) {
      assert_int_equal(bad_at, 999); /* untouched */
    }
    else {
      assert_int_equal(bad_at, cases[i].bad_at);
    }
    /* bad_at may be NULL */
    assert_int_equal(utf8_valid(s, NULL), cases[i].valid);
    exact_free(s);
  }
}

/* utf8_valid() by way of utf8_next(), one character at a time: the
 * reference the word-at-a-time validator must agree with. */
static int valid_slowly(struct str s, size_t *bad_at)
{
  size_t pos = 0;
  while(pos < s.len) {
    size_t at = pos;
    if(utf8_next(s, &pos) < 0) {
      *bad_at = at;
      return 0;
    }
  }
  return 1;
}

/* The fast paths of utf8_valid() (16 ASCII bytes at a time, the first
 * high bit of a word, runs of three-byte characters) against the
 * reference, with every kind of bad sequence at every offset of a word
 * and at the very end of an exact-size buffer (ASan sees a read past
 * it). */
static void test_utf8_valid_fast_paths(void **state)
{
  static const char *const pieces[] = {
    "a",
    "0123456789abcdef",
    "x y",
    "\xC3\xA9",
    "台",
    "臺北市",
    "ＡＢ１",
    "\xEF\xBF\xBF",
    "\xEE\x80\x80",
    "\xE0\xA0\x80",
    "\xED\x9F\xBF",
    "\xF0\x9F\x98\x80",
    "\xF4\x8F\xBF\xBF",
  };
  static const char *const bad[] = {
    "\x80",
    "\xBF",
    "\xC0\x80",
    "\xC1\xBF",
    "\xC2",
    "\xE4\xB8",
    "\xE0\x80\x80",
    "\xE0\x9F\xBF",
    "\xED\xA0\x80",
    "\xF0\x8F\xBF\xBF",
    "\xF4\x90\x80\x80",
    "\xF5\x80\x80\x80",
    "\xFF",
    "\xE4\xB8"
    "a",
    "\xF0\x9F\x98",
    "\xEF\xBC",
  };
  char text[256];
  uint32_t seed = 12345;
  size_t round, k;

  (void)state;
  for(round = 0; round < 20000; round++) {
    size_t len = 0, bad_at = 999, want_at = 999;
    int with_bad = round % 3 != 0;
    size_t bad_piece = round % (sizeof(bad) / sizeof(bad[0]));
    size_t bad_pos = (round / 3) % 40;
    for(k = 0; len < 60; k++) {
      const char *piece;
      if(with_bad && len >= bad_pos && bad_pos != (size_t)-1) {
        piece = bad[bad_piece];
        bad_pos = (size_t)-1;
      }
      else {
        seed = seed * 1103515245u + 12345u;
        piece = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
      }
      memcpy(text + len, piece, strlen(piece));
      len += strlen(piece);
    }
    /* Every prefix: truncation at each byte, bad bytes last. */
    for(k = 0; k <= len; k++) {
      struct str s = exact(text, k);
      int want = valid_slowly(s, &want_at);
      int got = utf8_valid(s, &bad_at);
      if(got != want || (!got && bad_at != want_at)) {
        print_error("round %zu len %zu: got %d at %zu, want %d at %zu\n",
                    round, k, got, bad_at, want, want_at);
      }
      assert_int_equal(got, want);
      if(!got) {
        assert_int_equal(bad_at, want_at);
      }
      exact_free(s);
    }
  }
}

static void test_utf8_next(void **state)
{
  static const struct {
    const char *in; /* bytes */
    size_t len;     /* their number */
    int32_t cp;     /* first code point, or -1 */
    size_t pos;     /* position after it */
  } cases[] = {
    { S("A"), 0x41, 1 },
    { S("\xC3\xA9"), 0xE9, 2 },
    { S("台"), 0x53F0, 3 },
    { S("臺"), 0x81FA, 3 },
    { S("\xF0\x9F\x98\x80"), 0x1F600, 4 },
    { S("\xC0\x80"), -1, 1 },
    { S("\xE4\xB8"), -1, 1 },
    { S("\x80"), -1, 1 },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct str s = exact(cases[i].in, cases[i].len);
    size_t pos = 0;
    assert_int_equal(utf8_next(s, &pos), cases[i].cp);
    assert_int_equal(pos, cases[i].pos);
    exact_free(s);
  }
  assert_int_equal(utf8_count(str_c("")), 0);
  assert_int_equal(utf8_count(str_c("abc")), 3);
  assert_int_equal(utf8_count(str_c("臺北市 x")), 5);
}

static void test_utf8_put(void **state)
{
  static const struct {
    int32_t cp;      /* code point */
    const char *out; /* its encoding */
  } cases[] = {
    { 0x41, "A" },
    { 0x7F, "\x7F" },
    { 0x80, "\xC2\x80" },
    { 0x7FF, "\xDF\xBF" },
    { 0x800, "\xE0\xA0\x80" },
    { 0x53F0, "台" },
    { 0xFFFF, "\xEF\xBF\xBF" },
    { 0x10000, "\xF0\x90\x80\x80" },
    { 0x10FFFF, "\xF4\x8F\xBF\xBF" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    size_t pos = 0;
    buf_init(&b, 16);
    utf8_put(&b, cases[i].cp);
    assert_string_equal(b.data, cases[i].out);
    /* and it decodes back */
    assert_int_equal(utf8_next((struct str){ b.data, b.len }, &pos),
                     cases[i].cp);
    assert_int_equal(pos, b.len);
    buf_free(&b);
  }
}

static void test_utf8_has_control(void **state)
{
  static const struct {
    const char *in;     /* bytes */
    size_t len;         /* their number */
    int allow_newlines; /* argument */
    int want;           /* expected result */
  } cases[] = {
    { S(""), 0, 0 },
    { S("abc"), 0, 0 },
    { S("台北 ＡＢＣ"), 0, 0 },
    { S("a\nb"), 0, 1 },
    { S("a\nb"), 1, 0 },
    { S("a\r\nb"), 1, 0 },
    { S("a\tb"), 0, 1 },
    { S("a\tb"), 1, 0 },
    { S("a\x1b[31m"), 1, 1 }, /* ESC is never allowed */
    { S("a\0b"), 1, 1 },
    { S("\x01"), 1, 1 },
    { S("\x1f"), 0, 1 },
    { S("\x7f"), 1, 1 },     /* DEL */
    { S("\xC2\x85"), 1, 1 }, /* NEL, a C1 control */
    { S("\xC2\x9F"), 0, 1 }, /* last C1 control */
    { S("\xC2\xA0"), 0, 0 }, /* no-break space */
    { S(" ~"), 0, 0 },
    { S("\xE3\x80\x80"), 0, 0 }, /* ideographic space */
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct str s = exact(cases[i].in, cases[i].len);
    if(utf8_has_control(s, cases[i].allow_newlines) != cases[i].want) {
      print_error("case %zu\n", i);
    }
    assert_int_equal(utf8_has_control(s, cases[i].allow_newlines),
                     cases[i].want);
    exact_free(s);
  }
}

static void test_utf8_fold_search(void **state)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "", "" },
    { "臺北", "台北" },
    { "台北", "台北" },
    { "臺臺", "台台" },
    { "ＡＢＣ１２３", "abc123" },
    { "ＡＢＣ", "abc" },
    { "ｚ", "z" },
    { "！", "!" },  /* U+FF01, first full-width form */
    { "～", "~" },  /* U+FF5E, last one */
    { "｟", "｟" }, /* U+FF5F is not mapped */
    { "a\xE3\x80\x80"
      "b",
      "a b" }, /* ideographic space */
    { "HeLLo World", "hello world" },
    { "ISO 27001", "iso 27001" },
    { "Éa", "Éa" }, /* only ASCII letters change case */
    { "新北市", "新北市" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, 256);
    utf8_fold_search(&b, str_c(cases[i].in));
    assert_int_equal(b.err, ST_OK);
    if(strcmp(b.data, cases[i].out)) {
      print_error("case %zu: got \"%s\"\n", i, b.data);
    }
    assert_string_equal(b.data, cases[i].out);
    buf_free(&b);
  }
}

/* Both spellings of a query find both spellings of the text. */
static void test_utf8_fold_search_matches(void **state)
{
  struct buf text, query;

  (void)state;
  buf_init(&text, 256);
  buf_init(&query, 256);
  utf8_fold_search(&text, str_c("臺北市 ＩＳＭＳ 稽核"));
  utf8_fold_search(&query, str_c("台北市 isms"));
  assert_non_null(strstr(text.data, query.data));
  buf_free(&text);
  buf_free(&query);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_utf8_valid_table),
    cmocka_unit_test(test_utf8_valid_fast_paths),
    cmocka_unit_test(test_utf8_next),
    cmocka_unit_test(test_utf8_put),
    cmocka_unit_test(test_utf8_has_control),
    cmocka_unit_test(test_utf8_fold_search),
    cmocka_unit_test(test_utf8_fold_search_matches),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
