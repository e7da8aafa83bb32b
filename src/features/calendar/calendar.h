/*
 * calendar.h: the compliance calendar (plan 肆, 玖.五–八, 壹拾伍; the
 * 應辦事項 of 資通安全責任等級分級辦法).  Occurrences of every duty that
 * applies to the agency, from the shipped catalog (rules/obligations.h)
 * at the agency's level and the agency's own duty register, each with an
 * owner group (a role), a due date and a status; an occurrence closes
 * only with evidence (an uploaded file kept by features/evidence, or a
 * link to a record in isms) and a closing note.  Depends on registers,
 * auth, rules, evidence and ui.
 */
#ifndef ISMS_FEATURES_CALENDAR_CALENDAR_H
#define ISMS_FEATURES_CALENDAR_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"
#include "core/status.h"
#include "core/time.h"
#include "http/route.h"
#include "registers/register.h"

struct db;
struct arena;

extern const struct reg reg_duty;

/* Where an occurrence stands on a day. */
enum occ_standing {
  OCC_DONE = 0, /* 已完成: closed with evidence */
  OCC_ON_TRACK, /* 進行中: open, due more than CAL_SOON_DAYS ahead */
  OCC_DUE_SOON, /* 即將到期: open, due within CAL_SOON_DAYS */
  OCC_OVERDUE,  /* 逾期: open, due date passed */
  OCC_VOID,     /* 不再適用 */
};

/* "Due soon" means due within this many days (the dashboard's window). */
#define CAL_SOON_DAYS 30

/* One occurrence, with what the catalog or the duty register says of its
 * duty.  Strings are in the caller's arena. */
struct occurrence {
  int64_t id;
  const char *duty;     /* catalog id, or "agency:<id>" */
  const char *rule_set; /* "110" / "115", or NULL */
  const char *name;     /* the duty's name in the language asked for */
  const char *basis;    /* its article or plan section, or NULL */
  const char *detail;   /* what the level's rule asks, or NULL */
  const char *hint;     /* what evidence fits (agency duties), or NULL */
  const char *records;  /* the register whose records usually prove it
                           (catalog duties), or NULL */
  int chapter;          /* plan chapter 4..17 */
  const char *owner;    /* role key */
  struct date due;      /* Asia/Taipei */
  const char *status;   /* "open", "done", "void" */
  const char *closed_at, *closed_by, *note; /* when done */
  int64_t evidence;                         /* evidence_file id, or 0 */
  const char *link_reg; /* linked record's register, or NULL */
  int64_t link_id;      /* and id, or 0 */
  const char *void_reason;
};

/* The standing of o on day today. */
enum occ_standing occ_standing(const struct occurrence *o, struct date today);

/* Whole days from today to o's due date (negative once overdue). */
int64_t occ_days(const struct occurrence *o, struct date today);

/* Close open occurrence o->id with note and evidence (a file id, or a
 * register and record id) and record the event, in the caller's
 * transaction; ST_CONFLICT when it is not open. */
enum status calendar_close(struct db *db, const struct occurrence *o,
                           const char *note, int64_t file,
                           const char *link_reg, int64_t link_id,
                           const char *by, const char *at);

/* What calendar_generate() did. */
struct cal_gen {
  size_t added;    /* new occurrences */
  size_t voided;   /* open ones that no longer apply */
  size_t restored; /* void ones that apply again */
};

/*
 * Bring the stored occurrences in line with the duties that apply at the
 * agency's level from 1 January of today's year (Asia/Taipei, from now)
 * to 31 December of the next year: add the missing ones, void open ones
 * in that window that no longer apply, restore void ones that apply
 * again.  Idempotent; runs in its own transaction (the caller must not
 * hold one).  No agency record, or no level date for level-anchored
 * duties, simply gives fewer occurrences.
 */
enum status calendar_generate(struct db *db, int64_t now, const char *actor,
                              struct cal_gen *out);

/* Which occurrences calendar_list() gives.  Zero fields do not filter. */
struct cal_filter {
  struct date from, to; /* due dates, both included (year 0: open) */
  const char *status;   /* "open", "done", "void", or NULL for all */
  const char *owner;    /* role key, or NULL */
  int chapter;          /* 4..17, or 0 */
  size_t limit;         /* at most this many, 0 for no limit */
  int late_too;         /* also the open ones due before from (still
                           overdue from an earlier year) */
};

/* The occurrences that pass f, by due date then duty, names in lang. */
enum status calendar_list(struct db *db, const struct cal_filter *f,
                          enum lang lang, struct arena *a,
                          struct occurrence **out, size_t *n);

/* One occurrence; ST_NOTFOUND when there is none. */
enum status calendar_get(struct db *db, int64_t id, enum lang lang,
                         struct arena *a, struct occurrence *out);

/* The zh-TW or English label of a role key (the owner group). */
const char *calendar_owner_label(const char *owner, enum lang lang);

/* The demo's calendar (data/demo "calendar_history"): generate, then
 * close what was due more than its days ago with evidence, except the
 * duties it keeps open. */
struct buf;
enum status calendar_load_demo(struct db *db, const char *json, size_t len,
                               const char *actor, struct buf *why);

/* Routes (calendar_routes.def). */
route_fn cal_page;
route_fn cal_occ_page;
route_fn cal_close_post;
route_fn cal_reopen_post;
route_fn cal_evidence_file;
void cal_duty_links(struct req *r, int64_t id);
extern const struct param_spec cal_params[];
extern const struct param_spec cal_close_params[];
extern const struct param_spec cal_reopen_params[];

#endif
