/*
 * form.c: parsers for application/x-www-form-urlencoded bodies and query
 * strings, multipart/form-data bodies (RFC 7578, RFC 2046) and the Cookie
 * header.  Input is a struct str that is never modified and never read
 * past its length; results are NUL-terminated copies in the caller's
 * arena, except upload data, which points into the input.  Every name and
 * value handed out is valid UTF-8 (STYLE.md C4: checked at the edge).
 *
 * Each parser appends to arrays the caller may already hold: it counts
 * first, allocates one new array in the arena, copies the old entries and
 * fills the rest.  On failure the caller's arrays and counts are left
 * unchanged (arena memory used so far stays until arena_reset()).
 *
 * Depends on core/arena, core/str, core/utf8 and core/status.
 */
#include "form.h"

#include <stdint.h>
#include <string.h>

#include "core/utf8.h"

#define FORM_BOUNDARY_MAX    70   /* RFC 2046 section 5.1.1 */
#define FORM_HEADER_LINE_MAX 1024 /* bytes in one part header line */

/* The empty view returned by form_boundary() when there is none. */
static const char no_boundary[] = "";

static int is_ows(char c)
{
  return c == ' ' || c == '\t';
}

static int to_lower(int c)
{
  if(c >= 'A' && c <= 'Z') {
    return c - 'A' + 'a';
  }
  return c;
}

/* 1 if s equals the lower-case NUL-terminated lit, ignoring ASCII case. */
static int eq_nocase(struct str s, const char *lit)
{
  size_t i;

  for(i = 0; i < s.len; i++) {
    if(!lit[i] || to_lower((unsigned char)s.p[i]) != lit[i]) {
      return 0;
    }
  }
  return lit[i] == 0;
}

/* s without leading and trailing spaces and tabs. */
static struct str trim_ows(struct str s)
{
  while(s.len && is_ows(s.p[0])) {
    s.p++;
    s.len--;
  }
  while(s.len && is_ows(s.p[s.len - 1])) {
    s.len--;
  }
  return s;
}

/*
 * The bytes of in from *pos up to the next sep, or up to the end; *pos
 * moves past the separator.  Requires *pos < in.len.
 */
static struct str next_piece(struct str in, size_t *pos, char sep)
{
  const char *start = in.p + *pos;
  size_t left = in.len - *pos;
  const char *end = memchr(start, sep, left);
  struct str s;

  s.p = start;
  s.len = end ? (size_t)(end - start) : left;
  *pos += s.len + (end ? 1 : 0);
  return s;
}

/*
 * Allocate room for n_old + n_new entries of size sz in a and copy the
 * n_old entries of old into it.  NULL when the arena cap is hit or the
 * size overflows.
 */
static void *grow_array(struct arena *a, const void *old, size_t n_old,
                        size_t n_new, size_t sz)
{
  size_t total = n_old + n_new;
  void *arr;

  if(total < n_old || total > SIZE_MAX / sz) {
    return NULL;
  }
  arr = arena_alloc(a, total * sz);
  if(!arr) {
    return NULL;
  }
  if(n_old) {
    memcpy(arr, old, n_old * sz);
  }
  return arr;
}

/* ---- application/x-www-form-urlencoded ---- */

static int hex_value(char c)
{
  if(c >= '0' && c <= '9') {
    return c - '0';
  }
  if(c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if(c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/*
 * Percent-decode s ('+' is a space) into a NUL-terminated copy in a,
 * returned in *out with its length in *out_len.  ST_INVALID for a bad
 * escape or a result that is not UTF-8; ST_TOOBIG when the arena cap is
 * hit.
 */
static enum status url_decode(struct str s, struct arena *a, char **out,
                              size_t *out_len)
{
  unsigned char *d = arena_alloc(a, s.len + 1);
  size_t i, j = 0;

  if(!d) {
    return ST_TOOBIG;
  }
  for(i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.p[i];
    if(c == '+') {
      c = ' ';
    }
    else if(c == '%') {
      int hi, lo;
      if(s.len - i < 3) {
        return ST_INVALID;
      }
      hi = hex_value(s.p[i + 1]);
      lo = hex_value(s.p[i + 2]);
      if(hi < 0 || lo < 0) {
        return ST_INVALID;
      }
      c = (unsigned char)(hi * 16 + lo);
      i += 2;
    }
    d[j++] = c;
  }
  d[j] = 0;
  *out = (char *)d;
  *out_len = j;
  if(!utf8_valid((struct str){ *out, j }, NULL)) {
    return ST_INVALID;
  }
  return ST_OK;
}

enum status form_parse_urlencoded(struct str in, struct arena *a,
                                  struct param **out, size_t *n, size_t max)
{
  struct param *arr;
  size_t count = 0, k, pos = 0;

  while(pos < in.len) {
    if(next_piece(in, &pos, '&').len) {
      count++;
    }
  }
  if(!count) {
    return ST_OK;
  }
  if(*n > max || count > max - *n) {
    return ST_TOOBIG;
  }
  arr = grow_array(a, *out, *n, count, sizeof(*arr));
  if(!arr) {
    return ST_TOOBIG;
  }
  k = *n;
  pos = 0;
  while(pos < in.len) {
    struct str seg = next_piece(in, &pos, '&');
    struct str name = seg, value = { seg.p, 0 };
    const char *eq;
    char *dec_name, *dec_value;
    size_t name_len, value_len;
    enum status st;

    if(!seg.len) {
      continue;
    }
    eq = memchr(seg.p, '=', seg.len);
    if(eq) {
      name.len = (size_t)(eq - seg.p);
      value.p = eq + 1;
      value.len = seg.len - name.len - 1;
    }
    st = url_decode(name, a, &dec_name, &name_len);
    if(st) {
      return st;
    }
    if(memchr(dec_name, 0, name_len)) {
      return ST_INVALID; /* names are C strings */
    }
    st = url_decode(value, a, &dec_value, &value_len);
    if(st) {
      return st;
    }
    arr[k].name = dec_name;
    arr[k].value = dec_value;
    arr[k].len = value_len;
    k++;
  }
  *out = arr;
  *n = k;
  return ST_OK;
}

/* ---- Cookie header ---- */

/*
 * Split one piece of a Cookie header into name and value.  0 for a piece
 * to skip: no '=', an empty name, a NUL in the name, or bytes that are
 * not UTF-8.  A value in double quotes loses the quotes.
 */
static int cookie_split(struct str piece, struct str *name, struct str *value)
{
  const char *eq;

  piece = trim_ows(piece);
  eq = piece.len ? memchr(piece.p, '=', piece.len) : NULL;
  if(!eq) {
    return 0;
  }
  name->p = piece.p;
  name->len = (size_t)(eq - piece.p);
  value->p = eq + 1;
  value->len = piece.len - name->len - 1;
  *name = trim_ows(*name);
  *value = trim_ows(*value);
  if(value->len >= 2 && value->p[0] == '"' &&
     value->p[value->len - 1] == '"') {
    value->p++;
    value->len -= 2;
  }
  if(!name->len || memchr(name->p, 0, name->len)) {
    return 0;
  }
  return utf8_valid(*name, NULL) && utf8_valid(*value, NULL);
}

enum status form_parse_cookies(struct str in, struct arena *a,
                               struct param **out, size_t *n, size_t max)
{
  struct param *arr;
  struct str name, value;
  size_t count = 0, k, pos = 0;

  while(pos < in.len) {
    if(cookie_split(next_piece(in, &pos, ';'), &name, &value)) {
      count++;
    }
  }
  if(!count) {
    return ST_OK;
  }
  if(*n > max || count > max - *n) {
    return ST_TOOBIG;
  }
  arr = grow_array(a, *out, *n, count, sizeof(*arr));
  if(!arr) {
    return ST_TOOBIG;
  }
  k = *n;
  pos = 0;
  while(pos < in.len) {
    if(!cookie_split(next_piece(in, &pos, ';'), &name, &value)) {
      continue;
    }
    arr[k].name = arena_strndup(a, name.p, name.len);
    arr[k].value = arena_strndup(a, value.p, value.len);
    arr[k].len = value.len;
    if(!arr[k].name || !arr[k].value) {
      return ST_TOOBIG;
    }
    k++;
  }
  *out = arr;
  *n = k;
  return ST_OK;
}

/* ---- Content-Type boundary ---- */

/* 1 for the characters RFC 2046 allows in a boundary (bchars). */
static int is_bchar(char c)
{
  if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
     (c >= '0' && c <= '9')) {
    return 1;
  }
  return c != 0 && strchr("'()+_,-./:=? ", c) != NULL;
}

/*
 * Read a parameter value of a header at s[*pos]: a quoted string (the
 * view excludes the quotes and still holds any backslash escapes;
 * *is_quoted is set) or a token ending at ';', white space or the end.
 * ST_INVALID for an unterminated quoted string.
 */
static enum status param_value(struct str s, size_t *pos, struct str *value,
                               int *is_quoted)
{
  size_t i = *pos, start;

  if(i < s.len && s.p[i] == '"') {
    start = ++i;
    while(i < s.len && s.p[i] != '"') {
      if(s.p[i] == '\\' && i + 1 < s.len) {
        i++;
      }
      i++;
    }
    if(i == s.len) {
      return ST_INVALID;
    }
    value->p = s.p + start;
    value->len = i - start;
    *is_quoted = 1;
    *pos = i + 1;
    return ST_OK;
  }
  start = i;
  while(i < s.len && s.p[i] != ';' && !is_ows(s.p[i])) {
    i++;
  }
  value->p = s.p + start;
  value->len = i - start;
  *is_quoted = 0;
  *pos = i;
  return ST_OK;
}

/*
 * Read "; name=value" at s[*pos] (after optional white space) into *name
 * and *value.  Returns ST_NOTFOUND at the end of s and ST_INVALID for
 * bad syntax.
 */
static enum status next_param(struct str s, size_t *pos, struct str *name,
                              struct str *value, int *is_quoted)
{
  size_t i = *pos, start;
  enum status st;

  while(i < s.len && is_ows(s.p[i])) {
    i++;
  }
  if(i == s.len) {
    return ST_NOTFOUND;
  }
  if(s.p[i] != ';') {
    return ST_INVALID;
  }
  i++;
  while(i < s.len && is_ows(s.p[i])) {
    i++;
  }
  if(i == s.len) {
    return ST_NOTFOUND; /* a trailing ';' is tolerated */
  }
  start = i;
  while(i < s.len && s.p[i] != '=' && s.p[i] != ';' && !is_ows(s.p[i])) {
    i++;
  }
  name->p = s.p + start;
  name->len = i - start;
  while(i < s.len && is_ows(s.p[i])) {
    i++;
  }
  if(!name->len || i == s.len || s.p[i] != '=') {
    return ST_INVALID;
  }
  i++;
  while(i < s.len && is_ows(s.p[i])) {
    i++;
  }
  st = param_value(s, &i, value, is_quoted);
  *pos = i;
  return st;
}

/*
 * Read the media type at the start of s (after white space), up to ';',
 * white space or the end; *pos moves past it.
 */
static struct str media_type(struct str s, size_t *pos)
{
  size_t i = *pos, start;
  struct str t;

  while(i < s.len && is_ows(s.p[i])) {
    i++;
  }
  start = i;
  while(i < s.len && s.p[i] != ';' && !is_ows(s.p[i])) {
    i++;
  }
  t.p = s.p + start;
  t.len = i - start;
  *pos = i;
  return t;
}

struct str form_boundary(const char *content_type)
{
  struct str none = { no_boundary, 0 };
  struct str ct = str_c(content_type), found = none;
  struct str name, value;
  size_t pos = 0, i;
  int is_quoted, has_boundary = 0;
  enum status st;

  if(!eq_nocase(media_type(ct, &pos), "multipart/form-data")) {
    return none;
  }
  for(;;) {
    st = next_param(ct, &pos, &name, &value, &is_quoted);
    if(st == ST_NOTFOUND) {
      break;
    }
    if(st) {
      return none;
    }
    if(eq_nocase(name, "boundary")) {
      if(has_boundary) {
        return none; /* two boundaries: ambiguous */
      }
      has_boundary = 1;
      found = value;
    }
  }
  if(!found.len || found.len > FORM_BOUNDARY_MAX ||
     found.p[found.len - 1] == ' ') {
    return none;
  }
  for(i = 0; i < found.len; i++) {
    if(!is_bchar(found.p[i])) {
      return none;
    }
  }
  return found;
}

/* ---- multipart/form-data ---- */

/* One body part as found in the input; all views point into it. */
struct part {
  struct str name;     /* name parameter, escapes not yet removed */
  int name_quoted;     /* 1 if name was a quoted string */
  struct str filename; /* filename parameter, escapes not yet removed */
  int filename_quoted; /* 1 if filename was a quoted string */
  int has_filename;    /* 1 if there was a filename parameter */
  int has_name;        /* 1 if there was a name parameter */
  struct str data;     /* the part's body */
};

/*
 * Where a walk over the parts puts them.  While counting (a == NULL) only
 * the counts move; then the arrays are filled from the old counts on.
 */
struct mp_out {
  struct arena *a;        /* NULL while counting */
  struct param *params;   /* filled while not counting */
  size_t n_params;        /* params so far, old ones included */
  struct upload *uploads; /* filled while not counting */
  size_t n_uploads;       /* uploads so far, old ones included */
  size_t max;             /* cap on n_params + n_uploads */
};

/*
 * Copy a parameter value into a, NUL-terminated, removing the backslash
 * of \" and \\ when it was quoted (other backslashes stay, for Windows
 * paths).  NULL when the arena cap is hit.
 */
static char *unquote(struct arena *a, struct str s, int is_quoted)
{
  char *d = arena_alloc(a, s.len + 1);
  size_t i, j = 0;

  if(!d) {
    return NULL;
  }
  for(i = 0; i < s.len; i++) {
    if(is_quoted && s.p[i] == '\\' && i + 1 < s.len &&
       (s.p[i + 1] == '"' || s.p[i + 1] == '\\')) {
      i++;
    }
    d[j++] = s.p[i];
  }
  d[j] = 0;
  return d;
}

/* Parse the value of a Content-Disposition header into part. */
static enum status parse_disposition(struct str v, struct part *part)
{
  struct str name, value;
  size_t pos = 0;
  int is_quoted;
  enum status st;

  if(!eq_nocase(media_type(v, &pos), "form-data")) {
    return ST_INVALID;
  }
  for(;;) {
    st = next_param(v, &pos, &name, &value, &is_quoted);
    if(st == ST_NOTFOUND) {
      break;
    }
    if(st) {
      return st;
    }
    if(eq_nocase(name, "name")) {
      if(part->has_name) {
        return ST_INVALID;
      }
      part->has_name = 1;
      part->name = value;
      part->name_quoted = is_quoted;
    }
    else if(eq_nocase(name, "filename")) {
      if(part->has_filename) {
        return ST_INVALID;
      }
      part->has_filename = 1;
      part->filename = value;
      part->filename_quoted = is_quoted;
    }
    /* anything else, filename* included (RFC 7578 4.2), is ignored */
  }
  if(!part->has_name) {
    return ST_INVALID;
  }
  return ST_OK;
}

/* Parse one header line of a part (without its CRLF). */
static enum status parse_header(struct str line, struct part *part,
                                int *has_disposition)
{
  struct str name, value;
  const char *colon;
  size_t i;

  for(i = 0; i < line.len; i++) {
    unsigned char c = (unsigned char)line.p[i];
    if((c < 0x20 && c != '\t') || c == 0x7f) {
      return ST_INVALID;
    }
  }
  colon = memchr(line.p, ':', line.len);
  if(!colon) {
    return ST_INVALID;
  }
  name.p = line.p;
  name.len = (size_t)(colon - line.p);
  if(!name.len || memchr(name.p, ' ', name.len) ||
     memchr(name.p, '\t', name.len)) {
    return ST_INVALID;
  }
  if(!eq_nocase(name, "content-disposition")) {
    return ST_OK; /* Content-Type and others are not used */
  }
  if(*has_disposition) {
    return ST_INVALID;
  }
  *has_disposition = 1;
  value.p = colon + 1;
  value.len = line.len - name.len - 1;
  return parse_disposition(trim_ows(value), part);
}

/*
 * Parse the headers of the part p (between a boundary line and the next
 * delimiter) and find its body.
 */
static enum status parse_part(struct str p, struct part *part)
{
  size_t pos = 0;
  int has_disposition = 0;
  enum status st;

  memset(part, 0, sizeof(*part));
  for(;;) {
    size_t window = p.len - pos;
    const char *crlf;
    struct str line;

    if(window > FORM_HEADER_LINE_MAX + 2) {
      window = FORM_HEADER_LINE_MAX + 2;
    }
    crlf = window ? memmem(p.p + pos, window, "\r\n", 2) : NULL;
    if(!crlf) {
      return ST_INVALID; /* line too long, or no blank line */
    }
    line.p = p.p + pos;
    line.len = (size_t)(crlf - line.p);
    pos += line.len + 2;
    if(!line.len) {
      break;
    }
    st = parse_header(line, part, &has_disposition);
    if(st) {
      return st;
    }
  }
  if(!has_disposition) {
    return ST_INVALID;
  }
  part->data.p = p.p + pos;
  part->data.len = p.len - pos;
  return ST_OK;
}

/* Check one part and count it, or copy it into out. */
static enum status emit_part(struct mp_out *out, const struct part *part)
{
  if(!utf8_valid(part->name, NULL)) {
    return ST_INVALID;
  }
  if(part->has_filename) {
    struct upload *u;
    if(!part->filename.len) {
      return ST_OK; /* filename="": no file was chosen */
    }
    if(!utf8_valid(part->filename, NULL)) {
      return ST_INVALID;
    }
    if(out->n_params + out->n_uploads >= out->max) {
      return ST_TOOBIG;
    }
    if(out->a) {
      u = &out->uploads[out->n_uploads];
      u->name = unquote(out->a, part->name, part->name_quoted);
      u->filename = unquote(out->a, part->filename, part->filename_quoted);
      u->data = part->data;
      if(!u->name || !u->filename) {
        return ST_TOOBIG;
      }
    }
    out->n_uploads++;
    return ST_OK;
  }
  if(!utf8_valid(part->data, NULL)) {
    return ST_INVALID;
  }
  if(out->n_params + out->n_uploads >= out->max) {
    return ST_TOOBIG;
  }
  if(out->a) {
    struct param *prm = &out->params[out->n_params];
    prm->name = unquote(out->a, part->name, part->name_quoted);
    prm->value = arena_strndup(out->a, part->data.p, part->data.len);
    prm->len = part->data.len;
    if(!prm->name || !prm->value) {
      return ST_TOOBIG;
    }
  }
  out->n_params++;
  return ST_OK;
}

/*
 * Walk every part of in, delimited by delim ("\r\n--" boundary, dlen
 * bytes), and pass each one to emit_part().
 */
static enum status walk_parts(struct str in, const char *delim, size_t dlen,
                              struct mp_out *out)
{
  const char *hit;
  size_t pos;
  enum status st;

  /* the first boundary opens the body or follows a preamble */
  if(in.len >= dlen - 2 && !memcmp(in.p, delim + 2, dlen - 2)) {
    pos = dlen - 2;
  }
  else {
    hit = memmem(in.p, in.len, delim, dlen);
    if(!hit) {
      return ST_INVALID;
    }
    pos = (size_t)(hit - in.p) + dlen;
  }
  for(;;) {
    struct part part;
    size_t end;

    /* pos is just past "--boundary" */
    if(in.len - pos >= 2 && in.p[pos] == '-' && in.p[pos + 1] == '-') {
      return ST_OK; /* the close delimiter; the epilogue is ignored */
    }
    while(pos < in.len && is_ows(in.p[pos])) {
      pos++; /* transport padding */
    }
    if(in.len - pos < 2 || in.p[pos] != '\r' || in.p[pos + 1] != '\n') {
      return ST_INVALID;
    }
    pos += 2;
    hit = memmem(in.p + pos, in.len - pos, delim, dlen);
    if(!hit) {
      return ST_INVALID; /* no final boundary */
    }
    end = (size_t)(hit - in.p);
    st = parse_part((struct str){ in.p + pos, end - pos }, &part);
    if(st) {
      return st;
    }
    st = emit_part(out, &part);
    if(st) {
      return st;
    }
    pos = end + dlen;
  }
}

enum status form_parse_multipart(struct str in, struct str boundary,
                                 struct arena *a, struct param **params,
                                 size_t *n_params, struct upload **uploads,
                                 size_t *n_uploads, size_t max)
{
  char delim[4 + FORM_BOUNDARY_MAX];
  size_t dlen = boundary.len + 4;
  struct mp_out out;
  enum status st;

  if(!boundary.len || boundary.len > FORM_BOUNDARY_MAX || !in.len) {
    return ST_INVALID;
  }
  memcpy(delim, "\r\n--", 4);
  memcpy(delim + 4, boundary.p, boundary.len);

  /* first pass: check everything and count */
  memset(&out, 0, sizeof(out));
  out.n_params = *n_params;
  out.n_uploads = *n_uploads;
  out.max = max;
  if(*n_params > max || *n_uploads > max - *n_params) {
    return ST_TOOBIG;
  }
  st = walk_parts(in, delim, dlen, &out);
  if(st) {
    return st;
  }

  /* second pass: copy into arrays of the exact size */
  out.a = a;
  out.params = *params;
  out.uploads = *uploads;
  if(out.n_params > *n_params) {
    out.params = grow_array(a, *params, *n_params, out.n_params - *n_params,
                            sizeof(*out.params));
    if(!out.params) {
      return ST_TOOBIG;
    }
  }
  if(out.n_uploads > *n_uploads) {
    out.uploads = grow_array(a, *uploads, *n_uploads,
                             out.n_uploads - *n_uploads, sizeof(*out.uploads));
    if(!out.uploads) {
      return ST_TOOBIG;
    }
  }
  out.n_params = *n_params;
  out.n_uploads = *n_uploads;
  st = walk_parts(in, delim, dlen, &out);
  if(st) {
    return st;
  }
  *params = out.params;
  *n_params = out.n_params;
  *uploads = out.uploads;
  *n_uploads = out.n_uploads;
  return ST_OK;
}
