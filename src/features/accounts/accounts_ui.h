/*
 * accounts_ui.h: small pieces shared by the account pages: inputs with
 * their field errors, notices, the session cookie.  Depends on http, ui.
 */
#ifndef ISMS_FEATURES_ACCOUNTS_UI_H
#define ISMS_FEATURES_ACCOUNTS_UI_H

#include <stdint.h>

#include "http/req.h"

/* Set the session cookie to value, or clear it (NULL). */
void acct_session_cookie(struct req *r, const char *value);

/* A password input called name (no browser memory) with its error. */
void acct_password_input(struct req *r, const char *name, enum msg label,
                         int focus);

/* An input of type ("text", "number", "email") with value, at most
 * maxlen characters, and its error. */
void acct_text_input(struct req *r, const char *name, enum msg label,
                     const char *value, const char *type, int maxlen);

/* The first field error of name in the request's language, or NULL. */
const char *acct_field_error(struct req *r, const char *name);

/* A paragraph of class cls ("error", "notice") with msg. */
void acct_notice(struct req *r, const char *cls, enum msg msg);

/* Role labels of space-separated role names, as tags. */
void acct_roles_html(struct req *r, const char *names);

/* Unix time t in Asia/Taipei, or "—" for 0; lives in r->arena. */
const char *acct_when(struct req *r, int64_t t);

/* Where to go after signing in: the next parameter when it is a page of
 * ours, else "/". */
const char *next_path(struct req *r);

#endif
