/*
 * assets_store.c: the SQL of gradings and control status.
 */
#include "assets_store.h"
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

#define GRADING_COLUMNS                                                       \
  "id, system, c, i, a, l, level, justification, graded_by, graded_at,"       \
  " status, approver, decided_at, note FROM grading"

static void read_grading(sqlite3_stmt *st, struct arena *a, struct grading *g)
{
  g->id = sqlite3_column_int64(st, 0);
  g->system = sqlite3_column_int64(st, 1);
  g->c = sqlite3_column_int(st, 2);
  g->i = sqlite3_column_int(st, 3);
  g->a = sqlite3_column_int(st, 4);
  g->l = sqlite3_column_int(st, 5);
  g->level = sqlite3_column_int(st, 6);
  g->justification = db_col_text(st, 7, a);
  g->graded_by = db_col_text(st, 8, a);
  g->graded_at = db_col_text(st, 9, a);
  g->status = db_col_text(st, 10, a);
  g->approver = db_col_text(st, 11, a);
  g->decided_at = db_col_text(st, 12, a);
  g->note = db_col_text(st, 13, a);
}

enum status grading_insert(struct db *db, const struct grading *g, int64_t *id)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  if(db_prepare(db, &st,
                "INSERT INTO grading(system, c, i, a, l, level, justification,"
                " graded_by, graded_at, status)"
                " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')")) {
    return ST_DB;
  }
  now_utc(&at);
  sqlite3_bind_int64(st, 1, g->system);
  sqlite3_bind_int(st, 2, g->c);
  sqlite3_bind_int(st, 3, g->i);
  sqlite3_bind_int(st, 4, g->a);
  sqlite3_bind_int(st, 5, g->l);
  sqlite3_bind_int(st, 6, g->level);
  sqlite3_bind_text(st, 7, g->justification, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 8, g->graded_by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 9, at.data, -1, SQLITE_TRANSIENT);
  ret = db_step_done(db, st, "insert grading");
  buf_free(&at);
  if(!ret) {
    *id = sqlite3_last_insert_rowid(db_handle(db));
  }
  return ret;
}

enum status grading_list(struct db *db, int64_t system, struct arena *a,
                         struct grading **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 200, k = 0;
  struct grading *v = arena_alloc(a, sizeof(*v) * cap);
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT " GRADING_COLUMNS
                " WHERE system = ? ORDER BY id DESC")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, system);
  while(k < cap && sqlite3_step(st) == SQLITE_ROW) {
    read_grading(st, a, &v[k++]);
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status grading_get(struct db *db, int64_t id, struct arena *a,
                        struct grading *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st, "SELECT " GRADING_COLUMNS " WHERE id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  if(sqlite3_step(st) == SQLITE_ROW) {
    read_grading(st, a, out);
    ret = ST_OK;
  }
  db_done(st);
  return ret;
}

enum status grading_decide(struct db *db, int64_t id, const char *status,
                           const char *by, const char *note)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  if(db_prepare(db, &st,
                "UPDATE grading SET status = ?, approver = ?, decided_at = ?,"
                " note = ? WHERE id = ? AND status = 'pending'")) {
    return ST_DB;
  }
  now_utc(&at);
  sqlite3_bind_text(st, 1, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 5, id);
  ret = db_step_done(db, st, "decide grading");
  buf_free(&at);
  if(!ret && sqlite3_changes(db_handle(db)) != 1) {
    ret = ST_CONFLICT;
  }
  return ret;
}

enum status grading_approved(struct db *db, int64_t system, int64_t before,
                             struct arena *a, struct grading *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st,
                "SELECT " GRADING_COLUMNS " WHERE system = ?1 AND status ="
                " 'approved' AND (?2 = 0 OR id < ?2) ORDER BY id DESC"
                " LIMIT 1")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, system);
  sqlite3_bind_int64(st, 2, before);
  if(sqlite3_step(st) == SQLITE_ROW) {
    read_grading(st, a, out);
    ret = ST_OK;
  }
  db_done(st);
  return ret;
}

enum status control_list(struct db *db, int64_t system, struct arena *a,
                         struct control_state **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 512, k = 0;
  struct control_state *v = arena_alloc(a, sizeof(*v) * cap);
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(
       db, &st,
       "SELECT control, status, exemption, evidence, owner, due,"
       " updated_at, updated_by FROM control_status WHERE system = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, system);
  while(k < cap && sqlite3_step(st) == SQLITE_ROW) {
    v[k].control = db_col_text(st, 0, a);
    v[k].status = db_col_text(st, 1, a);
    v[k].exemption = db_col_text(st, 2, a);
    v[k].evidence = db_col_text(st, 3, a);
    v[k].owner = db_col_text(st, 4, a);
    v[k].due = db_col_text(st, 5, a);
    v[k].updated_at = db_col_text(st, 6, a);
    v[k].updated_by = db_col_text(st, 7, a);
    k++;
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status control_set(struct db *db, int64_t system,
                        const struct control_state *s, const char *actor)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  now_utc(&at);
  if(db_prepare(
       db, &st,
       "INSERT INTO control_status(system, control, status, exemption,"
       " evidence, owner, due, updated_at, updated_by)"
       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
       " ON CONFLICT(system, control) DO UPDATE SET"
       " status = excluded.status, exemption = excluded.exemption,"
       " evidence = excluded.evidence, owner = excluded.owner,"
       " due = excluded.due, updated_at = excluded.updated_at,"
       " updated_by = excluded.updated_by")) {
    buf_free(&at);
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, system);
  sqlite3_bind_text(st, 2, s->control, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, s->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, s->exemption, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, s->evidence, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, s->owner, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 7, s->due, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 8, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 9, actor, -1, SQLITE_TRANSIENT);
  ret = db_step_done(db, st, "set control");
  if(!ret) {
    if(db_prepare(db, &st,
                  "INSERT INTO control_history(system, control, status,"
                  " evidence, owner, due, exemption, at, actor)"
                  " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      buf_free(&at);
      return ST_DB;
    }
    sqlite3_bind_int64(st, 1, system);
    sqlite3_bind_text(st, 2, s->control, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, s->status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, s->evidence, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, s->owner, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, s->due, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, s->exemption, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, at.data, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, actor, -1, SQLITE_TRANSIENT);
    ret = db_step_done(db, st, "control history");
  }
  buf_free(&at);
  return ret;
}

enum status system_rows(struct db *db, struct arena *a,
                        struct system_row **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 64, k = 0;
  struct system_row *v = arena_alloc(a, sizeof(*v) * cap);
  enum status ret = ST_OK;
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT id, name, level, coalesce(is_core, 0) FROM system"
                " WHERE archived = 0 ORDER BY name")) {
    return ST_DB;
  }
  while(sqlite3_step(st) == SQLITE_ROW) {
    if(k == cap) {
      struct system_row *w = arena_alloc(a, sizeof(*v) * cap * 2);
      if(!w) {
        ret = ST_NOMEM;
        break;
      }
      memcpy(w, v, sizeof(*v) * cap);
      v = w;
      cap *= 2;
    }
    v[k].id = sqlite3_column_int64(st, 0);
    v[k].name = db_col_text(st, 1, a);
    v[k].level = db_col_text(st, 2, a);
    v[k].is_core = sqlite3_column_int(st, 3);
    k++;
  }
  db_done(st);
  *out = v;
  *n = k;
  return ret;
}

enum status grading_levels(struct db *db,
                           void (*fn)(void *ctx, int64_t system, int level),
                           void *ctx)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "SELECT g.system, g.level FROM grading g JOIN (SELECT system,"
                " max(id) AS id FROM grading WHERE status = 'approved'"
                " GROUP BY system) m ON m.id = g.id")) {
    return ST_DB;
  }
  while(sqlite3_step(st) == SQLITE_ROW) {
    fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1));
  }
  db_done(st);
  return ST_OK;
}

enum status control_states(struct db *db, const char *prefix,
                           void (*fn)(void *ctx, int64_t system,
                                      const char *control, const char *status),
                           void *ctx)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "SELECT system, control, status FROM control_status"
                " WHERE substr(control, 1, length(?1)) = ?1")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, prefix, -1, SQLITE_TRANSIENT);
  while(sqlite3_step(st) == SQLITE_ROW) {
    const char *c = (const char *)sqlite3_column_text(st, 1);
    const char *s = (const char *)sqlite3_column_text(st, 2);
    if(c && s) {
      fn(ctx, sqlite3_column_int64(st, 0), c, s);
    }
  }
  db_done(st);
  return ST_OK;
}
