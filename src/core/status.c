/*
 * status.c: tables mapping enum status to HTTP codes, exit codes and
 * names.  Depends on nothing.
 */
#include "status.h"

static const struct {
  int http;         /* HTTP status code */
  int exit_code;    /* CLI exit code */
  const char *name; /* JSON API error code */
} status_table[] = {
  [ST_OK] = { 200, 0, "ok" },
  [ST_NOMEM] = { 500, 70, "no_memory" },
  [ST_TOOBIG] = { 413, 65, "too_big" },
  [ST_INVALID] = { 400, 65, "invalid" },
  [ST_NOTFOUND] = { 404, 66, "not_found" },
  [ST_FORBIDDEN] = { 403, 77, "forbidden" },
  [ST_CONFLICT] = { 409, 75, "conflict" },
  [ST_DB] = { 500, 74, "database" },
  [ST_IO] = { 500, 74, "io" },
  [ST_INTERNAL] = { 500, 70, "internal" },
};

static int known(enum status st)
{
  return (unsigned)st < sizeof(status_table) / sizeof(status_table[0]);
}

int status_http(enum status st)
{
  return known(st) ? status_table[st].http : 500;
}

int status_exit(enum status st)
{
  return known(st) ? status_table[st].exit_code : 70;
}

const char *status_name(enum status st)
{
  return known(st) ? status_table[st].name : "internal";
}
