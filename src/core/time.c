/*
 * time.c: UTC storage, Asia/Taipei display, ROC dates.  Calendar maths is
 * done by hand (days from civil) so that it never depends on the TZ
 * environment of the server.
 */
#include "time.h"
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TAIPEI_OFFSET (8 * 3600)

/* The test clock's file, read once: NULL when the clock is real. */
static const char *test_clock_file(void)
{
  static const char *file;
  static int done;
  if(!done) {
    const char *e = getenv("ISMS_TEST_CLOCK");
    file = e && *e ? e : NULL;
    done = 1;
  }
  return file;
}

int64_t time_now(void)
{
  struct timespec ts;
  const char *file = test_clock_file();
  int64_t skew = 0;
  if(file) {
    FILE *f = fopen(file, "r");
    long long v;
    if(f) {
      if(fscanf(f, "%lld", &v) == 1) {
        skew = (int64_t)v;
      }
      fclose(f);
    }
  }
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec + skew;
}

int time_is_leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int time_days_in_month(int y, int m)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if(m < 1 || m > 12) {
    return 0;
  }
  return m == 2 && time_is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
  int64_t era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static struct date civil_from_days(int64_t z)
{
  struct date d;
  int64_t era, doe, yoe, y, doy, mp;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
  d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
  d.year = (int)(y + (d.month <= 2));
  return d;
}

/* Parse n decimal digits at p; -1 if any is not a digit. */
static int digits(const char *p, int n)
{
  int v = 0, i;
  for(i = 0; i < n; i++) {
    if(p[i] < '0' || p[i] > '9') {
      return -1;
    }
    v = v * 10 + (p[i] - '0');
  }
  return v;
}

enum status time_parse_date(struct str s, struct date *d)
{
  int y, m, dd;
  if(s.len != 10 || s.p[4] != '-' || s.p[7] != '-') {
    return ST_INVALID;
  }
  y = digits(s.p, 4);
  m = digits(s.p + 5, 2);
  dd = digits(s.p + 8, 2);
  if(y < 1 || m < 1 || dd < 1 || dd > time_days_in_month(y, m)) {
    return ST_INVALID;
  }
  d->year = y;
  d->month = m;
  d->day = dd;
  return ST_OK;
}

void time_format_date(struct buf *b, struct date d)
{
  buf_appendf(b, "%04d-%02d-%02d", d.year, d.month, d.day);
}

void time_format_roc(struct buf *b, struct date d)
{
  int roc = d.year - 1911;
  if(roc == 1) {
    buf_puts(b, "民國元年");
  }
  else if(roc >= 1) {
    buf_appendf(b, "民國%d年", roc);
  }
  else {
    buf_appendf(b, "民國前%d年", 1 - roc);
  }
  buf_appendf(b, "%d月%d日", d.month, d.day);
}

void time_format_utc(struct buf *b, int64_t t)
{
  int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  int64_t secs = t - days * 86400;
  struct date d = civil_from_days(days);
  buf_appendf(b, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day,
              (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

enum status time_parse_utc(struct str s, int64_t *t)
{
  struct date d;
  int hh, mm, ss;
  if(s.len != 20 || s.p[10] != 'T' || s.p[13] != ':' || s.p[16] != ':' ||
     s.p[19] != 'Z') {
    return ST_INVALID;
  }
  if(time_parse_date((struct str){ s.p, 10 }, &d)) {
    return ST_INVALID;
  }
  hh = digits(s.p + 11, 2);
  mm = digits(s.p + 14, 2);
  ss = digits(s.p + 17, 2);
  if(hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) {
    return ST_INVALID;
  }
  *t =
    days_from_civil(d.year, d.month, d.day) * 86400 + hh * 3600 + mm * 60 + ss;
  return ST_OK;
}

struct date time_taipei_date(int64_t t)
{
  int64_t local = t + TAIPEI_OFFSET;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  return civil_from_days(days);
}

void time_format_taipei(struct buf *b, int64_t t)
{
  int64_t local = t + TAIPEI_OFFSET;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  int64_t secs = local - days * 86400;
  struct date d = civil_from_days(days);
  buf_appendf(b, "%04d-%02d-%02d %02d:%02d", d.year, d.month, d.day,
              (int)(secs / 3600), (int)(secs / 60 % 60));
}

int64_t time_taipei_instant(struct date d, int sec_of_day)
{
  return days_from_civil(d.year, d.month, d.day) * 86400 + sec_of_day -
         TAIPEI_OFFSET;
}

void time_format_taipei_roc(struct buf *b, int64_t t)
{
  int64_t local = t + TAIPEI_OFFSET;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  int64_t secs = local - days * 86400;

  time_format_roc(b, civil_from_days(days));
  buf_appendf(b, " %02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60));
}

struct date time_month_period_end(struct date d, int months)
{
  struct date end;
  int m = d.month - 1 + (months > 0 ? months : 1);
  int last;

  end.year = d.year + m / 12;
  end.month = m % 12 + 1;
  last = time_days_in_month(end.year, end.month);
  /* An event on a month's last day starts the period on the 1st, so it
   * spans whole months; otherwise it starts on day + 1 and ends the day
   * before the corresponding day, that is on day itself, if it exists. */
  if(d.day == time_days_in_month(d.year, d.month) || d.day + 1 > last) {
    end.day = last;
  }
  else {
    end.day = d.day;
  }
  return end;
}

const char *time_utc_in(struct arena *a, int64_t t)
{
  struct buf b;
  const char *s;
  buf_init(&b, 32);
  time_format_utc(&b, t);
  s = b.data ? arena_strdup(a, b.data) : NULL;
  buf_free(&b);
  return s;
}
