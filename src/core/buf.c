/*
 * buf.c: capped growable buffer.
 */
#include "buf.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
  b->cap = 64;
  b->data = xmalloc(b->cap);
  b->data[0] = 0;
  b->len = 0;
  b->max = max;
  b->err = ST_OK;
}

void buf_free(struct buf *b)
{
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void buf_clear(struct buf *b)
{
  b->len = 0;
  if(b->data) {
    b->data[0] = 0;
  }
  b->err = ST_OK;
}

/* Make room for n more bytes plus the NUL; 0 on success. */
static int grow(struct buf *b, size_t n)
{
  size_t want;
  if(b->err) {
    return -1;
  }
  if(n > b->max || b->len > b->max - n) {
    b->err = ST_TOOBIG;
    return -1;
  }
  want = b->len + n + 1;
  if(want > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while(cap < want) {
      cap *= 2;
    }
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
  }
  return 0;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
  if(grow(b, n)) {
    return;
  }
  if(n) {
    memcpy(b->data + b->len, p, n);
  }
  b->len += n;
  b->data[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s)
{
  buf_append(b, s, strlen(s));
}

void buf_putc_(struct buf *b, char c)
{
  if(grow(b, 1)) {
    return;
  }
  b->data[b->len++] = c;
  b->data[b->len] = 0;
}

void buf_appendf(struct buf *b, const char *fmt, ...)
{
  va_list ap;
  int n;

  if(b->err) {
    return;
  }
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n < 0) {
    b->err = ST_INVALID;
    return;
  }
  if(grow(b, (size_t)n)) {
    return;
  }
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *buf_detach(struct buf *b)
{
  char *p = b->data;
  if(!p) {
    p = xmalloc(1);
    p[0] = 0;
  }
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}
