/*
 * rules_json.c: checked getters over jansson for the rule files (see
 * rules_json.h).
 */
#include "rules_json.h"

#include "core/embed.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rules_json_path(char *dst, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  if(vsnprintf(dst, RULES_JSON_PATH_MAX, fmt, ap) < 0) {
    dst[0] = 0;
  }
  va_end(ap);
}

void rules_json_init(struct rules_json *rj, const char *file, struct buf *why)
{
  rj->file = file;
  rj->why = why;
  rj->is_failed = 0;
}

void rules_json_fail(struct rules_json *rj, const char *path, const char *key,
                     const char *what)
{
  if(rj->is_failed) {
    return;
  }
  rj->is_failed = 1;
  buf_appendf(rj->why, "%s: %s%s%s%s%s", rj->file, path, *path ? ": " : "",
              key, *key ? ": " : "", what);
}

json_t *rules_json_parse(struct rules_json *rj, const char *text, size_t len)
{
  json_error_t jerr;
  json_t *root;
  char where[RULES_JSON_PATH_MAX];

  if(rj->is_failed) {
    return NULL;
  }
  root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if(!root) {
    rules_json_path(where, "line %d column %d", jerr.line, jerr.column);
    rules_json_fail(rj, where, "", jerr.text);
    return NULL;
  }
  if(!json_is_object(root)) {
    json_decref(root);
    rules_json_fail(rj, "", "", "the top level is not an object");
    return NULL;
  }
  return root;
}

/* The value of key in obj, or an error when obj is not an object. */
static json_t *member(struct rules_json *rj, json_t *obj, const char *path,
                      const char *key)
{
  if(rj->is_failed) {
    return NULL;
  }
  if(!json_is_object(obj)) {
    rules_json_fail(rj, path, "", "not an object");
    return NULL;
  }
  return json_object_get(obj, key);
}

/* Check that v is a usable string; NULL (with the error) if not. */
static const char *as_text(struct rules_json *rj, json_t *v, const char *path,
                           const char *key)
{
  const char *s;

  if(!json_is_string(v)) {
    rules_json_fail(rj, path, key, v ? "not a string" : "missing");
    return NULL;
  }
  s = json_string_value(v);
  if(json_string_length(v) == 0) {
    rules_json_fail(rj, path, key, "empty");
    return NULL;
  }
  if(strlen(s) != json_string_length(v)) {
    rules_json_fail(rj, path, key, "contains a NUL character");
    return NULL;
  }
  return s;
}

const char *rules_json_str(struct rules_json *rj, json_t *obj,
                           const char *path, const char *key)
{
  json_t *v = member(rj, obj, path, key);

  if(rj->is_failed) {
    return NULL;
  }
  return as_text(rj, v, path, key);
}

const char *rules_json_str_opt(struct rules_json *rj, json_t *obj,
                               const char *path, const char *key)
{
  json_t *v = member(rj, obj, path, key);

  if(rj->is_failed || !v || json_is_null(v)) {
    return NULL;
  }
  return as_text(rj, v, path, key);
}

const char *rules_json_date(struct rules_json *rj, json_t *obj,
                            const char *path, const char *key)
{
  const char *s = rules_json_str(rj, obj, path, key);
  struct date d;

  if(s && time_parse_date(str_c(s), &d)) {
    rules_json_fail(rj, path, key, "not a YYYY-MM-DD date");
    return NULL;
  }
  return s;
}

json_t *rules_json_array(struct rules_json *rj, json_t *obj, const char *path,
                         const char *key, int is_required)
{
  json_t *v = member(rj, obj, path, key);

  if(rj->is_failed || (!v && !is_required)) {
    return NULL;
  }
  if(!json_is_array(v)) {
    rules_json_fail(rj, path, key, v ? "not an array" : "missing");
    return NULL;
  }
  if(is_required && json_array_size(v) == 0) {
    rules_json_fail(rj, path, key, "empty");
    return NULL;
  }
  return v;
}

long long rules_json_int(struct rules_json *rj, json_t *obj, const char *path,
                         const char *key)
{
  json_t *v = member(rj, obj, path, key);

  if(rj->is_failed) {
    return 0;
  }
  if(!json_is_integer(v)) {
    rules_json_fail(rj, path, key, v ? "not an integer" : "missing");
    return 0;
  }
  return (long long)json_integer_value(v);
}

int rules_json_bool(struct rules_json *rj, json_t *obj, const char *path,
                    const char *key, int is_required)
{
  json_t *v = member(rj, obj, path, key);

  if(rj->is_failed || (!v && !is_required)) {
    return 0;
  }
  if(!json_is_boolean(v)) {
    rules_json_fail(rj, path, key, v ? "not true or false" : "missing");
    return 0;
  }
  return json_is_true(v);
}

const char *rules_json_embedded(struct rules_json *rj, const char *name,
                                size_t *len)
{
  const struct embedded_file *f =
    embed_find(embedded_data, n_embedded_data, name);

  *len = 0;
  if(!f) {
    rules_json_fail(rj, "", "",
                    "not embedded (see data/rules/ and the DATA "
                    "glob in CMakeLists.txt)");
    return NULL;
  }
  *len = f->len;
  return (const char *)f->data;
}

void rules_json_die(const struct rules_json *rj)
{
  log_msg(LOG_ERR, "broken embedded rule data (a build bug): %s",
          rj->why->data ? rj->why->data : rj->file);
  abort();
}
