/*
 * riskcat.h: the reference catalog of risk types and countermeasures
 * (form 7 of the plan, 風險類型暨風險對策參考表) read once per process from
 * the embedded data/rules/risk_catalog.json.  It is a starting set that
 * the agency extends with its own entries (stored elsewhere); this module
 * only serves the shipped reference entries.  Depends on jansson,
 * core/buf, baseline.h (countermeasure families are 附表十 families) and
 * rules_json.
 */
#ifndef ISMS_RULES_RISKCAT_H
#define ISMS_RULES_RISKCAT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"

/* The four asset classes of the plan (柒 一 2), as bits of a mask. */
enum riskcat_asset {
  RC_ASSET_INFO = 1 << 0,     /* 資訊資產, register key "info" */
  RC_ASSET_SOFTWARE = 1 << 1, /* 軟體資產, register key "software" */
  RC_ASSET_PHYSICAL = 1 << 2, /* 實體資產, register key "physical" */
  RC_ASSET_SERVICE = 1 << 3,  /* 支援服務資產, register key "service" */
};

/* One asset class as described in the data file. */
struct riskcat_asset_class {
  unsigned bit;        /* its RC_ASSET_* bit */
  const char *key;     /* "info", "software", "physical", "service" */
  const char *name;    /* zh-TW, e.g. "資訊資產" */
  const char *name_en; /* English */
  const char *text;    /* what it covers, zh-TW */
  const char *text_en; /* the same in English */
};

/* One countermeasure (風險對策). */
struct riskcat_measure {
  const char *text;    /* zh-TW */
  const char *text_en; /* English */
  const char *family; /* the 附表十 family (構面) it implements, or NULL */
};

/* One risk type.  Strings are UTF-8 and live for the whole process. */
struct riskcat_entry {
  const char *id;               /* "R01" …: stable, unique */
  const char *type;             /* 風險類型, zh-TW */
  const char *type_en;          /* English */
  const char *threat;           /* typical threat, zh-TW */
  const char *threat_en;        /* English */
  const char *vulnerability;    /* typical vulnerability, zh-TW */
  const char *vulnerability_en; /* English */
  unsigned asset_classes;       /* RC_ASSET_* bits it applies to (not 0) */
  const struct riskcat_measure *measures; /* at least one */
  size_t n_measures;                      /* entries in measures */
};

/*
 * All reference entries in file order; *n gets their number.  Loads the
 * data on the first call (thread-safe); a broken data file aborts the
 * process with a message naming the file and the key.  The result lives
 * for the whole process; never free it.
 */
const struct riskcat_entry *riskcat_entries(size_t *n);

/* The entry with this id, or NULL. */
const struct riskcat_entry *riskcat_find(const char *id);

/* The four asset classes in RC_ASSET_* bit order; *n gets 4. */
const struct riskcat_asset_class *riskcat_asset_classes(size_t *n);

/* The RC_ASSET_* bit for a register key ("info" …) or a zh-TW name
 * ("資訊資產" …); 0 for anything else (and NULL). */
unsigned riskcat_asset_parse(const char *s);

/* 1 if entry e applies to the asset class bit (one RC_ASSET_* value),
 * else 0. */
int riskcat_applies(const struct riskcat_entry *e, unsigned asset_bit);

/* Check len bytes of risk_catalog.json text without installing it:
 * ST_OK, or ST_INVALID with the first problem appended to why.  Families
 * are checked against the loaded baseline (which loads it). */
enum status riskcat_check(const char *json, size_t len, struct buf *why);

#endif
