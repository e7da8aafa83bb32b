/*
 * server.h: the libmicrohttpd adapter (STYLE.md C6): epoll thread pool,
 * keep-alive, limits on headers, bodies and idle connections, security
 * headers on every response, one access-log line per request, graceful
 * shutdown on SIGINT/SIGTERM.  Depends on core, db, req, router.
 */
#ifndef ISMS_HTTP_SERVER_H
#define ISMS_HTTP_SERVER_H

#include "core/buf.h"
#include "core/status.h"

struct server_config {
  const char *db_path; /* database file; each worker opens it */
  const char *listen;  /* "127.0.0.1:8080", "[::1]:8080"; port 0 = any */
  int print_port;      /* print the bound port alone on stdout */
  unsigned threads;    /* worker threads; 0 = number of CPUs */
};

/*
 * Serve until SIGINT or SIGTERM, then stop accepting, let requests in
 * flight finish (up to 10 s), close every database connection and
 * return ST_OK.  Refuses (ST_FORBIDDEN) to listen on anything but a
 * loopback address until accounts exist.  Writes a message for a person
 * into why on failure.
 */
enum status server_run(const struct server_config *cfg, struct buf *why);

/* Parse "host:port" into *addr (a struct sockaddr_storage); 1 if the
 * address is loopback.  ST_INVALID for anything unparsable. */
enum status server_parse_listen(const char *listen, void *addr,
                                unsigned *addr_len, int *is_loopback);

#endif
