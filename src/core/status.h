/*
 * status.h: the one error enum of isms and its mapping to HTTP codes,
 * CLI exit codes and stable API strings.  Depends on nothing.
 */
#ifndef ISMS_CORE_STATUS_H
#define ISMS_CORE_STATUS_H

enum status {
  ST_OK = 0,    /* success is zero, so "if(st)" means failure */
  ST_NOMEM,     /* an allocation failed */
  ST_TOOBIG,    /* a cap was hit: body, buffer, arena */
  ST_INVALID,   /* input failed validation */
  ST_NOTFOUND,  /* no such record, route or file */
  ST_FORBIDDEN, /* the caller may not do this */
  ST_CONFLICT,  /* the state does not allow it (newer schema, stale edit) */
  ST_DB,        /* SQLite reported an error */
  ST_IO,        /* a file or socket operation failed */
  ST_INTERNAL,  /* a bug: an invariant did not hold */
};

/* HTTP status code for st (ST_OK is 200). */
int status_http(enum status st);

/* Process exit code for the CLI (ST_OK is 0). */
int status_exit(enum status st);

/* Stable machine-readable name ("not_found") for the JSON API. */
const char *status_name(enum status st);

#endif
