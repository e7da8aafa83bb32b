/*
 * router.h: route matching and the central checks that run before any
 * handler (STYLE.md C8): method and path, permission, CSRF, parameter
 * allow-list, body parsing and UTF-8.  Depends on req.h and route.h.
 */
#ifndef ISMS_HTTP_ROUTER_H
#define ISMS_HTTP_ROUTER_H

#include "req.h"
#include "route.h"

/* Name of the CSRF cookie and form field. */
#define CSRF_COOKIE "isms_csrf"
#define CSRF_FIELD  "_csrf"

/*
 * Find the route for method and path and fill r->route and the path
 * parameters.  ST_NOTFOUND when no pattern matches; ST_CONFLICT when a
 * pattern matches with another method (405).
 */
enum status router_match(struct req *r);

/* The body limit of r's route. */
size_t router_body_limit(const struct req *r);

/*
 * Run the central checks and then the handler.  The request's headers,
 * cookies, query parameters and body must be in r already.  Always
 * leaves a complete response in r.
 */
void router_dispatch(struct req *r);

#endif
