/*
 * dashboard_pages.c: the dashboard page (dashboard.h).  The duties come
 * from the calendar's occurrences of this year and the next (the same
 * window as the calendar page, so every number links to the calendar
 * filtered to exactly those rows).
 */
#include "dashboard.h"
#include "auth/roles.h"
#include "core/arena.h"
#include "features/calendar/calendar.h"
#include "features/incidents/incidents.h"
#include "features/kpi/kpi.h"
#include "features/risk/risk.h"
#include "registers/register_store.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

/* Goal tiles shown at most. */
#define KPI_TILES 12

/* Risks listed, highest value first. */
#define TOP_RISKS 5

/* Occurrences listed in the next-30-days part at most. */
#define NEXT_MAX 30

/* Counts of one chapter's occurrences by standing. */
struct chapter_counts {
  size_t n[OCC_VOID + 1];
};

static void count_link(struct req *r, int chapter, const char *status,
                       size_t n, const char *cls)
{
  if(!n) {
    html_lit(&r->page, "<td class=\"num\">0</td>");
    return;
  }
  html_printf(&r->page,
              "<td class=\"num %s\"><a href=\"/r/duty/calendar?chapter=%d"
              "&amp;status=%s\">%zu</a></td>",
              cls, chapter, status, n);
}

/* The chapter table: on track / due soon / overdue per plan chapter. */
static void chapters_part(struct req *r, const struct occurrence *v, size_t n,
                          struct date day)
{
  struct html *h = &r->page;
  struct chapter_counts c[18];
  size_t i;
  memset(c, 0, sizeof(c));
  for(i = 0; i < n; i++) {
    if(v[i].chapter >= 4 && v[i].chapter <= 17) {
      c[v[i].chapter].n[occ_standing(&v[i], day)]++;
    }
  }
  html_printf(h,
              "<section class=\"dash-part\" aria-labelledby=\"d-ch\">"
              "<h2 id=\"d-ch\">%s</h2>\n<div class=\"table-wrap\">"
              "<table class=\"list dash-chapters\"><thead><tr>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
              "</thead>\n<tbody>\n",
              req_t(r, M_DASH_CHAPTERS), req_t(r, M_CAL_CHAPTER),
              req_t(r, M_DASH_STATE), req_t(r, M_CAL_ST_DONE),
              req_t(r, M_CAL_ST_ON_TRACK), req_t(r, M_CAL_ST_DUE_SOON),
              req_t(r, M_CAL_ST_OVERDUE));
  for(i = 0; i < n_chapters; i++) {
    int ch = chapters[i].number;
    const struct chapter_counts *k;
    enum occ_standing worst;
    if(ch < 4) {
      continue;
    }
    k = &c[ch];
    if(!k->n[OCC_DONE] && !k->n[OCC_ON_TRACK] && !k->n[OCC_DUE_SOON] &&
       !k->n[OCC_OVERDUE]) {
      continue;
    }
    worst = k->n[OCC_OVERDUE]  ? OCC_OVERDUE :
            k->n[OCC_DUE_SOON] ? OCC_DUE_SOON :
            k->n[OCC_ON_TRACK] ? OCC_ON_TRACK :
                                 OCC_DONE;
    html_printf(
      h,
      "<tr><th scope=\"row\"><a href=\"/r/duty/calendar?chapter=%d\">"
      "%s</a></th><td><span class=\"standing %s\">%s</span></td>",
      ch, req_t(r, chapters[i].title),
      worst == OCC_OVERDUE  ? "overdue" :
      worst == OCC_DUE_SOON ? "due-soon" :
                              "on-track",
      req_t(r, worst == OCC_OVERDUE  ? M_CAL_ST_OVERDUE :
               worst == OCC_DUE_SOON ? M_CAL_ST_DUE_SOON :
                                       M_DASH_ON_TRACK));
    count_link(r, ch, "done", k->n[OCC_DONE], "done");
    count_link(r, ch, "track", k->n[OCC_ON_TRACK], "on-track");
    count_link(r, ch, "soon", k->n[OCC_DUE_SOON], "due-soon");
    count_link(r, ch, "overdue", k->n[OCC_OVERDUE], "overdue");
    html_lit(h, "</tr>\n");
  }
  html_lit(h, "</tbody></table></div></section>\n");
}

/* Overdue, then due within CAL_SOON_DAYS. */
static void next_part(struct req *r, const struct occurrence *v, size_t n,
                      struct date day)
{
  struct html *h = &r->page;
  size_t i, shown = 0;
  int pass;
  html_printf(h,
              "<section class=\"dash-part\" aria-labelledby=\"d-next\">"
              "<h2 id=\"d-next\">%s</h2>\n",
              req_t(r, M_DASH_NEXT));
  for(pass = 0; pass < 2; pass++) {
    enum occ_standing want = pass == 0 ? OCC_OVERDUE : OCC_DUE_SOON;
    for(i = 0; i < n && shown < NEXT_MAX; i++) {
      int64_t days;
      char num[24];
      const char *args[1] = { num };
      if(occ_standing(&v[i], day) != want) {
        continue;
      }
      if(!shown++) {
        html_lit(h, "<ul class=\"dash-next\">");
      }
      days = occ_days(&v[i], day);
      snprintf(num, sizeof(num), "%lld", (long long)(days < 0 ? -days : days));
      html_printf(h, "<li class=\"%s\">",
                  want == OCC_OVERDUE ? "overdue" : "due-soon");
      page_date(r, arena_printf(&r->arena, "%04d-%02d-%02d", v[i].due.year,
                                v[i].due.month, v[i].due.day));
      html_printf(h,
                  " <a href=\"/r/duty/calendar/%lld\">%s</a> "
                  "<span class=\"owner\">%s</span> <span class=\"days\">",
                  (long long)v[i].id, v[i].name,
                  calendar_owner_label(v[i].owner, r->lang));
      html_template(h,
                    req_t(r, days < 0  ? M_CAL_DAYS_OVERDUE :
                             days == 0 ? M_CAL_DUE_TODAY :
                                         M_CAL_DAYS_LEFT),
                    days == 0 ? 0 : 1, args);
      html_lit(h, "</span></li>\n");
    }
  }
  if(shown) {
    html_lit(h, "</ul>");
  }
  else {
    html_printf(h, "<p class=\"empty\">%s</p>", req_t(r, M_DASH_NEXT_NONE));
  }
  html_printf(h, "<p><a href=\"/r/duty/calendar\">%s</a></p></section>\n",
              req_t(r, M_CAL_TITLE));
}

static void incidents_part(struct req *r)
{
  struct html *h = &r->page;
  int n;
  html_printf(h,
              "<section class=\"dash-part dash-ir\" aria-labelledby=\"d-ir\">"
              "<h2 id=\"d-ir\">%s</h2>\n",
              req_t(r, M_IR_OPEN_TITLE));
  n = ir_open_table(r, 10);
  if(n <= 0) {
    html_printf(h, "<p class=\"empty\">%s</p>",
                req_t(r, n < 0 ? M_ERR_INTERNAL : M_IR_NONE_OPEN));
  }
  html_printf(h, "<p><a href=\"/r/incident/open\">%s</a></p></section>\n",
              req_t(r, M_IR_OPEN_TITLE));
}

static void risks_part(struct req *r)
{
  struct html *h = &r->page;
  struct list_query q;
  struct record_page pg;
  size_t i;
  memset(&q, 0, sizeof(q));
  q.page = 1;
  q.per_page = TOP_RISKS;
  q.sort = reg_field(&reg_risk, "value");
  q.desc = 1;
  html_printf(h,
              "<section class=\"dash-part\" aria-labelledby=\"d-risk\">"
              "<h2 id=\"d-risk\">%s</h2>\n",
              req_t(r, M_DASH_RISKS));
  if(reg_store_list(r->db, &reg_risk, &q, &r->arena, &pg) || !pg.n) {
    html_printf(h, "<p class=\"empty\">%s</p></section>\n",
                req_t(r, M_DASH_RISKS_NONE));
    return;
  }
  html_printf(h,
              "<div class=\"table-wrap\"><table class=\"list dash-risks\">"
              "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
              "</thead>\n<tbody>\n",
              req_t(r, M_F_RK_THREAT), req_t(r, M_F_RK_VALUE),
              req_t(r, M_F_RK_TREATMENT), req_t(r, M_F_RK_R_VALUE));
  for(i = 0; i < pg.n; i++) {
    const struct record *rec = &pg.rows[i];
    const char *tr = reg_val(&reg_risk, rec, "treatment");
    const char *rv = reg_val(&reg_risk, rec, "residual_value");
    html_printf(
      h,
      "<tr><td><a href=\"/r/risk/%lld\">%s</a></td>"
      "<td class=\"num\">%s</td><td>%s</td><td class=\"num\">%s"
      "</td></tr>\n",
      (long long)rec->id, reg_val(&reg_risk, rec, "threat"),
      reg_val(&reg_risk, rec, "value") ? reg_val(&reg_risk, rec, "value") : "",
      tr ? reg_enum_label(reg_field(&reg_risk, "treatment"), tr, r->lang) : "",
      rv ? rv : "");
  }
  html_printf(h,
              "</tbody></table></div><p><a href=\"/r/risk?sort=value&amp;"
              "dir=desc\">%s</a></p></section>\n",
              req_t(r, M_R_RISK));
}

/* The goals' KPI tiles (plan 肆.二): each bound goal metric with its
 * target, this year's value and its trend; the heading leads to the
 * goals page. */
static void dashboard_kpis(struct req *r)
{
  struct html *h = &r->page;
  struct kpi_tile t[KPI_TILES];
  size_t n = 0, i;
  enum status st = kpi_tiles(r->db, &r->arena, time_now(), t, KPI_TILES, &n);
  html_printf(h,
              "<section class=\"dash-part kpis\" aria-labelledby=\"d-kpi\">"
              "<h2 id=\"d-kpi\"><a href=\"/r/goal_metric/kpi\">%s</a></h2>\n",
              req_t(r, M_DASH_KPIS));
  if(st || !n) {
    html_printf(h, "<p class=\"empty\">%s</p>",
                req_t(r, st ? M_ERR_INTERNAL : M_DASH_KPIS_NONE));
  }
  else {
    html_lit(h, "<div class=\"kpi-grid\">");
    for(i = 0; i < n; i++) {
      kpi_tile_html(r, &t[i]);
    }
    html_lit(h, "</div>");
  }
  html_lit(h, "</section>\n");
}

void dashboard_page(struct req *r)
{
  struct date day = time_taipei_date(time_now());
  struct occurrence *v = NULL;
  size_t n = 0;
  struct html *h;
  int plan = (r->rights & R(AREA_PLAN)) != 0;
  if(plan) {
    struct cal_filter f;
    memset(&f, 0, sizeof(f));
    f.from.year = day.year;
    f.from.month = 1;
    f.from.day = 1;
    f.to.year = day.year + 1;
    f.to.month = 12;
    f.to.day = 31;
    f.late_too = 1;
    if(calendar_list(r->db, &f, r->lang, &r->arena, &v, &n)) {
      req_fail(r, ST_DB, M_ERR_INTERNAL);
      return;
    }
  }
  h = page_begin(r, 200, req_t(r, M_DASH_TITLE), 0);
  html_printf(h,
              "<h1>%s</h1>\n<p class=\"source\">%s</p>\n"
              "<div class=\"actions\"><button type=\"button\" class=\"print\" "
              "hidden>%s</button></div>\n",
              req_t(r, M_DASH_TITLE), req_t(r, M_DASH_SOURCE),
              req_t(r, M_PRINT));
  html_lit(h, "<div class=\"dashboard\">\n");
  if(plan) {
    dashboard_kpis(r);
    chapters_part(r, v, n, day);
    next_part(r, v, n, day);
  }
  if(r->rights & R(AREA_INCIDENT)) {
    incidents_part(r);
  }
  if(r->rights & R(AREA_ASSET)) {
    risks_part(r);
  }
  if(!plan && !(r->rights & (R(AREA_INCIDENT) | R(AREA_ASSET)))) {
    html_printf(h, "<p class=\"empty\">%s</p>\n", req_t(r, M_DASH_NOTHING));
  }
  html_lit(h, "</div>\n");
  page_end(r);
}
