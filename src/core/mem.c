/*
 * mem.c: abort-on-failure allocation wrappers and CHECK().  libc only.
 */
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
  fprintf(stderr, "isms: out of memory (%zu bytes)\n", n);
  abort();
}

void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if(!p) {
    oom(n);
  }
  return p;
}

void *xcalloc(size_t n, size_t sz)
{
  void *p = calloc(n ? n : 1, sz ? sz : 1);
  if(!p) {
    oom(n * sz);
  }
  return p;
}

void *xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if(!q) {
    oom(n);
  }
  return q;
}

char *xstrdup(const char *s)
{
  size_t n = strlen(s) + 1;
  char *p = xmalloc(n);
  memcpy(p, s, n);
  return p;
}

void mem_check_failed(const char *expr, const char *file, int line)
{
  fprintf(stderr, "isms: CHECK(%s) failed at %s:%d\n", expr, file, line);
  abort();
}
