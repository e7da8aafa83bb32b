/*
 * incident_state.c: where an incident stands, computed from its records:
 * the level in force (the CISO's decision, else the higher of the
 * computed and the proposed level), the workflow status from the steps,
 * and the three legal clocks with whether each was met.
 */
#include "incidents.h"
#include "incident_store.h"
#include "core/str.h"
#include "core/time.h"

#include <string.h>

enum msg ir_status_label(enum ir_status s)
{
  static const enum msg labels[] = { M_IR_ST_REPORTED, M_IR_ST_NOTIFIED,
                                     M_IR_ST_RECOVERED, M_IR_ST_REPORT,
                                     M_IR_ST_CLOSED };
  return labels[s <= IR_CLOSED ? s : 0];
}

/* The UTC instant of storage text s, or 0. */
static int64_t instant(const char *s)
{
  int64_t t = 0;
  if(!s || time_parse_utc(str_c(s), &t)) {
    return 0;
  }
  return t;
}

static void clock_set(struct ir_clock *c, int64_t due, int64_t done)
{
  c->applies = 1;
  c->due = due;
  c->done = done;
  c->met = done && done <= due;
}

enum status ir_state_of(struct db *db, int64_t id, const char *aware_at,
                        struct arena *a, struct ir_state *out)
{
  struct ir_assessment x;
  struct ir_decision d;
  struct ir_step *steps;
  size_t n = 0, i;
  int64_t notified = 0, recovered = 0, reported = 0;
  enum status st;

  memset(out, 0, sizeof(*out));
  out->aware = instant(aware_at);
  if(!out->aware) {
    return ST_INVALID;
  }
  out->rules = incident_rules_at(out->aware);
  st = ir_store_assessment(db, id, a, &x);
  if(st && st != ST_NOTFOUND) {
    return st;
  }
  if(!st) {
    out->assessed = 1;
    out->computed = x.level;
    out->row_id = x.row_id;
    out->proposed = x.proposed;
    st = ir_store_decision(db, id, a, &d);
    if(st && st != ST_NOTFOUND) {
      return st;
    }
    if(!st && d.assessment == x.id) {
      out->decided = d.level;
    }
  }
  out->pending =
    out->proposed && out->proposed != out->computed && !out->decided;
  out->level = out->decided                  ? out->decided :
               out->proposed > out->computed ? out->proposed :
                                               out->computed;
  st = ir_store_steps(db, id, a, &steps, &n);
  if(st) {
    return st;
  }
  for(i = 0; i < n; i++) {
    const char *s = steps[i].step;
    int64_t at = instant(steps[i].at);
    if(!strcmp(s, "notified")) {
      notified = notified ? notified : at;
      out->notified_level = steps[i].level;
      if(out->status < IR_NOTIFIED) {
        out->status = IR_NOTIFIED;
      }
    }
    else if(!strcmp(s, "recovered")) {
      recovered = recovered ? recovered : at;
      if(out->status < IR_RECOVERED) {
        out->status = IR_RECOVERED;
      }
    }
    else if(!strcmp(s, "report")) {
      reported = reported ? reported : at;
      if(out->status < IR_REPORTED_DOC) {
        out->status = IR_REPORTED_DOC;
      }
    }
    else if(!strcmp(s, "closed")) {
      out->status = IR_CLOSED;
    }
    else if(!strcmp(s, "reopened")) {
      out->status = reported  ? IR_REPORTED_DOC :
                    recovered ? IR_RECOVERED :
                    notified  ? IR_NOTIFIED :
                                IR_REPORTED;
    }
  }
  out->renotify =
    out->notified_level && out->level && out->level != out->notified_level;
  if(!out->rules) {
    return ST_OK;
  }
  clock_set(&out->notify,
            out->aware + (int64_t)out->rules->notify_hours * 3600, notified);
  if(out->level >= 1 && out->level <= INCIDENT_LEVEL_MAX) {
    struct incident_deadlines dl;
    if(!incident_deadlines(out->rules, out->level, out->aware, recovered,
                           &dl)) {
      clock_set(&out->contain, dl.contain_due, recovered);
      if(dl.has_report_due) {
        clock_set(&out->report, dl.report_due, reported);
      }
      out->review_hours = dl.review_hours;
    }
  }
  return ST_OK;
}

int ir_facts_parse(const char *text, struct incident_facts *f)
{
  char pair[64];
  const char *p = text;
  incident_facts_init(f);
  while(p && *p) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char *colon;
    int k, i;
    if(len >= sizeof(pair)) {
      return 0;
    }
    memcpy(pair, p, len);
    pair[len] = '\0';
    colon = strchr(pair, ':');
    if(!colon) {
      return 0;
    }
    *colon = '\0';
    k = incident_kind_parse(pair);
    i = incident_impact_parse(colon + 1);
    if(k < 0 || i < 0) {
      return 0;
    }
    incident_facts_add(f, k, i);
    p = end ? end + 1 : NULL;
  }
  return 1;
}
