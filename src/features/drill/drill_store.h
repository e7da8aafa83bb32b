/*
 * drill_store.h: the SQL of the procedures and drills beyond the
 * register engine: the approved version of a kind, and the drills the
 * frequency check counts.  Depends on core, db and rules/drill.
 */
#ifndef ISMS_FEATURES_DRILL_STORE_H
#define ISMS_FEATURES_DRILL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "rules/drill.h"

struct db;
struct arena;

/* The approved version of a procedure kind. */
struct irp_approved {
  int64_t id;              /* its record */
  const char *title;       /* 名稱 */
  const char *doc_version; /* 版次 */
  const char *effective;   /* 生效日期 YYYY-MM-DD, or NULL */
};

/*
 * The active (not archived) procedure of kind whose status is approved,
 * other than record exclude_id (0 to exclude none), into *out (strings
 * in a).  ST_NOTFOUND when there is none; ST_DB on failure.
 */
enum status drill_store_approved(struct db *db, const char *kind,
                                 int64_t exclude_id, struct arena *a,
                                 struct irp_approved *out);

/* The most drills the frequency check reads. */
#define DRILL_HELD_MAX 2000

/*
 * The drills the frequency check counts: held or reported, not
 * archived, held on or before today ("YYYY-MM-DD"), newest first, at
 * most DRILL_HELD_MAX.  *out lives in a (kinds too).
 */
enum status drill_store_held(struct db *db, const char *today, struct arena *a,
                             struct drill_held **out, size_t *n);

#endif
