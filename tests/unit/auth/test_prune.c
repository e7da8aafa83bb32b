/*
 * test_prune.c: unit test of audit_prune() (src/auth/audit.c) with the
 * test clock (ISMS_TEST_CLOCK, core/time.c): rows written "three years
 * ago" go, rows younger than the retention stay, the removal is itself
 * audited, the chain of what remains verifies, and a retention below six
 * months is never applied.  Depends on cmocka, auth/audit, db/settings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/audit.h"
#include "core/buf.h"
#include "db/db.h"
#include "db/settings.h"

static char dir[64], clock_file[96], path[96];

/* Move the test clock to offset seconds from now. */
static void set_clock(long long offset)
{
  FILE *f = fopen(clock_file, "w");
  assert_non_null(f);
  fprintf(f, "%lld\n", offset);
  fclose(f);
}

static int64_t count(struct db *db, const char *where_action)
{
  sqlite3_stmt *st;
  int64_t n = -1;
  assert_int_equal(sqlite3_prepare_v2(db_handle(db),
                                      "SELECT count(*) FROM audit_event"
                                      " WHERE ?1 IS NULL OR action = ?1",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, where_action, -1, SQLITE_STATIC);
  if(sqlite3_step(st) == SQLITE_ROW) {
    n = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return n;
}

static void test_prune(void **state)
{
  struct db *db = NULL;
  struct buf why;
  struct audit_check c;
  int i, n = -1;
  int64_t before;
  (void)state;

  buf_init(&why, 4096);
  set_clock(-3LL * 365 * 86400);
  assert_int_equal(db_open(path, DB_CREATE | DB_MIGRATE, &db, &why), ST_OK);
  for(i = 0; i < 10; i++) {
    assert_int_equal(audit_append(db, "old", "update", "business/1", NULL),
                     ST_OK);
  }
  /* 200 days ago: older than six months, younger than the default
   * retention of 365 days. */
  set_clock(-200LL * 86400);
  for(i = 0; i < 5; i++) {
    assert_int_equal(audit_append(db, "mid", "update", "business/2", NULL),
                     ST_OK);
  }
  set_clock(0);
  for(i = 0; i < 3; i++) {
    assert_int_equal(audit_append(db, "new", "update", "business/3", NULL),
                     ST_OK);
  }
  before = count(db, NULL);
  assert_int_equal(audit_prune(db, "cli:test", &n), ST_OK);
  assert_int_equal(n, 10);
  assert_int_equal(count(db, NULL), before - 10 + 1);
  assert_int_equal(count(db, "audit-prune"), 1);
  assert_int_equal(audit_verify(db, &c), ST_OK);
  assert_int_equal(c.rows, before - 10 + 1);

  /* A retention of 183 days removes the 200-day-old rows too; below 183
   * the setting itself is refused (settings.def range). */
  {
    enum msg m;
    const struct setting_decl *d = setting_find("audit-retention-days");
    assert_non_null(d);
    assert_int_equal(setting_check(d, "182", &m), ST_INVALID);
    assert_int_equal(db_begin(db), ST_OK);
    assert_int_equal(setting_store(db, d, "183", "test"), ST_OK);
    assert_int_equal(db_commit(db), ST_OK);
  }
  assert_int_equal(audit_prune(db, "cli:test", &n), ST_OK);
  assert_int_equal(n, 5);
  assert_int_equal(audit_verify(db, &c), ST_OK);
  assert_int_equal(count(db, "update"), 3);

  /* Rows younger than six months cannot be deleted at all. */
  {
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db_handle(db),
                                        "DELETE FROM audit_event", -1, &st,
                                        NULL),
                     SQLITE_OK);
    assert_int_not_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
  }
  db_close(db);
  buf_free(&why);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_prune),
  };
  int rc;
  snprintf(dir, sizeof(dir), "/tmp/isms-test-prune-XXXXXX");
  if(!mkdtemp(dir)) {
    return 1;
  }
  snprintf(clock_file, sizeof(clock_file), "%s/clock", dir);
  snprintf(path, sizeof(path), "%s/isms.db", dir);
  /* Before the first time_now(): the clock file is read on every call. */
  setenv("ISMS_TEST_CLOCK", clock_file, 1);
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  unlink(path);
  {
    char p[128];
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
  }
  unlink(clock_file);
  rmdir(dir);
  return rc;
}
