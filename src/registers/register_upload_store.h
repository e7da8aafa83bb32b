/*
 * register_upload_store.h: storage of the files uploaded for the two-step
 * import (table import_upload, migration 0009) between the upload and
 * the confirmed mapping.  A file belongs to the account that uploaded it
 * and to one register; it is deleted when its import succeeds, and every
 * file older than REG_UPLOAD_KEEP seconds is purged whenever one is
 * saved.  SQL only.  Depends on core, db.
 */
#ifndef ISMS_REGISTERS_REGISTER_UPLOAD_STORE_H
#define ISMS_REGISTERS_REGISTER_UPLOAD_STORE_H

#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "core/str.h"

struct db;

/* How long an uploaded file is kept: a day. */
#define REG_UPLOAD_KEEP 86400

/* Purge old files, then store data for reg_name and actor; *id is the
 * new file's id. */
enum status reg_upload_save(struct db *db, const char *reg_name,
                            struct str data, const char *filename,
                            const char *actor, int64_t *id);

/*
 * The file id of reg_name uploaded by actor less than a day ago:
 * *data and *filename are copied into a.  ST_NOTFOUND when there is no
 * such file (another account's, another register's, or purged).
 */
enum status reg_upload_get(struct db *db, int64_t id, const char *reg_name,
                           const char *actor, struct arena *a,
                           struct str *data, const char **filename);

/* Delete file id (after its import). */
enum status reg_upload_delete(struct db *db, int64_t id);

#endif
