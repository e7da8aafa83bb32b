/*
 * mail.c: RFC 5322 messages and the checks of mail addresses and relay
 * settings.  See mail.h.
 */
#include "mail.h"
#include "rand.h"
#include "str.h"
#include "utf8.h"

#include <string.h>
#include <time.h>

/* Longest line of the message, CRLF not counted (RFC 2045, 2047). */
#define LINE_MAX_ 76
/* Bytes of subject text in one encoded word: "Subject: " (9) plus
 * "=?UTF-8?B?" and "?=" (12) plus 52 base64 characters makes 73. */
#define WORD_BYTES 39
/* Bytes of body per base64 line: 57 bytes are 76 characters. */
#define BODY_BYTES 57

static const char b64chars[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Append n bytes of p to b in base64 (with padding). */
static void put_base64(struct buf *b, const unsigned char *p, size_t n)
{
  size_t i;
  for(i = 0; i + 2 < n; i += 3) {
    unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
    buf_putc(b, b64chars[v >> 18 & 63]);
    buf_putc(b, b64chars[v >> 12 & 63]);
    buf_putc(b, b64chars[v >> 6 & 63]);
    buf_putc(b, b64chars[v & 63]);
  }
  if(n - i == 1) {
    unsigned v = (unsigned)p[i] << 16;
    buf_putc(b, b64chars[v >> 18 & 63]);
    buf_putc(b, b64chars[v >> 12 & 63]);
    buf_puts(b, "==");
  }
  else if(n - i == 2) {
    unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
    buf_putc(b, b64chars[v >> 18 & 63]);
    buf_putc(b, b64chars[v >> 12 & 63]);
    buf_putc(b, b64chars[v >> 6 & 63]);
    buf_putc(b, '=');
  }
}

/* 1 when s holds a byte below 0x20 or DEL. */
static int has_control(const char *s)
{
  for(; *s; s++) {
    if((unsigned char)*s < 0x20 || *s == 0x7f) {
      return 1;
    }
  }
  return 0;
}

/* 1 for an RFC 5322 atext character (ASCII). */
static int is_atext(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* 1 for a letter or digit. */
static int is_alnum(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

/* Check host name s[0..n): dot-separated labels of letters, digits and
 * hyphens, no label empty or longer than 63 or edged by a hyphen. */
static enum status check_host(const char *s, size_t n)
{
  size_t i, label = 0;
  if(n == 0 || n > 253) {
    return ST_INVALID;
  }
  for(i = 0; i <= n; i++) {
    int c = i < n ? (unsigned char)s[i] : '.';
    if(c == '.') {
      if(label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-') {
        return ST_INVALID;
      }
      label = 0;
    }
    else if(is_alnum(c) || c == '-') {
      label++;
    }
    else {
      return ST_INVALID;
    }
  }
  return ST_OK;
}

enum status mail_check_address(const char *addr)
{
  const char *at;
  size_t i, local_len, n;
  if(!addr) {
    return ST_INVALID;
  }
  n = strlen(addr);
  at = strrchr(addr, '@');
  if(n > MAIL_ADDRESS_MAX || !at || has_control(addr)) {
    return ST_INVALID;
  }
  local_len = (size_t)(at - addr);
  if(local_len == 0 || local_len > 64 || addr[0] == '.' ||
     addr[local_len - 1] == '.') {
    return ST_INVALID;
  }
  for(i = 0; i < local_len; i++) {
    if(addr[i] == '.' ? addr[i + 1] == '.' : !is_atext(addr[i])) {
      return ST_INVALID;
    }
  }
  return check_host(at + 1, n - local_len - 1);
}

enum status mail_tls_parse(const char *word, enum mail_tls *out)
{
  if(!word) {
    return ST_INVALID;
  }
  if(!strcmp(word, "required")) {
    *out = MAIL_TLS_REQUIRED;
  }
  else if(!strcmp(word, "optional")) {
    *out = MAIL_TLS_OPTIONAL;
  }
  else if(!strcmp(word, "none")) {
    *out = MAIL_TLS_NONE;
  }
  else {
    return ST_INVALID;
  }
  return ST_OK;
}

enum status mail_check_relay(const char *relay)
{
  const char *host, *end, *colon;
  size_t i;
  if(!relay) {
    return ST_INVALID;
  }
  if(!strncmp(relay, "smtp://", 7)) {
    host = relay + 7;
  }
  else if(!strncmp(relay, "smtps://", 8)) {
    host = relay + 8;
  }
  else {
    return ST_INVALID;
  }
  end = host + strcspn(host, "/");
  if(*end && strcmp(end, "/")) {
    return ST_INVALID; /* a path would name the HELO domain: not ours */
  }
  if(host[0] == '[') {
    const char *close = memchr(host, ']', (size_t)(end - host));
    colon = close && close + 1 < end ? close + 1 : NULL;
    if(!close || (colon && *colon != ':')) {
      return ST_INVALID;
    }
  }
  else {
    colon = memchr(host, ':', (size_t)(end - host));
  }
  if(colon) {
    int64_t port;
    if(str_to_i64((struct str){ colon + 1, (size_t)(end - colon - 1) }, 1,
                  65535, &port)) {
      return ST_INVALID;
    }
    end = colon;
  }
  for(i = 0; host + i < end; i++) {
    if(host[i] == '@') {
      return ST_INVALID; /* credentials belong in mail-user/-password */
    }
  }
  if(end - host > 2 && host[0] == '[' && end[-1] == ']') {
    for(i = 1; host + i < end - 1; i++) {
      int c = (unsigned char)host[i];
      if(!(is_alnum(c) || c == ':' || c == '.')) {
        return ST_INVALID;
      }
    }
    return ST_OK;
  }
  return check_host(host, (size_t)(end - host));
}

/* Append "Subject: " and s as RFC 2047 encoded words of at most
 * WORD_BYTES bytes each, cut between UTF-8 sequences, one per line. */
static void put_subject(struct buf *b, const char *s)
{
  size_t n = strlen(s), pos = 0;
  buf_puts(b, "Subject:");
  if(n == 0) {
    buf_puts(b, "\r\n");
    return;
  }
  while(pos < n) {
    size_t take = n - pos < WORD_BYTES ? n - pos : WORD_BYTES;
    /* Never end a word inside a sequence: back up to a lead byte. */
    while(pos + take < n && ((unsigned char)s[pos + take] & 0xc0) == 0x80) {
      take--;
    }
    buf_puts(b, pos ? "\r\n =?UTF-8?B?" : " =?UTF-8?B?");
    put_base64(b, (const unsigned char *)s + pos, take);
    buf_puts(b, "?=");
    pos += take;
  }
  buf_puts(b, "\r\n");
}

/* Append the Date: header for t in Asia/Taipei (UTC+8, no DST). */
static void put_date(struct buf *b, int64_t t)
{
  static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
                                      "Thu", "Fri", "Sat" };
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
                                        "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec" };
  time_t local = (time_t)(t + 8 * 3600);
  struct tm tm;
  gmtime_r(&local, &tm);
  buf_appendf(b, "Date: %s, %d %s %04d %02d:%02d:%02d +0800\r\n",
              days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
              tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Append the body: CRLF line ends, then base64 in lines of 76. */
static void put_body(struct buf *b, const char *body, size_t max)
{
  struct buf text;
  size_t i;
  buf_init(&text, max);
  for(i = 0; body[i]; i++) {
    if(body[i] == '\n' && (i == 0 || body[i - 1] != '\r')) {
      buf_putc(&text, '\r');
    }
    buf_putc(&text, body[i]);
  }
  if(text.err) {
    b->err = text.err;
  }
  for(i = 0; i < text.len; i += BODY_BYTES) {
    size_t take = text.len - i < BODY_BYTES ? text.len - i : BODY_BYTES;
    put_base64(b, (const unsigned char *)text.data + i, take);
    buf_puts(b, "\r\n");
  }
  buf_free(&text);
}

enum status mail_build(const struct mail *m, struct buf *out, enum msg *why)
{
  size_t i, col;
  char id[33];
  *why = M_NONE;
  if(mail_check_address(m->from)) {
    *why = M_MAIL_BAD_FROM;
    return ST_INVALID;
  }
  if(m->n_to == 0) {
    *why = M_MAIL_NO_TO;
    return ST_INVALID;
  }
  for(i = 0; i < m->n_to; i++) {
    if(mail_check_address(m->to[i])) {
      *why = M_MAIL_BAD_TO;
      return ST_INVALID;
    }
  }
  if(!m->subject || has_control(m->subject) ||
     !utf8_valid(str_c(m->subject), NULL)) {
    *why = M_MAIL_BAD_SUBJECT;
    return ST_INVALID;
  }
  if(!m->body || !utf8_valid(str_c(m->body), NULL)) {
    *why = M_MAIL_BAD_BODY;
    return ST_INVALID;
  }
  put_date(out, m->date);
  buf_appendf(out, "From: %s\r\n", m->from);
  /* One address per line after the first, so no line passes 76. */
  buf_puts(out, "To:");
  col = 3;
  for(i = 0; i < m->n_to; i++) {
    size_t n = strlen(m->to[i]) + (i + 1 < m->n_to ? 1 : 0);
    if(i && col + 1 + n > LINE_MAX_) {
      buf_puts(out, "\r\n");
      col = 0;
    }
    buf_appendf(out, " %s%s", m->to[i], i + 1 < m->n_to ? "," : "");
    col += 1 + n;
  }
  buf_puts(out, "\r\n");
  put_subject(out, m->subject);
  rand_hex(id, (sizeof(id) - 1) / 2);
  buf_appendf(out, "Message-ID: <%s@%s>\r\n", id, strrchr(m->from, '@') + 1);
  buf_puts(out, "MIME-Version: 1.0\r\n"
                "Content-Type: text/plain; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: base64\r\n"
                "\r\n");
  put_body(out, m->body, out->max);
  return out->err ? out->err : ST_OK;
}
