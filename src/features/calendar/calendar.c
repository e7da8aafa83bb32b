/*
 * calendar.c: the occurrences of the agency's duties (calendar.h): which
 * duties apply at its level in the generation window, their due dates
 * (rules/obligations.h for the catalog, rules/schedule.h for the agency's
 * own duties), and what the pages show of each.
 */
#include "calendar.h"
#include "calendar_store.h"
#include "auth/roles.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"
#include "features/agency/agency.h"
#include "rules/obligations.h"

#include <stdio.h>
#include <string.h>

/* Room for the dates of one duty in the two-year window (monthly). */
#define WINDOW_DATES 32

/* An occurrence the duties call for. */
struct want {
  const char *duty;
  const char *rule_set;
  char due[11];
  const char *owner;
  int chapter;
};

struct wants {
  struct want *v;
  size_t n, cap;
  struct arena *a;
};

static struct want *want_add(struct wants *w)
{
  if(w->n == w->cap) {
    size_t c = w->cap ? w->cap * 2 : 128;
    struct want *v = arena_alloc(w->a, c * sizeof(*v));
    if(!v) {
      return NULL;
    }
    if(w->n) {
      memcpy(v, w->v, w->n * sizeof(*v));
    }
    w->v = v;
    w->cap = c;
  }
  return &w->v[w->n++];
}

static void date_text(char out[11], struct date d)
{
  unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 13u;
  unsigned dd = (unsigned)d.day % 32u;
  snprintf(out, 11, "%04u-%02u-%02u", y, m, dd);
}

/* Add the dates of one duty. */
static enum status add_dates(struct wants *w, const char *duty,
                             const char *rule_set, const char *owner,
                             int chapter, const struct date *dates, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    struct want *x = want_add(w);
    if(!x) {
      return ST_NOMEM;
    }
    x->duty = duty;
    x->rule_set = rule_set;
    date_text(x->due, dates[i]);
    x->owner = owner;
    x->chapter = chapter;
  }
  return ST_OK;
}

/* The catalog's duties at the agency's level between from and to. */
static enum status want_catalog(struct wants *w, const struct agency_level *lv,
                                struct date from, struct date to)
{
  const struct obligations *o = obligations();
  struct obl_item items[OBL_ITEMS_MAX];
  struct obl_agency ag;
  struct date on[8], dates[WINDOW_DATES];
  size_t n_on = 0, i, j, k, n;
  memset(&ag, 0, sizeof(ag));
  ag.level_approved = lv->approved;
  ag.level_changed = lv->changed;
  /* The sets in force in the window: on its first day and from each
   * later effective date inside it. */
  on[n_on++] = from;
  for(i = 0; i < o->n_sets && n_on < sizeof(on) / sizeof(on[0]); i++) {
    if(schedule_date_cmp(o->sets[i].effective, from) > 0 &&
       schedule_date_cmp(o->sets[i].effective, to) <= 0) {
      on[n_on++] = o->sets[i].effective;
    }
  }
  for(i = 0; i < n_on; i++) {
    n = obligations_for(o, lv->level, on[i], items, OBL_ITEMS_MAX);
    for(j = 0; j < n; j++) {
      const struct obl_duty *d = items[j].duty;
      if(!d->set && i > 0) {
        continue; /* the plan's duties once, whatever the set */
      }
      k = obligations_dates(&items[j], &ag, from, to, dates, WINDOW_DATES);
      if(add_dates(w, d->id, d->set ? d->set->id : NULL, d->owner, d->chapter,
                   dates, k)) {
        return ST_NOMEM;
      }
    }
  }
  return ST_OK;
}

/* Months between occurrences of an agency duty's frequency (0: once),
 * or -1 for a frequency this code does not know. */
static int duty_months(const struct agency_duty *d)
{
  static const struct {
    const char *word;
    int months;
  } f[] = {
    { "once", 0 },        { "monthly", 1 }, { "quarterly", 3 },
    { "half_yearly", 6 }, { "yearly", 12 },
  };
  size_t i;
  if(strcmp(d->frequency, "years") == 0) {
    return d->years >= 2 && d->years <= 10 ? 12 * d->years : -1;
  }
  for(i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
    if(strcmp(d->frequency, f[i].word) == 0) {
      return f[i].months;
    }
  }
  return -1;
}

/* The agency's own duties between from and to. */
static enum status want_agency(struct db *db, struct wants *w,
                               struct date from, struct date to)
{
  struct agency_duty *v;
  struct date dates[WINDOW_DATES];
  size_t n, i, k;
  enum status st = cal_store_duties(db, 0, w->a, &v, &n);
  if(st) {
    return st;
  }
  for(i = 0; i < n; i++) {
    struct sched_rule rule;
    struct sched_anchors an;
    int months = duty_months(&v[i]);
    const char *key;
    memset(&an, 0, sizeof(an));
    if(months < 0 || time_parse_date(str_c(v[i].first_due), &an.first)) {
      continue; /* the register's checks keep these out */
    }
    rule.every_months = months;
    rule.anchor = SA_DATE;
    rule.within_months = 0;
    rule.month = 0;
    k = schedule_dates(&rule, &an, from, to, dates, WINDOW_DATES);
    key = arena_printf(w->a, "agency:%lld", (long long)v[i].id);
    if(!key || add_dates(w, key, NULL, v[i].owner, v[i].chapter, dates, k)) {
      return ST_NOMEM;
    }
  }
  return ST_OK;
}

static const struct want *want_find(const struct wants *w, const char *duty,
                                    const char *due)
{
  size_t i;
  for(i = 0; i < w->n; i++) {
    if(strcmp(w->v[i].duty, duty) == 0 && strcmp(w->v[i].due, due) == 0) {
      return &w->v[i];
    }
  }
  return NULL;
}

/* Add the wanted occurrences, void and restore the others. */
static enum status apply(struct db *db, const struct wants *w,
                         const char *from, const char *to, const char *at,
                         const char *actor, struct arena *a,
                         struct cal_gen *out)
{
  struct occ_key *have;
  size_t n, i;
  enum status st;
  for(i = 0; i < w->n; i++) {
    int added;
    st = cal_store_insert(db, w->v[i].duty, w->v[i].rule_set, w->v[i].due,
                          w->v[i].owner, w->v[i].chapter, at, &added);
    if(st) {
      return st;
    }
    out->added += (size_t)added;
  }
  st = cal_store_window(db, from, to, a, &have, &n);
  for(i = 0; !st && i < n; i++) {
    const struct want *x = want_find(w, have[i].duty, have[i].due_on);
    int is_open = strcmp(have[i].status, "open") == 0;
    struct occ_event e;
    memset(&e, 0, sizeof(e));
    e.occurrence = have[i].id;
    e.by = actor;
    e.at = at;
    if(x && (!is_open || strcmp(x->owner, have[i].owner) != 0)) {
      st = cal_store_set_status(db, have[i].id, "open", NULL, x->owner);
      if(!st && !is_open) {
        e.kind = "restored";
        st = cal_store_event(db, &e);
        out->restored++;
      }
    }
    else if(!x && is_open) {
      st = cal_store_set_status(db, have[i].id, "void", "not_applicable",
                                have[i].owner);
      if(!st) {
        e.kind = "void";
        st = cal_store_event(db, &e);
        out->voided++;
      }
    }
  }
  return st;
}

enum status calendar_generate(struct db *db, int64_t now, const char *actor,
                              struct cal_gen *out)
{
  struct arena a;
  struct wants w;
  struct agency_level lv;
  struct date today = time_taipei_date(now);
  struct date from = { today.year, 1, 1 }, to = { today.year + 1, 12, 31 };
  char from_s[11], to_s[11];
  struct buf at;
  enum status st;

  memset(out, 0, sizeof(*out));
  memset(&w, 0, sizeof(w));
  arena_init(&a, 1u << 24);
  w.a = &a;
  buf_init(&at, 32);
  time_format_utc(&at, now);
  date_text(from_s, from);
  date_text(to_s, to);
  st = agency_level_of(db, &a, &lv);
  if(st == ST_OK) {
    st = want_catalog(&w, &lv, from, to);
  }
  else if(st == ST_NOTFOUND) {
    st = ST_OK; /* no agency yet: only its own duties */
  }
  if(!st) {
    st = want_agency(db, &w, from, to);
  }
  if(!st && at.data) {
    st = db_begin(db);
    if(!st) {
      st = apply(db, &w, from_s, to_s, at.data, actor, &a, out);
      if(st) {
        db_rollback(db);
      }
      else {
        st = db_commit(db);
      }
    }
  }
  else if(!st) {
    st = ST_NOMEM;
  }
  if(st) {
    log_msg(LOG_ERR, "calendar: generating occurrences failed (%s)",
            status_name(st));
  }
  buf_free(&at);
  arena_reset(&a);
  return st;
}

enum occ_standing occ_standing(const struct occurrence *o, struct date today)
{
  int64_t days;
  if(strcmp(o->status, "done") == 0) {
    return OCC_DONE;
  }
  if(strcmp(o->status, "void") == 0) {
    return OCC_VOID;
  }
  if(schedule_date_cmp(o->due, today) < 0) {
    return OCC_OVERDUE;
  }
  days = occ_days(o, today);
  return days <= CAL_SOON_DAYS ? OCC_DUE_SOON : OCC_ON_TRACK;
}

int64_t occ_days(const struct occurrence *o, struct date today)
{
  return (time_taipei_instant(o->due, 0) - time_taipei_instant(today, 0)) /
         86400;
}

enum status calendar_close(struct db *db, const struct occurrence *o,
                           const char *note, int64_t file,
                           const char *link_reg, int64_t link_id,
                           const char *by, const char *at)
{
  struct occ_event e;
  enum status st =
    cal_store_close(db, o->id, note, file, link_reg, link_id, by, at);
  if(st) {
    return st;
  }
  memset(&e, 0, sizeof(e));
  e.occurrence = o->id;
  e.kind = "closed";
  e.note = note;
  e.evidence = file;
  e.link_reg = link_reg;
  e.link_id = link_id;
  e.by = by;
  e.at = at;
  return cal_store_event(db, &e);
}

/* The catalog duty id of set rule_set (NULL: the plan's, or the newest
 * set that has it), or NULL. */
static const struct obl_duty *catalog_duty(const char *id,
                                           const char *rule_set)
{
  const struct obligations *o = obligations();
  size_t i, j;
  for(i = 0; i < o->n_plan; i++) {
    if(strcmp(o->plan[i].id, id) == 0) {
      return &o->plan[i];
    }
  }
  for(i = o->n_sets; i-- > 0;) {
    if(rule_set && strcmp(o->sets[i].id, rule_set) != 0) {
      continue;
    }
    for(j = 0; j < o->sets[i].n_duties; j++) {
      if(strcmp(o->sets[i].duties[j].id, id) == 0) {
        return &o->sets[i].duties[j];
      }
    }
  }
  return NULL;
}

/* The rule of duty d for level, or NULL. */
static const struct obl_rule *rule_for(const struct obl_duty *d,
                                       const char *level)
{
  size_t i;
  unsigned bit;
  if(!level || level[0] < 'A' || level[0] > 'E' || level[1]) {
    return NULL;
  }
  bit = 1u << (level[0] - 'A');
  for(i = 0; i < d->n_rules; i++) {
    if(d->rules[i].levels & bit) {
      return &d->rules[i];
    }
  }
  return NULL;
}

/* Fill in name, basis, detail and hint of the stored occurrence o. */
static void resolve(struct db *db, struct occurrence *o, enum lang lang,
                    const char *level, struct arena *a)
{
  int en = lang == LANG_EN;
  if(strncmp(o->duty, "agency:", 7) == 0) {
    struct agency_duty d;
    int64_t id;
    if(!str_to_i64(str_c(o->duty + 7), 1, INT64_MAX, &id) &&
       !cal_store_duty(db, id, a, &d)) {
      o->name = d.name;
      o->basis = d.basis;
      o->hint = d.hint;
    }
  }
  else {
    const struct obl_duty *d = catalog_duty(o->duty, o->rule_set);
    if(d) {
      const struct obl_rule *r = rule_for(d, level);
      o->name = en && d->name_en ? d->name_en : d->name;
      o->records = d->records;
      o->basis = en && d->basis_en ? d->basis_en : d->basis;
      if(r) {
        o->detail = en && r->detail_en ? r->detail_en : r->detail;
      }
    }
  }
  if(!o->name) {
    o->name = o->duty;
  }
}

/* The agency's level, for the rules' details (NULL when none). */
static const char *level_of(struct db *db, struct arena *a)
{
  struct agency_level lv;
  return agency_level_of(db, a, &lv) ? NULL : lv.level;
}

enum status calendar_list(struct db *db, const struct cal_filter *f,
                          enum lang lang, struct arena *a,
                          struct occurrence **out, size_t *n)
{
  const char *level;
  size_t i;
  enum status st = cal_store_list(db, f, a, out, n);
  if(st) {
    return st;
  }
  level = level_of(db, a);
  for(i = 0; i < *n; i++) {
    resolve(db, &(*out)[i], lang, level, a);
  }
  return ST_OK;
}

enum status calendar_get(struct db *db, int64_t id, enum lang lang,
                         struct arena *a, struct occurrence *out)
{
  enum status st = cal_store_get(db, id, a, out);
  if(!st) {
    resolve(db, out, lang, level_of(db, a), a);
  }
  return st;
}

const char *calendar_owner_label(const char *owner, enum lang lang)
{
  const struct role *r = owner ? role_find(owner) : NULL;
  return r ? msg_get(lang, r->label) : owner;
}
