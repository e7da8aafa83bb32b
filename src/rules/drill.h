/*
 * drill.h: how often an agency must hold or take part in each kind of
 * drill (資通安全事件通報應變及演練辦法 115 §10, 110 §8: social engineering
 * every half year, notification and response every year; the
 * business-continuity drill of the core systems by responsibility
 * level), read once per process from the embedded data/rules/drill.json,
 * and the frequency check of a set of drills held: for each period the
 * rule names, whether a drill of the kind was held in it and when.
 * Depends on jansson, core/buf, core/time and rules_json.
 */
#ifndef ISMS_RULES_DRILL_H
#define ISMS_RULES_DRILL_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"
#include "core/time.h"

/* How a check divides time into periods. */
enum drill_period {
  DP_HALF_YEAR = 1, /* "half_year": 1 Jan-30 Jun and 1 Jul-31 Dec */
  DP_YEAR = 2,      /* "year": calendar years */
  DP_ROLLING = 3,   /* "rolling": the months before today, by level */
};

/* The rolling window of one responsibility level.  Strings live for the
 * whole process. */
struct drill_level_rule {
  const char *level; /* "A" … "E" */
  int months;        /* the window, 1..120 months */
  const char *rule; /* the frequency in words, zh-TW: 每二年一次（C 級） */
  const char *rule_en; /* the same in English */
};

/* One frequency the agency is checked against.  Strings live for the
 * whole process. */
struct drill_check {
  const char *kind;         /* a value of the drill register's kind */
  enum drill_period period; /* how time is divided */
  int years;                /* calendar periods: the current year and
                                years - 1 before it (1..10); 0 for
                                rolling */
  const char *rule;         /* calendar periods: the frequency in words
                                (zh-TW); NULL for rolling */
  const char *rule_en;      /* the same in English */
  const struct drill_level_rule *levels; /* rolling: by level */
  size_t n_levels;                       /* entries in levels */
  const char *basis;    /* the articles it comes from, zh-TW */
  const char *basis_en; /* the same in English */
};

/* The whole file as loaded. */
struct drill_rules {
  const struct drill_check *checks; /* in file order, kinds unique */
  size_t n_checks;                  /* entries in checks */
};

/*
 * The loaded rules.  Loads the data on the first call (thread-safe); a
 * broken data file aborts the process with a message naming the file
 * and the key.  The result lives for the whole process; never free it.
 */
const struct drill_rules *drill_rules(void);

/* Check len bytes of drill.json text without installing it: ST_OK, or
 * ST_INVALID with the first problem appended to why. */
enum status drill_rules_check(const char *json, size_t len, struct buf *why);

/* One drill as the check counts it: held (not planned), not archived. */
struct drill_held {
  const char *kind; /* its kind */
  struct date on;   /* the day it was held */
};

/* One period of one check. */
struct drill_period_row {
  const struct drill_check *check; /* the check it belongs to */
  const char *rule;    /* the frequency in words (a rolling check's for
                          the level), or NULL when the level has none */
  const char *rule_en; /* the same in English */
  int half;            /* 1 or 2 for a half year, else 0 */
  struct date from;    /* first day of the period */
  struct date to;      /* last day of the period (today for rolling) */
  int is_current;      /* today is in it: it is still running */
  int is_applicable;   /* 0 when the agency's level has no such duty or
                          is unknown (rolling checks) */
  int is_done;         /* a drill of the kind was held in it */
  struct date last;    /* the latest such drill, when is_done */
};

/* The most rows drill_freq() writes for the shipped data. */
#define DRILL_ROWS_MAX 64

/*
 * The frequency check on date today (Asia/Taipei) for an agency of
 * responsibility level (an "A" … "E" string; NULL when unknown) over
 * the n_held drills in held, in any order (drills after today are not
 * counted).  Writes one row per period to out, at most cap: each check
 * in file order; a calendar check's periods that have begun, newest
 * first; a rolling check one row.  Returns the number of rows written.
 * Never allocates.
 */
size_t drill_freq(const struct drill_rules *rules, struct date today,
                  const char *level, const struct drill_held *held,
                  size_t n_held, struct drill_period_row *out, size_t cap);

/* The day months before d: the same day of that month, or its last day
 * when it has no such day (2024-02-29 less 12 months is 2023-02-28). */
struct date drill_months_before(struct date d, int months);

/* 1 and the latest day in *out if a drill of kind among held was held
 * on or before today; else 0. */
int drill_last_held(const char *kind, struct date today,
                    const struct drill_held *held, size_t n_held,
                    struct date *out);

/* -1, 0 or 1 as a is before, the same day as or after b. */
int drill_date_cmp(struct date a, struct date b);

#endif
