/*
 * drill_registers.c: the declarations of the procedure and drill
 * registers (plan 壹拾) and their cross-field rules.  An approved
 * procedure names who approved it and when, covers every item its kind
 * must cover (資通安全事件通報應變及演練辦法 115 §4 for notification, §5
 * for response) and is the only approved version of its kind; a drill's
 * result report is due one month after it was held, computed on every
 * save (a value sent is replaced, never trusted).  The tables come from
 * src/db/migrations/0013_ir_drill.sql.
 */
#include "drill.h"
#include "drill_store.h"
#include "auth/roles.h"
#include "core/str.h"
#include "core/time.h"
#include "features/kpi/kpi.h"
#include "rules/drill.h"

#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- 壹拾.二、三: the procedures ---- */

static const struct field_opt irp_kind_opts[] = {
  { "notify", M_IRP_NOTIFY },
  { "response", M_IRP_RESPONSE },
  { "other", M_IRP_OTHER },
  { NULL, M_NONE },
};

static const struct field_opt irp_status_opts[] = {
  { "draft", M_IRP_DRAFT },
  { "approved", M_IRP_APPROVED },
  { "withdrawn", M_IRP_WITHDRAWN },
  { NULL, M_NONE },
};

/* The items a notification procedure must cover (115 §4; 110 §9), and
 * those of a response procedure (115 §5; 110 §10), in the regulation's
 * order: the yes/no fields of the register below. */
static const char *const notify_items[] = {
  "n_level", "n_impact",  "n_internal", "n_others",
  "n_drill", "n_contact", "n_other",
};
static const char *const response_items[] = {
  "r_team", "r_drill", "r_control", "r_recovery", "r_records", "r_other",
};

static const struct field ir_procedure_fields[] = {
  { "kind", FT_ENUM, M_F_IRP_KIND, M_NONE, FF_REQUIRED | FF_LIST | FF_FILTER,
    0, 0, irp_kind_opts, NULL },
  { "title", FT_TEXT, M_F_IRP_TITLE, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, 200, NULL, NULL },
  { "doc_version", FT_TEXT, M_F_IRP_VERSION, M_H_IRP_VERSION,
    FF_REQUIRED | FF_LIST | FF_SEARCH, 0, 40, NULL, NULL },
  { "effective", FT_DATE, M_F_IRP_EFFECTIVE, M_DATE_HINT, FF_LIST | FF_SORT, 0,
    0, NULL, NULL },
  { "approver", FT_TEXT, M_F_APPROVER, M_NONE, FF_LIST | FF_SEARCH, 0, 100,
    NULL, NULL },
  { "approved_on", FT_DATE, M_F_APPROVED_ON, M_DATE_HINT, 0, 0, 0, NULL,
    NULL },
  { "doc_ref", FT_TEXT, M_F_IRP_DOC, M_NONE, FF_SEARCH, 0, 500, NULL, NULL },
  { "summary", FT_LONGTEXT, M_F_IRP_SUMMARY, M_NONE, FF_SEARCH, 0, 4000, NULL,
    NULL },
  { "n_level", FT_BOOL, M_F_IRP_N_LEVEL, M_H_IRP_N_ITEMS, 0, 0, 0, NULL,
    NULL },
  { "n_impact", FT_BOOL, M_F_IRP_N_IMPACT, M_NONE, 0, 0, 0, NULL, NULL },
  { "n_internal", FT_BOOL, M_F_IRP_N_INTERNAL, M_NONE, 0, 0, 0, NULL, NULL },
  { "n_others", FT_BOOL, M_F_IRP_N_OTHERS, M_NONE, 0, 0, 0, NULL, NULL },
  { "n_drill", FT_BOOL, M_F_IRP_N_DRILL, M_NONE, 0, 0, 0, NULL, NULL },
  { "n_contact", FT_BOOL, M_F_IRP_N_CONTACT, M_NONE, 0, 0, 0, NULL, NULL },
  { "n_other", FT_BOOL, M_F_IRP_N_OTHER, M_NONE, 0, 0, 0, NULL, NULL },
  { "r_team", FT_BOOL, M_F_IRP_R_TEAM, M_H_IRP_R_ITEMS, 0, 0, 0, NULL, NULL },
  { "r_drill", FT_BOOL, M_F_IRP_R_DRILL, M_NONE, 0, 0, 0, NULL, NULL },
  { "r_control", FT_BOOL, M_F_IRP_R_CONTROL, M_NONE, 0, 0, 0, NULL, NULL },
  { "r_recovery", FT_BOOL, M_F_IRP_R_RECOVERY, M_NONE, 0, 0, 0, NULL, NULL },
  { "r_records", FT_BOOL, M_F_IRP_R_RECORDS, M_NONE, 0, 0, 0, NULL, NULL },
  { "r_other", FT_BOOL, M_F_IRP_R_OTHER, M_NONE, 0, 0, 0, NULL, NULL },
  { "status", FT_ENUM, M_F_IRP_STATUS, M_NONE,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, irp_status_opts, NULL },
};

/* An approved notification or response procedure: approver and date,
 * every item of its kind covered (the error on status, and one on each
 * item not covered, so the form names them), and no other approved
 * version of the kind (named in the message). */
static void ir_procedure_check(const struct reg *reg, struct db *db,
                               const char **v, struct reg_errors *errs)
{
  const char *kind = *reg_slot(reg, v, "kind");
  const char *const *items = NULL;
  struct irp_approved other;
  size_t n_items = 0, i, missing = 0;
  enum status st;

  if(strcmp(*reg_slot(reg, v, "status"), "approved") != 0) {
    return;
  }
  if(!*reg_slot(reg, v, "approver")) {
    reg_error(errs, "approver", M_ERR_IRP_APPROVER);
  }
  if(!*reg_slot(reg, v, "approved_on")) {
    reg_error(errs, "approved_on", M_ERR_IRP_APPROVED_ON);
  }
  if(!strcmp(kind, "notify")) {
    items = notify_items;
    n_items = N(notify_items);
  }
  else if(!strcmp(kind, "response")) {
    items = response_items;
    n_items = N(response_items);
  }
  else {
    return; /* 其他: several other procedures may be in force */
  }
  for(i = 0; i < n_items; i++) {
    const char *b = *reg_slot(reg, v, items[i]);
    missing += !b || strcmp(b, "1") != 0;
  }
  if(missing) {
    reg_error(errs, "status",
              items == notify_items ? M_ERR_IRP_N_INCOMPLETE :
                                      M_ERR_IRP_R_INCOMPLETE);
    for(i = 0; i < n_items; i++) {
      const char *b = *reg_slot(reg, v, items[i]);
      if(!b || strcmp(b, "1") != 0) {
        reg_error(errs, items[i], M_ERR_IRP_NOT_COVERED);
      }
    }
  }
  st = drill_store_approved(db, kind, errs->record_id, errs->arena, &other);
  if(st == ST_OK) {
    const char *name = arena_printf(errs->arena, "%s %s (#%lld)", other.title,
                                    other.doc_version, (long long)other.id);
    if(!name) {
      errs->failed = 1;
      return;
    }
    reg_error_detail(errs, "status", M_ERR_IRP_ONE_APPROVED, name);
  }
  else if(st != ST_NOTFOUND) {
    reg_error(errs, "", M_ERR_INTERNAL);
  }
}

const struct reg reg_ir_procedure = {
  "ir_procedure",
  M_R_IR_PROCEDURE,
  M_I_IR_PROCEDURE,
  M_S_IR_PROCEDURE,
  10,
  ir_procedure_fields,
  N(ir_procedure_fields),
  "title",
  "effective",
  ir_procedure_check,
  NULL,
  AREA_INCIDENT,
  ir_procedure_links,
  NULL,
  NULL,
};

/* ---- 壹拾: the drills ---- */

static const struct field_opt drill_kind_opts[] = {
  { "social", M_DR_SOCIAL },
  { "notify", M_DR_NOTIFY },
  { "bcp", M_DR_BCP },
  { "attack", M_DR_ATTACK },
  { "scenario", M_DR_SCENARIO },
  { "other", M_DR_OTHER },
  { NULL, M_NONE },
};

static const struct field_opt drill_status_opts[] = {
  { "planned", M_DR_PLANNED },
  { "held", M_DR_HELD },
  { "reported", M_DR_REPORTED },
  { NULL, M_NONE },
};

static const struct field drill_fields[] = {
  { "kind", FT_ENUM, M_F_DR_KIND, M_NONE, FF_REQUIRED | FF_LIST | FF_FILTER, 0,
    0, drill_kind_opts, NULL },
  { "title", FT_TEXT, M_F_DR_TITLE, M_NONE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, 0, 200, NULL, NULL },
  { "organiser", FT_TEXT, M_F_DR_ORGANISER, M_H_DR_ORGANISER,
    FF_LIST | FF_SEARCH, 0, 100, NULL, NULL },
  { "held_on", FT_DATE, M_F_DR_HELD, M_DATE_HINT,
    FF_REQUIRED | FF_LIST | FF_SORT, 0, 0, NULL, NULL },
  { "scope", FT_LONGTEXT, M_F_DR_SCOPE, M_NONE, FF_SEARCH, 0, 4000, NULL,
    NULL },
  { "scenario", FT_LONGTEXT, M_F_DR_SCENARIO, M_NONE, FF_SEARCH, 0, 4000, NULL,
    NULL },
  { "results", FT_LONGTEXT, M_F_DR_RESULTS, M_NONE, FF_SEARCH, 0, 20000, NULL,
    NULL },
  { "findings", FT_LONGTEXT, M_F_DR_FINDINGS, M_NONE, FF_SEARCH, 0, 20000,
    NULL, NULL },
  { "evidence", FT_LONGTEXT, M_F_DR_EVIDENCE, M_H_DR_EVIDENCE, FF_SEARCH, 0,
    4000, NULL, NULL },
  { "report_due", FT_DATE, M_F_DR_DUE, M_H_DR_DUE, FF_LIST, 0, 0, NULL, NULL },
  { "report_sent", FT_DATE, M_F_DR_SENT, M_DATE_HINT, FF_LIST, 0, 0, NULL,
    NULL },
  { "status", FT_ENUM, M_F_DR_STATUS, M_NONE,
    FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, drill_status_opts, NULL },
};

enum status drill_report_due(const char *held, char out[11])
{
  struct date d, due;
  if(!held || time_parse_date(str_c(held), &d)) {
    return ST_INVALID;
  }
  due = time_month_period_end(d, 1);
  snprintf(out, 11, "%04u-%02u-%02u", (unsigned)due.year % 10000u,
           (unsigned)due.month % 100u, (unsigned)due.day % 100u);
  return ST_OK;
}

/* Dates are stored "YYYY-MM-DD", so text order is date order. */
static void date_text(struct date d, char out[11])
{
  snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.year % 10000u,
           (unsigned)d.month % 100u, (unsigned)d.day % 100u);
}

/* The report's due day is computed; the drill is at most a year ahead
 * and, unless planned, not ahead at all (Asia/Taipei today); the report
 * is sent after the drill, and a drill whose report was sent says
 * when. */
static void drill_check(const struct reg *reg, struct db *db, const char **v,
                        struct reg_errors *errs)
{
  const char *held = *reg_slot(reg, v, "held_on");
  const char *sent = *reg_slot(reg, v, "report_sent");
  const char *status = *reg_slot(reg, v, "status");
  struct date today = time_taipei_date(time_now());
  char due[11], now[11], limit[11];
  (void)db;

  if(drill_report_due(held, due)) {
    reg_error(errs, "held_on", M_ERR_DATE); /* cannot happen: checked */
    return;
  }
  *reg_slot(reg, v, "report_due") = arena_strdup(errs->arena, due);
  if(!*reg_slot(reg, v, "report_due")) {
    errs->failed = 1;
  }
  date_text(today, now);
  /* A year ahead: "months before" with a negative count. */
  date_text(drill_months_before(today, -12), limit);
  if(strcmp(held, limit) > 0) {
    reg_error(errs, "held_on", M_ERR_DR_FAR_FUTURE);
  }
  else if(strcmp(status, "planned") != 0 && strcmp(held, now) > 0) {
    reg_error(errs, "status", M_ERR_DR_NOT_YET);
  }
  if(sent && strcmp(sent, held) < 0) {
    reg_error(errs, "report_sent", M_ERR_DR_SENT_EARLY);
  }
  else if(!sent && strcmp(status, "reported") == 0) {
    reg_error(errs, "report_sent", M_ERR_DR_SENT_MISSING);
  }
}

const struct reg reg_drill = {
  "drill",      M_R_DRILL,       M_I_DRILL,   M_S_DRILL,        10,
  drill_fields, N(drill_fields), "title",     "held_on",        drill_check,
  NULL,         AREA_INCIDENT,   drill_links, kpi_drill_detail, NULL,
};
