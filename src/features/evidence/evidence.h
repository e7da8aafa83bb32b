/*
 * evidence.h: evidence files kept unaltered (plan 壹拾: evidence of an
 * incident; later the proof that closes a compliance duty).  A file is
 * accepted only when its content is of a kind its name says (libmagic
 * reads the bytes; the name is never trusted): a renamed executable is
 * refused.  Its SHA-256 is computed here, stored with it, and checked
 * again whenever it is read back; rows are append-only.
 */
#ifndef ISMS_FEATURES_EVIDENCE_EVIDENCE_H
#define ISMS_FEATURES_EVIDENCE_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"
#include "core/status.h"

struct db;
struct arena;

/* The largest evidence file accepted, in bytes. */
#define EVIDENCE_MAX_BYTES (20u << 20)

/* A stored file. */
struct evidence_file {
  int64_t id;
  const char *sha256; /* hex, 64 characters */
  const char *name;   /* the file name as given, its personal data
                         masked by the caller (shown, never trusted) */
  const char *mime;   /* the type read from the content */
  int64_t size;       /* bytes */
  const void *data;   /* size bytes (in the arena) */
  const char *by;     /* login */
  const char *at;     /* UTC */
};

/*
 * Check that the len bytes of data are a file of a kind isms keeps and
 * that name's extension says that kind.  ST_OK with *mime set, or
 * ST_INVALID (ST_TOOBIG for size) with *why the message to show.
 */
enum status evidence_check(const char *name, const void *data, size_t len,
                           const char **mime, enum msg *why);

/* The SHA-256 of the len bytes of data as 64 lower-case hex digits and
 * a NUL into sha_hex: what evidence_add() will record for them, so that
 * a hash typed in can be checked before anything is stored. */
void evidence_sha256(const void *data, size_t len, char sha_hex[65]);

/* Store a checked file in the caller's transaction; *id and sha_hex
 * (65 bytes) get its row id and SHA-256. */
enum status evidence_add(struct db *db, const char *name, const char *mime,
                         const void *data, size_t len, const char *by,
                         int64_t *id, char sha_hex[65]);

/* Read file id back; ST_NOTFOUND when there is none, ST_IO when its
 * bytes no longer hash to the stored SHA-256. */
enum status evidence_get(struct db *db, int64_t id, struct arena *a,
                         struct evidence_file *out);

#endif
