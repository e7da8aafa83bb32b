/*
 * risk_catalog_pages.c: form 7 (風險類型暨風險對策參考表) on the web: the
 * printable catalog page with the shipped reference entries and the
 * agency's own risk types in one table, filtered by asset class, each
 * row linking to a new risk prefilled from it; the countermeasures a
 * risk's catalog entry suggests on its record page; and the links of
 * the risk type register's pages.
 */
#include "risk.h"
#include "auth/roles.h"
#include "registers/register_http.h"
#include "registers/register_store.h"
#include "rules/baseline.h"
#include "rules/riskcat.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

const struct param_spec risk_catalog_params[] = {
  { "class", PARAM_TEXT, 40, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

/* 1 if the account may create risks and risk types (both are in the
 * asset area); the router enforces it either way. */
static int can_write(const struct req *r)
{
  return (r->rights & W(AREA_ASSET)) != 0;
}

/* The name of 附表十 family (zh-TW name) in the page's language. */
static const char *family_name(const struct req *r, const char *family)
{
  const struct control *c = family ? baseline_family(family) : NULL;
  if(!c) {
    return family;
  }
  return r->lang == LANG_EN ? c->family_en : c->family;
}

/* The names of the asset classes in bits, joined with "、". */
static void class_names(struct req *r, unsigned bits)
{
  const struct riskcat_asset_class *classes;
  size_t n, i;
  int first = 1;
  classes = riskcat_asset_classes(&n);
  for(i = 0; i < n; i++) {
    if(!(bits & classes[i].bit)) {
      continue;
    }
    html_printf(&r->page, "%s%s", first ? "" : "、",
                r->lang == LANG_EN ? classes[i].name_en : classes[i].name);
    first = 0;
  }
}

/* The countermeasures of c as a list, each with its family. */
static void measures(struct req *r, const struct risk_cat *c)
{
  struct html *h = &r->page;
  size_t i;
  html_lit(h, "<ol class=\"measures\">");
  for(i = 0; i < c->n_measures; i++) {
    html_printf(h, "<li>%s", c->measures[i]);
    if(c->families[i]) {
      html_printf(h, " <span class=\"tag family\">%s</span>",
                  family_name(r, c->families[i]));
    }
    html_lit(h, "</li>");
  }
  html_lit(h, "</ol>");
}

/* The address of a new risk prefilled from c (catalog id, threat and
 * vulnerability), as an href value. */
static void prefill_href(struct req *r, const struct risk_cat *c)
{
  struct html *h = &r->page;
  html_lit(h, "/r/risk/new?catalog=");
  html_urlarg(h, str_c(c->id));
  html_lit(h, "&amp;threat=");
  html_urlarg(h, str_c(c->threat ? c->threat : ""));
  if(c->vulnerability) {
    html_lit(h, "&amp;vulnerability=");
    html_urlarg(h, str_c(c->vulnerability));
  }
}

/* One row of the catalog table. */
static void catalog_row(struct req *r, const struct risk_cat *c, int writable)
{
  struct html *h = &r->page;
  html_printf(h, "<tr id=\"cat-%s\" class=\"%s\"><th scope=\"row\">", c->id,
              c->type_id ? "agency" : "ref");
  if(c->type_id) {
    html_printf(h, "<a href=\"/r/risk_type/%lld\">%s</a>",
                (long long)c->type_id, c->id);
  }
  else {
    html_printf(h, "%s", c->id);
  }
  html_printf(h,
              "</th><td><span class=\"src src-%s\">%s</span></td>"
              "<td>%s</td><td>%s</td><td>%s</td><td>",
              c->type_id ? "agency" : "ref",
              req_t(r, c->type_id ? M_RC_SRC_AGENCY : M_RC_SRC_REF), c->type,
              c->threat, c->vulnerability ? c->vulnerability : "");
  class_names(r, c->asset_classes);
  html_lit(h, "</td><td>");
  measures(r, c);
  html_lit(h, "</td>");
  if(writable) {
    html_lit(h, "<td class=\"use\"><a href=\"");
    prefill_href(r, c);
    html_printf(h, "\">%s</a></td>", req_t(r, M_RC_USE));
  }
  html_lit(h, "</tr>\n");
}

/* The asset-class filter with the current choice (bit, 0 for all). */
static void class_filter(struct req *r, unsigned bit)
{
  const struct riskcat_asset_class *classes;
  struct html *h = &r->page;
  size_t n, i;
  classes = riskcat_asset_classes(&n);
  html_printf(h,
              "<form class=\"filters\" method=\"get\" "
              "action=\"/r/risk/catalog\" role=\"search\">\n"
              "<label>%s <select name=\"class\"><option value=\"\">%s"
              "</option>",
              req_t(r, M_RC_CLASSES), req_t(r, M_LIST_FILTER_ALL));
  for(i = 0; i < n; i++) {
    html_printf(h, "<option value=\"%s\"%s>%s</option>", classes[i].key,
                bit == classes[i].bit ? " selected" : "",
                r->lang == LANG_EN ? classes[i].name_en : classes[i].name);
  }
  html_printf(h,
              "</select></label>\n<button type=\"submit\">%s</button> "
              "<a href=\"/r/risk/catalog\">%s</a></form>\n",
              req_t(r, M_LIST_APPLY), req_t(r, M_LIST_RESET));
}

void risk_catalog_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  const char *cls = req_param(r, "class");
  struct risk_cat *v;
  size_t n_ref = 0, n_agency = 0, i;
  unsigned bit = 0;
  int writable = can_write(r);
  struct html *h;
  if(!reg) {
    return;
  }
  if(reg != &reg_risk) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  if(cls && *cls) {
    bit = riskcat_asset_parse(cls);
    if(!bit) {
      req_fail(r, ST_INVALID, M_RC_BAD_CLASS);
      return;
    }
  }
  if(risk_cat_list(r->db, bit, r->lang, &r->arena, &v, &n_ref, &n_agency)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_RC_TITLE), reg->chapter);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/risk\">%s</a></p>\n"
              "<h1>%s</h1>\n<p class=\"source\">%s</p>\n"
              "<p class=\"hint\">%s</p>\n",
              req_t(r, M_R_RISK), req_t(r, M_RC_TITLE), req_t(r, M_S_RISK),
              req_t(r, M_RC_INTRO));
  html_printf(h, "<div class=\"actions\"><a href=\"/r/risk_type\">%s</a> ",
              req_t(r, M_R_RISK_TYPE));
  if(writable) {
    html_printf(h, "<a class=\"button\" href=\"/r/risk_type/new\">%s</a> ",
                req_t(r, M_RC_ADD));
  }
  html_printf(h,
              "<button type=\"button\" class=\"print\" hidden>%s</button>"
              "</div>\n",
              req_t(r, M_PRINT));
  class_filter(r, bit);
  {
    char all[24], ref[24], agency[24];
    const char *args[3] = { all, ref, agency };
    snprintf(all, sizeof(all), "%zu", n_ref + n_agency);
    snprintf(ref, sizeof(ref), "%zu", n_ref);
    snprintf(agency, sizeof(agency), "%zu", n_agency);
    html_lit(h, "<p class=\"count\" role=\"status\">");
    html_template(h, req_t(r, M_RC_COUNT), 3, args);
    html_lit(h, "</p>\n");
  }
  if(!n_ref && !n_agency) {
    html_printf(h, "<p class=\"empty\">%s</p>\n", req_t(r, M_RC_NONE));
    page_end(r);
    return;
  }
  html_printf(h,
              "<div class=\"table-wrap\"><table class=\"list catalog\">"
              "<caption class=\"visually-hidden\">%s</caption>\n<thead><tr>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th>",
              req_t(r, M_RC_TITLE), req_t(r, M_RC_ID), req_t(r, M_RC_SOURCE),
              req_t(r, M_F_RT_TYPE), req_t(r, M_F_RK_THREAT),
              req_t(r, M_F_RK_VULN), req_t(r, M_RC_CLASSES),
              req_t(r, M_RC_MEASURES));
  if(writable) {
    html_printf(h, "<th scope=\"col\" class=\"use\">%s</th>",
                req_t(r, M_RC_USE_COL));
  }
  html_lit(h, "</tr></thead>\n<tbody>\n");
  for(i = 0; i < n_ref + n_agency; i++) {
    catalog_row(r, &v[i], writable);
  }
  html_lit(h, "</tbody></table></div>\n");
  page_end(r);
}

void risk_cat_suggest(struct req *r, const char *id)
{
  struct html *h = &r->page;
  struct risk_cat c;
  const char *args[2];
  if(!id || risk_cat_get(r->db, id, r->lang, &r->arena, &c)) {
    return;
  }
  args[0] = c.id;
  args[1] = c.type;
  html_printf(h, "<dt>%s</dt><dd class=\"cat-suggest\"><p>",
              req_t(r, M_RC_SUGGEST));
  html_template(h, req_t(r, M_RC_SUGGEST_OF), 2, args);
  if(c.is_archived) {
    html_printf(h, " <span class=\"badge\">%s</span>", req_t(r, M_ARCHIVED));
  }
  html_lit(h, "</p>");
  measures(r, &c);
  html_printf(h, "<p><a href=\"/r/risk/catalog#cat-%s\">%s</a></p></dd>\n",
              c.id, req_t(r, M_RC_LINK));
}

void risk_type_links(struct req *r, int64_t id)
{
  struct html *h = &r->page;
  struct risk_cat c;
  const char *cat;
  if(!id) {
    html_printf(h, "<a href=\"/r/risk/catalog\">%s</a> ", req_t(r, M_RC_LINK));
    return;
  }
  cat = arena_printf(&r->arena, "A%lld", (long long)id);
  if(!cat || risk_cat_get(r->db, cat, r->lang, &r->arena, &c)) {
    return;
  }
  html_printf(h,
              "<p class=\"catalog-id\">%s：<strong>%s</strong></p> "
              "<a href=\"/r/risk/catalog#cat-%s\">%s</a> ",
              req_t(r, M_RC_CATALOG_ID), c.id, c.id, req_t(r, M_RC_LINK));
  if(can_write(r) && !c.is_archived) {
    html_lit(h, "<a class=\"button\" href=\"");
    prefill_href(r, &c);
    html_printf(h, "\">%s</a> ", req_t(r, M_RC_USE));
  }
}
