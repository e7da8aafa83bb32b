/*
 * drill.c: loads data/rules/drill.json once per process and computes the
 * drill frequency check (see drill.h).  The jansson tree is kept for the
 * process lifetime; the strings point into it.
 */
#include "drill.h"

#include "core/mem.h"
#include "rules_json.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define DRILL_FILE       "drill.json"
#define DRILL_FORMAT     1
#define DRILL_CHECKS_MAX 16
#define DRILL_LEVELS     5 /* A … E */
#define DRILL_YEARS_MAX  10

/* The loaded file.  Invariant after a successful parse: kinds unique,
 * calendar checks have years and a rule, rolling checks have levels
 * (each level at most once). */
struct drill_data {
  json_t *root;                                /* strings point into it */
  struct drill_check checks[DRILL_CHECKS_MAX]; /* file order */
  struct drill_level_rule levels[DRILL_CHECKS_MAX][DRILL_LEVELS]; /* of
                                                     each check */
  struct drill_rules rules; /* what callers see */
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct drill_data loaded; /* filled once by load(), then read-only */

/* Parse the "levels" of rolling check c at place path. */
static void parse_levels(struct rules_json *rj, json_t *obj, const char *path,
                         struct drill_check *c, struct drill_level_rule *out)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *levels = rules_json_array(rj, obj, path, "levels", 1);
  json_t *v;
  size_t i, k;

  if(!rj->is_failed && json_array_size(levels) > DRILL_LEVELS) {
    rules_json_fail(rj, path, "levels", "more than five levels");
  }
  json_array_foreach(levels, i, v)
  {
    struct drill_level_rule *l = &out[i];
    if(rj->is_failed) {
      return;
    }
    rules_json_path(where, "%s.levels[%zu]", path, i);
    l->level = rules_json_str(rj, v, where, "level");
    l->months = (int)rules_json_int(rj, v, where, "months");
    l->rule = rules_json_str(rj, v, where, "rule");
    l->rule_en = rules_json_str(rj, v, where, "rule_en");
    if(rj->is_failed) {
      return;
    }
    if(strlen(l->level) != 1 || l->level[0] < 'A' || l->level[0] > 'E') {
      rules_json_fail(rj, where, "level", "not A, B, C, D or E");
    }
    else if(l->months < 1 || l->months > 120) {
      rules_json_fail(rj, where, "months", "not 1 to 120");
    }
    for(k = 0; !rj->is_failed && k < i; k++) {
      if(!strcmp(out[k].level, l->level)) {
        rules_json_fail(rj, where, "level", "listed twice");
      }
    }
  }
  c->levels = out;
  c->n_levels = json_array_size(levels);
}

/* Parse check number i (object v) into *c. */
static void parse_check(struct rules_json *rj, json_t *v, size_t i,
                        struct drill_check *c, struct drill_level_rule *lv)
{
  char where[RULES_JSON_PATH_MAX];
  const char *period;

  rules_json_path(where, "checks[%zu]", i);
  c->kind = rules_json_str(rj, v, where, "kind");
  period = rules_json_str(rj, v, where, "period");
  c->basis = rules_json_str(rj, v, where, "basis");
  c->basis_en = rules_json_str(rj, v, where, "basis_en");
  if(rj->is_failed) {
    return;
  }
  if(!strcmp(period, "rolling")) {
    c->period = DP_ROLLING;
    if(json_object_get(v, "years") || json_object_get(v, "rule")) {
      rules_json_fail(rj, where, "years",
                      "a rolling check has levels, not years or a rule");
      return;
    }
    parse_levels(rj, v, where, c, lv);
    return;
  }
  if(!strcmp(period, "half_year")) {
    c->period = DP_HALF_YEAR;
  }
  else if(!strcmp(period, "year")) {
    c->period = DP_YEAR;
  }
  else {
    rules_json_fail(rj, where, "period",
                    "not \"half_year\", \"year\" or \"rolling\"");
    return;
  }
  if(json_object_get(v, "levels")) {
    rules_json_fail(rj, where, "levels", "only a rolling check has levels");
    return;
  }
  c->years = (int)rules_json_int(rj, v, where, "years");
  c->rule = rules_json_str(rj, v, where, "rule");
  c->rule_en = rules_json_str(rj, v, where, "rule_en");
  if(!rj->is_failed && (c->years < 1 || c->years > DRILL_YEARS_MAX)) {
    rules_json_fail(rj, where, "years", "not 1 to 10");
  }
}

/* Parse and check the whole file into *d; on failure rj holds the
 * reason and the tree is released. */
static void parse(struct rules_json *rj, const char *json, size_t len,
                  struct drill_data *d)
{
  json_t *checks, *v;
  size_t i, k;

  memset(d, 0, sizeof(*d));
  d->root = rules_json_parse(rj, json, len);
  if(rules_json_int(rj, d->root, "", "format") != DRILL_FORMAT &&
     !rj->is_failed) {
    rules_json_fail(rj, "", "format", "unknown format version");
  }
  checks = rules_json_array(rj, d->root, "", "checks", 1);
  if(!rj->is_failed && json_array_size(checks) > DRILL_CHECKS_MAX) {
    rules_json_fail(rj, "", "checks", "more than 16 checks");
  }
  json_array_foreach(checks, i, v)
  {
    if(rj->is_failed) {
      break;
    }
    parse_check(rj, v, i, &d->checks[i], d->levels[i]);
    for(k = 0; !rj->is_failed && k < i; k++) {
      if(!strcmp(d->checks[k].kind, d->checks[i].kind)) {
        char where[RULES_JSON_PATH_MAX];
        rules_json_path(where, "checks[%zu]", i);
        rules_json_fail(rj, where, "kind", "a kind has one check");
      }
    }
  }
  if(rj->is_failed) {
    json_decref(d->root);
    memset(d, 0, sizeof(*d));
    return;
  }
  d->rules.checks = d->checks;
  d->rules.n_checks = json_array_size(checks);
}

/* pthread_once routine: load the embedded file or abort. */
static void load(void)
{
  struct rules_json rj;
  struct buf why;
  const char *json;
  size_t len;

  buf_init(&why, 1024);
  rules_json_init(&rj, DRILL_FILE, &why);
  json = rules_json_embedded(&rj, DRILL_FILE, &len);
  if(json) {
    parse(&rj, json, len, &loaded);
  }
  if(rj.is_failed) {
    rules_json_die(&rj);
  }
  buf_free(&why);
}

const struct drill_rules *drill_rules(void)
{
  pthread_once(&once, load);
  return &loaded.rules;
}

enum status drill_rules_check(const char *json, size_t len, struct buf *why)
{
  struct rules_json rj;
  struct drill_data *d = xcalloc(1, sizeof(*d)); /* 4 KiB: not on the
                                                    stack */
  enum status st = ST_OK;

  rules_json_init(&rj, DRILL_FILE, why);
  parse(&rj, json, len, d);
  if(rj.is_failed) {
    st = ST_INVALID;
  }
  else {
    json_decref(d->root);
  }
  free(d);
  return st;
}

/* ---- the check ---- */

int drill_date_cmp(struct date a, struct date b)
{
  if(a.year != b.year) {
    return a.year < b.year ? -1 : 1;
  }
  if(a.month != b.month) {
    return a.month < b.month ? -1 : 1;
  }
  if(a.day != b.day) {
    return a.day < b.day ? -1 : 1;
  }
  return 0;
}

struct date drill_months_before(struct date d, int months)
{
  int m = d.year * 12 + (d.month - 1) - months;
  struct date out;
  int last;

  out.year = m / 12;
  out.month = m % 12 + 1;
  last = time_days_in_month(out.year, out.month);
  out.day = d.day > last ? last : d.day;
  return out;
}

/* The latest drill of kind held within [from, to]: 1 and *out, or 0. */
static int latest_in(const char *kind, struct date from, struct date to,
                     const struct drill_held *held, size_t n_held,
                     struct date *out)
{
  size_t i;
  int found = 0;

  for(i = 0; i < n_held; i++) {
    if(!held[i].kind || strcmp(held[i].kind, kind) != 0 ||
       drill_date_cmp(held[i].on, from) < 0 ||
       drill_date_cmp(held[i].on, to) > 0) {
      continue;
    }
    if(!found || drill_date_cmp(held[i].on, *out) > 0) {
      *out = held[i].on;
      found = 1;
    }
  }
  return found;
}

int drill_last_held(const char *kind, struct date today,
                    const struct drill_held *held, size_t n_held,
                    struct date *out)
{
  struct date first = { 1, 1, 1 };
  return latest_in(kind, first, today, held, n_held, out);
}

/* Fill row r of check c for the period [from, to] as of today. */
static void fill_row(struct drill_period_row *r, const struct drill_check *c,
                     struct date from, struct date to, struct date today,
                     const struct drill_held *held, size_t n_held)
{
  struct date upto = drill_date_cmp(to, today) > 0 ? today : to;

  r->check = c;
  r->from = from;
  r->to = to;
  r->is_current =
    drill_date_cmp(from, today) <= 0 && drill_date_cmp(today, to) <= 0;
  r->is_applicable = 1;
  r->is_done = latest_in(c->kind, from, upto, held, n_held, &r->last);
}

size_t drill_freq(const struct drill_rules *rules, struct date today,
                  const char *level, const struct drill_held *held,
                  size_t n_held, struct drill_period_row *out, size_t cap)
{
  size_t n = 0, i, k;

  for(i = 0; i < rules->n_checks && n < cap; i++) {
    const struct drill_check *c = &rules->checks[i];
    int y, h;

    if(c->period == DP_ROLLING) {
      const struct drill_level_rule *l = NULL;
      struct drill_period_row *r = &out[n++];
      for(k = 0; level && k < c->n_levels; k++) {
        if(!strcmp(c->levels[k].level, level)) {
          l = &c->levels[k];
        }
      }
      memset(r, 0, sizeof(*r));
      r->check = c;
      r->to = today;
      if(!l) {
        continue; /* no such duty at this level, or no level known */
      }
      fill_row(r, c, drill_months_before(today, l->months), today, today, held,
               n_held);
      r->rule = l->rule;
      r->rule_en = l->rule_en;
      continue;
    }
    for(y = today.year; y > today.year - c->years && n < cap; y--) {
      for(h = c->period == DP_HALF_YEAR ? 2 : 0; h >= 0 && n < cap; h--) {
        struct date from = { y, 1, 1 }, to = { y, 12, 31 };
        struct drill_period_row *r;
        if(h == 0 && c->period == DP_HALF_YEAR) {
          break;
        }
        if(h == 1) {
          to.month = 6;
          to.day = 30;
        }
        else if(h == 2) {
          from.month = 7;
        }
        if(drill_date_cmp(from, today) > 0) {
          continue; /* has not begun */
        }
        r = &out[n++];
        memset(r, 0, sizeof(*r));
        fill_row(r, c, from, to, today, held, n_held);
        r->half = h;
        r->rule = c->rule;
        r->rule_en = c->rule_en;
      }
    }
  }
  return n;
}
