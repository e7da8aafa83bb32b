/*
 * account_store.h: the SQL of accounts, roles, password history,
 * sessions, recovery codes and API tokens (used by the auth module
 * only).  Times are Unix seconds.  Depends on core and db.
 */
#ifndef ISMS_AUTH_ACCOUNT_STORE_H
#define ISMS_AUTH_ACCOUNT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct db;
struct arena;

/* One account as stored. */
struct account {
  int64_t id;                  /* row id */
  const char *login;           /* user ID */
  const char *name;            /* 姓名 */
  const char *unit;            /* 單位, or NULL */
  const char *email;           /* or NULL */
  int privileged;              /* 1 for a privileged (administrator) account */
  int64_t owner;               /* daily account of a privileged one, or 0 */
  const char *owner_login;     /* its login, or NULL */
  int disabled;                /* 1 when disabled */
  const char *disabled_reason; /* or NULL */
  const char *pw_hash;         /* argon2id string, or NULL */
  int64_t pw_set_at;           /* when the password was set, 0 if never */
  int pw_preset;               /* 1: must be changed at the next sign-in */
  int failed;                  /* consecutive failures */
  int64_t locked_until;        /* locked out until then (0: not locked) */
  int64_t last_login;          /* 0 if never */
  const unsigned char *totp_secret; /* or NULL when not enrolled */
  size_t totp_len;                  /* its length */
  int64_t totp_step;                /* last accepted TOTP step */
  const char *roles;      /* role names, space-separated ("" for none) */
  const char *created_at; /* UTC */
  const char *created_by; /* who */
};

/* Look up by login (case-insensitive) or by id; ST_NOTFOUND when none.
 * Strings live in a. */
enum status acct_by_login(struct db *db, const char *login, struct arena *a,
                          struct account *out);
enum status acct_by_id(struct db *db, int64_t id, struct arena *a,
                       struct account *out);

/* Every account, by login; the array and strings live in a. */
enum status acct_list(struct db *db, struct arena *a, struct account **out,
                      size_t *n);

/* Insert a new account (login, name, unit, email, privileged, owner,
 * pw_hash, pw_set_at, pw_preset of in) created by actor; *id gets the
 * row id.  ST_CONFLICT when the login is taken. */
enum status acct_insert(struct db *db, const struct account *in,
                        const char *actor, int64_t *id);

/* Set a new password hash at now; preset 1 when an administrator set
 * it.  The old hash goes into the history, which keeps keep entries. */
enum status acct_set_password(struct db *db, int64_t id, const char *hash,
                              int64_t now, int preset, int keep);

/* The last n password hashes (the current one first), in a. */
enum status acct_recent_hashes(struct db *db, int64_t id, int n,
                               struct arena *a, const char ***out,
                               size_t *count);

/* Count a failed sign-in; when the count reaches threshold the account
 * is locked until lock_until and the count starts again.  *locked gets
 * 1 when this failure locked it. */
enum status acct_add_failure(struct db *db, int64_t id, int threshold,
                             int64_t lock_until, int *locked);

/* Replace the hash of the current password (same password, new
 * parameters); the history is not touched. */
enum status acct_rehash(struct db *db, int64_t id, const char *hash);

/* Record a successful sign-in at now (clears failures). */
enum status acct_login_ok(struct db *db, int64_t id, int64_t now);

/* Disable (with reason) or enable. */
enum status acct_set_disabled(struct db *db, int64_t id, int disabled,
                              const char *reason);

/* Grant or revoke role for an account. */
enum status acct_grant(struct db *db, int64_t id, const char *role,
                       const char *actor);
enum status acct_revoke(struct db *db, int64_t id, const char *role);

/* Set or clear (secret NULL) the TOTP secret; and the last step. */
enum status acct_set_totp(struct db *db, int64_t id,
                          const unsigned char *secret, size_t len);
/* Raise the last accepted step to step; *raised 0 when it was already
 * there or beyond (the code was used: replay). */
enum status acct_set_totp_step(struct db *db, int64_t id, int64_t step,
                               int *raised);

/* Keep (secret) or drop (NULL) the secret being enrolled; read it back
 * into out[TOTP_SECRET_BYTES] (ST_NOTFOUND when there is none). */
enum status acct_set_totp_pending(struct db *db, int64_t id,
                                  const unsigned char *secret, size_t len);
enum status acct_totp_pending(struct db *db, int64_t id, unsigned char *out,
                              size_t len);

/* ---- applications for privileged accounts (玖.二.(四).1) ---- */

/* One application. */
struct priv_request {
  int64_t id;               /* row id */
  int64_t owner;            /* the applicant's daily account */
  const char *owner_login;  /* its login */
  const char *owner_name;   /* its name */
  const char *login;        /* the privileged user ID asked for */
  const char *reason;       /* why it is needed */
  const char *valid_until;  /* YYYY-MM-DD */
  const char *status;       /* pending, approved, rejected, used */
  const char *requested_at; /* UTC */
  const char *decided_by;   /* approver, or NULL */
  const char *decided_at;   /* UTC, or NULL */
  const char *note;         /* the approver's note, or NULL */
  int64_t account;          /* the account made from it, or 0 */
};

enum status preq_insert(struct db *db, const struct priv_request *r,
                        int64_t *id);
enum status preq_get(struct db *db, int64_t id, struct arena *a,
                     struct priv_request *out);
/* Newest first; owner > 0 limits to one applicant. */
enum status preq_list(struct db *db, int64_t owner, struct arena *a,
                      struct priv_request **out, size_t *n);
/* Decide a pending application: status "approved" or "rejected".
 * ST_CONFLICT when it is not pending. */
enum status preq_decide(struct db *db, int64_t id, const char *status,
                        const char *by, const char *note);
/* Mark an approved application used by account. */
enum status preq_use(struct db *db, int64_t id, int64_t account);
/* The validity end of the application an account was made from
 * (out[11]); ST_NOTFOUND when it was made without one. */
enum status preq_until(struct db *db, int64_t account, char *out);

/* ---- sessions ---- */

/* One session. */
struct session {
  int64_t account;           /* whose */
  const char *state;         /* "mfa", "change", "enroll" or "ok" */
  uint64_t rights;           /* rights at sign-in */
  const char *csrf;          /* CSRF token */
  int64_t created_at;        /* start */
  int64_t seen_at;           /* last request */
  const char *source;        /* address at sign-in */
  const char *login;         /* the account's user ID */
  const char *name;          /* its name */
  int privileged;            /* 1 for a privileged account */
  int disabled;              /* 1 when it was disabled */
  unsigned char id_hash[32]; /* SHA-256 of the cookie */
  int pending;         /* with auth_session_check(…, defer): 1 when seen_at
                        is to be written, 2 when the ended session is to
                        be removed (see auth_session_finish()) */
  const char *end_why; /* why it ended: idle, lifetime, account disabled */
};

enum status sess_insert(struct db *db, const unsigned char *id_hash,
                        const struct session *s);
enum status sess_get(struct db *db, const unsigned char *id_hash,
                     struct arena *a, struct session *out);
enum status sess_touch(struct db *db, const unsigned char *id_hash,
                       int64_t now);
enum status sess_delete(struct db *db, const unsigned char *id_hash);
/* Delete every session of account; *n gets how many. */
enum status sess_delete_account(struct db *db, int64_t account, int *n);
/* Delete every session of account but the one with keep_hash (NULL:
 * all of them). */
enum status sess_delete_others(struct db *db, int64_t account,
                               const unsigned char *keep_hash);
/* Delete sessions idle since before idle_before or started before
 * started_before. */
enum status sess_expire(struct db *db, int64_t idle_before,
                        int64_t started_before);
/* Number of sessions of account. */
enum status sess_count(struct db *db, int64_t account, int *n);

/* ---- recovery codes ---- */

enum status rcode_replace(struct db *db, int64_t account,
                          const char *const *hashes, size_t n);
/* Use a code: ST_OK once, ST_NOTFOUND when unknown or used. */
enum status rcode_use(struct db *db, int64_t account, const char *hash,
                      int64_t now);
enum status rcode_left(struct db *db, int64_t account, int *n);

/* ---- API tokens ---- */

/* One token. */
struct api_token {
  int64_t id;         /* row id */
  int64_t account;    /* whose */
  const char *name;   /* what for */
  const char *scope;  /* "read" or "write" */
  int64_t created_at; /* when */
  int64_t expires_at; /* until */
  int64_t last_used;  /* 0 if never */
  int64_t revoked_at; /* 0 while valid */
};

enum status tok_insert(struct db *db, const struct api_token *t,
                       const unsigned char *hash, int64_t *id);
enum status tok_by_hash(struct db *db, const unsigned char *hash,
                        struct arena *a, struct api_token *out);
enum status tok_list(struct db *db, int64_t account, struct arena *a,
                     struct api_token **out, size_t *n);
enum status tok_revoke(struct db *db, int64_t account, int64_t id,
                       int64_t now);
enum status tok_used(struct db *db, int64_t id, int64_t now);

#endif
