/*
 * sched.c: the scheduler thread of `isms serve` (see remind.h): one
 * pass at start and then every tick seconds, on its own connection; a
 * condition variable with a timed wait, so sched_stop() wakes it at
 * once.
 */
#include "remind.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "db/db.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sched {
  pthread_t thread;     /* the scheduler */
  pthread_mutex_t lock; /* guards stop */
  pthread_cond_t wake;  /* signalled by sched_stop() */
  int stop;             /* 1 once sched_stop() asked */
  unsigned tick;        /* seconds between passes */
  char *db_path;        /* the database (owned) */
};

/* remind_stop_fn: the server is stopping. */
static int stopping(void *ctx)
{
  struct sched *s = ctx;
  int stop;
  pthread_mutex_lock(&s->lock);
  stop = s->stop;
  pthread_mutex_unlock(&s->lock);
  return stop;
}

/* Wait until tick seconds have passed or stop is asked; 1 to stop. */
static int wait_tick(struct sched *s)
{
  struct timespec until;
  int stop;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += (time_t)s->tick;
  pthread_mutex_lock(&s->lock);
  while(!s->stop) {
    if(pthread_cond_timedwait(&s->wake, &s->lock, &until) == ETIMEDOUT) {
      break;
    }
  }
  stop = s->stop;
  pthread_mutex_unlock(&s->lock);
  return stop;
}

static void *run(void *arg)
{
  struct sched *s = arg;
  struct db *db = NULL;
  int warned = 0;
  log_set_request("scheduler");
  do {
    struct remind_pass_result r;
    if(!db) {
      struct buf why;
      buf_init(&why, 1024);
      if(db_open(s->db_path, 0, &db, &why)) {
        log_msg(LOG_ERR, "scheduler: cannot open the database: %s",
                why.data ? why.data : "");
        db = NULL;
      }
      buf_free(&why);
    }
    if(!db) {
      continue;
    }
    remind_pass(db, time_now(), stopping, s, &r);
    db_reap(db);
    if(r.added || r.voided || r.restored || r.remind.reminders ||
       r.sent.sent || r.sent.failed || r.sent.dropped) {
      log_msg(LOG_INFO,
              "scheduler: %zu occurrences added, %zu void, %zu restored;"
              " %zu reminders, %zu notices, %zu mails queued; %zu sent,"
              " %zu failed, %zu dropped",
              r.added, r.voided, r.restored, r.remind.reminders,
              r.remind.notices, r.remind.mails, r.sent.sent, r.sent.failed,
              r.sent.dropped);
    }
    if(r.sent.no_relay && !warned) {
      log_msg(LOG_NOTICE, "scheduler: no mail relay set (mail-relay,"
                          " mail-from): reminder mails stay queued");
      warned = 1;
    }
    else if(!r.sent.no_relay) {
      warned = 0;
    }
  } while(!wait_tick(s));
  db_close(db);
  log_set_request("");
  return NULL;
}

enum status sched_start(const char *db_path, unsigned tick, struct sched **out)
{
  struct sched *s = xmalloc(sizeof(*s));
  pthread_condattr_t ca;
  sigset_t block, old;
  int rc;

  memset(s, 0, sizeof(*s));
  s->tick = tick ? tick : SCHED_TICK_DEFAULT;
  s->db_path = xstrdup(db_path);
  pthread_mutex_init(&s->lock, NULL);
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&s->wake, &ca);
  pthread_condattr_destroy(&ca);
  /* The thread inherits the mask: SIGINT and SIGTERM stay with the
   * server's main thread (its sigwait()), SIGPIPE is never ours. */
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  rc = pthread_create(&s->thread, NULL, run, s);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if(rc) {
    log_msg(LOG_ERR, "scheduler: cannot start its thread: %s", strerror(rc));
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s->db_path);
    free(s);
    *out = NULL;
    return ST_INTERNAL;
  }
  *out = s;
  return ST_OK;
}

void sched_stop(struct sched *s)
{
  if(!s) {
    return;
  }
  pthread_mutex_lock(&s->lock);
  s->stop = 1;
  pthread_cond_signal(&s->wake);
  pthread_mutex_unlock(&s->lock);
  pthread_join(s->thread, NULL);
  pthread_cond_destroy(&s->wake);
  pthread_mutex_destroy(&s->lock);
  free(s->db_path);
  free(s);
}
