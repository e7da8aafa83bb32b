/*
 * form.h: parsers for request bodies and query strings:
 * application/x-www-form-urlencoded and multipart/form-data, and the
 * Cookie header.  Input is never modified; results live in the arena.
 * Both have fuzz targets (tests/fuzz).  Depends on core.
 */
#ifndef ISMS_HTTP_FORM_H
#define ISMS_HTTP_FORM_H

#include <stddef.h>

#include "core/arena.h"
#include "core/status.h"
#include "core/str.h"
#include "param.h"

/*
 * Parse "a=1&b=%E5%8F%B0+x" into at most max pairs appended to
 * (*out, *n).  Names and values are percent-decoded ('+' is a space).
 * ST_INVALID for a bad %-escape or a decoded value that is not valid
 * UTF-8; ST_TOOBIG past max pairs or when the arena cap is hit.
 */
enum status form_parse_urlencoded(struct str in, struct arena *a,
                                  struct param **out, size_t *n, size_t max);

/*
 * Parse a multipart/form-data body with the given boundary.  Text parts
 * become params (UTF-8 checked); parts with a filename become uploads
 * whose data points into in.  ST_INVALID for malformed input.
 */
enum status form_parse_multipart(struct str in, struct str boundary,
                                 struct arena *a, struct param **params,
                                 size_t *n_params, struct upload **uploads,
                                 size_t *n_uploads, size_t max);

/* The boundary parameter of a multipart Content-Type, or an empty
 * view. */
struct str form_boundary(const char *content_type);

/* Parse a Cookie header "a=1; b=2" into at most max pairs. */
enum status form_parse_cookies(struct str in, struct arena *a,
                               struct param **out, size_t *n, size_t max);

#endif
