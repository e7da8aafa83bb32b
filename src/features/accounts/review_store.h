/*
 * review_store.h: the SQL of account reviews (review_pages.c).
 * Depends on core and db.
 */
#ifndef ISMS_FEATURES_ACCOUNTS_REVIEW_STORE_H
#define ISMS_FEATURES_ACCOUNTS_REVIEW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct db;
struct arena;

/* One review campaign. */
struct review {
  int64_t id;            /* row id */
  const char *kind;      /* "privileged" or "accounts" */
  const char *period;    /* "2026-Q4", "2026-P2" */
  const char *opened_at; /* UTC */
  const char *opened_by; /* who */
  const char *closed_at; /* UTC or NULL while open */
  const char *closed_by; /* who, or NULL */
  int items;             /* accounts in it */
  int open_items;        /* not decided yet */
};

/* One account in a review. */
struct review_item {
  int64_t account;        /* account id */
  const char *login;      /* its login */
  const char *name;       /* its name */
  const char *unit;       /* its unit, or NULL */
  int privileged;         /* 1 for a privileged account */
  const char *owner;      /* the owner's login, or NULL */
  const char *roles;      /* roles when the review opened */
  int64_t last_login;     /* 0 if never */
  int disabled;           /* disabled now */
  const char *decision;   /* "keep", "disable" or NULL */
  const char *note;       /* or NULL */
  const char *decided_by; /* or NULL */
};

/* Open a review of kind for period with every enabled account (only the
 * privileged ones for kind "privileged"); ST_CONFLICT when it exists. */
enum status review_store_open(struct db *db, const char *kind,
                              const char *period, const char *by, int64_t *id);
enum status review_store_list(struct db *db, struct arena *a,
                              struct review **out, size_t *n);
enum status review_store_get(struct db *db, int64_t id, struct arena *a,
                             struct review *out);
enum status review_store_items(struct db *db, int64_t id, struct arena *a,
                               struct review_item **out, size_t *n);
/* Record a decision on an open review; ST_CONFLICT when closed,
 * ST_NOTFOUND when the account is not in it. */
enum status review_store_decide(struct db *db, int64_t id, int64_t account,
                                const char *decision, const char *note,
                                const char *by);
/* 1 in *open when account is in review id and not decided yet. */
enum status review_store_item_open(struct db *db, int64_t id, int64_t account,
                                   int *open);
/* Close when every item is decided (ST_CONFLICT otherwise). */
enum status review_store_close(struct db *db, int64_t id, const char *by);
/* 1 in *closed if the review of kind for period exists and is closed. */
enum status review_store_closed(struct db *db, const char *kind,
                                const char *period, int *exists, int *closed);

#endif
