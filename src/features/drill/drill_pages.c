/*
 * drill_pages.c: what the procedure and drill registers add to the
 * engine's pages through their links hook: on the procedure list, the
 * approved version in force of each kind with a link to its version
 * history (the list of the kind, newest first); on a procedure's page,
 * the history of its kind; on the drill list, the frequency check of
 * data/rules/drill.json over the drills recorded, as of today in
 * Asia/Taipei, for the agency's responsibility level.
 */
#include "drill.h"
#include "drill_store.h"
#include "core/str.h"
#include "core/time.h"
#include "features/agency/agency.h"
#include "features/kpi/kpi.h"
#include "registers/register_store.h"
#include "rules/drill.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

/* The kinds whose approved version is shown, with their labels. */
static const struct {
  const char *kind; /* ir_procedure kind */
  enum msg label;   /* its name */
} in_force_kinds[] = {
  { "notify", M_IRP_NOTIFY },
  { "response", M_IRP_RESPONSE },
};

/* A link to the version history of kind: its list, newest first. */
static void history_link(struct req *r, const char *kind)
{
  html_printf(&r->page,
              "<a href=\"/r/ir_procedure?f_kind=%s&amp;sort=effective"
              "&amp;dir=desc\">%s</a>",
              kind, req_t(r, M_IRP_HISTORY));
}

void ir_procedure_links(struct req *r, int64_t id)
{
  struct html *h = &r->page;
  size_t i;

  if(id) {
    struct record rec;
    const struct field *f = reg_field(&reg_ir_procedure, "kind");
    const char *kind;
    if(reg_store_get(r->db, &reg_ir_procedure, id, &r->arena, &rec)) {
      return;
    }
    kind = rec.v[reg_field_index(&reg_ir_procedure, f)];
    if(kind) {
      history_link(r, kind);
      html_lit(h, " ");
    }
    return;
  }
  for(i = 0; i < sizeof(in_force_kinds) / sizeof(in_force_kinds[0]); i++) {
    struct irp_approved a;
    enum status st =
      drill_store_approved(r->db, in_force_kinds[i].kind, 0, &r->arena, &a);
    html_printf(h, "<p class=\"in-force\">%s %s：",
                req_t(r, in_force_kinds[i].label), req_t(r, M_IRP_IN_FORCE));
    if(!st) {
      html_printf(h, "<a href=\"/r/ir_procedure/%lld\">%s %s</a>",
                  (long long)a.id, a.title, a.doc_version);
      if(a.effective) {
        html_printf(h, "%s%s ", r->lang == LANG_EN ? ", " : "，",
                    req_t(r, M_IRP_EFFECTIVE_ON));
        page_date(r, a.effective);
      }
    }
    else {
      html_printf(h, "<strong class=\"freq-missing\">%s</strong>",
                  req_t(r, M_IRP_NONE_APPROVED));
    }
    html_lit(h, " ");
    history_link(r, in_force_kinds[i].kind);
    html_lit(h, "</p>\n");
  }
}

/* ---- the drill frequency check ---- */

/* The agency's responsibility level ("A" … "E"), or NULL when there is
 * no agency record or it has none. */
static const char *agency_level(struct req *r)
{
  struct list_query q;
  struct record_page pg;
  const struct field *f = reg_field(&reg_agency, "level");
  memset(&q, 0, sizeof(q));
  q.page = 1;
  q.per_page = 1;
  if(!f || reg_store_list(r->db, &reg_agency, &q, &r->arena, &pg) || !pg.n) {
    return NULL;
  }
  return pg.rows[0].v[reg_field_index(&reg_agency, f)];
}

static void iso(struct date d, char out[11])
{
  snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.year % 10000u,
           (unsigned)d.month % 100u, (unsigned)d.day % 100u);
}

/* The period cell of row p. */
static void period_cell(struct req *r, const struct drill_period_row *p)
{
  struct html *h = &r->page;
  char year[8], from[11];
  snprintf(year, sizeof(year), "%d", p->from.year % 10000);
  html_lit(h, "<td>");
  if(!p->is_applicable) {
    html_printf(h, "%s", req_t(r, M_EMPTY_VALUE));
  }
  else if(p->check->period == DP_ROLLING) {
    iso(p->from, from);
    html_printf(h, "%s", req_t_fill(r, M_DF_SINCE, from));
  }
  else {
    html_printf(h, "%s",
                req_t_fill(r,
                           p->half == 1 ? M_DF_H1 :
                           p->half == 2 ? M_DF_H2 :
                                          M_DF_YEAR,
                           year));
  }
  if(p->is_applicable && p->is_current && p->check->period != DP_ROLLING) {
    html_printf(h, "%s", req_t(r, M_DF_RUNNING));
  }
  html_lit(h, "</td>");
}

/* The result cell of row p for an agency of level (or NULL). */
static void result_cell(struct req *r, const struct drill_period_row *p,
                        const char *level)
{
  struct html *h = &r->page;
  char on[11];
  if(!p->is_applicable) {
    html_printf(h, "<td class=\"freq-na\">%s</td>",
                level ? req_t_fill(r, M_DF_NA, level) :
                        req_t(r, M_DF_NO_LEVEL));
    return;
  }
  if(!p->is_done) {
    html_printf(h, "<td><strong class=\"freq-missing\">%s</strong></td>",
                req_t(r, M_DF_NOT_DONE));
    return;
  }
  iso(p->last, on);
  html_printf(h, "<td><span class=\"freq-done\">%s</span> ",
              req_t(r, M_DF_DONE));
  page_date(r, on);
  html_lit(h, "</td>");
}

/* The kind cell that starts the rows of check c (rowspan rows). */
static void kind_cell(struct req *r, const struct drill_check *c, size_t rows,
                      const struct drill_held *held, size_t n_held,
                      struct date today)
{
  struct html *h = &r->page;
  const struct field *f = reg_field(&reg_drill, "kind");
  struct date last;
  char on[11];
  html_printf(h, "<th scope=\"rowgroup\" rowspan=\"%zu\">%s<br>", rows,
              reg_enum_label(f, c->kind, r->lang));
  if(drill_last_held(c->kind, today, held, n_held, &last)) {
    iso(last, on);
    /* The message ends with its %s: the date follows as a <time>. */
    html_printf(h, "<span class=\"last\">%s", req_t_fill(r, M_DF_LAST, ""));
    page_date(r, on);
    html_lit(h, "</span>");
  }
  else {
    html_printf(h, "<span class=\"last\">%s</span>", req_t(r, M_DF_NEVER));
  }
  html_lit(h, "</th>");
}

/* The frequency cell (rowspan rows) of row p. */
static void rule_cell(struct req *r, const struct drill_period_row *p,
                      size_t rows)
{
  const struct drill_check *c = p->check;
  int en = r->lang == LANG_EN;
  const char *rule = en ? p->rule_en : p->rule;
  html_printf(&r->page,
              "<td rowspan=\"%zu\">%s<br><span class=\"basis\">%s</span>"
              "</td>",
              rows, rule ? rule : req_t(r, M_EMPTY_VALUE),
              en ? c->basis_en : c->basis);
}

/* The frequency check section of the drill list. */
static void freq_section(struct req *r)
{
  struct html *h = &r->page;
  struct date today = time_taipei_date(time_now());
  struct drill_period_row rows[DRILL_ROWS_MAX];
  struct drill_held *held;
  const char *level = agency_level(r);
  char now[11];
  size_t n_held, n, i;

  iso(today, now);
  if(drill_store_held(r->db, now, &r->arena, &held, &n_held)) {
    return; /* the list itself still shows */
  }
  n = drill_freq(drill_rules(), today, level, held, n_held, rows,
                 DRILL_ROWS_MAX);
  html_printf(h,
              "<section class=\"drill-freq\" aria-labelledby=\"freq-h\">"
              "<h2 id=\"freq-h\">%s</h2><p>%s",
              req_t(r, M_DF_TITLE), req_t_fill(r, M_DF_INTRO, now));
  html_printf(h,
              "</p><div class=\"table-wrap\"><table class=\"freq\"><thead>"
              "<tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
              "</thead>",
              req_t(r, M_F_DR_KIND), req_t(r, M_DF_RULE),
              req_t(r, M_DF_PERIOD), req_t(r, M_DF_RESULT));
  for(i = 0; i < n; i++) {
    size_t k = i;
    if(i == 0 || rows[i].check != rows[i - 1].check) {
      while(k < n && rows[k].check == rows[i].check) {
        k++;
      }
      html_lit(h, "<tbody><tr>");
      kind_cell(r, rows[i].check, k - i, held, n_held, today);
      rule_cell(r, &rows[i], k - i);
    }
    else {
      html_lit(h, "<tr>");
    }
    period_cell(r, &rows[i]);
    result_cell(r, &rows[i], level);
    html_lit(h, "</tr>");
    if(i + 1 == n || rows[i + 1].check != rows[i].check) {
      html_lit(h, "</tbody>");
    }
  }
  html_lit(h, "</table></div></section>\n");
}

void drill_links(struct req *r, int64_t id)
{
  if(!id) {
    freq_section(r);
  }
  else {
    kpi_drill_links(r, id); /* a social-engineering drill's results */
  }
}
