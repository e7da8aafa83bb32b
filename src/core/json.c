/*
 * json.c: streaming JSON writer.
 */
#include "json.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void json_init(struct json *j, struct buf *out)
{
  memset(j, 0, sizeof(*j));
  j->out = out;
}

/* Emit the comma before a value or key when one is due. */
static void sep(struct json *j)
{
  if(j->after_key) {
    j->after_key = 0;
    return;
  }
  if(j->depth > 0) {
    if(j->count[j->depth - 1]) {
      buf_putc(j->out, ',');
    }
    j->count[j->depth - 1] = 1;
  }
  else if(j->top_done) {
    j->out->err = ST_INVALID; /* a second top-level value */
  }
  else {
    j->top_done = 1;
  }
}

static void open_level(struct json *j, int is_obj)
{
  sep(j);
  if(j->depth >= JSON_MAX_DEPTH) {
    j->out->err = ST_INVALID;
    return;
  }
  j->count[j->depth] = 0;
  j->is_obj[j->depth] = (unsigned char)is_obj;
  j->depth++;
  buf_putc(j->out, is_obj ? '{' : '[');
}

static void close_level(struct json *j, int is_obj)
{
  if(j->depth == 0 || j->is_obj[j->depth - 1] != is_obj || j->after_key) {
    j->out->err = ST_INVALID;
    return;
  }
  j->depth--;
  buf_putc(j->out, is_obj ? '}' : ']');
}

void json_obj_begin(struct json *j)
{
  open_level(j, 1);
}

void json_obj_end(struct json *j)
{
  close_level(j, 1);
}

void json_arr_begin(struct json *j)
{
  open_level(j, 0);
}

void json_arr_end(struct json *j)
{
  close_level(j, 0);
}

/* Byte classes for put_escaped(). */
enum {
  JC_PLAIN = 0, /* printable ASCII copied as is */
  JC_ESCAPE,    /* ASCII that needs an escape */
  JC_LEAD3,     /* E1, E3..EC, EE, EF: a plain three-byte form follows */
  JC_OTHER,     /* any other byte >= 0x80: decoded and checked */
};

/* The class of byte c.  E0 (overlongs), E2 (U+2028/2029) and ED
 * (surrogates) are JC_OTHER. */
static inline int json_class(unsigned char c)
{
  if(c >= 0x80) {
    return c == 0xE1 || (c >= 0xE3 && c <= 0xEC) || c == 0xEE || c == 0xEF ?
             JC_LEAD3 :
             JC_OTHER;
  }
  return c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' ||
             c == '&' || c == 0x7f ?
           JC_ESCAPE :
           JC_PLAIN;
}

static void put_escaped(struct buf *b, struct str s)
{
  static const char hex[] = "0123456789abcdef";
  size_t pos = 0, run;
  buf_putc(b, '"');
  while(pos < s.len) {
    unsigned char c = (unsigned char)s.p[pos];
    /* Copy runs of plain ASCII and well-formed UTF-8 in one append. */
    run = pos;
    for(;;) {
      size_t next = run;
      int32_t cp;
      if(run >= s.len) {
        break;
      }
      c = (unsigned char)s.p[run];
      switch(json_class(c)) {
      case JC_PLAIN:
        run++;
        continue;
      case JC_ESCAPE:
        goto end_run;
      case JC_LEAD3:
        /* The common three-byte form (CJK): two continuation bytes. */
        if(run + 2 < s.len && ((unsigned char)s.p[run + 1] & 0xC0) == 0x80 &&
           ((unsigned char)s.p[run + 2] & 0xC0) == 0x80) {
          run += 3;
          continue;
        }
        break;
      default:
        break;
      }
      cp = utf8_next(s, &next);
      if(cp < 0 || cp == 0x2028 || cp == 0x2029) {
        break;
      }
      run = next;
    }
  end_run:
    if(run > pos) {
      buf_append(b, s.p + pos, run - pos);
      pos = run;
      continue;
    }
    c = (unsigned char)s.p[pos];
    if(c >= 0x80) {
      int32_t cp = utf8_next(s, &pos);
      if(cp < 0) {
        buf_puts(b, "\\ufffd");
      }
      else {
        buf_puts(b, cp == 0x2028 ? "\\u2028" : "\\u2029");
      }
      continue;
    }
    pos++;
    if(c == '"' || c == '\\') {
      buf_putc(b, '\\');
      buf_putc(b, (char)c);
    }
    else if(c == '\n') {
      buf_puts(b, "\\n");
    }
    else if(c == '\r') {
      buf_puts(b, "\\r");
    }
    else if(c == '\t') {
      buf_puts(b, "\\t");
    }
    else {
      char t[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
      buf_append(b, t, 6);
    }
  }
  buf_putc(b, '"');
}

void json_key(struct json *j, const char *key)
{
  if(j->depth == 0 || !j->is_obj[j->depth - 1] || j->after_key) {
    j->out->err = ST_INVALID;
    return;
  }
  sep(j);
  put_escaped(j->out, str_c(key));
  buf_putc(j->out, ':');
  j->after_key = 1;
}

/* A value inside an object needs a key first. */
static int value_ok(struct json *j)
{
  if(j->depth > 0 && j->is_obj[j->depth - 1] && !j->after_key) {
    j->out->err = ST_INVALID;
    return 0;
  }
  sep(j);
  return 1;
}

void json_strn(struct json *j, struct str s)
{
  if(value_ok(j)) {
    put_escaped(j->out, s);
  }
}

void json_str(struct json *j, const char *s)
{
  if(!s) {
    json_null_val(j);
    return;
  }
  json_strn(j, str_c(s));
}

void json_i64(struct json *j, int64_t v)
{
  char t[24];
  size_t i = sizeof(t);
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  if(!value_ok(j)) {
    return;
  }
  do {
    t[--i] = (char)('0' + u % 10);
    u /= 10;
  } while(u);
  if(v < 0) {
    t[--i] = '-';
  }
  buf_append(j->out, t + i, sizeof(t) - i);
}

void json_double(struct json *j, double v)
{
  if(!value_ok(j)) {
    return;
  }
  if(!isfinite(v)) {
    buf_puts(j->out, "null");
    return;
  }
  buf_appendf(j->out, "%.15g", v);
}

void json_bool(struct json *j, int v)
{
  if(value_ok(j)) {
    buf_puts(j->out, v ? "true" : "false");
  }
}

void json_null_val(struct json *j)
{
  if(value_ok(j)) {
    buf_puts(j->out, "null");
  }
}

void json_key_str(struct json *j, const char *key, const char *s)
{
  json_key(j, key);
  json_str(j, s);
}

void json_key_i64(struct json *j, const char *key, int64_t v)
{
  json_key(j, key);
  json_i64(j, v);
}

void json_key_bool(struct json *j, const char *key, int v)
{
  json_key(j, key);
  json_bool(j, v);
}

int json_done(const struct json *j)
{
  return j->depth == 0 && !j->after_key && !j->out->err;
}
