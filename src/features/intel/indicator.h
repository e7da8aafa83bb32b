/*
 * indicator.h: the threat indicators of an intelligence record (plan
 * 壹拾壹; 資通安全情資分享辦法 §7 「威脅指標特徵」), one per line: an IPv4
 * or IPv6 address (a /prefix allowed), a domain name, a URL, an MD5,
 * SHA-1 or SHA-256 hash, or a CVE identifier.  Analysts write them
 * "defanged" so that nobody opens them by accident (hxxp://,
 * example[.]com, 1.2.3[.]4, [:]); such a line is classified as what it
 * names and is kept exactly as typed: nothing here rewrites the user's
 * text.  Pure functions on string views: no allocation, no I/O.
 * Depends on core.
 */
#ifndef ISMS_FEATURES_INTEL_INDICATOR_H
#define ISMS_FEATURES_INTEL_INDICATOR_H

#include <stddef.h>

#include "core/i18n.h"
#include "core/str.h"

/* Longest line that can be an indicator, in bytes (a URL's usual
 * limit); a longer line is IOC_NONE. */
#define IOC_LINE_MAX 2048

enum ioc_kind {
  IOC_NONE = 0, /* not an indicator this register knows */
  IOC_IPV4,     /* 192.0.2.1 or 192.0.2.0/24 */
  IOC_IPV6,     /* 2001:db8::1 or 2001:db8::/32 */
  IOC_DOMAIN,   /* example.com (IDN labels allowed, the TLD ASCII) */
  IOC_URL,      /* http(s)/ftp URL, or host/path without a scheme */
  IOC_MD5,      /* 32 hex digits */
  IOC_SHA1,     /* 40 hex digits */
  IOC_SHA256,   /* 64 hex digits */
  IOC_CVE,      /* CVE-YYYY-NNNN (4 to 19 digits) */
};

/*
 * What line names, after ASCII white space around it is dropped and
 * defanging undone ("[.]" "(.)" "{.}" "[dot]" "(dot)" "{dot}" → ".",
 * "[:]" → ":", "[://]" → "://", a leading "hxxp" → "http" and "fxp" →
 * "ftp", any case).  White space or a control character inside, or more
 * than IOC_LINE_MAX bytes, is IOC_NONE.
 */
enum ioc_kind ioc_classify(struct str line);

/* The catalog label of kind (M_NONE for IOC_NONE). */
enum msg ioc_kind_label(enum ioc_kind kind);

/*
 * The next line of *rest that holds more than white space: *line gets
 * it trimmed, *lineno its 1-based number in the text *rest began (the
 * caller starts *lineno at 0), and *rest moves past it.  Returns 0 at
 * the end.  Lines end at LF; a CR before it is white space.
 */
int ioc_next_line(struct str *rest, struct str *line, size_t *lineno);

#endif
