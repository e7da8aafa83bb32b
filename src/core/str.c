/*
 * str.c: byte views and checked number parsing.
 */
#include "str.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct str str_c(const char *s)
{
  struct str r = { s, s ? strlen(s) : 0 };
  return r;
}

int str_eq(struct str a, struct str b)
{
  return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

int str_eq_c(struct str a, const char *s)
{
  return str_eq(a, str_c(s));
}

int str_starts_c(struct str a, const char *prefix)
{
  size_t n = strlen(prefix);
  return a.len >= n && memcmp(a.p, prefix, n) == 0;
}

static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
         c == '\v';
}

struct str str_trim(struct str a)
{
  while(a.len && is_space(a.p[0])) {
    a.p++;
    a.len--;
  }
  while(a.len && is_space(a.p[a.len - 1])) {
    a.len--;
  }
  return a;
}

int str_blank(struct str a)
{
  size_t i = 0;
  while(i < a.len) {
    const unsigned char *u = (const unsigned char *)a.p + i;
    if(is_space(a.p[i])) {
      i++;
    }
    else if(a.len - i >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) {
      i += 3;
    }
    else if(a.len - i >= 2 && u[0] == 0xC2 && u[1] == 0xA0) {
      i += 2;
    }
    else {
      return 0;
    }
  }
  return 1;
}

enum status str_to_i64(struct str a, int64_t min, int64_t max, int64_t *out)
{
  size_t i = 0;
  int neg = 0;
  uint64_t v = 0, limit;

  if(a.len == 0) {
    return ST_INVALID;
  }
  if(a.p[0] == '-' || a.p[0] == '+') {
    neg = a.p[0] == '-';
    i = 1;
  }
  if(i == a.len) {
    return ST_INVALID;
  }
  limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for(; i < a.len; i++) {
    unsigned d = (unsigned char)a.p[i] - '0';
    if(d > 9) {
      return ST_INVALID;
    }
    if(v > (limit - d) / 10) {
      return ST_INVALID;
    }
    v = v * 10 + d;
  }
  {
    int64_t r = neg ?
                  (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) :
                  (int64_t)v;
    if(r < min || r > max) {
      return ST_INVALID;
    }
    *out = r;
  }
  return ST_OK;
}

enum status str_to_double(struct str a, double *out)
{
  char tmp[64];
  size_t i = 0, digits = 0, dots = 0;
  char *end;
  double v;

  if(a.len == 0 || a.len >= sizeof(tmp)) {
    return ST_INVALID;
  }
  if(a.p[0] == '-' || a.p[0] == '+') {
    i = 1;
  }
  for(; i < a.len; i++) {
    if(a.p[i] >= '0' && a.p[i] <= '9') {
      digits++;
    }
    else if(a.p[i] == '.' && dots == 0) {
      dots++;
    }
    else if((a.p[i] == 'e' || a.p[i] == 'E') && digits) {
      /* An exponent, as "%.15g" writes very small and large numbers:
       * e, an optional sign, at least one digit, nothing else. */
      size_t k = i + 1, exp_digits = 0;
      if(k < a.len && (a.p[k] == '-' || a.p[k] == '+')) {
        k++;
      }
      for(; k < a.len; k++, exp_digits++) {
        if(a.p[k] < '0' || a.p[k] > '9') {
          return ST_INVALID;
        }
      }
      if(!exp_digits) {
        return ST_INVALID;
      }
      break;
    }
    else {
      return ST_INVALID;
    }
  }
  if(!digits) {
    return ST_INVALID;
  }
  memcpy(tmp, a.p, a.len);
  tmp[a.len] = 0;
  errno = 0;
  v = strtod(tmp, &end);
  if(errno || *end || !isfinite(v)) {
    return ST_INVALID;
  }
  *out = v;
  return ST_OK;
}
