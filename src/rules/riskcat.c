/*
 * riskcat.c: loads data/rules/risk_catalog.json once per process (see
 * riskcat.h).  The jansson tree is kept for the process lifetime; the
 * strings point into it.
 */
#include "riskcat.h"

#include "core/mem.h"
#include "rules/baseline.h"
#include "rules_json.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RISKCAT_FILE   "risk_catalog.json"
#define RISKCAT_FORMAT 1
#define N_CLASSES      4

/* The register keys the data must list, in RC_ASSET_* bit order. */
static const char *const class_keys[N_CLASSES] = {
  "info",
  "software",
  "physical",
  "service",
};

/* The loaded file.  Invariant after a successful parse: ids unique,
 * every entry has an asset class and a countermeasure, every family is
 * a 附表十 family. */
struct riskcat {
  json_t *root;                                  /* strings point into it */
  struct riskcat_asset_class classes[N_CLASSES]; /* bit order */
  struct riskcat_entry *entries;                 /* n_entries, file order */
  size_t n_entries;                              /* entries in entries */
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct riskcat loaded; /* filled once by load(), then read-only */

/* Release what parse() allocated (c may be partly filled). */
static void riskcat_free(struct riskcat *c)
{
  size_t i;

  for(i = 0; i < c->n_entries; i++) {
    free((void *)(uintptr_t)c->entries[i].measures);
  }
  free(c->entries);
  json_decref(c->root);
  memset(c, 0, sizeof(*c));
}

/* 1 if family names a family of some 附表十 control (any set). */
static int is_baseline_family(const char *family)
{
  const struct rule_set *sets;
  size_t n, i, k;

  sets = baseline_sets(&n);
  for(i = 0; i < n; i++) {
    for(k = 0; k < sets[i].n; k++) {
      if(!strcmp(sets[i].controls[k].family, family)) {
        return 1;
      }
    }
  }
  return 0;
}

/* The bit of the class with this zh-TW name or key among the parsed
 * classes of c; 0 if none. */
static unsigned class_bit(const struct riskcat *c, const char *s)
{
  size_t i;

  for(i = 0; i < N_CLASSES; i++) {
    if(c->classes[i].name &&
       (!strcmp(c->classes[i].name, s) || !strcmp(c->classes[i].key, s))) {
      return c->classes[i].bit;
    }
  }
  return 0;
}

/* Read the asset class list at the top of the file. */
static void parse_classes(struct rules_json *rj, struct riskcat *c)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *list = rules_json_array(rj, c->root, "", "asset_classes", 1);
  json_t *v;
  size_t i;

  if(!rj->is_failed && json_array_size(list) != N_CLASSES) {
    rules_json_fail(rj, "", "asset_classes", "not exactly four classes");
  }
  json_array_foreach(list, i, v)
  {
    struct riskcat_asset_class *ac = &c->classes[i];
    if(rj->is_failed) {
      return;
    }
    rules_json_path(where, "asset_classes[%zu]", i);
    ac->bit = 1u << i;
    ac->key = rules_json_str(rj, v, where, "key");
    ac->name = rules_json_str(rj, v, where, "name");
    ac->name_en = rules_json_str(rj, v, where, "name_en");
    ac->text = rules_json_str(rj, v, where, "text");
    ac->text_en = rules_json_str(rj, v, where, "text_en");
    if(!rj->is_failed && strcmp(ac->key, class_keys[i]) != 0) {
      rules_json_fail(rj, where, "key",
                      "not the class expected here "
                      "(info, software, physical, "
                      "service)");
    }
  }
}

/* Read entry e at place path. */
static void parse_entry(struct rules_json *rj, struct riskcat *c, json_t *obj,
                        const char *path, struct riskcat_entry *e)
{
  char where[RULES_JSON_PATH_MAX];
  struct riskcat_measure *ms;
  json_t *classes, *measures, *v;
  size_t i;

  e->id = rules_json_str(rj, obj, path, "id");
  e->type = rules_json_str(rj, obj, path, "type");
  e->type_en = rules_json_str(rj, obj, path, "type_en");
  e->threat = rules_json_str(rj, obj, path, "threat");
  e->threat_en = rules_json_str(rj, obj, path, "threat_en");
  e->vulnerability = rules_json_str(rj, obj, path, "vulnerability");
  e->vulnerability_en = rules_json_str(rj, obj, path, "vulnerability_en");
  classes = rules_json_array(rj, obj, path, "asset_classes", 1);
  measures = rules_json_array(rj, obj, path, "countermeasures", 1);
  if(rj->is_failed) {
    return;
  }
  for(i = 0; i + 1 < c->n_entries; i++) {
    if(!strcmp(c->entries[i].id, e->id)) {
      rules_json_fail(rj, path, "id", "duplicate id");
      return;
    }
  }
  json_array_foreach(classes, i, v)
  {
    unsigned bit = json_is_string(v) ? class_bit(c, json_string_value(v)) : 0;
    if(!bit) {
      rules_json_path(where, "%s.asset_classes[%zu]", path, i);
      rules_json_fail(rj, where, "", "not one of the four asset classes");
      return;
    }
    e->asset_classes |= bit;
  }
  ms = xcalloc(json_array_size(measures), sizeof(*ms));
  e->measures = ms;
  json_array_foreach(measures, i, v)
  {
    rules_json_path(where, "%s.countermeasures[%zu]", path, i);
    e->n_measures = i + 1;
    ms[i].text = rules_json_str(rj, v, where, "text");
    ms[i].text_en = rules_json_str(rj, v, where, "text_en");
    ms[i].family = rules_json_str_opt(rj, v, where, "family");
    if(rj->is_failed) {
      return;
    }
    if(ms[i].family && !is_baseline_family(ms[i].family)) {
      rules_json_fail(rj, where, "family", "not a 附表十 family");
      return;
    }
  }
}

/* Parse and check the whole file into *c; on failure c is released and
 * rj holds the reason. */
static void parse(struct rules_json *rj, const char *json, size_t len,
                  struct riskcat *c)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *entries, *v;
  size_t i;

  memset(c, 0, sizeof(*c));
  c->root = rules_json_parse(rj, json, len);
  if(rules_json_int(rj, c->root, "", "format") != RISKCAT_FORMAT &&
     !rj->is_failed) {
    rules_json_fail(rj, "", "format", "unknown format version");
  }
  parse_classes(rj, c);
  entries = rules_json_array(rj, c->root, "", "entries", 1);
  if(rj->is_failed) {
    riskcat_free(c);
    return;
  }
  c->entries = xcalloc(json_array_size(entries), sizeof(*c->entries));
  json_array_foreach(entries, i, v)
  {
    rules_json_path(where, "entries[%zu]", i);
    c->n_entries = i + 1;
    parse_entry(rj, c, v, where, &c->entries[i]);
    if(rj->is_failed) {
      riskcat_free(c);
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
  rules_json_init(&rj, RISKCAT_FILE, &why);
  json = rules_json_embedded(&rj, RISKCAT_FILE, &len);
  if(json) {
    parse(&rj, json, len, &loaded);
  }
  if(rj.is_failed) {
    rules_json_die(&rj);
  }
  buf_free(&why);
}

/* The loaded data (loads it on first use). */
static const struct riskcat *data(void)
{
  pthread_once(&once, load);
  return &loaded;
}

const struct riskcat_entry *riskcat_entries(size_t *n)
{
  const struct riskcat *c = data();

  *n = c->n_entries;
  return c->entries;
}

const struct riskcat_entry *riskcat_find(const char *id)
{
  const struct riskcat *c = data();
  size_t i;

  for(i = 0; id && i < c->n_entries; i++) {
    if(!strcmp(c->entries[i].id, id)) {
      return &c->entries[i];
    }
  }
  return NULL;
}

const struct riskcat_asset_class *riskcat_asset_classes(size_t *n)
{
  const struct riskcat *c = data();

  *n = N_CLASSES;
  return c->classes;
}

unsigned riskcat_asset_parse(const char *s)
{
  return s ? class_bit(data(), s) : 0;
}

int riskcat_applies(const struct riskcat_entry *e, unsigned asset_bit)
{
  return asset_bit && (e->asset_classes & asset_bit) == asset_bit;
}

enum status riskcat_check(const char *json, size_t len, struct buf *why)
{
  struct rules_json rj;
  struct riskcat c;

  rules_json_init(&rj, RISKCAT_FILE, why);
  parse(&rj, json, len, &c);
  if(rj.is_failed) {
    return ST_INVALID;
  }
  riskcat_free(&c);
  return ST_OK;
}
