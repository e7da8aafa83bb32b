/*
 * register_upload_store.c: the import_upload table.
 */
#include "register_upload_store.h"
#include "core/buf.h"
#include "core/time.h"
#include "db/db.h"

#include <sqlite3.h>
#include <string.h>

/* The storage form of now - ago seconds, in b. */
static void utc_ago(struct buf *b, int64_t ago)
{
  buf_init(b, 64);
  time_format_utc(b, time_now() - ago);
}

enum status reg_upload_save(struct db *db, const char *reg_name,
                            struct str data, const char *filename,
                            const char *actor, int64_t *id)
{
  sqlite3_stmt *st;
  struct buf now, old;
  enum status rc;

  utc_ago(&now, 0);
  utc_ago(&old, REG_UPLOAD_KEEP);
  rc = db_begin(db);
  if(!rc) {
    rc = db_prepare(db, &st, "DELETE FROM import_upload WHERE created_at < ?");
  }
  if(!rc) {
    sqlite3_bind_text(st, 1, old.data, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st) == SQLITE_DONE ? ST_OK : db_fail(db, "upload purge");
    db_done(st);
  }
  if(!rc) {
    rc = db_prepare(db, &st,
                    "INSERT INTO import_upload(register, data, filename,"
                    " created_by, created_at) VALUES(?, ?, ?, ?, ?)");
  }
  if(!rc) {
    sqlite3_bind_text(st, 1, reg_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob64(st, 2, data.len ? data.p : "", data.len,
                        SQLITE_STATIC);
    sqlite3_bind_text(st, 3, filename ? filename : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, actor, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, now.data, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st) == SQLITE_DONE ? ST_OK : db_fail(db, "upload save");
    db_done(st);
    *id = sqlite3_last_insert_rowid(db_handle(db));
  }
  if(!rc) {
    rc = db_commit(db);
  }
  if(rc) {
    db_rollback(db);
  }
  buf_free(&now);
  buf_free(&old);
  return rc;
}

enum status reg_upload_get(struct db *db, int64_t id, const char *reg_name,
                           const char *actor, struct arena *a,
                           struct str *data, const char **filename)
{
  sqlite3_stmt *st;
  struct buf old;
  enum status rc;

  utc_ago(&old, REG_UPLOAD_KEEP);
  rc = db_prepare(db, &st,
                  "SELECT data, filename FROM import_upload WHERE id = ?"
                  " AND register = ? AND created_by = ? AND created_at >= ?");
  if(!rc) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, reg_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, actor, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, old.data, -1, SQLITE_TRANSIENT);
    switch(sqlite3_step(st)) {
    case SQLITE_ROW: {
      size_t n = (size_t)sqlite3_column_bytes(st, 0);
      const void *p = sqlite3_column_blob(st, 0);
      char *copy = arena_alloc(a, n + 1);
      const char *name = (const char *)sqlite3_column_text(st, 1);
      if(!copy || !(*filename = arena_strdup(a, name ? name : ""))) {
        rc = ST_TOOBIG;
        break;
      }
      if(n) {
        memcpy(copy, p, n);
      }
      copy[n] = '\0';
      data->p = copy;
      data->len = n;
      break;
    }
    case SQLITE_DONE:
      rc = ST_NOTFOUND;
      break;
    default:
      rc = db_fail(db, "upload get");
    }
    db_done(st);
  }
  buf_free(&old);
  return rc;
}

enum status reg_upload_delete(struct db *db, int64_t id)
{
  sqlite3_stmt *st;
  enum status rc =
    db_prepare(db, &st, "DELETE FROM import_upload WHERE id = ?");
  if(rc) {
    return rc;
  }
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st) == SQLITE_DONE ? ST_OK : db_fail(db, "upload delete");
  db_done(st);
  return rc;
}
