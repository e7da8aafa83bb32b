/*
 * feed_pages.c: /account/calendar-feed (make, renew or stop one's secret
 * feed address) and the public GET /feed/{file} (TOKEN.ics) that calendar programs
 * subscribe to.  See remind.h, docs/pages/calendar-feed.md and
 * docs/pages/feed.md.
 */
#include "remind.h"
#include "notice.h"
#include "remind_store.h"
#include "core/time.h"
#include "http/router.h"
#include "ui/layout.h"

#include <sodium.h>
#include <string.h>

/* Cap of one feed response. */
#define FEED_MAX_BYTES (8u << 20)

void feed_page(struct req *r)
{
  int64_t made = 0;
  struct html *h;
  if(remind_store_feed_made(r->db, r->uid, &made)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_FEED_TITLE), 0);
  html_printf(h, "<h1>%s</h1>\n<p>%s</p>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_FEED_TITLE), req_t(r, M_FEED_INTRO),
              req_t(r, M_FEED_SECRET_HINT));
  if(made) {
    html_printf(h, "<p class=\"notice\" role=\"status\">%s ",
                req_t(r, M_FEED_MADE_AT));
    page_time(r, time_utc_in(&r->arena, made));
    html_lit(h, "</p>\n");
  }
  else {
    html_printf(h, "<p class=\"none\">%s</p>\n", req_t(r, M_FEED_NONE));
  }
  html_lit(h, "<div class=\"actions\"><form method=\"post\" "
              "action=\"/account/calendar-feed\" class=\"inline\"");
  if(made) {
    html_printf(h, " data-confirm=\"%s\"", req_t(r, M_FEED_RENEW_CONFIRM));
  }
  html_lit(h, ">");
  page_csrf(r);
  html_printf(h, "<button type=\"submit\">%s</button></form>",
              req_t(r, made ? M_FEED_RENEW : M_FEED_CREATE));
  if(made) {
    html_lit(h, "<form method=\"post\" action=\"/account/calendar-feed/"
                "revoke\" class=\"inline\">");
    page_csrf(r);
    html_printf(h,
                "<button type=\"submit\" class=\"secondary\">%s</button>"
                "</form>",
                req_t(r, M_FEED_REVOKE));
  }
  html_printf(h, "</div>\n<p><a href=\"/notices\">%s</a></p>\n",
              req_t(r, M_NT_TITLE));
  page_end(r);
}

void feed_create_post(struct req *r)
{
  char token[FEED_TOKEN_LEN + 1];
  const char *url;
  struct html *h;
  enum status st = feed_token_new(r->db, r->uid, r->login, token);
  if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
    return;
  }
  url = arena_printf(&r->arena, "%s/feed/%s.ics",
                     remind_base_url(r->db, &r->arena), token);
  sodium_memzero(token, sizeof(token));
  h = page_begin(r, 201, req_t(r, M_FEED_TITLE), 0);
  html_printf(h,
              "<h1>%s</h1>\n<p class=\"notice\" role=\"status\">%s</p>\n"
              "<p><code class=\"secret\" id=\"feed-url\">%s</code></p>\n"
              "<p class=\"hint\">%s</p>\n"
              "<p><a href=\"/account/calendar-feed\">%s</a></p>\n",
              req_t(r, M_FEED_CREATED), req_t(r, M_FEED_SHOWN_ONCE),
              url ? url : "", req_t(r, M_FEED_HOWTO), req_t(r, M_FEED_TITLE));
  page_end(r);
}

void feed_revoke_post(struct req *r)
{
  enum status st = feed_token_revoke(r->db, r->uid, r->login);
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, "/account/calendar-feed");
}

void feed_ics(struct req *r)
{
  struct buf out;
  enum status st;
  buf_init(&out, FEED_MAX_BYTES);
  st = feed_calendar(r->db, req_path_param(r, "file"), time_now(), &out);
  if(st == ST_NOTFOUND) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
  }
  else if(st) {
    req_fail(r, st, M_ERR_INTERNAL);
  }
  else {
    req_bytes(r, 200, "text/calendar; charset=utf-8", out.data, out.len);
  }
  buf_free(&out);
}
