/*
 * test_db.c: unit tests for db/db.c on temporary files: a new database
 * and its pragmas, the schema snapshot (tests/data/schema.sql), every
 * refusal (missing, not SQLite, another application, newer, pending
 * migrations) leaving the file untouched, migrating a version-1
 * database with its backup copy, migrating a version-9 database's
 * system businesses (0012), and the statement cache.
 * Depends on cmocka, sqlite3 and db/db, core/{buf,embed,time}.
 *
 * The snapshot is found through ISMS_SOURCE (the source tree) or, by
 * default, relative to this file's __FILE__.  After a deliberate schema
 * change, rewrite it with
 *   ISMS_UPDATE_SNAPSHOT=1 build/dev/tests/unit_db_test_db
 * and review the diff of tests/data/schema.sql.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/embed.h"
#include "core/time.h"
#include "auth/audit.h"
#include "db/db.h"

/* A string literal and its length, so cases can hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

/* What *out holds before db_open(), which must set it to NULL. */
static char not_null;
#define NOT_NULL ((struct db *)(void *)&not_null)

/* The per-test temporary directory and the database path in it. */
struct fixture {
  char dir[64];
  char path[128];
};

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof(*f));

  if(!f) {
    return -1;
  }
  snprintf(f->dir, sizeof(f->dir), "/tmp/isms-test-db-XXXXXX");
  if(!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  snprintf(f->path, sizeof(f->path), "%s/isms.db", f->dir);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  DIR *d = opendir(f->dir);
  struct dirent *e;

  while(d && (e = readdir(d)) != NULL) {
    char p[512];
    if(strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
      continue;
    }
    snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
    if(unlink(p)) {
      rmdir(p); /* test_db_directory's directory */
    }
  }
  if(d) {
    closedir(d);
  }
  rmdir(f->dir);
  free(f);
  return 0;
}

/* ---- helpers ---- */

/* The whole file at path (NULL if it cannot be read); *len its size. */
static char *slurp(const char *path, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  struct buf b;
  char chunk[4096], *data;
  size_t n;

  if(!fp) {
    return NULL;
  }
  buf_init(&b, (size_t)1 << 30);
  while((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
    buf_append(&b, chunk, n);
  }
  fclose(fp);
  assert_int_equal(b.err, ST_OK);
  *len = b.len;
  data = buf_detach(&b);
  buf_free(&b); /* buf_detach() left a fresh, empty buffer */
  return data;
}

static void write_file(const char *path, const void *p, size_t n)
{
  FILE *fp = fopen(path, "wb");

  assert_non_null(fp);
  assert_int_equal(fwrite(p, 1, n, fp), n);
  assert_int_equal(fclose(fp), 0);
}

/* The sorted names in dir, joined by spaces, into out. */
static void list_dir(const char *dir, struct buf *out)
{
  struct dirent **names;
  int n, i;

  buf_clear(out);
  n = scandir(dir, &names, NULL, alphasort);
  assert_true(n >= 0);
  for(i = 0; i < n; i++) {
    if(names[i]->d_name[0] != '.') {
      buf_puts(out, names[i]->d_name);
      buf_putc(out, ' ');
    }
    free(names[i]);
  }
  free(names);
}

static sqlite3 *raw_open(const char *path)
{
  sqlite3 *h = NULL;

  assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
  return h;
}

/*
 * Run every statement of sql, ignoring result rows; the primary result
 * code of the first failure, or SQLITE_OK.  (Not sqlite3_exec, which
 * tools/checkbanned.sh keeps to src/db/db.c.)
 */
static int raw_run(sqlite3 *h, const char *sql)
{
  const char *tail = sql;
  int rc = SQLITE_OK;

  while(rc == SQLITE_OK && *tail) {
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(h, tail, -1, &st, &tail);
    if(rc != SQLITE_OK || !st) {
      break; /* an error, or only white space and comments were left */
    }
    while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    sqlite3_finalize(st);
    if(rc == SQLITE_DONE) {
      rc = SQLITE_OK;
    }
  }
  return rc & 0xff;
}

static void raw_exec(sqlite3 *h, const char *sql)
{
  int rc = raw_run(h, sql);

  if(rc != SQLITE_OK) {
    print_error("sqlite: %s in %.60s\n", sqlite3_errmsg(h), sql);
  }
  assert_int_equal(rc, SQLITE_OK);
}

/* The first column of the first row of sql as an integer. */
static int64_t raw_int(sqlite3 *h, const char *sql)
{
  sqlite3_stmt *st;
  int64_t v;

  assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* The first column of the first row of sql as text, into out. */
static void raw_text(sqlite3 *h, const char *sql, struct buf *out)
{
  sqlite3_stmt *st;

  buf_clear(out);
  assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  buf_puts(out, (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

/* Set a PRAGMA to an integer (PRAGMA values cannot be bound). */
static void raw_pragma(sqlite3 *h, const char *name, long long v)
{
  char sql[128];

  snprintf(sql, sizeof(sql), "PRAGMA %s = %lld", name, v);
  raw_exec(h, sql);
}

/*
 * Write the schema of h as the snapshot text: user_version, then every
 * schema object but SQLite's own and the FTS shadow tables, by name.
 */
static void dump_schema(sqlite3 *h, struct buf *out)
{
  sqlite3_stmt *st;

  buf_clear(out);
  buf_puts(out, "-- The schema after all migrations, compared by "
                "tests/unit/db/test_db.c.\n"
                "-- Do not edit by hand; after a deliberate migration change "
                "run\n"
                "--   ISMS_UPDATE_SNAPSHOT=1 build/dev/tests/unit_db_test_db\n"
                "-- and review the diff.\n");
  buf_appendf(out, "PRAGMA user_version = %lld;\n",
              (long long)raw_int(h, "PRAGMA user_version"));
  buf_appendf(out, "PRAGMA application_id = %lld;\n",
              (long long)raw_int(h, "PRAGMA application_id"));
  assert_int_equal(
    sqlite3_prepare_v2(h,
                       "SELECT type, name, sql FROM sqlite_schema "
                       "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                       "AND name NOT IN (SELECT name FROM pragma_table_list "
                       "WHERE type = 'shadow') ORDER BY name",
                       -1, &st, NULL),
    SQLITE_OK);
  while(sqlite3_step(st) == SQLITE_ROW) {
    const char *sql = (const char *)sqlite3_column_text(st, 2);
    buf_appendf(out, "\n-- %s %s\n%s;\n",
                (const char *)sqlite3_column_text(st, 0),
                (const char *)sqlite3_column_text(st, 1), sql ? sql : "");
  }
  sqlite3_finalize(st);
  assert_int_equal(out->err, ST_OK);
}

/* The path of tests/data/schema.sql in the source tree, into out. */
static void snapshot_path(struct buf *out)
{
  const char *src = getenv("ISMS_SOURCE");
  const char *file = __FILE__;
  const char *at = strstr(file, "/unit/db/test_db.c");

  buf_clear(out);
  if(src && *src) {
    buf_appendf(out, "%s/tests/data/schema.sql", src);
  }
  else if(at) {
    buf_appendf(out, "%.*s/data/schema.sql", (int)(at - file), file);
  }
  else {
    buf_puts(out, "tests/data/schema.sql");
  }
}

/* Compare a schema dump with the snapshot; on a mismatch write the dump
 * to schema.actual.sql and print where they first differ. */
static void check_snapshot(const struct buf *dump, int may_update)
{
  struct buf path;
  char *want, cwd[PATH_MAX];
  size_t want_len = 0, i, line = 1, line_start = 0;

  buf_init(&path, 4096);
  snapshot_path(&path);
  if(may_update && getenv("ISMS_UPDATE_SNAPSHOT")) {
    write_file(path.data, dump->data, dump->len);
    print_message("rewrote %s\n", path.data);
  }
  want = slurp(path.data, &want_len);
  if(!want) {
    print_error("cannot read the schema snapshot %s\n", path.data);
    fail();
  }
  if(want_len != dump->len || memcmp(want, dump->data, want_len) != 0) {
    for(i = 0; i < want_len && i < dump->len && want[i] == dump->data[i];
        i++) {
      if(want[i] == '\n') {
        line++;
        line_start = i + 1;
      }
    }
    write_file("schema.actual.sql", dump->data, dump->len);
    if(!getcwd(cwd, sizeof(cwd))) {
      snprintf(cwd, sizeof(cwd), ".");
    }
    print_error("the migrated schema differs from %s at line %zu:\n"
                "  snapshot: %.*s\n"
                "  actual:   %.*s\n"
                "review the whole difference with\n"
                "  diff -u %s %s/schema.actual.sql\n"
                "and, if the change is deliberate, update the snapshot with\n"
                "  ISMS_UPDATE_SNAPSHOT=1 build/dev/tests/unit_db_test_db\n",
                path.data, line, (int)strcspn(want + line_start, "\n"),
                want + line_start, (int)strcspn(dump->data + line_start, "\n"),
                dump->data + line_start, path.data, cwd);
  }
  assert_int_equal(dump->len, want_len);
  assert_memory_equal(dump->data, want, want_len);
  free(want);
  buf_free(&path);
}

/* Create a database at version 1: only the first migration, applied
 * by hand as an older binary would have. */
static void make_v1(const char *path)
{
  sqlite3 *h = raw_open(path);

  assert_true(n_embedded_migrations >= 1);
  assert_string_equal(embedded_migrations[0].name, "0001_core.sql");
  raw_pragma(h, "application_id", DB_APPLICATION_ID);
  raw_exec(h, "BEGIN");
  raw_exec(h, (const char *)embedded_migrations[0].data);
  raw_exec(h, "PRAGMA user_version = 1");
  raw_exec(h, "INSERT INTO audit_event(at, actor, action, object) "
              "VALUES('2025-01-02T03:04:05Z', 'test', 'init', 'v1')");
  raw_exec(h, "COMMIT");
  assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

/*
 * Open path with flags and expect the refusal want; the file's bytes
 * and the directory's entries must be as they were.
 */
static void expect_refusal(const struct fixture *f, unsigned flags,
                           enum status want)
{
  struct db *db = NOT_NULL;
  struct buf why, before_dir, after_dir;
  size_t before_len = 0, after_len = 0;
  char *before, *after;
  enum status st;

  buf_init(&why, 4096);
  buf_init(&before_dir, 4096);
  buf_init(&after_dir, 4096);
  list_dir(f->dir, &before_dir);
  before = slurp(f->path, &before_len);
  assert_non_null(before);

  st = db_open(f->path, flags, &db, &why);
  if(st != want) {
    print_error("db_open(flags %u): status %d, want %d (%s)\n", flags, st,
                want, why.data);
  }
  if(st == ST_OK) {
    db_close(db); /* so that the failure below leaks nothing */
    free(before);
    buf_free(&why);
    buf_free(&before_dir);
    buf_free(&after_dir);
  }
  assert_int_equal(st, want);
  assert_null(db);
  assert_true(why.len > 0);

  after = slurp(f->path, &after_len);
  assert_non_null(after);
  assert_int_equal(after_len, before_len);
  assert_memory_equal(after, before, before_len);
  list_dir(f->dir, &after_dir);
  assert_string_equal(after_dir.data, before_dir.data);

  free(before);
  free(after);
  buf_free(&why);
  buf_free(&before_dir);
  buf_free(&after_dir);
}

/* ---- tests ---- */

/* A new database: our application_id, the latest version, WAL, foreign
 * keys on, synchronous FULL, no backup. */
static void test_db_create(void **state)
{
  struct fixture *f = *state;
  struct db *db = NULL;
  struct buf why, text;
  sqlite3 *h;

  buf_init(&why, 4096);
  buf_init(&text, 4096);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &db, &why), ST_OK);
  assert_non_null(db);
  assert_true(db_latest_version() >= 2);
  assert_int_equal(db_latest_version(), (int)n_embedded_migrations);
  assert_int_equal(db_schema_version(db), db_latest_version());
  raw_text(db_handle(db), "PRAGMA journal_mode", &text);
  assert_string_equal(text.data, "wal");
  assert_int_equal(raw_int(db_handle(db), "PRAGMA foreign_keys"), 1);
  assert_int_equal(raw_int(db_handle(db), "PRAGMA synchronous"), 2);
  assert_true(raw_int(db_handle(db), "PRAGMA busy_timeout") > 0);
  assert_int_equal(raw_int(db_handle(db), "PRAGMA application_id"),
                   DB_APPLICATION_ID);
  db_close(db);

  /* as any other program sees the file */
  h = raw_open(f->path);
  assert_int_equal(raw_int(h, "PRAGMA application_id"), 0x69736d73);
  assert_int_equal(raw_int(h, "PRAGMA user_version"), db_latest_version());
  raw_text(h, "PRAGMA journal_mode", &text);
  assert_string_equal(text.data, "wal"); /* persistent */
  raw_text(h, "PRAGMA integrity_check", &text);
  assert_string_equal(text.data, "ok");
  sqlite3_close(h);

  /* a new database needs no backup */
  list_dir(f->dir, &text);
  assert_null(strstr(text.data, ".bak-"));

  /* and opens again without any flag */
  assert_int_equal(db_open(f->path, 0, &db, &why), ST_OK);
  assert_int_equal(db_schema_version(db), db_latest_version());
  assert_int_equal(raw_int(db_handle(db), "PRAGMA foreign_keys"), 1);
  db_close(db);
  list_dir(f->dir, &text);
  assert_null(strstr(text.data, ".bak-"));
  buf_free(&why);
  buf_free(&text);
}

/* Foreign keys are enforced on the connection db_open() returns. */
static void test_db_foreign_keys_enforced(void **state)
{
  struct fixture *f = *state;
  struct db *db = NULL;
  struct buf why;

  buf_init(&why, 4096);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &db, &why), ST_OK);
  raw_exec(db_handle(db), "CREATE TEMP TABLE p(id INTEGER PRIMARY KEY);"
                          "CREATE TEMP TABLE c(p INTEGER REFERENCES p(id));");
  assert_int_equal(raw_run(db_handle(db), "INSERT INTO c VALUES(42)"),
                   SQLITE_CONSTRAINT);
  db_close(db);
  buf_free(&why);
}

/* The schema a new database gets is the checked-in snapshot. */
static void test_db_schema_snapshot(void **state)
{
  struct fixture *f = *state;
  struct db *db = NULL;
  struct buf why, dump;

  buf_init(&why, 4096);
  buf_init(&dump, 1 << 20);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &db, &why), ST_OK);
  dump_schema(db_handle(db), &dump);
  db_close(db);
  check_snapshot(&dump, 1);
  buf_free(&why);
  buf_free(&dump);
}

/*
 * DB_CREATE alone on a missing file creates and migrates it, as db.h
 * documents it: "create the file (and migrate) if it does not exist".
 * Fails with db.c as of this test: without DB_MIGRATE as well, db_open()
 * returns ST_CONFLICT ("needs migration") and leaves an empty file
 * behind, although a refusal should leave no trace.
 */
static void test_db_create_only(void **state)
{
  struct fixture *f = *state;
  struct db *db = NULL;
  struct buf why;
  struct stat sb;
  enum status st;

  buf_init(&why, 4096);
  st = db_open(f->path, DB_CREATE, &db, &why);
  if(st) {
    print_error("db_open(DB_CREATE) of a new file: status %d (%s); "
                "file %s\n",
                st, why.data,
                stat(f->path, &sb) == 0 ? "left behind" : "absent");
  }
  buf_free(&why);
  assert_int_equal(st, ST_OK);
  assert_int_equal(db_schema_version(db), db_latest_version());
  db_close(db);
}

/* No file and no DB_CREATE: ST_NOTFOUND, and no file appears. */
static void test_db_missing(void **state)
{
  struct fixture *f = *state;
  struct db *db = NOT_NULL;
  struct buf why, names;
  struct stat sb;

  buf_init(&why, 4096);
  buf_init(&names, 4096);
  assert_int_equal(db_open(f->path, 0, &db, &why), ST_NOTFOUND);
  assert_null(db);
  assert_true(why.len > 0);
  assert_int_equal(db_open(f->path, DB_MIGRATE, &db, &why), ST_NOTFOUND);
  assert_int_equal(stat(f->path, &sb), -1);
  list_dir(f->dir, &names);
  assert_string_equal(names.data, "");
  buf_free(&why);
  buf_free(&names);
}

/* Files that are not SQLite databases are refused and left alone. */
static void test_db_not_sqlite(void **state)
{
  static const struct {
    const char *what;
    const char *bytes;
    size_t len;
  } cases[] = {
    { "text", S("name,level\nagency,A\n") },
    { "one byte", S("x") },
    { "short SQLite magic", S("SQLite format 3") },
    { "SQLite magic then garbage",
      S("SQLite format 3\0garbage garbage garbage garbage garbage garbage "
        "garbage garbage garbage garbage garbage garbage garbage garbage") },
    { "SQLite magic, page size 4096, then zeros",
      S("SQLite format 3\0\x10\0\1\1\0\x40\x20\x20\0\0\0\0"
        "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0") },
    { "binary", S("\x00\x01\x02\xff\xfe\xfd\x00\x00\x00\x00\x00\x00"
                  "\x00\x00\x00\x00\x00\x00") },
  };
  struct fixture *f = *state;
  size_t i;
  unsigned flags[] = { 0, DB_MIGRATE, DB_CREATE | DB_MIGRATE };
  size_t k;

  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    write_file(f->path, cases[i].bytes, cases[i].len);
    for(k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
      print_message("  %s, flags %u\n", cases[i].what, flags[k]);
      expect_refusal(f, flags[k], ST_INVALID);
    }
    unlink(f->path);
  }
}

/* A directory is not a database. */
static void test_db_directory(void **state)
{
  struct fixture *f = *state;
  struct db *db = NOT_NULL;
  struct buf why;

  buf_init(&why, 4096);
  assert_int_equal(mkdir(f->path, 0700), 0);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &db, &why),
                   ST_INVALID);
  assert_null(db);
  rmdir(f->path);
  buf_free(&why);
}

/* An existing empty file is not an isms database: it is refused and
 * stays empty (only DB_CREATE on a path that does not exist makes one). */
static void test_db_empty_file(void **state)
{
  struct fixture *f = *state;

  write_file(f->path, "", 0);
  expect_refusal(f, 0, ST_INVALID);
  expect_refusal(f, DB_MIGRATE, ST_INVALID);
}

/* SQLite files of another application are refused and left alone. */
static void test_db_other_application(void **state)
{
  struct fixture *f = *state;
  sqlite3 *h;
  unsigned flags[] = { 0, DB_MIGRATE, DB_CREATE | DB_MIGRATE };
  size_t k;

  /* application_id 123 with a table */
  h = raw_open(f->path);
  raw_exec(h, "PRAGMA application_id = 123;"
              "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
              "INSERT INTO notes(body) VALUES('keep me');");
  sqlite3_close(h);
  for(k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
    expect_refusal(f, flags[k], ST_INVALID);
  }
  unlink(f->path);

  /* application_id 123 and nothing else */
  h = raw_open(f->path);
  raw_exec(h, "PRAGMA application_id = 123");
  sqlite3_close(h);
  for(k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
    expect_refusal(f, flags[k], ST_INVALID);
  }
  unlink(f->path);

  /* no application_id but a table: some other program's database */
  h = raw_open(f->path);
  raw_exec(h, "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
  sqlite3_close(h);
  for(k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
    expect_refusal(f, flags[k], ST_INVALID);
  }
}

/*
 * A SQLite file without our application_id, without tables but with a
 * user_version (made by some other program, or by hand) is not a new
 * database.  Fails with db.c as of this test: db_open() takes
 * application_id 0 with no tables as "new" whatever user_version says,
 * so with user_version = latest it returns ST_OK for a database with no
 * schema at all, and with 0 < user_version < latest it would apply only
 * the later migrations.
 */
static void test_db_foreign_versioned_empty(void **state)
{
  struct fixture *f = *state;
  sqlite3 *h;

  h = raw_open(f->path);
  raw_pragma(h, "user_version", db_latest_version());
  sqlite3_close(h);
  expect_refusal(f, 0, ST_INVALID);
}

/* A database newer than this binary is refused and left alone, both one
 * written by hand and one made by db_open() (in WAL mode). */
static void test_db_newer(void **state)
{
  struct fixture *f = *state;
  struct db *db = NULL;
  struct buf why;
  sqlite3 *h;
  unsigned flags[] = { 0, DB_MIGRATE, DB_CREATE | DB_MIGRATE };
  size_t k;

  buf_init(&why, 4096);
  h = raw_open(f->path);
  raw_pragma(h, "application_id", DB_APPLICATION_ID);
  raw_exec(h, "CREATE TABLE future(x)");
  raw_pragma(h, "user_version", db_latest_version() + 1);
  sqlite3_close(h);
  for(k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
    expect_refusal(f, flags[k], ST_CONFLICT);
  }
  unlink(f->path);

  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &db, &why), ST_OK);
  db_close(db);
  h = raw_open(f->path);
  raw_pragma(h, "user_version", db_latest_version() + 1);
  sqlite3_close(h);
  for(k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
    expect_refusal(f, flags[k], ST_CONFLICT);
  }
  buf_free(&why);
}

/* A version-1 database without DB_MIGRATE: ST_CONFLICT, untouched, no
 * backup. */
static void test_db_v1_without_migrate(void **state)
{
  struct fixture *f = *state;

  make_v1(f->path);
  expect_refusal(f, 0, ST_CONFLICT);
  expect_refusal(f, DB_CREATE, ST_CONFLICT);
}

/* A version-1 database with DB_MIGRATE: migrated to the latest version
 * with its data, the same schema as a new database, and a backup
 * <path>.bak-v1-<timestamp> that is itself the v1 database. */
static void test_db_v1_migrate(void **state)
{
  struct fixture *f = *state;
  struct db *db = NULL;
  struct buf why, names, dump, bak, text;
  const char *p, *prefix = "isms.db.bak-v1-";
  int64_t t0, t1, stamp = 0;
  sqlite3 *h;
  char *end;

  buf_init(&why, 4096);
  buf_init(&names, 4096);
  buf_init(&dump, 1 << 20);
  buf_init(&bak, 4096);
  buf_init(&text, 4096);
  make_v1(f->path);

  t0 = time_now();
  assert_int_equal(db_open(f->path, DB_MIGRATE, &db, &why), ST_OK);
  t1 = time_now();
  assert_int_equal(db_schema_version(db), db_latest_version());
  assert_int_equal(raw_int(db_handle(db),
                           "SELECT count(*) FROM audit_event WHERE "
                           "object = 'v1'"),
                   1);
  {
    /* The row from before the audit chain is sealed at start-up, and
     * only it: a row slipped in later without a hash stays unsealed. */
    struct audit_check c;
    assert_int_equal(audit_verify(db, &c), ST_CONFLICT);
    assert_int_equal(c.why, M_AUDIT_UNSEALED);
    assert_int_equal(audit_seal(db), ST_OK);
    assert_int_equal(audit_verify(db, &c), ST_OK);
    assert_int_equal(c.rows, 1);
    assert_int_equal(audit_append(db, "test", "after", NULL, NULL), ST_OK);
    assert_int_equal(audit_verify(db, &c), ST_OK);
    assert_int_equal(c.rows, 2);
    raw_exec(db_handle(db), "INSERT INTO audit_event(at, actor, action)"
                            " VALUES('2026-01-01T00:00:00Z', 'x', 'y')");
    assert_int_equal(audit_seal(db), ST_OK);
    assert_int_equal(audit_verify(db, &c), ST_CONFLICT);
    assert_int_equal(c.bad_id, 3);
    assert_int_equal(c.why, M_AUDIT_UNSEALED);
  }
  dump_schema(db_handle(db), &dump);
  db_close(db);
  check_snapshot(&dump, 0); /* upgraded = created */

  /* exactly one backup, named after the old version and the time */
  list_dir(f->dir, &names);
  p = strstr(names.data, prefix);
  if(!p) {
    print_error("no backup in %s: %s\n", f->dir, names.data);
  }
  assert_non_null(p);
  if(strstr(p + strlen(prefix), ".bak-")) {
    print_error("more than one backup file: %s\n", names.data);
  }
  assert_null(strstr(p + strlen(prefix), ".bak-"));
  stamp = strtoll(p + strlen(prefix), &end, 10);
  assert_true(*end == ' ');
  assert_true(stamp >= t0 && stamp <= t1);
  buf_appendf(&bak, "%s/%.*s", f->dir, (int)(end - p), p);

  /* the backup is the v1 database */
  h = raw_open(bak.data);
  raw_text(h, "PRAGMA integrity_check", &text);
  assert_string_equal(text.data, "ok");
  assert_int_equal(raw_int(h, "PRAGMA application_id"), DB_APPLICATION_ID);
  assert_int_equal(raw_int(h, "PRAGMA user_version"), 1);
  assert_int_equal(raw_int(h, "SELECT count(*) FROM audit_event WHERE "
                              "object = 'v1'"),
                   1);
  assert_int_equal(raw_int(h, "SELECT count(*) FROM sqlite_schema WHERE "
                              "name = 'reg_history'"),
                   1);
  assert_int_equal(raw_int(h, "SELECT count(*) FROM sqlite_schema WHERE "
                              "name = 'agency'"),
                   0);
  sqlite3_close(h);

  /* and db_open() sees it as an isms database needing migration */
  assert_int_equal(db_open(bak.data, 0, &db, &why), ST_CONFLICT);
  assert_null(db);

  buf_free(&why);
  buf_free(&names);
  buf_free(&dump);
  buf_free(&bak);
  buf_free(&text);
}

/*
 * Issue 4, migration 0012: a database at version 9 whose systems name
 * one business each (system.business) migrates to the join table
 * system_business: every system keeps its business, a system without
 * one has no row, and the column is gone.  The result is the schema of
 * a new database.
 */
static void test_db_v9_system_business(void **state)
{
  struct fixture *f = *state;
  struct db *db = NULL;
  struct buf why, dump;
  sqlite3 *h = raw_open(f->path);
  size_t v;

  buf_init(&why, 4096);
  buf_init(&dump, 1 << 20);
  assert_true(n_embedded_migrations >= 12);
  assert_string_equal(embedded_migrations[11].name,
                      "0012_system_business.sql");
  raw_pragma(h, "application_id", DB_APPLICATION_ID);
  raw_exec(h, "PRAGMA foreign_keys = ON");
  for(v = 0; v < 9; v++) {
    raw_exec(h, "BEGIN");
    raw_exec(h, (const char *)embedded_migrations[v].data);
    raw_pragma(h, "user_version", (long long)v + 1);
    raw_exec(h, "COMMIT");
  }
  raw_exec(h,
           "INSERT INTO business(id, name, is_core, mtd_kind, created_at,"
           " created_by, updated_at) VALUES"
           " (3, '有線電視', 1, 'owner', '2025-01-02T03:04:05Z', 't',"
           " '2025-01-02T03:04:05Z'),"
           " (5, '電影院', 0, 'owner', '2025-01-02T03:04:05Z', 't',"
           " '2025-01-02T03:04:05Z');"
           "INSERT INTO main.system(id, name, business, sourcing, environment,"
           " created_at, created_by, updated_at) VALUES"
           " (1, '甲系統', 5, 'self', 'prod', '2025-01-02T03:04:05Z', 't',"
           " '2025-01-02T03:04:05Z'),"
           " (2, '乙系統', NULL, 'self', 'prod', '2025-01-02T03:04:05Z',"
           " 't', '2025-01-02T03:04:05Z'),"
           " (4, '丙系統', 3, 'shared', 'test', '2025-01-02T03:04:05Z',"
           " 't', '2025-01-02T03:04:05Z');"
           "INSERT INTO asset(system, name, class, created_at, created_by,"
           " updated_at) VALUES (4, '主機', 'physical',"
           " '2025-01-02T03:04:05Z', 't', '2025-01-02T03:04:05Z');");
  assert_int_equal(sqlite3_close(h), SQLITE_OK);

  assert_int_equal(db_open(f->path, DB_MIGRATE, &db, &why), ST_OK);
  assert_int_equal(db_schema_version(db), db_latest_version());
  h = db_handle(db);
  assert_int_equal(raw_int(h, "SELECT count(*) FROM system_business"), 2);
  assert_int_equal(raw_int(h, "SELECT ref FROM system_business"
                              " WHERE rec = 1"),
                   5);
  assert_int_equal(raw_int(h, "SELECT ref FROM system_business"
                              " WHERE rec = 4"),
                   3);
  assert_int_equal(raw_int(h, "SELECT count(*) FROM pragma_table_info"
                              "('system') WHERE name = 'business'"),
                   0);
  /* the rest of each system, and what refers to it, is unchanged */
  assert_int_equal(raw_int(h, "SELECT count(*) FROM system"), 3);
  assert_int_equal(raw_int(h, "SELECT count(*) FROM system WHERE id = 4"
                              " AND name = '丙系統' AND sourcing = 'shared'"
                              " AND environment = 'test'"),
                   1);
  assert_int_equal(raw_int(h, "SELECT system FROM asset"), 4);
  assert_int_equal(raw_int(h, "SELECT count(*) FROM pragma_foreign_key_check"),
                   0);
  dump_schema(h, &dump);
  db_close(db);
  check_snapshot(&dump, 0); /* upgraded = created */
  buf_free(&why);
  buf_free(&dump);
}

/* The same literal gives the same cached statement; db_done() resets it
 * and clears its bindings. */
static void test_db_stmt_cache(void **state)
{
  struct fixture *f = *state;
  struct db *db = NULL;
  struct buf why;
  sqlite3_stmt *a = NULL, *b = NULL, *c = NULL;

  buf_init(&why, 4096);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &db, &why), ST_OK);

  assert_int_equal(db_prepare(db, &a, "SELECT ?1 + 1"), ST_OK);
  assert_non_null(a);
  assert_int_equal(sqlite3_bind_int(a, 1, 41), SQLITE_OK);
  assert_int_equal(sqlite3_step(a), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(a, 0), 42);
  assert_true(sqlite3_stmt_busy(a));
  db_done(a);
  assert_false(sqlite3_stmt_busy(a));

  assert_int_equal(db_prepare(db, &b, "SELECT ?1 + 1"), ST_OK);
  assert_ptr_equal(a, b);
  /* the binding was cleared: NULL + 1 is NULL */
  assert_int_equal(sqlite3_step(b), SQLITE_ROW);
  assert_int_equal(sqlite3_column_type(b, 0), SQLITE_NULL);
  db_done(b);

  /* another literal is another statement */
  assert_int_equal(db_prepare(db, &c, "SELECT ?1 + 2"), ST_OK);
  assert_true(c != a);
  db_done(c);

  /* bad SQL fails cleanly and is not cached */
  c = NULL;
  assert_int_equal(db_prepare(db, &c, "SELEKT 1"), ST_DB);
  assert_int_equal(db_prepare(db, &c, "SELEKT 1"), ST_DB);
  assert_int_equal(db_prepare(db, &b, "SELECT ?1 + 1"), ST_OK);
  assert_ptr_equal(a, b);
  db_done(b);
  db_done(NULL);
  db_close(db);
  db_close(NULL);
  buf_free(&why);
}

/* More distinct statements than the cache holds: each still runs the
 * right SQL, then and when prepared again. */
static void test_db_stmt_cache_full(void **state)
{
  struct fixture *f = *state;
  struct db *db = NULL;
  struct buf why;
  char sql[64];
  int round, i;

  buf_init(&why, 4096);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &db, &why), ST_OK);
  for(round = 0; round < 2; round++) {
    for(i = 0; i < 300; i++) {
      sqlite3_stmt *st = NULL;
      snprintf(sql, sizeof(sql), "SELECT %d", i);
      assert_int_equal(db_prepare_(db, &st, sql), ST_OK);
      assert_int_equal(sqlite3_step(st), SQLITE_ROW);
      assert_int_equal(sqlite3_column_int(st, 0), i);
      db_done(st);
    }
  }
  db_close(db);
  buf_free(&why);
}

/* Transactions, and noticing another connection's commit. */
static void test_db_transactions(void **state)
{
  struct fixture *f = *state;
  struct db *db = NULL, *other = NULL;
  struct buf why;

  buf_init(&why, 4096);
  assert_int_equal(db_open(f->path, DB_CREATE | DB_MIGRATE, &db, &why), ST_OK);
  assert_int_equal(db_open(f->path, 0, &other, &why), ST_OK);
  assert_false(db_changed_elsewhere(db));

  assert_int_equal(db_begin(db), ST_OK);
  raw_exec(db_handle(db), "INSERT INTO audit_event(at, actor, action) "
                          "VALUES('2025-01-01T00:00:00Z', 't', 'a')");
  db_rollback(db);
  assert_int_equal(raw_int(db_handle(db), "SELECT count(*) FROM audit_event"),
                   0);
  db_rollback(db); /* no transaction: nothing happens */

  assert_int_equal(db_begin(db), ST_OK);
  raw_exec(db_handle(db), "INSERT INTO audit_event(at, actor, action) "
                          "VALUES('2025-01-01T00:00:00Z', 't', 'b')");
  assert_int_equal(db_commit(db), ST_OK);
  assert_false(db_changed_elsewhere(db)); /* our own commit */
  assert_true(db_changed_elsewhere(other));
  assert_false(db_changed_elsewhere(other));
  assert_int_equal(
    raw_int(db_handle(other), "SELECT count(*) FROM audit_event"), 1);
  assert_int_equal(db_commit(db), ST_DB); /* nothing to commit */

  db_close(other);
  db_close(db);
  buf_free(&why);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_db_create, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_foreign_keys_enforced, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_db_schema_snapshot, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_create_only, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_missing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_not_sqlite, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_directory, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_empty_file, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_other_application, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_db_foreign_versioned_empty, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_db_newer, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_v1_without_migrate, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_db_v1_migrate, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_v9_system_business, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_db_stmt_cache, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_stmt_cache_full, setup, teardown),
    cmocka_unit_test_setup_teardown(test_db_transactions, setup, teardown),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
