/*
 * log.c: escaped one-line logging to stderr.
 */
#include "log.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level log_level = LOG_INFO;
static _Thread_local char log_req[24];

static const char *const level_names[] = {
  "emerg", "alert", "crit", "error", "warning", "notice", "info", "debug",
};

void log_set_level(enum log_level lvl)
{
  log_level = lvl;
}

void log_set_request(const char *req_id)
{
  snprintf(log_req, sizeof(log_req), "%s", req_id ? req_id : "");
}

/* Append s to b with control characters, quotes and backslashes escaped. */
static void escape_into(struct buf *b, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if(c == '\n') {
      buf_puts(b, "\\n");
    }
    else if(c == '\r') {
      buf_puts(b, "\\r");
    }
    else if(c == '\t') {
      buf_puts(b, "\\t");
    }
    else if(c == '"' || c == '\\') {
      buf_putc(b, '\\');
      buf_putc(b, (char)c);
    }
    else if(c < 0x20 || c == 0x7f) {
      buf_puts(b, "\\x");
      buf_putc(b, hex[c >> 4]);
      buf_putc(b, hex[c & 15]);
    }
    else {
      buf_putc(b, (char)c);
    }
  }
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
  char msg[2048];
  struct buf line;
  va_list ap;

  if(lvl > log_level) {
    return;
  }
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  buf_init(&line, 8192);
  buf_appendf(&line, "level=%s", level_names[lvl]);
  if(log_req[0]) {
    buf_appendf(&line, " req=%s", log_req);
  }
  buf_puts(&line, " msg=\"");
  escape_into(&line, msg);
  buf_puts(&line, "\"\n");
  fputs(line.data, stderr);
  buf_free(&line);
}

void log_line(const char *text)
{
  struct buf line;
  buf_init(&line, 8192);
  escape_into(&line, text);
  buf_putc(&line, '\n');
  fputs(line.data, stderr);
  buf_free(&line);
}
