/*
 * utf8.h: UTF-8 validation at the edges, code point decoding and the text
 * normalisation used by search (台/臺, full-width forms, case).
 * Depends on buf.h and str.h.
 */
#ifndef ISMS_CORE_UTF8_H
#define ISMS_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "str.h"

/*
 * 1 if s is well-formed UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF).  On failure *bad_at (if not NULL) gets the offset of
 * the first bad byte.
 */
int utf8_valid(struct str s, size_t *bad_at);

/*
 * Decode the code point at s.p[*pos] and advance *pos.  Returns the code
 * point, or -1 (advancing one byte) for an invalid sequence.
 */
int32_t utf8_next(struct str s, size_t *pos);

/* Number of code points in valid UTF-8 s. */
size_t utf8_count(struct str s);

/* Append the UTF-8 encoding of code point cp to b. */
void utf8_put(struct buf *b, int32_t cp);

/* 1 if s (valid UTF-8) contains a control character other than the
 * ones allowed (allow_newlines permits \n, \r and \t). */
int utf8_has_control(struct str s, int allow_newlines);

/*
 * Append the search form of s to b: full-width ASCII (U+FF01..FF5E) and
 * the ideographic space become ASCII, ASCII letters become lower case,
 * and 臺 becomes 台.  Text and queries both go through this, so either
 * spelling finds both.  s is valid UTF-8 (checked at the edge).
 */
void utf8_fold_search(struct buf *b, struct str s);

#endif
