/*
 * smtp.h: sending a message (core/mail.h) to an SMTP relay through
 * libcurl: smtp:// with STARTTLS required, optional or none
 * (CURLOPT_USE_SSL), or smtps://; optional authentication; timeouts.
 * The relay's settings come from the settings layer (smtp_config_load()).
 * The password is never logged or put in an error text.  Depends on
 * core, db and libcurl.
 */
#ifndef ISMS_REPORTS_SMTP_H
#define ISMS_REPORTS_SMTP_H

#include "core/buf.h"
#include "core/i18n.h"
#include "core/mail.h"
#include "core/status.h"

struct arena;
struct db;

/* The relay and how to reach it.  Strings are borrowed. */
struct smtp_config {
  const char *relay;    /* smtp://HOST[:PORT] or smtps://HOST[:PORT] */
  const char *from;     /* envelope sender and From: address */
  enum mail_tls tls;    /* STARTTLS policy for smtp:// */
  const char *user;     /* "" or NULL: no authentication */
  const char *password; /* with user; never logged */
  long connect_timeout; /* seconds to connect, > 0 */
  long timeout;         /* seconds for the whole dialogue, > 0 */
};

/* Build m and send it through cfg's relay to every m->to.  On failure
 * the status (ST_INVALID for a bad message or configuration, ST_IO when
 * the relay could not be reached or refused the message), the reason in
 * *why, and libcurl's own words (no password ever) in detail when it is
 * not NULL.  Blocks for at most cfg's timeouts. */
enum status smtp_send(const struct smtp_config *cfg, const struct mail *m,
                      enum msg *why, struct buf *detail);

/* Fill *cfg from the settings mail-relay, mail-from, mail-starttls,
 * mail-user and mail-password (strings copied into a), with 10 s to
 * connect and 60 s in all.  ST_INVALID with *why = M_MAIL_NO_RELAY or
 * M_MAIL_NO_FROM when those settings are empty. */
enum status smtp_config_load(struct db *db, struct arena *a,
                             struct smtp_config *cfg, enum msg *why);

#endif
