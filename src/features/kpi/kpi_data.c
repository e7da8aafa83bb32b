/*
 * kpi_data.c: the goals from the records: the registers are read
 * through the engine (systems, incidents, drills, goal metrics), the
 * outages and drill results through kpi_store.c, and the values
 * computed by kpi_calc.c; kpi_tiles() puts them together for the
 * dashboard.
 */
#include "kpi_data.h"
#include "core/arena.h"
#include "features/agency/agency.h"
#include "features/assets/assets.h"
#include "features/drill/drill.h"
#include "registers/register_store.h"

#include <string.h>

/* ---- records through the engine ---- */

/* Records copied out of an export (whose own copies die with each
 * row). */
struct collect {
  const struct reg *reg; /* what is read */
  struct arena *a;       /* where the copies go */
  struct record *recs;   /* n of them */
  size_t n, cap;
  int nomem; /* a was full */
};

static int collect_one(void *ctx, const struct record *rec)
{
  struct collect *c = ctx;
  struct record *r;
  size_t i;
  if(c->n == c->cap) {
    struct record *bigger;
    c->cap = c->cap ? c->cap * 2 : 64;
    bigger = arena_alloc(c->a, sizeof(*bigger) * c->cap);
    if(!bigger) {
      c->nomem = 1;
      return 1;
    }
    if(c->n) {
      memcpy(bigger, c->recs, sizeof(*bigger) * c->n);
    }
    c->recs = bigger;
  }
  r = &c->recs[c->n];
  *r = *rec;
  r->created_at = rec->created_at ? arena_strdup(c->a, rec->created_at) : NULL;
  r->v = arena_alloc(c->a, sizeof(char *) * c->reg->n_fields);
  if(!r->v || (rec->created_at && !r->created_at)) {
    c->nomem = 1;
    return 1;
  }
  for(i = 0; i < c->reg->n_fields; i++) {
    r->v[i] = rec->v[i] ? arena_strdup(c->a, rec->v[i]) : NULL;
    if(rec->v[i] && !r->v[i]) {
      c->nomem = 1;
      return 1;
    }
  }
  r->created_by = NULL;
  r->updated_at = NULL;
  c->n++;
  return 0;
}

/* Every active record of reg (filtered on field = value when field is
 * not NULL) in the register's order. */
static enum status collect(struct db *db, const struct reg *reg,
                           const char *field, const char *value,
                           struct arena *a, struct record **out, size_t *n)
{
  struct list_query q;
  struct collect c;
  enum status st;
  memset(&q, 0, sizeof(q));
  memset(&c, 0, sizeof(c));
  q.archived = LIST_ACTIVE;
  q.page = 1;
  q.per_page = 500;
  if(field) {
    q.filter_field[0] = reg_field(reg, field);
    q.filter_value[0] = value;
    q.n_filters = 1;
  }
  c.reg = reg;
  c.a = a;
  st = reg_store_export(db, reg, &q, collect_one, &c);
  if(!st && c.nomem) {
    st = ST_NOMEM;
  }
  *out = c.recs;
  *n = c.n;
  return st;
}

/* The instant of storage text s, or 0. */
static int64_t instant(const char *s)
{
  int64_t t = 0;
  if(!s || time_parse_utc(str_c(s), &t)) {
    return 0;
  }
  return t;
}

/* ---- availability ---- */

enum status kpi_data_avail(struct db *db, struct arena *a, const int64_t *from,
                           const int64_t *to, size_t n_periods, int64_t now,
                           struct kpi_avail_table *out)
{
  struct record *recs;
  struct kpi_outage_row *rows;
  struct kpi_outage *mine;
  int64_t *first_sys, *first_at, lo = INT64_MAX, hi = INT64_MIN;
  size_t n_recs, n_rows, n_first, s, p, j;
  enum status st;

  memset(out, 0, sizeof(*out));
  out->n_periods = n_periods;
  for(p = 0; p < n_periods; p++) {
    lo = from[p] < lo ? from[p] : lo;
    hi = to[p] > hi ? to[p] : hi;
  }
  st = collect(db, &reg_system, NULL, NULL, a, &recs, &n_recs);
  if(!st) {
    st = kpi_store_first_outages(db, a, &first_sys, &first_at, &n_first);
  }
  if(!st && n_periods) {
    st = kpi_store_outages(db, lo, hi, a, &rows, &n_rows);
  }
  else {
    rows = NULL;
    n_rows = 0;
  }
  if(st) {
    return st;
  }
  out->systems = arena_alloc(a, sizeof(*out->systems) * (n_recs + 1));
  out->cells = arena_alloc(a, sizeof(*out->cells) * (n_recs * n_periods + 1));
  out->agency = arena_alloc(a, sizeof(*out->agency) * (n_periods + 1));
  mine = arena_alloc(a, sizeof(*mine) * (n_rows + 1));
  if(!out->systems || !out->cells || !out->agency || !mine) {
    return ST_NOMEM;
  }
  memset(out->agency, 0, sizeof(*out->agency) * (n_periods + 1));
  out->n_systems = n_recs;
  for(s = 0; s < n_recs; s++) {
    struct kpi_system *sys = &out->systems[s];
    size_t n_mine = 0, f;
    sys->id = recs[s].id;
    sys->name = reg_val(&reg_system, &recs[s], "name");
    sys->since = instant(recs[s].created_at);
    for(f = 0; f < n_first; f++) {
      if(first_sys[f] == sys->id && first_at[f] < sys->since) {
        sys->since = first_at[f];
      }
    }
    /* The rows come ordered by system; the systems by name. */
    for(j = 0; j < n_rows; j++) {
      if(rows[j].system == sys->id) {
        mine[n_mine++] = rows[j].o;
      }
    }
    for(p = 0; p < n_periods; p++) {
      struct kpi_avail *cell = &out->cells[s * n_periods + p];
      st = kpi_availability(mine, n_mine, sys->since, from[p], to[p], now, a,
                            cell);
      if(st) {
        return st;
      }
      kpi_avail_add(&out->agency[p], cell);
    }
  }
  return ST_OK;
}

/* ---- incidents ---- */

enum status kpi_data_incidents(struct db *db, struct arena *a,
                               struct kpi_incident **out, size_t *n)
{
  struct record *recs;
  struct kpi_incident *v;
  size_t n_recs, i, k = 0;
  enum status st = collect(db, &reg_incident, NULL, NULL, a, &recs, &n_recs);
  *out = NULL;
  *n = 0;
  if(st) {
    return st;
  }
  v = arena_alloc(a, sizeof(*v) * (n_recs + 1));
  if(!v) {
    return ST_NOMEM;
  }
  for(i = 0; i < n_recs; i++) {
    const char *aware = reg_val(&reg_incident, &recs[i], "aware_at");
    st = ir_state_of(db, recs[i].id, aware, a, &v[k].s);
    if(st == ST_INVALID) {
      continue; /* no awareness time: cannot happen, it is required */
    }
    if(st) {
      return st;
    }
    v[k].id = recs[i].id;
    v[k].aware = time_taipei_date(v[k].s.aware);
    k++;
  }
  *out = v;
  *n = k;
  return ST_OK;
}

/* ---- drills ---- */

/* Fill d's results from the store (has_results 0 when there are none). */
static enum status drill_results(struct db *db, struct arena *a,
                                 struct kpi_drill *d)
{
  struct kpi_phish_row *rows;
  size_t n;
  enum status st = kpi_store_result_set(db, d->id, a, &d->set);
  if(st == ST_NOTFOUND) {
    return ST_OK;
  }
  if(!st) {
    st = kpi_store_results(db, d->id, a, &rows, &n);
  }
  if(!st) {
    st = kpi_phish_rates(rows, n, a, &d->rates);
  }
  d->has_results = !st && d->rates.recipients > 0;
  return st;
}

/* Fill d from drill record rec. */
static enum status drill_of(struct db *db, struct arena *a,
                            const struct record *rec, struct kpi_drill *d)
{
  memset(d, 0, sizeof(*d));
  d->id = rec->id;
  d->title = reg_val(&reg_drill, rec, "title");
  d->held_on = reg_val(&reg_drill, rec, "held_on");
  d->status = reg_val(&reg_drill, rec, "status");
  if(!d->held_on || time_parse_date(str_c(d->held_on), &d->held)) {
    return ST_INVALID; /* cannot happen: the date is required */
  }
  return drill_results(db, a, d);
}

enum status kpi_data_drills(struct db *db, struct arena *a,
                            struct kpi_drill **out, size_t *n)
{
  struct record *recs;
  struct kpi_drill *v;
  size_t n_recs, i, k = 0;
  enum status st =
    collect(db, &reg_drill, "kind", "social", a, &recs, &n_recs);
  *out = NULL;
  *n = 0;
  if(st) {
    return st;
  }
  v = arena_alloc(a, sizeof(*v) * (n_recs + 1));
  if(!v) {
    return ST_NOMEM;
  }
  for(i = 0; i < n_recs; i++) {
    st = drill_of(db, a, &recs[i], &v[k]);
    if(st == ST_INVALID) {
      continue;
    }
    if(st) {
      return st;
    }
    k++;
  }
  *out = v;
  *n = k;
  return ST_OK;
}

enum status kpi_data_drill(struct db *db, struct arena *a, int64_t id,
                           struct kpi_drill *out)
{
  struct record rec;
  enum status st = reg_store_get(db, &reg_drill, id, a, &rec);
  if(!st) {
    st = drill_of(db, a, &rec, out);
  }
  if(!st && !out->has_results) {
    st = ST_NOTFOUND;
  }
  return st;
}

/* ---- targets ---- */

enum status kpi_data_targets(struct db *db, struct arena *a,
                             struct kpi_target **out, size_t *n)
{
  struct record *recs;
  struct kpi_target *v;
  size_t n_recs, i, k = 0;
  enum status st =
    collect(db, &reg_goal_metric, NULL, NULL, a, &recs, &n_recs);
  *out = NULL;
  *n = 0;
  if(st) {
    return st;
  }
  v = arena_alloc(a, sizeof(*v) * (n_recs + 1));
  if(!v) {
    return ST_NOMEM;
  }
  for(i = 0; i < n_recs; i++) {
    const struct reg *g = &reg_goal_metric;
    const char *kind = reg_val(g, &recs[i], "kpi");
    const char *target = reg_val(g, &recs[i], "target");
    if(!kind || !target || str_to_double(str_c(target), &v[k].target)) {
      continue;
    }
    v[k].id = recs[i].id;
    v[k].metric = reg_val(g, &recs[i], "metric");
    v[k].comparator = reg_val(g, &recs[i], "comparator");
    v[k].unit = reg_val(g, &recs[i], "unit");
    v[k].kind = kind;
    k++;
  }
  *out = v;
  *n = k;
  return ST_OK;
}

const struct kpi_target *kpi_target_of(const struct kpi_target *targets,
                                       size_t n, const char *kind)
{
  size_t i;
  for(i = 0; i < n; i++) {
    if(!strcmp(targets[i].kind, kind)) {
      return &targets[i];
    }
  }
  return NULL;
}

/* ---- tiles ---- */

/* The trend's months: the twelve up to now's (Asia/Taipei). */
static void trend_months(int64_t now, int *years, int *months)
{
  struct date d = time_taipei_date(now);
  int i, y = d.year, m = d.month;
  for(i = KPI_TREND_MONTHS - 1; i >= 0; i--) {
    years[i] = y;
    months[i] = m;
    if(--m == 0) {
      m = 12;
      y--;
    }
  }
}

/* The share in percent of met in decided. */
static void share(const struct kpi_tally *t, int *has, double *value)
{
  *has = t->decided > 0;
  *value = t->decided ? 100.0 * t->met / t->decided : 0;
}

static void avail_tile(struct kpi_tile *t, const struct kpi_avail_table *tab)
{
  int i;
  for(i = 0; i < KPI_TREND_MONTHS; i++) {
    t->trend_has[i] = tab->agency[i].has_value;
    t->trend[i] = tab->agency[i].value;
  }
  t->has_value = tab->agency[KPI_TREND_MONTHS].has_value;
  t->value = tab->agency[KPI_TREND_MONTHS].value;
  t->num = tab->agency[KPI_TREND_MONTHS].down;
  t->den = tab->agency[KPI_TREND_MONTHS].operating;
  t->href = "/r/outage";
}

static void timeliness_tile(struct kpi_tile *t, const struct kpi_incident *v,
                            size_t n, int64_t now)
{
  struct kpi_timeliness year, month[KPI_TREND_MONTHS];
  size_t i;
  int m;
  memset(&year, 0, sizeof(year));
  memset(month, 0, sizeof(month));
  for(i = 0; i < n; i++) {
    if(v[i].aware.year == t->year) {
      kpi_timeliness_add(&year, &v[i].s, now);
    }
    for(m = 0; m < KPI_TREND_MONTHS; m++) {
      if(v[i].aware.year == t->trend_year[m] &&
         v[i].aware.month == t->trend_month[m]) {
        kpi_timeliness_add(&month[m], &v[i].s, now);
      }
    }
  }
  share(&year.c[KPI_ALL], &t->has_value, &t->value);
  t->num = year.c[KPI_ALL].met;
  t->den = year.c[KPI_ALL].decided;
  for(m = 0; m < KPI_TREND_MONTHS; m++) {
    share(&month[m].c[KPI_ALL], &t->trend_has[m], &t->trend[m]);
  }
  t->href = "/r/incident";
}

static void phishing_tile(struct kpi_tile *t, const struct kpi_drill *v,
                          size_t n, int clicked)
{
  int64_t num = 0, den = 0, mnum[KPI_TREND_MONTHS], mden[KPI_TREND_MONTHS];
  size_t i;
  int m;
  memset(mnum, 0, sizeof(mnum));
  memset(mden, 0, sizeof(mden));
  for(i = 0; i < n; i++) {
    int64_t hit = (int64_t)(clicked ? v[i].rates.clicked : v[i].rates.opened);
    if(!v[i].has_results) {
      continue;
    }
    if(v[i].held.year == t->year) {
      num += hit;
      den += (int64_t)v[i].rates.recipients;
    }
    for(m = 0; m < KPI_TREND_MONTHS; m++) {
      if(v[i].held.year == t->trend_year[m] &&
         v[i].held.month == t->trend_month[m]) {
        mnum[m] += hit;
        mden[m] += (int64_t)v[i].rates.recipients;
      }
    }
  }
  t->has_value = den > 0;
  t->value = den ? 100.0 * (double)num / (double)den : 0;
  t->num = num;
  t->den = den;
  for(m = 0; m < KPI_TREND_MONTHS; m++) {
    t->trend_has[m] = mden[m] > 0;
    t->trend[m] = mden[m] ? 100.0 * (double)mnum[m] / (double)mden[m] : 0;
  }
  t->href = "/r/drill?f_kind=social";
}

enum status kpi_tiles(struct db *db, struct arena *a, int64_t now,
                      struct kpi_tile *out, size_t cap, size_t *n)
{
  struct kpi_target *targets;
  struct kpi_incident *incidents = NULL;
  struct kpi_drill *drills = NULL;
  struct kpi_avail_table tab;
  int64_t from[KPI_TREND_MONTHS + 1], to[KPI_TREND_MONTHS + 1];
  int years[KPI_TREND_MONTHS], months[KPI_TREND_MONTHS];
  size_t n_targets, n_incidents = 0, n_drills = 0, i, k = 0;
  int has_avail = 0, has_incidents = 0, has_drills = 0, year, m;
  enum status st;

  *n = 0;
  st = kpi_data_targets(db, a, &targets, &n_targets);
  if(st) {
    return st;
  }
  /* The year and months of the last second before now: a past year is
   * shown with now at its very end (the next 1 January, 00:00). */
  year = time_taipei_date(now - 1).year;
  trend_months(now - 1, years, months);
  for(i = 0; i < n_targets && k < cap; i++) {
    struct kpi_tile *t = &out[k];
    const char *kind = targets[i].kind;
    memset(t, 0, sizeof(*t));
    t->metric_id = targets[i].id;
    t->metric = targets[i].metric;
    t->unit = targets[i].unit;
    t->comparator = targets[i].comparator;
    t->target = targets[i].target;
    t->kind = kind;
    t->year = year;
    t->n_trend = KPI_TREND_MONTHS;
    memcpy(t->trend_year, years, sizeof(years));
    memcpy(t->trend_month, months, sizeof(months));
    if(!strcmp(kind, KPI_AVAILABILITY)) {
      if(!has_avail) {
        for(m = 0; m < KPI_TREND_MONTHS; m++) {
          kpi_month(years[m], months[m], &from[m], &to[m]);
        }
        kpi_year(year, &from[KPI_TREND_MONTHS], &to[KPI_TREND_MONTHS]);
        st = kpi_data_avail(db, a, from, to, KPI_TREND_MONTHS + 1, now, &tab);
        if(st) {
          return st;
        }
        has_avail = 1;
      }
      avail_tile(t, &tab);
    }
    else if(!strcmp(kind, KPI_TIMELINESS)) {
      if(!has_incidents) {
        st = kpi_data_incidents(db, a, &incidents, &n_incidents);
        if(st) {
          return st;
        }
        has_incidents = 1;
      }
      timeliness_tile(t, incidents, n_incidents, now);
    }
    else {
      if(!has_drills) {
        st = kpi_data_drills(db, a, &drills, &n_drills);
        if(st) {
          return st;
        }
        has_drills = 1;
      }
      phishing_tile(t, drills, n_drills, !strcmp(kind, KPI_PHISHING_CLICK));
    }
    t->met = t->has_value && kpi_meets(t->value, t->comparator, t->target);
    k++;
  }
  *n = k;
  return ST_OK;
}
