/*
 * agency_pages.c: the home page: the agency at a glance and every plan
 * chapter with what isms holds for it.
 */
#include "agency.h"
#include "features/incidents/incidents.h"
#include "auth/roles.h"
#include "registers/register_store.h"
#include "ui/layout.h"

#include <string.h>

static void agency_card(struct req *r)
{
  struct list_query q;
  struct record_page pg;
  struct html *h = &r->page;
  const struct record *a;

  memset(&q, 0, sizeof(q));
  q.page = 1;
  q.per_page = 1;
  if(reg_store_list(r->db, &reg_agency, &q, &r->arena, &pg) || pg.n == 0) {
    html_printf(h, "<p>%s", req_t(r, M_HOME_NO_AGENCY));
    if(r->rights & W(reg_agency.area)) {
      html_printf(h, " <a href=\"/r/agency/new\">%s</a>",
                  req_t(r, M_LIST_NEW));
    }
    html_lit(h, "</p>\n");
    return;
  }
  a = &pg.rows[0];
  html_printf(
    h,
    "<section class=\"agency\" aria-labelledby=\"agency-h\">"
    "<h2 id=\"agency-h\"><a href=\"/r/agency/%lld\">%s</a></h2>"
    "<dl class=\"record\"><dt>%s</dt><dd>%s</dd>",
    (long long)a->id, a->v[0] ? a->v[0] : "", req_t(r, M_HOME_LEVEL),
    reg_enum_label(&reg_agency.fields[1], a->v[1] ? a->v[1] : "", r->lang));
  if(a->v[5]) {
    html_printf(h, "<dt>%s</dt><dd>%s</dd>", req_t(r, M_F_SUPERIOR), a->v[5]);
  }
  if(a->v[4]) {
    html_printf(h, "<dt>%s</dt><dd class=\"longtext\">%s</dd>",
                req_t(r, M_F_SCOPE), a->v[4]);
  }
  html_lit(h, "</dl></section>\n");
}

void home_page(struct req *r)
{
  struct html *h = page_begin(r, 200, req_t(r, M_HOME_TITLE), 0);
  size_t i, j;

  html_printf(h, "<h1>%s</h1>\n", req_t(r, M_HOME_TITLE));
  ir_home(r);
  if(r->rights & R(AREA_PLAN)) {
    html_printf(h,
                "<p class=\"home-links\"><a class=\"button\" "
                "href=\"/dashboard\">%s</a> <a class=\"button\" "
                "href=\"/r/duty/calendar\">%s</a></p>\n",
                req_t(r, M_HOME_DASHBOARD), req_t(r, M_HOME_CALENDAR));
  }
  /* Only what the roles of the account may read is shown. */
  if(r->rights & R(reg_agency.area)) {
    agency_card(r);
  }
  html_lit(h, "<ol class=\"chapter-list\">\n");
  for(i = 0; i < n_chapters; i++) {
    int any = 0, hidden = 0;
    html_printf(h, "<li><h2>%s</h2>", req_t(r, chapters[i].title));
    for(j = 0; j < n_registers; j++) {
      const struct reg *g = registers[j];
      int64_t n = 0;
      if(g->chapter != chapters[i].number) {
        continue;
      }
      if(!(r->rights & R(g->area))) {
        hidden = 1;
        continue;
      }
      if(!any) {
        html_lit(h, "<ul>");
      }
      any = 1;
      reg_store_count(r->db, g, &n);
      html_printf(h,
                  "<li><a href=\"/r/%s\">%s</a> <span class=\"count\">%lld "
                  "%s</span></li>",
                  g->name, req_t(r, g->title), (long long)n,
                  req_t(r, M_HOME_RECORDS));
    }
    if(any) {
      html_lit(h, "</ul>");
    }
    else {
      html_printf(h, "<p class=\"none\">%s</p>",
                  req_t(r, hidden ? M_NOT_YOURS : M_NOT_YET));
    }
    html_lit(h, "</li>\n");
  }
  html_lit(h, "</ol>\n");
  page_end(r);
}
