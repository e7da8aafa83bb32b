/*
 * syslog.c: RFC 5424 messages over UDP or a Unix datagram socket.
 */
#include "syslog.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* RFC 5424 PRI: facility 10 (authpriv) * 8 + severity 5 (notice). */
#define PRI 85

/* s with control characters written as \n, \r, \t or \xHH, so that
 * nothing a user typed can start a forged line (STYLE.md C11); in a
 * PARAM-VALUE '"', '\\' and ']' are escaped too (RFC 5424 6.3.3). */
static void put_escaped(struct buf *b, const char *s, int sd)
{
  for(; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if(c == '\n') {
      buf_puts(b, "\\n");
    }
    else if(c == '\r') {
      buf_puts(b, "\\r");
    }
    else if(c == '\t') {
      buf_puts(b, "\\t");
    }
    else if(c < 0x20 || c == 0x7f) {
      buf_appendf(b, "\\x%02x", c);
    }
    else {
      if(sd && (c == '"' || c == '\\' || c == ']')) {
        buf_putc(b, '\\');
      }
      buf_putc(b, (char)c);
    }
  }
}

static void sd_value(struct buf *b, const char *s)
{
  put_escaped(b, s, 1);
}

void syslog_format(struct buf *b, const struct audit_row *row,
                   const char *host)
{
  buf_appendf(b, "<%d>1 %s %s isms %ld %s [isms@32473 id=\"%lld\"", PRI,
              row->at ? row->at : "-", host && *host ? host : "-",
              (long)getpid(), "audit", (long long)row->id);
  buf_puts(b, " actor=\"");
  sd_value(b, row->actor);
  buf_puts(b, "\" action=\"");
  sd_value(b, row->action);
  buf_puts(b, "\" object=\"");
  sd_value(b, row->object);
  buf_puts(b, "\" source=\"");
  sd_value(b, row->source);
  buf_puts(b, "\" hash=\"");
  sd_value(b, row->hash);
  buf_puts(b, "\"]");
  if(row->detail && *row->detail) {
    /* MSG in UTF-8 starts with a BOM (RFC 5424 6.4). */
    buf_puts(b, " \xef\xbb\xbf");
    put_escaped(b, row->detail, 0);
  }
}

enum status syslog_send(const char *target, const char *msg, size_t len)
{
  int fd = -1;
  ssize_t n = -1;
  if(strncmp(target, "unix:", 5) == 0) {
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if(strlen(target + 5) >= sizeof(sa.sun_path)) {
      return ST_INVALID;
    }
    memcpy(sa.sun_path, target + 5, strlen(target + 5) + 1);
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if(fd >= 0) {
      n = sendto(fd, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa));
    }
  }
  else if(strncmp(target, "udp:", 4) == 0) {
    char host[256];
    const char *colon = strrchr(target + 4, ':');
    struct addrinfo hints, *res = NULL;
    size_t hl;
    if(!colon || colon == target + 4) {
      return ST_INVALID;
    }
    hl = (size_t)(colon - (target + 4));
    if(hl >= sizeof(host)) {
      return ST_INVALID;
    }
    memcpy(host, target + 4, hl);
    host[hl] = 0;
    if(host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
      memmove(host, host + 1, hl - 2);
      host[hl - 2] = 0;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_DGRAM;
    /* Numeric only: no name lookups from inside a transaction's end. */
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    if(getaddrinfo(host, colon + 1, &hints, &res) || !res) {
      return ST_INVALID;
    }
    fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if(fd >= 0) {
      n = sendto(fd, msg, len, 0, res->ai_addr, res->ai_addrlen);
    }
    freeaddrinfo(res);
  }
  else {
    return ST_INVALID;
  }
  if(fd >= 0) {
    close(fd);
  }
  return n == (ssize_t)len ? ST_OK : ST_IO;
}

/* Messages waiting for this thread's commit. */
static _Thread_local struct {
  struct buf msgs;  /* messages, each followed by a NUL */
  char target[256]; /* where they go */
  int used;         /* msgs is initialised */
} q;

static void on_end(int committed)
{
  size_t at = 0;
  if(!q.used) {
    return;
  }
  while(committed && at < q.msgs.len) {
    size_t len = strlen(q.msgs.data + at);
    if(syslog_send(q.target, q.msgs.data + at, len)) {
      /* The trail in the database is complete; the copy is best effort. */
      log_msg(LOG_WARNING, "audit syslog: cannot send to %s", q.target);
      break;
    }
    at += len + 1;
  }
  /* Freed, not kept: a worker thread may end without another call. */
  buf_free(&q.msgs);
  q.used = 0;
}

void syslog_queue(const char *target, const struct audit_row *row)
{
  char host[256];
  if(!target || !*target) {
    return;
  }
  if(!q.used) {
    buf_init(&q.msgs, 1u << 20);
    q.used = 1;
  }
  snprintf(q.target, sizeof(q.target), "%s", target);
  if(gethostname(host, sizeof(host))) {
    host[0] = 0;
  }
  host[sizeof(host) - 1] = 0;
  syslog_format(&q.msgs, row, host);
  buf_putc(&q.msgs, 0);
  db_set_end_hook(on_end);
}
