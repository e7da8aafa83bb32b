/*
 * remind_store.c: the SQL of reminders, the mail queue, notifications
 * and feed tokens.  See remind_store.h.
 */
#include "remind_store.h"
#include "core/arena.h"
#include "db/db.h"

#include <string.h>

int remind_has_role(const char *roles, const char *role)
{
  size_t n = strlen(role);
  const char *p = roles;
  if(!roles || n == 0) {
    return 0;
  }
  while(*p) {
    size_t len = strcspn(p, " ");
    if(len == n && memcmp(p, role, n) == 0) {
      return 1;
    }
    p += len;
    p += strspn(p, " ");
  }
  return 0;
}

#define PERSON_COLUMNS                                                        \
  "a.id, a.login, a.name, nullif(trim(a.email), ''), coalesce((SELECT"        \
  " group_concat(role, ' ') FROM (SELECT role FROM account_role WHERE"        \
  " account = a.id ORDER BY role)), ''), a.disabled FROM account a"

static void read_person(sqlite3_stmt *st, struct arena *a,
                        struct remind_person *p)
{
  p->id = sqlite3_column_int64(st, 0);
  p->login = db_col_text(st, 1, a);
  p->name = db_col_text(st, 2, a);
  p->email = db_col_text(st, 3, a);
  p->roles = db_col_text(st, 4, a);
  p->disabled = sqlite3_column_int(st, 5);
  if(!p->roles) {
    p->roles = "";
  }
}

enum status remind_store_people(struct db *db, struct arena *a,
                                struct remind_person **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 64, k = 0;
  struct remind_person *v = arena_alloc(a, sizeof(*v) * cap);
  enum status ret = ST_OK;
  *out = v;
  *n = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT " PERSON_COLUMNS
                " WHERE a.disabled = 0 ORDER BY a.id")) {
    return ST_DB;
  }
  while(sqlite3_step(st) == SQLITE_ROW) {
    if(k == cap) {
      struct remind_person *w = arena_alloc(a, sizeof(*v) * cap * 2);
      if(!w) {
        ret = ST_NOMEM;
        break;
      }
      memcpy(w, v, sizeof(*v) * k);
      v = w;
      cap *= 2;
    }
    read_person(st, a, &v[k++]);
  }
  db_done(st);
  *out = v;
  *n = k;
  return ret;
}

enum status remind_store_person(struct db *db, int64_t id, struct arena *a,
                                struct remind_person *out)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  if(db_prepare(db, &st, "SELECT " PERSON_COLUMNS " WHERE a.id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  if(sqlite3_step(st) == SQLITE_ROW) {
    read_person(st, a, out);
    ret = ST_OK;
  }
  db_done(st);
  return ret;
}

enum status remind_store_mark(struct db *db, int64_t occ, const char *key,
                              int64_t account, int64_t at, int *added)
{
  sqlite3_stmt *st;
  enum status ret;
  *added = 0;
  if(db_prepare(db, &st,
                "INSERT INTO remind_sent(occurrence, key, account, at)"
                " VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, occ);
  sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, account);
  sqlite3_bind_int64(st, 4, at);
  ret = db_step_done(db, st, "remind mark");
  if(!ret) {
    *added = sqlite3_changes(db_handle(db)) > 0;
  }
  return ret;
}

enum status remind_store_had_overdue(struct db *db, int64_t occ,
                                     int64_t account, int *yes)
{
  sqlite3_stmt *st;
  *yes = 0;
  if(db_prepare(db, &st,
                "SELECT 1 FROM remind_sent WHERE occurrence = ? AND"
                " account = ? AND key GLOB 'overdue:*' LIMIT 1")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, occ);
  sqlite3_bind_int64(st, 2, account);
  *yes = sqlite3_step(st) == SQLITE_ROW;
  db_done(st);
  return ST_OK;
}

/* ---- the mail queue ---- */

enum status remind_store_queue(struct db *db, int64_t account,
                               const char *rcpt, const char *subject,
                               const char *body, const char *made_on,
                               int64_t now, int64_t *id)
{
  sqlite3_stmt *st;
  enum status ret;
  if(db_prepare(
       db, &st,
       "INSERT INTO mail_outbox(account, rcpt, subject, body,"
       " made_on, created_at, next_at) VALUES(?, ?, ?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  sqlite3_bind_text(st, 2, rcpt, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, made_on, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 6, now);
  sqlite3_bind_int64(st, 7, now);
  ret = db_step_done(db, st, "queue mail");
  if(!ret) {
    *id = sqlite3_last_insert_rowid(db_handle(db));
  }
  return ret;
}

enum status remind_store_queue_item(struct db *db, int64_t mail, int64_t occ,
                                    const char *key)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "INSERT INTO mail_outbox_item(mail, occurrence, key)"
                " VALUES(?, ?, ?) ON CONFLICT DO NOTHING")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, mail);
  sqlite3_bind_int64(st, 2, occ);
  sqlite3_bind_text(st, 3, key, -1, SQLITE_TRANSIENT);
  return db_step_done(db, st, "queue mail item");
}

#define MAIL_COLUMNS                                                          \
  "m.id, m.account, a.login, m.rcpt, m.subject, m.body, m.made_on,"           \
  " m.status, m.created_at, m.next_at, m.attempts, m.last_error,"             \
  " coalesce(m.sent_at, 0) FROM mail_outbox m JOIN account a"                 \
  " ON a.id = m.account"

static void read_mail(sqlite3_stmt *st, struct arena *a, struct outbox_mail *m)
{
  m->id = sqlite3_column_int64(st, 0);
  m->account = sqlite3_column_int64(st, 1);
  m->login = db_col_text(st, 2, a);
  m->rcpt = db_col_text(st, 3, a);
  m->subject = db_col_text(st, 4, a);
  m->body = db_col_text(st, 5, a);
  m->made_on = db_col_text(st, 6, a);
  m->status = db_col_text(st, 7, a);
  m->created_at = sqlite3_column_int64(st, 8);
  m->next_at = sqlite3_column_int64(st, 9);
  m->attempts = sqlite3_column_int(st, 10);
  m->last_error = db_col_text(st, 11, a);
  m->sent_at = sqlite3_column_int64(st, 12);
}

/* Read up to limit rows of a prepared mail query into *out (in a). */
static enum status read_mails(sqlite3_stmt *st, size_t limit, struct arena *a,
                              struct outbox_mail **out, size_t *n)
{
  struct outbox_mail *v = arena_alloc(a, sizeof(*v) * (limit ? limit : 1));
  size_t k = 0;
  *out = v;
  *n = 0;
  if(!v) {
    db_done(st);
    return ST_NOMEM;
  }
  while(k < limit && sqlite3_step(st) == SQLITE_ROW) {
    read_mail(st, a, &v[k++]);
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status remind_store_due_mails(struct db *db, int64_t now, size_t limit,
                                   struct arena *a, struct outbox_mail **out,
                                   size_t *n)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "SELECT " MAIL_COLUMNS " WHERE m.status = 'queued' AND"
                " m.next_at <= ? ORDER BY m.id LIMIT ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, (int64_t)limit);
  return read_mails(st, limit, a, out, n);
}

enum status remind_store_outbox(struct db *db, size_t limit, struct arena *a,
                                struct outbox_mail **out, size_t *n,
                                int64_t *queued)
{
  sqlite3_stmt *st;
  enum status ret;
  *queued = 0;
  if(db_prepare(db, &st,
                "SELECT " MAIL_COLUMNS " ORDER BY m.id DESC LIMIT ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, (int64_t)limit);
  ret = read_mails(st, limit, a, out, n);
  if(ret) {
    return ret;
  }
  if(db_prepare(db, &st,
                "SELECT count(*) FROM mail_outbox WHERE status = 'queued'")) {
    return ST_DB;
  }
  if(sqlite3_step(st) == SQLITE_ROW) {
    *queued = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  return ST_OK;
}

enum status remind_store_queued(struct db *db, size_t *n)
{
  sqlite3_stmt *st;
  *n = 0;
  if(db_prepare(db, &st,
                "SELECT count(*) FROM mail_outbox WHERE status = 'queued'")) {
    return ST_DB;
  }
  if(sqlite3_step(st) == SQLITE_ROW) {
    *n = (size_t)sqlite3_column_int64(st, 0);
  }
  db_done(st);
  return ST_OK;
}

enum status remind_store_claim(struct db *db, int64_t id, int64_t now,
                               int64_t lease_until, int *claimed)
{
  sqlite3_stmt *st;
  enum status ret;
  *claimed = 0;
  if(db_prepare(db, &st,
                "UPDATE mail_outbox SET next_at = ? WHERE id = ? AND"
                " status = 'queued' AND next_at <= ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, lease_until);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int64(st, 3, now);
  ret = db_step_done(db, st, "claim mail");
  if(!ret) {
    *claimed = sqlite3_changes(db_handle(db)) > 0;
  }
  return ret;
}

enum status remind_store_mail_items(struct db *db, int64_t id, struct arena *a,
                                    int64_t **occ, const char ***keys,
                                    int **open, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 0, k = 0;
  *n = 0;
  if(db_prepare(db, &st,
                "SELECT count(*) FROM mail_outbox_item WHERE mail = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  if(sqlite3_step(st) == SQLITE_ROW) {
    cap = (size_t)sqlite3_column_int64(st, 0);
  }
  db_done(st);
  *occ = arena_alloc(a, sizeof(**occ) * (cap + 1));
  *keys = arena_alloc(a, sizeof(**keys) * (cap + 1));
  *open = arena_alloc(a, sizeof(**open) * (cap + 1));
  if(!*occ || !*keys || !*open) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT i.occurrence, i.key, o.status = 'open' FROM"
                " mail_outbox_item i JOIN occurrence o ON o.id ="
                " i.occurrence WHERE i.mail = ? ORDER BY o.due_on, o.duty,"
                " i.key")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, id);
  while(k < cap && sqlite3_step(st) == SQLITE_ROW) {
    (*occ)[k] = sqlite3_column_int64(st, 0);
    (*keys)[k] = db_col_text(st, 1, a);
    (*open)[k] = sqlite3_column_int(st, 2);
    if(!(*keys)[k]) {
      db_done(st);
      return ST_NOMEM;
    }
    k++;
  }
  db_done(st);
  *n = k;
  return ST_OK;
}

enum status remind_store_retext(struct db *db, int64_t id, const char *subject,
                                const char *body)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "UPDATE mail_outbox SET subject = ?, body = ? WHERE id = ?"
                " AND status = 'queued'")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, id);
  return db_step_done(db, st, "mail text");
}

enum status remind_store_sent(struct db *db, int64_t id, int64_t now)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "UPDATE mail_outbox SET status = 'sent', sent_at = ?,"
                " next_at = ? WHERE id = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, now);
  sqlite3_bind_int64(st, 3, id);
  return db_step_done(db, st, "mail sent");
}

enum status remind_store_failed(struct db *db, int64_t id, const char *error,
                                int64_t next_at, int give_up)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "UPDATE mail_outbox SET attempts = attempts + 1,"
                " last_error = ?, next_at = ?, status = CASE WHEN ? THEN"
                " 'failed' ELSE status END WHERE id = ? AND"
                " status = 'queued'")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, error, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, next_at);
  sqlite3_bind_int(st, 3, give_up ? 1 : 0);
  sqlite3_bind_int64(st, 4, id);
  return db_step_done(db, st, "mail failed");
}

enum status remind_store_drop(struct db *db, int64_t id, const char *reason)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "UPDATE mail_outbox SET status = 'dropped', last_error = ?"
                " WHERE id = ? AND status = 'queued'")) {
    return ST_DB;
  }
  sqlite3_bind_text(st, 1, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, id);
  return db_step_done(db, st, "mail dropped");
}

/* ---- notifications ---- */

enum status remind_store_notice(struct db *db, int64_t account, int64_t occ,
                                const char *kind, const char *key, int64_t now)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "INSERT INTO notice(account, occurrence, kind, key,"
                " created_at) VALUES(?, ?, ?, ?, ?)")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  sqlite3_bind_int64(st, 2, occ);
  sqlite3_bind_text(st, 3, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 5, now);
  return db_step_done(db, st, "notice");
}

enum status remind_store_notices(struct db *db, int64_t account, size_t limit,
                                 struct arena *a, struct notice **out,
                                 size_t *n, int64_t *total)
{
  sqlite3_stmt *st;
  struct notice *v = arena_alloc(a, sizeof(*v) * (limit ? limit : 1));
  size_t k = 0;
  *out = v;
  *n = 0;
  *total = 0;
  if(!v) {
    return ST_NOMEM;
  }
  if(db_prepare(db, &st,
                "SELECT id, occurrence, kind, key, created_at,"
                " coalesce(read_at, 0) FROM notice WHERE account = ?"
                " ORDER BY id DESC LIMIT ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  sqlite3_bind_int64(st, 2, (int64_t)limit);
  while(k < limit && sqlite3_step(st) == SQLITE_ROW) {
    struct notice *x = &v[k++];
    x->id = sqlite3_column_int64(st, 0);
    x->occurrence = sqlite3_column_int64(st, 1);
    x->kind = db_col_text(st, 2, a);
    x->key = db_col_text(st, 3, a);
    x->created_at = sqlite3_column_int64(st, 4);
    x->read_at = sqlite3_column_int64(st, 5);
    if(!x->kind || !x->key) {
      db_done(st);
      return ST_NOMEM;
    }
  }
  db_done(st);
  *n = k;
  if(db_prepare(db, &st, "SELECT count(*) FROM notice WHERE account = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  if(sqlite3_step(st) == SQLITE_ROW) {
    *total = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  return ST_OK;
}

enum status remind_store_unread(struct db *db, int64_t account, int64_t *n)
{
  sqlite3_stmt *st;
  *n = 0;
  if(db_prepare(db, &st,
                "SELECT count(*) FROM notice WHERE account = ? AND"
                " read_at IS NULL")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  if(sqlite3_step(st) == SQLITE_ROW) {
    *n = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  return ST_OK;
}

enum status remind_store_read(struct db *db, int64_t account, int64_t id,
                              int64_t now)
{
  sqlite3_stmt *st;
  enum status ret;
  if(id == 0) {
    if(db_prepare(db, &st,
                  "UPDATE notice SET read_at = ? WHERE account = ? AND"
                  " read_at IS NULL")) {
      return ST_DB;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, account);
    return db_step_done(db, st, "notices read");
  }
  if(db_prepare(db, &st,
                "UPDATE notice SET read_at = coalesce(read_at, ?) WHERE"
                " id = ? AND account = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int64(st, 3, account);
  ret = db_step_done(db, st, "notice read");
  if(!ret && sqlite3_changes(db_handle(db)) == 0) {
    ret = ST_NOTFOUND;
  }
  return ret;
}

/* ---- calendar-feed tokens ---- */

enum status remind_store_feed_set(struct db *db, int64_t account,
                                  const unsigned char *hash, int64_t now)
{
  sqlite3_stmt *st;
  if(db_prepare(db, &st,
                "INSERT INTO feed_token(account, hash, created_at)"
                " VALUES(?1, ?2, ?3) ON CONFLICT(account) DO UPDATE SET"
                " hash = ?2, created_at = ?3")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  sqlite3_bind_blob(st, 2, hash, 32, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, now);
  return db_step_done(db, st, "feed token");
}

enum status remind_store_feed_clear(struct db *db, int64_t account)
{
  sqlite3_stmt *st;
  enum status ret;
  if(db_prepare(db, &st, "DELETE FROM feed_token WHERE account = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  ret = db_step_done(db, st, "feed token clear");
  if(!ret && sqlite3_changes(db_handle(db)) == 0) {
    ret = ST_NOTFOUND;
  }
  return ret;
}

enum status remind_store_feed_made(struct db *db, int64_t account, int64_t *at)
{
  sqlite3_stmt *st;
  *at = 0;
  if(db_prepare(db, &st,
                "SELECT created_at FROM feed_token WHERE account = ?")) {
    return ST_DB;
  }
  sqlite3_bind_int64(st, 1, account);
  if(sqlite3_step(st) == SQLITE_ROW) {
    *at = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  return ST_OK;
}

enum status remind_store_feed_account(struct db *db, const unsigned char *hash,
                                      int64_t *account)
{
  sqlite3_stmt *st;
  enum status ret = ST_NOTFOUND;
  *account = 0;
  if(db_prepare(db, &st, "SELECT account FROM feed_token WHERE hash = ?")) {
    return ST_DB;
  }
  sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
  if(sqlite3_step(st) == SQLITE_ROW) {
    *account = sqlite3_column_int64(st, 0);
    ret = ST_OK;
  }
  db_done(st);
  return ret;
}
