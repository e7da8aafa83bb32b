/*
 * mem.h: process-lifetime allocation.  xmalloc() and friends abort() when
 * the process is out of memory (STYLE.md C5); request memory comes from
 * an arena instead.  Depends on libc only.
 */
#ifndef ISMS_CORE_MEM_H
#define ISMS_CORE_MEM_H

#include <stddef.h>

/* Allocate n bytes (n may be 0); never returns NULL.  Free with free(). */
void *xmalloc(size_t n);

/* Allocate n zeroed elements of size sz; never returns NULL. */
void *xcalloc(size_t n, size_t sz);

/* Resize p to n bytes; never returns NULL. */
void *xrealloc(void *p, size_t n);

/* Copy the NUL-terminated s; free the result with free(). */
char *xstrdup(const char *s);

/* CHECK(x): an invariant that stays compiled in release builds; logs and
 * aborts when it does not hold (STYLE.md C10). */
#define CHECK(x)                                                              \
  do {                                                                        \
    if(!(x)) {                                                                \
      mem_check_failed(#x, __FILE__, __LINE__);                               \
    }                                                                         \
  } while(0)

/* Called by CHECK(); prints the failed expression and aborts. */
void mem_check_failed(const char *expr, const char *file, int line)
  __attribute__((noreturn));

#endif
