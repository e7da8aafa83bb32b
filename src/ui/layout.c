/*
 * layout.c: the page shell.
 */
#include "layout.h"
#include "auth/roles.h"
#include "core/embed.h"
#include "core/time.h"
#include "http/router.h"
#include "registers/register.h"

#include <string.h>

const struct chapter chapters[] = {
  { 1, M_CH_1_2 }, { 3, M_CH_3 },   { 4, M_CH_4 },   { 5, M_CH_5 },
  { 6, M_CH_6 },   { 7, M_CH_7 },   { 8, M_CH_8 },   { 9, M_CH_9 },
  { 10, M_CH_10 }, { 11, M_CH_11 }, { 12, M_CH_12 }, { 13, M_CH_13 },
  { 14, M_CH_14 }, { 15, M_CH_15 }, { 16, M_CH_16 }, { 17, M_CH_17 },
};
const size_t n_chapters = sizeof(chapters) / sizeof(chapters[0]);

page_count_fn *page_unread;

/* The URL of an embedded asset with its content hash, so it can be
 * cached for a year. */
static void asset_url(struct html *h, const char *name)
{
  const struct embedded_file *f =
    embed_find(embedded_assets, n_embedded_assets, name);
  html_printf(h, "/static/%s?v=%s", name, f ? f->etag : "0");
}

/* This page's path with its query parameters, so that switching the
 * language keeps the list's search and filters.  Lives in r->arena. */
static const char *this_page(struct req *r)
{
  struct html u;
  const char *s;
  size_t i;
  if(r->method != HTTP_GET) {
    return r->path;
  }
  html_init(&u, 4096);
  /* Routed paths hold only [a-z0-9_./-] (router.c), nothing to escape. */
  html_str(&u, str_c(r->path));
  for(i = 0; i < r->n_params; i++) {
    if(i) {
      html_lit(&u, "&");
    }
    else {
      html_lit(&u, "?");
    }
    html_urlarg(&u, str_c(r->params[i].name));
    html_lit(&u, "=");
    html_urlarg(&u, (struct str){ r->params[i].value, r->params[i].len });
  }
  s = u.out.err ? r->path : arena_strdup(&r->arena, html_cstr(&u));
  html_free(&u);
  return s ? s : r->path;
}

struct html *page_begin(struct req *r, int status, const char *title,
                        int chapter)
{
  struct html *h = req_html(r, status);
  size_t i, j;

  html_printf(h,
              "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
              "<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, "
              "initial-scale=1\">\n"
              "<title>%s｜%s</title>\n<link rel=\"icon\" href=\"data:,\">\n"
              "<link rel=\"stylesheet\" href=\"",
              lang_tag(r->lang), title, req_t(r, M_APP_NAME));
  asset_url(h, "app.css");
  html_lit(h, "\">\n<script src=\"");
  asset_url(h, "app.js");
  html_printf(h,
              "\" defer></script>\n</head>\n<body>\n"
              "<a class=\"skip\" href=\"#main\">%s</a>\n"
              "<header class=\"top\"><a class=\"brand\" href=\"/\">%s</a>\n"
              "<form class=\"lang\" method=\"post\" action=\"/lang\">",
              req_t(r, M_SKIP_TO_CONTENT), req_t(r, M_APP_NAME));
  page_csrf(r);
  html_printf(h,
              "<input type=\"hidden\" name=\"to\" value=\"%s\">"
              "<input type=\"hidden\" name=\"next\" value=\"%s\">"
              "<button type=\"submit\" lang=\"%s\" title=\"%s\">%s</button>"
              "</form>",
              r->lang == LANG_EN ? "zh" : "en", this_page(r),
              r->lang == LANG_EN ? "zh-TW" : "en",
              req_t(r, M_LANG_SWITCH_LABEL), req_t(r, M_LANG_SWITCH));
  if(r->uid) {
    /* Who is signed in, and the way out (idle logout is automatic). */
    html_printf(h, "<div class=\"who\"><a href=\"/account\">%s（%s）</a>%s",
                r->user_name ? r->user_name : "", r->login ? r->login : "",
                r->privileged ? req_t(r, M_PRIVILEGED_MARK) : "");
    if(page_unread && !r->step) {
      /* The notifications, with how many are unread. */
      int64_t n = page_unread(r);
      const char *args[1];
      args[0] = arena_printf(&r->arena, "%lld", (long long)n);
      html_printf(h, "<a class=\"notices%s\" href=\"/notices\">",
                  n ? " unread" : "");
      html_template(h, req_t(r, n ? M_NT_LINK_UNREAD : M_NT_LINK), 1, args);
      html_lit(h, "</a>");
    }
    html_lit(h, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
    page_csrf(r);
    html_printf(h, "<button type=\"submit\">%s</button></form></div>",
                req_t(r, M_LOGOUT));
  }
  html_lit(h, "</header>\n<div class=\"frame\">\n");
  if(!r->uid || r->step) {
    /* Nothing to navigate to before sign-in is complete. */
    html_lit(h, "<main id=\"main\" tabindex=\"-1\">\n");
    return h;
  }
  html_printf(h, "<nav class=\"chapters\" aria-label=\"%s\"><ol>\n",
              req_t(r, M_NAV_LABEL));
  html_printf(h, "<li><a href=\"/\" aria-current=\"%s\">%s</a></li>\n",
              chapter == 0 && strcmp(r->path, "/") == 0 ? "page" : "false",
              req_t(r, M_HOME));
  for(i = 0; i < n_chapters; i++) {
    int has = 0;
    for(j = 0; j < n_registers; j++) {
      has |= registers[j]->chapter == chapters[i].number &&
             (r->rights & R(registers[j]->area));
    }
    html_printf(h, "<li class=\"%s%s\">%s", has ? "ch" : "ch empty",
                chapters[i].number == chapter ? " current" : "",
                req_t(r, chapters[i].title));
    if(has) {
      html_lit(h, "<ul>");
      for(j = 0; j < n_registers; j++) {
        const struct reg *g = registers[j];
        if(g->chapter != chapters[i].number || !(r->rights & R(g->area))) {
          continue;
        }
        html_printf(h, "<li><a href=\"/r/%s\" aria-current=\"%s\">%s</a></li>",
                    g->name,
                    strncmp(r->path, "/r/", 3) == 0 &&
                        strncmp(r->path + 3, g->name, strlen(g->name)) == 0 &&
                        (r->path[3 + strlen(g->name)] == 0 ||
                         r->path[3 + strlen(g->name)] == '/') ?
                      "page" :
                      "false",
                    req_t(r, g->title));
      }
      html_lit(h, "</ul>");
    }
    html_lit(h, "</li>\n");
  }
  html_lit(h, "</ol>");
  if(r->rights & (RIGHT_USERS | RIGHT_SETTINGS | RIGHT_AUDIT | RIGHT_APPROVE |
                  RIGHT_REVIEW)) {
    html_printf(h, "<h2 class=\"nav-head\">%s</h2><ul class=\"admin\">",
                req_t(r, M_NAV_ADMIN));
    if(r->rights & RIGHT_USERS) {
      html_printf(h, "<li><a href=\"/admin/users\">%s</a></li>",
                  req_t(r, M_USERS_TITLE));
    }
    if(r->rights & RIGHT_SETTINGS) {
      html_printf(h,
                  "<li><a href=\"/admin/settings\">%s</a></li>"
                  "<li><a href=\"/admin/mail\">%s</a></li>",
                  req_t(r, M_SETTINGS_TITLE), req_t(r, M_MQ_TITLE));
    }
    if(r->rights & RIGHT_APPROVE) {
      html_printf(h, "<li><a href=\"/admin/privileged\">%s</a></li>",
                  req_t(r, M_PRIV_LIST_TITLE));
    }
    if(r->rights & RIGHT_REVIEW) {
      html_printf(h, "<li><a href=\"/admin/reviews\">%s</a></li>",
                  req_t(r, M_REVIEWS_TITLE));
    }
    if(r->rights & RIGHT_AUDIT) {
      html_printf(h, "<li><a href=\"/admin/audit\">%s</a></li>",
                  req_t(r, M_AUDIT_TITLE));
    }
    html_lit(h, "</ul>");
  }
  html_lit(h, "</nav>\n<main id=\"main\" tabindex=\"-1\">\n");
  return h;
}

void page_end(struct req *r)
{
  html_printf(&r->page,
              "</main>\n</div>\n<footer class=\"foot\">%s</footer>\n"
              "</body>\n</html>\n",
              req_t(r, M_FOOTER));
}

void page_csrf(struct req *r)
{
  html_printf(&r->page,
              "<input type=\"hidden\" name=\"" CSRF_FIELD "\" value=\"%s\">",
              r->csrf ? r->csrf : "");
}

void page_date(struct req *r, const char *iso)
{
  struct date d;
  struct buf b;
  if(!iso || time_parse_date(str_c(iso), &d)) {
    html_printf(&r->page, "%s", iso ? iso : "");
    return;
  }
  buf_init(&b, 64);
  time_format_roc(&b, d);
  html_printf(&r->page, "<time datetime=\"%s\">%s</time>", iso, iso);
  if(r->lang == LANG_ZH) {
    html_printf(&r->page, "<span class=\"roc\">（%s）</span>", b.data);
  }
  buf_free(&b);
}

void page_time(struct req *r, const char *utc)
{
  int64_t t;
  struct buf b;
  if(!utc || time_parse_utc(str_c(utc), &t)) {
    html_printf(&r->page, "%s", utc ? utc : "");
    return;
  }
  buf_init(&b, 64);
  time_format_taipei(&b, t);
  html_printf(&r->page, "<time datetime=\"%s\">%s</time>", utc, b.data);
  if(r->lang == LANG_ZH) {
    struct date d = time_taipei_date(t);
    buf_clear(&b);
    time_format_roc(&b, d);
    html_printf(&r->page, "<span class=\"roc\">（%s）</span>", b.data);
  }
  buf_free(&b);
}

void page_error_summary(struct req *r, const struct page_ctl *ctls)
{
  struct html *h = &r->page;
  size_t i, k;
  if(!r->n_errs) {
    return;
  }
  html_printf(h,
              "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\">"
              "<p>%s</p><ul>",
              req_t(r, M_FORM_HAS_ERRORS));
  for(i = 0; i < r->n_errs; i++) {
    const char *id = NULL;
    for(k = 0; ctls && ctls[k].field; k++) {
      if(r->errs[i].field && !strcmp(r->errs[i].field, ctls[k].field)) {
        id = ctls[k].id;
      }
    }
    if(id) {
      html_printf(h, "<li><a href=\"#%s\">%s</a></li>", id,
                  req_t(r, r->errs[i].msg));
    }
    else {
      html_printf(h, "<li>%s</li>", req_t(r, r->errs[i].msg));
    }
  }
  html_lit(h, "</ul></div>\n");
}
