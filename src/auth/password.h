/*
 * password.h: the plan's password rules (玖.二.(二).1) and argon2id
 * hashing (libsodium).  The rules come from agency settings; a hash is
 * libsodium's encoded string, which carries its own parameters, so they
 * can be raised later and old hashes still verify.  Depends on core.
 */
#ifndef ISMS_AUTH_PASSWORD_H
#define ISMS_AUTH_PASSWORD_H

#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"
#include "core/status.h"

/* Longest password accepted, in bytes: longer input is refused, never
 * truncated. */
#define PW_MAX_BYTES 1024

/* Size of an encoded hash, with its NUL. */
#define PW_HASH_MAX 128

/* The rules in force (from settings). */
struct pw_policy {
  int min_length;  /* characters (code points), at least 8 */
  int min_classes; /* of upper case, lower case, digits, symbols */
};

/* Cost of a new hash (from settings). */
struct pw_cost {
  unsigned long long ops; /* argon2id passes */
  size_t mem;             /* bytes */
};

/*
 * Check pw (len bytes, not NUL-terminated necessarily) against policy:
 * M_NONE when it is acceptable, else the message that says why not
 * (too long, not UTF-8, control characters (C0, DEL and C1), too short,
 * too few kinds
 * of characters, the same as the user ID).  login may be NULL.
 * Symbols are ASCII punctuation and space and every character outside
 * ASCII (Chinese characters count as symbols).
 */
enum msg pw_check(const struct pw_policy *policy, const char *pw, size_t len,
                  const char *login);

/* Hash pw into out (PW_HASH_MAX bytes, NUL-terminated) with cost c.
 * ST_NOMEM when the memory cost cannot be had; ST_TOOBIG past
 * PW_MAX_BYTES. */
enum status pw_hash(const char *pw, size_t len, const struct pw_cost *c,
                    char *out);

/* 1 if pw matches the encoded hash (any parameters); 0 otherwise,
 * including for a NULL or malformed hash. */
int pw_verify(const char *hash, const char *pw, size_t len);

/* 1 if hash was made with other parameters than c (rehash it at the
 * next successful sign-in). */
int pw_needs_rehash(const char *hash, const struct pw_cost *c);

/* A random one-time password that meets any policy of at most 16
 * characters and 4 classes: 16 characters from an unambiguous set, at
 * least one of each class.  out holds 17 bytes. */
void pw_generate(char *out);

#endif
