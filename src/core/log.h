/*
 * log.h: the one log function (STYLE.md C11).  One line per event on
 * stderr; control characters in values are escaped so a value cannot
 * forge a line.  Depends on buf.h.
 */
#ifndef ISMS_CORE_LOG_H
#define ISMS_CORE_LOG_H

enum log_level {
  LOG_ERR = 3,     /* something failed and a person should look */
  LOG_WARNING = 4, /* unexpected but handled */
  LOG_NOTICE = 5,  /* normal but significant: start, stop, access */
  LOG_INFO = 6,    /* routine detail */
  LOG_DEBUG = 7,   /* developer detail */
};

/* Only messages at this level or more urgent are written. */
void log_set_level(enum log_level lvl);

/* Tag the calling thread's messages with a request id ("" for none). */
void log_set_request(const char *req_id);

/*
 * Write one line "level=… req=… msg=\"…\"".  The formatted message has
 * control characters escaped (\n, \r, \x1b …) and quotes backslashed.
 * The level is checked before formatting.
 */
void log_msg(enum log_level lvl, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* Write a prepared line verbatim after escaping control characters
 * (the access log). */
void log_line(const char *line);

#endif
