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
 * Until accounts exist (issue 3) the local operator holds all of them. */
enum perm {
  PERM_INVALID = 0,
  PERM_PUBLIC, /* anyone, e.g. static assets */
  PERM_READ,   /* read registers and pages */
  PERM_WRITE,  /* create, edit, archive, import */
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

#endif
