/*
 * risk_registers.c: the declarations of the risk assessment campaign and
 * risk registers (plan 捌, forms 6 and 7) and their cross-field rules.
 * The risk value and the residual value are computed here on every save,
 * so a value sent with a create or edit is replaced, never trusted.  Also
 * the agency's own risk types of form 7.  The tables come from
 * src/db/migrations/0007_risk.sql and 0010_risk_type.sql.
 */
#include "risk.h"
#include "auth/roles.h"
#include "core/str.h"
#include "features/assets/assets.h"
#include "registers/register_store.h"
#include "rules/baseline.h"
#include "rules/riskcat.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- 捌: the yearly assessment ---- */

static const struct field_opt campaign_status_opts[] = {
  { "open", M_RK_OPEN },
  { "closed", M_RK_CLOSED },
  { NULL, M_NONE },
};

static const struct field campaign_fields[] = {
  { "year", FT_INT, M_F_RK_YEAR, M_NONE,
    FF_REQUIRED | FF_LIST | FF_FILTER | FF_SORT, 2000, 2200, NULL, NULL },
  { "title", FT_TEXT, M_F_RK_TITLE, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, 200, NULL, NULL },
  { "likelihood_levels", FT_INT, M_F_RK_L_LEVELS, M_H_RK_LEVELS, FF_LIST, 2, 9,
    NULL, NULL },
  { "impact_levels", FT_INT, M_F_RK_I_LEVELS, M_H_RK_LEVELS, FF_LIST, 2, 9,
    NULL, NULL },
  { "threshold", FT_INT, M_F_RK_THRESHOLD, M_H_RK_THRESHOLD,
    FF_REQUIRED | FF_LIST, 1, 729, NULL, NULL },
  { "status", FT_ENUM, M_F_RK_STATUS, M_NONE,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, campaign_status_opts, NULL },
  { "notes", FT_LONGTEXT, M_F_RK_NOTES, M_NONE, FF_SEARCH, 0, 4000, NULL,
    NULL },
};

/* The integer in text s, or 0 when it is empty or not a number. */
static int64_t num(const char *s)
{
  int64_t n = 0;
  if(!s || str_to_i64(str_c(s), INT64_MIN, INT64_MAX, &n)) {
    return 0;
  }
  return n;
}

/* The threshold must be reachable on the campaign's scales. */
static void campaign_check(const struct reg *reg, struct db *db,
                           const char **v, struct reg_errors *errs)
{
  int64_t nl = num(*reg_slot(reg, v, "likelihood_levels"));
  int64_t ni = num(*reg_slot(reg, v, "impact_levels"));
  (void)db;
  if(!nl) {
    nl = RISK_DEFAULT_LEVELS;
  }
  if(!ni) {
    ni = RISK_DEFAULT_LEVELS;
  }
  if(num(*reg_slot(reg, v, "threshold")) > risk_score(nl, ni, 3)) {
    reg_error(errs, "threshold", M_ERR_RK_THRESHOLD);
  }
}

const struct reg reg_risk_campaign = {
  "risk_campaign",
  M_R_RISK_CAMPAIGN,
  M_I_RISK_CAMPAIGN,
  M_S_RISK_CAMPAIGN,
  8,
  campaign_fields,
  N(campaign_fields),
  "title",
  "year",
  campaign_check,
  "title",
  AREA_ASSET,
  risk_campaign_links,
  NULL,
  NULL,
};

/* ---- 捌 and form 6: the risks ---- */

static const struct field_opt treatment_opts[] = {
  { "reduce", M_RK_REDUCE }, { "transfer", M_RK_TRANSFER },
  { "avoid", M_RK_AVOID },   { "accept", M_RK_ACCEPT },
  { NULL, M_NONE },
};

static const struct field risk_fields[] = {
  { "campaign", FT_REF, M_F_RK_CAMPAIGN, M_NONE, FF_REQUIRED | FF_LIST, 0, 0,
    NULL, "risk_campaign" },
  { "asset", FT_REF, M_F_RK_ASSET, M_H_RK_ASSET, FF_LIST, 0, 0, NULL,
    "asset" },
  { "asset_group", FT_TEXT, M_F_RK_GROUP, M_NONE, FF_SEARCH, 0, 200, NULL,
    NULL },
  { "threat", FT_TEXT, M_F_RK_THREAT, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, 500, NULL, NULL },
  { "vulnerability", FT_TEXT, M_F_RK_VULN, M_NONE, FF_SEARCH, 0, 500, NULL,
    NULL },
  { "catalog", FT_TEXT, M_F_RK_CATALOG, M_H_RK_CATALOG, FF_FILTER, 0, 16, NULL,
    NULL },
  { "controls", FT_LONGTEXT, M_F_RK_CONTROLS, M_NONE, FF_SEARCH, 0, 2000, NULL,
    NULL },
  { "likelihood", FT_INT, M_F_RK_LIKELIHOOD, M_H_RK_SCALE, FF_REQUIRED, 1, 9,
    NULL, NULL },
  { "impact", FT_INT, M_F_RK_IMPACT, M_H_RK_SCALE, FF_REQUIRED, 1, 9, NULL,
    NULL },
  { "asset_value", FT_INT, M_F_RK_ASSET_VALUE, M_H_RK_ASSET_VALUE, 0, 1, 3,
    NULL, NULL },
  { "value", FT_INT, M_F_RK_VALUE, M_H_RK_VALUE, FF_LIST | FF_SORT, 1, 729,
    NULL, NULL },
  { "treatment", FT_ENUM, M_F_RK_TREATMENT, M_NONE, FF_LIST | FF_FILTER, 0, 0,
    treatment_opts, NULL },
  { "plan", FT_LONGTEXT, M_F_RK_PLAN, M_NONE, FF_SEARCH, 0, 2000, NULL, NULL },
  { "owner", FT_TEXT, M_F_RK_OWNER, M_NONE, FF_LIST | FF_SEARCH, 0, 100, NULL,
    NULL },
  { "due", FT_DATE, M_F_RK_DUE, M_NONE, FF_LIST, 0, 0, NULL, NULL },
  { "residual_likelihood", FT_INT, M_F_RK_R_LIKELIHOOD, M_NONE, 0, 1, 9, NULL,
    NULL },
  { "residual_impact", FT_INT, M_F_RK_R_IMPACT, M_NONE, 0, 1, 9, NULL, NULL },
  { "residual_value", FT_INT, M_F_RK_R_VALUE, M_H_RK_R_VALUE, 0, 1, 729, NULL,
    NULL },
};

/* The asset value of asset id from its system's protection level (普 1,
 * 中 2, 高 3), or 0 when the asset has no graded system. */
static int64_t value_of_asset(struct db *db, int64_t id, struct arena *a)
{
  struct record as, sys;
  const char *sid, *level;
  if(!id || reg_store_get(db, &reg_asset, id, a, &as)) {
    return 0;
  }
  sid = *reg_slot(&reg_asset, as.v, "system");
  if(!sid || reg_store_get(db, &reg_system, num(sid), a, &sys)) {
    return 0;
  }
  level = *reg_slot(&reg_system, sys.v, "level");
  if(!level) {
    return 0;
  }
  return strcmp(level, "high") == 0 ? 3 : strcmp(level, "mid") == 0 ? 2 : 1;
}

/* A risk names an asset or a group; the catalog id may be named
 * (risk_cat_allowed(): a shipped entry or an agency risk type in use);
 * the levels
 * are on the campaign's scales; the asset value defaults to the system's
 * level; the values are computed. */
static void risk_check(const struct reg *reg, struct db *db, const char **v,
                       struct reg_errors *errs)
{
  struct record camp;
  int64_t nl = RISK_DEFAULT_LEVELS, ni = RISK_DEFAULT_LEVELS;
  int64_t l = num(*reg_slot(reg, v, "likelihood"));
  int64_t i = num(*reg_slot(reg, v, "impact"));
  int64_t rl = num(*reg_slot(reg, v, "residual_likelihood"));
  int64_t ri = num(*reg_slot(reg, v, "residual_impact"));
  int64_t av = num(*reg_slot(reg, v, "asset_value"));
  const char *cat = *reg_slot(reg, v, "catalog");
  const char **value = reg_slot(reg, v, "value");
  const char **rvalue = reg_slot(reg, v, "residual_value");

  if(!*reg_slot(reg, v, "asset") && !*reg_slot(reg, v, "asset_group")) {
    reg_error(errs, "asset", M_ERR_RK_ASSET);
  }
  if(cat) {
    enum status cs = risk_cat_allowed(db, cat, errs->arena);
    if(cs == ST_FORBIDDEN) {
      reg_error(errs, "catalog", M_ERR_RK_CATALOG_ARCHIVED);
    }
    else if(cs == ST_NOTFOUND) {
      reg_error(errs, "catalog", M_ERR_RK_CATALOG);
    }
    else if(cs) {
      reg_error(errs, "catalog", M_ERR_INTERNAL);
    }
  }
  if(!reg_store_get(db, &reg_risk_campaign, num(*reg_slot(reg, v, "campaign")),
                    errs->arena, &camp)) {
    int64_t n =
      num(*reg_slot(&reg_risk_campaign, camp.v, "likelihood_levels"));
    nl = n ? n : nl;
    n = num(*reg_slot(&reg_risk_campaign, camp.v, "impact_levels"));
    ni = n ? n : ni;
  }
  if(l > nl) {
    reg_error(errs, "likelihood", M_ERR_RK_SCALE);
  }
  if(i > ni) {
    reg_error(errs, "impact", M_ERR_RK_SCALE);
  }
  if(rl > nl) {
    reg_error(errs, "residual_likelihood", M_ERR_RK_SCALE);
  }
  if(ri > ni) {
    reg_error(errs, "residual_impact", M_ERR_RK_SCALE);
  }
  if(!rl != !ri) {
    reg_error(errs, "residual_impact", M_ERR_RK_RESIDUAL);
  }
  if(!av) {
    av = value_of_asset(db, num(*reg_slot(reg, v, "asset")), errs->arena);
    if(!av) {
      reg_error(errs, "asset_value", M_ERR_RK_ASSET_VALUE);
      return;
    }
    *reg_slot(reg, v, "asset_value") =
      arena_printf(errs->arena, "%lld", (long long)av);
  }
  *value = arena_printf(errs->arena, "%lld", (long long)risk_score(l, i, av));
  *rvalue = rl && ri ? arena_printf(errs->arena, "%lld",
                                    (long long)risk_score(rl, ri, av)) :
                       NULL;
  if(!*value || (rl && ri && !*rvalue) || !*reg_slot(reg, v, "asset_value")) {
    errs->failed = 1;
  }
}

const struct reg reg_risk = {
  "risk",      M_R_RISK,       M_I_RISK,   M_S_RISK,    8,
  risk_fields, N(risk_fields), "threat",   "threat",    risk_check,
  NULL,        AREA_ASSET,     risk_links, risk_detail, NULL,
};

/* ---- form 7: the agency's own risk types ---- */

/* The four asset-class fields are named by the keys of
 * riskcat_asset_classes() (tests/unit/risk/test_risk.c checks it). */
static const struct field risk_type_fields[] = {
  { "type", FT_TEXT, M_F_RT_TYPE, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, 200, NULL, NULL },
  { "threat", FT_TEXT, M_F_RK_THREAT, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH, 0, 500, NULL, NULL },
  { "vulnerability", FT_TEXT, M_F_RK_VULN, M_NONE, FF_SEARCH, 0, 500, NULL,
    NULL },
  { "info", FT_BOOL, M_F_RT_INFO, M_H_RT_CLASS, FF_FILTER, 0, 0, NULL, NULL },
  { "software", FT_BOOL, M_F_RT_SOFTWARE, M_NONE, FF_FILTER, 0, 0, NULL,
    NULL },
  { "physical", FT_BOOL, M_F_RT_PHYSICAL, M_NONE, FF_FILTER, 0, 0, NULL,
    NULL },
  { "service", FT_BOOL, M_F_RT_SERVICE, M_NONE, FF_FILTER, 0, 0, NULL, NULL },
  { "countermeasures", FT_LONGTEXT, M_F_RT_MEASURES, M_H_RT_MEASURES,
    FF_REQUIRED | FF_SEARCH, 0, 4000, NULL, NULL },
  { "family", FT_TEXT, M_F_RT_FAMILY, M_H_RT_FAMILY, FF_LIST, 0, 40, NULL,
    NULL },
  { "notes", FT_LONGTEXT, M_F_RT_NOTES, M_NONE, FF_SEARCH, 0, 2000, NULL,
    NULL },
};

/* A risk type applies to at least one asset class; its family is a
 * 附表十 family, stored by its zh-TW name (an English name is accepted). */
static void risk_type_check(const struct reg *reg, struct db *db,
                            const char **v, struct reg_errors *errs)
{
  const struct riskcat_asset_class *classes;
  const char **family = reg_slot(reg, v, "family");
  size_t n, i;
  int any = 0;
  (void)db;
  classes = riskcat_asset_classes(&n);
  for(i = 0; i < n; i++) {
    const char *b = *reg_slot(reg, v, classes[i].key);
    if(b && strcmp(b, "1") == 0) {
      any = 1;
    }
  }
  if(!any) {
    reg_error(errs, classes[0].key, M_ERR_RT_CLASS);
  }
  if(*family) {
    const struct control *c = baseline_family(*family);
    if(!c) {
      reg_error(errs, "family", M_ERR_RT_FAMILY);
    }
    else {
      *family = c->family;
    }
  }
}

const struct reg reg_risk_type = {
  "risk_type",
  M_R_RISK_TYPE,
  M_I_RISK_TYPE,
  M_S_RISK_TYPE,
  8,
  risk_type_fields,
  N(risk_type_fields),
  "type",
  "type",
  risk_type_check,
  "type",
  AREA_ASSET,
  risk_type_links,
  NULL,
  NULL,
};
