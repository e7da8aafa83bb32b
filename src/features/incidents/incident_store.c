/*
 * incident_store.c: the SQL of assessments, level decisions, workflow
 * steps and the timeline of incidents.
 */
#include "incident_store.h"
#include "core/arena.h"
#include "db/db.h"

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

static void bind_level(sqlite3_stmt *st, int i, int level)
{
  if(level) {
    sqlite3_bind_int(st, i, level);
  }
  else {
    sqlite3_bind_null(st, i);
  }
}

enum status ir_store_assess(struct db *db, const struct ir_assessment *x,
                            int64_t *id)
{
  sqlite3_stmt *st;
  enum status rc;
  if(db_prepare(db, &st,
                "INSERT INTO incident_assessment(incident, rule_set, facts,"
                " daily_work, level, row_id, proposed, reason, by, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, x->incident);
  bind_text(st, 2, x->rule_set);
  bind_text(st, 3, x->facts);
  sqlite3_bind_int(st, 4, x->daily_work ? 1 : 0);
  sqlite3_bind_int(st, 5, x->level);
  bind_text(st, 6, x->row_id);
  bind_level(st, 7, x->proposed);
  bind_text(st, 8, x->reason);
  bind_text(st, 9, x->by);
  bind_text(st, 10, x->at);
  rc = db_step_done(db, st, "incident assessment");
  if(!rc && id) {
    *id = sqlite3_last_insert_rowid(db_handle(db));
  }
  return rc;
}

enum status ir_store_decide(struct db *db, const struct ir_decision *x)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "INSERT INTO incident_decision(incident, assessment, level,"
                " reason, by, at) VALUES (?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, x->incident);
  sqlite3_bind_int64(st, 2, x->assessment);
  sqlite3_bind_int(st, 3, x->level);
  bind_text(st, 4, x->reason);
  bind_text(st, 5, x->by);
  bind_text(st, 6, x->at);
  return db_step_done(db, st, "incident decision");
}

enum status ir_store_step(struct db *db, const struct ir_step *x)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "INSERT INTO incident_step(incident, step, at, level, channel,"
                " reference, note, by, recorded_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, x->incident);
  bind_text(st, 2, x->step);
  bind_text(st, 3, x->at);
  bind_level(st, 4, x->level);
  bind_text(st, 5, x->channel);
  bind_text(st, 6, x->reference);
  bind_text(st, 7, x->note);
  bind_text(st, 8, x->by);
  bind_text(st, 9, x->recorded_at);
  return db_step_done(db, st, "incident step");
}

enum status ir_store_event(struct db *db, const struct ir_event *x)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "INSERT INTO incident_event(incident, kind, at, text, sha256,"
                " by, recorded_at, file) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, x->incident);
  bind_text(st, 2, x->kind);
  bind_text(st, 3, x->at);
  bind_text(st, 4, x->text);
  bind_text(st, 5, x->sha256);
  bind_text(st, 6, x->by);
  bind_text(st, 7, x->recorded_at);
  if(x->file) {
    sqlite3_bind_int64(st, 8, x->file);
  }
  else {
    sqlite3_bind_null(st, 8);
  }
  return db_step_done(db, st, "incident event");
}

enum status ir_store_assessment(struct db *db, int64_t incident,
                                struct arena *a, struct ir_assessment *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  int rc;
  if(db_prepare(db, &st,
                "SELECT id, rule_set, facts, daily_work, level, row_id,"
                " proposed, reason, by, at FROM incident_assessment"
                " WHERE incident = ? ORDER BY id DESC LIMIT 1")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, incident);
  memset(out, 0, sizeof(*out));
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    out->id = sqlite3_column_int64(st, 0);
    out->incident = incident;
    out->rule_set = db_col_text(st, 1, a);
    out->facts = db_col_text(st, 2, a);
    out->daily_work = sqlite3_column_int(st, 3);
    out->level = sqlite3_column_int(st, 4);
    out->row_id = db_col_text(st, 5, a);
    out->proposed = sqlite3_column_int(st, 6);
    out->reason = db_col_text(st, 7, a);
    out->by = db_col_text(st, 8, a);
    out->at = db_col_text(st, 9, a);
    ret = out->rule_set && out->facts && out->by && out->at ? ST_OK : ST_NOMEM;
  }
  else if(rc != SQLITE_DONE) {
    ret = db_fail(db, "incident assessment");
  }
  db_done(st);
  return ret;
}

enum status ir_store_decision(struct db *db, int64_t incident, struct arena *a,
                              struct ir_decision *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  int rc;
  if(db_prepare(db, &st,
                "SELECT id, assessment, level, reason, by, at"
                " FROM incident_decision WHERE incident = ?"
                " ORDER BY id DESC LIMIT 1")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, incident);
  memset(out, 0, sizeof(*out));
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    out->id = sqlite3_column_int64(st, 0);
    out->incident = incident;
    out->assessment = sqlite3_column_int64(st, 1);
    out->level = sqlite3_column_int(st, 2);
    out->reason = db_col_text(st, 3, a);
    out->by = db_col_text(st, 4, a);
    out->at = db_col_text(st, 5, a);
    ret = out->reason && out->by && out->at ? ST_OK : ST_NOMEM;
  }
  else if(rc != SQLITE_DONE) {
    ret = db_fail(db, "incident decision");
  }
  db_done(st);
  return ret;
}

enum status ir_store_steps(struct db *db, int64_t incident, struct arena *a,
                           struct ir_step **out, size_t *n)
{
  sqlite3_stmt *st;
  struct ir_step *v = arena_alloc(a, sizeof(*v) * IR_STEPS_MAX);
  size_t k = 0;
  int rc = SQLITE_DONE;
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT id, step, at, level, channel, reference, note, by,"
                " recorded_at FROM incident_step WHERE incident = ?"
                " ORDER BY id")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, incident);
  while(k < IR_STEPS_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct ir_step *x = &v[k++];
    x->id = sqlite3_column_int64(st, 0);
    x->incident = incident;
    x->step = db_col_text(st, 1, a);
    x->at = db_col_text(st, 2, a);
    x->level = sqlite3_column_int(st, 3);
    x->channel = db_col_text(st, 4, a);
    x->reference = db_col_text(st, 5, a);
    x->note = db_col_text(st, 6, a);
    x->by = db_col_text(st, 7, a);
    x->recorded_at = db_col_text(st, 8, a);
    if(!x->step || !x->at || !x->by || !x->recorded_at) {
      db_done(st);
      return ST_NOMEM;
    }
  }
  db_done(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return db_fail(db, "incident steps");
  }
  *n = k;
  return ST_OK;
}

enum status ir_store_events(struct db *db, int64_t incident, struct arena *a,
                            struct ir_event **out, size_t *n)
{
  sqlite3_stmt *st;
  struct ir_event *v = arena_alloc(a, sizeof(*v) * IR_EVENTS_MAX);
  size_t k = 0;
  int rc = SQLITE_DONE;
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT id, kind, at, text, sha256, by, recorded_at, file"
                " FROM incident_event WHERE incident = ? ORDER BY at, id")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, incident);
  while(k < IR_EVENTS_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct ir_event *x = &v[k++];
    x->id = sqlite3_column_int64(st, 0);
    x->incident = incident;
    x->kind = db_col_text(st, 1, a);
    x->at = db_col_text(st, 2, a);
    x->text = db_col_text(st, 3, a);
    x->sha256 = db_col_text(st, 4, a);
    x->by = db_col_text(st, 5, a);
    x->recorded_at = db_col_text(st, 6, a);
    x->file = sqlite3_column_int64(st, 7);
    if(!x->kind || !x->at || !x->text || !x->by || !x->recorded_at) {
      db_done(st);
      return ST_NOMEM;
    }
  }
  db_done(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return db_fail(db, "incident events");
  }
  *n = k;
  return ST_OK;
}

int ir_store_has_file(struct db *db, int64_t incident, int64_t file)
{
  sqlite3_stmt *st;
  int found = 0;
  if(db_prepare(
       db, &st,
       "SELECT 1 FROM incident_event WHERE incident = ? AND file = ?")) {
    return 0;
  }
  sqlite3_bind_int64(st, 1, incident);
  sqlite3_bind_int64(st, 2, file);
  found = sqlite3_step(st) == SQLITE_ROW;
  db_done(st);
  return found;
}

int ir_store_is_closed(struct db *db, int64_t incident)
{
  sqlite3_stmt *st;
  int closed = 0;
  if(db_prepare(db, &st,
                "SELECT step FROM incident_step WHERE incident = ? AND step"
                " IN ('closed', 'reopened') ORDER BY id DESC LIMIT 1")) {
    return 1; /* fail closed: an unreadable state is not editable */
  }
  sqlite3_bind_int64(st, 1, incident);
  if(sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char *s = sqlite3_column_text(st, 0);
    closed = s && strcmp((const char *)s, "closed") == 0;
  }
  db_done(st);
  return closed;
}

enum status ir_store_open(struct db *db, struct arena *a, int64_t **ids,
                          size_t *n)
{
  sqlite3_stmt *st;
  int64_t *v = arena_alloc(a, sizeof(*v) * IR_OPEN_MAX);
  size_t k = 0;
  int rc = SQLITE_DONE;
  *ids = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT i.id FROM incident i WHERE i.archived = 0 AND"
                " coalesce((SELECT s.step FROM incident_step s"
                " WHERE s.incident = i.id AND s.step IN ('closed', 'reopened')"
                " ORDER BY s.id DESC LIMIT 1), '') <> 'closed'"
                " ORDER BY i.aware_at DESC, i.id DESC")) {
    return ST_DB;
  }
  while(k < IR_OPEN_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    v[k++] = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return db_fail(db, "open incidents");
  }
  *n = k;
  return ST_OK;
}
