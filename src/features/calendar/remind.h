/*
 * remind.h: reminders of the compliance calendar (issue 6, items 3-4).
 * Who is reminded (the enabled accounts holding an occurrence's owner
 * role; the CISO for what is overdue), of what (the remind-days offsets
 * before the due date, then a daily overdue digest; an escalation to the
 * CISO), by which way (in-app notifications always, mail through the
 * relay to those with an address), exactly once (remind_sent), by a
 * scheduler thread inside `isms serve` or `isms calendar tick`.  Also
 * the notifications page, the mail queue page and the per-user
 * iCalendar feed.  Mail text is always zh-TW.  Depends on calendar.h,
 * auth, db, reports/smtp and reports/ical.
 */
#ifndef ISMS_FEATURES_CALENDAR_REMIND_H
#define ISMS_FEATURES_CALENDAR_REMIND_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/status.h"
#include "http/route.h"

struct db;

/* What one reminder pass decided. */
struct remind_result {
  size_t reminders; /* reminder keys recorded (occurrence, key, account) */
  size_t notices;   /* in-app notifications added */
  size_t mails;     /* mails queued */
};

/*
 * Decide the reminders due at now (Asia/Taipei day) for every open
 * occurrence and every enabled account, and record them, their
 * notifications and one queued mail per person with an address (every
 * new reminder of that person in one mail) in ONE transaction: a
 * reminder already recorded is never decided again.  Runs its own
 * transaction (the caller must not hold one).
 */
enum status remind_tick(struct db *db, int64_t now, struct remind_result *out);

/* What one delivery pass did. */
struct remind_delivery {
  size_t sent;    /* accepted by the relay */
  size_t failed;  /* refused or unreachable: retried later */
  size_t dropped; /* moot (occurrences closed or void, account disabled) */
  size_t waiting; /* still queued after the pass (retries, no relay) */
  int no_relay;   /* 1 when mail-relay or mail-from is not set */
};

/* 1 when a delivery pass should stop between two mails (the server is
 * stopping). */
typedef int remind_stop_fn(void *ctx);

/*
 * Send the queued mails that are due at now through the relay of the
 * settings, each marked sent in its own transaction right after the
 * relay accepted it (a crash in between resends that one mail).  A mail
 * is first leased (so no other pass sends it too); a failure keeps the
 * error and retries after 1, 2, 4 … minutes (at most an hour; given up
 * after REMIND_MAX_ATTEMPTS).  A mail whose occurrences are all closed
 * or void, or whose account is disabled, is dropped; one with some is
 * sent without them.  Without a relay nothing is tried.  stop (may be
 * NULL) is asked between mails.
 */
enum status remind_deliver(struct db *db, int64_t now, remind_stop_fn *stop,
                           void *ctx, struct remind_delivery *out);

/* Failed attempts before a mail is given up. */
#define REMIND_MAX_ATTEMPTS 72

/* What calendar_generate(), remind_tick() and remind_deliver() did in a
 * whole pass. */
struct remind_pass_result {
  size_t added, voided, restored;          /* occurrences (struct cal_gen) */
  struct remind_result remind;             /* reminders */
  struct remind_delivery sent;             /* delivery */
  enum status gen_st, tick_st, deliver_st; /* each step's outcome */
};

/* One whole pass at now: generate the occurrences (as "scheduler"), then
 * remind, then deliver.  A failing step is logged and the next still
 * runs; returns the first failure. */
enum status remind_pass(struct db *db, int64_t now, remind_stop_fn *stop,
                        void *ctx, struct remind_pass_result *out);

/* ---- the scheduler thread (sched.c) ---- */

struct sched;

/* Default seconds between two passes of the scheduler. */
#define SCHED_TICK_DEFAULT 300

/* Start the scheduler: a thread with its own connection to db_path
 * that runs remind_pass() at once and then every tick seconds, never
 * stopping the server on an error (it is logged).  The thread blocks
 * SIGINT and SIGTERM (the server's main thread takes them).  *out is
 * stopped and freed with sched_stop(). */
enum status sched_start(const char *db_path, unsigned tick,
                        struct sched **out);

/* Ask the scheduler to stop, wake it, wait for the pass in progress to
 * end (delivery stops between mails) and free it; NULL is ignored. */
void sched_stop(struct sched *s);

/* ---- the command line (sched_cli.c) ---- */

/* isms calendar tick [--db FILE]: one whole pass; returns the exit
 * code. */
int calendar_cmd(int argc, char **argv);

/* ---- pages ---- */

/* The number of unread notifications of r's account, for the header
 * link (ui/layout.h's page_unread hook). */
int64_t notice_unread(struct req *r);

/* /notices, and marking one or all read (notice_pages.c). */
route_fn notices_page;
route_fn notice_read_post;
route_fn notices_read_all_post;
/* /admin/mail: the mail queue for administrators (notice_pages.c). */
route_fn outbox_page;
/* /account/calendar-feed and /feed/{file} (feed_pages.c). */
route_fn feed_page;
route_fn feed_create_post;
route_fn feed_revoke_post;
route_fn feed_ics;

/* ---- the feed (feed.c) ---- */

/* Length of a feed token: 48 lower-case hex digits (192 random bits). */
#define FEED_TOKEN_LEN 48

/* Make a new feed token for account uid (login for the audit row),
 * replacing any earlier one, written once into token[FEED_TOKEN_LEN+1];
 * only its SHA-256 is stored.  Audited (feed-create or feed-renew). */
enum status feed_token_new(struct db *db, int64_t uid, const char *login,
                           char *token);

/* Remove uid's feed token; ST_NOTFOUND when there is none.  Audited. */
enum status feed_token_revoke(struct db *db, int64_t uid, const char *login);

/*
 * The calendar of the feed token named by file ("TOKEN.ics"), appended
 * to out as text/calendar: the open and done occurrences of this year
 * and next (Asia/Taipei, at now) whose owner role the account holds
 * (all of them for the CISO and the officer), one all-day VEVENT each.
 * ST_NOTFOUND when file is malformed, the token unknown or its account
 * disabled.
 */
enum status feed_calendar(struct db *db, const char *file, int64_t now,
                          struct buf *out);

/* The base URL of links (the base-url setting without a trailing '/'),
 * in a. */
struct arena;
const char *remind_base_url(struct db *db, struct arena *a);

#endif
