/*
 * inventory_store.h: the SQL of the yearly asset inventory (plan
 * 柒.一.1; tables in migration 0008).  Strings returned live in the
 * arena passed.  Depends on core and db.
 */
#ifndef ISMS_FEATURES_ASSETS_INVENTORY_STORE_H
#define ISMS_FEATURES_ASSETS_INVENTORY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct db;
struct arena;

/* One campaign. */
struct inventory {
  int64_t id;            /* row id */
  int year;              /* 年度 (Gregorian) */
  const char *title;     /* 名稱 */
  const char *opened_at; /* UTC */
  const char *opened_by; /* who */
  const char *closed_at; /* UTC, or NULL while in progress */
  const char *closed_by; /* or NULL */
  int64_t total;         /* items */
  int64_t decided;       /* items with a result */
};

/* Every campaign, newest first (at most 100). */
enum status inv_store_list(struct db *db, struct arena *a,
                           struct inventory **out, size_t *n);

/* The campaign in progress; ST_NOTFOUND when there is none. */
enum status inv_store_current(struct db *db, struct arena *a,
                              struct inventory *out);

/*
 * Open the campaign of year with one item per active asset (owner copied,
 * unit from the member register's row of that name).  ST_CONFLICT when a
 * campaign is in progress or year's exists.  Call inside a transaction.
 */
enum status inv_store_open(struct db *db, int year, const char *title,
                           const char *by, int64_t *id, int64_t *n_items);

/* One asset in a campaign. */
struct inv_item {
  int64_t asset;           /* asset id */
  const char *name;        /* asset name (now) */
  const char *property_no; /* 財產編號 (now), or NULL */
  const char *owner;       /* owner when opened, or NULL */
  const char *unit;        /* or NULL */
  const char *result;      /* confirmed, changed, missing, or NULL */
  const char *note;        /* or NULL */
  const char *decided_by;  /* or NULL */
  const char *decided_at;  /* UTC or NULL */
};

/* What inv_store_items() selects. */
struct inv_filter {
  const char *owner;  /* exact owner, "" for no owner, or NULL for all */
  const char *result; /* a result, "open" for undecided, or NULL */
  const char *me;     /* with mine: owner equals me or me2 */
  const char *me2;
  int mine; /* 1: only items owned by me/me2; -1: all but those */
};

/* Items of campaign inv matching f, by owner then property number; at
 * most max; *more is 1 when some were left out. */
enum status inv_store_items(struct db *db, int64_t inv,
                            const struct inv_filter *f, size_t max,
                            struct arena *a, struct inv_item **out, size_t *n,
                            int *more);

/* Completion per owner. */
struct inv_progress {
  const char *owner; /* or NULL */
  const char *unit;  /* or NULL */
  int64_t total, decided, confirmed, changed, missing;
};

/* Progress of campaign inv per owner, by unit and owner (at most 2000). */
enum status inv_store_progress(struct db *db, int64_t inv, struct arena *a,
                               struct inv_progress **out, size_t *n);

/* Record result and note for asset in campaign inv, by actor.
 * ST_NOTFOUND when the asset is not in it, ST_CONFLICT when it is
 * closed.  Call inside a transaction. */
enum status inv_store_decide(struct db *db, int64_t inv, int64_t asset,
                             const char *result, const char *note,
                             const char *actor);

/* Close campaign inv.  ST_CONFLICT when an item is undecided or it is
 * closed already.  Call inside a transaction. */
enum status inv_store_close(struct db *db, int64_t inv, const char *actor);

#endif
