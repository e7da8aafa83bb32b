/*
 * risk_pages.c: the risk register report of a campaign with its heat
 * map (SVG drawn with presentation attributes: the CSP allows no inline
 * styles), and the CISO's acceptance of a risk, which holds only while
 * the risk's content still has the hash it had when accepted.
 */
#include "risk.h"
#include "risk_store.h"
#include "auth/audit.h"
#include "auth/roles.h"
#include "core/str.h"
#include "db/db.h"
#include "features/assets/assets.h"
#include "registers/register_http.h"
#include "registers/register_store.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

const struct param_spec risk_accept_params[] = {
  { "note", PARAM_TEXT, 1000, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

/* Where a risk stands with the CISO's acceptance. */
enum acc_state {
  ACC_NOT_NEEDED, /* not needed and none given */
  ACC_PENDING,    /* needed and never given */
  ACC_VALID,      /* given for the current content */
  ACC_STALE,      /* given, but the risk changed since */
};

/* The integer in text s, or 0 when it is empty or not a number. */
static int64_t num(const char *s)
{
  int64_t n = 0;
  if(!s || str_to_i64(str_c(s), INT64_MIN, INT64_MAX, &n)) {
    return 0;
  }
  return n;
}

/* A campaign's scale for field name (likelihood_levels, impact_levels). */
static int64_t levels(const struct record *camp, const char *name)
{
  int64_t n = num(reg_val(&reg_risk_campaign, camp, name));
  return n ? n : RISK_DEFAULT_LEVELS;
}

/* The acceptance state of risk rec under threshold; *acc gets the latest
 * acceptance when there is one. */
static enum acc_state acc_state(struct req *r, const struct record *rec,
                                int64_t threshold, struct risk_acceptance *acc,
                                int *has_acc)
{
  char hash[65];
  int needed = risk_needs_acceptance(
    reg_val(&reg_risk, rec, "treatment"),
    num(reg_val(&reg_risk, rec, "residual_value")), threshold);
  *has_acc = !risk_store_acceptance(r->db, rec->id, &r->arena, acc);
  if(!*has_acc) {
    return needed ? ACC_PENDING : ACC_NOT_NEEDED;
  }
  risk_content_hash(rec, hash);
  return strcmp(hash, acc->content_hash) == 0 ? ACC_VALID : ACC_STALE;
}

/* The record {reg}/{id} of the path when {reg} is want; 0 after a 404. */
static int64_t record_of(struct req *r, const struct reg *want,
                         struct record *rec)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id;
  if(reg && reg != want) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  id = reg ? reg_id_of_req(r) : 0;
  if(!id) {
    return 0;
  }
  if(reg_store_get(r->db, want, id, &r->arena, rec)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  return id;
}

/* Write what the acceptance state says, with who and when. */
static void show_state(struct req *r, enum acc_state s,
                       const struct risk_acceptance *acc)
{
  struct html *h = &r->page;
  switch(s) {
  case ACC_NOT_NEEDED:
    html_printf(h, "<span class=\"acc-none\">%s</span>",
                req_t(r, M_RK_ACC_NA));
    break;
  case ACC_PENDING:
    html_printf(h, "<strong class=\"acc-pending\">%s</strong>",
                req_t(r, M_RK_ACC_PENDING));
    break;
  case ACC_VALID:
    html_printf(h, "<span class=\"acc-valid\">%s %s ", req_t(r, M_RK_ACC_BY),
                acc->approver);
    page_time(r, acc->approved_at);
    html_printf(h, "%s%s</span>", acc->note ? "：" : "",
                acc->note ? acc->note : "");
    break;
  case ACC_STALE:
    html_printf(h, "<strong class=\"acc-stale\">%s</strong> (%s ",
                req_t(r, M_RK_ACC_STALE), acc->approver);
    page_time(r, acc->approved_at);
    html_lit(h, ")");
    break;
  }
}

/* ---- the record pages' links ---- */

void risk_campaign_links(struct req *r, int64_t id)
{
  if(id) {
    html_printf(&r->page,
                "<a class=\"button\" href=\"/r/risk_campaign/%lld/report\">"
                "%s</a> ",
                (long long)id, req_t(r, M_RK_REPORT));
  }
}

void risk_detail(struct req *r, const struct record *rec)
{
  struct record camp;
  struct risk_acceptance acc;
  enum acc_state s;
  int has_acc = 0;
  const char *cat = reg_val(&reg_risk, rec, "catalog");
  if(!reg_store_get(r->db, &reg_risk_campaign,
                    num(reg_val(&reg_risk, rec, "campaign")), &r->arena,
                    &camp)) {
    s = acc_state(r, rec, num(reg_val(&reg_risk_campaign, &camp, "threshold")),
                  &acc, &has_acc);
    html_printf(&r->page, "<dt>%s</dt><dd class=\"acceptance\">",
                req_t(r, M_RK_ACC));
    show_state(r, s, &acc);
    html_lit(&r->page, "</dd>\n");
  }
  if(cat) {
    risk_cat_suggest(r, cat);
  }
}

void risk_links(struct req *r, int64_t id)
{
  struct record rec, camp;
  struct risk_acceptance acc;
  enum acc_state s;
  int has_acc = 0;
  int64_t cid;
  html_printf(&r->page, "<a href=\"/r/risk/catalog\">%s</a> ",
              req_t(r, M_RC_LINK));
  if(!id || reg_store_get(r->db, &reg_risk, id, &r->arena, &rec)) {
    return;
  }
  cid = num(reg_val(&reg_risk, &rec, "campaign"));
  if(reg_store_get(r->db, &reg_risk_campaign, cid, &r->arena, &camp)) {
    return;
  }
  html_printf(&r->page,
              "<a class=\"button\" href=\"/r/risk_campaign/%lld/report\">"
              "%s</a> ",
              (long long)cid, req_t(r, M_RK_REPORT));
  s = acc_state(r, &rec, num(reg_val(&reg_risk_campaign, &camp, "threshold")),
                &acc, &has_acc);
  if((s == ACC_PENDING || s == ACC_STALE) && !rec.archived &&
     (r->rights & RIGHT_APPROVE)) {
    html_printf(&r->page,
                "<form method=\"post\" action=\"/r/risk/%lld/accept\" "
                "class=\"inline\">",
                (long long)id);
    page_csrf(r);
    html_printf(&r->page,
                "<label for=\"acc-note\">%s</label> <input id=\"acc-note\" "
                "name=\"note\" maxlength=\"1000\"> <button type=\"submit\">"
                "%s</button></form> ",
                req_t(r, M_PRIV_NOTE), req_t(r, M_RK_ACCEPT_BTN));
  }
}

/* ---- the acceptance ---- */

void risk_accept_page(struct req *r)
{
  struct record rec, camp;
  char hash[65];
  const char *note = req_param(r, "note");
  int64_t id = record_of(r, &reg_risk, &rec);
  enum status st;
  if(!id) {
    return;
  }
  if(reg_store_get(r->db, &reg_risk_campaign,
                   num(reg_val(&reg_risk, &rec, "campaign")), &r->arena,
                   &camp)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  if(rec.archived || !risk_needs_acceptance(
                       reg_val(&reg_risk, &rec, "treatment"),
                       num(reg_val(&reg_risk, &rec, "residual_value")),
                       num(reg_val(&reg_risk_campaign, &camp, "threshold")))) {
    req_fail(r, ST_INVALID, M_RK_NOT_NEEDED);
    return;
  }
  if(note && !*note) {
    note = NULL;
  }
  risk_content_hash(&rec, hash);
  if(db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = risk_store_accept(r->db, id, hash, r->login, note);
  if(!st) {
    st = audit_append(r->db, r->login, "risk-accept",
                      arena_printf(&r->arena, "risk/%lld", (long long)id),
                      arena_printf(&r->arena, "version %lld, value %s, %s",
                                   (long long)rec.version,
                                   reg_val(&reg_risk, &rec, "value"), hash));
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
  req_redirect(r, arena_printf(&r->arena, "/r/risk/%lld", (long long)id));
}

/* ---- the report and its heat map ---- */

#define CELL       56 /* heat-map cell size in SVG units */
#define MARGIN     40 /* room for the axis labels */
#define MAX_LEVELS 9

/* Fill colour of a zone: acceptable, depends on the asset, above. */
static const char *const zone_fill[] = { "#cde8c8", "#ffe08a", "#f2a0a0" };

static void heat_map(struct req *r, const struct record *camp,
                     const struct record *risks, size_t n)
{
  struct html *h = &r->page;
  int64_t nl = levels(camp, "likelihood_levels");
  int64_t ni = levels(camp, "impact_levels");
  int64_t threshold = num(reg_val(&reg_risk_campaign, camp, "threshold"));
  int64_t counts[MAX_LEVELS + 1][MAX_LEVELS + 1];
  int64_t l, i, w = MARGIN + ni * CELL + 8, ht = nl * CELL + MARGIN + 8;
  size_t k;
  memset(counts, 0, sizeof(counts));
  for(k = 0; k < n; k++) {
    l = num(reg_val(&reg_risk, &risks[k], "likelihood"));
    i = num(reg_val(&reg_risk, &risks[k], "impact"));
    if(l >= 1 && l <= MAX_LEVELS && i >= 1 && i <= MAX_LEVELS) {
      counts[l][i]++;
    }
  }
  html_printf(h, "<h2>%s</h2>\n<figure class=\"heatmap\">",
              req_t(r, M_RK_HEATMAP));
  html_printf(h,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%lld\" "
              "height=\"%lld\" viewBox=\"0 0 %lld %lld\" role=\"img\" "
              "aria-label=\"%s\">",
              (long long)w, (long long)ht, (long long)w, (long long)ht,
              req_t(r, M_RK_HEATMAP));
  for(l = nl; l >= 1; l--) {
    int64_t y = (nl - l) * CELL;
    html_printf(h,
                "<text x=\"%lld\" y=\"%lld\" text-anchor=\"middle\" "
                "font-size=\"14\">%lld</text>",
                (long long)(MARGIN - 12), (long long)(y + CELL / 2 + 5),
                (long long)l);
    for(i = 1; i <= ni; i++) {
      int64_t x = MARGIN + (i - 1) * CELL;
      int z = risk_zone(l, i, threshold);
      html_printf(h,
                  "<rect class=\"zone-%d\" x=\"%lld\" y=\"%lld\" "
                  "width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#fff\" "
                  "stroke-width=\"2\"><title>%s %lld × %s %lld: %lld</title>"
                  "</rect>",
                  z, (long long)x, (long long)y, CELL, CELL, zone_fill[z],
                  req_t(r, M_F_RK_LIKELIHOOD), (long long)l,
                  req_t(r, M_F_RK_IMPACT), (long long)i,
                  (long long)counts[l][i]);
      if(counts[l][i]) {
        html_printf(h,
                    "<text x=\"%lld\" y=\"%lld\" text-anchor=\"middle\" "
                    "font-size=\"18\" font-weight=\"bold\">%lld</text>",
                    (long long)(x + CELL / 2), (long long)(y + CELL / 2 + 6),
                    (long long)counts[l][i]);
      }
    }
  }
  for(i = 1; i <= ni; i++) {
    html_printf(h,
                "<text x=\"%lld\" y=\"%lld\" text-anchor=\"middle\" "
                "font-size=\"14\">%lld</text>",
                (long long)(MARGIN + (i - 1) * CELL + CELL / 2),
                (long long)(nl * CELL + 20), (long long)i);
  }
  html_printf(h,
              "<text x=\"%lld\" y=\"%lld\" text-anchor=\"middle\" "
              "font-size=\"12\">%s →</text></svg>",
              (long long)(MARGIN + ni * CELL / 2),
              (long long)(nl * CELL + MARGIN), req_t(r, M_F_RK_IMPACT));
  html_printf(h,
              "<figcaption>%s ↑ · %s → · <span class=\"zone-0\">%s</span>"
              " · <span class=\"zone-1\">%s</span> · <span class=\"zone-2\">"
              "%s</span></figcaption></figure>\n",
              req_t(r, M_F_RK_LIKELIHOOD), req_t(r, M_F_RK_IMPACT),
              req_t(r, M_RK_ZONE_LOW), req_t(r, M_RK_ZONE_MID),
              req_t(r, M_RK_ZONE_HIGH));
}

void risk_report_page(struct req *r)
{
  struct record camp, *risks;
  struct html *h;
  int64_t *ids;
  size_t n = 0, k, above = 0, pending = 0;
  int64_t threshold;
  int64_t id = record_of(r, &reg_risk_campaign, &camp);
  if(!id) {
    return;
  }
  threshold = num(reg_val(&reg_risk_campaign, &camp, "threshold"));
  if(risk_store_ids(r->db, id, &r->arena, &ids, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  risks = n ? arena_alloc(&r->arena, sizeof(*risks) * n) : NULL;
  if(n && !risks) {
    req_fail(r, ST_TOOBIG, M_ERR_INTERNAL);
    return;
  }
  for(k = 0; k < n; k++) {
    if(reg_store_get(r->db, &reg_risk, ids[k], &r->arena, &risks[k])) {
      req_fail(r, ST_DB, M_ERR_INTERNAL);
      return;
    }
  }
  h = page_begin(r, 200, req_t(r, M_RK_REPORT), 8);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/risk_campaign\">%s</a> › "
              "<a href=\"/r/risk_campaign/%lld\">%s</a></p>\n"
              "<h1>%s：%s（%s）</h1>\n",
              req_t(r, M_R_RISK_CAMPAIGN), (long long)id,
              reg_val(&reg_risk_campaign, &camp, "title"),
              req_t(r, M_RK_REPORT),
              reg_val(&reg_risk_campaign, &camp, "title"),
              reg_val(&reg_risk_campaign, &camp, "year"));
  html_printf(
    h, "<p class=\"hint\">%s：%lld · %s：1–%lld · %s：1–%lld · %s</p>\n",
    req_t(r, M_F_RK_THRESHOLD), (long long)threshold,
    req_t(r, M_F_RK_L_LEVELS), (long long)levels(&camp, "likelihood_levels"),
    req_t(r, M_F_RK_I_LEVELS), (long long)levels(&camp, "impact_levels"),
    req_t(r, M_H_RK_VALUE));
  heat_map(r, &camp, risks, n);
  html_printf(h, "<h2>%s</h2>\n", req_t(r, M_R_RISK));
  if(!n) {
    html_printf(h, "<p>%s</p>\n", req_t(r, M_RK_NONE));
    page_end(r);
    return;
  }
  html_printf(h,
              "<table class=\"list risks\"><thead><tr><th>#</th><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
              "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
              "</tr></thead><tbody>\n",
              req_t(r, M_F_RK_ASSET), req_t(r, M_F_RK_THREAT),
              req_t(r, M_F_RK_LIKELIHOOD), req_t(r, M_F_RK_IMPACT),
              req_t(r, M_F_RK_ASSET_VALUE), req_t(r, M_F_RK_VALUE),
              req_t(r, M_F_RK_TREATMENT), req_t(r, M_F_RK_R_VALUE),
              req_t(r, M_F_RK_OWNER), req_t(r, M_F_RK_DUE),
              req_t(r, M_RK_ACC));
  for(k = 0; k < n; k++) {
    const struct record *rk = &risks[k];
    const char *asset = reg_val(&reg_risk, rk, "asset");
    const char *label = reg_val(&reg_risk, rk, "asset_group");
    const char *treat = reg_val(&reg_risk, rk, "treatment");
    const char *rv = reg_val(&reg_risk, rk, "residual_value");
    const char *due = reg_val(&reg_risk, rk, "due");
    int64_t value = num(reg_val(&reg_risk, rk, "value"));
    struct risk_acceptance acc;
    int has_acc = 0;
    enum acc_state s = acc_state(r, rk, threshold, &acc, &has_acc);
    if(asset) {
      reg_store_label(r->db, &reg_asset, num(asset), &r->arena, &label);
    }
    if(value > threshold) {
      above++;
    }
    if(s == ACC_PENDING || s == ACC_STALE) {
      pending++;
    }
    html_printf(
      h,
      "<tr class=\"%s\"><td><a href=\"/r/risk/%lld\">%lld</a></td>"
      "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
      "<td><strong>%lld</strong></td><td>%s</td><td>%s</td>"
      "<td>%s</td><td>",
      value > threshold ? "above" : "within", (long long)rk->id,
      (long long)rk->id, label ? label : "", reg_val(&reg_risk, rk, "threat"),
      reg_val(&reg_risk, rk, "likelihood"), reg_val(&reg_risk, rk, "impact"),
      reg_val(&reg_risk, rk, "asset_value"), (long long)value,
      treat ?
        reg_enum_label(reg_field(&reg_risk, "treatment"), treat, r->lang) :
        "",
      rv ? rv : "",
      reg_val(&reg_risk, rk, "owner") ? reg_val(&reg_risk, rk, "owner") : "");
    if(due) {
      page_date(r, due);
    }
    html_lit(h, "</td><td>");
    show_state(r, s, &acc);
    html_lit(h, "</td></tr>\n");
  }
  html_lit(h, "</tbody></table>\n");
  {
    char a[24], b[24], c[24];
    const char *args[3];
    snprintf(a, sizeof(a), "%zu", n);
    snprintf(b, sizeof(b), "%zu", above);
    snprintf(c, sizeof(c), "%zu", pending);
    args[0] = a;
    args[1] = b;
    args[2] = c;
    html_lit(h, "<p class=\"summary\" role=\"status\">");
    html_template(h, req_t(r, M_RK_SUMMARY), 3, args);
    html_lit(h, "</p>\n");
  }
  page_end(r);
}
