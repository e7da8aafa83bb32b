/*
 * router.c: the one place where every request is checked.
 */
#include "router.h"
#include "form.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/rand.h"
#include "core/utf8.h"
#include "db/db.h"

#include <string.h>
#include <strings.h>

route_allow_fn *route_reg_allow;
route_guard_fn *route_guard;

/* Match one pattern against path; fills path params on success. */
static int match_pattern(const char *pat, const char *path, struct req *r)
{
  size_t n = 0;
  while(*pat && *path) {
    if(*pat == '{') {
      const char *close = strchr(pat, '}');
      const char *end = strchr(path, '/');
      size_t seg = end ? (size_t)(end - path) : strlen(path);
      size_t i, name_len;
      int is_id;
      CHECK(close != NULL);
      name_len = (size_t)(close - pat - 1);
      is_id = name_len == 2 && memcmp(pat + 1, "id", 2) == 0;
      if(seg == 0 || seg > 64 || n >= 4) {
        return 0;
      }
      for(i = 0; i < seg; i++) {
        char c = path[i];
        int ok = is_id ? (c >= '0' && c <= '9') :
                         ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                          c == '_' || c == '-' || c == '.');
        if(!ok) {
          return 0;
        }
      }
      if(is_id && (path[0] == '0' || seg > 18)) {
        return 0;
      }
      r->path_params[n].name = arena_strndup(&r->arena, pat + 1, name_len);
      r->path_params[n].value = arena_strndup(&r->arena, path, seg);
      if(!r->path_params[n].name || !r->path_params[n].value) {
        return 0;
      }
      r->path_params[n].len = seg;
      n++;
      pat = close + 1;
      path += seg;
      continue;
    }
    if(*pat != *path) {
      return 0;
    }
    pat++;
    path++;
  }
  if(*pat || *path) {
    return 0;
  }
  r->n_path_params = n;
  return 1;
}

static const char *method_name(enum http_method m)
{
  switch(m) {
  case HTTP_GET:
    return "GET, HEAD";
  case HTTP_POST:
    return "POST";
  case HTTP_PATCH:
    return "PATCH";
  case HTTP_PUT:
    return "PUT";
  case HTTP_DELETE:
    return "DELETE";
  default:
    return "";
  }
}

enum status router_match(struct req *r)
{
  size_t i, best_params = 99;
  int path_exists = 0;
  unsigned methods = 0;
  struct param best[4];
  /* The most specific pattern wins: /api/v1/health before
   * /api/v1/{reg}, whatever the order of the table. */
  r->route = NULL;
  for(i = 0; i < n_routes; i++) {
    const struct route *rt = &routes[i];
    if(!match_pattern(rt->pattern, r->path, r)) {
      continue;
    }
    methods |= 1u << rt->method;
    if(rt->method != r->method) {
      path_exists = 1;
      continue;
    }
    if(r->n_path_params < best_params) {
      best_params = r->n_path_params;
      r->route = rt;
      memcpy(best, r->path_params, sizeof(best));
    }
  }
  if(r->route) {
    r->n_path_params = best_params;
    memcpy(r->path_params, best, sizeof(best));
    return ST_OK;
  }
  r->n_path_params = 0;
  if(path_exists) {
    /* The Allow header of the 405 (RFC 9110 15.5.6). */
    struct buf b;
    enum http_method m;
    buf_init(&b, 128);
    for(m = HTTP_GET; m < HTTP_OTHER; m++) {
      if(methods & (1u << m)) {
        buf_puts(&b, b.len ? ", " : "");
        buf_puts(&b, method_name(m));
      }
    }
    r->allow = arena_strdup(&r->arena, b.data);
    buf_free(&b);
  }
  return path_exists ? ST_CONFLICT : ST_NOTFOUND;
}

size_t router_body_limit(const struct req *r)
{
  if(r->route && r->route->max_body) {
    return r->route->max_body;
  }
  return ROUTE_DEFAULT_BODY;
}

/* Constant-time comparison of two NUL-terminated tokens. */
static int token_eq(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b), i;
  unsigned char d = 0;
  if(la != lb || la == 0) {
    return 0;
  }
  for(i = 0; i < la; i++) {
    d |= (unsigned char)(a[i] ^ b[i]);
  }
  return d == 0;
}

/* 1 if the request comes from a page of ours (or from no browser page:
 * scripts send neither header). */
static int same_origin(const struct req *r)
{
  const char *site = req_header(r, "Sec-Fetch-Site");
  const char *origin = req_header(r, "Origin");
  const char *host = req_header(r, "Host");
  if(site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0) {
    return 0;
  }
  if(origin) {
    const char *rest;
    if(strncmp(origin, "http://", 7) == 0) {
      rest = origin + 7;
    }
    else if(strncmp(origin, "https://", 8) == 0) {
      rest = origin + 8;
    }
    else {
      return 0;
    }
    if(!host || strcmp(rest, host) != 0) {
      return 0;
    }
  }
  return 1;
}

/* The CSRF token of this client: from the cookie when it looks like one
 * of ours, else a new one that the response will set. */
static void load_csrf(struct req *r)
{
  const char *c = req_cookie(r, CSRF_COOKIE);
  size_t i;
  if(c && strlen(c) == 32) {
    for(i = 0; i < 32; i++) {
      if(!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'a' && c[i] <= 'f'))) {
        break;
      }
    }
    if(i == 32) {
      r->csrf = c;
      return;
    }
  }
  {
    char *t = arena_alloc(&r->arena, 33);
    if(t) {
      rand_hex(t, 16);
      r->csrf = t;
      r->new_csrf = 1;
    }
  }
}

static const struct param_spec *find_spec(const struct route *rt,
                                          const char *name)
{
  const struct param_spec *s;
  if(!rt->params) {
    return NULL;
  }
  for(s = rt->params; s->name; s++) {
    size_t n = strlen(s->name);
    if(n && s->name[n - 1] == '*') {
      if(strncmp(s->name, name, n - 1) == 0) {
        return s;
      }
    }
    else if(strcmp(s->name, name) == 0) {
      return s;
    }
  }
  return NULL;
}

/* Check one declared parameter's value; 0 when it is fine. */
static int bad_value(const struct param_spec *s, const struct param *p)
{
  size_t i;
  int64_t v;
  if(p->len > s->max_len) {
    return 1;
  }
  switch(s->type) {
  case PARAM_TEXT:
    /* A NUL would cut the value short unseen; other C0 controls but
     * tab and line breaks have no business in a form field. */
    for(i = 0; i < p->len; i++) {
      unsigned char c = (unsigned char)p->value[i];
      if(c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return 1;
      }
    }
    return 0;
  case PARAM_INT:
    return p->len > 0 &&
           str_to_i64((struct str){ p->value, p->len }, s->min, s->max, &v);
  case PARAM_WORD:
    for(i = 0; i < p->len; i++) {
      char c = p->value[i];
      if(!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-')) {
        return 1;
      }
    }
    return 0;
  }
  return 1;
}

/*
 * Keep only declared parameters (the CSRF field is always read); reject
 * invalid values with field errors.  Returns ST_INVALID when a declared
 * parameter is bad.
 */
static enum status filter_params(struct req *r)
{
  size_t i, kept = 0;
  enum status st = ST_OK;
  for(i = 0; i < r->n_params; i++) {
    struct param *p = &r->params[i];
    const struct param_spec *s = find_spec(r->route, p->name);
    int keep = s != NULL || strcmp(p->name, CSRF_FIELD) == 0;
    if(!s && !keep && (r->route->flags & ROUTE_REG_FIELDS) &&
       route_reg_allow && route_reg_allow(r, p->name)) {
      keep = 1;
    }
    if(s && bad_value(s, p)) {
      req_field_error(r, p->name, M_ERR_BAD_PARAM, NULL);
      st = ST_INVALID;
    }
    if(keep) {
      r->params[kept++] = *p;
    }
  }
  r->n_params = kept;
  return st;
}

/* Parse a form body into r->params; ST_INVALID, ST_TOOBIG or
 * ST_FORBIDDEN (a media type the route does not take). */
static enum status parse_body(struct req *r)
{
  const char *ct = req_header(r, "Content-Type");
  struct str body = { r->body.data, r->body.len };
  if(r->route->flags & ROUTE_JSON_BODY) {
    if(!ct || strncasecmp(ct, "application/json", 16) != 0) {
      return ST_FORBIDDEN;
    }
    if(!utf8_valid(body, NULL)) {
      return ST_INVALID;
    }
    return ST_OK;
  }
  if(r->route->flags & ROUTE_CSV_BODY) {
    /* The CSV reader checks UTF-8 and reports the line. */
    return ct && strncasecmp(ct, "text/csv", 8) == 0 ? ST_OK : ST_FORBIDDEN;
  }
  if(body.len == 0 && !ct) {
    return ST_OK;
  }
  if(ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
    return form_parse_urlencoded(body, &r->arena, &r->params, &r->n_params,
                                 REQ_MAX_PARAMS);
  }
  if(ct && (r->route->flags & ROUTE_UPLOAD) &&
     strncasecmp(ct, "multipart/form-data", 19) == 0) {
    struct str boundary = form_boundary(ct);
    if(boundary.len == 0) {
      return ST_INVALID;
    }
    return form_parse_multipart(body, boundary, &r->arena, &r->params,
                                &r->n_params, &r->uploads, &r->n_uploads,
                                REQ_MAX_PARAMS);
  }
  return ST_FORBIDDEN;
}

/* Answer a request that needs a signed-in account: the login page for
 * a browser's GET, else 401. */
static void need_login(struct req *r)
{
  if(r->method == HTTP_GET && !req_wants_json(r)) {
    struct html u, here;
    size_t i;
    /* Back to this very page after sign-in, its query (a search, a
     * filter) included. */
    html_init(&here, 8192);
    html_str(&here, str_c(r->path));
    for(i = 0; i < r->n_params; i++) {
      if(i) {
        html_lit(&here, "&");
      }
      else {
        html_lit(&here, "?");
      }
      html_urlarg(&here, str_c(r->params[i].name));
      html_lit(&here, "=");
      html_urlarg(&here, (struct str){ r->params[i].value, r->params[i].len });
    }
    html_init(&u, 16384);
    html_lit(&u, "/login?next=");
    html_urlarg(&u, here.out.err ? str_c(r->path) : str_c(html_cstr(&here)));
    html_free(&here);
    if(r->expired) {
      html_lit(&u, "&expired=1");
    }
    {
      /* The Location header keeps a pointer: copy into the arena. */
      const char *loc =
        u.out.err ? NULL : arena_strdup(&r->arena, html_cstr(&u));
      html_free(&u);
      req_redirect(r, loc ? loc : "/login");
    }
    return;
  }
  req_fail_code(r, 401, ST_FORBIDDEN,
                r->expired ? M_ERR_SESSION_ENDED : M_ERR_LOGIN);
  if(req_wants_json(r)) {
    /* Scripts sign in with an API token (RFC 6750). */
    req_set_header(r, "WWW-Authenticate", "Bearer realm=\"isms\"");
  }
}

/* Check the CSRF token of a state change; 0 when it is good. */
static int bad_csrf(struct req *r)
{
  const struct route *rt = r->route;
  const char *sent = req_param(r, CSRF_FIELD);
  const char *hdr = req_header(r, "X-CSRF-Token");
  if(r->via_token) {
    return 0; /* a bearer token is not sent by browsers on their own */
  }
  if(!same_origin(r)) {
    return 1;
  }
  if(!r->csrf || r->new_csrf) {
    return 1;
  }
  if(token_eq(hdr ? hdr : "", r->csrf)) {
    return 0;
  }
  /* A form carries the token as a field; a JSON or CSV body cannot, so
   * for those the header is required. */
  if(rt->flags & (ROUTE_JSON_BODY | ROUTE_CSV_BODY)) {
    return 1;
  }
  return !token_eq(sent ? sent : "", r->csrf);
}

static void dispatch(struct req *r);

void router_dispatch(struct req *r)
{
  /* The reads of a GET, the session check's included, see one snapshot;
   * what the check must write waits until after it (r->after). */
  if(r->method == HTTP_GET && r->db && db_read_begin(r->db)) {
    req_fail(r, ST_DB, M_ERR_INTERNAL);
    return;
  }
  dispatch(r);
  if(r->method == HTTP_GET && r->db) {
    db_read_end(r->db);
  }
  if(r->after) {
    r->after(r);
  }
}

static void dispatch(struct req *r)
{
  const struct route *rt = r->route;
  enum status st;
  enum guard g = GUARD_LOGIN;
  const char *lang = req_cookie(r, "lang");

  r->lang = lang && strcmp(lang, "en") == 0 ? LANG_EN : LANG_ZH;
  CHECK(rt != NULL);
  /* Permission: never zero; decided by the authentication hook. */
  CHECK(rt->perm != PERM_INVALID);
  if(route_guard) {
    g = route_guard(r);
  }
  else if(rt->perm == PERM_PUBLIC) {
    g = GUARD_ALLOW;
  }
  if(!r->csrf) {
    load_csrf(r);
  }
  switch(g) {
  case GUARD_ALLOW:
    break;
  case GUARD_LOGIN:
    need_login(r);
    return;
  case GUARD_DENY:
    req_fail(r, ST_FORBIDDEN, M_ERR_FORBIDDEN);
    return;
  case GUARD_STEP:
    if(r->method == HTTP_GET && !req_wants_json(r) && r->step) {
      req_redirect(r, r->step);
    }
    else {
      req_fail(r, ST_FORBIDDEN, M_ERR_STEP_OWED);
    }
    return;
  case GUARD_FAILED:
    return;
  }
  if(r->method != HTTP_GET) {
    st = parse_body(r);
    if(st == ST_FORBIDDEN) {
      req_fail(r, ST_INVALID, M_ERR_CONTENT_TYPE);
      r->status = 415;
      return;
    }
    if(st == ST_TOOBIG) {
      req_fail(r, ST_TOOBIG, M_ERR_TOO_BIG);
      return;
    }
    if(st) {
      req_fail(r, ST_INVALID, M_ERR_BAD_UTF8);
      return;
    }
    /* CSRF on every state change: same origin, and this session's token
     * (before sign-in, the token of the CSRF cookie). */
    if(bad_csrf(r)) {
      req_fail(r, ST_FORBIDDEN, M_ERR_CSRF);
      return;
    }
  }
  if(filter_params(r)) {
    req_fail(r, ST_INVALID, M_ERR_BAD_PARAM);
    return;
  }
  rt->handler(r);
  if(r->page.out.err) {
    log_msg(LOG_ERR, "response for %s failed: %s", r->path,
            status_name(r->page.out.err));
    req_fail(r, ST_INTERNAL, M_ERR_INTERNAL);
  }
}
