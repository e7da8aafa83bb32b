/*
 * risk.h: plan 捌, forms 6 and 7: yearly risk assessment campaigns, the
 * risk register with its scoring, the CISO's acceptance bound to a
 * risk's content, the heat map and the risk register report.  Depends
 * on registers, auth, rules (the form 7 catalog) and ui.
 */
#ifndef ISMS_FEATURES_RISK_RISK_H
#define ISMS_FEATURES_RISK_RISK_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/status.h"
#include "http/route.h"
#include "registers/register.h"

struct db;

extern const struct reg reg_risk_campaign;
extern const struct reg reg_risk;

/* The scale of a campaign when it gives none: levels 1..3. */
#define RISK_DEFAULT_LEVELS 3

/* Parameter allow-list of the acceptance (risk_pages.c). */
extern const struct param_spec risk_accept_params[];

/* The risk value: likelihood × impact × asset value (0 when one of them
 * is below 1). */
int64_t risk_score(int64_t likelihood, int64_t impact, int64_t asset_value);

/*
 * 1 if a risk needs the CISO's acceptance: its treatment is "accept"
 * (treatment may be NULL), or its residual value (0: not assessed)
 * exceeds the campaign's threshold.
 */
int risk_needs_acceptance(const char *treatment, int64_t residual_value,
                          int64_t threshold);

/*
 * The zone of a heat-map cell (likelihood l, impact i) against the
 * threshold: 0 acceptable even for the most valuable asset (l × i × 3 ≤
 * threshold), 2 above it even for the least valuable (l × i > threshold),
 * else 1.
 */
int risk_zone(int64_t l, int64_t i, int64_t threshold);

/*
 * The content hash of a risk record: lower-case hex SHA-256 into
 * out[65] over the record's id and every field's name and value
 * (length-prefixed, so no two contents share a text).  Any change of a
 * field gives another hash; the version and times are not content.
 * Never allocates.
 */
void risk_content_hash(const struct record *rec, char out[65]);

/* Links from the register pages: a campaign's report, or the acceptance
 * state and form of a risk. */
void risk_campaign_links(struct req *r, int64_t id);
void risk_links(struct req *r, int64_t id);

/* The risk register report of a campaign with its heat map, and the
 * CISO's acceptance of a risk. */
route_fn risk_report_page, risk_accept_page;

/* Record the CISO's acceptances of demo data json (len bytes:
 * "risk_acceptances", each naming its risk by threat) after its
 * registers were loaded; the reason of a failure goes to why. */
enum status risk_load_demo(struct db *db, const char *json, size_t len,
                           const char *actor, struct buf *why);

#endif
