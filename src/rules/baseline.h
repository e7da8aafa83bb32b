/*
 * baseline.h: 附表十 資通系統防護基準 (the system protection baseline) as
 * versioned data: every rule set in data/rules/baseline.json (the 110 and
 * 115 tables), read once per process from the embedded copy into
 * immutable arrays.  A control's level is the level at which its
 * requirement is introduced; requirements are cumulative, so a system at
 * level X must meet every control whose level is at most X.  Also the
 * protection levels 普/中/高 shared with grading.h.  Depends on jansson,
 * core/buf and rules_json.
 */
#ifndef ISMS_RULES_BASELINE_H
#define ISMS_RULES_BASELINE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"

/* A protection level (防護需求等級); ordered, so levels compare with <. */
enum prot_level {
  PL_NONE = 0, /* not graded / not a level */
  PL_LOW = 1,  /* 普 */
  PL_MID = 2,  /* 中 */
  PL_HIGH = 3, /* 高 */
};

struct rule_set;

/* One requirement of 附表十.  All strings are UTF-8 and never NULL unless
 * said so; they live for the whole process. */
struct control {
  const char *id;             /* unique across sets: "110-1-1-1", "115-01" */
  const char *ref;            /* as the source numbers it: "1-1-1", "#1" */
  const char *family;         /* 構面, e.g. "存取控制" */
  const char *family_en;      /* the family in English */
  const char *measure;        /* 措施, e.g. "帳號管理" */
  const char *text;           /* the requirement (zh-TW paraphrase) */
  const char *text_en;        /* the requirement (English paraphrase) */
  const char *change;         /* change versus the previous set, or NULL */
  const char *const *from;    /* ids of earlier controls this one continues */
  size_t n_from;              /* entries in from (0: new, or a first set) */
  int level;                  /* PL_LOW..PL_HIGH: where it is introduced */
  const struct rule_set *set; /* the set it belongs to */
};

/* One version of the table, in force from effective (inclusive). */
struct rule_set {
  const char *name;      /* "110", "115": unique */
  const char *title;     /* zh-TW title */
  const char *title_en;  /* English title */
  const char *effective; /* first day in force, "YYYY-MM-DD" */
  const char *until;     /* last day in force, or NULL when open-ended */
  const char *source;    /* the amendment and its document number */
  const struct control *controls; /* in the source's order */
  size_t n;                       /* entries in controls (at least one) */
};

/*
 * All rule sets, oldest first; *n gets their number.  Loads the data on
 * the first call (thread-safe); a broken data file aborts the process
 * with a message naming the file and the key.  The result lives for the
 * whole process; never free it.
 */
const struct rule_set *baseline_sets(size_t *n);

/* The set called name ("110", "115"), or NULL. */
const struct rule_set *baseline_set(const char *name);

/*
 * The set in force on date ("YYYY-MM-DD"): the newest whose effective
 * date is on or before it.  NULL before the first set, or when date is
 * not a valid date.
 */
const struct rule_set *baseline_at(const char *date);

/* The control with this id, searched across all sets; NULL if none. */
const struct control *baseline_control(const char *id);

/*
 * A control of the 附表十 family (構面) called name, given as its zh-TW
 * name ("存取控制") or its English name in any case ("Access control"),
 * searched across all sets; NULL if no control has that family (and for
 * NULL).  Its family and family_en are the family's two names.
 */
const struct control *baseline_family(const char *name);

/* 1 if a system at level (PL_LOW..PL_HIGH) must meet c (c->level <=
 * level), else 0; always 0 for PL_NONE or an invalid level. */
int baseline_applies(const struct control *c, int level);

/* The number of controls of s that apply at level (0 for PL_NONE). */
size_t baseline_count(const struct rule_set *s, int level);

/*
 * Check len bytes of baseline.json text without installing it: ST_OK,
 * or ST_INVALID with the first problem (file, place, key) appended to
 * why.  Allocates nothing that outlives the call.  This is what the
 * loader runs on the embedded copy.
 */
enum status baseline_check(const char *json, size_t len, struct buf *why);

/* "普"/"中"/"高" or "low"/"mid"/"high" → PL_LOW..PL_HIGH; anything else
 * (and NULL) → PL_NONE. */
int prot_level_parse(const char *s);

/* "普", "中" or "高" for PL_LOW..PL_HIGH; "" for anything else. */
const char *prot_level_name(int level);

/* "low", "mid" or "high" (the keys the registers store) for
 * PL_LOW..PL_HIGH; "" for anything else. */
const char *prot_level_key(int level);

#endif
