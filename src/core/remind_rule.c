/*
 * remind_rule.c: the pure rules of reminders.  See remind_rule.h.
 */
#include "remind_rule.h"
#include "str.h"

#include <stdio.h>
#include <string.h>

enum status remind_days_parse(const char *text, struct remind_days *out)
{
  struct str rest;
  size_t i, j;
  memset(out, 0, sizeof(*out));
  if(!text) {
    return ST_INVALID;
  }
  rest = str_trim(str_c(text));
  if(rest.len == 0) {
    return ST_OK;
  }
  for(;;) {
    const char *comma = memchr(rest.p, ',', rest.len);
    size_t len = comma ? (size_t)(comma - rest.p) : rest.len;
    struct str item = str_trim((struct str){ rest.p, len });
    int64_t v;
    for(i = 0; i < item.len; i++) {
      if(item.p[i] < '0' || item.p[i] > '9') {
        return ST_INVALID; /* no sign, no "+7", no "7d" */
      }
    }
    if(out->n == REMIND_MAX_OFFSETS ||
       str_to_i64(item, 0, REMIND_MAX_DAYS, &v)) {
      return ST_INVALID;
    }
    for(i = 0; i < out->n; i++) {
      if(out->days[i] == (int)v) {
        return ST_INVALID;
      }
    }
    /* Insert in descending order. */
    for(i = 0; i < out->n && out->days[i] > (int)v; i++) {
    }
    for(j = out->n; j > i; j--) {
      out->days[j] = out->days[j - 1];
    }
    out->days[i] = (int)v;
    out->n++;
    if(!comma) {
      return ST_OK;
    }
    rest.len -= len + 1;
    rest.p = comma + 1;
  }
}

int remind_days_between(struct date a, struct date b)
{
  /* Asia/Taipei has no daylight saving: its midnights are 86400 s
   * apart. */
  return (int)((time_taipei_instant(b, 0) - time_taipei_instant(a, 0)) /
               86400);
}

struct date remind_date_add(struct date d, int n)
{
  return time_taipei_date(time_taipei_instant(d, 0) + (int64_t)n * 86400);
}

/* Append key to out. */
static void add_key(struct remind_keys *out, const char *key)
{
  size_t n = strlen(key);
  if(out->n < 3 && n < REMIND_KEY_MAX) {
    memcpy(out->key[out->n], key, n + 1);
    out->n++;
  }
}

void remind_keys_for(const struct remind_days *rd, struct date due,
                     struct date today, int is_owner, int is_ciso,
                     struct remind_keys *out)
{
  int left = remind_days_between(today, due);
  char key[REMIND_KEY_MAX];
  size_t i;
  memset(out, 0, sizeof(*out));
  if(left >= 0) {
    int best = -1;
    if(!is_owner) {
      return;
    }
    for(i = 0; i < rd->n; i++) {
      if(rd->days[i] >= left) {
        best = rd->days[i]; /* descending: the last one that fits */
      }
    }
    if(best >= 0) {
      snprintf(key, sizeof(key), "d%d", best);
      add_key(out, key);
    }
    return;
  }
  if(!is_owner && !is_ciso) {
    return;
  }
  snprintf(key, sizeof(key), "overdue:%04d-%02d-%02d", today.year % 10000,
           today.month, today.day);
  add_key(out, key);
  if(is_ciso && !is_owner) {
    add_key(out, "escalate");
  }
}

/* 1 if c may appear in a host name or address. */
static int host_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.';
}

enum status remind_check_base_url(const char *url)
{
  const char *host, *end, *port = NULL;
  size_t i;
  if(!url) {
    return ST_INVALID;
  }
  if(!strncmp(url, "http://", 7)) {
    host = url + 7;
  }
  else if(!strncmp(url, "https://", 8)) {
    host = url + 8;
  }
  else {
    return ST_INVALID;
  }
  end = host + strcspn(host, "/");
  if(host[0] == '[') {
    const char *close = memchr(host, ']', (size_t)(end - host));
    if(!close || close == host + 1) {
      return ST_INVALID;
    }
    for(i = 1; host + i < close; i++) {
      char c = host[i];
      if(!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F') || c == ':' || c == '.')) {
        return ST_INVALID;
      }
    }
    if(close + 1 < end) {
      if(close[1] != ':') {
        return ST_INVALID;
      }
      port = close + 2;
    }
  }
  else {
    const char *colon = memchr(host, ':', (size_t)(end - host));
    const char *stop = colon ? colon : end;
    if(stop == host || host[0] == '.' || host[0] == '-' || stop[-1] == '.') {
      return ST_INVALID;
    }
    for(i = 0; host + i < stop; i++) {
      if(!host_char(host[i])) {
        return ST_INVALID; /* '@' (a user), '?', '#', spaces … */
      }
    }
    port = colon ? colon + 1 : NULL;
  }
  if(port) {
    int64_t p;
    for(i = 0; port + i < end; i++) {
      if(port[i] < '0' || port[i] > '9') {
        return ST_INVALID;
      }
    }
    if(str_to_i64((struct str){ port, (size_t)(end - port) }, 1, 65535, &p)) {
      return ST_INVALID;
    }
  }
  for(i = 0; end[i]; i++) {
    char c = end[i];
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '~' ||
         c == '/' || c == '-')) {
      return ST_INVALID;
    }
    if(c == '/' && end[i + 1] == '/') {
      return ST_INVALID;
    }
  }
  return ST_OK;
}
