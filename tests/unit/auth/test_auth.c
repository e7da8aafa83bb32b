/*
 * test_auth.c: unit tests for auth/auth.c on a temporary database: the
 * checks of account creation (user IDs, names, roles, privileged accounts
 * and their owners, unique IDs), sign-in with the injectable clock (the
 * one-time password must be changed, privileged accounts enrol MFA, the
 * last three passwords are not reused, passwords expire after 90 days,
 * five consecutive failures lock for 15 minutes, guessing is slowed the
 * same way for known and unknown names, disabled accounts stay out),
 * the audit rows of all that, sessions (15 minutes idle, 12 hours in
 * all, log out everywhere, a new identifier at each step) and API tokens
 * (only their SHA-256 is stored).  Expectations come from the plan
 * (玖.二) and the seeded settings, not from the code.
 * Depends on cmocka, auth/{auth,audit,password,throttle}, db/{db,settings},
 * core/{arena,buf,time} and libsodium.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "auth/throttle.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "db/db.h"
#include "db/settings.h"

/* The client address of every sign-in (TEST-NET-1). */
#define SRC "192.0.2.1"

/* The plan's numbers (玖.二 and 附表十), as seeded in the settings. */
#define IDLE     (15 * 60)
#define LIFETIME (12 * 3600)
#define MAX_AGE  (90 * 86400)
#define LOCK     (15 * 60)

/* A string and its length. */
#define PW(s) (s), strlen(s)

/* Passwords that meet the plan's rules (8 characters, 3 classes). */
static const char *const good[] = {
  "Spring#2026",  "Summer#2026",  "Autumn#2026", "Winter#2026",
  "Typhoon#2027", "Monsoon#2027", "Plum.Rain88",
};

/* The per-test temporary directory and its open database. */
struct fixture {
  char dir[64];
  char path[128];
  struct db *db;
  int64_t t0; /* the clock at the start */
};

/* Store setting name = value in a transaction of its own. */
static void set(struct db *db, const char *name, const char *value)
{
  const struct setting_decl *d = setting_find(name);
  enum msg why;

  assert_non_null(d);
  assert_int_equal(setting_check(d, value, &why), ST_OK);
  assert_int_equal(db_begin(db), ST_OK);
  assert_int_equal(setting_store(db, d, value, "test"), ST_OK);
  assert_int_equal(db_commit(db), ST_OK);
}

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof(*f));
  struct buf why;

  if(!f) {
    return -1;
  }
  snprintf(f->dir, sizeof(f->dir), "/tmp/isms-test-auth-XXXXXX");
  if(!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  snprintf(f->path, sizeof(f->path), "%s/isms.db", f->dir);
  buf_init(&why, 4096);
  if(db_open(f->path, DB_CREATE | DB_MIGRATE, &f->db, &why) != ST_OK) {
    print_error("db_open: %s\n", why.data);
    buf_free(&why);
    rmdir(f->dir);
    free(f);
    return -1;
  }
  buf_free(&why);
  /* Cheap hashing: the cost is a setting, and tests hash a lot. */
  set(f->db, "password-hash-memory-kib", "8192");
  set(f->db, "password-hash-ops", "1");
  throttle_reset();
  f->t0 = time_now();
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  DIR *d;
  struct dirent *e;

  db_close(f->db);
  d = opendir(f->dir);
  while(d && (e = readdir(d)) != NULL) {
    char p[512];
    if(strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
      continue;
    }
    snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
    unlink(p);
  }
  if(d) {
    closedir(d);
  }
  rmdir(f->dir);
  free(f);
  return 0;
}

/* ---- helpers ---- */

/* One integer from sql with up to three text parameters (NULL binds
 * NULL). */
static int64_t sql_int(struct db *db, const char *sql, const char *a,
                       const char *b, const char *c)
{
  sqlite3_stmt *st;
  int64_t v = -1;

  assert_int_equal(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, c, -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return v;
}

/* Number of audit rows with action, actor and object (NULL: any). */
static int64_t audit_rows(struct db *db, const char *action, const char *actor,
                          const char *object)
{
  return sql_int(db,
                 "SELECT count(*) FROM audit_event WHERE action = ?1"
                 " AND (?2 IS NULL OR actor = ?2)"
                 " AND (?3 IS NULL OR object = ?3)",
                 action, actor, object);
}

/* Same, with the detail too. */
static int64_t audit_rows_detail(struct db *db, const char *action,
                                 const char *actor, const char *detail)
{
  return sql_int(db,
                 "SELECT count(*) FROM audit_event WHERE action = ?1"
                 " AND actor = ?2 AND detail = ?3",
                 action, actor, detail);
}

/* Create login (privileged or not, owned by owner) with one role (or
 * none); the one-time password goes to otp[OTP_LEN + 1]. */
static int64_t add(struct db *db, const char *login, int privileged,
                   const char *role, char *otp)
{
  const char *roles[1] = { role };
  struct new_account in;
  struct auth_err err;
  int64_t id = 0;
  enum status st;

  memset(&in, 0, sizeof(in));
  in.login = login;
  in.name = login;
  in.privileged = privileged;
  in.roles = roles;
  in.n_roles = role ? 1 : 0;
  st = auth_user_add(db, &in, "test", otp, &id, &err);
  if(st) {
    print_error("auth_user_add(%s): status %d, msg %d\n", login, st,
                (int)err.msg);
  }
  assert_int_equal(st, ST_OK);
  assert_true(id > 0);
  assert_int_equal(strlen(otp), OTP_LEN);
  return id;
}

/* Sign in (throttle forgotten first, so that only the account's own
 * rules decide). */
static enum status login_at(struct db *db, const char *login, const char *pw,
                            int64_t now, struct login_result *res)
{
  throttle_reset();
  return auth_login(db, login, PW(pw), SRC, now, res);
}

/* Create a non-privileged login with role and make pw its password at
 * now (first sign-in with the one-time password, then the change). */
static int64_t ready(struct db *db, const char *login, const char *role,
                     const char *pw, int64_t now)
{
  char otp[OTP_LEN + 1];
  struct login_result res;
  struct auth_err err;
  int64_t id = add(db, login, 0, role, otp);

  assert_int_equal(login_at(db, login, otp, now, &res), ST_OK);
  assert_string_equal(res.state, "change");
  assert_int_equal(res.uid, id);
  assert_int_equal(
    auth_change_password(db, id, PW(otp), PW(pw), now, NULL, &err), ST_OK);
  return id;
}

/* The session of cookie at now: its status, and its state in state
 * (when st is ST_OK; else ""). */
static enum status session_at(struct db *db, const char *cookie, int64_t now,
                              char *state)
{
  struct arena a;
  struct session s;
  enum status st;

  arena_init(&a, 1 << 16);
  st = auth_session(db, cookie, now, &a, &s);
  snprintf(state, 16, "%s", st ? "" : s.state);
  arena_reset(&a);
  return st;
}

/* ---- account creation ---- */

/* 0 if auth_user_add(in) is refused with ST_INVALID and want; else 1,
 * with a note of what came instead. */
static int refused(struct db *db, const struct new_account *in, enum msg want,
                   const char *what)
{
  char otp[OTP_LEN + 1];
  struct auth_err err;
  int64_t id = 0;
  enum status st = auth_user_add(db, in, "test", otp, &id, &err);

  if(st == ST_INVALID && err.msg == want) {
    return 0;
  }
  print_error("%s: auth_user_add gave status %d, message %d; want %d, %d\n",
              what, st, (int)err.msg, ST_INVALID, (int)want);
  return 1;
}

static void test_user_add_checks(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  static const char *const bad_logins[] = {
    "a",
    "",
    "with space",
    "slash/name",
    "semi;colon",
    "quote'",
    "ünicode",
    "通行碼",
    "tab\tname",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  };
  const char *admin[] = { "admin" }, *officer[] = { "officer" };
  const char *nosuch[] = { "root" };
  char otp[OTP_LEN + 1], name[202];
  struct new_account in;
  struct auth_err err;
  struct arena ar;
  struct account acct;
  int64_t id, alice, ciso_id, req;
  size_t i;
  int bad = 0;

  (void)state;
  memset(&in, 0, sizeof(in));
  in.name = "Test";
  in.roles = officer;
  in.n_roles = 1;

  /* User IDs: 2–64 of [A-Za-z0-9._@-]. */
  assert_int_equal(strlen(bad_logins[9]), 65);
  for(i = 0; i < sizeof(bad_logins) / sizeof(bad_logins[0]); i++) {
    in.login = bad_logins[i];
    err.msg = M_NONE;
    if(auth_user_add(db, &in, "test", otp, &id, &err) != ST_INVALID ||
       err.msg != M_ACCT_BAD_LOGIN) {
      print_error("login \"%s\" was not refused as a bad user ID\n",
                  bad_logins[i]);
      fail();
    }
    assert_string_equal(err.field, "login");
  }
  in.login = NULL;
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_INVALID);
  assert_int_equal(err.msg, M_ACCT_BAD_LOGIN);

  /* A name is required (and at most 200 bytes). */
  in.login = "nameless";
  in.name = NULL;
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_INVALID);
  assert_int_equal(err.msg, M_ACCT_BAD_NAME);
  in.name = "";
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_INVALID);
  assert_int_equal(err.msg, M_ACCT_BAD_NAME);
  memset(name, 'n', 201);
  name[201] = 0;
  in.name = name;
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_INVALID);
  assert_int_equal(err.msg, M_ACCT_BAD_NAME);
  in.name = "Test";

  /* Roles must exist; admin is for privileged accounts only. */
  in.roles = nosuch;
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_INVALID);
  assert_int_equal(err.msg, M_ACCT_BAD_ROLE);
  in.roles = admin;
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_INVALID);
  assert_int_equal(err.msg, M_ACCT_ROLE_NEEDS_PRIV);
  /* Nothing was created by any refusal. */
  assert_int_equal(
    sql_int(db, "SELECT count(*) FROM account", NULL, NULL, NULL), 0);

  /* Even the first account is refused an owner that does not exist. */
  in.login = "root";
  in.privileged = 1;
  in.roles = admin;
  in.owner = "nobody";
  bad += refused(db, &in, M_ACCT_BAD_OWNER, "first account, unknown owner");
  in.privileged = 0;
  in.owner = NULL;
  /* The first account may be privileged and stand alone (isms init). */
  if(sql_int(db, "SELECT count(*) FROM account", NULL, NULL, NULL) == 0) {
    add(db, "root", 1, "admin", otp);
  }
  arena_init(&ar, 1 << 16);
  assert_int_equal(acct_by_login(db, "root", &ar, &acct), ST_OK);
  assert_int_equal(acct.privileged, 1);
  assert_string_equal(acct.roles, "admin");
  assert_int_equal(acct.pw_preset, 1);
  arena_reset(&ar);
  assert_int_equal(audit_rows(db, "user-add", "test", "account/root"), 1);

  /* Once an account exists, a privileged one needs an owner. */
  in.login = "root2";
  in.privileged = 1;
  in.roles = admin;
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_INVALID);
  assert_int_equal(err.msg, M_ACCT_NEED_OWNER);

  alice = add(db, "alice", 0, "officer", otp);
  ciso_id = add(db, "chief", 0, "ciso", otp);

  /* The owner is an existing, enabled, non-privileged account. */
  in.login = "alice-adm";
  in.owner = "root";
  bad += refused(db, &in, M_ACCT_BAD_OWNER, "privileged owner");
  in.owner = "nobody";
  bad += refused(db, &in, M_ACCT_BAD_OWNER, "unknown owner");
  /* A good owner is not enough: an approved application is needed. */
  in.owner = "alice";
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_INVALID);
  assert_int_equal(err.msg, M_ACCT_NEED_REQUEST);
  {
    struct date d = time_taipei_date(time_now());
    char until[16];
    snprintf(until, sizeof(until), "%04d-%02d-%02d", d.year, d.month, d.day);
    assert_int_equal(auth_priv_apply(db, alice, "alice", "alice-adm",
                                     "quarterly patching", until, &req, &err),
                     ST_OK);
    /* Nobody approves their own application. */
    assert_int_equal(auth_priv_decide(db, req, 1, "alice", alice, "", &err),
                     ST_FORBIDDEN);
    assert_int_equal(
      auth_priv_decide(db, req, 1, "chief", ciso_id, "approved", &err), ST_OK);
  }
  in.request = req;
  in.login = "alice-other"; /* not the user ID applied for */
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_INVALID);
  assert_int_equal(err.msg, M_ACCT_NEED_REQUEST);
  in.login = "alice-adm";
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_OK);
  assert_true(id > 0);
  arena_init(&ar, 1 << 16);
  assert_int_equal(acct_by_login(db, "alice-adm", &ar, &acct), ST_OK);
  assert_int_equal(acct.privileged, 1);
  assert_int_equal(acct.owner, alice);
  arena_reset(&ar);

  /* A disabled account owns nothing new. */
  assert_int_equal(auth_set_disabled(db, "chief", 1, "left", "test", &err),
                   ST_OK);
  in.owner = "chief";
  in.login = "chief-adm";
  bad += refused(db, &in, M_ACCT_BAD_OWNER, "disabled owner");

  /* One user ID per person: taken in any case. */
  memset(&in, 0, sizeof(in));
  in.name = "Other Alice";
  in.roles = officer;
  in.n_roles = 1;
  in.login = "alice";
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err),
                   ST_CONFLICT);
  assert_int_equal(err.msg, M_ACCT_LOGIN_TAKEN);
  in.login = "ALICE";
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err),
                   ST_CONFLICT);
  assert_int_equal(err.msg, M_ACCT_LOGIN_TAKEN);
  /* The owner checks, reported together above. */
  assert_int_equal(bad, 0);
}

static void test_roles_twice(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  const char *twice[] = { "staff", "staff" };
  char otp[OTP_LEN + 1];
  struct new_account in;
  struct auth_err err;
  struct arena ar;
  struct account a;
  int64_t id = 0;

  /* A role named twice is held once (auth_user_add: "the same role
   * twice"); granting a held role changes nothing (auth_grant). */
  memset(&in, 0, sizeof(in));
  in.login = "rita";
  in.name = "Rita";
  in.roles = twice;
  in.n_roles = 2;
  assert_int_equal(auth_user_add(db, &in, "test", otp, &id, &err), ST_OK);
  assert_int_equal(auth_grant(db, "rita", "auditor", 1, "test", &err), ST_OK);
  assert_int_equal(auth_grant(db, "rita", "auditor", 1, "test", &err), ST_OK);
  arena_init(&ar, 1 << 16);
  assert_int_equal(acct_by_login(db, "rita", &ar, &a), ST_OK);
  assert_non_null(strstr(a.roles, "auditor"));
  assert_non_null(strstr(a.roles, "staff"));
  arena_reset(&ar);
  assert_int_equal(auth_grant(db, "rita", "admin", 1, "test", &err),
                   ST_INVALID);
  assert_int_equal(err.msg, M_ACCT_ROLE_NEEDS_PRIV);
}

/* ---- sign-in ---- */

static void test_first_sign_in(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t now = f->t0, root, bob;
  char otp_root[OTP_LEN + 1], otp_bob[OTP_LEN + 1];
  struct login_result res;
  struct auth_err err;

  root = add(db, "root", 1, "admin", otp_root);
  bob = add(db, "bob", 0, "staff", otp_bob);

  /* The one-time password works once, for the change (玖.二.(二).1.(3)). */
  assert_int_equal(login_at(db, "bob", otp_bob, now, &res), ST_OK);
  assert_int_equal(res.uid, bob);
  assert_string_equal(res.state, "change");
  assert_int_equal(strlen(res.cookie), 64);
  assert_int_equal(strlen(res.csrf), 32);
  /* Until it is changed, every sign-in still owes the change. */
  assert_int_equal(login_at(db, "bob", otp_bob, now + 60, &res), ST_OK);
  assert_string_equal(res.state, "change");

  /* The new password must meet the rules and differ from the old. */
  assert_int_equal(auth_change_password(db, bob, PW("wrong-current"),
                                        PW(good[0]), now, NULL, &err),
                   ST_INVALID);
  assert_int_equal(err.msg, M_PW_CURRENT);
  assert_int_equal(
    auth_change_password(db, bob, PW(otp_bob), PW("Short1!"), now, NULL, &err),
    ST_INVALID);
  assert_int_equal(err.msg, M_PW_TOO_SHORT);
  assert_int_equal(auth_change_password(db, bob, PW(otp_bob),
                                        PW("alllowercase"), now, NULL, &err),
                   ST_INVALID);
  assert_int_equal(err.msg, M_PW_CLASSES);
  assert_int_equal(
    auth_change_password(db, bob, PW(otp_bob), PW("BOB.bob"), now, NULL, &err),
    ST_INVALID);
  assert_int_equal(err.msg, M_PW_TOO_SHORT);
  assert_int_equal(
    auth_change_password(db, bob, PW(otp_bob), PW(otp_bob), now, NULL, &err),
    ST_INVALID);
  assert_int_equal(err.msg, M_PW_REUSED);
  assert_int_equal(
    auth_change_password(db, bob, PW(otp_bob), PW(good[0]), now, NULL, &err),
    ST_OK);

  /* The one-time password is gone; the new one signs in fully. */
  assert_int_equal(login_at(db, "bob", otp_bob, now + 120, &res),
                   ST_FORBIDDEN);
  assert_int_equal(login_at(db, "bob", good[0], now + 180, &res), ST_OK);
  assert_string_equal(res.state, "ok");

  /* A privileged account without TOTP must enrol next. */
  assert_int_equal(login_at(db, "root", otp_root, now, &res), ST_OK);
  assert_string_equal(res.state, "change");
  assert_int_equal(
    auth_change_password(db, root, PW(otp_root), PW(good[1]), now, NULL, &err),
    ST_OK);
  assert_int_equal(login_at(db, "root", good[1], now + 60, &res), ST_OK);
  assert_string_equal(res.state, "enroll");

  /* Audit: sign-ins and changes by the person, the failure anonymous. */
  assert_int_equal(audit_rows(db, "login", "bob", "account/bob"), 3);
  assert_int_equal(audit_rows(db, "password-change", "bob", "account/bob"), 1);
  assert_int_equal(audit_rows(db, "password-change", "root", "account/root"),
                   1);
  assert_int_equal(audit_rows(db, "login-failed", "anonymous", "account/bob"),
                   1);
  assert_int_equal(audit_rows_detail(db, "login", "root", "enroll"), 1);
  /* The password appears in no audit row. */
  assert_int_equal(sql_int(db,
                           "SELECT count(*) FROM audit_event WHERE"
                           " instr(coalesce(detail, '') || coalesce(object,"
                           " '') || actor, ?1) > 0"
                           " OR instr(coalesce(detail, '') ||"
                           " coalesce(object, '') || actor, ?2) > 0",
                           good[0], otp_bob, NULL),
                   0);
}

static void test_login_case(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t now = f->t0, uid;
  struct login_result res;

  uid = ready(db, "quinn", "staff", good[0], now);
  /* The user ID is not case-sensitive (one ID per person, COLLATE
   * NOCASE): "QUINN" is quinn. */
  assert_int_equal(login_at(db, "QUINN", good[0], now + 1, &res), ST_OK);
  assert_int_equal(res.uid, uid);
  assert_int_equal(login_at(db, "Quinn", "Wrong#pass1", now + 2, &res),
                   ST_FORBIDDEN);
  /* The audit rows name the account as it is, so that the trail of one
   * account can be read by its object. */
  assert_int_equal(audit_rows(db, "login", "quinn", "account/quinn"), 2);
  assert_int_equal(
    audit_rows(db, "login-failed", "anonymous", "account/quinn"), 1);
}

static void test_change_password_rules(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t now = f->t0;
  int64_t id = ready(db, "kate.lee9", "staff", good[0], now);
  struct auth_err err;

  /* The user ID as password, in another case (玖.二.(二).2 and the
   * header: not the same as the user ID). */
  assert_int_equal(auth_change_password(db, id, PW(good[0]), PW("Kate.Lee9"),
                                        now, NULL, &err),
                   ST_INVALID);
  assert_int_equal(err.msg, M_PW_IS_LOGIN);
  /* Control characters and bad UTF-8 never become a password. */
  assert_int_equal(auth_change_password(db, id, PW(good[0]), "Abcd\tefg1", 9,
                                        now, NULL, &err),
                   ST_INVALID);
  assert_int_equal(err.msg, M_PW_CONTROL);
  assert_int_equal(auth_change_password(db, id, PW(good[0]), "Abcdefg1\xff", 9,
                                        now, NULL, &err),
                   ST_INVALID);
  assert_int_equal(err.msg, M_PW_BAD_UTF8);
  /* The policy is the setting's: 12 characters from now on. */
  set(db, "password-min-length", "12");
  assert_int_equal(auth_change_password(db, id, PW(good[0]),
                                        PW("Spring#20261"), now, NULL, &err),
                   ST_OK);
  assert_int_equal(auth_change_password(db, id, PW("Spring#20261"),
                                        PW(good[1]), now, NULL, &err),
                   ST_INVALID);
  assert_int_equal(err.msg, M_PW_TOO_SHORT);
}

static void test_password_history(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t now = f->t0, id;
  struct auth_err err;
  struct login_result res;
  size_t i;

  assert_int_equal(setting_int(db, SET_PW_HISTORY), 3);
  /* good[0] … good[4] in turn: good[4] is current. */
  id = ready(db, "carl", "staff", good[0], now);
  for(i = 1; i <= 4; i++) {
    assert_int_equal(auth_change_password(db, id, PW(good[i - 1]), PW(good[i]),
                                          now + (int64_t)i, NULL, &err),
                     ST_OK);
  }
  /* The current one and the last three before it: refused
   * (玖.二.(二).1.(4): not one of the previous 3). */
  for(i = 1; i <= 4; i++) {
    err.msg = M_NONE;
    if(auth_change_password(db, id, PW(good[4]), PW(good[i]), now + 10, NULL,
                            &err) != ST_INVALID ||
       err.msg != M_PW_REUSED) {
      print_error("reusing %s (%zu changes ago) was not refused\n", good[i],
                  4 - i);
      fail();
    }
  }
  /* The fourth-last is allowed again. */
  assert_int_equal(auth_change_password(db, id, PW(good[4]), PW(good[0]),
                                        now + 20, NULL, &err),
                   ST_OK);
  assert_int_equal(login_at(db, "carl", good[0], now + 30, &res), ST_OK);
  assert_string_equal(res.state, "ok");
  /* And now good[1] is the fourth-last. */
  assert_int_equal(auth_change_password(db, id, PW(good[0]), PW(good[2]),
                                        now + 40, NULL, &err),
                   ST_INVALID);
  assert_int_equal(err.msg, M_PW_REUSED);
  assert_int_equal(auth_change_password(db, id, PW(good[0]), PW(good[1]),
                                        now + 50, NULL, &err),
                   ST_OK);
  assert_int_equal(audit_rows(db, "password-change", "carl", "account/carl"),
                   7);
}

static void test_password_expiry(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t set_at = f->t0;
  struct login_result res;

  ready(db, "dora", "staff", good[0], set_at);
  assert_int_equal(login_at(db, "dora", good[0], set_at + MAX_AGE, &res),
                   ST_OK);
  assert_string_equal(res.state, "ok");
  /* After 90 days the first sign-in must change it (玖.二.(二).1.(4)). */
  assert_int_equal(login_at(db, "dora", good[0], set_at + MAX_AGE + 1, &res),
                   ST_OK);
  assert_string_equal(res.state, "change");
  assert_int_equal(login_at(db, "dora", good[0], set_at + 2 * MAX_AGE, &res),
                   ST_OK);
  assert_string_equal(res.state, "change");
}

static void test_lockout(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t now = f->t0, t5;
  struct login_result res;
  char st5[16];
  int i;

  assert_int_equal(setting_int(db, SET_LOCKOUT_THRESHOLD), 5);
  assert_int_equal(setting_int(db, SET_LOCKOUT_MINUTES), 15);
  ready(db, "erin", "staff", good[0], now);

  /* Failures must be consecutive: a success in between starts over. */
  for(i = 0; i < 4; i++) {
    assert_int_equal(login_at(db, "erin", "Wrong#pass1", now + i, &res),
                     ST_FORBIDDEN);
  }
  assert_int_equal(login_at(db, "erin", good[0], now + 10, &res), ST_OK);
  for(i = 0; i < 4; i++) {
    assert_int_equal(login_at(db, "erin", "Wrong#pass1", now + 20 + i, &res),
                     ST_FORBIDDEN);
  }
  assert_int_equal(login_at(db, "erin", good[0], now + 30, &res), ST_OK);
  assert_int_equal(audit_rows(db, "lockout", NULL, NULL), 0);

  /* Five in a row lock the account (附表十: at most 5, at least 15
   * minutes): even the right password is refused. */
  now += 100;
  for(i = 0; i < 5; i++) {
    assert_int_equal(login_at(db, "erin", "Wrong#pass1", now + i, &res),
                     ST_FORBIDDEN);
  }
  t5 = now + 4;
  assert_int_equal(audit_rows(db, "lockout", "system", "account/erin"), 1);
  assert_int_equal(login_at(db, "erin", good[0], t5 + 1, &res), ST_FORBIDDEN);
  assert_int_equal(res.cookie[0], 0);
  assert_int_equal(login_at(db, "erin", good[0], t5 + LOCK - 1, &res),
                   ST_FORBIDDEN);
  assert_int_equal(
    audit_rows_detail(db, "login-failed", "anonymous", "locked"), 2);
  /* The lock ends after 15 minutes. */
  assert_int_equal(login_at(db, "erin", good[0], t5 + LOCK + 1, &res), ST_OK);
  assert_string_equal(res.state, "ok");
  assert_int_equal(session_at(db, res.cookie, t5 + LOCK + 1, st5), ST_OK);
  /* And the count started over. */
  assert_int_equal(login_at(db, "erin", "Wrong#pass1", t5 + LOCK + 2, &res),
                   ST_FORBIDDEN);
  assert_int_equal(login_at(db, "erin", good[0], t5 + LOCK + 3, &res), ST_OK);
  /* The rows: 4 + 4 + 5 + 1 wrong passwords, all anonymous. */
  assert_int_equal(
    audit_rows_detail(db, "login-failed", "anonymous", "wrong password"), 14);
  assert_int_equal(audit_rows(db, "lockout", "system", "account/erin"), 1);
  assert_int_equal(audit_rows(db, "login", "erin", "account/erin"), 5);
}

static void test_throttle(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t now = f->t0 + 1000;
  struct login_result res;
  int i, wait_known, wait_unknown;

  ready(db, "fred", "staff", good[0], f->t0);
  throttle_reset();
  /* THROTTLE_FREE_NAME failures come without delay … */
  for(i = 0; i < THROTTLE_FREE_NAME; i++) {
    assert_int_equal(auth_login(db, "fred", PW("Wrong#pass1"), SRC, now, &res),
                     ST_FORBIDDEN);
    assert_int_equal(
      auth_login(db, "ghost", PW("Wrong#pass1"), "192.0.2.2", now, &res),
      ST_FORBIDDEN);
  }
  /* … then the next attempt has to wait, known or unknown name alike
   * (no account enumeration), even with the right password. */
  assert_int_equal(auth_login(db, "fred", PW(good[0]), SRC, now, &res),
                   ST_TOOBIG);
  wait_known = res.wait;
  assert_true(wait_known > 0);
  assert_int_equal(res.cookie[0], 0);
  assert_int_equal(
    auth_login(db, "ghost", PW("Wrong#pass1"), "192.0.2.2", now, &res),
    ST_TOOBIG);
  wait_unknown = res.wait;
  assert_true(wait_unknown > 0);
  assert_int_equal(wait_known, wait_unknown);
  /* The name is throttled, whatever the address and the case. */
  assert_int_equal(
    auth_login(db, "FRED", PW(good[0]), "198.51.100.9", now, &res), ST_TOOBIG);
  /* After the wait, the right password goes through. */
  assert_int_equal(
    auth_login(db, "fred", PW(good[0]), SRC, now + wait_known, &res), ST_OK);
  /* The delay grows with more failures (for the unknown name too). */
  now += 10;
  assert_int_equal(
    auth_login(db, "ghost", PW("Wrong#pass1"), "192.0.2.2", now, &res),
    ST_FORBIDDEN);
  assert_int_equal(
    auth_login(db, "ghost", PW("Wrong#pass1"), "192.0.2.2", now, &res),
    ST_TOOBIG);
  assert_true(res.wait > wait_unknown);
  /* A throttled attempt writes nothing (it never reached the account). */
  assert_int_equal(
    audit_rows(db, "login-failed", "anonymous", "account/ghost"),
    THROTTLE_FREE_NAME + 1);
}

static void test_disabled(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t now = f->t0;
  struct login_result res;
  struct auth_err err;
  char st[16], cookie[65];

  ready(db, "gina", "staff", good[0], now);
  assert_int_equal(login_at(db, "gina", good[0], now, &res), ST_OK);
  memcpy(cookie, res.cookie, sizeof(cookie));
  assert_int_equal(
    auth_set_disabled(db, "gina", 1, "left the agency", "root", &err), ST_OK);
  /* Disabling ends the session and keeps the person out. */
  assert_int_equal(session_at(db, cookie, now + 1, st), ST_NOTFOUND);
  assert_int_equal(login_at(db, "gina", good[0], now + 2, &res), ST_FORBIDDEN);
  assert_int_equal(res.cookie[0], 0);
  assert_int_equal(
    audit_rows_detail(db, "login-failed", "anonymous", "disabled"), 1);
  assert_int_equal(audit_rows(db, "user-disable", "root", "account/gina"), 1);
  /* The same answer as for a wrong password (STYLE.md C10). */
  assert_int_equal(login_at(db, "gina", "Wrong#pass1", now + 3, &res),
                   ST_FORBIDDEN);
  /* Enabled again, the account signs in. */
  assert_int_equal(auth_set_disabled(db, "gina", 0, NULL, "root", &err),
                   ST_OK);
  assert_int_equal(login_at(db, "gina", good[0], now + 4, &res), ST_OK);
}

static void test_login_too_long(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  struct login_result res;
  char *pw = malloc(PW_MAX_BYTES + 1);

  assert_non_null(pw);
  memset(pw, 'a', PW_MAX_BYTES + 1);
  ready(db, "hana", "staff", good[0], f->t0);
  throttle_reset();
  assert_int_equal(
    auth_login(db, "hana", pw, PW_MAX_BYTES + 1, SRC, f->t0, &res),
    ST_INVALID);
  free(pw);
}

static void test_rehash_at_sign_in(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  struct login_result res;
  struct arena ar;
  struct account a;

  ready(db, "ivan", "staff", good[0], f->t0);
  arena_init(&ar, 1 << 16);
  assert_int_equal(acct_by_login(db, "ivan", &ar, &a), ST_OK);
  assert_non_null(strstr(a.pw_hash, "$m=8192,t=1,p=1$"));
  arena_reset(&ar);
  /* The cost is raised: the old hash still signs in, and is replaced. */
  set(db, "password-hash-ops", "2");
  assert_int_equal(login_at(db, "ivan", good[0], f->t0 + 1, &res), ST_OK);
  assert_int_equal(acct_by_login(db, "ivan", &ar, &a), ST_OK);
  assert_non_null(strstr(a.pw_hash, "$m=8192,t=2,p=1$"));
  arena_reset(&ar);
  assert_int_equal(login_at(db, "ivan", good[0], f->t0 + 2, &res), ST_OK);
  assert_int_equal(login_at(db, "ivan", good[1], f->t0 + 3, &res),
                   ST_FORBIDDEN);
}

/* ---- sessions ---- */

static void test_session_idle(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t t = f->t0;
  struct login_result a, b, c;
  char st[16];

  assert_int_equal(setting_int(db, SET_SESSION_IDLE_MINUTES), 15);
  ready(db, "jack", "staff", good[0], t);
  assert_int_equal(login_at(db, "jack", good[0], t, &a), ST_OK);
  assert_int_equal(login_at(db, "jack", good[0], t, &b), ST_OK);
  assert_int_equal(login_at(db, "jack", good[0], t, &c), ST_OK);
  assert_string_not_equal(a.cookie, b.cookie);

  /* 15 minutes without use: still there (玖.二.(三).3: more than 15). */
  assert_int_equal(session_at(db, a.cookie, t + IDLE, st), ST_OK);
  assert_string_equal(st, "ok");
  /* Use counts: 15 more minutes from the last use. */
  assert_int_equal(session_at(db, a.cookie, t + 2 * IDLE, st), ST_OK);
  /* More than 15 minutes without use: gone, and stays gone. */
  assert_int_equal(session_at(db, b.cookie, t + IDLE + 31, st), ST_CONFLICT);
  assert_int_equal(session_at(db, b.cookie, t + IDLE + 32, st), ST_NOTFOUND);
  assert_int_equal(session_at(db, c.cookie, t + IDLE + 1, st), ST_CONFLICT);
  assert_int_equal(audit_rows_detail(db, "session-end", "system", "idle"), 2);
  /* Not a cookie at all. */
  assert_int_equal(session_at(db, "not-a-cookie", t, st), ST_NOTFOUND);
  assert_int_equal(session_at(db, "", t, st), ST_NOTFOUND);
  /* The right form, but no such session. */
  assert_int_equal(session_at(db,
                              "0123456789abcdef0123456789abcdef"
                              "0123456789abcdef0123456789abcdef",
                              t, st),
                   ST_NOTFOUND);
}

static void test_session_lifetime(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t t = f->t0;
  struct login_result a, b;
  char st[16];
  int k;

  assert_int_equal(setting_int(db, SET_SESSION_MAX_HOURS), 12);
  ready(db, "kim", "staff", good[0], t);
  assert_int_equal(login_at(db, "kim", good[0], t, &a), ST_OK);
  assert_int_equal(login_at(db, "kim", good[0], t, &b), ST_OK);
  /* Used every 10 minutes, it lasts 12 hours and no more. */
  for(k = 1; k * 600 <= LIFETIME; k++) {
    enum status s1 = session_at(db, a.cookie, t + k * 600, st);
    enum status s2 = session_at(db, b.cookie, t + k * 600, st);
    if(s1 || s2) {
      print_error("session ended after %d minutes of use\n", k * 10);
      fail();
    }
  }
  assert_int_equal(session_at(db, a.cookie, t + LIFETIME + 1, st),
                   ST_CONFLICT);
  assert_int_equal(session_at(db, b.cookie, t + LIFETIME + 600, st),
                   ST_CONFLICT);
  assert_int_equal(session_at(db, a.cookie, t + LIFETIME + 2, st),
                   ST_NOTFOUND);
  assert_int_equal(audit_rows_detail(db, "session-end", "system", "lifetime"),
                   2);
}

static void test_logout_all(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t t = f->t0, uid, before;
  struct login_result s[3], other;
  static const char count_sql[] = "SELECT count(*) FROM session s JOIN account"
                                  " a ON a.id = s.account WHERE a.login = ?1";
  char st[16];
  int i, n = -1;

  uid = ready(db, "lena", "staff", good[0], t);
  ready(db, "mona", "staff", good[0], t);
  for(i = 0; i < 3; i++) {
    assert_int_equal(login_at(db, "lena", good[0], t + i, &s[i]), ST_OK);
  }
  assert_int_equal(login_at(db, "mona", good[0], t, &other), ST_OK);
  /* Three here, and the one of the first sign-in (ready()). */
  before = sql_int(db, count_sql, "lena", NULL, NULL);
  assert_true(before >= 3);
  assert_int_equal(auth_logout_all(db, uid, "lena", &n), ST_OK);
  assert_int_equal(n, before);
  assert_int_equal(sql_int(db, count_sql, "lena", NULL, NULL), 0);
  for(i = 0; i < 3; i++) {
    assert_int_equal(session_at(db, s[i].cookie, t + 10, st), ST_NOTFOUND);
  }
  /* Someone else's session is untouched. */
  assert_int_equal(session_at(db, other.cookie, t + 10, st), ST_OK);
  assert_int_equal(audit_rows(db, "logout-all", "lena", "account/lena"), 1);
  /* Logging out one session ends that one only. */
  assert_int_equal(login_at(db, "lena", good[0], t + 20, &s[0]), ST_OK);
  assert_int_equal(login_at(db, "lena", good[0], t + 20, &s[1]), ST_OK);
  assert_int_equal(auth_logout(db, s[0].cookie, "lena"), ST_OK);
  assert_int_equal(session_at(db, s[0].cookie, t + 21, st), ST_NOTFOUND);
  assert_int_equal(session_at(db, s[1].cookie, t + 21, st), ST_OK);
}

static void test_session_advance(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  int64_t t = f->t0, uid, root, other;
  char otp[OTP_LEN + 1], otp_root[OTP_LEN + 1], st[16];
  struct login_result first, next, again;
  struct auth_err err;

  root = add(db, "root", 1, "admin", otp_root);
  uid = add(db, "nora", 0, "staff", otp);
  other = ready(db, "omar", "staff", good[0], t);

  assert_int_equal(login_at(db, "nora", otp, t, &first), ST_OK);
  assert_string_equal(first.state, "change");
  assert_int_equal(session_at(db, first.cookie, t, st), ST_OK);
  assert_string_equal(st, "change");
  /* Changed from the session itself, which survives the change. */
  assert_int_equal(auth_change_password(db, uid, PW(otp), PW(good[0]), t + 5,
                                        first.cookie, &err),
                   ST_OK);
  /* Someone else's session cannot be advanced. */
  assert_int_equal(
    auth_session_advance(db, first.cookie, other, t + 6, SRC, &next),
    ST_FORBIDDEN);
  assert_int_equal(session_at(db, first.cookie, t + 6, st), ST_OK);
  /* The step done, the session gets a new identifier (session
   * fixation): the old cookie is dead, the new one is signed in. */
  assert_int_equal(
    auth_session_advance(db, first.cookie, uid, t + 7, SRC, &next), ST_OK);
  assert_int_equal(strlen(next.cookie), 64);
  assert_string_not_equal(next.cookie, first.cookie);
  assert_string_not_equal(next.csrf, first.csrf);
  assert_string_equal(next.state, "ok");
  assert_int_equal(session_at(db, first.cookie, t + 8, st), ST_NOTFOUND);
  assert_int_equal(session_at(db, next.cookie, t + 8, st), ST_OK);
  assert_string_equal(st, "ok");
  /* The old cookie cannot be advanced again. */
  assert_int_equal(
    auth_session_advance(db, first.cookie, uid, t + 9, SRC, &again),
    ST_NOTFOUND);

  /* A password change ends the account's other sessions. */
  assert_int_equal(login_at(db, "nora", good[0], t + 10, &again), ST_OK);
  assert_int_equal(session_at(db, next.cookie, t + 10, st), ST_OK);
  assert_int_equal(auth_change_password(db, uid, PW(good[0]), PW(good[1]),
                                        t + 11, again.cookie, &err),
                   ST_OK);
  assert_int_equal(session_at(db, next.cookie, t + 12, st), ST_NOTFOUND);
  assert_int_equal(session_at(db, again.cookie, t + 12, st), ST_OK);

  /* A privileged account moves on from the change to MFA enrolment. */
  assert_int_equal(login_at(db, "root", otp_root, t, &first), ST_OK);
  assert_int_equal(auth_change_password(db, root, PW(otp_root), PW(good[1]), t,
                                        first.cookie, &err),
                   ST_OK);
  assert_int_equal(
    auth_session_advance(db, first.cookie, root, t + 1, SRC, &next), ST_OK);
  assert_string_equal(next.state, "enroll");
  assert_int_equal(session_at(db, first.cookie, t + 2, st), ST_NOTFOUND);
}

/* ---- API tokens ---- */

static void test_token(void **state)
{
  struct fixture *f = *state;
  struct db *db = f->db;
  char tok[TOKEN_LEN + 1], tok2[TOKEN_LEN + 1];
  unsigned char want[crypto_hash_sha256_BYTES];
  struct auth_err err;
  sqlite3_stmt *st;
  int64_t uid, id, id2;
  size_t i;

  uid = ready(db, "pia", "officer", good[0], f->t0);
  assert_int_equal(sodium_init() >= 0, 1);

  /* The scope is read or write, nothing else. */
  assert_int_equal(
    auth_token_create(db, uid, "pia", "ci", "admin", 30, tok, &id, &err),
    ST_INVALID);
  assert_int_equal(err.msg, M_TOKEN_SCOPE);
  assert_int_equal(
    auth_token_create(db, uid, "pia", "ci", "READ", 30, tok, &id, &err),
    ST_INVALID);
  assert_int_equal(err.msg, M_TOKEN_SCOPE);
  assert_int_equal(
    auth_token_create(db, uid, "pia", "ci", NULL, 30, tok, &id, &err),
    ST_INVALID);
  assert_int_equal(err.msg, M_TOKEN_SCOPE);
  /* A name says what it is for. */
  assert_int_equal(
    auth_token_create(db, uid, "pia", "", "read", 30, tok, &id, &err),
    ST_INVALID);
  assert_int_equal(err.msg, M_TOKEN_NAME);
  /* Days: 1 to token-max-days (90 by default). */
  assert_int_equal(setting_int(db, SET_TOKEN_MAX_DAYS), 90);
  assert_int_equal(
    auth_token_create(db, uid, "pia", "ci", "read", 0, tok, &id, &err),
    ST_INVALID);
  assert_int_equal(err.msg, M_TOKEN_DAYS);
  assert_int_equal(
    auth_token_create(db, uid, "pia", "ci", "read", -1, tok, &id, &err),
    ST_INVALID);
  assert_int_equal(
    auth_token_create(db, uid, "pia", "ci", "read", 91, tok, &id, &err),
    ST_INVALID);
  assert_int_equal(err.msg, M_TOKEN_DAYS);
  assert_int_equal(
    sql_int(db, "SELECT count(*) FROM api_token", NULL, NULL, NULL), 0);

  assert_int_equal(
    auth_token_create(db, uid, "pia", "ci", "read", 90, tok, &id, &err),
    ST_OK);
  /* "isms_" and 64 lower-case hex digits. */
  assert_int_equal(strlen(tok), 69);
  assert_memory_equal(tok, "isms_", 5);
  for(i = 5; i < 69; i++) {
    assert_non_null(strchr("0123456789abcdef", tok[i]));
  }
  /* Only the SHA-256 is stored. */
  crypto_hash_sha256(want, (const unsigned char *)tok, strlen(tok));
  assert_int_equal(sqlite3_prepare_v2(db_handle(db),
                                      "SELECT hash, expires_at - created_at,"
                                      " scope, account, name"
                                      " FROM api_token WHERE id = ?",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_int64(st, 1, id);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_int_equal(sqlite3_column_bytes(st, 0), 32);
  assert_memory_equal(sqlite3_column_blob(st, 0), want, 32);
  assert_memory_not_equal(sqlite3_column_blob(st, 0), tok, 32);
  assert_int_equal(sqlite3_column_int64(st, 1), 90 * 86400);
  assert_string_equal((const char *)sqlite3_column_text(st, 2), "read");
  assert_int_equal(sqlite3_column_int64(st, 3), uid);
  sqlite3_finalize(st);
  /* The token's text is nowhere in the database tables we can see. */
  assert_int_equal(sql_int(db,
                           "SELECT count(*) FROM api_token WHERE"
                           " instr(CAST(hash AS TEXT), substr(?1, 6)) > 0"
                           " OR instr(name || scope, substr(?1, 6)) > 0",
                           tok, NULL, NULL),
                   0);
  assert_int_equal(sql_int(db,
                           "SELECT count(*) FROM audit_event WHERE"
                           " instr(coalesce(detail, '') || coalesce(object,"
                           " ''), substr(?1, 6)) > 0",
                           tok, NULL, NULL),
                   0);
  assert_int_equal(audit_rows(db, "token-create", "pia", NULL), 1);

  /* Another token is another secret. */
  assert_int_equal(
    auth_token_create(db, uid, "pia", "deploy", "write", 1, tok2, &id2, &err),
    ST_OK);
  assert_string_not_equal(tok, tok2);
  assert_true(id2 != id);

  /* The limit is the setting's. */
  set(db, "token-max-days", "30");
  assert_int_equal(
    auth_token_create(db, uid, "pia", "ci", "read", 31, tok, &id, &err),
    ST_INVALID);
  assert_int_equal(err.msg, M_TOKEN_DAYS);
  assert_int_equal(
    auth_token_create(db, uid, "pia", "ci", "read", 30, tok, &id, &err),
    ST_OK);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_user_add_checks, setup, teardown),
    cmocka_unit_test_setup_teardown(test_roles_twice, setup, teardown),
    cmocka_unit_test_setup_teardown(test_first_sign_in, setup, teardown),
    cmocka_unit_test_setup_teardown(test_login_case, setup, teardown),
    cmocka_unit_test_setup_teardown(test_change_password_rules, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_password_history, setup, teardown),
    cmocka_unit_test_setup_teardown(test_password_expiry, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
    cmocka_unit_test_setup_teardown(test_throttle, setup, teardown),
    cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
    cmocka_unit_test_setup_teardown(test_login_too_long, setup, teardown),
    cmocka_unit_test_setup_teardown(test_rehash_at_sign_in, setup, teardown),
    cmocka_unit_test_setup_teardown(test_session_idle, setup, teardown),
    cmocka_unit_test_setup_teardown(test_session_lifetime, setup, teardown),
    cmocka_unit_test_setup_teardown(test_logout_all, setup, teardown),
    cmocka_unit_test_setup_teardown(test_session_advance, setup, teardown),
    cmocka_unit_test_setup_teardown(test_token, setup, teardown),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
