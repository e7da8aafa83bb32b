/*
 * inventory.h: plan 柒.一.1 and 柒.一.4 on the asset register: the
 * yearly inventory campaign, in which each owner confirms their assets,
 * and the printable sheet of asset labels with a QR code per asset.
 * Depends on registers, auth, ui and assets.h.
 */
#ifndef ISMS_FEATURES_ASSETS_INVENTORY_H
#define ISMS_FEATURES_ASSETS_INVENTORY_H

#include <stdint.h>

#include "http/route.h"

struct req;

/* Labels printed on one sheet request at most (30 A4 pages of 24). */
#define LABELS_MAX 240

/* Links from the asset register's pages to the labels and the inventory
 * (id 0: the list, whose filters the labels link keeps; else a record). */
void asset_links(struct req *r, int64_t id);

/* Parameter allow-lists (inventory_pages.c). */
extern const struct param_spec labels_params[];
extern const struct param_spec inventory_params[];
extern const struct param_spec inventory_open_params[];
extern const struct param_spec inventory_confirm_params[];

/*
 * labels_page            GET  /r/{reg}/labels            (labels_pages.c)
 * inventory_page         GET  /r/{reg}/inventory         progress, items
 * inventory_open_page    POST /r/{reg}/inventory         open this year's
 * inventory_close_page   POST /r/{reg}/inventory/close   close it
 * inventory_confirm_page POST /r/{reg}/{id}/confirm      decide one asset
 * {reg} is always asset; other registers answer 404.
 */
route_fn labels_page, inventory_page, inventory_open_page,
  inventory_close_page, inventory_confirm_page;

#endif
