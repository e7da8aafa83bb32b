/*
 * baseline.c: loads data/rules/baseline.json (附表十, every rule set)
 * once per process and answers questions about it (see baseline.h).
 * The jansson tree is kept for the process lifetime: the strings of
 * struct control point into it, and nothing modifies it after loading.
 */
#include "baseline.h"

#include "core/mem.h"
#include "core/str.h"
#include "core/time.h"
#include "rules_json.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BASELINE_FILE   "baseline.json"
#define BASELINE_FORMAT 1

/* The loaded file.  Invariant after a successful parse: sets are in
 * ascending effective order, ids are unique across sets, every from id
 * names a control of an earlier set. */
struct baseline {
  json_t *root;          /* the parsed file; strings point into it */
  struct rule_set *sets; /* n_sets entries, oldest first */
  size_t n_sets;         /* entries in sets */
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct baseline loaded; /* filled once by load(), then read-only */

/* Exact level names only: the data file uses 普/中/高. */
static int level_of(const char *s)
{
  if(!strcmp(s, "普")) {
    return PL_LOW;
  }
  if(!strcmp(s, "中")) {
    return PL_MID;
  }
  if(!strcmp(s, "高")) {
    return PL_HIGH;
  }
  return PL_NONE;
}

/* Release what parse() allocated (b may be partly filled). */
static void baseline_free(struct baseline *b)
{
  size_t i, k;

  for(i = 0; i < b->n_sets; i++) {
    /* The arrays are const to readers only; we allocated them. */
    struct control *cs = (struct control *)(uintptr_t)b->sets[i].controls;
    for(k = 0; cs && k < b->sets[i].n; k++) {
      free((void *)(uintptr_t)cs[k].from);
    }
    free(cs);
  }
  free(b->sets);
  json_decref(b->root);
  memset(b, 0, sizeof(*b));
}

/* The first control with id among sets[0..n_sets).  A set being filled
 * has n counting the control being read; the ones after it are still
 * zero (id NULL) and are skipped. */
static const struct control *find_in(const struct rule_set *sets,
                                     size_t n_sets, const char *id)
{
  size_t i, k;

  for(i = 0; i < n_sets; i++) {
    for(k = 0; k < sets[i].n; k++) {
      if(sets[i].controls[k].id && !strcmp(sets[i].controls[k].id, id)) {
        return &sets[i].controls[k];
      }
    }
  }
  return NULL;
}

/* Read one control at place path of set s (index i_set of b). */
static void parse_control(struct rules_json *rj, struct baseline *b,
                          size_t i_set, json_t *obj, const char *path,
                          struct control *c)
{
  const struct rule_set *s = &b->sets[i_set];
  char where[RULES_JSON_PATH_MAX];
  const char *level;
  json_t *from, *v;
  size_t name_len, i;

  c->set = s;
  c->id = rules_json_str(rj, obj, path, "id");
  c->ref = rules_json_str(rj, obj, path, "ref");
  c->family = rules_json_str(rj, obj, path, "family");
  c->family_en = rules_json_str(rj, obj, path, "family_en");
  c->measure = rules_json_str(rj, obj, path, "measure");
  level = rules_json_str(rj, obj, path, "level");
  c->text = rules_json_str(rj, obj, path, "text");
  c->text_en = rules_json_str(rj, obj, path, "text_en");
  c->change = rules_json_str_opt(rj, obj, path, "change");
  from = rules_json_array(rj, obj, path, "from", 0);
  if(rj->is_failed) {
    return;
  }
  c->level = level_of(level);
  if(c->level == PL_NONE) {
    rules_json_fail(rj, path, "level", "not 普, 中 or 高");
    return;
  }
  name_len = strlen(s->name);
  if(strncmp(c->id, s->name, name_len) != 0 || c->id[name_len] != '-') {
    rules_json_fail(rj, path, "id", "does not start with the set's name");
    return;
  }
  /* Unique across all sets: the earlier sets and this one so far. */
  if(find_in(b->sets, i_set + 1, c->id) != c) {
    rules_json_fail(rj, path, "id", "duplicate id");
    return;
  }
  c->n_from = json_array_size(from);
  if(c->n_from) {
    const char **ids = xcalloc(c->n_from, sizeof(*ids));
    c->from = ids;
    json_array_foreach(from, i, v)
    {
      rules_json_path(where, "%s.from[%zu]", path, i);
      if(!json_is_string(v)) {
        rules_json_fail(rj, where, "", "not a string");
        return;
      }
      ids[i] = json_string_value(v);
      if(!find_in(b->sets, i_set, ids[i])) {
        rules_json_fail(rj, where, "", "names no control of an earlier set");
        return;
      }
    }
  }
}

/* Read one set at place path into b->sets[i_set]. */
static void parse_set(struct rules_json *rj, struct baseline *b, size_t i_set,
                      json_t *obj, const char *path)
{
  struct rule_set *s = &b->sets[i_set];
  char where[RULES_JSON_PATH_MAX];
  struct control *cs;
  json_t *controls, *v;
  size_t i;

  s->name = rules_json_str(rj, obj, path, "name");
  s->title = rules_json_str(rj, obj, path, "title");
  s->title_en = rules_json_str(rj, obj, path, "title_en");
  s->effective = rules_json_date(rj, obj, path, "effective");
  if(json_is_null(json_object_get(obj, "until"))) {
    s->until = NULL;
  }
  else {
    s->until = rules_json_date(rj, obj, path, "until");
  }
  s->source = rules_json_str(rj, obj, path, "source");
  controls = rules_json_array(rj, obj, path, "controls", 1);
  if(rj->is_failed) {
    return;
  }
  for(i = 0; i < i_set; i++) {
    if(!strcmp(b->sets[i].name, s->name)) {
      rules_json_fail(rj, path, "name", "duplicate set name");
      return;
    }
  }
  if(s->until && strcmp(s->until, s->effective) < 0) {
    rules_json_fail(rj, path, "until", "before effective");
    return;
  }
  if(i_set > 0) {
    const struct rule_set *prev = &b->sets[i_set - 1];
    if(!prev->until || strcmp(prev->until, s->effective) >= 0) {
      rules_json_fail(rj, path, "effective",
                      "the previous set is open-ended or still in force");
      return;
    }
  }
  cs = xcalloc(json_array_size(controls), sizeof(*cs));
  s->controls = cs;
  json_array_foreach(controls, i, v)
  {
    rules_json_path(where, "%s.controls[%zu]", path, i);
    s->n = i + 1;
    parse_control(rj, b, i_set, v, where, &cs[i]);
    if(rj->is_failed) {
      return;
    }
  }
}

/* Parse and check the whole file into *b; on failure b is released and
 * rj holds the reason. */
static void parse(struct rules_json *rj, const char *json, size_t len,
                  struct baseline *b)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *sets, *v;
  size_t i;

  memset(b, 0, sizeof(*b));
  b->root = rules_json_parse(rj, json, len);
  if(rules_json_int(rj, b->root, "", "format") != BASELINE_FORMAT &&
     !rj->is_failed) {
    rules_json_fail(rj, "", "format", "unknown format version");
  }
  sets = rules_json_array(rj, b->root, "", "sets", 1);
  if(rj->is_failed) {
    baseline_free(b);
    return;
  }
  b->sets = xcalloc(json_array_size(sets), sizeof(*b->sets));
  json_array_foreach(sets, i, v)
  {
    rules_json_path(where, "sets[%zu]", i);
    b->n_sets = i + 1;
    parse_set(rj, b, i, v, where);
    if(rj->is_failed) {
      baseline_free(b);
      return;
    }
  }
}

/* pthread_once routine: load the embedded file or abort. */
static void load(void)
{
  struct rules_json rj;
  struct buf why;
  const char *json;
  size_t len;

  buf_init(&why, 1024);
  rules_json_init(&rj, BASELINE_FILE, &why);
  json = rules_json_embedded(&rj, BASELINE_FILE, &len);
  if(json) {
    parse(&rj, json, len, &loaded);
  }
  if(rj.is_failed) {
    rules_json_die(&rj);
  }
  buf_free(&why);
}

/* The loaded data (loads it on first use). */
static const struct baseline *data(void)
{
  pthread_once(&once, load);
  return &loaded;
}

const struct rule_set *baseline_sets(size_t *n)
{
  const struct baseline *b = data();

  *n = b->n_sets;
  return b->sets;
}

const struct rule_set *baseline_set(const char *name)
{
  const struct baseline *b = data();
  size_t i;

  for(i = 0; name && i < b->n_sets; i++) {
    if(!strcmp(b->sets[i].name, name)) {
      return &b->sets[i];
    }
  }
  return NULL;
}

const struct rule_set *baseline_at(const char *date)
{
  const struct baseline *b = data();
  struct date d;
  size_t i;

  if(!date || time_parse_date(str_c(date), &d)) {
    return NULL;
  }
  /* YYYY-MM-DD strings compare like the dates they name. */
  for(i = b->n_sets; i > 0; i--) {
    if(strcmp(b->sets[i - 1].effective, date) <= 0) {
      return &b->sets[i - 1];
    }
  }
  return NULL;
}

const struct control *baseline_control(const char *id)
{
  const struct baseline *b = data();

  return id ? find_in(b->sets, b->n_sets, id) : NULL;
}

const struct control *baseline_family(const char *name)
{
  const struct baseline *b = data();
  size_t i, k;

  for(i = 0; name && i < b->n_sets; i++) {
    for(k = 0; k < b->sets[i].n; k++) {
      const struct control *c = &b->sets[i].controls[k];
      if(!strcmp(c->family, name) || !strcasecmp(c->family_en, name)) {
        return c;
      }
    }
  }
  return NULL;
}

int baseline_applies(const struct control *c, int level)
{
  if(level < PL_LOW || level > PL_HIGH) {
    return 0;
  }
  return c->level <= level;
}

size_t baseline_count(const struct rule_set *s, int level)
{
  size_t i, n = 0;

  for(i = 0; i < s->n; i++) {
    n += (size_t)baseline_applies(&s->controls[i], level);
  }
  return n;
}

enum status baseline_check(const char *json, size_t len, struct buf *why)
{
  struct rules_json rj;
  struct baseline b;

  rules_json_init(&rj, BASELINE_FILE, why);
  parse(&rj, json, len, &b);
  if(rj.is_failed) {
    return ST_INVALID;
  }
  baseline_free(&b);
  return ST_OK;
}

int prot_level_parse(const char *s)
{
  if(!s) {
    return PL_NONE;
  }
  if(!strcmp(s, "low")) {
    return PL_LOW;
  }
  if(!strcmp(s, "mid")) {
    return PL_MID;
  }
  if(!strcmp(s, "high")) {
    return PL_HIGH;
  }
  return level_of(s);
}

const char *prot_level_name(int level)
{
  static const char *const names[] = { "", "普", "中", "高" };

  return level >= PL_LOW && level <= PL_HIGH ? names[level] : "";
}

const char *prot_level_key(int level)
{
  static const char *const keys[] = { "", "low", "mid", "high" };

  return level >= PL_LOW && level <= PL_HIGH ? keys[level] : "";
}
