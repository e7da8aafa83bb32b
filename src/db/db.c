/*
 * db.c: connection set-up, migrations, statement cache.
 */
#include "db.h"
#include "core/arena.h"
#include "core/embed.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STMT_CACHE 128

struct cached_stmt {
  char *sql;        /* key: an owned copy of the SQL text */
  uint64_t hash;    /* FNV-1a of sql */
  sqlite3_stmt *st; /* prepared with SQLITE_PREPARE_PERSISTENT */
};

#define STMT_BY_ADDR 64

struct db {
  sqlite3 *h;                           /* the connection */
  const char *addr_sql[STMT_BY_ADDR];   /* static SQL text by address … */
  sqlite3_stmt *addr_st[STMT_BY_ADDR];  /* … and its cached statement */
  struct cached_stmt cache[STMT_CACHE]; /* open addressing by hash */
  int64_t data_version;                 /* last PRAGMA data_version */
  sqlite3_stmt *dv;                     /* PRAGMA data_version */
  long read_epoch;                      /* db_epoch() at db_read_begin */
  sqlite3_stmt **graveyard;             /* evicted, finalized by db_reap */
  size_t n_graveyard, cap_graveyard;    /* used, allocated */
};

/* Bumped after every commit of this process and whenever a connection
 * sees another process's commit. */
static atomic_long epoch_counter = 1;

long db_epoch(void)
{
  return atomic_load(&epoch_counter);
}

void db_epoch_bump(void)
{
  atomic_fetch_add(&epoch_counter, 1);
}

long db_snapshot_epoch(struct db *db)
{
  if(!sqlite3_get_autocommit(db->h) && db->read_epoch) {
    return db->read_epoch;
  }
  if(db_changed_elsewhere(db)) {
    db_epoch_bump();
  }
  return db_epoch();
}

static uint64_t fnv(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for(; *s; s++) {
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  }
  return h;
}

sqlite3 *db_handle(struct db *db)
{
  return db->h;
}

const char *db_filename(struct db *db)
{
  const char *name = sqlite3_db_filename(db->h, "main");
  return name ? name : "";
}

enum status db_fail(struct db *db, const char *what)
{
  log_msg(LOG_ERR, "sqlite: %s: %s", what, sqlite3_errmsg(db->h));
  return ST_DB;
}

enum status db_prepare_(struct db *db, sqlite3_stmt **st, const char *sql)
{
  uint64_t h = fnv(sql);
  size_t i, slot = (size_t)(h % STMT_CACHE);

  for(i = 0; i < STMT_CACHE; i++) {
    struct cached_stmt *c = &db->cache[(slot + i) % STMT_CACHE];
    if(!c->st) {
      if(sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st,
                            NULL) != SQLITE_OK) {
        c->st = NULL;
        return db_fail(db, sql);
      }
      c->sql = xstrdup(sql);
      c->hash = h;
      *st = c->st;
      return ST_OK;
    }
    if(c->hash == h && strcmp(c->sql, sql) == 0) {
      *st = c->st;
      return ST_OK;
    }
  }
  /* Cache full: evict the home slot. */
  {
    struct cached_stmt *c = &db->cache[slot];
    for(i = 0; i < STMT_BY_ADDR; i++) {
      if(db->addr_st[i] == c->st) {
        db->addr_st[i] = NULL;
        db->addr_sql[i] = NULL;
      }
    }
    /* A caller may still hold the evicted statement (it prepared it and
     * then prepared another before db_done): finalize it only at
     * db_reap(), when no request is running. */
    if(db->n_graveyard == db->cap_graveyard) {
      db->cap_graveyard = db->cap_graveyard ? db->cap_graveyard * 2 : 16;
      db->graveyard =
        xrealloc(db->graveyard, db->cap_graveyard * sizeof(*db->graveyard));
    }
    db->graveyard[db->n_graveyard++] = c->st;
    free(c->sql);
    c->st = NULL;
    if(sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st,
                          NULL) != SQLITE_OK) {
      c->st = NULL;
      c->sql = NULL;
      return db_fail(db, sql);
    }
    c->sql = xstrdup(sql);
    c->hash = h;
    *st = c->st;
  }
  return ST_OK;
}

enum status db_prepare_static(struct db *db, sqlite3_stmt **st,
                              const char *sql)
{
  size_t slot = ((uintptr_t)sql >> 3) % STMT_BY_ADDR;
  enum status rc;
  if(db->addr_sql[slot] == sql && db->addr_st[slot]) {
    *st = db->addr_st[slot];
    return ST_OK;
  }
  rc = db_prepare_(db, st, sql);
  if(!rc) {
    db->addr_sql[slot] = sql;
    db->addr_st[slot] = *st;
  }
  return rc;
}

void db_done(sqlite3_stmt *st)
{
  if(st) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
  }
}

/* Run literal or embedded SQL with no result rows. */
static enum status exec(struct db *db, const char *sql)
{
  char *err = NULL;
  if(sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
    log_msg(LOG_ERR, "sqlite: %s", err ? err : "?");
    sqlite3_free(err);
    return ST_DB;
  }
  return ST_OK;
}

enum status db_begin(struct db *db)
{
  return exec(db, "BEGIN IMMEDIATE");
}

/* This thread's hook for the end of a write transaction. */
static _Thread_local db_end_fn *end_hook;

void db_set_end_hook(db_end_fn *fn)
{
  end_hook = fn;
}

enum status db_commit(struct db *db)
{
  enum status rc = exec(db, "COMMIT");
  if(!rc) {
    db_epoch_bump();
  }
  if(end_hook) {
    end_hook(!rc);
  }
  return rc;
}

/* Step a cached literal statement with no result. */
static enum status step_lit(struct db *db, const char *sql)
{
  sqlite3_stmt *st;
  enum status rc = db_prepare_(db, &st, sql);
  if(!rc && sqlite3_step(st) != SQLITE_DONE) {
    rc = db_fail(db, sql);
  }
  db_done(st);
  return rc;
}

enum status db_read_begin(struct db *db)
{
  /* The epoch is read before the snapshot starts (at the first read after
   * BEGIN), so what is computed in this transaction is never newer than
   * the epoch it is cached under. */
  if(db_changed_elsewhere(db)) {
    db_epoch_bump();
  }
  db->read_epoch = db_epoch();
  return step_lit(db, "BEGIN");
}

void db_read_end(struct db *db)
{
  db->read_epoch = 0;
  if(!sqlite3_get_autocommit(db->h)) {
    step_lit(db, "COMMIT");
  }
}

void db_rollback(struct db *db)
{
  if(!sqlite3_get_autocommit(db->h)) {
    exec(db, "ROLLBACK");
  }
  if(end_hook) {
    end_hook(0);
  }
}

static int64_t pragma_int(struct db *db, const char *sql)
{
  sqlite3_stmt *st;
  int64_t v = -1;
  if(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
    return -1;
  }
  if(sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return v;
}

int db_changed_elsewhere(struct db *db)
{
  int64_t v = -1;
  if(sqlite3_step(db->dv) == SQLITE_ROW) {
    v = sqlite3_column_int64(db->dv, 0);
  }
  sqlite3_reset(db->dv);
  if(v != db->data_version) {
    db->data_version = v;
    return 1;
  }
  return 0;
}

int db_schema_version(struct db *db)
{
  return (int)pragma_int(db, "PRAGMA user_version");
}

/* Migration files are named NNNN_what.sql and numbered 1, 2, 3 … */
int db_latest_version(void)
{
  return (int)n_embedded_migrations;
}

void db_reap(struct db *db)
{
  size_t i;
  for(i = 0; i < db->n_graveyard; i++) {
    sqlite3_finalize(db->graveyard[i]);
  }
  db->n_graveyard = 0;
}

void db_close(struct db *db)
{
  size_t i;
  if(!db) {
    return;
  }
  db_reap(db);
  free(db->graveyard);
  for(i = 0; i < STMT_CACHE; i++) {
    if(db->cache[i].st) {
      sqlite3_finalize(db->cache[i].st);
      free(db->cache[i].sql);
    }
  }
  sqlite3_finalize(db->dv);
  sqlite3_close(db->h);
  free(db);
}

/* Copy the database to path.bak-vN-TIMESTAMP with the backup API. */
static enum status backup_copy(struct db *db, const char *path, int version,
                               struct buf *why)
{
  struct buf name;
  sqlite3 *dst = NULL;
  sqlite3_backup *bk;
  enum status st = ST_OK;
  int64_t now = time_now();

  buf_init(&name, 4096);
  buf_appendf(&name, "%s.bak-v%d-%lld", path, version, (long long)now);
  if(sqlite3_open(name.data, &dst) != SQLITE_OK) {
    st = ST_IO;
  }
  else {
    bk = sqlite3_backup_init(dst, "main", db->h, "main");
    if(!bk || sqlite3_backup_step(bk, -1) != SQLITE_DONE) {
      st = ST_IO;
    }
    sqlite3_backup_finish(bk);
  }
  sqlite3_close(dst);
  if(st) {
    msg_fill(why, M_DB_BACKUP_FAILED, name.data, NULL);
  }
  else {
    log_msg(LOG_NOTICE, "backup of schema v%d written to %s", version,
            name.data);
  }
  buf_free(&name);
  return st;
}

/* The NNNN prefix of a migration file name. */
static int migration_number(const char *name)
{
  int n = 0, i;
  for(i = 0; i < 4; i++) {
    if(name[i] < '0' || name[i] > '9') {
      return -1;
    }
    n = n * 10 + (name[i] - '0');
  }
  return name[4] == '_' ? n : -1;
}

static enum status migrate(struct db *db, int from, struct buf *why)
{
  int v;
  for(v = from + 1; v <= db_latest_version(); v++) {
    const struct embedded_file *m = &embedded_migrations[v - 1];
    char set[64];
    enum status st;
    CHECK(migration_number(m->name) == v);
    if(db_begin(db)) {
      return ST_DB;
    }
    st = exec(db, (const char *)m->data);
    snprintf(set, sizeof(set), "PRAGMA user_version = %d", v);
    if(!st) {
      st = exec(db, set);
    }
    if(!st) {
      st = db_commit(db);
    }
    if(st) {
      db_rollback(db);
      msg_fill(why, M_DB_MIGRATION_FAILED, m->name, NULL);
      return st;
    }
    log_msg(LOG_INFO, "applied migration %s", m->name);
  }
  return ST_OK;
}

enum status db_open(const char *path, unsigned flags, struct db **out,
                    struct buf *why)
{
  struct stat sb;
  struct db *db;
  int exists = stat(path, &sb) == 0;
  int64_t app_id, version, tables;
  enum status st = ST_OK;

  *out = NULL;
  if(!exists && !(flags & DB_CREATE)) {
    msg_fill(why, M_DB_NOT_FOUND, path, NULL);
    return ST_NOTFOUND;
  }
  /* The file's content is judged by SQLite itself below (reading the
   * header is read-only).  Never open and close the file with stdio here:
   * closing any descriptor of a file drops every POSIX lock this process
   * holds on it, including those of the other connections, and a second
   * process would then delete the live WAL. */
  /* SQLite would take a file shorter than its header for an empty
   * database; no database is shorter than one 512-byte page. */
  if(exists && (!S_ISREG(sb.st_mode) || sb.st_size < 512)) {
    msg_fill(why, M_DB_NOT_ISMS, path, NULL);
    return ST_INVALID;
  }
  db = xcalloc(1, sizeof(*db));
  if(sqlite3_open_v2(path, &db->h,
                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                       (flags & DB_CREATE ? SQLITE_OPEN_CREATE : 0),
                     NULL) != SQLITE_OK) {
    msg_fill(why, M_DB_CANNOT_OPEN, path, sqlite3_errmsg(db->h), NULL);
    st = ST_IO;
    goto fail;
  }
  sqlite3_extended_result_codes(db->h, 1);
  sqlite3_busy_timeout(db->h, 5000);
  app_id = pragma_int(db, "PRAGMA application_id");
  version = pragma_int(db, "PRAGMA user_version");
  tables = pragma_int(db, "SELECT count(*) FROM sqlite_schema");
  if(app_id < 0 || tables < 0) {
    msg_fill(why, M_DB_NOT_ISMS, path, NULL);
    st = ST_INVALID;
    goto fail;
  }
  /* A file of ours, or an empty one that we are asked to create. */
  if(app_id != DB_APPLICATION_ID &&
     !(app_id == 0 && tables == 0 && version == 0 && !exists)) {
    msg_fill(why, M_DB_NOT_ISMS, path, NULL);
    st = ST_INVALID;
    goto fail;
  }
  if(version > db_latest_version()) {
    {
      char have[24], know[24];
      snprintf(have, sizeof(have), "%lld", (long long)version);
      snprintf(know, sizeof(know), "%d", db_latest_version());
      msg_fill(why, M_DB_NEWER, path, have, know, NULL);
    }
    st = ST_CONFLICT;
    goto fail;
  }
  if(version < db_latest_version() && tables > 0 && !(flags & DB_MIGRATE)) {
    msg_fill(why, M_DB_NEEDS_MIGRATION, path, NULL);
    st = ST_CONFLICT;
    goto fail;
  }
  if(exec(db, "PRAGMA journal_mode=WAL") ||
     exec(db, "PRAGMA foreign_keys=ON") ||
     /* FULL: an approval or an audit record must survive a power cut. */
     exec(db, "PRAGMA synchronous=FULL")) {
    msg_fill(why, M_DB_CONFIGURE_FAILED, path, NULL);
    st = ST_DB;
    goto fail;
  }
  if(version < db_latest_version()) {
    if(tables > 0) {
      st = backup_copy(db, path, (int)version, why);
      if(st) {
        goto fail;
      }
    }
    st = migrate(db, (int)version, why);
    if(st) {
      goto fail;
    }
  }
  if(sqlite3_prepare_v3(db->h, "PRAGMA data_version", -1,
                        SQLITE_PREPARE_PERSISTENT, &db->dv,
                        NULL) != SQLITE_OK) {
    st = ST_DB;
    goto fail;
  }
  db_changed_elsewhere(db);
  *out = db;
  return ST_OK;
fail:
  db_close(db);
  if(!exists) {
    unlink(path); /* a refusal leaves no trace */
  }
  return st;
}

const char *db_col_text(sqlite3_stmt *st, int i, struct arena *a)
{
  const unsigned char *t = sqlite3_column_text(st, i);
  if(!t) {
    return NULL;
  }
  return arena_strndup(a, (const char *)t,
                       (size_t)sqlite3_column_bytes(st, i));
}

enum status db_step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
  int rc = sqlite3_step(st);
  db_done(st);
  if((rc & 0xff) == SQLITE_CONSTRAINT) {
    return ST_CONFLICT;
  }
  return rc == SQLITE_DONE ? ST_OK : db_fail(db, what);
}
