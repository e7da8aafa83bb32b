/*
 * inventory_store.c: the SQL of the yearly asset inventory.
 */
#include "inventory_store.h"
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

#define INV_COLUMNS                                                           \
  "v.id, v.year, v.title, v.opened_at, v.opened_by, v.closed_at,"             \
  " v.closed_by, (SELECT count(*) FROM inventory_item i"                      \
  " WHERE i.inventory = v.id), (SELECT count(*) FROM inventory_item i"        \
  " WHERE i.inventory = v.id AND i.result IS NOT NULL) FROM inventory v"

static void read_inv(sqlite3_stmt *st, struct arena *a, struct inventory *v)
{
  v->id = sqlite3_column_int64(st, 0);
  v->year = sqlite3_column_int(st, 1);
  v->title = db_col_text(st, 2, a);
  v->opened_at = db_col_text(st, 3, a);
  v->opened_by = db_col_text(st, 4, a);
  v->closed_at = db_col_text(st, 5, a);
  v->closed_by = db_col_text(st, 6, a);
  v->total = sqlite3_column_int64(st, 7);
  v->decided = sqlite3_column_int64(st, 8);
}

enum status inv_store_list(struct db *db, struct arena *a,
                           struct inventory **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 100, k = 0;
  struct inventory *v = arena_alloc(a, sizeof(*v) * cap);
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st, "SELECT " INV_COLUMNS " ORDER BY v.year DESC")) {
    return ST_DB;
  }
  while(k < cap && sqlite3_step(st) == SQLITE_ROW) {
    read_inv(st, a, &v[k++]);
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status inv_store_current(struct db *db, struct arena *a,
                              struct inventory *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st,
                "SELECT " INV_COLUMNS
                " WHERE v.closed_at IS NULL ORDER BY v.id DESC LIMIT 1")) {
    return ST_DB;
  }
  if(sqlite3_step(st) == SQLITE_ROW) {
    read_inv(st, a, out);
    ret = ST_OK;
  }
  db_done(st);
  return ret;
}

enum status inv_store_open(struct db *db, int year, const char *title,
                           const char *by, int64_t *id, int64_t *n_items)
{
  sqlite3_stmt *st;
  struct buf at;
  int rc, busy;
  if(db_prepare(db, &st,
                "SELECT EXISTS(SELECT 1 FROM inventory WHERE year = ?"
                " OR closed_at IS NULL)")) {
    return ST_DB;
  }
  sqlite3_bind_int(st, 1, year);
  busy = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
  db_done(st);
  if(busy) {
    return ST_CONFLICT;
  }
  if(db_prepare(db, &st,
                "INSERT INTO inventory(year, title, opened_at, opened_by)"
                " VALUES(?, ?, ?, ?)")) {
    return ST_DB;
  }
  now_utc(&at);
  sqlite3_bind_int(st, 1, year);
  sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, by, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st);
  db_done(st);
  buf_free(&at);
  if((rc & 0xff) == SQLITE_CONSTRAINT) {
    return ST_CONFLICT;
  }
  if(rc != SQLITE_DONE) {
    return db_fail(db, "insert inventory");
  }
  *id = sqlite3_last_insert_rowid(db_handle(db));
  if(db_prepare(db, &st,
                "INSERT INTO inventory_item(inventory, asset, owner, unit)"
                " SELECT ?, a.id, a.owner, (SELECT m.unit FROM member m"
                " WHERE m.archived = 0 AND m.name = a.owner"
                " AND m.unit IS NOT NULL ORDER BY m.id LIMIT 1)"
                " FROM asset a WHERE a.archived = 0")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, *id);
  rc = sqlite3_step(st);
  db_done(st);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "insert inventory items");
  }
  *n_items = sqlite3_changes(db_handle(db));
  return ST_OK;
}

enum status inv_store_items(struct db *db, int64_t inv,
                            const struct inv_filter *f, size_t max,
                            struct arena *a, struct inv_item **out, size_t *n,
                            int *more)
{
  sqlite3_stmt *st;
  size_t k = 0;
  struct inv_item *v = arena_alloc(a, sizeof(*v) * (max ? max : 1));
  *out = v;
  *n = 0;
  *more = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(
       db, &st,
       "SELECT i.asset, a.name, a.property_no, i.owner, i.unit, i.result,"
       " i.note, i.decided_by, i.decided_at"
       " FROM inventory_item i JOIN asset a ON a.id = i.asset"
       " WHERE i.inventory = ?1"
       " AND (?2 IS NULL OR coalesce(i.owner, '') = ?2)"
       " AND (?3 IS NULL OR (?3 = 'open' AND i.result IS NULL)"
       " OR i.result = ?3)"
       " AND (?4 = 0 OR (?4 = 1) = (i.owner IS NOT NULL"
       " AND (i.owner = ?5 OR i.owner = ?6)))"
       " ORDER BY i.owner IS NULL, i.owner, a.property_no, i.asset"
       " LIMIT ?7")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, inv);
  if(f->owner) {
    sqlite3_bind_text(st, 2, f->owner, -1, SQLITE_TRANSIENT);
  }
  if(f->result) {
    sqlite3_bind_text(st, 3, f->result, -1, SQLITE_TRANSIENT);
  }
  sqlite3_bind_int(st, 4, f->mine);
  sqlite3_bind_text(st, 5, f->me ? f->me : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, f->me2 ? f->me2 : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 7, (int64_t)max + 1);
  while(sqlite3_step(st) == SQLITE_ROW) {
    struct inv_item *it;
    if(k == max) {
      *more = 1;
      break;
    }
    it = &v[k++];
    it->asset = sqlite3_column_int64(st, 0);
    it->name = db_col_text(st, 1, a);
    it->property_no = db_col_text(st, 2, a);
    it->owner = db_col_text(st, 3, a);
    it->unit = db_col_text(st, 4, a);
    it->result = db_col_text(st, 5, a);
    it->note = db_col_text(st, 6, a);
    it->decided_by = db_col_text(st, 7, a);
    it->decided_at = db_col_text(st, 8, a);
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status inv_store_progress(struct db *db, int64_t inv, struct arena *a,
                               struct inv_progress **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 2000, k = 0;
  struct inv_progress *v = arena_alloc(a, sizeof(*v) * cap);
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT owner, max(unit), count(*), count(result),"
                " sum(result = 'confirmed'), sum(result = 'changed'),"
                " sum(result = 'missing') FROM inventory_item"
                " WHERE inventory = ? GROUP BY owner"
                " ORDER BY max(unit) IS NULL, max(unit), owner IS NULL,"
                " owner")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, inv);
  while(k < cap && sqlite3_step(st) == SQLITE_ROW) {
    struct inv_progress *p = &v[k++];
    p->owner = db_col_text(st, 0, a);
    p->unit = db_col_text(st, 1, a);
    p->total = sqlite3_column_int64(st, 2);
    p->decided = sqlite3_column_int64(st, 3);
    p->confirmed = sqlite3_column_int64(st, 4);
    p->changed = sqlite3_column_int64(st, 5);
    p->missing = sqlite3_column_int64(st, 6);
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

/* 1 when campaign inv exists and is closed, 0 when open, -1 when none. */
static int closed(struct db *db, int64_t inv)
{
  sqlite3_stmt *st;
  int ret = -1;
  if(db_prepare(db, &st,
                "SELECT closed_at IS NOT NULL FROM inventory"
                " WHERE id = ?")) {
    return -1;
  }
  sqlite3_bind_int64(st, 1, inv);
  if(sqlite3_step(st) == SQLITE_ROW) {
    ret = sqlite3_column_int(st, 0);
  }
  db_done(st);
  return ret;
}

enum status inv_store_decide(struct db *db, int64_t inv, int64_t asset,
                             const char *result, const char *note,
                             const char *actor)
{
  sqlite3_stmt *st;
  struct buf at;
  int rc, c = closed(db, inv);
  if(c < 0) {
    return ST_NOTFOUND;
  }
  if(c) {
    return ST_CONFLICT;
  }
  if(db_prepare(db, &st,
                "UPDATE inventory_item SET result = ?, note = ?,"
                " decided_by = ?, decided_at = ?"
                " WHERE inventory = ? AND asset = ?")) {
    return ST_DB;
  }
  now_utc(&at);
  sqlite3_bind_text(st, 1, result, -1, SQLITE_TRANSIENT);
  if(note && *note) {
    sqlite3_bind_text(st, 2, note, -1, SQLITE_TRANSIENT);
  }
  sqlite3_bind_text(st, 3, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 5, inv);
  sqlite3_bind_int64(st, 6, asset);
  rc = sqlite3_step(st);
  db_done(st);
  buf_free(&at);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "decide inventory item");
  }
  return sqlite3_changes(db_handle(db)) ? ST_OK : ST_NOTFOUND;
}

enum status inv_store_close(struct db *db, int64_t inv, const char *actor)
{
  sqlite3_stmt *st;
  struct buf at;
  int rc;
  if(db_prepare(db, &st,
                "UPDATE inventory SET closed_at = ?, closed_by = ?"
                " WHERE id = ? AND closed_at IS NULL AND NOT EXISTS("
                "SELECT 1 FROM inventory_item WHERE inventory = ?"
                " AND result IS NULL)")) {
    return ST_DB;
  }
  now_utc(&at);
  sqlite3_bind_text(st, 1, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, inv);
  sqlite3_bind_int64(st, 4, inv);
  rc = sqlite3_step(st);
  db_done(st);
  buf_free(&at);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "close inventory");
  }
  return sqlite3_changes(db_handle(db)) ? ST_OK : ST_CONFLICT;
}
