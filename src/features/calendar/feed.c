/*
 * feed.c: the per-user iCalendar feed (see remind.h): its secret token
 * (libsodium random bytes, only the SHA-256 kept, as API tokens are),
 * and the calendar a token stands for.
 */
#include "remind.h"
#include "calendar.h"
#include "remind_store.h"
#include "auth/audit.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "core/time.h"
#include "db/db.h"
#include "reports/ical.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Days before the due date of an open duty's alarm. */
#define FEED_ALARM_DAYS 7

/* The SHA-256 of the token text tok[0..FEED_TOKEN_LEN). */
static void token_hash(const char *tok, unsigned char *out)
{
  crypto_hash_sha256(out, (const unsigned char *)tok, FEED_TOKEN_LEN);
}

/* Commit st's transaction, or roll it back. */
static enum status finish(struct db *db, enum status st)
{
  if(st) {
    db_rollback(db);
    return st;
  }
  return db_commit(db);
}

enum status feed_token_new(struct db *db, int64_t uid, const char *login,
                           char *token)
{
  unsigned char raw[FEED_TOKEN_LEN / 2], h[crypto_hash_sha256_BYTES];
  char object[48];
  int64_t had = 0;
  enum status st;
  randombytes_buf(raw, sizeof(raw));
  sodium_bin2hex(token, FEED_TOKEN_LEN + 1, raw, sizeof(raw));
  sodium_memzero(raw, sizeof(raw));
  token_hash(token, h);
  snprintf(object, sizeof(object), "feed/%lld", (long long)uid);
  if(db_begin(db)) {
    return ST_DB;
  }
  st = remind_store_feed_made(db, uid, &had);
  if(!st) {
    st = remind_store_feed_set(db, uid, h, time_now());
  }
  if(!st) {
    st = audit_append(db, login, had ? "feed-renew" : "feed-create", object,
                      NULL);
  }
  return finish(db, st);
}

enum status feed_token_revoke(struct db *db, int64_t uid, const char *login)
{
  char object[48];
  enum status st;
  snprintf(object, sizeof(object), "feed/%lld", (long long)uid);
  if(db_begin(db)) {
    return ST_DB;
  }
  st = remind_store_feed_clear(db, uid);
  if(!st) {
    st = audit_append(db, login, "feed-revoke", object, NULL);
  }
  return finish(db, st);
}

/* 1 if file is FEED_TOKEN_LEN lower-case hex digits and ".ics". */
static int token_file_ok(const char *file)
{
  size_t i;
  if(!file || strlen(file) != FEED_TOKEN_LEN + 4 ||
     strcmp(file + FEED_TOKEN_LEN, ".ics") != 0) {
    return 0;
  }
  for(i = 0; i < FEED_TOKEN_LEN; i++) {
    if(!((file[i] >= '0' && file[i] <= '9') ||
         (file[i] >= 'a' && file[i] <= 'f'))) {
      return 0;
    }
  }
  return 1;
}

/* The host of base URL base ("http://host:port/path" gives "host"), for
 * the events' UIDs; in a. */
static const char *uid_host(const char *base, struct arena *a)
{
  const char *h = strstr(base, "://");
  size_t n;
  h = h ? h + 3 : base;
  if(*h == '[') {
    n = strcspn(h, "]");
    n += h[n] == ']';
  }
  else {
    n = strcspn(h, ":/");
  }
  h = arena_strndup(a, h, n);
  return h ? h : "isms";
}

/* The catalog message of o's standing on today. */
static enum msg standing_msg(const struct occurrence *o, struct date today)
{
  switch(occ_standing(o, today)) {
  case OCC_DONE:
    return M_CAL_ST_DONE;
  case OCC_ON_TRACK:
    return M_CAL_ST_ON_TRACK;
  case OCC_DUE_SOON:
    return M_CAL_ST_DUE_SOON;
  case OCC_OVERDUE:
    return M_CAL_ST_OVERDUE;
  case OCC_VOID:
    return M_CAL_ST_VOID;
  }
  return M_CAL_ST_ON_TRACK;
}

/* The event of occurrence o (strings in a); 0 when a is full. */
static int make_event(const struct occurrence *o, struct date today,
                      const char *base, const char *host, struct arena *a,
                      struct ical_event *e)
{
  int done = strcmp(o->status, "done") == 0;
  struct buf d;
  memset(e, 0, sizeof(*e));
  e->uid = arena_printf(a, "occurrence-%lld@%s", (long long)o->id, host);
  e->date = o->due;
  e->summary =
    arena_printf(a, "%s%s", done ? msg_get(LANG_ZH, M_FEED_DONE_PREFIX) : "",
                 o->name ? o->name : o->duty);
  e->url = arena_printf(a, "%s/r/duty/calendar/%lld", base, (long long)o->id);
  e->alarm_days = done ? 0 : FEED_ALARM_DAYS;
  buf_init(&d, 64u << 10);
  msg_fill_lang(&d, LANG_ZH, M_FEED_STATUS,
                msg_get(LANG_ZH, standing_msg(o, today)), NULL);
  buf_putc(&d, '\n');
  msg_fill_lang(&d, LANG_ZH, M_RM_LINE_OWNER,
                calendar_owner_label(o->owner, LANG_ZH), NULL);
  if(o->basis && *o->basis) {
    buf_putc(&d, '\n');
    msg_fill_lang(&d, LANG_ZH, M_RM_LINE_BASIS, o->basis, NULL);
  }
  if(o->detail && *o->detail) {
    buf_putc(&d, '\n');
    buf_puts(&d, o->detail);
  }
  e->description = d.err ? NULL : arena_strdup(a, d.data);
  buf_free(&d);
  return e->uid && e->summary && e->url && e->description;
}

enum status feed_calendar(struct db *db, const char *file, int64_t now,
                          struct buf *out)
{
  unsigned char h[crypto_hash_sha256_BYTES];
  struct arena a;
  struct remind_person p;
  struct cal_filter f;
  struct occurrence *occ;
  struct ical_event *ev;
  struct date today = time_taipei_date(now);
  const char *base, *host;
  struct buf name;
  size_t n = 0, i, k = 0;
  int64_t account;
  int all;
  enum status st;

  if(!token_file_ok(file)) {
    return ST_NOTFOUND;
  }
  /* The hash is looked up, never the token compared: how long the
   * lookup takes says nothing about any valid token. */
  token_hash(file, h);
  arena_init(&a, 1u << 26);
  st = remind_store_feed_account(db, h, &account);
  if(!st) {
    st = remind_store_person(db, account, &a, &p);
  }
  if(!st && p.disabled) {
    st = ST_NOTFOUND;
  }
  if(st) {
    arena_reset(&a);
    return st;
  }
  all =
    remind_has_role(p.roles, "ciso") || remind_has_role(p.roles, "officer");
  memset(&f, 0, sizeof(f));
  f.from = (struct date){ today.year, 1, 1 };
  f.to = (struct date){ today.year + 1, 12, 31 };
  st = calendar_list(db, &f, LANG_ZH, &a, &occ, &n);
  ev = st ? NULL : arena_alloc(&a, sizeof(*ev) * (n ? n : 1));
  if(!st && !ev) {
    st = ST_NOMEM;
  }
  base = remind_base_url(db, &a);
  host = uid_host(base, &a);
  for(i = 0; i < n && !st; i++) {
    const struct occurrence *o = &occ[i];
    if(strcmp(o->status, "void") == 0 ||
       (!all && !remind_has_role(p.roles, o->owner))) {
      continue;
    }
    if(!make_event(o, today, base, host, &a, &ev[k++])) {
      st = ST_NOMEM;
    }
  }
  buf_init(&name, 4096);
  msg_fill_lang(&name, LANG_ZH, M_FEED_NAME, p.name, NULL);
  if(!st) {
    st = name.err ? name.err : ical_write(out, name.data, ev, k, now);
  }
  buf_free(&name);
  arena_reset(&a);
  return st;
}
