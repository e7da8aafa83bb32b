/*
 * remind_rule.h: the pure rules of reminders (issue 6): the remind-days
 * setting ("30,7,1": days before a due date), which reminders one
 * person is owed for one occurrence on one day, and the check of the
 * base-url setting that links in mails and feeds start with.  Dates are
 * Asia/Taipei days.  Shared with the settings layer, so it depends on
 * core only; features/calendar/remind.c applies it.
 */
#ifndef ISMS_CORE_REMIND_RULE_H
#define ISMS_CORE_REMIND_RULE_H

#include <stddef.h>

#include "status.h"
#include "time.h"

/* At most this many offsets in remind-days, each at most this many
 * days. */
#define REMIND_MAX_OFFSETS 8
#define REMIND_MAX_DAYS    365

/* The offsets of remind-days, largest first, each once. */
struct remind_days {
  int days[REMIND_MAX_OFFSETS]; /* 0..REMIND_MAX_DAYS, descending */
  size_t n;                     /* how many; 0: no advance reminder */
};

/* Parse remind-days: whole numbers 0..365 separated by commas (spaces
 * around them allowed, any order, no repeats, at most 8); an empty or
 * blank text means none.  ST_INVALID for anything else. */
enum status remind_days_parse(const char *text, struct remind_days *out);

/* Longest reminder key: "overdue:YYYY-MM-DD" and its NUL. */
#define REMIND_KEY_MAX 20

/* What one person is owed for one occurrence, as keys for the record of
 * what was sent (at most three). */
struct remind_keys {
  char key[3][REMIND_KEY_MAX]; /* "d30", "overdue:2026-06-15", "escalate" */
  size_t n;                    /* how many */
};

/*
 * The reminders due on day today for an open occurrence due on due, for
 * a person who holds its owner role (is_owner) and/or the CISO role
 * (is_ciso), into *out:
 * - before or on the due date, to an owner: the reminder of the smallest
 *   offset at or above the days left ("d7" when 5 days are left with
 *   30,7,1), so a late start sends only the nearest one, never a
 *   stale 30-day reminder after the 7-day one;
 * - after it, to an owner and to a CISO: the overdue digest of that day
 *   ("overdue:YYYY-MM-DD", today's date);
 * - after it, to a CISO who is not an owner: "escalate" as well (sent
 *   once, when the occurrence is first seen overdue).
 * A person who is neither is owed nothing.  Recording the keys makes
 * each one go out once.
 */
void remind_keys_for(const struct remind_days *rd, struct date due,
                     struct date today, int is_owner, int is_ciso,
                     struct remind_keys *out);

/* Days from a to b (negative when b is earlier). */
int remind_days_between(struct date a, struct date b);

/* d moved by n days. */
struct date remind_date_add(struct date d, int n);

/* Check the base-url setting: http:// or https://, a host name or
 * address (IPv6 in brackets), an optional port 1..65535, an optional
 * path of [A-Za-z0-9._~/-]; no user, query or fragment, no space or
 * control character.  ST_OK or ST_INVALID. */
enum status remind_check_base_url(const char *url);

#endif
