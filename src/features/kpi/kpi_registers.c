/*
 * kpi_registers.c: the declaration of the outage log (服務中斷紀錄, plan
 * 玖 and the availability goal of 肆.二.(一)1) and its cross-field rules:
 * an interruption ends after it starts, and neither end lies in the
 * future (a minute's grace for clocks that differ).  The table comes
 * from src/db/migrations/0018_kpi.sql.
 */
#include "kpi.h"
#include "auth/roles.h"
#include "core/time.h"

#include <stdio.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* How far ahead of isms's clock a typed time may be. */
#define FUTURE_GRACE 60

static const struct field_opt outage_kind_opts[] = {
  { "unplanned", M_OUT_UNPLANNED },
  { "planned", M_OUT_PLANNED },
  { NULL, M_NONE },
};

static const struct field outage_fields[] = {
  { "system", FT_REF, M_F_OUT_SYSTEM, M_NONE,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, NULL, "system" },
  { "kind", FT_ENUM, M_F_OUT_KIND, M_H_OUT_KIND,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, outage_kind_opts, NULL },
  { "started", FT_DATETIME, M_F_OUT_STARTED, M_DATETIME_HINT,
    FF_REQUIRED | FF_LIST | FF_SORT, 0, 0, NULL, NULL },
  { "ended", FT_DATETIME, M_F_OUT_ENDED, M_H_OUT_ENDED, FF_LIST, 0, 0, NULL,
    NULL },
  { "cause", FT_TEXT, M_F_OUT_CAUSE, M_H_OUT_CAUSE,
    FF_REQUIRED | FF_LIST | FF_SEARCH, 0, 200, NULL, NULL },
  { "incident", FT_REF, M_F_OUT_INCIDENT, M_H_OUT_INCIDENT, FF_FILTER, 0, 0,
    NULL, "incident" },
  { "note", FT_LONGTEXT, M_F_OUT_NOTE, M_NONE, FF_SEARCH, 0, 4000, NULL,
    NULL },
};

/* The instant of a normalised FT_DATETIME value, or 0. */
static int64_t instant(const char *v)
{
  int64_t t = 0;
  if(!v || time_parse_utc(str_c(v), &t)) {
    return 0;
  }
  return t;
}

/* Ended after started; neither in the future. */
static void outage_check(const struct reg *reg, struct db *db, const char **v,
                         struct reg_errors *errs)
{
  int64_t started = instant(*reg_slot(reg, v, "started"));
  int64_t ended = instant(*reg_slot(reg, v, "ended"));
  int64_t limit = time_now() + FUTURE_GRACE;
  (void)db;
  if(started > limit) {
    reg_error(errs, "started", M_ERR_OUT_FUTURE);
  }
  if(ended > limit) {
    reg_error(errs, "ended", M_ERR_OUT_FUTURE);
  }
  else if(ended && started && ended <= started) {
    reg_error(errs, "ended", M_ERR_OUT_ORDER);
  }
}

/* The KPI page, from the outage list and a record. */
static void outage_links(struct req *r, int64_t id)
{
  (void)id;
  if(r->rights & R(AREA_PLAN)) {
    html_printf(&r->page, "<a href=\"/r/goal_metric/kpi\">%s</a> ",
                req_t(r, M_KPI_TITLE));
  }
}

/* How long the interruption lasted, or lasts so far. */
static void outage_detail(struct req *r, const struct record *rec)
{
  int64_t started = instant(reg_val(&reg_outage, rec, "started"));
  int64_t ended = instant(reg_val(&reg_outage, rec, "ended"));
  int64_t secs;
  char hours[24], minutes[8];
  const char *args[2] = { hours, minutes };
  if(!started) {
    return;
  }
  secs = (ended ? ended : time_now()) - started;
  if(secs < 0) {
    secs = 0;
  }
  snprintf(hours, sizeof(hours), "%lld", (long long)(secs / 3600));
  snprintf(minutes, sizeof(minutes), "%lld", (long long)(secs % 3600 / 60));
  html_printf(&r->page, "<dt>%s</dt><dd class=\"out-duration\">",
              req_t(r, M_OUT_DURATION));
  html_template(&r->page, req_t(r, M_KPI_HOURS_MINUTES), 2, args);
  html_printf(&r->page, "%s</dd>\n", ended ? "" : req_t(r, M_OUT_ONGOING));
}

const struct reg reg_outage = {
  "outage",      M_R_OUTAGE,       M_I_OUTAGE,   M_S_OUTAGE,    9,
  outage_fields, N(outage_fields), "cause",      "started",     outage_check,
  NULL,          AREA_ASSET,       outage_links, outage_detail, NULL,
};
