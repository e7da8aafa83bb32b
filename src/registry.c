/*
 * registry.c: every register, in navigation order.
 */
#include "features/accounts/accounts.h"
#include "features/agency/agency.h"
#include "features/assets/assets.h"
#include "features/calendar/calendar.h"
#include "features/drill/drill.h"
#include "features/incidents/incidents.h"
#include "features/intel/intel.h"
#include "features/kpi/kpi.h"
#include "features/risk/risk.h"
#include "registers/register.h"

const struct reg *const registers[] = {
  &reg_agency,        &reg_business,     &reg_policy,    &reg_goal_metric,
  &reg_org_unit,      &reg_member,       &reg_system,    &reg_asset,
  &reg_risk_campaign, &reg_risk,         &reg_risk_type, &reg_incident,
  &reg_ir_procedure,  &reg_drill,        &reg_intel,     &reg_intel_share,
  &reg_duty,          &reg_pw_exception, &reg_outage,
};

const size_t n_registers = sizeof(registers) / sizeof(registers[0]);
