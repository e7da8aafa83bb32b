/*
 * intel_registers.c: the declarations of the threat-intelligence
 * registers (plan 壹拾壹; 資通安全情資分享辦法) and their cross-field
 * rules.  An intelligence record's validity does not end before it was
 * received; every line of its indicators is one indicator this system
 * knows (indicator.h), each bad line named in its own error; assessed
 * intelligence has its impact, intelligence responded to has its
 * response; and high-impact intrusion intelligence shows the judgement
 * of immediate danger the plan asks for (壹拾壹.二.(二)): a linked
 * incident or the response taken.  A sharing record is confirmed free of
 * what §4 forbids, names who approved any channel but the designated
 * platform (§9) and is not dated before the intelligence was received.
 * The tables come from src/db/migrations/0019_intel.sql.
 */
#include "intel.h"
#include "indicator.h"
#include "auth/roles.h"
#include "core/str.h"
#include "registers/register_store.h"

#include <string.h>

#define N(a)      (sizeof(a) / sizeof((a)[0]))
#define TEXT_MAX  200
#define LONG_MAX_ 20000

/* At most this many indicator lines are named as errors; a list pasted
 * in the wrong field would otherwise give one error per line. */
#define IOC_ERRORS_MAX 10

/* ---- 壹拾壹: the intelligence received ---- */

static const struct field_opt intel_category_opts[] = {
  { "info", M_IN_CAT_INFO },
  { "intrusion", M_IN_CAT_INTRUSION },
  { "sensitive", M_IN_CAT_SENSITIVE },
  { "core", M_IN_CAT_CORE },
  { NULL, M_NONE },
};

/* 資通安全情資分享辦法 §2 items 1-7, in the regulation's order. */
static const struct field_opt intel_kind_opts[] = {
  { "recon", M_IN_KIND_RECON },     { "vuln", M_IN_KIND_VULN },
  { "exploit", M_IN_KIND_EXPLOIT }, { "malware", M_IN_KIND_MALWARE },
  { "damage", M_IN_KIND_DAMAGE },   { "measure", M_IN_KIND_MEASURE },
  { "other", M_IN_KIND_OTHER },     { NULL, M_NONE },
};

static const struct field_opt intel_impact_opts[] = {
  { "high", M_IN_IMP_HIGH }, { "medium", M_IN_IMP_MEDIUM },
  { "low", M_IN_IMP_LOW },   { "none", M_IN_IMP_NONE },
  { NULL, M_NONE },
};

static const struct field_opt intel_status_opts[] = {
  { "new", M_IN_ST_NEW },
  { "assessed", M_IN_ST_ASSESSED },
  { "done", M_IN_ST_DONE },
  { NULL, M_NONE },
};

static const struct field intel_fields[] = {
  { "title", FT_TEXT, M_F_IN_TITLE, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, TEXT_MAX, NULL, NULL },
  { "source", FT_TEXT, M_F_IN_SOURCE, M_H_IN_SOURCE, FF_LIST | FF_SEARCH, 0,
    TEXT_MAX, NULL, NULL },
  { "received", FT_DATE, M_F_IN_RECEIVED, M_DATE_HINT,
    FF_REQUIRED | FF_LIST | FF_SORT | FF_FILTER, 0, 0, NULL, NULL },
  { "valid_until", FT_DATE, M_F_IN_VALID, M_DATE_HINT, 0, 0, 0, NULL, NULL },
  { "category", FT_ENUM, M_F_IN_CATEGORY, M_H_IN_CATEGORY,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, intel_category_opts, NULL },
  { "kind", FT_ENUM, M_F_IN_KIND, M_H_IN_KIND, FF_FILTER, 0, 0,
    intel_kind_opts, NULL },
  { "content", FT_LONGTEXT, M_F_IN_CONTENT, M_NONE, FF_MASK | FF_SEARCH, 0,
    LONG_MAX_, NULL, NULL },
  { "indicators", FT_LONGTEXT, M_F_IN_INDICATORS, M_H_IN_INDICATORS, FF_SEARCH,
    0, LONG_MAX_, NULL, NULL },
  { "impact", FT_ENUM, M_F_IN_IMPACT, M_NONE, FF_LIST | FF_FILTER, 0, 0,
    intel_impact_opts, NULL },
  { "impact_note", FT_LONGTEXT, M_F_IN_IMPACT_NOTE, M_NONE, FF_MASK, 0, 4000,
    NULL, NULL },
  { "within_risk", FT_BOOL, M_F_IN_WITHIN_RISK, M_NONE, 0, 0, 0, NULL, NULL },
  { "response", FT_LONGTEXT, M_F_IN_RESPONSE, M_NONE, FF_MASK | FF_SEARCH, 0,
    LONG_MAX_, NULL, NULL },
  { "plan_adjusted", FT_BOOL, M_F_IN_PLAN_ADJUSTED, M_NONE, 0, 0, 0, NULL,
    NULL },
  { "analyst", FT_TEXT, M_F_IN_ANALYST, M_H_IN_ANALYST, FF_SEARCH, 0, 100,
    NULL, NULL },
  { "status", FT_ENUM, M_F_IN_STATUS, M_NONE,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, intel_status_opts, NULL },
  { "incidents", FT_REFS, M_F_IN_INCIDENTS, M_NONE, FF_FILTER, 0, 0, NULL,
    "incident" },
  { "risks", FT_REFS, M_F_IN_RISKS, M_NONE, FF_FILTER, 0, 0, NULL, "risk" },
};

/* One error per indicator line that is none of the kinds, naming its
 * number and text ("3: text"), the first IOC_ERRORS_MAX of them. */
static void check_indicators(const char *text, struct reg_errors *errs)
{
  struct str rest = str_c(text), line;
  size_t lineno = 0, bad = 0;
  while(bad < IOC_ERRORS_MAX && ioc_next_line(&rest, &line, &lineno)) {
    const char *detail;
    if(ioc_classify(line) != IOC_NONE) {
      continue;
    }
    detail =
      arena_printf(errs->arena, "%zu: %.*s", lineno, (int)line.len, line.p);
    if(!detail) {
      errs->failed = 1;
      return;
    }
    reg_error_detail(errs, "indicators", M_ERR_IN_IOC, detail);
    bad++;
  }
}

static void intel_check(const struct reg *reg, struct db *db, const char **v,
                        struct reg_errors *errs)
{
  const char *received = *reg_slot(reg, v, "received");
  const char *valid = *reg_slot(reg, v, "valid_until");
  const char *category = *reg_slot(reg, v, "category");
  const char *impact = *reg_slot(reg, v, "impact");
  const char *response = *reg_slot(reg, v, "response");
  const char *status = *reg_slot(reg, v, "status");
  const char *indicators = *reg_slot(reg, v, "indicators");
  int urgent;
  (void)db;

  if(valid && received && strcmp(valid, received) < 0) {
    reg_error(errs, "valid_until", M_ERR_IN_VALID_EARLY);
  }
  if(indicators) {
    check_indicators(indicators, errs);
  }
  if(status && strcmp(status, "new") != 0 && !impact) {
    reg_error(errs, "impact", M_ERR_IN_NO_IMPACT);
  }
  /* 壹拾壹.二.(二): judge whether there is immediate danger, notify and
   * respond at once where needed; on record as a linked incident or as
   * the response taken. */
  urgent = category && impact && !strcmp(category, "intrusion") &&
           !strcmp(impact, "high") && !*reg_slot(reg, v, "incidents") &&
           !response;
  if(urgent) {
    reg_error(errs, "response", M_ERR_IN_INTRUSION);
  }
  else if(status && !strcmp(status, "done") && !response) {
    reg_error(errs, "response", M_ERR_IN_NO_RESPONSE);
  }
}

const struct reg reg_intel = {
  "intel",      M_R_INTEL,       M_I_INTEL,   M_S_INTEL,    11,
  intel_fields, N(intel_fields), "title",     "received",   intel_check,
  NULL,         AREA_INCIDENT,   intel_links, intel_detail, NULL,
};

enum msg intel_rule(const char *category)
{
  static const struct {
    const char *category; /* intel category value */
    enum msg rule;        /* 壹拾壹.二's sentence for it */
  } rules[] = {
    { "info", M_IN_RULE_INFO },
    { "intrusion", M_IN_RULE_INTRUSION },
    { "sensitive", M_IN_RULE_SENSITIVE },
    { "core", M_IN_RULE_CORE },
  };
  size_t i;
  for(i = 0; category && i < N(rules); i++) {
    if(!strcmp(category, rules[i].category)) {
      return rules[i].rule;
    }
  }
  return M_NONE;
}

/* ---- 情資分享辦法 §4, §5, §9: what the agency shared ---- */

static const struct field_opt share_channel_opts[] = {
  { "platform", M_IS_CH_PLATFORM },
  { "paper", M_IS_CH_PAPER },
  { "fax", M_IS_CH_FAX },
  { "email", M_IS_CH_EMAIL },
  { "system", M_IS_CH_SYSTEM },
  { "other", M_IS_CH_OTHER },
  { NULL, M_NONE },
};

static const struct field intel_share_fields[] = {
  { "intel", FT_REF, M_F_IS_INTEL, M_NONE, FF_REQUIRED | FF_LIST | FF_FILTER,
    0, 0, NULL, "intel" },
  { "shared_on", FT_DATE, M_F_IS_SHARED_ON, M_DATE_HINT,
    FF_REQUIRED | FF_LIST | FF_SORT, 0, 0, NULL, NULL },
  { "recipient", FT_TEXT, M_F_IS_RECIPIENT, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH, 0, TEXT_MAX, NULL, NULL },
  { "channel", FT_ENUM, M_F_IS_CHANNEL, M_H_IS_CHANNEL,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, share_channel_opts, NULL },
  { "approved_by", FT_TEXT, M_F_IS_APPROVED_BY, M_NONE, FF_SEARCH, 0, 100,
    NULL, NULL },
  { "content", FT_LONGTEXT, M_F_IS_CONTENT, M_NONE, FF_MASK | FF_SEARCH, 0,
    LONG_MAX_, NULL, NULL },
  { "cleared", FT_BOOL, M_F_IS_CLEARED, M_H_IS_CLEARED, FF_REQUIRED, 0, 0,
    NULL, NULL },
};

static void intel_share_check(const struct reg *reg, struct db *db,
                              const char **v, struct reg_errors *errs)
{
  const char *channel = *reg_slot(reg, v, "channel");
  const char *cleared = *reg_slot(reg, v, "cleared");
  const char *intel = *reg_slot(reg, v, "intel");
  const char *shared = *reg_slot(reg, v, "shared_on");
  struct record rec;
  int64_t id;

  if(cleared && strcmp(cleared, "1") != 0) {
    reg_error(errs, "cleared", M_ERR_IS_NOT_CLEARED);
  }
  if(channel && strcmp(channel, "platform") != 0 &&
     !*reg_slot(reg, v, "approved_by")) {
    reg_error(errs, "approved_by", M_ERR_IS_APPROVAL);
  }
  if(!intel || !shared ||
     str_to_i64(str_c(intel), 1, INT64_MAX, &id) != ST_OK) {
    return; /* no intelligence named: its own error says so */
  }
  switch(reg_store_get(db, &reg_intel, id, errs->arena, &rec)) {
  case ST_OK: {
    const char *received = reg_val(&reg_intel, &rec, "received");
    if(received && strcmp(shared, received) < 0) {
      reg_error(errs, "shared_on", M_ERR_IS_EARLY);
    }
    break;
  }
  case ST_NOTFOUND:
    break; /* the reference's own check names it */
  default:
    reg_error(errs, "", M_ERR_INTERNAL);
  }
}

const struct reg reg_intel_share = {
  "intel_share",
  M_R_INTEL_SHARE,
  M_I_INTEL_SHARE,
  M_S_INTEL_SHARE,
  11,
  intel_share_fields,
  N(intel_share_fields),
  "recipient",
  "shared_on",
  intel_share_check,
  NULL,
  AREA_INCIDENT,
  NULL,
  NULL,
  NULL,
};
