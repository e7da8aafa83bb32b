/*
 * calendar_store.c: the SQL of the compliance calendar (see
 * calendar_store.h).
 */
#include "calendar_store.h"
#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"

#include <stdio.h>

#include <string.h>

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
  if(s) {
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  }
  else {
    sqlite3_bind_null(st, i);
  }
}

static void bind_id(sqlite3_stmt *st, int i, int64_t id)
{
  if(id) {
    sqlite3_bind_int64(st, i, id);
  }
  else {
    sqlite3_bind_null(st, i);
  }
}

/* Room for one more element of size bytes in *v (capacity *cap, n in
 * use), doubling into a; NULL when a is full. */
static void *grow(struct arena *a, void **v, size_t *cap, size_t n,
                  size_t size)
{
  if(n == *cap) {
    size_t c = *cap ? *cap * 2 : 32;
    void *w = arena_alloc(a, c * size);
    if(!w) {
      return NULL;
    }
    if(n) {
      memcpy(w, *v, n * size);
    }
    *v = w;
    *cap = c;
  }
  return (char *)*v + n * size;
}

enum status cal_store_insert(struct db *db, const char *duty,
                             const char *rule_set, const char *due_on,
                             const char *owner, int chapter, const char *at,
                             int *added)
{
  sqlite3_stmt *st;
  enum status rc;
  *added = 0;
  if(db_prepare(db, &st,
                "INSERT INTO occurrence(duty, rule_set, due_on, owner,"
                " chapter, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(duty, due_on) DO NOTHING")) {
    return ST_DB;
  }
  bind_text(st, 1, duty);
  bind_text(st, 2, rule_set);
  bind_text(st, 3, due_on);
  bind_text(st, 4, owner);
  sqlite3_bind_int(st, 5, chapter);
  bind_text(st, 6, at);
  rc = db_step_done(db, st, "occurrence");
  if(!rc) {
    *added = sqlite3_changes(db_handle(db)) > 0;
  }
  return rc;
}

enum status cal_store_window(struct db *db, const char *from, const char *to,
                             struct arena *a, struct occ_key **out, size_t *n)
{
  sqlite3_stmt *st;
  void *v = NULL;
  size_t cap = 0, k = 0;
  int rc;
  *out = NULL;
  *n = 0;
  if(db_prepare(db, &st,
                "SELECT id, duty, due_on, status, owner FROM occurrence"
                " WHERE due_on BETWEEN ? AND ? AND status IN ('open', 'void')"
                " ORDER BY id")) {
    return ST_DB;
  }
  bind_text(st, 1, from);
  bind_text(st, 2, to);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct occ_key *x = grow(a, &v, &cap, k, sizeof(*x));
    if(!x) {
      db_done(st);
      return ST_NOMEM;
    }
    x->id = sqlite3_column_int64(st, 0);
    x->duty = db_col_text(st, 1, a);
    x->due_on = db_col_text(st, 2, a);
    x->status = db_col_text(st, 3, a);
    x->owner = db_col_text(st, 4, a);
    if(!x->duty || !x->due_on || !x->status || !x->owner) {
      db_done(st);
      return ST_NOMEM;
    }
    k++;
  }
  db_done(st);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "occurrence window");
  }
  *out = v;
  *n = k;
  return ST_OK;
}

enum status cal_store_set_status(struct db *db, int64_t id, const char *status,
                                 const char *reason, const char *owner)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "UPDATE occurrence SET status = ?, void_reason = ?, owner = ?"
                " WHERE id = ? AND status IN ('open', 'void')")) {
    return ST_DB;
  }
  bind_text(st, 1, status);
  bind_text(st, 2, reason);
  bind_text(st, 3, owner);
  sqlite3_bind_int64(st, 4, id);
  return db_step_done(db, st, "occurrence status");
}

enum status cal_store_event(struct db *db, const struct occ_event *e)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "INSERT INTO occurrence_event(occurrence, kind, note,"
                " evidence, link_reg, link_id, by, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, e->occurrence);
  bind_text(st, 2, e->kind);
  bind_text(st, 3, e->note);
  bind_id(st, 4, e->evidence);
  bind_text(st, 5, e->link_reg);
  bind_id(st, 6, e->link_id);
  bind_text(st, 7, e->by);
  bind_text(st, 8, e->at);
  return db_step_done(db, st, "occurrence event");
}

enum status cal_store_events(struct db *db, int64_t id, struct arena *a,
                             struct occ_event **out, size_t *n)
{
  sqlite3_stmt *st;
  void *v = NULL;
  size_t cap = 0, k = 0;
  int rc;
  *out = NULL;
  *n = 0;
  if(db_prepare(db, &st,
                "SELECT kind, note, evidence, link_reg, link_id, by, at"
                " FROM occurrence_event WHERE occurrence = ? ORDER BY id")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct occ_event *x = grow(a, &v, &cap, k, sizeof(*x));
    if(!x) {
      db_done(st);
      return ST_NOMEM;
    }
    x->occurrence = id;
    x->kind = db_col_text(st, 0, a);
    x->note = db_col_text(st, 1, a);
    x->evidence = sqlite3_column_int64(st, 2);
    x->link_reg = db_col_text(st, 3, a);
    x->link_id = sqlite3_column_int64(st, 4);
    x->by = db_col_text(st, 5, a);
    x->at = db_col_text(st, 6, a);
    if(!x->kind || !x->by || !x->at) {
      db_done(st);
      return ST_NOMEM;
    }
    k++;
  }
  db_done(st);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "occurrence events");
  }
  *out = v;
  *n = k;
  return ST_OK;
}

/* Fill x from a row of SELECT_OCC. */
#define SELECT_OCC                                                            \
  "SELECT id, duty, rule_set, due_on, owner, chapter, status, closed_at,"     \
  " closed_by, note, evidence, link_reg, link_id, void_reason"                \
  " FROM occurrence"

static enum status read_occ(sqlite3_stmt *st, struct arena *a,
                            struct occurrence *x)
{
  const char *due;
  memset(x, 0, sizeof(*x));
  x->id = sqlite3_column_int64(st, 0);
  x->duty = db_col_text(st, 1, a);
  x->rule_set = db_col_text(st, 2, a);
  due = (const char *)sqlite3_column_text(st, 3);
  x->owner = db_col_text(st, 4, a);
  x->chapter = sqlite3_column_int(st, 5);
  x->status = db_col_text(st, 6, a);
  x->closed_at = db_col_text(st, 7, a);
  x->closed_by = db_col_text(st, 8, a);
  x->note = db_col_text(st, 9, a);
  x->evidence = sqlite3_column_int64(st, 10);
  x->link_reg = db_col_text(st, 11, a);
  x->link_id = sqlite3_column_int64(st, 12);
  x->void_reason = db_col_text(st, 13, a);
  if(!x->duty || !x->owner || !x->status || !due ||
     time_parse_date(str_c(due), &x->due)) {
    return ST_NOMEM;
  }
  return ST_OK;
}

enum status cal_store_list(struct db *db, const struct cal_filter *f,
                           struct arena *a, struct occurrence **out, size_t *n)
{
  sqlite3_stmt *st;
  void *v = NULL;
  size_t cap = 0, k = 0;
  char from[16] = "", to[16] = "";
  int rc;
  *out = NULL;
  *n = 0;
  if(f->from.year) {
    snprintf(from, sizeof(from), "%04d-%02d-%02d", f->from.year, f->from.month,
             f->from.day);
  }
  if(f->to.year) {
    snprintf(to, sizeof(to), "%04d-%02d-%02d", f->to.year, f->to.month,
             f->to.day);
  }
  if(db_prepare(db, &st,
                SELECT_OCC " WHERE (?1 IS NULL OR due_on >= ?1)"
                           " AND (?2 IS NULL OR due_on <= ?2)"
                           " AND (?3 IS NULL OR status = ?3)"
                           " AND (?4 IS NULL OR owner = ?4)"
                           " AND (?5 IS NULL OR chapter = ?5)"
                           " ORDER BY due_on, chapter, duty"
                           " LIMIT ?6")) {
    return ST_DB;
  }
  bind_text(st, 1, *from ? from : NULL);
  bind_text(st, 2, *to ? to : NULL);
  bind_text(st, 3, f->status);
  bind_text(st, 4, f->owner);
  if(f->chapter) {
    sqlite3_bind_int(st, 5, f->chapter);
  }
  sqlite3_bind_int64(st, 6, f->limit ? (int64_t)f->limit : -1);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct occurrence *x = grow(a, &v, &cap, k, sizeof(*x));
    if(!x || read_occ(st, a, x)) {
      db_done(st);
      return ST_NOMEM;
    }
    k++;
  }
  db_done(st);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "occurrences");
  }
  *out = v;
  *n = k;
  return ST_OK;
}

enum status cal_store_get(struct db *db, int64_t id, struct arena *a,
                          struct occurrence *out)
{
  sqlite3_stmt *st;
  enum status ret;
  int rc;
  if(db_prepare(db, &st, SELECT_OCC " WHERE id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    ret = read_occ(st, a, out);
  }
  else {
    ret = rc == SQLITE_DONE ? ST_NOTFOUND : ST_DB;
  }
  db_done(st);
  return ret == ST_DB ? db_fail(db, "occurrence") : ret;
}

enum status cal_store_close(struct db *db, int64_t id, const char *note,
                            int64_t evidence, const char *link_reg,
                            int64_t link_id, const char *by, const char *at)
{
  sqlite3_stmt *st;
  enum status rc;
  if(db_prepare(db, &st,
                "UPDATE occurrence SET status = 'done', closed_at = ?,"
                " closed_by = ?, note = ?, evidence = ?, link_reg = ?,"
                " link_id = ? WHERE id = ? AND status = 'open'")) {
    return ST_DB;
  }
  bind_text(st, 1, at);
  bind_text(st, 2, by);
  bind_text(st, 3, note);
  bind_id(st, 4, evidence);
  bind_text(st, 5, link_reg);
  bind_id(st, 6, link_id);
  sqlite3_bind_int64(st, 7, id);
  rc = db_step_done(db, st, "occurrence close");
  if(!rc && sqlite3_changes(db_handle(db)) == 0) {
    return ST_CONFLICT;
  }
  return rc;
}

enum status cal_store_reopen(struct db *db, int64_t id)
{
  sqlite3_stmt *st;
  enum status rc;
  if(db_prepare(db, &st,
                "UPDATE occurrence SET status = 'open', closed_at = NULL,"
                " closed_by = NULL, note = NULL, evidence = NULL,"
                " link_reg = NULL, link_id = NULL"
                " WHERE id = ? AND status = 'done'")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  rc = db_step_done(db, st, "occurrence reopen");
  if(!rc && sqlite3_changes(db_handle(db)) == 0) {
    return ST_CONFLICT;
  }
  return rc;
}

#define SELECT_DUTY                                                           \
  "SELECT id, name, owner, frequency, first_due, basis, evidence_hint,"       \
  " chapter, years FROM duty"

static enum status read_duty(sqlite3_stmt *st, struct arena *a,
                             struct agency_duty *x)
{
  x->id = sqlite3_column_int64(st, 0);
  x->name = db_col_text(st, 1, a);
  x->owner = db_col_text(st, 2, a);
  x->frequency = db_col_text(st, 3, a);
  x->first_due = db_col_text(st, 4, a);
  x->basis = db_col_text(st, 5, a);
  x->hint = db_col_text(st, 6, a);
  x->chapter = sqlite3_column_int(st, 7);
  x->years = sqlite3_column_int(st, 8);
  return x->name && x->owner && x->frequency && x->first_due ? ST_OK :
                                                               ST_NOMEM;
}

enum status cal_store_duties(struct db *db, int archived, struct arena *a,
                             struct agency_duty **out, size_t *n)
{
  sqlite3_stmt *st;
  void *v = NULL;
  size_t cap = 0, k = 0;
  int rc;
  *out = NULL;
  *n = 0;
  if(db_prepare(db, &st, SELECT_DUTY " WHERE archived <= ? ORDER BY id")) {
    return ST_DB;
  }
  sqlite3_bind_int(st, 1, archived ? 1 : 0);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct agency_duty *x = grow(a, &v, &cap, k, sizeof(*x));
    if(!x || read_duty(st, a, x)) {
      db_done(st);
      return ST_NOMEM;
    }
    k++;
  }
  db_done(st);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "duties");
  }
  *out = v;
  *n = k;
  return ST_OK;
}

enum status cal_store_duty(struct db *db, int64_t id, struct arena *a,
                           struct agency_duty *out)
{
  sqlite3_stmt *st;
  enum status ret;
  int rc;
  if(db_prepare(db, &st, SELECT_DUTY " WHERE id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    ret = read_duty(st, a, out);
  }
  else {
    ret = rc == SQLITE_DONE ? ST_NOTFOUND : ST_DB;
  }
  db_done(st);
  return ret == ST_DB ? db_fail(db, "duty") : ret;
}
