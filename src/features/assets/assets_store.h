/*
 * assets_store.h: the SQL of gradings and control status (the registers
 * themselves go through the register engine).  Levels are 1 普, 2 中,
 * 3 高.  Depends on core and db.
 */
#ifndef ISMS_FEATURES_ASSETS_STORE_H
#define ISMS_FEATURES_ASSETS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct db;
struct arena;

/* One grading of a system, 附表九. */
struct grading {
  int64_t id;     /* row id */
  int64_t system; /* the system */
  int c, i, a, l; /* 機密性, 完整性, 可用性, 法律遵循性: 1..3 */
  int level;      /* the highest of the four */
  const char *justification; /* 評定理由 */
  const char *graded_by;     /* who graded */
  const char *graded_at;     /* UTC */
  const char *status;        /* pending, approved, rejected */
  const char *approver;      /* or NULL */
  const char *decided_at;    /* UTC or NULL */
  const char *note;          /* or NULL */
};

enum status grading_insert(struct db *db, const struct grading *g,
                           int64_t *id);
/* Every grading of system, newest first. */
enum status grading_list(struct db *db, int64_t system, struct arena *a,
                         struct grading **out, size_t *n);
enum status grading_get(struct db *db, int64_t id, struct arena *a,
                        struct grading *out);
/* Decide a pending grading; ST_CONFLICT when it is not pending. */
enum status grading_decide(struct db *db, int64_t id, const char *status,
                           const char *by, const char *note);
/* The latest approved grading of system before id (0: the latest at
 * all); ST_NOTFOUND when there is none. */
enum status grading_approved(struct db *db, int64_t system, int64_t before,
                             struct arena *a, struct grading *out);

/* The state of one control of a system. */
struct control_state {
  const char *control;    /* control id */
  const char *status;     /* implemented, partial, planned, na */
  const char *exemption;  /* for na: the approval it rests on */
  const char *evidence;   /* documents, links */
  const char *owner;      /* who */
  const char *due;        /* YYYY-MM-DD */
  const char *updated_at; /* UTC */
  const char *updated_by; /* who */
};

/* Every recorded control state of system. */
enum status control_list(struct db *db, int64_t system, struct arena *a,
                         struct control_state **out, size_t *n);
/* Insert or replace the state of s->control for the system, adding a
 * history row, as actor. */
enum status control_set(struct db *db, int64_t system,
                        const struct control_state *s, const char *actor);

/* The level of each system's latest approved grading: fn(ctx, system,
 * level) for every graded system. */
enum status grading_levels(struct db *db,
                           void (*fn)(void *ctx, int64_t system, int level),
                           void *ctx);

/* Every recorded control state whose control id starts with prefix
 * ("115-"): fn(ctx, system, control, status). */
enum status control_states(struct db *db, const char *prefix,
                           void (*fn)(void *ctx, int64_t system,
                                      const char *control, const char *status),
                           void *ctx);

/* One system with what the gap list needs. */
struct system_row {
  int64_t id;        /* row id */
  const char *name;  /* its name */
  const char *level; /* "low", "mid", "high" or NULL */
  int is_core;       /* 1 for a core system */
};

/* Every active system, by name. */
enum status system_rows(struct db *db, struct arena *a,
                        struct system_row **out, size_t *n);

#endif
