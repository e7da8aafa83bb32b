/*
 * param.h: name/value pairs and uploaded files, as the form parsers
 * produce them and requests hold them.  Depends on core/str.h.
 */
#ifndef ISMS_HTTP_PARAM_H
#define ISMS_HTTP_PARAM_H

#include <stddef.h>

#include "core/str.h"

/* A name/value pair: header, cookie, query or form parameter. */
struct param {
  const char *name;  /* NUL-terminated, in the arena */
  const char *value; /* NUL-terminated, in the arena */
  size_t len;        /* bytes in value (values may hold NUL from forms) */
};

/* An uploaded file from a multipart form. */
struct upload {
  const char *name;     /* form field name */
  const char *filename; /* client's file name (never trusted for type) */
  struct str data;      /* the bytes, inside the request body */
};

#endif
