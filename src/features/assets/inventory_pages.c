/*
 * inventory_pages.c: plan 柒.一.1: the yearly inventory of assets.
 * Opening a campaign lists every active asset with its owner at that
 * moment; each owner records each asset as confirmed, changed or
 * missing; completion shows per owner and unit; the campaign closes
 * once every asset is decided.  Every step is audited.
 *
 * "My assets" are the items whose owner (as copied at opening) is the
 * signed-in account's name or its user ID.  Anyone who may write the
 * asset register may record any item, so that the officer can enter
 * the results an owner returned on paper; who recorded it is kept.
 */
#include "assets.h"
#include "auth/audit.h"
#include "auth/roles.h"
#include "core/time.h"
#include "db/db.h"
#include "inventory.h"
#include "inventory_store.h"
#include "registers/register_http.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

/* Items shown per table. */
#define INV_SHOW_MAX 1000

const struct param_spec inventory_params[] = {
  { "owner", PARAM_TEXT, 100, 0, 0 },
  { "result", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec inventory_open_params[] = {
  { "title", PARAM_TEXT, 200, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec inventory_confirm_params[] = {
  { "result", PARAM_WORD, 16, 0, 0 },
  { "note", PARAM_TEXT, 2000, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

static const struct {
  const char *key; /* stored result */
  enum msg label;  /* what people see */
} results[] = {
  { "confirmed", M_INV_R_CONFIRMED },
  { "changed", M_INV_R_CHANGED },
  { "missing", M_INV_R_MISSING },
};

#define N_RESULTS (sizeof(results) / sizeof(results[0]))

static enum msg result_label(const char *s)
{
  size_t i;
  for(i = 0; s && i < N_RESULTS; i++) {
    if(strcmp(results[i].key, s) == 0) {
      return results[i].label;
    }
  }
  return M_INV_R_OPEN;
}

/* 1 when {reg} is the asset register; otherwise a 404 was answered. */
static int is_asset_reg(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  if(!reg) {
    return 0;
  }
  if(reg != &reg_asset) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  return 1;
}

/* "57%" of decided out of total, in the arena. */
static const char *pct(struct req *r, int64_t decided, int64_t total)
{
  return arena_printf(&r->arena, "%lld%%",
                      (long long)(total ? decided * 100 / total : 100));
}

/* The table of items; with can_decide, a form per item. */
static void item_table(struct req *r, const struct inv_item *v, size_t n,
                       int can_decide)
{
  struct html *h = &r->page;
  size_t i, k;
  html_printf(h,
              "<table class=\"list inv-items\"><thead><tr><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
              "<th>%s</th></tr></thead><tbody>\n",
              req_t(r, M_F_AS_PROPERTY_NO), req_t(r, M_F_AS_NAME),
              req_t(r, M_F_AS_OWNER), req_t(r, M_INV_UNIT),
              req_t(r, M_INV_RESULT), req_t(r, M_INV_NOTE),
              req_t(r, M_INV_DECIDED_BY));
  for(i = 0; i < n; i++) {
    const struct inv_item *it = &v[i];
    html_printf(h,
                "<tr id=\"a-%lld\"><td>%s</td><td><a href=\"/r/asset/%lld\">"
                "%s</a></td><td>%s</td><td>%s</td><td class=\"inv-result-%s\">"
                "%s</td><td class=\"longtext\">%s</td><td>%s ",
                (long long)it->asset, it->property_no ? it->property_no : "",
                (long long)it->asset, it->name ? it->name : "",
                it->owner ? it->owner : "", it->unit ? it->unit : "",
                it->result ? it->result : "open",
                req_t(r, result_label(it->result)), it->note ? it->note : "",
                it->decided_by ? it->decided_by : "");
    if(it->decided_at) {
      page_time(r, it->decided_at);
    }
    if(can_decide) {
      html_printf(h,
                  "<form method=\"post\" action=\"/r/asset/%lld/confirm\" "
                  "class=\"inline\">",
                  (long long)it->asset);
      page_csrf(r);
      html_printf(h,
                  "<label class=\"visually-hidden\" for=\"ir-%lld\">%s"
                  "</label><select id=\"ir-%lld\" name=\"result\">",
                  (long long)it->asset, req_t(r, M_INV_RESULT),
                  (long long)it->asset);
      for(k = 0; k < N_RESULTS; k++) {
        html_printf(h, "<option value=\"%s\"%s>%s</option>", results[k].key,
                    it->result && strcmp(it->result, results[k].key) == 0 ?
                      " selected" :
                      "",
                    req_t(r, results[k].label));
      }
      html_printf(h,
                  "</select> <label class=\"visually-hidden\" "
                  "for=\"in-%lld\">%s</label><input id=\"in-%lld\" "
                  "name=\"note\" maxlength=\"2000\" value=\"%s\"> "
                  "<button type=\"submit\">%s</button></form>",
                  (long long)it->asset, req_t(r, M_INV_NOTE),
                  (long long)it->asset, it->note ? it->note : "",
                  req_t(r, M_INV_SAVE));
    }
    html_lit(h, "</td></tr>\n");
  }
  html_lit(h, "</tbody></table>\n");
}

/* The notice that a table was cut at INV_SHOW_MAX. */
static void shown_note(struct req *r)
{
  char m[16];
  const char *args[1];
  snprintf(m, sizeof(m), "%d", INV_SHOW_MAX);
  args[0] = m;
  html_lit(&r->page, "<p class=\"notice\">");
  html_template(&r->page, req_t(r, M_INV_SHOWN), 1, args);
  html_lit(&r->page, "</p>\n");
}

static void campaign_list(struct req *r, const struct inventory *v, size_t n)
{
  struct html *h = &r->page;
  size_t i;
  html_printf(h,
              "<h2>%s</h2>\n<table class=\"list\"><thead><tr><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
              "<tbody>\n",
              req_t(r, M_INV_CAMPAIGNS), req_t(r, M_INV_YEAR),
              req_t(r, M_INV_F_TITLE), req_t(r, M_INV_OPENED),
              req_t(r, M_INV_CLOSED), req_t(r, M_INV_PCT));
  for(i = 0; i < n; i++) {
    html_printf(h, "<tr><td>%d</td><td>%s</td><td>%s ", v[i].year, v[i].title,
                v[i].opened_by);
    page_time(r, v[i].opened_at);
    html_lit(h, "</td><td>");
    if(v[i].closed_at) {
      html_printf(h, "%s ", v[i].closed_by);
      page_time(r, v[i].closed_at);
    }
    else {
      html_printf(h, "%s", req_t(r, M_INV_IN_PROGRESS));
    }
    html_printf(h, "</td><td>%s</td></tr>\n",
                pct(r, v[i].decided, v[i].total));
  }
  html_lit(h, "</tbody></table>\n");
}

void inventory_page(struct req *r)
{
  struct inventory *all, cur;
  struct inv_progress *pr;
  struct inv_item *items;
  struct inv_filter f;
  size_t n_all = 0, n_pr = 0, n_items = 0, i, k;
  int has_cur, more = 0, can_write;
  const char *owner = req_param(r, "owner");
  const char *result = req_param(r, "result");
  struct html *h;
  if(!is_asset_reg(r)) {
    return;
  }
  if(result && result_label(result) == M_INV_R_OPEN &&
     strcmp(result, "open") != 0) {
    result = NULL;
  }
  if(inv_store_list(r->db, &r->arena, &all, &n_all)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  has_cur = !inv_store_current(r->db, &r->arena, &cur);
  can_write = (r->rights & W(reg_asset.area)) != 0;
  h = page_begin(r, 200, req_t(r, M_INV_TITLE), reg_asset.chapter);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/asset\">%s</a></p>\n"
              "<h1>%s</h1>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_R_ASSET), req_t(r, M_INV_TITLE),
              req_t(r, M_INV_HINT));
  if(!has_cur) {
    if(!n_all) {
      html_printf(h, "<p>%s</p>\n", req_t(r, M_INV_NONE));
    }
    if(can_write) {
      html_lit(h, "<form method=\"post\" action=\"/r/asset/inventory\" "
                  "class=\"record-form\">");
      page_csrf(r);
      html_printf(h,
                  "<div class=\"field\"><label for=\"in-title\">%s</label>"
                  "<input type=\"text\" id=\"in-title\" name=\"title\" "
                  "maxlength=\"200\"></div><div class=\"actions\"><button "
                  "type=\"submit\">%s</button></div></form>\n",
                  req_t(r, M_INV_F_TITLE), req_t(r, M_INV_OPEN));
    }
    if(n_all) {
      campaign_list(r, all, n_all);
    }
    page_end(r);
    return;
  }
  html_printf(h, "<h2>%d %s</h2>\n<p class=\"summary\" role=\"status\">",
              cur.year, cur.title);
  {
    char a[24], b[24];
    const char *args[3];
    snprintf(a, sizeof(a), "%lld", (long long)cur.decided);
    snprintf(b, sizeof(b), "%lld", (long long)cur.total);
    args[0] = a;
    args[1] = b;
    args[2] = pct(r, cur.decided, cur.total);
    html_template(h, req_t(r, M_INV_SUMMARY), 3, args);
  }
  html_lit(h, "</p>\n");
  if(can_write) {
    html_printf(h,
                "<form method=\"post\" action=\"/r/asset/inventory/close\" "
                "class=\"actions\" data-confirm=\"%s\">",
                req_t(r, M_INV_CLOSE_CONFIRM));
    page_csrf(r);
    html_printf(h, "<button type=\"submit\">%s</button>%s%s</form>\n",
                req_t(r, M_INV_CLOSE), cur.decided < cur.total ? " " : "",
                cur.decided < cur.total ? req_t(r, M_INV_NOT_DONE) : "");
  }
  /* Completion per owner and unit. */
  if(inv_store_progress(r->db, cur.id, &r->arena, &pr, &n_pr)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  html_printf(h,
              "<h2>%s</h2>\n<table class=\"list inv-progress\"><thead><tr>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
              "<th>%s</th><th>%s</th><th class=\"pct\">%s</th></tr></thead>"
              "<tbody>\n",
              req_t(r, M_INV_PROGRESS), req_t(r, M_INV_UNIT),
              req_t(r, M_F_AS_OWNER), req_t(r, M_INV_TOTAL),
              req_t(r, M_INV_DECIDED), req_t(r, M_INV_R_CONFIRMED),
              req_t(r, M_INV_R_CHANGED), req_t(r, M_INV_R_MISSING),
              req_t(r, M_INV_PCT));
  for(i = 0; i < n_pr; i++) {
    html_printf(h, "<tr><td>%s</td><td><a href=\"/r/asset/inventory?owner=",
                pr[i].unit ? pr[i].unit : "");
    html_urlarg(h, str_c(pr[i].owner ? pr[i].owner : ""));
    html_printf(h,
                "\">%s</a></td><td>%lld</td><td>%lld</td><td>%lld</td>"
                "<td>%lld</td><td>%lld</td><td class=\"pct\">%s</td></tr>\n",
                pr[i].owner ? pr[i].owner : req_t(r, M_INV_NO_OWNER),
                (long long)pr[i].total, (long long)pr[i].decided,
                (long long)pr[i].confirmed, (long long)pr[i].changed,
                (long long)pr[i].missing, pct(r, pr[i].decided, pr[i].total));
  }
  html_lit(h, "</tbody></table>\n");
  /* Filters. */
  html_printf(h,
              "<form class=\"filters\" method=\"get\" "
              "action=\"/r/asset/inventory\" role=\"search\"><label>%s "
              "<input type=\"search\" name=\"owner\" value=\"%s\" "
              "maxlength=\"100\"></label> <label>%s <select name=\"result\">"
              "<option value=\"\">%s</option><option value=\"open\"%s>%s"
              "</option>",
              req_t(r, M_F_AS_OWNER), owner ? owner : "",
              req_t(r, M_INV_RESULT), req_t(r, M_INV_ALL),
              result && strcmp(result, "open") == 0 ? " selected" : "",
              req_t(r, M_INV_R_OPEN));
  for(k = 0; k < N_RESULTS; k++) {
    html_printf(h, "<option value=\"%s\"%s>%s</option>", results[k].key,
                result && strcmp(result, results[k].key) == 0 ? " selected" :
                                                                "",
                req_t(r, results[k].label));
  }
  html_printf(h,
              "</select></label> <button type=\"submit\">%s</button>"
              "</form>\n",
              req_t(r, M_INV_FILTER));
  /* My assets first, then the others. */
  memset(&f, 0, sizeof(f));
  f.owner = owner && *owner ? owner : NULL;
  f.result = result && *result ? result : NULL;
  f.me = r->user_name;
  f.me2 = r->login;
  f.mine = 1;
  if(inv_store_items(r->db, cur.id, &f, INV_SHOW_MAX, &r->arena, &items,
                     &n_items, &more)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  html_printf(h, "<h2>%s</h2>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_INV_MINE), req_t(r, M_INV_MINE_HINT));
  if(n_items) {
    item_table(r, items, n_items, can_write);
  }
  else {
    html_printf(h, "<p class=\"none\">%s</p>\n", req_t(r, M_LABELS_NONE));
  }
  if(more) {
    shown_note(r);
  }
  f.mine = -1;
  if(inv_store_items(r->db, cur.id, &f, INV_SHOW_MAX, &r->arena, &items,
                     &n_items, &more)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  html_printf(h, "<h2>%s</h2>\n", req_t(r, M_INV_OTHERS));
  if(n_items) {
    item_table(r, items, n_items, can_write);
  }
  else {
    html_printf(h, "<p class=\"none\">%s</p>\n", req_t(r, M_LABELS_NONE));
  }
  if(more) {
    shown_note(r);
  }
  campaign_list(r, all, n_all);
  page_end(r);
}

/* Commit with an audit row, or roll back; 0 after a failure answer. */
static int finish(struct req *r, enum status st, const char *action,
                  const char *object, const char *detail)
{
  if(!st) {
    st = audit_append(r->db, r->login, action, object, detail);
  }
  if(st) {
    db_rollback(r->db);
    req_fail(r, st,
             st == ST_CONFLICT ? M_INV_NOT_DONE :
             st == ST_NOTFOUND ? M_INV_NOT_IN :
                                 M_ERR_INTERNAL);
    return 0;
  }
  if(db_commit(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return 0;
  }
  return 1;
}

void inventory_open_page(struct req *r)
{
  const char *title = req_param(r, "title");
  struct date d = time_taipei_date(time_now());
  int64_t id = 0, n = 0;
  enum status st;
  if(!is_asset_reg(r)) {
    return;
  }
  if(!title || !*title) {
    title =
      arena_printf(&r->arena, "%d %s", d.year, req_t(r, M_INV_DEFAULT_TITLE));
  }
  if(!title || db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = inv_store_open(r->db, d.year, title, r->login, &id, &n);
  if(st == ST_CONFLICT) {
    db_rollback(r->db);
    req_fail(r, ST_CONFLICT, M_INV_ALREADY);
    return;
  }
  if(!finish(
       r, st, "inventory-open",
       arena_printf(&r->arena, "inventory/%lld", (long long)id),
       arena_printf(&r->arena, "%d: %lld assets", d.year, (long long)n))) {
    return;
  }
  req_redirect(r, "/r/asset/inventory");
}

void inventory_close_page(struct req *r)
{
  struct inventory cur;
  if(!is_asset_reg(r)) {
    return;
  }
  if(inv_store_current(r->db, &r->arena, &cur)) {
    req_fail(r, ST_CONFLICT, M_INV_NOT_OPEN);
    return;
  }
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  if(!finish(r, inv_store_close(r->db, cur.id, r->login), "inventory-close",
             arena_printf(&r->arena, "inventory/%lld", (long long)cur.id),
             arena_printf(&r->arena, "%d: %lld assets", cur.year,
                          (long long)cur.total))) {
    return;
  }
  req_redirect(r, "/r/asset/inventory");
}

void inventory_confirm_page(struct req *r)
{
  struct inventory cur;
  const char *result = req_param(r, "result");
  const char *note = req_param(r, "note");
  int64_t id;
  if(!is_asset_reg(r)) {
    return;
  }
  id = reg_id_of_req(r);
  if(!id) {
    return;
  }
  if(!result || result_label(result) == M_INV_R_OPEN) {
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  if(strcmp(result, "confirmed") != 0 && (!note || !*note)) {
    req_fail(r, ST_INVALID, M_INV_NEED_NOTE);
    return;
  }
  if(inv_store_current(r->db, &r->arena, &cur)) {
    req_fail(r, ST_CONFLICT, M_INV_NOT_OPEN);
    return;
  }
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  if(!finish(r, inv_store_decide(r->db, cur.id, id, result, note, r->login),
             "inventory-confirm",
             arena_printf(&r->arena, "asset/%lld", (long long)id),
             arena_printf(&r->arena, "%d: %s", cur.year, result))) {
    return;
  }
  req_redirect(
    r, arena_printf(&r->arena, "/r/asset/inventory#a-%lld", (long long)id));
}
