/*
 * str.h: read-only byte views and checked number parsing (STYLE.md C4).
 * Depends on status.h.
 */
#ifndef ISMS_CORE_STR_H
#define ISMS_CORE_STR_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* A read-only view of bytes; not necessarily NUL-terminated. */
struct str {
  const char *p; /* first byte; may be NULL when len is 0 */
  size_t len;    /* number of bytes */
};

/* View of a NUL-terminated string (NULL gives the empty view). */
struct str str_c(const char *s);

/* 1 if a and b hold the same bytes. */
int str_eq(struct str a, struct str b);

/* 1 if a holds exactly the bytes of the NUL-terminated s. */
int str_eq_c(struct str a, const char *s);

/* 1 if a begins with the NUL-terminated prefix. */
int str_starts_c(struct str a, const char *prefix);

/* a without leading and trailing ASCII white space. */
struct str str_trim(struct str a);

/* 1 if a is empty or only white space, counting besides ASCII's the
 * ideographic space U+3000 (what a full-width keyboard types) and the
 * no-break space U+00A0: for checks that a text was given at all, where
 * "　" must not pass for an answer.  Values themselves are trimmed of
 * ASCII white space only (str_trim()). */
int str_blank(struct str a);

/*
 * Parse a whole decimal integer (optional sign, no spaces) within
 * [min, max] into *out.  ST_INVALID for anything else, including empty
 * input and overflow.
 */
enum status str_to_i64(struct str a, int64_t min, int64_t max, int64_t *out);

/*
 * Parse a whole finite decimal number (digits, optional sign, optional
 * fraction, optional exponent as "%.15g" writes it: 1e-05; no hex, no
 * inf or nan, no spaces; at most 63 bytes) into *out.
 * The decimal separator is '.', whatever the locale (isms never calls
 * setlocale).
 */
enum status str_to_double(struct str a, double *out);

#endif
