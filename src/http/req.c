/*
 * req.c: request accessors and response builders.
 */
#include "req.h"
#include "route.h"
#include "core/rand.h"

#include <string.h>
#include <strings.h>
#include <time.h>

int64_t req_clock_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void req_init(struct req *r)
{
  memset(r, 0, sizeof(*r));
  arena_init(&r->arena, REQ_ARENA_MAX);
  buf_init(&r->body, ROUTE_DEFAULT_BODY);
  html_init(&r->page, REQ_OUT_MAX);
  rand_hex(r->id, 8);
  r->started_us = req_clock_us();
  r->status = 200;
  r->ctype = "text/html; charset=utf-8";
  r->actor = "anonymous";
}

void req_free(struct req *r)
{
  arena_reset(&r->arena);
  buf_free(&r->body);
  html_free(&r->page);
}

static const char *find(const struct param *p, size_t n, const char *name,
                        int icase)
{
  size_t i;
  for(i = n; i-- > 0;) { /* the last one wins */
    if(icase ? strcasecmp(p[i].name, name) == 0 :
               strcmp(p[i].name, name) == 0) {
      return p[i].value;
    }
  }
  return NULL;
}

const char *req_path_param(const struct req *r, const char *name)
{
  return find(r->path_params, r->n_path_params, name, 0);
}

const char *req_param(const struct req *r, const char *name)
{
  return find(r->params, r->n_params, name, 0);
}

size_t req_param_all(const struct req *r, const char *name,
                     const char **values, size_t max)
{
  size_t i, n = 0;
  for(i = 0; i < r->n_params; i++) {
    if(strcmp(r->params[i].name, name) == 0) {
      if(n < max) {
        values[n] = r->params[i].value;
      }
      n++;
    }
  }
  return n;
}

const char *req_header(const struct req *r, const char *name)
{
  return find(r->headers, r->n_headers, name, 1);
}

const char *req_cookie(const struct req *r, const char *name)
{
  return find(r->cookies, r->n_cookies, name, 0);
}

const struct upload *req_upload(const struct req *r, const char *name)
{
  size_t i;
  for(i = 0; i < r->n_uploads; i++) {
    if(strcmp(r->uploads[i].name, name) == 0) {
      return &r->uploads[i];
    }
  }
  return NULL;
}

const char *req_t(const struct req *r, enum msg id)
{
  return msg_get(r->lang, id);
}

const char *req_t_fill(struct req *r, enum msg id, const char *arg)
{
  const char *text = msg_get(r->lang, id);
  const char *at = arg ? strstr(text, "%s") : NULL;
  const char *s;
  if(!arg) {
    return text;
  }
  if(at) {
    s =
      arena_printf(&r->arena, "%.*s%s%s", (int)(at - text), text, arg, at + 2);
  }
  else {
    /* A message that does not name it: the data follows. */
    s = r->lang == LANG_ZH ? arena_printf(&r->arena, "%s：「%s」", text, arg) :
                             arena_printf(&r->arena, "%s: “%s”", text, arg);
  }
  return s ? s : text;
}

enum status req_set_header(struct req *r, const char *name, const char *value)
{
  if(strpbrk(value, "\r\n") || strpbrk(name, "\r\n: ") ||
     r->n_resp_headers >=
       sizeof(r->resp_headers) / sizeof(r->resp_headers[0])) {
    return ST_INVALID;
  }
  r->resp_headers[r->n_resp_headers].name = name;
  r->resp_headers[r->n_resp_headers].value = value;
  r->n_resp_headers++;
  return ST_OK;
}

struct html *req_html(struct req *r, int status)
{
  buf_clear(&r->page.out);
  r->status = status;
  r->ctype = "text/html; charset=utf-8";
  return &r->page;
}

void req_json(struct req *r, int status, struct json *j)
{
  buf_clear(&r->page.out);
  r->status = status;
  r->ctype = "application/json";
  json_init(j, &r->page.out);
}

void req_json_end(struct req *r, struct json *j)
{
  if(!json_done(j) && !r->page.out.err) {
    r->page.out.err = ST_INTERNAL;
  }
  buf_putc(&r->page.out, '\n');
}

void req_bytes(struct req *r, int status, const char *ctype, const void *data,
               size_t len)
{
  buf_clear(&r->page.out);
  r->status = status;
  r->ctype = ctype;
  buf_append(&r->page.out, data, len);
}

int req_local_path(const char *p)
{
  const char *c;
  if(!p || p[0] != '/' || p[1] == '/') {
    return 0;
  }
  for(c = p; *c; c++) {
    /* Browsers drop tabs and newlines and read \ as /, so "/\t/x" or
     * "/\\x" would lead to another site. */
    if((unsigned char)*c <= ' ' || *c == 0x7f || *c == '\\') {
      return 0;
    }
  }
  return 1;
}

void req_redirect(struct req *r, const char *local_path)
{
  buf_clear(&r->page.out);
  if(!req_local_path(local_path) ||
     req_set_header(r, "Location", local_path)) {
    req_fail(r, ST_INTERNAL, M_ERR_INTERNAL);
    return;
  }
  r->status = 303;
}

void req_field_error(struct req *r, const char *field, enum msg msg,
                     const char *extra)
{
  if(r->n_errs < REQ_MAX_FIELD_ERRORS) {
    r->errs[r->n_errs].field = field;
    r->errs[r->n_errs].msg = msg;
    r->errs[r->n_errs].extra = extra;
    r->n_errs++;
  }
}

int req_wants_json(const struct req *r)
{
  const char *accept;
  if(r->route && (r->route->flags & ROUTE_JSON)) {
    return 1;
  }
  if(!r->route && r->path && strncmp(r->path, "/api/", 5) == 0) {
    return 1;
  }
  accept = req_header(r, "Accept");
  return accept && strstr(accept, "application/json") &&
         !strstr(accept, "text/html");
}

void req_fail(struct req *r, enum status st, enum msg msg)
{
  req_fail_code(r, status_http(st), st, msg);
}

/*
 * The page the request came from, as a path of this site ("/r/incident/3"),
 * when its Referer names this host (the header is sent same-origin only,
 * Referrer-Policy in server.c): for a link back to the form that was
 * refused.  NULL otherwise, or when it is the request's own path.
 */
static const char *back_path(const struct req *r)
{
  const char *ref = req_header(r, "Referer");
  const char *host = req_header(r, "Host");
  const char *p;
  size_t n;
  if(!ref || !host || !*host) {
    return NULL;
  }
  if(!strncmp(ref, "http://", 7)) {
    p = ref + 7;
  }
  else if(!strncmp(ref, "https://", 8)) {
    p = ref + 8;
  }
  else {
    return NULL;
  }
  n = strlen(host);
  if(strncmp(p, host, n) || p[n] != '/' || p[n + 1] == '/' ||
     p[n + 1] == '\\') {
    return NULL;
  }
  p += n;
  /* what a browser sends, percent-encoded; anything else is no link */
  if(p[strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "0123456789-._~:/?#[]@!$&()*+,;=%")]) {
    return NULL;
  }
  if(r->path && !strcmp(p, r->path)) {
    return NULL;
  }
  return p;
}

void req_fail_code(struct req *r, int code, enum status st, enum msg msg)
{
  if(req_wants_json(r)) {
    struct json j;
    size_t i;
    req_json(r, code, &j);
    json_obj_begin(&j);
    json_key_str(&j, "error", code == 401 ? "unauthorized" : status_name(st));
    json_key_str(&j, "message", req_t(r, msg));
    json_key_str(&j, "request", r->id);
    if(r->n_errs) {
      json_key(&j, "fields");
      json_arr_begin(&j);
      for(i = 0; i < r->n_errs; i++) {
        json_obj_begin(&j);
        json_key_str(&j, "field", r->errs[i].field);
        json_key_str(&j, "message",
                     req_t_fill(r, r->errs[i].msg, r->errs[i].extra));
        if(r->errs[i].extra) {
          json_key_str(&j, "detail", r->errs[i].extra);
        }
        json_obj_end(&j);
      }
      json_arr_end(&j);
    }
    json_obj_end(&j);
    req_json_end(r, &j);
    return;
  }
  {
    struct html *h = req_html(r, code);
    size_t i;
    html_printf(h,
                "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
                "<meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, "
                "initial-scale=1\">"
                "<title>%d %s</title><link rel=\"icon\" href=\"data:,\">"
                "<link rel=\"stylesheet\" href=\"/static/app.css\">"
                "</head><body><main class=\"error-page\">"
                "<h1>%d %s</h1>",
                lang_tag(r->lang), code, req_t(r, msg), code, req_t(r, msg));
    if(r->n_errs) {
      html_lit(h, "<ul class=\"errors\">");
      for(i = 0; i < r->n_errs; i++) {
        html_printf(h, "<li>%s%s%s</li>", r->errs[i].field,
                    r->errs[i].field[0] ? ": " : "",
                    req_t_fill(r, r->errs[i].msg, r->errs[i].extra));
      }
      html_lit(h, "</ul>");
    }
    html_printf(h, "<p>%s %s</p><p>", req_t(r, M_REQUEST_ID), r->id);
    {
      const char *back = back_path(r);
      if(back) {
        html_printf(h, "<a href=\"%s\">%s</a> · ", back,
                    req_t(r, M_BACK_PREV));
      }
    }
    html_printf(h, "<a href=\"/\">%s</a></p></main></body></html>\n",
                req_t(r, M_BACK_HOME));
  }
}
