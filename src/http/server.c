/*
 * server.c: libmicrohttpd adapter.  The access handler is called once
 * when the headers are in (create struct req, match the route), then
 * with each piece of the body, then a last time with no data: only then
 * is the response queued, because libmicrohttpd 0.9.75 drops keep-alive
 * for a response queued on the first call (ARCHITECTURE.md pitfalls).
 * With a certificate and key libmicrohttpd speaks TLS 1.2 and 1.3 only
 * (tls.h); every request's Host is checked against the listen address
 * and the --host names before anything else runs.
 */
#include "server.h"
#include "req.h"
#include "route.h"
#include "router.h"
#include "tls.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "db/db.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CONNECTION_MEMORY (64u << 10) /* caps request headers */
#define IDLE_TIMEOUT      30          /* seconds */
#define MAX_CONNECTIONS   1000
#define DRAIN_SECONDS     10

static const char *server_db_path;
static unsigned server_port; /* the bound port, for the Host check */
static int server_tls;       /* 1 when serving HTTPS */
static int server_proxied;   /* 1 behind a reverse proxy on loopback */
static atomic_int in_flight;

/* Set on SIGTERM/SIGINT: new connections are refused from then on.  Not
 * MHD_quiesce_daemon(): in libmicrohttpd 0.9.75 with an epoll thread pool
 * it races a worker that removes the listen socket from its own epoll set
 * at the same moment, and the loser's EPOLL_CTL_DEL (ENOENT) aborts the
 * process ("Failed to remove listen FD from epoll set"), seen once in a
 * test run. */
static atomic_int stopping;

/* MHD_AcceptPolicyCallback: refuse new connections while stopping. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr,
                                 socklen_t addrlen)
{
  (void)cls;
  (void)addr;
  (void)addrlen;
  return atomic_load(&stopping) ? MHD_NO : MHD_YES;
}

/* What the listen address is, for the Host check. */
enum listen_kind {
  LISTEN_LOOPBACK, /* 127.x.x.x or [::1]: loopback names are accepted */
  LISTEN_ADDRESS,  /* one address: its literal is accepted */
  LISTEN_ANY,      /* 0.0.0.0 or [::]: only the --host names */
};
static enum listen_kind listen_kind;
static struct sockaddr_storage listen_addr; /* the parsed listen address */

/* A --host name, parsed once at start. */
struct host_name {
  char name[256]; /* "isms.example" or "[2001:db8::1]", as given */
  size_t len;     /* bytes of name */
  unsigned port;  /* the port given with the name, or 0 */
};
static struct host_name host_names[SERVER_MAX_HOSTS];
static size_t n_host_names;

/* Every connection opened by a worker, closed at shutdown. */
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *dbs[64];
static size_t n_dbs;
static _Thread_local struct db *thread_db;

static struct db *worker_db(void)
{
  struct buf why;
  if(thread_db) {
    return thread_db;
  }
  buf_init(&why, 4096);
  if(db_open(server_db_path, 0, &thread_db, &why)) {
    log_msg(LOG_ERR, "worker cannot open the database: %s", why.data);
    thread_db = NULL;
  }
  buf_free(&why);
  if(thread_db) {
    pthread_mutex_lock(&dbs_lock);
    CHECK(n_dbs < sizeof(dbs) / sizeof(dbs[0]));
    dbs[n_dbs++] = thread_db;
    pthread_mutex_unlock(&dbs_lock);
  }
  return thread_db;
}

/*
 * Split a Host value or --host name: "name", "name:port", "[v6]" or
 * "[v6]:port".  The name's length (brackets included) goes into
 * *name_len, the port into *port (0 when there is none).  -1 when the
 * port is not 1 to 65535, a bracket is not closed or the name is empty.
 */
static int split_host(const char *s, size_t *name_len, unsigned *port)
{
  const char *colon;
  int64_t p;
  *port = 0;
  if(s[0] == '[') {
    const char *end = strchr(s, ']');
    if(!end || (end[1] && end[1] != ':')) {
      return -1;
    }
    colon = end[1] ? end + 1 : NULL;
    *name_len = (size_t)(end + 1 - s);
  }
  else {
    colon = strchr(s, ':');
    *name_len = colon ? (size_t)(colon - s) : strlen(s);
  }
  if(colon) {
    if(str_to_i64(str_c(colon + 1), 1, 65535, &p)) {
      return -1;
    }
    *port = (unsigned)p;
  }
  return *name_len ? 0 : -1;
}

/* The address of an IP literal s[0..n) ("192.0.2.1", "[2001:db8::1]")
 * of family into out; 1 when it is one. */
static int ip_literal(const char *s, size_t n, int family, void *out)
{
  char tmp[64];
  if(family == AF_INET6) {
    if(n < 3 || s[0] != '[' || s[n - 1] != ']' || n - 2 >= sizeof(tmp)) {
      return 0;
    }
    memcpy(tmp, s + 1, n - 2);
    tmp[n - 2] = 0;
  }
  else {
    if(n >= sizeof(tmp)) {
      return 0;
    }
    memcpy(tmp, s, n);
    tmp[n] = 0;
  }
  return inet_pton(family, tmp, out) == 1;
}

/* 1 if s[0..n) can be a --host name: a DNS name (ASCII letters, digits,
 * '-' and '.') of at most 253 bytes, or a bracketed IPv6 literal. */
static int host_name_valid(const char *s, size_t n)
{
  struct in6_addr a6;
  size_t i;
  if(n == 0 || n > 253) {
    return 0;
  }
  if(s[0] == '[') {
    return ip_literal(s, n, AF_INET6, &a6);
  }
  for(i = 0; i < n; i++) {
    char c = s[i];
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.')) {
      return 0;
    }
  }
  return 1;
}

/* 1 if s[0..n) names loopback: localhost, [::1] or 127.x.x.x. */
static int loopback_name(const char *s, size_t n)
{
  size_t i;
  if(n == 9 && strncasecmp(s, "localhost", 9) == 0) {
    return 1;
  }
  if(n == 5 && strncmp(s, "[::1]", 5) == 0) {
    return 1;
  }
  if(n < 7 || n > 15 || strncmp(s, "127.", 4) != 0) {
    return 0;
  }
  for(i = 4; i < n; i++) {
    if(!((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) {
      return 0;
    }
  }
  return 1;
}

/* 1 if s[0..n) is the literal of the address we listen on. */
static int listen_literal(const char *s, size_t n)
{
  if(listen_addr.ss_family == AF_INET6) {
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&listen_addr;
    struct in6_addr a;
    return ip_literal(s, n, AF_INET6, &a) &&
           memcmp(&a, &a6->sin6_addr, sizeof(a)) == 0;
  }
  else {
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)&listen_addr;
    struct in_addr a;
    return ip_literal(s, n, AF_INET, &a) && a.s_addr == a4->sin_addr.s_addr;
  }
}

/*
 * 1 if the Host header names this server.  Without this check a page of
 * another site whose name was re-pointed at our address (DNS rebinding)
 * would be same-origin with isms and could read and write everything.
 *  - A --host name (any case) with the bound port, with the port given
 *    in --host NAME:PORT, or without a port (the scheme's default, as a
 *    reverse proxy forwards it) unless --host gave a port other than
 *    80 or 443.
 *  - On loopback: 127.x.x.x, localhost or [::1] with the bound port.
 *  - On one other address: that address's literal with the bound port.
 *  - On 0.0.0.0 or [::]: nothing else.
 * A Host without a port means port 80 (443 over TLS).
 */
static int host_ok(const char *host)
{
  size_t n, i;
  unsigned port;
  if(!host || split_host(host, &n, &port)) {
    return 0;
  }
  for(i = 0; i < n_host_names; i++) {
    const struct host_name *h = &host_names[i];
    if(h->len != n || strncasecmp(h->name, host, n) != 0) {
      continue;
    }
    if(port ? port == server_port || port == h->port :
              h->port == 0 || h->port == 80 || h->port == 443) {
      return 1;
    }
  }
  if(!port) {
    port = server_tls ? 443 : 80;
  }
  if(port != server_port) {
    return 0;
  }
  switch(listen_kind) {
  case LISTEN_LOOPBACK:
    return loopback_name(host, n);
  case LISTEN_ADDRESS:
    return listen_literal(host, n);
  case LISTEN_ANY:
    break;
  }
  return 0;
}

/* The client's address as text into out ("" when unknown); an IPv4
 * client of an IPv6 socket is written as IPv4. */
static void peer_text(struct MHD_Connection *conn, char *out, size_t n)
{
  const union MHD_ConnectionInfo *ci =
    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa = ci ? ci->client_addr : NULL;
  out[0] = 0;
  if(!sa) {
    return;
  }
  if(sa->sa_family == AF_INET) {
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)sa;
    if(!inet_ntop(AF_INET, &a4->sin_addr, out, (socklen_t)n)) {
      out[0] = 0;
    }
  }
  else if(sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)sa;
    const void *a = &a6->sin6_addr;
    int family = AF_INET6;
    if(IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
      a = &a6->sin6_addr.s6_addr[12];
      family = AF_INET;
    }
    if(!inet_ntop(family, a, out, (socklen_t)n)) {
      out[0] = 0;
    }
  }
}

static enum http_method parse_method(const char *m, int *is_head)
{
  *is_head = 0;
  if(strcmp(m, "GET") == 0) {
    return HTTP_GET;
  }
  if(strcmp(m, "HEAD") == 0) {
    *is_head = 1;
    return HTTP_GET;
  }
  if(strcmp(m, "POST") == 0) {
    return HTTP_POST;
  }
  if(strcmp(m, "PATCH") == 0) {
    return HTTP_PATCH;
  }
  if(strcmp(m, "PUT") == 0) {
    return HTTP_PUT;
  }
  if(strcmp(m, "DELETE") == 0) {
    return HTTP_DELETE;
  }
  return HTTP_OTHER;
}

/* Collects headers, cookies or query arguments into the arena. */
struct collect {
  struct req *r;     /* the request */
  struct param *out; /* array in the arena */
  size_t n, cap;     /* used and allocated */
  int bad_utf8;      /* a value was not UTF-8 */
  int too_many;      /* past cap */
};

static enum MHD_Result collect_one(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value)
{
  struct collect *c = cls;
  size_t len = value ? strlen(value) : 0;
  (void)kind;
  if(!key) {
    return MHD_YES;
  }
  if(c->n >= c->cap) {
    c->too_many = 1;
    return MHD_NO;
  }
  if(kind == MHD_GET_ARGUMENT_KIND &&
     (!utf8_valid(str_c(key), NULL) ||
      !utf8_valid((struct str){ value, len }, NULL))) {
    c->bad_utf8 = 1;
  }
  c->out[c->n].name = key; /* MHD keeps these alive for the request */
  c->out[c->n].value = value ? value : "";
  c->out[c->n].len = len;
  c->n++;
  return MHD_YES;
}

static int collect(struct MHD_Connection *conn, struct req *r,
                   enum MHD_ValueKind kind, struct param **out, size_t *n,
                   size_t cap, int *bad_utf8)
{
  struct collect c = { r, NULL, 0, cap, 0, 0 };
  c.out = arena_alloc(&r->arena, sizeof(struct param) * cap);
  if(!c.out) {
    return -1;
  }
  MHD_get_connection_values(conn, kind, collect_one, &c);
  *out = c.out;
  *n = c.n;
  if(bad_utf8) {
    *bad_utf8 = c.bad_utf8;
  }
  return c.too_many ? -1 : 0;
}

static void add_security_headers(struct MHD_Response *resp)
{
  MHD_add_response_header(resp, "Content-Security-Policy",
                          "default-src 'none'; script-src 'self'; "
                          "style-src 'self'; img-src 'self' data:; "
                          "connect-src 'self'; form-action 'self'; "
                          "base-uri 'none'; frame-ancestors 'none'");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
  MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
  MHD_add_response_header(resp, "Permissions-Policy",
                          "camera=(), microphone=(), geolocation=()");
  if(server_tls) {
    /* Browsers ignore this header over plain HTTP. */
    MHD_add_response_header(resp, "Strict-Transport-Security",
                            "max-age=31536000");
  }
}

/* 1 if the Set-Cookie value v already has the Secure attribute. */
static int cookie_is_secure(const char *v)
{
  const char *p = v;
  while((p = strchr(p, ';')) != NULL) {
    p++;
    while(*p == ' ') {
      p++;
    }
    if(strncasecmp(p, "Secure", 6) == 0 &&
       (p[6] == ';' || p[6] == ' ' || p[6] == 0)) {
      return 1;
    }
  }
  return 0;
}

static enum MHD_Result send_response(struct MHD_Connection *conn,
                                     struct req *r)
{
  struct MHD_Response *resp;
  enum MHD_Result ret;
  size_t len = r->page.out.len, i;
  char *body;
  int has_cache = 0;

  /* For HEAD the whole response is built too: libmicrohttpd sends only
   * its headers, with the Content-Length of the body. */
  r->sent = r->is_head ? 0 : len;
  body = buf_detach(&r->page.out);
  resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
  if(!resp) {
    free(body);
  }
  if(!resp) {
    return MHD_NO;
  }
  add_security_headers(resp);
  MHD_add_response_header(resp, "Content-Type", r->ctype);
  for(i = 0; i < r->n_resp_headers; i++) {
    const char *value = r->resp_headers[i].value;
    if(r->tls && strcasecmp(r->resp_headers[i].name, "Set-Cookie") == 0 &&
       !cookie_is_secure(value)) {
      /* Over TLS every cookie is Secure: the browser must never send it
       * over plain HTTP.  Without memory for that, no cookie at all. */
      size_t n = strlen(value) + sizeof("; Secure");
      char *secure = arena_alloc(&r->arena, n);
      if(!secure) {
        continue;
      }
      snprintf(secure, n, "%s; Secure", value);
      value = secure;
    }
    MHD_add_response_header(resp, r->resp_headers[i].name, value);
    if(strcasecmp(r->resp_headers[i].name, "Cache-Control") == 0) {
      has_cache = 1;
    }
  }
  if(!has_cache) {
    /* Register data is confidential: keep it out of shared caches and
     * the browser's disk cache. */
    MHD_add_response_header(resp, "Cache-Control", "no-store");
  }
  if(r->new_csrf && r->csrf) {
    char cookie[128];
    snprintf(cookie, sizeof(cookie),
             CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", r->csrf,
             r->tls ? "; Secure" : "");
    MHD_add_response_header(resp, "Set-Cookie", cookie);
  }
  ret = MHD_queue_response(conn, (unsigned)r->status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/*
 * Behind a reverse proxy (--behind-proxy) every connection comes from
 * the proxy: take the client's address from the last X-Forwarded-For
 * entry and HTTPS from X-Forwarded-Proto, but only when the connection
 * itself comes from loopback (nobody else may claim them).
 */
static void apply_proxy(struct req *r)
{
  const char *xff, *proto, *last;
  char addr[64];
  unsigned char bin[16];
  size_t n;
  if(!server_proxied ||
     !(strncmp(r->peer, "127.", 4) == 0 || strcmp(r->peer, "::1") == 0)) {
    return;
  }
  proto = req_header(r, "X-Forwarded-Proto");
  if(proto && strcasecmp(proto, "https") == 0) {
    r->tls = 1;
  }
  xff = req_header(r, "X-Forwarded-For");
  if(!xff) {
    return;
  }
  last = strrchr(xff, ',');
  last = last ? last + 1 : xff;
  while(*last == ' ') {
    last++;
  }
  n = strcspn(last, " ");
  if(n == 0 || n >= sizeof(addr)) {
    return;
  }
  memcpy(addr, last, n);
  addr[n] = 0;
  if(inet_pton(AF_INET, addr, bin) == 1 ||
     inet_pton(AF_INET6, addr, bin) == 1) {
    memcpy(r->peer, addr, n + 1);
  }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
  struct req *r = *con_cls;
  (void)cls;
  (void)version;

  if(!r) {
    enum status st;
    const char *cl;
    int bad_utf8 = 0;
    r = xmalloc(sizeof(*r));
    req_init(r);
    atomic_fetch_add(&in_flight, 1);
    *con_cls = r;
    log_set_request(r->id);
    r->tls = server_tls;
    peer_text(conn, r->peer, sizeof(r->peer));
    r->method_name = method;
    r->method = parse_method(method, &r->is_head);
    r->path = url;
    if(collect(conn, r, MHD_HEADER_KIND, &r->headers, &r->n_headers,
               REQ_MAX_HEADERS, NULL) ||
       collect(conn, r, MHD_COOKIE_KIND, &r->cookies, &r->n_cookies, 32,
               NULL) ||
       collect(conn, r, MHD_GET_ARGUMENT_KIND, &r->params, &r->n_params,
               REQ_MAX_PARAMS, &bad_utf8)) {
      r->status = 431;
      r->early_msg = M_ERR_TOO_BIG;
    }
    else if(bad_utf8 || !utf8_valid(str_c(url), NULL)) {
      r->status = 400;
      r->early_msg = M_ERR_BAD_UTF8;
    }
    else if(!host_ok(req_header(r, "Host"))) {
      r->status = 421;
      r->early_msg = M_ERR_HOST;
    }
    else {
      st = router_match(r);
      if(st == ST_NOTFOUND) {
        r->status = 404;
        r->early_msg = M_ERR_NOT_FOUND;
      }
      else if(st == ST_CONFLICT) {
        r->status = 405;
        r->early_msg = M_ERR_METHOD;
      }
    }
    apply_proxy(r);
    r->body.max = router_body_limit(r);
    cl = req_header(r, "Content-Length");
    if(cl && r->status == 200) {
      int64_t n;
      if(str_to_i64(str_c(cl), 0, INT64_MAX, &n)) {
        r->status = 400;
        r->early_msg = M_ERR_BAD_REQUEST;
      }
      else if((uint64_t)n > r->body.max) {
        /* Refuse before reading the body; the connection is closed. */
        req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
        return send_response(conn, r);
      }
    }
    return MHD_YES;
  }
  if(*upload_size) {
    if(!r->body_too_big && r->status == 200) {
      buf_append(&r->body, upload_data, *upload_size);
      if(r->body.err) {
        r->body_too_big = 1;
      }
    }
    *upload_size = 0;
    return MHD_YES;
  }
  log_set_request(r->id);
  if(r->early_msg != M_NONE) {
    /* Refused before the route ran: keep the status, give the reason. */
    int status = r->status;
    req_fail(r,
             status == 404 ? ST_NOTFOUND :
             status == 431 ? ST_TOOBIG :
             status == 421 ? ST_FORBIDDEN :
                             ST_INVALID,
             r->early_msg);
    r->status = status;
    if(status == 405 && r->allow) {
      req_set_header(r, "Allow", r->allow);
    }
  }
  else if(r->body_too_big) {
    req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
  }
  else {
    r->db = worker_db();
    if(!r->db) {
      req_fail(r, ST_DB, M_ERR_INTERNAL);
    }
    else {
      /* router_dispatch() opens a GET's read transaction once the
       * session is checked (which may write). */
      router_dispatch(r);
      /* Ends the GET's read transaction; a handler that failed half-way
       * inside a write transaction is rolled back. */
      if(r->method == HTTP_GET) {
        db_read_end(r->db);
      }
      else {
        db_rollback(r->db);
      }
      db_reap(r->db);
    }
  }
  return send_response(conn, r);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
  struct req *r = *con_cls;
  char line[1024];
  (void)cls;
  (void)conn;
  if(!r) {
    return;
  }
  snprintf(line, sizeof(line),
           "access req=%s method=%s path=%.300s status=%d bytes=%zu "
           "us=%lld peer=%s%s",
           r->id, r->method_name ? r->method_name : "?",
           r->path ? r->path : "", r->status, r->sent,
           (long long)(req_clock_us() - r->started_us),
           r->peer[0] ? r->peer : "-",
           toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
  log_line(line);
  req_free(r);
  free(r);
  *con_cls = NULL;
  atomic_fetch_sub(&in_flight, 1);
}

/*
 * Called with the request line's URI before libmicrohttpd parses its
 * query arguments.  A URI with far more arguments than we keep would
 * exhaust the connection's memory pool, and libmicrohttpd 0.9.75 then
 * cannot even send an error: it waits for the idle timeout.  For such a
 * URI, shorten that wait to one second so the connection is dropped at
 * once.  Returns NULL: the request state is made in on_request().
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
  size_t args = 0;
  (void)cls;
  for(; *uri; uri++) {
    args += *uri == '&';
  }
  if(args > REQ_MAX_PARAMS) {
    MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, 1u);
  }
  return NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
  char msg[512];
  (void)cls;
  vsnprintf(msg, sizeof(msg), fmt, ap);
  log_msg(LOG_DEBUG, "microhttpd: %s", msg);
}

enum status server_parse_listen(const char *listen, void *addr,
                                unsigned *addr_len, int *is_loopback)
{
  const char *colon = strrchr(listen, ':');
  char host[64];
  size_t hl;
  int64_t port;
  struct sockaddr_storage *ss = addr;

  if(!colon || str_to_i64(str_c(colon + 1), 0, 65535, &port)) {
    return ST_INVALID;
  }
  hl = (size_t)(colon - listen);
  if(hl == 0 || hl >= sizeof(host)) {
    return ST_INVALID;
  }
  memcpy(host, listen, hl);
  host[hl] = 0;
  memset(ss, 0, sizeof(*ss));
  if(host[0] == '[' && host[hl - 1] == ']') {
    struct sockaddr_in6 *a6 = addr;
    host[hl - 1] = 0;
    if(inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1) {
      return ST_INVALID;
    }
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons((uint16_t)port);
    *addr_len = sizeof(*a6);
    *is_loopback = IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
  }
  else {
    struct sockaddr_in *a4 = addr;
    if(strcmp(host, "localhost") == 0) {
      memcpy(host, "127.0.0.1", 10);
    }
    if(inet_pton(AF_INET, host, &a4->sin_addr) != 1) {
      return ST_INVALID;
    }
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    *addr_len = sizeof(*a4);
    *is_loopback = (ntohl(a4->sin_addr.s_addr) >> 24) == 127;
  }
  return ST_OK;
}

/* 1 if addr (a struct sockaddr_storage) is 0.0.0.0 or [::]. */
static int is_wildcard(const struct sockaddr_storage *addr)
{
  if(addr->ss_family == AF_INET6) {
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)addr;
    return IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr);
  }
  return ((const struct sockaddr_in *)addr)->sin_addr.s_addr == INADDR_ANY;
}

/* The checks of server_check() but TLS: the listen address into *addr,
 * *addr_len and *loopback; every --host; a wildcard has a --host. */
static enum status check_listen(const struct server_config *cfg,
                                struct sockaddr_storage *addr,
                                unsigned *addr_len, int *loopback,
                                struct buf *why)
{
  size_t i, n;
  unsigned port;
  CHECK(cfg->n_hosts <= SERVER_MAX_HOSTS);
  if(server_parse_listen(cfg->listen, addr, addr_len, loopback)) {
    msg_fill(why, M_SRV_BAD_LISTEN, cfg->listen, NULL);
    return ST_INVALID;
  }
  for(i = 0; i < cfg->n_hosts; i++) {
    if(split_host(cfg->hosts[i], &n, &port) ||
       !host_name_valid(cfg->hosts[i], n)) {
      msg_fill(why, M_SRV_BAD_HOST, cfg->hosts[i], NULL);
      return ST_INVALID;
    }
  }
  if(is_wildcard(addr) && cfg->n_hosts == 0) {
    msg_fill(why, M_SRV_NEEDS_HOST, cfg->listen, NULL);
    return ST_INVALID;
  }
  return ST_OK;
}

/* Load the certificate and key of cfg into *tls when TLS is asked for
 * (else leave it empty); the checks of server_check() for TLS. */
static enum status load_tls(const struct server_config *cfg,
                            struct tls_files *tls, struct buf *why)
{
  tls->cert = NULL;
  tls->key = NULL;
  tls->key_len = 0;
  if(!cfg->tls_cert && !cfg->tls_key) {
    return ST_OK;
  }
  if(!cfg->tls_cert || !cfg->tls_key) {
    msg_fill(why, M_SRV_TLS_PAIR, NULL);
    return ST_INVALID;
  }
  if(MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
    msg_fill(why, M_SRV_TLS_UNSUPPORTED, NULL);
    return ST_IO;
  }
  return tls_load(cfg->tls_cert, cfg->tls_key, tls, why);
}

enum status server_check(const struct server_config *cfg, struct buf *why)
{
  struct sockaddr_storage addr;
  struct tls_files tls;
  unsigned addr_len;
  int loopback;
  enum status st = check_listen(cfg, &addr, &addr_len, &loopback, why);
  if(st) {
    return st;
  }
  st = load_tls(cfg, &tls, why);
  tls_free(&tls);
  return st;
}

/* Print the cleartext warning on stderr (listening beyond loopback
 * without TLS). */
static void warn_cleartext(const char *listen)
{
  struct buf line;
  buf_init(&line, 4096);
  msg_fill(&line, M_SRV_CLEARTEXT, listen, NULL);
  fprintf(stderr, "isms: %s\n", line.data);
  fflush(stderr);
  buf_free(&line);
}

enum status server_run(const struct server_config *cfg, struct buf *why)
{
  /* Not const: libmicrohttpd takes option strings as void *. */
  static char priorities[] = TLS_PRIORITIES;
  struct sockaddr_storage addr;
  unsigned addr_len;
  int loopback, sig;
  struct MHD_Daemon *d;
  const union MHD_DaemonInfo *info;
  sigset_t set;
  unsigned threads = cfg->threads;
  time_t deadline;
  size_t i;
  struct tls_files tls;
  enum status st;

  st = check_listen(cfg, &addr, &addr_len, &loopback, why);
  if(!st) {
    st = load_tls(cfg, &tls, why);
  }
  if(st) {
    return st;
  }
  struct MHD_OptionItem tls_options[] = {
    { MHD_OPTION_HTTPS_MEM_KEY, 0, tls.key },
    { MHD_OPTION_HTTPS_MEM_CERT, 0, tls.cert },
    { MHD_OPTION_HTTPS_PRIORITIES, 0, priorities },
    { MHD_OPTION_END, 0, NULL },
  };
  server_tls = tls.cert != NULL;
  server_proxied = cfg->behind_proxy;
  if(!server_tls) {
    tls_options[0].option = MHD_OPTION_END;
  }
  memcpy(&listen_addr, &addr, sizeof(addr));
  listen_kind = loopback           ? LISTEN_LOOPBACK :
                is_wildcard(&addr) ? LISTEN_ANY :
                                     LISTEN_ADDRESS;
  n_host_names = 0;
  for(i = 0; i < cfg->n_hosts; i++) {
    struct host_name *h = &host_names[n_host_names++];
    split_host(cfg->hosts[i], &h->len, &h->port); /* checked above */
    memcpy(h->name, cfg->hosts[i], h->len);
    h->name[h->len] = 0;
  }
  if(!threads) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    threads = n > 0 && n < 64 ? (unsigned)n : 2;
  }
  server_db_path = cfg->db_path;
  if(!loopback && !server_tls) {
    warn_cleartext(cfg->listen);
  }

  /* Workers inherit this mask: only the main thread takes the signals. */
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  atomic_store(&stopping, 0);
  d = MHD_start_daemon(
    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
      (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0) |
      (server_tls ? MHD_USE_TLS : 0),
    0, on_accept, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &addr,
    MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
    (unsigned)IDLE_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
    (size_t)CONNECTION_MEMORY, MHD_OPTION_CONNECTION_LIMIT,
    (unsigned)MAX_CONNECTIONS, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_URI_LOG_CALLBACK,
    on_uri, NULL, MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_ARRAY,
    tls_options, MHD_OPTION_END);
  if(!d) {
    tls_free(&tls);
    msg_fill(why, M_SRV_CANNOT_LISTEN, cfg->listen, NULL);
    return ST_IO;
  }
  info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  server_port = info ? info->port : 0;
  if(cfg->print_port) {
    printf("%u\n", info ? info->port : 0);
  }
  else {
    char host[64];
    size_t hl = (size_t)(strrchr(cfg->listen, ':') - cfg->listen);
    if(hl >= sizeof(host)) {
      hl = sizeof(host) - 1;
    }
    memcpy(host, cfg->listen, hl);
    host[hl] = 0;
    struct buf line;
    char port[8];
    snprintf(port, sizeof(port), "%u", info ? info->port : 0);
    buf_init(&line, 1024);
    msg_fill(&line, M_SRV_SERVING, server_tls ? "https" : "http", host, port,
             NULL);
    printf("%s\n", line.data);
    buf_free(&line);
  }
  fflush(stdout);
  log_msg(LOG_NOTICE, "listening on %s (port %u%s) with %u threads",
          cfg->listen, info ? info->port : 0, server_tls ? ", TLS" : "",
          threads);

  sigwait(&set, &sig);
  log_msg(LOG_NOTICE, "signal %d: stopping, finishing requests in flight",
          sig);
  atomic_store(&stopping, 1);
  deadline = time(NULL) + DRAIN_SECONDS;
  while(atomic_load(&in_flight) > 0 && time(NULL) < deadline) {
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    nanosleep(&ts, NULL);
  }
  MHD_stop_daemon(d);
  tls_free(&tls);
  pthread_mutex_lock(&dbs_lock);
  for(i = 0; i < n_dbs; i++) {
    db_close(dbs[i]);
  }
  n_dbs = 0;
  pthread_mutex_unlock(&dbs_lock);
  log_msg(LOG_NOTICE, "stopped; database closed");
  return ST_OK;
}
