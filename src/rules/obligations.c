/*
 * obligations.c: loads data/rules/obligations.json once per process and
 * answers which duties apply and when they fall due (see obligations.h).
 * The jansson tree is kept for the process lifetime; the strings point
 * into it.
 */
#include "obligations.h"

#include "core/mem.h"
#include "core/str.h"
#include "rules_json.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define OBL_FILE       "obligations.json"
#define OBL_FORMAT     1
#define OBL_SETS_MAX   4
#define OBL_DUTIES_MAX 32 /* per set, and in the plan */
#define OBL_RULES_MAX  5  /* per duty: at most one per level */
#define OBL_LEVELS_ALL 0x1fu

/* The role keys an owner may name: the first column of auth/roles.def
 * (the other columns are dropped unexpanded, so rules/ does not depend
 * on auth/). */
static const char *const role_keys[] = {
#define ROLE(key, ...) key,
#include "auth/roles.def"
#undef ROLE
};

/* The duties of one list (a set's, or the plan's) and their rules. */
struct duty_list {
  struct obl_duty duties[OBL_DUTIES_MAX];
  struct obl_rule rules[OBL_DUTIES_MAX][OBL_RULES_MAX];
};

/* The loaded file.  Invariant after a successful parse: sets in
 * strictly increasing effective order with unique ids; duty ids unique
 * within a set and across the plan and the sets; every level appears at
 * most once in a duty's rules; every rule satisfies the sched_rule
 * invariant. */
struct obl_data {
  json_t *root; /* strings point into it */
  struct obl_set sets[OBL_SETS_MAX];
  struct duty_list set_duties[OBL_SETS_MAX];
  struct duty_list plan;
  struct obligations o; /* what callers see */
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct obl_data *loaded; /* filled once by load(), then read-only */

/* An optional integer key: 1 and *out when present, 0 when absent. */
static int opt_int(struct rules_json *rj, json_t *obj, const char *path,
                   const char *key, int *out)
{
  if(rj->is_failed || !json_object_get(obj, key)) {
    return 0;
  }
  *out = (int)rules_json_int(rj, obj, path, key);
  return !rj->is_failed;
}

/* Parse the "levels" of a rule into a bit set, refusing levels already
 * in *seen (the duty's earlier rules). */
static unsigned parse_levels(struct rules_json *rj, json_t *obj,
                             const char *path, unsigned *seen)
{
  json_t *levels = rules_json_array(rj, obj, path, "levels", 1);
  json_t *v;
  size_t i;
  unsigned bits = 0;

  json_array_foreach(levels, i, v)
  {
    const char *s = json_string_value(v);
    unsigned bit;
    if(rj->is_failed) {
      return 0;
    }
    if(!s || strlen(s) != 1 || s[0] < 'A' || s[0] > 'E') {
      rules_json_fail(rj, path, "levels", "not A, B, C, D or E");
      return 0;
    }
    bit = 1u << (s[0] - 'A');
    if((bits | *seen) & bit) {
      rules_json_fail(rj, path, "levels", "a level listed twice in a duty");
      return 0;
    }
    bits |= bit;
  }
  *seen |= bits;
  return bits;
}

/* Months between occurrences for a frequency name; -1 when unknown. */
static int frequency_months(struct rules_json *rj, json_t *obj,
                            const char *path, const char *freq)
{
  static const struct {
    const char *name;
    int months;
  } names[] = {
    { "once", 0 },        { "monthly", 1 }, { "quarterly", 3 },
    { "half_yearly", 6 }, { "yearly", 12 },
  };
  size_t i;
  int years = 0;
  int has_years = opt_int(rj, obj, path, "years", &years);

  if(rj->is_failed) {
    return -1;
  }
  if(!strcmp(freq, "years")) {
    if(!has_years || years < 2 || years > 10) {
      rules_json_fail(rj, path, "years",
                      has_years ? "not 2 to 10" : "missing");
      return -1;
    }
    return years * 12;
  }
  if(has_years) {
    rules_json_fail(rj, path, "years",
                    "only the frequency \"years\" has years");
    return -1;
  }
  for(i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if(!strcmp(freq, names[i].name)) {
      return names[i].months;
    }
  }
  rules_json_fail(rj, path, "frequency",
                  "not once, monthly, quarterly, half_yearly, yearly or "
                  "years");
  return -1;
}

/* Parse the frequency and anchor of rule obj into *w. */
static void parse_when(struct rules_json *rj, json_t *obj, const char *path,
                       int is_plan, struct sched_rule *w)
{
  const char *freq = rules_json_str(rj, obj, path, "frequency");
  const char *anchor = rules_json_str(rj, obj, path, "anchor");
  int has_within, has_month;

  if(rj->is_failed) {
    return;
  }
  w->every_months = frequency_months(rj, obj, path, freq);
  has_within = opt_int(rj, obj, path, "within_months", &w->within_months);
  has_month = opt_int(rj, obj, path, "month", &w->month);
  if(rj->is_failed) {
    return;
  }
  if(!strcmp(anchor, "level")) {
    w->anchor = SA_LEVEL;
  }
  else if(!strcmp(anchor, "amendment")) {
    w->anchor = SA_AMENDMENT;
    if(is_plan) {
      rules_json_fail(rj, path, "anchor",
                      "a plan duty comes from no amendment");
      return;
    }
  }
  else if(!strcmp(anchor, "month")) {
    w->anchor = SA_MONTH;
  }
  else {
    rules_json_fail(rj, path, "anchor", "not level, amendment or month");
    return;
  }
  if(has_within && (w->within_months < 1 || w->within_months > 120)) {
    rules_json_fail(rj, path, "within_months", "not 1 to 120");
  }
  else if(w->anchor == SA_MONTH) {
    if(!has_month || w->month < 1 || w->month > 12) {
      rules_json_fail(rj, path, "month",
                      has_month ? "not 1 to 12" : "missing");
    }
    else if(has_within) {
      rules_json_fail(rj, path, "within_months",
                      "a month-anchored duty falls in its month");
    }
    else if(w->every_months < 1 || w->every_months > 12) {
      rules_json_fail(rj, path, "frequency",
                      "a month anchor needs monthly to yearly");
    }
  }
  else if(has_month) {
    rules_json_fail(rj, path, "month", "only the anchor \"month\" has one");
  }
  else if(w->every_months == 0 && !has_within) {
    rules_json_fail(rj, path, "within_months",
                    "missing: a once duty is due within a period");
  }
}

/* Parse rule number i of a duty at place dpath into *r. */
static void parse_rule(struct rules_json *rj, json_t *obj, const char *dpath,
                       size_t i, int is_plan, unsigned *seen,
                       struct obl_rule *r)
{
  char where[RULES_JSON_PATH_MAX];

  rules_json_path(where, "%s.rules[%zu]", dpath, i);
  if(!json_is_object(obj)) {
    rules_json_fail(rj, where, "", "not an object");
    return;
  }
  r->levels = parse_levels(rj, obj, where, seen);
  parse_when(rj, obj, where, is_plan, &r->when);
  r->detail = rules_json_str_opt(rj, obj, where, "detail");
  r->detail_en = rules_json_str_opt(rj, obj, where, "detail_en");
  if(!rj->is_failed && !r->detail != !r->detail_en) {
    rules_json_fail(rj, where, r->detail ? "detail_en" : "detail",
                    "detail and detail_en go together");
  }
}

/* 1 when s is a non-empty run of a-z, 0-9 and _. */
static int is_key(const char *s)
{
  if(!*s) {
    return 0;
  }
  for(; *s; s++) {
    if(!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) {
      return 0;
    }
  }
  return 1;
}

/* Parse duty obj at place path into *d with its rules in r. */
static void parse_duty(struct rules_json *rj, json_t *obj, const char *path,
                       const struct obl_set *set, struct obl_duty *d,
                       struct obl_rule *r)
{
  json_t *rules, *v;
  size_t i;
  unsigned seen = 0;
  int is_role = 0;

  if(!json_is_object(obj)) {
    rules_json_fail(rj, path, "", "not an object");
    return;
  }
  d->id = rules_json_str(rj, obj, path, "id");
  d->name = rules_json_str(rj, obj, path, "name");
  d->name_en = rules_json_str(rj, obj, path, "name_en");
  d->chapter = (int)rules_json_int(rj, obj, path, "chapter");
  d->owner = rules_json_str(rj, obj, path, "owner");
  d->basis = rules_json_str(rj, obj, path, "basis");
  d->basis_en = rules_json_str(rj, obj, path, "basis_en");
  d->records = rules_json_str_opt(rj, obj, path, "records");
  d->set = set;
  if(rj->is_failed) {
    return;
  }
  for(i = 0; i < sizeof(role_keys) / sizeof(role_keys[0]); i++) {
    is_role |= !strcmp(role_keys[i], d->owner);
  }
  if(!is_key(d->id)) {
    rules_json_fail(rj, path, "id", "not lower-case letters, digits and _");
  }
  else if(d->chapter < 4 || d->chapter > 17) {
    rules_json_fail(rj, path, "chapter", "not a plan chapter 4 to 17");
  }
  else if(!is_role) {
    rules_json_fail(rj, path, "owner", "not a role of auth/roles.def");
  }
  rules = rules_json_array(rj, obj, path, "rules", 1);
  if(!rj->is_failed && json_array_size(rules) > OBL_RULES_MAX) {
    rules_json_fail(rj, path, "rules", "more than five rules");
  }
  json_array_foreach(rules, i, v)
  {
    if(rj->is_failed) {
      return;
    }
    parse_rule(rj, v, path, i, set == NULL, &seen, &r[i]);
  }
  d->rules = r;
  d->n_rules = json_array_size(rules);
}

/* 1 when id is the id of one of the n duties in list. */
static int has_id(const struct obl_duty *list, size_t n, const char *id)
{
  size_t i;

  for(i = 0; i < n; i++) {
    if(!strcmp(list[i].id, id)) {
      return 1;
    }
  }
  return 0;
}

/* Parse the duties array key of obj at place path into l; *n gets the
 * count.  other (n_other entries) are ids this list must not reuse. */
static void parse_duties(struct rules_json *rj, json_t *obj, const char *path,
                         const char *key, const struct obl_set *set,
                         struct duty_list *l, size_t *n,
                         const struct obligations *others)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *duties = rules_json_array(rj, obj, path, key, 1);
  json_t *v;
  size_t i, s;

  *n = 0;
  if(!rj->is_failed && json_array_size(duties) > OBL_DUTIES_MAX) {
    rules_json_fail(rj, path, key, "more than 32 duties");
  }
  json_array_foreach(duties, i, v)
  {
    if(rj->is_failed) {
      return;
    }
    rules_json_path(where, "%s%s%s[%zu]", path, *path ? "." : "", key, i);
    parse_duty(rj, v, where, set, &l->duties[i], l->rules[i]);
    if(rj->is_failed) {
      return;
    }
    if(has_id(l->duties, i, l->duties[i].id)) {
      rules_json_fail(rj, where, "id", "listed twice");
      return;
    }
    for(s = 0; others && s < others->n_sets; s++) {
      if(has_id(others->sets[s].duties, others->sets[s].n_duties,
                l->duties[i].id)) {
        rules_json_fail(rj, where, "id", "also the id of a statutory duty");
        return;
      }
    }
  }
  *n = json_array_size(duties);
}

/* Parse set number i (object obj) into d. */
static void parse_set(struct rules_json *rj, json_t *obj, size_t i,
                      struct obl_data *d)
{
  char where[RULES_JSON_PATH_MAX];
  struct obl_set *set = &d->sets[i];
  const char *eff;
  size_t k;

  rules_json_path(where, "sets[%zu]", i);
  if(!json_is_object(obj)) {
    rules_json_fail(rj, where, "", "not an object");
    return;
  }
  set->id = rules_json_str(rj, obj, where, "id");
  eff = rules_json_date(rj, obj, where, "effective");
  set->name = rules_json_str(rj, obj, where, "name");
  set->name_en = rules_json_str(rj, obj, where, "name_en");
  if(rj->is_failed) {
    return;
  }
  (void)time_parse_date(str_c(eff), &set->effective);
  for(k = 0; k < i; k++) {
    if(!strcmp(d->sets[k].id, set->id)) {
      rules_json_fail(rj, where, "id", "listed twice");
      return;
    }
  }
  if(i > 0 &&
     schedule_date_cmp(set->effective, d->sets[i - 1].effective) <= 0) {
    rules_json_fail(rj, where, "effective", "not after the previous set's");
    return;
  }
  parse_duties(rj, obj, where, "duties", set, &d->set_duties[i],
               &set->n_duties, NULL);
  set->duties = d->set_duties[i].duties;
}

/* The day before d. */
static struct date day_before(struct date d)
{
  if(d.day > 1) {
    d.day--;
    return d;
  }
  if(d.month > 1) {
    d.month--;
  }
  else {
    d.month = 12;
    d.year--;
  }
  d.day = time_days_in_month(d.year, d.month);
  return d;
}

/* Parse and check the whole file into *d; on failure rj holds the
 * reason and the tree is released. */
static void parse(struct rules_json *rj, const char *json, size_t len,
                  struct obl_data *d)
{
  json_t *sets, *v;
  size_t i;

  memset(d, 0, sizeof(*d));
  d->root = rules_json_parse(rj, json, len);
  if(rules_json_int(rj, d->root, "", "format") != OBL_FORMAT &&
     !rj->is_failed) {
    rules_json_fail(rj, "", "format", "unknown format version");
  }
  sets = rules_json_array(rj, d->root, "", "sets", 1);
  if(!rj->is_failed && json_array_size(sets) > OBL_SETS_MAX) {
    rules_json_fail(rj, "", "sets", "more than four sets");
  }
  json_array_foreach(sets, i, v)
  {
    if(rj->is_failed) {
      break;
    }
    parse_set(rj, v, i, d);
    if(i > 0) {
      d->sets[i - 1].until = day_before(d->sets[i].effective);
    }
  }
  d->o.sets = d->sets;
  d->o.n_sets = json_array_size(sets);
  if(!rj->is_failed) {
    parse_duties(rj, d->root, "", "plan", NULL, &d->plan, &d->o.n_plan, &d->o);
  }
  if(rj->is_failed) {
    json_decref(d->root);
    memset(d, 0, sizeof(*d));
    return;
  }
  d->o.plan = d->plan.duties;
}

/* pthread_once routine: load the embedded file or abort. */
static void load(void)
{
  struct rules_json rj;
  struct buf why;
  const char *json;
  size_t len;

  loaded = xcalloc(1, sizeof(*loaded)); /* lives for the process */
  buf_init(&why, 1024);
  rules_json_init(&rj, OBL_FILE, &why);
  json = rules_json_embedded(&rj, OBL_FILE, &len);
  if(json) {
    parse(&rj, json, len, loaded);
  }
  if(rj.is_failed) {
    rules_json_die(&rj);
  }
  buf_free(&why);
}

const struct obligations *obligations(void)
{
  pthread_once(&once, load);
  return &loaded->o;
}

enum status obligations_check(const char *json, size_t len, struct buf *why)
{
  struct rules_json rj;
  struct obl_data *d = xcalloc(1, sizeof(*d)); /* large: not on the stack */
  enum status st = ST_OK;

  rules_json_init(&rj, OBL_FILE, why);
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

/* ---- questions ---- */

const struct obl_set *obligations_set_on(const struct obligations *o,
                                         struct date on)
{
  const struct obl_set *found = NULL;
  size_t i;

  for(i = 0; i < o->n_sets; i++) {
    if(schedule_date_cmp(o->sets[i].effective, on) <= 0) {
      found = &o->sets[i];
    }
  }
  return found;
}

/* Append the duties of list (n) that have a rule for level bit. */
static size_t add_items(const struct obl_duty *list, size_t n, unsigned bit,
                        struct obl_item *out, size_t at, size_t cap)
{
  size_t i, k;

  for(i = 0; i < n && at < cap; i++) {
    for(k = 0; k < list[i].n_rules; k++) {
      if(list[i].rules[k].levels & bit) {
        out[at].duty = &list[i];
        out[at].rule = &list[i].rules[k];
        at++;
        break;
      }
    }
  }
  return at;
}

size_t obligations_for(const struct obligations *o, const char *level,
                       struct date on, struct obl_item *out, size_t cap)
{
  const struct obl_set *set = obligations_set_on(o, on);
  unsigned bit;
  size_t n = 0;

  if(!level || strlen(level) != 1 || level[0] < 'A' || level[0] > 'E') {
    return 0;
  }
  bit = 1u << (level[0] - 'A');
  if(set) {
    n = add_items(set->duties, set->n_duties, bit, out, n, cap);
  }
  return add_items(o->plan, o->n_plan, bit, out, n, cap);
}

size_t obligations_dates(const struct obl_item *item,
                         const struct obl_agency *ag, struct date from,
                         struct date to, struct date *out, size_t cap)
{
  const struct obl_set *set = item->duty->set;
  struct sched_anchors a;

  memset(&a, 0, sizeof(a));
  a.level_approved = ag->level_approved;
  a.level_changed = ag->level_changed;
  if(set) {
    a.amendment = set->effective;
    if(schedule_date_cmp(from, set->effective) < 0) {
      from = set->effective;
    }
    if(set->until.year != 0 && schedule_date_cmp(to, set->until) > 0) {
      to = set->until;
    }
  }
  if(ag->level_until.year != 0 && schedule_date_cmp(to, ag->level_until) > 0) {
    to = ag->level_until;
  }
  return schedule_dates(&item->rule->when, &a, from, to, out, cap);
}
