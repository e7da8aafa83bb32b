/*
 * syslog.h: audit events to the agency's SIEM as RFC 5424 syslog
 * messages (setting audit-syslog: "udp:HOST:PORT" or "unix:PATH").  An
 * event is sent only after the transaction that wrote it commits.
 * Depends on core and db.
 */
#ifndef ISMS_AUTH_SYSLOG_H
#define ISMS_AUTH_SYSLOG_H

#include "audit.h"
#include "core/buf.h"
#include "core/status.h"

/* Append the RFC 5424 message of row (facility authpriv, severity
 * notice; structured data isms@32473 with id, actor, action, object,
 * source and hash; the detail as the message) to b. */
void syslog_format(struct buf *b, const struct audit_row *row,
                   const char *host);

/* Queue row's message for target ("" does nothing); it is sent when
 * this thread's transaction commits and dropped when it rolls back. */
void syslog_queue(const char *target, const struct audit_row *row);

/* Send one message to target now: ST_INVALID for a target that cannot
 * be parsed, ST_IO when sending fails. */
enum status syslog_send(const char *target, const char *msg, size_t len);

#endif
