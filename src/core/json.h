/*
 * json.h: the one JSON writer (STYLE.md C7).  Keys and values are both
 * escaped; < > & and U+2028/2029 become \u escapes so the output is safe
 * inside HTML; invalid UTF-8 becomes U+FFFD, so the output is always
 * valid UTF-8.  A nesting stack places commas and checks balance.
 * Depends on buf.h.
 */
#ifndef ISMS_CORE_JSON_H
#define ISMS_CORE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "str.h"

#define JSON_MAX_DEPTH 32

struct json {
  struct buf *out;                      /* where the text goes; not owned */
  int depth;                            /* open containers */
  unsigned char count[JSON_MAX_DEPTH];  /* 0 until a member was written */
  unsigned char is_obj[JSON_MAX_DEPTH]; /* 1 for an object level */
  int after_key;                        /* a key was written, value due */
  int top_done;                         /* the top-level value was begun */
};

/* Start writing into out (not owned). */
void json_init(struct json *j, struct buf *out);

/* Open an object; inside an object a key must come first. */
void json_obj_begin(struct json *j);

/* Close the innermost object (a mismatch sets ST_INVALID). */
void json_obj_end(struct json *j);

/* Open an array. */
void json_arr_begin(struct json *j);

/* Close the innermost array (a mismatch sets ST_INVALID). */
void json_arr_end(struct json *j);

/* Write an object key; the next call writes its value. */
void json_key(struct json *j, const char *key);

/* A string value, escaped; NULL writes null. */
void json_str(struct json *j, const char *s);

/* A string value of s.len bytes (NUL bytes become \u0000). */
void json_strn(struct json *j, struct str s);

/* An integer value, exact over the whole int64 range. */
void json_i64(struct json *j, int64_t v);

/* A number with 15 significant digits; NaN and infinities write null. */
void json_double(struct json *j, double v);

/* true or false. */
void json_bool(struct json *j, int v);

/* null (named so as not to clash with jansson's json_null()). */
void json_null_val(struct json *j);

/* A key and its string value (NULL writes null). */
void json_key_str(struct json *j, const char *key, const char *s);

/* A key and its integer value. */
void json_key_i64(struct json *j, const char *key, int64_t v);

/* A key and its boolean value. */
void json_key_bool(struct json *j, const char *key, int v);

/* 1 when every container was closed and nothing failed. */
int json_done(const struct json *j);

#endif
