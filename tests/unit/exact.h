/*
 * exact.h: test helper shared by the unit tests of parsers.  exact()
 * copies s[0..n) into a buffer of exactly n bytes (no NUL after it), so
 * ASan catches a parser that reads past len; exact_free() releases it.
 */
#ifndef ISMS_TESTS_UNIT_EXACT_H
#define ISMS_TESTS_UNIT_EXACT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/str.h"

static inline struct str exact(const char *s, size_t n)
{
  char *p = xmalloc(n);
  struct str r;

  if(n) {
    memcpy(p, s, n);
  }
  r.p = p;
  r.len = n;
  return r;
}

static inline void exact_free(struct str s)
{
  free((void *)(uintptr_t)s.p);
}

#endif
