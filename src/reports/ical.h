/*
 * ical.h: an iCalendar (RFC 5545) writer for a feed of all-day events
 * (issue 6: the compliance calendar that Outlook and Thunderbird
 * subscribe to).  One VCALENDAR (VERSION 2.0, PRODID, METHOD:PUBLISH,
 * X-WR-CALNAME) with one VEVENT per event and an optional VALARM; TEXT
 * values escaped (backslash, semicolon, comma, newline), content lines
 * folded at 75 octets without splitting a UTF-8 sequence, CRLF line
 * ends.  Depends on core.
 */
#ifndef ISMS_REPORTS_ICAL_H
#define ISMS_REPORTS_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/status.h"
#include "core/time.h"

/* One all-day event.  Strings are borrowed UTF-8; NULL or "" leaves the
 * optional ones out. */
struct ical_event {
  const char *uid;         /* globally unique and stable, required */
  struct date date;        /* the day (DTSTART;VALUE=DATE) */
  const char *summary;     /* the title, required */
  const char *description; /* longer text, may hold newlines */
  const char *url;         /* a link back to isms */
  int alarm_days;          /* > 0: a display alarm that many days before */
};

/* Append a whole calendar named name (X-WR-CALNAME) holding events[0..n)
 * to out, stamped with dtstamp (Unix seconds, written in UTC).
 * ST_INVALID when a uid or summary is missing, a date is not a real
 * day, or text is not valid UTF-8; ST_TOOBIG when out's cap is hit. */
enum status ical_write(struct buf *out, const char *name,
                       const struct ical_event *events, size_t n,
                       int64_t dtstamp);

/* Append text escaped as an RFC 5545 TEXT value (\\ \; \, and \n for a
 * line break; CR dropped) to b. */
void ical_escape(struct buf *b, const char *text);

/* Append the content line line[0..len) to b folded at 75 octets (CRLF
 * then a space), never inside a UTF-8 sequence, ending with CRLF. */
void ical_fold(struct buf *b, const char *line, size_t len);

#endif
