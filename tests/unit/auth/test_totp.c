/*
 * test_totp.c: unit tests for auth/totp.c: the RFC 6238 Appendix B
 * vectors, verification (window, replay guard, typed input), base32
 * (RFC 4648), the otpauth:// URI, recovery codes, and a cross-check
 * against the oathtool binary.  Depends on cmocka, auth/totp, core/rand,
 * core/buf, libsodium (for the hex check) and the oathtool program
 * (Debian package oathtool, installed by tools/deps.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auth/totp.h"
#include "core/rand.h"

/* The three seeds of RFC 6238 Appendix B (ASCII, no NUL). */
static const char seed20[] = "12345678901234567890";
static const char seed32[] = "12345678901234567890123456789012";
static const char seed64[] =
  "1234567890123456789012345678901234567890123456789012345678901234";

/* The RFC 6238 Appendix B table: 8-digit codes. */
static const struct {
  int64_t t;
  enum totp_alg alg;
  const char *code;
} rfc6238[] = {
  { 59, TOTP_SHA1, "94287082" },
  { 59, TOTP_SHA256, "46119246" },
  { 59, TOTP_SHA512, "90693936" },
  { 1111111109, TOTP_SHA1, "07081804" },
  { 1111111109, TOTP_SHA256, "68084774" },
  { 1111111109, TOTP_SHA512, "25091201" },
  { 1111111111, TOTP_SHA1, "14050471" },
  { 1111111111, TOTP_SHA256, "67062674" },
  { 1111111111, TOTP_SHA512, "99943326" },
  { 1234567890, TOTP_SHA1, "89005924" },
  { 1234567890, TOTP_SHA256, "91819424" },
  { 1234567890, TOTP_SHA512, "93441116" },
  { 2000000000, TOTP_SHA1, "69279037" },
  { 2000000000, TOTP_SHA256, "90698825" },
  { 2000000000, TOTP_SHA512, "38618901" },
  { 20000000000LL, TOTP_SHA1, "65353130" },
  { 20000000000LL, TOTP_SHA256, "77737706" },
  { 20000000000LL, TOTP_SHA512, "47863826" },
};

/* The RFC seed for alg. */
static const unsigned char *seed_for(enum totp_alg alg, size_t *len)
{
  const char *s = alg == TOTP_SHA1   ? seed20 :
                  alg == TOTP_SHA256 ? seed32 :
                                       seed64;
  *len = strlen(s);
  return (const unsigned char *)s;
}

/* Check every vector; returns the number of mismatches (for threads). */
static int check_rfc6238(void)
{
  size_t i;
  int bad = 0;

  for(i = 0; i < sizeof(rfc6238) / sizeof(rfc6238[0]); i++) {
    char out[TOTP_MAX_DIGITS + 1];
    size_t len;
    const unsigned char *seed = seed_for(rfc6238[i].alg, &len);
    enum status st = totp_code(seed, len, rfc6238[i].t, TOTP_STEP_SECONDS, 8,
                               rfc6238[i].alg, out);
    if(st != ST_OK || strcmp(out, rfc6238[i].code) != 0) {
      print_error("vector %zu: status %d, got %s, want %s\n", i, st, out,
                  rfc6238[i].code);
      bad++;
    }
  }
  return bad;
}

/* Thread body: the vectors, racing on the lazy oath_init(). */
static void *rfc6238_thread(void *arg)
{
  int *bad = arg;
  *bad = check_rfc6238();
  return NULL;
}

/* Runs first, so the threads race on the first (pthread_once) init. */
static void test_totp_threads_first_use(void **state)
{
  pthread_t th[8];
  int bad[8];
  size_t i;

  (void)state;
  for(i = 0; i < 8; i++) {
    assert_int_equal(pthread_create(&th[i], NULL, rfc6238_thread, &bad[i]), 0);
  }
  for(i = 0; i < 8; i++) {
    assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(bad[i], 0);
  }
}

static void test_totp_rfc6238(void **state)
{
  (void)state;
  assert_int_equal(check_rfc6238(), 0);
}

/* The 6-digit code is the last 6 digits of the 8-digit one. */
static void test_totp_code_digits(void **state)
{
  char out6[7], out7[8], out8[9];
  const unsigned char *seed = (const unsigned char *)seed20;

  (void)state;
  assert_int_equal(
    totp_code(seed, 20, 59, TOTP_STEP_SECONDS, 6, TOTP_SHA1, out6), ST_OK);
  assert_string_equal(out6, "287082");
  assert_int_equal(
    totp_code(seed, 20, 59, TOTP_STEP_SECONDS, 7, TOTP_SHA1, out7), ST_OK);
  assert_string_equal(out7, "4287082");
  /* zero padded: 07081804 */
  assert_int_equal(
    totp_code(seed, 20, 1111111109, TOTP_STEP_SECONDS, 8, TOTP_SHA1, out8),
    ST_OK);
  assert_string_equal(out8, "07081804");
  assert_int_equal(
    totp_code(seed, 20, 1111111109, TOTP_STEP_SECONDS, 6, TOTP_SHA1, out6),
    ST_OK);
  assert_string_equal(out6, "081804");
}

static void test_totp_code_invalid(void **state)
{
  const unsigned char *seed = (const unsigned char *)seed20;
  char out[16];

  (void)state;
  out[0] = 'x';
  assert_int_equal(totp_code(NULL, 20, 59, 30, 6, TOTP_SHA1, out), ST_INVALID);
  assert_string_equal(out, "");
  assert_int_equal(totp_code(seed, 0, 59, 30, 6, TOTP_SHA1, out), ST_INVALID);
  assert_int_equal(totp_code(seed, 20, -1, 30, 6, TOTP_SHA1, out), ST_INVALID);
  assert_int_equal(totp_code(seed, 20, 59, 0, 6, TOTP_SHA1, out), ST_INVALID);
  assert_int_equal(totp_code(seed, 20, 59, 30, 5, TOTP_SHA1, out), ST_INVALID);
  assert_int_equal(totp_code(seed, 20, 59, 30, 9, TOTP_SHA1, out), ST_INVALID);
  assert_int_equal(totp_code(seed, 20, 59, 30, 6, (enum totp_alg)7, out),
                   ST_INVALID);
  assert_int_equal(totp_code(seed, 20, 59, 30, 6, TOTP_SHA1, NULL),
                   ST_INVALID);
  /* a 60-second step: 59 is still step 0 */
  assert_int_equal(totp_code(seed, 20, 59, 60, 6, TOTP_SHA1, out), ST_OK);
  assert_int_equal(totp_code(seed, 20, 0, 30, 6, TOTP_SHA1, out + 8), ST_OK);
  assert_string_equal(out, out + 8);
}

static void test_totp_step_of(void **state)
{
  (void)state;
  assert_true(totp_step_of(0) == 0);
  assert_true(totp_step_of(29) == 0);
  assert_true(totp_step_of(30) == 1);
  assert_true(totp_step_of(1111111111) == 37037037);
  assert_true(totp_step_of(-1) == -1);
}

/* The 6-digit SHA-1 code of the 20-byte RFC seed at time t. */
static void code_at(int64_t t, char *out)
{
  assert_int_equal(totp_code((const unsigned char *)seed20, 20, t,
                             TOTP_STEP_SECONDS, TOTP_DIGITS, TOTP_SHA1, out),
                   ST_OK);
}

static void test_totp_verify_window(void **state)
{
  const unsigned char *seed = (const unsigned char *)seed20;
  const int64_t now = 1111111111; /* step 37037037, 1 s into it */
  const int64_t cur = now / TOTP_STEP_SECONDS;
  char code[TOTP_DIGITS + 1];
  int64_t step = -5;

  (void)state;
  /* current step */
  code_at(now, code);
  assert_int_equal(totp_verify(seed, 20, code, now, 0, &step), ST_OK);
  assert_true(step == cur);
  /* the previous and the next step are inside the window */
  code_at(now - TOTP_STEP_SECONDS, code);
  assert_int_equal(totp_verify(seed, 20, code, now, 0, &step), ST_OK);
  assert_true(step == cur - 1);
  code_at(now + TOTP_STEP_SECONDS, code);
  assert_int_equal(totp_verify(seed, 20, code, now, 0, &step), ST_OK);
  assert_true(step == cur + 1);
  /* two steps away is outside */
  step = -5;
  code_at(now - 2LL * TOTP_STEP_SECONDS, code);
  assert_int_equal(totp_verify(seed, 20, code, now, 0, &step), ST_FORBIDDEN);
  code_at(now + 2LL * TOTP_STEP_SECONDS, code);
  assert_int_equal(totp_verify(seed, 20, code, now, 0, &step), ST_FORBIDDEN);
  assert_true(step == -5);
  /* a wrong code */
  code_at(now, code);
  code[0] = (char)(code[0] == '9' ? '0' : code[0] + 1);
  assert_int_equal(totp_verify(seed, 20, code, now, 0, &step), ST_FORBIDDEN);
  /* a step NULL is allowed */
  code_at(now, code);
  assert_int_equal(totp_verify(seed, 20, code, now, 0, NULL), ST_OK);
  /* the window at the edges of the step: 29 s later is still step cur */
  assert_int_equal(totp_verify(seed, 20, code, cur * 30 + 29, 0, &step),
                   ST_OK);
  assert_int_equal(totp_verify(seed, 20, code, (cur + 1) * 30, 0, &step),
                   ST_OK);
  assert_true(step == cur);
  assert_int_equal(totp_verify(seed, 20, code, (cur + 2) * 30, 0, &step),
                   ST_FORBIDDEN);
  /* another secret does not accept it */
  assert_int_equal(
    totp_verify((const unsigned char *)seed32, 32, code, now, 0, &step),
    ST_FORBIDDEN);
}

static void test_totp_verify_replay(void **state)
{
  const unsigned char *seed = (const unsigned char *)seed20;
  const int64_t now = 1234567890;
  const int64_t cur = now / TOTP_STEP_SECONDS;
  char code[TOTP_DIGITS + 1];
  int64_t step = 0, again = -5;

  (void)state;
  /* the same code twice: the caller passes back the returned step */
  code_at(now, code);
  assert_int_equal(totp_verify(seed, 20, code, now, 0, &step), ST_OK);
  assert_true(step == cur);
  assert_int_equal(totp_verify(seed, 20, code, now, step, &again),
                   ST_FORBIDDEN);
  assert_int_equal(totp_verify(seed, 20, code, now + 5, step, &again),
                   ST_FORBIDDEN);
  assert_true(again == -5);
  /* an older step than the last accepted one, though inside the window */
  code_at(now - TOTP_STEP_SECONDS, code);
  assert_int_equal(totp_verify(seed, 20, code, now, cur, &again),
                   ST_FORBIDDEN);
  assert_int_equal(totp_verify(seed, 20, code, now, cur - 1, &again),
                   ST_FORBIDDEN);
  assert_int_equal(totp_verify(seed, 20, code, now, cur - 2, &again), ST_OK);
  assert_true(again == cur - 1);
  /* after the previous step was used, the current one still works */
  code_at(now, code);
  assert_int_equal(totp_verify(seed, 20, code, now, cur - 1, &again), ST_OK);
  assert_true(again == cur);
  /* the next step's code when the current step was already used */
  code_at(now + TOTP_STEP_SECONDS, code);
  assert_int_equal(totp_verify(seed, 20, code, now, cur, &again), ST_OK);
  assert_true(again == cur + 1);
}

static void test_totp_verify_typed(void **state)
{
  const unsigned char *seed = (const unsigned char *)seed20;
  const int64_t now = 1111111109;
  char code[TOTP_DIGITS + 1];
  char typed[32];
  int64_t step;
  size_t i;
  static const char *const invalid[] = {
    "",       "      ",   "12345",    "1234567",      "12345a",  "a23456",
    "12-345", "123\t456", "123456\n", "１２３４５６", "12345６", "+12345",
    "-12345", "1234 567", "0x1234",   "1 2 3 4 5",
  };

  (void)state;
  code_at(now, code);
  /* spaces anywhere are ignored */
  assert_int_equal(snprintf(typed, sizeof(typed), "%.3s %.3s", code, code + 3),
                   7);
  assert_int_equal(totp_verify(seed, 20, typed, now, 0, &step), ST_OK);
  assert_int_equal(snprintf(typed, sizeof(typed), "  %.2s %.2s  %.2s ", code,
                            code + 2, code + 4),
                   12);
  assert_int_equal(totp_verify(seed, 20, typed, now, 0, &step), ST_OK);
  /* not 6 digits: ST_INVALID, whatever the secret */
  for(i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
    enum status st = totp_verify(seed, 20, invalid[i], now, 0, &step);
    if(st != ST_INVALID) {
      print_error("case %zu (%s): status %d\n", i, invalid[i], st);
    }
    assert_int_equal(st, ST_INVALID);
  }
  /* seven digits that begin with the right six */
  assert_int_equal(snprintf(typed, sizeof(typed), "%s0", code), 7);
  assert_int_equal(totp_verify(seed, 20, typed, now, 0, &step), ST_INVALID);
  /* NULL-safe */
  assert_int_equal(totp_verify(seed, 20, NULL, now, 0, &step), ST_INVALID);
  assert_int_equal(totp_verify(NULL, 20, code, now, 0, &step), ST_INVALID);
  assert_int_equal(totp_verify(seed, 0, code, now, 0, &step), ST_INVALID);
  assert_int_equal(totp_verify(seed, 20, code, -1, 0, &step), ST_INVALID);
  assert_int_equal(totp_verify(seed, 20, code, INT64_MAX, 0, &step),
                   ST_INVALID);
}

/* Near the epoch the previous step does not exist. */
static void test_totp_verify_epoch(void **state)
{
  const unsigned char *seed = (const unsigned char *)seed20;
  char code[TOTP_DIGITS + 1];
  int64_t step = -5;

  (void)state;
  code_at(0, code);
  assert_int_equal(totp_verify(seed, 20, code, 10, -1, &step), ST_OK);
  assert_true(step == 0);
  /* last_step 0 means "none", and step 0 is 1970: refused, as documented */
  assert_int_equal(totp_verify(seed, 20, code, 10, 0, &step), ST_FORBIDDEN);
  code_at(30, code);
  assert_int_equal(totp_verify(seed, 20, code, 10, 0, &step), ST_OK);
  assert_true(step == 1);
}

static void test_totp_secret_new(void **state)
{
  unsigned char a[TOTP_SECRET_BYTES + 1], b[TOTP_SECRET_BYTES];

  (void)state;
  a[TOTP_SECRET_BYTES] = 0xA5;
  totp_secret_new(a);
  totp_secret_new(b);
  assert_int_equal(a[TOTP_SECRET_BYTES], 0xA5); /* writes 20 bytes only */
  assert_memory_not_equal(a, b, TOTP_SECRET_BYTES);
}

static void test_totp_base32(void **state)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "", "" },
    { "f", "MY" },
    { "fo", "MZXQ" },
    { "foo", "MZXW6" },
    { "foob", "MZXW6YQ" },
    { "fooba", "MZXW6YTB" },
    { "foobar", "MZXW6YTBOI" },
    { "12345678901234567890", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" },
  };
  static const unsigned char ff[] = { 0xff, 0xff, 0xff, 0xff, 0xff };
  static const unsigned char zero[] = { 0, 0, 0 };
  size_t i;
  struct buf b;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    buf_init(&b, 256);
    totp_base32(&b, (const unsigned char *)cases[i].in, strlen(cases[i].in));
    assert_int_equal(b.err, ST_OK);
    assert_string_equal(b.data, cases[i].out);
    buf_free(&b);
  }
  buf_init(&b, 256);
  totp_base32(&b, ff, sizeof(ff));
  assert_string_equal(b.data, "77777777");
  buf_clear(&b);
  totp_base32(&b, zero, sizeof(zero));
  assert_string_equal(b.data, "AAAAA");
  buf_clear(&b);
  totp_base32(&b, NULL, 0);
  assert_string_equal(b.data, "");
  assert_int_equal(b.err, ST_OK);
  totp_base32(&b, NULL, 3);
  assert_int_equal(b.err, ST_INVALID);
  buf_free(&b);
}

static void test_totp_uri(void **state)
{
  static const struct {
    const char *issuer, *account, *out;
  } cases[] = {
    { "資安管理", "alice@example.com",
      "otpauth://totp/%E8%B3%87%E5%AE%89%E7%AE%A1%E7%90%86:"
      "alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
      "&issuer=%E8%B3%87%E5%AE%89%E7%AE%A1%E7%90%86"
      "&algorithm=SHA1&digits=6&period=30" },
    { "ISMS", "bob",
      "otpauth://totp/ISMS:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
      "&issuer=ISMS&algorithm=SHA1&digits=6&period=30" },
    /* a ':', '&', '?', '#', '%', '/' or space cannot break the URI */
    { "A:B&C", "x y?#%/+",
      "otpauth://totp/A%3AB%26C:x%20y%3F%23%25%2F%2B"
      "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
      "&issuer=A%3AB%26C&algorithm=SHA1&digits=6&period=30" },
    /* no issuer: no prefix and no parameter */
    { "", "王小明",
      "otpauth://totp/%E7%8E%8B%E5%B0%8F%E6%98%8E"
      "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
      "&algorithm=SHA1&digits=6&period=30" },
    { NULL, "-._~Az09",
      "otpauth://totp/-._~Az09?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
      "&algorithm=SHA1&digits=6&period=30" },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b;
    buf_init(&b, 1024);
    totp_uri(&b, cases[i].issuer, cases[i].account,
             (const unsigned char *)seed20, 20);
    assert_int_equal(b.err, ST_OK);
    assert_string_equal(b.data, cases[i].out);
    buf_free(&b);
  }
}

/* 1 if c is in the recovery code alphabet. */
static int in_alphabet(char c)
{
  return c && strchr("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", c) != NULL;
}

/* Compare two codes for qsort. */
static int cmp_code(const void *a, const void *b)
{
  return strcmp(a, b);
}

static void test_recovery_code_new(void **state)
{
  enum { N = 1000 };
  static char codes[N][RECOVERY_CODE_LEN + 1];
  size_t i, j;
  int seen[256] = { 0 };

  (void)state;
  for(i = 0; i < N; i++) {
    char norm[RECOVERY_CODE_LEN + 1];
    recovery_code_new(codes[i]);
    assert_int_equal(strlen(codes[i]), RECOVERY_CODE_LEN);
    for(j = 0; j < RECOVERY_CODE_LEN; j++) {
      if(j % 5 == 4) {
        assert_int_equal(codes[i][j], '-');
      }
      else {
        assert_true(in_alphabet(codes[i][j]));
        seen[(unsigned char)codes[i][j]]++;
      }
    }
    /* already canonical */
    assert_int_equal(recovery_code_normalize(codes[i], norm), ST_OK);
    assert_string_equal(norm, codes[i]);
  }
  qsort(codes, N, sizeof(codes[0]), cmp_code);
  for(i = 1; i < N; i++) {
    assert_string_not_equal(codes[i - 1], codes[i]);
  }
  /* 16000 draws: every one of the 32 characters shows up */
  for(j = 0; j < 32; j++) {
    assert_true(seen[(unsigned char)"23456789ABCDEFGHJKLMNPQRSTUVWXYZ"[j]] >
                0);
  }
}

static void test_recovery_code_normalize(void **state)
{
  static const struct {
    const char *in, *out; /* out NULL: ST_INVALID */
  } cases[] = {
    { "K7QM-2XPA-9RTC-WH4D", "K7QM-2XPA-9RTC-WH4D" },
    { "k7qm-2xpa-9rtc-wh4d", "K7QM-2XPA-9RTC-WH4D" },
    { "K7QM2XPA9RTCWH4D", "K7QM-2XPA-9RTC-WH4D" },
    { "k7qm 2xpa 9rtc wh4d", "K7QM-2XPA-9RTC-WH4D" },
    { "  K7QM--2XPA - 9RTC\tWH4D  ", "K7QM-2XPA-9RTC-WH4D" },
    { "K7-QM2X-PA9R-TCWH-4D", "K7QM-2XPA-9RTC-WH4D" },
    { "-K7QM2XPA9RTCWH4D-", "K7QM-2XPA-9RTC-WH4D" },
    { "k7Qm2XpA9rTcWh4D", "K7QM-2XPA-9RTC-WH4D" },
    { "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "ZZZZ-ZZZZ-ZZZZ-ZZZZ" },
    { "2222-2222-2222-2222", "2222-2222-2222-2222" },
    { "K7QM-2XPA-9RTC-WH4", NULL },   /* 15 characters */
    { "K7QM-2XPA-9RTC-WH4DA", NULL }, /* 17 */
    { "K7QM-2XPA-9RTC-WH4D-K7QM", NULL },
    { "", NULL },
    { "----", NULL },
    { "K7QM-2XPA-9RTC-WH40", NULL }, /* 0 is not in the alphabet */
    { "K7QM-2XPA-9RTC-WH4O", NULL }, /* nor O */
    { "K7QM-2XPA-9RTC-WH41", NULL }, /* nor 1 */
    { "K7QM-2XPA-9RTC-WH4I", NULL }, /* nor I */
    { "K7QM-2XPA-9RTC-WH4i", NULL },
    { "K7QM_2XPA_9RTC_WH4D", NULL },
    { "K7QM-2XPA-9RTC-WH4D\n", NULL },
    { "K7QM-2XPA-9RTC-WH4Ｄ", NULL }, /* full-width: not needed */
    { "K7QM-2XPA-9RTC-WH4D;", NULL },
    { "<K7QM-2XPA-9RTC-WH4>", NULL },
  };
  size_t i;

  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char out[RECOVERY_CODE_LEN + 1];
    enum status st;

    memset(out, 'x', sizeof(out));
    st = recovery_code_normalize(cases[i].in, out);
    if(st != (cases[i].out ? ST_OK : ST_INVALID)) {
      print_error("case %zu (%s): status %d\n", i, cases[i].in, st);
    }
    assert_int_equal(st, cases[i].out ? ST_OK : ST_INVALID);
    assert_string_equal(out, cases[i].out ? cases[i].out : "");
  }
  {
    char out[RECOVERY_CODE_LEN + 1] = "x";
    assert_int_equal(recovery_code_normalize(NULL, out), ST_INVALID);
    assert_string_equal(out, "");
  }
}

static void test_recovery_code_hash(void **state)
{
  char h1[RECOVERY_HASH_LEN + 1], h2[RECOVERY_HASH_LEN + 1];
  char code[RECOVERY_CODE_LEN + 1];
  size_t i;

  (void)state;
  /* sha256("K7QM-2XPA-9RTC-WH4D") from Python's hashlib */
  assert_int_equal(recovery_code_hash("K7QM-2XPA-9RTC-WH4D", h1), ST_OK);
  assert_string_equal(
    h1, "19a1a52fcab4cebbb8f90fe80d97e6f886a3ad13358cf5c0655393db6c9fa78f");
  /* the same code as typed hashes the same */
  assert_int_equal(recovery_code_hash("k7qm 2xpa 9rtc wh4d", h2), ST_OK);
  assert_string_equal(h1, h2);
  /* 64 lower-case hex digits, stable, different per code */
  recovery_code_new(code);
  assert_int_equal(recovery_code_hash(code, h1), ST_OK);
  assert_int_equal(strlen(h1), RECOVERY_HASH_LEN);
  for(i = 0; i < RECOVERY_HASH_LEN; i++) {
    assert_non_null(strchr("0123456789abcdef", h1[i]));
  }
  assert_int_equal(recovery_code_hash(code, h2), ST_OK);
  assert_string_equal(h1, h2);
  assert_int_equal(recovery_code_hash("ZZZZ-ZZZZ-ZZZZ-ZZZZ", h2), ST_OK);
  assert_string_not_equal(h1, h2);
  /* refused input */
  assert_int_equal(recovery_code_hash("K7QM-2XPA", h1), ST_INVALID);
  assert_string_equal(h1, "");
  assert_int_equal(recovery_code_hash(NULL, h1), ST_INVALID);
}

/*
 * Run argv (argv[0] looked up in PATH) and collect its standard output,
 * NUL-terminated, in out.  Returns the exit status, or -1 with a message
 * (print_error) if it could not run.
 */
static int run_capture(char *const argv[], char *out, size_t out_len)
{
  posix_spawn_file_actions_t fa;
  extern char **environ;
  int fds[2], err, wstatus;
  size_t got = 0;
  pid_t pid;

  if(pipe(fds)) {
    print_error("pipe: %s\n", strerror(errno));
    return -1;
  }
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if(err) {
    close(fds[0]);
    print_error("cannot run %s: %s%s\n", argv[0], strerror(err),
                err == ENOENT ? " (install it: tools/deps.sh installs the "
                                "Debian package oathtool)" :
                                "");
    return -1;
  }
  for(;;) {
    ssize_t n = read(fds[0], out + got, out_len - 1 - got);
    if(n < 0 && errno == EINTR) {
      continue;
    }
    if(n <= 0) {
      break;
    }
    got += (size_t)n;
    if(got == out_len - 1) {
      break;
    }
  }
  out[got] = 0;
  close(fds[0]);
  while(waitpid(pid, &wstatus, 0) < 0) {
    if(errno != EINTR) {
      return -1;
    }
  }
  return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

/* totp_code() agrees with the real oathtool for random secrets and times,
 * for each algorithm.  A missing oathtool fails the test. */
static void test_totp_oathtool(void **state)
{
  /* not const: posix_spawnp takes char *const argv[] */
  static struct {
    enum totp_alg alg;
    char mode[16];
  } algs[] = {
    { TOTP_SHA1, "--totp=SHA1" },
    { TOTP_SHA256, "--totp=SHA256" },
    { TOTP_SHA512, "--totp=SHA512" },
  };
  int k;

  (void)state;
  for(k = 0; k < 3; k++) {
    unsigned char secret[TOTP_SECRET_BYTES];
    uint32_t r;
    int64_t t;
    struct buf key;
    char when[32];
    size_t a;

    totp_secret_new(secret);
    rand_bytes(&r, sizeof(r));
    t = (int64_t)r; /* 1970 .. 2106 */
    buf_init(&key, 128);
    totp_base32(&key, secret, sizeof(secret));
    assert_int_equal(key.err, ST_OK);
    assert_int_equal(snprintf(when, sizeof(when), "@%lld", (long long)t) > 0,
                     1);
    for(a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
      char *argv[] = { "oathtool", algs[a].mode, "-b", "-N",
                       when,       key.data,     NULL };
      char got[64], want[TOTP_DIGITS + 1];
      int rc = run_capture(argv, got, sizeof(got));
      if(rc != 0) {
        fail_msg("oathtool %s -b -N %s %s exited with %d: oathtool is "
                 "required (tools/deps.sh installs it)",
                 algs[a].mode, when, key.data, rc);
      }
      got[strcspn(got, "\r\n")] = 0;
      assert_int_equal(totp_code(secret, sizeof(secret), t, TOTP_STEP_SECONDS,
                                 TOTP_DIGITS, algs[a].alg, want),
                       ST_OK);
      if(strcmp(got, want) != 0) {
        print_error("%s at %s for %s: oathtool %s, totp_code %s\n",
                    algs[a].mode, when, key.data, got, want);
      }
      assert_string_equal(got, want);
    }
    buf_free(&key);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_totp_threads_first_use),
    cmocka_unit_test(test_totp_rfc6238),
    cmocka_unit_test(test_totp_code_digits),
    cmocka_unit_test(test_totp_code_invalid),
    cmocka_unit_test(test_totp_step_of),
    cmocka_unit_test(test_totp_verify_window),
    cmocka_unit_test(test_totp_verify_replay),
    cmocka_unit_test(test_totp_verify_typed),
    cmocka_unit_test(test_totp_verify_epoch),
    cmocka_unit_test(test_totp_secret_new),
    cmocka_unit_test(test_totp_base32),
    cmocka_unit_test(test_totp_uri),
    cmocka_unit_test(test_recovery_code_new),
    cmocka_unit_test(test_recovery_code_normalize),
    cmocka_unit_test(test_recovery_code_hash),
    cmocka_unit_test(test_totp_oathtool),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
