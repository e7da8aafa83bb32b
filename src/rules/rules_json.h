/*
 * rules_json.h: shared reading of the embedded rule files in data/rules/
 * (baseline.json, grading.json, incident.json, risk_catalog.json) for
 * the loaders in this folder.  Each getter checks one key and records
 * the first error, naming the file, the place in the tree and the key,
 * so a broken data file is reported precisely.  Depends on jansson,
 * core/buf, core/embed, core/log and core/time.
 */
#ifndef ISMS_RULES_RULES_JSON_H
#define ISMS_RULES_RULES_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

/* Longest place name ("sets[1].controls[77].from[0]") we build. */
#define RULES_JSON_PATH_MAX 96

/*
 * A parse in progress.  Invariant: once is_failed is set, why holds the
 * first error and every getter returns NULL or 0 without touching why.
 */
struct rules_json {
  const char *file; /* base name for messages, e.g. "baseline.json" */
  struct buf *why;  /* receives the first error; not owned */
  int is_failed;    /* an error was recorded */
};

/* Format a place name ("sets[1].controls[3]") into dst, which holds
 * RULES_JSON_PATH_MAX bytes; a longer name is cut short (it only ever
 * appears in messages). */
void rules_json_path(char *dst, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* Start a parse of file (a static string), reporting errors into why. */
void rules_json_init(struct rules_json *rj, const char *file, struct buf *why);

/*
 * Record an error unless one is already recorded:
 * "FILE: PATH: KEY: WHAT".  path and key may be "" when not relevant.
 */
void rules_json_fail(struct rules_json *rj, const char *path, const char *key,
                     const char *what);

/*
 * Parse len bytes of JSON text (duplicate keys are rejected).  Returns
 * the root, which must be an object, or NULL after recording the error.
 * The caller owns the result: json_decref() it.
 */
json_t *rules_json_parse(struct rules_json *rj, const char *text, size_t len);

/*
 * The required key of obj as a non-empty string without NUL bytes
 * (jansson has already checked it is valid UTF-8).  The result points
 * into the tree and lives as long as it does; NULL on error.
 */
const char *rules_json_str(struct rules_json *rj, json_t *obj,
                           const char *path, const char *key);

/* Like rules_json_str(), but an absent key or null gives NULL without
 * an error. */
const char *rules_json_str_opt(struct rules_json *rj, json_t *obj,
                               const char *path, const char *key);

/* The required key of obj as a "YYYY-MM-DD" date string; NULL on error. */
const char *rules_json_date(struct rules_json *rj, json_t *obj,
                            const char *path, const char *key);

/*
 * The key of obj as an array: required and non-empty when is_required;
 * otherwise an absent key gives NULL without an error (jansson treats a
 * NULL array as empty: json_array_size(NULL) is 0).  NULL on error: the
 * caller tells the two apart by rj->is_failed.
 */
json_t *rules_json_array(struct rules_json *rj, json_t *obj, const char *path,
                         const char *key, int is_required);

/* The required key of obj as an integer; on error records it and
 * returns 0. */
long long rules_json_int(struct rules_json *rj, json_t *obj, const char *path,
                         const char *key);

/*
 * The key of obj as a boolean (true or false).  An absent key gives 0
 * without an error unless is_required; on error records it and returns
 * 0.
 */
int rules_json_bool(struct rules_json *rj, json_t *obj, const char *path,
                    const char *key, int is_required);

/*
 * The embedded data file name (build/<preset>/gen/embedded_data.c);
 * NULL after recording the error when it is missing.  *len gets its
 * length in bytes.
 */
const char *rules_json_embedded(struct rules_json *rj, const char *name,
                                size_t *len);

/*
 * A broken embedded rule file is a build bug: log why (with what the
 * loader was doing) and abort.  Never returns.
 */
void rules_json_die(const struct rules_json *rj) __attribute__((noreturn));

#endif
