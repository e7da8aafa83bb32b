/*
 * html.h: the one HTML writer.  Safe by default (STYLE.md C7): every %s
 * and %c argument of html_printf() is escaped (& < > " ' become entities);
 * raw text can only be a string literal (html_lit).  Depends on buf.h.
 */
#ifndef ISMS_CORE_HTML_H
#define ISMS_CORE_HTML_H

#include <stddef.h>

#include "buf.h"
#include "str.h"

struct html {
  struct buf out; /* the page so far; out.err is sticky */
};

/* Prepare h for a page of at most max bytes.  Free with html_free(). */
void html_init(struct html *h, size_t max);

/* Release h's memory. */
void html_free(struct html *h);

/* The page so far, NUL-terminated; owned by h. */
const char *html_cstr(const struct html *h);

/*
 * Append fmt with its arguments.  %s, %.*s and %c are HTML-escaped;
 * %d %i %u %ld %lu %lld %llu %zu %zd %x and %% work as in printf.  Any
 * other conversion is a bug: it sets ST_INVALID on the writer.
 */
void html_printf(struct html *h, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* Append the escaped bytes of s. */
void html_str(struct html *h, struct str s);

/* Append a string literal verbatim; only literals compile. */
#define html_lit(h, lit) html_raw_((h), "" lit, sizeof(lit) - 1)

/* Implementation of html_lit(); do not call directly. */
void html_raw_(struct html *h, const char *p, size_t n);

/* Append s percent-encoded for a URL path segment or query value
 * (unreserved characters stay; the result needs no HTML escaping). */
void html_urlarg(struct html *h, struct str s);

/*
 * Append a catalog template with each "%s" replaced by the next of the
 * n_args arguments; template text and arguments are all escaped.
 */
void html_template(struct html *h, const char *tmpl, size_t n_args,
                   const char *const *args);

/* Append s HTML-escaped into a buffer (for writers other than struct
 * html, such as the error page of the HTTP layer). */
void html_escape_into(struct buf *b, const char *s, size_t n);

#endif
