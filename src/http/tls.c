/*
 * tls.c: loading and checking the certificate and key of the built-in
 * HTTPS server.  libmicrohttpd would refuse a bad file too, but only
 * with "cannot start"; GnuTLS tells us which file is wrong and why.  The
 * key is read into one exactly sized allocation so that it can be wiped.
 * Depends on core and GnuTLS.
 */
#include "tls.h"
#include "core/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read the file at path into a new NUL-terminated string *out (*len
 * bytes); with is_key, refuse a file that others may read. */
static enum status read_pem(const char *path, int is_key, char **out,
                            size_t *len, struct buf *why)
{
  struct stat sb;
  size_t size, got = 0;
  char *data;
  int fd, err = 0;

  *out = NULL;
  *len = 0;
  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if(fd < 0 || fstat(fd, &sb) != 0) {
    msg_fill(why, M_CLI_CANNOT_READ, path, strerror(errno), NULL);
    if(fd >= 0) {
      close(fd);
    }
    return ST_NOTFOUND;
  }
  if(is_key && (sb.st_mode & S_IROTH)) {
    close(fd);
    msg_fill(why, M_SRV_TLS_KEY_READABLE, path, path, NULL);
    return ST_FORBIDDEN;
  }
  if(sb.st_size > (off_t)TLS_FILE_MAX) {
    close(fd);
    msg_fill(why, M_CLI_CANNOT_READ, path, strerror(EFBIG), NULL);
    return ST_TOOBIG;
  }
  /* A FIFO or device reports size 0 and reads as empty: invalid PEM. */
  size = sb.st_size > 0 ? (size_t)sb.st_size : 0;
  data = malloc(size + 1);
  if(!data) {
    close(fd);
    msg_fill(why, M_CLI_CANNOT_READ, path, strerror(ENOMEM), NULL);
    return ST_NOMEM;
  }
  while(got < size) {
    ssize_t n = read(fd, data + got, size - got);
    if(n < 0 && errno == EINTR) {
      continue;
    }
    if(n < 0) {
      err = errno;
      break;
    }
    if(n == 0) {
      break;
    }
    got += (size_t)n;
  }
  close(fd);
  if(err) {
    explicit_bzero(data, size + 1);
    free(data);
    msg_fill(why, M_CLI_CANNOT_READ, path, strerror(err), NULL);
    return ST_NOTFOUND;
  }
  data[got] = 0;
  *out = data;
  *len = got;
  return ST_OK;
}

/* 0 if text holds at least one PEM certificate, else the GnuTLS error. */
static int check_cert(char *text, size_t len)
{
  gnutls_datum_t d = { (unsigned char *)text, (unsigned)len };
  gnutls_x509_crt_t *list = NULL;
  unsigned n = 0, i;
  int ret =
    gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM, 0);
  if(ret >= 0 && n == 0) {
    ret = GNUTLS_E_NO_CERTIFICATE_FOUND;
  }
  for(i = 0; i < n; i++) {
    gnutls_x509_crt_deinit(list[i]);
  }
  gnutls_free(list);
  return ret < 0 ? ret : 0;
}

/* 0 if text holds an unencrypted PEM private key, else the GnuTLS
 * error. */
static int check_key(char *text, size_t len)
{
  gnutls_datum_t d = { (unsigned char *)text, (unsigned)len };
  gnutls_x509_privkey_t key;
  int ret = gnutls_x509_privkey_init(&key);
  if(ret < 0) {
    return ret;
  }
  ret = gnutls_x509_privkey_import2(key, &d, GNUTLS_X509_FMT_PEM, NULL,
                                    GNUTLS_PKCS_PLAIN);
  gnutls_x509_privkey_deinit(key);
  return ret < 0 ? ret : 0;
}

/* 0 if GnuTLS accepts the pair as a server credential, else its error
 * (GNUTLS_E_CERTIFICATE_KEY_MISMATCH when the key is another's). */
static int check_pair(struct tls_files *t, size_t cert_len, size_t key_len)
{
  gnutls_datum_t c = { (unsigned char *)t->cert, (unsigned)cert_len };
  gnutls_datum_t k = { (unsigned char *)t->key, (unsigned)key_len };
  gnutls_certificate_credentials_t cred;
  int ret = gnutls_certificate_allocate_credentials(&cred);
  if(ret < 0) {
    return ret;
  }
  ret = gnutls_certificate_set_x509_key_mem2(cred, &c, &k, GNUTLS_X509_FMT_PEM,
                                             NULL, 0);
  gnutls_certificate_free_credentials(cred);
  return ret < 0 ? ret : 0;
}

enum status tls_load(const char *cert_path, const char *key_path,
                     struct tls_files *out, struct buf *why)
{
  size_t cert_len, key_len;
  gnutls_priority_t prio;
  const char *at = NULL;
  enum status st;
  int ret;

  out->cert = NULL;
  out->key = NULL;
  out->key_len = 0;
  ret = gnutls_priority_init(&prio, TLS_PRIORITIES, &at);
  if(ret < 0) {
    msg_fill(why, M_SRV_TLS_FAILED, gnutls_strerror(ret), NULL);
    return ST_INTERNAL;
  }
  gnutls_priority_deinit(prio);
  st = read_pem(cert_path, 0, &out->cert, &cert_len, why);
  if(!st && (ret = check_cert(out->cert, cert_len)) != 0) {
    msg_fill(why, M_SRV_TLS_BAD_CERT, cert_path, gnutls_strerror(ret), NULL);
    st = ST_INVALID;
  }
  if(!st) {
    st = read_pem(key_path, 1, &out->key, &key_len, why);
    out->key_len = key_len;
  }
  if(!st && (ret = check_key(out->key, key_len)) != 0) {
    msg_fill(why, M_SRV_TLS_BAD_KEY, key_path, gnutls_strerror(ret), NULL);
    st = ST_INVALID;
  }
  if(!st && (ret = check_pair(out, cert_len, key_len)) != 0) {
    if(ret == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
      msg_fill(why, M_SRV_TLS_MISMATCH, key_path, cert_path, NULL);
    }
    else {
      msg_fill(why, M_SRV_TLS_FAILED, gnutls_strerror(ret), NULL);
    }
    st = ST_INVALID;
  }
  if(st) {
    tls_free(out);
  }
  return st;
}

void tls_free(struct tls_files *t)
{
  free(t->cert);
  if(t->key) {
    explicit_bzero(t->key, t->key_len);
    free(t->key);
  }
  t->cert = NULL;
  t->key = NULL;
  t->key_len = 0;
}
