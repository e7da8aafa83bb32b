/*
 * incident.c: loads data/rules/incident.json (the incident rules, every
 * set) once per process and answers the level and the clocks of an
 * incident (see incident.h).  The jansson tree is kept for the process
 * lifetime: the strings of the structs point into it, and nothing
 * modifies it after loading.
 */
#include "incident.h"

#include "core/mem.h"
#include "core/str.h"
#include "rules_json.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INCIDENT_FILE   "incident.json"
#define INCIDENT_FORMAT 1

/* Hours and months in the data must lie in 1..CLOCK_MAX. */
#define CLOCK_MAX 1000

/* The ids of enum incident_kind and enum incident_impact, in order. */
static const char *const kind_ids[IK_COUNT] = {
  "noncore", "core", "core_ci", "classified", "sensitive", "state_secret",
};
static const char *const impact_ids[IM_COUNT] = {
  "leak_minor",     "leak_serious",    "tamper_minor",
  "tamper_serious", "down_within_mtd", "down_beyond_mtd",
};

/* The loaded file.  Invariant after a successful parse: sets are in
 * ascending effective order and do not overlap, row ids are unique
 * across sets, every row names only kinds and impacts its set lists. */
struct incident_data {
  json_t *root;                /* the parsed file; strings point into it */
  struct incident_rules *sets; /* n_sets entries, oldest first */
  size_t n_sets;               /* entries in sets */
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct incident_data loaded; /* filled once by load(), read-only */

/* The index of id in ids[0..n), or -1. */
static int index_of(const char *const *ids, int n, const char *id)
{
  int i;

  for(i = 0; id && i < n; i++) {
    if(!strcmp(ids[i], id)) {
      return i;
    }
  }
  return -1;
}

/* Release what parse() allocated (d may be partly filled). */
static void data_free(struct incident_data *d)
{
  size_t i;

  for(i = 0; i < d->n_sets; i++) {
    /* The arrays are const to readers only; we allocated them. */
    struct incident_rules *s = &d->sets[i];
    free((void *)(uintptr_t)s->kinds);
    free((void *)(uintptr_t)s->impacts);
    free((void *)(uintptr_t)s->rows);
    free((void *)(uintptr_t)s->fields);
    free((void *)(uintptr_t)s->items);
  }
  free(d->sets);
  json_decref(d->root);
  memset(d, 0, sizeof(*d));
}

/*
 * Read the array key of obj as terms into a new array (*n entries).
 * With ids (n_ids entries) every term's id must be one of them and its
 * code is that index; otherwise the code is the position.  Ids must be
 * unique.  Returns the array (free() it), or NULL after an error.
 */
static struct incident_term *parse_terms(struct rules_json *rj, json_t *obj,
                                         const char *path, const char *key,
                                         const char *const *ids, int n_ids,
                                         size_t *n)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *arr = rules_json_array(rj, obj, path, key, 1);
  struct incident_term *terms;
  json_t *v;
  size_t i, k;

  *n = 0;
  if(rj->is_failed) {
    return NULL;
  }
  terms = xcalloc(json_array_size(arr), sizeof(*terms));
  json_array_foreach(arr, i, v)
  {
    struct incident_term *t = &terms[i];
    rules_json_path(where, "%s.%s[%zu]", path, key, i);
    t->id = rules_json_str(rj, v, where, "id");
    t->name = rules_json_str(rj, v, where, "name");
    t->name_en = rules_json_str(rj, v, where, "name_en");
    if(rj->is_failed) {
      break;
    }
    t->code = ids ? index_of(ids, n_ids, t->id) : (int)i;
    if(t->code < 0) {
      rules_json_fail(rj, where, "id", "unknown id");
      break;
    }
    for(k = 0; k < i; k++) {
      if(!strcmp(terms[k].id, t->id)) {
        rules_json_fail(rj, where, "id", "duplicate id");
        break;
      }
    }
  }
  if(rj->is_failed) {
    free(terms);
    return NULL;
  }
  *n = json_array_size(arr);
  return terms;
}

/* The set of codes of terms[0..n) as bits. */
static unsigned term_mask(const struct incident_term *terms, size_t n)
{
  unsigned m = 0;
  size_t i;

  for(i = 0; i < n; i++) {
    m |= 1u << terms[i].code;
  }
  return m;
}

/* Read hours or months (key) of obj, checking 1..CLOCK_MAX. */
static int parse_count(struct rules_json *rj, json_t *obj, const char *path,
                       const char *key)
{
  long long v = rules_json_int(rj, obj, path, key);

  if(!rj->is_failed && (v < 1 || v > CLOCK_MAX)) {
    rules_json_fail(rj, path, key, "not between 1 and 1000");
    return 0;
  }
  return (int)v;
}

/* Read clock key of the clocks object at path. */
static void parse_clock(struct rules_json *rj, json_t *clocks,
                        const char *path, const char *key,
                        struct incident_clock *c)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *obj = json_object_get(clocks, key);

  if(rj->is_failed) {
    return;
  }
  if(!json_is_object(obj)) {
    rules_json_fail(rj, path, key, obj ? "not an object" : "missing");
    return;
  }
  rules_json_path(where, "%s.%s", path, key);
  c->name = rules_json_str(rj, obj, where, "name");
  c->name_en = rules_json_str(rj, obj, where, "name_en");
  c->text = rules_json_str(rj, obj, where, "text");
  c->text_en = rules_json_str(rj, obj, where, "text_en");
  c->article = rules_json_str(rj, obj, where, "article");
  c->article_en = rules_json_str(rj, obj, where, "article_en");
}

/* Read the clocks object of set s at place path. */
static void parse_clocks(struct rules_json *rj, json_t *set, const char *path,
                         struct incident_rules *s)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *clocks = json_object_get(set, "clocks");

  if(rj->is_failed) {
    return;
  }
  if(!json_is_object(clocks)) {
    rules_json_fail(rj, path, "clocks", clocks ? "not an object" : "missing");
    return;
  }
  rules_json_path(where, "%s.clocks", path);
  parse_clock(rj, clocks, where, "notify", &s->notify);
  parse_clock(rj, clocks, where, "contain", &s->contain);
  parse_clock(rj, clocks, where, "report", &s->report);
  parse_clock(rj, clocks, where, "review", &s->review);
  rules_json_path(where, "%s.clocks.notify", path);
  s->notify_hours =
    parse_count(rj, json_object_get(clocks, "notify"), where, "hours");
  rules_json_path(where, "%s.clocks.report", path);
  s->report_months =
    parse_count(rj, json_object_get(clocks, "report"), where, "months");
}

/* Read the levels array of set s: exactly 1..INCIDENT_LEVEL_MAX in
 * order. */
static void parse_levels(struct rules_json *rj, json_t *set, const char *path,
                         struct incident_rules *s)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *levels = rules_json_array(rj, set, path, "levels", 1);
  json_t *v;
  size_t i;

  if(rj->is_failed) {
    return;
  }
  if(json_array_size(levels) != INCIDENT_LEVEL_MAX) {
    rules_json_fail(rj, path, "levels", "not exactly levels 1 to 4");
    return;
  }
  json_array_foreach(levels, i, v)
  {
    struct incident_level_info *l = &s->levels[i + 1];
    rules_json_path(where, "%s.levels[%zu]", path, i);
    l->level = (int)rules_json_int(rj, v, where, "level");
    l->name = rules_json_str(rj, v, where, "name");
    l->name_en = rules_json_str(rj, v, where, "name_en");
    l->is_major = rules_json_bool(rj, v, where, "major", 1);
    l->contain_hours = parse_count(rj, v, where, "contain_hours");
    l->review_hours = parse_count(rj, v, where, "review_hours");
    if(!rj->is_failed && l->level != (int)i + 1) {
      rules_json_fail(rj, where, "level", "not the level expected here");
    }
    if(rj->is_failed) {
      return;
    }
  }
}

/* The first row with id among sets[0..n_sets); rows not yet read have a
 * NULL id and are skipped. */
static const struct incident_row *find_row(const struct incident_rules *sets,
                                           size_t n_sets, const char *id)
{
  size_t i, k;

  for(i = 0; i < n_sets; i++) {
    for(k = 0; k < sets[i].n_rows; k++) {
      if(sets[i].rows[k].id && !strcmp(sets[i].rows[k].id, id)) {
        return &sets[i].rows[k];
      }
    }
  }
  return NULL;
}

/*
 * Read the string array key of row obj as a set of codes: each entry
 * must be one of ids (n_ids) and in allowed (the set's own terms).
 */
static unsigned parse_codes(struct rules_json *rj, json_t *obj,
                            const char *path, const char *key,
                            const char *const *ids, int n_ids,
                            unsigned allowed)
{
  char where[RULES_JSON_PATH_MAX], what[RULES_JSON_PATH_MAX];
  json_t *arr = rules_json_array(rj, obj, path, key, 1);
  unsigned codes = 0;
  json_t *v;
  size_t i;

  json_array_foreach(arr, i, v)
  {
    int code;
    if(rj->is_failed) {
      break;
    }
    rules_json_path(where, "%s.%s[%zu]", path, key, i);
    if(!json_is_string(v)) {
      rules_json_fail(rj, where, "", "not a string");
      break;
    }
    code = index_of(ids, n_ids, json_string_value(v));
    if(code < 0 || !(allowed >> code & 1u)) {
      rules_json_path(what, "\"%s\" is not %s of this set",
                      json_string_value(v),
                      ids == kind_ids ? "a kind" : "an impact");
      rules_json_fail(rj, where, "", what);
      break;
    }
    codes |= 1u << code;
  }
  return codes;
}

/* Read one row at place path of set s (index i_set of d). */
static void parse_row(struct rules_json *rj, struct incident_data *d,
                      size_t i_set, json_t *obj, const char *path,
                      struct incident_row *r)
{
  const struct incident_rules *s = &d->sets[i_set];
  long long level;
  size_t name_len;

  r->set = s;
  r->id = rules_json_str(rj, obj, path, "id");
  level = rules_json_int(rj, obj, path, "level");
  if(!rj->is_failed && (level < 1 || level > INCIDENT_LEVEL_MAX)) {
    rules_json_fail(rj, path, "level", "not 1 to 4");
  }
  r->level = (int)level;
  r->kinds = parse_codes(rj, obj, path, "kinds", kind_ids, IK_COUNT,
                         term_mask(s->kinds, s->n_kinds));
  r->impacts = parse_codes(rj, obj, path, "impacts", impact_ids, IM_COUNT,
                           term_mask(s->impacts, s->n_impacts));
  r->needs_daily_work = rules_json_bool(rj, obj, path, "daily_work", 0);
  r->text = rules_json_str(rj, obj, path, "text");
  r->text_en = rules_json_str(rj, obj, path, "text_en");
  r->article = rules_json_str(rj, obj, path, "article");
  r->article_en = rules_json_str(rj, obj, path, "article_en");
  if(rj->is_failed) {
    return;
  }
  name_len = strlen(s->name);
  if(strncmp(r->id, s->name, name_len) != 0 || r->id[name_len] != '-') {
    rules_json_fail(rj, path, "id", "does not start with the set's name");
    return;
  }
  if(find_row(d->sets, i_set + 1, r->id) != r) {
    rules_json_fail(rj, path, "id", "duplicate id");
  }
}

/* Read the object key of set (a source and its items) into terms. */
static void parse_list(struct rules_json *rj, json_t *set, const char *path,
                       const char *key, const char **source,
                       const char **source_en,
                       const struct incident_term **terms, size_t *n)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *obj = json_object_get(set, key);

  if(rj->is_failed) {
    return;
  }
  if(!json_is_object(obj)) {
    rules_json_fail(rj, path, key, obj ? "not an object" : "missing");
    return;
  }
  rules_json_path(where, "%s.%s", path, key);
  *source = rules_json_str(rj, obj, where, "source");
  *source_en = rules_json_str(rj, obj, where, "source_en");
  *terms = parse_terms(rj, obj, where, "items", NULL, 0, n);
}

/* Read one set at place path into d->sets[i_set]. */
static void parse_set(struct rules_json *rj, struct incident_data *d,
                      size_t i_set, json_t *obj, const char *path)
{
  struct incident_rules *s = &d->sets[i_set];
  char where[RULES_JSON_PATH_MAX];
  struct incident_row *rows;
  json_t *arr, *daily, *v;
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
  if(rj->is_failed) {
    return;
  }
  for(i = 0; i < i_set; i++) {
    if(!strcmp(d->sets[i].name, s->name)) {
      rules_json_fail(rj, path, "name", "duplicate set name");
      return;
    }
  }
  if(s->until && strcmp(s->until, s->effective) < 0) {
    rules_json_fail(rj, path, "until", "before effective");
    return;
  }
  if(i_set > 0) {
    const struct incident_rules *prev = &d->sets[i_set - 1];
    if(!prev->until || strcmp(prev->until, s->effective) >= 0) {
      rules_json_fail(rj, path, "effective",
                      "the previous set is open-ended or still in force");
      return;
    }
  }
  s->kinds =
    parse_terms(rj, obj, path, "kinds", kind_ids, IK_COUNT, &s->n_kinds);
  s->impacts =
    parse_terms(rj, obj, path, "impacts", impact_ids, IM_COUNT, &s->n_impacts);
  daily = json_object_get(obj, "daily_work");
  rules_json_path(where, "%s.daily_work", path);
  s->daily_work = rules_json_str(rj, daily, where, "name");
  s->daily_work_en = rules_json_str(rj, daily, where, "name_en");
  parse_levels(rj, obj, path, s);
  parse_clocks(rj, obj, path, s);
  parse_list(rj, obj, path, "notification_fields", &s->fields_source,
             &s->fields_source_en, &s->fields, &s->n_fields);
  parse_list(rj, obj, path, "report_items", &s->items_source,
             &s->items_source_en, &s->items, &s->n_items);
  arr = rules_json_array(rj, obj, path, "rows", 1);
  if(rj->is_failed) {
    return;
  }
  rows = xcalloc(json_array_size(arr), sizeof(*rows));
  s->rows = rows;
  json_array_foreach(arr, i, v)
  {
    rules_json_path(where, "%s.rows[%zu]", path, i);
    s->n_rows = i + 1;
    parse_row(rj, d, i_set, v, where, &rows[i]);
    if(rj->is_failed) {
      return;
    }
  }
}

/* Parse and check the whole file into *d; on failure d is released and
 * rj holds the reason. */
static void parse(struct rules_json *rj, const char *json, size_t len,
                  struct incident_data *d)
{
  char where[RULES_JSON_PATH_MAX];
  json_t *sets, *v;
  size_t i;

  memset(d, 0, sizeof(*d));
  d->root = rules_json_parse(rj, json, len);
  if(rules_json_int(rj, d->root, "", "format") != INCIDENT_FORMAT &&
     !rj->is_failed) {
    rules_json_fail(rj, "", "format", "unknown format version");
  }
  sets = rules_json_array(rj, d->root, "", "sets", 1);
  if(rj->is_failed) {
    data_free(d);
    return;
  }
  d->sets = xcalloc(json_array_size(sets), sizeof(*d->sets));
  json_array_foreach(sets, i, v)
  {
    rules_json_path(where, "sets[%zu]", i);
    d->n_sets = i + 1;
    parse_set(rj, d, i, v, where);
    if(rj->is_failed) {
      data_free(d);
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
  rules_json_init(&rj, INCIDENT_FILE, &why);
  json = rules_json_embedded(&rj, INCIDENT_FILE, &len);
  if(json) {
    parse(&rj, json, len, &loaded);
  }
  if(rj.is_failed) {
    rules_json_die(&rj);
  }
  buf_free(&why);
}

/* The loaded data (loads it on first use). */
static const struct incident_data *data(void)
{
  pthread_once(&once, load);
  return &loaded;
}

const struct incident_rules *incident_rules_all(size_t *n)
{
  const struct incident_data *d = data();

  *n = d->n_sets;
  return d->sets;
}

const struct incident_rules *incident_rules_find(const char *name)
{
  const struct incident_data *d = data();
  size_t i;

  for(i = 0; name && i < d->n_sets; i++) {
    if(!strcmp(d->sets[i].name, name)) {
      return &d->sets[i];
    }
  }
  return NULL;
}

const struct incident_rules *incident_rules_at(int64_t awareness_utc)
{
  const struct incident_data *d = data();
  struct buf date;
  const struct incident_rules *found = NULL;
  size_t i;

  buf_init(&date, 16);
  time_format_date(&date, time_taipei_date(awareness_utc));
  /* YYYY-MM-DD strings compare like the dates they name. */
  for(i = d->n_sets; !date.err && i > 0; i--) {
    if(strcmp(d->sets[i - 1].effective, date.data) <= 0) {
      found = &d->sets[i - 1];
      break;
    }
  }
  buf_free(&date);
  return found;
}

const struct incident_row *incident_row_find(const char *id)
{
  const struct incident_data *d = data();

  return id ? find_row(d->sets, d->n_sets, id) : NULL;
}

/* The term with code among terms[0..n), or NULL. */
static const struct incident_term *term_of(const struct incident_term *terms,
                                           size_t n, int code)
{
  size_t i;

  for(i = 0; i < n; i++) {
    if(terms[i].code == code) {
      return &terms[i];
    }
  }
  return NULL;
}

const struct incident_term *
incident_kind_term(const struct incident_rules *rules, int kind)
{
  return term_of(rules->kinds, rules->n_kinds, kind);
}

const struct incident_term *
incident_impact_term(const struct incident_rules *rules, int impact)
{
  return term_of(rules->impacts, rules->n_impacts, impact);
}

int incident_kind_parse(const char *id)
{
  return index_of(kind_ids, IK_COUNT, id);
}

int incident_impact_parse(const char *id)
{
  return index_of(impact_ids, IM_COUNT, id);
}

void incident_facts_init(struct incident_facts *f)
{
  memset(f, 0, sizeof(*f));
}

void incident_facts_add(struct incident_facts *f, int kind, int impact)
{
  if(kind < 0 || kind >= IK_COUNT || impact < 0 || impact >= IM_COUNT) {
    return;
  }
  f->impacts[kind] |= 1u << impact;
}

/* 1 if facts name only kinds and impacts that rules knows. */
static int facts_fit(const struct incident_rules *rules,
                     const struct incident_facts *f)
{
  unsigned kinds = term_mask(rules->kinds, rules->n_kinds);
  unsigned impacts = term_mask(rules->impacts, rules->n_impacts);
  int k;

  for(k = 0; k < IK_COUNT; k++) {
    if(f->impacts[k] && (!(kinds >> k & 1u) || (f->impacts[k] & ~impacts))) {
      return 0;
    }
  }
  return 1;
}

/* 1 if row r matches facts f. */
static int row_matches(const struct incident_row *r,
                       const struct incident_facts *f)
{
  int k;

  if(r->needs_daily_work && !f->is_daily_work_affected) {
    return 0;
  }
  for(k = 0; k < IK_COUNT; k++) {
    if((r->kinds >> k & 1u) && (f->impacts[k] & r->impacts)) {
      return 1;
    }
  }
  return 0;
}

enum status incident_level(const struct incident_rules *rules,
                           const struct incident_facts *facts, int *level,
                           const struct incident_row **row)
{
  const struct incident_row *best = NULL;
  size_t i;

  *level = 0;
  if(row) {
    *row = NULL;
  }
  if(!facts_fit(rules, facts)) {
    return ST_INVALID;
  }
  for(i = 0; i < rules->n_rows; i++) {
    const struct incident_row *r = &rules->rows[i];
    /* Strictly higher only: the first row of a level keeps it. */
    if(row_matches(r, facts) && (!best || r->level > best->level)) {
      best = r;
    }
  }
  if(best) {
    *level = best->level;
    if(row) {
      *row = best;
    }
  }
  return ST_OK;
}

size_t incident_matches(const struct incident_rules *rules,
                        const struct incident_facts *facts,
                        const struct incident_row **rows, size_t max)
{
  size_t i, n = 0;

  if(!facts_fit(rules, facts)) {
    return 0;
  }
  for(i = 0; i < rules->n_rows; i++) {
    if(row_matches(&rules->rows[i], facts)) {
      if(n < max) {
        rows[n] = &rules->rows[i];
      }
      n++;
    }
  }
  return n;
}

int incident_is_major(const struct incident_rules *rules, int level)
{
  if(level < 1 || level > INCIDENT_LEVEL_MAX) {
    return 0;
  }
  return rules->levels[level].is_major;
}

enum status incident_deadlines(const struct incident_rules *rules, int level,
                               int64_t awareness_utc, int64_t recovered_utc,
                               struct incident_deadlines *out)
{
  memset(out, 0, sizeof(*out));
  if(level < 1 || level > INCIDENT_LEVEL_MAX ||
     (recovered_utc && recovered_utc < awareness_utc)) {
    return ST_INVALID;
  }
  out->contain_hours = rules->levels[level].contain_hours;
  out->review_hours = rules->levels[level].review_hours;
  out->notify_due = awareness_utc + (int64_t)rules->notify_hours * 3600;
  out->contain_due = awareness_utc + (int64_t)out->contain_hours * 3600;
  if(recovered_utc) {
    out->has_report_due = 1;
    out->report_date = time_month_period_end(time_taipei_date(recovered_utc),
                                             rules->report_months);
    out->report_due = time_taipei_instant(out->report_date, 86399);
  }
  return ST_OK;
}

void incident_format_left(struct buf *b, enum lang lang, int64_t due,
                          int64_t now)
{
  int is_over = now > due;
  /* Whole minutes: down while time is left, up once overdue. */
  int64_t mins = is_over ? (now - due + 59) / 60 : (due - now) / 60;
  char big[24], small[8];

  if(mins >= 24 * 60) {
    snprintf(big, sizeof(big), "%lld", (long long)(mins / (24 * 60)));
    snprintf(small, sizeof(small), "%d", (int)(mins % (24 * 60) / 60));
    msg_fill_lang(b, lang, is_over ? M_INC_OVER_DH : M_INC_LEFT_DH, big, small,
                  (const char *)NULL);
  }
  else {
    snprintf(big, sizeof(big), "%d", (int)(mins / 60));
    snprintf(small, sizeof(small), "%d", (int)(mins % 60));
    msg_fill_lang(b, lang, is_over ? M_INC_OVER_HM : M_INC_LEFT_HM, big, small,
                  (const char *)NULL);
  }
}

void incident_format_due(struct buf *b, enum lang lang, int64_t due)
{
  if(lang == LANG_EN) {
    time_format_taipei(b, due);
  }
  else {
    time_format_taipei_roc(b, due);
  }
}

enum status incident_check(const char *json, size_t len, struct buf *why)
{
  struct rules_json rj;
  struct incident_data d;

  rules_json_init(&rj, INCIDENT_FILE, why);
  parse(&rj, json, len, &d);
  if(rj.is_failed) {
    return ST_INVALID;
  }
  data_free(&d);
  return ST_OK;
}
