/*
 * calendar_store.h: the SQL of the compliance calendar: occurrences
 * (inserted at most once per duty and due date), their status and
 * closing evidence, their append-only events, and the agency's own
 * duties as the generator reads them.
 */
#ifndef ISMS_FEATURES_CALENDAR_CALENDAR_STORE_H
#define ISMS_FEATURES_CALENDAR_CALENDAR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

/* An occurrence as the generator compares it. */
struct occ_key {
  int64_t id;
  const char *duty;
  const char *due_on; /* YYYY-MM-DD */
  const char *status;
  const char *owner;
};

/* Insert (duty, due_on) unless it exists; *added is 1 when it was new. */
enum status cal_store_insert(struct db *db, const char *duty,
                             const char *rule_set, const char *due_on,
                             const char *owner, int chapter, const char *at,
                             int *added);

/* The open and void occurrences due between from and to (YYYY-MM-DD,
 * both included). */
enum status cal_store_window(struct db *db, const char *from, const char *to,
                             struct arena *a, struct occ_key **out, size_t *n);

/* Set the status of open or void occurrence id (to "open" or "void",
 * with the reason for void) and its owner. */
enum status cal_store_set_status(struct db *db, int64_t id, const char *status,
                                 const char *reason, const char *owner);

/* One event of an occurrence. */
struct occ_event {
  int64_t occurrence;
  const char *kind; /* closed, reopened, void, restored */
  const char *note;
  int64_t evidence; /* or 0 */
  const char *link_reg;
  int64_t link_id;
  const char *by, *at;
};

enum status cal_store_event(struct db *db, const struct occ_event *e);

/* The events of occurrence id, oldest first. */
enum status cal_store_events(struct db *db, int64_t id, struct arena *a,
                             struct occ_event **out, size_t *n);

/* The stored occurrences that pass f (names not resolved: name, basis,
 * detail and hint are NULL). */
enum status cal_store_list(struct db *db, const struct cal_filter *f,
                           struct arena *a, struct occurrence **out,
                           size_t *n);

/* One stored occurrence; ST_NOTFOUND when none. */
enum status cal_store_get(struct db *db, int64_t id, struct arena *a,
                          struct occurrence *out);

/* Close open occurrence id with its note and evidence (a file id, or a
 * register and record id); ST_CONFLICT when it is not open. */
enum status cal_store_close(struct db *db, int64_t id, const char *note,
                            int64_t evidence, const char *link_reg,
                            int64_t link_id, const char *by, const char *at);

/* Open done occurrence id again; ST_CONFLICT when it is not done. */
enum status cal_store_reopen(struct db *db, int64_t id);

/* An agency duty as the generator reads it. */
struct agency_duty {
  int64_t id;
  const char *name, *owner, *frequency, *first_due, *basis, *hint;
  int chapter, years;
};

/* The agency's duties; with archived, the archived ones too. */
enum status cal_store_duties(struct db *db, int archived, struct arena *a,
                             struct agency_duty **out, size_t *n);

/* Agency duty id (archived or not); ST_NOTFOUND when none. */
enum status cal_store_duty(struct db *db, int64_t id, struct arena *a,
                           struct agency_duty *out);

#endif
