/*
 * accounts_pages.c: sign-in, log-out, password change, one's own
 * account, API tokens and GET /api/v1/me.
 */
#include "accounts.h"
#include "accounts_ui.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "core/time.h"
#include "db/settings.h"
#include "http/router.h"
#include "ui/layout.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const struct param_spec login_params[] = {
  { "login", PARAM_TEXT, 200, 0, 0 },
  { "password", PARAM_TEXT, 4096, 0, 0 },
  { "next", PARAM_TEXT, 2000, 0, 0 },
  { "expired", PARAM_WORD, 1, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec password_params[] = {
  { "current", PARAM_TEXT, 4096, 0, 0 },
  { "password", PARAM_TEXT, 4096, 0, 0 },
  { "confirm", PARAM_TEXT, 4096, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec account_params[] = {
  { "changed", PARAM_WORD, 1, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec token_params[] = {
  { "name", PARAM_TEXT, 100, 0, 0 },
  { "scope", PARAM_WORD, 8, 0, 0 },
  { "days", PARAM_INT, 4, 1, 365 },
  { NULL, 0, 0, 0, 0 },
};

void acct_session_cookie(struct req *r, const char *value)
{
  const char *c = arena_printf(
    &r->arena, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
    value ? value : "", value ? "" : "; Max-Age=0", r->tls ? "; Secure" : "");
  if(c) {
    req_set_header(r, "Set-Cookie", c);
  }
}

void acct_password_input(struct req *r, const char *name, enum msg label,
                         int focus)
{
  const char *err = acct_field_error(r, name);
  html_printf(&r->page,
              "<div class=\"field%s\"><label for=\"in-%s\">%s</label>"
              "<input id=\"in-%s\" name=\"%s\" type=\"password\" "
              "autocomplete=\"off\" required",
              err ? " has-error" : "", name, req_t(r, label), name, name);
  if(focus) {
    html_lit(&r->page, " autofocus");
  }
  if(err) {
    html_printf(&r->page, " aria-describedby=\"e-%s\" aria-invalid=\"true\">",
                name);
    html_printf(&r->page, "<p class=\"error\" id=\"e-%s\">%s</p>", name, err);
  }
  else {
    html_lit(&r->page, ">");
  }
  html_lit(&r->page, "</div>\n");
}

void acct_text_input(struct req *r, const char *name, enum msg label,
                     const char *value, const char *type, int maxlen)
{
  const char *err = acct_field_error(r, name);
  html_printf(&r->page,
              "<div class=\"field%s\"><label for=\"in-%s\">%s</label>"
              "<input id=\"in-%s\" name=\"%s\" type=\"%s\" value=\"%s\" "
              "maxlength=\"%d\" autocomplete=\"off\" spellcheck=\"false\"%s",
              err ? " has-error" : "", name, req_t(r, label), name, name, type,
              value ? value : "", maxlen,
              strcmp(name, "login") == 0 && !value ? " autofocus" : "");
  if(err) {
    html_printf(&r->page,
                " aria-describedby=\"e-%s\" aria-invalid=\"true\">"
                "<p class=\"error\" id=\"e-%s\">%s</p>",
                name, name, err);
  }
  else {
    html_lit(&r->page, ">");
  }
  html_lit(&r->page, "</div>\n");
}

const char *acct_field_error(struct req *r, const char *name)
{
  size_t i;
  for(i = 0; i < r->n_errs; i++) {
    if(strcmp(r->errs[i].field, name) == 0) {
      return req_t(r, r->errs[i].msg);
    }
  }
  return NULL;
}

void acct_notice(struct req *r, const char *cls, enum msg msg)
{
  html_printf(&r->page, "<p class=\"%s\" role=\"%s\">%s</p>\n", cls,
              strcmp(cls, "error") == 0 ? "alert" : "status", req_t(r, msg));
}

/* ---- sign-in ---- */

/* The sign-in form; msg is an error or notice to show (M_NONE: none). */
static void login_form(struct req *r, int status, enum msg msg,
                       const char *cls)
{
  const char *next = req_param(r, "next");
  const char *login = req_param(r, "login");
  struct html *h = page_begin(r, status, req_t(r, M_LOGIN_TITLE), 0);
  html_printf(h, "<h1>%s</h1>\n", req_t(r, M_LOGIN_TITLE));
  if(msg != M_NONE) {
    acct_notice(r, cls, msg);
  }
  else if(req_param(r, "expired")) {
    acct_notice(r, "notice", M_LOGIN_EXPIRED);
  }
  /* autocomplete=off: the plan wants no password memory in browsers. */
  html_lit(h, "<form method=\"post\" action=\"/login\" class=\"record-form "
              "narrow\" autocomplete=\"off\">");
  page_csrf(r);
  if(next) {
    html_printf(h, "<input type=\"hidden\" name=\"next\" value=\"%s\">", next);
  }
  acct_text_input(r, "login", M_F_LOGIN, login, "text", 64);
  acct_password_input(r, "password", M_F_PASSWORD, 0);
  html_printf(h,
              "<div class=\"actions\"><button type=\"submit\">%s</button>"
              "</div></form>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_LOGIN_BUTTON), req_t(r, M_LOGIN_HINT));
  page_end(r);
}

void login_page(struct req *r)
{
  if(r->uid && !r->step) {
    req_redirect(r, next_path(r));
    return;
  }
  login_form(r, 200, M_NONE, NULL);
}

const char *next_path(struct req *r)
{
  const char *next = req_param(r, "next");
  if(next && req_local_path(next) && strncmp(next, "/login", 6) != 0 &&
     strncmp(next, "/logout", 7) != 0) {
    return next;
  }
  return "/";
}

void login_post_page(struct req *r)
{
  const char *login = req_param(r, "login");
  const char *pw = req_param(r, "password");
  struct login_result res;
  enum status st;
  size_t len = pw ? strlen(pw) : 0;

  if(!login || !*login || !pw || !*pw) {
    login_form(r, 400, M_LOGIN_MISSING, "error");
    return;
  }
  st = auth_login(r->db, login, pw, len, r->peer, time_now(), &res);
  if(st == ST_INVALID) {
    login_form(r, 400, M_PW_TOO_LONG, "error");
    return;
  }
  if(st == ST_TOOBIG) {
    char secs[16];
    snprintf(secs, sizeof(secs), "%d", res.wait);
    req_set_header(r, "Retry-After", arena_strdup(&r->arena, secs));
    login_form(r, 429, M_LOGIN_SLOW, "error");
    return;
  }
  if(st == ST_FORBIDDEN) {
    /* One answer whatever was wrong (附表十: do not say which). */
    login_form(r, 403, M_LOGIN_FAILED, "error");
    return;
  }
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  acct_session_cookie(r, res.cookie);
  req_redirect(r, auth_step_page(res.state) ? auth_step_page(res.state) :
                                              next_path(r));
}

void logout_page(struct req *r)
{
  const char *cookie = req_cookie(r, SESSION_COOKIE);
  if(cookie && r->login && auth_logout(r->db, cookie, r->login)) {
    /* The session still stands: say so rather than pretend. */
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  acct_session_cookie(r, NULL);
  req_redirect(r, "/login");
}

void logout_all_page(struct req *r)
{
  int n = 0;
  if(auth_logout_all(r->db, r->uid, r->login, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  acct_session_cookie(r, NULL);
  req_redirect(r, "/login");
}

/* ---- password change ---- */

static void password_form(struct req *r, int status)
{
  struct html *h = page_begin(r, status, req_t(r, M_PW_TITLE), 0);
  struct pw_policy p;
  char n[16], c[16], k[16], d[16];
  const char *args[4];
  p.min_length = (int)setting_int(r->db, SET_PW_MIN_LENGTH);
  p.min_classes = (int)setting_int(r->db, SET_PW_MIN_CLASSES);
  snprintf(n, sizeof(n), "%d", p.min_length);
  snprintf(c, sizeof(c), "%d", p.min_classes);
  snprintf(k, sizeof(k), "%lld",
           (long long)setting_int(r->db, SET_PW_HISTORY));
  snprintf(d, sizeof(d), "%lld",
           (long long)setting_int(r->db, SET_PW_MAX_AGE_DAYS));
  args[0] = n;
  args[1] = c;
  args[2] = k;
  args[3] = d;
  html_printf(h, "<h1>%s</h1>\n", req_t(r, M_PW_TITLE));
  if(r->step) {
    acct_notice(r, "notice", M_PW_MUST_CHANGE);
  }
  if(r->n_errs) {
    acct_notice(r, "error", M_FORM_HAS_ERRORS);
  }
  html_lit(h, "<p class=\"hint\">");
  html_template(h, req_t(r, M_PW_RULES), 4, args);
  html_lit(h, "</p>\n<form method=\"post\" action=\"/account/password\" "
              "class=\"record-form narrow\" autocomplete=\"off\">");
  page_csrf(r);
  /* The keyboard starts at the first field in error, else at the top. */
  {
    const char *first = r->n_errs ? r->errs[0].field : "current";
    acct_password_input(r, "current", M_F_PW_CURRENT,
                        strcmp(first, "current") == 0);
    acct_password_input(r, "password", M_F_PW_NEW,
                        strcmp(first, "password") == 0);
    acct_password_input(r, "confirm", M_F_PW_CONFIRM,
                        strcmp(first, "confirm") == 0);
  }
  html_printf(h,
              "<div class=\"actions\"><button type=\"submit\">%s</button>"
              "</div></form>\n",
              req_t(r, M_PW_BUTTON));
  if(r->step) {
    html_printf(h,
                "<form method=\"post\" action=\"/logout\" class=\"inline\">");
    page_csrf(r);
    html_printf(h,
                "<button type=\"submit\" class=\"secondary\">%s</button>"
                "</form>\n",
                req_t(r, M_LOGOUT));
  }
  page_end(r);
}

/* 1 if this step may be taken now: the session owes it, or owes
 * nothing; else redirect to the owed step. */
static int step_allowed(struct req *r, const char *page)
{
  if(r->step && strcmp(r->step, page) != 0) {
    req_redirect(r, r->step);
    return 0;
  }
  return 1;
}

void password_page(struct req *r)
{
  if(step_allowed(r, "/account/password")) {
    password_form(r, 200);
  }
}

void password_post_page(struct req *r)
{
  const char *cur = req_param(r, "current");
  const char *pw = req_param(r, "password");
  const char *confirm = req_param(r, "confirm");
  struct auth_err err;
  struct login_result res;
  enum status st;
  if(!step_allowed(r, "/account/password")) {
    return;
  }
  if(!cur || !pw || !confirm || strcmp(pw, confirm) != 0) {
    req_field_error(r, "confirm", M_PW_MISMATCH, NULL);
    password_form(r, 400);
    return;
  }
  st = auth_change_password(r->db, r->uid, cur, strlen(cur), pw, strlen(pw),
                            time_now(), req_cookie(r, SESSION_COOKIE), &err);
  if(st == ST_INVALID) {
    req_field_error(r, err.field ? err.field : "password", err.msg, NULL);
    password_form(r, 400);
    return;
  }
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  /* A new session identifier after the change (session fixation). */
  st = auth_session_advance(r->db, req_cookie(r, SESSION_COOKIE), r->uid,
                            time_now(), r->peer, &res);
  if(st) {
    acct_session_cookie(r, NULL);
    req_redirect(r, "/login");
    return;
  }
  acct_session_cookie(r, res.cookie);
  req_redirect(r, auth_step_page(res.state) ? auth_step_page(res.state) :
                                              "/account?changed=1");
}

/* ---- one's own account ---- */

void acct_roles_html(struct req *r, const char *names)
{
  const char *p = names;
  int any = 0;
  while(p && *p) {
    const char *end = strchr(p, ' ');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char name[32];
    const struct role *ro;
    snprintf(name, sizeof(name), "%.*s", (int)(n < 31 ? n : 31), p);
    ro = role_find(name);
    html_printf(&r->page, "%s<span class=\"tag\">%s</span>", any ? " " : "",
                ro ? req_t(r, ro->label) : name);
    any = 1;
    p = end ? end + 1 : NULL;
  }
  if(!any) {
    html_printf(&r->page, "%s", req_t(r, M_ACCT_NO_ROLES));
  }
}

/* Unix time t as Asia/Taipei "YYYY-MM-DD HH:MM", or "—" for 0. */
const char *acct_when(struct req *r, int64_t t)
{
  struct buf b;
  const char *s;
  if(!t) {
    return "—";
  }
  buf_init(&b, 64);
  time_format_taipei(&b, t);
  s = arena_strdup(&r->arena, b.data);
  buf_free(&b);
  return s ? s : "";
}

void account_page(struct req *r)
{
  struct account a;
  struct api_token *toks;
  size_t n = 0, i;
  int sessions = 0, codes = 0;
  struct html *h;
  int64_t max_age = setting_int(r->db, SET_PW_MAX_AGE_DAYS) * 86400;

  if(acct_by_id(r->db, r->uid, &r->arena, &a) ||
     tok_list(r->db, r->uid, &r->arena, &toks, &n) ||
     sess_count(r->db, r->uid, &sessions) ||
     rcode_left(r->db, r->uid, &codes)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_ACCOUNT_TITLE), 0);
  html_printf(h, "<h1>%s</h1>\n", req_t(r, M_ACCOUNT_TITLE));
  if(req_param(r, "changed")) {
    acct_notice(r, "notice", M_PW_CHANGED);
  }
  html_printf(h,
              "<dl class=\"record\"><dt>%s</dt><dd>%s</dd>"
              "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
              "<dt>%s</dt><dd>",
              req_t(r, M_F_LOGIN), a.login, req_t(r, M_F_NAME), a.name,
              req_t(r, M_F_UNIT), a.unit ? a.unit : "", req_t(r, M_F_ROLES));
  acct_roles_html(r, a.roles);
  html_printf(h,
              "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
              "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>\n",
              req_t(r, M_F_PRIVILEGED), req_t(r, a.privileged ? M_YES : M_NO),
              req_t(r, M_F_LAST_LOGIN), acct_when(r, a.last_login),
              req_t(r, M_F_PW_EXPIRES), acct_when(r, a.pw_set_at + max_age),
              req_t(r, M_F_MFA),
              req_t(r, a.totp_secret ? M_MFA_ON : M_MFA_OFF));
  html_printf(h,
              "<p><a href=\"/account/password\">%s</a> · "
              "<a href=\"/account/mfa\">%s</a> · "
              "<a href=\"/account/privileged\">%s</a> · "
              "<a href=\"/account/calendar-feed\">%s</a></p>\n",
              req_t(r, M_PW_TITLE), req_t(r, M_MFA_ENROLL_TITLE),
              req_t(r, M_PRIV_APPLY_TITLE), req_t(r, M_FEED_TITLE));
  if(a.totp_secret) {
    char left[16];
    const char *args[1];
    snprintf(left, sizeof(left), "%d", codes);
    args[0] = left;
    html_lit(h, "<p class=\"hint\">");
    html_template(h, req_t(r, M_MFA_CODES_LEFT), 1, args);
    html_lit(h, "</p>\n");
  }

  /* Sessions: log out everywhere. */
  {
    char count[16];
    const char *args[1];
    snprintf(count, sizeof(count), "%d", sessions);
    args[0] = count;
    html_printf(h, "<h2>%s</h2>\n<p>", req_t(r, M_SESSIONS_TITLE));
    html_template(h, req_t(r, M_SESSIONS_COUNT), 1, args);
    html_lit(h, "</p>\n<form method=\"post\" action=\"/account/logout-all\" "
                "data-confirm=\"");
    html_printf(h, "%s\">", req_t(r, M_LOGOUT_ALL_CONFIRM));
    page_csrf(r);
    html_printf(h, "<button type=\"submit\">%s</button></form>\n",
                req_t(r, M_LOGOUT_ALL));
  }

  /* API tokens. */
  html_printf(h, "<h2>%s</h2>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_TOKENS_TITLE), req_t(r, M_TOKENS_HINT));
  if(n) {
    html_printf(h,
                "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead>"
                "<tbody>",
                req_t(r, M_F_TOKEN_NAME), req_t(r, M_F_TOKEN_SCOPE),
                req_t(r, M_F_CREATED), req_t(r, M_F_EXPIRES),
                req_t(r, M_F_LAST_USED));
    for(i = 0; i < n; i++) {
      struct api_token *t = &toks[i];
      html_printf(h,
                  "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                  "<td>%s</td><td>",
                  t->name,
                  req_t(r, strcmp(t->scope, "write") == 0 ? M_SCOPE_WRITE :
                                                            M_SCOPE_READ),
                  acct_when(r, t->created_at), acct_when(r, t->expires_at),
                  acct_when(r, t->last_used));
      if(t->revoked_at) {
        html_printf(h, "%s", req_t(r, M_TOKEN_REVOKED));
      }
      else {
        html_printf(h,
                    "<form method=\"post\" action=\"/account/tokens/%lld/"
                    "revoke\" class=\"inline\">",
                    (long long)t->id);
        page_csrf(r);
        html_printf(h, "<button type=\"submit\">%s</button></form>",
                    req_t(r, M_TOKEN_REVOKE));
      }
      html_lit(h, "</td></tr>");
    }
    html_lit(h, "</tbody></table>\n");
  }
  html_lit(h, "<form method=\"post\" action=\"/account/tokens\" "
              "class=\"record-form narrow\">");
  page_csrf(r);
  acct_text_input(r, "name", M_F_TOKEN_NAME, NULL, "text", 100);
  html_printf(h,
              "<div class=\"field\"><label for=\"in-scope\">%s</label>"
              "<select id=\"in-scope\" name=\"scope\">"
              "<option value=\"read\">%s</option>"
              "<option value=\"write\">%s</option></select></div>",
              req_t(r, M_F_TOKEN_SCOPE), req_t(r, M_SCOPE_READ),
              req_t(r, M_SCOPE_WRITE));
  acct_text_input(r, "days", M_F_TOKEN_DAYS, "30", "number", 3);
  html_printf(h,
              "<div class=\"actions\"><button type=\"submit\">%s</button>"
              "</div></form>\n",
              req_t(r, M_TOKEN_CREATE));
  page_end(r);
}

void token_create_page(struct req *r)
{
  char token[TOKEN_LEN + 1];
  const char *days = req_param(r, "days");
  int64_t d = 30, id = 0;
  struct auth_err err;
  struct html *h;
  enum status st;
  if(days && str_to_i64(str_c(days), 1, 365, &d)) {
    d = 0;
  }
  st = auth_token_create(r->db, r->uid, r->login, req_param(r, "name"),
                         req_param(r, "scope"), (int)d, token, &id, &err);
  if(st == ST_INVALID) {
    req_fail(r, ST_INVALID, err.msg);
    return;
  }
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 201, req_t(r, M_TOKENS_TITLE), 0);
  html_printf(h,
              "<h1>%s</h1>\n<p class=\"notice\" role=\"status\">%s</p>\n"
              "<p><code class=\"secret\" id=\"token\">%s</code></p>\n"
              "<p><a href=\"/account\">%s</a></p>\n",
              req_t(r, M_TOKEN_CREATED), req_t(r, M_TOKEN_SHOWN_ONCE), token,
              req_t(r, M_ACCOUNT_TITLE));
  sodium_memzero(token, sizeof(token));
  page_end(r);
}

void token_revoke_page(struct req *r)
{
  const char *ids = req_path_param(r, "id");
  int64_t id = 0;
  enum status st;
  if(!ids || str_to_i64(str_c(ids), 1, INT64_MAX, &id)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  st = auth_token_revoke(r->db, r->uid, r->login, id);
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, "/account");
}

/* ---- API ---- */

void me_api(struct req *r)
{
  struct json j;
  struct account a;
  size_t i;
  if(acct_by_id(r->db, r->uid, &r->arena, &a)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_json(r, 200, &j);
  json_obj_begin(&j);
  json_key_str(&j, "login", a.login);
  json_key_str(&j, "name", a.name);
  json_key_bool(&j, "privileged", a.privileged);
  json_key(&j, "roles");
  json_arr_begin(&j);
  for(i = 0; i < n_roles; i++) {
    const char *p = strstr(a.roles, roles[i].name);
    size_t n = strlen(roles[i].name);
    if(p && (p == a.roles || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ')) {
      json_str(&j, roles[i].name);
    }
  }
  json_arr_end(&j);
  json_key_bool(&j, "token", r->via_token);
  if(!r->via_token) {
    /* Scripts of our own pages send it as X-CSRF-Token. */
    json_key_str(&j, "csrf", r->csrf);
  }
  json_obj_end(&j);
  req_json_end(r, &j);
}
