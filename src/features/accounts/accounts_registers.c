/*
 * accounts_registers.c: the register of approved exceptions to the
 * password rules for a system that cannot meet them
 * (玖.二.(二).1.(5)).  Its table is created by
 * src/db/migrations/0003_auth.sql.
 */
#include "accounts.h"
#include "auth/roles.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct field pw_exception_fields[] = {
  { "system", FT_TEXT, M_F_EXC_SYSTEM, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, 200, NULL, NULL },
  { "requirement", FT_LONGTEXT, M_F_EXC_REQUIREMENT, M_H_EXC_REQUIREMENT,
    FF_REQUIRED | FF_LIST | FF_SEARCH, 0, 4000, NULL, NULL },
  { "reason", FT_LONGTEXT, M_F_EXC_REASON, M_NONE, FF_REQUIRED | FF_SEARCH, 0,
    4000, NULL, NULL },
  { "approver", FT_TEXT, M_F_APPROVER, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH, 0, 100, NULL, NULL },
  { "approved_on", FT_DATE, M_F_APPROVED_ON, M_DATE_HINT,
    FF_REQUIRED | FF_LIST, 0, 0, NULL, NULL },
  { "valid_until", FT_DATE, M_F_VALID_UNTIL, M_DATE_HINT, FF_LIST, 0, 0, NULL,
    NULL },
};

/* An exception ends after it was approved. */
static void pw_exception_check(const struct reg *reg, struct db *db,
                               const char **v, struct reg_errors *errs)
{
  (void)reg;
  (void)db;
  if(v[4] && v[5] && strcmp(v[5], v[4]) < 0) {
    reg_error(errs, "valid_until", M_ERR_EXC_DATES);
  }
}

const struct reg reg_pw_exception = {
  "pw_exception",
  M_R_PW_EXCEPTION,
  M_I_PW_EXCEPTION,
  M_S_PW_EXCEPTION,
  9,
  pw_exception_fields,
  N(pw_exception_fields),
  "system",
  "system",
  pw_exception_check,
  NULL,
  AREA_ASSET,
  NULL,
  NULL,
  NULL,
};
