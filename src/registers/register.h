/*
 * register.h: the register engine (ARCHITECTURE.md).  A feature declares
 * a register once as a static table of fields; the engine gives it list,
 * detail, create and edit pages, the JSON API, CSV import and export and
 * per-record change history.  The table itself comes from the feature's
 * migration; reg_check_schema() proves the two agree.
 * Depends on core, db, http.
 */
#ifndef ISMS_REGISTERS_REGISTER_H
#define ISMS_REGISTERS_REGISTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/status.h"
#include "core/str.h"

struct db;
struct req;

enum field_type {
  FT_TEXT = 1, /* one line of text */
  FT_LONGTEXT, /* several lines */
  FT_INT,      /* integer in [min, max] */
  FT_REAL,     /* decimal number in [min, max] */
  FT_BOOL,     /* 是 / 否, stored 1 / 0 */
  FT_ENUM,     /* one of opts[], stored as its value */
  FT_DATE,     /* calendar date, stored YYYY-MM-DD; ROC input accepted */
  FT_EMAIL,    /* e-mail address */
  FT_PHONE,    /* telephone number */
  FT_REF,      /* id of a record in register ref */
  FT_DATETIME, /* an instant, stored as UTC "YYYY-MM-DDTHH:MM:SSZ"; typed
                  and shown in Asia/Taipei time, ROC dates accepted */
  FT_REFS,     /* ids of several records of register ref: no column of
                  its own but a join table <reg>_<field>(rec, ref) */
};

/* Most records an FT_REFS value may name. */
#define REG_REFS_MAX 50

enum field_flags {
  FF_REQUIRED = 1 << 0, /* must have a value */
  FF_LIST = 1 << 1,     /* a column of the list page */
  FF_SEARCH = 1 << 2,   /* part of the full-text search body */
  FF_FILTER = 1 << 3,   /* offered as a filter on the list page */
  FF_SORT = 1 << 4,     /* the list can be sorted by it (has an index) */
  FF_MASK = 1 << 5,     /* FT_TEXT/LONGTEXT: personal data in it is masked
                           (core/mask.h) before it is stored, after the
                           user has seen a preview of what will be masked */
};

/* One option of an FT_ENUM field.  Tables end with { NULL }. */
struct field_opt {
  const char *value; /* stored value, stable, ASCII */
  enum msg label;    /* what people see */
};

struct field {
  const char *name;             /* column and parameter name */
  enum field_type type;         /* how it is stored and checked */
  enum msg label;               /* field label */
  enum msg help;                /* hint under the input, or M_NONE */
  unsigned flags;               /* enum field_flags */
  int64_t min, max;             /* FT_TEXT/LONGTEXT: max characters in
                                   max; FT_INT/REAL: the range */
  const struct field_opt *opts; /* FT_ENUM options */
  const char *ref;              /* FT_REF, FT_REFS: the referenced
                                   register */
};

/* A record in text form: v[i] is field i's value or NULL when empty.
 * Integers, booleans and references are decimal text; an FT_REFS value
 * is its ids ascending, each once, comma-separated ("3,7,12"), so that
 * comparing, history and caching treat it like any other value. */
struct record {
  int64_t id;             /* 0 before it is stored */
  int archived;           /* 1 when archived */
  int64_t version;        /* bumped by every update */
  const char *created_at; /* UTC storage form */
  const char *created_by; /* who created it */
  const char *updated_at; /* UTC storage form */
  const char **v;         /* n_fields values */
};

/* One validation error. */
struct reg_error {
  const char *field;  /* field name, or "" for the record */
  enum msg msg;       /* message id */
  const char *detail; /* data the error names: it fills the message's
                         "%s", or else is shown after the message (a name
                         no record has); or NULL */
  size_t row;         /* CSV line for imports, else 0 */
};

/* A growable list of errors in an arena. */
struct reg_errors {
  struct arena *arena;     /* where items live */
  struct reg_error *items; /* the errors */
  size_t n, cap;           /* used, allocated */
  size_t row;              /* stamped on new errors */
  int64_t record_id;       /* the record being validated, or 0 for a new
                              one: checks that compare a record with the
                              others leave this one out */
  int failed;              /* an error could not be recorded (arena cap):
                              the input counts as invalid all the same */
  const char **stored;     /* the stored values of record_id, read once
                              when an archived reference is checked
                              (had_ref() in register.c), or NULL */
  int64_t stored_of;       /* the record they are of */
};

struct reg;

/* Cross-field validation: add errors with reg_error(). */
typedef void reg_check_fn(const struct reg *reg, struct db *db, const char **v,
                          struct reg_errors *errs);

/* A plan chapter with the registers that implement it. */
struct reg {
  const char *name;           /* URL and table name, [a-z_]+ */
  enum msg title;             /* register title, e.g. 核心業務 */
  enum msg item;              /* one record, e.g. 業務 */
  enum msg source;            /* where the plan asks for it */
  int chapter;                /* plan chapter 1..17 (1 = 壹 and 貳) */
  const struct field *fields; /* the fields, in form order */
  size_t n_fields;            /* number of fields */
  const char *label_field;    /* field naming a record */
  const char *order_by;       /* default sort field (FF_SORT) */
  reg_check_fn *check;        /* cross-field rules, or NULL */
  const char *unique_warn;    /* field whose duplicates are warned about */
  int area;                   /* enum area (auth/roles.h): who may read
                                 and write it; 0 is AREA_PLAN */
  void (*links)(struct req *r, int64_t id); /* the feature's own pages
                                 of a record (id) or of the list (0), as
                                 links on those pages; or NULL */
  void (*detail)(struct req *r, const struct record *rec); /* facts the
                                 record's page shows after its fields
                                 that no field holds (derived from other
                                 records, e.g. an asset's protection level
                                 from its system), as <dt>/<dd> pairs; or
                                 NULL */
  enum msg (*locked)(struct db *db, int64_t id); /* why record id may not
                                 be changed, archived or restored now (e.g.
                                 a closed incident: reopen it first), or
                                 M_NONE; NULL: never locked */
};

/* Every register, in navigation order (src/registry.c). */
extern const struct reg *const registers[];
extern const size_t n_registers;

/* The register called name, or NULL. */
const struct reg *reg_find(const char *name);

/* The area of register name, or -1 when there is none (the hook
 * auth_reg_area). */
int reg_area(const char *name);

/* The field called name in reg, or NULL. */
const struct field *reg_field(const struct reg *reg, const char *name);

/* Index of field f in reg. */
size_t reg_field_index(const struct reg *reg, const struct field *f);

/* The place of field name in v, a values array of reg (v[i] of the field
 * called name).  reg must have the field: a missing one is a bug and
 * aborts. */
const char **reg_slot(const struct reg *reg, const char **v, const char *name);

/* The instant typed as text the way an FT_DATETIME field takes it (the
 * storage form "YYYY-MM-DDTHH:MM:SSZ", or an ISO or ROC date and a time
 * read as Asia/Taipei time; full-width digits folded) into *t: ST_OK, or
 * ST_INVALID.  Scratch text goes to a. */
enum status reg_instant(struct arena *a, const char *text, int64_t *t);

/* The value of field name of record rec of reg (NULL when empty). */
const char *reg_val(const struct reg *reg, const struct record *rec,
                    const char *name);

/* Add an error for field (or "" for the record). */
void reg_error(struct reg_errors *errs, const char *field, enum msg msg);

/* reg_error() with the part of the value at fault (copied into the
 * list's arena, at most 100 bytes). */
void reg_error_detail(struct reg_errors *errs, const char *field, enum msg msg,
                      const char *detail);

/* The text of message msg in lang with detail when there is one: in
 * place of the message's "%s", or else after it (zh: 訊息：「detail」, en:
 * message: “detail”), in a; msg's own text when detail is NULL or a is
 * full. */
const char *reg_msg_detail(enum lang lang, enum msg msg, const char *detail,
                           struct arena *a);

/* 1 if errs holds an error or lost one: the input must not be stored. */
int reg_errors_any(const struct reg_errors *errs);

/* Start an empty list whose items live in a, for a new record
 * (record_id 0; set it before validating an edit). */
void reg_errors_init(struct reg_errors *errs, struct arena *a);

/* Why a change of record id was refused with ST_FORBIDDEN: the
 * register's lock (reg->locked), else that it is archived. */
enum msg reg_locked_msg(const struct reg *reg, struct db *db, int64_t id);

/* The label of an enum value in lang, or the value itself. */
const char *reg_enum_label(const struct field *f, const char *value,
                           enum lang lang);

/* Separates the items of a raw FT_REFS value that must not be split
 * further (form values, JSON array elements); see reg_validate(). */
#define REG_REFS_SEP '\x1f'

/*
 * Check and normalise raw input (from a form, JSON, or CSV) for every
 * field.  in[i] is field i's raw text or NULL when absent.  out[i] gets
 * the normalised text or NULL for empty.  Errors go to errs.  References
 * are resolved by id or by the referenced record's label.  A raw FT_REFS
 * value is either items joined by REG_REFS_SEP, each an id or a label,
 * or text (a CSV cell, the stored form) of ids and labels separated by
 * "," ";" "；" "、" or "，" (a label holding a separator is still found).
 * Each must name an active record; at most REG_REFS_MAX; FF_REQUIRED
 * asks for one at least.
 */
void reg_validate(const struct reg *reg, struct db *db, const char **in,
                  const char **out, struct arena *a, struct reg_errors *errs);

/* The stored form of a list filter value: 是/否, yes/no, true/false become
 * 1/0 for yes/no fields, option labels become option values; anything
 * else (an id for references) is returned as given.  Never allocates. */
const char *reg_filter_value(const struct field *f, const char *raw);

/*
 * The ids of a stored FT_REFS value ("3,7,12") or of raw form input
 * (REG_REFS_SEP between items), in their order; items that are not
 * positive integers are skipped.  *ids lives in a (NULL when there are
 * none); ST_TOOBIG when a is full.
 */
enum status reg_refs_parse(const char *v, struct arena *a, int64_t **ids,
                           size_t *n);

/* Make the engine's checks: identifiers, labels unique per register,
 * sort fields, references (an FT_REFS field cannot be sorted on, name
 * records or be warned about duplicates).  Aborts on a broken
 * declaration (a bug). */
void reg_check_declarations(void);

/*
 * Compare every register's declaration with the database schema (and
 * the join table of each FT_REFS field).  ST_CONFLICT with a
 * description in why when they differ.
 */
enum status reg_check_schema(struct db *db, struct buf *why);

#endif
