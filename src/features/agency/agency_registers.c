/*
 * agency_registers.c: the declarations of the registers of plan chapters
 * 壹–伍 and 附表1, and their cross-field rules.  The tables are created by
 * src/db/migrations/0002_agency.sql; reg_check_schema() keeps the two in
 * step.
 */
#include "agency.h"
#include "auth/roles.h"
#include "core/str.h"
#include "core/time.h"
#include "features/kpi/kpi.h"
#include "registers/register_store.h"

#include <string.h>

#define N(a)           (sizeof(a) / sizeof((a)[0]))
#define TEXT_MAX       200
#define LONG_MAX_CHARS 20000

/* ---- 壹 貳: agency profile ---- */

static const struct field_opt level_opts[] = {
  { "A", M_LEVEL_A }, { "B", M_LEVEL_B }, { "C", M_LEVEL_C },
  { "D", M_LEVEL_D }, { "E", M_LEVEL_E }, { NULL, M_NONE },
};

static const struct field agency_fields[] = {
  { "name", FT_TEXT, M_F_AGENCY_NAME, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, TEXT_MAX, NULL, NULL },
  { "level", FT_ENUM, M_F_LEVEL, M_H_LEVEL, FF_REQUIRED | FF_LIST | FF_FILTER,
    0, 0, level_opts, NULL },
  { "level_basis", FT_LONGTEXT, M_F_LEVEL_BASIS, M_NONE, 0, 0, LONG_MAX_CHARS,
    NULL, NULL },
  { "legal_basis", FT_LONGTEXT, M_F_LEGAL_BASIS, M_LONGTEXT_HINT, 0, 0,
    LONG_MAX_CHARS, NULL, NULL },
  { "scope", FT_LONGTEXT, M_F_SCOPE, M_NONE, 0, 0, LONG_MAX_CHARS, NULL,
    NULL },
  { "superior", FT_TEXT, M_F_SUPERIOR, M_NONE, FF_LIST | FF_SEARCH, 0,
    TEXT_MAX, NULL, NULL },
  { "level_approved", FT_DATE, M_F_LEVEL_APPROVED, M_H_LEVEL_APPROVED, 0, 0, 0,
    NULL, NULL },
  { "level_changed", FT_DATE, M_F_LEVEL_CHANGED, M_H_LEVEL_CHANGED, 0, 0, 0,
    NULL, NULL },
};

const struct reg reg_agency = {
  "agency",      M_R_AGENCY,       M_I_AGENCY, M_S_AGENCY, 1,
  agency_fields, N(agency_fields), "name",     "name",     NULL,
  NULL,          AREA_PLAN,        NULL,       NULL,       NULL,
};

/* ---- 伍: organisation ---- */

static const struct field_opt org_kind_opts[] = {
  { "ciso", M_ORG_CISO },
  { "team", M_ORG_TEAM },
  { "group", M_ORG_GROUP },
  { NULL, M_NONE },
};

static const struct field org_unit_fields[] = {
  { "seq", FT_INT, M_F_SEQ, M_NONE, FF_LIST | FF_SORT, 0, 100000, NULL, NULL },
  { "kind", FT_ENUM, M_F_ORG_KIND, M_NONE, FF_REQUIRED | FF_LIST | FF_FILTER,
    0, 0, org_kind_opts, NULL },
  { "name", FT_TEXT, M_F_ORG_NAME, M_NONE, FF_REQUIRED | FF_LIST | FF_SEARCH,
    0, TEXT_MAX, NULL, NULL },
  { "holder", FT_TEXT, M_F_ORG_HOLDER, M_H_ORG_HOLDER, FF_LIST | FF_SEARCH, 0,
    TEXT_MAX, NULL, NULL },
  { "parent", FT_REF, M_F_ORG_PARENT, M_NONE, FF_LIST, 0, 0, NULL,
    "org_unit" },
  { "duties", FT_LONGTEXT, M_F_DUTIES, M_LONGTEXT_HINT, FF_SEARCH, 0,
    LONG_MAX_CHARS, NULL, NULL },
};

const struct reg reg_org_unit = {
  "org_unit",
  M_R_ORG_UNIT,
  M_I_ORG_UNIT,
  M_S_ORG_UNIT,
  5,
  org_unit_fields,
  N(org_unit_fields),
  "name",
  "seq",
  NULL,
  NULL,
  AREA_PLAN,
  NULL,
  NULL,
  NULL,
};

static const struct field member_fields[] = {
  { "name", FT_TEXT, M_F_PERSON_NAME, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, 100, NULL, NULL },
  { "title", FT_TEXT, M_F_JOB_TITLE, M_NONE, FF_LIST | FF_SEARCH, 0, 100, NULL,
    NULL },
  { "unit", FT_TEXT, M_F_UNIT, M_NONE, FF_LIST | FF_SEARCH, 0, 100, NULL,
    NULL },
  { "org_unit", FT_REF, M_F_GROUP, M_NONE, FF_LIST, 0, 0, NULL, "org_unit" },
  { "duty", FT_LONGTEXT, M_F_DUTY, M_NONE, FF_SEARCH, 0, 2000, NULL, NULL },
  { "phone", FT_PHONE, M_F_PHONE, M_NONE, FF_LIST, 0, 0, NULL, NULL },
  { "email", FT_EMAIL, M_F_EMAIL, M_NONE, FF_LIST | FF_SEARCH, 0, 0, NULL,
    NULL },
};

const struct reg reg_member = {
  "member",      M_R_MEMBER,       M_I_MEMBER, M_S_MEMBER, 5,
  member_fields, N(member_fields), "name",     "name",     NULL,
  NULL,          AREA_PLAN,        NULL,       NULL,       NULL,
};

/* ---- 參 and 附表1: businesses ---- */

static const struct field_opt mtd_opts[] = {
  { "hours", M_MTD_HOURS },
  { "undefined", M_MTD_UNDEFINED },
  { "owner", M_MTD_OWNER },
  { NULL, M_NONE },
};

static const struct field business_fields[] = {
  { "seq", FT_INT, M_F_SEQ, M_NONE, FF_LIST | FF_SORT, 0, 1000000, NULL,
    NULL },
  { "name", FT_TEXT, M_F_BUSINESS_NAME, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, TEXT_MAX, NULL, NULL },
  { "is_core", FT_BOOL, M_F_IS_CORE, M_H_IS_CORE,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, NULL, NULL },
  { "description", FT_LONGTEXT, M_F_DESCRIPTION, M_NONE, 0, 0, LONG_MAX_CHARS,
    NULL, NULL },
  { "core_system", FT_TEXT, M_F_CORE_SYSTEM, M_H_CORE_SYSTEM,
    FF_LIST | FF_SEARCH, 0, TEXT_MAX, NULL, NULL },
  { "importance", FT_LONGTEXT, M_F_IMPORTANCE, M_NONE, 0, 0, LONG_MAX_CHARS,
    NULL, NULL },
  { "failure_impact", FT_LONGTEXT, M_F_FAILURE_IMPACT, M_NONE,
    FF_LIST | FF_SEARCH, 0, LONG_MAX_CHARS, NULL, NULL },
  { "mtd_kind", FT_ENUM, M_F_MTD_KIND, M_H_MTD,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, mtd_opts, NULL },
  { "mtd_hours", FT_INT, M_F_MTD_HOURS, M_NONE, FF_LIST, 1, 100000, NULL,
    NULL },
};

/* The hours are given exactly when the kind says hours. */
static void business_check(const struct reg *reg, struct db *db,
                           const char **v, struct reg_errors *errs)
{
  int hours = v[7] && strcmp(v[7], "hours") == 0;
  (void)reg;
  (void)db;
  if(hours != (v[8] != NULL)) {
    reg_error(errs, "mtd_hours", M_ERR_MTD_HOURS);
  }
}

const struct reg reg_business = {
  "business",
  M_R_BUSINESS,
  M_I_BUSINESS,
  M_S_BUSINESS,
  3,
  business_fields,
  N(business_fields),
  "name",
  "seq",
  business_check,
  "name",
  AREA_PLAN,
  NULL,
  NULL,
  NULL,
};

/* ---- 肆: policy and goals ---- */

static const struct field_opt policy_kind_opts[] = {
  { "policy", M_POLICY_STATEMENT },
  { "quantitative", M_POLICY_QUANT },
  { "qualitative", M_POLICY_QUAL },
  { NULL, M_NONE },
};

static const struct field_opt approval_opts[] = {
  { "draft", M_APPROVAL_DRAFT },
  { "approved", M_APPROVAL_APPROVED },
  { "retired", M_APPROVAL_RETIRED },
  { NULL, M_NONE },
};

static const struct field policy_fields[] = {
  { "seq", FT_INT, M_F_SEQ, M_NONE, FF_LIST | FF_SORT, 0, 100000, NULL, NULL },
  { "kind", FT_ENUM, M_F_POLICY_KIND, M_NONE,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, policy_kind_opts, NULL },
  { "text", FT_LONGTEXT, M_F_POLICY_TEXT, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH, 0, LONG_MAX_CHARS, NULL, NULL },
  { "status", FT_ENUM, M_F_APPROVAL, M_H_APPROVAL,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, approval_opts, NULL },
  { "approver", FT_TEXT, M_F_APPROVER, M_NONE, FF_LIST, 0, 100, NULL, NULL },
  { "approved_on", FT_DATE, M_F_APPROVED_ON, M_DATE_HINT, FF_LIST, 0, 0, NULL,
    NULL },
};

/* An approved item names who approved it. */
static void policy_check(const struct reg *reg, struct db *db, const char **v,
                         struct reg_errors *errs)
{
  (void)reg;
  (void)db;
  if(v[3] && strcmp(v[3], "approved") == 0 && !v[4]) {
    reg_error(errs, "approver", M_ERR_APPROVAL);
  }
}

const struct reg reg_policy = {
  "policy",      M_R_POLICY,       M_I_POLICY, M_S_POLICY, 4,
  policy_fields, N(policy_fields), "text",     "seq",      policy_check,
  NULL,          AREA_PLAN,        NULL,       NULL,       NULL,
};

static const struct field_opt comparator_opts[] = {
  { ">=", M_CMP_GE }, { ">", M_CMP_GT }, { "<=", M_CMP_LE },
  { "<", M_CMP_LT },  { "=", M_CMP_EQ }, { NULL, M_NONE },
};

/* The values isms computes from records (features/kpi). */
static const struct field_opt kpi_opts[] = {
  { "availability", M_KPI_K_AVAILABILITY },
  { "incident_timeliness", M_KPI_K_TIMELINESS },
  { "phishing_open", M_KPI_K_PHISHING_OPEN },
  { "phishing_click", M_KPI_K_PHISHING_CLICK },
  { NULL, M_NONE },
};

static const struct field goal_metric_fields[] = {
  { "goal", FT_REF, M_F_GOAL, M_H_GOAL, FF_REQUIRED | FF_LIST, 0, 0, NULL,
    "policy" },
  { "metric", FT_TEXT, M_F_METRIC, M_NONE, FF_REQUIRED | FF_LIST | FF_SEARCH,
    0, TEXT_MAX, NULL, NULL },
  { "comparator", FT_ENUM, M_F_COMPARATOR, M_NONE, FF_REQUIRED | FF_LIST, 0, 0,
    comparator_opts, NULL },
  { "target", FT_REAL, M_F_TARGET, M_NONE, FF_REQUIRED | FF_LIST, -1000000000,
    1000000000, NULL, NULL },
  { "unit", FT_TEXT, M_F_METRIC_UNIT, M_NONE, FF_LIST, 0, 20, NULL, NULL },
  { "formula", FT_TEXT, M_F_FORMULA, M_NONE, FF_SEARCH, 0, TEXT_MAX, NULL,
    NULL },
  { "kpi", FT_ENUM, M_F_KPI, M_H_KPI, FF_LIST | FF_FILTER, 0, 0, kpi_opts,
    NULL },
};

/* A metric measures a quantitative goal; one computed by isms is a
 * percentage, so its unit is %. */
static void goal_metric_check(const struct reg *reg, struct db *db,
                              const char **v, struct reg_errors *errs)
{
  struct arena a;
  struct record goal;
  const char *unit = *reg_slot(reg, v, "unit");
  int64_t id;
  if(*reg_slot(reg, v, "kpi") &&
     (!unit || (strcmp(unit, "%") != 0 && strcmp(unit, "％") != 0))) {
    reg_error(errs, "unit", M_ERR_KPI_UNIT);
  }
  if(!v[0] || str_to_i64(str_c(v[0]), 1, INT64_MAX, &id)) {
    return;
  }
  arena_init(&a, 1 << 20);
  if(!reg_store_get(db, &reg_policy, id, &a, &goal) &&
     (!goal.v[1] || strcmp(goal.v[1], "quantitative") != 0)) {
    reg_error(errs, "goal", M_ERR_GOAL_KIND);
  }
  arena_reset(&a);
}

const struct reg reg_goal_metric = {
  "goal_metric",
  M_R_GOAL_METRIC,
  M_I_GOAL_METRIC,
  M_S_GOAL_METRIC,
  4,
  goal_metric_fields,
  N(goal_metric_fields),
  "metric",
  NULL,
  goal_metric_check,
  NULL,
  AREA_PLAN,
  kpi_goal_links,
  kpi_goal_detail,
  NULL,
};

const char *agency_name(struct db *db, struct arena *a)
{
  struct list_query q;
  struct record_page pg;
  const char *name;
  memset(&q, 0, sizeof(q));
  q.page = 1;
  q.per_page = 1;
  if(reg_store_list(db, &reg_agency, &q, a, &pg) || !pg.n) {
    return NULL;
  }
  name = reg_val(&reg_agency, &pg.rows[0], "name");
  return name && *name ? name : NULL;
}

/* The date in field name of rec, or year 0. */
static struct date date_of(const struct record *rec, const char *name)
{
  struct date d = { 0, 0, 0 };
  const char *v = reg_val(&reg_agency, rec, name);
  if(v && time_parse_date(str_c(v), &d)) {
    memset(&d, 0, sizeof(d));
  }
  return d;
}

enum status agency_level_of(struct db *db, struct arena *a,
                            struct agency_level *out)
{
  struct list_query q;
  struct record_page pg;
  enum status st;
  memset(&q, 0, sizeof(q));
  memset(out, 0, sizeof(*out));
  q.page = 1;
  q.per_page = 1;
  st = reg_store_list(db, &reg_agency, &q, a, &pg);
  if(st) {
    return st;
  }
  if(!pg.n) {
    return ST_NOTFOUND;
  }
  out->level = reg_val(&reg_agency, &pg.rows[0], "level");
  out->approved = date_of(&pg.rows[0], "level_approved");
  out->changed = date_of(&pg.rows[0], "level_changed");
  return out->level ? ST_OK : ST_NOTFOUND;
}
