/*
 * remind_store.h: the SQL of reminders (migration 0017): the people a
 * reminder can go to, the record of reminders decided, the mail queue,
 * in-app notifications and calendar-feed tokens.  Times are Unix
 * seconds.  Used by remind.c, feed.c and the pages of this feature only.
 * Depends on core and db.
 */
#ifndef ISMS_FEATURES_CALENDAR_REMIND_STORE_H
#define ISMS_FEATURES_CALENDAR_REMIND_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct db;
struct arena;

/* An account as reminders see it. */
struct remind_person {
  int64_t id;        /* account id */
  const char *login; /* user ID */
  const char *name;  /* 姓名 */
  const char *email; /* or NULL when it has none */
  const char *roles; /* role names, space-separated ("" for none) */
  int disabled;      /* 1 when disabled */
};

/* 1 if role is one of the space-separated names in roles. */
int remind_has_role(const char *roles, const char *role);

/* Every enabled account with its roles, by id; in a. */
enum status remind_store_people(struct db *db, struct arena *a,
                                struct remind_person **out, size_t *n);

/* Account id (enabled or not); ST_NOTFOUND when there is none. */
enum status remind_store_person(struct db *db, int64_t id, struct arena *a,
                                struct remind_person *out);

/* Record reminder key of occurrence occ for account at time at, unless
 * it is recorded already; *added is 1 when it is new.  Inside the
 * caller's transaction. */
enum status remind_store_mark(struct db *db, int64_t occ, const char *key,
                              int64_t account, int64_t at, int *added);

/* *yes = 1 when account was already given an overdue digest of occ
 * (any day). */
enum status remind_store_had_overdue(struct db *db, int64_t occ,
                                     int64_t account, int *yes);

/* ---- the mail queue ---- */

/* Queue a mail to account at address rcpt, its text counting days from
 * made_on (YYYY-MM-DD), not to be tried before now; *id gets its id. */
enum status remind_store_queue(struct db *db, int64_t account,
                               const char *rcpt, const char *subject,
                               const char *body, const char *made_on,
                               int64_t now, int64_t *id);

/* Note that mail carries reminder key of occurrence occ. */
enum status remind_store_queue_item(struct db *db, int64_t mail, int64_t occ,
                                    const char *key);

/* One queued (or finished) mail. */
struct outbox_mail {
  int64_t id;             /* row id */
  int64_t account;        /* recipient's account */
  const char *login;      /* its user ID */
  const char *rcpt;       /* address */
  const char *subject;    /* zh-TW */
  const char *body;       /* zh-TW */
  const char *made_on;    /* YYYY-MM-DD */
  const char *status;     /* queued, sent, dropped, failed */
  int64_t created_at;     /* queued at */
  int64_t next_at;        /* next attempt not before */
  int attempts;           /* failed attempts */
  const char *last_error; /* or NULL */
  int64_t sent_at;        /* or 0 */
};

/* Up to limit queued mails whose next attempt is due at now, oldest
 * first; in a. */
enum status remind_store_due_mails(struct db *db, int64_t now, size_t limit,
                                   struct arena *a, struct outbox_mail **out,
                                   size_t *n);

/* The newest limit mails of every status (for administrators), and the
 * number still queued; in a. */
enum status remind_store_outbox(struct db *db, size_t limit, struct arena *a,
                                struct outbox_mail **out, size_t *n,
                                int64_t *queued);

/* How many mails are queued. */
enum status remind_store_queued(struct db *db, size_t *n);

/* Take queued mail id for one delivery attempt: its next attempt moves to
 * lease_until, so no other pass (another process, a later tick) tries it
 * meanwhile.  *claimed is 0 when it is no longer queued or not due at
 * now (someone else has it). */
enum status remind_store_claim(struct db *db, int64_t id, int64_t now,
                               int64_t lease_until, int *claimed);

/* The occurrences of mail id with their keys and whether each is still
 * open, into parallel arrays in a. */
enum status remind_store_mail_items(struct db *db, int64_t id, struct arena *a,
                                    int64_t **occ, const char ***keys,
                                    int **open, size_t *n);

/* Replace the text of queued mail id (items that became moot left out). */
enum status remind_store_retext(struct db *db, int64_t id, const char *subject,
                                const char *body);

/* Mark mail id sent at now. */
enum status remind_store_sent(struct db *db, int64_t id, int64_t now);

/* Record a failed attempt: attempts + 1, the error, next try at next_at;
 * with give_up the mail becomes failed instead. */
enum status remind_store_failed(struct db *db, int64_t id, const char *error,
                                int64_t next_at, int give_up);

/* Drop mail id unsent, with the reason. */
enum status remind_store_drop(struct db *db, int64_t id, const char *reason);

/* ---- notifications ---- */

/* Add a notification of kind (due, overdue, escalate) from reminder key
 * of occurrence occ for account, made at now. */
enum status remind_store_notice(struct db *db, int64_t account, int64_t occ,
                                const char *kind, const char *key,
                                int64_t now);

/* One notification. */
struct notice {
  int64_t id;         /* row id */
  int64_t occurrence; /* what it is about */
  const char *kind;   /* due, overdue, escalate */
  const char *key;    /* reminder key */
  int64_t created_at; /* when */
  int64_t read_at;    /* 0 while unread */
};

/* The newest limit notifications of account; in a.  *total gets how many
 * it has in all. */
enum status remind_store_notices(struct db *db, int64_t account, size_t limit,
                                 struct arena *a, struct notice **out,
                                 size_t *n, int64_t *total);

/* How many unread notifications account has. */
enum status remind_store_unread(struct db *db, int64_t account, int64_t *n);

/* Mark notification id of account read at now (id 0: all of them);
 * ST_NOTFOUND when id is not one of account's. */
enum status remind_store_read(struct db *db, int64_t account, int64_t id,
                              int64_t now);

/* ---- calendar-feed tokens ---- */

/* Set account's feed token hash (a new one replaces the old) at now. */
enum status remind_store_feed_set(struct db *db, int64_t account,
                                  const unsigned char *hash, int64_t now);

/* Remove account's feed token; ST_NOTFOUND when it had none. */
enum status remind_store_feed_clear(struct db *db, int64_t account);

/* When account's feed token was made (0: it has none). */
enum status remind_store_feed_made(struct db *db, int64_t account,
                                   int64_t *at);

/* The account of a feed token hash; ST_NOTFOUND when unknown. */
enum status remind_store_feed_account(struct db *db, const unsigned char *hash,
                                      int64_t *account);

#endif
