/*
 * throttle.c: a fixed table of failure counters under one lock.
 */
#include "throttle.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096

/* One key's failures. */
struct slot {
  uint64_t key; /* hash of the key; 0 for an empty slot */
  int failures; /* within the window */
  int64_t last; /* time of the last failure */
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char hkey[crypto_shorthash_KEYBYTES];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_key(void)
{
  if(sodium_init() < 0) {
    abort();
  }
  randombytes_buf(hkey, sizeof(hkey));
}

/* Keyed hash of key (SipHash, so slots cannot be aimed at). */
static uint64_t hash(const char *key)
{
  unsigned char out[crypto_shorthash_BYTES];
  uint64_t h;
  pthread_once(&once, init_key);
  crypto_shorthash(out, (const unsigned char *)key, strlen(key), hkey);
  memcpy(&h, out, sizeof(h));
  return h ? h : 1;
}

static struct slot *find(uint64_t h, int make)
{
  struct slot *s = &slots[h % SLOTS];
  if(s->key == h) {
    return s;
  }
  if(!make) {
    return NULL;
  }
  /* A collision replaces the older entry: memory stays bounded. */
  s->key = h;
  s->failures = 0;
  s->last = 0;
  return s;
}

int throttle_wait(const char *key, int free_tries, int max_wait, int64_t now)
{
  uint64_t h = hash(key);
  struct slot *s;
  int wait = 0;
  pthread_mutex_lock(&lock);
  s = find(h, 0);
  if(s && now - s->last > THROTTLE_WINDOW) {
    s->failures = 0;
  }
  if(s && s->failures >= free_tries) {
    int shift = s->failures - free_tries;
    int64_t delay = shift >= 16 ? max_wait : (int64_t)1 << shift;
    int64_t left;
    if(delay > max_wait) {
      delay = max_wait;
    }
    left = s->last + delay - now;
    wait = left > 0 ? (int)left : 0;
  }
  pthread_mutex_unlock(&lock);
  return wait;
}

void throttle_fail(const char *key, int64_t now)
{
  uint64_t h = hash(key);
  struct slot *s;
  pthread_mutex_lock(&lock);
  s = find(h, 1);
  if(now - s->last > THROTTLE_WINDOW) {
    s->failures = 0;
  }
  s->failures++;
  s->last = now;
  pthread_mutex_unlock(&lock);
}

void throttle_clear(const char *key)
{
  uint64_t h = hash(key);
  struct slot *s;
  pthread_mutex_lock(&lock);
  s = find(h, 0);
  if(s) {
    s->key = 0;
  }
  pthread_mutex_unlock(&lock);
}

void throttle_reset(void)
{
  pthread_mutex_lock(&lock);
  memset(slots, 0, sizeof(slots));
  pthread_mutex_unlock(&lock);
}
