/*
 * kpi_store.h: the SQL of the goals: outages overlapping a window and
 * each system's first outage, and a drill's imported results (read,
 * and replaced in one audited transaction).  Depends on core, db and
 * kpi.h.
 */
#ifndef ISMS_FEATURES_KPI_STORE_H
#define ISMS_FEATURES_KPI_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "kpi.h"

struct db;
struct arena;

/* An outage of a system. */
struct kpi_outage_row {
  int64_t system;      /* the system record */
  struct kpi_outage o; /* when, and whether planned */
};

/*
 * The outages (not archived) that overlap [from, to) (UTC seconds),
 * ordered by system and start, into *out (in a).  One that still lasts
 * ends at KPI_ONGOING.
 */
enum status kpi_store_outages(struct db *db, int64_t from, int64_t to,
                              struct arena *a, struct kpi_outage_row **out,
                              size_t *n);

/* The start of each system's first outage (not archived): systems[i]
 * and first[i], ordered by system, in a. */
enum status kpi_store_first_outages(struct db *db, struct arena *a,
                                    int64_t **systems, int64_t **first,
                                    size_t *n);

/* Where a drill's results came from. */
struct kpi_result_set {
  const char *file;   /* the uploaded file's name */
  const char *sha256; /* hex SHA-256 of the file */
  int64_t lines;      /* data lines */
  const char *by;     /* who imported it */
  const char *at;     /* when (UTC) */
};

/* The import drill's results came from; ST_NOTFOUND when none were
 * imported. */
enum status kpi_store_result_set(struct db *db, int64_t drill, struct arena *a,
                                 struct kpi_result_set *out);

/* The results of drill in line order into *rows (in a). */
enum status kpi_store_results(struct db *db, int64_t drill, struct arena *a,
                              struct kpi_phish_row **rows, size_t *n);

/*
 * Replace drill's results by rows[0..n) from file (name, bytes hashed
 * for the record) in one transaction, with an audit event by actor
 * saying how many lines and recipients.  ST_DB (nothing changed) on
 * failure.
 */
enum status kpi_store_replace(struct db *db, int64_t drill,
                              const struct kpi_phish_row *rows, size_t n,
                              size_t recipients, const char *file,
                              struct str data, const char *actor);

#endif
