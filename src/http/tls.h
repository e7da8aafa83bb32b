/*
 * tls.h: the certificate and private key of the built-in HTTPS server.
 * Reads both PEM files, refuses a key file that every user may read, and
 * checks with GnuTLS (the library libmicrohttpd uses for TLS) that the
 * certificate and key parse and belong together, so that the person
 * starting the server learns which file is wrong before anything
 * listens.  Depends on core and GnuTLS.
 */
#ifndef ISMS_HTTP_TLS_H
#define ISMS_HTTP_TLS_H

#include "core/buf.h"
#include "core/status.h"

/* GnuTLS priorities: TLS 1.3 and 1.2 only, the server's cipher order. */
#define TLS_PRIORITIES                                                        \
  "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE"

/* Largest certificate chain or key file read (a chain is a few KiB). */
#define TLS_FILE_MAX (1u << 20)

/* The PEM texts handed to libmicrohttpd.  Both NULL until tls_load(). */
struct tls_files {
  char *cert;     /* certificate chain, NUL-terminated; owned, malloc'd */
  char *key;      /* private key, NUL-terminated; owned, wiped on free */
  size_t key_len; /* bytes of key, all of them wiped by tls_free() */
};

/*
 * Read the certificate chain at cert_path and the private key at
 * key_path into *out and check them:
 *   ST_NOTFOUND   a file cannot be opened or read (not a regular file);
 *   ST_FORBIDDEN  the key file is readable by others (mode & 004);
 *   ST_INVALID    the certificate or key is not valid PEM (an encrypted
 *                 key is invalid too), or the key does not belong to the
 *                 certificate;
 *   ST_TOOBIG     a file is larger than TLS_FILE_MAX;
 *   ST_INTERNAL   GnuTLS refuses TLS_PRIORITIES.
 * On failure a message for a person, naming the file, goes into why and
 * *out holds nothing.  On success the caller frees *out with tls_free().
 */
enum status tls_load(const char *cert_path, const char *key_path,
                     struct tls_files *out, struct buf *why);

/* Free what tls_load() read, wiping the key first; t may be empty. */
void tls_free(struct tls_files *t);

#endif
