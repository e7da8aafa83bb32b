/*
 * route.h: the declarative route table (STYLE.md C8).  Every route names
 * its method, pattern, handler, permission, flags, parameter allow-list
 * and body limit; http/router.c enforces them before any handler runs.
 * The table itself is assembled in src/routes.c from the *_routes.def
 * files of each layer and feature.  Depends on req.h.
 */
#ifndef ISMS_HTTP_ROUTE_H
#define ISMS_HTTP_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "req.h"

/* Permissions.  Zero is never valid: a route must say who may use it.
 * Which accounts hold which is decided by auth/roles.c from the role
 * table (auth/roles.def). */
enum perm {
  PERM_INVALID = 0,
  PERM_PUBLIC,    /* anyone, signed in or not: assets, the login page */
  PERM_PENDING,   /* a signed-in session that may still owe a step
                      (password change, MFA): those steps and log-out */
  PERM_USER,      /* any signed-in account that owes no step */
  PERM_REG_READ,  /* read the register named in {reg} */
  PERM_REG_WRITE, /* create, edit, archive, import in {reg} */
  PERM_USERS,     /* administer accounts and roles */
  PERM_SETTINGS,  /* change settings and the password policy */
  PERM_AUDIT,     /* read and export the audit trail */
  PERM_APPROVE,   /* approve privileged-account applications */
  PERM_REVIEW,    /* run account and privileged-account reviews */
};

enum route_flags {
  ROUTE_JSON = 1 << 0,       /* an API route: errors are JSON */
  ROUTE_NO_BODY = 1 << 1,    /* a POST that takes no parameters */
  ROUTE_REG_FIELDS = 1 << 2, /* the register's fields are parameters too */
  ROUTE_UPLOAD = 1 << 3,     /* accepts multipart/form-data with files */
  ROUTE_JSON_BODY = 1 << 4,  /* body is JSON, read by the handler */
  ROUTE_CSV_BODY = 1 << 5,   /* body is text/csv, read by the handler */
};

enum param_type {
  PARAM_TEXT = 1, /* any valid UTF-8 up to max_len bytes */
  PARAM_INT,      /* decimal integer in [min, max] */
  PARAM_WORD,     /* [a-z0-9_-]{1,max_len} */
};

/* One declared parameter.  Tables end with a { NULL } entry. */
struct param_spec {
  const char *name;     /* parameter name; a trailing '*' is a prefix */
  enum param_type type; /* how to check the value */
  size_t max_len;       /* bytes */
  int64_t min, max;     /* PARAM_INT range */
};

typedef void route_fn(struct req *r);

/* 1 if name is a parameter that the route's register declares. */
typedef int route_allow_fn(const struct req *r, const char *name);

struct route {
  enum http_method method;         /* GET also answers HEAD */
  const char *pattern;             /* "/r/{reg}/{id}" */
  route_fn *handler;               /* writes the response */
  enum perm perm;                  /* never PERM_INVALID */
  unsigned flags;                  /* enum route_flags */
  const struct param_spec *params; /* allow-list, or NULL for none */
  size_t max_body;                 /* bytes; 0 means the default */
  const char *doc;                 /* docs/pages or docs/api file name */
};

#define ROUTE_DEFAULT_BODY (64u << 10)

/* The table, in src/routes.c, and its length. */
extern const struct route routes[];
extern const size_t n_routes;

/* Allow-list hook for ROUTE_REG_FIELDS routes, set by the register
 * engine at start-up. */
extern route_allow_fn *route_reg_allow;

/* What the authentication hook decided about a request. */
enum guard {
  GUARD_ALLOW = 0, /* go on to the handler */
  GUARD_LOGIN,     /* nobody is signed in (or the session ended) */
  GUARD_DENY,      /* signed in, but the permission is missing: 403 */
  GUARD_STEP,      /* the session owes a step first: go to r->step */
  GUARD_FAILED,    /* the hook already wrote an error response */
};

/*
 * The authentication hook (auth/guard.c), set at start-up: finds who is
 * asking (session cookie or API token), fills r->uid, r->login,
 * r->rights and r->csrf, and decides whether r->route's permission is
 * held.  NULL means nobody is ever signed in.
 */
typedef enum guard route_guard_fn(struct req *r);
extern route_guard_fn *route_guard;

#endif
