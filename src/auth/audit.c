/*
 * audit.c: the hash chain of the audit trail.
 */
#include "audit.h"
#include "audit_store.h"
#include "syslog.h"
#include "core/arena.h"
#include "db/settings.h"
#include "core/buf.h"
#include "core/time.h"
#include "db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char thread_source[64];

void audit_set_source(const char *source)
{
  snprintf(thread_source, sizeof(thread_source), "%s", source ? source : "");
}

/* One field of the hashed text: its length and bytes, or "-" for NULL,
 * so that no two different rows give the same text. */
static void put_field(struct buf *b, const char *s)
{
  if(!s) {
    buf_puts(b, "-\n");
    return;
  }
  buf_appendf(b, "%zu:", strlen(s));
  buf_puts(b, s);
  buf_putc(b, '\n');
}

void audit_row_hash(const struct audit_row *row, char *out)
{
  unsigned char h[crypto_hash_sha256_BYTES];
  struct buf b;
  buf_init(&b, 1u << 24);
  buf_appendf(&b, "isms-audit-1\n%lld\n", (long long)row->id);
  put_field(&b, row->prev_hash ? row->prev_hash : "");
  put_field(&b, row->at);
  put_field(&b, row->actor);
  put_field(&b, row->action);
  put_field(&b, row->object);
  put_field(&b, row->detail);
  put_field(&b, row->source);
  crypto_hash_sha256(h, (const unsigned char *)b.data, b.len);
  sodium_bin2hex(out, 65, h, sizeof(h));
  buf_free(&b);
}

enum status audit_append(struct db *db, const char *actor, const char *action,
                         const char *object, const char *detail)
{
  struct audit_row row;
  char prev[65], hash[65];
  struct buf at;
  int64_t last;
  int sealed, own = sqlite3_get_autocommit(db_handle(db));
  enum status st;

  if(own && db_begin(db)) {
    return ST_DB;
  }
  st = audit_store_last(db, &last, prev, &sealed);
  if(!st && !sealed) {
    /* Rows from before the chain: seal them first.  (Only those: a row
     * slipped in without a hash stays unsealed and fails verify.) */
    st = audit_seal(db);
    if(!st) {
      st = audit_store_last(db, &last, prev, &sealed);
    }
  }
  buf_init(&at, 64);
  time_format_utc(&at, time_now());
  memset(&row, 0, sizeof(row));
  row.id = last + 1;
  row.at = at.data;
  row.actor = actor;
  row.action = action;
  row.object = object;
  row.detail = detail;
  row.source = thread_source[0] ? thread_source : NULL;
  row.prev_hash = prev;
  audit_row_hash(&row, hash);
  row.hash = hash;
  if(!st) {
    st = audit_store_insert(db, &row);
  }
  if(!st) {
    struct arena a;
    arena_init(&a, 4096);
    syslog_queue(setting_text(db, SET_AUDIT_SYSLOG, &a), &row);
    arena_reset(&a);
  }
  buf_free(&at);
  if(own) {
    if(st) {
      db_rollback(db);
    }
    else {
      st = db_commit(db);
    }
  }
  return st;
}

/* State of audit_seal(): the hash of the row before. */
struct seal {
  struct db *db; /* where */
  char prev[65]; /* hash of the previous row */
};

static enum status seal_one(void *ctx, const struct audit_row *row)
{
  struct seal *s = ctx;
  struct audit_row r = *row;
  char hash[65];
  r.prev_hash = s->prev;
  audit_row_hash(&r, hash);
  if(audit_store_seal(s->db, row->id, s->prev, hash)) {
    return ST_DB;
  }
  memcpy(s->prev, hash, sizeof(hash));
  return ST_OK;
}

/* Finds the hash of the last sealed row before the first unsealed one. */
static enum status find_prev(void *ctx, const struct audit_row *row)
{
  struct seal *s = ctx;
  if(!row->hash) {
    return ST_CONFLICT; /* stop here */
  }
  snprintf(s->prev, sizeof(s->prev), "%s", row->hash);
  return ST_OK;
}

enum status audit_seal(struct db *db)
{
  struct seal s;
  enum status st;
  s.db = db;
  s.prev[0] = 0;
  st = audit_store_each(db, NULL, 0, find_prev, &s);
  if(st && st != ST_CONFLICT) {
    return st;
  }
  return audit_store_each(db, NULL, 1, seal_one, &s);
}

/* State of audit_verify(). */
struct verify {
  struct audit_check *out; /* result */
  char prev[65];           /* hash of the row before */
  int64_t last_id;         /* id of the row before */
  int64_t first_id;        /* id of the first row */
  char first_prev[65];     /* its prev_hash */
  char prune_note[160];    /* "first kept K after H" of the last prune */
};

static enum status verify_one(void *ctx, const struct audit_row *row)
{
  struct verify *v = ctx;
  char hash[65];
  v->out->rows++;
  if(!row->hash || !row->prev_hash) {
    v->out->bad_id = row->id;
    v->out->why = M_AUDIT_UNSEALED;
    return ST_CONFLICT;
  }
  /* The first row is row 1, or the first one a prune kept (named by
   * the prune's own row, checked at the end).  Every later row must
   * follow the one before. */
  if(!v->last_id) {
    v->first_id = row->id;
    snprintf(v->first_prev, sizeof(v->first_prev), "%s", row->prev_hash);
  }
  if(row->action && strcmp(row->action, "audit-prune") == 0 && row->detail) {
    /* "N rows before T; first kept K after H" */
    const char *k = strstr(row->detail, "first kept ");
    if(k) {
      snprintf(v->prune_note, sizeof(v->prune_note), "%s", k);
    }
  }
  if(v->last_id &&
     (row->id != v->last_id + 1 || strcmp(row->prev_hash, v->prev) != 0)) {
    v->out->bad_id = row->id;
    v->out->why = M_AUDIT_BROKEN;
    return ST_CONFLICT;
  }
  audit_row_hash(row, hash);
  if(strcmp(hash, row->hash) != 0) {
    v->out->bad_id = row->id;
    v->out->why = M_AUDIT_CHANGED;
    return ST_CONFLICT;
  }
  snprintf(v->prev, sizeof(v->prev), "%s", row->hash);
  v->last_id = row->id;
  return ST_OK;
}

enum status audit_verify(struct db *db, struct audit_check *out)
{
  struct verify v;
  enum status st;
  memset(out, 0, sizeof(*out));
  memset(&v, 0, sizeof(v));
  v.out = out;
  st = audit_store_each(db, NULL, 0, verify_one, &v);
  if(!st && out->rows == 0) {
    /* Making an account is audited: with accounts, an empty trail was
     * emptied. */
    int64_t n = 0;
    if(!audit_store_accounts(db, &n) && n > 0) {
      out->why = M_AUDIT_EMPTY;
      st = ST_CONFLICT;
    }
  }
  if(!st && v.first_id > 1) {
    /* Rows before the first are gone: a prune row must say so, naming
     * this very row and the hash it follows. */
    char want[160];
    snprintf(want, sizeof(want), "first kept %lld after %s",
             (long long)v.first_id, v.first_prev);
    if(strcmp(v.prune_note, want) != 0) {
      out->bad_id = v.first_id;
      out->why = M_AUDIT_BROKEN;
      st = ST_CONFLICT;
    }
  }
  snprintf(out->head, sizeof(out->head), "%s", v.prev);
  return st;
}

enum status audit_each(struct db *db, const char *since, audit_row_fn *fn,
                       void *ctx)
{
  return audit_store_each(db, since, 0, fn, ctx);
}

enum status audit_page_rows(struct db *db, int64_t before, int limit,
                            const char *actor, struct arena *a,
                            struct audit_row **rows, int *n)
{
  return audit_store_page(db, before, limit, actor, a, rows, n);
}

enum status audit_prune(struct db *db, const char *actor, int *n)
{
  int64_t days = setting_int(db, SET_AUDIT_RETENTION_DAYS);
  struct buf before, detail;
  enum status st;
  if(days < 183) {
    days = 183;
  }
  buf_init(&before, 64);
  buf_init(&detail, 256);
  time_format_utc(&before, time_now() - days * 86400);
  if(db_begin(db)) {
    buf_free(&before);
    buf_free(&detail);
    return ST_DB;
  }
  st = audit_store_prune(db, before.data, n);
  buf_appendf(&detail, "%d rows before %s", *n, before.data);
  if(!st) {
    /* Name the first row kept and the hash it follows, so that verify
     * can tell a prune from rows cut away. */
    int64_t first = 0;
    char prev[65];
    st = audit_store_first(db, &first, prev);
    if(!st && first) {
      buf_appendf(&detail, "; first kept %lld after %s", (long long)first,
                  prev);
    }
  }
  if(!st) {
    st = audit_append(db, actor, "audit-prune", NULL, detail.data);
  }
  if(st) {
    db_rollback(db);
  }
  else {
    st = db_commit(db);
  }
  buf_free(&before);
  buf_free(&detail);
  return st;
}
