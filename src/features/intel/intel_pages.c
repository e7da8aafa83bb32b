/*
 * intel_pages.c: what the intelligence register adds to the engine's
 * pages.  Its detail hook shows, after the fields, the response rule of
 * plan 壹拾壹.二 for the record's category (the plan's own sentence, from
 * the catalog) and every indicator line as typed with its kind; its
 * links hook gives a record its sharing records (how many, the list of
 * the sharing register filtered to it) and writers a form for a new one
 * with the intelligence filled in.
 */
#include "intel.h"
#include "indicator.h"
#include "auth/roles.h"
#include "registers/register_store.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

void intel_detail(struct req *r, const struct record *rec)
{
  struct html *h = &r->page;
  enum msg rule = intel_rule(reg_val(&reg_intel, rec, "category"));
  const char *text = reg_val(&reg_intel, rec, "indicators");
  struct str rest, line;
  size_t lineno = 0;
  int any = 0;

  if(rule != M_NONE) {
    html_printf(h, "<dt>%s</dt><dd class=\"intel-rule\">%s</dd>\n",
                req_t(r, M_IN_RULE), req_t(r, rule));
  }
  if(!text) {
    return;
  }
  rest = str_c(text);
  while(ioc_next_line(&rest, &line, &lineno)) {
    enum ioc_kind kind = ioc_classify(line);
    if(!any) {
      html_printf(h, "<dt>%s</dt><dd><ul class=\"ioc\">",
                  req_t(r, M_IN_IOC_LIST));
      any = 1;
    }
    html_printf(h, "<li><code>%.*s</code> %s</li>", (int)line.len, line.p,
                kind == IOC_NONE ? req_t(r, M_EMPTY_VALUE) :
                                   req_t(r, ioc_kind_label(kind)));
  }
  if(any) {
    html_lit(h, "</ul></dd>\n");
  }
}

void intel_links(struct req *r, int64_t id)
{
  struct html *h = &r->page;
  const struct field *f = reg_field(&reg_intel_share, "intel");
  struct list_query q;
  struct record_page pg;
  struct record rec;
  char ids[24], count[24];

  if(!id) {
    html_printf(h, "<a href=\"/r/intel_share\">%s</a> ",
                req_t(r, M_R_INTEL_SHARE));
    return;
  }
  snprintf(ids, sizeof(ids), "%lld", (long long)id);
  memset(&q, 0, sizeof(q));
  q.page = 1;
  q.per_page = 1;
  q.filter_field[0] = f;
  q.filter_value[0] = ids;
  q.n_filters = 1;
  if(reg_store_list(r->db, &reg_intel_share, &q, &r->arena, &pg)) {
    return; /* the record itself still shows */
  }
  snprintf(count, sizeof(count), "%lld", (long long)pg.total);
  html_printf(h, "<a href=\"/r/intel_share?f_intel=%lld\">%s</a> ",
              (long long)id, req_t_fill(r, M_IN_SHARES, count));
  if((r->rights & W(AREA_INCIDENT)) &&
     !reg_store_get(r->db, &reg_intel, id, &r->arena, &rec) && !rec.archived) {
    html_printf(h,
                "<a class=\"button\" href=\"/r/intel_share/new?intel=%lld\">"
                "%s</a> ",
                (long long)id, req_t(r, M_IN_SHARE_NEW));
  }
}
