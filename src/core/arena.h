/*
 * arena.h: a capped bump allocator for everything one request computes
 * (STYLE.md C5).  Reset frees it all at once.  Depends on mem.h.
 */
#ifndef ISMS_CORE_ARENA_H
#define ISMS_CORE_ARENA_H

#include <stddef.h>

struct arena_block;

/* A bump allocator over a chain of blocks.  Invariant: used <= max. */
struct arena {
  struct arena_block *head; /* newest block, or NULL */
  size_t used;              /* bytes handed out plus block overhead */
  size_t max;               /* allocations past this fail */
  long fail_after;          /* test hook: >0 fails the nth allocation */
};

/* Prepare a with a cap of max bytes; allocates nothing yet. */
void arena_init(struct arena *a, size_t max);

/* n bytes aligned for any type, or NULL once the cap is hit.  The memory
 * lives until arena_reset(). */
void *arena_alloc(struct arena *a, size_t n);

/* Copy of s[0..n) plus a NUL, or NULL once the cap is hit. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Copy of the NUL-terminated s, or NULL once the cap is hit. */
char *arena_strdup(struct arena *a, const char *s);

/* printf into the arena; NULL once the cap is hit. */
char *arena_printf(struct arena *a, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* Free every block; a can be used again with the same cap. */
void arena_reset(struct arena *a);

/* Test hook: the nth allocation from now fails as if the cap were hit
 * (0 disables). */
void arena_fail_after(struct arena *a, long n);

#endif
