/*
 * register_store.h: all SQL of the register engine.  Statements are built
 * from the static declarations only (identifiers are checked at start-up
 * by reg_check_declarations()); every value is bound.  Depends on
 * register.h and db.
 */
#ifndef ISMS_REGISTERS_REGISTER_STORE_H
#define ISMS_REGISTERS_REGISTER_STORE_H

#include "register.h"

enum list_archived {
  LIST_ACTIVE = 0,   /* archived = 0 */
  LIST_ARCHIVED = 1, /* archived = 1 */
  LIST_ALL = 2,      /* both */
};

#define LIST_MAX_FILTERS 8

/* What a list page or API list asks for. */
struct list_query {
  const char *q;               /* search text or NULL */
  enum list_archived archived; /* which records */
  const struct field *sort;    /* FF_SORT field or NULL (default) */
  int desc;                    /* 1 for descending */
  int64_t page;                /* 1-based */
  int64_t per_page;            /* rows per page, 1..500 */
  const struct field *filter_field[LIST_MAX_FILTERS]; /* FF_FILTER */
  const char *filter_value[LIST_MAX_FILTERS];         /* stored value */
  size_t n_filters;
};

struct record_page {
  struct record *rows; /* in the arena */
  size_t n;            /* rows on this page */
  int64_t total;       /* rows matching in all pages */
};

struct history_row {
  int64_t id;         /* order */
  const char *at;     /* UTC storage form */
  const char *actor;  /* who */
  const char *action; /* create, update, archive, restore, import */
  const char *field;  /* field name or NULL */
  const char *before; /* or NULL */
  const char *after;  /* or NULL */
};

/* Called by reg_store_export() for each record; non-zero stops. */
typedef int reg_row_fn(void *ctx, const struct record *rec);

/* A value that occurs more than once in a field. */
struct dup {
  const char *value; /* the value */
  int64_t count;     /* how many active records hold it */
};

/* One row of an import: values in field order and the id to update
 * (0 to create). */
struct import_row {
  int64_t id;     /* record to update, or 0 */
  const char **v; /* validated values */
};

/* Page of records matching q; rows live in a. */
enum status reg_store_list(struct db *db, const struct reg *reg,
                           const struct list_query *q, struct arena *a,
                           struct record_page *out);

/* One record; ST_NOTFOUND if there is none with that id. */
enum status reg_store_get(struct db *db, const struct reg *reg, int64_t id,
                          struct arena *a, struct record *out);

/* Create a record from validated values, with its history; *id gets the
 * new id.  Runs in its own transaction.  ST_CONFLICT when a constraint of
 * the table refuses it (a register's unique index). */
enum status reg_store_create(struct db *db, const struct reg *reg,
                             const char **v, const char *actor, int64_t *id);

/*
 * Replace the values of record id (validated), recording one history row
 * per changed field.  expect_version 0 skips the stale-edit check;
 * otherwise ST_CONFLICT when the record changed meanwhile (or when a
 * constraint of the table refuses the values).  An archived record is
 * not changed: ST_FORBIDDEN (restore it first).
 */
enum status reg_store_update(struct db *db, const struct reg *reg, int64_t id,
                             int64_t expect_version, const char **v,
                             const char *actor);

/* Archive (1) or restore (0) record id, with history.  ST_CONFLICT when
 * a constraint of the table refuses it (restoring a record a unique
 * index allows only once among active records). */
enum status reg_store_set_archived(struct db *db, const struct reg *reg,
                                   int64_t id, int archived,
                                   const char *actor);

/* History of record id, oldest first; rows live in a. */
enum status reg_store_history(struct db *db, const struct reg *reg, int64_t id,
                              struct arena *a, struct history_row **rows,
                              size_t *n);

/* One choice of a reference field's form control. */
struct ref_option {
  int64_t id;        /* the record */
  const char *label; /* its label ("#id" when empty) */
};

/* The first max active records of reg in its default order, as ids and
 * labels only (the options of a reference field); they live in a. */
enum status reg_store_options(struct db *db, const struct reg *reg, size_t max,
                              struct arena *a, struct ref_option **out,
                              size_t *n);

/* The label (label_field value) of record id; "#id" when empty. */
enum status reg_store_label(struct db *db, const struct reg *reg, int64_t id,
                            struct arena *a, const char **label);

/* The id of the active record whose label is exactly label;
 * ST_NOTFOUND if none, ST_CONFLICT if several. */
enum status reg_store_find_label(struct db *db, const struct reg *reg,
                                 const char *label, int64_t *id);

/* ST_OK if record id exists, else ST_NOTFOUND. */
enum status reg_store_exists(struct db *db, const struct reg *reg, int64_t id);

/* ST_OK if record id exists and is not archived; ST_FORBIDDEN if it is
 * archived, ST_NOTFOUND if there is none. */
enum status reg_store_active(struct db *db, const struct reg *reg, int64_t id);

/*
 * The labels of records ids[0..n) of reg (ascending, each once) with
 * one statement per 500: labels[i] is the label of ids[i] ("#id" when
 * empty) or NULL when there is no such record; archived[i] (when
 * archived is not NULL) is 1 for an archived record.  Labels live in a.
 */
enum status reg_store_labels(struct db *db, const struct reg *reg,
                             const int64_t *ids, size_t n, struct arena *a,
                             const char **labels, int *archived);

/* Every record matching q (all pages) in list order, one call each. */
enum status reg_store_export(struct db *db, const struct reg *reg,
                             const struct list_query *q, reg_row_fn *fn,
                             void *ctx);

/* Values of reg->unique_warn held by more than one active record. */
enum status reg_store_duplicates(struct db *db, const struct reg *reg,
                                 struct arena *a, struct dup **out, size_t *n);

/* Number of active records. */
enum status reg_store_count(struct db *db, const struct reg *reg, int64_t *n);

/* Apply an import in one transaction: all rows or none.  *created and
 * *updated count the new records and the records that changed.
 * ST_CONFLICT when a constraint of the table refuses a row. */
enum status reg_store_import(struct db *db, const struct reg *reg,
                             const struct import_row *rows, size_t n,
                             const char *actor, size_t *created,
                             size_t *updated);

/* Recreate reg's search index from its records. */
enum status reg_store_reindex(struct db *db, const struct reg *reg);

/* Record a security-relevant event (its own statement; call inside the
 * transaction of the change when there is one). */
enum status reg_store_audit(struct db *db, const char *actor,
                            const char *action, const char *object,
                            const char *detail);

/* Columns of table name as "col:TYPE:notnull" lines, for schema
 * checks. */
enum status reg_store_columns(struct db *db, const char *table,
                              struct buf *out);

#endif
