/*
 * test_password.c: unit tests for auth/password.c against the plan's
 * password rules (玖.二.(二).1: at least 8 characters, at least three of
 * upper case, lower case, digits and symbols; the policy comes from
 * settings, so 12 characters and 4 classes are tried too), the limits
 * the header promises (1,024 bytes, refused and never truncated; valid
 * UTF-8 without control characters; not the user ID), argon2id hashes
 * that carry their own parameters, and the one-time password generator.
 * The expected answers come from those rules, not from the code.
 * Depends on cmocka and auth/password (libsodium).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"

/* A string literal and its length, so cases can hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

/* The plan's policy and the stricter ones an agency may set. */
#define PLAN 8, 3
#define FOUR 8, 4
#define LONG 12, 3
#define BOTH 12, 4

/* Cheap hashing for tests: 1 pass, 8 MiB (the smallest the settings
 * allow). */
static const struct pw_cost cheap = { 1, 8u << 20 };

/* One pw_check() case. */
struct pw_case {
  const char *pw;    /* the password */
  size_t len;        /* its length in bytes */
  const char *login; /* the user ID, or NULL */
  int min_length;    /* policy: characters */
  int min_classes;   /* policy: kinds of characters */
  enum msg want;     /* M_NONE or the reason for refusing */
  const char *what;  /* the rule the case checks */
};

static const struct pw_case cases[] = {
  /* Length and the four classes (玖.二.(二).1.(1), (2)). */
  { S("Abcdefg1"), NULL, PLAN, M_NONE, "8 characters, 3 classes" },
  { S("Abcdef1!"), NULL, PLAN, M_NONE, "8 characters, 4 classes" },
  { S("Abcdef1"), NULL, PLAN, M_PW_TOO_SHORT, "7 characters" },
  { S(""), NULL, PLAN, M_PW_TOO_SHORT, "empty" },
  { S("abcdefg1"), NULL, PLAN, M_PW_CLASSES, "lower and digits" },
  { S("Abcdefgh"), NULL, PLAN, M_PW_CLASSES, "upper and lower" },
  { S("ABCD!@#$"), NULL, PLAN, M_PW_CLASSES, "upper and symbols" },
  { S("12345678"), NULL, PLAN, M_PW_CLASSES, "digits only" },
  { S("!@#$%^&*"), NULL, PLAN, M_PW_CLASSES, "symbols only" },
  { S("ABCDEFG1"), NULL, PLAN, M_PW_CLASSES, "upper and digits" },
  { S("aB3$aB3$aB3$"), NULL, PLAN, M_NONE, "12 characters, 4 classes" },
  /* A space is a symbol and counts wherever it stands. */
  { S("abcd 123"), NULL, PLAN, M_NONE, "space as the only symbol" },
  { S("Abcdefg "), NULL, PLAN, M_NONE, "trailing space is the symbol" },
  { S("Abcdef1 "), NULL, PLAN, M_NONE, "trailing space makes 8" },
  { S(" Abcdef1"), NULL, PLAN, M_NONE, "leading space makes 8" },
  { S("  Ab1   "), NULL, PLAN, M_NONE, "spaces around, 8 in all" },
  { S("        "), NULL, PLAN, M_PW_CLASSES, "8 spaces: one class" },
  { S(" Abcdef "), NULL, PLAN, M_NONE, "spaces both ends: 3 classes" },
  /* Chinese characters: one character each, and symbols. */
  { S("通行碼Abc12"), NULL, PLAN, M_NONE, "Chinese: 8 characters" },
  { S("通行碼Abc1"), NULL, PLAN, M_PW_TOO_SHORT,
    "Chinese: 7 characters in 13 bytes" },
  { S("通行碼abcd1"), NULL, PLAN, M_NONE, "Chinese as the symbol" },
  { S("通行碼abcde"), NULL, PLAN, M_PW_CLASSES, "Chinese and lower only" },
  { S("通行碼通行碼通行碼"), NULL, PLAN, M_PW_CLASSES, "Chinese only" },
  { S("資通安全"), NULL, PLAN, M_PW_TOO_SHORT, "4 Chinese in 12 bytes" },
  /* Full-width letters and digits are symbols, not letters or digits. */
  { S("ＡＢＣＤabc!"), NULL, PLAN, M_PW_CLASSES,
    "full-width upper is not upper" },
  { S("１２３４abc!"), NULL, PLAN, M_PW_CLASSES,
    "full-width digits are not digits" },
  { S("ＡＢＣＤabc1"), NULL, PLAN, M_NONE, "full-width as the symbol" },
  { S("ＡＢＣＤabc1"), NULL, FOUR, M_PW_CLASSES,
    "full-width upper does not make 4 classes" },
  /* Emoji: 4 bytes, one character. */
  { S("Abcd123\xf0\x9f\x98\x80"), NULL, PLAN, M_NONE, "emoji: 8 characters" },
  { S("Abc123\xf0\x9f\x98\x80"), NULL, PLAN, M_PW_TOO_SHORT,
    "emoji: 7 characters in 10 bytes" },
  { S("\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
      "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"),
    NULL, PLAN, M_PW_CLASSES, "8 emoji: one class" },
  /* Combining marks: a code point each (the header counts code points),
   * outside ASCII so a symbol; precomposed é is one character. */
  { S("Abcdefe\xcc\x81"), NULL, PLAN, M_NONE,
    "combining acute: 8 code points" },
  { S("Abcde\xcc\x81"), NULL, PLAN, M_PW_TOO_SHORT,
    "combining acute: 6 code points" },
  { S("Abcdef\xc3\xa9"), NULL, PLAN, M_PW_TOO_SHORT,
    "precomposed e-acute: 7 characters" },
  { S("Abcdefg\xc3\xa9"), NULL, PLAN, M_NONE,
    "precomposed e-acute as the symbol" },
  /* Not UTF-8: refused, not mangled. */
  { S("Abcdef1\x80"), NULL, PLAN, M_PW_BAD_UTF8, "lone continuation byte" },
  { S("Abcdef1\xc3"), NULL, PLAN, M_PW_BAD_UTF8, "truncated 2-byte" },
  { S("Abcdef1\xe9\x80"), NULL, PLAN, M_PW_BAD_UTF8, "truncated 3-byte" },
  { S("\xc0\xaf"
      "Abcdef1"),
    NULL, PLAN, M_PW_BAD_UTF8, "overlong '/'" },
  { S("\xe0\x80\xaf"
      "Abcdef1"),
    NULL, PLAN, M_PW_BAD_UTF8, "overlong 3-byte" },
  { S("\xed\xa0\x80"
      "Abcdef1"),
    NULL, PLAN, M_PW_BAD_UTF8, "UTF-16 surrogate" },
  { S("\xf4\x90\x80\x80"
      "Abcdef1"),
    NULL, PLAN, M_PW_BAD_UTF8, "past U+10FFFF" },
  { S("Abcdef1\xff"), NULL, PLAN, M_PW_BAD_UTF8, "byte 0xff" },
  { S("Abcdef1\xfe"), NULL, PLAN, M_PW_BAD_UTF8, "byte 0xfe" },
  { S("Abcd\xe9\x80"
      "ef1"),
    NULL, PLAN, M_PW_BAD_UTF8, "truncated sequence in the middle" },
  { S("Abcdef1\xc3\xa9\xa9"), NULL, PLAN, M_PW_BAD_UTF8,
    "extra continuation byte" },
  /* Control characters. */
  { S("Abcd\0ef1"), NULL, PLAN, M_PW_CONTROL, "embedded NUL" },
  { S("Abcdef1!\0"), NULL, PLAN, M_PW_CONTROL, "trailing NUL" },
  { S("Abcd\tef1"), NULL, PLAN, M_PW_CONTROL, "TAB" },
  { S("Abcd\x1b"
      "ef1"),
    NULL, PLAN, M_PW_CONTROL, "ESC" },
  { S("Abcd\x7f"
      "ef1"),
    NULL, PLAN, M_PW_CONTROL, "DEL" },
  { S("Abcdef1!\n"), NULL, PLAN, M_PW_CONTROL, "LF" },
  { S("\rAbcdef1!"), NULL, PLAN, M_PW_CONTROL, "CR" },
  { S("Abcd\x01"
      "ef1"),
    NULL, PLAN, M_PW_CONTROL, "SOH" },
  { S("Abcd\x1f"
      "ef1"),
    NULL, PLAN, M_PW_CONTROL, "US" },
  { S("Abcd\xc2\x85"
      "ef1"),
    NULL, PLAN, M_PW_CONTROL, "C1 control U+0085 (NEL)" },
  { S("Abcd\xc2\x9b"
      "ef1"),
    NULL, PLAN, M_PW_CONTROL, "C1 control U+009B (CSI)" },
  /* Not the user ID (case-insensitive). */
  { S("Alice.Smith9"), "alice.smith9", PLAN, M_PW_IS_LOGIN,
    "user ID, other case" },
  { S("alice.smith9"), "Alice.Smith9", PLAN, M_PW_IS_LOGIN,
    "user ID, other case (2)" },
  { S("Alice.Smith9"), "Alice.Smith9", PLAN, M_PW_IS_LOGIN,
    "user ID, same case" },
  { S("Alice.Smith9!"), "alice.smith9", PLAN, M_NONE,
    "longer than the user ID" },
  { S("Alice.Smith9"), NULL, PLAN, M_NONE, "no user ID given" },
  { S("Alice.Smith9"), "bob.jones99", PLAN, M_NONE, "another user ID" },
  /* min_classes 4. */
  { S("Abcdefg1"), NULL, FOUR, M_PW_CLASSES, "4 classes: 3 given" },
  { S("Abcdef1!"), NULL, FOUR, M_NONE, "4 classes" },
  { S("Abcdef1 "), NULL, FOUR, M_NONE, "4 classes, space as symbol" },
  { S("通Abcdef1"), NULL, FOUR, M_NONE, "4 classes, Chinese as symbol" },
  { S("abcdef1!"), NULL, FOUR, M_PW_CLASSES, "4 classes: no upper" },
  { S("ABCDEF1!"), NULL, FOUR, M_PW_CLASSES, "4 classes: no lower" },
  { S("Abcdefg!"), NULL, FOUR, M_PW_CLASSES, "4 classes: no digit" },
  { S("Abc1!"), NULL, FOUR, M_PW_TOO_SHORT, "4 classes but 5 characters" },
  /* min_length 12. */
  { S("Abcdefgh12!"), NULL, LONG, M_PW_TOO_SHORT, "12: 11 given" },
  { S("Abcdefgh123!"), NULL, LONG, M_NONE, "12: 12 given" },
  { S("Abcdefgh1234"), NULL, LONG, M_NONE, "12: 12, 3 classes" },
  { S("通行碼通行碼通行碼Ab1"), NULL, LONG, M_NONE,
    "12: 12 with Chinese (21 bytes)" },
  { S("通行碼通行碼通行碼Ab"), NULL, LONG, M_PW_TOO_SHORT,
    "12: 11 with Chinese (29 bytes)" },
  { S("Abcdefghij1!"), NULL, BOTH, M_NONE, "12 and 4 classes" },
  { S("abcdefghij1!"), NULL, BOTH, M_PW_CLASSES, "12 and 4: no upper" },
  { S("Abcdefghi1!"), NULL, BOTH, M_PW_TOO_SHORT, "12 and 4: 11 given" },
};

static const char *msg_name(enum msg m)
{
  switch(m) {
  case M_NONE:
    return "M_NONE";
  case M_PW_TOO_LONG:
    return "M_PW_TOO_LONG";
  case M_PW_BAD_UTF8:
    return "M_PW_BAD_UTF8";
  case M_PW_CONTROL:
    return "M_PW_CONTROL";
  case M_PW_TOO_SHORT:
    return "M_PW_TOO_SHORT";
  case M_PW_CLASSES:
    return "M_PW_CLASSES";
  case M_PW_IS_LOGIN:
    return "M_PW_IS_LOGIN";
  default:
    return "another message";
  }
}

static void test_pw_check_table(void **state)
{
  size_t i, bad = 0, n = sizeof(cases) / sizeof(cases[0]);

  (void)state;
  assert_true(n >= 35);
  for(i = 0; i < n; i++) {
    const struct pw_case *c = &cases[i];
    struct pw_policy p = { c->min_length, c->min_classes };
    enum msg got = pw_check(&p, c->pw, c->len, c->login);
    if(got != c->want) {
      print_error("case %zu (%s), policy {%d, %d}: got %s, want %s\n", i,
                  c->what, c->min_length, c->min_classes, msg_name(got),
                  msg_name(c->want));
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

/* n bytes of a valid password: "Ab1!" then 'x's (upper, lower, digit,
 * symbol); out holds n + 1. */
static char *long_ascii(size_t n)
{
  char *p = malloc(n + 1);
  assert_non_null(p);
  assert_true(n >= 4);
  memset(p, 'x', n);
  memcpy(p, "Ab1!", 4);
  p[n] = 0;
  return p;
}

static void test_pw_check_limits(void **state)
{
  struct pw_policy plan = { PLAN };
  char *pw = long_ascii(PW_MAX_BYTES + 1);
  char zh[PW_MAX_BYTES + 1];
  size_t i;

  (void)state;
  assert_int_equal(PW_MAX_BYTES, 1024);
  assert_int_equal(pw_check(&plan, pw, 1024, NULL), M_NONE);
  assert_int_equal(pw_check(&plan, pw, 1025, NULL), M_PW_TOO_LONG);
  assert_int_equal(pw_check(&plan, pw, 1023, NULL), M_NONE);
  /* 1,024 bytes of three-byte characters and four ASCII: valid. */
  for(i = 0; i < 340; i++) {
    memcpy(zh + 3 * i, "通", 3);
  }
  memcpy(zh + 1020, "Ab1c", 4);
  assert_int_equal(pw_check(&plan, zh, 1024, NULL), M_NONE);
  /* Length is checked before anything else: 1,025 bytes of garbage is
   * "too long", whatever else is wrong with it. */
  memset(pw, 0xff, PW_MAX_BYTES + 1);
  assert_int_equal(pw_check(&plan, pw, 1025, NULL), M_PW_TOO_LONG);
  free(pw);
}

static void test_pw_hash_format(void **state)
{
  static const char prefix[] = "$argon2id$v=19$m=8192,t=1,p=1$";
  static const char prefix2[] = "$argon2id$v=19$m=16384,t=2,p=1$";
  const struct pw_cost raised = { 2, 16u << 20 };
  const struct pw_cost more_ops = { 2, 8u << 20 };
  const struct pw_cost more_mem = { 1, 16u << 20 };
  char h1[PW_HASH_MAX], h2[PW_HASH_MAX], h3[PW_HASH_MAX];

  (void)state;
  assert_int_equal(pw_hash(S("Correct horse 1"), &cheap, h1), ST_OK);
  assert_true(strlen(h1) < PW_HASH_MAX);
  if(strncmp(h1, prefix, sizeof(prefix) - 1) != 0) {
    print_error("hash %s does not start with %s\n", h1, prefix);
    fail();
  }
  assert_int_equal(pw_verify(h1, S("Correct horse 1")), 1);
  assert_int_equal(pw_verify(h1, S("Correct horse 2")), 0);
  assert_int_equal(pw_verify(h1, S("correct horse 1")), 0);
  assert_int_equal(pw_verify(h1, S("Correct horse ")), 0);
  assert_int_equal(pw_verify(h1, S("Correct horse 1 ")), 0);
  assert_int_equal(pw_verify(h1, S("")), 0);

  /* The same password again: another salt, another hash; both verify. */
  assert_int_equal(pw_hash(S("Correct horse 1"), &cheap, h2), ST_OK);
  assert_string_not_equal(h1, h2);
  assert_int_equal(pw_verify(h2, S("Correct horse 1")), 1);

  /* The cost is raised: the old hash still verifies (its parameters are
   * in it) and asks to be rehashed; a new hash carries the new cost. */
  assert_int_equal(pw_verify(h1, S("Correct horse 1")), 1);
  assert_int_equal(pw_needs_rehash(h1, &raised), 1);
  assert_int_equal(pw_needs_rehash(h1, &more_ops), 1);
  assert_int_equal(pw_needs_rehash(h1, &more_mem), 1);
  assert_int_equal(pw_needs_rehash(h1, &cheap), 0);
  assert_int_equal(pw_hash(S("Correct horse 1"), &raised, h3), ST_OK);
  if(strncmp(h3, prefix2, sizeof(prefix2) - 1) != 0) {
    print_error("hash %s does not start with %s\n", h3, prefix2);
    fail();
  }
  assert_int_equal(pw_verify(h3, S("Correct horse 1")), 1);
  assert_int_equal(pw_needs_rehash(h3, &raised), 0);
  assert_int_equal(pw_needs_rehash(h3, &cheap), 1);

  /* No hash, or not a hash: never verifies. */
  assert_int_equal(pw_verify(NULL, S("Correct horse 1")), 0);
  assert_int_equal(pw_verify("", S("Correct horse 1")), 0);
  assert_int_equal(pw_verify("$argon2id$v=19$garbage", S("Correct horse 1")),
                   0);
  assert_int_equal(pw_verify("Correct horse 1", S("Correct horse 1")), 0);
}

static void test_pw_hash_bytes(void **state)
{
  char h[PW_HASH_MAX];

  (void)state;
  /* The length is what counts, not a NUL: "ab\0cd" is not "ab". */
  assert_int_equal(pw_hash(S("ab\0cdEF12"), &cheap, h), ST_OK);
  assert_int_equal(pw_verify(h, S("ab\0cdEF12")), 1);
  assert_int_equal(pw_verify(h, S("ab")), 0);
  assert_int_equal(pw_verify(h, S("ab\0cdEF13")), 0);
  /* Chinese and emoji hash as their bytes. */
  assert_int_equal(pw_hash(S("通行碼Abc12\xf0\x9f\x98\x80"), &cheap, h),
                   ST_OK);
  assert_int_equal(pw_verify(h, S("通行碼Abc12\xf0\x9f\x98\x80")), 1);
  assert_int_equal(pw_verify(h, S("通行碼Abc12")), 0);
}

static void test_pw_hash_max_bytes(void **state)
{
  char *pw = long_ascii(PW_MAX_BYTES + 1);
  char h[PW_HASH_MAX], h1023[PW_HASH_MAX], out[PW_HASH_MAX];

  (void)state;
  /* 1,024 bytes: hashed and verified whole. */
  assert_int_equal(pw_hash(pw, 1024, &cheap, h), ST_OK);
  assert_int_equal(pw_verify(h, pw, 1024), 1);
  /* One byte more is not the same password, and is not cut to 1,024. */
  assert_int_equal(pw_verify(h, pw, 1025), 0);
  assert_int_equal(pw_verify(h, pw, 1023), 0);
  /* The last byte counts (no truncation below the limit either). */
  assert_int_equal(pw_hash(pw, 1023, &cheap, h1023), ST_OK);
  assert_int_equal(pw_verify(h1023, pw, 1024), 0);
  assert_int_equal(pw_verify(h1023, pw, 1023), 1);
  /* 1,025 bytes: refused, and nothing written. */
  memset(out, '#', sizeof(out));
  assert_int_equal(pw_hash(pw, 1025, &cheap, out), ST_TOOBIG);
  assert_int_equal(out[0], '#');
  free(pw);
}

static void test_pw_generate(void **state)
{
  struct pw_policy strict = { 16, 4 };
  static char seen[1000][17];
  size_t i, j, dup = 0;

  (void)state;
  for(i = 0; i < 1000; i++) {
    char pw[17];
    enum msg m;
    memset(pw, '#', sizeof(pw));
    pw_generate(pw);
    assert_int_equal(strlen(pw), 16);
    m = pw_check(&strict, pw, strlen(pw), NULL);
    if(m != M_NONE) {
      print_error("draw %zu: %s fails {16, 4}: %s\n", i, pw, msg_name(m));
      fail();
    }
    for(j = 0; j < 16; j++) {
      if(strchr("0O1lI", pw[j]) || pw[j] <= ' ' || pw[j] > '~') {
        print_error("draw %zu: %s holds '%c'\n", i, pw, pw[j]);
        fail();
      }
    }
    memcpy(seen[i], pw, 17);
  }
  /* 1,000 draws from about 2^90 values: no two alike. */
  for(i = 0; i < 1000; i++) {
    for(j = i + 1; j < 1000; j++) {
      dup += strcmp(seen[i], seen[j]) == 0;
    }
  }
  assert_int_equal(dup, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_pw_check_table),
    cmocka_unit_test(test_pw_check_limits),
    cmocka_unit_test(test_pw_hash_format),
    cmocka_unit_test(test_pw_hash_bytes),
    cmocka_unit_test(test_pw_hash_max_bytes),
    cmocka_unit_test(test_pw_generate),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
