/*
 * incidents.h: plan 壹拾 (通報應變): the incident register, the level
 * assessment from the facts under the rule set in force at awareness
 * (src/rules/incident.h), the CISO's decision on a different level, the
 * legal clocks, the workflow steps (notified → recovered → report →
 * closed), the timeline, the notification text and the report anyone
 * may file.  Depends on registers, auth, rules and ui.
 */
#ifndef ISMS_FEATURES_INCIDENTS_INCIDENTS_H
#define ISMS_FEATURES_INCIDENTS_INCIDENTS_H

#include <stdint.h>

#include "http/route.h"
#include "registers/register.h"
#include "rules/incident.h"

struct db;
struct arena;

extern const struct reg reg_incident;

/* Where an incident stands, computed from its records. */
enum ir_status {
  IR_REPORTED = 0, /* 已通報（內部）: recorded, not yet notified */
  IR_NOTIFIED,     /* 已通報主管機關 */
  IR_RECOVERED,    /* 已完成損害控制或復原 */
  IR_REPORTED_DOC, /* 已提出調查、處理及改善報告 */
  IR_CLOSED,       /* 已結案 */
};

/* One legal clock of an incident. */
struct ir_clock {
  int applies;  /* 0: not running yet (e.g. the report before recovery) */
  int64_t due;  /* UTC */
  int64_t done; /* when the step was recorded as done (UTC), or 0 */
  int met;      /* done on or before due */
};

/* Everything the pages show about an incident's standing. */
struct ir_state {
  const struct incident_rules *rules; /* in force at awareness (or NULL
                                         before the first set) */
  int64_t aware;                      /* UTC */
  enum ir_status status;
  int assessed;            /* an assessment exists */
  int computed;            /* level from the facts, 0 if none */
  const char *row_id;      /* the deciding row */
  int proposed;            /* the assessor's different level, or 0 */
  int decided;             /* the CISO's level for the latest assessment,
                               or 0 */
  int pending;             /* proposed and not yet decided */
  int level;               /* in force: decided, else the higher of
                               computed and proposed */
  int notified_level;      /* level of the last notification, or 0 */
  int renotify;            /* notified, and the level changed since */
  struct ir_clock notify;  /* 1 h from awareness */
  struct ir_clock contain; /* 36 h or 72 h from awareness */
  struct ir_clock report;  /* 1 month from recovery */
  int review_hours;        /* the superior's window, for information */
};

/* Compute the state of incident id (aware_at is its stored value). */
enum status ir_state_of(struct db *db, int64_t id, const char *aware_at,
                        struct arena *a, struct ir_state *out);

/* The notification text of §3 (its 7 fields, one per line, always
 * zh-TW: it is filed with the authorities) for incident rec in state s,
 * the agency named from its register.  NULL when no rules apply or out
 * of memory. */
const char *ir_notification_text(struct db *db, const struct record *rec,
                                 const struct ir_state *s, struct arena *a);

/* Record the past incidents of demo data json (len bytes:
 * "incident_history", each naming its incident by title): assessment,
 * steps and timeline, after its registers were loaded. */
struct buf;
enum status incidents_load_demo(struct db *db, const char *json, size_t len,
                                const char *actor, struct buf *why);

/* The investigation, handling and improvement report of incident rec
 * (施行細則 §12: its items in the rules in force at awareness) built in
 * d; missing parts are marked, never left out. */
struct doc;
enum status ir_report_doc(struct db *db, const struct record *rec,
                          const struct ir_state *s, struct arena *a,
                          struct doc *d);

/* The facts of an assessment text "kind:impact,…" (as stored in
 * incident_assessment.facts) into f; 0 on a term the rules do not know
 * or a malformed pair. */
int ir_facts_parse(const char *text, struct incident_facts *f);

/* The status's label. */
enum msg ir_status_label(enum ir_status s);

/* The register's hooks (incidents_pages.c). */
void incident_links(struct req *r, int64_t id);
void incident_detail(struct req *r, const struct record *rec);
enum msg incident_locked(struct db *db, int64_t id);

/* On the home page: the link to report a suspected incident, and for
 * those who read incidents the open ones and how many are overdue. */
void ir_home(struct req *r);

/* The table of open incidents with their clocks (at most limit rows, 0
 * for all) written into the page: the number of open incidents, 0 when
 * there is none (nothing written), -1 on a database error. */
int ir_open_table(struct req *r, size_t limit);

/* Parameter allow-lists. */
extern const struct param_spec ir_assess_params[];
extern const struct param_spec ir_decide_params[];
extern const struct param_spec ir_step_params[];
extern const struct param_spec ir_event_params[];
extern const struct param_spec ir_report_params[];
extern const struct param_spec ir_report_get_params[];
extern const struct param_spec ir_evidence_params[];

route_fn ir_assess_page, ir_assess_post, ir_decide_post, ir_step_post,
  ir_event_post, ir_open_page, ir_notification_page, ir_report_form,
  ir_report_post, ir_report_odt, ir_report_pdf, ir_evidence_file;

#endif
