/*
 * form5_store.h: the rows of form 5 (資訊及資通系統資產清冊): each asset
 * with the name and protection level of its system.  Depends on the
 * register engine and db.
 */
#ifndef ISMS_FEATURES_ASSETS_FORM5_STORE_H
#define ISMS_FEATURES_ASSETS_FORM5_STORE_H

#include "registers/register_store.h"

/* One row of form 5.  Everything lives only for the callback. */
struct form5_row {
  const struct record *asset; /* the asset, fields of reg_asset */
  const char *system;         /* its system's name, or NULL */
  const char *level;          /* the system's level (low, mid, high), or
                                 NULL when ungraded or without system */
  int has_system;             /* the asset names an existing system */
};

/* Called for each row; non-zero stops. */
typedef int form5_row_fn(void *ctx, const struct form5_row *row);

/*
 * Call fn for every asset matching q (search, filters, archived, sort
 * as in the asset list, all pages) in list order, with its system.
 * The systems' names and levels are read once into memory (a few
 * hundred bytes each) and the assets stream through
 * reg_store_export(), so the list's filters apply exactly as on the
 * list page and the CSV export.  ST_DB on failure, ST_TOOBIG when the
 * systems do not fit in 64 MB.
 */
enum status form5_store_rows(struct db *db, const struct list_query *q,
                             form5_row_fn *fn, void *ctx);

#endif
