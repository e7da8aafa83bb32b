/*
 * db.h: the SQLite connection (STYLE.md C9).  Opening checks that the file
 * is an isms database (application_id) and not newer than this binary,
 * sets WAL, foreign keys, busy timeout and synchronous, and applies the
 * embedded migrations in a transaction after a backup copy.
 * Prepared statements are cached per connection.  Depends on core.
 */
#ifndef ISMS_DB_DB_H
#define ISMS_DB_DB_H

#include <sqlite3.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/status.h"

/* "isms" as a 32-bit big-endian integer: PRAGMA application_id. */
#define DB_APPLICATION_ID 0x69736d73

enum db_open_flags {
  DB_CREATE = 1,  /* create the file (and migrate) if it does not exist */
  DB_MIGRATE = 2, /* apply pending migrations (with a backup first) */
};

struct db;
struct arena;

/*
 * Open path.  On failure returns ST_NOTFOUND (no file, no DB_CREATE),
 * ST_INVALID (not an isms database), ST_CONFLICT (newer than this binary,
 * or migrations pending without DB_MIGRATE), ST_DB or ST_IO, and writes a
 * message for a person (in the CLI language) into why.  The file is left
 * untouched in every refusal.  The caller closes *out with db_close().
 */
enum status db_open(const char *path, unsigned flags, struct db **out,
                    struct buf *why);

/* Finalize cached statements and close; NULL is ignored. */
void db_close(struct db *db);

/* The raw handle, for the store modules. */
sqlite3 *db_handle(struct db *db);

/* The file of the open database as SQLite resolved it (an absolute
 * path), or "" for a temporary or in-memory one.  Lives as long as the
 * connection.  Files that belong beside the database (the masking key,
 * core/mask.h) are named after it. */
const char *db_filename(struct db *db);

/*
 * A cached prepared statement for literal SQL.  Only literals compile
 * (the "" trick).  Release with db_done() before preparing it again.
 */
#define db_prepare(db, st, sql) db_prepare_static((db), (st), "" sql)

/* Like db_prepare_() for SQL text that lives as long as the process (a
 * literal, or text built once at start-up): found by its address first,
 * without hashing the text. */
enum status db_prepare_static(struct db *db, sqlite3_stmt **st,
                              const char *sql);

/* Implementation of db_prepare(); also used, by that name, for SQL that
 * the register engine builds from its static declarations (never from
 * user data). */
enum status db_prepare_(struct db *db, sqlite3_stmt **st, const char *sql);

/* Finalize the statements evicted from the cache.  Call when no statement
 * of this connection is held (between requests); db_close() does it. */
void db_reap(struct db *db);

/* Text column i of the current row of st copied into a, or NULL for an
 * SQL NULL (or when a is full). */
const char *db_col_text(sqlite3_stmt *st, int i, struct arena *a);

/* Step st, a statement that returns no row, and release it (db_done()):
 * ST_OK, ST_CONFLICT when a constraint failed (extended result codes are
 * on: any SQLITE_CONSTRAINT_*), else db_fail(db, what). */
enum status db_step_done(struct db *db, sqlite3_stmt *st, const char *what);

/* Reset st and clear its bindings so the cache can hand it out again. */
void db_done(sqlite3_stmt *st);

/* Start a write transaction (BEGIN IMMEDIATE: the write lock is taken
 * now, so a busy database shows at once, within the busy timeout). */
enum status db_begin(struct db *db);

/* Commit, then bump the data epoch (see db_epoch()). */
enum status db_commit(struct db *db);

/* Called after each db_commit() (committed 1, or 0 when the commit
 * failed) and db_rollback() (0) of this thread: what was prepared for
 * after a commit (mail, syslog) goes out or is dropped. */
typedef void db_end_fn(int committed);
void db_set_end_hook(db_end_fn *fn);

/* Roll back the open transaction, if any. */
void db_rollback(struct db *db);

/*
 * Start and end a read transaction: the reads of one request see one
 * snapshot, and the file lock is taken once instead of once per
 * statement.  db_read_end() is harmless when no transaction is open.
 */
enum status db_read_begin(struct db *db);
void db_read_end(struct db *db);

/* Log the connection's last error with context (never shown to users). */
enum status db_fail(struct db *db, const char *what);

/*
 * The data epoch, for caches of query results: it is bumped after every
 * commit made through db_commit() and whenever a connection sees a commit
 * of another process.  A result cached under epoch E is valid while
 * db_epoch() is still E.
 */
long db_epoch(void);
void db_epoch_bump(void);

/* The epoch to cache a result read now on db under: in a read
 * transaction, the epoch when it began (its snapshot is no newer);
 * otherwise the current one, after checking for other processes'
 * commits. */
long db_snapshot_epoch(struct db *db);

/* 1 if another connection committed since the last call (PRAGMA
 * data_version). */
int db_changed_elsewhere(struct db *db);

/* The schema version of the open database. */
int db_schema_version(struct db *db);

/* The newest schema version this binary knows. */
int db_latest_version(void);

#endif
