/*
 * incidents_registers.c: the declaration of the incident register (plan
 * 壹拾): what a reporter knows and what the report needs.  Its free text
 * (title, description, measures, scope, cause ...) may name the people an
 * incident touched, so personal data in it is masked before it is stored
 * (FF_MASK, issue 7); the reporter, the contact and the response team are
 * the agency's own people the notification must name, and are kept.  The level, the
 * steps and the timeline are the feature's own tables (incident_store.c);
 * a closed incident is locked until it is reopened.
 */
#include "incidents.h"
#include "auth/roles.h"

#define N(a)      (sizeof(a) / sizeof((a)[0]))
#define TEXT_MAX  200
#define LONG_MAX_ 20000

static const struct field incident_fields[] = {
  { "title", FT_TEXT, M_F_IR_TITLE, M_H_IR_TITLE,
    FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT | FF_MASK, 0, TEXT_MAX, NULL,
    NULL },
  { "aware_at", FT_DATETIME, M_F_IR_AWARE, M_H_IR_AWARE,
    FF_REQUIRED | FF_LIST | FF_SORT, 0, 0, NULL, NULL },
  { "occurred_at", FT_DATETIME, M_F_IR_OCCURRED, M_DATETIME_HINT, 0, 0, 0,
    NULL, NULL },
  { "reporter", FT_TEXT, M_F_IR_REPORTER, M_NONE, FF_LIST | FF_SEARCH, 0, 100,
    NULL, NULL },
  { "contact", FT_TEXT, M_F_IR_CONTACT, M_NONE, 0, 0, TEXT_MAX, NULL, NULL },
  { "description", FT_LONGTEXT, M_F_IR_DESC, M_NONE,
    FF_REQUIRED | FF_SEARCH | FF_MASK, 0, LONG_MAX_, NULL, NULL },
  { "systems", FT_REFS, M_F_IR_SYSTEMS, M_NONE, FF_LIST | FF_FILTER, 0, 0,
    NULL, "system" },
  { "businesses", FT_REFS, M_F_IR_BUSINESSES, M_NONE, FF_FILTER, 0, 0, NULL,
    "business" },
  { "response_team", FT_LONGTEXT, M_F_IR_TEAM, M_NONE, 0, 0, 4000, NULL,
    NULL },
  { "measures", FT_LONGTEXT, M_F_IR_MEASURES, M_NONE, FF_SEARCH | FF_MASK, 0,
    LONG_MAX_, NULL, NULL },
  { "support_needed", FT_LONGTEXT, M_F_IR_SUPPORT, M_NONE, FF_MASK, 0, 4000,
    NULL, NULL },
  { "other", FT_LONGTEXT, M_F_IR_OTHER, M_NONE, FF_MASK, 0, 4000, NULL, NULL },
  { "impact_scope", FT_LONGTEXT, M_F_IR_SCOPE, M_NONE, FF_MASK, 0, LONG_MAX_,
    NULL, NULL },
  { "root_cause", FT_LONGTEXT, M_F_IR_ROOT, M_NONE, FF_SEARCH | FF_MASK, 0,
    LONG_MAX_, NULL, NULL },
  { "prevention", FT_LONGTEXT, M_F_IR_PREVENT, M_NONE, FF_MASK, 0, LONG_MAX_,
    NULL, NULL },
  { "follow_up", FT_LONGTEXT, M_F_IR_FOLLOW, M_NONE, FF_MASK, 0, LONG_MAX_,
    NULL, NULL },
};

const struct reg reg_incident = {
  "incident",
  M_R_INCIDENT,
  M_I_INCIDENT,
  M_S_INCIDENT,
  10,
  incident_fields,
  N(incident_fields),
  "title",
  "aware_at",
  NULL,
  NULL,
  AREA_INCIDENT,
  incident_links,
  incident_detail,
  incident_locked,
};
