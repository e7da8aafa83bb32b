/*
 * register_cache.h: the process-wide caches of the register engine's
 * query results (no SQL here; register_store.c runs the queries).  Every
 * entry carries the data epoch it was read at (db_epoch(), db/db.h) and is
 * used only while that epoch is current.  Thread-safe.
 * Depends on register_store.h and db.
 */
#ifndef ISMS_REGISTERS_REGISTER_CACHE_H
#define ISMS_REGISTERS_REGISTER_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "register_store.h"

/* Most duplicate values a register page warns about. */
#define REG_DUP_MAX 16

/* FNV-1a hash of the NUL-terminated s, the quick key of a cached list. */
uint64_t reg_cache_hash(const char *s);

/*
 * Look up the id list of the query text (hash key): on a hit copy ids
 * [from, from + max) into out, set *n_out and *total (the list's length)
 * and return 1; else return 0.
 */
int reg_cache_ids_get(uint64_t key, const char *text, size_t from, size_t max,
                      int64_t *out, size_t *n_out, int64_t *total);

/* Keep ids (n of them, malloc'd; the cache takes ownership) as the list
 * of the query text read at epoch. */
void reg_cache_ids_put(uint64_t key, const char *text, long epoch,
                       int64_t *ids, size_t n);

/* The duplicate warnings of reg, copied into out (REG_DUP_MAX entries,
 * values in a); 1 on a hit. */
int reg_cache_dups_get(const struct reg *reg, struct arena *a, struct dup *out,
                       size_t *n);

/* Keep the duplicate warnings of reg read at epoch (copied). */
void reg_cache_dups_put(const struct reg *reg, long epoch, const struct dup *d,
                        size_t n);

#endif
