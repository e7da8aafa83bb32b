/*
 * server.h: the libmicrohttpd adapter (STYLE.md C6): epoll thread pool,
 * keep-alive, limits on headers, bodies and idle connections, security
 * headers on every response, one access-log line per request, graceful
 * shutdown on SIGINT/SIGTERM, optional built-in TLS, and the Host check
 * against DNS rebinding.  Depends on core, db, req, router, tls.
 */
#ifndef ISMS_HTTP_SERVER_H
#define ISMS_HTTP_SERVER_H

#include "core/buf.h"
#include "core/status.h"

/* Most --host names one server answers for. */
#define SERVER_MAX_HOSTS 8

struct server_config {
  const char *db_path;  /* database file; each worker opens it */
  const char *listen;   /* "127.0.0.1:8080", "[::1]:8080"; port 0 = any */
  int print_port;       /* print the bound port alone on stdout */
  unsigned threads;     /* worker threads; 0 = number of CPUs */
  const char *tls_cert; /* PEM certificate chain file, or NULL for HTTP */
  const char *tls_key;  /* PEM private key file (not world-readable), or
                           NULL; given exactly when tls_cert is */
  const char *hosts[SERVER_MAX_HOSTS]; /* --host names ("isms.example",
                                          "isms.example:8443") a request's
                                          Host may give besides the listen
                                          address */
  size_t n_hosts;                      /* entries of hosts in use */
  int behind_proxy; /* requests come through a reverse proxy on
                       loopback: client address from X-Forwarded-For,
                       HTTPS from X-Forwarded-Proto */
};

/*
 * Check cfg without listening or touching the database: the listen
 * address parses (ST_INVALID), every --host parses (ST_INVALID), a
 * wildcard address (0.0.0.0, [::]) has at least one --host (ST_INVALID),
 * tls_cert and tls_key are both given or both NULL (ST_INVALID), and
 * with TLS the library supports it (ST_IO) and the certificate and key
 * load (see tls_load()).  Allocates nothing that outlives the call.
 * Writes a message for a person into why on failure.
 */
enum status server_check(const struct server_config *cfg, struct buf *why);

/*
 * Serve until SIGINT or SIGTERM, then stop accepting, let requests in
 * flight finish (up to 10 s), close every database connection and
 * return ST_OK.  Checks cfg first as server_check() does.  Beyond
 * loopback without TLS it warns on stderr that passwords would cross the
 * network in clear text.  A request whose Host names neither the listen
 * address (on loopback: 127.x.x.x, localhost or [::1]) nor a --host name
 * is answered 421.  Writes a message for a person into why on failure.
 */
enum status server_run(const struct server_config *cfg, struct buf *why);

/* Parse "host:port" into *addr (a struct sockaddr_storage); 1 if the
 * address is loopback.  ST_INVALID for anything unparsable. */
enum status server_parse_listen(const char *listen, void *addr,
                                unsigned *addr_len, int *is_loopback);

#endif
