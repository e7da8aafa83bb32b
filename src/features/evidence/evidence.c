/*
 * evidence.c: what an evidence file may be, read from its bytes by
 * libmagic (one handle, loaded once, used under a mutex: a magic_t is
 * not thread-safe), and its SHA-256 (libsodium).
 */
#include "evidence.h"
#include "evidence_store.h"
#include "core/arena.h"
#include "core/time.h"

#include <magic.h>
#include <pthread.h>
#include <sodium.h>
#include <strings.h>
#include <string.h>

/* The kinds kept: a file name extension and the types its content may
 * have.  Anything else (executables, scripts, unknown binaries) is
 * refused. */
static const struct {
  const char *ext;
  const char *mime[3];
} kinds[] = {
  { "pdf", { "application/pdf" } },
  { "png", { "image/png" } },
  { "jpg", { "image/jpeg" } },
  { "jpeg", { "image/jpeg" } },
  { "gif", { "image/gif" } },
  { "txt", { "text/plain" } },
  { "log", { "text/plain" } },
  { "csv", { "text/csv", "text/plain" } },
  { "json", { "application/json", "text/plain" } },
  { "xml", { "text/xml", "application/xml" } },
  { "eml", { "message/rfc822", "text/plain" } },
  { "pcap", { "application/vnd.tcpdump.pcap" } },
  { "zip", { "application/zip" } },
  { "odt", { "application/vnd.oasis.opendocument.text" } },
  { "ods", { "application/vnd.oasis.opendocument.spreadsheet" } },
  { "docx",
    { "application/vnd.openxmlformats-officedocument.wordprocessingml."
      "document",
      "application/zip" } },
  { "xlsx",
    { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/zip" } },
};

static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_handle;

/* The extension of name (after its last dot), or NULL. */
static const char *extension(const char *name)
{
  const char *dot = name ? strrchr(name, '.') : NULL;
  return dot && dot[1] ? dot + 1 : NULL;
}

/* The MIME type libmagic reads from data, copied into out (at most n
 * bytes); 0 on failure. */
static int sniff(const void *data, size_t len, char *out, size_t n)
{
  const char *t = NULL;
  pthread_mutex_lock(&magic_lock);
  if(!magic_handle) {
    magic_handle = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
    if(magic_handle && magic_load(magic_handle, NULL) != 0) {
      magic_close(magic_handle);
      magic_handle = NULL;
    }
  }
  if(magic_handle) {
    t = magic_buffer(magic_handle, data, len);
  }
  if(t && strlen(t) < n) {
    memcpy(out, t, strlen(t) + 1);
  }
  else {
    t = NULL;
  }
  pthread_mutex_unlock(&magic_lock);
  return t != NULL;
}

enum status evidence_check(const char *name, const void *data, size_t len,
                           const char **mime, enum msg *why)
{
  const char *ext = extension(name);
  char got[128];
  size_t i, k;
  if(!len) {
    *why = M_EV_EMPTY;
    return ST_INVALID;
  }
  if(len > EVIDENCE_MAX_BYTES) {
    *why = M_EV_TOO_BIG;
    return ST_TOOBIG;
  }
  for(i = 0; ext && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
    if(strcasecmp(ext, kinds[i].ext) == 0) {
      break;
    }
  }
  if(!ext || i == sizeof(kinds) / sizeof(kinds[0])) {
    *why = M_EV_KIND;
    return ST_INVALID;
  }
  if(!sniff(data, len, got, sizeof(got))) {
    *why = M_EV_UNREADABLE;
    return ST_INVALID;
  }
  for(k = 0; k < 3 && kinds[i].mime[k]; k++) {
    if(strcmp(got, kinds[i].mime[k]) == 0) {
      *mime = kinds[i].mime[k];
      return ST_OK;
    }
  }
  *why = M_EV_MISMATCH;
  return ST_INVALID;
}

void evidence_sha256(const void *data, size_t len, char sha_hex[65])
{
  unsigned char sum[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(sum, data, len);
  sodium_bin2hex(sha_hex, 65, sum, sizeof(sum));
}

enum status evidence_add(struct db *db, const char *name, const char *mime,
                         const void *data, size_t len, const char *by,
                         int64_t *id, char sha_hex[65])
{
  struct buf at;
  enum status st;
  evidence_sha256(data, len, sha_hex);
  buf_init(&at, 32);
  time_format_utc(&at, time_now());
  st = at.err ? ST_NOMEM :
                evidence_store_add(db, sha_hex, name, mime, data, len, by,
                                   at.data, id);
  buf_free(&at);
  return st;
}

enum status evidence_get(struct db *db, int64_t id, struct arena *a,
                         struct evidence_file *out)
{
  unsigned char sum[crypto_hash_sha256_BYTES];
  char hex[65];
  enum status st = evidence_store_get(db, id, a, out);
  if(st) {
    return st;
  }
  crypto_hash_sha256(sum, out->data, (unsigned long long)out->size);
  sodium_bin2hex(hex, sizeof(hex), sum, sizeof(sum));
  return strcmp(hex, out->sha256) == 0 ? ST_OK : ST_IO;
}
