/*
 * req.h: one HTTP request and its buffered response (STYLE.md C6).
 * Everything a handler computes lives in r->arena; the response body is
 * buffered whole in r->page so a failure half-way becomes a clean error.
 * Handlers never see libmicrohttpd.  Depends on core and db.
 */
#ifndef ISMS_HTTP_REQ_H
#define ISMS_HTTP_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/html.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/status.h"
#include "core/str.h"
#include "param.h"

struct db;
struct route;

/* Request memory cap and response cap. */
#define REQ_ARENA_MAX        (64u << 20)
#define REQ_OUT_MAX          (256u << 20)
#define REQ_MAX_HEADERS      64
#define REQ_MAX_PARAMS       512
#define REQ_MAX_FIELD_ERRORS 64

enum http_method {
  HTTP_GET = 1, /* also answers HEAD */
  HTTP_POST,
  HTTP_PATCH,
  HTTP_PUT,
  HTTP_DELETE,
  HTTP_OTHER,
};

/* A field-level validation error, shown beside the field. */
struct field_error {
  const char *field; /* parameter name, or "" for the whole form */
  enum msg msg;      /* message id */
  const char *extra; /* optional detail, which fills the message's "%s"
                        (escaped on output), or NULL */
};

struct req {
  struct arena arena;          /* per-request memory, freed at the end */
  char id[17];                 /* request id for logs and error pages */
  enum http_method method;     /* HEAD is HTTP_GET with is_head */
  int is_head;                 /* 1 for HEAD: send headers only */
  const char *method_name;     /* as received */
  const char *path;            /* URL path, percent-decoded */
  const struct route *route;   /* matched route or NULL */
  const char *allow;           /* methods of the path, for a 405 */
  struct param path_params[4]; /* {reg}, {id} … from the pattern */
  size_t n_path_params;
  struct param *headers; /* request headers */
  size_t n_headers;
  struct param *cookies; /* request cookies */
  size_t n_cookies;
  struct param *params; /* declared query and form parameters */
  size_t n_params;
  struct upload *uploads; /* multipart files */
  size_t n_uploads;
  struct buf body;       /* raw request body, capped per route */
  int body_too_big;      /* the body passed the route's limit */
  enum lang lang;        /* from the lang cookie */
  const char *csrf;      /* this client's CSRF token */
  int new_csrf;          /* csrf was minted now: set the cookie */
  const char *actor;     /* who acts: the login, or "anonymous" */
  char peer[64];         /* client address as text, "127.0.0.1" or "::1" */
  int tls;               /* 1 when the request came over TLS: cookies get
                         Secure */
  int64_t uid;           /* signed-in account, 0 for nobody */
  const char *login;     /* its user ID, or NULL */
  const char *user_name; /* its name, for the page header */
  uint64_t rights;       /* what it may do (auth/roles.h) */
  int privileged;        /* 1 for a privileged account */
  int via_token;         /* signed in by an API token (no CSRF, no cookie) */
  const char *step;      /* with GUARD_STEP: the page of the owed step */
  int expired;           /* a session cookie came but its session had ended */
  void (*after)(struct req *r); /* writes a GET's checks owe (a session's
                                   last use, its end), run by the router
                                   after the read transaction, or NULL */
  void *after_ctx;              /* what after needs, in the arena */
  struct db *db;                /* this worker's connection */
  int64_t started_us;           /* monotonic start, for the access log */

  int status;                   /* response status code */
  enum msg early_msg;           /* why the request was refused before its
                                   route ran (with status), or M_NONE */
  size_t sent;                  /* response body bytes queued */
  const char *ctype;            /* response content type */
  struct html page;             /* response body (HTML, JSON, CSV …) */
  struct param resp_headers[8]; /* extra response headers */
  size_t n_resp_headers;
  struct field_error errs[REQ_MAX_FIELD_ERRORS]; /* validation errors */
  size_t n_errs;
};

/* Set up r (arena, buffers, id).  Free with req_free(). */
void req_init(struct req *r);

/* Release everything r holds. */
void req_free(struct req *r);

/* Value of a path parameter ("reg", "id") or NULL. */
const char *req_path_param(const struct req *r, const char *name);

/* Value of a declared query or form parameter, or NULL.  When the
 * parameter was sent several times, the last one. */
const char *req_param(const struct req *r, const char *name);

/* Every value of the declared parameter name, in the order sent (a
 * form's checkboxes repeat their name): up to max of them into values.
 * Returns how many were sent, which may exceed max.  Never allocates. */
size_t req_param_all(const struct req *r, const char *name,
                     const char **values, size_t max);

/* Value of a request header (case-insensitive name) or NULL. */
const char *req_header(const struct req *r, const char *name);

/* Value of a cookie or NULL. */
const char *req_cookie(const struct req *r, const char *name);

/* The uploaded file of field name, or NULL. */
const struct upload *req_upload(const struct req *r, const char *name);

/* The text of a catalog message in the request's language. */
const char *req_t(const struct req *r, enum msg id);

/*
 * req_t() with the text's first "%s" replaced by arg, or, when the text
 * has no "%s", arg quoted after it (zh 訊息：「arg」): plain text, to be
 * escaped on output.  Without arg, the text as it is.  The result lives
 * in r's arena (or is the catalog's); when the arena is full, the text
 * unfilled.
 */
const char *req_t_fill(struct req *r, enum msg id, const char *arg);

/* Add a response header; values holding CR or LF are refused
 * (ST_INVALID) and not added. */
enum status req_set_header(struct req *r, const char *name, const char *value);

/* Start an HTML response with status; returns the page writer. */
struct html *req_html(struct req *r, int status);

/* Start a JSON response with status; initialises j on the body. */
void req_json(struct req *r, int status, struct json *j);

/* Finish a JSON response: a final newline; an unbalanced or failed
 * writer becomes a 500. */
void req_json_end(struct req *r, struct json *j);

/* A response of raw bytes (static assets, downloads). */
void req_bytes(struct req *r, int status, const char *ctype, const void *data,
               size_t len);

/* 1 if p is a path on this server: one leading '/', and no space,
 * control character or backslash anywhere. */
int req_local_path(const char *p);

/* 303 See Other to a local path (req_local_path(), else a 500). */
void req_redirect(struct req *r, const char *local_path);

/* Record a field error (kept up to REQ_MAX_FIELD_ERRORS). */
void req_field_error(struct req *r, const char *field, enum msg msg,
                     const char *extra);

/*
 * Replace whatever was written with an error response for st: an HTML
 * page or a JSON object {"error": name, "message": …, "request": id,
 * "fields": […]} depending on the route.  msg is shown to the user.
 */
void req_fail(struct req *r, enum status st, enum msg msg);

/* req_fail() with an HTTP status other than st's own (401: "error" is
 * "unauthorized"). */
void req_fail_code(struct req *r, int code, enum status st, enum msg msg);

/* 1 if the response should be JSON (API route or JSON request). */
int req_wants_json(const struct req *r);

/* Microseconds from a monotonic clock. */
int64_t req_clock_us(void);

#endif
