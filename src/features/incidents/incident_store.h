/*
 * incident_store.h: the SQL of plan 壹拾 beyond the incident register:
 * assessments of the facts, the CISO's level decisions, the workflow
 * steps and the timeline (all append-only; src/db/migrations/
 * 0011_incident.sql).
 */
#ifndef ISMS_FEATURES_INCIDENTS_INCIDENT_STORE_H
#define ISMS_FEATURES_INCIDENTS_INCIDENT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct db;
struct arena;

/* At most this many steps and timeline entries are read per incident,
 * and open incidents per list. */
#define IR_STEPS_MAX  200
#define IR_EVENTS_MAX 2000
#define IR_OPEN_MAX   1000

/* One assessment of the facts. */
struct ir_assessment {
  int64_t id;           /* row id (0 before it is stored) */
  int64_t incident;     /* the incident */
  const char *rule_set; /* "110", "115" */
  const char *facts;    /* "kind:impact,…" (may be "") */
  int daily_work;       /* 影響機關日常作業 */
  int level;            /* computed, 0 when no row matched */
  const char *row_id;   /* the deciding row, or NULL */
  int proposed;         /* a different level proposed, or 0 */
  const char *reason;   /* why (with proposed), or NULL */
  const char *by;       /* login */
  const char *at;       /* UTC */
};

/* The CISO's decision on the level of one assessment. */
struct ir_decision {
  int64_t id, incident, assessment;
  int level;
  const char *reason, *by, *at;
};

/* One step of the workflow. */
struct ir_step {
  int64_t id, incident;
  const char *step; /* "notified", "recovered", "report", "closed",
                       "reopened" */
  const char *at;   /* when it happened, UTC */
  int level;        /* the level notified, or 0 */
  const char *channel, *reference, *note; /* or NULL */
  const char *by, *recorded_at;
};

/* One timeline entry. */
struct ir_event {
  int64_t id, incident;
  const char *kind; /* "detection" … (the table's CHECK) */
  const char *at;   /* when it happened, UTC */
  const char *text;
  const char *sha256; /* hex, or NULL */
  int64_t file;       /* the evidence file (evidence.h), or 0 */
  const char *by, *recorded_at;
};

/* Append; the caller holds the transaction.  *id gets the row id. */
enum status ir_store_assess(struct db *db, const struct ir_assessment *x,
                            int64_t *id);
enum status ir_store_decide(struct db *db, const struct ir_decision *x);
enum status ir_store_step(struct db *db, const struct ir_step *x);
enum status ir_store_event(struct db *db, const struct ir_event *x);

/* The latest assessment of incident (ST_NOTFOUND when none), and the
 * latest decision (ST_NOTFOUND when none). */
enum status ir_store_assessment(struct db *db, int64_t incident,
                                struct arena *a, struct ir_assessment *out);
enum status ir_store_decision(struct db *db, int64_t incident, struct arena *a,
                              struct ir_decision *out);

/* Every step (oldest first) and every timeline entry (by time). */
enum status ir_store_steps(struct db *db, int64_t incident, struct arena *a,
                           struct ir_step **out, size_t *n);
enum status ir_store_events(struct db *db, int64_t incident, struct arena *a,
                            struct ir_event **out, size_t *n);

/* 1 if evidence file belongs to a timeline entry of incident. */
int ir_store_has_file(struct db *db, int64_t incident, int64_t file);

/* 1 if the latest of incident's closed/reopened steps is "closed". */
int ir_store_is_closed(struct db *db, int64_t incident);

/* Ids of the incidents not archived and not closed, newest awareness
 * first. */
enum status ir_store_open(struct db *db, struct arena *a, int64_t **ids,
                          size_t *n);

#endif
