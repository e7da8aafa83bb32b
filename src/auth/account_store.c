/*
 * account_store.c: the SQL of accounts, sessions, recovery codes and API
 * tokens.
 */
#include "account_store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

static const char *utc_now(struct buf *b)
{
  buf_init(b, 64);
  time_format_utc(b, time_now());
  return b->data;
}

#define ACCOUNT_COLUMNS                                                       \
  "a.id, a.login, a.name, a.unit, a.email, a.privileged, a.owner,"            \
  " o.login, a.disabled, a.disabled_reason, a.pw_hash, a.pw_set_at,"          \
  " a.pw_preset, a.failed, a.locked_until, a.last_login, a.totp_secret,"      \
  " a.totp_step, a.created_at, a.created_by,"                                 \
  " (SELECT group_concat(role, ' ') FROM (SELECT role FROM account_role"      \
  " WHERE account = a.id ORDER BY role))"                                     \
  " FROM account a LEFT JOIN account o ON o.id = a.owner"

static enum status read_account(sqlite3_stmt *st, struct arena *a,
                                struct account *out)
{
  const void *secret;
  memset(out, 0, sizeof(*out));
  out->id = sqlite3_column_int64(st, 0);
  out->login = db_col_text(st, 1, a);
  out->name = db_col_text(st, 2, a);
  out->unit = db_col_text(st, 3, a);
  out->email = db_col_text(st, 4, a);
  out->privileged = sqlite3_column_int(st, 5);
  out->owner = sqlite3_column_int64(st, 6);
  out->owner_login = db_col_text(st, 7, a);
  out->disabled = sqlite3_column_int(st, 8);
  out->disabled_reason = db_col_text(st, 9, a);
  out->pw_hash = db_col_text(st, 10, a);
  out->pw_set_at = sqlite3_column_int64(st, 11);
  out->pw_preset = sqlite3_column_int(st, 12);
  out->failed = sqlite3_column_int(st, 13);
  out->locked_until = sqlite3_column_int64(st, 14);
  out->last_login = sqlite3_column_int64(st, 15);
  secret = sqlite3_column_blob(st, 16);
  if(secret) {
    size_t n = (size_t)sqlite3_column_bytes(st, 16);
    unsigned char *p = arena_alloc(a, n ? n : 1);
    if(!p) {
      return ST_NOMEM;
    }
    memcpy(p, secret, n);
    out->totp_secret = p;
    out->totp_len = n;
  }
  out->totp_step = sqlite3_column_int64(st, 17);
  out->created_at = db_col_text(st, 18, a);
  out->created_by = db_col_text(st, 19, a);
  out->roles = db_col_text(st, 20, a);
  if(!out->roles) {
    out->roles = "";
  }
  return out->login && out->name ? ST_OK : ST_NOMEM;
}

enum status acct_by_login(struct db *db, const char *login, struct arena *a,
                          struct account *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st, "SELECT " ACCOUNT_COLUMNS " WHERE a.login = ?")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) == SQLITE_ROW) {
    ret = read_account(st, a, out);
  }
  db_done(st);
  return ret;
}

enum status acct_by_id(struct db *db, int64_t id, struct arena *a,
                       struct account *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st, "SELECT " ACCOUNT_COLUMNS " WHERE a.id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  if(sqlite3_step(st) == SQLITE_ROW) {
    ret = read_account(st, a, out);
  }
  db_done(st);
  return ret;
}

enum status acct_list(struct db *db, struct arena *a, struct account **out,
                      size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 64, k = 0;
  struct account *v = arena_alloc(a, sizeof(*v) * cap);
  enum status ret = ST_OK;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT " ACCOUNT_COLUMNS " ORDER BY a.disabled, a.login")) {
    return ST_DB;
  }
  while(sqlite3_step(st) == SQLITE_ROW) {
    if(k == cap) {
      struct account *w = arena_alloc(a, sizeof(*v) * cap * 2);
      if(!w) {
        ret = ST_NOMEM;
        break;
      }
      memcpy(w, v, sizeof(*v) * cap);
      v = w;
      cap *= 2;
    }
    ret = read_account(st, a, &v[k]);
    if(ret) {
      break;
    }
    k++;
  }
  db_done(st);
  *out = v;
  *n = k;
  return ret;
}

enum status acct_insert(struct db *db, const struct account *in,
                        const char *actor, int64_t *id)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  if(db_prepare(
       db, &st,
       "INSERT INTO account(login, name, unit, email, privileged,"
       " owner, pw_hash, pw_set_at, pw_preset, created_at,"
       " created_by, updated_at)"
       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10)")) {
    return ST_DB;
  }
  utc_now(&at);
  sqlite3_bind_text(st, 1, in->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, in->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, in->unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, in->email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 5, in->privileged);
  if(in->owner) {
    sqlite3_bind_int64(st, 6, in->owner);
  }
  sqlite3_bind_text(st, 7, in->pw_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 8, in->pw_set_at);
  sqlite3_bind_int(st, 9, in->pw_preset);
  sqlite3_bind_text(st, 10, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 11, actor, -1, SQLITE_TRANSIENT);
  ret = db_step_done(db, st, "insert account");
  buf_free(&at);
  if(!ret) {
    *id = sqlite3_last_insert_rowid(db_handle(db));
  }
  return ret;
}

enum status acct_set_password(struct db *db, int64_t id, const char *hash,
                              int64_t now, int preset, int keep)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  /* The current hash joins the history before it is replaced. */
  if(db_prepare(db, &st,
                "INSERT INTO password_history(account, hash, set_at)"
                " SELECT id, pw_hash, coalesce(pw_set_at, 0) FROM account"
                " WHERE id = ? AND pw_hash IS NOT NULL")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  ret = db_step_done(db, st, "password history");
  if(ret) {
    return ret;
  }
  if(db_prepare(db, &st,
                "DELETE FROM password_history WHERE account = ?1 AND id NOT IN"
                " (SELECT id FROM password_history WHERE account = ?1"
                " ORDER BY id DESC LIMIT ?2)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, keep);
  ret = db_step_done(db, st, "password history trim");
  if(ret) {
    return ret;
  }
  if(db_prepare(
       db, &st,
       "UPDATE account SET pw_hash = ?, pw_set_at = ?, pw_preset = ?,"
       " failed = 0, locked_until = 0, updated_at = ? WHERE id = ?")) {
    return ST_DB;
  }
  utc_now(&at);
  sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, now);
  sqlite3_bind_int(st, 3, preset);
  sqlite3_bind_text(st, 4, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 5, id);
  ret = db_step_done(db, st, "set password");
  buf_free(&at);
  return ret;
}

enum status acct_recent_hashes(struct db *db, int64_t id, int n,
                               struct arena *a, const char ***out,
                               size_t *count)
{
  sqlite3_stmt *st;
  const char **v = arena_alloc(a, sizeof(*v) * (size_t)(n + 1));
  size_t k = 0;
  *out = v;
  *count = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT pw_hash FROM account WHERE id = ?1 AND pw_hash"
                " IS NOT NULL UNION ALL SELECT hash FROM (SELECT hash FROM"
                " password_history WHERE account = ?1 ORDER BY id DESC)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  while(k < (size_t)n && sqlite3_step(st) == SQLITE_ROW) {
    v[k] = db_col_text(st, 0, a);
    if(v[k]) {
      k++;
    }
  }
  db_done(st);
  *count = k;
  return ST_OK;
}

enum status acct_add_failure(struct db *db, int64_t id, int threshold,
                             int64_t lock_until, int *locked)
{
  sqlite3_stmt *st;
  int rc;
  *locked = 0;
  if(db_prepare(db, &st,
                "UPDATE account SET"
                " locked_until = CASE WHEN failed + 1 >= ?1 THEN ?2"
                " ELSE locked_until END,"
                " failed = CASE WHEN failed + 1 >= ?1 THEN 0 ELSE failed + 1"
                " END WHERE id = ?3 RETURNING failed = 0")) {
    return ST_DB;
  }
  sqlite3_bind_int(st, 1, threshold);
  sqlite3_bind_int64(st, 2, lock_until);
  sqlite3_bind_int64(st, 3, id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    *locked = sqlite3_column_int(st, 0);
    rc = sqlite3_step(st);
  }
  db_done(st);
  return rc == SQLITE_DONE ? ST_OK : db_fail(db, "login failure");
}

enum status acct_rehash(struct db *db, int64_t id, const char *hash)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st, "UPDATE account SET pw_hash = ? WHERE id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, id);
  return db_step_done(db, st, "rehash");
}

enum status acct_login_ok(struct db *db, int64_t id, int64_t now)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "UPDATE account SET failed = 0, locked_until = 0,"
                " last_login = ? WHERE id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, id);
  return db_step_done(db, st, "login ok");
}

enum status acct_set_disabled(struct db *db, int64_t id, int disabled,
                              const char *reason)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  if(db_prepare(db, &st,
                "UPDATE account SET disabled = ?, disabled_reason = ?,"
                " updated_at = ? WHERE id = ?")) {
    return ST_DB;
  }
  utc_now(&at);
  sqlite3_bind_int(st, 1, disabled);
  sqlite3_bind_text(st, 2, disabled ? reason : NULL, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, id);
  ret = db_step_done(db, st, "disable account");
  buf_free(&at);
  return ret;
}

enum status acct_grant(struct db *db, int64_t id, const char *role,
                       const char *actor)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  if(db_prepare(db, &st,
                "INSERT INTO account_role(account, role, granted_at,"
                " granted_by) VALUES(?, ?, ?, ?)")) {
    return ST_DB;
  }
  utc_now(&at);
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, actor, -1, SQLITE_TRANSIENT);
  ret = db_step_done(db, st, "grant");
  buf_free(&at);
  return ret;
}

enum status acct_revoke(struct db *db, int64_t id, const char *role)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "DELETE FROM account_role WHERE account = ? AND role = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, role, -1, SQLITE_TRANSIENT);
  return db_step_done(db, st, "revoke");
}

enum status acct_set_totp(struct db *db, int64_t id,
                          const unsigned char *secret, size_t len)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "UPDATE account SET totp_secret = ?, totp_step = 0"
                " WHERE id = ?")) {
    return ST_DB;
  }
  if(secret) {
    sqlite3_bind_blob(st, 1, secret, (int)len, SQLITE_TRANSIENT);
  }
  sqlite3_bind_int64(st, 2, id);
  return db_step_done(db, st, "set totp");
}

enum status acct_set_totp_step(struct db *db, int64_t id, int64_t step,
                               int *raised)
{
  sqlite3_stmt *st;
  enum status ret;
  *raised = 0;
  if(db_prepare(db, &st,
                "UPDATE account SET totp_step = ?1 WHERE id = ?2"
                " AND totp_step < ?1")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, step);
  sqlite3_bind_int64(st, 2, id);
  ret = db_step_done(db, st, "totp step");
  if(!ret) {
    *raised = sqlite3_changes(db_handle(db)) == 1;
  }
  return ret;
}

enum status acct_set_totp_pending(struct db *db, int64_t id,
                                  const unsigned char *secret, size_t len)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st, "UPDATE account SET totp_pending = ? WHERE id = ?")) {
    return ST_DB;
  }
  if(secret) {
    sqlite3_bind_blob(st, 1, secret, (int)len, SQLITE_TRANSIENT);
  }
  sqlite3_bind_int64(st, 2, id);
  return db_step_done(db, st, "totp pending");
}

enum status acct_totp_pending(struct db *db, int64_t id, unsigned char *out,
                              size_t len)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st, "SELECT totp_pending FROM account WHERE id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  if(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_blob(st, 0) &&
     (size_t)sqlite3_column_bytes(st, 0) == len) {
    memcpy(out, sqlite3_column_blob(st, 0), len);
    ret = ST_OK;
  }
  db_done(st);
  return ret;
}

/* ---- applications for privileged accounts ---- */

#define PREQ_COLUMNS                                                          \
  "p.id, p.owner, o.login, o.name, p.login, p.reason, p.valid_until,"         \
  " p.status, p.requested_at, p.decided_by, p.decided_at, p.note,"            \
  " coalesce(p.account, 0) FROM priv_request p JOIN account o"                \
  " ON o.id = p.owner"

static void read_preq(sqlite3_stmt *st, struct arena *a,
                      struct priv_request *r)
{
  r->id = sqlite3_column_int64(st, 0);
  r->owner = sqlite3_column_int64(st, 1);
  r->owner_login = db_col_text(st, 2, a);
  r->owner_name = db_col_text(st, 3, a);
  r->login = db_col_text(st, 4, a);
  r->reason = db_col_text(st, 5, a);
  r->valid_until = db_col_text(st, 6, a);
  r->status = db_col_text(st, 7, a);
  r->requested_at = db_col_text(st, 8, a);
  r->decided_by = db_col_text(st, 9, a);
  r->decided_at = db_col_text(st, 10, a);
  r->note = db_col_text(st, 11, a);
  r->account = sqlite3_column_int64(st, 12);
}

enum status preq_insert(struct db *db, const struct priv_request *r,
                        int64_t *id)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  if(db_prepare(db, &st,
                "INSERT INTO priv_request(owner, login, reason, valid_until,"
                " status, requested_at) VALUES(?, ?, ?, ?, 'pending', ?)")) {
    return ST_DB;
  }
  utc_now(&at);
  sqlite3_bind_int64(st, 1, r->owner);
  sqlite3_bind_text(st, 2, r->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, r->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, r->valid_until, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, at.data, -1, SQLITE_TRANSIENT);
  ret = db_step_done(db, st, "insert request");
  buf_free(&at);
  if(!ret) {
    *id = sqlite3_last_insert_rowid(db_handle(db));
  }
  return ret;
}

enum status preq_get(struct db *db, int64_t id, struct arena *a,
                     struct priv_request *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st, "SELECT " PREQ_COLUMNS " WHERE p.id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  if(sqlite3_step(st) == SQLITE_ROW) {
    read_preq(st, a, out);
    ret = ST_OK;
  }
  db_done(st);
  return ret;
}

enum status preq_list(struct db *db, int64_t owner, struct arena *a,
                      struct priv_request **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 500, k = 0;
  struct priv_request *v = arena_alloc(a, sizeof(*v) * cap);
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT " PREQ_COLUMNS " WHERE ?1 = 0 OR p.owner = ?1"
                " ORDER BY p.status != 'pending', p.id DESC")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, owner);
  while(k < cap && sqlite3_step(st) == SQLITE_ROW) {
    read_preq(st, a, &v[k++]);
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status preq_decide(struct db *db, int64_t id, const char *status,
                        const char *by, const char *note)
{
  sqlite3_stmt *st;
  struct buf at;
  enum status ret;
  if(db_prepare(
       db, &st,
       "UPDATE priv_request SET status = ?, decided_by = ?,"
       " decided_at = ?, note = ? WHERE id = ? AND status = 'pending'")) {
    return ST_DB;
  }
  utc_now(&at);
  sqlite3_bind_text(st, 1, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 5, id);
  ret = db_step_done(db, st, "decide request");
  buf_free(&at);
  if(!ret && sqlite3_changes(db_handle(db)) != 1) {
    ret = ST_CONFLICT;
  }
  return ret;
}

enum status preq_use(struct db *db, int64_t id, int64_t account)
{
  sqlite3_stmt *st;
  enum status ret;
  if(db_prepare(db, &st,
                "UPDATE priv_request SET status = 'used', account = ?"
                " WHERE id = ? AND status = 'approved'")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  sqlite3_bind_int64(st, 2, id);
  ret = db_step_done(db, st, "use request");
  if(!ret && sqlite3_changes(db_handle(db)) != 1) {
    ret = ST_CONFLICT;
  }
  return ret;
}

enum status preq_until(struct db *db, int64_t account, char *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st,
                "SELECT valid_until FROM priv_request WHERE account = ?"
                " ORDER BY id DESC LIMIT 1")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  if(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
    snprintf(out, 11, "%s", (const char *)sqlite3_column_text(st, 0));
    ret = ST_OK;
  }
  db_done(st);
  return ret;
}

/* ---- sessions ---- */

enum status sess_insert(struct db *db, const unsigned char *id_hash,
                        const struct session *s)
{
  sqlite3_stmt *st;
  if(db_prepare(
       db, &st,
       "INSERT INTO session(id_hash, account, state, rights, csrf,"
       " created_at, seen_at, source) VALUES(?, ?, ?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_blob(st, 1, id_hash, 32, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, s->account);
  sqlite3_bind_text(st, 3, s->state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, (int64_t)s->rights);
  sqlite3_bind_text(st, 5, s->csrf, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 6, s->created_at);
  sqlite3_bind_int64(st, 7, s->seen_at);
  sqlite3_bind_text(st, 8, s->source, -1, SQLITE_TRANSIENT);
  return db_step_done(db, st, "insert session");
}

enum status sess_get(struct db *db, const unsigned char *id_hash,
                     struct arena *a, struct session *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st,
                "SELECT s.account, s.state, s.rights, s.csrf, s.created_at,"
                " s.seen_at, s.source, a.login, a.name, a.privileged,"
                " a.disabled FROM session s JOIN account a"
                " ON a.id = s.account WHERE s.id_hash = ?")) {
    return ST_DB;
  }
  sqlite3_bind_blob(st, 1, id_hash, 32, SQLITE_TRANSIENT);
  if(sqlite3_step(st) == SQLITE_ROW) {
    out->account = sqlite3_column_int64(st, 0);
    out->state = db_col_text(st, 1, a);
    out->rights = (uint64_t)sqlite3_column_int64(st, 2);
    out->csrf = db_col_text(st, 3, a);
    out->created_at = sqlite3_column_int64(st, 4);
    out->seen_at = sqlite3_column_int64(st, 5);
    out->source = db_col_text(st, 6, a);
    out->login = db_col_text(st, 7, a);
    out->name = db_col_text(st, 8, a);
    out->privileged = sqlite3_column_int(st, 9);
    out->disabled = sqlite3_column_int(st, 10);
    ret =
      out->state && out->csrf && out->login && out->name ? ST_OK : ST_NOMEM;
  }
  db_done(st);
  return ret;
}

enum status sess_touch(struct db *db, const unsigned char *id_hash,
                       int64_t now)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st, "UPDATE session SET seen_at = ? WHERE id_hash = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_blob(st, 2, id_hash, 32, SQLITE_TRANSIENT);
  return db_step_done(db, st, "touch session");
}

enum status sess_delete(struct db *db, const unsigned char *id_hash)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st, "DELETE FROM session WHERE id_hash = ?")) {
    return ST_DB;
  }
  sqlite3_bind_blob(st, 1, id_hash, 32, SQLITE_TRANSIENT);
  return db_step_done(db, st, "delete session");
}

enum status sess_delete_account(struct db *db, int64_t account, int *n)
{
  sqlite3_stmt *st;
  enum status ret;
  if(db_prepare(db, &st, "DELETE FROM session WHERE account = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  ret = db_step_done(db, st, "delete sessions");
  if(n) {
    *n = ret ? 0 : sqlite3_changes(db_handle(db));
  }
  return ret;
}

enum status sess_delete_others(struct db *db, int64_t account,
                               const unsigned char *keep_hash)
{
  sqlite3_stmt *st;
  static const unsigned char none[32];
  if(db_prepare(db, &st,
                "DELETE FROM session WHERE account = ? AND id_hash != ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  sqlite3_bind_blob(st, 2, keep_hash ? keep_hash : none, 32, SQLITE_STATIC);
  return db_step_done(db, st, "delete other sessions");
}

enum status sess_expire(struct db *db, int64_t idle_before,
                        int64_t started_before)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "DELETE FROM session WHERE seen_at < ? OR created_at < ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, idle_before);
  sqlite3_bind_int64(st, 2, started_before);
  return db_step_done(db, st, "expire sessions");
}

enum status sess_count(struct db *db, int64_t account, int *n)
{
  sqlite3_stmt *st;
  *n = 0;
  if(db_prepare(db, &st, "SELECT count(*) FROM session WHERE account = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  if(sqlite3_step(st) == SQLITE_ROW) {
    *n = sqlite3_column_int(st, 0);
  }
  db_done(st);
  return ST_OK;
}

/* ---- recovery codes ---- */

enum status rcode_replace(struct db *db, int64_t account,
                          const char *const *hashes, size_t n)
{
  sqlite3_stmt *st;
  enum status ret;
  size_t i;
  if(db_prepare(db, &st, "DELETE FROM recovery_code WHERE account = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  ret = db_step_done(db, st, "delete recovery codes");
  for(i = 0; !ret && i < n; i++) {
    if(db_prepare(db, &st,
                  "INSERT INTO recovery_code(account, hash) VALUES(?, ?)")) {
      return ST_DB;
    }
    sqlite3_bind_int64(st, 1, account);
    sqlite3_bind_text(st, 2, hashes[i], -1, SQLITE_TRANSIENT);
    ret = db_step_done(db, st, "insert recovery code");
  }
  return ret;
}

enum status rcode_use(struct db *db, int64_t account, const char *hash,
                      int64_t now)
{
  sqlite3_stmt *st;
  enum status ret;
  if(db_prepare(db, &st,
                "UPDATE recovery_code SET used_at = ? WHERE account = ?"
                " AND hash = ? AND used_at IS NULL")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, account);
  sqlite3_bind_text(st, 3, hash, -1, SQLITE_TRANSIENT);
  ret = db_step_done(db, st, "use recovery code");
  if(!ret && sqlite3_changes(db_handle(db)) != 1) {
    ret = ST_NOTFOUND;
  }
  return ret;
}

enum status rcode_left(struct db *db, int64_t account, int *n)
{
  sqlite3_stmt *st;
  *n = 0;
  if(db_prepare(db, &st,
                "SELECT count(*) FROM recovery_code WHERE account = ?"
                " AND used_at IS NULL")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  if(sqlite3_step(st) == SQLITE_ROW) {
    *n = sqlite3_column_int(st, 0);
  }
  db_done(st);
  return ST_OK;
}

/* ---- API tokens ---- */

static void read_token(sqlite3_stmt *st, struct arena *a, struct api_token *t)
{
  t->id = sqlite3_column_int64(st, 0);
  t->account = sqlite3_column_int64(st, 1);
  t->name = db_col_text(st, 2, a);
  t->scope = db_col_text(st, 3, a);
  t->created_at = sqlite3_column_int64(st, 4);
  t->expires_at = sqlite3_column_int64(st, 5);
  t->last_used = sqlite3_column_int64(st, 6);
  t->revoked_at = sqlite3_column_int64(st, 7);
}

enum status tok_insert(struct db *db, const struct api_token *t,
                       const unsigned char *hash, int64_t *id)
{
  sqlite3_stmt *st;
  enum status ret;
  if(db_prepare(db, &st,
                "INSERT INTO api_token(account, name, hash, scope, created_at,"
                " expires_at) VALUES(?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, t->account);
  sqlite3_bind_text(st, 2, t->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 3, hash, 32, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, t->scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 5, t->created_at);
  sqlite3_bind_int64(st, 6, t->expires_at);
  ret = db_step_done(db, st, "insert token");
  if(!ret) {
    *id = sqlite3_last_insert_rowid(db_handle(db));
  }
  return ret;
}

enum status tok_by_hash(struct db *db, const unsigned char *hash,
                        struct arena *a, struct api_token *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st,
                "SELECT id, account, name, scope, created_at, expires_at,"
                " coalesce(last_used, 0), coalesce(revoked_at, 0)"
                " FROM api_token WHERE hash = ?")) {
    return ST_DB;
  }
  sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
  if(sqlite3_step(st) == SQLITE_ROW) {
    read_token(st, a, out);
    ret = out->name && out->scope ? ST_OK : ST_NOMEM;
  }
  db_done(st);
  return ret;
}

enum status tok_list(struct db *db, int64_t account, struct arena *a,
                     struct api_token **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 256, k = 0;
  struct api_token *v = arena_alloc(a, sizeof(*v) * cap);
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT id, account, name, scope, created_at, expires_at,"
                " coalesce(last_used, 0), coalesce(revoked_at, 0)"
                " FROM api_token WHERE account = ? ORDER BY id DESC")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  while(k < cap && sqlite3_step(st) == SQLITE_ROW) {
    read_token(st, a, &v[k++]);
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status tok_revoke(struct db *db, int64_t account, int64_t id, int64_t now)
{
  sqlite3_stmt *st;
  enum status ret;
  if(db_prepare(db, &st,
                "UPDATE api_token SET revoked_at = ? WHERE id = ?"
                " AND account = ? AND revoked_at IS NULL")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int64(st, 3, account);
  ret = db_step_done(db, st, "revoke token");
  if(!ret && sqlite3_changes(db_handle(db)) != 1) {
    ret = ST_NOTFOUND;
  }
  return ret;
}

enum status tok_used(struct db *db, int64_t id, int64_t now)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st, "UPDATE api_token SET last_used = ? WHERE id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, id);
  return db_step_done(db, st, "token used");
}
