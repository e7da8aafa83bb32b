/*
 * ical.c: the iCalendar writer.  See ical.h.
 */
#include "ical.h"
#include "core/str.h"
#include "core/utf8.h"

#include <string.h>
#include <time.h>

/* Longest content line in octets, CRLF not counted (RFC 5545 3.1). */
#define FOLD_AT 75

void ical_escape(struct buf *b, const char *text)
{
  for(; *text; text++) {
    switch(*text) {
    case '\\':
      buf_puts(b, "\\\\");
      break;
    case ';':
      buf_puts(b, "\\;");
      break;
    case ',':
      buf_puts(b, "\\,");
      break;
    case '\n':
      buf_puts(b, "\\n");
      break;
    case '\r':
      break;
    default:
      buf_putc(b, *text);
    }
  }
}

void ical_fold(struct buf *b, const char *line, size_t len)
{
  size_t pos = 0, room = FOLD_AT;
  while(len - pos > room) {
    size_t take = room;
    /* Back up to the start of a UTF-8 sequence. */
    while(take > 0 && ((unsigned char)line[pos + take] & 0xc0) == 0x80) {
      take--;
    }
    buf_append(b, line + pos, take);
    buf_puts(b, "\r\n ");
    pos += take;
    room = FOLD_AT - 1; /* the leading space counts */
  }
  buf_append(b, line + pos, len - pos);
  buf_puts(b, "\r\n");
}

/* Append "name:" plus text escaped as one folded content line. */
static void put_text(struct buf *b, struct buf *line, const char *name,
                     const char *text)
{
  buf_clear(line);
  buf_puts(line, name);
  buf_putc(line, ':');
  ical_escape(line, text);
  if(line->err) {
    b->err = line->err;
    return;
  }
  ical_fold(b, line->data, line->len);
}

/* Append "name:" plus value verbatim as one folded content line. */
static void put_raw(struct buf *b, struct buf *line, const char *name,
                    const char *value)
{
  buf_clear(line);
  buf_appendf(line, "%s:%s", name, value);
  if(line->err) {
    b->err = line->err;
    return;
  }
  ical_fold(b, line->data, line->len);
}

/* 1 when s is not UTF-8 or holds a control character other than tab
 * and the line breaks that TEXT escapes; when s is NULL or "", 1 only if
 * it is required. */
static int bad_text(const char *s, int required)
{
  if(!s || !*s) {
    return required;
  }
  return !utf8_valid(str_c(s), NULL) || utf8_has_control(str_c(s), 1);
}

/* 1 when d is a real day of years 1..9999. */
static int good_date(struct date d)
{
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 &&
         d.day >= 1 && d.day <= time_days_in_month(d.year, d.month);
}

enum status ical_write(struct buf *out, const char *name,
                       const struct ical_event *events, size_t n,
                       int64_t dtstamp)
{
  struct buf line;
  char stamp[32];
  time_t t = (time_t)dtstamp;
  struct tm tm;
  size_t i;

  if(bad_text(name, 1)) {
    return ST_INVALID;
  }
  for(i = 0; i < n; i++) {
    const struct ical_event *e = &events[i];
    if(bad_text(e->uid, 1) || strchr(e->uid, '\n') ||
       bad_text(e->summary, 1) || bad_text(e->description, 0) ||
       bad_text(e->url, 0) || (e->url && strpbrk(e->url, "\r\n")) ||
       !good_date(e->date) || e->alarm_days < 0 || e->alarm_days > 366) {
      return ST_INVALID;
    }
  }
  gmtime_r(&t, &tm);
  strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
  buf_init(&line, out->max);
  buf_puts(out, "BEGIN:VCALENDAR\r\n"
                "VERSION:2.0\r\n"
                "PRODID:-//isms//compliance calendar//ZH-TW\r\n"
                "CALSCALE:GREGORIAN\r\n"
                "METHOD:PUBLISH\r\n");
  put_text(out, &line, "X-WR-CALNAME", name);
  for(i = 0; i < n; i++) {
    const struct ical_event *e = &events[i];
    buf_puts(out, "BEGIN:VEVENT\r\n");
    put_text(out, &line, "UID", e->uid);
    put_raw(out, &line, "DTSTAMP", stamp);
    buf_appendf(out, "DTSTART;VALUE=DATE:%04d%02d%02d\r\n", e->date.year,
                e->date.month, e->date.day);
    put_text(out, &line, "SUMMARY", e->summary);
    if(e->description && *e->description) {
      put_text(out, &line, "DESCRIPTION", e->description);
    }
    if(e->url && *e->url) {
      put_raw(out, &line, "URL", e->url);
    }
    buf_puts(out, "TRANSP:TRANSPARENT\r\n");
    if(e->alarm_days > 0) {
      buf_puts(out, "BEGIN:VALARM\r\nACTION:DISPLAY\r\n");
      put_text(out, &line, "DESCRIPTION", e->summary);
      buf_appendf(out, "TRIGGER:-P%dD\r\nEND:VALARM\r\n", e->alarm_days);
    }
    buf_puts(out, "END:VEVENT\r\n");
  }
  buf_puts(out, "END:VCALENDAR\r\n");
  buf_free(&line);
  return out->err ? out->err : ST_OK;
}
