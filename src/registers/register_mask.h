/*
 * register_mask.h: masking personal data where text enters isms (issue
 * 7; plan 壹拾壹.二.(三)).  A register's FF_MASK fields, and other free
 * text such as the calendar's closing note, go through mask_text()
 * (core/mask.h) before they are validated and stored, so the original is
 * never written anywhere (record, history, search body, audit trail).
 * This module reads the agency's choice (the settings mask-entities and
 * mask-operator), finds the key file beside the database ("<db>.maskkey",
 * made on first need by hash or encrypt, never in the database) and
 * gives what a preview shows: the masked text, where each replacement
 * lies in it, and the count per entity.  The pages and the reveal route
 * are register_mask_pages.c.  Depends on core/mask.h, db, register.h.
 */
#ifndef ISMS_REGISTERS_REGISTER_MASK_H
#define ISMS_REGISTERS_REGISTER_MASK_H

#include <stddef.h>

#include "core/arena.h"
#include "core/mask.h"
#include "core/status.h"
#include "register.h"

struct db;
struct req;

/* One replacement in a masked text: bytes [off, off+len) of it. */
struct reg_mask_span {
  size_t off, len;         /* in the masked text */
  enum mask_entity entity; /* what was found there */
};

/* What masking one text gave. */
struct reg_masked {
  const char *text;            /* the masked text (in the arena); the
                                   input itself when nothing was found */
  enum mask_op op;             /* the operator used */
  size_t n;                    /* findings replaced */
  size_t count[MASK_N];        /* of them, per entity */
  struct reg_mask_span *spans; /* n replacements, ascending (NULL when
                                   n is 0) */
};

/*
 * A masking session: the agency's settings read once, the key loaded on
 * first need.  Initialise with reg_masker_init(), end with
 * reg_masker_end() (which wipes the key).
 */
struct reg_masker {
  struct db *db;        /* settings, and the key file beside it */
  unsigned entities;    /* what is masked (mask-entities) */
  enum mask_op op;      /* the agency's default (mask-operator) */
  struct mask_key key;  /* valid when has_key */
  int has_key;          /* the key is loaded */
  enum status key_err;  /* why it could not be, or ST_OK */
  size_t total;         /* findings replaced by this session */
  size_t count[MASK_N]; /* of them, per entity */
};

/* Start a session on db.  A stored setting that does not parse (isms
 * settings refuses such values) counts as its default and is logged. */
void reg_masker_init(struct reg_masker *m, struct db *db);

/* End a session: wipe the key. */
void reg_masker_end(struct reg_masker *m);

/*
 * Mask the NUL-terminated text with op into *out (everything in a).
 * ST_OK; ST_IO, ST_FORBIDDEN or ST_INVALID (as mask_key_load()) when op
 * is hash or encrypt and the key can be neither read nor made, nothing
 * masked; ST_TOOBIG when a or the result's cap is exhausted.  The
 * session's counts grow by the findings.
 */
enum status reg_masker_text(struct reg_masker *m, enum mask_op op,
                            const char *text, struct arena *a,
                            struct reg_masked *out);

/*
 * Mask short metadata that goes with a record (a workflow step's channel
 * or reference number) into *out (in a): with replace whatever the
 * agency's default operator, and without a preview, since it is not the
 * record's text.  A token such as <TW_ID> is short and reveals nothing,
 * where a partial mask or a hash would leave part of an identifier, or
 * what the key reverses, in a field nobody reviews.  text NULL: *out
 * NULL.  ST_OK, or ST_TOOBIG when a or the result's cap is exhausted.
 * The session's counts grow by the findings.
 */
enum status reg_mask_meta(struct reg_masker *m, const char *text,
                          struct arena *a, const char **out);

/*
 * The name an uploaded file is kept under (an evidence file's, as the
 * browser sent it: 王小明_A123456789.pdf) into *out (in a): masked as
 * reg_mask_meta() masks (王小明_<TW_ID>.pdf), its extension kept even
 * when a finding took it in (wang@example.com.pdf gives <EMAIL>.pdf), so
 * that what is read from it (the download's extension) still holds.  A
 * name that would be left blank before its extension, and a NULL or
 * blank name, become the neutral "evidence" and the extension rather
 * than being refused.  The file's bytes are not this function's concern.
 * Statuses as reg_mask_meta().
 */
enum status reg_mask_file_name(struct reg_masker *m, const char *name,
                               struct arena *a, const char **out);

/* reg_mask_file_name() in a session of its own on db: for an upload's
 * name where nothing else is masked. */
enum status reg_mask_upload_name(struct db *db, const char *name,
                                 struct arena *a, const char **out);

/*
 * After reg_validate() of masked values: an FF_MASK field found too long
 * (M_ERR_TOO_LONG, errs's items from index from on: those of the values
 * checked) whose raw value, as typed (raw[], NULL for none), was
 * within its limit grew by masking, since an encrypted or hashed token is
 * longer than the identifier it stands for; its error becomes
 * M_MASK_TOO_LONG, which says so and what to do, rather than calling
 * short text too long.
 */
void reg_mask_long_errors(const struct reg *reg, const char *const *raw,
                          struct reg_errors *errs, size_t from);

/* 1 if reg has a field with FF_MASK. */
int reg_has_mask(const struct reg *reg);

/*
 * Mask reg's FF_MASK fields of in[] (raw values, NULL for none): each
 * one that is not NULL and whose only[i] is set (only NULL: all) is
 * replaced in place by its masked text, with ops[i] (ops NULL: the
 * session's default).  res (reg->n_fields entries, or NULL) gets each
 * field's result, zeroed for the others.  Statuses as
 * reg_masker_text(); on failure in[] may be partly masked.
 */
enum status reg_mask_values(struct reg_masker *m, const struct reg *reg,
                            const char **in, const enum mask_op *ops,
                            const unsigned char *only, struct arena *a,
                            struct reg_masked *res);

/* 1 if v holds an encryption token (<TW_ID:e:...>) of mask_text(). */
int reg_mask_has_sealed(const char *v);

/*
 * The encryption tokens of v opened with the key beside db's file (never
 * made here): *out (in a) is v with each token the key opens replaced by
 * its original, *opened how many were, *sealed how many v holds.
 * ST_IO, ST_FORBIDDEN or ST_INVALID when the key cannot be read,
 * ST_TOOBIG when a is full.
 */
enum status reg_mask_reveal(struct db *db, const char *v, struct arena *a,
                            const char **out, size_t *opened, size_t *sealed);

/* "TW_ID 1, PHONE 2" for counts (entities with none left out), in a;
 * "" when all are zero. */
const char *reg_mask_summary(const size_t count[MASK_N], struct arena *a);

#endif
