/*
 * dashboard.h: the CISO's view of the programme (plan 肆, 伍 資通安全長之
 * 督導及績效管理, 壹拾伍): each plan chapter's duties on track, due soon
 * or overdue, the next 30 days, the goals' KPI tiles, the open incidents
 * with their clocks and the highest risks; every tile leads to the
 * records behind it.  Each part shows only what the account may read.
 * Depends on features calendar, incidents, risk and kpi, and on ui.
 */
#ifndef ISMS_FEATURES_DASHBOARD_DASHBOARD_H
#define ISMS_FEATURES_DASHBOARD_DASHBOARD_H

#include "http/route.h"

route_fn dashboard_page;

#endif
