/*
 * notice_pages.c: /notices (one's own in-app notifications, marking them
 * read) and /admin/mail (the mail queue for administrators).  See
 * remind.h and docs/pages/notices.md, docs/pages/mail-outbox.md.
 */
#include "remind.h"
#include "notice.h"
#include "remind_store.h"
#include "core/time.h"
#include "db/settings.h"
#include "http/router.h"
#include "ui/layout.h"

#include <string.h>

/* Most notifications listed, and most mails. */
#define NOTICES_SHOWN 200
#define MAILS_SHOWN   200

int64_t notice_unread(struct req *r)
{
  int64_t n = 0;
  if(!r->uid || !r->db || remind_store_unread(r->db, r->uid, &n)) {
    return 0;
  }
  return n;
}

void notices_page(struct req *r)
{
  struct notice *list;
  size_t n = 0, i;
  int64_t total = 0, unread = 0;
  struct html *h;

  if(remind_store_notices(r->db, r->uid, NOTICES_SHOWN, &r->arena, &list, &n,
                          &total) ||
     remind_store_unread(r->db, r->uid, &unread)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_NT_TITLE), 0);
  html_printf(h, "<h1>%s</h1>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_NT_TITLE), req_t(r, M_NT_INTRO));
  if(n == 0) {
    html_printf(h, "<p class=\"none\">%s</p>\n", req_t(r, M_NT_NONE));
  }
  else {
    if(unread) {
      html_lit(h, "<form method=\"post\" action=\"/notices/read-all\" "
                  "class=\"actions\">");
      page_csrf(r);
      html_printf(h, "<button type=\"submit\">%s</button></form>\n",
                  req_t(r, M_NT_READ_ALL));
    }
    html_printf(h,
                "<div class=\"table-wrap\"><table class=\"list notices\">"
                "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
                "</th><th scope=\"col\">%s</th></tr></thead><tbody>\n",
                req_t(r, M_NT_WHEN), req_t(r, M_NT_WHAT),
                req_t(r, M_NT_STATE));
    for(i = 0; i < n; i++) {
      const struct notice *x = &list[i];
      const char *text = NULL;
      if(notice_text(r->db, x, r->lang, &r->arena, &text)) {
        text = req_t(r, M_NT_GONE);
      }
      html_printf(h, "<tr class=\"%s\" id=\"notice-%lld\"><td>",
                  x->read_at ? "read" : "unread", (long long)x->id);
      page_time(r, time_utc_in(&r->arena, x->created_at));
      html_printf(h,
                  "</td><td><a href=\"/r/duty/calendar/%lld\">%s</a></td>"
                  "<td>",
                  (long long)x->occurrence, text);
      if(x->read_at) {
        html_printf(h, "%s", req_t(r, M_NT_READ));
      }
      else {
        html_printf(h,
                    "<strong>%s</strong> <form method=\"post\" "
                    "action=\"/notices/%lld/read\" class=\"inline\">",
                    req_t(r, M_NT_UNREAD), (long long)x->id);
        page_csrf(r);
        html_printf(h, "<button type=\"submit\">%s</button></form>",
                    req_t(r, M_NT_MARK_READ));
      }
      html_lit(h, "</td></tr>\n");
    }
    html_lit(h, "</tbody></table></div>\n");
    if(total > (int64_t)n) {
      const char *args[1];
      args[0] = arena_printf(&r->arena, "%zu", n);
      html_lit(h, "<p class=\"hint\">");
      html_template(h, req_t(r, M_NT_NEWEST), 1, args);
      html_lit(h, "</p>\n");
    }
  }
  html_printf(h,
              "<p><a href=\"/r/duty/calendar\">%s</a> · "
              "<a href=\"/account/calendar-feed\">%s</a></p>\n",
              req_t(r, M_NT_TO_CALENDAR), req_t(r, M_FEED_TITLE));
  page_end(r);
}

void notice_read_post(struct req *r)
{
  const char *ids = req_path_param(r, "id");
  int64_t id = 0;
  enum status st;
  if(!ids || str_to_i64(str_c(ids), 1, INT64_MAX, &id)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  st = remind_store_read(r->db, r->uid, id, time_now());
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, "/notices");
}

void notices_read_all_post(struct req *r)
{
  if(remind_store_read(r->db, r->uid, 0, time_now())) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  req_redirect(r, "/notices");
}

/* The label of an outbox status. */
static enum msg mail_status_msg(const char *status)
{
  if(strcmp(status, "sent") == 0) {
    return M_MQ_SENT;
  }
  if(strcmp(status, "dropped") == 0) {
    return M_MQ_DROPPED;
  }
  if(strcmp(status, "failed") == 0) {
    return M_MQ_FAILED;
  }
  return M_MQ_QUEUED;
}

void outbox_page(struct req *r)
{
  struct outbox_mail *list;
  size_t n = 0, i;
  int64_t queued = 0;
  const char *relay = setting_text(r->db, SET_MAIL_RELAY, &r->arena);
  const char *from = setting_text(r->db, SET_MAIL_FROM, &r->arena);
  struct html *h;

  if(remind_store_outbox(r->db, MAILS_SHOWN, &r->arena, &list, &n, &queued)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_MQ_TITLE), 0);
  html_printf(h, "<h1>%s</h1>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_MQ_TITLE), req_t(r, M_MQ_INTRO));
  if(!relay || !*relay || !from || !*from) {
    html_printf(h,
                "<p class=\"warnings\" role=\"status\">%s "
                "<a href=\"/admin/settings\">%s</a></p>\n",
                req_t(r, M_MQ_NO_RELAY), req_t(r, M_SETTINGS_TITLE));
  }
  {
    const char *args[1];
    args[0] = arena_printf(&r->arena, "%lld", (long long)queued);
    html_lit(h, "<p>");
    html_template(h, req_t(r, M_MQ_QUEUED_COUNT), 1, args);
    html_lit(h, "</p>\n");
  }
  if(n == 0) {
    html_printf(h, "<p class=\"none\">%s</p>\n", req_t(r, M_MQ_NONE));
    page_end(r);
    return;
  }
  html_printf(h,
              "<div class=\"table-wrap\"><table class=\"list outbox\">"
              "<thead><tr><th scope=\"col\">#</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
              "</thead><tbody>\n",
              req_t(r, M_MQ_TO), req_t(r, M_MQ_SUBJECT), req_t(r, M_MQ_STATUS),
              req_t(r, M_MQ_QUEUED_AT), req_t(r, M_MQ_ATTEMPTS),
              req_t(r, M_MQ_NEXT), req_t(r, M_MQ_ERROR));
  for(i = 0; i < n; i++) {
    const struct outbox_mail *m = &list[i];
    html_printf(h,
                "<tr class=\"%s\"><td>%lld</td><td>%s &lt;%s&gt;</td>"
                "<td>%s</td><td>%s</td><td>",
                m->status ? m->status : "", (long long)m->id,
                m->login ? m->login : "", m->rcpt ? m->rcpt : "",
                m->subject ? m->subject : "",
                req_t(r, mail_status_msg(m->status ? m->status : "")));
    page_time(r, time_utc_in(&r->arena, m->created_at));
    html_printf(h, "</td><td>%d</td><td>", m->attempts);
    if(m->status && strcmp(m->status, "sent") == 0) {
      page_time(r, time_utc_in(&r->arena, m->sent_at));
    }
    else if(m->status && strcmp(m->status, "queued") == 0) {
      page_time(r, time_utc_in(&r->arena, m->next_at));
    }
    html_printf(h, "</td><td>%s</td></tr>\n",
                m->last_error ? m->last_error : "");
  }
  html_lit(h, "</tbody></table></div>\n");
  page_end(r);
}
