/*
 * throttle.h: slows automated guessing (附表十 #44) per account name and
 * per source address, in memory.  Keys are hashed into a fixed table, so
 * memory stays bounded whatever an attacker sends; unknown account names
 * are slowed exactly like known ones, so the delay tells nothing.
 * Depends on libc.
 */
#ifndef ISMS_AUTH_THROTTLE_H
#define ISMS_AUTH_THROTTLE_H

#include <stdint.h>

/* Failures of one key before delays start, and of one address. */
#define THROTTLE_FREE_NAME 3
#define THROTTLE_FREE_ADDR 10
/* Failures are forgotten after this many quiet seconds. */
#define THROTTLE_WINDOW 900

/* Seconds key must still wait at now before another attempt (0: may
 * try).  free_tries failures come without delay; then the delay doubles
 * per failure, up to max_wait. */
int throttle_wait(const char *key, int free_tries, int max_wait, int64_t now);

/* Count a failure of key at now. */
void throttle_fail(const char *key, int64_t now);

/* Forget key's failures (after a success). */
void throttle_clear(const char *key);

/* Forget everything (tests). */
void throttle_reset(void);

#endif
