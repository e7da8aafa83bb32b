/*
 * ui_pages.h: handlers of the shell: embedded static assets and the
 * language switch.  Depends on http.
 */
#ifndef ISMS_UI_UI_PAGES_H
#define ISMS_UI_UI_PAGES_H

#include "http/route.h"

extern const struct param_spec lang_params[];
extern const struct param_spec static_params[];

route_fn static_page, lang_page, health_api;

#endif
