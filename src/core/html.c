/*
 * html.c: escaping HTML writer with a small printf subset.
 */
#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void html_init(struct html *h, size_t max)
{
  buf_init(&h->out, max);
}

void html_free(struct html *h)
{
  buf_free(&h->out);
}

const char *html_cstr(const struct html *h)
{
  return h->out.data;
}

void html_escape_into(struct buf *b, const char *s, size_t n)
{
  /* 1 for the five characters that become entities. */
  static const unsigned char special[256] = {
    ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
  };
  size_t i, run = 0;
  for(i = 0; i < n; i++) {
    const char *ent;
    if(!special[(unsigned char)s[i]]) {
      continue;
    }
    switch(s[i]) {
    case '&':
      ent = "&amp;";
      break;
    case '<':
      ent = "&lt;";
      break;
    case '>':
      ent = "&gt;";
      break;
    case '"':
      ent = "&quot;";
      break;
    default:
      ent = "&#39;";
      break;
    }
    buf_append(b, s + run, i - run);
    buf_puts(b, ent);
    run = i + 1;
  }
  buf_append(b, s + run, n - run);
}

void html_str(struct html *h, struct str s)
{
  html_escape_into(&h->out, s.p, s.len);
}

void html_raw_(struct html *h, const char *p, size_t n)
{
  buf_append(&h->out, p, n);
}

void html_urlarg(struct html *h, struct str s)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t i;
  for(i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.p[i];
    if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
       c == '~') {
      buf_putc(&h->out, (char)c);
    }
    else {
      char t[3] = { '%', hex[c >> 4], hex[c & 15] };
      buf_append(&h->out, t, 3);
    }
  }
}

/* Append v in base 10 or 16 (lower case), with a '-' when negative. */
static void put_number(struct buf *b, unsigned long long v, unsigned base,
                       int negative)
{
  static const char digits[] = "0123456789abcdef";
  char t[24];
  size_t i = sizeof(t);
  do {
    t[--i] = digits[v % base];
    v /= base;
  } while(v);
  if(negative) {
    t[--i] = '-';
  }
  buf_append(b, t + i, sizeof(t) - i);
}

void html_printf(struct html *h, const char *fmt, ...)
{
  va_list ap;
  const char *p = fmt, *run = fmt;

  va_start(ap, fmt);
  while(*p) {
    int lng = 0, prec = -1;
    char conv;
    if(*p != '%') {
      p++;
      continue;
    }
    buf_append(&h->out, run, (size_t)(p - run));
    p++;
    if(p[0] == '.' && p[1] == '*') {
      prec = va_arg(ap, int);
      p += 2;
    }
    while(*p == 'l') {
      lng++;
      p++;
    }
    if(*p == 'z') {
      lng = 3;
      p++;
    }
    conv = *p;
    if(conv) {
      p++;
    }
    run = p;
    switch(conv) {
    case '%':
      buf_putc(&h->out, '%');
      break;
    case 's': {
      const char *s;
      size_t n;
      if(lng) {
        goto bad; /* %ls would read a wide string as bytes */
      }
      s = va_arg(ap, const char *);
      if(!s) {
        s = "";
      }
      n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
      html_escape_into(&h->out, s, n);
      break;
    }
    case 'c': {
      char c;
      if(lng || prec >= 0) {
        goto bad;
      }
      c = (char)va_arg(ap, int);
      html_escape_into(&h->out, &c, 1);
      break;
    }
    case 'd':
    case 'i': {
      long long v;
      if(prec >= 0) {
        goto bad;
      }
      v = lng == 0 ? va_arg(ap, int) :
          lng == 1 ? va_arg(ap, long) :
          lng == 2 ? va_arg(ap, long long) :
                     (long long)va_arg(ap, ssize_t);
      put_number(&h->out,
                 v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v, 10,
                 v < 0);
      break;
    }
    case 'u':
    case 'x': {
      unsigned long long v;
      if(prec >= 0) {
        goto bad;
      }
      v = lng == 0 ? va_arg(ap, unsigned) :
          lng == 1 ? va_arg(ap, unsigned long) :
          lng == 2 ? va_arg(ap, unsigned long long) :
                     va_arg(ap, size_t);
      put_number(&h->out, v, conv == 'u' ? 10 : 16, 0);
      break;
    }
    default:
      goto bad;
    }
  }
  buf_append(&h->out, run, (size_t)(p - run));
  va_end(ap);
  return;
bad:
  /* An unsupported conversion is a programming error. */
  if(!h->out.err) {
    h->out.err = ST_INVALID;
  }
  va_end(ap);
}

void html_template(struct html *h, const char *tmpl, size_t n_args,
                   const char *const *args)
{
  const char *p = tmpl;
  size_t used = 0;
  for(;;) {
    const char *q = strstr(p, "%s");
    if(!q) {
      html_escape_into(&h->out, p, strlen(p));
      return;
    }
    html_escape_into(&h->out, p, (size_t)(q - p));
    if(used < n_args && args[used]) {
      html_escape_into(&h->out, args[used], strlen(args[used]));
    }
    used++;
    p = q + 2;
  }
}
