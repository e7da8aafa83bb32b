/*
 * review_pages.c: applications for privileged accounts and their
 * approval (玖.二.(四).1), the quarterly review of privileged accounts
 * (玖.二.(四).5) and the periodic review of every account's rights, in
 * which departing users are disabled (玖.二.(二).3).
 */
#include "accounts.h"
#include "accounts_ui.h"
#include "review_store.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "core/time.h"
#include "db/db.h"
#include "db/settings.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

const struct param_spec priv_apply_params[] = {
  { "login", PARAM_TEXT, 64, 0, 0 },
  { "reason", PARAM_TEXT, 4000, 0, 0 },
  { "valid_until", PARAM_TEXT, 10, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec priv_decide_params[] = {
  { "approve", PARAM_WORD, 1, 0, 0 },
  { "note", PARAM_TEXT, 1000, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec review_open_params[] = {
  { "kind", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec review_decide_params[] = {
  { "account", PARAM_INT, 19, 1, INT64_MAX },
  { "decision", PARAM_WORD, 8, 0, 0 },
  { "note", PARAM_TEXT, 1000, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

/* The {id} path parameter, or 0 after a 404. */
static int64_t path_id(struct req *r)
{
  const char *ids = req_path_param(r, "id");
  int64_t id;
  if(!ids || str_to_i64(str_c(ids), 1, INT64_MAX, &id)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  return id;
}

static enum msg status_label(const char *s)
{
  if(strcmp(s, "pending") == 0) {
    return M_PRIV_PENDING;
  }
  if(strcmp(s, "approved") == 0) {
    return M_PRIV_APPROVED;
  }
  if(strcmp(s, "rejected") == 0) {
    return M_PRIV_REJECTED;
  }
  return M_PRIV_USED;
}

/* A table of applications; with decide, forms to approve or reject. */
static void requests_table(struct req *r, struct priv_request *v, size_t n,
                           int decide)
{
  struct html *h = &r->page;
  size_t i;
  if(!n) {
    html_printf(h, "<p>%s</p>\n", req_t(r, M_PRIV_NONE));
    return;
  }
  html_printf(h,
              "<table class=\"list\"><thead><tr><th>#</th><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
              "</tr></thead><tbody>\n",
              req_t(r, M_PRIV_APPLICANT), req_t(r, M_F_LOGIN),
              req_t(r, M_PRIV_REASON), req_t(r, M_PRIV_UNTIL),
              req_t(r, M_F_STATUS), req_t(r, M_PRIV_DECISION));
  for(i = 0; i < n; i++) {
    const struct priv_request *p = &v[i];
    html_printf(h,
                "<tr><td>%lld</td><td>%s（%s）</td><td>%s</td><td>%s</td>"
                "<td>",
                (long long)p->id, p->owner_name ? p->owner_name : "",
                p->owner_login ? p->owner_login : "", p->login, p->reason);
    page_date(r, p->valid_until);
    html_printf(h, "</td><td>%s</td><td>", req_t(r, status_label(p->status)));
    if(p->decided_by) {
      html_printf(h, "%s ", p->decided_by);
      page_time(r, p->decided_at);
      html_printf(h, "%s%s", p->note ? "：" : "", p->note ? p->note : "");
    }
    else if(decide) {
      html_printf(h,
                  "<form method=\"post\" action=\"/admin/privileged/%lld/"
                  "decide\" class=\"inline\">",
                  (long long)p->id);
      page_csrf(r);
      html_printf(
        h,
        "<label class=\"visually-hidden\" for=\"note-%lld\">%s"
        "</label><input id=\"note-%lld\" name=\"note\" "
        "maxlength=\"1000\"> <button type=\"submit\" name=\"approve\" "
        "value=\"1\">%s</button> <button type=\"submit\" "
        "name=\"approve\" value=\"0\">%s</button></form>",
        (long long)p->id, req_t(r, M_PRIV_NOTE), (long long)p->id,
        req_t(r, M_PRIV_APPROVE), req_t(r, M_PRIV_REJECT));
    }
    html_lit(h, "</td></tr>\n");
  }
  html_lit(h, "</tbody></table>\n");
}

/* ---- applications ---- */

static void apply_form(struct req *r, int status)
{
  struct priv_request *v;
  size_t n = 0;
  struct html *h;
  if(preq_list(r->db, r->uid, &r->arena, &v, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, status, req_t(r, M_PRIV_APPLY_TITLE), 9);
  html_printf(h, "<h1>%s</h1>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_PRIV_APPLY_TITLE), req_t(r, M_PRIV_APPLY_HINT));
  if(r->n_errs) {
    acct_notice(r, "error", M_FORM_HAS_ERRORS);
  }
  html_lit(h, "<form method=\"post\" action=\"/account/privileged\" "
              "class=\"record-form\">");
  page_csrf(r);
  acct_text_input(r, "login", M_PRIV_LOGIN, req_param(r, "login"), "text", 64);
  {
    const char *err = acct_field_error(r, "reason");
    const char *v0 = req_param(r, "reason");
    html_printf(h,
                "<div class=\"field%s\"><label for=\"in-reason\">%s</label>"
                "<textarea id=\"in-reason\" name=\"reason\" rows=\"4\" "
                "maxlength=\"4000\">%s</textarea>",
                err ? " has-error" : "", req_t(r, M_PRIV_REASON),
                v0 ? v0 : "");
    if(err) {
      html_printf(h, "<p class=\"error\">%s</p>", err);
    }
    html_lit(h, "</div>");
  }
  acct_text_input(r, "valid_until", M_PRIV_UNTIL, req_param(r, "valid_until"),
                  "date", 10);
  html_printf(h,
              "<div class=\"actions\"><button type=\"submit\">%s</button>"
              "</div></form>\n<h2>%s</h2>\n",
              req_t(r, M_PRIV_APPLY_BUTTON), req_t(r, M_PRIV_MINE));
  requests_table(r, v, n, 0);
  page_end(r);
}

void priv_apply_page(struct req *r)
{
  apply_form(r, 200);
}

void priv_apply_post_page(struct req *r)
{
  struct auth_err err;
  int64_t id;
  enum status st = auth_priv_apply(
    r->db, r->uid, r->login, req_param(r, "login"), req_param(r, "reason"),
    req_param(r, "valid_until"), &id, &err);
  if(st == ST_INVALID) {
    req_field_error(r, err.field ? err.field : "", err.msg, NULL);
    apply_form(r, 400);
    return;
  }
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, "/account/privileged");
}

void priv_list_page(struct req *r)
{
  struct priv_request *v;
  size_t n = 0;
  struct html *h;
  if(preq_list(r->db, 0, &r->arena, &v, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_PRIV_LIST_TITLE), 9);
  html_printf(h, "<h1>%s</h1>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_PRIV_LIST_TITLE), req_t(r, M_PRIV_LIST_HINT));
  requests_table(r, v, n, 1);
  page_end(r);
}

void priv_decide_page(struct req *r)
{
  int64_t id = path_id(r);
  const char *approve = req_param(r, "approve");
  struct auth_err err;
  enum status st;
  if(!id) {
    return;
  }
  if(!approve || (strcmp(approve, "1") != 0 && strcmp(approve, "0") != 0)) {
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  st = auth_priv_decide(r->db, id, approve[0] == '1', r->login, r->uid,
                        req_param(r, "note"), &err);
  if(st) {
    req_fail(r, st, err.msg != M_NONE ? err.msg : M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, "/admin/privileged");
}

/* ---- reviews ---- */

/* The period of kind containing date d, and the one before, into cur
 * and prev (32 bytes each). */
static void periods(struct req *r, const char *kind, struct date d, char *cur,
                    char *prev)
{
  int len = strcmp(kind, "privileged") == 0 ?
              3 :
              (int)setting_int(r->db, SET_ACCOUNT_REVIEW_MONTHS);
  int per_year = 12 / (len > 0 ? len : 1);
  int n = (d.month - 1) / len + 1;
  char tag = strcmp(kind, "privileged") == 0 ? 'Q' : 'P';
  snprintf(cur, 32, "%04d-%c%d", d.year, tag, n);
  if(n > 1) {
    snprintf(prev, 32, "%04d-%c%d", d.year, tag, n - 1);
  }
  else {
    snprintf(prev, 32, "%04d-%c%d", d.year - 1, tag, per_year);
  }
}

/* One kind's state on the reviews page. */
static void kind_state(struct req *r, const char *kind, enum msg title)
{
  struct html *h = &r->page;
  struct date today = time_taipei_date(time_now());
  char cur[32], prev[32];
  int exists = 0, closed = 0, pexists = 0, pclosed = 0;
  periods(r, kind, today, cur, prev);
  review_store_closed(r->db, kind, cur, &exists, &closed);
  review_store_closed(r->db, kind, prev, &pexists, &pclosed);
  html_printf(h, "<h2>%s</h2>\n<p>%s %s：%s", req_t(r, title),
              req_t(r, M_REVIEW_PERIOD), cur,
              req_t(r, closed ? M_REVIEW_DONE :
                       exists ? M_REVIEW_OPEN :
                                M_REVIEW_NOT_STARTED));
  if(pexists && !pclosed) {
    html_printf(h, "</p>\n<p class=\"error\" role=\"alert\">%s %s：%s",
                req_t(r, M_REVIEW_PERIOD), prev, req_t(r, M_REVIEW_OVERDUE));
  }
  html_lit(h, "</p>\n");
  if(!exists) {
    html_lit(h, "<form method=\"post\" action=\"/admin/reviews\">");
    page_csrf(r);
    html_printf(h,
                "<input type=\"hidden\" name=\"kind\" value=\"%s\">"
                "<button type=\"submit\">%s</button></form>\n",
                kind, req_t(r, M_REVIEW_START));
  }
}

void reviews_page(struct req *r)
{
  struct review *v;
  size_t n = 0, i;
  struct html *h;
  if(review_store_list(r->db, &r->arena, &v, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_REVIEWS_TITLE), 9);
  html_printf(h, "<h1>%s</h1>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_REVIEWS_TITLE), req_t(r, M_REVIEWS_HINT));
  kind_state(r, "privileged", M_REVIEW_PRIV);
  kind_state(r, "accounts", M_REVIEW_ACCOUNTS);
  html_printf(h, "<h2>%s</h2>\n", req_t(r, M_REVIEW_ALL));
  html_printf(h,
              "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
              req_t(r, M_REVIEW_KIND), req_t(r, M_REVIEW_PERIOD),
              req_t(r, M_REVIEW_OPENED), req_t(r, M_REVIEW_ITEMS),
              req_t(r, M_F_STATUS));
  for(i = 0; i < n; i++) {
    char items[48];
    snprintf(items, sizeof(items), "%d / %d", v[i].items - v[i].open_items,
             v[i].items);
    html_printf(h,
                "<tr><td>%s</td><td><a href=\"/admin/reviews/%lld\">%s</a>"
                "</td><td>",
                req_t(r, strcmp(v[i].kind, "privileged") == 0 ?
                           M_REVIEW_PRIV :
                           M_REVIEW_ACCOUNTS),
                (long long)v[i].id, v[i].period);
    page_time(r, v[i].opened_at);
    html_printf(h, " %s</td><td>%s</td><td>%s</td></tr>\n", v[i].opened_by,
                items,
                req_t(r, v[i].closed_at ? M_REVIEW_DONE : M_REVIEW_OPEN));
  }
  html_lit(h, "</tbody></table>\n");
  page_end(r);
}

void review_open_page(struct req *r)
{
  const char *kind = req_param(r, "kind");
  struct date today = time_taipei_date(time_now());
  char cur[32], prev[32];
  int64_t id = 0;
  enum status st;
  if(!kind ||
     (strcmp(kind, "privileged") != 0 && strcmp(kind, "accounts") != 0)) {
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  periods(r, kind, today, cur, prev);
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = review_store_open(r->db, kind, cur, r->login, &id);
  if(!st) {
    st = audit_append(r->db, r->login, "review-open",
                      arena_printf(&r->arena, "review/%lld", (long long)id),
                      arena_printf(&r->arena, "%s %s", kind, cur));
  }
  if(st) {
    db_rollback(r->db);
    req_fail(r, st, st == ST_CONFLICT ? M_REVIEW_EXISTS : M_ERR_INTERNAL);
    return;
  }
  if(db_commit(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(r,
               arena_printf(&r->arena, "/admin/reviews/%lld", (long long)id));
}

void review_page(struct req *r)
{
  int64_t id = path_id(r);
  struct review rv;
  struct review_item *v;
  size_t n = 0, i;
  struct html *h;
  if(!id) {
    return;
  }
  if(review_store_get(r->db, id, &r->arena, &rv) ||
     review_store_items(r->db, id, &r->arena, &v, &n)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  h = page_begin(r, 200, rv.period, 9);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/admin/reviews\">%s</a></p>\n"
              "<h1>%s %s</h1>\n<p>%s</p>\n",
              req_t(r, M_REVIEWS_TITLE),
              req_t(r, strcmp(rv.kind, "privileged") == 0 ? M_REVIEW_PRIV :
                                                            M_REVIEW_ACCOUNTS),
              rv.period,
              req_t(r, rv.closed_at ? M_REVIEW_DONE : M_REVIEW_OPEN));
  html_printf(h,
              "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
              "<tbody>\n",
              req_t(r, M_F_LOGIN), req_t(r, M_F_NAME), req_t(r, M_F_ROLES),
              req_t(r, M_F_LAST_LOGIN), req_t(r, M_USER_TRAIL),
              req_t(r, M_PRIV_DECISION));
  for(i = 0; i < n; i++) {
    const struct review_item *it = &v[i];
    html_printf(h, "<tr><td>%s%s%s%s</td><td>%s%s%s</td><td>", it->login,
                it->privileged ? req_t(r, M_PRIVILEGED_MARK) : "",
                it->owner ? " · " : "", it->owner ? it->owner : "", it->name,
                it->unit ? " · " : "", it->unit ? it->unit : "");
    acct_roles_html(r, it->roles);
    html_printf(h,
                "</td><td>%s</td><td><a href=\"/admin/audit?actor=%s\">%s</a>"
                "</td><td>",
                acct_when(r, it->last_login), it->login,
                req_t(r, M_REVIEW_TRAIL));
    if(it->decision) {
      html_printf(
        h, "%s（%s）%s",
        req_t(r, strcmp(it->decision, "keep") == 0 ? M_REVIEW_KEEP :
                                                     M_REVIEW_DISABLE),
        it->decided_by ? it->decided_by : "", it->note ? it->note : "");
    }
    else if(!rv.closed_at) {
      html_printf(h,
                  "<form method=\"post\" action=\"/admin/reviews/%lld/decide\""
                  " class=\"inline\">",
                  (long long)id);
      page_csrf(r);
      html_printf(h,
                  "<input type=\"hidden\" name=\"account\" value=\"%lld\">"
                  "<label class=\"visually-hidden\" for=\"rn-%lld\">%s</label>"
                  "<input id=\"rn-%lld\" name=\"note\" maxlength=\"1000\"> "
                  "<button type=\"submit\" name=\"decision\" value=\"keep\">%s"
                  "</button> <button type=\"submit\" name=\"decision\" "
                  "value=\"disable\">%s</button></form>",
                  (long long)it->account, (long long)it->account,
                  req_t(r, M_PRIV_NOTE), (long long)it->account,
                  req_t(r, M_REVIEW_KEEP), req_t(r, M_REVIEW_DISABLE));
    }
    html_lit(h, "</td></tr>\n");
  }
  html_lit(h, "</tbody></table>\n");
  if(!rv.closed_at) {
    html_printf(h,
                "<form method=\"post\" action=\"/admin/reviews/%lld/close\">",
                (long long)id);
    page_csrf(r);
    html_printf(h, "<button type=\"submit\">%s</button></form>\n",
                req_t(r, M_REVIEW_CLOSE));
  }
  page_end(r);
}

void review_decide_page(struct req *r)
{
  int64_t id = path_id(r), account = 0;
  const char *decision = req_param(r, "decision");
  const char *acc = req_param(r, "account");
  const char *note = req_param(r, "note");
  struct account a;
  struct auth_err err;
  enum status st;
  if(!id) {
    return;
  }
  if(!decision ||
     (strcmp(decision, "keep") != 0 && strcmp(decision, "disable") != 0) ||
     !acc || str_to_i64(str_c(acc), 1, INT64_MAX, &account) ||
     acct_by_id(r->db, account, &r->arena, &a)) {
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  {
    /* A closed review changes nothing (checked before disabling). */
    struct review rv;
    if(review_store_get(r->db, id, &r->arena, &rv)) {
      req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
      return;
    }
    if(rv.closed_at) {
      req_fail(r, ST_CONFLICT, M_REVIEW_CLOSED);
      return;
    }
  }
  {
    /* Only an account of this review, not decided yet. */
    int open = 0;
    if(review_store_item_open(r->db, id, account, &open) || !open) {
      req_fail(r, ST_CONFLICT, M_REVIEW_CLOSED);
      return;
    }
  }
  {
    /* Nobody decides on their own accounts, daily or privileged. */
    struct account me;
    if(a.id == r->uid || a.owner == r->uid ||
       (!acct_by_id(r->db, r->uid, &r->arena, &me) && me.owner &&
        (me.owner == a.id || me.owner == a.owner))) {
      req_fail(r, ST_CONFLICT, M_REVIEW_NOT_OWN);
      return;
    }
  }
  if(strcmp(decision, "disable") == 0) {
    if(a.id == r->uid) {
      req_fail(r, ST_CONFLICT, M_ACCT_NOT_SELF);
      return;
    }
    st = auth_set_disabled(r->db, a.login, 1,
                           arena_printf(&r->arena, "review %lld%s%s",
                                        (long long)id, note ? ": " : "",
                                        note ? note : ""),
                           r->login, &err);
    if(st) {
      req_fail(r, st, M_ERR_INTERNAL);
      return;
    }
  }
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = review_store_decide(r->db, id, account, decision, note, r->login);
  if(!st) {
    st = audit_append(
      r->db, r->login, "review-decide",
      arena_printf(&r->arena, "account/%s", a.login),
      arena_printf(&r->arena, "review %lld: %s", (long long)id, decision));
  }
  if(st) {
    db_rollback(r->db);
    req_fail(r, st, st == ST_CONFLICT ? M_REVIEW_CLOSED : M_ERR_INTERNAL);
    return;
  }
  if(db_commit(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(r,
               arena_printf(&r->arena, "/admin/reviews/%lld", (long long)id));
}

void review_close_page(struct req *r)
{
  int64_t id = path_id(r);
  enum status st;
  if(!id) {
    return;
  }
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = review_store_close(r->db, id, r->login);
  if(!st) {
    st = audit_append(r->db, r->login, "review-close",
                      arena_printf(&r->arena, "review/%lld", (long long)id),
                      NULL);
  }
  if(st) {
    db_rollback(r->db);
    req_fail(r, st, st == ST_CONFLICT ? M_REVIEW_UNDECIDED : M_ERR_INTERNAL);
    return;
  }
  if(db_commit(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(r,
               arena_printf(&r->arena, "/admin/reviews/%lld", (long long)id));
}
