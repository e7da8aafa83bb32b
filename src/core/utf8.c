/*
 * utf8.c: UTF-8 validation, decoding and search folding.
 */
#include "utf8.h"

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

int utf8_valid(struct str s, size_t *bad_at)
{
  size_t pos = 0;
  while(pos < s.len) {
    size_t at = pos;
    /* fast path for ASCII runs */
    unsigned char c = (unsigned char)s.p[pos];
    if(c < 0x80) {
      pos++;
      continue;
    }
    /* Three-byte forms without overlong or surrogate cases (most CJK). */
    if(c >= 0xE1 && c <= 0xEF && c != 0xED && pos + 2 < s.len &&
       ((unsigned char)s.p[pos + 1] & 0xC0) == 0x80 &&
       ((unsigned char)s.p[pos + 2] & 0xC0) == 0x80) {
      pos += 3;
      continue;
    }
    if(utf8_next(s, &pos) < 0) {
      if(bad_at) {
        *bad_at = at;
      }
      return 0;
    }
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
