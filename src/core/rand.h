/*
 * rand.h: cryptographic randomness from getrandom(2).  Depends on libc.
 */
#ifndef ISMS_CORE_RAND_H
#define ISMS_CORE_RAND_H

#include <stddef.h>

/* Fill p with n random bytes; aborts if the kernel cannot supply them. */
void rand_bytes(void *p, size_t n);

/* Write 2*n lower-case hex digits of n random bytes plus a NUL into out,
 * which must hold 2*n+1 bytes. */
void rand_hex(char *out, size_t n);

#endif
