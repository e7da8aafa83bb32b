/*
 * totp.h: the pure building blocks of multi-factor authentication
 * (issue 3): TOTP secrets and codes (RFC 6238 on top of liboath), the
 * base32 and otpauth:// forms an authenticator app reads, and one-time
 * recovery codes.  No database and no HTTP: the caller stores the secret,
 * the last accepted step and the recovery code hashes.
 * Depends on core/buf.h, core/status.h, core/rand.h, liboath, libsodium.
 */
#ifndef ISMS_AUTH_TOTP_H
#define ISMS_AUTH_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/status.h"

#define TOTP_SECRET_BYTES 20 /* 160-bit secret, RFC 4226 recommendation */
#define TOTP_STEP_SECONDS 30
#define TOTP_DIGITS       6
#define TOTP_WINDOW       1 /* steps accepted either side of now */
#define TOTP_MAX_DIGITS   8 /* the most digits liboath can produce */

/* Recovery codes: RECOVERY_CODES per user, each RECOVERY_CODE_LEN
 * characters in the canonical form "XXXX-XXXX-XXXX-XXXX". */
#define RECOVERY_CODES      10
#define RECOVERY_CODE_CHARS 16 /* significant characters (80 bits) */
#define RECOVERY_CODE_LEN   19 /* with the three dashes */
#define RECOVERY_HASH_LEN   64 /* hex digits of SHA-256 */

/* The HMAC under the TOTP (RFC 6238 section 1.2). */
enum totp_alg {
  TOTP_SHA1,   /* HMAC-SHA-1: what every authenticator app uses */
  TOTP_SHA256, /* HMAC-SHA-256 */
  TOTP_SHA512, /* HMAC-SHA-512 */
};

/* Fill secret (TOTP_SECRET_BYTES bytes, caller's memory) with random
 * bytes from rand_bytes().  Cannot fail (rand_bytes aborts instead). */
void totp_secret_new(unsigned char *secret);

/*
 * Compute the TOTP code of secret at Unix time now.
 *   secret, secret_len  the shared key (binary, secret_len >= 1)
 *   now                 Unix time in seconds, >= 0
 *   step                seconds per time step (TOTP_STEP_SECONDS), >= 1
 *   digits              6, 7 or 8 (all liboath supports)
 *   alg                 TOTP_SHA1, TOTP_SHA256 or TOTP_SHA512
 *   out                 caller's buffer of at least digits + 1 bytes;
 *                       receives the zero-padded code and a NUL
 * Returns ST_OK; ST_INVALID for a NULL pointer, an empty secret, a
 * negative time, step 0, an unsupported digit count or algorithm (out is
 * then the empty string when out is not NULL); ST_INTERNAL when liboath
 * fails.  Does not allocate.  Thread-safe.
 */
enum status totp_code(const unsigned char *secret, size_t secret_len,
                      int64_t now, unsigned step, unsigned digits,
                      enum totp_alg alg, char *out);

/*
 * The time step number (Unix time / TOTP_STEP_SECONDS) that contains
 * now, or -1 for a negative now.
 */
int64_t totp_step_of(int64_t now);

/*
 * Check a code a person typed: HMAC-SHA-1, TOTP_DIGITS digits,
 * TOTP_STEP_SECONDS steps, accepted within +-TOTP_WINDOW steps of now.
 *   secret, secret_len  the user's shared key
 *   code                what was typed: ASCII spaces are ignored, the rest
 *                       must be exactly TOTP_DIGITS ASCII digits
 *   now                 Unix time in seconds
 *   last_step           the last step accepted for this user (0 if none);
 *                       a code of this or an earlier step is refused as a
 *                       replay (RFC 6238 section 5.2)
 *   step                (may be NULL) receives the accepted step on
 *                       success, for the caller to store as last_step
 * Returns ST_OK; ST_INVALID for a NULL or empty secret, a NULL code, a
 * code that is not TOTP_DIGITS digits, or a negative now (or one within
 * a window of INT64_MAX); ST_FORBIDDEN for a wrong, expired or replayed
 * code; ST_INTERNAL if liboath fails.  All candidate codes are computed
 * and compared in constant time.  Should the code match more than one
 * step, the latest one is accepted, which closes the replay window
 * furthest.  Does not allocate.  Thread-safe.
 */
enum status totp_verify(const unsigned char *secret, size_t secret_len,
                        const char *code, int64_t now, int64_t last_step,
                        int64_t *step);

/* Append the RFC 4648 base32 form of secret[0..len) to b, upper case and
 * without '=' padding: what people type into an authenticator app.
 * Errors are left in b->err (sticky). */
void totp_base32(struct buf *b, const unsigned char *secret, size_t len);

/*
 * Append the Key Uri Format URI of a SHA-1, 6-digit, 30-second TOTP key:
 *   otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER
 *     &algorithm=SHA1&digits=6&period=30
 *   b                the buffer (errors are left in b->err)
 *   issuer, account  UTF-8 strings; every byte but the RFC 3986
 *                    unreserved ones is percent-encoded (so a ':' in
 *                    either cannot split the label)
 *   secret, len      the shared key
 */
void totp_uri(struct buf *b, const char *issuer, const char *account,
              const unsigned char *secret, size_t len);

/*
 * Write a new random recovery code in canonical form ("K7QM-2XPA-9RTC-
 * WH4D": 16 characters from the 32-character alphabet
 * 23456789ABCDEFGHJKLMNPQRSTUVWXYZ, which has no 0, O, 1 or I) plus a
 * NUL into out (caller's buffer of RECOVERY_CODE_LEN + 1 bytes).
 */
void recovery_code_new(char *out);

/*
 * Turn typed input into the canonical form.  Lower case letters are
 * folded to upper case; ASCII spaces, tabs and dashes anywhere are
 * ignored.  Exactly RECOVERY_CODE_CHARS characters of the alphabet must
 * remain.
 *   in   NUL-terminated input (may be NULL)
 *   out  caller's buffer of RECOVERY_CODE_LEN + 1 bytes
 * Returns ST_OK, or ST_INVALID (out is then the empty string).
 */
enum status recovery_code_normalize(const char *in, char *out);

/*
 * Write the lower-case hex SHA-256 (libsodium crypto_hash_sha256) of the
 * canonical form of code into out (caller's buffer of
 * RECOVERY_HASH_LEN + 1 bytes).  code is normalised first, so any input
 * recovery_code_normalize() accepts hashes like its canonical form.
 * Returns ST_OK, ST_INVALID (as recovery_code_normalize; out is then the
 * empty string) or ST_INTERNAL if libsodium cannot start.
 */
enum status recovery_code_hash(const char *code, char *out);

#endif
