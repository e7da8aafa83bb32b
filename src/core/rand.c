/*
 * rand.c: getrandom(2) wrapper.
 */
#include "rand.h"
#include "mem.h"

#include <errno.h>
#include <sys/random.h>

void rand_bytes(void *p, size_t n)
{
  unsigned char *q = p;
  while(n) {
    ssize_t got = getrandom(q, n, 0);
    if(got < 0) {
      CHECK(errno == EINTR);
      continue;
    }
    q += got;
    n -= (size_t)got;
  }
}

void rand_hex(char *out, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  unsigned char raw[64];
  size_t i;
  CHECK(n <= sizeof(raw));
  rand_bytes(raw, n);
  for(i = 0; i < n; i++) {
    out[2 * i] = hex[raw[i] >> 4];
    out[2 * i + 1] = hex[raw[i] & 15];
  }
  out[2 * n] = 0;
}
