/*
 * roles.c: the role table and the permission decision.
 */
#include "roles.h"

#include <string.h>

const struct role roles[] = {
#define ROLE(name, label, duties, flags, rights)                              \
  { name, label, duties, flags, rights },
#include "roles.def"
#undef ROLE
};

const size_t n_roles = sizeof(roles) / sizeof(roles[0]);

int (*auth_reg_area)(const char *reg);

const struct role *role_find(const char *name)
{
  size_t i;
  for(i = 0; i < n_roles; i++) {
    if(strcmp(roles[i].name, name) == 0) {
      return &roles[i];
    }
  }
  return NULL;
}

int auth_allows(int signed_in, uint64_t rights, enum perm perm, int area)
{
  switch(perm) {
  case PERM_INVALID:
    return 0;
  case PERM_PUBLIC:
    return 1;
  case PERM_PENDING:
  case PERM_USER:
    return signed_in;
  case PERM_REG_READ:
    return signed_in &&
           (area < 0 || (area < AREA_COUNT_ && (rights & R(area))));
  case PERM_REG_WRITE:
    return signed_in &&
           (area < 0 || (area < AREA_COUNT_ && (rights & W(area))));
  case PERM_USERS:
    return signed_in && (rights & RIGHT_USERS) != 0;
  case PERM_SETTINGS:
    return signed_in && (rights & RIGHT_SETTINGS) != 0;
  case PERM_AUDIT:
    return signed_in && (rights & RIGHT_AUDIT) != 0;
  case PERM_APPROVE:
    return signed_in && (rights & RIGHT_APPROVE) != 0;
  case PERM_REVIEW:
    return signed_in && (rights & RIGHT_REVIEW) != 0;
  }
  return 0;
}
