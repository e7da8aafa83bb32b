/*
 * password.c: password rules and argon2id hashes.
 */
#include "password.h"
#include "core/rand.h"
#include "core/str.h"
#include "core/utf8.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum msg pw_check(const struct pw_policy *policy, const char *pw, size_t len,
                  const char *login)
{
  int upper = 0, lower = 0, digit = 0, symbol = 0;
  size_t i, chars = 0;
  if(len > PW_MAX_BYTES) {
    return M_PW_TOO_LONG;
  }
  if(!utf8_valid((struct str){ pw, len }, NULL)) {
    return M_PW_BAD_UTF8;
  }
  for(i = 0; i < len; i++) {
    unsigned char c = (unsigned char)pw[i];
    if(c < 0x20 || c == 0x7f) {
      return M_PW_CONTROL;
    }
    /* C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8. */
    if(c == 0xc2 && i + 1 < len && (unsigned char)pw[i + 1] >= 0x80 &&
       (unsigned char)pw[i + 1] <= 0x9f) {
      return M_PW_CONTROL;
    }
    if((c & 0xc0) != 0x80) {
      chars++; /* a lead byte starts a character */
    }
    if(c >= 'A' && c <= 'Z') {
      upper = 1;
    }
    else if(c >= 'a' && c <= 'z') {
      lower = 1;
    }
    else if(c >= '0' && c <= '9') {
      digit = 1;
    }
    else {
      symbol = 1;
    }
  }
  if(chars < (size_t)policy->min_length) {
    return M_PW_TOO_SHORT;
  }
  if(upper + lower + digit + symbol < policy->min_classes) {
    return M_PW_CLASSES;
  }
  if(login && strlen(login) == len && strncasecmp(login, pw, len) == 0) {
    return M_PW_IS_LOGIN;
  }
  return M_NONE;
}

/* libsodium must be initialised once before use; sodium_init() is safe
 * to call from several threads. */
static void sodium_ready(void)
{
  if(sodium_init() < 0) {
    /* No entropy source: nothing secure can be done. */
    abort();
  }
}

enum status pw_hash(const char *pw, size_t len, const struct pw_cost *c,
                    char *out)
{
  char h[crypto_pwhash_STRBYTES];
  sodium_ready();
  if(len > PW_MAX_BYTES) {
    return ST_TOOBIG;
  }
  if(crypto_pwhash_str_alg(h, pw, len, c->ops, c->mem,
                           crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ST_NOMEM;
  }
  if(strlen(h) >= PW_HASH_MAX) {
    return ST_INTERNAL;
  }
  memcpy(out, h, strlen(h) + 1);
  return ST_OK;
}

int pw_verify(const char *hash, const char *pw, size_t len)
{
  sodium_ready();
  if(!hash || len > PW_MAX_BYTES || strlen(hash) >= crypto_pwhash_STRBYTES) {
    return 0;
  }
  return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

int pw_needs_rehash(const char *hash, const struct pw_cost *c)
{
  sodium_ready();
  return crypto_pwhash_str_needs_rehash(hash, c->ops, c->mem) != 0;
}

void pw_generate(char *out)
{
  static const char *const sets[] = {
    "ABCDEFGHJKLMNPQRSTUVWXYZ", /* no I, O */
    "abcdefghijkmnpqrstuvwxyz", /* no l, o */
    "23456789",                 /* no 0, 1 */
    "#%+-=?@",
  };
  size_t i, n = 16;
  sodium_ready();
  for(i = 0; i < n; i++) {
    /* Positions 0-3 take one of each class; the rest any class. */
    const char *set = sets[i < 4 ? i : randombytes_uniform(4)];
    out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
  }
  out[n] = 0;
  /* Shuffle so the classes are not always in the same places. */
  for(i = n - 1; i > 0; i--) {
    size_t j = randombytes_uniform((uint32_t)(i + 1));
    char t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
}
