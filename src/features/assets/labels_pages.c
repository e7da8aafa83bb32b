/*
 * labels_pages.c: plan 柒.一.4: a printable A4 sheet of asset labels,
 * each with the property number, keeper, brand, model, the core mark
 * and a QR code that opens the asset's page; and the asset register's
 * links to the labels and to the yearly inventory.
 */
#include "assets.h"
#include "auth/qr.h"
#include "inventory.h"
#include "registers/register_http.h"
#include "ui/layout.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const struct param_spec labels_params[] = {
  { "q", PARAM_TEXT, 200, 0, 0 },           { "archived", PARAM_INT, 1, 0, 2 },
  { "sort", PARAM_WORD, 40, 0, 0 },         { "dir", PARAM_WORD, 4, 0, 0 },
  { "page", PARAM_INT, 10, 1, 1000000000 }, { "f_*", PARAM_TEXT, 200, 0, 0 },
  { "asset", PARAM_INT, 19, 1, INT64_MAX }, { NULL, 0, 0, 0, 0 },
};

/* Labels per A4 page: 3 columns of 8 rows (app.css .sheet). */
#define LABELS_PER_SHEET 24

/* The value of field name of an asset record, or "". */
static const char *av(const struct record *rec, const char *name)
{
  const struct field *f = reg_field(&reg_asset, name);
  const char *v = f ? rec->v[reg_field_index(&reg_asset, f)] : NULL;
  return v ? v : "";
}

/* Append the list parameters of r (search, filters, archived, sort) as
 * "&name=value" pairs, so that a link keeps the list's selection. */
static void list_args(struct req *r)
{
  size_t i;
  for(i = 0; i < r->n_params; i++) {
    const char *n = r->params[i].name;
    if(!r->params[i].len ||
       !(strcmp(n, "q") == 0 || strcmp(n, "archived") == 0 ||
         strcmp(n, "sort") == 0 || strcmp(n, "dir") == 0 ||
         strncmp(n, "f_", 2) == 0)) {
      continue;
    }
    html_lit(&r->page, "&amp;");
    html_urlarg(&r->page, str_c(n));
    html_lit(&r->page, "=");
    html_urlarg(&r->page, str_c(r->params[i].value));
  }
}

/* One label: the QR code of url as a data: image (the CSP allows
 * img-src data:, and the SVG's markup never mixes with the page's). */
static void label(struct req *r, const struct record *rec, const char *url,
                  struct buf *svg)
{
  struct html *h = &r->page;
  const char *core = av(rec, "is_core");
  buf_clear(svg);
  html_lit(h, "<div class=\"label\">");
  if(!qr_svg(svg, url, 2, url) && !svg->err) {
    size_t n =
      sodium_base64_encoded_len(svg->len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = arena_alloc(&r->arena, n);
    if(b64) {
      sodium_bin2base64(b64, n, (const unsigned char *)svg->data, svg->len,
                        sodium_base64_VARIANT_ORIGINAL);
      html_printf(h,
                  "<img class=\"qr\" src=\"data:image/svg+xml;base64,%s\" "
                  "alt=\"%s\">",
                  b64, url);
    }
  }
  html_printf(h,
              "<div class=\"label-text\"><p class=\"pno\">%s</p>"
              "<p class=\"aname\">%s",
              av(rec, "property_no"), av(rec, "name"));
  if(strcmp(core, "1") == 0) {
    html_printf(h, " <span class=\"core-mark\">%s</span>",
                req_t(r, M_LABELS_CORE));
  }
  html_printf(
    h,
    "</p><dl><dt>%s</dt><dd>%s</dd>"
    "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl></div></div>\n",
    req_t(r, M_F_AS_KEEPER), av(rec, "keeper"), req_t(r, M_F_AS_BRAND),
    av(rec, "brand"), req_t(r, M_F_AS_MODEL), av(rec, "model"));
}

void labels_page(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  struct list_query q;
  struct record_page pg;
  struct buf svg;
  const char *host, *scheme, *one;
  struct html *h;
  size_t i;
  if(!reg) {
    return;
  }
  if(reg != &reg_asset) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  reg_list_query(r, reg, &q);
  q.per_page = LABELS_MAX;
  one = req_param(r, "asset");
  if(one) {
    /* The label of one asset, from its record page. */
    int64_t id = 0;
    memset(&pg, 0, sizeof(pg));
    pg.rows = arena_alloc(&r->arena, sizeof(*pg.rows));
    if(!pg.rows || str_to_i64(str_c(one), 1, INT64_MAX, &id) ||
       reg_store_get(r->db, reg, id, &r->arena, &pg.rows[0])) {
      req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
      return;
    }
    pg.n = 1;
    pg.total = 1;
  }
  else if(reg_store_list(r->db, reg, &q, &r->arena, &pg)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  /* The server has checked Host against its own names already. */
  host = req_header(r, "host");
  scheme = r->tls ? "https" : "http";
  h = page_begin(r, 200, req_t(r, M_LABELS_TITLE), reg->chapter);
  html_printf(h,
              "<div class=\"labels-head\"><p class=\"crumbs\"><a "
              "href=\"/r/asset\">%s</a></p>\n<h1>%s</h1>\n"
              "<p class=\"hint\">%s</p>\n",
              req_t(r, M_R_ASSET), req_t(r, M_LABELS_TITLE),
              req_t(r, M_LABELS_HINT));
  if(pg.total > (int64_t)(q.page * LABELS_MAX) || q.page > 1) {
    char a[24], b[24], c[24];
    const char *args[3];
    snprintf(a, sizeof(a), "%lld", (long long)((q.page - 1) * LABELS_MAX + 1));
    snprintf(b, sizeof(b), "%lld",
             (long long)((q.page - 1) * LABELS_MAX + (int64_t)pg.n));
    snprintf(c, sizeof(c), "%lld", (long long)pg.total);
    args[0] = a;
    args[1] = b;
    args[2] = c;
    html_lit(h, "<p class=\"notice\" role=\"status\">");
    html_template(h, req_t(r, M_LABELS_CAPPED), 3, args);
    html_lit(h, "</p>\n");
  }
  html_lit(h, "<div class=\"actions\">");
  if(pg.total > (int64_t)(q.page * LABELS_MAX)) {
    html_printf(h, "<a href=\"/r/asset/labels?page=%lld",
                (long long)(q.page + 1));
    list_args(r);
    html_printf(h, "\">%s</a> ", req_t(r, M_LABELS_NEXT));
  }
  html_printf(h,
              "<button type=\"button\" class=\"print\" hidden>%s</button>"
              "</div>\n</div>\n",
              req_t(r, M_PRINT));
  if(!pg.n) {
    html_printf(h, "<p>%s</p>\n", req_t(r, M_LABELS_NONE));
    page_end(r);
    return;
  }
  buf_init(&svg, 1 << 20);
  for(i = 0; i < pg.n; i++) {
    const char *url =
      host ?
        arena_printf(&r->arena, "%s://%s/r/asset/%lld", scheme, host,
                     (long long)pg.rows[i].id) :
        arena_printf(&r->arena, "/r/asset/%lld", (long long)pg.rows[i].id);
    if(i % LABELS_PER_SHEET == 0) {
      html_lit(h, "<div class=\"labels sheet\">\n");
    }
    if(url) {
      label(r, &pg.rows[i], url, &svg);
    }
    if(i % LABELS_PER_SHEET == LABELS_PER_SHEET - 1 || i + 1 == pg.n) {
      html_lit(h, "</div>\n");
    }
  }
  buf_free(&svg);
  page_end(r);
}

void asset_links(struct req *r, int64_t id)
{
  if(id) {
    html_printf(&r->page,
                "<a class=\"button\" href=\"/r/asset/labels?asset=%lld\">%s"
                "</a> ",
                (long long)id, req_t(r, M_LABELS_ONE));
    return;
  }
  html_lit(&r->page, "<a href=\"/r/asset/labels?page=1");
  list_args(r);
  html_printf(&r->page, "\">%s</a> <a href=\"/r/asset/inventory\">%s</a> ",
              req_t(r, M_LABELS_TITLE), req_t(r, M_INV_TITLE));
  {
    /* Form 5 with the list's selection, in the three formats. */
    static const char *const ext[] = { "xlsx", "ods", "csv" };
    size_t i;
    for(i = 0; i < 3; i++) {
      html_printf(&r->page, "<a href=\"/r/asset/form5.%s?page=1", ext[i]);
      list_args(r);
      html_printf(&r->page, "\" download>%s %s</a> ", req_t(r, M_F5_LINK),
                  i == 0 ? "XLSX" :
                  i == 1 ? "ODS" :
                           "CSV");
    }
  }
}
