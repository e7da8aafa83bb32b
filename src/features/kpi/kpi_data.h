/*
 * kpi_data.h: the goals' inputs read from the records (systems and
 * their outages, incidents and their states, social-engineering drills
 * and their results, the metrics bound to a computed value) and the
 * values computed from them, for the pages and the tiles.  Everything
 * lives in the arena given.  Depends on kpi.h and kpi_store.h.
 */
#ifndef ISMS_FEATURES_KPI_DATA_H
#define ISMS_FEATURES_KPI_DATA_H

#include "kpi.h"
#include "kpi_store.h"
#include "core/time.h"

/* A system that is not archived, and since when it is counted. */
struct kpi_system {
  int64_t id;       /* the system record */
  const char *name; /* its name */
  int64_t since;    /* the earlier of its record's creation and its first
                       outage (an outage recorded proves it ran then) */
};

/* Availability of every system and of the agency over some periods. */
struct kpi_avail_table {
  struct kpi_system *systems; /* n_systems, by name */
  size_t n_systems;
  size_t n_periods;
  struct kpi_avail *cells;  /* cells[s * n_periods + p]: system s in
                               period p */
  struct kpi_avail *agency; /* agency[p]: Σ downtime ÷ Σ operating time
                               over the systems */
};

/* The availability of every active system and of the agency in
 * the periods [from[p], to[p]) up to now. */
enum status kpi_data_avail(struct db *db, struct arena *a, const int64_t *from,
                           const int64_t *to, size_t n_periods, int64_t now,
                           struct kpi_avail_table *out);

/* An incident (not archived) and its state. */
struct kpi_incident {
  int64_t id;        /* the incident record */
  struct date aware; /* the Asia/Taipei date of awareness */
  struct ir_state s; /* its clocks */
};

/* Every incident (not archived) with a state, in awareness order. */
enum status kpi_data_incidents(struct db *db, struct arena *a,
                               struct kpi_incident **out, size_t *n);

/* A social-engineering drill (not archived) and its results. */
struct kpi_drill {
  int64_t id;                /* the drill record */
  const char *title;         /* 演練名稱 */
  const char *held_on;       /* YYYY-MM-DD */
  struct date held;          /* the same as a date */
  const char *status;        /* planned, held or reported */
  int has_results;           /* results were imported */
  struct kpi_result_set set; /* where they came from */
  struct kpi_phish rates;    /* over unique recipients */
};

/* Every social-engineering drill (not archived), oldest first. */
enum status kpi_data_drills(struct db *db, struct arena *a,
                            struct kpi_drill **out, size_t *n);

/* The rates of one drill (id): ST_NOTFOUND when no results were
 * imported. */
enum status kpi_data_drill(struct db *db, struct arena *a, int64_t id,
                           struct kpi_drill *out);

/* A goal metric bound to a computed value. */
struct kpi_target {
  int64_t id;             /* the goal_metric record */
  const char *metric;     /* 衡量指標 */
  const char *comparator; /* ">=" … */
  double target;          /* 目標值 */
  const char *unit;       /* 單位, or NULL */
  const char *kind;       /* KPI_AVAILABILITY, … */
};

/* Every goal metric (not archived) whose kpi is set, in record order. */
enum status kpi_data_targets(struct db *db, struct arena *a,
                             struct kpi_target **out, size_t *n);

/* The first of targets[0..n) of kind, or NULL. */
const struct kpi_target *kpi_target_of(const struct kpi_target *targets,
                                       size_t n, const char *kind);

#endif
