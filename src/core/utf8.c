/*
 * utf8.c: UTF-8 validation, decoding and search folding.
 */
#include "utf8.h"

#include <string.h>

int32_t utf8_next(struct str s, size_t *pos)
{
  const unsigned char *p = (const unsigned char *)s.p + *pos;
  size_t left = s.len - *pos;
  int32_t cp;
  size_t n, i;

  if(p[0] < 0x80) {
    *pos += 1;
    return p[0];
  }
  if(p[0] >= 0xC2 && p[0] <= 0xDF) {
    n = 2;
    cp = p[0] & 0x1F;
  }
  else if(p[0] >= 0xE0 && p[0] <= 0xEF) {
    n = 3;
    cp = p[0] & 0x0F;
  }
  else if(p[0] >= 0xF0 && p[0] <= 0xF4) {
    n = 4;
    cp = p[0] & 0x07;
  }
  else {
    *pos += 1;
    return -1;
  }
  if(left < n) {
    *pos += 1;
    return -1;
  }
  for(i = 1; i < n; i++) {
    if((p[i] & 0xC0) != 0x80) {
      *pos += 1;
      return -1;
    }
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
     (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos += 1;
    return -1;
  }
  *pos += n;
  return cp;
}

/* The high bit of every byte of a 64-bit word. */
#define HIGH_BITS 0x8080808080808080ull

/* 1 if c is a UTF-8 continuation byte. */
static inline int is_cont(unsigned char c)
{
  return (c & 0xC0) == 0x80;
}

/*
 * One pass with no per-byte work on ASCII: 16 bytes are tested at a
 * time, and the first non-ASCII byte of a word is found from its high
 * bits; multi-byte characters are checked inline (the ranges of RFC 3629
 * table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
 * `isms mask` validates whole logs with it before scanning them.
 */
int utf8_valid(struct str s, size_t *bad_at)
{
  const unsigned char *p = (const unsigned char *)s.p;
  size_t n = s.len, i = 0;
  while(i < n) {
    while(i + 16 <= n) {
      uint64_t a, b, high;
      memcpy(&a, p + i, 8);
      memcpy(&b, p + i + 8, 8);
      if(!((a | b) & HIGH_BITS)) {
        i += 16;
        continue;
      }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      /* Skip the ASCII bytes before the first one with its high bit. */
      high = a & HIGH_BITS;
      if(high) {
        i += (size_t)__builtin_ctzll(high) >> 3;
      }
      else {
        i += 8 + ((size_t)__builtin_ctzll(b & HIGH_BITS) >> 3);
      }
#else
      (void)high;
#endif
      break;
    }
    if(i >= n) {
      break;
    }
    unsigned char c = p[i];
    if(c < 0x80) {
      i++;
      continue;
    }
    /* Most of a CJK text: U+1000..CFFF and U+E000..FFFF, one after the
     * other without going back to the ASCII test. */
    while(i + 2 < n && ((c >= 0xE1 && c <= 0xEC) || c >= 0xEE) && c <= 0xEF &&
          is_cont(p[i + 1]) && is_cont(p[i + 2])) {
      i += 3;
      if(i >= n) {
        return 1;
      }
      c = p[i];
    }
    if(c < 0x80) {
      continue;
    }
    if(c >= 0xC2 && c <= 0xDF) {
      if(i + 1 < n && is_cont(p[i + 1])) {
        i += 2;
        continue;
      }
    }
    else if(c >= 0xE0 && c <= 0xEF) {
      if(i + 2 < n && is_cont(p[i + 1]) && is_cont(p[i + 2]) &&
         (c != 0xE0 || p[i + 1] >= 0xA0) && (c != 0xED || p[i + 1] < 0xA0)) {
        i += 3;
        continue;
      }
    }
    else if(c >= 0xF0 && c <= 0xF4) {
      if(i + 3 < n && is_cont(p[i + 1]) && is_cont(p[i + 2]) &&
         is_cont(p[i + 3]) && (c != 0xF0 || p[i + 1] >= 0x90) &&
         (c != 0xF4 || p[i + 1] < 0x90)) {
        i += 4;
        continue;
      }
    }
    if(bad_at) {
      *bad_at = i;
    }
    return 0;
  }
  return 1;
}

size_t utf8_count(struct str s)
{
  size_t i, n = 0;
  for(i = 0; i < s.len; i++) {
    if(((unsigned char)s.p[i] & 0xC0) != 0x80) {
      n++;
    }
  }
  return n;
}

void utf8_put(struct buf *b, int32_t cp)
{
  char t[4];
  if(cp < 0x80) {
    buf_putc(b, (char)cp);
  }
  else if(cp < 0x800) {
    t[0] = (char)(0xC0 | (cp >> 6));
    t[1] = (char)(0x80 | (cp & 0x3F));
    buf_append(b, t, 2);
  }
  else if(cp < 0x10000) {
    t[0] = (char)(0xE0 | (cp >> 12));
    t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    t[2] = (char)(0x80 | (cp & 0x3F));
    buf_append(b, t, 3);
  }
  else {
    t[0] = (char)(0xF0 | (cp >> 18));
    t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    t[3] = (char)(0x80 | (cp & 0x3F));
    buf_append(b, t, 4);
  }
}

int utf8_has_control(struct str s, int allow_newlines)
{
  size_t i;
  /* On valid UTF-8 no decoding is needed: C0 controls and DEL are single
   * bytes, and the C1 controls U+0080..U+009F are C2 80..C2 9F. */
  for(i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.p[i];
    if(c < 0x20 || c == 0x7F) {
      if(allow_newlines && (c == '\n' || c == '\r' || c == '\t')) {
        continue;
      }
      return 1;
    }
    if(c == 0xC2 && i + 1 < s.len && (unsigned char)s.p[i + 1] >= 0x80 &&
       (unsigned char)s.p[i + 1] <= 0x9F) {
      return 1;
    }
  }
  return 0;
}

/* 1 when the byte at s.p[i] may start something that folds: an upper
 * case letter, the lead byte of a full-width form (EF), the ideographic
 * space (E3) or 臺 (E8), or a byte that never starts a sequence (C0, C1,
 * F5..FF).  Continuation bytes belong to the sequence before them. */
static int may_fold(struct str s, size_t i)
{
  unsigned char c = (unsigned char)s.p[i];
  if(c < 0x80) {
    return c >= 'A' && c <= 'Z';
  }
  return c == 0xEF || c == 0xE3 || c == 0xE8 || c == 0xC0 || c == 0xC1 ||
         c > 0xF4;
}

void utf8_fold_search(struct buf *b, struct str s)
{
  size_t pos = 0;
  while(pos < s.len) {
    int32_t cp;
    size_t run = pos;
    /* Copy what folds to itself in one append. */
    while(run < s.len && !may_fold(s, run)) {
      run++;
    }
    /* Never split a sequence: back up to its lead byte. */
    while(run < s.len && run > pos &&
          ((unsigned char)s.p[run] & 0xC0) == 0x80) {
      run--;
    }
    if(run > pos) {
      buf_append(b, s.p + pos, run - pos);
      pos = run;
      continue;
    }
    cp = utf8_next(s, &pos);
    if(cp < 0) {
      continue;
    }
    if(cp >= 0xFF01 && cp <= 0xFF5E) {
      cp -= 0xFEE0;
    }
    else if(cp == 0x3000) {
      cp = ' ';
    }
    else if(cp == 0x81FA) { /* 臺 */
      cp = 0x53F0;          /* 台 */
    }
    if(cp >= 'A' && cp <= 'Z') {
      cp += 'a' - 'A';
    }
    utf8_put(b, cp);
  }
}
