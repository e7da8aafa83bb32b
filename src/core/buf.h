/*
 * buf.h: the growable, always NUL-terminated byte buffer with a hard cap
 * and a sticky error (STYLE.md C4).  Depends on mem.h and status.h.
 */
#ifndef ISMS_CORE_BUF_H
#define ISMS_CORE_BUF_H

#include <stddef.h>

#include "status.h"

struct buf {
  char *data;      /* NUL-terminated; NULL only after buf_detach() */
  size_t len;      /* bytes used, excluding the NUL */
  size_t cap;      /* bytes allocated */
  size_t max;      /* appends that would exceed this fail with ST_TOOBIG */
  enum status err; /* sticky: first failure; later appends do nothing */
};

/* Prepare b for up to max bytes of content.  Free with buf_free(). */
void buf_init(struct buf *b, size_t max);

/* Release b's memory; b must be initialised again before reuse. */
void buf_free(struct buf *b);

/* Forget the content but keep the memory and the cap; clears err. */
void buf_clear(struct buf *b);

/* Append n bytes (may contain NUL). */
void buf_append(struct buf *b, const void *p, size_t n);

/* Append a NUL-terminated string. */
void buf_puts(struct buf *b, const char *s);

/* Append one byte (the slow path of buf_putc). */
void buf_putc_(struct buf *b, char c);

/* Append one byte. */
static inline void buf_putc(struct buf *b, char c)
{
  if(b->len + 1 < b->cap && b->len < b->max && !b->err) {
    b->data[b->len++] = c;
    b->data[b->len] = 0;
    return;
  }
  buf_putc_(b, c);
}

/* Append printf output.  Not for HTML, JSON or SQL: use their writers. */
void buf_appendf(struct buf *b, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* Take ownership of the content: returns data (free() it; never NULL)
 * and leaves b empty with nothing allocated; b can still be appended to,
 * and buf_free() on it is harmless. */
char *buf_detach(struct buf *b);

#endif
