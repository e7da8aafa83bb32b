/*
 * settings.h: the agency's settings, declared once in settings.def and
 * stored in the setting table (STYLE.md C9).  A setting without a row
 * has its default.  Reads are cached per thread and refreshed when the
 * data epoch moves.  Changing a setting is done by the caller inside its
 * own transaction, together with the audit row (auth/admin).
 * Depends on core and db.
 */
#ifndef ISMS_DB_SETTINGS_H
#define ISMS_DB_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"
#include "core/status.h"

struct db;
struct arena;

enum setting_type {
  SET_INT = 1, /* decimal integer in [min, max] */
  SET_BOOL,    /* 0 or 1 */
  SET_TEXT,    /* UTF-8 text up to max bytes */
};

enum setting_flags {
  SET_POLICY = 1 << 0,    /* part of the password and account policy */
  SET_SENSITIVE = 1 << 1, /* never shown, exported or logged */
};

enum setting_id {
#define SETTING(id, name, type, def, min, max, flags, label) SET_##id,
#include "settings.def"
#undef SETTING
  SET_COUNT_
};

/* One declared setting. */
struct setting_decl {
  const char *name;       /* e.g. "password-min-length" */
  enum setting_type type; /* how the value is checked */
  const char *def;        /* default value as text */
  int64_t min, max;       /* SET_INT range; SET_TEXT max bytes */
  unsigned flags;         /* enum setting_flags */
  enum msg label;         /* what people see */
};

extern const struct setting_decl setting_decls[SET_COUNT_];

/* The declaration called name, or NULL. */
const struct setting_decl *setting_find(const char *name);

/* Check value for d: ST_OK, or ST_INVALID with the reason in *why. */
enum status setting_check(const struct setting_decl *d, const char *value,
                          enum msg *why);

/* The current integer value of id (SET_INT, SET_BOOL); the default when
 * the database cannot be read. */
int64_t setting_int(struct db *db, enum setting_id id);

/* The current text of id, copied into a (never NULL on success). */
const char *setting_text(struct db *db, enum setting_id id, struct arena *a);

/* Store value for d (already checked) as changed by actor.  The caller
 * holds a write transaction and records the audit row in it. */
enum status setting_store(struct db *db, const struct setting_decl *d,
                          const char *value, const char *actor);

#endif
