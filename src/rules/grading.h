/*
 * grading.h: 附表九 資通系統防護需求分級原則 (grading a system's protection
 * need) as data: the four dimensions with their criteria per level, the
 * rule that the system's level is the highest of the four, and the
 * core-system definition, read once per process from the embedded
 * data/rules/grading.json.  Levels are enum prot_level (baseline.h).
 * Depends on jansson, core/buf, baseline.h and rules_json.
 */
#ifndef ISMS_RULES_GRADING_H
#define ISMS_RULES_GRADING_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"
#include "rules/baseline.h"

/* The four dimensions (構面), in the order of the data file. */
enum grading_dim {
  GD_CONFIDENTIALITY = 0, /* 機密性 */
  GD_INTEGRITY = 1,       /* 完整性 */
  GD_AVAILABILITY = 2,    /* 可用性 */
  GD_LEGAL = 3,           /* 法律遵循性 */
  GD_COUNT = 4,           /* number of dimensions */
};

/* One dimension.  Strings are UTF-8 and live for the whole process. */
struct grading_dimension {
  const char *id;      /* "confidentiality", "integrity", "availability",
                          "legal" */
  const char *name;    /* zh-TW, e.g. "機密性" */
  const char *name_en; /* English, e.g. "Confidentiality" */
  const char *criterion[PL_HIGH + 1];    /* by level; [PL_NONE] is NULL */
  const char *criterion_en[PL_HIGH + 1]; /* the same in English */
};

/* The whole of 附表九 as loaded. */
struct grading_rules {
  const char *title;       /* zh-TW title of 附表九 */
  const char *title_en;    /* English title */
  const char *source;      /* the instrument and its amendments */
  const char *rule;        /* the "highest of the four" rule, zh-TW */
  const char *rule_en;     /* the same in English */
  const char *core;        /* the core-system definition, zh-TW */
  const char *core_en;     /* the same in English */
  const char *core_source; /* where the definition is (施行細則) */
  int core_level;          /* a system at this level or above is core */
  const struct grading_dimension *dims; /* GD_COUNT entries, enum order */
  size_t n_dims;                        /* always GD_COUNT */
};

/*
 * The loaded rules.  Loads the data on the first call (thread-safe); a
 * broken data file aborts the process with a message naming the file
 * and the key.  The result lives for the whole process; never free it.
 */
const struct grading_rules *grading_rules(void);

/* Dimension dim (enum grading_dim), or NULL when out of range. */
const struct grading_dimension *grading_dimension(int dim);

/* The dimension with this id ("legal" …), or NULL. */
const struct grading_dimension *grading_dimension_find(const char *id);

/*
 * The system's protection level from its four dimension levels
 * (confidentiality, integrity, availability, legal compliance): the
 * highest of them.  Every dimension must be rated: if any argument is
 * not PL_LOW..PL_HIGH the grading is incomplete and the result is
 * PL_NONE.
 */
int grading_level(int c, int i, int a, int l);

/*
 * 1 if a system graded level is a core system by 附表九 (level 高), else
 * 0.  A system can also be core because a core business needs it
 * (施行細則); that is the agency's designation, not decided here.
 */
int grading_is_core(int level);

/* Check len bytes of grading.json text without installing it: ST_OK,
 * or ST_INVALID with the first problem appended to why. */
enum status grading_check(const char *json, size_t len, struct buf *why);

#endif
