/*
 * register_cache.c: process-wide caches of query results, keyed by the
 * data epoch.  Entries are copied in and out under one mutex; no caller
 * ever holds a pointer into the cache.
 */
#include "register_cache.h"
#include "core/mem.h"
#include "db/db.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * Each list query's matching ids, in list order: a page is then one fetch
 * by id whatever its depth (OFFSET 38,800 would step through 38,800 index
 * entries), a search runs its full-text query once, and the total is the
 * list's length.  The epoch is bumped by every commit and whenever a
 * connection sees another process's commit (db/db.c), so a stale list is
 * never used.
 */
#define ID_LISTS 16

struct id_list {
  uint64_t key;  /* hash of text */
  char *text;    /* the id query and its bound values (owned) */
  long epoch;    /* db_snapshot_epoch() of the read */
  uint64_t used; /* last use, for replacement */
  int64_t *ids;  /* matching ids in list order (owned) */
  size_t n;      /* number of ids */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct id_list id_lists[ID_LISTS];
static uint64_t cache_clock;

uint64_t reg_cache_hash(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for(; s && *s; s++) {
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  }
  return (h ^ 0xff) * 1099511628211ULL;
}

/* Copy ids [from, from + max) of the cached list key into out; returns 1
 * on a hit with *n_out and *total set. */
int reg_cache_ids_get(uint64_t key, const char *text, size_t from, size_t max,
                      int64_t *out, size_t *n_out, int64_t *total)
{
  size_t i;
  int hit = 0;
  pthread_mutex_lock(&cache_lock);
  for(i = 0; i < ID_LISTS; i++) {
    struct id_list *l = &id_lists[i];
    if(l->ids && l->key == key && l->epoch == db_epoch() &&
       strcmp(l->text, text) == 0) {
      size_t n = from < l->n ? l->n - from : 0;
      if(n > max) {
        n = max;
      }
      if(n) {
        memcpy(out, l->ids + from, n * sizeof(*out));
      }
      *n_out = n;
      *total = (int64_t)l->n;
      l->used = ++cache_clock;
      hit = 1;
      break;
    }
  }
  pthread_mutex_unlock(&cache_lock);
  return hit;
}

/* Keep ids (taking ownership) as the list of text read at epoch. */
void reg_cache_ids_put(uint64_t key, const char *text, long epoch,
                       int64_t *ids, size_t n)
{
  size_t i;
  struct id_list *victim = &id_lists[0];
  pthread_mutex_lock(&cache_lock);
  for(i = 0; i < ID_LISTS; i++) {
    struct id_list *l = &id_lists[i];
    if(!l->ids || (l->key == key && strcmp(l->text, text) == 0)) {
      victim = l;
      break;
    }
    if(l->used < victim->used) {
      victim = l;
    }
  }
  free(victim->ids);
  free(victim->text);
  victim->text = xstrdup(text);
  victim->key = key;
  victim->epoch = epoch;
  victim->used = ++cache_clock;
  victim->ids = ids;
  victim->n = n;
  pthread_mutex_unlock(&cache_lock);
}

/* Duplicate warnings are shown on every list page; grouping 100,000
 * names costs milliseconds, so the answer is cached like the counts. */
struct dup_cache {
  const struct reg *reg;      /* register, or NULL for a free slot */
  long epoch;                 /* epoch when computed */
  size_t n;                   /* duplicates found */
  int64_t count[REG_DUP_MAX]; /* how many records share each value */
  char *values;               /* n NUL-terminated values, back to back */
};

static struct dup_cache dup_caches[32];

int reg_cache_dups_get(const struct reg *reg, struct arena *a, struct dup *out,
                       size_t *n)
{
  size_t i, k;
  int hit = 0;
  pthread_mutex_lock(&cache_lock);
  for(i = 0; i < sizeof(dup_caches) / sizeof(dup_caches[0]); i++) {
    struct dup_cache *c = &dup_caches[i];
    if(c->reg == reg && c->epoch == db_epoch()) {
      const char *p = c->values;
      for(k = 0; k < c->n; k++) {
        out[k].value = arena_strdup(a, p);
        out[k].count = c->count[k];
        p += strlen(p) + 1;
      }
      *n = c->n;
      hit = 1;
      break;
    }
  }
  pthread_mutex_unlock(&cache_lock);
  return hit;
}

void reg_cache_dups_put(const struct reg *reg, long epoch, const struct dup *d,
                        size_t n)
{
  size_t i, k, len = 1;
  struct dup_cache *slot = NULL;
  char *values, *p;
  for(k = 0; k < n; k++) {
    len += strlen(d[k].value) + 1;
  }
  values = xmalloc(len);
  for(k = 0, p = values; k < n; k++) {
    size_t l = strlen(d[k].value) + 1;
    memcpy(p, d[k].value, l);
    p += l;
  }
  pthread_mutex_lock(&cache_lock);
  for(i = 0; i < sizeof(dup_caches) / sizeof(dup_caches[0]); i++) {
    if(dup_caches[i].reg == reg || (!slot && !dup_caches[i].reg)) {
      slot = &dup_caches[i];
      if(dup_caches[i].reg == reg) {
        break;
      }
    }
  }
  if(slot) {
    free(slot->values);
    slot->reg = reg;
    slot->epoch = epoch;
    slot->n = n;
    for(k = 0; k < n; k++) {
      slot->count[k] = d[k].count;
    }
    slot->values = values;
    values = NULL;
  }
  pthread_mutex_unlock(&cache_lock);
  free(values);
}
