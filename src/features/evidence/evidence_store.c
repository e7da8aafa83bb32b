/*
 * evidence_store.c: the SQL of evidence files.
 */
#include "evidence_store.h"
#include "evidence.h"
#include "core/arena.h"
#include "db/db.h"

#include <string.h>

enum status evidence_store_add(struct db *db, const char *sha256,
                               const char *name, const char *mime,
                               const void *data, size_t len, const char *by,
                               const char *at, int64_t *id)
{
  sqlite3_stmt *st;
  enum status rc;
  if(db_prepare(db, &st,
                "INSERT INTO evidence_file(sha256, name, mime, size, data, by,"
                " at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, mime, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, (sqlite3_int64)len);
  sqlite3_bind_blob64(st, 5, data, (sqlite3_uint64)len, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 7, at, -1, SQLITE_TRANSIENT);
  rc = db_step_done(db, st, "evidence file");
  if(!rc) {
    *id = sqlite3_last_insert_rowid(db_handle(db));
  }
  return rc;
}

enum status evidence_store_get(struct db *db, int64_t id, struct arena *a,
                               struct evidence_file *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  int rc;
  if(db_prepare(db, &st,
                "SELECT sha256, name, mime, size, data, by, at"
                " FROM evidence_file WHERE id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  memset(out, 0, sizeof(*out));
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    int n = sqlite3_column_bytes(st, 4);
    const void *blob = sqlite3_column_blob(st, 4);
    void *copy = n > 0 ? arena_alloc(a, (size_t)n) : NULL;
    out->id = id;
    out->sha256 = db_col_text(st, 0, a);
    out->name = db_col_text(st, 1, a);
    out->mime = db_col_text(st, 2, a);
    out->size = n;
    out->by = db_col_text(st, 5, a);
    out->at = db_col_text(st, 6, a);
    if(copy && blob) {
      memcpy(copy, blob, (size_t)n);
    }
    out->data = copy;
    ret = out->sha256 && out->name && out->mime && out->by && out->at &&
              (copy || n == 0) ?
            ST_OK :
            ST_NOMEM;
  }
  else if(rc != SQLITE_DONE) {
    ret = db_fail(db, "evidence file");
  }
  db_done(st);
  return ret;
}
