/*
 * schedule.h: the due dates of a recurring or one-off duty (the
 * obligations catalog, rules/obligations.h) between two dates, from its
 * frequency and anchor.  Pure calendar arithmetic on Asia/Taipei dates:
 * no data file, no allocation.  Depends on core/time.
 *
 * Month arithmetic.  Every step is counted from the anchor, never from
 * the previous due date, with the month periods of 行政程序法 §48
 * (time_month_period_end()): n months after day d of a month is day d of
 * the month n later, or that month's last day when it has no day d; an
 * anchor on a month's last day gives month ends.  So:
 *   - monthly from 1/31: 2/28 (2/29 in a leap year), 3/31, 4/30, …;
 *   - every 2 years from 2024-02-29: 2026-02-28, then 2028-02-29;
 *   - yearly from 1/31: 1/31 every year (one month from 1/31 is the end
 *     of February, twelve months is 1/31);
 *   - quarterly from 11/30 (November's last day): 2/28 (or 2/29),
 *     5/31, 8/31, 11/30; quarterly from 11/29: 2/28 (or 2/29), 5/29,
 *     8/29, 11/29.
 * Counting from the anchor keeps 5/29 after a short February instead of
 * drifting to 5/28.  §48 IV (a last day on a holiday moves to the next
 * working day) is not applied.
 */
#ifndef ISMS_RULES_SCHEDULE_H
#define ISMS_RULES_SCHEDULE_H

#include <stddef.h>

#include "core/time.h"

/* What a duty's dates are counted from. */
enum sched_anchor {
  SA_LEVEL = 1,     /* "level": the later of the first level approval
                       and the last level change (初次受核定或等級變更後) */
  SA_AMENDMENT = 2, /* "amendment": the later of the level date and the
                       amendment's effective date (115 分級辦法 §11 VII) */
  SA_MONTH = 3,     /* "month": a fixed calendar month, due on its last
                       day (management review in December) */
  SA_DATE = 4,      /* a first due date the agency chose (its own duties,
                       never in the catalog): due on it, then every step
                       after it */
};

/* How often and from when.  Invariant (checked when the catalog loads):
 * every_months is 0 (once), 1, 3, 6 or a multiple of 12 up to 120; a
 * once rule has within_months; a SA_MONTH rule has month 1..12, no
 * within_months and every_months 1..12; a SA_DATE rule has no
 * within_months (its first date is the anchor itself). */
struct sched_rule {
  int every_months;         /* months between occurrences; 0: once */
  enum sched_anchor anchor; /* what the first one counts from */
  int within_months;        /* the first is due this many months after the
                        anchor ("within 2 years"); 0: one step after */
  int month;                /* SA_MONTH: the month, 1..12; else 0 */
};

/* The dates an agency's duties count from.  A year of 0 means the date
 * is unknown or the event did not happen. */
struct sched_anchors {
  struct date level_approved; /* first approval of the level */
  struct date level_changed;  /* the last change of level */
  struct date amendment;      /* effective date of the amendment the
                                 duty comes from (2026-01-07 for 115) */
  struct date first;          /* SA_DATE: the first due date */
};

/* The most due dates schedule_dates() can give for one rule in a
 * century (monthly): callers size arrays with it or a smaller cap. */
#define SCHED_DATES_MAX 1200

/*
 * The due dates of rule between from and to (both included), ascending,
 * into out (at most cap).  A level-anchored rule without a level date,
 * or an amendment-anchored one without either date, has none.  Returns
 * the number written.
 */
size_t schedule_dates(const struct sched_rule *rule,
                      const struct sched_anchors *anchors, struct date from,
                      struct date to, struct date *out, size_t cap);

/* The date the rule's months count from (the later of the dates its
 * anchor names; SA_DATE: the first due date): 1 and *out, or 0 when
 * there is none (SA_MONTH has none: it follows the calendar). */
int schedule_base(const struct sched_rule *rule,
                  const struct sched_anchors *anchors, struct date *out);

/* -1, 0 or 1 as a is before, the same day as or after b. */
int schedule_date_cmp(struct date a, struct date b);

#endif
