/*
 * time.h: instants are stored as UTC ("2026-11-24T03:02:34Z"), shown in
 * Asia/Taipei (UTC+8, no daylight saving since 1979), and dates can be
 * written the ROC way (民國114年11月24日) as official forms do.
 * Depends on buf.h and str.h.
 */
#ifndef ISMS_CORE_TIME_H
#define ISMS_CORE_TIME_H

#include <stdint.h>

#include "buf.h"
#include "str.h"

/* A calendar date (proleptic Gregorian). */
struct date {
  int year;  /* e.g. 2026 */
  int month; /* 1..12 */
  int day;   /* 1..31, valid for the month */
};

/* Seconds since the Unix epoch, now.  Tests move the clock: when the
 * environment names a file in ISMS_TEST_CLOCK (read at the first call),
 * the number of seconds in that file is added on every call, so idle
 * logout and lock-out can be tested without waiting. */
int64_t time_now(void);

/* 1 for a Gregorian leap year. */
int time_is_leap(int year);

/* Days in month m of year y (0 for an invalid month). */
int time_days_in_month(int year, int month);

/* Parse exactly "YYYY-MM-DD" (year 1..9999) into *d; ST_INVALID for any
 * other text or an impossible date such as 2025-02-29. */
enum status time_parse_date(struct str s, struct date *d);

/* Append "YYYY-MM-DD". */
void time_format_date(struct buf *b, struct date d);

/* Append the ROC form: "民國114年11月24日"; years before 1912 are written
 * "民國前N年…"; 1912 is 民國元年. */
void time_format_roc(struct buf *b, struct date d);

/* Append t as UTC ISO-8601 "YYYY-MM-DDTHH:MM:SSZ" (the storage form). */
void time_format_utc(struct buf *b, int64_t t);

/* t in the storage form, copied into a; NULL when a is full. */
struct arena;
const char *time_utc_in(struct arena *a, int64_t t);

/* Parse the storage form back; ST_INVALID otherwise. */
enum status time_parse_utc(struct str s, int64_t *t);

/* Append t in Asia/Taipei as "YYYY-MM-DD HH:MM". */
void time_format_taipei(struct buf *b, int64_t t);

/* The Asia/Taipei calendar date of instant t. */
struct date time_taipei_date(int64_t t);

/* The instant at which Asia/Taipei clocks show date d and sec_of_day
 * seconds after midnight (0..86399): the inverse of time_taipei_date(). */
int64_t time_taipei_instant(struct date d, int sec_of_day);

/* Append t in Asia/Taipei with its ROC date: "民國115年2月28日 23:59". */
void time_format_taipei_roc(struct buf *b, int64_t t);

/*
 * The last day of a period of months (less than 1 counts as 1) after an event
 * on date d, counted as 行政程序法 §48 II-III counts: the day of the event
 * is not counted, so the period starts the next day; it ends on the day
 * before the corresponding day of the last month, or on that month's
 * last day when the month has no corresponding day.  So with one month
 * 3/31 gives 4/30, 1/15 gives 2/15 and 1/30 gives the end of February.
 * §48 IV (a last day on a weekend or holiday moves to the next working
 * day) is not applied: callers that need it must say so.
 */
struct date time_month_period_end(struct date d, int months);

#endif
