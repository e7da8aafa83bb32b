/*
 * kpi_calc.c: the pure computations of the goals: availability from
 * intervals, drill rates over unique recipients, incident timeliness
 * from the clocks' states, comparing with a target and showing a value
 * so that its rounding never seems to flip the comparison.  No database
 * here: the unit tests feed these by hand.
 */
#include "kpi.h"
#include "core/arena.h"
#include "core/time.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- availability ---- */

struct span {
  int64_t from, to; /* [from, to), from < to */
};

static int span_cmp(const void *pa, const void *pb)
{
  const struct span *a = pa, *b = pb;
  return a->from < b->from ? -1 : a->from > b->from ? 1 : 0;
}

/* Sort s[0..n) and merge overlapping or touching spans in place;
 * returns how many are left. */
static size_t merge(struct span *s, size_t n)
{
  size_t i, k = 0;
  if(!n) {
    return 0;
  }
  qsort(s, n, sizeof(*s), span_cmp);
  for(i = 1; i < n; i++) {
    if(s[i].from <= s[k].to) {
      if(s[i].to > s[k].to) {
        s[k].to = s[i].to;
      }
    }
    else {
      s[++k] = s[i];
    }
  }
  return k + 1;
}

static int64_t total(const struct span *s, size_t n)
{
  int64_t t = 0;
  size_t i;
  for(i = 0; i < n; i++) {
    t += s[i].to - s[i].from;
  }
  return t;
}

/* Seconds that the merged (sorted, disjoint) lists a and b share. */
static int64_t overlap(const struct span *a, size_t na, const struct span *b,
                       size_t nb)
{
  size_t i = 0, j = 0;
  int64_t t = 0;
  while(i < na && j < nb) {
    int64_t lo = a[i].from > b[j].from ? a[i].from : b[j].from;
    int64_t hi = a[i].to < b[j].to ? a[i].to : b[j].to;
    if(hi > lo) {
      t += hi - lo;
    }
    if(a[i].to < b[j].to) {
      i++;
    }
    else {
      j++;
    }
  }
  return t;
}

enum status kpi_availability(const struct kpi_outage *o, size_t n,
                             int64_t since, int64_t from, int64_t to,
                             int64_t now, struct arena *a,
                             struct kpi_avail *out)
{
  int64_t w0 = from > since ? from : since;
  int64_t w1 = to < now ? to : now;
  struct span *planned, *down;
  size_t n_planned = 0, n_down = 0, i;
  int64_t maintenance;

  memset(out, 0, sizeof(*out));
  if(w1 <= w0) {
    return ST_OK; /* the future, or before the system existed */
  }
  planned = arena_alloc(a, sizeof(*planned) * (n ? n : 1));
  down = arena_alloc(a, sizeof(*down) * (n ? n : 1));
  if(!planned || !down) {
    return ST_NOMEM;
  }
  for(i = 0; i < n; i++) {
    int64_t lo = o[i].from > w0 ? o[i].from : w0;
    int64_t hi = o[i].to < w1 ? o[i].to : w1;
    if(hi <= lo) {
      continue; /* outside the window (or an empty interval) */
    }
    if(o[i].is_planned) {
      planned[n_planned].from = lo;
      planned[n_planned++].to = hi;
    }
    else {
      down[n_down].from = lo;
      down[n_down++].to = hi;
    }
  }
  n_planned = merge(planned, n_planned);
  n_down = merge(down, n_down);
  maintenance = total(planned, n_planned);
  out->operating = (w1 - w0) - maintenance;
  out->down = total(down, n_down) - overlap(down, n_down, planned, n_planned);
  if(out->operating > 0) {
    out->has_value = 1;
    out->value = 100.0 * (1.0 - (double)out->down / (double)out->operating);
  }
  return ST_OK;
}

void kpi_avail_add(struct kpi_avail *sum, const struct kpi_avail *one)
{
  if(!one->has_value) {
    return;
  }
  sum->down += one->down;
  sum->operating += one->operating;
  sum->has_value = sum->operating > 0;
  sum->value = sum->has_value ?
                 100.0 * (1.0 - (double)sum->down / (double)sum->operating) :
                 0;
}

void kpi_month(int year, int month, int64_t *from, int64_t *to)
{
  struct date d = { year, month, 1 };
  struct date next = { month == 12 ? year + 1 : year,
                       month == 12 ? 1 : month + 1, 1 };
  *from = time_taipei_instant(d, 0);
  *to = time_taipei_instant(next, 0);
}

void kpi_year(int year, int64_t *from, int64_t *to)
{
  struct date d = { year, 1, 1 };
  struct date next = { year + 1, 1, 1 };
  *from = time_taipei_instant(d, 0);
  *to = time_taipei_instant(next, 0);
}

/* ---- drill rates ---- */

static int row_cmp(const void *pa, const void *pb)
{
  const struct kpi_phish_row *const *a = pa, *const *b = pb;
  return strcasecmp((*a)->recipient, (*b)->recipient);
}

enum status kpi_phish_rates(const struct kpi_phish_row *rows, size_t n,
                            struct arena *a, struct kpi_phish *out)
{
  const struct kpi_phish_row **by;
  size_t i = 0;

  memset(out, 0, sizeof(*out));
  out->events = n;
  if(!n) {
    return ST_OK;
  }
  by = arena_alloc(a, sizeof(*by) * n);
  if(!by) {
    return ST_NOMEM;
  }
  for(i = 0; i < n; i++) {
    by[i] = &rows[i];
  }
  qsort(by, n, sizeof(*by), row_cmp);
  i = 0;
  while(i < n) {
    int opened = 0, clicked = 0;
    size_t k = i;
    /* One recipient's lines: any open or click on any of them. */
    while(k < n && !strcasecmp(by[k]->recipient, by[i]->recipient)) {
      opened |= by[k]->opened || by[k]->clicked;
      clicked |= by[k]->clicked;
      k++;
    }
    out->recipients++;
    out->opened += (size_t)opened;
    out->clicked += (size_t)clicked;
    i = k;
  }
  return ST_OK;
}

/* ---- incident timeliness ---- */

int kpi_clock_state(const struct ir_clock *c, int64_t now)
{
  if(!c->applies) {
    return -1;
  }
  if(c->done) {
    return c->met ? 1 : 0;
  }
  return now > c->due ? 0 : -1;
}

void kpi_timeliness_add(struct kpi_timeliness *t, const struct ir_state *s,
                        int64_t now)
{
  const struct ir_clock *clocks[3] = { &s->notify, &s->contain, &s->report };
  int late = 0, met = 0, k;

  t->incidents++;
  for(k = 0; k < 3; k++) {
    int state = kpi_clock_state(clocks[k], now);
    if(state < 0) {
      continue;
    }
    t->c[k].decided++;
    t->c[k].met += state;
    late |= state == 0;
    met += state;
  }
  if(late || met == 3) {
    t->c[KPI_ALL].decided++;
    t->c[KPI_ALL].met += !late;
  }
}

/* ---- targets ---- */

#define EPS 1e-9

int kpi_meets(double value, const char *comparator, double target)
{
  if(!comparator) {
    return 0;
  }
  if(!strcmp(comparator, ">=")) {
    return value >= target - EPS;
  }
  if(!strcmp(comparator, ">")) {
    return value > target + EPS;
  }
  if(!strcmp(comparator, "<=")) {
    return value <= target + EPS;
  }
  if(!strcmp(comparator, "<")) {
    return value < target - EPS;
  }
  if(!strcmp(comparator, "=")) {
    return fabs(value - target) <= EPS;
  }
  return 0;
}

const char *kpi_format(struct arena *a, double value, int decimals,
                       const char *comparator, double target)
{
  int want = kpi_meets(value, comparator, target);
  char text[64];
  int d;

  if(decimals < 0) {
    decimals = 0;
  }
  for(d = decimals; d <= 6; d++) {
    double shown;
    snprintf(text, sizeof(text), "%.*f", d, value);
    if(str_to_double(str_c(text), &shown) ||
       kpi_meets(shown, comparator, target) == want) {
      break;
    }
  }
  return arena_strdup(a, text);
}
