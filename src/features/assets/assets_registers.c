/*
 * assets_registers.c: the declarations of the information-system and
 * asset registers and their cross-field rules.  The tables come from
 * src/db/migrations/0006_assets.sql (system.business, several
 * businesses, from 0012_system_business.sql).
 */
#include "assets.h"
#include "inventory.h"
#include "auth/roles.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- 柒.二: information and communication systems ---- */

static const struct field_opt level_opts[] = {
  { "low", M_PL_LOW },
  { "mid", M_PL_MID },
  { "high", M_PL_HIGH },
  { NULL, M_NONE },
};

static const struct field_opt sourcing_opts[] = {
  { "self", M_SRC_SELF },
  { "outsourced", M_SRC_OUTSOURCED },
  { "shared", M_SRC_SHARED },
  { NULL, M_NONE },
};

static const struct field_opt env_opts[] = {
  { "prod", M_ENV_PROD },
  { "test", M_ENV_TEST },
  { NULL, M_NONE },
};

static const struct field system_fields[] = {
  { "name", FT_TEXT, M_F_SYS_NAME, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, 200, NULL, NULL },
  { "business", FT_REFS, M_F_SYS_BUSINESS, M_H_SYS_BUSINESS,
    FF_LIST | FF_FILTER, 0, 0, NULL, "business" },
  { "is_core", FT_BOOL, M_F_SYS_CORE, M_H_SYS_CORE, FF_LIST | FF_FILTER, 0, 0,
    NULL, NULL },
  { "level", FT_ENUM, M_F_SYS_LEVEL, M_H_SYS_LEVEL, FF_LIST | FF_FILTER, 0, 0,
    level_opts, NULL },
  { "sourcing", FT_ENUM, M_F_SYS_SOURCING, M_NONE,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, sourcing_opts, NULL },
  { "grader", FT_TEXT, M_F_SYS_GRADER, M_H_SYS_GRADER, FF_SEARCH, 0, 200, NULL,
    NULL },
  { "contractor", FT_TEXT, M_F_SYS_CONTRACTOR, M_NONE, FF_SEARCH, 0, 200, NULL,
    NULL },
  { "environment", FT_ENUM, M_F_SYS_ENV, M_NONE, FF_REQUIRED | FF_FILTER, 0, 0,
    env_opts, NULL },
  { "host", FT_TEXT, M_F_SYS_HOST, M_H_SYS_HOST, FF_SEARCH, 0, 500, NULL,
    NULL },
  { "mtd_hours", FT_INT, M_F_SYS_MTD, M_NONE, 0, 1, 100000, NULL, NULL },
  { "rto_hours", FT_INT, M_F_SYS_RTO, M_NONE, 0, 0, 100000, NULL, NULL },
  { "rpo_hours", FT_INT, M_F_SYS_RPO, M_NONE, 0, 0, 100000, NULL, NULL },
  { "data_kinds", FT_LONGTEXT, M_F_SYS_DATA, M_H_SYS_DATA, FF_SEARCH, 0, 2000,
    NULL, NULL },
};

/* A shared system names who grades it; 高 makes a system core; RTO is
 * within the MTD. */
static void system_check(const struct reg *reg, struct db *db, const char **v,
                         struct reg_errors *errs)
{
  (void)reg;
  (void)db;
  if(v[4] && strcmp(v[4], "shared") == 0 && !v[5]) {
    reg_error(errs, "grader", M_ERR_SYS_GRADER);
  }
  if(v[3] && strcmp(v[3], "high") == 0 && (!v[2] || strcmp(v[2], "1") != 0)) {
    reg_error(errs, "is_core", M_ERR_SYS_HIGH_CORE);
  }
  if(v[9] && v[10]) {
    long long mtd = 0, rto = 0;
    const char *p;
    for(p = v[9]; *p >= '0' && *p <= '9'; p++) {
      mtd = mtd * 10 + (*p - '0');
    }
    for(p = v[10]; *p >= '0' && *p <= '9'; p++) {
      rto = rto * 10 + (*p - '0');
    }
    if(rto > mtd) {
      reg_error(errs, "rto_hours", M_ERR_SYS_RTO);
    }
  }
}

const struct reg reg_system = {
  "system",      M_R_SYSTEM,       M_I_SYSTEM,   M_S_SYSTEM, 7,
  system_fields, N(system_fields), "name",       "name",     system_check,
  "name",        AREA_ASSET,       system_links, NULL,       NULL,
};

/* ---- 柒.一 and form 5: assets ---- */

static const struct field_opt class_opts[] = {
  { "info", M_AC_INFO },
  { "software", M_AC_SOFTWARE },
  { "physical", M_AC_PHYSICAL },
  { "service", M_AC_SERVICE },
  { NULL, M_NONE },
};

/* Sub-types, each prefixed with its class so the check can pair them. */
static const struct field_opt subtype_opts[] = {
  { "info-data", M_AS_INFO_DATA },
  { "info-document", M_AS_INFO_DOC },
  { "software-system", M_AS_SW_SYSTEM },
  { "software-application", M_AS_SW_APP },
  { "software-package", M_AS_SW_PACKAGE },
  { "software-tool", M_AS_SW_TOOL },
  { "physical-server", M_AS_PH_SERVER },
  { "physical-network", M_AS_PH_NETWORK },
  { "physical-storage", M_AS_PH_STORAGE },
  { "physical-pc", M_AS_PH_PC },
  { "physical-mobile", M_AS_PH_MOBILE },
  { "physical-security", M_AS_PH_SECURITY },
  { "physical-media", M_AS_PH_MEDIA },
  { "service-power", M_AS_SV_POWER },
  { "service-hvac", M_AS_SV_HVAC },
  { "service-network", M_AS_SV_NETWORK },
  { "service-cloud", M_AS_SV_CLOUD },
  { "service-outsourced", M_AS_SV_OUTSOURCED },
  { NULL, M_NONE },
};

static const struct field asset_fields[] = {
  { "system", FT_REF, M_F_AS_SYSTEM, M_NONE, FF_LIST, 0, 0, NULL, "system" },
  { "name", FT_TEXT, M_F_AS_NAME, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, 200, NULL, NULL },
  { "class", FT_ENUM, M_F_AS_CLASS, M_NONE, FF_REQUIRED | FF_LIST | FF_FILTER,
    0, 0, class_opts, NULL },
  { "subtype", FT_ENUM, M_F_AS_SUBTYPE, M_H_AS_SUBTYPE, FF_FILTER, 0, 0,
    subtype_opts, NULL },
  { "owner", FT_TEXT, M_F_AS_OWNER, M_NONE, FF_LIST | FF_SEARCH, 0, 100, NULL,
    NULL },
  { "custodian", FT_TEXT, M_F_AS_CUSTODIAN, M_NONE, FF_LIST | FF_SEARCH, 0,
    100, NULL, NULL },
  { "user", FT_TEXT, M_F_AS_USER, M_NONE, FF_SEARCH, 0, 200, NULL, NULL },
  { "location", FT_TEXT, M_F_AS_LOCATION, M_NONE, FF_LIST | FF_SEARCH, 0, 200,
    NULL, NULL },
  { "quantity", FT_INT, M_F_AS_QUANTITY, M_NONE, 0, 0, 1000000, NULL, NULL },
  { "property_no", FT_TEXT, M_F_AS_PROPERTY_NO, M_NONE,
    FF_LIST | FF_SEARCH | FF_SORT, 0, 100, NULL, NULL },
  { "keeper", FT_TEXT, M_F_AS_KEEPER, M_NONE, FF_SEARCH, 0, 100, NULL, NULL },
  { "brand", FT_TEXT, M_F_AS_BRAND, M_NONE, FF_SEARCH, 0, 100, NULL, NULL },
  { "model", FT_TEXT, M_F_AS_MODEL, M_NONE, FF_SEARCH, 0, 100, NULL, NULL },
  { "is_core", FT_BOOL, M_F_AS_CORE, M_NONE, FF_LIST | FF_FILTER, 0, 0, NULL,
    NULL },
  { "third_party", FT_BOOL, M_F_AS_THIRD_PARTY, M_H_AS_THIRD_PARTY, FF_FILTER,
    0, 0, NULL, NULL },
  { "ns_concern", FT_BOOL, M_F_AS_NS_CONCERN, M_H_AS_NS_CONCERN, FF_FILTER, 0,
    0, NULL, NULL },
  { "note", FT_LONGTEXT, M_F_AS_NOTE, M_NONE, FF_SEARCH, 0, 2000, NULL, NULL },
};

/* A sub-type belongs to the asset's class. */
static void asset_check(const struct reg *reg, struct db *db, const char **v,
                        struct reg_errors *errs)
{
  (void)reg;
  (void)db;
  if(v[2] && v[3] &&
     (strncmp(v[3], v[2], strlen(v[2])) != 0 || v[3][strlen(v[2])] != '-')) {
    reg_error(errs, "subtype", M_ERR_AS_SUBTYPE);
  }
}

const struct reg reg_asset = {
  "asset",       M_R_ASSET,       M_I_ASSET,   M_S_ASSET,    7,
  asset_fields,  N(asset_fields), "name",      "name",       asset_check,
  "property_no", AREA_ASSET,      asset_links, asset_detail, NULL,
};
