/*
 * arena.c: capped bump allocator.  Blocks are at least 16 KiB; a large
 * allocation gets a block of its own.
 */
#include "arena.h"
#include "mem.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384
#define ARENA_ALIGN 16

struct arena_block {
  struct arena_block *next; /* older block */
  size_t size;              /* bytes in data[] */
  size_t off;               /* next free byte in data[] */
  _Alignas(ARENA_ALIGN) unsigned char data[];
};

void arena_init(struct arena *a, size_t max)
{
  a->head = NULL;
  a->used = 0;
  a->max = max;
  a->fail_after = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
  struct arena_block *b = a->head;
  size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

  if(a->fail_after > 0 && --a->fail_after == 0) {
    return NULL;
  }
  /* Invariant: used <= max, so max - used never wraps. */
  if(need < n || need > a->max - a->used) {
    return NULL;
  }
  if(!b || b->size - b->off < need) {
    size_t room = a->max - a->used, size;
    if(room < sizeof(*b) || need > room - sizeof(*b)) {
      return NULL;
    }
    /* A normal block, or what is left under the cap, but never less than
     * this allocation. */
    size = room - sizeof(*b) < ARENA_BLOCK ? room - sizeof(*b) : ARENA_BLOCK;
    if(size < need) {
      size = need;
    }
    b = xmalloc(sizeof(*b) + size);
    b->next = a->head;
    b->size = size;
    b->off = 0;
    a->head = b;
    a->used += sizeof(*b);
  }
  a->used += need;
  b->off += need;
  return b->data + b->off - need;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
  char *p = n == SIZE_MAX ? NULL : arena_alloc(a, n + 1);
  if(!p) {
    return NULL;
  }
  if(n) {
    memcpy(p, s, n);
  }
  p[n] = 0;
  return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
  return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
  va_list ap;
  int n;
  char *p;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n < 0) {
    return NULL;
  }
  p = arena_alloc(a, (size_t)n + 1);
  if(!p) {
    return NULL;
  }
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void arena_reset(struct arena *a)
{
  struct arena_block *b = a->head;
  while(b) {
    struct arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
  a->used = 0;
  a->fail_after = 0;
}

void arena_fail_after(struct arena *a, long n)
{
  a->fail_after = n;
}
