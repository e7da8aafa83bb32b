/*
 * calendar_pages.c: the compliance calendar on the web: the printable
 * calendar of this year's and next year's duties with filters, one
 * occurrence's page with its basis, evidence and history, closing it
 * with evidence (a file, checked by its content, or a link to a record
 * in isms) and a note, reopening it, and its evidence file.  Routes are
 * under /r/duty/ so that the router checks the plan area's rights.
 */
#include "calendar.h"
#include "calendar_store.h"
#include "auth/account_store.h"
#include "auth/audit.h"
#include "auth/roles.h"
#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "features/agency/agency.h"
#include "features/evidence/evidence.h"
#include "registers/register_http.h"
#include "registers/register_mask_pages.h"
#include "registers/register_store.h"
#include "rules/obligations.h"
#include "ui/layout.h"

#include <stdio.h>
#include <string.h>

const struct param_spec cal_params[] = {
  { "year", PARAM_INT, 4, 1, 9999 },  { "owner", PARAM_WORD, 20, 0, 0 },
  { "chapter", PARAM_INT, 2, 4, 17 }, { "status", PARAM_WORD, 12, 0, 0 },
  { "mine", PARAM_INT, 1, 0, 1 },     { NULL, 0, 0, 0, 0 },
};

const struct param_spec cal_close_params[] = {
  { "note", PARAM_TEXT, 4000, 0, 0 },
  { "link", PARAM_TEXT, 400, 0, 0 },
  { "pick", PARAM_TEXT, 80, 0, 0 },
  /* masking of the note (registers/register_mask_pages.h) */
  { "mask_preview", PARAM_INT, 1, 0, 1 },
  { "mask_confirm", PARAM_INT, 1, 0, 1 },
  { "mask_op_note", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec cal_reopen_params[] = {
  { "reason", PARAM_TEXT, 2000, 0, 0 },
  /* masking of the reason (registers/register_mask_pages.h) */
  { "mask_preview", PARAM_INT, 1, 0, 1 },
  { "mask_confirm", PARAM_INT, 1, 0, 1 },
  { "mask_op_reason", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

/* Suggested records listed on the closing form. */
#define PICK_MAX 10

static const enum msg standing_msg[] = {
  [OCC_DONE] = M_CAL_ST_DONE,         [OCC_ON_TRACK] = M_CAL_ST_ON_TRACK,
  [OCC_DUE_SOON] = M_CAL_ST_DUE_SOON, [OCC_OVERDUE] = M_CAL_ST_OVERDUE,
  [OCC_VOID] = M_CAL_ST_VOID,
};

static const char *const standing_class[] = {
  [OCC_DONE] = "done",         [OCC_ON_TRACK] = "on-track",
  [OCC_DUE_SOON] = "due-soon", [OCC_OVERDUE] = "overdue",
  [OCC_VOID] = "void",
};

/* Words of the status filter, in the order of the select. */
static const struct {
  const char *word;
  enum msg label;
} status_words[] = {
  { "overdue", M_CAL_ST_OVERDUE }, { "soon", M_CAL_ST_DUE_SOON },
  { "open", M_CAL_F_OPEN },        { "done", M_CAL_ST_DONE },
  { "void", M_CAL_ST_VOID },       { "track", M_CAL_ST_ON_TRACK },
};

static const char *const owner_keys[] = {
  "officer", "strategy", "protection", "performance", "it", "ciso",
};

static struct date today(void)
{
  return time_taipei_date(time_now());
}

static const char *iso(struct req *r, struct date d)
{
  return arena_printf(&r->arena, "%04d-%02d-%02d", d.year, d.month, d.day);
}

/* The register must be the duty register; 404 otherwise. */
static int is_duty(struct req *r)
{
  const struct reg *reg = reg_of_req(r);
  if(!reg) {
    return 0;
  }
  if(reg != &reg_duty) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  return 1;
}

/* The signed-in account's role keys, space-separated ("" when none). */
static const char *my_roles(struct req *r)
{
  struct account acct;
  if(acct_by_id(r->db, r->uid, &r->arena, &acct) || !acct.roles) {
    return "";
  }
  return acct.roles;
}

/* 1 if held (space-separated role keys) has role key. */
static int has_role(const char *held, const char *key)
{
  size_t n = strlen(key);
  const char *p = held;
  while(*p) {
    size_t len = strcspn(p, " ");
    if(len == n && memcmp(p, key, n) == 0) {
      return 1;
    }
    p += len;
    p += *p == ' ';
  }
  return 0;
}

/* The officer and the strategy group (who write the plan area) and the
 * CISO manage every occurrence. */
static int may_manage(const struct req *r)
{
  return (r->rights & (W(AREA_PLAN) | RIGHT_APPROVE)) != 0;
}

static int may_close(struct req *r, const struct occurrence *o)
{
  return may_manage(r) || has_role(my_roles(r), o->owner);
}

static void standing_badge(struct req *r, enum occ_standing s)
{
  html_printf(&r->page, "<span class=\"standing %s\">%s</span>",
              standing_class[s], req_t(r, standing_msg[s]));
}

/* "尚餘 12 日" / "已逾期 3 日" / "今日到期" for an open occurrence. */
static void days_text(struct req *r, const struct occurrence *o,
                      struct date day)
{
  int64_t days = occ_days(o, day);
  char n[24];
  const char *args[1] = { n };
  snprintf(n, sizeof(n), "%lld", (long long)(days < 0 ? -days : days));
  if(days == 0) {
    html_printf(&r->page, "%s", req_t(r, M_CAL_DUE_TODAY));
    return;
  }
  html_template(&r->page,
                req_t(r, days > 0 ? M_CAL_DAYS_LEFT : M_CAL_DAYS_OVERDUE), 1,
                args);
}

/* ---- the calendar ---- */

/* Does o pass the status word (NULL: all)? */
static int status_passes(const char *word, enum occ_standing s)
{
  if(!word || !*word) {
    return 1;
  }
  if(strcmp(word, "overdue") == 0) {
    return s == OCC_OVERDUE;
  }
  if(strcmp(word, "soon") == 0) {
    return s == OCC_DUE_SOON;
  }
  if(strcmp(word, "track") == 0) {
    return s == OCC_ON_TRACK;
  }
  if(strcmp(word, "open") == 0) {
    return s == OCC_ON_TRACK || s == OCC_DUE_SOON || s == OCC_OVERDUE;
  }
  if(strcmp(word, "done") == 0) {
    return s == OCC_DONE;
  }
  return s == OCC_VOID;
}

static int known_status(const char *word)
{
  size_t i;
  if(!word || !*word) {
    return 1;
  }
  for(i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++) {
    if(strcmp(status_words[i].word, word) == 0) {
      return 1;
    }
  }
  return 0;
}

static void filters(struct req *r, int year, const char *owner, int chapter,
                    const char *status, int mine, struct date day)
{
  struct html *h = &r->page;
  size_t i;
  int y;
  html_printf(h,
              "<form class=\"filters\" method=\"get\" "
              "action=\"/r/duty/calendar\" role=\"search\">\n"
              "<label>%s <select name=\"year\"><option value=\"\">%s"
              "</option>",
              req_t(r, M_CAL_YEAR), req_t(r, M_CAL_TWO_YEARS));
  for(y = day.year - 1; y <= day.year + 1; y++) {
    html_printf(h, "<option value=\"%d\"%s>", y, y == year ? " selected" : "");
    {
      char ad[16], roc[16];
      const char *args[2] = { ad, roc };
      snprintf(ad, sizeof(ad), "%d", y);
      snprintf(roc, sizeof(roc), "%d", y - 1911);
      html_template(h, req_t(r, M_CAL_YEAR_OPTION), 2, args);
    }
    html_lit(h, "</option>");
  }
  html_printf(h,
              "</select></label>\n<label>%s <select name=\"owner\">"
              "<option value=\"\">%s</option>",
              req_t(r, M_CAL_OWNER), req_t(r, M_LIST_FILTER_ALL));
  for(i = 0; i < sizeof(owner_keys) / sizeof(owner_keys[0]); i++) {
    html_printf(h, "<option value=\"%s\"%s>%s</option>", owner_keys[i],
                owner && strcmp(owner, owner_keys[i]) == 0 ? " selected" : "",
                calendar_owner_label(owner_keys[i], r->lang));
  }
  html_printf(h,
              "</select></label>\n<label>%s <select name=\"chapter\">"
              "<option value=\"\">%s</option>",
              req_t(r, M_CAL_CHAPTER), req_t(r, M_LIST_FILTER_ALL));
  for(i = 0; i < n_chapters; i++) {
    if(chapters[i].number < 4) {
      continue;
    }
    html_printf(h, "<option value=\"%d\"%s>%s</option>", chapters[i].number,
                chapters[i].number == chapter ? " selected" : "",
                req_t(r, chapters[i].title));
  }
  html_printf(h,
              "</select></label>\n<label>%s <select name=\"status\">"
              "<option value=\"\">%s</option>",
              req_t(r, M_CAL_STATUS), req_t(r, M_LIST_FILTER_ALL));
  for(i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++) {
    html_printf(
      h, "<option value=\"%s\"%s>%s</option>", status_words[i].word,
      status && strcmp(status, status_words[i].word) == 0 ? " selected" : "",
      req_t(r, status_words[i].label));
  }
  html_printf(h,
              "</select></label>\n<label><input type=\"checkbox\" "
              "name=\"mine\" value=\"1\"%s> %s</label>\n"
              "<button type=\"submit\">%s</button> "
              "<a href=\"/r/duty/calendar\">%s</a></form>\n",
              mine ? " checked" : "", req_t(r, M_CAL_MINE),
              req_t(r, M_LIST_APPLY), req_t(r, M_LIST_RESET));
}

/* The counts of each standing among v. */
static void counts(struct req *r, const size_t *count)
{
  char d[24], t[24], s[24], o[24];
  const char *args[4] = { d, t, s, o };
  snprintf(d, sizeof(d), "%zu", count[OCC_DONE]);
  snprintf(t, sizeof(t), "%zu", count[OCC_ON_TRACK]);
  snprintf(s, sizeof(s), "%zu", count[OCC_DUE_SOON]);
  snprintf(o, sizeof(o), "%zu", count[OCC_OVERDUE]);
  html_lit(&r->page, "<p class=\"count\" role=\"status\">");
  html_template(&r->page, req_t(r, M_CAL_COUNTS), 4, args);
  html_lit(&r->page, "</p>\n");
}

/* A warning when level-anchored duties cannot be scheduled. */
static void level_warning(struct req *r)
{
  struct agency_level lv;
  enum status st = agency_level_of(r->db, &r->arena, &lv);
  if(st == ST_NOTFOUND) {
    html_printf(&r->page, "<p class=\"warning\" role=\"note\">%s</p>\n",
                req_t(r, M_CAL_NO_AGENCY));
  }
  else if(!st && !lv.approved.year && !lv.changed.year) {
    html_printf(&r->page,
                "<p class=\"warning\" role=\"note\">%s "
                "<a href=\"/r/agency\">%s</a></p>\n",
                req_t(r, M_CAL_NO_LEVEL_DATE), req_t(r, M_R_AGENCY));
  }
}

static void cal_row(struct req *r, const struct occurrence *o,
                    enum occ_standing s, struct date day)
{
  struct html *h = &r->page;
  html_printf(h, "<tr class=\"%s\"><td>", standing_class[s]);
  page_date(r, iso(r, o->due));
  html_printf(h,
              "</td><td><a href=\"/r/duty/calendar/%lld\">%s</a></td>"
              "<td>%s</td><td>%s</td><td>",
              (long long)o->id, o->name,
              o->chapter >= 4 ? req_t(r, chapters[o->chapter - 2].title) : "",
              calendar_owner_label(o->owner, r->lang));
  standing_badge(r, s);
  if(s == OCC_DUE_SOON || s == OCC_OVERDUE) {
    html_lit(h, " <span class=\"days\">");
    days_text(r, o, day);
    html_lit(h, "</span>");
  }
  html_lit(h, "</td></tr>\n");
}

void cal_page(struct req *r)
{
  const char *y = req_param(r, "year"), *owner = req_param(r, "owner");
  const char *c = req_param(r, "chapter"), *status = req_param(r, "status");
  const char *m = req_param(r, "mine");
  struct date day = today();
  struct cal_filter f;
  struct occurrence *v;
  size_t n = 0, i, shown = 0, count[OCC_VOID + 1] = { 0 };
  int64_t year = 0, chapter = 0;
  int mine = m && strcmp(m, "1") == 0, month = 0;
  const char *held = mine ? my_roles(r) : "";
  struct html *h;
  if(!is_duty(r)) {
    return;
  }
  if(y && *y) {
    if(str_to_i64(str_c(y), 1, 9999, &year)) {
      req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
      return;
    }
    if(year < 1000) {
      year += 1911; /* an ROC year */
    }
  }
  if(c && *c && str_to_i64(str_c(c), 4, 17, &chapter)) {
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  if(owner && *owner && !role_find(owner)) {
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  if(!known_status(status)) {
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  memset(&f, 0, sizeof(f));
  f.from.year = year ? (int)year : day.year;
  f.from.month = 1;
  f.from.day = 1;
  f.to.year = year ? (int)year : day.year + 1;
  f.to.month = 12;
  f.to.day = 31;
  f.owner = owner && *owner ? owner : NULL;
  f.chapter = (int)chapter;
  f.late_too = !year; /* last year's open duties are still overdue */
  if(calendar_list(r->db, &f, r->lang, &r->arena, &v, &n)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  h = page_begin(r, 200, req_t(r, M_CAL_TITLE), 15);
  html_printf(h,
              "<h1>%s</h1>\n<p class=\"source\">%s</p>\n"
              "<p class=\"hint\">%s</p>\n",
              req_t(r, M_CAL_TITLE), req_t(r, M_CAL_SOURCE),
              req_t(r, M_CAL_INTRO));
  html_printf(h, "<div class=\"actions\"><a href=\"/r/duty\">%s</a> ",
              req_t(r, M_R_DUTY));
  if(r->rights & W(AREA_PLAN)) {
    html_printf(h, "<a class=\"button\" href=\"/r/duty/new\">%s</a> ",
                req_t(r, M_CAL_ADD_DUTY));
  }
  html_printf(h,
              "<button type=\"button\" class=\"print\" hidden>%s</button>"
              "</div>\n",
              req_t(r, M_PRINT));
  level_warning(r);
  filters(r, (int)year, owner, (int)chapter, status, mine, day);
  for(i = 0; i < n; i++) {
    enum occ_standing s = occ_standing(&v[i], day);
    if(!status_passes(status, s) || (mine && !has_role(held, v[i].owner))) {
      v[i].id = 0; /* not shown */
      continue;
    }
    count[s]++;
  }
  counts(r, count);
  for(i = 0; i < n; i++) {
    enum occ_standing s;
    if(!v[i].id) {
      continue;
    }
    s = occ_standing(&v[i], day);
    if(v[i].due.year * 12 + v[i].due.month != month) {
      if(month) {
        html_lit(h, "</tbody></table></div>\n");
      }
      month = v[i].due.year * 12 + v[i].due.month;
      {
        /* The year in the page language's calendar: ROC in Chinese. */
        char yr[16], mon[8];
        const char *args[2] = { yr, mon };
        snprintf(yr, sizeof(yr), "%d",
                 v[i].due.year - (r->lang == LANG_ZH ? 1911 : 0));
        snprintf(mon, sizeof(mon), r->lang == LANG_ZH ? "%d" : "%02d",
                 v[i].due.month);
        html_lit(h, "<h2 class=\"month\">");
        html_template(h, req_t(r, M_CAL_MONTH_HEAD), 2, args);
        html_lit(h, "</h2>\n");
      }
      html_printf(h,
                  "<div class=\"table-wrap\"><table class=\"list calendar\">"
                  "<thead><tr><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "</tr></thead>\n<tbody>\n",
                  req_t(r, M_CAL_DUE), req_t(r, M_CAL_DUTY),
                  req_t(r, M_CAL_CHAPTER), req_t(r, M_CAL_OWNER),
                  req_t(r, M_CAL_STATUS));
    }
    cal_row(r, &v[i], s, day);
    shown++;
  }
  if(month) {
    html_lit(h, "</tbody></table></div>\n");
  }
  if(!shown) {
    html_printf(h, "<p class=\"empty\">%s</p>\n", req_t(r, M_CAL_NONE));
  }
  page_end(r);
}

/* ---- one occurrence ---- */

/* The occurrence of the {id} path parameter, or 0 after answering. */
static int64_t occ_of(struct req *r, struct occurrence *o)
{
  const char *s = req_path_param(r, "id");
  int64_t id;
  enum status st;
  if(!is_duty(r)) {
    return 0;
  }
  if(!s || str_to_i64(str_c(s), 1, INT64_MAX, &id)) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return 0;
  }
  st = calendar_get(r->db, id, r->lang, &r->arena, o);
  if(st) {
    req_fail(r, st, st == ST_NOTFOUND ? M_ERR_NOT_FOUND : M_ERR_INTERNAL);
    return 0;
  }
  return id;
}

/* The rule set's name of a statutory occurrence. */
static const char *set_name(struct req *r, const char *id)
{
  const struct obligations *o = obligations();
  size_t i;
  for(i = 0; id && i < o->n_sets; i++) {
    if(strcmp(o->sets[i].id, id) == 0) {
      return r->lang == LANG_EN ? o->sets[i].name_en : o->sets[i].name;
    }
  }
  return NULL;
}

/* A link to record reg_name/id with its label. */
static void record_link(struct req *r, const char *reg_name, int64_t id)
{
  const struct reg *reg = reg_find(reg_name);
  const char *label = NULL;
  if(reg) {
    reg_store_label(r->db, reg, id, &r->arena, &label);
  }
  html_printf(&r->page, "<a href=\"/r/%s/%lld\">%s #%lld%s%s</a>", reg_name,
              (long long)id, reg ? req_t(r, reg->item) : reg_name,
              (long long)id, label ? " " : "", label ? label : "");
}

static void evidence_cell(struct req *r, const struct occurrence *o)
{
  struct html *h = &r->page;
  if(o->evidence) {
    struct evidence_file ev;
    if(evidence_get(r->db, o->evidence, &r->arena, &ev) == ST_OK) {
      char size[24];
      const char *args[3] = { ev.name, size, ev.sha256 };
      snprintf(size, sizeof(size), "%lld", (long long)ev.size);
      html_printf(h, "<p><a href=\"/r/duty/calendar/%lld/evidence\">",
                  (long long)o->id);
      html_template(h, req_t(r, M_CAL_FILE_OF), 3, args);
      html_lit(h, "</a></p>");
    }
    else {
      html_printf(h, "<p class=\"error\">%s</p>", req_t(r, M_EV_CORRUPT));
    }
  }
  if(o->link_reg) {
    html_lit(h, "<p>");
    record_link(r, o->link_reg, o->link_id);
    html_lit(h, "</p>");
  }
}

static void facts(struct req *r, const struct occurrence *o, struct date day)
{
  struct html *h = &r->page;
  enum occ_standing s = occ_standing(o, day);
  const char *set = set_name(r, o->rule_set);
  html_lit(h, "<dl class=\"record\">\n");
  if(o->basis) {
    html_printf(h, "<dt>%s</dt><dd>%s</dd>\n", req_t(r, M_CAL_BASIS),
                o->basis);
  }
  if(set) {
    html_printf(h, "<dt>%s</dt><dd>%s</dd>\n", req_t(r, M_CAL_RULE_SET), set);
  }
  if(o->detail) {
    html_printf(h, "<dt>%s</dt><dd>%s</dd>\n", req_t(r, M_CAL_DETAIL),
                o->detail);
  }
  if(o->hint) {
    html_printf(h, "<dt>%s</dt><dd>%s</dd>\n", req_t(r, M_F_DUTY_EVIDENCE),
                o->hint);
  }
  if(strncmp(o->duty, "agency:", 7) == 0) {
    html_printf(h, "<dt>%s</dt><dd><a href=\"/r/duty/%s\">%s</a></dd>\n",
                req_t(r, M_CAL_SOURCE_DUTY), o->duty + 7, req_t(r, M_R_DUTY));
  }
  html_printf(h, "<dt>%s</dt><dd>%s</dd>\n", req_t(r, M_CAL_CHAPTER),
              o->chapter >= 4 ? req_t(r, chapters[o->chapter - 2].title) : "");
  html_printf(h, "<dt>%s</dt><dd>%s</dd>\n<dt>%s</dt><dd>",
              req_t(r, M_CAL_OWNER), calendar_owner_label(o->owner, r->lang),
              req_t(r, M_CAL_DUE));
  page_date(r, iso(r, o->due));
  html_printf(h, "</dd>\n<dt>%s</dt><dd>", req_t(r, M_CAL_STATUS));
  standing_badge(r, s);
  if(s == OCC_ON_TRACK || s == OCC_DUE_SOON || s == OCC_OVERDUE) {
    html_lit(h, " ");
    days_text(r, o, day);
  }
  html_lit(h, "</dd>\n");
  if(s == OCC_VOID) {
    html_printf(h, "<dt>%s</dt><dd>%s</dd>\n", req_t(r, M_CAL_VOID_WHY),
                req_t(r, M_CAL_VOID_REASON));
  }
  if(s == OCC_DONE) {
    html_printf(h, "<dt>%s</dt><dd>", req_t(r, M_CAL_CLOSED_AT));
    page_time(r, o->closed_at);
    html_printf(h, "</dd>\n<dt>%s</dt><dd>%s</dd>\n<dt>%s</dt><dd>%s</dd>\n",
                req_t(r, M_CAL_CLOSED_BY), o->closed_by ? o->closed_by : "",
                req_t(r, M_CAL_NOTE), o->note ? o->note : "");
    html_printf(h, "<dt>%s</dt><dd>", req_t(r, M_CAL_EVIDENCE));
    evidence_cell(r, o);
    html_lit(h, "</dd>\n");
  }
  html_lit(h, "</dl>\n");
}

static enum msg event_label(const char *kind)
{
  if(strcmp(kind, "closed") == 0) {
    return M_CAL_EV_CLOSED;
  }
  if(strcmp(kind, "reopened") == 0) {
    return M_CAL_EV_REOPENED;
  }
  if(strcmp(kind, "void") == 0) {
    return M_CAL_EV_VOID;
  }
  return M_CAL_EV_RESTORED;
}

static void history(struct req *r, int64_t id)
{
  struct html *h = &r->page;
  struct occ_event *v;
  size_t n = 0, i;
  if(cal_store_events(r->db, id, &r->arena, &v, &n) || !n) {
    return;
  }
  html_printf(h,
              "<h2>%s</h2>\n<div class=\"table-wrap\"><table class=\"list\">"
              "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
              "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>"
              "\n<tbody>\n",
              req_t(r, M_CAL_HISTORY), req_t(r, M_CAL_WHEN),
              req_t(r, M_CAL_WHAT), req_t(r, M_CAL_WHO), req_t(r, M_CAL_NOTE));
  for(i = 0; i < n; i++) {
    html_lit(h, "<tr><td>");
    page_time(r, v[i].at);
    html_printf(
      h, "</td><td>%s</td><td>%s</td><td>%s", req_t(r, event_label(v[i].kind)),
      strcmp(v[i].by, "scheduler") == 0 ? req_t(r, M_CAL_SYSTEM) : v[i].by,
      v[i].note ? v[i].note : "");
    if(v[i].link_reg) {
      html_lit(h, " ");
      record_link(r, v[i].link_reg, v[i].link_id);
    }
    if(v[i].evidence) {
      html_printf(h, " <span class=\"tag\">%s #%lld</span>",
                  req_t(r, M_CAL_FILE), (long long)v[i].evidence);
    }
    html_lit(h, "</td></tr>\n");
  }
  html_lit(h, "</tbody></table></div>\n");
}

/* What a close that was refused or is awaiting its masking
 * confirmation posted: the form shows it again. */
struct close_input {
  const char *note;            /* as typed, or NULL */
  const char *link;            /* as typed, or NULL */
  const char *pick;            /* the suggested record chosen, or NULL */
  int had_file;                /* a file came with it (not kept) */
  const struct reg_masked *mk; /* the note's masking, or NULL */
};

/* What a reopening that was refused or is awaiting its masking
 * confirmation posted: the form shows it again. */
struct reopen_input {
  const char *reason;          /* as typed */
  const struct reg_masked *mk; /* its masking, or NULL */
};

/* The suggested records of the duty's register, as radio buttons; the
 * one named by pick ("reg:id") checked. */
static void picks(struct req *r, const struct occurrence *o, const char *pick)
{
  const struct reg *reg = o->records ? reg_find(o->records) : NULL;
  struct list_query q;
  struct record_page pg;
  size_t i;
  struct html *h = &r->page;
  if(!reg || !(r->rights & R(reg->area))) {
    return;
  }
  memset(&q, 0, sizeof(q));
  q.page = 1;
  q.per_page = PICK_MAX;
  q.desc = 1; /* the newest first */
  if(reg_store_list(r->db, reg, &q, &r->arena, &pg) || !pg.n) {
    return;
  }
  html_printf(h, "<fieldset class=\"picks\"><legend>%s</legend>",
              req_t(r, M_CAL_PICK));
  for(i = 0; i < pg.n; i++) {
    const char *label = reg_val(reg, &pg.rows[i], reg->label_field);
    const char *value =
      arena_printf(&r->arena, "%s:%lld", reg->name, (long long)pg.rows[i].id);
    html_printf(h,
                "<label><input type=\"radio\" name=\"pick\" "
                "value=\"%s\"%s> %s #%lld %s</label><br>",
                value ? value : "",
                pick && value && !strcmp(pick, value) ? " checked" : "",
                req_t(r, reg->item), (long long)pg.rows[i].id,
                label ? label : "");
  }
  html_lit(h, "</fieldset>\n");
}

/* The closing form, empty or (in) with what was posted, the errors of
 * r and the note's masking preview. */
static void close_form(struct req *r, const struct occurrence *o,
                       const struct close_input *in)
{
  struct html *h = &r->page;
  int pending = in && in->mk && in->mk->n;
  html_printf(h,
              "<section class=\"close\" aria-labelledby=\"close-h\">"
              "<h2 id=\"close-h\">%s</h2>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_CAL_CLOSE), req_t(r, M_CAL_CLOSE_INTRO));
  page_error_summary(r, NULL);
  reg_mask_note(r, in ? in->mk : NULL);
  html_printf(h,
              "<form method=\"post\" enctype=\"multipart/form-data\" "
              "action=\"/r/duty/calendar/%lld/close\">",
              (long long)o->id);
  page_csrf(r);
  html_printf(h,
              "<p><label for=\"cal-note\">%s</label><br>"
              "<textarea id=\"cal-note\" name=\"note\" rows=\"4\" "
              "maxlength=\"2000\" required>%s</textarea></p>\n",
              req_t(r, M_CAL_NOTE), in && in->note ? in->note : "");
  if(pending) {
    reg_mask_panel(r, "note", req_t(r, M_CAL_NOTE), in->mk);
  }
  html_printf(h,
              "<p><label for=\"cal-file\">%s</label><br>"
              "<input type=\"file\" id=\"cal-file\" name=\"file\"></p>\n",
              req_t(r, M_CAL_FILE));
  if(in && in->had_file) {
    /* A browser never fills a file input again. */
    html_printf(h, "<p class=\"hint\">%s</p>\n", req_t(r, M_MASK_REFILE));
  }
  html_printf(h,
              "<p><label for=\"cal-link\">%s</label><br>"
              "<input type=\"text\" id=\"cal-link\" name=\"link\" "
              "maxlength=\"400\" aria-describedby=\"cal-link-h\" "
              "value=\"%s\"> <span class=\"hint\" id=\"cal-link-h\">%s"
              "</span></p>\n",
              req_t(r, M_CAL_LINK), in && in->link ? in->link : "",
              req_t(r, M_H_CAL_LINK));
  picks(r, o, in ? in->pick : NULL);
  html_lit(h, "<p>");
  reg_mask_buttons(r, pending, M_CAL_CLOSE, NULL);
  html_lit(h, "</p></form></section>\n");
}

/* The reopening form, empty or (in) with what was posted, the errors of
 * r and the reason's masking preview. */
static void reopen_form(struct req *r, const struct occurrence *o,
                        const struct reopen_input *in)
{
  struct html *h = &r->page;
  int pending = in && in->mk && in->mk->n;
  html_printf(h,
              "<section class=\"reopen\" aria-labelledby=\"reopen-h\">"
              "<h2 id=\"reopen-h\">%s</h2>\n<p class=\"hint\">%s</p>\n",
              req_t(r, M_CAL_REOPEN), req_t(r, M_CAL_REOPEN_HINT));
  if(in) {
    page_error_summary(r, NULL);
  }
  reg_mask_note(r, in ? in->mk : NULL);
  html_printf(h,
              "<form method=\"post\" action=\"/r/duty/calendar/%lld/reopen\" "
              "data-confirm=\"%s\">",
              (long long)o->id, req_t(r, M_CAL_REOPEN_CONFIRM));
  page_csrf(r);
  html_printf(h,
              "<p><label for=\"cal-reason\">%s</label><br>"
              "<textarea id=\"cal-reason\" name=\"reason\" rows=\"2\" "
              "maxlength=\"2000\" required>%s</textarea></p>\n",
              req_t(r, M_CAL_REOPEN_REASON),
              in && in->reason ? in->reason : "");
  if(pending) {
    reg_mask_panel(r, "reason", req_t(r, M_CAL_REOPEN_REASON), in->mk);
  }
  html_lit(h, "<p>");
  reg_mask_buttons(r, pending, M_CAL_REOPEN, "danger");
  html_lit(h, "</p></form></section>\n");
}

/* The occurrence's page with status; in: what a close posted, ri: what
 * a reopening posted, each shown again in its form (or NULL). */
static void occ_page(struct req *r, const struct occurrence *op, int status,
                     const struct close_input *in,
                     const struct reopen_input *ri)
{
  struct occurrence o = *op;
  struct date day = today();
  struct html *h;
  h = page_begin(r, status, o.name, o.chapter);
  html_printf(h,
              "<p class=\"crumbs\"><a href=\"/r/duty/calendar\">%s</a></p>\n"
              "<h1>%s</h1>\n",
              req_t(r, M_CAL_TITLE), o.name);
  html_printf(h,
              "<div class=\"actions\"><button type=\"button\" class=\"print\" "
              "hidden>%s</button></div>\n",
              req_t(r, M_PRINT));
  facts(r, &o, day);
  if(strcmp(o.status, "open") == 0) {
    if(may_close(r, &o)) {
      close_form(r, &o, in);
    }
    else {
      html_printf(h, "<p class=\"hint\">%s</p>\n", req_t(r, M_CAL_NOT_OWNER));
    }
  }
  else if(strcmp(o.status, "done") == 0 && may_manage(r)) {
    reopen_form(r, &o, ri);
  }
  history(r, o.id);
  page_end(r);
}

void cal_occ_page(struct req *r)
{
  struct occurrence o;
  if(occ_of(r, &o)) {
    occ_page(r, &o, 200, NULL, NULL);
  }
}

/* Parse an evidence link: "/r/drill/3", "http://host/r/drill/3",
 * "drill:3"; 0 when it is none of those. */
static int parse_link(struct req *r, const char *s, const char **reg_name,
                      int64_t *id)
{
  const char *p = s, *slash;
  char *name;
  if(strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0) {
    p = strchr(p + (p[4] == 's' ? 8 : 7), '/');
    if(!p) {
      return 0;
    }
  }
  if(strncmp(p, "/r/", 3) == 0) {
    p += 3;
    slash = strchr(p, '/');
  }
  else {
    slash = strchr(p, ':');
  }
  if(!slash || slash == p || slash - p > 40) {
    return 0;
  }
  name = arena_strndup(&r->arena, p, (size_t)(slash - p));
  if(!name) {
    return 0;
  }
  p = slash + 1;
  {
    size_t len = strcspn(p, "?#/");
    if(p[len] == '/' && p[len + 1]) {
      return 0; /* a page below the record, not the record */
    }
    struct str digits;
    digits.p = p;
    digits.len = len;
    if(str_to_i64(digits, 1, INT64_MAX, id)) {
      return 0;
    }
  }
  *reg_name = name;
  return 1;
}

void cal_close_post(struct req *r)
{
  struct occurrence o;
  const char *note = req_param(r, "note"), *link = req_param(r, "link");
  const char *pick = req_param(r, "pick"), *link_reg = NULL, *mime = NULL;
  const char *file_name = NULL;
  const char *at = time_utc_in(&r->arena, time_now());
  const struct upload *up = req_upload(r, "file");
  int64_t id = occ_of(r, &o), link_id = 0, file = 0;
  struct close_input in;
  struct reg_masked mk;
  int status = 400, pending;
  enum status st;
  if(!id) {
    return;
  }
  if(!may_close(r, &o)) {
    req_fail(r, ST_FORBIDDEN, M_CAL_NOT_OWNER);
    return;
  }
  if(strcmp(o.status, "open") != 0) {
    req_fail(r, ST_CONFLICT, M_CAL_NOT_OPEN);
    return;
  }
  if(up && !up->data.len) {
    up = NULL;
  }
  /* A refused close shows the form again with what was typed. */
  memset(&in, 0, sizeof(in));
  in.note = note;
  in.link = link;
  in.pick = pick;
  in.had_file = up != NULL;
  /* Personal data in the note is stored masked, once the closer has
   * seen the preview and confirmed it. */
  st = reg_mask_req_text(r, "note", note, &mk);
  if(st) {
    req_field_error(r, "", st == ST_TOOBIG ? M_ERR_TOO_BIG : M_MASK_KEY_FAILED,
                    NULL);
    occ_page(r, &o, st == ST_TOOBIG ? 413 : 500, &in, NULL);
    return;
  }
  in.mk = &mk;
  pending = reg_mask_pending(r, &mk);
  if(!note || str_blank(str_c(note))) {
    req_field_error(r, "note", M_CAL_NEED_NOTE, NULL);
  }
  else if(str_blank(str_c(mk.text))) {
    req_field_error(r, "note", M_MASK_NOTHING_LEFT, NULL);
  }
  if(link && !*link) {
    link = NULL;
  }
  if(!link && pick && *pick) {
    link = pick;
  }
  if(link) {
    const struct reg *reg = NULL;
    if(!parse_link(r, link, &link_reg, &link_id)) {
      req_field_error(r, "link", M_CAL_BAD_LINK, NULL);
    }
    else {
      reg = reg_find(link_reg);
      if(!reg || !(r->rights & R(reg->area)) ||
         reg_store_exists(r->db, reg, link_id)) {
        req_field_error(r, "link", M_CAL_LINK_MISSING, NULL);
      }
      else {
        link_reg = reg->name;
      }
    }
  }
  if(!up && !link) {
    req_field_error(r, "file", M_CAL_NEED_EVIDENCE, NULL);
  }
  if(up) {
    enum msg why = M_NONE;
    st = evidence_check(up->filename, up->data.p, up->data.len, &mime, &why);
    if(st) {
      req_field_error(r, "file", why, NULL);
      status = status_http(st);
    }
  }
  if(r->n_errs || pending) {
    occ_page(r, &o, r->n_errs ? status : 200, &in, NULL);
    return;
  }
  /* The file's name as sent is metadata: personal data in it
   * (王小明_A123456789.pdf) is replaced by its token without a preview,
   * its extension kept (reg_mask_file_name()); its bytes, and so its
   * SHA-256, are the file's. */
  if(up) {
    st = reg_mask_upload_name(r->db, up->filename, &r->arena, &file_name);
    if(st) {
      req_field_error(r, "", st == ST_TOOBIG ? M_ERR_TOO_BIG : M_ERR_INTERNAL,
                      NULL);
      occ_page(r, &o, st == ST_TOOBIG ? 413 : 500, &in, NULL);
      return;
    }
  }
  note = mk.text; /* only the masked note is ever stored */
  if(!at || db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = ST_OK;
  if(up) {
    char hex[65];
    st = evidence_add(r->db, file_name, mime, up->data.p, up->data.len,
                      r->login, &file, hex);
  }
  if(!st) {
    st =
      calendar_close(r->db, &o, note, file, link_reg, link_id, r->login, at);
  }
  if(!st) {
    st = audit_append(
      r->db, r->login, "duty-closed",
      arena_printf(&r->arena, "occurrence/%lld", (long long)id), o.duty);
  }
  if(st || db_commit(r->db)) {
    db_rollback(r->db);
    req_fail(r, st == ST_CONFLICT ? ST_CONFLICT : ST_DB,
             st == ST_CONFLICT ? M_CAL_NOT_OPEN : M_ERR_INTERNAL);
    return;
  }
  req_redirect(
    r, arena_printf(&r->arena, "/r/duty/calendar/%lld", (long long)id));
}

void cal_reopen_post(struct req *r)
{
  struct occurrence o;
  const char *reason = req_param(r, "reason");
  const char *at = time_utc_in(&r->arena, time_now());
  int64_t id = occ_of(r, &o);
  struct reopen_input in;
  struct reg_masked mk;
  struct occ_event e;
  enum status st;
  if(!id) {
    return;
  }
  if(!may_manage(r)) {
    req_fail(r, ST_FORBIDDEN, M_CAL_NOT_MANAGER);
    return;
  }
  if(!reason || str_blank(str_c(reason))) {
    req_field_error(r, "reason", M_CAL_NEED_REASON, NULL);
    req_fail(r, ST_INVALID, M_CAL_NEED_REASON);
    return;
  }
  if(strcmp(o.status, "done") != 0) {
    req_fail(r, ST_CONFLICT, M_CAL_NOT_DONE);
    return;
  }
  /* Personal data in the reason is stored masked (in the history and the
   * audit trail), once the manager has seen the preview and confirmed
   * it; the form comes back with what was typed until then. */
  memset(&in, 0, sizeof(in));
  in.reason = reason;
  st = reg_mask_req_text(r, "reason", reason, &mk);
  if(st) {
    req_field_error(r, "", st == ST_TOOBIG ? M_ERR_TOO_BIG : M_MASK_KEY_FAILED,
                    NULL);
    occ_page(r, &o, st == ST_TOOBIG ? 413 : 500, NULL, &in);
    return;
  }
  in.mk = &mk;
  if(str_blank(str_c(mk.text))) {
    req_field_error(r, "reason", M_MASK_NOTHING_LEFT, NULL);
  }
  if(r->n_errs || reg_mask_pending(r, &mk)) {
    occ_page(r, &o, r->n_errs ? 400 : 200, NULL, &in);
    return;
  }
  reason = mk.text; /* only the masked reason is ever stored */
  if(!at || db_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  st = cal_store_reopen(r->db, id);
  if(!st) {
    memset(&e, 0, sizeof(e));
    e.occurrence = id;
    e.kind = "reopened";
    e.note = reason;
    e.by = r->login;
    e.at = at;
    st = cal_store_event(r->db, &e);
  }
  if(!st) {
    st = audit_append(
      r->db, r->login, "duty-reopened",
      arena_printf(&r->arena, "occurrence/%lld", (long long)id), reason);
  }
  if(st || db_commit(r->db)) {
    db_rollback(r->db);
    req_fail(r, st == ST_CONFLICT ? ST_CONFLICT : ST_DB,
             st == ST_CONFLICT ? M_CAL_NOT_DONE : M_ERR_INTERNAL);
    return;
  }
  req_redirect(
    r, arena_printf(&r->arena, "/r/duty/calendar/%lld", (long long)id));
}

/* ".pdf" for "掃描報告.PDF": the name's extension in lower case when it
 * is one of a fixed list of kinds; "" otherwise (the name is never
 * trusted, so nothing of it but a listed extension reaches the header). */
static const char *extension_of(const char *name)
{
  static const char *const known[] = {
    ".pdf", ".png",  ".jpg",  ".jpeg", ".gif", ".txt", ".log",
    ".csv", ".json", ".xml",  ".eml",  ".zip", ".odt", ".ods",
    ".odp", ".docx", ".xlsx", ".pptx", ".doc", ".xls", ".pcap",
  };
  const char *dot = name ? strrchr(name, '.') : NULL;
  size_t i, j, len;
  if(!dot) {
    return "";
  }
  len = strlen(dot);
  for(i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
    if(strlen(known[i]) != len) {
      continue;
    }
    for(j = 1; j < len; j++) {
      char c = dot[j];
      if((c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c) != known[i][j]) {
        break;
      }
    }
    if(j == len) {
      return known[i];
    }
  }
  return "";
}

void cal_evidence_file(struct req *r)
{
  struct occurrence o;
  struct evidence_file ev;
  enum status st;
  if(!occ_of(r, &o)) {
    return;
  }
  if(!o.evidence) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  st = evidence_get(r->db, o.evidence, &r->arena, &ev);
  if(st) {
    req_fail(r, st, st == ST_IO ? M_EV_CORRUPT : M_ERR_INTERNAL);
    return;
  }
  req_bytes(r, 200, ev.mime, ev.data, (size_t)ev.size);
  req_set_header(r, "Content-Disposition",
                 arena_printf(&r->arena,
                              "attachment; filename=\"evidence-%lld%s\"",
                              (long long)o.evidence, extension_of(ev.name)));
  req_set_header(r, "X-Evidence-SHA256", ev.sha256);
}

void cal_duty_links(struct req *r, int64_t id)
{
  (void)id;
  html_printf(&r->page, "<a href=\"/r/duty/calendar\">%s</a> ",
              req_t(r, M_CAL_TITLE));
}
