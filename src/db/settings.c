/*
 * settings.c: settings declared in settings.def, stored in the setting
 * table.
 */
#include "settings.h"
#include "db.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"
#include "core/utf8.h"
#include "core/mail.h"
#include "core/mask.h"
#include "core/remind_rule.h"

#include <string.h>

const struct setting_decl setting_decls[SET_COUNT_] = {
#define SETTING(id, name, type, def, min, max, flags, label)                  \
  { name, type, def, min, max, flags, label },
#include "settings.def"
#undef SETTING
};

/* Per-thread copy of every value, valid for one data epoch. */
static _Thread_local struct {
  long epoch;                 /* epoch of the copy, -1 for none */
  struct db *db;              /* connection it was read from */
  int64_t num[SET_COUNT_];    /* SET_INT and SET_BOOL values */
  char text[SET_COUNT_][256]; /* SET_TEXT values */
} cache = { -1, NULL, { 0 }, { { 0 } } };

const struct setting_decl *setting_find(const char *name)
{
  size_t i;
  for(i = 0; i < SET_COUNT_; i++) {
    if(strcmp(setting_decls[i].name, name) == 0) {
      return &setting_decls[i];
    }
  }
  return NULL;
}

/* The mail settings' own rules (reports/mail.h); an empty relay, sender
 * or user means "not set". */
static enum status check_mail(const struct setting_decl *d, const char *value,
                              enum msg *why)
{
  enum mail_tls tls;
  if(d == &setting_decls[SET_MAIL_RELAY] && *value &&
     mail_check_relay(value)) {
    *why = M_SET_BAD_RELAY;
  }
  else if(d == &setting_decls[SET_MAIL_FROM] && *value &&
          mail_check_address(value)) {
    *why = M_SET_BAD_ADDRESS;
  }
  else if(d == &setting_decls[SET_MAIL_STARTTLS] &&
          mail_tls_parse(value, &tls)) {
    *why = M_SET_BAD_STARTTLS;
  }
  else if((d == &setting_decls[SET_MAIL_USER] ||
           d == &setting_decls[SET_MAIL_PASSWORD]) &&
          utf8_has_control(str_c(value), 0)) {
    *why = M_SET_BAD_TEXT;
  }
  return *why ? ST_INVALID : ST_OK;
}

enum status setting_check(const struct setting_decl *d, const char *value,
                          enum msg *why)
{
  int64_t v;
  *why = M_NONE;
  switch(d->type) {
  case SET_INT:
  case SET_BOOL:
    if(str_to_i64(str_trim(str_c(value)), d->min, d->max, &v)) {
      *why = d->type == SET_BOOL ? M_SET_BAD_BOOL : M_SET_BAD_RANGE;
      return ST_INVALID;
    }
    return ST_OK;
  case SET_TEXT:
    if(strlen(value) > (size_t)d->max || !utf8_valid(str_c(value), NULL)) {
      *why = M_SET_BAD_TEXT;
      return ST_INVALID;
    }
    if(d == &setting_decls[SET_AUDIT_SYSLOG] && *value &&
       strncmp(value, "udp:", 4) != 0 && strncmp(value, "unix:", 5) != 0) {
      *why = M_SET_BAD_SYSLOG;
      return ST_INVALID;
    }
    if(d == &setting_decls[SET_REMIND_DAYS]) {
      struct remind_days rd;
      *why = remind_days_parse(value, &rd) ? M_SET_BAD_REMIND_DAYS : M_NONE;
      return *why ? ST_INVALID : ST_OK;
    }
    if(d == &setting_decls[SET_BASE_URL]) {
      *why = remind_check_base_url(value) ? M_SET_BAD_BASE_URL : M_NONE;
      return *why ? ST_INVALID : ST_OK;
    }
    if(d == &setting_decls[SET_MASK_ENTITIES]) {
      unsigned set;
      *why = mask_entities_parse(value, &set, NULL) ? M_SET_BAD_MASK_ENTITIES :
                                                      M_NONE;
      return *why ? ST_INVALID : ST_OK;
    }
    if(d == &setting_decls[SET_MASK_OPERATOR]) {
      enum mask_op op;
      *why = mask_op_parse(value, &op) ? M_SET_BAD_MASK_OPERATOR : M_NONE;
      return *why ? ST_INVALID : ST_OK;
    }
    return check_mail(d, value, why);
  }
  *why = M_SET_BAD_TEXT;
  return ST_INVALID;
}

/* Put text value of setting i into the cache. */
static void cache_put(size_t i, const char *value)
{
  const struct setting_decl *d = &setting_decls[i];
  int64_t v;
  if(d->type == SET_TEXT) {
    size_t n = strlen(value);
    if(n >= sizeof(cache.text[i])) {
      n = sizeof(cache.text[i]) - 1;
    }
    memcpy(cache.text[i], value, n);
    cache.text[i][n] = 0;
  }
  else if(!str_to_i64(str_trim(str_c(value)), d->min, d->max, &v)) {
    cache.num[i] = v;
  }
}

/* Make the cache current for db. */
static void load(struct db *db)
{
  long epoch = db_snapshot_epoch(db);
  sqlite3_stmt *st;
  size_t i;
  if(cache.epoch == epoch && cache.db == db) {
    return;
  }
  for(i = 0; i < SET_COUNT_; i++) {
    cache.num[i] = 0;
    cache.text[i][0] = 0;
    cache_put(i, setting_decls[i].def);
  }
  if(db_prepare(db, &st, "SELECT name, value FROM setting")) {
    return;
  }
  while(sqlite3_step(st) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *value = (const char *)sqlite3_column_text(st, 1);
    const struct setting_decl *d = name ? setting_find(name) : NULL;
    if(d && value) {
      cache_put((size_t)(d - setting_decls), value);
    }
  }
  db_done(st);
  cache.epoch = epoch;
  cache.db = db;
}

int64_t setting_int(struct db *db, enum setting_id id)
{
  load(db);
  return cache.num[id];
}

const char *setting_text(struct db *db, enum setting_id id, struct arena *a)
{
  load(db);
  return arena_strdup(a, cache.text[id]);
}

enum status setting_store(struct db *db, const struct setting_decl *d,
                          const char *value, const char *actor)
{
  sqlite3_stmt *st;
  struct buf at;
  int rc;
  if(db_prepare(db, &st,
                "INSERT INTO setting(name, value, updated_at, updated_by)"
                " VALUES(?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET"
                " value = excluded.value, updated_at = excluded.updated_at,"
                " updated_by = excluded.updated_by")) {
    return ST_DB;
  }
  buf_init(&at, 64);
  time_format_utc(&at, time_now());
  sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, at.data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, actor, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st);
  db_done(st);
  buf_free(&at);
  cache.epoch = -1;
  return rc == SQLITE_DONE ? ST_OK : db_fail(db, "store setting");
}
