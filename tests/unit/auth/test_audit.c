/*
 * test_audit.c: unit tests for auth/audit.c on a temporary database: the
 * hash chain of the audit trail (STYLE.md C11, 附表十 記錄事件) holds
 * over appended rows and names its head; the triggers refuse an UPDATE
 * of a sealed row and a DELETE of a recent one; an attacker who drops
 * them (as anyone with the sqlite3 shell can) and changes or removes a
 * row is caught at that row; the rows from before the chain are sealed
 * and a row slipped in later without a hash is not; the row hash covers
 * every field and tells NULL from "".
 * Depends on cmocka, auth/audit, db/db, core/buf and sqlite3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/audit.h"
#include "core/buf.h"
#include "db/db.h"

/* Rows appended by the chain tests. */
#define N_ROWS 50

/* The per-test temporary directory and its open database. */
struct fixture {
  char dir[64];
  char path[128];
  struct db *db;
  int64_t n0; /* rows written by the migrations, before the test */
};

/* ---- helpers ---- */

/* Run one statement with up to two text parameters; the result code of
 * its last step (SQLITE_DONE when it worked). */
static int run(struct db *db, const char *sql, const char *a, const char *b)
{
  sqlite3_stmt *st;
  int rc;

  rc = sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL);
  if(rc != SQLITE_OK) {
    return rc;
  }
  sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
  do {
    rc = sqlite3_step(st);
  } while(rc == SQLITE_ROW);
  sqlite3_finalize(st);
  return rc;
}

/* One integer from sql (one optional text parameter); -1 if no row. */
static int64_t sql_int(struct db *db, const char *sql, const char *a)
{
  sqlite3_stmt *st;
  int64_t v = -1;

  assert_int_equal(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return v;
}

/* One text from sql into out[n] ("" for NULL or no row); 1 if it was
 * NULL or missing. */
static int sql_text(struct db *db, const char *sql, const char *a, char *out,
                    size_t n)
{
  sqlite3_stmt *st;
  const char *t = NULL;

  assert_int_equal(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) == SQLITE_ROW) {
    t = (const char *)sqlite3_column_text(st, 0);
  }
  snprintf(out, n, "%s", t ? t : "");
  sqlite3_finalize(st);
  return t == NULL;
}

static int64_t rows(struct db *db)
{
  return sql_int(db, "SELECT count(*) FROM audit_event", NULL);
}

static int64_t last_id(struct db *db)
{
  return sql_int(db, "SELECT coalesce(max(id), 0) FROM audit_event", NULL);
}

/* Append N_ROWS events numbered from 1, with a source address. */
static void append_rows(struct db *db)
{
  int i;

  audit_set_source("192.0.2.7");
  for(i = 1; i <= N_ROWS; i++) {
    char object[32], detail[32];
    snprintf(object, sizeof(object), "business/%d", i);
    snprintf(detail, sizeof(detail), "event %d", i);
    /* Every fifth row without an object, as many real events are. */
    assert_int_equal(audit_append(db, i % 2 ? "alice" : "cli:root", "update",
                                  i % 5 ? object : NULL, detail),
                     ST_OK);
  }
  audit_set_source(NULL);
}

/* audit_verify() into *c. */
static enum status verify(struct db *db, struct audit_check *c)
{
  return audit_verify(db, c);
}

/* The chain must hold: says where it does not. */
static void verifies(struct db *db, struct audit_check *c)
{
  enum status st = audit_verify(db, c);

  if(st || c->bad_id) {
    print_error("audit_verify: status %d, rows %lld, bad_id %lld, why %d\n",
                st, (long long)c->rows, (long long)c->bad_id, (int)c->why);
    fail();
  }
}

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof(*f));
  struct buf why;

  if(!f) {
    return -1;
  }
  snprintf(f->dir, sizeof(f->dir), "/tmp/isms-test-audit-XXXXXX");
  if(!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  snprintf(f->path, sizeof(f->path), "%s/isms.db", f->dir);
  buf_init(&why, 4096);
  if(db_open(f->path, DB_CREATE | DB_MIGRATE, &f->db, &why) != ST_OK) {
    print_error("db_open: %s\n", why.data);
    buf_free(&why);
    rmdir(f->dir);
    free(f);
    return -1;
  }
  buf_free(&why);
  f->n0 = rows(f->db);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  DIR *d;
  struct dirent *e;

  db_close(f->db);
  d = opendir(f->dir);
  while(d && (e = readdir(d)) != NULL) {
    char p[512];
    if(strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
      continue;
    }
    snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
    unlink(p);
  }
  if(d) {
    closedir(d);
  }
  rmdir(f->dir);
  free(f);
  return 0;
}

/* 1 if s is 64 lower-case hex digits. */
static int is_hash(const char *s)
{
  size_t i;

  if(strlen(s) != 64) {
    return 0;
  }
  for(i = 0; i < 64; i++) {
    if(!strchr("0123456789abcdef", s[i])) {
      return 0;
    }
  }
  return 1;
}

/* ---- the chain ---- */

static void test_audit_chain(void **state)
{
  struct fixture *f = *state;
  struct audit_check c;
  char head[80];

  /* Whatever the migrations wrote verifies. */
  verifies(f->db, &c);
  assert_int_equal(c.rows, f->n0);
  assert_int_equal(c.bad_id, 0);

  append_rows(f->db);
  assert_int_equal(rows(f->db), f->n0 + N_ROWS);
  verifies(f->db, &c);
  assert_int_equal(c.rows, f->n0 + N_ROWS);
  assert_int_equal(c.bad_id, 0);
  sql_text(f->db, "SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1",
           NULL, head, sizeof(head));
  assert_true(is_hash(head));
  assert_string_equal(c.head, head);

  /* Every row links to the one before; ids have no gaps; the first row
   * of a new trail follows "". */
  assert_int_equal(sql_int(f->db,
                           "SELECT count(*) FROM audit_event a JOIN"
                           " audit_event b ON b.id = a.id - 1"
                           " WHERE a.prev_hash IS NOT b.hash",
                           NULL),
                   0);
  assert_int_equal(sql_int(f->db,
                           "SELECT count(*) FROM audit_event WHERE hash IS"
                           " NULL OR length(hash) != 64",
                           NULL),
                   0);
  assert_int_equal(last_id(f->db) -
                     sql_int(f->db, "SELECT min(id) FROM audit_event", NULL) +
                     1,
                   rows(f->db));
  assert_int_equal(sql_int(f->db,
                           "SELECT count(*) FROM audit_event WHERE id = 1"
                           " AND prev_hash = ''",
                           NULL),
                   1);
  /* The source address of the thread went into the rows. */
  assert_int_equal(sql_int(f->db,
                           "SELECT count(*) FROM audit_event WHERE source"
                           " = '192.0.2.7'",
                           NULL),
                   N_ROWS);
  /* One more row moves the head. */
  assert_int_equal(audit_append(f->db, "alice", "login", NULL, NULL), ST_OK);
  verifies(f->db, &c);
  assert_string_not_equal(c.head, head);
}

static void test_audit_triggers(void **state)
{
  struct fixture *f = *state;
  struct audit_check c;

  append_rows(f->db);
  /* A sealed row cannot be changed, a recent one cannot be removed. */
  assert_int_not_equal(run(f->db,
                           "UPDATE audit_event SET detail = 'nothing'"
                           " WHERE id = 20",
                           NULL, NULL),
                       SQLITE_DONE);
  assert_int_not_equal(run(f->db,
                           "UPDATE audit_event SET hash = NULL, prev_hash"
                           " = NULL WHERE id = 20",
                           NULL, NULL),
                       SQLITE_DONE);
  assert_int_not_equal(
    run(f->db, "DELETE FROM audit_event WHERE id = 30", NULL, NULL),
    SQLITE_DONE);
  assert_int_not_equal(run(f->db,
                           "DELETE FROM audit_event WHERE id = (SELECT"
                           " max(id) FROM audit_event)",
                           NULL, NULL),
                       SQLITE_DONE);
  assert_int_not_equal(run(f->db,
                           "DELETE FROM audit_event WHERE id = (SELECT"
                           " min(id) FROM audit_event)",
                           NULL, NULL),
                       SQLITE_DONE);
  assert_int_equal(rows(f->db), f->n0 + N_ROWS);
  verifies(f->db, &c);
  /* A row older than the retention (183 days at least) may go. */
  assert_int_equal(run(f->db,
                       "INSERT INTO audit_event(id, at, actor, action)"
                       " VALUES((SELECT max(id) + 1 FROM audit_event),"
                       " '2000-01-01T00:00:00Z', 'cli:root', 'old')",
                       NULL, NULL),
                   SQLITE_DONE);
  assert_int_equal(
    run(f->db, "DELETE FROM audit_event WHERE action = 'old'", NULL, NULL),
    SQLITE_DONE);
}

static void test_audit_tamper(void **state)
{
  struct fixture *f = *state;
  struct audit_check c;
  char saved[200];

  append_rows(f->db);
  assert_true(last_id(f->db) >= 31);
  /* The attacker drops the trigger first. */
  assert_int_equal(
    run(f->db, "DROP TRIGGER audit_event_no_update", NULL, NULL), SQLITE_DONE);
  sql_text(f->db, "SELECT detail FROM audit_event WHERE id = 20", NULL, saved,
           sizeof(saved));
  assert_int_equal(run(f->db,
                       "UPDATE audit_event SET detail = 'nothing happened'"
                       " WHERE id = 20",
                       NULL, NULL),
                   SQLITE_DONE);
  assert_int_equal(verify(f->db, &c), ST_CONFLICT);
  assert_int_equal(c.bad_id, 20);
  assert_int_equal(c.why, M_AUDIT_CHANGED);
  /* Put back, it holds again. */
  assert_int_equal(run(f->db,
                       "UPDATE audit_event SET detail = ?1 WHERE id"
                       " = 20",
                       saved, NULL),
                   SQLITE_DONE);
  verifies(f->db, &c);
  assert_int_equal(c.bad_id, 0);

  /* A removed row breaks the link of the next one. */
  assert_int_equal(
    run(f->db, "DROP TRIGGER audit_event_no_delete", NULL, NULL), SQLITE_DONE);
  assert_int_equal(
    run(f->db, "DELETE FROM audit_event WHERE id = 30", NULL, NULL),
    SQLITE_DONE);
  assert_int_equal(verify(f->db, &c), ST_CONFLICT);
  assert_int_equal(c.bad_id, 31);
  assert_int_equal(c.why, M_AUDIT_BROKEN);
}

/* One tampering: the SQL that does it to row 25. */
static const struct {
  const char *what; /* the field */
  const char *sql;  /* the change */
} tamper[] = {
  { "at", "UPDATE audit_event SET at = '2001-01-01T00:00:00Z' WHERE id = 25" },
  { "actor", "UPDATE audit_event SET actor = 'mallory' WHERE id = 25" },
  { "action", "UPDATE audit_event SET action = 'view' WHERE id = 25" },
  /* Row 25 (the 25th appended) has no object. */
  { "object", "UPDATE audit_event SET object = 'business/25' WHERE id = 25" },
  { "object NULL to ''", "UPDATE audit_event SET object = '' WHERE id = 25" },
  { "detail", "UPDATE audit_event SET detail = 'event 26' WHERE id = 25" },
  { "detail to NULL", "UPDATE audit_event SET detail = NULL WHERE id = 25" },
  { "detail to ''", "UPDATE audit_event SET detail = '' WHERE id = 25" },
  { "source", "UPDATE audit_event SET source = '192.0.2.8' WHERE id = 25" },
  { "source to NULL", "UPDATE audit_event SET source = NULL WHERE id = 25" },
  { "prev_hash", "UPDATE audit_event SET prev_hash = (SELECT hash FROM"
                 " audit_event WHERE id = 23) WHERE id = 25" },
  { "hash", "UPDATE audit_event SET hash = (SELECT hash FROM audit_event"
            " WHERE id = 24) WHERE id = 25" },
  { "detail, hash recomputed badly",
    "UPDATE audit_event SET detail = 'x', hash = lower(hex(randomblob(32)))"
    " WHERE id = 25" },
};

static void test_audit_tamper_fields(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  size_t i;

  assert_int_equal(f->n0, 0); /* ids below are those of append_rows() */
  append_rows(db);
  assert_int_equal(sql_int(db,
                           "SELECT count(*) FROM audit_event WHERE id = 25"
                           " AND object IS NULL",
                           NULL),
                   1);
  assert_int_equal(run(db, "DROP TRIGGER audit_event_no_update", NULL, NULL),
                   SQLITE_DONE);
  assert_int_equal(run(db,
                       "CREATE TABLE saved AS SELECT * FROM audit_event"
                       " WHERE id = 25",
                       NULL, NULL),
                   SQLITE_DONE);
  for(i = 0; i < sizeof(tamper) / sizeof(tamper[0]); i++) {
    struct audit_check c;
    enum status st;
    assert_int_equal(run(db, tamper[i].sql, NULL, NULL), SQLITE_DONE);
    st = verify(db, &c);
    if(st != ST_CONFLICT || c.bad_id != 25 ||
       (c.why != M_AUDIT_CHANGED && c.why != M_AUDIT_BROKEN)) {
      print_error("changing %s of row 25: status %d, bad_id %lld\n",
                  tamper[i].what, st, (long long)c.bad_id);
      fail();
    }
    /* Put the row back as it was. */
    assert_int_equal(run(db,
                         "UPDATE audit_event SET (at, actor, action, object,"
                         " detail, source, prev_hash, hash) = (SELECT at,"
                         " actor, action, object, detail, source, prev_hash,"
                         " hash FROM saved) WHERE id = 25",
                         NULL, NULL),
                     SQLITE_DONE);
    verifies(db, &c);
  }
}

static void test_audit_truncate(void **state)
{
  struct fixture *f = *state;
  struct audit_check c;
  char head[65];

  append_rows(f->db);
  verifies(f->db, &c);
  memcpy(head, c.head, sizeof(head));
  /* Removing the newest row leaves a chain that holds, but its head is
   * not the one written down: that is why the head is shown. */
  assert_int_equal(
    run(f->db, "DROP TRIGGER audit_event_no_delete", NULL, NULL), SQLITE_DONE);
  assert_int_equal(run(f->db,
                       "DELETE FROM audit_event WHERE id = (SELECT max(id)"
                       " FROM audit_event)",
                       NULL, NULL),
                   SQLITE_DONE);
  verifies(f->db, &c);
  assert_int_equal(c.rows, f->n0 + N_ROWS - 1);
  assert_string_not_equal(c.head, head);
  /* Removing the oldest row is caught: no prune names the new first. */
  assert_int_equal(run(f->db,
                       "DELETE FROM audit_event WHERE id = (SELECT min(id)"
                       " FROM audit_event)",
                       NULL, NULL),
                   SQLITE_DONE);
  assert_int_equal(verify(f->db, &c), ST_CONFLICT);
  assert_int_equal(c.why, M_AUDIT_BROKEN);
}

/* ---- sealing ---- */

/* Insert n rows without hashes: as migration 0003 left the rows written
 * before the chain (prev_hash 'legacy') when legacy, else as a row
 * slipped in later by hand. */
static void insert_unsealed(struct db *db, int n, int legacy)
{
  int i;

  for(i = 0; i < n; i++) {
    assert_int_equal(run(db,
                         "INSERT INTO audit_event(id, at, actor, action,"
                         " object, detail, prev_hash) VALUES((SELECT"
                         " coalesce(max(id), 0) + 1 FROM audit_event),"
                         " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'cli:root',"
                         " 'import', ?1, 'unsealed', ?2)",
                         i % 2 ? "business/1" : NULL,
                         legacy ? "legacy" : NULL),
                     SQLITE_DONE);
  }
}

static void test_audit_seal(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  struct audit_check c;
  int64_t first;
  char head[65];

  /* Rows from before the chain, first in the trail (the migrations of a
   * new database write none). */
  assert_int_equal(f->n0, 0);
  insert_unsealed(db, 3, 1);
  assert_int_equal(verify(db, &c), ST_CONFLICT);
  assert_int_equal(c.bad_id, 1);
  assert_int_equal(c.why, M_AUDIT_UNSEALED);
  assert_int_equal(audit_seal(db), ST_OK);
  verifies(db, &c);
  assert_int_equal(c.rows, 3);
  assert_int_equal(sql_int(db,
                           "SELECT count(*) FROM audit_event WHERE id = 1"
                           " AND prev_hash = ''",
                           NULL),
                   1);
  /* Sealing again changes nothing. */
  memcpy(head, c.head, sizeof(head));
  assert_int_equal(audit_seal(db), ST_OK);
  verifies(db, &c);
  assert_string_equal(c.head, head);
  /* Sealed rows are protected like the others. */
  assert_int_not_equal(run(db,
                           "UPDATE audit_event SET detail = 'x' WHERE"
                           " detail = 'unsealed'",
                           NULL, NULL),
                       SQLITE_DONE);

  /* The chain goes on from them. */
  append_rows(db);
  verifies(db, &c);
  assert_int_equal(c.rows, 3 + N_ROWS);

  /* Rows marked as from before the chain but inserted after it began
   * are a forgery: audit_append() does not seal them, verify names the
   * first. */
  first = last_id(db) + 1;
  insert_unsealed(db, 2, 1);
  assert_int_equal(audit_append(db, "alice", "login", NULL, NULL), ST_OK);
  assert_int_equal(verify(db, &c), ST_CONFLICT);
  assert_int_equal(c.bad_id, first);
  assert_int_equal(c.why, M_AUDIT_UNSEALED);
  assert_int_equal(sql_int(db,
                           "SELECT count(*) FROM audit_event WHERE hash IS"
                           " NULL",
                           NULL),
                   2);
  /* A row slipped in without any mark stays unsealed too. */
  insert_unsealed(db, 1, 0);
  assert_int_equal(audit_seal(db), ST_OK);
  assert_int_equal(sql_int(db,
                           "SELECT count(*) FROM audit_event WHERE hash IS"
                           " NULL",
                           NULL),
                   3);
}

/* ---- the row hash ---- */

static void test_audit_row_hash(void **state)
{
  const struct audit_row base = {
    7,
    "2026-03-01T08:00:00Z",
    "alice",
    "update",
    "business/12",
    "name: A -> B",
    "192.0.2.7",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    NULL,
  };
  struct audit_row v[20];
  char h0[65], h[65], again[65];
  size_t i, n = 0;

  (void)state;
  audit_row_hash(&base, h0);
  assert_true(is_hash(h0));
  audit_row_hash(&base, again);
  assert_string_equal(h0, again);
  /* The stored hash itself is not part of the content. */
  v[0] = base;
  v[0].hash = h0;
  audit_row_hash(&v[0], again);
  assert_string_equal(h0, again);

  /* Every single field changes the hash. */
  for(i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    v[i] = base;
  }
  v[n++].id = 8;
  v[n++].at = "2026-03-01T08:00:01Z";
  v[n++].actor = "alicf";
  v[n++].action = "create";
  v[n++].object = "business/13";
  v[n++].detail = "name: A -> C";
  v[n++].source = "192.0.2.8";
  v[n++].prev_hash =
    "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  /* NULL and "" are different values. */
  v[n++].object = NULL;
  v[n++].detail = NULL;
  v[n++].detail = "";
  v[n++].source = NULL;
  v[n++].source = "";
  v[n++].prev_hash = "";
  /* Text cannot move from one field to the next unnoticed. */
  v[n].actor = "aliceupdate";
  v[n++].action = "";
  v[n].actor = "alic";
  v[n++].action = "eupdate";
  v[n].detail = "name: A -> B\n192.0.2.7";
  v[n++].source = NULL;
  v[n++].id = -7;
  assert_true(n <= sizeof(v) / sizeof(v[0]));
  for(i = 0; i < n; i++) {
    audit_row_hash(&v[i], h);
    if(strcmp(h, h0) == 0) {
      print_error("variant %zu hashes like the original row\n", i);
      fail();
    }
  }
  /* "" object and NULL object, side by side. */
  v[0] = base;
  v[1] = base;
  v[0].object = NULL;
  v[1].object = "";
  audit_row_hash(&v[0], h);
  audit_row_hash(&v[1], again);
  assert_string_not_equal(h, again);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
    cmocka_unit_test_setup_teardown(test_audit_triggers, setup, teardown),
    cmocka_unit_test_setup_teardown(test_audit_tamper, setup, teardown),
    cmocka_unit_test_setup_teardown(test_audit_tamper_fields, setup, teardown),
    cmocka_unit_test_setup_teardown(test_audit_truncate, setup, teardown),
    cmocka_unit_test_setup_teardown(test_audit_seal, setup, teardown),
    cmocka_unit_test(test_audit_row_hash),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
