/*
 * risk_store.c: the SQL of the risks of a campaign, of the agency's risk
 * types in use and of acceptances.
 */
#include "risk_store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "db/db.h"

enum status risk_store_ids(struct db *db, int64_t campaign, struct arena *a,
                           int64_t **ids, size_t *n)
{
  sqlite3_stmt *st;
  size_t k = 0;
  int64_t *v = arena_alloc(a, sizeof(*v) * RISK_REPORT_MAX);
  *ids = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT id FROM risk WHERE campaign = ? AND archived = 0"
                " ORDER BY value DESC, id")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, campaign);
  while(k < RISK_REPORT_MAX && sqlite3_step(st) == SQLITE_ROW) {
    v[k++] = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status risk_store_type_ids(struct db *db, struct arena *a, int64_t **ids,
                                size_t *n)
{
  sqlite3_stmt *st;
  size_t k = 0;
  int64_t *v = arena_alloc(a, sizeof(*v) * RISK_TYPES_MAX);
  int rc = SQLITE_DONE;
  *ids = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT id FROM risk_type WHERE archived = 0 ORDER BY id")) {
    return ST_DB;
  }
  while(k < RISK_TYPES_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    v[k++] = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return db_fail(db, "risk type ids");
  }
  *n = k;
  return ST_OK;
}

enum status risk_store_acceptance(struct db *db, int64_t risk, struct arena *a,
                                  struct risk_acceptance *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st,
                "SELECT id, risk, content_hash, approver, approved_at, note"
                " FROM risk_acceptance WHERE risk = ? ORDER BY id DESC"
                " LIMIT 1")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, risk);
  if(sqlite3_step(st) == SQLITE_ROW) {
    out->id = sqlite3_column_int64(st, 0);
    out->risk = sqlite3_column_int64(st, 1);
    out->content_hash = db_col_text(st, 2, a);
    out->approver = db_col_text(st, 3, a);
    out->approved_at = db_col_text(st, 4, a);
    out->note = db_col_text(st, 5, a);
    ret = out->content_hash && out->approver && out->approved_at ? ST_OK :
                                                                   ST_NOMEM;
  }
  db_done(st);
  return ret;
}

enum status risk_store_accept(struct db *db, int64_t risk, const char *hash,
                              const char *approver, const char *note)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  int rc;
  if(db_prepare(db, &st,
                "INSERT INTO risk_acceptance(risk, content_hash, approver,"
                " approved_at, note) VALUES(?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  buf_init(&at, 64);
  time_format_utc(&at, time_now());
  sqlite3_bind_int64(st, 1, risk);
  sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, approver, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, note, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st);
  db_done(st);
  ret = rc == SQLITE_DONE ? ST_OK : db_fail(db, "insert risk acceptance");
  buf_free(&at);
  return ret;
}
