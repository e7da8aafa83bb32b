/*
 * evidence_store.h: the SQL of evidence files (table evidence_file,
 * src/db/migrations/0015_evidence.sql).
 */
#ifndef ISMS_FEATURES_EVIDENCE_EVIDENCE_STORE_H
#define ISMS_FEATURES_EVIDENCE_EVIDENCE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct db;
struct arena;
struct evidence_file;

/* Insert a row in the caller's transaction; *id gets its id. */
enum status evidence_store_add(struct db *db, const char *sha256,
                               const char *name, const char *mime,
                               const void *data, size_t len, const char *by,
                               const char *at, int64_t *id);

/* Row id into *out (its bytes copied into a); ST_NOTFOUND if none. */
enum status evidence_store_get(struct db *db, int64_t id, struct arena *a,
                               struct evidence_file *out);

#endif
