/*
 * kpi_store.c: the SQL of the outage log beyond the register engine and
 * of the drill results.  Instants are stored as UTC text
 * ("YYYY-MM-DDTHH:MM:SSZ"), so text order is time order and a window
 * is compared as text.
 */
#include "kpi_store.h"
#include "auth/audit.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* t as storage text into out[32]. */
static void utc_text(int64_t t, char out[32])
{
  struct buf b;
  buf_init(&b, 32);
  time_format_utc(&b, t);
  snprintf(out, 32, "%s", b.err ? "" : b.data);
  buf_free(&b);
}

/* The instant of storage text s, or -1 when it is not one (stored
 * values are checked on the way in). */
static int64_t instant(const unsigned char *s)
{
  int64_t t;
  if(!s || time_parse_utc(str_c((const char *)s), &t)) {
    return -1;
  }
  return t;
}

/* Grow *v (of elem bytes, *cap of them) to hold one more than k. */
static void *grow(struct arena *a, void *v, size_t elem, size_t k, size_t *cap)
{
  void *bigger;
  if(k < *cap) {
    return v;
  }
  *cap = *cap ? *cap * 2 : 64;
  bigger = arena_alloc(a, elem * *cap);
  if(bigger && k) {
    memcpy(bigger, v, elem * k);
  }
  return bigger;
}

enum status kpi_store_outages(struct db *db, int64_t from, int64_t to,
                              struct arena *a, struct kpi_outage_row **out,
                              size_t *n)
{
  sqlite3_stmt *st;
  struct kpi_outage_row *v = NULL;
  char lo[32], hi[32];
  size_t k = 0, cap = 0;
  int rc;
  *out = NULL;
  *n = 0;
  utc_text(from, lo);
  utc_text(to, hi);
  if(db_prepare(db, &st,
                "SELECT system, kind, started, ended FROM outage"
                " WHERE archived = 0 AND started < ?"
                " AND (ended IS NULL OR ended > ?)"
                " ORDER BY system, started, id")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, hi, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, lo, -1, SQLITE_TRANSIENT);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t started = instant(sqlite3_column_text(st, 2));
    int64_t ended = sqlite3_column_type(st, 3) == SQLITE_NULL ?
                      KPI_ONGOING :
                      instant(sqlite3_column_text(st, 3));
    const unsigned char *kind = sqlite3_column_text(st, 1);
    if(started < 0 || ended < 0) {
      continue; /* cannot happen: the register checks them */
    }
    v = grow(a, v, sizeof(*v), k, &cap);
    if(!v) {
      db_done(st);
      return ST_NOMEM;
    }
    v[k].system = sqlite3_column_int64(st, 0);
    v[k].o.from = started;
    v[k].o.to = ended;
    v[k].o.is_planned = kind && !strcmp((const char *)kind, "planned");
    k++;
  }
  db_done(st);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "outages");
  }
  *out = v;
  *n = k;
  return ST_OK;
}

enum status kpi_store_first_outages(struct db *db, struct arena *a,
                                    int64_t **systems, int64_t **first,
                                    size_t *n)
{
  sqlite3_stmt *st;
  int64_t *ids = NULL, *at = NULL;
  size_t k = 0, cap = 0, cap2 = 0;
  int rc;
  *systems = NULL;
  *first = NULL;
  *n = 0;
  if(db_prepare(db, &st,
                "SELECT system, min(started) FROM outage WHERE archived = 0"
                " GROUP BY system ORDER BY system")) {
    return ST_DB;
  }
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t t = instant(sqlite3_column_text(st, 1));
    if(t < 0) {
      continue;
    }
    ids = grow(a, ids, sizeof(*ids), k, &cap);
    at = grow(a, at, sizeof(*at), k, &cap2);
    if(!ids || !at) {
      db_done(st);
      return ST_NOMEM;
    }
    ids[k] = sqlite3_column_int64(st, 0);
    at[k++] = t;
  }
  db_done(st);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "first outages");
  }
  *systems = ids;
  *first = at;
  *n = k;
  return ST_OK;
}

enum status kpi_store_result_set(struct db *db, int64_t drill, struct arena *a,
                                 struct kpi_result_set *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  int rc;
  memset(out, 0, sizeof(*out));
  if(db_prepare(db, &st,
                "SELECT file, sha256, lines, by, at FROM drill_result_set"
                " WHERE drill = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, drill);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    out->file = db_col_text(st, 0, a);
    out->sha256 = db_col_text(st, 1, a);
    out->lines = sqlite3_column_int64(st, 2);
    out->by = db_col_text(st, 3, a);
    out->at = db_col_text(st, 4, a);
    ret = out->file && out->sha256 && out->by && out->at ? ST_OK : ST_NOMEM;
  }
  else if(rc != SQLITE_DONE) {
    ret = db_fail(db, "drill result set");
  }
  db_done(st);
  return ret;
}

enum status kpi_store_results(struct db *db, int64_t drill, struct arena *a,
                              struct kpi_phish_row **rows, size_t *n)
{
  sqlite3_stmt *st;
  struct kpi_phish_row *v = NULL;
  size_t k = 0, cap = 0;
  int rc;
  *rows = NULL;
  *n = 0;
  if(db_prepare(db, &st,
                "SELECT line, recipient, opened, clicked FROM drill_result"
                " WHERE drill = ? ORDER BY line")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, drill);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    v = grow(a, v, sizeof(*v), k, &cap);
    if(!v) {
      db_done(st);
      return ST_NOMEM;
    }
    v[k].line = (size_t)sqlite3_column_int64(st, 0);
    v[k].recipient = db_col_text(st, 1, a);
    v[k].opened = sqlite3_column_int(st, 2) != 0;
    v[k].clicked = sqlite3_column_int(st, 3) != 0;
    if(!v[k].recipient) {
      db_done(st);
      return ST_NOMEM;
    }
    k++;
  }
  db_done(st);
  if(rc != SQLITE_DONE) {
    return db_fail(db, "drill results");
  }
  *rows = v;
  *n = k;
  return ST_OK;
}

/* The statements of a replacement, in the caller's transaction. */
static enum status replace(struct db *db, int64_t drill,
                           const struct kpi_phish_row *rows, size_t n,
                           const char *file, const char *sha,
                           const char *actor, const char *now)
{
  sqlite3_stmt *st;
  enum status rc;
  size_t i;
  if(db_prepare(db, &st, "DELETE FROM drill_result WHERE drill = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, drill);
  rc = db_step_done(db, st, "drill results delete");
  for(i = 0; !rc && i < n; i++) {
    if(db_prepare(db, &st,
                  "INSERT INTO drill_result(drill, line, recipient, opened,"
                  " clicked) VALUES (?, ?, ?, ?, ?)")) {
      return ST_DB;
    }
    sqlite3_bind_int64(st, 1, drill);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)rows[i].line);
    sqlite3_bind_text(st, 3, rows[i].recipient, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, rows[i].opened ? 1 : 0);
    sqlite3_bind_int(st, 5, rows[i].clicked ? 1 : 0);
    rc = db_step_done(db, st, "drill result");
  }
  if(rc) {
    return rc;
  }
  if(db_prepare(db, &st,
                "INSERT OR REPLACE INTO drill_result_set(drill, file, sha256,"
                " lines, by, at) VALUES (?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, drill);
  sqlite3_bind_text(st, 2, file, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, sha, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, (sqlite3_int64)n);
  sqlite3_bind_text(st, 5, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
  return db_step_done(db, st, "drill result set");
}

enum status kpi_store_replace(struct db *db, int64_t drill,
                              const struct kpi_phish_row *rows, size_t n,
                              size_t recipients, const char *file,
                              struct str data, const char *actor)
{
  unsigned char h[crypto_hash_sha256_BYTES];
  char sha[65], now[32], object[40], detail[200];
  enum status rc;

  crypto_hash_sha256(h, (const unsigned char *)data.p, data.len);
  sodium_bin2hex(sha, sizeof(sha), h, sizeof(h));
  utc_text(time_now(), now);
  snprintf(object, sizeof(object), "drill/%lld", (long long)drill);
  /* Counts only: the file's name is the user's text and may be long. */
  snprintf(detail, sizeof(detail), "lines=%zu recipients=%zu sha256=%s", n,
           recipients, sha);
  if(db_begin(db)) {
    return ST_DB;
  }
  rc = replace(db, drill, rows, n, file, sha, actor, now);
  if(!rc) {
    rc = audit_append(db, actor, "drill-results", object, detail);
  }
  if(!rc) {
    rc = db_commit(db);
  }
  if(rc) {
    db_rollback(db);
    return ST_DB;
  }
  return ST_OK;
}
