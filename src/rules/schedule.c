/*
 * schedule.c: due dates of a duty from its frequency and anchor (see
 * schedule.h).
 */
#include "schedule.h"

int schedule_date_cmp(struct date a, struct date b)
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

/* The later of a and b where a year of 0 is absent: 1 and *out, or 0
 * when both are absent. */
static int later(struct date a, struct date b, struct date *out)
{
  if(a.year == 0 && b.year == 0) {
    return 0;
  }
  if(a.year == 0 || (b.year != 0 && schedule_date_cmp(b, a) > 0)) {
    *out = b;
  }
  else {
    *out = a;
  }
  return 1;
}

int schedule_base(const struct sched_rule *rule,
                  const struct sched_anchors *anchors, struct date *out)
{
  struct date level;
  int has_level =
    later(anchors->level_approved, anchors->level_changed, &level);
  static const struct date none = { 0, 0, 0 };

  switch(rule->anchor) {
  case SA_LEVEL:
    if(has_level) {
      *out = level;
    }
    return has_level;
  case SA_AMENDMENT:
    return later(has_level ? level : none, anchors->amendment, out);
  case SA_DATE:
    if(anchors->first.year) {
      *out = anchors->first;
    }
    return anchors->first.year != 0;
  case SA_MONTH:
    break;
  }
  return 0;
}

/* The last day of month m (0-based count of months since year 0). */
static struct date month_end(int m)
{
  struct date d;

  d.year = m / 12;
  d.month = m % 12 + 1;
  d.day = time_days_in_month(d.year, d.month);
  return d;
}

/* SA_MONTH: the ends of the months m with m ≡ rule->month (mod step). */
static size_t calendar_dates(const struct sched_rule *rule, struct date from,
                             struct date to, struct date *out, size_t cap)
{
  int step = rule->every_months > 0 ? rule->every_months : 12;
  int first = from.year * 12 + from.month - 1;
  int last = to.year * 12 + to.month - 1;
  int phase = (rule->month - 1) % step;
  int m = first - ((first % step - phase + step) % step);
  size_t n = 0;

  for(; m <= last && n < cap; m += step) {
    struct date d = month_end(m);
    if(schedule_date_cmp(d, from) >= 0 && schedule_date_cmp(d, to) <= 0) {
      out[n++] = d;
    }
  }
  return n;
}

size_t schedule_dates(const struct sched_rule *rule,
                      const struct sched_anchors *anchors, struct date from,
                      struct date to, struct date *out, size_t cap)
{
  struct date base;
  int k, offset;
  size_t n = 0;

  if(schedule_date_cmp(from, to) > 0 || cap == 0) {
    return 0;
  }
  if(rule->anchor == SA_MONTH) {
    return calendar_dates(rule, from, to, out, cap);
  }
  if(!schedule_base(rule, anchors, &base)) {
    return 0;
  }
  offset = rule->anchor == SA_DATE ? 0 :
           rule->within_months > 0 ? rule->within_months :
                                     rule->every_months;
  if(offset <= 0 && rule->anchor != SA_DATE) {
    return 0; /* a once rule without a period: refused at load */
  }
  for(k = 0; n < cap; k++) {
    int months = offset + k * rule->every_months;
    struct date d = months ? time_month_period_end(base, months) : base;
    if(schedule_date_cmp(d, to) > 0) {
      break;
    }
    if(schedule_date_cmp(d, from) >= 0) {
      out[n++] = d;
    }
    if(rule->every_months == 0) {
      break;
    }
  }
  return n;
}
