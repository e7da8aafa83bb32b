/*
 * grading.c: loads data/rules/grading.json (附表九) once per process
 * (see grading.h).  The jansson tree is kept for the process lifetime;
 * the strings point into it.
 */
#include "grading.h"

#include "rules_json.h"

#include <jansson.h>
#include <pthread.h>
#include <string.h>

#define GRADING_FILE   "grading.json"
#define GRADING_FORMAT 1

/* The ids the data must list, in enum grading_dim order. */
static const char *const dim_ids[GD_COUNT] = {
  "confidentiality",
  "integrity",
  "availability",
  "legal",
};

/* The loaded file. */
struct grading {
  json_t *root;                            /* strings point into it */
  struct grading_dimension dims[GD_COUNT]; /* enum order */
  struct grading_rules rules;              /* what callers see */
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct grading loaded; /* filled once by load(), then read-only */

/* Read the criteria object of dimension d at place path. */
static void parse_criteria(struct rules_json *rj, json_t *obj,
                           const char *path, struct grading_dimension *d)
{
  static const char *const levels[] = { "普", "中", "高" };
  char where[RULES_JSON_PATH_MAX];
  json_t *crit = json_object_get(obj, "criteria");
  size_t i;

  if(!json_is_object(crit)) {
    rules_json_fail(rj, path, "criteria", crit ? "not an object" : "missing");
    return;
  }
  if(json_object_size(crit) != 3) {
    rules_json_fail(rj, path, "criteria", "not exactly 普, 中 and 高");
    return;
  }
  for(i = 0; i < 3; i++) {
    int lv = prot_level_parse(levels[i]);
    json_t *cell = json_object_get(crit, levels[i]);
    rules_json_path(where, "%s.criteria", path);
    if(!json_is_object(cell)) {
      rules_json_fail(rj, where, levels[i],
                      cell ? "not an object" : "missing");
      return;
    }
    rules_json_path(where, "%s.criteria.%s", path, levels[i]);
    d->criterion[lv] = rules_json_str(rj, cell, where, "text");
    d->criterion_en[lv] = rules_json_str(rj, cell, where, "text_en");
  }
}

/* Parse and check the whole file into *g; on failure rj holds the
 * reason and the tree is released. */
static void parse(struct rules_json *rj, const char *json, size_t len,
                  struct grading *g)
{
  char where[RULES_JSON_PATH_MAX];
  struct grading_rules *r = &g->rules;
  json_t *dims, *rule, *core, *v;
  const char *combine, *core_level;
  size_t i;

  memset(g, 0, sizeof(*g));
  g->root = rules_json_parse(rj, json, len);
  if(rules_json_int(rj, g->root, "", "format") != GRADING_FORMAT &&
     !rj->is_failed) {
    rules_json_fail(rj, "", "format", "unknown format version");
  }
  r->title = rules_json_str(rj, g->root, "", "title");
  r->title_en = rules_json_str(rj, g->root, "", "title_en");
  r->source = rules_json_str(rj, g->root, "", "source");
  dims = rules_json_array(rj, g->root, "", "dimensions", 1);
  if(!rj->is_failed && json_array_size(dims) != GD_COUNT) {
    rules_json_fail(rj, "", "dimensions", "not exactly four dimensions");
  }
  json_array_foreach(dims, i, v)
  {
    struct grading_dimension *d = &g->dims[i];
    if(rj->is_failed) {
      break;
    }
    rules_json_path(where, "dimensions[%zu]", i);
    d->id = rules_json_str(rj, v, where, "id");
    d->name = rules_json_str(rj, v, where, "name");
    d->name_en = rules_json_str(rj, v, where, "name_en");
    if(!rj->is_failed && strcmp(d->id, dim_ids[i]) != 0) {
      rules_json_fail(rj, where, "id",
                      "not the dimension expected here "
                      "(confidentiality, integrity, "
                      "availability, legal)");
    }
    if(!rj->is_failed) {
      parse_criteria(rj, v, where, d);
    }
  }
  rule = json_object_get(g->root, "rule");
  combine = rules_json_str(rj, rule, "rule", "combine");
  r->rule = rules_json_str(rj, rule, "rule", "text");
  r->rule_en = rules_json_str(rj, rule, "rule", "text_en");
  if(!rj->is_failed && strcmp(combine, "max") != 0) {
    /* grading_level() implements "max"; the data must say the same. */
    rules_json_fail(rj, "rule", "combine", "not \"max\"");
  }
  core = json_object_get(g->root, "core_system");
  core_level = rules_json_str(rj, core, "core_system", "level");
  r->core = rules_json_str(rj, core, "core_system", "text");
  r->core_en = rules_json_str(rj, core, "core_system", "text_en");
  r->core_source = rules_json_str(rj, core, "core_system", "source");
  if(!rj->is_failed) {
    r->core_level = prot_level_parse(core_level);
    if(r->core_level == PL_NONE) {
      rules_json_fail(rj, "core_system", "level", "not 普, 中 or 高");
    }
  }
  if(rj->is_failed) {
    json_decref(g->root);
    memset(g, 0, sizeof(*g));
    return;
  }
  r->dims = g->dims;
  r->n_dims = GD_COUNT;
}

/* pthread_once routine: load the embedded file or abort. */
static void load(void)
{
  struct rules_json rj;
  struct buf why;
  const char *json;
  size_t len;

  buf_init(&why, 1024);
  rules_json_init(&rj, GRADING_FILE, &why);
  json = rules_json_embedded(&rj, GRADING_FILE, &len);
  if(json) {
    parse(&rj, json, len, &loaded);
  }
  if(rj.is_failed) {
    rules_json_die(&rj);
  }
  buf_free(&why);
}

const struct grading_rules *grading_rules(void)
{
  pthread_once(&once, load);
  return &loaded.rules;
}

const struct grading_dimension *grading_dimension(int dim)
{
  const struct grading_rules *r = grading_rules();

  if(dim < 0 || dim >= GD_COUNT) {
    return NULL;
  }
  return &r->dims[dim];
}

const struct grading_dimension *grading_dimension_find(const char *id)
{
  const struct grading_rules *r = grading_rules();
  size_t i;

  for(i = 0; id && i < r->n_dims; i++) {
    if(!strcmp(r->dims[i].id, id)) {
      return &r->dims[i];
    }
  }
  return NULL;
}

int grading_level(int c, int i, int a, int l)
{
  const int lv[GD_COUNT] = { c, i, a, l };
  int k, max = PL_NONE;

  for(k = 0; k < GD_COUNT; k++) {
    if(lv[k] < PL_LOW || lv[k] > PL_HIGH) {
      return PL_NONE;
    }
    if(lv[k] > max) {
      max = lv[k];
    }
  }
  return max;
}

int grading_is_core(int level)
{
  const struct grading_rules *r = grading_rules();

  return level >= r->core_level && level <= PL_HIGH;
}

enum status grading_check(const char *json, size_t len, struct buf *why)
{
  struct rules_json rj;
  struct grading g;

  rules_json_init(&rj, GRADING_FILE, why);
  parse(&rj, json, len, &g);
  if(rj.is_failed) {
    return ST_INVALID;
  }
  json_decref(g.root);
  return ST_OK;
}
