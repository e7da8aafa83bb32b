/*
 * ui_pages.h: handlers of the shell: embedded static assets and the
 * language switch.  Depends on http.
 */
#ifndef ISMS_UI_UI_PAGES_H
#define ISMS_UI_UI_PAGES_H

#include "http/route.h"

/* Declared parameters of /lang (to, next) and /static (v). */
extern const struct param_spec lang_params[];
extern const struct param_spec static_params[];

/* GET /static/{file}: an embedded asset, cached a year under ?v=hash. */
route_fn static_page;

/* POST /lang: set the language cookie and go back to the page. */
route_fn lang_page;

/* GET /api/v1/health: {"status":"ok"} while the server runs. */
route_fn health_api;

#endif
