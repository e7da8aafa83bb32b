/*
 * auth.c: accounts, sign-in, sessions and the request guard.
 */
#include "auth.h"
#include "audit.h"
#include "password.h"
#include "roles.h"
#include "throttle.h"
#include "totp.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/rand.h"
#include "core/time.h"
#include "db/db.h"
#include "db/settings.h"
#include "http/req.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Seconds between two writes of a session's seen_at. */
#define TOUCH_EVERY 30

static struct pw_policy policy_of(struct db *db)
{
  struct pw_policy p;
  p.min_length = (int)setting_int(db, SET_PW_MIN_LENGTH);
  p.min_classes = (int)setting_int(db, SET_PW_MIN_CLASSES);
  return p;
}

static struct pw_cost cost_of(struct db *db)
{
  struct pw_cost c;
  c.ops = (unsigned long long)setting_int(db, SET_HASH_OPS);
  c.mem = (size_t)setting_int(db, SET_HASH_MEMORY_KIB) * 1024u;
  return c;
}

/* SHA-256 of a NUL-terminated secret. */
static void sha256(const char *s, unsigned char *out)
{
  crypto_hash_sha256(out, (const unsigned char *)s, strlen(s));
}

/* 1 if s is n lower-case hex digits. */
static int is_hex(const char *s, size_t n)
{
  size_t i;
  if(!s || strlen(s) != n) {
    return 0;
  }
  for(i = 0; i < n; i++) {
    if(!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
      return 0;
    }
  }
  return 1;
}

int auth_login_ok(const char *login)
{
  size_t i, n = login ? strlen(login) : 0;
  if(n < 2 || n > 64) {
    return 0;
  }
  for(i = 0; i < n; i++) {
    char c = login[i];
    if(!(isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-' ||
         c == '@')) {
      return 0;
    }
  }
  return 1;
}

uint64_t auth_rights_of(const struct account *a)
{
  uint64_t rights = 0;
  const char *p = a->roles;
  if(a->disabled) {
    return 0;
  }
  while(p && *p) {
    const char *end = strchr(p, ' ');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    size_t i;
    for(i = 0; i < n_roles; i++) {
      if(strlen(roles[i].name) == n && strncmp(roles[i].name, p, n) == 0 &&
         (!(roles[i].flags & ROLE_PRIV) || a->privileged)) {
        rights |= roles[i].rights;
      }
    }
    p = end ? end + 1 : NULL;
  }
  /* Administration is for privileged accounts only (玖.二.(四)). */
  if(!a->privileged) {
    rights &= ~(RIGHT_USERS | RIGHT_SETTINGS);
  }
  return rights;
}

/* Commit when st is ST_OK, else roll back; returns the final status. */
static enum status finish(struct db *db, enum status st)
{
  if(st) {
    db_rollback(db);
    return st;
  }
  return db_commit(db);
}

/* Hash a fresh one-time password into hash. */
static enum status new_otp(struct db *db, char *otp, char *hash)
{
  struct pw_cost c = cost_of(db);
  pw_generate(otp);
  return pw_hash(otp, strlen(otp), &c, hash);
}

/* Today's date in Asia/Taipei, "YYYY-MM-DD", into out[11]. */
static void today_taipei(char *out)
{
  struct date d = time_taipei_date(time_now());
  snprintf(out, 11, "%04d-%02d-%02d", d.year, d.month, d.day);
}

enum status auth_user_add(struct db *db, const struct new_account *in,
                          const char *actor, char *otp, int64_t *id,
                          struct auth_err *err)
{
  struct account a, owner;
  struct arena ar;
  char hash[PW_HASH_MAX];
  enum status st;
  size_t i;

  err->msg = M_NONE;
  err->field = NULL;
  if(!auth_login_ok(in->login)) {
    err->msg = M_ACCT_BAD_LOGIN;
    err->field = "login";
    return ST_INVALID;
  }
  if(!in->name || !*in->name || strlen(in->name) > 200) {
    err->msg = M_ACCT_BAD_NAME;
    err->field = "name";
    return ST_INVALID;
  }
  for(i = 0; i < in->n_roles; i++) {
    const struct role *ro = role_find(in->roles[i]);
    if(!ro) {
      err->msg = M_ACCT_BAD_ROLE;
      err->field = "roles";
      return ST_INVALID;
    }
    if((ro->flags & ROLE_PRIV) && !in->privileged) {
      err->msg = M_ACCT_ROLE_NEEDS_PRIV;
      err->field = "roles";
      return ST_INVALID;
    }
  }
  arena_init(&ar, 1 << 20);
  memset(&a, 0, sizeof(a));
  a.login = in->login;
  a.name = in->name;
  a.unit = in->unit && *in->unit ? in->unit : NULL;
  a.email = in->email && *in->email ? in->email : NULL;
  a.privileged = in->privileged;
  a.pw_preset = 1;
  a.pw_set_at = time_now();
  st = new_otp(db, otp, hash);
  a.pw_hash = hash;
  if(!st) {
    st = db_begin(db);
  }
  if(st) {
    arena_reset(&ar);
    return st;
  }
  if(in->owner && *in->owner && !in->privileged) {
    /* Only a privileged account has an owner. */
    err->msg = M_ACCT_OWNER_ONLY_PRIV;
    err->field = "owner";
    st = ST_INVALID;
  }
  else if(in->owner && *in->owner) {
    /* A privileged account belongs to a person's daily account, which
     * is not itself privileged (玖.二.(四).3). */
    st = acct_by_login(db, in->owner, &ar, &owner);
    if(st == ST_NOTFOUND || (!st && (owner.privileged || owner.disabled))) {
      err->msg = M_ACCT_BAD_OWNER;
      err->field = "owner";
      st = ST_INVALID;
    }
    a.owner = st ? 0 : owner.id;
  }
  if(!st && in->privileged && a.owner) {
    /* Only on an approved application of that person for that user ID,
     * still valid (玖.二.(四).1). */
    struct priv_request pr;
    char today[11];
    today_taipei(today);
    if(!in->request || preq_get(db, in->request, &ar, &pr) ||
       strcmp(pr.status, "approved") != 0 || pr.owner != a.owner ||
       strcasecmp(pr.login, in->login) != 0 ||
       strcmp(pr.valid_until, today) < 0) {
      err->msg = M_ACCT_NEED_REQUEST;
      err->field = "request";
      st = ST_INVALID;
    }
  }
  else if(!st && in->privileged) {
    /* Only the first account (created by `isms init`) may stand alone. */
    struct account *all;
    size_t n = 0;
    st = acct_list(db, &ar, &all, &n);
    if(!st && n > 0) {
      err->msg = M_ACCT_NEED_OWNER;
      err->field = "owner";
      st = ST_INVALID;
    }
  }
  if(!st) {
    st = acct_insert(db, &a, actor, id);
    if(st == ST_CONFLICT) {
      err->msg = M_ACCT_LOGIN_TAKEN;
      err->field = "login";
    }
  }
  if(!st && in->privileged && a.owner) {
    st = preq_use(db, in->request, *id);
  }
  for(i = 0; !st && i < in->n_roles; i++) {
    st = acct_grant(db, *id, in->roles[i], actor);
    if(st == ST_CONFLICT) {
      st = ST_OK; /* the same role twice */
    }
  }
  if(!st) {
    char *object = arena_printf(&ar, "account/%s", in->login);
    struct buf d;
    buf_init(&d, 4096);
    buf_appendf(&d, "%s%s", in->privileged ? "privileged " : "", "roles:");
    for(i = 0; i < in->n_roles; i++) {
      buf_appendf(&d, " %s", in->roles[i]);
    }
    if(a.owner) {
      buf_appendf(&d, " owner: %s", in->owner);
    }
    st = audit_append(db, actor, "user-add", object, d.data);
    buf_free(&d);
  }
  arena_reset(&ar);
  return finish(db, st);
}

enum status auth_priv_apply(struct db *db, int64_t owner,
                            const char *owner_login, const char *login,
                            const char *reason, const char *valid_until,
                            int64_t *id, struct auth_err *err)
{
  struct priv_request pr;
  struct date d;
  char today[11], limit[32], object[80];
  struct date t;
  enum status st;
  err->msg = M_NONE;
  err->field = NULL;
  today_taipei(today);
  t = time_taipei_date(time_now());
  snprintf(limit, sizeof(limit), "%04d-%02d-%02d", t.year + 1, t.month,
           t.month == 2 && t.day == 29 ? 28 : t.day);
  if(!auth_login_ok(login)) {
    err->msg = M_ACCT_BAD_LOGIN;
    err->field = "login";
    return ST_INVALID;
  }
  if(!reason || !*reason || strlen(reason) > 4000) {
    err->msg = M_PRIV_NEED_REASON;
    err->field = "reason";
    return ST_INVALID;
  }
  if(!valid_until || time_parse_date(str_c(valid_until), &d) ||
     strcmp(valid_until, today) < 0 || strcmp(valid_until, limit) > 0) {
    err->msg = M_PRIV_BAD_UNTIL;
    err->field = "valid_until";
    return ST_INVALID;
  }
  memset(&pr, 0, sizeof(pr));
  pr.owner = owner;
  pr.login = login;
  pr.reason = reason;
  pr.valid_until = valid_until;
  if(db_begin(db)) {
    return ST_DB;
  }
  st = preq_insert(db, &pr, id);
  snprintf(object, sizeof(object), "priv-request/%lld", (long long)*id);
  if(!st) {
    st = audit_append(db, owner_login, "priv-apply", object, login);
  }
  return finish(db, st);
}

enum status auth_priv_decide(struct db *db, int64_t id, int approve,
                             const char *by, int64_t by_uid, const char *note,
                             struct auth_err *err)
{
  struct priv_request pr;
  struct arena ar;
  char object[80];
  enum status st;
  err->msg = M_NONE;
  err->field = NULL;
  arena_init(&ar, 1 << 20);
  if(db_begin(db)) {
    arena_reset(&ar);
    return ST_DB;
  }
  st = preq_get(db, id, &ar, &pr);
  if(!st) {
    /* Nobody approves their own application, not even through a
     * privileged account of theirs. */
    struct account me;
    int own = pr.owner == by_uid ||
              (!acct_by_id(db, by_uid, &ar, &me) && me.owner == pr.owner);
    if(own) {
      err->msg = M_PRIV_NOT_OWN;
      st = ST_FORBIDDEN;
    }
  }
  if(!st) {
    st = preq_decide(db, id, approve ? "approved" : "rejected", by, note);
    if(st == ST_CONFLICT) {
      err->msg = M_PRIV_DECIDED;
    }
  }
  snprintf(object, sizeof(object), "priv-request/%lld", (long long)id);
  if(!st) {
    st = audit_append(db, by, approve ? "priv-approve" : "priv-reject", object,
                      note);
  }
  arena_reset(&ar);
  return finish(db, st);
}

/* Look up login inside a transaction, with the error for "no such". */
static enum status find(struct db *db, const char *login, struct arena *a,
                        struct account *out, struct auth_err *err)
{
  enum status st = acct_by_login(db, login, a, out);
  if(st == ST_NOTFOUND) {
    err->msg = M_ACCT_NOT_FOUND;
    err->field = "login";
  }
  return st;
}

enum status auth_reset_password(struct db *db, const char *login,
                                const char *actor, char *otp,
                                struct auth_err *err)
{
  struct account a;
  struct arena ar;
  char hash[PW_HASH_MAX];
  enum status st;
  err->msg = M_NONE;
  err->field = NULL;
  st = new_otp(db, otp, hash);
  if(st || db_begin(db)) {
    return st ? st : ST_DB;
  }
  arena_init(&ar, 1 << 20);
  st = find(db, login, &ar, &a, err);
  if(!st) {
    st = acct_set_password(db, a.id, hash, time_now(), 1,
                           (int)setting_int(db, SET_PW_HISTORY));
  }
  if(!st) {
    st = sess_delete_account(db, a.id, NULL);
  }
  if(!st) {
    st = audit_append(db, actor, "password-reset",
                      arena_printf(&ar, "account/%s", a.login), NULL);
  }
  arena_reset(&ar);
  return finish(db, st);
}

enum status auth_set_disabled(struct db *db, const char *login, int disabled,
                              const char *reason, const char *actor,
                              struct auth_err *err)
{
  struct account a;
  struct arena ar;
  enum status st;
  err->msg = M_NONE;
  err->field = NULL;
  if(db_begin(db)) {
    return ST_DB;
  }
  arena_init(&ar, 1 << 20);
  st = find(db, login, &ar, &a, err);
  if(!st) {
    st = acct_set_disabled(db, a.id, disabled, reason);
  }
  if(!st && disabled) {
    st = sess_delete_account(db, a.id, NULL);
  }
  if(!st) {
    st = audit_append(db, actor, disabled ? "user-disable" : "user-enable",
                      arena_printf(&ar, "account/%s", a.login), reason);
  }
  arena_reset(&ar);
  return finish(db, st);
}

enum status auth_grant(struct db *db, const char *login, const char *role,
                       int grant, const char *actor, struct auth_err *err)
{
  const struct role *ro = role_find(role);
  struct account a;
  struct arena ar;
  enum status st;
  err->msg = M_NONE;
  err->field = NULL;
  if(!ro) {
    err->msg = M_ACCT_BAD_ROLE;
    err->field = "role";
    return ST_INVALID;
  }
  if(db_begin(db)) {
    return ST_DB;
  }
  arena_init(&ar, 1 << 20);
  st = find(db, login, &ar, &a, err);
  if(!st && grant && (ro->flags & ROLE_PRIV) && !a.privileged) {
    err->msg = M_ACCT_ROLE_NEEDS_PRIV;
    err->field = "role";
    st = ST_INVALID;
  }
  if(!st) {
    st =
      grant ? acct_grant(db, a.id, role, actor) : acct_revoke(db, a.id, role);
    if(st == ST_CONFLICT) {
      st = ST_OK; /* already held */
    }
  }
  if(!st) {
    st = sess_delete_account(db, a.id, NULL);
  }
  if(!st) {
    st = audit_append(db, actor, grant ? "role-grant" : "role-revoke",
                      arena_printf(&ar, "account/%s", a.login), role);
  }
  arena_reset(&ar);
  return finish(db, st);
}

/* Order of the session states. */
static int state_rank(const char *s)
{
  if(strcmp(s, "mfa") == 0) {
    return 0;
  }
  if(strcmp(s, "change") == 0) {
    return 1;
  }
  if(strcmp(s, "enroll") == 0) {
    return 2;
  }
  return 3;
}

const char *auth_next_state(struct db *db, const struct account *a,
                            const char *from, int64_t now)
{
  int r = state_rank(from);
  int64_t max_age = setting_int(db, SET_PW_MAX_AGE_DAYS) * 86400;
  if(r <= 0 && a->totp_secret) {
    return "mfa";
  }
  if(r <= 1 && (a->pw_preset || now - a->pw_set_at > max_age)) {
    return "change";
  }
  if(r <= 2 && !a->totp_secret &&
     (a->privileged || setting_int(db, SET_MFA_FOR_ALL))) {
    return "enroll";
  }
  return "ok";
}

const char *auth_step_page(const char *state)
{
  switch(state_rank(state)) {
  case 0:
    return "/login/mfa";
  case 1:
    return "/account/password";
  case 2:
    return "/account/mfa";
  default:
    return NULL;
  }
}

/* Make a session for a in state; fills out. */
static enum status new_session(struct db *db, const struct account *a,
                               const char *state, int64_t now,
                               const char *source, struct login_result *out)
{
  struct session s;
  unsigned char raw[32], h[32];
  memset(&s, 0, sizeof(s));
  randombytes_buf(raw, sizeof(raw));
  sodium_bin2hex(out->cookie, sizeof(out->cookie), raw, sizeof(raw));
  sodium_memzero(raw, sizeof(raw));
  rand_hex(out->csrf, 16);
  sha256(out->cookie, h);
  s.account = a->id;
  s.state = state;
  s.rights = auth_rights_of(a);
  s.csrf = out->csrf;
  s.created_at = now;
  s.seen_at = now;
  s.source = source;
  out->uid = a->id;
  out->state = state;
  return sess_insert(db, h, &s);
}

/* A hash to verify against when the account does not exist, so that the
 * answer takes as long as for a real one; remade when the cost changes. */
static char dummy_hash[PW_HASH_MAX];
static struct pw_cost dummy_cost;
static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;

/* Verify pw against the dummy hash of cost c. */
static void verify_dummy(const struct pw_cost *c, const char *pw, size_t len)
{
  char h[PW_HASH_MAX];
  pthread_mutex_lock(&dummy_lock);
  if(!dummy_hash[0] || dummy_cost.ops != c->ops || dummy_cost.mem != c->mem) {
    if(!pw_hash("isms-dummy-password", 19, c, dummy_hash)) {
      dummy_cost = *c;
    }
    else {
      dummy_hash[0] = 0;
    }
  }
  memcpy(h, dummy_hash, sizeof(h));
  pthread_mutex_unlock(&dummy_lock);
  pw_verify(h, pw, len);
}

enum status auth_login(struct db *db, const char *login, const char *pw,
                       size_t len, const char *source, int64_t now,
                       struct login_result *out)
{
  struct account a;
  struct arena ar;
  char name_key[80], addr_key[80], object[80];
  int wait_name, wait_addr, good, locked = 0;
  enum status st;
  const char *why = NULL;
  size_t i;

  memset(out, 0, sizeof(*out));
  memset(&a, 0, sizeof(a)); /* a.id stays 0 for an unknown login */
  if(len > PW_MAX_BYTES) {
    return ST_INVALID;
  }
  snprintf(name_key, sizeof(name_key), "u:%.64s", login ? login : "");
  for(i = 2; name_key[i]; i++) {
    name_key[i] = (char)tolower((unsigned char)name_key[i]);
  }
  snprintf(addr_key, sizeof(addr_key), "a:%.64s", source ? source : "");
  /* What was typed goes into the trail only when it is a user ID at all
   * (no control characters or other junk). */
  snprintf(object, sizeof(object), "account/%.64s",
           login && auth_login_ok(login) ? login : "(invalid)");
  wait_name = throttle_wait(name_key, THROTTLE_FREE_NAME, 60, now);
  wait_addr = throttle_wait(addr_key, THROTTLE_FREE_ADDR, 300, now);
  if(wait_name || wait_addr) {
    out->wait = wait_name > wait_addr ? wait_name : wait_addr;
    return ST_TOOBIG;
  }

  arena_init(&ar, 1 << 20);
  st = login && auth_login_ok(login) ? acct_by_login(db, login, &ar, &a) :
                                       ST_NOTFOUND;
  if(st && st != ST_NOTFOUND) {
    arena_reset(&ar);
    return st;
  }
  /* The password is checked outside the write transaction: hashing is
   * slow on purpose and must not hold the database's write lock. */
  if(st == ST_NOTFOUND) {
    struct pw_cost c = cost_of(db);
    verify_dummy(&c, pw, len);
    good = 0;
    why = "unknown account";
  }
  else {
    good = pw_verify(a.pw_hash, pw, len);
    if(a.disabled) {
      good = 0;
      why = "disabled";
    }
    else if(a.locked_until > now) {
      good = 0;
      why = "locked";
    }
    else if(good && a.privileged && a.owner) {
      /* A privileged account ends with the approval it was made from. */
      char until[11], today[11];
      today_taipei(today);
      if(!preq_until(db, a.id, until) && strcmp(until, today) < 0) {
        good = 0;
        why = "privilege expired";
      }
    }
    else if(!good) {
      why = "wrong password";
    }
  }

  if(db_begin(db)) {
    arena_reset(&ar);
    return ST_DB;
  }
  if(a.id) {
    /* The trail names the account as stored, whatever case was typed. */
    snprintf(object, sizeof(object), "account/%s", a.login);
  }
  if(!good) {
    st = ST_OK;
    if(a.id && strcmp(why, "wrong password") == 0) {
      int64_t lock_for = setting_int(db, SET_LOCKOUT_MINUTES) * 60;
      st =
        acct_add_failure(db, a.id, (int)setting_int(db, SET_LOCKOUT_THRESHOLD),
                         now + lock_for, &locked);
    }
    if(!st) {
      st = audit_append(db, "anonymous", "login-failed", object, why);
    }
    if(!st && a.id && strcmp(why, "privilege expired") == 0) {
      st = acct_set_disabled(db, a.id, 1, "privilege expired");
      if(!st) {
        st = sess_delete_account(db, a.id, NULL);
      }
      if(!st) {
        st = audit_append(db, "system", "user-disable", object,
                          "privilege expired");
      }
    }
    if(!st && locked) {
      st =
        audit_append(db, "system", "lockout", object, "consecutive failures");
    }
    st = finish(db, st);
    throttle_fail(name_key, now);
    throttle_fail(addr_key, now);
    arena_reset(&ar);
    return st ? st : ST_FORBIDDEN;
  }
  {
    /* Decided again inside the write transaction: a lock set by a
     * concurrent failure meanwhile wins over this (stale) success. */
    struct account fresh;
    st = acct_by_id(db, a.id, &ar, &fresh);
    if(!st && (fresh.locked_until > now || fresh.disabled)) {
      st = audit_append(db, "anonymous", "login-failed", object,
                        fresh.disabled ? "disabled" : "locked");
      st = finish(db, st);
      arena_reset(&ar);
      return st ? st : ST_FORBIDDEN;
    }
  }
  /* With a second factor still owed, the failure count stays until that
   * factor is given too (auth_mfa_verify), so that the lock-out also
   * counts wrong codes. */
  if(!st && !a.totp_secret) {
    st = acct_login_ok(db, a.id, now);
  }
  if(!st) {
    struct pw_cost c = cost_of(db);
    if(pw_needs_rehash(a.pw_hash, &c)) {
      char h[PW_HASH_MAX];
      if(!pw_hash(pw, len, &c, h)) {
        st = acct_rehash(db, a.id, h);
      }
    }
  }
  if(!st) {
    st = new_session(db, &a, auth_next_state(db, &a, "mfa", now), now, source,
                     out);
  }
  if(!st) {
    st = audit_append(db, a.login, "login", object, out->state);
  }
  st = finish(db, st);
  if(!st) {
    throttle_clear(name_key);
  }
  arena_reset(&ar);
  return st;
}

enum status auth_change_password(struct db *db, int64_t uid,
                                 const char *current, size_t current_len,
                                 const char *fresh, size_t fresh_len,
                                 int64_t now, const char *keep_cookie,
                                 struct auth_err *err)
{
  struct account a;
  struct arena ar;
  struct pw_policy p = policy_of(db);
  struct pw_cost c = cost_of(db);
  char hash[PW_HASH_MAX];
  const char **recent;
  size_t n, i;
  int keep = (int)setting_int(db, SET_PW_HISTORY);
  enum status st;

  err->msg = M_NONE;
  err->field = NULL;
  arena_init(&ar, 1 << 20);
  st = acct_by_id(db, uid, &ar, &a);
  if(st) {
    arena_reset(&ar);
    return st;
  }
  if(current_len > PW_MAX_BYTES ||
     !pw_verify(a.pw_hash, current, current_len)) {
    err->msg = current_len > PW_MAX_BYTES ? M_PW_TOO_LONG : M_PW_CURRENT;
    err->field = "current";
    arena_reset(&ar);
    return ST_INVALID;
  }
  err->msg = pw_check(&p, fresh, fresh_len, a.login);
  if(err->msg != M_NONE) {
    err->field = "password";
    arena_reset(&ar);
    return ST_INVALID;
  }
  /* Not the current password nor one of the last `keep` before it. */
  st = acct_recent_hashes(db, uid, keep + 1, &ar, &recent, &n);
  for(i = 0; !st && i < n; i++) {
    if(pw_verify(recent[i], fresh, fresh_len)) {
      err->msg = M_PW_REUSED;
      err->field = "password";
      st = ST_INVALID;
    }
  }
  if(!st) {
    st = pw_hash(fresh, fresh_len, &c, hash);
  }
  if(!st && db_begin(db)) {
    st = ST_DB;
  }
  else if(!st) {
    st = acct_set_password(db, uid, hash, now, 0, keep);
    if(!st) {
      unsigned char kh[32];
      int have = is_hex(keep_cookie, 64);
      if(have) {
        sha256(keep_cookie, kh);
      }
      st = sess_delete_others(db, uid, have ? kh : NULL);
    }
    if(!st) {
      st = audit_append(db, a.login, "password-change",
                        arena_printf(&ar, "account/%s", a.login), NULL);
    }
    st = finish(db, st);
  }
  arena_reset(&ar);
  return st;
}

/* 1 if account (privileged) was made from an application whose last
 * day has passed: it may no longer be used (玖.二.(四).1). */
static int priv_expired(struct db *db, int64_t account)
{
  char until[11], today[11];
  today_taipei(today);
  return !preq_until(db, account, until) && strcmp(until, today) < 0;
}

enum status auth_session_check(struct db *db, const char *cookie, int64_t now,
                               struct arena *a, struct session *out, int defer)
{
  unsigned char h[32];
  int64_t idle, max;
  enum status st;
  if(!is_hex(cookie, 64)) {
    return ST_NOTFOUND;
  }
  sha256(cookie, h);
  st = sess_get(db, h, a, out);
  memcpy(out->id_hash, h, sizeof(h));
  out->pending = 0;
  out->end_why = NULL;
  if(st) {
    return st;
  }
  idle = setting_int(db, SET_SESSION_IDLE_MINUTES) * 60;
  max = setting_int(db, SET_SESSION_MAX_HOURS) * 3600;
  if(out->privileged && priv_expired(db, out->account)) {
    out->end_why = "privilege expired";
    out->pending = 2;
    st = ST_CONFLICT;
  }
  else if(now - out->seen_at > idle || now - out->created_at > max ||
          out->disabled) {
    out->end_why = out->disabled             ? "account disabled" :
                   now - out->seen_at > idle ? "idle" :
                                               "lifetime";
    out->pending = 2;
    st = ST_CONFLICT;
  }
  else if(now - out->seen_at >= TOUCH_EVERY) {
    out->pending = 1;
  }
  if(!defer) {
    auth_session_finish(db, out, now);
  }
  return st;
}

void auth_session_finish(struct db *db, const struct session *s, int64_t now)
{
  if(s->pending == 1) {
    sess_touch(db, s->id_hash, now);
  }
  else if(s->pending == 2) {
    char object[80];
    enum status st;
    snprintf(object, sizeof(object), "account/%s", s->login);
    if(!db_begin(db)) {
      st = sess_delete(db, s->id_hash);
      if(!st) {
        st = audit_append(db, "system", "session-end", object, s->end_why);
      }
      finish(db, st);
    }
  }
}

enum status auth_session(struct db *db, const char *cookie, int64_t now,
                         struct arena *a, struct session *out)
{
  return auth_session_check(db, cookie, now, a, out, 0);
}

enum status auth_session_advance(struct db *db, const char *cookie,
                                 int64_t uid, int64_t now, const char *source,
                                 struct login_result *out)
{
  struct account a;
  struct arena ar;
  struct session s;
  unsigned char h[32];
  enum status st;
  memset(out, 0, sizeof(*out));
  if(!is_hex(cookie, 64)) {
    return ST_NOTFOUND;
  }
  sha256(cookie, h);
  arena_init(&ar, 1 << 20);
  if(db_begin(db)) {
    arena_reset(&ar);
    return ST_DB;
  }
  st = sess_get(db, h, &ar, &s);
  if(!st && s.account != uid) {
    st = ST_FORBIDDEN;
  }
  if(!st) {
    st = acct_by_id(db, uid, &ar, &a);
  }
  if(!st) {
    /* The step just done is s.state; the next owed one comes after. */
    int r = state_rank(s.state);
    const char *from = r == 0 ? "change" : r == 1 ? "enroll" : "ok";
    st = sess_delete(db, h);
    if(!st) {
      st = new_session(db, &a, auth_next_state(db, &a, from, now), now, source,
                       out);
    }
  }
  arena_reset(&ar);
  return finish(db, st);
}

enum status auth_logout(struct db *db, const char *cookie, const char *actor)
{
  unsigned char h[32];
  enum status st;
  char object[80];
  if(!is_hex(cookie, 64)) {
    return ST_OK;
  }
  sha256(cookie, h);
  if(db_begin(db)) {
    return ST_DB;
  }
  st = sess_delete(db, h);
  snprintf(object, sizeof(object), "account/%s", actor);
  if(!st) {
    st = audit_append(db, actor, "logout", object, NULL);
  }
  return finish(db, st);
}

enum status auth_logout_all(struct db *db, int64_t uid, const char *actor,
                            int *n)
{
  enum status st;
  char object[80], detail[32];
  if(db_begin(db)) {
    return ST_DB;
  }
  st = sess_delete_account(db, uid, n);
  snprintf(object, sizeof(object), "account/%s", actor);
  snprintf(detail, sizeof(detail), "%d sessions", *n);
  if(!st) {
    st = audit_append(db, actor, "logout-all", object, detail);
  }
  return finish(db, st);
}

enum status auth_mfa_begin(struct db *db, int64_t uid, unsigned char *secret)
{
  totp_secret_new(secret);
  return acct_set_totp_pending(db, uid, secret, TOTP_SECRET_BYTES);
}

/* Make RECOVERY_CODES codes into codes and store their hashes. */
static enum status new_codes(struct db *db, int64_t uid, char *codes)
{
  char hashes[RECOVERY_CODES][RECOVERY_HASH_LEN + 1];
  const char *hp[RECOVERY_CODES];
  size_t i;
  for(i = 0; i < RECOVERY_CODES; i++) {
    char *c = codes + i * (RECOVERY_CODE_LEN + 1);
    recovery_code_new(c);
    if(recovery_code_hash(c, hashes[i])) {
      return ST_INTERNAL;
    }
    hp[i] = hashes[i];
  }
  return rcode_replace(db, uid, hp, RECOVERY_CODES);
}

enum status auth_mfa_confirm(struct db *db, int64_t uid, const char *login,
                             const char *code, int64_t now, char *codes)
{
  unsigned char secret[TOTP_SECRET_BYTES];
  int64_t step = 0;
  int raised;
  char object[80];
  struct account a;
  struct arena ar;
  enum status st;
  arena_init(&ar, 1 << 16);
  st = acct_by_id(db, uid, &ar, &a);
  if(!st && a.totp_secret) {
    st = ST_CONFLICT; /* enrolled already: never replaced this way */
  }
  arena_reset(&ar);
  if(!st) {
    st = acct_totp_pending(db, uid, secret, sizeof(secret));
  }
  if(st) {
    return st;
  }
  if(totp_verify(secret, sizeof(secret), code ? code : "", now, 0, &step)) {
    sodium_memzero(secret, sizeof(secret));
    return ST_FORBIDDEN;
  }
  snprintf(object, sizeof(object), "account/%s", login);
  if(db_begin(db)) {
    sodium_memzero(secret, sizeof(secret));
    return ST_DB;
  }
  st = acct_set_totp(db, uid, secret, sizeof(secret));
  if(!st) {
    st = acct_set_totp_step(db, uid, step, &raised);
  }
  if(!st) {
    st = acct_set_totp_pending(db, uid, NULL, 0);
  }
  if(!st) {
    st = new_codes(db, uid, codes);
  }
  if(!st) {
    st = audit_append(db, login, "mfa-enroll", object, NULL);
  }
  sodium_memzero(secret, sizeof(secret));
  return finish(db, st);
}

enum status auth_mfa_new_codes(struct db *db, int64_t uid, const char *login,
                               char *codes)
{
  char object[80];
  enum status st;
  snprintf(object, sizeof(object), "account/%s", login);
  if(db_begin(db)) {
    return ST_DB;
  }
  st = new_codes(db, uid, codes);
  if(!st) {
    st = audit_append(db, login, "mfa-recovery-codes", object, NULL);
  }
  return finish(db, st);
}

enum status auth_mfa_verify(struct db *db, int64_t uid, const char *login,
                            const char *code, int64_t now)
{
  struct account a;
  struct arena ar;
  char object[80], key[80], canon[RECOVERY_CODE_LEN + 1];
  char hash[RECOVERY_HASH_LEN + 1];
  const char *how = "totp";
  int64_t step = 0;
  int ok = 0, raised = 0, locked = 0;
  enum status st;

  snprintf(object, sizeof(object), "account/%s", login);
  snprintf(key, sizeof(key), "m:%.64s", login);
  if(throttle_wait(key, THROTTLE_FREE_NAME, 60, now)) {
    return ST_TOOBIG;
  }
  arena_init(&ar, 1 << 20);
  st = acct_by_id(db, uid, &ar, &a);
  if(st || !a.totp_secret) {
    arena_reset(&ar);
    return st ? st : ST_NOTFOUND;
  }
  if(a.locked_until > now || a.disabled) {
    arena_reset(&ar);
    return ST_FORBIDDEN;
  }
  if(db_begin(db)) {
    arena_reset(&ar);
    return ST_DB;
  }
  if(code && !recovery_code_normalize(code, canon)) {
    how = "recovery code";
    st = recovery_code_hash(canon, hash);
    if(!st) {
      st = rcode_use(db, uid, hash, now);
      ok = !st;
      if(st == ST_NOTFOUND) {
        st = ST_OK;
      }
    }
  }
  else if(code && !totp_verify(a.totp_secret, a.totp_len, code, now,
                               a.totp_step, &step)) {
    /* The step is raised only if no other request used it meanwhile. */
    st = acct_set_totp_step(db, uid, step, &raised);
    ok = raised;
  }
  if(!st && ok) {
    st = acct_login_ok(db, uid, now);
    if(!st) {
      st = audit_append(db, login, "mfa-ok", object, how);
    }
  }
  else if(!st) {
    int64_t lock_for = setting_int(db, SET_LOCKOUT_MINUTES) * 60;
    st = acct_add_failure(db, uid, (int)setting_int(db, SET_LOCKOUT_THRESHOLD),
                          now + lock_for, &locked);
    if(!st) {
      st = audit_append(db, login, "mfa-failed", object, how);
    }
    if(!st && locked) {
      /* A lock ends every session of the account, this one too. */
      st = sess_delete_account(db, uid, NULL);
      if(!st) {
        st = audit_append(db, "system", "lockout", object,
                          "consecutive failures");
      }
    }
  }
  st = finish(db, st);
  arena_reset(&ar);
  if(st) {
    return st;
  }
  if(!ok) {
    throttle_fail(key, now);
    return ST_FORBIDDEN;
  }
  throttle_clear(key);
  return ST_OK;
}

enum status auth_token_create(struct db *db, int64_t uid, const char *login,
                              const char *name, const char *scope, int days,
                              char *token, int64_t *id, struct auth_err *err)
{
  struct api_token t;
  unsigned char raw[32], h[32];
  int64_t now = time_now();
  enum status st;
  char object[80];
  err->msg = M_NONE;
  err->field = NULL;
  if(!name || !*name) {
    err->msg = M_TOKEN_NAME;
    err->field = "name";
    return ST_INVALID;
  }
  if(!scope || (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0)) {
    err->msg = M_TOKEN_SCOPE;
    err->field = "scope";
    return ST_INVALID;
  }
  if(days < 1 || days > setting_int(db, SET_TOKEN_MAX_DAYS)) {
    err->msg = M_TOKEN_DAYS;
    err->field = "days";
    return ST_INVALID;
  }
  memcpy(token, "isms_", 5);
  randombytes_buf(raw, sizeof(raw));
  sodium_bin2hex(token + 5, 65, raw, sizeof(raw));
  sodium_memzero(raw, sizeof(raw));
  sha256(token, h);
  memset(&t, 0, sizeof(t));
  t.account = uid;
  t.name = name;
  t.scope = scope;
  t.created_at = now;
  t.expires_at = now + (int64_t)days * 86400;
  if(db_begin(db)) {
    return ST_DB;
  }
  st = tok_insert(db, &t, h, id);
  snprintf(object, sizeof(object), "token/%lld", (long long)*id);
  if(!st) {
    st = audit_append(db, login, "token-create", object, scope);
  }
  return finish(db, st);
}

enum status auth_token_revoke(struct db *db, int64_t uid, const char *login,
                              int64_t id)
{
  enum status st;
  char object[80];
  if(db_begin(db)) {
    return ST_DB;
  }
  st = tok_revoke(db, uid, id, time_now());
  snprintf(object, sizeof(object), "token/%lld", (long long)id);
  if(!st) {
    st = audit_append(db, login, "token-revoke", object, NULL);
  }
  return finish(db, st);
}

/* The writes a GET's session check deferred (req.after). */
static void after_session(struct req *r)
{
  auth_session_finish(r->db, r->after_ctx, time_now());
}

/* The last use of an API token, deferred likewise. */
static void after_token(struct req *r)
{
  const int64_t *id = r->after_ctx;
  tok_used(r->db, *id, time_now());
}

/* Sign in by an API token: "Authorization: Bearer isms_<64 hex>". */
static enum guard token_guard(struct req *r, const char *authz, int64_t now)
{
  const char *tok = authz + 7;
  struct api_token t;
  struct account a;
  unsigned char h[32];
  uint64_t mask;
  while(*tok == ' ') {
    tok++;
  }
  if(!(r->route->flags & ROUTE_JSON) || strncmp(tok, "isms_", 5) != 0 ||
     !is_hex(tok + 5, 64)) {
    return GUARD_LOGIN;
  }
  sha256(tok, h);
  if(tok_by_hash(r->db, h, &r->arena, &t) || t.revoked_at ||
     t.expires_at <= now || acct_by_id(r->db, t.account, &r->arena, &a) ||
     a.disabled || (a.privileged && priv_expired(r->db, a.id))) {
    return GUARD_LOGIN;
  }
  mask = RIGHTS_READ_ALL | RIGHT_AUDIT;
  if(strcmp(t.scope, "write") == 0) {
    mask |= RIGHTS_WRITE_ALL;
  }
  r->uid = a.id;
  r->login = a.login;
  r->user_name = a.name;
  r->privileged = a.privileged;
  r->rights = auth_rights_of(&a) & mask;
  r->via_token = 1;
  r->actor = arena_printf(&r->arena, "%s", a.login);
  if(now - t.last_used >= TOUCH_EVERY) {
    int64_t *id = arena_alloc(&r->arena, sizeof(*id));
    if(id && !sqlite3_get_autocommit(db_handle(r->db))) {
      *id = t.id;
      r->after = after_token;
      r->after_ctx = id;
    }
    else {
      tok_used(r->db, t.id, now);
    }
  }
  return GUARD_ALLOW;
}

enum guard auth_guard(struct req *r)
{
  const struct route *rt = r->route;
  const char *authz = req_header(r, "Authorization");
  const char *cookie = req_cookie(r, SESSION_COOKIE);
  const char *state = "ok";
  int64_t now = time_now();
  int area = -1;

  audit_set_source(r->peer[0] ? r->peer : NULL);
  if(!r->db) {
    return rt->perm == PERM_PUBLIC ? GUARD_ALLOW : GUARD_LOGIN;
  }
  if(authz && strncasecmp(authz, "Bearer ", 7) == 0) {
    enum guard g = token_guard(r, authz, now);
    if(g != GUARD_ALLOW) {
      return rt->perm == PERM_PUBLIC ? GUARD_ALLOW : g;
    }
  }
  else if(cookie) {
    struct session *s = arena_alloc(&r->arena, sizeof(*s));
    /* Inside a GET's read transaction nothing is written now: the
     * session's last use or its end waits for the router (r->after). */
    int defer = !sqlite3_get_autocommit(db_handle(r->db));
    enum status st =
      s ? auth_session_check(r->db, cookie, now, &r->arena, s, defer) :
          ST_NOMEM;
    if(s && defer && s->pending) {
      r->after = after_session;
      r->after_ctx = s;
    }
    if(!st) {
      r->uid = s->account;
      r->login = s->login;
      r->user_name = s->name;
      r->privileged = s->privileged;
      r->rights = s->rights;
      r->csrf = s->csrf;
      r->actor = s->login;
      state = s->state;
    }
    else if(st == ST_CONFLICT) {
      r->expired = 1;
    }
  }
  if(rt->perm == PERM_PUBLIC) {
    return GUARD_ALLOW;
  }
  if(!r->uid) {
    return GUARD_LOGIN;
  }
  r->step = auth_step_page(state);
  if(r->step) {
    return rt->perm == PERM_PENDING ? GUARD_ALLOW : GUARD_STEP;
  }
  if((rt->perm == PERM_REG_READ || rt->perm == PERM_REG_WRITE) &&
     auth_reg_area) {
    const char *reg = req_path_param(r, "reg");
    area = reg ? auth_reg_area(reg) : -1;
  }
  return auth_allows(1, r->rights, rt->perm, area) ? GUARD_ALLOW : GUARD_DENY;
}
