/*
 * audit_store.c: the SQL of the audit trail.
 */
#include "audit_store.h"
#include "core/arena.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

enum status audit_store_last(struct db *db, int64_t *id, char *hash,
                             int *sealed)
{
  sqlite3_stmt *st;
  int rc;
  *id = 0;
  hash[0] = 0;
  *sealed = 1;
  if(db_prepare(db, &st,
                "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1")) {
    return ST_DB;
  }
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    const char *h = (const char *)sqlite3_column_text(st, 1);
    *id = sqlite3_column_int64(st, 0);
    *sealed = h != NULL;
    snprintf(hash, 65, "%s", h ? h : "");
  }
  db_done(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? ST_OK :
                                                 db_fail(db, "audit last");
}

enum status audit_store_insert(struct db *db, const struct audit_row *row)
{
  sqlite3_stmt *st;
  int rc;
  if(db_prepare(db, &st,
                "INSERT INTO audit_event(id, at, actor, action, object,"
                " detail, source, prev_hash, hash)"
                " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, row->id);
  sqlite3_bind_text(st, 2, row->at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, row->actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, row->action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, row->object, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, row->detail, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 7, row->source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 8, row->prev_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 9, row->hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st);
  db_done(st);
  return rc == SQLITE_DONE ? ST_OK : db_fail(db, "audit insert");
}

enum status audit_store_seal(struct db *db, int64_t id, const char *prev,
                             const char *hash)
{
  sqlite3_stmt *st;
  int rc;
  if(db_prepare(db, &st,
                "UPDATE audit_event SET prev_hash = ?, hash = ?"
                " WHERE id = ? AND hash IS NULL")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, prev, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, id);
  rc = sqlite3_step(st);
  db_done(st);
  return rc == SQLITE_DONE ? ST_OK : db_fail(db, "audit seal");
}

/* Read the columns id … hash starting at column 0 into row. */
static void read_row(sqlite3_stmt *st, struct audit_row *row)
{
  row->id = sqlite3_column_int64(st, 0);
  row->at = (const char *)sqlite3_column_text(st, 1);
  row->actor = (const char *)sqlite3_column_text(st, 2);
  row->action = (const char *)sqlite3_column_text(st, 3);
  row->object = (const char *)sqlite3_column_text(st, 4);
  row->detail = (const char *)sqlite3_column_text(st, 5);
  row->source = (const char *)sqlite3_column_text(st, 6);
  row->prev_hash = (const char *)sqlite3_column_text(st, 7);
  row->hash = (const char *)sqlite3_column_text(st, 8);
}

enum status audit_store_each(struct db *db, const char *since,
                             int unsealed_only, audit_row_fn *fn, void *ctx)
{
  sqlite3_stmt *st;
  enum status ret = ST_OK;
  int rc;
  /* Several walks may be nested (seal inside append): a statement of its
   * own, not the cached one. */
  if(sqlite3_prepare_v2(
       db_handle(db),
       "SELECT id, at, actor, action, object, detail,"
       " source, prev_hash, hash FROM audit_event"
       " WHERE (?1 IS NULL OR at >= ?1)"
       " AND (?2 = 0 OR (hash IS NULL AND prev_hash = 'legacy'"
       " AND id < coalesce((SELECT min(id) FROM audit_event"
       " WHERE hash IS NOT NULL), 9223372036854775807)))"
       " ORDER BY id",
       -1, &st, NULL) != SQLITE_OK) {
    return db_fail(db, "audit walk");
  }
  sqlite3_bind_text(st, 1, since, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 2, unsealed_only);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct audit_row row;
    read_row(st, &row);
    ret = fn(ctx, &row);
    if(ret) {
      break;
    }
  }
  if(!ret && rc != SQLITE_DONE) {
    ret = db_fail(db, "audit walk");
  }
  sqlite3_finalize(st);
  return ret;
}

enum status audit_store_page(struct db *db, int64_t before, int limit,
                             const char *actor, struct arena *a,
                             struct audit_row **rows, int *n)
{
  sqlite3_stmt *st;
  int rc, k = 0;
  struct audit_row *out = arena_alloc(a, sizeof(*out) * (size_t)limit);
  *rows = out;
  *n = 0;
  if(!out) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT id, at, actor, action, object, detail, source,"
                " prev_hash, hash FROM audit_event"
                " WHERE (?1 = 0 OR id < ?1) AND (?2 IS NULL OR actor = ?2)"
                " ORDER BY id DESC LIMIT ?3")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, before);
  sqlite3_bind_text(st, 2, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 3, limit);
  while(k < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct audit_row r;
    read_row(st, &r);
    out[k].id = r.id;
    out[k].at = arena_strdup(a, r.at ? r.at : "");
    out[k].actor = arena_strdup(a, r.actor ? r.actor : "");
    out[k].action = arena_strdup(a, r.action ? r.action : "");
    out[k].object = r.object ? arena_strdup(a, r.object) : NULL;
    out[k].detail = r.detail ? arena_strdup(a, r.detail) : NULL;
    out[k].source = r.source ? arena_strdup(a, r.source) : NULL;
    out[k].prev_hash = NULL;
    out[k].hash = NULL;
    k++;
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status audit_store_prune(struct db *db, const char *before, int *n)
{
  sqlite3_stmt *st;
  int rc;
  *n = 0;
  if(db_prepare(db, &st, "DELETE FROM audit_event WHERE at < ?")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, before, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st);
  db_done(st);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "audit prune");
  }
  *n = sqlite3_changes(db_handle(db));
  return ST_OK;
}

enum status audit_store_first(struct db *db, int64_t *id, char *prev)
{
  sqlite3_stmt *st;
  *id = 0;
  prev[0] = 0;
  if(db_prepare(db, &st,
                "SELECT id, prev_hash FROM audit_event ORDER BY id LIMIT 1")) {
    return ST_DB;
  }
  if(sqlite3_step(st) == SQLITE_ROW) {
    const char *p = (const char *)sqlite3_column_text(st, 1);
    *id = sqlite3_column_int64(st, 0);
    snprintf(prev, 65, "%s", p ? p : "");
  }
  db_done(st);
  return ST_OK;
}

enum status audit_store_accounts(struct db *db, int64_t *n)
{
  sqlite3_stmt *st;
  *n = 0;
  if(db_prepare(db, &st, "SELECT count(*) FROM account")) {
    return ST_DB;
  }
  if(sqlite3_step(st) == SQLITE_ROW) {
    *n = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  return ST_OK;
}
