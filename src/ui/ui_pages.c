/*
 * ui_pages.c: static assets (compiled in, cached for a year under a
 * content-hash URL, ETag revalidation otherwise) and the language switch.
 */
#include "ui_pages.h"
#include "core/embed.h"

#include <string.h>

const struct param_spec lang_params[] = {
  { "to", PARAM_WORD, 2, 0, 0 },
  { "next", PARAM_TEXT, 2000, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

const struct param_spec static_params[] = {
  { "v", PARAM_WORD, 16, 0, 0 },
  { NULL, 0, 0, 0, 0 },
};

static const char *type_of(const char *name)
{
  const char *dot = strrchr(name, '.');
  if(dot && !strcmp(dot, ".css")) {
    return "text/css; charset=utf-8";
  }
  if(dot && !strcmp(dot, ".js")) {
    return "text/javascript; charset=utf-8";
  }
  if(dot && !strcmp(dot, ".svg")) {
    return "image/svg+xml";
  }
  if(dot && !strcmp(dot, ".ico")) {
    return "image/x-icon";
  }
  return "application/octet-stream";
}

void static_page(struct req *r)
{
  const char *name = req_path_param(r, "file");
  const struct embedded_file *f =
    name ? embed_find(embedded_assets, n_embedded_assets, name) : NULL;
  const char *inm = req_header(r, "If-None-Match");
  const char *etag;

  if(!f) {
    req_fail(r, ST_NOTFOUND, M_ERR_NOT_FOUND);
    return;
  }
  etag = arena_printf(&r->arena, "\"%s\"", f->etag);
  req_set_header(r, "ETag", etag);
  req_set_header(r, "Cache-Control",
                 req_param(r, "v") ? "public, max-age=31536000, immutable" :
                                     "public, max-age=300");
  if(inm && etag && !strcmp(inm, etag)) {
    req_bytes(r, 304, type_of(f->name), "", 0);
    return;
  }
  req_bytes(r, 200, type_of(f->name), f->data, f->len);
}

void lang_page(struct req *r)
{
  const char *to = req_param(r, "to");
  const char *next = req_param(r, "next");
  int en = to && !strcmp(to, "en");
  req_set_header(r, "Set-Cookie",
                 en ? "lang=en; Path=/; Max-Age=31536000; SameSite=Strict" :
                      "lang=zh; Path=/; Max-Age=31536000; SameSite=Strict");
  /* Only a local path: never an open redirect. */
  if(!req_local_path(next)) {
    next = "/";
  }
  req_redirect(r, next);
}

void health_api(struct req *r)
{
  struct json j;
  req_json(r, 200, &j);
  json_obj_begin(&j);
  json_key_str(&j, "status", "ok");
  json_obj_end(&j);
  req_json_end(r, &j);
}
