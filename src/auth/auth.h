/*
 * auth.h: accounts and sign-in as the plan wants them (玖.二): one user
 * ID per person, privileged accounts apart, the agency's password rules,
 * lock-out after consecutive failures, sessions with idle and absolute
 * limits, multi-factor sign-in, API tokens.  Every change is written
 * with its audit row in one transaction.  Times are Unix seconds and
 * come from the caller, so tests can move the clock.
 * Depends on core, db and http (for the request guard).
 */
#ifndef ISMS_AUTH_AUTH_H
#define ISMS_AUTH_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "account_store.h"
#include "core/i18n.h"
#include "core/status.h"
#include "http/route.h"

struct db;
struct arena;
struct req;

/* Cookie of a signed-in browser. */
#define SESSION_COOKIE "isms_session"

/* Length of a one-time password as printed (pw_generate()). */
#define OTP_LEN 16

/* Why an account operation was refused, for the person who asked. */
struct auth_err {
  enum msg msg;      /* the reason, or M_NONE */
  const char *field; /* the form field it is about, or NULL */
};

/* What to create: login, name, unit, email, privileged and owner. */
struct new_account {
  const char *login;        /* user ID: [A-Za-z0-9._@-]{2,64} */
  const char *name;         /* 姓名, required */
  const char *unit;         /* or NULL */
  const char *email;        /* or NULL */
  int privileged;           /* 1 for a privileged account */
  const char *owner;        /* login of the owner's daily account (privileged
                         accounts; may be NULL only for the first) */
  int64_t request;          /* the approved application for a privileged
                         account (required but for the first account) */
  const char *const *roles; /* role names */
  size_t n_roles;           /* how many */
};

/*
 * Create an account with a one-time password written into otp[OTP_LEN+1]
 * (to be handed to the person; it must be changed at the first sign-in).
 * ST_INVALID with err for bad input, ST_CONFLICT when the login exists.
 */
enum status auth_user_add(struct db *db, const struct new_account *in,
                          const char *actor, char *otp, int64_t *id,
                          struct auth_err *err);

/* Apply for a privileged account login for the daily account owner,
 * with reason and the last day of use (YYYY-MM-DD, today or later, at
 * most a year ahead).  ST_INVALID with err for bad input. */
enum status auth_priv_apply(struct db *db, int64_t owner,
                            const char *owner_login, const char *login,
                            const char *reason, const char *valid_until,
                            int64_t *id, struct auth_err *err);

/* Approve (1) or reject (0) application id as by (who holds the right to
 * approve; not the applicant).  ST_CONFLICT when it is not pending. */
enum status auth_priv_decide(struct db *db, int64_t id, int approve,
                             const char *by, int64_t by_uid, const char *note,
                             struct auth_err *err);

/* Give login a new one-time password (otp as above); unlocks it and ends
 * its sessions. */
enum status auth_reset_password(struct db *db, const char *login,
                                const char *actor, char *otp,
                                struct auth_err *err);

/* Disable (reason may be NULL) or enable login; disabling ends its
 * sessions and revokes nothing else (the account stays). */
enum status auth_set_disabled(struct db *db, const char *login, int disabled,
                              const char *reason, const char *actor,
                              struct auth_err *err);

/* Grant or revoke a role; ends the account's sessions so the change
 * takes effect at once. */
enum status auth_grant(struct db *db, const char *login, const char *role,
                       int grant, const char *actor, struct auth_err *err);

/* The rights of an account from its roles (0 when disabled). */
uint64_t auth_rights_of(const struct account *a);

/* The outcome of a sign-in attempt. */
struct login_result {
  int64_t uid;       /* the account, when signed in */
  const char *state; /* session state: "mfa", "change", "enroll", "ok" */
  char cookie[65];   /* the new session cookie value */
  char csrf[33];     /* its CSRF token */
  int wait;          /* with ST_TOOBIG: seconds before trying again */
};

/*
 * Check login and password (len bytes) from source at now.  ST_OK with
 * a new session in out; ST_FORBIDDEN for any failure (unknown user,
 * wrong password, locked, disabled: one answer, STYLE.md C10);
 * ST_TOOBIG when guessing is being slowed (out->wait); ST_INVALID when
 * the password is longer than PW_MAX_BYTES.  Failures, lock-outs and
 * sign-ins are audited.
 */
enum status auth_login(struct db *db, const char *login, const char *pw,
                       size_t len, const char *source, int64_t now,
                       struct login_result *out);

/*
 * Change the password of uid: current must match, fresh must satisfy
 * the policy and differ from the last password-history ones.
 * ST_INVALID with err otherwise.  Every other session of the account
 * ends (keep_cookie is the session that made the change, or NULL).
 * Audited.
 */
enum status auth_change_password(struct db *db, int64_t uid,
                                 const char *current, size_t current_len,
                                 const char *fresh, size_t fresh_len,
                                 int64_t now, const char *keep_cookie,
                                 struct auth_err *err);

/* The session of a cookie value, if it is live at now: ST_NOTFOUND when
 * there is none, ST_CONFLICT when it just ended (idle or too old; it is
 * deleted and the end audited).  Touches seen_at. */
enum status auth_session(struct db *db, const char *cookie, int64_t now,
                         struct arena *a, struct session *out);

/* auth_session() that writes nothing when defer is 1 (inside a read
 * transaction): out->pending says what auth_session_finish() must write
 * afterwards. */
enum status auth_session_check(struct db *db, const char *cookie, int64_t now,
                               struct arena *a, struct session *out,
                               int defer);

/* Write what a deferred check left pending in s at now. */
void auth_session_finish(struct db *db, const struct session *s, int64_t now);

/* Move the session of cookie on to its next step, with a new identifier
 * (written to out->cookie, out->csrf). */
enum status auth_session_advance(struct db *db, const char *cookie,
                                 int64_t uid, int64_t now, const char *source,
                                 struct login_result *out);

/* End the session of cookie (log out). */
enum status auth_logout(struct db *db, const char *cookie, const char *actor);

/* End every session of uid ("log out everywhere"); *n gets how many. */
enum status auth_logout_all(struct db *db, int64_t uid, const char *actor,
                            int *n);

/* The next state of uid's session after the steps done so far: the
 * state of the first owed step at or after from ("mfa", "change",
 * "enroll", or "ok"). */
const char *auth_next_state(struct db *db, const struct account *a,
                            const char *from, int64_t now);

/* ---- multi-factor (TOTP, RFC 6238) ---- */

/* Start enrolment: a new secret kept as pending for uid, written to
 * secret[TOTP_SECRET_BYTES] for the QR code. */
enum status auth_mfa_begin(struct db *db, int64_t uid, unsigned char *secret);

/* Confirm enrolment with the first code from the app: the pending secret
 * becomes the account's, and RECOVERY_CODES new recovery codes are
 * written to codes (each RECOVERY_CODE_LEN+1 bytes).  ST_FORBIDDEN for a
 * wrong code, ST_NOTFOUND when nothing is pending. */
enum status auth_mfa_confirm(struct db *db, int64_t uid, const char *login,
                             const char *code, int64_t now, char *codes);

/* Check a TOTP code or a recovery code of uid at sign-in.  A code is
 * accepted once (a used TOTP step or recovery code is refused: replay).
 * ST_FORBIDDEN when wrong; failures count towards the lock-out. */
enum status auth_mfa_verify(struct db *db, int64_t uid, const char *login,
                            const char *code, int64_t now);

/* New recovery codes for uid (the old ones stop working). */
enum status auth_mfa_new_codes(struct db *db, int64_t uid, const char *login,
                               char *codes);

/* Length of an API token as shown: "isms_" and 64 hex digits. */
#define TOKEN_LEN 69

/*
 * Create an API token for account uid (login for the audit row) named
 * name, with scope "read" or "write", valid for days (at most the
 * token-max-days setting).  The token is written once into
 * token[TOKEN_LEN+1]; only its SHA-256 is stored.
 */
enum status auth_token_create(struct db *db, int64_t uid, const char *login,
                              const char *name, const char *scope, int days,
                              char *token, int64_t *id, struct auth_err *err);

/* Revoke token id of account uid; ST_NOTFOUND when it is not theirs or
 * already revoked. */
enum status auth_token_revoke(struct db *db, int64_t uid, const char *login,
                              int64_t id);

/* The request guard (http/route.h). */
enum guard auth_guard(struct req *r);

/* The page of a session state's step ("/login/mfa" …), or NULL for ok. */
const char *auth_step_page(const char *state);

/* Check a login name's form; 1 if usable. */
int auth_login_ok(const char *login);

#endif
