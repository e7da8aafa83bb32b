/*
 * test_import.c: CSV import under memory pressure (STYLE.md C13.5).  For
 * every N, the Nth arena allocation of the import fails: the import must
 * not crash, must either succeed with every value stored exactly or fail
 * with nothing written, and must never store a value as empty.
 * Regressions from the review of issue 2: a NULL error name crashed the
 * import page, and a failed allocation silently blanked a field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "registers/register.h"
#include "registers/register_io.h"
#include "registers/register_store.h"

struct fixture {
  char dir[64];   /* temp directory */
  char path[128]; /* database in it */
  struct db *db;  /* open connection */
};

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof(*f));
  struct buf why;
  assert_non_null(f);
  snprintf(f->dir, sizeof(f->dir), "/tmp/isms-test-import-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
  buf_init(&why, 4096);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &f->db, &why),
                   ST_OK);
  buf_free(&why);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  char p[160];
  db_close(f->db);
  unlink(f->path);
  snprintf(p, sizeof(p), "%s-wal", f->path);
  unlink(p);
  snprintf(p, sizeof(p), "%s-shm", f->path);
  unlink(p);
  rmdir(f->dir);
  free(f);
  return 0;
}

static int64_t count(struct db *db, const struct reg *reg)
{
  int64_t n = -1;
  assert_int_equal(reg_store_count(db, reg, &n), ST_OK);
  return n;
}

/* An unknown header column of any length is reported, never crashes. */
static void test_unknown_huge_column(void **state)
{
  struct fixture *f = *state;
  const struct reg *reg = reg_find("business");
  size_t len = 300000, i;
  char *csv = malloc(len + 8);
  struct arena a;
  struct import_report rep;
  long n;

  assert_non_null(csv);
  /* "abc" and then 台 repeated: a 300 KB header cell of valid UTF-8 */
  memcpy(csv, "abc", 3);
  for(i = 3; i + 3 <= len; i += 3) {
    memcpy(csv + i, "\xe5\x8f\xb0", 3);
  }
  len = i;
  memcpy(csv + len, "\n1\n", 3);
  len += 3;
  for(n = 1; n < 12; n++) {
    arena_init(&a, 1u << 20); /* smaller than two copies of the header */
    arena_fail_after(&a, n);
    assert_int_not_equal(
      reg_import_csv(f->db, reg, (struct str){ csv, len }, "test", &a, &rep),
      ST_OK);
    arena_reset(&a);
  }
  arena_init(&a, 1u << 20);
  assert_int_equal(
    reg_import_csv(f->db, reg, (struct str){ csv, len }, "test", &a, &rep),
    ST_INVALID);
  assert_true(rep.errs.n >= 1);
  assert_non_null(rep.errs.items[0].field);
  assert_true(strlen(rep.errs.items[0].field) <= 100);
  arena_reset(&a);
  free(csv);
}

/* Fail each allocation in turn: all or nothing, and never a blank. */
static void test_import_fail_each_allocation(void **state)
{
  struct fixture *f = *state;
  const struct reg *reg = reg_find("business");
  static const char csv[] =
    "name,seq,is_core,mtd_kind,mtd_hours,failure_impact\n"
    "甲系統,7,否,hours,24,影響甲\n"
    "乙系統,8,是,由系統權管單位訂之,,影響乙\n";
  long n;
  int succeeded = 0;

  for(n = 1; n < 400 && !succeeded; n++) {
    struct arena a;
    struct import_report rep;
    int64_t before = count(f->db, reg);
    enum status st;
    arena_init(&a, 1u << 20);
    arena_fail_after(&a, n);
    st = reg_import_csv(f->db, reg, (struct str){ csv, sizeof(csv) - 1 },
                        "test", &a, &rep);
    arena_reset(&a);
    if(st) {
      assert_int_equal(count(f->db, reg), before); /* nothing written */
      continue;
    }
    succeeded = 1;
    assert_int_equal(count(f->db, reg), before + 2);
    {
      struct list_query q;
      struct record_page pg;
      struct arena b;
      size_t i, seen = 0;
      memset(&q, 0, sizeof(q));
      q.page = 1;
      q.per_page = 10;
      arena_init(&b, 1u << 20);
      assert_int_equal(reg_store_list(f->db, reg, &q, &b, &pg), ST_OK);
      for(i = 0; i < pg.n; i++) {
        const char **v = pg.rows[i].v;
        if(v[1] && !strcmp(v[1], "甲系統")) {
          assert_string_equal(v[0], "7");
          assert_string_equal(v[2], "0");
          assert_string_equal(v[7], "hours");
          assert_string_equal(v[8], "24");
          assert_string_equal(v[6], "影響甲");
          seen++;
        }
        if(v[1] && !strcmp(v[1], "乙系統")) {
          assert_string_equal(v[0], "8");
          assert_string_equal(v[2], "1");
          assert_string_equal(v[7], "owner");
          assert_null(v[8]);
          seen++;
        }
      }
      assert_int_equal(seen, 2);
      arena_reset(&b);
    }
  }
  assert_true(succeeded);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_unknown_huge_column, setup, teardown),
    cmocka_unit_test_setup_teardown(test_import_fail_each_allocation, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
