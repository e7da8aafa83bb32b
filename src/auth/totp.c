/*
 * totp.c: TOTP codes through liboath, their verification with a replay
 * guard, base32 and otpauth:// output, and recovery codes (see totp.h).
 * liboath wants oath_init() before use and libsodium sodium_init(); both
 * run once, under pthread_once, the first time either is needed.
 */
#include "totp.h"

#include "core/rand.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

/* liboath takes time_t; the RFC 6238 vector at 20000000000 needs 64 bits. */
_Static_assert(sizeof(time_t) >= sizeof(int64_t), "time_t must be 64-bit");

/* The recovery code alphabet: 32 characters without 0, O, 1 and I. */
static const char recovery_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static pthread_once_t libs_once = PTHREAD_ONCE_INIT;
static int is_oath_ready;   /* oath_init() returned OATH_OK */
static int is_sodium_ready; /* sodium_init() succeeded */

/* Start liboath and libsodium; runs once per process (pthread_once). */
static void libs_init(void)
{
  is_oath_ready = oath_init() == OATH_OK;
  is_sodium_ready = sodium_init() >= 0;
}

void totp_secret_new(unsigned char *secret)
{
  rand_bytes(secret, TOTP_SECRET_BYTES);
}

int64_t totp_step_of(int64_t now)
{
  if(now < 0) {
    return -1;
  }
  return now / TOTP_STEP_SECONDS;
}

enum status totp_code(const unsigned char *secret, size_t secret_len,
                      int64_t now, unsigned step, unsigned digits,
                      enum totp_alg alg, char *out)
{
  int flags;
  int rc;

  if(out) {
    out[0] = 0;
  }
  if(!secret || !secret_len || !out || now < 0 || !step || digits < 6 ||
     digits > TOTP_MAX_DIGITS) {
    return ST_INVALID;
  }
  switch(alg) {
  case TOTP_SHA1:
    flags = 0;
    break;
  case TOTP_SHA256:
    flags = OATH_TOTP_HMAC_SHA256;
    break;
  case TOTP_SHA512:
    flags = OATH_TOTP_HMAC_SHA512;
    break;
  default:
    return ST_INVALID;
  }
  pthread_once(&libs_once, libs_init);
  if(!is_oath_ready) {
    return ST_INTERNAL;
  }
  /* liboath returns OATH_OK (0) or a negative oath_rc. */
  rc = oath_totp_generate2((const char *)secret, secret_len, (time_t)now, step,
                           OATH_TOTP_DEFAULT_START_TIME, digits, flags, out);
  if(rc != OATH_OK || strlen(out) != digits) {
    out[0] = 0;
    return ST_INTERNAL;
  }
  return ST_OK;
}

/* Copy the TOTP_DIGITS digits of a typed code into digits (NUL-terminated),
 * skipping ASCII spaces.  0 on success, -1 if anything else is found or
 * the count is wrong. */
static int typed_digits(const char *code, char *digits)
{
  size_t n = 0;

  for(; *code; code++) {
    if(*code == ' ') {
      continue;
    }
    if(*code < '0' || *code > '9' || n == TOTP_DIGITS) {
      return -1;
    }
    digits[n++] = *code;
  }
  digits[n] = 0;
  return n == TOTP_DIGITS ? 0 : -1;
}

enum status totp_verify(const unsigned char *secret, size_t secret_len,
                        const char *code, int64_t now, int64_t last_step,
                        int64_t *step)
{
  char typed[TOTP_DIGITS + 1];
  char want[TOTP_MAX_DIGITS + 1];
  int64_t current, accepted = -1;
  enum status st = ST_OK;
  int i;

  if(!secret || !secret_len || !code || now < 0 ||
     now > INT64_MAX - (int64_t)TOTP_WINDOW * TOTP_STEP_SECONDS ||
     typed_digits(code, typed)) {
    return ST_INVALID;
  }
  current = totp_step_of(now);
  /* Every candidate is computed and compared whatever the earlier ones
   * gave, and the comparison is constant-time (sodium_memcmp). */
  for(i = -TOTP_WINDOW; i <= TOTP_WINDOW; i++) {
    int64_t candidate = current + i;
    int is_match;

    if(candidate < 0) {
      continue;
    }
    st = totp_code(secret, secret_len, candidate * TOTP_STEP_SECONDS,
                   TOTP_STEP_SECONDS, TOTP_DIGITS, TOTP_SHA1, want);
    if(st) {
      break;
    }
    is_match = sodium_memcmp(typed, want, TOTP_DIGITS) == 0;
    if(is_match && candidate > last_step) {
      accepted = candidate;
    }
  }
  sodium_memzero(want, sizeof(want));
  sodium_memzero(typed, sizeof(typed));
  if(st) {
    return st;
  }
  if(accepted < 0) {
    return ST_FORBIDDEN;
  }
  if(step) {
    *step = accepted;
  }
  return ST_OK;
}

void totp_base32(struct buf *b, const unsigned char *secret, size_t len)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  unsigned acc = 0; /* pending bits, the oldest highest */
  unsigned n_bits = 0;
  size_t i;

  if(!secret && len) {
    if(!b->err) {
      b->err = ST_INVALID;
    }
    return;
  }
  for(i = 0; i < len; i++) {
    acc = (acc << 8) | secret[i];
    n_bits += 8;
    while(n_bits >= 5) {
      n_bits -= 5;
      buf_putc(b, alphabet[(acc >> n_bits) & 31]);
    }
    acc &= (1u << n_bits) - 1;
  }
  if(n_bits) {
    buf_putc(b, alphabet[(acc << (5 - n_bits)) & 31]);
  }
}

/* Append s percent-encoded: RFC 3986 unreserved bytes stay, every other
 * byte (including each byte of a UTF-8 sequence) becomes %XX. */
static void put_pct(struct buf *b, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";

  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
       c == '~') {
      buf_putc(b, (char)c);
    }
    else {
      char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
      buf_append(b, esc, sizeof(esc));
    }
  }
}

void totp_uri(struct buf *b, const char *issuer, const char *account,
              const unsigned char *secret, size_t len)
{
  int has_issuer = issuer && *issuer;

  buf_puts(b, "otpauth://totp/");
  if(has_issuer) {
    put_pct(b, issuer);
    buf_putc(b, ':');
  }
  put_pct(b, account ? account : "");
  buf_puts(b, "?secret=");
  totp_base32(b, secret, len);
  if(has_issuer) {
    buf_puts(b, "&issuer=");
    put_pct(b, issuer);
  }
  buf_appendf(b, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS,
              TOTP_STEP_SECONDS);
}

void recovery_code_new(char *out)
{
  unsigned char raw[RECOVERY_CODE_CHARS];
  size_t i, o = 0;

  /* 256 is a multiple of 32, so raw[i] & 31 is uniform. */
  rand_bytes(raw, sizeof(raw));
  for(i = 0; i < RECOVERY_CODE_CHARS; i++) {
    if(i && i % 4 == 0) {
      out[o++] = '-';
    }
    out[o++] = recovery_alphabet[raw[i] & 31];
  }
  out[o] = 0;
  sodium_memzero(raw, sizeof(raw));
}

enum status recovery_code_normalize(const char *in, char *out)
{
  size_t n = 0, o = 0;

  out[0] = 0;
  if(!in) {
    return ST_INVALID;
  }
  for(; *in; in++) {
    char c = *in;
    if(c == ' ' || c == '\t' || c == '-') {
      continue;
    }
    if(c >= 'a' && c <= 'z') {
      c = (char)(c - 'a' + 'A');
    }
    if(!memchr(recovery_alphabet, c, sizeof(recovery_alphabet) - 1) ||
       n == RECOVERY_CODE_CHARS) {
      out[0] = 0;
      return ST_INVALID;
    }
    if(n && n % 4 == 0) {
      out[o++] = '-';
    }
    out[o++] = c;
    n++;
  }
  if(n != RECOVERY_CODE_CHARS) {
    out[0] = 0;
    return ST_INVALID;
  }
  out[o] = 0;
  return ST_OK;
}

enum status recovery_code_hash(const char *code, char *out)
{
  char canonical[RECOVERY_CODE_LEN + 1];
  unsigned char hash[crypto_hash_sha256_BYTES];
  enum status st;

  out[0] = 0;
  st = recovery_code_normalize(code, canonical);
  if(st) {
    return st;
  }
  pthread_once(&libs_once, libs_init);
  if(!is_sodium_ready) {
    return ST_INTERNAL;
  }
  crypto_hash_sha256(hash, (const unsigned char *)canonical,
                     RECOVERY_CODE_LEN);
  sodium_bin2hex(out, RECOVERY_HASH_LEN + 1, hash, sizeof(hash));
  sodium_memzero(canonical, sizeof(canonical));
  return ST_OK;
}
