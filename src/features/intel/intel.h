/*
 * intel.h: plan 壹拾壹 (資通安全情資之評估及因應) and 資通安全情資分享辦法:
 * the threat intelligence the agency receives (register intel: source,
 * dates, the plan's four categories and the regulation's seven kinds,
 * indicators checked line by line, the assessment of impact and
 * acceptable risk, the response, the incidents and risks it concerns)
 * and what the agency shares with others (register intel_share: a
 * channel other than the designated platform needs approval, and every
 * sharing is confirmed free of what §4 forbids).  A record's page shows
 * the plan's response rule for its category, its indicators by kind and
 * its sharing records.  Depends on registers, features/incidents and
 * features/risk (referenced by name only), and ui.
 */
#ifndef ISMS_FEATURES_INTEL_INTEL_H
#define ISMS_FEATURES_INTEL_INTEL_H

#include <stdint.h>

#include "registers/register.h"

struct req;

extern const struct reg reg_intel;
extern const struct reg reg_intel_share;

/* The catalog sentence of plan 壹拾壹.二 for an intel category value
 * ("info", "intrusion", "sensitive", "core"), or M_NONE. */
enum msg intel_rule(const char *category);

/* The intel record page's facts (reg's detail hook): the response rule
 * of its category and its indicators with the kind of each line. */
void intel_detail(struct req *r, const struct record *rec);

/* The intel pages' links (reg's links hook): on a record, its sharing
 * records (count and list) and, for writers, a new one for it; on the
 * list, the sharing register. */
void intel_links(struct req *r, int64_t id);

#endif
