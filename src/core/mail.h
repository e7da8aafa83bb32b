/*
 * mail.h: e-mail messages (issue 6: reminders).  mail_build() writes one
 * RFC 5322 message (UTF-8 text, Subject as RFC 2047 encoded words, body
 * in base64, every line at most 76 characters, CRLF endings); the checks
 * of addresses, relay URLs and STARTTLS words are shared with the
 * settings layer.  Header values and addresses with CR, LF or other
 * control characters are refused, so a subject or an address cannot add
 * a header.  Sending is reports/smtp.h.  Depends on core only.
 */
#ifndef ISMS_CORE_MAIL_H
#define ISMS_CORE_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "i18n.h"
#include "status.h"

/* How the plain smtp:// connection is protected (CURLOPT_USE_SSL). */
enum mail_tls {
  MAIL_TLS_REQUIRED = 0, /* STARTTLS or fail: the default */
  MAIL_TLS_OPTIONAL,     /* STARTTLS when the relay offers it */
  MAIL_TLS_NONE,         /* never STARTTLS (a relay on the same host) */
};

/* One message.  Strings are borrowed, UTF-8. */
struct mail {
  const char *from;      /* the From: address */
  const char *const *to; /* the recipients, each an address */
  size_t n_to;           /* how many, at least 1 */
  const char *subject;   /* one line of text */
  const char *body;      /* text; LF or CRLF line ends */
  int64_t date;          /* Unix seconds, written in Asia/Taipei */
};

/* Longest address accepted (RFC 5321: 254 octets in a path). */
#define MAIL_ADDRESS_MAX 254

/* Check one bare address local@domain (ASCII: dot-atom local part of at
 * most 64 octets, a domain of letters, digits and hyphens in dot-separated
 * labels).  ST_OK, or ST_INVALID (also for any control character). */
enum status mail_check_address(const char *addr);

/* Parse a STARTTLS policy word ("required", "optional", "none") into
 * *out.  ST_INVALID for any other word. */
enum status mail_tls_parse(const char *word, enum mail_tls *out);

/* Check a relay URL: smtp:// or smtps:// then a host, an optional port,
 * no user name or password in it, no spaces or control characters.
 * ST_OK or ST_INVALID. */
enum status mail_check_relay(const char *relay);

/* Append message m to out (CRLF line ends, lines of at most 76
 * characters).  ST_INVALID with the reason in *why when an address is
 * refused, a header value holds a control character (CR or LF: header
 * injection), or the subject or body is not UTF-8; ST_TOOBIG when out's
 * cap is hit.  A random Message-ID is made on the From: domain. */
enum status mail_build(const struct mail *m, struct buf *out, enum msg *why);

#endif
