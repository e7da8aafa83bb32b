/*
 * kpi_pages.c: the goals in HTML: the tile of a goal metric (value
 * against the target in words, an SVG trend line with the target
 * dashed), the page 資通安全目標達成情形 (the tiles, availability per
 * system and month of a year, incident timeliness per year, the drills'
 * rates), and on a social-engineering drill's page its rates and the
 * import of the provider's results.  Every number links to the records
 * behind it.
 */
#include "kpi.h"
#include "kpi_data.h"
#include "kpi_store.h"
#include "auth/roles.h"
#include "core/time.h"
#include "features/agency/agency.h"
#include "features/drill/drill.h"
#include "registers/register_http.h"
#include "registers/register_io.h"
#include "registers/register_mask.h"
#include "registers/register_store.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

const struct param_spec kpi_page_params[] = {
  { "year", PARAM_INT, 3, 1, 300 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec kpi_results_params[] = {
  { NULL, 0, 0, 0, 0 },
};

/* The longest file name kept with the results, in bytes. */
#define FILE_NAME_MAX 200

/* Most tiles on the page. */
#define MAX_TILES 32

/* Decimals shown at least (more where rounding would seem to flip the
 * comparison with the target: kpi_format()): availability in
 * hundredths of a percent, shares and rates in tenths. */
#define AVAIL_DECIMALS 2
#define RATE_DECIMALS  1

/* ---- small pieces ---- */

/* The comparator as people write it. */
static const char *cmp_sign(const char *c)
{
  if(!c) {
    return "";
  }
  return !strcmp(c, ">=") ? "≥" : !strcmp(c, "<=") ? "≤" : c;
}

/* A copy of b in r's arena, or "" when it is full (never NULL, which
 * the text helpers below pass on). */
static const char *keep(struct req *r, const char *b)
{
  const char *s = arena_strdup(&r->arena, b);
  return s ? s : "";
}

/* A number as "%.15g" writes it (a target such as 99.97). */
static const char *num_text(struct req *r, double v)
{
  char b[48];
  snprintf(b, sizeof(b), "%.15g", v);
  return keep(r, b);
}

/* An integer with thousands separators. */
static const char *int_text(struct req *r, int64_t v)
{
  char b[32], out[48];
  size_t n, i, k = 0;
  snprintf(b, sizeof(b), "%lld", (long long)(v < 0 ? -v : v));
  n = strlen(b);
  if(v < 0) {
    out[k++] = '-';
  }
  for(i = 0; i < n; i++) {
    if(i && (n - i) % 3 == 0) {
      out[k++] = ',';
    }
    out[k++] = b[i];
  }
  out[k] = '\0';
  return keep(r, out);
}

/* The year as the page shows it: 民國 115 年, or 2026 in English. */
static const char *year_text(struct req *r, int year)
{
  char b[16];
  snprintf(b, sizeof(b), "%d", r->lang == LANG_EN ? year : year - 1911);
  return req_t_fill(r, M_KPI_YEAR, b);
}

/* A month as the page shows it: 115年3月, or 2026-03. */
static const char *month_text(struct req *r, int year, int month)
{
  char b[24];
  if(r->lang == LANG_EN) {
    snprintf(b, sizeof(b), "%04d-%02d", year % 10000, month % 100);
  }
  else {
    snprintf(b, sizeof(b), "%d年%d月", (year - 1911) % 10000, month % 100);
  }
  return keep(r, b);
}

/* tmpl with its first two "%s" replaced by a and b, as plain text in
 * r's arena (tmpl itself when the arena is full). */
static const char *fill2(struct req *r, const char *tmpl, const char *a,
                         const char *b)
{
  const char *one = strstr(tmpl, "%s"),
             *two = one ? strstr(one + 2, "%s") : NULL;
  const char *s;
  if(!two) {
    return tmpl;
  }
  s = arena_printf(&r->arena, "%.*s%s%.*s%s%s", (int)(one - tmpl), tmpl, a,
                   (int)(two - one - 2), one + 2, b, two + 2);
  return s ? s : tmpl;
}

/* Seconds as hours and minutes ("3 小時 35 分"), as text. */
static const char *duration_text(struct req *r, int64_t secs)
{
  char m[8];
  snprintf(m, sizeof(m), "%lld", (long long)(secs % 3600 / 60));
  return fill2(r, req_t(r, M_KPI_HOURS_MINUTES), int_text(r, secs / 3600), m);
}

/* Seconds as hours and minutes, into the page. */
static void duration(struct req *r, int64_t secs)
{
  html_printf(&r->page, "%s", duration_text(r, secs));
}

/* text in brackets: "（text）", or " (text)" in English. */
static const char *in_paren(struct req *r, const char *text)
{
  return req_t_fill(r, M_KPI_IN_PAREN, text);
}

/* A percentage as text, its rounding true to comparator target (NULL:
 * none). */
static const char *pct_cmp(struct req *r, double v, int decimals,
                           const char *comparator, double target)
{
  const char *s = kpi_format(&r->arena, v, decimals, comparator, target);
  return s ? s : "";
}

/* The same against an optional target t. */
static const char *pct(struct req *r, double v, int decimals,
                       const struct kpi_target *t)
{
  return pct_cmp(r, v, decimals, t ? t->comparator : NULL, t ? t->target : 0);
}

/* pct() with the percent sign. */
static const char *pct_sign(struct req *r, double v, int decimals,
                            const struct kpi_target *t)
{
  const char *s = arena_printf(&r->arena, "%s%%", pct(r, v, decimals, t));
  return s ? s : "";
}

/* " 未達" after a value that misses target t (words, not colour). */
static void miss_mark(struct req *r, double v, const struct kpi_target *t)
{
  if(t && !kpi_meets(v, t->comparator, t->target)) {
    html_printf(&r->page, " <span class=\"kpi-miss\">%s</span>",
                req_t(r, M_KPI_MISS_SHORT));
  }
}

/* ---- the tile ---- */

/* The trend line of t: months oldest first, the target dashed. */
#define SVG_W   480
#define SVG_H   150
#define SVG_PAD 14

static void trend_svg(struct req *r, const struct kpi_tile *t, int decimals)
{
  struct html *h = &r->page;
  double lo = t->target, hi = t->target, span;
  int x[KPI_TREND_MONTHS], y[KPI_TREND_MONTHS], i, ty, n = t->n_trend;
  int has_any = 0;
  const char *title = req_t_fill(r, M_KPI_TREND_OF, t->metric);
  int en = r->lang == LANG_EN;

  if(n > KPI_TREND_MONTHS) {
    n = KPI_TREND_MONTHS;
  }
  if(n < 1) {
    return; /* no months to draw */
  }
  for(i = 0; i < n; i++) {
    if(t->trend_has[i]) {
      lo = t->trend[i] < lo ? t->trend[i] : lo;
      hi = t->trend[i] > hi ? t->trend[i] : hi;
      has_any = 1;
    }
  }
  span = hi - lo;
  if(span < 1e-6) {
    span = hi > 1 ? hi / 100 : 1; /* a flat line in the middle */
    lo -= span / 2;
    hi += span / 2;
  }
  lo -= span * 0.15;
  hi += span * 0.15;
  for(i = 0; i < n; i++) {
    x[i] = SVG_PAD + (n > 1 ? i * (SVG_W - 2 * SVG_PAD) / (n - 1) : 0);
    y[i] = SVG_PAD +
           (int)((hi - t->trend[i]) / (hi - lo) * (SVG_H - 2 * SVG_PAD - 16));
  }
  ty =
    SVG_PAD + (int)((hi - t->target) / (hi - lo) * (SVG_H - 2 * SVG_PAD - 16));
  html_printf(h,
              "<svg class=\"kpi-trend\" xmlns=\"http://www.w3.org/2000/svg\" "
              "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
              "role=\"img\" aria-label=\"%s\"><title>%s</title><desc>",
              SVG_W, SVG_H, SVG_W / 2, SVG_H / 2, title, title);
  for(i = 0; i < n; i++) {
    html_printf(h, "%s%s%s%s", i ? (en ? "; " : "；") : "",
                month_text(r, t->trend_year[i], t->trend_month[i]),
                en ? ": " : "：",
                t->trend_has[i] ? pct(r, t->trend[i], decimals, NULL) :
                                  req_t(r, M_KPI_NO_DATA));
    if(t->trend_has[i] && t->unit) {
      html_printf(h, "%s", t->unit);
    }
  }
  html_printf(h, "%s%s %s %s%s</desc>", en ? ". " : "。", req_t(r, M_F_TARGET),
              cmp_sign(t->comparator), num_text(r, t->target),
              t->unit ? t->unit : "");
  /* The target, dashed; the months' axis. */
  html_printf(h,
              "<line class=\"kpi-target\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
              "y2=\"%d\" stroke=\"#5a6570\" stroke-width=\"2\" "
              "stroke-dasharray=\"8 6\"/>",
              SVG_PAD, ty, SVG_W - SVG_PAD, ty);
  html_printf(h,
              "<text x=\"%d\" y=\"%d\" font-size=\"20\" fill=\"#5a6570\">"
              "%s</text><text x=\"%d\" y=\"%d\" font-size=\"20\" "
              "fill=\"#5a6570\" text-anchor=\"end\">%s</text>",
              SVG_PAD, SVG_H - 6,
              month_text(r, t->trend_year[0], t->trend_month[0]),
              SVG_W - SVG_PAD, SVG_H - 6,
              month_text(r, t->trend_year[n - 1], t->trend_month[n - 1]));
  if(!has_any) {
    html_lit(h, "</svg>");
    return;
  }
  /* The line, broken where a month has no value. */
  for(i = 0; i < n; i++) {
    if(!t->trend_has[i]) {
      continue;
    }
    if(i + 1 < n && t->trend_has[i + 1]) {
      html_printf(h,
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                  "stroke=\"#0b5394\" stroke-width=\"3\"/>",
                  x[i], y[i], x[i + 1], y[i + 1]);
    }
  }
  for(i = 0; i < n; i++) {
    if(t->trend_has[i]) {
      html_printf(
        h,
        "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"%s\">"
        "<title>%s%s%s%s</title></circle>",
        x[i], y[i],
        kpi_meets(t->trend[i], t->comparator, t->target) ? "#0b5394" :
                                                           "#b00020",
        month_text(r, t->trend_year[i], t->trend_month[i]), en ? ": " : "：",
        pct(r, t->trend[i], decimals, NULL), t->unit ? t->unit : "");
    }
  }
  html_lit(h, "</svg>");
}

/* The kind's label. */
static enum msg kind_label(const char *kind)
{
  if(!strcmp(kind, KPI_AVAILABILITY)) {
    return M_KPI_K_AVAILABILITY;
  }
  if(!strcmp(kind, KPI_TIMELINESS)) {
    return M_KPI_K_TIMELINESS;
  }
  return !strcmp(kind, KPI_PHISHING_OPEN) ? M_KPI_K_PHISHING_OPEN :
                                            M_KPI_K_PHISHING_CLICK;
}

/* What a tile's value was computed from. */
static void basis(struct req *r, const struct kpi_tile *t)
{
  struct html *h = &r->page;
  html_lit(h, "<p class=\"kpi-basis\">");
  if(!strcmp(t->kind, KPI_AVAILABILITY)) {
    const char *args[2] = { duration_text(r, t->num),
                            duration_text(r, t->den) };
    html_template(h, req_t(r, M_KPI_BASIS_AVAIL), 2, args);
  }
  else {
    const char *args[2] = { int_text(r, t->num), int_text(r, t->den) };
    html_template(h,
                  req_t(r, !strcmp(t->kind, KPI_TIMELINESS) ?
                             M_KPI_BASIS_INCIDENTS :
                             M_KPI_BASIS_RECIPIENTS),
                  2, args);
  }
  html_lit(h, "</p>");
}

void kpi_tile_html(struct req *r, const struct kpi_tile *t)
{
  struct html *h = &r->page;
  int decimals =
    !strcmp(t->kind, KPI_AVAILABILITY) ? AVAIL_DECIMALS : RATE_DECIMALS;
  const char *state = !t->has_value ? "none" : t->met ? "met" : "missed";

  html_printf(h,
              "<article class=\"kpi-tile %s\" id=\"kpi-%lld\">"
              "<h3><a href=\"%s\">%s</a></h3>"
              "<p class=\"kpi-kind\">%s · %s</p>",
              state, (long long)t->metric_id, t->href, t->metric,
              req_t(r, kind_label(t->kind)), year_text(r, t->year));
  html_lit(h, "<p class=\"kpi-value\">");
  if(t->has_value) {
    html_printf(h, "<strong>%s%s</strong>",
                pct_cmp(r, t->value, decimals, t->comparator, t->target),
                t->unit ? t->unit : "");
  }
  else {
    html_printf(h, "<strong>%s</strong>", req_t(r, M_KPI_NO_DATA));
  }
  html_printf(h, " <span class=\"kpi-goal\">%s %s %s%s</span></p>",
              req_t(r, M_F_TARGET), cmp_sign(t->comparator),
              num_text(r, t->target), t->unit ? t->unit : "");
  html_printf(h,
              "<p class=\"kpi-state\"><span aria-hidden=\"true\">%s</span>"
              " %s</p>",
              !t->has_value ? "–" :
              t->met        ? "✔" :
                              "✘",
              req_t(r, !t->has_value ? M_KPI_STATE_NONE :
                       t->met        ? M_KPI_STATE_MET :
                                       M_KPI_STATE_MISSED));
  if(t->has_value) {
    basis(r, t);
  }
  trend_svg(r, t, decimals);
  html_lit(h, "</article>\n");
}

/* ---- the page ---- */

static void tiles_section(struct req *r, int64_t asof)
{
  struct html *h = &r->page;
  struct kpi_tile *tiles = arena_alloc(&r->arena, sizeof(*tiles) * MAX_TILES);
  size_t n = 0, i;
  html_printf(h,
              "<section class=\"kpi-tiles\" aria-labelledby=\"tiles-h\">"
              "<h2 id=\"tiles-h\">%s</h2>\n",
              req_t(r, M_KPI_TILES));
  if(!tiles || kpi_tiles(r->db, &r->arena, asof, tiles, MAX_TILES, &n)) {
    html_printf(h, "<p>%s</p></section>\n", req_t(r, M_ERR_INTERNAL));
    return;
  }
  if(!n) {
    html_printf(h,
                "<p class=\"hint\">%s <a href=\"/r/goal_metric\">%s</a></p>"
                "</section>\n",
                req_t(r, M_KPI_NO_TILES), req_t(r, M_R_GOAL_METRIC));
    return;
  }
  html_lit(h, "<div class=\"kpi-grid\">\n");
  for(i = 0; i < n; i++) {
    kpi_tile_html(r, &tiles[i]);
  }
  html_lit(h, "</div></section>\n");
}

/* The availability cell of system id (0: the agency) for a period. */
static void avail_cell(struct req *r, const struct kpi_avail *v, int64_t id,
                       const struct kpi_target *t)
{
  struct html *h = &r->page;
  if(!v->has_value) {
    html_printf(h,
                "<td class=\"num none\"><span aria-hidden=\"true\">—</span>"
                "<span class=\"visually-hidden\">%s</span></td>",
                req_t(r, M_KPI_NO_DATA));
    return;
  }
  if(id) {
    html_printf(h, "<td class=\"num\"><a href=\"/r/outage?f_system=%lld\">",
                (long long)id);
  }
  else {
    html_lit(h, "<td class=\"num\"><a href=\"/r/outage\">");
  }
  html_printf(h, "%s%%</a>", pct(r, v->value, AVAIL_DECIMALS, t));
  miss_mark(r, v->value, t);
  html_lit(h, "</td>");
}

static void avail_section(struct req *r, int year, int64_t now,
                          const struct kpi_target *target)
{
  struct html *h = &r->page;
  struct kpi_avail_table tab;
  int64_t from[13], to[13];
  size_t s;
  int m;

  for(m = 0; m < 12; m++) {
    kpi_month(year, m + 1, &from[m], &to[m]);
  }
  kpi_year(year, &from[12], &to[12]);
  html_printf(h,
              "<section class=\"kpi-avail\" id=\"availability\" "
              "aria-labelledby=\"avail-h\"><h2 id=\"avail-h\">%s</h2>\n"
              "<p class=\"hint\">%s</p>\n",
              req_t(r, M_KPI_AVAIL_TITLE), req_t(r, M_KPI_AVAIL_HELP));
  if(kpi_data_avail(r->db, &r->arena, from, to, 13, now, &tab)) {
    html_printf(h, "<p>%s</p></section>\n", req_t(r, M_ERR_INTERNAL));
    return;
  }
  if(!tab.n_systems) {
    html_printf(h, "<p>%s</p></section>\n", req_t(r, M_KPI_NO_SYSTEMS));
    return;
  }
  html_printf(h,
              "<div class=\"table-wrap\"><table class=\"kpi-months\">"
              "<caption>%s</caption><thead><tr><th scope=\"col\">%s</th>",
              year_text(r, year), req_t(r, M_F_OUT_SYSTEM));
  for(m = 0; m < 12; m++) {
    char b[16];
    snprintf(b, sizeof(b), "%d", m + 1);
    html_printf(h, "<th scope=\"col\" class=\"num\">%s</th>",
                req_t_fill(r, M_KPI_MONTH, b));
  }
  html_printf(h,
              "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" "
              "class=\"num\">%s</th></tr></thead><tbody>\n",
              req_t(r, M_KPI_WHOLE_YEAR), req_t(r, M_KPI_DOWNTIME));
  for(s = 0; s <= tab.n_systems; s++) {
    int is_agency = s == tab.n_systems;
    const struct kpi_avail *row =
      is_agency ? tab.agency : &tab.cells[s * tab.n_periods];
    int64_t id = is_agency ? 0 : tab.systems[s].id;
    if(is_agency) {
      html_printf(h, "<tr class=\"agency\"><th scope=\"row\">%s</th>",
                  req_t(r, M_KPI_AGENCY));
    }
    else {
      html_printf(h,
                  "<tr><th scope=\"row\"><a href=\"/r/system/%lld\">%s</a>"
                  "</th>",
                  (long long)id, tab.systems[s].name);
    }
    for(m = 0; m <= 12; m++) {
      avail_cell(r, &row[m], id, target);
    }
    if(id) {
      html_printf(h,
                  "<td class=\"num\"><a href=\"/r/outage?f_system=%lld&amp;"
                  "f_kind=unplanned\">",
                  (long long)id);
    }
    else {
      html_lit(h, "<td class=\"num\"><a href=\"/r/outage?f_kind=unplanned\">");
    }
    duration(r, row[12].down);
    html_lit(h, "</a></td></tr>\n");
  }
  html_lit(h, "</tbody></table></div></section>\n");
}

/* One cell of the timeliness table: met / decided and the share. */
static void tally_cell(struct req *r, const struct kpi_tally *c,
                       const struct kpi_target *t)
{
  struct html *h = &r->page;
  const char *args[2];
  if(!c->decided) {
    html_printf(h,
                "<td class=\"num none\"><span aria-hidden=\"true\">—</span>"
                "<span class=\"visually-hidden\">%s</span></td>",
                req_t(r, M_KPI_NO_DATA));
    return;
  }
  args[0] = int_text(r, c->met);
  args[1] = int_text(r, c->decided);
  html_lit(h, "<td class=\"num\"><a href=\"/r/incident\">");
  html_template(h, req_t(r, M_KPI_OF), 2, args);
  html_printf(
    h, "%s</a>",
    in_paren(r, pct_sign(r, 100.0 * c->met / c->decided, RATE_DECIMALS, t)));
  miss_mark(r, 100.0 * c->met / c->decided, t);
  html_lit(h, "</td>");
}

static void timeliness_section(struct req *r, int64_t now,
                               const struct kpi_target *target)
{
  struct html *h = &r->page;
  struct kpi_incident *v;
  size_t n, i;
  int years[64], n_years = 0, k, j;

  html_printf(h,
              "<section class=\"kpi-timeliness\" id=\"timeliness\" "
              "aria-labelledby=\"time-h\"><h2 id=\"time-h\">%s</h2>\n"
              "<p class=\"hint\">%s</p>\n",
              req_t(r, M_KPI_TIME_TITLE), req_t(r, M_KPI_TIME_HELP));
  if(kpi_data_incidents(r->db, &r->arena, &v, &n)) {
    html_printf(h, "<p>%s</p></section>\n", req_t(r, M_ERR_INTERNAL));
    return;
  }
  /* The years of awareness, newest first. */
  for(i = 0; i < n; i++) {
    for(k = 0; k < n_years && years[k] != v[i].aware.year; k++) {
    }
    if(k == n_years && n_years < 64) {
      years[n_years++] = v[i].aware.year;
    }
  }
  for(k = 1; k < n_years; k++) {
    for(j = k; j > 0 && years[j - 1] < years[j]; j--) {
      int y = years[j];
      years[j] = years[j - 1];
      years[j - 1] = y;
    }
  }
  if(!n_years) {
    html_printf(h, "<p>%s</p></section>\n", req_t(r, M_KPI_NO_INCIDENTS));
    return;
  }
  html_printf(h,
              "<div class=\"table-wrap\"><table class=\"kpi-time\"><thead>"
              "<tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">"
              "%s</th><th scope=\"col\" class=\"num\">%s</th>"
              "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" "
              "class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
              "</tr></thead><tbody>\n",
              req_t(r, M_KPI_AWARE_YEAR), req_t(r, M_KPI_INCIDENTS),
              req_t(r, M_IR_CLOCK_NOTIFY), req_t(r, M_IR_CLOCK_CONTAIN),
              req_t(r, M_IR_CLOCK_REPORT), req_t(r, M_KPI_ALL_CLOCKS));
  for(k = 0; k < n_years; k++) {
    struct kpi_timeliness t;
    int c;
    memset(&t, 0, sizeof(t));
    for(i = 0; i < n; i++) {
      if(v[i].aware.year == years[k]) {
        kpi_timeliness_add(&t, &v[i].s, now);
      }
    }
    html_printf(h,
                "<tr><th scope=\"row\">%s</th><td class=\"num\"><a "
                "href=\"/r/incident\">%s</a></td>",
                year_text(r, years[k]), int_text(r, t.incidents));
    for(c = 0; c < KPI_N_CLOCKS; c++) {
      tally_cell(r, &t.c[c], c == KPI_ALL ? target : NULL);
    }
    html_lit(h, "</tr>\n");
  }
  html_lit(h, "</tbody></table></div></section>\n");
}

/* A rate cell of a drill: people and percent, against target t. */
static void rate_cell(struct req *r, const struct kpi_drill *d, size_t hits,
                      const struct kpi_target *t)
{
  struct html *h = &r->page;
  double v = 100.0 * (double)hits / (double)d->rates.recipients;
  html_printf(
    h, "<td class=\"num\"><a href=\"/r/drill/%lld\">%s%%%s</a>",
    (long long)d->id, pct(r, v, RATE_DECIMALS, t),
    in_paren(r, req_t_fill(r, M_KPI_PEOPLE, int_text(r, (int64_t)hits))));
  miss_mark(r, v, t);
  html_lit(h, "</td>");
}

static void drills_section(struct req *r, int year,
                           const struct kpi_target *open,
                           const struct kpi_target *click)
{
  struct html *h = &r->page;
  struct kpi_drill *v;
  size_t n, i, shown = 0;

  html_printf(h,
              "<section class=\"kpi-drills\" id=\"phishing\" "
              "aria-labelledby=\"drill-h\"><h2 id=\"drill-h\">%s</h2>\n"
              "<p class=\"hint\">%s</p>\n",
              req_t(r, M_KPI_DRILL_TITLE), req_t(r, M_KPI_DRILL_HELP));
  if(kpi_data_drills(r->db, &r->arena, &v, &n)) {
    html_printf(h, "<p>%s</p></section>\n", req_t(r, M_ERR_INTERNAL));
    return;
  }
  for(i = 0; i < n; i++) {
    if(v[i].held.year != year) {
      continue;
    }
    if(!shown++) {
      html_printf(h,
                  "<div class=\"table-wrap\"><table class=\"kpi-drill\">"
                  "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
                  "</th><th scope=\"col\" class=\"num\">%s</th>"
                  "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" "
                  "class=\"num\">%s</th></tr></thead><tbody>\n",
                  req_t(r, M_F_DR_TITLE), req_t(r, M_F_DR_HELD),
                  req_t(r, M_KPI_RECIPIENTS), req_t(r, M_KPI_K_PHISHING_OPEN),
                  req_t(r, M_KPI_K_PHISHING_CLICK));
    }
    html_printf(h,
                "<tr><th scope=\"row\"><a href=\"/r/drill/%lld\">%s</a>"
                "</th><td>",
                (long long)v[i].id, v[i].title);
    page_date(r, v[i].held_on);
    html_lit(h, "</td>");
    if(!v[i].has_results) {
      html_printf(h, "<td colspan=\"3\" class=\"none\">%s</td></tr>\n",
                  req_t(r, M_KPI_NO_RESULTS));
      continue;
    }
    html_printf(h, "<td class=\"num\"><a href=\"/r/drill/%lld\">%s</a></td>",
                (long long)v[i].id,
                req_t_fill(r, M_KPI_PEOPLE,
                           int_text(r, (int64_t)v[i].rates.recipients)));
    rate_cell(r, &v[i], v[i].rates.opened, open);
    rate_cell(r, &v[i], v[i].rates.clicked, click);
    html_lit(h, "</tr>\n");
  }
  if(!shown) {
    html_printf(h, "<p>%s</p></section>\n", req_t(r, M_KPI_NO_DRILLS));
    return;
  }
  html_lit(h, "</tbody></table></div></section>\n");
}

/* The year chooser: this year and the four before, and the year
 * shown when it is another. */
static void year_form(struct req *r, int year, int this_year)
{
  struct html *h = &r->page;
  int years[7], n = 0, y, i;
  if(year > this_year) {
    years[n++] = year;
  }
  for(y = this_year; y >= this_year - 4; y--) {
    years[n++] = y;
  }
  if(year < this_year - 4) {
    years[n++] = year;
  }
  html_printf(h,
              "<form method=\"get\" action=\"/r/goal_metric/kpi\" "
              "class=\"filters\"><label>%s <select name=\"year\">",
              req_t(r, M_KPI_CHOOSE_YEAR));
  for(i = 0; i < n; i++) {
    html_printf(h, "<option value=\"%d\"%s>%s</option>", years[i] - 1911,
                years[i] == year ? " selected" : "", year_text(r, years[i]));
  }
  html_printf(h,
              "</select></label> <button type=\"submit\">%s</button>"
              "</form>\n",
              req_t(r, M_KPI_SHOW));
}

void kpi_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  const char *y = req_param(r, "year");
  struct kpi_target *targets;
  struct html *h;
  struct buf b;
  int64_t now = time_now(), asof, from, to, roc;
  int this_year = time_taipei_date(now).year, year = this_year;
  size_t n_targets;

  if(!reg) {
    return;
  }
  if(reg != &reg_goal_metric) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  if(y && !str_to_i64(str_c(y), 1, 300, &roc)) {
    year = (int)roc + 1911;
  }
  if(kpi_data_targets(r->db, &r->arena, &targets, &n_targets)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  /* A past year is shown as it stood at its end. */
  kpi_year(year, &from, &to);
  asof = to < now ? to : now;
  h = page_begin(r, 200, req_t(r, M_KPI_TITLE), 4);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/policy\">%s</a> › <a "
              "href=\"/r/goal_metric\">%s</a></p><h1>%s</h1>\n",
              req_t(r, M_R_POLICY), req_t(r, M_R_GOAL_METRIC),
              req_t(r, M_KPI_TITLE));
  buf_init(&b, 64);
  time_format_taipei(&b, asof);
  html_printf(h, "<p class=\"source\">%s</p>\n",
              req_t_fill(r, from > now ? M_KPI_FUTURE : M_KPI_ASOF,
                         b.data ? b.data : ""));
  buf_free(&b);
  html_lit(h, "<div class=\"actions\">");
  year_form(r, year, this_year);
  html_printf(h,
              "<a href=\"/r/outage\">%s</a> <a href=\"/r/incident\">%s</a> "
              "<a href=\"/r/drill?f_kind=social\">%s</a> "
              "<button type=\"button\" class=\"print\" hidden>%s</button>"
              "</div>\n",
              req_t(r, M_R_OUTAGE), req_t(r, M_R_INCIDENT),
              req_t(r, M_R_DRILL), req_t(r, M_PRINT));
  if(from <= now) {
    tiles_section(r, asof); /* a year not begun has none */
  }
  avail_section(r, year, asof,
                kpi_target_of(targets, n_targets, KPI_AVAILABILITY));
  timeliness_section(r, asof,
                     kpi_target_of(targets, n_targets, KPI_TIMELINESS));
  drills_section(r, year, kpi_target_of(targets, n_targets, KPI_PHISHING_OPEN),
                 kpi_target_of(targets, n_targets, KPI_PHISHING_CLICK));
  page_end(r);
}

/* ---- the drill's page ---- */

/* One rate of a drill's page against target t. */
static void drill_rate(struct req *r, enum msg name, size_t hits,
                       size_t recipients, const struct kpi_target *t)
{
  struct html *h = &r->page;
  double v = recipients ? 100.0 * (double)hits / (double)recipients : 0;
  int met = t && kpi_meets(v, t->comparator, t->target);
  html_printf(
    h, "<li><strong>%s %s%%</strong>%s", req_t(r, name),
    pct(r, v, RATE_DECIMALS, t),
    in_paren(r, req_t_fill(r, M_KPI_PEOPLE, int_text(r, (int64_t)hits))));
  if(t) {
    html_printf(h,
                " · %s %s %s%% · <span class=\"kpi-%s\"><span "
                "aria-hidden=\"true\">%s</span> %s</span>",
                req_t(r, M_F_TARGET), cmp_sign(t->comparator),
                num_text(r, t->target), met ? "met" : "missed",
                met ? "✔" : "✘",
                req_t(r, met ? M_KPI_STATE_MET : M_KPI_STATE_MISSED));
  }
  html_lit(h, "</li>");
}

void kpi_drill_detail(struct req *r, const struct record *rec)
{
  struct html *h = &r->page;
  const char *kind = reg_val(&reg_drill, rec, "kind");
  struct kpi_target *targets;
  struct kpi_drill d;
  size_t n_targets;
  enum status st;
  if(!kind || strcmp(kind, "social") != 0) {
    return;
  }
  html_printf(h, "<dt>%s</dt><dd class=\"kpi-results\">",
              req_t(r, M_KPI_RESULTS));
  st = kpi_data_drill(r->db, &r->arena, rec->id, &d);
  if(st == ST_NOTFOUND) {
    html_printf(h, "%s</dd>\n", req_t(r, M_KPI_NO_RESULTS));
    return;
  }
  if(st || kpi_data_targets(r->db, &r->arena, &targets, &n_targets)) {
    html_printf(h, "%s</dd>\n", req_t(r, M_ERR_INTERNAL));
    return;
  }
  {
    const char *args[2] = { int_text(r, (int64_t)d.rates.recipients),
                            int_text(r, (int64_t)d.rates.events) };
    html_lit(h, "<p>");
    html_template(h, req_t(r, M_KPI_RECIPIENTS_OF), 2, args);
    html_lit(h, "</p><ul class=\"kpi-rates\">");
  }
  drill_rate(r, M_KPI_K_PHISHING_OPEN, d.rates.opened, d.rates.recipients,
             kpi_target_of(targets, n_targets, KPI_PHISHING_OPEN));
  drill_rate(r, M_KPI_K_PHISHING_CLICK, d.rates.clicked, d.rates.recipients,
             kpi_target_of(targets, n_targets, KPI_PHISHING_CLICK));
  html_printf(h, "</ul><p class=\"hint\">%s</p><p class=\"hint\">%s ",
              req_t(r, M_KPI_CLICK_IMPLIES_OPEN), req_t(r, M_KPI_IMPORTED));
  page_time(r, d.set.at);
  html_printf(h, " · %s · %s · SHA-256 <code>%s</code></p></dd>\n", d.set.by,
              d.set.file, d.set.sha256);
}

/* The import form of drill id. */
static void results_form(struct req *r, int64_t id)
{
  struct html *h = &r->page;
  html_printf(h,
              "<details class=\"kpi-import\"%s><summary>%s</summary>"
              "<p class=\"hint\">%s</p>"
              "<form method=\"post\" action=\"/r/drill/%lld/results\" "
              "enctype=\"multipart/form-data\">",
              r->n_errs ? " open" : "", req_t(r, M_KPI_IMPORT),
              req_t(r, M_KPI_IMPORT_HELP), (long long)id);
  page_csrf(r);
  html_printf(h,
              "<label>%s <input type=\"file\" name=\"file\" "
              "accept=\".csv,text/csv\" required></label> "
              "<button type=\"submit\">%s</button></form></details>\n",
              req_t(r, M_IMPORT_FILE), req_t(r, M_IMPORT_SUBMIT));
}

/* The drill id when it is a social-engineering drill whose results may
 * be imported now: ST_OK, else why not (as a message). */
static enum msg importable(const struct record *rec)
{
  const char *kind = reg_val(&reg_drill, rec, "kind");
  const char *status = reg_val(&reg_drill, rec, "status");
  if(rec->archived) {
    return M_KPI_RES_ARCHIVED;
  }
  if(!kind || strcmp(kind, "social") != 0) {
    return M_KPI_RES_NOT_SOCIAL;
  }
  if(!status || !strcmp(status, "planned")) {
    return M_KPI_RES_PLANNED;
  }
  return M_NONE;
}

void kpi_drill_links(struct req *r, int64_t id)
{
  struct record rec;
  if(!id || reg_store_get(r->db, &reg_drill, id, &r->arena, &rec)) {
    return;
  }
  if(strcmp(reg_val(&reg_drill, &rec, "kind"), "social") != 0) {
    return;
  }
  if(r->rights & R(AREA_PLAN)) {
    html_printf(&r->page, "<a href=\"/r/goal_metric/kpi#phishing\">%s</a> ",
                req_t(r, M_KPI_TITLE));
  }
  if((r->rights & W(AREA_INCIDENT)) && importable(&rec) == M_NONE) {
    results_form(r, id);
  }
}

/* The page of a refused import: the errors, line by line, and the form
 * again. */
static void results_failed(struct req *r, const struct record *rec,
                           const struct import_report *rep)
{
  struct html *h;
  const char *title = reg_val(&reg_drill, rec, "title");
  h = page_begin(r, 400, req_t_fill(r, M_KPI_IMPORT_TITLE, title), 10);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/drill\">%s</a> › <a "
              "href=\"/r/drill/%lld\">%s</a></p><h1>%s</h1>\n",
              req_t(r, M_R_DRILL), (long long)rec->id, title,
              req_t_fill(r, M_KPI_IMPORT_TITLE, title));
  reg_import_errors(r, &reg_drill, rep);
  r->n_errs = 1; /* the form opens */
  results_form(r, rec->id);
  page_end(r);
}

void kpi_results_post(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  int64_t id = reg ? reg_id_of_req(r) : 0;
  const struct upload *up;
  struct import_report rep;
  struct kpi_phish_row *rows;
  struct kpi_phish rates;
  struct record rec;
  const char *file;
  size_t n;
  enum status st;
  enum msg why;

  if(!id) {
    return;
  }
  if(reg != &reg_drill) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  st = reg_store_get(r->db, &reg_drill, id, &r->arena, &rec);
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  why = importable(&rec);
  if(why != M_NONE) {
    req_fail(r, why == M_KPI_RES_ARCHIVED ? ST_CONFLICT : ST_INVALID, why);
    return;
  }
  memset(&rep, 0, sizeof(rep));
  reg_errors_init(&rep.errs, &r->arena);
  up = req_upload(r, "file");
  if(!up || up->data.len == 0) {
    reg_error(&rep.errs, "", M_IMPORT_NO_FILE);
    results_failed(r, &rec, &rep);
    return;
  }
  file = up->filename && *up->filename ? up->filename : "results.csv";
  /* the name is kept with the results: personal data in it
   * (王小明_A123456789.csv) replaced by its token */
  st = reg_mask_upload_name(r->db, file, &r->arena, &file);
  if(st) {
    req_fail(r, st == ST_TOOBIG ? ST_TOOBIG : ST_INTERNAL,
             st == ST_TOOBIG ? M_ERR_TOO_BIG : M_ERR_INTERNAL);
    return;
  }
  if(strlen(file) > FILE_NAME_MAX) {
    size_t cut = FILE_NAME_MAX;
    while(cut > 0 && ((unsigned char)file[cut] & 0xC0) == 0x80) {
      cut--; /* not inside a UTF-8 sequence */
    }
    file = arena_strndup(&r->arena, file, cut);
  }
  st = kpi_results_parse(up->data, &r->arena, &rows, &n, &rep.errs);
  if(st == ST_INVALID) {
    results_failed(r, &rec, &rep);
    return;
  }
  if(!st) {
    st = kpi_phish_rates(rows, n, &r->arena, &rates);
  }
  if(!st) {
    st = file ? kpi_store_replace(r->db, id, rows, n, rates.recipients, file,
                                  up->data, r->actor) :
                ST_TOOBIG;
  }
  if(st) {
    req_fail(r, st == ST_TOOBIG ? ST_TOOBIG : ST_DB,
             st == ST_TOOBIG ? M_ERR_TOO_BIG : M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, arena_printf(&r->arena, "/r/drill/%lld", (long long)id));
}

/* ---- the goal metrics ---- */

void kpi_goal_links(struct req *r, int64_t id)
{
  html_printf(&r->page, "<a href=\"/r/goal_metric/kpi%s\">%s</a> ",
              id ? "#tiles-h" : "", req_t(r, M_KPI_TITLE));
}

void kpi_goal_detail(struct req *r, const struct record *rec)
{
  struct html *h = &r->page;
  struct kpi_tile *tiles;
  size_t n = 0, i;
  if(!reg_val(&reg_goal_metric, rec, "kpi") || rec->archived) {
    return;
  }
  tiles = arena_alloc(&r->arena, sizeof(*tiles) * MAX_TILES);
  if(!tiles || kpi_tiles(r->db, &r->arena, time_now(), tiles, MAX_TILES, &n)) {
    return;
  }
  for(i = 0; i < n && tiles[i].metric_id != rec->id; i++) {
  }
  if(i == n) {
    return;
  }
  html_printf(h, "<dt>%s</dt><dd class=\"kpi-now\">", req_t(r, M_KPI_NOW));
  kpi_tile_html(r, &tiles[i]);
  html_lit(h, "</dd>\n");
}
