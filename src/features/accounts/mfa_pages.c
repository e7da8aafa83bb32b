/*
 * mfa_pages.c: multi-factor sign-in (TOTP, RFC 6238): the code asked
 * after the password, enrolment with a QR code, and recovery codes.
 * Required for privileged accounts (附表十 #37 at 高; plan 玖.二.(四)).
 */
#include "accounts.h"
#include "accounts_ui.h"
#include "auth/auth.h"
#include "auth/qr.h"
#include "auth/totp.h"
#include "core/time.h"
#include "db/db.h"
#include "http/router.h"
#include "ui/layout.h"

#include <sodium.h>
#include <string.h>

const struct param_spec mfa_params[] = {
  { "code", PARAM_TEXT, 64, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

/* 1 if the session may take this step now, else redirect (see
 * accounts_pages.c). */
static int step_ok(struct req *r, const char *page)
{
  if(r->step && strcmp(r->step, page) != 0) {
    req_redirect(r, r->step);
    return 0;
  }
  return 1;
}

/* The code input: digits from an app or a recovery code. */
static void code_input(struct req *r)
{
  html_printf(&r->page,
              "<div class=\"field%s\"><label for=\"in-code\">%s</label>"
              "<input id=\"in-code\" name=\"code\" maxlength=\"24\" "
              "autocomplete=\"one-time-code\" inputmode=\"text\" "
              "spellcheck=\"false\" autofocus required></div>\n",
              "", req_t(r, M_F_MFA_CODE));
}

/* Move the session on after a step and go to what is owed next. */
static void advance(struct req *r, const char *done_page)
{
  struct login_result res;
  const char *next;
  if(auth_session_advance(r->db, req_cookie(r, SESSION_COOKIE), r->uid,
                          time_now(), r->peer, &res)) {
    acct_session_cookie(r, NULL);
    req_redirect(r, "/login");
    return;
  }
  acct_session_cookie(r, res.cookie);
  next = auth_step_page(res.state);
  req_redirect(r, next ? next : done_page);
}

/* ---- the code after the password ---- */

static void mfa_form(struct req *r, int status, enum msg err)
{
  struct html *h = page_begin(r, status, req_t(r, M_MFA_TITLE), 0);
  html_printf(h, "<h1>%s</h1>\n", req_t(r, M_MFA_TITLE));
  if(err != M_NONE) {
    acct_notice(r, "error", err);
  }
  html_printf(h, "<p>%s</p>\n", req_t(r, M_MFA_ASK));
  html_lit(h, "<form method=\"post\" action=\"/login/mfa\" "
              "class=\"record-form narrow\" autocomplete=\"off\">");
  page_csrf(r);
  code_input(r);
  html_printf(h,
              "<div class=\"actions\"><button type=\"submit\">%s</button>"
              "</div></form>\n",
              req_t(r, M_MFA_VERIFY));
  html_lit(h, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
  page_csrf(r);
  html_printf(h,
              "<button type=\"submit\" class=\"secondary\">%s</button>"
              "</form>\n",
              req_t(r, M_LOGOUT));
  page_end(r);
}

void mfa_page(struct req *r)
{
  if(!r->step || strcmp(r->step, "/login/mfa") != 0) {
    req_redirect(r, r->step ? r->step : "/");
    return;
  }
  mfa_form(r, 200, M_NONE);
}

void mfa_post_page(struct req *r)
{
  enum status st;
  if(!r->step || strcmp(r->step, "/login/mfa") != 0) {
    req_redirect(r, r->step ? r->step : "/");
    return;
  }
  st =
    auth_mfa_verify(r->db, r->uid, r->login, req_param(r, "code"), time_now());
  if(st == ST_TOOBIG) {
    mfa_form(r, 429, M_LOGIN_SLOW);
    return;
  }
  if(st == ST_FORBIDDEN || st == ST_NOTFOUND) {
    mfa_form(r, 403, M_MFA_WRONG);
    return;
  }
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  advance(r, "/");
}

/* ---- enrolment ---- */

/* The recovery codes, shown once. */
static void codes_page(struct req *r, int status, const char *codes)
{
  struct html *h = page_begin(r, status, req_t(r, M_MFA_CODES_TITLE), 0);
  size_t i;
  html_printf(h,
              "<h1>%s</h1>\n<p class=\"notice\" role=\"status\">%s</p>\n"
              "<ol class=\"codes\" id=\"recovery-codes\">",
              req_t(r, M_MFA_CODES_TITLE), req_t(r, M_MFA_CODES_ONCE));
  for(i = 0; i < RECOVERY_CODES; i++) {
    html_printf(h, "<li><code>%s</code></li>",
                codes + i * (RECOVERY_CODE_LEN + 1));
  }
  html_printf(h,
              "</ol>\n<p><button type=\"button\" class=\"print\" hidden>%s"
              "</button> <a href=\"/account\">%s</a></p>\n",
              req_t(r, M_PRINT), req_t(r, M_ACCOUNT_TITLE));
  page_end(r);
}

/* The enrolment page: with a new pending secret (fresh), or again with
 * the pending one after a wrong code, so the app's entry still fits. */
static void enroll_form(struct req *r, int status, enum msg err, int fresh)
{
  unsigned char secret[TOTP_SECRET_BYTES];
  struct buf b32, uri, svg;
  struct html *h;
  /* Keeping a new pending secret is a write: not inside a GET's read
   * snapshot. */
  db_read_end(r->db);
  if((fresh || acct_totp_pending(r->db, r->uid, secret, sizeof(secret))) &&
     auth_mfa_begin(r->db, r->uid, secret)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  buf_init(&b32, 256);
  buf_init(&uri, 4096);
  buf_init(&svg, 1 << 20);
  totp_base32(&b32, secret, sizeof(secret));
  totp_uri(&uri, req_t(r, M_APP_SHORT), r->login, secret, sizeof(secret));
  sodium_memzero(secret, sizeof(secret));
  h = page_begin(r, status, req_t(r, M_MFA_ENROLL_TITLE), 0);
  html_printf(h, "<h1>%s</h1>\n", req_t(r, M_MFA_ENROLL_TITLE));
  if(r->step) {
    acct_notice(r, "notice", M_MFA_REQUIRED);
  }
  if(err != M_NONE) {
    acct_notice(r, "error", err);
  }
  html_printf(h, "<ol class=\"steps\"><li>%s</li><li>%s",
              req_t(r, M_MFA_STEP1), req_t(r, M_MFA_STEP2));
  if(!qr_svg(&svg, uri.data, 4, req_t(r, M_MFA_QR_LABEL))) {
    /* As a data: image (the CSP allows img-src data:), so the markup
     * never mixes with the page's. */
    size_t n =
      sodium_base64_encoded_len(svg.len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = arena_alloc(&r->arena, n);
    if(b64) {
      sodium_bin2base64(b64, n, (const unsigned char *)svg.data, svg.len,
                        sodium_base64_VARIANT_ORIGINAL);
      html_printf(h,
                  "<p class=\"qr\"><img src=\"data:image/svg+xml;base64,%s\" "
                  "alt=\"%s\"></p>",
                  b64, req_t(r, M_MFA_QR_LABEL));
    }
  }
  html_printf(h,
              "<code class=\"secret key\" id=\"totp-secret\">%s</code></li>"
              "<li>%s</li></ol>\n",
              b32.data, req_t(r, M_MFA_STEP3));

  html_lit(h, "<form method=\"post\" action=\"/account/mfa\" "
              "class=\"record-form narrow\" autocomplete=\"off\">");
  page_csrf(r);
  code_input(r);
  html_printf(h,
              "<div class=\"actions\"><button type=\"submit\">%s</button>"
              "</div></form>\n",
              req_t(r, M_MFA_CONFIRM));
  page_end(r);
  buf_free(&b32);
  buf_free(&uri);
  buf_free(&svg);
}

void enroll_page(struct req *r)
{
  struct account a;
  int left = 0;
  struct html *h;
  if(!step_ok(r, "/account/mfa")) {
    return;
  }
  if(acct_by_id(r->db, r->uid, &r->arena, &a)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  if(!a.totp_secret) {
    enroll_form(r, 200, M_NONE, 1);
    return;
  }
  /* Enrolled already: show the state and new recovery codes. */
  rcode_left(r->db, r->uid, &left);
  h = page_begin(r, 200, req_t(r, M_MFA_ENROLL_TITLE), 0);
  html_printf(h, "<h1>%s</h1>\n<p>%s</p>\n", req_t(r, M_MFA_ENROLL_TITLE),
              req_t(r, M_MFA_IS_ON));
  {
    char n[16];
    const char *args[1];
    snprintf(n, sizeof(n), "%d", left);
    args[0] = n;
    html_lit(h, "<p>");
    html_template(h, req_t(r, M_MFA_CODES_LEFT), 1, args);
    html_lit(h, "</p>\n");
  }
  html_printf(h,
              "<form method=\"post\" action=\"/account/mfa/codes\" "
              "data-confirm=\"%s\">",
              req_t(r, M_MFA_NEW_CODES_CONFIRM));
  page_csrf(r);
  html_printf(h, "<button type=\"submit\">%s</button></form>\n",
              req_t(r, M_MFA_NEW_CODES));
  page_end(r);
}

void enroll_post_page(struct req *r)
{
  char codes[RECOVERY_CODES * (RECOVERY_CODE_LEN + 1)];
  struct login_result res;
  enum status st;
  struct account a;
  if(!step_ok(r, "/account/mfa")) {
    return;
  }
  /* Enrolled already: a session alone may not replace the factor. */
  if(acct_by_id(r->db, r->uid, &r->arena, &a) || a.totp_secret) {
    req_fail(r, ST_CONFLICT, M_MFA_IS_ON);
    return;
  }
  st = auth_mfa_confirm(r->db, r->uid, r->login, req_param(r, "code"),
                        time_now(), codes);
  if(st == ST_FORBIDDEN || st == ST_NOTFOUND) {
    enroll_form(r, 400, M_MFA_WRONG, 0);
    return;
  }
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  /* Privileges change with the second factor: a new session id. */
  if(auth_session_advance(r->db, req_cookie(r, SESSION_COOKIE), r->uid,
                          time_now(), r->peer, &res)) {
    acct_session_cookie(r, NULL);
    req_redirect(r, "/login");
    return;
  }
  acct_session_cookie(r, res.cookie);
  codes_page(r, 200, codes);
  sodium_memzero(codes, sizeof(codes));
}

void codes_post_page(struct req *r)
{
  char codes[RECOVERY_CODES * (RECOVERY_CODE_LEN + 1)];
  struct account a;
  if(acct_by_id(r->db, r->uid, &r->arena, &a) || !a.totp_secret) {
    req_fail(r, ST_CONFLICT, M_MFA_NOT_ON);
    return;
  }
  if(auth_mfa_new_codes(r->db, r->uid, r->login, codes)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  codes_page(r, 200, codes);
  sodium_memzero(codes, sizeof(codes));
}
