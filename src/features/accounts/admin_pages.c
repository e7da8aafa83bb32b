/*
 * admin_pages.c: administration of accounts and roles, the agency's
 * settings (the password policy among them) and the audit trail.
 */
#include "accounts.h"
#include "accounts_ui.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/roles.h"
#include "core/time.h"
#include "db/db.h"
#include "db/settings.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

const struct param_spec user_add_params[] = {
  { "login", PARAM_TEXT, 64, 0, 0 },
  { "name", PARAM_TEXT, 200, 0, 0 },
  { "unit", PARAM_TEXT, 200, 0, 0 },
  { "email", PARAM_TEXT, 200, 0, 0 },
  { "privileged", PARAM_WORD, 1, 0, 0 },
  { "owner", PARAM_TEXT, 64, 0, 0 },
  { "role", PARAM_WORD, 32, 0, 0 },
  { "request", PARAM_INT, 19, 0, INT64_MAX },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec user_role_params[] = {
  { "role", PARAM_WORD, 32, 0, 0 },
  { "grant", PARAM_WORD, 1, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec user_disable_params[] = {
  { "reason", PARAM_TEXT, 200, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec settings_params[] = {
  { "password-*", PARAM_TEXT, 200, 0, 0 },
  { "lockout-*", PARAM_TEXT, 200, 0, 0 },
  { "session-*", PARAM_TEXT, 200, 0, 0 },
  { "mfa-*", PARAM_TEXT, 200, 0, 0 },
  { "token-*", PARAM_TEXT, 200, 0, 0 },
  { "audit-*", PARAM_TEXT, 200, 0, 0 },
  { "account-*", PARAM_TEXT, 200, 0, 0 },
  { "mail-*", PARAM_TEXT, 200, 0, 0 },
  { "saved", PARAM_WORD, 1, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec audit_params[] = {
  { "before", PARAM_INT, 19, 0, INT64_MAX },
  { "actor", PARAM_TEXT, 100, 0, 0 },
  { "verify", PARAM_WORD, 1, 0, 0 },
  { "since", PARAM_TEXT, 20, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

/* ---- accounts ---- */

/* The add-account form (on the list page). */
static void add_form(struct req *r)
{
  struct html *h = &r->page;
  size_t i;
  html_printf(h, "<h2 id=\"add\">%s</h2>\n", req_t(r, M_USER_ADD_TITLE));
  html_lit(h, "<form method=\"post\" action=\"/admin/users\" "
              "class=\"record-form\" autocomplete=\"off\">");
  page_csrf(r);
  acct_text_input(r, "login", M_F_LOGIN, req_param(r, "login"), "text", 64);
  acct_text_input(r, "name", M_F_NAME, req_param(r, "name"), "text", 200);
  acct_text_input(r, "unit", M_F_UNIT, req_param(r, "unit"), "text", 200);
  acct_text_input(r, "email", M_F_EMAIL, req_param(r, "email"), "email", 200);
  html_printf(h,
              "<div class=\"field\"><label><input type=\"checkbox\" "
              "name=\"privileged\" value=\"1\"> %s</label>"
              "<p class=\"hint\">%s</p></div>",
              req_t(r, M_F_PRIVILEGED), req_t(r, M_H_PRIVILEGED));
  acct_text_input(r, "owner", M_F_OWNER, req_param(r, "owner"), "text", 64);
  acct_text_input(r, "request", M_F_PRIV_REQUEST, req_param(r, "request"),
                  "number", 19);
  html_printf(h, "<fieldset class=\"field\"><legend>%s</legend>",
              req_t(r, M_F_ROLES));
  for(i = 0; i < n_roles; i++) {
    html_printf(h,
                "<label class=\"check\"><input type=\"checkbox\" "
                "name=\"role\" value=\"%s\"> %s</label> ",
                roles[i].name, req_t(r, roles[i].label));
  }
  html_printf(h,
              "</fieldset><div class=\"actions\"><button type=\"submit\">"
              "%s</button></div></form>\n",
              req_t(r, M_USER_ADD_BUTTON));
}

/* The status of an account for lists. */
static enum msg status_of(const struct account *a, int64_t now)
{
  if(a->disabled) {
    return M_ACCT_DISABLED;
  }
  if(a->locked_until > now) {
    return M_ACCT_LOCKED;
  }
  return M_ACCT_ACTIVE;
}

static void users_list(struct req *r, int status)
{
  struct account *list;
  size_t n = 0, i;
  struct html *h;
  int64_t now = time_now();
  if(acct_list(r->db, &r->arena, &list, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, status, req_t(r, M_USERS_TITLE), 9);
  html_printf(h, "<h1>%s</h1>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_USERS_TITLE), req_t(r, M_USERS_HINT));
  if(r->n_errs) {
    acct_notice(r, "error", M_FORM_HAS_ERRORS);
  }
  html_printf(h,
              "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
              "</tr></thead><tbody>\n",
              req_t(r, M_F_LOGIN), req_t(r, M_F_NAME), req_t(r, M_F_UNIT),
              req_t(r, M_F_ROLES), req_t(r, M_F_PRIVILEGED),
              req_t(r, M_F_STATUS), req_t(r, M_F_LAST_LOGIN));
  for(i = 0; i < n; i++) {
    const struct account *a = &list[i];
    html_printf(h,
                "<tr><td><a href=\"/admin/users/%lld\">%s</a></td>"
                "<td>%s</td><td>%s</td><td>",
                (long long)a->id, a->login, a->name, a->unit ? a->unit : "");
    acct_roles_html(r, a->roles);
    html_printf(h, "</td><td>%s%s%s</td><td>%s</td><td>%s</td></tr>\n",
                req_t(r, a->privileged ? M_YES : M_NO),
                a->owner_login ? " · " : "",
                a->owner_login ? a->owner_login : "",
                req_t(r, status_of(a, now)), acct_when(r, a->last_login));
  }
  html_lit(h, "</tbody></table>\n");
  add_form(r);
  page_end(r);
}

void users_page(struct req *r)
{
  users_list(r, 200);
}

/* The one-time password page: shown once, never again. */
static void otp_page(struct req *r, int status, const char *login,
                     const char *otp, int64_t id)
{
  struct html *h = page_begin(r, status, req_t(r, M_OTP_TITLE), 9);
  const char *args[1] = { login };
  html_printf(h, "<h1>%s</h1>\n<p class=\"notice\" role=\"status\">",
              req_t(r, M_OTP_TITLE));
  html_template(h, req_t(r, M_OTP_TEXT), 1, args);
  html_printf(h,
              "</p>\n<p><code class=\"secret\" id=\"otp\">%s</code></p>\n"
              "<p><a href=\"/admin/users/%lld\">%s</a></p>\n",
              otp, (long long)id, req_t(r, M_BACK_TO_USER));
  page_end(r);
}

void user_add_page(struct req *r)
{
  struct new_account in;
  const char *rl[32];
  size_t i, nr = 0;
  char otp[OTP_LEN + 1];
  int64_t id = 0;
  struct auth_err err;
  enum status st;
  memset(&in, 0, sizeof(in));
  in.login = req_param(r, "login");
  in.name = req_param(r, "name");
  in.unit = req_param(r, "unit");
  in.email = req_param(r, "email");
  in.privileged = req_param(r, "privileged") != NULL;
  in.owner = req_param(r, "owner");
  if(req_param(r, "request") && *req_param(r, "request")) {
    str_to_i64(str_c(req_param(r, "request")), 1, INT64_MAX, &in.request);
  }
  for(i = 0; i < r->n_params && nr < 32; i++) {
    if(strcmp(r->params[i].name, "role") == 0) {
      rl[nr++] = r->params[i].value;
    }
  }
  in.roles = rl;
  in.n_roles = nr;
  st = auth_user_add(r->db, &in, r->login, otp, &id, &err);
  if(st == ST_INVALID || st == ST_CONFLICT) {
    req_field_error(r, err.field ? err.field : "", err.msg, NULL);
    users_list(r, st == ST_CONFLICT ? 409 : 400);
    return;
  }
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  otp_page(r, 201, in.login, otp, id);
}

/* The account of the {id} path parameter, or a 404 (returns 0). */
static int account_of(struct req *r, struct account *a)
{
  const char *ids = req_path_param(r, "id");
  int64_t id;
  if(!ids || str_to_i64(str_c(ids), 1, INT64_MAX, &id) ||
     acct_by_id(r->db, id, &r->arena, a)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  return 1;
}

void user_page(struct req *r)
{
  struct account a;
  struct html *h;
  size_t i;
  int64_t now = time_now();
  if(!account_of(r, &a)) {
    return;
  }
  h = page_begin(r, 200, a.login, 9);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/admin/users\">%s</a></p>\n"
              "<h1>%s（%s）</h1>\n",
              req_t(r, M_USERS_TITLE), a.name, a.login);
  html_printf(
    h,
    "<dl class=\"record\"><dt>%s</dt><dd>%s</dd><dt>%s</dt>"
    "<dd>%s</dd><dt>%s</dt><dd>%s%s%s</dd><dt>%s</dt><dd>%s%s%s</dd>"
    "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
    "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>\n",
    req_t(r, M_F_UNIT), a.unit ? a.unit : "", req_t(r, M_F_EMAIL),
    a.email ? a.email : "", req_t(r, M_F_PRIVILEGED),
    req_t(r, a.privileged ? M_YES : M_NO), a.owner_login ? " · " : "",
    a.owner_login ? a.owner_login : "", req_t(r, M_F_STATUS),
    req_t(r, status_of(&a, now)), a.disabled_reason ? " · " : "",
    a.disabled_reason ? a.disabled_reason : "", req_t(r, M_F_LAST_LOGIN),
    acct_when(r, a.last_login), req_t(r, M_F_PW_SET),
    acct_when(r, a.pw_set_at), req_t(r, M_F_MFA),
    req_t(r, a.totp_secret ? M_MFA_ON : M_MFA_OFF), req_t(r, M_F_CREATED),
    a.created_at ? a.created_at : "");

  html_printf(h, "<h2>%s</h2>\n<ul class=\"roles\">", req_t(r, M_F_ROLES));
  for(i = 0; i < n_roles; i++) {
    const struct role *ro = &roles[i];
    const char *p = strstr(a.roles, ro->name);
    size_t n = strlen(ro->name);
    int has =
      p && (p == a.roles || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ');
    if((ro->flags & ROLE_PRIV) && !a.privileged && !has) {
      continue;
    }
    html_printf(h,
                "<li><form method=\"post\" action=\"/admin/users/%lld/roles\" "
                "class=\"inline\">",
                (long long)a.id);
    page_csrf(r);
    html_printf(h,
                "<input type=\"hidden\" name=\"role\" value=\"%s\">"
                "<input type=\"hidden\" name=\"grant\" value=\"%s\">"
                "<strong>%s</strong> <span class=\"hint\">%s</span> "
                "<button type=\"submit\">%s</button></form></li>",
                ro->name, has ? "0" : "1", req_t(r, ro->label),
                req_t(r, ro->duties),
                req_t(r, has ? M_ROLE_REVOKE : M_ROLE_GRANT));
  }
  html_lit(h, "</ul>\n");

  html_printf(h, "<h2>%s</h2>\n", req_t(r, M_USER_ACTIONS));
  html_printf(h,
              "<form method=\"post\" action=\"/admin/users/%lld/reset\" "
              "class=\"inline\" data-confirm=\"%s\">",
              (long long)a.id, req_t(r, M_RESET_CONFIRM));
  page_csrf(r);
  html_printf(h, "<button type=\"submit\">%s</button></form>\n",
              req_t(r, M_RESET_PASSWORD));
  if(a.disabled) {
    html_printf(h,
                "<form method=\"post\" action=\"/admin/users/%lld/enable\" "
                "class=\"inline\">",
                (long long)a.id);
    page_csrf(r);
    html_printf(h, "<button type=\"submit\">%s</button></form>\n",
                req_t(r, M_ENABLE));
  }
  else {
    html_printf(h,
                "<form method=\"post\" action=\"/admin/users/%lld/disable\" "
                "class=\"record-form narrow\" data-confirm=\"%s\">",
                (long long)a.id, req_t(r, M_DISABLE_CONFIRM));
    page_csrf(r);
    acct_text_input(r, "reason", M_F_DISABLE_REASON, NULL, "text", 200);
    html_printf(h,
                "<div class=\"actions\"><button type=\"submit\">%s</button>"
                "</div></form>\n",
                req_t(r, M_DISABLE));
  }
  html_printf(h, "<p><a href=\"/admin/audit?actor=%s\">%s</a></p>\n", a.login,
              req_t(r, M_USER_TRAIL));
  page_end(r);
}

/* Show err as a failure of an account action. */
static void action_failed(struct req *r, enum status st,
                          const struct auth_err *err)
{
  if(st == ST_INVALID || st == ST_NOTFOUND) {
    req_fail(r, st, err->msg != M_NONE ? err->msg : M_ERR_NOT_FOUND);
    return;
  }
  req_fail(r, st, M_ERR_INTERNAL);
}

void user_role_page(struct req *r)
{
  struct account a;
  struct auth_err err;
  const char *role = req_param(r, "role");
  const char *grant = req_param(r, "grant");
  enum status st;
  if(!account_of(r, &a)) {
    return;
  }
  st = auth_grant(r->db, a.login, role ? role : "",
                  grant && strcmp(grant, "1") == 0, r->login, &err);
  if(st) {
    action_failed(r, st, &err);
    return;
  }
  req_redirect(r,
               arena_printf(&r->arena, "/admin/users/%lld", (long long)a.id));
}

void user_reset_page(struct req *r)
{
  struct account a;
  struct auth_err err;
  char otp[OTP_LEN + 1];
  enum status st;
  if(!account_of(r, &a)) {
    return;
  }
  st = auth_reset_password(r->db, a.login, r->login, otp, &err);
  if(st) {
    action_failed(r, st, &err);
    return;
  }
  otp_page(r, 200, a.login, otp, a.id);
}

static void set_disabled(struct req *r, int disabled)
{
  struct account a;
  struct auth_err err;
  enum status st;
  if(!account_of(r, &a)) {
    return;
  }
  if(disabled && a.id == r->uid) {
    req_fail(r, ST_CONFLICT, M_ACCT_NOT_SELF);
    return;
  }
  st = auth_set_disabled(r->db, a.login, disabled, req_param(r, "reason"),
                         r->login, &err);
  if(st) {
    action_failed(r, st, &err);
    return;
  }
  req_redirect(r,
               arena_printf(&r->arena, "/admin/users/%lld", (long long)a.id));
}

void user_disable_page(struct req *r)
{
  set_disabled(r, 1);
}

void user_enable_page(struct req *r)
{
  set_disabled(r, 0);
}

/* ---- settings ---- */

static void settings_form(struct req *r, int status, int saved)
{
  struct html *h = page_begin(r, status, req_t(r, M_SETTINGS_TITLE), 9);
  size_t i;
  html_printf(h, "<h1>%s</h1>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_SETTINGS_TITLE), req_t(r, M_SETTINGS_HINT));
  if(saved) {
    acct_notice(r, "notice", M_SETTINGS_SAVED);
  }
  if(r->n_errs) {
    acct_notice(r, "error", M_FORM_HAS_ERRORS);
  }
  html_lit(h, "<form method=\"post\" action=\"/admin/settings\" "
              "class=\"record-form\">");
  page_csrf(r);
  for(i = 0; i < SET_COUNT_; i++) {
    const struct setting_decl *d = &setting_decls[i];
    const char *sent = req_param(r, d->name);
    const char *value;
    char num[32];
    if(d->flags & SET_SENSITIVE) {
      value = ""; /* never shown: an empty field keeps the value */
    }
    else if(d->type == SET_TEXT) {
      value = setting_text(r->db, (enum setting_id)i, &r->arena);
    }
    else {
      snprintf(num, sizeof(num), "%lld",
               (long long)setting_int(r->db, (enum setting_id)i));
      value = num;
    }
    acct_text_input(r, d->name, d->label,
                    sent && !(d->flags & SET_SENSITIVE) ? sent : value,
                    (d->flags & SET_SENSITIVE) ? "password" :
                    d->type == SET_TEXT        ? "text" :
                                                 "number",
                    d->type == SET_TEXT ? (int)d->max : 12);
    if(d->flags & SET_SENSITIVE) {
      html_printf(h, "<p class=\"hint\">%s</p>\n",
                  req_t(r, M_SET_SENSITIVE_HINT));
    }
    if(d->type != SET_TEXT) {
      char lo[32], hi[32];
      const char *args[3];
      snprintf(lo, sizeof(lo), "%lld", (long long)d->min);
      snprintf(hi, sizeof(hi), "%lld", (long long)d->max);
      args[0] = lo;
      args[1] = hi;
      args[2] = d->def;
      html_lit(h, "<p class=\"hint\">");
      html_template(h, req_t(r, M_SETTING_RANGE), 3, args);
      html_lit(h, "</p>\n");
    }
  }
  html_printf(h,
              "<div class=\"actions\"><button type=\"submit\">%s</button>"
              "</div></form>\n",
              req_t(r, M_SAVE));
  page_end(r);
}

void settings_page(struct req *r)
{
  settings_form(r, 200, req_param(r, "saved") != NULL);
}

void settings_post_page(struct req *r)
{
  size_t i;
  enum status st = ST_OK;
  /* Check every value first: all or nothing. */
  for(i = 0; i < SET_COUNT_; i++) {
    const struct setting_decl *d = &setting_decls[i];
    const char *v = req_param(r, d->name);
    enum msg why;
    if(v && setting_check(d, v, &why)) {
      req_field_error(r, d->name, why, NULL);
    }
  }
  if(r->n_errs) {
    settings_form(r, 400, 0);
    return;
  }
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  for(i = 0; !st && i < SET_COUNT_; i++) {
    const struct setting_decl *d = &setting_decls[i];
    const char *v = req_param(r, d->name);
    char old[256];
    if(!v || ((d->flags & SET_SENSITIVE) && !*v)) {
      continue; /* a sensitive field left empty keeps its value */
    }
    if(d->type == SET_TEXT) {
      snprintf(old, sizeof(old), "%s",
               setting_text(r->db, (enum setting_id)i, &r->arena));
    }
    else {
      int64_t n;
      snprintf(old, sizeof(old), "%lld",
               (long long)setting_int(r->db, (enum setting_id)i));
      if(!str_to_i64(str_trim(str_c(v)), d->min, d->max, &n)) {
        v = arena_printf(&r->arena, "%lld", (long long)n);
      }
    }
    if(!v || strcmp(old, v) == 0) {
      continue;
    }
    st = setting_store(r->db, d, v, r->login);
    if(!st) {
      st = audit_append(r->db, r->login, "setting", d->name,
                        (d->flags & SET_SENSITIVE) ?
                          "(sensitive)" :
                          arena_printf(&r->arena, "%s -> %s", old, v));
    }
  }
  if(st) {
    db_rollback(r->db);
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  if(db_commit(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, "/admin/settings?saved=1");
}

/* ---- audit trail ---- */

void audit_page(struct req *r)
{
  struct audit_row *rows;
  int n = 0, i;
  int64_t before = 0;
  const char *b = req_param(r, "before");
  const char *actor = req_param(r, "actor");
  struct html *h;
  if(b && *b) {
    str_to_i64(str_c(b), 0, INT64_MAX, &before);
  }
  if(actor && !*actor) {
    actor = NULL;
  }
  if(audit_page_rows(r->db, before, 100, actor, &r->arena, &rows, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_AUDIT_TITLE), 9);
  html_printf(h, "<h1>%s</h1>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_AUDIT_TITLE), req_t(r, M_AUDIT_HINT));
  if(req_param(r, "verify")) {
    struct audit_check c;
    enum status st = audit_verify(r->db, &c);
    if(!st) {
      char rows_s[32];
      const char *args[2];
      snprintf(rows_s, sizeof(rows_s), "%lld", (long long)c.rows);
      args[0] = rows_s;
      args[1] = c.head;
      html_lit(h, "<p class=\"notice\" role=\"status\">");
      html_template(h, req_t(r, M_AUDIT_OK), 2, args);
      html_lit(h, "</p>\n");
    }
    else {
      char id[32];
      const char *args[2];
      snprintf(id, sizeof(id), "%lld", (long long)c.bad_id);
      args[0] = id;
      args[1] = req_t(r, c.why);
      html_lit(h, "<p class=\"error\" role=\"alert\">");
      html_template(h, req_t(r, M_AUDIT_BAD), 2, args);
      html_lit(h, "</p>\n");
    }
  }
  html_printf(
    h,
    "<form method=\"get\" action=\"/admin/audit\" class=\"filters\">"
    "<label for=\"in-actor\">%s</label> <input id=\"in-actor\" "
    "name=\"actor\" value=\"%s\"> <button type=\"submit\">%s</button>"
    " <button type=\"submit\" name=\"verify\" value=\"1\">%s"
    "</button> <a href=\"/admin/audit.jsonl\">%s</a></form>\n",
    req_t(r, M_F_ACTOR), actor ? actor : "", req_t(r, M_FILTER),
    req_t(r, M_AUDIT_VERIFY), req_t(r, M_AUDIT_EXPORT));
  html_printf(h,
              "<table class=\"list\"><thead><tr><th>#</th><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
              "</tr></thead><tbody>\n",
              req_t(r, M_F_WHEN), req_t(r, M_F_ACTOR), req_t(r, M_F_ACTION),
              req_t(r, M_F_OBJECT), req_t(r, M_F_DETAIL),
              req_t(r, M_F_SOURCE));
  for(i = 0; i < n; i++) {
    const struct audit_row *a = &rows[i];
    html_printf(h, "<tr><td>%lld</td><td>", (long long)a->id);
    page_time(r, a->at);
    html_printf(h, "</td><td>%s</td><td>%s</td><td>", a->actor, a->action);
    if(a->object && strchr(a->object, '/') &&
       strncmp(a->object, "account/", 8) != 0 &&
       strncmp(a->object, "token/", 6) != 0 && req_local_path(a->object)) {
      html_printf(h, "<a href=\"/r/%s\">%s</a>", a->object, a->object);
    }
    else {
      html_printf(h, "%s", a->object ? a->object : "");
    }
    html_printf(h, "</td><td>%s</td><td>%s</td></tr>\n",
                a->detail ? a->detail : "", a->source ? a->source : "");
  }
  html_lit(h, "</tbody></table>\n");
  if(n == 100) {
    html_printf(h, "<p><a href=\"/admin/audit?before=%lld",
                (long long)rows[n - 1].id);
    if(actor) {
      html_lit(h, "&amp;actor=");
      html_urlarg(h, str_c(actor));
    }
    html_printf(h, "\">%s</a></p>\n", req_t(r, M_NEXT_PAGE));
  }
  page_end(r);
}

/* Writes one row as a JSON line. */
static enum status export_row(void *ctx, const struct audit_row *a)
{
  struct req *r = ctx;
  struct json j;
  json_init(&j, &r->page.out);
  json_obj_begin(&j);
  json_key_i64(&j, "id", a->id);
  json_key_str(&j, "at", a->at);
  json_key_str(&j, "actor", a->actor);
  json_key_str(&j, "action", a->action);
  json_key_str(&j, "object", a->object);
  json_key_str(&j, "detail", a->detail);
  json_key_str(&j, "source", a->source);
  json_key_str(&j, "prev_hash", a->prev_hash);
  json_key_str(&j, "hash", a->hash);
  json_obj_end(&j);
  html_lit(&r->page, "\n");
  return r->page.out.err ? ST_TOOBIG : ST_OK;
}

void audit_export_page(struct req *r)
{
  const char *since = req_param(r, "since");
  enum status st;
  r->status = 200;
  r->ctype = "application/x-ndjson; charset=utf-8";
  st = audit_each(r->db, since && *since ? since : NULL, export_row, r);
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  /* The export itself is an audited event. */
  db_read_end(r->db);
  if(audit_append(r->db, r->login, "audit-export", NULL, since)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_set_header(r, "Content-Disposition",
                 "attachment; filename=\"isms-audit.jsonl\"");
}
