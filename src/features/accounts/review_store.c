/*
 * review_store.c: the SQL of account reviews.
 */
#include "review_store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "db/db.h"

#include <string.h>

static void now_utc(struct buf *b)
{
  buf_init(b, 64);
  time_format_utc(b, time_now());
}

enum status review_store_open(struct db *db, const char *kind,
                              const char *period, const char *by, int64_t *id)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  now_utc(&at);
  if(db_prepare(db, &st,
                "INSERT INTO review(kind, period, opened_at, opened_by)"
                " VALUES(?, ?, ?, ?)")) {
    buf_free(&at);
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, by, -1, SQLITE_TRANSIENT);
  ret = db_step_done(db, st, "open review");
  buf_free(&at);
  if(ret) {
    return ret;
  }
  *id = sqlite3_last_insert_rowid(db_handle(db));
  if(db_prepare(db, &st,
                "INSERT INTO review_item(review, account, roles)"
                " SELECT ?1, a.id, coalesce((SELECT group_concat(role, ' ')"
                " FROM (SELECT role FROM account_role WHERE account = a.id"
                " ORDER BY role)), '') FROM account a WHERE a.disabled = 0"
                " AND (?2 = 'accounts' OR a.privileged = 1)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, *id);
  sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
  return db_step_done(db, st, "review items");
}

#define REVIEW_COLUMNS                                                        \
  "r.id, r.kind, r.period, r.opened_at, r.opened_by, r.closed_at,"            \
  " r.closed_by, (SELECT count(*) FROM review_item i WHERE i.review = r.id)," \
  " (SELECT count(*) FROM review_item i WHERE i.review = r.id"                \
  " AND i.decision IS NULL) FROM review r"

static void read_review(sqlite3_stmt *st, struct arena *a, struct review *r)
{
  r->id = sqlite3_column_int64(st, 0);
  r->kind = db_col_text(st, 1, a);
  r->period = db_col_text(st, 2, a);
  r->opened_at = db_col_text(st, 3, a);
  r->opened_by = db_col_text(st, 4, a);
  r->closed_at = db_col_text(st, 5, a);
  r->closed_by = db_col_text(st, 6, a);
  r->items = sqlite3_column_int(st, 7);
  r->open_items = sqlite3_column_int(st, 8);
}

enum status review_store_list(struct db *db, struct arena *a,
                              struct review **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 200, k = 0;
  struct review *v = arena_alloc(a, sizeof(*v) * cap);
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st, "SELECT " REVIEW_COLUMNS " ORDER BY r.id DESC")) {
    return ST_DB;
  }
  while(k < cap && sqlite3_step(st) == SQLITE_ROW) {
    read_review(st, a, &v[k++]);
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status review_store_get(struct db *db, int64_t id, struct arena *a,
                             struct review *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st, "SELECT " REVIEW_COLUMNS " WHERE r.id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  if(sqlite3_step(st) == SQLITE_ROW) {
    read_review(st, a, out);
    ret = ST_OK;
  }
  db_done(st);
  return ret;
}

enum status review_store_items(struct db *db, int64_t id, struct arena *a,
                               struct review_item **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 256, k = 0;
  struct review_item *v = arena_alloc(a, sizeof(*v) * cap);
  enum status ret = ST_OK;
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT i.account, a.login, a.name, a.unit, a.privileged,"
                " o.login, i.roles, coalesce(a.last_login, 0), a.disabled,"
                " i.decision, i.note, i.decided_by FROM review_item i"
                " JOIN account a ON a.id = i.account"
                " LEFT JOIN account o ON o.id = a.owner"
                " WHERE i.review = ? ORDER BY a.login")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  while(sqlite3_step(st) == SQLITE_ROW) {
    if(k == cap) {
      struct review_item *w = arena_alloc(a, sizeof(*v) * cap * 2);
      if(!w) {
        ret = ST_NOMEM;
        break;
      }
      memcpy(w, v, sizeof(*v) * cap);
      v = w;
      cap *= 2;
    }
    v[k].account = sqlite3_column_int64(st, 0);
    v[k].login = db_col_text(st, 1, a);
    v[k].name = db_col_text(st, 2, a);
    v[k].unit = db_col_text(st, 3, a);
    v[k].privileged = sqlite3_column_int(st, 4);
    v[k].owner = db_col_text(st, 5, a);
    v[k].roles = db_col_text(st, 6, a);
    v[k].last_login = sqlite3_column_int64(st, 7);
    v[k].disabled = sqlite3_column_int(st, 8);
    v[k].decision = db_col_text(st, 9, a);
    v[k].note = db_col_text(st, 10, a);
    v[k].decided_by = db_col_text(st, 11, a);
    k++;
  }
  db_done(st);
  *out = v;
  *n = k;
  return ret;
}

enum status review_store_decide(struct db *db, int64_t id, int64_t account,
                                const char *decision, const char *note,
                                const char *by)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  now_utc(&at);
  if(db_prepare(
       db, &st,
       "UPDATE review_item SET decision = ?, note = ?, decided_by = ?,"
       " decided_at = ? WHERE review = ? AND account = ? AND"
       " (SELECT closed_at FROM review WHERE id = ?5) IS NULL")) {
    buf_free(&at);
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, decision, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 5, id);
  sqlite3_bind_int64(st, 6, account);
  ret = db_step_done(db, st, "review decision");
  buf_free(&at);
  if(!ret && sqlite3_changes(db_handle(db)) != 1) {
    ret = ST_CONFLICT;
  }
  return ret;
}

enum status review_store_close(struct db *db, int64_t id, const char *by)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  now_utc(&at);
  if(db_prepare(db, &st,
                "UPDATE review SET closed_at = ?, closed_by = ? WHERE id = ?3"
                " AND closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM"
                " review_item WHERE review = ?3 AND decision IS NULL)")) {
    buf_free(&at);
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, id);
  ret = db_step_done(db, st, "close review");
  buf_free(&at);
  if(!ret && sqlite3_changes(db_handle(db)) != 1) {
    ret = ST_CONFLICT;
  }
  return ret;
}

enum status review_store_closed(struct db *db, const char *kind,
                                const char *period, int *exists, int *closed)
{
  sqlite3_stmt *st;
  *exists = 0;
  *closed = 0;
  if(db_prepare(db, &st,
                "SELECT closed_at IS NOT NULL FROM review WHERE kind = ?"
                " AND period = ?")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) == SQLITE_ROW) {
    *exists = 1;
    *closed = sqlite3_column_int(st, 0);
  }
  db_done(st);
  return ST_OK;
}

enum status review_store_item_open(struct db *db, int64_t id, int64_t account,
                                   int *open)
{
  sqlite3_stmt *st;
  *open = 0;
  if(db_prepare(db, &st,
                "SELECT 1 FROM review_item WHERE review = ? AND account = ?"
                " AND decision IS NULL")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, account);
  *open = sqlite3_step(st) == SQLITE_ROW;
  db_done(st);
  return ST_OK;
}
