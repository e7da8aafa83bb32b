/*
 * obligations.h: the obligations catalog (應辦事項): the statutory duties
 * by responsibility level of each rule set of 資通安全責任等級分級辦法
 * (110, in force from 2021-08-23; 115, from 2026-01-07), and the
 * recurring duties of the agency's own maintenance plan, read once per
 * process from the embedded data/rules/obligations.json; which duties
 * apply to a level on a date; and the due dates of one of them for an
 * agency (rules/schedule.h), limited to the time its rule set and its
 * level were in force.  Facts: regulations.md §1.2 and §7.  Depends on
 * jansson, core/buf, core/time, rules_json and rules/schedule.
 */
#ifndef ISMS_RULES_OBLIGATIONS_H
#define ISMS_RULES_OBLIGATIONS_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"
#include "core/time.h"
#include "schedule.h"

/* How a duty recurs at a group of levels.  Strings live for the whole
 * process. */
struct obl_rule {
  unsigned levels;        /* bit (1 << (L - 'A')) for each level L */
  struct sched_rule when; /* frequency and anchor */
  const char *detail;     /* what it asks at these levels, zh-TW, or NULL */
  const char *detail_en;  /* the same in English, or NULL */
};

struct obl_set;

/* One duty.  Strings live for the whole process. */
struct obl_duty {
  const char *id;       /* stable key ("internal_audit"), unique in its
                          set and among the plan's duties */
  const char *name;     /* zh-TW: 內部資通安全稽核 */
  const char *name_en;  /* English */
  int chapter;          /* plan chapter 4..17 (肆…壹拾柒, M_CH_4…) */
  const char *owner;    /* a role key of auth/roles.def */
  const char *basis;    /* the regulation and article, or the plan
                          section, zh-TW */
  const char *basis_en; /* the same in English */
  const char *records;  /* the register whose records usually prove it
                          ("drill"), or NULL */
  const struct obl_rule *rules; /* by level group */
  size_t n_rules;               /* entries in rules */
  const struct obl_set *set;    /* its rule set; NULL for the plan's */
};

/* One rule set of the levels regulation. */
struct obl_set {
  const char *id;                /* "110", "115" */
  struct date effective;         /* first day in force */
  struct date until;             /* last day in force (the day before the
                                  next set's); year 0 for the last set */
  const char *name;              /* zh-TW: 115年1月7日修正 */
  const char *name_en;           /* English */
  const struct obl_duty *duties; /* in file order */
  size_t n_duties;
};

/* The whole file as loaded. */
struct obligations {
  const struct obl_set *sets; /* by effective date, oldest first */
  size_t n_sets;
  const struct obl_duty *plan; /* the plan's duties, under every set */
  size_t n_plan;
};

/*
 * The loaded catalog.  Loads the data on the first call (thread-safe);
 * a broken data file aborts the process with a message naming the file
 * and the key.  The result lives for the whole process; never free it.
 */
const struct obligations *obligations(void);

/* Check len bytes of obligations.json text without installing it:
 * ST_OK, or ST_INVALID with the first problem appended to why. */
enum status obligations_check(const char *json, size_t len, struct buf *why);

/* The rule set in force on date on, or NULL before the first. */
const struct obl_set *obligations_set_on(const struct obligations *o,
                                         struct date on);

/* A duty as it applies at one level. */
struct obl_item {
  const struct obl_duty *duty;
  const struct obl_rule *rule; /* the rule for the level */
};

/* The most items obligations_for() writes for the shipped data. */
#define OBL_ITEMS_MAX 64

/*
 * The duties that apply on date on to an agency of level ("A" … "E"):
 * those of the set in force then, in file order, then the plan's.
 * Writes at most cap to out; returns the number written (0 for an
 * unknown level).
 */
size_t obligations_for(const struct obligations *o, const char *level,
                       struct date on, struct obl_item *out, size_t cap);

/* The dates of an agency's level.  A year of 0: not known / not so. */
struct obl_agency {
  struct date level_approved; /* first approval of the level */
  struct date level_changed;  /* the last change of level */
  struct date level_until;    /* last day the level applied (a later
                                 change); year 0 while it applies */
};

/*
 * The due dates of item between from and to (both included), ascending,
 * into out (at most cap): schedule_dates() with the set's effective
 * date as the amendment anchor, keeping only dates while the item's set
 * was in force and, when ag->level_until is set, not after it (a duty
 * of a level the agency has left falls away).  Returns the number
 * written.
 */
size_t obligations_dates(const struct obl_item *item,
                         const struct obl_agency *ag, struct date from,
                         struct date to, struct date *out, size_t cap);

#endif
