/*
 * drill_store.c: the SQL of the approved procedure of a kind and of the
 * drills the frequency check counts.
 */
#include "drill_store.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/time.h"
#include "db/db.h"

enum status drill_store_approved(struct db *db, const char *kind,
                                 int64_t exclude_id, struct arena *a,
                                 struct irp_approved *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  int rc;
  if(db_prepare(db, &st,
                "SELECT id, title, doc_version, effective FROM ir_procedure"
                " WHERE kind = ? AND status = 'approved' AND archived = 0"
                " AND id <> ? ORDER BY id LIMIT 1")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, exclude_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    out->id = sqlite3_column_int64(st, 0);
    out->title = db_col_text(st, 1, a);
    out->doc_version = db_col_text(st, 2, a);
    out->effective = db_col_text(st, 3, a);
    ret = out->title && out->doc_version ? ST_OK : ST_NOMEM;
  }
  else if(rc != SQLITE_DONE) {
    ret = db_fail(db, "approved procedure");
  }
  db_done(st);
  return ret;
}

enum status drill_store_held(struct db *db, const char *today, struct arena *a,
                             struct drill_held **out, size_t *n)
{
  sqlite3_stmt *st;
  struct drill_held *v = arena_alloc(a, sizeof(*v) * DRILL_HELD_MAX);
  size_t k = 0;
  int rc = SQLITE_DONE;
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT kind, held_on FROM drill WHERE archived = 0"
                " AND status IN ('held', 'reported') AND held_on <= ?"
                " ORDER BY held_on DESC, id DESC")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
  while(k < DRILL_HELD_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *kind = db_col_text(st, 0, a);
    const char *on = (const char *)sqlite3_column_text(st, 1);
    if(!kind) {
      db_done(st);
      return ST_NOMEM;
    }
    /* Dates are stored checked; one that is not would be left out. */
    if(on && !time_parse_date(str_c(on), &v[k].on)) {
      v[k].kind = kind;
      k++;
    }
  }
  db_done(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return db_fail(db, "held drills");
  }
  *n = k;
  return ST_OK;
}
