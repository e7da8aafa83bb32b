/*
 * assets.h: plan 柒 and 捌: the information-system register, the asset
 * register (form 5), protection-need grading (附表九) and the 附表十
 * baseline per system.  Depends on registers, auth, rules and ui.
 */
#ifndef ISMS_FEATURES_ASSETS_ASSETS_H
#define ISMS_FEATURES_ASSETS_ASSETS_H

#include "core/buf.h"
#include "http/route.h"
#include "registers/register.h"

extern const struct reg reg_system;
extern const struct reg reg_asset;

/* Parameter allow-lists (assets_pages.c). */
extern const struct param_spec grading_params[];
extern const struct param_spec grading_decide_params[];
extern const struct param_spec baseline_params[];

/* Load the "gradings" and "controls" of demo data json (len bytes) as
 * actor, after its registers were loaded; the reason of a failure goes
 * to why. */
enum status assets_load_demo(struct db *db, const char *json, size_t len,
                             const char *actor, struct buf *why);

/* Links from the system register's pages to grading and the baseline
 * (id 0: the list, to the gap list). */
void system_links(struct req *r, int64_t id);

/* Grading, the baseline of a system and the agency's gap list. */
route_fn grading_page, grading_post_page, grading_decide_page, baseline_page,
  baseline_post_page, gaps_page;

/* The asset's protection level, which it takes from its system's
 * approved grading (plan 柒.一.2), on the asset's page (reg_asset's
 * detail hook; assets_pages.c). */
void asset_detail(struct req *r, const struct record *rec);

#endif
