/*
 * incident.h: the incident rules (資通安全事件通報及應變辦法 110 and its
 * 115 full amendment 資通安全事件通報應變及演練辦法) as versioned data,
 * read once per process from the embedded data/rules/incident.json: the
 * level decision matrix of §2 as rows, the notification's seven fields
 * (§3), the seven items of the investigation, handling and improvement
 * report (施行細則), and the clocks (notify, contain or recover, report,
 * the superior's review).  The set that applies is the one in force on
 * the Asia/Taipei date of awareness (知悉).  Depends on jansson,
 * core/buf, core/i18n, core/time and rules_json.
 */
#ifndef ISMS_RULES_INCIDENT_H
#define ISMS_RULES_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/status.h"
#include "core/time.h"

/* What kind of information or system is affected.  The data names them
 * by id ("noncore" …); 敏感資訊 exists in the 110 rules only. */
enum incident_kind {
  IK_NONCORE = 0, /* "noncore": 非核心業務資訊或非核心資通系統 */
  IK_CORE = 1,    /* "core": 核心, not related to CI */
  IK_CORE_CI = 2,      /* "core_ci": 核心, related to operating CI */
  IK_CLASSIFIED = 3,   /* "classified": 一般公務機密 */
  IK_SENSITIVE = 4,    /* "sensitive": 敏感資訊 (110 only) */
  IK_STATE_SECRET = 5, /* "state_secret": 國家機密 */
  IK_COUNT = 6,        /* number of kinds */
};

/* What happened to it. */
enum incident_impact {
  IM_LEAK_MINOR = 0,     /* "leak_minor": 遭輕微洩漏 */
  IM_LEAK_SERIOUS = 1,   /* "leak_serious": 遭嚴重洩漏 */
  IM_TAMPER_MINOR = 2,   /* "tamper_minor": 遭輕微竄改 */
  IM_TAMPER_SERIOUS = 3, /* "tamper_serious": 遭嚴重竄改 */
  IM_DOWN_WITHIN = 4,    /* "down_within_mtd": disrupted, restored within
                            the maximum tolerable downtime */
  IM_DOWN_BEYOND = 5,    /* "down_beyond_mtd": not restored within it */
  IM_COUNT = 6,          /* number of impacts */
};

/* Levels run 1..INCIDENT_LEVEL_MAX; 0 means "no level". */
#define INCIDENT_LEVEL_MAX 4

struct incident_rules;

/* A named term of a rule set: a kind, an impact, a notification field
 * or a report item.  Strings are UTF-8 and live for the whole process. */
struct incident_term {
  int code;            /* enum incident_kind or incident_impact; for
                          fields and items their 0-based position */
  const char *id;      /* stable key: "core_ci", "leak_minor", "agency" */
  const char *name;    /* zh-TW, the regulation's term */
  const char *name_en; /* English */
};

/* One row of the decision matrix: one alternative of a §2 item.  It
 * matches when the incident has one of impacts on one of kinds (and,
 * when needs_daily_work, the agency's daily work is affected). */
struct incident_row {
  const char *id;         /* unique across sets: "115-3-leak-ci" */
  int level;              /* 1..INCIDENT_LEVEL_MAX */
  unsigned kinds;         /* set of 1u << enum incident_kind */
  unsigned impacts;       /* set of 1u << enum incident_impact */
  int needs_daily_work;   /* the row needs is_daily_work_affected */
  const char *text;       /* the clause in the regulation's wording */
  const char *text_en;    /* its English rendering */
  const char *article;    /* "第2條第4項第1款" */
  const char *article_en; /* "Art. 2 para. 4 subpara. 1" */
  const struct incident_rules *set; /* the set it belongs to */
};

/* What a level means in a set. */
struct incident_level_info {
  int level;           /* 1..INCIDENT_LEVEL_MAX */
  const char *name;    /* "第三級" */
  const char *name_en; /* "Level 3" */
  int is_major;        /* 重大資通安全事件 (levels 3 and 4) */
  int contain_hours;   /* damage control or recovery, from awareness */
  int review_hours;    /* the superior's review, from its receipt */
};

/* A clock's label and legal basis. */
struct incident_clock {
  const char *name;       /* "通報" */
  const char *name_en;    /* "Notification" */
  const char *text;       /* what the article demands, zh-TW */
  const char *text_en;    /* the same in English */
  const char *article;    /* "第6條第1項" */
  const char *article_en; /* "Art. 6 para. 1" */
};

/* One version of the rules, applying to incidents the agency became
 * aware of from effective to until (inclusive, Asia/Taipei dates). */
struct incident_rules {
  const char *name;      /* "110", "115": unique */
  const char *title;     /* zh-TW title of the regulation */
  const char *title_en;  /* English title */
  const char *effective; /* first day, "YYYY-MM-DD" */
  const char *until;     /* last day, or NULL when open-ended */
  const char *source;    /* the amendment and the articles encoded */
  const struct incident_term *kinds;   /* the kinds this set knows */
  size_t n_kinds;                      /* entries in kinds */
  const struct incident_term *impacts; /* every impact, in order */
  size_t n_impacts;                    /* entries in impacts */
  const char *daily_work;    /* label of is_daily_work_affected, zh-TW */
  const char *daily_work_en; /* the same in English */
  struct incident_level_info levels[INCIDENT_LEVEL_MAX + 1]; /* [0] unused */
  const struct incident_row *rows;    /* the matrix, in the data's order */
  size_t n_rows;                      /* entries in rows */
  int notify_hours;                   /* notification, from awareness */
  int report_months;                  /* report, from recovery (§48) */
  struct incident_clock notify;       /* notification within notify_hours */
  struct incident_clock contain;      /* damage control or recovery */
  struct incident_clock report;       /* investigation … report */
  struct incident_clock review;       /* the superior's review of the level */
  const struct incident_term *fields; /* the notification's contents */
  size_t n_fields;                    /* entries in fields (7) */
  const char *fields_source;          /* "第3條" */
  const char *fields_source_en;       /* "Art. 3" */
  const struct incident_term *items;  /* the report's required items */
  size_t n_items;                     /* entries in items (7) */
  const char *items_source; /* "資通安全管理法施行細則第12條" */
  const char *items_source_en; /* the same in English */
};

/*
 * The facts that decide the level.  Several may hold at once, on several
 * kinds: a leak of core information and a disruption of a core system
 * are impacts[IK_CORE] = (1u << IM_LEAK_SERIOUS) | (1u << IM_DOWN_BEYOND).
 * A record with one kind fills one entry.  Zero it (or use
 * incident_facts_init()) before adding.
 */
struct incident_facts {
  unsigned impacts[IK_COUNT]; /* per kind: set of 1u << enum incident_impact */
  int is_daily_work_affected; /* the agency's daily work is affected (only
                                 the 非核心 within-downtime row asks) */
};

/* The clocks of one incident, as instants (seconds since the epoch). */
struct incident_deadlines {
  int64_t notify_due;      /* awareness + notify_hours */
  int64_t contain_due;     /* awareness + contain_hours of the level */
  int has_report_due;      /* 1 once recovered; report_* are 0 until then */
  struct date report_date; /* last day for the report (Asia/Taipei) */
  int64_t report_due;      /* 23:59:59 Asia/Taipei of report_date */
  int contain_hours;       /* 72 or 36 by level */
  int review_hours;        /* the superior's window, 8 or 2 by level; it
                              runs from the superior's receipt of the
                              notification, which isms does not know */
};

/*
 * All sets, oldest first; *n gets their number.  Loads the data on the
 * first call (thread-safe); a broken data file aborts the process with
 * a message naming the file and the key.  The result lives for the
 * whole process; never free it.
 */
const struct incident_rules *incident_rules_all(size_t *n);

/* The set called name ("110", "115"), or NULL. */
const struct incident_rules *incident_rules_find(const char *name);

/*
 * The set that applies to an incident the agency became aware of at
 * awareness_utc: the newest set whose effective date is on or before
 * the Asia/Taipei date of that instant.  NULL before the first set
 * (2021-08-23): the earlier versions are not encoded.
 */
const struct incident_rules *incident_rules_at(int64_t awareness_utc);

/* The row with this id, searched across all sets; NULL if none. */
const struct incident_row *incident_row_find(const char *id);

/* The term of kind (enum incident_kind) in rules, or NULL when this set
 * does not know the kind (敏感資訊 under 115). */
const struct incident_term *
incident_kind_term(const struct incident_rules *rules, int kind);

/* The term of impact (enum incident_impact) in rules, or NULL. */
const struct incident_term *
incident_impact_term(const struct incident_rules *rules, int impact);

/* enum incident_kind for an id ("core_ci"), or -1. */
int incident_kind_parse(const char *id);

/* enum incident_impact for an id ("leak_minor"), or -1. */
int incident_impact_parse(const char *id);

/* Clear f: no impacts, daily work not affected. */
void incident_facts_init(struct incident_facts *f);

/* Record that impact holds on kind; out-of-range values are ignored
 * here and never match. */
void incident_facts_add(struct incident_facts *f, int kind, int impact);

/*
 * The level of an incident under rules:
 *   rules  the set (incident_rules_at() of the awareness time)
 *   facts  what happened
 *   level  receives 1..4, or 0 when no row matches (for example a
 *          non-core disruption restored in time that did not affect
 *          daily work, or any disruption of secrets: §2 has no such
 *          item)
 *   row    receives the row that decided it: the first row in the
 *          data's order among the matching rows of the highest level;
 *          NULL when the level is 0.  May be NULL.
 * ST_OK, or ST_INVALID (level 0, row NULL) when facts name a kind the
 * set does not know or an impact outside enum incident_impact.
 * Allocates nothing.
 */
enum status incident_level(const struct incident_rules *rules,
                           const struct incident_facts *facts, int *level,
                           const struct incident_row **row);

/*
 * Every row of rules that facts match, in the data's order: the first
 * max of them go into rows (which may be NULL when max is 0).  Returns
 * how many match, which may exceed max; rules->n_rows is always enough.
 * Facts that incident_level() refuses match nothing here either.
 */
size_t incident_matches(const struct incident_rules *rules,
                        const struct incident_facts *facts,
                        const struct incident_row **rows, size_t max);

/* 1 if level is 重大 (major) in rules, else 0 (also for 0 or out of
 * range). */
int incident_is_major(const struct incident_rules *rules, int level);

/*
 * The clocks of an incident:
 *   rules          the set that applies
 *   level          1..4: the assessed (or confirmed) level
 *   awareness_utc  when the agency became aware (知悉)
 *   recovered_utc  when damage control or recovery was completed, or 0
 *                  while it is not
 *   out            receives the deadlines
 * The report is due at 23:59:59 Asia/Taipei of the last day of
 * report_months counted from the Asia/Taipei date of recovery under
 * 行政程序法 §48 (time_month_period_end()).  That last day is not moved
 * for weekends or holidays (§48 IV): the issue's own example, recovered
 * 2026-01-30, keeps Saturday 2026-02-28.  ST_OK, or ST_INVALID (out
 * zeroed) for a level outside 1..4 or a recovery before awareness.
 */
enum status incident_deadlines(const struct incident_rules *rules, int level,
                               int64_t awareness_utc, int64_t recovered_utc,
                               struct incident_deadlines *out);

/*
 * Append the time left until due, seen at now, in lang: "剩餘 0 小時 42
 * 分" / "42 min … left" under a day, "剩餘 2 天 3 小時" from a day on;
 * once past due "逾期 3 天 2 小時", "逾期 0 小時 1 分".  Time left is
 * rounded down and time overdue up, to whole minutes, so neither is
 * understated; exactly at due it is "剩餘 0 小時 0 分" (the deadline is
 * still met).  Plain text: escape it for HTML.
 */
void incident_format_left(struct buf *b, enum lang lang, int64_t due,
                          int64_t now);

/* Append a due instant in lang: "民國115年2月28日 23:59" (ROC date,
 * Asia/Taipei) or "2026-02-28 23:59". */
void incident_format_due(struct buf *b, enum lang lang, int64_t due);

/*
 * Check len bytes of incident.json text without installing it: ST_OK,
 * or ST_INVALID with the first problem (file, place, key) appended to
 * why.  Allocates nothing that outlives the call.  This is what the
 * loader runs on the embedded copy.
 */
enum status incident_check(const char *json, size_t len, struct buf *why);

#endif
