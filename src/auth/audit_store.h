/*
 * audit_store.h: the SQL of the audit trail (used by audit.c only).
 * Depends on core and db.
 */
#ifndef ISMS_AUTH_AUDIT_STORE_H
#define ISMS_AUTH_AUDIT_STORE_H

#include "audit.h"

/* The last row's id and hash (hash "" and id 0 for an empty table;
 * *sealed 0 when the last row has no hash yet). */
enum status audit_store_last(struct db *db, int64_t *id, char *hash,
                             int *sealed);

/* Insert row with its id and hashes. */
enum status audit_store_insert(struct db *db, const struct audit_row *row);

/* Set prev_hash and hash of an unsealed row. */
enum status audit_store_seal(struct db *db, int64_t id, const char *prev,
                             const char *hash);

/* Every row in id order from since (see audit_each()); fn as there.
 * unsealed_only limits it to the rows from before the chain existed
 * (prev_hash 'legacy') that have no hash yet. */
enum status audit_store_each(struct db *db, const char *since,
                             int unsealed_only, audit_row_fn *fn, void *ctx);

/* The number of accounts (an empty trail with accounts was emptied). */
enum status audit_store_accounts(struct db *db, int64_t *n);

/* The first row's id and prev_hash (id 0 for an empty table). */
enum status audit_store_first(struct db *db, int64_t *id, char *prev);

/* Delete rows older than before (UTC storage form); *n gets how many.
 * The table's trigger refuses rows younger than six months. */
enum status audit_store_prune(struct db *db, const char *before, int *n);

/* See audit_page_rows(). */
enum status audit_store_page(struct db *db, int64_t before, int limit,
                             const char *actor, struct arena *a,
                             struct audit_row **rows, int *n);

#endif
