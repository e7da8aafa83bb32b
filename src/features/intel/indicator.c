/*
 * indicator.c: classify one line of threat indicators (indicator.h).
 * The line is first copied with its defanging undone into a buffer on
 * the stack (the user's text is never changed), then tried as each
 * kind in turn, the narrowest first: CVE identifier, hash, IPv4, IPv6,
 * URL, domain.  A hash of 32, 40 or 64 hex digits cannot be a domain (no
 * dot) and an address cannot be a domain (the top-level label must hold
 * a letter), so the order decides nothing but speed.
 */
#include "indicator.h"

#include <arpa/inet.h>
#include <string.h>

/* ---- character classes (ASCII; no locale) ---- */

static int is_digit(unsigned char c)
{
  return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(unsigned char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned char lower(unsigned char c)
{
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* 1 if s[0..n) starts with the lower-case ASCII word w, any case. */
static int has_word(const char *s, size_t n, const char *w)
{
  size_t i, len = strlen(w);
  if(n < len) {
    return 0;
  }
  for(i = 0; i < len; i++) {
    if(lower((unsigned char)s[i]) != (unsigned char)w[i]) {
      return 0;
    }
  }
  return 1;
}

/* ---- defanging ---- */

/* The defanged spellings and what they stand for. */
static const struct {
  const char *from; /* lower case */
  const char *to;
} fangs[] = {
  { "[.]", "." },   { "(.)", "." },   { "{.}", "." },     { "[dot]", "." },
  { "(dot)", "." }, { "{dot}", "." }, { "[://]", "://" }, { "[:]", ":" },
};

/* Copy s[0..n) into out (IOC_LINE_MAX + 1 bytes) with defanging undone;
 * the length, or (size_t)-1 when it does not fit. */
static size_t refang(const char *s, size_t n, char *out)
{
  size_t i = 0, o = 0, k;
  if(has_word(s, n, "hxxp")) {
    memcpy(out, "http", 4);
    i = o = 4;
  }
  else if(has_word(s, n, "fxp")) {
    memcpy(out, "ftp", 3);
    i = o = 3;
  }
  while(i < n) {
    const char *to = NULL;
    size_t used = 1, to_len;
    for(k = 0; k < sizeof(fangs) / sizeof(fangs[0]); k++) {
      if(has_word(s + i, n - i, fangs[k].from)) {
        to = fangs[k].to;
        used = strlen(fangs[k].from);
        break;
      }
    }
    to_len = to ? strlen(to) : 1;
    if(o + to_len > IOC_LINE_MAX) {
      return (size_t)-1;
    }
    memcpy(out + o, to ? to : s + i, to_len);
    o += to_len;
    i += used;
  }
  out[o] = 0;
  return o;
}

/* ---- the kinds ---- */

/* CVE-YYYY-NNNN…: the year from 1999 (the first CVE identifiers), four
 * to nineteen digits after it (the format of 2014 has no upper bound;
 * 19 keeps it a 64-bit number). */
static int is_cve(const char *s, size_t n)
{
  size_t i, digits = 0;
  if(n < 13 || !has_word(s, n, "cve-")) {
    return 0;
  }
  for(i = 4; i < 8; i++) {
    if(!is_digit((unsigned char)s[i])) {
      return 0;
    }
  }
  if(memcmp(s + 4, "1999", 4) < 0 || s[8] != '-') {
    return 0;
  }
  for(i = 9; i < n; i++, digits++) {
    if(!is_digit((unsigned char)s[i])) {
      return 0;
    }
  }
  return digits >= 4 && digits <= 19;
}

static enum ioc_kind hash_kind(const char *s, size_t n)
{
  size_t i;
  if(n != 32 && n != 40 && n != 64) {
    return IOC_NONE;
  }
  for(i = 0; i < n; i++) {
    if(!is_hex((unsigned char)s[i])) {
      return IOC_NONE;
    }
  }
  return n == 32 ? IOC_MD5 : n == 40 ? IOC_SHA1 : IOC_SHA256;
}

/* A decimal number in [0, max] without a leading zero (1 to 3 digits). */
static int is_small_number(const char *s, size_t n, unsigned max)
{
  unsigned v = 0;
  size_t i;
  if(n == 0 || n > 3 || (n > 1 && s[0] == '0')) {
    return 0;
  }
  for(i = 0; i < n; i++) {
    if(!is_digit((unsigned char)s[i])) {
      return 0;
    }
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  return v <= max;
}

/* Four dotted octets without leading zeros (010 would be octal to some
 * tools and decimal to others). */
static int is_ipv4(const char *s, size_t n)
{
  size_t i = 0, part;
  for(part = 0; part < 4; part++) {
    size_t start = i;
    while(i < n && s[i] != '.') {
      i++;
    }
    if(!is_small_number(s + start, i - start, 255)) {
      return 0;
    }
    if(part < 3) {
      if(i == n) {
        return 0; /* fewer than four */
      }
      i++; /* the dot */
    }
  }
  return i == n;
}

/* An address, optionally "/prefix" with prefix in [0, max]; is_addr
 * checks the part before it. */
static int with_prefix(const char *s, size_t n, unsigned max,
                       int (*is_addr)(const char *, size_t))
{
  const char *slash = memchr(s, '/', n);
  if(!slash) {
    return is_addr(s, n);
  }
  return is_small_number(slash + 1, n - (size_t)(slash + 1 - s), max) &&
         is_addr(s, (size_t)(slash - s));
}

/* IPv6 as inet_pton() reads it (which also takes a dotted IPv4 tail). */
static int is_ipv6(const char *s, size_t n)
{
  char tmp[64];
  unsigned char addr[16];
  if(n < 2 || n >= sizeof(tmp) || !memchr(s, ':', n)) {
    return 0;
  }
  memcpy(tmp, s, n);
  tmp[n] = 0;
  return inet_pton(AF_INET6, tmp, addr) == 1;
}

/* One label of a domain: 1 to 63 bytes of letters, digits, hyphens and
 * (except in the top-level label) UTF-8 bytes of an IDN, not starting or
 * ending with a hyphen. */
static int is_label(const char *s, size_t n, int top)
{
  size_t i, letters = 0;
  if(n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-') {
    return 0;
  }
  if(top && has_word(s, n, "xn--")) {
    top = 0; /* an IDN top-level label in punycode */
    letters = 1;
  }
  for(i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if(is_alpha(c)) {
      letters++;
    }
    else if(is_digit(c) || c == '-') {
      if(top) {
        return 0; /* a top-level label is letters only */
      }
    }
    else if(c < 0x80 || top) {
      return 0;
    }
  }
  return !top || letters >= 2;
}

/* Two labels at least, a final dot allowed, 253 bytes at most. */
static int is_domain(const char *s, size_t n)
{
  size_t i = 0, labels = 0;
  if(n && s[n - 1] == '.') {
    n--;
  }
  if(n == 0 || n > 253) {
    return 0;
  }
  while(i <= n) {
    size_t start = i;
    const char *dot = memchr(s + i, '.', n - i);
    size_t end = dot ? (size_t)(dot - s) : n;
    if(!is_label(s + start, end - start, !dot)) {
      return 0;
    }
    labels++;
    i = end + 1;
  }
  return labels >= 2;
}

/* A host of a URL: a domain, an IPv4 address or "[IPv6]", then
 * optionally ":port" (1 to 65535). */
static int is_host_port(const char *s, size_t n)
{
  const char *colon;
  size_t host_len = n;
  if(n && s[0] == '[') {
    const char *close = memchr(s, ']', n);
    if(!close || !is_ipv6(s + 1, (size_t)(close - s - 1))) {
      return 0;
    }
    host_len = (size_t)(close - s) + 1;
    if(host_len == n) {
      return 1;
    }
    colon = s + host_len;
    if(*colon != ':') {
      return 0;
    }
  }
  else {
    colon = memchr(s, ':', n);
    if(colon) {
      host_len = (size_t)(colon - s);
    }
    if(!is_ipv4(s, host_len) && !is_domain(s, host_len)) {
      return 0;
    }
    if(!colon) {
      return 1;
    }
  }
  {
    const char *port = colon + 1;
    size_t len = n - (size_t)(port - s), i;
    unsigned long v = 0;
    if(len == 0 || len > 5 || port[0] == '0') {
      return 0;
    }
    for(i = 0; i < len; i++) {
      if(!is_digit((unsigned char)port[i])) {
        return 0;
      }
      v = v * 10 + (unsigned long)(port[i] - '0');
    }
    return v <= 65535;
  }
}

/* scheme://host[:port][/path][?query][#fragment] with scheme http,
 * https or ftp; or host/path without a scheme (evil.example/login.php),
 * which only a path tells from a domain. */
static int is_url(const char *s, size_t n)
{
  static const char *const schemes[] = { "http://", "https://", "ftp://" };
  size_t i, start = 0, end;
  int has_scheme = 0;
  for(i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
    if(has_word(s, n, schemes[i])) {
      start = strlen(schemes[i]);
      has_scheme = 1;
      break;
    }
  }
  for(end = start; end < n; end++) {
    if(s[end] == '/' || s[end] == '?' || s[end] == '#') {
      break;
    }
  }
  if(!has_scheme && end == n) {
    return 0; /* no path: a plain host is a domain or an address */
  }
  if(memchr(s + start, '@', end - start)) {
    return 0; /* user information: not what an indicator list holds */
  }
  if(!has_scheme && is_ipv4(s, end)) {
    /* 192.0.2.1/admin is a URL, but 192.0.2.0/33 or 192.0.2.0/024 is a
     * mistyped network, not a path */
    i = end + 1;
    while(i < n && is_digit((unsigned char)s[i])) {
      i++;
    }
    return i < n;
  }
  return is_host_port(s + start, end - start);
}

enum ioc_kind ioc_classify(struct str line)
{
  char buf[IOC_LINE_MAX + 1];
  enum ioc_kind kind;
  size_t n, i;
  line = str_trim(line);
  if(line.len == 0 || line.len > IOC_LINE_MAX) {
    return IOC_NONE;
  }
  for(i = 0; i < line.len; i++) {
    unsigned char c = (unsigned char)line.p[i];
    if(c <= 0x20 || c == 0x7f) {
      return IOC_NONE;
    }
  }
  n = refang(line.p, line.len, buf);
  if(n == (size_t)-1 || n == 0) {
    return IOC_NONE;
  }
  if(is_cve(buf, n)) {
    return IOC_CVE;
  }
  if((kind = hash_kind(buf, n)) != IOC_NONE) {
    return kind;
  }
  if(with_prefix(buf, n, 32, is_ipv4)) {
    return IOC_IPV4;
  }
  if(with_prefix(buf, n, 128, is_ipv6)) {
    return IOC_IPV6;
  }
  if(is_url(buf, n)) {
    return IOC_URL;
  }
  if(is_domain(buf, n)) {
    return IOC_DOMAIN;
  }
  return IOC_NONE;
}

enum msg ioc_kind_label(enum ioc_kind kind)
{
  switch(kind) {
  case IOC_IPV4:
    return M_IOC_IPV4;
  case IOC_IPV6:
    return M_IOC_IPV6;
  case IOC_DOMAIN:
    return M_IOC_DOMAIN;
  case IOC_URL:
    return M_IOC_URL;
  case IOC_MD5:
    return M_IOC_MD5;
  case IOC_SHA1:
    return M_IOC_SHA1;
  case IOC_SHA256:
    return M_IOC_SHA256;
  case IOC_CVE:
    return M_IOC_CVE;
  case IOC_NONE:
    break;
  }
  return M_NONE;
}

int ioc_next_line(struct str *rest, struct str *line, size_t *lineno)
{
  while(rest->len) {
    const char *nl = memchr(rest->p, '\n', rest->len);
    size_t len = nl ? (size_t)(nl - rest->p) : rest->len;
    struct str one = { rest->p, len };
    rest->p += nl ? len + 1 : len;
    rest->len -= nl ? len + 1 : len;
    (*lineno)++;
    one = str_trim(one);
    if(one.len) {
      *line = one;
      return 1;
    }
  }
  return 0;
}
