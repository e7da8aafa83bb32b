/*
 * risk_store.h: the SQL of the risk feature beyond the register engine:
 * the risks of a campaign in report order, the agency's risk types in
 * use and the CISO's acceptances.
 * Depends on core and db.
 */
#ifndef ISMS_FEATURES_RISK_STORE_H
#define ISMS_FEATURES_RISK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct db;
struct arena;

/* The most risks a report shows. */
#define RISK_REPORT_MAX 5000

/* One acceptance of a risk. */
struct risk_acceptance {
  int64_t id;               /* row id */
  int64_t risk;             /* the risk */
  const char *content_hash; /* hex SHA-256 of the content accepted */
  const char *approver;     /* login of the CISO */
  const char *approved_at;  /* UTC */
  const char *note;         /* or NULL */
};

/*
 * The ids of the active risks of campaign, highest value first (then by
 * id), at most RISK_REPORT_MAX.  *ids lives in a.
 */
enum status risk_store_ids(struct db *db, int64_t campaign, struct arena *a,
                           int64_t **ids, size_t *n);

/* The most agency risk types the catalog page shows. */
#define RISK_TYPES_MAX 2000

/*
 * The ids of the agency risk types (risk_type) that are not archived,
 * by id, at most RISK_TYPES_MAX.  *ids lives in a.
 */
enum status risk_store_type_ids(struct db *db, struct arena *a, int64_t **ids,
                                size_t *n);

/* The latest acceptance of risk into *out (strings in a); ST_NOTFOUND
 * when there is none. */
enum status risk_store_acceptance(struct db *db, int64_t risk, struct arena *a,
                                  struct risk_acceptance *out);

/* Record that approver accepted risk with content hash hash (note may be
 * NULL).  Call inside the caller's transaction. */
enum status risk_store_accept(struct db *db, int64_t risk, const char *hash,
                              const char *approver, const char *note);

#endif
