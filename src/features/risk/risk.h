/*
 * risk.h: plan 捌, forms 6 and 7: yearly risk assessment campaigns, the
 * risk register with its scoring, the CISO's acceptance bound to a
 * risk's content, the heat map and the risk register report; form 7 as
 * the shipped reference entries plus the agency's own risk types, with
 * its catalog page.  Depends on registers, auth, rules (the form 7
 * catalog, the 附表十 families) and ui.
 */
#ifndef ISMS_FEATURES_RISK_RISK_H
#define ISMS_FEATURES_RISK_RISK_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/status.h"
#include "http/route.h"
#include "registers/register.h"

struct db;

extern const struct reg reg_risk_campaign;
extern const struct reg reg_risk;
extern const struct reg reg_risk_type;

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

/* ---- form 7: the reference entries and the agency's risk types ---- */

/* One entry of form 7 as the pages show it: a reference entry shipped
 * in data/rules/risk_catalog.json, or an agency risk type (a risk_type
 * record).  Strings live for the process or in the arena given. */
struct risk_cat {
  const char *id;            /* "R01" …, or "A" and the record id */
  int64_t type_id;           /* the risk_type record, 0 for a shipped one */
  int is_archived;           /* 1 for an archived risk type */
  const char *type;          /* 風險類型 */
  const char *threat;        /* 威脅 */
  const char *vulnerability; /* 弱點, or NULL */
  unsigned asset_classes;    /* RC_ASSET_* bits (rules/riskcat.h) */
  const char **measures;     /* 風險對策, n_measures of them */
  const char **families;     /* each measure's 附表十 family (zh-TW), or
                                NULL for a general measure */
  size_t n_measures;         /* entries in measures and families */
};

/*
 * The risk_type record id named by an agency catalog id: "A" followed
 * by the decimal id without sign or leading zero ("A1", "A27"); 0 for
 * anything else ("A0", "A01", "a1", "A1 ", "R01", NULL, beyond int64).
 * Never allocates.
 */
int64_t risk_type_id_parse(const char *s);

/*
 * The entry of form 7 that id names, archived or not: a shipped entry
 * (texts in lang) or the agency risk type of an A-id.  ST_NOTFOUND for
 * any other id; ST_DB or ST_NOMEM on failure.  Strings and arrays of
 * *out live in a (or for the process).
 */
enum status risk_cat_get(struct db *db, const char *id, enum lang lang,
                         struct arena *a, struct risk_cat *out);

/*
 * The one rule of which ids a risk's catalog field may name: ST_OK for
 * the id of a shipped entry or of an agency risk type that exists and
 * is not archived; ST_FORBIDDEN for an archived risk type; ST_NOTFOUND
 * for anything else; ST_DB or ST_NOMEM on failure.  Temporary memory
 * comes from a.
 */
enum status risk_cat_allowed(struct db *db, const char *id, struct arena *a);

/*
 * The catalog page's entries: the shipped ones in file order, then the
 * agency risk types that are not archived, by id; only those that apply
 * to asset_bit (one RC_ASSET_* bit; 0 for all).  *out lives in a;
 * *n_ref and *n_agency count the two kinds.
 */
enum status risk_cat_list(struct db *db, unsigned asset_bit, enum lang lang,
                          struct arena *a, struct risk_cat **out,
                          size_t *n_ref, size_t *n_agency);

/* Parameter allow-list of the catalog page (risk_catalog_pages.c). */
extern const struct param_spec risk_catalog_params[];

/* Links from the register pages: a campaign's report; the catalog, the
 * campaign's report and the acceptance form of a risk; a risk type's
 * catalog id and the catalog. */
void risk_campaign_links(struct req *r, int64_t id);
void risk_links(struct req *r, int64_t id);
void risk_type_links(struct req *r, int64_t id);

/* What a risk's page shows after its fields (reg_risk's detail hook):
 * its acceptance state and the countermeasures its catalog entry
 * suggests, so that both print. */
void risk_detail(struct req *r, const struct record *rec);

/* The countermeasures the catalog entry id suggests, as a <dt>/<dd> pair
 * of a risk's record page (nothing when id is NULL or names no entry). */
void risk_cat_suggest(struct req *r, const char *id);

/* The risk register report of a campaign with its heat map, the CISO's
 * acceptance of a risk, and the form 7 catalog page. */
route_fn risk_report_page, risk_accept_page, risk_catalog_page;

/* Record the CISO's acceptances of demo data json (len bytes:
 * "risk_acceptances", each naming its risk by threat) after its
 * registers were loaded; the reason of a failure goes to why. */
enum status risk_load_demo(struct db *db, const char *json, size_t len,
                           const char *actor, struct buf *why);

#endif
