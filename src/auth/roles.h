/*
 * roles.h: areas, rights, roles and the permission decision.  The role
 * table is data (roles.def); a route declares the permission it needs
 * (http/route.h) and auth_allows() decides from an account's rights.
 * Depends on core and http/route.h.
 */
#ifndef ISMS_AUTH_ROLES_H
#define ISMS_AUTH_ROLES_H

#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"
#include "http/route.h"

/* Groups of registers that one part of the promotion team maintains.
 * Every register names its area (registers/register.h). */
enum area {
  AREA_PLAN = 0, /* 壹–伍: profile, businesses, policy, goals, organisation */
  AREA_ASSET,    /* 柒–玖: systems, assets, risks, controls, exceptions */
  AREA_INCIDENT, /* 壹拾–壹拾壹: incidents, drills, intelligence */
  AREA_REVIEW,   /* 壹拾伍: audits, reviews, improvement */
  AREA_TRAINING, /* 陸, 壹拾參–壹拾肆: staff, training, assessment */
  AREA_VENDOR,   /* 壹拾貳: contractors and contracts */
  AREA_COUNT_
};

#define R(area)          (UINT64_C(1) << (area))
#define W(area)          (UINT64_C(1) << (16 + (area)))
#define RIGHTS_READ_ALL  ((UINT64_C(1) << AREA_COUNT_) - 1)
#define RIGHTS_WRITE_ALL (RIGHTS_READ_ALL << 16)
#define RIGHT_USERS      (UINT64_C(1) << 32) /* accounts and roles */
#define RIGHT_SETTINGS   (UINT64_C(1) << 33) /* settings and policy */
#define RIGHT_AUDIT      (UINT64_C(1) << 34) /* read the audit trail */
#define RIGHT_APPROVE    (UINT64_C(1) << 35) /* approve privileged accounts */
#define RIGHT_REVIEW     (UINT64_C(1) << 36) /* run account reviews */
#define RIGHTS_GLOBAL    (UINT64_C(0x1f) << 32)

enum role_flags {
  ROLE_PRIV = 1 << 0, /* only a privileged account may hold it */
};

/* One role. */
struct role {
  const char *name; /* stable name, e.g. "officer" */
  enum msg label;   /* e.g. 資通安全專職人員 */
  enum msg duties;  /* what the role does in isms */
  unsigned flags;   /* enum role_flags */
  uint64_t rights;  /* R(), W() and RIGHT_* bits */
};

extern const struct role roles[];
extern const size_t n_roles;

/* The role called name, or NULL. */
const struct role *role_find(const char *name);

/*
 * 1 if an account with rights may use a route that needs perm; area is
 * the area of the route's register for PERM_REG_READ and PERM_REG_WRITE
 * (ignored otherwise; -1 when the register is unknown, which allows the
 * route so that it can answer 404).  signed_in is 1 when there is an
 * account at all.
 */
int auth_allows(int signed_in, uint64_t rights, enum perm perm, int area);

/* The area of register name, or -1 when there is no such register: set
 * by the register engine at start-up. */
extern int (*auth_reg_area)(const char *reg);

#endif
