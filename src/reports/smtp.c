/*
 * smtp.c: delivery of a message over SMTP with libcurl.  See smtp.h.
 */
#include "smtp.h"
#include "core/arena.h"
#include "db/settings.h"

#include <curl/curl.h>
#include <pthread.h>
#include <string.h>

/* The message being uploaded by libcurl. */
struct upload {
  const char *p; /* next byte to send */
  size_t left;   /* bytes not sent yet */
};

static size_t read_cb(char *to, size_t size, size_t n, void *arg)
{
  struct upload *u = arg;
  size_t take = size * n < u->left ? size * n : u->left;
  memcpy(to, u->p, take);
  u->p += take;
  u->left -= take;
  return take;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* The reason for a libcurl failure, in the catalog. */
static enum msg curl_reason(CURLcode rc)
{
  switch(rc) {
  case CURLE_USE_SSL_FAILED:
    return M_MAIL_NO_STARTTLS;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
    return M_MAIL_CONNECT;
  case CURLE_OPERATION_TIMEDOUT:
    return M_MAIL_TIMEOUT;
  case CURLE_LOGIN_DENIED:
    return M_MAIL_LOGIN;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
    return M_MAIL_TLS;
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_WEIRD_SERVER_REPLY:
    return M_MAIL_RELAY_FAILED;
  default:
    return M_MAIL_REFUSED;
  }
}

enum status smtp_send(const struct smtp_config *cfg, const struct mail *m,
                      enum msg *why, struct buf *detail)
{
  struct buf msg, path;
  struct curl_slist *rcpt = NULL;
  struct upload up;
  char err[CURL_ERROR_SIZE];
  CURL *c = NULL;
  CURLcode rc;
  enum status st;
  size_t i;
  static const long use_ssl[] = { [MAIL_TLS_REQUIRED] = CURLUSESSL_ALL,
                                  [MAIL_TLS_OPTIONAL] = CURLUSESSL_TRY,
                                  [MAIL_TLS_NONE] = CURLUSESSL_NONE };

  *why = M_NONE;
  if(mail_check_relay(cfg->relay)) {
    *why = M_MAIL_BAD_RELAY;
    return ST_INVALID;
  }
  buf_init(&msg, 1u << 20);
  buf_init(&path, 4096);
  st = mail_build(m, &msg, why);
  if(st) {
    goto out;
  }
  for(i = 0; i < m->n_to; i++) {
    struct curl_slist *next;
    buf_clear(&path);
    buf_appendf(&path, "<%s>", m->to[i]);
    next = curl_slist_append(rcpt, path.data);
    if(!next) {
      st = ST_NOMEM;
      goto out;
    }
    rcpt = next;
  }
  pthread_once(&curl_once, curl_start);
  c = curl_easy_init();
  if(!c) {
    st = ST_NOMEM;
    goto out;
  }
  buf_clear(&path);
  buf_appendf(&path, "<%s>", m->from);
  up.p = msg.data;
  up.left = msg.len;
  err[0] = 0;
  curl_easy_setopt(c, CURLOPT_URL, cfg->relay);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, path.data);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl[cfg->tls]);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, cfg->connect_timeout);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, cfg->timeout);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
  if(cfg->user && *cfg->user) {
    curl_easy_setopt(c, CURLOPT_USERNAME, cfg->user);
    curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
  }
  rc = curl_easy_perform(c);
  if(rc != CURLE_OK) {
    *why = curl_reason(rc);
    st = ST_IO;
    if(detail) {
      buf_puts(detail, err[0] ? err : curl_easy_strerror(rc));
    }
  }
out:
  curl_easy_cleanup(c);
  curl_slist_free_all(rcpt);
  buf_free(&path);
  buf_free(&msg);
  return st;
}

enum status smtp_config_load(struct db *db, struct arena *a,
                             struct smtp_config *cfg, enum msg *why)
{
  const char *tls = setting_text(db, SET_MAIL_STARTTLS, a);
  *why = M_NONE;
  memset(cfg, 0, sizeof(*cfg));
  cfg->relay = setting_text(db, SET_MAIL_RELAY, a);
  cfg->from = setting_text(db, SET_MAIL_FROM, a);
  cfg->user = setting_text(db, SET_MAIL_USER, a);
  cfg->password = setting_text(db, SET_MAIL_PASSWORD, a);
  cfg->connect_timeout = 10;
  cfg->timeout = 60;
  if(!cfg->relay || !cfg->from || !cfg->user || !cfg->password || !tls) {
    return ST_NOMEM;
  }
  if(mail_tls_parse(tls, &cfg->tls)) {
    cfg->tls = MAIL_TLS_REQUIRED;
  }
  if(!*cfg->relay) {
    *why = M_MAIL_NO_RELAY;
    return ST_INVALID;
  }
  if(!*cfg->from) {
    *why = M_MAIL_NO_FROM;
    return ST_INVALID;
  }
  return ST_OK;
}
