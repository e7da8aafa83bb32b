/*
 * form5_store.c: the SQL of form 5: the systems' names and levels, read
 * once per export; the assets come from the register engine's export,
 * which owns the list's WHERE and ORDER BY.
 */
#include "form5_store.h"
#include "assets.h"
#include "core/arena.h"
#include "db/db.h"

#include <sqlite3.h>
#include <string.h>

/* The name and level of one system. */
struct sys {
  int64_t id;        /* system id */
  const char *name;  /* or NULL */
  const char *level; /* or NULL */
};

struct walk {
  const struct sys *sys; /* sorted by id */
  size_t n_sys;          /* entries in sys */
  size_t system_col;     /* index of the asset's "system" field */
  form5_row_fn *fn;      /* caller's callback */
  void *ctx;             /* and its context */
};

static const char *dup_col(sqlite3_stmt *st, int i, struct arena *a)
{
  const unsigned char *t = sqlite3_column_text(st, i);
  if(!t) {
    return NULL;
  }
  return arena_strndup(a, (const char *)t,
                       (size_t)sqlite3_column_bytes(st, i));
}

/* Every system, archived ones too (an asset may still name one). */
static enum status load_systems(struct db *db, struct arena *a,
                                struct sys **out, size_t *n)
{
  sqlite3_stmt *st;
  size_t cap = 0, k = 0;
  struct sys *v = NULL;
  int step;
  *out = NULL;
  *n = 0;
  if(db_prepare(db, &st, "SELECT id, name, level FROM system ORDER BY id")) {
    return ST_DB;
  }
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    if(k == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      struct sys *nv = arena_alloc(a, ncap * sizeof(*nv));
      if(!nv) {
        db_done(st);
        return ST_TOOBIG;
      }
      if(k) {
        memcpy(nv, v, k * sizeof(*nv));
      }
      v = nv;
      cap = ncap;
    }
    v[k].id = sqlite3_column_int64(st, 0);
    v[k].name = dup_col(st, 1, a);
    v[k].level = dup_col(st, 2, a);
    k++;
  }
  db_done(st);
  if(step != SQLITE_DONE) {
    return ST_DB;
  }
  *out = v;
  *n = k;
  return ST_OK;
}

static const struct sys *find_sys(const struct walk *w, int64_t id)
{
  size_t lo = 0, hi = w->n_sys;
  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if(w->sys[mid].id == id) {
      return &w->sys[mid];
    }
    if(w->sys[mid].id < id) {
      lo = mid + 1;
    }
    else {
      hi = mid;
    }
  }
  return NULL;
}

static int each_asset(void *arg, const struct record *rec)
{
  struct walk *w = arg;
  struct form5_row row;
  const char *ref = rec->v[w->system_col];
  int64_t id = 0;
  memset(&row, 0, sizeof(row));
  row.asset = rec;
  if(ref && !str_to_i64(str_c(ref), 1, INT64_MAX, &id)) {
    const struct sys *s = find_sys(w, id);
    if(s) {
      row.system = s->name;
      row.level = s->level;
      row.has_system = 1;
    }
  }
  return w->fn(w->ctx, &row);
}

enum status form5_store_rows(struct db *db, const struct list_query *q,
                             form5_row_fn *fn, void *ctx)
{
  struct arena a;
  struct walk w;
  struct sys *sys;
  const struct field *f = reg_field(&reg_asset, "system");
  enum status st;
  if(!f) {
    return ST_INTERNAL;
  }
  arena_init(&a, 64u << 20);
  st = load_systems(db, &a, &sys, &w.n_sys);
  if(!st) {
    w.sys = sys;
    w.system_col = reg_field_index(&reg_asset, f);
    w.fn = fn;
    w.ctx = ctx;
    st = reg_store_export(db, &reg_asset, q, each_asset, &w);
  }
  arena_reset(&a);
  return st;
}
