/*
 * routes.c: the one route table, assembled from every layer's and
 * feature's *_routes.def (STYLE.md C8).  The router enforces what each
 * entry declares.
 */
#include "http/route.h"
#include "features/accounts/accounts.h"
#include "features/agency/agency.h"
#include "features/assets/assets.h"
#include "features/assets/form5.h"
#include "features/assets/inventory.h"
#include "features/calendar/calendar.h"
#include "features/dashboard/dashboard.h"
#include "features/calendar/remind.h"
#include "features/risk/risk.h"
#include "features/evidence/evidence.h"
#include "features/incidents/incidents.h"
#include "features/kpi/kpi.h"
#include "registers/register_http.h"
#include "registers/register_io.h"
#include "registers/register_mask_pages.h"
#include "ui/ui_pages.h"

#define ROUTE(m, pat, fn, perm, flags, params, max_body, doc)                 \
  { m, pat, fn, perm, flags, params, max_body, doc },

const struct route routes[] = {
#include "ui/ui_routes.def"
#include "features/agency/agency_routes.def"
#include "features/accounts/accounts_routes.def"
#include "features/assets/assets_routes.def"
#include "features/assets/inventory_routes.def"
#include "features/assets/form5_routes.def"
#include "features/risk/risk_routes.def"
#include "features/incidents/incidents_routes.def"
#include "features/calendar/calendar_routes.def"
#include "features/dashboard/dashboard_routes.def"
#include "features/calendar/calendar_remind_routes.def"
#include "features/kpi/kpi_routes.def"
#include "registers/registers_routes.def"
};

#undef ROUTE

const size_t n_routes = sizeof(routes) / sizeof(routes[0]);
