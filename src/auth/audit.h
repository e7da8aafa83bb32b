/*
 * audit.h: the audit trail (STYLE.md C11, 附表十 記錄事件): an
 * append-only table in which every row carries the SHA-256 of the row
 * before it and of its own content, written in the same transaction as
 * the change it records.  `isms audit verify` recomputes the chain.
 * Depends on core and db.
 */
#ifndef ISMS_AUTH_AUDIT_H
#define ISMS_AUTH_AUDIT_H

#include <stdint.h>

#include "core/i18n.h"
#include "core/status.h"

struct db;
struct arena;

/* One row of the trail. */
struct audit_row {
  int64_t id;            /* order of the events, from 1 */
  const char *at;        /* UTC storage form */
  const char *actor;     /* login, "cli:<user>" or "anonymous" */
  const char *action;    /* e.g. "login", "login-failed", "update" */
  const char *object;    /* what, e.g. "business/12", or NULL */
  const char *detail;    /* for a person, or NULL */
  const char *source;    /* client address, "cli", or NULL */
  const char *prev_hash; /* hash of the row before ("" for the first) */
  const char *hash;      /* hash of this row, NULL before sealing */
};

/* Record the client address for this thread's next audit rows (the
 * router sets it per request; NULL clears it).  The text is copied. */
void audit_set_source(const char *source);

/*
 * Append an event.  Call inside the write transaction of the change it
 * records; outside a transaction it makes its own.  object and detail
 * may be NULL.  ST_DB on failure (the caller rolls back).
 */
enum status audit_append(struct db *db, const char *actor, const char *action,
                         const char *object, const char *detail);

/* Seal the rows written before the chain existed (marked by migration
 * 0003, no hash yet), in order.  Run at start-up; does nothing when
 * there are none. */
enum status audit_seal(struct db *db);

/* The hash of row: hex SHA-256 into out[65]. */
void audit_row_hash(const struct audit_row *row, char *out);

/* The result of verifying the chain. */
struct audit_check {
  int64_t rows;   /* rows checked */
  int64_t bad_id; /* first row that does not verify, 0 if none */
  enum msg why;   /* why it does not (content changed, chain broken) */
  char head[65];  /* hash of the last row: write it down elsewhere */
};

/* Recompute the whole chain.  ST_OK with bad_id 0 when it holds;
 * ST_CONFLICT with bad_id and why when a row was changed, removed or
 * inserted; ST_DB when it cannot be read. */
enum status audit_verify(struct db *db, struct audit_check *out);

/*
 * Remove the rows older than the retention (setting audit-retention-days,
 * never under six months) as actor, in one transaction with an audit row
 * saying how many went and before when.  The chain of the rows that
 * remain still verifies from the first of them.  *n gets how many.
 */
enum status audit_prune(struct db *db, const char *actor, int *n);

/* Called for each row by audit_each(); a non-zero status stops. */
typedef enum status audit_row_fn(void *ctx, const struct audit_row *row);

/* Call fn for each row at or after since (UTC storage form or a date
 * "YYYY-MM-DD"; NULL for all), oldest first; strings live until fn
 * returns. */
enum status audit_each(struct db *db, const char *since, audit_row_fn *fn,
                       void *ctx);

/* Rows for the audit page: the newest first, up to limit, with id below
 * before (0 for the newest); strings and the array live in a. */
enum status audit_page_rows(struct db *db, int64_t before, int limit,
                            const char *actor, struct arena *a,
                            struct audit_row **rows, int *n);

#endif
