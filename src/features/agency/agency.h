/*
 * agency.h: plan chapters 壹–伍 and 附表1: the agency profile, the
 * security organisation and its roster, the business register, the
 * policy statements and goals with their metrics; and the home page.
 * Depends on registers and ui.
 */
#ifndef ISMS_FEATURES_AGENCY_AGENCY_H
#define ISMS_FEATURES_AGENCY_AGENCY_H

#include "core/status.h"
#include "core/time.h"
#include "http/route.h"
#include "registers/register.h"

extern const struct reg reg_agency;
extern const struct reg reg_org_unit;
extern const struct reg reg_member;
extern const struct reg reg_business;
extern const struct reg reg_policy;
extern const struct reg reg_goal_metric;

/* GET /: the agency and every plan chapter with what it holds. */
route_fn home_page;

/* The agency's name from its register (the first record), or NULL when
 * there is none; in a. */
struct db;
struct arena;
const char *agency_name(struct db *db, struct arena *a);

/* The agency's responsibility level and the dates its duties count from
 * (分級辦法 §11).  A year of 0: the date is not recorded. */
struct agency_level {
  const char *level;    /* "A" … "E", in the arena */
  struct date approved; /* 初次核定 */
  struct date changed;  /* 最近等級變更 */
};

/* Fill *out from the first agency record: ST_OK, ST_NOTFOUND when there
 * is none, ST_DB. */
enum status agency_level_of(struct db *db, struct arena *a,
                            struct agency_level *out);

#endif
